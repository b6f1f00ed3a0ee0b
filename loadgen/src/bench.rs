//! The load benchmark: one relay process held to this machine's limits,
//! and the same workload on a plain Socket.IO 4 server, in one run.
//! Writes `target/bench/load.json` (docs/load.md explains every figure).
//!
//! Scenarios, each on a fresh server:
//! - `memory`: idle students connected in steps (1k → 19k); the server's
//!   RSS 5 s after each step (once the relay has trimmed its heap after the
//!   burst); the slope is the memory per connection.
//! - `steady_<N>`: N students join all at once (the start-of-exam spike:
//!   time until every one has opened the exam), then each answers every
//!   10 s (jittered) for a minute while proctor connections watch every
//!   room: join, connect, ack and answer → proctor latencies, errors,
//!   server RSS and CPU, the generator's own CPU.
//! - `steady_<N>_server_first`: the same, with the server's threads given
//!   the CPU first once everyone is in (`priority.rs`): the server's
//!   latencies apart from the generator it shares the two cores with.
//! - `throughput` (relay only): 2,000 students answering as fast as acks
//!   come back; acknowledged (durable) answers per second and the group
//!   commit batch sizes the relay's `/api/metrics` reports.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::coordinator::{self, Sampler};
use crate::http1;
use crate::priority;
use crate::procstat;
use crate::server::{self, Server};
use crate::stats::Stats;
use crate::worker::{Room, Target, WorkerSpec};

#[derive(Debug, Clone)]
pub struct BenchOpts {
    pub relay_bin: PathBuf,
    pub baseline_dir: PathBuf,
    pub work: PathBuf,
    pub out: PathBuf,
    /// The largest load (about what the open-file limit allows).
    pub students: usize,
    /// The middle load.
    pub mid: usize,
    pub interval_s: f64,
    pub seconds: f64,
    pub workers: usize,
    pub memory_steps: Vec<usize>,
    pub baseline: bool,
    pub per_room: usize,
    /// The relay on a PostgreSQL server this run starts (`run_postgres`).
    pub postgres: bool,
    /// Relays of one deployment on PostgreSQL and NATS
    /// (`bench_cluster::run_cluster`); 0: not this run.
    pub cluster: usize,
    /// Students arriving per second, all workers together (`--cluster`
    /// only); 0: everyone at once.
    pub join_rate: f64,
}

pub(crate) const PASSWORD: &str = "load-rehearsal-password";

/// Seconds between the first join and the first answer in `steady`.
pub(crate) const WARMUP_S: f64 = 15.0;

/// One target's server, fresh for each scenario.
struct Fresh {
    server: Server,
    rooms: Vec<Room>,
    proctor: Option<(String, String)>,
}

async fn fresh(opts: &BenchOpts, target: Target, name: &str, students: usize) -> Fresh {
    let rooms_needed = students.div_ceil(opts.per_room).max(1);
    match target {
        Target::Relay => {
            let data = opts.work.join(name);
            let url = opts
                .postgres
                .then(|| examgate_servers::postgres().fresh_database());
            let r = server::seed_rehearsal(
                &opts.relay_bin,
                &data,
                url.as_deref(),
                rooms_needed,
                7200,
                PASSWORD,
            )
            .expect("seed the rehearsal");
            let extra: Vec<&str> = url
                .iter()
                .flat_map(|u| ["--database", u.as_str()])
                .collect();
            let server = server::start_relay(&opts.relay_bin, &data, server::free_port(), &extra)
                .await
                .expect("start the relay");
            Fresh {
                server,
                rooms: r.rooms(),
                proctor: Some((r.proctor, r.password)),
            }
        }
        Target::SocketIo => {
            let server = server::start_baseline(&opts.baseline_dir, server::free_port())
                .await
                .expect("start the Socket.IO baseline");
            let rooms = (1..=rooms_needed)
                .map(|i| Room {
                    code: format!("R{i:04}"),
                    name: format!("R{i:04}"),
                })
                .collect();
            Fresh {
                server,
                rooms,
                proctor: None,
            }
        }
    }
}

fn template(target: Target, f: &Fresh, opts: &BenchOpts) -> WorkerSpec {
    WorkerSpec {
        target,
        server: f.server.addr,
        servers: Vec::new(),
        source: None,
        rooms: Vec::new(),
        per_room: opts.per_room,
        name_prefix: "LG".into(),
        interval_s: None,
        join_rate: 0.0,
        warmup_s: 0.0,
        answer_s: 0.0,
        hold_s: 0.0,
        churn: 0.0,
        submit: false,
        proctor: f.proctor.clone(),
        rooms_per_proctor: examgate_shared::proctoring::MAX_WATCHED_ROOMS,
        seed: 2026,
    }
}

pub(crate) fn exe() -> PathBuf {
    std::env::current_exe().expect("own path")
}

/// RSS averaged over a second.
async fn settled_rss(pid: u32) -> u64 {
    let mut sum = 0;
    for _ in 0..5 {
        sum += procstat::rss_kib(pid).unwrap_or(0);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    sum / 5
}

/// Least-squares slope of y over x.
pub fn slope(points: &[(f64, f64)]) -> f64 {
    let n = points.len() as f64;
    let (sx, sy) = points
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    let (mx, my) = (sx / n, sy / n);
    let (num, den) = points.iter().fold((0.0, 0.0), |(a, b), (x, y)| {
        (a + (x - mx) * (y - my), b + (x - mx) * (x - mx))
    });
    if den == 0.0 { 0.0 } else { num / den }
}

async fn memory(opts: &BenchOpts, target: Target) -> Value {
    let f = fresh(
        opts,
        target,
        "memory",
        *opts.memory_steps.last().unwrap_or(&1000),
    )
    .await;
    let pid = f.server.pid;
    let base = template(target, &f, opts);
    let mut spec = base.clone();
    spec.hold_s = 3600.0;
    spec.proctor = None;
    let start_rss = settled_rss(pid).await;
    let mut points = vec![(0.0, start_rss as f64)];
    let mut steps = Vec::new();
    let mut running = Vec::new();
    let mut have = 0usize;
    let mut worker_index = 0;
    let mut errors = 0u64;
    for &want in &opts.memory_steps {
        let rooms_from = have / opts.per_room;
        let rooms_to = want.div_ceil(opts.per_room).min(f.rooms.len());
        if rooms_to <= rooms_from {
            continue;
        }
        let rooms = &f.rooms[rooms_from..rooms_to];
        let workers = opts.workers.min(rooms.len()).max(1);
        let t0 = Instant::now();
        let mut r = coordinator::start(&exe(), &spec, rooms, workers, worker_index);
        worker_index += workers;
        let ready = r.wait_ready(Duration::from_secs(300)).await;
        have = rooms_to * opts.per_room;
        // The relay trims its heap 3 s after a burst of joins ends.
        tokio::time::sleep(Duration::from_secs(5)).await;
        let rss = settled_rss(pid).await;
        let fds = procstat::open_fds(pid).unwrap_or(0);
        points.push((have as f64, rss as f64));
        steps.push(json!({
            "connections": have, "rss_kib": rss, "server_open_files": fds,
            "ramp_s": ready.unwrap_or(-1.0), "wall_s": t0.elapsed().as_secs_f64(),
        }));
        running.push(r);
        eprintln!("  {target:?} memory: {have} idle connections, RSS {rss} KiB");
    }
    for r in running {
        errors += 0;
        r.kill().await;
    }
    let mut server = f.server;
    server.kill().await;
    // Bytes per connection: the slope over the steps (1k → max).
    let slope_points: Vec<(f64, f64)> = points.iter().skip(1).copied().collect();
    let per_conn_kib = slope(&slope_points);
    json!({
        "rss_at_start_kib": start_rss,
        "steps": steps,
        "rss_per_connection_kb": per_conn_kib * 1.024,
        "rss_per_connection_kib": per_conn_kib,
        "errors": errors,
    })
}

pub(crate) fn latency_json(s: &Stats) -> Value {
    json!({
        "join": s.join.summary(),
        "connect": s.connect.summary(),
        "ack": s.ack.summary(),
        "answer_to_proctor": s.fanout.summary(),
    })
}

/// Whether the server gets the CPU first once everyone is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sharing {
    Fair,
    ServerFirst,
}

async fn steady(opts: &BenchOpts, target: Target, students: usize, sharing: Sharing) -> Value {
    let name = match sharing {
        Sharing::Fair => format!("steady-{students}"),
        Sharing::ServerFirst => format!("steady-{students}-server-first"),
    };
    let f = fresh(opts, target, &name, students).await;
    let pid = f.server.pid;
    let rooms = &f.rooms[..students.div_ceil(opts.per_room).min(f.rooms.len())];
    let mut spec = template(target, &f, opts);
    spec.interval_s = Some(opts.interval_s);
    // Everyone joins at once (the start spike, measured as `all_in_s`);
    // answering starts 15 s after the first join, so the steady-state
    // latencies are not the spike's. (Answers given during a spike wait
    // for it: docs/load.md.)
    spec.warmup_s = WARMUP_S;
    spec.answer_s = WARMUP_S + opts.interval_s + opts.seconds;
    spec.hold_s = spec.answer_s + 3.0;
    let cpu0 = procstat::cpu_s(pid).unwrap_or(0.0);
    let sampler = Sampler::start(pid, Duration::from_millis(500));
    let t0 = Instant::now();
    let mut r = coordinator::start(&exe(), &spec, rooms, opts.workers, 0);
    let ready_wall = r.wait_ready(Duration::from_secs(300)).await;
    // After the spike, which stays a fair contest (a starved generator
    // would only join more slowly); answering starts later.
    let server_first = match sharing {
        Sharing::Fair => Value::Null,
        Sharing::ServerFirst => match priority::server_first(pid) {
            Ok(threads) => json!({ "threads": threads }),
            Err(why) => json!({ "refused": why }),
        },
    };
    let rss_all_in = procstat::rss_kib(pid).unwrap_or(0);
    let stats = r.finish().await;
    let wall = t0.elapsed().as_secs_f64();
    let samples = sampler.stop().await;
    let cpu1 = procstat::cpu_s(pid).unwrap_or(0.0);
    let mut server = f.server;
    server.kill().await;
    let peak = samples.iter().map(|s| s.rss_kib).max().unwrap_or(0);
    let all_in = (stats.joined as usize == students).then_some(stats.all_in_s);
    eprintln!(
        "  {target:?} {students} {sharing:?}: all in {:.1} s, ack p99 {:.2} ms, proctor p99 {:.2} ms, errors {}",
        all_in.unwrap_or(-1.0),
        stats.ack.summary().p99_ms,
        stats.fanout.summary().p99_ms,
        stats.error_count()
    );
    json!({
        "students": students,
        "server_first": server_first,
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
        "server_rss_kib": { "all_in": rss_all_in, "peak": peak },
        "server_cpu_s": cpu1 - cpu0,
        "generator_cpu_s": stats.cpu_s,
        "wall_s": wall,
        "server_cpu_share": (cpu1 - cpu0) / wall,
        "generator_cpu_share": stats.cpu_s / wall,
        "samples": samples,
    })
}

async fn metrics(addr: std::net::SocketAddr) -> Value {
    match http1::get(addr, None, "/api/metrics").await {
        Ok(r) if r.status == 200 => serde_json::from_str(&r.body).unwrap_or(Value::Null),
        _ => Value::Null,
    }
}

async fn throughput(opts: &BenchOpts) -> Value {
    let students = 2000.min(opts.students);
    let f = fresh(opts, Target::Relay, "throughput", students).await;
    let rooms = &f.rooms[..students.div_ceil(opts.per_room)];
    let mut spec = template(Target::Relay, &f, opts);
    spec.proctor = None;
    // Far more than the disk can sync one by one: the batches show.
    spec.interval_s = Some(0.05);
    spec.warmup_s = 8.0;
    spec.answer_s = 8.0 + 20.0;
    spec.hold_s = spec.answer_s + 2.0;
    let mut r = coordinator::start(&exe(), &spec, rooms, opts.workers, 0);
    r.wait_ready(Duration::from_secs(120)).await;
    let before = metrics(f.server.addr).await;
    let t0 = Instant::now();
    let stats = r.finish().await;
    let after = metrics(f.server.addr).await;
    let wall = t0.elapsed().as_secs_f64();
    let mut server = f.server;
    server.kill().await;
    let d = |k: &str| {
        after["writer"][k].as_f64().unwrap_or(0.0) - before["writer"][k].as_f64().unwrap_or(0.0)
    };
    let (batches, jobs) = (d("batches"), d("jobs"));
    let sizes: Vec<Value> = after["writer"]["batch_sizes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .zip(before["writer"]["batch_sizes"].as_array().cloned().unwrap_or_default())
        .map(|(a, b)| json!({"up_to": a[0], "batches": a[1].as_u64().unwrap_or(0) - b[1].as_u64().unwrap_or(0)}))
        .collect();
    let acked_per_s = stats.answers_acked as f64 / wall;
    eprintln!(
        "  throughput: {acked_per_s:.0} acknowledged answers/s, mean batch {:.1}",
        jobs / batches.max(1.0)
    );
    json!({
        "students": students,
        "offered_per_s": students as f64 / 0.05,
        "acked_answers": stats.answers_acked,
        "acked_per_s": acked_per_s,
        "window_s": wall,
        "commits": batches,
        "commits_per_s": batches / wall,
        "mean_batch": jobs / batches.max(1.0),
        "largest_batch": after["writer"]["largest_batch"],
        "commit_ms_mean": d("commit_ms") / batches.max(1.0),
        "batch_sizes": sizes,
        "ack": stats.ack.summary(),
        "errors": stats.errors,
        "synchronous": "FULL",
    })
}

fn ratio(a: &Value, b: &Value) -> Value {
    match (a.as_f64(), b.as_f64()) {
        (Some(a), Some(b)) if b != 0.0 => json!(a / b),
        _ => Value::Null,
    }
}

pub async fn run(opts: BenchOpts) -> Value {
    let _ = std::fs::create_dir_all(&opts.work);
    let mut report = json!({
        "machine": {
            "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
            "open_files_per_process": crate::procstat::open_file_limit(),
            "somaxconn": std::fs::read_to_string("/proc/sys/net/core/somaxconn").ok().map(|s| s.trim().to_string()),
            "ephemeral_ports": std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range").ok().map(|s| s.trim().replace('\t', "-")),
        },
        "settings": {
            "students": opts.students, "mid": opts.mid, "interval_s": opts.interval_s,
            "seconds": opts.seconds, "workers": opts.workers, "per_room": opts.per_room,
            "memory_steps": opts.memory_steps,
            "generator": "examgate-loadgen worker processes (one thread each), one source address each (127.0.0.x), on the same 2 cores as the server",
        },
    });
    let mut targets = vec![Target::Relay];
    if opts.baseline {
        targets.push(Target::SocketIo);
    }
    for target in targets {
        let key = match target {
            Target::Relay => "relay",
            Target::SocketIo => "socketio",
        };
        eprintln!("load bench: {key}");
        let mut part = json!({});
        part["memory"] = memory(&opts, target).await;
        for n in [opts.mid, opts.students] {
            part[format!("steady_{n}")] = steady(&opts, target, n, Sharing::Fair).await;
        }
        part[format!("steady_{}_server_first", opts.students)] =
            steady(&opts, target, opts.students, Sharing::ServerFirst).await;
        if target == Target::Relay {
            part["throughput"] = throughput(&opts).await;
        }
        report[key] = part;
        write(&opts, &report);
    }
    if opts.baseline {
        let r = &report["relay"];
        let b = &report["socketio"];
        let mut ratios = json!({
            "rss_per_connection": ratio(&r["memory"]["rss_per_connection_kib"], &b["memory"]["rss_per_connection_kib"]),
        });
        let keys = [
            format!("steady_{}", opts.mid),
            format!("steady_{}", opts.students),
            format!("steady_{}_server_first", opts.students),
        ];
        for k in keys {
            ratios[k.clone()] = json!({
                "ack_p99": ratio(&r[&k]["latency"]["ack"]["p99_ms"], &b[&k]["latency"]["ack"]["p99_ms"]),
                "answer_to_proctor_p99": ratio(&r[&k]["latency"]["answer_to_proctor"]["p99_ms"], &b[&k]["latency"]["answer_to_proctor"]["p99_ms"]),
                "all_in": ratio(&r[&k]["all_in_s"], &b[&k]["all_in_s"]),
                "join_p99": ratio(&r[&k]["latency"]["connect"]["p99_ms"], &b[&k]["latency"]["connect"]["p99_ms"]),
            });
        }
        report["ratios_relay_over_socketio"] = ratios;
    }
    let top = format!("steady_{}", opts.students);
    let mid = format!("steady_{}", opts.mid);
    let first = format!("steady_{}_server_first", opts.students);
    let r = &report["relay"];
    let f = |v: &Value| v.as_f64().unwrap_or(f64::MAX);
    report["goals"] = json!({
        "zero_errors": r[&top]["error_count"] == json!(0) && r[&mid]["error_count"] == json!(0),
        "ack_p99_under_10ms": f(&r[&top]["latency"]["ack"]["p99_ms"]) < 10.0 && f(&r[&mid]["latency"]["ack"]["p99_ms"]) < 10.0,
        "proctor_p99_under_10ms": f(&r[&top]["latency"]["answer_to_proctor"]["p99_ms"]) < 10.0 && f(&r[&mid]["latency"]["answer_to_proctor"]["p99_ms"]) < 10.0,
        "rss_per_idle_connection_at_most_8kb": f(&r["memory"]["rss_per_connection_kb"]) <= 8.0,
        "all_in_within_5s": f(&r[&top]["all_in_s"]) <= 5.0,
        // Only when the server really was first (the policy needs root).
        "server_first": if r[&first]["server_first"]["threads"].is_u64() {
            json!({
                "ack_p99_under_10ms": f(&r[&first]["latency"]["ack"]["p99_ms"]) < 10.0,
                "proctor_p99_under_10ms": f(&r[&first]["latency"]["answer_to_proctor"]["p99_ms"]) < 10.0,
            })
        } else {
            Value::Null
        },
    });
    write(&opts, &report);
    report
}

/// The relay on PostgreSQL (one server this run starts: Debian's package,
/// `fsync` and `synchronous_commit` on, as in production): the steady
/// scenarios at `mid` and `students`, with the server's commits per second.
/// Writes `opts.out` (`target/bench/load-postgres.json`).
pub async fn run_postgres(opts: BenchOpts) -> Value {
    let _ = std::fs::create_dir_all(&opts.work);
    let pg = examgate_servers::postgres();
    let mut report = json!({
        "machine": {
            "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
            "open_files_per_process": crate::procstat::open_file_limit(),
        },
        "settings": {
            "students": opts.students, "mid": opts.mid, "interval_s": opts.interval_s,
            "seconds": opts.seconds, "workers": opts.workers, "per_room": opts.per_room,
            "store": "PostgreSQL (one relay, its writer's group commit; fsync and synchronous_commit on)",
            "postgres": pg.psql("postgres", "SHOW server_version"),
            "generator": "examgate-loadgen worker processes (one thread each), one source address each (127.0.0.x), on the same 2 cores as the relay and PostgreSQL",
        },
    });
    let commits = || -> u64 {
        pg.psql("postgres", "SELECT sum(xact_commit) FROM pg_stat_database")
            .parse()
            .unwrap_or(0)
    };
    let mut part = json!({});
    for n in [opts.mid, opts.students] {
        let (c0, t0) = (commits(), Instant::now());
        let mut scenario = steady(&opts, Target::Relay, n, Sharing::Fair).await;
        scenario["postgres_commits_per_s"] =
            json!((commits().saturating_sub(c0)) as f64 / t0.elapsed().as_secs_f64());
        part[format!("steady_{n}")] = scenario;
        report["relay_on_postgres"] = part.clone();
        write(&opts, &report);
    }
    let f = |v: &Value| v.as_f64().unwrap_or(f64::MAX);
    let all = [
        format!("steady_{}", opts.mid),
        format!("steady_{}", opts.students),
    ];
    report["goals"] = json!({
        "zero_errors": all.iter().all(|k| part[k]["error_count"] == json!(0)),
        "ack_p99_under_50ms": all.iter().all(|k| f(&part[k]["latency"]["ack"]["p99_ms"]) < 50.0),
        "proctor_p99_under_100ms": all.iter().all(|k| f(&part[k]["latency"]["answer_to_proctor"]["p99_ms"]) < 100.0),
    });
    write(&opts, &report);
    report
}

pub(crate) fn write(opts: &BenchOpts, report: &Value) {
    if let Some(dir) = opts.out.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = std::fs::write(
        &opts.out,
        serde_json::to_string_pretty(report).expect("json"),
    );
}
