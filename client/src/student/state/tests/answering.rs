//! Answering every question kind, and delivering the events: stored before
//! sent, resent after a welcome, settled by acks and refusals.

use std::rc::Rc;

use examgate_shared::answer::AnswerValue;
use examgate_shared::attempt::{AttemptStatus, StudentEvent};
use examgate_shared::clock::ClockSync;
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::exam::QuestionId;
use examgate_shared::numeric::NumericError;
use examgate_shared::protocol::RelayToStudent;
use yew::Reducible;

use super::*;
use crate::socket::{Link, SocketEvent, Stop};
use crate::student::records::{LocalAttempt, PaperCache};
use crate::student::state::{AnswerInput, ExamAction, ExamState, SaveState, TYPING_PAUSE_MS};

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
fn a_refusal_lost_with_the_connection_is_learnt_from_the_welcome() {
    let (_, s) = start(LocalAttempt::default());
    let s = s.reduce(choose(1, 0)).reduce(choose(2, 0));
    // The relay refused event 2, and the link dropped before the refusal
    // arrived; the welcome of the reconnect says so.
    let mut attempt = view(2, vec![(1, 0)]);
    attempt.refused = vec![examgate_shared::attempt::RefusedEvent {
        seq: 2,
        code: ErrorCode::UnknownOption,
    }];
    let s = s.reduce(welcome_with(attempt));
    assert!(s.local.outbox.is_empty());
    assert_eq!(s.answers.len(), 1, "the refused answer is not shown");
    assert_eq!(s.notice.map(|n| n.code), Some(ErrorCode::UnknownOption));
    // A refusal of an event this page never had is not shown.
    let (_, s) = start(LocalAttempt::default());
    let mut attempt = view(2, vec![]);
    attempt.refused = vec![examgate_shared::attempt::RefusedEvent {
        seq: 1,
        code: ErrorCode::UnknownOption,
    }];
    let s = s.reduce(welcome_with(attempt));
    assert_eq!(s.notice, None);
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
    let s = s.reduce(ExamAction::from(SocketEvent::Link(Link::Stopped(
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
        .reduce(ExamAction::from(SocketEvent::Link(Link::Stopped(
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
fn shortcuts_act_like_their_buttons_except_behind_the_submit_dialog() {
    use crate::student::state::Shortcut;
    let (io, s) = start(LocalAttempt::default());
    // Question 2's options are shown in the order 2, 0, 3, 1: "B" is the
    // second shown, canonical option 0.
    let s = s
        .reduce(ExamAction::Shortcut(Shortcut::Next))
        .reduce(ExamAction::Shortcut(Shortcut::Option(1)))
        .reduce(ExamAction::Shortcut(Shortcut::Flag));
    assert_eq!(s.answers[&QuestionId(2)], choice(0));
    assert!(s.is_flagged(QuestionId(2)));
    assert_eq!(last_sent(&io), answer_event(2, Some(choice(0))));
    // Past the last option, or on a question with none: nothing.
    let sent = io.sent.borrow().len();
    let s = s
        .reduce(ExamAction::Shortcut(Shortcut::Option(7)))
        .reduce(ExamAction::Go(4))
        .reduce(ExamAction::Shortcut(Shortcut::Option(0)));
    assert_eq!(io.sent.borrow().len(), sent);
    // Several answers: the key ticks and unticks.
    let s = s
        .reduce(ExamAction::Shortcut(Shortcut::Next))
        .reduce(ExamAction::Shortcut(Shortcut::Option(0)))
        .reduce(ExamAction::Shortcut(Shortcut::Option(2)));
    assert_eq!(s.local.current, 5);
    assert_eq!(
        s.answers[&QuestionId(6)],
        AnswerValue::Choices([OptionId(0), OptionId(3)].into())
    );
    // Behind the submit dialog keys do nothing at all.
    let s = s
        .reduce(ExamAction::OpenSubmit)
        .reduce(ExamAction::Shortcut(Shortcut::Prev))
        .reduce(ExamAction::Shortcut(Shortcut::Option(0)));
    assert!(s.dialog_open);
    assert_eq!(s.local.current, 5);
    assert_eq!(
        s.answers[&QuestionId(6)],
        AnswerValue::Choices([OptionId(0), OptionId(3)].into())
    );
    let s = s
        .reduce(ExamAction::CancelSubmit)
        .reduce(ExamAction::Shortcut(Shortcut::Prev));
    assert_eq!(s.local.current, 4);
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
