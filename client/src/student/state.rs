//! The exam page's state machine: one reducer for everything the student
//! does and everything the relay says.
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
//! [`Attempt::apply`]) overlaid with the outbox
//! ([`Outbox::overlay`](examgate_shared::outbox::Outbox::overlay)).
//!
//! Every question kind takes that same path. An [`AnswerInput`] (a click on
//! an option, a true/false mark, …) is turned into the question's *whole*
//! new [`AnswerValue`] before it is queued, so each event stands alone: a
//! resend, a refusal or a reload never leaves half an answer behind.
//!
//! Typed numbers differ only in timing. What is in the box is a [`Draft`]
//! until Enter, leaving the box, moving to another question, or a pause in
//! typing ([`TYPING_PAUSE_MS`], driven by the clock tick) commits it; only
//! a number [`Decimal::parse`] accepts is sent, anything else keeps its
//! reason on screen and stays local.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use examgate_shared::Millis;
use examgate_shared::answer::AnswerValue;
use examgate_shared::attempt::{Attempt, AttemptStatus, StudentEvent};
use examgate_shared::clock::ClockSync;
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::exam::{OptionId, QuestionId};
use examgate_shared::numeric::{Decimal, NumericError};
use examgate_shared::paper::{Paper, PaperBody, PaperOption, PaperQuestion, PaperSection};
use examgate_shared::protocol::{AttemptView, RelayToStudent, StudentToRelay};
use examgate_shared::scoring::Grade;
use yew::Reducible;

use super::records::{LocalAttempt, PaperCache, StudentSession};
use crate::socket::{Link, Refusal, SocketEvent, Stop};

/// How long a refusal stays on screen.
pub const NOTICE_MS: Millis = 8_000;

/// A pause in typing this long sends a typed number: long enough not to
/// send every keystroke, short enough that a student who stops and looks
/// away has their answer saved.
pub const TYPING_PAUSE_MS: Millis = 800;

/// The reducer's only ways out.
pub trait ExamIo {
    /// Writes the reload-proof record (`examgate.attempt.<id>`).
    fn persist(&self, local: &LocalAttempt);
    /// Remembers the paper for a reload without network.
    fn cache_paper(&self, cache: &PaperCache);
    /// Sends if the link is live; `false` if not (the next welcome resends).
    fn send(&self, msg: &StudentToRelay) -> bool;
}

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

/// What `#save-status` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveState {
    /// Live and nothing waiting.
    Saved,
    /// Live, this many events waiting for their ack.
    Pending(usize),
    /// Not live; this many events kept locally.
    Offline(usize),
}

/// The text in a numeric answer box that is not (yet) the stored answer.
///
/// Kept in memory only: it becomes an answer, and so reload-proof, within
/// [`TYPING_PAUSE_MS`] of the last keystroke, and a number that does not
/// parse was never an answer to keep.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    pub text: String,
    /// When last edited, while a send is due; `None` once tried.
    pub edited_at: Option<Millis>,
    /// Why the text was not sent, from the last try. Cleared as soon as an
    /// edit makes the text acceptable.
    pub error: Option<NumericError>,
}

/// What the student did to one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerInput {
    /// Single choice: an option clicked; clicking the chosen one again
    /// clears the answer.
    Choose(OptionId),
    /// Multiple response: an option switched on or off.
    Toggle(OptionId),
    /// True/false cluster: statement `statement` (0-based) marked; the same
    /// mark again un-decides it.
    Decide { statement: usize, value: bool },
    /// Numeric: the box now holds `text` (local time `at`, for the pause).
    Type { text: String, at: Millis },
    /// Numeric: Enter, or focus left the box.
    Commit,
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
    pub drafts: BTreeMap<QuestionId, Draft>,
    pub result: Option<Rc<FinalResult>>,
    pub notice: Option<Notice>,
    pub dialog_open: bool,
    /// The relay no longer accepts the token: hand back to the join screen.
    pub signed_out: Option<ErrorCode>,
    /// The relay refused this client for good for another reason.
    pub fatal: Option<ErrorCode>,
    /// The last error message, which explains the close that follows it.
    last_error: Option<ErrorCode>,
}

pub enum ExamAction {
    Socket(SocketEvent<RelayToStudent>),
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
    OpenSubmit,
    CancelSubmit,
    ConfirmSubmit,
    DismissNotice,
}

impl From<SocketEvent<RelayToStudent>> for ExamAction {
    fn from(event: SocketEvent<RelayToStudent>) -> Self {
        ExamAction::Socket(event)
    }
}

/// The answer `input` makes of `current` on a question shown as `body`:
/// `Some(None)` clears it, `None` means the input does not fit the question
/// (a stale click after the paper changed) and is ignored.
///
/// A choice must name an option this paper shows; options are named by
/// their canonical id whatever their place, so grading never depends on
/// the shuffle.
fn next_value(
    body: &PaperBody,
    current: Option<&AnswerValue>,
    input: AnswerInput,
) -> Option<Option<AnswerValue>> {
    let shown = |options: &[PaperOption], id: OptionId| options.iter().any(|o| o.id == id);
    let value = match (input, body) {
        (AnswerInput::Choose(id), PaperBody::SingleChoice { options }) if shown(options, id) => {
            let chosen = AnswerValue::Choice(id);
            (current != Some(&chosen)).then_some(chosen)
        }
        (AnswerInput::Toggle(id), PaperBody::MultipleResponse { options })
            if shown(options, id) =>
        {
            let mut chosen = match current {
                Some(AnswerValue::Choices(set)) => set.clone(),
                _ => BTreeSet::new(),
            };
            if !chosen.remove(&id) {
                chosen.insert(id);
            }
            Some(AnswerValue::Choices(chosen))
        }
        (AnswerInput::Decide { statement, value }, PaperBody::TrueFalse { statements })
            if statement < statements.len() =>
        {
            let mut marks = match current {
                Some(AnswerValue::TrueFalse(marks)) => marks.clone(),
                _ => Vec::new(),
            };
            // The relay wants exactly one entry per statement.
            marks.resize(statements.len(), None);
            marks[statement] = (marks[statement] != Some(value)).then_some(value);
            Some(AnswerValue::TrueFalse(marks))
        }
        _ => return None,
    };
    // Nothing chosen, nothing decided: that is no answer, so say "clear"
    // rather than store a blank the relay would drop anyway.
    Some(value.filter(|v| !v.is_blank()))
}

/// Why `text` cannot be sent as a number; `None` when it can, or when it is
/// empty (an empty box clears the answer).
fn typed_problem(text: &str) -> Option<NumericError> {
    if text.trim().is_empty() {
        None
    } else {
        Decimal::parse(text).err()
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
            drafts: BTreeMap::new(),
            result: None,
            notice: None,
            dialog_open: false,
            signed_out: None,
            fatal: None,
            last_error: None,
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

    /// Time left on the relay's clock; `None` before the deadline is known.
    pub fn remaining(&self) -> Option<Millis> {
        self.deadline()
            .map(|deadline| self.clock.remaining(deadline, self.now))
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

    pub fn can_answer(&self) -> bool {
        self.paper.is_some()
            && self.status() == AttemptStatus::Working
            && self.result.is_none()
            && !self.time_up()
            && !self.submit_pending()
            && !self.read_only()
    }

    pub fn save_state(&self) -> SaveState {
        let waiting = self.local.outbox.len();
        if !self.link.is_live() {
            SaveState::Offline(waiting)
        } else if waiting > 0 {
            SaveState::Pending(waiting)
        } else {
            SaveState::Saved
        }
    }

    pub fn current_question(&self) -> Option<&PaperQuestion> {
        self.paper.as_ref()?.questions.get(self.local.current)
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

    fn persist(&self) {
        if !self.read_only() {
            self.io.persist(&self.local);
        }
    }

    /// The click path: queue, show, store, send.
    fn record(&mut self, event: StudentEvent) {
        let item = self.local.outbox.push(event);
        self.refresh_answers();
        self.persist();
        self.io.send(&StudentToRelay::Event {
            seq: item.seq,
            event: item.event,
        });
    }

    fn answer(&mut self, question: QuestionId, input: AnswerInput) {
        if !self.can_answer() {
            return;
        }
        let Some(paper) = self.paper.clone() else {
            return;
        };
        let Some(q) = paper.question(question) else {
            return;
        };
        match input {
            AnswerInput::Type { text, at } => {
                if q.body == PaperBody::Numeric {
                    self.edit_draft(question, text, at);
                }
            }
            AnswerInput::Commit => self.commit(question),
            input => {
                if let Some(value) = next_value(&q.body, self.answers.get(&question), input) {
                    self.record(StudentEvent::Answer { question, value });
                }
            }
        }
    }

    fn edit_draft(&mut self, question: QuestionId, text: String, at: Millis) {
        let draft = self.drafts.entry(question).or_default();
        // No reason is shown while typing (half a number is not wrong yet),
        // but one already shown goes as soon as the text is fixed.
        draft.error = draft.error.and_then(|_| typed_problem(&text));
        draft.text = text;
        draft.edited_at = Some(at);
    }

    /// Sends what `question`'s box holds if it is a number (or clears the
    /// answer if the box is empty); otherwise keeps it with its reason.
    fn commit(&mut self, question: QuestionId) {
        if !self.can_answer() {
            return;
        }
        let Some(draft) = self.drafts.get_mut(&question) else {
            return;
        };
        // Sent trimmed: surrounding spaces mean nothing, and a number that
        // parses is then always within the relay's length limit.
        let text = draft.text.trim();
        let value = if text.is_empty() {
            None
        } else if let Err(e) = Decimal::parse(text) {
            draft.error = Some(e);
            draft.edited_at = None;
            return;
        } else {
            Some(AnswerValue::Typed(text.to_owned()))
        };
        self.drafts.remove(&question);
        // Leaving the box without a change sends nothing.
        if self.answers.get(&question) != value.as_ref() {
            self.record(StudentEvent::Answer { question, value });
        }
    }

    /// Commits the drafts edited at a time `due` accepts.
    fn flush_drafts(&mut self, due: impl Fn(Millis) -> bool) {
        let ready: Vec<QuestionId> = self
            .drafts
            .iter()
            .filter(|(_, d)| d.edited_at.is_some_and(&due))
            .map(|(q, _)| *q)
            .collect();
        for question in ready {
            self.commit(question);
        }
    }

    fn resend_all(&self) {
        for p in self.local.outbox.pending() {
            let sent = self.io.send(&StudentToRelay::Event {
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
    fn settle(&mut self, upto: u64, refused: Option<u64>) {
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

    fn welcome(&mut self, attempt: AttemptView, paper: Option<Paper>) {
        self.candidate_name = attempt.candidate_name;
        self.local.relay = Attempt {
            status: attempt.status,
            deadline_ms: (attempt.deadline_ms > 0).then_some(attempt.deadline_ms),
            acked_seq: attempt.acked_seq,
            answers: attempt.answers.into_iter().collect(),
            ..Attempt::default()
        };
        self.local.outbox.reconcile(attempt.acked_seq);
        if let Some(paper) = paper {
            let paper = Rc::new(paper);
            if attempt.status == AttemptStatus::Working {
                self.io.cache_paper(&PaperCache {
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
        if attempt.status == AttemptStatus::Working {
            self.resend_all();
        }
    }

    fn on_relay(&mut self, msg: RelayToStudent, at: Millis) {
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
                self.welcome(attempt, paper);
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
                self.result = Some(Rc::new(FinalResult { status, grade }));
                self.dialog_open = false;
            }
            RelayToStudent::Error { error, .. } => self.on_error(&error),
        }
    }

    fn on_error(&mut self, error: &ErrorBody) {
        match error.code {
            // The relay is missing numbers we hold: everything again, in
            // order (it ignores the ones it has).
            ErrorCode::OutOfOrder => self.resend_all(),
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

    fn on_link(&mut self, link: Link) {
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

    fn go(&mut self, index: usize) {
        // The question leaving the screen takes its typed number with it.
        self.flush_drafts(|_| true);
        self.local.current = index;
        self.clamp_current();
        self.persist();
    }
}

impl Reducible for ExamState {
    type Action = ExamAction;

    fn reduce(self: Rc<Self>, action: ExamAction) -> Rc<Self> {
        let mut s = Rc::unwrap_or_clone(self);
        match action {
            ExamAction::Socket(SocketEvent::Message { msg, at }) => s.on_relay(msg, at),
            ExamAction::Socket(SocketEvent::Link(link)) => s.on_link(link),
            ExamAction::Tick(now) => {
                // Typed numbers due go out before the clock moves on, judged
                // by the time before this tick: one typed in the last moment
                // still counts rather than being stopped by the deadline it
                // beat.
                let ending = s
                    .deadline()
                    .is_some_and(|deadline| s.clock.remaining(deadline, now) == 0);
                s.flush_drafts(|edited| ending || edited + TYPING_PAUSE_MS <= now);
                s.now = now;
                if s.notice.is_some_and(|n| now >= n.until) {
                    s.notice = None;
                }
                if s.dialog_open && !s.can_answer() {
                    s.dialog_open = false;
                }
            }
            ExamAction::Answer { question, input } => s.answer(question, input),
            ExamAction::Go(index) => s.go(index),
            ExamAction::Prev => s.go(s.local.current.saturating_sub(1)),
            ExamAction::Next => s.go(s.local.current + 1),
            ExamAction::ToggleFlag => {
                if let Some(id) = s.current_question().map(|q| q.id)
                    && !s.read_only()
                {
                    if !s.local.flags.remove(&id) {
                        s.local.flags.insert(id);
                    }
                    s.persist();
                }
            }
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
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use examgate_shared::points::Points;

    use super::*;

    /// Records what the reducer asked for, in order.
    #[derive(Default)]
    struct FakeIo {
        log: RefCell<Vec<String>>,
        live: RefCell<bool>,
        /// Every event sent, to check what went over the wire.
        sent: RefCell<Vec<StudentEvent>>,
    }

    impl ExamIo for FakeIo {
        fn persist(&self, local: &LocalAttempt) {
            self.log
                .borrow_mut()
                .push(format!("persist {}", local.outbox.len()));
        }
        fn cache_paper(&self, _: &PaperCache) {
            self.log.borrow_mut().push("cache".into());
        }
        fn send(&self, msg: &StudentToRelay) -> bool {
            if !*self.live.borrow() {
                return false;
            }
            let StudentToRelay::Event { seq, event } = msg else {
                panic!("the reducer only sends events")
            };
            self.log.borrow_mut().push(format!("send {seq}"));
            self.sent.borrow_mut().push(event.clone());
            true
        }
    }

    fn options(order: &[u8]) -> Vec<PaperOption> {
        order
            .iter()
            .map(|&id| PaperOption {
                id: OptionId(id),
                text: format!("option {id}"),
            })
            .collect()
    }

    /// The 2025 shape in small, in three sections: three single choice
    /// (question 2's options shuffled), a true/false cluster, a numeric
    /// answer and a multiple response with shuffled options.
    fn paper() -> Paper {
        let q = |id, body| PaperQuestion {
            id: QuestionId(id),
            text: format!("q{id}"),
            points: Points::from_milli(1000),
            body,
        };
        let single = |order: &[u8]| PaperBody::SingleChoice {
            options: options(order),
        };
        Paper {
            exam_id: "e".into(),
            title: "T".into(),
            subject: "S".into(),
            duration_secs: 600,
            version: None,
            sections: vec![
                PaperSection {
                    title: "Phần I".into(),
                    first: 0,
                    count: 3,
                },
                PaperSection {
                    title: "Phần II".into(),
                    first: 3,
                    count: 1,
                },
                PaperSection {
                    title: "Phần III".into(),
                    first: 4,
                    count: 2,
                },
            ],
            questions: vec![
                q(1, single(&[0, 1, 2, 3])),
                q(2, single(&[2, 0, 3, 1])),
                q(3, single(&[0, 1, 2, 3])),
                q(
                    4,
                    PaperBody::TrueFalse {
                        statements: vec!["a".into(), "b".into(), "c".into(), "d".into()],
                    },
                ),
                q(5, PaperBody::Numeric),
                q(
                    6,
                    PaperBody::MultipleResponse {
                        options: options(&[3, 1, 0, 2]),
                    },
                ),
            ],
        }
    }

    fn session() -> StudentSession {
        StudentSession {
            token: "t".into(),
            attempt_id: 9,
            exam_title: "T".into(),
            room: "R".into(),
            name: "An".into(),
        }
    }

    fn welcome(acked: u64, answers: Vec<(u32, u8)>) -> ExamAction {
        ExamAction::Socket(SocketEvent::Message {
            msg: RelayToStudent::Welcome {
                echo: 1_000,
                relay_time: 1_010,
                attempt: AttemptView {
                    attempt_id: 9,
                    candidate_name: "Nguyễn An".into(),
                    status: AttemptStatus::Working,
                    deadline_ms: 600_000,
                    acked_seq: acked,
                    answers: answers
                        .into_iter()
                        .map(|(q, o)| (QuestionId(q), AnswerValue::Choice(OptionId(o))))
                        .collect(),
                },
                paper: Some(paper()),
            },
            at: 1_020,
        })
    }

    fn relay(msg: RelayToStudent) -> ExamAction {
        ExamAction::Socket(SocketEvent::Message { msg, at: 2_000 })
    }

    fn input(q: u32, input: AnswerInput) -> ExamAction {
        ExamAction::Answer {
            question: QuestionId(q),
            input,
        }
    }

    fn choose(q: u32, o: u8) -> ExamAction {
        input(q, AnswerInput::Choose(OptionId(o)))
    }

    fn toggle(q: u32, o: u8) -> ExamAction {
        input(q, AnswerInput::Toggle(OptionId(o)))
    }

    fn decide(q: u32, statement: usize, value: bool) -> ExamAction {
        input(q, AnswerInput::Decide { statement, value })
    }

    fn type_in(q: u32, text: &str, at: Millis) -> ExamAction {
        input(
            q,
            AnswerInput::Type {
                text: text.into(),
                at,
            },
        )
    }

    fn choice(o: u8) -> AnswerValue {
        AnswerValue::Choice(OptionId(o))
    }

    fn last_sent(io: &FakeIo) -> StudentEvent {
        io.sent
            .borrow()
            .last()
            .cloned()
            .expect("something was sent")
    }

    fn answer_event(q: u32, value: Option<AnswerValue>) -> StudentEvent {
        StudentEvent::Answer {
            question: QuestionId(q),
            value,
        }
    }

    fn start(local: LocalAttempt) -> (Rc<FakeIo>, Rc<ExamState>) {
        let io = Rc::new(FakeIo::default());
        let state = Rc::new(ExamState::new(io.clone(), &session(), local, None, 1_000));
        *io.live.borrow_mut() = true;
        let state = state
            .reduce(welcome(0, vec![]))
            .reduce(ExamAction::Socket(SocketEvent::Link(Link::Live)));
        io.log.borrow_mut().clear();
        io.sent.borrow_mut().clear();
        (io, state)
    }

    #[test]
    fn a_click_is_stored_before_it_is_sent() {
        let (io, s) = start(LocalAttempt::default());
        let s = s.reduce(choose(2, 1));
        assert_eq!(*io.log.borrow(), ["persist 1", "send 1"]);
        assert_eq!(s.answers[&QuestionId(2)], choice(1));
        assert!(s.is_unsaved(QuestionId(2)));
        assert_eq!(s.save_state(), SaveState::Pending(1));
        let s = s.reduce(relay(RelayToStudent::Ack { seq: 1 }));
        assert!(!s.is_unsaved(QuestionId(2)));
        assert_eq!(s.local.relay.answers[&QuestionId(2)], choice(1));
        assert_eq!(s.save_state(), SaveState::Saved);
    }

    #[test]
    fn clicking_the_chosen_option_clears_it() {
        let (_, s) = start(LocalAttempt::default());
        let s = s.reduce(choose(1, 3)).reduce(choose(1, 3));
        assert!(!s.answers.contains_key(&QuestionId(1)));
        let last = s.local.outbox.pending().last().unwrap().event.clone();
        assert_eq!(last, answer_event(1, None));
    }

    #[test]
    fn clicks_that_do_not_fit_the_question_are_ignored() {
        let (io, s) = start(LocalAttempt::default());
        let s = s
            .reduce(choose(1, 7)) // no option 7
            .reduce(choose(4, 0)) // a cluster, not a choice
            .reduce(toggle(1, 0)) // single choice is not toggled
            .reduce(decide(4, 4, true)) // four statements: 0..=3
            .reduce(type_in(1, "3", 1_500)) // not a numeric question
            .reduce(choose(99, 0)); // not on the paper
        assert!(s.answers.is_empty() && s.drafts.is_empty());
        assert!(io.log.borrow().is_empty());
    }

    #[test]
    fn welcome_reconciles_and_resends_the_rest() {
        // Three clicks made offline, before a reload.
        let io = Rc::new(FakeIo::default());
        let mut s = Rc::new(ExamState::new(
            io.clone(),
            &session(),
            LocalAttempt::default(),
            None,
            0,
        ));
        s = s.reduce(welcome(0, vec![]));
        for (q, o) in [(1, 0), (2, 1), (3, 2)] {
            s = s.reduce(choose(q, o));
        }
        assert_eq!(s.save_state(), SaveState::Offline(3));
        // The relay got the first two before the link dropped.
        *io.live.borrow_mut() = true;
        io.log.borrow_mut().clear();
        let s = s.reduce(welcome(2, vec![(1, 0), (2, 1)]));
        assert_eq!(*io.log.borrow(), ["cache", "persist 1", "send 3"]);
        assert_eq!(s.answers.len(), 3);
        assert_eq!(s.candidate_name, "Nguyễn An");
    }

    #[test]
    fn a_refused_answer_is_dropped_and_shown() {
        let (_, s) = start(LocalAttempt::default());
        let s = s.reduce(choose(1, 0)).reduce(choose(2, 0));
        let s = s
            .reduce(relay(RelayToStudent::Ack { seq: 1 }))
            .reduce(relay(RelayToStudent::Refused {
                seq: 2,
                error: ErrorBody::new(ErrorCode::InvalidAnswer, "no"),
            }));
        assert!(s.local.outbox.is_empty());
        assert_eq!(s.answers.len(), 1, "the refused answer is not shown");
        assert_eq!(s.notice.map(|n| n.code), Some(ErrorCode::InvalidAnswer));
        assert_eq!(s.local.relay.acked_seq, 2);
    }

    #[test]
    fn a_true_false_mark_sends_the_whole_cluster_and_undecides() {
        let (io, s) = start(LocalAttempt::default());
        let s = s.reduce(decide(4, 0, true)).reduce(decide(4, 2, false));
        let both = AnswerValue::TrueFalse(vec![Some(true), None, Some(false), None]);
        assert_eq!(s.answers[&QuestionId(4)], both);
        assert_eq!(last_sent(&io), answer_event(4, Some(both)));
        assert!(s.is_answered(QuestionId(4)));

        // Changing a mark replaces it; the same mark again un-decides it.
        let s = s.reduce(decide(4, 2, true)).reduce(decide(4, 0, true));
        let one = AnswerValue::TrueFalse(vec![None, None, Some(true), None]);
        assert_eq!(s.answers[&QuestionId(4)], one);
        assert_eq!(last_sent(&io), answer_event(4, Some(one)));

        // Un-deciding the last one leaves nothing answered: a clear.
        let s = s.reduce(decide(4, 2, true));
        assert!(!s.is_answered(QuestionId(4)));
        assert_eq!(last_sent(&io), answer_event(4, None));
        assert_eq!(s.unanswered(), 6);
    }

    #[test]
    fn a_number_that_does_not_parse_is_not_sent() {
        let (io, s) = start(LocalAttempt::default());
        let s = s.reduce(type_in(5, "1,2,3", 1_500));
        // Typing shows no reason yet and sends nothing.
        assert_eq!(s.drafts[&QuestionId(5)].error, None);
        assert!(s.is_unsaved(QuestionId(5)));
        // The pause passes: still nothing sent, and now the reason shows.
        let s = s.reduce(ExamAction::Tick(1_500 + TYPING_PAUSE_MS));
        assert!(io.log.borrow().is_empty(), "{:?}", io.log.borrow());
        assert_eq!(
            s.drafts[&QuestionId(5)].error,
            Some(NumericError::SeveralSeparators)
        );
        assert!(!s.is_answered(QuestionId(5)));
        // Enter or leaving the box changes nothing either.
        let s = s.reduce(input(5, AnswerInput::Commit));
        assert!(io.log.borrow().is_empty());
        assert_eq!(s.unanswered(), 6);

        // Fixing it takes the reason away at once; the pause then sends it.
        let s = s.reduce(type_in(5, "-1,5", 3_000));
        assert_eq!(s.drafts[&QuestionId(5)].error, None);
        let s = s.reduce(ExamAction::Tick(3_000 + TYPING_PAUSE_MS - 1));
        assert!(io.log.borrow().is_empty(), "not before the pause is over");
        let s = s.reduce(ExamAction::Tick(3_000 + TYPING_PAUSE_MS));
        assert_eq!(
            last_sent(&io),
            answer_event(5, Some(AnswerValue::Typed("-1,5".into())))
        );
        assert!(s.drafts.is_empty());
        assert!(s.is_answered(QuestionId(5)));
    }

    #[test]
    fn a_typed_number_is_sent_trimmed_once_and_an_empty_box_clears() {
        let (io, s) = start(LocalAttempt::default());
        let s = s
            .reduce(type_in(5, " 2.50 ", 1_500))
            .reduce(input(5, AnswerInput::Commit));
        assert_eq!(s.answers[&QuestionId(5)], AnswerValue::Typed("2.50".into()));
        // Leaving the box again without a change sends nothing more.
        let s = s
            .reduce(type_in(5, "2.50", 1_600))
            .reduce(input(5, AnswerInput::Commit));
        assert_eq!(io.sent.borrow().len(), 1);
        // Emptying the box clears the answer.
        let s = s
            .reduce(type_in(5, "", 1_700))
            .reduce(input(5, AnswerInput::Commit));
        assert!(!s.is_answered(QuestionId(5)));
        assert_eq!(last_sent(&io), answer_event(5, None));
        assert_eq!(io.sent.borrow().len(), 2);
    }

    #[test]
    fn moving_on_or_the_deadline_sends_a_typed_number() {
        let (io, s) = start(LocalAttempt::default());
        let s = s
            .reduce(ExamAction::Go(4))
            .reduce(type_in(5, "7", 1_500))
            .reduce(ExamAction::Next);
        assert_eq!(
            last_sent(&io),
            answer_event(5, Some(AnswerValue::Typed("7".into())))
        );
        assert_eq!(s.local.current, 5);

        // Typed a moment before the deadline, the tick that reaches it
        // still sends it rather than dropping it.
        let s = s
            .reduce(ExamAction::Go(4))
            .reduce(type_in(5, "8", 599_900))
            .reduce(ExamAction::Tick(600_100));
        assert!(s.time_up());
        assert_eq!(
            last_sent(&io),
            answer_event(5, Some(AnswerValue::Typed("8".into())))
        );
        assert!(s.drafts.is_empty());
    }

    #[test]
    fn multiple_response_options_toggle() {
        let (io, s) = start(LocalAttempt::default());
        let s = s.reduce(toggle(6, 3)).reduce(toggle(6, 0));
        let set = |ids: &[u8]| AnswerValue::Choices(ids.iter().map(|&o| OptionId(o)).collect());
        assert_eq!(s.answers[&QuestionId(6)], set(&[0, 3]));
        assert_eq!(last_sent(&io), answer_event(6, Some(set(&[0, 3]))));
        let s = s.reduce(toggle(6, 3));
        assert_eq!(s.answers[&QuestionId(6)], set(&[0]));
        // Switching the last one off is a clear, not an empty selection.
        let s = s.reduce(toggle(6, 0));
        assert!(!s.is_answered(QuestionId(6)));
        assert_eq!(last_sent(&io), answer_event(6, None));
        // An option the paper does not show is ignored.
        let s = s.reduce(toggle(6, 5));
        assert!(s.answers.is_empty());
        assert_eq!(io.sent.borrow().len(), 4);
    }

    #[test]
    fn time_up_stops_answers() {
        let (io, s) = start(LocalAttempt::default());
        let s = s.reduce(ExamAction::Tick(700_000));
        assert!(s.time_up());
        let s = s
            .reduce(choose(1, 0))
            .reduce(decide(4, 0, true))
            .reduce(toggle(6, 0))
            .reduce(type_in(5, "1", 700_100));
        assert!(s.answers.is_empty() && s.drafts.is_empty());
        assert!(io.log.borrow().is_empty());
    }

    #[test]
    fn submit_goes_through_the_outbox() {
        let (io, s) = start(LocalAttempt::default());
        let s = s.reduce(ExamAction::OpenSubmit);
        assert!(s.dialog_open);
        let s = s.reduce(ExamAction::ConfirmSubmit);
        assert!(!s.dialog_open);
        assert!(s.submit_pending());
        assert!(!s.can_answer());
        assert_eq!(*io.log.borrow(), ["persist 1", "send 1"]);
        let s = s.reduce(relay(RelayToStudent::Ack { seq: 1 }));
        assert_eq!(s.status(), AttemptStatus::Submitted);
    }

    #[test]
    fn a_number_still_in_its_box_is_handed_in() {
        let (io, s) = start(LocalAttempt::default());
        let s = s
            .reduce(type_in(5, "-3", 1_500))
            .reduce(ExamAction::OpenSubmit);
        assert_eq!(s.unanswered(), 5, "the open dialog counts it");
        let _ = s.reduce(ExamAction::ConfirmSubmit);
        let sent = io.sent.borrow();
        assert_eq!(
            *sent,
            [
                answer_event(5, Some(AnswerValue::Typed("-3".into()))),
                StudentEvent::Submit
            ]
        );
    }

    #[test]
    fn a_replaced_tab_stops_writing() {
        let (io, s) = start(LocalAttempt::default());
        let s = s.reduce(ExamAction::Socket(SocketEvent::Link(Link::Stopped(
            Stop::Replaced,
        ))));
        let s = s.reduce(choose(1, 0)).reduce(ExamAction::Next);
        assert!(io.log.borrow().is_empty());
        assert!(s.answers.is_empty());
    }

    #[test]
    fn unauthorized_signs_out() {
        let (_, s) = start(LocalAttempt::default());
        let s = s
            .reduce(relay(RelayToStudent::Error {
                error: ErrorBody::new(ErrorCode::Unauthorized, "expired"),
                expected: None,
            }))
            .reduce(ExamAction::Socket(SocketEvent::Link(Link::Stopped(
                Stop::Policy(None),
            ))));
        assert_eq!(s.signed_out, Some(ErrorCode::Unauthorized));
        assert_eq!(s.fatal, None);
    }

    #[test]
    fn flags_navigation_and_sections_are_kept() {
        let (_, s) = start(LocalAttempt::default());
        let s = s.reduce(ExamAction::Next).reduce(ExamAction::ToggleFlag);
        assert_eq!(
            s.current_section().map(|p| p.title.as_str()),
            Some("Phần I")
        );
        let s = s
            .reduce(ExamAction::Go(4))
            .reduce(ExamAction::Next)
            .reduce(ExamAction::Next);
        assert_eq!(s.local.current, 5, "clamped to the last question");
        assert_eq!(
            s.current_section().map(|p| p.title.as_str()),
            Some("Phần III")
        );
        assert!(s.is_flagged(QuestionId(2)));
        assert_eq!(s.flagged(), 1);
        let s = s.reduce(ExamAction::Go(1)).reduce(ExamAction::ToggleFlag);
        assert_eq!(s.flagged(), 0);
    }

    #[test]
    fn a_final_attempt_keeps_its_cached_paper_for_the_result() {
        let mut local = LocalAttempt::default();
        local.relay.status = AttemptStatus::Submitted;
        let cache = PaperCache {
            paper: paper(),
            candidate_name: "Nguyễn An".into(),
            clock: ClockSync::default(),
        };
        let s = ExamState::new(
            Rc::new(FakeIo::default()),
            &session(),
            local,
            Some(cache),
            0,
        );
        assert_eq!(s.paper.as_deref(), Some(&paper()));
        assert!(!s.can_answer());
    }
}
