//! A small element tree read with quick-xml, bounded and safe: no DOCTYPE
//! or entity declarations, nesting at most [`limits::MAX_XML_DEPTH`], only
//! the five predefined entities and character references. Every element
//! remembers its line.

use examgate_shared::bank::{Position, Problem};
use quick_xml::XmlVersion;
use quick_xml::events::Event;

use crate::limits;
use crate::xml::{Lines, predefined_entity};

#[derive(Debug, Default)]
pub(super) struct Element {
    pub name: String,
    pub attributes: Vec<(String, String)>,
    pub children: Vec<Element>,
    /// The element's own text (text and CDATA children joined).
    pub text: String,
    pub line: u32,
}

impl Element {
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The trimmed text of child `name`'s `<text>` (or of the child itself
    /// when it has no `<text>`).
    pub fn text_of(&self, name: &str) -> Option<String> {
        let child = self.child(name)?;
        Some(match child.child("text") {
            Some(text) => text.text.trim().to_string(),
            None => child.text.trim().to_string(),
        })
    }

    /// Every element below this one, depth first.
    pub fn descendants(&self) -> Vec<&Element> {
        let mut out = Vec::new();
        let mut stack: Vec<&Element> = self.children.iter().rev().collect();
        while let Some(e) = stack.pop() {
            out.push(e);
            stack.extend(e.children.iter().rev());
        }
        out
    }
}

/// The document's root element.
pub(super) fn parse(bytes: &[u8]) -> Result<Element, Problem> {
    let text = crate::text(bytes).map_err(|mut p| p.remove(0))?;
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut stack: Vec<Element> = vec![Element::default()];
    let lines = Lines::new(text.as_bytes());
    loop {
        let offset = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let line = lines.line(offset);
        let at = Position::Line { line };
        let event = reader.read_event().map_err(|e| {
            let offset = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
            Problem::new(
                Position::Line {
                    line: lines.line(offset),
                },
                format!("the XML is broken: {e}"),
            )
        })?;
        match event {
            Event::Start(start) => {
                if stack.len() > limits::MAX_XML_DEPTH {
                    return Err(limits::too_deep(at));
                }
                stack.push(open(&start, line)?);
            }
            Event::Empty(start) => {
                let element = open(&start, line)?;
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(element);
                }
            }
            Event::End(_) => {
                let done = stack.pop().unwrap_or_default();
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return Err(Problem::new(at, "a closing tag with no opening tag")),
                }
            }
            Event::Text(t) => push_text(&mut stack, &t.xml_content(XmlVersion::Implicit1_0)),
            Event::CData(t) => push_text(&mut stack, &t.xml_content(XmlVersion::Implicit1_0)),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => predefined_entity(&r.xml_content(XmlVersion::Implicit1_0))
                        .ok_or_else(|| {
                            Problem::new(
                                at.clone(),
                                "an entity other than &amp; &lt; &gt; &quot; &apos;",
                            )
                        })?
                        .to_string(),
                };
                push_text(&mut stack, &resolved);
            }
            Event::DocType(_) => {
                return Err(Problem::new(
                    at,
                    "a DOCTYPE declaration (refused: it can define entities); Moodle never writes one",
                ));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let document = stack.pop().unwrap_or_default();
    if !stack.is_empty() {
        return Err(Problem::new(
            Position::File,
            "the XML ends before its elements are closed",
        ));
    }
    document
        .children
        .into_iter()
        .next()
        .ok_or_else(|| Problem::new(Position::File, "the file holds no XML element"))
}

/// An element from its start tag, attributes decoded.
fn open(start: &quick_xml::events::BytesStart, line: u32) -> Result<Element, Problem> {
    let at = Position::Line { line };
    let mut element = Element {
        name: start.local_name().as_ref().to_string(),
        line,
        ..Element::default()
    };
    for attribute in start.attributes() {
        let broken = |e: &dyn std::fmt::Display| {
            Problem::new(at.clone(), format!("a broken attribute: {e}"))
        };
        let attribute = attribute.map_err(|e| broken(&e))?;
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| broken(&e))?;
        element.attributes.push((
            attribute.key.local_name().as_ref().to_string(),
            value.into_owned(),
        ));
    }
    Ok(element)
}

fn push_text(stack: &mut [Element], text: &str) {
    if let Some(top) = stack.last_mut() {
        top.text.push_str(text);
    }
}
