//! The proctor's side of a check-in: the photo, confirm or reject, release
//! a seat; and the reader's long poll for that decision.

use std::collections::HashMap;

use examgate_shared::checkin::{
    CheckinCounts, CheckinPoll, CheckinStatus, CheckinView, Decision, SEAT_CODE_TTL_MS,
};
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::protocol::{JoinResponse, RelayToProctor, Role};

use super::seat_code::new_seat_code;
use super::{POLL_WAIT, Seat, SeatCode, refusal};
use crate::AppState;
use crate::attempts::{Admission, Who, internal};
use crate::auth::{Session, hash_token};
use crate::clock::now_ms;
use crate::model::{JoinCode, RoomId};
use crate::store::writes;

impl AppState {
    /// The reader waits (up to [`POLL_WAIT`]) for the proctor's decision.
    pub async fn poll_checkin(&self, id: u64, poll_token: &str) -> Result<CheckinPoll, ErrorBody> {
        let (mut changed, sitting_id) = {
            let book = self.checkins.book();
            let record = book
                .records
                .get(&id)
                .filter(|r| r.poll_hash == hash_token(poll_token))
                .ok_or_else(|| {
                    refusal(
                        ErrorCode::Unauthorized,
                        "unknown check-in or wrong poll token",
                    )
                })?;
            (record.changed.subscribe(), record.code.sitting_id)
        };
        let decided = |book: &super::Book| book.records[&id].outcome.clone();
        // Its own statement: the book's lock must not live across the wait.
        let already = decided(&self.checkins.book());
        let outcome = match already {
            Some(outcome) => Some(outcome),
            None => {
                let _ = tokio::time::timeout(POLL_WAIT, changed.changed()).await;
                decided(&self.checkins.book())
            }
        };
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
        let opens_at = self.catalog.plan().sittings[&sitting_id].opens_at;
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

    fn staff_record(
        &self,
        id: u64,
        staff: &Session,
    ) -> Result<(CheckinView, JoinCode, bool), ErrorBody> {
        if !matches!(staff.role, Role::RoomProctor | Role::CentralProctor) {
            return Err(refusal(
                ErrorCode::Forbidden,
                "only proctors decide check-ins",
            ));
        }
        let book = self.checkins.book();
        let record = book
            .records
            .get(&id)
            .ok_or_else(|| refusal(ErrorCode::NotFound, "no such check-in"))?;
        if !self.may_watch(staff, record.code.room_id) {
            return Err(refusal(
                ErrorCode::Forbidden,
                "this check-in is in another room",
            ));
        }
        Ok((record.view.clone(), record.code.clone(), record.station))
    }

    /// The chip photo, for the proctor who decides.
    pub fn checkin_photo(
        &self,
        id: u64,
        staff: &Session,
    ) -> Result<(&'static str, Vec<u8>), ErrorBody> {
        self.staff_record(id, staff)?;
        let book = self.checkins.book();
        let photo = &book.records[&id].photo;
        Ok((photo.mime, photo.bytes.clone()))
    }

    /// The proctor compared the chip photo with the person.
    pub async fn decide_checkin(
        &self,
        id: u64,
        staff: &Session,
        decision: Decision,
    ) -> Result<CheckinView, ErrorBody> {
        let (view, code, station) = self.staff_record(id, staff)?;
        if decision.confirm {
            // A check-in still waiting when the results were published
            // would add a candidate to them.
            self.ensure_unpublished(code.sitting_id)?;
        }
        if view.status != CheckinStatus::AwaitingProctor {
            return Err(refusal(
                ErrorCode::Malformed,
                format!("this check-in is already {}", view.status.as_str()),
            ));
        }
        let actor = staff.actor();
        let now = now_ms();
        let (status, outcome) = if decision.confirm {
            if station {
                let seat_code = new_seat_code();
                let mut book = self.checkins.book();
                // Codes nobody typed in time are forgotten here.
                book.seat_codes.retain(|_, s| s.expires_at > now);
                book.seat_codes.insert(
                    hash_token(&seat_code),
                    SeatCode {
                        seat: Seat::Checkin(id),
                        expires_at: now + SEAT_CODE_TTL_MS,
                    },
                );
                drop(book);
                (
                    CheckinStatus::Confirmed,
                    CheckinPoll {
                        status: CheckinStatus::Confirmed,
                        join: None,
                        seat_code: Some(seat_code),
                        reason: None,
                        opens_at: None,
                    },
                )
            } else {
                let join = self.admit_card_holder(&code, &view, &actor).await?;
                (
                    CheckinStatus::Confirmed,
                    CheckinPoll {
                        status: CheckinStatus::Confirmed,
                        join: Some(join),
                        seat_code: None,
                        reason: None,
                        opens_at: None,
                    },
                )
            }
        } else {
            (
                CheckinStatus::Rejected,
                CheckinPoll {
                    status: CheckinStatus::Rejected,
                    join: None,
                    seat_code: None,
                    reason: decision.reason.clone(),
                    opens_at: None,
                },
            )
        };
        let word = if decision.confirm {
            "confirmed"
        } else {
            "rejected"
        };
        let (by, why) = (actor.clone(), decision.reason.unwrap_or_default());
        self.store
            .write(move |txn| {
                writes::decide_checkin(txn, id, word, &by, now)?;
                writes::audit(
                    txn,
                    now,
                    &by,
                    &format!("checkin_{word}"),
                    &format!("check-in {id} {why}"),
                )
            })
            .await
            .map_err(internal)?;
        self.finish_record(id, status, Some(outcome))
    }

    /// Frees a confirmed card's seat (the student moves to another computer
    /// and checks in there; the attempt continues).
    pub async fn release_checkin(
        &self,
        id: u64,
        staff: &Session,
    ) -> Result<CheckinView, ErrorBody> {
        let (view, ..) = self.staff_record(id, staff)?;
        if view.status != CheckinStatus::Confirmed {
            return Err(refusal(
                ErrorCode::Malformed,
                "only a confirmed check-in can be released",
            ));
        }
        let by = staff.actor();
        let now = now_ms();
        self.store
            .write(move |txn| {
                writes::decide_checkin(txn, id, "released", &by, now)?;
                writes::audit(txn, now, &by, "checkin_released", &format!("check-in {id}"))
            })
            .await
            .map_err(internal)?;
        self.finish_record(id, CheckinStatus::Released, None)
    }

    fn finish_record(
        &self,
        id: u64,
        status: CheckinStatus,
        outcome: Option<CheckinPoll>,
    ) -> Result<CheckinView, ErrorBody> {
        let view = {
            let mut book = self.checkins.book();
            let record = book.records.get_mut(&id).expect("checked by staff_record");
            record.view.status = status;
            if outcome.is_some() {
                record.outcome = outcome;
            }
            let _ = record.changed.send(status);
            let view = record.view.clone();
            if matches!(status, CheckinStatus::Rejected | CheckinStatus::Released) {
                let key = (record.code.sitting_id, view.person_id.clone());
                if book.seats.get(&key) == Some(&id) {
                    book.seats.remove(&key);
                }
            }
            view
        };
        self.send_room_anywhere(
            view.room_id,
            RelayToProctor::Checkin {
                checkin: view.clone(),
            },
        );
        Ok(view)
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
        for r in book.records.values() {
            if let Some((views, counts)) = out.get_mut(&r.code.room_id) {
                match r.view.status {
                    CheckinStatus::AwaitingProctor => counts.awaiting += 1,
                    CheckinStatus::Confirmed => counts.confirmed += 1,
                    _ => {}
                }
                views.push(r.view.clone());
            }
        }
        for (room, (views, counts)) in &mut out {
            views.sort_by_key(|v| v.checkin_id);
            counts.refused = book.refused.get(room).copied().unwrap_or(0);
        }
        out
    }
}
