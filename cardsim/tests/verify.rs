//! Round trips between the card side (test PKI, EF.SOD signing, AA key) and
//! the relay side (`examgate_shared::chip::verify`): what the emulator signs
//! must verify, and every kind of tampering must fail with its own code.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use der::{Decode, Encode};
use examgate_cardsim::aa::{AaKey, AaKind};
use examgate_cardsim::pki::{PkiOptions, SignerKind, TestPki, unix_secs_of_year};
use examgate_cardsim::sod::sign_sod;
use examgate_shared::chip::tlv;
use examgate_shared::chip::verify::{
    AaAlgorithm, AaFailure, LdsFiles, PaFailure, TrustList, active_auth, passive_auth,
};
use sha2::{Digest, Sha256};

const CHALLENGE: [u8; 8] = *b"examgate";

/// 2030-01-01: inside every default validity period.
fn now() -> i64 {
    unix_secs_of_year(2030)
}

/// Generating RSA-2048 keys is the slow part; share one PKI per kind.
fn rsa_pki() -> &'static TestPki {
    static PKI: OnceLock<TestPki> = OnceLock::new();
    PKI.get_or_init(|| TestPki::generate(1))
}

fn ecdsa_pki() -> &'static TestPki {
    static PKI: OnceLock<TestPki> = OnceLock::new();
    PKI.get_or_init(|| TestPki::generate_with(2, SignerKind::EcdsaP256))
}

fn trusting(pki: &TestPki) -> TrustList {
    let mut trust = TrustList::new();
    trust
        .add_der(&pki.csca_der())
        .expect("CSCA certificate parses");
    trust
}

/// Small but realistic groups: DG1 (MRZ), DG2 (face), DG15 (AA key).
fn sample_groups() -> BTreeMap<u8, Vec<u8>> {
    let mrz = b"IDVNM0123456789001234567890<<3\
                0801015M3301017VNM<<<<<<<<<<<6\
                NGUYEN<<VAN<A<<<<<<<<<<<<<<<<<";
    let mut dg1_value = vec![0x5F, 0x1F, 0x5A];
    dg1_value.extend_from_slice(mrz);
    let mut groups = BTreeMap::new();
    groups.insert(1, tlv::encode(0x61, &dg1_value));
    groups.insert(2, tlv::encode(0x75, &vec![0xA5; 700]));
    groups.insert(15, AaKey::generate(AaKind::EcdsaP256, 3).dg15());
    groups
}

fn card_files(pki: &TestPki) -> LdsFiles {
    let groups = sample_groups();
    let sod = sign_sod(pki, &groups);
    LdsFiles {
        com: tlv::encode(0x60, &[0x5F, 0x01, 0x04, b'0', b'1', b'0', b'7']),
        groups,
        sod,
    }
}

fn pa_code(files: &LdsFiles, trust: &TrustList, now: i64) -> Result<(), &'static str> {
    passive_auth(files, trust, now)
        .map(|_| ())
        .map_err(|failure| failure.code())
}

#[test]
fn rsa_signed_sod_passes() {
    let pki = rsa_pki();
    let result = passive_auth(&card_files(pki), &trusting(pki), now()).expect("PA passes");
    assert_eq!(result.signer, "CN=examgate test DS,C=VN");
    assert_eq!(result.csca, "CN=examgate test CSCA,O=examgate,C=VN");
    assert_eq!(result.digest_algorithm, "SHA-256");
    assert_eq!(result.signed_groups, vec![1, 2, 15]);
}

#[test]
fn ecdsa_signed_sod_passes() {
    let pki = ecdsa_pki();
    let result = passive_auth(&card_files(pki), &trusting(pki), now()).expect("PA passes");
    assert_eq!(result.signed_groups, vec![1, 2, 15]);
}

#[test]
fn generation_is_deterministic() {
    let again = TestPki::generate_with(2, SignerKind::EcdsaP256);
    assert_eq!(again.csca_der(), ecdsa_pki().csca_der());
    assert_eq!(again.dsc_der(), ecdsa_pki().dsc_der());
    let groups = sample_groups();
    assert_eq!(sign_sod(&again, &groups), sign_sod(ecdsa_pki(), &groups));
    let other = TestPki::generate_with(3, SignerKind::EcdsaP256);
    assert_ne!(other.csca_der(), ecdsa_pki().csca_der());
}

#[test]
fn another_csca_with_the_same_name_is_untrusted() {
    let files = card_files(ecdsa_pki());
    let impostor = TestPki::generate_with(99, SignerKind::EcdsaP256);
    assert_eq!(
        pa_code(&files, &trusting(&impostor), now()),
        Err("signer_untrusted")
    );
    assert_eq!(
        pa_code(&files, &TrustList::new(), now()),
        Err("signer_untrusted")
    );
}

#[test]
fn the_right_csca_among_others_is_found() {
    let pki = ecdsa_pki();
    let mut trust = trusting(&TestPki::generate_with(99, SignerKind::EcdsaP256));
    trust.add_der(&pki.csca_der()).expect("CSCA parses");
    assert_eq!(pa_code(&card_files(pki), &trust, now()), Ok(()));
}

#[test]
fn a_changed_group_byte_is_reported_for_that_group() {
    let pki = rsa_pki();
    let mut files = card_files(pki);
    let dg2 = files.groups.get_mut(&2).expect("DG2");
    let last = dg2.len() - 1;
    dg2[last] ^= 0x01;
    assert_eq!(
        passive_auth(&files, &trusting(pki), now()),
        Err(PaFailure::GroupAltered(2))
    );
}

#[test]
fn a_group_missing_from_the_sod_is_reported() {
    let pki = ecdsa_pki();
    let mut files = card_files(pki);
    files.groups.insert(13, tlv::encode(0x6D, b"extra"));
    assert_eq!(
        passive_auth(&files, &trusting(pki), now()),
        Err(PaFailure::GroupNotInSod(13))
    );
}

#[test]
fn groups_not_read_are_not_required() {
    let pki = ecdsa_pki();
    let mut files = card_files(pki);
    files.groups.remove(&2);
    let result = passive_auth(&files, &trusting(pki), now()).expect("PA passes");
    assert_eq!(
        result.signed_groups,
        vec![1, 2, 15],
        "the SOD still lists DG2"
    );
}

#[test]
fn a_flipped_signature_byte_is_invalid() {
    // The signature is the last element of the only SignerInfo (no
    // unsigned attributes), so the SOD's last byte belongs to it.
    for pki in [rsa_pki(), ecdsa_pki()] {
        let mut files = card_files(pki);
        let last = files.sod.len() - 1;
        files.sod[last] ^= 0x01;
        assert_eq!(
            pa_code(&files, &trusting(pki), now()),
            Err("signature_invalid")
        );
    }
}

#[test]
fn a_changed_hash_in_the_security_object_breaks_the_message_digest() {
    // DG2's hash is in the signed content; drop DG2 from what was "read"
    // so the group check passes and the changed content is caught by the
    // messageDigest attribute.
    let pki = ecdsa_pki();
    let mut files = card_files(pki);
    let dg2_hash = Sha256::digest(&files.groups[&2]);
    let at = files
        .sod
        .windows(dg2_hash.len())
        .position(|window| window == dg2_hash.as_slice())
        .expect("DG2 hash inside EF.SOD");
    files.sod[at] ^= 0x01;
    files.groups.remove(&2);
    assert_eq!(
        passive_auth(&files, &trusting(pki), now()),
        Err(PaFailure::MessageDigestMismatch)
    );
}

#[test]
fn validity_is_judged_at_the_given_time() {
    let pki = ecdsa_pki();
    let files = card_files(pki);
    let trust = trusting(pki);
    // The document signer is valid 2024–2035, the CSCA 2020–2045.
    assert_eq!(
        pa_code(&files, &trust, unix_secs_of_year(2036)),
        Err("signer_expired")
    );
    assert_eq!(
        pa_code(&files, &trust, unix_secs_of_year(2022)),
        Err("signer_expired")
    );
    assert_eq!(pa_code(&files, &trust, unix_secs_of_year(2024)), Ok(()));
}

#[test]
fn an_expired_csca_is_reported() {
    let pki = TestPki::generate_with_options(
        5,
        &PkiOptions {
            signer: SignerKind::EcdsaP256,
            csca_years: (2020, 2028),
            ..PkiOptions::default()
        },
    );
    assert_eq!(
        pa_code(&card_files(&pki), &trusting(&pki), now()),
        Err("csca_expired")
    );
}

#[test]
fn a_signer_of_another_country_is_refused() {
    let pki = TestPki::generate_with_options(
        6,
        &PkiOptions {
            signer: SignerKind::EcdsaP256,
            signer_country: "FR".into(),
            ..PkiOptions::default()
        },
    );
    let failure =
        passive_auth(&card_files(&pki), &trusting(&pki), now()).expect_err("country differs");
    assert_eq!(
        failure,
        PaFailure::CountryMismatch {
            signer: "FR".into(),
            csca: "VN".into()
        }
    );
}

#[test]
fn truncated_or_garbage_sods_are_malformed_not_panics() {
    let pki = ecdsa_pki();
    let files = card_files(pki);
    let trust = trusting(pki);
    for cut in [0, 1, 2, 10, files.sod.len() / 2, files.sod.len() - 1] {
        let truncated = LdsFiles {
            sod: files.sod[..cut].to_vec(),
            ..files.clone()
        };
        assert_eq!(
            pa_code(&truncated, &trust, now()),
            Err("sod_malformed"),
            "cut at {cut}"
        );
    }
    let garbage = LdsFiles {
        sod: vec![0x77, 0x03, 0x30, 0x01, 0xFF],
        ..files.clone()
    };
    assert_eq!(pa_code(&garbage, &trust, now()), Err("sod_malformed"));
}

#[test]
fn every_single_byte_change_of_the_sod_is_handled() {
    // No panic anywhere; and whatever a change does, the groups as read
    // must never pass with a different signer or CSCA than the real one.
    let pki = ecdsa_pki();
    let files = card_files(pki);
    let trust = trusting(pki);
    for at in 0..files.sod.len() {
        let mut changed = files.clone();
        changed.sod[at] ^= 0x55;
        if let Ok(result) = passive_auth(&changed, &trust, now()) {
            assert_eq!(result.signer, "CN=examgate test DS,C=VN", "byte {at}");
        }
    }
}

#[test]
fn active_authentication_passes_for_every_key_kind() {
    let cases = [
        (AaKind::Rsa1024, AaAlgorithm::Rsa9796 { bits: 1024 }),
        (AaKind::Rsa2048, AaAlgorithm::Rsa9796 { bits: 2048 }),
        (AaKind::EcdsaP256, AaAlgorithm::Ecdsa { curve: "P-256" }),
    ];
    for (kind, expected) in cases {
        let key = AaKey::generate(kind, 10);
        let dg14 = key.dg14();
        let answer = key.sign(&CHALLENGE);
        assert_eq!(
            active_auth(&key.dg15(), dg14.as_deref(), &CHALLENGE, &answer),
            Ok(expected),
            "{kind:?}"
        );
    }
}

#[test]
fn ecdsa_without_dg14_defaults_to_sha256() {
    let key = AaKey::generate(AaKind::EcdsaP256, 11);
    assert!(key.dg14().is_some());
    let answer = key.sign(&CHALLENGE);
    assert_eq!(
        active_auth(&key.dg15(), None, &CHALLENGE, &answer),
        Ok(AaAlgorithm::Ecdsa { curve: "P-256" })
    );
}

#[test]
fn a_signature_by_another_key_is_invalid() {
    for kind in [AaKind::Rsa1024, AaKind::EcdsaP256] {
        let card = AaKey::generate(kind, 20);
        let clone = AaKey::generate(kind, 21);
        let answer = clone.sign(&CHALLENGE);
        assert_eq!(
            active_auth(&card.dg15(), card.dg14().as_deref(), &CHALLENGE, &answer),
            Err(AaFailure::SignatureInvalid),
            "{kind:?}"
        );
    }
}

#[test]
fn an_answer_to_another_challenge_is_invalid() {
    for kind in [AaKind::Rsa1024, AaKind::EcdsaP256] {
        let key = AaKey::generate(kind, 30);
        let replayed = key.sign(b"yesterda");
        assert_eq!(
            active_auth(&key.dg15(), key.dg14().as_deref(), &CHALLENGE, &replayed),
            Err(AaFailure::SignatureInvalid),
            "{kind:?}"
        );
    }
}

#[test]
fn rsa_answers_differ_per_challenge_but_not_per_call() {
    let key = AaKey::generate(AaKind::Rsa1024, 31);
    assert_eq!(key.sign(&CHALLENGE), key.sign(&CHALLENGE));
    assert_ne!(key.sign(&CHALLENGE), key.sign(b"examgatf"));
}

#[test]
fn the_rsa_complement_form_of_a_signature_is_accepted() {
    // ISO/IEC 9796-2 allows sending n − Σ instead of Σ.
    use rsa::pkcs8::DecodePublicKey;
    use rsa::traits::PublicKeyParts;
    let key = AaKey::generate(AaKind::Rsa1024, 32);
    let dg15 = key.dg15();
    let spki = tlv::read_only(&dg15, 0x6F).expect("DG15").value;
    let public = rsa::RsaPublicKey::from_public_key_der(spki).expect("RSA key");
    let sigma = rsa::BigUint::from_bytes_be(&key.sign(&CHALLENGE));
    let complement = (public.n() - sigma).to_bytes_be();
    assert_eq!(
        active_auth(&dg15, None, &CHALLENGE, &complement),
        Ok(AaAlgorithm::Rsa9796 { bits: 1024 })
    );
}

#[test]
fn a_dg14_naming_another_hash_makes_the_answer_invalid() {
    use der::Encode;
    use der::asn1::{Any, SetOfVec};
    use examgate_shared::chip::verify::{ActiveAuthenticationInfo, oids};
    let key = AaKey::generate(AaKind::EcdsaP256, 33);
    let info = ActiveAuthenticationInfo::new(oids::ECDSA_PLAIN_SHA_384)
        .to_der()
        .expect("encodes");
    let mut infos = SetOfVec::new();
    infos
        .insert(<Any as der::Decode>::from_der(&info).expect("decodes"))
        .expect("insert");
    let dg14 = tlv::encode(0x6E, &infos.to_der().expect("encodes"));
    assert_eq!(
        active_auth(&key.dg15(), Some(&dg14), &CHALLENGE, &key.sign(&CHALLENGE)),
        Err(AaFailure::SignatureInvalid)
    );
}

#[test]
fn malformed_aa_inputs_are_errors_not_panics() {
    let key = AaKey::generate(AaKind::EcdsaP256, 40);
    let dg15 = key.dg15();
    let answer = key.sign(&CHALLENGE);
    let code = |dg15: &[u8], dg14: Option<&[u8]>, signature: &[u8]| {
        active_auth(dg15, dg14, &CHALLENGE, signature).map_err(|failure| failure.code())
    };
    assert_eq!(code(&[], None, &answer), Err("key_malformed"));
    assert_eq!(
        code(&[0x6F, 0x03, 1, 2, 3], None, &answer),
        Err("key_malformed")
    );
    assert_eq!(
        code(&dg15[..dg15.len() / 2], None, &answer),
        Err("key_malformed")
    );
    assert_eq!(code(&[0x61, 0x00], None, &answer), Err("key_malformed"));
    assert_eq!(code(&dg15, None, &answer[..10]), Err("signature_malformed"));
    assert_eq!(code(&dg15, None, &[]), Err("signature_malformed"));
    assert_eq!(
        code(&dg15, Some(&[0x6E, 0x02, 0x31]), &answer),
        Err("dg14_malformed")
    );
    assert_eq!(code(&dg15, None, &[0u8; 64]), Err("signature_invalid"));

    let rsa = AaKey::generate(AaKind::Rsa1024, 41);
    assert_eq!(code(&rsa.dg15(), None, &[]), Err("signature_malformed"));
    assert_eq!(
        code(&rsa.dg15(), None, &[0u8; 129]),
        Err("signature_malformed")
    );
    assert_eq!(
        code(&rsa.dg15(), None, &[0xFF; 128]),
        Err("signature_invalid")
    );
    assert_eq!(code(&rsa.dg15(), None, &[1]), Err("signature_invalid"));

    // Every prefix of DG15 fails cleanly.
    for cut in 0..dg15.len() {
        assert!(code(&dg15[..cut], None, &answer).is_err(), "cut at {cut}");
    }
}

#[test]
fn trust_list_loads_der_and_pem_from_a_folder() {
    use der::{DecodePem, EncodePem, pem::LineEnding};
    use x509_cert::Certificate;
    let first = ecdsa_pki();
    let second = TestPki::generate_with(7, SignerKind::EcdsaP256);
    let folder = tempfile::tempdir().expect("temp dir");
    std::fs::write(folder.path().join("vn-csca.der"), first.csca_der()).expect("write");
    let pem = <Certificate as der::Decode>::from_der(&second.csca_der())
        .expect("parses")
        .to_pem(LineEnding::LF)
        .expect("PEM");
    assert!(Certificate::from_pem(&pem).is_ok());
    std::fs::write(folder.path().join("second.CRT"), &pem).expect("write");
    std::fs::write(folder.path().join("README.txt"), "not a certificate").expect("write");

    let trust = TrustList::from_dir(folder.path()).expect("loads");
    assert_eq!(trust.len(), 2);
    assert!(!trust.is_empty());
    assert_eq!(pa_code(&card_files(first), &trust, now()), Ok(()));
    assert_eq!(pa_code(&card_files(&second), &trust, now()), Ok(()));

    std::fs::write(folder.path().join("broken.cer"), b"\x30\x03\x02\x01").expect("write");
    let failure = TrustList::from_dir(folder.path()).expect_err("broken certificate");
    assert_eq!(failure.code(), "certificate_malformed");
    assert!(failure.to_string().contains("broken.cer"), "{failure}");

    let missing = TrustList::from_dir(&folder.path().join("nowhere")).expect_err("no folder");
    assert_eq!(missing.code(), "trust_list_unreadable");
}

/// Real document signers write signed attributes out of DER order (the SET
/// not sorted) and sign them as written. The signature must be checked over
/// those bytes: re-encoding them, as a DER library does, sorts them and
/// checks a different message.
#[test]
fn signed_attributes_out_of_der_order_verify_as_encoded() {
    // RSA: a re-signature has the same length, so the attributes can be
    // swapped in place without rebuilding every enclosing length.
    {
        let pki = rsa_pki();
        let files = card_files(pki);
        let (unsorted, resigned) = with_signed_attributes_reversed(pki, &files.sod);
        let reordered = LdsFiles {
            sod: resigned,
            ..files.clone()
        };
        assert_eq!(pa_code(&reordered, &trusting(pki), now()), Ok(()));

        // Control: the attributes really are out of DER order, so a
        // verifier that re-encodes would check other bytes.
        let content_info = tlv::read(&reordered.sod).unwrap().0.value;
        let decoded = cms::content_info::ContentInfo::from_der(content_info)
            .unwrap()
            .content
            .decode_as::<cms::signed_data::SignedData>()
            .unwrap();
        let reencoded = decoded.signer_infos.0.as_slice()[0]
            .signed_attrs
            .as_ref()
            .unwrap()
            .to_der()
            .unwrap();
        assert_ne!(
            reencoded, unsorted,
            "the test's attributes must be unsorted"
        );

        // And the signature still binds them: one changed byte fails.
        let mut tampered = reordered.clone();
        let at = find(&tampered.sod, &unsorted[2..]).unwrap() + 6;
        tampered.sod[at] ^= 1;
        assert!(pa_code(&tampered, &trusting(pki), now()).is_err());
    }
}

/// Reverses the SignerInfo's two signed attributes in place and re-signs
/// them as they now stand. Returns the reversed SET (tag 31) and the SOD.
fn with_signed_attributes_reversed(pki: &TestPki, sod: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let content_info = tlv::read(sod).unwrap().0.value;
    let signed_data = cms::content_info::ContentInfo::from_der(content_info)
        .unwrap()
        .content
        .decode_as::<cms::signed_data::SignedData>()
        .unwrap();
    let signer_info = &signed_data.signer_infos.0.as_slice()[0];
    let attributes = signer_info.signed_attrs.as_ref().unwrap();
    let sorted: Vec<Vec<u8>> = attributes.iter().map(|a| a.to_der().unwrap()).collect();
    assert_eq!(sorted.len(), 2, "contentType and messageDigest");
    let sorted_body = sorted.concat();
    let reversed_body = [sorted[1].clone(), sorted[0].clone()].concat();
    let at = find(sod, &sorted_body).expect("signed attributes in the SOD");
    let mut out = sod.to_vec();
    out[at..at + reversed_body.len()].copy_from_slice(&reversed_body);

    let mut message = attributes.to_der().unwrap();
    let header = message.len() - sorted_body.len();
    message[header..].copy_from_slice(&reversed_body);
    let new_signature = pki.sign_as_document_signer(&message);
    let old_signature = signer_info.signature.as_bytes();
    assert_eq!(new_signature.len(), old_signature.len());
    let signature_at = find(&out, old_signature).expect("signature in the SOD");
    out[signature_at..signature_at + old_signature.len()].copy_from_slice(&new_signature);
    (message, out)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// A card saved as a folder (files and `AA.key`) and served again answers
/// active authentication with its stored key, so the relay's check passes;
/// the same folder without the key is a copy whose chip cannot answer.
#[test]
fn a_card_folder_answers_aa_with_its_stored_key() {
    use examgate_cardsim::card::Card;
    use examgate_cardsim::folder::{AA_KEY_FILE, LdsFolder};
    use examgate_cardsim::issue::IssuedCard;
    use examgate_cardsim::person::Student;
    use examgate_shared::chip::session::{ReadOptions, ReadSession, Step};

    let student = Student::synthetic(21, 4);
    for kind in [AaKind::EcdsaP256, AaKind::Rsa1024] {
        let issued = IssuedCard::issue(&student, rsa_pki(), Some(kind), 17);
        let dir =
            std::env::temp_dir().join(format!("examgate-folder-{}-{kind:?}", std::process::id()));
        issued.folder().save(&dir).unwrap();
        assert!(dir.join(AA_KEY_FILE).exists());

        let answer = |folder: &LdsFolder| -> Result<(LdsFiles, Vec<u8>), String> {
            let mut chip = folder.chip(5).map_err(|e| e.to_string())?;
            let mut session = ReadSession::new(
                vec![student.bac_input()],
                [3; 32],
                ReadOptions::extended(65_536),
            );
            let mut step = session.start();
            let read = loop {
                match step {
                    Step::Transmit(apdu) => step = session.on_response(&chip.transmit(&apdu)),
                    Step::Read(read) => break read,
                    other => return Err(format!("{other:?}")),
                }
            };
            let mut step = session.authenticate(&CHALLENGE);
            loop {
                match step {
                    Step::Transmit(apdu) => step = session.on_response(&chip.transmit(&apdu)),
                    Step::Authenticated(signature) => {
                        let files = LdsFiles {
                            com: read.com.clone(),
                            groups: read.groups.clone(),
                            sod: read.sod.clone(),
                        };
                        return Ok((files, signature));
                    }
                    other => return Err(format!("{other:?}")),
                }
            }
        };

        let loaded = LdsFolder::load(&dir).unwrap();
        let (files, signature) = answer(&loaded).unwrap();
        assert_eq!(pa_code(&files, &trusting(rsa_pki()), now()), Ok(()));
        assert!(
            active_auth(
                &files.groups[&15],
                files.groups.get(&14).map(Vec::as_slice),
                &CHALLENGE,
                &signature
            )
            .is_ok(),
            "{kind:?}"
        );

        std::fs::remove_file(dir.join(AA_KEY_FILE)).unwrap();
        let copy = LdsFolder::load(&dir).unwrap();
        assert!(
            answer(&copy).is_err(),
            "a folder without its key cannot answer AA"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
