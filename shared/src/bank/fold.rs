//! Text as the bank compares it.
//!
//! - [`fold`]: for search when the teacher asks to ignore diacritics — lower
//!   case, no tone or vowel marks, đ → d, punctuation as spaces.
//! - [`duplicate_key`]: two questions are the same question when their text
//!   and options are equal after NFC, case folding and white space (inside
//!   TeX too: `\(x^2 +1\)` and `\( x^2+1 \)` are one formula).

use crate::exam::Body;

/// Search form with diacritics ignored: "Phương trình" → "phuong trinh".
pub fn fold(text: &str) -> String {
    crate::office::names::fold(text)
}

/// Search form that keeps diacritics: NFC, lower case, single spaces.
pub fn exact(text: &str) -> String {
    crate::office::names::nfc(text).to_lowercase()
}

/// Whether `haystack` contains every word of `query`, with diacritics
/// ignored when `ignore_diacritics` (then "phuong trinh" finds "phương
/// trình"; otherwise "phương" does not find "phuong").
pub fn matches(haystack: &str, query: &str, ignore_diacritics: bool) -> bool {
    let norm = if ignore_diacritics { fold } else { exact };
    let hay = norm(haystack);
    norm(query)
        .split_whitespace()
        .all(|word| hay.contains(word))
}

/// The key under which imported questions are duplicates of each other.
pub fn duplicate_key(text: &str, body: &Body) -> String {
    let mut key = squeeze(text);
    for option in body.options() {
        key.push('\u{1f}');
        key.push_str(&squeeze(option));
    }
    if let Body::TrueFalse { statements, .. } = body {
        for statement in statements {
            key.push('\u{1e}');
            key.push_str(&squeeze(statement));
        }
    }
    key
}

/// NFC, lower case, no white space at all (spacing never makes two
/// questions different).
fn squeeze(text: &str) -> String {
    exact(text).chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::OptionId;

    #[test]
    fn search_ignores_diacritics_only_when_asked() {
        let text = "Giải phương trình \\(x^2 - 1 = 0\\)";
        assert!(matches(text, "phuong trinh", true));
        assert!(matches(text, "PHƯƠNG", false));
        assert!(!matches(text, "phuong trinh", false));
        assert!(!matches(text, "bất phương trình", true));
    }

    #[test]
    fn duplicates_differ_only_in_spacing_case_or_unicode_form() {
        let body = |a: &str| Body::SingleChoice {
            options: vec![a.into(), "2".into()],
            key: OptionId(0),
            pinned: vec![],
        };
        let nfd = "Gia\u{301} tri\u{323} cu\u{309}a \\( x^2 +1 \\)";
        assert_eq!(
            duplicate_key("Giá trị của  \\(x^2+1\\)", &body("1")),
            duplicate_key(nfd, &body("1"))
        );
        assert_ne!(
            duplicate_key("Giá trị của x", &body("1")),
            duplicate_key("Giá trị của x", &body("3"))
        );
    }
}
