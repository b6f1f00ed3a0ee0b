//! DG13 of the Vietnamese CCCD: the personal data printed on the card.
//!
//! The layout is not published. What is known: after a short header
//! (content UNCONFIRMED) comes a run of entries `30 LL 02 01 n <values>`,
//! where `n` numbers the field and the values are PrintableString (13) or
//! UTF8String (0C) texts, or nested sequences (the parents). So the parser
//! never uses fixed offsets: it scans for the first entry, then reads the
//! entries that follow it one by one, keeping every entry, known or not,
//! in order ([`PersonalData::entries`]), and fills the typed fields from
//! the numbers it knows.
//!
//! Field numbers: 1 personal ID, 2 full name, 3 date of birth dd/mm/yyyy,
//! 4 sex (Nam/Nữ), 5 nationality, 6 ethnicity, 7 religion, 8 place of
//! origin, 9 place of residence, 10 identifying marks, 11 issue date,
//! 12 expiry (a date, or text such as "Không thời hạn"), 13 parents
//! (father then mother), 14 spouse (may be empty), 15 the old 9-digit ID;
//! 14–16 are UNCONFIRMED (one reader puts the old ID in 16, so 16 is used
//! when 15 holds no 9-digit number).

use thiserror::Error;

use super::DG13;
use crate::chip::id_card::{self, Sex};
use crate::chip::mrz::MrzDate;
use crate::chip::tlv::{self, Reader, Tlv, TlvError};

const SEQUENCE: u32 = 0x30;
const INTEGER: u32 = 0x02;
const PRINTABLE_STRING: u32 = 0x13;
const UTF8_STRING: u32 = 0x0C;

/// The known field numbers.
pub mod field {
    pub const PERSONAL_ID: u8 = 1;
    pub const FULL_NAME: u8 = 2;
    pub const BIRTH: u8 = 3;
    pub const SEX: u8 = 4;
    pub const NATIONALITY: u8 = 5;
    pub const ETHNICITY: u8 = 6;
    pub const RELIGION: u8 = 7;
    pub const PLACE_OF_ORIGIN: u8 = 8;
    pub const RESIDENCE: u8 = 9;
    pub const IDENTIFYING_MARKS: u8 = 10;
    pub const ISSUED: u8 = 11;
    pub const EXPIRY: u8 = 12;
    pub const PARENTS: u8 = 13;
    pub const SPOUSE: u8 = 14;
    pub const OLD_ID: u8 = 15;
    /// UNCONFIRMED; some readers find the old ID here.
    pub const UNKNOWN_16: u8 = 16;
}

/// One value of an entry, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dg13Value {
    /// PrintableString (13).
    Printable(String),
    /// UTF8String (0C).
    Utf8(String),
    /// A nested SEQUENCE (30), e.g. a parent.
    Sequence(Vec<Dg13Value>),
    /// Anything else (another tag, or a string that is not UTF-8), kept as
    /// bytes.
    Other { tag: u32, value: Vec<u8> },
}

impl Dg13Value {
    /// The text of a string value.
    pub fn text(&self) -> Option<&str> {
        match self {
            Dg13Value::Printable(text) | Dg13Value::Utf8(text) => Some(text),
            _ => None,
        }
    }

    /// Every text inside this value, depth first.
    fn texts<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Dg13Value::Printable(text) | Dg13Value::Utf8(text) => out.push(text),
            Dg13Value::Sequence(items) => items.iter().for_each(|item| item.texts(out)),
            Dg13Value::Other { .. } => {}
        }
    }

    fn decode(tlv: &Tlv<'_>, depth: usize) -> Dg13Value {
        let text = || String::from_utf8(tlv.value.to_vec());
        match tlv.tag {
            PRINTABLE_STRING => text().map_or_else(|_| Dg13Value::other(tlv), Dg13Value::Printable),
            UTF8_STRING => text().map_or_else(|_| Dg13Value::other(tlv), Dg13Value::Utf8),
            // Depth is bounded so a forged card cannot nest us into a stack
            // overflow; the limit is far beyond the parents' two levels.
            SEQUENCE if depth < MAX_DEPTH => {
                let items: Result<Vec<_>, _> = tlv
                    .children()
                    .map(|item| item.map(|item| Dg13Value::decode(&item, depth + 1)))
                    .collect();
                items.map_or_else(|_| Dg13Value::other(tlv), Dg13Value::Sequence)
            }
            _ => Dg13Value::other(tlv),
        }
    }

    fn other(tlv: &Tlv<'_>) -> Dg13Value {
        Dg13Value::Other {
            tag: tlv.tag,
            value: tlv.value.to_vec(),
        }
    }

    fn encode(&self) -> Vec<u8> {
        match self {
            Dg13Value::Printable(text) => tlv::encode(PRINTABLE_STRING, text.as_bytes()),
            Dg13Value::Utf8(text) => tlv::encode(UTF8_STRING, text.as_bytes()),
            Dg13Value::Sequence(items) => {
                let inner: Vec<u8> = items.iter().flat_map(Dg13Value::encode).collect();
                tlv::encode(SEQUENCE, &inner)
            }
            Dg13Value::Other { tag, value } => tlv::encode(*tag, value),
        }
    }
}

const MAX_DEPTH: usize = 8;

/// One `30 { 02 01 n ; values }` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dg13Entry {
    pub number: u8,
    pub values: Vec<Dg13Value>,
}

impl Dg13Entry {
    /// An entry of one UTF8String (how the emulator writes every text).
    pub fn text(number: u8, text: &str) -> Dg13Entry {
        Dg13Entry {
            number,
            values: vec![Dg13Value::Utf8(text.to_string())],
        }
    }

    /// An entry with no value (e.g. no spouse).
    pub fn empty(number: u8) -> Dg13Entry {
        Dg13Entry {
            number,
            values: Vec::new(),
        }
    }

    /// The parents' entry: a nested sequence per parent.
    pub fn parents(father: &str, mother: &str) -> Dg13Entry {
        let parent = |name: &str| Dg13Value::Sequence(vec![Dg13Value::Utf8(name.to_string())]);
        Dg13Entry {
            number: field::PARENTS,
            values: vec![parent(father), parent(mother)],
        }
    }

    /// The entry's texts, depth first.
    pub fn texts(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.values.iter().for_each(|v| v.texts(&mut out));
        out
    }

    /// The first text, trimmed; `None` when empty.
    fn first_text(&self) -> Option<String> {
        self.texts()
            .first()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
    }

    /// The entry as a `30` element.
    pub fn encode(&self) -> Vec<u8> {
        let mut inner = tlv::encode(INTEGER, &[self.number]);
        self.values.iter().for_each(|v| inner.extend(v.encode()));
        tlv::encode(SEQUENCE, &inner)
    }
}

/// The expiry field: a date, or a text such as "Không thời hạn" (no
/// expiry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dg13Expiry {
    Date(MrzDate),
    Text(String),
}

/// Why DG13 cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Dg13Error {
    #[error("DG13 is not well-formed TLV: {0}")]
    Tlv(#[from] TlvError),
    #[error("DG13 holds no `30 LL 02 01 n` entry")]
    NoEntries,
}

/// The personal data in DG13.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonalData {
    pub personal_id: Option<String>,
    pub full_name: Option<String>,
    pub birth: Option<MrzDate>,
    pub sex: Option<Sex>,
    pub nationality: Option<String>,
    pub ethnicity: Option<String>,
    pub religion: Option<String>,
    pub place_of_origin: Option<String>,
    pub residence: Option<String>,
    pub identifying_marks: Option<String>,
    pub issued: Option<MrzDate>,
    pub expiry: Option<Dg13Expiry>,
    pub father: Option<String>,
    pub mother: Option<String>,
    pub spouse: Option<String>,
    pub old_id: Option<String>,
    /// Every entry found, known or not, in card order.
    pub entries: Vec<Dg13Entry>,
}

impl PersonalData {
    /// Parses DG13 as read (tag 6D and all).
    pub fn parse(dg13: &[u8]) -> Result<PersonalData, Dg13Error> {
        let group = tlv::read_only(dg13, u32::from(DG13.tag))?;
        let entries = scan_entries(group.value);
        if entries.is_empty() {
            return Err(Dg13Error::NoEntries);
        }
        Ok(PersonalData::from_entries(entries))
    }

    /// The typed fields read from entries (the first entry of a number
    /// wins).
    pub fn from_entries(entries: Vec<Dg13Entry>) -> PersonalData {
        let find = |number: u8| entries.iter().find(|e| e.number == number);
        let text = |number: u8| find(number).and_then(Dg13Entry::first_text);
        let date = |number: u8| text(number).and_then(|t| parse_dd_mm_yyyy(&t));
        let parents = find(field::PARENTS)
            .map(Dg13Entry::texts)
            .unwrap_or_default();
        let parent = |i: usize| {
            parents
                .get(i)
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
        };
        let nine_digits = |t: &String| t.len() == 9 && t.bytes().all(|b| b.is_ascii_digit());
        PersonalData {
            personal_id: text(field::PERSONAL_ID),
            full_name: text(field::FULL_NAME),
            birth: date(field::BIRTH),
            sex: text(field::SEX).and_then(|t| Sex::parse_text(&t)),
            nationality: text(field::NATIONALITY),
            ethnicity: text(field::ETHNICITY),
            religion: text(field::RELIGION),
            place_of_origin: text(field::PLACE_OF_ORIGIN),
            residence: text(field::RESIDENCE),
            identifying_marks: text(field::IDENTIFYING_MARKS),
            issued: date(field::ISSUED),
            expiry: text(field::EXPIRY).map(|t| match parse_dd_mm_yyyy(&t) {
                Some(d) => Dg13Expiry::Date(d),
                None => Dg13Expiry::Text(t),
            }),
            father: parent(0),
            mother: parent(1),
            spouse: text(field::SPOUSE),
            old_id: text(field::OLD_ID)
                .filter(nine_digits)
                .or_else(|| text(field::UNKNOWN_16).filter(nine_digits)),
            entries,
        }
    }
}

/// The entries: the first `30 { 02 01 n ; string or nothing }` found by
/// scanning byte by byte, then every following element at its level.
fn scan_entries(body: &[u8]) -> Vec<Dg13Entry> {
    let Some(start) = (0..body.len()).find(|&at| starts_entry_run(&body[at..])) else {
        return Vec::new();
    };
    let mut entries = Vec::new();
    // Stop at the first element that is not well-formed: the run is over.
    for item in Reader::new(&body[start..]).map_while(Result::ok) {
        if let Some(entry) = entry_of(&item) {
            entries.push(entry);
        }
    }
    entries
}

/// Whether `bytes` starts with an entry whose value is a string or empty:
/// that tells the first entry from a container whose first element is an
/// integer followed by entries.
fn starts_entry_run(bytes: &[u8]) -> bool {
    if bytes.first() != Some(&0x30) {
        return false;
    }
    let Ok((tlv, _)) = tlv::read(bytes) else {
        return false;
    };
    let mut children = tlv.children();
    let number_ok = matches!(children.next(), Some(Ok(n)) if is_entry_number(&n));
    number_ok
        && match children.next() {
            None => true,
            Some(Ok(value)) => matches!(value.tag, PRINTABLE_STRING | UTF8_STRING),
            Some(Err(_)) => false,
        }
}

fn is_entry_number(tlv: &Tlv<'_>) -> bool {
    tlv.tag == INTEGER && tlv.value.len() == 1
}

fn entry_of(tlv: &Tlv<'_>) -> Option<Dg13Entry> {
    if tlv.tag != SEQUENCE {
        return None;
    }
    let children: Vec<Tlv<'_>> = tlv.children().collect::<Result<_, _>>().ok()?;
    let (number, values) = children.split_first()?;
    if !is_entry_number(number) {
        return None;
    }
    Some(Dg13Entry {
        number: number.value[0],
        values: values.iter().map(|v| Dg13Value::decode(v, 0)).collect(),
    })
}

/// `dd/mm/yyyy` (also with `-` or `.`) → a calendar date.
fn parse_dd_mm_yyyy(text: &str) -> Option<MrzDate> {
    let parts: Vec<&str> = text.trim().split(['/', '-', '.']).collect();
    let [day, month, year] = parts.as_slice() else {
        return None;
    };
    if year.len() != 4 {
        return None;
    }
    let date = MrzDate::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?);
    id_card::is_calendar_date(date).then_some(date)
}

/// DG13 (tag 6D and all) with the emulator's header: a version integer
/// and the entries wrapped in one sequence (an assumption; real cards'
/// header is UNCONFIRMED and the parser does not depend on it).
pub fn encode(entries: &[Dg13Entry]) -> Vec<u8> {
    let mut container = tlv::encode(INTEGER, &[1]);
    entries.iter().for_each(|e| container.extend(e.encode()));
    tlv::encode(u32::from(DG13.tag), &tlv::encode(SEQUENCE, &container))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chip::lds::build::dg13;
    use proptest::prelude::*;

    fn sample() -> Vec<Dg13Entry> {
        vec![
            Dg13Entry::text(1, "001203012345"),
            Dg13Entry::text(2, "Nguyễn Văn A"),
            Dg13Entry::text(3, "14/05/2003"),
            Dg13Entry::text(4, "Nam"),
            Dg13Entry::text(5, "Việt Nam"),
            Dg13Entry::text(6, "Kinh"),
            Dg13Entry::text(7, "Không"),
            Dg13Entry::text(8, "Hà Nội"),
            Dg13Entry::text(9, "Số 1, Phố Huế, Hai Bà Trưng, Hà Nội"),
            Dg13Entry::text(10, "Nốt ruồi C:2cm trên trước mép trái"),
            Dg13Entry::text(11, "02/03/2021"),
            Dg13Entry::text(12, "14/05/2028"),
            Dg13Entry::parents("Nguyễn Văn B", "Trần Thị C"),
            Dg13Entry::empty(14),
            Dg13Entry::text(15, ""),
            Dg13Entry {
                number: 16,
                values: vec![Dg13Value::Other {
                    tag: 0x04,
                    value: vec![1, 2],
                }],
            },
        ]
    }

    #[test]
    fn reads_every_known_field() {
        let data = PersonalData::parse(&dg13(&sample())).unwrap();
        assert_eq!(data.personal_id.as_deref(), Some("001203012345"));
        assert_eq!(data.full_name.as_deref(), Some("Nguyễn Văn A"));
        assert_eq!(data.birth, Some(MrzDate::new(2003, 5, 14)));
        assert_eq!(data.sex, Some(Sex::Male));
        assert_eq!(data.nationality.as_deref(), Some("Việt Nam"));
        assert_eq!(data.ethnicity.as_deref(), Some("Kinh"));
        assert_eq!(data.religion.as_deref(), Some("Không"));
        assert_eq!(data.place_of_origin.as_deref(), Some("Hà Nội"));
        assert!(data.residence.unwrap().starts_with("Số 1"));
        assert!(data.identifying_marks.is_some());
        assert_eq!(data.issued, Some(MrzDate::new(2021, 3, 2)));
        assert_eq!(
            data.expiry,
            Some(Dg13Expiry::Date(MrzDate::new(2028, 5, 14)))
        );
        assert_eq!(data.father.as_deref(), Some("Nguyễn Văn B"));
        assert_eq!(data.mother.as_deref(), Some("Trần Thị C"));
        assert_eq!(data.spouse, None);
        assert_eq!(data.old_id, None);
        assert_eq!(data.entries, sample());
    }

    #[test]
    fn does_not_depend_on_the_header() {
        // An unknown header that is not even TLV, entries not wrapped, a
        // PrintableString, an expiry in words and a flat parents entry.
        let mut body = vec![0xDE, 0xAD, 0x02, 0x01];
        body.extend(
            Dg13Entry {
                number: 1,
                values: vec![Dg13Value::Printable("079310000001".into())],
            }
            .encode(),
        );
        body.extend(Dg13Entry::text(4, "Nữ").encode());
        body.extend(Dg13Entry::text(12, "Không thời hạn").encode());
        body.extend(
            Dg13Entry {
                number: 13,
                values: vec![Dg13Value::Utf8("Cha".into()), Dg13Value::Utf8("Mẹ".into())],
            }
            .encode(),
        );
        body.extend(Dg13Entry::text(15, "123456789").encode());
        let data = PersonalData::parse(&tlv::encode(0x6D, &body)).unwrap();
        assert_eq!(data.personal_id.as_deref(), Some("079310000001"));
        assert_eq!(data.sex, Some(Sex::Female));
        assert_eq!(data.expiry, Some(Dg13Expiry::Text("Không thời hạn".into())));
        assert_eq!(
            (data.father.as_deref(), data.mother.as_deref()),
            (Some("Cha"), Some("Mẹ"))
        );
        assert_eq!(data.old_id.as_deref(), Some("123456789"));
        assert_eq!(data.entries.len(), 5);
    }

    #[test]
    fn old_id_may_be_in_16() {
        let entries = vec![
            Dg13Entry::text(1, "001203012345"),
            Dg13Entry::text(16, "987654321"),
        ];
        assert_eq!(
            PersonalData::parse(&dg13(&entries))
                .unwrap()
                .old_id
                .as_deref(),
            Some("987654321")
        );
    }

    #[test]
    fn refuses_a_group_without_entries() {
        assert_eq!(
            PersonalData::parse(&[0x6D, 0x00]),
            Err(Dg13Error::NoEntries)
        );
        assert!(matches!(
            PersonalData::parse(&[0x6E, 0x00]),
            Err(Dg13Error::Tlv(_))
        ));
    }

    fn any_value() -> impl Strategy<Value = Dg13Value> {
        let leaf = prop_oneof![
            "[ -~]{0,20}".prop_map(Dg13Value::Printable),
            "\\PC{0,20}".prop_map(Dg13Value::Utf8),
            proptest::collection::vec(any::<u8>(), 0..8)
                .prop_map(|value| Dg13Value::Other { tag: 0x04, value }),
        ];
        leaf.prop_recursive(2, 8, 3, |inner| {
            proptest::collection::vec(inner, 0..3).prop_map(Dg13Value::Sequence)
        })
    }

    fn any_entry() -> impl Strategy<Value = Dg13Entry> {
        (any::<u8>(), proptest::collection::vec(any_value(), 0..3))
            .prop_map(|(number, values)| Dg13Entry { number, values })
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = PersonalData::parse(&bytes);
            let _ = PersonalData::parse(&tlv::encode(0x6D, &bytes));
        }

        #[test]
        fn round_trip(
            first in "\\PC{0,12}",
            rest in proptest::collection::vec(any_entry(), 0..12),
        ) {
            // The first entry holds a text, as a card's personal ID does.
            let mut entries = vec![Dg13Entry::text(1, &first)];
            entries.extend(rest);
            let data = PersonalData::parse(&dg13(&entries)).unwrap();
            prop_assert_eq!(data.entries, entries);
        }
    }
}
