//! A card kept as a folder of LDS files: a recorded card (or an issued
//! synthetic one) that the emulator can serve again.
//!
//! The folder holds `EF.COM`, `DG1.bin` … `DG16.bin` (whichever groups the
//! card has), `EF.SOD` and optionally the chip's private keys, which only
//! synthetic cards have (a recorded real card can answer neither AA nor
//! Chip Authentication from a folder): `AA.key`, the active
//! authentication key as PKCS#8 DER, and `CA.key`, the Chip
//! Authentication private key as big-endian bytes (its group and cipher
//! are DG14's). Each file is stored exactly as read from the chip, so the
//! SOD's hashes still match. [`LdsFolder::chip`] serves the folder as an
//! emulated chip: BAC with the MRZ of its DG1, AA with `AA.key` and Chip
//! Authentication with `CA.key` when there are.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use examgate_shared::chip::lds::{EF_COM, EF_SOD, LdsFile, file_of_group};
use thiserror::Error;

/// The file name of the AA private key.
pub const AA_KEY_FILE: &str = "AA.key";

/// The file name of the Chip Authentication private key.
pub const CA_KEY_FILE: &str = "CA.key";

/// Why a folder cannot be loaded or saved.
#[derive(Debug, Error)]
pub enum FolderError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}: missing (every card has it)")]
    Missing(PathBuf),
    #[error("{path}: starts with tag {found:02X}, {name} has tag {expected:02X}")]
    WrongTag {
        path: PathBuf,
        name: &'static str,
        expected: u8,
        found: u8,
    },
    #[error("group {0} is not a data group (1-16)")]
    NoSuchGroup(u8),
    #[error("DG1: {0}")]
    Mrz(String),
    #[error("{AA_KEY_FILE}: {0}")]
    AaKey(String),
    #[error("{CA_KEY_FILE}: {0}")]
    CaKey(String),
}

/// A card's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LdsFolder {
    /// EF.COM as stored on the chip.
    pub com: Vec<u8>,
    /// The data groups by number (1–16), each as stored on the chip.
    pub groups: BTreeMap<u8, Vec<u8>>,
    /// EF.SOD as stored on the chip.
    pub sod: Vec<u8>,
    /// The chip's AA private key (PKCS#8 DER), when known.
    pub aa_private_key_der: Option<Vec<u8>>,
    /// The chip's Chip Authentication private key (big-endian), when known.
    pub ca_private_key: Option<Vec<u8>>,
}

/// The file name of data group `group`: `DG<n>.bin`.
pub fn group_file_name(group: u8) -> String {
    format!("DG{group}.bin")
}

fn read_optional(path: &Path) -> Result<Option<Vec<u8>>, FolderError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(FolderError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Reads a file that must exist and start with its LDS tag (a file saved
/// under the wrong name would otherwise be served as another).
fn read_lds_file(path: &Path, file: LdsFile) -> Result<Option<Vec<u8>>, FolderError> {
    let Some(bytes) = read_optional(path)? else {
        return Ok(None);
    };
    let found = bytes.first().copied().unwrap_or(0);
    if found != file.tag {
        return Err(FolderError::WrongTag {
            path: path.to_path_buf(),
            name: file.name,
            expected: file.tag,
            found,
        });
    }
    Ok(Some(bytes))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), FolderError> {
    std::fs::write(path, bytes).map_err(|source| FolderError::Io {
        path: path.to_path_buf(),
        source,
    })
}

impl LdsFolder {
    /// Loads the card in `dir`. EF.COM and EF.SOD must exist; data groups
    /// and the AA key are taken when present.
    pub fn load(dir: impl AsRef<Path>) -> Result<LdsFolder, FolderError> {
        let dir = dir.as_ref();
        let required = |file: LdsFile| {
            let path = dir.join(file.name);
            read_lds_file(&path, file)?.ok_or(FolderError::Missing(path))
        };
        let com = required(EF_COM)?;
        let sod = required(EF_SOD)?;
        let mut groups = BTreeMap::new();
        for group in 1..=16u8 {
            let file = file_of_group(group).ok_or(FolderError::NoSuchGroup(group))?;
            if let Some(bytes) = read_lds_file(&dir.join(group_file_name(group)), file)? {
                groups.insert(group, bytes);
            }
        }
        Ok(LdsFolder {
            com,
            groups,
            sod,
            aa_private_key_der: read_optional(&dir.join(AA_KEY_FILE))?,
            ca_private_key: read_optional(&dir.join(CA_KEY_FILE))?,
        })
    }

    /// The card as a chip: its access key from the MRZ in DG1, active
    /// authentication with `AA.key` and Chip Authentication with `CA.key`
    /// when the folder has them (a chip without a key answers its protocol
    /// with an error, as a copy would).
    pub fn chip(&self, seed: u64) -> Result<crate::card::EmulatedCard, FolderError> {
        use examgate_shared::chip::lds::dg1::Mrz;
        use examgate_shared::chip::mrz::BacInput;
        let dg1 = self
            .groups
            .get(&1)
            .ok_or_else(|| FolderError::Mrz("missing".into()))?;
        let mrz = Mrz::parse(dg1).map_err(|e| FolderError::Mrz(e.to_string()))?;
        let bac = BacInput::new(&mrz.document_number, mrz.birth, mrz.expiry)
            .map_err(|e| FolderError::Mrz(e.to_string()))?;
        let files = crate::card::CardFiles {
            com: self.com.clone(),
            groups: self.groups.clone(),
            sod: self.sod.clone(),
        };
        let mut card = crate::card::EmulatedCard::new(&bac, &files, seed);
        if let Some(chip) = self.chip_authentication()? {
            card = card.with_chip_auth(chip);
        }
        Ok(match &self.aa_private_key_der {
            Some(der) => {
                let key =
                    crate::aa::AaKey::from_pkcs8_der(der, seed).map_err(FolderError::AaKey)?;
                card.with_active_auth(Box::new(move |challenge| key.sign(challenge)))
            }
            None => card,
        })
    }

    /// The chip's side of Chip Authentication from `CA.key`, in the group
    /// and with the cipher DG14 announces; the key must be DG14's.
    fn chip_authentication(
        &self,
    ) -> Result<Option<examgate_shared::chip::chip_auth::ChipAuthChip>, FolderError> {
        use examgate_shared::chip::chip_auth::ChipAuthChip;
        use examgate_shared::chip::verify::chip_authentication_key;
        let Some(secret) = &self.ca_private_key else {
            return Ok(None);
        };
        let dg14 = self
            .groups
            .get(&14)
            .ok_or_else(|| FolderError::CaKey("no DG14 to say its group".into()))?;
        let key = chip_authentication_key(dg14)
            .map_err(FolderError::CaKey)?
            .ok_or_else(|| FolderError::CaKey("DG14 offers no Chip Authentication".into()))?;
        let chip = ChipAuthChip::new(
            key.cipher,
            key.agreement.clone(),
            secret.clone(),
            key.key_id,
        );
        if chip.try_key().as_ref() != Some(&key) {
            return Err(FolderError::CaKey(
                "not the private key of DG14's public key".into(),
            ));
        }
        Ok(Some(chip))
    }

    /// Writes the card into `dir` (created if needed). Files of groups
    /// that are not in [`groups`](LdsFolder::groups) are left alone.
    pub fn save(&self, dir: impl AsRef<Path>) -> Result<(), FolderError> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|source| FolderError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        write(&dir.join(EF_COM.name), &self.com)?;
        for (&group, bytes) in &self.groups {
            file_of_group(group).ok_or(FolderError::NoSuchGroup(group))?;
            write(&dir.join(group_file_name(group)), bytes)?;
        }
        write(&dir.join(EF_SOD.name), &self.sod)?;
        if let Some(key) = &self.aa_private_key_der {
            write(&dir.join(AA_KEY_FILE), key)?;
        }
        if let Some(key) = &self.ca_private_key {
            write(&dir.join(CA_KEY_FILE), key)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::Student;
    use examgate_shared::chip::lds::build::ef_com;

    fn sample() -> LdsFolder {
        let mut groups = Student::synthetic(3, 1).groups();
        groups.insert(15, vec![0x6F, 0x02, 0x30, 0x00]);
        let listed: Vec<u8> = groups.keys().copied().collect();
        LdsFolder {
            com: ef_com(&listed),
            groups,
            // Not a real SOD: the folder only checks the tag.
            sod: vec![0x77, 0x01, 0x00],
            aa_private_key_der: Some(vec![0x30, 0x00]),
            ca_private_key: Some(vec![0x07; 32]),
        }
    }

    #[test]
    fn round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let card = sample();
        card.save(dir.path()).unwrap();
        assert!(dir.path().join("DG13.bin").exists());
        assert!(dir.path().join("EF.COM").exists());
        assert_eq!(LdsFolder::load(dir.path()).unwrap(), card);

        let without_key = LdsFolder {
            aa_private_key_der: None,
            ca_private_key: None,
            ..card
        };
        let other = tempfile::tempdir().unwrap();
        without_key.save(other.path().join("nested")).unwrap();
        assert_eq!(
            LdsFolder::load(other.path().join("nested")).unwrap(),
            without_key
        );
    }

    #[test]
    fn refuses_missing_or_misnamed_files() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            LdsFolder::load(dir.path()),
            Err(FolderError::Missing(_))
        ));
        sample().save(dir.path()).unwrap();
        // DG1's bytes saved as DG2.
        std::fs::copy(dir.path().join("DG1.bin"), dir.path().join("DG2.bin")).unwrap();
        assert!(matches!(
            LdsFolder::load(dir.path()),
            Err(FolderError::WrongTag {
                name: "DG2",
                expected: 0x75,
                found: 0x61,
                ..
            })
        ));
        std::fs::remove_file(dir.path().join("EF.SOD")).unwrap();
        assert!(matches!(
            LdsFolder::load(dir.path()),
            Err(FolderError::Missing(_))
        ));

        let bad = LdsFolder {
            groups: BTreeMap::from([(17, vec![0x71])]),
            ..sample()
        };
        assert!(matches!(
            bad.save(dir.path()),
            Err(FolderError::NoSuchGroup(17))
        ));
    }
}
