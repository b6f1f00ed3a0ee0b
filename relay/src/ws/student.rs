//! `/ws/student`: one exam attempt, live.
//!
//! Hello (with the attempt token) → welcome with the paper and what the relay
//! holds → numbered events, each acknowledged only after it is committed.
//! The state machine is `examgate_shared::attempt`; this file only moves
//! messages between the socket and [`AppState`]'s attempt operations.

use std::sync::Arc;

use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::protocol::{PROTOCOL_VERSION, RelayToStudent, StudentToRelay, decode, encode};
use futures_util::StreamExt;
use tokio::sync::{Notify, mpsc};

use super::{
    HELLO_TIMEOUT, IDLE_TIMEOUT, close_code_for, close_reason, limited, read_error, write_loop,
};
use crate::AppState;
use crate::auth::hash_token;
use crate::clock::now_ms;
use crate::live::{Outgoing, STUDENT_QUEUE};
use crate::state::AttemptSlot;

/// The paper is the largest message a student gets.
const MAX_WRITE_BUFFER: usize = 256 * 1024;

pub async fn upgrade(State(state): State<AppState>, ws: WebSocketUpgrade) -> Response {
    limited(ws, MAX_WRITE_BUFFER).on_upgrade(move |socket| run(socket, state))
}

struct Conn {
    state: AppState,
    tx: mpsc::Sender<Outgoing>,
    /// Notified by [`crate::live::Live`] when this connection must end now.
    kill: Arc<Notify>,
    /// Set once the hello is accepted.
    attempt: Option<(Arc<AttemptSlot>, u64)>,
}

/// What to do after a message.
enum Flow {
    Continue,
    Stop,
}

async fn run(socket: WebSocket, state: AppState) {
    let (sink, mut stream) = socket.split();
    let (tx, rx) = mpsc::channel(STUDENT_QUEUE);
    let mut writer = tokio::spawn(write_loop(sink, rx));
    let mut conn = Conn {
        state,
        tx,
        kill: Arc::new(Notify::new()),
        attempt: None,
    };
    loop {
        let timeout = if conn.attempt.is_some() {
            IDLE_TIMEOUT
        } else {
            HELLO_TIMEOUT
        };
        let kill = conn.kill.clone();
        let next = tokio::select! {
            next = tokio::time::timeout(timeout, stream.next()) => next,
            _ = &mut writer => break,
            _ = kill.notified() => break,
        };
        let flow = match next {
            Err(_elapsed) if conn.attempt.is_some() => {
                // A silent browser is gone; it will reconnect if it is not.
                let _ = conn.tx.send(Outgoing::Close(1001, "idle".into())).await;
                Flow::Stop
            }
            Err(_elapsed) => {
                conn.fatal(ErrorBody::new(ErrorCode::HelloExpected, "no hello in time"))
                    .await;
                Flow::Stop
            }
            Ok(None) | Ok(Some(Ok(Message::Close(_)))) => Flow::Stop,
            Ok(Some(Err(e))) => {
                conn.fatal(read_error(&e)).await;
                Flow::Stop
            }
            Ok(Some(Ok(Message::Text(text)))) => conn.on_text(text.as_str()).await,
            Ok(Some(Ok(Message::Binary(_)))) => {
                conn.fatal(ErrorBody::new(
                    ErrorCode::Malformed,
                    "binary frames are not part of the protocol",
                ))
                .await;
                Flow::Stop
            }
            // Pings are answered by the WebSocket layer itself.
            Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => Flow::Continue,
        };
        if let Flow::Stop = flow {
            break;
        }
    }
    if let Some((slot, conn_id)) = conn.attempt.take()
        && conn.state.live.disconnect_student(slot.id, conn_id)
    {
        conn.state.refresh_row(&slot).await;
    }
    drop(conn);
    // Let the writer flush a pending close frame, but not forever.
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), writer).await;
}

impl Conn {
    async fn send(&self, msg: &RelayToStudent) {
        let _ = self.tx.send(Outgoing::Text(encode(msg))).await;
    }

    /// Reports `error` and closes the connection.
    async fn fatal(&self, error: ErrorBody) {
        let code = close_code_for(error.code);
        let reason = close_reason(&error);
        self.send(&RelayToStudent::Error {
            error,
            expected: None,
        })
        .await;
        let _ = self.tx.send(Outgoing::Close(code, reason)).await;
    }

    async fn on_text(&mut self, text: &str) -> Flow {
        let msg = match decode::<StudentToRelay>(text) {
            Ok(msg) => msg,
            Err(error) => {
                self.fatal(error).await;
                return Flow::Stop;
            }
        };
        match (msg, self.attempt.clone()) {
            (StudentToRelay::Hello { v, token, sent_at }, None) => {
                self.on_hello(v, &token, sent_at).await
            }
            (StudentToRelay::Hello { .. }, Some(_)) => {
                self.fatal(ErrorBody::new(
                    ErrorCode::HelloExpected,
                    "hello was already sent",
                ))
                .await;
                Flow::Stop
            }
            (_, None) => {
                self.fatal(ErrorBody::new(
                    ErrorCode::HelloExpected,
                    "the first message must be hello",
                ))
                .await;
                Flow::Stop
            }
            (StudentToRelay::Ping { sent_at }, Some(_)) => {
                self.send(&RelayToStudent::Pong {
                    echo: sent_at,
                    relay_time: now_ms(),
                })
                .await;
                Flow::Continue
            }
            (StudentToRelay::Event { seq, event }, Some((slot, _))) => {
                match self.state.take_event(&slot, seq, event).await {
                    Ok(replies) => {
                        for r in &replies {
                            self.send(r).await;
                        }
                        Flow::Continue
                    }
                    Err(error) => {
                        // Nothing was stored or acknowledged: the client
                        // reconnects and resends.
                        self.fatal(error).await;
                        Flow::Stop
                    }
                }
            }
        }
    }

    async fn on_hello(&mut self, v: u16, token: &str, sent_at: i64) -> Flow {
        if v != PROTOCOL_VERSION {
            self.fatal(ErrorBody::new(
                ErrorCode::UnsupportedVersion,
                format!(
                    "protocol version {v} is not supported; this relay speaks {PROTOCOL_VERSION}"
                ),
            ))
            .await;
            return Flow::Stop;
        }
        let Some(slot) = self.state.attempt_by_token(&hash_token(token)) else {
            self.fatal(ErrorBody::new(
                ErrorCode::Unauthorized,
                "unknown attempt token; join again",
            ))
            .await;
            return Flow::Stop;
        };
        let conn_id = self
            .state
            .live
            .connect_student(slot.id, self.tx.clone(), self.kill.clone());
        self.attempt = Some((slot.clone(), conn_id));
        match self.state.open_attempt(&slot, sent_at).await {
            Ok(msgs) => {
                for m in &msgs {
                    self.send(m).await;
                }
                Flow::Continue
            }
            Err(error) => {
                self.fatal(error).await;
                Flow::Stop
            }
        }
    }
}
