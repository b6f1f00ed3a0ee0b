//! `examgate-loadgen`: load a relay (or the Socket.IO baseline) with
//! simulated students and proctors. docs/load.md has the whole story.
//!
//! - `run`: against a running relay seeded with `examgate-relay
//!   rehearsal` (a dress rehearsal on the real server).
//! - `bench`: the benchmark (`target/bench/load.json`): fresh servers,
//!   memory steps, the start spike, steady load, durable throughput, and
//!   the Socket.IO baseline beside it.
//! - `chaos`: the long chaos run (`target/bench/chaos.json`).
//! - `worker`: one process's share (started by the others).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};
use examgate_loadgen::{bench, bench_cluster, chaos, coordinator, server, worker};

#[derive(Parser)]
#[command(version, about = "Load generator for the examgate relay")]
struct Args {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Load a running relay: students of the rehearsal's rooms join, answer
    /// every INTERVAL seconds for SECONDS, proctors watch; prints JSON.
    Run {
        /// The relay's address.
        #[arg(long, default_value = "127.0.0.1:8080")]
        server: SocketAddr,
        /// The rehearsal's data folder (its rehearsal.json).
        #[arg(long)]
        rehearsal: PathBuf,
        #[arg(long, default_value_t = 1000)]
        students: usize,
        #[arg(long, default_value_t = 40)]
        per_room: usize,
        #[arg(long, default_value_t = 10.0)]
        interval: f64,
        #[arg(long, default_value_t = 60.0)]
        seconds: f64,
        /// Joins per second in all (0: everyone at once).
        #[arg(long, default_value_t = 0.0)]
        join_rate: f64,
        /// Seconds from the first join before anyone answers.
        #[arg(long, default_value_t = 0.0)]
        warmup: f64,
        /// Share of students that drop once and reconnect.
        #[arg(long, default_value_t = 0.0)]
        churn: f64,
        #[arg(long)]
        submit: bool,
        /// Worker processes (each with its own source address).
        #[arg(long, default_value_t = 4)]
        workers: usize,
    },
    /// The benchmark; writes target/bench/load.json.
    Bench {
        #[arg(long, default_value_t = 19_000)]
        students: usize,
        #[arg(long, default_value_t = 10_000)]
        mid: usize,
        #[arg(long, default_value_t = 10.0)]
        interval: f64,
        #[arg(long, default_value_t = 60.0)]
        seconds: f64,
        #[arg(long, default_value_t = 4)]
        workers: usize,
        /// The relay binary (default: beside this one).
        #[arg(long)]
        relay_bin: Option<PathBuf>,
        #[arg(long, default_value = "target/bench/load.json")]
        out: PathBuf,
        /// Skip the Socket.IO baseline.
        #[arg(long)]
        no_baseline: bool,
        /// Run the relay on a PostgreSQL server started for the run
        /// (steady scenarios only; no baseline).
        #[arg(long)]
        postgres: bool,
        /// Run N relays of one deployment on a PostgreSQL server and a
        /// nats-server started for the run (steady scenarios; writes
        /// target/bench/load-cluster.json unless --out says otherwise).
        #[arg(long, default_value_t = 0)]
        cluster: usize,
        /// With --cluster: students arriving per second, all workers
        /// together (0: everyone at once); answering starts 15 s after the
        /// last has arrived.
        #[arg(long, default_value_t = 0.0)]
        join_rate: f64,
    },
    /// The long chaos run; writes target/bench/chaos.json.
    Chaos {
        #[arg(long, default_value_t = 1000)]
        students: usize,
        #[arg(long, default_value_t = 100)]
        kills: usize,
        #[arg(long, default_value_t = 120)]
        seconds: u64,
        #[arg(long, default_value_t = 1000)]
        interval_ms: u64,
        #[arg(long)]
        relay_bin: Option<PathBuf>,
        #[arg(long, default_value = "target/bench/chaos.json")]
        out: PathBuf,
    },
    /// One worker process (started by `run` and `bench`).
    Worker {
        #[arg(long)]
        spec: String,
    },
}

fn workspace_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
        .to_path_buf()
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    // A worker runs on one thread: several worker processes already spread
    // the load over the cores, and one thread per process is the least the
    // generator can take from the server it shares the machine with (no
    // work stealing, no cross-thread wakeups).
    let runtime = match &args.command {
        Cmd::Worker { .. } => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build(),
        _ => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build(),
    };
    match runtime {
        Ok(runtime) => runtime.block_on(run(args)),
        Err(e) => {
            eprintln!("examgate-loadgen: cannot start the runtime: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> std::process::ExitCode {
    match args.command {
        Cmd::Worker { spec } => {
            let spec: worker::WorkerSpec = match serde_json::from_str(&spec) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("examgate-loadgen worker: bad spec: {e}");
                    return std::process::ExitCode::from(2);
                }
            };
            let stats = worker::run(spec).await;
            println!("stats {}", serde_json::to_string(&stats).expect("json"));
        }
        Cmd::Run {
            server,
            rehearsal,
            students,
            per_room,
            interval,
            seconds,
            join_rate,
            warmup,
            churn,
            submit,
            workers,
        } => {
            let r = match server::Rehearsal::read(&rehearsal) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("examgate-loadgen: {}: {e}", rehearsal.display());
                    return std::process::ExitCode::FAILURE;
                }
            };
            let rooms = r.rooms();
            let rooms = &rooms[..students.div_ceil(per_room).min(rooms.len())];
            let workers = workers.max(1);
            let spec = worker::WorkerSpec {
                target: worker::Target::Relay,
                server,
                servers: Vec::new(),
                source: None,
                rooms: Vec::new(),
                per_room,
                name_prefix: "LG".into(),
                interval_s: Some(interval),
                join_rate: join_rate / workers as f64,
                warmup_s: warmup,
                answer_s: warmup + seconds,
                hold_s: warmup + seconds + 2.0,
                churn,
                submit,
                proctor: Some((r.proctor.clone(), r.password.clone())),
                rooms_per_proctor: examgate_shared::proctoring::MAX_WATCHED_ROOMS,
                seed: 1,
            };
            let exe = std::env::current_exe().expect("own path");
            let mut running = coordinator::start(&exe, &spec, rooms, workers, 0);
            let ready = running.wait_ready(Duration::from_secs(600)).await;
            let stats = running.finish().await;
            let out = serde_json::json!({
                "students": rooms.len() * per_room,
                "joined": stats.joined,
                "all_in_s": stats.all_in_s,
                "workers_ready_wall_s": ready,
                "join": stats.join.summary(),
                "connect": stats.connect.summary(),
                "ack": stats.ack.summary(),
                "answer_to_proctor": stats.fanout.summary(),
                "answers_sent": stats.answers_sent,
                "answers_acked": stats.answers_acked,
                "reconnects": stats.reconnects,
                "proctor_snapshots_after_lag": stats.proctor_snapshots_after_lag,
                "submitted": stats.submitted,
                "errors": stats.errors,
                "generator_cpu_s": stats.cpu_s,
            });
            println!("{}", serde_json::to_string_pretty(&out).expect("json"));
        }
        Cmd::Bench {
            students,
            mid,
            interval,
            seconds,
            workers,
            relay_bin,
            out,
            no_baseline,
            postgres,
            cluster,
            join_rate,
        } => {
            let mut steps: Vec<usize> = [1000, 5000, 10_000, 15_000]
                .into_iter()
                .filter(|s| *s < students)
                .collect();
            steps.push(students);
            let opts = bench::BenchOpts {
                relay_bin: relay_bin.unwrap_or_else(server::relay_beside_me),
                baseline_dir: workspace_dir().join("loadgen/baseline"),
                work: workspace_dir().join("target/bench/load-work"),
                out,
                students,
                mid,
                interval_s: interval,
                seconds,
                workers,
                memory_steps: steps,
                baseline: !no_baseline && !postgres && cluster == 0,
                per_room: 40,
                postgres,
                cluster,
                join_rate,
            };
            let report = if cluster > 0 {
                bench_cluster::run_cluster(opts.clone()).await
            } else if postgres {
                bench::run_postgres(opts.clone()).await
            } else {
                bench::run(opts.clone()).await
            };
            eprintln!(
                "{}",
                serde_json::to_string_pretty(&report["goals"]).expect("json")
            );
            eprintln!("wrote {}", opts.out.display());
        }
        Cmd::Chaos {
            students,
            kills,
            seconds,
            interval_ms,
            relay_bin,
            out,
        } => {
            let report = chaos::run(chaos::ChaosOpts {
                relay_bin: relay_bin.unwrap_or_else(server::relay_beside_me),
                work: workspace_dir().join("target/bench/chaos-work"),
                students,
                per_room: 40,
                kills,
                interval: Duration::from_millis(interval_ms),
                answering: Duration::from_secs(seconds),
                seed: 9303,
            })
            .await;
            let text = serde_json::to_string_pretty(&report).expect("json");
            if let Some(dir) = out.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let _ = std::fs::write(&out, &text);
            eprintln!(
                "chaos: {} kills, {} violations; wrote {}",
                report.kills,
                report.violations.len(),
                out.display()
            );
            if !report.violations.is_empty() {
                for v in report.violations.iter().take(20) {
                    eprintln!("  {v}");
                }
                return std::process::ExitCode::FAILURE;
            }
        }
    }
    std::process::ExitCode::SUCCESS
}
