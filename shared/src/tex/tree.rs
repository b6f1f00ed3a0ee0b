//! The parsed formula as a tree, and its serializer to MathML. Every
//! character of the input reaches the output through one escaping function.

use super::*;

// ---- The tree ----

/// A parsed formula. Text fields hold raw characters; escaping happens only
/// when serializing.
#[derive(Debug)]
pub(super) enum Node {
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

pub(super) fn empty() -> Node {
    Node::Row(Vec::new())
}

/// A group's contents as one node: no `<mrow>` around a single child.
pub(super) fn row(mut nodes: Vec<Node>) -> Node {
    if nodes.len() == 1
        && let Some(only) = nodes.pop()
    {
        return only;
    }
    Node::Row(nodes)
}

/// Brackets, which MathML stretches unless told not to.
pub(super) const FENCES: &[&str] = &[
    "(", ")", "[", "]", "{", "}", "|", "‖", "⟨", "⟩", "⌊", "⌋", "⌈", "⌉", "/",
];

/// An operator as written in the formula: brackets keep their natural size.
pub(super) fn mo(text: impl Into<String>) -> Node {
    let text = text.into();
    let stretchy = FENCES.contains(&text.as_str()).then_some(false);
    Node::Mo(text, stretchy)
}

/// A `\left`/`\right`/`\middle` delimiter or an environment's bracket.
pub(super) fn fence(text: &str) -> Node {
    Node::Mo(text.into(), Some(true))
}

// ---- Serializer ----

pub(super) const UPRIGHT: &str = r#" mathvariant="normal""#;

/// A sequence of siblings. `display` is whether big operators put their
/// limits above and below (display style) or beside (inline).
pub(super) fn write_row(out: &mut String, nodes: &[Node], display: bool) {
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
pub(super) fn write_token(out: &mut String, tag: &str, attrs: &str, text: &str) {
    out.push_str(&format!("<{tag}{attrs}>"));
    text.chars().for_each(|c| push_escaped(out, c));
    out.push_str(&format!("</{tag}>"));
}

/// An element whose children are nodes, each with its own display flag.
pub(super) fn write_element<'n>(
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

pub(super) fn stretchy_attr(stretchy: Option<bool>) -> &'static str {
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
