//! Every text and wasm file under `www/` written a second and third time,
//! as `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip, by Zopfli), once
//! at build time: the relay sends whichever the browser accepts
//! (`ServeDir::precompressed_br`/`_gzip`) and never compresses on the hot
//! path. A student module is ~1 MB raw and ~0.3 MB brotli; on a school's
//! 1.6 Mbit/s line that is 5 s against 1.5 s.
//!
//! Variants are written only where they are smaller, and stale ones (their
//! original gone or newer) are removed, so the relay never sends an old
//! compressed copy of a file that has since changed. Compressed bytes are
//! cached in `target/precompress/` by the original's SHA-256: a module whose
//! content (and so its name) did not change is not compressed again.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::Result;

/// What is worth compressing (images are already compressed).
const COMPRESSIBLE: [&str; 6] = ["html", "js", "css", "wasm", "json", "svg"];

/// Compressed bytes of a file's content.
type Compressor = fn(&[u8]) -> Result<Vec<u8>>;

/// The two encodings: file suffix and compressor.
const VARIANTS: [(&str, Compressor); 2] = [("br", brotli), ("gz", gzip)];

pub fn www(dir: &Path) -> Result<()> {
    let started = std::time::Instant::now();
    let mut files = Vec::new();
    walk(dir, &mut files)?;
    let mut originals = Vec::new();
    for file in files {
        let Some(ext) = file.extension().and_then(|e| e.to_str()) else {
            continue;
        };
        if VARIANTS.iter().any(|(suffix, _)| *suffix == ext) {
            remove_if_stale(&file)?;
        } else if COMPRESSIBLE.contains(&ext) {
            originals.push(file);
        }
    }
    // Brotli at quality 11 is slow (~150 KB/s): one file per core, and an
    // unchanged file (a module whose hash did not change) from the cache.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let sizes = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| -> std::result::Result<(usize, usize), String> {
                    let mut sizes = (0, 0);
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(file) = originals.get(i) else {
                            return Ok(sizes);
                        };
                        let (raw, br) =
                            compress_one(file).map_err(|e| format!("{}: {e}", file.display()))?;
                        sizes = (sizes.0 + raw, sizes.1 + br);
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("compressor thread"))
            .collect::<std::result::Result<Vec<_>, String>>()
    })?;
    let (raw, br) = sizes
        .iter()
        .fold((0, 0), |acc, s| (acc.0 + s.0, acc.1 + s.1));
    eprintln!(
        "xtask: www/ precompressed in {:.1} s: {raw} bytes → {br} brotli",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Both variants of one file; returns its raw and brotli sizes (the raw
/// size twice when brotli gains nothing).
fn compress_one(file: &Path) -> Result<(usize, usize)> {
    let bytes = std::fs::read(file)?;
    let key = crate::client::hex(&Sha256::digest(&bytes));
    let mut sent = (bytes.len(), bytes.len());
    for (suffix, compress) in VARIANTS {
        let variant = with_suffix(file, suffix);
        let cached = cache_dir().join(format!("{key}.{CACHE_VERSION}.{suffix}"));
        let packed = match std::fs::read(&cached) {
            Ok(packed) => packed,
            Err(_) => {
                let packed = compress(&bytes)?;
                std::fs::create_dir_all(cache_dir())?;
                std::fs::write(&cached, &packed)?;
                packed
            }
        };
        if packed.len() < bytes.len() {
            if suffix == "br" {
                sent.1 = packed.len();
            }
            std::fs::write(&variant, packed)?;
        } else if variant.exists() {
            std::fs::remove_file(&variant)?;
        }
    }
    Ok(sent)
}

/// Changes when a compressor does (v2: gzip by Zopfli), so no older
/// encoder's bytes are served from the cache.
const CACHE_VERSION: &str = "v2";

/// Compressed files by the SHA-256 of their original.
fn cache_dir() -> PathBuf {
    crate::setup::root().join("target/precompress")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// `file` with `.suffix` added (`app.js` → `app.js.br`).
pub fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// A `.br`/`.gz` whose original is gone or was modified after it.
fn remove_if_stale(variant: &Path) -> Result<()> {
    let original = variant.with_extension("");
    let stale = match std::fs::metadata(&original) {
        Ok(meta) => meta.modified()? > std::fs::metadata(variant)?.modified()?,
        Err(_) => true,
    };
    if stale {
        std::fs::remove_file(variant)?;
    }
    Ok(())
}

fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out)
}

/// Zopfli's gzip: the same format any browser reads, 4-5 % smaller than
/// zlib's level 9 on the client's wasm (about 14 KB of the student module),
/// at seconds per module instead of milliseconds.
fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    zopfli::compress(
        zopfli::Options::default(),
        zopfli::Format::Gzip,
        bytes,
        &mut out,
    )?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn unbrotli(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &bytes[..], &mut out).unwrap();
        out
    }

    fn ungzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn variants_decompress_to_the_original_and_stale_ones_go() {
        let dir = std::env::temp_dir().join(format!("xtask-precompress-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("pkg")).unwrap();
        let page = "<!doctype html><p>Đang tải… Loading…</p>".repeat(50);
        std::fs::write(dir.join("index.html"), &page).unwrap();
        let wasm: Vec<u8> = (0..20_000u32).map(|i| (i % 7) as u8).collect();
        std::fs::write(dir.join("pkg/m-0123456789abcdef_bg.wasm"), &wasm).unwrap();
        // Too small to gain anything, and not a text type.
        std::fs::write(dir.join("a.js"), "x").unwrap();
        std::fs::write(dir.join("photo.png"), &wasm).unwrap();
        // Left from an older build: its original is gone.
        std::fs::write(dir.join("pkg/old.js.br"), "stale").unwrap();

        www(&dir).unwrap();

        let read = |name: &str| std::fs::read(dir.join(name)).unwrap();
        assert_eq!(unbrotli(&read("index.html.br")), page.as_bytes());
        assert_eq!(ungzip(&read("index.html.gz")), page.as_bytes());
        let wasm_br = read("pkg/m-0123456789abcdef_bg.wasm.br");
        assert!(wasm_br.len() < wasm.len() / 10);
        assert_eq!(unbrotli(&wasm_br), wasm);
        assert_eq!(ungzip(&read("pkg/m-0123456789abcdef_bg.wasm.gz")), wasm);
        for absent in ["a.js.br", "a.js.gz", "photo.png.br", "pkg/old.js.br"] {
            assert!(!dir.join(absent).exists(), "{absent}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
