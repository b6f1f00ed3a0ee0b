//! The student page's connection to the world: the `/ws/student` channel
//! and the [`ExamIo`] the reducer writes through.

use examgate_shared::Millis;
use examgate_shared::protocol::{PROTOCOL_VERSION, RelayToStudent, StudentToRelay};

use super::records::{self, LocalAttempt, PaperCache};
use super::state::ExamIo;
use crate::socket::{Channel, Socket};

/// A random name for this page load, the same for every reconnect of it:
/// the relay tells a reconnect replacing its own half-open connection from
/// another tab or computer taking the attempt over.
fn page_load_id() -> String {
    thread_local! {
        static ID: String = format!(
            "{:013x}{:013x}",
            (js_sys::Math::random() * 4_503_599_627_370_496.0) as u64,
            (js_sys::Math::random() * 4_503_599_627_370_496.0) as u64
        );
    }
    ID.with(Clone::clone)
}

pub struct StudentChannel;

impl Channel for StudentChannel {
    type Out = StudentToRelay;
    type In = RelayToStudent;
    const PATH: &'static str = "/ws/student";

    fn hello(token: &str, sent_at: Millis) -> StudentToRelay {
        StudentToRelay::Hello {
            v: PROTOCOL_VERSION,
            token: token.to_owned(),
            sent_at,
            tab: Some(page_load_id()),
        }
    }

    fn ping(sent_at: Millis) -> StudentToRelay {
        StudentToRelay::Ping { sent_at }
    }

    fn is_greeting(msg: &RelayToStudent) -> bool {
        matches!(msg, RelayToStudent::Welcome { .. })
    }
}

/// Local storage plus the socket, for one attempt.
pub struct BrowserIo {
    pub attempt_id: u64,
    pub socket: Socket<StudentChannel>,
}

impl ExamIo for BrowserIo {
    fn persist(&self, local: &LocalAttempt) {
        records::attempt_slot(self.attempt_id).save(local);
    }

    fn cache_paper(&self, cache: &PaperCache) {
        records::paper_slot(self.attempt_id).save(cache);
    }

    fn mark_working(&self) {
        records::working_slot(self.attempt_id).save(&true);
    }

    fn send(&self, msg: &StudentToRelay) -> bool {
        self.socket.send(msg)
    }
}
