//! Closing attempts at their deadline, with no client involved.
//!
//! Each started attempt is scheduled here; one task sleeps until the earliest
//! due time (deadline + grace), closes and grades what is due, and sleeps
//! again. Starting an attempt wakes it in case the new deadline is earlier.
//! A close that fails to persist is retried a second later: an attempt is
//! never left open past its deadline.
//!
//! A shift's attempts often share one deadline: they are closed many at a
//! time, so their writes share the writer's group commits, and each sitting
//! is checked once per round for being done (results snapshot), not once
//! per attempt.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};
use std::sync::Mutex;
use std::time::Duration;

use examgate_shared::Millis;
use futures_util::StreamExt;
use tokio::sync::Notify;

use crate::AppState;
use crate::clock::now_ms;
use crate::model::AttemptId;

#[derive(Default)]
pub struct Deadlines {
    heap: Mutex<BinaryHeap<Reverse<(Millis, AttemptId)>>>,
    wake: Notify,
}

impl Deadlines {
    /// Schedules `attempt` to be checked at `due` (relay time).
    pub fn schedule(&self, due: Millis, attempt: AttemptId) {
        self.heap
            .lock()
            .expect("deadlines lock")
            .push(Reverse((due, attempt)));
        self.wake.notify_one();
    }

    fn next_due(&self) -> Option<Millis> {
        self.heap
            .lock()
            .expect("deadlines lock")
            .peek()
            .map(|r| r.0.0)
    }

    fn pop_due(&self, now: Millis) -> Vec<AttemptId> {
        let mut heap = self.heap.lock().expect("deadlines lock");
        let mut due = Vec::new();
        while heap.peek().is_some_and(|r| r.0.0 <= now) {
            due.push(heap.pop().expect("peeked").0.1);
        }
        due
    }
}

/// Closes in flight at once: enough to fill group commits.
const CLOSE_CONCURRENCY: usize = 64;

/// Runs forever, closing attempts as they fall due.
pub async fn run_closer(state: AppState) {
    loop {
        let now = now_ms();
        let due = state.deadlines.pop_due(now);
        let closed: Vec<_> = futures_util::stream::iter(due)
            .map(|attempt| {
                let state = state.clone();
                async move { (attempt, state.close_if_due(attempt).await) }
            })
            .buffer_unordered(CLOSE_CONCURRENCY)
            .collect()
            .await;
        let mut sittings = BTreeSet::new();
        for (attempt, outcome) in closed {
            match outcome {
                Ok(Some(sitting)) => {
                    sittings.insert(sitting);
                }
                Ok(None) => {}
                Err(e) => {
                    tracing::error!("closing attempt {attempt} failed, retrying: {e}");
                    state.deadlines.schedule(now + 1_000, attempt);
                }
            }
        }
        for sitting in sittings {
            state.snapshot_if_sitting_done(sitting).await;
        }
        let sleep_ms = match state.deadlines.next_due() {
            Some(due) => (due - now_ms()).clamp(0, 60_000),
            None => 60_000,
        };
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(sleep_ms as u64)) => {}
            _ = state.deadlines.wake.notified() => {}
        }
    }
}
