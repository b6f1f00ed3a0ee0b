//! Chip-ID check-in: the HTTP messages between the card reader (a student's
//! computer or the room's proctor station), the relay and the proctor views.
//!
//! The relay decides; the client only carries bytes. The flow:
//!
//! 1. `POST /api/checkin/challenge` {code} → a fresh 8-byte challenge,
//!    single use, valid [`CHALLENGE_TTL_MS`].
//! 2. The client reads the card, has the chip sign the challenge (active
//!    authentication), and sends everything: `POST /api/checkin`.
//! 3. The relay checks passive authentication, the AA signature over its
//!    own challenge, the roster of this room and sitting, and that the
//!    person is not already seated elsewhere. A refusal carries its own
//!    error code; an acceptance waits for the room proctor, who compares
//!    the chip photo with the person and confirms or rejects.
//! 4. The reader polls `GET /api/checkin/{id}` with its poll token until the
//!    proctor decides; on confirmation it receives the attempt token (or, at
//!    a proctor station, a one-time seat code for the student to type).

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};

use crate::Millis;
use crate::chip::session::CardRead;
use crate::protocol::JoinResponse;

/// How long a challenge may be answered.
pub const CHALLENGE_TTL_MS: Millis = 120_000;
/// How long a seat code may be typed.
/// Long enough for a check-in at the door well before the exam opens.
pub const SEAT_CODE_TTL_MS: Millis = 30 * 60_000;
/// Largest `POST /api/checkin` body: DG2 is 15–25 KB, base64 adds a third.
pub const MAX_CHECKIN_BYTES: usize = 256 * 1024;

/// `POST /api/checkin/challenge` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeRequest {
    /// The room's join code.
    pub code: String,
    /// DG14 as read (base64), when the chip has one: if it offers Chip
    /// Authentication, the relay answers with the commands of that
    /// exchange ([`ChipAuthCommands`]) as well as the AA challenge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dg14: Option<String>,
}

/// The relay's side of Chip Authentication, for the reader to carry: plain
/// command APDUs (hex) to send under the current secure channel, then the
/// proof read (hex), already protected under the keys the chip switches
/// to, sent as it is. The chip's answer to the proof goes back in
/// [`CheckinRequest::ca_answer`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChipAuthCommands {
    pub commands: Vec<String>,
    pub proof: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeResponse {
    pub challenge_id: String,
    /// 8 bytes, hex.
    pub challenge: String,
    pub expires_at: Millis,
    /// Chip Authentication to run instead of answering `challenge` (the
    /// chip offers it: the stronger proof).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chip_auth: Option<ChipAuthCommands>,
}

/// `POST /api/checkin` body: the card's files exactly as read, base64.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckinRequest {
    pub code: String,
    pub challenge_id: String,
    pub com: String,
    /// Data group number → file.
    pub groups: BTreeMap<u8, String>,
    pub sod: String,
    /// The chip's answer to the challenge.
    pub aa_signature: String,
    /// Set by a proctor station (signed in as room proctor): the result is
    /// a seat code for the student instead of an attempt token.
    #[serde(default)]
    pub station: bool,
    /// How the reader opened the chip (`PACE-CAN AES-128 brainpoolP256r1`,
    /// `BAC`), as it reports it: recorded with the verdict, never relied on
    /// (nothing the reader says about itself is proof).
    #[serde(default)]
    pub access: String,
    /// The chip's answer to the relay's Chip Authentication proof read
    /// (base64), when the relay asked for it; empty otherwise.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ca_answer: String,
}

impl ChipAuthCommands {
    /// The commands and the proof as bytes; `None` if any is not hex.
    pub fn bytes(&self) -> Option<(Vec<Vec<u8>>, Vec<u8>)> {
        let commands = self
            .commands
            .iter()
            .map(|c| from_hex(c))
            .collect::<Option<_>>()?;
        Some((commands, from_hex(&self.proof)?))
    }
}

/// Bytes from hex (either case); `None` for an odd length or a non-hex digit.
pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Bytes as lowercase hex, as the relay sends commands.
pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl ChallengeResponse {
    /// The challenge's 8 bytes, for INTERNAL AUTHENTICATE.
    pub fn bytes(&self) -> Option<[u8; 8]> {
        from_hex(&self.challenge)?.try_into().ok()
    }
}

impl CheckinRequest {
    /// The upload of a card read (files exactly as read) and the chip's
    /// answer to `challenge_id`.
    pub fn from_read(
        code: &str,
        challenge_id: &str,
        read: &CardRead,
        aa_signature: &[u8],
        station: bool,
    ) -> CheckinRequest {
        CheckinRequest {
            code: code.to_string(),
            challenge_id: challenge_id.to_string(),
            com: BASE64.encode(&read.com),
            groups: read
                .groups
                .iter()
                .map(|(n, g)| (*n, BASE64.encode(g)))
                .collect(),
            sod: BASE64.encode(&read.sod),
            aa_signature: BASE64.encode(aa_signature),
            station,
            access: read.access.describe(),
            ca_answer: String::new(),
        }
    }
}

/// What the relay decided about a check-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckinStatus {
    /// The card is genuine and on the roster; the proctor has not decided.
    AwaitingProctor,
    Confirmed,
    /// The proctor said this is not the person on the card.
    Rejected,
    /// The proctor released the seat (the student moved to another
    /// computer); the card may check in again.
    Released,
}

impl CheckinStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckinStatus::AwaitingProctor => "awaiting_proctor",
            CheckinStatus::Confirmed => "confirmed",
            CheckinStatus::Rejected => "rejected",
            CheckinStatus::Released => "released",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckinAccepted {
    pub checkin_id: u64,
    /// Bearer token for polling this check-in.
    pub poll_token: String,
    /// The roster name, for "Hello, …" while the proctor looks.
    pub name: String,
    pub status: CheckinStatus,
}

/// `GET /api/checkin/{id}` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckinPoll {
    pub status: CheckinStatus,
    /// On confirmation at a student's computer: the attempt to open.
    #[serde(default)]
    pub join: Option<JoinResponse>,
    /// On confirmation at a proctor station: the code the student types.
    #[serde(default)]
    pub seat_code: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    /// Confirmed before the exam opens: the attempt is handed out from
    /// this relay time on; keep polling.
    #[serde(default)]
    pub opens_at: Option<Millis>,
}

/// `POST /api/checkins/{id}/decision` body (room proctor or central).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub confirm: bool,
    #[serde(default)]
    pub reason: Option<String>,
}

/// One check-in as proctor views show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckinView {
    pub checkin_id: u64,
    pub room_id: u64,
    pub status: CheckinStatus,
    /// As the school registered the candidate.
    pub roster_name: String,
    pub roster_birth: String,
    /// As the chip says (DG13, else DG1).
    pub chip_name: String,
    pub chip_birth: String,
    pub person_id: String,
    /// `GET` with the proctor's bearer token.
    pub photo_url: String,
    pub at: Millis,
    /// Set when this card moved from another seat.
    #[serde(default)]
    pub reseat: bool,
}

/// Check-in counts of one room, for the central view.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckinCounts {
    pub roster: u32,
    pub awaiting: u32,
    pub confirmed: u32,
    pub refused: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenge_hex_round_trip_and_refusals() {
        let c = |hex: &str| ChallengeResponse {
            challenge_id: "x".into(),
            challenge: hex.into(),
            expires_at: 0,
            chip_auth: None,
        };
        assert_eq!(
            c("0011223344556677").bytes(),
            Some([0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77])
        );
        assert_eq!(c("00112233").bytes(), None);
        assert_eq!(c("zz11223344556677").bytes(), None);
        assert_eq!(c("é0112233445566").bytes(), None);
    }
}
