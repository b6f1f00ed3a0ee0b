//! `bench --cluster N`: one exam served by N relay processes on one
//! PostgreSQL database and one nats-server, all started by the run on this
//! machine (`target/bench/load-cluster.json`).
//!
//! Students are spread over the relays — a room's students over all of
//! them — and every proctor connection watches its rooms from another relay
//! than the rooms' first students, so nearly every answer → proctor row
//! crosses the bus. Everyone joins at once (or arrives at `join_rate` per
//! second), then one answer per student every `interval` seconds for
//! `seconds`; the figures are the generator's
//! (ack and answer → proctor latencies, errors) and the servers' (relay CPU
//! and memory per process, PostgreSQL commits per second).

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::bench::{BenchOpts, PASSWORD, WARMUP_S, exe, latency_json, write};
use crate::coordinator;
use crate::procstat;
use crate::server;
use crate::worker::{Target, WorkerSpec};

pub async fn run_cluster(opts: BenchOpts) -> Value {
    let _ = std::fs::create_dir_all(&opts.work);
    let pg = examgate_servers::postgres();
    let nats = examgate_servers::nats();
    let mut report = json!({
        "machine": {
            "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
            "open_files_per_process": procstat::open_file_limit(),
        },
        "settings": {
            "relays": opts.cluster, "students": opts.students, "mid": opts.mid,
            "interval_s": opts.interval_s, "seconds": opts.seconds, "workers": opts.workers,
            "join_rate_per_s": opts.join_rate,
            "per_room": opts.per_room,
            "store": "one PostgreSQL database shared by every relay (each relay's writer group-commits; fsync and synchronous_commit on)",
            "bus": "one nats-server (core NATS, one subject per deployment)",
            "postgres": pg.psql("postgres", "SHOW server_version"),
            "nats": nats.url(),
            "generator": "examgate-loadgen worker processes (one thread each), one source address each (127.0.0.x); students spread over the relays, proctor connections on another relay than their rooms' first students; everything on the same 2 cores",
        },
    });
    let mut part = json!({});
    let mut sizes = vec![opts.mid, opts.students];
    sizes.dedup();
    for &n in &sizes {
        part[format!("steady_{n}")] = steady(&opts, n).await;
        report["cluster"] = part.clone();
        write(&opts, &report);
    }
    let f = |v: &Value| v.as_f64().unwrap_or(f64::MAX);
    let keys: Vec<String> = sizes.iter().map(|n| format!("steady_{n}")).collect();
    report["goals"] = json!({
        "everyone_in": keys.iter().all(|k| part[k]["joined"] == part[k]["students"]),
        "zero_errors": keys.iter().all(|k| part[k]["error_count"] == json!(0)),
        "ack_p99_under_50ms": keys.iter().all(|k| f(&part[k]["latency"]["ack"]["p99_ms"]) < 50.0),
        "proctor_p99_under_100ms": keys.iter().all(|k| f(&part[k]["latency"]["answer_to_proctor"]["p99_ms"]) < 100.0),
    });
    write(&opts, &report);
    report
}

async fn steady(opts: &BenchOpts, students: usize) -> Value {
    let pg = examgate_servers::postgres();
    let data = opts.work.join(format!("cluster-{students}"));
    let url = pg.fresh_database();
    let database = url.rsplit('/').next().unwrap_or_default().to_owned();
    let rooms_needed = students.div_ceil(opts.per_room).max(1);
    let rehearsal = server::seed_rehearsal(
        &opts.relay_bin,
        &data,
        Some(&url),
        rooms_needed,
        7200,
        PASSWORD,
    )
    .expect("seed the rehearsal");
    let bus = examgate_servers::nats().url();
    let extra = ["--database", url.as_str(), "--bus", bus.as_str()];
    let mut relays = Vec::new();
    for _ in 0..opts.cluster.max(1) {
        relays.push(
            server::start_relay(&opts.relay_bin, &data, server::free_port(), &extra)
                .await
                .expect("start a relay"),
        );
    }
    let rooms = rehearsal.rooms();
    let rooms = &rooms[..rooms_needed.min(rooms.len())];
    // Arrivals paced at `join_rate` (shared by the workers), or all at
    // once; answering starts 15 s after the last arrival is due (all at
    // once: 30 s after the first join, since three relays on two cores
    // take longer than one to let everyone in, and answers given during
    // the spike wait for it).
    let workers = opts.workers.clamp(1, rooms.len().max(1));
    let (join_rate, arriving_s) = match opts.join_rate {
        r if r > 0.0 => (r / workers as f64, students as f64 / r),
        _ => (0.0, WARMUP_S),
    };
    let warmup_s = WARMUP_S + arriving_s;
    let spec = WorkerSpec {
        target: Target::Relay,
        server: relays[0].addr,
        servers: relays.iter().map(|r| r.addr).collect(),
        source: None,
        rooms: Vec::new(),
        per_room: opts.per_room,
        name_prefix: "LG".into(),
        interval_s: Some(opts.interval_s),
        join_rate,
        warmup_s,
        answer_s: warmup_s + opts.interval_s + opts.seconds,
        hold_s: warmup_s + opts.interval_s + opts.seconds + 3.0,
        churn: 0.0,
        submit: false,
        proctor: Some((rehearsal.proctor.clone(), rehearsal.password.clone())),
        rooms_per_proctor: examgate_shared::proctoring::MAX_WATCHED_ROOMS,
        seed: 2026,
    };
    let pids: Vec<u32> = relays.iter().map(|r| r.pid).collect();
    let cpu = |pids: &[u32]| -> Vec<f64> {
        pids.iter()
            .map(|p| procstat::cpu_s(*p).unwrap_or(0.0))
            .collect()
    };
    let commits = || -> u64 {
        pg.psql(
            "postgres",
            &format!("SELECT xact_commit FROM pg_stat_database WHERE datname = '{database}'"),
        )
        .parse()
        .unwrap_or(0)
    };
    let (cpu0, c0, t0) = (cpu(&pids), commits(), Instant::now());
    let mut running = coordinator::start(&exe(), &spec, rooms, opts.workers, 0);
    let ready_wall = running.wait_ready(Duration::from_secs(600)).await;
    let rss_all_in: Vec<u64> = pids
        .iter()
        .map(|p| procstat::rss_kib(*p).unwrap_or(0))
        .collect();
    let stats = running.finish().await;
    let wall = t0.elapsed().as_secs_f64();
    let (cpu1, c1) = (cpu(&pids), commits());
    for relay in &mut relays {
        relay.kill().await;
    }
    let relay_cpu: Vec<f64> = cpu1.iter().zip(&cpu0).map(|(b, a)| b - a).collect();
    let all_in = (stats.joined as usize == students).then_some(stats.all_in_s);
    eprintln!(
        "  cluster of {} relays, {students}: all in {:.1} s, ack p99 {:.2} ms, proctor p99 {:.2} ms, errors {}",
        relays.len(),
        all_in.unwrap_or(-1.0),
        stats.ack.summary().p99_ms,
        stats.fanout.summary().p99_ms,
        stats.error_count()
    );
    json!({
        "students": students,
        "relays": relays.len(),
        "join_rate_per_s": opts.join_rate,
        "joined": stats.joined,
        "all_in_s": all_in,
        "workers_ready_wall_s": ready_wall,
        "latency": latency_json(&stats),
        "answers_sent": stats.answers_sent,
        "answers_acked": stats.answers_acked,
        "errors": stats.errors,
        "error_count": stats.error_count(),
        "proctor_snapshots_after_lag": stats.proctor_snapshots_after_lag,
        "reconnects": stats.reconnects,
        "relay_rss_kib_all_in": rss_all_in,
        "relay_cpu_s": relay_cpu,
        "relay_cpu_share_total": relay_cpu.iter().sum::<f64>() / wall,
        "generator_cpu_s": stats.cpu_s,
        "generator_cpu_share": stats.cpu_s / wall,
        "postgres_commits_per_s": c1.saturating_sub(c0) as f64 / wall,
        "wall_s": wall,
    })
}
