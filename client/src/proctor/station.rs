//! The proctor station: the room proctor reads a student's card at the
//! desk (for students whose browser has no WebUSB, or no reader at their
//! seat), confirms the photo in the list below like any check-in, and gets
//! a one-time seat code for the student to type on their exam computer.

use yew::prelude::*;

use crate::card_read::{
    CheckinFailure, CheckinStep, await_decision, bac_inputs_from, failure_text, open_bridge,
    read_and_submit, step_text, today,
};
use crate::i18n::{Lang, use_i18n};

#[derive(Properties, PartialEq)]
pub struct StationProps {
    /// The room's join code.
    pub code: String,
    pub token: String,
}

#[component]
pub fn Station(props: &StationProps) -> Html {
    let i18n = use_i18n();
    let vi = i18n.lang == Lang::Vi;
    let id = use_state(String::new);
    let birth = use_state(String::new);
    let qr = use_state(String::new);
    let step = use_state(|| CheckinStep::Idle);
    let failure = use_state(|| None::<CheckinFailure>);
    let seat_code = use_state(|| None::<String>);
    let input = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let el: web_sys::HtmlInputElement = e.target_unchecked_into();
            state.set(el.value());
        })
    };
    let busy = !matches!(*step, CheckinStep::Idle | CheckinStep::Confirmed);
    let onclick = {
        let (id, birth, qr) = (id.clone(), birth.clone(), qr.clone());
        let (step, failure, seat_code) = (step.clone(), failure.clone(), seat_code.clone());
        let (code, token) = (props.code.clone(), props.token.clone());
        Callback::from(move |_: MouseEvent| {
            failure.set(None);
            seat_code.set(None);
            let Some(inputs) = bac_inputs_from(&id, &birth, &qr, today()) else {
                failure.set(Some(CheckinFailure::Read(
                    examgate_shared::chip::session::ReadError::AccessDenied { tried: 0 },
                )));
                return;
            };
            let (step, failure, seat_code) = (step.clone(), failure.clone(), seat_code.clone());
            let (code, token) = (code.clone(), token.clone());
            step.set(CheckinStep::Connecting);
            wasm_bindgen_futures::spawn_local(async move {
                let set_step = |s| step.set(s);
                let outcome = async {
                    let bridge = open_bridge().await?;
                    let accepted =
                        read_and_submit(&bridge, &code, inputs, true, Some(&token), &set_step)
                            .await?;
                    set_step(CheckinStep::AwaitingProctor);
                    let poll = await_decision(&accepted).await?;
                    poll.seat_code.ok_or(CheckinFailure::Relay(
                        examgate_shared::error::ErrorCode::CheckinRejected,
                        poll.reason.unwrap_or_default(),
                    ))
                }
                .await;
                match outcome {
                    Ok(code) => {
                        set_step(CheckinStep::Confirmed);
                        seat_code.set(Some(code));
                    }
                    Err(f) => {
                        step.set(CheckinStep::Idle);
                        failure.set(Some(f));
                    }
                }
            });
        })
    };
    html! {
        <details class="station">
            <summary>{ if vi { "Kiểm tra thẻ tại bàn giám thị (cấp mã chỗ ngồi)" } else { "Check a card at the proctor's desk (issue a seat code)" } }</summary>
            <div id="station" class="form" data-step={step.as_str()}>
                <label for="station-id">{ if vi { "Số CCCD" } else { "ID number" } }</label>
                <input id="station-id" type="text" inputmode="numeric" maxlength="12" autocomplete="off"
                    value={(*id).clone()} oninput={input(&id)} disabled={busy} />
                <label for="station-birth">{ if vi { "Ngày sinh (dd/mm/yyyy)" } else { "Date of birth (dd/mm/yyyy)" } }</label>
                <input id="station-birth" type="text" inputmode="numeric" autocomplete="off"
                    value={(*birth).clone()} oninput={input(&birth)} disabled={busy} />
                <label for="station-qr">{ if vi { "Hoặc mã QR trên thẻ" } else { "Or the card's QR code" } }</label>
                <input id="station-qr" type="text" autocomplete="off"
                    value={(*qr).clone()} oninput={input(&qr)} disabled={busy} />
                if seat_code.is_none() {
                    <p id="station-status" class="hint" aria-live="polite">{ step_text(*step, i18n.lang) }</p>
                }
                if let Some(f) = &*failure {
                    <p id="station-error" class="error" role="alert" data-code={f.code()}>{ failure_text(f, i18n.lang) }</p>
                }
                if let Some(code) = &*seat_code {
                    <p class="seat-code-box">
                        { if vi { "Mã chỗ ngồi (dùng một lần, 10 phút): " } else { "Seat code (one use, 10 minutes): " } }
                        <b id="seat-code">{ code }</b>
                    </p>
                }
                <button id="station-read" type="button" class="primary" {onclick} disabled={busy}>
                    { if vi { "Đọc thẻ" } else { "Read the card" } }
                </button>
            </div>
        </details>
    }
}
