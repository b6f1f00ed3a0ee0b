//! The GetInfo payload: versions and what the reader path can carry.
//!
//! Layout (14 bytes, multi-byte fields little-endian):
//!
//! ```text
//! 0  protocol major      1  protocol minor
//! 2  firmware major      3  firmware minor      4  firmware patch
//! 5  flags: bit 0 = extended-length APDUs pass end to end; others 0
//! 6..10   max APDU length (u32), commands and responses
//! 10..14  card link bit rate in bits per second (u32), 0 = unknown
//! ```
//!
//! Bytes 0–1 keep this meaning in every version, so a host can always
//! read the version of a bridge it cannot otherwise understand. A later
//! minor version may append fields; readers ignore bytes past 14.

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// The version of `docs/bridge-protocol.md` a side speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct ProtocolVersion {
    pub major: u8,
    pub minor: u8,
}

impl ProtocolVersion {
    /// Same major version: the minor versions only add.
    pub fn is_compatible_with(self, other: ProtocolVersion) -> bool {
        self.major == other.major
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct FirmwareVersion {
    pub major: u8,
    pub minor: u8,
    pub patch: u8,
}

/// What a bridge says about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct BridgeInfo {
    pub protocol: ProtocolVersion,
    pub firmware: FirmwareVersion,
    /// The longest command or response APDU the bridge passes.
    pub max_apdu_len: u32,
    /// Whether extended-length APDUs work end to end (reader chip and card
    /// link, not only the USB framing).
    pub extended_length: bool,
    /// The card link's bit rate, bits per second (0: unknown). For
    /// estimating read times; 106, 212, 424 or 848 kbit/s contactless.
    pub bit_rate: u32,
}

const FLAG_EXTENDED_LENGTH: u8 = 0x01;

impl BridgeInfo {
    /// Payload bytes in this version.
    pub const LEN: usize = 14;

    pub fn to_bytes(&self) -> [u8; BridgeInfo::LEN] {
        let mut out = [0u8; BridgeInfo::LEN];
        out[0] = self.protocol.major;
        out[1] = self.protocol.minor;
        out[2] = self.firmware.major;
        out[3] = self.firmware.minor;
        out[4] = self.firmware.patch;
        out[5] = if self.extended_length {
            FLAG_EXTENDED_LENGTH
        } else {
            0
        };
        out[6..10].copy_from_slice(&self.max_apdu_len.to_le_bytes());
        out[10..14].copy_from_slice(&self.bit_rate.to_le_bytes());
        out
    }

    /// Reads a payload. `None` when it is too short for its own version:
    /// under 2 bytes always, under [`BridgeInfo::LEN`] for our major
    /// version. For another major version only `protocol` is meaningful
    /// (the rest is read where present, else zero); the host refuses such
    /// a bridge anyway.
    pub fn parse(payload: &[u8], ours: ProtocolVersion) -> Option<BridgeInfo> {
        let [major, minor, ..] = *payload else {
            return None;
        };
        let protocol = ProtocolVersion { major, minor };
        if protocol.is_compatible_with(ours) && payload.len() < BridgeInfo::LEN {
            return None;
        }
        let mut fields = [0u8; BridgeInfo::LEN];
        let known = payload.len().min(BridgeInfo::LEN);
        fields[..known].copy_from_slice(&payload[..known]);
        let u32_at = |at: usize| {
            u32::from_le_bytes([fields[at], fields[at + 1], fields[at + 2], fields[at + 3]])
        };
        Some(BridgeInfo {
            protocol,
            firmware: FirmwareVersion {
                major: fields[2],
                minor: fields[3],
                patch: fields[4],
            },
            extended_length: fields[5] & FLAG_EXTENDED_LENGTH != 0,
            max_apdu_len: u32_at(6),
            bit_rate: u32_at(10),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V1: ProtocolVersion = ProtocolVersion { major: 1, minor: 0 };

    fn sample() -> BridgeInfo {
        BridgeInfo {
            protocol: ProtocolVersion { major: 1, minor: 2 },
            firmware: FirmwareVersion {
                major: 0,
                minor: 3,
                patch: 9,
            },
            max_apdu_len: 65_544,
            extended_length: true,
            bit_rate: 424_000,
        }
    }

    #[test]
    fn layout_matches_the_document() {
        assert_eq!(
            sample().to_bytes(),
            [
                0x01, 0x02, 0x00, 0x03, 0x09, 0x01, 0x08, 0x00, 0x01, 0x00, 0x40, 0x78, 0x06, 0x00
            ]
        );
    }

    #[test]
    fn round_trips_and_ignores_appended_fields() {
        let mut bytes = sample().to_bytes().to_vec();
        assert_eq!(BridgeInfo::parse(&bytes, V1), Some(sample()));
        bytes.extend_from_slice(&[0xAA, 0xBB]);
        assert_eq!(BridgeInfo::parse(&bytes, V1), Some(sample()));
    }

    #[test]
    fn short_payloads_of_our_version_are_refused() {
        assert_eq!(BridgeInfo::parse(&sample().to_bytes()[..13], V1), None);
        assert_eq!(BridgeInfo::parse(&[1], V1), None);
    }

    #[test]
    fn another_major_version_still_shows_its_version() {
        let info = BridgeInfo::parse(&[2, 0], V1).unwrap();
        assert_eq!(info.protocol, ProtocolVersion { major: 2, minor: 0 });
        assert!(!info.protocol.is_compatible_with(V1));
    }
}
