//! Integrity signals and read receipts: what the page tells the relay
//! besides numbered events.
//!
//! Neither is numbered or stored: a signal is a reason for a proctor to
//! look, not evidence, and a receipt the relay misses only means the
//! message is shown again at the next welcome. Both wait in memory while
//! the link is down and go out after the next welcome, oldest first.
//!
//! What is reported (`shared/src/integrity.rs`):
//! - the page hidden: `tab_hidden` with `ms: null` at once, and with how
//!   long when it is shown again;
//! - the window blurred while the page stayed visible: `window_blurred`,
//!   the same two steps. Switching tabs blurs the window a moment before it
//!   hides the page, so a blur is reported only once it has lasted
//!   [`BLUR_SETTLE_MS`] with the page still visible;
//! - full screen left, in a room that asks for it;
//! - a paste into a numeric answer (copied numbers are a reason to look);
//! - a reload of a tab that showed the attempt working, once, after the
//!   welcome.
//!
//! Only a working, unpaused attempt starts a report; the "back after"
//! half of one started is always sent.

use examgate_shared::Millis;
use examgate_shared::attempt::AttemptStatus;
use examgate_shared::exam::QuestionId;
use examgate_shared::integrity::Signal;
use examgate_shared::paper::PaperBody;
use examgate_shared::proctoring::StudentMessage;
use examgate_shared::protocol::StudentToRelay;

use super::ExamState;

/// How long a blur must last with the page visible to count as one.
pub const BLUR_SETTLE_MS: Millis = 500;

/// Signals and receipts kept while offline; beyond this the oldest go (a
/// page offline for hours flapping its focus is one story, not thousands).
const MAX_UNSENT: usize = 200;

/// What the page is doing, as far as reports go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Watch {
    /// Local time the page was hidden, once reported.
    hidden_since: Option<Millis>,
    /// Local time the window lost the focus, and whether it was reported.
    blurred_since: Option<(Millis, bool)>,
    /// The page is in full screen.
    pub(super) fullscreen: bool,
    /// This tab was reloaded mid-attempt; reported after the welcome.
    reload_to_report: bool,
}

impl ExamState {
    /// Whether a new report may start: the attempt is working here.
    fn watching(&self) -> bool {
        self.working() && self.paper.is_some()
    }

    /// Queues `msg` and sends what the link takes.
    fn queue(&mut self, msg: StudentToRelay) {
        if self.read_only() {
            return;
        }
        if self.unsent.len() >= MAX_UNSENT {
            self.unsent.remove(0);
        }
        self.unsent.push(msg);
        self.flush_unsent();
    }

    /// Sends the waiting signals and receipts, oldest first, until the link
    /// refuses one.
    pub(super) fn flush_unsent(&mut self) {
        let sent = self.unsent.iter().take_while(|msg| self.send(msg)).count();
        self.unsent.drain(..sent);
    }

    fn signal(&mut self, signal: Signal) {
        self.queue(StudentToRelay::Signal { signal });
    }

    // ------------------------------------------------------------ messages

    pub(super) fn add_message(&mut self, message: StudentMessage) {
        if !self.messages.iter().any(|m| m.id == message.id) {
            self.messages.push(message);
        }
    }

    /// The welcome's unread messages replace ours, but for those whose
    /// receipt is still waiting to go out.
    pub(super) fn welcome_messages(&mut self, messages: Vec<StudentMessage>) {
        let receipt_waiting = |id: u64| {
            self.unsent
                .iter()
                .any(|m| matches!(m, StudentToRelay::Seen { message } if *message == id))
        };
        let unread: Vec<StudentMessage> = messages
            .into_iter()
            .filter(|m| !receipt_waiting(m.id))
            .collect();
        self.messages = unread;
    }

    pub(super) fn message_seen(&mut self, id: u64) {
        let before = self.messages.len();
        self.messages.retain(|m| m.id != id);
        if self.messages.len() < before {
            self.queue(StudentToRelay::Seen { message: id });
        }
    }

    // ------------------------------------------------------------ the page

    pub(super) fn page_hidden(&mut self, hidden: bool, at: Millis) {
        if hidden {
            // A blur on its way out (the tab switch itself) is part of this;
            // one already reported ends here.
            if let Some((since, reported)) = self.watch.blurred_since.take()
                && reported
            {
                self.signal(Signal::WindowBlurred {
                    ms: Some((at - since).max(0)),
                });
            }
            if self.watch.hidden_since.is_none() && self.watching() {
                self.watch.hidden_since = Some(at);
                self.signal(Signal::TabHidden { ms: None });
            }
        } else if let Some(since) = self.watch.hidden_since.take() {
            self.signal(Signal::TabHidden {
                ms: Some((at - since).max(0)),
            });
        }
    }

    pub(super) fn window_focus(&mut self, focused: bool, at: Millis) {
        if focused {
            if let Some((since, true)) = self.watch.blurred_since.take() {
                self.signal(Signal::WindowBlurred {
                    ms: Some((at - since).max(0)),
                });
            }
            self.watch.blurred_since = None;
        } else if self.watch.hidden_since.is_none() && self.watch.blurred_since.is_none() {
            self.watch.blurred_since = Some((at, false));
        }
    }

    /// Reports a blur that outlasted a tab switch (called every tick).
    pub(super) fn settle_blur(&mut self, now: Millis) {
        if let Some((since, false)) = self.watch.blurred_since
            && now - since >= BLUR_SETTLE_MS
        {
            if self.watching() {
                self.watch.blurred_since = Some((since, true));
                self.signal(Signal::WindowBlurred { ms: None });
            } else {
                self.watch.blurred_since = None;
            }
        }
    }

    pub(super) fn fullscreen(&mut self, on: bool) {
        let left = self.watch.fullscreen && !on;
        self.watch.fullscreen = on;
        if left && self.fullscreen_asked && self.watching() {
            self.signal(Signal::FullscreenLeft);
        }
    }

    pub(super) fn pasted(&mut self, question: QuestionId) {
        let numeric = self
            .paper
            .as_ref()
            .and_then(|p| p.question(question))
            .is_some_and(|q| q.body == PaperBody::Numeric);
        if numeric && self.watching() {
            self.signal(Signal::PasteIntoNumeric { question });
        }
    }

    pub(super) fn reloaded(&mut self) {
        self.watch.reload_to_report = true;
        if self.link.is_live() {
            self.report_reload();
        }
    }

    /// After a welcome: a reload is reported once, if the attempt still
    /// works (a reload on the result page is nothing to look at).
    pub(super) fn report_reload(&mut self) {
        if !std::mem::take(&mut self.watch.reload_to_report) {
            return;
        }
        if self.status() == AttemptStatus::Working && self.result.is_none() {
            self.signal(Signal::Reloaded);
        }
    }
}
