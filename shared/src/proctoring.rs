//! What proctors do and see beyond the rows: actions on attempts (with a
//! reason), incidents, messages to students, room summaries for the central
//! view, search, and a candidate's timeline. HTTP request and response
//! shapes of `/api/proctor/*` and the pieces the proctor feed carries.

use serde::{Deserialize, Serialize};

use crate::Millis;
use crate::control::Control;
use crate::integrity::Warning;
use crate::roster::RowStatus;

/// Longest reason, incident or message text, in characters.
pub const MAX_NOTE_CHARS: usize = 1_000;

/// Most rooms one proctor feed receives rows for at a time.
pub const MAX_WATCHED_ROOMS: usize = 50;

/// Whom an action or message is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "scope", rename_all = "snake_case")]
pub enum Target {
    /// One candidate (their attempt).
    Candidate { candidate_id: u64 },
    /// Every candidate of the room whose sitting (shift) is open now; the
    /// action applies to those it can and the reply lists the others.
    Room { room_id: u64 },
}

/// The actions a proctor takes on attempts. `move` issues a one-time seat
/// code for the candidate's attempt on another computer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Action {
    ExtraTime {
        minutes: u32,
    },
    Pause,
    Resume,
    End,
    /// The exam office only.
    Reopen {
        minutes: u32,
    },
    /// A candidate only: continue the same attempt on another computer.
    Move,
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Action::ExtraTime { .. } => "extra_time",
            Action::Pause => "pause",
            Action::Resume => "resume",
            Action::End => "end",
            Action::Reopen { .. } => "reopen",
            Action::Move => "move",
        }
    }

    /// The attempt control this action applies, if it is one.
    pub fn control(&self) -> Option<Control> {
        match *self {
            Action::ExtraTime { minutes } => Some(Control::ExtraTime { minutes }),
            Action::Pause => Some(Control::Pause),
            Action::Resume => Some(Control::Resume),
            Action::End => Some(Control::End),
            Action::Reopen { minutes } => Some(Control::Reopen { minutes }),
            Action::Move => None,
        }
    }
}

/// `POST /api/proctor/actions` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionRequest {
    pub target: Target,
    pub action: Action,
    /// Required: why (kept in the audit trail).
    pub reason: String,
}

/// What happened to one candidate's attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionOutcome {
    pub candidate_id: u64,
    pub name: String,
    /// `None`: applied. Otherwise why not (`not_started`, `final`, …).
    pub refused: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// `POST /api/proctor/actions` reply: per candidate, applied or why not.
/// A room action applies to those it can and lists the others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionResponse {
    pub applied: usize,
    pub outcomes: Vec<ActionOutcome>,
    /// For `move`: the seat code the candidate types on the new computer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seat_code: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentCategory {
    Technical,
    Health,
    Misconduct,
    Other,
}

impl IncidentCategory {
    pub const ALL: [IncidentCategory; 4] = [
        IncidentCategory::Technical,
        IncidentCategory::Health,
        IncidentCategory::Misconduct,
        IncidentCategory::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IncidentCategory::Technical => "technical",
            IncidentCategory::Health => "health",
            IncidentCategory::Misconduct => "misconduct",
            IncidentCategory::Other => "other",
        }
    }
}

/// `POST /api/proctor/incidents` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentRequest {
    pub room_id: u64,
    /// The candidate concerned; `None`: the room.
    #[serde(default)]
    pub candidate_id: Option<u64>,
    pub category: IncidentCategory,
    pub text: String,
}

/// An incident as proctors see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incident {
    pub id: u64,
    pub at: Millis,
    pub room_id: u64,
    pub candidate_id: Option<u64>,
    pub category: IncidentCategory,
    pub text: String,
    pub by: String,
}

/// `POST /api/proctor/messages` body: to one candidate or the whole room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageRequest {
    pub target: Target,
    pub text: String,
}

/// A message from a proctor, as the proctor view shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentMessage {
    pub id: u64,
    pub at: Millis,
    pub room_id: u64,
    /// `None`: to everyone in the room.
    pub candidate_id: Option<u64>,
    pub text: String,
    pub by: String,
    /// Candidates whose page showed it and who acknowledged it.
    pub seen_by: Vec<u64>,
}

/// A message as the student's page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentMessage {
    pub id: u64,
    pub at: Millis,
    pub text: String,
    /// Sent to the whole room rather than to this student.
    pub to_room: bool,
}

/// How many candidates of a room are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts {
    pub not_started: u32,
    pub checked_in: u32,
    pub working: u32,
    pub disconnected: u32,
    pub paused: u32,
    pub submitted: u32,
}

impl StatusCounts {
    pub fn add(&mut self, status: RowStatus) {
        let slot = match status {
            RowStatus::NotStarted => &mut self.not_started,
            RowStatus::CheckedIn => &mut self.checked_in,
            RowStatus::Working => &mut self.working,
            RowStatus::Disconnected => &mut self.disconnected,
            RowStatus::Paused => &mut self.paused,
            RowStatus::Submitted => &mut self.submitted,
        };
        *slot += 1;
    }

    pub fn total(&self) -> u32 {
        self.not_started
            + self.checked_in
            + self.working
            + self.disconnected
            + self.paused
            + self.submitted
    }
}

/// One room in the central view: counts, not rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomSummary {
    pub room_id: u64,
    pub site_id: u64,
    pub site: String,
    pub name: String,
    pub exam_title: String,
    pub requires_card: bool,
    pub counts: StatusCounts,
    /// Warnings of the room's candidates, in total.
    pub warnings: u32,
    /// Candidates with at least one warning.
    pub warned: u32,
    pub incidents: u32,
    /// Check-ins waiting for the proctor's decision.
    pub pending_checkins: u32,
}

impl RoomSummary {
    /// Rooms needing a look first: problems, then disconnections.
    pub fn trouble(&self) -> u32 {
        self.warned + self.incidents + self.pending_checkins + self.counts.disconnected
    }
}

/// `GET /api/proctor/search?q=` reply row: a candidate anywhere the session
/// may watch, found by name, số báo danh or CCCD number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub candidate_id: u64,
    pub name: String,
    pub candidate_number: Option<String>,
    pub room_id: u64,
    pub room: String,
    pub site: String,
    pub status: RowStatus,
}

/// One line of a candidate's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TimelineEvent {
    Joined,
    CheckIn {
        verdict: String,
        decision: Option<String>,
    },
    Started {
        deadline_ms: Millis,
    },
    /// An answer (its value is not shown here).
    Answer {
        seq: u64,
        question: u32,
        refused: Option<String>,
    },
    Submitted,
    /// A hand-in the relay refused (too late, already ended, paused).
    SubmitRefused {
        seq: u64,
        refused: String,
    },
    Warning {
        warning: Warning,
    },
    /// A proctor's action: `action` is its name (`extra_time`, `pause`,
    /// `resume`, `end`, `reopen`, `move`), `minutes` for extra time and
    /// reopen.
    Action {
        action: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        minutes: Option<u32>,
        by: String,
        reason: String,
    },
    Incident {
        category: IncidentCategory,
        text: String,
        by: String,
    },
    Message {
        text: String,
        seen: bool,
    },
    Closed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: Millis,
    #[serde(flatten)]
    pub event: TimelineEvent,
}

/// `GET /api/proctor/candidates/{id}` reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateDetail {
    pub candidate_id: u64,
    pub name: String,
    pub candidate_number: Option<String>,
    pub room_id: u64,
    pub warnings: Vec<Warning>,
    pub timeline: Vec<TimelineEntry>,
}

/// Checks a reason, incident or message text: trimmed, 1 to
/// [`MAX_NOTE_CHARS`] characters.
pub fn check_note(text: &str) -> Result<String, &'static str> {
    let t = text.trim();
    if t.is_empty() {
        return Err("a text is required");
    }
    if t.chars().count() > MAX_NOTE_CHARS {
        return Err("the text is longer than 1000 characters");
    }
    Ok(t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_have_a_plain_json_shape() {
        let req = ActionRequest {
            target: Target::Room { room_id: 4 },
            action: Action::ExtraTime { minutes: 10 },
            reason: "mất điện 10 phút".into(),
        };
        assert_eq!(
            serde_json::to_string(&req).unwrap(),
            r#"{"target":{"scope":"room","room_id":4},"action":{"kind":"extra_time","minutes":10},"reason":"mất điện 10 phút"}"#
        );
        assert_eq!(
            Action::Reopen { minutes: 5 }.control(),
            Some(Control::Reopen { minutes: 5 })
        );
        assert_eq!(Action::Move.control(), None);
    }

    #[test]
    fn counts_add_up_and_notes_are_checked() {
        let mut c = StatusCounts::default();
        for s in RowStatus::ALL {
            c.add(s);
        }
        assert_eq!(c.total(), RowStatus::ALL.len() as u32);
        assert_eq!(check_note("  lý do  "), Ok("lý do".into()));
        assert!(check_note("   ").is_err());
        assert!(check_note(&"x".repeat(MAX_NOTE_CHARS + 1)).is_err());
    }
}
