//! Building the Yew client: cargo for wasm32, then wasm-bindgen (as a
//! library, at the exact version of the `wasm-bindgen` crate) writing the JS
//! glue and the final wasm into `www/pkg/`, then `wasm-opt -Oz`.

use std::path::PathBuf;

use crate::Result;
use crate::setup::{cargo, root};

/// The cargo profile for the client (small over fast; see Cargo.toml).
const PROFILE: &str = "wasm-release";

pub struct Built {
    pub wasm: PathBuf,
    pub js: PathBuf,
    /// Whether `wasm-opt -Oz` ran (it is skipped without npm).
    pub optimised: bool,
}

pub fn build() -> Result<Built> {
    cargo(&[
        "build",
        "--package",
        "examgate-client",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        PROFILE,
    ])?;
    let input = root()
        .join("target/wasm32-unknown-unknown")
        .join(PROFILE)
        .join("examgate_client.wasm");
    let out_dir = root().join("www/pkg");
    std::fs::create_dir_all(&out_dir)?;
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_path(&input)
        .web(true)?
        // The CLI's default; the library's default would leave init() without
        // a wasm URL and the page blank.
        .omit_default_module_path(false)
        .typescript(false)
        .generate(&out_dir)?;
    let wasm = out_dir.join("examgate_client_bg.wasm");
    let optimised = crate::wasm_opt::optimise(&wasm)?;
    let built = Built {
        wasm,
        js: out_dir.join("examgate_client.js"),
        optimised,
    };
    eprintln!("xtask: client built into {}", out_dir.display());
    Ok(built)
}
