//! One bank question and the vocabulary importers report in.
//!
//! An [`Item`] carries its key: it is staff data and never reaches a student
//! except through a paper ([`crate::paper`]) built after an exam opens.
//!
//! Question text is the same mini-language as exam text ([`crate::tex`]):
//! plain text with TeX between `\( \)` or `$ $`, MathML between `<math>` and
//! `</math>` (Word equations and QTI maths arrive that way; sanitised when
//! rendered) and images written `![description](image:NAME)`, where `NAME`
//! is the image's content address ([`Image::name`]).

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::exam::Body;
use crate::points::Points;

/// Largest image a bank question may carry (after decoding).
pub const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;

/// Image types a browser shows without a plug-in and that cannot carry
/// scripts (no SVG).
pub const IMAGE_TYPES: [(&str, &str); 4] = [
    ("image/png", "png"),
    ("image/jpeg", "jpg"),
    ("image/gif", "gif"),
    ("image/webp", "webp"),
];

/// A picture inside a question, stored once by its content.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// `sha256-hex.ext`: the same picture in two questions is stored once,
    /// and the name cannot be guessed without the picture.
    pub name: String,
    pub media_type: String,
    #[serde(with = "base64_bytes")]
    pub bytes: Vec<u8>,
}

impl fmt::Debug for Image {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Image({}, {} bytes)", self.name, self.bytes.len())
    }
}

impl Image {
    /// Names the picture by its content. `media_type` is checked against the
    /// bytes' signature, so a script cannot pose as a PNG.
    pub fn new(bytes: Vec<u8>) -> Result<Image, String> {
        if bytes.len() > MAX_IMAGE_BYTES {
            return Err(format!(
                "an image of {} bytes is larger than the {} bytes allowed",
                bytes.len(),
                MAX_IMAGE_BYTES
            ));
        }
        let Some(media_type) = sniff(&bytes) else {
            return Err(
                "an image that is not PNG, JPEG, GIF or WebP (Word's WMF/EMF pictures must be \
                 saved as PNG first)"
                    .into(),
            );
        };
        let ext = IMAGE_TYPES
            .iter()
            .find(|(t, _)| *t == media_type)
            .map(|(_, e)| *e)
            .unwrap_or("bin");
        let hash = Sha256::digest(&bytes);
        let mut name = String::with_capacity(64 + 5);
        for b in hash {
            name.push_str(&format!("{b:02x}"));
        }
        name.push('.');
        name.push_str(ext);
        Ok(Image {
            name,
            media_type: media_type.to_string(),
            bytes,
        })
    }

    /// The reference to put in question text.
    pub fn reference(&self, description: &str) -> String {
        format!(
            "![{}](image:{})",
            description.replace([']', '\n'], " "),
            self.name
        )
    }
}

/// The media type of an image from its first bytes.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// Whether `name` is a well-formed image name ([`Image::name`]).
pub fn is_image_name(name: &str) -> bool {
    let Some((hash, ext)) = name.split_once('.') else {
        return false;
    };
    hash.len() == 64
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && IMAGE_TYPES.iter().any(|(_, e)| *e == ext)
}

/// The cognitive level of Vietnamese test matrices (ma trận đề).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Nhận biết — recall.
    Recall,
    /// Thông hiểu — understanding.
    Understanding,
    /// Vận dụng — application.
    Application,
    /// Vận dụng cao — advanced application.
    AdvancedApplication,
}

impl Level {
    pub const ALL: [Level; 4] = [
        Level::Recall,
        Level::Understanding,
        Level::Application,
        Level::AdvancedApplication,
    ];

    pub fn vietnamese(self) -> &'static str {
        match self {
            Level::Recall => "Nhận biết",
            Level::Understanding => "Thông hiểu",
            Level::Application => "Vận dụng",
            Level::AdvancedApplication => "Vận dụng cao",
        }
    }

    /// Reads a level as teachers write it: the Vietnamese name with or
    /// without diacritics, its initials (NB, TH, VD, VDC) or the English name.
    pub fn parse(text: &str) -> Option<Level> {
        let folded = crate::bank::fold::fold(text).replace([' ', '_', '-'], "");
        Some(match folded.as_str() {
            "nhanbiet" | "nb" | "recall" | "knowledge" => Level::Recall,
            "thonghieu" | "th" | "understanding" | "comprehension" => Level::Understanding,
            "vandung" | "vd" | "application" | "apply" => Level::Application,
            "vandungcao" | "vdc" | "advancedapplication" | "advanced" => Level::AdvancedApplication,
            _ => return None,
        })
    }
}

/// How a bank question is filed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// The source's category path (GIFT `$CATEGORY`, Moodle categories),
    /// `/`-separated, without Moodle's `$course$/top` prefix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub subject: String,
    /// Grade 1–12.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<u8>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub topic: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub author: String,
    /// The id the source gave it (GIFT `[id:]`, Moodle `idnumber`, QTI
    /// `identifier`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
}

/// Which convention marked the key of a question in a Word file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyMarking {
    AnswerTable,
    Asterisk,
    Underline,
    Bold,
    RedText,
    Highlight,
    /// The format itself says which answer is right (GIFT `=`, QTI
    /// `correctResponse` …).
    Format,
}

/// One bank question, key included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub text: String,
    /// The kind and the key, exactly as on an exam.
    #[serde(flatten)]
    pub body: Body,
    /// Points suggested by the source (Moodle `defaultgrade`); a paper sets
    /// its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<Points>,
    /// The worked solution or general feedback, shown after the attempt is
    /// final.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    /// Feedback per option (choice questions) or statement, when the source
    /// had it; empty strings where it had none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub option_feedback: Vec<String>,
    #[serde(default)]
    pub meta: Meta,
    /// Pictures the text, options or explanation refer to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<Image>,
    /// How the key was marked in the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marking: Option<KeyMarking>,
    /// Where the question starts in its file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Position>,
}

impl Item {
    /// A question of `body` with `text` and nothing else.
    pub fn new(text: impl Into<String>, body: Body) -> Item {
        Item {
            title: None,
            text: text.into(),
            body,
            points: None,
            explanation: None,
            option_feedback: Vec::new(),
            meta: Meta::default(),
            images: Vec::new(),
            marking: None,
            source: None,
        }
    }

    /// Whether grading and shuffling can use this question: option counts,
    /// keys in range, statements matching keys, tolerances. The reason is
    /// worded for the teacher.
    pub fn check(&self) -> Result<(), String> {
        use crate::exam::ExamError as E;
        crate::exam::validate_body(0, &self.body).map_err(|e| match e {
            E::OptionCount(_, n) => format!(
                "{n} options; a question needs {} to {}",
                crate::exam::MIN_OPTIONS,
                crate::exam::MAX_OPTIONS
            ),
            E::KeyOutOfRange(_, k) => format!("the key names option {}, which does not exist", OptionIdLetter(k)),
            E::NoKeys(_) => "a multiple-response question needs at least one right option".into(),
            E::PinnedOutOfRange(_, k) => format!("pinned option {} does not exist", OptionIdLetter(k)),
            E::StatementKeys(_, s, k) => format!("{s} statements but {k} keys"),
            E::BadTable(_, n) => format!(
                "the true/false table needs one entry per number of right statements (0..={n}), rising to 1000 per mille"
            ),
            E::NegativeTolerance(_) => "the tolerance must not be negative".into(),
            other => other.to_string(),
        })?;
        if self.text.trim().is_empty() {
            return Err("the question has no text".into());
        }
        if self.option_feedback.len() > self.body.options().len().max(4) {
            return Err("more option feedback than options".into());
        }
        for image in &self.images {
            if !is_image_name(&image.name) || sniff(&image.bytes) != Some(image.media_type.as_str())
            {
                return Err(format!("image {} is not what its name says", image.name));
            }
        }
        Ok(())
    }
}

/// Option `k` as its letter, for messages.
struct OptionIdLetter(u8);

impl fmt::Display for OptionIdLetter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", crate::exam::OptionId(self.0).letter())
    }
}

/// A place in an imported file, as people count: lines and paragraphs from 1.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "in", rename_all = "snake_case")]
pub enum Position {
    /// A text file's line (GIFT, Aiken, XML).
    Line { line: u32 },
    /// A Word paragraph (tables' paragraphs counted too, in document order).
    Paragraph { paragraph: u32 },
    /// A file inside a package (QTI zip), and a line in it when known.
    Entry { file: String, line: u32 },
    /// The file as a whole (a broken container).
    File,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::Line { line } => write!(f, "line {line}"),
            Position::Paragraph { paragraph } => write!(f, "paragraph {paragraph}"),
            Position::Entry { file, line: 0 } => write!(f, "{file}"),
            Position::Entry { file, line } => write!(f, "{file}, line {line}"),
            Position::File => write!(f, "the file"),
        }
    }
}

/// Something an importer refused (or, as a note, changed), with where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub at: Position,
    pub why: String,
}

impl Problem {
    pub fn new(at: Position, why: impl Into<String>) -> Problem {
        Problem {
            at,
            why: why.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.why)
    }
}

mod base64_bytes {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_named_by_content_and_checked_by_signature() {
        let png = b"\x89PNG\r\n\x1a\n rest".to_vec();
        let image = Image::new(png.clone()).unwrap();
        assert_eq!(image.media_type, "image/png");
        assert!(image.name.ends_with(".png"));
        assert!(is_image_name(&image.name));
        assert_eq!(Image::new(png).unwrap().name, image.name);
        assert!(Image::new(b"<svg onload=alert(1)>".to_vec()).is_err());
        assert!(Image::new(vec![0x89; MAX_IMAGE_BYTES + 1]).is_err());
        assert!(!is_image_name("../../etc/passwd.png"));
        assert_eq!(
            image.reference("hình [1]"),
            format!("![hình [1 ](image:{})", image.name)
        );
    }

    #[test]
    fn levels_read_as_teachers_write_them() {
        assert_eq!(
            Level::parse("Vận dụng cao"),
            Some(Level::AdvancedApplication)
        );
        assert_eq!(Level::parse("van dung"), Some(Level::Application));
        assert_eq!(Level::parse("NB"), Some(Level::Recall));
        assert_eq!(Level::parse("Thông hiểu"), Some(Level::Understanding));
        assert_eq!(Level::parse("khó"), None);
    }
}
