//! The host's side of the exchanges: one request at a time, replies
//! matched by sequence number, and what the bridge says on its own.
//!
//! The browser drives a [`HostLink`] around its USB transfers: it sends
//! the bytes [`HostLink::request`] returns with one bulk OUT transfer,
//! pushes every bulk IN transfer into [`HostLink::push`] and reads
//! [`LinkEvent`]s from [`HostLink::poll`] until the reply arrives. Time
//! stays with the caller: it restarts its reply timeout on
//! [`LinkEvent::TimeExtension`] and calls [`HostLink::resync`] when the
//! timeout passes or the stream is garbled.
//!
//! Sequence numbers run 1..=255 and wrap; 0 is never used for a request,
//! so unsolicited frames (which carry 0) can never be taken for a reply.
//! A reply whose number is not the pending one is stale (its request was
//! abandoned) and is dropped.

use alloc::vec::Vec;

use crate::MAX_PAYLOAD;
use crate::decoder::{FrameDecoder, FrameError};
use crate::message::{BridgeMessage, Frame, HostMessage};
use crate::status::CommandStatus;

/// What the bridge's bytes meant, for the caller waiting on them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkEvent {
    /// The reply to the pending request, which is no longer pending.
    /// Its status may still say the command failed.
    Reply(BridgeMessage),
    /// The bridge needs more time for the pending request: keep waiting
    /// and restart the reply timeout.
    TimeExtension,
    /// A card arrived in the slot.
    CardInserted,
    /// The card left the slot. `during_exchange`: a request was pending,
    /// and whatever the card was doing is lost (its failed reply may
    /// still follow; it is matched or dropped as usual).
    CardRemoved { during_exchange: bool },
    /// The bridge's bytes could not be read. The pending request, if any,
    /// is lost; when the refusal [is fatal](FrameError::is_fatal) nothing
    /// more is decoded until [`HostLink::resync`].
    Garbled(FrameError),
}

/// Sequence numbers, the pending request and the last known card state.
#[derive(Debug)]
pub struct HostLink {
    decoder: FrameDecoder<BridgeMessage>,
    /// The number the next request gets (never 0).
    next_seq: u8,
    /// The request awaiting its reply.
    pending: Option<u8>,
    card_present: Option<bool>,
}

impl Default for HostLink {
    fn default() -> Self {
        HostLink::new()
    }
}

impl HostLink {
    pub fn new() -> HostLink {
        HostLink::with_first_seq(1)
    }

    /// Numbers requests from `first` (0 counts as 1). A host that may
    /// find replies to an earlier session still queued in the bridge (a
    /// reloaded page) starts at a random number, so none of them is taken
    /// for the reply to its first request.
    pub fn with_first_seq(first: u8) -> HostLink {
        HostLink {
            decoder: FrameDecoder::new(),
            next_seq: first.max(1),
            pending: None,
            card_present: None,
        }
    }

    /// Starts a request and returns its bytes, for one bulk OUT transfer.
    /// A request still pending is abandoned: its late reply will be
    /// dropped. Refuses an APDU over [`MAX_PAYLOAD`], which no bridge
    /// would accept.
    pub fn request(&mut self, message: HostMessage) -> Result<Vec<u8>, FrameError> {
        let seq = self.next_seq;
        self.next_seq = self.next_seq.checked_add(1).unwrap_or(1);
        if let HostMessage::Transmit(apdu) = &message
            && apdu.len() > MAX_PAYLOAD
        {
            return Err(FrameError::TooLong {
                seq,
                length: u32::try_from(apdu.len()).unwrap_or(u32::MAX),
            });
        }
        self.pending = Some(seq);
        Ok(Frame::new(seq, message).encode())
    }

    /// The sequence number of the request awaiting its reply.
    pub fn pending_seq(&self) -> Option<u8> {
        self.pending
    }

    /// Gives up on the pending request (the caller timed out or stopped
    /// caring); its reply, if it ever comes, is dropped.
    pub fn abandon(&mut self) {
        self.pending = None;
    }

    /// Starts over after a timeout or garbled bytes: forgets any partial
    /// frame and returns a GetSlotStatus request whose reply tells the
    /// caller the link works again (everything before it is dropped as
    /// stale). Call it between IN transfers: the bridge ends every frame
    /// with its transfer, so the next transfer starts a frame.
    pub fn resync(&mut self) -> Vec<u8> {
        self.decoder.reset();
        self.request(HostMessage::GetSlotStatus)
            .expect("GetSlotStatus has no payload")
    }

    /// Feeds the bytes of one bulk IN transfer.
    pub fn push(&mut self, bytes: &[u8]) {
        self.decoder.push(bytes);
    }

    /// The next event from the bytes pushed so far.
    pub fn poll(&mut self) -> Option<LinkEvent> {
        loop {
            match self.decoder.next_frame()? {
                Err(refusal) => {
                    let ours = self.pending == Some(refusal.seq());
                    if ours || refusal.is_fatal() {
                        self.pending = None;
                        return Some(LinkEvent::Garbled(refusal));
                    }
                    // An unreadable frame nobody waits for (say a newer
                    // bridge's new notification): skipped.
                }
                Ok(Frame {
                    message: BridgeMessage::SlotChange { present },
                    ..
                }) => {
                    self.card_present = Some(present);
                    return Some(if present {
                        LinkEvent::CardInserted
                    } else {
                        LinkEvent::CardRemoved {
                            during_exchange: self.pending.is_some(),
                        }
                    });
                }
                Ok(Frame { seq, message }) => {
                    if self.pending != Some(seq) {
                        continue; // stale: its request was abandoned
                    }
                    if let Some(status) = message.status() {
                        self.card_present = Some(status.icc.is_present());
                        if status.command == CommandStatus::TimeExtension {
                            return Some(LinkEvent::TimeExtension);
                        }
                    }
                    self.pending = None;
                    return Some(LinkEvent::Reply(message));
                }
            }
        }
    }

    /// Whether a card is in the slot, as last reported (`None` before the
    /// bridge said anything about it).
    pub fn card_present(&self) -> Option<bool> {
        self.card_present
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::{ErrorCode, IccState, SlotStatus};

    fn reply(seq: u8, message: BridgeMessage) -> Vec<u8> {
        Frame::new(seq, message).encode()
    }

    fn data_ok(data: &[u8]) -> BridgeMessage {
        BridgeMessage::DataBlock {
            status: SlotStatus::ok(IccState::PresentActive),
            data: data.to_vec(),
        }
    }

    #[test]
    fn a_reply_is_matched_to_its_request() {
        let mut link = HostLink::new();
        let sent = link.request(HostMessage::PowerOn).unwrap();
        assert_eq!(sent[6], 1, "the first sequence number is 1");
        link.push(&reply(1, data_ok(&[0x3B, 0x80])));
        assert_eq!(link.poll(), Some(LinkEvent::Reply(data_ok(&[0x3B, 0x80]))));
        assert_eq!(link.pending_seq(), None);
        assert_eq!(link.card_present(), Some(true));
        assert_eq!(link.poll(), None);
    }

    #[test]
    fn sequence_numbers_skip_zero_when_they_wrap() {
        let mut link = HostLink::new();
        let seqs: Vec<u8> = (0..300)
            .map(|_| link.request(HostMessage::GetSlotStatus).unwrap()[6])
            .collect();
        assert!(!seqs.contains(&0));
        assert_eq!(seqs[254], 255);
        assert_eq!(seqs[255], 1);
    }

    #[test]
    fn numbering_can_start_anywhere_but_zero() {
        let mut link = HostLink::with_first_seq(200);
        assert_eq!(link.request(HostMessage::GetInfo).unwrap()[6], 200);
        let mut link = HostLink::with_first_seq(0);
        assert_eq!(link.request(HostMessage::GetInfo).unwrap()[6], 1);
    }

    #[test]
    fn a_late_reply_to_an_abandoned_request_is_dropped() {
        let mut link = HostLink::new();
        link.request(HostMessage::GetInfo).unwrap(); // seq 1, times out
        link.abandon();
        link.request(HostMessage::PowerOn).unwrap(); // seq 2
        link.push(&reply(
            1,
            BridgeMessage::SlotStatus(SlotStatus::ok(IccState::Absent)),
        ));
        link.push(&reply(2, data_ok(&[0x3B])));
        assert_eq!(link.poll(), Some(LinkEvent::Reply(data_ok(&[0x3B]))));
        assert_eq!(link.poll(), None);
    }

    #[test]
    fn time_extensions_keep_the_request_pending() {
        let mut link = HostLink::new();
        link.request(HostMessage::Transmit(vec![0, 0xB0, 0, 0, 0, 0xFF, 0xFF]))
            .unwrap();
        let wait = BridgeMessage::DataBlock {
            status: SlotStatus::time_extension(IccState::PresentActive),
            data: vec![],
        };
        link.push(&reply(1, wait.clone()));
        link.push(&reply(1, wait));
        link.push(&reply(1, data_ok(&[0x90, 0x00])));
        assert_eq!(link.poll(), Some(LinkEvent::TimeExtension));
        assert_eq!(link.poll(), Some(LinkEvent::TimeExtension));
        assert_eq!(link.pending_seq(), Some(1));
        assert_eq!(link.poll(), Some(LinkEvent::Reply(data_ok(&[0x90, 0x00]))));
    }

    #[test]
    fn removal_during_an_exchange_is_reported_as_such() {
        let mut link = HostLink::new();
        link.push(&reply(0, BridgeMessage::SlotChange { present: true }));
        assert_eq!(link.poll(), Some(LinkEvent::CardInserted));
        link.request(HostMessage::Transmit(vec![0, 0xB0, 0, 0, 0x10]))
            .unwrap();
        let failed = BridgeMessage::DataBlock {
            status: SlotStatus::failed(IccState::Absent, ErrorCode::CardRemoved),
            data: vec![],
        };
        link.push(&reply(0, BridgeMessage::SlotChange { present: false }));
        link.push(&reply(1, failed.clone()));
        assert_eq!(
            link.poll(),
            Some(LinkEvent::CardRemoved {
                during_exchange: true
            })
        );
        assert_eq!(link.card_present(), Some(false));
        assert_eq!(link.poll(), Some(LinkEvent::Reply(failed)));
        link.push(&reply(0, BridgeMessage::SlotChange { present: false }));
        assert_eq!(
            link.poll(),
            Some(LinkEvent::CardRemoved {
                during_exchange: false
            })
        );
    }

    #[test]
    fn garbled_bytes_lose_the_request_until_a_resync() {
        let mut link = HostLink::new();
        link.request(HostMessage::GetInfo).unwrap();
        // A header announcing 16 MiB: the stream position is lost.
        link.push(&[0x80, 0, 0, 0, 1, 0, 1, 0, 0, 0]);
        link.push(&reply(1, data_ok(&[1])));
        assert!(matches!(
            link.poll(),
            Some(LinkEvent::Garbled(FrameError::TooLong { .. }))
        ));
        assert_eq!(link.poll(), None);
        let resync = link.resync();
        assert_eq!(resync[0], 0x65);
        let seq = resync[6];
        let status = BridgeMessage::SlotStatus(SlotStatus::ok(IccState::PresentInactive));
        link.push(&reply(seq, status.clone()));
        assert_eq!(link.poll(), Some(LinkEvent::Reply(status)));
        assert_eq!(link.card_present(), Some(true));
    }

    #[test]
    fn an_unreadable_reply_to_the_pending_request_is_reported() {
        let mut link = HostLink::new();
        link.request(HostMessage::GetSlotStatus).unwrap();
        // Unknown type 0x99 with our sequence number.
        link.push(&[0x99, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
        assert!(matches!(
            link.poll(),
            Some(LinkEvent::Garbled(FrameError::UnknownType { .. }))
        ));
        // Unknown unsolicited frames are skipped quietly.
        link.push(&[0x51, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(link.poll(), None);
    }

    #[test]
    fn oversized_apdus_are_refused_before_sending() {
        let mut link = HostLink::new();
        let too_long = vec![0; MAX_PAYLOAD + 1];
        assert!(matches!(
            link.request(HostMessage::Transmit(too_long)),
            Err(FrameError::TooLong { .. })
        ));
        assert_eq!(link.pending_seq(), None);
    }
}
