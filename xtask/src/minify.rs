//! Minifying what the build writes for browsers (the wasm-bindgen glue of
//! each module, `boot.js`, `sw.js`, and the stylesheets from
//! `client/web/`) with esbuild, from the npm registry.
//!
//! The glue alone is 43 KB of readable JavaScript with comments: minified
//! it is about 1.8 KB less gzipped, `boot.js` and `style.css` another
//! kilobyte each, on the student module's budget (issue #11). Only
//! whitespace, comments and local names change (`--minify`, no bundling, no
//! syntax lowering), and every browser test runs the minified files.
//! Without npm the files stay as written.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::Result;
use crate::npm::Tool;

const ESBUILD: Tool = Tool {
    package: "esbuild@0.28.2",
    dir: "esbuild-0.28.2",
    bin: "esbuild",
};

/// Which minifier the build's JavaScript goes through (`"none"` without
/// one): part of each module's content hash, so a name never stands for
/// two different files.
pub fn identity() -> Result<&'static str> {
    if std::env::var_os("EXAMGATE_NO_MINIFY").is_some() {
        return Ok("none");
    }
    Ok(match ESBUILD.bin()? {
        Some(_) => ESBUILD.package,
        None => "none",
    })
}

/// JavaScript `source` minified.
pub fn js(source: &str) -> Result<String> {
    minify(source, "--loader=js")
}

/// A stylesheet minified.
pub fn css(source: &str) -> Result<String> {
    minify(source, "--loader=css")
}

/// `source` minified, or unchanged without npm (or with
/// `EXAMGATE_NO_MINIFY` set, to read the generated files).
fn minify(source: &str, loader: &str) -> Result<String> {
    if std::env::var_os("EXAMGATE_NO_MINIFY").is_some() {
        return Ok(source.to_owned());
    }
    let Some(esbuild) = ESBUILD.bin()? else {
        return Ok(source.to_owned());
    };
    let mut child = Command::new(esbuild)
        .args(["--minify", loader, "--log-level=warning"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    // Written from a thread: esbuild may fill its stdout before reading all
    // of its input.
    let input = source.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output()?;
    writer.join().expect("the writer does not panic")?;
    if !output.status.success() {
        return Err(format!("esbuild failed: {}", output.status).into());
    }
    Ok(String::from_utf8(output.stdout)?)
}
