//! The card-reader bridge in software: the device side of
//! `docs/bridge-protocol.md`, with an emulated card in its slot.
//!
//! [`SoftBridge::handle`] takes the bytes the host wrote to bulk OUT and
//! returns what the bridge puts on bulk IN, as firmware would. Tests drive
//! it directly, or through the HTTP stand-in for WebUSB in the browser
//! tests. Card insertion and removal are methods; [`SoftBridge::remove_after`]
//! pulls the card out in the middle of a read at an exact APDU, which a
//! hand on real hardware cannot do twice the same way.
//!
//! Nothing waits: a slow exchange is not slept through but counted (see
//! [`crate::latency`]), and the time extensions a real bridge would send
//! while waiting for the card are sent before the reply, one per
//! [`TIME_EXTENSION_INTERVAL`] of emulated time.

use std::time::Duration;

use examgate_bridge_device::{BridgeDevice, CardFault, CardJob};
use examgate_shared::chip::bridge::{
    BridgeInfo, FirmwareVersion, PROTOCOL_VERSION, TIME_EXTENSION_INTERVAL,
};

use crate::card::Card;
use crate::latency::{LinkMeter, LinkModel};

/// The bridge device, its slot and the card in it. The protocol is the
/// firmware's own state machine ([`BridgeDevice`]); this shell only plays
/// the card front end, at once.
pub struct SoftBridge {
    device: BridgeDevice,
    card: Option<Box<dyn Card>>,
    /// APDUs the card still answers before it is pulled out mid-exchange.
    removal_countdown: Option<u64>,
    meter: LinkMeter,
}

impl SoftBridge {
    /// An empty bridge describing itself with `info`; the link model takes
    /// its bit rate and the typical turnaround.
    pub fn new(info: BridgeInfo) -> SoftBridge {
        let model = LinkModel {
            bit_rate: info.bit_rate,
            ..LinkModel::TYPICAL
        };
        SoftBridge::with_link_model(info, model)
    }

    pub fn with_link_model(info: BridgeInfo, model: LinkModel) -> SoftBridge {
        SoftBridge {
            device: BridgeDevice::new(info),
            card: None,
            removal_countdown: None,
            meter: LinkMeter::new(model),
        }
    }

    /// What a current bridge with a good reader says: this protocol
    /// version, extended length end to end, 424 kbit/s.
    pub fn typical_info() -> BridgeInfo {
        BridgeInfo {
            protocol: PROTOCOL_VERSION,
            firmware: FirmwareVersion {
                major: 0,
                minor: 1,
                patch: 0,
            },
            // The longest extended command APDU (4 + 3 + 65,535 + 2).
            max_apdu_len: 65_544,
            extended_length: true,
            bit_rate: LinkModel::TYPICAL.bit_rate,
        }
    }

    pub fn info(&self) -> &BridgeInfo {
        self.device.info()
    }

    /// Puts a card in the slot (unpowered) and tells the host. A card
    /// already there is removed first, with its own notification.
    pub fn insert(&mut self, card: Box<dyn Card>) {
        self.remove();
        self.card = Some(card);
        self.device.card_arrived();
    }

    /// Takes the card out and tells the host; `None` when the slot was
    /// empty (and nothing is sent).
    pub fn remove(&mut self) -> Option<Box<dyn Card>> {
        let card = self.card.take()?;
        self.removal_countdown = None;
        self.device.card_left();
        Some(card)
    }

    /// The card answers `apdus` more command APDUs, then is pulled out
    /// during the next one: that exchange fails with
    /// [`examgate_shared::chip::bridge::ErrorCode::CardRemoved`] after a
    /// SlotChange saying it left.
    pub fn remove_after(&mut self, apdus: u64) {
        self.removal_countdown = Some(apdus);
    }

    pub fn card_present(&self) -> bool {
        self.card.is_some()
    }

    pub fn is_powered(&self) -> bool {
        self.device.is_powered()
    }

    /// Processes one bulk OUT transfer from the host; returns everything
    /// now waiting for bulk IN, in order (replies, and any notifications
    /// queued before them).
    pub fn handle(&mut self, from_host: &[u8]) -> Vec<u8> {
        self.handle_transfers(from_host).concat()
    }

    /// Like [`SoftBridge::handle`], one entry per frame: the bridge ends
    /// each frame with its transfer, as the protocol requires.
    pub fn handle_transfers(&mut self, from_host: &[u8]) -> Vec<Vec<u8>> {
        self.device.receive(from_host);
        // Each job is done before the next request is looked at, so the
        // emulated bridge is never busy.
        while let Some(job) = self.device.poll(Duration::ZERO) {
            let result = self.run(job);
            self.device.job_done(result);
        }
        self.device.transfer_ended();
        self.take_event_transfers()
    }

    /// The unsolicited frames (card inserted or removed) queued since the
    /// last call, as bulk IN bytes.
    pub fn take_events(&mut self) -> Vec<u8> {
        self.take_event_transfers().concat()
    }

    /// Like [`SoftBridge::take_events`], one entry per frame.
    pub fn take_event_transfers(&mut self) -> Vec<Vec<u8>> {
        std::iter::from_fn(|| self.device.poll_transmit()).collect()
    }

    /// Emulated time of the activations and APDU exchanges so far.
    pub fn emulated_time(&self) -> Duration {
        self.meter.emulated_time()
    }

    /// Command APDUs the card has answered.
    pub fn apdu_count(&self) -> u64 {
        self.meter.apdu_count()
    }

    pub fn link_model(&self) -> LinkModel {
        self.meter.model()
    }

    /// The card front end's part of a job, done at once.
    fn run(&mut self, job: CardJob) -> Result<Vec<u8>, CardFault> {
        match job {
            CardJob::Activate => {
                let card = self.card.as_mut().ok_or(CardFault::Mute)?;
                // A power cycle is a reset: the chip forgets BAC and its selection.
                card.reset();
                let atr = card.atr();
                self.meter.record_activation(atr.len());
                Ok(atr)
            }
            CardJob::Deactivate => Ok(Vec::new()),
            CardJob::Transmit(apdu) => self.transmit(&apdu),
        }
    }

    /// One APDU: the card's answer, after the time extensions its
    /// emulated duration calls for.
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, CardFault> {
        if self.removal_countdown == Some(0) {
            self.card = None;
            self.removal_countdown = None;
            return Err(CardFault::Removed);
        }
        let card = self.card.as_mut().ok_or(CardFault::Mute)?;
        let response = card.transmit(apdu);
        if let Some(left) = &mut self.removal_countdown {
            *left -= 1;
        }
        let time = self.meter.record_apdu(apdu.len(), response.len());
        let waits = time.as_nanos() / TIME_EXTENSION_INTERVAL.as_nanos();
        for _ in 0..waits {
            self.device.time_extension();
        }
        Ok(response)
    }
}

#[cfg(test)]
mod tests {
    use examgate_shared::chip::bridge::{
        BridgeMessage, CommandStatus, ErrorCode, Frame, FrameDecoder, HostLink, HostMessage,
        IccState, LinkEvent, MAX_PAYLOAD, SlotStatus,
    };

    use super::*;

    const ATR: [u8; 5] = [0x3B, 0x80, 0x80, 0x01, 0x01];

    /// Answers every APDU with its own bytes and 90 00.
    struct EchoCard;

    impl Card for EchoCard {
        fn atr(&self) -> Vec<u8> {
            ATR.to_vec()
        }

        fn transmit(&mut self, apdu: &[u8]) -> Vec<u8> {
            let mut response = apdu.to_vec();
            response.extend_from_slice(&[0x90, 0x00]);
            response
        }
    }

    /// Answers every APDU with 64 KiB of data (an extended READ BINARY).
    struct BigFileCard;

    impl Card for BigFileCard {
        fn atr(&self) -> Vec<u8> {
            ATR.to_vec()
        }

        fn transmit(&mut self, _: &[u8]) -> Vec<u8> {
            let mut response = vec![0x42; 65_536];
            response.extend_from_slice(&[0x90, 0x00]);
            response
        }
    }

    fn send(bridge: &mut SoftBridge, seq: u8, message: HostMessage) -> Vec<Frame<BridgeMessage>> {
        decode(&bridge.handle(&Frame::new(seq, message).encode()))
    }

    fn decode(bytes: &[u8]) -> Vec<Frame<BridgeMessage>> {
        let mut decoder = FrameDecoder::<BridgeMessage>::new();
        decoder.push(bytes);
        std::iter::from_fn(|| decoder.next_frame())
            .map(|f| f.expect("the bridge sends valid frames"))
            .collect()
    }

    fn data(status: SlotStatus, data: &[u8]) -> BridgeMessage {
        BridgeMessage::DataBlock {
            status,
            data: data.to_vec(),
        }
    }

    const SELECT: [u8; 7] = [0x00, 0xA4, 0x04, 0x0C, 0x02, 0x3F, 0x00];

    fn echo_of(apdu: &[u8]) -> Vec<u8> {
        EchoCard.transmit(apdu)
    }

    fn ready_bridge() -> SoftBridge {
        let mut bridge = SoftBridge::new(SoftBridge::typical_info());
        bridge.insert(Box::new(EchoCard));
        bridge.take_events();
        send(&mut bridge, 1, HostMessage::PowerOn);
        bridge
    }

    #[test]
    fn get_info_describes_the_bridge() {
        let mut bridge = SoftBridge::new(SoftBridge::typical_info());
        assert_eq!(
            send(&mut bridge, 7, HostMessage::GetInfo),
            [Frame::new(
                7,
                BridgeMessage::Info(SoftBridge::typical_info())
            )]
        );
    }

    #[test]
    fn power_on_needs_a_card_and_returns_its_atr() {
        let mut bridge = SoftBridge::new(SoftBridge::typical_info());
        let absent = SlotStatus::failed(IccState::Absent, ErrorCode::IccMute);
        assert_eq!(
            send(&mut bridge, 1, HostMessage::PowerOn),
            [Frame::new(1, data(absent, &[]))]
        );
        bridge.insert(Box::new(EchoCard));
        assert_eq!(
            decode(&bridge.take_events()),
            [Frame::new(0, BridgeMessage::SlotChange { present: true })]
        );
        let inactive = SlotStatus::ok(IccState::PresentInactive);
        assert_eq!(
            send(&mut bridge, 2, HostMessage::GetSlotStatus),
            [Frame::new(2, BridgeMessage::SlotStatus(inactive))]
        );
        assert_eq!(
            send(&mut bridge, 3, HostMessage::PowerOn),
            [Frame::new(
                3,
                data(SlotStatus::ok(IccState::PresentActive), &ATR)
            )]
        );
        assert!(bridge.is_powered());
        assert_eq!(bridge.apdu_count(), 0, "activation is not an APDU");
        assert!(bridge.emulated_time() > Duration::ZERO);
    }

    #[test]
    fn apdus_reach_the_card_once_it_is_powered() {
        let mut bridge = SoftBridge::new(SoftBridge::typical_info());
        bridge.insert(Box::new(EchoCard));
        bridge.take_events();
        let not_powered = SlotStatus::failed(IccState::PresentInactive, ErrorCode::IccMute);
        assert_eq!(
            send(&mut bridge, 1, HostMessage::Transmit(SELECT.to_vec())),
            [Frame::new(1, data(not_powered, &[]))]
        );
        send(&mut bridge, 2, HostMessage::PowerOn);
        assert_eq!(
            send(&mut bridge, 3, HostMessage::Transmit(SELECT.to_vec())),
            [Frame::new(
                3,
                data(SlotStatus::ok(IccState::PresentActive), &echo_of(&SELECT))
            )]
        );
        assert_eq!(bridge.apdu_count(), 1);
        send(&mut bridge, 4, HostMessage::PowerOff);
        assert!(!bridge.is_powered());
    }

    #[test]
    fn removal_mid_read_fails_the_exchange_after_a_notification() {
        let mut bridge = ready_bridge();
        bridge.remove_after(2);
        for seq in 2..4 {
            let replies = send(&mut bridge, seq, HostMessage::Transmit(SELECT.to_vec()));
            assert_eq!(replies.len(), 1);
        }
        let removed = SlotStatus::failed(IccState::Absent, ErrorCode::CardRemoved);
        assert_eq!(
            send(&mut bridge, 4, HostMessage::Transmit(SELECT.to_vec())),
            [
                Frame::new(0, BridgeMessage::SlotChange { present: false }),
                Frame::new(4, data(removed, &[])),
            ]
        );
        assert!(!bridge.card_present());
        assert_eq!(bridge.apdu_count(), 2);
        let absent = SlotStatus::failed(IccState::Absent, ErrorCode::IccMute);
        assert_eq!(
            send(&mut bridge, 5, HostMessage::Transmit(SELECT.to_vec())),
            [Frame::new(5, data(absent, &[]))]
        );
    }

    #[test]
    fn removal_between_exchanges_is_an_event_and_then_no_card() {
        let mut bridge = ready_bridge();
        assert!(bridge.remove().is_some());
        assert!(bridge.remove().is_none(), "an empty slot sends nothing");
        assert_eq!(
            decode(&bridge.take_events()),
            [Frame::new(0, BridgeMessage::SlotChange { present: false })]
        );
        let absent = SlotStatus::ok(IccState::Absent);
        assert_eq!(
            send(&mut bridge, 9, HostMessage::GetSlotStatus),
            [Frame::new(9, BridgeMessage::SlotStatus(absent))]
        );
    }

    #[test]
    fn events_not_yet_taken_go_out_before_the_next_reply() {
        let mut bridge = ready_bridge();
        bridge.insert(Box::new(EchoCard)); // a swap: out, then in
        let replies = send(&mut bridge, 5, HostMessage::GetSlotStatus);
        let messages: Vec<_> = replies.into_iter().map(|f| f.message).collect();
        assert_eq!(
            messages,
            [
                BridgeMessage::SlotChange { present: false },
                BridgeMessage::SlotChange { present: true },
                BridgeMessage::SlotStatus(SlotStatus::ok(IccState::PresentInactive)),
            ]
        );
    }

    #[test]
    fn a_request_split_across_transfers_is_answered_once_complete() {
        let mut bridge = ready_bridge();
        let bytes = Frame::new(6, HostMessage::Transmit(SELECT.to_vec())).encode();
        assert!(bridge.handle(&bytes[..4]).is_empty());
        assert!(bridge.handle(&bytes[4..12]).is_empty());
        assert_eq!(decode(&bridge.handle(&bytes[12..])).len(), 1);
    }

    #[test]
    fn unreadable_requests_are_refused_under_their_sequence_number() {
        let mut bridge = ready_bridge();
        let active = IccState::PresentActive;
        let unknown = [0x99, 0, 0, 0, 0, 0, 0x21, 0, 0, 0];
        assert_eq!(
            decode(&bridge.handle(&unknown)),
            [Frame::new(
                0x21,
                BridgeMessage::SlotStatus(SlotStatus::failed(
                    active,
                    ErrorCode::CommandNotSupported
                ))
            )]
        );
        let bad_slot = [0x65, 0, 0, 0, 0, 3, 0x22, 0, 0, 0];
        assert_eq!(
            decode(&bridge.handle(&bad_slot)),
            [Frame::new(
                0x22,
                BridgeMessage::SlotStatus(SlotStatus::failed(active, ErrorCode::BadSlot))
            )]
        );
    }

    #[test]
    fn an_untrustworthy_length_drops_the_rest_of_the_transfer_only() {
        let mut bridge = ready_bridge();
        let too_long = (MAX_PAYLOAD as u32 + 1).to_le_bytes();
        let mut transfer = vec![
            0x6F,
            too_long[0],
            too_long[1],
            too_long[2],
            too_long[3],
            0,
            0x30,
        ];
        transfer.extend_from_slice(&[0, 0, 0]);
        transfer.extend(Frame::new(0x31, HostMessage::GetInfo).encode());
        let refused = SlotStatus::failed(IccState::PresentActive, ErrorCode::BadLength);
        assert_eq!(
            decode(&bridge.handle(&transfer)),
            [Frame::new(0x30, BridgeMessage::SlotStatus(refused))]
        );
        assert_eq!(send(&mut bridge, 0x32, HostMessage::GetInfo).len(), 1);
    }

    #[test]
    fn apdus_over_the_bridge_limit_are_refused_from_their_header() {
        let mut info = SoftBridge::typical_info();
        info.max_apdu_len = 261;
        info.extended_length = false;
        let mut bridge = SoftBridge::new(info);
        bridge.insert(Box::new(EchoCard));
        send(&mut bridge, 1, HostMessage::PowerOn);
        let refused = SlotStatus::failed(IccState::PresentActive, ErrorCode::BadLength);
        assert_eq!(
            send(&mut bridge, 2, HostMessage::Transmit(vec![0; 262])),
            [Frame::new(2, BridgeMessage::SlotStatus(refused))]
        );
        assert_eq!(bridge.apdu_count(), 0);
    }

    #[test]
    fn a_slow_exchange_sends_time_extensions_before_the_reply() {
        let model = LinkModel {
            bit_rate: 106_000,
            turnaround: Duration::from_millis(5),
        };
        let mut bridge = SoftBridge::with_link_model(SoftBridge::typical_info(), model);
        bridge.insert(Box::new(BigFileCard));
        send(&mut bridge, 1, HostMessage::PowerOn);
        let read = vec![0x00, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x00];
        let replies = send(&mut bridge, 2, HostMessage::Transmit(read));
        // 65,545 bytes at 106 kbit/s is about 4.95 s: four extensions.
        let waits = replies
            .iter()
            .filter(|f| f.message.status().map(|s| s.command) == Some(CommandStatus::TimeExtension))
            .count();
        assert_eq!(waits, 4);
        assert_eq!(replies.len(), 5);
        assert!(replies.iter().all(|f| f.seq == 2));
        assert!(bridge.emulated_time() > Duration::from_millis(4_900));
    }

    #[test]
    fn a_host_link_reads_through_the_bridge() {
        let mut bridge = SoftBridge::new(SoftBridge::typical_info());
        let mut link = HostLink::new();
        bridge.insert(Box::new(EchoCard));
        link.push(&bridge.take_events());
        assert_eq!(link.poll(), Some(LinkEvent::CardInserted));

        let exchange = |link: &mut HostLink, bridge: &mut SoftBridge, message| {
            let request = link.request(message).unwrap();
            for transfer in bridge.handle_transfers(&request) {
                link.push(&transfer);
            }
            std::iter::from_fn(|| link.poll()).collect::<Vec<_>>()
        };
        let events = exchange(&mut link, &mut bridge, HostMessage::PowerOn);
        assert_eq!(
            events,
            [LinkEvent::Reply(data(
                SlotStatus::ok(IccState::PresentActive),
                &ATR
            ))]
        );
        bridge.remove_after(0);
        let events = exchange(
            &mut link,
            &mut bridge,
            HostMessage::Transmit(SELECT.to_vec()),
        );
        assert_eq!(
            events[0],
            LinkEvent::CardRemoved {
                during_exchange: true
            }
        );
        assert!(matches!(
            &events[1],
            LinkEvent::Reply(BridgeMessage::DataBlock { status, .. })
                if status.command == CommandStatus::Failed(ErrorCode::CardRemoved)
        ));
    }
}
