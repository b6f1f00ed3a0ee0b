//! DG2: the holder's face image (ICAO 9303 Part 10 §4.7.2, ISO/IEC 19794-5).
//!
//! `75 { 7F61 { 02 01 n ; 7F60 { A1 <biometric header> ; 5F2E <record> } } }`
//! (some documents use 7F2E for the record). The record is an ISO/IEC
//! 19794-5:2005 face record: general header (`FAC\0`, `010\0`, length,
//! number of faces), then per face a facial record header, feature points
//! and an image information block whose data type says JPEG (0) or JPEG
//! 2000 (1), followed by the image. The image is found by walking that
//! structure, then checked against the format's signature, so a
//! mislabelled or truncated image is refused rather than shown broken.

use thiserror::Error;

use super::DG2;
use crate::chip::tlv::{self, TlvError};

const GROUP_TEMPLATE: u32 = 0x7F61;
const INSTANCE_TEMPLATE: u32 = 0x7F60;
const HEADER_TEMPLATE: u32 = 0xA1;
const RECORD: u32 = 0x5F2E;
const RECORD_ALTERNATIVE: u32 = 0x7F2E;

const FORMAT_ID: &[u8; 4] = b"FAC\0";
const VERSION_2005: &[u8; 4] = b"010\0";
const GENERAL_HEADER_LEN: usize = 14;
const FACIAL_HEADER_LEN: usize = 20;
const FEATURE_POINT_LEN: usize = 8;
const IMAGE_INFO_LEN: usize = 12;

const JPEG_SOI: &[u8] = &[0xFF, 0xD8, 0xFF];
const JP2_SIGNATURE_BOX: &[u8] = &[
    0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A,
];
const J2K_CODESTREAM: &[u8] = &[0xFF, 0x4F, 0xFF, 0x51];

/// How the face image is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    Jpeg,
    /// A JP2 file or a raw JPEG 2000 codestream.
    Jpeg2000,
}

impl ImageFormat {
    /// The 19794-5 image data type.
    fn data_type(self) -> u8 {
        match self {
            ImageFormat::Jpeg => 0,
            ImageFormat::Jpeg2000 => 1,
        }
    }

    /// Whether `data` starts as this format's files do.
    pub fn has_signature(self, data: &[u8]) -> bool {
        match self {
            ImageFormat::Jpeg => data.starts_with(JPEG_SOI),
            ImageFormat::Jpeg2000 => {
                data.starts_with(JP2_SIGNATURE_BOX) || data.starts_with(J2K_CODESTREAM)
            }
        }
    }
}

/// The face image from DG2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaceImage {
    pub format: ImageFormat,
    /// Pixels, as the image information block states.
    pub width: u16,
    pub height: u16,
    /// The encoded image, exactly as stored.
    pub data: Vec<u8>,
}

/// Why DG2 gives no face image.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Dg2Error {
    #[error("DG2 is not well-formed TLV: {0}")]
    Tlv(#[from] TlvError),
    #[error("DG2 lacks the {0} element")]
    Missing(&'static str),
    #[error("DG2 says it holds {0} face instances")]
    NoInstance(u64),
    #[error("the face record does not start with FAC\\0")]
    NotFaceRecord,
    #[error("face record version {0:?} is not supported (only 010)")]
    Version([u8; 4]),
    #[error("the face record is truncated: {what} needs {needed} bytes, {available} remain")]
    Truncated {
        what: &'static str,
        needed: usize,
        available: usize,
    },
    #[error("the face record holds no image")]
    NoFace,
    #[error("image data type {0} is neither JPEG (0) nor JPEG 2000 (1)")]
    ImageType(u8),
    #[error("the image is labelled {0:?} but does not start like one")]
    Signature(ImageFormat),
}

impl FaceImage {
    /// Parses DG2 as read (tag 75 and all) and returns the first face.
    pub fn parse(dg2: &[u8]) -> Result<FaceImage, Dg2Error> {
        let group = tlv::read_only(dg2, u32::from(DG2.tag))?;
        let template = group
            .children()
            .find(GROUP_TEMPLATE)?
            .ok_or(Dg2Error::Missing(
                "biometric information group template (7F61)",
            ))?;
        let count = template
            .children()
            .find(0x02)?
            .ok_or(Dg2Error::Missing("instance count (02)"))?;
        let count = count.value.iter().fold(0u64, |acc, &b| {
            acc.saturating_mul(256).saturating_add(u64::from(b))
        });
        if count == 0 {
            return Err(Dg2Error::NoInstance(count));
        }
        let instance = template
            .children()
            .find(INSTANCE_TEMPLATE)?
            .ok_or(Dg2Error::Missing("biometric information template (7F60)"))?;
        let mut record = None;
        for item in instance.children() {
            let item = item?;
            if item.tag == RECORD || item.tag == RECORD_ALTERNATIVE {
                record = Some(item.value);
                break;
            }
        }
        parse_record(record.ok_or(Dg2Error::Missing("biometric data block (5F2E)"))?)
    }
}

/// A bounds-checked cursor over the face record.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, len: usize, what: &'static str) -> Result<&'a [u8], Dg2Error> {
        let available = self.bytes.len() - self.at;
        if len > available {
            return Err(Dg2Error::Truncated {
                what,
                needed: len,
                available,
            });
        }
        let out = &self.bytes[self.at..self.at + len];
        self.at += len;
        Ok(out)
    }
}

fn be(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .fold(0usize, |acc, &b| (acc << 8) | usize::from(b))
}

fn parse_record(record: &[u8]) -> Result<FaceImage, Dg2Error> {
    let mut cursor = Cursor {
        bytes: record,
        at: 0,
    };
    let general = cursor.take(GENERAL_HEADER_LEN, "general header")?;
    if &general[0..4] != FORMAT_ID {
        return Err(Dg2Error::NotFaceRecord);
    }
    if &general[4..8] != VERSION_2005 {
        let mut version = [0; 4];
        version.copy_from_slice(&general[4..8]);
        return Err(Dg2Error::Version(version));
    }
    let record_len = be(&general[8..12]);
    if record_len > record.len() {
        return Err(Dg2Error::Truncated {
            what: "face record",
            needed: record_len,
            available: record.len(),
        });
    }
    // Trust the stated length over the TLV's, so trailing padding is ignored.
    cursor.bytes = &record[..record_len.max(GENERAL_HEADER_LEN)];
    if be(&general[12..14]) == 0 {
        return Err(Dg2Error::NoFace);
    }
    let face_start = cursor.at;
    let facial = cursor.take(FACIAL_HEADER_LEN, "facial record header")?;
    let face_len = be(&facial[0..4]);
    let feature_points = be(&facial[4..6]);
    cursor.take(feature_points * FEATURE_POINT_LEN, "feature points")?;
    let info = cursor.take(IMAGE_INFO_LEN, "image information")?;
    let format = match info[1] {
        0 => ImageFormat::Jpeg,
        1 => ImageFormat::Jpeg2000,
        other => return Err(Dg2Error::ImageType(other)),
    };
    let image_len = face_len
        .checked_sub(cursor.at - face_start)
        .ok_or(Dg2Error::Truncated {
            what: "facial record (its stated length is below its headers)",
            needed: cursor.at - face_start,
            available: face_len,
        })?;
    let data = cursor.take(image_len, "image data")?;
    if !format.has_signature(data) {
        return Err(Dg2Error::Signature(format));
    }
    Ok(FaceImage {
        format,
        width: be(&info[2..4]) as u16,
        height: be(&info[4..6]) as u16,
        data: data.to_vec(),
    })
}

/// The DG2 file (tag 75 and all) holding one face.
pub fn encode(face: &FaceImage) -> Vec<u8> {
    let face_len = FACIAL_HEADER_LEN + IMAGE_INFO_LEN + face.data.len();
    let mut record = Vec::with_capacity(GENERAL_HEADER_LEN + face_len);
    record.extend_from_slice(FORMAT_ID);
    record.extend_from_slice(VERSION_2005);
    record.extend_from_slice(&((GENERAL_HEADER_LEN + face_len) as u32).to_be_bytes());
    record.extend_from_slice(&1u16.to_be_bytes());
    // Facial record header: length, no feature points, gender, eye and
    // hair colour, feature mask, expression, pose angle and its
    // uncertainty all unspecified (0).
    record.extend_from_slice(&(face_len as u32).to_be_bytes());
    record.extend_from_slice(&[0; FACIAL_HEADER_LEN - 4]);
    // Image information: full frontal (1), data type, size, 24-bit RGB (1),
    // static photo from a digital still camera (2), device and quality
    // unspecified.
    record.extend_from_slice(&[1, face.format.data_type()]);
    record.extend_from_slice(&face.width.to_be_bytes());
    record.extend_from_slice(&face.height.to_be_bytes());
    record.extend_from_slice(&[1, 2, 0, 0, 0, 0]);
    record.extend_from_slice(&face.data);

    // Biometric header: ICAO header version 1.1, type facial features,
    // format owner ISO/IEC JTC 1/SC 37, format type face image.
    let header = [
        tlv::encode(0x80, &[0x01, 0x01]),
        tlv::encode(0x81, &[0x02]),
        tlv::encode(0x87, &[0x01, 0x01]),
        tlv::encode(0x88, &[0x00, 0x08]),
    ]
    .concat();
    let instance = [
        tlv::encode(HEADER_TEMPLATE, &header),
        tlv::encode(RECORD, &record),
    ]
    .concat();
    let template = [
        tlv::encode(0x02, &[1]),
        tlv::encode(INSTANCE_TEMPLATE, &instance),
    ]
    .concat();
    tlv::encode(u32::from(DG2.tag), &tlv::encode(GROUP_TEMPLATE, &template))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chip::lds::build::{dg2, dg2_jpeg};
    use proptest::prelude::*;

    fn fake_jpeg(len: usize) -> Vec<u8> {
        let mut data = vec![0xFF, 0xD8, 0xFF, 0xE0];
        data.resize(len, 0x11);
        data.extend_from_slice(&[0xFF, 0xD9]);
        data
    }

    #[test]
    fn reads_what_the_emulator_writes() {
        let jpeg = fake_jpeg(20_000);
        let bytes = dg2_jpeg(&jpeg, 480, 640);
        let face = FaceImage::parse(&bytes).unwrap();
        assert_eq!(face.format, ImageFormat::Jpeg);
        assert_eq!((face.width, face.height), (480, 640));
        assert_eq!(face.data, jpeg);
    }

    #[test]
    fn walks_feature_points_and_ignores_padding() {
        let face = FaceImage {
            format: ImageFormat::Jpeg2000,
            width: 10,
            height: 12,
            data: [JP2_SIGNATURE_BOX, &[1, 2, 3]].concat(),
        };
        let mut bytes = dg2(&face);
        // Rewrite the record with two feature points and 3 padding bytes.
        let record_at = bytes.windows(4).position(|w| w == FORMAT_ID).unwrap();
        let mut record = bytes.split_off(record_at);
        let face_len = be(&record[14..18]) + 2 * FEATURE_POINT_LEN;
        record[8..12].copy_from_slice(&((14 + face_len) as u32).to_be_bytes());
        record[14..18].copy_from_slice(&(face_len as u32).to_be_bytes());
        record[18..20].copy_from_slice(&2u16.to_be_bytes());
        let points = [0xAA; 2 * FEATURE_POINT_LEN];
        record.splice(34..34, points);
        record.extend_from_slice(&[0, 0, 0]);
        let rebuilt = tlv::encode(
            0x75,
            &tlv::encode(
                0x7F61,
                &[
                    tlv::encode(0x02, &[1]),
                    tlv::encode(
                        0x7F60,
                        &[tlv::encode(0xA1, &[]), tlv::encode(0x7F2E, &record)].concat(),
                    ),
                ]
                .concat(),
            ),
        );
        assert_eq!(FaceImage::parse(&rebuilt).unwrap(), face);
    }

    #[test]
    fn refuses_mislabelled_or_truncated_images() {
        let jpeg2000_as_jpeg = FaceImage {
            format: ImageFormat::Jpeg,
            width: 1,
            height: 1,
            data: J2K_CODESTREAM.to_vec(),
        };
        assert_eq!(
            FaceImage::parse(&dg2(&jpeg2000_as_jpeg)),
            Err(Dg2Error::Signature(ImageFormat::Jpeg))
        );
        let mut bytes = dg2_jpeg(&fake_jpeg(100), 1, 1);
        let at = bytes.windows(4).position(|w| w == FORMAT_ID).unwrap();
        // Claim a facial record longer than the record.
        bytes[at + 14..at + 18].copy_from_slice(&1000u32.to_be_bytes());
        assert!(matches!(
            FaceImage::parse(&bytes),
            Err(Dg2Error::Truncated { .. })
        ));
        bytes[at + 14..at + 18].copy_from_slice(&10u32.to_be_bytes());
        assert!(matches!(
            FaceImage::parse(&bytes),
            Err(Dg2Error::Truncated { .. })
        ));
        bytes[at + 35] = 7;
        assert_eq!(FaceImage::parse(&bytes), Err(Dg2Error::ImageType(7)));
        bytes[at + 5] = b'3';
        assert_eq!(FaceImage::parse(&bytes), Err(Dg2Error::Version(*b"030\0")));
        bytes[at] = b'X';
        assert_eq!(FaceImage::parse(&bytes), Err(Dg2Error::NotFaceRecord));
        assert!(matches!(
            FaceImage::parse(&tlv::encode(0x75, &[])),
            Err(Dg2Error::Missing(_))
        ));
    }

    fn wrap(record: &[u8]) -> Vec<u8> {
        let instance = tlv::encode(0x7F60, &tlv::encode(0x5F2E, record));
        tlv::encode(
            0x75,
            &tlv::encode(0x7F61, &[tlv::encode(0x02, &[1]), instance].concat()),
        )
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = FaceImage::parse(&bytes);
            let _ = FaceImage::parse(&wrap(&bytes));
            // A valid general header followed by arbitrary bytes.
            let mut record = [FORMAT_ID.as_slice(), VERSION_2005].concat();
            record.extend_from_slice(&((14 + bytes.len()) as u32).to_be_bytes());
            record.extend_from_slice(&[0, 1]);
            record.extend_from_slice(&bytes);
            let _ = FaceImage::parse(&wrap(&record));
        }

        #[test]
        fn round_trip(
            jpeg2000 in any::<bool>(),
            width in any::<u16>(),
            height in any::<u16>(),
            body in proptest::collection::vec(any::<u8>(), 0..300),
        ) {
            let (format, signature) = if jpeg2000 {
                (ImageFormat::Jpeg2000, JP2_SIGNATURE_BOX)
            } else {
                (ImageFormat::Jpeg, JPEG_SOI)
            };
            let face = FaceImage { format, width, height, data: [signature, &body].concat() };
            prop_assert_eq!(FaceImage::parse(&dg2(&face)).unwrap(), face);
        }
    }
}
