//! Runs the load as several worker processes and samples the server.
//!
//! One process holds at most 20,000 open files here and one source address
//! has ~28,000 ephemeral ports, so the load is split over worker processes
//! (`examgate-loadgen worker`), each with its own source address
//! 127.0.0.2, 127.0.0.3, …, and a share of the rooms. The coordinator reads
//! each worker's `ready` and `stats` lines and samples the server process's
//! RSS and CPU from /proc meanwhile.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

use crate::procstat;
use crate::stats::Stats;
use crate::worker::{Room, WorkerSpec};

/// The server's RSS and CPU at a moment.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Sample {
    pub t_s: f64,
    pub rss_kib: u64,
    pub cpu_s: f64,
}

/// Worker processes under way.
pub struct Running {
    children: Vec<Child>,
    lines: mpsc::UnboundedReceiver<(usize, String)>,
    ready: usize,
    stats: Vec<Option<Stats>>,
    pub started: Instant,
}

/// The source address of worker `i` (never 127.0.0.1, which the server's
/// own outgoing connections may use).
pub fn source_for(i: usize) -> IpAddr {
    IpAddr::from([127, 0, (2 + i / 250) as u8, (2 + i % 250) as u8])
}

/// Splits `rooms` over `workers` copies of `template` and starts them.
pub fn start(
    exe: &PathBuf,
    template: &WorkerSpec,
    rooms: &[Room],
    workers: usize,
    first_worker: usize,
) -> Running {
    let workers = workers.clamp(1, rooms.len().max(1));
    let per = rooms.len().div_ceil(workers);
    let (tx, lines) = mpsc::unbounded_channel();
    let mut children = Vec::new();
    for (i, chunk) in rooms.chunks(per.max(1)).enumerate() {
        let mut spec = template.clone();
        spec.rooms = chunk.to_vec();
        spec.source = Some(source_for(first_worker + i));
        spec.name_prefix = format!("{}w{}", template.name_prefix, first_worker + i);
        spec.seed = template.seed.wrapping_add((first_worker + i) as u64 * 7919);
        let mut child = Command::new(exe)
            .arg("worker")
            .arg("--spec")
            .arg(serde_json::to_string(&spec).expect("plain data"))
            .stdout(Stdio::piped())
            .stdin(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start a worker process");
        let stdout = child.stdout.take().expect("piped");
        let tx = tx.clone();
        tokio::spawn(async move {
            let mut lines = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let _ = tx.send((i, line));
            }
        });
        children.push(child);
    }
    let n = children.len();
    Running {
        children,
        lines,
        ready: 0,
        stats: vec![None; n],
        started: Instant::now(),
    }
}

impl Running {
    fn take(&mut self, (i, line): (usize, String)) {
        if line.starts_with("ready ") {
            self.ready += 1;
        } else if let Some(json) = line.strip_prefix("stats ")
            && let Ok(s) = serde_json::from_str::<Stats>(json)
        {
            self.stats[i] = Some(s);
        }
    }

    /// Waits until every worker said `ready`; the seconds it took.
    pub async fn wait_ready(&mut self, limit: Duration) -> Option<f64> {
        let deadline = Instant::now() + limit;
        while self.ready < self.children.len() {
            match tokio::time::timeout_at(deadline.into(), self.lines.recv()).await {
                Ok(Some(line)) => self.take(line),
                _ => return None,
            }
        }
        Some(self.started.elapsed().as_secs_f64())
    }

    /// Waits for the workers to end and merges what they measured.
    pub async fn finish(mut self) -> Stats {
        for c in &mut self.children {
            let _ = c.wait().await;
        }
        while let Ok(line) = self.lines.try_recv() {
            self.take(line);
        }
        // The reader tasks may lag the exit by a moment.
        let until = Instant::now() + Duration::from_secs(5);
        while self.stats.iter().any(Option::is_none) && Instant::now() < until {
            match tokio::time::timeout(Duration::from_millis(200), self.lines.recv()).await {
                Ok(Some(line)) => self.take(line),
                Ok(None) => break,
                Err(_) => {}
            }
        }
        let mut all = Stats::default();
        for (i, s) in self.stats.iter().enumerate() {
            match s {
                Some(s) => all.merge(s),
                None => all.error(format!("worker{i}:no_stats")),
            }
        }
        all
    }

    /// Ends the workers now (held connections close with them).
    pub async fn kill(mut self) {
        for c in &mut self.children {
            let _ = c.kill().await;
        }
    }
}

/// Samples `pid`'s RSS and CPU every `every` until the returned handle is
/// stopped.
pub struct Sampler {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<Vec<Sample>>,
}

impl Sampler {
    pub fn start(pid: u32, every: Duration) -> Sampler {
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        let task = tokio::spawn(async move {
            let t0 = Instant::now();
            let mut out = Vec::new();
            loop {
                if let (Some(rss_kib), Some(cpu_s)) = (procstat::rss_kib(pid), procstat::cpu_s(pid))
                {
                    out.push(Sample {
                        t_s: t0.elapsed().as_secs_f64(),
                        rss_kib,
                        cpu_s,
                    });
                }
                tokio::select! {
                    _ = tokio::time::sleep(every) => {}
                    _ = stopped.changed() => break,
                }
            }
            out
        });
        Sampler { stop, task }
    }

    pub async fn stop(self) -> Vec<Sample> {
        let _ = self.stop.send(true);
        self.task.await.unwrap_or_default()
    }
}
