//! Key corrections and regrading.
//!
//! A teacher fixes a key or voids a question: the corrected exam is
//! validated by the shared [`Exam::corrected`], stored, and every final
//! attempt of every sitting of that exam is regraded with the shared
//! `grade`. The audit log records who, what (the change and the marks that
//! moved) and why, in the same transaction as the new exam.

use examgate_shared::correction::Correction;
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::exam::Exam;
use examgate_shared::scoring::grade;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::attempts::internal;
use crate::clock::now_ms;
use crate::store::writes;

#[derive(Debug, Clone, Deserialize)]
pub struct CorrectionRequest {
    pub corrections: Vec<Correction>,
    /// Why, for the record; required.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegradeReport {
    pub exam_id: String,
    /// Final attempts regraded.
    pub regraded: usize,
    /// Of those, how many marks changed.
    pub marks_changed: usize,
}

impl AppState {
    pub async fn correct_exam(
        &self,
        actor: &str,
        exam_id: &str,
        req: CorrectionRequest,
    ) -> Result<RegradeReport, ErrorBody> {
        let reason = req.reason.trim().to_owned();
        if reason.is_empty() {
            return Err(ErrorBody::new(ErrorCode::Malformed, "a reason is required"));
        }
        if req.corrections.is_empty() {
            return Err(ErrorBody::new(ErrorCode::Malformed, "no corrections given"));
        }
        let Some(current) = self.catalog.exam(exam_id) else {
            return Err(ErrorBody::new(ErrorCode::NotFound, "no exam has this id"));
        };
        let mut exam: Exam = (*current).clone();
        for c in &req.corrections {
            exam = exam
                .corrected(c)
                .map_err(|e| ErrorBody::new(ErrorCode::InvalidAnswer, e.to_string()))?;
        }

        // Every final attempt of this exam (with other relays, read from
        // the database first), locked one at a time while its new grade is
        // computed and stored.
        let sittings: Vec<_> = self
            .catalog
            .plan()
            .sittings
            .values()
            .filter(|s| s.exam_id == exam_id)
            .map(|s| s.id)
            .collect();
        for &sitting in &sittings {
            self.sync_sitting(sitting).await.map_err(internal)?;
        }
        let slots: Vec<_> = self
            .people()
            .attempts
            .values()
            .filter(|s| sittings.contains(&s.candidate.sitting_id))
            .cloned()
            .collect();
        let now = now_ms();
        let json = serde_json::to_string(&exam).expect("exams serialise");
        let detail = serde_json::json!({
            "exam": exam_id,
            "corrections": req.corrections,
            "reason": reason,
        })
        .to_string();
        let (actor_db, exam_db) = (actor.to_owned(), exam_id.to_owned());
        self.store
            .write(move |txn| {
                txn.execute(
                    "UPDATE exams SET definition = ?2 WHERE id = ?1",
                    crate::args![exam_db, json],
                )?;
                writes::audit(txn, now, &actor_db, "correct_exam", &detail)?;
                writes::commit_exam(txn, now, &actor_db, &exam_db, &json)
            })
            .await
            .map_err(internal)?;
        self.catalog.replace_exam(exam.clone());
        self.results_cache.corrected();

        let mut report = RegradeReport {
            exam_id: exam_id.to_owned(),
            regraded: 0,
            marks_changed: 0,
        };
        for slot in slots {
            let mut cell = slot.cell.lock().await;
            let Some(old) = cell.grade.clone() else {
                continue;
            };
            let new = grade(&exam, &cell.attempt.answers);
            let (id, status, finished) = (
                slot.id,
                cell.attempt.status,
                cell.attempt.finished_ms.unwrap_or(now),
            );
            let (to_store, actor_db) = (new.clone(), actor.to_owned());
            let moved = (old.mark != new.mark)
                .then(|| format!("attempt {id}: mark {} → {}", old.mark, new.mark));
            self.store
                .write(move |txn| {
                    writes::finish_attempt(txn, id, status, finished, &to_store)?;
                    match moved {
                        Some(detail) => writes::audit(txn, now, &actor_db, "regrade", &detail),
                        None => Ok(()),
                    }
                })
                .await
                .map_err(internal)?;
            report.regraded += 1;
            if old.mark != new.mark {
                report.marks_changed += 1;
            }
            slot.set_grade(&mut cell, Some(new));
            self.publish_row(&slot.candidate, Some((slot.id, &cell)));
        }
        // The bank's statistics of these sittings were computed with the
        // old key: computed again, in the background.
        let state = self.clone();
        tokio::spawn(async move {
            for sitting in sittings {
                state.bank_learn(sitting).await;
            }
        });
        Ok(report)
    }
}
