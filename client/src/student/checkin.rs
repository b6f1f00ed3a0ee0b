//! The chip-ID check-in panel of the join page: the student types their ID
//! and date of birth (or scans the QR on the card), places the card on the
//! reader, and follows clear steps until the proctor confirms them; then
//! the exam opens. Every failure says what to do next.

use yew::prelude::*;

use super::records::StudentSession;
use crate::card_read::today;
use crate::card_read::{
    CheckinFailure, CheckinStep, await_decision, bac_inputs_from, failure_text, open_bridge,
    read_and_submit, step_text,
};
use crate::i18n::{Lang, use_i18n};

#[derive(Properties, PartialEq)]
pub struct CheckinPanelProps {
    /// The join code typed above.
    pub code: String,
    pub on_joined: Callback<StudentSession>,
}

#[component]
pub fn CheckinPanel(props: &CheckinPanelProps) -> Html {
    let i18n = use_i18n();
    let vi = i18n.lang == Lang::Vi;
    let id = use_state(String::new);
    let birth = use_state(String::new);
    let qr = use_state(String::new);
    let step = use_state(|| CheckinStep::Idle);
    let failure = use_state(|| None::<CheckinFailure>);
    let input = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let el: web_sys::HtmlInputElement = e.target_unchecked_into();
            state.set(el.value());
        })
    };
    let busy = !matches!(*step, CheckinStep::Idle);
    let onclick = {
        let (id, birth, qr, step, failure) = (
            id.clone(),
            birth.clone(),
            qr.clone(),
            step.clone(),
            failure.clone(),
        );
        let (code, on_joined) = (props.code.trim().to_uppercase(), props.on_joined.clone());
        Callback::from(move |_: MouseEvent| {
            failure.set(None);
            let Some(inputs) = bac_inputs_from(&id, &birth, &qr, today()) else {
                failure.set(Some(CheckinFailure::Read(
                    examgate_shared::chip::session::ReadError::AccessDenied { tried: 0 },
                )));
                return;
            };
            let (step, failure, code, on_joined) = (
                step.clone(),
                failure.clone(),
                code.clone(),
                on_joined.clone(),
            );
            step.set(CheckinStep::Connecting);
            wasm_bindgen_futures::spawn_local(async move {
                let set_step = |s| step.set(s);
                let outcome = async {
                    let bridge = open_bridge().await?;
                    let accepted =
                        read_and_submit(&bridge, &code, inputs, false, None, &set_step).await?;
                    set_step(CheckinStep::AwaitingProctor);
                    let poll = await_decision(&accepted).await?;
                    match poll.join {
                        Some(join) => Ok((join, accepted.name)),
                        None => Err(CheckinFailure::Relay(
                            examgate_shared::error::ErrorCode::CheckinRejected,
                            poll.reason.unwrap_or_default(),
                        )),
                    }
                }
                .await;
                match outcome {
                    Ok((join, name)) => {
                        set_step(CheckinStep::Confirmed);
                        on_joined.emit(StudentSession {
                            token: join.token,
                            attempt_id: join.attempt_id,
                            exam_title: join.exam_title,
                            room: join.room,
                            name,
                        });
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
        <section id="checkin" class="card form" data-step={step.as_str()}>
            <h2>{ if vi { "Vào thi bằng thẻ CCCD gắn chip" } else { "Check in with your chip ID card" } }</h2>
            <label for="checkin-id">{ if vi { "Số CCCD (12 chữ số)" } else { "ID number (12 digits)" } }</label>
            <input id="checkin-id" type="text" inputmode="numeric" maxlength="12" autocomplete="off"
                value={(*id).clone()} oninput={input(&id)} disabled={busy} />
            <label for="checkin-birth">{ if vi { "Ngày sinh (dd/mm/yyyy)" } else { "Date of birth (dd/mm/yyyy)" } }</label>
            <input id="checkin-birth" type="text" inputmode="numeric" autocomplete="off"
                value={(*birth).clone()} oninput={input(&birth)} disabled={busy} />
            <label for="checkin-qr">{ if vi { "Hoặc quét mã QR trên thẻ" } else { "Or scan the QR code on the card" } }</label>
            <input id="checkin-qr" type="text" autocomplete="off"
                value={(*qr).clone()} oninput={input(&qr)} disabled={busy} />
            <p id="checkin-status" class="hint" aria-live="polite">{ step_text(*step, i18n.lang) }</p>
            if let Some(f) = &*failure {
                <p id="checkin-error" class="error" role="alert" data-code={f.code()}>{ failure_text(f, i18n.lang) }</p>
            }
            <button id="checkin-start" type="button" class="primary" {onclick} disabled={busy}>
                { if vi { "Đọc thẻ" } else { "Read my card" } }
            </button>
        </section>
    }
}
