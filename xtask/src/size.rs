//! The client's download size per module (wasm + JS glue + its page +
//! `style.css` + `boot.js`, and `staff.css` for the staff module), raw,
//! gzip and brotli, as the relay sends them (the
//! precompressed files beside each one), written as JSON under
//! `target/bench/client-size.json`: students on weak networks pay for every
//! kilobyte.

use std::path::{Path, PathBuf};

use crate::Result;
use crate::client::{Built, Module};
use crate::setup::root;

/// Raw, gzip and brotli lengths of one file as served: a missing variant
/// means the relay sends the raw bytes for that encoding.
fn served(file: &Path) -> Result<[u64; 3]> {
    let raw = std::fs::metadata(file)?.len();
    let variant = |suffix| {
        std::fs::metadata(crate::precompress::with_suffix(file, suffix)).map_or(raw, |m| m.len())
    };
    Ok([raw, variant("gz"), variant("br")])
}

/// What a browser downloads to run `module`: its wasm and glue, its copy
/// of the page, the stylesheet and boot script every module shares, and
/// the staff pages' own stylesheet for the staff module.
fn downloaded(module: &Module) -> Vec<PathBuf> {
    let www = root().join("www");
    let page = match module.name {
        "examgate_checkin" => "checkin.html",
        "examgate_staff" => "staff.html",
        _ => "index.html",
    };
    let mut files = vec![
        module.wasm.clone(),
        module.js.clone(),
        www.join(page),
        www.join("style.css"),
        www.join("pkg/boot.js"),
    ];
    if module.name == "examgate_staff" {
        files.push(www.join("staff.css"));
    }
    files
}

/// What a student in a name-join room may download, gzipped: wasm, glue,
/// stylesheet, page and boot script (issue #11). Staff modules have no
/// budget.
pub const STUDENT_GZIP_BUDGET: u64 = 250_000;

/// `cargo xtask size`: fails when the student module is over its budget,
/// saying by how much.
pub fn check_budget(built: &Built) -> Result<()> {
    let student = built
        .modules
        .iter()
        .find(|m| m.name == "examgate_client")
        .ok_or("no student module was built")?;
    let mut gzip = 0;
    for file in downloaded(student) {
        gzip += served(&file)?[1];
    }
    if gzip > STUDENT_GZIP_BUDGET {
        return Err(format!(
            "the student module is {gzip} bytes gzipped, {} over its budget of {STUDENT_GZIP_BUDGET}",
            gzip - STUDENT_GZIP_BUDGET
        )
        .into());
    }
    eprintln!("xtask: the student module is {gzip} bytes gzipped, within {STUDENT_GZIP_BUDGET}");
    Ok(())
}

pub fn report(built: &Built) -> Result<()> {
    let mut figures = serde_json::Map::new();
    for m in &built.modules {
        let mut parts = serde_json::Map::new();
        let mut total = [0u64; 3];
        for file in downloaded(m) {
            let sizes = served(&file)?;
            for (t, s) in total.iter_mut().zip(sizes) {
                *t += s;
            }
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("?");
            parts.insert(
                name.to_owned(),
                serde_json::json!({ "bytes": sizes[0], "gzip_bytes": sizes[1], "brotli_bytes": sizes[2] }),
            );
        }
        figures.insert(
            m.name.to_owned(),
            serde_json::json!({
                "files": parts,
                "total_bytes": total[0],
                "total_gzip_bytes": total[1],
                "total_brotli_bytes": total[2],
                "wasm_opt": m.optimised,
            }),
        );
    }
    figures.insert("gzip".into(), "zopfli".into());
    figures.insert("brotli_quality".into(), 11.into());
    let figures = serde_json::Value::Object(figures);
    let dir = root().join("target/bench");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("client-size.json");
    std::fs::write(&path, serde_json::to_string_pretty(&figures)? + "\n")?;
    for m in &built.modules {
        let f = &figures[m.name];
        eprintln!(
            "xtask: {} ({}): {} bytes, {} gzip, {} brotli",
            m.name, m.hashed, f["total_bytes"], f["total_gzip_bytes"], f["total_brotli_bytes"]
        );
    }
    eprintln!("xtask: client size → {}", path.display());
    Ok(())
}
