//! Passive authentication, master lists and CRLs against a PKI OpenSSL
//! made (`fixtures/openssl/make.py`): a brainpoolP512r1 CSCA with explicit
//! parameters (the shape of the public Vietnamese CSCA) → two
//! brainpoolP512r1 document signers → EF.SODs signed with `openssl cms`;
//! the CSCA's CRL revoking one signer; a master list holding the CSCA and
//! another country's, signed by a master list signer the CSCA issued, and
//! the same list signed by a certificate without the master list signer's
//! key usage.

#![cfg(feature = "verify")]

use std::collections::BTreeMap;
use std::path::PathBuf;

use examgate_shared::chip::verify::{LdsFiles, PaFailure, TrustList, VerifyError, passive_auth};

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/openssl/pki")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// A day after the fixtures were made: inside every validity period.
fn now() -> i64 {
    let made_at: i64 = String::from_utf8(fixture("made-at.txt"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    made_at + 86_400
}

fn files(sod: &str) -> LdsFiles {
    let mut groups = BTreeMap::new();
    groups.insert(1, fixture("dg1.bin"));
    groups.insert(2, fixture("dg2.bin"));
    LdsFiles {
        com: Vec::new(),
        groups,
        sod: fixture(sod),
    }
}

fn csca_only() -> TrustList {
    let mut trust = TrustList::new();
    trust.add_der(&fixture("csca.der")).unwrap();
    trust
}

fn csca_and_crl() -> TrustList {
    let mut trust = csca_only();
    trust.add_crl(&fixture("csca.crl"), "csca.crl").unwrap();
    trust
}

#[test]
fn a_brainpool_p512_chain_made_by_openssl_passes() {
    let passed = passive_auth(&files("sod.bin"), &csca_and_crl(), now()).unwrap();
    assert_eq!(passed.signer, "CN=openssl DS,C=VN");
    assert_eq!(
        passed.csca,
        "CN=openssl CSCA P-512,O=examgate openssl vectors,C=VN"
    );
    assert_eq!(passed.digest_algorithm, "SHA-512");
    assert_eq!(passed.signed_groups, vec![1, 2]);
}

#[test]
fn a_changed_group_or_signature_fails() {
    let mut altered = files("sod.bin");
    altered.groups.get_mut(&2).unwrap()[10] ^= 1;
    assert_eq!(
        passive_auth(&altered, &csca_only(), now()),
        Err(PaFailure::GroupAltered(2))
    );

    let mut flipped = files("sod.bin");
    let last = flipped.sod.len() - 3;
    flipped.sod[last] ^= 1;
    assert_eq!(
        passive_auth(&flipped, &csca_only(), now()),
        Err(PaFailure::SignatureInvalid)
    );
}

#[test]
fn a_document_signer_the_crl_revokes_is_refused() {
    // Without the CRL the revoked signer's SOD is otherwise sound…
    assert!(passive_auth(&files("sod-revoked.bin"), &csca_only(), now()).is_ok());
    // …with it, refused, naming the serial the CRL lists (4097 = 0x1001).
    let refused = passive_auth(&files("sod-revoked.bin"), &csca_and_crl(), now()).unwrap_err();
    match &refused {
        PaFailure::SignerRevoked { serial, .. } => assert_eq!(serial, "1001"),
        other => panic!("expected a revocation, got {other:?}"),
    }
    assert_eq!(refused.code(), "signer_revoked");
    // The other signer of the same CSCA is not affected.
    assert!(passive_auth(&files("sod.bin"), &csca_and_crl(), now()).is_ok());
}

#[test]
fn a_crl_no_trusted_csca_signed_is_refused() {
    let mut trust = TrustList::new();
    trust.add_der(&fixture("other-csca.der")).unwrap();
    let error = trust.add_crl(&fixture("csca.crl"), "csca.crl").unwrap_err();
    assert_eq!(error.code(), "crl_invalid");

    let mut tampered = fixture("csca.crl");
    // The revoked serial 10 01 sits in the TBS part: change it.
    let at = tampered
        .windows(3)
        .position(|w| w == [0x02, 0x02, 0x10])
        .unwrap()
        + 3;
    tampered[at] ^= 1;
    assert_eq!(
        csca_only().add_crl(&tampered, "x.crl").unwrap_err().code(),
        "crl_invalid"
    );
}

#[test]
fn a_master_list_made_by_openssl_loads_both_cscas_and_they_verify() {
    let mut trust = TrustList::new();
    assert_eq!(
        trust
            .add_master_list(&fixture("masterlist.ml"), "test.ml")
            .unwrap(),
        2
    );
    assert_eq!(trust.len(), 2);
    let passed = passive_auth(&files("sod.bin"), &trust, now()).unwrap();
    assert_eq!(
        passed.csca,
        "CN=openssl CSCA P-512,O=examgate openssl vectors,C=VN"
    );

    let report = trust.report(now());
    assert_eq!(report.master_lists.len(), 1);
    assert_eq!(
        report.master_lists[0].signer,
        "CN=openssl master list signer,C=VN"
    );
    assert_eq!(report.master_lists[0].certificates, 2);
    let keys: Vec<&str> = report.cscas.iter().map(|csca| csca.key.as_str()).collect();
    assert!(keys.contains(&"ECDSA brainpoolP512r1"), "{keys:?}");
    assert!(keys.contains(&"ECDSA P-256"), "{keys:?}");
    assert!(
        report
            .cscas
            .iter()
            .all(|csca| csca.origin == "master list test.ml")
    );
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
}

#[test]
fn an_altered_master_list_is_refused() {
    let list = fixture("masterlist.ml");
    // A byte of the other country's CSCA name inside the list's content:
    // the signed message digest no longer matches.
    let mut content = list.clone();
    let at = content
        .windows(13)
        .position(|w| w == b"openssl CSCA ")
        .unwrap();
    content[at] ^= 0x20;
    let error = TrustList::new()
        .add_master_list(&content, "x.ml")
        .unwrap_err();
    assert_eq!(error.code(), "master_list_invalid");
    assert!(error.to_string().contains("digest"), "{error}");

    // The signature's last byte.
    let mut signature = list.clone();
    let last = signature.len() - 2;
    signature[last] ^= 1;
    let error = TrustList::new()
        .add_master_list(&signature, "x.ml")
        .unwrap_err();
    assert_eq!(error.code(), "master_list_invalid");

    // Signed by a certificate of the same CSCA that is not a master list
    // signer (no id-icao-cscaMasterListSigningKey): refused.
    let error = TrustList::new()
        .add_master_list(&fixture("masterlist-no-eku.ml"), "x.ml")
        .unwrap_err();
    assert_eq!(error.code(), "master_list_invalid");
    assert!(
        error.to_string().contains("not a master list signer"),
        "{error}"
    );

    // An EF.SOD is a SignedData too, but not a master list.
    let sod = fixture("sod.bin");
    let error = TrustList::new()
        .add_master_list(&sod[4..], "sod")
        .unwrap_err();
    assert!(
        error.to_string().contains("not a CSCA master list"),
        "{error}"
    );
}

#[test]
fn a_trust_folder_with_a_master_list_and_a_crl_loads_in_order() {
    let folder = std::env::temp_dir().join(format!("examgate-trust-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    // Named so that the CRL sorts first: it must still load after the list
    // that holds its CSCA.
    std::fs::write(folder.join("a.crl"), fixture("csca.crl")).unwrap();
    std::fs::write(folder.join("b.ml"), fixture("masterlist.ml")).unwrap();
    let trust = TrustList::from_dir(&folder).unwrap();
    assert_eq!(trust.len(), 2);
    assert!(matches!(
        passive_auth(&files("sod-revoked.bin"), &trust, now()),
        Err(PaFailure::SignerRevoked { .. })
    ));
    let report = trust.report(now());
    assert_eq!(report.revocation_lists.len(), 1);
    assert_eq!(report.revocation_lists[0].revoked, 1);
    assert_eq!(report.revocation_lists[0].origin, "a.crl");
    assert!(!report.revocation_lists[0].stale);

    // Eleven years on: the CSCAs have expired and the CRL is stale, and the
    // report says so.
    let later = trust.report(now() + 11 * 365 * 86_400);
    assert!(later.cscas.iter().all(|csca| csca.expired));
    assert!(later.revocation_lists[0].stale);
    assert!(
        later.warnings.iter().any(|w| w.contains("expired")),
        "{:?}",
        later.warnings
    );
    assert!(
        later.warnings.iter().any(|w| w.contains("next update")),
        "{:?}",
        later.warnings
    );

    // A broken CRL fails the whole load, naming the file.
    std::fs::write(folder.join("c.crl"), b"not a crl").unwrap();
    let error = TrustList::from_dir(&folder).unwrap_err();
    assert!(
        matches!(&error, VerifyError::CrlInvalid { path: Some(path), .. } if path.ends_with("c.crl")),
        "{error}"
    );
    std::fs::remove_dir_all(&folder).unwrap();
}
