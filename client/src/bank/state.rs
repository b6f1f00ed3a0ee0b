//! The bank page's state: the last import report, the search results, the
//! question open in the editor with its draft, the blueprint's prediction
//! and the paper built, the practice code, and each part's status line.
//!
//! Pure: [`super::api`] makes the requests and dispatches what came back,
//! so the tests drive every transition without a browser.

use std::rc::Rc;

use examgate_shared::bank::api::{ImportReport, ItemSummary, ItemView, PaperBuilt, PracticeOpened};
use examgate_shared::bank::print::PrintedVersion;
use yew::Reducible;

use crate::http::HttpError;
use crate::i18n::Problem;

/// A part of the page with a status line of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Import,
    Search,
    Editor,
    Paper,
    Practice,
}

/// What a part's last request did.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Busy,
    Done,
    /// The translated code and the relay's own words (which name the field).
    Failed(Problem, String),
}

impl Status {
    pub fn failed(e: &HttpError) -> Status {
        let detail = match e {
            HttpError::Relay(body) => body.message.clone(),
            _ => String::new(),
        };
        Status::Failed(e.problem(), detail)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct BankState {
    pub report: Option<Rc<ImportReport>>,
    pub list: Option<Rc<Vec<ItemSummary>>>,
    pub editing: Option<Rc<ItemView>>,
    pub built: Option<Rc<PaperBuilt>>,
    pub practice: Option<PracticeOpened>,
    /// The built paper's versions with their keys, to print.
    pub printed: Option<Rc<Vec<PrintedVersion>>>,
    /// Questions ticked in the list for a paper made by hand, in the order
    /// they were ticked.
    pub picked: Vec<u64>,
    pub statuses: Vec<(Part, Status)>,
    /// The relay refused the session: the page signs out.
    pub signed_out: Option<examgate_shared::error::ErrorCode>,
}

impl BankState {
    pub fn status(&self, part: Part) -> Option<Status> {
        self.statuses
            .iter()
            .find(|(p, _)| *p == part)
            .map(|(_, s)| s.clone())
    }

    fn set(&mut self, part: Part, status: Status) {
        self.statuses.retain(|(p, _)| *p != part);
        self.statuses.push((part, status));
    }
}

pub enum BankAction {
    Busy(Part),
    Failed(Part, HttpError),
    Imported(Box<ImportReport>),
    Listed(Vec<ItemSummary>),
    Opened(Box<ItemView>),
    Closed,
    Saved,
    Built(PaperBuilt),
    Practice(PracticeOpened),
    Printed(Vec<PrintedVersion>),
    ClosePrint,
    /// A question ticked (true) or unticked in the list.
    Pick(u64, bool),
}

impl Reducible for BankState {
    type Action = BankAction;

    fn reduce(self: Rc<Self>, action: BankAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            BankAction::Busy(part) => next.set(part, Status::Busy),
            BankAction::Failed(part, e) => {
                if matches!(e.code(), Some(code) if code == examgate_shared::error::ErrorCode::Unauthorized)
                {
                    next.signed_out = e.code();
                }
                next.set(part, Status::failed(&e));
            }
            BankAction::Imported(report) => {
                next.set(Part::Import, Status::Done);
                next.report = Some(Rc::new(*report));
            }
            BankAction::Listed(list) => {
                next.set(Part::Search, Status::Done);
                next.list = Some(Rc::new(list));
            }
            BankAction::Opened(view) => {
                next.set(Part::Editor, Status::Done);
                next.editing = Some(Rc::new(*view));
            }
            BankAction::Closed => next.editing = None,
            BankAction::Saved => next.set(Part::Editor, Status::Done),
            BankAction::Built(paper) => {
                next.set(Part::Paper, Status::Done);
                if paper.exam_id.is_some() {
                    next.practice = None;
                    next.printed = None;
                }
                next.built = Some(Rc::new(paper));
            }
            BankAction::Printed(versions) => {
                next.set(Part::Paper, Status::Done);
                next.printed = Some(Rc::new(versions));
            }
            BankAction::ClosePrint => next.printed = None,
            BankAction::Pick(id, on) => {
                if !on {
                    next.picked.retain(|p| *p != id);
                } else if !next.picked.contains(&id) {
                    next.picked.push(id);
                }
            }
            BankAction::Practice(opened) => {
                next.set(Part::Practice, Status::Done);
                next.practice = Some(opened);
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use examgate_shared::error::{ErrorBody, ErrorCode};

    use super::*;

    fn reduce(state: BankState, action: BankAction) -> BankState {
        (*Rc::new(state).reduce(action)).clone()
    }

    #[test]
    fn picks_keep_their_order_once_each() {
        let mut s = BankState::default();
        for (id, on) in [(5, true), (2, true), (5, false), (5, true), (2, true)] {
            s = reduce(s, BankAction::Pick(id, on));
        }
        assert_eq!(s.picked, [2, 5]);
    }

    #[test]
    fn a_refusal_keeps_the_relays_words_and_an_expired_session_signs_out() {
        let s = reduce(BankState::default(), BankAction::Busy(Part::Editor));
        assert_eq!(s.status(Part::Editor), Some(Status::Busy));
        let conflict =
            HttpError::Relay(ErrorBody::new(ErrorCode::Conflict, "saved by someone else"));
        let s = reduce(s, BankAction::Failed(Part::Editor, conflict));
        assert_eq!(
            s.status(Part::Editor),
            Some(Status::Failed(
                Problem::Code(ErrorCode::Conflict),
                "saved by someone else".into()
            ))
        );
        assert_eq!(s.signed_out, None);
        let expired = HttpError::Relay(ErrorBody::new(ErrorCode::Unauthorized, "sign in"));
        let s = reduce(s, BankAction::Failed(Part::Search, expired));
        assert_eq!(s.signed_out, Some(ErrorCode::Unauthorized));
        assert!(
            s.status(Part::Editor).is_some(),
            "other parts keep their line"
        );
    }
}
