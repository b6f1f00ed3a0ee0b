//! From laid-out questions to bank items: the kind (from the part or the
//! shape), the key (answer table and marks, see [`super::keys`]), texts with
//! labels stripped, the worked solution and the pictures referred to.

use std::collections::HashMap;

use examgate_shared::bank::{Item, KeyMarking, Position, Problem};
use examgate_shared::exam::{Body, OptionId};
use examgate_shared::numeric::Decimal;

use super::answers::Answer;
use super::keys::{self, Marked};
use super::layout::{Layout, Piece, Question};
use super::walk::Document;
use crate::Imported;

fn at(paragraph: u32) -> Position {
    Position::Paragraph { paragraph }
}

fn part_name(part: u8) -> &'static str {
    [
        "",
        " of Part I",
        " of Part II",
        " of Part III",
        " of Part IV",
    ][usize::from(part.min(4))]
}

fn join(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(Piece::text)
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Items from the layout, or every problem.
pub fn items(doc: &Document, layout: Layout) -> Result<Imported, Vec<Problem>> {
    let mut problems = doc.problems.clone();
    let mut notes = Vec::new();
    for (paragraph, why) in &layout.problems {
        problems.push(Problem::new(at(*paragraph), why.clone()));
    }
    if layout.questions.len() > crate::limits::MAX_QUESTIONS {
        problems.push(crate::limits::too_many_questions(Position::File));
        return Err(problems);
    }
    // Which question each (part, number) names.
    let mut index: HashMap<(u8, u32), Vec<usize>> = HashMap::new();
    for (i, q) in layout.questions.iter().enumerate() {
        index.entry((q.part, q.number)).or_default().push(i);
    }
    let find = |part: Option<u8>, number: u32, kind: u8| -> Result<usize, String> {
        let part = part.unwrap_or(if layout.has_parts { kind } else { 0 });
        match index.get(&(part, number)).map(Vec::as_slice) {
            Some([one]) => Ok(*one),
            Some(_) => Err(format!(
                "question {number}{} appears more than once, so this answer cannot be matched; number the questions uniquely",
                part_name(part)
            )),
            None => Err(format!(
                "the answer key gives an answer for question {number}{}, which is not in the file",
                part_name(part)
            )),
        }
    };
    let mut table: HashMap<usize, (Answer, u32)> = HashMap::new();
    for (part, entry) in &layout.answers {
        match find(*part, entry.number, entry.answer.part()) {
            Ok(i) => {
                if table.get(&i).is_some_and(|(a, _)| *a != entry.answer) {
                    problems.push(Problem::new(
                        at(entry.paragraph),
                        format!(
                            "the answer key gives question {} two different answers",
                            entry.number
                        ),
                    ));
                }
                table.insert(i, (entry.answer.clone(), entry.paragraph));
            }
            Err(why) => problems.push(Problem::new(at(entry.paragraph), why)),
        }
    }
    let mut solutions: HashMap<usize, Vec<String>> = HashMap::new();
    for ((part, number), (paragraph, text)) in &layout.solutions {
        let matches: Vec<usize> = layout
            .questions
            .iter()
            .enumerate()
            .filter(|(_, q)| q.number == *number && part.is_none_or(|p| p == q.part))
            .map(|(i, _)| i)
            .collect();
        match matches.as_slice() {
            [one] => {
                solutions.insert(*one, text.clone());
            }
            [] => problems.push(Problem::new(at(*paragraph), format!("a solution for question {number}, which is not in the file"))),
            _ => problems.push(Problem::new(
                at(*paragraph),
                format!("the solution for question {number} matches several questions; put it under its PHẦN heading"),
            )),
        }
    }
    let mut items = Vec::new();
    for (i, q) in layout.questions.iter().enumerate() {
        for (paragraph, why) in &q.problems {
            problems.push(Problem::new(at(*paragraph), why.clone()));
        }
        match item(doc, q, table.get(&i), solutions.remove(&i), &mut notes) {
            Ok(item) => items.push(item),
            Err((paragraph, why)) => problems.push(Problem::new(at(paragraph), why)),
        }
    }
    if layout.questions.is_empty() && problems.is_empty() {
        problems.push(Problem::new(
            Position::File,
            "no questions found: start each question with \"Câu 1.\", \"Câu 2.\" … and its options with A. B. C. D.",
        ));
    }
    // Refusals inside paragraphs (equations, pictures) count everywhere.
    for block in &doc.blocks {
        let paragraphs: Vec<&super::walk::Paragraph> = match block {
            super::walk::Block::Paragraph(p) => vec![p],
            super::walk::Block::Table(rows) => rows.iter().flatten().flatten().collect(),
        };
        for p in paragraphs {
            problems.extend(
                p.refusals
                    .iter()
                    .map(|why| Problem::new(at(p.number), why.clone())),
            );
        }
    }
    if problems.is_empty() {
        Ok(Imported { items, notes })
    } else {
        problems.sort_by(|a, b| a.at.cmp(&b.at));
        Err(problems)
    }
}

fn with_continuation(first: &Piece, more: &[Piece]) -> String {
    let mut all = vec![first.clone()];
    all.extend(more.iter().cloned());
    join(&all)
}

fn item(
    doc: &Document,
    q: &Question,
    table: Option<&(Answer, u32)>,
    solution: Option<Vec<String>>,
    notes: &mut Vec<Problem>,
) -> Result<Item, (u32, String)> {
    let cluster = q.part == 2 || (q.part == 0 && !q.statements.is_empty() && q.options.is_empty());
    let numeric = !cluster && (q.part == 3 || (q.options.is_empty() && q.statements.is_empty()));
    let wrong_kind = |what: &str| {
        (
            table.map_or(q.start, |t| t.1),
            format!(
                "the answer key gives {what} for question {}{}, which is not that kind of question",
                q.number,
                part_name(q.part)
            ),
        )
    };
    let (body, marking) = if cluster {
        if q.statements.is_empty() {
            return Err((
                q.start,
                "a Part II question needs statements a), b), c), d)".into(),
            ));
        }
        let marked: Vec<Marked> = q
            .statements
            .iter()
            .map(|(piece, label)| Marked {
                paragraph: piece.paragraph,
                label: label.clone(),
                text: piece.range.clone(),
                asterisk: false,
            })
            .collect();
        let truth = match table {
            Some((Answer::Truth(t), _)) => Some(t.as_slice()),
            Some(_) => return Err(wrong_kind("an option letter or number")),
            None => None,
        };
        let statements: Vec<String> = q
            .statements
            .iter()
            .zip(&q.continuation)
            .map(|((p, _), more)| with_continuation(p, more))
            .collect();
        // The 2025 format scores a cluster by how many of its four
        // statements are right; other counts have no table to score by.
        if statements.len() != 4 {
            return Err((
                q.start,
                format!(
                    "a true/false question (Part II) needs exactly four statements a) b) c) d); this one has {}",
                    statements.len()
                ),
            ));
        }
        let (keys, marking) = match keys::cluster(&marked, truth).map_err(|why| (q.start, why))? {
            Some((keys, marking)) => (keys, Some(marking)),
            None => {
                notes.push(Problem::new(
                    at(q.start),
                    "no statement is marked true, so all are taken as false",
                ));
                (vec![false; statements.len()], None)
            }
        };
        (
            Body::TrueFalse {
                statements,
                keys,
                table: None,
            },
            marking,
        )
    } else if numeric {
        let from_table = match table {
            Some((Answer::Number(n), _)) => Some((n.clone(), KeyMarking::AnswerTable)),
            Some(_) => return Err(wrong_kind("an option letter or Đ/S row")),
            None => None,
        };
        let inline = q
            .inline_answer
            .as_ref()
            .map(|(v, _)| (v.clone(), KeyMarking::Format));
        let parsed: Vec<(Decimal, KeyMarking, String)> = [from_table, inline]
            .into_iter()
            .flatten()
            .filter_map(|(text, m)| Decimal::parse(&text).ok().map(|d| (d, m, text)))
            .collect();
        let Some((key, marking, _)) = parsed.first().cloned() else {
            if q.part == 3 {
                return Err((q.start, "no answer for this short-answer question: add a line \"Đáp án: …\" under it or an answer table".into()));
            }
            return Err((
                q.start,
                "no options A. B. C. D. and no statements a) b) c) d) found for this question"
                    .into(),
            ));
        };
        if let Some((_, m, text)) = parsed.iter().find(|(d, _, _)| {
            !d.matches(
                key,
                Decimal {
                    mantissa: 0,
                    scale: 0,
                },
            )
        }) {
            return Err((
                q.start,
                format!(
                    "the key marks disagree ({} says {}, {} says {text})",
                    keys::name(marking),
                    parsed[0].2,
                    keys::name(*m)
                ),
            ));
        }
        (
            Body::Numeric {
                key,
                tolerance: None,
            },
            Some(marking),
        )
    } else {
        if q.options.len() < 2 {
            return Err((
                q.start,
                format!(
                    "only {} option; a question needs 2 to 8 (A. B. C. D.)",
                    q.options.len()
                ),
            ));
        }
        let letter = match table {
            Some((Answer::Letter(l), _)) => Some(*l),
            Some(_) => return Err(wrong_kind("a Đ/S row or number")),
            None => None,
        };
        let marked: Vec<Marked> = q
            .options
            .iter()
            .map(|(p, o)| Marked::option(p.paragraph, o))
            .collect();
        let (key, marking) = keys::choice(&marked, letter).map_err(|why| (q.start, why))?;
        let options: Vec<String> = q
            .options
            .iter()
            .zip(&q.continuation)
            .map(|((p, _), more)| with_continuation(p, more))
            .collect();
        (
            Body::SingleChoice {
                options,
                key: OptionId(key),
                pinned: Vec::new(),
            },
            Some(marking),
        )
    };
    let mut item = Item::new(join(&q.stem), body);
    item.explanation = solution
        .into_iter()
        .chain(Some(q.explanation.clone()))
        .flatten()
        .collect::<Vec<_>>()
        .join("\n")
        .into();
    if item.explanation.as_deref() == Some("") {
        item.explanation = None;
    }
    item.marking = marking;
    item.source = Some(at(q.start));
    attach_images(doc, &mut item);
    item.check().map_err(|why| (q.start, why))?;
    Ok(item)
}

/// Puts every picture the texts refer to into the item, once each, in
/// order of first reference.
fn attach_images(doc: &Document, item: &mut Item) {
    let mut texts = vec![item.text.clone()];
    texts.extend(item.body.options().iter().cloned());
    if let Body::TrueFalse { statements, .. } = &item.body {
        texts.extend(statements.iter().cloned());
    }
    texts.extend(item.explanation.clone());
    for text in texts {
        for (i, _) in text.match_indices("](image:") {
            let name: String = text[i + 8..].chars().take_while(|c| *c != ')').collect();
            if let Some(image) = doc.images.get(&name)
                && !item.images.iter().any(|i| i.name == name)
            {
                item.images.push(image.clone());
            }
        }
    }
}
