//! Chip-ID check-in on the relay: challenges, verdicts, the proctor's
//! decision, seats and seat codes.
//!
//! The relay is the only judge ([`judge`]); readers carry bytes. Every
//! judged check-in, refused or accepted, is written to the `checkins` table
//! with its reasons and the card's files before anyone is told the verdict.
//! An accepted card holds the person's seat in the sitting until the proctor
//! rejects it or releases the seat, so one card cannot sit at two computers.

pub mod judge;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use examgate_shared::Millis;
use examgate_shared::checkin::{
    CHALLENGE_TTL_MS, ChallengeResponse, CheckinAccepted, CheckinCounts, CheckinPoll,
    CheckinRequest, CheckinStatus, CheckinView, Decision, SEAT_CODE_TTL_MS,
};
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::protocol::{JoinResponse, Role};
use tokio::sync::watch;

use crate::AppState;
use crate::attempts::{Admission, internal};
use crate::auth::{Session, hash_token, new_token};
use crate::clock::now_ms;
use crate::model::{JoinCode, RoomId, RosterEntry, SittingId, TokenHash, card_key};
use crate::store::writes::{self, CheckinRecord};
use judge::Refusal;

/// How long a poll waits for the proctor before answering "still waiting".
pub const POLL_WAIT: Duration = Duration::from_secs(20);

/// Seat-code alphabet: no 0/O, 1/I/L, so it reads aloud and types easily.
const SEAT_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const SEAT_CODE_LEN: usize = 6;

/// Outstanding challenges the relay keeps at most (a province's rooms
/// checking in at once stays far below; a flood does not grow memory).
pub const MAX_OPEN_CHALLENGES: usize = 20_000;

struct Challenge {
    bytes: [u8; 8],
    sitting_id: SittingId,
    room_id: RoomId,
    expires_at: Millis,
}

struct Record {
    view: CheckinView,
    code: JoinCode,
    poll_hash: TokenHash,
    /// Issued at a proctor station: confirmation yields a seat code.
    station: bool,
    photo: (&'static str, Vec<u8>),
    /// What the reader gets once decided.
    outcome: Option<CheckinPoll>,
    changed: watch::Sender<CheckinStatus>,
}

struct SeatCode {
    checkin_id: u64,
    expires_at: Millis,
}

#[derive(Default)]
struct Book {
    challenges: HashMap<String, Challenge>,
    records: HashMap<u64, Record>,
    /// (sitting, personal ID) → the check-in holding that person's seat.
    seats: HashMap<(SittingId, String), u64>,
    seat_codes: HashMap<TokenHash, SeatCode>,
    refused: HashMap<RoomId, u32>,
}

/// The check-in desk's memory. Seats survive a restart (rebuilt from the
/// confirmed check-ins); pending check-ins and challenges do not, and the
/// reader simply reads the card again.
#[derive(Default)]
pub struct Checkins {
    book: Mutex<Book>,
}

impl Checkins {
    /// Restores the seats confirmed before a restart.
    pub fn restore_seats(&self, seats: &[(u64, SittingId, String)]) {
        let mut book = self.book.lock().expect("checkins lock");
        for (id, sitting, person) in seats {
            book.seats.insert((*sitting, person.clone()), *id);
        }
    }

    fn book(&self) -> std::sync::MutexGuard<'_, Book> {
        self.book.lock().expect("checkins lock")
    }
}

fn refusal(code: ErrorCode, message: impl Into<String>) -> ErrorBody {
    ErrorBody::new(code, message)
}

impl AppState {
    fn card_code(&self, code: &str) -> Result<JoinCode, ErrorBody> {
        let code = self
            .catalog
            .join_codes
            .get(&code.trim().to_uppercase())
            .cloned()
            .ok_or_else(|| refusal(ErrorCode::UnknownCode, "no room has this join code"))?;
        let sitting = &self.catalog.sittings[&code.sitting_id];
        if now_ms() >= sitting.closes_at {
            return Err(refusal(ErrorCode::ExamClosed, "the exam window has closed"));
        }
        Ok(code)
    }

    /// A fresh, single-use challenge for the chip to sign.
    pub fn issue_challenge(&self, code: &str) -> Result<ChallengeResponse, ErrorBody> {
        let code = self.card_code(code)?;
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).expect("the OS random source works");
        let id = new_token();
        let now = now_ms();
        let expires_at = now + CHALLENGE_TTL_MS;
        let mut book = self.checkins.book();
        // Forget what expired, so unanswered challenges cannot pile up; a
        // flood within one lifetime is refused rather than stored.
        book.challenges.retain(|_, c| c.expires_at > now);
        if book.challenges.len() >= MAX_OPEN_CHALLENGES {
            return Err(refusal(
                ErrorCode::TooManyAttempts,
                "too many card checks in progress; try again in a minute",
            ));
        }
        book.challenges.insert(
            id.clone(),
            Challenge {
                bytes,
                sitting_id: code.sitting_id,
                room_id: code.room_id,
                expires_at,
            },
        );
        Ok(ChallengeResponse {
            challenge_id: id,
            challenge: bytes.iter().map(|b| format!("{b:02x}")).collect(),
            expires_at,
        })
    }

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
            if !(s.role == Role::CentralProctor
                || s.may_watch(code.room_id) && s.role == Role::RoomProctor)
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
            (Some(c), Ok(sub)) => judge::judge(&sub, &c.bytes, &self.config.trust, now / 1000)
                .and_then(|card| self.place(&code, card)),
        };
        let evidence = evidence_json(&req);
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
                self.store
                    .write(move |txn| writes::insert_checkin(txn, &record).map(|_| ()))
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
        let Some(entry) = self
            .catalog
            .roster
            .get(&(code.sitting_id, card.person_id.clone()))
        else {
            return Err(with_id(
                ErrorCode::NotOnRoster,
                format!("ID {} is not registered for this exam", card.person_id),
            ));
        };
        if entry.room_id != code.room_id {
            let room = self
                .catalog
                .rooms
                .get(&entry.room_id)
                .map_or("", |r| r.name.as_str());
            return Err(with_id(
                ErrorCode::NotOnRoster,
                format!(
                    "ID {} is registered in {room}, not this room",
                    card.person_id
                ),
            ));
        }
        let chip_birth = format!(
            "{:04}-{:02}-{:02}",
            card.birth.year, card.birth.month, card.birth.day
        );
        if chip_birth != entry.birth {
            return Err(with_id(
                ErrorCode::NotOnRoster,
                format!(
                    "the chip's date of birth {chip_birth} differs from the roster's {}",
                    entry.birth
                ),
            ));
        }
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
            entry: entry.clone(),
            card,
            photo,
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
        let Placed { entry, card, photo } = placed;
        let reasons = format!(
            "passive authentication by {} under {} ({}); active authentication {:?}",
            card.passive.signer, card.passive.csca, card.passive.digest_algorithm, card.active
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
        let id = self
            .store
            .write(move |txn| writes::insert_checkin(txn, &record))
            .await
            .map_err(internal)?;
        let seat = (code.sitting_id, card.person_id.clone());
        let poll_token = new_token();
        let view = CheckinView {
            checkin_id: id,
            room_id: code.room_id,
            status: CheckinStatus::AwaitingProctor,
            roster_name: entry.name.clone(),
            roster_birth: entry.birth.clone(),
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
        self.live.publish_checkin(view);
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
            .get(&(code.sitting_id, code.room_id, card_key(person_id)))
            .is_some_and(|c| people.attempt_of.contains_key(c))
    }

    /// The reader waits (up to [`POLL_WAIT`]) for the proctor's decision.
    pub async fn poll_checkin(&self, id: u64, poll_token: &str) -> Result<CheckinPoll, ErrorBody> {
        let mut changed = {
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
            if let Some(outcome) = &record.outcome {
                return Ok(outcome.clone());
            }
            record.changed.subscribe()
        };
        let _ = tokio::time::timeout(POLL_WAIT, changed.changed()).await;
        let book = self.checkins.book();
        let record = &book.records[&id];
        Ok(record.outcome.clone().unwrap_or(CheckinPoll {
            status: record.view.status,
            join: None,
            seat_code: None,
            reason: None,
        }))
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
            .ok_or_else(|| refusal(ErrorCode::UnknownCode, "no such check-in"))?;
        if !staff.may_watch(record.code.room_id) {
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
        Ok(self.checkins.book().records[&id].photo.clone())
    }

    /// The proctor compared the chip photo with the person.
    pub async fn decide_checkin(
        &self,
        id: u64,
        staff: &Session,
        decision: Decision,
    ) -> Result<CheckinView, ErrorBody> {
        let (view, code, station) = self.staff_record(id, staff)?;
        if view.status != CheckinStatus::AwaitingProctor {
            return Err(refusal(
                ErrorCode::Malformed,
                format!("this check-in is already {}", view.status.as_str()),
            ));
        }
        let actor = format!("{}:{}", crate::model::role_name(staff.role), staff.username);
        let now = now_ms();
        let (status, outcome) = if decision.confirm {
            if station {
                let seat_code = new_seat_code();
                self.checkins.book().seat_codes.insert(
                    hash_token(&seat_code),
                    SeatCode {
                        checkin_id: id,
                        expires_at: now + SEAT_CODE_TTL_MS,
                    },
                );
                (
                    CheckinStatus::Confirmed,
                    CheckinPoll {
                        status: CheckinStatus::Confirmed,
                        join: None,
                        seat_code: Some(seat_code),
                        reason: None,
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
        let by = format!("{}:{}", crate::model::role_name(staff.role), staff.username);
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
        self.live.publish_checkin(view.clone());
        Ok(view)
    }

    async fn admit_card_holder(
        &self,
        code: &JoinCode,
        view: &CheckinView,
        actor: &str,
    ) -> Result<JoinResponse, ErrorBody> {
        self.admit(
            code,
            &view.roster_name,
            &card_key(&view.person_id),
            Admission::CardHolder {
                actor: actor.to_string(),
            },
        )
        .await
    }

    /// A student types the seat code a proctor station gave them.
    pub(crate) async fn join_with_seat_code(
        &self,
        code: &JoinCode,
        seat_code: &str,
    ) -> Result<JoinResponse, ErrorBody> {
        let normalised: String = seat_code
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect::<String>()
            .to_uppercase();
        let now = now_ms();
        let found = {
            let mut book = self.checkins.book();
            let taken = book.seat_codes.remove(&hash_token(&normalised));
            taken.filter(|s| s.expires_at > now).and_then(|s| {
                book.records
                    .get(&s.checkin_id)
                    .map(|r| (r.view.clone(), r.code.clone()))
            })
        };
        let Some((view, record_code)) = found else {
            return Err(refusal(
                ErrorCode::SeatCodeInvalid,
                "unknown, expired or used seat code",
            ));
        };
        if record_code.room_id != code.room_id || record_code.sitting_id != code.sitting_id {
            return Err(refusal(
                ErrorCode::SeatCodeInvalid,
                "this seat code is for another room",
            ));
        }
        self.admit_card_holder(code, &view, &format!("seat-code:{}", view.checkin_id))
            .await
    }

    /// Check-ins and counts of a room, for the proctor views.
    pub fn room_checkins(&self, room: RoomId) -> (Vec<CheckinView>, CheckinCounts) {
        let book = self.checkins.book();
        let mut views: Vec<CheckinView> = book
            .records
            .values()
            .filter(|r| r.code.room_id == room)
            .map(|r| r.view.clone())
            .collect();
        views.sort_by_key(|v| v.checkin_id);
        let roster = self
            .catalog
            .roster
            .values()
            .filter(|e| e.room_id == room)
            .count() as u32;
        let counts = CheckinCounts {
            roster,
            awaiting: views
                .iter()
                .filter(|v| v.status == CheckinStatus::AwaitingProctor)
                .count() as u32,
            confirmed: views
                .iter()
                .filter(|v| v.status == CheckinStatus::Confirmed)
                .count() as u32,
            refused: book.refused.get(&room).copied().unwrap_or(0),
        };
        (views, counts)
    }
}

struct Placed {
    entry: RosterEntry,
    card: judge::GenuineCard,
    photo: (&'static str, Vec<u8>),
}

fn new_seat_code() -> String {
    let mut bytes = [0u8; SEAT_CODE_LEN];
    getrandom::fill(&mut bytes).expect("the OS random source works");
    bytes
        .iter()
        .map(|b| char::from(SEAT_ALPHABET[usize::from(*b) % SEAT_ALPHABET.len()]))
        .collect()
}

/// The card's files as sent, for the audit trail.
fn evidence_json(req: &CheckinRequest) -> String {
    serde_json::json!({
        "com": req.com,
        "groups": req.groups,
        "sod": req.sod,
        "aa_signature": req.aa_signature,
        "challenge_id_hash": BASE64.encode(hash_token(&req.challenge_id)),
    })
    .to_string()
}
