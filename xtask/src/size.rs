//! The client's download size, raw and gzipped, per module, written as JSON
//! under `target/bench/` (students on weak networks pay for every kilobyte).

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
    let mut figures = serde_json::Map::new();
    for m in &built.modules {
        let wasm = std::fs::read(&m.wasm)?;
        let js = std::fs::read(&m.js)?;
        let (wasm_gz, js_gz) = (gzipped_len(&wasm)?, gzipped_len(&js)?);
        figures.insert(
            m.name.to_owned(),
            serde_json::json!({
                "wasm_bytes": wasm.len(),
                "wasm_gzip_bytes": wasm_gz,
                "js_bytes": js.len(),
                "js_gzip_bytes": js_gz,
                "total_bytes": wasm.len() + js.len(),
                "total_gzip_bytes": wasm_gz + js_gz,
                "wasm_opt": m.optimised,
            }),
        );
    }
    figures.insert("gzip_level".into(), 9.into());
    let figures = serde_json::Value::Object(figures);
    let dir = root().join("target/bench");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("client-size.json");
    std::fs::write(&path, serde_json::to_string_pretty(&figures)? + "\n")?;
    eprintln!("xtask: client size {figures} → {}", path.display());
    Ok(())
}
