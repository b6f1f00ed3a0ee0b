//! Vietnamese personal-ID rules that give the BAC input of a CCCD card.
//!
//! The chip's BAC key needs the document number, the date of birth and the
//! expiry. At the exam site we usually know only the 12-digit personal ID
//! and the birth date (from the roster or the card's QR code), so this
//! module derives the rest:
//!
//! - the 12-digit ID is `PPP` (province of birth registration) `C` (century
//!   and sex) `YY` (birth year) `NNNNNN`; its last 9 digits are the MRZ
//!   document number;
//! - the expiry follows the renewal rule: cards are renewed at 14, 25, 40
//!   and 60; a card issued within 2 years before one of those ages stays
//!   valid to the next one; from 60 a card has no expiry.
//!
//! The rule gives one most likely expiry; [`expiry_candidates`] adds the
//! neighbouring rule dates so the client can retry BAC when the first guess
//! is wrong (a card renewed early, an expired card still carried).
//!
//! Also here: the text of the QR code printed on the card ([`QrData`]) and
//! small calendar helpers on [`MrzDate`] that the rule needs.

use thiserror::Error;

use crate::chip::mrz::{BacInput, MrzDate, MrzError};

/// Sex as the ID number, the MRZ and the card's text state it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    /// The MRZ letter: `M` or `F`.
    pub fn mrz_letter(self) -> char {
        match self {
            Sex::Male => 'M',
            Sex::Female => 'F',
        }
    }

    /// The Vietnamese word printed on the card and stored in DG13.
    pub fn vietnamese(self) -> &'static str {
        match self {
            Sex::Male => "Nam",
            Sex::Female => "Nữ",
        }
    }

    /// Reads "Nam" / "Nữ" (composed or decomposed, any case), or the
    /// English words and MRZ letters. `None` for anything else.
    pub fn parse_text(text: &str) -> Option<Sex> {
        let plain = without_diacritics(text.trim()).to_ascii_lowercase();
        match plain.as_str() {
            "nam" | "male" | "m" => Some(Sex::Male),
            "nu" | "female" | "f" => Some(Sex::Female),
            _ => None,
        }
    }
}

/// The card of someone aged 60 or more has no expiry, but the MRZ and the
/// BAC key still need a date. UNCONFIRMED: which date real cards use is not
/// known; 31 Dec 2099 (`991231`) is a guess, kept in one place so a reading
/// from a real card can correct it.
pub const NO_EXPIRY: MrzDate = MrzDate {
    year: 2099,
    month: 12,
    day: 31,
};

/// The ages at which a card must be renewed.
pub const RENEWAL_AGES: [u16; 4] = [14, 25, 40, 60];

/// A card issued this many years (or less) before a renewal age stays valid
/// to the next renewal age.
pub const EARLY_RENEWAL_YEARS: u16 = 2;

/// Digits in a personal ID (số định danh cá nhân).
pub const ID_DIGITS: usize = 12;

/// Why a personal ID (or what goes with it) is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IdError {
    #[error("the personal ID must have 12 digits, it has {0} characters")]
    Length(usize),
    #[error("the personal ID must contain only digits 0-9")]
    NotDigits,
    #[error("province code 000 does not exist")]
    NoProvince,
    #[error("date {0:?} is not a calendar date")]
    BadDate(MrzDate),
    #[error("the ID says born in {id_year}, the birth date says {birth_year}")]
    BirthMismatch { id_year: u16, birth_year: u16 },
    #[error(transparent)]
    Mrz(#[from] MrzError),
}

/// What the 12 digits of a personal ID say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdInfo {
    /// The 3-digit code of the province where the birth was registered.
    pub province: u16,
    pub sex: Sex,
    /// The full birth year (century digit and the two year digits).
    pub birth_year: u16,
    /// The last 6 digits.
    pub serial: u32,
}

/// Checks the format of a 12-digit personal ID and reads what it encodes.
///
/// Province codes are not checked against [`province_name`]'s list: codes
/// change (provinces merge) and refusing a real card at the door is worse
/// than accepting an unknown code. Only `000` is refused.
pub fn validate(id12: &str) -> Result<IdInfo, IdError> {
    let count = id12.chars().count();
    if count != ID_DIGITS {
        return Err(IdError::Length(count));
    }
    if !id12.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IdError::NotDigits);
    }
    let number = |range: std::ops::Range<usize>| -> u32 {
        id12.as_bytes()[range]
            .iter()
            .fold(0, |acc, b| acc * 10 + u32::from(b - b'0'))
    };
    let province = number(0..3) as u16;
    if province == 0 {
        return Err(IdError::NoProvince);
    }
    // 0/1: 20th century male/female, 2/3: 21st, 4/5: 22nd, ...
    let century_sex = number(3..4) as u16;
    let sex = if century_sex.is_multiple_of(2) {
        Sex::Male
    } else {
        Sex::Female
    };
    let birth_year = 1900 + (century_sex / 2) * 100 + number(4..6) as u16;
    Ok(IdInfo {
        province,
        sex,
        birth_year,
        serial: number(6..12),
    })
}

/// The century/sex digit (4th digit of the ID) for a birth year and sex;
/// `None` for years before 1900 or after 2399.
pub fn century_sex_digit(birth_year: u16, sex: Sex) -> Option<u8> {
    let century = birth_year.checked_sub(1900)? / 100;
    if century > 4 {
        return None;
    }
    Some(century as u8 * 2 + u8::from(sex == Sex::Female))
}

/// The MRZ document number of a CCCD: the last 9 characters of the
/// 12-digit ID. Pass a validated ID; a shorter text is returned whole.
pub fn document_number(id12: &str) -> &str {
    match id12.char_indices().rev().nth(8) {
        Some((start, _)) => &id12[start..],
        None => id12,
    }
}

/// Whether the birth year encoded in the ID is the year of `birth`
/// (false for an invalid ID).
pub fn birth_consistent(id12: &str, birth: MrzDate) -> bool {
    validate(id12).is_ok_and(|info| info.birth_year == birth.year)
}

/// Whether the date exists in the Gregorian calendar.
pub fn is_calendar_date(date: MrzDate) -> bool {
    (1..=12).contains(&date.month)
        && date.day >= 1
        && date.day <= days_in_month(date.year, date.month)
}

/// Days in a month of a year (0 for a month outside 1–12).
pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// The same day `years` later; 29 February becomes 28 February in a
/// common year (UNCONFIRMED for cards: [`expiry_candidates`] also offers
/// 1 March).
pub fn add_years(date: MrzDate, years: u16) -> MrzDate {
    let year = date.year.saturating_add(years);
    let day = date.day.min(days_in_month(year, date.month));
    MrzDate::new(year, date.month, day)
}

/// The same day `years` earlier (29 February → 28 February).
pub fn sub_years(date: MrzDate, years: u16) -> MrzDate {
    let year = date.year.saturating_sub(years);
    let day = date.day.min(days_in_month(year, date.month));
    MrzDate::new(year, date.month, day)
}

/// The birthday at `age`.
fn birthday(birth: MrzDate, age: u16) -> MrzDate {
    add_years(birth, age)
}

/// The expiry the renewal rule gives a card issued on `issued` to someone
/// born on `birth`: the next renewal birthday after the issue date, skipped
/// to the one after when the card was issued within
/// [`EARLY_RENEWAL_YEARS`] before it; [`NO_EXPIRY`] from 60 on.
pub fn rule_expiry(birth: MrzDate, issued: MrzDate) -> MrzDate {
    let mut ages = RENEWAL_AGES.iter().copied().peekable();
    while let Some(age) = ages.next() {
        let renewal = birthday(birth, age);
        if issued >= renewal {
            continue;
        }
        let early = issued >= sub_years(renewal, EARLY_RENEWAL_YEARS);
        if !early {
            return renewal;
        }
        return match ages.peek() {
            Some(&next) => birthday(birth, next),
            None => NO_EXPIRY,
        };
    }
    NO_EXPIRY
}

/// Expiry dates to try for BAC, most likely first.
///
/// With the issue date the rule gives the answer; without it we assume the
/// card held today is the one valid today (expiring at the next renewal
/// birthday). The neighbours follow: the renewal date after the first guess
/// (the card was renewed early), the one before it (an expired card still
/// carried, or a wrong issue date), then the rest; 1 March is added after a
/// 29 February birthday moved to the 28th in a common year.
pub fn expiry_candidates(birth: MrzDate, issued: Option<MrzDate>, today: MrzDate) -> Vec<MrzDate> {
    // Every date the rule can ever give this person, in order.
    let mut rule_dates: Vec<MrzDate> = RENEWAL_AGES
        .iter()
        .map(|&age| birthday(birth, age))
        .collect();
    rule_dates.push(NO_EXPIRY);
    let first = match issued {
        Some(issued) => rule_expiry(birth, issued),
        None => rule_dates
            .iter()
            .copied()
            .find(|&date| date >= today)
            .unwrap_or(NO_EXPIRY),
    };
    let at = rule_dates.iter().position(|&d| d == first).unwrap_or(0);
    let mut out = vec![first];
    // Nearest neighbours first, the later one before the earlier one at the
    // same distance (an early renewal is more common than an expired card).
    for distance in 1..rule_dates.len() {
        if let Some(&later) = rule_dates.get(at + distance) {
            out.push(later);
        }
        if let Some(earlier) = at.checked_sub(distance).map(|i| rule_dates[i]) {
            out.push(earlier);
        }
    }
    if birth.month == 2 && birth.day == 29 {
        let moved: Vec<MrzDate> = out
            .iter()
            .filter(|d| d.month == 2 && d.day == 28)
            .map(|d| MrzDate::new(d.year, 3, 1))
            .collect();
        out.extend(moved);
    }
    let mut seen = Vec::with_capacity(out.len());
    out.retain(|d| {
        let new = !seen.contains(d);
        seen.push(*d);
        new
    });
    out
}

/// The BAC inputs to try for a CCCD, most likely first.
pub fn bac_inputs(
    id12: &str,
    birth: MrzDate,
    issued: Option<MrzDate>,
    today: MrzDate,
) -> Result<Vec<BacInput>, IdError> {
    let info = validate(id12)?;
    for date in [Some(birth), issued, Some(today)].into_iter().flatten() {
        if !is_calendar_date(date) {
            return Err(IdError::BadDate(date));
        }
    }
    if info.birth_year != birth.year {
        return Err(IdError::BirthMismatch {
            id_year: info.birth_year,
            birth_year: birth.year,
        });
    }
    let number = document_number(id12);
    expiry_candidates(birth, issued, today)
        .into_iter()
        .map(|expiry| BacInput::new(number, birth, expiry).map_err(IdError::from))
        .collect()
}

/// The province of a 3-digit code (the 63 provinces of Circular
/// 07/2016/TT-BCA), `None` for an unknown code.
pub fn province_name(code: u16) -> Option<&'static str> {
    PROVINCES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, name)| *name)
}

/// Province codes of birth registration and their names.
pub const PROVINCES: [(u16, &str); 63] = [
    (1, "Hà Nội"),
    (2, "Hà Giang"),
    (4, "Cao Bằng"),
    (6, "Bắc Kạn"),
    (8, "Tuyên Quang"),
    (10, "Lào Cai"),
    (11, "Điện Biên"),
    (12, "Lai Châu"),
    (14, "Sơn La"),
    (15, "Yên Bái"),
    (17, "Hòa Bình"),
    (19, "Thái Nguyên"),
    (20, "Lạng Sơn"),
    (22, "Quảng Ninh"),
    (24, "Bắc Giang"),
    (25, "Phú Thọ"),
    (26, "Vĩnh Phúc"),
    (27, "Bắc Ninh"),
    (30, "Hải Dương"),
    (31, "Hải Phòng"),
    (33, "Hưng Yên"),
    (34, "Thái Bình"),
    (35, "Hà Nam"),
    (36, "Nam Định"),
    (37, "Ninh Bình"),
    (38, "Thanh Hóa"),
    (40, "Nghệ An"),
    (42, "Hà Tĩnh"),
    (44, "Quảng Bình"),
    (45, "Quảng Trị"),
    (46, "Thừa Thiên Huế"),
    (48, "Đà Nẵng"),
    (49, "Quảng Nam"),
    (51, "Quảng Ngãi"),
    (52, "Bình Định"),
    (54, "Phú Yên"),
    (56, "Khánh Hòa"),
    (58, "Ninh Thuận"),
    (60, "Bình Thuận"),
    (62, "Kon Tum"),
    (64, "Gia Lai"),
    (66, "Đắk Lắk"),
    (67, "Đắk Nông"),
    (68, "Lâm Đồng"),
    (70, "Bình Phước"),
    (72, "Tây Ninh"),
    (74, "Bình Dương"),
    (75, "Đồng Nai"),
    (77, "Bà Rịa - Vũng Tàu"),
    (79, "Hồ Chí Minh"),
    (80, "Long An"),
    (82, "Tiền Giang"),
    (83, "Bến Tre"),
    (84, "Trà Vinh"),
    (86, "Vĩnh Long"),
    (87, "Đồng Tháp"),
    (89, "An Giang"),
    (91, "Kiên Giang"),
    (92, "Cần Thơ"),
    (93, "Hậu Giang"),
    (94, "Sóc Trăng"),
    (95, "Bạc Liêu"),
    (96, "Cà Mau"),
];

/// Vietnamese text with its tone and vowel marks removed (`đ` → `d`), as
/// the MRZ writes names: "Nguyễn Văn An" → "Nguyen Van An". Accepts
/// composed and decomposed text; other characters pass through.
pub fn without_diacritics(text: &str) -> String {
    // Each row: the plain letter, then every composed letter that drops to it.
    const FOLD: [(char, &str); 14] = [
        ('a', "àáảãạăằắẳẵặâầấẩẫậ"),
        ('A', "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ"),
        ('e', "èéẻẽẹêềếểễệ"),
        ('E', "ÈÉẺẼẸÊỀẾỂỄỆ"),
        ('i', "ìíỉĩị"),
        ('I', "ÌÍỈĨỊ"),
        ('o', "òóỏõọôồốổỗộơờớởỡợ"),
        ('O', "ÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ"),
        ('u', "ùúủũụưừứửữự"),
        ('U', "ÙÚỦŨỤƯỪỨỬỮỰ"),
        ('y', "ỳýỷỹỵ"),
        ('Y', "ỲÝỶỸỴ"),
        ('d', "đ"),
        ('D', "Đ"),
    ];
    text.chars()
        // Combining marks of decomposed text (grave, acute, hook, tilde,
        // dot below, breve, circumflex, horn).
        .filter(|c| !matches!(c, '\u{0300}'..='\u{036F}'))
        .map(|c| {
            // ASCII has nothing to fold: most of any text, skipped cheaply
            // (bank imports fold every line of a Word file).
            if c.is_ascii() {
                return c;
            }
            FOLD.iter()
                .find(|(_, marked)| marked.contains(c))
                .map_or(c, |(plain, _)| *plain)
        })
        .collect()
}

/// Why the QR text of a card is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QrError {
    #[error("the QR text has {0} fields separated by '|', at least 7 are needed")]
    TooFewFields(usize),
    #[error("QR personal ID: {0}")]
    PersonalId(IdError),
    #[error("QR old ID must be 9 digits or empty")]
    OldId,
    #[error("QR full name is empty")]
    NoName,
    #[error("QR {field} is not a date ddmmyyyy: {text:?}")]
    Date { field: &'static str, text: String },
    #[error("QR sex is neither Nam nor Nữ: {0:?}")]
    Sex(String),
}

/// What the QR code printed on a CCCD says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrData {
    pub id12: String,
    /// The 9-digit ID of the older card (CMND), when the holder had one.
    pub old_id: Option<String>,
    pub full_name: String,
    pub birth: MrzDate,
    pub sex: Sex,
    pub address: String,
    pub issued: MrzDate,
}

impl QrData {
    /// Parses `ID12|old ID|full name|ddmmyyyy|sex|address|ddmmyyyy`, which
    /// may be followed by more (usually empty) fields; those are ignored.
    pub fn parse(text: &str) -> Result<QrData, QrError> {
        let fields: Vec<&str> = text.trim().split('|').map(str::trim).collect();
        if fields.len() < 7 {
            return Err(QrError::TooFewFields(fields.len()));
        }
        let id12 = fields[0];
        validate(id12).map_err(QrError::PersonalId)?;
        let old_id = match fields[1] {
            "" => None,
            old if old.len() == 9 && old.bytes().all(|b| b.is_ascii_digit()) => {
                Some(old.to_string())
            }
            _ => return Err(QrError::OldId),
        };
        if fields[2].is_empty() {
            return Err(QrError::NoName);
        }
        Ok(QrData {
            id12: id12.to_string(),
            old_id,
            full_name: fields[2].to_string(),
            birth: parse_ddmmyyyy(fields[3]).ok_or_else(|| QrError::Date {
                field: "birth date",
                text: fields[3].to_string(),
            })?,
            sex: Sex::parse_text(fields[4]).ok_or_else(|| QrError::Sex(fields[4].to_string()))?,
            address: fields[5].to_string(),
            issued: parse_ddmmyyyy(fields[6]).ok_or_else(|| QrError::Date {
                field: "issue date",
                text: fields[6].to_string(),
            })?,
        })
    }

    /// The BAC inputs to try for this card on `today`.
    pub fn bac_inputs(&self, today: MrzDate) -> Result<Vec<BacInput>, IdError> {
        bac_inputs(&self.id12, self.birth, Some(self.issued), today)
    }
}

/// `ddmmyyyy` → a calendar date.
fn parse_ddmmyyyy(text: &str) -> Option<MrzDate> {
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let day = text[0..2].parse().ok()?;
    let month = text[2..4].parse().ok()?;
    let year = text[4..8].parse().ok()?;
    let date = MrzDate::new(year, month, day);
    is_calendar_date(date).then_some(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: u16, month: u8, day: u8) -> MrzDate {
        MrzDate::new(year, month, day)
    }

    #[test]
    fn reads_the_synthetic_id() {
        let info = validate("001203012345").unwrap();
        assert_eq!(
            info,
            IdInfo {
                province: 1,
                sex: Sex::Male,
                birth_year: 2003,
                serial: 12345
            }
        );
        assert_eq!(province_name(info.province), Some("Hà Nội"));
        assert_eq!(document_number("001203012345"), "203012345");
        assert!(birth_consistent("001203012345", date(2003, 5, 14)));
        assert!(!birth_consistent("001203012345", date(2004, 5, 14)));
        assert!(!birth_consistent("00120301234", date(2003, 5, 14)));
        assert_eq!(validate("079310000001").unwrap().birth_year, 2010);
        assert_eq!(validate("079310000001").unwrap().sex, Sex::Female);
        assert_eq!(validate("079098000001").unwrap().birth_year, 1998);
        assert_eq!(validate("079498000001").unwrap().birth_year, 2198);
        assert_eq!(century_sex_digit(2010, Sex::Female), Some(3));
        assert_eq!(century_sex_digit(1998, Sex::Male), Some(0));
    }

    #[test]
    fn refuses_malformed_ids() {
        assert_eq!(validate("00120301234"), Err(IdError::Length(11)));
        assert_eq!(validate("00120301234a"), Err(IdError::NotDigits));
        assert_eq!(validate("00120301234é"), Err(IdError::NotDigits));
        assert_eq!(validate("000203012345"), Err(IdError::NoProvince));
        assert_eq!(document_number("12345"), "12345");
        assert_eq!(document_number("ééééééééééé"), "ééééééééé");
    }

    #[test]
    fn synthetic_vector_is_the_first_candidate() {
        let birth = date(2003, 5, 14);
        let inputs = bac_inputs(
            "001203012345",
            birth,
            Some(date(2021, 3, 2)),
            date(2026, 9, 1),
        )
        .unwrap();
        assert_eq!(inputs[0].expiry, date(2028, 5, 14));
        assert_eq!(inputs[0].mrz_information(), "203012345003051412805140");
        // Then the neighbours: renewed early (40), expired 14, then 60, none.
        let expiries: Vec<MrzDate> = inputs.iter().map(|i| i.expiry).collect();
        assert_eq!(
            expiries,
            vec![
                date(2028, 5, 14),
                date(2043, 5, 14),
                date(2017, 5, 14),
                date(2063, 5, 14),
                NO_EXPIRY
            ]
        );
        // Without the issue date the card valid today is assumed.
        let unknown = expiry_candidates(birth, None, date(2026, 9, 1));
        assert_eq!(unknown[0], date(2028, 5, 14));
    }

    #[test]
    fn the_renewal_rule() {
        let birth = date(2009, 7, 20);
        // Issued at 15: valid to 25.
        assert_eq!(rule_expiry(birth, date(2024, 8, 1)), date(2034, 7, 20));
        // Issued at 12 (within 2 years before 14): valid to 25.
        assert_eq!(rule_expiry(birth, date(2021, 8, 1)), date(2034, 7, 20));
        // Issued at 11: valid to 14.
        assert_eq!(rule_expiry(birth, date(2020, 7, 19)), date(2023, 7, 20));
        // Exactly 2 years before 25 counts as within.
        assert_eq!(rule_expiry(birth, date(2032, 7, 20)), date(2049, 7, 20));
        // Within 2 years before 60, or after 60: no expiry.
        assert_eq!(rule_expiry(birth, date(2068, 1, 1)), NO_EXPIRY);
        assert_eq!(rule_expiry(birth, date(2070, 1, 1)), NO_EXPIRY);
        // Within 2 years before 40: valid to 60.
        assert_eq!(rule_expiry(birth, date(2048, 1, 1)), date(2069, 7, 20));
    }

    #[test]
    fn leap_day_birthdays_also_try_the_first_of_march() {
        let birth = date(2008, 2, 29);
        let candidates = expiry_candidates(birth, Some(date(2022, 5, 1)), date(2026, 1, 1));
        assert_eq!(candidates[0], date(2033, 2, 28));
        assert!(candidates.contains(&date(2033, 3, 1)));
        assert!(candidates.contains(&date(2048, 2, 29)));
    }

    #[test]
    fn bac_inputs_refuse_inconsistent_data() {
        assert_eq!(
            bac_inputs("001203012345", date(2004, 5, 14), None, date(2026, 1, 1)),
            Err(IdError::BirthMismatch {
                id_year: 2003,
                birth_year: 2004
            })
        );
        assert_eq!(
            bac_inputs("001203012345", date(2003, 2, 30), None, date(2026, 1, 1)),
            Err(IdError::BadDate(date(2003, 2, 30)))
        );
    }

    #[test]
    fn parses_the_qr_text() {
        let text = "001203012345||Nguyễn Văn A|14052003|Nam|Số 1, Phố Huế, Hà Nội|02032021||";
        let qr = QrData::parse(text).unwrap();
        assert_eq!(qr.id12, "001203012345");
        assert_eq!(qr.old_id, None);
        assert_eq!(qr.full_name, "Nguyễn Văn A");
        assert_eq!(qr.birth, date(2003, 5, 14));
        assert_eq!(qr.sex, Sex::Male);
        assert_eq!(qr.address, "Số 1, Phố Huế, Hà Nội");
        assert_eq!(qr.issued, date(2021, 3, 2));
        let inputs = qr.bac_inputs(date(2026, 1, 1)).unwrap();
        assert_eq!(inputs[0].mrz_information(), "203012345003051412805140");

        let female =
            "079310000001|123456789|Trần Thị Bình|01012010|Nu\u{31B}\u{303}|TP HCM|05052024";
        let qr = QrData::parse(female).unwrap();
        assert_eq!(qr.sex, Sex::Female);
        assert_eq!(qr.old_id.as_deref(), Some("123456789"));
    }

    #[test]
    fn refuses_bad_qr_text() {
        assert_eq!(
            QrData::parse("001203012345|x"),
            Err(QrError::TooFewFields(2))
        );
        let bad_date = "001203012345||A|31022003|Nam|X|02032021";
        assert!(matches!(
            QrData::parse(bad_date),
            Err(QrError::Date {
                field: "birth date",
                ..
            })
        ));
        let bad_sex = "001203012345||A|14052003|?|X|02032021";
        assert_eq!(QrData::parse(bad_sex), Err(QrError::Sex("?".into())));
        let bad_id = "00120301234||A|14052003|Nam|X|02032021";
        assert_eq!(
            QrData::parse(bad_id),
            Err(QrError::PersonalId(IdError::Length(11)))
        );
        let bad_old = "001203012345|12|A|14052003|Nam|X|02032021";
        assert_eq!(QrData::parse(bad_old), Err(QrError::OldId));
    }

    #[test]
    fn removes_vietnamese_marks() {
        assert_eq!(without_diacritics("Nguyễn Văn An"), "Nguyen Van An");
        assert_eq!(without_diacritics("Đặng Thị Hường"), "Dang Thi Huong");
        assert_eq!(without_diacritics("Nu\u{31B}\u{303}"), "Nu");
        assert_eq!(Sex::parse_text("NỮ"), Some(Sex::Female));
        assert_eq!(Sex::parse_text(" nam "), Some(Sex::Male));
    }
}
