//! A roster file as sheets of cells: `.xlsx` and legacy `.xls` through
//! calamine (vnEdu still ships BIFF), anything else as CSV text. The grid
//! keeps the spreadsheet's own row and column positions, so every error the
//! importer reports names the row and column a person sees in Excel.

use std::io::Cursor;

use calamine::{Data, Reader, Xls, Xlsx};
use examgate_shared::office::sheet::{Cell, Merge, Sheet};

#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    #[error("the file is not a readable .xlsx workbook: {0}")]
    Xlsx(String),
    #[error("the file is not a readable .xls workbook: {0}")]
    Xls(String),
    #[error("the file is neither a spreadsheet nor UTF-8 text (CSV)")]
    NotText,
    #[error("CSV: {0}")]
    Csv(String),
}

/// Reads the sheets of an XLSX, XLS or CSV file, told apart by content.
pub fn read_sheets(bytes: &[u8]) -> Result<Vec<Sheet>, WorkbookError> {
    if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        read_xls(bytes)
    } else {
        let text = std::str::from_utf8(bytes).map_err(|_| WorkbookError::NotText)?;
        let rows =
            examgate_shared::csv::parse(text).map_err(|e| WorkbookError::Csv(e.to_string()))?;
        Ok(vec![Sheet::from_csv_rows("CSV".to_owned(), rows)])
    }
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Sheet>, WorkbookError> {
    let err = |e: calamine::XlsxError| WorkbookError::Xlsx(e.to_string());
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(err)?;
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(err)?;
        let merges = book.merge_cells_by_sheet_name(&name).map_err(err)?;
        out.push(sheet(name, &range, merges));
    }
    Ok(out)
}

fn read_xls(bytes: &[u8]) -> Result<Vec<Sheet>, WorkbookError> {
    let err = |e: calamine::XlsError| WorkbookError::Xls(e.to_string());
    let mut book: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(err)?;
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(err)?;
        let merges = book.merge_cells_by_sheet_name(&name).unwrap_or_default();
        out.push(sheet(name, &range, merges));
    }
    Ok(out)
}

/// The range placed at its real position (a sheet whose data starts at C4
/// still reports row 4, column C).
fn sheet(name: String, range: &calamine::Range<Data>, merges: Vec<calamine::Dimensions>) -> Sheet {
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); top as usize];
    for row in range.rows() {
        let mut cells = vec![Cell::Empty; left as usize];
        cells.extend(row.iter().map(cell));
        rows.push(cells);
    }
    Sheet {
        name,
        rows,
        merges: merges
            .into_iter()
            .map(|d| Merge {
                first_row: d.start.0,
                first_col: d.start.1,
                last_row: d.end.0,
                last_col: d.end.1,
            })
            .collect(),
    }
}

fn cell(data: &Data) -> Cell {
    match data {
        Data::Empty | Data::Error(_) => Cell::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(d) => Cell::Date { serial: d.as_f64() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_bom_and_semicolons() {
        let sheets = read_sheets("\u{feff}SBD;Họ và tên\n01;Lê An\n".as_bytes()).unwrap();
        assert_eq!(sheets.len(), 1);
        assert_eq!(sheets[0].rows[1][1], Cell::Text("Lê An".into()));
    }

    #[test]
    fn xlsx_keeps_positions_types_and_merges() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet().set_name("12A1").unwrap();
        ws.merge_range(1, 2, 1, 3, "Họ và tên", &rust_xlsxwriter::Format::new())
            .unwrap();
        ws.write_number(3, 2, 74012345678.0).unwrap();
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2008, 1, 31).unwrap();
        ws.write_datetime_with_format(
            3,
            3,
            &date,
            &rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy"),
        )
        .unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let sheets = read_sheets(&bytes).unwrap();
        let s = &sheets[0];
        assert_eq!(s.name, "12A1");
        assert_eq!(s.rows[1][2], Cell::Text("Họ và tên".into()));
        assert_eq!(s.rows[3][2], Cell::Number(74012345678.0));
        assert_eq!(s.rows[3][3], Cell::Date { serial: 39478.0 });
        assert_eq!(
            s.merges,
            vec![Merge {
                first_row: 1,
                first_col: 2,
                last_row: 1,
                last_col: 3
            }]
        );
    }

    #[test]
    fn garbage_is_refused_with_a_reason() {
        assert!(matches!(
            read_sheets(b"PK\x03\x04not really a zip"),
            Err(WorkbookError::Xlsx(_))
        ));
        assert!(matches!(
            read_sheets(&[0xff, 0xfe, 0x00, 0x41]),
            Err(WorkbookError::NotText)
        ));
    }
}
