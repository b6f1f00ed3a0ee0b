//! Integrity signals: what a proctor should know about, shown as warnings on
//! the candidate's row and timeline, never acted on automatically.
//!
//! The student's page reports what only the browser sees (the page hidden,
//! the window left, full screen left, a paste into a numeric answer, a
//! reload); the relay adds what only it sees (the connection lost, a second
//! connection for the same attempt, the address or browser changing). A
//! page cannot be trusted to report on itself, so a missing signal proves
//! nothing; a present one is a reason to look.

use serde::{Deserialize, Serialize};

use crate::Millis;
use crate::exam::QuestionId;

/// Longest user-agent text kept with a warning.
pub const MAX_AGENT_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Signal {
    /// The exam page was hidden (another tab, window or program). Sent when
    /// it happens with `ms: null`, and again when the page is back with how
    /// long it was away.
    TabHidden { ms: Option<Millis> },
    /// The browser window lost the focus while the page stayed visible
    /// (another window on top); same two-step reporting as `tab_hidden`.
    WindowBlurred { ms: Option<Millis> },
    /// The page left full screen in a room that asks for it.
    FullscreenLeft,
    /// Text was pasted into a numeric answer.
    PasteIntoNumeric { question: QuestionId },
    /// The page was loaded again while the attempt was working.
    Reloaded,
    /// Relay: the working attempt's connection dropped.
    NetworkLost,
    /// Relay: a second connection took over the attempt (another tab or
    /// computer with the same token).
    SecondConnection,
    /// Relay: the attempt's connection comes from another address.
    AddressChanged { from: String, to: String },
    /// Relay: the attempt's connection comes from another browser.
    AgentChanged { from: String, to: String },
}

impl Signal {
    /// The wire name (`"tab_hidden"`), as in JSON and `data-warning`.
    pub fn name(&self) -> &'static str {
        match self {
            Signal::TabHidden { .. } => "tab_hidden",
            Signal::WindowBlurred { .. } => "window_blurred",
            Signal::FullscreenLeft => "fullscreen_left",
            Signal::PasteIntoNumeric { .. } => "paste_into_numeric",
            Signal::Reloaded => "reloaded",
            Signal::NetworkLost => "network_lost",
            Signal::SecondConnection => "second_connection",
            Signal::AddressChanged { .. } => "address_changed",
            Signal::AgentChanged { .. } => "agent_changed",
        }
    }

    /// Whether a student's page may send this signal; the others only the
    /// relay observes (a page claiming them is refused).
    pub fn from_page(&self) -> bool {
        matches!(
            self,
            Signal::TabHidden { .. }
                | Signal::WindowBlurred { .. }
                | Signal::FullscreenLeft
                | Signal::PasteIntoNumeric { .. }
                | Signal::Reloaded
        )
    }

    /// Whether this report is the "back after `ms`" half of one already
    /// counted: it adds the duration, not a warning.
    pub fn is_follow_up(&self) -> bool {
        matches!(
            self,
            Signal::TabHidden { ms: Some(_) } | Signal::WindowBlurred { ms: Some(_) }
        )
    }
}

/// A signal with the relay time it arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub at: Millis,
    #[serde(flatten)]
    pub signal: Signal,
}

/// A candidate's warnings as their row shows them: how many, and the
/// newest. A follow-up ("back after 12 s") updates the newest warning's
/// duration instead of counting again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub count: u32,
    pub last: Option<Warning>,
}

impl Tally {
    pub fn add(&mut self, warning: Warning) {
        if !warning.signal.is_follow_up() {
            self.count += 1;
        }
        self.last = Some(warning);
    }
}

/// Page signals kept per attempt per minute: far more than a student
/// switching windows produces, far fewer than a script flooding the
/// proctors' views with row updates.
pub const PAGE_SIGNALS_PER_MINUTE: u32 = 30;

/// How many page signals an attempt may still report in the current
/// minute (a fixed window from its first signal).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SignalBudget {
    window_start: Option<Millis>,
    used: u32,
}

impl SignalBudget {
    /// Whether a signal arriving at `now` is kept (and counts).
    pub fn take(&mut self, now: Millis) -> bool {
        if self.window_start.is_none_or(|start| now - start >= 60_000) {
            self.window_start = Some(now);
            self.used = 0;
        }
        if self.used >= PAGE_SIGNALS_PER_MINUTE {
            return false;
        }
        self.used += 1;
        true
    }
}

/// Cuts a user-agent text to [`MAX_AGENT_CHARS`] characters.
pub fn short_agent(agent: &str) -> String {
    agent.chars().take(MAX_AGENT_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_shape_and_names_agree() {
        let all = [
            Signal::TabHidden { ms: None },
            Signal::WindowBlurred { ms: Some(4_000) },
            Signal::FullscreenLeft,
            Signal::PasteIntoNumeric {
                question: QuestionId(3),
            },
            Signal::Reloaded,
            Signal::NetworkLost,
            Signal::SecondConnection,
            Signal::AddressChanged {
                from: "10.0.0.1".into(),
                to: "10.0.0.2".into(),
            },
            Signal::AgentChanged {
                from: "a".into(),
                to: "b".into(),
            },
        ];
        for s in &all {
            let json = serde_json::to_value(s).unwrap();
            assert_eq!(json["kind"], s.name());
            assert_eq!(&serde_json::from_value::<Signal>(json).unwrap(), s);
        }
        assert_eq!(all.iter().filter(|s| s.from_page()).count(), 5);
        let w = Warning {
            at: 7,
            signal: Signal::TabHidden { ms: Some(1_500) },
        };
        assert_eq!(
            serde_json::to_string(&w).unwrap(),
            r#"{"at":7,"kind":"tab_hidden","ms":1500}"#
        );
        assert!(w.signal.is_follow_up());
        assert!(!Signal::TabHidden { ms: None }.is_follow_up());
    }

    #[test]
    fn follow_ups_do_not_count_again() {
        let mut t = Tally::default();
        t.add(Warning {
            at: 1,
            signal: Signal::TabHidden { ms: None },
        });
        t.add(Warning {
            at: 9,
            signal: Signal::TabHidden { ms: Some(8) },
        });
        t.add(Warning {
            at: 10,
            signal: Signal::Reloaded,
        });
        assert_eq!(t.count, 2);
        assert_eq!(t.last.unwrap().signal, Signal::Reloaded);
    }

    #[test]
    fn a_flood_of_page_signals_is_cut_per_minute() {
        let mut b = SignalBudget::default();
        let kept = (0..100).filter(|i| b.take(1_000 + i)).count();
        assert_eq!(kept, PAGE_SIGNALS_PER_MINUTE as usize);
        assert!(!b.take(60_999), "still the minute that began at 1 000");
        assert!(b.take(61_000), "a new minute");
    }

    #[test]
    fn agents_are_cut_on_a_character_boundary() {
        let long = "ư".repeat(MAX_AGENT_CHARS + 5);
        assert_eq!(short_agent(&long).chars().count(), MAX_AGENT_CHARS);
    }
}
