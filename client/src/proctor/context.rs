//! What every part of the dashboard may need without it being handed down
//! through each table: the session and the page's few verbs (open a
//! dialog, show a candidate, open or hide a room). Built once per session,
//! so its callbacks keep their identity and memoised rows stay untouched.

use std::rc::Rc;

use examgate_shared::protocol::Role;
use yew::prelude::*;

use super::dialog::{Dialog, can_act};

#[derive(Clone, PartialEq)]
pub struct ProctorCtx {
    pub token: Rc<str>,
    pub role: Role,
    /// Opens the dialog of a task (extra time, pause, message, …).
    pub ask: Callback<Dialog>,
    /// Shows a candidate's detail panel.
    pub show_candidate: Callback<u64>,
    pub open_room: Callback<u64>,
    pub hide_room: Callback<u64>,
}

impl ProctorCtx {
    /// Whether this session acts on attempts (teachers only watch).
    pub fn acts(&self) -> bool {
        can_act(self.role)
    }
}

/// The dashboard's context; panics outside the dashboard, where no part
/// that uses it is ever mounted.
#[hook]
pub fn use_proctor() -> ProctorCtx {
    use_context::<ProctorCtx>().expect("inside the proctor dashboard")
}
