//! Passive and active authentication fed forged bytes: an EF.SOD (CMS
//! SignedData, certificates, the LDS security object) and an AA public key
//! and signature are whatever the card says they are, and the relay checks
//! them on every check-in. Failing is expected; panicking is a bug.
//!
//! The first byte picks the target, so one corpus serves both:
//! even: `passive_auth` with the rest as EF.SOD over a fixed DG1 and DG2;
//! odd: `active_auth` with the rest split into DG15 and the signature (the
//! second byte says where), with and without a DG14.

#![no_main]

use std::collections::BTreeMap;
use std::sync::OnceLock;

use examgate_shared::chip::verify::{LdsFiles, TrustList, active_auth, passive_auth};
use libfuzzer_sys::fuzz_target;

/// 1 January 2026, inside any test PKI's validity.
const NOW: i64 = 1_767_225_600;

const CHALLENGE: [u8; 8] = [1, 2, 3, 4, 5, 6, 7, 8];

/// A DG14 holding only an ActiveAuthenticationInfo for ecdsa-plain-SHA256,
/// so the ECDSA branch is reachable without the fuzzer inventing the OID.
const DG14: &[u8] = &[
    0x6E, 0x1B, 0x31, 0x19, 0x30, 0x17, // DG14, SET, SEQUENCE
    0x06, 0x06, 0x67, 0x81, 0x08, 0x01, 0x01, 0x05, // id-AA 2.23.136.1.1.5
    0x02, 0x01, 0x01, // version 1
    // ecdsa-plain-SHA256 0.4.0.127.0.7.1.1.4.1.3
    0x06, 0x0A, 0x04, 0x00, 0x7F, 0x00, 0x07, 0x01, 0x01, 0x04, 0x01, 0x03,
];

/// An empty trust list: everything before the chain check (parsing, the
/// hashes, the signer's signature) still runs, and nothing forged can be
/// trusted anyway.
fn trust() -> &'static TrustList {
    static TRUST: OnceLock<TrustList> = OnceLock::new();
    TRUST.get_or_init(TrustList::new)
}

fn groups() -> BTreeMap<u8, Vec<u8>> {
    let mut groups = BTreeMap::new();
    groups.insert(1, vec![0x61, 0x03, 0x5F, 0x1F, 0x00]);
    groups.insert(2, vec![0x75, 0x02, 0x7F, 0x61]);
    groups
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    if selector % 2 == 0 {
        let files = LdsFiles {
            com: vec![0x60, 0x00],
            groups: groups(),
            sod: rest.to_vec(),
        };
        let _ = passive_auth(&files, trust(), NOW);
    } else {
        let Some((&split, rest)) = rest.split_first() else {
            return;
        };
        let at = (usize::from(split) * rest.len()) / 256;
        let (dg15, signature) = rest.split_at(at);
        let dg14 = (selector & 2 != 0).then_some(DG14);
        let _ = active_auth(dg15, dg14, &CHALLENGE, signature);
    }
});
