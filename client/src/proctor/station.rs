//! The proctor station: the room proctor reads a student's card at the
//! desk (for students whose browser has no WebUSB, or no reader at their
//! seat), confirms the photo in the list below like any check-in, and gets
//! a one-time seat code for the student to type on their exam computer.

use examgate_shared::checkin::{CheckinAccepted, CheckinPoll};
use yew::prelude::*;

use crate::card_holder::{CardHolderFields, use_card_holder, use_checkin_run};
use crate::card_read::{CheckinStep, failure_text, step_text};
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
    let holder = use_card_holder();
    let seat_code = use_state(|| None::<String>);
    let on_confirmed = {
        let seat_code = seat_code.clone();
        Callback::from(move |(_, poll): (CheckinAccepted, CheckinPoll)| {
            seat_code.set(poll.seat_code)
        })
    };
    let run = use_checkin_run(
        &holder,
        props.code.clone(),
        Some(props.token.clone()),
        on_confirmed,
    );
    let busy = !matches!(run.step, CheckinStep::Idle | CheckinStep::Confirmed);
    let start = {
        // A new read hides the previous student's code.
        let (seat_code, start) = (seat_code.clone(), run.start.clone());
        Callback::from(move |e: MouseEvent| {
            seat_code.set(None);
            start.emit(e);
        })
    };
    html! {
        <details class="station">
            <summary>{ if vi { "Kiểm tra thẻ tại bàn giám thị (cấp mã chỗ ngồi)" } else { "Check a card at the proctor's desk (issue a seat code)" } }</summary>
            <div id="station" class="form" data-step={run.step.as_str()}>
                <CardHolderFields prefix="station" holder={holder.clone()} disabled={busy} />
                if let Some(code) = &*seat_code {
                    <p class="seat-code-box">
                        { if vi { "Mã chỗ ngồi (dùng một lần, 30 phút): " } else { "Seat code (one use, 30 minutes): " } }
                        <b id="seat-code">{ code }</b>
                    </p>
                } else {
                    <p id="station-status" class="hint" aria-live="polite">{ step_text(run.step, i18n.lang) }</p>
                }
                if let Some(f) = &run.failure {
                    <p id="station-error" class="error" role="alert" data-code={f.code()}>{ failure_text(f, i18n.lang) }</p>
                }
                <button id="station-read" type="button" class="primary" onclick={start} disabled={busy}>
                    { if vi { "Đọc thẻ" } else { "Read the card" } }
                </button>
            </div>
        </details>
    }
}
