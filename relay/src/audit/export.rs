//! The audit trail as JSON lines, one entry per line in id order:
//! `{"id":…,"at":…,"actor":…,"action":…,"detail":…,"hash":"<64 hex>"}`
//! (`hash` is null for an entry stored without one). `audit export` writes
//! it and the inspection package carries it as `audit.jsonl`; `audit
//! verify --file` checks it with the same chain as the database, so an
//! inspector can verify a copy without the relay's database.

use std::io::{BufRead, Write};

use crate::args;
use crate::store::db::{Db, DbError};
use examgate_shared::Millis;
use examgate_shared::audit_chain::{AuditBreak, AuditChain, AuditEntry, Verified, parse_hex};
use serde::{Deserialize, Serialize};

/// One line of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    pub id: u64,
    pub at: Millis,
    pub actor: String,
    pub action: String,
    pub detail: String,
    pub hash: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("database: {0}")]
    Db(#[from] DbError),
    #[error("writing: {0}")]
    Io(#[from] std::io::Error),
}

/// Writes every audit entry of `conn` to `out`; how many.
pub fn export(conn: Db<'_>, out: &mut impl Write) -> Result<u64, ExportError> {
    each_line(conn, |line| {
        serde_json::to_writer(&mut *out, line).map_err(std::io::Error::other)?;
        out.write_all(b"\n")?;
        Ok(())
    })
}

/// The same lines in memory (the inspection package's `audit.jsonl`).
pub fn export_bytes(conn: Db<'_>) -> Result<Vec<u8>, DbError> {
    let mut out = Vec::new();
    each_line(conn, |line| {
        serde_json::to_writer(&mut out, line).expect("JSON of plain fields into a Vec");
        out.push(b'\n');
        Ok::<_, DbError>(())
    })?;
    Ok(out)
}

/// Every entry as a line, in id order; how many.
fn each_line<E: From<DbError>>(
    conn: Db<'_>,
    mut f: impl FnMut(&Line) -> Result<(), E>,
) -> Result<u64, E> {
    let mut count = 0;
    conn.try_each(
        "SELECT id, at, actor, action, detail, hash FROM audit ORDER BY id",
        args![],
        |r| {
            f(&Line {
                id: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                action: r.get(3)?,
                detail: r.get(4)?,
                hash: r.get::<Option<Vec<u8>>>(5)?.map(|h| super::hex(&h)),
            })?;
            count += 1;
            Ok::<_, E>(true)
        },
    )?;
    Ok(count)
}

/// Why an exported file does not verify: the first broken entry, or a
/// line that is not an entry at all.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("NOT verified: line {line}: {entry}")]
    Broken { line: u64, entry: AuditBreak },
    #[error("NOT verified: line {line} is not an audit entry: {reason}")]
    Unreadable { line: u64, reason: String },
    #[error("reading: {0}")]
    Io(#[from] std::io::Error),
}

/// Checks an exported file line by line (blank lines ignored).
pub fn verify_file(input: impl BufRead) -> Result<Verified, FileError> {
    let mut chain = AuditChain::default();
    for (n, text) in input.lines().enumerate() {
        let line = n as u64 + 1;
        let text = text?;
        if text.trim().is_empty() {
            continue;
        }
        let parsed: Line = serde_json::from_str(&text).map_err(|e| FileError::Unreadable {
            line,
            reason: e.to_string(),
        })?;
        // A hash that is not 64 hex digits matches nothing.
        let stored = parsed
            .hash
            .as_deref()
            .map(|h| parse_hex(h).unwrap_or_default());
        let entry = AuditEntry {
            id: parsed.id,
            at: parsed.at,
            actor: parsed.actor,
            action: parsed.action,
            detail: parsed.detail,
        };
        chain
            .push(&entry, stored.as_ref())
            .map_err(|entry| FileError::Broken { line, entry })?;
    }
    Ok(chain.verified())
}
