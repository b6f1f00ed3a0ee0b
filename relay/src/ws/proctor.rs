//! `/ws/proctor`: the live room tables.
//!
//! Hello (with a session token) → a snapshot: the summary of every room the
//! session may watch, and the full tables of the rooms it has open → row
//! patches for the open rooms, summaries of changed rooms once a second.
//! The page opens rooms with `watch`; a room proctor always has their room
//! open, and a session that may watch only a few rooms has them all open.
//! Row patches come only for open rooms (see [`crate::live`]); a
//! connection that falls behind gets a snapshot instead of the backlog.
//! The relay filters by the session's scope: a room proctor never receives
//! another room's rows.

use std::collections::HashSet;

use axum::extract::State;
use axum::response::Response;
use examgate_shared::Millis;
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::proctoring::MAX_WATCHED_ROOMS;
use examgate_shared::protocol::{PROTOCOL_VERSION, ProctorToRelay, RelayToProctor, decode, encode};
use futures_util::StreamExt;
use tokio::sync::broadcast;
use tokio_tungstenite::tungstenite::Message;

use super::queue;
use super::upgrade::{Socket, Upgrade};
use super::{
    HELLO_TIMEOUT, IDLE_TIMEOUT, close_code_for, close_reason, config, flush_writer, read_error,
    write_loop,
};
use crate::AppState;
use crate::auth::Session;
use crate::clock::now_ms;
use crate::live::{Feed, Outgoing};
use crate::model::RoomId;

/// How often a proctor feed checks that its session still stands.
const SESSION_RECHECK: std::time::Duration = std::time::Duration::from_secs(5);

/// A central snapshot of many rooms can be large.
const MAX_WRITE_BUFFER: usize = 8 * 1024 * 1024;
const QUEUE: usize = 256;

pub async fn upgrade(State(state): State<AppState>, ws: Upgrade) -> Response {
    ws.on_upgrade(config(MAX_WRITE_BUFFER), move |socket| run(socket, state))
}

async fn run(socket: Socket, state: AppState) {
    let (sink, mut stream) = socket.split();
    let (tx, rx) = queue::queue(QUEUE);
    let mut writer = tokio::spawn(write_loop(sink, rx));
    let send_tx = tx.clone();
    let send = move |msg: RelayToProctor| {
        let tx = send_tx.clone();
        async move { tx.send(Outgoing::text(encode(&msg))).await.is_ok() }
    };
    let fatal_tx = tx.clone();
    let fatal = move |error: ErrorBody| {
        let tx = fatal_tx.clone();
        async move {
            let code = close_code_for(error.code);
            let reason = close_reason(&error);
            let _ = tx
                .send(Outgoing::text(encode(&RelayToProctor::Error { error })))
                .await;
            let _ = tx.send(Outgoing::Close(code, reason)).await;
        }
    };

    // Hello first.
    let session = match tokio::time::timeout(HELLO_TIMEOUT, stream.next()).await {
        Ok(Some(Ok(Message::Text(text)))) => match decode::<ProctorToRelay>(text.as_str()) {
            Ok(ProctorToRelay::Hello { v, token, sent_at }) => {
                match authorise(&state, v, &token).await {
                    Ok(s) => Some((s, sent_at, token)),
                    Err(e) => {
                        fatal(e).await;
                        None
                    }
                }
            }
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
        flush_writer(writer).await;
        return;
    };

    // Subscribe before the snapshot, so nothing falls between the two.
    let mut summaries = state.live.subscribe_summaries();
    let (feed, mut changes) = state.live.feed();
    let _unwatch = Unwatch(state.clone(), feed.clone());
    let mut watched = initial_watch(&state, &session);
    state.live.watch(&feed, watched.iter().copied());
    send(snapshot(&state, &session, &watched, Some(sent_at))).await;
    // A disabled account, a reset password or an expired session ends the
    // feed too, not only the next sign-in.
    let mut recheck = tokio::time::interval(SESSION_RECHECK);
    // The idle limit counts from the last message heard, not from the last
    // wake-up (the recheck wakes the loop every few seconds).
    let idle = tokio::time::sleep(IDLE_TIMEOUT);
    tokio::pin!(idle);
    loop {
        tokio::select! {
            _ = &mut idle => break,
            _ = recheck.tick() => {
                if state.session(&token).await.is_none() {
                    fatal(ErrorBody::new(ErrorCode::Unauthorized, "the session ended; sign in again")).await;
                    break;
                }
            },
            next = stream.next() => {
                idle.as_mut().reset(tokio::time::Instant::now() + IDLE_TIMEOUT);
                match next {
                Some(Ok(Message::Text(text))) => match decode::<ProctorToRelay>(text.as_str()) {
                    Ok(ProctorToRelay::Ping { sent_at }) => {
                        send(RelayToProctor::Pong { echo: sent_at, relay_time: now_ms() }).await;
                    }
                    Ok(ProctorToRelay::Watch { rooms }) => match watch(&state, &session, rooms) {
                        Ok(open) => {
                            watched = open;
                            // Changes of the old rooms still queued would
                            // land after the new snapshot: drop them.
                            state.live.watch(&feed, watched.iter().copied());
                            while changes.try_recv().is_ok() {}
                            send(snapshot(&state, &session, &watched, None)).await;
                        }
                        Err(e) => {
                            send(RelayToProctor::Error { error: e }).await;
                        }
                    },
                    Ok(ProctorToRelay::Hello { .. }) => {
                        fatal(ErrorBody::new(ErrorCode::HelloExpected, "hello was already sent")).await;
                        break;
                    }
                    Err(e) => {
                        fatal(e).await;
                        break;
                    }
                },
                Some(Ok(Message::Binary(_))) => {
                    fatal(ErrorBody::new(ErrorCode::Malformed, "binary frames are not part of the protocol")).await;
                    break;
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => {}
                Some(Err(e)) => {
                    fatal(read_error(&e)).await;
                    break;
                }
                None | Some(Ok(Message::Close(_))) => break,
            }
            }
            change = changes.recv() => match change {
                Some(text) => {
                    if tx.send(Outgoing::Text(text)).await.is_err() {
                        break;
                    }
                }
                None => break,
            },
            _ = feed.lagging() => {
                // Fell behind: what is queued is stale; a snapshot replaces
                // it. (A wake-up left over from an earlier lag finds the
                // flag clear and does nothing.)
                if feed.take_lagged() {
                    while changes.try_recv().is_ok() {}
                    if !send(snapshot(&state, &session, &watched, None)).await {
                        break;
                    }
                }
            }
            update = summaries.recv() => match update {
                Ok(round) => {
                    let summaries: Vec<_> = {
                        let plan = state.catalog.plan();
                        round.rooms.iter()
                            .filter(|s| plan.visible_to(&session, s.room_id))
                            .cloned()
                            .collect()
                    };
                    let sent = if summaries.is_empty() {
                        true
                    } else if summaries.len() == round.rooms.len() {
                        // Sees every room of the round: the shared encoding.
                        tx.send(Outgoing::Text(round.all.clone())).await.is_ok()
                    } else {
                        send(RelayToProctor::Summaries { summaries }).await
                    };
                    if !sent {
                        break;
                    }
                }
                // Missed rounds (each carries only the rooms that changed):
                // the snapshot has every room's counts.
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    if !send(snapshot(&state, &session, &watched, None)).await {
                        break;
                    }
                }
                Err(broadcast::error::RecvError::Closed) => break,
            },
            _ = &mut writer => break,
        }
    }
    drop((send, fatal, tx));
    flush_writer(writer).await;
}

/// Takes the connection's feed off every room when the connection ends.
struct Unwatch(AppState, std::sync::Arc<Feed>);

impl Drop for Unwatch {
    fn drop(&mut self) {
        self.0.live.unwatch(&self.1);
    }
}

async fn authorise(state: &AppState, v: u16, token: &str) -> Result<Session, ErrorBody> {
    if v != PROTOCOL_VERSION {
        return Err(ErrorBody::new(
            ErrorCode::UnsupportedVersion,
            format!("protocol version {v} is not supported; this relay speaks {PROTOCOL_VERSION}"),
        ));
    }
    state.session(token).await.ok_or_else(|| {
        ErrorBody::new(
            ErrorCode::Unauthorized,
            "unknown or expired session; sign in again",
        )
    })
}

/// Sessions that may watch this many rooms or fewer have them all open
/// from the start (a school's own proctors); more start with none open.
const OPEN_ALL_UP_TO: usize = 4;

/// The rooms `session` may watch.
fn visible_rooms(state: &AppState, session: &Session) -> Vec<RoomId> {
    let rooms: Vec<RoomId> = state.catalog.plan().rooms.keys().copied().collect();
    rooms
        .into_iter()
        .filter(|r| state.may_watch(session, *r))
        .collect()
}

fn initial_watch(state: &AppState, session: &Session) -> HashSet<RoomId> {
    let visible = visible_rooms(state, session);
    if visible.len() <= OPEN_ALL_UP_TO {
        visible.into_iter().collect()
    } else {
        HashSet::new()
    }
}

/// The rooms a `watch` asks to open, checked: at most
/// [`MAX_WATCHED_ROOMS`], each within the session's scope. A room
/// proctor's own room stays open.
fn watch(
    state: &AppState,
    session: &Session,
    rooms: Vec<u64>,
) -> Result<HashSet<RoomId>, ErrorBody> {
    if rooms.len() > MAX_WATCHED_ROOMS {
        return Err(ErrorBody::new(
            ErrorCode::Invalid,
            format!("at most {MAX_WATCHED_ROOMS} rooms can be open at once"),
        ));
    }
    if let Some(r) = rooms.iter().find(|r| !state.may_watch(session, **r)) {
        return Err(ErrorBody::new(
            ErrorCode::Forbidden,
            format!("room {r} is outside your scope"),
        ));
    }
    let mut open: HashSet<RoomId> = rooms.into_iter().collect();
    open.extend(session.room_id);
    Ok(open)
}

/// The summaries of every room `session` may watch, and the tables of the
/// rooms it has open.
pub fn snapshot(
    state: &AppState,
    session: &Session,
    watched: &HashSet<RoomId>,
    echo: Option<Millis>,
) -> RelayToProctor {
    RelayToProctor::Snapshot {
        echo,
        relay_time: now_ms(),
        rooms: state.room_views(|room| watched.contains(&room)),
        summaries: state.room_summaries(&visible_rooms(state, session)),
    }
}
