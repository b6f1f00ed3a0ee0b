//! The exam-attempt lifecycle, shared by the relay (which decides) and the
//! client (which predicts).
//!
//! ```text
//!  NotStarted ──start──▶ Working ──Submit event──▶ Submitted
//!                          │  ▲                          │
//!               pause/resume  │                          │
//!                          │  └──────reopen (office)─────┤
//!                          └──deadline + grace passed, or end──▶ Closed
//! ```
//!
//! Proctors change an attempt's clock and status with the controls of
//! [`crate::control`]: extra time, pause and resume, end, reopen. A paused
//! attempt takes no events and is never due; its deadline moves by the time
//! it was paused.
//!
//! Every student action is an [`StudentEvent`] numbered by the client with a
//! per-attempt sequence number starting at 1. The relay accepts sequence
//! numbers strictly in order: `acked_seq + 1` is next, anything at or below
//! `acked_seq` is a resend it already has (acknowledged again, changed
//! nothing), anything above is out of order (refused, nothing consumed).
//! A refused event (unknown question, too late, …) still consumes its number,
//! so the stream keeps going and a resend of it is recognised.
//!
//! Time is always passed in; the relay passes its own clock, never the
//! client's.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Millis;
use crate::answer::AnswerValue;
use crate::error::ErrorCode;
use crate::exam::{Exam, QuestionId};

/// How long after the deadline an event may still arrive and count, and when
/// the relay closes the attempt. It covers the network delay of a click made
/// just before the deadline; it is not extra working time (the client stops
/// taking answers at the deadline itself).
pub const DEFAULT_GRACE_MS: Millis = 3_000;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttemptStatus {
    #[default]
    NotStarted,
    Working,
    /// The student submitted before the deadline.
    Submitted,
    /// The relay closed the attempt at the deadline.
    Closed,
}

impl AttemptStatus {
    /// Submitted or closed: nothing more can change and a grade exists.
    pub fn is_final(self) -> bool {
        matches!(self, AttemptStatus::Submitted | AttemptStatus::Closed)
    }
}

/// One numbered thing a student did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
// In the browser, read tag first (`tag_first`).
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StudentEvent {
    /// Answer a question, or clear its answer with `value: null`.
    Answer {
        question: QuestionId,
        value: Option<AnswerValue>,
    },
    /// Hand in the attempt before the deadline.
    Submit,
}

/// What the relay should do with an incoming numbered event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// New and valid: persist it, then [`Attempt::apply`] it, then ack.
    Accept,
    /// Already stored: ack again, change nothing.
    Duplicate,
    /// New but invalid: persist the refusal, then
    /// [`Attempt::consume_refused`], then tell the client.
    Refuse(ErrorCode),
    /// A gap: nothing is stored or consumed; the client must resend from
    /// `expected`.
    OutOfOrder { expected: u64 },
    /// The attempt is paused: nothing is stored or consumed; the client
    /// holds its events and resends from `expected` after the resume. Not a
    /// refusal: the answer is still the student's, and a spent number could
    /// not be given back.
    Paused { expected: u64 },
}

/// Why an attempt could not be started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartError {
    /// The exam's window has already closed.
    WindowClosed,
}

/// The state of one attempt. The relay's copy is the truth; it is rebuilt at
/// start-up by replaying the stored events through the same methods.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Attempt {
    pub status: AttemptStatus,
    pub started_ms: Option<Millis>,
    pub deadline_ms: Option<Millis>,
    /// Highest sequence number handled (accepted or refused).
    pub acked_seq: u64,
    /// Current answer per question; cleared or blank answers are absent.
    pub answers: BTreeMap<QuestionId, AnswerValue>,
    pub last_activity_ms: Option<Millis>,
    pub finished_ms: Option<Millis>,
    /// Set while a proctor has paused the attempt: when the pause began.
    #[serde(default)]
    pub paused_at: Option<Millis>,
    /// Extra working time proctors granted, in total (shown, and added at
    /// the start to an attempt granted it before starting).
    #[serde(default)]
    pub extra_ms: Millis,
    /// The latest refusals (at most [`REMEMBERED_REFUSALS`]), oldest first:
    /// a welcome repeats them, so a refusal lost with a dropped connection
    /// still reaches the client (its number is covered by `acked_seq`).
    #[serde(default)]
    pub refused: Vec<RefusedEvent>,
}

/// How many refusals an attempt remembers for its welcome. A client has at
/// most its outbox in flight across a reconnect; more refusals than this
/// between two welcomes only lose the older reasons, never an answer (the
/// welcome's `answers` are the truth either way).
pub const REMEMBERED_REFUSALS: usize = 32;

/// A refused event: its number and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedEvent {
    pub seq: u64,
    pub code: ErrorCode,
}

impl Attempt {
    /// Starts the attempt at `now`. The deadline is `now + duration_ms`, cut
    /// to the exam window's close, plus any extra time granted before the
    /// start, cut to the office's hard stop. Starting a started attempt is a
    /// no-op that returns the existing deadline, so a reload never restarts
    /// the clock.
    pub fn start(
        &mut self,
        now: Millis,
        duration_ms: Millis,
        window_close_ms: Millis,
        hard_stop: Option<Millis>,
    ) -> Result<Millis, StartError> {
        if let Some(deadline) = self.deadline_ms {
            return Ok(deadline);
        }
        if now >= window_close_ms {
            return Err(StartError::WindowClosed);
        }
        // Extra time granted before the start is never cut by the window.
        let deadline = (now + duration_ms).min(window_close_ms) + self.extra_ms;
        let deadline = hard_stop.map_or(deadline, |h| deadline.min(h));
        self.status = AttemptStatus::Working;
        self.started_ms = Some(now);
        self.deadline_ms = Some(deadline);
        self.last_activity_ms = Some(now);
        Ok(deadline)
    }

    /// Decides what to do with event number `seq`, received at `now`.
    pub fn decide(
        &self,
        exam: &Exam,
        seq: u64,
        event: &StudentEvent,
        now: Millis,
        grace_ms: Millis,
    ) -> Decision {
        if seq <= self.acked_seq {
            return Decision::Duplicate;
        }
        // The grace covers a click made just before the pause, as it does
        // one made just before the deadline; a paused clock has no deadline
        // (a pause is never taken past it).
        if self.status == AttemptStatus::Working
            && self.paused_at.is_some_and(|p| now > p + grace_ms)
        {
            return Decision::Paused {
                expected: self.acked_seq + 1,
            };
        }
        if seq != self.acked_seq + 1 {
            return Decision::OutOfOrder {
                expected: self.acked_seq + 1,
            };
        }
        match self.status {
            AttemptStatus::Working => {}
            AttemptStatus::Submitted => return Decision::Refuse(ErrorCode::AttemptClosed),
            // Closed only ever happens at the deadline.
            AttemptStatus::Closed => return Decision::Refuse(ErrorCode::DeadlinePassed),
            AttemptStatus::NotStarted => return Decision::Refuse(ErrorCode::ExamNotOpen),
        }
        if self.paused_at.is_none() && self.deadline_ms.is_some_and(|d| now > d + grace_ms) {
            return Decision::Refuse(ErrorCode::DeadlinePassed);
        }
        match event {
            StudentEvent::Answer { question, value } => match exam.question(*question) {
                None => Decision::Refuse(ErrorCode::UnknownQuestion),
                Some(q) => match value.as_ref().map(|v| v.check(q)) {
                    Some(Err(code)) => Decision::Refuse(code),
                    _ => Decision::Accept,
                },
            },
            StudentEvent::Submit => Decision::Accept,
        }
    }

    /// Applies an event that [`Attempt::decide`] accepted.
    pub fn apply(&mut self, seq: u64, event: &StudentEvent, now: Millis) {
        debug_assert_eq!(seq, self.acked_seq + 1);
        self.acked_seq = seq;
        self.last_activity_ms = Some(now);
        match event {
            StudentEvent::Answer { question, value } => match value {
                Some(v) if !v.is_blank() => {
                    self.answers.insert(*question, v.clone());
                }
                _ => {
                    self.answers.remove(question);
                }
            },
            StudentEvent::Submit => {
                self.status = AttemptStatus::Submitted;
                self.finished_ms = Some(now);
            }
        }
    }

    /// Consumes the sequence number of a refused event.
    pub fn consume_refused(&mut self, seq: u64) {
        debug_assert_eq!(seq, self.acked_seq + 1);
        self.acked_seq = seq;
    }

    /// Consumes a refused event's number and remembers why, for the next
    /// welcome (the relay's copy; a client's mirror needs only the number).
    pub fn record_refusal(&mut self, seq: u64, code: ErrorCode) {
        self.consume_refused(seq);
        if self.refused.len() == REMEMBERED_REFUSALS {
            self.refused.remove(0);
        }
        self.refused.push(RefusedEvent { seq, code });
    }

    /// Whether the relay must close this attempt now. A paused attempt's
    /// clock stands still, so it is never due, except at the office's hard
    /// stop, which ends every attempt, paused or not.
    pub fn is_due(&self, now: Millis, grace_ms: Millis, hard_stop: Option<Millis>) -> bool {
        self.status == AttemptStatus::Working
            && (hard_stop.is_some_and(|h| now > h + grace_ms)
                || (self.paused_at.is_none()
                    && self.deadline_ms.is_some_and(|d| now > d + grace_ms)))
    }

    /// When the relay should next look at this attempt: the deadline plus
    /// grace, or while paused only the hard stop. `None`: nothing to close.
    pub fn next_due(&self, grace_ms: Millis, hard_stop: Option<Millis>) -> Option<Millis> {
        if self.status != AttemptStatus::Working {
            return None;
        }
        let deadline = match self.paused_at {
            Some(_) => None,
            None => self.deadline_ms.map(|d| d + grace_ms + 1),
        };
        let stop = hard_stop.map(|h| h + grace_ms + 1);
        match (deadline, stop) {
            (Some(d), Some(s)) => Some(d.min(s)),
            (d, s) => d.or(s),
        }
    }

    /// Closes a working attempt (deadline reached, or a proctor ended it).
    /// Returns false, changing nothing, when it was not working.
    pub fn close(&mut self, now: Millis) -> bool {
        if self.status != AttemptStatus::Working {
            return false;
        }
        self.status = AttemptStatus::Closed;
        self.finished_ms = Some(now);
        self.paused_at = None;
        true
    }

    /// The working time left at `now`: frozen while paused.
    pub fn remaining_ms(&self, now: Millis) -> Option<Millis> {
        let deadline = self.deadline_ms?;
        let at = self.paused_at.unwrap_or(now);
        Some((deadline - at).max(0))
    }

    pub fn answered(&self) -> usize {
        self.answers.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::OptionId;
    use crate::exam::tests::small_exam;

    fn answer(q: u32, c: u8) -> StudentEvent {
        StudentEvent::Answer {
            question: QuestionId(q),
            value: Some(AnswerValue::Choice(OptionId(c))),
        }
    }

    fn started() -> Attempt {
        let mut a = Attempt::default();
        a.start(1_000, 60_000, 1_000_000, None).unwrap();
        a
    }

    #[test]
    fn start_sets_deadline_cut_to_window_and_is_idempotent() {
        let mut a = Attempt::default();
        assert_eq!(a.start(1_000, 60_000, 30_000, None), Ok(30_000));
        assert_eq!(a.status, AttemptStatus::Working);
        // A second start (a reload) keeps the first deadline.
        assert_eq!(a.start(20_000, 60_000, 90_000, None), Ok(30_000));
        let mut late = Attempt::default();
        assert_eq!(
            late.start(5_000, 60_000, 5_000, None),
            Err(StartError::WindowClosed)
        );
        assert_eq!(late.status, AttemptStatus::NotStarted);
    }

    #[test]
    fn sequence_rules() {
        let exam = small_exam();
        let mut a = started();
        let e = answer(1, 2);
        assert_eq!(
            a.decide(&exam, 2, &e, 2_000, 0),
            Decision::OutOfOrder { expected: 1 }
        );
        assert_eq!(a.decide(&exam, 1, &e, 2_000, 0), Decision::Accept);
        a.apply(1, &e, 2_000);
        assert_eq!(a.decide(&exam, 1, &e, 2_000, 0), Decision::Duplicate);
        assert_eq!(a.answers[&QuestionId(1)], AnswerValue::Choice(OptionId(2)));
        // Changing and clearing answers.
        a.apply(2, &answer(1, 3), 2_100);
        a.apply(
            3,
            &StudentEvent::Answer {
                question: QuestionId(1),
                value: None,
            },
            2_200,
        );
        assert_eq!(a.answered(), 0);
        assert_eq!(a.acked_seq, 3);
    }

    #[test]
    fn refusals_consume_the_number() {
        let exam = small_exam();
        let mut a = started();
        assert_eq!(
            a.decide(&exam, 1, &answer(99, 0), 2_000, 0),
            Decision::Refuse(ErrorCode::UnknownQuestion)
        );
        assert_eq!(
            a.decide(&exam, 1, &answer(1, 7), 2_000, 0),
            Decision::Refuse(ErrorCode::UnknownOption)
        );
        a.record_refusal(1, ErrorCode::UnknownOption);
        assert_eq!(
            a.decide(&exam, 2, &answer(1, 0), 2_000, 0),
            Decision::Accept
        );
        assert!(a.answers.is_empty());
        assert_eq!(
            a.refused,
            vec![RefusedEvent {
                seq: 1,
                code: ErrorCode::UnknownOption
            }]
        );
        // Only the latest are remembered.
        for seq in 2..=(REMEMBERED_REFUSALS as u64 + 5) {
            a.record_refusal(seq, ErrorCode::InvalidAnswer);
        }
        assert_eq!(a.refused.len(), REMEMBERED_REFUSALS);
        assert_eq!(a.refused[0].seq, 6);
        assert_eq!(a.acked_seq, REMEMBERED_REFUSALS as u64 + 5);
    }

    #[test]
    fn deadline_and_grace() {
        let exam = small_exam();
        let a = started(); // deadline 61_000
        assert_eq!(
            a.decide(&exam, 1, &answer(1, 0), 61_000, 0),
            Decision::Accept
        );
        assert_eq!(
            a.decide(&exam, 1, &answer(1, 0), 63_000, 3_000),
            Decision::Accept
        );
        assert_eq!(
            a.decide(&exam, 1, &answer(1, 0), 64_001, 3_000),
            Decision::Refuse(ErrorCode::DeadlinePassed)
        );
        assert!(!a.is_due(64_000, 3_000, None));
        assert!(a.is_due(64_001, 3_000, None));
        assert_eq!(a.next_due(3_000, None), Some(64_001));
    }

    #[test]
    fn submit_and_close_are_final() {
        let exam = small_exam();
        let mut a = started();
        a.apply(1, &StudentEvent::Submit, 5_000);
        assert_eq!(a.status, AttemptStatus::Submitted);
        assert!(!a.close(100_000), "a submitted attempt is not closed again");
        assert_eq!(
            a.decide(&exam, 2, &answer(1, 0), 5_001, 0),
            Decision::Refuse(ErrorCode::AttemptClosed)
        );
        let mut b = started();
        assert!(b.close(70_000));
        assert_eq!(b.status, AttemptStatus::Closed);
        assert!(b.status.is_final());
        assert_eq!(
            b.decide(&exam, 1, &answer(1, 0), 70_001, 0),
            Decision::Refuse(ErrorCode::DeadlinePassed)
        );
        assert!(!b.is_due(1_000_000, 0, None));
    }

    #[test]
    fn not_started_refuses_answers() {
        let exam = small_exam();
        let a = Attempt::default();
        assert_eq!(
            a.decide(&exam, 1, &answer(1, 0), 0, 0),
            Decision::Refuse(ErrorCode::ExamNotOpen)
        );
    }
}
