//! Aiken, Moodle's one-line-per-part format for single-choice questions:
//! a question line, option lines `A)`/`A.` and `ANSWER: X`. Import reads it
//! as Moodle does but refuses what Moodle lets through silently (a lowercase
//! or out-of-range answer letter, a question with no answer, an option
//! before any question); export writes single-choice questions only.
//! `docs/bank-formats.md` (Aiken) has the details.

mod export;
mod import;
#[cfg(test)]
mod tests;

pub use export::export;
pub use import::import;
