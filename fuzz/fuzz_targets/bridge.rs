//! The bridge's USB framing, both directions: the bridge (firmware, or the
//! emulator) decodes what the host writes, the browser decodes what the
//! bridge writes, and either may receive garbage (a confused device, a
//! stale transfer, another program on the port). Bytes arrive in
//! arbitrary chunks, so the input is cut into chunks as it says.
//!
//! Beyond not panicking: every frame decoded must encode to bytes that
//! decode to the same frame, and the host link must never report a reply
//! it did not ask for.

#![no_main]

use examgate_shared::chip::bridge::{
    BridgeMessage, Frame, FrameDecoder, HostLink, HostMessage, LinkEvent, WireMessage,
};
use libfuzzer_sys::fuzz_target;

/// Splits `data` into chunks whose sizes come from the first byte of each
/// (so the fuzzer controls the chunking), at least 1 byte each.
fn chunks(mut data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while let Some((&size, rest)) = data.split_first() {
        let take = (usize::from(size) % 64 + 1).min(rest.len());
        out.push(&rest[..take]);
        data = &rest[take..];
    }
    out
}

fn round_trips<M: WireMessage + Clone + PartialEq + std::fmt::Debug>(frame: &Frame<M>) {
    let mut again = FrameDecoder::<M>::new();
    again.push(&frame.encode());
    match again.next_frame() {
        Some(Ok(decoded)) => assert_eq!(&decoded, frame),
        other => panic!("{frame:?} re-encoded decodes as {other:?}"),
    }
    assert!(again.next_frame().is_none());
}

/// Decodes like the receiver does: a fatal refusal resets at the next
/// transfer.
fn decode<M: WireMessage + Clone + PartialEq + std::fmt::Debug>(pieces: &[&[u8]]) {
    let mut decoder = FrameDecoder::<M>::new();
    for piece in pieces {
        decoder.push(piece);
        while let Some(decoded) = decoder.next_frame() {
            match decoded {
                Ok(frame) => round_trips(&frame),
                Err(refusal) => {
                    let _ = (refusal.seq(), refusal.is_fatal(), refusal.error_code());
                }
            }
        }
        if decoder.is_desynchronised() {
            decoder.reset();
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let pieces = chunks(data);
    decode::<HostMessage>(&pieces);
    decode::<BridgeMessage>(&pieces);

    // The browser's side: a pending GetInfo, then whatever the bridge sends.
    let mut link = HostLink::new();
    let _ = link.request(HostMessage::GetInfo).expect("no payload");
    for piece in &pieces {
        link.push(piece);
        while let Some(event) = link.poll() {
            if let LinkEvent::Garbled(refusal) = &event
                && refusal.is_fatal()
            {
                let _ = link.resync();
            }
        }
    }
});
