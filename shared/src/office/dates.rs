//! Calendar dates as rosters write them: Excel serials and day-first text.
//!
//! Vietnamese documents write dates day first (dd/mm/yyyy), so text is
//! never read month first. Excel date cells are day counts with Lotus
//! 1-2-3's bug kept for compatibility: it counts a 29 February 1900 that
//! never was, so every serial after it is one too high.
//! Dates are stored ISO (`YYYY-MM-DD`, also their JSON form) and shown
//! dd/mm/yyyy.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::chip::id_card::days_in_month;
use crate::chip::mrz::MrzDate;

/// A calendar date that exists (31/02 cannot be built).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    // Field order gives the derived order: chronological.
    y: u16,
    m: u8,
    d: u8,
}

/// Why a text or serial is not a date.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DateError {
    #[error("the date is empty")]
    Empty,
    #[error("{text:?} is not a date written dd/mm/yyyy")]
    Unreadable { text: String },
    #[error("{text:?} has a two-digit year; write the year in full (dd/mm/yyyy)")]
    TwoDigitYear { text: String },
    #[error("year {year} is outside 1–9999")]
    NoSuchYear { year: u32 },
    #[error("there is no month {month}")]
    NoSuchMonth { month: u32 },
    #[error("{day:02}/{month:02}/{year} does not exist: that month has {days} days")]
    NoSuchDay {
        day: u32,
        month: u8,
        year: u16,
        days: u8,
    },
    #[error("29/02/{year} does not exist: {year} is not a leap year")]
    NotLeapYear { year: u16 },
    #[error("{serial} is not an Excel date serial (1 to 2958465)")]
    SerialOutOfRange { serial: f64 },
    #[error("Excel serial 60 is 29/02/1900, a day Excel invents")]
    FakeLeapDay,
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// civil-date algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Excel's largest date serial: 9999-12-31.
const MAX_SERIAL: f64 = 2_958_465.0;

impl Date {
    /// The date, if it exists.
    pub fn new(year: u32, month: u32, day: u32) -> Result<Date, DateError> {
        if !(1..=9999).contains(&year) {
            return Err(DateError::NoSuchYear { year });
        }
        if !(1..=12).contains(&month) {
            return Err(DateError::NoSuchMonth { month });
        }
        let (y, m) = (year as u16, month as u8);
        let days = days_in_month(y, m);
        if day == 29 && m == 2 && days == 28 {
            return Err(DateError::NotLeapYear { year: y });
        }
        if day == 0 || day > u32::from(days) {
            return Err(DateError::NoSuchDay {
                day,
                month: m,
                year: y,
                days,
            });
        }
        Ok(Date { y, m, d: day as u8 })
    }

    pub fn year(self) -> u16 {
        self.y
    }

    pub fn month(self) -> u8 {
        self.m
    }

    pub fn day(self) -> u8 {
        self.d
    }

    /// `YYYY-MM-DD`, how dates are stored.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }

    /// `dd/mm/yyyy`, how Vietnamese documents show dates.
    pub fn dmy(self) -> String {
        format!("{:02}/{:02}/{:04}", self.d, self.m, self.y)
    }

    /// The same day as the chip-card code counts it.
    pub fn mrz(self) -> MrzDate {
        MrzDate::new(self.y, self.m, self.d)
    }

    /// The date of an Excel serial (days since 1899-12-30, with Excel's fake
    /// 29 February 1900 as serial 60). A fraction is a time of day and is
    /// dropped.
    pub fn from_excel_serial(serial: f64) -> Result<Date, DateError> {
        if !serial.is_finite() || !(1.0..MAX_SERIAL + 1.0).contains(&serial) {
            return Err(DateError::SerialOutOfRange { serial });
        }
        let whole = serial.floor() as i64;
        let base = days_from_civil(1899, 12, 30);
        let days = match whole {
            60 => return Err(DateError::FakeLeapDay),
            // Before the fake day Excel's count is right from 1899-12-31.
            ..60 => base + whole + 1,
            _ => base + whole,
        };
        let (y, m, d) = civil_from_days(days);
        Ok(Date {
            y: y as u16,
            m: m as u8,
            d: d as u8,
        })
    }

    /// The Excel serial of this date (dates before 1 March 1900 included,
    /// counted as Excel does).
    pub fn excel_serial(self) -> i64 {
        let days = days_from_civil(self.y.into(), self.m.into(), self.d.into())
            - days_from_civil(1899, 12, 30);
        if days <= 60 { days - 1 } else { days }
    }

    /// Reads a typed date: day first `d/m/yyyy` with `/`, `.` or `-` (one
    /// or two digits for day and month), or ISO `yyyy-mm-dd`. A time of day
    /// after a space ("05/09/2008 00:00:00") is ignored.
    pub fn parse_text(text: &str) -> Result<Date, DateError> {
        let clean = super::names::nfc(text);
        // An apostrophe is how Excel users force a cell to be text.
        let clean = clean.strip_prefix('\'').unwrap_or(&clean);
        if clean.is_empty() {
            return Err(DateError::Empty);
        }
        let unreadable = || DateError::Unreadable {
            text: clean.to_owned(),
        };
        let date_part = match clean.split_once(' ') {
            Some((date, time))
                if time
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, ':' | ' ' | 'A' | 'P' | 'M')) =>
            {
                date
            }
            Some(_) => return Err(unreadable()),
            None => clean,
        };
        let separator = date_part
            .chars()
            .find(|c| !c.is_ascii_digit())
            .filter(|c| matches!(c, '/' | '.' | '-'))
            .ok_or_else(unreadable)?;
        let parts: Vec<&str> = date_part.split(separator).collect();
        let digits = |p: &&str, lens: std::ops::RangeInclusive<usize>| {
            lens.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
        };
        let number = |p: &str| p.parse::<u32>().map_err(|_| unreadable());
        match parts.as_slice() {
            [y, m, d] if digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2) => {
                Date::new(number(y)?, number(m)?, number(d)?)
            }
            [d, m, y] if digits(d, 1..=2) && digits(m, 1..=2) && digits(y, 4..=4) => {
                Date::new(number(y)?, number(m)?, number(d)?)
            }
            [d, m, y] if digits(d, 1..=2) && digits(m, 1..=2) && digits(y, 2..=2) => {
                Err(DateError::TwoDigitYear {
                    text: clean.to_owned(),
                })
            }
            _ => Err(unreadable()),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl From<Date> for String {
    fn from(date: Date) -> String {
        date.iso()
    }
}

impl TryFrom<String> for Date {
    type Error = DateError;

    /// The stored form only: `YYYY-MM-DD`.
    fn try_from(iso: String) -> Result<Date, DateError> {
        let b = iso.as_bytes();
        let shaped = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shaped {
            return Err(DateError::Unreadable { text: iso });
        }
        let n = |r: std::ops::Range<usize>| iso[r].parse::<u32>().unwrap_or(0);
        Date::new(n(0..4), n(5..7), n(8..10))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days_round_trip() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    fn ymd(y: u32, m: u32, d: u32) -> Date {
        Date::new(y, m, d).unwrap()
    }

    #[test]
    fn excel_serials_with_the_1900_bug() {
        assert_eq!(Date::from_excel_serial(39448.0).unwrap(), ymd(2008, 1, 1));
        assert_eq!(Date::from_excel_serial(43831.0).unwrap(), ymd(2020, 1, 1));
        assert_eq!(Date::from_excel_serial(1.0).unwrap(), ymd(1900, 1, 1));
        assert_eq!(Date::from_excel_serial(59.0).unwrap(), ymd(1900, 2, 28));
        assert_eq!(Date::from_excel_serial(60.0), Err(DateError::FakeLeapDay));
        assert_eq!(Date::from_excel_serial(61.0).unwrap(), ymd(1900, 3, 1));
        // A time of day is dropped.
        assert_eq!(Date::from_excel_serial(39448.75).unwrap(), ymd(2008, 1, 1));
        assert_eq!(
            Date::from_excel_serial(2_958_465.0).unwrap(),
            ymd(9999, 12, 31)
        );
        for bad in [0.0, -3.0, 2_958_466.0, f64::NAN] {
            assert!(matches!(
                Date::from_excel_serial(bad),
                Err(DateError::SerialOutOfRange { .. })
            ));
        }
    }

    #[test]
    fn serials_round_trip() {
        for serial in [1, 59, 61, 366, 39448, 45_000, 2_958_465] {
            let date = Date::from_excel_serial(serial as f64).unwrap();
            assert_eq!(date.excel_serial(), serial, "{date}");
        }
    }

    #[test]
    fn text_is_day_first_with_any_separator() {
        let want = ymd(2008, 9, 5);
        for text in [
            "05/09/2008",
            "5/9/2008",
            "5-9-2008",
            "05.09.2008",
            " 05/09/2008 ",
            "2008-09-05",
            "'05/09/2008",
            "05/09/2008 00:00:00",
        ] {
            assert_eq!(Date::parse_text(text), Ok(want), "{text}");
        }
    }

    #[test]
    fn impossible_dates_are_refused_with_a_reason() {
        let e = Date::parse_text("31/02/2008").unwrap_err();
        assert!(matches!(
            e,
            DateError::NoSuchDay {
                day: 31,
                month: 2,
                ..
            }
        ));
        assert_eq!(
            e.to_string(),
            "31/02/2008 does not exist: that month has 29 days"
        );
        assert_eq!(
            Date::parse_text("29/02/2007"),
            Err(DateError::NotLeapYear { year: 2007 })
        );
        assert_eq!(
            Date::parse_text("29/02/1900"),
            Err(DateError::NotLeapYear { year: 1900 })
        );
        assert_eq!(Date::parse_text("29/02/2000"), Ok(ymd(2000, 2, 29)));
        assert_eq!(
            Date::parse_text("12/13/2008"),
            Err(DateError::NoSuchMonth { month: 13 })
        );
        assert!(matches!(
            Date::parse_text("05/09/08"),
            Err(DateError::TwoDigitYear { .. })
        ));
        for bad in ["5/9-2008", "5 tháng 9", "05/09/2008 sáng", "2008", "//"] {
            assert!(
                matches!(Date::parse_text(bad), Err(DateError::Unreadable { .. })),
                "{bad}"
            );
        }
        assert_eq!(Date::parse_text(" "), Err(DateError::Empty));
    }

    #[test]
    fn shown_dmy_stored_iso() {
        let date = ymd(2008, 1, 5);
        assert_eq!(date.dmy(), "05/01/2008");
        assert_eq!(date.iso(), "2008-01-05");
        assert_eq!(date.mrz(), MrzDate::new(2008, 1, 5));
        let json = serde_json::to_string(&date).unwrap();
        assert_eq!(json, "\"2008-01-05\"");
        assert_eq!(serde_json::from_str::<Date>(&json).unwrap(), date);
        assert!(serde_json::from_str::<Date>("\"2008-02-30\"").is_err());
        assert!(serde_json::from_str::<Date>("\"05/01/2008\"").is_err());
    }
}
