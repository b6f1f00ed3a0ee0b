//! Tests of the hand-in workbook ([`super`]), each on data it builds itself.

use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};

use super::*;
use crate::handin::tests::row;

const SITE_A: &str = "THPT Chu Văn An";
const SITE_B: &str = "THPT Trần Phú";
const LAB: &str = "Phòng 02 [Tin học]: máy chiếu/loa";

#[allow(clippy::too_many_arguments)]
fn at(
    site: &str,
    room: &str,
    shift: &str,
    sbd: &str,
    family: &str,
    given: &str,
    birth: Option<(u16, u8, u8)>,
    status: RowStatus,
    mark: Option<u32>,
) -> HandInRow {
    let mut r = row(sbd, family, given, mark);
    r.site = site.into();
    r.room = room.into();
    r.shift = shift.into();
    r.birth = birth;
    r.status = status;
    r.answered = if status == RowStatus::NotFinished {
        12
    } else {
        38
    };
    r
}

/// Two sites, three rooms (one of them in two shifts at each site), two
    /// "Nguyễn Văn An", an absent and an unfinished candidate, a tie.
    #[rustfmt::skip]
    fn hand_in() -> HandIn {
        use RowStatus::{Absent, Graded, NotFinished};
        let shift = |name: &str, start: &str| ShiftInfo {
            name: name.into(),
            date_dmy: "05/12/2026".into(),
            start: start.into(),
            minutes: 90,
        };
        let (a, b, p01) = (SITE_A, SITE_B, "Phòng 01");
        HandIn {
            exam_event: "Kiểm tra cuối kỳ I – Toán 12".into(),
            subject: "Toán".into(),
            generated_at_iso: "2026-12-05T10:00:00+07:00".into(),
            shifts: vec![shift("Ca 1", "07:30"), shift("Ca 2", "13:30")],
            // Given in no particular order: the writer sorts.
            rows: vec![
                at(b, p01, "Ca 2", "000502", "Trịnh Văn", "Nam", Some((2008, 12, 1)), Graded, Some(5)),
                at(a, p01, "Ca 1", "000123", "Nguyễn Văn", "An", Some((2008, 1, 31)), Graded, Some(75)),
                at(a, p01, "Ca 1", "000126", "Lê Minh", "Đức", Some((2008, 7, 7)), Graded, Some(64)),
                at(a, p01, "Ca 1", "000127", "Phạm Thị", "Giang", Some((2008, 2, 2)), Absent, None),
                at(a, p01, "Ca 1", "000124", "Nguyễn Văn", "An", Some((2007, 5, 10)), Graded, Some(90)),
                at(a, p01, "Ca 1", "000128", "Hoàng Văn", "Duy", Some((2008, 4, 4)), NotFinished, None),
                at(a, p01, "Ca 1", "000125", "Trần Thị", "Bình", Some((2008, 3, 3)), Graded, Some(80)),
                at(a, p01, "Ca 2", "000201", "Võ Thị", "Cúc", Some((2008, 5, 5)), Graded, Some(80)),
                at(a, p01, "Ca 2", "000202", "Đặng Văn", "Em", Some((2008, 6, 6)), Graded, Some(35)),
                at(a, LAB, "Ca 1", "000301", "Bùi Thị", "Hà", Some((2008, 8, 8)), Graded, Some(20)),
                at(a, LAB, "Ca 1", "000302", "Đỗ Văn", "Khoa", None, Graded, Some(0)),
                at(b, p01, "Ca 1", "000401", "Ngô Thị", "Lan", Some((2008, 9, 9)), Graded, Some(50)),
                at(b, p01, "Ca 1", "000402", "Mai Văn", "Long", Some((2008, 10, 10)), Absent, None),
                at(b, p01, "Ca 2", "000501", "Lý Thị", "Mai", Some((2008, 11, 11)), Graded, Some(65)),
            ],
        }
    }

struct Book(Xlsx<Cursor<Vec<u8>>>);

impl Book {
    fn open(bytes: Vec<u8>) -> Self {
        Book(open_workbook_from_rs(Cursor::new(bytes)).expect("the workbook opens"))
    }

    fn sheet(&mut self, name: &str) -> Range<Data> {
        self.0.worksheet_range(name).expect("the sheet exists")
    }
}

fn cell(sheet: &Range<Data>, row: u32, col: u32) -> Data {
    sheet.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

fn text(sheet: &Range<Data>, row: u32, col: u32) -> String {
    match cell(sheet, row, col) {
        Data::String(s) => s,
        other => panic!("({row}, {col}) is not text: {other:?}"),
    }
}

fn number(sheet: &Range<Data>, row: u32, col: u32) -> f64 {
    match cell(sheet, row, col) {
        Data::Float(x) => x,
        other => panic!("({row}, {col}) is not a number: {other:?}"),
    }
}

fn texts(sheet: &Range<Data>, row: u32, cols: std::ops::Range<u32>) -> Vec<String> {
    cols.map(|c| text(sheet, row, c)).collect()
}

fn find_row(sheet: &Range<Data>, col: u32, wanted: &str) -> u32 {
    (0..sheet.end().map_or(0, |(r, _)| r + 1))
        .find(|&r| cell(sheet, r, col) == Data::String(wanted.into()))
        .unwrap_or_else(|| panic!("no row with {wanted:?}"))
}

#[test]
fn sheets_come_in_order_with_valid_unique_names() {
    let mut book = Book::open(write_xlsx(&hand_in()).unwrap());
    assert_eq!(
        book.0.sheet_names(),
        vec![
            "Tổng hợp",
            "Phòng 01 - Ca 1",
            "Phòng 01 - Ca 2",
            "Phòng 02 (Tin học)- máy chiếu-l",
            // Site B's Phòng 01 clashes with site A's.
            "Phòng 01 - Ca 1 (2)",
            "Phòng 01 - Ca 2 (2)",
        ]
    );
    let lab = book.sheet("Phòng 02 (Tin học)- máy chiếu-l");
    assert_eq!(text(&lab, 3, 0), format!("Phòng thi: {LAB}"));
    let b = book.sheet("Phòng 01 - Ca 1 (2)");
    assert_eq!(text(&b, 2, 0), format!("Điểm thi: {SITE_B}"));
}

#[test]
fn a_room_sheet_lists_candidates_the_way_paper_lists_do() {
    let mut book = Book::open(write_xlsx(&hand_in()).unwrap());
    let s = book.sheet("Phòng 01 - Ca 1");
    assert_eq!(text(&s, 0, 0), "Kỳ thi: Kiểm tra cuối kỳ I – Toán 12");
    assert_eq!(text(&s, 2, 0), format!("Điểm thi: {SITE_A}"));
    assert_eq!(text(&s, 3, 0), "Phòng thi: Phòng 01");
    assert_eq!(text(&s, 4, 0), "Ca thi: Ca 1, bắt đầu 07:30, 90 phút");
    assert_eq!(text(&s, 5, 0), "Ngày thi: 05/12/2026");
    assert_eq!(texts(&s, 7, 0..12), ROOM_HEADERS.map(String::from));

    // Tên, then Họ đệm, then date of birth; Đ after D (not after Z).
    let sbd: Vec<String> = (8..14).map(|r| text(&s, r, 1)).collect();
    assert_eq!(
        sbd,
        ["000124", "000123", "000125", "000128", "000126", "000127"]
    );
    let given: Vec<String> = (8..14).map(|r| text(&s, r, 3)).collect();
    assert_eq!(given, ["An", "An", "Bình", "Duy", "Đức", "Giang"]);
    let stt: Vec<f64> = (8..14).map(|r| number(&s, r, 0)).collect();
    assert_eq!(stt, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);

    // 000123: the leading zeros kept, a real date, a numeric mark.
    assert_eq!(cell(&s, 9, 1), Data::String("000123".into()));
    let Data::DateTime(born) = cell(&s, 9, 4) else {
        panic!("not a date: {:?}", cell(&s, 9, 4));
    };
    assert!(born.is_datetime());
    let (y, m, d, ..) = born.to_ymd_hms_milli();
    assert_eq!((y, m, d), (2008, 1, 31));
    assert_eq!(cell(&s, 9, 6), Data::Float(7.5));
    assert_eq!(text(&s, 9, 7), "75/10");
    assert_eq!(number(&s, 9, 8), 38.0);
    assert_eq!(text(&s, 9, 9), "Đã thi");
    assert_eq!(cell(&s, 8, 6), Data::Float(9.0));
    assert_eq!(cell(&s, 10, 6), Data::Float(8.0));
    assert_eq!(cell(&s, 12, 6), Data::Float(6.4));

    // Ranks over the whole exam: 9.0 first, the two 8.0 (000125 here,
    // 000201 in Ca 2) share second place, 7.5 is fourth.
    let rank = |r| match cell(&s, r, 10) {
        Data::Float(x) => Some(x),
        Data::Empty => None,
        other => panic!("rank {other:?}"),
    };
    let ranks: Vec<Option<f64>> = (8..14).map(rank).collect();
    assert_eq!(
        ranks,
        [Some(1.0), Some(4.0), Some(2.0), None, Some(6.0), None]
    );
    let ca2 = book.sheet("Phòng 01 - Ca 2");
    assert_eq!(text(&ca2, 8, 1), "000201");
    assert_eq!(number(&ca2, 8, 10), 2.0);

    // Unfinished and absent: status in words, no mark, no rank.
    assert_eq!(text(&s, 11, 9), "Chưa nộp");
    assert_eq!(number(&s, 11, 8), 12.0);
    assert_eq!(cell(&s, 11, 6), Data::Empty);
    assert_eq!(text(&s, 13, 9), "Vắng thi");
    assert_eq!(cell(&s, 13, 6), Data::Empty);
    assert_eq!(cell(&s, 13, 8), Data::Empty);

    assert_eq!(text(&s, 15, 0), "Danh sách có 6 thí sinh, 5 dự thi.");
    assert_eq!(text(&s, 5, 6), "Đề gồm 40 câu");

    // No date of birth: an empty cell; a zero mark is still a number.
    let lab = book.sheet("Phòng 02 (Tin học)- máy chiếu-l");
    assert_eq!(text(&lab, 9, 1), "000302");
    assert_eq!(cell(&lab, 9, 4), Data::Empty);
    assert_eq!(cell(&lab, 9, 6), Data::Float(0.0));
}

#[test]
fn the_summary_counts_averages_and_bands() {
    let mut book = Book::open(write_xlsx(&hand_in()).unwrap());
    let s = book.sheet(SUMMARY_SHEET);
    assert_eq!(text(&s, 0, 0), "TỔNG HỢP KẾT QUẢ");
    assert_eq!(text(&s, 1, 0), "Kỳ thi: Kiểm tra cuối kỳ I – Toán 12");
    assert_eq!(text(&s, 2, 0), "Môn thi: Toán");
    assert_eq!(text(&s, 3, 0), "Lập lúc: 10:00 ngày 05/12/2026");
    assert_eq!(
        text(&s, 4, 0),
        "Ca 1: ngày 05/12/2026, bắt đầu 07:30, 90 phút"
    );

    let header = find_row(&s, 0, "Điểm thi");
    let wanted: Vec<String> = SUMMARY_HEADERS
        .iter()
        .chain(BANDS.iter())
        .map(|t| t.to_string())
        .collect();
    assert_eq!(texts(&s, header, 0..15), wanted);
    assert_eq!(
        BANDS,
        [
            "[0;2)", "[2;3.5)", "[3.5;5)", "[5;6.5)", "[6.5;8)", "[8;10]"
        ]
    );
    assert_eq!(text(&s, header - 1, 9), "Phổ điểm");

    let line = |r: u32| -> (Vec<String>, Vec<Option<f64>>) {
        let labels = texts(&s, r, 0..3);
        let values = (3..15)
            .map(|c| match cell(&s, r, c) {
                Data::Float(x) => Some(x),
                Data::Empty => None,
                other => panic!("({r}, {c}) {other:?}"),
            })
            .collect();
        (labels, values)
    };
    let n = |xs: &[f64]| xs.iter().map(|&x| Some(x)).collect::<Vec<_>>();

    // Ca 1 of site A's Phòng 01: 6 candidates, 5 present, 1 absent;
    // marks 9.0, 7.5, 8.0, 6.4 (the unfinished one has none).
    let (labels, values) = line(header + 1);
    assert_eq!(labels, [SITE_A, "Phòng 01", "Ca 1"]);
    // Average 7.725 rounded half up once.
    assert_eq!(
        values,
        n(&[6.0, 5.0, 1.0, 7.73, 9.0, 6.4, 0.0, 0.0, 0.0, 1.0, 1.0, 2.0])
    );
    let (labels, values) = line(header + 2);
    assert_eq!(labels, [SITE_A, "Phòng 01", "Ca 2"]);
    assert_eq!(
        values,
        n(&[2.0, 2.0, 0.0, 5.75, 8.0, 3.5, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0])
    );
    let (labels, values) = line(header + 3);
    assert_eq!(labels, [SITE_A, LAB, "Ca 1"]);
    assert_eq!(
        values,
        n(&[2.0, 2.0, 0.0, 1.0, 2.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0])
    );
    // 5.0 and 6.5 open their bands.
    let (labels, values) = line(header + 4);
    assert_eq!(labels, [SITE_B, "Phòng 01", "Ca 1"]);
    assert_eq!(
        values,
        n(&[2.0, 1.0, 1.0, 5.0, 5.0, 5.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0])
    );
    let (labels, values) = line(header + 5);
    assert_eq!(labels, [SITE_B, "Phòng 01", "Ca 2"]);
    assert_eq!(
        values,
        n(&[2.0, 2.0, 0.0, 3.5, 6.5, 0.5, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0])
    );

    // Total: 14 candidates, 2 absent, 11 marks summing to 56.4.
    let total = header + 6;
    assert_eq!(text(&s, total, 0), "Tổng cộng");
    let values: Vec<f64> = (3..15).map(|c| number(&s, total, c)).collect();
    assert_eq!(
        values,
        [
            14.0, 12.0, 2.0, 5.13, 9.0, 0.0, 2.0, 1.0, 1.0, 2.0, 2.0, 3.0
        ]
    );
}

#[test]
fn a_room_alone_in_its_shift_is_named_by_the_room_only() {
    let mut h = hand_in();
    h.rows
        .retain(|r| r.room == LAB || r.site == SITE_B && r.shift == "Ca 1");
    let book = Book::open(write_xlsx(&h).unwrap());
    assert_eq!(
        book.0.sheet_names(),
        ["Tổng hợp", "Phòng 02 (Tin học)- máy chiếu-l", "Phòng 01"]
    );
}

#[test]
fn rows_that_would_make_a_wrong_file_are_refused() {
    let mut h = hand_in();
    h.rows[1].mark_tenths = Some(101);
    assert!(matches!(
        write_xlsx(&h),
        Err(HandInError::MarkOutOfRange { candidate_number, mark_tenths: 101 }) if candidate_number == "000123"
    ));
    let mut h = hand_in();
    h.rows[1].mark_tenths = None;
    assert!(matches!(
        write_xlsx(&h),
        Err(HandInError::GradedWithoutMark { candidate_number }) if candidate_number == "000123"
    ));
    let mut h = hand_in();
    h.rows[1].birth = Some((2007, 2, 29));
    assert!(matches!(
        write_xlsx(&h),
        Err(HandInError::BadBirthDate { candidate_number, .. }) if candidate_number == "000123"
    ));
    let mut h = hand_in();
    h.rows[1].shift = "Ca 3".into();
    assert!(matches!(
        write_xlsx(&h),
        Err(HandInError::UnknownShift { shift, .. }) if shift == "Ca 3"
    ));
}

#[test]
fn an_empty_hand_in_still_makes_a_summary() {
    let mut h = hand_in();
    h.rows.clear();
    let mut book = Book::open(write_xlsx(&h).unwrap());
    assert_eq!(book.0.sheet_names(), [SUMMARY_SHEET]);
    let s = book.sheet(SUMMARY_SHEET);
    let total = find_row(&s, 0, "Tổng cộng");
    assert_eq!(number(&s, total, 3), 0.0);
    assert_eq!(cell(&s, total, 6), Data::Empty);
}

#[test]
fn sheet_names_are_sanitised_and_deduplicated() {
    let wanted: Vec<String> = [
        "a[b]c:d*e?f/g\\h",
        "'quoted'",
        "  ",
        "History",
        "PHÒNG 01",
        "Phòng 01",
        "Tổng Hợp",
        "Phòng thi số 01 của điểm thi THPT Chu Văn An",
        "Phòng thi số 01 của điểm thi THPT Chu Văn An - Ca 2",
        "Phòng thi số 01 của điểm thi THPT Chu Văn An",
    ]
    .map(String::from)
    .to_vec();
    let names = unique_sheet_names(&wanted, &[SUMMARY_SHEET]);
    assert_eq!(
        names,
        [
            "a(b)c-d-e-f-g-h",
            "quoted",
            "Phòng",
            "History (2)",
            "PHÒNG 01",
            "Phòng 01 (2)",
            "Tổng Hợp (2)",
            "Phòng thi số 01 của điểm thi TH",
            "Phòng thi số 01 của điểm th (2)",
            "Phòng thi số 01 của điểm th (3)",
        ]
    );
    let mut keys = HashSet::new();
    for name in &names {
        assert!(name.encode_utf16().count() <= SHEET_NAME_MAX, "{name}");
        assert!(
            !name.contains(['[', ']', ':', '*', '?', '/', '\\']),
            "{name}"
        );
        assert!(keys.insert(name.to_lowercase()), "{name} twice");
        // The writer's own check agrees.
        rust_xlsxwriter::utility::check_sheet_name(name).unwrap();
    }
    // Many clashes: the suffix grows and still fits.
    let many = vec!["x".repeat(40); 12];
    let names = unique_sheet_names(&many, &[]);
    assert_eq!(names[11], format!("{} (12)", "x".repeat(26)));
    assert_eq!(names.iter().collect::<HashSet<_>>().len(), 12);
}

#[test]
fn list_order_is_given_name_then_family_then_birth() {
    let mut rows = [
        row("4", "Đinh", "Đức", None),
        row("3", "Bùi Văn", "Dũng", None),
        row("2", "Nguyễn Văn", "An", None),
        row("1", "Nguyễn Văn", "An", None),
        row("5", "Lê", "Anh", None),
        row("6", "Âu", "An", None),
        row("7", "Trần", "Em", None),
    ];
    rows[2].birth = Some((2007, 12, 31));
    rows[3].birth = None;
    rows.sort_by(vietnamese_row_cmp);
    let order: Vec<&str> = rows.iter().map(|r| r.candidate_number.as_str()).collect();
    // Vietnamese collation: "Âu" before "Nguyễn" (Â comes after A, not
    // after Z), "Đức" after "Dũng"; a known birth date before none.
    assert_eq!(order, ["6", "2", "1", "5", "3", "4", "7"]);
}

#[test]
fn bands_and_natural_order() {
    let bands: Vec<usize> = [0, 19, 20, 34, 35, 49, 50, 64, 65, 79, 80, 100]
        .map(band)
        .to_vec();
    assert_eq!(bands, [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    let mut rooms = [
        "Phòng 10",
        "Phòng 9",
        "Phòng 01",
        "Phòng 1",
        "Phòng 2A",
        "Lab",
    ];
    rooms.sort_by(|a, b| NaturalKey(a).cmp(&NaturalKey(b)));
    assert_eq!(
        rooms,
        [
            "Lab",
            "Phòng 01",
            "Phòng 1",
            "Phòng 2A",
            "Phòng 9",
            "Phòng 10"
        ]
    );
    assert_eq!(
        vi_timestamp("2026-12-05T10:00:00+07:00"),
        "10:00 ngày 05/12/2026"
    );
    assert_eq!(vi_timestamp("hôm nay"), "hôm nay");
}
