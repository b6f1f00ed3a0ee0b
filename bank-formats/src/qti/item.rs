//! One QTI item file (2.1, 2.2 or 3.0) read into a bank [`Item`]: the
//! question text (item body outside the interaction, then the prompt), the
//! body from the interaction, the title and identifier, and the solution
//! (modal feedback or feedback block called `solution`) as explanation.

use examgate_shared::bank::{Item, KeyMarking};
use examgate_shared::exam::Body;

use super::interactions::{self, Read, Scoring};
use super::media::Media;
use super::names::{self, ITEM_NAMESPACES};
use super::scoring::{Declaration, Processing};
use super::text::{is_interaction, text_of};
use super::xml::{self, Element};

/// The outcome that carries a true/false cluster's score table (per mille
/// for 0..=n right statements) when it is not the 2025 one.
pub const TABLE_OUTCOME: &str = "EXAMGATE_TRUE_FALSE_TABLE";

/// Reads one item file; `None` when it had problems (recorded in `media`).
pub fn read(bytes: &[u8], media: &mut Media<'_, '_>) -> Option<Item> {
    let mut root = match xml::parse(bytes) {
        Ok(root) => root,
        Err(e) => {
            media.refuse(e.line, e.why);
            return None;
        }
    };
    names::canonicalise(&mut root);
    if root.name != "assessmentItem" || !ITEM_NAMESPACES.contains(&root.ns.as_str()) {
        media.refuse(
            root.line,
            format!(
                "<{}> is not a QTI 2.1, 2.2 or 3.0 item (assessmentItem or \
                 qti-assessment-item in the QTI item namespace)",
                root.name
            ),
        );
        return None;
    }
    let before = media.problems.len();
    let item = build(&root, media)?;
    if media.problems.len() > before {
        return None;
    }
    match item.check() {
        Ok(()) => Some(item),
        Err(why) => {
            media.refuse(root.line, why);
            None
        }
    }
}

fn build(root: &Element, media: &mut Media<'_, '_>) -> Option<Item> {
    let Some(item_body) = root.child("itemBody") else {
        media.refuse(root.line, "the item has no item body");
        return None;
    };
    let scoring = Scoring {
        declarations: root
            .elements()
            .filter(|e| e.name == "responseDeclaration")
            .map(Declaration::read)
            .collect(),
        processing: Processing::read(root),
    };
    let mut found = Vec::new();
    find_interactions(item_body, &mut found);
    let stem = text_of(&item_body.children, media);
    let read = body(root, &scoring, &found, media)?;
    let text = [stem, read.prompt]
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    let mut item = Item::new(text, read.body);
    item.option_feedback = read.option_feedback;
    item.title = root
        .attr("title")
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    item.meta.external_id = root.attr("identifier").map(|i| i.trim().to_string());
    item.explanation = explanation(root, item_body, media);
    item.images = std::mem::take(&mut media.images);
    item.marking = Some(KeyMarking::Format);
    item.source = Some(media.place.at(root.line));
    Some(item)
}

/// Interactions in document order (an interaction's own content is not
/// searched: prompts hold none).
fn find_interactions<'x>(element: &'x Element, out: &mut Vec<&'x Element>) {
    for child in element.elements() {
        if is_interaction(child) {
            out.push(child);
        } else {
            find_interactions(child, out);
        }
    }
}

fn body(
    root: &Element,
    scoring: &Scoring<'_>,
    found: &[&Element],
    media: &mut Media<'_, '_>,
) -> Option<Read> {
    let unsupported: Vec<&&Element> = found
        .iter()
        .filter(|i| {
            !matches!(
                i.name.as_str(),
                "choiceInteraction" | "matchInteraction" | "textEntryInteraction"
            )
        })
        .collect();
    for interaction in &unsupported {
        media.refuse(
            interaction.line,
            format!(
                "a {} is not a kind of question examgate grades (single choice, multiple \
                 response, true/false, numeric)",
                interaction.name
            ),
        );
    }
    if !unsupported.is_empty() {
        return None;
    }
    let all_choices = found.iter().all(|i| i.name == "choiceInteraction");
    match found {
        [] => {
            media.refuse(
                root.line,
                "the item has no interaction, so nothing to answer",
            );
            None
        }
        [one] if one.name == "choiceInteraction" => interactions::choice(scoring, one, media),
        [one] if one.name == "textEntryInteraction" => interactions::numeric(scoring, one, media),
        [one] => {
            let mut read = interactions::true_false_match(scoring, one, media)?;
            if let Body::TrueFalse {
                statements,
                table: t,
                ..
            } = &mut read.body
            {
                *t = table(root, statements.len(), media)?;
            }
            Some(read)
        }
        several if all_choices => {
            let (statements, keys) = interactions::true_false_choices(scoring, several, media)?;
            let table = table(root, statements.len(), media)?;
            Some(Read {
                body: Body::TrueFalse {
                    statements,
                    keys,
                    table,
                },
                prompt: String::new(),
                option_feedback: Vec::new(),
            })
        }
        [_, second, ..] => {
            media.refuse(
                second.line,
                "more than one interaction in an item; examgate reads one question per item \
                 (several true/false choices form one cluster)",
            );
            None
        }
    }
}

/// The score table of a true/false cluster: the one the item carries, the
/// 2025 table for four statements, else in proportion to right statements.
fn table(root: &Element, statements: usize, media: &mut Media<'_, '_>) -> Option<Option<Vec<u16>>> {
    let declared = root
        .elements()
        .find(|e| e.name == "outcomeDeclaration" && e.attr("identifier") == Some(TABLE_OUTCOME));
    if let Some(declared) = declared {
        let values: Option<Vec<u16>> = declared
            .child("defaultValue")
            .map(|d| d.elements().map(|v| v.text().trim().parse().ok()).collect())
            .unwrap_or(None);
        return match values {
            Some(values) => Some(Some(values)),
            None => {
                media.refuse(
                    declared.line,
                    format!("{TABLE_OUTCOME} must list whole numbers (per mille)"),
                );
                None
            }
        };
    }
    if statements == 4 {
        return Some(None);
    }
    let proportional: Vec<u16> = (0..=statements)
        .map(|right| ((right * 1000 + statements / 2) / statements.max(1)) as u16)
        .collect();
    let at = media.place.at(root.line);
    media.notes.push(examgate_shared::bank::Problem::new(
        at,
        format!(
            "a true/false cluster of {statements} statements is scored in proportion to the \
             statements right (the 2025 table is for four)"
        ),
    ));
    Some(Some(proportional))
}

/// The solution: modal feedback or a feedback block whose identifier is
/// `solution` (any case); several are joined line by line.
fn explanation(root: &Element, item_body: &Element, media: &mut Media<'_, '_>) -> Option<String> {
    let mut blocks: Vec<&Element> = Vec::new();
    item_body.descendants("feedbackBlock", &mut blocks);
    blocks.extend(root.elements().filter(|e| e.name == "modalFeedback"));
    let solutions: Vec<String> = blocks
        .into_iter()
        .filter(|b| {
            b.attr("identifier")
                .is_some_and(|i| i.trim().eq_ignore_ascii_case("solution"))
        })
        .map(|b| text_of(&b.children, media))
        .filter(|t| !t.is_empty())
        .collect();
    (!solutions.is_empty()).then(|| solutions.join("\n"))
}
