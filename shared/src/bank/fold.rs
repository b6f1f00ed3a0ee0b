//! Text as the bank compares it.
//!
//! - [`fold`]: for search when the teacher asks to ignore diacritics — lower
//!   case, no tone or vowel marks, đ → d, punctuation as spaces.
//! - [`duplicate_key`]: two questions are the same question when their text
//!   and options are equal after NFC and white space (inside TeX too:
//!   `\(x^2 +1\)` and `\( x^2+1 \)` are one formula); case counts, since in
//!   maths it does.

use crate::exam::Body;

/// Search form with diacritics ignored: "Phương trình" → "phuong trinh".
pub fn fold(text: &str) -> String {
    crate::office::names::fold(text)
}

/// Search form that keeps diacritics: NFC, lower case, single spaces.
pub fn exact(text: &str) -> String {
    crate::office::names::nfc(text).to_lowercase()
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

/// NFC, no white space at all (spacing never makes two questions
/// different). Case stays: in maths `\Delta` is not `\delta`, nor `A` `a`.
fn squeeze(text: &str) -> String {
    crate::office::names::nfc(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::OptionId;

    #[test]
    fn search_forms_fold_diacritics_only_when_asked() {
        let text = "Giải PHƯƠNG trình";
        assert_eq!(fold(text), "giai phuong trinh");
        assert_eq!(exact(text), "giải phương trình");
    }

    #[test]
    fn duplicates_differ_only_in_spacing_or_unicode_form() {
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
            duplicate_key("Tính \\(\\Delta\\)", &body("1")),
            duplicate_key("Tính \\(\\delta\\)", &body("1")),
            "case matters in maths"
        );
        assert_ne!(
            duplicate_key("Giá trị của x", &body("1")),
            duplicate_key("Giá trị của x", &body("3"))
        );
    }
}
