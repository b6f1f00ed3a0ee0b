//! Publishing an event's results ("công bố kết quả"): once every shift has
//! closed and no attempt still works, the whole exam's office publishes;
//! from then on the results change only through the corrections path (a
//! key correction regrades and records who, what and why). Nothing else
//! may move them: no reopened attempt, no new shift, no roster import, no
//! room switched to or from chip-ID check-in.
//!
//! The publication is in the audit chain with a SHA-256 over every graded
//! attempt's score and mark as published, so an inspector can tell the
//! published results from any later correction.

use examgate_shared::Millis;
use examgate_shared::error::{ErrorBody, ErrorCode};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::attempts::internal;
use crate::auth::Session;
use crate::clock::now_ms;
use crate::model::{EventId, ExamEvent, SittingId};
use crate::state::Plan;
use crate::store::writes;

/// What a publication committed (the answer of the endpoint, and the audit
/// entry's detail).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Published {
    pub event: EventId,
    pub published_at: Millis,
    pub shifts: usize,
    /// Graded attempts whose results were published.
    pub attempts: usize,
    /// SHA-256 over `attempt:score_milli:mark_tenths` lines, by attempt id.
    pub results_sha256: String,
}

impl Plan {
    /// `event`, if it exists and is not published: what every change to an
    /// event's plan or results checks first.
    pub fn unpublished_event(&self, event: EventId) -> Result<&ExamEvent, ErrorBody> {
        let found = self
            .events
            .get(&event)
            .ok_or_else(|| ErrorBody::new(ErrorCode::NotFound, "no such exam event"))?;
        match found.published_at {
            Some(at) => Err(refused_after_publication(at)),
            None => Ok(found),
        }
    }

    /// When the event of `sitting` was published, if it was.
    pub fn published_at(&self, sitting: SittingId) -> Option<Millis> {
        let event = self.sittings.get(&sitting)?.event_id?;
        self.events.get(&event)?.published_at
    }
}

/// The refusal of any change to a published event's results.
pub fn refused_after_publication(published_at: Millis) -> ErrorBody {
    ErrorBody::new(
        ErrorCode::Conflict,
        format!(
            "the results were published at {}; they change only through a correction of the key",
            examgate_shared::office::api::vietnam_text(published_at)
        ),
    )
}

impl AppState {
    /// Refuses a change to `sitting` once its event is published.
    pub fn ensure_unpublished(&self, sitting: SittingId) -> Result<(), ErrorBody> {
        match self.catalog.plan().published_at(sitting) {
            Some(at) => Err(refused_after_publication(at)),
            None => Ok(()),
        }
    }

    /// Publishes `event`'s results (the whole exam's office only).
    pub async fn publish_event(
        &self,
        staff: &Session,
        event: EventId,
    ) -> Result<Published, ErrorBody> {
        if staff.site_id.is_some() {
            return Err(ErrorBody::new(
                ErrorCode::Forbidden,
                "results are published by the whole exam's office",
            ));
        }
        // Under the plan lock: no shift or import slips in meanwhile.
        let _plan = self.plan_lock.lock().await;
        let now = now_ms();
        let sittings: Vec<(SittingId, Millis)> = {
            let plan = self.catalog.plan();
            plan.unpublished_event(event)?;
            plan.shifts_of(event)
                .iter()
                .map(|s| (s.id, s.closes_at))
                .collect()
        };
        if sittings.is_empty() {
            return Err(ErrorBody::new(
                ErrorCode::Conflict,
                "the event has no shift: there is nothing to publish",
            ));
        }
        if let Some((_, closes)) = sittings.iter().find(|(_, closes)| *closes > now) {
            return Err(ErrorBody::new(
                ErrorCode::Conflict,
                format!(
                    "a shift is still open (until {}): publish after every shift has closed",
                    examgate_shared::office::api::vietnam_text(*closes)
                ),
            ));
        }
        // Marked first, in memory: a reopen checks under the attempt's lock
        // (`apply_control`), so from here none can start, and one that got
        // in before is seen below as a working attempt. Unmarked if the
        // publication does not happen.
        self.mark_published(event, Some(now));
        let committed = self.commit_publication(staff, event, &sittings, now).await;
        if committed.is_err() {
            self.mark_published(event, None);
        }
        committed
    }

    fn mark_published(&self, event: EventId, at: Option<Millis>) {
        if let Some(e) = self.catalog.plan_mut().events.get_mut(&event) {
            e.published_at = at;
        }
    }

    /// Checks that no attempt of `sittings` still works, digests the
    /// results and stores the publication with its audit entry.
    async fn commit_publication(
        &self,
        staff: &Session,
        event: EventId,
        sittings: &[(SittingId, Millis)],
        now: Millis,
    ) -> Result<Published, ErrorBody> {
        // Every attempt of the event, as stored, not only this relay's.
        for (sitting, _) in sittings {
            self.sync_sitting(*sitting).await.map_err(internal)?;
        }
        let slots: Vec<_> = {
            let people = self.people();
            let mut slots: Vec<_> = people
                .attempts
                .values()
                .filter(|a| sittings.iter().any(|(s, _)| *s == a.candidate.sitting_id))
                .cloned()
                .collect();
            slots.sort_by_key(|a| a.id);
            slots
        };
        let mut lines = Sha256::new();
        let (mut graded, mut working) = (0, 0);
        for slot in &slots {
            let cell = slot.cell.lock().await;
            match &cell.grade {
                Some(g) => {
                    graded += 1;
                    lines.update(format!(
                        "{}:{}:{}\n",
                        slot.id,
                        g.score.milli_rounded(),
                        g.mark.tenths()
                    ));
                }
                None if cell.attempt.started_ms.is_some() => working += 1,
                None => {}
            }
        }
        if working > 0 {
            return Err(ErrorBody::new(
                ErrorCode::Conflict,
                format!(
                    "{working} attempt(s) still working (extra time or a pause): publish after they end"
                ),
            ));
        }
        let published = Published {
            event,
            published_at: now,
            shifts: sittings.len(),
            attempts: graded,
            results_sha256: examgate_shared::audit_chain::to_hex(&lines.finalize().into()),
        };
        let (actor, detail) = (
            format!("user:{}", staff.username),
            serde_json::to_string(&published).expect("json"),
        );
        self.store
            .write(move |txn| {
                txn.execute(
                    "UPDATE exam_events SET published_at = ?2 WHERE id = ?1",
                    crate::args![event, now],
                )?;
                writes::audit(txn, now, &actor, "results_publish", &detail)
            })
            .await
            .map_err(internal)?;
        Ok(published)
    }
}
