//! The join screen: join code and name — or, in rooms of a planned exam,
//! candidate number (số báo danh) and date of birth — `POST /api/join`.
//!
//! Card rooms check students in with their chip ID card. That panel is in
//! the card-room module only (`checkin` feature, served at `/checkin`); the
//! name-join module at `/` links there instead, and goes there by itself
//! when the relay answers a join with `checkin_required`.

use examgate_shared::error::ErrorCode;
use examgate_shared::protocol::{JoinRequest, JoinResponse};
use yew::prelude::*;

#[cfg(feature = "checkin")]
use super::checkin::CheckinPanel;
use super::records::StudentSession;
use crate::forms::{Fields, FormAction, FormError, FormPage, on_input, on_submit, use_form};
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
    /// Số báo danh, in rooms whose candidates the exam office registered;
    /// replaces the name.
    number: String,
    /// `dd/mm/yyyy`, with the candidate number.
    birth: String,
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
                candidate_number: None,
                birth: None,
            });
        }
        let number = self.number.trim();
        if !number.is_empty() {
            return Ok(JoinRequest {
                code: code.to_owned(),
                name: String::new(),
                resume_token: None,
                seat_code: None,
                candidate_number: Some(number.to_owned()),
                birth: Some(self.birth.trim().to_owned()).filter(|b| !b.is_empty()),
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
            candidate_number: None,
            birth: None,
        })
    }
}

#[component]
pub fn JoinPage(props: &JoinPageProps) -> Html {
    let i18n = use_i18n();
    let form = use_form::<JoinFields>(props.problem);
    // A seat card's QR code opens `/?code=…`: the code is typed already.
    {
        let dispatcher = form.dispatcher();
        use_effect_with((), move |_| {
            if let Some(code) = crate::routes::page_param("code") {
                dispatcher.dispatch(FormAction::Edit(
                    |f, v| f.code = v,
                    code.to_ascii_uppercase(),
                ));
            }
        });
    }
    use_card_room_redirect(form.problem, &form.fields.code);
    let onsubmit = on_submit(
        &form,
        &props
            .on_joined
            .reform(|(request, r): (JoinRequest, JoinResponse)| StudentSession {
                token: r.token,
                attempt_id: r.attempt_id,
                exam_title: r.exam_title,
                room: r.room,
                // The name as sent, tidied (the number until the relay's
                // welcome names a registered candidate).
                name: if request.name.is_empty() {
                    request.candidate_number.unwrap_or_default()
                } else {
                    request.name
                },
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
                <fieldset class="join-registered">
                    <legend>{ i18n.t(Text::JoinRegistered) }</legend>
                    <label for="join-number">{ i18n.t(Text::JoinNumber) }</label>
                    <input id="join-number" type="text" autocomplete="off" autocapitalize="characters"
                        spellcheck="false" maxlength="20" value={form.fields.number.clone()}
                        oninput={on_input(&form, |f, v| f.number = v)} disabled={form.busy} />
                    <label for="join-birth">{ i18n.t(Text::JoinBirth) }</label>
                    <input id="join-birth" type="text" inputmode="numeric" placeholder="dd/mm/yyyy"
                        autocomplete="bday" maxlength="10" value={form.fields.birth.clone()}
                        oninput={on_input(&form, |f, v| f.birth = v)} disabled={form.busy} />
                </fieldset>
                <label for="join-seat">{ if i18n.lang == crate::i18n::Lang::Vi { "Mã chỗ ngồi (nếu giám thị đã kiểm tra thẻ tại bàn)" } else { "Seat code (if the proctor checked your card at the desk)" } }</label>
                <input id="join-seat" type="text" autocomplete="off" autocapitalize="characters" maxlength="8"
                    value={form.fields.seat.clone()}
                    oninput={on_input(&form, |f, v| f.seat = v)} disabled={form.busy} />
                <FormError id="join-error" problem={form.problem} />
                <button id="join-submit" type="submit" class="primary" disabled={form.busy}>
                    { i18n.t(if form.busy { Text::JoinBusy } else { Text::JoinSubmit }) }
                </button>
            </form>
            <CardRoom code={form.fields.code.clone()} on_joined={props.on_joined.clone()} />
        </FormPage>
    }
}

#[derive(Properties, PartialEq)]
struct CardRoomProps {
    code: String,
    on_joined: Callback<StudentSession>,
}

/// The chip-ID check-in panel, in the card-room module.
#[cfg(feature = "checkin")]
#[component]
fn CardRoom(props: &CardRoomProps) -> Html {
    html! { <CheckinPanel code={props.code.clone()} on_joined={props.on_joined.clone()} /> }
}

/// In the name-join module: the way to the card-room page, code kept.
#[cfg(not(feature = "checkin"))]
#[component]
fn CardRoom(props: &CardRoomProps) -> Html {
    let i18n = use_i18n();
    let vi = i18n.lang == crate::i18n::Lang::Vi;
    html! {
        <p id="checkin-link" class="hint">
            <a href={crate::routes::checkin_url(&props.code)}>
                { if vi { "Phòng thi kiểm tra thẻ CCCD gắn chip? Vào thi bằng thẻ" } else { "Room with chip ID card check-in? Check in with your card" } }
            </a>
        </p>
    }
}

/// A name-join page whose join the relay refused with `checkin_required`
/// loads the card-room page, the code typed in (the panel is there).
#[hook]
fn use_card_room_redirect(problem: Option<Problem>, code: &str) {
    let code = code.to_owned();
    use_effect_with(problem, move |problem| {
        if cfg!(not(feature = "checkin"))
            && *problem == Some(Problem::Code(ErrorCode::CheckinRequired))
        {
            let _ = gloo::utils::window()
                .location()
                .assign(&crate::routes::checkin_url(&code));
        }
    });
}
