//! Reading a GIFT file: blocks, categories, metadata comments, titles, the
//! question text and the answer block's place; what the answer block holds
//! is read in [`super::answers`].

use examgate_shared::bank::{Item, KeyMarking, Meta, Position, Problem};

use super::answers::{self, Answers};
use super::lexer::{self, Block, Ch};
use crate::html::{self, ImageResolver};
use crate::{ImportResult, Imported, limits, moodle};

/// Reads a whole GIFT file: every question, or every problem.
pub fn import(text: &str) -> ImportResult {
    let mut items = Vec::new();
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let mut category = None;
    let mut questions = 0usize;
    for block in lexer::blocks(text) {
        if block.chars.is_empty() {
            continue;
        }
        if lexer::starts_with(&block.chars, "$CATEGORY:") {
            match category_of(&block) {
                Ok(path) => category = path,
                Err(problem) => problems.push(problem),
            }
            continue;
        }
        questions += 1;
        if questions > limits::MAX_QUESTIONS {
            problems.push(limits::too_many_questions(line(block.line)));
            break;
        }
        match question(&block, &mut notes) {
            Ok(mut item) => {
                item.meta.category = category.clone();
                match item.check() {
                    Ok(()) => items.push(item),
                    Err(why) => problems.push(Problem::new(line(block.line), why)),
                }
            }
            Err(mut found) => problems.append(&mut found),
        }
    }
    if problems.is_empty() {
        Ok(Imported { items, notes })
    } else {
        Err(problems)
    }
}

pub(super) fn line(line: u32) -> Position {
    Position::Line { line }
}

/// The category a `$CATEGORY:` block switches to; it must stand alone.
fn category_of(block: &Block) -> Result<Option<String>, Problem> {
    let path = &block.chars["$CATEGORY:".len()..];
    if let Some(newline) = path.iter().find(|ch| ch.c == '\n' && !ch.escaped) {
        return Err(Problem::new(
            line(newline.line),
            "a $CATEGORY line must stand alone: put a blank line after it (Moodle would \
             read the question as part of the category name)",
        ));
    }
    Ok(moodle::category_path(&lexer::text(path)))
}

/// One question block as an item.
fn question(block: &Block, notes: &mut Vec<Problem>) -> Result<Item, Vec<Problem>> {
    let at = line(block.line);
    let refuse = |at: Position, why: &str| Err(vec![Problem::new(at, why)]);
    let (title, rest) = title(&block.chars);
    let rest = lexer::trim(rest);
    let open = lexer::find(rest, "{");
    let close = lexer::find(rest, "}");
    let (open, close) = match (open, close) {
        (None, None) => {
            return refuse(
                at,
                "examgate has no description questions (this block has no answer in { })",
            );
        }
        (Some(open), Some(close)) if open < close => (open, close),
        (Some(open), _) => {
            return refuse(
                line(rest[open].line),
                "the { opened here is never closed (write \\{ for a brace in the text)",
            );
        }
        (None, Some(close)) => {
            return refuse(
                line(rest[close].line),
                "a } with no { before it (write \\} for a brace in the text)",
            );
        }
    };
    let after = lexer::trim(&rest[close + 1..]);
    if let Some(first) = after.first() {
        return refuse(
            line(first.line),
            "examgate has no missing-word questions: nothing may follow the answer block \
             (move the text before the {)",
        );
    }
    let mut images = ImageResolver::data_uris_only("GIFT files carry no picture files");
    let mut problems = Vec::new();
    let (format, stem) = format_prefix(lexer::trim(&rest[..open]), Format::Moodle);
    let text = render(format, stem, &mut images).unwrap_or_else(|why| {
        problems.push(Problem::new(at.clone(), why));
        String::new()
    });
    let mut content = &rest[open + 1..close];
    let mut explanation = None;
    if let Some(split) = lexer::rfind(content, "####") {
        let (feedback_format, feedback) = format_prefix(lexer::trim(&content[split + 4..]), format);
        match render(feedback_format, feedback, &mut images) {
            Ok(text) if !text.is_empty() => explanation = Some(text),
            Ok(_) => {}
            Err(why) => problems.push(Problem::new(at.clone(), why)),
        }
        content = &content[..split];
    }
    let content = lexer::trim(content);
    let read = answers::read(content, &at, format, &mut images, notes);
    let Answers {
        body,
        option_feedback,
    } = match read {
        Ok(answers) if problems.is_empty() => answers,
        Ok(_) => return Err(problems),
        Err(mut found) => {
            problems.append(&mut found);
            return Err(problems);
        }
    };
    let mut item = Item::new(text, body);
    item.title = title;
    item.explanation = explanation;
    item.option_feedback = option_feedback;
    item.meta = metadata(&block.comments);
    item.images = images.into_images();
    item.marking = Some(KeyMarking::Format);
    item.source = Some(at);
    Ok(item)
}

/// `::title::` at the start, and the rest.
fn title(chars: &[Ch]) -> (Option<String>, &[Ch]) {
    if !lexer::starts_with(chars, "::") {
        return (None, chars);
    }
    match lexer::find(&chars[2..], "::") {
        Some(end) => {
            let title = lexer::text(lexer::trim(&chars[2..2 + end]));
            let title = (!title.is_empty()).then_some(title);
            (title, &chars[2 + end + 2..])
        }
        None => (None, chars),
    }
}

/// A text format GIFT names with a `[…]` prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Html,
    Moodle,
    Plain,
    Markdown,
}

/// The `[html]`/`[moodle]`/`[plain]`/`[markdown]` prefix of `chars`, if
/// any, and the text after it; `default` otherwise.
pub(super) fn format_prefix(chars: &[Ch], default: Format) -> (Format, &[Ch]) {
    for (name, format) in [
        ("[html]", Format::Html),
        ("[moodle]", Format::Moodle),
        ("[plain]", Format::Plain),
        ("[markdown]", Format::Markdown),
    ] {
        if lexer::starts_with(chars, name) {
            return (format, lexer::trim(&chars[name.len()..]));
        }
    }
    (default, chars)
}

/// Text in `format` as examgate text: HTML converted, the rest as typed.
pub(super) fn render(
    format: Format,
    chars: &[Ch],
    images: &mut ImageResolver,
) -> Result<String, String> {
    let typed = lexer::text(chars);
    match format {
        Format::Html => html::html_to_text(&typed, images),
        _ => Ok(typed.trim().to_string()),
    }
}

/// `[id:…]` (the first wins) and `[tag:…]` from the block's comment lines.
fn metadata(comments: &[String]) -> Meta {
    let mut meta = Meta::default();
    for comment in comments {
        for (key, value) in bracketed(comment) {
            match key {
                "id" if meta.external_id.is_none() && !value.is_empty() => {
                    meta.external_id = Some(value)
                }
                "tag" if !value.is_empty() && !meta.tags.contains(&value) => meta.tags.push(value),
                _ => {}
            }
        }
    }
    meta
}

/// Every `[id:value]` / `[tag:value]` in a comment, `\]` read as `]`.
fn bracketed(comment: &str) -> Vec<(&'static str, String)> {
    let mut found = Vec::new();
    let mut rest = comment;
    while let Some(at) = rest.find('[') {
        rest = &rest[at + 1..];
        let key = ["id", "tag"]
            .into_iter()
            .find(|k| rest.starts_with(&format!("{k}:")));
        let Some(key) = key else { continue };
        let mut value = String::new();
        let mut chars = rest[key.len() + 1..].char_indices();
        let mut closed = None;
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' if rest[key.len() + 1 + i..].starts_with("\\]") => {
                    value.push(']');
                    chars.next();
                }
                ']' => {
                    closed = Some(key.len() + 1 + i + 1);
                    break;
                }
                c => value.push(c),
            }
        }
        let Some(end) = closed else { break };
        found.push((key, value.trim().to_string()));
        rest = &rest[end..];
    }
    found
}
