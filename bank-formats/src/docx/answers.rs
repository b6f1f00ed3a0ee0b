//! Answer keys written after the questions: list lines ("1-A 2.B 3c",
//! "Câu 4: D", "1. ĐSĐS", "2: 12,5") and Word tables (a row "Câu | 1 | 2 …"
//! over a row "Đáp án | A | C …"; two columns "Câu | Đáp án"; a Part II
//! grid "Câu | a | b | c | d" with Đ/S, Đúng/Sai or T/F).

use examgate_shared::bank::fold::fold;
use examgate_shared::numeric::Decimal;

use super::walk::Paragraph;

/// One answer as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// A choice letter, A = 0.
    Letter(u8),
    /// True/false per statement.
    Truth(Vec<bool>),
    /// A number as written ("12,5").
    Number(String),
}

impl Answer {
    /// The 2025 part this kind of answer belongs to.
    pub fn part(&self) -> u8 {
        match self {
            Answer::Letter(_) => 1,
            Answer::Truth(_) => 2,
            Answer::Number(_) => 3,
        }
    }
}

/// An answer for question `number`, found at `paragraph`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub number: u32,
    pub answer: Answer,
    pub paragraph: u32,
}

fn truth(c: char) -> Option<bool> {
    match c {
        'Đ' | 'đ' | 'T' | 't' => Some(true),
        'S' | 's' | 'F' | 'f' => Some(false),
        _ => None,
    }
}

/// One value: a letter, a row of Đ/S, or a number.
pub fn value(text: &str) -> Option<Answer> {
    let t = text.trim().trim_end_matches([',', ';']).trim();
    let mut chars = t.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && c.is_ascii_alphabetic()
        && ('A'..='H').contains(&c.to_ascii_uppercase())
    {
        return Some(Answer::Letter(c.to_ascii_uppercase() as u8 - b'A'));
    }
    let words = t
        .to_lowercase()
        .replace("đúng", "đ")
        .replace("dung", "đ")
        .replace("sai", "s");
    let flags: Option<Vec<bool>> = words
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | ',' | '/' | ';' | '.'))
        .map(truth)
        .collect();
    if let Some(flags) = flags.filter(|f| (2..=8).contains(&f.len())) {
        return Some(Answer::Truth(flags));
    }
    Decimal::parse(t)
        .ok()
        .map(|_| Answer::Number(t.to_string()))
}

/// The answers on a list line, or `None` when it is not one.
pub fn list_line(line: &str) -> Option<Vec<(u32, Answer)>> {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ';' || c == '|')
        .filter(|w| !w.is_empty() && !matches!(fold(w).as_str(), "cau" | ""))
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let digits = w.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let number: u32 = w[..digits].parse().ok()?;
        let mut rest = w[digits..].trim_start_matches(['-', '.', ':', ')']);
        i += 1;
        if rest.is_empty() {
            rest = words.get(i)?;
            if rest.starts_with(|c: char| c.is_ascii_digit()) && value(rest).is_none() {
                return None;
            }
            i += 1;
        }
        let mut answer = value(rest)?;
        // "1. Đ S Đ S": single Đ/S words continue the row.
        if let Answer::Truth(_) | Answer::Letter(_) = answer {
            let mut row: Vec<bool> = rest.chars().filter_map(truth).collect();
            let single = rest.chars().count() == 1 && rest.chars().all(|c| truth(c).is_some());
            while single && i < words.len() && words[i].chars().count() == 1 {
                let Some(flag) = words[i].chars().next().and_then(truth) else {
                    break;
                };
                row.push(flag);
                i += 1;
            }
            if row.len() >= 2 {
                answer = Answer::Truth(row);
            }
        }
        out.push((number, answer));
    }
    (!out.is_empty()).then_some(out)
}

fn cell_text(cell: &[Paragraph]) -> String {
    cell.iter()
        .map(|p| p.text.trim())
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn first_paragraph(cell: &[Paragraph]) -> u32 {
    cell.first().map_or(0, |p| p.number)
}

fn is_question_header(text: &str) -> bool {
    matches!(fold(text).as_str(), "cau" | "cau hoi" | "cau so" | "stt")
}

fn is_answer_header(text: &str) -> bool {
    matches!(
        fold(text).as_str(),
        "dap an" | "da" | "d a" | "dap so" | "ket qua"
    )
}

/// Whether a table is an answer table (its first cell says "Câu").
pub fn is_answer_table(rows: &[Vec<Vec<Paragraph>>]) -> bool {
    rows.first()
        .and_then(|r| r.first())
        .is_some_and(|c| is_question_header(&cell_text(c)))
}

/// The answers in an answer table; cells that do not read are returned as
/// `(paragraph, text)` problems.
pub fn table(rows: &[Vec<Vec<Paragraph>>]) -> (Vec<Entry>, Vec<(u32, String)>) {
    let text: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| cell_text(c)).collect())
        .collect();
    let mut entries = Vec::new();
    let mut bad = Vec::new();
    let mut push = |number: &str, answer: &str, at: u32, entries: &mut Vec<Entry>| {
        let Ok(number) = number.trim().trim_end_matches(['.', ':']).parse::<u32>() else {
            return;
        };
        if answer.trim().is_empty() {
            bad.push((
                at,
                format!("the answer table gives no answer for question {number}"),
            ));
            return;
        }
        match value(answer) {
            Some(answer) => entries.push(Entry { number, answer, paragraph: at }),
            None => bad.push((at, format!("the answer table's entry \"{answer}\" for question {number} is not an option letter, Đ/S row or number"))),
        }
    };
    let Some(header) = text.first() else {
        return (entries, bad);
    };
    let grid = header.len() >= 3
        && header[1..].iter().enumerate().all(|(i, h)| {
            u8::try_from(i).is_ok_and(|i| i < 26 && h.trim() == char::from(b'a' + i).to_string())
        });
    if grid {
        for (r, row) in text.iter().enumerate().skip(1) {
            let Some((number, cells)) = row.split_first() else {
                continue;
            };
            let at = rows[r].first().map_or(0, |c| first_paragraph(c));
            push(number, &cells.join(" "), at, &mut entries);
        }
    } else if header.len() == 2 && is_answer_header(&header[1]) {
        for (r, row) in text.iter().enumerate().skip(1) {
            if row.len() >= 2 {
                push(
                    &row[0],
                    &row[1],
                    first_paragraph(rows[r].get(1).map_or(&[][..], |c| c)),
                    &mut entries,
                );
            }
        }
    } else {
        // Horizontal: every "Câu" row numbers the columns of the row below.
        let mut r = 0;
        while r + 1 < text.len() {
            if text[r].first().is_some_and(|c| is_question_header(c)) {
                for (col, number) in text[r].iter().enumerate().skip(1) {
                    let answer = text[r + 1].get(col).map_or("", String::as_str);
                    let at = rows[r + 1].get(col).map_or(0, |c| first_paragraph(c));
                    push(number, answer, at, &mut entries);
                }
                r += 2;
            } else {
                r += 1;
            }
        }
    }
    (entries, bad)
}
