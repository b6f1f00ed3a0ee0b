//! Passive authentication of an EF.SOD made by another implementation
//! (OpenSSL 3.0 `cms -sign`), with the algorithms our own emulator does not
//! use: an RSASSA-PSS (SHA-256, 32-byte salt) document signature, a
//! signingTime attribute, and a brainpoolP256r1 CSCA with explicit domain
//! parameters (ecdsa-with-SHA256) — the shape of the Vietnamese CSCA.
//!
//! The security object lists DG1 = `61 5D 5F1F 5A` + 90 × `I` and
//! DG2 = `75 82 012C` + 300 × `A5`, hashed with SHA-256. CSCA
//! "CN=openssl CSCA,O=openssl vectors,C=DE" is valid 2026-11-27 16:22:58 to
//! 2036-11-24; the signer "CN=openssl DS,C=DE" to 2031-11-26.

use super::{LdsFiles, PaFailure, TrustList, passive_auth};
use crate::chip::tlv;

const OPENSSL_SOD: &[&str] = &[
    "308204bf06092a864886f70d010702a08204b0308204ac020103310d300b060960864801650304020130700606678108",
    "010101a06604643062020100300d06096086480165030402010500304e30250201010420e177e7550274b9565304cb68",
    "5cdd1036d6da117e5a12dafbb2f99a187e4560cb30250201020420022682c73b8ed40ee34c681595d28602fc6dc1e4aa",
    "2ec8046a9fd1486f9bef9ba082021830820214308201b9020107300a06082a8648ce3d040302303e310b300906035504",
    "061302444531183016060355040a0c0f6f70656e73736c20766563746f72733115301306035504030c0c6f70656e7373",
    "6c2043534341301e170d3236313132373136323235385a170d3331313132363136323235385a3022310b300906035504",
    "06130244453113301106035504030c0a6f70656e73736c20445330820122300d06092a864886f70d0101010500038201",
    "0f003082010a0282010100adf9ded8a26f8074097100186e103832ffda669c0c26a2c8e5fb9b4549a47fd2342a6cf8ca",
    "7a87ba7f23d87c495baad12776e8b5650dc634c2621e8f315496cfc37545d9b5c530b3c239d562b563231ea9cc46631f",
    "27aa0ea446a011629d6c64c7a19f392cd39cf04c71a2e0afb6a6287763a43d0ed1216368c997a11673671e84c8b246a1",
    "3e374e0346549440f98463d1e405e6622e83362643f9f49bf4fd06915198d7b12be356e30fde8d9eae34873bbe5803c5",
    "b1dec9448293d332579275e2bb0e2667d8e6750bc90e45199f42d3340fd17eb6036c034dcb51145fe44c5a040349c89f",
    "c2c47cd0f2a0019d300022c643d61158af3ac2ca0307bd31c5b02f0203010001300a06082a8648ce3d04030203490030",
    "46022100a3427c9c31735a8fb588c9e53736e2b499519e1bddcfd59e55c783e29547136c022100985b75ed44904fbf04",
    "1013b35a411533af00cac80962eb54b0060978bf0e456931820208308202040201013043303e310b3009060355040613",
    "02444531183016060355040a0c0f6f70656e73736c20766563746f72733115301306035504030c0c6f70656e73736c20",
    "43534341020107300b0609608648016503040201a066301506092a864886f70d01090331080606678108010101301c06",
    "092a864886f70d010905310f170d3236313132373136323330345a302f06092a864886f70d010904312204204dd5ced5",
    "049a28a309a3e90703cac5ec82af5bdd2baf8fe925a13e265ef17a61304106092a864886f70d01010a3034a00f300d06",
    "096086480165030402010500a11c301a06092a864886f70d010108300d06096086480165030402010500a20302012004",
    "82010076799685e5ce64a8eb90909dfb2766060ce2a7bdc25c3794d6390a6bd12651234ae579a960452d4dcb06492bfe",
    "03c10d6a4524386af95af70bbb4156f0929fcff897535948ca84c1e7a440ba0a996df3a52d56693c3219beaaba0d52f6",
    "a54afcc064099f6ad12847c27d516cada96a1899a86656690f1e21a4856958f428c5fb9acb9ff006e1dfd2d151084c67",
    "ba8f5d540ef3253fb0196ae8769526d1477d9edf11c99c15747b896e42ea3b2fec72b4632eb3810d51b259ae65a3b600",
    "9c69bda96e9b672022542f6ea5178ccb235f2e6bd539734cc9d50ce06749bd09f88d21bd06a215eade2721a827c91d36",
    "935732a9452318261c50033c7962838760c8d9",
];

const OPENSSL_CSCA: &[&str] = &[
    "308202ac30820253a0030201020214335d5fa166c084a00b9d8bc86cfa9ab29b4bda78300a06082a8648ce3d04030230",
    "3e310b300906035504061302444531183016060355040a0c0f6f70656e73736c20766563746f72733115301306035504",
    "030c0c6f70656e73736c2043534341301e170d3236313132373136323235385a170d3336313132343136323235385a30",
    "3e310b300906035504061302444531183016060355040a0c0f6f70656e73736c20766563746f72733115301306035504",
    "030c0c6f70656e73736c2043534341308201333081ec06072a8648ce3d02013081e0020101302c06072a8648ce3d0101",
    "022100a9fb57dba1eea9bc3e660a909d838d726e3bf623d52620282013481d1f6e5377304404207d5a0975fc2c3057ee",
    "f67530417affe7fb8055c126dc5c6ce94a4b44f330b5d9042026dc5c6ce94a4b44f330b5d9bbd77cbf958416295cf7e1",
    "ce6bccdc18ff8c07b60441048bd2aeb9cb7e57cb2c4b482ffc81b7afb9de27e1e3bd23c23a4453bd9ace3262547ef835",
    "c3dac4fd97f8461a14611dc9c27745132ded8e545c1d54c72f046997022100a9fb57dba1eea9bc3e660a909d838d718c",
    "397aa3b561a6f7901e0e82974856a70201010342000475ef0d46eee1ef5b7abb907b022e940114d89cd67a1d72162403",
    "91f574e818fd7395748d001f16b13a2f276501fc3e33bbe06288e422b10a2a0f3c8cacc6b308a3533051301d0603551d",
    "0e04160414686741b9d3cd1dec3ba1e072ecd0d9caeaa99a10301f0603551d23041830168014686741b9d3cd1dec3ba1",
    "e072ecd0d9caeaa99a10300f0603551d130101ff040530030101ff300a06082a8648ce3d040302034700304402200b58",
    "15c8221ba2bb8a7c3789abeea7c77f5c0d5145e7a724c6f4ee6d9bd61130022074b3a5dc362619817512b0f145ae3967",
    "24832a1f87757399713c4974962be8ff",
];

/// 2026-11-28 16:22:58 UTC, a day into both validity periods.
const NOW: i64 = 1_795_882_978;

fn bytes(lines: &[&str]) -> Vec<u8> {
    let hex: String = lines.concat();
    (0..hex.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(&hex[at..at + 2], 16).expect("test vector hex"))
        .collect()
}

fn files() -> LdsFiles {
    let mut dg1 = vec![0x5F, 0x1F, 0x5A];
    dg1.extend_from_slice(&[b'I'; 90]);
    let mut files = LdsFiles {
        sod: tlv::encode(0x77, &bytes(OPENSSL_SOD)),
        ..LdsFiles::default()
    };
    files.groups.insert(1, tlv::encode(0x61, &dg1));
    files.groups.insert(2, tlv::encode(0x75, &[0xA5; 300]));
    files
}

fn trust() -> TrustList {
    let mut trust = TrustList::new();
    trust
        .add_der(&bytes(OPENSSL_CSCA))
        .expect("CSCA certificate parses");
    trust
}

#[test]
fn pss_signed_sod_under_explicit_brainpool_csca_passes() {
    let result = passive_auth(&files(), &trust(), NOW).expect("PA passes");
    assert_eq!(result.signer, "CN=openssl DS,C=DE");
    assert_eq!(result.csca, "CN=openssl CSCA,O=openssl vectors,C=DE");
    assert_eq!(result.digest_algorithm, "SHA-256");
    assert_eq!(result.signed_groups, vec![1, 2]);
}

#[test]
fn the_same_sod_fails_on_altered_data_and_outside_validity() {
    let mut altered = files();
    if let Some(dg1) = altered.groups.get_mut(&1) {
        dg1[10] = b'J';
    }
    assert_eq!(
        passive_auth(&altered, &trust(), NOW),
        Err(PaFailure::GroupAltered(1))
    );
    let before = passive_auth(&files(), &trust(), NOW - 2 * 86_400);
    assert_eq!(
        before.map_err(|failure| failure.code()),
        Err("signer_expired")
    );
    let mut flipped = files();
    let last = flipped.sod.len() - 1;
    flipped.sod[last] ^= 0x01;
    assert_eq!(
        passive_auth(&flipped, &trust(), NOW),
        Err(PaFailure::SignatureInvalid)
    );
}
