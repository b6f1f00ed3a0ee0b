//! The attempt operations: join, start, take an event, close at the deadline.
//!
//! This is the IO shell around `examgate_shared::attempt`: the shared state
//! machine decides, this module persists the decision and only then applies
//! it and answers. Invariant: no ack, grade or row is ever based on a change
//! that is not yet committed to SQLite.

use examgate_shared::Millis;
use examgate_shared::attempt::{Decision, StartError, StudentEvent};
use examgate_shared::control::Control;
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::exam::Exam;
use examgate_shared::exam::Versioning;
use examgate_shared::paper::Arrangement;
use examgate_shared::protocol::{AttemptView, JoinRequest, JoinResponse, RelayToStudent};
use examgate_shared::scoring::grade;

use crate::AppState;
use crate::auth::{hash_token, new_token, random_u64};
use crate::clock::now_ms;
use crate::control::ControlFailure;
use crate::model::{AttemptId, Candidate, JoinCode, SittingId, TokenHash, name_key, number_key};
use crate::state::{AttemptCell, AttemptSlot};
use crate::store::db::DbError;
use crate::store::{StoreError, writes};

/// Longest accepted candidate name, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// Who is coming in: the name shown, the key that makes them one candidate
/// per room, and their số báo danh when registered.
#[derive(Clone)]
pub(crate) struct Who {
    pub name: String,
    pub key: String,
    pub candidate_number: Option<String>,
}

/// How a candidate comes in.
#[derive(Clone)]
pub(crate) enum Admission {
    /// Typed name (practice rooms); the token a returning browser holds.
    Fresh(Option<String>),
    /// Confirmed by a proctor after a chip check-in; `actor` for the audit.
    CardHolder { actor: String },
}

/// A store failure as the refusal callers see; logged here.
pub(crate) fn internal(e: StoreError) -> ErrorBody {
    tracing::error!("store: {e}");
    ErrorBody::new(
        ErrorCode::Internal,
        "the relay could not store this; nothing was changed",
    )
}

impl AppState {
    /// A student joins a room with its code and their name (practice mode,
    /// no card), or with a seat code a proctor station issued after a chip
    /// check-in. Returns the bearer token of their attempt.
    pub async fn join(&self, req: JoinRequest) -> Result<JoinResponse, ErrorBody> {
        let Some(code) = self.join_code(&req.code) else {
            return Err(ErrorBody::new(
                ErrorCode::UnknownCode,
                "no room has this join code",
            ));
        };
        // A seat code checks the window itself: a moved student's attempt
        // may run past the window's close (extra time, a pause).
        if let Some(seat_code) = req.seat_code.as_deref().filter(|s| !s.trim().is_empty()) {
            return self.join_with_seat_code(&code, seat_code).await;
        }
        self.check_window(&code, now_ms())?;
        if code.requires_card {
            // A reload comes back with the token it already holds.
            if let Some(token) = req.resume_token.as_deref()
                && let Some(slot) = self.attempt_by_token(&hash_token(token))
                && slot.candidate.room_id == code.room_id
                && slot.candidate.sitting_id == code.sitting_id
            {
                return Ok(self.join_response(&code, token.to_string(), slot.id));
            }
            return Err(ErrorBody::new(
                ErrorCode::CheckinRequired,
                "this room admits candidates only by chip-ID check-in",
            ));
        }
        let registered_only = {
            let plan = self.catalog.plan();
            // A planned exam's shift (or any room with a roster) admits its
            // registered candidates only, even in a room nobody was placed.
            plan.has_registrations(code.sitting_id, code.room_id)
                || plan
                    .sittings
                    .get(&code.sitting_id)
                    .is_some_and(|s| s.event_id.is_some())
        };
        if registered_only {
            let who = self.registered_candidate(&code, &req)?;
            return self
                .admit(&code, &who, Admission::Fresh(req.resume_token))
                .await;
        }
        let name = req.name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            return Err(ErrorBody::new(
                ErrorCode::InvalidName,
                format!("a name of 1 to {MAX_NAME_CHARS} characters is required"),
            ));
        }
        let name = examgate_shared::office::names::nfc(&name);
        let who = Who {
            key: name_key(&name),
            name,
            candidate_number: None,
        };
        self.admit(&code, &who, Admission::Fresh(req.resume_token))
            .await
    }

    /// The join code as typed (any case, spaces around).
    pub(crate) fn join_code(&self, typed: &str) -> Option<JoinCode> {
        self.catalog
            .plan()
            .join_codes
            .get(&typed.trim().to_uppercase())
            .cloned()
    }

    /// In a room whose candidates were registered, a candidate comes in by
    /// their số báo danh and date of birth, never by a typed name; someone
    /// of another room or shift is refused.
    fn registered_candidate(&self, code: &JoinCode, req: &JoinRequest) -> Result<Who, ErrorBody> {
        let number = req
            .candidate_number
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .ok_or_else(|| {
                ErrorBody::new(
                    ErrorCode::CandidateNumberRequired,
                    "this room admits registered candidates only: type your candidate number (số báo danh)",
                )
            })?
            .to_uppercase();
        let plan = self.catalog.plan();
        let entry = plan
            .registered
            .get(&(code.sitting_id, number.clone()))
            .filter(|e| e.room_id == code.room_id)
            .ok_or_else(|| {
                ErrorBody::new(
                    ErrorCode::NotOnRoster,
                    format!(
                        "candidate number {number} is not registered in this room for this shift"
                    ),
                )
            })?;
        if let Some(birth) = &entry.birth {
            let typed = req
                .birth
                .as_deref()
                .and_then(|b| examgate_shared::office::dates::Date::parse_text(b).ok());
            if typed.map(|d| d.iso()).as_deref() != Some(birth.as_str()) {
                return Err(ErrorBody::new(
                    ErrorCode::BirthMismatch,
                    "the date of birth does not match the registration",
                ));
            }
        }
        Ok(Who {
            name: entry.name.clone(),
            key: number_key(&number),
            candidate_number: Some(number),
        })
    }

    /// Refuses before the window opens (content is never served early) and
    /// after it closes.
    pub(crate) fn check_window(&self, code: &JoinCode, now: Millis) -> Result<(), ErrorBody> {
        let (opens_at, closes_at) = {
            let plan = self.catalog.plan();
            let s = &plan.sittings[&code.sitting_id];
            (s.opens_at, s.closes_at)
        };
        if now < opens_at {
            return Err(ErrorBody::new(
                ErrorCode::ExamNotOpen,
                format!("the exam opens at {opens_at} (relay time, ms)"),
            ));
        }
        if now >= closes_at {
            return Err(ErrorBody::new(
                ErrorCode::ExamClosed,
                "the exam window has closed",
            ));
        }
        Ok(())
    }

    pub(crate) fn join_response(
        &self,
        code: &JoinCode,
        token: String,
        attempt_id: AttemptId,
    ) -> JoinResponse {
        JoinResponse {
            token,
            attempt_id,
            exam_title: self.exam_of_sitting(code.sitting_id).title.clone(),
            room: self.catalog.plan().rooms[&code.room_id].name.clone(),
        }
    }

    /// Lets a candidate in: creates their attempt, or for a checked-in card
    /// holder who already has one (a new computer), hands out a new token
    /// for the same attempt and ends the old computer's connection.
    ///
    /// Runs to the end on its own task: a browser that gives up waiting
    /// (its request dropped) must not leave a candidate committed to the
    /// database but missing from memory, which every later join of that
    /// name would trip over.
    pub(crate) async fn admit(
        &self,
        code: &JoinCode,
        who: &Who,
        admission: Admission,
    ) -> Result<JoinResponse, ErrorBody> {
        let (state, code, who) = (self.clone(), code.clone(), who.clone());
        tokio::spawn(async move { state.admit_now(&code, &who, admission).await })
            .await
            .map_err(|e| {
                tracing::error!("join task: {e}");
                ErrorBody::new(
                    ErrorCode::Internal,
                    "the relay could not finish this join; try again",
                )
            })?
    }

    async fn admit_now(
        &self,
        code: &JoinCode,
        who: &Who,
        admission: Admission,
    ) -> Result<JoinResponse, ErrorBody> {
        let _guard = self
            .join_locks
            .lock((code.sitting_id, code.room_id, who.key.clone()))
            .await;
        self.admit_locked(code, who, admission, false).await
    }

    /// [`AppState::admit_now`] under the candidate's join lock. `learnt`:
    /// the candidate was read from the database after another relay was
    /// found to have created it.
    async fn admit_locked(
        &self,
        code: &JoinCode,
        who: &Who,
        admission: Admission,
        learnt: bool,
    ) -> Result<JoinResponse, ErrorBody> {
        let exam = self.exam_of_sitting(code.sitting_id);
        let now = now_ms();
        // In a practice exam, a student whose try is final may start the
        // next one (decided under the candidate's join lock, so two clicks
        // make one).
        let practice = self
            .catalog
            .sitting(code.sitting_id)
            .and_then(|s| s.practice);
        let key = match practice {
            Some(rules) if who.candidate_number.is_none() => {
                crate::practice::key_for_join(&self.people(), code, &who.key, rules)
            }
            _ => who.key.clone(),
        };
        // A later try keeps the name the student first joined with.
        let name = if key == who.key {
            who.name.clone()
        } else {
            let people = self.people();
            people
                .by_name
                .get(&(code.sitting_id, code.room_id, who.key.clone()))
                .and_then(|id| people.candidates.get(id))
                .map_or_else(|| who.name.clone(), |c| c.name.clone())
        };
        let lookup = (code.sitting_id, code.room_id, key.clone());
        let (existing, attempt) = {
            let people = self.people();
            let existing = people
                .by_name
                .get(&lookup)
                .and_then(|id| people.candidates.get(id))
                .cloned();
            let attempt = existing
                .as_ref()
                .and_then(|c| people.attempt_of.get(&c.id).copied());
            (existing, attempt)
        };
        if let Some(attempt_id) = attempt {
            return match admission {
                Admission::Fresh(resume_token) => {
                    // Only the browser that holds this attempt's token may
                    // come back through join; anyone else typing the same
                    // name is refused.
                    let resumes = resume_token.as_deref().is_some_and(|t| {
                        self.attempt_by_token(&hash_token(t))
                            .is_some_and(|s| s.id == attempt_id)
                    });
                    let tries_used = practice.is_some()
                        && self
                            .people()
                            .attempts
                            .get(&attempt_id)
                            .is_some_and(|slot| slot.is_graded());
                    match (resumes, resume_token) {
                        (true, Some(token)) => Ok(self.join_response(code, token, attempt_id)),
                        _ if tries_used => Err(ErrorBody::new(
                            ErrorCode::AlreadyJoined,
                            "every try of this practice exam is used",
                        )),
                        _ => Err(ErrorBody::new(
                            ErrorCode::AlreadyJoined,
                            "this candidate has already started on another computer; ask the proctor",
                        )),
                    }
                }
                Admission::CardHolder { actor } => {
                    let token = self.reissue_token(attempt_id, &actor).await?;
                    Ok(self.join_response(code, token, attempt_id))
                }
            };
        }

        let token = new_token();
        let token_hash = hash_token(&token);
        // Numbered papers are dealt out in joining order within the sitting,
        // counted by the store: relays sharing it deal in one order.
        let numbered = matches!(exam.versioning, Versioning::Numbered { .. });
        let (paper, seed) = (exam.clone(), random_u64());
        let (sitting_id, room_id) = (code.sitting_id, code.room_id);
        let existing_id = existing.as_ref().map(|c| c.id);
        let (name_for_db, key_for_db, number_for_db, code_for_audit) = (
            name.clone(),
            key.clone(),
            who.candidate_number.clone(),
            code.code.clone(),
        );
        let written = self
            .store
            .write_bulk(move |txn| {
                writes::audit_first(txn)?;
                let candidate_id = match existing_id {
                    Some(id) => id,
                    None => writes::insert_candidate(
                        txn,
                        sitting_id,
                        room_id,
                        &name_for_db,
                        &key_for_db,
                        number_for_db.as_deref(),
                    )?,
                };
                let ordinal = if numbered {
                    writes::deal(txn, sitting_id)?
                } else {
                    0
                };
                let arrangement = Arrangement::for_new_attempt(&paper, seed, ordinal);
                let attempt_id =
                    writes::insert_attempt(txn, candidate_id, &token_hash, &arrangement)?;
                writes::audit(
                    txn,
                    now,
                    &format!("candidate:{candidate_id}"),
                    "join",
                    &format!("code {code_for_audit}, attempt {attempt_id}"),
                )?;
                Ok((candidate_id, attempt_id, arrangement))
            })
            .await;
        let (candidate_id, attempt_id, arrangement) = match written {
            Ok(ids) => ids,
            // Another relay created this candidate (one per name per room)
            // or its attempt first: read them, and decide again as that
            // relay would (resume with the token, or refuse).
            Err(StoreError::Db(e)) if e.is_unique_violation() && self.clustered() && !learnt => {
                self.learn_candidate(code.sitting_id, code.room_id, &key)
                    .await
                    .map_err(internal)?;
                return Box::pin(self.admit_locked(code, who, admission, true)).await;
            }
            Err(e) => return Err(internal(e)),
        };
        let candidate = existing.unwrap_or(Candidate {
            id: candidate_id,
            sitting_id,
            room_id,
            name,
            key,
            candidate_number: who.candidate_number.clone(),
        });
        if existing_id.is_none() {
            self.people
                .write()
                .expect("people lock")
                .add_candidate(candidate.clone());
        }
        self.insert_attempt(
            candidate,
            attempt_id,
            token_hash,
            arrangement,
            AttemptCell::default(),
        );
        Ok(self.join_response(code, token, attempt_id))
    }

    /// A new bearer token for an existing attempt; the old one stops working
    /// and its connection is closed (the student moved to another computer).
    pub(crate) async fn reissue_token(
        &self,
        attempt_id: AttemptId,
        actor: &str,
    ) -> Result<String, ErrorBody> {
        let token = new_token();
        let token_hash = hash_token(&token);
        let now = now_ms();
        let actor = actor.to_string();
        self.store
            .write(move |txn| {
                writes::audit_first(txn)?;
                writes::replace_token(txn, attempt_id, &token_hash)?;
                writes::audit(
                    txn,
                    now,
                    &actor,
                    "reseat",
                    &format!("attempt {attempt_id}: new token"),
                )
            })
            .await
            .map_err(internal)?;
        {
            let mut people = self.people.write().expect("people lock");
            people.by_token.retain(|_, id| *id != attempt_id);
            people.by_token.insert(token_hash, attempt_id);
        }
        self.close_student_anywhere(
            attempt_id,
            ErrorBody::new(
                ErrorCode::Replaced,
                "the candidate checked in on another computer",
            ),
        );
        Ok(token)
    }

    /// Starts the attempt if it has not started (a reload never restarts the
    /// clock) and returns the welcome, plus the result if it is final.
    /// Refuses before the window opens (content is never served early) and
    /// after it closes.
    pub async fn open_attempt(
        &self,
        slot: &AttemptSlot,
        echo: Millis,
    ) -> Result<Vec<RelayToStudent>, ErrorBody> {
        let sitting = self
            .catalog
            .sitting(slot.candidate.sitting_id)
            .expect("every attempt's sitting is loaded");
        let exam = self.exam_for(&slot.candidate);
        let mut cell = slot.cell.lock().await;
        let now = now_ms();
        if cell.attempt.deadline_ms.is_none() {
            if now < sitting.opens_at {
                return Err(ErrorBody::new(
                    ErrorCode::ExamNotOpen,
                    format!("the exam opens at {} (relay time, ms)", sitting.opens_at),
                ));
            }
            let mut next = cell.attempt.clone();
            let deadline = match next.start(
                now,
                sitting.duration_ms,
                sitting.closes_at,
                sitting.hard_stop,
            ) {
                Ok(d) => d,
                Err(StartError::WindowClosed) => {
                    return Err(ErrorBody::new(
                        ErrorCode::ExamClosed,
                        "the exam window has closed",
                    ));
                }
            };
            let id = slot.id;
            let started = self
                .store
                .write_bulk(move |txn| writes::start_attempt(txn, id, now, deadline))
                .await
                .map_err(internal)?;
            if started {
                cell.attempt = next;
                if let Some(due) = cell
                    .attempt
                    .next_due(self.config.grace_ms, sitting.hard_stop)
                {
                    self.deadlines.schedule(due, slot.id);
                }
            } else {
                // Another relay started it a moment before: its start (and
                // deadline) is the stored one.
                self.refresh_cell(slot, &mut cell).await.map_err(internal)?;
            }
        }
        let attempt = &cell.attempt;
        let view = AttemptView {
            attempt_id: slot.id,
            candidate_name: slot.candidate.name.clone(),
            status: attempt.status,
            deadline_ms: attempt.deadline_ms.expect("started above"),
            acked_seq: attempt.acked_seq,
            answers: attempt
                .answers
                .iter()
                .map(|(q, a)| (*q, a.clone()))
                .collect(),
            paused: attempt.paused_at.is_some(),
            remaining_ms: attempt.remaining_ms(now),
            extra_ms: attempt.extra_ms,
            fullscreen: sitting.fullscreen,
            messages: self.unseen_messages(slot),
            refused: attempt.refused.clone(),
        };
        let mut out = vec![RelayToStudent::Welcome {
            echo,
            relay_time: now,
            attempt: view,
            // Also once final: the result view shows answers in this paper's
            // letters, and the student has seen it already.
            paper: Some(exam.paper(slot.arrangement)),
        }];
        if let Some(grade) = &cell.grade {
            out.push(RelayToStudent::Result {
                status: attempt.status,
                grade: grade.clone(),
            });
        }
        self.publish_row(&slot.candidate, Some((slot.id, &cell)));
        Ok(out)
    }

    /// Takes one numbered event: decide, persist, apply, answer.
    pub async fn take_event(
        &self,
        slot: &AttemptSlot,
        token_hash: &TokenHash,
        seq: u64,
        event: StudentEvent,
    ) -> Result<Vec<RelayToStudent>, ErrorBody> {
        let arrived = std::time::Instant::now();
        let exam = self.exam_for(&slot.candidate);
        let mut cell = slot.cell.lock().await;
        self.timings.event_lock.record(arrived.elapsed());
        let mut stale = 0;
        let replies = loop {
            // In a cluster the store also checks that nothing else changed
            // the attempt since this relay read it.
            let as_read = self.clustered().then(|| writes::AsRead {
                controls: cell.controls,
                is_final: cell.attempt.status.is_final(),
                token_hash: *token_hash,
            });
            let decided = self.decide_and_store(slot, &mut cell, &exam, seq, &event, as_read);
            match decided.await {
                // Another relay stored an event of this attempt first (the
                // student's older connection) or changed it (a proctor's
                // control): read the attempt again and decide again.
                Err(StoreError::Db(DbError::OutOfSequence { .. } | DbError::Stale { .. }))
                    if self.clustered() && stale < crate::cluster::STALE_RETRIES =>
                {
                    stale += 1;
                    self.refresh_cell(slot, &mut cell).await.map_err(internal)?;
                    if self.people().by_token.get(token_hash) != Some(&slot.id) {
                        return Err(ErrorBody::new(
                            ErrorCode::Replaced,
                            "this attempt continues on another computer",
                        ));
                    }
                }
                outcome => break outcome.map_err(internal)?,
            }
        };
        self.publish_row(&slot.candidate, Some((slot.id, &cell)));
        self.timings.event.record(arrived.elapsed());
        let became_final = replies
            .iter()
            .any(|r| matches!(r, RelayToStudent::Result { .. }));
        drop(cell);
        if became_final {
            self.snapshot_if_sitting_done(slot.candidate.sitting_id)
                .await;
        }
        Ok(replies)
    }

    /// Decides one event on the attempt as this relay holds it, stores it
    /// (refused or accepted), and applies it once committed.
    async fn decide_and_store(
        &self,
        slot: &AttemptSlot,
        cell: &mut AttemptCell,
        exam: &Exam,
        seq: u64,
        event: &StudentEvent,
        as_read: Option<writes::AsRead>,
    ) -> Result<Vec<RelayToStudent>, StoreError> {
        let now = now_ms();
        let id = slot.id;
        let event = event.clone();
        Ok(
            match cell
                .attempt
                .decide(exam, seq, &event, now, self.config.grace_ms)
            {
                Decision::Duplicate => vec![RelayToStudent::Ack {
                    seq: cell.attempt.acked_seq,
                }],
                Decision::OutOfOrder { expected } => vec![RelayToStudent::Error {
                    error: ErrorBody::new(
                        ErrorCode::OutOfOrder,
                        format!("got event {seq}, expected {expected}; resend from {expected}"),
                    ),
                    expected: Some(expected),
                }],
                Decision::Paused { expected } => vec![RelayToStudent::Error {
                    error: ErrorBody::new(
                        ErrorCode::Paused,
                        format!(
                            "the attempt is paused: event {seq} was not stored; resend from {expected} after the resume"
                        ),
                    ),
                    expected: Some(expected),
                }],
                Decision::Refuse(code) => {
                    let asked = std::time::Instant::now();
                    self.store
                        .write(move |txn| {
                            writes::insert_event_as_read(
                                txn,
                                id,
                                seq,
                                now,
                                &event,
                                Some(code),
                                as_read.as_ref(),
                            )
                        })
                        .await?;
                    self.timings.event_commit.record(asked.elapsed());
                    cell.attempt.record_refusal(seq, code);
                    vec![RelayToStudent::Refused {
                        seq,
                        error: ErrorBody::new(code, refusal_message(code, seq)),
                    }]
                }
                Decision::Accept => {
                    let mut next = cell.attempt.clone();
                    next.apply(seq, &event, now);
                    let final_grade = next.status.is_final().then(|| grade(exam, &next.answers));
                    let (status, to_store) = (next.status, final_grade.clone());
                    let asked = std::time::Instant::now();
                    self.store
                        .write(move |txn| {
                            writes::insert_event_as_read(
                                txn,
                                id,
                                seq,
                                now,
                                &event,
                                None,
                                as_read.as_ref(),
                            )?;
                            if let Some(g) = &to_store {
                                writes::finish_attempt(txn, id, status, now, g)?;
                            }
                            Ok(())
                        })
                        .await?;
                    self.timings.event_commit.record(asked.elapsed());
                    cell.attempt = next;
                    let mut replies = vec![RelayToStudent::Ack { seq }];
                    if let Some(g) = final_grade {
                        slot.set_grade(cell, Some(g.clone()));
                        replies.push(RelayToStudent::Result { status, grade: g });
                    }
                    replies
                }
            },
        )
    }

    /// Closes and grades the attempt if its deadline (plus grace), or the
    /// office's hard stop, has passed. Called by the deadline task; safe to
    /// call at any time (an attempt not due, paused or final is left alone).
    /// Returns the attempt's sitting when it closed it: the caller checks
    /// once whether that sitting is done.
    pub async fn close_if_due(&self, id: AttemptId) -> Result<Option<SittingId>, StoreError> {
        let known = self.people().attempts.get(&id).cloned();
        let slot = match known {
            Some(slot) => slot,
            // Scheduled by another relay's news, or due in the database.
            None if self.clustered() => match self.reread_attempt(id).await? {
                Some(slot) => slot,
                None => return Ok(None),
            },
            None => return Ok(None),
        };
        if self.copy_may_be_stale(id) && self.defer_close(&slot).await {
            return Ok(None);
        }
        match self
            .apply_control(&slot, &Control::DeadlineClose, "relay", "deadline")
            .await
        {
            Ok(_) => Ok(Some(slot.candidate.sitting_id)),
            Err(ControlFailure::Refused(_) | ControlFailure::Published(_)) => Ok(None),
            Err(ControlFailure::Store(e)) => Err(e),
        }
    }

    /// Marks the attempt's connection state change on the proctor row.
    pub async fn refresh_row(&self, slot: &AttemptSlot) {
        let cell = slot.cell.lock().await;
        self.publish_row(&slot.candidate, Some((slot.id, &cell)));
    }
}

fn refusal_message(code: ErrorCode, seq: u64) -> String {
    let why = match code {
        ErrorCode::UnknownQuestion => "the question is not in this exam",
        ErrorCode::UnknownOption => "the question has no such option",
        ErrorCode::InvalidAnswer => "the answer does not fit the question",
        ErrorCode::DeadlinePassed => "the deadline has passed",
        ErrorCode::AttemptClosed => "the attempt is already submitted",
        ErrorCode::ExamNotOpen => "the attempt has not started",
        _ => "refused",
    };
    format!("event {seq} refused: {why}")
}
