//! The student app: join → exam → result.
//!
//! Reload-proof by construction: the session lives in `examgate.student`, so
//! a reload goes straight back to the exam, and the exam page restores its
//! outbox, flags and position from `examgate.attempt.<id>`.

mod answer_choice;
mod answer_multi;
mod answer_numeric;
mod answer_true_false;
mod banners;
pub mod by_question;
#[cfg(feature = "checkin")]
mod checkin;
mod countdown;
mod exam_page;
mod fullscreen_offer;
mod io;
mod join;
pub mod keys;
mod navigator;
mod page_watch;
mod paused_screen;
mod proctor_message;
mod question;
mod question_nav;
pub mod records;
mod result;
mod save_status;
pub mod shown;
pub mod state;
mod submit_dialog;
pub mod texts;

use std::rc::Rc;

use examgate_shared::error::ErrorCode;
use yew::prelude::*;

use crate::i18n::{LangProvider, Problem};
use exam_page::ExamPage;
use join::JoinPage;
use records::StudentSession;

#[derive(Debug, Clone, PartialEq)]
enum Screen {
    /// With the reason the student was sent back here, if any.
    Join(Option<Problem>),
    Exam(Rc<StudentSession>),
}

/// Which screen is up. The reducer also keeps `examgate.student` in step,
/// so the stored session and the screen can never disagree.
struct AppState {
    screen: Screen,
}

pub enum AppAction {
    Joined(StudentSession),
    /// The relay no longer accepts the token.
    SignedOut(ErrorCode),
    /// The student is done with the result.
    Leave,
}

impl AppState {
    fn restore() -> Self {
        let screen = match records::session_slot().load() {
            Some(session) => Screen::Exam(Rc::new(session)),
            None => Screen::Join(None),
        };
        AppState { screen }
    }
}

impl Reducible for AppState {
    type Action = AppAction;

    fn reduce(self: Rc<Self>, action: AppAction) -> Rc<Self> {
        let screen = match action {
            AppAction::Joined(session) => {
                records::session_slot().save(&session);
                Screen::Exam(Rc::new(session))
            }
            AppAction::SignedOut(code) => {
                // The attempt record stays: if the student joins the same
                // attempt again, its unsent answers are still there.
                records::session_slot().clear();
                Screen::Join(Some(Problem::Code(code)))
            }
            AppAction::Leave => {
                if let Screen::Exam(session) = &self.screen {
                    records::attempt_slot(session.attempt_id).clear();
                    records::paper_slot(session.attempt_id).clear();
                    records::working_slot(session.attempt_id).clear();
                }
                records::session_slot().clear();
                Screen::Join(None)
            }
        };
        Rc::new(AppState { screen })
    }
}

#[component]
pub fn StudentApp() -> Html {
    let app = use_reducer(AppState::restore);
    let body = match &app.screen {
        Screen::Join(problem) => html! {
            <JoinPage problem={*problem}
                on_joined={app.dispatcher().to_callback().reform(AppAction::Joined)} />
        },
        Screen::Exam(session) => html! {
            <ExamPage key={session.attempt_id.to_string()} session={session.clone()}
                on_signed_out={app.dispatcher().to_callback().reform(AppAction::SignedOut)}
                on_leave={app.dispatcher().to_callback().reform(|()| AppAction::Leave)} />
        },
    };
    html! { <LangProvider>{ body }</LangProvider> }
}
