//! Serving one exam from several relays on one database (`--bus`): what a
//! relay reads again from the database, and when.
//!
//! A relay keeps attempts in memory and decides events with the shared
//! state machine, as a relay alone does. With other relays beside it, its
//! copy of an attempt is trusted only while it holds the attempt's student
//! connection: the events arrive here, so nothing else changes the
//! attempt but a proctor's control (or a move) taken on another relay,
//! which comes with news to read it again ([`crate::bus::News::Student`]).
//! News can be lost, so every answer is also stored only on the version
//! it was decided on (`writes::AsRead`: controls, final, token). Every
//! other use first reads the attempt again from the database, under the
//! attempt's lock:
//!
//! - a hello: the token may have been issued (or replaced) by another
//!   relay, and the attempt changed there until this moment (one statement
//!   tells whether the copy is current);
//! - a control from a proctor on this relay for a student on another;
//! - the deadline close;
//! - an event the database refused as out of sequence or stale (the
//!   student's older connection on another relay stored one first, or a
//!   control whose news was lost);
//! - a sitting's results, publication or regrade ([`AppState::sync_sitting`]).
//!
//! The database decides what a stale copy would get wrong: an event is
//! stored only as the successor of the attempt's stored head, a control
//! only on the state it was decided on, an attempt becomes final once
//! ([`crate::store::writes`]). Staff sessions signed in on another relay
//! are read on first use and again after [`SESSION_RECHECK_MS`]; the plan,
//! exams and accounts are read again when another relay says they changed.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;

use examgate_shared::Millis;
use examgate_shared::integrity::Tally;
use examgate_shared::proctoring::Target;
use examgate_shared::scoring::grade;

use crate::AppState;
use crate::auth::{Session, hash_token};
use crate::bus::News;
use crate::clock::now_ms;
use crate::model::{AttemptId, RoomId, SittingId, TokenHash};
use crate::state::{AttemptCell, AttemptSlot, Plan};
use crate::store::StoreError;
use crate::store::db::DbError;
use crate::store::load::{self, AttemptNow, Which};

/// How often a relay looks for attempts past their deadline that it has
/// not in memory (started on a relay that has since died).
pub const OVERDUE_SWEEP: Duration = Duration::from_secs(1);

/// How long past its due time an attempt must be still open before a relay
/// that does not know it takes it over: the relay that holds it closes it
/// at its due time, and a whole shift's deadline must not send every
/// other relay to read every attempt.
pub const OVERDUE_MARGIN_MS: Millis = 10_000;

/// A relay that does not hold an attempt's connection closes it this long
/// after its due time, so the relay that holds it (and knows it best) is
/// normally first, and the others find it closed.
pub const CLOSE_DEFERRAL_MS: Millis = 2_000;

/// Attempts read at once when a sitting's results are brought up to date.
const SYNC_READS_AT_ONCE: usize = 8;

/// How long a staff session read from the database (signed in on another
/// relay) is trusted before it is read again.
pub const SESSION_RECHECK_MS: Millis = 30_000;

/// How many times an operation refused as stale is read again and retried
/// before it fails.
pub const STALE_RETRIES: usize = 4;

impl AppState {
    /// The attempt a student's token opens. Alone, from memory; in a
    /// cluster, from the database (another relay may have issued or
    /// replaced the token, or changed the attempt), brought into memory.
    pub async fn attempt_for_token(
        &self,
        token_hash: &TokenHash,
    ) -> Result<Option<Arc<AttemptSlot>>, StoreError> {
        if !self.clustered() {
            return Ok(self.attempt_by_token(token_hash));
        }
        // Most hellos come back to the relay that has the attempt as
        // stored: one statement tells, and the full read is spared.
        if let Some(slot) = self.attempt_by_token(token_hash)
            && self.copy_is_current(&slot, token_hash).await?
        {
            return Ok(Some(slot));
        }
        let hash = *token_hash;
        let found = self
            .store
            .read(move |db| Ok(load::load_attempt(db, Which::Token(&hash))?))
            .await?;
        match found {
            Some(now) => self.adopt(now).await.map(Some),
            None => {
                // Replaced on another relay: it stops working here too.
                self.people
                    .write()
                    .expect("people lock")
                    .by_token
                    .remove(token_hash);
                Ok(None)
            }
        }
    }

    /// Brings into memory the attempt of the candidate who joins as `key`
    /// in this sitting and room, if another relay created it: a join here
    /// then resumes it (or is refused) exactly as on that relay.
    pub(crate) async fn learn_candidate(
        &self,
        sitting: SittingId,
        room: RoomId,
        key: &str,
    ) -> Result<(), StoreError> {
        if !self.clustered() {
            return Ok(());
        }
        let key = key.to_owned();
        let ids = self
            .store
            .read(move |db| {
                db.query_map(
                    "SELECT a.id FROM candidates c JOIN attempts a ON a.candidate_id = c.id
                     WHERE c.sitting_id = ?1 AND c.room_id = ?2 AND c.name_key = ?3",
                    crate::args![sitting, room, key],
                    |r| r.get::<AttemptId>(0),
                )
            })
            .await?;
        for id in ids {
            self.reread_attempt(id).await?;
        }
        Ok(())
    }

    /// Brings into memory the attempts of `target` (a candidate or a whole
    /// room) that other relays created, before a proctor on this relay
    /// acts on them or writes to them. Those already known are read again
    /// when acted on.
    pub(crate) async fn learn_target(&self, target: Target) -> Result<(), StoreError> {
        if !self.clustered() {
            return Ok(());
        }
        let (sql, key) = match target {
            Target::Candidate { candidate_id } => (
                "SELECT id FROM attempts WHERE candidate_id = ?1",
                candidate_id,
            ),
            Target::Room { room_id } => (
                "SELECT a.id FROM attempts a JOIN candidates c ON c.id = a.candidate_id
                 WHERE c.room_id = ?1",
                room_id,
            ),
        };
        let ids = self
            .store
            .read(move |db| db.query_map(sql, crate::args![key], |r| r.get::<AttemptId>(0)))
            .await?;
        self.adopt_unknown(ids).await?;
        Ok(())
    }

    /// Reads into memory those of `ids` this relay does not know; returns
    /// how many.
    async fn adopt_unknown(&self, ids: Vec<AttemptId>) -> Result<usize, StoreError> {
        let unknown: Vec<AttemptId> = {
            let people = self.people();
            ids.into_iter()
                .filter(|id| !people.attempts.contains_key(id))
                .collect()
        };
        for &id in &unknown {
            self.reread_attempt(id).await?;
        }
        Ok(unknown.len())
    }

    /// Whether this relay's copy of the attempt is the stored one
    /// ([`load::AttemptVersion`]), with `token_hash` still its token.
    async fn copy_is_current(
        &self,
        slot: &AttemptSlot,
        token_hash: &TokenHash,
    ) -> Result<bool, StoreError> {
        let id = slot.id;
        let Some(stored) = self
            .store
            .read_one(move |db| load::attempt_version(db, id))
            .await?
        else {
            return Ok(false);
        };
        let cell = slot.cell.lock().await;
        let mine = load::AttemptVersion {
            token_hash: token_hash.to_vec(),
            head: cell.attempt.acked_seq,
            is_final: cell.attempt.status.is_final(),
            controls: cell.controls,
        };
        Ok(mine == stored)
    }

    /// Reads the attempt again from the database into memory (adding it
    /// when this relay did not know it) and publishes its row. `None`: no
    /// such attempt.
    pub async fn reread_attempt(
        &self,
        id: AttemptId,
    ) -> Result<Option<Arc<AttemptSlot>>, StoreError> {
        let found = self
            .store
            .read(move |db| Ok(load::load_attempt(db, Which::Id(id))?))
            .await?;
        match found {
            Some(now) => self.adopt(now).await.map(Some),
            None => Ok(None),
        }
    }

    /// Brings `cell`, locked by the caller, to the database's state of the
    /// attempt.
    pub(crate) async fn refresh_cell(
        &self,
        slot: &AttemptSlot,
        cell: &mut AttemptCell,
    ) -> Result<(), StoreError> {
        let id = slot.id;
        let found = self
            .store
            .read(move |db| Ok(load::load_attempt(db, Which::Id(id))?))
            .await?;
        let Some(now) = found else {
            return Err(StoreError::Db(DbError::NoRow));
        };
        self.take_stored(slot, cell, now);
        Ok(())
    }

    /// Whether this relay should read the attempt again before acting on
    /// it: in a cluster, unless it holds the attempt's student connection.
    pub(crate) fn copy_may_be_stale(&self, attempt: AttemptId) -> bool {
        self.clustered() && !self.live.is_connected(attempt)
    }

    /// Whether to leave the attempt's close to the relay that holds its
    /// student a little longer ([`CLOSE_DEFERRAL_MS`]): then it is
    /// rescheduled here for after that.
    pub(crate) async fn defer_close(&self, slot: &AttemptSlot) -> bool {
        let hard_stop = self
            .catalog
            .sitting(slot.candidate.sitting_id)
            .and_then(|s| s.hard_stop);
        let due = slot
            .cell
            .lock()
            .await
            .attempt
            .next_due(self.config.grace_ms, hard_stop);
        match due {
            Some(due) if now_ms() < due + CLOSE_DEFERRAL_MS => {
                self.deadlines.schedule(due + CLOSE_DEFERRAL_MS, slot.id);
                true
            }
            _ => false,
        }
    }

    /// This relay took the attempt's student connection: the others close
    /// theirs.
    pub(crate) fn took_connection(&self, attempt: AttemptId, tab: Option<String>) {
        if let Some(bus) = self.bus.get() {
            bus.not_held_elsewhere(attempt);
            bus.tell(News::Taken {
                attempt,
                tab,
                at: Some(now_ms()),
            });
        }
    }

    /// This relay's connection for the attempt ended.
    pub(crate) fn released_connection(&self, attempt: AttemptId) {
        self.tell(News::Released { attempt });
    }

    /// Puts a stored attempt into memory: a new slot, or the known one
    /// brought up to date under its lock.
    async fn adopt(&self, now: AttemptNow) -> Result<Arc<AttemptSlot>, StoreError> {
        let candidate = now.candidate.clone();
        if self.catalog.exam_of(candidate.sitting_id).is_none() {
            // A shift or paper added on another relay since this one read
            // the plan.
            self.reload_catalog().await?;
            if self.catalog.exam_of(candidate.sitting_id).is_none() {
                return Err(StoreError::Db(DbError::Conversion(format!(
                    "attempt {}: its sitting {} is not in the plan",
                    now.stored.id, candidate.sitting_id
                ))));
            }
        }
        let id = now.stored.id;
        let known = self.people().attempts.get(&id).cloned();
        let slot = match known {
            // Known: read again under its lock. What was read before the
            // lock may be older than what this relay applied meanwhile, and
            // a copy never moves backwards.
            Some(slot) => {
                let mut cell = slot.cell.lock().await;
                self.refresh_cell(&slot, &mut cell).await?;
                self.publish_row(&slot.candidate, Some((id, &cell)));
                drop(cell);
                slot
            }
            // New here: the slot goes in with the stored state already in
            // it, so nobody can see it empty.
            None => {
                let token_hash = now.stored.token_hash;
                let arrangement = now.stored.arrangement;
                let mut cell = AttemptCell::default();
                self.stored_into(&candidate, &mut cell, now);
                let slot = {
                    let mut people = self.people.write().expect("people lock");
                    if !people.candidates.contains_key(&candidate.id) {
                        people.add_candidate(candidate.clone());
                    }
                    let slot = people
                        .attempts
                        .entry(id)
                        .or_insert_with(|| {
                            Arc::new(AttemptSlot::new(id, candidate.clone(), arrangement, cell))
                        })
                        .clone();
                    people.attempt_of.insert(candidate.id, id);
                    people.by_token.retain(|_, a| *a != id);
                    people.by_token.insert(token_hash, id);
                    slot
                };
                let cell = slot.cell.lock().await;
                self.schedule_due(&slot, &cell);
                self.publish_row(&slot.candidate, Some((id, &cell)));
                drop(cell);
                slot
            }
        };
        Ok(slot)
    }

    /// Replaces the cell's attempt, warnings and token by the stored ones,
    /// with its grade and its deadline scheduled.
    fn take_stored(&self, slot: &AttemptSlot, cell: &mut AttemptCell, now: AttemptNow) {
        let token_hash = now.stored.token_hash;
        let final_grade = self.stored_into(&slot.candidate, cell, now);
        slot.set_grade(cell, final_grade);
        {
            // The token may have been replaced on another relay.
            let mut people = self.people.write().expect("people lock");
            if people.by_token.get(&token_hash) != Some(&slot.id) {
                people.by_token.retain(|_, a| *a != slot.id);
                people.by_token.insert(token_hash, slot.id);
            }
        }
        self.schedule_due(slot, cell);
    }

    /// Puts the stored attempt, warnings and count of controls into
    /// `cell`; returns its grade when it is final (set by the caller:
    /// [`AttemptSlot::set_grade`] keeps the slot's flag in step).
    fn stored_into(
        &self,
        candidate: &crate::model::Candidate,
        cell: &mut AttemptCell,
        now: AttemptNow,
    ) -> Option<examgate_shared::scoring::Grade> {
        let stored = now.stored;
        let mut warnings = Tally::default();
        for w in now.warnings {
            warnings.add(w);
        }
        cell.warnings = warnings;
        let final_grade = stored
            .attempt
            .status
            .is_final()
            .then(|| grade(&self.exam_for(candidate), &stored.attempt.answers));
        cell.attempt = stored.attempt;
        cell.controls = stored.controls;
        cell.grade = final_grade.clone();
        final_grade
    }

    /// Schedules the attempt's next due time, if it has one.
    fn schedule_due(&self, slot: &AttemptSlot, cell: &AttemptCell) {
        let hard_stop = self
            .catalog
            .sitting(slot.candidate.sitting_id)
            .and_then(|s| s.hard_stop);
        if let Some(due) = cell.attempt.next_due(self.config.grace_ms, hard_stop) {
            self.deadlines.schedule(due, slot.id);
        }
    }

    /// The staff session of a bearer token: from memory, or in a cluster
    /// from the database when it was signed in on another relay.
    pub async fn session(&self, token: &str) -> Option<Session> {
        let now = now_ms();
        let hash = hash_token(token);
        // A session read from the database is kept for a short while only:
        // another relay may end it, and its news may be lost.
        if let Some(session) = self.sessions.get(token, now)
            && !self
                .sessions
                .remembered_before(&hash, now - SESSION_RECHECK_MS)
        {
            return Some(session);
        }
        if !self.clustered() || self.sessions.known_unknown(&hash) {
            return None;
        }
        let found = self
            .store
            .read(move |db| Ok(load::load_session(db, now, &hash)?))
            .await;
        match found {
            Ok(Some(session)) => {
                self.sessions.remember(hash, session.clone(), now);
                Some(session)
            }
            Ok(None) => {
                self.sessions.forget(&hash);
                self.sessions.note_unknown(hash);
                None
            }
            Err(e) => {
                tracing::error!("reading a session failed: {e}");
                None
            }
        }
    }

    /// Reads exams, the plan and accounts again (another relay changed
    /// them).
    pub async fn reload_catalog(&self) -> Result<(), StoreError> {
        // Under the plan's lock from before the read: a change this relay
        // commits meanwhile is in what is read, never overwritten by an
        // older copy.
        let plan_lock = self.plan_lock.lock().await;
        let at_rest = self.at_rest.clone();
        let mut loaded = self
            .store
            .read(move |db| Ok(load::load_catalog(db, &at_rest)?))
            .await?;
        let plan = Plan::from_loaded(&mut loaded);
        let corrected: Vec<String> = loaded
            .exams
            .iter()
            .filter(|e| self.catalog.exam(&e.id).is_some_and(|old| *old != **e))
            .map(|e| e.id.clone())
            .collect();
        self.catalog
            .replace_all(std::mem::take(&mut loaded.exams), plan);
        *self.users.write().expect("users lock") = loaded
            .users
            .into_iter()
            .map(|u| (u.username.clone(), u))
            .collect();
        drop(plan_lock);
        if !corrected.is_empty() {
            self.regrade_in_memory(&corrected).await;
        }
        Ok(())
    }

    /// Another relay corrected these exams' keys (and stored the new
    /// grades): the grades this relay holds are computed again, and its
    /// cached results are stale.
    async fn regrade_in_memory(&self, exams: &[String]) {
        self.results_cache.corrected();
        let slots: Vec<Arc<AttemptSlot>> = self.people().attempts.values().cloned().collect();
        for slot in slots {
            let Some(exam) = self.catalog.exam_of(slot.candidate.sitting_id) else {
                continue;
            };
            if !exams.contains(&exam.id) {
                continue;
            }
            let mut cell = slot.cell.lock().await;
            if cell.grade.is_some() {
                let regraded = grade(&exam, &cell.attempt.answers);
                slot.set_grade(&mut cell, Some(regraded));
                self.publish_row(&slot.candidate, Some((slot.id, &cell)));
            }
        }
    }

    /// Brings into memory the attempts past their deadline that are still
    /// open in the database and unknown here — started on a relay that
    /// died — so this relay's closer closes them. Returns how many.
    pub async fn adopt_overdue(&self) -> Result<usize, StoreError> {
        let before = now_ms() - self.config.grace_ms - OVERDUE_MARGIN_MS;
        let ids = self
            .store
            .read_one(move |db| load::overdue(db, before))
            .await?;
        // Unknown here, or known but held by no one here (a copy that says
        // "paused" may be stale): read them.
        let stale: Vec<AttemptId> = {
            let people = self.people();
            ids.into_iter()
                .filter(|id| !people.attempts.contains_key(id) || !self.live.is_connected(*id))
                .collect()
        };
        for &id in &stale {
            self.reread_attempt(id).await?;
        }
        Ok(stale.len())
    }

    /// In a cluster, brings this relay's copies of `sitting`'s attempts to
    /// the database's state before its results are computed, published or
    /// stored from memory: unknown ones are read in, and those whose
    /// stored version differs (another relay stored events, a control, a
    /// final) are read again. One statement when nothing changed.
    pub async fn sync_sitting(&self, sitting: SittingId) -> Result<(), StoreError> {
        if !self.clustered() {
            return Ok(());
        }
        let stored = self
            .store
            .read_one(move |db| load::sitting_versions(db, sitting))
            .await?;
        let mut stale = Vec::new();
        for (id, head, is_final, controls) in stored {
            let slot = self.people().attempts.get(&id).cloned();
            let current = match slot {
                Some(slot) => {
                    let cell = slot.cell.lock().await;
                    (
                        cell.attempt.acked_seq,
                        cell.attempt.status.is_final(),
                        cell.controls,
                    ) == (head, is_final, controls)
                }
                None => false,
            };
            if !current {
                stale.push(id);
            }
        }
        let read: Vec<Result<_, StoreError>> = futures_util::stream::iter(stale)
            .map(|id| self.reread_attempt(id))
            .buffer_unordered(SYNC_READS_AT_ONCE)
            .collect()
            .await;
        read.into_iter().try_for_each(|r| r.map(|_| ()))
    }

    /// In a cluster, whether any attempt of `sitting` is still working, as
    /// stored (this relay's memory knows only some of them).
    pub async fn sitting_still_working(&self, sitting: SittingId) -> Result<bool, StoreError> {
        self.store
            .read_one(move |db| {
                db.query_row(
                    "SELECT count(*) FROM attempts a JOIN candidates c ON c.id = a.candidate_id
                     WHERE c.sitting_id = ?1 AND a.started_at IS NOT NULL
                       AND a.final_status IS NULL",
                    crate::args![sitting],
                    |r| r.get::<u64>(0),
                )
            })
            .await
            .map(|n| n > 0)
    }
}

/// Tells the other relays when a staff request changed what they hold in
/// memory: the plan, papers, the bank or accounts (read again), or a
/// session (forgotten, read again on use). Only successful changes count.
pub async fn tell_changes(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if !state.clustered() || request.method() == axum::http::Method::GET {
        return next.run(request).await;
    }
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    if response.status().is_success() {
        const CATALOG: [&str; 4] = ["/api/office/", "/api/bank/", "/api/exams/", "/api/setup"];
        if CATALOG.iter().any(|p| path.starts_with(p)) {
            state.tell(News::Catalog);
        }
        if path == "/api/logout" || path.starts_with("/api/office/accounts") {
            state.tell(News::Sessions);
        }
    }
    response
}

/// Runs forever in a cluster: every [`OVERDUE_SWEEP`], adopts the overdue
/// attempts no live relay closed ([`AppState::adopt_overdue`]).
pub async fn run_overdue_sweep(state: AppState) {
    let mut tick = tokio::time::interval(OVERDUE_SWEEP);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match state.adopt_overdue().await {
            Ok(0) => {}
            Ok(n) => tracing::info!("cluster: {n} overdue attempt(s) taken over for closing"),
            Err(e) => tracing::error!("cluster: looking for overdue attempts failed: {e}"),
        }
    }
}
