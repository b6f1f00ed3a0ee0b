//! The tolerant roster importer: the sheets of a school's list in, a
//! [`RosterPreview`] out.
//!
//! Tolerant about layout (title rows, two-row merged headers, headers
//! without diacritics, extra columns, footers) and about what Excel does
//! to values (lost leading zeros, date serials, NFD text, NBSP); strict
//! about meaning: every value that cannot be read, contradicts another or
//! repeats one is an issue at its cell, and nothing is guessed silently.
//! Columns outside the allow-list are never read: ethnicity, parents,
//! addresses and phones never reach a candidate, the preview or a log.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::cells::{self, IdRead};
use super::dates::Date;
use super::fields::{Field, HeaderMatcher};
use super::header::{Layout, find_header};
use super::names::{fold, split_name};
use super::places::{Places, RoomMatch};
use super::sheet::{Cell, Sheet, column_letter};
use crate::chip::id_card::{self, Sex};

pub use super::preview::{
    ColumnMapping, DroppedColumn, ImportedCandidate, RosterPreview, RowIssue, SheetSummary,
};

/// What the exam already knows, to check the roster against.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportContext {
    pub known_sites: Vec<String>,
    /// (site, room) pairs.
    pub known_rooms: Vec<(String, String)>,
    pub known_shifts: Vec<String>,
    /// The site of rows that name none.
    pub default_site: Option<String>,
    /// Chip-ID check-in needs every candidate's personal ID.
    pub require_person_id: bool,
}

/// Reads every sheet (one per class is common). A blank sheet is skipped;
/// a sheet with content but no recognisable header is an error.
pub fn import_roster(sheets: &[Sheet], ctx: &ImportContext) -> RosterPreview {
    let mut import = Import {
        ctx,
        matcher: HeaderMatcher::new(),
        places: Places::new(ctx),
        preview: RosterPreview::default(),
        seen: Seen::default(),
    };
    for sheet in sheets {
        import.sheet(sheet);
    }
    let preview = &mut import.preview;
    if preview.candidates.is_empty() && preview.errors.is_empty() {
        preview.errors.push(RowIssue {
            sheet: String::new(),
            row: 0,
            column: String::new(),
            field: String::new(),
            code: "roster_empty".into(),
            message: "the file has no candidate rows".into(),
            value: String::new(),
        });
    }
    import.preview
}

/// Where a value was first seen, to name both rows of a duplicate.
#[derive(Debug, Clone)]
struct Place {
    sheet: String,
    row: u32,
}

/// Values that must be unique across the whole roster.
#[derive(Default)]
struct Seen {
    person_ids: HashMap<String, Place>,
    candidate_numbers: HashMap<String, Place>,
    pupil_ids: HashMap<String, Place>,
    /// (site, room, shift, seat), folded.
    seats: HashMap<(String, String, String, u32), Place>,
}

/// A value's first place, or records `place` as its first.
fn first_seen<K: std::hash::Hash + Eq>(
    map: &mut HashMap<K, Place>,
    key: K,
    place: &Place,
) -> Option<Place> {
    match map.get(&key) {
        Some(first) => Some(first.clone()),
        None => {
            map.insert(key, place.clone());
            None
        }
    }
}

/// "rows 3 and 5", or with the sheet names when the rows are on
/// different sheets.
fn both_rows(first: &Place, later: &Place) -> String {
    if first.sheet == later.sheet {
        format!("rows {} and {}", first.row, later.row)
    } else {
        format!(
            "sheet {:?} row {} and sheet {:?} row {}",
            first.sheet, first.row, later.sheet, later.row
        )
    }
}

/// A personal ID shown in messages (which end up in logs): last 4 only.
fn masked(id: &str) -> String {
    let keep = id.len().saturating_sub(4);
    format!("{}{}", "*".repeat(keep), &id[keep..])
}

/// The columns of each field of one sheet, main column first.
struct Columns {
    by_field: HashMap<Field, Vec<usize>>,
}

impl Columns {
    fn new(layout: &Layout) -> Columns {
        let mut ranked: HashMap<Field, Vec<(u8, usize)>> = HashMap::new();
        for c in &layout.columns {
            if let Some(field) = c.field {
                ranked.entry(field).or_default().push((c.rank, c.col));
            }
        }
        let by_field = ranked
            .into_iter()
            .map(|(field, mut cols)| {
                cols.sort_unstable();
                (field, cols.into_iter().map(|(_, col)| col).collect())
            })
            .collect();
        Columns { by_field }
    }

    fn all(&self, field: Field) -> &[usize] {
        self.by_field.get(&field).map_or(&[], Vec::as_slice)
    }

    /// The main column of a field.
    fn main(&self, field: Field) -> Option<usize> {
        self.all(field).first().copied()
    }

    /// The first non-blank cell of a field on `row`: a second column of the
    /// same field only fills the main one's blanks.
    fn read<'s>(&self, sheet: &'s Sheet, row: usize, field: Field) -> Option<(usize, &'s Cell)> {
        self.all(field)
            .iter()
            .map(|&col| (col, sheet.cell(row, col)))
            .find(|(_, cell)| !cell.is_blank())
    }
}

/// Stop reading after this many blank rows in a row: what follows is not
/// the list (sheets often report a used range far beyond the data).
const BLANK_ROWS_END: usize = 3;

struct Import<'a> {
    ctx: &'a ImportContext,
    matcher: HeaderMatcher,
    places: Places,
    preview: RosterPreview,
    seen: Seen,
}

impl Import<'_> {
    fn sheet(&mut self, sheet: &Sheet) {
        let Some(layout) = find_header(sheet, &self.matcher) else {
            if !sheet.is_blank() {
                self.preview.errors.push(RowIssue {
                    sheet: sheet.name.clone(),
                    row: 0,
                    column: String::new(),
                    field: String::new(),
                    code: "header_not_found".into(),
                    message: format!(
                        "sheet {:?}: no header row in the first 30 rows names a name column \
                         and a birth date, personal ID or candidate number column",
                        sheet.name
                    ),
                    value: String::new(),
                });
            }
            self.preview.sheets.push(SheetSummary {
                name: sheet.name.clone(),
                header_row: None,
                candidates: 0,
            });
            return;
        };
        let header_row = layout.header_row as u32 + 1;
        self.preview.header_row.get_or_insert(header_row);
        self.describe(sheet, &layout);
        let before = self.preview.candidates.len();
        self.rows(sheet, &layout);
        self.preview.sheets.push(SheetSummary {
            name: sheet.name.clone(),
            header_row: Some(header_row),
            candidates: (self.preview.candidates.len() - before) as u32,
        });
    }

    /// Title rows as metadata; columns as kept or dropped.
    fn describe(&mut self, sheet: &Sheet, layout: &Layout) {
        for row in 0..layout.header_row {
            for cell in sheet.rows[row].iter() {
                if let Some(text) = cells::text(cell)
                    && !self.preview.metadata.contains(&text)
                {
                    self.preview.metadata.push(text);
                }
            }
        }
        for c in &layout.columns {
            let column = column_letter(c.col);
            let mapping = ColumnMapping {
                column: column.clone(),
                header: c.header.clone(),
                field: c.field.map(|f| f.name().to_owned()),
            };
            if self.preview.columns.contains(&mapping) {
                continue;
            }
            self.preview.columns.push(mapping);
            if c.field.is_none() {
                self.preview.dropped_columns.push(DroppedColumn {
                    column,
                    header: c.header.clone(),
                    sensitive: self.matcher.is_sensitive(&c.header),
                });
            }
        }
    }

    /// The data rows, from below the header to the data's end.
    fn rows(&mut self, sheet: &Sheet, layout: &Layout) {
        let cols = Columns::new(layout);
        let name_cols: Vec<usize> = [Field::FullName, Field::FamilyMiddle, Field::GivenName]
            .iter()
            .flat_map(|&f| cols.all(f).iter().copied())
            .collect();
        let mut blank_run = 0;
        let mut end = sheet.rows.len();
        for row in layout.data_start..sheet.rows.len() {
            if sheet.row_is_blank(row) {
                blank_run += 1;
                if blank_run >= BLANK_ROWS_END {
                    end = row;
                    break;
                }
                continue;
            }
            blank_run = 0;
            if self.repeats_header(sheet, row, &name_cols) {
                // Exports repeat the header at page breaks.
                continue;
            }
            if is_footer(sheet, row) {
                end = row;
                break;
            }
            let name_blank = name_cols.iter().all(|&c| sheet.cell(row, c).is_blank());
            if let Some(stt) = cols.main(Field::RowNumber) {
                let cell = sheet.cell(row, stt);
                // Below the list STT holds a total or nothing; a row without
                // STT but with a name is still a (hand-made) data row.
                if !cells::is_row_number(cell) && (name_blank || !cell.is_blank()) {
                    end = row;
                    break;
                }
            }
            let candidate = self.row(sheet, row, &cols);
            self.preview.candidates.push(candidate);
        }
        self.stray_rows(sheet, end, &cols, &name_cols);
    }

    /// Nothing is dropped silently: a row below the list's end that still
    /// looks like a candidate (numbered, with a name) is an error, so the
    /// office fixes the sheet instead of losing that person.
    fn stray_rows(&mut self, sheet: &Sheet, end: usize, cols: &Columns, name_cols: &[usize]) {
        let Some(stt) = cols.main(Field::RowNumber) else {
            return;
        };
        for row in end + 1..sheet.rows.len() {
            let named = name_cols.iter().any(|&c| !sheet.cell(row, c).is_blank());
            if named && cells::is_row_number(sheet.cell(row, stt)) && !is_footer(sheet, row) {
                self.preview.errors.push(RowIssue {
                    sheet: sheet.name.clone(),
                    row: row as u32 + 1,
                    column: column_letter(stt),
                    field: Field::RowNumber.name().to_owned(),
                    code: "row_after_end".into(),
                    message: format!(
                        "row {}: a numbered row with a name below the end of the list (row {}); \
                         remove what separates it from the list, or the row",
                        row + 1,
                        end + 1
                    ),
                    value: sheet.cell(row, stt).as_text(),
                });
            }
        }
    }

    fn repeats_header(&self, sheet: &Sheet, row: usize, name_cols: &[usize]) -> bool {
        name_cols.iter().any(|&c| {
            cells::text(sheet.cell(row, c)).is_some_and(|t| {
                matches!(
                    self.matcher.field(&t),
                    Some((Field::FullName | Field::FamilyMiddle | Field::GivenName, _))
                )
            })
        })
    }

    /// One data row: the candidate, and its issues in the preview.
    fn row(&mut self, sheet: &Sheet, row: usize, cols: &Columns) -> ImportedCandidate {
        let mut r = RowReader {
            sheet,
            row,
            row1: row as u32 + 1,
            cols,
            errors: Vec::new(),
            warnings: Vec::new(),
        };
        let (full_name, given_name) = r.name();
        let birth = r.birth();
        let sex = r.sex();
        let person_id = r.person_id(birth, sex, self.ctx.require_person_id);
        let (site, room) = r.site_and_room(&self.places, self.ctx);
        let shift = r.shift(&self.places);
        let seat = r.seat();
        let candidate = ImportedCandidate {
            row: r.row1,
            sheet: sheet.name.clone(),
            candidate_number: r.code(Field::CandidateNumber),
            full_name,
            given_name,
            birth,
            person_id,
            pupil_id: r.code(Field::PupilId),
            class: r.text(Field::Class).map(|(_, t)| t),
            site,
            room,
            shift,
            seat,
            sex,
        };
        self.duplicates(&mut r, &candidate);
        self.preview.errors.append(&mut r.errors);
        self.preview.warnings.append(&mut r.warnings);
        candidate
    }

    /// Unique values repeated: the error goes on the later row and names
    /// both.
    fn duplicates(&mut self, r: &mut RowReader, c: &ImportedCandidate) {
        let here = Place {
            sheet: c.sheet.clone(),
            row: c.row,
        };
        if let Some(id) = &c.person_id
            && let Some(first) = first_seen(&mut self.seen.person_ids, id.clone(), &here)
        {
            r.error(
                Field::PersonId,
                "duplicate_person_id",
                format!(
                    "personal ID {} is on {}",
                    masked(id),
                    both_rows(&first, &here)
                ),
            );
        }
        if let Some(number) = &c.candidate_number {
            let key = number.to_uppercase();
            if let Some(first) = first_seen(&mut self.seen.candidate_numbers, key, &here) {
                r.error(
                    Field::CandidateNumber,
                    "duplicate_candidate_number",
                    format!(
                        "candidate number {number} is on {}",
                        both_rows(&first, &here)
                    ),
                );
            }
        }
        if let Some(pupil) = &c.pupil_id {
            let key = pupil.to_uppercase();
            if let Some(first) = first_seen(&mut self.seen.pupil_ids, key, &here) {
                r.error(
                    Field::PupilId,
                    "duplicate_pupil_id",
                    format!("learner ID {pupil} is on {}", both_rows(&first, &here)),
                );
            }
        }
        if let (Some(room), Some(seat)) = (&c.room, c.seat) {
            let key = (
                fold(c.site.as_deref().unwrap_or("")),
                fold(room),
                fold(c.shift.as_deref().unwrap_or("")),
                seat,
            );
            if let Some(first) = first_seen(&mut self.seen.seats, key, &here) {
                r.error(
                    Field::Seat,
                    "duplicate_seat",
                    format!(
                        "seat {seat} in {room}{} is given on {}",
                        c.shift
                            .as_deref()
                            .map_or(String::new(), |s| format!(", {s}")),
                        both_rows(&first, &here)
                    ),
                );
            }
        }
    }
}

/// A total or closing line below the list ("Tổng số: 30 học sinh"). A
/// digit is required so a name like "Tống Công Minh" is never taken for
/// one.
fn is_footer(sheet: &Sheet, row: usize) -> bool {
    let Some(first) = sheet.rows[row].iter().find_map(cells::text) else {
        return false;
    };
    let folded = fold(&first);
    let words: Vec<&str> = folded.split(' ').collect();
    let total = matches!(
        words.as_slice(),
        ["tong", "so" | "cong", ..] | ["total", ..]
    );
    total && first.chars().any(|c| c.is_ascii_digit())
}

/// Reads the fields of one row, collecting its issues.
struct RowReader<'s> {
    sheet: &'s Sheet,
    row: usize,
    row1: u32,
    cols: &'s Columns,
    errors: Vec<RowIssue>,
    warnings: Vec<RowIssue>,
}

impl RowReader<'_> {
    fn issue(&self, col: Option<usize>, field: Field, code: &str, message: String) -> RowIssue {
        RowIssue {
            sheet: self.sheet.name.clone(),
            row: self.row1,
            column: col.map(column_letter).unwrap_or_default(),
            field: field.name().to_owned(),
            code: code.to_owned(),
            message: format!("row {}: {message}", self.row1),
            value: col.map_or(String::new(), |c| self.sheet.cell(self.row, c).as_text()),
        }
    }

    /// An error at the field's cell on this row (the non-blank one, else
    /// the main column).
    fn error(&mut self, field: Field, code: &str, message: String) {
        let col = self.col_of(field);
        let issue = self.issue(col, field, code, message);
        self.errors.push(issue);
    }

    fn col_of(&self, field: Field) -> Option<usize> {
        self.cols
            .read(self.sheet, self.row, field)
            .map(|(c, _)| c)
            .or_else(|| self.cols.main(field))
    }

    fn text(&self, field: Field) -> Option<(usize, String)> {
        let (col, cell) = self.cols.read(self.sheet, self.row, field)?;
        Some((col, cells::text(cell)?))
    }

    fn code(&self, field: Field) -> Option<String> {
        let (_, cell) = self.cols.read(self.sheet, self.row, field)?;
        cells::code(cell)
    }

    /// Full name and given name. With separate "Họ đệm" and "Tên" columns
    /// the two are joined and the school's split kept.
    fn name(&mut self) -> (String, String) {
        let full = self.text(Field::FullName).map(|(_, t)| t);
        let family = self.text(Field::FamilyMiddle).map(|(_, t)| t);
        let given = self.text(Field::GivenName).map(|(_, t)| t);
        let full = full
            .or_else(|| match (&family, &given) {
                (Some(f), Some(g)) => Some(format!("{f} {g}")),
                (Some(only), None) | (None, Some(only)) => Some(only.clone()),
                (None, None) => None,
            })
            .unwrap_or_default();
        if full.is_empty() {
            let col = self
                .cols
                .main(Field::FullName)
                .or_else(|| self.cols.main(Field::GivenName));
            let issue = self.issue(
                col,
                Field::FullName,
                "name_missing",
                "the name is empty".into(),
            );
            self.errors.push(issue);
        }
        let given = given.unwrap_or_else(|| split_name(&full).1);
        (full, given)
    }

    fn birth(&mut self) -> Option<Date> {
        let (_, cell) = self.cols.read(self.sheet, self.row, Field::Birth)?;
        match cells::birth(cell) {
            Ok(date) => date,
            Err(why) => {
                self.error(
                    Field::Birth,
                    "birth_invalid",
                    format!("the birth date is not valid: {why}"),
                );
                None
            }
        }
    }

    fn sex(&mut self) -> Option<Sex> {
        let (_, text) = self.text(Field::Sex)?;
        let sex = Sex::parse_text(&text);
        if sex.is_none() {
            self.error(
                Field::Sex,
                "sex_invalid",
                format!("{text:?} is not a sex; write Nam or Nữ"),
            );
        }
        sex
    }

    /// The 12-digit personal ID, checked against the birth year and sex it
    /// encodes.
    fn person_id(
        &mut self,
        birth: Option<Date>,
        sex: Option<Sex>,
        required: bool,
    ) -> Option<String> {
        let read = self
            .cols
            .read(self.sheet, self.row, Field::PersonId)
            .map_or(IdRead::Blank, |(_, cell)| cells::person_id(cell));
        let id = match read {
            IdRead::Blank => {
                if required {
                    self.error(
                        Field::PersonId,
                        "person_id_missing",
                        "the personal ID (CCCD) is required for chip check-in".into(),
                    );
                }
                return None;
            }
            IdRead::Bad(why) => {
                self.error(
                    Field::PersonId,
                    "person_id_invalid",
                    format!("the personal ID is not valid: {why}"),
                );
                return None;
            }
            IdRead::Digits(id) => id,
            IdRead::Padded { id, read } => {
                let col = self.col_of(Field::PersonId);
                let warning = self.issue(
                    col,
                    Field::PersonId,
                    "person_id_padded",
                    format!(
                        "the personal ID had {} digits (Excel dropped its leading zeros); \
                         read as {}",
                        read.len(),
                        masked(&id)
                    ),
                );
                self.warnings.push(warning);
                id
            }
        };
        let info = match id_card::validate(&id) {
            Ok(info) => info,
            Err(why) => {
                self.error(
                    Field::PersonId,
                    "person_id_invalid",
                    format!("the personal ID is not valid: {why}"),
                );
                return None;
            }
        };
        if let Some(birth) = birth
            && !id_card::birth_consistent(&id, birth.mrz())
        {
            self.error(
                Field::PersonId,
                "birth_contradicts_id",
                format!(
                    "personal ID {} says born in {}, the birth date says {}",
                    masked(&id),
                    info.birth_year,
                    birth.dmy()
                ),
            );
        }
        if let Some(sex) = sex
            && sex != info.sex
        {
            self.error(
                Field::PersonId,
                "birth_contradicts_id",
                format!(
                    "personal ID {} is a {}'s, the sex column says {}",
                    masked(&id),
                    if info.sex == Sex::Male {
                        "male"
                    } else {
                        "female"
                    },
                    sex.vietnamese()
                ),
            );
        }
        Some(id)
    }

    /// Site and room, as the exam names them. A room found at exactly one
    /// site gives the site when the row names none.
    fn site_and_room(
        &mut self,
        places: &Places,
        ctx: &ImportContext,
    ) -> (Option<String>, Option<String>) {
        let site = match self.text(Field::Site) {
            Some((_, text)) => match places.site(&text) {
                Some(site) => Some(site),
                None => {
                    self.error(
                        Field::Site,
                        "unknown_site",
                        format!("{text:?} is not a site of this exam"),
                    );
                    // The room cannot be checked against an unknown site.
                    return (None, None);
                }
            },
            None => ctx.default_site.clone(),
        };
        let Some((_, text)) = self.text(Field::Room) else {
            return (site, None);
        };
        match places.room(site.as_deref(), &text) {
            RoomMatch::Found { site, room } => (Some(site), Some(room)),
            RoomMatch::Unknown => {
                let at = site
                    .as_deref()
                    .map_or(String::new(), |s| format!(" at {s}"));
                self.error(
                    Field::Room,
                    "unknown_room",
                    format!("{text:?} is not a room of this exam{at}"),
                );
                (site, None)
            }
            RoomMatch::Ambiguous(sites) => {
                self.error(
                    Field::Room,
                    "room_ambiguous",
                    format!(
                        "{text:?} is a room at several sites ({}); name the site",
                        sites.join(", ")
                    ),
                );
                (site, None)
            }
        }
    }

    fn shift(&mut self, places: &Places) -> Option<String> {
        let (_, text) = self.text(Field::Shift)?;
        let shift = places.shift(&text);
        if shift.is_none() {
            self.error(
                Field::Shift,
                "unknown_shift",
                format!("{text:?} is not a shift of this exam"),
            );
        }
        shift
    }

    fn seat(&mut self) -> Option<u32> {
        let (_, cell) = self.cols.read(self.sheet, self.row, Field::Seat)?;
        match cells::seat(cell) {
            Ok(seat) => seat,
            Err(why) => {
                self.error(Field::Seat, "seat_invalid", why);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
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
}
