//! The tokenizer and recursive-descent parser: one TeX formula → a
//! [`Node`] tree. Never panics, always terminates, nesting bounded by
//! `MAX_DEPTH`.

use super::symbols::*;
use super::tree::*;
use super::*;

// ---- Tokenizer and parser ----

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Tok<'a> {
    /// `\name`, or `\` and one other character (`\,`, `\{`, `\\`); empty for
    /// a backslash at the very end.
    Cmd(&'a str),
    Num(&'a str),
    /// Any other character, including the structural `{ } ^ _ &`.
    Char(char),
    End,
}

/// Tokens that end a row; the construct that opened the row consumes them.
pub(super) fn is_terminator(tok: Tok, in_bracket: bool) -> bool {
    matches!(
        tok,
        Tok::Char('}' | '&') | Tok::End | Tok::Cmd("\\" | "right" | "end")
    ) || (in_bracket && tok == Tok::Char(']'))
}

/// A cursor over one formula. Tokens are lexed on demand, so commands such
/// as `\text` can read raw source instead of tokens.
pub(super) struct Parser<'a> {
    pub(super) src: &'a str,
    pub(super) pos: usize,
    /// Atoms currently being parsed, one inside another.
    pub(super) depth: usize,
}

impl<'a> Parser<'a> {
    fn skip_whitespace(&mut self) {
        let rest = &self.src[self.pos..];
        self.pos += rest.len() - rest.trim_start().len();
    }

    /// The token at the cursor and where it ends, without consuming it.
    fn lex(&self) -> (Tok<'a>, usize) {
        let Some(c) = self.src[self.pos..].chars().next() else {
            return (Tok::End, self.pos);
        };
        let next = self.pos + c.len_utf8();
        match c {
            '\\' => {
                let rest = &self.src[next..];
                let name = rest.trim_start_matches(|c: char| c.is_ascii_alphabetic());
                let len = match rest.len() - name.len() {
                    0 => rest.chars().next().map_or(0, char::len_utf8),
                    letters => letters,
                };
                (Tok::Cmd(&rest[..len]), next + len)
            }
            '0'..='9' => {
                let end = self.number_end();
                (Tok::Num(&self.src[self.pos..end]), end)
            }
            c => (Tok::Char(c), next),
        }
    }

    /// Digits, with `.` or `,` between digits: Vietnamese writes `1,5` for
    /// one and a half, and it must be one number, not `1` `,` `5`.
    fn number_end(&self) -> usize {
        let bytes = self.src.as_bytes();
        let mut end = self.pos;
        loop {
            while bytes.get(end).is_some_and(u8::is_ascii_digit) {
                end += 1;
            }
            let separator = matches!(bytes.get(end), Some(b'.' | b','));
            if !(separator && bytes.get(end + 1).is_some_and(u8::is_ascii_digit)) {
                return end;
            }
            end += 1;
        }
    }

    fn peek(&mut self) -> Tok<'a> {
        self.skip_whitespace();
        self.lex().0
    }

    fn bump(&mut self) -> Tok<'a> {
        self.skip_whitespace();
        let (tok, end) = self.lex();
        self.pos = end;
        tok
    }

    /// The whole formula. Stray terminators (a `}` without `{`, `&` outside
    /// a table) are consumed here, so parsing always reaches the end.
    pub(super) fn parse_formula(mut self) -> Vec<Node> {
        let mut nodes = Vec::new();
        loop {
            nodes.extend(self.parse_row(false));
            match self.bump() {
                Tok::End => return nodes,
                // A \right without \left: still show its delimiter.
                Tok::Cmd("right") => nodes.extend(self.delimiter().map(mo)),
                Tok::Cmd("end") => _ = self.raw_group(),
                _ => {}
            }
        }
    }

    /// Atoms up to a terminator (or `]` when reading `\sqrt[…]`), which is
    /// left for the caller.
    fn parse_row(&mut self, in_bracket: bool) -> Vec<Node> {
        let mut nodes = Vec::new();
        loop {
            let tok = self.peek();
            if is_terminator(tok, in_bracket) {
                return nodes;
            }
            if matches!(tok, Tok::Char('^' | '_')) {
                self.bump();
                let script = self.parse_arg();
                attach(&mut nodes, tok == Tok::Char('^'), script);
            } else if let Some(node) = self.parse_atom() {
                nodes.push(node);
            }
        }
    }

    /// One atom; the cursor must not be at a terminator. `None` when the
    /// atom shows nothing (`\!`, `\displaystyle`). Always consumes a token.
    fn parse_atom(&mut self) -> Option<Node> {
        self.skip_whitespace();
        let start = self.pos;
        let tok = self.bump();
        if self.depth >= MAX_DEPTH {
            // Too deep: show the token as typed rather than recurse.
            return Some(Node::Text(self.src[start..self.pos].into()));
        }
        self.depth += 1;
        let node = self.atom(tok);
        self.depth -= 1;
        node
    }

    fn atom(&mut self, tok: Tok<'a>) -> Option<Node> {
        match tok {
            Tok::Char('{') => {
                let nodes = self.parse_row(false);
                if self.peek() == Tok::Char('}') {
                    self.bump();
                }
                Some(row(nodes))
            }
            Tok::Num(digits) => Some(Node::Mn(digits.into())),
            Tok::Char(c) => Some(char_node(c)),
            Tok::Cmd(name) => self.command(name),
            // Terminators and scripts never reach here (see the callers).
            _ => None,
        }
    }

    /// A command's or script's argument: a `{…}` group or one token, and in
    /// TeX a token is one digit (`\frac12` is ½, `x^10` is x¹ then 0). A
    /// missing one (end of input, `}`, `&` …) is an empty row.
    fn parse_arg(&mut self) -> Node {
        let tok = self.peek();
        if let Some(digit @ '0'..='9') = self.src[self.pos..].chars().next() {
            self.pos += 1;
            return Node::Mn(digit.into());
        }
        if is_terminator(tok, false) || matches!(tok, Tok::Char('^' | '_')) {
            return empty();
        }
        self.parse_atom().unwrap_or_else(empty)
    }

    /// The raw text of a `{…}` group (for `\text`, environment names), with
    /// `\{` and `\}` not counting as braces; empty if no group follows.
    fn raw_group(&mut self) -> &'a str {
        self.skip_whitespace();
        if !self.src[self.pos..].starts_with('{') {
            return "";
        }
        let bytes = self.src.as_bytes();
        let start = self.pos + 1;
        let (mut i, mut depth) = (start, 0usize);
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 1,
                b'{' => depth += 1,
                b'}' if depth == 0 => {
                    self.pos = i + 1;
                    return &self.src[start..i];
                }
                b'}' => depth -= 1,
                _ => {}
            }
            i += 1;
        }
        // Unclosed: the rest of the formula is the group.
        self.pos = bytes.len();
        &self.src[start..]
    }

    fn command(&mut self, name: &'a str) -> Option<Node> {
        let symbol = lookup(IDENTIFIERS, name)
            .map(|text| Node::Mi(text.into()))
            .or_else(|| lookup(OPERATORS, name).map(mo))
            .or_else(|| FUNCTIONS.contains(&name).then(|| Node::Mi(name.into())))
            .or_else(|| lookup(SPACES, name).map(Node::Space));
        if symbol.is_some() {
            return symbol;
        }
        if let Some((mark, stretchy)) = lookup(ACCENTS, name) {
            return Some(Node::Accent(Box::new(self.parse_arg()), mark, stretchy));
        }
        Some(match name {
            "frac" => self.frac(None),
            "dfrac" => self.frac(Some(true)),
            "tfrac" => self.frac(Some(false)),
            "sqrt" => self.sqrt(),
            "left" => self.left_right(),
            "middle" => fence(self.delimiter()?),
            "big" | "Big" | "bigg" | "Bigg" | "bigl" | "bigr" | "Bigl" | "Bigr" => {
                mo(self.delimiter()?)
            }
            "text" | "textrm" | "textup" | "textnormal" | "textit" | "textbf" | "mbox"
            | "mathrm" => Node::Text(text_content(self.raw_group())),
            "operatorname" => Node::Mi(self.raw_group().trim().into()),
            "mathbb" => Node::Mi(self.raw_group().trim().chars().map(double_struck).collect()),
            // MathML Core has no bold or calligraphic variants: show the argument.
            "mathbf" | "boldsymbol" | "bm" | "mathit" | "mathsf" | "mathcal" => self.parse_arg(),
            "begin" => self.environment(),
            "displaystyle" | "textstyle" | "limits" | "nolimits" | "hline" | "!" => return None,
            // Unknown: visible, so the author notices, and escaped like all text.
            _ => Node::Text(format!("\\{name}")),
        })
    }

    fn frac(&mut self, style: Option<bool>) -> Node {
        let num = self.parse_arg();
        let den = self.parse_arg();
        Node::Frac(Box::new(num), Box::new(den), style)
    }

    /// `\sqrt{x}` or `\sqrt[n]{x}`.
    fn sqrt(&mut self) -> Node {
        if self.peek() != Tok::Char('[') {
            return Node::Root(Box::new(self.parse_arg()), None);
        }
        self.bump();
        let index = row(self.parse_row(true));
        if self.peek() == Tok::Char(']') {
            self.bump();
        }
        Node::Root(Box::new(self.parse_arg()), Some(Box::new(index)))
    }

    /// `\left( … \right)`; a missing `\right` closes at the end of the row.
    fn left_right(&mut self) -> Node {
        let mut nodes: Vec<Node> = self.delimiter().map(fence).into_iter().collect();
        nodes.extend(self.parse_row(false));
        if self.peek() == Tok::Cmd("right") {
            self.bump();
            nodes.extend(self.delimiter().map(fence));
        }
        // Always an <mrow>, even with one child: it bounds how far the
        // fences stretch.
        Node::Row(nodes)
    }

    /// The delimiter after `\left`, `\right`, `\big` …; `.` gives none. Only
    /// `.` and delimiters are consumed: `\left x` leaves the `x` in place.
    fn delimiter(&mut self) -> Option<&'static str> {
        self.skip_whitespace();
        let end = self.lex().1;
        let source = &self.src[self.pos..end];
        let found = lookup(DELIMITERS, source);
        if found.is_some() || source == "." {
            self.pos = end;
        }
        found
    }

    /// `\begin{name} … \end{name}`: cells split by `&`, rows by `\\`.
    fn environment(&mut self) -> Node {
        let name = self.raw_group();
        if name == "array" {
            // The column spec ({cc}, {l|r}): MathML Core has no column
            // alignment, so it is read and dropped.
            self.raw_group();
        }
        let fences = lookup(ENVIRONMENTS, name.trim_end_matches('*'));
        let table = Node::Table(self.table_rows());
        let Some((open, close)) = fences else {
            return table;
        };
        let mut nodes = vec![fence(open), table];
        if !close.is_empty() {
            nodes.push(fence(close));
        }
        Node::Row(nodes)
    }

    fn table_rows(&mut self) -> Vec<Vec<Node>> {
        let mut rows = Vec::new();
        let mut cells = Vec::new();
        loop {
            cells.push(row(self.parse_row(false)));
            match self.peek() {
                Tok::Char('&') => _ = self.bump(),
                Tok::Cmd("\\") => {
                    self.bump();
                    rows.push(std::mem::take(&mut cells));
                }
                Tok::Cmd("end") => {
                    self.bump();
                    self.raw_group();
                    break;
                }
                // Unclosed, or a `}`/`\right` of an enclosing construct:
                // stop and leave it to that construct.
                _ => break,
            }
        }
        // A `\\` right before `\end` starts no new row.
        let trailing_empty = matches!(cells.as_slice(), [Node::Row(r)] if r.is_empty());
        if !trailing_empty || rows.is_empty() {
            rows.push(cells);
        }
        rows
    }
}

/// Attaches a script to the last node. A second superscript on the same base
/// (an error in TeX) starts a new script on an empty base instead of
/// nesting, so `x^2^2^2…` stays flat however long it is.
pub(super) fn attach(nodes: &mut Vec<Node>, is_sup: bool, script: Node) {
    let (base, sub, sup) = match nodes.pop() {
        Some(Node::Scripts(base, sub, None)) if is_sup => (base, sub, None),
        Some(Node::Scripts(base, None, sup)) if !is_sup => (base, None, sup),
        Some(full @ Node::Scripts(..)) => {
            nodes.push(full);
            (Box::new(empty()), None, None)
        }
        other => (Box::new(other.unwrap_or_else(empty)), None, None),
    };
    let script = Some(Box::new(script));
    nodes.push(match is_sup {
        true => Node::Scripts(base, sub, script),
        false => Node::Scripts(base, script, sup),
    });
}

/// A character outside any command.
pub(super) fn char_node(c: char) -> Node {
    match c {
        '-' => mo("−"), // TeX sets a minus sign, not a hyphen.
        '*' => mo("∗"),
        '\'' => mo("′"),
        '~' => Node::Space("0.3333em"), // TeX's tie: a non-breaking space.
        c if c.is_alphabetic() => Node::Mi(c.into()),
        c => mo(c),
    }
}

/// `\text{…}` content as shown: `\%`-style escapes undone, and spaces made
/// non-breaking, because MathML trims spaces at the edges of token elements
/// (`\text{nếu }` would lose its space).
pub(super) fn text_content(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next_if(|n| "{}$%&_#".contains(*n)).unwrap_or('\\')),
            c if c.is_whitespace() => out.push('\u{a0}'),
            c => out.push(c),
        }
    }
    out
}

/// `\mathbb{R}` → ℝ: the number sets of school maths; other letters as typed.
pub(super) fn double_struck(c: char) -> char {
    match c {
        'N' => 'ℕ',
        'Z' => 'ℤ',
        'Q' => 'ℚ',
        'R' => 'ℝ',
        'C' => 'ℂ',
        c => c,
    }
}
