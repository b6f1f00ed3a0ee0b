//! The paper's layout: walks the lines of the document once and sorts
//! them into questions (stem, options or statements, inline solution and
//! "Đáp án:" line), answer-key entries and a worked-solutions section.
//!
//! Modes follow the paper: questions until "HẾT" or an answer heading, then
//! answers, then solutions after a "Lời giải" heading. "PHẦN I/II/III"
//! headings set the part in every mode, because 2025 papers number each
//! part's questions from 1.

use std::collections::BTreeMap;
use std::ops::Range;

use super::answers::{self, Answer, Entry};
use super::keys;
use super::lines::{self, OptionPiece, Starter};
use super::walk::{Block, Paragraph};

/// A piece of a paragraph's text.
#[derive(Clone)]
pub struct Piece<'a> {
    pub paragraph: &'a Paragraph,
    pub range: Range<usize>,
}

impl Piece<'_> {
    pub fn text(&self) -> &str {
        self.paragraph
            .text
            .get(self.range.clone())
            .unwrap_or("")
            .trim()
    }
}

/// A question as laid out, before its key is decided.
pub struct Question<'a> {
    pub part: u8,
    pub number: u32,
    pub start: u32,
    pub stem: Vec<Piece<'a>>,
    pub options: Vec<(Piece<'a>, OptionPiece)>,
    /// Statement pieces cover the text; the label range is kept apart.
    pub statements: Vec<(Piece<'a>, Range<usize>)>,
    /// Text appended to the last option or statement (its next lines).
    pub continuation: Vec<Vec<Piece<'a>>>,
    pub explanation: Vec<String>,
    pub inline_answer: Option<(String, u32)>,
    pub problems: Vec<(u32, String)>,
    in_solution: bool,
}

/// Everything the layout found.
#[derive(Default)]
pub struct Layout<'a> {
    pub questions: Vec<Question<'a>>,
    /// `(part, entry)`; part 0 in papers without parts, `None` when the
    /// answer area named no part.
    pub answers: Vec<(Option<u8>, Entry)>,
    /// Worked solutions by `(part, number)`, with the paragraph of the
    /// "Câu N" subheading.
    pub solutions: BTreeMap<(Option<u8>, u32), (u32, Vec<String>)>,
    pub problems: Vec<(u32, String)>,
    pub has_parts: bool,
}

#[derive(PartialEq)]
enum Mode {
    Questions,
    Essay,
    Answers,
    Solutions,
}

struct Scanner<'a> {
    out: Layout<'a>,
    mode: Mode,
    part: u8,
    answer_part: Option<u8>,
    starter: Option<Starter>,
    solution_target: Option<(Option<u8>, u32)>,
}

pub fn scan(blocks: &[Block]) -> Layout<'_> {
    let mut s = Scanner {
        out: Layout::default(),
        mode: Mode::Questions,
        part: 0,
        answer_part: None,
        starter: None,
        solution_target: None,
    };
    for block in blocks {
        match block {
            Block::Paragraph(p) => s.paragraph(p),
            Block::Table(rows) if answers::is_answer_table(rows) => {
                let (entries, bad) = answers::table(rows);
                let part = s.answer_part_now();
                s.out.answers.extend(entries.into_iter().map(|e| (part, e)));
                s.out.problems.extend(bad);
            }
            Block::Table(rows) => {
                for p in rows.iter().flatten().flatten() {
                    s.paragraph(p);
                }
            }
        }
    }
    s.out
}

impl<'a> Scanner<'a> {
    fn answer_part_now(&self) -> Option<u8> {
        if self.mode == Mode::Questions || self.mode == Mode::Essay {
            Some(self.part)
        } else {
            self.answer_part
        }
    }

    fn paragraph(&mut self, p: &'a Paragraph) {
        let mut at = 0;
        for line in p.text.split('\n') {
            let range = at..at + line.len();
            at += line.len() + 1;
            if !line.trim().is_empty() {
                self.line(Piece {
                    paragraph: p,
                    range,
                });
            }
        }
    }

    fn line(&mut self, piece: Piece<'a>) {
        let text = piece.text();
        let number = piece.paragraph.number;
        if let Some(part) = lines::part_heading(text) {
            self.out.has_parts = true;
            match self.mode {
                Mode::Questions | Mode::Essay if part == 4 => {
                    self.mode = Mode::Essay;
                    self.out.problems.push((
                        number,
                        "essay questions (Phần IV / tự luận) cannot be imported; remove this part"
                            .into(),
                    ));
                }
                Mode::Questions | Mode::Essay => {
                    self.mode = Mode::Questions;
                    self.part = part;
                }
                _ => self.answer_part = Some(part),
            }
            return;
        }
        if lines::is_end(text) || lines::is_answer_heading(text) {
            if self.mode != Mode::Solutions {
                self.mode = Mode::Answers;
            }
            return;
        }
        match self.mode {
            Mode::Essay => {}
            Mode::Questions => self.question_line(piece),
            Mode::Answers => {
                if lines::solution_heading(text).is_some() {
                    self.mode = Mode::Solutions;
                } else if let Some(list) = answers::list_line(text) {
                    for (n, answer) in list {
                        let entry = Entry {
                            number: n,
                            answer,
                            paragraph: number,
                        };
                        self.out.answers.push((self.answer_part, entry));
                    }
                }
            }
            Mode::Solutions => self.solution_line(text, number),
        }
    }

    fn solution_line(&mut self, text: &str, paragraph: u32) {
        if let Some(start) = lines::question_start(text) {
            let key = (self.answer_part, start.number);
            self.solution_target = Some(key);
            let entry = self
                .out
                .solutions
                .entry(key)
                .or_insert((paragraph, Vec::new()));
            let rest = text.get(start.rest..).unwrap_or("").trim();
            if !rest.is_empty() {
                entry.1.push(rest.to_string());
            }
            return;
        }
        if lines::solution_heading(text).is_some_and(str::is_empty) {
            return;
        }
        if let Some(key) = self.solution_target
            && let Some(entry) = self.out.solutions.get_mut(&key)
        {
            entry.1.push(text.to_string());
        }
    }

    fn question_line(&mut self, piece: Piece<'a>) {
        let text = piece.text();
        let paragraph = piece.paragraph.number;
        let starts_question = lines::question_start(text)
            .filter(|s| s.style == Starter::Keyword || self.starter != Some(Starter::Keyword));
        if let Some(start) = starts_question {
            self.starter.get_or_insert(start.style);
            let lead = piece.paragraph.text[piece.range.clone()].len()
                - piece.paragraph.text[piece.range.clone()].trim_start().len();
            let rest = piece.range.start + lead + start.rest..piece.range.end;
            self.out.questions.push(Question {
                part: self.part,
                number: start.number,
                start: paragraph,
                stem: vec![Piece {
                    paragraph: piece.paragraph,
                    range: rest,
                }],
                options: Vec::new(),
                statements: Vec::new(),
                continuation: Vec::new(),
                explanation: Vec::new(),
                inline_answer: None,
                problems: Vec::new(),
                in_solution: false,
            });
            return;
        }
        let Some(q) = self.out.questions.last_mut() else {
            if lines::solution_heading(text).is_some() {
                self.mode = Mode::Solutions;
            }
            return; // titles and instructions before the first question
        };
        if q.in_solution {
            q.explanation.push(text.to_string());
            return;
        }
        if let Some(rest) = lines::solution_heading(text) {
            q.in_solution = true;
            if !rest.is_empty() {
                q.explanation.push(rest.to_string());
            }
            return;
        }
        if let Some(pieces) = lines::options(&piece.paragraph.text[piece.range.clone()])
            && q.statements.is_empty()
            && (pieces[0].letter == 0 || !q.options.is_empty())
        {
            for mut option in pieces {
                if usize::from(option.letter) != q.options.len() {
                    q.problems.push((
                        paragraph,
                        format!(
                            "option {} comes where option {} was expected; write options A, B, C … in order",
                            keys::letter(usize::from(option.letter)),
                            keys::letter(q.options.len())
                        ),
                    ));
                }
                let base = piece.range.start;
                option.label = option.label.start + base..option.label.end + base;
                option.text = option.text.start + base..option.text.end + base;
                let text_piece = Piece {
                    paragraph: piece.paragraph,
                    range: option.text.clone(),
                };
                q.options.push((text_piece, option));
                q.continuation.push(Vec::new());
            }
            return;
        }
        if let Some((letter, label, text_at)) =
            lines::statement(&piece.paragraph.text[piece.range.clone()])
            && q.options.is_empty()
            && usize::from(letter) == q.statements.len()
        {
            let base = piece.range.start;
            let text_piece = Piece {
                paragraph: piece.paragraph,
                range: base + text_at..piece.range.end,
            };
            q.statements
                .push((text_piece, label.start + base..label.end + base));
            q.continuation.push(Vec::new());
            return;
        }
        if let Some(value) = lines::inline_answer(text)
            && answers::value(value).is_some_and(|a| matches!(a, Answer::Number(_)))
        {
            q.inline_answer = Some((value.to_string(), paragraph));
            return;
        }
        match q.continuation.last_mut() {
            Some(more) => more.push(piece),
            None => q.stem.push(piece),
        }
    }
}
