//! Zip packages (Word files, QTI packages) opened within [`crate::limits`].
//!
//! Entries are read by name only when asked for, each checked against its
//! declared size, the real number of bytes it expands to, and the ratio to
//! its compressed size, so a zip bomb ends with a problem, not an exhausted
//! machine. Names that would leave the package (`..`, absolute paths) are
//! refused when looked up.

use std::cell::Cell;
use std::io::{Cursor, Read};

use examgate_shared::bank::{Position, Problem};

use crate::limits::{MAX_ENTRY_BYTES, MAX_EXPANSION, MAX_UNZIPPED_BYTES, MAX_ZIP_ENTRIES};

/// An open zip package.
pub struct Package<'a> {
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Bytes decompressed so far, against [`MAX_UNZIPPED_BYTES`].
    unzipped: Cell<u64>,
}

impl<'a> Package<'a> {
    pub fn open(bytes: &'a [u8]) -> Result<Package<'a>, Problem> {
        let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            Problem::new(
                Position::File,
                format!("the file is not a readable zip package: {e}"),
            )
        })?;
        if archive.len() > MAX_ZIP_ENTRIES {
            return Err(Problem::new(
                Position::File,
                format!(
                    "the package lists {} files; at most {MAX_ZIP_ENTRIES} are accepted",
                    archive.len()
                ),
            ));
        }
        Ok(Package {
            archive,
            unzipped: Cell::new(0),
        })
    }

    /// Whether the package has an entry called `name`.
    pub fn has(&self, name: &str) -> bool {
        self.archive.index_for_name(name).is_some()
    }

    /// The names of every entry, in the archive's order.
    pub fn names(&self) -> Vec<String> {
        self.archive
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .collect()
    }

    /// The bytes of entry `name`, or `None` when there is no such entry.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, Problem> {
        if !is_safe_name(name) {
            return Err(Problem::new(
                entry(name),
                "a path that leaves the package (`..` or absolute) is refused",
            ));
        }
        let Some(index) = self.archive.index_for_name(name) else {
            return Ok(None);
        };
        let file = self
            .archive
            .by_index(index)
            .map_err(|e| Problem::new(entry(name), format!("cannot be read: {e}")))?;
        let declared = file.size();
        let compressed = file.compressed_size().max(1);
        if declared > MAX_ENTRY_BYTES || declared / compressed > MAX_EXPANSION {
            return Err(bomb(name));
        }
        // The declared size can lie: read at most one byte past it, and past
        // the limits, whatever the header said.
        let cap = declared
            .min(MAX_ENTRY_BYTES)
            .min(compressed.saturating_mul(MAX_EXPANSION))
            .min(MAX_UNZIPPED_BYTES - self.unzipped.get().min(MAX_UNZIPPED_BYTES));
        let mut out = Vec::with_capacity(cap as usize);
        file.take(cap + 1)
            .read_to_end(&mut out)
            .map_err(|e| Problem::new(entry(name), format!("cannot be decompressed: {e}")))?;
        if out.len() as u64 > cap {
            return Err(bomb(name));
        }
        self.unzipped.set(self.unzipped.get() + out.len() as u64);
        Ok(Some(out))
    }

    /// Like [`Package::read`], but a missing entry is a problem.
    pub fn require(&mut self, name: &str) -> Result<Vec<u8>, Problem> {
        self.read(name)?
            .ok_or_else(|| Problem::new(Position::File, format!("the package has no {name}")))
    }
}

fn entry(name: &str) -> Position {
    Position::Entry {
        file: name.to_string(),
        line: 0,
    }
}

fn bomb(name: &str) -> Problem {
    Problem::new(
        entry(name),
        format!(
            "expands beyond the limits (at most {MAX_ENTRY_BYTES} bytes per file, \
             {MAX_UNZIPPED_BYTES} in all, {MAX_EXPANSION}× its compressed size)"
        ),
    )
}

/// Whether a path inside a package stays inside it.
pub fn is_safe_name(name: &str) -> bool {
    !name.starts_with('/')
        && !name.contains('\\')
        && !name.contains(':')
        && name.split('/').all(|part| part != "..")
}

/// Resolves `href` relative to the entry `base` (`word/document.xml` +
/// `media/image1.png` → `word/media/image1.png`); `None` when it would leave
/// the package or is an absolute URL.
pub fn resolve(base: &str, href: &str) -> Option<String> {
    if href.contains("://") || href.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = base.split('/').collect();
    parts.pop();
    for part in href.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            w.start_file(*name, opts).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn reads_entries_and_refuses_escapes() {
        let bytes = zip_of(&[("word/document.xml", b"<w:document/>")]);
        let mut p = Package::open(&bytes).unwrap();
        assert!(p.has("word/document.xml"));
        assert_eq!(
            p.read("word/document.xml").unwrap().unwrap(),
            b"<w:document/>"
        );
        assert_eq!(p.read("missing.xml").unwrap(), None);
        assert!(p.read("../etc/passwd").is_err());
        assert_eq!(
            resolve("word/document.xml", "media/a.png").unwrap(),
            "word/media/a.png"
        );
        assert_eq!(
            resolve("items/q1.xml", "../img/a.png").unwrap(),
            "img/a.png"
        );
        assert_eq!(resolve("q1.xml", "../../a.png"), None);
        assert_eq!(resolve("q1.xml", "http://evil/a.png"), None);
    }

    #[test]
    fn a_zip_bomb_is_refused_not_expanded() {
        let zeros = vec![0u8; 8 * 1024 * 1024];
        let bytes = zip_of(&[("word/document.xml", &zeros)]);
        assert!(bytes.len() < 64 * 1024, "deflate squeezes zeros");
        let mut p = Package::open(&bytes).unwrap();
        let problem = p.read("word/document.xml").unwrap_err();
        assert!(problem.why.contains("expands beyond"), "{problem}");
    }

    #[test]
    fn not_a_zip_is_a_clear_problem() {
        let problem = Package::open(b"PK\x03\x04 garbage").err().unwrap();
        assert_eq!(problem.at, Position::File);
        assert!(problem.why.contains("not a readable zip"));
    }
}
