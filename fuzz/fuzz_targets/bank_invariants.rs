//! What every question-bank fuzz target checks once an import succeeds.
//! Shared by the `bank_*` targets (each includes it with `mod`), so the
//! five formats are held to the same promises:
//!
//! - a refusal lists at least one problem (never an empty error);
//! - every question returned passes `Item::check` (grading and shuffling
//!   can use it);
//! - a format examgate writes reads its own export back, with the same
//!   questions apart from where they stood in the file; a question the
//!   format cannot carry is refused with a problem, never dropped.
//!
//! Word files are not written, so their questions are written as QTI
//! instead, the one format that carries every kind and pictures.

use examgate_bank_formats::{Format, export, import};
use examgate_shared::bank::Item;

/// Imports `data` as `format` and checks the promises above.
pub fn check(format: Format, data: &[u8]) {
    let imported = match import(format, data) {
        Ok(imported) => imported,
        Err(problems) => {
            assert!(!problems.is_empty(), "a refusal without a problem");
            return;
        }
    };
    for item in &imported.items {
        if let Err(why) = item.check() {
            panic!("an imported question fails its check ({why}): {item:?}");
        }
    }
    let written_as = if format.exports() {
        format
    } else {
        Format::Qti
    };
    let bytes = match export(written_as, &imported.items) {
        Ok(bytes) => bytes,
        Err(problems) => {
            assert!(!problems.is_empty(), "an export refusal without a problem");
            return;
        }
    };
    let again = match import(written_as, &bytes) {
        Ok(again) => again,
        Err(problems) => panic!("the export does not read back: {problems:?}"),
    };
    assert_eq!(
        again.items.len(),
        imported.items.len(),
        "the export does not hold every question"
    );
    if written_as == format {
        for (back, first) in again.items.iter().zip(&imported.items) {
            assert_eq!(placeless(back), placeless(first));
        }
    }
}

/// A question without its position, which a re-written file changes.
fn placeless(item: &Item) -> Item {
    Item {
        source: None,
        ..item.clone()
    }
}
