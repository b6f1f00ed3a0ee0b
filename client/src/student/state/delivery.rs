//! The outbox and local storage: how a numbered event is recorded, stored,
//! sent, resent, and settled by the relay's acks and refusals.
//!
//! The relay decides every event once, in order, and a refused event still
//! spends its number (`shared/src/attempt.rs`): the event could never be
//! right, so it is dropped and the reason shown. An event that arrives while
//! the attempt is *paused* is not refused: the relay stores nothing, spends
//! nothing and answers `paused` with the number to resend from. The page
//! then holds its outbox — every answer keeps its number — and sends it
//! again, in order, once a control or a welcome says the attempt works.

use examgate_shared::attempt::StudentEvent;
use examgate_shared::protocol::StudentToRelay;

use super::super::records::{LocalAttempt, PaperCache};
use super::ExamState;

/// The reducer's only ways out.
pub trait ExamIo {
    /// Writes the reload-proof record (`examgate.attempt.<id>`).
    fn persist(&self, local: &LocalAttempt);
    /// Remembers the paper for a reload without network.
    fn cache_paper(&self, cache: &PaperCache);
    /// Remembers, for this tab only, that it showed the attempt working, so
    /// a reload can be told from a first load.
    fn mark_working(&self);
    /// Sends if the link is live; `false` if not (the next welcome resends).
    fn send(&self, msg: &StudentToRelay) -> bool;
}

impl ExamState {
    pub(super) fn persist(&self) {
        if !self.read_only() {
            self.io.persist(&self.local);
        }
    }

    pub(super) fn send(&self, msg: &StudentToRelay) -> bool {
        self.io.send(msg)
    }

    pub(super) fn cache_paper(&self, cache: &PaperCache) {
        self.io.cache_paper(cache);
    }

    pub(super) fn mark_working(&self) {
        self.io.mark_working();
    }

    /// The click path: queue, show, store, send (unless held).
    pub(super) fn record(&mut self, event: StudentEvent) {
        let item = self.local.outbox.push(event);
        self.refresh_answers();
        self.persist();
        if !self.held {
            self.send(&StudentToRelay::Event {
                seq: item.seq,
                event: item.event,
            });
        }
    }

    /// Sends everything the outbox holds, in order, unless paused or held:
    /// the relay would only answer `paused` again.
    pub(super) fn resend_all(&self) {
        if self.paused() || self.held {
            return;
        }
        for p in self.local.outbox.pending() {
            let sent = self.send(&StudentToRelay::Event {
                seq: p.seq,
                event: p.event.clone(),
            });
            if !sent {
                break; // the link dropped; the next welcome starts over
            }
        }
    }

    /// The relay handled everything up to `upto`; `refused` among them was
    /// refused. Applies the rest to the relay mirror, then drops them.
    pub(super) fn settle(&mut self, upto: u64, refused: Option<u64>) {
        let relay = &mut self.local.relay;
        for p in self.local.outbox.pending() {
            if p.seq > upto {
                break;
            }
            if p.seq <= relay.acked_seq {
                continue;
            }
            if p.seq != relay.acked_seq + 1 {
                // A hole in our mirror: stop predicting; the next welcome
                // brings the relay's own copy.
                break;
            }
            if Some(p.seq) == refused {
                relay.consume_refused(p.seq);
            } else {
                relay.apply(p.seq, &p.event, self.now);
            }
        }
        self.local.outbox.ack(upto);
        self.refresh_answers();
        self.persist();
    }
}
