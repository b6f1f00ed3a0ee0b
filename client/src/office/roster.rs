//! `#roster`: a school's candidate list into an event. Pick the event
//! (`#roster-event`) and the file (`#roster-file`: .xlsx, .xls or .csv),
//! `#roster-preview-btn` sends it for checking only; the report shows what
//! was read and every problem at its cell. `#roster-commit` stores the same
//! file, and is enabled only for a report without errors; `#roster-result`
//! then shows the join codes of the rooms the import filled.
//!
//! The file stays in its input; the reducer only knows its name, so
//! choosing another file or event drops the report of the old one.

use std::rc::Rc;

use examgate_shared::office::api::PlanView;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::api::Office;
use super::inputs::id_value;
use super::roster_report::{RosterReportView, RosterResult};
use super::roster_texts::RosterText;
use super::state::{OfficeAction, RosterImport};
use super::texts::OfficeText;
use crate::i18n::{Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct RosterProps {
    pub office: Office,
    pub plan: Rc<PlanView>,
    pub roster: RosterImport,
}

#[component]
pub fn Roster(props: &RosterProps) -> Html {
    let i18n = use_i18n();
    let r = |t| i18n.t(Text::Office(OfficeText::Roster(t)));
    let file_input = use_node_ref();
    let roster = &props.roster;

    let on_event = {
        let office = props.office.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            office.dispatch(OfficeAction::RosterEvent(id_value(&value)));
        })
    };
    let on_file = {
        let office = props.office.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let name = input.files().and_then(|f| f.get(0)).map(|f| f.name());
            office.dispatch(OfficeAction::RosterFile(name));
        })
    };
    let send = |commit: bool| {
        let (office, input, event) = (props.office.clone(), file_input.clone(), roster.event);
        Callback::from(move |_: MouseEvent| {
            let file = input
                .cast::<HtmlInputElement>()
                .and_then(|i| i.files())
                .and_then(|f| f.get(0));
            if let (Some(event), Some(file)) = (event, file) {
                office.roster(event, file, commit);
            }
        })
    };
    let events = props.plan.events.iter().map(|e| {
        html! {
            <option key={e.id} value={e.id.to_string()} selected={roster.event == Some(e.id)}>
                { e.name.clone() }
            </option>
        }
    });
    let failure = roster.failure.as_ref().map(|f| {
        html! {
            <p id="roster-failure" class="status error" role="alert" data-code={f.problem.data_code()}>
                { i18n.t(Text::Problem(f.problem)) }
                if let super::state::Detail::Relay(message) = &f.detail {
                    <span class="detail">{ message.clone() }</span>
                }
            </p>
        }
    });
    let committed = roster.report.as_ref().filter(|r| r.committed);

    html! {
        <section id="roster" class="card office-section" aria-labelledby="roster-title"
            data-busy={roster.busy.to_string()}>
            <h2 id="roster-title">{ r(RosterText::Title) }</h2>
            <p class="hint">{ r(RosterText::Intro) }</p>
            <div class="form-row">
                <label>{ r(RosterText::Event) }
                    <select id="roster-event" onchange={on_event}>
                        <option value="" selected={roster.event.is_none()}>{ r(RosterText::PickEvent) }</option>
                        { for events }
                    </select>
                </label>
                <label>{ r(RosterText::File) }
                    <input id="roster-file" type="file" ref={file_input.clone()}
                        accept=".xlsx,.xls,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel,text/csv"
                        onchange={on_file} />
                </label>
            </div>
            <div class="actions">
                <button id="roster-preview-btn" type="button" class="primary"
                    disabled={!roster.can_preview()} onclick={send(false)}>
                    { r(if roster.busy { RosterText::Checking } else { RosterText::Check }) }
                </button>
                <button id="roster-commit" type="button"
                    disabled={!roster.can_commit()} onclick={send(true)}>
                    { r(RosterText::Commit) }
                </button>
            </div>
            { for failure }
            if let Some(report) = committed {
                <RosterResult report={report.clone()} />
            }
            if let Some(report) = &roster.report {
                <RosterReportView report={report.clone()} />
            }
        </section>
    }
}
