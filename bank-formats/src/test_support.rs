//! Helpers the importers' tests share: expected questions as an importer
//! gives them (key marked by the format, found at a line), option lists,
//! and fixture files (a fixture directory zipped the same way every time).

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use examgate_shared::bank::{Item, KeyMarking, Position};
use examgate_shared::exam::{Body, OptionId};

/// Line `line` of a text file.
pub(crate) fn at(line: u32) -> Position {
    Position::Line { line }
}

pub(crate) fn strings(texts: &[&str]) -> Vec<String> {
    texts.iter().map(|t| t.to_string()).collect()
}

/// A single-choice body, nothing pinned.
pub(crate) fn single(options: &[&str], key: u8) -> Body {
    Body::SingleChoice {
        options: strings(options),
        key: OptionId(key),
        pinned: vec![],
    }
}

/// A question as a text format's importer gives it: the key marked by the
/// format, found at `line`.
pub(crate) fn item(line: u32, text: &str, body: Body) -> Item {
    let mut item = Item::new(text, body);
    item.marking = Some(KeyMarking::Format);
    item.source = Some(at(line));
    item
}

/// A file under `fixtures/` (`qti/package/imsmanifest.xml`).
pub(crate) fn fixture_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(relative)
}

/// A fixture directory (`qti/package`) zipped, entries sorted so the bytes
/// are always the same.
pub(crate) fn zipped_fixture_dir(dir: &str) -> Vec<u8> {
    let root = fixture_path(dir);
    let mut files = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for path in files {
        let name = path.strip_prefix(&root).unwrap().to_str().unwrap();
        writer
            .start_file(
                name.replace('\\', "/"),
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
        writer.write_all(&std::fs::read(&path).unwrap()).unwrap();
    }
    writer.finish().unwrap().into_inner()
}
