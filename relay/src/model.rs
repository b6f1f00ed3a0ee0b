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
pub type EventId = u64;

/// SHA-256 of a bearer token; the token itself is never stored.
pub type TokenHash = [u8; 32];

/// An exam event the office plans ("kỳ thi"); its shifts are sittings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExamEvent {
    pub id: EventId,
    pub name: String,
    pub subject: String,
    pub created_at: Millis,
    /// Once set, results are handed in and change only by corrections.
    pub published_at: Option<Millis>,
}

/// A site ("điểm thi"), usually a school.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub id: SiteId,
    pub name: String,
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Room {
    pub id: RoomId,
    pub site_id: SiteId,
    pub name: String,
    /// Seats (working computers): automatic allocation fills up to this.
    pub seats: u32,
}

/// One scheduled run of an exam: a shift ("ca thi") of an event, or a
/// stand-alone sitting (the demo).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sitting {
    pub id: SittingId,
    pub exam_id: String,
    /// Before this the exam content is not served.
    pub opens_at: Millis,
    /// No attempt may start past this, and none runs past it unless a
    /// proctor gave extra time or paused it.
    pub closes_at: Millis,
    /// Working time of one attempt.
    pub duration_ms: Millis,
    pub event_id: Option<EventId>,
    /// The shift's name ("Ca 1"); empty for a stand-alone sitting.
    pub shift: String,
    /// The shift's rooms admit candidates by chip-ID check-in only: every
    /// join code made for it says so.
    pub requires_card: bool,
    /// A practice exam's rules (tries, which counts); `None` for an exam.
    pub practice: Option<examgate_shared::bank::api::PracticeRules>,
    /// The office's absolute end: no attempt works past it, extra time and
    /// pauses included.
    pub hard_stop: Option<Millis>,
    /// The exam page asks for full screen and reports leaving it.
    pub fullscreen: bool,
}

impl Sitting {
    /// A sitting outside any planned event (the demo's, a rehearsal's):
    /// typed-name rooms, no card, no practice rules, no hard stop, no full
    /// screen. Its id is given when it is stored.
    pub fn stand_alone(
        exam_id: &str,
        opens_at: Millis,
        closes_at: Millis,
        duration_ms: Millis,
    ) -> Sitting {
        Sitting {
            id: 0,
            exam_id: exam_id.to_string(),
            opens_at,
            closes_at,
            duration_ms,
            event_id: None,
            shift: String::new(),
            requires_card: false,
            practice: None,
            hard_stop: None,
            fullscreen: false,
        }
    }
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
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RosterEntry {
    pub id: u64,
    pub sitting_id: SittingId,
    pub room_id: RoomId,
    /// The 12-digit personal ID on the chip card (CCCD).
    pub person_id: Option<String>,
    /// `YYYY-MM-DD`.
    pub birth: Option<String>,
    /// NFC, as the school wrote it.
    pub name: String,
    /// Số báo danh: links the person across every list and export.
    pub candidate_number: Option<String>,
    /// The MOET pupil ID.
    pub pupil_id: Option<String>,
    pub class: String,
    pub school: String,
    pub seat: Option<u32>,
}

/// The candidate key of a registered candidate who joined by number.
pub fn number_key(candidate_number: &str) -> String {
    format!("sbd:{candidate_number}")
}

/// A CCCD number shown outside check-in (printouts, exports, messages,
/// logs): its last four digits only.
pub fn masked_id(person_id: &str) -> String {
    let n = person_id.chars().count();
    format!(
        "{}{}",
        "•".repeat(n.saturating_sub(4)),
        last_four(person_id)
    )
}

/// The last four characters of a CCCD number (all of a shorter one): what
/// masks keep.
pub fn last_four(person_id: &str) -> &str {
    let skip = person_id.chars().count().saturating_sub(4);
    person_id
        .char_indices()
        .nth(skip)
        .map_or("", |(at, _)| &person_id[at..])
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: CandidateId,
    pub sitting_id: SittingId,
    pub room_id: RoomId,
    pub name: String,
    /// Unique per room: [`name_key`] of a typed name,
    /// [`crate::at_rest::AtRest::card_key`] of a checked-in card, or
    /// [`number_key`] of a registered candidate.
    pub key: String,
    /// The roster's số báo danh, when the candidate was registered.
    pub candidate_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub username: String,
    pub password_hash: String,
    pub role: Role,
    /// The one room a room proctor watches.
    pub room_id: Option<RoomId>,
    /// The one site a site's staff see; `None` with no room: everything.
    pub site_id: Option<SiteId>,
    pub display_name: String,
    /// A disabled account cannot sign in; its sessions end.
    pub disabled: bool,
    /// A teacher's subject: the bank questions they see and edit.
    pub subject: String,
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
        Role::ExamOffice => "exam_office",
    }
}

pub fn parse_role(s: &str) -> Option<Role> {
    match s {
        "room_proctor" => Some(Role::RoomProctor),
        "central_proctor" => Some(Role::CentralProctor),
        "teacher" => Some(Role::Teacher),
        "exam_office" => Some(Role::ExamOffice),
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
    fn masks_keep_the_last_four() {
        assert_eq!(masked_id("001206012345"), "••••••••2345");
        assert_eq!(masked_id("12"), "12");
    }

    #[test]
    fn roles_round_trip() {
        for r in [
            Role::RoomProctor,
            Role::CentralProctor,
            Role::Teacher,
            Role::ExamOffice,
        ] {
            assert_eq!(parse_role(role_name(r)), Some(r));
        }
    }
}
