//! Moodle XML (`<quiz>` files): import and export.
//!
//! Read: `multichoice` (single → single choice, multi → multiple response
//! under the same weight rule as GIFT), `truefalse`, `numerical`,
//! `shortanswer` whose right answer is one number, category questions,
//! names, idnumbers, tags, default grades, general and per-answer feedback,
//! embedded pictures (`<file>` + `@@PLUGINFILE@@`, and the old `<image>`
//! form). Refused with the question's line: other types, fractions off
//! Moodle's list, booleans that are not true/false/1/0, DOCTYPEs.
//! `docs/bank-formats.md` (Moodle XML) has the details.

mod export;
mod import;
#[cfg(test)]
mod tests;
mod xml;

pub use export::export;
pub use import::import;
