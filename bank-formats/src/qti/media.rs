//! Where an item lives (a bare file or an entry of a package) and the
//! pictures it points at, read from the package relative to the item file.

use base64::Engine;
use examgate_shared::bank::{Image, Position, Problem};

use crate::package::{Package, resolve};

/// How positions inside one item file are written.
#[derive(Debug, Clone)]
pub struct Place {
    /// The entry in the package; `None` for a bare item file.
    pub file: Option<String>,
}

impl Place {
    pub fn at(&self, line: u32) -> Position {
        match &self.file {
            Some(file) => Position::Entry {
                file: file.clone(),
                line,
            },
            None => Position::Line { line },
        }
    }
}

/// The package an item came from and the pictures read for it so far.
pub struct Media<'p, 'a> {
    package: Option<&'p mut Package<'a>>,
    pub place: Place,
    pub images: Vec<Image>,
    pub problems: Vec<Problem>,
    /// Changes made without refusing (see [`crate::Imported::notes`]).
    pub notes: Vec<Problem>,
}

impl<'p, 'a> Media<'p, 'a> {
    pub fn new(package: Option<&'p mut Package<'a>>, place: Place) -> Self {
        Media {
            package,
            place,
            images: Vec::new(),
            problems: Vec::new(),
            notes: Vec::new(),
        }
    }

    pub fn refuse(&mut self, line: u32, why: impl Into<String>) {
        let at = self.place.at(line);
        self.problems.push(Problem::new(at, why));
    }

    /// The picture at `src` as a reference for question text, or `None`
    /// (with a problem recorded) when it cannot be read or is not a PNG,
    /// JPEG, GIF or WebP.
    pub fn image(&mut self, src: &str, alt: &str, line: u32) -> Option<String> {
        let bytes = self.image_bytes(src.trim(), line)?;
        match Image::new(bytes) {
            Ok(image) => {
                let reference = image.reference(alt);
                if !self.images.iter().any(|i| i.name == image.name) {
                    self.images.push(image);
                }
                Some(reference)
            }
            Err(why) => {
                self.refuse(line, format!("{src}: {why}"));
                None
            }
        }
    }

    fn image_bytes(&mut self, src: &str, line: u32) -> Option<Vec<u8>> {
        if let Some(data) = src.strip_prefix("data:") {
            return self.data_uri(data, line);
        }
        let Some(package) = self.package.as_deref_mut() else {
            self.refuse(
                line,
                format!(
                    "the picture {src} cannot be read from a lone item file; import the whole \
                     content package (zip with imsmanifest.xml)"
                ),
            );
            return None;
        };
        let base = self.place.file.as_deref().unwrap_or("");
        let Some(path) = resolve(base, &percent_decode(src)) else {
            self.refuse(
                line,
                format!(
                    "the picture {src} is outside the package (an absolute URL or a path \
                     leaving it); put the file in the package and refer to it relatively"
                ),
            );
            return None;
        };
        match package.read(&path) {
            Ok(Some(bytes)) => Some(bytes),
            Ok(None) => {
                self.refuse(
                    line,
                    format!("the picture {src} ({path}) is not in the package"),
                );
                None
            }
            Err(problem) => {
                self.refuse(line, format!("the picture {src}: {}", problem.why));
                None
            }
        }
    }

    /// `image/png;base64,…` pictures embedded in the item.
    fn data_uri(&mut self, data: &str, line: u32) -> Option<Vec<u8>> {
        let decoded = data.split_once(";base64,").and_then(|(_, b64)| {
            let compact: String = b64.chars().filter(|c| !c.is_whitespace()).collect();
            base64::engine::general_purpose::STANDARD
                .decode(compact)
                .ok()
        });
        if decoded.is_none() {
            self.refuse(line, "an embedded picture (data: URI) that is not base64");
        }
        decoded
    }
}

/// `%20` and friends in hrefs, as packages write file names with spaces.
pub fn percent_decode(href: &str) -> String {
    let bytes = href.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
