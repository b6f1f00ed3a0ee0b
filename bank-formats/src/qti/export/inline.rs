//! Question text to QTI inline XHTML: line breaks as `<br/>`, image
//! references as `<img>` into `media/`, `<math>` spans as MathML in its
//! namespace; everything else escaped text, TeX included. The importer's
//! text walker reads this back to the same text.

use examgate_shared::bank::Image;

use super::super::mathml;
use super::super::xml::{escape_attr, escape_text};

/// Appends `text` to `out` as inline content.
pub fn write(text: &str, images: &[Image], out: &mut String) {
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some((xml, after)) = math(rest) {
            out.push_str(&xml);
            rest = after;
        } else if let Some((img, after)) = image(rest, images) {
            out.push_str(&img);
            rest = after;
        } else {
            match c {
                '\n' => out.push_str("<br/>"),
                c => escape_text(c.encode_utf8(&mut [0; 4]), out),
            }
            rest = &rest[c.len_utf8()..];
        }
    }
}

/// A `<math>` span at the start of `text`, as namespaced XML.
fn math(text: &str) -> Option<(String, &str)> {
    let after_name = text.strip_prefix("<math")?;
    if !after_name.starts_with(['>', ' ']) {
        return None;
    }
    let end = text.find("</math>")? + "</math>".len();
    let xml = mathml::to_xml(&text[..end])?;
    Some((xml, &text[end..]))
}

/// An `![description](image:NAME)` reference at the start of `text` to one
/// of `images`, as an `<img>`.
fn image<'t>(text: &'t str, images: &[Image]) -> Option<(String, &'t str)> {
    let body = text.strip_prefix("![")?;
    let close = body.find("](image:")?;
    let description = &body[..close];
    if description.contains(['\n', ']']) {
        return None;
    }
    let after = &body[close + "](image:".len()..];
    let end = after.find(')')?;
    let name = &after[..end];
    images.iter().find(|i| i.name == name)?;
    let img = format!(
        "<img src=\"media/{}\" alt=\"{}\"/>",
        escape_attr(name),
        escape_attr(description)
    );
    Some((img, &after[end + 1..]))
}
