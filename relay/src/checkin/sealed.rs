//! What the check-in desk keeps in the shared store, and how it is sealed:
//! the relay's side of a Chip Authentication (session keys), an accepted
//! check-in's view (the person's ID and names) and chip photo, and the
//! reader's outcome (an attempt token or a seat code). All are secrets or
//! personal data, so they are stored sealed with the deployment's at-rest
//! key, which every relay of one deployment shares.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use examgate_shared::checkin::{CheckinPoll, CheckinStatus, CheckinView, from_hex, to_hex};
use examgate_shared::chip::sm::SecureChannel;
use serde::{Deserialize, Serialize};

use super::anti_clone::PendingChipAuth;
use crate::at_rest::AtRest;
use crate::photo::Displayable;
use crate::store::desk::DeskRow;

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

/// What the proctor sees of an accepted check-in (names, the CCCD number).
pub fn seal_view(at_rest: &AtRest, view: &CheckinView) -> String {
    at_rest.seal(&serde_json::to_string(view).expect("a view serializes"))
}

fn open_view(at_rest: &AtRest, sealed: &str) -> Result<CheckinView, Unreadable> {
    let json = at_rest.open(sealed).map_err(|_| Unreadable("view"))?;
    serde_json::from_str(&json).map_err(|_| Unreadable("view"))
}

/// The view an accepted check-in's row keeps, opened, with the row's
/// decision as its status; `None` when the row keeps none (purged, or from
/// before schema 8).
pub fn stored_view(at_rest: &AtRest, row: &DeskRow) -> Option<Result<CheckinView, Unreadable>> {
    let sealed = row.desk.as_deref()?;
    Some(open_view(at_rest, sealed).map(|view| CheckinView {
        status: status_of(row.decision.as_deref()),
        ..view
    }))
}

/// A check-in's status from its stored decision.
fn status_of(decision: Option<&str>) -> CheckinStatus {
    match decision {
        None => CheckinStatus::AwaitingProctor,
        // A student computer's confirmation making the attempt is still
        // awaiting to everyone else (no release, no second decision).
        Some("confirming") => CheckinStatus::AwaitingProctor,
        Some("confirmed") => CheckinStatus::Confirmed,
        Some("rejected") => CheckinStatus::Rejected,
        Some(_) => CheckinStatus::Released,
    }
}

/// The chip photo as the proctor's browser shows it.
#[derive(Serialize, Deserialize)]
struct StoredPhoto {
    mime: String,
    /// Base64.
    bytes: String,
}

pub fn seal_photo(at_rest: &AtRest, photo: &Displayable) -> String {
    let stored = StoredPhoto {
        mime: photo.mime.to_string(),
        bytes: BASE64.encode(&photo.bytes),
    };
    at_rest.seal(&serde_json::to_string(&stored).expect("a photo serializes"))
}

/// The photo's type (one the relay made) and bytes.
pub fn open_photo(at_rest: &AtRest, sealed: &str) -> Result<(&'static str, Vec<u8>), Unreadable> {
    let json = at_rest.open(sealed).map_err(|_| Unreadable("photo"))?;
    let stored: StoredPhoto = serde_json::from_str(&json).map_err(|_| Unreadable("photo"))?;
    let mime = match stored.mime.as_str() {
        "image/jpeg" => "image/jpeg",
        "image/png" => "image/png",
        _ => return Err(Unreadable("photo type")),
    };
    let bytes = BASE64
        .decode(&stored.bytes)
        .map_err(|_| Unreadable("photo"))?;
    Ok((mime, bytes))
}

pub fn seal_outcome(at_rest: &AtRest, outcome: &CheckinPoll) -> String {
    at_rest.seal(&serde_json::to_string(outcome).expect("an outcome serializes"))
}

pub fn open_outcome(at_rest: &AtRest, sealed: &str) -> Result<CheckinPoll, Unreadable> {
    let json = at_rest.open(sealed).map_err(|_| Unreadable("outcome"))?;
    serde_json::from_str(&json).map_err(|_| Unreadable("outcome"))
}
