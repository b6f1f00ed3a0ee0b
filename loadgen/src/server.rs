//! Starting and stopping the servers under test: the relay (seeded with
//! `examgate-relay rehearsal`) and the Socket.IO baseline on Node.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::http1;
use crate::worker::Room;

/// A server process under test.
pub struct Server {
    pub child: Child,
    pub pid: u32,
    pub addr: SocketAddr,
}

/// What `examgate-relay rehearsal` wrote (`rehearsal.json`).
#[derive(Debug, Clone, Deserialize)]
pub struct Rehearsal {
    pub codes: Vec<String>,
    pub proctor: String,
    pub password: String,
    pub duration_ms: i64,
}

impl Rehearsal {
    pub fn read(data: &Path) -> std::io::Result<Rehearsal> {
        let text = std::fs::read_to_string(data.join("rehearsal.json"))?;
        serde_json::from_str(&text).map_err(std::io::Error::other)
    }

    /// The rooms, with the names the relay gives them.
    pub fn rooms(&self) -> Vec<Room> {
        self.codes
            .iter()
            .enumerate()
            .map(|(i, code)| Room {
                code: code.clone(),
                name: format!("Phòng diễn tập {:04}", i + 1),
            })
            .collect()
    }
}

/// A free loopback port (bound and released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Seeds `data` for a rehearsal of `rooms` rooms (in `database`, a
/// PostgreSQL URL, when given; else the folder's SQLite file).
pub fn seed_rehearsal(
    relay_bin: &Path,
    data: &Path,
    database: Option<&str>,
    rooms: usize,
    seconds: u32,
    password: &str,
) -> std::io::Result<Rehearsal> {
    let _ = std::fs::remove_dir_all(data);
    let out = std::process::Command::new(relay_bin)
        .args(
            database
                .map(|url| ["--database", url])
                .into_iter()
                .flatten(),
        )
        .args(["rehearsal", "--data"])
        .arg(data)
        .args(["--rooms", &rooms.to_string()])
        .args(["--seconds", &seconds.to_string()])
        .args(["--password", password])
        .output()?;
    if !out.status.success() {
        return Err(std::io::Error::other(format!(
            "rehearsal failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    Rehearsal::read(data)
}

/// Starts the relay on `data` at `port`; returns once it answers.
pub async fn start_relay(
    relay_bin: &Path,
    data: &Path,
    port: u16,
    extra: &[&str],
) -> std::io::Result<Server> {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(data.join("relay.log"))?;
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let child = Command::new(relay_bin)
        .arg("--data")
        .arg(data)
        .arg("--listen")
        .arg(addr.to_string())
        .arg("--www")
        .arg(data.join("www"))
        .arg("--no-demo")
        .args(extra)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::from(log))
        .kill_on_drop(true)
        .spawn()?;
    let pid = child.id().unwrap_or(0);
    let mut server = Server { child, pid, addr };
    wait_healthy(&mut server, "/api/health").await?;
    Ok(server)
}

/// Starts `baseline/server.js` at `port`.
pub async fn start_baseline(baseline_dir: &Path, port: u16) -> std::io::Result<Server> {
    let mut child = Command::new("node")
        .arg(baseline_dir.join("server.js"))
        .arg(port.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()?;
    let pid = child.id().unwrap_or(0);
    let stdout = child.stdout.take().expect("piped");
    let mut lines = BufReader::new(stdout).lines();
    let ready = tokio::time::timeout(Duration::from_secs(20), async {
        while let Ok(Some(line)) = lines.next_line().await {
            if line.starts_with("listening") {
                return true;
            }
        }
        false
    })
    .await;
    if ready != Ok(true) {
        return Err(std::io::Error::other(
            "the Socket.IO baseline did not start",
        ));
    }
    // Keep reading so the pipe never fills.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Ok(Server {
        child,
        pid,
        addr: ([127, 0, 0, 1], port).into(),
    })
}

async fn wait_healthy(server: &mut Server, path: &str) -> std::io::Result<()> {
    let until = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(r) = http1::get(server.addr, None, path).await
            && r.status == 200
        {
            return Ok(());
        }
        if let Ok(Some(status)) = server.child.try_wait() {
            return Err(std::io::Error::other(format!(
                "the server exited: {status}"
            )));
        }
        if Instant::now() > until {
            return Err(std::io::Error::other("the server did not answer in 60 s"));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

impl Server {
    /// SIGKILL, and wait for the process to be gone.
    pub async fn kill(&mut self) {
        let _ = self.child.kill().await;
    }
}

/// The relay binary beside this one (`target/<profile>/examgate-relay`).
pub fn relay_beside_me() -> PathBuf {
    let me = std::env::current_exe().expect("own path");
    me.with_file_name("examgate-relay")
}
