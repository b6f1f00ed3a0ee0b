//! What a run left in the relay's database, read back and checked against
//! what the students did (the chaos run on SQLite, the failover run on
//! PostgreSQL):
//!
//! - every event each student numbered is stored once, with the same
//!   content, in an unbroken sequence (no gap, no duplicate, nothing
//!   extra), refused exactly when the student was told so;
//! - every attempt is closed and graded once (one deadline close), at (not
//!   before) its deadline.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::path::Path;
use std::time::{Duration, Instant};

use examgate_shared::attempt::StudentEvent;

use crate::student::Outcome;

/// One attempt as stored.
#[derive(Debug, Default, Clone)]
pub struct StoredAttempt {
    /// (seq, event JSON, refusal code) in seq order.
    pub events: Vec<(u64, String, Option<String>)>,
    pub deadline_closes: i64,
    pub status: Option<String>,
    pub score: Option<String>,
    pub deadline: Option<i64>,
    pub finished: Option<i64>,
}

/// Every attempt as stored, by id.
#[derive(Debug, Default)]
pub struct Record {
    pub attempts: HashMap<u64, StoredAttempt>,
}

/// What [`Record::check`] found.
#[derive(Debug, Default)]
pub struct Check {
    pub events_numbered: u64,
    pub events_stored: u64,
    pub violations: Vec<String>,
}

const ATTEMPTS: &str = "SELECT id, final_status, score, deadline_at, finished_at FROM attempts";
const EVENTS: &str = "SELECT attempt_id, seq, event, refused FROM events ORDER BY attempt_id, seq";
const CLOSES: &str = "SELECT attempt_id, count(*) FROM attempt_controls
                      WHERE control LIKE '%deadline_close%' GROUP BY attempt_id";

impl Record {
    /// Reads a relay's SQLite file.
    pub fn read_sqlite(db: &Path) -> Result<Record, String> {
        let conn =
            rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .map_err(|e| e.to_string())?;
        let mut record = Record::default();
        let e = |e: rusqlite::Error| e.to_string();
        let mut stmt = conn.prepare(ATTEMPTS).map_err(e)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, u64>(0)?,
                    StoredAttempt {
                        status: r.get(1)?,
                        score: r.get(2)?,
                        deadline: r.get(3)?,
                        finished: r.get(4)?,
                        ..StoredAttempt::default()
                    },
                ))
            })
            .map_err(e)?;
        for row in rows {
            let (id, a) = row.map_err(e)?;
            record.attempts.insert(id, a);
        }
        let mut stmt = conn.prepare(EVENTS).map_err(e)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, u64>(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .map_err(e)?;
        for row in rows {
            let (id, seq, event, refused) = row.map_err(e)?;
            record.attempt(id).events.push((seq, event, refused));
        }
        let mut stmt = conn.prepare(CLOSES).map_err(e)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, u64>(0)?, r.get::<_, i64>(1)?)))
            .map_err(e)?;
        for row in rows {
            let (id, n) = row.map_err(e)?;
            record.attempt(id).deadline_closes = n;
        }
        Ok(record)
    }

    /// Reads a PostgreSQL database the relays share.
    pub async fn read_postgres(url: &str) -> Result<Record, String> {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .map_err(|e| e.to_string())?;
        let driver = tokio::spawn(connection);
        let e = |e: tokio_postgres::Error| e.to_string();
        let mut record = Record::default();
        for r in client.query(ATTEMPTS, &[]).await.map_err(e)? {
            record.attempts.insert(
                r.get::<_, i64>(0) as u64,
                StoredAttempt {
                    status: r.get(1),
                    score: r.get(2),
                    deadline: r.get(3),
                    finished: r.get(4),
                    ..StoredAttempt::default()
                },
            );
        }
        for r in client.query(EVENTS, &[]).await.map_err(e)? {
            let id = r.get::<_, i64>(0) as u64;
            let event = (r.get::<_, i64>(1) as u64, r.get(2), r.get(3));
            record.attempt(id).events.push(event);
        }
        for r in client.query(CLOSES, &[]).await.map_err(e)? {
            record.attempt(r.get::<_, i64>(0) as u64).deadline_closes = r.get(1);
        }
        drop(client);
        let _ = driver.await;
        Ok(record)
    }

    fn attempt(&mut self, id: u64) -> &mut StoredAttempt {
        self.attempts.entry(id).or_default()
    }

    /// Attempts with a final status.
    pub fn closed(&self) -> usize {
        self.attempts
            .values()
            .filter(|a| a.status.is_some())
            .count()
    }

    /// Checks the record against every student's outcome (module doc).
    pub fn check(&self, outcomes: &[Outcome]) -> Check {
        let mut check = Check::default();
        let empty = StoredAttempt::default();
        for o in outcomes {
            check.events_numbered += o.events.len() as u64;
            check.violations.extend(o.mismatches.iter().cloned());
            let Some(attempt) = o.attempt_id else {
                check.violations.push(format!("{}: never joined", o.name));
                continue;
            };
            if o.unsent > 0 {
                check.violations.push(format!(
                    "{}: {} events never acknowledged",
                    o.name, o.unsent
                ));
            }
            let a = self.attempts.get(&attempt).unwrap_or(&empty);
            check.events_stored += a.events.len() as u64;
            let stored: BTreeMap<u64, (&String, &Option<String>)> =
                a.events.iter().map(|(s, e, r)| (*s, (e, r))).collect();
            if stored.len() != a.events.len() {
                check
                    .violations
                    .push(format!("{}: a sequence number stored twice", o.name));
            }
            let expected: Vec<u64> = (1..=o.events.len() as u64).collect();
            let got: Vec<u64> = stored.keys().copied().collect();
            if got != expected {
                check.violations.push(format!(
                    "{}: stored numbers {}..{} ({} of them), numbered {}",
                    o.name,
                    got.first().unwrap_or(&0),
                    got.last().unwrap_or(&0),
                    got.len(),
                    o.events.len()
                ));
                continue;
            }
            for (seq, event) in &o.events {
                let (json, refused) = stored[seq];
                let same = serde_json::from_str::<StudentEvent>(json).ok().as_ref() == Some(event);
                if !same {
                    check
                        .violations
                        .push(format!("{}: event {seq} stored differently", o.name));
                }
                if refused.is_some() != o.refused.contains(seq) {
                    check.violations.push(format!(
                        "{}: event {seq} refused {:?} in the store, the student saw {}",
                        o.name,
                        refused,
                        if o.refused.contains(seq) {
                            "a refusal"
                        } else {
                            "an ack"
                        }
                    ));
                }
            }
            if a.status.as_deref() != Some("closed") || a.score.is_none() || a.deadline_closes != 1
            {
                check.violations.push(format!(
                    "{}: status {:?}, score {:?}, {} deadline closes (want closed, graded, 1)",
                    o.name, a.status, a.score, a.deadline_closes
                ));
            }
            if let (Some(d), Some(f)) = (a.deadline, a.finished)
                && f < d
            {
                check.violations.push(format!(
                    "{}: closed at {f}, before its deadline {d}",
                    o.name
                ));
            }
        }
        check
    }
}

/// Polls `closed` until it reaches `expected` or `until` passes; returns
/// the last count.
pub async fn wait_closed<F, Fut>(expected: usize, until: Instant, closed: F) -> usize
where
    F: Fn() -> Fut,
    Fut: Future<Output = usize>,
{
    loop {
        let n = closed().await;
        if n >= expected || Instant::now() > until {
            return n;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
