//! The office page's state: the plan, what each form's last request did,
//! the roster import, the account slips handed out, and the room whose
//! printouts are on show.
//!
//! Pure: the requests are made by [`super::api`], which dispatches what came
//! back, so the tests below drive every transition without a browser.

use std::collections::HashMap;
use std::rc::Rc;

use examgate_shared::error::ErrorCode;
use examgate_shared::office::api::{AccountSlip, PlanView, RosterImportReport, RosterRow};
use yew::Reducible;

pub use crate::results::state::Load;

use super::texts::OfficeText;
use crate::http::HttpError;
use crate::i18n::Problem;

/// A form or list whose last request has a status line of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    /// Reloading the plan after it was first shown.
    Plan,
    Event,
    /// The shift form of an event.
    Shift(u64),
    Site,
    /// The room form of a site.
    Room(u64),
    Paper,
    Account,
    /// Disabling, enabling, resetting an account in the list.
    AccountList,
    /// An event's hand-in downloads.
    Download(u64),
}

/// What a section's last request did.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Busy,
    Done(OfficeText),
    Failed(Failure),
}

/// A refusal as shown: the translated code, and the detail that names the
/// field (the relay's message, or ours when the form caught it first).
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub problem: Problem,
    pub detail: Detail,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Detail {
    None,
    /// The relay's `message` (English, names the field).
    Relay(String),
    /// Found by the form before sending.
    Local(OfficeText),
}

impl Failure {
    pub fn from_http(e: &HttpError) -> Failure {
        let detail = match e {
            HttpError::Relay(body) if !body.message.trim().is_empty() => {
                Detail::Relay(body.message.clone())
            }
            _ => Detail::None,
        };
        Failure {
            problem: e.problem(),
            detail,
        }
    }

    /// A form field the relay would refuse anyway.
    pub fn local(text: OfficeText) -> Failure {
        Failure {
            problem: Problem::Code(ErrorCode::Invalid),
            detail: Detail::Local(text),
        }
    }
}

/// The roster import: which event, which file, and what the relay said.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RosterImport {
    pub event: Option<u64>,
    /// The chosen file's name; the file itself stays in `#roster-file`.
    pub file: Option<String>,
    pub busy: bool,
    /// The last report, for this event and this file.
    pub report: Option<Rc<RosterImportReport>>,
    pub failure: Option<Failure>,
}

impl RosterImport {
    pub fn can_preview(&self) -> bool {
        self.event.is_some() && self.file.is_some() && !self.busy
    }

    /// Only a previewed, error-free roster with someone in it is committed.
    pub fn can_commit(&self) -> bool {
        !self.busy
            && self.report.as_ref().is_some_and(|r| {
                !r.committed && r.preview.errors.is_empty() && !r.preview.candidates.is_empty()
            })
    }
}

/// The room whose printouts (list, seat cards, minutes) are on show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrintTarget {
    pub event_id: u64,
    pub sitting_id: u64,
    pub room_id: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OfficeState {
    pub plan: Load<Rc<PlanView>>,
    pub status: Rc<HashMap<Section, Status>>,
    pub roster: RosterImport,
    /// New passwords, newest last, one per account.
    pub slips: Rc<Vec<AccountSlip>>,
    pub print: Option<PrintTarget>,
    /// The registered candidates of one event, for the printouts.
    pub roster_rows: Option<(u64, Load<Rc<Vec<RosterRow>>>)>,
    /// The relay refused the token: back to the sign-in screen.
    pub signed_out: Option<ErrorCode>,
}

impl Default for OfficeState {
    fn default() -> Self {
        OfficeState {
            plan: Load::Idle,
            status: Rc::default(),
            roster: RosterImport::default(),
            slips: Rc::default(),
            print: None,
            roster_rows: None,
            signed_out: None,
        }
    }
}

pub enum OfficeAction {
    PlanLoading,
    PlanLoaded(Result<PlanView, HttpError>),
    Sending(Section),
    Done(Section, OfficeText),
    Failed(Section, Failure),
    RosterEvent(Option<u64>),
    RosterFile(Option<String>),
    RosterSending,
    RosterAnswered(Result<RosterImportReport, Failure>),
    Slip(AccountSlip),
    ClearSlips,
    OpenPrint(PrintTarget),
    ClosePrint,
    RosterRowsLoaded(u64, Result<Vec<RosterRow>, HttpError>),
}

impl Reducible for OfficeState {
    type Action = OfficeAction;

    fn reduce(self: Rc<Self>, action: OfficeAction) -> Rc<Self> {
        let mut s = Rc::unwrap_or_clone(self);
        match action {
            // A reload keeps the plan on show, so open forms keep what was
            // typed into them.
            OfficeAction::PlanLoading => match s.plan {
                Load::Ready(_) => s.set(Section::Plan, Status::Busy),
                _ => s.plan = Load::Loading,
            },
            OfficeAction::PlanLoaded(Ok(plan)) => {
                s.status_mut().remove(&Section::Plan);
                let events: Vec<u64> = plan.events.iter().map(|e| e.id).collect();
                if !s.roster.event.is_some_and(|id| events.contains(&id)) {
                    s.roster.event = events.first().copied();
                }
                s.plan = Load::Ready(Rc::new(plan));
            }
            OfficeAction::PlanLoaded(Err(e)) => {
                s.note_refusal(&e);
                match s.plan {
                    Load::Ready(_) => s.set(Section::Plan, Status::Failed(Failure::from_http(&e))),
                    _ => s.plan = Load::Failed(e.problem()),
                }
            }
            OfficeAction::Sending(section) => s.set(section, Status::Busy),
            OfficeAction::Done(section, text) => s.set(section, Status::Done(text)),
            OfficeAction::Failed(section, failure) => {
                s.note_code(failure.problem);
                s.set(section, Status::Failed(failure));
            }
            OfficeAction::RosterEvent(event) => {
                s.roster = RosterImport {
                    event,
                    file: s.roster.file.take(),
                    ..RosterImport::default()
                };
            }
            OfficeAction::RosterFile(file) => {
                s.roster = RosterImport {
                    event: s.roster.event,
                    file,
                    ..RosterImport::default()
                };
            }
            OfficeAction::RosterSending => {
                s.roster.busy = true;
                s.roster.failure = None;
            }
            OfficeAction::RosterAnswered(answer) => {
                s.roster.busy = false;
                match answer {
                    Ok(report) => s.roster.report = Some(Rc::new(report)),
                    Err(failure) => {
                        s.note_code(failure.problem);
                        s.roster.failure = Some(failure);
                    }
                }
            }
            OfficeAction::Slip(slip) => {
                // A newer password replaces the account's older slip: the old
                // one no longer works.
                let slips = Rc::make_mut(&mut s.slips);
                slips.retain(|old| old.username != slip.username);
                slips.push(slip);
            }
            OfficeAction::ClearSlips => s.slips = Rc::default(),
            OfficeAction::OpenPrint(target) => {
                s.print = Some(target);
                s.roster_rows = Some((target.event_id, Load::Loading));
            }
            OfficeAction::ClosePrint => s.print = None,
            OfficeAction::RosterRowsLoaded(event, answer) => {
                if let Err(e) = &answer {
                    s.note_refusal(e);
                }
                // An answer for an event no longer on show is dropped.
                if s.roster_rows.as_ref().is_some_and(|(id, _)| *id == event) {
                    let rows = match answer {
                        Ok(rows) => Load::Ready(Rc::new(rows)),
                        Err(e) => Load::Failed(e.problem()),
                    };
                    s.roster_rows = Some((event, rows));
                }
            }
        }
        Rc::new(s)
    }
}

impl OfficeState {
    /// The status line of `section`, if it has one.
    pub fn status_of(&self, section: Section) -> Option<Status> {
        self.status.get(&section).cloned()
    }

    fn status_mut(&mut self) -> &mut HashMap<Section, Status> {
        Rc::make_mut(&mut self.status)
    }

    fn set(&mut self, section: Section, status: Status) {
        self.status_mut().insert(section, status);
    }

    fn note_refusal(&mut self, e: &HttpError) {
        self.note_code(e.problem());
    }

    /// An expired or revoked session ends the page, whichever request
    /// found out.
    fn note_code(&mut self, problem: Problem) {
        if problem == Problem::Code(ErrorCode::Unauthorized) {
            self.signed_out = Some(ErrorCode::Unauthorized);
        }
    }
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
