//! The relay's office endpoints (`/api/office/*`, staff token), each call
//! dispatching its outcome into the page's reducer.
//!
//! JSON goes through [`crate::http`]; what it does not do (a body that is a
//! file, a report that comes with a refusal, a download) is in
//! [`super::fetch`].

use std::rc::Rc;

use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::office::api::{
    AccountChange, AccountSlip, NewAccount, PlanView, RosterImportReport, RosterRow,
};
use serde::Serialize;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::File;
use yew::{Callback, UseReducerDispatcher};

use super::account_texts::AccountText;
use super::fetch::{decode, encode_segment, fetch_file, relay_error, send};
use super::state::{Failure, OfficeAction, OfficeState, PrintTarget, Section};
use super::texts::OfficeText;
use crate::http::{HttpError, get_json, post_json_auth};

/// The page's handle on the relay: the session's token and the reducer.
#[derive(Clone, PartialEq)]
pub struct Office {
    token: Rc<str>,
    dispatcher: UseReducerDispatcher<OfficeState>,
}

/// The two hand-in files of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handin {
    /// The results workbook.
    Xlsx,
    /// The inspection package (evidence for the inspectors).
    Package,
}

impl Office {
    pub fn new(token: &str, dispatcher: UseReducerDispatcher<OfficeState>) -> Office {
        Office {
            token: token.into(),
            dispatcher,
        }
    }

    /// The session's token, for requests outside the reducer's.
    pub fn token(&self) -> &str {
        &self.token
    }

    pub fn dispatch(&self, action: OfficeAction) {
        self.dispatcher.dispatch(action);
    }

    /// (Re)reads the whole plan.
    pub fn load_plan(&self) {
        self.dispatch(OfficeAction::PlanLoading);
        let office = self.clone();
        spawn_local(async move {
            let answer = get_json::<PlanView>("/api/office/plan", &office.token).await;
            office.dispatch(OfficeAction::PlanLoaded(answer));
        });
    }

    /// Adds to the plan (`POST path` with `body`), then says `done` in
    /// `section`, tells `on_ok` (the form empties itself) and reloads the
    /// plan.
    pub fn create<T: Serialize + 'static>(
        &self,
        section: Section,
        path: String,
        body: T,
        done: OfficeText,
        on_ok: Callback<()>,
    ) {
        self.dispatch(OfficeAction::Sending(section));
        let office = self.clone();
        spawn_local(async move {
            let answer =
                post_json_auth::<_, serde_json::Value>(&path, &body, Some(&office.token)).await;
            office.finish(section, answer.map(|_| done), Some(on_ok));
        });
    }

    /// A form refused before sending: says why in its section.
    pub fn refuse(&self, section: Section, text: OfficeText) {
        self.dispatch(OfficeAction::Failed(section, Failure::local(text)));
    }

    /// Sends an exam definition file as it is.
    pub fn add_paper(&self, file: File) {
        self.dispatch(OfficeAction::Sending(Section::Paper));
        let office = self.clone();
        spawn_local(async move {
            let name = file.name();
            let answer = match JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|t| t.as_string())
            {
                Some(text) => {
                    let body = (JsValue::from_str(&text), "application/json");
                    send("POST", "/api/office/papers", Some(body), &office.token)
                        .await
                        .and_then(|(status, text)| decode::<serde_json::Value>(status, &text))
                        .map(|_| OfficeText::PaperAdded(name))
                }
                None => Err(HttpError::Relay(ErrorBody::new(
                    ErrorCode::Malformed,
                    format!("cannot read {name}"),
                ))),
            };
            office.finish(Section::Paper, answer, None);
        });
    }

    /// Sends a roster file's bytes to be checked (`commit` false) or
    /// stored. A refused commit answers `422` with the report, which is
    /// shown like a preview.
    pub fn roster(&self, event: u64, file: File, commit: bool) {
        self.dispatch(OfficeAction::RosterSending);
        let office = self.clone();
        spawn_local(async move {
            let path = if commit {
                format!("/api/office/events/{event}/roster")
            } else {
                format!("/api/office/events/{event}/roster?dry_run=1")
            };
            let body = (JsValue::from(file), "application/octet-stream");
            let answer = send("POST", &path, Some(body), &office.token)
                .await
                .and_then(|(status, text)| match status {
                    422 => serde_json::from_str::<RosterImportReport>(&text)
                        .map_err(|_| relay_error(status, &text)),
                    _ => decode::<RosterImportReport>(status, &text),
                });
            let committed = answer.as_ref().is_ok_and(|r| r.committed);
            office.dispatch(OfficeAction::RosterAnswered(
                answer.map_err(|e| Failure::from_http(&e)),
            ));
            if committed {
                office.load_plan();
            }
        });
    }

    pub fn create_account(&self, account: NewAccount, on_ok: Callback<()>) {
        self.dispatch(OfficeAction::Sending(Section::Account));
        let office = self.clone();
        spawn_local(async move {
            let answer = post_json_auth::<_, AccountSlip>(
                "/api/office/accounts",
                &account,
                Some(&office.token),
            )
            .await
            .map(|slip| {
                let done = OfficeText::Account(AccountText::Created(slip.username.clone()));
                office.dispatch(OfficeAction::Slip(slip));
                done
            });
            office.finish(Section::Account, answer, Some(on_ok));
        });
    }

    /// Disables, enables or resets the password of `username`.
    pub fn change_account(&self, username: String, change: AccountChange) {
        self.dispatch(OfficeAction::Sending(Section::AccountList));
        let office = self.clone();
        spawn_local(async move {
            let path = format!("/api/office/accounts/{}", encode_segment(&username));
            let answer =
                post_json_auth::<_, Option<AccountSlip>>(&path, &change, Some(&office.token))
                    .await
                    .map(|slip| {
                        let reset = slip.is_some();
                        if let Some(slip) = slip {
                            office.dispatch(OfficeAction::Slip(slip));
                        }
                        OfficeText::Account(match (reset, change.disabled) {
                            (true, _) => AccountText::PasswordReset(username),
                            (false, Some(true)) => AccountText::DisabledDone(username),
                            (false, _) => AccountText::EnabledDone(username),
                        })
                    });
            office.finish(Section::AccountList, answer, None);
        });
    }

    /// Fetches a hand-in file with the token and offers it as a download.
    pub fn download(&self, event: u64, what: Handin) {
        let section = Section::Download(event);
        self.dispatch(OfficeAction::Sending(section));
        let office = self.clone();
        spawn_local(async move {
            let (path, fallback) = match what {
                Handin::Xlsx => ("results.xlsx", format!("ket-qua-{event}.xlsx")),
                Handin::Package => ("inspection.zip", format!("ho-so-{event}.zip")),
            };
            let path = format!("/api/office/events/{event}/{path}");
            let answer = fetch_file(&path, &office.token, fallback).await;
            // Nothing changed on the relay: no reload.
            match answer {
                Ok(name) => {
                    office.dispatch(OfficeAction::Done(section, OfficeText::Downloaded(name)))
                }
                Err(e) => office.dispatch(OfficeAction::Failed(section, Failure::from_http(&e))),
            }
        });
    }

    /// Puts a room's printouts on show and fetches its event's roster.
    pub fn open_print(&self, target: PrintTarget) {
        self.dispatch(OfficeAction::OpenPrint(target));
        let office = self.clone();
        spawn_local(async move {
            let event = target.event_id;
            let path = format!("/api/office/events/{event}/roster");
            let answer = get_json::<Vec<RosterRow>>(&path, &office.token).await;
            office.dispatch(OfficeAction::RosterRowsLoaded(event, answer));
        });
    }

    fn finish(
        &self,
        section: Section,
        answer: Result<OfficeText, HttpError>,
        on_ok: Option<Callback<()>>,
    ) {
        match answer {
            Ok(done) => {
                self.dispatch(OfficeAction::Done(section, done));
                if let Some(on_ok) = on_ok {
                    on_ok.emit(());
                }
                self.load_plan();
            }
            Err(e) => self.dispatch(OfficeAction::Failed(section, Failure::from_http(&e))),
        }
    }
}
