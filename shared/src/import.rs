//! Responses from elsewhere — paper answer sheets read by an OMR scanner,
//! another platform's export — analysed exactly like examgate's own.
//!
//! Two CSV files (format in `docs/import-format.md`):
//!
//! - the key: one row per question, header
//!   `question,type,key,points[,options][,tolerance]`, where `type` is
//!   `single_choice`, `true_false`, `numeric`, `multiple_response` or `mark`
//!   (already marked elsewhere: cells are marks);
//! - the responses: header `candidate,<question>,<question>,…`, one row per
//!   candidate, a cell per question: `B`; `ĐSĐĐ` or `TFTT` (`-` undecided);
//!   `-1,5`; `AC`; or a mark such as `0,75`. Empty cells are unanswered.
//!
//! Every problem is reported with its line and column, nothing is guessed.

use std::collections::BTreeMap;

use crate::analysis::{Analysis, ItemKind, ItemSpec, ResponseMatrix, UNANSWERED, analyse};
use crate::answer::AnswerValue;
use crate::csv;
use crate::exam::{Body, Exam, MultiRule, OptionId, Question, QuestionId, Versioning};
use crate::numeric::Decimal;
use crate::points::{Points, Score};
use crate::results::{graded_cell, item_spec};

/// Why an import failed, with where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: {0}", file = .1)]
    Csv(csv::CsvError, &'static str),
    #[error("{file}: the file is empty")]
    Empty { file: &'static str },
    #[error("key, line {line}: {why}")]
    Key { line: usize, why: String },
    #[error("responses, line {line}, column {column}: {why}")]
    Cell {
        line: usize,
        column: usize,
        why: String,
    },
    #[error("responses: column {column} names question {name:?}, which the key does not have")]
    UnknownColumn { column: usize, name: String },
    #[error("the key is not a valid exam: {0}")]
    Invalid(String),
}

/// One item of an imported key.
#[derive(Debug, Clone, PartialEq)]
enum KeyItem {
    /// Graded here, by the shared rules.
    Question(Question),
    /// Marked elsewhere; cells are marks out of `points`.
    Mark { id: QuestionId, points: Points },
}

impl KeyItem {
    fn id(&self) -> QuestionId {
        match self {
            KeyItem::Question(q) => q.id,
            KeyItem::Mark { id, .. } => *id,
        }
    }

    fn spec(&self) -> ItemSpec {
        match self {
            KeyItem::Question(q) => item_spec(q),
            KeyItem::Mark { points, .. } => ItemSpec {
                max_milli: u16::try_from(points.milli()).unwrap_or(u16::MAX),
                kind: ItemKind::Numeric,
            },
        }
    }
}

/// An imported, graded and analysed set of responses.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Imported {
    pub candidates: Vec<String>,
    pub questions: Vec<QuestionId>,
    /// Each candidate's total, exact.
    pub totals: Vec<Score>,
    pub max: Points,
    pub analysis: Analysis,
}

fn points(text: &str) -> Option<Points> {
    let d = Decimal::parse(text).ok()?;
    if d.mantissa < 0 || d.scale > 3 {
        return None;
    }
    let milli = d.mantissa as u64 * 10u64.pow(3 - d.scale);
    u32::try_from(milli).ok().map(Points::from_milli)
}

fn letter(c: char) -> Option<OptionId> {
    let c = c.to_ascii_uppercase();
    ('A'..='H').contains(&c).then(|| OptionId(c as u8 - b'A'))
}

fn true_false(c: char) -> Option<Option<bool>> {
    match c.to_uppercase().next()? {
        'Đ' | 'T' | 'D' => Some(Some(true)),
        'S' | 'F' => Some(Some(false)),
        '-' | '_' | ' ' => Some(None),
        _ => None,
    }
}

fn parse_key(text: &str) -> Result<Vec<KeyItem>, ImportError> {
    let rows = csv::parse(text).map_err(|e| ImportError::Csv(e, "key"))?;
    let Some((header, body)) = rows.split_first() else {
        return Err(ImportError::Empty { file: "key" });
    };
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let required = |name: &str| {
        column(name).ok_or_else(|| ImportError::Key {
            line: 1,
            why: format!("no {name:?} column"),
        })
    };
    let (c_q, c_type, c_key, c_points) = (
        required("question")?,
        required("type")?,
        required("key")?,
        required("points")?,
    );
    let (c_options, c_tolerance) = (column("options"), column("tolerance"));
    let mut items = Vec::new();
    for (i, row) in body.iter().enumerate() {
        let line = i + 2;
        let field = |c: usize| row.get(c).map_or("", |s| s.trim());
        let bad = |why: String| ImportError::Key { line, why };
        let id: u32 = field(c_q)
            .parse()
            .map_err(|_| bad(format!("question {:?} is not a number", field(c_q))))?;
        let pts = points(field(c_points)).ok_or_else(|| {
            bad(format!(
                "points {:?} is not a number of points",
                field(c_points)
            ))
        })?;
        let options: usize = match c_options.map(field).filter(|s| !s.is_empty()) {
            Some(n) => n
                .parse()
                .map_err(|_| bad(format!("options {n:?} is not a number")))?,
            None => 4,
        };
        let key = field(c_key);
        let labels = || {
            (0..options)
                .map(|i| char::from(b'A' + i as u8).to_string())
                .collect()
        };
        let body = match field(c_type) {
            "mark" => {
                items.push(KeyItem::Mark {
                    id: QuestionId(id),
                    points: pts,
                });
                continue;
            }
            "single_choice" => Body::SingleChoice {
                options: labels(),
                key: key
                    .chars()
                    .next()
                    .and_then(letter)
                    .filter(|_| key.chars().count() == 1)
                    .ok_or_else(|| bad(format!("key {key:?} is not one letter A–H")))?,
                pinned: vec![],
            },
            "multiple_response" => Body::MultipleResponse {
                options: labels(),
                keys: key
                    .chars()
                    .map(letter)
                    .collect::<Option<_>>()
                    .ok_or_else(|| bad(format!("key {key:?} is not letters A–H")))?,
                pinned: vec![],
                rule: MultiRule::default(),
            },
            "true_false" => {
                let keys: Vec<bool> = key
                    .chars()
                    .map(|c| true_false(c).flatten())
                    .collect::<Option<_>>()
                    .ok_or_else(|| bad(format!("key {key:?} is not Đ/S (or T/F) per statement")))?;
                Body::TrueFalse {
                    statements: (0..keys.len())
                        .map(|i| format!("{}", (b'a' + i as u8) as char))
                        .collect(),
                    keys,
                    table: None,
                }
            }
            "numeric" => Body::Numeric {
                key: Decimal::parse(key).map_err(|e| bad(format!("key {key:?}: {e}")))?,
                tolerance: match c_tolerance.map(field).filter(|s| !s.is_empty()) {
                    Some(t) => {
                        Some(Decimal::parse(t).map_err(|e| bad(format!("tolerance {t:?}: {e}")))?)
                    }
                    None => None,
                },
            },
            other => return Err(bad(format!("unknown type {other:?}"))),
        };
        items.push(KeyItem::Question(Question {
            id: QuestionId(id),
            text: String::new(),
            points: pts,
            body,
            voided: false,
            explanation: None,
        }));
    }
    // Validate the graded part as an exam, so keys are checked by the same
    // rules as authored exams.
    let exam = Exam {
        id: "import".into(),
        title: String::new(),
        subject: String::new(),
        duration_secs: 1,
        questions: items
            .iter()
            .filter_map(|i| match i {
                KeyItem::Question(q) => Some(q.clone()),
                KeyItem::Mark { .. } => None,
            })
            .collect(),
        sections: vec![],
        versioning: Versioning::Same,
        show_answers: false,
    };
    if !exam.questions.is_empty() {
        exam.validate()
            .map_err(|e| ImportError::Invalid(e.to_string()))?;
    }
    if items.is_empty() {
        return Err(ImportError::Empty { file: "key" });
    }
    Ok(items)
}

fn parse_cell(item: &KeyItem, text: &str) -> Result<(u16, u8, Score), String> {
    let text = text.trim();
    match item {
        KeyItem::Mark { points, .. } => {
            if text.is_empty() {
                return Ok((0, UNANSWERED, Score::ZERO));
            }
            let mark = self::points(text).ok_or_else(|| format!("{text:?} is not a mark"))?;
            if mark > *points {
                return Err(format!("mark {text} is above the item's {points} points"));
            }
            let milli = u16::try_from(mark.milli()).unwrap_or(u16::MAX);
            Ok((milli, UNANSWERED, Score::from(mark)))
        }
        KeyItem::Question(q) => {
            let answer = if text.is_empty() {
                None
            } else {
                Some(match &q.body {
                    Body::SingleChoice { .. } => AnswerValue::Choice(
                        text.chars()
                            .next()
                            .and_then(letter)
                            .filter(|_| text.chars().count() == 1)
                            .ok_or_else(|| format!("{text:?} is not one letter"))?,
                    ),
                    Body::MultipleResponse { .. } => AnswerValue::Choices(
                        text.chars()
                            .map(letter)
                            .collect::<Option<_>>()
                            .ok_or_else(|| format!("{text:?} is not letters"))?,
                    ),
                    Body::TrueFalse { .. } => AnswerValue::TrueFalse(
                        text.chars()
                            .map(true_false)
                            .collect::<Option<_>>()
                            .ok_or_else(|| format!("{text:?} is not Đ/S per statement"))?,
                    ),
                    Body::Numeric { .. } => AnswerValue::Typed(text.to_owned()),
                })
            };
            if let Some(a) = &answer {
                a.check(q)
                    .map_err(|code| format!("{text:?} does not fit: {}", code.as_str()))?;
            }
            Ok(graded_cell(q, answer.as_ref()))
        }
    }
}

/// Grades and analyses `responses` against `key` (both CSV text).
pub fn import(key: &str, responses: &str) -> Result<Imported, ImportError> {
    let items = parse_key(key)?;
    let by_id: BTreeMap<u32, usize> = items
        .iter()
        .enumerate()
        .map(|(i, it)| (it.id().0, i))
        .collect();
    let rows = csv::parse(responses).map_err(|e| ImportError::Csv(e, "responses"))?;
    let Some((header, body)) = rows.split_first() else {
        return Err(ImportError::Empty { file: "responses" });
    };
    // Column → item; the first column is the candidate.
    let mut columns = Vec::new();
    for (c, name) in header.iter().enumerate().skip(1) {
        let trimmed = name.trim().trim_start_matches(['q', 'Q', 'c', 'C']);
        let item = trimmed
            .parse::<u32>()
            .ok()
            .and_then(|id| by_id.get(&id).copied())
            .ok_or_else(|| ImportError::UnknownColumn {
                column: c + 1,
                name: name.clone(),
            })?;
        columns.push((c, item));
    }
    let mut matrix = ResponseMatrix::new(items.iter().map(KeyItem::spec).collect())
        .map_err(|e| ImportError::Invalid(e.to_string()))?;
    let mut candidates = Vec::with_capacity(body.len());
    let mut totals = Vec::with_capacity(body.len());
    let mut marks = vec![0u16; items.len()];
    let mut choices = vec![UNANSWERED; items.len()];
    for (r, row) in body.iter().enumerate() {
        marks.fill(0);
        choices.fill(UNANSWERED);
        let mut total = Score::ZERO;
        for &(c, item) in &columns {
            let text = row.get(c).map_or("", String::as_str);
            let (mark, choice, score) =
                parse_cell(&items[item], text).map_err(|why| ImportError::Cell {
                    line: r + 2,
                    column: c + 1,
                    why,
                })?;
            marks[item] = mark;
            choices[item] = choice;
            total = total + score;
        }
        matrix
            .push_attempt(&marks, &choices)
            .map_err(|e| ImportError::Invalid(e.to_string()))?;
        candidates.push(row.first().cloned().unwrap_or_default());
        totals.push(total);
    }
    Ok(Imported {
        candidates,
        questions: items.iter().map(KeyItem::id).collect(),
        totals,
        max: items
            .iter()
            .map(|i| match i {
                KeyItem::Question(q) => q.points,
                KeyItem::Mark { points, .. } => *points,
            })
            .sum(),
        analysis: analyse(&matrix),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "question,type,key,points,options\n\
        1,single_choice,B,0.25,4\n\
        2,true_false,ĐSĐĐ,1,\n\
        3,numeric,\"-1,5\",0.5,\n\
        4,multiple_response,AC,1,4\n\
        5,mark,,2,\n";

    #[test]
    fn grades_and_analyses_every_kind() {
        let responses = "sbd,1,2,3,4,5\n\
            A01,B,ĐSĐĐ,-1.5,AC,2\n\
            A02,C,ĐS--,\"-1,5\",A,\"0,5\"\n\
            A03,,SSSS,7,BD,0\n";
        let imported = import(KEY, responses).unwrap();
        assert_eq!(imported.candidates, ["A01", "A02", "A03"]);
        let totals: Vec<String> = imported.totals.iter().map(|s| s.to_string()).collect();
        // A01: 0.25 + 1 + 0.5 + 1 + 2; A02: 0 + 0.25 + 0.5 + 0.5 + 0.5;
        // A03: 0 + 0.1 (one statement right: the 2nd) + 0 + 0 + 0.
        assert_eq!(totals, ["4.75", "1.75", "0.1"]);
        assert_eq!(imported.max, Points::from_milli(4750));
        assert_eq!(imported.analysis.test.attempts, 3);
        assert_eq!(imported.analysis.items.len(), 5);
    }

    #[test]
    fn problems_are_located() {
        let err = import(KEY, "sbd,1\nA01,Z\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "responses, line 2, column 2: \"Z\" is not one letter"
        );
        let err = import(KEY, "sbd,9\nA01,A\n").unwrap_err();
        assert!(
            matches!(err, ImportError::UnknownColumn { column: 2, .. }),
            "{err}"
        );
        let err = import(KEY, "sbd,3\nA01,\"1,2,3\"\n").unwrap_err();
        assert!(err.to_string().contains("invalid_answer"), "{err}");
        let err = import(KEY, "sbd,5\nA01,3\n").unwrap_err();
        assert!(err.to_string().contains("above"), "{err}");
        let err = import("question,type,key,points\n1,single_choice,K,1\n", "sbd\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "key, line 2: key \"K\" is not one letter A–H"
        );
        let err = import("question,type,points\n", "sbd\n").unwrap_err();
        assert!(err.to_string().contains("no \"key\" column"), "{err}");
    }
}
