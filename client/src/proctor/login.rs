//! The proctor sign-in screen: `POST /api/login`.

use std::rc::Rc;

use examgate_shared::error::ErrorCode;
use examgate_shared::protocol::{LoginRequest, LoginResponse};
use yew::prelude::*;

use super::ProctorSession;
use crate::forms::on_input;
use crate::http::post_json;
use crate::i18n::{LangToggle, Problem, Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct LoginPageProps {
    pub problem: Option<Problem>,
    pub on_signed_in: Callback<ProctorSession>,
}

#[derive(Clone, Default)]
struct LoginForm {
    username: String,
    password: String,
    busy: bool,
    problem: Option<Problem>,
}

enum LoginAction {
    User(String),
    Pass(String),
    Sending,
    Failed(Problem),
}

impl Reducible for LoginForm {
    type Action = LoginAction;

    fn reduce(self: Rc<Self>, action: LoginAction) -> Rc<Self> {
        let mut form = Rc::unwrap_or_clone(self);
        match action {
            LoginAction::User(u) => form.username = u,
            LoginAction::Pass(p) => form.password = p,
            LoginAction::Sending => {
                form.busy = true;
                form.problem = None;
            }
            LoginAction::Failed(problem) => {
                form.busy = false;
                form.problem = Some(problem);
                // Make the next attempt start from an empty password field.
                form.password.clear();
            }
        }
        Rc::new(form)
    }
}

#[component]
pub fn LoginPage(props: &LoginPageProps) -> Html {
    let i18n = use_i18n();
    let form = use_reducer(|| LoginForm {
        problem: props.problem,
        ..LoginForm::default()
    });
    let onsubmit = {
        let form = form.clone();
        let on_signed_in = props.on_signed_in.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if form.busy {
                return;
            }
            let username = form.username.trim().to_owned();
            if username.is_empty() || form.password.is_empty() {
                return form.dispatch(LoginAction::Failed(Problem::Code(
                    ErrorCode::BadCredentials,
                )));
            }
            let request = LoginRequest {
                username,
                password: form.password.clone(),
            };
            form.dispatch(LoginAction::Sending);
            let (dispatcher, on_signed_in) = (form.dispatcher(), on_signed_in.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match post_json::<_, LoginResponse>("/api/login", &request).await {
                    Ok(r) => on_signed_in.emit(ProctorSession {
                        token: r.token,
                        role: r.role,
                        display_name: r.display_name,
                    }),
                    Err(e) => dispatcher.dispatch(LoginAction::Failed(e.problem())),
                }
            });
        })
    };

    html! {
        <div class="page login-page">
            <header class="topbar">
                <span class="brand">{ "examgate" }</span>
                <LangToggle />
            </header>
            <form id="login" class="card form" {onsubmit} novalidate=true>
                <h1>{ i18n.t(Text::LoginTitle) }</h1>
                <label for="login-user">{ i18n.t(Text::LoginUser) }</label>
                <input id="login-user" type="text" autocomplete="username" spellcheck="false"
                    value={form.username.clone()} disabled={form.busy}
                    oninput={on_input(form.dispatcher(), LoginAction::User)} />
                <label for="login-pass">{ i18n.t(Text::LoginPass) }</label>
                <input id="login-pass" type="password" autocomplete="current-password"
                    value={form.password.clone()} disabled={form.busy}
                    oninput={on_input(form.dispatcher(), LoginAction::Pass)} />
                if let Some(problem) = form.problem {
                    <p id="login-error" class="error" role="alert" data-code={problem.data_code()}>
                        { i18n.t(Text::Problem(problem)) }
                    </p>
                }
                <button id="login-submit" type="submit" class="primary" disabled={form.busy}>
                    { i18n.t(if form.busy { Text::LoginBusy } else { Text::LoginSubmit }) }
                </button>
            </form>
        </div>
    }
}
