//! The bridge's side of `docs/bridge-protocol.md` as a state machine.
//!
//! [`BridgeDevice`] never touches USB, the card or a clock. The shell that
//! owns them:
//!
//! 1. pushes every bulk OUT transfer into [`BridgeDevice::receive`], and
//!    calls [`BridgeDevice::transfer_ended`] at each transfer's end (the
//!    host's short packet, or 50 ms of idle OUT pipe);
//! 2. calls [`BridgeDevice::poll`] and runs the [`CardJob`] it hands out on
//!    the card front end, reporting with [`BridgeDevice::job_done`];
//! 3. tells [`BridgeDevice::card_arrived`] / [`BridgeDevice::card_left`]
//!    what its presence checks saw;
//! 4. calls [`BridgeDevice::handle_timeout`] at [`BridgeDevice::poll_timeout`]
//!    while a job runs, so a slow card sends time extensions;
//! 5. sends each frame of [`BridgeDevice::poll_transmit`] as one bulk IN
//!    transfer.
//!
//! One job runs at a time. Requests that arrive meanwhile and need the
//! card are refused busy; GetInfo and GetSlotStatus are answered at once,
//! so a host resynchronising after a timeout is never kept waiting by a
//! mute card. A shell that completes each job before polling again (the
//! emulated bridge) never sees busy. While the front end does work of its
//! own (looking for a card), [`BridgeDevice::hold`] answers status
//! requests and keeps one card request for the next
//! [`BridgeDevice::poll`]; nothing the host sends piles up.

use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::time::Duration;

use examgate_bridge_proto::{
    BridgeInfo, BridgeMessage, ErrorCode, Frame, FrameDecoder, FrameError, HostMessage, IccState,
    SlotStatus, TIME_EXTENSION_INTERVAL,
};

/// Unsolicited frames carry sequence number 0, which no request uses.
const UNSOLICITED: u8 = 0;

/// Work for the card front end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardJob {
    /// Reset the card and activate it (contactless: field off and on,
    /// anticollision, RATS); the result is its ATR.
    Activate,
    /// Leave the card unpowered as far as the host is concerned; the
    /// result's bytes are ignored.
    Deactivate,
    /// One command APDU; the result is the response APDU.
    Transmit(Vec<u8>),
}

/// Why a job failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardFault {
    /// No answer: no card, or a card that does not speak.
    Mute,
    /// The card left the field during the job.
    Removed,
    /// The front end itself failed (its link, its chip).
    Hardware,
}

impl CardFault {
    fn error_code(self) -> ErrorCode {
        match self {
            CardFault::Mute => ErrorCode::IccMute,
            CardFault::Removed => ErrorCode::CardRemoved,
            CardFault::Hardware => ErrorCode::HardwareError,
        }
    }
}

/// What the host knows of the slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Empty,
    Present { powered: bool },
}

/// A job handed out and not yet done.
#[derive(Debug)]
struct Running {
    seq: u8,
    kind: JobKind,
    /// When the next time extension is due.
    extension_due: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JobKind {
    Activate,
    Deactivate,
    Transmit,
}

/// The bridge: its slot, the request in progress and the frames for the
/// host.
#[derive(Debug)]
pub struct BridgeDevice {
    info: BridgeInfo,
    decoder: FrameDecoder<HostMessage>,
    slot: Slot,
    running: Option<Running>,
    /// A request that needs the card, received while the front end was
    /// busy with its own work; started by the next `poll`.
    deferred: Option<Frame<HostMessage>>,
    outgoing: VecDeque<Vec<u8>>,
}

impl BridgeDevice {
    /// A bridge describing itself with `info`, whose `max_apdu_len` also
    /// bounds what it buffers: a longer request is refused from its header.
    pub fn new(info: BridgeInfo) -> BridgeDevice {
        BridgeDevice {
            info,
            decoder: FrameDecoder::with_max_payload(info.max_apdu_len as usize),
            slot: Slot::Empty,
            running: None,
            deferred: None,
            outgoing: VecDeque::new(),
        }
    }

    pub fn info(&self) -> &BridgeInfo {
        &self.info
    }

    pub fn card_present(&self) -> bool {
        matches!(self.slot, Slot::Present { .. })
    }

    /// Whether the host has powered the card (PowerOn, no PowerOff since).
    pub fn is_powered(&self) -> bool {
        self.slot == Slot::Present { powered: true }
    }

    /// Whether a job has been handed out and not reported done.
    pub fn is_busy(&self) -> bool {
        self.running.is_some()
    }

    /// Bytes of one bulk OUT transfer (or part of one). Requests are
    /// acted on by [`BridgeDevice::poll`].
    pub fn receive(&mut self, bytes: &[u8]) {
        self.decoder.push(bytes);
    }

    /// The host's OUT transfer has ended. After a length it could not
    /// trust, the bridge has dropped the rest of that transfer; the next
    /// one starts a frame.
    pub fn transfer_ended(&mut self) {
        if self.decoder.is_desynchronised() {
            self.decoder.reset();
        }
    }

    /// Answers the requests received so far, up to the first that needs
    /// the card, and hands that one out as a job (at most one at a time).
    /// `now` is the shell's clock, for the time extensions.
    pub fn poll(&mut self, now: Duration) -> Option<CardJob> {
        if self.running.is_none()
            && let Some(frame) = self.deferred.take()
            && let Some(job) = self.answer(frame, now)
        {
            return Some(job);
        }
        while let Some(frame) = self.next_request() {
            if let Some(job) = self.answer(frame, now) {
                return Some(job);
            }
        }
        None
    }

    /// While the front end is busy with work of its own: answers GetInfo,
    /// GetSlotStatus and unreadable requests now, keeps the first request
    /// that needs the card for the next [`BridgeDevice::poll`], and refuses
    /// any further one busy (the host keeps one request outstanding, so a
    /// second means it gave up on the first).
    pub fn hold(&mut self) {
        while let Some(frame) = self.next_request() {
            match frame.message {
                HostMessage::GetInfo | HostMessage::GetSlotStatus => {
                    let _ = self.answer(frame, Duration::ZERO);
                }
                _ if self.deferred.is_none() && self.running.is_none() => {
                    self.deferred = Some(frame);
                }
                _ => self.busy(frame.seq),
            }
        }
    }

    /// The outcome of the job [`BridgeDevice::poll`] handed out: the ATR
    /// for an activation, the response APDU for a transmission.
    pub fn job_done(&mut self, result: Result<Vec<u8>, CardFault>) {
        let Some(running) = self.running.take() else {
            return;
        };
        if result == Err(CardFault::Removed) {
            // The SlotChange goes before the failed reply.
            self.card_left();
        }
        // Activation and deactivation reset the card whatever their outcome:
        // it is unpowered unless a successful activation says otherwise.
        if running.kind != JobKind::Transmit && self.card_present() {
            self.slot = Slot::Present { powered: false };
        }
        let reply = match (running.kind, result) {
            // The slot emptied while the card was being activated.
            (JobKind::Activate, Ok(_)) if !self.card_present() => {
                failed(IccState::Absent, ErrorCode::IccMute)
            }
            (JobKind::Activate, Ok(atr)) => {
                self.slot = Slot::Present { powered: true };
                data_block(SlotStatus::ok(IccState::PresentActive), atr)
            }
            (JobKind::Deactivate, Ok(_)) => {
                BridgeMessage::SlotStatus(SlotStatus::ok(self.icc_state()))
            }
            (JobKind::Deactivate, Err(fault)) => {
                BridgeMessage::SlotStatus(SlotStatus::failed(self.icc_state(), fault.error_code()))
            }
            (JobKind::Transmit, Ok(response)) => {
                data_block(SlotStatus::ok(IccState::PresentActive), response)
            }
            (JobKind::Activate | JobKind::Transmit, Err(fault)) => {
                failed(self.icc_state(), fault.error_code())
            }
        };
        self.queue(running.seq, reply);
    }

    /// The front end sees a card that was not there: the host is told.
    pub fn card_arrived(&mut self) {
        if self.slot == Slot::Empty {
            self.slot = Slot::Present { powered: false };
            self.queue(UNSOLICITED, BridgeMessage::SlotChange { present: true });
        }
    }

    /// The card has gone: the host is told at once, even in the middle of
    /// a job (whose own failure follows).
    pub fn card_left(&mut self) {
        if self.slot != Slot::Empty {
            self.slot = Slot::Empty;
            self.queue(UNSOLICITED, BridgeMessage::SlotChange { present: false });
        }
    }

    /// When [`BridgeDevice::handle_timeout`] next has something to do.
    pub fn poll_timeout(&self) -> Option<Duration> {
        self.running.as_ref().map(|running| running.extension_due)
    }

    /// Sends the time extensions due by `now` for the running job.
    pub fn handle_timeout(&mut self, now: Duration) {
        while let Some(running) = &self.running {
            if now < running.extension_due {
                return;
            }
            self.time_extension();
        }
    }

    /// Tells the host the running job needs more time, now (the emulated
    /// bridge counts its link time instead of waiting on a clock).
    pub fn time_extension(&mut self) {
        let Some(running) = &mut self.running else {
            return;
        };
        running.extension_due += TIME_EXTENSION_INTERVAL;
        let seq = running.seq;
        let wait = data_block(
            SlotStatus::time_extension(IccState::PresentActive),
            Vec::new(),
        );
        self.queue(seq, wait);
    }

    /// The next frame for the host, as one bulk IN transfer.
    pub fn poll_transmit(&mut self) -> Option<Vec<u8>> {
        self.outgoing.pop_front()
    }

    fn icc_state(&self) -> IccState {
        match self.slot {
            Slot::Empty => IccState::Absent,
            Slot::Present { powered: true } => IccState::PresentActive,
            Slot::Present { powered: false } => IccState::PresentInactive,
        }
    }

    /// Answers `frame` now, or starts its job and returns it.
    fn answer(&mut self, frame: Frame<HostMessage>, now: Duration) -> Option<CardJob> {
        let seq = frame.seq;
        let (kind, job) = match frame.message {
            HostMessage::GetInfo => {
                self.queue(seq, BridgeMessage::Info(self.info));
                return None;
            }
            HostMessage::GetSlotStatus => {
                let status = SlotStatus::ok(self.icc_state());
                self.queue(seq, BridgeMessage::SlotStatus(status));
                return None;
            }
            _ if self.running.is_some() => {
                self.busy(seq);
                return None;
            }
            HostMessage::PowerOff => (JobKind::Deactivate, CardJob::Deactivate),
            HostMessage::PowerOn => {
                if self.slot == Slot::Empty {
                    self.queue(seq, failed(IccState::Absent, ErrorCode::IccMute));
                    return None;
                }
                (JobKind::Activate, CardJob::Activate)
            }
            HostMessage::Transmit(apdu) => {
                if !self.is_powered() {
                    self.queue(seq, failed(self.icc_state(), ErrorCode::IccMute));
                    return None;
                }
                (JobKind::Transmit, CardJob::Transmit(apdu))
            }
        };
        self.running = Some(Running {
            seq,
            kind,
            extension_due: now + TIME_EXTENSION_INTERVAL,
        });
        Some(job)
    }

    /// Refuses a request that needs the card while another does.
    fn busy(&mut self, seq: u8) {
        let busy = SlotStatus::failed(self.icc_state(), ErrorCode::Busy);
        self.queue(seq, BridgeMessage::SlotStatus(busy));
    }

    /// A request the bridge cannot read is answered with a failed
    /// SlotStatus under its own sequence number, as CCID does.
    /// The next readable request received, refusing the unreadable ones
    /// before it.
    fn next_request(&mut self) -> Option<Frame<HostMessage>> {
        loop {
            match self.decoder.next_frame()? {
                Ok(frame) => return Some(frame),
                Err(refusal) => self.refuse(&refusal),
            }
        }
    }

    fn refuse(&mut self, refusal: &FrameError) {
        let status = SlotStatus::failed(self.icc_state(), refusal.error_code());
        self.queue(refusal.seq(), BridgeMessage::SlotStatus(status));
    }

    fn queue(&mut self, seq: u8, message: BridgeMessage) {
        self.outgoing.push_back(Frame::new(seq, message).encode());
    }
}

fn data_block(status: SlotStatus, data: Vec<u8>) -> BridgeMessage {
    BridgeMessage::DataBlock { status, data }
}

fn failed(icc: IccState, error: ErrorCode) -> BridgeMessage {
    data_block(SlotStatus::failed(icc, error), Vec::new())
}

#[cfg(test)]
mod tests {
    use examgate_bridge_proto::{
        FirmwareVersion, HostLink, LinkEvent, PROTOCOL_VERSION, message_type,
    };

    use super::*;

    const ATR: [u8; 5] = [0x3B, 0x80, 0x80, 0x01, 0x01];
    const SELECT: [u8; 7] = [0x00, 0xA4, 0x04, 0x0C, 0x02, 0x3F, 0x00];

    fn info(max_apdu_len: u32) -> BridgeInfo {
        BridgeInfo {
            protocol: PROTOCOL_VERSION,
            firmware: FirmwareVersion {
                major: 0,
                minor: 1,
                patch: 0,
            },
            max_apdu_len,
            extended_length: true,
            bit_rate: 106_000,
        }
    }

    fn frames(device: &mut BridgeDevice) -> Vec<Frame<BridgeMessage>> {
        let mut decoder = FrameDecoder::<BridgeMessage>::new();
        while let Some(transfer) = device.poll_transmit() {
            decoder.push(&transfer);
        }
        core::iter::from_fn(|| decoder.next_frame())
            .map(|frame| frame.expect("the device sends valid frames"))
            .collect()
    }

    fn request(device: &mut BridgeDevice, seq: u8, message: HostMessage) {
        device.receive(&Frame::new(seq, message).encode());
        device.transfer_ended();
    }

    /// A device with a card in the field, powered by request 1.
    fn powered() -> BridgeDevice {
        let mut device = BridgeDevice::new(info(4_096));
        device.card_arrived();
        request(&mut device, 1, HostMessage::PowerOn);
        assert_eq!(device.poll(Duration::ZERO), Some(CardJob::Activate));
        device.job_done(Ok(ATR.to_vec()));
        frames(&mut device);
        device
    }

    #[test]
    fn an_apdu_becomes_one_job_and_its_response_one_reply() {
        let mut device = powered();
        request(&mut device, 2, HostMessage::Transmit(SELECT.to_vec()));
        assert_eq!(
            device.poll(Duration::ZERO),
            Some(CardJob::Transmit(SELECT.to_vec()))
        );
        assert!(device.is_busy());
        assert_eq!(frames(&mut device), [], "no reply before the card's");
        device.job_done(Ok(vec![0x90, 0x00]));
        assert_eq!(
            frames(&mut device),
            [Frame::new(
                2,
                data_block(SlotStatus::ok(IccState::PresentActive), vec![0x90, 0x00])
            )]
        );
        assert!(!device.is_busy());
    }

    #[test]
    fn requests_during_a_job_are_busy_but_status_is_answered_at_once() {
        let mut device = powered();
        request(&mut device, 2, HostMessage::Transmit(SELECT.to_vec()));
        assert!(device.poll(Duration::ZERO).is_some());
        request(&mut device, 3, HostMessage::Transmit(SELECT.to_vec()));
        request(&mut device, 4, HostMessage::GetSlotStatus);
        request(&mut device, 5, HostMessage::GetInfo);
        assert_eq!(device.poll(Duration::ZERO), None);
        assert_eq!(
            frames(&mut device),
            [
                Frame::new(
                    3,
                    BridgeMessage::SlotStatus(SlotStatus::failed(
                        IccState::PresentActive,
                        ErrorCode::Busy
                    ))
                ),
                Frame::new(
                    4,
                    BridgeMessage::SlotStatus(SlotStatus::ok(IccState::PresentActive))
                ),
                Frame::new(5, BridgeMessage::Info(info(4_096))),
            ]
        );
    }

    #[test]
    fn while_the_front_end_is_busy_one_card_request_waits_and_status_is_answered() {
        let mut device = powered();
        request(&mut device, 2, HostMessage::Transmit(SELECT.to_vec()));
        request(&mut device, 3, HostMessage::GetSlotStatus);
        request(&mut device, 4, HostMessage::Transmit(SELECT.to_vec()));
        device.hold();
        assert_eq!(
            frames(&mut device),
            [
                Frame::new(
                    3,
                    BridgeMessage::SlotStatus(SlotStatus::ok(IccState::PresentActive))
                ),
                Frame::new(
                    4,
                    BridgeMessage::SlotStatus(SlotStatus::failed(
                        IccState::PresentActive,
                        ErrorCode::Busy
                    ))
                ),
            ]
        );
        // The front end is free: the kept request starts.
        assert_eq!(
            device.poll(Duration::ZERO),
            Some(CardJob::Transmit(SELECT.to_vec()))
        );
        device.job_done(Ok(vec![0x90, 0x00]));
        assert_eq!(frames(&mut device)[0].seq, 2);
    }

    #[test]
    fn a_failed_activation_or_deactivation_leaves_the_card_unpowered() {
        let mut device = powered();
        request(&mut device, 2, HostMessage::PowerOn);
        assert_eq!(device.poll(Duration::ZERO), Some(CardJob::Activate));
        device.job_done(Err(CardFault::Hardware));
        assert!(!device.is_powered());
        request(&mut device, 3, HostMessage::PowerOff);
        assert_eq!(device.poll(Duration::ZERO), Some(CardJob::Deactivate));
        device.job_done(Err(CardFault::Hardware));
        let replies = frames(&mut device);
        assert_eq!(
            replies.last().unwrap().message,
            BridgeMessage::SlotStatus(SlotStatus::failed(
                IccState::PresentInactive,
                ErrorCode::HardwareError
            ))
        );
    }

    #[test]
    fn a_slow_card_gets_a_time_extension_every_interval() {
        let mut device = powered();
        let start = Duration::from_secs(10);
        request(&mut device, 2, HostMessage::Transmit(SELECT.to_vec()));
        device.poll(start);
        assert_eq!(device.poll_timeout(), Some(start + TIME_EXTENSION_INTERVAL));
        device.handle_timeout(start + Duration::from_millis(999));
        assert_eq!(frames(&mut device), []);
        device.handle_timeout(start + Duration::from_millis(2_500));
        let extension = Frame::new(
            2,
            data_block(SlotStatus::time_extension(IccState::PresentActive), vec![]),
        );
        assert_eq!(frames(&mut device), [extension.clone(), extension]);
        device.job_done(Ok(vec![0x90, 0x00]));
        assert_eq!(device.poll_timeout(), None);
    }

    #[test]
    fn a_card_leaving_mid_job_is_announced_before_the_failed_reply() {
        let mut device = powered();
        request(&mut device, 2, HostMessage::Transmit(SELECT.to_vec()));
        device.poll(Duration::ZERO);
        device.job_done(Err(CardFault::Removed));
        assert_eq!(
            frames(&mut device),
            [
                Frame::new(0, BridgeMessage::SlotChange { present: false }),
                Frame::new(2, failed(IccState::Absent, ErrorCode::CardRemoved)),
            ]
        );
        request(&mut device, 3, HostMessage::Transmit(SELECT.to_vec()));
        assert_eq!(device.poll(Duration::ZERO), None, "no card, no job");
        assert_eq!(
            frames(&mut device),
            [Frame::new(3, failed(IccState::Absent, ErrorCode::IccMute))]
        );
    }

    #[test]
    fn apdus_need_a_powered_card() {
        let mut device = BridgeDevice::new(info(4_096));
        request(&mut device, 1, HostMessage::PowerOn);
        assert_eq!(device.poll(Duration::ZERO), None);
        device.card_arrived();
        request(&mut device, 2, HostMessage::Transmit(SELECT.to_vec()));
        assert_eq!(device.poll(Duration::ZERO), None);
        assert_eq!(
            frames(&mut device),
            [
                Frame::new(1, failed(IccState::Absent, ErrorCode::IccMute)),
                Frame::new(0, BridgeMessage::SlotChange { present: true }),
                Frame::new(2, failed(IccState::PresentInactive, ErrorCode::IccMute)),
            ]
        );
        // A card that will not activate stays unpowered.
        request(&mut device, 3, HostMessage::PowerOn);
        assert_eq!(device.poll(Duration::ZERO), Some(CardJob::Activate));
        device.job_done(Err(CardFault::Mute));
        assert!(!device.is_powered());
        assert_eq!(
            frames(&mut device),
            [Frame::new(
                3,
                failed(IccState::PresentInactive, ErrorCode::IccMute)
            )]
        );
    }

    #[test]
    fn a_request_longer_than_the_bridge_buffers_is_refused_from_its_header() {
        let mut device = powered();
        let long = Frame::new(2, HostMessage::Transmit(vec![0; 4_097])).encode();
        device.receive(&long[..10]);
        assert_eq!(device.poll(Duration::ZERO), None);
        device.receive(&long[10..]);
        request(&mut device, 3, HostMessage::GetSlotStatus);
        device.poll(Duration::ZERO);
        assert_eq!(
            frames(&mut device),
            [
                Frame::new(
                    2,
                    BridgeMessage::SlotStatus(SlotStatus::failed(
                        IccState::PresentActive,
                        ErrorCode::BadLength
                    ))
                ),
                Frame::new(
                    3,
                    BridgeMessage::SlotStatus(SlotStatus::ok(IccState::PresentActive))
                ),
            ]
        );
    }

    #[test]
    fn an_untrustworthy_length_loses_only_the_rest_of_its_transfer() {
        let mut device = powered();
        let mut garbage = vec![
            message_type::XFR_BLOCK,
            0xFF,
            0xFF,
            0xFF,
            0x00,
            0,
            7,
            0,
            0,
            0,
        ];
        garbage.extend_from_slice(&[0x62; 40]);
        device.receive(&garbage);
        device.transfer_ended();
        request(&mut device, 8, HostMessage::GetSlotStatus);
        device.poll(Duration::ZERO);
        let replies = frames(&mut device);
        assert_eq!(replies.len(), 2);
        assert_eq!(replies[0].seq, 7);
        assert_eq!(
            replies[1],
            Frame::new(
                8,
                BridgeMessage::SlotStatus(SlotStatus::ok(IccState::PresentActive))
            )
        );
    }

    #[test]
    fn the_pages_host_link_talks_to_it() {
        let mut device = BridgeDevice::new(info(4_096));
        device.card_arrived();
        let mut link = HostLink::new();
        let mut events = Vec::new();
        for message in [
            HostMessage::GetInfo,
            HostMessage::PowerOn,
            HostMessage::Transmit(SELECT.to_vec()),
        ] {
            device.receive(&link.request(message).unwrap());
            device.transfer_ended();
            match device.poll(Duration::ZERO) {
                Some(CardJob::Activate) => device.job_done(Ok(ATR.to_vec())),
                Some(CardJob::Transmit(_)) => device.job_done(Ok(vec![0x90, 0x00])),
                other => assert_eq!(other, None),
            }
            while let Some(transfer) = device.poll_transmit() {
                link.push(&transfer);
            }
            while let Some(event) = link.poll() {
                events.push(event);
            }
        }
        assert_eq!(
            events,
            [
                LinkEvent::CardInserted,
                LinkEvent::Reply(BridgeMessage::Info(info(4_096))),
                LinkEvent::Reply(data_block(
                    SlotStatus::ok(IccState::PresentActive),
                    ATR.to_vec()
                )),
                LinkEvent::Reply(data_block(
                    SlotStatus::ok(IccState::PresentActive),
                    vec![0x90, 0x00]
                )),
            ]
        );
    }
}
