//! `audit verify` on a database: the audit chain entry by entry, then each
//! attempt's answer-event chain, then whether the events still are what
//! the attempt's `attempt_final` entries committed. It stops at the first
//! broken entry and names it.
//!
//! Why the last step: an answer event's chain alone can be recomputed by
//! whoever edits the database. The `attempt_final` entry puts the events'
//! head into the audit chain, so rewriting answers means rewriting the
//! audit chain from that entry on — and the audit head printed on the
//! results page and the room minutes no longer matches.

use std::collections::HashMap;

use examgate_shared::audit_chain::{
    ATTEMPT_FINAL, AnswerEvent, AuditBreak, AuditChain, AuditEntry, EventBreak, EventChain,
    FinalCommit, Hash, Verified, events_genesis,
};
use rusqlite::Connection;

/// What a database that verified holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    /// The audit chain: entries and head.
    pub audit: Verified,
    /// Attempts whose event chains were checked.
    pub attempts: u64,
    /// Answer events checked.
    pub events: u64,
    /// Ended attempts whose events matched their `attempt_final` entry.
    pub committed: u64,
}

/// The first broken entry, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Finding {
    #[error(transparent)]
    Audit(#[from] AuditBreak),
    #[error(transparent)]
    Events(#[from] EventBreak),
    #[error("audit entry {entry}: its attempt_final detail cannot be read")]
    UnreadableCommit { entry: u64 },
    #[error("audit entry {entry}: names attempt {attempt}, which is not stored (removed)")]
    UnknownAttempt { entry: u64, attempt: u64 },
    #[error("attempt {attempt}: events are stored for it but the attempt is not (removed)")]
    OrphanEvents { attempt: u64 },
    #[error(
        "attempt {attempt} event {seq}: the events up to it differ from what audit entry {entry} committed (changed and rehashed)"
    )]
    CommitMismatch { attempt: u64, seq: u64, entry: u64 },
    #[error(
        "attempt {attempt}: audit entry {entry} committed {committed} event(s), only {stored} are stored (removed)"
    )]
    CommittedMissing {
        attempt: u64,
        entry: u64,
        committed: u64,
        stored: u64,
    },
    #[error(
        "attempt {attempt} event {seq}: accepted after the attempt ended (audit entry {entry} committed {committed} event(s))"
    )]
    AcceptedAfterEnd {
        attempt: u64,
        seq: u64,
        entry: u64,
        committed: u64,
    },
    #[error("attempt {attempt}: {status}, but no attempt_final audit entry commits its events")]
    Uncommitted { attempt: u64, status: String },
}

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("NOT verified: {0}")]
    Broken(#[from] Finding),
    #[error(
        "this database has no hash chains yet (schema before 6): start the relay once to upgrade it, then verify"
    )]
    Unchained,
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// Verifies everything in `conn` (read-only; a running relay may keep
/// writing — the check sees one consistent snapshot when run in a
/// transaction).
pub fn verify_database(conn: &Connection) -> Result<Report, VerifyError> {
    let chained = |table: &str| {
        conn.prepare(&format!("SELECT hash FROM {table} LIMIT 0"))
            .is_ok()
    };
    if !chained("audit") || !chained("events") {
        return Err(VerifyError::Unchained);
    }
    let (audit, commits) = walk_audit(conn)?;
    let attempts: Vec<(u64, Option<String>)> = conn
        .prepare("SELECT id, final_status FROM attempts ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let stored: HashMap<u64, bool> = attempts.iter().map(|(id, s)| (*id, s.is_some())).collect();
    // Commits in entry order: the first one naming a missing attempt.
    let mut named: Vec<(u64, u64)> = commits
        .iter()
        .flat_map(|(attempt, list)| list.iter().map(|(entry, _)| (*entry, *attempt)))
        .filter(|(_, attempt)| !stored.contains_key(attempt))
        .collect();
    named.sort_unstable();
    if let Some(&(entry, attempt)) = named.first() {
        return Err(Finding::UnknownAttempt { entry, attempt }.into());
    }
    let orphan: Option<u64> = conn.query_row(
        "SELECT MIN(attempt_id) FROM events WHERE attempt_id NOT IN (SELECT id FROM attempts)",
        [],
        |r| r.get(0),
    )?;
    if let Some(attempt) = orphan {
        return Err(Finding::OrphanEvents { attempt }.into());
    }

    let mut report = Report {
        audit,
        attempts: 0,
        events: 0,
        committed: 0,
    };
    let mut events = conn.prepare(
        "SELECT seq, received_at, event, refused, hash FROM events
         WHERE attempt_id = ?1 ORDER BY seq",
    )?;
    let none = Vec::new();
    for (attempt, final_status) in &attempts {
        let mut walk = AttemptWalk {
            chain: EventChain::new(*attempt),
            commits: commits.get(attempt).unwrap_or(&none),
            ended: final_status.is_some(),
        };
        let mut rows = events.query([attempt])?;
        while let Some(r) = rows.next()? {
            let event = AnswerEvent {
                seq: r.get(0)?,
                received_at: r.get(1)?,
                event: r.get(2)?,
                refused: r.get(3)?,
            };
            walk.push(&event, as_hash(r.get(4)?).as_ref())?;
        }
        report.events += walk.chain.verified().count;
        walk.finish(final_status.as_deref())?;
        report.attempts += 1;
        report.committed += u64::from(final_status.is_some());
    }
    Ok(report)
}

/// The commits of each attempt, in entry order: (entry id, commit).
type Commits = HashMap<u64, Vec<(u64, FinalCommit)>>;

/// Streams the audit rows through the chain, collecting the
/// `attempt_final` commits of the entries that verified.
fn walk_audit(conn: &Connection) -> Result<(Verified, Commits), VerifyError> {
    let mut chain = AuditChain::default();
    let mut commits: Commits = HashMap::new();
    let mut stmt =
        conn.prepare("SELECT id, at, actor, action, detail, hash FROM audit ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let entry = AuditEntry {
            id: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            detail: r.get(4)?,
        };
        chain
            .push(&entry, as_hash(r.get(5)?).as_ref())
            .map_err(Finding::from)?;
        if entry.action == ATTEMPT_FINAL {
            let commit = FinalCommit::parse(&entry.detail)
                .ok_or(Finding::UnreadableCommit { entry: entry.id })?;
            commits
                .entry(commit.attempt_id)
                .or_default()
                .push((entry.id, commit));
        }
    }
    Ok((chain.verified(), commits))
}

/// One attempt's events against its chain and its commits.
struct AttemptWalk<'a> {
    chain: EventChain,
    commits: &'a [(u64, FinalCommit)],
    ended: bool,
}

impl AttemptWalk<'_> {
    fn push(&mut self, event: &AnswerEvent, stored: Option<&Hash>) -> Result<(), Finding> {
        self.chain.push(event, stored)?;
        let attempt = self.chain.attempt_id();
        let head = self.chain.verified().head;
        for (entry, commit) in self.commits {
            if commit.events == event.seq && commit.head != head {
                return Err(Finding::CommitMismatch {
                    attempt,
                    seq: event.seq,
                    entry: *entry,
                });
            }
        }
        // An ended attempt takes no answers: after its last commit, only
        // refused events (sent too late) may follow.
        if let Some((entry, last)) = self.commits.last()
            && self.ended
            && event.seq > last.events
            && event.refused.is_none()
        {
            return Err(Finding::AcceptedAfterEnd {
                attempt,
                seq: event.seq,
                entry: *entry,
                committed: last.events,
            });
        }
        Ok(())
    }

    fn finish(&self, final_status: Option<&str>) -> Result<(), Finding> {
        let attempt = self.chain.attempt_id();
        let stored = self.chain.verified().count;
        for (entry, commit) in self.commits {
            if commit.events > stored {
                return Err(Finding::CommittedMissing {
                    attempt,
                    entry: *entry,
                    committed: commit.events,
                    stored,
                });
            }
            if commit.events == 0 && commit.head != events_genesis(attempt) {
                return Err(Finding::CommitMismatch {
                    attempt,
                    seq: 0,
                    entry: *entry,
                });
            }
        }
        match final_status {
            Some(status) if self.commits.is_empty() => Err(Finding::Uncommitted {
                attempt,
                status: status.to_owned(),
            }),
            _ => Ok(()),
        }
    }
}

/// A stored hash; a value that is not 32 bytes long stands as one that
/// matches nothing (all zero bits), so it is reported as a mismatch.
fn as_hash(stored: Option<Vec<u8>>) -> Option<Hash> {
    stored.map(|b| Hash::try_from(b.as_slice()).unwrap_or_default())
}

#[cfg(test)]
#[path = "verify_tests.rs"]
mod tests;
