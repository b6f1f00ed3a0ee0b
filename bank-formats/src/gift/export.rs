//! Writing GIFT the way Moodle's own export does: an `[id:]`/`[tag:]`
//! comment, `::title::`, the escaped text, the answer block and the general
//! feedback after `####`, a blank line; `$CATEGORY:` when the category
//! changes.

use examgate_shared::bank::{Item, Position, Problem};
use examgate_shared::exam::{Body, MultiRule};
use examgate_shared::numeric::Decimal;

use crate::moodle;

/// The questions as GIFT, or one problem per question GIFT cannot carry.
pub fn export(items: &[Item]) -> Result<String, Vec<Problem>> {
    let mut out = String::new();
    let mut problems = Vec::new();
    let mut category: Option<&str> = None;
    for (index, item) in items.iter().enumerate() {
        match question(item) {
            Ok(text) => {
                if item.meta.category.as_deref() != category {
                    category = item.meta.category.as_deref();
                    out.push_str(&format!(
                        "$CATEGORY: {}\n\n",
                        moodle::moodle_category(category)
                    ));
                }
                out.push_str(&text);
            }
            Err(why) => problems.push(export_problem(index, item, &why)),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// A refusal naming the question by number and title or first words.
pub(crate) fn export_problem(index: usize, item: &Item, why: &str) -> Problem {
    let name = item.title.clone().unwrap_or_else(|| {
        let words: String = item.text.chars().take(40).collect();
        words.replace('\n', " ")
    });
    Problem::new(
        Position::File,
        format!("question {} ({name:?}): {why}", index + 1),
    )
}

/// Why a question cannot be written in a Moodle format, if it cannot.
pub(crate) fn moodle_cannot_carry(item: &Item) -> Option<&'static str> {
    match &item.body {
        Body::TrueFalse { .. } => Some(
            "Moodle has no true/false clusters (statements a–d); export it as QTI or split \
             it into single true/false questions",
        ),
        Body::MultipleResponse {
            rule: MultiRule::AllOrNothing,
            ..
        } => Some(
            "Moodle's weights cannot say all-or-nothing; switch the question to \
             right-minus-wrong or export it as QTI",
        ),
        _ => None,
    }
}

fn question(item: &Item) -> Result<String, String> {
    if let Some(why) = moodle_cannot_carry(item) {
        return Err(why.into());
    }
    if !item.images.is_empty() {
        return Err(
            "GIFT cannot carry pictures; export it as Moodle XML or QTI, which embed them".into(),
        );
    }
    let mut out = String::new();
    let mut markers: Vec<String> = Vec::new();
    if let Some(id) = &item.meta.external_id {
        markers.push(format!("[id:{}]", id.replace(']', "\\]")));
    }
    for tag in &item.meta.tags {
        markers.push(format!("[tag:{}]", tag.replace(']', "\\]")));
    }
    if !markers.is_empty() {
        out.push_str(&format!("// {}\n", markers.join(" ")));
    }
    if let Some(title) = &item.title {
        out.push_str(&format!("::{}::", escape(title)));
    }
    out.push_str(&text(&item.text));
    out.push('{');
    out.push_str(&answers(item));
    if let Some(explanation) = &item.explanation {
        out.push_str(&format!("\t####{}\n", text(explanation)));
    }
    out.push_str("}\n\n");
    Ok(out)
}

fn feedback(item: &Item, index: usize) -> String {
    match item.option_feedback.get(index) {
        Some(f) if !f.is_empty() => format!("#{}", text(f)),
        _ => String::new(),
    }
}

fn answers(item: &Item) -> String {
    match &item.body {
        Body::SingleChoice { options, key, .. }
            if options == &[moodle::TRUE_OPTION, moodle::FALSE_OPTION] =>
        {
            // Moodle's order: the feedback for a wrong answer, then a right one.
            let (letter, right, wrong) = if key.0 == 0 {
                ("TRUE", 0, 1)
            } else {
                ("FALSE", 1, 0)
            };
            let (wrong, right) = (feedback(item, wrong), feedback(item, right));
            let wrong = if wrong.is_empty() && !right.is_empty() {
                "#".to_string()
            } else {
                wrong
            };
            format!("{letter}{wrong}{right}\n")
        }
        Body::SingleChoice { options, key, .. } => {
            let mut out = String::from("\n");
            for (i, option) in options.iter().enumerate() {
                let mark = if usize::from(key.0) == i { '=' } else { '~' };
                out.push_str(&format!(
                    "\t{mark}{}{}\n",
                    option_text(option),
                    feedback(item, i)
                ));
            }
            out
        }
        Body::MultipleResponse { options, keys, .. } => {
            let share = moodle::share(keys.len());
            let mut out = String::from("\n");
            for (i, option) in options.iter().enumerate() {
                let right = keys.iter().any(|k| usize::from(k.0) == i);
                let weight = moodle::percent_text(if right { share } else { -share });
                out.push_str(&format!(
                    "\t~%{weight}%{}{}\n",
                    option_text(option),
                    feedback(item, i)
                ));
            }
            out
        }
        Body::Numeric { key, tolerance } => match tolerance {
            Some(t) => format!("#{}:{}\n", number(*key), number(*t)),
            None => format!("#{}\n", number(*key)),
        },
        Body::TrueFalse { .. } => String::new(),
    }
}

/// A number with a decimal point, as Moodle reads it.
pub(crate) fn number(value: Decimal) -> String {
    value.to_string().replace(',', ".")
}

/// Question or feedback text: escaped, and kept from being read as a format
/// prefix.
fn text(text: &str) -> String {
    let escaped = escape(text);
    if ["[html]", "[moodle]", "[plain]", "[markdown]"]
        .iter()
        .any(|p| text.starts_with(p))
    {
        format!("[moodle]{escaped}")
    } else {
        escaped
    }
}

/// Option text, also kept from being read as a `%weight%`.
fn option_text(option: &str) -> String {
    if option.starts_with('%') {
        format!("[moodle]{}", escape(option))
    } else {
        text(option)
    }
}

/// Moodle's GIFT escapes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '~' | '=' | '#' | '{' | '}' | ':' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}
