//! The `/ws/proctor` endpoint for the generic socket.

use examgate_shared::Millis;
use examgate_shared::protocol::{PROTOCOL_VERSION, ProctorToRelay, RelayToProctor};

use crate::socket::Channel;

pub struct ProctorChannel;

impl Channel for ProctorChannel {
    type Out = ProctorToRelay;
    type In = RelayToProctor;
    const PATH: &'static str = "/ws/proctor";

    fn hello(token: &str, sent_at: Millis) -> ProctorToRelay {
        ProctorToRelay::Hello {
            v: PROTOCOL_VERSION,
            token: token.to_owned(),
            sent_at,
        }
    }

    fn ping(sent_at: Millis) -> ProctorToRelay {
        ProctorToRelay::Ping { sent_at }
    }

    fn is_greeting(msg: &RelayToProctor) -> bool {
        matches!(msg, RelayToProctor::Snapshot { .. })
    }
}
