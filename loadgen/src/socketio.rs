//! The baseline's student and proctor: the same workload over Socket.IO 4
//! (Engine.IO 4, WebSocket transport only) against `baseline/server.js`.
//!
//! Engine.IO packets are text frames: `0{…}` open, `2`/`3` ping/pong;
//! Socket.IO packets ride inside as `4…`: `40` connect, `42[ev,data]` an
//! event, `42<id>[ev,data]` one that wants an ack, `43<id>[data]` the ack.

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use examgate_shared::shuffle::SplitMix64;
use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;

use crate::http1;
use crate::stats::Stats;
use crate::student::{FanoutClock, short};

const PATH: &str = "/socket.io/?EIO=4&transport=websocket";

type Ws = WebSocketStream<TcpStream>;

/// Connects and completes the Engine.IO open and Socket.IO connect.
async fn open(server: SocketAddr, source: Option<IpAddr>) -> Result<Ws, String> {
    let mut ws = http1::websocket(server, source, PATH)
        .await
        .map_err(|e| format!("sio-connect:{}", short(&e.to_string())))?;
    // `0{…}` open.
    match ws.next().await {
        Some(Ok(Message::Text(t))) if t.starts_with('0') => {}
        _ => return Err("sio:no_open".into()),
    }
    ws.send(Message::text("40")).await.map_err(|_| "sio:send")?;
    loop {
        match ws.next().await {
            Some(Ok(Message::Text(t))) if t.starts_with("40") => return Ok(ws),
            Some(Ok(Message::Text(t))) if t.as_str() == "2" => {
                ws.send(Message::text("3")).await.map_err(|_| "sio:send")?;
            }
            Some(Ok(_)) => {}
            _ => return Err("sio:no_connect".into()),
        }
    }
}

/// An ack `43<id>[…]`: its id.
fn ack_id(text: &str) -> Option<u64> {
    let rest = text.strip_prefix("43")?;
    let end = rest.find('[')?;
    rest[..end].parse().ok()
}

#[derive(Debug, Clone)]
pub struct StudentPlan {
    pub server: SocketAddr,
    pub source: Option<IpAddr>,
    pub room: String,
    pub name: String,
    pub interval: Option<Duration>,
    pub answer_from: Instant,
    pub answer_until: Instant,
    pub hold_until: Instant,
    pub seed: u64,
}

/// One baseline student: connect, join (acked), answer every interval
/// (acked), hold until the end. `joined` is called once: at the join's ack
/// or when the student gives up.
pub async fn student_with(
    plan: StudentPlan,
    stats: Arc<Mutex<Stats>>,
    fanout: FanoutClock,
    joined_cb: Box<dyn FnOnce() + Send>,
) {
    let mut joined_cb = Some(joined_cb);
    let t0 = Instant::now();
    let mut ws = match open(plan.server, plan.source).await {
        Ok(ws) => ws,
        Err(e) => {
            stats.lock().unwrap().error(e);
            if let Some(f) = joined_cb.take() {
                f();
            }
            return;
        }
    };
    let mut rng = SplitMix64::new(plan.seed);
    let mut next_id = 1u64;
    let join = format!(
        "421{}",
        json!(["join", {"room": plan.room, "name": plan.name}])
    );
    let join_sent = Instant::now();
    if ws.send(Message::text(join)).await.is_err() {
        stats.lock().unwrap().error("sio:send");
        if let Some(f) = joined_cb.take() {
            f();
        }
        return;
    }
    let mut joined = false;
    let mut sent_at: BTreeMap<u64, Instant> = BTreeMap::new();
    let mut seq = 0u64;
    let mut next_answer = match plan.interval {
        Some(i) => {
            plan.answer_from.max(Instant::now()) + i.mul_f64(rng.below(1000) as f64 / 1000.0)
        }
        None => plan.hold_until,
    };
    loop {
        let answering = joined && plan.interval.is_some() && Instant::now() < plan.answer_until;
        let wake = if answering {
            next_answer
        } else {
            plan.hold_until
        };
        tokio::select! {
            _ = tokio::time::sleep_until(wake.into()) => {
                if Instant::now() >= plan.hold_until {
                    break;
                }
                if answering {
                    next_answer = Instant::now()
                        + plan.interval.unwrap_or_default().mul_f64(0.5 + rng.below(1000) as f64 / 1000.0);
                    seq += 1;
                    next_id += 1;
                    let msg = format!(
                        "42{next_id}{}",
                        json!(["answer", {"seq": seq, "question": rng.below(20), "value": {"choice": rng.below(4)}}])
                    );
                    let now = Instant::now();
                    sent_at.insert(next_id, now);
                    fanout.lock().unwrap().insert(plan.name.clone(), now);
                    stats.lock().unwrap().answers_sent += 1;
                    if ws.send(Message::text(msg)).await.is_err() {
                        stats.lock().unwrap().error("sio:send");
                        break;
                    }
                }
            }
            msg = ws.next() => {
                let Some(Ok(Message::Text(t))) = msg else {
                    if !matches!(msg, Some(Ok(_))) {
                        stats.lock().unwrap().error("sio:dropped");
                        break;
                    }
                    continue;
                };
                if t.as_str() == "2" {
                    if ws.send(Message::text("3")).await.is_err() { break; }
                } else if let Some(id) = ack_id(t.as_str()) {
                    let mut s = stats.lock().unwrap();
                    if id == 1 && !joined {
                        joined = true;
                        s.join.record(join_sent.elapsed());
                        s.connect.record(t0.elapsed());
                        s.joined += 1;
                        drop(s);
                        if let Some(f) = joined_cb.take() {
                            f();
                        }
                    } else if let Some(at) = sent_at.remove(&id) {
                        s.ack.record(at.elapsed());
                        s.answers_acked += 1;
                    }
                }
            }
        }
    }
    if let Some(f) = joined_cb.take() {
        f();
    }
    let _ = ws.close(None).await;
}

/// One baseline proctor: watch `rooms`, time each row from its answer.
pub async fn proctor(
    server: SocketAddr,
    source: Option<IpAddr>,
    rooms: Vec<String>,
    until: Instant,
    stats: Arc<Mutex<Stats>>,
    fanout: FanoutClock,
) {
    let mut ws = match open(server, source).await {
        Ok(ws) => ws,
        Err(e) => {
            stats.lock().unwrap().error(format!("proctor-{e}"));
            return;
        }
    };
    let watch = format!("421{}", json!(["watch", {"rooms": rooms}]));
    if ws.send(Message::text(watch)).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            _ = tokio::time::sleep_until(until.into()) => break,
            msg = ws.next() => {
                let Some(Ok(Message::Text(t))) = msg else {
                    if !matches!(msg, Some(Ok(_))) {
                        stats.lock().unwrap().error("sio-proctor:dropped");
                        break;
                    }
                    continue;
                };
                if t.as_str() == "2" {
                    if ws.send(Message::text("3")).await.is_err() { break; }
                } else if let Some(body) = t.strip_prefix("42[\"row\",") {
                    let name = serde_json::from_str::<serde_json::Value>(body.trim_end_matches(']'))
                        .ok()
                        .and_then(|v| v["name"].as_str().map(str::to_string));
                    if let Some(name) = name
                        && let Some(sent) = fanout.lock().unwrap().remove(&name)
                    {
                        stats.lock().unwrap().fanout.record(sent.elapsed());
                    }
                }
            }
        }
    }
    let _ = ws.close(None).await;
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_ack_ids() {
        assert_eq!(super::ack_id("4312[{\"seq\":3}]"), Some(12));
        assert_eq!(super::ack_id("42[\"row\",{}]"), None);
    }
}
