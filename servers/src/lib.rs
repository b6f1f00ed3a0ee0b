//! Real PostgreSQL and nats-server processes for the tests and the load
//! benchmark: Debian's packages (`cargo xtask test` installs them when
//! missing), each started once per process on a free loopback port in a
//! temporary folder.
//!
//! Nothing is mocked. PostgreSQL refuses to run as root, and CI runs as
//! root: there the cluster belongs to the `postgres` account the package
//! creates, and its programs run through `runuser`. A watchdog shell beside
//! each server stops it when the test process ends (a `static` is never
//! dropped), so no server outlives the tests that started it.

use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// One PostgreSQL cluster for this test process; each test takes its own
/// database from it ([`Postgres::fresh_database`]).
pub struct Postgres {
    pub port: u16,
    /// The folder holding the cluster, its socket and its log.
    pub dir: PathBuf,
    /// The server's programs (`/usr/lib/postgresql/<major>/bin`).
    pub bin: PathBuf,
    next_database: AtomicU32,
}

/// One nats-server for this test process.
pub struct Nats {
    pub port: u16,
}

/// The shared PostgreSQL cluster, started on first use.
pub fn postgres() -> &'static Postgres {
    static PG: OnceLock<Postgres> = OnceLock::new();
    PG.get_or_init(|| Postgres::start().unwrap_or_else(|e| panic!("PostgreSQL: {e}")))
}

/// The shared nats-server, started on first use.
pub fn nats() -> &'static Nats {
    static NATS: OnceLock<Nats> = OnceLock::new();
    NATS.get_or_init(|| Nats::start().unwrap_or_else(|e| panic!("nats-server: {e}")))
}

/// The account PostgreSQL runs as when the tests run as root.
const PG_ACCOUNT: &str = "postgres";
/// The cluster's superuser; local connections are trusted (loopback only).
pub const PG_USER: &str = "examgate";

impl Postgres {
    fn start() -> Result<Postgres, String> {
        let bin = postgres_bin_dir().ok_or(
            "no /usr/lib/postgresql/*/bin/initdb: install Debian's postgresql \
             (`cargo xtask test` does)",
        )?;
        let dir = scratch_dir("pg")?;
        let as_root = is_root();
        if as_root {
            chown(&dir, PG_ACCOUNT)?;
        }
        let data = dir.join("data");
        run_pg(
            as_root,
            Command::new(bin.join("initdb"))
                .arg("-D")
                .arg(&data)
                .args(["-U", PG_USER, "--auth=trust", "-E", "UTF8", "--locale=C"])
                // The cluster is thrown away: initdb's own fsyncs only cost
                // time. The server itself keeps fsync on, as in production.
                .arg("--no-sync"),
        )?;
        let port = free_port()?;
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections=400 \
             -c shared_buffers=128MB",
            dir.display()
        );
        run_pg(
            as_root,
            Command::new(bin.join("pg_ctl"))
                .arg("-D")
                .arg(&data)
                .arg("-l")
                .arg(dir.join("log"))
                .args(["-o", &options, "-w", "-t", "60", "start"]),
        )?;
        // `pg_ctl stop` as the cluster's owner once this process is gone.
        let stop = format!(
            "{} -D {} -m immediate stop",
            bin.join("pg_ctl").display(),
            data.display()
        );
        let stop = if as_root {
            format!("runuser -u {PG_ACCOUNT} -- {stop}")
        } else {
            stop
        };
        watchdog(&stop, &dir)?;
        wait_for_port(port)?;
        Ok(Postgres {
            port,
            dir,
            bin,
            next_database: AtomicU32::new(0),
        })
    }

    /// The URL of the cluster's `postgres` database (for administration).
    pub fn admin_url(&self) -> String {
        self.url_of("postgres")
    }

    pub fn url_of(&self, database: &str) -> String {
        format!("postgres://{PG_USER}@127.0.0.1:{}/{database}", self.port)
    }

    /// A new, empty database of its own for one test: its URL.
    pub fn fresh_database(&self) -> String {
        let n = self.next_database.fetch_add(1, Ordering::Relaxed);
        let name = format!("t{}_{n}", std::process::id());
        self.client("createdb", &[&name]);
        self.url_of(&name)
    }

    /// Runs one SQL statement as the cluster's superuser (settings,
    /// statistics), returning what psql printed.
    pub fn psql(&self, database: &str, sql: &str) -> String {
        self.client("psql", &["-d", database, "-At", "-c", sql])
    }

    /// Runs one of PostgreSQL's client programs against this cluster as
    /// its superuser; what it printed.
    fn client(&self, program: &str, args: &[&str]) -> String {
        let port = self.port.to_string();
        let out = Command::new(self.bin.join(program))
            .args(["-h", "127.0.0.1", "-p", &port, "-U", PG_USER])
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("run {program}: {e}"));
        assert!(
            out.status.success(),
            "{program} {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }
}

impl Nats {
    fn start() -> Result<Nats, String> {
        let bin = ["/usr/sbin/nats-server", "/usr/bin/nats-server"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .ok_or("no nats-server: install Debian's nats-server (`cargo xtask test` does)")?;
        let dir = scratch_dir("nats")?;
        let port = free_port()?;
        let log = std::fs::File::create(dir.join("log")).map_err(|e| e.to_string())?;
        let child = Command::new(bin)
            .args(["-a", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .spawn()
            .map_err(|e| format!("start {bin}: {e}"))?;
        watchdog(&format!("kill {}", child.id()), &dir)?;
        wait_for_port(port)?;
        Ok(Nats { port })
    }

    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }
}

/// The newest `/usr/lib/postgresql/<major>/bin` with `initdb` in it
/// (Debian keeps the server's programs off `PATH`).
pub fn postgres_bin_dir() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|e| {
            let major = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((major, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// A folder that outlives the `TempDir` guard: the server in it outlives
/// every test of the process, and the watchdog stops it at the end.
fn scratch_dir(what: &str) -> Result<PathBuf, String> {
    let dir = tempfile::Builder::new()
        .prefix(&format!("examgate-{what}-"))
        .tempdir()
        .map_err(|e| e.to_string())?;
    Ok(dir.keep())
}

fn chown(dir: &Path, account: &str) -> Result<(), String> {
    let status = Command::new("chown")
        .arg(format!("{account}:"))
        .arg(dir)
        .status()
        .map_err(|e| format!("chown: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "chown {account}: {} failed: does the `{account}` account exist?",
            dir.display()
        ))
    }
}

/// Runs a PostgreSQL program, as its own account when we are root.
fn run_pg(as_root: bool, cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    let output = if as_root {
        let mut runuser = Command::new("runuser");
        runuser
            .args(["-u", PG_ACCOUNT, "--"])
            .arg(cmd.get_program())
            .args(cmd.get_args());
        runuser.output()
    } else {
        cmd.output()
    }
    .map_err(|e| format!("{shown}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{shown} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// A shell that runs `stop` once this test process has ended, then
/// removes the server's folder.
fn watchdog(stop: &str, dir: &Path) -> Result<(), String> {
    let script = format!(
        "while kill -0 {} 2>/dev/null; do sleep 0.5; done; {stop} >/dev/null 2>&1; \
         sleep 0.5; rm -rf '{}'",
        std::process::id(),
        dir.display()
    );
    Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(drop)
        .map_err(|e| format!("watchdog: {e}"))
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

fn wait_for_port(port: u16) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(format!("nothing listens on 127.0.0.1:{port} after 30 s"))
}
