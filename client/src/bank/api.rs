//! The relay's bank endpoints (`/api/bank/*`, staff token), each call
//! dispatching its outcome into the page's reducer.

use std::rc::Rc;

use examgate_shared::bank::api::{
    ImportReport, ItemEdit, ItemSummary, ItemView, PaperBuilt, PaperRequest, PracticeOpened,
    PracticeRequest,
};
use examgate_shared::bank::print::PrintedVersion;
use serde_json::Value;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::spawn_local;
use web_sys::File;
use yew::UseReducerDispatcher;

use super::state::{BankAction, BankState, Part};
use crate::http::{get_json, post_json_auth};
use crate::office::fetch::{decode, encode_segment, fetch_file, send};

#[derive(Clone, PartialEq)]
pub struct Bank {
    token: Rc<str>,
    dispatcher: UseReducerDispatcher<BankState>,
}

/// What the teacher files imported questions under.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filing {
    pub subject: String,
    pub topic: String,
    pub level: String,
}

impl Bank {
    pub fn new(token: &str, dispatcher: UseReducerDispatcher<BankState>) -> Bank {
        Bank {
            token: token.into(),
            dispatcher,
        }
    }

    fn dispatch(&self, action: BankAction) {
        self.dispatcher.dispatch(action);
    }

    /// Sends a bank file to be previewed (`dry_run`) or stored.
    pub fn import(&self, file: File, filing: Filing, dry_run: bool) {
        self.dispatch(BankAction::Busy(Part::Import));
        let bank = self.clone();
        spawn_local(async move {
            let path = format!(
                "/api/bank/import?file_name={}&subject={}&topic={}&level={}&dry_run={dry_run}",
                encode_segment(&file.name()),
                encode_segment(&filing.subject),
                encode_segment(&filing.topic),
                encode_segment(&filing.level),
            );
            let body = (JsValue::from(file), "application/octet-stream");
            let answer = send("POST", &path, Some(body), &bank.token)
                .await
                .and_then(|(status, text)| decode::<ImportReport>(status, &text));
            match answer {
                Ok(report) => {
                    let stored = !report.stored.is_empty();
                    bank.dispatch(BankAction::Imported(Box::new(report)));
                    if stored {
                        bank.search(String::new(), false);
                    }
                }
                Err(e) => bank.dispatch(BankAction::Failed(Part::Import, e)),
            }
        });
    }

    pub fn search(&self, query: String, ignore_diacritics: bool) {
        self.dispatch(BankAction::Busy(Part::Search));
        let bank = self.clone();
        spawn_local(async move {
            let path = format!(
                "/api/bank/items?q={}&ignore_diacritics={ignore_diacritics}",
                encode_segment(&query)
            );
            match get_json::<Vec<ItemSummary>>(&path, &bank.token).await {
                Ok(list) => bank.dispatch(BankAction::Listed(list)),
                Err(e) => bank.dispatch(BankAction::Failed(Part::Search, e)),
            }
        });
    }

    pub fn open(&self, id: u64) {
        self.dispatch(BankAction::Busy(Part::Editor));
        let bank = self.clone();
        spawn_local(async move {
            match get_json::<ItemView>(&format!("/api/bank/items/{id}"), &bank.token).await {
                Ok(view) => bank.dispatch(BankAction::Opened(Box::new(view))),
                Err(e) => bank.dispatch(BankAction::Failed(Part::Editor, e)),
            }
        });
    }

    pub fn close(&self) {
        self.dispatch(BankAction::Closed);
    }

    /// Saves the editor's draft as the next version, then shows it again.
    pub fn save(&self, id: u64, edit: ItemEdit) {
        self.dispatch(BankAction::Busy(Part::Editor));
        let bank = self.clone();
        spawn_local(async move {
            let path = format!("/api/bank/items/{id}");
            match post_json_auth::<_, Value>(&path, &edit, Some(&bank.token)).await {
                Ok(_) => {
                    bank.dispatch(BankAction::Saved);
                    bank.open(id);
                    bank.search(String::new(), false);
                }
                Err(e) => bank.dispatch(BankAction::Failed(Part::Editor, e)),
            }
        });
    }

    /// The office shares a question with every teacher, or stops sharing.
    pub fn share(&self, id: u64, shared: bool) {
        self.dispatch(BankAction::Busy(Part::Editor));
        let bank = self.clone();
        spawn_local(async move {
            let path = format!("/api/bank/items/{id}/share");
            let body = serde_json::json!({ "shared": shared });
            match post_json_auth::<_, Value>(&path, &body, Some(&bank.token)).await {
                Ok(_) => bank.open(id),
                Err(e) => bank.dispatch(BankAction::Failed(Part::Editor, e)),
            }
        });
    }

    pub fn build(&self, request: PaperRequest) {
        self.dispatch(BankAction::Busy(Part::Paper));
        let bank = self.clone();
        spawn_local(async move {
            match post_json_auth::<_, PaperBuilt>("/api/bank/papers", &request, Some(&bank.token))
                .await
            {
                Ok(built) => bank.dispatch(BankAction::Built(built)),
                Err(e) => bank.dispatch(BankAction::Failed(Part::Paper, e)),
            }
        });
    }

    /// Every version of a built paper with its answer key, to print.
    pub fn print(&self, exam_id: String) {
        self.dispatch(BankAction::Busy(Part::Paper));
        let bank = self.clone();
        spawn_local(async move {
            let path = format!("/api/bank/papers/{}/print", encode_segment(&exam_id));
            match get_json::<Vec<PrintedVersion>>(&path, &bank.token).await {
                Ok(versions) => bank.dispatch(BankAction::Printed(versions)),
                Err(e) => bank.dispatch(BankAction::Failed(Part::Paper, e)),
            }
        });
    }

    pub fn pick(&self, id: u64, on: bool) {
        self.dispatch(BankAction::Pick(id, on));
    }

    pub fn close_print(&self) {
        self.dispatch(BankAction::ClosePrint);
    }

    pub fn practice(&self, request: PracticeRequest) {
        self.dispatch(BankAction::Busy(Part::Practice));
        let bank = self.clone();
        spawn_local(async move {
            match post_json_auth::<_, PracticeOpened>(
                "/api/bank/practice",
                &request,
                Some(&bank.token),
            )
            .await
            {
                Ok(opened) => bank.dispatch(BankAction::Practice(opened)),
                Err(e) => bank.dispatch(BankAction::Failed(Part::Practice, e)),
            }
        });
    }

    /// Downloads the questions shown as `format` (gift, moodle_xml, qti).
    pub fn export(&self, format: &'static str, ids: Vec<u64>) {
        let bank = self.clone();
        spawn_local(async move {
            let ids: Vec<String> = ids.iter().map(u64::to_string).collect();
            let path = format!("/api/bank/export?format={format}&ids={}", ids.join(","));
            if let Err(e) = fetch_file(&path, &bank.token, format!("bank.{format}")).await {
                bank.dispatch(BankAction::Failed(Part::Search, e));
            }
        });
    }
}
