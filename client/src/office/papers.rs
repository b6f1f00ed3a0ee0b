//! `#papers`: the papers (exam definitions) shifts can sit, and
//! `#paper-file` to add one: the chosen JSON file goes to the relay as it
//! is, which checks it.

use std::rc::Rc;

use examgate_shared::office::api::PlanView;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::api::Office;
use super::state::Status;
use super::status::StatusLine;
use super::texts::OfficeText;
use crate::i18n::{Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct PapersProps {
    pub office: Office,
    pub plan: Rc<PlanView>,
    pub status: Option<Status>,
}

#[component]
pub fn Papers(props: &PapersProps) -> Html {
    let i18n = use_i18n();
    let o = |t| i18n.t(Text::Office(t));
    let onchange = {
        let office = props.office.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                office.add_paper(file);
            }
            // The same file may be picked again after fixing it.
            input.set_value("");
        })
    };
    let papers = props.plan.papers.iter().map(|p| {
        html! {
            <li key={p.id.clone()} class="paper" data-exam-id={p.id.clone()}>
                <span class="paper-title">{ p.title.clone() }</span>
                <code class="paper-id">{ p.id.clone() }</code>
                <span class="paper-size">
                    { o(OfficeText::PaperSize { questions: p.questions, minutes: p.duration_secs / 60 }) }
                </span>
            </li>
        }
    });
    html! {
        <section id="papers" class="card office-section" aria-labelledby="papers-title">
            <h2 id="papers-title">{ o(OfficeText::PapersTitle) }</h2>
            if props.plan.papers.is_empty() {
                <p class="waiting">{ o(OfficeText::NoPapers) }</p>
            }
            <ul class="papers">{ for papers }</ul>
            <label for="paper-file">{ o(OfficeText::PaperFile) }</label>
            <input id="paper-file" type="file" accept=".json,application/json"
                disabled={props.status == Some(Status::Busy)} {onchange} />
            <StatusLine id="paper-status" status={props.status.clone()} />
        </section>
    }
}
