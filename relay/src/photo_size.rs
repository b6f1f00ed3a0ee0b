//! A JPEG's real size, from its frame header (SOF), without decoding it.
//!
//! The ISO 19794-5 record around a face image states a width and height,
//! but a forged card can state anything there: the size that matters is
//! the one a browser will decode. Reading the SOF marker gives it in a few
//! dozen bytes and refuses what is not a JPEG at all (JPEG files pass to
//! the proctor's browser as they are, so this is the only look the relay
//! takes at them).

/// Width and height of the frame, in pixels.
pub fn jpeg_size(data: &[u8]) -> Result<(u32, u32), String> {
    if !data.starts_with(&[0xFF, 0xD8]) {
        return Err("not a JPEG (no start-of-image marker)".into());
    }
    let mut at = 2;
    loop {
        // Markers may be padded with any number of FF bytes.
        while data.get(at) == Some(&0xFF) && data.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        let (Some(&0xFF), Some(&marker)) = (data.get(at), data.get(at + 1)) else {
            return Err(format!("no frame header before byte {at}"));
        };
        at += 2;
        match marker {
            // Standalone markers carry no length.
            0x01 | 0xD0..=0xD7 => continue,
            0xD9 | 0xDA => return Err("no frame header before the image data".into()),
            _ => {}
        }
        let length = data
            .get(at..at + 2)
            .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
            .filter(|&length| length >= 2)
            .ok_or("a segment length is cut short")?;
        // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC).
        if (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            let header = data
                .get(at + 2..at + 7)
                .ok_or("the frame header is cut short")?;
            let height = u32::from(u16::from_be_bytes([header[1], header[2]]));
            let width = u32::from(u16::from_be_bytes([header[3], header[4]]));
            if width == 0 || height == 0 {
                return Err(format!("a frame of {width} × {height} pixels"));
            }
            return Ok((width, height));
        }
        at += length;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SOI, an APP0 segment, a baseline SOF0 of 480 × 640, then EOI.
    fn jpeg(width: u16, height: u16) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, b'J', b'F'];
        bytes.extend_from_slice(&[0xFF, 0xFF, 0xC0, 0x00, 0x11, 0x08]);
        bytes.extend_from_slice(&height.to_be_bytes());
        bytes.extend_from_slice(&width.to_be_bytes());
        bytes.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        bytes.extend_from_slice(&[0xFF, 0xD9]);
        bytes
    }

    #[test]
    fn the_frame_header_gives_the_size() {
        assert_eq!(jpeg_size(&jpeg(480, 640)), Ok((480, 640)));
        assert_eq!(jpeg_size(&jpeg(20_000, 30_000)), Ok((20_000, 30_000)));
    }

    #[test]
    fn what_is_not_a_whole_jpeg_header_is_an_error() {
        assert!(jpeg_size(b"not a jpeg").is_err());
        assert!(jpeg_size(&[0xFF, 0xD8, 0xFF, 0xD9]).is_err());
        let whole = jpeg(480, 640);
        // The frame header ends at byte 18: any shorter cut lacks it.
        assert!(jpeg_size(&whole[..18]).is_ok());
        for cut in 2..18 {
            assert!(jpeg_size(&whole[..cut]).is_err(), "cut at {cut}");
        }
        assert!(jpeg_size(&jpeg(0, 640)).is_err());
    }
}
