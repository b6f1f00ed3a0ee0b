//! `POST /api/proctor/actions`: extra time, pause, resume, end, reopen and
//! move, for one candidate or a whole room, each with a reason.
//!
//! Who may act: a room proctor on their room, a central proctor or the exam
//! office on the rooms of their scope; teachers watch but do not act.
//! Reopening an ended attempt is the exam office's alone. A room action
//! applies to each candidate of the room's live shifts it can and reports
//! the others; a candidate action that does not apply is a conflict.

use examgate_shared::Millis;
use examgate_shared::checkin::SEAT_CODE_TTL_MS;
use examgate_shared::control::MAX_CONTROL_MINUTES;
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::proctoring::{
    Action, ActionOutcome, ActionRequest, ActionResponse, Target, check_note,
};
use examgate_shared::protocol::Role;
use examgate_shared::roster::RowStatus;

use crate::AppState;
use crate::attempts::internal;
use crate::auth::{Session, hash_token, new_token};
use crate::clock::now_ms;
use crate::control::ControlFailure;
use crate::model::{CandidateId, RoomId, SittingId};
use crate::store::{desk, writes};

fn forbidden(message: impl Into<String>) -> ErrorBody {
    ErrorBody::new(ErrorCode::Forbidden, message)
}

/// Refuses unless `staff` may act on `room`: proctors and the exam office
/// within their scope.
pub fn may_act_on_room(state: &AppState, staff: &Session, room: RoomId) -> Result<(), ErrorBody> {
    if !state.catalog.plan().rooms.contains_key(&room) {
        return Err(ErrorBody::new(ErrorCode::NotFound, "no such room"));
    }
    if staff.role == Role::Teacher {
        return Err(forbidden("teachers watch rooms; proctors act in them"));
    }
    if !state.may_watch(staff, room) {
        return Err(forbidden("this room is outside your scope"));
    }
    Ok(())
}

impl AppState {
    /// Carries out a proctor's action; see the module doc for the rules.
    pub async fn act(
        &self,
        staff: &Session,
        req: ActionRequest,
    ) -> Result<ActionResponse, ErrorBody> {
        if staff.role == Role::Teacher {
            return Err(forbidden("teachers watch rooms; proctors act in them"));
        }
        let reason = check_note(&req.reason)
            .map_err(|why| ErrorBody::new(ErrorCode::Invalid, format!("reason: {why}")))?;
        if let Action::ExtraTime { minutes } | Action::Reopen { minutes } = req.action
            && !(1..=MAX_CONTROL_MINUTES).contains(&minutes)
        {
            return Err(ErrorBody::new(
                ErrorCode::Invalid,
                format!("minutes: 1 to {MAX_CONTROL_MINUTES}"),
            ));
        }
        if matches!(req.action, Action::Reopen { .. }) && staff.role != Role::ExamOffice {
            return Err(forbidden("only the exam office reopens an ended attempt"));
        }
        self.learn_target(req.target).await.map_err(internal)?;
        let (room, candidates) = match req.target {
            Target::Candidate { candidate_id } => {
                let room = self
                    .people()
                    .candidates
                    .get(&candidate_id)
                    .map(|c| c.room_id)
                    .ok_or_else(|| ErrorBody::new(ErrorCode::NotFound, "no such candidate"))?;
                (room, vec![candidate_id])
            }
            Target::Room { room_id } => {
                if req.action == Action::Move {
                    return Err(ErrorBody::new(
                        ErrorCode::Invalid,
                        "move is for one candidate, not a room",
                    ));
                }
                (room_id, self.live_candidates_of(room_id, now_ms()))
            }
        };
        may_act_on_room(self, staff, room)?;
        let actor = staff.actor();
        if req.action == Action::Move {
            return self.move_candidate(candidates[0], &actor, &reason).await;
        }
        let control = req
            .action
            .control()
            .expect("every action but move is a control");
        let mut outcomes = Vec::with_capacity(candidates.len());
        for candidate in candidates {
            let (name, slot) = {
                let people = self.people();
                let name = people
                    .candidates
                    .get(&candidate)
                    .map(|c| c.name.clone())
                    .unwrap_or_default();
                let slot = people
                    .attempt_of
                    .get(&candidate)
                    .and_then(|a| people.attempts.get(a))
                    .cloned();
                (name, slot)
            };
            let refused = match slot {
                None => Some((
                    "not_started",
                    "the candidate has not joined yet".to_string(),
                )),
                // A reopen of a published result is refused in there, under
                // the attempt's lock.
                Some(slot) => match self.apply_control(&slot, &control, &actor, &reason).await {
                    Ok(_) => None,
                    Err(ControlFailure::Refused(e)) => Some((e.as_str(), e.explain().to_string())),
                    Err(ControlFailure::Published(at)) => Some((
                        "results_published",
                        crate::office::publish::refused_after_publication(at).message,
                    )),
                    Err(ControlFailure::Store(e)) => return Err(internal(e)),
                },
            };
            outcomes.push(ActionOutcome {
                candidate_id: candidate,
                name,
                refused: refused.as_ref().map(|(code, _)| (*code).to_string()),
                message: refused.map(|(_, why)| why),
            });
        }
        let applied = outcomes.iter().filter(|o| o.refused.is_none()).count();
        if let (Target::Candidate { .. }, Some(why)) = (req.target, outcomes[0].message.clone()) {
            return Err(ErrorBody::new(ErrorCode::Conflict, why));
        }
        Ok(ActionResponse {
            applied,
            outcomes,
            seat_code: None,
        })
    }

    /// Moves a candidate to another computer: the old computer's token and
    /// connection stop working now, and a one-time seat code opens the same
    /// attempt on the new one.
    async fn move_candidate(
        &self,
        candidate: CandidateId,
        actor: &str,
        reason: &str,
    ) -> Result<ActionResponse, ErrorBody> {
        let (name, slot) = {
            let people = self.people();
            let name = people.candidates.get(&candidate).map(|c| c.name.clone());
            let slot = people
                .attempt_of
                .get(&candidate)
                .and_then(|a| people.attempts.get(a))
                .cloned();
            (name.unwrap_or_default(), slot)
        };
        let slot = slot.ok_or_else(|| {
            ErrorBody::new(ErrorCode::Conflict, "the candidate has not joined yet")
        })?;
        // In a chip-ID room only a card opens an attempt: the proctor
        // releases the seat and the candidate checks in again.
        let card_room = self.catalog.plan().join_codes.values().any(|c| {
            c.room_id == slot.candidate.room_id
                && c.sitting_id == slot.candidate.sitting_id
                && c.requires_card
        });
        if card_room {
            return Err(ErrorBody::new(
                ErrorCode::Conflict,
                "in a chip-ID room a candidate moves by a released seat and a new check-in",
            ));
        }
        if slot.cell.lock().await.attempt.status.is_final() {
            return Err(ErrorBody::new(
                ErrorCode::Conflict,
                "the attempt has ended; the exam office can reopen it",
            ));
        }
        let now = now_ms();
        // Nobody knows this token: the old computer is out until the seat
        // code is typed on the new one.
        let locked_out = hash_token(&new_token());
        // The code that opens it on the new computer (typed on any relay),
        // stored with the lock-out: never one without the other.
        let seat_code = crate::checkin::new_seat_code();
        let seat_key = self.at_rest.seat_code_key(&seat_code);
        let (id, actor_s, reason_s) = (slot.id, actor.to_string(), reason.to_string());
        self.store
            .write(move |txn| {
                writes::audit_first(txn)?;
                writes::replace_token(txn, id, &locked_out)?;
                desk::insert_seat_code(
                    txn,
                    &seat_key,
                    desk::Seat::Attempt(id),
                    now,
                    now + SEAT_CODE_TTL_MS,
                )?;
                let detail = serde_json::json!({
                    "attempt": id, "action": "move", "reason": reason_s,
                });
                writes::audit(txn, now, &actor_s, "move", &detail.to_string())
            })
            .await
            .map_err(internal)?;
        {
            let mut people = self.people.write().expect("people lock");
            people.by_token.retain(|_, a| *a != id);
            people.by_token.insert(locked_out, id);
        }
        self.close_student_anywhere(
            id,
            ErrorBody::new(
                ErrorCode::Replaced,
                "the proctor moved this attempt to another computer",
            ),
        );
        Ok(ActionResponse {
            applied: 1,
            outcomes: vec![ActionOutcome {
                candidate_id: candidate,
                name,
                refused: None,
                message: None,
            }],
            seat_code: Some(seat_code),
        })
    }

    /// The sittings live in `room` at `now`: their window is open, or one of
    /// their attempts in the room still works (extra time, a pause).
    pub(crate) fn live_sittings_of(&self, room: RoomId, now: Millis) -> Vec<SittingId> {
        let mut sittings: Vec<SittingId> = {
            let plan = self.catalog.plan();
            plan.join_codes
                .values()
                .filter(|c| c.room_id == room)
                .filter(|c| {
                    plan.sittings
                        .get(&c.sitting_id)
                        .is_some_and(|s| s.opens_at <= now && now < s.closes_at)
                })
                .map(|c| c.sitting_id)
                .collect()
        };
        let working: Vec<CandidateId> = self.live.with_rows(room, |rows| {
            rows.filter(|r| {
                matches!(
                    r.status,
                    RowStatus::Working | RowStatus::Disconnected | RowStatus::Paused
                )
            })
            .map(|r| r.candidate_id)
            .collect()
        });
        {
            let people = self.people();
            sittings.extend(
                working
                    .iter()
                    .filter_map(|c| people.candidates.get(c).map(|c| c.sitting_id)),
            );
        }
        sittings.sort_unstable();
        sittings.dedup();
        sittings
    }

    /// The candidates of `room` in its live sittings.
    fn live_candidates_of(&self, room: RoomId, now: Millis) -> Vec<CandidateId> {
        let sittings = self.live_sittings_of(room, now);
        let people = self.people();
        people
            .in_room
            .get(&room)
            .into_iter()
            .flatten()
            .filter(|c| {
                people
                    .candidates
                    .get(c)
                    .is_some_and(|c| sittings.contains(&c.sitting_id))
            })
            .copied()
            .collect()
    }
}
