//! Which roster columns examgate keeps, under which headers, and which
//! headers name personal data it must never keep.
//!
//! Headers are compared after [`fold`], so "Ngày sinh", "NGAY SINH" and
//! "ngày  sinh" are one header. Anything not in the alias table is dropped
//! at parse time (the allow-list rule for personal data): ethnicity,
//! religion, parents, addresses and phones are named in the report as
//! sensitive so the school sees why they are gone.

use serde::{Deserialize, Serialize};

use super::names::fold;

/// A roster field examgate keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// "STT": the row number, used only to find where the data ends.
    RowNumber,
    CandidateNumber,
    FullName,
    FamilyMiddle,
    GivenName,
    Birth,
    Sex,
    /// The 12-digit personal ID (CCCD / số định danh cá nhân).
    PersonId,
    /// The learner ID of the ministry's database or the school's system.
    PupilId,
    Class,
    Site,
    Room,
    Shift,
    Seat,
}

impl Field {
    /// The machine name used in reports (`field` of a row issue).
    pub fn name(self) -> &'static str {
        match self {
            Field::RowNumber => "row_number",
            Field::CandidateNumber => "candidate_number",
            Field::FullName => "full_name",
            Field::FamilyMiddle => "family_middle",
            Field::GivenName => "given_name",
            Field::Birth => "birth",
            Field::Sex => "sex",
            Field::PersonId => "person_id",
            Field::PupilId => "pupil_id",
            Field::Class => "class",
            Field::Site => "site",
            Field::Room => "room",
            Field::Shift => "shift",
            Field::Seat => "seat",
        }
    }
}

/// Headers per field with a rank: when two columns give one field, the
/// lower rank is read first and the other only fills its blanks. The CSDL
/// export repeats the personal ID under "Số CMND" and "Số định danh cá
/// nhân"; the latter is the authoritative one.
const ALIASES: &[(&str, Field, u8)] = &[
    ("stt", Field::RowNumber, 0),
    ("tt", Field::RowNumber, 0),
    ("số tt", Field::RowNumber, 0),
    ("số thứ tự", Field::RowNumber, 0),
    ("no", Field::RowNumber, 0),
    ("số báo danh", Field::CandidateNumber, 0),
    ("sbd", Field::CandidateNumber, 0),
    ("candidate number", Field::CandidateNumber, 0),
    ("họ và tên", Field::FullName, 0),
    ("họ tên", Field::FullName, 0),
    ("họ và tên thí sinh", Field::FullName, 0),
    ("họ tên thí sinh", Field::FullName, 0),
    ("họ và tên học sinh", Field::FullName, 0),
    ("họ tên học sinh", Field::FullName, 0),
    ("name", Field::FullName, 0),
    ("full name", Field::FullName, 0),
    ("họ đệm", Field::FamilyMiddle, 0),
    ("họ", Field::FamilyMiddle, 0),
    ("họ và tên đệm", Field::FamilyMiddle, 0),
    ("họ và đệm", Field::FamilyMiddle, 0),
    ("tên", Field::GivenName, 0),
    ("ngày sinh", Field::Birth, 0),
    ("ns", Field::Birth, 0),
    ("ngày tháng năm sinh", Field::Birth, 0),
    ("date of birth", Field::Birth, 0),
    ("birth date", Field::Birth, 0),
    ("giới tính", Field::Sex, 0),
    ("gender", Field::Sex, 0),
    ("sex", Field::Sex, 0),
    ("số định danh cá nhân", Field::PersonId, 0),
    ("định danh cá nhân", Field::PersonId, 0),
    ("số đdcn", Field::PersonId, 0),
    ("số cccd", Field::PersonId, 0),
    ("cccd", Field::PersonId, 0),
    ("căn cước công dân", Field::PersonId, 0),
    ("số căn cước", Field::PersonId, 0),
    ("personal id", Field::PersonId, 0),
    ("cmnd/cccd", Field::PersonId, 1),
    ("cccd/cmnd", Field::PersonId, 1),
    ("số cmnd/cccd", Field::PersonId, 1),
    ("số cmnd", Field::PersonId, 2),
    ("cmnd", Field::PersonId, 2),
    ("mã định danh bộ gd&đt", Field::PupilId, 0),
    ("mã định danh bộ gdđt", Field::PupilId, 0),
    ("mã định danh", Field::PupilId, 0),
    ("mã học sinh", Field::PupilId, 0),
    ("mã hs", Field::PupilId, 0),
    ("student id", Field::PupilId, 0),
    ("lớp", Field::Class, 0),
    ("lớp học", Field::Class, 0),
    ("class", Field::Class, 0),
    ("trường", Field::Site, 0),
    ("điểm thi", Field::Site, 0),
    ("school", Field::Site, 0),
    ("site", Field::Site, 0),
    ("phòng", Field::Room, 0),
    ("phòng thi", Field::Room, 0),
    ("room", Field::Room, 0),
    ("ca", Field::Shift, 0),
    ("ca thi", Field::Shift, 0),
    ("shift", Field::Shift, 0),
    ("số máy", Field::Seat, 0),
    ("máy", Field::Seat, 0),
    ("máy số", Field::Seat, 0),
    ("ghế", Field::Seat, 0),
    ("số ghế", Field::Seat, 0),
    ("vị trí", Field::Seat, 0),
    ("seat", Field::Seat, 0),
];

/// Word sequences that mark a header as personal data examgate must not
/// keep (reference 4.2, 4.5): ethnicity, religion, parents and guardians,
/// places of birth and residence, phones and e-mail, health and social
/// status.
const SENSITIVE: &[&str] = &[
    "dân tộc",
    "tôn giáo",
    "quốc tịch",
    "cha",
    "mẹ",
    "bố mẹ",
    "tên bố",
    "họ tên bố",
    "phụ huynh",
    "giám hộ",
    "người đỡ đầu",
    "địa chỉ",
    "nơi sinh",
    "quê quán",
    "hộ khẩu",
    "thường trú",
    "tạm trú",
    "chỗ ở",
    "nơi ở",
    "thôn",
    "điện thoại",
    "sđt",
    "sdt",
    "số đt",
    "liên hệ",
    "email",
    "e mail",
    "sức khỏe",
    "khuyết tật",
    "hộ nghèo",
    "chính sách",
    "ethnicity",
    "ethnic",
    "religion",
    "nationality",
    "parent",
    "parents",
    "father",
    "father's",
    "mother",
    "mother's",
    "guardian",
    "address",
    "phone",
    "birthplace",
    "hometown",
    "health",
    "disability",
];

/// Matches header texts to fields, with the alias table folded once.
pub(crate) struct HeaderMatcher {
    aliases: Vec<(String, Field, u8)>,
    sensitive: Vec<Vec<String>>,
}

impl HeaderMatcher {
    pub(crate) fn new() -> HeaderMatcher {
        HeaderMatcher {
            aliases: ALIASES
                .iter()
                .map(|&(alias, field, rank)| (fold(alias), field, rank))
                .collect(),
            sensitive: SENSITIVE
                .iter()
                .map(|s| fold(s).split(' ').map(str::to_owned).collect())
                .collect(),
        }
    }

    /// The field a header names, with its rank. Hints in brackets
    /// ("Ngày sinh (dd/mm/yyyy)", "Họ và tên (*)") are ignored.
    pub(crate) fn field(&self, header: &str) -> Option<(Field, u8)> {
        let lookup = |folded: String| {
            self.aliases
                .iter()
                .find(|(alias, _, _)| *alias == folded)
                .map(|&(_, field, rank)| (field, rank))
        };
        lookup(fold(header)).or_else(|| {
            let bare = without_brackets(header);
            (bare.len() != header.len()).then(|| lookup(fold(&bare)))?
        })
    }

    /// Whether a (dropped) header names sensitive personal data: one of
    /// the word sequences appears in it as whole words.
    pub(crate) fn is_sensitive(&self, header: &str) -> bool {
        let folded = fold(header);
        let words: Vec<&str> = folded.split(' ').collect();
        self.sensitive.iter().any(|phrase| {
            words
                .windows(phrase.len())
                .any(|w| w.iter().zip(phrase).all(|(a, b)| a == b))
        })
    }
}

/// The text without its bracketed parts.
fn without_brackets(text: &str) -> String {
    let mut depth = 0usize;
    text.chars()
        .filter(|&c| match c {
            '(' | '[' => {
                depth += 1;
                false
            }
            ')' | ']' => {
                depth = depth.saturating_sub(1);
                false
            }
            _ => depth == 0,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_in_any_spelling() {
        let m = HeaderMatcher::new();
        let field = |h: &str| m.field(h).map(|(f, _)| f);
        assert_eq!(field("Họ và tên"), Some(Field::FullName));
        assert_eq!(field("HO VA TEN"), Some(Field::FullName));
        assert_eq!(field("Ngày sinh (dd/mm/yyyy)"), Some(Field::Birth));
        assert_eq!(field("Họ và tên (*)"), Some(Field::FullName));
        assert_eq!(field("Mã định danh Bộ GD&ĐT"), Some(Field::PupilId));
        assert_eq!(field("Số ĐDCN"), Some(Field::PersonId));
        assert_eq!(field("So CCCD"), Some(Field::PersonId));
        assert_eq!(field("Tên"), Some(Field::GivenName));
        assert_eq!(field("Tên cha"), None);
        assert_eq!(field("Dân tộc"), None);
        // The authoritative ID column outranks the old-card column.
        assert!(m.field("Số định danh cá nhân").unwrap().1 < m.field("Số CMND").unwrap().1);
    }

    #[test]
    fn sensitive_headers_are_recognised_by_whole_words() {
        let m = HeaderMatcher::new();
        for h in [
            "Dân tộc",
            "Tên cha",
            "Nghề nghiệp mẹ",
            "SĐT liên hệ",
            "Tổ/thôn Hộ khẩu thường trú",
            "Nơi sinh chi tiết",
            "Chỗ ở hiện nay",
            "Tôn giáo",
            "Father's name",
        ] {
            assert!(m.is_sensitive(h), "{h}");
        }
        for h in ["Trạng thái", "Khối học", "Ghi chú", "ĐĐGtx", "Cách ly"] {
            assert!(!m.is_sensitive(h), "{h}");
        }
    }

    #[test]
    fn every_field_name_is_snake_case_and_matches_serde() {
        for (_, field, _) in ALIASES {
            let json = serde_json::to_string(field).unwrap();
            assert_eq!(json, format!("\"{}\"", field.name()));
        }
    }
}
