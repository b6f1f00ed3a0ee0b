//! Issuing a synthetic student's card: their data groups, the chip's AA key
//! (DG15, and DG14 for ECDSA), EF.COM, and EF.SOD signed by the test PKI.
//! Also the forgeries tests need: a clone without the AA key, a clone with
//! another key, a card signed by an unknown CSCA, data altered after signing.

use std::sync::Arc;

use examgate_shared::chip::lds::build;
use examgate_shared::chip::pace::{Cipher, PaceInfo, StandardCurve};

use crate::aa::{AaKey, AaKind};
use crate::card::{CardFiles, EmulatedCard};
use crate::person::Student;
use crate::pki::TestPki;
use crate::sod::sign_sod;

/// The PACE variant public reader code sees on CCCD chips (chip-card.md,
/// "Real CCCD chips"): ECDH generic mapping, AES-128, brainpoolP256r1.
pub const CCCD_PACE: PaceInfo = PaceInfo {
    cipher: Cipher::Aes128,
    curve: StandardCurve::BrainpoolP256r1,
};

/// A card as the issuer made it.
pub struct IssuedCard {
    pub student: Student,
    pub files: CardFiles,
    aa: Option<Arc<AaKey>>,
}

impl IssuedCard {
    /// Issues `student`'s card under `pki`, with an AA key of `aa` (none:
    /// a chip without active authentication).
    pub fn issue(student: &Student, pki: &TestPki, aa: Option<AaKind>, seed: u64) -> IssuedCard {
        let mut groups = student.groups();
        let aa = aa.map(|kind| Arc::new(AaKey::generate(kind, seed)));
        if let Some(key) = &aa {
            groups.insert(15, key.dg15());
            if let Some(dg14) = key.dg14() {
                groups.insert(14, dg14);
            }
        }
        let numbers: Vec<u8> = groups.keys().copied().collect();
        let sod = sign_sod(pki, &groups);
        IssuedCard {
            student: student.clone(),
            files: CardFiles {
                com: build::ef_com(&numbers),
                groups,
                sod,
            },
            aa,
        }
    }

    /// The chip, ready for a reader: PACE with the CAN as CCCD chips offer
    /// it (AES-128 on brainpoolP256r1), BAC as the fall-back, and AA with
    /// its key.
    pub fn chip(&self, seed: u64) -> EmulatedCard {
        let card = self.blank_chip(seed);
        match &self.aa {
            Some(key) => {
                let key = key.clone();
                card.with_active_auth(Box::new(move |challenge| key.sign(challenge)))
            }
            None => card,
        }
    }

    /// The same card with BAC only (an older chip or profile).
    pub fn chip_bac_only(&self, seed: u64) -> EmulatedCard {
        let card = EmulatedCard::new(&self.student.bac_input(), &self.files, seed);
        match &self.aa {
            Some(key) => {
                let key = key.clone();
                card.with_active_auth(Box::new(move |challenge| key.sign(challenge)))
            }
            None => card,
        }
    }

    /// The files on a chip with PACE and BAC but no AA key.
    fn blank_chip(&self, seed: u64) -> EmulatedCard {
        EmulatedCard::new(&self.student.bac_input(), &self.files, seed)
            .with_pace(vec![CCCD_PACE], self.student.can())
    }

    /// A copy of the data on a blank chip that has no AA key at all.
    pub fn clone_without_key(&self, seed: u64) -> EmulatedCard {
        self.blank_chip(seed)
    }

    /// A copy of the data on a chip with its own (different) AA key.
    pub fn clone_with_other_key(&self, seed: u64) -> EmulatedCard {
        let other = Arc::new(AaKey::generate(AaKind::EcdsaP256, seed ^ 0x5EED));
        self.blank_chip(seed)
            .with_active_auth(Box::new(move |challenge| other.sign(challenge)))
    }

    /// The card as a folder (its files and, when it has one, its AA key).
    pub fn folder(&self) -> crate::folder::LdsFolder {
        crate::folder::LdsFolder {
            com: self.files.com.clone(),
            groups: self.files.groups.clone(),
            sod: self.files.sod.clone(),
            aa_private_key_der: self.aa.as_ref().map(|key| key.to_pkcs8_der()),
        }
    }

    /// The same card with its files replaced (after signing: an alteration).
    pub fn with_files(&self, files: CardFiles) -> IssuedCard {
        IssuedCard {
            student: self.student.clone(),
            files,
            aa: self.aa.clone(),
        }
    }
}
