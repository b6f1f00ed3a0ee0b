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

use std::collections::BTreeMap;
use std::rc::Rc;

use examgate_shared::Millis;
use examgate_shared::attempt::{Attempt, AttemptStatus, StudentEvent};
use examgate_shared::clock::ClockSync;
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::exam::{OptionId, Paper, PaperQuestion, QuestionId};
use examgate_shared::protocol::{AttemptView, RelayToStudent, StudentToRelay};
use examgate_shared::scoring::Grade;
use yew::Reducible;

use super::records::{LocalAttempt, PaperCache, StudentSession};
use crate::socket::{Link, Refusal, SocketEvent, Stop};

/// How long a refusal stays on screen.
pub const NOTICE_MS: Millis = 8_000;

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

#[derive(Clone)]
pub struct ExamState {
    io: Rc<dyn ExamIo>,
    pub link: Link,
    pub clock: ClockSync,
    /// Local time of the last tick or message.
    pub now: Millis,
    pub candidate_name: String,
    pub paper: Option<Rc<Paper>>,
    pub local: LocalAttempt,
    /// Derived: relay answers overlaid with the outbox.
    pub answers: BTreeMap<QuestionId, OptionId>,
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
    /// An option clicked; clicking the chosen one again clears the answer.
    Choose {
        question: QuestionId,
        option: OptionId,
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
        let cache = cache.filter(|_| local.relay.status == AttemptStatus::Working);
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

    pub fn is_flagged(&self, question: QuestionId) -> bool {
        self.local.flags.contains(&question)
    }

    pub fn is_unsaved(&self, question: QuestionId) -> bool {
        self.local.outbox.has_unsaved_answer(question)
    }

    /// Questions on the paper without an answer.
    pub fn unanswered(&self) -> usize {
        self.paper.as_ref().map_or(0, |p| {
            p.questions
                .iter()
                .filter(|q| !self.answers.contains_key(&q.id))
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
                s.now = now;
                if s.notice.is_some_and(|n| now >= n.until) {
                    s.notice = None;
                }
                if s.dialog_open && !s.can_answer() {
                    s.dialog_open = false;
                }
            }
            ExamAction::Choose { question, option } => {
                let valid = s.paper.as_ref().is_some_and(|p| {
                    p.questions
                        .iter()
                        .any(|q| q.id == question && usize::from(option.0) < q.options.len())
                });
                if valid && s.can_answer() {
                    let choice = match s.answers.get(&question) {
                        Some(&chosen) if chosen == option => None,
                        _ => Some(option),
                    };
                    s.record(StudentEvent::Answer { question, choice });
                }
            }
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
            ExamAction::OpenSubmit => s.dialog_open = s.can_answer(),
            ExamAction::CancelSubmit => s.dialog_open = false,
            ExamAction::ConfirmSubmit => {
                s.dialog_open = false;
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
            let StudentToRelay::Event { seq, .. } = msg else {
                panic!("the reducer only sends events")
            };
            self.log.borrow_mut().push(format!("send {seq}"));
            true
        }
    }

    fn paper() -> Paper {
        let q = |id| PaperQuestion {
            id: QuestionId(id),
            text: format!("q{id}"),
            options: vec!["a".into(), "b".into(), "c".into(), "d".into()],
            points: Points::from_milli(1000),
        };
        Paper {
            exam_id: "e".into(),
            title: "T".into(),
            subject: "S".into(),
            duration_secs: 600,
            questions: vec![q(1), q(2), q(3)],
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
                        .map(|(q, o)| (QuestionId(q), OptionId(o)))
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

    fn choose(q: u32, o: u8) -> ExamAction {
        ExamAction::Choose {
            question: QuestionId(q),
            option: OptionId(o),
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
        (io, state)
    }

    #[test]
    fn a_click_is_stored_before_it_is_sent() {
        let (io, s) = start(LocalAttempt::default());
        let s = s.reduce(choose(2, 1));
        assert_eq!(*io.log.borrow(), ["persist 1", "send 1"]);
        assert_eq!(s.answers[&QuestionId(2)], OptionId(1));
        assert!(s.is_unsaved(QuestionId(2)));
        assert_eq!(s.save_state(), SaveState::Pending(1));
        let s = s.reduce(relay(RelayToStudent::Ack { seq: 1 }));
        assert!(!s.is_unsaved(QuestionId(2)));
        assert_eq!(s.local.relay.answers[&QuestionId(2)], OptionId(1));
        assert_eq!(s.save_state(), SaveState::Saved);
    }

    #[test]
    fn clicking_the_chosen_option_clears_it() {
        let (_, s) = start(LocalAttempt::default());
        let s = s.reduce(choose(1, 3)).reduce(choose(1, 3));
        assert!(!s.answers.contains_key(&QuestionId(1)));
        let last = s.local.outbox.pending().last().unwrap().event.clone();
        assert_eq!(
            last,
            StudentEvent::Answer {
                question: QuestionId(1),
                choice: None
            }
        );
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
                error: ErrorBody::new(ErrorCode::DeadlinePassed, "late"),
            }));
        assert!(s.local.outbox.is_empty());
        assert_eq!(s.answers.len(), 1, "the refused answer is not shown");
        assert_eq!(s.notice.map(|n| n.code), Some(ErrorCode::DeadlinePassed));
        assert_eq!(s.local.relay.acked_seq, 2);
    }

    #[test]
    fn time_up_stops_answers() {
        let (io, s) = start(LocalAttempt::default());
        let s = s.reduce(ExamAction::Tick(700_000));
        assert!(s.time_up());
        let s = s.reduce(choose(1, 0));
        assert!(s.answers.is_empty());
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
    fn flags_and_navigation_are_kept() {
        let (_, s) = start(LocalAttempt::default());
        let s = s
            .reduce(ExamAction::Next)
            .reduce(ExamAction::ToggleFlag)
            .reduce(ExamAction::Next)
            .reduce(ExamAction::Next);
        assert_eq!(s.local.current, 2, "clamped to the last question");
        assert!(s.is_flagged(QuestionId(2)));
        assert_eq!(s.flagged(), 1);
        let s = s.reduce(ExamAction::Go(1)).reduce(ExamAction::ToggleFlag);
        assert_eq!(s.flagged(), 0);
    }
}
