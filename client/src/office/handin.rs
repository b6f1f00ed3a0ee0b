//! `#handin`: per event, the results workbook (`#download-xlsx-{id}`) and
//! the inspection package (`#download-package-{id}`), fetched with the
//! session's token and saved under the relay's file names.

use std::collections::HashMap;
use std::rc::Rc;

use examgate_shared::office::api::PlanView;
use yew::prelude::*;

use super::api::{Handin, Office};
use super::state::{Section, Status};
use super::status::StatusLine;
use super::texts::OfficeText;
use crate::i18n::{Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct HandinProps {
    pub office: Office,
    pub plan: Rc<PlanView>,
    pub status: Rc<HashMap<Section, Status>>,
}

#[component]
pub fn HandinFiles(props: &HandinProps) -> Html {
    let i18n = use_i18n();
    let o = |t| i18n.t(Text::Office(t));
    let events = props.plan.events.iter().map(|event| {
        let id = event.id;
        let status = props.status.get(&Section::Download(id)).cloned();
        let busy = status == Some(Status::Busy);
        let get = |what: Handin| {
            let office = props.office.clone();
            Callback::from(move |_: MouseEvent| office.download(id, what))
        };
        html! {
            <li key={id} class="handin-event" data-event-id={id.to_string()}>
                <span class="event-name">{ event.name.clone() }</span>
                <button id={format!("download-xlsx-{id}")} type="button" disabled={busy}
                    onclick={get(Handin::Xlsx)}>
                    { o(OfficeText::DownloadXlsx) }
                </button>
                <button id={format!("download-package-{id}")} type="button" disabled={busy}
                    onclick={get(Handin::Package)}>
                    { o(OfficeText::DownloadPackage) }
                </button>
                <StatusLine id={format!("download-status-{id}")} {status} />
            </li>
        }
    });
    html! {
        <section id="handin" class="card office-section" aria-labelledby="handin-title">
            <h2 id="handin-title">{ o(OfficeText::HandinTitle) }</h2>
            <p class="hint">{ o(OfficeText::HandinIntro) }</p>
            <ul class="handin">{ for events }</ul>
        </section>
    }
}
