//! Word equations (OMML, `m:oMath`) to MathML, following the mapping in
//! question-formats.md §5.5 (defaults as Word draws them).
//!
//! Only MathML Core presentation elements are written, without namespace
//! prefixes; `*Pr` property elements are read for options and never copied.
//! Recursion follows the element tree, whose depth the XML reader bounds.

use super::xml::{Element, Node};

/// One `m:oMath` as a `<math>` span; `display` for an `m:oMathPara` line.
pub fn to_mathml(math: &Element, display: bool) -> String {
    let inner = children(math).concat();
    if display {
        format!("<math display=\"block\">{inner}</math>")
    } else {
        format!("<math>{inner}</math>")
    }
}

/// The MathML nodes of `e`'s children, one string per node.
fn children(e: &Element) -> Vec<String> {
    e.elements().flat_map(node).collect()
}

/// The children of `e` as one node (an `mrow` when there are several).
fn row(e: Option<&Element>) -> String {
    let nodes = e.map(children).unwrap_or_default();
    if nodes.len() == 1 {
        nodes.concat()
    } else {
        format!("<mrow>{}</mrow>", nodes.concat())
    }
}

fn tag(name: &str, attrs: &str, parts: &[String]) -> String {
    format!("<{name}{attrs}>{}</{name}>", parts.concat())
}

/// A property of `e`'s `*Pr` child: `None` when not stated, `Some("")`
/// when stated without a value.
fn prop<'a>(e: &'a Element, pr: &str, name: &str) -> Option<&'a str> {
    let p = e.child(pr)?.child(name)?;
    Some(p.attr("m:val").unwrap_or(""))
}

fn on(value: Option<&str>) -> bool {
    value.is_some_and(|v| super::styles::on_off(Some(v).filter(|v| !v.is_empty())))
}

fn mo(op: &str) -> String {
    format!("<mo>{}</mo>", escape(op))
}

fn node(e: &Element) -> Vec<String> {
    let arg = |name: &str| row(e.child(name));
    let one = |s: String| vec![s];
    match e.name.as_str() {
        "m:r" => run(e),
        "m:f" => match prop(e, "m:fPr", "m:type") {
            Some("noBar") => one(tag(
                "mfrac",
                " linethickness=\"0\"",
                &[arg("m:num"), arg("m:den")],
            )),
            Some("lin") => one(tag("mrow", "", &[arg("m:num"), mo("/"), arg("m:den")])),
            _ => one(tag("mfrac", "", &[arg("m:num"), arg("m:den")])),
        },
        "m:sSup" => one(tag("msup", "", &[arg("m:e"), arg("m:sup")])),
        "m:sSub" => one(tag("msub", "", &[arg("m:e"), arg("m:sub")])),
        "m:sSubSup" => one(tag(
            "msubsup",
            "",
            &[arg("m:e"), arg("m:sub"), arg("m:sup")],
        )),
        "m:sPre" => one(tag(
            "mmultiscripts",
            "",
            &[
                arg("m:e"),
                "<mprescripts/>".into(),
                arg("m:sub"),
                arg("m:sup"),
            ],
        )),
        "m:rad" => {
            let degree = e.child("m:deg").map(children).unwrap_or_default();
            if on(prop(e, "m:radPr", "m:degHide")) || degree.is_empty() {
                one(tag(
                    "msqrt",
                    "",
                    &e.child("m:e").map(children).unwrap_or_default(),
                ))
            } else {
                one(tag("mroot", "", &[arg("m:e"), arg("m:deg")]))
            }
        }
        "m:d" => one(delimited(e)),
        "m:nary" => one(nary(e)),
        "m:func" => one(tag(
            "mrow",
            "",
            &[arg("m:fName"), mo("\u{2061}"), arg("m:e")],
        )),
        "m:acc" => {
            let chr = prop(e, "m:accPr", "m:chr").unwrap_or("\u{302}");
            one(tag("mover", " accent=\"true\"", &[arg("m:e"), mo(chr)]))
        }
        "m:bar" => match prop(e, "m:barPr", "m:pos") {
            Some("top") => one(tag(
                "mover",
                " accent=\"true\"",
                &[arg("m:e"), mo("\u{203E}")],
            )),
            _ => one(tag(
                "munder",
                " accentunder=\"true\"",
                &[arg("m:e"), mo("_")],
            )),
        },
        "m:limLow" => one(tag("munder", "", &[arg("m:e"), arg("m:lim")])),
        "m:limUpp" => one(tag("mover", "", &[arg("m:e"), arg("m:lim")])),
        "m:groupChr" => {
            let top = prop(e, "m:groupChrPr", "m:pos") == Some("top");
            let default = if top { "\u{23DE}" } else { "\u{23DF}" };
            let chr = prop(e, "m:groupChrPr", "m:chr").unwrap_or(default);
            let name = if top { "mover" } else { "munder" };
            one(tag(name, "", &[arg("m:e"), mo(chr)]))
        }
        "m:m" => {
            let rows: Vec<String> = e
                .elements()
                .filter(|r| r.name == "m:mr")
                .map(|r| {
                    let cells: Vec<String> = r
                        .elements()
                        .filter(|c| c.name == "m:e")
                        .map(|c| tag("mtd", "", &[row(Some(c))]))
                        .collect();
                    tag("mtr", "", &cells)
                })
                .collect();
            one(tag("mtable", "", &rows))
        }
        "m:eqArr" => {
            let rows: Vec<String> = e
                .elements()
                .filter(|r| r.name == "m:e")
                .map(|r| {
                    tag(
                        "mtr",
                        "",
                        &[tag("mtd", " columnalign=\"left\"", &[row(Some(r))])],
                    )
                })
                .collect();
            one(tag("mtable", "", &rows))
        }
        "m:box" => one(arg("m:e")),
        "m:borderBox" => one(tag("menclose", " notation=\"box\"", &[arg("m:e")])),
        "m:phant" => one(tag("mphantom", "", &[arg("m:e")])),
        "w:r" => {
            let text: String = e
                .elements()
                .filter(|t| t.name == "w:t")
                .map(Element::text)
                .collect();
            if text.trim().is_empty() {
                vec![]
            } else {
                one(format!("<mtext>{}</mtext>", escape(&text)))
            }
        }
        name if name.ends_with("Pr") => vec![],
        // Argument wrappers (m:e, m:num …) and anything unknown: their content.
        _ => children(e),
    }
}

/// `m:d`: fences around arguments separated by `sepChr`.
fn delimited(e: &Element) -> String {
    let begin = prop(e, "m:dPr", "m:begChr").unwrap_or("(");
    let end = prop(e, "m:dPr", "m:endChr").unwrap_or(")");
    let separator = prop(e, "m:dPr", "m:sepChr").unwrap_or("|");
    let mut parts = Vec::new();
    if !begin.is_empty() {
        parts.push(format!("<mo fence=\"true\">{}</mo>", escape(begin)));
    }
    for (i, arg) in e.elements().filter(|a| a.name == "m:e").enumerate() {
        if i > 0 && !separator.is_empty() {
            parts.push(format!("<mo separator=\"true\">{}</mo>", escape(separator)));
        }
        parts.push(row(Some(arg)));
    }
    if !end.is_empty() {
        parts.push(format!("<mo fence=\"true\">{}</mo>", escape(end)));
    }
    tag("mrow", "", &parts)
}

/// `m:nary`: ∫, ∑ … with limits under/over or as scripts, then the base.
fn nary(e: &Element) -> String {
    let chr = prop(e, "m:naryPr", "m:chr")
        .filter(|c| !c.is_empty())
        .unwrap_or("\u{222B}");
    let under_over = prop(e, "m:naryPr", "m:limLoc") == Some("undOvr");
    let sub = !on(prop(e, "m:naryPr", "m:subHide"));
    let sup = !on(prop(e, "m:naryPr", "m:supHide"));
    let op = mo(chr);
    let (lower, upper) = (row(e.child("m:sub")), row(e.child("m:sup")));
    let operator = match (under_over, sub, sup) {
        (_, false, false) => op,
        (true, true, true) => tag("munderover", "", &[op, lower, upper]),
        (true, true, false) => tag("munder", "", &[op, lower]),
        (true, false, true) => tag("mover", "", &[op, upper]),
        (false, true, true) => tag("msubsup", "", &[op, lower, upper]),
        (false, true, false) => tag("msub", "", &[op, lower]),
        (false, false, true) => tag("msup", "", &[op, upper]),
    };
    tag("mrow", "", &[operator, row(e.child("m:e"))])
}

/// `m:r`: its text split into `mn` (numbers), `mi` (letters) and `mo`
/// (everything else); `m:nor` text stays one `mtext`.
fn run(r: &Element) -> Vec<String> {
    let text: String = r
        .children
        .iter()
        .filter_map(|n| match n {
            Node::Element(t) if t.name == "m:t" => Some(t.text()),
            _ => None,
        })
        .collect();
    if text.is_empty() {
        return vec![];
    }
    let normal_text = r
        .child("m:rPr")
        .and_then(|p| p.child("m:nor"))
        .is_some_and(|n| super::styles::on_off(n.attr("m:val")));
    if normal_text {
        return vec![format!("<mtext>{}</mtext>", escape(&text))];
    }
    let upright = prop(r, "m:rPr", "m:sty") == Some("p");
    let variant = variant(r);
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || (matches!(chars[i], '.' | ',')
                        && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
            {
                i += 1;
            }
            out.push(format!(
                "<mn>{}</mn>",
                chars[start..i].iter().collect::<String>()
            ));
        } else if c.is_alphabetic() {
            let start = i;
            i += 1;
            // Upright runs are names (sin, log, km): one identifier.
            while upright && i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            let name: String = chars[start..i].iter().collect();
            let attr = match (&variant, upright, i - start) {
                (Some(v), _, _) => format!(" mathvariant=\"{v}\""),
                (None, true, 1) => " mathvariant=\"normal\"".into(),
                _ => String::new(),
            };
            out.push(format!("<mi{attr}>{}</mi>", escape(&name)));
        } else {
            out.push(mo(&c.to_string()));
            i += 1;
        }
    }
    out
}

/// `mathvariant` from `m:scr` and `m:sty` (bold); `None` for the default.
fn variant(r: &Element) -> Option<String> {
    let bold = matches!(prop(r, "m:rPr", "m:sty"), Some("b" | "bi"));
    let script = match prop(r, "m:rPr", "m:scr") {
        Some(s @ ("script" | "fraktur" | "double-struck" | "sans-serif" | "monospace")) => Some(s),
        _ => None,
    };
    match (script, bold) {
        (Some("double-struck" | "monospace"), _) | (Some(_), false) => script.map(str::to_string),
        (Some(s), true) => Some(format!("bold-{s}")),
        (None, true) if prop(r, "m:rPr", "m:sty") == Some("bi") => Some("bold-italic".into()),
        (None, true) => Some("bold".into()),
        (None, false) => None,
    }
}

/// Text content escaped for MathML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
