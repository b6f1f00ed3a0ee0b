//! The chaos run: students answer while the relay is killed with SIGKILL
//! at random moments and restarted, again and again.
//!
//! Checked, and reported as violations:
//! - every welcome each student gets (after every restart): nothing it had
//!   acknowledged forgotten, nothing held it never sent, and the answers
//!   exactly the replay of its own events up to `acked_seq`
//!   ([`crate::student`]);
//! - after every restart, a proctor's snapshot: each
//!   student's `answered` is at least what the student had acknowledged
//!   when the relay died, and at most what it had numbered by then (the
//!   relay may hold a committed answer whose ack the kill swallowed, never
//!   one the student did not give);
//! - at the end, in the relay's database: every event each student
//!   numbered is stored once, with the same content, in an unbroken
//!   sequence (no gap, no duplicate, nothing extra) — so the stored answers
//!   are exactly what the student last had acknowledged or resent;
//! - every attempt closed and graded once, at (not before) its deadline.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use examgate_shared::attempt::StudentEvent;
use examgate_shared::exam::QuestionId;
use examgate_shared::shuffle::SplitMix64;
use serde::Serialize;

use crate::proctor;
use crate::server;
use crate::stats::Stats;
use crate::student::{self, Outcome, Progress, Seen};

#[derive(Debug, Clone)]
pub struct ChaosOpts {
    pub relay_bin: PathBuf,
    pub work: PathBuf,
    pub students: usize,
    pub per_room: usize,
    pub kills: usize,
    /// Mean time between a student's answers.
    pub interval: Duration,
    /// How long students answer (the kills fall in this time).
    pub answering: Duration,
    pub seed: u64,
}

#[derive(Debug, Default, Serialize)]
pub struct ChaosReport {
    pub students: usize,
    pub kills: usize,
    pub restarts_checked: usize,
    pub events_numbered: u64,
    pub events_stored: u64,
    pub acked_before_kills: u64,
    pub reconnects: u64,
    pub attempts_closed: usize,
    pub relay_down_ms: Vec<u64>,
    pub violations: Vec<String>,
    pub seconds: f64,
}

const PASSWORD: &str = "chaos-proctor-password";

/// Distinct questions answered by the first `k` events (random answers are
/// never clears, so this only grows with `k`).
pub(crate) fn answered(events: &[StudentEvent], k: usize) -> u32 {
    let mut q: HashSet<QuestionId> = HashSet::new();
    for e in events.iter().take(k) {
        if let StudentEvent::Answer {
            question,
            value: Some(_),
        } = e
        {
            q.insert(*question);
        }
    }
    q.len() as u32
}

pub async fn run(opts: ChaosOpts) -> ChaosReport {
    let t0 = Instant::now();
    let mut report = ChaosReport {
        students: opts.students,
        ..ChaosReport::default()
    };
    let data = opts.work.clone();
    let rooms_n = opts.students.div_ceil(opts.per_room);
    // Working time: the answering, then time for the last resends.
    let working_s = opts.answering.as_secs() as u32 + 20;
    let rehearsal =
        server::seed_rehearsal(&opts.relay_bin, &data, None, rooms_n, working_s, PASSWORD)
            .expect("seed the rehearsal");
    let rooms = rehearsal.rooms();
    let port = server::free_port();
    let mut relay = server::start_relay(&opts.relay_bin, &data, port, &[])
        .await
        .expect("start the relay");
    let addr = relay.addr;
    let stats = Arc::new(Mutex::new(Stats::default()));
    let progress: Progress = Arc::new(Mutex::new(HashMap::new()));
    let answer_until = Instant::now() + opts.answering;
    let mut rng = SplitMix64::new(opts.seed);
    let mut tasks = Vec::new();
    // Every student in before the first kill: a join whose answer a kill
    // swallowed is the proctor's case (a new seat code), not this test's.
    let welcomed = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let all_in = Arc::new(tokio::sync::Notify::new());
    for i in 0..opts.students {
        let room = &rooms[i / opts.per_room];
        let plan = student::Plan {
            server: addr,
            also: Vec::new(),
            source: None,
            code: room.code.clone(),
            name: format!("Chaos {i:05}"),
            interval: Some(opts.interval),
            answer_from: Instant::now(),
            answer_until,
            hold_until: answer_until,
            drop_at: None,
            submit: false,
            seed: rng.next_u64(),
        };
        let (welcomed, all_in, n) = (welcomed.clone(), all_in.clone(), opts.students);
        let s = student::Student::new(plan, stats.clone(), None)
            .with_progress(progress.clone())
            .with_on_welcome(Box::new(move || {
                if welcomed.fetch_add(1, std::sync::atomic::Ordering::AcqRel) + 1 == n {
                    all_in.notify_one();
                }
            }));
        tasks.push(tokio::spawn(s.run()));
    }
    if tokio::time::timeout(Duration::from_secs(60), all_in.notified())
        .await
        .is_err()
    {
        report
            .violations
            .push("not every student joined within 60 s".into());
    }
    let room_names: Vec<String> = rooms.iter().map(|r| r.name.clone()).collect();
    let proctor_plan = |until| proctor::Plan {
        server: addr,
        source: None,
        username: rehearsal.proctor.clone(),
        password: rehearsal.password.clone(),
        rooms: room_names.clone(),
        until,
    };
    // The kills, spread over the answering time.
    let spacing = opts.answering.as_millis() as u64 / (opts.kills as u64 + 1);
    for k in 0..opts.kills {
        let wait = spacing / 2 + rng.below(spacing.max(1));
        tokio::time::sleep(Duration::from_millis(wait)).await;
        relay.kill().await;
        let killed_at = Instant::now();
        let at_kill: HashMap<String, Seen> = progress.lock().unwrap().clone();
        report.acked_before_kills += at_kill.values().map(|s| s.acked).sum::<u64>();
        relay = match server::start_relay(&opts.relay_bin, &data, port, &[]).await {
            Ok(r) => r,
            Err(e) => {
                report.violations.push(format!("restart {k}: {e}"));
                break;
            }
        };
        report
            .relay_down_ms
            .push(killed_at.elapsed().as_millis() as u64);
        report.kills += 1;
        // The proctor view of the restarted relay.
        match proctor::answered_by_name(&proctor_plan(Instant::now())).await {
            Ok(rows) => {
                report.restarts_checked += 1;
                let now: HashMap<String, Seen> = progress.lock().unwrap().clone();
                for (name, seen) in &at_kill {
                    let low = answered(&seen.events, seen.acked as usize);
                    let high = now
                        .get(name)
                        .map_or(0, |s| answered(&s.events, s.events.len()));
                    match rows.get(name) {
                        Some(&a) if a >= low && a <= high => {}
                        got => report.violations.push(format!(
                            "restart {k}: {name} shows {got:?} answered, expected {low}..={high}"
                        )),
                    }
                }
            }
            Err(e) => report
                .violations
                .push(format!("restart {k}: proctor view: {e}")),
        }
    }
    let mut outcomes: Vec<Outcome> = Vec::new();
    for t in tasks {
        match t.await {
            Ok(o) => outcomes.push(o),
            Err(e) => report
                .violations
                .push(format!("a student task failed: {e}")),
        }
    }
    report.reconnects = stats.lock().unwrap().reconnects;
    // Let every deadline pass and the relay close the attempts.
    let deadline_wait = Duration::from_secs(u64::from(working_s) + 8);
    let closed = wait_all_closed(
        &data,
        outcomes.len(),
        t0 + deadline_wait + Duration::from_secs(60),
    )
    .await;
    report.attempts_closed = closed;
    relay.kill().await;
    verify_store(&data, &outcomes, &mut report);
    report.seconds = t0.elapsed().as_secs_f64();
    report
}

async fn wait_all_closed(data: &std::path::Path, expected: usize, until: Instant) -> usize {
    let db = data.join("examgate.sqlite3");
    crate::record::wait_closed(expected, until, || async {
        crate::record::Record::read_sqlite(&db)
            .map(|r| r.closed())
            .unwrap_or(0)
    })
    .await
}

fn verify_store(data: &std::path::Path, outcomes: &[Outcome], report: &mut ChaosReport) {
    match crate::record::Record::read_sqlite(&data.join("examgate.sqlite3")) {
        Ok(record) => {
            let check = record.check(outcomes);
            report.events_numbered += check.events_numbered;
            report.events_stored += check.events_stored;
            report.violations.extend(check.violations);
        }
        Err(e) => report.violations.push(format!("open the database: {e}")),
    }
}
