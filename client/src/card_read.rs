//! Driving a check-in (the student's panel and the proctor station): the reading session (shared, sans-IO) through the
//! USB bridge, then the relay's challenge, the chip's answer, the upload,
//! and waiting for the proctor. No view code here; the panel shows steps.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use examgate_shared::Millis;
use examgate_shared::checkin::{
    ChallengeRequest, ChallengeResponse, CheckinAccepted, CheckinPoll, CheckinRequest,
    CheckinStatus,
};
use examgate_shared::chip::id_card::{QrData, bac_inputs};
use examgate_shared::chip::mrz::{BacInput, MrzDate};
use examgate_shared::chip::session::{ReadError, ReadOptions, ReadSession, Step};
use examgate_shared::error::ErrorCode;

use crate::http::{self, HttpError};
use crate::i18n::{Lang, Problem};
use crate::usb::{Bridge, BridgeError};

/// Where a check-in is, for the screen (`data-step`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckinStep {
    Idle,
    Connecting,
    WaitingCard,
    Reading {
        files_done: usize,
        files_planned: usize,
    },
    Verifying,
    AwaitingProctor,
    /// Confirmed; the exam opens at this relay time.
    WaitingOpen {
        opens_at: Millis,
    },
    Confirmed,
}

impl CheckinStep {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckinStep::Idle => "idle",
            CheckinStep::Connecting => "connecting",
            CheckinStep::WaitingCard => "waiting_card",
            CheckinStep::Reading { .. } => "reading",
            CheckinStep::Verifying => "verifying",
            CheckinStep::AwaitingProctor => "awaiting_proctor",
            CheckinStep::WaitingOpen { .. } => "waiting_open",
            CheckinStep::Confirmed => "confirmed",
        }
    }
}

/// Why a check-in stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckinFailure {
    Bridge(BridgeError),
    Read(ReadError),
    Relay(ErrorCode, String),
    Network,
}

impl CheckinFailure {
    /// `data-code` of the error line.
    pub fn code(&self) -> String {
        match self {
            CheckinFailure::Bridge(e) => format!("bridge_{}", bridge_code(e)),
            CheckinFailure::Read(ReadError::AccessDenied { .. }) => "read_access_denied".into(),
            CheckinFailure::Read(ReadError::CardRemoved) => "read_card_removed".into(),
            CheckinFailure::Read(_) => "read_failed".into(),
            CheckinFailure::Relay(code, _) => code.as_str().into(),
            CheckinFailure::Network => "network".into(),
        }
    }
}

fn bridge_code(e: &BridgeError) -> &'static str {
    match e {
        BridgeError::Unsupported => "unsupported",
        BridgeError::NotPaired => "not_paired",
        BridgeError::Denied => "denied",
        BridgeError::NoCard => "no_card",
        BridgeError::CardRemoved => "card_removed",
        BridgeError::Disconnected => "disconnected",
        BridgeError::Protocol(_) => "protocol",
        BridgeError::Incompatible { .. } => "incompatible",
        BridgeError::Usb(_) => "usb",
    }
}

impl From<HttpError> for CheckinFailure {
    fn from(e: HttpError) -> Self {
        match e {
            HttpError::Relay(body) => CheckinFailure::Relay(body.code, body.message),
            HttpError::Network => CheckinFailure::Network,
        }
    }
}

pub fn today() -> MrzDate {
    let d = js_sys::Date::new_0();
    MrzDate::new(
        d.get_full_year() as u16,
        d.get_month() as u8 + 1,
        d.get_date() as u8,
    )
}

/// `dd/mm/yyyy`, `dd-mm-yyyy` or `ddmmyyyy`.
pub fn parse_birth(text: &str) -> Option<MrzDate> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if digits.len() != 8 {
        return None;
    }
    let day = digits[0..2].parse().ok()?;
    let month = digits[2..4].parse().ok()?;
    let year = digits[4..8].parse().ok()?;
    Some(MrzDate::new(year, month, day))
}

pub fn failure_text(f: &CheckinFailure, lang: Lang) -> String {
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

pub fn step_text(step: CheckinStep, lang: Lang) -> String {
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
        CheckinStep::WaitingOpen { opens_at } => {
            let at = vietnam_clock(opens_at);
            if vi {
                format!(
                    "Giám thị đã xác nhận. Bài thi mở lúc {at}; trang sẽ tự vào thi, em cứ chờ."
                )
            } else {
                format!(
                    "The proctor confirmed you. The exam opens at {at}; this page will open it, just wait."
                )
            }
        }
        CheckinStep::Confirmed => if vi {
            "Giám thị đã xác nhận. Đang mở bài thi…"
        } else {
            "The proctor confirmed you. Opening the exam…"
        }
        .into(),
    }
}

/// `HH:MM` of a relay time in Vietnam (UTC+7 all year, no daylight
/// saving), whatever the student's computer is set to.
pub fn vietnam_clock(at: Millis) -> String {
    let minutes = (at.div_euclid(60_000) + 7 * 60).rem_euclid(24 * 60);
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The BAC inputs to try, from the typed ID and date of birth, or from the
/// QR text when one was scanned (it wins: it also has the issue date).
pub fn bac_inputs_from(id: &str, birth: &str, qr: &str, today: MrzDate) -> Option<Vec<BacInput>> {
    let inputs = if qr.trim().is_empty() {
        parse_birth(birth).and_then(|b| bac_inputs(id.trim(), b, None, today).ok())
    } else {
        QrData::parse(qr.trim())
            .ok()
            .and_then(|q| q.bac_inputs(today).ok())
    };
    inputs.filter(|i| !i.is_empty())
}

/// Opens the bridge: the one paired before, or the browser's chooser
/// (this must run inside the click that started the check-in).
pub async fn open_bridge() -> Result<Bridge, CheckinFailure> {
    if !Bridge::supported() {
        return Err(CheckinFailure::Bridge(BridgeError::Unsupported));
    }
    match Bridge::paired().await.map_err(CheckinFailure::Bridge)? {
        Some(bridge) => Ok(bridge),
        None => Bridge::request().await.map_err(CheckinFailure::Bridge),
    }
}

/// Carries one APDU to the card and its answer back into the session; a
/// card gone from the reader ends the session with that reason.
async fn carry(
    bridge: &Bridge,
    session: &mut ReadSession,
    apdu: &[u8],
) -> Result<Step, CheckinFailure> {
    match bridge.transmit(apdu).await {
        Ok(response) => Ok(session.on_response(&response)),
        Err(BridgeError::CardRemoved | BridgeError::NoCard) => Ok(session.card_removed()),
        Err(e) => Err(CheckinFailure::Bridge(e)),
    }
}

/// Reads the card, has it answer the relay's challenge, uploads everything.
pub async fn read_and_submit(
    bridge: &Bridge,
    code: &str,
    inputs: Vec<BacInput>,
    station: bool,
    staff_token: Option<&str>,
    step: &dyn Fn(CheckinStep),
) -> Result<CheckinAccepted, CheckinFailure> {
    step(CheckinStep::WaitingCard);
    bridge
        .wait_for_card()
        .await
        .map_err(CheckinFailure::Bridge)?;
    bridge.power_on().await.map_err(CheckinFailure::Bridge)?;
    let info = bridge.info().await.map_err(CheckinFailure::Bridge)?;
    let options = if info.extended_length {
        ReadOptions::extended((info.max_apdu_len as usize).saturating_sub(64))
    } else {
        ReadOptions::short_only()
    };
    let mut entropy = [0u8; 32];
    getrandom::fill(&mut entropy).map_err(|_| CheckinFailure::Network)?;
    let mut session = ReadSession::new(inputs, entropy, options);
    let mut next = session.start();
    let read = loop {
        match next {
            Step::Transmit(apdu) => {
                let p = session.progress();
                step(CheckinStep::Reading {
                    files_done: p.files_done,
                    files_planned: p.files_planned,
                });
                next = carry(bridge, &mut session, &apdu).await?;
            }
            Step::Read(read) => break read,
            Step::Failed(e) => return Err(CheckinFailure::Read(e)),
            Step::Authenticated(_) | Step::ChipAuthenticated(_) | Step::ChipAuthRefused { .. } => {
                return Err(CheckinFailure::Read(ReadError::OutOfOrder("early answer")));
            }
        }
    };
    step(CheckinStep::Verifying);
    // DG14 goes with the request: if the chip offers Chip Authentication,
    // the relay answers with that exchange, the stronger proof.
    let dg14 = read.groups.get(&14).map(|dg14| BASE64.encode(dg14));
    let challenge: ChallengeResponse = http::post_json(
        "/api/checkin/challenge",
        &ChallengeRequest {
            code: code.into(),
            dg14,
        },
    )
    .await?;
    // Chip Authentication when the relay started it; Active Authentication
    // otherwise, or when the chip refuses the relay's commands.
    let mut ca_answer = Vec::new();
    if let Some((commands, proof)) = challenge.chip_auth.as_ref().and_then(|ca| ca.bytes()) {
        let mut next = session.chip_authenticate(&commands, proof);
        loop {
            match next {
                Step::Transmit(apdu) => next = carry(bridge, &mut session, &apdu).await?,
                Step::ChipAuthenticated(answer) => {
                    ca_answer = answer;
                    break;
                }
                Step::ChipAuthRefused { .. } => break,
                Step::Failed(e) => return Err(CheckinFailure::Read(e)),
                _ => {
                    return Err(CheckinFailure::Read(ReadError::OutOfOrder(
                        "chip authentication",
                    )));
                }
            }
        }
    }
    let mut signature = Vec::new();
    if ca_answer.is_empty() {
        let bytes = challenge.bytes().ok_or(CheckinFailure::Network)?;
        let mut next = session.authenticate(&bytes);
        signature = loop {
            match next {
                Step::Transmit(apdu) => next = carry(bridge, &mut session, &apdu).await?,
                Step::Authenticated(sig) => break sig,
                Step::Failed(e) => return Err(CheckinFailure::Read(e)),
                _ => return Err(CheckinFailure::Read(ReadError::OutOfOrder("read twice"))),
            }
        };
    }
    let _ = bridge.power_off().await;
    let mut request =
        CheckinRequest::from_read(code, &challenge.challenge_id, &read, &signature, station);
    request.ca_answer = BASE64.encode(&ca_answer);
    Ok(http::post_json_auth("/api/checkin", &request, staff_token).await?)
}

/// The whole check-in: open the bridge, read, upload, wait for the proctor.
/// The caller turns the decision into an attempt (student) or a seat code
/// (proctor station).
pub async fn check_in(
    code: &str,
    inputs: Vec<BacInput>,
    staff_token: Option<&str>,
    step: &dyn Fn(CheckinStep),
) -> Result<(CheckinAccepted, CheckinPoll), CheckinFailure> {
    let bridge = open_bridge().await?;
    let station = staff_token.is_some();
    let accepted = read_and_submit(&bridge, code, inputs, station, staff_token, step).await?;
    step(CheckinStep::AwaitingProctor);
    let poll = await_decision(&accepted, step).await?;
    if poll.status != CheckinStatus::Confirmed {
        return Err(CheckinFailure::Relay(
            ErrorCode::CheckinRejected,
            poll.reason.unwrap_or_default(),
        ));
    }
    Ok((accepted, poll))
}

/// Waits for the proctor's decision, and for the exam to open when the
/// proctor confirmed before (long polls; network hiccups retried).
pub async fn await_decision(
    accepted: &CheckinAccepted,
    step: &dyn Fn(CheckinStep),
) -> Result<CheckinPoll, CheckinFailure> {
    let path = format!("/api/checkin/{}", accepted.checkin_id);
    let mut failures = 0;
    loop {
        match http::get_json::<CheckinPoll>(&path, &accepted.poll_token).await {
            Ok(poll) if poll.status == CheckinStatus::AwaitingProctor => failures = 0,
            Ok(CheckinPoll {
                opens_at: Some(opens_at),
                ..
            }) => {
                failures = 0;
                step(CheckinStep::WaitingOpen { opens_at });
            }
            Ok(poll) => return Ok(poll),
            Err(HttpError::Network) if failures < 30 => {
                failures += 1;
                gloo::timers::future::TimeoutFuture::new(1_000).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_time_in_vietnam() {
        // 2026-11-27T01:30:00Z is 08:30 in Hà Nội.
        assert_eq!(vietnam_clock(1_795_743_000_000), "08:30");
        assert_eq!(vietnam_clock(1_795_743_000_000 + 16 * 3_600_000), "00:30");
    }

    #[test]
    fn birth_dates_as_students_type_them() {
        let may14 = Some(MrzDate::new(2003, 5, 14));
        assert_eq!(parse_birth("14/05/2003"), may14);
        assert_eq!(parse_birth("14-05-2003"), may14);
        assert_eq!(parse_birth(" 14052003 "), may14);
        assert_eq!(parse_birth("14/5/2003"), None);
        assert_eq!(parse_birth(""), None);
    }

    #[test]
    fn bac_inputs_from_typed_fields_or_the_qr_text() {
        let today = MrzDate::new(2026, 11, 27);
        // The synthetic vector of the reference notes: the first guess is
        // the card's real expiry (25th birthday).
        let typed = bac_inputs_from("001203012345", "14/05/2003", "", today).unwrap();
        assert_eq!(typed[0].mrz_information(), "203012345003051412805140");
        let qr = "001203012345||Nguyễn Văn A|14052003|Nam|Hà Nội|14052021";
        let scanned = bac_inputs_from("", "", qr, today).unwrap();
        assert_eq!(scanned[0].mrz_information(), "203012345003051412805140");
        assert_eq!(bac_inputs_from("12345", "14/05/2003", "", today), None);
        assert_eq!(bac_inputs_from("001203012345", "nope", "", today), None);
    }

    #[test]
    fn every_failure_has_a_data_code_and_a_message_in_both_languages() {
        let failures = [
            CheckinFailure::Bridge(BridgeError::Unsupported),
            CheckinFailure::Bridge(BridgeError::Denied),
            CheckinFailure::Bridge(BridgeError::Disconnected),
            CheckinFailure::Read(ReadError::CardRemoved),
            CheckinFailure::Read(ReadError::AccessDenied { tried: 3 }),
            CheckinFailure::Relay(ErrorCode::CardNotGenuine, "aa".into()),
            CheckinFailure::Network,
        ];
        let codes: Vec<String> = failures.iter().map(CheckinFailure::code).collect();
        assert_eq!(
            codes,
            [
                "bridge_unsupported",
                "bridge_denied",
                "bridge_disconnected",
                "read_card_removed",
                "read_access_denied",
                "card_not_genuine",
                "network"
            ]
        );
        for f in &failures {
            let (vi, en) = (failure_text(f, Lang::Vi), failure_text(f, Lang::En));
            assert!(!vi.is_empty() && !en.is_empty() && vi != en, "{f:?}");
        }
    }
}
