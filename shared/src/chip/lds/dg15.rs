//! DG15: the chip's active-authentication public key (ICAO 9303 Part 11
//! §6.1): `6F L { SubjectPublicKeyInfo }`. Only the DER bytes are taken
//! here; what key they hold is for the verifier (feature `verify`).

use thiserror::Error;

use super::DG15;
use crate::chip::tlv::{self, TlvError};

/// Why DG15 gives no key.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Dg15Error {
    #[error("DG15 is not well-formed TLV: {0}")]
    Tlv(#[from] TlvError),
}

/// The DER SubjectPublicKeyInfo in DG15 (tag 6F and all), checked to be
/// exactly one SEQUENCE.
pub fn parse(dg15: &[u8]) -> Result<Vec<u8>, Dg15Error> {
    let group = tlv::read_only(dg15, u32::from(DG15.tag))?;
    let key = tlv::read_only(group.value, 0x30)?;
    Ok(key.raw.to_vec())
}

/// DG15 holding `spki_der`.
pub fn encode(spki_der: &[u8]) -> Vec<u8> {
    tlv::encode(u32::from(DG15.tag), spki_der)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chip::lds::build::dg15;
    use proptest::prelude::*;

    #[test]
    fn takes_the_key_and_refuses_extra_bytes() {
        let spki = tlv::encode(
            0x30,
            &[
                tlv::encode(0x30, &[0x06, 0x01, 0x2A]),
                tlv::encode(0x03, &[0, 1]),
            ]
            .concat(),
        );
        assert_eq!(parse(&dg15(&spki)).unwrap(), spki);
        let mut trailing = spki.clone();
        trailing.push(0);
        assert_eq!(
            parse(&dg15(&trailing)),
            Err(Dg15Error::Tlv(TlvError::Trailing(1)))
        );
        assert!(matches!(
            parse(&dg15(&[0x04, 0x00])),
            Err(Dg15Error::Tlv(TlvError::UnexpectedTag { .. }))
        ));
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..100)) {
            let _ = parse(&bytes);
            let _ = parse(&dg15(&bytes));
        }

        #[test]
        fn round_trip(body in proptest::collection::vec(any::<u8>(), 0..300)) {
            let spki = tlv::encode(0x30, &body);
            prop_assert_eq!(parse(&dg15(&spki)).unwrap(), spki);
        }
    }
}
