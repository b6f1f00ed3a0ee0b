//! Build tools from the npm registry (Binaryen's `wasm-opt`, esbuild),
//! pinned, installed under `target/tools/` on first use.
//!
//! Nothing comes from GitHub: both packages ship their binaries through
//! npm. Without npm, or when the registry cannot be reached, a tool is
//! skipped with a warning; the client works either way, only larger.

use std::path::PathBuf;
use std::process::Command;

use crate::Result;
use crate::setup::{root, run};

/// A pinned npm package and the binary it provides.
pub struct Tool {
    /// `name@version`.
    pub package: &'static str,
    /// The folder under `target/tools/` it is installed into.
    pub dir: &'static str,
    pub bin: &'static str,
}

impl Tool {
    pub fn dir(&self) -> PathBuf {
        root().join("target/tools").join(self.dir)
    }

    /// The tool's binary, installed if missing; `None` without npm or when
    /// the install fails.
    pub fn bin(&self) -> Result<Option<PathBuf>> {
        let bin = self.dir().join("node_modules/.bin").join(self.bin);
        if bin.exists() {
            return Ok(Some(bin));
        }
        if Command::new("npm").arg("--version").output().is_err() {
            eprintln!(
                "xtask: npm not found; skipping {} (the client will be larger)",
                self.bin
            );
            return Ok(None);
        }
        eprintln!(
            "xtask: installing {} from the npm registry into target/tools/",
            self.package
        );
        std::fs::create_dir_all(self.dir())?;
        let installed = run(Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(self.dir())
            .arg(self.package));
        if let Err(e) = installed {
            // The registry out of reach: built as without npm.
            eprintln!(
                "xtask: could not install {} ({e}); skipping {}",
                self.package, self.bin
            );
            return Ok(None);
        }
        Ok(Some(bin))
    }
}
