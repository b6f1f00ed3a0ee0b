//! The inspection package: one zip holding a sitting's hand-in files and a
//! SHA-256 manifest, so an inspector can tell later that nothing was
//! changed, added or removed.
//!
//! Layout of the zip:
//!
//! - `MANIFEST.sha256`: one `sha256sum` line for `manifest.json`, so a person
//!   can run `sha256sum -c MANIFEST.sha256` without examgate.
//! - `manifest.json`: the format, the sitting, who made the package and
//!   when, every file's path, size and SHA-256, and `root_sha256`, the
//!   SHA-256 of the listing `"<sha256>  <path>\n"` sorted by path (byte
//!   order) — the same lines `sha256sum` prints, so it too can be recomputed
//!   by hand. Each file also carries `deflated_sha256`, the hash of its
//!   compressed bytes as stored in the zip (see below). `audit_chain_head`
//!   (when present) is the audit chain's head at the moment the package was
//!   made: the last line of its `audit.jsonl`, for `audit verify`.
//! - every file, deflated, under its own path. The two manifest files are
//!   stored uncompressed.
//!
//! Why more than content hashes: the package should fail verification if
//! any byte of it changes, not only if a file's content does. The zip
//! reader ignores most of the local headers (a second copy of each name,
//! time, size and CRC, which some extractors use instead of the central
//! directory), and inflaters ignore the padding bits after a deflate
//! stream's last code. So [`verify_package`] walks the zip's records itself
//! (every local header must repeat its central record, the records must
//! tile the file with nothing between or after them) and checks each
//! file's compressed bytes against the manifest too; the uncompressed
//! manifest files are covered by their own hashes.
//!
//! The manifest's hash only proves the manifest matches its hash file; both
//! can be rewritten together. Whoever receives the package should record
//! `root_sha256` (or the hash of `manifest.json`) somewhere the sender
//! cannot change, e.g. in the signed minutes.
//!
//! [`verify_package`] reads untrusted bytes: it bounds entry count and
//! sizes before inflating anything, and refuses paths that would escape the
//! folder the package is extracted into.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::io::{Cursor, Read, Write};

use examgate_shared::audit_chain::ChainHead;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use super::HandInError;

/// The manifest's `format`.
pub const PACKAGE_FORMAT: &str = "examgate-inspection/1";
/// The manifest's path in the zip.
pub const MANIFEST_PATH: &str = "manifest.json";
/// The path of the manifest's own hash, in `sha256sum` format.
pub const MANIFEST_HASH_PATH: &str = "MANIFEST.sha256";
/// No entry may be larger, declared or actual.
pub const MAX_ENTRY_BYTES: u64 = 256 << 20;
/// All entries together may not be larger, declared or actual.
pub const MAX_TOTAL_BYTES: u64 = 512 << 20;
/// A sitting's hand-in is a few files per room; this bounds the work a
/// hostile central directory can ask for.
pub const MAX_ENTRIES: usize = 10_000;
/// Longest path accepted, in bytes.
const MAX_PATH_BYTES: usize = 512;

/// Who made the package, for what, when. The caller gives the time; there
/// is no clock here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageMeta {
    /// The sitting's name or id as the office knows it.
    pub sitting: String,
    /// ISO 8601, e.g. "2026-12-05T10:00:00+07:00".
    pub created_at_iso: String,
    /// The staff account that asked for it.
    pub created_by: String,
    /// The audit chain's head the package's audit file ends with.
    pub audit_chain_head: Option<ChainHead>,
}

/// What a verified package holds (the manifest and its hash not counted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    pub files: usize,
    pub bytes: u64,
    pub root_sha256: String,
    /// As the manifest records it.
    pub audit_chain_head: Option<ChainHead>,
}

/// Why a package fails verification: the first problem found, naming the
/// file it concerns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("this is not a readable zip file: {0}")]
    NotAZip(String),
    #[error("the zip's structure was altered: {0}")]
    Layout(String),
    #[error("{path}: the zip's two headers for this file disagree; the archive was altered")]
    HeaderMismatch { path: String },
    #[error("the package has more than {MAX_ENTRIES} entries; refused unread")]
    TooManyEntries,
    #[error("{path}: the package stores it more than once")]
    Duplicate { path: String },
    #[error(
        "{path}: too large to be checked (at most {MAX_ENTRY_BYTES} bytes per file, {MAX_TOTAL_BYTES} in all); refused unread"
    )]
    TooLarge { path: String },
    #[error("{path}: unsafe path (absolute, \"..\", or characters a file name cannot hold)")]
    UnsafePath { path: String },
    #[error("{path}: the zip entry is damaged: {reason}")]
    Corrupt { path: String, reason: String },
    #[error("{path} is missing from the package")]
    Missing { path: String },
    #[error("{path}: the package holds a file the manifest does not list")]
    Unlisted { path: String },
    #[error("{path}: size differs from the manifest ({actual} bytes, manifest says {listed})")]
    SizeMismatch {
        path: String,
        actual: u64,
        listed: u64,
    },
    #[error("{path}: content differs from the manifest (SHA-256 mismatch)")]
    HashMismatch { path: String },
    #[error(
        "{path}: the compressed bytes differ from the manifest although the content matches; the archive was altered"
    )]
    DeflatedMismatch { path: String },
    #[error("manifest.json does not match MANIFEST.sha256: the manifest was altered")]
    ManifestAltered,
    #[error("the manifest's root hash does not match its file list: the manifest was altered")]
    RootMismatch,
    #[error("the manifest cannot be read: {0}")]
    BadManifest(String),
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    format: String,
    sitting: String,
    created_at: String,
    created_by: String,
    files: Vec<ManifestFile>,
    root_sha256: String,
    /// Absent from packages made before the audit chain existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    audit_chain_head: Option<ChainHead>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestFile {
    path: String,
    bytes: u64,
    sha256: String,
    deflated_sha256: String,
}

/// Builds the package: every file of `files` under its path, plus the
/// manifest and its hash. The output depends on the input only (entries in
/// path order, timestamps from `meta.created_at_iso`), so building twice
/// gives the same bytes.
///
/// Refuses what [`verify_package`] would refuse: unsafe or duplicate paths
/// (compared ignoring case, as Windows and macOS extract them), the two
/// reserved names, and files over the size limits.
pub fn build_package(
    files: &[(String, Vec<u8>)],
    meta: &PackageMeta,
) -> Result<Vec<u8>, HandInError> {
    let mut sorted: Vec<&(String, Vec<u8>)> = files.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut seen = HashSet::new();
    let mut total = 0u64;
    for (path, bytes) in &sorted {
        if !is_safe_path(path) {
            return Err(HandInError::UnsafePath { path: path.clone() });
        }
        if is_reserved(path) {
            return Err(HandInError::ReservedPath { path: path.clone() });
        }
        if !seen.insert(path.to_lowercase()) {
            return Err(HandInError::DuplicatePath { path: path.clone() });
        }
        let len = bytes.len() as u64;
        if len > MAX_ENTRY_BYTES {
            return Err(HandInError::TooLarge {
                path: path.clone(),
                bytes: len,
            });
        }
        total += len;
    }
    if total > MAX_TOTAL_BYTES {
        return Err(HandInError::PackageTooLarge);
    }

    // The files are deflated first, on their own, so that the manifest can
    // hold the hash of their compressed bytes; they are then copied into
    // the package as they are.
    let options = SimpleFileOptions::default()
        .last_modified_time(zip_time(&meta.created_at_iso))
        .unix_permissions(0o644);
    let mut deflated = ZipWriter::new(Cursor::new(Vec::new()));
    for (path, bytes) in &sorted {
        deflated.start_file(
            path.as_str(),
            options.compression_method(CompressionMethod::Deflated),
        )?;
        deflated.write_all(bytes)?;
    }
    let mut deflated = deflated.finish_into_readable()?;
    let mut listed = Vec::with_capacity(sorted.len());
    for (i, (path, bytes)) in sorted.iter().enumerate() {
        let raw = deflated.by_index_raw(i)?;
        listed.push(ManifestFile {
            path: path.clone(),
            bytes: bytes.len() as u64,
            sha256: sha256_hex(bytes),
            deflated_sha256: hash_reader(raw, u64::MAX)?.1,
        });
    }

    let manifest = Manifest {
        format: PACKAGE_FORMAT.to_string(),
        sitting: meta.sitting.clone(),
        created_at: meta.created_at_iso.clone(),
        created_by: meta.created_by.clone(),
        root_sha256: root_hash(listed.iter().map(|f| (f.path.as_str(), f.sha256.as_str()))),
        files: listed,
        audit_chain_head: meta.audit_chain_head.clone(),
    };
    let mut manifest_json = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| HandInError::Io(std::io::Error::other(e)))?;
    manifest_json.push(b'\n');
    let manifest_hash = format!("{}  {MANIFEST_PATH}\n", sha256_hex(&manifest_json));
    total += (manifest_json.len() + manifest_hash.len()) as u64;
    if total > MAX_TOTAL_BYTES {
        return Err(HandInError::PackageTooLarge);
    }

    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    // The manifest first, so that it is what a person sees on opening;
    // stored, so that its bytes in the zip are its content.
    let stored = options.compression_method(CompressionMethod::Stored);
    zip.start_file(MANIFEST_HASH_PATH, stored)?;
    zip.write_all(manifest_hash.as_bytes())?;
    zip.start_file(MANIFEST_PATH, stored)?;
    zip.write_all(&manifest_json)?;
    zip.merge_archive(deflated)?;
    Ok(zip.finish()?.into_inner())
}

/// Checks a package: the zip's records are intact; the manifest is present,
/// matches `MANIFEST.sha256` and its own root hash; every listed file is
/// present with the listed size, hash and compressed bytes; nothing else is
/// in the zip; no path twice, no unsafe path. Every entry is read and
/// inflated (CRC checked) within the size limits.
pub fn verify_package(zip_bytes: &[u8]) -> Result<VerifyReport, VerifyError> {
    let mut archive =
        ZipArchive::new(Cursor::new(zip_bytes)).map_err(|e| VerifyError::NotAZip(e.to_string()))?;
    if archive.len() > MAX_ENTRIES {
        return Err(VerifyError::TooManyEntries);
    }
    let raw_names = check_layout(zip_bytes)?;
    let mut distinct = HashSet::new();
    if let Some(name) = raw_names.iter().find(|n| !distinct.insert(*n)) {
        return Err(VerifyError::Duplicate {
            path: String::from_utf8_lossy(name).into_owned(),
        });
    }
    if archive.has_duplicate_names() || archive.len() != raw_names.len() {
        return Err(VerifyError::Layout(
            "the central directory does not match its records".to_string(),
        ));
    }

    // Sizes as declared, before inflating anything.
    let mut declared_total = 0u64;
    let mut names = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let entry = archive
            .by_index_data(i)
            .map_err(|e| VerifyError::NotAZip(e.to_string()))?;
        let path = entry
            .name()
            .map_err(|e| VerifyError::NotAZip(e.to_string()))?
            .into_owned();
        if !is_safe_path(&path) || entry.is_dir() {
            return Err(VerifyError::UnsafePath { path });
        }
        declared_total = declared_total.saturating_add(entry.size());
        if entry.size() > MAX_ENTRY_BYTES || declared_total > MAX_TOTAL_BYTES {
            return Err(VerifyError::TooLarge { path });
        }
        names.push(path);
    }

    // Every entry inflated and hashed, never past its declared size; the
    // files' compressed bytes hashed as well.
    let mut contents: BTreeMap<String, Entry> = BTreeMap::new();
    let mut manifest_json = None;
    let mut manifest_hash = None;
    for (i, path) in names.into_iter().enumerate() {
        let corrupt = |reason: String| VerifyError::Corrupt {
            path: path.clone(),
            reason,
        };
        let entry = archive.by_index(i).map_err(|e| corrupt(e.to_string()))?;
        let declared = entry.size();
        let mut keep = matches!(path.as_str(), MANIFEST_PATH | MANIFEST_HASH_PATH).then(Vec::new);
        let (size, sha256) = hash_reader_keeping(entry, declared + 1, keep.as_mut())
            .map_err(|e| corrupt(e.to_string()))?;
        if size != declared {
            return Err(corrupt(format!(
                "{size} bytes inflated, {declared} declared"
            )));
        }
        match (path.as_str(), keep) {
            (MANIFEST_PATH, Some(bytes)) => manifest_json = Some(bytes),
            (MANIFEST_HASH_PATH, Some(bytes)) => manifest_hash = Some(bytes),
            _ => {
                let raw = archive
                    .by_index_raw(i)
                    .map_err(|e| corrupt(e.to_string()))?;
                let (_, deflated_sha256) =
                    hash_reader(raw, u64::MAX).map_err(|e| corrupt(e.to_string()))?;
                contents.insert(
                    path,
                    Entry {
                        size,
                        sha256,
                        deflated_sha256,
                    },
                );
            }
        }
    }

    let missing = |path: &str| VerifyError::Missing { path: path.into() };
    let manifest_json = manifest_json.ok_or_else(|| missing(MANIFEST_PATH))?;
    let manifest_hash = manifest_hash.ok_or_else(|| missing(MANIFEST_HASH_PATH))?;
    if parse_hash_line(&manifest_hash)? != sha256_hex(&manifest_json) {
        return Err(VerifyError::ManifestAltered);
    }
    let manifest: Manifest = serde_json::from_slice(&manifest_json)
        .map_err(|e| VerifyError::BadManifest(e.to_string()))?;
    if manifest.format != PACKAGE_FORMAT {
        return Err(VerifyError::BadManifest(format!(
            "format {:?}, expected {PACKAGE_FORMAT:?}",
            manifest.format
        )));
    }
    let mut listed_keys = HashSet::new();
    for f in &manifest.files {
        if !is_safe_path(&f.path) {
            return Err(VerifyError::UnsafePath {
                path: f.path.clone(),
            });
        }
        if is_reserved(&f.path) {
            return Err(VerifyError::BadManifest(format!(
                "the manifest lists its own file {}",
                f.path
            )));
        }
        if !is_sha256_hex(&f.sha256) || !is_sha256_hex(&f.deflated_sha256) {
            return Err(VerifyError::BadManifest(format!(
                "{}: a hash is not a SHA-256",
                f.path
            )));
        }
        if !listed_keys.insert(f.path.to_lowercase()) {
            return Err(VerifyError::Duplicate {
                path: f.path.clone(),
            });
        }
    }
    let mut sorted: Vec<&ManifestFile> = manifest.files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let root = root_hash(sorted.iter().map(|f| (f.path.as_str(), f.sha256.as_str())));
    if root != manifest.root_sha256 {
        return Err(VerifyError::RootMismatch);
    }

    let mut bytes = 0u64;
    for f in &sorted {
        let Some(entry) = contents.remove(&f.path) else {
            return Err(missing(&f.path));
        };
        let path = || f.path.clone();
        if entry.size != f.bytes {
            return Err(VerifyError::SizeMismatch {
                path: path(),
                actual: entry.size,
                listed: f.bytes,
            });
        }
        if entry.sha256 != f.sha256 {
            return Err(VerifyError::HashMismatch { path: path() });
        }
        if entry.deflated_sha256 != f.deflated_sha256 {
            return Err(VerifyError::DeflatedMismatch { path: path() });
        }
        bytes += entry.size;
    }
    if let Some(path) = contents.into_keys().next() {
        return Err(VerifyError::Unlisted { path });
    }
    Ok(VerifyReport {
        files: sorted.len(),
        bytes,
        root_sha256: root,
        audit_chain_head: manifest.audit_chain_head,
    })
}

/// One file as found in the zip.
struct Entry {
    size: u64,
    sha256: String,
    deflated_sha256: String,
}

/// Reads at most `limit` bytes of `reader`: how many there were and their
/// SHA-256.
fn hash_reader(reader: impl Read, limit: u64) -> std::io::Result<(u64, String)> {
    hash_reader_keeping(reader, limit, None)
}

/// [`hash_reader`], also appending the bytes to `keep` when given.
fn hash_reader_keeping(
    reader: impl Read,
    limit: u64,
    mut keep: Option<&mut Vec<u8>>,
) -> std::io::Result<(u64, String)> {
    let mut reader = reader.take(limit);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        if let Some(keep) = keep.as_mut() {
            keep.extend_from_slice(&buf[..n]);
        }
        total += n as u64;
    }
    Ok((total, hex(&hasher.finalize())))
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// SHA-256 of the `sha256sum`-style listing of `(path, sha256)` in the
/// order given (callers pass them sorted by path).
fn root_hash<'a>(files: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut hasher = Sha256::new();
    for (path, sha256) in files {
        hasher.update(sha256.as_bytes());
        hasher.update(b"  ");
        hasher.update(path.as_bytes());
        hasher.update(b"\n");
    }
    hex(&hasher.finalize())
}

/// The hash in `MANIFEST.sha256`: exactly one `sha256sum` line for
/// `manifest.json` (text or binary mode marker).
fn parse_hash_line(bytes: &[u8]) -> Result<String, VerifyError> {
    let bad =
        || VerifyError::BadManifest(format!("{MANIFEST_HASH_PATH} is not one sha256sum line"));
    let text = std::str::from_utf8(bytes).map_err(|_| bad())?;
    let line = text.strip_suffix('\n').unwrap_or(text);
    let (hash, name) = line.split_once(' ').ok_or_else(bad)?;
    let name = name.strip_prefix([' ', '*']).ok_or_else(bad)?;
    if name != MANIFEST_PATH || !is_sha256_hex(hash) {
        return Err(bad());
    }
    Ok(hash.to_string())
}

fn is_reserved(path: &str) -> bool {
    let lower = path.to_lowercase();
    lower == MANIFEST_PATH || lower == MANIFEST_HASH_PATH.to_lowercase()
}

/// A relative path that stays inside the folder it is extracted into, on
/// every system: `/`-separated, no empty, `.` or `..` component, no
/// absolute or drive path, no backslash, colon or control character.
fn is_safe_path(path: &str) -> bool {
    !path.is_empty()
        && path.len() <= MAX_PATH_BYTES
        && !path.contains(['\\', ':'])
        && !path.chars().any(char::is_control)
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

/// The zip timestamp for `iso` ("2026-12-05T10:00:00+07:00" → that wall
/// clock time); the zip epoch when it cannot be read, so the output stays
/// a function of the input.
fn zip_time(iso: &str) -> DateTime {
    let num = |range: std::ops::Range<usize>| iso.get(range).and_then(|s| s.parse::<u16>().ok());
    let parts = (
        num(0..4),
        num(5..7),
        num(8..10),
        num(11..13),
        num(14..16),
        num(17..19),
    );
    let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(s)) = parts else {
        return DateTime::default();
    };
    let small = |v: u16| u8::try_from(v).unwrap_or(u8::MAX);
    DateTime::from_date_and_time(y, small(mo), small(d), small(h), small(mi), small(s))
        .unwrap_or_default()
}

/// Sizes and signatures of the zip records (APPNOTE 4.3.7, 4.3.12, 4.3.16).
const LOCAL_SIGNATURE: u32 = 0x0403_4b50;
const CENTRAL_SIGNATURE: u32 = 0x0201_4b50;
const END_SIGNATURE: u32 = 0x0605_4b50;
const LOCAL_LEN: usize = 30;
const CENTRAL_LEN: usize = 46;
const END_LEN: usize = 22;
/// Flags this format never writes: encrypted (bit 0), sizes in a trailing
/// data descriptor (bit 3).
const REFUSED_FLAGS: u16 = 0x0009;

/// Walks the zip's records as this module writes them and returns every
/// central-directory name, in order. Each entry's local header must repeat
/// its central record (versions, flags, method, time, CRC, sizes, name,
/// extra field); local entries follow each other from offset 0 without
/// gaps, then the central directory, then the end record with no comment;
/// the attributes only the central directory holds (the system that made
/// it, internal and external attributes) must be the same for every entry,
/// as every entry is written with the same options. Together with the hashes
/// of content and compressed bytes, this leaves no byte of a package that
/// can change unnoticed.
fn check_layout(bytes: &[u8]) -> Result<Vec<Vec<u8>>, VerifyError> {
    let layout = |why: &str| VerifyError::Layout(why.to_string());
    let truncated = || layout("a record runs past the end of the file");
    let u16_at = |at: usize| -> Result<u16, VerifyError> {
        let b = bytes.get(at..at + 2).ok_or_else(truncated)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    };
    let u32_at = |at: usize| -> Result<u32, VerifyError> {
        let b = bytes.get(at..at + 4).ok_or_else(truncated)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let usize_at = |at: usize| -> Result<usize, VerifyError> {
        usize::try_from(u32_at(at)?).map_err(|_| truncated())
    };

    let end = bytes.len().checked_sub(END_LEN).ok_or_else(truncated)?;
    if u32_at(end)? != END_SIGNATURE {
        return Err(layout(
            "the end record is not at the very end (data appended, or an archive comment)",
        ));
    }
    let (disk, directory_disk) = (u16_at(end + 4)?, u16_at(end + 6)?);
    let (on_disk, count) = (u16_at(end + 8)?, u16_at(end + 10)?);
    let (directory_len, directory_at) = (usize_at(end + 12)?, usize_at(end + 16)?);
    if disk != 0 || directory_disk != 0 || on_disk != count || u16_at(end + 20)? != 0 {
        return Err(layout("the end record's counts were changed"));
    }
    if directory_at.checked_add(directory_len) != Some(end) {
        return Err(layout(
            "the central directory is not where the end record says",
        ));
    }

    let mut names = Vec::with_capacity(usize::from(count));
    let mut uniform: Option<(u8, u16, u32)> = None;
    let (mut central, mut local) = (directory_at, 0usize);
    for _ in 0..count {
        if u32_at(central)? != CENTRAL_SIGNATURE {
            return Err(layout("a central directory record is damaged"));
        }
        let name_len = usize::from(u16_at(central + 28)?);
        let extra_len = usize::from(u16_at(central + 30)?);
        let name_end = central + CENTRAL_LEN + name_len;
        let name = bytes
            .get(central + CENTRAL_LEN..name_end)
            .ok_or_else(truncated)?;
        let path = || String::from_utf8_lossy(name).into_owned();
        let name_and_extra = bytes
            .get(central + CENTRAL_LEN..name_end + extra_len)
            .ok_or_else(truncated)?;
        // Comment length and disk number: never written.
        if u16_at(central + 32)? != 0 || u16_at(central + 34)? != 0 {
            return Err(VerifyError::HeaderMismatch { path: path() });
        }
        if u16_at(central + 8)? & REFUSED_FLAGS != 0 {
            return Err(layout(&format!("{}: encrypted or streamed entry", path())));
        }
        // "Version made by" is the writer's system (same for every entry)
        // and the version it wrote to, which the zip writer sets to the
        // entry's "version needed" (1.0 stored, 2.0 deflated).
        let [made_by_version, made_by_system] = u16_at(central + 4)?.to_le_bytes();
        let attributes = (made_by_system, u16_at(central + 36)?, u32_at(central + 38)?);
        if *uniform.get_or_insert(attributes) != attributes
            || u16::from(made_by_version) != u16_at(central + 6)?
        {
            return Err(VerifyError::HeaderMismatch { path: path() });
        }
        if usize_at(central + 42)? != local || u32_at(local)? != LOCAL_SIGNATURE {
            return Err(layout(&format!(
                "{}: the entry is not where expected",
                path()
            )));
        }
        // Local bytes 4..30 (version needed … extra length) are central
        // bytes 6..32; then the same name and extra field.
        let repeated = bytes
            .get(local + 4..local + LOCAL_LEN)
            .ok_or_else(truncated)?;
        let local_name = bytes
            .get(local + LOCAL_LEN..local + LOCAL_LEN + name_and_extra.len())
            .ok_or_else(truncated)?;
        if repeated != &bytes[central + 6..central + 32] || local_name != name_and_extra {
            return Err(VerifyError::HeaderMismatch { path: path() });
        }
        local += LOCAL_LEN + name_and_extra.len() + usize_at(central + 20)?;
        central = name_end + extra_len;
        names.push(name.to_vec());
    }
    if local != directory_at || central != end {
        return Err(layout("there are bytes between the zip's records"));
    }
    Ok(names)
}

#[cfg(test)]
#[path = "package_tests.rs"]
mod tests;
