//! MathML written in question text (`<math>…</math>`), re-emitted safely.
//!
//! Word equations and QTI items bring their maths as MathML. The text is
//! inserted into the page as HTML, so a span is never passed through: it is
//! read tag by tag and written again from an allow-list — MathML Core
//! presentation elements and the attributes that only change layout. Any
//! other element is dropped with its content's text kept (annotations
//! entirely), any other attribute is dropped, and text is escaped by the
//! same function as everything else. A span that is not well formed is
//! shown as plain text.

use super::push_escaped;

/// Elements written back (MathML Core presentation markup). The question
/// bank's importers keep MathML to this list too (re-exported as
/// `tex::MATHML_ELEMENTS`).
pub const ELEMENTS: &[&str] = &[
    "math",
    "mrow",
    "mi",
    "mn",
    "mo",
    "mtext",
    "mspace",
    "ms",
    "mfrac",
    "msqrt",
    "mroot",
    "msub",
    "msup",
    "msubsup",
    "munder",
    "mover",
    "munderover",
    "mmultiscripts",
    "mprescripts",
    "none",
    "mtable",
    "mtr",
    "mtd",
    "mpadded",
    "mphantom",
    "mstyle",
    "menclose",
    "semantics",
];

/// Elements dropped with everything inside them.
const DROPPED: &[&str] = &["annotation", "annotation-xml"];

/// Attributes written back (none can hold a URL, a script or a style);
/// re-exported as `tex::MATHML_ATTRIBUTES`.
pub const ATTRIBUTES: &[&str] = &[
    "display",
    "mathvariant",
    "linethickness",
    "accent",
    "accentunder",
    "stretchy",
    "fence",
    "separator",
    "lspace",
    "rspace",
    "columnalign",
    "displaystyle",
    "scriptlevel",
    "notation",
];

/// Deepest nesting accepted; deeper spans are shown as text.
const MAX_DEPTH: usize = 64;

/// If `text` starts with a well-formed `<math …>…</math>` span: the safe
/// HTML for it and how many bytes it took.
pub(super) fn span(text: &str) -> Option<(String, usize)> {
    let end = text.find("</math>")? + "</math>".len();
    let html = sanitize(&text[..end])?;
    Some((html, end))
}

fn sanitize(src: &str) -> Option<String> {
    let mut out = String::with_capacity(src.len());
    let mut stack: Vec<&str> = Vec::new();
    // Inside a dropped element: how deep, so its end is found.
    let mut dropping = 0usize;
    let mut rest = src;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<') {
            let close = after.find('>')?;
            let tag = &after[..close];
            rest = &after[close + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                let name = local(name.trim());
                if stack.pop()? != name {
                    return None;
                }
                if dropping > 0 {
                    dropping -= 1;
                } else if ELEMENTS.contains(&name) {
                    out.push_str("</");
                    out.push_str(name);
                    out.push('>');
                }
                continue;
            }
            if tag.starts_with('!') || tag.starts_with('?') {
                return None;
            }
            let self_closing = tag.ends_with('/');
            let tag = tag.trim_end_matches('/');
            let (name, attrs) = tag.split_once(char::is_whitespace).unwrap_or((tag, ""));
            let name = local(name);
            if name.is_empty() || (stack.is_empty() && name != "math") {
                return None;
            }
            if dropping > 0 || DROPPED.contains(&name) {
                if !self_closing {
                    dropping += 1;
                    stack.push(name);
                }
                continue;
            }
            if ELEMENTS.contains(&name) {
                out.push('<');
                out.push_str(name);
                write_attributes(&mut out, attrs)?;
                out.push('>');
                if self_closing {
                    out.push_str("</");
                    out.push_str(name);
                    out.push('>');
                }
            }
            if !self_closing {
                stack.push(name);
                if stack.len() > MAX_DEPTH {
                    return None;
                }
            }
        } else {
            let next = rest.find('<').unwrap_or(rest.len());
            if dropping == 0 {
                write_text(&mut out, &rest[..next])?;
            }
            rest = &rest[next..];
        }
        if stack.is_empty() {
            return rest.is_empty().then_some(out);
        }
    }
    // The span was cut at its first `</math>`, so an empty stack here means
    // that closing tag ended the root.
    stack.is_empty().then_some(out)
}

/// `m:mi` → `mi`: prefixes are dropped, the names are MathML's.
fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

fn write_attributes(out: &mut String, mut attrs: &str) -> Option<()> {
    loop {
        attrs = attrs.trim_start();
        if attrs.is_empty() {
            return Some(());
        }
        let eq = attrs.find('=')?;
        let name = local(attrs[..eq].trim());
        let after = attrs[eq + 1..].trim_start();
        let quote = after.chars().next().filter(|c| matches!(c, '"' | '\''))?;
        let value_end = after[1..].find(quote)? + 1;
        let value = &after[1..value_end];
        attrs = &after[value_end + 1..];
        if ATTRIBUTES.contains(&name) {
            out.push(' ');
            out.push_str(name);
            out.push_str("=\"");
            write_text(out, value)?;
            out.push('"');
        }
    }
}

/// Character data with its XML entities decoded, then escaped again.
fn write_text(out: &mut String, text: &str) -> Option<()> {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        rest[..amp].chars().for_each(|c| push_escaped(out, c));
        let semi = rest[amp..].find(';')? + amp;
        let entity = &rest[amp + 1..semi];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            _ => {
                let code =
                    if let Some(hex) = entity.strip_prefix("#x").or(entity.strip_prefix("#X")) {
                        u32::from_str_radix(hex, 16).ok()?
                    } else {
                        entity.strip_prefix('#')?.parse().ok()?
                    };
                char::from_u32(code)?
            }
        };
        push_escaped(out, c);
        rest = &rest[semi + 1..];
    }
    rest.chars().for_each(|c| push_escaped(out, c));
    Some(())
}

#[cfg(test)]
mod tests {
    use super::super::to_html;

    #[test]
    fn allowed_markup_passes_prefixes_and_namespaces_go() {
        let text = r#"Tính <math xmlns="http://www.w3.org/1998/Math/MathML" display="block"><m:mfrac><m:mn>1</m:mn><m:mn>2</m:mn></m:mfrac></math> nhé"#;
        assert_eq!(
            to_html(text),
            r#"Tính <math display="block"><mfrac><mn>1</mn><mn>2</mn></mfrac></math> nhé"#
        );
    }

    #[test]
    fn scripts_links_styles_and_annotations_never_pass() {
        let text = r#"<math><mi href="javascript:alert(1)" onclick="x()" style="color:red">x</mi><script>alert(1)</script><semantics><mn>2</mn><annotation encoding="LaTeX">2</annotation></semantics><mtext>&lt;b&gt; &#x1D465;</mtext></math>"#;
        assert_eq!(
            to_html(text),
            "<math><mi>x</mi>alert(1)<semantics><mn>2</mn></semantics>\
             <mtext>&lt;b&gt; \u{1D465}</mtext></math>"
        );
    }

    #[test]
    fn malformed_spans_are_plain_text() {
        for text in [
            "<math><mi>x</mo></math>",
            "<math><mi>x</math>",
            "<math><!DOCTYPE x></math>",
            "<math><mi a=unquoted>x</mi></math>",
            "<math>&bogus;</math>",
        ] {
            let html = to_html(text);
            assert!(html.starts_with("&lt;math&gt;"), "{text} → {html}");
        }
        let deep = format!(
            "<math>{}{}</math>",
            "<mrow>".repeat(100),
            "</mrow>".repeat(100)
        );
        assert!(to_html(&deep).starts_with("&lt;math&gt;"));
    }
}
