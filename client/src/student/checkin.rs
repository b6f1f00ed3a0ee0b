//! The chip-ID check-in panel of the join page: the student types their ID
//! and date of birth (or scans the QR on the card), places the card on the
//! reader, and follows clear steps until the proctor confirms them; then
//! the exam opens. Every failure says what to do next.

use examgate_shared::chip::id_card::{QrData, bac_inputs};
use examgate_shared::chip::mrz::MrzDate;
use yew::prelude::*;

use super::card_read::{CheckinFailure, CheckinStep, await_decision, open_bridge, read_and_submit};
use super::records::StudentSession;
use crate::i18n::{Lang, Problem, use_i18n};

#[derive(Properties, PartialEq)]
pub struct CheckinPanelProps {
    /// The join code typed above.
    pub code: String,
    pub on_joined: Callback<StudentSession>,
}

fn today() -> MrzDate {
    let d = js_sys::Date::new_0();
    MrzDate::new(
        d.get_full_year() as u16,
        d.get_month() as u8 + 1,
        d.get_date() as u8,
    )
}

/// `dd/mm/yyyy`, `dd-mm-yyyy` or `ddmmyyyy`.
fn parse_birth(text: &str) -> Option<MrzDate> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if digits.len() != 8 {
        return None;
    }
    let day = digits[0..2].parse().ok()?;
    let month = digits[2..4].parse().ok()?;
    let year = digits[4..8].parse().ok()?;
    Some(MrzDate::new(year, month, day))
}

fn failure_text(f: &CheckinFailure, lang: Lang) -> String {
    use crate::usb::BridgeError as B;
    use examgate_shared::chip::session::ReadError as R;
    let pick = |vi: &str, en: &str| {
        if lang == Lang::Vi {
            vi.to_string()
        } else {
            en.to_string()
        }
    };
    match f {
        CheckinFailure::Relay(code, _) => Problem::Code(*code).message(lang).to_string(),
        CheckinFailure::Network => Problem::Network.message(lang).to_string(),
        CheckinFailure::Bridge(B::Unsupported) => pick(
            "Trình duyệt này không dùng được đầu đọc thẻ. Hãy dùng Chrome/Edge, hoặc nhờ giám thị kiểm tra thẻ tại bàn và nhập mã chỗ ngồi.",
            "This browser cannot use the card reader. Use Chrome/Edge, or have the proctor check your card at the desk and type the seat code.",
        ),
        CheckinFailure::Bridge(B::Denied | B::NotPaired) => pick(
            "Chưa chọn đầu đọc thẻ. Bấm lại và chọn đầu đọc trong hộp thoại.",
            "No card reader was chosen. Press again and pick the reader in the dialog.",
        ),
        CheckinFailure::Bridge(B::Disconnected) => pick(
            "Đầu đọc thẻ bị rút ra. Cắm lại rồi bấm lại.",
            "The card reader was unplugged. Plug it back in and press again.",
        ),
        CheckinFailure::Bridge(B::NoCard | B::CardRemoved)
        | CheckinFailure::Read(R::CardRemoved) => pick(
            "Thẻ bị nhấc ra khi đang đọc. Đặt thẻ nằm yên trên đầu đọc rồi bấm lại.",
            "The card was lifted while being read. Keep it still on the reader and press again.",
        ),
        CheckinFailure::Read(R::AccessDenied { .. }) => pick(
            "Thẻ không mở được với số CCCD và ngày sinh đã nhập. Kiểm tra lại hai thông tin này.",
            "The card did not open with the ID number and date of birth given. Check both.",
        ),
        CheckinFailure::Bridge(e) => format!(
            "{} ({e})",
            pick(
                "Lỗi đầu đọc thẻ. Hãy báo giám thị.",
                "Card reader error. Tell the proctor."
            )
        ),
        CheckinFailure::Read(e) => format!(
            "{} ({e})",
            pick(
                "Không đọc được thẻ. Hãy báo giám thị.",
                "The card could not be read. Tell the proctor."
            )
        ),
    }
}

fn step_text(step: CheckinStep, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    match step {
        CheckinStep::Idle => String::new(),
        CheckinStep::Connecting => if vi {
            "Đang kết nối đầu đọc thẻ…"
        } else {
            "Connecting to the card reader…"
        }
        .into(),
        CheckinStep::WaitingCard => if vi {
            "Đặt thẻ CCCD lên đầu đọc."
        } else {
            "Place your ID card on the reader."
        }
        .into(),
        CheckinStep::Reading {
            files_done,
            files_planned,
        } => {
            if vi {
                format!("Đang đọc thẻ… ({files_done}/{files_planned}) Giữ thẻ nằm yên.")
            } else {
                format!("Reading the card… ({files_done}/{files_planned}) Keep it still.")
            }
        }
        CheckinStep::Verifying => if vi {
            "Đang xác thực thẻ với máy chủ…"
        } else {
            "Verifying the card with the server…"
        }
        .into(),
        CheckinStep::AwaitingProctor => if vi {
            "Thẻ hợp lệ. Chờ giám thị đối chiếu ảnh và xác nhận."
        } else {
            "Card verified. Wait for the proctor to compare the photo and confirm."
        }
        .into(),
        CheckinStep::Confirmed => if vi {
            "Giám thị đã xác nhận. Đang mở bài thi…"
        } else {
            "The proctor confirmed you. Opening the exam…"
        }
        .into(),
    }
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
            let inputs = if qr.trim().is_empty() {
                parse_birth(&birth).and_then(|b| bac_inputs(id.trim(), b, None, today()).ok())
            } else {
                QrData::parse(qr.trim())
                    .ok()
                    .and_then(|q| q.bac_inputs(today()).ok())
            };
            let Some(inputs) = inputs.filter(|i| !i.is_empty()) else {
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
