//! BER-TLV as the LDS uses it (ISO/IEC 7816-4, ICAO 9303 Part 10).
//!
//! Tags are one to three bytes (the low five bits `11111` of the first byte
//! announce more bytes; bit 8 of each further byte says another follows).
//! Lengths are definite: one byte below 0x80, or `81`–`84` followed by one to
//! four length bytes. Indefinite lengths (`80`) never occur in the LDS and are
//! refused. Every read is bounds-checked: a parser of card data must never
//! panic on what a forged card sends.

use thiserror::Error;

/// Why bytes are not well-formed TLV.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TlvError {
    #[error("TLV truncated: needed {needed} more bytes at offset {at}")]
    Truncated { at: usize, needed: usize },
    #[error("TLV tag longer than 3 bytes at offset {at}")]
    TagTooLong { at: usize },
    #[error("TLV length form 0x{form:02X} not supported at offset {at}")]
    BadLength { at: usize, form: u8 },
    #[error("expected tag {expected:X}, found {found:X}")]
    UnexpectedTag { expected: u32, found: u32 },
    #[error("{0} trailing bytes after the TLV")]
    Trailing(usize),
}

/// One TLV element borrowed from its buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    /// The tag bytes read big-endian, e.g. `0x5F1F` or `0x7F61`.
    pub tag: u32,
    /// The value bytes.
    pub value: &'a [u8],
    /// The whole element: tag, length and value, as read (what the SOD hashes).
    pub raw: &'a [u8],
}

impl<'a> Tlv<'a> {
    /// Whether the tag is constructed (bit 6 of the first tag byte), i.e.
    /// the value is itself a run of TLVs.
    pub fn is_constructed(&self) -> bool {
        self.raw[0] & 0x20 != 0
    }

    /// The value read as a run of TLV elements.
    pub fn children(&self) -> Reader<'a> {
        Reader::new(self.value)
    }
}

/// Reads one element at the start of `input`; returns it and the rest.
pub fn read(input: &[u8]) -> Result<(Tlv<'_>, &[u8]), TlvError> {
    read_at(input, 0)
}

/// Reads exactly one element that fills `input`, with tag `expected`.
pub fn read_only(input: &[u8], expected: u32) -> Result<Tlv<'_>, TlvError> {
    let (tlv, rest) = read(input)?;
    if tlv.tag != expected {
        return Err(TlvError::UnexpectedTag {
            expected,
            found: tlv.tag,
        });
    }
    if !rest.is_empty() {
        return Err(TlvError::Trailing(rest.len()));
    }
    Ok(tlv)
}

/// The header of the element at the start of `input`: its tag, the offset
/// of its value and its value length. Lets a reader learn a file's full size
/// from its first few bytes.
pub fn header(input: &[u8]) -> Result<(u32, usize, usize), TlvError> {
    let (tag, tag_len) = read_tag(input, 0)?;
    let (len, len_len) = read_len(&input[tag_len..], tag_len)?;
    Ok((tag, tag_len + len_len, len))
}

fn read_at(input: &[u8], base: usize) -> Result<(Tlv<'_>, &[u8]), TlvError> {
    let (tag, value_at, len) = header(input).map_err(|e| rebase(e, base))?;
    let end = value_at
        .checked_add(len)
        .filter(|&end| end <= input.len())
        .ok_or(TlvError::Truncated {
            at: base + value_at,
            needed: (value_at + len).saturating_sub(input.len()),
        })?;
    Ok((
        Tlv {
            tag,
            value: &input[value_at..end],
            raw: &input[..end],
        },
        &input[end..],
    ))
}

fn rebase(e: TlvError, base: usize) -> TlvError {
    match e {
        TlvError::Truncated { at, needed } => TlvError::Truncated {
            at: at + base,
            needed,
        },
        TlvError::TagTooLong { at } => TlvError::TagTooLong { at: at + base },
        TlvError::BadLength { at, form } => TlvError::BadLength {
            at: at + base,
            form,
        },
        other => other,
    }
}

fn read_tag(input: &[u8], at: usize) -> Result<(u32, usize), TlvError> {
    let first = *input.first().ok_or(TlvError::Truncated { at, needed: 1 })?;
    let mut tag = u32::from(first);
    let mut len = 1;
    if first & 0x1F == 0x1F {
        loop {
            let b = *input.get(len).ok_or(TlvError::Truncated {
                at: at + len,
                needed: 1,
            })?;
            tag = (tag << 8) | u32::from(b);
            len += 1;
            if b & 0x80 == 0 {
                break;
            }
            if len == 3 {
                return Err(TlvError::TagTooLong { at });
            }
        }
    }
    Ok((tag, len))
}

fn read_len(input: &[u8], at: usize) -> Result<(usize, usize), TlvError> {
    let first = *input.first().ok_or(TlvError::Truncated { at, needed: 1 })?;
    if first < 0x80 {
        return Ok((usize::from(first), 1));
    }
    let count = usize::from(first & 0x7F);
    if count == 0 || count > 4 {
        return Err(TlvError::BadLength { at, form: first });
    }
    let bytes = input.get(1..=count).ok_or(TlvError::Truncated {
        at: at + 1,
        needed: count + 1 - input.len().min(count + 1),
    })?;
    let len = bytes
        .iter()
        .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
    Ok((len, 1 + count))
}

/// Iterates over a run of TLV elements.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    rest: &'a [u8],
    failed: bool,
}

impl<'a> Reader<'a> {
    pub fn new(input: &'a [u8]) -> Self {
        Reader {
            rest: input,
            failed: false,
        }
    }

    /// The first element with `tag` at this level.
    pub fn find(self, tag: u32) -> Result<Option<Tlv<'a>>, TlvError> {
        for item in self {
            let tlv = item?;
            if tlv.tag == tag {
                return Ok(Some(tlv));
            }
        }
        Ok(None)
    }
}

impl<'a> Iterator for Reader<'a> {
    type Item = Result<Tlv<'a>, TlvError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() || self.failed {
            return None;
        }
        match read(self.rest) {
            Ok((tlv, rest)) => {
                self.rest = rest;
                Some(Ok(tlv))
            }
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

/// Appends the encoding of `tag` (big-endian, 1–3 bytes as given).
pub fn write_tag(out: &mut Vec<u8>, tag: u32) {
    let bytes = tag.to_be_bytes();
    let skip = bytes.iter().take_while(|&&b| b == 0).count().min(3);
    out.extend_from_slice(&bytes[skip..]);
}

/// Appends a definite length in the shortest form.
pub fn write_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = (len as u32).to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (4 - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

/// One element: tag, shortest length, value.
pub fn encode(tag: u32, value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len() + 6);
    write_tag(&mut out, tag);
    write_len(&mut out, value.len());
    out.extend_from_slice(value);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_multi_byte_tags_and_long_lengths() {
        let value = vec![0xAB; 300];
        let bytes = encode(0x5F2E, &value);
        assert_eq!(&bytes[..5], &[0x5F, 0x2E, 0x82, 0x01, 0x2C]);
        let tlv = read_only(&bytes, 0x5F2E).unwrap();
        assert_eq!(tlv.value.len(), 300);
        assert_eq!(tlv.raw, &bytes[..]);
        assert_eq!(header(&bytes[..5]).unwrap(), (0x5F2E, 5, 300));
    }

    #[test]
    fn nested_elements_and_find() {
        let inner = [encode(0x02, &[1]), encode(0x7F60, &[9, 9])].concat();
        let outer = encode(0x7F61, &inner);
        let tlv = read_only(&outer, 0x7F61).unwrap();
        assert!(tlv.is_constructed());
        let found = tlv.children().find(0x7F60).unwrap().unwrap();
        assert_eq!(found.value, &[9, 9]);
        assert_eq!(tlv.children().find(0x42).unwrap(), None);
    }

    #[test]
    fn refuses_what_a_forged_card_might_send() {
        assert!(matches!(read(&[]), Err(TlvError::Truncated { .. })));
        assert!(matches!(
            read(&[0x61, 0x05, 1, 2]),
            Err(TlvError::Truncated { .. })
        ));
        assert!(matches!(
            read(&[0x61, 0x80]),
            Err(TlvError::BadLength { .. })
        ));
        assert!(matches!(
            read(&[0x61, 0x85, 0, 0, 0, 0, 1]),
            Err(TlvError::BadLength { .. })
        ));
        assert!(matches!(
            read(&[0x5F, 0xFF, 0xFF, 0x7F, 0]),
            Err(TlvError::TagTooLong { .. })
        ));
        assert!(matches!(
            read(&[0x61, 0x84, 0xFF, 0xFF, 0xFF, 0xFF]),
            Err(TlvError::Truncated { .. })
        ));
        assert_eq!(
            read_only(&[0x61, 0x00, 0x00], 0x61),
            Err(TlvError::Trailing(1))
        );
        let mut reader = Reader::new(&[0x61, 0x00, 0x62, 0x09]);
        assert!(reader.next().unwrap().is_ok());
        assert!(reader.next().unwrap().is_err());
        assert!(reader.next().is_none());
    }
}
