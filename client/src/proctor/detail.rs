//! `#candidate-detail`: one candidate's warnings and timeline (joins,
//! check-in, answers by time only, warnings, actions with who and why,
//! incidents, messages and whether they were seen, the end), from
//! `GET /api/proctor/candidates/{id}`. Fetched again whenever the
//! candidate's row changes, so an action's entry appears without a click.

use std::cell::Cell;
use std::rc::Rc;

use examgate_shared::proctoring::{CandidateDetail, TimelineEntry, TimelineEvent};
use examgate_shared::roster::CandidateRow;
use yew::prelude::*;

use super::api;
use super::context::use_proctor;
use super::texts::ProctorText;
use crate::http::HttpError;
use crate::i18n::{I18n, Text, use_i18n};
use crate::time;

#[derive(Properties, PartialEq)]
pub struct DetailPanelProps {
    pub candidate_id: u64,
    /// The candidate's row when their room is open: a change refetches.
    pub row: Option<CandidateRow>,
    pub on_close: Callback<()>,
}

/// `data-kind` of a timeline entry: its wire tag.
fn kind(event: &TimelineEvent) -> &'static str {
    match event {
        TimelineEvent::Joined => "joined",
        TimelineEvent::CheckIn { .. } => "check_in",
        TimelineEvent::Started { .. } => "started",
        TimelineEvent::Answer { .. } => "answer",
        TimelineEvent::Submitted => "submitted",
        TimelineEvent::SubmitRefused { .. } => "submit_refused",
        TimelineEvent::Warning { .. } => "warning",
        TimelineEvent::Action { .. } => "action",
        TimelineEvent::Incident { .. } => "incident",
        TimelineEvent::Message { .. } => "message",
        TimelineEvent::Closed => "closed",
    }
}

fn entry(i18n: &I18n, entry: &TimelineEntry) -> Html {
    let action = match &entry.event {
        TimelineEvent::Action { action, .. } => Some(action.clone()),
        _ => None,
    };
    html! {
        <li class="timeline-entry" data-kind={kind(&entry.event)} data-action={action}>
            <span class="log-time">{ time::wall_clock(entry.at) }</span>
            <span class="log-text">{ i18n.t(Text::Proctor(ProctorText::Event(entry.event.clone()))) }</span>
        </li>
    }
}

fn detail_view(i18n: &I18n, detail: &CandidateDetail) -> Html {
    let p = |t| i18n.t(Text::Proctor(t));
    let warnings = detail.warnings.iter().rev().map(|w| {
        html! {
            <li class="warning-item" data-kind={w.signal.name()}>
                <span class="log-time">{ time::wall_clock(w.at) }</span>
                <span class="log-text">{ p(ProctorText::Warning(w.signal.clone())) }</span>
            </li>
        }
    });
    let timeline = detail.timeline.iter().map(|e| entry(i18n, e));
    html! {
        <>
            <p class="detail-who">
                if let Some(number) = &detail.candidate_number {
                    <span class="candidate-number">{ number.clone() }</span>{ " " }
                }
                <b id="detail-name">{ detail.name.clone() }</b>
            </p>
            <h3>{ p(ProctorText::WarningsTitle) }</h3>
            if detail.warnings.is_empty() {
                <p class="hint">{ p(ProctorText::NoWarnings) }</p>
            } else {
                <ul class="warning-list">{ for warnings }</ul>
            }
            <h3>{ p(ProctorText::TimelineTitle) }</h3>
            <ol class="timeline">{ for timeline }</ol>
        </>
    }
}

#[component]
pub fn DetailPanel(props: &DetailPanelProps) -> Html {
    let i18n = use_i18n();
    let ctx = use_proctor();
    let loaded = use_state(|| None::<Result<CandidateDetail, HttpError>>);
    {
        let (loaded, token) = (loaded.clone(), ctx.token.clone());
        use_effect_with((props.candidate_id, props.row.clone()), move |(id, _)| {
            // A slower answer for an earlier candidate must not win.
            let current = Rc::new(Cell::new(true));
            let (id, still) = (*id, current.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = api::candidate(id, &token).await;
                if still.get() {
                    loaded.set(Some(result));
                }
            });
            move || current.set(false)
        });
    }
    let p = |t| i18n.t(Text::Proctor(t));
    let body = match &*loaded {
        None => html! { <p class="waiting">{ i18n.t(Text::Loading) }</p> },
        Some(Ok(detail)) if detail.candidate_id == props.candidate_id => detail_view(&i18n, detail),
        Some(Ok(_)) => html! { <p class="waiting">{ i18n.t(Text::Loading) }</p> },
        Some(Err(e)) => html! {
            <p id="detail-error" class="error" role="alert" data-code={e.problem().data_code()}>
                { p(ProctorText::DetailFailed) }{ " " }{ i18n.t(Text::Problem(e.problem())) }
            </p>
        },
    };
    html! {
        <aside id="candidate-detail" class="detail-panel card" data-candidate-id={props.candidate_id.to_string()}
            aria-labelledby="detail-title">
            <div class="panel-head">
                <h2 id="detail-title">{ p(ProctorText::DetailTitle) }</h2>
                <button id="detail-close" type="button" onclick={props.on_close.reform(|_: MouseEvent| ())}>
                    { p(ProctorText::Close) }
                </button>
            </div>
            { body }
        </aside>
    }
}
