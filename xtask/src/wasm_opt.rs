//! Shrinking the client's wasm with Binaryen's `wasm-opt -Oz`.
//!
//! Students on weak school networks download the client before every exam:
//! `-Oz` roughly halves it. Binaryen comes from the npm registry (package
//! `binaryen`, pinned), installed under `target/tools/` on first use.
//! Debian's binaryen is too old to read current rustc output, and
//! `--all-features` yields a module Chromium rejects, so plain `-Oz` it is.
//! Without npm the step is skipped with a warning: the client works either
//! way, only larger. Results are cached by the input's hash, so an unchanged
//! client is not optimised twice.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Result;
use crate::setup::{root, run};

const BINARYEN: &str = "binaryen@132.0.0";

fn tools_dir() -> PathBuf {
    root().join("target/tools/binaryen-132")
}

fn wasm_opt_bin() -> Result<Option<PathBuf>> {
    let bin = tools_dir().join("node_modules/.bin/wasm-opt");
    if bin.exists() {
        return Ok(Some(bin));
    }
    if Command::new("npm").arg("--version").output().is_err() {
        eprintln!("xtask: npm not found; skipping wasm-opt (the client will be larger)");
        return Ok(None);
    }
    eprintln!("xtask: installing {BINARYEN} from the npm registry into target/tools/");
    std::fs::create_dir_all(tools_dir())?;
    run(Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(tools_dir())
        .arg(BINARYEN))?;
    Ok(Some(bin))
}

/// Optimises `wasm` in place. Returns whether it was optimised.
pub fn optimise(wasm: &Path) -> Result<bool> {
    if std::env::var_os("EXAMGATE_NO_WASM_OPT").is_some() {
        return Ok(false);
    }
    let input = std::fs::read(wasm)?;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    input.hash(&mut hasher);
    let cached = tools_dir().join(format!("cache/{:016x}.wasm", hasher.finish()));
    if !cached.exists() {
        let Some(bin) = wasm_opt_bin()? else {
            return Ok(false);
        };
        std::fs::create_dir_all(cached.parent().expect("cache has a parent"))?;
        eprintln!("xtask: wasm-opt -Oz (about half a minute)");
        run(Command::new(bin)
            .arg("-Oz")
            .arg(wasm)
            .arg("-o")
            .arg(&cached))?;
    }
    std::fs::copy(&cached, wasm)?;
    Ok(true)
}
