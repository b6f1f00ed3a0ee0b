//! Vietnamese names and labels: cleaning, matching and list order.
//!
//! - [`nfc`] is how every imported text is stored: NFC, invisible
//!   characters gone, single spaces (UniKey's decomposed mode and macOS
//!   give NFD; Excel cells carry NBSP and zero-width spaces).
//! - [`fold`] is for headers and labels ("Họ và tên", "Phòng 01"): no case,
//!   no diacritics, no punctuation.
//! - [`match_key`] is for comparing people's names: "Thủy" and "Thuỷ" are
//!   the same name written in the old and new tone style, and both styles
//!   occur in one school's files. Stored names are never rewritten.
//! - [`vietnamese_cmp`] and [`sort_key`] give the order of class lists:
//!   by given name, then family and middle name, then birth date, in the
//!   Vietnamese alphabet with tones as a secondary difference.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::decompose_canonical;

use crate::chip::id_card::without_diacritics;

/// Zero-width characters that spreadsheets and web copy-paste leave in
/// cells; they are invisible, so a person never meant them.
fn zero_width(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{FEFF}')
}

/// The stored form of an imported text: zero-width characters removed,
/// NFC, every run of white space (NBSP included) turned into one space,
/// trimmed.
pub fn nfc(s: &str) -> String {
    // Zero-width characters go first: between a letter and its combining
    // mark they would stop NFC from composing the two.
    let composed: String = s.chars().filter(|&c| !zero_width(c)).nfc().collect();
    // `split_whitespace` splits on Unicode White_Space, which includes
    // NBSP (U+00A0) and the other fixed-width spaces.
    composed.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The form in which headers and labels are compared: lower case, no
/// diacritics (đ → d), dots and apostrophes dropped ("S.B.D" → "sbd"),
/// other punctuation as spaces ("GD&ĐT" → "gd dt"), single spaces.
pub fn fold(s: &str) -> String {
    let plain = without_diacritics(&nfc(s).to_lowercase());
    let spaced: String = plain
        .chars()
        .filter(|c| !matches!(c, '.' | '\'' | '\u{2019}'))
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The key under which two spellings of one name are the same person's
/// name: NFC, the tone of each open oa/oe/uy syllable moved to the new
/// style ("hòa" → "hoà", "thủy" → "thuỷ", "khỏe" → "khoẻ"), lower case.
/// "Quý", "Hoàng", "Huỳnh" are written alike in both styles and stay.
pub fn match_key(name: &str) -> String {
    nfc(name)
        .to_lowercase()
        .split(' ')
        .map(new_style_tone)
        .collect::<Vec<_>>()
        .join(" ")
}

const GRAVE: char = '\u{0300}';
const ACUTE: char = '\u{0301}';
const TILDE: char = '\u{0303}';
const HOOK: char = '\u{0309}';
const DOT_BELOW: char = '\u{0323}';
const CIRCUMFLEX: char = '\u{0302}';
const BREVE: char = '\u{0306}';
const HORN: char = '\u{031B}';

fn is_tone_mark(c: char) -> bool {
    matches!(c, GRAVE | ACUTE | TILDE | HOOK | DOT_BELOW)
}

/// One lower-case word with its tone moved to the new style. Applied per
/// word because a rule over the whole string would fix only the first
/// syllable ("Lê Thị Thủy Hòa").
fn new_style_tone(word: &str) -> String {
    // Letters as (base, marks) from the decomposed word.
    let mut letters: Vec<(char, Vec<char>)> = Vec::new();
    for c in word.nfd() {
        match letters.last_mut() {
            Some((_, marks)) if unicode_normalization::char::is_combining_mark(c) => marks.push(c),
            _ => letters.push((c, Vec::new())),
        }
    }
    let vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    // The syllable must end in its vowels (an open syllable); "hoàng" and
    // "huỳnh" end in consonants and agree in both styles.
    let run = letters.iter().rev().take_while(|(b, _)| vowel(*b)).count();
    let n = letters.len();
    if run != 2 {
        return word.to_owned();
    }
    let (first, second) = (&letters[n - 2], &letters[n - 1]);
    let pair = (first.0, second.0);
    let plain = |marks: &[char]| {
        !marks
            .iter()
            .any(|m| matches!(*m, CIRCUMFLEX | BREVE | HORN))
    };
    // In "quy" the u belongs to the consonant: "quý" in both styles.
    let after_q = n >= 3 && letters[n - 3].0 == 'q';
    let styled = matches!(pair, ('o', 'a') | ('o', 'e') | ('u', 'y'))
        && plain(&first.1)
        && plain(&second.1)
        && !after_q;
    let tone = first.1.iter().copied().find(|&m| is_tone_mark(m));
    match tone {
        Some(tone) if styled && !second.1.iter().any(|&m| is_tone_mark(m)) => {
            letters[n - 2].1.retain(|&m| m != tone);
            letters[n - 1].1.push(tone);
            letters
                .into_iter()
                .flat_map(|(base, marks)| std::iter::once(base).chain(marks))
                .nfc()
                .collect()
        }
        _ => word.to_owned(),
    }
}

/// Splits a full name into family-and-middle name and given name: the
/// given name is the last word (the usual rule; files with separate
/// columns keep the school's own split instead).
pub fn split_name(full: &str) -> (String, String) {
    let clean = nfc(full);
    match clean.rsplit_once(' ') {
        Some((family, given)) => (family.to_owned(), given.to_owned()),
        None => (String::new(), clean),
    }
}

/// The family-and-middle part of `full` when the school gave `given`
/// separately: what precedes `given`, or the last-word split when `full`
/// does not end with it.
pub fn family_part(full: &str, given: &str) -> String {
    let (full, given) = (nfc(full), nfc(given));
    match full.strip_suffix(given.as_str()) {
        Some(rest) if !given.is_empty() && (rest.is_empty() || rest.ends_with(' ')) => {
            rest.trim_end().to_owned()
        }
        _ => split_name(&full).0,
    }
}

/// The Vietnamese alphabet with the four Latin letters it lacks (f, j, w,
/// z) in their Latin places, so foreign names still sort sensibly.
const ALPHABET: [char; 33] = [
    'a', 'ă', 'â', 'b', 'c', 'd', 'đ', 'e', 'ê', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    'ô', 'ơ', 'p', 'q', 'r', 's', 't', 'u', 'ư', 'v', 'w', 'x', 'y', 'z',
];

/// Primary weight (the letter) and secondary weight (the tone) of each
/// character of a text. Tones weigh 1..=6 in the order ngang, huyền, hỏi,
/// ngã, sắc, nặng; case is ignored.
fn collation(s: &str) -> (Vec<u32>, Vec<u32>) {
    let mut primary = Vec::new();
    let mut secondary = Vec::new();
    for c in nfc(s).to_lowercase().chars() {
        let mut base = None;
        let mut marks = Vec::new();
        decompose_canonical(c, |d| {
            if base.is_none() {
                base = Some(d);
            } else {
                marks.push(d);
            }
        });
        let base = base.unwrap_or(c);
        if unicode_normalization::char::is_combining_mark(base) {
            // A mark NFC could not attach to anything carries no letter.
            continue;
        }
        let has = |m: char| marks.contains(&m);
        let letter = match base {
            'a' if has(BREVE) => 'ă',
            'a' if has(CIRCUMFLEX) => 'â',
            'e' if has(CIRCUMFLEX) => 'ê',
            'o' if has(CIRCUMFLEX) => 'ô',
            'o' if has(HORN) => 'ơ',
            'u' if has(HORN) => 'ư',
            other => other,
        };
        let tone = [GRAVE, HOOK, TILDE, ACUTE, DOT_BELOW]
            .iter()
            .position(|&t| has(t))
            .map_or(1, |i| i as u32 + 2);
        let weight = if let Some(i) = ALPHABET.iter().position(|&l| l == letter) {
            100 + i as u32
        } else if let Some(d) = letter.to_digit(10) {
            10 + d
        } else if letter.is_whitespace() {
            1
        } else if letter.is_alphanumeric() {
            1000 + letter as u32
        } else {
            // Punctuation (hyphens, apostrophes in H'Hen) sorts before
            // letters, after the space.
            2
        };
        primary.push(weight);
        secondary.push(tone);
    }
    (primary, secondary)
}

/// Compares two texts in Vietnamese alphabetical order: letters first
/// (a ă â b c d đ e ê … u ư v x y), tones only when the letters are equal
/// (a à ả ã á ạ), case ignored. NFC and NFD spellings compare equal.
pub fn vietnamese_cmp(a: &str, b: &str) -> Ordering {
    let (pa, sa) = collation(a);
    let (pb, sb) = collation(b);
    pa.cmp(&pb).then_with(|| sa.cmp(&sb))
}

/// A key whose plain order is the Vietnamese list order of people.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SortKey(Vec<u32>);

/// The list-order key of a person: given name, then family and middle
/// name, then birth date (ISO `YYYY-MM-DD`, unknown last).
pub fn sort_key(full_name: &str, birth_iso: Option<&str>) -> SortKey {
    let (family, given) = split_name(full_name);
    sort_key_parts(&family, &given, birth_iso)
}

/// [`sort_key`] for a name the school split itself.
pub fn sort_key_parts(family_and_middle: &str, given: &str, birth_iso: Option<&str>) -> SortKey {
    // Each text contributes its letters, a 0, its tones, a 0. A 0 is below
    // every weight, so a shorter name sorts first ("An" before "Anh"), and
    // equal letters mean equal lengths, so the tones line up.
    let mut key = Vec::new();
    for part in [given, family_and_middle] {
        let (primary, secondary) = collation(part);
        key.extend(primary);
        key.push(0);
        key.extend(secondary);
        key.push(0);
    }
    match birth_iso {
        // ISO dates sort chronologically character by character.
        Some(iso) => key.extend(iso.chars().map(u32::from)),
        None => key.push(u32::MAX),
    }
    SortKey(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_composes_and_cleans() {
        let nfd = "Nguye\u{0302}\u{0303}n";
        assert_eq!(nfd.chars().count(), 8);
        assert_eq!(nfc(nfd), "Nguyễn");
        assert_eq!(nfc(nfd).chars().count(), 6);
        assert_eq!(
            nfc("\u{feff} Trần\u{a0}\u{a0}Thị\u{200b} Ánh  "),
            "Trần Thị Ánh"
        );
        // A zero-width space between a letter and its mark does not block
        // composition.
        assert_eq!(nfc("A\u{200b}\u{0301}n"), "Án");
    }

    #[test]
    fn fold_strips_case_marks_and_punctuation() {
        assert_eq!(fold("Mã định danh Bộ GD&ĐT"), "ma dinh danh bo gd dt");
        assert_eq!(fold("Họ và tên (*)"), "ho va ten");
        assert_eq!(fold("Số ĐDCN"), "so ddcn");
        assert_eq!(fold("S.B.D"), "sbd");
        assert_eq!(fold("CMND/CCCD"), "cmnd cccd");
        assert_eq!(fold("Phòng\u{a0}01"), fold("phong 01"));
    }

    #[test]
    fn match_key_unifies_tone_styles_and_forms() {
        assert_eq!(match_key("Thủy"), match_key("Thuỷ"));
        assert_eq!(match_key("Hòa"), match_key("Hoà"));
        assert_eq!(match_key("Khỏe"), match_key("Khoẻ"));
        assert_eq!(match_key("Thúy"), "thuý");
        // Every word, not just the first.
        assert_eq!(match_key("Lê Thị Thủy Hòa"), "lê thị thuỷ hoà");
        // NFD in, same key as NFC.
        assert_eq!(
            match_key("Nguye\u{0302}\u{0303}n Thi\u{0323} Thu\u{0309}y"),
            match_key("Nguyễn Thị Thuỷ")
        );
        // qu- and closed syllables are written alike in both styles.
        assert_eq!(match_key("Quý"), "quý");
        assert_eq!(match_key("Hoàng Huỳnh Tuấn"), "hoàng huỳnh tuấn");
        assert_eq!(match_key("Khuya"), "khuya");
        assert_ne!(match_key("Hòa"), match_key("Hoa"));
    }

    #[test]
    fn split_takes_the_last_word_as_given_name() {
        assert_eq!(
            split_name(" Nguyễn  Thị Ngọc Ánh "),
            ("Nguyễn Thị Ngọc".to_owned(), "Ánh".to_owned())
        );
        assert_eq!(split_name("Bình"), (String::new(), "Bình".to_owned()));
        assert_eq!(family_part("Nguyễn Thị Mai Anh", "Mai Anh"), "Nguyễn Thị");
        assert_eq!(family_part("Nguyễn Thị Mai Anh", "Hoa"), "Nguyễn Thị Mai");
        // "Anh" is not a whole word at the end of "Nguyễn Văn Thanh".
        assert_eq!(family_part("Nguyễn Văn Thanh", "anh"), "Nguyễn Văn");
    }

    #[test]
    fn vietnamese_alphabet_order() {
        let mut names = vec!["Đức", "Duy", "Ân", "Bình", "Ăn", "Anh", "An", "Dũng"];
        names.sort_by(|a, b| vietnamese_cmp(a, b));
        assert_eq!(
            names,
            ["An", "Anh", "Ăn", "Ân", "Bình", "Dũng", "Duy", "Đức"]
        );
        // Đ right after D, not after Z as code points would put it.
        assert_eq!(vietnamese_cmp("Duy", "Đa"), Ordering::Less);
        assert_eq!(vietnamese_cmp("Đức", "Giang"), Ordering::Less);
        assert_eq!(vietnamese_cmp("Ư", "Uyên"), Ordering::Greater);
        assert_eq!(vietnamese_cmp("Ơn", "Ôn"), Ordering::Greater);
    }

    #[test]
    fn tones_are_secondary_in_their_order() {
        let mut tones = vec!["ạ", "á", "ã", "ả", "à", "a"];
        tones.sort_by(|a, b| vietnamese_cmp(a, b));
        assert_eq!(tones, ["a", "à", "ả", "ã", "á", "ạ"]);
        // A letter difference later in the word outweighs an earlier tone.
        assert_eq!(vietnamese_cmp("Án", "Anh"), Ordering::Less);
        assert_eq!(vietnamese_cmp("Hòa", "Hoà"), Ordering::Greater);
    }

    #[test]
    fn case_and_normal_form_do_not_matter() {
        assert_eq!(vietnamese_cmp("an", "AN"), Ordering::Equal);
        assert_eq!(
            vietnamese_cmp("Nguye\u{0302}\u{0303}n", "nguyễn"),
            Ordering::Equal
        );
        assert_eq!(vietnamese_cmp("Bình", "an"), Ordering::Greater);
    }

    #[test]
    fn list_order_is_given_then_family_then_birth() {
        let mut people = [
            ("Nguyễn Thị Bình", Some("2008-01-01")),
            ("Trần Văn An", Some("2008-05-01")),
            ("Lê An", Some("2008-05-01")),
            ("Lê An", Some("2007-12-31")),
            ("Lê An", None),
            ("Đỗ Anh", Some("2008-01-01")),
        ];
        people.sort_by_key(|(name, birth)| sort_key(name, *birth));
        assert_eq!(
            people,
            [
                ("Lê An", Some("2007-12-31")),
                ("Lê An", Some("2008-05-01")),
                ("Lê An", None),
                ("Trần Văn An", Some("2008-05-01")),
                ("Đỗ Anh", Some("2008-01-01")),
                ("Nguyễn Thị Bình", Some("2008-01-01")),
            ]
        );
        // The school's own split is honoured: "Mai Anh" files under M,
        // while the last-word rule files the same name under A.
        assert!(
            sort_key_parts("Nguyễn Thị", "Mai Anh", None)
                > sort_key_parts("Trần Văn", "Bình", None)
        );
        assert!(sort_key("Nguyễn Thị Mai Anh", None) < sort_key("Trần Văn Bình", None));
    }
}
