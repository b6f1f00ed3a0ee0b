//! The hand-in workbook (.xlsx) in the layout Vietnamese schools use.
//!
//! Sheet "Tổng hợp" first: the exam event, subject, when the file was made,
//! the shifts, then one line per site × room × shift with the counts, the
//! average, highest and lowest mark and the score bands ("Phổ điểm"), and a
//! total line. Then one sheet per room (per room and shift when a room
//! serves several shifts), laid out like the paper lists: title rows, one
//! line per candidate sorted by Tên, Họ đệm, date of birth, a footer with
//! the counts and the proctors' signature places.
//!
//! Values are written as what they are, so the office can compute with them
//! and Excel shows them in the reader's locale ("7,5" in vi-VN): marks are
//! numbers formatted `0.0`, dates of birth are dates formatted `dd/mm/yyyy`,
//! counts are integers. The candidate number is text, because leading zeros
//! are part of it.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashSet};

use examgate_shared::office::names::sort_key_parts;

use rust_xlsxwriter::{
    ColNum, Color, ExcelDateTime, Format, FormatAlign, FormatBorder, RowNum, Workbook, Worksheet,
};

use super::{HandIn, HandInError, HandInRow, RowStatus, ShiftInfo, rank_rows};

/// The summary sheet's name; it always comes first.
pub const SUMMARY_SHEET: &str = "Tổng hợp";

/// Column headers of a room sheet.
pub const ROOM_HEADERS: [&str; 12] = [
    "STT",
    "Số báo danh",
    "Họ đệm",
    "Tên",
    "Ngày sinh",
    "Lớp",
    "Điểm",
    "Điểm (chính xác)",
    "Số câu đã làm",
    "Trạng thái",
    "Xếp hạng",
    "Ký tên",
];

/// Column headers of the summary table, before the score bands.
pub const SUMMARY_HEADERS: [&str; 9] = [
    "Điểm thi",
    "Phòng",
    "Ca",
    "Số thí sinh",
    "Dự thi",
    "Vắng",
    "Điểm TB",
    "Cao nhất",
    "Thấp nhất",
];

/// The score bands of the "Phổ điểm" columns. Each band holds its lower
/// bound; the last one holds 10.0 too. They are the 3.5 / 5 / 6.5 / 8 bands
/// school reports have long used (the thresholds Circular 22 rates with),
/// with 2 splitting off the lowest marks.
pub const BANDS: [&str; 6] = [
    "[0;2)", "[2;3.5)", "[3.5;5)", "[5;6.5)", "[6.5;8)", "[8;10]",
];
/// Where each band but the last ends (exclusive), in tenths.
const BAND_UPPER_TENTHS: [u32; 5] = [20, 35, 50, 65, 80];

/// Excel's limit on sheet names, in UTF-16 code units.
const SHEET_NAME_MAX: usize = 31;

/// Widths of the room sheet's columns, in Excel character units.
const ROOM_WIDTHS: [f64; 12] = [
    5.0, 12.0, 22.0, 10.0, 12.0, 8.0, 7.0, 11.0, 9.0, 11.0, 9.0, 16.0,
];

/// Writes `h` as an .xlsx workbook.
///
/// The input is checked first, and a row that would make a wrong file is
/// refused with the candidate named: a mark above 10.0, a graded row
/// without a mark, a date of birth Excel cannot hold, a shift not in
/// [`HandIn::shifts`].
pub fn write_xlsx(h: &HandIn) -> Result<Vec<u8>, HandInError> {
    let birth_dates = check(h)?;
    let ranks = rank_rows(&h.rows);
    let groups = group_rows(h);
    let names = room_sheet_names(&groups);
    let formats = Formats::new();

    let mut workbook = Workbook::new();
    let mut summary = Worksheet::new();
    summary.set_name(SUMMARY_SHEET)?;
    write_summary(&mut summary, h, &groups, &formats)?;
    workbook.push_worksheet(summary);

    for (group, name) in groups.iter().zip(names) {
        let mut sheet = Worksheet::new();
        sheet.set_name(name)?;
        let room = RoomSheet {
            h,
            group,
            ranks: &ranks,
            birth_dates: &birth_dates,
            formats: &formats,
        };
        room.write(&mut sheet)?;
        workbook.push_worksheet(sheet);
    }
    Ok(workbook.save_to_buffer()?)
}

/// Refuses rows that would make a wrong file; returns each row's date of
/// birth as Excel will hold it.
fn check(h: &HandIn) -> Result<Vec<Option<ExcelDateTime>>, HandInError> {
    let shift_names: HashSet<&str> = h.shifts.iter().map(|s| s.name.as_str()).collect();
    h.rows
        .iter()
        .map(|row| {
            let candidate_number = || row.candidate_number.clone();
            if let Some(mark_tenths) = row.mark_tenths
                && mark_tenths > 100
            {
                return Err(HandInError::MarkOutOfRange {
                    candidate_number: candidate_number(),
                    mark_tenths,
                });
            }
            if row.status == RowStatus::Graded && row.mark_tenths.is_none() {
                return Err(HandInError::GradedWithoutMark {
                    candidate_number: candidate_number(),
                });
            }
            if !shift_names.contains(row.shift.as_str()) {
                return Err(HandInError::UnknownShift {
                    candidate_number: candidate_number(),
                    shift: row.shift.clone(),
                });
            }
            row.birth
                .map(|(year, month, day)| {
                    ExcelDateTime::from_ymd(year, month, day).map_err(|_| {
                        HandInError::BadBirthDate {
                            candidate_number: candidate_number(),
                            year,
                            month,
                            day,
                        }
                    })
                })
                .transpose()
        })
        .collect()
}

/// The candidates of one room in one shift.
struct Group<'a> {
    site: &'a str,
    room: &'a str,
    shift: &'a ShiftInfo,
    /// Indices into [`HandIn::rows`], in list order.
    rows: Vec<usize>,
    /// Whether the same room (at the same site) serves other shifts too, so
    /// the sheet name must say which shift.
    room_has_several_shifts: bool,
}

/// Rows grouped by site × room × shift, groups in reading order: sites and
/// rooms in natural order ("Phòng 2" before "Phòng 10"), shifts in the
/// order of [`HandIn::shifts`]; rows within a group in Vietnamese list
/// order.
fn group_rows(h: &HandIn) -> Vec<Group<'_>> {
    let mut by_key: BTreeMap<(NaturalKey<'_>, NaturalKey<'_>, usize), Vec<usize>> = BTreeMap::new();
    for (i, row) in h.rows.iter().enumerate() {
        // `check` has made sure every row's shift exists.
        let shift = h
            .shifts
            .iter()
            .position(|s| s.name == row.shift)
            .unwrap_or(usize::MAX);
        by_key
            .entry((NaturalKey(&row.site), NaturalKey(&row.room), shift))
            .or_default()
            .push(i);
    }
    let mut shifts_per_room: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for (site, room, _) in by_key.keys() {
        *shifts_per_room.entry((site.0, room.0)).or_default() += 1;
    }
    by_key
        .into_iter()
        .filter_map(|((site, room, shift), mut rows)| {
            rows.sort_by(|&a, &b| vietnamese_row_cmp(&h.rows[a], &h.rows[b]));
            Some(Group {
                site: site.0,
                room: room.0,
                shift: h.shifts.get(shift)?,
                rows,
                room_has_several_shifts: shifts_per_room[&(site.0, room.0)] > 1,
            })
        })
        .collect()
}

fn room_sheet_names(groups: &[Group<'_>]) -> Vec<String> {
    let wanted: Vec<String> = groups
        .iter()
        .map(|g| {
            if g.room_has_several_shifts {
                // Shorten the room, not the shift: "… - Ca 2" must survive.
                let suffix = format!(" - {}", sanitize_sheet_name(&g.shift.name));
                let room = sanitize_sheet_name(g.room);
                let keep = SHEET_NAME_MAX.saturating_sub(suffix.encode_utf16().count());
                format!("{}{suffix}", trim_sheet_name(truncate_utf16(&room, keep)))
            } else {
                g.room.to_string()
            }
        })
        .collect();
    unique_sheet_names(&wanted, &[SUMMARY_SHEET])
}

/// Valid, unique Excel sheet names for `wanted`, none equal to one of
/// `taken`. Excel refuses `[]:*?/\`, apostrophes at either end, blank names
/// and names over 31 UTF-16 units, and compares names ignoring case; it
/// also reserves "History". A clash gets " (2)", " (3)", … shortening the
/// name so the suffix fits.
fn unique_sheet_names(wanted: &[String], taken: &[&str]) -> Vec<String> {
    let mut seen: HashSet<String> = taken.iter().map(|t| t.to_lowercase()).collect();
    seen.insert("history".to_string());
    wanted
        .iter()
        .map(|raw| {
            let base = sanitize_sheet_name(raw);
            let mut name = base.clone();
            let mut n = 2u32;
            while seen.contains(&name.to_lowercase()) {
                let suffix = format!(" ({n})");
                let room = SHEET_NAME_MAX - suffix.len();
                name = format!("{}{suffix}", trim_sheet_name(truncate_utf16(&base, room)));
                n += 1;
            }
            seen.insert(name.to_lowercase());
            name
        })
        .collect()
}

fn sanitize_sheet_name(raw: &str) -> String {
    let mapped: String = raw
        .chars()
        .map(|c| match c {
            // Brackets read naturally as parentheses; the rest become dashes.
            '[' => '(',
            ']' => ')',
            ':' | '*' | '?' | '/' | '\\' => '-',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let name = trim_sheet_name(truncate_utf16(trim_sheet_name(&mapped), SHEET_NAME_MAX));
    if name.is_empty() {
        "Phòng".to_string()
    } else {
        name.to_string()
    }
}

fn trim_sheet_name(s: &str) -> &str {
    s.trim_matches(|c: char| c == '\'' || c.is_whitespace())
}

/// The longest prefix of `s` of at most `max` UTF-16 units (Excel's unit),
/// cut on a character boundary.
fn truncate_utf16(s: &str, max: usize) -> &str {
    let mut units = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > max {
            return &s[..i];
        }
    }
    s
}

/// Orders strings with runs of digits compared as numbers, so "Phòng 2"
/// comes before "Phòng 10"; equal-looking strings ("01", "1") fall back to
/// plain order so the order is total.
#[derive(Clone, Copy, PartialEq, Eq)]
struct NaturalKey<'a>(&'a str);

impl Ord for NaturalKey<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        natural_cmp(self.0, other.0).then_with(|| self.0.cmp(other.0))
    }
}

impl PartialOrd for NaturalKey<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a, b);
    loop {
        let (Some(x), Some(y)) = (a.chars().next(), b.chars().next()) else {
            return a.is_empty().cmp(&b.is_empty()).reverse();
        };
        if x.is_ascii_digit() && y.is_ascii_digit() {
            let (na, ra) = split_digits(a);
            let (nb, rb) = split_digits(b);
            let (na, nb) = (na.trim_start_matches('0'), nb.trim_start_matches('0'));
            // Without leading zeros, a longer run is a larger number.
            let by_value = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
            if by_value != Ordering::Equal {
                return by_value;
            }
            (a, b) = (ra, rb);
        } else {
            if x != y {
                return x.cmp(&y);
            }
            (a, b) = (&a[x.len_utf8()..], &b[y.len_utf8()..]);
        }
    }
}

fn split_digits(s: &str) -> (&str, &str) {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    s.split_at(end)
}

/// List order: Tên, then Họ đệm, then date of birth ("trùng tên thì theo
/// họ đệm") in the Vietnamese collation of `shared::office::names`; the
/// candidate number last so that two identical people still come out in
/// one fixed order. Unknown dates of birth go last.
fn vietnamese_row_cmp(a: &HandInRow, b: &HandInRow) -> Ordering {
    let key = |r: &HandInRow| {
        let (family, given) = r.name_parts();
        let birth = r.birth.map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"));
        sort_key_parts(family, given, birth.as_deref())
    };
    key(a)
        .cmp(&key(b))
        .then_with(|| a.candidate_number.cmp(&b.candidate_number))
}

/// The band index of a mark in tenths (see [`BANDS`]).
fn band(mark_tenths: u32) -> usize {
    BAND_UPPER_TENTHS.partition_point(|&upper| mark_tenths >= upper)
}

/// Counts and marks of a set of rows.
#[derive(Default, Clone)]
struct Stats {
    candidates: u32,
    sat: u32,
    absent: u32,
    marked: u32,
    sum_tenths: u64,
    highest: Option<u32>,
    lowest: Option<u32>,
    bands: [u32; 6],
}

impl Stats {
    fn add(&mut self, row: &HandInRow) {
        self.candidates += 1;
        if row.status.sat() {
            self.sat += 1;
        } else {
            self.absent += 1;
        }
        if let Some(mark) = row.counted_mark() {
            self.marked += 1;
            self.sum_tenths += u64::from(mark);
            self.highest = self.highest.max(Some(mark));
            self.lowest = Some(self.lowest.map_or(mark, |l| l.min(mark)));
            self.bands[band(mark)] += 1;
        }
    }

    /// The average in hundredths, rounded half up once, so the cell holds
    /// exactly what it shows (7.73, not 7.725 displayed as 7.73).
    fn average_hundredths(&self) -> Option<u32> {
        let n = u64::from(self.marked);
        // Marks are at most 100 tenths, so the average is at most 1000.
        (n > 0).then(|| u32::try_from((2 * 10 * self.sum_tenths + n) / (2 * n)).unwrap_or(u32::MAX))
    }
}

/// The cell formats, made once.
struct Formats {
    title: Format,
    italic: Format,
    header: Format,
    text: Format,
    int: Format,
    mark: Format,
    average: Format,
    date: Format,
    total_text: Format,
    total_int: Format,
    total_mark: Format,
    total_average: Format,
}

impl Formats {
    fn new() -> Self {
        let cell = Format::new().set_border(FormatBorder::Thin);
        let total = cell.clone().set_bold();
        Formats {
            title: Format::new().set_bold().set_font_size(13),
            italic: Format::new().set_italic(),
            header: cell
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(0x00DD_EBF7)),
            // "@" keeps a retyped candidate number as text in Excel too.
            text: cell.clone().set_num_format("@"),
            int: cell.clone().set_num_format("0"),
            mark: cell.clone().set_num_format("0.0"),
            average: cell.clone().set_num_format("0.00"),
            date: cell.set_num_format("dd/mm/yyyy"),
            total_text: total.clone(),
            total_int: total.clone().set_num_format("0"),
            total_mark: total.clone().set_num_format("0.0"),
            total_average: total.set_num_format("0.00"),
        }
    }
}

fn col(i: usize) -> ColNum {
    // Both layouts have fewer than 20 columns.
    ColNum::try_from(i).unwrap_or(ColNum::MAX)
}

fn tenths(mark: u32) -> f64 {
    f64::from(mark) / 10.0
}

/// "10:00 ngày 05/12/2026" from "2026-12-05T10:00:00+07:00": the wall-clock
/// time as the caller wrote it. Anything that does not look like ISO 8601
/// is printed as given rather than guessed at.
fn vi_timestamp(iso: &str) -> String {
    let digits = |range: std::ops::Range<usize>| {
        iso.get(range)
            .filter(|s| s.bytes().all(|b| b.is_ascii_digit()))
    };
    let shape_ok = iso.len() >= 16
        && iso.as_bytes()[4] == b'-'
        && iso.as_bytes()[7] == b'-'
        && matches!(iso.as_bytes()[10], b'T' | b' ')
        && iso.as_bytes()[13] == b':';
    match (
        shape_ok,
        digits(0..4),
        digits(5..7),
        digits(8..10),
        digits(11..13),
        digits(14..16),
    ) {
        (true, Some(y), Some(m), Some(d), Some(hh), Some(mm)) => {
            format!("{hh}:{mm} ngày {d}/{m}/{y}")
        }
        _ => iso.to_string(),
    }
}

fn shift_line(shift: &ShiftInfo) -> String {
    format!(
        "{}: ngày {}, bắt đầu {}, {} phút",
        shift.name, shift.date_dmy, shift.start, shift.minutes
    )
}

fn write_summary(
    sheet: &mut Worksheet,
    h: &HandIn,
    groups: &[Group<'_>],
    f: &Formats,
) -> Result<(), HandInError> {
    sheet.write_string_with_format(0, 0, "TỔNG HỢP KẾT QUẢ", &f.title)?;
    sheet.write_string_with_format(1, 0, format!("Kỳ thi: {}", h.exam_event), &f.title)?;
    sheet.write_string(2, 0, format!("Môn thi: {}", h.subject))?;
    sheet.write_string_with_format(
        3,
        0,
        format!("Lập lúc: {}", vi_timestamp(&h.generated_at_iso)),
        &f.italic,
    )?;
    let mut row: RowNum = 4;
    for shift in &h.shifts {
        sheet.write_string(row, 0, shift_line(shift))?;
        row += 1;
    }

    // A merged "Phổ điểm" above the band columns, as on printed reports.
    let bands_from = col(SUMMARY_HEADERS.len());
    let bands_to = col(SUMMARY_HEADERS.len() + BANDS.len() - 1);
    let header = row + 2;
    sheet.merge_range(
        header - 1,
        bands_from,
        header - 1,
        bands_to,
        "Phổ điểm",
        &f.header,
    )?;
    for (i, text) in SUMMARY_HEADERS.iter().chain(BANDS.iter()).enumerate() {
        sheet.write_string_with_format(header, col(i), *text, &f.header)?;
    }

    let mut total = Stats::default();
    let mut row = header + 1;
    for group in groups {
        let mut stats = Stats::default();
        for &i in &group.rows {
            stats.add(&h.rows[i]);
            total.add(&h.rows[i]);
        }
        sheet.write_string_with_format(row, 0, group.site, &f.text)?;
        sheet.write_string_with_format(row, 1, group.room, &f.text)?;
        sheet.write_string_with_format(row, 2, &group.shift.name, &f.text)?;
        let plain = StatFormats {
            int: &f.int,
            mark: &f.mark,
            average: &f.average,
        };
        write_stats(sheet, row, &stats, &plain)?;
        row += 1;
    }
    sheet.write_string_with_format(row, 0, "Tổng cộng", &f.total_text)?;
    sheet.write_blank(row, 1, &f.total_text)?;
    sheet.write_blank(row, 2, &f.total_text)?;
    let bold = StatFormats {
        int: &f.total_int,
        mark: &f.total_mark,
        average: &f.total_average,
    };
    write_stats(sheet, row, &total, &bold)?;

    sheet.set_column_width(0, 24)?;
    sheet.set_column_width(1, 16)?;
    sheet.set_column_width(2, 8)?;
    for c in 3..SUMMARY_HEADERS.len() + BANDS.len() {
        sheet.set_column_width(col(c), 9)?;
    }
    sheet.set_row_height(header, 30)?;
    sheet.set_freeze_panes(header + 1, 0)?;
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    Ok(())
}

struct StatFormats<'a> {
    int: &'a Format,
    mark: &'a Format,
    average: &'a Format,
}

/// Columns "Số thí sinh" … "Thấp nhất" and the bands of one summary line.
fn write_stats(
    sheet: &mut Worksheet,
    row: RowNum,
    stats: &Stats,
    f: &StatFormats<'_>,
) -> Result<(), HandInError> {
    for (c, n) in [(3, stats.candidates), (4, stats.sat), (5, stats.absent)] {
        sheet.write_number_with_format(row, c, n, f.int)?;
    }
    match stats.average_hundredths() {
        Some(avg) => sheet.write_number_with_format(row, 6, f64::from(avg) / 100.0, f.average)?,
        None => sheet.write_blank(row, 6, f.average)?,
    };
    for (c, mark) in [(7, stats.highest), (8, stats.lowest)] {
        match mark {
            Some(m) => sheet.write_number_with_format(row, c, tenths(m), f.mark)?,
            None => sheet.write_blank(row, c, f.mark)?,
        };
    }
    for (i, n) in stats.bands.iter().enumerate() {
        sheet.write_number_with_format(row, col(SUMMARY_HEADERS.len() + i), *n, f.int)?;
    }
    Ok(())
}

/// One room sheet being written.
struct RoomSheet<'a> {
    h: &'a HandIn,
    group: &'a Group<'a>,
    ranks: &'a [Option<u32>],
    birth_dates: &'a [Option<ExcelDateTime>],
    formats: &'a Formats,
}

impl RoomSheet<'_> {
    fn write(&self, sheet: &mut Worksheet) -> Result<(), HandInError> {
        let (h, g, f) = (self.h, self.group, self.formats);
        sheet.write_string_with_format(0, 0, format!("Kỳ thi: {}", h.exam_event), &f.title)?;
        sheet.write_string(1, 0, format!("Môn thi: {}", h.subject))?;
        sheet.write_string(2, 0, format!("Điểm thi: {}", g.site))?;
        sheet.write_string(3, 0, format!("Phòng thi: {}", g.room))?;
        sheet.write_string(
            4,
            0,
            format!(
                "Ca thi: {}, bắt đầu {}, {} phút",
                g.shift.name, g.shift.start, g.shift.minutes
            ),
        )?;
        sheet.write_string(5, 0, format!("Ngày thi: {}", g.shift.date_dmy))?;
        if let Some(line) = self.questions_line() {
            sheet.write_string_with_format(5, 6, line, &f.italic)?;
        }

        let header: RowNum = 7;
        for (i, text) in ROOM_HEADERS.iter().enumerate() {
            sheet.write_string_with_format(header, col(i), *text, &f.header)?;
        }
        let mut row = header + 1;
        let mut stats = Stats::default();
        for (number, &i) in (1u32..).zip(&g.rows) {
            stats.add(&h.rows[i]);
            self.write_row(sheet, row, number, i)?;
            row += 1;
        }

        // The footer the paper lists carry, then the proctors' signatures.
        sheet.write_string_with_format(
            row + 1,
            0,
            format!(
                "Danh sách có {} thí sinh, {} dự thi.",
                stats.candidates, stats.sat
            ),
            &f.title,
        )?;
        sheet.write_string_with_format(row + 3, 1, "Cán bộ coi thi 1", &f.title)?;
        sheet.write_string_with_format(row + 3, 7, "Cán bộ coi thi 2", &f.title)?;
        sheet.write_string_with_format(row + 4, 1, "(Ký, ghi rõ họ tên)", &f.italic)?;
        sheet.write_string_with_format(row + 4, 7, "(Ký, ghi rõ họ tên)", &f.italic)?;

        for (i, width) in ROOM_WIDTHS.iter().enumerate() {
            sheet.set_column_width(col(i), *width)?;
        }
        sheet.set_row_height(header, 30)?;
        sheet.set_freeze_panes(header + 1, 0)?;
        // Printed lists: landscape, one page wide, the header on every page.
        sheet.set_landscape();
        sheet.set_print_fit_to_pages(1, 0);
        sheet.set_repeat_rows(header, header)?;
        Ok(())
    }

    /// "Đề gồm 40 câu" (or "38–40 câu" when papers differ), so the count
    /// of answered questions can be read against it.
    fn questions_line(&self) -> Option<String> {
        let counts = self.group.rows.iter().map(|&i| self.h.rows[i].questions);
        let (low, high) = (counts.clone().min()?, counts.max()?);
        Some(if low == high {
            format!("Đề gồm {low} câu")
        } else {
            format!("Đề gồm {low}–{high} câu")
        })
    }

    fn write_row(
        &self,
        sheet: &mut Worksheet,
        row: RowNum,
        number: u32,
        i: usize,
    ) -> Result<(), HandInError> {
        let f = self.formats;
        let r = &self.h.rows[i];
        let (family, given) = r.name_parts();
        sheet.write_number_with_format(row, 0, number, &f.int)?;
        sheet.write_string_with_format(row, 1, &r.candidate_number, &f.text)?;
        sheet.write_string_with_format(row, 2, family, &f.text)?;
        sheet.write_string_with_format(row, 3, given, &f.text)?;
        match &self.birth_dates[i] {
            Some(date) => sheet.write_datetime_with_format(row, 4, date, &f.date)?,
            None => sheet.write_blank(row, 4, &f.date)?,
        };
        sheet.write_string_with_format(row, 5, &r.class, &f.text)?;
        match r.counted_mark() {
            Some(mark) => sheet.write_number_with_format(row, 6, tenths(mark), &f.mark)?,
            None => sheet.write_blank(row, 6, &f.mark)?,
        };
        match (&r.score_exact, r.status) {
            (Some(exact), RowStatus::Graded) => {
                sheet.write_string_with_format(row, 7, exact, &f.text)?
            }
            _ => sheet.write_blank(row, 7, &f.text)?,
        };
        if r.status.sat() {
            sheet.write_number_with_format(row, 8, r.answered, &f.int)?;
        } else {
            sheet.write_blank(row, 8, &f.int)?;
        }
        sheet.write_string_with_format(row, 9, r.status.label_vi(), &f.text)?;
        match self.ranks[i] {
            Some(rank) => sheet.write_number_with_format(row, 10, rank, &f.int)?,
            None => sheet.write_blank(row, 10, &f.int)?,
        };
        sheet.write_blank(row, 11, &f.text)?;
        Ok(())
    }
}

#[cfg(test)]
#[path = "xlsx_tests.rs"]
mod tests;
