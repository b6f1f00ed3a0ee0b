//! `#setup-form`: the one-time set-up link a fresh relay prints
//! (`/office?setup=TOKEN`) makes the first exam-office account. On success
//! the session is stored as a sign-in stores it, the token leaves the
//! address bar (a reload must not send it again) and the office page opens.

use examgate_shared::office::api::MIN_PASSWORD_CHARS;
use examgate_shared::protocol::LoginResponse;
use yew::prelude::*;

use super::account_texts::AccountText;
use super::drafts::SetupDraft;
use super::inputs::{on_text, use_draft};
use super::state::{Failure, Status};
use super::status::StatusLine;
use super::texts::OfficeText;
use crate::forms::FormPage;
use crate::http::post_json;
use crate::i18n::{Text, use_i18n};
use crate::proctor::ProctorSession;
use crate::routes::OFFICE_PATH;

#[derive(Properties, PartialEq)]
pub struct SetupPageProps {
    pub token: AttrValue,
    pub on_done: Callback<ProctorSession>,
}

#[component]
pub fn SetupPage(props: &SetupPageProps) -> Html {
    let i18n = use_i18n();
    let o = |t| i18n.t(Text::Office(t));
    let ac = |t| i18n.t(Text::Office(OfficeText::Account(t)));
    let draft = use_draft::<SetupDraft>();
    let status = use_state(|| None::<Status>);
    let busy = *status == Some(Status::Busy);
    let onsubmit = {
        let (draft, status, token, on_done) = (
            draft.clone(),
            status.clone(),
            props.token.clone(),
            props.on_done.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *status == Some(Status::Busy) {
                return;
            }
            let request = match draft.0.request(&token) {
                Ok(request) => request,
                Err(text) => return status.set(Some(Status::Failed(Failure::local(text)))),
            };
            status.set(Some(Status::Busy));
            let (status, on_done) = (status.clone(), on_done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match post_json::<_, LoginResponse>("/api/setup", &request).await {
                    Ok(r) => on_done.emit(ProctorSession {
                        token: r.token,
                        role: r.role,
                        display_name: r.display_name,
                    }),
                    Err(e) => status.set(Some(Status::Failed(Failure::from_http(&e)))),
                }
            });
        })
    };
    let d = &draft.0;
    html! {
        <FormPage class="login-page setup-page">
            <form id="setup-form" class="card form" {onsubmit} novalidate=true>
                <h1>{ o(OfficeText::SetupTitle) }</h1>
                <p class="hint">{ o(OfficeText::SetupIntro) }</p>
                <label for="setup-username">{ ac(AccountText::Username) }</label>
                <input id="setup-username" type="text" autocomplete="username" spellcheck="false"
                    value={d.username.clone()} disabled={busy}
                    oninput={on_text(&draft, |d, v| d.username = v)} />
                <label for="setup-name">{ ac(AccountText::DisplayName) }</label>
                <input id="setup-name" type="text" autocomplete="name"
                    value={d.display_name.clone()} disabled={busy}
                    oninput={on_text(&draft, |d, v| d.display_name = v)} />
                <label for="setup-password">{ o(OfficeText::NewPassword(MIN_PASSWORD_CHARS)) }</label>
                <input id="setup-password" type="password" autocomplete="new-password"
                    value={d.password.clone()} disabled={busy}
                    oninput={on_text(&draft, |d, v| d.password = v)} />
                <label for="setup-confirm">{ o(OfficeText::ConfirmPassword) }</label>
                <input id="setup-confirm" type="password" autocomplete="new-password"
                    value={d.confirm.clone()} disabled={busy}
                    oninput={on_text(&draft, |d, v| d.confirm = v)} />
                <StatusLine id="setup-error" status={(*status).clone()} />
                <button id="setup-submit" type="submit" class="primary" disabled={busy}>
                    { o(OfficeText::SetupSubmit) }
                </button>
                <a id="setup-login-link" class="nav-link" href={OFFICE_PATH}>{ o(OfficeText::HaveAccount) }</a>
            </form>
        </FormPage>
    }
}

/// Takes the set-up token out of the address bar, keeping the page.
pub fn forget_setup_link() {
    let window = gloo::utils::window();
    let path = window
        .location()
        .pathname()
        .unwrap_or_else(|_| OFFICE_PATH.into());
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
    }
}
