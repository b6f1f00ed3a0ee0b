//! QTI 3.0 content package writer: `imsmanifest.xml` with one item
//! resource per question (its pictures listed as files, examgate's filing
//! in its metadata), `items/<id>.xml`, and `items/media/<name>` once per
//! picture. Entries are stored with the zip epoch as their time, so the
//! same questions always give the same bytes.

mod inline;
mod item;

use std::collections::BTreeSet;
use std::io::{Cursor, Write};

use examgate_shared::bank::{Item, Position, Problem};

use super::metadata;
use super::names::MANIFEST_NS_3;
use super::xml::escape_attr;

pub fn package(items: &[Item]) -> Result<Vec<u8>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut resources = String::new();
    let mut used = BTreeSet::new();
    let mut media_written = BTreeSet::new();
    for (index, item) in items.iter().enumerate() {
        let identifier = identifier(item, index, &mut used);
        let xml = match item::write(item, &identifier) {
            Ok(xml) => xml,
            Err(why) => {
                let at = item.source.clone().unwrap_or(Position::File);
                problems.push(Problem::new(at, format!("question {}: {why}", index + 1)));
                continue;
            }
        };
        let path = format!("items/{identifier}.xml");
        resources.push_str(&format!(
            "    <resource identifier=\"resource-{0}\" type=\"imsqti_item_xmlv3p0\" href=\"{1}\">\n      <metadata>\n{2}      </metadata>\n      <file href=\"{1}\"/>\n",
            escape_attr(&identifier),
            escape_attr(&path),
            metadata::write(&item.meta, item.points),
        ));
        files.push((path, xml.into_bytes()));
        for image in &item.images {
            let media = format!("items/media/{}", image.name);
            resources.push_str(&format!("      <file href=\"{}\"/>\n", escape_attr(&media)));
            if media_written.insert(media.clone()) {
                files.push((media, image.bytes.clone()));
            }
        }
        resources.push_str("    </resource>\n");
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let manifest = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest xmlns=\"{MANIFEST_NS_3}\" identifier=\"examgate-export\">\n  <metadata>\n    <schema>QTI Package</schema>\n    <schemaversion>3.0.0</schemaversion>\n  </metadata>\n  <organizations/>\n  <resources>\n{resources}  </resources>\n</manifest>\n"
    );
    files.insert(0, ("imsmanifest.xml".to_string(), manifest.into_bytes()));
    zip(&files).map_err(|e| {
        vec![Problem::new(
            Position::File,
            format!("the package could not be written: {e}"),
        )]
    })
}

/// The item's QTI identifier and file name: its own id when that is a
/// plain, unused identifier, else `item-N`.
fn identifier(item: &Item, index: usize, used: &mut BTreeSet<String>) -> String {
    let own = item.meta.external_id.as_deref().filter(|id| {
        id.len() <= 64
            && id.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
            && !used.contains(&id.to_ascii_lowercase())
    });
    let mut chosen = match own {
        Some(id) => id.to_string(),
        None => format!("item-{}", index + 1),
    };
    while used.contains(&chosen.to_ascii_lowercase()) {
        chosen.push_str("-x");
    }
    used.insert(chosen.to_ascii_lowercase());
    chosen
}

fn zip(files: &[(String, Vec<u8>)]) -> zip::result::ZipResult<Vec<u8>> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (name, bytes) in files {
        writer.start_file(name.as_str(), options)?;
        writer.write_all(bytes)?;
    }
    Ok(writer.finish()?.into_inner())
}
