//! The proctor's side of a check-in: the photo, confirm or reject, release
//! a seat; and the reader's long poll for that decision.

use std::collections::HashMap;

use examgate_shared::Millis;
use examgate_shared::checkin::{
    CheckinCounts, CheckinPoll, CheckinStatus, CheckinView, Decision, SEAT_CODE_TTL_MS,
};
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::protocol::{JoinResponse, RelayToProctor, Role};

use super::sealed::{open_outcome, open_photo, seal_outcome, stored_view};
use super::seat_code::new_seat_code;
use super::{POLL_WAIT, refusal, unreadable};
use crate::AppState;
use crate::attempts::{Admission, Who, internal};
use crate::auth::{Session, hash_token};
use crate::clock::now_ms;
use crate::model::{JoinCode, RoomId, SittingId};
use crate::store::desk::{self, DeskRow, Polled, Seat};
use crate::store::writes;

impl AppState {
    /// The reader waits (up to [`POLL_WAIT`]) for the proctor's decision,
    /// which may be taken on any relay: the store has it, and the bus
    /// wakes the wait.
    pub async fn poll_checkin(&self, id: u64, poll_token: &str) -> Result<CheckinPoll, ErrorBody> {
        let polled = self.polled(id, poll_token).await?;
        let mut outcome = self.outcome_of(&polled)?;
        if outcome.is_none() {
            // Listening, then reading again: a decision between the first
            // read and now still wakes the wait.
            let waiter = self.checkins.waiter(id);
            let woken = waiter.notify.notified();
            tokio::pin!(woken);
            woken.as_mut().enable();
            outcome = self.outcome_of(&self.polled(id, poll_token).await?)?;
            if outcome.is_none() {
                let _ = tokio::time::timeout(POLL_WAIT, woken).await;
                outcome = self.outcome_of(&self.polled(id, poll_token).await?)?;
            }
        }
        let Some(outcome) = outcome else {
            return Ok(CheckinPoll {
                status: CheckinStatus::AwaitingProctor,
                join: None,
                seat_code: None,
                reason: None,
                opens_at: None,
            });
        };
        // Confirmed before the exam opens (students check in at the door):
        // hold the attempt token until it opens, so the exam page never
        // meets a closed door. The reader keeps polling meanwhile.
        let opens_at = self
            .catalog
            .plan()
            .sittings
            .get(&polled.sitting_id)
            .map_or(0, |s| s.opens_at);
        if outcome.join.is_some() && now_ms() < opens_at {
            let wait = (opens_at - now_ms()).clamp(0, POLL_WAIT.as_millis() as i64);
            tokio::time::sleep(std::time::Duration::from_millis(wait as u64)).await;
            if now_ms() < opens_at {
                return Ok(CheckinPoll {
                    status: CheckinStatus::Confirmed,
                    join: None,
                    seat_code: None,
                    reason: None,
                    opens_at: Some(opens_at),
                });
            }
        }
        Ok(outcome)
    }

    /// What the reader's poll needs of the check-in, if `poll_token` is its
    /// reader's.
    async fn polled(&self, id: u64, poll_token: &str) -> Result<Polled, ErrorBody> {
        let polled = self
            .store
            .read_one(move |db| desk::polled(db, id))
            .await
            .map_err(internal)?;
        polled
            .filter(|p| p.poll_hash.as_deref() == Some(&hash_token(poll_token)[..]))
            .ok_or_else(|| {
                refusal(
                    ErrorCode::Unauthorized,
                    "unknown check-in or wrong poll token",
                )
            })
    }

    /// What the reader gets, once decided.
    fn outcome_of(&self, polled: &Polled) -> Result<Option<CheckinPoll>, ErrorBody> {
        polled
            .outcome
            .as_deref()
            .map(|sealed| open_outcome(&self.at_rest, sealed))
            .transpose()
            .map_err(unreadable)
    }

    /// The check-in `id` as stored, for a proctor who watches its room: its
    /// view (with the stored status) and row.
    async fn staff_desk(
        &self,
        id: u64,
        staff: &Session,
    ) -> Result<(CheckinView, DeskRow), ErrorBody> {
        only_proctors(staff)?;
        let row = self
            .store
            .read_one(move |db| desk::desk(db, id))
            .await
            .map_err(internal)?
            .ok_or_else(no_such_checkin)?;
        self.watched_by(staff, row.room_id)?;
        let view = stored_view(&self.at_rest, &row)
            .ok_or_else(|| {
                refusal(
                    ErrorCode::NotFound,
                    "this check-in's card data is no longer kept",
                )
            })?
            .map_err(unreadable)?;
        Ok((view, row))
    }

    /// The chip photo, for the proctor who decides.
    pub async fn checkin_photo(
        &self,
        id: u64,
        staff: &Session,
    ) -> Result<(&'static str, Vec<u8>), ErrorBody> {
        only_proctors(staff)?;
        let (room, sealed) = self
            .store
            .read_one(move |db| desk::photo(db, id))
            .await
            .map_err(internal)?
            .ok_or_else(no_such_checkin)?;
        self.watched_by(staff, room)?;
        let sealed = sealed.ok_or_else(|| {
            refusal(
                ErrorCode::NotFound,
                "this check-in's photo is no longer kept",
            )
        })?;
        open_photo(&self.at_rest, &sealed).map_err(unreadable)
    }

    /// Refuses a proctor who does not watch `room`.
    fn watched_by(&self, staff: &Session, room: RoomId) -> Result<(), ErrorBody> {
        if self.may_watch(staff, room) {
            Ok(())
        } else {
            Err(refusal(
                ErrorCode::Forbidden,
                "this check-in is in another room",
            ))
        }
    }

    /// The proctor compared the chip photo with the person. The first
    /// decision stored wins, whichever relay it was taken on.
    pub async fn decide_checkin(
        &self,
        id: u64,
        staff: &Session,
        decision: Decision,
    ) -> Result<CheckinView, ErrorBody> {
        let (view, row) = self.staff_desk(id, staff).await?;
        if decision.confirm {
            // A check-in still waiting when the results were published
            // would add a candidate to them.
            self.ensure_unpublished(row.sitting_id)?;
        }
        if view.status != CheckinStatus::AwaitingProctor {
            return Err(already(view.status));
        }
        let actor = staff.actor();
        let now = now_ms();
        // What the reader gets when it is known now: a refusal, or a
        // station's seat code. A student computer's confirmation makes the
        // attempt first (`confirming`, then `confirmed` with its token).
        let (word, outcome, seat_code) = match (decision.confirm, row.at_station) {
            (false, _) => (
                "rejected",
                Some(CheckinPoll {
                    status: CheckinStatus::Rejected,
                    join: None,
                    seat_code: None,
                    reason: decision.reason.clone(),
                    opens_at: None,
                }),
                None,
            ),
            (true, true) => {
                let seat_code = new_seat_code();
                (
                    "confirmed",
                    Some(CheckinPoll {
                        status: CheckinStatus::Confirmed,
                        join: None,
                        seat_code: Some(seat_code.clone()),
                        reason: None,
                        opens_at: None,
                    }),
                    Some(seat_code),
                )
            }
            (true, false) => ("confirming", None, None),
        };
        // What an admission is made by, known before anything is claimed:
        // nothing below fails half way for want of it.
        let code = match word {
            "confirming" => Some(self.code_of(row.sitting_id, row.room_id)?),
            _ => None,
        };
        let sealed = outcome.map(|o| seal_outcome(&self.at_rest, &o));
        let seat_key = seat_code.as_deref().map(|c| self.at_rest.seat_code_key(c));
        let (by, why) = (actor.clone(), decision.reason.clone().unwrap_or_default());
        let claimed = self
            .store
            .write(move |txn| {
                writes::audit_first(txn)?;
                if !desk::claim_decision(txn, id, word, sealed.as_deref(), &by, now)? {
                    return Ok(false);
                }
                if let Some(key) = &seat_key {
                    desk::insert_seat_code(
                        txn,
                        key,
                        Seat::Checkin(id),
                        now,
                        now + SEAT_CODE_TTL_MS,
                    )?;
                }
                let action = if word == "confirming" {
                    "confirmed"
                } else {
                    word
                };
                writes::audit(
                    txn,
                    now,
                    &by,
                    &format!("checkin_{action}"),
                    &format!("check-in {id} {why}"),
                )?;
                Ok(true)
            })
            .await
            .map_err(internal)?;
        if !claimed {
            return Err(self.decided_meanwhile(id, staff).await);
        }
        if let Some(code) = &code {
            self.admit_confirmed(id, now, code, &view, &actor).await?;
        }
        let status = if decision.confirm {
            CheckinStatus::Confirmed
        } else {
            CheckinStatus::Rejected
        };
        Ok(self.tell_decided(CheckinView { status, ..view }))
    }

    /// A student computer's confirmation, claimed at `claimed_at`: the
    /// attempt is made (or a card holder's reopened) and its token stored
    /// for the reader; if it cannot be, the claim is given back.
    async fn admit_confirmed(
        &self,
        id: u64,
        claimed_at: Millis,
        code: &JoinCode,
        view: &CheckinView,
        actor: &str,
    ) -> Result<(), ErrorBody> {
        let refused = match self.admit_card_holder(code, view, actor).await {
            Ok(join) => {
                let sealed = seal_outcome(
                    &self.at_rest,
                    &CheckinPoll {
                        status: CheckinStatus::Confirmed,
                        join: Some(join),
                        seat_code: None,
                        reason: None,
                        opens_at: None,
                    },
                );
                let confirmed = self
                    .store
                    .write(move |txn| {
                        writes::audit_first(txn)?;
                        desk::confirm(txn, id, claimed_at, &sealed)
                    })
                    .await;
                match confirmed {
                    Ok(true) => return Ok(()),
                    // Another proctor took the check-in over meanwhile (the
                    // claim had gone stale): theirs stands, nothing to undo.
                    Ok(false) => {
                        return Err(refusal(
                            ErrorCode::Conflict,
                            "this confirmation took too long and was taken over; look again",
                        ));
                    }
                    Err(e) => internal(e),
                }
            }
            Err(refused) => refused,
        };
        // Not let in after all: a proctor may decide again, and the trail
        // says why the confirmation did not hold.
        let (by, why) = (actor.to_string(), refused.message.clone());
        self.store
            .write(move |txn| {
                writes::audit_first(txn)?;
                if desk::unclaim_decision(txn, id, claimed_at)? {
                    writes::audit(
                        txn,
                        now_ms(),
                        &by,
                        "checkin_confirm_undone",
                        &format!("check-in {id}: {why}"),
                    )?;
                }
                Ok(())
            })
            .await
            .map_err(internal)?;
        Err(refused)
    }

    /// Frees a confirmed card's seat (the student moves to another computer
    /// and checks in there; the attempt continues).
    pub async fn release_checkin(
        &self,
        id: u64,
        staff: &Session,
    ) -> Result<CheckinView, ErrorBody> {
        let (view, _) = self.staff_desk(id, staff).await?;
        if view.status != CheckinStatus::Confirmed {
            return Err(refusal(
                ErrorCode::Malformed,
                "only a confirmed check-in can be released",
            ));
        }
        let by = staff.actor();
        let now = now_ms();
        let released = self
            .store
            .write(move |txn| {
                writes::audit_first(txn)?;
                if !desk::release_seat(txn, id, &by, now)? {
                    return Ok(false);
                }
                writes::audit(txn, now, &by, "checkin_released", &format!("check-in {id}"))?;
                Ok(true)
            })
            .await
            .map_err(internal)?;
        if !released {
            return Err(self.decided_meanwhile(id, staff).await);
        }
        Ok(self.tell_decided(CheckinView {
            status: CheckinStatus::Released,
            ..view
        }))
    }

    /// Another proctor decided first (on this relay or another): the
    /// refusal says what stands.
    async fn decided_meanwhile(&self, id: u64, staff: &Session) -> ErrorBody {
        match self.staff_desk(id, staff).await {
            Ok((view, _)) if view.status == CheckinStatus::AwaitingProctor => refusal(
                ErrorCode::Conflict,
                "another proctor is confirming this check-in; look again in a moment",
            ),
            Ok((view, _)) => {
                let status = view.status;
                self.checkins.learn(view);
                already(status)
            }
            Err(e) => e,
        }
    }

    /// The decided view to this relay's copy (waking its reader) and to
    /// the room's proctors on every relay (waking readers there).
    fn tell_decided(&self, view: CheckinView) -> CheckinView {
        self.checkins.learn(view.clone());
        self.send_room_anywhere(
            view.room_id,
            RelayToProctor::Checkin {
                checkin: view.clone(),
            },
        );
        view
    }

    /// The room's join code for `sitting` (what an admission is made by).
    fn code_of(&self, sitting: SittingId, room: RoomId) -> Result<JoinCode, ErrorBody> {
        self.catalog
            .plan()
            .join_codes
            .values()
            .find(|c| c.sitting_id == sitting && c.room_id == room)
            .cloned()
            .ok_or_else(|| {
                refusal(
                    ErrorCode::ExamClosed,
                    "this room no longer has a join code for the sitting",
                )
            })
    }

    pub(super) async fn admit_card_holder(
        &self,
        code: &JoinCode,
        view: &CheckinView,
        actor: &str,
    ) -> Result<JoinResponse, ErrorBody> {
        let candidate_number = self
            .catalog
            .plan()
            .roster
            .get(&(code.sitting_id, view.person_id.clone()))
            .and_then(|e| e.candidate_number.clone());
        let who = Who {
            name: view.roster_name.clone(),
            key: self.at_rest.card_key(&view.person_id),
            candidate_number,
        };
        self.admit(
            code,
            &who,
            Admission::CardHolder {
                actor: actor.to_string(),
            },
        )
        .await
    }

    /// Check-ins and counts of each of `rooms`, for the proctor views: one
    /// pass over the check-ins and one over the roster, however many rooms.
    pub fn rooms_checkins(
        &self,
        rooms: &[RoomId],
    ) -> HashMap<RoomId, (Vec<CheckinView>, CheckinCounts)> {
        let mut out: HashMap<RoomId, (Vec<CheckinView>, CheckinCounts)> = rooms
            .iter()
            .map(|room| (*room, Default::default()))
            .collect();
        // The roster first, under the plan's lock alone: check-ins are not
        // held up by the scan, and the two locks are never nested.
        for entry in self.catalog.plan().roster.values() {
            if let Some((_, counts)) = out.get_mut(&entry.room_id) {
                counts.roster += 1;
            }
        }
        let book = self.checkins.book();
        for view in book.views.values() {
            if let Some((views, counts)) = out.get_mut(&view.room_id) {
                match view.status {
                    CheckinStatus::AwaitingProctor => counts.awaiting += 1,
                    CheckinStatus::Confirmed => counts.confirmed += 1,
                    _ => {}
                }
                views.push(view.clone());
            }
        }
        for (room, (views, counts)) in &mut out {
            views.sort_by_key(|v| v.checkin_id);
            counts.refused = book.refused.get(room).copied().unwrap_or(0);
        }
        out
    }
}

/// Only proctors see check-ins and decide them.
fn only_proctors(staff: &Session) -> Result<(), ErrorBody> {
    if matches!(staff.role, Role::RoomProctor | Role::CentralProctor) {
        Ok(())
    } else {
        Err(refusal(
            ErrorCode::Forbidden,
            "only proctors decide check-ins",
        ))
    }
}

fn no_such_checkin() -> ErrorBody {
    refusal(ErrorCode::NotFound, "no such check-in")
}

fn already(status: CheckinStatus) -> ErrorBody {
    refusal(
        ErrorCode::Malformed,
        format!("this check-in is already {}", status.as_str()),
    )
}
