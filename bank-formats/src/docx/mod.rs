//! Word `.docx` question banks in the Vietnamese layout: "Câu 1." questions,
//! "A. B. C. D." options (several per line with tabs), "PHẦN I/II/III"
//! parts of the 2025 format (single choice, true/false clusters with
//! statements "a) b) c) d)", short numeric answers), keys marked by an
//! answer table, `*`, underline, bold, red text or highlight, worked
//! solutions under "Lời giải", Word equations (OMML → MathML) and pictures.
//!
//! The pipeline, one module each:
//! - [`walk`] opens the package and turns the body into paragraphs with
//!   effective formatting ([`styles`]), automatic numbers ([`numbering`]),
//!   equations ([`omml`]) and pictures;
//! - [`layout`] sorts the lines ([`lines`]) into questions, answer-key
//!   entries ([`answers`]) and solutions;
//! - [`assemble`] decides kinds and keys ([`keys`]) and builds the items.
//!
//! [`build`] writes small Word files for tests (here and in other crates).
//! Reading is all-or-nothing: every problem is reported with its paragraph.

mod answers;
mod assemble;
pub mod build;
mod keys;
mod layout;
mod lines;
mod numbering;
pub mod omml;
mod styles;
mod symbols;
mod walk;
mod xml;

#[cfg(test)]
mod omml_tests;
#[cfg(test)]
mod tests;

use crate::ImportResult;

/// Reads a Word file's questions.
pub fn import(bytes: &[u8]) -> ImportResult {
    let document = walk::read(bytes)?;
    let layout = layout::scan(&document.blocks);
    assemble::items(&document, layout)
}

/// Parses an OMML fragment (an `m:oMath` element with its namespace
/// declarations) and converts it: for tests and tools.
pub fn omml_to_mathml(xml: &str, display: bool) -> Option<String> {
    let element = xml::parse(xml.as_bytes(), "equation").ok()?;
    Some(omml::to_mathml(&element, display))
}
