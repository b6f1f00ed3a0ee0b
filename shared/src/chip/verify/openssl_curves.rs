//! ECDSA on every curve ICAO 9303 allows, against signatures OpenSSL made
//! (`tests/fixtures/openssl/make.py`): keys with explicit domain parameters,
//! DER signatures over `message.txt`, through the same path as an X.509 or
//! CMS signature (`verify_signature` with an ecdsa-with-SHA* identifier).

use der::Decode;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use super::ec_curves::{ALL_CURVES, EcCurve};
use super::oids;
use super::signature::{PublicKey, SignatureError, verify_signature};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/openssl/curves");

fn read(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}/{name}")).unwrap_or_else(|error| panic!("{name}: {error}"))
}

fn algorithm(hash: &str) -> AlgorithmIdentifierOwned {
    let oid = match hash {
        "sha224" => oids::ECDSA_WITH_SHA_224,
        "sha256" => oids::ECDSA_WITH_SHA_256,
        "sha384" => oids::ECDSA_WITH_SHA_384,
        "sha512" => oids::ECDSA_WITH_SHA_512,
        other => panic!("hash {other} in a fixture"),
    };
    AlgorithmIdentifierOwned {
        oid,
        parameters: None,
    }
}

fn check(curve: EcCurve) -> Result<(), SignatureError> {
    let name = curve.name();
    let spki = SubjectPublicKeyInfoOwned::from_der(&read(&format!("{name}.spki.der"))).unwrap();
    // The explicit parameters are recognised as this curve.
    match PublicKey::from_spki(&spki)? {
        PublicKey::Ec { curve: found, .. } => assert_eq!(found, curve),
        PublicKey::Rsa(_) => panic!("{name}: an RSA key"),
    }
    let hash = String::from_utf8(read(&format!("{name}.hash"))).unwrap();
    let signature = read(&format!("{name}.sig.der"));
    let message = read("message.txt");
    verify_signature(&spki, &algorithm(hash.trim()), None, &message, &signature)?;

    let mut other_message = message.clone();
    other_message[0] ^= 1;
    assert_eq!(
        verify_signature(
            &spki,
            &algorithm(hash.trim()),
            None,
            &other_message,
            &signature
        ),
        Err(SignatureError::Invalid),
        "{name}: another message"
    );
    Ok(())
}

#[test]
fn every_icao_curve_verifies_an_openssl_signature() {
    for curve in ALL_CURVES {
        assert_eq!(check(curve), Ok(()), "{}", curve.name());
    }
}

#[test]
fn a_signature_under_another_curves_key_is_invalid() {
    let spki = SubjectPublicKeyInfoOwned::from_der(&read("brainpoolP512r1.spki.der")).unwrap();
    let signature = read("P-521.sig.der");
    let result = verify_signature(
        &spki,
        &algorithm("sha512"),
        None,
        &read("message.txt"),
        &signature,
    );
    assert!(result.is_err());
}
