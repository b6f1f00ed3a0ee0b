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
//!
//! Then the marks: every exam definition (the key) must be the one its
//! last `exam_definition` entry committed, and every ended attempt's stored
//! score must be what grading its chained answers with that key gives — so
//! neither a key nor a mark can be changed in the database unseen.

use std::collections::HashMap;

use crate::args;
use crate::store::db::{Db, DbError};
use examgate_shared::attempt::{Attempt, StudentEvent};
use examgate_shared::audit_chain::{
    ATTEMPT_FINAL, AnswerEvent, AuditBreak, AuditChain, AuditEntry, EXAM_DEFINITION, EventBreak,
    EventChain, ExamCommit, FinalCommit, Hash, Verified, events_genesis,
};
use examgate_shared::exam::Exam;
use examgate_shared::scoring::grade;

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
    #[error(
        "exam {exam}: its definition is stored but no exam_definition audit entry commits it (inserted behind the relay)"
    )]
    ExamUncommitted { exam: String },
    #[error(
        "exam {exam}: its definition differs from what audit entry {entry} committed (the key or points were changed)"
    )]
    ExamChanged { exam: String, entry: u64 },
    #[error(
        "attempt {attempt}: the stored score {stored} is not what its answers and its exam's key give ({computed}) (changed)"
    )]
    ScoreMismatch {
        attempt: u64,
        stored: String,
        computed: String,
    },
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
    Db(#[from] DbError),
}

/// Verifies everything in `conn` (read-only; a running relay may keep
/// writing — the check sees one consistent snapshot when run in a
/// transaction).
pub fn verify_database(conn: Db<'_>) -> Result<Report, VerifyError> {
    let chained = |table: &str| {
        conn.query_map(
            &format!("SELECT hash FROM {table} LIMIT 0"),
            args![],
            |_| Ok(()),
        )
        .is_ok()
    };
    if !chained("audit") || !chained("events") {
        return Err(VerifyError::Unchained);
    }
    let (audit, commits, exam_commits) = walk_audit(conn)?;
    let exams = check_exams(conn, &exam_commits)?;
    let attempts: Vec<StoredAttempt> = conn.query_map(
        "SELECT a.id, a.final_status, a.score, s.exam_id
         FROM attempts a JOIN candidates c ON c.id = a.candidate_id
                         JOIN sittings s ON s.id = c.sitting_id
         ORDER BY a.id",
        args![],
        |r| {
            Ok(StoredAttempt {
                id: r.get(0)?,
                final_status: r.get(1)?,
                score: r.get(2)?,
                exam_id: r.get(3)?,
            })
        },
    )?;
    let stored: HashMap<u64, bool> = attempts
        .iter()
        .map(|a| (a.id, a.final_status.is_some()))
        .collect();
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
        args![],
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
    let none = Vec::new();
    for stored in &attempts {
        let (attempt, final_status) = (&stored.id, &stored.final_status);
        let mut walk = AttemptWalk {
            chain: EventChain::new(*attempt),
            commits: commits.get(attempt).unwrap_or(&none),
            ended: final_status.is_some(),
            answers: Attempt::default(),
        };
        conn.try_each(
            "SELECT seq, received_at, event, refused, hash FROM events
             WHERE attempt_id = ?1 ORDER BY seq",
            args![attempt],
            |r| {
                let event = AnswerEvent {
                    seq: r.get(0)?,
                    received_at: r.get(1)?,
                    event: r.get(2)?,
                    refused: r.get(3)?,
                };
                walk.push(&event, as_hash(r.get(4)?).as_ref())?;
                Ok::<_, VerifyError>(true)
            },
        )?;
        report.events += walk.chain.verified().count;
        walk.finish(final_status.as_deref())?;
        if let (Some(score), Some(exam)) = (&stored.score, exams.get(&stored.exam_id)) {
            let (num, den) = grade(exam, &walk.answers.answers).score.fraction();
            let computed = format!("{num}/{den}");
            if *score != computed {
                return Err(Finding::ScoreMismatch {
                    attempt: *attempt,
                    stored: score.clone(),
                    computed,
                }
                .into());
            }
        }
        report.attempts += 1;
        report.committed += u64::from(final_status.is_some());
    }
    Ok(report)
}

/// The commits of each attempt, in entry order: (entry id, commit).
type Commits = HashMap<u64, Vec<(u64, FinalCommit)>>;

/// The last commit of each exam definition: (entry id, commit).
type ExamCommits = HashMap<String, (u64, ExamCommit)>;

/// An attempt row as verification needs it.
struct StoredAttempt {
    id: u64,
    final_status: Option<String>,
    /// The exact score as stored (`num/den`), once final.
    score: Option<String>,
    exam_id: String,
}

/// Every stored exam definition against its last commit; the definitions,
/// read, for grading.
fn check_exams(conn: Db<'_>, commits: &ExamCommits) -> Result<HashMap<String, Exam>, VerifyError> {
    let mut exams = HashMap::new();
    let stored = conn.query_map(
        "SELECT id, definition FROM exams ORDER BY id",
        args![],
        |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)),
    )?;
    for (id, definition) in stored {
        let Some((entry, commit)) = commits.get(&id) else {
            return Err(Finding::ExamUncommitted { exam: id }.into());
        };
        if *commit != ExamCommit::of(&id, &definition) {
            return Err(Finding::ExamChanged {
                exam: id,
                entry: *entry,
            }
            .into());
        }
        // A committed definition that does not read is the relay's own
        // (an older format); its marks are not checked here.
        if let Ok(exam) = serde_json::from_str::<Exam>(&definition) {
            exams.insert(id, exam);
        }
    }
    Ok(exams)
}

/// Streams the audit rows through the chain, collecting the
/// `attempt_final` commits of the entries that verified.
fn walk_audit(conn: Db<'_>) -> Result<(Verified, Commits, ExamCommits), VerifyError> {
    let mut chain = AuditChain::default();
    let mut commits: Commits = HashMap::new();
    let mut exam_commits: ExamCommits = HashMap::new();
    conn.try_each(
        "SELECT id, at, actor, action, detail, hash FROM audit ORDER BY id",
        args![],
        |r| {
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
            if entry.action == EXAM_DEFINITION
                && let Some(commit) = ExamCommit::parse(&entry.detail)
            {
                exam_commits.insert(commit.exam_id.clone(), (entry.id, commit));
            }
            Ok::<_, VerifyError>(true)
        },
    )?;
    Ok((chain.verified(), commits, exam_commits))
}

/// One attempt's events against its chain and its commits.
struct AttemptWalk<'a> {
    chain: EventChain,
    commits: &'a [(u64, FinalCommit)],
    ended: bool,
    /// The answers the chained events leave, by the shared rules.
    answers: Attempt,
}

impl AttemptWalk<'_> {
    fn push(&mut self, event: &AnswerEvent, stored: Option<&Hash>) -> Result<(), Finding> {
        self.chain.push(event, stored)?;
        match (
            &event.refused,
            serde_json::from_str::<StudentEvent>(&event.event),
        ) {
            (None, Ok(e)) => self.answers.apply(event.seq, &e, event.received_at),
            _ => self.answers.consume_refused(event.seq),
        }
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
