//! What a proctor sees: one row per candidate, grouped by room.

use serde::{Deserialize, Serialize};

use crate::Millis;
use crate::attempt::AttemptStatus;
use crate::checkin::{CheckinCounts, CheckinView};
use crate::points::Mark10;

/// Candidate status as the proctor views show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    NotStarted,
    Working,
    /// Working, but no live connection from the student's browser.
    Disconnected,
    /// Submitted by the student or closed at the deadline; graded.
    Submitted,
}

impl RowStatus {
    pub const ALL: [RowStatus; 4] = [
        RowStatus::NotStarted,
        RowStatus::Working,
        RowStatus::Disconnected,
        RowStatus::Submitted,
    ];

    /// The wire name (`"not_started"`), as in JSON and `data-status`.
    pub fn as_str(self) -> &'static str {
        match self {
            RowStatus::NotStarted => "not_started",
            RowStatus::Working => "working",
            RowStatus::Disconnected => "disconnected",
            RowStatus::Submitted => "submitted",
        }
    }

    pub fn derive(attempt: AttemptStatus, connected: bool) -> Self {
        match attempt {
            AttemptStatus::NotStarted => RowStatus::NotStarted,
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
    /// Present once the attempt is final.
    pub mark: Option<Mark10>,
}

/// A room with its candidates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomView {
    pub room_id: u64,
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
            RowStatus::derive(A::NotStarted, true),
            RowStatus::NotStarted
        );
        assert_eq!(RowStatus::derive(A::Working, true), RowStatus::Working);
        assert_eq!(
            RowStatus::derive(A::Working, false),
            RowStatus::Disconnected
        );
        assert_eq!(RowStatus::derive(A::Closed, false), RowStatus::Submitted);
        assert_eq!(RowStatus::derive(A::Submitted, true), RowStatus::Submitted);
    }
}
