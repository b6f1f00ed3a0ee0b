//! The interactions examgate grades, read into a question [`Body`]:
//! choice (single choice, multiple response, or a true/false cluster when
//! several two-way true/false choices share an item), match against a
//! {true, false} set (a true/false cluster), and text entry bound to a
//! number (numeric).

use std::collections::BTreeSet;

use examgate_shared::exam::{Body, OptionId};
use examgate_shared::numeric::Decimal;

use super::media::Media;
use super::scoring::{self, Declaration, Processing};
use super::text::text_of;
use super::xml::Element;

/// What the item says about scoring, shared by every interaction.
pub struct Scoring<'x> {
    pub declarations: Vec<Declaration<'x>>,
    pub processing: Processing<'x>,
}

/// A body, the prompt text that goes after the item's own text, and the
/// feedback of each option or statement (empty when there is none).
pub struct Read {
    pub body: Body,
    pub prompt: String,
    pub option_feedback: Vec<String>,
}

impl<'x> Scoring<'x> {
    fn declaration(
        &self,
        interaction: &Element,
        media: &mut Media<'_, '_>,
    ) -> Option<&Declaration<'x>> {
        let id = interaction.attr("responseIdentifier").unwrap_or("");
        let found = self.declarations.iter().find(|d| d.identifier == id);
        if found.is_none() {
            media.refuse(
                interaction.line,
                format!("the interaction's response {id:?} has no responseDeclaration"),
            );
        }
        found
    }

    /// The correct response of `declaration`, or a problem saying it is missing.
    fn correct<'d>(
        &self,
        declaration: &'d Declaration<'_>,
        media: &mut Media<'_, '_>,
    ) -> Option<&'d [String]> {
        match declaration.correct.as_deref() {
            Some(values) if !values.is_empty() => Some(values),
            _ => {
                media.refuse(
                    declaration.line,
                    format!(
                        "the response {} has no correctResponse; say which answer is right",
                        declaration.identifier
                    ),
                );
                None
            }
        }
    }
}

/// Feedback written inside each choice (`feedbackInline`), or nothing when
/// no choice has any.
fn choice_feedback(choices: &[&Element], media: &mut Media<'_, '_>) -> Vec<String> {
    let feedback: Vec<String> = choices
        .iter()
        .map(|c| {
            c.elements()
                .filter(|e| e.name == "feedbackInline")
                .map(|f| text_of(&f.children, media))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    if feedback.iter().all(String::is_empty) {
        Vec::new()
    } else {
        feedback
    }
}

fn prompt(interaction: &Element, media: &mut Media<'_, '_>) -> String {
    interaction
        .child("prompt")
        .map(|p| text_of(&p.children, media))
        .unwrap_or_default()
}

/// One choice interaction: single choice or multiple response.
pub fn choice(
    scoring: &Scoring<'_>,
    interaction: &Element,
    media: &mut Media<'_, '_>,
) -> Option<Read> {
    let declaration = scoring.declaration(interaction, media)?;
    // Pictures are collected in reading order: prompt, options, feedback.
    let prompt = prompt(interaction, media);
    let choices: Vec<&Element> = interaction
        .elements()
        .filter(|e| e.name == "simpleChoice")
        .collect();
    let ids: Vec<String> = choices
        .iter()
        .map(|c| c.attr("identifier").unwrap_or("").trim().to_string())
        .collect();
    let options: Vec<String> = choices
        .iter()
        .map(|c| text_of(&c.children, media))
        .collect();
    let option_feedback = choice_feedback(&choices, media);
    let shuffle = interaction
        .attr("shuffle")
        .is_some_and(|s| s.trim() == "true");
    // Without shuffling every choice keeps its place, as the author asked.
    let pinned: Vec<OptionId> = choices
        .iter()
        .enumerate()
        .filter(|(_, c)| !shuffle || c.attr("fixed").is_some_and(|f| f.trim() == "true"))
        .map(|(i, _)| OptionId(i as u8))
        .collect();
    let correct = scoring.correct(declaration, media)?;
    let mut keys = Vec::new();
    for value in correct {
        match ids.iter().position(|id| id == value) {
            Some(i) => keys.push(OptionId(i as u8)),
            None => {
                media.refuse(
                    declaration.line,
                    format!("the correct response {value:?} names no choice of the interaction"),
                );
                return None;
            }
        }
    }
    let body = match declaration.cardinality.as_str() {
        "single" if keys.len() == 1 => Body::SingleChoice {
            options,
            key: keys[0],
            pinned,
        },
        "single" => {
            media.refuse(
                declaration.line,
                "a single-cardinality response with several correct values",
            );
            return None;
        }
        "multiple" => match scoring::multi_rule(&scoring.processing, declaration, &ids, correct) {
            Ok(rule) => Body::MultipleResponse {
                options,
                keys: keys.into_iter().collect::<BTreeSet<_>>(),
                pinned,
                rule,
            },
            Err(why) => {
                media.refuse(declaration.line, why);
                return None;
            }
        },
        other => {
            media.refuse(
                declaration.line,
                format!(
                    "a choice response of cardinality {other:?}; examgate reads single or multiple"
                ),
            );
            return None;
        }
    };
    Some(Read {
        body,
        prompt,
        option_feedback,
    })
}

/// Whether a choice reads true or false (by identifier, else by its text).
fn truth(identifier: &str, text: &str) -> Option<bool> {
    let word = |w: &str| match w.trim().to_lowercase().as_str() {
        "true" | "đúng" | "dung" => Some(true),
        "false" | "sai" => Some(false),
        _ => None,
    };
    word(identifier).or_else(|| word(text))
}

/// The identifiers of a two-choice true/false set: `(true_id, false_id)`.
fn true_false_pair(choices: &[&Element], media: &mut Media<'_, '_>) -> Option<(String, String)> {
    let [a, b] = choices else { return None };
    let read = |c: &Element, media: &mut Media<'_, '_>| {
        let id = c.attr("identifier").unwrap_or("").trim().to_string();
        let text = text_of(&c.children, media);
        (truth(&id, &text), id)
    };
    match (read(a, media), read(b, media)) {
        ((Some(true), t), (Some(false), f)) | ((Some(false), f), (Some(true), t)) => Some((t, f)),
        _ => None,
    }
}

/// Several choice interactions, each true or false: a true/false cluster
/// whose statements are the prompts.
pub fn true_false_choices(
    scoring: &Scoring<'_>,
    interactions: &[&Element],
    media: &mut Media<'_, '_>,
) -> Option<(Vec<String>, Vec<bool>)> {
    let mut statements = Vec::new();
    let mut keys = Vec::new();
    for interaction in interactions {
        let choices: Vec<&Element> = interaction
            .elements()
            .filter(|e| e.name == "simpleChoice")
            .collect();
        let Some((true_id, false_id)) = true_false_pair(&choices, media) else {
            media.refuse(
                interaction.line,
                "several choice interactions in one item are read only as a true/false \
                 cluster, where each has exactly two choices, true and false (đúng, sai); \
                 put other questions in items of their own",
            );
            return None;
        };
        let declaration = scoring.declaration(interaction, media)?;
        let correct = scoring.correct(declaration, media)?;
        let key = match correct {
            [v] if *v == true_id => true,
            [v] if *v == false_id => false,
            _ => {
                media.refuse(
                    declaration.line,
                    "the correct response of a true/false statement must be its true or its \
                     false choice",
                );
                return None;
            }
        };
        let statement = prompt(interaction, media);
        if statement.is_empty() {
            media.refuse(interaction.line, "a true/false statement without a prompt");
            return None;
        }
        statements.push(statement);
        keys.push(key);
    }
    Some((statements, keys))
}

/// A match interaction pairing statements with a {true, false} set.
pub fn true_false_match(
    scoring: &Scoring<'_>,
    interaction: &Element,
    media: &mut Media<'_, '_>,
) -> Option<Read> {
    let prompt = prompt(interaction, media);
    let sets: Vec<Vec<&Element>> = interaction
        .elements()
        .filter(|e| e.name == "simpleMatchSet")
        .map(|set| {
            set.elements()
                .filter(|c| c.name == "simpleAssociableChoice")
                .collect()
        })
        .collect();
    let not_true_false = "a match interaction is read only as a true/false cluster: one set \
                          of statements and one set of exactly two choices, true and false";
    let [first, second] = sets.as_slice() else {
        media.refuse(interaction.line, not_true_false);
        return None;
    };
    let (statements, (true_id, false_id)) = match true_false_pair(second, media) {
        Some(pair) => (first, pair),
        None => match true_false_pair(first, media) {
            Some(pair) => (second, pair),
            None => {
                media.refuse(interaction.line, not_true_false);
                return None;
            }
        },
    };
    let declaration = scoring.declaration(interaction, media)?;
    let pairs: Vec<Vec<String>> = scoring
        .correct(declaration, media)?
        .iter()
        .map(|v| v.split_whitespace().map(str::to_string).collect())
        .collect();
    let mut texts = Vec::new();
    let mut keys = Vec::new();
    let mut feedback = Vec::new();
    for statement in statements {
        let id = statement.attr("identifier").unwrap_or("").trim();
        let answers: Vec<bool> = pairs
            .iter()
            .filter(|pair| pair.iter().any(|p| p == id))
            .filter_map(|pair| {
                pair.iter().find_map(|p| {
                    (*p == true_id)
                        .then_some(true)
                        .or((*p == false_id).then_some(false))
                })
            })
            .collect();
        let [key] = answers.as_slice() else {
            media.refuse(
                declaration.line,
                format!(
                    "statement {id:?} needs exactly one correct pair with the true or the false \
                     choice"
                ),
            );
            return None;
        };
        texts.push(text_of(&statement.children, media));
        keys.push(*key);
        feedback.push(*statement);
    }
    let option_feedback = choice_feedback(&feedback, media);
    Some(Read {
        body: Body::TrueFalse {
            statements: texts,
            keys,
            table: None,
        },
        prompt,
        option_feedback,
    })
}

/// A text entry bound to a number.
pub fn numeric(
    scoring: &Scoring<'_>,
    interaction: &Element,
    media: &mut Media<'_, '_>,
) -> Option<Read> {
    let declaration = scoring.declaration(interaction, media)?;
    if !matches!(declaration.base_type.as_str(), "float" | "integer")
        || declaration.cardinality != "single"
    {
        media.refuse(
            declaration.line,
            format!(
                "a text entry of base type {:?} ({}); examgate grades typed answers only as \
                 numbers (float or integer, single)",
                declaration.base_type, declaration.cardinality
            ),
        );
        return None;
    }
    let [value] = scoring.correct(declaration, media)? else {
        media.refuse(
            declaration.line,
            "a numeric answer needs exactly one correct value",
        );
        return None;
    };
    let key = match Decimal::parse(value) {
        Ok(key) => key,
        Err(e) => {
            media.refuse(
                declaration.line,
                format!("the correct value {value:?} is not a plain decimal number ({e})"),
            );
            return None;
        }
    };
    let tolerance = match scoring::tolerance(&scoring.processing, interaction.line) {
        Ok(t) => t,
        Err((line, why)) => {
            media.refuse(line, why);
            return None;
        }
    };
    Some(Read {
        body: Body::Numeric { key, tolerance },
        prompt: prompt(interaction, media),
        option_feedback: Vec::new(),
    })
}
