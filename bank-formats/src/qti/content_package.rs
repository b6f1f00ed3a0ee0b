//! A QTI content package: a zip whose `imsmanifest.xml` lists resources.
//! Item resources (2.1, 2.2, 3.0) are read in manifest order, each file by
//! its `href` relative to the manifest; tests, stimuli, templates, style
//! sheets and web content are not questions and are passed over.

use examgate_shared::bank::{Position, Problem};

use super::item;
use super::media::{Media, Place, percent_decode};
use super::metadata;
use super::names::ITEM_TYPES;
use super::xml::{self, Element};
use crate::limits::{self, MAX_QUESTIONS};
use crate::package::{Package, resolve};
use crate::{ImportResult, Imported};

const MANIFEST: &str = "imsmanifest.xml";

fn in_manifest(line: u32) -> Position {
    Position::Entry {
        file: MANIFEST.to_string(),
        line,
    }
}

pub fn import(bytes: &[u8]) -> ImportResult {
    let mut package = Package::open(bytes).map_err(|p| vec![p])?;
    let manifest_bytes = package
        .read(MANIFEST)
        .map_err(|p| vec![p])?
        .ok_or_else(|| {
            vec![Problem::new(
                Position::File,
                "the zip has no imsmanifest.xml at its root, so it is not a QTI content package",
            )]
        })?;
    let manifest =
        xml::parse(&manifest_bytes).map_err(|e| vec![Problem::new(in_manifest(e.line), e.why)])?;
    if manifest.name != "manifest" {
        return Err(vec![Problem::new(
            in_manifest(manifest.line),
            "imsmanifest.xml does not start with <manifest>",
        )]);
    }
    let resources: Vec<&Element> = manifest
        .child("resources")
        .map(|r| r.elements().filter(|e| e.name == "resource").collect())
        .unwrap_or_default();
    let mut imported = Imported::default();
    let mut problems = Vec::new();
    let mut item_resources = 0usize;
    for resource in resources {
        let kind = resource.attr("type").unwrap_or("").trim();
        if !kind.starts_with("imsqti_item_xml") {
            continue;
        }
        item_resources += 1;
        if item_resources > MAX_QUESTIONS {
            problems.push(limits::too_many_questions(in_manifest(resource.line)));
            break;
        }
        if !ITEM_TYPES.contains(&kind) {
            problems.push(Problem::new(
                in_manifest(resource.line),
                format!("resource type {kind} is not QTI 2.1, 2.2 or 3.0"),
            ));
            continue;
        }
        read_resource(&mut package, resource, &mut imported, &mut problems);
    }
    if item_resources == 0 && problems.is_empty() {
        problems.push(Problem::new(
            in_manifest(manifest.line),
            "the manifest lists no item resources (type imsqti_item_xmlv2p1, v2p2 or v3p0)",
        ));
    }
    if problems.is_empty() {
        Ok(imported)
    } else {
        Err(problems)
    }
}

fn read_resource(
    package: &mut Package<'_>,
    resource: &Element,
    imported: &mut Imported,
    problems: &mut Vec<Problem>,
) {
    let refuse = |why: String| Problem::new(in_manifest(resource.line), why);
    let href = resource.attr("href").unwrap_or("").trim();
    if href.is_empty() {
        problems.push(refuse("an item resource without href".into()));
        return;
    }
    let Some(path) = resolve(MANIFEST, &percent_decode(href)) else {
        problems.push(refuse(format!(
            "the href {href} is an absolute URL or leaves the package; item files must be \
             inside it"
        )));
        return;
    };
    let bytes = match package.read(&path) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            problems.push(refuse(format!(
                "the manifest lists {path}, which is not in the package"
            )));
            return;
        }
        Err(problem) => {
            problems.push(problem);
            return;
        }
    };
    let filed = match metadata::read(resource) {
        Ok(filed) => filed,
        Err((line, why)) => {
            problems.push(Problem::new(in_manifest(line), why));
            None
        }
    };
    let mut media = Media::new(Some(package), Place { file: Some(path) });
    let item = item::read(&bytes, &mut media);
    problems.append(&mut media.problems);
    imported.notes.append(&mut media.notes);
    if let Some(mut item) = item {
        if let Some(filed) = filed {
            item.meta = filed.meta;
            item.points = filed.points;
        }
        imported.items.push(item);
    }
}
