//! What a roster import reports before anything is saved: the candidates
//! read, every problem with its sheet, row and column, the title rows, and
//! which columns were kept or dropped (and why).
//!
//! Import is all or nothing: the caller commits a preview only when
//! [`RosterPreview::is_acceptable`]; otherwise the school fixes the file
//! (the issues say exactly where) and uploads it again.

use serde::{Deserialize, Serialize};

use super::dates::Date;
use crate::chip::id_card::Sex;

/// One candidate as read from a roster row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportedCandidate {
    /// 1-based spreadsheet row, as the school sees it.
    pub row: u32,
    pub sheet: String,
    pub candidate_number: Option<String>,
    /// NFC, cleaned; as written otherwise (never re-toned or re-cased).
    pub full_name: String,
    /// The school's own split when the file has a "Tên" column, else the
    /// last word.
    pub given_name: String,
    pub birth: Option<Date>,
    /// 12 digits.
    pub person_id: Option<String>,
    pub pupil_id: Option<String>,
    pub class: Option<String>,
    /// Known names (as the exam spells them), not as the file wrote them.
    pub site: Option<String>,
    pub room: Option<String>,
    pub shift: Option<String>,
    pub seat: Option<u32>,
    #[serde(with = "sex_serde", default)]
    pub sex: Option<Sex>,
}

/// One problem at one cell. `code` is stable and machine-readable (the
/// client translates it); `message` says the specifics in English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowIssue {
    pub sheet: String,
    /// 1-based spreadsheet row; 0 for a problem of a whole sheet or file.
    pub row: u32,
    /// Column letter ("D"), empty when no one column is at fault.
    pub column: String,
    /// The field concerned (`person_id`, `birth`, …), empty for a sheet.
    pub field: String,
    pub code: String,
    pub message: String,
    /// The cell as written.
    pub value: String,
}

/// How one titled column was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    pub column: String,
    pub header: String,
    /// The field it fills, `None` for a dropped column.
    pub field: Option<String>,
}

/// A column whose data was not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DroppedColumn {
    pub column: String,
    pub header: String,
    /// Personal data examgate must not keep (ethnicity, religion, parents,
    /// addresses, phones…), as opposed to a column it has no use for.
    pub sensitive: bool,
}

/// Where each sheet's header was and how many candidates it gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetSummary {
    pub name: String,
    /// 1-based; `None` for a sheet without a header (blank or refused).
    pub header_row: Option<u32>,
    pub candidates: u32,
}

/// The result of reading a roster, for the school to check before saving.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RosterPreview {
    /// Non-empty texts above the header (school, class, school year), for
    /// the user to confirm.
    pub metadata: Vec<String>,
    /// 1-based header row of the first sheet that has one (see `sheets`).
    pub header_row: Option<u32>,
    /// Every titled column, kept or not (the same layout on several sheets
    /// is listed once).
    pub columns: Vec<ColumnMapping>,
    pub dropped_columns: Vec<DroppedColumn>,
    pub sheets: Vec<SheetSummary>,
    /// One per data row, including rows with errors (their bad fields are
    /// empty), so the school sees every row beside its issues.
    pub candidates: Vec<ImportedCandidate>,
    pub errors: Vec<RowIssue>,
    pub warnings: Vec<RowIssue>,
}

impl RosterPreview {
    /// Whether the roster may be saved: no errors and someone in it.
    pub fn is_acceptable(&self) -> bool {
        self.errors.is_empty() && !self.candidates.is_empty()
    }

    /// The errors with `code`, for callers and tests that look for one
    /// kind of problem.
    pub fn errors_with(&self, code: &str) -> Vec<&RowIssue> {
        self.errors.iter().filter(|e| e.code == code).collect()
    }
}

/// `Sex` belongs to the chip-card code, which has no serde; on the wire it
/// is `"male"` / `"female"`.
mod sex_serde {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::chip::id_card::Sex;

    pub fn serialize<S: Serializer>(sex: &Option<Sex>, s: S) -> Result<S::Ok, S::Error> {
        sex.map(|sex| match sex {
            Sex::Male => "male",
            Sex::Female => "female",
        })
        .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Sex>, D::Error> {
        match Option::<String>::deserialize(d)?.as_deref() {
            None => Ok(None),
            Some("male") => Ok(Some(Sex::Male)),
            Some("female") => Ok(Some(Sex::Female)),
            Some(other) => Err(serde::de::Error::unknown_variant(
                other,
                &["male", "female"],
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_cross_json_with_sex_and_iso_birth() {
        let candidate = ImportedCandidate {
            row: 5,
            sheet: "12A1".into(),
            candidate_number: Some("TN0001".into()),
            full_name: "Lê Thị Thuỷ".into(),
            given_name: "Thuỷ".into(),
            birth: Some(Date::new(2008, 1, 5).unwrap()),
            person_id: None,
            pupil_id: None,
            class: Some("12A1".into()),
            site: None,
            room: None,
            shift: None,
            seat: None,
            sex: Some(Sex::Female),
        };
        let json = serde_json::to_value(&candidate).unwrap();
        assert_eq!(json["sex"], "female");
        assert_eq!(json["birth"], "2008-01-05");
        let back: ImportedCandidate = serde_json::from_value(json).unwrap();
        assert_eq!(back, candidate);
    }

    #[test]
    fn acceptable_means_no_errors_and_someone_in_it() {
        let mut preview = RosterPreview::default();
        assert!(!preview.is_acceptable());
        preview.candidates.push(ImportedCandidate {
            row: 2,
            sheet: "S".into(),
            candidate_number: None,
            full_name: "An".into(),
            given_name: "An".into(),
            birth: None,
            person_id: None,
            pupil_id: None,
            class: None,
            site: None,
            room: None,
            shift: None,
            seat: None,
            sex: None,
        });
        assert!(preview.is_acceptable());
        preview.warnings.push(RowIssue {
            sheet: "S".into(),
            row: 2,
            column: "F".into(),
            field: "person_id".into(),
            code: "person_id_padded".into(),
            message: String::new(),
            value: String::new(),
        });
        assert!(preview.is_acceptable(), "warnings do not block");
        preview.errors.push(preview.warnings[0].clone());
        assert!(!preview.is_acceptable());
    }
}
