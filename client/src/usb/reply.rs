//! Bridge replies turned into results: which failures mean "no card",
//! "card removed" or a broken link. Pure, so the rules are tested on the
//! host; the WebUSB shell only moves bytes.

use examgate_shared::chip::bridge::{
    BridgeInfo, BridgeMessage, CommandStatus, ErrorCode, IccState, PROTOCOL_VERSION, SlotStatus,
};

use super::BridgeError;

/// The data of a DataBlock reply (ATR or response APDU).
pub(crate) fn data(reply: BridgeMessage) -> Result<Vec<u8>, BridgeError> {
    match reply {
        BridgeMessage::DataBlock { status, data } if status.is_ok() => Ok(data),
        BridgeMessage::DataBlock { status, .. } | BridgeMessage::SlotStatus(status) => {
            Err(failure(status))
        }
        other => Err(unexpected("a data block", &other)),
    }
}

/// The status of a SlotStatus reply.
pub(crate) fn slot_status(reply: BridgeMessage) -> Result<SlotStatus, BridgeError> {
    match reply {
        BridgeMessage::SlotStatus(status) if status.is_ok() => Ok(status),
        BridgeMessage::SlotStatus(status) => Err(failure(status)),
        other => Err(unexpected("a slot status", &other)),
    }
}

/// The info of an Info reply, refused when its major version is not ours.
pub(crate) fn info(reply: BridgeMessage) -> Result<BridgeInfo, BridgeError> {
    match reply {
        BridgeMessage::Info(info) if info.protocol.is_compatible_with(PROTOCOL_VERSION) => Ok(info),
        BridgeMessage::Info(info) => Err(BridgeError::Incompatible {
            version: info.protocol.major,
        }),
        // A device that does not know GetInfo is not a bridge of ours.
        BridgeMessage::SlotStatus(status) => Err(failure(status)),
        other => Err(unexpected("bridge information", &other)),
    }
}

/// What a failed status means for the read.
pub(crate) fn failure(status: SlotStatus) -> BridgeError {
    let CommandStatus::Failed(error) = status.command else {
        return BridgeError::Protocol(format!("unexpected status {status:?}"));
    };
    match (error, status.icc) {
        (ErrorCode::CardRemoved, _) => BridgeError::CardRemoved,
        (ErrorCode::IccMute, IccState::Absent) => BridgeError::NoCard,
        // Present but unpowered after a read had powered it: the card was
        // taken out and put back (or reset) in between, so the read must
        // start again, as after a removal.
        (ErrorCode::IccMute, IccState::PresentInactive) => BridgeError::CardRemoved,
        (ErrorCode::IccMute, IccState::PresentActive) => {
            BridgeError::Protocol("the card did not answer".into())
        }
        (ErrorCode::HardwareError, _) => {
            BridgeError::Usb("the card reader reported a hardware error".into())
        }
        (ErrorCode::Busy, _) => BridgeError::Protocol("the card reader was busy".into()),
        (ErrorCode::BadLength, _) => {
            BridgeError::Protocol("the card reader refused the length of a request".into())
        }
        (ErrorCode::CommandNotSupported, _) => {
            BridgeError::Protocol("the card reader does not support a request".into())
        }
        (ErrorCode::BadSlot, _) => BridgeError::Protocol("the card reader has no such slot".into()),
        (ErrorCode::Other(code), _) => {
            BridgeError::Protocol(format!("the card reader reported error 0x{code:02X}"))
        }
    }
}

fn unexpected(wanted: &str, got: &BridgeMessage) -> BridgeError {
    BridgeError::Protocol(format!("expected {wanted}, got {got:?}"))
}

#[cfg(test)]
mod tests {
    use examgate_shared::chip::bridge::{FirmwareVersion, ProtocolVersion};

    use super::*;

    fn failed(icc: IccState, error: ErrorCode) -> BridgeMessage {
        BridgeMessage::DataBlock {
            status: SlotStatus::failed(icc, error),
            data: vec![],
        }
    }

    #[test]
    fn data_blocks_give_their_data_or_the_reason() {
        let ok = BridgeMessage::DataBlock {
            status: SlotStatus::ok(IccState::PresentActive),
            data: vec![0x90, 0x00],
        };
        assert_eq!(data(ok), Ok(vec![0x90, 0x00]));
        assert_eq!(
            data(failed(IccState::Absent, ErrorCode::IccMute)),
            Err(BridgeError::NoCard)
        );
        assert_eq!(
            data(failed(IccState::Absent, ErrorCode::CardRemoved)),
            Err(BridgeError::CardRemoved)
        );
        assert_eq!(
            data(failed(IccState::PresentInactive, ErrorCode::IccMute)),
            Err(BridgeError::CardRemoved)
        );
        assert!(matches!(
            data(BridgeMessage::SlotChange { present: true }),
            Err(BridgeError::Protocol(_))
        ));
    }

    #[test]
    fn another_major_version_is_incompatible() {
        let info_of = |major| {
            BridgeMessage::Info(BridgeInfo {
                protocol: ProtocolVersion { major, minor: 4 },
                firmware: FirmwareVersion {
                    major: 1,
                    minor: 0,
                    patch: 0,
                },
                max_apdu_len: 261,
                extended_length: false,
                bit_rate: 106_000,
            })
        };
        assert!(info(info_of(PROTOCOL_VERSION.major)).is_ok());
        assert_eq!(
            info(info_of(PROTOCOL_VERSION.major + 1)),
            Err(BridgeError::Incompatible {
                version: PROTOCOL_VERSION.major + 1
            })
        );
        let unknown = BridgeMessage::SlotStatus(SlotStatus::failed(
            IccState::Absent,
            ErrorCode::CommandNotSupported,
        ));
        assert!(matches!(info(unknown), Err(BridgeError::Protocol(_))));
    }

    #[test]
    fn slot_status_reports_presence() {
        let absent = BridgeMessage::SlotStatus(SlotStatus::ok(IccState::Absent));
        assert_eq!(slot_status(absent).unwrap().icc, IccState::Absent);
    }
}
