//! IMS / 1EdTech QTI: single item files (2.1, 2.2, 3.0) and content
//! packages read; QTI 3.0 content packages written.
//!
//! Import accepts one item XML (`assessmentItem`, `qti-assessment-item`) or
//! a zip with `imsmanifest.xml`. Choice, match (true/false) and numeric text
//! entry interactions become questions; anything else is refused with the
//! file and line. Export writes one item file per question, pictures under
//! `items/media/` and examgate's filing in the manifest, with fixed zip
//! timestamps so the same questions always give the same bytes. What maps
//! to what is in `docs/bank-formats.md` (QTI).

mod content_package;
mod export;
mod interactions;
mod item;
mod mathml;
mod media;
mod metadata;
mod names;
mod scoring;
mod text;
mod xml;

#[cfg(test)]
mod tests;

use examgate_shared::bank::{Item, Problem};

use crate::{ImportResult, Imported};

/// Reads a QTI item file or content package.
pub fn import(bytes: &[u8]) -> ImportResult {
    if bytes.starts_with(b"PK\x03\x04") {
        return content_package::import(bytes);
    }
    let mut media = media::Media::new(None, media::Place { file: None });
    match item::read(bytes, &mut media) {
        Some(item) if media.problems.is_empty() => Ok(Imported {
            items: vec![item],
            notes: media.notes,
        }),
        _ => Err(media.problems),
    }
}

/// Writes `items` as a QTI 3.0 content package (zip bytes).
pub fn export(items: &[Item]) -> Result<Vec<u8>, Vec<Problem>> {
    export::package(items)
}
