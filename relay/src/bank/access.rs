//! Who may see and change which bank questions. Checked here, on the relay,
//! for every request: the pages only hide what the relay would refuse.
//!
//! - The exam office (the whole exam's, not a site's) sees and edits every
//!   question and shares questions with every teacher.
//! - A teacher sees their subject's questions, their own, and what the
//!   office shared; edits their subject's and their own.
//! - Proctors and students never reach the bank.

use examgate_shared::bank::fold::fold;
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::protocol::Role;

use super::rows::Row;
use crate::AppState;
use crate::auth::Session;

/// The caller as the bank sees them.
#[derive(Debug, Clone)]
pub struct Author {
    pub username: String,
    pub office: bool,
    /// A teacher's subject ("Toán"); empty when none was set.
    pub subject: String,
}

impl Author {
    pub fn may_read(&self, row: &Row) -> bool {
        self.may_edit(row) || row.shared
    }

    pub fn may_edit(&self, row: &Row) -> bool {
        self.office
            || row.owner == self.username
            || (!self.subject.is_empty() && fold(&row.subject) == fold(&self.subject))
    }

    /// A teacher files questions under their own subject only (whatever
    /// the file or the form says), so no one plants questions in another
    /// subject's bank; the office files them where it likes.
    pub fn own_subject(&self, items: &mut [examgate_shared::bank::Item]) {
        if !self.office {
            for item in items {
                item.meta.subject = self.subject.clone();
            }
        }
    }

    pub fn actor(&self) -> String {
        format!("user:{}", self.username)
    }
}

impl AppState {
    /// The bank's view of `staff`, or a refusal for roles that have no bank.
    pub fn bank_author(&self, staff: &Session) -> Result<Author, ErrorBody> {
        let office = match staff.role {
            // The bank is the whole exam's: a site's own office would
            // otherwise print every paper with its keys.
            Role::ExamOffice if staff.site_id.is_none() => true,
            Role::Teacher => false,
            _ => {
                return Err(ErrorBody::new(
                    ErrorCode::Forbidden,
                    "the question bank is for teachers and the exam office",
                ));
            }
        };
        let subject = self
            .users
            .read()
            .expect("users lock")
            .get(&staff.username)
            .map(|u| u.subject.clone())
            .unwrap_or_default();
        Ok(Author {
            username: staff.username.clone(),
            office,
            subject,
        })
    }
}

pub fn not_found() -> ErrorBody {
    ErrorBody::new(ErrorCode::NotFound, "no such bank question")
}

pub fn forbidden(what: &str) -> ErrorBody {
    ErrorBody::new(ErrorCode::Forbidden, what.to_string())
}
