//! A small XML tree for QTI files: elements with their namespace, local
//! name, attributes and the line they start on, read with quick-xml within
//! the import limits.
//!
//! Untrusted input is kept small and plain here: a DOCTYPE (and with it any
//! entity declaration) is refused, only the five predefined entities and
//! character references are decoded, and nesting deeper than
//! [`MAX_XML_DEPTH`] ends the read with a problem rather than a deep stack
//! later on.

use quick_xml::events::Event;
use quick_xml::events::attributes::Attribute;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use crate::limits::MAX_XML_DEPTH;
use crate::xml::{Lines, predefined_entity};

/// One element: `ns` is its namespace URI ("" when none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    pub ns: String,
    pub name: String,
    /// Local attribute names (prefixes and `xmlns` declarations dropped).
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Element(Element),
    Text(String),
}

/// Why a document could not be read, and on which line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    pub line: u32,
    pub why: String,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Child elements, in order.
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

    /// Every descendant element (depth first, document order) called `name`.
    pub fn descendants<'e>(&'e self, name: &str, out: &mut Vec<&'e Element>) {
        for child in self.elements() {
            if child.name == name {
                out.push(child);
            }
            child.descendants(name, out);
        }
    }

    /// The text of this element and its descendants, concatenated.
    pub fn text(&self) -> String {
        let mut out = String::new();
        collect_text(self, &mut out);
        out
    }
}

fn collect_text(element: &Element, out: &mut String) {
    for node in &element.children {
        match node {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => collect_text(e, out),
        }
    }
}

/// Reads `bytes` (UTF-8, a byte-order mark allowed) into its root element.
pub fn parse(bytes: &[u8]) -> Result<Element, XmlError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| XmlError {
        line: Lines::new(bytes).line(e.valid_up_to()),
        why: "the file is not UTF-8 (save it as UTF-8)".into(),
    })?;
    Parser {
        reader: NsReader::from_str(text),
        lines: Lines::new(bytes),
    }
    .run()
}

struct Parser<'i> {
    reader: NsReader<&'i [u8]>,
    lines: Lines,
}

impl Parser<'_> {
    fn run(mut self) -> Result<Element, XmlError> {
        let mut stack: Vec<Element> = Vec::new();
        let mut root: Option<Element> = None;
        loop {
            let at = self.reader.buffer_position() as usize;
            let line = self.lines.line(at);
            let event = match self.reader.read_event() {
                Ok(event) => event,
                Err(e) => {
                    return Err(XmlError {
                        line: self.lines.line(self.reader.error_position() as usize),
                        why: format!("the XML is malformed: {e}"),
                    });
                }
            };
            match event {
                Event::Start(_) | Event::Empty(_) if root.is_some() => {
                    return Err(XmlError {
                        line,
                        why: "the XML has more than one root element".into(),
                    });
                }
                Event::Start(start) => {
                    if stack.len() >= MAX_XML_DEPTH {
                        return Err(XmlError {
                            line,
                            why: format!("the XML nests deeper than {MAX_XML_DEPTH} levels"),
                        });
                    }
                    stack.push(self.element(&start, line)?);
                }
                Event::Empty(start) => {
                    let element = self.element(&start, line)?;
                    attach(&mut stack, &mut root, element);
                }
                Event::End(_) => {
                    if let Some(element) = stack.pop() {
                        attach(&mut stack, &mut root, element);
                    }
                }
                Event::Text(text) => push_text(&mut stack, &text.xml10_content()),
                Event::CData(data) => push_text(&mut stack, &data.into_inner()),
                Event::GeneralRef(reference) => {
                    let decoded = match reference.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        Ok(None) => predefined_entity(&reference)
                            .map(str::to_string)
                            .ok_or_else(|| XmlError {
                                line,
                                why: format!(
                                    "the entity &{}; is not defined in XML (write the character \
                                     itself or a numeric reference such as &#160;)",
                                    &*reference
                                ),
                            })?,
                        Err(e) => {
                            return Err(XmlError {
                                line,
                                why: format!("a bad character reference: {e}"),
                            });
                        }
                    };
                    push_text(&mut stack, &decoded);
                }
                Event::DocType(_) => {
                    return Err(XmlError {
                        line,
                        why: "a DOCTYPE declaration is refused (its entities could expand \
                              without bound); remove it"
                            .into(),
                    });
                }
                Event::Eof => break,
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
            }
        }
        root.ok_or(XmlError {
            line: 1,
            why: "the file holds no XML element".into(),
        })
    }

    fn element(
        &self,
        start: &quick_xml::events::BytesStart<'_>,
        line: u32,
    ) -> Result<Element, XmlError> {
        let (resolved, _) = self.reader.resolver().resolve_element(start.name());
        let ns = namespace_of(&resolved, line)?;
        let mut attrs = Vec::new();
        for attribute in start.attributes() {
            let attribute: Attribute<'_> = attribute.map_err(|e| XmlError {
                line,
                why: format!("a malformed attribute: {e}"),
            })?;
            let key = attribute.key;
            if key.as_namespace_binding().is_some() {
                continue;
            }
            let local = key.local_name().as_ref().to_string();
            let value = attribute
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| XmlError {
                    line,
                    why: format!("attribute {local}: {e}"),
                })?;
            attrs.push((local, value.into_owned()));
        }
        Ok(Element {
            ns,
            name: start.local_name().as_ref().to_string(),
            attrs,
            children: Vec::new(),
            line,
        })
    }
}

fn namespace_of(resolved: &ResolveResult<'_>, line: u32) -> Result<String, XmlError> {
    match resolved {
        ResolveResult::Bound(ns) => Ok(ns.as_ref().to_string()),
        ResolveResult::Unbound => Ok(String::new()),
        ResolveResult::Unknown(prefix) => Err(XmlError {
            line,
            why: format!("the namespace prefix {prefix}: is not declared"),
        }),
    }
}

fn attach(stack: &mut [Element], root: &mut Option<Element>, element: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(Node::Element(element)),
        None => *root = Some(element),
    }
}

/// Adds text to the open element, merging with text just before it (entity
/// references arrive as separate events).
fn push_text(stack: &mut [Element], text: &str) {
    let Some(parent) = stack.last_mut() else {
        return;
    };
    if let Some(Node::Text(previous)) = parent.children.last_mut() {
        previous.push_str(text);
    } else {
        parent.children.push(Node::Text(text.to_string()));
    }
}

/// Text content as XML writes it: `&`, `<` and `>` escaped.
pub fn escape_text(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

/// An attribute value for a double-quoted attribute.
pub fn escape_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            c => out.push(c),
        }
    }
    out
}
