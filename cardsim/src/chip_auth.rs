//! The emulated chip's Chip Authentication key (CCCD chips advertise it
//! with ECDH and AES-128; older passports use DH): its DG14 entries and the
//! chip's side of the exchange (`examgate_shared::chip::chip_auth`).

use der::asn1::{Any, BitString, ObjectIdentifier, UintRef};
use der::{Decode, Encode};
use examgate_shared::chip::chip_auth::{ChipAuthChip, KeyAgreement, PK_DH, PK_ECDH};
use examgate_shared::chip::dh::DhGroup;
use examgate_shared::chip::pace::{Cipher, StandardCurve};
use examgate_shared::chip::verify::oids;
use examgate_shared::chip::verify::security_infos::SecurityInfo;
use examgate_shared::chip::verify::{DH_PUBLIC_NUMBER, EcCurve, X942Parameters};
use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

/// The key id DG14 gives the chip's one CA key.
const KEY_ID: u8 = 1;

/// A chip's Chip Authentication key pair.
#[derive(Debug, Clone)]
pub struct CaKey {
    chip: ChipAuthChip,
}

impl CaKey {
    /// A brainpoolP256r1 key for CA with AES-128, deterministic in `seed`.
    pub fn generate(seed: u64) -> Self {
        Self::generate_for(Cipher::Aes128, StandardCurve::BrainpoolP256r1, seed)
    }

    /// A DH key in RFC 5114's 2048-bit group (ICAO's standardized group
    /// 2) for CA with `cipher`, deterministic in `seed`.
    pub fn generate_dh(cipher: Cipher, seed: u64) -> Self {
        let group = DhGroup::standardized(2).expect("group 2 is standard");
        Self::generate_in(cipher, KeyAgreement::Dh(group), seed)
    }

    pub fn generate_for(cipher: Cipher, curve: StandardCurve, seed: u64) -> Self {
        Self::generate_in(cipher, KeyAgreement::Ecdh(curve), seed)
    }

    fn generate_in(cipher: Cipher, agreement: KeyAgreement, seed: u64) -> Self {
        let mut rng = ChaCha20Rng::seed_from_u64(seed ^ 0xCA);
        let secret = agreement.random_secret(&mut |out| rng.fill_bytes(out));
        CaKey {
            chip: ChipAuthChip::new(cipher, agreement, secret, Some(KEY_ID)),
        }
    }

    /// Another key for the same cipher and group (a copier's chip).
    pub fn another(&self, seed: u64) -> Self {
        let key = self.chip.key();
        Self::generate_in(key.cipher, key.agreement, seed)
    }

    /// The chip's side of the exchange.
    pub fn chip(&self) -> ChipAuthChip {
        self.chip.clone()
    }

    /// DG14's ChipAuthenticationInfo and ChipAuthenticationPublicKeyInfo.
    pub fn security_infos(&self) -> Vec<Any> {
        let key = self.chip.key();
        let version: u8 = if key.cipher == Cipher::Tdes { 1 } else { 2 };
        let integer = |n: u8| Any::encode_from(&n).expect("an INTEGER encodes");
        let info = SecurityInfo {
            protocol: ObjectIdentifier::from_bytes(&key.oid()).expect("the CA OID"),
            required_data: integer(version),
            optional_data: Some(integer(KEY_ID)),
        };
        let (protocol, spki) = match &key.agreement {
            KeyAgreement::Ecdh(curve) => (PK_ECDH, ec_public_key(*curve, &key.public)),
            KeyAgreement::Dh(group) => (PK_DH, dh_public_key(group, &key.public)),
        };
        let public_key_info = SecurityInfo {
            protocol: ObjectIdentifier::from_bytes(&protocol).expect("the PK OID"),
            required_data: Any::encode_from(&spki).expect("an SPKI encodes"),
            optional_data: Some(integer(KEY_ID)),
        };
        [info, public_key_info]
            .iter()
            .map(|info| {
                Any::from_der(&info.to_der().expect("a SecurityInfo encodes")).expect("decodes")
            })
            .collect()
    }
}

/// An ECDH public key: id-ecPublicKey with the curve's OID, the SEC1 point.
fn ec_public_key(curve: StandardCurve, point: &[u8]) -> SubjectPublicKeyInfoOwned {
    let curve_oid = EcCurve::of(curve).oid();
    SubjectPublicKeyInfoOwned {
        algorithm: AlgorithmIdentifierOwned {
            oid: oids::ID_EC_PUBLIC_KEY,
            parameters: Some(Any::encode_from(&curve_oid).expect("an OID encodes")),
        },
        subject_public_key: BitString::from_bytes(point).expect("a point"),
    }
}

/// A DH public key: dhpublicnumber with the group, the DER INTEGER `y`.
fn dh_public_key(group: &DhGroup, y: &[u8]) -> SubjectPublicKeyInfoOwned {
    let parameters = X942Parameters::of(group).expect("a standard group has q");
    let y = UintRef::new(y)
        .and_then(|y| y.to_der())
        .expect("an INTEGER encodes");
    SubjectPublicKeyInfoOwned {
        algorithm: AlgorithmIdentifierOwned {
            oid: DH_PUBLIC_NUMBER,
            parameters: Some(Any::encode_from(&parameters).expect("parameters encode")),
        },
        subject_public_key: BitString::from_bytes(&y).expect("an INTEGER"),
    }
}
