//! The WebSocket protocol between browsers and the relay (version 1).
//!
//! Every message is one JSON text frame, an object tagged by `"type"`. There
//! are two endpoints with their own message sets:
//!
//! - `/ws/student`: [`StudentToRelay`] and [`RelayToStudent`].
//! - `/ws/proctor`: [`ProctorToRelay`] and [`RelayToProctor`].
//!
//! The first client message on either must be a hello carrying
//! [`PROTOCOL_VERSION`] and a token obtained over HTTP (`/api/join`,
//! `/api/login`). Fatal problems are answered with an `error` message and then
//! a close frame whose reason repeats the code. `docs/protocol.md` is the
//! prose version of this file, with examples.

use serde::{Deserialize, Serialize};

use crate::Millis;
use crate::answer::AnswerValue;
use crate::attempt::{AttemptStatus, RefusedEvent, StudentEvent};
use crate::checkin::CheckinView;
use crate::control::{AttemptClock, Control};
use crate::error::{ErrorBody, ErrorCode};
use crate::exam::QuestionId;
use crate::integrity::Signal;
use crate::paper::Paper;
use crate::proctoring::{Incident, RoomSummary, SentMessage, StudentMessage};
use crate::roster::{CandidateRow, RoomView};
use crate::scoring::Grade;

pub const PROTOCOL_VERSION: u16 = 1;

/// Longest page-load name a hello may carry.
pub const MAX_TAB_CHARS: usize = 64;

/// Largest client message the relay reads. An answer is under 150 bytes; the
/// limit leaves room without letting one client make the relay buffer much.
pub const MAX_MESSAGE_BYTES: usize = 4 * 1024;

/// WebSocket close codes the relay uses (RFC 6455 and the 4000 private range).
pub mod close_code {
    /// Payload was not valid for this endpoint.
    pub const INVALID_PAYLOAD: u16 = 1007;
    /// Policy: unauthorised, wrong version, hello expected.
    pub const POLICY: u16 = 1008;
    /// Message larger than the limit.
    pub const TOO_BIG: u16 = 1009;
    /// A newer connection took over the same attempt or session.
    pub const REPLACED: u16 = 4001;
    /// The attempt is final; nothing more to say. Reserved: the relay keeps
    /// final attempts' connections open for now, clients already honour it.
    pub const ATTEMPT_FINAL: u16 = 4002;
}

// ---------------------------------------------------------------- student

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StudentToRelay {
    /// First message. `sent_at` is the client's clock, used only to echo back
    /// for clock sync, never trusted. `tab` names this page load (random,
    /// at most [`MAX_TAB_CHARS`]): a reconnect of the same page replacing
    /// its own half-open connection is not a second connection.
    Hello {
        v: u16,
        token: String,
        sent_at: Millis,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tab: Option<String>,
    },
    /// A numbered event; see [`crate::attempt`] for the sequence rules.
    Event {
        seq: u64,
        #[serde(flatten)]
        event: StudentEvent,
    },
    /// Clock sync probe.
    Ping { sent_at: Millis },
    /// An integrity signal the page observed (only the kinds a page may
    /// send; see [`Signal::from_page`]). Not numbered: a lost one is lost.
    Signal {
        #[serde(flatten)]
        signal: Signal,
    },
    /// The student read a proctor's message (its `id`).
    Seen { message: u64 },
}

/// The attempt as the student's browser needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptView {
    pub attempt_id: u64,
    pub candidate_name: String,
    pub status: AttemptStatus,
    pub deadline_ms: Millis,
    /// Highest sequence number the relay holds.
    pub acked_seq: u64,
    /// The answers the relay holds: `[question, value]` pairs, canonical
    /// question ids, values as in events.
    pub answers: Vec<(QuestionId, AnswerValue)>,
    /// A proctor paused the attempt: show the paused screen, take no
    /// answers. `remaining_ms` is the frozen time left.
    #[serde(default)]
    pub paused: bool,
    /// Working time left at `relay_time` (frozen while paused).
    #[serde(default)]
    pub remaining_ms: Option<Millis>,
    /// Extra time proctors granted, in total.
    #[serde(default)]
    pub extra_ms: Millis,
    /// The room asks for full screen: the page offers it and reports
    /// leaving it.
    #[serde(default)]
    pub fullscreen: bool,
    /// Proctor messages the student has not acknowledged yet.
    #[serde(default)]
    pub messages: Vec<StudentMessage>,
    /// The attempt's latest refusals (at most
    /// [`crate::attempt::REMEMBERED_REFUSALS`]), oldest first: a refusal
    /// whose `refused` message was lost with a dropped connection is learnt
    /// here.
    #[serde(default)]
    pub refused: Vec<RefusedEvent>,
}

// A message is built, encoded and dropped at once; the welcome being a few
// hundred bytes larger than an ack costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
// In the browser, read tag first (`tag_first`).
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RelayToStudent {
    /// Reply to hello. Once the attempt is final, a `result` follows it.
    Welcome {
        /// Echo of the hello's `sent_at`.
        echo: Millis,
        relay_time: Millis,
        attempt: AttemptView,
        /// Always present from this relay; optional for forward
        /// compatibility.
        paper: Option<Paper>,
    },
    /// Everything up to and including `seq` is stored durably.
    Ack { seq: u64 },
    /// Event `seq` was refused (and its number consumed); the attempt is
    /// unchanged.
    Refused { seq: u64, error: ErrorBody },
    /// Reply to ping.
    Pong { echo: Millis, relay_time: Millis },
    /// The attempt is final and graded.
    Result { status: AttemptStatus, grade: Grade },
    /// A proctor (or the relay at the deadline) changed the attempt: extra
    /// time, pause, resume, end, reopen. `clock` is the attempt's clock
    /// after it; an `end` is followed by a `result`, a `reopen` means the
    /// exam page comes back (answers as in the last welcome).
    Control {
        control: Control,
        clock: AttemptClock,
    },
    /// A message from the proctor; answer with `seen` once shown.
    Message { message: StudentMessage },
    /// Fatal or stream-level problem. For `out_of_order`, `expected` says
    /// which sequence number to resend from, and the connection stays open.
    Error {
        #[serde(flatten)]
        error: ErrorBody,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        expected: Option<u64>,
    },
}

// ---------------------------------------------------------------- proctor

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ProctorToRelay {
    Hello {
        v: u16,
        token: String,
        sent_at: Millis,
    },
    Ping {
        sent_at: Millis,
    },
    /// The rooms whose rows this feed should carry (at most
    /// [`crate::proctoring::MAX_WATCHED_ROOMS`]); the relay answers with a
    /// snapshot. A room proctor always watches their room.
    Watch {
        rooms: Vec<u64>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RelayToProctor {
    /// Everything this proctor may see, sent after hello and whenever the
    /// view fell too far behind to patch.
    Snapshot {
        echo: Option<Millis>,
        relay_time: Millis,
        /// The watched rooms, with their rows.
        rooms: Vec<RoomView>,
        /// Every room the session may watch, as counts.
        #[serde(default)]
        summaries: Vec<RoomSummary>,
    },
    /// Rooms whose counts changed (sent at most once a second).
    Summaries {
        summaries: Vec<RoomSummary>,
    },
    /// An incident was recorded in a watched room.
    Incident {
        incident: Incident,
    },
    /// A message was sent, or acknowledged, in a watched room (replaces the
    /// one with its id).
    Message {
        message: SentMessage,
    },
    /// One row changed.
    Row {
        room_id: u64,
        row: CandidateRow,
    },
    /// A check-in arrived or was decided (replaces the one with its id).
    Checkin {
        checkin: CheckinView,
    },
    Pong {
        echo: Millis,
        relay_time: Millis,
    },
    Error {
        #[serde(flatten)]
        error: ErrorBody,
    },
}

// ---------------------------------------------------------------- HTTP

/// `POST /api/join` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinRequest {
    pub code: String,
    pub name: String,
    /// A token this browser already holds for the same candidate, so a
    /// returning student resumes instead of being refused as a duplicate.
    #[serde(default)]
    pub resume_token: Option<String>,
    /// A one-time code from the room's proctor station (chip check-in done
    /// there); replaces the name.
    #[serde(default)]
    pub seat_code: Option<String>,
    /// Số báo danh, in rooms whose candidates were registered by the exam
    /// office; replaces the name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidate_number: Option<String>,
    /// The date of birth (`dd/mm/yyyy`) that goes with the candidate number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinResponse {
    pub token: String,
    pub attempt_id: u64,
    pub exam_title: String,
    pub room: String,
}

/// `POST /api/login` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Watches one room.
    RoomProctor,
    /// Watches every room of every site.
    CentralProctor,
    /// Builds exams and reads results (also sees every room).
    Teacher,
    /// The exam office ("hội đồng thi"): plans events, sites, rooms, shifts,
    /// rosters and staff accounts, and hands in the results.
    ExamOffice,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginResponse {
    pub token: String,
    pub role: Role,
    pub display_name: String,
}

/// A sitting as `GET /api/sittings` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SittingSummary {
    pub sitting_id: u64,
    pub exam_id: String,
    pub title: String,
    /// Relay time, milliseconds since the epoch.
    pub opens_at: Millis,
    pub closes_at: Millis,
    pub attempts: usize,
    /// Attempts handed in or closed, i.e. graded.
    pub finished: usize,
}

// ---------------------------------------------------------------- decoding

/// Decodes one client text frame, enforcing the size limit before parsing.
pub fn decode<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, ErrorBody> {
    if text.len() > MAX_MESSAGE_BYTES {
        return Err(ErrorBody::new(
            ErrorCode::TooLarge,
            format!(
                "message of {} bytes exceeds the {MAX_MESSAGE_BYTES}-byte limit",
                text.len()
            ),
        ));
    }
    serde_json::from_str(text)
        .map_err(|e| ErrorBody::new(ErrorCode::Malformed, format!("invalid message: {e}")))
}

/// Encodes a message as a JSON text frame.
pub fn encode<T: Serialize>(msg: &T) -> String {
    serde_json::to_string(msg).expect("protocol messages always serialise")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_wire_shape_is_flat() {
        let msg = StudentToRelay::Event {
            seq: 3,
            event: StudentEvent::Answer {
                question: QuestionId(7),
                value: Some(AnswerValue::Choice(crate::exam::OptionId(2))),
            },
        };
        let text = encode(&msg);
        assert_eq!(
            text,
            r#"{"type":"event","seq":3,"kind":"answer","question":7,"value":{"choice":2}}"#
        );
        assert_eq!(decode::<StudentToRelay>(&text).unwrap(), msg);
        let submit = decode::<StudentToRelay>(r#"{"type":"event","seq":4,"kind":"submit"}"#);
        assert_eq!(
            submit.unwrap(),
            StudentToRelay::Event {
                seq: 4,
                event: StudentEvent::Submit
            }
        );
    }

    #[test]
    fn malformed_and_oversized_are_told_apart() {
        let err = decode::<StudentToRelay>(r#"{"type":"event","seq":"x"}"#).unwrap_err();
        assert_eq!(err.code, ErrorCode::Malformed);
        let err = decode::<StudentToRelay>("not json").unwrap_err();
        assert_eq!(err.code, ErrorCode::Malformed);
        let big = format!(
            r#"{{"type":"ping","sent_at":1,"pad":"{}"}}"#,
            "x".repeat(5000)
        );
        assert_eq!(
            decode::<StudentToRelay>(&big).unwrap_err().code,
            ErrorCode::TooLarge
        );
    }

    #[test]
    fn error_message_flattens() {
        let msg = RelayToStudent::Error {
            error: ErrorBody::new(ErrorCode::OutOfOrder, "expected 5"),
            expected: Some(5),
        };
        assert_eq!(
            encode(&msg),
            r#"{"type":"error","code":"out_of_order","message":"expected 5","expected":5}"#
        );
    }
}
