//! Proctors' controls as the page follows them: extra time moves the
//! countdown at once, a pause freezes it and takes no answers (and loses
//! none), a resume sends what was held, an end shows the result and a
//! reopen brings the paper back.

use examgate_shared::Millis;
use examgate_shared::attempt::AttemptStatus;
use examgate_shared::control::{AttemptClock, Control};
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::exam::QuestionId;
use examgate_shared::points::{Mark10, Points, Score};
use examgate_shared::protocol::RelayToStudent;
use examgate_shared::scoring::Grade;
use yew::Reducible;

use super::*;
use crate::student::records::LocalAttempt;
use crate::student::state::{ExamAction, NOTICE_MS, SaveState};

fn clock(deadline: Millis, paused: bool, remaining: Millis, extra_ms: Millis) -> AttemptClock {
    AttemptClock {
        status: AttemptStatus::Working,
        deadline_ms: Some(deadline),
        paused,
        remaining_ms: Some(remaining),
        extra_ms,
    }
}

fn control(control: Control, clock: AttemptClock) -> ExamAction {
    relay(RelayToStudent::Control { control, clock })
}

/// Paused at relay time 300 000 with the deadline at 600 000.
fn pause() -> ExamAction {
    control(Control::Pause, clock(600_000, true, 300_000, 0))
}

/// Resumed after 100 s: the deadline moved by as much.
fn resume() -> ExamAction {
    control(Control::Resume, clock(700_000, false, 300_000, 0))
}

fn refused(seq: u64, code: ErrorCode) -> ExamAction {
    relay(RelayToStudent::Refused {
        seq,
        error: ErrorBody::new(code, "refused"),
    })
}

/// The relay's answer to an event that arrived while paused: nothing
/// stored, nothing spent.
fn held_by_pause(expected: u64) -> ExamAction {
    relay(RelayToStudent::Error {
        error: ErrorBody::new(ErrorCode::Paused, "paused"),
        expected: Some(expected),
    })
}

#[test]
fn extra_time_moves_the_countdown_at_once_and_says_so() {
    let (_, s) = start(LocalAttempt::default());
    assert_eq!(s.remaining(), Some(600_000 - 1_020));
    let s = s.reduce(control(
        Control::ExtraTime { minutes: 10 },
        clock(1_200_000, false, 1_198_000, 600_000),
    ));
    assert_eq!(
        s.remaining(),
        Some(1_200_000 - 2_000),
        "from the new deadline"
    );
    assert_eq!(s.extra_ms(), 600_000);
    assert_eq!(
        s.control_notice.as_ref().map(|n| &n.control),
        Some(&Control::ExtraTime { minutes: 10 })
    );
    assert!(s.can_answer());
    let s = s.reduce(ExamAction::Tick(2_000 + NOTICE_MS));
    assert_eq!(s.control_notice, None, "the notice goes after a while");
}

#[test]
fn a_pause_freezes_the_clock_and_takes_no_answers() {
    let (io, s) = start(LocalAttempt::default());
    let s = s.reduce(ExamAction::OpenSubmit);
    assert!(s.dialog_open);
    let s = s.reduce(pause());
    assert!(s.paused());
    assert!(!s.dialog_open, "a pause closes the hand-in dialog");
    assert_eq!(s.control_notice, None, "the paused screen says it");
    let s = s.reduce(ExamAction::Tick(500_000));
    assert_eq!(s.remaining(), Some(300_000), "frozen");
    assert!(!s.time_up());
    assert!(!s.can_answer());
    let s = s
        .reduce(choose(1, 0))
        .reduce(decide(4, 0, true))
        .reduce(toggle(6, 0))
        .reduce(type_in(5, "1", 500_100))
        .reduce(ExamAction::OpenSubmit)
        .reduce(ExamAction::ConfirmSubmit);
    assert!(s.answers.is_empty() && s.drafts.is_empty());
    assert!(!s.dialog_open);
    assert!(io.sent.borrow().is_empty(), "{:?}", io.sent.borrow());

    let s = s.reduce(resume());
    assert!(!s.paused());
    assert_eq!(s.remaining(), Some(700_000 - 2_000));
    assert_eq!(
        s.control_notice.as_ref().map(|n| &n.control),
        Some(&Control::Resume)
    );
    let s = s.reduce(choose(1, 0));
    assert_eq!(last_sent(&io), answer_event(1, Some(choice(0))));
    assert!(s.can_answer());
}

#[test]
fn answers_unacknowledged_at_the_pause_go_out_after_the_resume() {
    let (io, s) = start(LocalAttempt::default());
    let s = s.reduce(choose(1, 0)).reduce(choose(2, 1));
    assert_eq!(io.sent.borrow().len(), 2);
    // The relay took the first; the second came after the pause.
    let s = s
        .reduce(pause())
        .reduce(relay(RelayToStudent::Ack { seq: 1 }))
        .reduce(held_by_pause(2));
    assert_eq!(s.notice, None, "not shown as a refusal");
    assert_eq!(s.answers[&QuestionId(2)], choice(1), "still shown");
    assert!(s.is_unsaved(QuestionId(2)));
    assert_eq!(s.local.relay.acked_seq, 1, "nothing spent");
    let held: Vec<u64> = s.local.outbox.pending().map(|p| p.seq).collect();
    assert_eq!(held, [2], "kept under its own number");
    assert_eq!(s.save_state(), SaveState::Held(1));
    assert_eq!(io.sent.borrow().len(), 2, "nothing sent while paused");

    io.log.borrow_mut().clear();
    let s = s.reduce(resume());
    assert_eq!(*io.log.borrow(), ["persist 1", "send 2"]);
    assert_eq!(last_sent(&io), answer_event(2, Some(choice(1))));
    let s = s.reduce(relay(RelayToStudent::Ack { seq: 2 }));
    assert_eq!(s.local.relay.answers[&QuestionId(2)], choice(1));
    assert_eq!(s.save_state(), SaveState::Saved);
}

#[test]
fn a_paused_answer_without_its_control_is_held_in_order_and_nothing_is_guessed() {
    let (io, s) = start(LocalAttempt::default());
    // Two answers to one question on the wire when the pause begins, as
    // the relay saw them; its control is not here (yet).
    let s = s.reduce(choose(1, 0)).reduce(choose(1, 1));
    let s = s.reduce(held_by_pause(1)).reduce(held_by_pause(1));
    assert!(!s.paused(), "a pause is shown by its control, not guessed");
    assert_eq!(s.save_state(), SaveState::Held(2));
    io.sent.borrow_mut().clear();
    // A click meanwhile is kept and held too.
    let s = s.reduce(choose(2, 3));
    assert!(io.sent.borrow().is_empty(), "held: nothing goes out");
    let held: Vec<(u64, StudentEvent)> = s
        .local
        .outbox
        .pending()
        .map(|p| (p.seq, p.event.clone()))
        .collect();
    assert_eq!(
        held,
        [
            (1, answer_event(1, Some(choice(0)))),
            (2, answer_event(1, Some(choice(1)))),
            (3, answer_event(2, Some(choice(3))))
        ],
        "every answer under its own number"
    );
    assert_eq!(s.answers[&QuestionId(1)], choice(1), "the last click shows");
    let s = s.reduce(pause());
    assert!(io.sent.borrow().is_empty());
    let _ = s.reduce(resume());
    assert_eq!(
        *io.sent.borrow(),
        [
            answer_event(1, Some(choice(0))),
            answer_event(1, Some(choice(1))),
            answer_event(2, Some(choice(3)))
        ],
        "in the order clicked, so the last click wins"
    );
}

#[test]
fn other_refusals_still_drop_the_answer() {
    let (_, s) = start(LocalAttempt::default());
    let s = s
        .reduce(choose(1, 0))
        .reduce(refused(1, ErrorCode::DeadlinePassed));
    assert!(s.local.outbox.is_empty());
    assert!(!s.paused());
    assert_eq!(s.notice.map(|n| n.code), Some(ErrorCode::DeadlinePassed));
}

#[test]
fn a_welcome_during_a_pause_shows_it_and_holds_the_outbox() {
    let io = Rc::new(FakeIo::default());
    let mut local = LocalAttempt::default();
    local.outbox.push(answer_event(3, Some(choice(2))));
    let s = Rc::new(ExamState::new(io.clone(), &session(), local, None, 1_000));
    *io.live.borrow_mut() = true;
    let mut paused = view(0, vec![]);
    paused.paused = true;
    paused.remaining_ms = Some(120_000);
    paused.extra_ms = 300_000;
    let s = s.reduce(welcome_with(paused));
    assert!(s.paused());
    assert_eq!(s.remaining(), Some(120_000));
    assert_eq!(s.extra_ms(), 300_000);
    assert!(io.sent.borrow().is_empty(), "held until the resume");
    assert_eq!(s.answers[&QuestionId(3)], choice(2));
    let s = s.reduce(control(
        Control::Resume,
        clock(900_000, false, 120_000, 300_000),
    ));
    assert_eq!(*io.sent.borrow(), [answer_event(3, Some(choice(2)))]);
    assert!(!s.paused());
}

#[test]
fn end_shows_the_result_and_reopen_brings_the_paper_back() {
    let (_, s) = start(LocalAttempt::default());
    let s = s
        .reduce(choose(1, 0))
        .reduce(relay(RelayToStudent::Ack { seq: 1 }));
    let mut ended = clock(600_000, false, 0, 0);
    ended.status = AttemptStatus::Closed;
    let s = s.reduce(control(Control::End, ended));
    assert_eq!(s.status(), AttemptStatus::Closed);
    assert!(!s.can_answer());
    assert_eq!(
        s.control_notice.as_ref().map(|n| &n.control),
        Some(&Control::End)
    );
    let grade = Grade {
        score: Score::of(Points::from_milli(1000), 1, 1),
        max: Points::from_milli(6000),
        mark: Mark10::from_tenths(17),
        items: Vec::new(),
    };
    let s = s.reduce(relay(RelayToStudent::Result {
        status: AttemptStatus::Closed,
        grade,
    }));
    assert!(s.result.is_some());

    let s = s.reduce(control(
        Control::Reopen { minutes: 5 },
        clock(2_000 + 300_000, false, 300_000, 0),
    ));
    assert!(s.result.is_none(), "back to the paper");
    assert!(s.can_answer());
    assert_eq!(
        s.answers[&QuestionId(1)],
        choice(0),
        "with the answers held"
    );
    assert_eq!(s.remaining(), Some(300_000));
}
