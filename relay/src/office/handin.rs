//! Handing in an exam event: its rows (every registered candidate of every
//! shift, present or absent, and anyone who joined by name), the XLSX
//! schools hand in, the inspection package with its SHA-256 manifest, and
//! one candidate's detail for an inspector. Every export and every view of
//! a candidate's detail is written to the audit trail with who and when.

use std::collections::HashSet;

use crate::args;
use crate::store::db::{Db, DbError};
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::office::api::{vietnam_iso, vietnam_text};
use examgate_shared::office::names::split_name;
use serde_json::json;

use crate::AppState;
use crate::attempts::internal;
use crate::auth::Session;
use crate::clock::now_ms;
use crate::handin::package::{PackageMeta, build_package};
use crate::handin::xlsx::write_xlsx;
use crate::handin::{HandIn, HandInRow, RowStatus, ShiftInfo};
use crate::model::{EventId, SittingId, masked_id, number_key};
use crate::store::writes;

/// Exported files are named after the event, in ASCII.
fn file_stem(event: EventId) -> String {
    format!("examgate-event-{event}")
}

impl AppState {
    fn event_sittings(&self, event: EventId) -> Result<Vec<(SittingId, String)>, ErrorBody> {
        let plan = self.catalog.plan();
        if !plan.events.contains_key(&event) {
            return Err(ErrorBody::new(ErrorCode::NotFound, "no such exam event"));
        }
        Ok(plan
            .shifts_of(event)
            .iter()
            .map(|s| (s.id, s.shift.clone()))
            .collect())
    }

    /// The event's rows as `staff` may see them (a site's staff: its site).
    pub async fn event_handin(&self, staff: &Session, event: EventId) -> Result<HandIn, ErrorBody> {
        let sittings = self.event_sittings(event)?;
        let sitting_ids: HashSet<SittingId> = sittings.iter().map(|(id, _)| *id).collect();
        let (name, subject, shifts, registered) = {
            let plan = self.catalog.plan();
            let ev = &plan.events[&event];
            let shifts: Vec<ShiftInfo> = plan
                .shifts_of(event)
                .iter()
                .map(|s| {
                    let text = vietnam_text(s.opens_at);
                    let (date, start) = text.split_once(' ').unwrap_or((&text, ""));
                    ShiftInfo {
                        name: s.shift.clone(),
                        date_dmy: date.to_owned(),
                        start: start.to_owned(),
                        minutes: (s.duration_ms / 60_000) as u32,
                    }
                })
                .collect();
            let registered: Vec<(crate::model::RosterEntry, String, String)> = plan
                .roster_entries()
                .filter(|e| sitting_ids.contains(&e.sitting_id))
                .filter(|e| plan.visible_to(staff, e.room_id))
                .map(|e| {
                    let room = &plan.rooms[&e.room_id];
                    (
                        e.clone(),
                        plan.site_name(room).to_owned(),
                        room.name.clone(),
                    )
                })
                .collect();
            (ev.name.clone(), ev.subject.clone(), shifts, registered)
        };
        let shift_name = |sitting: SittingId| {
            sittings
                .iter()
                .find(|(id, _)| *id == sitting)
                .map_or_else(String::new, |(_, n)| n.clone())
        };
        let mut rows = Vec::new();
        let mut seen = HashSet::new();
        for (e, site, room) in registered {
            let key = match (&e.candidate_number, &e.person_id) {
                (Some(n), _) => number_key(n),
                (None, Some(p)) => self.at_rest.card_key(p),
                (None, None) => continue,
            };
            let mut candidate = self
                .people()
                .by_name
                .get(&(e.sitting_id, e.room_id, key))
                .copied();
            if candidate.is_none()
                && let Some(p) = &e.person_id
            {
                // Card holders are keyed by their ID even when numbered.
                candidate = self
                    .people()
                    .by_name
                    .get(&(e.sitting_id, e.room_id, self.at_rest.card_key(p)))
                    .copied();
            }
            seen.extend(candidate);
            let (family, given) = split_name(&e.name);
            let mut row = HandInRow {
                candidate_number: e.candidate_number.clone().unwrap_or_default(),
                full_name: e.name.clone(),
                family_and_middle: family,
                given_name: given,
                birth: e.birth.as_deref().and_then(parse_iso),
                class: e.class.clone(),
                site,
                room,
                shift: shift_name(e.sitting_id),
                status: RowStatus::Absent,
                score_exact: None,
                mark_tenths: None,
                answered: 0,
                questions: self.exam_of_sitting(e.sitting_id).questions.len() as u32,
            };
            if let Some(c) = candidate {
                self.fill_attempt(c, &mut row).await;
            }
            rows.push(row);
        }
        // Candidates who joined by name (practice rooms) have no roster row.
        let walk_ins: Vec<crate::model::Candidate> = self
            .people()
            .candidates
            .values()
            .filter(|c| sitting_ids.contains(&c.sitting_id) && !seen.contains(&c.id))
            .filter(|c| self.may_watch(staff, c.room_id))
            .cloned()
            .collect();
        for c in walk_ins {
            let (site, room) = {
                let plan = self.catalog.plan();
                let r = &plan.rooms[&c.room_id];
                (plan.site_name(r).to_owned(), r.name.clone())
            };
            let (family, given) = split_name(&c.name);
            let mut row = HandInRow {
                candidate_number: c.candidate_number.clone().unwrap_or_default(),
                full_name: c.name.clone(),
                family_and_middle: family,
                given_name: given,
                birth: None,
                class: String::new(),
                site,
                room,
                shift: shift_name(c.sitting_id),
                status: RowStatus::Absent,
                score_exact: None,
                mark_tenths: None,
                answered: 0,
                questions: self.exam_of_sitting(c.sitting_id).questions.len() as u32,
            };
            self.fill_attempt(c.id, &mut row).await;
            rows.push(row);
        }
        Ok(HandIn {
            exam_event: name,
            subject,
            generated_at_iso: vietnam_iso(now_ms()),
            shifts,
            rows,
        })
    }

    async fn fill_attempt(&self, candidate: crate::model::CandidateId, row: &mut HandInRow) {
        let slot = {
            let people = self.people();
            people
                .attempt_of
                .get(&candidate)
                .and_then(|a| people.attempts.get(a))
                .cloned()
        };
        let Some(slot) = slot else { return };
        let cell = slot.cell.lock().await;
        row.answered = cell.attempt.answered() as u32;
        match &cell.grade {
            Some(g) => {
                row.status = RowStatus::Graded;
                row.mark_tenths = Some(u32::from(g.mark.tenths()));
                row.score_exact = Some(g.score.to_string());
            }
            None => row.status = RowStatus::NotFinished,
        }
    }

    /// Writes an access to personal data to the audit trail.
    pub(crate) async fn log_access(
        &self,
        staff: &Session,
        action: &str,
        detail: String,
    ) -> Result<(), ErrorBody> {
        let actor = format!("user:{}", staff.username);
        let action = action.to_owned();
        let now = now_ms();
        self.store
            .write(move |txn| writes::audit(txn, now, &actor, &action, &detail))
            .await
            .map_err(internal)
    }

    /// The hand-in workbook: a summary sheet and one sheet per room and
    /// shift.
    pub async fn event_xlsx(
        &self,
        staff: &Session,
        event: EventId,
    ) -> Result<(String, Vec<u8>), ErrorBody> {
        let handin = self.event_handin(staff, event).await?;
        let bytes = write_xlsx(&handin)
            .map_err(|e| ErrorBody::new(ErrorCode::Internal, format!("workbook: {e}")))?;
        self.log_access(
            staff,
            "export_xlsx",
            format!(
                "event {event}: {} row(s), {} bytes",
                handin.rows.len(),
                bytes.len()
            ),
        )
        .await?;
        Ok((format!("{}.xlsx", file_stem(event)), bytes))
    }

    /// One file an inspector can check later: results, papers and keys as
    /// used, item analysis, the answer log, check-in evidence and the audit
    /// trail, with a SHA-256 manifest.
    pub async fn event_package(
        &self,
        staff: &Session,
        event: EventId,
    ) -> Result<(String, Vec<u8>), ErrorBody> {
        let sittings = self.event_sittings(event)?;
        let handin = self.event_handin(staff, event).await?;
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        let xlsx = write_xlsx(&handin)
            .map_err(|e| ErrorBody::new(ErrorCode::Internal, format!("workbook: {e}")))?;
        files.push(("results.xlsx".into(), xlsx));
        let mut papers = HashSet::new();
        for (sitting, shift) in &sittings {
            let dir = format!("shift-{sitting}");
            let results = self.sitting_results(*sitting).await?;
            let exam = self.exam_of_sitting(*sitting);
            files.push((
                format!("{dir}/results.json"),
                serde_json::to_vec_pretty(&json!({ "shift": shift, "results": results }))
                    .expect("results serialise"),
            ));
            files.push((
                format!("{dir}/results.csv"),
                examgate_shared::results::results_csv(&exam, &results.rows).into_bytes(),
            ));
            if papers.insert(exam.id.clone()) {
                // Paper ids are free text: keep the file name plain, and
                // numbered so two ids that clean alike stay two files.
                let plain: String = exam
                    .id
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                            c
                        } else {
                            '_'
                        }
                    })
                    .collect();
                let file = format!("{}-{plain}", papers.len());
                files.push((
                    format!("papers/{file}.json"),
                    serde_json::to_vec_pretty(&*exam).expect("exams serialise"),
                ));
            }
        }
        let ids: Vec<SittingId> = sittings.iter().map(|(id, _)| *id).collect();
        // One snapshot: the audit file ends at the head the manifest names.
        let (tables, head) = self
            .store
            .read({
                let at_rest = self.at_rest.clone();
                move |conn| {
                    let tables = super::evidence::evidence_tables(conn, &ids, &at_rest)?;
                    Ok((tables, crate::audit::read_head(conn)?))
                }
            })
            .await
            .map_err(internal)?;
        files.extend(tables);
        let meta = PackageMeta {
            sitting: format!("event {event}: {}", handin.exam_event),
            created_at_iso: handin.generated_at_iso.clone(),
            created_by: staff.username.clone(),
            audit_chain_head: Some(head),
        };
        let bytes = build_package(&files, &meta)
            .map_err(|e| ErrorBody::new(ErrorCode::Internal, format!("package: {e}")))?;
        self.log_access(
            staff,
            "export_package",
            format!(
                "event {event}: {} file(s), {} bytes",
                files.len() + 2,
                bytes.len()
            ),
        )
        .await?;
        Ok((format!("{}-inspection.zip", file_stem(event)), bytes))
    }
}

impl AppState {
    /// Everything about one registered candidate an inspector follows:
    /// the registration, the attempt and its grade, every answer event with
    /// its relay time (refused ones with their reason), the check-ins with
    /// their verdicts and the proctor's decisions, and the audit lines of
    /// the attempt. The view is logged.
    pub async fn candidate_detail(
        &self,
        staff: &Session,
        event: EventId,
        number: &str,
    ) -> Result<serde_json::Value, ErrorBody> {
        let sittings = self.event_sittings(event)?;
        let number = number.trim().to_uppercase();
        let entry = {
            let plan = self.catalog.plan();
            sittings
                .iter()
                .find_map(|(s, _)| plan.registered.get(&(*s, number.clone())).cloned())
        }
        .filter(|e| self.may_watch(staff, e.room_id))
        .ok_or_else(|| {
            ErrorBody::new(ErrorCode::NotFound, "no such candidate number in this exam")
        })?;
        let candidate = {
            let people = self.people();
            [number_key(&number)]
                .into_iter()
                .chain(entry.person_id.as_deref().map(|p| self.at_rest.card_key(p)))
                .find_map(|k| {
                    people
                        .by_name
                        .get(&(entry.sitting_id, entry.room_id, k))
                        .copied()
                })
        };
        let attempt = candidate.and_then(|c| self.people().attempt_of.get(&c).copied());
        // Check-ins are found by the number's keyed hash (they hold it
        // sealed).
        let person_key = entry
            .person_id
            .as_deref()
            .map(|p| self.at_rest.person_key(p));
        let sitting = entry.sitting_id;
        let (events, checkins, audit) = self
            .store
            .read(move |conn| candidate_tables(conn, sitting, attempt, person_key.as_deref()))
            .await
            .map_err(internal)?;
        let mut row = HandInRow {
            candidate_number: number.clone(),
            full_name: entry.name.clone(),
            family_and_middle: String::new(),
            given_name: String::new(),
            birth: None,
            class: entry.class.clone(),
            site: String::new(),
            room: String::new(),
            shift: String::new(),
            status: RowStatus::Absent,
            score_exact: None,
            mark_tenths: None,
            answered: 0,
            questions: 0,
        };
        if let Some(c) = candidate {
            self.fill_attempt(c, &mut row).await;
        }
        self.log_access(
            staff,
            "view_candidate",
            format!("event {event}: candidate {number}"),
        )
        .await?;
        Ok(json!({
            "candidate_number": number,
            "name": entry.name,
            "birth": entry.birth,
            "class": entry.class,
            "person_id_masked": entry.person_id.as_deref().map(masked_id),
            "sitting": entry.sitting_id,
            "room": entry.room_id,
            "seat": entry.seat,
            "attempt": attempt,
            "status": row.status.label_vi(),
            "mark_tenths": row.mark_tenths,
            "score": row.score_exact,
            "answered": row.answered,
            "events": events,
            "checkins": checkins,
            "audit": audit,
        }))
    }
}

/// A candidate's answer events, check-ins and audit lines, as JSON.
type CandidateTables = (
    Vec<serde_json::Value>,
    Vec<serde_json::Value>,
    Vec<serde_json::Value>,
);

/// One candidate's answer events, check-ins and audit lines.
fn candidate_tables(
    conn: Db<'_>,
    sitting: SittingId,
    attempt: Option<u64>,
    person_key: Option<&str>,
) -> Result<CandidateTables, DbError> {
    let mut events = Vec::new();
    let mut audit = Vec::new();
    if let Some(a) = attempt {
        events = conn.query_map(
            "SELECT seq, received_at, event, refused FROM events WHERE attempt_id = ?1 ORDER BY seq",
            args![a],
            |r| Ok(json!({
                "seq": r.get::<i64>(0)?,
                "relay_time": r.get::<i64>(1)?,
                "event": serde_json::from_str::<serde_json::Value>(&r.get::<String>(2)?).unwrap_or_default(),
                "refused": r.get::<Option<String>>(3)?,
            })),
        )?;
        // The relay's audit details name an attempt as "attempt N",
        // "attempt N: …" or "…, attempt N".
        audit = conn.query_map(
            "SELECT at, actor, action, detail FROM audit
             WHERE detail = ?1 OR detail LIKE ?2 OR detail LIKE ?3 ORDER BY id",
            args![
                format!("attempt {a}"),
                format!("attempt {a}:%"),
                format!("%, attempt {a}")
            ],
            |r| {
                Ok(json!({
                    "at": r.get::<i64>(0)?, "actor": r.get::<String>(1)?,
                    "action": r.get::<String>(2)?, "detail": r.get::<String>(3)?,
                }))
            },
        )?;
    }
    let mut checkins = Vec::new();
    if let Some(key) = person_key {
        checkins = conn.query_map(
            "SELECT id, at, verdict, reasons, decision, decided_by, decided_at, station
             FROM checkins WHERE sitting_id = ?1 AND person_key = ?2 ORDER BY id",
            args![sitting, key],
            |r| Ok(json!({
                "checkin": r.get::<i64>(0)?, "at": r.get::<i64>(1)?,
                "verdict": r.get::<String>(2)?, "reasons": r.get::<String>(3)?,
                "decision": r.get::<Option<String>>(4)?, "decided_by": r.get::<Option<String>>(5)?,
                "decided_at": r.get::<Option<i64>>(6)?, "station": r.get::<String>(7)?,
            })),
        )?;
    }
    Ok((events, checkins, audit))
}

fn parse_iso(text: &str) -> Option<(u16, u8, u8)> {
    let mut parts = text.split('-');
    let y = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let d = parts.next()?.parse().ok()?;
    Some((y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_parse() {
        assert_eq!(parse_iso("2008-01-31"), Some((2008, 1, 31)));
        assert_eq!(parse_iso("31/01/2008"), None);
    }
}
