//! Test support: writes small, valid Word files (content types,
//! relationships, styles, numbering when used, media) so tests here and in
//! other crates (benchmarks, browser tests) can describe a document in
//! code instead of keeping binary fixtures. Output is deterministic: the
//! same calls give the same bytes. Not meant for producing real papers.
//!
//! ```
//! use examgate_bank_formats::docx::build::{DocxBuilder, Style};
//! let bytes = DocxBuilder::new()
//!     .paragraph(|p| p.text("Câu 1. 1 + 1 = ?"))
//!     .paragraph(|p| p.text("A. 1\tB. ").run("2", Style { underline: true, ..Style::default() }))
//!     .build();
//! assert!(examgate_bank_formats::docx::import(&bytes).is_ok());
//! ```

use std::io::{Cursor, Write};

const NAMESPACES: &str = concat!(
    r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#,
    r#"xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" "#,
    r#"xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" "#,
    r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" "#,
    r#"xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" "#,
    r#"xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" "#,
    r#"xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#
);

/// Direct formatting of one run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    pub bold: bool,
    pub underline: bool,
    /// Colour `C00000` (Word's "Dark Red" swatch: a red the importer must
    /// recognise although it is not `FF0000`).
    pub red: bool,
    pub highlight: bool,
    /// A `w:shd` fill, which looks like a highlight.
    pub shading: bool,
    /// A character style id (`Strong` is defined bold).
    pub char_style: Option<&'static str>,
}

impl Style {
    fn rpr(&self) -> String {
        let mut x = String::new();
        if let Some(s) = self.char_style {
            x.push_str(&format!(r#"<w:rStyle w:val="{s}"/>"#));
        }
        if self.bold {
            x.push_str("<w:b/>");
        }
        if self.red {
            x.push_str(r#"<w:color w:val="C00000"/>"#);
        }
        if self.highlight {
            x.push_str(r#"<w:highlight w:val="yellow"/>"#);
        }
        if self.underline {
            x.push_str(r#"<w:u w:val="single"/>"#);
        }
        if self.shading {
            x.push_str(r#"<w:shd w:val="clear" w:color="auto" w:fill="FFFF00"/>"#);
        }
        if x.is_empty() {
            x
        } else {
            format!("<w:rPr>{x}</w:rPr>")
        }
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One paragraph being written.
pub struct ParagraphBuilder {
    ppr: String,
    runs: String,
    media: Vec<(String, String, Vec<u8>)>,
    next_media: usize,
}

impl ParagraphBuilder {
    /// Plain text; `\t` becomes a tab, `\n` a line break.
    pub fn text(self, text: &str) -> Self {
        self.run(text, Style::default())
    }

    /// Text with direct formatting.
    pub fn run(mut self, text: &str, style: Style) -> Self {
        let mut content = String::new();
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                content.push_str("<w:br/>");
            }
            for (j, piece) in line.split('\t').enumerate() {
                if j > 0 {
                    content.push_str("<w:tab/>");
                }
                if !piece.is_empty() {
                    content.push_str(&format!(
                        r#"<w:t xml:space="preserve">{}</w:t>"#,
                        escape(piece)
                    ));
                }
            }
        }
        self.runs
            .push_str(&format!("<w:r>{}{content}</w:r>", style.rpr()));
        self
    }

    /// Paragraph style id (`w:pStyle`).
    pub fn style(mut self, id: &str) -> Self {
        self.ppr.push_str(&format!(r#"<w:pStyle w:val="{id}"/>"#));
        self
    }

    /// Automatic numbering from list `num_id` (see [`DocxBuilder::list`]).
    pub fn numbered(mut self, num_id: u32, level: u8) -> Self {
        self.ppr.push_str(&format!(
            r#"<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>"#
        ));
        self
    }

    /// An inline equation: the children of an `m:oMath` element.
    pub fn omml(mut self, inner: &str) -> Self {
        self.runs.push_str(&format!("<m:oMath>{inner}</m:oMath>"));
        self
    }

    /// Raw paragraph content (runs, fields, objects).
    pub fn raw(mut self, xml: &str) -> Self {
        self.runs.push_str(xml);
        self
    }

    /// An embedded picture; `extension` names its type (`png`, `wmf` …).
    pub fn image(mut self, extension: &str, bytes: &[u8]) -> Self {
        self.next_media += 1;
        let n = self.next_media;
        let id = format!("rIdMedia{n}");
        self.media.push((
            id.clone(),
            format!("media/image{n}.{extension}"),
            bytes.to_vec(),
        ));
        self.runs.push_str(&format!(
            concat!(
                r#"<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">"#,
                r#"<wp:extent cx="952500" cy="952500"/><wp:docPr id="{n}" name="Picture {n}"/>"#,
                r#"<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">"#,
                r#"<pic:pic><pic:nvPicPr><pic:cNvPr id="{n}" name="image{n}"/><pic:cNvPicPr/></pic:nvPicPr>"#,
                r#"<pic:blipFill><a:blip r:embed="{id}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"#,
                r#"<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="952500" cy="952500"/></a:xfrm>"#,
                r#"<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>"#,
                r#"</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#
            ),
            n = n,
            id = id
        ));
        self
    }

    /// A MathType equation object (the importer refuses these).
    pub fn mathtype_object(self) -> Self {
        self.raw(concat!(
            r#"<w:r><w:object><v:shape id="_x0000_i1025" style="width:20pt;height:15pt"/>"#,
            r#"<o:OLEObject Type="Embed" ProgID="Equation.DSMT4" ShapeID="_x0000_i1025" "#,
            r#"DrawAspect="Content" ObjectID="_1"/></w:object></w:r>"#
        ))
    }

    fn xml(&self) -> String {
        let ppr = if self.ppr.is_empty() {
            String::new()
        } else {
            format!("<w:pPr>{}</w:pPr>", self.ppr)
        };
        format!("<w:p>{ppr}{}</w:p>", self.runs)
    }
}

/// A Word document being written.
#[derive(Default)]
pub struct DocxBuilder {
    body: String,
    media: Vec<(String, String, Vec<u8>)>,
    lists: Vec<(u32, String, String)>,
    styles: String,
}

impl DocxBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// A paragraph written by `f`.
    pub fn paragraph(mut self, f: impl FnOnce(ParagraphBuilder) -> ParagraphBuilder) -> Self {
        let p = self.start();
        let p = f(p);
        self.finish(&p);
        self.body.push_str(&p.xml());
        self
    }

    /// A paragraph of plain text.
    pub fn text(self, text: &str) -> Self {
        self.paragraph(|p| p.text(text))
    }

    /// A display equation paragraph (`m:oMathPara`) from `m:oMath` children.
    pub fn equation_omml(mut self, inner: &str) -> Self {
        self.body.push_str(&format!(
            "<w:p><m:oMathPara><m:oMath>{inner}</m:oMath></m:oMathPara></w:p>"
        ));
        self
    }

    /// A paragraph holding one PNG picture.
    pub fn image_png(self, bytes: &[u8]) -> Self {
        self.paragraph(|p| p.image("png", bytes))
    }

    /// A table of plain-text cells.
    pub fn table(mut self, rows: &[&[&str]]) -> Self {
        let mut x = String::from(
            r#"<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid/>"#,
        );
        for row in rows {
            x.push_str("<w:tr>");
            for cell in *row {
                let p = ParagraphBuilder {
                    ppr: String::new(),
                    runs: String::new(),
                    media: vec![],
                    next_media: 0,
                }
                .text(cell);
                x.push_str(&format!("<w:tc>{}</w:tc>", p.xml()));
            }
            x.push_str("</w:tr>");
        }
        x.push_str("</w:tbl>");
        self.body.push_str(&x);
        self
    }

    /// A one-level list `num_id` of format `format` (`decimal`,
    /// `upperLetter` …) and label `lvl_text` (`Câu %1.`), numbered from 1.
    pub fn list(mut self, num_id: u32, format: &str, lvl_text: &str) -> Self {
        self.lists
            .push((num_id, format.to_string(), lvl_text.to_string()));
        self
    }

    /// Extra `w:style` elements for styles.xml.
    pub fn styles(mut self, xml: &str) -> Self {
        self.styles.push_str(xml);
        self
    }

    fn start(&self) -> ParagraphBuilder {
        ParagraphBuilder {
            ppr: String::new(),
            runs: String::new(),
            media: Vec::new(),
            next_media: self.media.len(),
        }
    }

    fn finish(&mut self, p: &ParagraphBuilder) {
        self.media.extend(p.media.iter().cloned());
    }

    /// The `.docx` bytes.
    pub fn build(self) -> Vec<u8> {
        let mut types = String::from(concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
            r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
            r#"<Default Extension="xml" ContentType="application/xml"/>"#,
            r#"<Default Extension="png" ContentType="image/png"/>"#,
            r#"<Default Extension="jpeg" ContentType="image/jpeg"/>"#,
            r#"<Default Extension="gif" ContentType="image/gif"/>"#,
            r#"<Default Extension="wmf" ContentType="image/x-wmf"/>"#,
            r#"<Default Extension="emf" ContentType="image/x-emf"/>"#,
            r#"<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>"#,
            r#"<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>"#,
        ));
        let mut rels = String::from(concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
            r#"<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#,
        ));
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        if !self.lists.is_empty() {
            types.push_str(r#"<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>"#);
            rels.push_str(r#"<Relationship Id="rIdNumbering" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>"#);
            files.push((
                "word/numbering.xml".into(),
                numbering(&self.lists).into_bytes(),
            ));
        }
        for (id, target, bytes) in &self.media {
            rels.push_str(&format!(
                r#"<Relationship Id="{id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="{target}"/>"#
            ));
            files.push((format!("word/{target}"), bytes.clone()));
        }
        types.push_str("</Types>");
        rels.push_str("</Relationships>");
        let document = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NAMESPACES}><w:body>{}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="0" w:footer="0" w:gutter="0"/></w:sectPr></w:body></w:document>"#,
            self.body
        );
        let styles = format!(
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles {}>"#,
                r#"<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="24"/></w:rPr></w:rPrDefault></w:docDefaults>"#,
                r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>"#,
                r#"<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/></w:style>"#,
                r#"<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:basedOn w:val="DefaultParagraphFont"/><w:rPr><w:b/></w:rPr></w:style>"#,
                "{}</w:styles>"
            ),
            NAMESPACES, self.styles
        );
        files.insert(0, ("word/styles.xml".into(), styles.into_bytes()));
        files.insert(0, ("word/document.xml".into(), document.into_bytes()));
        files.insert(
            0,
            ("word/_rels/document.xml.rels".into(), rels.into_bytes()),
        );
        files.insert(0, ("_rels/.rels".into(), concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
            r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>"#,
            "</Relationships>"
        ).as_bytes().to_vec()));
        files.insert(0, ("[Content_Types].xml".into(), types.into_bytes()));
        zip(&files)
    }
}

fn numbering(lists: &[(u32, String, String)]) -> String {
    let mut x = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering {NAMESPACES}>"#
    );
    for (id, format, text) in lists {
        x.push_str(&format!(
            r#"<w:abstractNum w:abstractNumId="{id}"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{format}"/><w:lvlText w:val="{}"/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum>"#,
            escape(text)
        ));
    }
    for (id, _, _) in lists {
        x.push_str(&format!(
            r#"<w:num w:numId="{id}"><w:abstractNumId w:val="{id}"/></w:num>"#
        ));
    }
    x.push_str("</w:numbering>");
    x
}

fn zip(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    let mut writer = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, bytes) in files {
        // Writing to memory cannot fail short of running out of it.
        writer
            .start_file(name.as_str(), options)
            .expect("zip entry in memory");
        writer.write_all(bytes).expect("zip write in memory");
    }
    writer.finish().expect("zip finish in memory");
    out.into_inner()
}
