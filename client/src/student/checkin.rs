//! The chip-ID check-in panel of the join page: the student types their ID
//! and date of birth (or scans the QR on the card), places the card on the
//! reader, and follows clear steps until the proctor confirms them; then
//! the exam opens. Every failure says what to do next.

use examgate_shared::checkin::{CheckinAccepted, CheckinPoll};
use yew::prelude::*;

use super::records::StudentSession;
use crate::card_holder::{CardHolderFields, use_card_holder, use_checkin_run};
use crate::card_read::{CheckinFailure, CheckinStep, failure_text, step_text};
use crate::i18n::{Lang, use_i18n};

#[derive(Properties, PartialEq)]
pub struct CheckinPanelProps {
    /// The join code typed above.
    pub code: String,
    pub on_joined: Callback<StudentSession>,
}

#[component]
pub fn CheckinPanel(props: &CheckinPanelProps) -> Html {
    // Firefox and Safari have no WebUSB: say so before the student types
    // anything, and offer no button that cannot work.
    if !crate::usb::Bridge::supported() {
        return html! { <NoReaderHere /> };
    }
    html! { <ReaderPanel code={props.code.clone()} on_joined={props.on_joined.clone()} /> }
}

/// The card-room page in a browser that cannot reach a card reader: the
/// seat-code path (the proctor checks the card at the desk).
#[component]
fn NoReaderHere() -> Html {
    let i18n = use_i18n();
    let vi = i18n.lang == Lang::Vi;
    // Chrome and Edge hide WebUSB from pages not served over HTTPS: then the
    // browser is right and the address is wrong.
    let why = if gloo::utils::window().is_secure_context() {
        failure_text(
            &CheckinFailure::Bridge(crate::usb::BridgeError::Unsupported),
            i18n.lang,
        )
    } else if vi {
        "Trang thi chưa được mở qua HTTPS nên không dùng được đầu đọc thẻ. Hãy báo cán bộ kỹ thuật; trong lúc chờ, giám thị kiểm tra thẻ tại bàn và bạn nhập mã chỗ ngồi.".into()
    } else {
        "The exam page is not served over HTTPS, so it cannot use the card reader. Tell the technician; meanwhile the proctor checks your card at the desk and you type the seat code.".into()
    };
    html! {
        <section id="checkin" class="card form" data-step="unsupported">
            <h2>{ if vi { "Vào thi bằng thẻ CCCD gắn chip" } else { "Check in with your chip ID card" } }</h2>
            <p id="checkin-unsupported" class="hint">{ why }</p>
            <p class="hint"><a href="#join-seat">{ if vi { "Nhập mã chỗ ngồi" } else { "Type the seat code" } }</a></p>
        </section>
    }
}

#[component]
fn ReaderPanel(props: &CheckinPanelProps) -> Html {
    let i18n = use_i18n();
    let vi = i18n.lang == Lang::Vi;
    let holder = use_card_holder();
    let on_confirmed = {
        let on_joined = props.on_joined.clone();
        Callback::from(move |(accepted, poll): (CheckinAccepted, CheckinPoll)| {
            if let Some(join) = poll.join {
                on_joined.emit(StudentSession {
                    token: join.token,
                    attempt_id: join.attempt_id,
                    exam_title: join.exam_title,
                    room: join.room,
                    name: accepted.name,
                });
            }
        })
    };
    let run = use_checkin_run(&holder, props.code.clone(), None, on_confirmed);
    let busy = !matches!(run.step, CheckinStep::Idle);
    html! {
        <section id="checkin" class="card form" data-step={run.step.as_str()}>
            <h2>{ if vi { "Vào thi bằng thẻ CCCD gắn chip" } else { "Check in with your chip ID card" } }</h2>
            <CardHolderFields prefix="checkin" holder={holder.clone()} disabled={busy} />
            <p id="checkin-status" class="hint" aria-live="polite">{ step_text(run.step, i18n.lang) }</p>
            if let Some(f) = &run.failure {
                <p id="checkin-error" class="error" role="alert" data-code={f.code()}>{ failure_text(f, i18n.lang) }</p>
            }
            <button id="checkin-start" type="button" class="primary" onclick={run.start} disabled={busy}>
                { if vi { "Đọc thẻ" } else { "Read my card" } }
            </button>
        </section>
    }
}
