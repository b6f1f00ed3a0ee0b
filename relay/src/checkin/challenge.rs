//! Challenges: fresh, single-use, short-lived bytes for the chip to sign,
//! so that an answer copied from an earlier check-in is worth nothing; and,
//! when the chip's DG14 offers Chip Authentication, the relay's side of that
//! exchange (its ephemeral key never leaves the relay; the session keys it
//! agreed are stored sealed with the challenge, for whichever relay judges
//! the answer).

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use examgate_shared::checkin::{CHALLENGE_TTL_MS, ChallengeResponse, ChipAuthCommands, to_hex};
use examgate_shared::chip::chip_auth::terminal_exchange;
use examgate_shared::chip::verify::chip_authentication_key;
use examgate_shared::error::{ErrorBody, ErrorCode};

use super::anti_clone::PendingChipAuth;
use super::sealed::seal_chip_auth;
use super::{MAX_OPEN_CHALLENGES, refusal};
use crate::AppState;
use crate::attempts::internal;
use crate::auth::{hash_token, new_token};
use crate::clock::now_ms;
use crate::model::JoinCode;
use crate::store::desk::{self, StoredChallenge};

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

    /// A fresh, single-use challenge for the chip to sign, and the Chip
    /// Authentication commands when `dg14` (base64, as read) offers it.
    /// Stored, so the answer may come through any relay.
    pub async fn issue_challenge(
        &self,
        code: &str,
        dg14: Option<&str>,
    ) -> Result<ChallengeResponse, ErrorBody> {
        let code = self.card_code(code)?;
        // Refuse a flood before doing any elliptic-curve work for it.
        let now = now_ms();
        let open = self
            .store
            .read_one(move |db| desk::open_challenges(db, now))
            .await
            .map_err(internal)?;
        if open >= MAX_OPEN_CHALLENGES as u64 {
            return Err(flooded());
        }
        let (chip_auth, commands) = match dg14 {
            Some(dg14) => start_chip_auth(dg14)?,
            None => (None, None),
        };
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).expect("the OS random source works");
        let id = new_token();
        let now = now_ms();
        let expires_at = now + CHALLENGE_TTL_MS;
        let stored = StoredChallenge {
            challenge: to_hex(&bytes),
            sitting_id: code.sitting_id,
            room_id: code.room_id,
            expires_at,
            chip_auth: chip_auth.map(|c| seal_chip_auth(&self.at_rest, &c)),
        };
        let id_hash = hash_token(&id);
        let stored_now = self
            .store
            .write(move |txn| {
                desk::insert_challenge(txn, &id_hash, &stored, now, MAX_OPEN_CHALLENGES)
            })
            .await
            .map_err(internal)?;
        // A flood within one lifetime is refused rather than stored.
        if !stored_now {
            return Err(flooded());
        }
        Ok(ChallengeResponse {
            challenge_id: id,
            challenge: to_hex(&bytes),
            expires_at,
            chip_auth: commands,
        })
    }
}

fn flooded() -> ErrorBody {
    refusal(
        ErrorCode::TooManyAttempts,
        "too many card checks in progress; try again in a minute",
    )
}

/// The largest DG14 accepted with a challenge request, base64 (4 KiB of
/// file).
const MAX_DG14_BASE64: usize = 4 * 1024 * 4 / 3 + 4;

/// The relay as Chip Authentication's terminal: an ephemeral key on the
/// curve of the DG14 key, the commands carrying it, and the proof read
/// protected under the keys the chip will switch to. DG14 is not trusted
/// yet: the verdict checks it against EF.SOD, and that the same bytes come
/// back with the files.
fn start_chip_auth(
    dg14_base64: &str,
) -> Result<(Option<PendingChipAuth>, Option<ChipAuthCommands>), ErrorBody> {
    // A DG14 holds a few SecurityInfos and keys: a few hundred bytes.
    if dg14_base64.len() > MAX_DG14_BASE64 {
        return Err(refusal(ErrorCode::TooLarge, "dg14 is larger than any DG14"));
    }
    let dg14 = BASE64
        .decode(dg14_base64)
        .map_err(|_| refusal(ErrorCode::Malformed, "dg14 is not base64"))?;
    // A DG14 that offers no Chip Authentication (or one we cannot run):
    // the chip answers the challenge with Active Authentication instead.
    let Ok(Some(key)) = chip_authentication_key(&dg14) else {
        return Ok((None, None));
    };
    let mut random = |out: &mut [u8]| getrandom::fill(out).expect("the OS random source works");
    let Ok(exchange) = terminal_exchange(&key, &mut random) else {
        return Ok((None, None));
    };
    let commands = ChipAuthCommands {
        commands: exchange
            .commands
            .iter()
            .map(|command| to_hex(&command.encode(false).expect("short commands")))
            .collect(),
        proof: to_hex(&exchange.proof),
    };
    Ok((
        Some(PendingChipAuth::new(exchange.channel, &dg14)),
        Some(commands),
    ))
}
