//! Finding the header of a roster sheet: which row, which column is which.
//!
//! Exports put title rows above the header (Sở, school, "DANH SÁCH HỌC SINH
//! LỚP 12.6") and vnEdu uses a two-row header with "Họ và tên" merged over
//! "Họ đệm" | "Tên". So the header is searched for in the first rows: the
//! row (or pair of rows) naming the most known fields wins, and it must
//! name a person (a name column) and identify them (birth date, personal
//! ID or candidate number).

use super::fields::{Field, HeaderMatcher};
use super::names::nfc;
use super::sheet::Sheet;

/// How far down a header is looked for.
const SEARCH_ROWS: usize = 30;

/// One titled column of the header.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HeaderColumn {
    pub col: usize,
    /// The header as written (both rows of a two-row header, joined).
    pub header: String,
    pub field: Option<Field>,
    /// Which of several columns of one field is read first (lower first).
    pub rank: u8,
}

/// Where the header is and what it says.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Layout {
    /// 0-based row of the header (the top row of a two-row header).
    pub header_row: usize,
    /// 0-based first row after the header.
    pub data_start: usize,
    pub columns: Vec<HeaderColumn>,
}

impl Layout {
    fn has(&self, field: Field) -> bool {
        self.columns.iter().any(|c| c.field == Some(field))
    }

    /// A header names the person and something that identifies them.
    fn usable(&self) -> bool {
        (self.has(Field::FullName) || self.has(Field::GivenName))
            && (self.has(Field::Birth)
                || self.has(Field::PersonId)
                || self.has(Field::CandidateNumber))
    }

    fn score(&self) -> usize {
        let mut fields: Vec<Field> = self.columns.iter().filter_map(|c| c.field).collect();
        fields.sort();
        fields.dedup();
        fields.len()
    }
}

/// The header of `sheet`, or `None` when no row in the first 30 is one.
pub(crate) fn find_header(sheet: &Sheet, matcher: &HeaderMatcher) -> Option<Layout> {
    let mut best: Option<Layout> = None;
    for row in 0..sheet.rows.len().min(SEARCH_ROWS) {
        let top = titled_columns(sheet, row, matcher);
        let layout = if is_sub_header(sheet, row, &top, matcher) {
            combine(row, top, titled_columns(sheet, row + 1, matcher))
        } else {
            Layout {
                header_row: row,
                data_start: row + 1,
                columns: top,
            }
        };
        // Strictly better only: on a tie the upper row wins, so the top row
        // of a two-row header beats its lower row read alone.
        if layout.usable() && best.as_ref().is_none_or(|b| layout.score() > b.score()) {
            best = Some(layout);
        }
    }
    best
}

/// The non-empty header texts of one row, merged values carried over
/// their whole range (only the top-left cell of a merge holds the text).
fn titled_columns(sheet: &Sheet, row: usize, matcher: &HeaderMatcher) -> Vec<HeaderColumn> {
    (0..sheet.width())
        .filter_map(|col| {
            let header = nfc(&sheet.merged_cell(row, col).as_text());
            if header.is_empty() {
                return None;
            }
            let found = matcher.field(&header);
            Some(HeaderColumn {
                col,
                header,
                field: found.map(|(f, _)| f),
                rank: found.map_or(0, |(_, r)| r),
            })
        })
        .collect()
}

/// Whether the row below `row` refines it: a known header of `row` spans
/// several columns (merged across, or followed by blank cells when merges
/// were lost in CSV) and the row below names known fields under it.
fn is_sub_header(sheet: &Sheet, row: usize, top: &[HeaderColumn], matcher: &HeaderMatcher) -> bool {
    if row + 1 >= sheet.rows.len() {
        return false;
    }
    top.iter().filter(|c| c.field.is_some()).any(|c| {
        let last = span_end(sheet, row, c.col);
        last > c.col
            && (c.col..=last).any(|col| {
                let below = nfc(&sheet.merged_cell(row + 1, col).as_text());
                matcher
                    .field(&below)
                    .is_some_and(|(f, _)| Some(f) != c.field)
            })
    })
}

/// The last column a header cell at (`row`, `col`) covers.
fn span_end(sheet: &Sheet, row: usize, col: usize) -> usize {
    let merged = sheet
        .merges
        .iter()
        .find(|m| m.contains(row, col) && m.last_row as usize == row);
    if let Some(m) = merged {
        return m.last_col as usize;
    }
    let covered = |c: usize| sheet.merges.iter().any(|m| m.contains(row, c));
    let mut last = col;
    while last + 1 < sheet.width() && sheet.cell(row, last + 1).is_blank() && !covered(last + 1) {
        last += 1;
    }
    last
}

/// A two-row header: the lower row's field wins where it names one
/// ("Tên" under "Họ và tên"), the upper row's elsewhere.
fn combine(row: usize, top: Vec<HeaderColumn>, below: Vec<HeaderColumn>) -> Layout {
    let mut cols: Vec<usize> = top.iter().chain(&below).map(|c| c.col).collect();
    cols.sort_unstable();
    cols.dedup();
    let columns = cols
        .into_iter()
        .map(|col| {
            let upper = top.iter().find(|c| c.col == col);
            let lower = below.iter().find(|c| c.col == col);
            let header = match (upper, lower) {
                (Some(u), Some(l)) if u.header != l.header => {
                    format!("{} / {}", u.header, l.header)
                }
                (Some(u), _) => u.header.clone(),
                (None, Some(l)) => l.header.clone(),
                (None, None) => unreachable!("column {col} comes from one of the rows"),
            };
            let (field, rank) = match (lower.and_then(|l| l.field), upper.and_then(|u| u.field)) {
                (Some(f), _) => (Some(f), lower.map_or(0, |l| l.rank)),
                (None, Some(f)) => (Some(f), upper.map_or(0, |u| u.rank)),
                (None, None) => (None, 0),
            };
            HeaderColumn {
                col,
                header,
                field,
                rank,
            }
        })
        .collect();
    Layout {
        header_row: row,
        data_start: row + 2,
        columns,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::office::sheet::{Cell, Merge};

    fn row(texts: &[&str]) -> Vec<Cell> {
        texts
            .iter()
            .map(|t| {
                if t.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text((*t).into())
                }
            })
            .collect()
    }

    fn fields(layout: &Layout) -> Vec<(usize, Option<Field>)> {
        layout.columns.iter().map(|c| (c.col, c.field)).collect()
    }

    #[test]
    fn title_rows_are_skipped() {
        let sheet = Sheet {
            name: "12.6".into(),
            rows: vec![
                row(&["SỞ GD&ĐT HÀ NỘI"]),
                row(&["DANH SÁCH HỌC SINH LỚP 12.6"]),
                row(&[]),
                row(&["STT", "Họ tên", "Ngày sinh", "Dân tộc"]),
                row(&["1", "Lê An", "01/01/2008", "Kinh"]),
            ],
            merges: vec![],
        };
        let layout = find_header(&sheet, &HeaderMatcher::new()).unwrap();
        assert_eq!(layout.header_row, 3);
        assert_eq!(layout.data_start, 4);
        assert_eq!(
            fields(&layout),
            [
                (0, Some(Field::RowNumber)),
                (1, Some(Field::FullName)),
                (2, Some(Field::Birth)),
                (3, None)
            ]
        );
    }

    #[test]
    fn a_name_alone_is_not_a_header() {
        let sheet = Sheet {
            name: "S".into(),
            rows: vec![
                row(&["STT", "Họ và tên", "Lớp"]),
                row(&["1", "Lê An", "12A1"]),
            ],
            merges: vec![],
        };
        assert_eq!(find_header(&sheet, &HeaderMatcher::new()), None);
    }

    #[test]
    fn merged_two_row_header_is_combined() {
        let m = |first_row, first_col, last_row, last_col| Merge {
            first_row,
            first_col,
            last_row,
            last_col,
        };
        let sheet = Sheet {
            name: "S".into(),
            rows: vec![
                row(&["STT", "Họ và tên", "", "Ngày sinh"]),
                row(&["", "Họ đệm", "Tên", ""]),
                row(&["1", "Lê Văn", "An", "01/01/2008"]),
            ],
            merges: vec![m(0, 0, 1, 0), m(0, 1, 0, 2), m(0, 3, 1, 3)],
        };
        let layout = find_header(&sheet, &HeaderMatcher::new()).unwrap();
        assert_eq!(layout.header_row, 0);
        assert_eq!(layout.data_start, 2);
        assert_eq!(
            fields(&layout),
            [
                (0, Some(Field::RowNumber)),
                (1, Some(Field::FamilyMiddle)),
                (2, Some(Field::GivenName)),
                (3, Some(Field::Birth))
            ]
        );
        assert_eq!(layout.columns[2].header, "Họ và tên / Tên");
        assert_eq!(layout.columns[0].header, "STT");
    }

    #[test]
    fn two_row_header_without_merges_as_in_csv() {
        let sheet = Sheet {
            name: "S".into(),
            rows: vec![
                row(&["STT", "Họ và tên", "", "SBD"]),
                row(&["", "Họ đệm", "Tên", ""]),
                row(&["1", "Lê Văn", "An", "0001"]),
            ],
            merges: vec![],
        };
        let layout = find_header(&sheet, &HeaderMatcher::new()).unwrap();
        assert_eq!(layout.data_start, 2);
        assert_eq!(layout.columns[1].field, Some(Field::FamilyMiddle));
        assert_eq!(layout.columns[2].field, Some(Field::GivenName));
        assert_eq!(layout.columns[3].field, Some(Field::CandidateNumber));
    }
}
