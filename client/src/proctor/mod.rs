//! The proctor app (`/proctor`): sign in, then watch rooms live.
//!
//! The login lives in `sessionStorage` (`examgate.proctor`): it survives a
//! reload but not closing the tab, which suits a shared staff-room PC.

mod channel;
mod dashboard;
mod login;
mod room_table;
pub mod state;

use std::rc::Rc;

use examgate_shared::error::ErrorCode;
use examgate_shared::protocol::Role;
use serde::{Deserialize, Serialize};
use yew::prelude::*;

use crate::i18n::{LangProvider, Problem};
use crate::storage;
use dashboard::Dashboard;
use login::LoginPage;

/// A signed-in proctor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProctorSession {
    pub token: String,
    pub role: Role,
    pub display_name: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Screen {
    Login(Option<Problem>),
    Dashboard(Rc<ProctorSession>),
}

/// Which screen is up; the reducer keeps `examgate.proctor` in step.
struct AppState {
    screen: Screen,
}

pub enum AppAction {
    SignedIn(ProctorSession),
    /// The relay refused the token.
    SignedOut(ErrorCode),
    Logout,
}

impl Reducible for AppState {
    type Action = AppAction;

    fn reduce(self: Rc<Self>, action: AppAction) -> Rc<Self> {
        let screen = match action {
            AppAction::SignedIn(session) => {
                storage::proctor().save(&session);
                Screen::Dashboard(Rc::new(session))
            }
            AppAction::SignedOut(code) => {
                storage::proctor().clear();
                Screen::Login(Some(Problem::Code(code)))
            }
            AppAction::Logout => {
                storage::proctor().clear();
                Screen::Login(None)
            }
        };
        Rc::new(AppState { screen })
    }
}

#[component]
pub fn ProctorApp() -> Html {
    let app = use_reducer(|| AppState {
        screen: storage::proctor()
            .load()
            .map_or(Screen::Login(None), |s| Screen::Dashboard(Rc::new(s))),
    });
    let body = match &app.screen {
        Screen::Login(problem) => html! {
            <LoginPage problem={*problem}
                on_signed_in={app.dispatcher().to_callback().reform(AppAction::SignedIn)} />
        },
        Screen::Dashboard(session) => html! {
            <Dashboard session={session.clone()}
                on_signed_out={app.dispatcher().to_callback().reform(AppAction::SignedOut)}
                on_logout={app.dispatcher().to_callback().reform(|()| AppAction::Logout)} />
        },
    };
    html! { <LangProvider>{ body }</LangProvider> }
}
