//! The tamper-evident record, checked from outside the running relay:
//! `examgate-relay audit verify` and `audit export`, and the chain head
//! staff pages print (`GET /api/audit/head`).
//!
//! The chains themselves are `examgate_shared::audit_chain`; the relay
//! writes them in `store::writes` (`audit`, `insert_event`,
//! `finish_attempt`). Here they are read back:
//!
//! - [`verify`]: the whole database — the audit chain, every attempt's
//!   answer-event chain, and that each `attempt_final` entry still names
//!   the events its attempt has — stopping at the first broken entry.
//! - [`export`]: the audit trail as JSON lines (the inspection package
//!   carries the same file), and the check of such a file.
//! - [`cli`]: the sub-commands' printing and exit status.

pub mod cli;
pub mod export;
pub mod verify;

use crate::args;
use crate::store::db::{Db, DbError, OptionalRow};
use examgate_shared::audit_chain::{ChainHead, audit_genesis, to_hex};

pub use verify::{Finding, Report, VerifyError, verify_database};

/// The chain's head as stored: the last entry's id, hash and time, and how
/// many entries there are. Not a verification: what an inspector writes
/// down to compare with a later `audit verify`.
pub fn read_head(conn: Db<'_>) -> Result<ChainHead, DbError> {
    let entries: u64 = conn.query_row("SELECT COUNT(*) FROM audit", args![], |r| r.get(0))?;
    let last = conn
        .query_row(
            "SELECT id, at, hash FROM audit ORDER BY id DESC LIMIT 1",
            args![],
            |r| {
                Ok((
                    r.get::<u64>(0)?,
                    r.get::<i64>(1)?,
                    r.get::<Option<Vec<u8>>>(2)?,
                ))
            },
        )
        .optional()?;
    Ok(match last {
        Some((id, at, hash)) => ChainHead {
            entries,
            id,
            hash: hash.map(|h| hex(&h)).unwrap_or_default(),
            at: Some(at),
        },
        None => ChainHead {
            entries,
            id: 0,
            hash: to_hex(&audit_genesis()),
            at: None,
        },
    })
}

/// Stored hash bytes as hex, whatever their length (a damaged value shows
/// as it is).
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
