//! `/ws/student`: one exam attempt, live.
//!
//! Hello (with the attempt token) → welcome with the paper and what the relay
//! holds → numbered events, each acknowledged only after it is committed.
//! The state machine is `examgate_shared::attempt`; this file only moves
//! messages between the socket and [`AppState`]'s attempt operations.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::response::Response;
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::protocol::{
    MAX_TAB_CHARS, PROTOCOL_VERSION, RelayToStudent, StudentToRelay, decode, encode,
};
use futures_util::StreamExt;
use tokio::sync::Notify;
use tokio_tungstenite::tungstenite::Message;

use super::queue;
use super::upgrade::{Socket, Upgrade};
use super::{
    HELLO_TIMEOUT, IDLE_TIMEOUT, close_code_for, close_reason, config, flush_writer, read_error,
    write_loop,
};
use crate::AppState;
use crate::auth::hash_token;
use crate::clock::now_ms;
use crate::listen::Peer;
use crate::live::{Outgoing, STUDENT_QUEUE};
use crate::oversight::signals::Origin;
use crate::state::AttemptSlot;

/// The paper is the largest message a student gets, and a paper may carry
/// pictures (each up to 2 MiB, the paper up to the office's 8 MiB upload):
/// one frame must fit whole. The buffer grows only as far as what is sent.
const MAX_WRITE_BUFFER: usize = 2 * crate::MAX_PAPER_BYTES;

pub async fn upgrade(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<Peer>>>,
    headers: HeaderMap,
    ws: Upgrade,
) -> Response {
    let origin = Origin {
        address: peer.map(|p| p.0.0.0.ip().to_string()).unwrap_or_default(),
        agent: headers
            .get(axum::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string(),
    };
    ws.on_upgrade(config(MAX_WRITE_BUFFER), move |socket| {
        run(socket, state, origin)
    })
}

struct Conn {
    state: AppState,
    tx: queue::Sender<Outgoing>,
    /// Notified by [`crate::live::Live`] when this connection must end now.
    kill: Arc<Notify>,
    /// Set once the hello is accepted.
    attempt: Option<(Arc<AttemptSlot>, u64)>,
    /// The hash of the token the hello came with (a relay sharing its
    /// database checks it is still the attempt's with every event).
    token_hash: crate::model::TokenHash,
    /// Where the connection comes from (integrity warnings).
    origin: Origin,
}

/// What to do after a message.
enum Flow {
    Continue,
    Stop,
}

async fn run(socket: Socket, state: AppState, origin: Origin) {
    let (sink, mut stream) = socket.split();
    let (tx, rx) = queue::queue(STUDENT_QUEUE);
    let mut writer = tokio::spawn(write_loop(sink, rx));
    let mut conn = Conn {
        state,
        tx,
        kill: Arc::new(Notify::new()),
        attempt: None,
        token_hash: [0; 32],
        origin,
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
            // Boxed: the handling of one message (a hello starts the
            // attempt, an event waits for its commit) is a large future,
            // and inline it would make every idle connection's task that
            // large too.
            Ok(Some(Ok(Message::Text(text)))) => Box::pin(conn.on_text(text.as_str())).await,
            Ok(Some(Ok(Message::Binary(_)))) => {
                conn.fatal(ErrorBody::new(
                    ErrorCode::Malformed,
                    "binary frames are not part of the protocol",
                ))
                .await;
                Flow::Stop
            }
            // Pings are answered by the WebSocket layer itself.
            Ok(Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_)))) => Flow::Continue,
        };
        if let Flow::Stop = flow {
            break;
        }
    }
    if let Some((slot, conn_id)) = conn.attempt.take()
        && conn.state.live.disconnect_student(slot.id, conn_id)
    {
        conn.state.released_connection(slot.id);
        conn.state.connection_lost(&slot).await;
        conn.state.refresh_row(&slot).await;
    }
    drop(conn);
    flush_writer(writer).await;
}

impl Conn {
    async fn send(&self, msg: &RelayToStudent) {
        let _ = self.tx.send(Outgoing::text(encode(msg))).await;
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
            (
                StudentToRelay::Hello {
                    v,
                    token,
                    sent_at,
                    tab,
                },
                None,
            ) => {
                let tab = tab.map(|t| t.chars().take(MAX_TAB_CHARS).collect());
                self.on_hello(v, &token, sent_at, tab).await
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
            (StudentToRelay::Signal { signal }, Some((slot, _))) => {
                match self.state.page_signal(&slot, signal).await {
                    Ok(()) => Flow::Continue,
                    Err(error) => {
                        self.fatal(error).await;
                        Flow::Stop
                    }
                }
            }
            (StudentToRelay::Seen { message }, Some((slot, _))) => {
                self.state.message_seen(&slot, message).await;
                Flow::Continue
            }
            (StudentToRelay::Event { seq, event }, Some((slot, _))) => {
                match self
                    .state
                    .take_event(&slot, &self.token_hash, seq, event)
                    .await
                {
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

    async fn on_hello(&mut self, v: u16, token: &str, sent_at: i64, tab: Option<String>) -> Flow {
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
        self.token_hash = hash_token(token);
        let slot = match self.state.attempt_for_token(&self.token_hash).await {
            Ok(Some(slot)) => slot,
            Ok(None) => {
                self.fatal(ErrorBody::new(
                    ErrorCode::Unauthorized,
                    "unknown attempt token; join again",
                ))
                .await;
                return Flow::Stop;
            }
            Err(e) => {
                self.fatal(crate::attempts::internal(e)).await;
                return Flow::Stop;
            }
        };
        // Another relay's connection for this attempt counts as a second
        // connection as much as one here.
        let elsewhere = self
            .state
            .bus
            .get()
            .is_some_and(|bus| bus.held_by_another_page(slot.id, tab.as_deref()));
        self.state.took_connection(slot.id, tab.clone());
        let (conn_id, replaced) =
            self.state
                .live
                .connect_student(slot.id, tab, self.tx.clone(), self.kill.clone());
        let replaced = replaced || elsewhere;
        self.attempt = Some((slot.clone(), conn_id));
        self.state
            .observe_connection(&slot, self.origin.clone(), replaced)
            .await;
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
