//! What a proctor sees: one row per candidate, grouped by room.

use serde::{Deserialize, Serialize};

use crate::Millis;
use crate::attempt::AttemptStatus;
use crate::checkin::{CheckinCounts, CheckinView};
use crate::integrity::Warning;
use crate::points::Mark10;
use crate::proctoring::{Incident, SentMessage};

/// Candidate status as the proctor views show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    /// Registered (or known), no attempt yet.
    NotStarted,
    /// Let in (joined, or checked in with the card) but the exam page has
    /// not started the attempt yet.
    CheckedIn,
    Working,
    /// Working, but no live connection from the student's browser.
    Disconnected,
    /// Working, clock stopped by a proctor.
    Paused,
    /// Submitted by the student or closed at the deadline; graded.
    Submitted,
}

impl RowStatus {
    pub const ALL: [RowStatus; 6] = [
        RowStatus::NotStarted,
        RowStatus::CheckedIn,
        RowStatus::Working,
        RowStatus::Disconnected,
        RowStatus::Paused,
        RowStatus::Submitted,
    ];

    /// The wire name (`"not_started"`), as in JSON and `data-status`.
    pub fn as_str(self) -> &'static str {
        match self {
            RowStatus::NotStarted => "not_started",
            RowStatus::CheckedIn => "checked_in",
            RowStatus::Working => "working",
            RowStatus::Disconnected => "disconnected",
            RowStatus::Paused => "paused",
            RowStatus::Submitted => "submitted",
        }
    }

    /// The status of a candidate's existing attempt.
    pub fn derive(attempt: AttemptStatus, connected: bool, paused: bool) -> Self {
        match attempt {
            AttemptStatus::NotStarted => RowStatus::CheckedIn,
            AttemptStatus::Working if paused => RowStatus::Paused,
            AttemptStatus::Working if connected => RowStatus::Working,
            AttemptStatus::Working => RowStatus::Disconnected,
            AttemptStatus::Submitted | AttemptStatus::Closed => RowStatus::Submitted,
        }
    }
}

/// One candidate in a proctor's table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateRow {
    pub candidate_id: u64,
    /// Số báo danh of a registered candidate: tells two of the same name
    /// apart in every list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidate_number: Option<String>,
    pub name: String,
    pub status: RowStatus,
    pub answered: u32,
    pub total: u32,
    /// Relay time; the view counts down to it with its synced clock.
    pub deadline_ms: Option<Millis>,
    pub last_activity_ms: Option<Millis>,
    /// Present once the attempt is final: the 10-point mark in tenths
    /// (`85` is 8.5).
    pub mark: Option<Mark10>,
    /// Extra time granted, in total.
    #[serde(default)]
    pub extra_ms: Millis,
    /// While paused: the working time left, frozen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remaining_ms: Option<Millis>,
    /// Integrity warnings so far (follow-up reports not counted).
    #[serde(default)]
    pub warnings: u32,
    /// The newest warning, shown on the row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_warning: Option<Warning>,
}

/// A room with its candidates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomView {
    pub room_id: u64,
    #[serde(default)]
    pub site_id: u64,
    pub site: String,
    pub name: String,
    pub exam_title: String,
    pub rows: Vec<CandidateRow>,
    /// Candidates enter only by chip-ID check-in.
    #[serde(default)]
    pub requires_card: bool,
    /// The code students type for this room (proctors hand it out; the
    /// proctor station needs it).
    #[serde(default)]
    pub join_code: Option<String>,
    /// Check-ins of this room, newest last.
    #[serde(default)]
    pub checkins: Vec<CheckinView>,
    #[serde(default)]
    pub checkin_counts: CheckinCounts,
    /// Incidents recorded in this room, oldest first.
    #[serde(default)]
    pub incidents: Vec<Incident>,
    /// Messages proctors sent to the room or its candidates, oldest first.
    #[serde(default)]
    pub messages: Vec<SentMessage>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_match_serde() {
        for status in RowStatus::ALL {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
    }

    #[test]
    fn status_derivation() {
        use AttemptStatus as A;
        assert_eq!(
            RowStatus::derive(A::NotStarted, true, false),
            RowStatus::CheckedIn
        );
        assert_eq!(
            RowStatus::derive(A::Working, true, false),
            RowStatus::Working
        );
        assert_eq!(
            RowStatus::derive(A::Working, false, false),
            RowStatus::Disconnected
        );
        assert_eq!(
            RowStatus::derive(A::Working, false, true),
            RowStatus::Paused,
            "paused shows over disconnected"
        );
        assert_eq!(
            RowStatus::derive(A::Closed, false, false),
            RowStatus::Submitted
        );
        assert_eq!(
            RowStatus::derive(A::Submitted, true, false),
            RowStatus::Submitted
        );
    }
}
