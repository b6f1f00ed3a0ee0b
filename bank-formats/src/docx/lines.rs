//! What one line of a Vietnamese exam paper is: a part heading ("PHẦN
//! II"), a question starter ("Câu 5.", "Bài 2", "Question 3", "4)"),
//! options ("A. … <tab> B. …", "*C."), statements ("a) …"), the end
//! ("--- HẾT ---"), an answer or solution heading. Headings and keywords
//! are compared without case or diacritics ("Cau 1" is "Câu 1").

use std::ops::Range;

use examgate_shared::bank::fold::fold;

/// How a question starter was written, so that bare "1." lines in a
/// paper of "Câu" questions stay text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Starter {
    Keyword,
    Bare,
}

/// A question starter: its number and where its text begins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Start {
    pub number: u32,
    pub rest: usize,
    pub style: Starter,
}

/// One option of an option line: letter index (A = 0), `*` before it,
/// the byte range of the letter and of its text (both in the line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionPiece {
    pub letter: u8,
    pub asterisk: bool,
    pub label: Range<usize>,
    pub text: Range<usize>,
}

/// The first `words` words of `fold(line)`, or all of it when it has
/// fewer, folding no more of the line than that: white space never folds
/// into its neighbours, so the folds of the white-space separated pieces,
/// joined by spaces, are the fold of the whole. Lines holding MathML run to
/// hundreds of characters, and headings are decided by their first words.
fn fold_start(line: &str, words: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    for piece in line.split(char::is_whitespace).filter(|p| !p.is_empty()) {
        if count >= words {
            break;
        }
        let folded = fold(piece);
        if folded.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        count += folded.split(' ').count();
        out.push_str(&folded);
    }
    out
}

/// The raw text after a keyword (matched without case or diacritics) that
/// `line` starts with, and the keyword; the longest keyword wins and must
/// end a word.
pub fn keyword<'a>(line: &'a str, keywords: &[&'static str]) -> Option<(&'static str, &'a str)> {
    let mut found = None;
    let ends = line
        .char_indices()
        .skip(1)
        .map(|(i, _)| i)
        .chain([line.len()]);
    for i in ends {
        if i > 48 {
            break;
        }
        let next = line[i..].chars().next();
        let last = line[..i].chars().next_back();
        if next.is_some_and(char::is_alphabetic) || !last.is_some_and(char::is_alphanumeric) {
            continue;
        }
        let folded = fold(&line[..i]);
        if let Some(k) = keywords.iter().find(|k| **k == folded) {
            found = Some((*k, &line[i..]));
        }
        // A longer start folds to this fold and more (the next character
        // is not a letter): once no keyword begins so, none can match.
        if !keywords.iter().any(|k| k.starts_with(folded.as_str())) {
            break;
        }
    }
    found
}

/// "PHẦN I", "Phần 2: …", "PHẦN III. Câu trắc nghiệm trả lời ngắn" → 1–4;
/// "TỰ LUẬN" → 4.
pub fn part_heading(line: &str) -> Option<u8> {
    let folded = fold_start(line, 2);
    if folded.starts_with("tu luan") {
        return Some(4);
    }
    let rest = folded.strip_prefix("phan ")?;
    let token = rest.split(' ').next()?;
    match token {
        "i" | "1" => Some(1),
        "ii" | "2" => Some(2),
        "iii" | "3" => Some(3),
        "iv" | "4" => Some(4),
        _ => None,
    }
}

/// "HẾT", "----- HẾT -----".
pub fn is_end(line: &str) -> bool {
    fold_start(line, 2) == "het"
}

/// "Đáp án", "BẢNG ĐÁP ÁN", "Tóm tắt đáp án", "Đáp án tham khảo".
pub fn is_answer_heading(line: &str) -> bool {
    matches!(
        fold_start(line, 5).as_str(),
        "dap an" | "bang dap an" | "tom tat dap an" | "dap an tham khao" | "dap an trac nghiem"
    )
}

/// "Lời giải", "Hướng dẫn giải", "Giải thích", "HDG" (optionally with
/// text after a colon): the text after the heading.
pub fn solution_heading(line: &str) -> Option<&str> {
    const WORDS: [&str; 8] = [
        "loi giai",
        "loi giai chi tiet",
        "huong dan giai",
        "huong dan giai chi tiet",
        "huong dan",
        "giai thich",
        "hdg",
        "giai",
    ];
    let (_, rest) = keyword(line.trim_start(), &WORDS)?;
    let rest = rest.trim_start();
    if !(rest.is_empty() || rest.starts_with([':', '.'])) {
        return None;
    }
    Some(rest.trim_start_matches([':', '.']).trim())
}

/// "Đáp án: 12,5" inside a question: the value.
pub fn inline_answer(line: &str) -> Option<&str> {
    let (_, rest) = keyword(line.trim_start(), &["dap an", "da"])?;
    let rest = rest.trim_start().strip_prefix(':')?.trim();
    (!rest.is_empty()).then_some(rest)
}

/// A question starter at the start of `line` (already trimmed).
pub fn question_start(line: &str) -> Option<Start> {
    let (rest, style) = match keyword(line, &["cau hoi", "cau", "bai", "question"]) {
        Some((_, rest)) => (rest, Starter::Keyword),
        None => (line, Starter::Bare),
    };
    let after_space = rest.trim_start();
    let digits = after_space.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 4 {
        return None;
    }
    let number: u32 = after_space[..digits].parse().ok()?;
    let mut tail = &after_space[digits..];
    match tail.chars().next() {
        Some('.' | ':' | ')') => tail = &tail[1..],
        _ if style == Starter::Bare => return None,
        _ => {}
    }
    if tail.chars().next().is_some_and(|c| !c.is_whitespace()) {
        return None;
    }
    let rest_at = line.len() - tail.len() + (tail.len() - tail.trim_start().len());
    Some(Start {
        number,
        rest: rest_at,
        style,
    })
}

/// An option label at byte `at` of `line`: `[*]X.` or `[*]X)` with X in
/// A–H, then white space or the end. Returns the piece without its text.
fn label_at(line: &str, at: usize) -> Option<OptionPiece> {
    let s = line.get(at..)?;
    let star = s.starts_with('*');
    let after_star = if star { s[1..].trim_start() } else { s };
    let letter_at = at + (s.len() - after_star.len());
    let bytes = after_star.as_bytes();
    let letter = *bytes.first()?;
    if !(b'A'..=b'H').contains(&letter) || !matches!(bytes.get(1), Some(b'.' | b')')) {
        return None;
    }
    if bytes.get(2).is_some_and(|b| !b.is_ascii_whitespace()) {
        return None;
    }
    let text_at = letter_at + 2;
    Some(OptionPiece {
        letter: letter - b'A',
        asterisk: star,
        label: letter_at..letter_at + 1,
        text: text_at..text_at,
    })
}

/// The options on a line that starts with an option label; several may
/// share the line when separated by a tab or two or more spaces.
pub fn options(line: &str) -> Option<Vec<OptionPiece>> {
    let start = line.len() - line.trim_start().len();
    let mut pieces = vec![label_at(line, start)?];
    let mut starts = vec![start];
    let mut i = pieces[0].label.end + 1;
    while i < line.len() {
        let gap = &line[i..];
        let spaces = gap.len() - gap.trim_start().len();
        let wide = gap.starts_with('\t') || gap.starts_with("  ");
        if spaces > 0 && wide {
            if let Some(next) = label_at(line, i + spaces) {
                pieces.push(next);
                starts.push(i + spaces);
                i = pieces.last().map_or(line.len(), |p| p.label.end + 1);
                continue;
            }
            i += spaces;
            continue;
        }
        i += gap.chars().next().map_or(1, char::len_utf8);
    }
    for (k, piece) in pieces.iter_mut().enumerate() {
        let from = piece.label.end + 1;
        let to = starts.get(k + 1).copied().unwrap_or(line.len());
        let text = line.get(from..to.max(from)).unwrap_or("");
        let lead = text.len() - text.trim_start().len();
        piece.text = from + lead..from + lead + text.trim().len();
    }
    Some(pieces)
}

/// A statement label `a)` (or `a.`) at the start of a trimmed line: the
/// letter index, its byte range and where its text starts.
pub fn statement(line: &str) -> Option<(u8, Range<usize>, usize)> {
    let start = line.len() - line.trim_start().len();
    let b = line.as_bytes();
    let letter = *b.get(start)?;
    if !(b'a'..=b'h').contains(&letter) || !matches!(b.get(start + 1), Some(b')' | b'.')) {
        return None;
    }
    if b.get(start + 2).is_some_and(|c| !c.is_ascii_whitespace()) {
        return None;
    }
    Some((letter - b'a', start..start + 1, start + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Folding only the first words decides as folding the whole line did.
    #[test]
    fn headings_read_from_the_first_words_agree_with_the_whole_line() {
        let lines = [
            "PHẦN I. Câu trắc nghiệm nhiều phương án lựa chọn",
            "Phần  2: đúng sai",
            "----------------------------------- PHẦN III -----",
            "P.HẦN IV",
            "PHẦN IIIa",
            "TỰ LUẬN (3 điểm)",
            "  ----- HẾT -----  ",
            "HẾT giờ",
            "Đáp án",
            "BẢNG  ĐÁP  ÁN",
            "Đáp án trắc nghiệm",
            "Đáp án trắc nghiệm phần I",
            "Đáp án: 12,5",
            "GD&ĐT đáp án",
            "\u{200b}Đáp\u{a0}án",
        ];
        for line in lines {
            let whole = fold(line);
            let part =
                whole
                    .strip_prefix("phan ")
                    .and_then(|rest| match rest.split(' ').next()? {
                        "i" | "1" => Some(1),
                        "ii" | "2" => Some(2),
                        "iii" | "3" => Some(3),
                        "iv" | "4" => Some(4),
                        _ => None,
                    });
            let part = if whole.starts_with("tu luan") {
                Some(4)
            } else {
                part
            };
            assert_eq!(part_heading(line), part, "{line}");
            assert_eq!(is_end(line), whole == "het", "{line}");
            let heading = matches!(
                whole.as_str(),
                "dap an"
                    | "bang dap an"
                    | "tom tat dap an"
                    | "dap an tham khao"
                    | "dap an trac nghiem"
            );
            assert_eq!(is_answer_heading(line), heading, "{line}");
        }
    }

    #[test]
    fn keywords_are_found_after_the_search_is_cut_short() {
        let words = ["cau hoi", "cau", "bai", "question"];
        assert_eq!(keyword("Câu hỏi 3. x", &words), Some(("cau hoi", " 3. x")));
        assert_eq!(keyword("CÂU 12: x", &words), Some(("cau", " 12: x")));
        assert_eq!(keyword("Cho hàm số", &words), None);
        assert_eq!(keyword("Câu12. x", &words), Some(("cau", "12. x")));
        assert_eq!(keyword("Câuhỏi 1", &words), None);
        assert_eq!(question_start("Bài 4) Tính").map(|s| s.number), Some(4));
        assert_eq!(
            solution_heading("Hướng dẫn giải chi tiết: Ta có"),
            Some("Ta có")
        );
    }
}
