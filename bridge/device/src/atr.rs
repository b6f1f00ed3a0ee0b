//! The answer-to-reset a contactless card is reported with.
//!
//! A contactless card has no ATR; PC/SC (part 3, "ATR for contactless
//! ICCs") defines one from what the card did say, and the page expects
//! that form (`3B 80 80 01 01` for a card with no historical bytes):
//!
//! ```text
//! 3B  8n  80  01  historical bytes (n of them)  TCK
//! ```
//!
//! For ISO 14443-4 type A the historical bytes are the ATS's; for type B
//! they are the ATQB's application data (4 bytes), its protocol info
//! (3 bytes) and the ATTRIB response's MBLI in the high nibble of an eighth.
//! TCK makes the XOR of every byte after `3B` zero.

use alloc::vec::Vec;

/// Why an ATS could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadAts;

/// The historical bytes of a type A card's ATS (`TL T0 [TA] [TB] [TC] T1..Tk`).
pub fn ats_historical_bytes(ats: &[u8]) -> Result<&[u8], BadAts> {
    let (&length, rest) = ats.split_first().ok_or(BadAts)?;
    let length = length as usize;
    if length == 0 || length > ats.len() {
        return Err(BadAts);
    }
    let body = &rest[..length - 1];
    let Some((&format, after_format)) = body.split_first() else {
        // TL = 1: no format byte, no historical bytes.
        return Ok(&[]);
    };
    let interface_bytes = [0x10, 0x20, 0x40]
        .iter()
        .filter(|&&bit| format & bit != 0)
        .count();
    after_format.get(interface_bytes..).ok_or(BadAts)
}

/// The PC/SC ATR of a type A card, from its ATS.
pub fn type_a(ats: &[u8]) -> Result<Vec<u8>, BadAts> {
    let historical = ats_historical_bytes(ats)?;
    // At most 15 historical bytes fit T0's low nibble; PC/SC keeps the first 15.
    Ok(with_historical_bytes(
        &historical[..historical.len().min(15)],
    ))
}

/// The PC/SC ATR of a type B card, from its ATQB (`50 PUPI(4) app(4)
/// protocol(3)`, 12 bytes) and the MBLI of its ATTRIB response.
pub fn type_b(atqb: &[u8], mbli: u8) -> Result<Vec<u8>, BadAts> {
    if atqb.len() < 12 {
        return Err(BadAts);
    }
    let mut historical = Vec::with_capacity(8);
    historical.extend_from_slice(&atqb[5..12]);
    historical.push((mbli & 0x0F) << 4);
    Ok(with_historical_bytes(&historical))
}

fn with_historical_bytes(historical: &[u8]) -> Vec<u8> {
    let mut atr = Vec::with_capacity(historical.len() + 5);
    atr.extend_from_slice(&[0x3B, 0x80 | historical.len() as u8, 0x80, 0x01]);
    atr.extend_from_slice(historical);
    let check = atr[1..].iter().fold(0, |check, byte| check ^ byte);
    atr.push(check);
    atr
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_without_historical_bytes_has_the_pages_example_atr() {
        // TL 5, T0 78 (TA, TB, TC present, FSCI 8), TA 80, TB 70, TC 02.
        let ats = [0x05, 0x78, 0x80, 0x70, 0x02];
        assert_eq!(type_a(&ats).unwrap(), [0x3B, 0x80, 0x80, 0x01, 0x01]);
    }

    #[test]
    fn historical_bytes_follow_the_interface_bytes() {
        // T0 without TB: two interface bytes, then "ePass".
        let ats = [0x09, 0x58, 0x80, 0x02, b'e', b'P', b'a', b's', b's'];
        assert_eq!(ats_historical_bytes(&ats).unwrap(), b"ePass");
        let atr = type_a(&ats).unwrap();
        assert_eq!(&atr[..4], [0x3B, 0x85, 0x80, 0x01]);
        assert_eq!(&atr[4..9], b"ePass");
        assert_eq!(atr[1..].iter().fold(0, |x, b| x ^ b), 0, "TCK");
    }

    #[test]
    fn a_type_b_card_reports_its_application_data() {
        let atqb = [0x50, 1, 2, 3, 4, 0xA1, 0xA2, 0xA3, 0xA4, 0x80, 0x81, 0x71];
        let atr = type_b(&atqb, 0x3).unwrap();
        assert_eq!(
            atr[..12],
            [
                0x3B, 0x88, 0x80, 0x01, 0xA1, 0xA2, 0xA3, 0xA4, 0x80, 0x81, 0x71, 0x30
            ]
        );
        assert_eq!(atr[1..].iter().fold(0, |x, b| x ^ b), 0);
    }

    #[test]
    fn truncated_answers_are_refused() {
        assert_eq!(type_a(&[]), Err(BadAts));
        assert_eq!(type_a(&[0x06, 0x78, 0x80]), Err(BadAts));
        assert_eq!(
            type_a(&[0x02, 0x70]),
            Err(BadAts),
            "TA TB TC announced, none there"
        );
        assert_eq!(type_b(&[0x50; 11], 0), Err(BadAts));
    }
}
