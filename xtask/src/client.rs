//! Building the Yew client: cargo for wasm32, then wasm-bindgen (as a
//! library, at the exact version of the `wasm-bindgen` crate) writing the JS
//! glue and the final wasm, then `wasm-opt -Oz`, then publishing (the
//! JavaScript and the stylesheets minified, `minify.rs`) into
//! `www/pkg/` under content-hashed names (`examgate_client-<hash>.js` and
//! its `_bg.wasm`) with `boot.js` and `manifest.json` naming them, and
//! every file under `www/` precompressed (`precompress.rs`).
//!
//! Hashed names let the relay tell browsers to keep a module for a year: a
//! new build is a new name, so nobody runs a stale client, and a school's
//! second exam of the day downloads nothing but `index.html` and `boot.js`
//! revalidated.
//!
//! Three modules come from the one crate, by cargo feature:
//! - `examgate_client`: the student app for name-join rooms (no features),
//!   served at `/`; what most students on weak networks download.
//! - `examgate_checkin`: the same app with chip-ID check-in (`checkin`: the
//!   WebUSB card reader and the reading session), served at `/checkin` for
//!   card rooms.
//! - `examgate_staff`: everything (`staff`, which implies `checkin` for the
//!   proctor station): proctor pages, results, exam office, question bank.
//!
//! `boot.js` picks the module by path.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::Result;
use crate::setup::{cargo, root};

/// The cargo profile for the client (small over fast; see Cargo.toml).
const PROFILE: &str = "wasm-release";

/// One built module, as published in `www/pkg/`.
pub struct Module {
    pub name: &'static str,
    /// `<name>-<hash>`: what `boot.js` imports.
    pub hashed: String,
    pub wasm: PathBuf,
    pub js: PathBuf,
    /// Whether `wasm-opt -Oz` ran (it is skipped without npm).
    pub optimised: bool,
}

pub struct Built {
    pub modules: Vec<Module>,
}

/// (module name, cargo feature flags)
const MODULES: [(&str, &[&str]); 3] = [
    ("examgate_client", &["--no-default-features"]),
    (
        "examgate_checkin",
        &["--no-default-features", "--features", "checkin"],
    ),
    ("examgate_staff", &[]),
];

pub fn build() -> Result<Built> {
    // wasm-bindgen writes here; only the hashed copies reach www/pkg.
    let stage = root().join("target/client-stage");
    std::fs::create_dir_all(&stage)?;
    let mut modules = Vec::new();
    for (name, features) in MODULES {
        let mut args = vec![
            "build",
            "--package",
            "examgate-client",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            PROFILE,
        ];
        args.extend_from_slice(features);
        cargo(&args)?;
        // Every build writes the same file: bind it before the next build.
        let input = root()
            .join("target/wasm32-unknown-unknown")
            .join(PROFILE)
            .join("examgate_client.wasm");
        let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
        bindgen
            .input_path(&input)
            .out_name(name)
            .web(true)?
            // The CLI's default; the library's default would leave init()
            // without a wasm URL and the page blank.
            .omit_default_module_path(false)
            .typescript(false)
            .generate(&stage)?;
        let wasm = stage.join(format!("{name}_bg.wasm"));
        let optimised = crate::wasm_opt::optimise(&wasm)?;
        modules.push((name, optimised));
    }
    let built = publish(&stage, &modules)?;
    crate::precompress::www(&root().join("www"))?;
    eprintln!(
        "xtask: client built into {}",
        root().join("www/pkg").display()
    );
    Ok(built)
}

/// Copy the staged modules into a fresh `www/pkg/` under hashed names, and
/// write `boot.js` and `manifest.json` naming them.
fn publish(stage: &Path, staged: &[(&'static str, bool)]) -> Result<Built> {
    let out_dir = root().join("www/pkg");
    // Old builds' modules would pile up (each name is new).
    if out_dir.exists() {
        std::fs::remove_dir_all(&out_dir)?;
    }
    std::fs::create_dir_all(&out_dir)?;
    let mut modules = Vec::new();
    let mut manifest = serde_json::Map::new();
    for &(name, optimised) in staged {
        let wasm = std::fs::read(stage.join(format!("{name}_bg.wasm")))?;
        let js = std::fs::read_to_string(stage.join(format!("{name}.js")))?;
        let minifier = crate::minify::identity()?;
        let hashed = format!("{name}-{}", content_hash(&wasm, js.as_bytes(), minifier));
        // The glue finds its wasm by name, relative to its own URL.
        let plain_wasm_name = format!("'{name}_bg.wasm'");
        if js.matches(&plain_wasm_name).count() != 1 {
            return Err(format!("{name}.js does not name {plain_wasm_name} exactly once").into());
        }
        let js = crate::minify::js(&js.replace(&plain_wasm_name, &format!("'{hashed}_bg.wasm'")))?;
        let (js_path, wasm_path) = (
            out_dir.join(format!("{hashed}.js")),
            out_dir.join(format!("{hashed}_bg.wasm")),
        );
        std::fs::write(&js_path, js)?;
        std::fs::write(&wasm_path, wasm)?;
        manifest.insert(
            name.to_owned(),
            serde_json::json!({ "js": format!("{hashed}.js"), "wasm": format!("{hashed}_bg.wasm") }),
        );
        modules.push(Module {
            name,
            hashed,
            wasm: wasm_path,
            js: js_path,
            optimised,
        });
    }
    let hashed = |name: &str| -> Result<&str> {
        let m = modules.iter().find(|m| m.name == name);
        Ok(&m.ok_or(format!("no module {name}"))?.hashed)
    };
    let (student, checkin, staff) = (
        hashed("examgate_client")?,
        hashed("examgate_checkin")?,
        hashed("examgate_staff")?,
    );
    let boot = fill_template(
        "client/web/boot.js",
        &[],
        &[("STUDENT", student), ("CHECKIN", checkin), ("STAFF", staff)],
    )?;
    std::fs::write(out_dir.join("boot.js"), crate::minify::js(&boot)?)?;
    write_stylesheets()?;
    write_pages(student, checkin, staff)?;
    write_service_worker(student, checkin)?;
    std::fs::write(
        out_dir.join("manifest.json"),
        serde_json::to_string_pretty(&manifest)? + "\n",
    )?;
    Ok(Built { modules })
}

/// The page, once per module, from the template `client/web/index.html`:
/// `www/index.html` (students at `/`), `www/checkin.html` (card rooms),
/// `www/staff.html` (staff pages). Each preloads its own module.
fn write_pages(student: &str, checkin: &str, staff: &str) -> Result<()> {
    for (file, module) in [
        ("index.html", student),
        ("checkin.html", checkin),
        ("staff.html", staff),
    ] {
        let page = fill_template("client/web/index.html", &[], &[("MODULE", module)])?;
        std::fs::write(root().join("www").join(file), without_comments(&page))?;
    }
    Ok(())
}

/// `html` without its `<!-- … -->` comments: they are for whoever edits
/// the template, not for every student's download.
fn without_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        out.push_str(rest[..start].trim_end_matches([' ', '\n']));
        match rest[start..].find("-->") {
            Some(end) => rest = &rest[start + end + 3..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `www/style.css` (every page) and `www/staff.css` (staff pages), minified
/// from their sources in `client/web/`.
fn write_stylesheets() -> Result<()> {
    for name in ["style.css", "staff.css"] {
        let source = std::fs::read_to_string(root().join("client/web").join(name))?;
        std::fs::write(root().join("www").join(name), crate::minify::css(&source)?)?;
    }
    Ok(())
}

/// `www/sw.js` (the students' offline copy of the page) from its template
/// `client/web/sw.js`, named for this build: the hash of everything it
/// keeps, so any change to the page makes a new worker that replaces the
/// old copy.
fn write_service_worker(student: &str, checkin: &str) -> Result<()> {
    let www = root().join("www");
    let mut build = Sha256::new();
    for file in [
        "index.html".to_owned(),
        "checkin.html".to_owned(),
        "style.css".to_owned(),
        "noscript.css".to_owned(),
        "pkg/boot.js".to_owned(),
        format!("pkg/{student}.js"),
        format!("pkg/{checkin}.js"),
    ] {
        build.update(std::fs::read(www.join(file))?);
    }
    let worker = fill_template(
        "client/web/sw.js",
        &[("BUILD", &hex(&build.finalize()[..8]))],
        &[("STUDENT", student), ("CHECKIN", checkin)],
    )?;
    std::fs::write(www.join("sw.js"), crate::minify::js(&worker)?)?;
    Ok(())
}

/// The template at `path` with `@KEY@` replaced by each value, and each
/// module's `@NAME_JS@` / `@NAME_WASM@` by its hashed file names; an
/// `@` left over is a placeholder nobody fills, an error.
fn fill_template(path: &str, values: &[(&str, &str)], modules: &[(&str, &str)]) -> Result<String> {
    let mut text = std::fs::read_to_string(root().join(path))?;
    for (key, value) in values {
        text = text.replace(&format!("@{key}@"), value);
    }
    for (name, hashed) in modules {
        text = text
            .replace(&format!("@{name}_JS@"), &format!("{hashed}.js"))
            .replace(&format!("@{name}_WASM@"), &format!("{hashed}_bg.wasm"));
    }
    if text.contains('@') {
        return Err(format!("{path} has a placeholder the build does not fill").into());
    }
    Ok(text)
}

/// 16 hex digits of SHA-256 over the module's wasm, its glue as generated
/// and the minifier the glue then goes through: the relay serves names of
/// this shape as immutable.
fn content_hash(wasm: &[u8], js: &[u8], minifier: &str) -> String {
    let digest = Sha256::new()
        .chain_update(wasm)
        .chain_update(js)
        .chain_update(minifier)
        .finalize();
    hex(&digest[..8])
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::without_comments;

    #[test]
    fn comments_leave_the_page_and_nothing_else_does() {
        let html = "<head>\n  <!-- why\n  this -->\n  <link rel=\"preload\">\n</head>";
        assert_eq!(
            without_comments(html),
            "<head>\n  <link rel=\"preload\">\n</head>"
        );
        assert_eq!(without_comments("<p>a</p>"), "<p>a</p>");
        assert_eq!(without_comments("<p>a</p><!-- open"), "<p>a</p>");
    }
}
