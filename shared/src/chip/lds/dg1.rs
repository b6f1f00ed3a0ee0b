//! DG1: the machine-readable zone (ICAO 9303 Parts 4, 5 and 10).
//!
//! `61 L { 5F1F L <MRZ text> }`: the MRZ lines concatenated without line
//! breaks: 90 characters for TD1 (3 × 30, the CCCD) or 88 for TD3 (2 × 44,
//! passports). Every check digit is verified and a failure names the field,
//! because a wrong check digit on a chip means a broken or forged card.
//!
//! On the CCCD, line 1's optional data holds the full 12-digit personal ID,
//! then `<<` and one digit (its meaning is UNCONFIRMED; it equals the check
//! digit of the 12-digit ID in the synthetic vector).
//!
//! Two-digit years: the expiry is taken in 20YY; the birth year comes from
//! the CCCD personal ID when the optional data holds one, otherwise it is
//! 20YY when that is before the expiry year and 19YY else (so holders aged
//! 100 or more on a passport are read a century late).

use thiserror::Error;

use super::DG1;
use crate::chip::id_card::{self, Sex};
use crate::chip::mrz::{BacInput, MrzDate, MrzError, check_digit};
use crate::chip::tlv::{self, TlvError};

/// The MRZ tag inside DG1.
const MRZ_TAG: u32 = 0x5F1F;

/// The document layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MrzFormat {
    /// ID-1 cards (the CCCD): 3 lines of 30.
    Td1,
    /// Passports: 2 lines of 44.
    Td3,
}

impl MrzFormat {
    pub fn line_len(self) -> usize {
        match self {
            MrzFormat::Td1 => 30,
            MrzFormat::Td3 => 44,
        }
    }

    pub fn line_count(self) -> usize {
        match self {
            MrzFormat::Td1 => 3,
            MrzFormat::Td3 => 2,
        }
    }
}

/// A field protected by a check digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MrzField {
    DocumentNumber,
    Birth,
    Expiry,
    /// TD3's personal number (optional data of line 2).
    PersonalNumber,
    /// The composite check digit over the upper fields.
    Composite,
}

/// Why DG1 cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Dg1Error {
    #[error("DG1 is not well-formed TLV: {0}")]
    Tlv(#[from] TlvError),
    #[error("DG1 has no MRZ element (5F1F)")]
    NoMrz,
    #[error("MRZ of {0} characters is neither TD1 (90) nor TD3 (88)")]
    Length(usize),
    #[error("MRZ character at {at} is not 0-9, A-Z or <")]
    NotMrzText { at: usize },
    #[error("check digit of {field:?} is {found:?}, expected {expected}")]
    CheckDigit {
        field: MrzField,
        expected: u8,
        found: char,
    },
    #[error("{field:?} {text:?} is not a date YYMMDD")]
    BadDate { field: MrzField, text: String },
    #[error("sex {0:?} is not M, F, X or <")]
    BadSex(char),
    #[error("the extended document number in the optional data is malformed")]
    BadLongDocumentNumber,
}

/// Why MRZ lines cannot be written from the fields.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MrzBuildError {
    #[error("MRZ field {field} does not fit ({len} characters, {max} at most)")]
    TooLong {
        field: &'static str,
        len: usize,
        max: usize,
    },
    #[error("MRZ field {field} has a character other than 0-9, A-Z or <")]
    BadCharacter { field: &'static str },
}

/// The MRZ, read into fields (fillers `<` at the end of a field removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mrz {
    pub format: MrzFormat,
    /// `"ID"` on the CCCD, `"P"` on passports (trailing `<` removed).
    pub document_code: String,
    /// Issuing state, e.g. `"VNM"`.
    pub issuer: String,
    /// Without fillers; on the CCCD the last 9 digits of the personal ID.
    pub document_number: String,
    /// TD1: line 1 after the document number (CCCD: `001203012345<<1`);
    /// TD3: the personal number.
    pub optional_data: String,
    pub birth: MrzDate,
    /// `None` for `<` or `X` (unspecified).
    pub sex: Option<Sex>,
    pub expiry: MrzDate,
    pub nationality: String,
    /// TD1 only: the optional data of line 2 (empty for TD3).
    pub optional_data_2: String,
    /// Surname(s), fillers turned into spaces.
    pub primary_identifier: String,
    /// Given names, fillers turned into spaces.
    pub secondary_identifier: String,
}

impl Mrz {
    /// Parses DG1 as read (tag 61 and all).
    pub fn parse(dg1: &[u8]) -> Result<Mrz, Dg1Error> {
        let group = tlv::read_only(dg1, u32::from(DG1.tag))?;
        let text = group.children().find(MRZ_TAG)?.ok_or(Dg1Error::NoMrz)?;
        if let Some(at) = text.value.iter().position(|&b| !is_mrz_byte(b)) {
            return Err(Dg1Error::NotMrzText { at });
        }
        // All bytes are ASCII, so this cannot fail.
        let text = std::str::from_utf8(text.value).map_err(|_| Dg1Error::NotMrzText { at: 0 })?;
        Mrz::parse_text(text)
    }

    /// Parses the MRZ text: the lines concatenated, 90 (TD1) or 88 (TD3)
    /// characters of `0-9`, `A-Z` and `<`.
    pub fn parse_text(text: &str) -> Result<Mrz, Dg1Error> {
        if let Some(at) = text.bytes().position(|b| !is_mrz_byte(b)) {
            return Err(Dg1Error::NotMrzText { at });
        }
        match text.len() {
            90 => parse_td1(text),
            88 => parse_td3(text),
            other => Err(Dg1Error::Length(other)),
        }
    }

    /// The 12-digit personal ID in a CCCD's optional data.
    pub fn cccd_personal_id(&self) -> Option<&str> {
        cccd_personal_id(&self.issuer, &self.document_number, &self.optional_data)
    }

    /// The BAC input this MRZ gives (what a reader derives the key from).
    pub fn bac_input(&self) -> Result<BacInput, MrzError> {
        BacInput::new(&self.document_number, self.birth, self.expiry)
    }

    /// The name as one text: primary then secondary identifier.
    pub fn full_name(&self) -> String {
        [
            self.primary_identifier.as_str(),
            self.secondary_identifier.as_str(),
        ]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
    }

    /// The three TD1 lines, check digits computed. A document number longer
    /// than 9 continues in the optional data (ICAO 9303 Part 5 note j).
    /// A name too long for its line is cut.
    pub fn td1_lines(&self) -> Result<[String; 3], MrzBuildError> {
        let mut line1 = field(&self.document_code, "document code", 2)?;
        line1 += &field(&self.issuer, "issuer", 3)?;
        let number = mrz_chars(&self.document_number, "document number")?;
        let optional = mrz_chars(&self.optional_data, "optional data")?;
        let upper = if number.len() <= 9 {
            format!("{number:<<9}{}{optional}", cd(&format!("{number:<<9}")))
        } else {
            format!(
                "{}<{}{}<{optional}",
                &number[..9],
                &number[9..],
                cd(&number)
            )
        };
        if upper.len() > 25 {
            return Err(MrzBuildError::TooLong {
                field: "document number and optional data",
                len: upper.len(),
                max: 25,
            });
        }
        line1 += &format!("{upper:<<25}");
        let mut line2 = self.birth.yymmdd();
        line2.push(cd(&self.birth.yymmdd()));
        line2.push(sex_letter(self.sex));
        line2 += &self.expiry.yymmdd();
        line2.push(cd(&self.expiry.yymmdd()));
        line2 += &field(&self.nationality, "nationality", 3)?;
        line2 += &field(&self.optional_data_2, "optional data 2", 11)?;
        line2.push(cd(&td1_composite(&line1, &line2)));
        let line3 = self.name_field(30)?;
        Ok([line1, line2, line3])
    }

    /// The two TD3 lines, check digits computed.
    pub fn td3_lines(&self) -> Result<[String; 2], MrzBuildError> {
        let mut line1 = field(&self.document_code, "document code", 2)?;
        line1 += &field(&self.issuer, "issuer", 3)?;
        line1 += &self.name_field(39)?;
        let mut line2 = field(&self.document_number, "document number", 9)?;
        line2.push(cd(&line2));
        line2 += &field(&self.nationality, "nationality", 3)?;
        line2 += &self.birth.yymmdd();
        line2.push(cd(&self.birth.yymmdd()));
        line2.push(sex_letter(self.sex));
        line2 += &self.expiry.yymmdd();
        line2.push(cd(&self.expiry.yymmdd()));
        let personal = field(&self.optional_data, "personal number", 14)?;
        // An all-filler personal number may carry `<` or `0` as its check
        // digit; the computed digit is 0, which readers accept.
        line2 += &personal;
        line2.push(cd(&personal));
        line2.push(cd(&td3_composite(&line2)));
        Ok([line1, line2])
    }

    /// `PRIMARY<<SECONDARY<NAMES`, padded or cut to `width`.
    fn name_field(&self, width: usize) -> Result<String, MrzBuildError> {
        let primary = mrz_chars(
            &self.primary_identifier.replace(' ', "<"),
            "primary identifier",
        )?;
        let secondary = mrz_chars(
            &self.secondary_identifier.replace(' ', "<"),
            "secondary identifier",
        )?;
        let mut name = primary;
        if !secondary.is_empty() {
            name = format!("{name}<<{secondary}");
        }
        name.truncate(width);
        Ok(format!("{name:<<width$}"))
    }
}

/// The 12-digit ID at the start of the optional data, when the issuer is
/// Vietnam and its last 9 digits are the document number.
fn cccd_personal_id<'a>(
    issuer: &str,
    document_number: &str,
    optional_data: &'a str,
) -> Option<&'a str> {
    let id = optional_data.get(..12)?;
    let consistent = issuer == "VNM"
        && id_card::validate(id).is_ok()
        && id_card::document_number(id) == document_number;
    consistent.then_some(id)
}

fn is_mrz_byte(b: u8) -> bool {
    b.is_ascii_digit() || b.is_ascii_uppercase() || b == b'<'
}

fn mrz_chars(text: &str, name: &'static str) -> Result<String, MrzBuildError> {
    if text.bytes().all(is_mrz_byte) {
        Ok(text.to_string())
    } else {
        Err(MrzBuildError::BadCharacter { field: name })
    }
}

/// A field padded with fillers to exactly `width`.
fn field(text: &str, name: &'static str, width: usize) -> Result<String, MrzBuildError> {
    let text = mrz_chars(text, name)?;
    if text.len() > width {
        return Err(MrzBuildError::TooLong {
            field: name,
            len: text.len(),
            max: width,
        });
    }
    Ok(format!("{text:<<width$}"))
}

/// The check digit of validated MRZ text, as a character.
fn cd(text: &str) -> char {
    char::from(b'0' + check_digit(text).unwrap_or(0))
}

fn sex_letter(sex: Option<Sex>) -> char {
    sex.map_or('<', Sex::mrz_letter)
}

/// A field with its trailing fillers removed.
fn trimmed(text: &str) -> String {
    text.trim_end_matches('<').to_string()
}

fn verify(field: MrzField, text: &str, digit: char) -> Result<(), Dg1Error> {
    let expected = check_digit(text).unwrap_or(0);
    if digit != char::from(b'0' + expected) {
        return Err(Dg1Error::CheckDigit {
            field,
            expected,
            found: digit,
        });
    }
    Ok(())
}

fn char_at(text: &str, at: usize) -> char {
    char::from(text.as_bytes()[at])
}

/// `YYMMDD` → month and day checked, year two digits.
fn parse_yymmdd(field: MrzField, text: &str) -> Result<(u16, u8, u8), Dg1Error> {
    let bad = || Dg1Error::BadDate {
        field,
        text: text.to_string(),
    };
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let number = |r: std::ops::Range<usize>| text[r].parse::<u8>().map_err(|_| bad());
    Ok((u16::from(number(0..2)?), number(2..4)?, number(4..6)?))
}

fn full_date(
    field: MrzField,
    text: &str,
    year: u16,
    month: u8,
    day: u8,
) -> Result<MrzDate, Dg1Error> {
    let date = MrzDate::new(year, month, day);
    if id_card::is_calendar_date(date) {
        Ok(date)
    } else {
        Err(Dg1Error::BadDate {
            field,
            text: text.to_string(),
        })
    }
}

/// Birth and expiry with centuries resolved as the module doc says.
fn dates(
    birth_text: &str,
    expiry_text: &str,
    personal_id: Option<&str>,
) -> Result<(MrzDate, MrzDate), Dg1Error> {
    let (ey, em, ed) = parse_yymmdd(MrzField::Expiry, expiry_text)?;
    let expiry = full_date(MrzField::Expiry, expiry_text, 2000 + ey, em, ed)?;
    let (by, bm, bd) = parse_yymmdd(MrzField::Birth, birth_text)?;
    let from_id = personal_id
        .and_then(|id| id_card::validate(id).ok())
        .map(|info| info.birth_year)
        .filter(|year| year % 100 == by);
    let year = from_id.unwrap_or(if 2000 + by < expiry.year {
        2000 + by
    } else {
        1900 + by
    });
    let birth = full_date(MrzField::Birth, birth_text, year, bm, bd)?;
    Ok((birth, expiry))
}

fn parse_sex(letter: char) -> Result<Option<Sex>, Dg1Error> {
    match letter {
        'M' => Ok(Some(Sex::Male)),
        'F' => Ok(Some(Sex::Female)),
        '<' | 'X' => Ok(None),
        other => Err(Dg1Error::BadSex(other)),
    }
}

/// Splits a name zone at the first `<<` into primary and secondary
/// identifiers, fillers turned into spaces.
fn names(zone: &str) -> (String, String) {
    let zone = zone.trim_end_matches('<');
    let (primary, secondary) = zone.split_once("<<").unwrap_or((zone, ""));
    (primary.replace('<', " "), secondary.replace('<', " "))
}

fn parse_td1(text: &str) -> Result<Mrz, Dg1Error> {
    let (line1, rest) = text.split_at(30);
    let (line2, line3) = rest.split_at(30);
    let number_cd = char_at(line1, 14);
    let (document_number, optional_data) = if number_cd == '<' && !line1[15..].starts_with('<') {
        // A number longer than 9: its tail and check digit come first in
        // the optional data, then a filler.
        let overflow = &line1[15..30];
        let end = overflow.find('<').ok_or(Dg1Error::BadLongDocumentNumber)?;
        if end == 0 {
            return Err(Dg1Error::BadLongDocumentNumber);
        }
        let number = format!("{}{}", &line1[5..14], &overflow[..end - 1]);
        verify(
            MrzField::DocumentNumber,
            &number,
            char_at(overflow, end - 1),
        )?;
        (number, trimmed(&overflow[end + 1..]))
    } else {
        verify(MrzField::DocumentNumber, &line1[5..14], number_cd)?;
        (trimmed(&line1[5..14]), trimmed(&line1[15..30]))
    };
    verify(MrzField::Birth, &line2[0..6], char_at(line2, 6))?;
    verify(MrzField::Expiry, &line2[8..14], char_at(line2, 14))?;
    verify(
        MrzField::Composite,
        &td1_composite(line1, line2),
        char_at(line2, 29),
    )?;
    let issuer = trimmed(&line1[2..5]);
    let personal_id = cccd_personal_id(&issuer, &document_number, &optional_data);
    let (birth, expiry) = dates(&line2[0..6], &line2[8..14], personal_id)?;
    let (primary_identifier, secondary_identifier) = names(line3);
    Ok(Mrz {
        format: MrzFormat::Td1,
        document_code: trimmed(&line1[0..2]),
        issuer,
        document_number,
        optional_data,
        birth,
        sex: parse_sex(char_at(line2, 7))?,
        expiry,
        nationality: trimmed(&line2[15..18]),
        optional_data_2: trimmed(&line2[18..29]),
        primary_identifier,
        secondary_identifier,
    })
}

fn parse_td3(text: &str) -> Result<Mrz, Dg1Error> {
    let (line1, line2) = text.split_at(44);
    verify(MrzField::DocumentNumber, &line2[0..9], char_at(line2, 9))?;
    verify(MrzField::Birth, &line2[13..19], char_at(line2, 19))?;
    verify(MrzField::Expiry, &line2[21..27], char_at(line2, 27))?;
    let personal = &line2[28..42];
    let personal_cd = char_at(line2, 42);
    // An empty personal number may carry a filler instead of a digit.
    if !(personal_cd == '<' && personal.bytes().all(|b| b == b'<')) {
        verify(MrzField::PersonalNumber, personal, personal_cd)?;
    }
    verify(
        MrzField::Composite,
        &td3_composite(line2),
        char_at(line2, 43),
    )?;
    let (birth, expiry) = dates(&line2[13..19], &line2[21..27], None)?;
    let (primary_identifier, secondary_identifier) = names(&line1[5..44]);
    Ok(Mrz {
        format: MrzFormat::Td3,
        document_code: trimmed(&line1[0..2]),
        issuer: trimmed(&line1[2..5]),
        document_number: trimmed(&line2[0..9]),
        optional_data: trimmed(personal),
        birth,
        sex: parse_sex(char_at(line2, 20))?,
        expiry,
        nationality: trimmed(&line2[10..13]),
        optional_data_2: String::new(),
        primary_identifier,
        secondary_identifier,
    })
}

/// What the TD1 composite check digit covers (ICAO 9303-5 §4.2.4): line 1
/// after the document code and issuer, birth date and its digit, expiry and
/// its digit, line 2's optional data. Shared by building and checking.
fn td1_composite(line1: &str, line2: &str) -> String {
    format!(
        "{}{}{}{}",
        &line1[5..30],
        &line2[0..7],
        &line2[8..15],
        &line2[18..29]
    )
}

/// What the TD3 composite check digit covers (ICAO 9303-4 §4.2.2.2):
/// document number, birth date, expiry and personal number, each with its
/// digit.
fn td3_composite(line2: &str) -> String {
    format!("{}{}{}", &line2[0..10], &line2[13..20], &line2[21..43])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chip::lds::build::{dg1_td1, dg1_td3};
    use proptest::prelude::*;

    const CCCD: [&str; 3] = [
        "IDVNM2030123450001203012345<<1",
        "0305141M2805140VNM<<<<<<<<<<<6",
        "NGUYEN<<VAN<A<<<<<<<<<<<<<<<<<",
    ];

    fn lines<const N: usize>(lines: [&str; N]) -> [String; N] {
        lines.map(str::to_string)
    }

    #[test]
    fn reads_the_synthetic_cccd() {
        let dg1 = dg1_td1(&lines(CCCD));
        assert_eq!(&dg1[..5], &[0x61, 0x5D, 0x5F, 0x1F, 0x5A]);
        let mrz = Mrz::parse(&dg1).unwrap();
        assert_eq!(mrz.format, MrzFormat::Td1);
        assert_eq!(mrz.document_code, "ID");
        assert_eq!(mrz.issuer, "VNM");
        assert_eq!(mrz.document_number, "203012345");
        assert_eq!(mrz.optional_data, "001203012345<<1");
        assert_eq!(mrz.cccd_personal_id(), Some("001203012345"));
        assert_eq!(mrz.birth, MrzDate::new(2003, 5, 14));
        assert_eq!(mrz.sex, Some(Sex::Male));
        assert_eq!(mrz.expiry, MrzDate::new(2028, 5, 14));
        assert_eq!(mrz.nationality, "VNM");
        assert_eq!(mrz.optional_data_2, "");
        assert_eq!(mrz.primary_identifier, "NGUYEN");
        assert_eq!(mrz.secondary_identifier, "VAN A");
        assert_eq!(mrz.full_name(), "NGUYEN VAN A");
        assert_eq!(
            mrz.bac_input().unwrap().mrz_information(),
            "203012345003051412805140"
        );
        assert_eq!(mrz.td1_lines().unwrap(), lines(CCCD));
    }

    #[test]
    fn reads_icao_specimens() {
        // ICAO 9303 Part 5 (TD1) and Part 4 (TD3) specimens.
        let td1 = [
            "I<UTOD231458907<<<<<<<<<<<<<<<",
            "7408122F1204159UTO<<<<<<<<<<<6",
            "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
        ];
        let mrz = Mrz::parse_text(&td1.concat()).unwrap();
        assert_eq!(mrz.document_code, "I");
        assert_eq!(mrz.document_number, "D23145890");
        assert_eq!(mrz.birth, MrzDate::new(1974, 8, 12));
        assert_eq!(mrz.expiry, MrzDate::new(2012, 4, 15));
        assert_eq!(mrz.sex, Some(Sex::Female));
        assert_eq!(mrz.secondary_identifier, "ANNA MARIA");
        assert_eq!(mrz.td1_lines().unwrap(), lines(td1));

        let td3 = [
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
        ];
        let dg1 = dg1_td3(&lines(td3));
        let mrz = Mrz::parse(&dg1).unwrap();
        assert_eq!(mrz.format, MrzFormat::Td3);
        assert_eq!(mrz.document_code, "P");
        assert_eq!(mrz.document_number, "L898902C3");
        assert_eq!(mrz.optional_data, "ZE184226B");
        assert_eq!(mrz.nationality, "UTO");
        assert_eq!(mrz.primary_identifier, "ERIKSSON");
        assert_eq!(mrz.td3_lines().unwrap(), lines(td3));
    }

    #[test]
    fn names_the_failed_check_digit() {
        let with = |line: usize, at: usize, c: char| {
            let mut l = lines(CCCD);
            l[line].replace_range(at..at + 1, &c.to_string());
            Mrz::parse(&dg1_td1(&l))
        };
        let failed = |r: Result<Mrz, Dg1Error>| match r {
            Err(Dg1Error::CheckDigit { field, .. }) => Some(field),
            _ => None,
        };
        assert_eq!(failed(with(0, 14, '1')), Some(MrzField::DocumentNumber));
        assert_eq!(failed(with(1, 6, '2')), Some(MrzField::Birth));
        assert_eq!(failed(with(1, 14, '9')), Some(MrzField::Expiry));
        assert_eq!(failed(with(1, 29, '7')), Some(MrzField::Composite));
        // Optional data is covered by the composite digit.
        assert_eq!(failed(with(0, 29, '2')), Some(MrzField::Composite));
        assert_eq!(
            with(1, 6, '2'),
            Err(Dg1Error::CheckDigit {
                field: MrzField::Birth,
                expected: 1,
                found: '2'
            })
        );
        assert!(matches!(with(1, 7, 'Q'), Err(Dg1Error::BadSex('Q'))));
        assert!(matches!(with(2, 3, 'é'), Err(Dg1Error::NotMrzText { .. })));
    }

    #[test]
    fn refuses_other_shapes() {
        assert!(matches!(Mrz::parse(&[0x61, 0x00]), Err(Dg1Error::NoMrz)));
        assert!(matches!(Mrz::parse(&[0x62, 0x00]), Err(Dg1Error::Tlv(_))));
        let short = tlv::encode(0x61, &tlv::encode(0x5F1F, b"ABC"));
        assert_eq!(Mrz::parse(&short), Err(Dg1Error::Length(3)));
        let bad_month = [
            "IDVNM2030123450001203012345<<1",
            "0313140M2805140VNM<<<<<<<<<<<<",
            "NGUYEN<<VAN<A<<<<<<<<<<<<<<<<<",
        ];
        // Fix the check digits so that only the date is wrong.
        let mut l = lines(bad_month);
        l[1].replace_range(6..7, &cd(&l[1][0..6]).to_string());
        let composite = td1_composite(&l[0], &l[1]);
        l[1].replace_range(29..30, &cd(&composite).to_string());
        assert!(matches!(
            Mrz::parse(&dg1_td1(&l)),
            Err(Dg1Error::BadDate {
                field: MrzField::Birth,
                ..
            })
        ));
    }

    #[test]
    fn long_document_numbers_continue_in_the_optional_data() {
        let mrz = Mrz {
            format: MrzFormat::Td1,
            document_code: "I".into(),
            issuer: "UTO".into(),
            document_number: "D23145890123".into(),
            optional_data: "XY".into(),
            birth: MrzDate::new(1974, 8, 12),
            sex: None,
            expiry: MrzDate::new(2032, 4, 15),
            nationality: "UTO".into(),
            optional_data_2: "".into(),
            primary_identifier: "ERIKSSON".into(),
            secondary_identifier: "ANNA".into(),
        };
        let lines = mrz.td1_lines().unwrap();
        assert_eq!(&lines[0][5..], "D23145890<1233<XY<<<<<<<<");
        assert_eq!(Mrz::parse(&dg1_td1(&lines)).unwrap(), mrz);
    }

    fn word() -> impl Strategy<Value = String> {
        "[A-Z]{1,6}"
    }

    fn date_between(from: u16, to: u16) -> impl Strategy<Value = MrzDate> {
        (from..=to, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| MrzDate::new(y, m, d))
    }

    prop_compose! {
        fn any_mrz()(
            td3 in any::<bool>(),
            document_code in "[A-Z][A-Z<]?",
            issuer in "[A-Z]{3}",
            document_number in "[A-Z0-9]{1,9}",
            optional_data in "([A-Z0-9][A-Z0-9<]{0,9}[A-Z0-9])?",
            expiry in date_between(2000, 2099),
            age_at_expiry in 1u16..=99,
            sex in prop_oneof![Just(None), Just(Some(Sex::Male)), Just(Some(Sex::Female))],
            nationality in "[A-Z]{3}",
            optional_data_2 in "([A-Z0-9]{1,8})?",
            primary in proptest::collection::vec(word(), 1..=2),
            secondary in proptest::collection::vec(word(), 0..=2),
        ) -> Mrz {
            let format = if td3 { MrzFormat::Td3 } else { MrzFormat::Td1 };
            Mrz {
                format,
                document_code: document_code.trim_end_matches('<').to_string(),
                issuer,
                document_number,
                optional_data,
                birth: id_card::sub_years(expiry, age_at_expiry),
                sex,
                expiry,
                nationality,
                optional_data_2: if td3 { String::new() } else { optional_data_2 },
                primary_identifier: primary.join(" "),
                secondary_identifier: secondary.join(" "),
            }
        }
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..120)) {
            let _ = Mrz::parse(&bytes);
            let _ = Mrz::parse(&tlv::encode(0x61, &tlv::encode(0x5F1F, &bytes)));
        }

        #[test]
        fn arbitrary_mrz_text_never_panics(text in "[A-Z0-9<]{90}|[A-Z0-9<]{88}") {
            let _ = Mrz::parse_text(&text);
        }

        #[test]
        fn round_trip(mrz in any_mrz()) {
            let dg1 = match mrz.format {
                MrzFormat::Td1 => dg1_td1(&mrz.td1_lines().unwrap()),
                MrzFormat::Td3 => dg1_td3(&mrz.td3_lines().unwrap()),
            };
            prop_assert_eq!(Mrz::parse(&dg1).unwrap(), mrz);
        }
    }
}
