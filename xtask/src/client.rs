//! Building the Yew client: cargo for wasm32, then wasm-bindgen (as a
//! library, at the exact version of the `wasm-bindgen` crate) writing the JS
//! glue and the final wasm into `www/pkg/`, then `wasm-opt -Oz`.
//!
//! Two modules come from the one crate: `examgate_client` (students and
//! proctors; built without the `staff` feature) and `examgate_staff` (also
//! the teachers' results page with item analysis and CSV import). Students
//! on weak networks download only the first; `www/index.html` picks the
//! module by path.

use std::path::PathBuf;

use crate::Result;
use crate::setup::{cargo, root};

/// The cargo profile for the client (small over fast; see Cargo.toml).
const PROFILE: &str = "wasm-release";

/// One built module.
pub struct Module {
    pub name: &'static str,
    pub wasm: PathBuf,
    pub js: PathBuf,
    /// Whether `wasm-opt -Oz` ran (it is skipped without npm).
    pub optimised: bool,
}

pub struct Built {
    pub modules: Vec<Module>,
}

/// (module name, cargo feature flags)
const MODULES: [(&str, &[&str]); 2] = [
    ("examgate_client", &["--no-default-features"]),
    ("examgate_staff", &[]),
];

pub fn build() -> Result<Built> {
    let out_dir = root().join("www/pkg");
    std::fs::create_dir_all(&out_dir)?;
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
        // Both builds write the same file: bind it before the next build.
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
            .generate(&out_dir)?;
        let wasm = out_dir.join(format!("{name}_bg.wasm"));
        let optimised = crate::wasm_opt::optimise(&wasm)?;
        modules.push(Module {
            name,
            wasm,
            js: out_dir.join(format!("{name}.js")),
            optimised,
        });
    }
    eprintln!("xtask: client built into {}", out_dir.display());
    Ok(Built { modules })
}
