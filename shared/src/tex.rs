//! TeX maths in question text, rendered as MathML Core.
//!
//! Authors write maths the way Vietnamese teachers always have, in TeX:
//! `Cho hàm số \(y = x^2 - 2x + 1\)`. Browsers render MathML Core natively,
//! so the client turns the TeX into MathML when it builds the page: no
//! JavaScript renderer, no fonts to ship.
//!
//! The conversion has three small stages:
//!
//! 1. [`to_html`] splits the text into plain runs and formulas (`\( \)` and
//!    `$ $` inline, `\[ \]` and `$$ $$` display). An unclosed delimiter is
//!    plain text and `\$` is a literal dollar.
//! 2. A tokenizer and a recursive-descent parser turn one formula into a small
//!    tree covering the TeX school maths uses: numbers, letters, operators,
//!    `{}` groups, scripts, fractions, roots, Greek, relations, functions, big
//!    operators, `\left … \right`, accents, `\text`, spacing, and
//!    `cases`/`array`/`matrix` tables.
//! 3. A serializer writes the tree as MathML ([`formula_to_mathml`]).
//!
//! # Safety
//!
//! The output is inserted into the page as raw HTML, so the rules are
//! absolute: every character taken from the input is written through one
//! escaping function (`& < > " '`), tag names and attribute values come only
//! from constants in this file, and whatever the parser does not understand
//! (an unknown `\command`) is shown as escaped text, or dropped if TeX itself
//! would reject it (a stray `}` or `&`).
//!
//! The parser never panics and always terminates: every loop consumes input
//! or returns to a caller that does, and nesting deeper than `MAX_DEPTH` is
//! shown as text instead of recursing further, which also bounds the depth
//! of the tree the serializer recurses over.

/// Nesting deeper than this (groups in fractions in roots …) is shown as
/// text. Real questions stay far below it; it bounds the recursion.
const MAX_DEPTH: usize = 32;

const BLOCK: &str = r#"<math display="block">"#;

/// TeX's thin space (3/18 em), used between a function name and its argument.
const THIN_SPACE: &str = "0.1667em";

/// Maths delimiters as (open, close, display). `$$` comes before `$` so that
/// the longer opener wins.
#[rustfmt::skip]
const MATH_DELIMITERS: [(&str, &str, bool); 4] =
    [("$$", "$$", true), ("\\[", "\\]", true), ("\\(", "\\)", false), ("$", "$", false)];

/// Question or option text → safe HTML: plain text HTML-escaped (newlines →
/// `<br>`), maths in `\( … \)` and `$ … $` as inline `<math>`, `\[ … \]` and
/// `$$ … $$` as `<math display="block">`.
pub fn to_html(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() * 2);
    // A closing delimiter not found from one start is not found from any later
    // start either (the search skips `\x` pairs identically from both), so
    // remember it: text full of unclosed `\(` stays linear, not quadratic.
    let mut unclosed = [false; MATH_DELIMITERS.len()];
    // All slicing happens at ASCII delimiters, hence on char boundaries.
    let (mut i, mut plain_from) = (0, 0);
    while i < bytes.len() {
        if bytes[i..].starts_with(b"![")
            && let Some((img, len)) = image(&text[i..])
        {
            write_plain(&mut out, &text[plain_from..i]);
            out.push_str(&img);
            i += len;
            plain_from = i;
            continue;
        }
        if bytes[i..].starts_with(b"\\$") {
            write_plain(&mut out, &text[plain_from..i]);
            out.push('$');
            i += 2;
            plain_from = i;
            continue;
        }
        let opener = MATH_DELIMITERS
            .iter()
            .position(|(open, _, _)| bytes[i..].starts_with(open.as_bytes()));
        let Some(k) = opener else {
            i += 1;
            continue;
        };
        let (open, close, display) = MATH_DELIMITERS[k];
        let body = i + open.len();
        let end = (!unclosed[k]).then(|| find_close(bytes, body, close));
        if let Some(end) = end.flatten() {
            write_plain(&mut out, &text[plain_from..i]);
            out.push_str(&formula_to_mathml(&text[body..end], display));
            i = end + close.len();
            plain_from = i;
        } else {
            // Unclosed: the opener stays in the plain run, shown as typed.
            unclosed[k] = true;
            i = body;
        }
    }
    write_plain(&mut out, &text[plain_from..]);
    out
}

/// Image types a question may embed.
const IMAGE_TYPES: [&str; 5] = ["png", "jpeg", "gif", "webp", "svg+xml"];

/// Largest embedded image, in characters of base64.
pub const MAX_IMAGE_CHARS: usize = 2 * 1024 * 1024;

/// An image written `![alt](data:image/png;base64,…)` at the start of
/// `text`: the `<img>` and how many bytes it took. Only base64 `data:` URLs
/// of image types are accepted — the picture travels inside the paper, so
/// it is served only with the paper (never before the exam opens) and no
/// URL can point anywhere else. SVG is safe here: an `<img>` never runs an
/// SVG's scripts.
fn image(text: &str) -> Option<(String, usize)> {
    let rest = text.strip_prefix("![")?;
    let alt_end = rest.find("](")?;
    let alt = &rest[..alt_end];
    if alt.contains(['\n', '\r']) {
        return None;
    }
    let after_alt = &rest[alt_end + 2..];
    let src_end = after_alt.find(')')?;
    let src = &after_alt[..src_end];
    let (kind, data) = src.strip_prefix("data:image/")?.split_once(";base64,")?;
    let base64 = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=');
    if !IMAGE_TYPES.contains(&kind)
        || data.is_empty()
        || data.len() > MAX_IMAGE_CHARS
        || !data.chars().all(base64)
    {
        return None;
    }
    let mut alt_html = String::new();
    write_plain(&mut alt_html, alt);
    let html = format!(r#"<img class="q-img" src="{src}" alt="{alt_html}">"#);
    Some((html, 2 + alt_end + 2 + src_end + 1))
}

/// Where `close` starts at or after `from`. Backslash pairs are skipped, so a
/// `\$` or `\\` inside the maths never ends it.
fn find_close(bytes: &[u8], from: usize, close: &str) -> Option<usize> {
    let mut i = from;
    while i < bytes.len() {
        if bytes[i..].starts_with(close.as_bytes()) {
            return Some(i);
        }
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    None
}

/// Plain text: escaped, with each line break (`\n`, `\r\n` or `\r`) a `<br>`.
fn write_plain(out: &mut String, text: &str) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("<br>");
            }
            '\n' => out.push_str("<br>"),
            c => push_escaped(out, c),
        }
    }
}

/// The one place input characters enter the output.
fn push_escaped(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        c => out.push(c),
    }
}

/// One TeX formula → a `<math>` element (inline, or block if `display`).
pub fn formula_to_mathml(tex: &str, display: bool) -> String {
    let parser = Parser {
        src: tex,
        pos: 0,
        depth: 0,
    };
    let nodes = parser.parse_formula();
    let mut out = String::from(if display { BLOCK } else { "<math>" });
    write_row(&mut out, &nodes, display);
    out.push_str("</math>");
    out
}

// ---- The tree ----

/// A parsed formula. Text fields hold raw characters; escaping happens only
/// when serializing.
#[derive(Debug)]
enum Node {
    /// `<mrow>`: a `{…}` group, or the body of `\left … \right`.
    Row(Vec<Node>),
    /// `<mi>`: a letter, a Greek letter, or a function name such as `sin`.
    Mi(String),
    /// `<mn>`: a number such as `1,5`.
    Mn(String),
    /// `<mo>`, and whether it stretches, written only when set: `\left(`
    /// stretches, a plain `(` must not (MathML would stretch it to the height
    /// of a fraction next to it).
    Mo(String, Option<bool>),
    /// `<mtext>`: `\text{…}`, or an unknown command shown as typed.
    Text(String),
    /// `<mspace>` of a fixed width.
    Space(&'static str),
    /// Numerator, denominator, and the style `\dfrac` (true) or `\tfrac`
    /// (false) force; plain `\frac` follows its surroundings.
    Frac(Box<Node>, Box<Node>, Option<bool>),
    /// Radicand and, for `\sqrt[n]`, the index.
    Root(Box<Node>, Option<Box<Node>>),
    /// Base, subscript, superscript; at least one script is present.
    Scripts(Box<Node>, Option<Box<Node>>, Option<Box<Node>>),
    /// `\overline`, `\vec` …: base, mark, whether the mark spans the base.
    Accent(Box<Node>, &'static str, bool),
    /// Rows of cells, from `\begin{…}` environments.
    Table(Vec<Vec<Node>>),
}

fn empty() -> Node {
    Node::Row(Vec::new())
}

/// A group's contents as one node: no `<mrow>` around a single child.
fn row(mut nodes: Vec<Node>) -> Node {
    if nodes.len() == 1
        && let Some(only) = nodes.pop()
    {
        return only;
    }
    Node::Row(nodes)
}

/// Brackets, which MathML stretches unless told not to.
const FENCES: &[&str] = &[
    "(", ")", "[", "]", "{", "}", "|", "‖", "⟨", "⟩", "⌊", "⌋", "⌈", "⌉", "/",
];

/// An operator as written in the formula: brackets keep their natural size.
fn mo(text: impl Into<String>) -> Node {
    let text = text.into();
    let stretchy = FENCES.contains(&text.as_str()).then_some(false);
    Node::Mo(text, stretchy)
}

/// A `\left`/`\right`/`\middle` delimiter or an environment's bracket.
fn fence(text: &str) -> Node {
    Node::Mo(text.into(), Some(true))
}

// ---- Serializer ----

const UPRIGHT: &str = r#" mathvariant="normal""#;

/// A sequence of siblings. `display` is whether big operators put their
/// limits above and below (display style) or beside (inline).
fn write_row(out: &mut String, nodes: &[Node], display: bool) {
    for (i, node) in nodes.iter().enumerate() {
        node.write(out, display);
        // TeX puts a thin space between a function and an ordinary argument
        // (`\sin x`) but not before an operator or bracket (`\sin(x)`).
        let ordinary_next = nodes
            .get(i + 1)
            .is_some_and(|next| !matches!(next, Node::Mo(..) | Node::Space(_)));
        if node.is_function() && ordinary_next {
            Node::Space(THIN_SPACE).write(out, display);
        }
    }
}

/// A token element: the only place node text is written, always escaped.
fn write_token(out: &mut String, tag: &str, attrs: &str, text: &str) {
    out.push_str(&format!("<{tag}{attrs}>"));
    text.chars().for_each(|c| push_escaped(out, c));
    out.push_str(&format!("</{tag}>"));
}

/// An element whose children are nodes, each with its own display flag.
fn write_element<'n>(
    out: &mut String,
    tag: &str,
    children: impl IntoIterator<Item = (&'n Node, bool)>,
) {
    out.push_str(&format!("<{tag}>"));
    for (child, display) in children {
        child.write(out, display);
    }
    out.push_str(&format!("</{tag}>"));
}

fn stretchy_attr(stretchy: Option<bool>) -> &'static str {
    match stretchy {
        None => "",
        Some(true) => r#" stretchy="true""#,
        Some(false) => r#" stretchy="false""#,
    }
}

impl Node {
    fn write(&self, out: &mut String, display: bool) {
        match self {
            Node::Row(nodes) => {
                out.push_str("<mrow>");
                write_row(out, nodes, display);
                out.push_str("</mrow>");
            }
            Node::Mi(text) => {
                // A one-letter <mi> is italic, but TeX sets capital Greek upright.
                let mut chars = text.chars();
                let upright = matches!((chars.next(), chars.next()), (Some('Α'..='Ω'), None));
                write_token(out, "mi", if upright { UPRIGHT } else { "" }, text);
            }
            Node::Mn(text) => write_token(out, "mn", "", text),
            Node::Mo(text, stretchy) => write_token(out, "mo", stretchy_attr(*stretchy), text),
            Node::Text(text) => write_token(out, "mtext", "", text),
            Node::Space(width) => out.push_str(&format!(r#"<mspace width="{width}"></mspace>"#)),
            Node::Frac(num, den, style) => {
                // Fraction parts are in text style, as in TeX: no limits under ∑.
                let parts = [(num.as_ref(), false), (den.as_ref(), false)];
                let Some(forced) = style.filter(|&forced| forced != display) else {
                    return write_element(out, "mfrac", parts);
                };
                out.push_str(&format!(r#"<mstyle displaystyle="{forced}">"#));
                write_element(out, "mfrac", parts);
                out.push_str("</mstyle>");
            }
            Node::Root(body, None) => {
                out.push_str("<msqrt>");
                body.write_inner(out, display);
                out.push_str("</msqrt>");
            }
            Node::Root(body, Some(index)) => {
                let parts = [(body.as_ref(), display), (index.as_ref(), false)];
                write_element(out, "mroot", parts);
            }
            Node::Scripts(base, sub, sup) => {
                let limits = display && base.takes_limits();
                let tag = match (sub.is_some(), sup.is_some(), limits) {
                    (true, true, false) => "msubsup",
                    (true, false, false) => "msub",
                    (false, _, false) => "msup",
                    (true, true, true) => "munderover",
                    (true, false, true) => "munder",
                    (false, _, true) => "mover",
                };
                let scripts = [sub, sup].into_iter().flatten();
                let parts = scripts.map(|script| (script.as_ref(), false));
                write_element(
                    out,
                    tag,
                    [(base.as_ref(), display)].into_iter().chain(parts),
                );
            }
            Node::Accent(base, mark, stretchy) => {
                out.push_str(r#"<mover accent="true">"#);
                base.write(out, display);
                write_token(out, "mo", stretchy_attr(Some(*stretchy)), mark);
                out.push_str("</mover>");
            }
            Node::Table(rows) => {
                out.push_str("<mtable>");
                for cells in rows {
                    out.push_str("<mtr>");
                    for cell in cells {
                        out.push_str("<mtd>");
                        cell.write_inner(out, false);
                        out.push_str("</mtd>");
                    }
                    out.push_str("</mtr>");
                }
                out.push_str("</mtable>");
            }
        }
    }

    /// Writes a row's children without the `<mrow>`, for elements (msqrt,
    /// mtd) that already group their children.
    fn write_inner(&self, out: &mut String, display: bool) {
        match self {
            Node::Row(nodes) => write_row(out, nodes, display),
            node => node.write(out, display),
        }
    }

    /// A function name (`sin`, `\lim_{…}`): only `\operatorname` and the
    /// function commands make a multi-letter `<mi>`.
    fn is_function(&self) -> bool {
        match self {
            Node::Mi(text) => text.chars().nth(1).is_some(),
            Node::Scripts(base, ..) => base.is_function(),
            _ => false,
        }
    }

    /// Whether TeX puts this operator's limits below and above in display
    /// style. Integrals keep theirs beside the sign, as in TeX.
    fn takes_limits(&self) -> bool {
        match self {
            Node::Mo(text, _) => ["∑", "∏", "⋃", "⋂"].contains(&text.as_str()),
            Node::Mi(text) => ["lim", "max", "min", "sup", "inf"].contains(&text.as_str()),
            _ => false,
        }
    }
}

// ---- Tokenizer and parser ----

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok<'a> {
    /// `\name`, or `\` and one other character (`\,`, `\{`, `\\`); empty for
    /// a backslash at the very end.
    Cmd(&'a str),
    Num(&'a str),
    /// Any other character, including the structural `{ } ^ _ &`.
    Char(char),
    End,
}

/// Tokens that end a row; the construct that opened the row consumes them.
fn is_terminator(tok: Tok, in_bracket: bool) -> bool {
    matches!(
        tok,
        Tok::Char('}' | '&') | Tok::End | Tok::Cmd("\\" | "right" | "end")
    ) || (in_bracket && tok == Tok::Char(']'))
}

/// A cursor over one formula. Tokens are lexed on demand, so commands such
/// as `\text` can read raw source instead of tokens.
struct Parser<'a> {
    src: &'a str,
    pos: usize,
    /// Atoms currently being parsed, one inside another.
    depth: usize,
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
    fn parse_formula(mut self) -> Vec<Node> {
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
fn attach(nodes: &mut Vec<Node>, is_sup: bool, script: Node) {
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
fn char_node(c: char) -> Node {
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
fn text_content(raw: &str) -> String {
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
fn double_struck(c: char) -> char {
    match c {
        'N' => 'ℕ',
        'Z' => 'ℤ',
        'Q' => 'ℚ',
        'R' => 'ℝ',
        'C' => 'ℂ',
        c => c,
    }
}

fn lookup<T: Copy>(table: &[(&str, T)], name: &str) -> Option<T> {
    table
        .iter()
        .find(|entry| entry.0 == name)
        .map(|entry| entry.1)
}

/// Commands that are one identifier (`<mi>`): Greek and ordinary symbols.
/// TeX's `\epsilon`/`\phi` are the lunate/closed forms, the `var` ones the
/// everyday ε and φ.
#[rustfmt::skip]
const IDENTIFIERS: &[(&str, &str)] = &[
    ("alpha", "α"), ("beta", "β"), ("gamma", "γ"), ("delta", "δ"), ("epsilon", "ϵ"),
    ("varepsilon", "ε"), ("zeta", "ζ"), ("eta", "η"), ("theta", "θ"), ("vartheta", "ϑ"),
    ("iota", "ι"), ("kappa", "κ"), ("lambda", "λ"), ("mu", "μ"), ("nu", "ν"), ("xi", "ξ"),
    ("pi", "π"), ("varpi", "ϖ"), ("rho", "ρ"), ("varrho", "ϱ"), ("sigma", "σ"),
    ("varsigma", "ς"), ("tau", "τ"), ("upsilon", "υ"), ("phi", "ϕ"), ("varphi", "φ"),
    ("chi", "χ"), ("psi", "ψ"), ("omega", "ω"),
    ("Gamma", "Γ"), ("Delta", "Δ"), ("Theta", "Θ"), ("Lambda", "Λ"), ("Xi", "Ξ"), ("Pi", "Π"),
    ("Sigma", "Σ"), ("Upsilon", "Υ"), ("Phi", "Φ"), ("Psi", "Ψ"), ("Omega", "Ω"),
    ("infty", "∞"), ("emptyset", "∅"), ("varnothing", "∅"), ("partial", "∂"), ("nabla", "∇"),
    ("angle", "∠"), ("triangle", "△"), ("ell", "ℓ"),
];

/// Commands that are one operator (`<mo>`): relations, binary operators,
/// arrows, dots, big operators, escaped punctuation.
#[rustfmt::skip]
const OPERATORS: &[(&str, &str)] = &[
    ("le", "≤"), ("leq", "≤"), ("leqslant", "⩽"), ("ge", "≥"), ("geq", "≥"), ("geqslant", "⩾"),
    ("ne", "≠"), ("neq", "≠"), ("approx", "≈"), ("equiv", "≡"), ("sim", "∼"), ("simeq", "≃"),
    ("cong", "≅"), ("propto", "∝"), ("ll", "≪"), ("gg", "≫"), ("lt", "<"), ("gt", ">"),
    ("pm", "±"), ("mp", "∓"), ("times", "×"), ("cdot", "⋅"), ("div", "÷"), ("ast", "∗"),
    ("circ", "∘"), ("degree", "°"), ("bullet", "∙"), ("setminus", "∖"), ("prime", "′"),
    ("in", "∈"), ("notin", "∉"), ("ni", "∋"), ("subset", "⊂"), ("subseteq", "⊆"),
    ("supset", "⊃"), ("supseteq", "⊇"), ("cup", "∪"), ("cap", "∩"),
    ("forall", "∀"), ("exists", "∃"), ("neg", "¬"), ("land", "∧"), ("wedge", "∧"),
    ("lor", "∨"), ("vee", "∨"), ("therefore", "∴"), ("because", "∵"),
    ("Rightarrow", "⇒"), ("Leftarrow", "⇐"), ("Leftrightarrow", "⇔"), ("implies", "⟹"),
    ("iff", "⟺"), ("to", "→"), ("rightarrow", "→"), ("leftarrow", "←"), ("gets", "←"),
    ("leftrightarrow", "↔"), ("longrightarrow", "⟶"), ("mapsto", "↦"),
    ("uparrow", "↑"), ("downarrow", "↓"), ("nearrow", "↗"), ("searrow", "↘"),
    ("perp", "⊥"), ("parallel", "∥"), ("mid", "∣"),
    ("ldots", "…"), ("dots", "…"), ("cdots", "⋯"), ("vdots", "⋮"), ("ddots", "⋱"),
    ("sum", "∑"), ("prod", "∏"), ("int", "∫"), ("iint", "∬"), ("oint", "∮"),
    ("bigcup", "⋃"), ("bigcap", "⋂"),
    ("{", "{"), ("}", "}"), ("lbrace", "{"), ("rbrace", "}"), ("|", "‖"), ("Vert", "‖"),
    ("vert", "|"), ("langle", "⟨"), ("rangle", "⟩"), ("lfloor", "⌊"), ("rfloor", "⌋"),
    ("lceil", "⌈"), ("rceil", "⌉"), ("colon", ":"),
    ("%", "%"), ("$", "$"), ("#", "#"), ("&", "&"), ("_", "_"),
];

/// Function names, set upright as a multi-letter `<mi>`.
#[rustfmt::skip]
const FUNCTIONS: &[&str] = &[
    "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh", "cosh",
    "tanh", "coth", "log", "ln", "lg", "exp", "lim", "max", "min", "sup", "inf", "det", "gcd",
    "deg", "arg", "dim", "ker",
];

/// Spacing commands and their widths (`\!` shows nothing: MathML Core has no
/// negative space).
#[rustfmt::skip]
const SPACES: &[(&str, &str)] = &[
    (",", "0.1667em"), ("thinspace", "0.1667em"), (":", "0.2222em"), (">", "0.2222em"),
    (";", "0.2778em"), (" ", "0.25em"), ("enspace", "0.5em"), ("quad", "1em"), ("qquad", "2em"),
];

/// Accents as (mark, stretchy): the `wide`/`over` forms span their base.
#[rustfmt::skip]
const ACCENTS: &[(&str, (&str, bool))] = &[
    ("overline", ("‾", true)), ("bar", ("¯", false)), ("vec", ("→", false)),
    ("overrightarrow", ("→", true)), ("overleftrightarrow", ("↔", true)),
    ("widehat", ("^", true)), ("hat", ("^", false)), ("widetilde", ("~", true)),
    ("tilde", ("~", false)), ("dot", ("˙", false)), ("ddot", ("¨", false)),
    ("wideparen", ("⏜", true)), ("overparen", ("⏜", true)),
];

/// What `\left`, `\right`, `\middle` and `\big` accept, by source text.
#[rustfmt::skip]
const DELIMITERS: &[(&str, &str)] = &[
    ("(", "("), (")", ")"), ("[", "["), ("]", "]"), ("|", "|"), ("/", "/"), ("<", "⟨"),
    (">", "⟩"), ("\\{", "{"), ("\\}", "}"), ("\\lbrace", "{"), ("\\rbrace", "}"), ("\\|", "‖"),
    ("\\Vert", "‖"), ("\\vert", "|"), ("\\langle", "⟨"), ("\\rangle", "⟩"), ("\\lfloor", "⌊"),
    ("\\rfloor", "⌋"), ("\\lceil", "⌈"), ("\\rceil", "⌉"),
];

/// Environments drawn with brackets: (open, close), close empty for none.
/// Any other environment (`array`, `matrix`, `aligned` …) is a bare table.
#[rustfmt::skip]
const ENVIRONMENTS: &[(&str, (&str, &str))] = &[
    ("cases", ("{", "")), ("pmatrix", ("(", ")")), ("bmatrix", ("[", "]")),
    ("Bmatrix", ("{", "}")), ("vmatrix", ("|", "|")), ("Vmatrix", ("‖", "‖")),
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The MathML children of an inline formula, without the `<math>` wrapper.
    fn body(tex: &str) -> String {
        let out = formula_to_mathml(tex, false);
        out["<math>".len()..out.len() - "</math>".len()].to_string()
    }

    /// Checks that `html` is text plus only our own tags and attributes, with
    /// every `&` an escape we write and no bare `"`, `'` or `>`.
    fn assert_safe(html: &str) {
        const TAGS: &str = "math mrow mi mn mo mfrac msqrt mroot msup msub msubsup mtext \
                            mspace munder mover munderover mtable mtr mtd br mstyle";
        const ATTRS: &str = "display stretchy width mathvariant accent displaystyle";
        const ENTITIES: [&str; 5] = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"];
        assert!(!html.to_lowercase().contains("<script"), "{html}");
        let mut open = Vec::new();
        let mut rest = html;
        while let Some(at) = rest.find(['<', '&', '"', '\'', '>']) {
            let after = &rest[at + 1..];
            match rest.as_bytes()[at] {
                b'<' => {
                    let end = after
                        .find('>')
                        .unwrap_or_else(|| panic!("unended tag: {html}"));
                    let tag = &after[..end];
                    rest = &after[end + 1..];
                    if let Some(name) = tag.strip_prefix('/') {
                        assert_eq!(open.pop(), Some(name), "{html}");
                        continue;
                    }
                    if let Some(img) = tag.strip_prefix("img ") {
                        // Our one void tag with free text: a data: URL of
                        // base64 characters and an escaped alt.
                        let (src, alt) = img.split_once(r#"" alt=""#).expect("src then alt");
                        let src = src.strip_prefix(r#"class="q-img" src="data:image/"#);
                        let b64 = |c: char| c.is_ascii_alphanumeric() || "+/=;,".contains(c);
                        assert!(src.is_some_and(|s| s.chars().all(b64)), "{html}");
                        let alt = alt.strip_suffix('"').expect("quoted alt");
                        assert!(!alt.contains(['<', '>', '"', '\'']), "{html}");
                        continue;
                    }
                    let mut parts = tag.split(' ');
                    let name = parts.next().unwrap_or_default();
                    assert!(TAGS.split(' ').any(|t| t == name), "tag {name:?}: {html}");
                    for attr in parts {
                        let (key, value) = attr.split_once('=').expect("attribute value");
                        let value = value.strip_prefix('"').and_then(|v| v.strip_suffix('"'));
                        assert!(ATTRS.split(' ').any(|a| a == key), "{key:?}: {html}");
                        let constant = |c: char| c.is_ascii_alphanumeric() || c == '.';
                        assert!(value.is_some_and(|v| v.chars().all(constant)), "{html}");
                    }
                    if name != "br" {
                        open.push(name);
                    }
                }
                b'&' => {
                    assert!(ENTITIES.iter().any(|e| rest[at..].starts_with(e)), "{html}");
                    rest = after;
                }
                other => panic!("bare {:?}: {html}", other as char),
            }
        }
        assert!(open.is_empty(), "unclosed {open:?}: {html}");
    }

    #[test]
    fn images_only_as_embedded_data() {
        let png = "![Hình 1: đồ thị](data:image/png;base64,iVBORw0KGgo=)";
        let html = to_html(&format!("Xem {png} rồi trả lời"));
        assert_eq!(
            html,
            r#"Xem <img class="q-img" src="data:image/png;base64,iVBORw0KGgo=" alt="Hình 1: đồ thị"> rồi trả lời"#
        );
        assert_safe(&html);
        for refused in [
            "![x](https://evil.example/a.png)",
            "![x](data:text/html;base64,PHNjcmlwdD4=)",
            "![x](data:image/png;base64,abc\"onerror=\"x)",
            "![x](javascript:alert(1))",
            "![a\nb](data:image/png;base64,AAAA)",
        ] {
            let html = to_html(refused);
            assert!(!html.contains("<img"), "{refused} → {html}");
            assert_safe(&html);
        }
        let html = to_html(r#"![<script>"'](data:image/gif;base64,R0lG)"#);
        assert!(
            html.contains(r#"alt="&lt;script&gt;&quot;&#39;""#),
            "{html}"
        );
        assert_safe(&html);
    }

    #[test]
    fn vietnamese_sentence_with_inline_maths() {
        let html = to_html(r"Cho hàm số \(y = x^2 - 2x + 1\). Giá trị nhỏ nhất là");
        assert_eq!(
            html,
            "Cho hàm số <math><mi>y</mi><mo>=</mo><msup><mi>x</mi><mn>2</mn></msup>\
             <mo>−</mo><mn>2</mn><mi>x</mi><mo>+</mo><mn>1</mn></math>. Giá trị nhỏ nhất là"
        );
    }

    #[test]
    fn fraction_root_and_scripts_exactly() {
        let frac = formula_to_mathml(r"\frac{a+1}{2}", false);
        let expected = "<mrow><mi>a</mi><mo>+</mo><mn>1</mn></mrow><mn>2</mn>";
        assert_eq!(frac, format!("<math><mfrac>{expected}</mfrac></math>"));
        let root = formula_to_mathml(r"\sqrt[3]{x}", false);
        assert_eq!(root, "<math><mroot><mi>x</mi><mn>3</mn></mroot></math>");
        let scripts = formula_to_mathml("x_1^2", false);
        assert_eq!(
            scripts,
            "<math><msubsup><mi>x</mi><mn>1</mn><mn>2</mn></msubsup></math>"
        );
    }

    /// (TeX, MathML inside an inline `<math>`), one or more per construct.
    #[rustfmt::skip]
    const INLINE: &[(&str, &str)] = &[
        // Numbers, identifiers, operators, groups.
        ("1,5+2.25", "<mn>1,5</mn><mo>+</mo><mn>2.25</mn>"),
        ("1, 5.", "<mn>1</mn><mo>,</mo><mn>5</mn><mo>.</mo>"),
        ("f'(x)", r#"<mi>f</mi><mo>′</mo><mo stretchy="false">(</mo><mi>x</mi><mo stretchy="false">)</mo>"#),
        ("a<b", "<mi>a</mi><mo>&lt;</mo><mi>b</mi>"),
        ("{a+b}", "<mrow><mi>a</mi><mo>+</mo><mi>b</mi></mrow>"),
        // Fractions and roots.
        (r"\dfrac12", r#"<mstyle displaystyle="true"><mfrac><mn>1</mn><mn>2</mn></mfrac></mstyle>"#),
        (r"\frac{1}", "<mfrac><mn>1</mn><mrow></mrow></mfrac>"),
        (r"\sqrt{x+1}", "<msqrt><mi>x</mi><mo>+</mo><mn>1</mn></msqrt>"),
        // Scripts.
        ("x^{2}_{i}", "<msubsup><mi>x</mi><mi>i</mi><mn>2</mn></msubsup>"),
        ("x^10", "<msup><mi>x</mi><mn>1</mn></msup><mn>0</mn>"),
        (r"30^\circ", "<msup><mn>30</mn><mo>∘</mo></msup>"),
        ("e^{-x}", "<msup><mi>e</mi><mrow><mo>−</mo><mi>x</mi></mrow></msup>"),
        ("x^2^3", "<msup><mi>x</mi><mn>2</mn></msup><msup><mrow></mrow><mn>3</mn></msup>"),
        // Greek, relations, operators, sets.
        (r"\alpha+\Delta \le \pi", r#"<mi>α</mi><mo>+</mo><mi mathvariant="normal">Δ</mi><mo>≤</mo><mi>π</mi>"#),
        (r"a\ne b", "<mi>a</mi><mo>≠</mo><mi>b</mi>"),
        (r"x\in\mathbb{R}", "<mi>x</mi><mo>∈</mo><mi>ℝ</mi>"),
        (r"1,2,\ldots", "<mn>1,2</mn><mo>,</mo><mo>…</mo>"),
        (r"\Rightarrow\infty", "<mo>⇒</mo><mi>∞</mi>"),
        // Functions: upright, with TeX's thin space before an ordinary argument.
        (r"\sin x", r#"<mi>sin</mi><mspace width="0.1667em"></mspace><mi>x</mi>"#),
        (r"\cos(x)", r#"<mi>cos</mi><mo stretchy="false">(</mo><mi>x</mi><mo stretchy="false">)</mo>"#),
        // Big operators inline: limits beside.
        (r"\sum_{i=1}^n i", "<msubsup><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></msubsup><mi>i</mi>"),
        // \left … \right.
        (r"\left( \frac{1}{2} \right)", r#"<mrow><mo stretchy="true">(</mo><mfrac><mn>1</mn><mn>2</mn></mfrac><mo stretchy="true">)</mo></mrow>"#),
        (r"\left\{ x \right.", r#"<mrow><mo stretchy="true">{</mo><mi>x</mi></mrow>"#),
        (r"\left| x \right|", r#"<mrow><mo stretchy="true">|</mo><mi>x</mi><mo stretchy="true">|</mo></mrow>"#),
        // Accents.
        (r"\overline{AB}", r#"<mover accent="true"><mrow><mi>A</mi><mi>B</mi></mrow><mo stretchy="true">‾</mo></mover>"#),
        (r"\vec{u}", r#"<mover accent="true"><mi>u</mi><mo stretchy="false">→</mo></mover>"#),
        (r"\widehat{A}", r#"<mover accent="true"><mi>A</mi><mo stretchy="true">^</mo></mover>"#),
        // Text and spacing.
        (r"\text{nếu } x", "<mtext>nếu\u{a0}</mtext><mi>x</mi>"),
        (r"\mathrm{d}x", "<mtext>d</mtext><mi>x</mi>"),
        (r"\text{50\%}", "<mtext>50%</mtext>"),
        (r"a\,b\quad c\!d", r#"<mi>a</mi><mspace width="0.1667em"></mspace><mi>b</mi><mspace width="1em"></mspace><mi>c</mi><mi>d</mi>"#),
        // Environments.
        (r"\begin{cases} x & x \ge 0 \\ -x & x < 0 \\ \end{cases}", r#"<mrow><mo stretchy="true">{</mo><mtable><mtr><mtd><mi>x</mi></mtd><mtd><mi>x</mi><mo>≥</mo><mn>0</mn></mtd></mtr><mtr><mtd><mo>−</mo><mi>x</mi></mtd><mtd><mi>x</mi><mo>&lt;</mo><mn>0</mn></mtd></mtr></mtable></mrow>"#),
        (r"\begin{pmatrix} 1 & 2 \end{pmatrix}", r#"<mrow><mo stretchy="true">(</mo><mtable><mtr><mtd><mn>1</mn></mtd><mtd><mn>2</mn></mtd></mtr></mtable><mo stretchy="true">)</mo></mrow>"#),
        (r"\begin{array}{l|c} a \\ b \end{array}", "<mtable><mtr><mtd><mi>a</mi></mtd></mtr><mtr><mtd><mi>b</mi></mtd></mtr></mtable>"),
        // Unknown commands: shown, escaped.
        (r"\foo{x}", r"<mtext>\foo</mtext><mi>x</mi>"),
        (r"\<", r"<mtext>\&lt;</mtext>"),
        ("\\", r"<mtext>\</mtext>"),
    ];

    #[test]
    fn each_construct_renders_as_expected() {
        for (tex, expected) in INLINE {
            assert_eq!(body(tex), *expected, "{tex}");
        }
    }

    #[test]
    fn display_style() {
        let sum = formula_to_mathml(r"\sum_{i=1}^{n} i", true);
        assert!(sum.starts_with(r#"<math display="block"><munderover><mo>∑</mo><mrow>"#));
        let lim = formula_to_mathml(r"\lim_{x\to 0} f(x)", true);
        assert!(
            lim.contains(
                "<munder><mi>lim</mi><mrow><mi>x</mi><mo>→</mo><mn>0</mn></mrow></munder>"
            )
        );
        // Integrals keep their limits beside the sign, as in TeX.
        assert!(formula_to_mathml(r"\int_0^1", true).contains("<msubsup><mo>∫</mo>"));
        let tfrac = formula_to_mathml(r"\tfrac{1}{2}", true);
        assert!(
            tfrac.contains(r#"<mstyle displaystyle="false"><mfrac>"#),
            "{tfrac}"
        );
    }

    /// (text, HTML) for delimiter detection and plain text.
    #[rustfmt::skip]
    const TEXT: &[(&str, &str)] = &[
        ("$x$", "<math><mi>x</mi></math>"),
        ("$$x$$", r#"<math display="block"><mi>x</mi></math>"#),
        (r"\[x\]", r#"<math display="block"><mi>x</mi></math>"#),
        (r"a \$5 và $b$", "a $5 và <math><mi>b</mi></math>"),
        // Unclosed delimiters are plain text.
        ("giá 5$ và x", "giá 5$ và x"),
        (r"\(x + 1", r"\(x + 1"),
        ("$$x$", "$$x$"),
        // An escaped dollar inside maths does not close it.
        (r"$a\$b$", "<math><mi>a</mi><mo>$</mo><mi>b</mi></math>"),
        ("a\nb\r\nc", "a<br>b<br>c"),
        // Script tags and attribute breakouts come out inert.
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        (r#""><img src=x onerror=alert(1)>"#, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"),
        ("$<script>$", "<math><mo>&lt;</mo><mi>s</mi><mi>c</mi><mi>r</mi><mi>i</mi><mi>p</mi><mi>t</mi><mo>&gt;</mo></math>"),
        (r#"\(\text{"><img onerror=x>}\)"#, "<math><mtext>&quot;&gt;&lt;img\u{a0}onerror=x&gt;</mtext></math>"),
        (r#"$\"\'$"#, r"<math><mtext>\&quot;</mtext><mtext>\&#39;</mtext></math>"),
    ];

    #[test]
    fn text_and_delimiters() {
        for (text, expected) in TEXT {
            assert_eq!(to_html(text), *expected, "{text}");
        }
    }

    #[test]
    fn attacks_in_formulas_come_out_inert() {
        let attack = r#""><img src=x onerror=alert(1)><script>alert('x')</script>"#;
        for text in [
            format!("${attack}$"),
            format!(r"$$\text{{{attack}}}$$"),
            format!(r"\[\mathrm{{{attack}}} \operatorname{{{attack}}} \mathbb{{{attack}}}\]"),
            format!(r"\(\begin{{{attack}}} x \end{{{attack}}} \foo{attack}\)"),
        ] {
            // assert_safe rejects any <img or <script tag and any bare quote.
            assert_safe(&to_html(&text));
        }
    }

    #[rustfmt::skip]
    const MALFORMED: &[&str] = &[
        r"\frac{1}{", "}}}{{", r"\sqrt[", r"\left(", r"\right)", r"\begin{cases}", "x^", "^_^_",
        r"&&\\", r"\end{x}", r"\text{", "\\", r"\sqrt[3", r"\left", "x^{", "\u{0}",
    ];

    #[test]
    fn malformed_and_deep_input_renders_safely() {
        let deep = ["{", r"\frac", r"\sqrt[", r"\left(", "x^2", r"\begin{cases}"];
        let deep = deep.map(|piece| piece.repeat(20_000));
        for tex in MALFORMED
            .iter()
            .copied()
            .chain(deep.iter().map(String::as_str))
        {
            assert_safe(&formula_to_mathml(tex, true));
            assert_safe(&to_html(&format!("${tex}$ and \\({tex}")));
        }
    }

    /// Pieces that hit the parser's corners far more often than random text.
    #[rustfmt::skip]
    const PIECES: &[&str] = &[
        r"\frac", r"\dfrac", r"\sqrt", "[", "]", "{", "}", "^", "_", "&", r"\\", r"\left",
        r"\right", ".", r"\begin{cases}", r"\end{cases}", r"\begin{array}{cc}", r"\text{", "$",
        "$$", r"\(", r"\)", r"\[", r"\]", "\\", r"\$", "<", ">", "\"", "'", "<script>", r"\sum",
        r"\lim", r"\overline", r"\mathbb", r"\foo", "x", "1,5", " ", "\n", r"\alpha",
        r"\{", "|",
    ];

    fn texish() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            prop::sample::select(PIECES).prop_map(String::from),
            any::<char>().prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn arbitrary_strings_render_safely(text in any::<String>()) {
            assert_safe(&to_html(&text));
        }

        #[test]
        fn texish_strings_render_safely(text in texish()) {
            assert_safe(&to_html(&text));
            assert_safe(&formula_to_mathml(&text, true));
        }
    }
}
