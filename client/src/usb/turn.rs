//! One exchange with the bridge at a time.
//!
//! Requests and replies share one pair of endpoints, so two tasks talking
//! to the bridge at once would read each other's replies. A [`Turn`] is a
//! small single-threaded async lock: each operation holds a [`TurnGuard`]
//! for its whole exchange, and the next waits. Dropping an operation's
//! future (the screen went away) drops its guard and passes the turn on.

use std::cell::{Cell, RefCell};
use std::future::poll_fn;
use std::task::{Poll, Waker};

#[derive(Debug, Default)]
pub(crate) struct Turn {
    taken: Cell<bool>,
    waiting: RefCell<Vec<Waker>>,
}

/// Holding it means having the turn.
#[derive(Debug)]
pub(crate) struct TurnGuard<'a> {
    turn: &'a Turn,
}

impl Turn {
    /// Waits until no one else has the turn, then takes it.
    pub(crate) async fn take(&self) -> TurnGuard<'_> {
        poll_fn(|cx| {
            if self.taken.replace(true) {
                self.waiting.borrow_mut().push(cx.waker().clone());
                Poll::Pending
            } else {
                Poll::Ready(TurnGuard { turn: self })
            }
        })
        .await
    }
}

impl Drop for TurnGuard<'_> {
    fn drop(&mut self) {
        self.turn.taken.set(false);
        // Wake everyone: a waiter whose future was dropped would swallow a
        // single wake-up and leave the others waiting for ever. The first
        // to run takes the turn; the rest queue again.
        let waiting = std::mem::take(&mut *self.turn.waiting.borrow_mut());
        for waker in waiting {
            waker.wake();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    use super::Turn;

    #[test]
    fn a_second_taker_waits_for_the_first_to_finish() {
        let turn = Turn::default();
        let mut cx = Context::from_waker(Waker::noop());
        let mut first = pin!(turn.take());
        let Poll::Ready(guard) = first.as_mut().poll(&mut cx) else {
            panic!("the turn is free");
        };
        let mut second = pin!(turn.take());
        assert!(second.as_mut().poll(&mut cx).is_pending());
        drop(guard);
        assert!(second.as_mut().poll(&mut cx).is_ready());
    }

    #[test]
    fn an_abandoned_waiter_does_not_block_the_next() {
        let turn = Turn::default();
        let mut cx = Context::from_waker(Waker::noop());
        let guard = pin!(turn.take()).poll(&mut cx);
        let Poll::Ready(guard) = guard else {
            panic!("the turn is free");
        };
        {
            let mut abandoned = pin!(turn.take());
            assert!(abandoned.as_mut().poll(&mut cx).is_pending());
        }
        let mut next = pin!(turn.take());
        assert!(next.as_mut().poll(&mut cx).is_pending());
        drop(guard);
        assert!(next.as_mut().poll(&mut cx).is_ready());
    }
}
