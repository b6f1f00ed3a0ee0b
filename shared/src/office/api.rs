//! The exam office's HTTP messages (`/api/office/*`, `/api/setup`): the
//! plan as the office sees it, what it sends to add to it, and the
//! Vietnam-time arithmetic of shift start times.
//!
//! Shift times are what people write on paper ("Ca 1, 15/12/2026, 07:30"):
//! Vietnam time, UTC+7 all year (no daylight saving), turned into relay
//! milliseconds here, once.

use serde::{Deserialize, Serialize};

use crate::Millis;
use crate::office::dates::{civil_from_days, days_from_civil};
use crate::office::roster_import::RosterPreview;
use crate::protocol::Role;

/// Vietnam's offset from UTC (Asia/Ho_Chi_Minh has no daylight saving).
pub const VIETNAM_OFFSET_MS: Millis = 7 * 3_600_000;

/// Most candidates one roster import may add (a province-wide exam fits).
pub const MAX_ROSTER_ROWS: usize = 200_000;

/// Largest roster file the relay reads (XLSX, XLS or CSV).
pub const MAX_ROSTER_BYTES: usize = 32 * 1024 * 1024;

/// Relay milliseconds of a Vietnam wall-clock time.
pub fn vietnam_millis(y: i32, m: u32, d: u32, hour: u32, minute: u32) -> Millis {
    days_from_civil(i64::from(y), i64::from(m), i64::from(d)) * 86_400_000
        + i64::from(hour * 60 + minute) * 60_000
        - VIETNAM_OFFSET_MS
}

/// `dd/mm/yyyy HH:MM` in Vietnam time, as forms and printouts show it.
pub fn vietnam_text(ms: Millis) -> String {
    let local = ms + VIETNAM_OFFSET_MS;
    let (y, m, d) = civil_from_days(local.div_euclid(86_400_000));
    let minutes = local.rem_euclid(86_400_000) / 60_000;
    format!(
        "{d:02}/{m:02}/{y:04} {:02}:{:02}",
        minutes / 60,
        minutes % 60
    )
}

/// ISO 8601 with Vietnam's offset: `2026-12-15T07:30:00+07:00`.
pub fn vietnam_iso(ms: Millis) -> String {
    let local = ms + VIETNAM_OFFSET_MS;
    let (y, m, d) = civil_from_days(local.div_euclid(86_400_000));
    let secs = local.rem_euclid(86_400_000) / 1000;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+07:00",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// `HH:MM` (24-hour) as typed: `7:30`, `07:30`, `7h30`.
pub fn parse_clock(text: &str) -> Option<(u32, u32)> {
    let text = text.trim().to_lowercase();
    let (h, m) = text.split_once([':', 'h'])?;
    let (h, m): (u32, u32) = (h.trim().parse().ok()?, m.trim().parse().ok()?);
    (h < 24 && m < 60).then_some((h, m))
}

// ---- the plan as the office sees it ------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanView {
    pub events: Vec<EventView>,
    pub sites: Vec<SiteView>,
    pub papers: Vec<PaperView>,
    pub accounts: Vec<AccountView>,
}

/// An exam event ("kỳ thi") with its shifts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub id: u64,
    pub name: String,
    pub subject: String,
    /// When the results were published (then they change only through a
    /// correction of the key).
    pub published_at: Option<Millis>,
    /// The same, as Vietnam time (`dd/mm/yyyy HH:MM`).
    pub published: Option<String>,
    pub shifts: Vec<ShiftView>,
}

/// A shift ("ca thi"): one sitting of the event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftView {
    pub sitting_id: u64,
    pub name: String,
    pub exam_id: String,
    pub exam_title: String,
    pub opens_at: Millis,
    pub closes_at: Millis,
    pub duration_ms: Millis,
    /// `dd/mm/yyyy HH:MM`, Vietnam time.
    pub starts: String,
    /// Its rooms admit candidates by chip-ID check-in only.
    #[serde(default)]
    pub requires_card: bool,
    /// The office's hard stop (relay ms): no attempt works past it.
    #[serde(default)]
    pub hard_stop: Option<Millis>,
    /// The exam page asks for full screen.
    #[serde(default)]
    pub fullscreen: bool,
    pub codes: Vec<JoinCodeView>,
    pub registered: u32,
}

/// `POST /api/office/codes/{code}`: whether this room of a shift admits
/// candidates only by chip-ID check-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardRoomRequest {
    pub requires_card: bool,
}

/// A room of a shift, with the code its candidates type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinCodeView {
    pub code: String,
    pub room_id: u64,
    pub room: String,
    pub site: String,
    pub requires_card: bool,
    pub registered: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteView {
    pub id: u64,
    pub name: String,
    pub code: String,
    pub rooms: Vec<RoomInfo>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomInfo {
    pub id: u64,
    pub name: String,
    pub seats: u32,
}

/// A paper (exam definition) a shift can use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperView {
    pub id: String,
    pub title: String,
    pub questions: u32,
    pub duration_secs: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub site_id: Option<u64>,
    pub room_id: Option<u64>,
    pub disabled: bool,
}

// ---- what the office sends ---------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEvent {
    pub name: String,
    #[serde(default)]
    pub subject: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSite {
    pub name: String,
    #[serde(default)]
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRoom {
    pub site_id: u64,
    pub name: String,
    /// Seats (working computers); 24 when absent, the national norm.
    #[serde(default = "default_seats")]
    pub seats: u32,
}

fn default_seats() -> u32 {
    24
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewShift {
    /// "Ca 1".
    pub name: String,
    /// `dd/mm/yyyy` (or `yyyy-mm-dd`), Vietnam time.
    pub date: String,
    /// `HH:MM`, Vietnam time: the exam opens then.
    pub start: String,
    /// Working time; every attempt of the shift ends at start + minutes,
    /// unless a proctor gives extra time or pauses it.
    pub minutes: u32,
    /// Minutes after the start past which no attempt works, extra time and
    /// pauses included (the office's hard stop). `None`: no hard stop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hard_stop_minutes: Option<u32>,
    /// The exam page asks for full screen and reports leaving it.
    #[serde(default)]
    pub fullscreen: bool,
    /// The paper this shift sits (another shift may sit another).
    pub exam_id: String,
    /// Candidates enter only by chip-ID check-in.
    #[serde(default)]
    pub requires_card: bool,
    /// Rooms that get a join code now (the roster import adds the rooms
    /// it places candidates in).
    #[serde(default)]
    pub room_ids: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    #[serde(default)]
    pub site_id: Option<u64>,
    #[serde(default)]
    pub room_id: Option<u64>,
    /// A teacher's subject ("Toán"): the bank questions they see and edit.
    #[serde(default)]
    pub subject: String,
}

/// An account with its password in clear: shown once, for the slip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSlip {
    pub username: String,
    pub password: String,
    pub display_name: String,
    pub role: Role,
    /// "Phòng 01 — THPT A", "THPT A", or "" for everything.
    pub scope: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountChange {
    #[serde(default)]
    pub disabled: Option<bool>,
    #[serde(default)]
    pub reset_password: bool,
}

/// What a roster import found and did. `committed` is false for a dry run
/// and whenever `preview.errors` is not empty: nothing was stored then.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RosterImportReport {
    pub preview: RosterPreview,
    pub committed: bool,
    pub candidates: u32,
    /// Candidates who got a generated số báo danh.
    pub numbered: u32,
    /// Join codes made for the rooms this import filled.
    pub codes: Vec<JoinCodeView>,
}

/// One registered candidate, for room lists, seat cards and minutes
/// (`GET /api/office/events/{id}/roster`). The CCCD number is masked to its
/// last four digits: printouts never carry the whole number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterRow {
    pub candidate_number: Option<String>,
    pub name: String,
    /// `dd/mm/yyyy`.
    pub birth: Option<String>,
    pub class: String,
    pub site: String,
    pub room: String,
    pub room_id: u64,
    pub shift: String,
    pub sitting_id: u64,
    pub seat: Option<u32>,
    pub person_id_masked: Option<String>,
    /// The join code of the candidate's room in the candidate's shift.
    pub join_code: Option<String>,
}

/// The first exam-office account, through the one-time set-up link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupRequest {
    pub token: String,
    pub username: String,
    pub display_name: String,
    pub password: String,
}

/// Shortest password the office may choose at set-up.
pub const MIN_PASSWORD_CHARS: usize = 10;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnam_time_is_utc_plus_seven() {
        // 2026-12-15 07:30 in Hà Nội is 00:30 UTC.
        let ms = vietnam_millis(2026, 12, 15, 7, 30);
        assert_eq!(ms, 1_797_294_600_000);
        assert_eq!(vietnam_text(ms), "15/12/2026 07:30");
        // Across midnight UTC and a leap day.
        let ms = vietnam_millis(2028, 2, 29, 3, 5);
        assert_eq!(vietnam_text(ms), "29/02/2028 03:05");
        assert_eq!(vietnam_text(0), "01/01/1970 07:00");
        assert_eq!(
            vietnam_iso(vietnam_millis(2026, 12, 15, 7, 30) + 5_000),
            "2026-12-15T07:30:05+07:00"
        );
    }

    #[test]
    fn clock_times_as_typed() {
        assert_eq!(parse_clock("07:30"), Some((7, 30)));
        assert_eq!(parse_clock("7h30"), Some((7, 30)));
        assert_eq!(parse_clock(" 13:05 "), Some((13, 5)));
        assert_eq!(parse_clock("24:00"), None);
        assert_eq!(parse_clock("7:60"), None);
        assert_eq!(parse_clock("730"), None);
    }
}
