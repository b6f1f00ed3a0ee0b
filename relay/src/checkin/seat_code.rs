//! One-time seat codes: a proctor station checked the card in; the student
//! types the code on any browser to open their attempt.

use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::protocol::JoinResponse;

use super::{SEAT_ALPHABET, SEAT_CODE_LEN, refusal};
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
}

pub(super) fn new_seat_code() -> String {
    let mut bytes = [0u8; SEAT_CODE_LEN];
    getrandom::fill(&mut bytes).expect("the OS random source works");
    bytes
        .iter()
        .map(|b| char::from(SEAT_ALPHABET[usize::from(*b) % SEAT_ALPHABET.len()]))
        .collect()
}
