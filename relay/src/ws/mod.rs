//! The WebSocket endpoints: `/ws/student` and `/ws/proctor`.
//!
//! Both share the plumbing here: connection limits sized for thousands of
//! students (small buffers, small messages), a writer task fed by a bounded
//! queue, and fatal errors sent as an `error` message followed by a close
//! frame whose reason names the code.

pub mod proctor;
pub mod student;

use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::protocol::{MAX_MESSAGE_BYTES, close_code};
use futures_util::SinkExt;
use futures_util::stream::SplitSink;
use tokio::sync::mpsc;

use crate::live::Outgoing;

/// How long a client has to say hello after connecting.
pub const HELLO_TIMEOUT: Duration = Duration::from_secs(10);

/// A connection that sends nothing (not even a ping) for this long is
/// considered gone; clients ping every 10 s.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// The most the WebSocket layer reads of one message. Messages between
/// [`MAX_MESSAGE_BYTES`] and this are read whole and refused by the protocol
/// with a clean `too_large` close; beyond it tungstenite stops reading
/// mid-message, and the peer may see a reset instead of the close frame.
pub const HARD_MESSAGE_LIMIT: usize = 16 * MAX_MESSAGE_BYTES;

/// Applies the per-connection limits. tungstenite's defaults reserve 128 KiB
/// per socket and accept 64 MiB messages; exam traffic needs neither.
pub fn limited(ws: WebSocketUpgrade, max_write_buffer: usize) -> WebSocketUpgrade {
    ws.read_buffer_size(4 * 1024)
        .write_buffer_size(4 * 1024)
        .max_write_buffer_size(max_write_buffer)
        .max_message_size(HARD_MESSAGE_LIMIT)
        .max_frame_size(HARD_MESSAGE_LIMIT)
}

/// Lets the writer flush a pending close frame, but not forever. A writer
/// that already finished (the select that ended the read loop saw it) is
/// not polled again: a finished task's handle must not be.
pub async fn flush_writer(writer: tokio::task::JoinHandle<()>) {
    if !writer.is_finished() {
        let _ = tokio::time::timeout(Duration::from_secs(2), writer).await;
    }
}

/// Drains `rx` into the socket until a close is sent or the socket fails.
pub async fn write_loop(mut sink: SplitSink<WebSocket, Message>, mut rx: mpsc::Receiver<Outgoing>) {
    while let Some(out) = rx.recv().await {
        let result = match out {
            Outgoing::Text(text) => sink.send(Message::Text(text.into())).await,
            Outgoing::Close(code, reason) => {
                let frame = CloseFrame {
                    code,
                    reason: truncate_reason(&reason).into(),
                };
                let _ = sink.send(Message::Close(Some(frame))).await;
                break;
            }
        };
        if result.is_err() {
            break;
        }
    }
    let _ = sink.close().await;
}

/// Close reasons are limited to 123 bytes by RFC 6455.
fn truncate_reason(reason: &str) -> &str {
    let mut end = reason.len().min(120);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    &reason[..end]
}

/// The close code that goes with a fatal error.
pub fn close_code_for(code: ErrorCode) -> u16 {
    match code {
        ErrorCode::Malformed => close_code::INVALID_PAYLOAD,
        ErrorCode::TooLarge => close_code::TOO_BIG,
        ErrorCode::Replaced => close_code::REPLACED,
        ErrorCode::Internal => 1011,
        _ => close_code::POLICY,
    }
}

/// The close reason: the code's wire name, then the specifics.
pub fn close_reason(error: &ErrorBody) -> String {
    format!("{}: {}", error.code.as_str(), error.message)
}

/// Whether a read error is tungstenite refusing an oversized message. axum
/// does not re-export tungstenite's error type, so this reads its message;
/// the unit test below pins the wording of the tungstenite in Cargo.lock.
pub fn is_too_large(e: &axum::Error) -> bool {
    let text = e.to_string();
    text.contains("Message too long") || text.contains("Space limit exceeded")
}

/// A read error as the error to report before closing.
pub fn read_error(e: &axum::Error) -> ErrorBody {
    if is_too_large(e) {
        ErrorBody::new(
            ErrorCode::TooLarge,
            format!("message exceeds the {MAX_MESSAGE_BYTES}-byte limit"),
        )
    } else {
        ErrorBody::new(ErrorCode::Malformed, format!("unreadable frame: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_fit_a_close_frame_without_splitting_characters() {
        let long = "ệ".repeat(100);
        let cut = truncate_reason(&long);
        assert!(cut.len() <= 120);
        assert!(cut.chars().all(|c| c == 'ệ'));
        let e = ErrorBody::new(ErrorCode::Malformed, "bad");
        assert_eq!(close_reason(&e), "malformed: bad");
        assert_eq!(close_code_for(ErrorCode::TooLarge), 1009);
    }

    #[test]
    fn recognises_tungstenite_capacity_errors() {
        use tokio_tungstenite::tungstenite::error::{CapacityError, Error};
        let too_long = Error::Capacity(CapacityError::MessageTooLong {
            size: 70_000,
            max_size: HARD_MESSAGE_LIMIT,
        });
        let e = axum::Error::new(too_long);
        assert!(is_too_large(&e), "{e}");
        assert_eq!(read_error(&e).code, ErrorCode::TooLarge);
        let other = axum::Error::new(Error::ConnectionClosed);
        assert!(!is_too_large(&other));
        assert_eq!(read_error(&other).code, ErrorCode::Malformed);
    }
}
