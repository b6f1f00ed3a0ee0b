//! A sitting's results: every final attempt graded, the analysis of every
//! question, exports. Computed on demand, and stored as a snapshot when the
//! last working attempt of a sitting ends, so the evidence is kept as it
//! was at the close even if keys are corrected later.

use std::collections::BTreeMap;

use examgate_shared::answer::AnswerValue;
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::exam::QuestionId;
use examgate_shared::protocol::SittingSummary;
use examgate_shared::results::{Results, results};
use examgate_shared::scoring::Grade;

use crate::AppState;
use crate::clock::now_ms;
use crate::model::SittingId;

impl AppState {
    pub fn sitting_summaries(&self) -> Vec<SittingSummary> {
        let sittings: Vec<crate::model::Sitting> =
            self.catalog.plan().sittings.values().cloned().collect();
        let people = self.people();
        let mut out: Vec<SittingSummary> = sittings
            .iter()
            .map(|s| {
                let slots = people
                    .attempts
                    .values()
                    .filter(|a| a.candidate.sitting_id == s.id);
                let (mut attempts, mut finished) = (0, 0);
                for slot in slots {
                    attempts += 1;
                    if slot.cell.try_lock().is_ok_and(|c| c.grade.is_some()) {
                        finished += 1;
                    }
                }
                SittingSummary {
                    sitting_id: s.id,
                    exam_id: s.exam_id.clone(),
                    title: self
                        .catalog
                        .exam(&s.exam_id)
                        .map_or_else(String::new, |e| e.title.clone()),
                    opens_at: s.opens_at,
                    closes_at: s.closes_at,
                    attempts,
                    finished,
                }
            })
            .collect();
        out.sort_by_key(|s| s.sitting_id);
        out
    }

    /// Results of every final attempt of `sitting`, graded with the exam as
    /// it is now (after any correction).
    pub async fn sitting_results(&self, sitting: SittingId) -> Result<Results, ErrorBody> {
        let Some(exam) = self.catalog.exam_of(sitting) else {
            return Err(ErrorBody::new(ErrorCode::UnknownCode, "no such sitting"));
        };
        let slots: Vec<_> = self
            .people()
            .attempts
            .values()
            .filter(|a| a.candidate.sitting_id == sitting)
            .cloned()
            .collect();
        let mut finals: Vec<(String, String, BTreeMap<QuestionId, AnswerValue>, Grade)> =
            Vec::new();
        let mut numbers: Vec<Option<String>> = Vec::new();
        for slot in slots {
            let cell = slot.cell.lock().await;
            if let Some(grade) = &cell.grade {
                let room = self
                    .catalog
                    .plan()
                    .rooms
                    .get(&slot.candidate.room_id)
                    .map_or_else(String::new, |r| r.name.clone());
                finals.push((
                    slot.candidate.name.clone(),
                    room,
                    cell.attempt.answers.clone(),
                    grade.clone(),
                ));
                numbers.push(slot.candidate.candidate_number.clone());
            }
        }
        let mut order: Vec<usize> = (0..finals.len()).collect();
        order.sort_by(|&a, &b| {
            (&finals[a].1, &finals[a].0, &numbers[a]).cmp(&(
                &finals[b].1,
                &finals[b].0,
                &numbers[b],
            ))
        });
        let finals: Vec<_> = order.iter().map(|&i| finals[i].clone()).collect();
        let mut out = results(&exam, &finals)
            .map_err(|e| ErrorBody::new(ErrorCode::Internal, e.to_string()))?;
        for (row, &i) in out.rows.iter_mut().zip(&order) {
            row.candidate_number = numbers[i].clone();
        }
        Ok(out)
    }

    /// After an attempt became final: when no attempt of its sitting is
    /// still working, computes the results and stores the snapshot.
    pub async fn snapshot_if_sitting_done(&self, sitting: SittingId) {
        let working = self
            .people()
            .attempts
            .values()
            .filter(|a| a.candidate.sitting_id == sitting)
            .any(|a| {
                a.cell.try_lock().map_or(true, |c| {
                    c.grade.is_none() && c.attempt.started_ms.is_some()
                })
            });
        if working {
            return;
        }
        let results = match self.sitting_results(sitting).await {
            Ok(r) => r,
            Err(e) => {
                tracing::error!("results of sitting {sitting}: {e}");
                return;
            }
        };
        let json = serde_json::to_string(&results).expect("results serialise");
        let now = now_ms();
        let stored = self
            .store
            .write(move |txn| {
                txn.execute(
                    "INSERT INTO results (sitting_id, computed_at, results) VALUES (?1, ?2, ?3)",
                    rusqlite::params![sitting, now, json],
                )
                .map(|_| ())
            })
            .await;
        if let Err(e) = stored {
            tracing::error!("storing results of sitting {sitting}: {e}");
        }
    }
}
