//! The chip photo (DG2) made displayable in the proctor's browser.
//!
//! The CCCD stores a JPEG, which browsers show as is. Passports often
//! store JPEG 2000, which browsers cannot show, so it is decoded here (pure
//! Rust, `hayro-jpeg2000`) and re-encoded as PNG (lossless, so nothing is
//! lost on top of the card's own compression).
//!
//! The image comes from a card that may be forged, so the decoder is
//! guarded: images larger than any document photo are refused before
//! decoding, and a panic inside the decoder becomes an error instead of
//! taking the request down. The size is the image's own (JPEG frame
//! header, JPEG 2000 codestream), never the 19794-5 record's claim: a JPEG
//! goes to the proctor's browser as it is, and a forged header must not
//! hide a picture large enough to stall it.

use examgate_shared::chip::lds::dg2::{FaceImage, ImageFormat};
use hayro_jpeg2000::{ColorSpace, DecodeSettings, DecoderContext, Image};
use thiserror::Error;

/// Larger than any document photo (ICAO asks for about 420 × 525); a
/// bigger image is refused so a forged card cannot make us allocate
/// gigabytes.
pub const MAX_SIDE: u32 = 4096;

/// Why a face image cannot be shown.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PhotoError {
    #[error("JPEG 2000 image is not readable: {0}")]
    Decode(String),
    #[error("image of {width} × {height} pixels is larger than a document photo")]
    TooLarge { width: u32, height: u32 },
    #[error("image colour space {0} cannot be shown")]
    ColourSpace(String),
    #[error("the JPEG 2000 decoder failed on this image")]
    DecoderPanicked,
    #[error("PNG encoding failed: {0}")]
    Png(String),
}

/// The image as a browser can show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Displayable {
    pub mime: &'static str,
    pub bytes: Vec<u8>,
    /// The picture's real size in pixels (not the record's claim).
    pub width: u32,
    pub height: u32,
}

impl Displayable {
    /// The size for the check-in's reasons, noting a record that claims
    /// another one.
    pub fn size_note(&self, face: &FaceImage) -> String {
        let claimed = (u32::from(face.width), u32::from(face.height));
        if claimed == (self.width, self.height) {
            format!("photo {} × {}", self.width, self.height)
        } else {
            format!(
                "photo {} × {} (its ISO 19794-5 record says {} × {})",
                self.width, self.height, claimed.0, claimed.1
            )
        }
    }
}

/// The image as a browser can show it: its MIME type, bytes and real size.
pub fn displayable(face: &FaceImage) -> Result<Displayable, PhotoError> {
    match face.format {
        ImageFormat::Jpeg => {
            let (width, height) = crate::photo_size::jpeg_size(&face.data)
                .map_err(|detail| PhotoError::Decode(format!("JPEG: {detail}")))?;
            if width > MAX_SIDE || height > MAX_SIDE {
                return Err(PhotoError::TooLarge { width, height });
            }
            Ok(Displayable {
                mime: "image/jpeg",
                bytes: face.data.clone(),
                width,
                height,
            })
        }
        ImageFormat::Jpeg2000 => {
            let decoded = std::panic::catch_unwind(|| decode_jpeg2000(&face.data))
                .map_err(|_| PhotoError::DecoderPanicked)??;
            Ok(Displayable {
                mime: "image/png",
                bytes: encode_png(&decoded)?,
                width: decoded.width,
                height: decoded.height,
            })
        }
    }
}

/// 8-bit pixels ready for PNG.
struct Pixels {
    width: u32,
    height: u32,
    colour: png::ColorType,
    data: Vec<u8>,
}

fn decode_jpeg2000(data: &[u8]) -> Result<Pixels, PhotoError> {
    let image = Image::new(data, &DecodeSettings::default())
        .map_err(|e| PhotoError::Decode(format!("{e:?}")))?;
    let (width, height) = (image.width(), image.height());
    if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
        return Err(PhotoError::TooLarge { width, height });
    }
    let alpha = image.has_alpha();
    // An ICC profile is not applied: photos are sRGB-like, and the
    // proctor compares a face, not colours.
    let channels = match image.color_space() {
        ColorSpace::Gray => Channels::Gray,
        ColorSpace::RGB => Channels::Rgb,
        ColorSpace::CMYK => Channels::Cmyk,
        ColorSpace::Icc {
            num_channels: 1, ..
        } => Channels::Gray,
        ColorSpace::Icc {
            num_channels: 3, ..
        } => Channels::Rgb,
        other => return Err(PhotoError::ColourSpace(format!("{other:?}"))),
    };
    let mut context = DecoderContext::default();
    let decoded = image
        .decode(&mut context)
        .map_err(|e| PhotoError::Decode(format!("{e:?}")))?;
    let samples = decoded.data_u8();
    let per_pixel = channels.count() + usize::from(alpha);
    let expected = width as usize * height as usize * per_pixel;
    if samples.len() != expected {
        return Err(PhotoError::Decode(format!(
            "{} samples for {width} × {height} × {per_pixel}",
            samples.len()
        )));
    }
    let (colour, data) = match (channels, alpha) {
        (Channels::Gray, false) => (png::ColorType::Grayscale, samples),
        (Channels::Gray, true) => (png::ColorType::GrayscaleAlpha, samples),
        (Channels::Rgb, false) => (png::ColorType::Rgb, samples),
        (Channels::Rgb, true) => (png::ColorType::Rgba, samples),
        (Channels::Cmyk, _) => (png::ColorType::Rgb, cmyk_to_rgb(&samples, per_pixel)),
    };
    Ok(Pixels {
        width,
        height,
        colour,
        data,
    })
}

#[derive(Debug, Clone, Copy)]
enum Channels {
    Gray,
    Rgb,
    Cmyk,
}

impl Channels {
    fn count(self) -> usize {
        match self {
            Channels::Gray => 1,
            Channels::Rgb => 3,
            Channels::Cmyk => 4,
        }
    }
}

/// The naive CMYK → RGB conversion (any alpha dropped); good enough to
/// recognise a face in the rare document that stores CMYK.
fn cmyk_to_rgb(samples: &[u8], per_pixel: usize) -> Vec<u8> {
    samples
        .chunks_exact(per_pixel)
        .flat_map(|p| {
            let k = 255 - u16::from(p[3]);
            [p[0], p[1], p[2]].map(|c| ((255 - u16::from(c)) * k / 255) as u8)
        })
        .collect()
}

fn encode_png(pixels: &Pixels) -> Result<Vec<u8>, PhotoError> {
    let png_error = |e: png::EncodingError| PhotoError::Png(e.to_string());
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixels.width, pixels.height);
    encoder.set_color(pixels.colour);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(png_error)?;
    writer.write_image_data(&pixels.data).map_err(png_error)?;
    writer.finish().map_err(png_error)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 120 × 160 drawing (light blue background, skin-coloured face,
    /// blue shoulders) saved once with Pillow as lossy JPEG 2000:
    /// `im.save("face.jp2", "JPEG2000", irreversible=True,
    /// quality_mode="rates", quality_layers=[8])`.
    const FIXTURE: &[u8] = include_bytes!("../tests/fixtures/face.jp2");

    fn face(format: ImageFormat, data: &[u8]) -> FaceImage {
        FaceImage {
            format,
            width: 120,
            height: 160,
            data: data.to_vec(),
        }
    }

    fn decode_png(png_bytes: &[u8]) -> (png::OutputInfo, Vec<u8>) {
        let mut reader = png::Decoder::new(std::io::Cursor::new(png_bytes))
            .read_info()
            .unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        buf.truncate(info.buffer_size());
        (info, buf)
    }

    /// A JPEG header with a baseline frame of `width` × `height`.
    fn jpeg(width: u16, height: u16) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08];
        bytes.extend_from_slice(&height.to_be_bytes());
        bytes.extend_from_slice(&width.to_be_bytes());
        bytes.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xFF, 0xD9]);
        bytes
    }

    #[test]
    fn jpeg_passes_through_unchanged_with_its_real_size() {
        let bytes = jpeg(120, 160);
        let shown = displayable(&face(ImageFormat::Jpeg, &bytes)).unwrap();
        assert_eq!(shown.mime, "image/jpeg");
        assert_eq!(shown.bytes, bytes);
        assert_eq!((shown.width, shown.height), (120, 160));
        assert_eq!(
            shown.size_note(&face(ImageFormat::Jpeg, &bytes)),
            "photo 120 × 160"
        );
    }

    #[test]
    fn a_jpeg_larger_than_its_record_claims_is_refused_by_its_own_size() {
        // The record says 120 × 160; the picture is 30000 × 40000.
        let bomb = jpeg(30_000, 40_000);
        assert_eq!(
            displayable(&face(ImageFormat::Jpeg, &bomb)),
            Err(PhotoError::TooLarge {
                width: 30_000,
                height: 40_000
            })
        );
        // Within bounds but not what the record says: noted.
        let other = jpeg(480, 640);
        let shown = displayable(&face(ImageFormat::Jpeg, &other)).unwrap();
        assert_eq!(
            shown.size_note(&face(ImageFormat::Jpeg, &other)),
            "photo 480 × 640 (its ISO 19794-5 record says 120 × 160)"
        );
        assert!(displayable(&face(ImageFormat::Jpeg, b"not a jpeg")).is_err());
    }

    #[test]
    fn jpeg_2000_becomes_a_png_with_the_same_picture() {
        let shown = displayable(&face(ImageFormat::Jpeg2000, FIXTURE)).unwrap();
        assert_eq!(shown.mime, "image/png");
        assert_eq!((shown.width, shown.height), (120, 160));
        let bytes = shown.bytes;
        let (info, pixels) = decode_png(&bytes);
        assert_eq!((info.width, info.height), (120, 160));
        assert_eq!(info.color_type, png::ColorType::Rgb);
        let at = |x: usize, y: usize| {
            let i = (y * 120 + x) * 3;
            [pixels[i], pixels[i + 1], pixels[i + 2]]
        };
        let near =
            |got: [u8; 3], want: [u8; 3]| got.iter().zip(want).all(|(&g, w)| g.abs_diff(w) <= 12);
        assert!(near(at(60, 75), [226, 186, 150]), "face {:?}", at(60, 75));
        assert!(near(at(5, 5), [200, 220, 240]), "background {:?}", at(5, 5));
        assert!(
            near(at(60, 150), [40, 90, 160]),
            "shoulders {:?}",
            at(60, 150)
        );
    }

    #[test]
    fn broken_jpeg_2000_is_an_error_not_a_panic() {
        assert!(matches!(
            displayable(&face(ImageFormat::Jpeg2000, b"not an image")),
            Err(PhotoError::Decode(_))
        ));
        for cut in [12, 100] {
            assert!(
                displayable(&face(ImageFormat::Jpeg2000, &FIXTURE[..cut])).is_err(),
                "cut at {cut}"
            );
        }
        // A codestream cut in its middle may still decode in part (JPEG
        // 2000 is progressive); it must not panic.
        let _ = displayable(&face(ImageFormat::Jpeg2000, &FIXTURE[..FIXTURE.len() / 2]));
    }
}
