//! ICAO 9303-11 Appendix G.1, the worked example of PACE with generic
//! mapping (ECDH on brainpoolP256r1, AES-128, the MRZ as password), step by
//! step through the same functions the terminal and the chip use; then the
//! two sides against each other on every curve and cipher, and a wrong
//! password.

use super::chip::PaceChip;
use super::curve::StandardCurve;
use super::info::PaceInfo;
use super::keys::{Cipher, Password};
use super::terminal::{PaceError, PaceStep, PaceTerminal};
use crate::chip::apdu::{Command, Response};
use crate::chip::crypto::hex;

const MRZ_INFORMATION: &str = "T22000129364081251010318";

fn g1() -> PaceInfo {
    PaceInfo {
        cipher: Cipher::Aes128,
        curve: StandardCurve::BrainpoolP256r1,
    }
}

fn point(x: &str, y: &str) -> Vec<u8> {
    [vec![0x04], hex(x), hex(y)].concat()
}

#[test]
fn appendix_g1_generic_mapping_step_by_step() {
    let info = g1();
    let curve = info.curve;
    let cipher = info.cipher;
    let password = Password::Mrz(MRZ_INFORMATION.into());
    assert_eq!(
        password.k_pi(cipher),
        hex("89DED1B2 6624EC1E 634C1989 302849DD")
    );

    // The chip's encrypted nonce, decrypted.
    let nonce = cipher
        .decrypt_nonce(
            &password.k_pi(cipher),
            &hex("95A3A016 522EE98D 01E76CB6 B98B42C3"),
        )
        .unwrap();
    assert_eq!(nonce, hex("3F00C4D3 9D153F2B 2A214A07 8D899B22"));
    assert_eq!(
        cipher.encrypt_nonce(&password.k_pi(cipher), &nonce),
        hex("95A3A016 522EE98D 01E76CB6 B98B42C3")
    );

    // Mapping: both sides reach the same H, then G' = s·G + H.
    let terminal_map_secret =
        hex("7F4EF07B 9EA82FD7 8AD689B3 8D0BC78C F21F249D 953BC46F 4C6E1925 9C010F99");
    let chip_map_secret =
        hex("498FF497 56F2DC15 87840041 839A8598 2BE7761D 14715FB0 91EFA7BC E9058560");
    let terminal_map_public = curve.public_key(&terminal_map_secret).unwrap();
    assert_eq!(
        terminal_map_public,
        point(
            "7ACF3EFC 982EC455 65A4B155 129EFBC7 4650DCBF A6362D89 6FC70262 E0C2CC5E",
            "544552DC B6725218 799115B5 5C9BAA6D 9F6BC3A9 618E70C2 5AF71777 A9C4922D"
        )
    );
    let chip_map_public = curve.public_key(&chip_map_secret).unwrap();
    assert_eq!(
        chip_map_public,
        point(
            "824FBA91 C9CBE26B EF53A0EB E7342A3B F178CEA9 F45DE0B7 0AA60165 1FBA3F57",
            "30D8C879 AAA9C9F7 3991E61B 58F4D52E B87A0A0C 709A49DC 63719363 CCD13C54"
        )
    );
    let shared = curve
        .multiply(&chip_map_public, &terminal_map_secret)
        .unwrap();
    assert_eq!(
        shared,
        point(
            "60332EF2 450B5D24 7EF6D386 8397D398 852ED6E8 CAF6FFEE F6BF85CA 57057FD5",
            "0840CA74 15BAF3E4 3BD414D3 5AA4608B 93A2CAF3 A4E3EA4E 82C9C13D 03EB7181"
        )
    );
    assert_eq!(
        curve
            .multiply(&terminal_map_public, &chip_map_secret)
            .unwrap(),
        shared
    );
    let generator = curve.map_generator(&nonce, &shared).unwrap();
    assert_eq!(
        generator,
        point(
            "8CED63C9 1426D4F0 EB1435E7 CB1D74A4 6723A0AF 21C89634 F65A9AE8 7A9265E2",
            "8C879506 743F8611 AC33645C 5B985C80 B5F09A0B 83407C1B 6A4D857A E76FE522"
        )
    );

    // Key agreement on G'.
    let terminal_secret =
        hex("A73FB703 AC1436A1 8E0CFA5A BB3F7BEC 7A070E7A 6788486B EE230C4A 22762595");
    let chip_secret =
        hex("107CF586 96EF6155 053340FD 633392BA 81909DF7 B9706F22 6F32086C 7AFF974A");
    let terminal_public = curve.multiply(&generator, &terminal_secret).unwrap();
    assert_eq!(
        terminal_public,
        point(
            "2DB7A64C 0355044E C9DF1905 14C625CB A2CEA487 54887122 F3A5EF0D 5EDD301C",
            "3556F3B3 B186DF10 B857B58F 6A7EB80F 20BA5DC7 BE1D43D9 BF850149 FBB36462"
        )
    );
    let chip_public = curve.multiply(&generator, &chip_secret).unwrap();
    assert_eq!(
        chip_public,
        point(
            "9E880F84 2905B8B3 181F7AF7 CAA9F0EF B743847F 44A306D2 D28C1D9E C65DF6DB",
            "7764B222 77A2EDDC 3C265A9F 018F9CB8 52E111B7 68B32690 4B59A019 3776F094"
        )
    );
    let k = curve.x_coordinate(&curve.multiply(&chip_public, &terminal_secret).unwrap());
    assert_eq!(
        k,
        hex("28768D20 701247DA E81804C9 E780EDE5 82A9996D B4A31502 0B273319 7DB84925")
    );
    assert_eq!(
        curve.x_coordinate(&curve.multiply(&terminal_public, &chip_secret).unwrap()),
        k
    );

    // The tokens each side sends.
    let channel = cipher.channel(&k);
    let oid = info.oid();
    assert_eq!(oid, hex("04007F00 07020204 0202"));
    assert_eq!(
        cipher.token(channel.k_mac(), &oid, &chip_public).to_vec(),
        hex("C2B0BD78 D94BA866")
    );
    assert_eq!(
        cipher
            .token(channel.k_mac(), &oid, &terminal_public)
            .to_vec(),
        hex("3ABB9674 BCE93C08")
    );
}

/// A counter-based random stream, different per seed.
fn stream(seed: u8) -> impl FnMut(&mut [u8]) {
    let mut state = u64::from(seed).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    move |out: &mut [u8]| {
        for byte in out.iter_mut() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            *byte = state as u8;
        }
    }
}

/// Runs the terminal against the chip; returns both channels.
fn run(
    info: PaceInfo,
    terminal_password: Password,
    chip_password: Password,
) -> Result<
    (
        crate::chip::sm::SecureChannel,
        crate::chip::sm::SecureChannel,
    ),
    PaceError,
> {
    let mut terminal = PaceTerminal::new(info, terminal_password);
    let mut chip = PaceChip::new(vec![info], vec![chip_password]);
    let mut terminal_random = stream(1);
    let mut chip_random = stream(2);
    let mut command: Command = terminal.start();
    let mut chip_channel = None;
    loop {
        // Through the wire format both ways, as the bridge carries them.
        let (parsed, _) = Command::parse(&command.encode(false).unwrap()).unwrap();
        let answer = chip.on_command(&parsed, &mut chip_random);
        if answer.established.is_some() {
            chip_channel = answer.established;
        }
        let response = Response::parse(&answer.response.encode()).unwrap();
        match terminal.on_response(&response, &mut terminal_random)? {
            PaceStep::Send(next) => command = next,
            PaceStep::Established(channel) => return Ok((channel, chip_channel.unwrap())),
        }
    }
}

#[test]
fn terminal_and_chip_agree_on_every_curve_and_cipher() {
    for curve in StandardCurve::ALL {
        for cipher in [Cipher::Tdes, Cipher::Aes128, Cipher::Aes192, Cipher::Aes256] {
            let info = PaceInfo { cipher, curve };
            let can = || Password::Can("345678".into());
            let (mut terminal, mut chip) = run(info, can(), can())
                .unwrap_or_else(|e| panic!("{} {cipher:?}: {e}", curve.name()));
            // The channel carries a protected READ BINARY and its answer.
            let read = Command::new(0x00, 0xB0, 0x9E, 0x00).with_le(4);
            let (seen, _) = chip
                .card_unprotect(&terminal.protect(&read).unwrap())
                .unwrap();
            assert_eq!(seen, read);
            let answer = chip.card_protect(&Response::new(vec![0x60, 0x02, 0x5F, 0x01], 0x9000));
            assert_eq!(
                terminal.unprotect(&answer).unwrap().data,
                [0x60, 0x02, 0x5F, 0x01]
            );
        }
    }
}

#[test]
fn a_wrong_access_number_is_refused_as_such() {
    let info = PaceInfo {
        cipher: Cipher::Aes128,
        curve: StandardCurve::BrainpoolP256r1,
    };
    assert_eq!(
        run(
            info,
            Password::Can("345679".into()),
            Password::Can("345678".into())
        )
        .unwrap_err(),
        PaceError::WrongPassword
    );
    // An MRZ where the chip expects a CAN: refused at MSE:Set AT.
    assert!(matches!(
        run(
            info,
            Password::Mrz(MRZ_INFORMATION.into()),
            Password::Can("345678".into())
        ),
        Err(PaceError::Refused { .. })
    ));
}
