//! A small element tree for the parts of a Word file.
//!
//! Word parts are a few megabytes at most, and reading them as a tree keeps
//! the walkers simple (a paragraph's properties come before its runs; OMML
//! is naturally recursive); the body is read one block at a time
//! ([`parse_streaming`]). Names are kept as written (`w:p`, `m:f`): Word
//! and LibreOffice always use these prefixes. Nesting is bounded by
//! [`MAX_XML_DEPTH`], and DOCTYPE declarations are refused, so entity tricks
//! and deep documents end with a problem instead of a crash.

use examgate_shared::bank::{Position, Problem};
use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};

use crate::limits::{MAX_XML_DEPTH, too_deep};

/// One element with its attributes and children.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    /// The value of attribute `name` (qualified, e.g. `w:val`).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The child elements, in order.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first child element called `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// The first descendant called `name`, depth first.
    pub fn descendant(&self, name: &str) -> Option<&Element> {
        for e in self.elements() {
            if e.name == name {
                return Some(e);
            }
            if let Some(found) = e.descendant(name) {
                return Some(found);
            }
        }
        None
    }

    /// The text directly inside this element.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for n in &self.children {
            if let Node::Text(t) = n {
                out.push_str(t);
            }
        }
        out
    }

    /// The `w:val` (or `m:val`) attribute of child `name`.
    pub fn child_val(&self, name: &str) -> Option<&str> {
        let c = self.child(name)?;
        c.attr("w:val").or_else(|| c.attr("m:val"))
    }
}

/// Parses one part of the package. `part` names it in problems.
pub fn parse(bytes: &[u8], part: &str) -> Result<Element, Problem> {
    parse_streaming(bytes, part, &[], &mut |_| {})
}

/// Like [`parse`], but each child of the element at `path` (names from
/// the root, e.g. `w:document`, `w:body`) goes to `each` as soon as it is
/// complete instead of into the tree: a body of thousands of paragraphs is
/// then never held as a tree all at once (the tree takes some twenty times
/// the XML's size). Children already handed over stay handed over when a
/// problem comes later.
pub fn parse_streaming(
    bytes: &[u8],
    part: &str,
    path: &[&str],
    each: &mut dyn FnMut(Element),
) -> Result<Element, Problem> {
    let at = || Position::Entry {
        file: part.to_string(),
        line: 0,
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes)
        .map_err(|_| Problem::new(at(), "is not UTF-8 XML (save the file again in Word)"))?;
    let bad = |e: &dyn std::fmt::Display| {
        Problem::new(
            at(),
            format!("is not well-formed XML ({e}); save the file again in Word"),
        )
    };
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        match reader.read_event().map_err(|e| bad(&e))? {
            Event::Start(start) => {
                if stack.len() > MAX_XML_DEPTH {
                    return Err(too_deep(at()));
                }
                stack.push(element(&start).map_err(|e| bad(&e))?);
            }
            Event::Empty(start) => {
                if stack.len() > MAX_XML_DEPTH {
                    return Err(too_deep(at()));
                }
                let e = element(&start).map_err(|e| bad(&e))?;
                if streamed(&stack, path) {
                    each(e);
                } else if let Some(top) = stack.last_mut() {
                    top.children.push(Node::Element(e));
                }
            }
            Event::End(_) => {
                let done = stack.pop().ok_or_else(|| bad(&"unbalanced end tag"))?;
                if stack.is_empty() {
                    return Err(bad(&"unbalanced end tag"));
                }
                if streamed(&stack, path) {
                    each(done);
                } else if let Some(parent) = stack.last_mut() {
                    parent.children.push(Node::Element(done));
                }
            }
            Event::Text(t) => push_text(&mut stack, &t.xml_content(XmlVersion::Implicit1_0)),
            Event::CData(t) => push_text(&mut stack, &t.xml_content(XmlVersion::Implicit1_0)),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => crate::xml::predefined_entity(&r)
                        .ok_or_else(|| bad(&format!("unknown entity &{};", &*r)))?
                        .to_string(),
                    Err(e) => return Err(bad(&e)),
                };
                push_text(&mut stack, &resolved);
            }
            Event::DocType(_) => {
                return Err(Problem::new(
                    at(),
                    "has a DOCTYPE declaration, which Word never writes; it is refused",
                ));
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
    let root = stack
        .pop()
        .filter(|_| stack.is_empty())
        .ok_or_else(|| bad(&"unclosed element"))?;
    root.elements()
        .next()
        .cloned()
        .ok_or_else(|| bad(&"no root element"))
}

/// Whether an element completed under `stack` (its open ancestors, the
/// document node first) is a child of the element at `path`.
fn streamed(stack: &[Element], path: &[&str]) -> bool {
    !path.is_empty()
        && stack.len() == path.len() + 1
        && stack[1..].iter().zip(path).all(|(e, name)| e.name == *name)
}

fn push_text(stack: &mut [Element], text: &str) {
    let Some(top) = stack.last_mut() else { return };
    if let Some(Node::Text(last)) = top.children.last_mut() {
        last.push_str(text);
    } else {
        top.children.push(Node::Text(text.to_string()));
    }
}

fn element(start: &quick_xml::events::BytesStart<'_>) -> Result<Element, quick_xml::Error> {
    let name = start.name().as_ref().to_string();
    let mut attrs = Vec::new();
    for a in start.attributes() {
        let a = a.map_err(quick_xml::Error::from)?;
        let key = a.key.as_ref().to_string();
        let value = a.normalized_value(XmlVersion::Implicit1_0)?.into_owned();
        attrs.push((key, value));
    }
    Ok(Element {
        name,
        attrs,
        children: Vec::new(),
    })
}
