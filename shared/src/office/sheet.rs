//! The input grid of a roster import, independent of the file format.
//!
//! The relay reads .xlsx, .xls or CSV into [`Sheet`]s; everything after that
//! (finding the header, reading the rows) works on this grid, so the import
//! rules are the same whatever the school exported.

use serde::{Deserialize, Serialize};

/// One cell as the spreadsheet typed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cell {
    Empty,
    Text(String),
    /// A number cell. In a date column it may be an Excel date serial that
    /// lost its date format.
    Number(f64),
    /// A cell formatted as a date: days since 1899-12-30 as Excel counts
    /// them (with its fake 29 February 1900).
    Date {
        serial: f64,
    },
    Bool(bool),
}

impl Cell {
    /// Whether the cell holds nothing a person could see: empty, or text of
    /// only spaces (NBSP and zero-width characters included).
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(text) => text.chars().all(invisible),
            _ => false,
        }
    }

    /// The cell as text: a text cell unchanged, a number in its shortest
    /// decimal form (never scientific: 74012345678.0 → "74012345678"), a
    /// date's serial, a boolean as TRUE/FALSE as Excel shows it.
    pub fn as_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => text.clone(),
            Cell::Number(n) | Cell::Date { serial: n } => format!("{n}"),
            Cell::Bool(true) => "TRUE".to_owned(),
            Cell::Bool(false) => "FALSE".to_owned(),
        }
    }
}

/// Characters that render as nothing or as a space.
fn invisible(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200D}' | '\u{FEFF}')
}

/// A merged range, 0-based and inclusive. Only its top-left cell holds the
/// value; the others read as empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Merge {
    pub first_row: u32,
    pub first_col: u32,
    pub last_row: u32,
    pub last_col: u32,
}

impl Merge {
    /// Whether the cell at (`row`, `col`) lies inside this range.
    pub fn contains(&self, row: usize, col: usize) -> bool {
        (self.first_row as usize..=self.last_row as usize).contains(&row)
            && (self.first_col as usize..=self.last_col as usize).contains(&col)
    }
}

/// One worksheet. Rows may have different lengths; a missing cell is empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
    #[serde(default)]
    pub merges: Vec<Merge>,
}

impl Sheet {
    /// A sheet from CSV fields (see [`crate::csv::parse`]): every field is
    /// text, a blank field is [`Cell::Empty`]. CSV has no merges.
    pub fn from_csv_rows(name: impl Into<String>, rows: Vec<Vec<String>>) -> Sheet {
        let rows = rows
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|field| {
                        let cell = Cell::Text(field);
                        if cell.is_blank() { Cell::Empty } else { cell }
                    })
                    .collect()
            })
            .collect();
        Sheet {
            name: name.into(),
            rows,
            merges: Vec::new(),
        }
    }

    /// The cell at (`row`, `col`), 0-based; empty outside the data.
    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        const EMPTY: &Cell = &Cell::Empty;
        self.rows.get(row).and_then(|r| r.get(col)).unwrap_or(EMPTY)
    }

    /// The cell at (`row`, `col`), or for a covered cell of a merged range
    /// the range's top-left cell: how a person reads a merged header.
    pub fn merged_cell(&self, row: usize, col: usize) -> &Cell {
        let own = self.cell(row, col);
        if !own.is_blank() {
            return own;
        }
        self.merges
            .iter()
            .find(|m| m.contains(row, col))
            .map_or(own, |m| {
                self.cell(m.first_row as usize, m.first_col as usize)
            })
    }

    /// Whether the row has no visible value.
    pub fn row_is_blank(&self, row: usize) -> bool {
        self.rows
            .get(row)
            .is_none_or(|cells| cells.iter().all(Cell::is_blank))
    }

    /// Whether the whole sheet has no visible value.
    pub fn is_blank(&self) -> bool {
        (0..self.rows.len()).all(|r| self.row_is_blank(r))
    }

    /// The widest row's length.
    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }
}

/// The spreadsheet letter of a 0-based column: 0 → "A", 25 → "Z",
/// 26 → "AA", 701 → "ZZ", 702 → "AAA".
pub fn column_letter(col: usize) -> String {
    // Bijective base 26: there is no zero digit, so shift by one each step.
    let mut n = col + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_are_bijective_base_26() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(3), "D");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn csv_rows_become_text_and_blank_fields_empty() {
        let sheet = Sheet::from_csv_rows(
            "Lớp 12A1",
            vec![vec!["STT".into(), " \u{a0}".into(), "079208001234".into()]],
        );
        assert_eq!(sheet.cell(0, 0), &Cell::Text("STT".into()));
        assert_eq!(sheet.cell(0, 1), &Cell::Empty);
        // Leading zeros survive: CSV cells are text.
        assert_eq!(sheet.cell(0, 2), &Cell::Text("079208001234".into()));
        assert_eq!(sheet.cell(5, 9), &Cell::Empty);
        assert!(sheet.merges.is_empty());
    }

    #[test]
    fn merged_cell_reads_the_top_left_value() {
        let sheet = Sheet {
            name: "S".into(),
            rows: vec![
                vec![Cell::Text("Họ và tên".into()), Cell::Empty],
                vec![Cell::Text("Họ đệm".into()), Cell::Text("Tên".into())],
            ],
            merges: vec![Merge {
                first_row: 0,
                first_col: 0,
                last_row: 0,
                last_col: 1,
            }],
        };
        assert_eq!(sheet.merged_cell(0, 1), &Cell::Text("Họ và tên".into()));
        // Outside the range a blank cell stays blank.
        assert_eq!(sheet.merged_cell(2, 1), &Cell::Empty);
        assert_eq!(sheet.merged_cell(1, 1), &Cell::Text("Tên".into()));
    }

    #[test]
    fn numbers_print_without_exponent() {
        assert_eq!(Cell::Number(74012345678.0).as_text(), "74012345678");
        assert_eq!(Cell::Number(12.6).as_text(), "12.6");
        assert_eq!(Cell::Number(1234.0).as_text(), "1234");
        assert!(Cell::Text("\u{200b} ".into()).is_blank());
        assert!(!Cell::Number(0.0).is_blank());
    }
}
