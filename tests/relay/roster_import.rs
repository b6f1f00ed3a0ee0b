//! The roster import through the real relay: real-world-shaped workbooks
//! (.xlsx made by the tests, a legacy .xls fixture, the documented CSV),
//! each error at its row and column with nothing stored, and a second
//! import that keeps the first one's seats and numbers.

use std::collections::BTreeSet;

use examgate_shared::office::api::{NewShift, RosterImportReport};
use examgate_tests::office::{one_school, plan_pilot, set_up_office};
use examgate_tests::{TestRelay, now_ms};

use super::office::roster;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_roster_with_errors_stores_nothing_and_names_each_cell() {
    let relay = TestRelay::empty().await;
    let office = set_up_office(&relay).await;
    let pilot = plan_pilot(&office, 1, now_ms() + 3_600_000).await;
    let csv = "STT;Họ và tên;Ngày sinh;Số CCCD;Trường;Ca thi\n\
               1;Nguyễn Văn An;04/03/2008;042208100001;THPT Phan Đình Phùng;Ca 1\n\
               2;Trần Thị Bình;31/02/2008;042308100002;THPT Phan Đình Phùng;Ca 1\n\
               3;Lê Văn Cường;05/05/2008;04220810003;THPT Phan Đình Phùng;Ca 1\n\
               4;Phạm Thu Hà;06/06/2008;042208100001;THPT Phan Đình Phùng;Ca 1\n\
               5;Vũ Minh Huy;07/07/2008;042208100005;THPT Không Có;Ca 9\n";
    let a = office
        .post_bytes(
            &format!("/api/office/events/{}/roster", pilot.event),
            csv.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(a.status, 422);
    let report: RosterImportReport = a.json();
    assert!(!report.committed);
    let found: BTreeSet<(u32, String, String)> = report
        .preview
        .errors
        .iter()
        .map(|e| (e.row, e.column.clone(), e.code.clone()))
        .collect();
    for expected in [
        (3, "C", "birth_invalid"),
        (5, "D", "duplicate_person_id"),
        (6, "E", "unknown_site"),
        (6, "F", "unknown_shift"),
    ] {
        assert!(
            found.contains(&(expected.0, expected.1.to_string(), expected.2.to_string())),
            "{expected:?} in {found:?}"
        );
    }
    // Row 4's CCCD has 11 digits in a text cell: not silently padded.
    assert!(
        report
            .preview
            .errors
            .iter()
            .chain(&report.preview.warnings)
            .any(|e| e.row == 4 && e.column == "D"),
        "{:?}",
        report.preview
    );
    assert!(
        roster(&office, pilot.event).await.is_empty(),
        "nothing stored"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_documented_roster_example_imports() {
    let relay = TestRelay::empty().await;
    let office = set_up_office(&relay).await;
    let (_, event) = one_school(&office, &["Phòng 01", "Phòng 02"], "Ví dụ").await;
    for (n, start) in [("Ca 1", "07:30"), ("Ca 2", "09:30")] {
        office
            .create(
                &format!("/api/office/events/{event}/shifts"),
                &NewShift {
                    name: n.into(),
                    date: "15/12/2026".into(),
                    start: start.into(),
                    minutes: 45,
                    hard_stop_minutes: None,
                    fullscreen: false,
                    exam_id: "toan".into(),
                    requires_card: false,
                    room_ids: Vec::new(),
                },
            )
            .await;
    }
    let csv =
        std::fs::read(examgate_tests::workspace_root().join("docs/examples/roster.csv")).unwrap();
    let a = office
        .post_bytes(&format!("/api/office/events/{event}/roster"), csv)
        .await;
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    let rows = roster(&office, event).await;
    assert_eq!(
        rows.keys().cloned().collect::<Vec<_>>(),
        ["010001", "010002", "010003"]
    );
    assert_eq!(rows["010003"].shift, "Ca 2");
    assert_eq!(rows["010003"].room, "Phòng 02");
    assert_eq!(rows["010001"].birth.as_deref(), Some("04/03/2008"));
    // 07:30 in Hà Nội is 00:30 UTC.
    let plan = office.plan().await;
    assert_eq!(plan.events[0].shifts[0].starts, "15/12/2026 07:30");
    assert_eq!(plan.events[0].shifts[0].opens_at, 1_797_294_600_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_import_keeps_the_first_ones_seats_and_numbers() {
    let relay = TestRelay::empty().await;
    let office = set_up_office(&relay).await;
    let pilot = plan_pilot(&office, 1, now_ms() + 3_600_000).await;
    let path = format!("/api/office/events/{}/roster", pilot.event);
    let sheet = |names: &[&str]| {
        let mut csv = String::from("Họ và tên;Ngày sinh;Trường;Ca thi\n");
        for (i, n) in names.iter().enumerate() {
            csv.push_str(&format!(
                "{n};{:02}/01/2008;THPT Phan Đình Phùng;Ca 1\n",
                i + 1
            ));
        }
        csv.into_bytes()
    };
    let first = office
        .post_bytes(&path, sheet(&["Nguyễn Văn An", "Trần Thị Bình"]))
        .await;
    assert_eq!(
        first.status,
        200,
        "{}",
        String::from_utf8_lossy(&first.body)
    );
    let second = office
        .post_bytes(&path, sheet(&["Lê Hoàng Cường", "Phạm Minh Đức"]))
        .await;
    assert_eq!(
        second.status,
        200,
        "{}",
        String::from_utf8_lossy(&second.body)
    );
    let rows = roster(&office, pilot.event).await;
    assert_eq!(rows.len(), 4, "four numbers, none given twice: {rows:?}");
    let seats: BTreeSet<(u64, u64, u32)> = rows
        .values()
        .map(|r| (r.sitting_id, r.room_id, r.seat.unwrap()))
        .collect();
    assert_eq!(seats.len(), 4, "four seats, none given twice");
    // A row without a date of birth: registered candidates type it to join.
    let no_birth =
        "Họ và tên;Trường;Ca thi;Số báo danh\nVũ Quốc Huy;THPT Phan Đình Phùng;Ca 1;X9\n";
    let a = office.post_bytes(&path, no_birth.as_bytes().to_vec()).await;
    assert_eq!(a.status, 422);
    let report: RosterImportReport = a.json();
    assert!(
        report
            .preview
            .errors
            .iter()
            .any(|e| e.code == "birth_missing"),
        "{:?}",
        report.preview.errors
    );
}

/// The variations schools' workbooks come in, through the relay's real
/// reader: a vnEdu-style two-row merged header ("Họ và tên" over "Họ đệm" |
/// "Tên"), headers without diacritics, birth dates as date cells, Excel
/// serial numbers and text with `/`, `-` and `.`, names typed decomposed
/// (NFD), a CCCD that lost its leading zero; then each error at its cell.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_world_workbooks_import_with_each_error_at_its_cell() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    use unicode_normalization::UnicodeNormalization;
    let relay = TestRelay::empty().await;
    let office = set_up_office(&relay).await;
    let pilot = plan_pilot(&office, 2, now_ms() + 3_600_000).await;
    let path = format!("/api/office/events/{}/roster?dry_run=1", pilot.event);

    let mut book = Workbook::new();
    let ws = book.add_worksheet().set_name("Lop 12A1").unwrap();
    ws.write_string(0, 0, "SỞ GD&ĐT HÀ TĨNH").unwrap();
    ws.write_string(1, 0, "BẢNG DANH SÁCH - NĂM HỌC 2026-2027")
        .unwrap();
    // Rows 4–5: a two-row header; "Ho va ten" (no diacritics) merged
    // over two columns, the others merged down.
    let plain = Format::new();
    for (col, text) in [
        (0u16, "STT"),
        (3, "Ngay sinh"),
        (4, "So CCCD"),
        (5, "Truong"),
        (6, "Ca"),
    ] {
        ws.merge_range(3, col, 4, col, text, &plain).unwrap();
    }
    ws.merge_range(3, 1, 3, 2, "Ho va ten", &plain).unwrap();
    ws.write_string(4, 1, "Họ đệm").unwrap();
    ws.write_string(4, 2, "Tên").unwrap();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let school = "THPT Phan Đình Phùng";
    let rows: [(&str, &str, &str); 5] = [
        ("Nguyễn Văn", "An", "cell"),
        ("Trần Thị", "Bình", "serial"),
        ("Lê Hoàng", "Cường", "4-5-2008"),
        ("Phạm Thu", "Hà", "6.7.2008"),
        ("Vũ Minh", "Thuỷ", "08/09/2008"),
    ];
    for (i, (family, given, birth)) in rows.iter().enumerate() {
        let r = 5 + i as u32;
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        // The first name is typed decomposed, as some keyboards do.
        let family: String = if i == 0 {
            family.nfd().collect()
        } else {
            family.to_string()
        };
        ws.write_string(r, 1, &family).unwrap();
        ws.write_string(r, 2, *given).unwrap();
        match *birth {
            "cell" => {
                let d = ExcelDateTime::from_ymd(2008, 1, 31).unwrap();
                ws.write_datetime_with_format(r, 3, &d, &date).unwrap();
            }
            // 39448 is 01/01/2008 in Excel's count.
            "serial" => {
                ws.write_number(r, 3, 39448.0).unwrap();
            }
            text => {
                ws.write_string(r, 3, text).unwrap();
            }
        }
        // Hà Tĩnh (042), 2000s: 2 male / 3 female, born 2008; the first
        // one as a number (Excel dropped its 0).
        let cccd = format!("042{}08{:06}", if i % 2 == 0 { 2 } else { 3 }, 500 + i);
        if i == 0 {
            ws.write_number(r, 4, cccd.parse::<f64>().unwrap()).unwrap();
        } else {
            ws.write_string(r, 4, &cccd).unwrap();
        }
        ws.write_string(r, 5, school).unwrap();
        ws.write_string(r, 6, "Ca 1").unwrap();
    }
    let a = office
        .post_bytes(&path, book.save_to_buffer().unwrap())
        .await;
    assert_eq!(a.status, 200);
    let report: RosterImportReport = a.json();
    assert!(
        report.preview.errors.is_empty(),
        "{:?}",
        report.preview.errors
    );
    let got: Vec<(String, String, String)> = report
        .preview
        .candidates
        .iter()
        .map(|c| {
            (
                c.full_name.clone(),
                c.given_name.clone(),
                c.birth.map(|d| d.iso()).unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("Nguyễn Văn An".into(), "An".into(), "2008-01-31".into()),
            ("Trần Thị Bình".into(), "Bình".into(), "2008-01-01".into()),
            ("Lê Hoàng Cường".into(), "Cường".into(), "2008-05-04".into()),
            ("Phạm Thu Hà".into(), "Hà".into(), "2008-07-06".into()),
            ("Vũ Minh Thuỷ".into(), "Thuỷ".into(), "2008-09-08".into()),
        ]
    );
    // NFC whatever was typed.
    assert!(
        report.preview.candidates[0]
            .full_name
            .nfc()
            .eq(report.preview.candidates[0].full_name.chars())
    );
    assert_eq!(report.preview.header_row, Some(4));
    assert_eq!(
        report.preview.candidates[0].person_id.as_deref(),
        Some("042208000500")
    );
    assert!(
        report
            .preview
            .warnings
            .iter()
            .any(|w| (w.row, w.column.as_str(), w.code.as_str()) == (6, "E", "person_id_padded"))
    );

    // Each error at its cell, in one workbook.
    let mut book = Workbook::new();
    let ws = book.add_worksheet().set_name("Loi").unwrap();
    for (c, h) in [
        "SBD",
        "Họ và tên",
        "Ngày sinh",
        "Số CCCD",
        "Giới tính",
        "Trường",
        "Phòng",
        "Ca thi",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let bad: [[&str; 8]; 8] = [
        [
            "E1",
            "Nguyễn Văn An",
            "04/03/2008",
            "042208100001",
            "Nam",
            school,
            "Phòng 01",
            "Ca 1",
        ],
        [
            "E2",
            "",
            "04/03/2008",
            "042208100002",
            "Nam",
            school,
            "Phòng 01",
            "Ca 1",
        ],
        [
            "E3",
            "Trần Thị Bình",
            "30/02/2008",
            "042308100003",
            "Nữ",
            school,
            "Phòng 01",
            "Ca 1",
        ],
        [
            "E4",
            "Lê Văn Cường",
            "04/03/2008",
            "0422081000X4",
            "Nam",
            school,
            "Phòng 01",
            "Ca 1",
        ],
        [
            "E5",
            "Phạm Văn Dũng",
            "04/03/2007",
            "042208100005",
            "Nam",
            school,
            "Phòng 01",
            "Ca 1",
        ],
        [
            "E1",
            "Hoàng Văn Em",
            "04/03/2008",
            "042208100001",
            "Nam",
            school,
            "Phòng 01",
            "Ca 1",
        ],
        [
            "E7",
            "Vũ Thị Giang",
            "04/03/2008",
            "042308100007",
            "Nữ",
            school,
            "Phòng 99",
            "Ca 1",
        ],
        [
            "E8",
            "Đặng Văn Hải",
            "04/03/2008",
            "042208100008",
            "Nam",
            school,
            "Phòng 01",
            "Ca 7",
        ],
    ];
    for (r, row) in bad.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(1 + r as u32, c as u16, *v).unwrap();
        }
    }
    let a = office
        .post_bytes(&path, book.save_to_buffer().unwrap())
        .await;
    let report: RosterImportReport = a.json();
    let found: BTreeSet<(u32, String, String)> = report
        .preview
        .errors
        .iter()
        .map(|e| (e.row, e.column.clone(), e.code.clone()))
        .collect();
    for (row, col, code) in [
        (3, "B", "name_missing"),
        (4, "C", "birth_invalid"),
        (5, "D", "person_id_invalid"),
        // Born 2007, but the ID's year digits say 08: the ID's cell.
        (6, "D", "birth_contradicts_id"),
        (7, "A", "duplicate_candidate_number"),
        (7, "D", "duplicate_person_id"),
        (8, "G", "unknown_room"),
        (9, "H", "unknown_shift"),
    ] {
        assert!(
            found.contains(&(row, col.to_string(), code.to_string())),
            "{row}{col} {code} in {found:?}"
        );
    }
    assert!(!report.committed);
}

/// A legacy `.xls` (BIFF8, as vnEdu and older SMAS exports are), made by
/// `tests/fixtures/make_roster_xls.py`: title rows, a two-row merged
/// header, date cells and a typed date, a CCCD that lost its leading 0,
/// and an ethnicity column to drop.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_legacy_xls_roster_imports_like_its_xlsx_twin() {
    let relay = TestRelay::empty().await;
    let office = set_up_office(&relay).await;
    let pilot = plan_pilot(&office, 1, now_ms() + 3_600_000).await;
    let xls =
        std::fs::read(examgate_tests::workspace_root().join("tests/fixtures/roster-vnedu.xls"))
            .unwrap();
    assert_eq!(&xls[..4], &[0xD0, 0xCF, 0x11, 0xE0], "an OLE2 (BIFF) file");
    let path = format!("/api/office/events/{}/roster", pilot.event);
    let a = office
        .post_bytes(&format!("{path}?dry_run=1"), xls.clone())
        .await;
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    let report: RosterImportReport = a.json();
    assert!(
        report.preview.errors.is_empty(),
        "{:?}",
        report.preview.errors
    );
    assert_eq!(report.preview.header_row, Some(4));
    let got: Vec<(Option<String>, String, String, Option<String>)> = report
        .preview
        .candidates
        .iter()
        .map(|c| {
            (
                c.candidate_number.clone(),
                c.full_name.clone(),
                c.birth.map(|d| d.iso()).unwrap_or_default(),
                c.person_id.clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                Some("HT0101".into()),
                "Nguyễn Văn An".into(),
                "2008-03-04".into(),
                Some("042208100101".into())
            ),
            (
                Some("HT0102".into()),
                "Trần Thị Bình".into(),
                "2008-11-15".into(),
                Some("042308100102".into())
            ),
            (
                Some("HT0103".into()),
                "Lê Hoàng Cường".into(),
                "2008-12-31".into(),
                Some("042208100103".into())
            ),
        ]
    );
    assert!(
        report
            .preview
            .warnings
            .iter()
            .any(|w| (w.row, w.column.as_str(), w.code.as_str()) == (6, "F", "person_id_padded")),
        "{:?}",
        report.preview.warnings
    );
    assert!(
        report
            .preview
            .dropped_columns
            .iter()
            .any(|d| d.header == "Dân tộc" && d.sensitive),
        "{:?}",
        report.preview.dropped_columns
    );
    // And it commits: three registered candidates with their numbers.
    let a = office.post_bytes(&path, xls).await;
    assert_eq!(a.status, 200);
    let rows = roster(&office, pilot.event).await;
    assert_eq!(
        rows.keys().map(String::as_str).collect::<Vec<_>>(),
        ["HT0101", "HT0102", "HT0103"]
    );
}
