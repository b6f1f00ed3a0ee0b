//! The outbox and local storage: how a numbered event is recorded, stored,
//! sent, resent, and settled by the relay's acks and refusals.
//!
//! The relay decides every event once, in order, and a refused event still
//! spends its number (`shared/src/attempt.rs`). Most refusals are final: the
//! event could never be right, so it is dropped and the reason shown. A
//! refusal because the attempt is *paused* is not about the event at all:
//! the answer is still the student's and must reach the relay after the
//! resume. The outbox cannot take a spent number back, so such an event,
//! and every one queued after it, is queued again in the same order under
//! new numbers that follow the spent one ([`ExamState::hold_for_pause`]).
//! Nothing is sent until the resume, so the relay never sees the new
//! numbers before it has judged the old ones still on the wire; those
//! arrive paused too and are held the same way.

use examgate_shared::attempt::StudentEvent;
use examgate_shared::outbox::Outbox;
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

    /// The click path: queue, show, store, send.
    pub(super) fn record(&mut self, event: StudentEvent) {
        let item = self.local.outbox.push(event);
        self.refresh_answers();
        self.persist();
        self.send(&StudentToRelay::Event {
            seq: item.seq,
            event: item.event,
        });
    }

    /// Sends everything the outbox holds, in order, unless paused: the
    /// relay would refuse it and spend the numbers.
    pub(super) fn resend_all(&self) {
        if self.paused() {
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

    /// Event `seq` arrived while the relay held the attempt paused: it
    /// spent the number and changed nothing. See the module doc.
    pub(super) fn hold_for_pause(&mut self, seq: u64) {
        self.settle(seq.saturating_sub(1), None);
        if self.local.relay.acked_seq + 1 == seq {
            self.local.relay.consume_refused(seq);
        }
        let mut requeued = Outbox::default();
        requeued.reconcile(self.local.relay.acked_seq.max(seq));
        for p in self.local.outbox.pending() {
            requeued.push(p.event.clone());
        }
        self.local.outbox = requeued;
        if !self.paused() {
            // The control saying so is late or lost; the refusal says it
            // anyway. The next welcome or control brings the real clock.
            self.local.relay.paused_at = Some(self.clock.relay_now(self.now));
            self.dialog_open = false;
        }
        self.refresh_answers();
        self.persist();
    }
}
