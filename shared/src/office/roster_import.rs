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
#[path = "roster_import_tests.rs"]
mod tests;
