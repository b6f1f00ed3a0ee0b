//! The failover run: students answer across several relays of one
//! deployment (one PostgreSQL database, one NATS bus) while one relay is
//! killed with SIGKILL mid-exam; its students reconnect to the others (the
//! next relay in their list, as a load balancer would send them) and
//! resend what was not acknowledged.
//!
//! Checked, and reported as violations:
//! - every welcome each student gets, on whichever relay
//!   ([`crate::student`]): nothing acknowledged forgotten, nothing held that
//!   it never sent;
//! - the central proctor, signed in on the last relay (which holds only a
//!   share of the students), sees every student's row: before the kill and
//!   after it, each `answered` between what the student had acknowledged
//!   and what it had numbered; and the rows arrive live (answer → row
//!   latency measured for answers sent through every relay);
//! - at the end, in the database ([`crate::record`]): every numbered event
//!   stored once, in sequence, as sent; every attempt closed and graded
//!   once, at its deadline, although the relay that started it is dead.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use examgate_shared::shuffle::SplitMix64;
use serde::Serialize;

use crate::proctor;
use crate::record::{Record, wait_closed};
use crate::server;
use crate::stats::{Stats, Summary};
use crate::student::{self, FanoutClock, Outcome, Progress, Seen};

#[derive(Debug, Clone)]
pub struct FailoverOpts {
    pub relay_bin: PathBuf,
    pub work: PathBuf,
    /// The PostgreSQL database the relays share (fresh).
    pub database: String,
    /// The NATS server between them.
    pub bus: String,
    pub relays: usize,
    pub students: usize,
    pub per_room: usize,
    /// Mean time between a student's answers.
    pub interval: Duration,
    /// How long students answer; the kill falls in the middle.
    pub answering: Duration,
    pub seed: u64,
}

#[derive(Debug, Default, Serialize)]
pub struct FailoverReport {
    pub relays: usize,
    pub students: usize,
    /// Students whose relay was killed.
    pub on_killed_relay: usize,
    pub events_numbered: u64,
    pub events_stored: u64,
    pub acked_before_kill: u64,
    pub reconnects: u64,
    pub attempts_closed: usize,
    /// Answer → the central proctor's row, over the whole run.
    pub answer_to_proctor: Option<Summary>,
    pub rows_seen_live: u64,
    pub violations: Vec<String>,
    pub seconds: f64,
}

const PASSWORD: &str = "failover-proctor-password";

pub async fn run(opts: FailoverOpts) -> FailoverReport {
    let t0 = Instant::now();
    let mut report = FailoverReport {
        relays: opts.relays,
        students: opts.students,
        ..FailoverReport::default()
    };
    let data = opts.work.clone();
    let rooms_n = opts.students.div_ceil(opts.per_room);
    let working_s = opts.answering.as_secs() as u32 + 20;
    let rehearsal = server::seed_rehearsal(
        &opts.relay_bin,
        &data,
        Some(&opts.database),
        rooms_n,
        working_s,
        PASSWORD,
    )
    .expect("seed the rehearsal");
    let rooms = rehearsal.rooms();
    let extra = ["--database", &opts.database, "--bus", &opts.bus];
    let mut relays = Vec::new();
    for _ in 0..opts.relays {
        let relay = server::start_relay(&opts.relay_bin, &data, server::free_port(), &extra)
            .await
            .expect("start a relay");
        relays.push(relay);
    }
    let addrs: Vec<_> = relays.iter().map(|r| r.addr).collect();
    let stats = Arc::new(Mutex::new(Stats::default()));
    let progress: Progress = Arc::new(Mutex::new(HashMap::new()));
    let fanout: FanoutClock = Arc::new(Mutex::new(HashMap::new()));
    let answer_until = Instant::now() + opts.answering;
    let mut rng = SplitMix64::new(opts.seed);
    let welcomed = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let all_in = Arc::new(tokio::sync::Notify::new());
    let mut tasks = Vec::new();
    for i in 0..opts.students {
        let home = i % addrs.len();
        // Reconnects go round the other relays, starting with the next.
        let also = (1..addrs.len())
            .map(|k| addrs[(home + k) % addrs.len()])
            .collect();
        let plan = student::Plan {
            server: addrs[home],
            also,
            source: None,
            code: rooms[i / opts.per_room].code.clone(),
            name: format!("Failover {i:05}"),
            interval: Some(opts.interval),
            answer_from: Instant::now(),
            answer_until,
            hold_until: answer_until,
            drop_at: None,
            submit: false,
            seed: rng.next_u64(),
        };
        if home == 0 {
            report.on_killed_relay += 1;
        }
        let (welcomed, all_in, n) = (welcomed.clone(), all_in.clone(), opts.students);
        let s = student::Student::new(plan, stats.clone(), Some(fanout.clone()))
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
    // The central proctor, on the last relay, watching every room live.
    let room_names: Vec<String> = rooms.iter().map(|r| r.name.clone()).collect();
    let central = *addrs.last().expect("relays");
    let plan = |until| proctor::Plan {
        server: central,
        source: None,
        username: rehearsal.proctor.clone(),
        password: rehearsal.password.clone(),
        rooms: room_names.clone(),
        until,
    };
    let live_plan = plan(answer_until);
    let token = proctor::login(&live_plan)
        .await
        .expect("the proctor signs in");
    let watcher = tokio::spawn(proctor::watch(
        live_plan,
        token,
        stats.clone(),
        fanout.clone(),
    ));

    tokio::time::sleep(opts.answering / 2).await;
    let before = progress.lock().unwrap().clone();
    check_rows(
        &plan(Instant::now()),
        &before,
        &progress,
        "before the kill",
        &mut report,
    )
    .await;
    relays[0].kill().await;
    let at_kill: HashMap<String, Seen> = progress.lock().unwrap().clone();
    report.acked_before_kill = at_kill.values().map(|s| s.acked).sum();
    // The dead relay's students are back on the others within seconds.
    tokio::time::sleep(Duration::from_secs(5)).await;
    check_rows(
        &plan(Instant::now()),
        &at_kill,
        &progress,
        "after the kill",
        &mut report,
    )
    .await;

    let mut outcomes: Vec<Outcome> = Vec::new();
    for t in tasks {
        match t.await {
            Ok(o) => outcomes.push(o),
            Err(e) => report
                .violations
                .push(format!("a student task failed: {e}")),
        }
    }
    let _ = watcher.await;
    {
        let stats = stats.lock().unwrap();
        report.reconnects = stats.reconnects;
        report.rows_seen_live = stats.fanout.count();
        report.answer_to_proctor = Some(stats.fanout.summary());
        if stats.fanout.count() == 0 {
            report
                .violations
                .push("the central proctor saw no row live".into());
        }
    }
    // Every deadline passes; the surviving relays close every attempt,
    // those the dead relay started too.
    let until = Instant::now() + Duration::from_secs(u64::from(working_s) + 60);
    let url = opts.database.clone();
    report.attempts_closed = wait_closed(outcomes.len(), until, || {
        let url = url.clone();
        async move {
            Record::read_postgres(&url)
                .await
                .map(|r| r.closed())
                .unwrap_or(0)
        }
    })
    .await;
    // Late closers had their chance to close twice.
    tokio::time::sleep(Duration::from_secs(3)).await;
    for relay in &mut relays[1..] {
        relay.kill().await;
    }
    match Record::read_postgres(&opts.database).await {
        Ok(record) => {
            let check = record.check(&outcomes);
            report.events_numbered = check.events_numbered;
            report.events_stored = check.events_stored;
            report.violations.extend(check.violations);
        }
        Err(e) => report.violations.push(format!("read the database: {e}")),
    }
    report.seconds = t0.elapsed().as_secs_f64();
    report
}

/// The central proctor's snapshot against what students had acknowledged
/// (`low`) and have numbered now (`high`).
async fn check_rows(
    plan: &proctor::Plan,
    low: &HashMap<String, Seen>,
    now: &Progress,
    when: &str,
    report: &mut FailoverReport,
) {
    let rows = match proctor::answered_by_name(plan).await {
        Ok(rows) => rows,
        Err(e) => {
            report.violations.push(format!("{when}: proctor view: {e}"));
            return;
        }
    };
    let now = now.lock().unwrap().clone();
    for (name, seen) in low {
        let low = crate::chaos::answered(&seen.events, seen.acked as usize);
        let high = now
            .get(name)
            .map_or(0, |s| crate::chaos::answered(&s.events, s.events.len()));
        match rows.get(name) {
            Some(&a) if a >= low && a <= high => {}
            got => report.violations.push(format!(
                "{when}: {name} shows {got:?} answered, expected {low}..={high}"
            )),
        }
    }
}
