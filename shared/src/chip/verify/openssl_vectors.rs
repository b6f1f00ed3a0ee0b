//! Active authentication against signatures made by another implementation
//! (OpenSSL 3.0), so that our curve arithmetic and 9796-2 reading are not
//! only checked against our own signer.
//!
//! Keys use explicit domain parameters (`-param_enc explicit`), as eMRTD
//! keys often do. The challenge is `0123456789ABCDEF`; ECDSA signatures are
//! SHA-256, converted from DER to r ‖ s; the RSA one is a raw RSA signature
//! of `6A ‖ M1 ‖ SHA-256(M1 ‖ challenge) ‖ 34 CC`.

use super::{AaAlgorithm, AaFailure, active_auth};
use crate::chip::tlv;

const CHALLENGE: [u8; 8] = [0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF];

const BRAINPOOL_P256_SPKI: &str = "308201333081ec06072a8648ce3d02013081e0020101302c06072a8648ce3d0101022100a9fb57dba1eea9bc3e660a909d838d726e3bf623d52620282013481d1f6e5377304404207d5a0975fc2c3057eef67530417affe7fb8055c126dc5c6ce94a4b44f330b5d9042026dc5c6ce94a4b44f330b5d9bbd77cbf958416295cf7e1ce6bccdc18ff8c07b60441048bd2aeb9cb7e57cb2c4b482ffc81b7afb9de27e1e3bd23c23a4453bd9ace3262547ef835c3dac4fd97f8461a14611dc9c27745132ded8e545c1d54c72f046997022100a9fb57dba1eea9bc3e660a909d838d718c397aa3b561a6f7901e0e82974856a7020101034200044d86bffea1cb4858af314d8e15c56a6a54edd5bc0edaf9a482709fbcb8efe6e54ca52137bdf8914a6e19e441d1778e32a1f48e3c64e4e4f20801a1455f5a9070";
const BRAINPOOL_P256_SIGNATURE: &str = "a1c6b4c5009b1835e595a687a4544398cf5631cc128bb0b1e522ad91d501306b19b3c0f4c1fcf2e7ec5e6f1c3b6bee1131390eab441ba8c3958d0c243a16d2c8";

const BRAINPOOL_P384_SPKI: &str = "308201b53082014d06072a8648ce3d020130820140020101303c06072a8648ce3d01010231008cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b412b1da197fb71123acd3a729901d1a71874700133107ec53306404307bc382c63d8c150c3c72080ace05afa0c2bea28e4fb22787139165efba91f90f8aa5814a503ad4eb04a8c7dd22ce2826043004a8c7dd22ce28268b39b55416f0447c2fb77de107dcd2a62e880ea53eeb62d57cb4390295dbc9943ab78696fa504c110461041d1c64f068cf45ffa2a63a81b7c13f6b8847a3e77ef14fe3db7fcafe0cbd10e8e826e03436d646aaef87b2e247d4af1e8abe1d7520f9c2a45cb1eb8e95cfd55262b70b29feec5864e19c054ff99129280e4646217791811142820341263c53150231008cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b31f166e6cac0425a7cf3ab6af6b7fc3103b883202e9046565020101036200042960187a1004498a75431661e15b526b20bd6cb420a23a6bcc7e79856aad023ea7f44de183317cda4ea403f9cc66d189588665ecbdb8df7fee18560db1687081ca37bd481fc79d5bbe4f92a605edfc53bc19a1fb88b0659ea7d9160166872a21";
const BRAINPOOL_P384_SIGNATURE: &str = "181a9c91ecf8716977d81c91c8bbbfd7c0942b12698d3d45f6657d13b6559581866e1f427e83d16e82f7362ba5cebf762188a0d0ef0ad29f1910dbcf6ac79752994d493000028ee907769f2de54cd8b1f1209542fa5b22ef5724161bdad8d6fd";

const BRAINPOOL_P512_SPKI: &str = "30820238308201af06072a8648ce3d0201308201a2020101304c06072a8648ce3d0101024100aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca703308717d4d9b009bc66842aecda12ae6a380e62881ff2f2d82c68528aa6056583a48f330818404407830a3318b603b89e2327145ac234cc594cbdd8d3df91610a83441caea9863bc2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a72bf2c7b9e7c1ac4d77fc94ca04403df91610a83441caea9863bc2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a72bf2c7b9e7c1ac4d77fc94cadc083e67984050b75ebae5dd2809bd638016f7230481810481aee4bdd82ed9645a21322e9c4c6a9385ed9f70b5d916c1b43b62eef4d0098eff3b1f78e2d0d48d50d1687b93b97d5f7c6d5047406a5e688b352209bcb9f8227dde385d566332ecc0eabfa9cf7822fdf209f70024a57b1aa000c55b881f8111b2dcde494a5f485e5bca4bd88a2763aed1ca2b2fa8f0540678cd1e0f3ad80892024100aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca70330870553e5c414ca92619418661197fac10471db1d381085ddaddb58796829ca90069020101038182000447f1e9e5c29efc82c598230e397b108cc1a5a80774f91048e3d6e1a0f44128e0ffc25d514e5402d2d16969d3c8d7d5e124867efc9ef40ea26aad74105f850624a117f8af794ec415bee64316470ff578d872283ac96b93c70ba438032ef23919f9422a851acb27c93fe80797b07d601f9f87ac982e3ffe04765100f22ae356d4";
const BRAINPOOL_P512_SIGNATURE: &str = "3e99e4ddbe235ec724496088be898f5846574dada4e764f83ee3df255fbee3dac8a5a7135e2fac63aab5b34d52a814b5da2fa43f9eb72563ceb1d68ac56ab71a08de59cce43b537cbd23363f265246dd41eae653d7a062a24209a8fd90b9acc1b7a3436971fff3857c7b17d22d58f726dac30daa2961818479961e6d868392c6";

const NIST_P256_EXPLICIT_SPKI: &str = "3082014b3082010306072a8648ce3d02013081f7020101302c06072a8648ce3d0101022100ffffffff00000001000000000000000000000000ffffffffffffffffffffffff305b0420ffffffff00000001000000000000000000000000fffffffffffffffffffffffc04205ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b031500c49d360886e704936a6678e1139d26b7819f7e900441046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5022100ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc63255102010103420004e70b4dd10e0ec6edd777bdcce8189630298d6ad7a9037b40135f17d36ac8e8f1a351a36dfb84e1c249ee74e1bd8cb4f9bce5f544aa2845f8da01a923378e6e24";
const NIST_P256_SIGNATURE: &str = "55ec4462eb864088b2b66beb45c4100376fd5a0de87df0f9e181a98c66ac544e8b2ba45d61e20966fc53b0f8fef1724d25a5fb3829ddb3e8523f3885cbe27a47";

const RSA_1024_SPKI: &str = "30819f300d06092a864886f70d010101050003818d0030818902818100d830cf10b5195e1bb3cd6a5b531f16c063f3bc23ab1b790768bf847f5394cf2808edb30bf6d5c423ff4b3294830af6dd73e966139d8ad88c1f2c34f9087a72256f51494b3aa862ae41dcececcbadaa07093b5e0fb203c5dbdcf89c70d38d4a62e88cf724f0554dc477e87b73297cc53c6c5fbe9b78e7ead00c6c8e7303b3ba670203010001";
const RSA_1024_SHA256_SIGNATURE: &str = "907058185380ce992a3644cc4430a789a67252714f2cf577f3d35c149058981248e5bb73d58c955699b302d6729ce3a417500b74a2b6c715d67a53d19e6a89b06f7ab63dfd2efb8c2e88d083575454bd76a865d42b61a3e6ed6559ab1adb0a331bd46d2fab9b9e27326370f6173204854f5881b68aae6c67222da9e675d7b768";

fn bytes(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(&hex[at..at + 2], 16).expect("test vector hex"))
        .collect()
}

fn dg15(spki_hex: &str) -> Vec<u8> {
    tlv::encode(0x6F, &bytes(spki_hex))
}

fn other_challenge() -> [u8; 8] {
    let mut challenge = CHALLENGE;
    challenge[7] ^= 1;
    challenge
}

#[test]
fn brainpool_p256_explicit_parameters_verify() {
    let key = dg15(BRAINPOOL_P256_SPKI);
    let signature = bytes(BRAINPOOL_P256_SIGNATURE);
    assert_eq!(
        active_auth(&key, None, &CHALLENGE, &signature),
        Ok(AaAlgorithm::Ecdsa {
            curve: "brainpoolP256r1"
        })
    );
    assert_eq!(
        active_auth(&key, None, &other_challenge(), &signature),
        Err(AaFailure::SignatureInvalid)
    );
}

#[test]
fn brainpool_p384_explicit_parameters_verify() {
    let key = dg15(BRAINPOOL_P384_SPKI);
    let signature = bytes(BRAINPOOL_P384_SIGNATURE);
    assert_eq!(
        active_auth(&key, None, &CHALLENGE, &signature),
        Ok(AaAlgorithm::Ecdsa {
            curve: "brainpoolP384r1"
        })
    );
    assert_eq!(
        active_auth(&key, None, &other_challenge(), &signature),
        Err(AaFailure::SignatureInvalid)
    );
}

#[test]
fn brainpool_p512_explicit_parameters_verify() {
    let key = dg15(BRAINPOOL_P512_SPKI);
    let signature = bytes(BRAINPOOL_P512_SIGNATURE);
    assert_eq!(
        active_auth(&key, None, &CHALLENGE, &signature),
        Ok(AaAlgorithm::Ecdsa {
            curve: "brainpoolP512r1"
        })
    );
    assert_eq!(
        active_auth(&key, None, &other_challenge(), &signature),
        Err(AaFailure::SignatureInvalid)
    );
}

#[test]
fn nist_p256_explicit_parameters_are_matched_to_p256() {
    let key = dg15(NIST_P256_EXPLICIT_SPKI);
    let signature = bytes(NIST_P256_SIGNATURE);
    assert_eq!(
        active_auth(&key, None, &CHALLENGE, &signature),
        Ok(AaAlgorithm::Ecdsa { curve: "P-256" })
    );
}

#[test]
fn explicit_parameters_of_an_unknown_curve_are_refused() {
    // brainpoolP256r1 with one bit of the coefficient b changed.
    let mut spki = bytes(BRAINPOOL_P256_SPKI);
    let b_at = spki
        .windows(4)
        .position(|window| window == [0x26, 0xdc, 0x5c, 0x6c])
        .expect("coefficient b in the vector");
    spki[b_at + 3] ^= 1;
    let result = active_auth(
        &tlv::encode(0x6F, &spki),
        None,
        &CHALLENGE,
        &bytes(BRAINPOOL_P256_SIGNATURE),
    );
    assert_eq!(
        result.map_err(|failure| failure.code()),
        Err("unsupported_key")
    );
}

#[test]
fn rsa_9796_with_explicit_sha256_trailer_verifies() {
    let key = dg15(RSA_1024_SPKI);
    let signature = bytes(RSA_1024_SHA256_SIGNATURE);
    assert_eq!(
        active_auth(&key, None, &CHALLENGE, &signature),
        Ok(AaAlgorithm::Rsa9796 { bits: 1024 })
    );
    assert_eq!(
        active_auth(&key, None, &other_challenge(), &signature),
        Err(AaFailure::SignatureInvalid)
    );
}
