//! Question-bank files in and out, with no I/O: every importer takes the
//! file's bytes and returns the questions it holds or every problem it found
//! (all-or-nothing per file), each with its position; every exporter takes
//! questions and returns bytes.
//!
//! | format | import | export |
//! | --- | --- | --- |
//! | Word `.docx`, the Vietnamese "Câu N / A. B. C. D." layout | [`docx`] | — |
//! | GIFT (Moodle) | [`gift`] | [`gift`] |
//! | Aiken (Moodle) | [`aiken`] | [`aiken`] |
//! | Moodle XML | [`moodle_xml`] | [`moodle_xml`] |
//! | IMS QTI 2.1 / 3.0 items and packages | [`qti`] | [`qti`] (3.0) |
//!
//! Imports are untrusted input: [`limits`] bounds file sizes, archive
//! entries, expansion ratios and XML nesting, and [`package`] opens zip
//! files within those bounds. Where Moodle silently accepts a mistake (a GIFT
//! numeric answer that is not a number, an Aiken answer letter out of range,
//! `False` read as true in Moodle XML), these importers refuse it and say
//! where. What each format can carry is in `docs/bank-formats.md`.

pub mod aiken;
pub mod docx;
pub mod gift;
pub(crate) mod html;
pub mod limits;
pub(crate) mod moodle;
pub mod moodle_xml;
pub mod package;
pub mod qti;
mod xml;

#[cfg(test)]
mod doc_examples_tests;
#[cfg(test)]
mod hostile_tests;
#[cfg(test)]
mod roundtrip_tests;
#[cfg(test)]
pub(crate) mod test_support;

use examgate_shared::bank::{Item, Problem};
use serde::{Deserialize, Serialize};

/// What an import produced: the questions, in file order, and notes on
/// anything the importer changed without refusing it (a decimal comma read
/// as a point, a Part II cluster with no true statement).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Imported {
    pub items: Vec<Item>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Problem>,
}

/// An import's outcome: every question, or every problem (nothing stored).
pub type ImportResult = Result<Imported, Vec<Problem>>;

/// The formats, as the API and the command line name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Docx,
    Gift,
    Aiken,
    MoodleXml,
    Qti,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Docx,
        Format::Gift,
        Format::Aiken,
        Format::MoodleXml,
        Format::Qti,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Gift => "gift",
            Format::Aiken => "aiken",
            Format::MoodleXml => "moodle_xml",
            Format::Qti => "qti",
        }
    }

    pub fn parse(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The format a file is in, from its name and first bytes: a zip is a
    /// Word file when it has `word/document.xml`, else a QTI package; XML is
    /// Moodle's `<quiz>` or a QTI item; text with `ANSWER:` lines is Aiken,
    /// other text GIFT.
    pub fn detect(file_name: &str, bytes: &[u8]) -> Option<Format> {
        let lower = file_name.to_ascii_lowercase();
        if bytes.starts_with(b"PK\x03\x04") {
            if lower.ends_with(".docx") {
                return Some(Format::Docx);
            }
            return match package::Package::open(bytes) {
                Ok(p) if p.has("word/document.xml") => Some(Format::Docx),
                Ok(p) if p.has("imsmanifest.xml") => Some(Format::Qti),
                _ => None,
            };
        }
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
        if head.contains("<quiz") {
            return Some(Format::MoodleXml);
        }
        if head.contains("assessmentItem") || head.contains("qti-assessment-item") {
            return Some(Format::Qti);
        }
        if lower.ends_with(".gift") {
            return Some(Format::Gift);
        }
        let text = String::from_utf8_lossy(bytes);
        if text.lines().any(|l| l.trim_start().starts_with("ANSWER:")) {
            return Some(Format::Aiken);
        }
        if lower.ends_with(".txt") {
            return Some(Format::Gift);
        }
        None
    }

    /// Whether examgate writes this format.
    pub fn exports(self) -> bool {
        !matches!(self, Format::Docx)
    }
}

/// Reads `bytes` as `format`.
pub fn import(format: Format, bytes: &[u8]) -> ImportResult {
    if bytes.len() > limits::MAX_FILE_BYTES {
        return Err(vec![limits::too_large(bytes.len())]);
    }
    match format {
        Format::Docx => docx::import(bytes),
        Format::Gift => gift::import(&text(bytes)?),
        Format::Aiken => aiken::import(&text(bytes)?),
        Format::MoodleXml => moodle_xml::import(bytes),
        Format::Qti => qti::import(bytes),
    }
}

/// Writes `items` as `format`; `None` for a format examgate only reads.
/// Questions a format cannot carry are reported, never dropped.
pub fn export(format: Format, items: &[Item]) -> Result<Vec<u8>, Vec<Problem>> {
    match format {
        Format::Docx => Err(vec![Problem::new(
            examgate_shared::bank::Position::File,
            "examgate reads Word files but does not write them; export GIFT, Moodle XML or QTI",
        )]),
        Format::Gift => gift::export(items).map(String::into_bytes),
        Format::Aiken => aiken::export(items).map(String::into_bytes),
        Format::MoodleXml => moodle_xml::export(items).map(String::into_bytes),
        Format::Qti => qti::export(items),
    }
}

/// What every importer promises about a file it accepted, checked: every
/// question passes [`Item::check`] (grading and shuffling can use it), and
/// a format examgate writes reads its own export back with the same
/// questions apart from where they stood in the file. Word files are not
/// written, so their questions are written as QTI instead (the one format
/// that carries every kind and pictures) and must all come back. An export
/// refusal must name a problem: a question the format cannot carry is
/// refused, never dropped. The fuzz targets and the hostile-input tests
/// hold every format to this; `Err` says which promise is broken.
pub fn check_round_trip(format: Format, imported: &Imported) -> Result<(), String> {
    for item in &imported.items {
        if let Err(why) = item.check() {
            return Err(format!(
                "an imported question fails its check ({why}): {item:?}"
            ));
        }
    }
    let written_as = if format.exports() {
        format
    } else {
        Format::Qti
    };
    let bytes = match export(written_as, &imported.items) {
        Ok(bytes) => bytes,
        Err(problems) if problems.is_empty() => {
            return Err("an export refusal without a problem".into());
        }
        Err(_) => return Ok(()),
    };
    let again = import(written_as, &bytes)
        .map_err(|problems| format!("the export does not read back: {problems:?}"))?;
    if again.items.len() != imported.items.len() {
        return Err(format!(
            "the export does not hold every question: {} of {} came back",
            again.items.len(),
            imported.items.len()
        ));
    }
    if written_as == format {
        // Where a question stood changes when the file is written again.
        let placeless = |item: &Item| Item {
            source: None,
            ..item.clone()
        };
        for (back, first) in again.items.iter().zip(&imported.items) {
            if placeless(back) != placeless(first) {
                return Err(format!(
                    "a question changed on its way back:\n read back: {back:?}\n first read: {first:?}"
                ));
            }
        }
    }
    Ok(())
}

/// A text file's contents: UTF-8 (a byte-order mark dropped), or one
/// problem saying where the first bad byte is.
pub fn text(bytes: &[u8]) -> Result<String, Vec<Problem>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let line = line_at(bytes, e.valid_up_to());
            Err(vec![Problem::new(
                examgate_shared::bank::Position::Line { line },
                "the file is not UTF-8 text (save it as UTF-8; TCVN3 and VNI files must be \
                 converted to Unicode first)",
            )])
        }
    }
}

/// The 1-based line of byte `offset` in `bytes`.
pub fn line_at(bytes: &[u8], offset: usize) -> u32 {
    let end = offset.min(bytes.len());
    1 + bytes[..end].iter().filter(|&&b| b == b'\n').count() as u32
}
