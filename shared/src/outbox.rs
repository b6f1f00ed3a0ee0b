//! The client's outbox: numbered events that the relay has not acknowledged.
//!
//! The browser keeps the outbox in local storage, so a reload or a dropped
//! network loses nothing. Every event gets the next sequence number and stays
//! here until an ack for it (or a later one — acks are cumulative) arrives.
//! After each (re)connect the relay's welcome says the highest number it
//! holds; [`Outbox::reconcile`] drops what it already has, and everything
//! still pending is sent again in order. The relay ignores duplicates, so
//! resending is always safe.

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};

use crate::answer::AnswerValue;
use crate::attempt::StudentEvent;
use crate::exam::QuestionId;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub seq: u64,
    pub event: StudentEvent,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outbox {
    next_seq: u64,
    pending: VecDeque<Pending>,
}

impl Default for Outbox {
    fn default() -> Self {
        Outbox {
            next_seq: 1,
            pending: VecDeque::new(),
        }
    }
}

impl Outbox {
    /// Queues `event` under the next number and returns the message to send.
    pub fn push(&mut self, event: StudentEvent) -> Pending {
        let item = Pending {
            seq: self.next_seq,
            event,
        };
        self.next_seq += 1;
        self.pending.push_back(item.clone());
        item
    }

    /// The relay holds everything up to and including `seq`.
    pub fn ack(&mut self, seq: u64) {
        while self.pending.front().is_some_and(|p| p.seq <= seq) {
            self.pending.pop_front();
        }
    }

    /// Aligns with the relay's `acked_seq` after a (re)connect: drops what it
    /// holds and makes sure new numbers continue after it (a fresh browser
    /// resuming an attempt starts numbering where the relay left off).
    pub fn reconcile(&mut self, relay_acked: u64) {
        self.ack(relay_acked);
        if self.pending.is_empty() {
            self.next_seq = self.next_seq.max(relay_acked + 1);
        } else if let Some(first) = self.pending.front().map(|p| p.seq)
            && first > relay_acked + 1
        {
            // The relay lost nothing it acknowledged, so a hole means these
            // numbers were made by another browser's outbox: renumber ours to
            // follow the relay's.
            let mut seq = relay_acked + 1;
            for p in &mut self.pending {
                p.seq = seq;
                seq += 1;
            }
            self.next_seq = seq;
        }
    }

    /// Everything to send, in order.
    pub fn pending(&self) -> impl Iterator<Item = &Pending> {
        self.pending.iter()
    }

    pub fn len(&self) -> usize {
        self.pending.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// Whether an answer to `question` is still waiting for its ack.
    pub fn has_unsaved_answer(&self, question: QuestionId) -> bool {
        self.pending
            .iter()
            .any(|p| matches!(&p.event, StudentEvent::Answer { question: q, .. } if *q == question))
    }

    /// The answers the student sees: the relay's, overlaid with ours that it
    /// does not have yet.
    pub fn overlay(&self, relay_answers: &mut BTreeMap<QuestionId, AnswerValue>) {
        for p in &self.pending {
            if let StudentEvent::Answer { question, value } = &p.event {
                match value {
                    Some(v) if !v.is_blank() => relay_answers.insert(*question, v.clone()),
                    _ => relay_answers.remove(question),
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::OptionId;

    fn answer(q: u32, c: Option<u8>) -> StudentEvent {
        StudentEvent::Answer {
            question: QuestionId(q),
            value: c.map(|c| AnswerValue::Choice(OptionId(c))),
        }
    }

    #[test]
    fn numbers_acks_and_overlay() {
        let mut o = Outbox::default();
        assert_eq!(o.push(answer(1, Some(0))).seq, 1);
        assert_eq!(o.push(answer(2, Some(1))).seq, 2);
        assert_eq!(o.push(answer(1, None)).seq, 3);
        o.ack(1);
        assert_eq!(o.pending().map(|p| p.seq).collect::<Vec<_>>(), [2, 3]);
        let mut answers = BTreeMap::from([(QuestionId(1), AnswerValue::Choice(OptionId(0)))]);
        o.overlay(&mut answers);
        assert_eq!(
            answers,
            BTreeMap::from([(QuestionId(2), AnswerValue::Choice(OptionId(1)))])
        );
        assert!(o.has_unsaved_answer(QuestionId(1)));
        o.ack(3);
        assert!(o.is_empty());
        assert_eq!(o.push(answer(3, Some(2))).seq, 4);
    }

    #[test]
    fn reconcile_drops_what_the_relay_has() {
        let mut o = Outbox::default();
        for q in 1..=4 {
            o.push(answer(q, Some(0)));
        }
        o.reconcile(2);
        assert_eq!(o.pending().map(|p| p.seq).collect::<Vec<_>>(), [3, 4]);
    }

    #[test]
    fn fresh_browser_continues_after_relay() {
        let mut o = Outbox::default();
        o.reconcile(7);
        assert_eq!(o.push(answer(1, Some(0))).seq, 8);
    }

    #[test]
    fn survives_serialisation() {
        let mut o = Outbox::default();
        o.push(answer(1, Some(2)));
        o.push(StudentEvent::Submit);
        let text = serde_json::to_string(&o).unwrap();
        let back: Outbox = serde_json::from_str(&text).unwrap();
        assert_eq!(back, o);
    }
}
