//! XHTML item content to question text: paragraphs, divisions and list
//! items become lines, `<br>` a line break, `<img>` an image reference,
//! MathML a `<math>` span; every other element gives only its text (tables,
//! colours, emphasis and links are lost). Feedback, rubric and template
//! elements are not question text and are skipped; interactions are read
//! by the caller.

use super::mathml;
use super::media::Media;
use super::xml::{Element, Node};

/// Elements that start and end a line.
const BLOCKS: [&str; 28] = [
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "caption",
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
    "article",
    "figure",
    "figcaption",
    "contentBody",
];

/// QTI elements that are not shown as question text.
const HIDDEN: [&str; 9] = [
    "feedbackInline",
    "feedbackBlock",
    "modalFeedback",
    "rubricBlock",
    "templateBlock",
    "templateInline",
    "printedVariable",
    "stylesheet",
    "companionMaterialsInfo",
];

/// Whether `element` is an interaction (read by the caller, not as text).
pub fn is_interaction(element: &Element) -> bool {
    element.name.ends_with("Interaction")
}

/// The text of `nodes`, with interactions left out.
pub fn text_of(nodes: &[Node], media: &mut Media<'_, '_>) -> String {
    let mut out = Out::default();
    walk(nodes, media, &mut out);
    out.finish()
}

fn walk(nodes: &[Node], media: &mut Media<'_, '_>, out: &mut Out) {
    for node in nodes {
        match node {
            Node::Text(text) => out.text(text),
            Node::Element(element) => element_text(element, media, out),
        }
    }
}

fn element_text(element: &Element, media: &mut Media<'_, '_>, out: &mut Out) {
    let name = element.name.as_str();
    if is_interaction(element) || HIDDEN.contains(&name) {
        return;
    }
    if mathml::is_math(element) {
        return out.atom(&mathml::span(element));
    }
    match name {
        "br" => out.newline(),
        "img" => {
            let src = element.attr("src").unwrap_or("");
            let alt = element.attr("alt").unwrap_or("");
            if let Some(reference) = media.image(src, alt, element.line) {
                out.atom(&reference);
            }
        }
        _ if BLOCKS.contains(&name) => {
            out.boundary();
            walk(&element.children, media, out);
            out.boundary();
        }
        // Table cells on one line, kept apart by a space.
        "td" | "th" => {
            walk(&element.children, media, out);
            out.space = true;
        }
        _ => walk(&element.children, media, out),
    }
}

/// Text being built with HTML's whitespace rules: runs of spaces and line
/// ends in the source are one space, never at the start of a line.
#[derive(Default)]
struct Out {
    text: String,
    space: bool,
}

impl Out {
    fn text(&mut self, raw: &str) {
        for c in raw.chars() {
            if c.is_whitespace() {
                self.space = true;
            } else {
                self.glue();
                self.text.push(c);
            }
        }
    }

    /// Something that is never split or trimmed (a formula, a picture).
    fn atom(&mut self, atom: &str) {
        self.glue();
        self.text.push_str(atom);
    }

    fn glue(&mut self) {
        if self.space && !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push(' ');
        }
        self.space = false;
    }

    fn newline(&mut self) {
        self.text.push('\n');
        self.space = false;
    }

    fn boundary(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
        self.space = false;
    }

    fn finish(self) -> String {
        self.text.trim_start_matches('\n').trim_end().to_string()
    }
}
