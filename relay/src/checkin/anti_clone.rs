//! The anti-clone proof of a card whose data passed passive
//! authentication: Chip Authentication with the relay as the terminal
//! when the chip offers it (the stronger proof: it also binds the reading
//! channel to the chip), Active Authentication over the relay's challenge
//! otherwise, and a refusal that says what is true when the chip offers
//! neither (docs/checkin-security.md).

use examgate_shared::chip::chip_auth::{ChipAuthKey, PROOF_LEN};
use examgate_shared::chip::sm::SecureChannel;
use examgate_shared::chip::verify::{
    AaAlgorithm, LdsFiles, PassiveAuth, active_auth, chip_authentication_key,
};
use examgate_shared::error::ErrorCode;
use sha2::{Digest, Sha256};

use super::judge::Refusal;

/// The anti-clone groups: Chip Authentication's key, Active
/// Authentication's key.
const DG14: u8 = 14;
const DG15: u8 = 15;

/// Which proof the chip gave.
#[derive(Debug, Clone)]
pub enum AntiClone {
    /// Chip Authentication: the chip answered the relay's proof read under
    /// keys derived from its DG14 key.
    Chip(ChipAuthKey),
    /// Active Authentication: the chip signed the challenge with its DG15 key.
    Active(AaAlgorithm),
}

impl AntiClone {
    /// For the check-in's reasons.
    pub fn describe(&self) -> String {
        match self {
            AntiClone::Chip(key) => format!(
                "chip authentication ({}, {}) with the relay as the terminal",
                key.cipher.name(),
                key.agreement.name()
            ),
            AntiClone::Active(algorithm) => format!("active authentication {algorithm:?}"),
        }
    }
}

/// A Chip Authentication the relay started when it issued the challenge:
/// the channel it expects the chip's answer under, and the DG14 it was
/// made for.
#[derive(Debug)]
pub struct PendingChipAuth {
    pub channel: SecureChannel,
    /// SHA-256 of the DG14 it was made for (the bytes are not kept: up to
    /// thousands of challenges may be open).
    pub dg14_sha256: [u8; 32],
}

impl PendingChipAuth {
    pub fn new(channel: SecureChannel, dg14: &[u8]) -> Self {
        PendingChipAuth {
            channel,
            dg14_sha256: Sha256::digest(dg14).into(),
        }
    }
}

/// The anti-clone proof of a card whose files passed passive
/// authentication; `ca_answer` and `aa_signature` as the reader sent them.
pub fn anti_clone(
    files: &LdsFiles,
    passive: &PassiveAuth,
    challenge: &[u8; 8],
    pending: Option<&PendingChipAuth>,
    ca_answer: &[u8],
    aa_signature: &[u8],
) -> Result<AntiClone, Refusal> {
    let dg14 = files.groups.get(&14);
    // A DG14 we cannot read matters only to a Chip Authentication answer;
    // otherwise the chip may still prove itself with Active Authentication.
    let ca_key = match dg14.map(|dg14| chip_authentication_key(dg14)) {
        Some(Ok(key)) => key,
        Some(Err(e)) if !ca_answer.is_empty() => {
            return Err(Refusal::new(ErrorCode::CardMalformed, format!("DG14: {e}")));
        }
        Some(Err(_)) | None => None,
    };
    if !ca_answer.is_empty() {
        let (Some(key), Some(pending), Some(dg14)) = (ca_key, pending, dg14) else {
            return Err(Refusal::new(
                ErrorCode::CardNotGenuine,
                "chip authentication: an answer to an exchange the relay did not start",
            ));
        };
        return chip_authenticated(files, key, pending, dg14, ca_answer);
    }
    if let Some(dg15) = files.groups.get(&DG15) {
        if aa_signature.is_empty() {
            return Err(Refusal::new(
                ErrorCode::CardIncomplete,
                "the chip's answer to the challenge is missing",
            ));
        }
        return active_auth(dg15, dg14.map(Vec::as_slice), challenge, aa_signature)
            .map(AntiClone::Active)
            .map_err(|f| {
                Refusal::new(
                    ErrorCode::CardNotGenuine,
                    format!("active authentication: {} ({f})", f.code()),
                )
            });
    }
    // EF.COM is not signed, so the security object has the last word: if it
    // hashes a DG15 or DG14, the key exists and was not sent.
    for (group, name) in [(DG15, "DG15"), (DG14, "DG14")] {
        if passive.signed_groups.contains(&group) && !files.groups.contains_key(&group) {
            return Err(Refusal::new(
                ErrorCode::CardIncomplete,
                format!("EF.SOD hashes a {name} that was not sent; keep the card on the reader"),
            ));
        }
    }
    if ca_key.is_some() {
        return Err(Refusal::new(
            ErrorCode::CardIncomplete,
            "the chip's answer to chip authentication is missing",
        ));
    }
    Err(Refusal::new(
        ErrorCode::CardUnsupported,
        "not supported for anti-clone check (no Active Authentication): \
         EF.COM and EF.SOD list no DG15, and DG14 offers no Chip Authentication",
    ))
}

fn chip_authenticated(
    files: &LdsFiles,
    key: ChipAuthKey,
    pending: &PendingChipAuth,
    dg14: &[u8],
    answer: &[u8],
) -> Result<AntiClone, Refusal> {
    let not_genuine = |detail: &str| {
        Refusal::new(
            ErrorCode::CardNotGenuine,
            format!("chip authentication: {detail}"),
        )
    };
    // The exchange was made for the key in this DG14 (which passive
    // authentication has just checked): the same bytes, or nothing.
    if pending.dg14_sha256 != <[u8; 32]>::from(Sha256::digest(dg14)) {
        return Err(not_genuine(
            "DG14 differs from the one the exchange was made for",
        ));
    }
    // A copy without the chip's private key derived other keys: its answer
    // does not open here.
    let mut channel = pending.channel.clone();
    let response = channel.unprotect(answer).map_err(|e| {
        not_genuine(&format!(
            "the answer does not open under the agreed keys ({e})"
        ))
    })?;
    let expected = files
        .groups
        .get(&1)
        .map(|dg1| &dg1[..PROOF_LEN.min(dg1.len())]);
    if response.sw != 0x9000 || Some(response.data.as_slice()) != expected {
        return Err(not_genuine(
            "the chip read back other data than the card's DG1",
        ));
    }
    Ok(AntiClone::Chip(key))
}
