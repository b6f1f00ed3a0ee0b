//! `GET /api/proctor/candidates/{id}`: one candidate's record in time order —
//! joins, check-ins, the start, every answer (its time and question, never
//! its value), warnings, proctors' actions with who and why, incidents,
//! messages and whether they were read, the hand-in or close.

use crate::args;
use crate::store::db::{Db, DbError, OptionalRow};
use examgate_shared::Millis;
use examgate_shared::attempt::StudentEvent;
use examgate_shared::control::Control;
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::integrity::Warning;
use examgate_shared::proctoring::{CandidateDetail, TimelineEntry, TimelineEvent};

use crate::AppState;
use crate::attempts::internal;
use crate::auth::Session;
use crate::model::{AttemptId, Candidate};

impl AppState {
    pub async fn candidate_timeline(
        &self,
        staff: &Session,
        candidate_id: u64,
    ) -> Result<CandidateDetail, ErrorBody> {
        let candidate = self
            .people()
            .candidates
            .get(&candidate_id)
            .cloned()
            .ok_or_else(|| ErrorBody::new(ErrorCode::NotFound, "no such candidate"))?;
        // A timeline holds health notes and warnings about a person: for
        // those who run the exam, not for teachers watching the rows.
        if staff.role == examgate_shared::protocol::Role::Teacher {
            return Err(ErrorBody::new(
                ErrorCode::Forbidden,
                "a candidate's record is for proctors and the exam office",
            ));
        }
        if !self.may_watch(staff, candidate.room_id) {
            return Err(ErrorBody::new(
                ErrorCode::Forbidden,
                "this candidate's room is outside your scope",
            ));
        }
        let attempt = self.people().attempt_of.get(&candidate_id).copied();
        let c = candidate.clone();
        let (mut timeline, warnings) = self
            .store
            .read(move |conn| read_timeline(conn, &c, attempt))
            .await
            .map_err(internal)?;
        timeline.sort_by_key(|e| e.at);
        Ok(CandidateDetail {
            candidate_id,
            name: candidate.name,
            candidate_number: candidate.candidate_number,
            room_id: candidate.room_id,
            warnings,
            timeline,
        })
    }
}

/// The attempt row's times, as stored.
#[derive(Default)]
struct AttemptTimes {
    started_at: Option<Millis>,
    deadline_at: Option<Millis>,
    final_status: Option<String>,
    finished_at: Option<Millis>,
}

fn entry(at: Millis, event: TimelineEvent) -> TimelineEntry {
    TimelineEntry { at, event }
}

fn read_timeline(
    conn: Db<'_>,
    c: &Candidate,
    attempt: Option<AttemptId>,
) -> Result<(Vec<TimelineEntry>, Vec<Warning>), DbError> {
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for at in conn.query_map(
        "SELECT at FROM audit WHERE actor = ?1 AND action = 'join' ORDER BY id",
        args![format!("candidate:{}", c.id)],
        |r| r.get(0),
    )? {
        out.push(entry(at, TimelineEvent::Joined));
    }
    // A card holder's key is built from their number's keyed hash, which
    // is how their check-ins are found.
    if let Some(person_key) = c.key.strip_prefix(crate::at_rest::CARD_KEY_PREFIX) {
        for row in conn.query_map(
            "SELECT at, verdict, decision FROM checkins
             WHERE sitting_id = ?1 AND room_id = ?2 AND person_key = ?3 ORDER BY id",
            args![c.sitting_id, c.room_id, person_key],
            |r| {
                Ok(entry(
                    r.get(0)?,
                    TimelineEvent::CheckIn {
                        verdict: r.get(1)?,
                        decision: r.get(2)?,
                    },
                ))
            },
        )? {
            out.push(row);
        }
    }
    for row in conn.query_map(
        "SELECT at, category, text, by_user FROM incidents WHERE candidate_id = ?1 ORDER BY id",
        args![c.id],
        |r| {
            let category: String = r.get(1)?;
            Ok((r.get::<Millis>(0)?, category, r.get(2)?, r.get(3)?))
        },
    )? {
        let (at, category, text, by) = row;
        let category = serde_json::from_value(serde_json::Value::String(category))
            .unwrap_or(examgate_shared::proctoring::IncidentCategory::Other);
        out.push(entry(at, TimelineEvent::Incident { category, text, by }));
    }
    for row in conn.query_map(
        "SELECT m.at, m.text, EXISTS (SELECT 1 FROM message_seen s
                                      WHERE s.message_id = m.id AND s.candidate_id = ?1)
         FROM messages m
         WHERE m.sitting_id = ?2 AND m.room_id = ?3
           AND (m.candidate_id = ?1 OR m.candidate_id IS NULL)
         ORDER BY m.id",
        args![c.id, c.sitting_id, c.room_id],
        |r| {
            Ok(entry(
                r.get(0)?,
                TimelineEvent::Message {
                    text: r.get(1)?,
                    seen: r.get(2)?,
                },
            ))
        },
    )? {
        out.push(row);
    }
    let Some(attempt) = attempt else {
        return Ok((out, warnings));
    };
    let times = conn
        .query_row(
            "SELECT started_at, deadline_at, final_status, finished_at FROM attempts WHERE id = ?1",
            args![attempt],
            |r| {
                Ok(AttemptTimes {
                    started_at: r.get(0)?,
                    deadline_at: r.get(1)?,
                    final_status: r.get(2)?,
                    finished_at: r.get(3)?,
                })
            },
        )
        .optional()?
        .unwrap_or_default();
    if let (Some(at), Some(deadline_ms)) = (times.started_at, times.deadline_at) {
        out.push(entry(at, TimelineEvent::Started { deadline_ms }));
    }
    for row in conn.query_map(
        "SELECT seq, received_at, event, refused FROM events WHERE attempt_id = ?1 ORDER BY seq",
        args![attempt],
        |r| {
            Ok((
                r.get::<u64>(0)?,
                r.get::<Millis>(1)?,
                r.get::<String>(2)?,
                r.get::<Option<String>>(3)?,
            ))
        },
    )? {
        let (seq, at, json, refused) = row;
        out.push(entry(
            at,
            match serde_json::from_str::<StudentEvent>(&json) {
                Ok(StudentEvent::Submit) => match refused {
                    None => TimelineEvent::Submitted,
                    Some(refused) => TimelineEvent::SubmitRefused { seq, refused },
                },
                Ok(StudentEvent::Answer { question, .. }) => TimelineEvent::Answer {
                    seq,
                    question: question.0,
                    refused,
                },
                // Every stored event was decoded when it arrived.
                Err(_) => continue,
            },
        ));
    }
    for row in conn.query_map(
        "SELECT at, signal FROM signals WHERE attempt_id = ?1 ORDER BY id",
        args![attempt],
        |r| Ok((r.get::<Millis>(0)?, r.get::<String>(1)?)),
    )? {
        let (at, json) = row;
        if let Ok(signal) = serde_json::from_str(&json) {
            let warning = Warning { at, signal };
            warnings.push(warning.clone());
            out.push(entry(at, TimelineEvent::Warning { warning }));
        }
    }
    for row in conn.query_map(
        "SELECT at, control, actor, reason FROM attempt_controls WHERE attempt_id = ?1 ORDER BY id",
        args![attempt],
        |r| {
            Ok((
                r.get::<Millis>(0)?,
                r.get::<String>(1)?,
                r.get::<String>(2)?,
                r.get::<String>(3)?,
            ))
        },
    )? {
        let (at, json, by, reason) = row;
        let control: Option<Control> = serde_json::from_str(&json).ok();
        let event = match control {
            Some(Control::DeadlineClose) => TimelineEvent::Closed,
            Some(c) => TimelineEvent::Action {
                action: c.name().to_string(),
                minutes: match c {
                    Control::ExtraTime { minutes } | Control::Reopen { minutes } => Some(minutes),
                    _ => None,
                },
                by,
                reason,
            },
            None => continue,
        };
        out.push(entry(at, event));
    }
    // Moves are few; their detail is read here rather than with a JSON
    // function, which each engine spells its own way.
    let moves = conn.query_map(
        "SELECT at, actor, detail FROM audit WHERE action = 'move' ORDER BY id",
        args![],
        |r| {
            Ok((
                r.get::<Millis>(0)?,
                r.get::<String>(1)?,
                r.get::<String>(2)?,
            ))
        },
    )?;
    for (at, by, detail) in moves {
        let Ok(detail) = serde_json::from_str::<serde_json::Value>(&detail) else {
            continue;
        };
        if detail["attempt"].as_u64() != Some(attempt) {
            continue;
        }
        out.push(entry(
            at,
            TimelineEvent::Action {
                action: "move".into(),
                minutes: None,
                by,
                reason: detail["reason"].as_str().unwrap_or_default().to_owned(),
            },
        ));
    }
    // Closes from before controls were recorded.
    if let (Some("closed"), Some(at)) = (times.final_status.as_deref(), times.finished_at)
        && !out.iter().any(|e| e.event == TimelineEvent::Closed)
    {
        out.push(entry(at, TimelineEvent::Closed));
    }
    Ok((out, warnings))
}
