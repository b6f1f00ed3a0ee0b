//! One-time seat codes: a proctor station checked the card in, or a proctor
//! moved a student to another computer; the student types the code on the
//! new browser to open their attempt there.

use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::protocol::JoinResponse;

use super::sealed::stored_view;
use super::{SEAT_ALPHABET, SEAT_CODE_LEN, refusal, unreadable};
use crate::AppState;
use crate::attempts::internal;
use crate::clock::now_ms;
use crate::model::JoinCode;
use crate::store::desk::{self, Seat};

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
        let hash = self.at_rest.seat_code_key(&normalised);
        let peeked = hash;
        let kind = self
            .store
            .read_one(move |db| desk::peek_seat_code(db, &peeked, now))
            .await
            .map_err(internal)?;
        // A card holder's first entry: content is never served outside the
        // window, and a code typed too early still works at the opening. A
        // moved student's attempt keeps its own clock, past the window too.
        if let Some(Seat::Checkin(_)) = kind {
            self.check_window(code, now)?;
        }
        // Single use, whichever relay the code is typed on.
        let seat = self
            .store
            .write(move |txn| desk::take_seat_code(txn, &hash, now))
            .await
            .map_err(internal)?;
        let invalid = || {
            refusal(
                ErrorCode::SeatCodeInvalid,
                "unknown, expired or used seat code",
            )
        };
        let checkin = match seat {
            None => return Err(invalid()),
            Some(Seat::Attempt(attempt)) => return self.join_moved_attempt(code, attempt).await,
            Some(Seat::Checkin(id)) => id,
        };
        let row = self
            .store
            .read_one(move |db| desk::desk(db, checkin))
            .await
            .map_err(internal)?
            .ok_or_else(invalid)?;
        // A released check-in's code opens nothing any more.
        if row.decision.as_deref() != Some("confirmed") {
            return Err(invalid());
        }
        if row.room_id != code.room_id || row.sitting_id != code.sitting_id {
            return Err(refusal(
                ErrorCode::SeatCodeInvalid,
                "this seat code is for another room",
            ));
        }
        let view = stored_view(&self.at_rest, &row)
            .ok_or_else(invalid)?
            .map_err(unreadable)?;
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
        // Moved on another relay, perhaps: in a cluster the store has it.
        let slot = if self.clustered() {
            self.reread_attempt(attempt).await.map_err(internal)?
        } else {
            self.people().attempts.get(&attempt).cloned()
        };
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

pub(crate) fn new_seat_code() -> String {
    let mut bytes = [0u8; SEAT_CODE_LEN];
    getrandom::fill(&mut bytes).expect("the OS random source works");
    bytes
        .iter()
        .map(|b| char::from(SEAT_ALPHABET[usize::from(*b) % SEAT_ALPHABET.len()]))
        .collect()
}
