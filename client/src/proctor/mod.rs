//! The proctor app (`/proctor`): sign in, then watch rooms live and act on
//! them — the central view's room summaries, open rooms' tables, actions,
//! incidents, messages and a candidate's timeline.
//!
//! The login lives in `sessionStorage` (`examgate.proctor`): it survives a
//! reload but not closing the tab, which suits a shared staff-room PC. The
//! results page (`/results`, [`crate::results`]) is another staff page behind
//! the same login: [`StaffApp`] holds the sign-in flow once, for any page
//! that takes [`StaffPageProps`], so signing in on either page signs in on
//! both and each page stays where it is.

mod api;
mod candidate_row;
mod central;
mod channel;
mod checkins;
mod context;
mod dashboard;
mod detail;
mod dialog;
mod dialog_view;
mod login;
mod room_log;
mod room_table;
mod search;
mod staff_topbar;
pub mod state;
mod station;
mod summary_order;
pub mod texts;
mod watch;

use std::rc::Rc;

use examgate_shared::error::ErrorCode;
use examgate_shared::protocol::Role;
use serde::{Deserialize, Serialize};
use yew::prelude::*;

use crate::i18n::{LangProvider, Problem};
use crate::storage::{Area, Slot};
use dashboard::Dashboard;
use login::LoginPage;
pub use staff_topbar::StaffTopbar;

/// What a page behind the staff login gets.
#[derive(Properties, PartialEq)]
pub struct StaffPageProps {
    pub session: Rc<ProctorSession>,
    /// The relay refused the token: back to the sign-in screen with why.
    pub on_signed_out: Callback<ErrorCode>,
    pub on_logout: Callback<()>,
}

/// Where the staff login is kept: per tab, gone when the browser closes.
pub fn session_slot() -> Slot<ProctorSession> {
    Slot::new(Area::Session, "examgate.proctor")
}

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
    SignedIn(Rc<ProctorSession>),
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
                session_slot().save(&session);
                Screen::SignedIn(Rc::new(session))
            }
            AppAction::SignedOut(code) => {
                session_slot().clear();
                Screen::Login(Some(Problem::Code(code)))
            }
            AppAction::Logout => {
                session_slot().clear();
                Screen::Login(None)
            }
        };
        Rc::new(AppState { screen })
    }
}

#[component]
pub fn ProctorApp() -> Html {
    html! { <StaffApp<Dashboard> /> }
}

/// The staff login in front of `Page`: the sign-in form until there is a
/// session, then the page. Used by `/proctor` and `/results`.
#[component]
pub fn StaffApp<Page>() -> Html
where
    Page: BaseComponent<Properties = StaffPageProps>,
{
    let app = use_reducer(|| AppState {
        screen: session_slot()
            .load()
            .map_or(Screen::Login(None), |s| Screen::SignedIn(Rc::new(s))),
    });
    let body = match &app.screen {
        Screen::Login(problem) => html! {
            <LoginPage problem={*problem}
                on_signed_in={app.dispatcher().to_callback().reform(AppAction::SignedIn)} />
        },
        Screen::SignedIn(session) => {
            let on_logout = {
                let (dispatcher, token) = (app.dispatcher(), session.token.clone());
                Callback::from(move |()| {
                    // The relay ends the session too (a copied token stops
                    // working); the page signs out whatever it answers.
                    let token = token.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        let _ = crate::http::post_auth("/api/logout", &token).await;
                    });
                    dispatcher.dispatch(AppAction::Logout);
                })
            };
            html! {
                <Page session={session.clone()}
                    on_signed_out={app.dispatcher().to_callback().reform(AppAction::SignedOut)}
                    {on_logout} />
            }
        }
    };
    html! { <LangProvider>{ body }</LangProvider> }
}
