//! The verdict on a card read: judge the card, check the roster and the
//! seat, record the verdict (refused or accepted) before answering, and
//! tell the room's proctors.

use examgate_shared::Millis;
use examgate_shared::checkin::{
    CheckinAccepted, CheckinRequest, CheckinStatus, CheckinView, from_hex,
};
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::protocol::{RelayToProctor, Role};

use super::anti_clone::PendingChipAuth;
use super::judge::{self, Refusal};
use super::sealed::{open_chip_auth, seal_photo, seal_view};
use super::{refusal, unreadable};
use crate::AppState;
use crate::attempts::internal;
use crate::auth::{Session, hash_token, new_token};
use crate::clock::now_ms;
use crate::model::{JoinCode, RosterEntry, masked_id};
use crate::store::StoreError;
use crate::store::desk::{self, StoredChallenge};
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
        // be replayed against the same challenge; by whichever relay the
        // answer came through.
        let id_hash = hash_token(&req.challenge_id);
        let challenge = self
            .store
            .write(move |txn| desk::take_challenge(txn, &id_hash))
            .await
            .map_err(internal)?;
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
            (Some(c), Ok(sub)) => {
                let (bytes, chip_auth) = self.opened_challenge(&c)?;
                match judge::judge(
                    &sub,
                    &bytes,
                    chip_auth.as_ref(),
                    &self.config.trust,
                    now / 1000,
                )
                .and_then(|card| self.place(&code, card))
                {
                    Ok(placed) => self.seat_free(&code, placed).await?,
                    Err(r) => Err(r),
                }
                .and_then(|(entry, card)| {
                    // The photo last: a seated card costs no decoding.
                    with_photo(entry, card, judge::reported_access(&req.access))
                })
            }
        };
        let evidence = self.at_rest.seal(&super::evidence::evidence_json(&req));
        match verdict {
            Err(r) => {
                self.record_refused(&code, r.clone(), station_name, evidence, now)
                    .await?;
                Err(ErrorBody::new(r.code, r.reason))
            }
            Ok(placed) => {
                let accepted = self
                    .record_accepted(
                        code.clone(),
                        placed,
                        req.station,
                        station_name.clone(),
                        evidence.clone(),
                        now,
                    )
                    .await?;
                match accepted {
                    Ok(accepted) => Ok(accepted),
                    // Two readers raced with the same card (on two relays,
                    // perhaps); the store's seat index let the first one in.
                    Err(r) => {
                        self.record_refused(&code, r.clone(), station_name, evidence, now)
                            .await?;
                        Err(ErrorBody::new(r.code, r.reason))
                    }
                }
            }
        }
    }

    /// The stored challenge's bytes and Chip Authentication, opened.
    fn opened_challenge(
        &self,
        c: &StoredChallenge,
    ) -> Result<([u8; 8], Option<PendingChipAuth>), ErrorBody> {
        let bytes: [u8; 8] = from_hex(&c.challenge)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| unreadable("a stored challenge is not 8 bytes of hex"))?;
        let chip_auth = c
            .chip_auth
            .as_deref()
            .map(|sealed| open_chip_auth(&self.at_rest, sealed))
            .transpose()
            .map_err(unreadable)?;
        Ok((bytes, chip_auth))
    }

    /// A refused read goes to the audit trail, and its count to the room's
    /// proctors on every relay.
    async fn record_refused(
        &self,
        code: &JoinCode,
        r: Refusal,
        station_name: String,
        evidence: String,
        now: Millis,
    ) -> Result<(), ErrorBody> {
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
        self.checkins.count_refusal(code.room_id);
        if self.clustered() {
            self.tell(crate::bus::News::Refused { room: code.room_id });
        }
        tracing::info!("check-in refused: {} ({})", r.code.as_str(), r.reason);
        Ok(())
    }

    /// Refuses a card that already holds a seat in the sitting, wherever
    /// it was checked in.
    async fn seat_free(
        &self,
        code: &JoinCode,
        placed: (RosterEntry, judge::GenuineCard),
    ) -> Result<Result<(RosterEntry, judge::GenuineCard), Refusal>, ErrorBody> {
        let (sitting, key) = (
            code.sitting_id,
            self.at_rest.person_key(&placed.1.person_id),
        );
        let holder = self
            .store
            .read_one(move |db| desk::seat_holder(db, sitting, &key))
            .await
            .map_err(internal)?;
        Ok(match holder {
            Some(other) => Err(Refusal {
                code: ErrorCode::AlreadyCheckedIn,
                reason: format!(
                    "this card already holds a seat (check-in {other}); the proctor can release it"
                ),
                person_id: Some(placed.1.person_id),
            }),
            None => Ok(placed),
        })
    }

    /// Roster checks for a genuine card (the seat is the store's).
    fn place(
        &self,
        code: &JoinCode,
        card: judge::GenuineCard,
    ) -> Result<(RosterEntry, judge::GenuineCard), Refusal> {
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
        Ok((entry, card))
    }

    /// Records an accepted card and opens its desk (in one write, so no
    /// accepted row is ever without one); a seat taken meanwhile is the
    /// inner refusal.
    async fn record_accepted(
        &self,
        code: JoinCode,
        placed: Placed,
        station: bool,
        station_name: String,
        evidence: String,
        now: Millis,
    ) -> Result<Result<CheckinAccepted, Refusal>, ErrorBody> {
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
        let poll_token = new_token();
        // Whether the card holder already has an attempt (a new computer):
        // made through another relay, perhaps, so read in first.
        let card_key = self.at_rest.card_key(&card.person_id);
        self.learn_candidate(code.sitting_id, code.room_id, &card_key)
            .await
            .map_err(internal)?;
        let unnumbered = CheckinView {
            // Numbered by the store below.
            checkin_id: 0,
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
            photo_url: String::new(),
            at: now,
            reseat: self.has_attempt(&code, &card.person_id),
        };
        let at_rest = self.at_rest.clone();
        let poll_hash = hash_token(&poll_token);
        let written = self
            .store
            .write(move |txn| {
                let id = writes::insert_checkin(txn, &record, &at_rest)?;
                let view = CheckinView {
                    checkin_id: id,
                    photo_url: format!("/api/checkins/{id}/photo"),
                    ..unnumbered
                };
                desk::open_desk(
                    txn,
                    id,
                    &poll_hash,
                    station,
                    &seal_view(&at_rest, &view),
                    &seal_photo(&at_rest, &photo),
                )?;
                Ok(view)
            })
            .await;
        let view = match written {
            Ok(view) => view,
            Err(StoreError::Db(e)) if e.is_unique_violation() => {
                return Ok(Err(Refusal {
                    code: ErrorCode::AlreadyCheckedIn,
                    reason: "this card already holds a seat (checked in at the same moment \
                             elsewhere); the proctor can release it"
                        .into(),
                    person_id: Some(card.person_id),
                }));
            }
            Err(e) => return Err(internal(e)),
        };
        let checkin_id = view.checkin_id;
        self.checkins.learn(view.clone());
        self.send_room_anywhere(view.room_id, RelayToProctor::Checkin { checkin: view });
        Ok(Ok(CheckinAccepted {
            checkin_id,
            poll_token,
            name: entry.name,
            status: CheckinStatus::AwaitingProctor,
        }))
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

/// The chip photo as a browser shows it, for the proctor.
fn with_photo(
    entry: RosterEntry,
    card: judge::GenuineCard,
    access: String,
) -> Result<Placed, Refusal> {
    match crate::photo::displayable(&card.face) {
        Ok(photo) => Ok(Placed {
            entry,
            card,
            photo,
            access,
        }),
        Err(e) => Err(Refusal {
            code: ErrorCode::CardMalformed,
            reason: format!("the chip photo cannot be shown: {e}"),
            person_id: Some(card.person_id),
        }),
    }
}

struct Placed {
    entry: RosterEntry,
    card: judge::GenuineCard,
    /// The reader's own account of how it opened the chip.
    access: String,
    photo: crate::photo::Displayable,
}
