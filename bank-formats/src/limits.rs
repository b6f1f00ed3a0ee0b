//! Bounds on untrusted files. Every importer stays inside them; what goes
//! beyond ends with a clear problem and nothing stored.

use examgate_shared::bank::{Position, Problem};

/// Largest file accepted (a Word bank of 2,000 questions with pictures is
/// a few megabytes; the rest is headroom).
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
/// Most entries a zip may list.
pub const MAX_ZIP_ENTRIES: usize = 10_000;
/// Largest single entry once decompressed.
pub const MAX_ENTRY_BYTES: u64 = 64 * 1024 * 1024;
/// Largest total once decompressed (all entries read).
pub const MAX_UNZIPPED_BYTES: u64 = 256 * 1024 * 1024;
/// Most an entry may expand over its compressed size (zip bombs expand
/// thousands of times; real XML about 10–20×).
pub const MAX_EXPANSION: u64 = 200;
/// Deepest XML nesting read (Word tables in tables stay far below).
pub const MAX_XML_DEPTH: usize = 256;
/// Most questions one file may hold.
pub const MAX_QUESTIONS: usize = 20_000;

pub fn too_large(len: usize) -> Problem {
    Problem::new(
        Position::File,
        format!("the file is {len} bytes; at most {MAX_FILE_BYTES} are accepted"),
    )
}

pub fn too_deep(at: Position) -> Problem {
    Problem::new(
        at,
        format!("the XML nests deeper than {MAX_XML_DEPTH} levels"),
    )
}

pub fn too_many_questions(at: Position) -> Problem {
    Problem::new(
        at,
        format!("the file holds more than {MAX_QUESTIONS} questions; split it"),
    )
}
