//! Host tests of the exam reducer, by purpose: answering and delivery
//! (`answering`), proctors' controls (`control`), and signals and messages
//! (`signals`). This file holds what they share: a fake [`ExamIo`] that
//! records what the reducer asked for, a small paper, and action builders.

mod answering;
mod control;
mod signals;

use std::cell::RefCell;

use examgate_shared::points::Points;

use examgate_shared::answer::AnswerValue;
use examgate_shared::attempt::{AttemptStatus, StudentEvent};
use examgate_shared::exam::{OptionId, QuestionId};
use examgate_shared::paper::{Paper, PaperBody, PaperOption, PaperQuestion, PaperSection};
use examgate_shared::protocol::{AttemptView, RelayToStudent, StudentToRelay};

use super::*;
use crate::socket::{Link, SocketEvent};

/// Records what the reducer asked for, in order.
#[derive(Default)]
pub(super) struct FakeIo {
    pub(super) log: RefCell<Vec<String>>,
    pub(super) live: RefCell<bool>,
    /// Every event sent, to check what went over the wire.
    pub(super) sent: RefCell<Vec<StudentEvent>>,
    /// Signals and read receipts sent, in order.
    pub(super) other: RefCell<Vec<StudentToRelay>>,
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
    fn mark_working(&self) {}
    fn send(&self, msg: &StudentToRelay) -> bool {
        if !*self.live.borrow() {
            return false;
        }
        let StudentToRelay::Event { seq, event } = msg else {
            self.other.borrow_mut().push(msg.clone());
            return true;
        };
        self.log.borrow_mut().push(format!("send {seq}"));
        self.sent.borrow_mut().push(event.clone());
        true
    }
}

pub(super) fn options(order: &[u8]) -> Vec<PaperOption> {
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
pub(super) fn paper() -> Paper {
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

pub(super) fn session() -> StudentSession {
    StudentSession {
        token: "t".into(),
        attempt_id: 9,
        exam_title: "T".into(),
        room: "R".into(),
        name: "An".into(),
    }
}

/// The relay's view of a working attempt: deadline at relay time 600 000.
pub(super) fn view(acked: u64, answers: Vec<(u32, u8)>) -> AttemptView {
    AttemptView {
        attempt_id: 9,
        candidate_name: "Nguyễn An".into(),
        status: AttemptStatus::Working,
        deadline_ms: 600_000,
        acked_seq: acked,
        answers: answers
            .into_iter()
            .map(|(q, o)| (QuestionId(q), AnswerValue::Choice(OptionId(o))))
            .collect(),
        paused: false,
        remaining_ms: None,
        extra_ms: 0,
        fullscreen: false,
        messages: Vec::new(),
        refused: Vec::new(),
    }
}

/// A welcome whose clock sample makes relay time equal local time.
pub(super) fn welcome_with(attempt: AttemptView) -> ExamAction {
    ExamAction::from(SocketEvent::Message {
        msg: RelayToStudent::Welcome {
            echo: 1_000,
            relay_time: 1_010,
            attempt,
            paper: Some(paper()),
        },
        at: 1_020,
    })
}

pub(super) fn welcome(acked: u64, answers: Vec<(u32, u8)>) -> ExamAction {
    welcome_with(view(acked, answers))
}

pub(super) fn relay(msg: RelayToStudent) -> ExamAction {
    ExamAction::from(SocketEvent::Message { msg, at: 2_000 })
}

pub(super) fn input(q: u32, input: AnswerInput) -> ExamAction {
    ExamAction::Answer {
        question: QuestionId(q),
        input,
    }
}

pub(super) fn choose(q: u32, o: u8) -> ExamAction {
    input(q, AnswerInput::Choose(OptionId(o)))
}

pub(super) fn toggle(q: u32, o: u8) -> ExamAction {
    input(q, AnswerInput::Toggle(OptionId(o)))
}

pub(super) fn decide(q: u32, statement: usize, value: bool) -> ExamAction {
    input(q, AnswerInput::Decide { statement, value })
}

pub(super) fn type_in(q: u32, text: &str, at: Millis) -> ExamAction {
    input(
        q,
        AnswerInput::Type {
            text: text.into(),
            at,
        },
    )
}

pub(super) fn choice(o: u8) -> AnswerValue {
    AnswerValue::Choice(OptionId(o))
}

pub(super) fn last_sent(io: &FakeIo) -> StudentEvent {
    io.sent
        .borrow()
        .last()
        .cloned()
        .expect("something was sent")
}

pub(super) fn answer_event(q: u32, value: Option<AnswerValue>) -> StudentEvent {
    StudentEvent::Answer {
        question: QuestionId(q),
        value,
    }
}

pub(super) fn start(local: LocalAttempt) -> (Rc<FakeIo>, Rc<ExamState>) {
    let io = Rc::new(FakeIo::default());
    let state = Rc::new(ExamState::new(io.clone(), &session(), local, None, 1_000));
    *io.live.borrow_mut() = true;
    let state = state
        .reduce(welcome(0, vec![]))
        .reduce(ExamAction::from(SocketEvent::Link(Link::Live)));
    io.log.borrow_mut().clear();
    io.sent.borrow_mut().clear();
    (io, state)
}
