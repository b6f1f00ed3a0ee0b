//! Proctors' controls of an attempt: extra time, pause and resume, end now,
//! reopen — and the relay's own close at the deadline, recorded beside them.
//!
//! A control is checked and applied in one step by [`Attempt::control`]: an
//! error leaves the attempt unchanged. The relay applies it to a copy,
//! persists it with the event sequence number it follows, and only then
//! swaps the copy in; a restart replays events and controls in that order
//! through the same method, so the clock after a restart is exactly the
//! clock before it (a paused attempt stays paused).
//!
//! Time rules:
//! - Extra time moves the deadline later. It is never cut by the room's or
//!   the window's end; only the office's hard stop (a sitting's absolute
//!   end, when set) cuts it. Granted before the start, it is added at the
//!   start.
//! - A pause stops the clock: on resume the deadline moves by the paused
//!   time. A paused attempt takes no events and is never due, except at the
//!   hard stop.
//! - End closes a working attempt now, graded as at its deadline.
//! - Reopen (the exam office only) gives an ended attempt `minutes` more
//!   from now; its grade is dropped until it ends again.

use serde::{Deserialize, Serialize};

use crate::Millis;
use crate::attempt::{Attempt, AttemptStatus};

/// Most minutes one extra-time or reopen control grants.
pub const MAX_CONTROL_MINUTES: u32 = 240;

const MINUTE_MS: Millis = 60_000;

/// One control, as stored, sent to the student and written in the audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
// In the browser, read tag first (`tag_first`).
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Control {
    /// More working time (1 to [`MAX_CONTROL_MINUTES`] minutes).
    ExtraTime {
        minutes: u32,
    },
    Pause,
    Resume,
    /// Close a working attempt now, graded as at its deadline.
    End,
    /// Open an ended attempt again for `minutes` from now (exam office).
    Reopen {
        minutes: u32,
    },
    /// The relay closed the attempt at its deadline (or the hard stop).
    DeadlineClose,
}

impl Control {
    /// The wire and audit name (`"extra_time"`).
    pub fn name(&self) -> &'static str {
        match self {
            Control::ExtraTime { .. } => "extra_time",
            Control::Pause => "pause",
            Control::Resume => "resume",
            Control::End => "end",
            Control::Reopen { .. } => "reopen",
            Control::DeadlineClose => "deadline_close",
        }
    }
}

/// Why a control does not apply to an attempt (nothing changed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ControlError {
    /// Minutes outside 1..=[`MAX_CONTROL_MINUTES`].
    InvalidMinutes,
    /// The attempt has not started (pause, resume, end need a working one).
    NotStarted,
    /// The attempt is submitted or closed; only reopen applies.
    Final,
    /// Reopen needs an ended attempt.
    NotFinal,
    AlreadyPaused,
    NotPaused,
    /// The deadline has passed; the relay is closing the attempt.
    PastDeadline,
    /// The office's hard stop leaves no time to give.
    HardStop,
    /// A deadline close of an attempt that is not due.
    NotDue,
}

impl ControlError {
    pub fn as_str(self) -> &'static str {
        match self {
            ControlError::InvalidMinutes => "invalid_minutes",
            ControlError::NotStarted => "not_started",
            ControlError::Final => "final",
            ControlError::NotFinal => "not_final",
            ControlError::AlreadyPaused => "already_paused",
            ControlError::NotPaused => "not_paused",
            ControlError::PastDeadline => "past_deadline",
            ControlError::HardStop => "hard_stop",
            ControlError::NotDue => "not_due",
        }
    }

    /// A sentence for the proctor.
    pub fn explain(self) -> &'static str {
        match self {
            ControlError::InvalidMinutes => "minutes must be 1 to 240",
            ControlError::NotStarted => "the attempt has not started",
            ControlError::Final => "the attempt has ended; the exam office can reopen it",
            ControlError::NotFinal => "the attempt has not ended",
            ControlError::AlreadyPaused => "the attempt is already paused",
            ControlError::NotPaused => "the attempt is not paused",
            ControlError::PastDeadline => "the deadline has passed",
            ControlError::HardStop => "the exam office's hard stop leaves no time to give",
            ControlError::NotDue => "the attempt is not due",
        }
    }
}

/// What a control did, for the relay to follow up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// The deadline or the pause changed: tell the student, reschedule.
    Clock,
    /// The attempt ended: grade it, send the result.
    Ended,
    /// An ended attempt works again: drop its grade, tell the student.
    Reopened,
}

/// The attempt's clock and status as the student's page shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptClock {
    pub status: AttemptStatus,
    /// Relay time. While paused it moves on resume; count from
    /// `remaining_ms` instead.
    pub deadline_ms: Option<Millis>,
    pub paused: bool,
    /// Working time left; frozen while paused.
    pub remaining_ms: Option<Millis>,
    /// Extra time granted so far, in total.
    pub extra_ms: Millis,
}

fn minutes_ms(minutes: u32) -> Result<Millis, ControlError> {
    if minutes == 0 || minutes > MAX_CONTROL_MINUTES {
        return Err(ControlError::InvalidMinutes);
    }
    Ok(Millis::from(minutes) * MINUTE_MS)
}

/// `deadline` cut to the hard stop.
fn cut(deadline: Millis, hard_stop: Option<Millis>) -> Millis {
    hard_stop.map_or(deadline, |h| deadline.min(h))
}

impl Attempt {
    /// Checks and applies `control` at `now`. On error nothing changed.
    pub fn control(
        &mut self,
        control: &Control,
        now: Millis,
        grace_ms: Millis,
        hard_stop: Option<Millis>,
    ) -> Result<Effect, ControlError> {
        match control {
            Control::ExtraTime { minutes } => {
                let extra = minutes_ms(*minutes)?;
                match self.status {
                    AttemptStatus::NotStarted => {
                        self.extra_ms += extra;
                        Ok(Effect::Clock)
                    }
                    AttemptStatus::Working => {
                        let deadline = self.deadline_ms.unwrap_or(now);
                        if self.is_due(now, grace_ms, hard_stop) {
                            return Err(ControlError::PastDeadline);
                        }
                        if hard_stop.is_some_and(|h| deadline >= h) {
                            return Err(ControlError::HardStop);
                        }
                        self.extra_ms += extra;
                        self.deadline_ms = Some(cut(deadline + extra, hard_stop));
                        Ok(Effect::Clock)
                    }
                    AttemptStatus::Submitted | AttemptStatus::Closed => Err(ControlError::Final),
                }
            }
            Control::Pause => {
                self.working()?;
                if self.paused_at.is_some() {
                    return Err(ControlError::AlreadyPaused);
                }
                if self.deadline_ms.is_some_and(|d| now > d) {
                    return Err(ControlError::PastDeadline);
                }
                self.paused_at = Some(now);
                Ok(Effect::Clock)
            }
            Control::Resume => {
                self.working()?;
                let Some(paused_at) = self.paused_at else {
                    return Err(ControlError::NotPaused);
                };
                let stood = (now - paused_at).max(0);
                self.deadline_ms = self.deadline_ms.map(|d| cut(d + stood, hard_stop));
                self.paused_at = None;
                Ok(Effect::Clock)
            }
            Control::End => {
                self.working()?;
                self.close(now);
                Ok(Effect::Ended)
            }
            Control::Reopen { minutes } => {
                let more = minutes_ms(*minutes)?;
                if !self.status.is_final() {
                    return Err(ControlError::NotFinal);
                }
                if hard_stop.is_some_and(|h| now >= h) {
                    return Err(ControlError::HardStop);
                }
                self.status = AttemptStatus::Working;
                self.deadline_ms = Some(cut(now + more, hard_stop));
                self.finished_ms = None;
                self.paused_at = None;
                self.last_activity_ms = Some(now);
                Ok(Effect::Reopened)
            }
            Control::DeadlineClose => {
                if !self.is_due(now, grace_ms, hard_stop) {
                    return Err(ControlError::NotDue);
                }
                self.close(now);
                Ok(Effect::Ended)
            }
        }
    }

    fn working(&self) -> Result<(), ControlError> {
        match self.status {
            AttemptStatus::Working => Ok(()),
            AttemptStatus::NotStarted => Err(ControlError::NotStarted),
            AttemptStatus::Submitted | AttemptStatus::Closed => Err(ControlError::Final),
        }
    }

    /// The clock as the student's page needs it.
    pub fn clock(&self, now: Millis) -> AttemptClock {
        AttemptClock {
            status: self.status,
            deadline_ms: self.deadline_ms,
            paused: self.paused_at.is_some(),
            remaining_ms: self.remaining_ms(now),
            extra_ms: self.extra_ms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::AnswerValue;
    use crate::attempt::{Decision, StudentEvent};
    use crate::exam::tests::small_exam;
    use crate::exam::{OptionId, QuestionId};

    const MIN: Millis = 60_000;
    const GRACE: Millis = 3_000;

    fn answer() -> StudentEvent {
        StudentEvent::Answer {
            question: QuestionId(1),
            value: Some(AnswerValue::Choice(OptionId(0))),
        }
    }

    /// Started at 0 with 45 minutes; the window closes at 45 minutes.
    fn working() -> Attempt {
        let mut a = Attempt::default();
        a.start(0, 45 * MIN, 45 * MIN, None).unwrap();
        a
    }

    #[test]
    fn extra_time_passes_the_window_close_but_not_a_hard_stop() {
        let mut a = working();
        assert_eq!(
            a.control(&Control::ExtraTime { minutes: 10 }, 40 * MIN, GRACE, None),
            Ok(Effect::Clock)
        );
        assert_eq!(a.deadline_ms, Some(55 * MIN), "past the window's close");
        assert_eq!(a.extra_ms, 10 * MIN);

        let mut b = working();
        let hard = Some(50 * MIN);
        b.control(&Control::ExtraTime { minutes: 10 }, 40 * MIN, GRACE, hard)
            .unwrap();
        assert_eq!(b.deadline_ms, Some(50 * MIN), "cut by the hard stop");
        assert_eq!(
            b.control(&Control::ExtraTime { minutes: 5 }, 41 * MIN, GRACE, hard),
            Err(ControlError::HardStop)
        );
        for minutes in [0, MAX_CONTROL_MINUTES + 1] {
            assert_eq!(
                b.control(&Control::ExtraTime { minutes }, 41 * MIN, GRACE, None),
                Err(ControlError::InvalidMinutes)
            );
        }
    }

    #[test]
    fn extra_time_before_the_start_is_added_at_the_start() {
        let mut a = Attempt::default();
        a.control(&Control::ExtraTime { minutes: 15 }, 0, GRACE, None)
            .unwrap();
        a.start(10 * MIN, 45 * MIN, 45 * MIN, None).unwrap();
        assert_eq!(a.deadline_ms, Some(60 * MIN), "window end, then 15 more");
    }

    #[test]
    fn a_pause_stops_the_clock_across_the_deadline() {
        let exam = small_exam();
        let mut a = working();
        a.control(&Control::Pause, 40 * MIN, GRACE, None).unwrap();
        assert_eq!(a.remaining_ms(50 * MIN), Some(5 * MIN), "frozen");
        assert!(!a.is_due(60 * MIN, GRACE, None), "never due while paused");
        assert_eq!(a.next_due(GRACE, None), None);
        // A click from just before the pause still counts; later ones not.
        assert_eq!(
            a.decide(&exam, 1, &answer(), 40 * MIN + GRACE, GRACE),
            Decision::Accept
        );
        assert_eq!(
            a.decide(&exam, 1, &answer(), 40 * MIN + GRACE + 1, GRACE),
            Decision::Paused { expected: 1 }
        );
        assert_eq!(
            a.decide(&exam, 3, &answer(), 60 * MIN, GRACE),
            Decision::Paused { expected: 1 },
            "past the old deadline, and ahead of a gap, the reason is the pause"
        );
        assert_eq!(
            a.control(&Control::Pause, 41 * MIN, GRACE, None),
            Err(ControlError::AlreadyPaused)
        );
        a.control(&Control::Resume, 70 * MIN, GRACE, None).unwrap();
        assert_eq!(
            a.deadline_ms,
            Some(75 * MIN),
            "moved by the 30 paused minutes"
        );
        assert_eq!(a.remaining_ms(70 * MIN), Some(5 * MIN));
        assert_eq!(
            a.decide(&exam, 1, &answer(), 71 * MIN, GRACE),
            Decision::Accept
        );
        assert_eq!(
            a.control(&Control::Resume, 71 * MIN, GRACE, None),
            Err(ControlError::NotPaused)
        );
    }

    #[test]
    fn the_hard_stop_ends_even_a_paused_attempt() {
        let mut a = working();
        let hard = Some(50 * MIN);
        a.control(&Control::Pause, 40 * MIN, GRACE, hard).unwrap();
        assert_eq!(a.next_due(GRACE, hard), Some(50 * MIN + GRACE + 1));
        assert!(a.is_due(50 * MIN + GRACE + 1, GRACE, hard));
        assert_eq!(
            a.control(&Control::DeadlineClose, 50 * MIN + GRACE + 1, GRACE, hard),
            Ok(Effect::Ended)
        );
        assert_eq!(a.status, AttemptStatus::Closed);
        assert_eq!(a.paused_at, None);
    }

    #[test]
    fn end_then_reopen_then_end_again() {
        let mut a = working();
        assert_eq!(
            a.control(&Control::Reopen { minutes: 5 }, 10 * MIN, GRACE, None),
            Err(ControlError::NotFinal)
        );
        assert_eq!(
            a.control(&Control::End, 10 * MIN, GRACE, None),
            Ok(Effect::Ended)
        );
        assert_eq!(a.status, AttemptStatus::Closed);
        assert_eq!(
            a.control(&Control::Pause, 11 * MIN, GRACE, None),
            Err(ControlError::Final)
        );
        assert_eq!(
            a.control(&Control::ExtraTime { minutes: 5 }, 11 * MIN, GRACE, None),
            Err(ControlError::Final)
        );
        assert_eq!(
            a.control(&Control::Reopen { minutes: 20 }, 60 * MIN, GRACE, None),
            Ok(Effect::Reopened)
        );
        assert_eq!(a.status, AttemptStatus::Working);
        assert_eq!(a.deadline_ms, Some(80 * MIN), "20 minutes from the reopen");
        assert_eq!(a.finished_ms, None);
        assert_eq!(
            a.control(&Control::DeadlineClose, 70 * MIN, GRACE, None),
            Err(ControlError::NotDue)
        );
        assert_eq!(
            a.control(
                &Control::Reopen { minutes: 20 },
                60 * MIN,
                GRACE,
                Some(60 * MIN)
            ),
            Err(ControlError::NotFinal)
        );
        a.control(&Control::End, 61 * MIN, GRACE, None).unwrap();
        assert_eq!(
            a.control(
                &Control::Reopen { minutes: 5 },
                62 * MIN,
                GRACE,
                Some(62 * MIN)
            ),
            Err(ControlError::HardStop)
        );
    }

    #[test]
    fn nothing_applies_to_an_attempt_not_started_but_extra_time() {
        let mut a = Attempt::default();
        for c in [Control::Pause, Control::Resume, Control::End] {
            assert_eq!(a.control(&c, 0, GRACE, None), Err(ControlError::NotStarted));
        }
        assert_eq!(a, Attempt::default(), "refusals change nothing");
    }

    #[test]
    fn a_pause_after_the_deadline_is_refused() {
        let mut a = working();
        assert_eq!(
            a.control(&Control::Pause, 45 * MIN + 1, GRACE, None),
            Err(ControlError::PastDeadline)
        );
        assert_eq!(
            a.control(
                &Control::ExtraTime { minutes: 1 },
                45 * MIN + GRACE + 1,
                GRACE,
                None
            ),
            Err(ControlError::PastDeadline)
        );
    }

    #[test]
    fn controls_round_trip_as_tagged_json() {
        let c = Control::ExtraTime { minutes: 10 };
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, r#"{"kind":"extra_time","minutes":10}"#);
        assert_eq!(serde_json::from_str::<Control>(&json).unwrap(), c);
        assert_eq!(
            serde_json::to_string(&Control::Pause).unwrap(),
            format!(r#"{{"kind":"{}"}}"#, Control::Pause.name())
        );
    }
}
