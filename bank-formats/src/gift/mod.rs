//! GIFT, Moodle's plain-text question format: import and export.
//!
//! Read: single choice (`=`/`~`), multiple response with `%` weights that
//! fit examgate's right-minus-wrong rule, true/false (`T`, `FALSE` …, read
//! as a single choice between "Đúng" and "Sai"), numeric with a tolerance
//! or a range, titles, `$CATEGORY:`, `[id:]`/`[tag:]` comments, option and
//! general feedback, `[html]` text. Refused, with the line: essays,
//! descriptions, matching, short-answer text, missing-word layouts, numeric
//! partial credit, non-numbers where a number belongs, weights off Moodle's
//! list, option counts outside 2–8, unclosed braces. `docs/bank-formats.md` (GIFT)
//! says it all in full.

mod answers;
mod export;
mod import;
mod lexer;
#[cfg(test)]
mod tests;

pub use export::export;
pub use import::import;

pub(crate) use answers::read_number;
pub(crate) use export::{export_problem, moodle_cannot_carry, number};
