//! `/ws/proctor`: the live room tables.
//!
//! Hello (with a session token) → a snapshot of every room the session may
//! watch → row patches as they happen. The relay filters by the session's
//! scope: a room proctor never receives another room's rows.

use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use examgate_shared::Millis;
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::protocol::{PROTOCOL_VERSION, ProctorToRelay, RelayToProctor, decode, encode};
use futures_util::StreamExt;
use tokio::sync::{broadcast, mpsc};

use super::{
    HELLO_TIMEOUT, IDLE_TIMEOUT, close_code_for, close_reason, limited, read_error, write_loop,
};
use crate::AppState;
use crate::auth::Session;
use crate::clock::now_ms;
use crate::live::Outgoing;

/// How often a proctor feed checks that its session still stands.
const SESSION_RECHECK: std::time::Duration = std::time::Duration::from_secs(5);

/// A central snapshot of many rooms can be large.
const MAX_WRITE_BUFFER: usize = 8 * 1024 * 1024;
const QUEUE: usize = 256;

pub async fn upgrade(State(state): State<AppState>, ws: WebSocketUpgrade) -> Response {
    limited(ws, MAX_WRITE_BUFFER).on_upgrade(move |socket| run(socket, state))
}

async fn run(socket: WebSocket, state: AppState) {
    let (sink, mut stream) = socket.split();
    let (tx, rx) = mpsc::channel(QUEUE);
    let mut writer = tokio::spawn(write_loop(sink, rx));
    let send_tx = tx.clone();
    let send = move |msg: RelayToProctor| {
        let tx = send_tx.clone();
        async move { tx.send(Outgoing::Text(encode(&msg))).await.is_ok() }
    };
    let fatal_tx = tx.clone();
    let fatal = move |error: ErrorBody| {
        let tx = fatal_tx.clone();
        async move {
            let code = close_code_for(error.code);
            let reason = close_reason(&error);
            let _ = tx
                .send(Outgoing::Text(encode(&RelayToProctor::Error { error })))
                .await;
            let _ = tx.send(Outgoing::Close(code, reason)).await;
        }
    };

    // Hello first.
    let session = match tokio::time::timeout(HELLO_TIMEOUT, stream.next()).await {
        Ok(Some(Ok(Message::Text(text)))) => match decode::<ProctorToRelay>(text.as_str()) {
            Ok(ProctorToRelay::Hello { v, token, sent_at }) => match authorise(&state, v, &token) {
                Ok(s) => Some((s, sent_at, token)),
                Err(e) => {
                    fatal(e).await;
                    None
                }
            },
            Ok(_) => {
                fatal(ErrorBody::new(
                    ErrorCode::HelloExpected,
                    "the first message must be hello",
                ))
                .await;
                None
            }
            Err(e) => {
                fatal(e).await;
                None
            }
        },
        Ok(Some(Err(e))) => {
            fatal(read_error(&e)).await;
            None
        }
        Ok(Some(Ok(_))) | Err(_) => {
            fatal(ErrorBody::new(
                ErrorCode::HelloExpected,
                "the first message must be a hello text frame",
            ))
            .await;
            None
        }
        Ok(None) => None,
    };
    let Some((session, sent_at, token)) = session else {
        drop((send, fatal, tx));
        let _ = tokio::time::timeout(std::time::Duration::from_secs(2), writer).await;
        return;
    };

    // Subscribe before the snapshot, so nothing falls between the two.
    let mut feed = state.live.subscribe();
    send(snapshot(&state, &session, Some(sent_at))).await;
    // A disabled account, a reset password or an expired session ends the
    // feed too, not only the next sign-in.
    let mut recheck = tokio::time::interval(SESSION_RECHECK);
    loop {
        tokio::select! {
            _ = recheck.tick() => {
                if state.sessions.get(&token, now_ms()).is_none() {
                    fatal(ErrorBody::new(ErrorCode::Unauthorized, "the session ended; sign in again")).await;
                    break;
                }
            },
            next = tokio::time::timeout(IDLE_TIMEOUT, stream.next()) => match next {
                Ok(Some(Ok(Message::Text(text)))) => match decode::<ProctorToRelay>(text.as_str()) {
                    Ok(ProctorToRelay::Ping { sent_at }) => {
                        send(RelayToProctor::Pong { echo: sent_at, relay_time: now_ms() }).await;
                    }
                    Ok(ProctorToRelay::Hello { .. }) => {
                        fatal(ErrorBody::new(ErrorCode::HelloExpected, "hello was already sent")).await;
                        break;
                    }
                    Err(e) => {
                        fatal(e).await;
                        break;
                    }
                },
                Ok(Some(Ok(Message::Binary(_)))) => {
                    fatal(ErrorBody::new(ErrorCode::Malformed, "binary frames are not part of the protocol")).await;
                    break;
                }
                Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => {}
                Ok(Some(Err(e))) => {
                    fatal(read_error(&e)).await;
                    break;
                }
                Ok(None) | Ok(Some(Ok(Message::Close(_)))) | Err(_) => break,
            },
            update = feed.recv() => match update {
                Ok(u) if state.may_watch(&session, u.room_id) => {
                    if !send(u.message).await {
                        break;
                    }
                }
                Ok(_) => {}
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    send(snapshot(&state, &session, None)).await;
                }
                Err(broadcast::error::RecvError::Closed) => break,
            },
            _ = &mut writer => break,
        }
    }
    drop((send, fatal, tx));
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), writer).await;
}

fn authorise(state: &AppState, v: u16, token: &str) -> Result<Session, ErrorBody> {
    if v != PROTOCOL_VERSION {
        return Err(ErrorBody::new(
            ErrorCode::UnsupportedVersion,
            format!("protocol version {v} is not supported; this relay speaks {PROTOCOL_VERSION}"),
        ));
    }
    state.sessions.get(token, now_ms()).ok_or_else(|| {
        ErrorBody::new(
            ErrorCode::Unauthorized,
            "unknown or expired session; sign in again",
        )
    })
}

/// Every room `session` may watch, with its rows.
pub fn snapshot(state: &AppState, session: &Session, echo: Option<Millis>) -> RelayToProctor {
    RelayToProctor::Snapshot {
        echo,
        relay_time: now_ms(),
        rooms: state.room_views(|room| state.may_watch(session, room)),
    }
}
