//! Installing what builds and tests need, from the places this project may
//! use: rustup's own components and Debian's packages. Nothing from GitHub.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Result;

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits inside the workspace")
        .to_path_buf()
}

pub fn cargo_bin() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Runs cargo with `args` in the workspace root; fails if it fails.
pub fn cargo(args: &[&str]) -> Result<()> {
    run(Command::new(cargo_bin()).args(args).current_dir(root()))
}

pub fn run(cmd: &mut Command) -> Result<()> {
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed with {status}").into())
    }
}

/// `rustup target add wasm32-unknown-unknown` unless it is there.
pub fn ensure_wasm_target() -> Result<()> {
    ensure_target("wasm32-unknown-unknown")
}

/// The bridge firmware's target (the RP2040's Cortex-M0+).
pub const FIRMWARE_TARGET: &str = "thumbv6m-none-eabi";

/// `rustup target add thumbv6m-none-eabi` unless it is there.
pub fn ensure_firmware_target() -> Result<()> {
    ensure_target(FIRMWARE_TARGET)
}

/// `rustup target add <target>` unless its standard library is installed
/// (rustup's own download, from the Rust project's distribution server).
fn ensure_target(target: &str) -> Result<()> {
    let out = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()?;
    let sysroot = String::from_utf8(out.stdout)?;
    let target_dir = Path::new(sysroot.trim()).join("lib/rustlib").join(target);
    if target_dir.exists() {
        return Ok(());
    }
    eprintln!("xtask: installing the {target} target");
    run(Command::new("rustup").args(["target", "add", target]))
}

/// The Chromium binary browser tests drive: Debian's package.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Installs Debian's chromium and chromium-driver when missing (the machine
/// runs as root; elsewhere this asks for them to be installed).
pub fn ensure_chromium() -> Result<()> {
    if Path::new(CHROMIUM).exists() && Path::new("/usr/bin/chromedriver").exists() {
        return Ok(());
    }
    apt_install(&["chromium", "chromium-driver"])
}

/// Installs Debian's postgresql and nats-server when missing: the storage
/// tests start real servers of their own (`tests/support/servers.rs`) on
/// loopback ports, in temporary folders, and stop them at the end.
pub fn ensure_servers() -> Result<()> {
    let mut missing = Vec::new();
    if examgate_servers::postgres_bin_dir().is_none() {
        missing.push("postgresql");
    }
    if !Path::new("/usr/sbin/nats-server").exists() && !on_path("nats-server") {
        missing.push("nats-server");
    }
    if missing.is_empty() {
        return Ok(());
    }
    apt_install(&missing)
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).exists()))
}

/// `apt-get update` and `apt-get install` of Debian's `packages` (CI runs as
/// root; elsewhere the error says what to install).
fn apt_install(packages: &[&str]) -> Result<()> {
    let list = packages.join(" ");
    eprintln!("xtask: installing Debian's {list}");
    let apt = |args: &[&str]| {
        run(Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive"))
    };
    apt(&["update", "-q"])?;
    apt(&[&["install", "-y", "-q"][..], packages].concat())
        .map_err(|e| format!("{e}; install Debian's {list} as root").into())
}

/// Debian's Firefox ESR, the second browser of the end-to-end tests.
pub const FIREFOX: &str = "/usr/bin/firefox-esr";

/// geckodriver (Firefox's WebDriver server), from crates.io at this exact
/// version, built into `target/tools/geckodriver/` (a clean clone builds it
/// once, about three minutes on two cores; nothing comes from GitHub).
const GECKODRIVER: &str = "0.37.1";

/// Where [`ensure_firefox`] puts geckodriver; the browser tests look there.
pub fn geckodriver() -> PathBuf {
    root().join("target/tools/geckodriver/bin/geckodriver")
}

/// Installs Debian's firefox-esr when missing and builds geckodriver from
/// crates.io unless it is there.
pub fn ensure_firefox() -> Result<()> {
    if !Path::new(FIREFOX).exists() {
        apt_install(&["firefox-esr"])?;
    }
    if geckodriver().exists() {
        return Ok(());
    }
    eprintln!("xtask: building geckodriver {GECKODRIVER} from crates.io");
    let tools = root().join("target/tools/geckodriver");
    run(Command::new(cargo_bin())
        .args([
            "install",
            "--locked",
            "--quiet",
            "geckodriver",
            "--version",
            GECKODRIVER,
            "--root",
        ])
        .arg(&tools)
        // Its own target dir, deleted after: the build is not kept.
        .env(
            "CARGO_TARGET_DIR",
            root().join("target/tools/geckodriver-build"),
        ))?;
    let _ = std::fs::remove_dir_all(root().join("target/tools/geckodriver-build"));
    Ok(())
}

/// numpy from PyPI, for the analysis benchmark's baseline.
pub fn ensure_numpy() -> Result<()> {
    let has = Command::new("python3")
        .args(["-c", "import numpy"])
        .output()
        .is_ok_and(|o| o.status.success());
    if has {
        return Ok(());
    }
    eprintln!("xtask: installing numpy from PyPI");
    run(Command::new("python3").args(["-m", "pip", "install", "--quiet", "numpy"]))
}

/// Node.js from Debian (when missing) and the Socket.IO baseline's
/// packages from the npm registry (`npm ci` against its lock file), for the
/// load benchmark's comparison.
pub fn ensure_socketio_baseline() -> Result<()> {
    npm_ci("loadgen/baseline", "socket.io", "the Socket.IO baseline")
}

/// axe-core (npm), injected by the browser tests' accessibility audit.
pub fn ensure_axe() -> Result<()> {
    npm_ci(
        "tests/a11y",
        "axe-core",
        "axe-core for the accessibility audit",
    )
}

/// Debian's Node.js and npm, installed when missing.
fn ensure_node() -> Result<()> {
    let has_node = Command::new("npm")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_node {
        apt_install(&["nodejs", "npm"])?;
    }
    Ok(())
}

/// `npm ci` in `dir` (from its committed lock file) unless `package` is
/// installed there already.
fn npm_ci(dir: &str, package: &str, what: &str) -> Result<()> {
    let dir = root().join(dir);
    if dir.join("node_modules").join(package).exists() {
        return Ok(());
    }
    ensure_node()?;
    eprintln!("xtask: installing {what} (npm ci)");
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir))
}
