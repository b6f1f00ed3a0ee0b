//! Shrinking the client's wasm with Binaryen's `wasm-opt -Oz`.
//!
//! Students on weak school networks download the client before every exam:
//! `-Oz` roughly halves it. Binaryen comes from the npm registry (package
//! `binaryen`, pinned; see `npm.rs`).
//! Debian's binaryen is too old to read current rustc output, and
//! `--all-features` yields a module Chromium rejects, so plain `-Oz` it is
//! (with `--converge`).
//! Without npm the step is skipped with a warning: the client works either
//! way, only larger. Results are cached by the input's hash, so an unchanged
//! client is not optimised twice.
//!
//! `EXAMGATE_WASM_NAMES=1` keeps the function names (`wasm-opt -g`) for
//! size analysis: the code is the same, the module carries a name section
//! (do not publish such a build).

use std::hash::{Hash, Hasher};
use std::path::Path;
use std::process::Command;

use crate::Result;
use crate::npm::Tool;
use crate::setup::run;

const BINARYEN: Tool = Tool {
    package: "binaryen@132.0.0",
    dir: "binaryen-132",
    bin: "wasm-opt",
};

/// Size first, and again until nothing shrinks (`--converge`: another
/// kilobyte gzipped off the student module).
const PASSES: [&str; 2] = ["-Oz", "--converge"];

/// Optimises `wasm` in place. Returns whether it was optimised.
pub fn optimise(wasm: &Path) -> Result<bool> {
    if std::env::var_os("EXAMGATE_NO_WASM_OPT").is_some() {
        return Ok(false);
    }
    let input = std::fs::read(wasm)?;
    let keep_names = std::env::var_os("EXAMGATE_WASM_NAMES").is_some();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    input.hash(&mut hasher);
    keep_names.hash(&mut hasher);
    PASSES.hash(&mut hasher);
    let cached = BINARYEN
        .dir()
        .join(format!("cache/{:016x}.wasm", hasher.finish()));
    if !cached.exists() {
        let Some(bin) = BINARYEN.bin()? else {
            return Ok(false);
        };
        std::fs::create_dir_all(cached.parent().expect("cache has a parent"))?;
        eprintln!("xtask: wasm-opt -Oz --converge (about a minute)");
        run(Command::new(bin)
            .args(PASSES)
            .args(keep_names.then_some("-g"))
            .arg(wasm)
            .arg("-o")
            .arg(&cached))?;
    }
    std::fs::copy(&cached, wasm)?;
    Ok(true)
}
