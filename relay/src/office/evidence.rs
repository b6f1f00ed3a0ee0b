//! The inspection package's evidence tables, as JSON lines: the roster,
//! attempts, every answer event with its chain hash, check-ins with their
//! evidence, proctors' controls, warnings, incidents, messages, and the
//! hash-chained audit trail. One read transaction, so they agree.

use serde_json::json;

use crate::args;
use crate::at_rest::AtRest;
use crate::model::{SittingId, masked_id};
use crate::store::db::{Db, DbError, Row};
use crate::store::person_ids;

/// The evidence tables of the given sittings as JSON lines.
pub(super) fn evidence_tables(
    conn: Db<'_>,
    sittings: &[SittingId],
    at_rest: &AtRest,
) -> Result<Vec<(String, Vec<u8>)>, DbError> {
    let list = sittings
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let lines = |sql: &str,
                 f: &dyn Fn(&Row<'_>) -> Result<serde_json::Value, DbError>|
     -> Result<Vec<u8>, DbError> {
        let mut out = Vec::new();
        conn.each(sql, args![], |r| {
            serde_json::to_writer(&mut out, &f(r)?).expect("json");
            out.push(b'\n');
            Ok(true)
        })?;
        Ok(out)
    };
    let roster = lines(
        &format!(
            "SELECT sitting_id, room_id, candidate_number, name, birth, class, school, seat,
                    pupil_id, person_id
             FROM roster WHERE sitting_id IN ({list}) ORDER BY id"
        ),
        &|r| {
            Ok(json!({
                "sitting": r.get::<i64>(0)?, "room": r.get::<i64>(1)?,
                "candidate_number": r.get::<Option<String>>(2)?, "name": r.get::<String>(3)?,
                "birth": r.get::<Option<String>>(4)?, "class": r.get::<String>(5)?,
                "school": r.get::<String>(6)?, "seat": r.get::<Option<i64>>(7)?,
                "pupil_id": r.get::<Option<String>>(8)?,
                "person_id_last4": person_ids::masked(at_rest, r.get(9)?),
            }))
        },
    )?;
    let attempts = lines(
        &format!(
            "SELECT a.id, c.sitting_id, c.room_id, c.name, c.candidate_number, a.started_at,
                    a.deadline_at, a.final_status, a.finished_at, a.score, a.mark_tenths
             FROM attempts a JOIN candidates c ON c.id = a.candidate_id
             WHERE c.sitting_id IN ({list}) ORDER BY a.id"
        ),
        &|r| {
            Ok(json!({
                "attempt": r.get::<i64>(0)?, "sitting": r.get::<i64>(1)?,
                "room": r.get::<i64>(2)?, "name": r.get::<String>(3)?,
                "candidate_number": r.get::<Option<String>>(4)?,
                "started_at": r.get::<Option<i64>>(5)?, "deadline_at": r.get::<Option<i64>>(6)?,
                "final_status": r.get::<Option<String>>(7)?, "finished_at": r.get::<Option<i64>>(8)?,
                "score_milli": r.get::<Option<String>>(9)?, "mark_tenths": r.get::<Option<i64>>(10)?,
            }))
        },
    )?;
    let events = lines(
        &format!(
            "SELECT e.attempt_id, e.seq, e.received_at, e.event, e.refused, e.hash
             FROM events e JOIN attempts a ON a.id = e.attempt_id
                           JOIN candidates c ON c.id = a.candidate_id
             WHERE c.sitting_id IN ({list}) ORDER BY e.attempt_id, e.seq"
        ),
        &|r| {
            Ok(json!({
                "attempt": r.get::<i64>(0)?, "seq": r.get::<i64>(1)?,
                "relay_time": r.get::<i64>(2)?,
                "event": serde_json::from_str::<serde_json::Value>(&r.get::<String>(3)?).unwrap_or_default(),
                "refused": r.get::<Option<String>>(4)?,
                "hash": r.get::<Option<Vec<u8>>>(5)?.map(|h| crate::audit::hex(&h)),
            }))
        },
    )?;
    let checkins = lines(
        &format!(
            "SELECT id, at, sitting_id, room_id, person_id, verdict, reasons, decision, decided_by,
                    decided_at, station, evidence
             FROM checkins WHERE sitting_id IN ({list}) ORDER BY id"
        ),
        &|r| {
            Ok(json!({
                "checkin": r.get::<i64>(0)?, "at": r.get::<i64>(1)?,
                "sitting": r.get::<i64>(2)?, "room": r.get::<i64>(3)?,
                "person_id_last4": person_ids::masked(at_rest, r.get(4)?),
                "verdict": r.get::<String>(5)?, "reasons": r.get::<String>(6)?,
                "decision": r.get::<Option<String>>(7)?, "decided_by": r.get::<Option<String>>(8)?,
                "decided_at": r.get::<Option<i64>>(9)?, "station": r.get::<String>(10)?,
                "evidence": exported_evidence(at_rest, &r.get::<String>(11)?),
            }))
        },
    )?;
    // What proctors did and saw: controls with who and why, integrity
    // warnings, incidents, messages with who read them.
    let controls = lines(
        &format!(
            "SELECT k.attempt_id, k.at, k.after_seq, k.control, k.actor, k.reason
             FROM attempt_controls k JOIN attempts a ON a.id = k.attempt_id
                                     JOIN candidates c ON c.id = a.candidate_id
             WHERE c.sitting_id IN ({list}) ORDER BY k.id"
        ),
        &|r| {
            Ok(json!({
                "attempt": r.get::<i64>(0)?, "at": r.get::<i64>(1)?,
                "after_seq": r.get::<i64>(2)?,
                "control": serde_json::from_str::<serde_json::Value>(&r.get::<String>(3)?).unwrap_or_default(),
                "by": r.get::<String>(4)?, "reason": r.get::<String>(5)?,
            }))
        },
    )?;
    let warnings = lines(
        &format!(
            "SELECT s.attempt_id, s.at, s.signal
             FROM signals s JOIN attempts a ON a.id = s.attempt_id
                            JOIN candidates c ON c.id = a.candidate_id
             WHERE c.sitting_id IN ({list}) ORDER BY s.id"
        ),
        &|r| {
            Ok(json!({
                "attempt": r.get::<i64>(0)?, "at": r.get::<i64>(1)?,
                "warning": serde_json::from_str::<serde_json::Value>(&r.get::<String>(2)?).unwrap_or_default(),
            }))
        },
    )?;
    let incidents = lines(
        &format!(
            "SELECT i.id, i.at, i.room_id, i.candidate_id, i.category, i.text, i.by_user
             FROM incidents i
             WHERE i.candidate_id IN (SELECT id FROM candidates WHERE sitting_id IN ({list}))
                OR (i.candidate_id IS NULL AND i.room_id IN
                    (SELECT room_id FROM join_codes WHERE sitting_id IN ({list})))
             ORDER BY i.id"
        ),
        &|r| {
            Ok(json!({
                "incident": r.get::<i64>(0)?, "at": r.get::<i64>(1)?,
                "room": r.get::<i64>(2)?, "candidate": r.get::<Option<i64>>(3)?,
                "category": r.get::<String>(4)?, "text": r.get::<String>(5)?,
                "by": r.get::<String>(6)?,
            }))
        },
    )?;
    let messages = lines(
        &format!(
            "SELECT m.id, m.at, m.sitting_id, m.room_id, m.candidate_id, m.text, m.by_user,
                    (SELECT string_agg(CAST(s.candidate_id AS TEXT), ',') FROM message_seen s
                     WHERE s.message_id = m.id)
             FROM messages m WHERE m.sitting_id IN ({list}) ORDER BY m.id"
        ),
        &|r| {
            Ok(json!({
                "message": r.get::<i64>(0)?, "at": r.get::<i64>(1)?,
                "sitting": r.get::<i64>(2)?, "room": r.get::<i64>(3)?,
                "candidate": r.get::<Option<i64>>(4)?, "text": r.get::<String>(5)?,
                "by": r.get::<String>(6)?,
                "seen_by": r.get::<Option<String>>(7)?.map(|ids| {
                    ids.split(',').filter_map(|id| id.parse::<i64>().ok()).collect::<Vec<_>>()
                }).unwrap_or_default(),
            }))
        },
    )?;
    // As `audit export` writes it, hashes included: `audit verify --file`
    // checks it.
    let audit = crate::audit::export::export_bytes(conn)?;
    Ok(vec![
        ("roster.jsonl".into(), roster),
        ("attempts.jsonl".into(), attempts),
        ("answer-events.jsonl".into(), events),
        ("checkins.jsonl".into(), checkins),
        ("proctor-controls.jsonl".into(), controls),
        ("warnings.jsonl".into(), warnings),
        ("incidents.jsonl".into(), incidents),
        ("messages.jsonl".into(), messages),
        ("audit.jsonl".into(), audit),
    ])
}

/// A check-in's evidence as the package carries it: the card files still
/// kept, with the compared DG13 ID masked like every other ID in it.
fn exported_evidence(at_rest: &AtRest, stored: &str) -> serde_json::Value {
    let opened = match at_rest.open(stored) {
        Ok(text) => text,
        // Not this folder's key: say so in the package rather than fail it.
        Err(e) => return json!({ "unreadable": e.to_string() }),
    };
    let mut v: serde_json::Value = serde_json::from_str(&opened).unwrap_or_default();
    if let Some(id) = v
        .pointer_mut("/reduced/13/personal_id")
        .and_then(|id| id.as_str().map(masked_id))
    {
        v["reduced"]["13"]["personal_id"] = serde_json::Value::String(id);
    }
    v
}
