//! One worker process's share of the load: the students of some rooms and
//! the proctor connections that watch those rooms.
//!
//! A worker prints `ready {…}` once every student has joined and opened its
//! exam (or failed), then `stats {…}` (its [`Stats`]) when done; the
//! coordinator reads both from its standard output.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::stats::Stats;
use crate::student::FanoutClock;
use crate::{proctor, socketio, student};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// The examgate relay.
    Relay,
    /// `baseline/server.js` (Socket.IO 4).
    SocketIo,
}

/// A room: its join code and its name (proctors find rooms by name).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Room {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WorkerSpec {
    pub target: Target,
    pub server: SocketAddr,
    /// Several relays of one deployment (`bench --cluster`): students are
    /// spread over them (a room's students over all of them), each proctor
    /// connection on another relay than the room's first students, and a
    /// reconnect goes to the next relay. Empty: everyone on `server`.
    #[serde(default)]
    pub servers: Vec<SocketAddr>,
    pub source: Option<IpAddr>,
    pub rooms: Vec<Room>,
    pub per_room: usize,
    /// Makes this worker's names unique.
    pub name_prefix: String,
    /// Mean seconds between one student's answers; `None`: idle.
    pub interval_s: Option<f64>,
    /// Joins per second for this worker; 0: all at once.
    pub join_rate: f64,
    /// Seconds (from the first join) before anyone answers: lets the join
    /// spike end, so steady-state latencies are measured apart from it.
    #[serde(default)]
    pub warmup_s: f64,
    /// Seconds (from the worker's start) students answer.
    pub answer_s: f64,
    /// Seconds (from the worker's start) students stay connected.
    pub hold_s: f64,
    /// Share of students that drop their connection once and reconnect.
    pub churn: f64,
    pub submit: bool,
    /// Relay proctor account (username, password); the baseline needs none.
    pub proctor: Option<(String, String)>,
    /// Proctor connections watch this many rooms each.
    pub rooms_per_proctor: usize,
    pub seed: u64,
}

impl WorkerSpec {
    /// The relay for the `k`-th student or proctor connection.
    fn relay_for(&self, k: usize) -> SocketAddr {
        match self.servers.len() {
            0 => self.server,
            n => self.servers[k % n],
        }
    }

    /// The other relays, in the order a reconnect tries them.
    fn others_after(&self, k: usize) -> Vec<SocketAddr> {
        let n = self.servers.len();
        (1..n).map(|j| self.servers[(k + j) % n]).collect()
    }
}

/// Runs the spec; prints `ready` and returns the stats.
pub async fn run(spec: WorkerSpec) -> Stats {
    let start = Instant::now();
    let stats = Arc::new(Mutex::new(Stats::default()));
    let fanout: FanoutClock = Arc::new(Mutex::new(HashMap::new()));
    let answer_until = start + Duration::from_secs_f64(spec.answer_s);
    let hold_until = start + Duration::from_secs_f64(spec.hold_s.max(spec.answer_s));
    // Proctors first, so every answer has someone watching.
    let mut proctors = Vec::new();
    for (i, chunk) in spec.rooms.chunks(spec.rooms_per_proctor.max(1)).enumerate() {
        let names: Vec<String> = chunk.iter().map(|r| r.name.clone()).collect();
        let codes: Vec<String> = chunk.iter().map(|r| r.code.clone()).collect();
        let (stats, fanout) = (stats.clone(), fanout.clone());
        match (spec.target, &spec.proctor) {
            (Target::Relay, Some((user, password))) => {
                let plan = proctor::Plan {
                    server: spec.relay_for(i + 1),
                    source: spec.source,
                    username: user.clone(),
                    password: password.clone(),
                    rooms: names,
                    until: hold_until + Duration::from_secs(2),
                };
                match proctor::login(&plan).await {
                    Ok(token) => {
                        proctors.push(tokio::spawn(proctor::watch(plan, token, stats, fanout)))
                    }
                    Err(e) => stats.lock().unwrap().error(e),
                }
            }
            (Target::SocketIo, _) => proctors.push(tokio::spawn(socketio::proctor(
                spec.server,
                spec.source,
                codes,
                hold_until + Duration::from_secs(2),
                stats,
                fanout,
            ))),
            (Target::Relay, None) => {}
        }
        let _ = i;
    }
    // Let the proctors' watches land.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let total = spec.rooms.len() * spec.per_room;
    let pending = Arc::new(std::sync::atomic::AtomicUsize::new(total));
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel::<()>(1);
    let mut tasks = Vec::with_capacity(total);
    let mut rng = examgate_shared::shuffle::SplitMix64::new(spec.seed);
    let joins_from = Instant::now();
    let answer_from = joins_from + Duration::from_secs_f64(spec.warmup_s);
    let mut n = 0usize;
    for (r, room) in spec.rooms.iter().enumerate() {
        for i in 0..spec.per_room {
            if spec.join_rate > 0.0 {
                let due = joins_from + Duration::from_secs_f64(n as f64 / spec.join_rate);
                tokio::time::sleep_until(due.into()).await;
            }
            n += 1;
            let name = format!("{} {}-{:03}", spec.name_prefix, room.code, i + 1);
            let seed = rng.next_u64();
            let drop_at = (spec.churn > 0.0 && (rng.below(10_000) as f64) < spec.churn * 10_000.0)
                .then(|| {
                    let span = answer_until.saturating_duration_since(Instant::now());
                    Instant::now() + span.mul_f64(0.2 + 0.6 * rng.below(1000) as f64 / 1000.0)
                });
            let (stats, fanout, pending, ready_tx) = (
                stats.clone(),
                fanout.clone(),
                pending.clone(),
                ready_tx.clone(),
            );
            let interval = spec.interval_s.map(Duration::from_secs_f64);
            let target = spec.target;
            let (server, source, code) = (spec.relay_for(r + i), spec.source, room.code.clone());
            let also = spec.others_after(r + i);
            let submit = spec.submit;
            tasks.push(tokio::spawn(async move {
                let done = move || {
                    if pending.fetch_sub(1, std::sync::atomic::Ordering::AcqRel) == 1 {
                        let _ = ready_tx.try_send(());
                    }
                };
                match target {
                    Target::Relay => {
                        let plan = student::Plan {
                            server,
                            also,
                            source,
                            code,
                            name,
                            interval,
                            answer_from,
                            answer_until,
                            hold_until,
                            drop_at,
                            submit,
                            seed,
                        };
                        let s = student::Student::new(plan, stats, Some(fanout));
                        s.with_on_welcome(Box::new(done)).run().await;
                    }
                    Target::SocketIo => {
                        let plan = socketio::StudentPlan {
                            server,
                            source,
                            room: code,
                            name,
                            interval,
                            answer_from,
                            answer_until,
                            hold_until,
                            seed,
                        };
                        socketio::student_with(plan, stats, fanout, Box::new(done)).await;
                    }
                }
            }));
        }
    }
    drop(ready_tx);
    if total > 0 {
        let _ = ready_rx.recv().await;
    }
    // From the first join to the last student's exam open.
    let all_in = joins_from.elapsed().as_secs_f64();
    {
        let mut s = stats.lock().unwrap();
        s.all_in_s = all_in;
        println!(
            "ready {}",
            serde_json::json!({"joined": s.joined, "errors": s.error_count(), "all_in_s": all_in})
        );
    }
    for t in tasks {
        let _ = t.await;
    }
    for p in proctors {
        let _ = p.await;
    }
    let mut out = stats.lock().unwrap().clone();
    out.cpu_s = crate::procstat::own_cpu_s();
    out
}
