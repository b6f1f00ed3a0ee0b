//! What every question-bank fuzz target checks. Shared by the `bank_*`
//! targets (each includes it with `mod`), so the five formats are held to
//! the same promises:
//!
//! - a refusal lists at least one problem (never an empty error);
//! - an accepted file keeps what the importers promise, checked by
//!   [`check_round_trip`]: every question returned passes `Item::check`,
//!   and a format examgate writes reads its own export back with the same
//!   questions apart from where they stood in the file (Word's questions
//!   are written as QTI instead); a question the format cannot carry is
//!   refused with a problem, never dropped.

use examgate_bank_formats::{Format, check_round_trip, import};

/// Imports `data` as `format` and checks the promises above.
pub fn check(format: Format, data: &[u8]) {
    match import(format, data) {
        Ok(imported) => {
            if let Err(why) = check_round_trip(format, &imported) {
                panic!("{why}");
            }
        }
        Err(problems) => assert!(!problems.is_empty(), "a refusal without a problem"),
    }
}
