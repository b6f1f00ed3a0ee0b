//! The exam page's state machine: one reducer for everything the student
//! does, everything the relay says, and what the browser reports about the
//! page (hidden, blurred, full screen, a paste).
//!
//! A click follows one fixed path, synchronously inside the reducer:
//! push the event into the [`Outbox`](examgate_shared::outbox::Outbox) →
//! recompute the answers shown → persist the [`LocalAttempt`] → send if the
//! link is live. Persisting before sending means an ack can never arrive for
//! something a reload would forget. The outside world (storage, socket) is
//! reached through [`ExamIo`], so the reducer runs in host unit tests.
//!
//! The answers shown are always derived, never edited: the relay's answers
//! (as last welcomed, plus acknowledged events applied with the shared
//! [`Attempt::apply`](examgate_shared::attempt::Attempt::apply)) overlaid
//! with the outbox
//! ([`Outbox::overlay`](examgate_shared::outbox::Outbox::overlay)).
//!
//! The relay owns the clock and the status; proctors change them with
//! controls (extra time, pause, resume, end, reopen) that arrive as
//! `control` messages and are mirrored in the same [`Attempt`] the welcome
//! fills. While paused the page takes no answers and the outbox sends
//! nothing; what it holds goes out at the resume.
//!
//! The parts, by purpose:
//! - [`answers`]: what a click or a keystroke makes of a question's answer;
//! - [`delivery`]: the outbox and local storage — record, persist, resend,
//!   settle acks and refusals;
//! - [`relay`]: the socket's messages — welcome, acks, controls, messages,
//!   results, errors and link changes;
//! - [`signals`]: integrity signals and read receipts, which are not
//!   numbered and wait in memory for a live link.

mod answers;
mod delivery;
mod relay;
mod shortcut;
mod signals;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::rc::Rc;

use examgate_shared::Millis;
use examgate_shared::answer::AnswerValue;
use examgate_shared::attempt::{AttemptStatus, StudentEvent};
use examgate_shared::clock::ClockSync;
use examgate_shared::control::Control;
use examgate_shared::error::ErrorCode;
use examgate_shared::exam::QuestionId;
use examgate_shared::paper::{Paper, PaperQuestion, PaperSection};
use examgate_shared::proctoring::StudentMessage;
use examgate_shared::protocol::{RelayToStudent, StudentToRelay};
use examgate_shared::scoring::Grade;
use yew::Reducible;

pub use answers::{AnswerInput, Draft, TYPING_PAUSE_MS};
pub use delivery::ExamIo;
pub use shortcut::Shortcut;
use shortcut::option_input;
use signals::Watch;

use super::by_question::QuestionMap;
use super::records::{LocalAttempt, PaperCache, StudentSession};
use crate::socket::{Link, SocketEvent};

/// How long a refusal or a proctor's control stays on screen.
pub const NOTICE_MS: Millis = 8_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinalResult {
    pub status: AttemptStatus,
    pub grade: Grade,
}

/// A refusal shown for a while.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Notice {
    pub code: ErrorCode,
    pub until: Millis,
}

/// What a proctor just did to the attempt, shown for a while (a pause has
/// its own screen instead).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlNotice {
    pub control: Control,
    pub until: Millis,
}

/// What `#save-status` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveState {
    /// Live and nothing waiting.
    Saved,
    /// Live, this many events waiting for their ack.
    Pending(usize),
    /// Live but paused: this many events kept until the resume.
    Held(usize),
    /// Not live; this many events kept locally.
    Offline(usize),
}

#[derive(Clone)]
pub struct ExamState {
    io: Rc<dyn ExamIo>,
    pub link: Link,
    pub clock: ClockSync,
    /// Local time of the last tick or message.
    pub now: Millis,
    pub candidate_name: String,
    /// The paper as this candidate sees it. Also kept once the attempt is
    /// final: the result names options by the letters shown on it.
    pub paper: Option<Rc<Paper>>,
    pub local: LocalAttempt,
    /// Derived: relay answers overlaid with the outbox.
    pub answers: BTreeMap<QuestionId, AnswerValue>,
    /// Numeric boxes whose text is not the stored answer.
    pub drafts: QuestionMap<Draft>,
    pub result: Option<Rc<FinalResult>>,
    pub notice: Option<Notice>,
    pub control_notice: Option<ControlNotice>,
    /// Proctor messages not acknowledged yet, oldest first.
    pub messages: Vec<StudentMessage>,
    /// The room asks for full screen (from the welcome).
    pub fullscreen_asked: bool,
    pub dialog_open: bool,
    /// The relay no longer accepts the token: hand back to the join screen.
    pub signed_out: Option<ErrorCode>,
    /// The relay refused this client for good for another reason.
    pub fatal: Option<ErrorCode>,
    /// The last error message, which explains the close that follows it.
    last_error: Option<ErrorCode>,
    /// The relay answered `paused` to an event: send nothing until a
    /// control or a welcome says the attempt works (normally the pause's
    /// own control came first and `paused()` says so too).
    held: bool,
    /// Signals and read receipts waiting for a live link, oldest first.
    unsent: Vec<StudentToRelay>,
    watch: Watch,
}

pub enum ExamAction {
    /// Boxed: a welcome carries the paper, and every tick and click would
    /// otherwise move that much.
    Socket(Box<SocketEvent<RelayToStudent>>),
    Tick(Millis),
    /// The student answered (or un-answered) a question.
    Answer {
        question: QuestionId,
        input: AnswerInput,
    },
    Go(usize),
    Prev,
    Next,
    ToggleFlag,
    /// A key pressed on the exam page (`keys.rs`).
    Shortcut(Shortcut),
    OpenSubmit,
    CancelSubmit,
    ConfirmSubmit,
    DismissNotice,
    DismissControlNotice,
    /// The student acknowledged the proctor's message with this id.
    MessageSeen(u64),
    /// The page was hidden (`true`) or shown again, at local time `at`.
    PageHidden {
        hidden: bool,
        at: Millis,
    },
    /// The browser window lost (`false`) or regained the focus.
    WindowFocus {
        focused: bool,
        at: Millis,
    },
    /// The page is now in full screen (`true`) or not.
    Fullscreen(bool),
    /// Text was pasted into a question's numeric box.
    Pasted(QuestionId),
    /// This tab showed the attempt working before it was loaded again.
    Reloaded,
}

impl From<SocketEvent<RelayToStudent>> for ExamAction {
    fn from(event: SocketEvent<RelayToStudent>) -> Self {
        ExamAction::Socket(Box::new(event))
    }
}

impl ExamState {
    /// The state after a (re)load: the stored record, and the cached paper
    /// if this attempt was welcomed before.
    pub fn new(
        io: Rc<dyn ExamIo>,
        session: &StudentSession,
        local: LocalAttempt,
        cache: Option<PaperCache>,
        now: Millis,
    ) -> Self {
        // The cache is kept even for a final attempt: the relay sends no
        // paper then, and the result needs it to name options by the
        // letters this student saw.
        let (paper, clock, candidate_name) = match cache {
            Some(c) => (Some(Rc::new(c.paper)), c.clock, c.candidate_name),
            None => (None, ClockSync::default(), session.name.clone()),
        };
        let mut state = ExamState {
            io,
            link: Link::Connecting,
            clock,
            now,
            candidate_name,
            paper,
            local,
            answers: BTreeMap::new(),
            drafts: QuestionMap::default(),
            result: None,
            notice: None,
            control_notice: None,
            messages: Vec::new(),
            fullscreen_asked: false,
            dialog_open: false,
            signed_out: None,
            fatal: None,
            last_error: None,
            held: false,
            unsent: Vec::new(),
            watch: Watch::default(),
        };
        state.refresh_answers();
        state.clamp_current();
        state
    }

    // ------------------------------------------------------------ views

    pub fn status(&self) -> AttemptStatus {
        self.local.relay.status
    }

    pub fn deadline(&self) -> Option<Millis> {
        self.local.relay.deadline_ms
    }

    /// A proctor paused the working attempt.
    pub fn paused(&self) -> bool {
        self.status() == AttemptStatus::Working && self.local.relay.paused_at.is_some()
    }

    /// Time left on the relay's clock (frozen while paused); `None` before
    /// the deadline is known.
    pub fn remaining(&self) -> Option<Millis> {
        if self.paused() {
            // The mirror's pause time is the relay's, so the shared rule
            // gives the frozen time whatever `now` is.
            return self.local.relay.remaining_ms(self.now);
        }
        self.deadline()
            .map(|deadline| self.clock.remaining(deadline, self.now))
    }

    /// Extra time proctors granted, in total.
    pub fn extra_ms(&self) -> Millis {
        self.local.relay.extra_ms
    }

    pub fn time_up(&self) -> bool {
        self.remaining() == Some(0)
    }

    /// A submit is queued but not yet acknowledged.
    pub fn submit_pending(&self) -> bool {
        self.local
            .outbox
            .pending()
            .any(|p| p.event == StudentEvent::Submit)
    }

    /// Replaced, refused or signed out: this tab must neither change nor
    /// store anything, since another tab may own the stored record now.
    pub fn read_only(&self) -> bool {
        matches!(self.link, Link::Stopped(_)) || self.signed_out.is_some() || self.fatal.is_some()
    }

    /// The attempt is working here: not paused, not over, not read-only.
    fn working(&self) -> bool {
        self.status() == AttemptStatus::Working
            && !self.paused()
            && self.result.is_none()
            && !self.read_only()
    }

    pub fn can_answer(&self) -> bool {
        self.paper.is_some() && self.working() && !self.time_up() && !self.submit_pending()
    }

    pub fn save_state(&self) -> SaveState {
        let waiting = self.local.outbox.len();
        if !self.link.is_live() {
            SaveState::Offline(waiting)
        } else if waiting > 0 && (self.paused() || self.held) {
            SaveState::Held(waiting)
        } else if waiting > 0 {
            SaveState::Pending(waiting)
        } else {
            SaveState::Saved
        }
    }

    /// The room asks for full screen and the page is not in it.
    pub fn offer_fullscreen(&self) -> bool {
        self.fullscreen_asked && !self.watch.fullscreen && self.working()
    }

    pub fn current_question(&self) -> Option<&PaperQuestion> {
        self.paper.as_ref()?.questions.get(self.local.current)
    }

    fn toggle_flag(&mut self) {
        if let Some(id) = self.current_question().map(|q| q.id)
            && !self.read_only()
        {
            if !self.local.flags.remove(&id) {
                self.local.flags.insert(id);
            }
            self.persist();
        }
    }

    /// A keyboard shortcut, as the button it stands for would act; nothing
    /// behind the submit dialog, the paused screen or a proctor's message
    /// (each covers the paper until dealt with).
    fn shortcut(&mut self, shortcut: Shortcut) {
        if self.dialog_open || self.paused() || !self.messages.is_empty() {
            return;
        }
        match shortcut {
            Shortcut::Next => self.go(self.local.current + 1),
            Shortcut::Prev => self.go(self.local.current.saturating_sub(1)),
            Shortcut::Flag => self.toggle_flag(),
            Shortcut::Option(position) => {
                let Some((id, input)) = self
                    .current_question()
                    .and_then(|q| Some((q.id, option_input(q, position)?)))
                else {
                    return;
                };
                self.answer(id, input);
            }
        }
    }

    /// The section the question on screen belongs to.
    pub fn current_section(&self) -> Option<&PaperSection> {
        let current = self.local.current;
        self.paper
            .as_ref()?
            .sections
            .iter()
            .find(|s| (s.first..s.first + s.count).contains(&current))
    }

    pub fn is_flagged(&self, question: QuestionId) -> bool {
        self.local.flags.contains(&question)
    }

    /// Something on screen for `question` is not on the relay yet: an
    /// answer waiting for its ack, or a typed number not sent.
    pub fn is_unsaved(&self, question: QuestionId) -> bool {
        self.local.outbox.has_unsaved_answer(question) || self.drafts.contains_key(&question)
    }

    /// Whether `question` has an answer that counts (a cluster with nothing
    /// decided, an empty selection or an empty box does not).
    pub fn is_answered(&self, question: QuestionId) -> bool {
        self.answers.get(&question).is_some_and(|a| !a.is_blank())
    }

    /// Questions on the paper without an answer.
    pub fn unanswered(&self) -> usize {
        self.paper.as_ref().map_or(0, |p| {
            p.questions
                .iter()
                .filter(|q| !self.is_answered(q.id))
                .count()
        })
    }

    /// Questions on the paper flagged for review.
    pub fn flagged(&self) -> usize {
        self.paper.as_ref().map_or(0, |p| {
            p.questions.iter().filter(|q| self.is_flagged(q.id)).count()
        })
    }

    // ------------------------------------------------------------ helpers

    fn refresh_answers(&mut self) {
        let mut answers = self.local.relay.answers.clone();
        self.local.outbox.overlay(&mut answers);
        self.answers = answers;
    }

    fn clamp_current(&mut self) {
        let count = self.paper.as_ref().map_or(0, |p| p.questions.len());
        self.local.current = self.local.current.min(count.saturating_sub(1));
    }

    fn go(&mut self, index: usize) {
        // The question leaving the screen takes its typed number with it.
        self.flush_drafts(|_| true);
        self.local.current = index;
        self.clamp_current();
        self.persist();
    }

    fn tick(&mut self, now: Millis) {
        // Typed numbers due go out before the clock moves on, judged by the
        // time before this tick: one typed in the last moment still counts
        // rather than being stopped by the deadline it beat.
        let ending = !self.paused()
            && self
                .deadline()
                .is_some_and(|deadline| self.clock.remaining(deadline, now) == 0);
        self.flush_drafts(|edited| ending || edited + TYPING_PAUSE_MS <= now);
        self.now = now;
        if self.notice.is_some_and(|n| now >= n.until) {
            self.notice = None;
        }
        if self.control_notice.as_ref().is_some_and(|n| now >= n.until) {
            self.control_notice = None;
        }
        if self.dialog_open && !self.can_answer() {
            self.dialog_open = false;
        }
        self.settle_blur(now);
    }
}

impl Reducible for ExamState {
    type Action = ExamAction;

    fn reduce(self: Rc<Self>, action: ExamAction) -> Rc<Self> {
        let mut s = Rc::unwrap_or_clone(self);
        match action {
            ExamAction::Socket(event) => match *event {
                SocketEvent::Message { msg, at } => s.on_relay(msg, at),
                SocketEvent::Link(link) => s.on_link(link),
            },
            ExamAction::Tick(now) => s.tick(now),
            ExamAction::Answer { question, input } => s.answer(question, input),
            ExamAction::Go(index) => s.go(index),
            ExamAction::Prev => s.go(s.local.current.saturating_sub(1)),
            ExamAction::Next => s.go(s.local.current + 1),
            ExamAction::ToggleFlag => s.toggle_flag(),
            ExamAction::Shortcut(shortcut) => s.shortcut(shortcut),
            ExamAction::OpenSubmit => {
                // A number still in its box counts as answered in the
                // dialog's summary, and is handed in with the rest.
                s.flush_drafts(|_| true);
                s.dialog_open = s.can_answer();
            }
            ExamAction::CancelSubmit => s.dialog_open = false,
            ExamAction::ConfirmSubmit => {
                s.dialog_open = false;
                s.flush_drafts(|_| true);
                if s.can_answer() {
                    s.record(StudentEvent::Submit);
                }
            }
            ExamAction::DismissNotice => s.notice = None,
            ExamAction::DismissControlNotice => s.control_notice = None,
            ExamAction::MessageSeen(id) => s.message_seen(id),
            ExamAction::PageHidden { hidden, at } => s.page_hidden(hidden, at),
            ExamAction::WindowFocus { focused, at } => s.window_focus(focused, at),
            ExamAction::Fullscreen(on) => s.fullscreen(on),
            ExamAction::Pasted(question) => s.pasted(question),
            ExamAction::Reloaded => s.reloaded(),
        }
        Rc::new(s)
    }
}
