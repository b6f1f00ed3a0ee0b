//! The join screen: join code and name, `POST /api/join`.

use examgate_shared::error::ErrorCode;
use examgate_shared::protocol::{JoinRequest, JoinResponse};
use yew::prelude::*;

use super::checkin::CheckinPanel;
use super::records::StudentSession;
use crate::forms::{Fields, FormError, FormPage, on_input, on_submit, use_form};
use crate::i18n::{Problem, Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct JoinPageProps {
    /// Why the student is back here (e.g. an expired session).
    pub problem: Option<Problem>,
    pub on_joined: Callback<StudentSession>,
}

#[derive(Clone, Default)]
struct JoinFields {
    code: String,
    name: String,
    /// From the proctor station (chip check-in done there); replaces the name.
    seat: String,
}

impl Fields for JoinFields {
    type Request = JoinRequest;
    type Response = JoinResponse;
    const PATH: &'static str = "/api/join";

    fn request(&self) -> Result<JoinRequest, Problem> {
        let code = self.code.trim();
        let name = self.name.trim();
        if code.is_empty() {
            return Err(Problem::Code(ErrorCode::UnknownCode));
        }
        let seat = self.seat.trim();
        if !seat.is_empty() {
            return Ok(JoinRequest {
                code: code.to_owned(),
                name: String::new(),
                resume_token: None,
                seat_code: Some(seat.to_owned()),
            });
        }
        if name.is_empty() {
            return Err(Problem::Code(ErrorCode::InvalidName));
        }
        Ok(JoinRequest {
            code: code.to_owned(),
            // Collapse runs of spaces: "Nguyễn  Văn An" is one person.
            name: name.split_whitespace().collect::<Vec<_>>().join(" "),
            resume_token: None,
            seat_code: None,
        })
    }
}

#[component]
pub fn JoinPage(props: &JoinPageProps) -> Html {
    let i18n = use_i18n();
    let form = use_form::<JoinFields>(props.problem);
    let onsubmit = on_submit(
        &form,
        &props
            .on_joined
            .reform(|(request, r): (JoinRequest, JoinResponse)| StudentSession {
                token: r.token,
                attempt_id: r.attempt_id,
                exam_title: r.exam_title,
                room: r.room,
                // The name as sent, tidied.
                name: request.name,
            }),
    );

    html! {
        <FormPage class="join-page">
            <form id="join" class="card form" {onsubmit} novalidate=true>
                <h1>{ i18n.t(Text::JoinTitle) }</h1>
                <p class="hint">{ i18n.t(Text::JoinIntro) }</p>
                <label for="join-code">{ i18n.t(Text::JoinCode) }</label>
                <input id="join-code" type="text" autocomplete="off" autocapitalize="characters"
                    spellcheck="false" value={form.fields.code.clone()}
                    oninput={on_input(&form, |f, v| f.code = v)} disabled={form.busy} />
                <label for="join-name">{ i18n.t(Text::JoinName) }</label>
                <input id="join-name" type="text" autocomplete="name" maxlength="100"
                    value={form.fields.name.clone()}
                    oninput={on_input(&form, |f, v| f.name = v)} disabled={form.busy} />
                <label for="join-seat">{ if i18n.lang == crate::i18n::Lang::Vi { "Mã chỗ ngồi (nếu giám thị đã kiểm tra thẻ tại bàn)" } else { "Seat code (if the proctor checked your card at the desk)" } }</label>
                <input id="join-seat" type="text" autocomplete="off" autocapitalize="characters" maxlength="8"
                    value={form.fields.seat.clone()}
                    oninput={on_input(&form, |f, v| f.seat = v)} disabled={form.busy} />
                <FormError id="join-error" problem={form.problem} />
                <button id="join-submit" type="submit" class="primary" disabled={form.busy}>
                    { i18n.t(if form.busy { Text::JoinBusy } else { Text::JoinSubmit }) }
                </button>
            </form>
            <CheckinPanel code={form.fields.code.clone()} on_joined={props.on_joined.clone()} />
        </FormPage>
    }
}
