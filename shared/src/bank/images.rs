//! Pictures between the bank and the paper.
//!
//! The bank stores each picture once, by content, and question text refers
//! to it as `![…](image:NAME)`. A paper carries its pictures inside the text
//! as `data:` URLs (see [`crate::tex`]), so they are served only with the
//! paper — never before the exam opens — and no URL points anywhere else.
//! [`inline`] and [`extract`] convert between the forms; [`inline_item`]
//! and [`map_texts`] apply them to every text of a question.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::item::{Image, Item, is_image_name};
use crate::exam::Body;

const REF: &str = "](image:";
const DATA: &str = "](data:";

/// `text` with every `image:NAME` reference replaced by the picture's
/// `data:` URL; a name `lookup` does not know is left as it is.
pub fn inline(text: &str, lookup: impl Fn(&str) -> Option<(String, Vec<u8>)>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(REF) {
        let after = &rest[at + REF.len()..];
        let Some(end) = after.find(')') else { break };
        let name = &after[..end];
        out.push_str(&rest[..at]);
        match lookup(name).filter(|_| is_image_name(name)) {
            Some((media_type, bytes)) => {
                out.push_str("](data:");
                out.push_str(&media_type);
                out.push_str(";base64,");
                out.push_str(&STANDARD.encode(bytes));
                out.push(')');
            }
            None => out.push_str(&rest[at..at + REF.len() + end + 1]),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// `text` with each picture reference replaced by `placeholder` (lists
/// show a word where the picture is, not the picture).
pub fn strip(text: &str, placeholder: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("![") {
        let after = &rest[at..];
        match after.find(REF).zip(after.find(')')) {
            Some((r, end)) if r < end && !after[..r].contains('\n') => {
                out.push_str(&rest[..at]);
                out.push_str(placeholder);
                rest = &after[end + 1..];
            }
            _ => {
                out.push_str(&rest[..at + 2]);
                rest = &rest[at + 2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Applies `f` to every text of `item` that may hold a picture: the
/// question, its options or statements, and its explanation.
pub fn map_texts(
    item: &mut Item,
    mut f: impl FnMut(&str) -> Result<String, String>,
) -> Result<(), String> {
    item.text = f(&item.text)?;
    if let Some(e) = &item.explanation {
        item.explanation = Some(f(e)?);
    }
    match &mut item.body {
        Body::SingleChoice { options, .. } | Body::MultipleResponse { options, .. } => {
            for o in options.iter_mut() {
                *o = f(o)?;
            }
        }
        Body::TrueFalse { statements, .. } => {
            for s in statements.iter_mut() {
                *s = f(s)?;
            }
        }
        Body::Numeric { .. } => {}
    }
    Ok(())
}

/// Every picture reference of `item` turned into a `data:` URL from the
/// item's own images, so a preview or a paper shows exactly what the
/// teacher put in.
pub fn inline_item(item: &mut Item) {
    let found = std::mem::take(&mut item.images);
    let lookup = |name: &str| {
        found
            .iter()
            .find(|i| i.name == name)
            .map(|i| (i.media_type.clone(), i.bytes.clone()))
    };
    map_texts(item, |text| Ok(inline(text, lookup))).expect("inlining cannot fail");
    item.images = found;
}

/// The names of the pictures `text` refers to.
pub fn references(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(REF) {
        let after = &rest[at + REF.len()..];
        let Some(end) = after.find(')') else { break };
        names.push(after[..end].to_string());
        rest = &after[end + 1..];
    }
    names
}

/// `text` with every `data:` picture (as the editor sends them back) taken
/// out into an [`Image`] and replaced by its reference. A `data:` URL that
/// is not a PNG, JPEG, GIF or WebP picture is an error.
pub fn extract(text: &str) -> Result<(String, BTreeMap<String, Image>), String> {
    let mut images = BTreeMap::new();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(DATA) {
        let after = &rest[at + DATA.len()..];
        let Some(end) = after.find(')') else { break };
        let url = &after[..end];
        let data = url
            .split_once(";base64,")
            .map(|(_, d)| d)
            .ok_or("a picture must be a base64 data: URL")?;
        let bytes = STANDARD
            .decode(data)
            .map_err(|e| format!("a picture's base64 is broken: {e}"))?;
        let image = Image::new(bytes)?;
        out.push_str(&rest[..at]);
        out.push_str(REF);
        out.push_str(&image.name);
        out.push(')');
        images.insert(image.name.clone(), image);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok((out, images))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_and_data_urls_convert_both_ways() {
        let png = b"\x89PNG\r\n\x1a\nxyz".to_vec();
        let image = Image::new(png.clone()).unwrap();
        let text = format!("Hình {} bên", image.reference("đồ thị"));
        assert_eq!(references(&text), vec![image.name.clone()]);
        let inlined = inline(&text, |n| {
            (n == image.name).then(|| ("image/png".into(), png.clone()))
        });
        assert!(inlined.contains("](data:image/png;base64,"));
        assert!(
            crate::tex::to_html(&inlined)
                .contains("<img class=\"q-img\" src=\"data:image/png;base64,")
        );
        let (back, found) = extract(&inlined).unwrap();
        assert_eq!(back, text);
        assert_eq!(found.get(&image.name), Some(&image));
        assert!(extract("![](data:text/html;base64,PHNjcmlwdD4=)").is_err());
        assert_eq!(inline("![](image:nope)", |_| None), "![](image:nope)");
        assert_eq!(strip(&text, "[hình]"), "Hình [hình] bên");

        // A whole question: text, options and solution alike.
        let mut item = Item::new(
            text.clone(),
            Body::SingleChoice {
                options: vec![image.reference(""), "B".into()],
                key: crate::exam::OptionId(0),
                pinned: vec![],
            },
        );
        item.explanation = Some(image.reference("lời giải"));
        item.images = vec![image.clone()];
        inline_item(&mut item);
        assert!(item.text.contains("](data:image/png;base64,"));
        assert!(item.body.options()[0].starts_with("![](data:image/png;base64,"));
        assert!(
            item.explanation
                .as_deref()
                .unwrap()
                .contains("](data:image/png;base64,")
        );
        assert_eq!(
            item.images,
            vec![image.clone()],
            "the pictures stay with the item"
        );
        assert_eq!(strip("a ![x] b", "[hình]"), "a ![x] b");
    }
}
