//! What the relay says on `/ws/student`, and what the link does: the
//! welcome (the relay's copy of the attempt, its clock, its unread
//! messages), acks and refusals, proctors' controls, messages, the result,
//! errors and closes.

use std::collections::BTreeMap;
use std::rc::Rc;

use examgate_shared::Millis;
use examgate_shared::attempt::{Attempt, AttemptStatus};
use examgate_shared::control::{AttemptClock, Control};
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::paper::Paper;
use examgate_shared::protocol::{AttemptView, RelayToStudent};

use super::super::records::PaperCache;
use super::{ControlNotice, ExamState, FinalResult, NOTICE_MS, Notice};
use crate::socket::{Link, Refusal, Stop};

/// The mirror's `paused_at` for a clock the relay reports: the relay time
/// at which `deadline − paused_at` is the frozen time left, so the shared
/// [`Attempt::remaining_ms`] gives it back. Without a deadline (never
/// sent for a working attempt) the pause counts from `relay_now`.
fn frozen_at(
    paused: bool,
    deadline: Option<Millis>,
    remaining: Option<Millis>,
    relay_now: Millis,
) -> Option<Millis> {
    if !paused {
        return None;
    }
    Some(match (deadline, remaining) {
        (Some(deadline), Some(remaining)) => deadline - remaining,
        _ => relay_now,
    })
}

impl ExamState {
    pub(super) fn on_relay(&mut self, msg: RelayToStudent, at: Millis) {
        self.now = at;
        match msg {
            RelayToStudent::Welcome {
                echo,
                relay_time,
                attempt,
                paper,
            } => {
                // A new connection: the PC clock may have been changed since
                // the last one, so start the estimate afresh.
                self.clock.reset();
                self.clock.observe(echo, relay_time, at);
                self.last_error = None;
                self.welcome(attempt, paper, relay_time);
            }
            RelayToStudent::Pong { echo, relay_time } => {
                self.clock.observe(echo, relay_time, at);
            }
            RelayToStudent::Ack { seq } => self.settle(seq, None),
            RelayToStudent::Refused { seq, error } => {
                self.settle(seq, Some(seq));
                self.show(error.code);
            }
            RelayToStudent::Result { status, grade } => {
                self.local.relay.status = status;
                self.local.relay.paused_at = None;
                self.result = Some(Rc::new(FinalResult { status, grade }));
                self.dialog_open = false;
            }
            RelayToStudent::Control { control, clock } => self.on_control(control, &clock),
            RelayToStudent::Message { message } => self.add_message(message),
            RelayToStudent::Error { error, .. } => self.on_error(&error),
        }
    }

    fn welcome(&mut self, attempt: AttemptView, paper: Option<Paper>, relay_time: Millis) {
        self.candidate_name = attempt.candidate_name;
        let deadline = (attempt.deadline_ms > 0).then_some(attempt.deadline_ms);
        self.local.relay = Attempt {
            status: attempt.status,
            deadline_ms: deadline,
            acked_seq: attempt.acked_seq,
            // Extended rather than collected: collecting into a B-tree
            // sorts first, a sort compiled for this type only.
            answers: {
                let mut answers = BTreeMap::new();
                answers.extend(attempt.answers);
                answers
            },
            paused_at: frozen_at(attempt.paused, deadline, attempt.remaining_ms, relay_time),
            extra_ms: attempt.extra_ms,
            ..Attempt::default()
        };
        let working = attempt.status == AttemptStatus::Working;
        if working {
            // Reopened while this page was away: the exam is back.
            self.result = None;
        }
        self.fullscreen_asked = attempt.fullscreen;
        self.held = false;
        // A refusal whose message was lost with the last connection: its
        // number is covered by `acked_seq`, so reconcile drops the event;
        // say why, as the `refused` message would have.
        let lost_refusal = attempt
            .refused
            .iter()
            .rev()
            .find(|r| self.local.outbox.pending().any(|p| p.seq == r.seq))
            .map(|r| r.code);
        self.local.outbox.reconcile(attempt.acked_seq);
        if let Some(paper) = paper {
            let paper = Rc::new(paper);
            if working {
                self.cache_paper(&PaperCache {
                    paper: (*paper).clone(),
                    candidate_name: self.candidate_name.clone(),
                    clock: self.clock,
                });
            }
            self.paper = Some(paper);
        }
        self.clamp_current();
        self.refresh_answers();
        self.persist();
        if working {
            self.mark_working();
            self.resend_all();
        }
        self.welcome_messages(attempt.messages);
        if let Some(code) = lost_refusal {
            self.show(code);
        }
        self.report_reload();
        self.flush_unsent();
    }

    /// The relay's clock after a control, mirrored.
    fn apply_clock(&mut self, clock: &AttemptClock) {
        let relay_now = self.clock.relay_now(self.now);
        let mirror = &mut self.local.relay;
        mirror.status = clock.status;
        mirror.deadline_ms = clock.deadline_ms;
        mirror.extra_ms = clock.extra_ms;
        mirror.paused_at = frozen_at(
            clock.paused,
            clock.deadline_ms,
            clock.remaining_ms,
            relay_now,
        );
    }

    fn on_control(&mut self, control: Control, clock: &AttemptClock) {
        let was_paused = self.paused();
        self.apply_clock(clock);
        if clock.status == AttemptStatus::Working {
            // A reopen: back to the paper, with the answers this page holds.
            self.result = None;
        }
        if !self.can_answer() {
            self.dialog_open = false;
        }
        self.persist();
        if (was_paused || self.held) && !self.paused() {
            // Held while paused; the relay takes them now.
            self.held = false;
            self.resend_all();
        }
        let shown = match control {
            Control::ExtraTime { .. } | Control::Resume | Control::End | Control::Reopen { .. } => {
                Some(control)
            }
            // The paused screen and the time-up banner say these.
            Control::Pause | Control::DeadlineClose => None,
        };
        if let Some(control) = shown {
            self.control_notice = Some(ControlNotice {
                control,
                until: self.now + NOTICE_MS,
            });
        }
    }

    fn on_error(&mut self, error: &ErrorBody) {
        match error.code {
            // The relay is missing numbers we hold: everything again, in
            // order (it ignores the ones it has).
            ErrorCode::OutOfOrder => self.resend_all(),
            // Nothing stored, nothing spent: hold the outbox until a
            // control or a welcome says the attempt works. The pause itself
            // is shown by its control, never guessed from this.
            ErrorCode::Paused => {
                self.held = true;
                self.persist();
            }
            // Explained by the close that follows.
            ErrorCode::Unauthorized | ErrorCode::Replaced => {
                self.last_error = Some(error.code);
            }
            code => {
                self.last_error = Some(code);
                self.show(code);
            }
        }
    }

    pub(super) fn on_link(&mut self, link: Link) {
        self.link = link;
        match link {
            Link::Stopped(Stop::Policy(reason)) => {
                match Refusal::new(self.last_error.or(reason)) {
                    Refusal::SignedOut(code) => self.signed_out = Some(code),
                    Refusal::Fatal(code) => self.fatal = Some(code),
                }
                self.dialog_open = false;
            }
            Link::Stopped(_) => self.dialog_open = false,
            _ => {}
        }
    }

    fn show(&mut self, code: ErrorCode) {
        self.notice = Some(Notice {
            code,
            until: self.now + NOTICE_MS,
        });
    }
}
