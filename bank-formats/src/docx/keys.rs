//! Which option is the key, from the marks a teacher used: an answer
//! table, `*`, underline, bold, red text, highlight or shading.
//!
//! A formatting mark counts only when it tells options apart: bold on
//! every option is the paragraph's style, not a key. Every convention that
//! marks something must agree; the one recorded is the answer table when it
//! is among them, else the first in the order above.

use examgate_shared::bank::KeyMarking;

use super::lines::OptionPiece;
use super::styles::Format;
use super::walk::Paragraph;

/// An option or statement as marked in the file.
pub struct Marked<'a> {
    pub paragraph: &'a Paragraph,
    pub label: std::ops::Range<usize>,
    pub text: std::ops::Range<usize>,
    pub asterisk: bool,
}

impl<'a> Marked<'a> {
    pub fn option(paragraph: &'a Paragraph, piece: &OptionPiece) -> Marked<'a> {
        Marked {
            paragraph,
            label: piece.label.clone(),
            text: piece.text.clone(),
            asterisk: piece.asterisk,
        }
    }

    /// Whether the label, or all of the text, carries `has`.
    fn has(&self, has: Test) -> bool {
        let label = self.paragraph.formats(self.label.clone());
        let text = self.paragraph.formats(self.text.clone());
        (!label.is_empty() && label.iter().all(has)) || (!text.is_empty() && text.iter().all(has))
    }
}

/// Whether one character's format carries a mark.
type Test = fn(&Format) -> bool;

const FORMATTING: [(KeyMarking, &str, Test); 4] = [
    (KeyMarking::Underline, "underlined", |f| f.underline),
    (KeyMarking::Bold, "bold", |f| f.bold),
    (KeyMarking::RedText, "red", |f| f.red),
    (KeyMarking::Highlight, "highlighted", |f| f.highlight),
];

pub fn name(marking: KeyMarking) -> &'static str {
    match marking {
        KeyMarking::AnswerTable => "the answer table",
        KeyMarking::Asterisk => "*",
        KeyMarking::Underline => "underline",
        KeyMarking::Bold => "bold",
        KeyMarking::RedText => "red text",
        KeyMarking::Highlight => "highlight",
        KeyMarking::Format => "the \"Đáp án:\" line",
    }
}

fn letters(set: &[usize]) -> String {
    let names: Vec<String> = set.iter().map(|i| letter(*i).to_string()).collect();
    names.join(" and ")
}

/// Option `index` as its letter, for messages: `A` … `Z`, then `?` (a
/// line of options can be repeated without end, so the index is not
/// bounded; such a question is refused for its number of options).
pub(super) fn letter(index: usize) -> char {
    u8::try_from(index)
        .ok()
        .filter(|i| *i < 26)
        .map_or('?', |i| char::from(b'A' + i))
}

/// The key of a single-choice question: `table` is the answer table's
/// letter, if any.
pub fn choice(options: &[Marked], table: Option<u8>) -> Result<(u8, KeyMarking), String> {
    let mut found: Vec<(KeyMarking, u8)> = Vec::new();
    if let Some(k) = table {
        found.push((KeyMarking::AnswerTable, k));
    }
    let starred: Vec<usize> = (0..options.len())
        .filter(|i| options[*i].asterisk)
        .collect();
    match starred.as_slice() {
        [] => {}
        [one] => found.push((KeyMarking::Asterisk, *one as u8)),
        many => {
            return Err(format!(
                "options {} both carry *; a single-choice question has one key",
                letters(many)
            ));
        }
    }
    for (marking, adjective, has) in FORMATTING {
        let marked: Vec<usize> = (0..options.len())
            .filter(|i| options[*i].has(has))
            .collect();
        match marked.len() {
            0 => {}
            1 => found.push((marking, marked[0] as u8)),
            n if n == options.len() => {}
            _ => {
                return Err(format!(
                    "options {} are all {adjective}; mark only the right option",
                    letters(&marked)
                ));
            }
        }
    }
    let Some(&(first, key)) = found.first() else {
        return Err(
            "no option is marked as the key: underline it, make it bold, red or \
                    highlighted, put * before its letter, or add an answer table"
                .into(),
        );
    };
    if found.iter().any(|(_, k)| *k != key) {
        let said: Vec<String> = found
            .iter()
            .map(|(m, k)| format!("{} says {}", name(*m), letter(usize::from(*k))))
            .collect();
        return Err(format!(
            "the key marks disagree ({}); mark the key one way",
            said.join(", ")
        ));
    }
    Ok((key, first))
}

fn truth_row(keys: &[bool]) -> String {
    keys.iter()
        .map(|k| if *k { "Đ" } else { "S" })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The keys of a true/false cluster; `Ok(None)` when nothing marks any
/// statement (all false, with a note).
pub fn cluster(
    statements: &[Marked],
    table: Option<&[bool]>,
) -> Result<Option<(Vec<bool>, KeyMarking)>, String> {
    let mut found: Vec<(KeyMarking, Vec<bool>)> = Vec::new();
    if let Some(t) = table {
        if t.len() != statements.len() {
            return Err(format!(
                "the answer table gives {} true/false values for {} statements",
                t.len(),
                statements.len()
            ));
        }
        found.push((KeyMarking::AnswerTable, t.to_vec()));
    }
    let starred: Vec<bool> = statements.iter().map(|s| s.asterisk).collect();
    if starred.contains(&true) {
        found.push((KeyMarking::Asterisk, starred));
    }
    for (marking, _, has) in FORMATTING {
        let marked: Vec<bool> = statements.iter().map(|s| s.has(has)).collect();
        let count = marked.iter().filter(|m| **m).count();
        if count > 0 && count < statements.len() {
            found.push((marking, marked));
        }
    }
    let Some((first, keys)) = found.first().cloned() else {
        return Ok(None);
    };
    if found.iter().any(|(_, k)| *k != keys) {
        let said: Vec<String> = found
            .iter()
            .map(|(m, k)| format!("{} says {}", name(*m), truth_row(k)))
            .collect();
        return Err(format!(
            "the key marks disagree ({}); mark the true statements one way",
            said.join(", ")
        ));
    }
    Ok(Some((keys, first)))
}
