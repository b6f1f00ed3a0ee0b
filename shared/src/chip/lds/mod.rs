//! The files of the card's Logical Data Structure (ICAO 9303 Part 10):
//! which files exist (file ids, tags, data-group numbers) and their parsers.
//!
//! - [`com`]: EF.COM, the list of data groups present.
//! - [`dg1`]: the MRZ (TD1 on the CCCD, TD3 on passports), check digits
//!   verified.
//! - [`dg2`]: the face image (ISO/IEC 19794-5 record, JPEG or JPEG 2000).
//! - [`dg13`]: Vietnamese personal data (the card's printed text).
//! - [`dg15`]: the active-authentication public key.
//! - [`build`]: the inverse encoders the card emulator uses.
//!
//! Every parser takes the file exactly as read from the card (tag, length,
//! value) and must never panic, whatever bytes a forged card sends.

pub mod build;
pub mod com;
pub mod dg1;
pub mod dg13;
pub mod dg15;
pub mod dg2;

/// One elementary file of the eMRTD application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LdsFile {
    /// The name ICAO gives it, e.g. `"DG1"` or `"EF.SOD"`.
    pub name: &'static str,
    /// The file id used with SELECT.
    pub fid: u16,
    /// The tag of the single TLV element the file holds.
    pub tag: u8,
    /// The data-group number; `None` for EF.COM and EF.SOD.
    pub group: Option<u8>,
}

pub const EF_COM: LdsFile = LdsFile {
    name: "EF.COM",
    fid: 0x011E,
    tag: 0x60,
    group: None,
};
pub const DG1: LdsFile = LdsFile {
    name: "DG1",
    fid: 0x0101,
    tag: 0x61,
    group: Some(1),
};
pub const DG2: LdsFile = LdsFile {
    name: "DG2",
    fid: 0x0102,
    tag: 0x75,
    group: Some(2),
};
pub const DG13: LdsFile = LdsFile {
    name: "DG13",
    fid: 0x010D,
    tag: 0x6D,
    group: Some(13),
};
pub const DG14: LdsFile = LdsFile {
    name: "DG14",
    fid: 0x010E,
    tag: 0x6E,
    group: Some(14),
};
pub const DG15: LdsFile = LdsFile {
    name: "DG15",
    fid: 0x010F,
    tag: 0x6F,
    group: Some(15),
};
pub const EF_SOD: LdsFile = LdsFile {
    name: "EF.SOD",
    fid: 0x011D,
    tag: 0x77,
    group: None,
};

/// The files a CCCD check-in reads, in reading order.
pub const CHECK_IN_FILES: [LdsFile; 7] = [EF_COM, DG1, DG2, DG13, DG14, DG15, EF_SOD];

/// The tag of each data group 1–16 (ICAO 9303 Part 10, table of LDS tags);
/// EF.COM lists present groups by these tags.
const GROUP_TAGS: [u8; 16] = [
    0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70,
];

/// The data-group number (1–16) whose file has this tag.
pub fn group_of_tag(tag: u8) -> Option<u8> {
    GROUP_TAGS
        .iter()
        .position(|&t| t == tag)
        .map(|i| i as u8 + 1)
}

/// The tag of data group `group` (1–16).
pub fn tag_of_group(group: u8) -> Option<u8> {
    GROUP_TAGS.get(usize::from(group).checked_sub(1)?).copied()
}

/// The file of data group `group` (1–16); its file id is `01` ‖ group.
pub fn file_of_group(group: u8) -> Option<LdsFile> {
    let tag = tag_of_group(group)?;
    let known = CHECK_IN_FILES.iter().find(|f| f.group == Some(group));
    Some(known.copied().unwrap_or(LdsFile {
        name: GROUP_NAMES[usize::from(group) - 1],
        fid: 0x0100 | u16::from(group),
        tag,
        group: Some(group),
    }))
}

const GROUP_NAMES: [&str; 16] = [
    "DG1", "DG2", "DG3", "DG4", "DG5", "DG6", "DG7", "DG8", "DG9", "DG10", "DG11", "DG12", "DG13",
    "DG14", "DG15", "DG16",
];

/// The file whose single element has this tag (any data group, EF.COM or
/// EF.SOD).
pub fn file_of_tag(tag: u8) -> Option<LdsFile> {
    match tag {
        0x60 => Some(EF_COM),
        0x77 => Some(EF_SOD),
        _ => file_of_group(group_of_tag(tag)?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_groups_and_file_ids_agree() {
        for group in 1..=16u8 {
            let file = file_of_group(group).unwrap();
            assert_eq!(file.fid, 0x0100 | u16::from(group));
            assert_eq!(group_of_tag(file.tag), Some(group));
            assert_eq!(file_of_tag(file.tag), Some(file));
            assert_eq!(file.name, format!("DG{group}"));
        }
        assert_eq!(file_of_group(13), Some(DG13));
        assert_eq!(group_of_tag(0x75), Some(2));
        assert_eq!(group_of_tag(0x60), None);
        assert_eq!(tag_of_group(0), None);
        assert_eq!(tag_of_group(17), None);
        assert_eq!(file_of_tag(0x77), Some(EF_SOD));
        assert_eq!(file_of_tag(0x60), Some(EF_COM));
        assert_eq!(file_of_tag(0x42), None);
    }
}
