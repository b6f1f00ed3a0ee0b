//! The bridge firmware's whole logic (`Pn532Bridge`) under whatever a
//! confused host writes to bulk OUT and a noisy serial line delivers from
//! the PN532, with time passing in between. On the device a panic halts
//! the bridge until it is unplugged, so: no input may panic it, and every
//! frame it sends the host must decode.
//!
//! The input is a script: each step's first byte picks the event (host
//! bytes, PN532 bytes, time passing, end of the host's transfer) and, for
//! bytes, how many of the following ones it carries.

#![no_main]

use std::time::Duration;

use examgate_bridge_device::pn532::Pn532Bridge;
use examgate_bridge_device::pn532::bridge::PN532_BRIDGE_INFO;
use examgate_bridge_device::pn532::frame::{ACK, PN532_TO_HOST, encode};
use examgate_shared::chip::bridge::{BridgeMessage, FrameDecoder};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bridge = Pn532Bridge::new(PN532_BRIDGE_INFO, 115_200);
    let mut host = FrameDecoder::<BridgeMessage>::new();
    let mut now = Duration::ZERO;
    let mut script = data;
    while let Some((&op, rest)) = script.split_first() {
        let take = (usize::from(op >> 3) + 1).min(rest.len());
        let (bytes, rest) = rest.split_at(take);
        script = rest;
        match op & 0x07 {
            0 | 1 => bridge.usb_received(bytes, now),
            2 => bridge.usb_transfer_ended(now),
            3 => bridge.uart_received(bytes, now),
            // A well-formed PN532 answer with fuzzed data, so the
            // operations are reached, not only the frame reader.
            4 | 5 => {
                let code = bytes.first().copied().unwrap_or(0x41);
                let mut answer = ACK.to_vec();
                answer.extend(encode(PN532_TO_HOST, code, bytes.get(1..).unwrap_or(&[])));
                bridge.uart_received(&answer, now);
            }
            _ => {
                now += Duration::from_millis(u64::from(op) * 20);
                bridge.handle_timeout(now);
            }
        }
        while bridge.poll_uart_write().is_some() {}
        while let Some(frame) = bridge.poll_usb_transmit() {
            host.push(&frame);
            while let Some(decoded) = host.next_frame() {
                assert!(decoded.is_ok(), "the bridge sent {decoded:?}");
            }
        }
        assert!(bridge.poll_timeout() >= Duration::ZERO);
    }
});
