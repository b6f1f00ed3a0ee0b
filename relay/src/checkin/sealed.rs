//! What the check-in desk keeps in the shared store, and how it is sealed:
//! the relay's side of a Chip Authentication (session keys), an accepted
//! check-in's desk (the person's ID, names and chip photo) and the reader's
//! outcome (an attempt token or a seat code). All three are secrets or
//! personal data, so they are stored sealed with the deployment's at-rest
//! key, which every relay of one deployment shares.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use examgate_shared::checkin::{CheckinPoll, CheckinView, from_hex, to_hex};
use examgate_shared::chip::sm::SecureChannel;
use serde::{Deserialize, Serialize};

use super::anti_clone::PendingChipAuth;
use crate::at_rest::AtRest;
use crate::photo::Displayable;

/// Why something the desk stored cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("the check-in desk's stored {0} cannot be opened")]
pub struct Unreadable(&'static str);

/// The Chip Authentication a challenge started, sealed.
pub fn seal_chip_auth(at_rest: &AtRest, pending: &PendingChipAuth) -> String {
    let mut bytes = pending.dg14_sha256.to_vec();
    bytes.extend(pending.channel.to_state());
    at_rest.seal(&to_hex(&bytes))
}

pub fn open_chip_auth(at_rest: &AtRest, sealed: &str) -> Result<PendingChipAuth, Unreadable> {
    let unreadable = || Unreadable("chip authentication");
    let hex = at_rest.open(sealed).map_err(|_| unreadable())?;
    let bytes = from_hex(&hex).ok_or_else(unreadable)?;
    let (digest, state) = bytes.split_at_checked(32).ok_or_else(unreadable)?;
    Ok(PendingChipAuth {
        channel: SecureChannel::from_state(state).ok_or_else(unreadable)?,
        dg14_sha256: digest.try_into().map_err(|_| unreadable())?,
    })
}

/// What the proctor who decides sees: the view and the chip photo.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Desk {
    pub view: CheckinView,
    pub photo_mime: String,
    /// Base64.
    pub photo: String,
}

impl Desk {
    pub fn new(view: CheckinView, photo: &Displayable) -> Desk {
        Desk {
            view,
            photo_mime: photo.mime.to_string(),
            photo: BASE64.encode(&photo.bytes),
        }
    }

    pub fn seal(&self, at_rest: &AtRest) -> String {
        at_rest.seal(&serde_json::to_string(self).expect("a desk serializes"))
    }

    pub fn open(at_rest: &AtRest, sealed: &str) -> Result<Desk, Unreadable> {
        let json = at_rest.open(sealed).map_err(|_| Unreadable("desk"))?;
        serde_json::from_str(&json).map_err(|_| Unreadable("desk"))
    }

    /// The photo's type (one the relay made) and bytes.
    pub fn photo(&self) -> Result<(&'static str, Vec<u8>), Unreadable> {
        let mime = match self.photo_mime.as_str() {
            "image/jpeg" => "image/jpeg",
            "image/png" => "image/png",
            _ => return Err(Unreadable("photo type")),
        };
        let bytes = BASE64
            .decode(&self.photo)
            .map_err(|_| Unreadable("photo"))?;
        Ok((mime, bytes))
    }
}

pub fn seal_outcome(at_rest: &AtRest, outcome: &CheckinPoll) -> String {
    at_rest.seal(&serde_json::to_string(outcome).expect("an outcome serializes"))
}

pub fn open_outcome(at_rest: &AtRest, sealed: &str) -> Result<CheckinPoll, Unreadable> {
    let json = at_rest.open(sealed).map_err(|_| Unreadable("outcome"))?;
    serde_json::from_str(&json).map_err(|_| Unreadable("outcome"))
}
