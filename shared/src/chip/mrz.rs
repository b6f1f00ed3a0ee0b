//! MRZ check digits and the BAC input (ICAO 9303 Part 3 §4.9, Part 11 §9.7).
//!
//! The BAC key is derived from three MRZ fields, each followed by its check
//! digit: document number (padded with `<` to 9), date of birth and date of
//! expiry (both `YYMMDD`).

use thiserror::Error;

/// ICAO check digit: weights 7, 3, 1 repeating; digits count as themselves,
/// `<` as 0, `A`–`Z` as 10–35; the sum modulo 10. `None` for any other
/// character.
pub fn check_digit(field: &str) -> Option<u8> {
    const WEIGHTS: [u32; 3] = [7, 3, 1];
    let mut sum = 0u32;
    for (i, c) in field.chars().enumerate() {
        let value = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'A'..='Z' => c as u32 - 'A' as u32 + 10,
            '<' => 0,
            _ => return None,
        };
        sum += value * WEIGHTS[i % 3];
    }
    Some((sum % 10) as u8)
}

/// A date as the MRZ writes it: two-digit year, month, day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MrzDate {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl MrzDate {
    pub fn new(year: u16, month: u8, day: u8) -> Self {
        MrzDate { year, month, day }
    }

    /// `YYMMDD`.
    pub fn yymmdd(&self) -> String {
        format!("{:02}{:02}{:02}", self.year % 100, self.month, self.day)
    }
}

/// Why a BAC input cannot be formed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MrzError {
    #[error("document number must be 1 to 9 characters of 0-9, A-Z or <")]
    BadDocumentNumber,
}

/// What the BAC key is derived from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BacInput {
    /// Up to 9 characters; padded with `<` when shorter.
    pub document_number: String,
    pub birth: MrzDate,
    pub expiry: MrzDate,
}

impl BacInput {
    pub fn new(document_number: &str, birth: MrzDate, expiry: MrzDate) -> Result<Self, MrzError> {
        let ok = !document_number.is_empty()
            && document_number.len() <= 9
            && check_digit(document_number).is_some();
        if !ok {
            return Err(MrzError::BadDocumentNumber);
        }
        Ok(BacInput {
            document_number: document_number.to_string(),
            birth,
            expiry,
        })
    }

    /// `MRZ_information`: the three fields, each followed by its check digit.
    pub fn mrz_information(&self) -> String {
        let doc = format!("{:<<9}", self.document_number);
        let mut out = String::with_capacity(24);
        for field in [doc, self.birth.yymmdd(), self.expiry.yymmdd()] {
            let cd = check_digit(&field).expect("fields are validated MRZ characters");
            out.push_str(&field);
            out.push(char::from(b'0' + cd));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icao_appendix_d_mrz_information() {
        let input = BacInput::new(
            "L898902C",
            MrzDate::new(1969, 8, 6),
            MrzDate::new(1994, 6, 23),
        )
        .unwrap();
        assert_eq!(input.mrz_information(), "L898902C<369080619406236");
    }

    #[test]
    fn synthetic_vietnamese_mrz_information() {
        // ID 001203012345: the document number is its last 9 digits.
        let input = BacInput::new(
            "203012345",
            MrzDate::new(2003, 5, 14),
            MrzDate::new(2028, 5, 14),
        )
        .unwrap();
        assert_eq!(input.mrz_information(), "203012345003051412805140");
    }

    #[test]
    fn check_digits() {
        assert_eq!(check_digit("L898902C<"), Some(3));
        assert_eq!(check_digit("690806"), Some(1));
        assert_eq!(check_digit("ab"), None);
        assert!(BacInput::new("", MrzDate::new(2000, 1, 1), MrzDate::new(2025, 1, 1)).is_err());
        assert!(
            BacInput::new(
                "1234567890",
                MrzDate::new(2000, 1, 1),
                MrzDate::new(2025, 1, 1)
            )
            .is_err()
        );
    }
}
