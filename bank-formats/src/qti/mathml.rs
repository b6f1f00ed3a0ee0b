//! MathML in QTI bodies, normalised to the `<math>…</math>` spans question
//! text carries: no prefixes, no `xmlns`, only MathML Core presentation
//! elements and the attributes the renderer keeps, token text trimmed and
//! XML-escaped. The same normaliser reads a span back when exporting, so a
//! span survives import → export → import unchanged.

use super::xml::{self, Element, Node};
use crate::html::{is_kept_math_attribute, is_kept_math_element};

/// The MathML namespace.
pub const MATHML_NS: &str = "http://www.w3.org/1998/Math/MathML";

/// Elements whose text is content (whitespace elsewhere is layout).
const TOKENS: [&str; 6] = ["mi", "mn", "mo", "mtext", "ms", "annotation"];

/// Whether `element` starts a formula: `math` in the MathML namespace, or
/// a `math` a sloppy exporter left in the item's own namespace.
pub fn is_math(element: &Element) -> bool {
    element.name == "math"
}

/// The span for a `math` element.
pub fn span(math: &Element) -> String {
    let mut out = String::new();
    write_element(math, &mut out);
    out
}

fn write_element(element: &Element, out: &mut String) {
    let name = element.name.as_str();
    match name {
        // Deprecated but common: brackets around its children, written out.
        "mfenced" => return write_fenced(element, out),
        // Other markup (content MathML, HTML) cannot be shown safely.
        "annotation-xml" => return,
        "annotation" if !is_tex_annotation(element) => return,
        // `merror` is not MathML Core; its children still say something.
        "merror" => return write_children(element, out),
        _ => {}
    }
    if !is_kept_math_element(name) {
        return write_children(element, out);
    }
    out.push('<');
    out.push_str(name);
    for (key, value) in &element.attrs {
        if is_kept_math_attribute(key) {
            out.push_str(&format!(" {key}=\"{}\"", xml::escape_attr(value)));
        }
    }
    let mut inner = String::new();
    if TOKENS.contains(&name) {
        xml::escape_text(&collapse(&element.text()), &mut inner);
    } else {
        write_children(element, &mut inner);
    }
    if inner.is_empty() {
        out.push_str("/>");
    } else {
        out.push('>');
        out.push_str(&inner);
        out.push_str(&format!("</{name}>"));
    }
}

fn write_children(element: &Element, out: &mut String) {
    for child in element.children.iter() {
        if let Node::Element(child) = child {
            write_element(child, out);
        }
    }
}

/// `<mfenced open="(" close=")">a b</mfenced>` as `<mrow><mo>(</mo>a<mo>,</mo>b<mo>)</mo></mrow>`.
fn write_fenced(element: &Element, out: &mut String) {
    let open = element.attr("open").unwrap_or("(");
    let close = element.attr("close").unwrap_or(")");
    let separators: Vec<char> = element
        .attr("separators")
        .unwrap_or(",")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let operator = |text: &str, out: &mut String| {
        if !text.is_empty() {
            out.push_str("<mo>");
            xml::escape_text(text, out);
            out.push_str("</mo>");
        }
    };
    out.push_str("<mrow>");
    operator(open, out);
    for (i, child) in element.elements().enumerate() {
        if i > 0
            && let Some(sep) = separators.get(i - 1).or(separators.last())
        {
            operator(&sep.to_string(), out);
        }
        write_element(child, out);
    }
    operator(close, out);
    out.push_str("</mrow>");
}

fn is_tex_annotation(element: &Element) -> bool {
    let encoding = element.attr("encoding").unwrap_or("").to_ascii_lowercase();
    matches!(
        encoding.as_str(),
        "latex" | "tex" | "application/x-tex" | "application/x-latex" | "text/x-latex"
    )
}

/// Whitespace trimmed and runs of it made one space, as MathML reads tokens.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A span from question text as XML in the MathML namespace, for export;
/// `None` when the span is not well-formed XML.
pub fn to_xml(span: &str) -> Option<String> {
    let root = xml::parse(span.as_bytes()).ok()?;
    if root.name != "math" {
        return None;
    }
    let normalised = self::span(&root);
    let rest = normalised.strip_prefix("<math")?;
    Some(format!("<math xmlns=\"{MATHML_NS}\"{rest}"))
}
