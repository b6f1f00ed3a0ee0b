//! The bridge's USB descriptors, byte for byte as `docs/bridge-protocol.md`
//! ("Identity and descriptors") gives them.
//!
//! The firmware's USB stack writes the device and configuration
//! descriptors from the same numbers ([`usb_ids`], the strings below); the
//! two BOS platform capabilities, the Microsoft OS 2.0 descriptor set and
//! the WebUSB landing page are served from here verbatim
//! ([`vendor_request`]). A test reads the document's hex and compares, so
//! the firmware cannot drift from the contract the page relies on.

use alloc::vec::Vec;

use examgate_bridge_proto::usb_ids;

/// String descriptor indices (0 is the language list).
pub mod string_index {
    pub const MANUFACTURER: u8 = 1;
    pub const PRODUCT: u8 = 2;
    pub const SERIAL_NUMBER: u8 = 3;
    pub const INTERFACE: u8 = 4;
}

pub const MANUFACTURER: &str = "examgate";
pub const PRODUCT: &str = "examgate card bridge";
pub const INTERFACE: &str = "examgate card bridge v1";

/// The firmware version as USB's `bcdDevice` (1.00). Windows caches the
/// Microsoft OS descriptors per VID/PID/bcdDevice: bump it when they change.
pub const DEVICE_RELEASE: u16 = 0x0100;

/// Full-speed bulk packets.
pub const BULK_PACKET_SIZE: u16 = 64;

/// 300 mA: the reader with its RF field on.
pub const MAX_POWER_MA: u16 = 300;

/// `bRequest` of WebUSB requests (GET_URL), announced in the BOS.
pub const WEBUSB_VENDOR_CODE: u8 = 0x01;
/// `bRequest` of the Microsoft OS 2.0 descriptor-set request.
pub const MS_OS_20_VENDOR_CODE: u8 = 0x02;
/// WebUSB's GET_URL request, in `wIndex`.
pub const WEBUSB_GET_URL: u16 = 0x0002;
/// The landing page's URL descriptor index, in `wValue` (the BOS's `iLandingPage`).
pub const LANDING_PAGE_INDEX: u16 = 0x0001;
/// MS_OS_20_DESCRIPTOR_INDEX, in `wIndex`.
pub const MS_OS_20_DESCRIPTOR_INDEX: u16 = 0x0007;

/// The device descriptor (18 bytes): USB 2.10 so that hosts read the BOS.
pub const DEVICE: [u8; 18] = {
    let vid = usb_ids::VENDOR_ID.to_le_bytes();
    let pid = usb_ids::PRODUCT_ID.to_le_bytes();
    let release = DEVICE_RELEASE.to_le_bytes();
    [
        18,
        0x01,
        0x10,
        0x02,
        0x00,
        0x00,
        0x00,
        64,
        vid[0],
        vid[1],
        pid[0],
        pid[1],
        release[0],
        release[1],
        string_index::MANUFACTURER,
        string_index::PRODUCT,
        string_index::SERIAL_NUMBER,
        1,
    ]
};

/// Configuration 1 with its one vendor interface and two bulk endpoints.
pub const CONFIGURATION: [u8; 32] = {
    let packet = BULK_PACKET_SIZE.to_le_bytes();
    [
        // Configuration: 32 bytes in all, one interface, bus powered.
        9,
        0x02,
        32,
        0,
        1,
        usb_ids::CONFIGURATION,
        0,
        0x80,
        (MAX_POWER_MA / 2) as u8,
        // Interface 0: vendor-specific, "examgate card", this framing.
        9,
        0x04,
        0,
        0,
        2,
        usb_ids::INTERFACE_CLASS,
        usb_ids::INTERFACE_SUBCLASS,
        usb_ids::INTERFACE_PROTOCOL,
        string_index::INTERFACE,
        // Bulk OUT 0x01 and bulk IN 0x81.
        7,
        0x05,
        0x01,
        0x02,
        packet[0],
        packet[1],
        0,
        7,
        0x05,
        0x81,
        0x02,
        packet[0],
        packet[1],
        0,
    ]
};

/// The USB 2.0 extension capability (no link power management), which
/// every USB 2.01+ device's BOS carries.
pub const USB_20_EXTENSION_CAPABILITY: [u8; 7] = [7, 0x10, 0x02, 0, 0, 0, 0];

/// The WebUSB platform capability (24 bytes): its UUID
/// {3408B638-09A9-47A0-8BFD-A0768815B665} in GUID byte order, version 1.00,
/// the vendor code and the landing page.
pub const WEBUSB_CAPABILITY: [u8; 24] = [
    24,
    0x10,
    0x05,
    0x00,
    0x38,
    0xB6,
    0x08,
    0x34,
    0xA9,
    0x09,
    0xA0,
    0x47,
    0x8B,
    0xFD,
    0xA0,
    0x76,
    0x88,
    0x15,
    0xB6,
    0x65,
    0x00,
    0x01,
    WEBUSB_VENDOR_CODE,
    LANDING_PAGE_INDEX as u8,
];

/// The Microsoft OS 2.0 platform capability (28 bytes): its UUID
/// {D8DD60DF-4589-4CC7-9CD2-659D9E648A9F}, Windows 8.1 and later, the
/// descriptor set's length and the vendor code that fetches it.
pub const MS_OS_20_CAPABILITY: [u8; 28] = {
    let set_len = (MS_OS_20_SET_LEN as u16).to_le_bytes();
    [
        28,
        0x10,
        0x05,
        0x00,
        0xDF,
        0x60,
        0xDD,
        0xD8,
        0x89,
        0x45,
        0xC7,
        0x4C,
        0x9C,
        0xD2,
        0x65,
        0x9D,
        0x9E,
        0x64,
        0x8A,
        0x9F,
        0x00,
        0x00,
        0x03,
        0x06,
        set_len[0],
        set_len[1],
        MS_OS_20_VENDOR_CODE,
        0x00,
    ]
};

/// The whole BOS descriptor: header and the three capabilities.
pub fn bos() -> Vec<u8> {
    let capabilities = [
        USB_20_EXTENSION_CAPABILITY.as_slice(),
        &WEBUSB_CAPABILITY,
        &MS_OS_20_CAPABILITY,
    ];
    let total = 5 + capabilities.iter().map(|c| c.len()).sum::<usize>();
    let mut bos = Vec::with_capacity(total);
    bos.extend_from_slice(&[5, 0x0F]);
    bos.extend_from_slice(&(total as u16).to_le_bytes());
    bos.push(capabilities.len() as u8);
    for capability in capabilities {
        bos.extend_from_slice(capability);
    }
    bos
}

/// The device-interface GUID other WinUSB programs find the bridge by. A
/// product generates its own.
pub const DEVICE_INTERFACE_GUID: &str = "{8A1E7C3B-5F2D-4E61-9B0A-2C6D4F8E1A37}";

const PROPERTY_NAME: &str = "DeviceInterfaceGUIDs";
const PROPERTY_NAME_LEN: usize = (PROPERTY_NAME.len() + 1) * 2;
/// The GUID, its terminator and the REG_MULTI_SZ's final terminator, UTF-16.
const PROPERTY_DATA_LEN: usize = (38 + 2) * 2;
const REGISTRY_PROPERTY_LEN: usize = 10 + PROPERTY_NAME_LEN + PROPERTY_DATA_LEN;
/// Bytes in the Microsoft OS 2.0 descriptor set (162).
pub const MS_OS_20_SET_LEN: usize = 10 + 20 + REGISTRY_PROPERTY_LEN;

/// The Microsoft OS 2.0 descriptor set: compatible ID `WINUSB` (Windows
/// binds its in-box driver, which Chrome's WebUSB uses) and the device
/// interface GUID.
pub fn ms_os_20_set() -> Vec<u8> {
    let mut set = Vec::with_capacity(MS_OS_20_SET_LEN);
    // Set header: Windows 8.1+ (0x06030000), total length.
    set.extend_from_slice(&[0x0A, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x06]);
    set.extend_from_slice(&(MS_OS_20_SET_LEN as u16).to_le_bytes());
    // Compatible ID feature.
    set.extend_from_slice(&[0x14, 0x00, 0x03, 0x00]);
    set.extend_from_slice(b"WINUSB\0\0");
    set.extend_from_slice(&[0; 8]);
    // Registry property feature: REG_MULTI_SZ DeviceInterfaceGUIDs.
    set.extend_from_slice(&(REGISTRY_PROPERTY_LEN as u16).to_le_bytes());
    set.extend_from_slice(&[0x04, 0x00, 0x07, 0x00]);
    set.extend_from_slice(&(PROPERTY_NAME_LEN as u16).to_le_bytes());
    push_utf16(&mut set, PROPERTY_NAME);
    set.extend_from_slice(&[0, 0]);
    set.extend_from_slice(&(PROPERTY_DATA_LEN as u16).to_le_bytes());
    push_utf16(&mut set, DEVICE_INTERFACE_GUID);
    set.extend_from_slice(&[0, 0, 0, 0]);
    set
}

/// A WebUSB URL descriptor for `url` (`https://…` or `http://…`); `None`
/// for another scheme or a URL too long for one descriptor.
pub fn url_descriptor(url: &str) -> Option<Vec<u8>> {
    let (scheme, rest) = if let Some(rest) = url.strip_prefix("https://") {
        (0x01, rest)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (0x00, rest)
    } else {
        return None;
    };
    let length = u8::try_from(3 + rest.len()).ok()?;
    let mut descriptor = Vec::with_capacity(length as usize);
    descriptor.extend_from_slice(&[length, 0x03, scheme]);
    descriptor.extend_from_slice(rest.as_bytes());
    Some(descriptor)
}

/// The answer to a vendor control IN request (`bmRequestType` C0), or
/// `None` to stall it: the Microsoft OS 2.0 set and the WebUSB landing
/// page are the only ones.
pub fn vendor_request(request: u8, value: u16, index: u16, landing_page: &str) -> Option<Vec<u8>> {
    match (request, value, index) {
        (MS_OS_20_VENDOR_CODE, 0, MS_OS_20_DESCRIPTOR_INDEX) => Some(ms_os_20_set()),
        (WEBUSB_VENDOR_CODE, LANDING_PAGE_INDEX, WEBUSB_GET_URL) => url_descriptor(landing_page),
        _ => None,
    }
}

fn push_utf16(out: &mut Vec<u8>, text: &str) {
    for unit in text.encode_utf16() {
        out.extend_from_slice(&unit.to_le_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = include_str!("../../../docs/bridge-protocol.md");

    /// The hex bytes of the first ```text block after `heading`: every line's
    /// leading two-digit hex tokens (comments after them are skipped).
    fn spec_bytes(heading: &str) -> Vec<u8> {
        let section = &SPEC[SPEC.find(heading).expect(heading)..];
        let block = &section[section.find("```text").unwrap() + 7..];
        let block = &block[..block.find("```").unwrap()];
        let mut bytes = Vec::new();
        for line in block.lines() {
            for token in line.split_whitespace() {
                if token.len() != 2 {
                    break;
                }
                match u8::from_str_radix(token, 16) {
                    Ok(byte) => bytes.push(byte),
                    Err(_) => break,
                }
            }
        }
        bytes
    }

    #[test]
    fn the_device_configuration_and_bos_are_the_documents() {
        assert_eq!(spec_bytes("### Device descriptor").as_slice(), DEVICE);
        assert_eq!(
            spec_bytes("### Configuration, interface").as_slice(),
            CONFIGURATION
        );
        assert_eq!(spec_bytes("### BOS descriptor"), bos());
        assert_eq!(bos().len(), 64);
    }

    #[test]
    fn the_ms_os_set_is_the_documents() {
        let set = ms_os_20_set();
        assert_eq!(set.len(), 162);
        let documented = spec_bytes("### Microsoft OS 2.0 descriptor set");
        // The document spells the GUID's data out as text; every byte
        // before it is given in hex.
        assert_eq!(documented.len(), 162 - 80);
        assert_eq!(set[..documented.len()], documented);
        let guid: Vec<u8> = DEVICE_INTERFACE_GUID
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(set[82..158], guid);
        assert_eq!(set[158..], [0, 0, 0, 0]);
        assert_eq!(
            u16::from_le_bytes([MS_OS_20_CAPABILITY[24], MS_OS_20_CAPABILITY[25]]),
            162
        );
    }

    #[test]
    fn the_landing_page_descriptor_is_the_documents() {
        let documented = spec_bytes("**Landing page**");
        assert_eq!(
            url_descriptor("https://examgate.example/checkin/bridge").unwrap(),
            documented
        );
        assert_eq!(
            vendor_request(
                0x01,
                0x0001,
                0x0002,
                "https://examgate.example/checkin/bridge"
            ),
            Some(documented)
        );
        assert_eq!(url_descriptor("ftp://examgate.example"), None);
        assert_eq!(
            url_descriptor(&alloc::format!("https://{}", "a".repeat(300))),
            None
        );
    }

    #[test]
    fn other_vendor_requests_stall() {
        assert_eq!(
            vendor_request(0x02, 0, 0x0007, "").map(|s| s.len()),
            Some(162)
        );
        assert_eq!(vendor_request(0x02, 0, 0x0006, ""), None);
        assert_eq!(vendor_request(0x03, 0, 0x0007, ""), None);
        assert_eq!(vendor_request(0x01, 0x0002, 0x0002, "https://x"), None);
    }
}
