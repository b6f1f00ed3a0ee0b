//! `cargo xtask`: everything beyond plain cargo, in Rust, needing nothing but
//! cargo (and, for browser tests, Debian's chromium packages, installed on
//! demand).
//!
//! - `cargo xtask run [-- relay flags]`: build the client, then run the relay
//!   with the demo (the README's quick start).
//! - `cargo xtask build`: build the client into `www/pkg/` and report its size.
//! - `cargo xtask test`: install what tests need, build the client, run every
//!   test (the README's test command; `.ci/run` calls it).
//! - `cargo xtask size`: write the client size figures to
//!   `target/bench/client-size.json`.
//! - `cargo xtask bench`: every benchmark, each writing JSON under
//!   `target/bench/` (installs numpy from PyPI for the analysis baseline).

mod client;
mod setup;
mod size;
mod wasm_opt;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (cmd, rest) = match args.split_first() {
        Some((c, r)) => (c.as_str(), r),
        None => ("help", &[][..]),
    };
    let result = match cmd {
        "run" => run(rest),
        "build" => client::build().map(|_| ()),
        "test" => test(rest),
        "size" => client::build().and_then(|built| size::report(&built)),
        "bench" => bench(),
        _ => {
            eprintln!("usage: cargo xtask <run|build|test|size|bench>");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask {cmd}: {e}");
            ExitCode::FAILURE
        }
    }
}

pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Build the client, then run the relay in release mode, in the foreground.
fn run(relay_args: &[String]) -> Result<()> {
    setup::ensure_wasm_target()?;
    let built = client::build()?;
    size::report(&built)?;
    let mut args: Vec<&str> = vec!["run", "--release", "--package", "examgate-relay", "--"];
    // `cargo xtask run -- --listen …`: the `--` is ours to drop.
    let relay_args = relay_args
        .strip_prefix(&["--".to_owned()])
        .unwrap_or(relay_args);
    args.extend(relay_args.iter().map(String::as_str));
    setup::cargo(&args)
}

/// Install test prerequisites, build the client, run all tests.
fn test(extra: &[String]) -> Result<()> {
    setup::ensure_wasm_target()?;
    setup::ensure_chromium()?;
    let built = client::build()?;
    size::report(&built)?;
    let mut args: Vec<&str> = vec!["test", "--workspace"];
    args.extend(extra.iter().map(String::as_str));
    setup::cargo(&args)
}

/// Every benchmark; figures go to `target/bench/*.json`.
fn bench() -> Result<()> {
    setup::ensure_numpy()?;
    setup::ensure_wasm_target()?;
    let built = client::build()?;
    size::report(&built)?;
    setup::cargo(&[
        "bench",
        "--package",
        "examgate-shared",
        "--bench",
        "analysis",
    ])
}
