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
//! escaping function (`& < > " '`); tag and attribute names come only from
//! constants (here and in `mathml.rs`'s allow-list, which re-emits MathML
//! written in the text rather than passing it through); a picture is only a
//! base64 `data:` URL of an image type; whatever the parser does not
//! understand (an unknown `\command`) is shown as escaped text, or dropped if
//! TeX itself would reject it (a stray `}` or `&`).
//!
//! The parser never panics and always terminates: every loop consumes input
//! or returns to a caller that does, and nesting deeper than `MAX_DEPTH` is
//! shown as text instead of recursing further, which also bounds the depth
//! of the tree the serializer recurses over.

mod mathml;
mod parse;
mod symbols;
#[cfg(test)]
mod tests;
mod tree;

pub use mathml::{ATTRIBUTES as MATHML_ATTRIBUTES, ELEMENTS as MATHML_ELEMENTS};
use parse::Parser;
use tree::write_row;

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
    // Likewise for pictures and MathML: once no closer follows, none will.
    let (mut no_image_close, mut no_math_close) = (false, false);
    while i < bytes.len() {
        if !no_image_close && bytes[i..].starts_with(b"![") && !text[i..].contains("](") {
            no_image_close = true;
        }
        if !no_math_close && bytes[i..].starts_with(b"<math") && !text[i..].contains("</math>") {
            no_math_close = true;
        }
        if !no_image_close
            && bytes[i..].starts_with(b"![")
            && let Some((img, len)) = image(&text[i..])
        {
            write_plain(&mut out, &text[plain_from..i]);
            out.push_str(&img);
            i += len;
            plain_from = i;
            continue;
        }
        if !no_math_close
            && bytes[i..].starts_with(b"<math")
            && let Some((html, len)) = mathml::span(&text[i..])
        {
            write_plain(&mut out, &text[plain_from..i]);
            out.push_str(&html);
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
/// (The bank's largest picture, [`crate::bank::item::MAX_IMAGE_BYTES`],
/// in base64.)
pub const MAX_IMAGE_CHARS: usize = crate::bank::item::MAX_IMAGE_BYTES.div_ceil(3) * 4;

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
