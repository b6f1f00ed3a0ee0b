//! Applying a control to one attempt: a proctor's extra time, pause,
//! resume, end or reopen, or the relay's own close at the deadline.
//!
//! The IO shell around `examgate_shared::control`: under the attempt's lock
//! the shared state machine checks and applies the control to a copy; the
//! control (with the event number it follows, who and why), the audit entry
//! and any grade are committed in one transaction; only then is the copy
//! swapped in, the deadline rescheduled, the student told and the row
//! published. A refused control changes and stores nothing.

use examgate_shared::Millis;
use examgate_shared::attempt::Attempt;
use examgate_shared::control::{Control, ControlError, Effect};
use examgate_shared::exam::Exam;
use examgate_shared::protocol::{RelayToStudent, encode};
use examgate_shared::scoring::{Grade, grade};

use crate::AppState;
use crate::clock::now_ms;
use crate::state::{AttemptCell, AttemptSlot};
use crate::store::db::DbError;
use crate::store::{StoreError, oversight, writes};

/// Why a control was not applied.
#[derive(Debug)]
pub enum ControlFailure {
    Refused(ControlError),
    /// A reopen in an event whose results were published (at).
    Published(Millis),
    Store(StoreError),
}

impl AppState {
    /// Applies `control` to the attempt in `slot` on behalf of `actor`.
    pub async fn apply_control(
        &self,
        slot: &AttemptSlot,
        control: &Control,
        actor: &str,
        reason: &str,
    ) -> Result<Effect, ControlFailure> {
        let sitting = self.catalog.sitting(slot.candidate.sitting_id);
        let hard_stop = sitting.as_ref().and_then(|s| s.hard_stop);
        let exam = self.exam_for(&slot.candidate);
        let mut cell = slot.cell.lock().await;
        // Checked again under the attempt's lock: a publication that began
        // after the caller's check has marked the event by now, and one
        // that scans this attempt later sees it working and stops.
        if matches!(control, Control::Reopen { .. })
            && let Some(at) = self.catalog.plan().published_at(slot.candidate.sitting_id)
        {
            return Err(ControlFailure::Published(at));
        }
        // Another relay may hold the student (and have stored events since
        // this relay last read the attempt), or have closed it.
        if self.copy_may_be_stale(slot.id) {
            self.refresh_cell(slot, &mut cell)
                .await
                .map_err(ControlFailure::Store)?;
        }
        let mut stale = 0;
        let (now, next, effect, final_grade) = loop {
            let decided = self.decide_and_store_control(slot, &cell, &exam, control, actor, reason);
            match decided.await {
                Err(ControlFailure::Store(StoreError::Db(DbError::Stale { .. })))
                    if stale < crate::cluster::STALE_RETRIES =>
                {
                    stale += 1;
                    self.refresh_cell(slot, &mut cell)
                        .await
                        .map_err(ControlFailure::Store)?;
                }
                outcome => break outcome?,
            }
        };
        let (id, status) = (slot.id, next.status);
        cell.attempt = next;
        cell.controls += 1;
        match effect {
            Effect::Ended => slot.set_grade(&mut cell, final_grade.clone()),
            Effect::Reopened => {
                slot.set_grade(&mut cell, None);
                // Finals fall and rise again to the same count: the cached
                // results would look current while answers changed.
                self.results_cache.corrected();
            }
            Effect::Clock => {}
        }
        if let Some(due) = cell.attempt.next_due(self.config.grace_ms, hard_stop) {
            self.deadlines.schedule(due, id);
        }
        // The relay's own close is told by the result alone, as it always
        // was; a proctor's control comes with the clock it leaves.
        let mut to_student = Vec::new();
        if *control != Control::DeadlineClose {
            to_student.push(RelayToStudent::Control {
                control: control.clone(),
                clock: cell.attempt.clock(now),
            });
        }
        if let Some(g) = final_grade {
            to_student.push(RelayToStudent::Result { status, grade: g });
        }
        // The relay holding the student reads the attempt again first.
        self.send_to_student_anywhere(id, to_student.iter().map(encode).collect(), true);
        self.publish_row(&slot.candidate, Some((id, &cell)));
        drop(cell);
        // The closer looks at each sitting once per round of closes (one
        // deadline can end a whole province's attempts at once).
        if effect == Effect::Ended && *control != Control::DeadlineClose {
            self.snapshot_if_sitting_done(slot.candidate.sitting_id)
                .await;
        }
        Ok(effect)
    }

    /// Decides `control` on a copy of the attempt as this relay holds it
    /// and stores it with its audit entry (and grade), provided the
    /// attempt is still as read ([`writes::claim_attempt`]). Returns the
    /// control's time, the changed copy, its effect and any grade.
    async fn decide_and_store_control(
        &self,
        slot: &AttemptSlot,
        cell: &AttemptCell,
        exam: &Exam,
        control: &Control,
        actor: &str,
        reason: &str,
    ) -> Result<(Millis, Attempt, Effect, Option<Grade>), ControlFailure> {
        let hard_stop = self
            .catalog
            .sitting(slot.candidate.sitting_id)
            .and_then(|s| s.hard_stop);
        // A control on a started attempt is stamped after its start, so a
        // replay tells controls before the start (extra time added at the
        // start) from those after it.
        let now: Millis = match cell.attempt.started_ms {
            Some(started) => now_ms().max(started + 1),
            None => now_ms(),
        };
        let mut next = cell.attempt.clone();
        let effect = next
            .control(control, now, self.config.grace_ms, hard_stop)
            .map_err(ControlFailure::Refused)?;
        let final_grade = (effect == Effect::Ended).then(|| grade(exam, &next.answers));
        let (id, after_seq, status) = (slot.id, next.acked_seq, next.status);
        let (final_then, controls_then) = (cell.attempt.status.is_final(), cell.controls);
        let (stored, actor_s, reason_s, to_store) = (
            control.clone(),
            actor.to_string(),
            reason.to_string(),
            final_grade.clone(),
        );
        self.store
            .write(move |txn| {
                writes::claim_attempt(txn, id, after_seq, final_then, controls_then)?;
                oversight::insert_control(txn, id, now, after_seq, &stored, &actor_s, &reason_s)?;
                match (&to_store, effect) {
                    (Some(g), _) => {
                        writes::finish_attempt(txn, id, status, now, g)?;
                    }
                    (None, Effect::Reopened) => oversight::reopen_attempt(txn, id)?,
                    _ => {}
                }
                let detail = serde_json::json!({
                    "attempt": id,
                    "control": stored,
                    "reason": reason_s,
                });
                writes::audit(txn, now, &actor_s, stored.name(), &detail.to_string())
            })
            .await
            .map_err(ControlFailure::Store)?;
        Ok((now, next, effect, final_grade))
    }
}
