//! BER-TLV as the chip's files and secure-messaging objects use it: every
//! file a card (or a forged card) sends goes through `tlv` first, so no
//! input may panic, loop, or report lengths past the input.

#![no_main]

use examgate_shared::chip::tlv;
use libfuzzer_sys::fuzz_target;

/// Walks every element, descending into constructed ones, as the LDS
/// parsers do. Depth is bounded by the input length (each level needs a
/// header), so the recursion cannot run away.
fn walk(reader: tlv::Reader<'_>) {
    for item in reader {
        let Ok(item) = item else { return };
        assert!(item.raw.len() >= item.value.len());
        if item.is_constructed() {
            walk(item.children());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    walk(tlv::Reader::new(data));

    // The session trusts `header` to size the rest of a file from its first
    // bytes: the value must start inside what was read.
    if let Ok((_tag, value_at, _len)) = tlv::header(data) {
        assert!(value_at <= data.len());
    }

    if let Ok((first, rest)) = tlv::read(data) {
        assert_eq!(first.raw.len() + rest.len(), data.len());
        // Re-encoding an element gives an element that reads back the same.
        let again = tlv::encode(first.tag, first.value);
        let (second, tail) = tlv::read(&again).expect("encode gives a readable element");
        assert!(tail.is_empty());
        assert_eq!((second.tag, second.value), (first.tag, first.value));
        let _ = tlv::read_only(data, first.tag);
    }
    // The tags the session expects at the start of each file.
    for tag in [0x60, 0x61, 0x75, 0x6D, 0x6F, 0x77] {
        let _ = tlv::read_only(data, tag);
    }
});
