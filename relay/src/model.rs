//! The relay's records: what is stored in SQLite and held in memory.
//!
//! The attempt's own state machine is `examgate_shared::attempt::Attempt`;
//! these types only add who, where and when around it.

use examgate_shared::Millis;
use examgate_shared::protocol::Role;

pub type SiteId = u64;
pub type RoomId = u64;
pub type SittingId = u64;
pub type CandidateId = u64;
pub type AttemptId = u64;

/// SHA-256 of a bearer token; the token itself is never stored.
pub type TokenHash = [u8; 32];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub id: SiteId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Room {
    pub id: RoomId,
    pub site_id: SiteId,
    pub name: String,
}

/// One scheduled run of an exam.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sitting {
    pub id: SittingId,
    pub exam_id: String,
    /// Before this the exam content is not served.
    pub opens_at: Millis,
    /// No attempt may start, or run, past this.
    pub closes_at: Millis,
    /// Working time of one attempt.
    pub duration_ms: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinCode {
    pub code: String,
    pub sitting_id: SittingId,
    pub room_id: RoomId,
    /// Candidates enter this room only by chip-ID check-in or seat code.
    pub requires_card: bool,
}

/// A person the school registered for a room of a sitting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterEntry {
    pub id: u64,
    pub sitting_id: SittingId,
    pub room_id: RoomId,
    /// The 12-digit personal ID on the chip card.
    pub person_id: String,
    /// `YYYY-MM-DD`.
    pub birth: String,
    pub name: String,
}

/// The candidate key of a checked-in person: one candidate per card per
/// room, whatever the name is spelled like.
pub fn card_key(person_id: &str) -> String {
    format!("cccd:{person_id}")
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: CandidateId,
    pub sitting_id: SittingId,
    pub room_id: RoomId,
    pub name: String,
    /// Unique per room: [`name_key`] of a typed name, or [`card_key`] of a
    /// checked-in card.
    pub key: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub username: String,
    pub password_hash: String,
    pub role: Role,
    /// The one room a room proctor watches.
    pub room_id: Option<RoomId>,
    pub display_name: String,
}

/// Folds a typed name into the key that makes "Nguyễn  Văn An" and
/// "nguyễn văn an" the same candidate. Diacritics are kept: in Vietnamese
/// they tell different names apart.
pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::RoomProctor => "room_proctor",
        Role::CentralProctor => "central_proctor",
        Role::Teacher => "teacher",
    }
}

pub fn parse_role(s: &str) -> Option<Role> {
    match s {
        "room_proctor" => Some(Role::RoomProctor),
        "central_proctor" => Some(Role::CentralProctor),
        "teacher" => Some(Role::Teacher),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_key_folds_case_and_spaces_keeps_diacritics() {
        assert_eq!(name_key("  Nguyễn  Văn An "), "nguyễn văn an");
        assert_ne!(name_key("Lê Văn An"), name_key("Lê Văn Ân"));
    }

    #[test]
    fn roles_round_trip() {
        for r in [Role::RoomProctor, Role::CentralProctor, Role::Teacher] {
            assert_eq!(parse_role(role_name(r)), Some(r));
        }
    }
}
