//! Word `.docx` files in the Vietnamese "Câu N / A. B. C. D." layout, as
//! teachers upload them: a zip of XML parts, styles, numbering and
//! pictures, any of which may be damaged or hostile.
//! No input may panic or hang, and what imports must keep the promises
//! checked in `bank_invariants.rs`.

#![no_main]

mod bank_invariants;

use examgate_bank_formats::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| bank_invariants::check(Format::Docx, data));
