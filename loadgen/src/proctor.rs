//! One simulated examgate proctor connection.
//!
//! Signs in (`POST /api/login`), opens `/ws/proctor`, takes the snapshot,
//! opens its rooms with `watch` (found by name in the snapshot's
//! summaries) and then reads row patches. Each patch whose
//! `last_activity_ms` moved is matched with the moment its student's latest
//! answer left ([`FanoutClock`]): that is the answer → proctor latency.
//! A second snapshot (the relay found it lagging) is counted.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use examgate_shared::protocol::{
    LoginRequest, LoginResponse, PROTOCOL_VERSION, ProctorToRelay, RelayToProctor, encode,
};
use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message;

use crate::http1;
use crate::stats::Stats;
use crate::student::{FanoutClock, now_ms, short};

#[derive(Debug, Clone)]
pub struct Plan {
    pub server: SocketAddr,
    pub source: Option<IpAddr>,
    pub username: String,
    pub password: String,
    /// Room names to open (at most 50 per connection).
    pub rooms: Vec<String>,
    pub until: Instant,
}

/// Signs in; the token for [`watch`].
pub async fn login(plan: &Plan) -> Result<String, String> {
    let body = encode(&LoginRequest {
        username: plan.username.clone(),
        password: plan.password.clone(),
    });
    let r = http1::post_json(plan.server, plan.source, "/api/login", &body)
        .await
        .map_err(|e| format!("login-io:{:?}", e.kind()))?;
    if r.status != 200 {
        return Err(format!("login:http{}", r.status));
    }
    serde_json::from_str::<LoginResponse>(&r.body)
        .map(|l| l.token)
        .map_err(|_| "login:unreadable".into())
}

/// Watches until `plan.until`, recording fan-out latencies into `stats`.
pub async fn watch(plan: Plan, token: String, stats: Arc<Mutex<Stats>>, fanout: FanoutClock) {
    let mut ws = match http1::websocket(plan.server, plan.source, "/ws/proctor").await {
        Ok(ws) => ws,
        Err(e) => {
            stats
                .lock()
                .unwrap()
                .error(format!("proctor-connect:{}", short(&e.to_string())));
            return;
        }
    };
    let hello = encode(&ProctorToRelay::Hello {
        v: PROTOCOL_VERSION,
        token,
        sent_at: now_ms(),
    });
    if ws.send(Message::text(hello)).await.is_err() {
        return;
    }
    let mut last_seen: HashMap<String, Option<i64>> = HashMap::new();
    let mut watching = false;
    // The hello's snapshot, then the watch's; any later one means the
    // relay found this connection lagging.
    let mut snapshots = 0;
    let mut ping = tokio::time::interval(Duration::from_secs(10));
    loop {
        tokio::select! {
            _ = tokio::time::sleep_until(plan.until.into()) => break,
            _ = ping.tick() => {
                let ping = encode(&ProctorToRelay::Ping { sent_at: now_ms() });
                if ws.send(Message::text(ping)).await.is_err() { break; }
            }
            msg = ws.next() => {
                let Some(Ok(msg)) = msg else {
                    stats.lock().unwrap().error("proctor:dropped");
                    break;
                };
                let Message::Text(text) = msg else { continue };
                let Ok(msg) = serde_json::from_str::<RelayToProctor>(text.as_str()) else {
                    stats.lock().unwrap().error("proctor:unreadable");
                    continue;
                };
                match msg {
                    RelayToProctor::Snapshot { summaries, rooms, .. } => {
                        snapshots += 1;
                        if snapshots > 2 {
                            stats.lock().unwrap().proctor_snapshots_after_lag += 1;
                        }
                        for room in rooms {
                            for row in room.rows {
                                last_seen.insert(row.name.clone(), row.last_activity_ms);
                            }
                        }
                        if !watching {
                            watching = true;
                            let watch = watch_by_name(&summaries, &plan.rooms);
                            if ws.send(Message::text(watch)).await.is_err() { break; }
                        }
                    }
                    RelayToProctor::Row { row, .. } => {
                        let before = last_seen.insert(row.name.clone(), row.last_activity_ms);
                        if before.flatten() != row.last_activity_ms && row.last_activity_ms.is_some() {
                            let sent = fanout.lock().unwrap().remove(&row.name);
                            if let Some(sent) = sent {
                                stats.lock().unwrap().fanout.record(sent.elapsed());
                            }
                        }
                    }
                    RelayToProctor::Error { error } => {
                        stats.lock().unwrap().error(format!("proctor:{}", error.code.as_str()));
                    }
                    _ => {}
                }
            }
        }
    }
    let _ = ws.close(None).await;
}

/// Signs in, opens `rooms` (by name) and returns each row's `answered`
/// count by candidate name, from the snapshot that follows the watch.
pub async fn answered_by_name(plan: &Plan) -> Result<HashMap<String, u32>, String> {
    let token = login(plan).await?;
    let mut ws = http1::websocket(plan.server, plan.source, "/ws/proctor")
        .await
        .map_err(|e| format!("proctor-connect:{}", short(&e.to_string())))?;
    let hello = encode(&ProctorToRelay::Hello {
        v: PROTOCOL_VERSION,
        token,
        sent_at: now_ms(),
    });
    ws.send(Message::text(hello))
        .await
        .map_err(|e| e.to_string())?;
    let mut watched = false;
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(20), ws.next())
            .await
            .map_err(|_| "proctor: no snapshot in 20 s".to_string())?;
        let Some(Ok(Message::Text(text))) = msg else {
            if matches!(msg, Some(Ok(_))) {
                continue;
            }
            return Err("proctor: connection ended".into());
        };
        let Ok(RelayToProctor::Snapshot {
            summaries, rooms, ..
        }) = serde_json::from_str::<RelayToProctor>(text.as_str())
        else {
            continue;
        };
        if watched {
            let _ = ws.close(None).await;
            return Ok(rooms
                .into_iter()
                .flat_map(|r| r.rows)
                .map(|row| (row.name, row.answered))
                .collect());
        }
        watched = true;
        let watch = watch_by_name(&summaries, &plan.rooms);
        ws.send(Message::text(watch))
            .await
            .map_err(|e| e.to_string())?;
    }
}

/// The `watch` that opens the rooms named `names` (found in `summaries`).
fn watch_by_name(
    summaries: &[examgate_shared::proctoring::RoomSummary],
    names: &[String],
) -> String {
    let rooms = summaries
        .iter()
        .filter(|s| names.contains(&s.name))
        .map(|s| s.room_id)
        .collect();
    encode(&ProctorToRelay::Watch { rooms })
}
