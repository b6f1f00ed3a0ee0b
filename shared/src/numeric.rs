//! Short numeric answers (Part III of the 2025 format): parsing what a
//! student typed and comparing it with the key, exactly.
//!
//! Accepted: an optional sign, digits, and at most one decimal separator,
//! comma (the Vietnamese way) or point: `-1,5`, `2.50`, `+3`, `,5`, `7.`.
//! Surrounding white space (any Unicode white space) is ignored; nothing
//! else is. At most [`MAX_DIGITS`] digits, leading zeros included. The
//! grammar is written out in `docs/protocol.md`. Values are kept as an
//! integer and a power of ten ([`Decimal`]), so `2.50` equals `2.5` and no
//! binary rounding ever decides whether an answer is right.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Most digits accepted (the answer grid has a handful of cells; this only
/// bounds the arithmetic).
pub const MAX_DIGITS: usize = 15;

/// `mantissa · 10^(−scale)`, exactly. In JSON it is the text a person
/// would write (`"-1,5"`), parsed by the same rules as a student's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Decimal {
    pub mantissa: i64,
    pub scale: u32,
}

/// Why a typed answer is not a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NumericError {
    #[error("the answer is empty")]
    Empty,
    #[error("more than one decimal separator")]
    SeveralSeparators,
    #[error("'{0}' is not a digit, sign or decimal separator")]
    InvalidChar(char),
    #[error("a sign may only come first")]
    MisplacedSign,
    #[error("no digits")]
    NoDigits,
    #[error("more than {MAX_DIGITS} digits")]
    TooLong,
}

impl Decimal {
    pub fn parse(typed: &str) -> Result<Decimal, NumericError> {
        let text = typed.trim();
        if text.is_empty() {
            return Err(NumericError::Empty);
        }
        let (negative, body) = match text.as_bytes()[0] {
            b'-' => (true, &text[1..]),
            b'+' => (false, &text[1..]),
            _ => (false, text),
        };
        let mut mantissa: i64 = 0;
        let mut digits = 0usize;
        let mut scale: Option<u32> = None;
        for c in body.chars() {
            match c {
                '0'..='9' => {
                    digits += 1;
                    if digits > MAX_DIGITS {
                        return Err(NumericError::TooLong);
                    }
                    mantissa = mantissa * 10 + i64::from(c as u8 - b'0');
                    if let Some(s) = scale.as_mut() {
                        *s += 1;
                    }
                }
                ',' | '.' if scale.is_some() => return Err(NumericError::SeveralSeparators),
                ',' | '.' => scale = Some(0),
                '+' | '-' => return Err(NumericError::MisplacedSign),
                other => return Err(NumericError::InvalidChar(other)),
            }
        }
        if digits == 0 {
            return Err(NumericError::NoDigits);
        }
        Ok(Decimal {
            mantissa: if negative { -mantissa } else { mantissa },
            scale: scale.unwrap_or(0),
        })
    }

    /// Whether `self` is within `tolerance` (inclusive) of `key`, compared
    /// over a common power of ten. Scales are at most [`MAX_DIGITS`], so the
    /// products stay far inside i128.
    pub fn matches(self, key: Decimal, tolerance: Decimal) -> bool {
        let scale = self.scale.max(key.scale).max(tolerance.scale);
        let lift = |d: Decimal| i128::from(d.mantissa) * 10i128.pow(scale - d.scale);
        (lift(self) - lift(key)).abs() <= lift(tolerance).abs()
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Decimal::parse(&text).map_err(|e| serde::de::Error::custom(format!("{text:?}: {e}")))
    }
}

impl std::fmt::Display for Decimal {
    /// With a decimal comma, as Vietnamese papers write it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.mantissa < 0 { "-" } else { "" };
        let abs = self.mantissa.unsigned_abs().to_string();
        let scale = self.scale as usize;
        if scale == 0 {
            return write!(f, "{sign}{abs}");
        }
        let padded = format!("{abs:0>width$}", width = scale + 1);
        let (int, frac) = padded.split_at(padded.len() - scale);
        write!(f, "{sign}{int},{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn accepts_signs_commas_and_points() {
        assert_eq!(
            d("-1,5"),
            Decimal {
                mantissa: -15,
                scale: 1
            }
        );
        assert_eq!(
            d("2.50"),
            Decimal {
                mantissa: 250,
                scale: 2
            }
        );
        assert_eq!(
            d("+3"),
            Decimal {
                mantissa: 3,
                scale: 0
            }
        );
        assert_eq!(
            d(" ,5 "),
            Decimal {
                mantissa: 5,
                scale: 1
            }
        );
        assert_eq!(
            d("7."),
            Decimal {
                mantissa: 7,
                scale: 0
            }
        );
        assert_eq!(
            d("-0"),
            Decimal {
                mantissa: 0,
                scale: 0
            }
        );
    }

    #[test]
    fn rejects_with_a_reason() {
        assert_eq!(
            Decimal::parse("1,2,3"),
            Err(NumericError::SeveralSeparators)
        );
        assert_eq!(
            Decimal::parse("1.2,3"),
            Err(NumericError::SeveralSeparators)
        );
        assert_eq!(Decimal::parse(""), Err(NumericError::Empty));
        assert_eq!(Decimal::parse("  "), Err(NumericError::Empty));
        assert_eq!(Decimal::parse("-"), Err(NumericError::NoDigits));
        assert_eq!(Decimal::parse(","), Err(NumericError::NoDigits));
        assert_eq!(Decimal::parse("1-2"), Err(NumericError::MisplacedSign));
        assert_eq!(Decimal::parse("--1"), Err(NumericError::MisplacedSign));
        assert_eq!(Decimal::parse("1e3"), Err(NumericError::InvalidChar('e')));
        assert_eq!(Decimal::parse("1 000"), Err(NumericError::InvalidChar(' ')));
        assert_eq!(Decimal::parse(&"9".repeat(16)), Err(NumericError::TooLong));
    }

    /// The examples `docs/protocol.md` gives for the answer grammar.
    #[test]
    fn the_documented_grammar() {
        for (typed, mantissa, scale) in [
            ("-1,5", -15, 1),
            ("2.50", 250, 2),
            ("+2", 2, 0),
            (".5", 5, 1),
            ("5.", 5, 0),
            (" 2 ", 2, 0),
            ("\t2\u{a0}", 2, 0),
            ("-0", 0, 0),
            ("007", 7, 0),
        ] {
            assert_eq!(d(typed), Decimal { mantissa, scale }, "{typed:?}");
        }
        for typed in [
            "", " ", "-", ",", "1,2,3", "1 000", "1e3", "--1", "+-1", "1-", "½", "٣", "0x10", "１",
        ] {
            assert!(Decimal::parse(typed).is_err(), "{typed:?} accepted");
        }
        assert!(Decimal::parse(&"0".repeat(MAX_DIGITS)).is_ok());
        assert_eq!(
            Decimal::parse(&format!("0{}", "9".repeat(MAX_DIGITS))),
            Err(NumericError::TooLong),
            "leading zeros count"
        );
    }

    #[test]
    fn compares_numerically_and_exactly() {
        let zero = d("0");
        assert!(d("2.50").matches(d("2,5"), zero));
        assert!(d("-1,5").matches(d("-1.50"), zero));
        assert!(!d("1,5").matches(d("-1,5"), zero));
        assert!(d("0.1").matches(d("0,10"), zero));
        // Tolerance is inclusive and exact: 3.14 is within 0.01 of 3.15.
        assert!(d("3.14").matches(d("3.15"), d("0.01")));
        assert!(!d("3.139").matches(d("3.15"), d("0.01")));
        assert!(d("12").matches(d("12.4"), d("0,5")));
    }

    #[test]
    fn displays_with_a_decimal_comma() {
        assert_eq!(d("-1.5").to_string(), "-1,5");
        assert_eq!(d(",05").to_string(), "0,05");
        assert_eq!(d("+3").to_string(), "3");
    }
}
