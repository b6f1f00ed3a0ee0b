//! EF.COM: the LDS and Unicode versions and the list of data groups the
//! card holds (ICAO 9303 Part 10 §4.6.1).
//!
//! `60 { 5F01 "0107" ; 5F36 "040000" ; 5C <tag of each data group> }`.
//! The reader uses the list to know which groups to read; the list itself
//! is not signed, so the SOD decides what is authentic.

use thiserror::Error;

use super::{EF_COM, group_of_tag};
use crate::chip::tlv::{self, TlvError};

/// LDS version written by [`encode`](Com::encode) for new cards: 1.7.
pub const LDS_VERSION: &str = "0107";
/// Unicode version written for new cards: 4.0.0.
pub const UNICODE_VERSION: &str = "040000";

/// Why EF.COM cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ComError {
    #[error("EF.COM is not well-formed TLV: {0}")]
    Tlv(#[from] TlvError),
    #[error("EF.COM has no tag list (5C)")]
    NoTagList,
    #[error("EF.COM version 5F{tag:02X} is not ASCII digits")]
    BadVersion { tag: u8 },
}

/// What EF.COM says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Com {
    /// `aabb`: LDS version aa.bb, e.g. `"0107"`; absent on old cards.
    pub lds_version: Option<String>,
    /// `aabbcc`: Unicode version, e.g. `"040000"`.
    pub unicode_version: Option<String>,
    /// The tags listed in 5C, in order (e.g. `0x61` for DG1).
    pub tags: Vec<u8>,
}

impl Com {
    /// Parses EF.COM as read (tag 60 and all).
    pub fn parse(bytes: &[u8]) -> Result<Com, ComError> {
        let com = tlv::read_only(bytes, u32::from(EF_COM.tag))?;
        let mut out = Com {
            lds_version: None,
            unicode_version: None,
            tags: Vec::new(),
        };
        let mut seen_list = false;
        for item in com.children() {
            let item = item?;
            match item.tag {
                0x5F01 => out.lds_version = Some(version_text(item.value, 0x01)?),
                0x5F36 => out.unicode_version = Some(version_text(item.value, 0x36)?),
                0x5C => {
                    out.tags = item.value.to_vec();
                    seen_list = true;
                }
                // Later LDS versions may add elements; they do not matter here.
                _ => {}
            }
        }
        if !seen_list {
            return Err(ComError::NoTagList);
        }
        Ok(out)
    }

    /// The data-group numbers listed, in order; tags that name no data
    /// group are skipped.
    pub fn groups(&self) -> Vec<u8> {
        self.tags.iter().filter_map(|&t| group_of_tag(t)).collect()
    }

    /// The file's bytes (tag 60 and all).
    pub fn encode(&self) -> Vec<u8> {
        let mut value = Vec::new();
        if let Some(version) = &self.lds_version {
            value.extend(tlv::encode(0x5F01, version.as_bytes()));
        }
        if let Some(version) = &self.unicode_version {
            value.extend(tlv::encode(0x5F36, version.as_bytes()));
        }
        value.extend(tlv::encode(0x5C, &self.tags));
        tlv::encode(u32::from(EF_COM.tag), &value)
    }
}

fn version_text(value: &[u8], tag: u8) -> Result<String, ComError> {
    if !value.iter().all(u8::is_ascii_digit) {
        return Err(ComError::BadVersion { tag });
    }
    Ok(value.iter().map(|&b| char::from(b)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chip::lds::build::ef_com;
    use proptest::prelude::*;

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn icao_appendix_d_ef_com() {
        // The 4 + 18 bytes read in the worked example of ICAO 9303 Part 11.
        let bytes = hex("60145F0104303130365F36063034303030305C026175");
        let com = Com::parse(&bytes).unwrap();
        assert_eq!(com.lds_version.as_deref(), Some("0106"));
        assert_eq!(com.unicode_version.as_deref(), Some("040000"));
        assert_eq!(com.tags, vec![0x61, 0x75]);
        assert_eq!(com.groups(), vec![1, 2]);
        assert_eq!(com.encode(), bytes);
    }

    #[test]
    fn refuses_broken_files() {
        assert!(matches!(Com::parse(&hex("6000")), Err(ComError::NoTagList)));
        assert!(matches!(
            Com::parse(&hex("61025C00")),
            Err(ComError::Tlv(_))
        ));
        assert!(matches!(
            Com::parse(&hex("60045F010230")),
            Err(ComError::Tlv(_))
        ));
        assert_eq!(
            // Version "A0".
            Com::parse(&hex("60085F010241305C0161")),
            Err(ComError::BadVersion { tag: 0x01 })
        );
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = Com::parse(&bytes);
            let mut wrapped = vec![0x60, bytes.len().min(127) as u8];
            wrapped.extend(bytes.iter().take(127));
            let _ = Com::parse(&wrapped);
        }

        #[test]
        fn round_trip(groups in proptest::collection::vec(1u8..=16, 0..16)) {
            let com = Com::parse(&ef_com(&groups)).unwrap();
            prop_assert_eq!(com.groups(), groups);
            prop_assert_eq!(com.lds_version.as_deref(), Some(LDS_VERSION));
        }
    }
}
