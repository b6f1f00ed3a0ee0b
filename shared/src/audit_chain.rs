//! Tamper evidence for the record: two kinds of SHA-256 hash chain.
//!
//! - **The audit trail**: entry *n*'s hash commits to entry *n − 1*'s hash
//!   and to entry *n* itself (id, time, actor, action, detail); entry 1
//!   links to [`audit_genesis`]. Changing, inserting or removing an entry
//!   breaks the link of the first entry after the change, unless every
//!   later hash is recomputed too — which changes the head, and the head
//!   is printed where the database cannot reach it (results page, room
//!   minutes).
//! - **Each attempt's answer events**: event *n*'s hash commits to event
//!   *n − 1*'s hash of the same attempt and to event *n* (attempt, number,
//!   relay time, the event's JSON as stored, the refusal code or none);
//!   event 1 links to [`events_genesis`] of its attempt. When an attempt
//!   ends, an [`ATTEMPT_FINAL`] audit entry names its events' head
//!   ([`FinalCommit`]), which ties the answers into the audit chain.
//!
//! The encoding is canonical and unambiguous, so an inspector can
//! re-implement it (docs/audit.md): a domain-separation tag, the previous
//! hash (32 bytes), integers as 8 bytes big-endian (times signed), strings
//! as their UTF-8 byte length (8 bytes big-endian) then the bytes, an
//! optional string as one byte 0 (none) or 1 followed by the string.
//!
//! Sans-IO: the relay reads rows and feeds them to [`AuditChain`] and
//! [`EventChain`], which say whether each stored hash is the one expected.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::Millis;

/// A SHA-256 value.
pub type Hash = [u8; 32];

/// Tags that keep an audit hash from ever equalling an event hash or a
/// genesis value: each hash starts with its own.
const AUDIT_TAG: &str = "examgate/audit-entry/v1";
const EVENT_TAG: &str = "examgate/answer-event/v1";
const AUDIT_GENESIS_TAG: &str = "examgate/audit-genesis/v1";
const EVENTS_GENESIS_TAG: &str = "examgate/answer-events-genesis/v1";

/// The audit action whose detail commits an ended attempt's events.
pub const ATTEMPT_FINAL: &str = "attempt_final";

/// The audit action whose detail commits an exam definition (its key and
/// points) as stored, when it is stored and at every correction.
pub const EXAM_DEFINITION: &str = "exam_definition";

/// The canonical encoding, fed straight into the hash.
struct Canon(Sha256);

impl Canon {
    fn new(tag: &str) -> Canon {
        let mut c = Canon(Sha256::new());
        c.text(tag);
        c
    }

    fn hash(mut self, h: &Hash) -> Canon {
        self.0.update(h);
        self
    }

    fn u64(mut self, n: u64) -> Canon {
        self.0.update(n.to_be_bytes());
        self
    }

    fn i64(mut self, n: i64) -> Canon {
        self.0.update(n.to_be_bytes());
        self
    }

    fn text(&mut self, s: &str) {
        self.0.update((s.len() as u64).to_be_bytes());
        self.0.update(s.as_bytes());
    }

    fn str(mut self, s: &str) -> Canon {
        self.text(s);
        self
    }

    fn opt_str(mut self, s: Option<&str>) -> Canon {
        match s {
            None => self.0.update([0]),
            Some(s) => {
                self.0.update([1]);
                self.text(s);
            }
        }
        self
    }

    fn finish(self) -> Hash {
        self.0.finalize().into()
    }
}

/// What audit entry 1 links to.
pub fn audit_genesis() -> Hash {
    Canon::new(AUDIT_GENESIS_TAG).finish()
}

/// What event 1 of `attempt_id` links to: one value per attempt, so an
/// attempt's events cannot pass for another's.
pub fn events_genesis(attempt_id: u64) -> Hash {
    Canon::new(EVENTS_GENESIS_TAG).u64(attempt_id).finish()
}

/// One audit entry as stored (its hash apart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: u64,
    pub at: Millis,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

impl AuditEntry {
    /// This entry's hash after the entry whose hash is `prev`.
    pub fn link(&self, prev: &Hash) -> Hash {
        audit_link(
            prev,
            self.id,
            self.at,
            &self.actor,
            &self.action,
            &self.detail,
        )
    }
}

/// An audit entry's hash from its fields, for the writer that has them
/// apart.
pub fn audit_link(
    prev: &Hash,
    id: u64,
    at: Millis,
    actor: &str,
    action: &str,
    detail: &str,
) -> Hash {
    Canon::new(AUDIT_TAG)
        .hash(prev)
        .u64(id)
        .i64(at)
        .str(actor)
        .str(action)
        .str(detail)
        .finish()
}

/// One stored answer event of an attempt (its hash apart). `event` is the
/// JSON text exactly as stored; `refused` the error code it was refused
/// with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerEvent {
    pub seq: u64,
    pub received_at: Millis,
    pub event: String,
    pub refused: Option<String>,
}

impl AnswerEvent {
    /// This event's hash in `attempt_id`'s chain after the event whose
    /// hash is `prev`.
    pub fn link(&self, prev: &Hash, attempt_id: u64) -> Hash {
        event_link(
            prev,
            attempt_id,
            self.seq,
            self.received_at,
            &self.event,
            self.refused.as_deref(),
        )
    }
}

/// An answer event's hash from its fields.
pub fn event_link(
    prev: &Hash,
    attempt_id: u64,
    seq: u64,
    received_at: Millis,
    event: &str,
    refused: Option<&str>,
) -> Hash {
    Canon::new(EVENT_TAG)
        .hash(prev)
        .u64(attempt_id)
        .u64(seq)
        .i64(received_at)
        .str(event)
        .opt_str(refused)
        .finish()
}

/// What is wrong with the first broken entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("no hash stored (written outside the relay?)")]
    MissingHash,
    #[error("hash does not match (changed, inserted or removed)")]
    Mismatch,
    /// The numbers jump: `expected` onwards is missing.
    #[error("number {expected} is missing before it (removed)")]
    Gap { expected: u64 },
}

/// The first broken audit entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("audit entry {id}: {problem}")]
pub struct AuditBreak {
    pub id: u64,
    pub problem: Problem,
}

/// The first broken answer event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("attempt {attempt_id} event {seq}: {problem}")]
pub struct EventBreak {
    pub attempt_id: u64,
    pub seq: u64,
    pub problem: Problem,
}

/// A chain that verified: how many entries, and the last one's hash (the
/// genesis value when empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    pub count: u64,
    pub head: Hash,
}

/// Checks a stored hash against the expected one.
fn check(stored: Option<&Hash>, expected: &Hash) -> Result<(), Problem> {
    match stored {
        None => Err(Problem::MissingHash),
        Some(h) if h != expected => Err(Problem::Mismatch),
        Some(_) => Ok(()),
    }
}

/// The audit trail walked in id order, one entry at a time (a relay's
/// database streams its rows through it).
#[derive(Debug, Clone)]
pub struct AuditChain {
    next_id: u64,
    verified: Verified,
}

impl Default for AuditChain {
    fn default() -> Self {
        AuditChain {
            next_id: 1,
            verified: Verified {
                count: 0,
                head: audit_genesis(),
            },
        }
    }
}

impl AuditChain {
    /// Checks the next entry and its stored hash; on success the stored
    /// hash becomes the head.
    pub fn push(&mut self, entry: &AuditEntry, stored: Option<&Hash>) -> Result<(), AuditBreak> {
        let broken = |problem| AuditBreak {
            id: entry.id,
            problem,
        };
        if entry.id != self.next_id {
            return Err(broken(Problem::Gap {
                expected: self.next_id,
            }));
        }
        let expected = entry.link(&self.verified.head);
        check(stored, &expected).map_err(broken)?;
        self.next_id += 1;
        self.verified = Verified {
            count: self.verified.count + 1,
            head: expected,
        };
        Ok(())
    }

    pub fn verified(&self) -> Verified {
        self.verified
    }
}

/// One attempt's answer events walked in number order.
#[derive(Debug, Clone)]
pub struct EventChain {
    attempt_id: u64,
    verified: Verified,
}

impl EventChain {
    pub fn new(attempt_id: u64) -> EventChain {
        EventChain {
            attempt_id,
            verified: Verified {
                count: 0,
                head: events_genesis(attempt_id),
            },
        }
    }

    /// Checks the next event and its stored hash. Events are numbered from
    /// 1 without gaps, so after event `n` the chain has `n` events.
    pub fn push(&mut self, event: &AnswerEvent, stored: Option<&Hash>) -> Result<(), EventBreak> {
        let broken = |problem| EventBreak {
            attempt_id: self.attempt_id,
            seq: event.seq,
            problem,
        };
        let expected_seq = self.verified.count + 1;
        if event.seq != expected_seq {
            return Err(broken(Problem::Gap {
                expected: expected_seq,
            }));
        }
        let expected = event.link(&self.verified.head, self.attempt_id);
        check(stored, &expected).map_err(broken)?;
        self.verified = Verified {
            count: event.seq,
            head: expected,
        };
        Ok(())
    }

    pub fn attempt_id(&self) -> u64 {
        self.attempt_id
    }

    pub fn verified(&self) -> Verified {
        self.verified
    }
}

/// Verifies a whole audit trail given in id order.
pub fn verify_audit<'a>(
    entries: impl IntoIterator<Item = (&'a AuditEntry, Option<&'a Hash>)>,
) -> Result<Verified, AuditBreak> {
    let mut chain = AuditChain::default();
    for (entry, stored) in entries {
        chain.push(entry, stored)?;
    }
    Ok(chain.verified())
}

/// Verifies one attempt's events given in number order.
pub fn verify_events<'a>(
    attempt_id: u64,
    events: impl IntoIterator<Item = (&'a AnswerEvent, Option<&'a Hash>)>,
) -> Result<Verified, EventBreak> {
    let mut chain = EventChain::new(attempt_id);
    for (event, stored) in events {
        chain.push(event, stored)?;
    }
    Ok(chain.verified())
}

/// The detail of an [`ATTEMPT_FINAL`] entry: the attempt, how it ended, and
/// its events' chain as it stood then. Events after `events` can only be
/// refused ones (the attempt no longer takes answers) until a reopen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinalCommit {
    pub attempt_id: u64,
    /// `submitted` or `closed`.
    pub status: String,
    /// The number of the last event then (0: none).
    pub events: u64,
    /// Its hash ([`events_genesis`] when none).
    pub head: Hash,
}

impl FinalCommit {
    /// `attempt 3: submitted, 12 event(s), events head <64 hex digits>`.
    pub fn detail(&self) -> String {
        format!(
            "attempt {}: {}, {} event(s), events head {}",
            self.attempt_id,
            self.status,
            self.events,
            to_hex(&self.head)
        )
    }

    /// Reads back what [`FinalCommit::detail`] wrote.
    pub fn parse(detail: &str) -> Option<FinalCommit> {
        let rest = detail.strip_prefix("attempt ")?;
        let (attempt, rest) = rest.split_once(": ")?;
        let (status, rest) = rest.split_once(", ")?;
        let (events, rest) = rest.split_once(" event(s), events head ")?;
        Some(FinalCommit {
            attempt_id: attempt.parse().ok()?,
            status: status.to_owned(),
            events: events.parse().ok()?,
            head: parse_hex(rest)?,
        })
    }
}

/// An exam definition committed into the audit chain: the SHA-256 of the
/// exact text stored. Marks are computed from the answers and this key, so
/// a key changed in the database without a correction shows here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExamCommit {
    pub exam_id: String,
    pub definition: Hash,
}

impl ExamCommit {
    pub fn of(exam_id: &str, stored_definition: &str) -> ExamCommit {
        ExamCommit {
            exam_id: exam_id.to_owned(),
            definition: Sha256::digest(stored_definition.as_bytes()).into(),
        }
    }

    /// `exam toan-10: definition sha256 <64 hex digits>`.
    pub fn detail(&self) -> String {
        format!(
            "exam {}: definition sha256 {}",
            self.exam_id,
            to_hex(&self.definition)
        )
    }

    /// Reads back what [`ExamCommit::detail`] wrote.
    pub fn parse(detail: &str) -> Option<ExamCommit> {
        let rest = detail.strip_prefix("exam ")?;
        let (exam_id, hex) = rest.rsplit_once(": definition sha256 ")?;
        Some(ExamCommit {
            exam_id: exam_id.to_owned(),
            definition: parse_hex(hex)?,
        })
    }
}

/// The audit chain's head as `GET /api/audit/head` answers it and the
/// results page and the room minutes print it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainHead {
    /// Entries in the trail.
    pub entries: u64,
    /// The last entry's id (0: none yet).
    pub id: u64,
    /// The last entry's hash, 64 hex digits (the genesis value when none).
    pub hash: String,
    /// When the last entry was written (relay ms); `None` when none.
    pub at: Option<Millis>,
}

/// Lower-case hex, 64 digits.
pub fn to_hex(hash: &Hash) -> String {
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// 64 hex digits (either case) back to a hash.
pub fn parse_hex(text: &str) -> Option<Hash> {
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks(2).enumerate() {
        let pair = std::str::from_utf8(pair).ok()?;
        out[i] = u8::from_str_radix(pair, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
#[path = "audit_chain_tests.rs"]
mod tests;
