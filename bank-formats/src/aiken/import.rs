//! Reading an Aiken file line by line.

use examgate_shared::bank::{Item, KeyMarking, Position, Problem};
use examgate_shared::exam::{Body, MAX_OPTIONS, MIN_OPTIONS, OptionId};

use crate::{ImportResult, Imported, limits};

/// A question read so far.
struct Open {
    line: u32,
    text: String,
    options: Vec<String>,
}

/// Reads a whole Aiken file: every question, or every problem.
pub fn import(text: &str) -> ImportResult {
    let mut items = Vec::new();
    let mut problems = Vec::new();
    let mut open: Option<Open> = None;
    // After a refused question its remaining lines are not reported again.
    let mut skipping = false;
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    for (index, raw) in normalised.split('\n').enumerate() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let at = Position::Line { line: number };
        let line = raw.trim();
        if line.chars().count() < 2 {
            continue;
        }
        if let Some(option) = option_text(line) {
            match open.as_mut() {
                Some(question) => question.options.push(option.to_string()),
                None if skipping => {}
                None => problems.push(Problem::new(
                    at,
                    "an option line before any question (a question line comes first)",
                )),
            }
            continue;
        }
        if line
            .get(..7)
            .is_some_and(|w| w.eq_ignore_ascii_case("ANSWER:"))
        {
            match open.take() {
                Some(question) => match answer(question, &line[7..], &at) {
                    Ok(item) => items.push(item),
                    Err(problem) => {
                        problems.push(problem);
                        skipping = true;
                    }
                },
                None if skipping => {}
                None => problems.push(Problem::new(at, "an ANSWER line before any question")),
            }
            continue;
        }
        if let Some(unfinished) = open.take() {
            problems.push(no_answer(&unfinished));
        }
        if items.len() + problems.len() >= limits::MAX_QUESTIONS {
            problems.push(limits::too_many_questions(at));
            break;
        }
        skipping = false;
        open = Some(Open {
            line: number,
            text: line.to_string(),
            options: Vec::new(),
        });
    }
    if let Some(unfinished) = open {
        problems.push(no_answer(&unfinished));
    }
    if problems.is_empty() {
        Ok(Imported {
            items,
            notes: Vec::new(),
        })
    } else {
        Err(problems)
    }
}

fn no_answer(question: &Open) -> Problem {
    Problem::new(
        Position::Line {
            line: question.line,
        },
        "the question has no ANSWER line (a question's text must be one line, followed by \
         its options and ANSWER: X)",
    )
}

/// The text of an option line `A) text`, `B.text`, else `None`.
fn option_text(line: &str) -> Option<&str> {
    let mut chars = line.chars();
    let letter = chars.next()?;
    let marker = chars.next()?;
    if letter.is_ascii_uppercase() && matches!(marker, ')' | '.') {
        Some(line[2..].trim())
    } else {
        None
    }
}

/// The question closed by `ANSWER:` + `rest`.
fn answer(question: Open, rest: &str, at: &Position) -> Result<Item, Problem> {
    let refuse = |why: String| Err(Problem::new(at.clone(), why));
    let count = question.options.len();
    if !(MIN_OPTIONS..=MAX_OPTIONS).contains(&count) {
        return refuse(format!(
            "{count} options; a question needs {MIN_OPTIONS} to {MAX_OPTIONS}"
        ));
    }
    let letter = rest.trim().chars().next();
    let last = OptionId(u8::try_from(count - 1).unwrap_or(0)).letter();
    let key = match letter {
        Some(c @ 'A'..='Z') if (c as usize - 'A' as usize) < count => c as u8 - b'A',
        Some(c @ 'a'..='z') => {
            return refuse(format!(
                "write the answer letter in capitals (ANSWER: {}); Moodle would mark no option right",
                c.to_ascii_uppercase()
            ));
        }
        Some(c) => {
            return refuse(format!(
                "the answer {c:?} is not one of the options A to {last}"
            ));
        }
        None => return refuse(format!("ANSWER: names no option (A to {last})")),
    };
    let mut item = Item::new(
        question.text,
        Body::SingleChoice {
            options: question.options,
            key: OptionId(key),
            pinned: vec![],
        },
    );
    item.marking = Some(KeyMarking::Format);
    item.source = Some(Position::Line {
        line: question.line,
    });
    item.check()
        .map_err(|why| Problem::new(item.source.clone().unwrap_or(Position::File), why))?;
    Ok(item)
}
