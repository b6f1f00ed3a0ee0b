//! The verdict on a card read: judge the card, check the roster and the
//! seat, record the verdict (refused or accepted) before answering, and
//! tell the room's proctors.

use examgate_shared::Millis;
use examgate_shared::checkin::{CheckinAccepted, CheckinRequest, CheckinStatus, CheckinView};
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::protocol::{RelayToProctor, Role};
use tokio::sync::watch;

use super::judge::{self, Refusal};
use super::{Record, refusal};
use crate::AppState;
use crate::attempts::internal;
use crate::auth::{Session, hash_token, new_token};
use crate::clock::now_ms;
use crate::model::{JoinCode, RosterEntry, masked_id};
use crate::store::writes::{self, CheckinRecord};

impl AppState {
    /// Judges a card read. `station` is the proctor station's session when
    /// the read happened there.
    pub async fn check_in(
        &self,
        req: CheckinRequest,
        station: Option<Session>,
    ) -> Result<CheckinAccepted, ErrorBody> {
        let code = self.card_code(&req.code)?;
        if req.station {
            let Some(s) = &station else {
                return Err(refusal(
                    ErrorCode::Unauthorized,
                    "a station check-in needs a proctor's sign-in",
                ));
            };
            if !(matches!(s.role, Role::CentralProctor | Role::RoomProctor)
                && self.may_watch(s, code.room_id))
            {
                return Err(refusal(
                    ErrorCode::Forbidden,
                    "this proctor does not watch that room",
                ));
            }
        }
        let station_name = match (&station, req.station) {
            (Some(s), true) => format!("station:{}", s.username),
            _ => "student-computer".to_string(),
        };
        let now = now_ms();
        // Single use: taken out whatever the verdict, so an answer can never
        // be replayed against the same challenge.
        let challenge = self.checkins.book().challenges.remove(&req.challenge_id);
        let submitted = judge::decode(&req);
        let verdict = match (challenge, submitted) {
            (_, Err(r)) => Err(r),
            (None, _) => Err(Refusal::new(
                ErrorCode::ChallengeInvalid,
                "unknown or already used challenge (a replayed answer?)",
            )),
            (Some(c), _) if c.expires_at <= now => Err(Refusal::new(
                ErrorCode::ChallengeInvalid,
                "the challenge expired",
            )),
            (Some(c), _) if (c.sitting_id, c.room_id) != (code.sitting_id, code.room_id) => {
                Err(Refusal::new(
                    ErrorCode::ChallengeInvalid,
                    "the challenge was issued for another room",
                ))
            }
            (Some(c), Ok(sub)) => judge::judge(
                &sub,
                &c.bytes,
                c.chip_auth.as_ref(),
                &self.config.trust,
                now / 1000,
            )
            .and_then(|card| self.place(&code, card))
            .map(|placed| Placed {
                access: judge::reported_access(&req.access),
                ..placed
            }),
        };
        let evidence = self.at_rest.seal(&super::evidence::evidence_json(&req));
        match verdict {
            Err(r) => {
                let record = CheckinRecord {
                    at: now,
                    sitting_id: code.sitting_id,
                    room_id: code.room_id,
                    person_id: r.person_id.clone(),
                    verdict: r.code.as_str().to_string(),
                    reasons: r.reason.clone(),
                    station: station_name,
                    evidence,
                };
                let at_rest = self.at_rest.clone();
                self.store
                    .write(move |txn| writes::insert_checkin(txn, &record, &at_rest).map(|_| ()))
                    .await
                    .map_err(internal)?;
                *self
                    .checkins
                    .book()
                    .refused
                    .entry(code.room_id)
                    .or_default() += 1;
                tracing::info!("check-in refused: {} ({})", r.code.as_str(), r.reason);
                Err(ErrorBody::new(r.code, r.reason))
            }
            Ok(placed) => {
                self.record_accepted(code, placed, req.station, station_name, evidence, now)
                    .await
            }
        }
    }

    /// Roster and seat checks for a genuine card.
    fn place(&self, code: &JoinCode, card: judge::GenuineCard) -> Result<Placed, Refusal> {
        let with_id = |c: ErrorCode, m: String| Refusal {
            code: c,
            reason: m,
            person_id: Some(card.person_id.clone()),
        };
        let plan = self.catalog.plan();
        let Some(entry) = plan
            .roster
            .get(&(code.sitting_id, card.person_id.clone()))
            .cloned()
        else {
            return Err(with_id(
                ErrorCode::NotOnRoster,
                format!(
                    "ID {} is not registered for this exam",
                    masked_id(&card.person_id)
                ),
            ));
        };
        if entry.room_id != code.room_id {
            let room = plan
                .rooms
                .get(&entry.room_id)
                .map_or("", |r| r.name.as_str());
            return Err(with_id(
                ErrorCode::NotOnRoster,
                format!(
                    "ID {} is registered in {room}, not this room",
                    masked_id(&card.person_id)
                ),
            ));
        }
        let chip_birth = format!(
            "{:04}-{:02}-{:02}",
            card.birth.year, card.birth.month, card.birth.day
        );
        if entry.birth.as_deref() != Some(chip_birth.as_str()) {
            return Err(with_id(
                ErrorCode::NotOnRoster,
                format!(
                    "the chip's date of birth {chip_birth} differs from the roster's {}",
                    entry.birth.as_deref().unwrap_or("(none)")
                ),
            ));
        }
        drop(plan);
        let seat = (code.sitting_id, card.person_id.clone());
        let book = self.checkins.book();
        if let Some(other) = book.seats.get(&seat) {
            return Err(with_id(
                ErrorCode::AlreadyCheckedIn,
                format!(
                    "this card already holds a seat (check-in {other}); the proctor can release it"
                ),
            ));
        }
        drop(book);
        let photo = crate::photo::displayable(&card.face).map_err(|e| {
            with_id(
                ErrorCode::CardMalformed,
                format!("the chip photo cannot be shown: {e}"),
            )
        })?;
        Ok(Placed {
            entry,
            card,
            photo,
            access: String::new(),
        })
    }

    async fn record_accepted(
        &self,
        code: JoinCode,
        placed: Placed,
        station: bool,
        station_name: String,
        evidence: String,
        now: Millis,
    ) -> Result<CheckinAccepted, ErrorBody> {
        let Placed {
            entry,
            card,
            photo,
            access,
        } = placed;
        let reasons = format!(
            "passive authentication by {} under {} ({}); {}; {}; \
             chip opened with {access} (as the reader reports)",
            card.passive.signer,
            card.passive.csca,
            card.passive.digest_algorithm,
            card.anti_clone.describe(),
            photo.size_note(&card.face)
        );
        let record = CheckinRecord {
            at: now,
            sitting_id: code.sitting_id,
            room_id: code.room_id,
            person_id: Some(card.person_id.clone()),
            verdict: "accepted".into(),
            reasons,
            station: station_name,
            evidence,
        };
        let at_rest = self.at_rest.clone();
        let id = self
            .store
            .write(move |txn| writes::insert_checkin(txn, &record, &at_rest))
            .await
            .map_err(internal)?;
        let seat = (code.sitting_id, card.person_id.clone());
        let poll_token = new_token();
        let view = CheckinView {
            checkin_id: id,
            room_id: code.room_id,
            status: CheckinStatus::AwaitingProctor,
            roster_name: entry.name.clone(),
            roster_birth: entry.birth.clone().unwrap_or_default(),
            chip_name: card.name.clone(),
            chip_birth: format!(
                "{:04}-{:02}-{:02}",
                card.birth.year, card.birth.month, card.birth.day
            ),
            person_id: card.person_id.clone(),
            photo_url: format!("/api/checkins/{id}/photo"),
            at: now,
            reseat: self.has_attempt(&code, &card.person_id),
        };
        {
            let mut book = self.checkins.book();
            if let Some(other) = book.seats.get(&seat) {
                // Two readers raced with the same card; the first one won.
                return Err(ErrorBody::new(
                    ErrorCode::AlreadyCheckedIn,
                    format!("this card already holds a seat (check-in {other})"),
                ));
            }
            book.seats.insert(seat, id);
            book.records.insert(
                id,
                Record {
                    view: view.clone(),
                    code,
                    poll_hash: hash_token(&poll_token),
                    station,
                    photo,
                    outcome: None,
                    changed: watch::channel(CheckinStatus::AwaitingProctor).0,
                },
            );
        }
        self.send_room_anywhere(view.room_id, RelayToProctor::Checkin { checkin: view });
        Ok(CheckinAccepted {
            checkin_id: id,
            poll_token,
            name: entry.name,
            status: CheckinStatus::AwaitingProctor,
        })
    }

    fn has_attempt(&self, code: &JoinCode, person_id: &str) -> bool {
        let people = self.people();
        people
            .by_name
            .get(&(
                code.sitting_id,
                code.room_id,
                self.at_rest.card_key(person_id),
            ))
            .is_some_and(|c| people.attempt_of.contains_key(c))
    }
}

struct Placed {
    entry: RosterEntry,
    card: judge::GenuineCard,
    /// The reader's own account of how it opened the chip.
    access: String,
    photo: crate::photo::Displayable,
}
