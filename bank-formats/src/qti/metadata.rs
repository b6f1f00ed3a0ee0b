//! How examgate files a question (category, subject, grade, topic, level,
//! tags, author, identifier, suggested points) carried in a package's
//! manifest, as an `<eg:question>` block in the resource's `<metadata>`.
//!
//! QTI items have no place for these; LOM would scatter them over a large
//! schema, so they travel in a namespace of examgate's own that other tools
//! ignore. When the block is there it is authoritative for the identifier
//! too (an item written without one gets a made-up QTI identifier).

use examgate_shared::bank::{Level, Meta};
use examgate_shared::numeric::Decimal;
use examgate_shared::points::Points;

use super::xml::{Element, escape_attr, escape_text};

/// The namespace of the metadata block.
pub const EXAMGATE_NS: &str = "urn:examgate:bank-metadata:1";

/// What the manifest says about one item.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Filed {
    pub meta: Meta,
    pub points: Option<Points>,
}

/// The examgate block in `resource`'s metadata, if any, or why it is wrong
/// (with the line).
pub fn read(resource: &Element) -> Result<Option<Filed>, (u32, String)> {
    let Some(metadata) = resource.elements().find(|e| e.name == "metadata") else {
        return Ok(None);
    };
    let Some(block) = metadata
        .elements()
        .find(|e| e.ns == EXAMGATE_NS && e.name == "question")
    else {
        return Ok(None);
    };
    let mut filed = Filed::default();
    for field in block.elements() {
        let value = field.text().trim().to_string();
        let bad = |what: &str| Err((field.line, format!("{}: {what}", field.name)));
        match field.name.as_str() {
            "category" => filed.meta.category = Some(value),
            "subject" => filed.meta.subject = value,
            "topic" => filed.meta.topic = value,
            "author" => filed.meta.author = value,
            "tag" => filed.meta.tags.push(value),
            "external-id" => filed.meta.external_id = Some(value),
            "grade" => match value.parse::<u8>() {
                Ok(grade) if (1..=12).contains(&grade) => filed.meta.grade = Some(grade),
                _ => return bad("a grade is a whole number from 1 to 12"),
            },
            "level" => match Level::parse(&value) {
                Some(level) => filed.meta.level = Some(level),
                None => {
                    return bad(
                        "the level is not recall, understanding, application or advanced_application",
                    );
                }
            },
            "points" => match points(&value) {
                Some(p) => filed.points = Some(p),
                None => return bad("points are a decimal number with at most three decimals"),
            },
            _ => {}
        }
    }
    Ok(Some(filed))
}

fn points(text: &str) -> Option<Points> {
    let d = Decimal::parse(text).ok()?;
    if d.mantissa < 0 || d.scale > 3 {
        return None;
    }
    let milli = d.mantissa.checked_mul(10i64.pow(3 - d.scale))?;
    Some(Points::from_milli(u32::try_from(milli).ok()?))
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Recall => "recall",
        Level::Understanding => "understanding",
        Level::Application => "application",
        Level::AdvancedApplication => "advanced_application",
    }
}

/// The block for one item, indented for the manifest.
pub fn write(meta: &Meta, points: Option<Points>) -> String {
    let mut out = format!(
        "        <eg:question xmlns:eg=\"{}\">\n",
        escape_attr(EXAMGATE_NS)
    );
    let mut field = |name: &str, value: &str| {
        out.push_str(&format!("          <eg:{name}>"));
        escape_text(value, &mut out);
        out.push_str(&format!("</eg:{name}>\n"));
    };
    if let Some(id) = &meta.external_id {
        field("external-id", id);
    }
    if let Some(category) = &meta.category {
        field("category", category);
    }
    for (name, value) in [
        ("subject", &meta.subject),
        ("topic", &meta.topic),
        ("author", &meta.author),
    ] {
        if !value.is_empty() {
            field(name, value);
        }
    }
    if let Some(grade) = meta.grade {
        field("grade", &grade.to_string());
    }
    if let Some(level) = meta.level {
        field("level", level_name(level));
    }
    for tag in &meta.tags {
        field("tag", tag);
    }
    if let Some(points) = points {
        let milli = points.milli();
        let text = format!("{}.{:03}", milli / 1000, milli % 1000);
        field("points", text.trim_end_matches('0').trim_end_matches('.'));
    }
    out.push_str("        </eg:question>\n");
    out
}
