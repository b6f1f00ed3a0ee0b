//! Issuing a synthetic student's card: their data groups, the chip's AA key
//! (DG15, and its DG14 entry for ECDSA), its Chip Authentication key (DG14),
//! EF.COM, and EF.SOD signed by the test PKI.
//! Also the forgeries tests need: a clone without the AA key, a clone with
//! another key, a card signed by an unknown CSCA, data altered after signing.

use std::sync::Arc;

use examgate_shared::chip::lds::build;
use examgate_shared::chip::pace::{Cipher, PaceInfo, StandardCurve};

use crate::aa::{AaKey, AaKind, dg14_of};
use crate::card::{CardFiles, EmulatedCard};
use crate::chip_auth::CaKey;
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
    ca: Option<CaKey>,
}

impl IssuedCard {
    /// Issues `student`'s card under `pki`, with an AA key of `aa` (none:
    /// a chip without active authentication).
    /// The chip also has a Chip Authentication key (DG14), as CCCD chips
    /// do.
    pub fn issue(student: &Student, pki: &TestPki, aa: Option<AaKind>, seed: u64) -> IssuedCard {
        Self::issue_with(student, pki, aa, true, seed)
    }

    /// As [`IssuedCard::issue`], with a Chip Authentication key or not.
    pub fn issue_with(
        student: &Student,
        pki: &TestPki,
        aa: Option<AaKind>,
        chip_auth: bool,
        seed: u64,
    ) -> IssuedCard {
        let ca = chip_auth.then(|| CaKey::generate(seed));
        Self::issue_with_ca_key(student, pki, aa, ca, seed)
    }

    /// As [`IssuedCard::issue`], with this Chip Authentication key (an ECDH
    /// or DH one, [`CaKey`]) or none.
    pub fn issue_with_ca_key(
        student: &Student,
        pki: &TestPki,
        aa: Option<AaKind>,
        ca: Option<CaKey>,
        seed: u64,
    ) -> IssuedCard {
        let mut groups = student.groups();
        let aa = aa.map(|kind| Arc::new(AaKey::generate(kind, seed)));
        let mut infos = Vec::new();
        if let Some(key) = &aa {
            groups.insert(15, key.dg15());
            infos.extend(key.security_infos());
        }
        if let Some(key) = &ca {
            infos.extend(key.security_infos());
        }
        if !infos.is_empty() {
            groups.insert(14, dg14_of(infos));
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
            ca,
        }
    }

    /// The chip, ready for a reader: PACE with the CAN as CCCD chips offer
    /// it (AES-128 on brainpoolP256r1), BAC as the fall-back, and AA with
    /// its key.
    pub fn chip(&self, seed: u64) -> EmulatedCard {
        let card = self.with_ca(self.blank_chip(seed));
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
        let card = self.with_ca(EmulatedCard::new(
            &self.student.bac_input(),
            &self.files,
            seed,
        ));
        match &self.aa {
            Some(key) => {
                let key = key.clone();
                card.with_active_auth(Box::new(move |challenge| key.sign(challenge)))
            }
            None => card,
        }
    }

    /// The files on a chip with PACE and BAC but no key of its own.
    fn blank_chip(&self, seed: u64) -> EmulatedCard {
        EmulatedCard::new(&self.student.bac_input(), &self.files, seed)
            .with_pace(vec![CCCD_PACE], self.student.can())
    }

    /// Gives `card` this card's Chip Authentication key, if it has one.
    fn with_ca(&self, card: EmulatedCard) -> EmulatedCard {
        match &self.ca {
            Some(key) => card.with_chip_auth(key.chip()),
            None => card,
        }
    }

    /// A copy of the data on a blank chip that has no AA key at all.
    pub fn clone_without_key(&self, seed: u64) -> EmulatedCard {
        self.blank_chip(seed)
    }

    /// A copy of the data on a chip with its own (different) keys: AA, and
    /// Chip Authentication in the same group as the original's.
    pub fn clone_with_other_key(&self, seed: u64) -> EmulatedCard {
        let other = Arc::new(AaKey::generate(AaKind::EcdsaP256, seed ^ 0x5EED));
        let card = self
            .blank_chip(seed)
            .with_active_auth(Box::new(move |challenge| other.sign(challenge)));
        match &self.ca {
            Some(key) => card.with_chip_auth(key.another(seed ^ 0x5EED).chip()),
            None => card,
        }
    }

    /// The card as a folder (its files and, when it has them, its AA and
    /// Chip Authentication keys).
    pub fn folder(&self) -> crate::folder::LdsFolder {
        crate::folder::LdsFolder {
            com: self.files.com.clone(),
            groups: self.files.groups.clone(),
            sod: self.files.sod.clone(),
            aa_private_key_der: self.aa.as_ref().map(|key| key.to_pkcs8_der()),
            ca_private_key: self.ca.as_ref().map(|key| key.chip().secret().to_vec()),
        }
    }

    /// The same card with its files replaced (after signing: an alteration).
    pub fn with_files(&self, files: CardFiles) -> IssuedCard {
        IssuedCard {
            student: self.student.clone(),
            files,
            aa: self.aa.clone(),
            ca: self.ca.clone(),
        }
    }
}
