//! The join screen: join code and name, `POST /api/join`.

use std::rc::Rc;

use examgate_shared::error::ErrorCode;
use examgate_shared::protocol::{JoinRequest, JoinResponse};
use yew::prelude::*;

use super::records::StudentSession;
use crate::forms::on_input;
use crate::http::post_json;
use crate::i18n::{LangToggle, Problem, Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct JoinPageProps {
    /// Why the student is back here (e.g. an expired session).
    pub problem: Option<Problem>,
    pub on_joined: Callback<StudentSession>,
}

#[derive(Clone, Default)]
struct JoinForm {
    code: String,
    name: String,
    busy: bool,
    problem: Option<Problem>,
}

enum JoinAction {
    Code(String),
    Name(String),
    Sending,
    Failed(Problem),
}

impl Reducible for JoinForm {
    type Action = JoinAction;

    fn reduce(self: Rc<Self>, action: JoinAction) -> Rc<Self> {
        let mut form = Rc::unwrap_or_clone(self);
        match action {
            JoinAction::Code(code) => form.code = code,
            JoinAction::Name(name) => form.name = name,
            JoinAction::Sending => {
                form.busy = true;
                form.problem = None;
            }
            JoinAction::Failed(problem) => {
                form.busy = false;
                form.problem = Some(problem);
            }
        }
        Rc::new(form)
    }
}

impl JoinForm {
    /// The request, or the problem a blank field would earn from the relay
    /// anyway (checked here to save a round trip).
    fn request(&self) -> Result<JoinRequest, Problem> {
        let code = self.code.trim();
        let name = self.name.trim();
        if code.is_empty() {
            return Err(Problem::Code(ErrorCode::UnknownCode));
        }
        if name.is_empty() {
            return Err(Problem::Code(ErrorCode::InvalidName));
        }
        Ok(JoinRequest {
            code: code.to_owned(),
            // Collapse runs of spaces: "Nguyễn  Văn An" is one person.
            name: name.split_whitespace().collect::<Vec<_>>().join(" "),
            resume_token: None,
        })
    }
}

#[component]
pub fn JoinPage(props: &JoinPageProps) -> Html {
    let i18n = use_i18n();
    let form = use_reducer(|| JoinForm {
        problem: props.problem,
        ..JoinForm::default()
    });

    let on_code = on_input(form.dispatcher(), JoinAction::Code);
    let on_name = on_input(form.dispatcher(), JoinAction::Name);
    let onsubmit = {
        let form = form.clone();
        let on_joined = props.on_joined.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if form.busy {
                return;
            }
            let request = match form.request() {
                Ok(request) => request,
                Err(problem) => return form.dispatch(JoinAction::Failed(problem)),
            };
            form.dispatch(JoinAction::Sending);
            let (dispatcher, on_joined) = (form.dispatcher(), on_joined.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match post_json::<_, JoinResponse>("/api/join", &request).await {
                    Ok(r) => on_joined.emit(StudentSession {
                        token: r.token,
                        attempt_id: r.attempt_id,
                        exam_title: r.exam_title,
                        room: r.room,
                        name: request.name,
                    }),
                    Err(e) => dispatcher.dispatch(JoinAction::Failed(e.problem())),
                }
            });
        })
    };

    html! {
        <div class="page join-page">
            <header class="topbar">
                <span class="brand">{ "examgate" }</span>
                <LangToggle />
            </header>
            <form id="join" class="card form" {onsubmit} novalidate=true>
                <h1>{ i18n.t(Text::JoinTitle) }</h1>
                <p class="hint">{ i18n.t(Text::JoinIntro) }</p>
                <label for="join-code">{ i18n.t(Text::JoinCode) }</label>
                <input id="join-code" type="text" autocomplete="off" autocapitalize="characters"
                    spellcheck="false" value={form.code.clone()} oninput={on_code}
                    disabled={form.busy} />
                <label for="join-name">{ i18n.t(Text::JoinName) }</label>
                <input id="join-name" type="text" autocomplete="name" maxlength="100"
                    value={form.name.clone()} oninput={on_name} disabled={form.busy} />
                if let Some(problem) = form.problem {
                    <p id="join-error" class="error" role="alert" data-code={problem.data_code()}>
                        { i18n.t(Text::Problem(problem)) }
                    </p>
                }
                <button id="join-submit" type="submit" class="primary" disabled={form.busy}>
                    { i18n.t(if form.busy { Text::JoinBusy } else { Text::JoinSubmit }) }
                </button>
            </form>
        </div>
    }
}
