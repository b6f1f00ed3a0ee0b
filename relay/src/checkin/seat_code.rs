//! One-time seat codes: a proctor station checked the card in, or a proctor
//! moved a student to another computer; the student types the code on the
//! new browser to open their attempt there.

use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::protocol::JoinResponse;

use super::{SEAT_ALPHABET, SEAT_CODE_LEN, Seat, refusal};
use crate::AppState;
use crate::auth::hash_token;
use crate::clock::now_ms;
use crate::model::JoinCode;

impl AppState {
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
        let hash = hash_token(&normalised);
        let kind = self
            .checkins
            .book()
            .seat_codes
            .get(&hash)
            .filter(|s| s.expires_at > now)
            .map(|s| s.seat);
        // A card holder's first entry: content is never served outside the
        // window, and a code typed too early still works at the opening. A
        // moved student's attempt keeps its own clock, past the window too.
        if let Some(Seat::Checkin(_)) = kind {
            self.check_window(code, now)?;
        }
        let seat = {
            let mut book = self.checkins.book();
            let taken = book.seat_codes.remove(&hash);
            taken.filter(|s| s.expires_at > now).map(|s| s.seat)
        };
        if let Some(Seat::Attempt(attempt)) = seat {
            return self.join_moved_attempt(code, attempt).await;
        }
        let found = seat.and_then(|seat| match seat {
            Seat::Checkin(id) => self
                .checkins
                .book()
                .records
                .get(&id)
                .map(|r| (r.view.clone(), r.code.clone())),
            Seat::Attempt(_) => None,
        });
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

    /// The moved student's new computer: a new token for the same attempt,
    /// whatever the window says (the attempt's own clock decides what it
    /// may still do).
    async fn join_moved_attempt(
        &self,
        code: &JoinCode,
        attempt: crate::model::AttemptId,
    ) -> Result<JoinResponse, ErrorBody> {
        let slot = self.people().attempts.get(&attempt).cloned();
        let Some(slot) = slot.filter(|s| {
            s.candidate.room_id == code.room_id && s.candidate.sitting_id == code.sitting_id
        }) else {
            return Err(refusal(
                ErrorCode::SeatCodeInvalid,
                "this seat code is for another room",
            ));
        };
        let token = self
            .reissue_token(attempt, &format!("seat-code:attempt:{attempt}"))
            .await?;
        Ok(self.join_response(code, token, slot.id))
    }
}

pub(super) fn new_seat_code() -> String {
    let mut bytes = [0u8; SEAT_CODE_LEN];
    getrandom::fill(&mut bytes).expect("the OS random source works");
    bytes
        .iter()
        .map(|b| char::from(SEAT_ALPHABET[usize::from(*b) % SEAT_ALPHABET.len()]))
        .collect()
}
