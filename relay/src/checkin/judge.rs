//! Is this the genuine card, and whose is it? The relay's verdict on the
//! files a reader sent, before any roster or seat question.
//!
//! Order matters for the reason given: a card missing files is reported as
//! incomplete (usually pulled out mid-read) before anything is judged; data
//! that fails its signature is untrusted or altered, and a file the
//! signature does not cover makes the document non-conformant; only data
//! that passed passive authentication is parsed for identity; active
//! authentication (the chip signing the relay's fresh challenge with the
//! key in DG15, itself covered by the SOD) tells a genuine chip from a copy.
//! Chip Authentication, when the chip offers it, is preferred
//! ([`super::anti_clone`]). A chip with neither key is "unsupported", said
//! as such: it is neither a failed read nor proof of a copy.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use examgate_shared::checkin::CheckinRequest;
use examgate_shared::chip::lds::dg1::Mrz;
use examgate_shared::chip::lds::dg2::FaceImage;
use examgate_shared::chip::lds::dg13::PersonalData;
use examgate_shared::chip::mrz::MrzDate;
use examgate_shared::chip::tlv;
use examgate_shared::chip::verify::{LdsFiles, PaFailure, PassiveAuth, TrustList, passive_auth};

use super::anti_clone::{AntiClone, PendingChipAuth, anti_clone};
use examgate_shared::error::ErrorCode;

/// A refusal with its reason, as stored in the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: ErrorCode,
    pub reason: String,
    /// The holder, when the card was read far enough to know.
    pub person_id: Option<String>,
}

impl Refusal {
    pub fn new(code: ErrorCode, reason: impl Into<String>) -> Self {
        Refusal {
            code,
            reason: reason.into(),
            person_id: None,
        }
    }
}

/// What a genuine card says about its holder.
#[derive(Debug, Clone)]
pub struct GenuineCard {
    pub person_id: String,
    pub name: String,
    pub birth: MrzDate,
    pub face: FaceImage,
    pub passive: PassiveAuth,
    pub anti_clone: AntiClone,
}

/// The files and anti-clone answers decoded from a request.
#[derive(Debug, Clone)]
pub struct Submitted {
    pub files: LdsFiles,
    pub aa_signature: Vec<u8>,
    /// The chip's answer to the relay's Chip Authentication proof read.
    pub ca_answer: Vec<u8>,
}

/// Groups without which nobody is checked in: the MRZ and the face. The AA
/// key (DG15) is needed too, but its absence says different things: cut
/// short, or a chip that has none ([`anti_clone_key`]).
const REQUIRED_GROUPS: [(u8, &str); 2] = [(1, "DG1"), (2, "DG2")];

/// DG15's number and its LDS tag (what EF.COM lists).
const DG15: u8 = 15;
const DG15_TAG: u8 = 0x6F;

pub fn decode(req: &CheckinRequest) -> Result<Submitted, Refusal> {
    let bytes = |what: &str, b64: &str| {
        BASE64
            .decode(b64)
            .map_err(|_| Refusal::new(ErrorCode::Malformed, format!("{what} is not base64")))
    };
    let mut groups = BTreeMap::new();
    for (n, b64) in &req.groups {
        groups.insert(*n, bytes(&format!("DG{n}"), b64)?);
    }
    Ok(Submitted {
        files: LdsFiles {
            com: bytes("EF.COM", &req.com)?,
            groups,
            sod: bytes("EF.SOD", &req.sod)?,
        },
        aa_signature: bytes("aa_signature", &req.aa_signature)?,
        ca_answer: bytes("ca_answer", &req.ca_answer)?,
    })
}

/// Judges the card against the trust list and the relay's challenge.
pub fn judge(
    sub: &Submitted,
    challenge: &[u8; 8],
    chip_auth: Option<&PendingChipAuth>,
    trust: &TrustList,
    now_unix_secs: i64,
) -> Result<GenuineCard, Refusal> {
    let files = &sub.files;
    // Incomplete: missing or cut short (the reader lost the card).
    for (n, name) in REQUIRED_GROUPS {
        let Some(data) = files.groups.get(&n) else {
            return Err(Refusal::new(
                ErrorCode::CardIncomplete,
                format!("{name} was not read"),
            ));
        };
        complete(name, data)?;
    }
    complete("EF.SOD", &files.sod)?;
    if let Some(dg15) = files.groups.get(&DG15) {
        complete("DG15", dg15)?;
    } else if com_lists_dg15(&files.com) && sub.ca_answer.is_empty() {
        return Err(Refusal::new(
            ErrorCode::CardIncomplete,
            "DG15 was not read (EF.COM lists it); keep the card on the reader",
        ));
    }

    let passive = passive_auth(files, trust, now_unix_secs).map_err(|f| match f {
        // A file the security object does not cover is not evidence of a
        // change: the document does not conform (some issuers leave a
        // group out), and nothing unsigned is believed.
        PaFailure::GroupNotInSod(n) => Refusal::new(
            ErrorCode::CardMalformed,
            format!(
                "non-conformant document: DG{n} is on the chip but EF.SOD does not hash it \
                 (passive authentication: {})",
                f.code()
            ),
        ),
        _ => {
            let code = match f {
                PaFailure::GroupAltered(_) | PaFailure::MessageDigestMismatch => {
                    ErrorCode::CardAltered
                }
                _ => ErrorCode::CardUntrusted,
            };
            Refusal::new(code, format!("passive authentication: {} ({f})", f.code()))
        }
    })?;

    let mrz = Mrz::parse(&files.groups[&1])
        .map_err(|e| Refusal::new(ErrorCode::CardMalformed, format!("DG1: {e}")))?;
    let personal = match files.groups.get(&13) {
        Some(dg13) => Some(
            PersonalData::parse(dg13)
                .map_err(|e| Refusal::new(ErrorCode::CardMalformed, format!("DG13: {e}")))?,
        ),
        None => None,
    };
    let from_dg13 = personal.as_ref().and_then(|p| p.personal_id.clone());
    let from_dg1 = mrz.cccd_personal_id().map(str::to_string);
    let person_id = match (from_dg13, from_dg1) {
        (Some(a), Some(b)) if a != b => {
            return Err(Refusal::new(
                ErrorCode::CardMalformed,
                // Masked: the reason is stored, chained and logged.
                format!(
                    "DG13 says ID {} but DG1 says {}",
                    crate::model::masked_id(&a),
                    crate::model::masked_id(&b)
                ),
            ));
        }
        (Some(a), _) | (None, Some(a)) => a,
        (None, None) => {
            return Err(Refusal::new(
                ErrorCode::CardMalformed,
                "no 12-digit personal ID on the card",
            ));
        }
    };
    let with_id = |mut r: Refusal| {
        r.person_id = Some(person_id.clone());
        r
    };
    let face = examgate_shared::chip::lds::dg2::FaceImage::parse(&files.groups[&2])
        .map_err(|e| with_id(Refusal::new(ErrorCode::CardMalformed, format!("DG2: {e}"))))?;

    let anti_clone = anti_clone(
        files,
        &passive,
        challenge,
        chip_auth,
        &sub.ca_answer,
        &sub.aa_signature,
    )
    .map_err(with_id)?;

    let name = personal
        .as_ref()
        .and_then(|p| p.full_name.clone())
        .unwrap_or_else(|| mrz.full_name());
    let birth = personal.as_ref().and_then(|p| p.birth).unwrap_or(mrz.birth);
    Ok(GenuineCard {
        person_id,
        name,
        birth,
        face,
        passive,
        anti_clone,
    })
}

/// The reader's account of how it opened the chip, kept only as printable
/// ASCII and at most 64 characters (it goes into logs and the record).
pub fn reported_access(reported: &str) -> String {
    let kept: String = reported
        .chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .take(64)
        .collect();
    if kept.is_empty() {
        "an unreported method".to_string()
    } else {
        kept
    }
}

/// Whether EF.COM lists DG15; an unreadable EF.COM counts as listing it
/// (the safe reading: "not read", never "unsupported").
fn com_lists_dg15(com: &[u8]) -> bool {
    examgate_shared::chip::session::present_groups(com)
        .map_or(true, |tags| tags.contains(&DG15_TAG))
}

/// A file must be exactly one whole TLV element.
fn complete(name: &str, data: &[u8]) -> Result<(), Refusal> {
    match tlv::read(data) {
        Ok((_, [])) => Ok(()),
        Ok(_) => Err(Refusal::new(
            ErrorCode::CardMalformed,
            format!("{name} has trailing bytes"),
        )),
        Err(e) => Err(Refusal::new(
            ErrorCode::CardIncomplete,
            format!("{name} is cut short ({e}); keep the card on the reader"),
        )),
    }
}
