//! The proctor sign-in screen: `POST /api/login`.

use examgate_shared::error::ErrorCode;
use examgate_shared::protocol::{LoginRequest, LoginResponse};
use yew::prelude::*;

use super::ProctorSession;
use crate::forms::{Fields, FormError, FormPage, on_input, on_submit, use_form};
use crate::i18n::{Problem, Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct LoginPageProps {
    pub problem: Option<Problem>,
    pub on_signed_in: Callback<ProctorSession>,
}

#[derive(Clone, Default)]
struct LoginFields {
    username: String,
    password: String,
}

impl Fields for LoginFields {
    type Request = LoginRequest;
    type Response = LoginResponse;
    const PATH: &'static str = "/api/login";

    fn request(&self) -> Result<LoginRequest, Problem> {
        let username = self.username.trim();
        if username.is_empty() || self.password.is_empty() {
            return Err(Problem::Code(ErrorCode::BadCredentials));
        }
        Ok(LoginRequest {
            username: username.to_owned(),
            password: self.password.clone(),
        })
    }

    fn after_failure(&mut self) {
        // Make the next attempt start from an empty password field.
        self.password.clear();
    }
}

#[component]
pub fn LoginPage(props: &LoginPageProps) -> Html {
    let i18n = use_i18n();
    let form = use_form::<LoginFields>(props.problem);
    let onsubmit = on_submit(
        &form,
        &props
            .on_signed_in
            .reform(|(_, r): (LoginRequest, LoginResponse)| ProctorSession {
                token: r.token,
                role: r.role,
                display_name: r.display_name,
            }),
    );

    html! {
        <FormPage class="login-page">
            <form id="login" class="card form" {onsubmit} novalidate=true>
                <h1>{ i18n.t(Text::LoginTitle) }</h1>
                <label for="login-user">{ i18n.t(Text::LoginUser) }</label>
                <input id="login-user" type="text" autocomplete="username" spellcheck="false"
                    value={form.fields.username.clone()} disabled={form.busy}
                    oninput={on_input(&form, |f, v| f.username = v)} />
                <label for="login-pass">{ i18n.t(Text::LoginPass) }</label>
                <input id="login-pass" type="password" autocomplete="current-password"
                    value={form.fields.password.clone()} disabled={form.busy}
                    oninput={on_input(&form, |f, v| f.password = v)} />
                <FormError id="login-error" problem={form.problem} />
                <button id="login-submit" type="submit" class="primary" disabled={form.busy}>
                    { i18n.t(if form.busy { Text::LoginBusy } else { Text::LoginSubmit }) }
                </button>
            </form>
        </FormPage>
    }
}
