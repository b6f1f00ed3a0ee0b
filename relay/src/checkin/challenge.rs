//! Challenges: fresh, single-use, short-lived bytes for the chip to sign,
//! so that an answer copied from an earlier check-in is worth nothing.

use examgate_shared::checkin::{CHALLENGE_TTL_MS, ChallengeResponse};
use examgate_shared::error::{ErrorBody, ErrorCode};

use super::{Challenge, MAX_OPEN_CHALLENGES, refusal};
use crate::AppState;
use crate::auth::new_token;
use crate::clock::now_ms;
use crate::model::JoinCode;

impl AppState {
    pub(super) fn card_code(&self, code: &str) -> Result<JoinCode, ErrorBody> {
        let code = self
            .join_code(code)
            .ok_or_else(|| refusal(ErrorCode::UnknownCode, "no room has this join code"))?;
        let closes_at = self.catalog.plan().sittings[&code.sitting_id].closes_at;
        if now_ms() >= closes_at {
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
}
