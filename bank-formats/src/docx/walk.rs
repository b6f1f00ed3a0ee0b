//! From the package to paragraphs: opens the Word file, reads styles,
//! numbering and relationships, and walks the body into blocks of
//! paragraphs (text with effective formatting per character range) and
//! tables, counting every paragraph, table cells included, in document
//! order.
//!
//! What the walk refuses is attached to the paragraph where it sits:
//! MathType / Equation 3.0 objects, WMF/EMF and linked pictures, and text
//! in the legacy Vietnamese fonts.

use std::collections::HashMap;
use std::ops::Range;

use examgate_shared::bank::{Image, Position, Problem};
use examgate_shared::office::names::nfc;

use super::numbering::Numbering;
use super::omml;
use super::styles::{Format, RunProps, Styles, is_legacy_font, numbering_of};
use super::symbols::symbol;
use super::xml::{self, Element};
use crate::package::{Package, resolve};

const DOCUMENT: &str = "word/document.xml";

/// A stretch of a paragraph's text and its formatting; `None` for
/// equations and pictures, which carry no key mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub range: Range<usize>,
    pub format: Option<Format>,
}

/// One paragraph: its number (1-based, document order), NFC text with
/// `\t` and `\n` kept, and what the walk refused in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paragraph {
    pub number: u32,
    pub text: String,
    pub spans: Vec<Span>,
    pub refusals: Vec<String>,
}

impl Paragraph {
    /// The formats of the characters in `range` that can carry a mark
    /// (not white space, not equations or pictures).
    pub fn formats(&self, range: Range<usize>) -> Vec<Format> {
        let mut out = Vec::new();
        for span in &self.spans {
            let Some(format) = span.format else { continue };
            let start = span.range.start.max(range.start);
            let end = span.range.end.min(range.end);
            if start >= end {
                continue;
            }
            let text = self.text.get(start..end).unwrap_or("");
            out.extend(text.chars().filter(|c| !c.is_whitespace()).map(|_| format));
        }
        out
    }
}

/// A body block: a paragraph, or a table as rows of cells of paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(Paragraph),
    Table(Vec<Vec<Vec<Paragraph>>>),
}

/// The walked document.
pub struct Document {
    pub blocks: Vec<Block>,
    /// Every picture, by name.
    pub images: HashMap<String, Image>,
    /// Problems not tied to a question (legacy fonts).
    pub problems: Vec<Problem>,
}

/// Opens `bytes` as a Word file and walks its body.
pub fn read(bytes: &[u8]) -> Result<Document, Vec<Problem>> {
    let mut package = Package::open(bytes).map_err(|p| vec![p])?;
    let xml = package.require(DOCUMENT).map_err(|p| vec![p])?;
    let optional = |package: &mut Package, name: &str| -> Result<Option<Element>, Problem> {
        match package.read(name)? {
            Some(b) => xml::parse(&b, name).map(Some),
            None => Ok(None),
        }
    };
    let parts = (
        optional(&mut package, "word/styles.xml"),
        optional(&mut package, "word/numbering.xml"),
        optional(&mut package, "word/_rels/document.xml.rels"),
    );
    let mut walker = Walker {
        package,
        styles: Styles::read(parts.0.as_ref().ok().and_then(Option::as_ref)),
        numbering: Numbering::read(parts.1.as_ref().ok().and_then(Option::as_ref)),
        rels: relationships(parts.2.as_ref().ok().and_then(Option::as_ref)),
        images: HashMap::new(),
        media: HashMap::new(),
        paragraphs: 0,
        problems: Vec::new(),
        legacy_reported: false,
        fields: Vec::new(),
    };
    // The body is walked block by block as the XML is read.
    let mut blocks = Vec::new();
    xml::parse_streaming(&xml, DOCUMENT, &["w:document", "w:body"], &mut |block| {
        walker.block(&block, &mut blocks)
    })
    .map_err(|p| vec![p])?;
    let (s, n, r) = parts;
    if s.is_err() || n.is_err() || r.is_err() {
        return Err([s.err(), n.err(), r.err()].into_iter().flatten().collect());
    }
    Ok(Document {
        blocks,
        images: walker.images,
        problems: walker.problems,
    })
}

/// `Id` → (`Target`, external?).
fn relationships(rels: Option<&Element>) -> HashMap<String, (String, bool)> {
    let mut out = HashMap::new();
    for r in rels.into_iter().flat_map(Element::elements) {
        if let (Some(id), Some(target)) = (r.attr("Id"), r.attr("Target")) {
            let external = r.attr("TargetMode") == Some("External");
            out.insert(id.to_string(), (target.to_string(), external));
        }
    }
    out
}

/// The branch of `mc:AlternateContent` read: the first choice (what
/// current Word writes), else the fallback.
fn branch(alternate: &Element) -> Option<&Element> {
    alternate
        .child("mc:Choice")
        .or_else(|| alternate.child("mc:Fallback"))
}

fn descendants<'a>(e: &'a Element, name: &str, out: &mut Vec<&'a Element>) {
    for c in e.elements() {
        if c.name == name {
            out.push(c);
        } else {
            descendants(c, name, out);
        }
    }
}

struct Walker<'a> {
    package: Package<'a>,
    styles: Styles,
    numbering: Numbering,
    rels: HashMap<String, (String, bool)>,
    images: HashMap<String, Image>,
    /// Relationship id → image name or refusal, read once.
    media: HashMap<String, Result<String, String>>,
    paragraphs: u32,
    problems: Vec<Problem>,
    legacy_reported: bool,
    /// Open fields: `true` while in the instruction part (hidden).
    fields: Vec<bool>,
}

impl Walker<'_> {
    fn body(&mut self, container: &Element, out: &mut Vec<Block>) {
        for child in container.elements() {
            self.block(child, out);
        }
    }

    /// One child of the body (or of a cell, a content control …).
    fn block(&mut self, child: &Element, out: &mut Vec<Block>) {
        match child.name.as_str() {
            "w:p" => {
                let p = self.paragraph(child);
                out.push(Block::Paragraph(p));
            }
            "w:tbl" => {
                let t = self.table(child);
                out.push(Block::Table(t));
            }
            "w:sdt" | "w:sdtContent" | "w:customXml" | "w:ins" | "w:moveTo" => {
                self.body(child, out)
            }
            "mc:AlternateContent" => {
                if let Some(b) = branch(child) {
                    self.body(b, out);
                }
            }
            _ => {}
        }
    }

    fn table(&mut self, tbl: &Element) -> Vec<Vec<Vec<Paragraph>>> {
        let mut rows = Vec::new();
        let mut row_elements = Vec::new();
        descendants(tbl, "w:tr", &mut row_elements);
        for tr in row_elements {
            let mut cells = Vec::new();
            let mut cell_elements = Vec::new();
            descendants(tr, "w:tc", &mut cell_elements);
            for tc in cell_elements {
                let mut blocks = Vec::new();
                self.body(tc, &mut blocks);
                cells.push(flatten(blocks));
            }
            rows.push(cells);
        }
        rows
    }

    fn paragraph(&mut self, p: &Element) -> Paragraph {
        self.paragraphs += 1;
        self.fields.clear();
        let mut out = Paragraph {
            number: self.paragraphs,
            ..Paragraph::default()
        };
        let ppr = p.child("w:pPr");
        let stated = ppr.and_then(|p| p.child_val("w:pStyle"));
        let pstyle = self.styles.paragraph_style(stated).map(str::to_string);
        let numbered = ppr
            .and_then(|p| p.child("w:numPr"))
            .and_then(numbering_of)
            .or_else(|| self.styles.style_numbering(pstyle.as_deref()));
        if let Some((num_id, level)) = numbered.filter(|(id, _)| id != "0")
            && let Some(label) = self.numbering.next_label(&num_id, level)
        {
            // Word draws the number with the paragraph mark's formatting.
            let mark = ppr
                .and_then(|p| p.child("w:rPr"))
                .map(RunProps::read)
                .unwrap_or_default();
            let (format, _) = self.styles.resolve(pstyle.as_deref(), None, &mark);
            push_text(&mut out, &label, Some(format));
        }
        self.inline(p, pstyle.as_deref(), &mut out);
        out
    }

    fn inline(&mut self, container: &Element, pstyle: Option<&str>, out: &mut Paragraph) {
        for child in container.elements() {
            match child.name.as_str() {
                "w:r" => self.run(child, pstyle, out),
                "w:hyperlink" | "w:sdt" | "w:sdtContent" | "w:smartTag" | "w:ins" | "w:moveTo"
                | "w:fldSimple" | "w:customXml" | "w:dir" | "w:bdo" => {
                    self.inline(child, pstyle, out)
                }
                "m:oMath" => push_text(out, &omml::to_mathml(child, false), None),
                "m:oMathPara" => {
                    let lines: Vec<String> = child
                        .elements()
                        .filter(|m| m.name == "m:oMath")
                        .map(|m| omml::to_mathml(m, true))
                        .collect();
                    push_text(out, &lines.join("\n"), None);
                }
                "mc:AlternateContent" => {
                    if let Some(b) = branch(child) {
                        self.inline(b, pstyle, out);
                    }
                }
                _ => {}
            }
        }
    }

    fn run(&mut self, r: &Element, pstyle: Option<&str>, out: &mut Paragraph) {
        let rpr = r.child("w:rPr");
        let direct = rpr.map(RunProps::read).unwrap_or_default();
        let rstyle = rpr.and_then(|p| p.child_val("w:rStyle"));
        let (format, font) = self.styles.resolve(pstyle, rstyle, &direct);
        self.run_content(r, format, font.as_deref(), out);
    }

    fn run_content(
        &mut self,
        r: &Element,
        format: Format,
        font: Option<&str>,
        out: &mut Paragraph,
    ) {
        let visible = |w: &Walker| !w.fields.iter().any(|instruction| *instruction);
        for c in r.elements() {
            match c.name.as_str() {
                "w:fldChar" => match c.attr("w:fldCharType") {
                    Some("begin") => self.fields.push(true),
                    Some("separate") => {
                        if let Some(top) = self.fields.last_mut() {
                            *top = false;
                        }
                    }
                    Some("end") => {
                        self.fields.pop();
                    }
                    _ => {}
                },
                "w:t" if visible(self) => {
                    let text = c.text();
                    if let Some(font) = font.filter(|f| is_legacy_font(f))
                        && !text.trim().is_empty()
                    {
                        self.legacy_font(font, out.number);
                    }
                    push_text(out, &text, Some(format));
                }
                "w:tab" | "w:ptab" if visible(self) => push_text(out, "\t", Some(format)),
                "w:br" | "w:cr" if visible(self) => push_text(out, "\n", Some(format)),
                "w:noBreakHyphen" if visible(self) => push_text(out, "-", Some(format)),
                "w:sym" if visible(self) => {
                    let (f, code) = (
                        c.attr("w:font").unwrap_or(""),
                        c.attr("w:char").unwrap_or(""),
                    );
                    if let Some(ch) = symbol(f, code) {
                        push_text(out, &ch.to_string(), Some(format));
                    }
                }
                "w:drawing" | "w:pict" => self.picture(c, out),
                "w:object" => self.object(c, out),
                "mc:AlternateContent" => {
                    if let Some(b) = branch(c) {
                        self.run_content(b, format, font, out);
                    }
                }
                _ => {}
            }
        }
    }

    fn legacy_font(&mut self, font: &str, paragraph: u32) {
        if !self.legacy_reported {
            self.legacy_reported = true;
            self.problems.push(Problem::new(
                Position::Paragraph { paragraph },
                format!(
                    "the text uses the legacy Vietnamese font \"{font}\" (TCVN3/VNI), whose letters \
                     are wrong in Unicode; convert the document to Unicode first (UniKey: \
                     Toolkit → convert to Unicode) and import again"
                ),
            ));
        }
    }

    /// `w:drawing` / `w:pict`: a text box's paragraphs, or pictures.
    fn picture(&mut self, e: &Element, out: &mut Paragraph) {
        let mut boxes = Vec::new();
        descendants(e, "w:txbxContent", &mut boxes);
        if !boxes.is_empty() {
            for b in boxes {
                for p in b.elements().filter(|p| p.name == "w:p") {
                    push_text(out, "\n", None);
                    let stated = p.child("w:pPr").and_then(|p| p.child_val("w:pStyle"));
                    let pstyle = self.styles.paragraph_style(stated).map(str::to_string);
                    self.inline(p, pstyle.as_deref(), out);
                }
            }
            return;
        }
        let mut blips = Vec::new();
        descendants(e, "a:blip", &mut blips);
        descendants(e, "v:imagedata", &mut blips);
        for blip in blips {
            if let Some(id) = blip.attr("r:embed").or_else(|| blip.attr("r:id")) {
                self.image(id, out);
            } else if blip.attr("r:link").is_some() {
                out.refusals.push(
                    "a linked picture (stored outside the file); insert the picture itself".into(),
                );
            }
        }
    }

    /// `w:object`: OLE objects are never opened; equations get advice.
    fn object(&mut self, e: &Element, out: &mut Paragraph) {
        let mut ole = Vec::new();
        descendants(e, "o:OLEObject", &mut ole);
        let Some(prog_id) = ole.first().map(|o| o.attr("ProgID").unwrap_or("unknown")) else {
            return self.picture(e, out);
        };
        if prog_id.starts_with("Equation.") {
            out.refusals.push(format!(
                "a MathType or Equation Editor equation ({prog_id}) cannot be read; convert the \
                 equations to Office Math in Word (MathType → Convert Equations → Office Math) \
                 and import again"
            ));
        } else {
            out.refusals.push(format!(
                "an embedded object ({prog_id}) cannot be read; paste it as a picture"
            ));
        }
    }

    fn image(&mut self, id: &str, out: &mut Paragraph) {
        if !self.media.contains_key(id) {
            let loaded = self.load(id);
            self.media.insert(id.to_string(), loaded);
        }
        match self.media.get(id) {
            Some(Ok(name)) => {
                let reference = self
                    .images
                    .get(name)
                    .map(|i| i.reference(""))
                    .unwrap_or_default();
                push_text(out, &reference, None);
            }
            Some(Err(why)) => out.refusals.push(why.clone()),
            None => {}
        }
    }

    fn load(&mut self, id: &str) -> Result<String, String> {
        let Some((target, external)) = self.rels.get(id).cloned() else {
            return Err(format!(
                "a picture whose relationship {id} is missing; insert it again"
            ));
        };
        if external {
            return Err(
                "a linked picture (stored outside the file); insert the picture itself".into(),
            );
        }
        let lower = target.to_ascii_lowercase();
        if lower.ends_with(".wmf") || lower.ends_with(".emf") {
            return Err(format!(
                "a WMF/EMF picture ({target}), which browsers cannot show (often an old equation \
                 preview); save it as PNG, or convert equations to Office Math, and import again"
            ));
        }
        let path = resolve(DOCUMENT, &target)
            .ok_or_else(|| format!("a picture outside the file ({target})"))?;
        let bytes = match self.package.read(&path) {
            Ok(Some(b)) => b,
            Ok(None) => return Err(format!("the picture {path} is missing from the file")),
            Err(p) => return Err(format!("the picture {path} {}", p.why)),
        };
        let image = Image::new(bytes).map_err(|why| format!("{why} ({target})"))?;
        let name = image.name.clone();
        self.images.entry(name.clone()).or_insert(image);
        Ok(name)
    }
}

/// A table cell's blocks as paragraphs (nested tables row by row).
fn flatten(blocks: Vec<Block>) -> Vec<Paragraph> {
    let mut out = Vec::new();
    for b in blocks {
        match b {
            Block::Paragraph(p) => out.push(p),
            Block::Table(rows) => out.extend(rows.into_iter().flatten().flatten()),
        }
    }
    out
}

/// Appends `text` NFC-normalised word by word (white space, tabs and
/// breaks kept: they separate options), with its formatting.
fn push_text(p: &mut Paragraph, text: &str, format: Option<Format>) {
    let start = p.text.len();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_whitespace() {
            if !word.is_empty() {
                p.text.push_str(&nfc(&word));
                word.clear();
            }
            p.text.push(if c == '\u{a0}' { ' ' } else { c });
        } else {
            word.push(c);
        }
    }
    if !word.is_empty() {
        p.text.push_str(&nfc(&word));
    }
    if p.text.len() > start {
        p.spans.push(Span {
            range: start..p.text.len(),
            format,
        });
    }
}
