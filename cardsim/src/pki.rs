//! The test PKI that issues emulated cards: a self-signed CSCA and one
//! document signer (DSC) under it, generated deterministically from a seed.
//!
//! Real CSCA keys are never available to tests, and must not be: the relay
//! is pointed at this CSCA instead (its certificate in a trust-list folder),
//! so every code path of passive authentication runs against real
//! signatures. Same seed, same keys and certificates, byte for byte.

use std::str::FromStr;
use std::time::Duration;

use der::asn1::{GeneralizedTime, UtcTime};
use der::{DateTime, Encode};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use rsa::RsaPrivateKey;
use sha2::Sha256;
use spki::SubjectPublicKeyInfoOwned;
use x509_cert::Certificate;
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

/// The CSCA's subject.
pub const CSCA_SUBJECT: &str = "CN=examgate test CSCA,O=examgate,C=VN";
/// The document signer's subject without its country, which
/// [`PkiOptions::signer_country`] supplies.
pub const DSC_COMMON_NAME: &str = "examgate test DS";

/// The document signer's key type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignerKind {
    /// RSA-2048, PKCS #1 v1.5 with SHA-256 (the common case on real SODs).
    #[default]
    Rsa2048,
    /// ECDSA on P-256 with SHA-256.
    EcdsaP256,
}

/// Everything about the PKI a test may want to vary. The defaults are the
/// normal PKI; the other settings make certificates that passive
/// authentication must reject (expired, wrong country).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PkiOptions {
    pub signer: SignerKind,
    /// CSCA validity, 1 January of the first year to 1 January of the second.
    pub csca_years: (u16, u16),
    /// Document signer validity, likewise.
    pub signer_years: (u16, u16),
    /// The C attribute of the document signer's subject.
    pub signer_country: String,
}

impl Default for PkiOptions {
    fn default() -> Self {
        Self {
            signer: SignerKind::Rsa2048,
            csca_years: (2020, 2045),
            signer_years: (2024, 2035),
            signer_country: "VN".into(),
        }
    }
}

/// The document signer's private key.
pub(crate) enum SignerKey {
    Rsa(Box<rsa::pkcs1v15::SigningKey<Sha256>>),
    EcdsaP256(p256::ecdsa::SigningKey),
}

/// A CSCA and a document signer with their keys.
pub struct TestPki {
    csca: Certificate,
    signer_certificate: Certificate,
    pub(crate) signer_key: SignerKey,
}

impl TestPki {
    /// The default PKI (RSA-2048 document signer) for `seed`.
    pub fn generate(seed: u64) -> Self {
        Self::generate_with(seed, SignerKind::Rsa2048)
    }

    /// The default PKI with the given document signer key type.
    pub fn generate_with(seed: u64, signer: SignerKind) -> Self {
        Self::generate_with_options(
            seed,
            &PkiOptions {
                signer,
                ..PkiOptions::default()
            },
        )
    }

    /// A PKI as `options` describe.
    ///
    /// # Panics
    /// If a year in `options` is outside 1970–9999 (a test's mistake).
    pub fn generate_with_options(seed: u64, options: &PkiOptions) -> Self {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);

        let csca_key = p384::ecdsa::SigningKey::random(&mut rng);
        let csca_subject = Name::from_str(CSCA_SUBJECT).expect("constant CSCA name");
        let csca_spki = SubjectPublicKeyInfoOwned::from_key(*csca_key.verifying_key())
            .expect("P-384 public key encodes");
        let csca = CertificateBuilder::new(
            Profile::Root,
            SerialNumber::from(1u32),
            validity(options.csca_years),
            csca_subject.clone(),
            csca_spki,
            &csca_key,
        )
        .expect("CSCA certificate fields")
        .build::<p384::ecdsa::DerSignature>()
        .expect("CSCA certificate signs");

        let (signer_key, signer_spki) = match options.signer {
            SignerKind::Rsa2048 => {
                let private = RsaPrivateKey::new(&mut rng, 2048).expect("RSA-2048 key generation");
                let spki = SubjectPublicKeyInfoOwned::from_key(private.to_public_key())
                    .expect("RSA public key encodes");
                let key = rsa::pkcs1v15::SigningKey::<Sha256>::new(private);
                (SignerKey::Rsa(Box::new(key)), spki)
            }
            SignerKind::EcdsaP256 => {
                let key = p256::ecdsa::SigningKey::random(&mut rng);
                let spki = SubjectPublicKeyInfoOwned::from_key(*key.verifying_key())
                    .expect("P-256 public key encodes");
                (SignerKey::EcdsaP256(key), spki)
            }
        };
        let signer_subject = Name::from_str(&format!(
            "CN={DSC_COMMON_NAME},C={}",
            options.signer_country
        ))
        .expect("document signer name");
        let signer_certificate = CertificateBuilder::new(
            Profile::Leaf {
                issuer: csca_subject,
                enable_key_agreement: false,
                enable_key_encipherment: false,
            },
            SerialNumber::from(2u32),
            validity(options.signer_years),
            signer_subject,
            signer_spki,
            &csca_key,
        )
        .expect("document signer certificate fields")
        .build::<p384::ecdsa::DerSignature>()
        .expect("document signer certificate signs");

        Self {
            csca,
            signer_certificate,
            signer_key,
        }
    }

    /// The CSCA certificate, DER (what goes in the relay's trust folder).
    pub fn csca_der(&self) -> Vec<u8> {
        self.csca.to_der().expect("certificate encodes")
    }

    /// The document signer certificate, DER (EF.SOD carries it).
    pub fn dsc_der(&self) -> Vec<u8> {
        self.signer_certificate
            .to_der()
            .expect("certificate encodes")
    }

    /// The document signer certificate.
    pub fn signer_certificate(&self) -> &Certificate {
        &self.signer_certificate
    }

    /// The document signer's signature over `message` with SHA-256, as a
    /// SignerInfo carries it (PKCS #1 v1.5, or ECDSA as DER). For tests
    /// that hand-build what no encoder writes (e.g. signed attributes out of
    /// DER order).
    pub fn sign_as_document_signer(&self, message: &[u8]) -> Vec<u8> {
        use rsa::signature::{SignatureEncoding, Signer};
        match &self.signer_key {
            SignerKey::Rsa(key) => key.sign(message).to_vec(),
            SignerKey::EcdsaP256(key) => {
                let signature: p256::ecdsa::DerSignature = key.sign(message);
                signature.to_vec()
            }
        }
    }
}

/// 1 January 00:00 UTC of each year. UTCTime before 2050 and
/// GeneralizedTime from then on, as RFC 5280 requires.
fn validity((first, last): (u16, u16)) -> Validity {
    Validity {
        not_before: january_first(first),
        not_after: january_first(last),
    }
}

fn january_first(year: u16) -> Time {
    let date = DateTime::new(year, 1, 1, 0, 0, 0).expect("year within 1970-9999");
    if year < 2050 {
        Time::UtcTime(UtcTime::from_date_time(date).expect("UTCTime year"))
    } else {
        Time::GeneralTime(GeneralizedTime::from_date_time(date))
    }
}

/// Seconds since the Unix epoch of 1 January of `year` (for tests that pick
/// "now" relative to the validity years).
pub fn unix_secs_of_year(year: u16) -> i64 {
    let duration: Duration = DateTime::new(year, 1, 1, 0, 0, 0)
        .expect("year within 1970-9999")
        .unix_duration();
    i64::try_from(duration.as_secs()).unwrap_or(i64::MAX)
}
