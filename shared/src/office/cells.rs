//! Reading typed roster values out of spreadsheet cells, tolerating what
//! Excel does to them: numbers that were codes (leading zeros lost),
//! dates stored as serials, text with stray spaces.

use super::dates::{Date, DateError};
use super::names::{fold, nfc};
use super::sheet::Cell;
use crate::chip::id_card::province_name;

/// The cell as cleaned text, `None` when blank.
pub(crate) fn text(cell: &Cell) -> Option<String> {
    let text = nfc(&cell.as_text());
    (!text.is_empty()).then_some(text)
}

/// A code kept as text (candidate number, learner ID): a whole number
/// without its ".0", text as typed minus Excel's text-forcing apostrophe.
pub(crate) fn code(cell: &Cell) -> Option<String> {
    let text = text(cell)?;
    let text = text.strip_prefix('\'').unwrap_or(&text).trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// Whether an "STT" cell holds a row number (1, "1", "1.").
pub(crate) fn is_row_number(cell: &Cell) -> bool {
    match cell {
        Cell::Number(n) => n.is_finite() && n.fract() == 0.0,
        Cell::Text(t) => {
            let t = nfc(t);
            let t = t.strip_suffix('.').unwrap_or(&t);
            !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

/// What was read from a personal-ID cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum IdRead {
    Blank,
    /// Twelve digits as written.
    Digits(String),
    /// Leading zeros restored: Excel stored the ID as a number.
    Padded {
        id: String,
        read: String,
    },
    /// Not an ID; the reason.
    Bad(String),
}

/// Reads a 12-digit personal ID. Every province code starts with 0, so
/// Excel turns nearly every ID typed into a number cell into 11 digits
/// (10 for provinces 001–009, e.g. Hà Nội): those are padded back, a
/// 10-digit one only when the padded province exists.
pub(crate) fn person_id(cell: &Cell) -> IdRead {
    let digits = match cell {
        Cell::Number(n) => {
            if !n.is_finite() || *n < 0.0 || n.fract() != 0.0 || *n >= 1e12 {
                return IdRead::Bad(format!("{n} is not a 12-digit number"));
            }
            format!("{}", *n as u64)
        }
        Cell::Text(_) => {
            let Some(raw) = text(cell) else {
                return IdRead::Blank;
            };
            let raw = raw.strip_prefix('\'').unwrap_or(&raw);
            let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
            if compact.contains(['e', 'E']) && compact.parse::<f64>().is_ok() {
                return IdRead::Bad(format!(
                    "{compact} is in scientific notation, which has lost digits; \
                     format the column as Text and export again"
                ));
            }
            // Converters that read the number cell as a float write "….0".
            let compact = match compact.strip_suffix(".0") {
                Some(whole) if whole.bytes().all(|b| b.is_ascii_digit()) => whole.to_owned(),
                _ => compact,
            };
            if !compact.bytes().all(|b| b.is_ascii_digit()) {
                return IdRead::Bad(format!(
                    "{compact} contains characters other than the digits 0-9"
                ));
            }
            compact
        }
        Cell::Empty => return IdRead::Blank,
        Cell::Date { .. } | Cell::Bool(_) => {
            return IdRead::Bad(format!("{} is not a 12-digit number", cell.as_text()));
        }
    };
    match digits.len() {
        12 => IdRead::Digits(digits),
        11 => IdRead::Padded {
            id: format!("0{digits}"),
            read: digits,
        },
        10 if padded_province_exists(&digits) => IdRead::Padded {
            id: format!("00{digits}"),
            read: digits,
        },
        n => IdRead::Bad(format!("{digits} has {n} digits, a personal ID has 12")),
    }
}

fn padded_province_exists(ten: &str) -> bool {
    ten[..1]
        .parse::<u16>()
        .is_ok_and(|code| province_name(code).is_some())
}

/// A birth date from a date cell, an Excel serial left in a number cell,
/// or text; `None` when blank.
pub(crate) fn birth(cell: &Cell) -> Result<Option<Date>, DateError> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Date { serial } | Cell::Number(serial) => Date::from_excel_serial(*serial).map(Some),
        Cell::Text(_) => {
            let Some(text) = text(cell) else {
                return Ok(None);
            };
            // A date column saved to CSV without its format writes serials.
            if text.len() <= 6 && text.bytes().all(|b| b.is_ascii_digit()) {
                let serial: f64 = text
                    .parse()
                    .map_err(|_| DateError::Unreadable { text: text.clone() })?;
                return Date::from_excel_serial(serial).map(Some);
            }
            Date::parse_text(&text).map(Some)
        }
        Cell::Bool(_) => Err(DateError::Unreadable {
            text: cell.as_text(),
        }),
    }
}

/// A seat or machine number: a positive whole number, also written
/// "Máy 05" or "Ghế 5"; `None` when blank.
pub(crate) fn seat(cell: &Cell) -> Result<Option<u32>, String> {
    let bad = |shown: &str| Err(format!("{shown} is not a seat number (1, 2, 3, …)"));
    match cell {
        Cell::Number(n) => {
            if n.fract() == 0.0 && *n >= 1.0 && *n <= f64::from(u32::MAX) {
                Ok(Some(*n as u32))
            } else {
                bad(&cell.as_text())
            }
        }
        Cell::Text(_) => {
            let Some(shown) = text(cell) else {
                return Ok(None);
            };
            let folded = fold(&shown);
            let number = ["so may", "may so", "may", "so ghe", "ghe", "vi tri", "seat"]
                .iter()
                .find_map(|prefix| folded.strip_prefix(prefix).map(str::trim))
                .unwrap_or(&folded);
            match number.parse::<u32>() {
                Ok(n) if n >= 1 => Ok(Some(n)),
                _ => bad(&shown),
            }
        }
        Cell::Empty => Ok(None),
        _ => bad(&cell.as_text()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_ids_lose_and_regain_leading_zeros() {
        assert_eq!(
            person_id(&Cell::Text(" 079 208 001234 ".into())),
            IdRead::Digits("079208001234".into())
        );
        // 7.9208001234E+10 as Excel shows it; the stored float is exact.
        assert_eq!(
            person_id(&Cell::Number(7.9208001234e10)),
            IdRead::Padded {
                id: "079208001234".into(),
                read: "79208001234".into()
            }
        );
        assert_eq!(
            person_id(&Cell::Text("79208001234.0".into())),
            IdRead::Padded {
                id: "079208001234".into(),
                read: "79208001234".into()
            }
        );
        // Hà Nội (001) loses two zeros.
        assert_eq!(
            person_id(&Cell::Number(1_208_001_234.0)),
            IdRead::Padded {
                id: "001208001234".into(),
                read: "1208001234".into()
            }
        );
        // Province 003 does not exist: no guess.
        assert!(matches!(
            person_id(&Cell::Number(3_208_001_234.0)),
            IdRead::Bad(_)
        ));
        assert!(matches!(
            person_id(&Cell::Text("7.92080E+10".into())),
            IdRead::Bad(why) if why.contains("scientific")
        ));
        assert!(matches!(
            person_id(&Cell::Text("07920800123A".into())),
            IdRead::Bad(_)
        ));
        assert_eq!(person_id(&Cell::Text("\u{a0}".into())), IdRead::Blank);
    }

    #[test]
    fn codes_keep_zeros_and_drop_float_tails() {
        assert_eq!(code(&Cell::Number(1234.0)), Some("1234".into()));
        assert_eq!(code(&Cell::Text("0012".into())), Some("0012".into()));
        assert_eq!(code(&Cell::Text("'0012".into())), Some("0012".into()));
        assert_eq!(code(&Cell::Empty), None);
    }

    #[test]
    fn births_from_every_cell_kind() {
        let want = Date::new(2008, 1, 1).unwrap();
        assert_eq!(birth(&Cell::Date { serial: 39448.0 }), Ok(Some(want)));
        assert_eq!(birth(&Cell::Number(39448.0)), Ok(Some(want)));
        assert_eq!(birth(&Cell::Text("39448".into())), Ok(Some(want)));
        assert_eq!(birth(&Cell::Text("1-1-2008".into())), Ok(Some(want)));
        assert_eq!(birth(&Cell::Empty), Ok(None));
        assert!(birth(&Cell::Bool(true)).is_err());
    }

    #[test]
    fn seats_and_row_numbers() {
        assert_eq!(seat(&Cell::Number(5.0)), Ok(Some(5)));
        assert_eq!(seat(&Cell::Text("Máy 05".into())), Ok(Some(5)));
        assert_eq!(seat(&Cell::Text("12".into())), Ok(Some(12)));
        assert!(seat(&Cell::Text("0".into())).is_err());
        assert!(seat(&Cell::Number(2.5)).is_err());
        assert!(seat(&Cell::Text("cửa sổ".into())).is_err());
        assert!(is_row_number(&Cell::Number(3.0)));
        assert!(is_row_number(&Cell::Text("3.".into())));
        assert!(!is_row_number(&Cell::Text("Tổng số: 30 học sinh".into())));
        assert!(!is_row_number(&Cell::Empty));
    }
}
