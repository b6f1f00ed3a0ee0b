//! `#sittings`: one `li.sitting[data-sitting-id]` per sitting, with its exam,
//! when it was open and how many attempts are finished. A click opens its
//! results; the open one is `.open` with `aria-current`.

use std::rc::Rc;

use yew::prelude::*;

use super::api::SittingSummary;
use super::state::Load;
use crate::i18n::{ReportText, Text, use_i18n};
use crate::time;

#[derive(Properties, PartialEq)]
pub struct SittingListProps {
    pub sittings: Load<Rc<Vec<SittingSummary>>>,
    /// The sitting whose results are on show.
    pub open: Option<u64>,
    pub on_open: Callback<u64>,
    pub on_refresh: Callback<()>,
}

#[component]
pub fn SittingList(props: &SittingListProps) -> Html {
    let i18n = use_i18n();
    let r = |t| i18n.t(Text::Report(t));
    let message = match &props.sittings {
        Load::Idle | Load::Loading => {
            html! { <p class="waiting">{ r(ReportText::SittingsLoading) }</p> }
        }
        Load::Failed(problem) => html! {
            <p id="sittings-error" class="error" role="alert" data-code={problem.data_code()}>
                { i18n.t(Text::Problem(*problem)) }
            </p>
        },
        Load::Ready(list) if list.is_empty() => {
            html! { <p class="waiting">{ r(ReportText::NoSittings) }</p> }
        }
        Load::Ready(_) => Html::default(),
    };
    let list: &[SittingSummary] = match &props.sittings {
        Load::Ready(list) => list,
        _ => &[],
    };
    let items = list.iter().map(|s| {
        let id = s.sitting_id;
        let open = props.open == Some(id);
        let onclick = props.on_open.reform(move |_: MouseEvent| id);
        let window = ReportText::Window {
            opens: time::date_time(s.opens_at),
            closes: time::date_time(s.closes_at),
        };
        let finished = ReportText::Finished {
            finished: s.finished,
            attempts: s.attempts,
        };
        html! {
            <li key={id} class={classes!("sitting", open.then_some("open"))}
                data-sitting-id={id.to_string()} data-exam-id={s.exam_id.clone()}>
                // A button, so the list works from the keyboard too.
                <button type="button" class="sitting-open" {onclick}
                    aria-current={open.then_some("true")}>
                    <span class="sitting-title">{ s.title.clone() }</span>
                    <span class="sitting-window">{ r(window) }</span>
                    <span class="sitting-finished" data-finished={s.finished.to_string()}
                        data-attempts={s.attempts.to_string()}>
                        { r(finished) }
                    </span>
                </button>
            </li>
        }
    });
    html! {
        <section class="card sittings-panel" aria-labelledby="sittings-title">
            <div class="panel-head">
                <h2 id="sittings-title">{ r(ReportText::SittingsTitle) }</h2>
                <button id="sittings-refresh" type="button" class="link"
                    onclick={props.on_refresh.reform(|_: MouseEvent| ())}>
                    { r(ReportText::Refresh) }
                </button>
            </div>
            // Always there, so tests can wait on its `data-state`.
            <ul id="sittings" class="sittings" data-state={props.sittings.state_name()}>
                { for items }
            </ul>
            { message }
        </section>
    }
}
