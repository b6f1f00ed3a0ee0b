//! The client's download size, raw and gzipped, written as JSON under
//! `target/bench/` (students on weak networks pay for every kilobyte).

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;

use crate::Result;
use crate::client::Built;
use crate::setup::root;

fn gzipped_len(bytes: &[u8]) -> Result<usize> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    enc.write_all(bytes)?;
    Ok(enc.finish()?.len())
}

pub fn report(built: &Built) -> Result<()> {
    let wasm = std::fs::read(&built.wasm)?;
    let js = std::fs::read(&built.js)?;
    let figures = serde_json::json!({
        "wasm_bytes": wasm.len(),
        "wasm_gzip_bytes": gzipped_len(&wasm)?,
        "js_bytes": js.len(),
        "js_gzip_bytes": gzipped_len(&js)?,
        "total_bytes": wasm.len() + js.len(),
        "total_gzip_bytes": gzipped_len(&wasm)? + gzipped_len(&js)?,
        "gzip_level": 9,
        "wasm_opt": built.optimised,
    });
    let dir = root().join("target/bench");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("client-size.json");
    std::fs::write(&path, serde_json::to_string_pretty(&figures)? + "\n")?;
    eprintln!("xtask: client size {figures} → {}", path.display());
    Ok(())
}
