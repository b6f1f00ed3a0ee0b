//! Writing Moodle XML: a category question whenever the category changes,
//! then `multichoice`, `truefalse` or `numerical` questions with text as
//! HTML (CDATA when it has markup) and pictures embedded as `<file>`s
//! referred to by `@@PLUGINFILE@@/name`.

use base64::Engine;
use examgate_shared::bank::{Image, Item, Problem};
use examgate_shared::exam::Body;

use crate::gift::{export_problem, moodle_cannot_carry, number};
use crate::html;
use crate::moodle;

/// The questions as Moodle XML, or one problem per question it cannot carry.
pub fn export(items: &[Item]) -> Result<String, Vec<Problem>> {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n");
    let mut problems = Vec::new();
    let mut category: Option<&str> = None;
    for (index, item) in items.iter().enumerate() {
        if let Some(why) = moodle_cannot_carry(item) {
            problems.push(export_problem(index, item, why));
            continue;
        }
        if item.meta.category.as_deref() != category {
            category = item.meta.category.as_deref();
            out.push_str(&format!(
                "  <question type=\"category\">\n    <category><text>{}</text></category>\n  </question>\n",
                escape(&moodle::moodle_category(category))
            ));
        }
        out.push_str(&question(item));
    }
    out.push_str("</quiz>\n");
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn question(item: &Item) -> String {
    let mut embedded: Vec<&str> = Vec::new();
    let kind = match &item.body {
        Body::SingleChoice { options, .. }
            if options == &[moodle::TRUE_OPTION, moodle::FALSE_OPTION] =>
        {
            "truefalse"
        }
        Body::Numeric { .. } => "numerical",
        _ => "multichoice",
    };
    let mut out = format!("  <question type=\"{kind}\">\n");
    out.push_str(&format!(
        "    <name><text>{}</text></name>\n",
        escape(item.title.as_deref().unwrap_or_default())
    ));
    let mut text_field = text(item, "questiontext", &item.text, &mut embedded, "    ");
    // Pictures no text refers to still travel, with the question text.
    let unreferenced: Vec<&Image> = item
        .images
        .iter()
        .filter(|i| !embedded.contains(&i.name.as_str()))
        .collect();
    if !unreferenced.is_empty() {
        text_field.truncate(text_field.len() - "</questiontext>\n".len());
        for image in unreferenced {
            text_field.push_str(&file(image));
        }
        text_field.push_str("</questiontext>\n");
    }
    out.push_str(&text_field);
    if let Some(explanation) = &item.explanation {
        out.push_str(&text(
            item,
            "generalfeedback",
            explanation,
            &mut embedded,
            "    ",
        ));
    }
    if let Some(points) = item.points {
        out.push_str(&format!("    <defaultgrade>{points}</defaultgrade>\n").replace(',', "."));
    }
    if let Some(id) = &item.meta.external_id {
        out.push_str(&format!("    <idnumber>{}</idnumber>\n", escape(id)));
    }
    let feedback = |i: usize| {
        item.option_feedback
            .get(i)
            .map(String::as_str)
            .unwrap_or_default()
    };
    match &item.body {
        Body::SingleChoice { key, .. } if kind == "truefalse" => {
            for (i, word) in ["true", "false"].into_iter().enumerate() {
                let fraction = if usize::from(key.0) == i { "100" } else { "0" };
                out.push_str(&format!("    <answer fraction=\"{fraction}\" format=\"moodle_auto_format\">\n      <text>{word}</text>\n"));
                out.push_str(&text(
                    item,
                    "feedback",
                    feedback(i),
                    &mut embedded,
                    "      ",
                ));
                out.push_str("    </answer>\n");
            }
        }
        Body::SingleChoice { options, key, .. } => {
            out.push_str("    <single>true</single>\n    <shuffleanswers>true</shuffleanswers>\n    <answernumbering>ABCD</answernumbering>\n");
            for (i, option) in options.iter().enumerate() {
                let fraction = if usize::from(key.0) == i {
                    moodle::FULL
                } else {
                    0
                };
                out.push_str(&answer(item, fraction, option, feedback(i), &mut embedded));
            }
        }
        Body::MultipleResponse { options, keys, .. } => {
            out.push_str("    <single>false</single>\n    <shuffleanswers>true</shuffleanswers>\n    <answernumbering>ABCD</answernumbering>\n");
            let share = moodle::share(keys.len());
            for (i, option) in options.iter().enumerate() {
                let right = keys.iter().any(|k| usize::from(k.0) == i);
                out.push_str(&answer(
                    item,
                    if right { share } else { -share },
                    option,
                    feedback(i),
                    &mut embedded,
                ));
            }
        }
        Body::Numeric { key, tolerance } => {
            let tolerance = tolerance.map_or("0".to_string(), number);
            out.push_str(&format!(
                "    <answer fraction=\"100\" format=\"moodle_auto_format\">\n      <text>{}</text>\n      <tolerance>{tolerance}</tolerance>\n    </answer>\n",
                number(*key)
            ));
        }
        Body::TrueFalse { .. } => {}
    }
    if !item.meta.tags.is_empty() {
        out.push_str("    <tags>\n");
        for tag in &item.meta.tags {
            out.push_str(&format!("      <tag><text>{}</text></tag>\n", escape(tag)));
        }
        out.push_str("    </tags>\n");
    }
    out.push_str("  </question>\n");
    out
}

fn answer<'a>(
    item: &'a Item,
    fraction: moodle::Fraction,
    option: &str,
    feedback: &str,
    embedded: &mut Vec<&'a str>,
) -> String {
    let field = text(item, "answer", option, embedded, "    ");
    let inner_end = field.len() - "</answer>\n".len();
    let fraction = moodle::percent_text(fraction);
    format!(
        "{}{}    </answer>\n",
        field[..inner_end].replacen(
            "<answer format",
            &format!("<answer fraction=\"{fraction}\" format"),
            1
        ),
        text(item, "feedback", feedback, embedded, "      "),
    )
}

/// A text field as HTML, with the pictures it shows embedded once per
/// question (`embedded` remembers which went where).
fn text<'a>(
    item: &'a Item,
    element: &str,
    text: &str,
    embedded: &mut Vec<&'a str>,
    indent: &str,
) -> String {
    let html = html::text_to_html(text, &|name| format!("@@PLUGINFILE@@/{name}"));
    let mut out = format!(
        "{indent}<{element} format=\"html\">\n{indent}  <text>{}</text>\n",
        cdata(&html)
    );
    for name in html::referenced_images(text) {
        if let Some(image) = item.images.iter().find(|i| i.name == name)
            && !embedded.contains(&image.name.as_str())
        {
            embedded.push(&image.name);
            out.push_str(&format!("{indent}  {}", file(image)));
        }
    }
    out.push_str(&format!("{indent}</{element}>\n"));
    out
}

fn file(image: &Image) -> String {
    format!(
        "<file name=\"{}\" path=\"/\" encoding=\"base64\">{}</file>\n",
        image.name,
        base64::engine::general_purpose::STANDARD.encode(&image.bytes)
    )
}

/// CDATA when escaping would change the text (a `]]>` split across two).
fn cdata(text: &str) -> String {
    if text.contains(['<', '>', '&']) {
        format!("<![CDATA[{}]]>", text.replace("]]>", "]]]]><![CDATA[>"))
    } else {
        text.to_string()
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
