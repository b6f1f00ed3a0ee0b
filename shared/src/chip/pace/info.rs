//! EF.CardAccess: which PACE variants a chip offers (ICAO 9303-11 §9.2.1,
//! `PACEInfo ::= SEQUENCE { protocol OBJECT IDENTIFIER, version INTEGER,
//! parameterId INTEGER OPTIONAL }` inside a SET of SecurityInfos), read
//! with the chip code's own TLV reader (the browser has no DER library).
//!
//! Only generic mapping over elliptic curves is offered here; other
//! SecurityInfos (Chip Authentication, Terminal Authentication, integrated
//! mapping, DH) are skipped, so a chip that lists them still gets PACE if
//! it also lists a variant we speak.

use super::curve::StandardCurve;
use super::keys::Cipher;
use crate::chip::tlv;

/// id-PACE-ECDH-GM (0.4.0.127.0.7.2.2.4.2) without its cipher arc.
const PACE_ECDH_GM: [u8; 9] = [0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04, 0x02];

/// A PACE variant this terminal can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaceInfo {
    pub cipher: Cipher,
    pub curve: StandardCurve,
}

impl PaceInfo {
    /// The protocol's object identifier, DER content bytes (no tag).
    pub fn oid(&self) -> Vec<u8> {
        let mut oid = PACE_ECDH_GM.to_vec();
        oid.push(self.cipher.oid_arc());
        oid
    }

    /// The PACEInfo as a chip stores it (for the emulator's EF.CardAccess).
    pub fn encode(&self) -> Vec<u8> {
        tlv::encode(
            0x30,
            &[
                tlv::encode(0x06, &self.oid()),
                tlv::encode(0x02, &[2]),
                tlv::encode(0x02, &[self.curve.parameter_id()]),
            ]
            .concat(),
        )
    }
}

/// EF.CardAccess for a chip offering `infos` (file content: the SET).
pub fn card_access(infos: &[PaceInfo]) -> Vec<u8> {
    let body: Vec<u8> = infos.iter().flat_map(PaceInfo::encode).collect();
    tlv::encode(0x31, &body)
}

/// The PACE variants in EF.CardAccess that this terminal supports, in the
/// chip's order. Unknown SecurityInfos are skipped; a file that is not a
/// SET of SEQUENCEs is an error.
pub fn supported_pace_infos(card_access: &[u8]) -> Result<Vec<PaceInfo>, String> {
    let set = tlv::read(card_access).map_err(|e| e.to_string())?.0;
    if set.tag != 0x31 {
        return Err(format!(
            "EF.CardAccess starts with tag {:X}, not a SET",
            set.tag
        ));
    }
    let mut found = Vec::new();
    for info in set.children() {
        let info = info.map_err(|e| e.to_string())?;
        if info.tag != 0x30 {
            return Err(format!("a SecurityInfo with tag {:X}", info.tag));
        }
        let fields: Vec<_> = info
            .children()
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?;
        let [oid, version, rest @ ..] = fields.as_slice() else {
            continue;
        };
        if oid.tag != 0x06 || version.tag != 0x02 {
            continue;
        }
        let Some((&arc, prefix)) = oid.value.split_last() else {
            continue;
        };
        if prefix != PACE_ECDH_GM || version.value != [2] {
            continue;
        }
        let Some(cipher) = Cipher::from_oid_arc(arc) else {
            continue;
        };
        let Some(parameter) = rest.first().filter(|p| p.tag == 0x02 && p.value.len() == 1) else {
            continue;
        };
        if let Ok(curve) = StandardCurve::from_parameter_id(parameter.value[0]) {
            found.push(PaceInfo { cipher, curve });
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chip::crypto::hex;

    #[test]
    fn the_worked_examples_pace_info_is_read() {
        // ICAO 9303-11 Appendix G.1: id-PACE-ECDH-GM-AES-CBC-CMAC-128 on
        // brainpoolP256r1 (parameter id 13).
        let file = tlv::encode(0x31, &hex("3012060A04007F0007020204020202010202010D"));
        let infos = supported_pace_infos(&file).unwrap();
        assert_eq!(
            infos,
            vec![PaceInfo {
                cipher: Cipher::Aes128,
                curve: StandardCurve::BrainpoolP256r1
            }]
        );
        assert_eq!(card_access(&infos), file);
    }

    #[test]
    fn other_security_infos_and_unsupported_variants_are_skipped() {
        let dh_gm = hex("3012060A04007F00070202040102020102020100");
        // ChipAuthenticationInfo: id-CA-ECDH-AES-CBC-CMAC-128, version 2.
        let chip_auth = tlv::encode(
            0x30,
            &[
                tlv::encode(0x06, &hex("04007F00070202030202")),
                tlv::encode(0x02, &[2]),
            ]
            .concat(),
        );
        let p224 = hex("3012060A04007F0007020204020202010202010A");
        let ours = PaceInfo {
            cipher: Cipher::Tdes,
            curve: StandardCurve::NistP256,
        };
        let file = tlv::encode(0x31, &[dh_gm, chip_auth, p224, ours.encode()].concat());
        assert_eq!(supported_pace_infos(&file).unwrap(), vec![ours]);
        assert!(supported_pace_infos(&[0x30, 0x00]).is_err());
        assert!(supported_pace_infos(&[0x31, 0x05, 0x30]).is_err());
    }
}
