//! What the student's check-in panel and the proctor station share: the
//! fields that open a card (ID number and date of birth, or the QR text)
//! and the check-in run behind the "read the card" button, with its step
//! and failure for the screen.

use examgate_shared::checkin::{CheckinAccepted, CheckinPoll};
use examgate_shared::chip::mrz::BacInput;
use examgate_shared::chip::session::ReadError;
use yew::prelude::*;

use crate::card_read::{CheckinFailure, CheckinStep, bac_inputs_from, check_in, today};
use crate::i18n::{Lang, use_i18n};

/// The typed fields.
#[derive(Clone, PartialEq)]
pub struct CardHolder {
    pub id: UseStateHandle<String>,
    pub birth: UseStateHandle<String>,
    pub qr: UseStateHandle<String>,
}

impl CardHolder {
    /// The BAC inputs to try, if the fields make sense.
    pub fn bac_inputs(&self) -> Option<Vec<BacInput>> {
        bac_inputs_from(&self.id, &self.birth, &self.qr, today())
    }
}

#[hook]
pub fn use_card_holder() -> CardHolder {
    CardHolder {
        id: use_state(String::new),
        birth: use_state(String::new),
        qr: use_state(String::new),
    }
}

#[derive(Properties, PartialEq)]
pub struct CardHolderFieldsProps {
    /// Element ids are `{prefix}-id`, `{prefix}-birth`, `{prefix}-qr`.
    pub prefix: &'static str,
    pub holder: CardHolder,
    pub disabled: bool,
}

#[component]
pub fn CardHolderFields(props: &CardHolderFieldsProps) -> Html {
    let i18n = use_i18n();
    let vi = i18n.lang == Lang::Vi;
    let input = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let el: web_sys::HtmlInputElement = e.target_unchecked_into();
            state.set(el.value());
        })
    };
    let h = &props.holder;
    let (id, birth, qr) = (
        format!("{}-id", props.prefix),
        format!("{}-birth", props.prefix),
        format!("{}-qr", props.prefix),
    );
    html! {
        <>
            <label for={id.clone()}>{ if vi { "Số CCCD (12 chữ số)" } else { "ID number (12 digits)" } }</label>
            <input id={id} type="text" inputmode="numeric" maxlength="12" autocomplete="off"
                value={(*h.id).clone()} oninput={input(&h.id)} disabled={props.disabled} />
            <label for={birth.clone()}>{ if vi { "Ngày sinh (dd/mm/yyyy)" } else { "Date of birth (dd/mm/yyyy)" } }</label>
            <input id={birth} type="text" inputmode="numeric" autocomplete="off"
                value={(*h.birth).clone()} oninput={input(&h.birth)} disabled={props.disabled} />
            <label for={qr.clone()}>{ if vi { "Hoặc quét mã QR trên thẻ" } else { "Or scan the QR code on the card" } }</label>
            <input id={qr} type="text" autocomplete="off"
                value={(*h.qr).clone()} oninput={input(&h.qr)} disabled={props.disabled} />
        </>
    }
}

/// A check-in run: where it is, why it stopped, and the button's action.
pub struct CheckinRun {
    pub step: CheckinStep,
    pub failure: Option<CheckinFailure>,
    pub start: Callback<MouseEvent>,
}

/// Runs [`check_in`] when `start` is clicked (the click is the user
/// gesture WebUSB's chooser needs). `staff_token`: a proctor station.
#[hook]
pub fn use_checkin_run(
    holder: &CardHolder,
    code: String,
    staff_token: Option<String>,
    on_confirmed: Callback<(CheckinAccepted, CheckinPoll)>,
) -> CheckinRun {
    let step = use_state(|| CheckinStep::Idle);
    let failure = use_state(|| None::<CheckinFailure>);
    let start = {
        let (holder, step, failure) = (holder.clone(), step.clone(), failure.clone());
        Callback::from(move |_: MouseEvent| {
            failure.set(None);
            let Some(inputs) = holder.bac_inputs() else {
                failure.set(Some(CheckinFailure::Read(ReadError::AccessDenied {
                    tried: 0,
                })));
                return;
            };
            let (step, failure, on_confirmed) =
                (step.clone(), failure.clone(), on_confirmed.clone());
            let (code, token) = (code.trim().to_uppercase(), staff_token.clone());
            step.set(CheckinStep::Connecting);
            wasm_bindgen_futures::spawn_local(async move {
                let set_step = |s| step.set(s);
                match check_in(&code, inputs, token.as_deref(), &set_step).await {
                    Ok(done) => {
                        set_step(CheckinStep::Confirmed);
                        on_confirmed.emit(done);
                    }
                    Err(f) => {
                        step.set(CheckinStep::Idle);
                        failure.set(Some(f));
                    }
                }
            });
        })
    };
    CheckinRun {
        step: *step,
        failure: (*failure).clone(),
        start,
    }
}
