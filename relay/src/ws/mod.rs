//! The WebSocket endpoints: `/ws/student` and `/ws/proctor`.
//!
//! Both share the plumbing here: connection limits sized for thousands of
//! students (small buffers, small messages), a writer task fed by a bounded
//! queue, and fatal errors sent as an `error` message followed by a close
//! frame whose reason names the code.

pub mod proctor;
pub mod queue;
pub mod student;
pub mod upgrade;

use std::time::Duration;

use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::protocol::{MAX_MESSAGE_BYTES, close_code};
use futures_util::SinkExt;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::error::{CapacityError, Error as WsError};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{CloseCode, Data, OpCode};
use tokio_tungstenite::tungstenite::protocol::frame::{CloseFrame, Frame};

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

/// The per-connection limits. tungstenite's defaults reserve 128 KiB per
/// socket and accept 64 MiB messages; exam traffic needs neither. Reads
/// come in 512-byte steps (events are ~100 bytes; a larger message grows
/// the buffer for itself); writes go out at once, so the write buffer holds
/// at most one fragment ([`FRAGMENT_BYTES`]) unless the peer stops reading
/// — then up to `max_write_buffer`, after which the writer gives up. Both
/// buffers live as long as the connection: with 19,000 students every
/// kilobyte here is 19 MB.
pub fn config(max_write_buffer: usize) -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(512)
        .write_buffer_size(0)
        .max_write_buffer_size(max_write_buffer)
        .max_message_size(Some(HARD_MESSAGE_LIMIT))
        .max_frame_size(Some(HARD_MESSAGE_LIMIT))
}

/// Larger messages leave as fragments of this size (see [`upgrade`]): the
/// write buffer keeps the capacity of the largest frame it wrote.
pub const FRAGMENT_BYTES: usize = 1024;

/// `text` as WebSocket frames of at most [`FRAGMENT_BYTES`], cut between
/// characters (browsers accept a text message's UTF-8 split anywhere, but
/// whole characters per frame keep every frame readable on its own).
pub fn fragments(text: &str) -> Vec<Frame> {
    let mut frames = Vec::new();
    let mut rest = text;
    let mut first = true;
    loop {
        let mut end = rest.len().min(FRAGMENT_BYTES);
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        let (part, tail) = rest.split_at(end);
        let opcode = if first {
            OpCode::Data(Data::Text)
        } else {
            OpCode::Data(Data::Continue)
        };
        frames.push(Frame::message(
            part.as_bytes().to_vec(),
            opcode,
            tail.is_empty(),
        ));
        if tail.is_empty() {
            return frames;
        }
        first = false;
        rest = tail;
    }
}

/// Lets the writer flush a pending close frame, but not forever. A writer
/// that already finished (the select that ended the read loop saw it) is
/// not polled again: a finished task's handle must not be.
pub async fn flush_writer(writer: tokio::task::JoinHandle<()>) {
    if !writer.is_finished() {
        let _ = tokio::time::timeout(Duration::from_secs(2), writer).await;
    }
}

/// How long one message may take to leave: a peer that stops reading
/// fills its socket buffer and then the writer's, and is dropped after
/// this instead of holding the relay's memory. A student reconnects and
/// gets a fresh welcome; a proctor, a fresh snapshot.
pub const WRITE_STALL: Duration = Duration::from_secs(20);

/// Drains `rx` into the socket until a close is sent, the socket fails or
/// the peer takes nothing for [`WRITE_STALL`]. The allowance is per frame
/// (each fragment of a large message restarts it): a paper of several MiB
/// over a slow school link takes as long as it takes, as long as it moves.
pub async fn write_loop<S>(mut sink: S, mut rx: queue::Receiver<Outgoing>)
where
    S: futures_util::Sink<Message> + Unpin,
{
    while let Some(out) = rx.recv().await {
        let sent = match out {
            Outgoing::Text(text) if text.len() > FRAGMENT_BYTES => {
                let mut sent = Sent::Ok;
                for frame in fragments(text.as_str()) {
                    sent = step(sink.send(Message::Frame(frame))).await;
                    if sent != Sent::Ok {
                        break;
                    }
                }
                sent
            }
            Outgoing::Text(text) => step(sink.send(Message::Text(text))).await,
            Outgoing::Close(code, reason) => {
                let frame = CloseFrame {
                    code: CloseCode::from(code),
                    reason: truncate_reason(&reason).into(),
                };
                let _ = step(sink.send(Message::Close(Some(frame)))).await;
                Sent::Failed
            }
        };
        match sent {
            Sent::Ok => {}
            Sent::Failed => break,
            Sent::Stalled => {
                tracing::info!("a peer took nothing for {WRITE_STALL:?}: dropped");
                // Not `close`: it would wait on the same full buffer.
                return;
            }
        }
    }
    let _ = tokio::time::timeout(WRITE_STALL, sink.close()).await;
}

#[derive(Debug, PartialEq, Eq)]
enum Sent {
    Ok,
    Failed,
    Stalled,
}

/// One frame out, within [`WRITE_STALL`].
async fn step<E>(send: impl std::future::Future<Output = Result<(), E>>) -> Sent {
    match tokio::time::timeout(WRITE_STALL, send).await {
        Ok(Ok(())) => Sent::Ok,
        Ok(Err(_)) => Sent::Failed,
        Err(_) => Sent::Stalled,
    }
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

/// Whether a read error is tungstenite refusing an oversized message.
pub fn is_too_large(e: &WsError) -> bool {
    matches!(
        e,
        WsError::Capacity(CapacityError::MessageTooLong { .. })
            | WsError::Capacity(CapacityError::TooManyHeaders)
            | WsError::WriteBufferFull(_)
    )
}

/// A read error as the error to report before closing.
pub fn read_error(e: &WsError) -> ErrorBody {
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
        let too_long = WsError::Capacity(CapacityError::MessageTooLong {
            size: 70_000,
            max_size: HARD_MESSAGE_LIMIT,
        });
        assert!(is_too_large(&too_long));
        assert_eq!(read_error(&too_long).code, ErrorCode::TooLarge);
        let other = WsError::ConnectionClosed;
        assert!(!is_too_large(&other));
        assert_eq!(read_error(&other).code, ErrorCode::Malformed);
    }

    #[test]
    fn large_messages_leave_in_fragments_cut_between_characters() {
        let text = "Câu 1: ".to_string() + &"ệ".repeat(2000);
        let frames = fragments(&text);
        assert!(frames.len() >= 4);
        let mut joined = Vec::new();
        for (i, f) in frames.iter().enumerate() {
            assert!(f.payload().len() <= FRAGMENT_BYTES);
            // Every fragment is whole characters.
            assert!(std::str::from_utf8(f.payload()).is_ok());
            let want = if i == 0 {
                OpCode::Data(Data::Text)
            } else {
                OpCode::Data(Data::Continue)
            };
            assert_eq!(f.header().opcode, want);
            assert_eq!(f.header().is_final, i == frames.len() - 1);
            joined.extend_from_slice(f.payload());
        }
        assert_eq!(joined, text.as_bytes());
        assert_eq!(fragments("ok").len(), 1);
    }

    /// A sink that never takes anything: a peer that stopped reading.
    struct Stalled;

    impl futures_util::Sink<Message> for Stalled {
        type Error = ();
        fn poll_ready(
            self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Result<(), ()>> {
            std::task::Poll::Pending
        }
        fn start_send(self: std::pin::Pin<&mut Self>, _: Message) -> Result<(), ()> {
            Ok(())
        }
        fn poll_flush(
            self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Result<(), ()>> {
            std::task::Poll::Pending
        }
        fn poll_close(
            self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Result<(), ()>> {
            std::task::Poll::Pending
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_writer_gives_up_on_a_peer_that_stopped_reading() {
        let (tx, rx) = queue::queue(4);
        let writer = tokio::spawn(write_loop(Stalled, rx));
        tx.send(Outgoing::text("x".into())).await.unwrap();
        tokio::time::sleep(WRITE_STALL - Duration::from_secs(1)).await;
        assert!(!writer.is_finished(), "still within the allowance");
        tokio::time::sleep(Duration::from_secs(2)).await;
        tokio::task::yield_now().await;
        assert!(writer.is_finished(), "dropped after {WRITE_STALL:?}");
        // The connection's queue is gone with it: senders learn at once.
        assert!(tx.send(Outgoing::text("y".into())).await.is_err());
    }
}
