//! Results hand-in: what a school office receives after an exam.
//!
//! Two writers, both pure (bytes in, bytes out; no clock, no state):
//!
//! - [`xlsx::write_xlsx`]: the workbook schools hand in — a summary sheet
//!   "Tổng hợp" (per site × room × shift: counts, average, highest, lowest
//!   and the score bands), then one sheet per room (and shift) listing every
//!   candidate the way the paper lists do.
//! - [`package::build_package`] / [`package::verify_package`]: the
//!   inspection package, a zip with a SHA-256 manifest that anyone can check
//!   later, with this code or with `sha256sum`.
//!
//! The data the writers take ([`HandIn`], [`HandInRow`]) is independent of
//! the relay's state: the caller fills it from wherever the results are, so
//! the layouts can be tested (and changed) without a running sitting.

pub mod package;
pub mod xlsx;

/// One exam event's results, ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandIn {
    /// "Kiểm tra cuối kỳ I – Toán 12".
    pub exam_event: String,
    /// "Toán".
    pub subject: String,
    /// When the hand-in was made, ISO 8601 ("2026-12-05T10:00:00+07:00").
    /// The caller gives it so that the output depends on the input only.
    pub generated_at_iso: String,
    /// Every shift a row may name.
    pub shifts: Vec<ShiftInfo>,
    pub rows: Vec<HandInRow>,
}

/// A shift (ca thi) of the exam event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftInfo {
    /// "Ca 1": what [`HandInRow::shift`] refers to.
    pub name: String,
    /// dd/mm/yyyy, as printed on the lists.
    pub date_dmy: String,
    /// "07:30".
    pub start: String,
    /// Working time in minutes.
    pub minutes: u32,
}

/// One candidate of the exam event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandInRow {
    /// Số báo danh: text, leading zeros matter ("000123").
    pub candidate_number: String,
    /// "Nguyễn Văn An": used only when the two parts below are both empty.
    pub full_name: String,
    /// Họ đệm: "Nguyễn Văn".
    pub family_and_middle: String,
    /// Tên: "An" (the school's split; ethnic-minority names may differ from
    /// the last-word rule, so it is never recomputed when given).
    pub given_name: String,
    /// (year, month, day).
    pub birth: Option<(u16, u8, u8)>,
    pub class: String,
    /// Điểm thi: the school or site.
    pub site: String,
    /// "Phòng 01".
    pub room: String,
    /// A [`ShiftInfo::name`].
    pub shift: String,
    pub status: RowStatus,
    /// Exact points as text ("37/4"), kept next to the rounded mark.
    pub score_exact: Option<String>,
    /// The Circular 22 mark times ten, already rounded once by the caller
    /// (75 is 7.5). At most 100.
    pub mark_tenths: Option<u32>,
    /// Questions answered.
    pub answered: u32,
    /// Questions in the candidate's paper.
    pub questions: u32,
}

/// Where a candidate stands when the hand-in is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowStatus {
    /// Sat the exam and was graded: the row carries a mark.
    Graded,
    /// Never started.
    Absent,
    /// Started but no graded submission yet.
    NotFinished,
}

impl RowStatus {
    /// The words printed in the "Trạng thái" column.
    pub fn label_vi(self) -> &'static str {
        match self {
            RowStatus::Graded => "Đã thi",
            RowStatus::Absent => "Vắng thi",
            RowStatus::NotFinished => "Chưa nộp",
        }
    }

    /// Present in the room (counted as "dự thi").
    pub fn sat(self) -> bool {
        self != RowStatus::Absent
    }
}

impl HandInRow {
    /// (Họ đệm, Tên). The school's split when it gave one; otherwise the
    /// full name split before its last word, the rule every Vietnamese list
    /// uses.
    pub fn name_parts(&self) -> (&str, &str) {
        if !self.family_and_middle.trim().is_empty() || !self.given_name.trim().is_empty() {
            return (self.family_and_middle.trim(), self.given_name.trim());
        }
        let full = self.full_name.trim();
        match full.rsplit_once(char::is_whitespace) {
            Some((family, given)) => (family.trim_end(), given),
            None => ("", full),
        }
    }

    /// The mark that counts for statistics and ranking: graded rows only.
    pub fn counted_mark(&self) -> Option<u32> {
        match self.status {
            RowStatus::Graded => self.mark_tenths,
            RowStatus::Absent | RowStatus::NotFinished => None,
        }
    }
}

/// Standard competition ranking ("1, 2, 2, 4") by mark over the whole set,
/// highest first. Returns one entry per row, in the rows' order; rows that
/// are not graded (absent, unfinished) have no rank.
///
/// The whole set, not the room: a rank is the candidate's place in the exam
/// event, which is what the school compares.
pub fn rank_rows(rows: &[HandInRow]) -> Vec<Option<u32>> {
    let mut marks: Vec<u32> = rows.iter().filter_map(HandInRow::counted_mark).collect();
    marks.sort_unstable_by(|a, b| b.cmp(a));
    rows.iter()
        .map(|row| {
            let mark = row.counted_mark()?;
            // Rank = 1 + how many marks are strictly higher.
            let higher = marks.partition_point(|&m| m > mark);
            Some(u32::try_from(higher).unwrap_or(u32::MAX).saturating_add(1))
        })
        .collect()
}

/// Why a hand-in file could not be made. Input errors name the candidate or
/// the path so the office can fix the source data.
#[derive(Debug, thiserror::Error)]
pub enum HandInError {
    #[error("candidate {candidate_number}: mark {mark_tenths} tenths is above 10.0")]
    MarkOutOfRange {
        candidate_number: String,
        mark_tenths: u32,
    },
    #[error("candidate {candidate_number} is marked as graded but has no mark")]
    GradedWithoutMark { candidate_number: String },
    #[error(
        "candidate {candidate_number}: {year:04}-{month:02}-{day:02} is not a date Excel can hold"
    )]
    BadBirthDate {
        candidate_number: String,
        year: u16,
        month: u8,
        day: u8,
    },
    #[error("candidate {candidate_number}: shift {shift:?} is not among the exam's shifts")]
    UnknownShift {
        candidate_number: String,
        shift: String,
    },
    #[error("{path:?} is not a safe relative path for a package entry")]
    UnsafePath { path: String },
    #[error("{path:?} is reserved for the package's own manifest")]
    ReservedPath { path: String },
    #[error("{path:?} appears twice in the package (names are compared ignoring case)")]
    DuplicatePath { path: String },
    #[error("{path:?} is too large for an inspection package ({bytes} bytes)")]
    TooLarge { path: String, bytes: u64 },
    #[error("the package's files add up to more than an inspection package may hold")]
    PackageTooLarge,
    #[error("the spreadsheet could not be written: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("the package could not be written: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("the package could not be written: {0}")]
    Io(#[from] std::io::Error),
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A row with the fields tests rarely vary already filled.
    pub(crate) fn row(sbd: &str, family: &str, given: &str, mark: Option<u32>) -> HandInRow {
        HandInRow {
            candidate_number: sbd.into(),
            full_name: format!("{family} {given}"),
            family_and_middle: family.into(),
            given_name: given.into(),
            birth: Some((2008, 1, 1)),
            class: "12A1".into(),
            site: "THPT Chu Văn An".into(),
            room: "Phòng 01".into(),
            shift: "Ca 1".into(),
            status: if mark.is_some() {
                RowStatus::Graded
            } else {
                RowStatus::Absent
            },
            score_exact: mark.map(|m| format!("{m}/10")),
            mark_tenths: mark,
            answered: 40,
            questions: 40,
        }
    }

    #[test]
    fn competition_ranking_with_ties_and_unranked_rows() {
        let mut unfinished = row("5", "Lê", "Em", Some(95));
        unfinished.status = RowStatus::NotFinished;
        let rows = vec![
            row("1", "Trần", "Bình", Some(80)),
            row("2", "Lê", "Cúc", None),
            row("3", "Phạm", "Dũng", Some(90)),
            row("4", "Võ", "Hà", Some(80)),
            unfinished,
            row("6", "Đỗ", "Giang", Some(75)),
            row("7", "Hồ", "Khoa", Some(0)),
        ];
        assert_eq!(
            rank_rows(&rows),
            vec![Some(2), None, Some(1), Some(2), None, Some(4), Some(5)]
        );
    }

    #[test]
    fn ranking_an_empty_or_unmarked_set() {
        assert!(rank_rows(&[]).is_empty());
        assert_eq!(rank_rows(&[row("1", "A", "B", None)]), vec![None]);
    }

    #[test]
    fn name_parts_prefer_the_schools_split() {
        let mut r = row("1", "Nguyễn Văn", "An", None);
        assert_eq!(r.name_parts(), ("Nguyễn Văn", "An"));
        // Ê Đê names put the family name last; the school's split stands.
        r.family_and_middle = "H'Hen".into();
        r.given_name = "Niê".into();
        assert_eq!(r.name_parts(), ("H'Hen", "Niê"));
        r.family_and_middle.clear();
        r.given_name.clear();
        r.full_name = "  Trần  Thị Thu  Hà ".into();
        assert_eq!(r.name_parts(), ("Trần  Thị Thu", "Hà"));
        r.full_name = "Hà".into();
        assert_eq!(r.name_parts(), ("", "Hà"));
    }
}
