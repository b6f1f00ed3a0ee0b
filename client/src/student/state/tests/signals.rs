//! Proctors' messages (shown until read, the receipt sent once) and the
//! integrity signals the page reports.

use examgate_shared::attempt::AttemptStatus;
use examgate_shared::control::{AttemptClock, Control};
use examgate_shared::integrity::Signal;
use examgate_shared::proctoring::StudentMessage;
use examgate_shared::protocol::{RelayToStudent, StudentToRelay};
use yew::Reducible;

use super::*;
use crate::socket::{Link, SocketEvent};
use crate::student::records::LocalAttempt;
use crate::student::state::ExamAction;
use crate::student::state::signals::BLUR_SETTLE_MS;

fn message(id: u64, text: &str) -> StudentMessage {
    StudentMessage {
        id,
        at: 1_500,
        text: text.into(),
        to_room: id.is_multiple_of(2),
    }
}

fn signals(io: &FakeIo) -> Vec<Signal> {
    io.other
        .borrow()
        .iter()
        .filter_map(|m| match m {
            StudentToRelay::Signal { signal } => Some(signal.clone()),
            _ => None,
        })
        .collect()
}

fn hidden(hidden: bool, at: i64) -> ExamAction {
    ExamAction::PageHidden { hidden, at }
}

fn focus(focused: bool, at: i64) -> ExamAction {
    ExamAction::WindowFocus { focused, at }
}

fn offline() -> ExamAction {
    ExamAction::from(SocketEvent::Link(Link::Retrying { at: 9_000 }))
}

#[test]
fn messages_queue_and_clear_when_read() {
    let io = Rc::new(FakeIo::default());
    *io.live.borrow_mut() = true;
    let s = Rc::new(ExamState::new(
        io.clone(),
        &session(),
        LocalAttempt::default(),
        None,
        1_000,
    ));
    let mut unread = view(0, vec![]);
    unread.messages = vec![message(1, "Còn 15 phút")];
    let s = s
        .reduce(welcome_with(unread))
        .reduce(relay(RelayToStudent::Message {
            message: message(2, "Giữ trật tự"),
        }))
        .reduce(relay(RelayToStudent::Message {
            message: message(2, "Giữ trật tự"),
        }));
    let ids: Vec<u64> = s.messages.iter().map(|m| m.id).collect();
    assert_eq!(ids, [1, 2], "oldest first, each once");
    let s = s.reduce(ExamAction::MessageSeen(1));
    assert_eq!(s.messages.iter().map(|m| m.id).collect::<Vec<_>>(), [2]);
    let s = s.reduce(ExamAction::MessageSeen(1));
    assert_eq!(
        *io.other.borrow(),
        [StudentToRelay::Seen { message: 1 }],
        "one receipt per message"
    );
    let s = s.reduce(ExamAction::MessageSeen(2));
    assert!(s.messages.is_empty());
    assert_eq!(io.other.borrow().len(), 2);
}

#[test]
fn a_receipt_made_offline_goes_after_the_welcome_and_the_message_stays_read() {
    let (io, s) = start(LocalAttempt::default());
    let s = s
        .reduce(relay(RelayToStudent::Message {
            message: message(7, "Mất điện, chờ"),
        }))
        .reduce(offline());
    *io.live.borrow_mut() = false;
    let s = s.reduce(ExamAction::MessageSeen(7));
    assert!(s.messages.is_empty());
    assert!(io.other.borrow().is_empty());
    // Back: the relay did not hear the receipt, so it lists the message.
    *io.live.borrow_mut() = true;
    let mut again = view(0, vec![]);
    again.messages = vec![message(7, "Mất điện, chờ")];
    let s = s.reduce(welcome_with(again));
    assert!(s.messages.is_empty(), "not shown again");
    assert_eq!(*io.other.borrow(), [StudentToRelay::Seen { message: 7 }]);
}

#[test]
fn a_hidden_page_is_reported_then_how_long() {
    let (io, s) = start(LocalAttempt::default());
    let _ = s.reduce(hidden(true, 5_000)).reduce(hidden(false, 8_250));
    assert_eq!(
        signals(&io),
        [
            Signal::TabHidden { ms: None },
            Signal::TabHidden { ms: Some(3_250) }
        ]
    );
}

#[test]
fn a_blur_counts_only_while_the_page_stays_visible() {
    let (io, s) = start(LocalAttempt::default());
    // A tab switch: the window blurs a moment before the page hides.
    let s = s
        .reduce(focus(false, 5_000))
        .reduce(hidden(true, 5_010))
        .reduce(ExamAction::Tick(6_000))
        .reduce(hidden(false, 7_010))
        .reduce(focus(true, 7_020));
    assert_eq!(
        signals(&io),
        [
            Signal::TabHidden { ms: None },
            Signal::TabHidden { ms: Some(2_000) }
        ]
    );
    // Another window on top: the page stays visible.
    io.other.borrow_mut().clear();
    let s = s
        .reduce(focus(false, 10_000))
        .reduce(ExamAction::Tick(10_000 + BLUR_SETTLE_MS - 1));
    assert!(signals(&io).is_empty(), "not before it settles");
    let _ = s
        .reduce(ExamAction::Tick(10_000 + BLUR_SETTLE_MS))
        .reduce(focus(true, 14_000));
    assert_eq!(
        signals(&io),
        [
            Signal::WindowBlurred { ms: None },
            Signal::WindowBlurred { ms: Some(4_000) }
        ]
    );
}

#[test]
fn signals_made_offline_go_after_the_next_welcome() {
    let (io, s) = start(LocalAttempt::default());
    let s = s.reduce(offline());
    *io.live.borrow_mut() = false;
    let s = s.reduce(hidden(true, 5_000)).reduce(hidden(false, 6_000));
    assert!(io.other.borrow().is_empty());
    *io.live.borrow_mut() = true;
    let _ = s.reduce(welcome(0, vec![]));
    assert_eq!(
        signals(&io),
        [
            Signal::TabHidden { ms: None },
            Signal::TabHidden { ms: Some(1_000) }
        ]
    );
}

#[test]
fn only_a_paste_into_a_numeric_answer_is_reported() {
    let (io, s) = start(LocalAttempt::default());
    let _ = s
        .reduce(ExamAction::Pasted(QuestionId(1)))
        .reduce(ExamAction::Pasted(QuestionId(5)))
        .reduce(ExamAction::Pasted(QuestionId(99)));
    assert_eq!(
        signals(&io),
        [Signal::PasteIntoNumeric {
            question: QuestionId(5)
        }]
    );
}

#[test]
fn full_screen_left_is_reported_only_where_it_is_asked() {
    let (io, s) = start(LocalAttempt::default());
    assert!(!s.offer_fullscreen());
    let s = s
        .reduce(ExamAction::Fullscreen(true))
        .reduce(ExamAction::Fullscreen(false));
    assert!(signals(&io).is_empty());

    let mut asks = view(0, vec![]);
    asks.fullscreen = true;
    let s = s.reduce(welcome_with(asks));
    assert!(s.offer_fullscreen());
    let s = s.reduce(ExamAction::Fullscreen(true));
    assert!(!s.offer_fullscreen());
    let s = s.reduce(ExamAction::Fullscreen(false));
    assert_eq!(signals(&io), [Signal::FullscreenLeft]);
    assert!(s.offer_fullscreen(), "offered again");
}

#[test]
fn a_reload_is_reported_once_after_the_welcome() {
    let io = Rc::new(FakeIo::default());
    *io.live.borrow_mut() = true;
    let s = Rc::new(ExamState::new(
        io.clone(),
        &session(),
        LocalAttempt::default(),
        None,
        1_000,
    ))
    .reduce(ExamAction::Reloaded);
    assert!(io.other.borrow().is_empty(), "not before the welcome");
    let s = s.reduce(welcome(0, vec![]));
    assert_eq!(signals(&io), [Signal::Reloaded]);
    let _ = s.reduce(welcome(0, vec![]));
    assert_eq!(signals(&io), [Signal::Reloaded], "once");
}

#[test]
fn nothing_new_is_reported_while_paused() {
    let (io, s) = start(LocalAttempt::default());
    let s = s.reduce(hidden(true, 5_000));
    let paused = AttemptClock {
        status: AttemptStatus::Working,
        deadline_ms: Some(600_000),
        paused: true,
        remaining_ms: Some(500_000),
        extra_ms: 0,
    };
    let s = s.reduce(relay(RelayToStudent::Control {
        control: Control::Pause,
        clock: paused,
    }));
    // The report started before the pause is finished; no new one starts.
    let _ = s
        .reduce(hidden(false, 9_000))
        .reduce(hidden(true, 10_000))
        .reduce(ExamAction::Pasted(QuestionId(5)));
    assert_eq!(
        signals(&io),
        [
            Signal::TabHidden { ms: None },
            Signal::TabHidden { ms: Some(4_000) }
        ]
    );
}

#[test]
fn keys_do_nothing_behind_a_proctors_message_until_it_is_read() {
    use crate::student::state::Shortcut;
    let (io, s) = start(LocalAttempt::default());
    let s = s.reduce(relay(RelayToStudent::Message {
        message: message(3, "Tắt điện thoại"),
    }));
    let s = s
        .reduce(ExamAction::Shortcut(Shortcut::Option(0)))
        .reduce(ExamAction::Shortcut(Shortcut::Next));
    assert!(s.answers.is_empty());
    assert_eq!(s.local.current, 0);
    let s = s
        .reduce(ExamAction::MessageSeen(3))
        .reduce(ExamAction::Shortcut(Shortcut::Option(0)));
    assert_eq!(s.answers.len(), 1);
    assert!(!io.sent.borrow().is_empty());
}
