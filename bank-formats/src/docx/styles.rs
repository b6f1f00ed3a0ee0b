//! Effective run formatting: which characters are bold, underlined, red or
//! highlighted, after Word's style inheritance.
//!
//! Order (ECMA-376 §17.7.2): document defaults → paragraph style chain
//! (`w:basedOn`) → character style chain → direct run properties. Bold is a
//! toggle property: inside the style levels a "true" flips what came before
//! (a bold paragraph style with a bold character style is NOT bold), while
//! direct formatting is absolute. The paragraph's own `w:pPr/w:rPr` formats
//! only the paragraph mark (and the list number), never the text.

use std::collections::HashMap;

use super::xml::Element;

/// What a key mark can be made of, for one character.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Format {
    pub bold: bool,
    pub underline: bool,
    pub red: bool,
    pub highlight: bool,
}

/// Run properties as one level states them (`None`: not stated).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunProps {
    pub bold: Option<bool>,
    pub underline: Option<bool>,
    pub red: Option<bool>,
    pub highlight: Option<bool>,
    pub shading: Option<bool>,
    /// The font named for Latin text (`w:ascii`, else `w:hAnsi`).
    pub font: Option<String>,
}

impl RunProps {
    /// Reads a `w:rPr` element.
    pub fn read(rpr: &Element) -> RunProps {
        let mut p = RunProps::default();
        for e in rpr.elements() {
            match e.name.as_str() {
                "w:b" => p.bold = Some(on_off(e.attr("w:val"))),
                "w:u" => p.underline = Some(e.attr("w:val").is_none_or(|v| v != "none")),
                "w:color" => p.red = Some(colour_is_red(e)),
                "w:highlight" => {
                    p.highlight = Some(e.attr("w:val").is_some_and(|v| v != "none"));
                }
                "w:shd" => p.shading = Some(shading_is_visible(e)),
                "w:rFonts" => {
                    if let Some(f) = e.attr("w:ascii").or_else(|| e.attr("w:hAnsi")) {
                        p.font = Some(f.to_string());
                    }
                }
                _ => {}
            }
        }
        p
    }

    /// `self` with every property `over` states replacing it.
    fn then(&self, over: &RunProps) -> RunProps {
        RunProps {
            bold: over.bold.or(self.bold),
            underline: over.underline.or(self.underline),
            red: over.red.or(self.red),
            highlight: over.highlight.or(self.highlight),
            shading: over.shading.or(self.shading),
            font: over.font.clone().or_else(|| self.font.clone()),
        }
    }
}

/// `w:val` of an on/off property: absent means on.
pub fn on_off(val: Option<&str>) -> bool {
    !matches!(val, Some("0" | "false" | "off" | "none"))
}

/// Whether a `w:color` is red. A theme colour wins over `w:val` and is
/// never taken as red (the theme is not read; Word's red swatches are
/// plain RGB values).
fn colour_is_red(e: &Element) -> bool {
    if e.attr("w:themeColor").is_some() {
        return false;
    }
    e.attr("w:val").and_then(rgb).is_some_and(is_red)
}

/// A shading fill that shows (not `auto`, not white, not `nil`).
fn shading_is_visible(e: &Element) -> bool {
    if e.attr("w:val") == Some("nil") {
        return false;
    }
    if e.attr("w:themeFill").is_some() {
        return true;
    }
    match e.attr("w:fill") {
        Some(fill) => rgb(fill).is_some_and(|c| c != (255, 255, 255)),
        None => false,
    }
}

fn rgb(hex: &str) -> Option<(u8, u8, u8)> {
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some((byte(0)?, byte(2)?, byte(4)?))
}

/// Red as a hue range (C00000, FF0000, E60000, C0504D …): hue within 20°
/// of red, clearly saturated and not too dark.
pub fn is_red((r, g, b): (u8, u8, u8)) -> bool {
    let (r, g, b) = (f32::from(r), f32::from(g), f32::from(b));
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    if max != r || max < 110.0 || (max - min) / max < 0.5 {
        return false;
    }
    let hue = 60.0 * (g - b) / (max - min);
    (-20.0..=20.0).contains(&hue)
}

struct Style {
    based_on: Option<String>,
    rpr: RunProps,
    num: Option<(String, u8)>,
}

/// The styles part, read once.
#[derive(Default)]
pub struct Styles {
    defaults: RunProps,
    styles: HashMap<String, Style>,
    default_paragraph: Option<String>,
    default_character: Option<String>,
}

impl Styles {
    pub fn read(root: Option<&Element>) -> Styles {
        let mut out = Styles::default();
        let Some(root) = root else { return out };
        if let Some(rpr) = root
            .child("w:docDefaults")
            .and_then(|d| d.child("w:rPrDefault"))
            .and_then(|d| d.child("w:rPr"))
        {
            out.defaults = RunProps::read(rpr);
        }
        for s in root.elements().filter(|e| e.name == "w:style") {
            let Some(id) = s.attr("w:styleId") else {
                continue;
            };
            let is_default = s.attr("w:default").is_some_and(|v| on_off(Some(v)));
            match s.attr("w:type") {
                Some("paragraph") if is_default => out.default_paragraph = Some(id.to_string()),
                Some("character") if is_default => out.default_character = Some(id.to_string()),
                _ => {}
            }
            let num = s
                .child("w:pPr")
                .and_then(|p| p.child("w:numPr"))
                .and_then(numbering_of);
            out.styles.insert(
                id.to_string(),
                Style {
                    based_on: s.child_val("w:basedOn").map(str::to_string),
                    rpr: s.child("w:rPr").map(RunProps::read).unwrap_or_default(),
                    num,
                },
            );
        }
        out
    }

    /// The chain of a style, base first; cycles and runaway chains stop.
    fn chain(&self, id: Option<&str>) -> Vec<&Style> {
        let mut out = Vec::new();
        let mut next = id;
        while let Some(id) = next {
            let Some(s) = self.styles.get(id) else { break };
            if out.len() >= 32 {
                break;
            }
            out.push(s);
            next = s.based_on.as_deref();
        }
        out.reverse();
        out
    }

    fn chain_props(&self, id: Option<&str>) -> RunProps {
        self.chain(id)
            .iter()
            .fold(RunProps::default(), |acc, s| acc.then(&s.rpr))
    }

    /// The paragraph style in force (`w:pStyle`, else the default one).
    pub fn paragraph_style<'a>(&'a self, stated: Option<&'a str>) -> Option<&'a str> {
        stated.or(self.default_paragraph.as_deref())
    }

    /// Numbering a paragraph style carries (`numId`, `ilvl`).
    pub fn style_numbering(&self, id: Option<&str>) -> Option<(String, u8)> {
        self.chain(id).iter().rev().find_map(|s| s.num.clone())
    }

    /// Effective properties of a run in paragraph style `pstyle` with
    /// character style `rstyle` and direct properties `direct`.
    pub fn resolve(
        &self,
        pstyle: Option<&str>,
        rstyle: Option<&str>,
        direct: &RunProps,
    ) -> (Format, Option<String>) {
        let para = self.chain_props(pstyle);
        let chars = self.chain_props(rstyle.or(self.default_character.as_deref()));
        let styled = self.defaults.then(&para).then(&chars).then(direct);
        let toggled = self.defaults.bold.unwrap_or(false)
            ^ (para.bold == Some(true))
            ^ (chars.bold == Some(true));
        let format = Format {
            bold: direct.bold.unwrap_or(toggled),
            underline: styled.underline.unwrap_or(false),
            red: styled.red.unwrap_or(false),
            highlight: styled.highlight.unwrap_or(false) || styled.shading.unwrap_or(false),
        };
        (format, styled.font)
    }
}

/// `(numId, ilvl)` of a `w:numPr`.
pub fn numbering_of(num_pr: &Element) -> Option<(String, u8)> {
    let id = num_pr.child_val("w:numId")?.to_string();
    let level = num_pr
        .child_val("w:ilvl")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Some((id, level))
}

/// Whether a font is one of the legacy Vietnamese 8-bit fonts (TCVN3/ABC
/// `.Vn…`, VNI `VNI-…`), whose text is the wrong letters in Unicode.
pub fn is_legacy_font(font: &str) -> bool {
    let lower = font.to_ascii_lowercase();
    lower.starts_with(".vn") || lower.starts_with("vni-") || lower.starts_with("vni ")
}
