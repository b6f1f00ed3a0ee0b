//! Async locks by key: callers with the same key take turns, callers with
//! different keys never wait for each other.
//!
//! Joins use it per candidate (sitting, room, name or number): two browsers
//! typing the same name at the same instant must not both create the
//! candidate, but a province's students joining in the same minute must not
//! queue behind one global lock either. An entry lives only while someone
//! holds or waits for it.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use tokio::sync::OwnedMutexGuard;

pub struct KeyedLocks<K> {
    map: Mutex<HashMap<K, Arc<tokio::sync::Mutex<()>>>>,
}

impl<K> Default for KeyedLocks<K> {
    fn default() -> Self {
        KeyedLocks {
            map: Mutex::new(HashMap::new()),
        }
    }
}

/// Held while the caller works on `key`; released (and the entry dropped
/// when nobody else holds or waits) on drop — also when the caller gives
/// up while still waiting (its future dropped).
pub struct KeyedGuard<'a, K: Hash + Eq + Clone> {
    locks: &'a KeyedLocks<K>,
    key: K,
    mutex: Option<Arc<tokio::sync::Mutex<()>>>,
    guard: Option<OwnedMutexGuard<()>>,
}

impl<K: Hash + Eq + Clone> KeyedLocks<K> {
    pub async fn lock(&self, key: K) -> KeyedGuard<'_, K> {
        let mutex = self
            .map
            .lock()
            .expect("keyed locks")
            .entry(key.clone())
            .or_default()
            .clone();
        // From here a cancelled wait tidies up too (the guard's drop).
        let mut held = KeyedGuard {
            locks: self,
            key,
            mutex: Some(mutex.clone()),
            guard: None,
        };
        held.guard = Some(mutex.lock_owned().await);
        held
    }

    /// Keys with a holder or a waiter (tests).
    pub fn len(&self) -> usize {
        self.map.lock().expect("keyed locks").len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<K: Hash + Eq + Clone> Drop for KeyedGuard<'_, K> {
    fn drop(&mut self) {
        drop(self.guard.take());
        drop(self.mutex.take());
        let mut map = self.locks.map.lock().expect("keyed locks");
        // Only the map's own reference left: nobody holds or waits. Waiters
        // clone the Arc under this same map lock, so the count is exact.
        if map
            .get(&self.key)
            .is_some_and(|m| Arc::strong_count(m) == 1)
        {
            map.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn same_key_waits_other_keys_do_not() {
        let locks = Arc::new(KeyedLocks::<u32>::default());
        let held = locks.lock(1).await;
        // Another key is free at once.
        let other = tokio::time::timeout(Duration::from_millis(100), locks.lock(2)).await;
        assert!(other.is_ok());
        drop(other);
        // The same key waits until the holder lets go.
        let l = locks.clone();
        let waiter = tokio::spawn(async move {
            let _g = l.lock(1).await;
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiter.is_finished());
        drop(held);
        waiter.await.unwrap();
        assert!(locks.is_empty(), "entries go once nobody holds or waits");
    }

    #[tokio::test]
    async fn a_waiter_that_gives_up_leaves_nothing_behind() {
        let locks = Arc::new(KeyedLocks::<u32>::default());
        let held = locks.lock(1).await;
        let l = locks.clone();
        let waiter = tokio::spawn(async move {
            let _g = l.lock(1).await;
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        drop(held);
        waiter.abort();
        let _ = waiter.await;
        assert!(locks.is_empty());
        // Given up while the holder still holds it, then the holder goes.
        let held = locks.lock(2).await;
        let l = locks.clone();
        let waiter = tokio::spawn(async move {
            let _g = l.lock(2).await;
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        waiter.abort();
        let _ = waiter.await;
        drop(held);
        assert!(locks.is_empty());
    }
}
