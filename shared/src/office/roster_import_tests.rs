//! Tests of the roster importer ([`super`]), each on data it builds itself.

use super::*;
use crate::office::names::match_key;
use crate::office::sheet::Merge;

const SITE: &str = "Trường THPT Chu Văn An";

fn cell(text: &str) -> Cell {
    if text.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(text.into())
    }
}

fn row(texts: &[&str]) -> Vec<Cell> {
    texts.iter().map(|t| cell(t)).collect()
}

fn sheet(name: &str, rows: Vec<Vec<Cell>>) -> Sheet {
    Sheet {
        name: name.into(),
        rows,
        merges: Vec::new(),
    }
}

fn ctx() -> ImportContext {
    ImportContext {
        known_sites: vec![SITE.into()],
        known_rooms: vec![
            (SITE.into(), "Phòng 01".into()),
            (SITE.into(), "Phòng 02".into()),
        ],
        known_shifts: vec!["Ca 1".into(), "Ca 2".into()],
        default_site: Some(SITE.into()),
        require_person_id: false,
    }
}

fn date(y: u32, m: u32, d: u32) -> Option<Date> {
    Some(Date::new(y, m, d).unwrap())
}

const HEADER: [&str; 12] = [
    "STT",
    "SBD",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số CCCD",
    "Mã học sinh",
    "Lớp",
    "Điểm thi",
    "Phòng thi",
    "Ca thi",
    "Số máy",
];
const NAMES: [&str; 5] = [
    "Nguyễn Văn An",
    "Trần Văn Bình",
    "Lê Văn Cường",
    "Phạm Văn Dũng",
    "Hoàng Văn Em",
];

/// A header on row 1 (columns A–L as in `HEADER`) and `n` valid rows
/// from row 2, changed by `edit` (indices: data row, column).
fn roster(n: usize, edit: impl FnOnce(&mut Vec<Vec<String>>)) -> Sheet {
    let mut rows: Vec<Vec<String>> = (1..=n)
        .map(|i| {
            vec![
                i.to_string(),
                format!("TN{i:04}"),
                NAMES[(i - 1) % NAMES.len()].to_owned(),
                "05/09/2007".to_owned(),
                "Nam".to_owned(),
                // Hà Nội, male born 2007.
                format!("001207{i:06}"),
                format!("HS{i:03}"),
                "12A1".to_owned(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]
        })
        .collect();
    edit(&mut rows);
    let mut cells = vec![row(&HEADER)];
    cells.extend(
        rows.iter()
            .map(|r| r.iter().map(|t| cell(t)).collect::<Vec<_>>()),
    );
    sheet("12A1", cells)
}

/// The only error, which must have `code`.
fn only_error<'p>(preview: &'p RosterPreview, code: &str) -> &'p RowIssue {
    assert_eq!(preview.errors.len(), 1, "{:#?}", preview.errors);
    let e = &preview.errors[0];
    assert_eq!(e.code, code, "{e:#?}");
    e
}

fn at(issue: &RowIssue) -> (u32, &str) {
    (issue.row, issue.column.as_str())
}

#[test]
fn csdl_export_with_title_rows_and_sensitive_columns() {
    let header = [
        "STT",
        "Mã định danh Bộ GD&ĐT",
        "Họ tên",
        "Ngày sinh",
        "Giới tính",
        "Dân tộc",
        "Số CMND",
        "Tên cha",
        "SĐT liên hệ",
        "Lớp học",
        "Số định danh cá nhân",
    ];
    let mut rows = vec![
        row(&["SỞ GIÁO DỤC VÀ ĐÀO TẠO HÀ NỘI"]),
        row(&["", "DANH SÁCH HỌC SINH LỚP 12.6"]),
        row(&[]),
        row(&header),
        row(&[
            "1",
            "0123456789",
            "Nguyễn Văn An",
            "05/09/2007",
            "Nam",
            "Kinh",
            "001207001234",
            "Nguyễn Văn Bảo",
            "0912345678",
            "12.6",
            "001207001234",
        ]),
        row(&[
            "2",
            "0123456790",
            "Trần Thị Ánh",
            "12/03/2007",
            "Nữ",
            "Tày",
            "",
            "Trần Văn Cường",
            "0987654321",
            "12.6",
            "079307004321",
        ]),
    ];
    // As an .xlsx reader gives them: numbers and a date cell.
    rows.push(vec![
        Cell::Number(3.0),
        cell("0123456791"),
        cell("Lê Minh Châu"),
        Cell::Date { serial: 39097.0 },
        cell("nam"),
        cell("Kinh"),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Number(12.6),
        cell("001207009999"),
    ]);
    let preview = import_roster(&[sheet("Sheet1", rows)], &ctx());
    assert!(preview.is_acceptable(), "{:#?}", preview.errors);
    assert_eq!(preview.header_row, Some(4));
    assert_eq!(
        preview.metadata,
        [
            "SỞ GIÁO DỤC VÀ ĐÀO TẠO HÀ NỘI",
            "DANH SÁCH HỌC SINH LỚP 12.6"
        ]
    );
    let c = &preview.candidates;
    assert_eq!(c.len(), 3);
    assert_eq!((c[0].row, c[0].full_name.as_str()), (5, "Nguyễn Văn An"));
    assert_eq!(c[0].given_name, "An");
    assert_eq!(c[0].pupil_id.as_deref(), Some("0123456789"));
    assert_eq!(c[0].birth, date(2007, 9, 5));
    assert_eq!(c[0].sex, Some(Sex::Male));
    assert_eq!(c[0].person_id.as_deref(), Some("001207001234"));
    assert_eq!(c[0].class.as_deref(), Some("12.6"));
    assert_eq!(c[0].site.as_deref(), Some(SITE));
    // "Số CMND" is blank on row 6: the ID comes from column K.
    assert_eq!(c[1].person_id.as_deref(), Some("079307004321"));
    assert_eq!(c[1].sex, Some(Sex::Female));
    assert_eq!(c[2].row, 7);
    assert_eq!(c[2].birth, date(2007, 1, 15));
    assert_eq!(c[2].class.as_deref(), Some("12.6"));

    let dropped: Vec<(&str, &str, bool)> = preview
        .dropped_columns
        .iter()
        .map(|d| (d.column.as_str(), d.header.as_str(), d.sensitive))
        .collect();
    assert_eq!(
        dropped,
        [
            ("F", "Dân tộc", true),
            ("H", "Tên cha", true),
            ("I", "SĐT liên hệ", true)
        ]
    );
    let mapped = |letter: &str| {
        preview
            .columns
            .iter()
            .find(|m| m.column == letter)
            .and_then(|m| m.field.clone())
    };
    assert_eq!(mapped("B").as_deref(), Some("pupil_id"));
    assert_eq!(mapped("G").as_deref(), Some("person_id"));
    assert_eq!(mapped("K").as_deref(), Some("person_id"));
    assert_eq!(mapped("F"), None);
    // Dropped data is not carried anywhere in the preview.
    let json = serde_json::to_string(&preview).unwrap();
    for never in ["Kinh", "Tày", "0912345678", "Trần Văn Cường", "Bảo"] {
        assert!(!json.contains(never), "{never} leaked");
    }
}

#[test]
fn vnedu_two_row_merged_header() {
    let merge = |first_row, first_col, last_row, last_col| Merge {
        first_row,
        first_col,
        last_row,
        last_col,
    };
    let mut s = sheet(
        "Toán",
        vec![
            row(&["SỞ GD&ĐT THÀNH PHỐ HÀ NỘI"]),
            row(&["TRƯỜNG THPT CHU VĂN AN"]),
            row(&["BẢNG ĐIỂM CHI TIẾT - MÔN Toán - HỌC KỲ I - NĂM HỌC 2024-2025"]),
            row(&["Khối 12 - Lớp 12A1"]),
            row(&[]),
            row(&[
                "STT",
                "Mã học sinh",
                "Họ và tên",
                "",
                "Ngày sinh",
                "ĐĐGtx",
                "",
                "",
            ]),
            row(&["", "", "Họ đệm", "Tên", "", "TX1", "TX2", "TX3"]),
            row(&[
                "1",
                "HS001",
                "Nguyễn Thị",
                "Mai Anh",
                "01/02/2008",
                "8",
                "9",
                "10",
            ]),
            row(&["2", "HS002", "Lê Văn", "Bình", "1-2-2008", "7", "", ""]),
            row(&["Tổng số: 2 học sinh"]),
            row(&["", "", "", "", "", "Người lập biểu"]),
        ],
    );
    s.merges = vec![
        merge(5, 0, 6, 0),
        merge(5, 1, 6, 1),
        merge(5, 2, 5, 3),
        merge(5, 4, 6, 4),
        merge(5, 5, 5, 7),
        merge(9, 0, 9, 7),
    ];
    let preview = import_roster(&[s], &ctx());
    assert!(preview.is_acceptable(), "{:#?}", preview.errors);
    assert_eq!(preview.header_row, Some(6));
    assert_eq!(preview.metadata.len(), 4);
    assert!(preview.metadata[2].ends_with("NĂM HỌC 2024-2025"));
    let c = &preview.candidates;
    assert_eq!(c.len(), 2);
    assert_eq!(c[0].row, 8);
    assert_eq!(c[0].full_name, "Nguyễn Thị Mai Anh");
    // The school's split is kept, not the last-word rule.
    assert_eq!(c[0].given_name, "Mai Anh");
    assert_eq!(c[0].pupil_id.as_deref(), Some("HS001"));
    assert_eq!(c[1].full_name, "Lê Văn Bình");
    assert_eq!(c[1].given_name, "Bình");
    assert_eq!(c[1].birth, date(2008, 2, 1));
    let field = |letter: &str| {
        preview
            .columns
            .iter()
            .find(|m| m.column == letter)
            .map(|m| (m.header.clone(), m.field.clone()))
    };
    assert_eq!(
        field("C"),
        Some(("Họ và tên / Họ đệm".into(), Some("family_middle".into())))
    );
    assert_eq!(
        field("D"),
        Some(("Họ và tên / Tên".into(), Some("given_name".into())))
    );
    let dropped: Vec<(&str, bool)> = preview
        .dropped_columns
        .iter()
        .map(|d| (d.column.as_str(), d.sensitive))
        .collect();
    assert_eq!(dropped, [("F", false), ("G", false), ("H", false)]);
    assert_eq!(preview.dropped_columns[0].header, "ĐĐGtx / TX1");
}

#[test]
fn csv_headers_without_diacritics() {
    let text = "Ho va ten,Ngay sinh,So CCCD,Gioi tinh\r\n\
                    Nguyen Van An,5-9-2007,001207001234,Nam\r\n\
                    Tran Thi Anh,12.3.2007,79307004321,Nu\r\n";
    let s = Sheet::from_csv_rows("roster.csv", crate::csv::parse(text).unwrap());
    let preview = import_roster(&[s], &ctx());
    assert!(preview.is_acceptable(), "{:#?}", preview.errors);
    assert_eq!(preview.header_row, Some(1));
    let c = &preview.candidates;
    assert_eq!(c.len(), 2);
    assert_eq!(c[0].birth, date(2007, 9, 5));
    assert_eq!(c[1].birth, date(2007, 3, 12));
    assert_eq!(c[1].sex, Some(Sex::Female));
    // The CSV came from a number column: the zero is restored.
    assert_eq!(c[1].person_id.as_deref(), Some("079307004321"));
    assert_eq!(preview.warnings.len(), 1);
    assert_eq!(preview.warnings[0].code, "person_id_padded");
    assert_eq!(at(&preview.warnings[0]), (3, "C"));
}

#[test]
fn nfd_names_are_stored_nfc_and_keep_their_tone_style() {
    let nfd = "Nguye\u{0302}\u{0303}n\u{a0}Thi\u{0323} Thu\u{0309}y";
    let s = roster(1, |rows| rows[0][2] = nfd.to_owned());
    let preview = import_roster(&[s], &ctx());
    assert!(preview.is_acceptable(), "{:#?}", preview.errors);
    let c = &preview.candidates[0];
    assert_eq!(c.full_name, "Nguyễn Thị Thủy");
    assert_eq!(c.given_name, "Thủy");
    assert_eq!(match_key(&c.full_name), match_key("Nguyễn Thị Thuỷ"));
}

#[test]
fn dates_in_every_form() {
    let mut s = roster(6, |rows| {
        rows[0][3] = "01/01/2008".into();
        rows[1][3] = "1-1-2008".into();
        rows[2][3] = "2008-01-01".into();
        rows[3][3] = "1.1.2008".into();
    });
    s.rows[5][3] = Cell::Number(39448.0);
    s.rows[6][3] = Cell::Date { serial: 39448.0 };
    // The IDs say 2007; make them say 2008 (century digit 2, year 08).
    for r in 1..=6 {
        s.rows[r][5] = cell(&format!("001208{r:06}"));
    }
    let preview = import_roster(&[s], &ctx());
    assert!(preview.is_acceptable(), "{:#?}", preview.errors);
    for c in &preview.candidates {
        assert_eq!(c.birth, date(2008, 1, 1), "row {}", c.row);
    }
}

#[test]
fn eleven_digit_id_in_a_number_cell_is_padded_with_a_warning() {
    let mut s = roster(2, |_| {});
    // Excel shows it as 7.92071E+10; the stored float is exact.
    s.rows[2][5] = Cell::Number(7.9207000002e10);
    let preview = import_roster(&[s], &ctx());
    assert!(preview.is_acceptable(), "{:#?}", preview.errors);
    assert_eq!(
        preview.candidates[1].person_id.as_deref(),
        Some("079207000002")
    );
    assert_eq!(preview.warnings.len(), 1);
    let w = &preview.warnings[0];
    assert_eq!(
        (w.code.as_str(), w.field.as_str()),
        ("person_id_padded", "person_id")
    );
    assert_eq!(at(w), (3, "F"));
    assert_eq!(w.value, "79207000002");
    // Messages go to logs: the ID is masked there.
    assert!(!w.message.contains("079207000002"), "{}", w.message);
}

#[test]
fn name_missing() {
    let s = roster(3, |rows| rows[2][2] = "\u{a0}".into());
    let preview = import_roster(&[s], &ctx());
    assert_eq!(at(only_error(&preview, "name_missing")), (4, "C"));
    assert!(!preview.is_acceptable());
    // The row is still listed, so the school sees it beside its error.
    assert_eq!(preview.candidates.len(), 3);
}

#[test]
fn person_id_invalid() {
    let s = roster(3, |rows| rows[1][5] = "00120700000A".into());
    let preview = import_roster(&[s], &ctx());
    let e = only_error(&preview, "person_id_invalid");
    assert_eq!(at(e), (3, "F"));
    assert_eq!(e.value, "00120700000A");
    assert_eq!(preview.candidates[1].person_id, None);

    let s = roster(3, |rows| rows[2][5] = "123456789".into());
    let preview = import_roster(&[s], &ctx());
    let e = only_error(&preview, "person_id_invalid");
    assert_eq!(at(e), (4, "F"));
    assert!(e.message.contains("9 digits"), "{}", e.message);

    // Province 000 does not exist.
    let s = roster(1, |rows| rows[0][5] = "000207000001".into());
    let preview = import_roster(&[s], &ctx());
    assert_eq!(at(only_error(&preview, "person_id_invalid")), (2, "F"));
}

#[test]
fn person_id_missing_when_required() {
    let s = roster(3, |rows| rows[2][5] = String::new());
    let mut context = ctx();
    assert!(import_roster(std::slice::from_ref(&s), &context).is_acceptable());
    context.require_person_id = true;
    let preview = import_roster(&[s], &context);
    assert_eq!(at(only_error(&preview, "person_id_missing")), (4, "F"));
}

#[test]
fn birth_invalid() {
    let s = roster(2, |rows| rows[0][3] = "31/02/2007".into());
    let preview = import_roster(&[s], &ctx());
    let e = only_error(&preview, "birth_invalid");
    assert_eq!(at(e), (2, "D"));
    assert_eq!(e.field, "birth");
    assert!(
        e.message.contains("that month has 28 days"),
        "{}",
        e.message
    );
    assert_eq!(preview.candidates[0].birth, None);

    let s = roster(2, |rows| rows[1][3] = "sinh năm 2007".into());
    let preview = import_roster(&[s], &ctx());
    assert_eq!(at(only_error(&preview, "birth_invalid")), (3, "D"));
}

#[test]
fn birth_contradicts_id_year_and_sex() {
    let s = roster(3, |rows| rows[1][3] = "05/09/2008".into());
    let preview = import_roster(&[s], &ctx());
    let e = only_error(&preview, "birth_contradicts_id");
    assert_eq!(at(e), (3, "F"));
    assert!(e.message.contains("2007") && e.message.contains("05/09/2008"));

    let s = roster(3, |rows| rows[2][4] = "Nữ".into());
    let preview = import_roster(&[s], &ctx());
    let e = only_error(&preview, "birth_contradicts_id");
    assert_eq!(at(e), (4, "F"));
    assert!(e.message.contains("sex"), "{}", e.message);
}

#[test]
fn sex_invalid() {
    let s = roster(2, |rows| rows[0][4] = "x".into());
    let preview = import_roster(&[s], &ctx());
    assert_eq!(at(only_error(&preview, "sex_invalid")), (2, "E"));
}

#[test]
fn duplicate_person_id_names_both_rows() {
    let s = roster(4, |rows| rows[3][5] = rows[1][5].clone());
    let preview = import_roster(&[s], &ctx());
    let e = only_error(&preview, "duplicate_person_id");
    assert_eq!(at(e), (5, "F"));
    assert!(e.message.contains("rows 3 and 5"), "{}", e.message);
    assert!(!e.message.contains("001207000002"), "masked: {}", e.message);
}

#[test]
fn duplicate_candidate_number_names_both_rows() {
    let s = roster(3, |rows| rows[2][1] = "tn0001".into());
    let preview = import_roster(&[s], &ctx());
    let e = only_error(&preview, "duplicate_candidate_number");
    assert_eq!(at(e), (4, "B"));
    assert!(e.message.contains("rows 2 and 4"), "{}", e.message);
}

#[test]
fn candidate_numbers_are_text() {
    let mut s = roster(2, |rows| rows[1][1] = "00012".into());
    s.rows[1][1] = Cell::Number(1234.0);
    let preview = import_roster(&[s], &ctx());
    assert!(preview.is_acceptable(), "{:#?}", preview.errors);
    assert_eq!(
        preview.candidates[0].candidate_number.as_deref(),
        Some("1234")
    );
    assert_eq!(
        preview.candidates[1].candidate_number.as_deref(),
        Some("00012")
    );
}

#[test]
fn duplicate_pupil_id() {
    let s = roster(5, |rows| rows[4][6] = "HS001".into());
    let preview = import_roster(&[s], &ctx());
    let e = only_error(&preview, "duplicate_pupil_id");
    assert_eq!(at(e), (6, "G"));
    assert!(e.message.contains("rows 2 and 6"), "{}", e.message);
}

#[test]
fn duplicates_across_sheets_name_the_sheets() {
    let mut a = roster(2, |_| {});
    a.name = "12A1".into();
    let mut b = roster(2, |rows| {
        rows[0][1] = "TN0101".into();
        rows[1][1] = "TN0102".into();
        rows[0][6] = "HS101".into();
        rows[1][6] = "HS102".into();
        rows[1][5] = "001207000099".into();
    });
    b.name = "12A2".into();
    let preview = import_roster(&[a, b], &ctx());
    // Row 2 of 12A2 repeats row 2 of 12A1's ID.
    let e = only_error(&preview, "duplicate_person_id");
    assert_eq!(
        (e.sheet.as_str(), e.row, e.column.as_str()),
        ("12A2", 2, "F")
    );
    assert!(
        e.message
            .contains("sheet \"12A1\" row 2 and sheet \"12A2\" row 2"),
        "{}",
        e.message
    );
    assert_eq!(preview.candidates.len(), 4);
    assert_eq!(preview.sheets.len(), 2);
    assert_eq!(preview.sheets[1].candidates, 2);
    // The same layout twice is listed once.
    assert_eq!(preview.columns.len(), HEADER.len());
}

#[test]
fn sites_rooms_and_shifts_match_known_names() {
    let s = roster(2, |rows| {
        rows[0][8] = "THPT Chu Van An".into();
        rows[0][9] = "phong 1".into();
        rows[0][10] = "ca 2".into();
        rows[0][11] = "Máy 05".into();
        rows[1][9] = "02".into();
    });
    let preview = import_roster(&[s], &ctx());
    assert!(preview.is_acceptable(), "{:#?}", preview.errors);
    let c = &preview.candidates;
    assert_eq!(c[0].site.as_deref(), Some(SITE));
    assert_eq!(c[0].room.as_deref(), Some("Phòng 01"));
    assert_eq!(c[0].shift.as_deref(), Some("Ca 2"));
    assert_eq!(c[0].seat, Some(5));
    // No site in the row: the default; no shift or seat: left empty.
    assert_eq!(c[1].site.as_deref(), Some(SITE));
    assert_eq!(c[1].room.as_deref(), Some("Phòng 02"));
    assert_eq!((c[1].shift.as_deref(), c[1].seat), (None, None));
}

#[test]
fn unknown_site() {
    let s = roster(2, |rows| rows[0][8] = "THCS Kim Liên".into());
    let preview = import_roster(&[s], &ctx());
    assert_eq!(at(only_error(&preview, "unknown_site")), (2, "I"));
}

#[test]
fn unknown_room() {
    let s = roster(2, |rows| rows[1][9] = "Phòng 09".into());
    let preview = import_roster(&[s], &ctx());
    assert_eq!(at(only_error(&preview, "unknown_room")), (3, "J"));
}

#[test]
fn room_ambiguous_without_a_site() {
    let mut context = ctx();
    context.known_sites.push("THCS Kim Liên".into());
    context
        .known_rooms
        .push(("THCS Kim Liên".into(), "Phòng 01".into()));
    context.default_site = None;
    let s = roster(2, |rows| rows[0][9] = "Phòng 01".into());
    let preview = import_roster(&[s], &context);
    assert_eq!(at(only_error(&preview, "room_ambiguous")), (2, "J"));
}

#[test]
fn unknown_shift() {
    let s = roster(3, |rows| rows[2][10] = "Ca 3".into());
    let preview = import_roster(&[s], &ctx());
    assert_eq!(at(only_error(&preview, "unknown_shift")), (4, "K"));
}

#[test]
fn seat_invalid() {
    let s = roster(4, |rows| rows[3][11] = "cửa sổ".into());
    let preview = import_roster(&[s], &ctx());
    let e = only_error(&preview, "seat_invalid");
    assert_eq!(at(e), (5, "L"));
    assert_eq!(e.value, "cửa sổ");
}

#[test]
fn duplicate_seat() {
    let s = roster(2, |rows| {
        for r in rows.iter_mut() {
            r[9] = "Phòng 01".into();
            r[10] = "Ca 1".into();
            r[11] = "7".into();
        }
    });
    let preview = import_roster(&[s], &ctx());
    let e = only_error(&preview, "duplicate_seat");
    assert_eq!(at(e), (3, "L"));
    assert!(e.message.contains("rows 2 and 3"), "{}", e.message);
}

#[test]
fn header_not_found_and_blank_sheets() {
    let notes = sheet("Ghi chú", vec![row(&["Danh sách gửi Sở ngày 5/9"])]);
    let blank = sheet("Sheet3", vec![row(&[]), row(&["", "\u{a0}"])]);
    let preview = import_roster(&[roster(2, |_| {}), notes, blank], &ctx());
    let e = only_error(&preview, "header_not_found");
    assert_eq!(
        (e.sheet.as_str(), e.row, e.column.as_str()),
        ("Ghi chú", 0, "")
    );
    assert_eq!(preview.candidates.len(), 2);
    assert_eq!(preview.sheets.len(), 3);
    assert_eq!(preview.sheets[2].header_row, None);

    let preview = import_roster(&[roster(0, |_| {})], &ctx());
    assert_eq!(only_error(&preview, "roster_empty").row, 0);
    let preview = import_roster(&[sheet("Sheet1", vec![])], &ctx());
    assert_eq!(only_error(&preview, "roster_empty").sheet, "");
}

#[test]
fn data_ends_at_the_footer() {
    let mut s = roster(3, |_| {});
    s.rows.push(row(&["Tổng số: 30 học sinh"]));
    s.rows
        .push(row(&["", "", "Lê Thị Không Phải", "01/01/2007"]));
    let preview = import_roster(&[s], &ctx());
    assert!(preview.is_acceptable(), "{:#?}", preview.errors);
    assert_eq!(preview.candidates.len(), 3);

    // Without an STT column: the footer line itself ends the list.
    let text = "Họ và tên,Ngày sinh\n\
                    Nguyễn Văn An,05/09/2007\n\
                    Tổng số: 1 học sinh,\n\
                    Hiệu trưởng,01/01/1970\n";
    let s = Sheet::from_csv_rows("S", crate::csv::parse(text).unwrap());
    let preview = import_roster(&[s], &ctx());
    assert_eq!(preview.candidates.len(), 1);
    assert!(preview.is_acceptable(), "{:#?}", preview.errors);
}

#[test]
fn data_ends_when_stt_stops_and_the_name_is_empty() {
    let mut s = roster(2, |_| {});
    // A hand-made row without STT but with a name is read.
    s.rows.push(row(&[
        "",
        "TN0003",
        "Lê Văn Cường",
        "05/09/2007",
        "Nam",
        "001207000003",
    ]));
    s.rows
        .push(row(&["", "", "", "", "", "Người lập danh sách"]));
    s.rows.push(row(&["4", "TN0004", "Phạm Văn Dũng"]));
    let preview = import_roster(&[s], &ctx());
    let rows: Vec<u32> = preview.candidates.iter().map(|c| c.row).collect();
    assert_eq!(rows, [2, 3, 4]);
    // The numbered row below the signature line is not dropped
    // silently: it is an error at its cell.
    let stray: Vec<(u32, &str)> = preview
        .errors
        .iter()
        .map(|e| (e.row, e.code.as_str()))
        .collect();
    assert_eq!(stray, [(6, "row_after_end")]);
    assert_eq!(preview.errors[0].column, "A");
}

#[test]
fn three_blank_rows_end_the_data_two_do_not() {
    let mut s = roster(1, |_| {});
    s.rows.push(row(&[]));
    s.rows.push(row(&["", "\u{200b}"]));
    s.rows
        .push(row(&["2", "TN0002", "Trần Văn Bình", "05/09/2007"]));
    s.rows.extend([row(&[]), row(&[]), row(&[])]);
    s.rows
        .push(row(&["3", "TN0003", "Lê Văn Cường", "05/09/2007"]));
    let preview = import_roster(&[s], &ctx());
    let rows: Vec<u32> = preview.candidates.iter().map(|c| c.row).collect();
    assert_eq!(rows, [2, 5]);
    // Row 9, after three blank rows, is reported rather than lost.
    assert_eq!(
        preview
            .errors
            .iter()
            .map(|e| (e.row, e.code.as_str()))
            .collect::<Vec<_>>(),
        [(9, "row_after_end")]
    );
}

#[test]
fn header_repeated_at_a_page_break_is_skipped() {
    let mut s = roster(2, |_| {});
    s.rows.push(row(&HEADER));
    s.rows
        .push(row(&["3", "TN0003", "Lê Văn Cường", "05/09/2007"]));
    let preview = import_roster(&[s], &ctx());
    assert!(preview.is_acceptable(), "{:#?}", preview.errors);
    let rows: Vec<u32> = preview.candidates.iter().map(|c| c.row).collect();
    assert_eq!(rows, [2, 3, 5]);
}
