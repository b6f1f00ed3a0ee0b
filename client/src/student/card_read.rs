//! Driving a check-in: the reading session (shared, sans-IO) through the
//! USB bridge, then the relay's challenge, the chip's answer, the upload,
//! and waiting for the proctor. No view code here; the panel shows steps.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use examgate_shared::checkin::{
    ChallengeRequest, ChallengeResponse, CheckinAccepted, CheckinPoll, CheckinRequest,
    CheckinStatus,
};
use examgate_shared::chip::mrz::BacInput;
use examgate_shared::chip::session::{ReadError, ReadOptions, ReadSession, SHORT_READ, Step};
use examgate_shared::error::ErrorCode;

use crate::http::{self, HttpError};
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
        ReadOptions::extended(SHORT_READ)
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
                next = match bridge.transmit(&apdu).await {
                    Ok(response) => session.on_response(&response),
                    Err(BridgeError::CardRemoved | BridgeError::NoCard) => session.card_removed(),
                    Err(e) => return Err(CheckinFailure::Bridge(e)),
                };
            }
            Step::Read(read) => break read,
            Step::Failed(e) => return Err(CheckinFailure::Read(e)),
            Step::Authenticated(_) => {
                return Err(CheckinFailure::Read(ReadError::OutOfOrder("early answer")));
            }
        }
    };
    step(CheckinStep::Verifying);
    let challenge: ChallengeResponse = http::post_json(
        "/api/checkin/challenge",
        &ChallengeRequest { code: code.into() },
    )
    .await?;
    let bytes = hex8(&challenge.challenge).ok_or(CheckinFailure::Network)?;
    let mut next = session.authenticate(&bytes);
    let signature = loop {
        match next {
            Step::Transmit(apdu) => {
                next = match bridge.transmit(&apdu).await {
                    Ok(response) => session.on_response(&response),
                    Err(BridgeError::CardRemoved | BridgeError::NoCard) => session.card_removed(),
                    Err(e) => return Err(CheckinFailure::Bridge(e)),
                }
            }
            Step::Authenticated(sig) => break sig,
            Step::Failed(e) => return Err(CheckinFailure::Read(e)),
            Step::Read(_) => return Err(CheckinFailure::Read(ReadError::OutOfOrder("read twice"))),
        }
    };
    let _ = bridge.power_off().await;
    let request = CheckinRequest {
        code: code.into(),
        challenge_id: challenge.challenge_id,
        com: BASE64.encode(&read.com),
        groups: read
            .groups
            .iter()
            .map(|(n, g)| (*n, BASE64.encode(g)))
            .collect(),
        sod: BASE64.encode(&read.sod),
        aa_signature: BASE64.encode(&signature),
        station,
    };
    Ok(http::post_json_auth("/api/checkin", &request, staff_token).await?)
}

/// Waits for the proctor's decision (long polls; network hiccups retried).
pub async fn await_decision(accepted: &CheckinAccepted) -> Result<CheckinPoll, CheckinFailure> {
    let path = format!("/api/checkin/{}", accepted.checkin_id);
    let mut failures = 0;
    loop {
        match http::get_json::<CheckinPoll>(&path, &accepted.poll_token).await {
            Ok(poll) if poll.status == CheckinStatus::AwaitingProctor => failures = 0,
            Ok(poll) => return Ok(poll),
            Err(HttpError::Network) if failures < 30 => {
                failures += 1;
                gloo::timers::future::TimeoutFuture::new(1_000).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

fn hex8(s: &str) -> Option<[u8; 8]> {
    let bytes: Option<Vec<u8>> = (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect();
    bytes?.try_into().ok()
}
