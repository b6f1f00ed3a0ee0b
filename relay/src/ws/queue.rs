//! A connection's bounded outgoing queue, allocated as it fills.
//!
//! tokio's mpsc channel allocates a block of 32 slots up front — about
//! 1.8 KB per connection before anything is sent, which at 19,000 idle
//! students is 34 MB of empty slots. This queue is a `VecDeque` behind a
//! mutex that grows only while messages wait (almost never more than one
//! for a student), with the same semantics the connections need: bounded,
//! `try_send` that never waits, `send` that waits for room, and closing
//! when either side is gone.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

struct Shared<T> {
    items: Mutex<VecDeque<T>>,
    capacity: usize,
    /// Woken when an item arrives or the last sender leaves.
    arrived: Notify,
    /// Woken when an item leaves or the receiver is gone.
    left: Notify,
    senders: AtomicUsize,
    receiver_gone: AtomicBool,
}

/// Why an item was not queued.
#[derive(Debug, PartialEq, Eq)]
pub enum SendError {
    Full,
    Closed,
}

pub struct Sender<T>(Arc<Shared<T>>);
pub struct Receiver<T>(Arc<Shared<T>>);

/// A queue holding at most `capacity` items.
pub fn queue<T>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    let shared = Arc::new(Shared {
        items: Mutex::new(VecDeque::new()),
        capacity,
        arrived: Notify::new(),
        left: Notify::new(),
        senders: AtomicUsize::new(1),
        receiver_gone: AtomicBool::new(false),
    });
    (Sender(shared.clone()), Receiver(shared))
}

impl<T> Sender<T> {
    /// Queues `item`, or gives it back with the reason.
    fn push(&self, item: T) -> Result<(), (SendError, T)> {
        let mut items = self.0.items.lock().expect("queue lock");
        // Under the lock: the receiver's drop sets it under the same lock,
        // so nothing is queued after it is gone.
        if self.0.receiver_gone.load(Ordering::Acquire) {
            return Err((SendError::Closed, item));
        }
        if items.len() >= self.0.capacity {
            return Err((SendError::Full, item));
        }
        items.push_back(item);
        drop(items);
        self.0.arrived.notify_one();
        Ok(())
    }

    /// Queues `item` if there is room, never waiting.
    pub fn try_send(&self, item: T) -> Result<(), SendError> {
        self.push(item).map_err(|(e, _)| e)
    }

    /// Queues `item`, waiting for room; fails once the receiver is gone.
    pub async fn send(&self, item: T) -> Result<(), SendError> {
        let mut item = item;
        loop {
            let left = self.0.left.notified();
            tokio::pin!(left);
            // Registered before the attempt, so room made between the two
            // is not missed.
            left.as_mut().enable();
            match self.push(item) {
                Ok(()) => return Ok(()),
                Err((SendError::Closed, _)) => return Err(SendError::Closed),
                Err((SendError::Full, back)) => item = back,
            }
            left.await;
        }
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        self.0.senders.fetch_add(1, Ordering::AcqRel);
        Sender(self.0.clone())
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        if self.0.senders.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0.arrived.notify_one();
        }
    }
}

impl<T> Receiver<T> {
    /// The next item; `None` once every sender is gone and nothing is left.
    pub async fn recv(&mut self) -> Option<T> {
        loop {
            let arrived = self.0.arrived.notified();
            tokio::pin!(arrived);
            arrived.as_mut().enable();
            let next = self.0.items.lock().expect("queue lock").pop_front();
            if let Some(item) = next {
                self.0.left.notify_waiters();
                return Some(item);
            }
            if self.0.senders.load(Ordering::Acquire) == 0 {
                return None;
            }
            arrived.await;
        }
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        let mut items = self.0.items.lock().expect("queue lock");
        self.0.receiver_gone.store(true, Ordering::Release);
        items.clear();
        drop(items);
        self.0.left.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn bounded_in_order_and_closing() {
        let (tx, mut rx) = queue::<u32>(2);
        tx.try_send(1).unwrap();
        tx.try_send(2).unwrap();
        assert_eq!(tx.try_send(3), Err(SendError::Full));
        // `send` waits for room.
        let tx2 = tx.clone();
        let waiting = tokio::spawn(async move { tx2.send(3).await });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!waiting.is_finished());
        assert_eq!(rx.recv().await, Some(1));
        waiting.await.unwrap().unwrap();
        assert_eq!(rx.recv().await, Some(2));
        assert_eq!(rx.recv().await, Some(3));
        // Every sender gone: the receiver ends once empty.
        drop(tx);
        assert_eq!(rx.recv().await, None);
    }

    #[tokio::test]
    async fn senders_learn_the_receiver_is_gone() {
        let (tx, rx) = queue::<u32>(1);
        tx.try_send(1).unwrap();
        let tx2 = tx.clone();
        let waiting = tokio::spawn(async move { tx2.send(2).await });
        tokio::time::sleep(Duration::from_millis(20)).await;
        drop(rx);
        assert_eq!(waiting.await.unwrap(), Err(SendError::Closed));
        assert_eq!(tx.try_send(3), Err(SendError::Closed));
    }
}
