//! What the office's forms hold while being filled in, and the request each
//! makes. A field the relay would refuse is caught here first, with a
//! message that names it; the relay checks everything again.

use examgate_shared::office::Date;
use examgate_shared::office::api::{
    MIN_PASSWORD_CHARS, NewAccount, NewEvent, NewRoom, NewShift, NewSite, SetupRequest, parse_clock,
};
use examgate_shared::protocol::Role;

use super::texts::OfficeText;

/// Latest hard stop after a shift's start, in minutes (the relay's limit).
const MAX_HARD_STOP_MINUTES: u32 = 1_440;

/// Most minutes a shift may last (a whole school day).
pub const MAX_MINUTES: u32 = 600;
/// Most seats a room may have.
pub const MAX_SEATS: u32 = 500;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventDraft {
    pub name: String,
    pub subject: String,
}

impl EventDraft {
    pub fn request(&self) -> Result<NewEvent, OfficeText> {
        Ok(NewEvent {
            name: required(&self.name)?,
            subject: self.subject.trim().to_owned(),
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteDraft {
    pub name: String,
    pub code: String,
}

impl SiteDraft {
    pub fn request(&self) -> Result<NewSite, OfficeText> {
        Ok(NewSite {
            name: required(&self.name)?,
            code: self.code.trim().to_owned(),
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoomDraft {
    pub name: String,
    /// Empty means the national norm of 24.
    pub seats: String,
}

impl RoomDraft {
    pub fn request(&self, site_id: u64) -> Result<NewRoom, OfficeText> {
        let name = required(&self.name)?;
        let seats = match self.seats.trim() {
            "" => 24,
            text => text
                .parse()
                .ok()
                .filter(|n| (1..=MAX_SEATS).contains(n))
                .ok_or(OfficeText::BadSeats)?,
        };
        Ok(NewRoom {
            site_id,
            name,
            seats,
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ShiftDraft {
    pub name: String,
    /// `dd/mm/yyyy`.
    pub date: String,
    /// `HH:MM`.
    pub start: String,
    pub minutes: String,
    /// Minutes after the start past which nothing works, extra time
    /// included; empty: no hard stop.
    pub hard_stop: String,
    pub exam_id: String,
    pub requires_card: bool,
    pub fullscreen: bool,
    pub room_ids: Vec<u64>,
}

impl ShiftDraft {
    /// The request, with the date and time as the relay reads them
    /// (`15/12/2026`, `07:30`) whatever way they were typed.
    pub fn request(&self) -> Result<NewShift, OfficeText> {
        let name = required(&self.name)?;
        let date = Date::parse_text(self.date.trim()).map_err(|_| OfficeText::BadDate)?;
        let (hour, minute) = parse_clock(&self.start).ok_or(OfficeText::BadTime)?;
        let minutes = self
            .minutes
            .trim()
            .parse()
            .ok()
            .filter(|m| (1..=MAX_MINUTES).contains(m))
            .ok_or(OfficeText::BadMinutes)?;
        let hard_stop_minutes = match self.hard_stop.trim() {
            "" => None,
            typed => Some(
                typed
                    .parse::<u32>()
                    .ok()
                    .filter(|h| (minutes..=MAX_HARD_STOP_MINUTES).contains(h))
                    .ok_or(OfficeText::BadHardStop)?,
            ),
        };
        if self.exam_id.is_empty() {
            return Err(OfficeText::NeedPaper);
        }
        Ok(NewShift {
            name,
            date: date.dmy(),
            start: format!("{hour:02}:{minute:02}"),
            minutes,
            hard_stop_minutes,
            fullscreen: self.fullscreen,
            exam_id: self.exam_id.clone(),
            requires_card: self.requires_card,
            room_ids: self.room_ids.clone(),
        })
    }

    /// Ready for the event's next shift: same day, paper, minutes and
    /// entry rule (the `<select>` keeps showing the paper anyway).
    pub fn clear_for_next(&mut self) {
        self.name.clear();
        self.start.clear();
        self.room_ids.clear();
    }

    /// Ticks or unticks a room.
    pub fn toggle_room(&mut self, room_id: u64) {
        if let Some(at) = self.room_ids.iter().position(|&r| r == room_id) {
            self.room_ids.remove(at);
        } else {
            self.room_ids.push(room_id);
        }
    }
}

/// The roles the office hands out, in the order the form lists them.
pub const ROLES: [Role; 4] = [
    Role::RoomProctor,
    Role::CentralProctor,
    Role::Teacher,
    Role::ExamOffice,
];

/// A role's wire name (the `<option>` value).
pub fn role_code(role: Role) -> &'static str {
    match role {
        Role::RoomProctor => "room_proctor",
        Role::CentralProctor => "central_proctor",
        Role::Teacher => "teacher",
        Role::ExamOffice => "exam_office",
    }
}

pub fn role_from_code(code: &str) -> Option<Role> {
    ROLES.into_iter().find(|&r| role_code(r) == code)
}

#[derive(Debug, Clone, PartialEq)]
pub struct AccountDraft {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub site_id: Option<u64>,
    pub room_id: Option<u64>,
    /// A teacher's subject: the bank questions they see and edit.
    pub subject: String,
}

impl Default for AccountDraft {
    fn default() -> Self {
        AccountDraft {
            username: String::new(),
            display_name: String::new(),
            role: Role::RoomProctor,
            site_id: None,
            room_id: None,
            subject: String::new(),
        }
    }
}

impl AccountDraft {
    pub fn request(&self) -> Result<NewAccount, OfficeText> {
        let username = self.username.trim();
        if username.is_empty() || username.chars().any(char::is_whitespace) {
            return Err(OfficeText::BadUsername);
        }
        let display_name = required(&self.display_name)?;
        if self.role == Role::RoomProctor && self.room_id.is_none() {
            return Err(OfficeText::NeedRoom);
        }
        Ok(NewAccount {
            username: username.to_owned(),
            display_name,
            role: self.role,
            site_id: self.site_id,
            // A room belongs to the site chosen; none without one.
            room_id: self.site_id.and(self.room_id),
            // Only a teacher has a subject.
            subject: if self.role == Role::Teacher {
                self.subject.trim().to_owned()
            } else {
                String::new()
            },
        })
    }

    /// Ready for the next person with the same role, site and room.
    pub fn clear_person(&mut self) {
        self.username.clear();
        self.display_name.clear();
    }

    /// Another site: the room chosen for the old one no longer fits.
    pub fn set_site(&mut self, site_id: Option<u64>) {
        if site_id != self.site_id {
            self.site_id = site_id;
            self.room_id = None;
        }
    }
}

/// The one-time set-up form: the first exam-office account.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SetupDraft {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub confirm: String,
}

impl SetupDraft {
    pub fn request(&self, token: &str) -> Result<SetupRequest, OfficeText> {
        let username = self.username.trim();
        if username.is_empty() || username.chars().any(char::is_whitespace) {
            return Err(OfficeText::BadUsername);
        }
        let display_name = required(&self.display_name)?;
        if self.password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(OfficeText::PasswordShort(MIN_PASSWORD_CHARS));
        }
        if self.password != self.confirm {
            return Err(OfficeText::PasswordMismatch);
        }
        Ok(SetupRequest {
            token: token.to_owned(),
            username: username.to_owned(),
            display_name,
            password: self.password.clone(),
        })
    }
}

/// The token of a set-up link's query (`?setup=TOKEN`), if any.
pub fn setup_token(search: &str) -> Option<String> {
    crate::routes::query_param(search, "setup")
}

fn required(text: &str) -> Result<String, OfficeText> {
    let text = text.trim();
    if text.is_empty() {
        Err(OfficeText::NeedName)
    } else {
        Ok(text.to_owned())
    }
}

#[cfg(test)]
#[path = "drafts_tests.rs"]
mod tests;
