//! GIFT text cut into question blocks, with escapes resolved the way Moodle
//! resolves them: every character remembers whether it was escaped (so an
//! escaped `=` is text, an unescaped one marks the key) and the line it came
//! from (so a refusal can name the exact line).

/// One character of a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Ch {
    pub c: char,
    /// Written with a backslash: never GIFT syntax.
    pub escaped: bool,
    pub line: u32,
}

/// The lines between two blank lines.
#[derive(Debug)]
pub(super) struct Block {
    /// Where the block starts (its first line, comments included).
    pub line: u32,
    /// The text of its comment lines (`//` dropped), for `[id:]`/`[tag:]`.
    pub comments: Vec<String>,
    /// The other lines joined with newlines, escapes resolved, trimmed.
    pub chars: Vec<Ch>,
}

/// A block being gathered: its first line, comments and numbered lines.
type Gathered<'a> = (u32, Vec<String>, Vec<(u32, &'a str)>);

/// Splits `text` into blocks: lines are trimmed, a blank line (or a line
/// that is just `0`, as PHP has it) ends a block, comment lines are set
/// aside.
pub(super) fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Option<Gathered> = None;
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = normalised.split('\n').collect();
    for (index, raw) in lines.iter().enumerate() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let line = raw.trim();
        if line.is_empty() || line == "0" {
            if let Some(block) = current.take() {
                out.push(finish(block));
            }
            continue;
        }
        let (_, comments, body) = current.get_or_insert_with(|| (number, Vec::new(), Vec::new()));
        match line.strip_prefix("//") {
            Some(comment) => comments.push(comment.to_string()),
            None => body.push((number, line)),
        }
    }
    if let Some(block) = current.take() {
        out.push(finish(block));
    }
    out
}

fn finish((line, comments, body): Gathered) -> Block {
    let mut chars = Vec::new();
    for (i, (number, text)) in body.iter().enumerate() {
        if i > 0 {
            chars.push(Ch {
                c: '\n',
                escaped: false,
                line: *number,
            });
        }
        unescape_into(text, *number, &mut chars);
    }
    Block {
        line,
        comments,
        chars: trim(&chars).to_vec(),
    }
}

/// Moodle's escapes: `\\ \: \# \= \{ \} \~` give the character as text,
/// `\n` a line break; any other backslash stays.
fn unescape_into(text: &str, line: u32, out: &mut Vec<Ch>) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&next) = chars.peek()
            && matches!(next, '\\' | ':' | '#' | '=' | '{' | '}' | '~' | 'n')
        {
            chars.next();
            let c = if next == 'n' { '\n' } else { next };
            out.push(Ch {
                c,
                escaped: true,
                line,
            });
            continue;
        }
        out.push(Ch {
            c,
            escaped: false,
            line,
        });
    }
}

/// Without unescaped whitespace at either end.
pub(super) fn trim(chars: &[Ch]) -> &[Ch] {
    let blank = |ch: &Ch| !ch.escaped && ch.c.is_whitespace();
    let start = chars.iter().position(|c| !blank(c)).unwrap_or(chars.len());
    let end = chars
        .iter()
        .rposition(|c| !blank(c))
        .map_or(start, |e| e + 1);
    &chars[start..end.max(start)]
}

/// Where the unescaped `pattern` first starts.
pub(super) fn find(chars: &[Ch], pattern: &str) -> Option<usize> {
    positions(chars, pattern).next()
}

/// Where the unescaped `pattern` last starts (matches may not overlap
/// the way Moodle's `strrpos` finds them: the rightmost start wins).
pub(super) fn rfind(chars: &[Ch], pattern: &str) -> Option<usize> {
    positions(chars, pattern).last()
}

fn positions<'a>(chars: &'a [Ch], pattern: &'a str) -> impl Iterator<Item = usize> + 'a {
    let wanted: Vec<char> = pattern.chars().collect();
    (0..chars.len()).filter(move |&i| {
        chars.len() - i >= wanted.len()
            && wanted
                .iter()
                .zip(&chars[i..])
                .all(|(w, ch)| !ch.escaped && ch.c == *w)
    })
}

/// The parts between unescaped `separator`s.
pub(super) fn split(chars: &[Ch], separator: char) -> Vec<&[Ch]> {
    chars.split(|ch| !ch.escaped && ch.c == separator).collect()
}

/// Whether the text starts with the unescaped `prefix`.
pub(super) fn starts_with(chars: &[Ch], prefix: &str) -> bool {
    find(chars, prefix) == Some(0)
}

/// The characters as text.
pub(super) fn text(chars: &[Ch]) -> String {
    chars.iter().map(|ch| ch.c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_split_on_blank_lines_and_keep_their_lines() {
        let found = blocks("// c\n::T:: a {\n=b\n}\n\n\r\n 0 \nnext {T}\n");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].line, 1);
        assert_eq!(found[0].comments, vec![" c".to_string()]);
        assert_eq!(text(&found[0].chars), "::T:: a {\n=b\n}");
        assert_eq!(found[0].chars.last().map(|c| c.line), Some(4));
        assert_eq!(found[1].line, 8);
    }

    #[test]
    fn escapes_are_text_and_double_backslash_is_one() {
        let block = &blocks(r"a\=b \\= c\n\q")[0];
        assert_eq!(text(&block.chars), "a=b \\= c\n\\q");
        assert_eq!(find(&block.chars, "="), Some(5));
        assert_eq!(split(&block.chars, '=').len(), 2);
    }
}
