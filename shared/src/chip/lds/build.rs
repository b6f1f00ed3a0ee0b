//! Encoders for the card emulator: each writes a file exactly as a card
//! stores it (tag, length, value), the inverse of the parsers beside it.

use super::com::{Com, LDS_VERSION, UNICODE_VERSION};
use super::dg2::{FaceImage, ImageFormat};
use super::dg13::Dg13Entry;
use super::{DG1, dg2, dg13, dg15, tag_of_group};
use crate::chip::tlv;

/// EF.COM listing data groups `groups` (numbers 1–16; others are skipped),
/// LDS 1.7, Unicode 4.0.0.
pub fn ef_com(groups: &[u8]) -> Vec<u8> {
    Com {
        lds_version: Some(LDS_VERSION.to_string()),
        unicode_version: Some(UNICODE_VERSION.to_string()),
        tags: groups.iter().filter_map(|&g| tag_of_group(g)).collect(),
    }
    .encode()
}

/// DG1 of a TD1 document (the CCCD): `61 5D 5F1F 5A` + the 3 × 30
/// characters (see [`super::dg1::Mrz::td1_lines`]).
pub fn dg1_td1(lines: &[String; 3]) -> Vec<u8> {
    dg1_text(&lines.concat())
}

/// DG1 of a TD3 document (a passport): 2 × 44 characters.
pub fn dg1_td3(lines: &[String; 2]) -> Vec<u8> {
    dg1_text(&lines.concat())
}

fn dg1_text(text: &str) -> Vec<u8> {
    tlv::encode(u32::from(DG1.tag), &tlv::encode(0x5F1F, text.as_bytes()))
}

/// DG2 holding one face image.
pub fn dg2(face: &FaceImage) -> Vec<u8> {
    dg2::encode(face)
}

/// DG2 holding one JPEG face image of `width` × `height` pixels.
pub fn dg2_jpeg(jpeg: &[u8], width: u16, height: u16) -> Vec<u8> {
    dg2::encode(&FaceImage {
        format: ImageFormat::Jpeg,
        width,
        height,
        data: jpeg.to_vec(),
    })
}

/// DG13 holding `entries` in order.
pub fn dg13(entries: &[Dg13Entry]) -> Vec<u8> {
    dg13::encode(entries)
}

/// DG15 holding a DER SubjectPublicKeyInfo.
pub fn dg15(spki_der: &[u8]) -> Vec<u8> {
    dg15::encode(spki_der)
}
