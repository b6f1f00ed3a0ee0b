//! HTML from Moodle and QTI sources turned into examgate's plain question
//! text, and back.
//!
//! [`html_to_text`] strips tags (`<br>` and block ends become line breaks),
//! decodes entities, turns `<img>` into image references through an
//! [`ImageResolver`] and keeps `<math>` spans, cleaned down to MathML Core
//! presentation elements and attributes. Tables become lines, colours,
//! fonts, links and lists' bullets are lost. [`text_to_html`] writes the
//! text back: escaped, newlines as `<br>`, runs of spaces kept with
//! `&nbsp;`, MathML and TeX passed through, image references as `<img>`.
//! The pair round-trips: `html_to_text(text_to_html(t)) == t` for text whose
//! lines have no leading or trailing spaces.

use base64::Engine;
use examgate_shared::bank::Image;
use examgate_shared::tex::{MATHML_ATTRIBUTES, MATHML_ELEMENTS};

/// Whether a MathML element is kept inside `<math>`: the renderer's
/// allow-list ([`MATHML_ELEMENTS`], MathML Core presentation elements),
/// and `annotation`, so that a formula's TeX source stays in the question
/// text for export (the renderer drops annotations when it shows the text).
pub(crate) fn is_kept_math_element(name: &str) -> bool {
    MATHML_ELEMENTS.contains(&name) || name == "annotation"
}

/// Whether an attribute is kept on a MathML element: the renderer's
/// allow-list ([`MATHML_ATTRIBUTES`]), and `encoding`, which says what an
/// `annotation` holds.
pub(crate) fn is_kept_math_attribute(name: &str) -> bool {
    MATHML_ATTRIBUTES.contains(&name) || name == "encoding"
}

/// Elements whose end (and start) breaks the line.
const BLOCKS: [&str; 17] = [
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "hr",
    "section",
];

/// Elements whose content is never text.
const SKIPPED: [&str; 4] = ["script", "style", "head", "annotation-xml"];

/// Gives the bytes of the picture an `<img src>` names, or why it cannot.
type Lookup<'a> = Box<dyn FnMut(&str) -> Result<Vec<u8>, String> + 'a>;

/// Finds the bytes behind an `<img src>` and collects each picture once.
pub(crate) struct ImageResolver<'a> {
    lookup: Lookup<'a>,
    images: Vec<Image>,
}

impl<'a> ImageResolver<'a> {
    /// A resolver asking `lookup` for every `src` that is not a `data:` URI;
    /// `lookup` says why when it has no such picture.
    pub(crate) fn new(lookup: impl FnMut(&str) -> Result<Vec<u8>, String> + 'a) -> Self {
        ImageResolver {
            lookup: Box::new(lookup),
            images: Vec::new(),
        }
    }

    /// A resolver for formats that carry no picture files: only `data:`
    /// URIs resolve; every other `src` gets `why`.
    pub(crate) fn data_uris_only(why: &'a str) -> Self {
        ImageResolver::new(move |src| Err(format!("the picture {src:?} cannot be read: {why}")))
    }

    /// The image reference for `src`, the picture remembered.
    pub(crate) fn resolve(&mut self, src: &str, description: &str) -> Result<String, String> {
        let bytes = match data_uri(src) {
            Some(decoded) => decoded?,
            None => (self.lookup)(src)?,
        };
        self.add(src, bytes, description)
    }

    /// The image reference for a picture's `bytes` (called `src` in
    /// messages), the picture remembered.
    pub(crate) fn add(
        &mut self,
        src: &str,
        bytes: Vec<u8>,
        description: &str,
    ) -> Result<String, String> {
        let image = Image::new(bytes).map_err(|why| format!("the picture {src:?} is {why}"))?;
        let reference = image.reference(description);
        if !self.images.iter().any(|i| i.name == image.name) {
            self.images.push(image);
        }
        Ok(reference)
    }

    /// The pictures resolved so far, in the order first met.
    pub(crate) fn into_images(self) -> Vec<Image> {
        self.images
    }
}

/// The bytes of a `data:…;base64,` URI, `None` when `src` is not one.
fn data_uri(src: &str) -> Option<Result<Vec<u8>, String>> {
    let rest = src.trim().strip_prefix("data:")?;
    let (header, payload) = rest.split_once(',')?;
    if !header.ends_with(";base64") {
        return Some(Err("a data: picture that is not base64".into()));
    }
    let clean: String = payload.chars().filter(|c| !c.is_whitespace()).collect();
    Some(
        base64::engine::general_purpose::STANDARD
            .decode(clean)
            .map_err(|e| format!("a data: picture with bad base64 ({e})")),
    )
}

/// The plain text of `html` (see the module doc), or why a picture in it
/// cannot be kept.
pub(crate) fn html_to_text(html: &str, images: &mut ImageResolver) -> Result<String, String> {
    let mut out = Output::default();
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        if c == '<'
            && let Some((tag, after)) = Tag::parse(rest)
        {
            rest = after;
            if !tag.closing && SKIPPED.contains(&tag.name.as_str()) && !tag.empty {
                rest = skip_element(rest, &tag.name);
                continue;
            }
            out.tag(&tag, images)?;
            continue;
        }
        if c == '&' {
            let (decoded, len) = entity(rest);
            out.text(&decoded, true);
            rest = &rest[len..];
            continue;
        }
        out.text(c.encode_utf8(&mut [0; 4]), false);
        rest = &rest[c.len_utf8()..];
    }
    Ok(out.finish())
}

/// The text after the end of the element `name` whose start was just read.
fn skip_element<'h>(rest: &'h str, name: &str) -> &'h str {
    let close = format!("</{name}");
    let lower = rest.to_ascii_lowercase();
    match lower.find(&close) {
        Some(at) => rest[at..].find('>').map_or("", |end| &rest[at + end + 1..]),
        None => "",
    }
}

/// The text being built, with HTML's whitespace rules.
#[derive(Default)]
struct Output {
    text: String,
    /// Open `<math>` elements (0 outside maths).
    math_depth: usize,
}

impl Output {
    /// Adds text; `literal` text (from an entity) keeps its spaces.
    fn text(&mut self, piece: &str, literal: bool) {
        for c in piece.chars() {
            if self.math_depth > 0 {
                match c {
                    '&' => self.text.push_str("&amp;"),
                    '<' => self.text.push_str("&lt;"),
                    '>' => self.text.push_str("&gt;"),
                    c if c.is_whitespace() => self.text.push(' '),
                    c => self.text.push(c),
                }
            } else if matches!(c, ' ' | '\t' | '\r' | '\n') && !literal {
                if !(self.text.is_empty() || self.text.ends_with([' ', '\n'])) {
                    self.text.push(' ');
                }
            } else {
                self.text.push(c);
            }
        }
    }

    /// Starts a new line unless one was just started.
    fn boundary(&mut self) {
        let kept = self.text.trim_end_matches(' ').len();
        self.text.truncate(kept);
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
    }

    fn tag(&mut self, tag: &Tag, images: &mut ImageResolver) -> Result<(), String> {
        let name = tag.name.as_str();
        if self.math_depth > 0 || name == "math" {
            self.math_tag(tag);
            return Ok(());
        }
        match name {
            "br" => self.text.push('\n'),
            "img" => {
                let src = tag.attribute("src").unwrap_or_default();
                let alt = tag.attribute("alt").unwrap_or_default();
                let reference = images.resolve(&src, &alt)?;
                self.text.push_str(&reference);
            }
            "td" | "th" if !tag.closing => self.text(" ", false),
            n if BLOCKS.contains(&n) => self.boundary(),
            _ => {}
        }
        Ok(())
    }

    /// Copies a MathML tag, cleaned: no prefix, no namespace, only MathML
    /// Core presentation elements and attributes (others dropped, their
    /// content kept).
    fn math_tag(&mut self, tag: &Tag) {
        let name = tag.name.as_str();
        if !is_kept_math_element(name) {
            return;
        }
        if tag.closing {
            self.text.push_str(&format!("</{name}>"));
            if name == "math" {
                self.math_depth = self.math_depth.saturating_sub(1);
            }
            return;
        }
        self.text.push('<');
        self.text.push_str(name);
        for (key, value) in &tag.attributes {
            if is_kept_math_attribute(key) {
                self.text
                    .push_str(&format!(" {key}=\"{}\"", escape_attribute(value)));
            }
        }
        if tag.empty {
            self.text.push_str(&format!("></{name}>"));
        } else {
            self.text.push('>');
            if name == "math" {
                self.math_depth += 1;
            }
        }
    }

    fn finish(self) -> String {
        let lines: Vec<&str> = self.text.split('\n').map(|l| l.trim_matches(' ')).collect();
        lines.join("\n").trim_matches('\n').to_string()
    }
}

/// One HTML tag, names lower-cased and namespace prefixes (`m:`) dropped.
struct Tag {
    name: String,
    closing: bool,
    empty: bool,
    attributes: Vec<(String, String)>,
}

impl Tag {
    /// The tag at the start of `text` (which starts with `<`) and the text
    /// after it; `None` when `<` does not start a tag (`a < b`).
    fn parse(text: &str) -> Option<(Tag, &str)> {
        let body = &text[1..];
        let closing = body.starts_with('/');
        let body = if closing { &body[1..] } else { body };
        if !body.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        let end = tag_end(body)?;
        let inner = &body[..end];
        let after = &body[end + 1..];
        let empty = inner.trim_end().ends_with('/');
        let inner = inner.trim_end().trim_end_matches('/');
        let name_end = inner
            .find(|c: char| c.is_whitespace())
            .unwrap_or(inner.len());
        let full_name = inner[..name_end].to_ascii_lowercase();
        let name = full_name.rsplit(':').next().unwrap_or_default().to_string();
        Some((
            Tag {
                name,
                closing,
                empty,
                attributes: attributes(&inner[name_end..]),
            },
            after,
        ))
    }

    fn attribute(&self, key: &str) -> Option<String> {
        self.attributes
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }
}

/// Where the `>` closing a tag is, quotes respected.
fn tag_end(body: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in body.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// `key="value"` pairs (single, double or no quotes), entities decoded.
fn attributes(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let key_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let key = rest[..key_end].to_ascii_lowercase();
        rest = rest[key_end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (raw, remaining) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let inner = &after[1..];
                    let end = inner.find(q).unwrap_or(inner.len());
                    (&inner[..end], inner.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            value = decode_entities(raw);
            rest = remaining.trim_start();
        }
        let key = key.rsplit(':').next().unwrap_or_default().to_string();
        if !key.is_empty() {
            out.push((key, value));
        }
    }
    out
}

/// Every entity in `text` decoded.
pub(crate) fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let (decoded, len) = entity(&rest[at..]);
        out.push_str(&decoded);
        rest = &rest[at + len..];
    }
    out.push_str(rest);
    out
}

/// The entity at the start of `text` (which starts with `&`) and its length;
/// an unknown one stays as written.
fn entity(text: &str) -> (String, usize) {
    let end = text
        .char_indices()
        .take(12)
        .find(|(_, c)| *c == ';')
        .map(|(i, _)| i);
    let Some(end) = end else {
        return ("&".into(), 1);
    };
    let name = &text[1..end];
    let decoded = if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => number.parse().ok(),
        };
        code.and_then(char::from_u32)
            .filter(|c| *c != '\0')
            .map(String::from)
    } else {
        named_entity(name).map(String::from)
    };
    match decoded {
        Some(d) => (d, end + 1),
        None => ("&".into(), 1),
    }
}

fn named_entity(name: &str) -> Option<&'static str> {
    if let Some(predefined) = crate::xml::predefined_entity(name) {
        return Some(predefined);
    }
    Some(match name {
        // A hard space: kept as a plain space that is never collapsed.
        "nbsp" => " ",
        "ndash" => "–",
        "mdash" => "—",
        "hellip" => "…",
        "laquo" => "«",
        "raquo" => "»",
        "lsquo" => "‘",
        "rsquo" => "’",
        "ldquo" => "“",
        "rdquo" => "”",
        "deg" => "°",
        "times" => "×",
        "divide" => "÷",
        "plusmn" => "±",
        "minus" => "−",
        "le" => "≤",
        "ge" => "≥",
        "ne" => "≠",
        "middot" => "·",
        "copy" => "©",
        "pi" => "π",
        "alpha" => "α",
        "beta" => "β",
        "gamma" => "γ",
        "delta" => "δ",
        "Delta" => "Δ",
        "infin" => "∞",
        "radic" => "√",
        "sup2" => "²",
        "sup3" => "³",
        "frac12" => "½",
        _ => return None,
    })
}

fn escape_attribute(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Question text as HTML (see the module doc); `image_src` gives the `src`
/// written for an image name.
pub(crate) fn text_to_html(text: &str, image_src: &dyn Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    let mut previous = '\n';
    while let Some(c) = rest.chars().next() {
        if let Some(len) = math_span(rest) {
            out.push_str(&rest[..len]);
            rest = &rest[len..];
            previous = '>';
            continue;
        }
        if let Some((description, name, len)) = image_reference(rest) {
            out.push_str(&format!(
                "<img src=\"{}\" alt=\"{}\">",
                escape_attribute(&image_src(name)),
                escape_attribute(description)
            ));
            rest = &rest[len..];
            previous = ')';
            continue;
        }
        match c {
            '\n' => out.push_str("<br>"),
            ' ' if matches!(previous, ' ' | '\n') => out.push_str("&nbsp;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
        previous = c;
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The length of the `<math …>…</math>` span at the start of `text`.
fn math_span(text: &str) -> Option<usize> {
    if !(text.starts_with("<math>") || text.starts_with("<math ")) {
        return None;
    }
    text.find("</math>").map(|end| end + "</math>".len())
}

/// `![description](image:NAME)` at the start of `text`: description, name
/// and length.
pub(crate) fn image_reference(text: &str) -> Option<(&str, &str, usize)> {
    let rest = text.strip_prefix("![")?;
    let close = rest.find("](image:")?;
    let description = &rest[..close];
    if description.contains('\n') {
        return None;
    }
    let after = &rest[close + "](image:".len()..];
    let end = after.find(')')?;
    let name = &after[..end];
    if !examgate_shared::bank::item::is_image_name(name) {
        return None;
    }
    Some((description, name, 2 + close + "](image:".len() + end + 1))
}

/// The image names `text` refers to, in order.
pub(crate) fn referenced_images(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("![") {
        match image_reference(&rest[at..]) {
            Some((_, name, len)) => {
                names.push(name);
                rest = &rest[at + len..];
            }
            None => rest = &rest[at + 2..],
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\nfake";

    fn plain(html: &str) -> String {
        html_to_text(html, &mut ImageResolver::data_uris_only("no files here")).unwrap()
    }

    #[test]
    fn tags_go_blocks_break_and_entities_decode() {
        assert_eq!(
            plain("<p>Tính <b>x</b>&nbsp;&amp; y</p>\n<p>a&lt;b<br/>c &#x2212; d</p>"),
            "Tính x & y\na<b\nc − d"
        );
        assert_eq!(plain("<script>alert(1)</script>ok <!-- no -->"), "ok");
        assert_eq!(plain("a < b &unknown; c"), "a < b &unknown; c");
        assert_eq!(plain("<table><tr><td>1</td><td>2</td></tr></table>"), "1 2");
    }

    #[test]
    fn mathml_is_kept_clean() {
        assert_eq!(
            plain(
                "x = <m:math xmlns:m=\"http://www.w3.org/1998/Math/MathML\" display=\"block\" \
                 onclick=\"evil()\"><m:mi>a</m:mi><m:mo>&lt;</m:mo><maction><mn>2</mn></maction>\
                 <mspace/></m:math>"
            ),
            "x = <math display=\"block\"><mi>a</mi><mo>&lt;</mo><mn>2</mn><mspace></mspace></math>"
        );
    }

    #[test]
    fn pictures_resolve_once_and_unknown_ones_are_reasons() {
        let mut resolver = ImageResolver::new(|src| {
            if src == "a.png" {
                Ok(PNG.to_vec())
            } else {
                Err(format!("no file {src}"))
            }
        });
        let text = html_to_text(
            "<img src=\"a.png\" alt=\"hình 1\"> and <img src='a.png'>",
            &mut resolver,
        )
        .unwrap();
        let images = resolver.into_images();
        assert_eq!(images.len(), 1);
        assert_eq!(
            text,
            format!("![hình 1](image:{0}) and ![](image:{0})", images[0].name)
        );
        let mut resolver = ImageResolver::new(|src| Err(format!("no file {src}")));
        assert_eq!(
            html_to_text("<img src=\"b.png\">", &mut resolver),
            Err("no file b.png".to_string())
        );
    }

    #[test]
    fn text_round_trips_through_html() {
        let image = Image::new(PNG.to_vec()).unwrap();
        let text = format!(
            "Cho a  <  b & \\(x^2\\)\n\nvà <math><mi>x</mi></math> {}",
            image.reference("h")
        );
        let html = text_to_html(&text, &|name| format!("@@PLUGINFILE@@/{name}"));
        assert!(
            html.contains("<br><br>") && html.contains("&nbsp;"),
            "{html}"
        );
        let mut resolver = ImageResolver::new(|_| Ok(PNG.to_vec()));
        assert_eq!(html_to_text(&html, &mut resolver).unwrap(), text);
        assert_eq!(referenced_images(&text), vec![image.name.as_str()]);
    }
}
