//! The emulated chip's active-authentication key: DG15 (and DG14 for
//! ECDSA) to publish, and the answer to INTERNAL AUTHENTICATE.
//!
//! RSA keys sign with ISO/IEC 9796-2 scheme 1 (partial recovery, SHA-1,
//! trailer `BC`), as most chips do; ECDSA keys sign plain r ‖ s over
//! SHA-256, announced in DG14 as ecdsa-plain-SHA256.

use der::Decode;
use der::Encode;
use der::asn1::{Any, SetOfVec};
use examgate_shared::chip::tlv;
use examgate_shared::chip::verify::ActiveAuthenticationInfo;
use examgate_shared::chip::verify::oids;
use p256::ecdsa::signature::Signer;
use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};
use rsa::pkcs8::EncodePublicKey;
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, RsaPrivateKey};
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// DG14 (tag `6E`) holding `infos` as a DER SET.
pub fn dg14_of(infos: Vec<Any>) -> Vec<u8> {
    let mut set = SetOfVec::new();
    for info in infos {
        set.insert(info).expect("distinct SecurityInfos");
    }
    tlv::encode(0x6E, &set.to_der().expect("SecurityInfos encodes"))
}

/// The AA key types the emulator offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AaKind {
    Rsa1024,
    Rsa2048,
    EcdsaP256,
}

enum PrivateKey {
    Rsa(Box<RsaPrivateKey>),
    EcdsaP256(p256::ecdsa::SigningKey),
}

/// A chip's AA key pair.
pub struct AaKey {
    key: PrivateKey,
    /// Seeds the "random" part M1 of RSA signatures, so that answers are
    /// unpredictable across cards yet reproducible in tests.
    seed: u64,
}

impl AaKey {
    /// A key of `kind`, deterministic in `seed`.
    pub fn generate(kind: AaKind, seed: u64) -> Self {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let key = match kind {
            AaKind::Rsa1024 => PrivateKey::Rsa(Box::new(rsa_key(&mut rng, 1024))),
            AaKind::Rsa2048 => PrivateKey::Rsa(Box::new(rsa_key(&mut rng, 2048))),
            AaKind::EcdsaP256 => PrivateKey::EcdsaP256(p256::ecdsa::SigningKey::random(&mut rng)),
        };
        Self { key, seed }
    }

    /// A key saved with [`AaKey::to_pkcs8_der`] (a recorded card's
    /// `AA.key`): RSA or P-256, PKCS #8 DER.
    pub fn from_pkcs8_der(der: &[u8], seed: u64) -> Result<Self, String> {
        use rsa::pkcs8::DecodePrivateKey;
        let key = if let Ok(key) = RsaPrivateKey::from_pkcs8_der(der) {
            PrivateKey::Rsa(Box::new(key))
        } else if let Ok(key) = p256::ecdsa::SigningKey::from_pkcs8_der(der) {
            PrivateKey::EcdsaP256(key)
        } else {
            return Err("not an RSA or P-256 private key in PKCS #8 DER".into());
        };
        Ok(Self { key, seed })
    }

    /// The private key as PKCS #8 DER, for a card folder's `AA.key`.
    pub fn to_pkcs8_der(&self) -> Vec<u8> {
        use rsa::pkcs8::EncodePrivateKey;
        match &self.key {
            PrivateKey::Rsa(key) => key.to_pkcs8_der(),
            PrivateKey::EcdsaP256(key) => key.to_pkcs8_der(),
        }
        .expect("private key encodes")
        .as_bytes()
        .to_vec()
    }

    /// DG15: tag `6F` wrapping the SubjectPublicKeyInfo.
    pub fn dg15(&self) -> Vec<u8> {
        let spki = match &self.key {
            PrivateKey::Rsa(key) => key.to_public_key().to_public_key_der(),
            PrivateKey::EcdsaP256(key) => key.verifying_key().to_public_key_der(),
        }
        .expect("public key encodes");
        tlv::encode(0x6F, spki.as_bytes())
    }

    /// DG14 (tag `6E`) with the ActiveAuthenticationInfo naming
    /// ecdsa-plain-SHA256, for ECDSA keys; RSA needs none.
    pub fn dg14(&self) -> Option<Vec<u8>> {
        let infos = self.security_infos();
        (!infos.is_empty()).then(|| dg14_of(infos))
    }

    /// The SecurityInfos this key puts in DG14: the ActiveAuthenticationInfo
    /// of an ECDSA key, nothing for RSA.
    pub fn security_infos(&self) -> Vec<Any> {
        match self.key {
            PrivateKey::Rsa(_) => Vec::new(),
            PrivateKey::EcdsaP256(_) => {
                let info = ActiveAuthenticationInfo::new(oids::ECDSA_PLAIN_SHA_256)
                    .to_der()
                    .expect("ActiveAuthenticationInfo encodes");
                vec![Any::from_der(&info).expect("own encoding decodes")]
            }
        }
    }

    /// What INTERNAL AUTHENTICATE returns for `challenge`.
    pub fn sign(&self, challenge: &[u8]) -> Vec<u8> {
        match &self.key {
            PrivateKey::Rsa(key) => self.sign_9796(key, challenge),
            PrivateKey::EcdsaP256(key) => {
                let signature: p256::ecdsa::Signature = key.sign(challenge);
                signature.to_bytes().to_vec()
            }
        }
    }

    /// ISO/IEC 9796-2 scheme 1: J = `6A` ‖ M1 ‖ SHA-1(M1 ‖ challenge) ‖ `BC`,
    /// signature J^d mod n.
    fn sign_9796(&self, key: &RsaPrivateKey, challenge: &[u8]) -> Vec<u8> {
        const HEADER: u8 = 0x6A;
        const TRAILER: u8 = 0xBC;
        let modulus_len = key.size();
        let hash_len = 20;
        let mut recoverable = vec![0u8; modulus_len - 2 - hash_len];
        self.fill_recoverable_part(challenge, &mut recoverable);
        let mut hasher = Sha1::new();
        hasher.update(&recoverable);
        hasher.update(challenge);
        let hash = hasher.finalize();

        let mut representative = Vec::with_capacity(modulus_len);
        representative.push(HEADER);
        representative.extend_from_slice(&recoverable);
        representative.extend_from_slice(&hash);
        representative.push(TRAILER);

        let signature = rsa::hazmat::rsa_decrypt_and_check(
            key,
            None::<&mut ChaCha20Rng>,
            &BigUint::from_bytes_be(&representative),
        )
        .expect("representative is below the modulus");
        let bytes = signature.to_bytes_be();
        let mut padded = vec![0u8; modulus_len - bytes.len()];
        padded.extend_from_slice(&bytes);
        padded
    }

    /// M1: bytes a real chip draws at random; here derived from the key's
    /// seed and the challenge.
    fn fill_recoverable_part(&self, challenge: &[u8], out: &mut [u8]) {
        let mut seed = Sha256::new();
        seed.update(self.seed.to_be_bytes());
        seed.update(challenge);
        let mut rng = ChaCha20Rng::from_seed(seed.finalize().into());
        rng.fill_bytes(out);
    }
}

fn rsa_key(rng: &mut ChaCha20Rng, bits: usize) -> RsaPrivateKey {
    RsaPrivateKey::new(rng, bits).expect("RSA key generation")
}
