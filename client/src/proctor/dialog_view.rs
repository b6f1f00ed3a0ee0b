//! `#task-dialog`: the small form in front of every action, incident and
//! message — minutes where they apply, a reason (required) or the text —
//! then what the relay made of it: applied to whom and why not for the
//! others, the seat code to read out for a move, or the relay's refusal.

use examgate_shared::proctoring::{ActionResponse, IncidentCategory};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::api::{self, Reply};
use super::context::use_proctor;
use super::dialog::{Dialog, Draft, DraftProblem, Task};
use super::texts::ProctorText;
use crate::http::HttpError;
use crate::i18n::{I18n, Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct DialogViewProps {
    pub dialog: Dialog,
    pub on_close: Callback<()>,
}

#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Editing(Option<DraftProblem>),
    Sending,
    Refused(HttpError),
    Done(Reply),
}

impl Phase {
    fn name(&self) -> &'static str {
        match self {
            Phase::Editing(_) => "editing",
            Phase::Sending => "sending",
            Phase::Refused(_) => "refused",
            Phase::Done(_) => "done",
        }
    }
}

fn problem_text(problem: DraftProblem) -> ProctorText {
    match problem {
        DraftProblem::BadMinutes => ProctorText::BadMinutes,
        DraftProblem::NeedReason => ProctorText::NeedReason,
        DraftProblem::NeedText => ProctorText::NeedText,
        DraftProblem::TooLong => ProctorText::TooLong,
    }
}

/// A value typed into the input or textarea an event came from.
fn typed(e: &InputEvent) -> String {
    let target = e.target();
    if let Some(input) = target
        .clone()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        return input.value();
    }
    target
        .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
        .map(|t| t.value())
        .unwrap_or_default()
}

fn action_result(i18n: &I18n, response: &ActionResponse) -> Html {
    let p = |t| i18n.t(Text::Proctor(t));
    let refused = response.outcomes.iter().filter_map(|o| {
        let why = o.refused.as_ref()?;
        // The relay's sentence when it gave one, else its code.
        let why = o.message.clone().unwrap_or_else(|| why.clone());
        Some(html! {
            <li class="not-applied" data-candidate-id={o.candidate_id.to_string()}>
                { o.name.clone() }{ ": " }{ p(ProctorText::Refusal(why)) }
            </li>
        })
    });
    let any_refused = response.outcomes.iter().any(|o| o.refused.is_some());
    html! {
        <>
            <p class="applied" data-applied={response.applied.to_string()}>
                { p(ProctorText::Applied(response.applied)) }
            </p>
            if any_refused {
                <p>{ p(ProctorText::NotApplied) }</p>
                <ul class="not-applied-list">{ for refused }</ul>
            }
            if let Some(code) = &response.seat_code {
                <p class="seat-code-box">
                    { p(ProctorText::SeatCode) }{ " " }<b id="move-seat-code">{ code.clone() }</b>
                </p>
                <p class="hint">{ p(ProctorText::SeatCodeHint) }</p>
            }
        </>
    }
}

fn reply_view(i18n: &I18n, reply: &Reply) -> Html {
    let p = |t| i18n.t(Text::Proctor(t));
    match reply {
        Reply::Action(response) => action_result(i18n, response),
        Reply::Incident(_) => html! { <p>{ p(ProctorText::IncidentRecorded) }</p> },
        Reply::Messages(sent) => html! { <p>{ p(ProctorText::MessageSent(sent.len())) }</p> },
    }
}

#[component]
pub fn DialogView(props: &DialogViewProps) -> Html {
    let i18n = use_i18n();
    let ctx = use_proctor();
    let draft = use_state(Draft::default);
    let phase = use_state(|| Phase::Editing(None));
    let first_field = use_node_ref();
    {
        let first_field = first_field.clone();
        use_effect_with((), move |_| {
            if let Some(el) = first_field.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    let p = |t| i18n.t(Text::Proctor(t));
    let dialog = &props.dialog;
    let task = dialog.task;

    let edit = |apply: fn(&mut Draft, String)| {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let mut next = (*draft).clone();
            apply(&mut next, typed(&e));
            draft.set(next);
        })
    };
    let on_category = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let Some(select) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            else {
                return;
            };
            let category = IncidentCategory::ALL
                .into_iter()
                .find(|c| c.as_str() == select.value());
            if let Some(category) = category {
                draft.set(Draft {
                    category,
                    ..(*draft).clone()
                });
            }
        })
    };
    let onsubmit = {
        let (draft, phase, dialog, token) = (
            draft.clone(),
            phase.clone(),
            dialog.clone(),
            ctx.token.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *phase == Phase::Sending {
                return;
            }
            let request = match dialog.request(&draft) {
                Ok(request) => request,
                Err(problem) => return phase.set(Phase::Editing(Some(problem))),
            };
            phase.set(Phase::Sending);
            let (phase, token) = (phase.clone(), token.clone());
            wasm_bindgen_futures::spawn_local(async move {
                phase.set(match api::send(&request, &token).await {
                    Ok(reply) => Phase::Done(reply),
                    Err(e) => Phase::Refused(e),
                });
            });
        })
    };
    let close = props.on_close.reform(|_: MouseEvent| ());
    let onkeydown = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                on_close.emit(());
            }
        })
    };
    let busy = *phase == Phase::Sending;
    let title = format!("{} — {}", p(ProctorText::Task(task)), dialog.who);

    let body = if let Phase::Done(reply) = &*phase {
        html! {
            <>
                <div id="dialog-result">{ reply_view(&i18n, reply) }</div>
                <div class="dialog-buttons">
                    <button id="dialog-close" type="button" class="primary" onclick={close}>
                        { p(ProctorText::Close) }
                    </button>
                </div>
            </>
        }
    } else {
        let categories = IncidentCategory::ALL.iter().map(|&c| {
            html! {
                <option value={c.as_str()} selected={draft.category == c}>
                    { p(ProctorText::CategoryName(c)) }
                </option>
            }
        });
        html! {
            <>
                if task.takes_minutes() {
                    <label for="dialog-minutes">{ p(ProctorText::Minutes) }</label>
                    <input id="dialog-minutes" ref={first_field.clone()} type="number" min="1" max="240"
                        inputmode="numeric" value={draft.minutes.clone()} disabled={busy}
                        oninput={edit(|d, v| d.minutes = v)} />
                }
                if task.takes_text() {
                    if task == Task::Incident {
                        <label for="dialog-category">{ p(ProctorText::Category) }</label>
                        <select id="dialog-category" disabled={busy} onchange={on_category}>
                            { for categories }
                        </select>
                    }
                    <label for="dialog-text">
                        { p(if task == Task::Message { ProctorText::MessageText } else { ProctorText::IncidentText }) }
                    </label>
                    <textarea id="dialog-text" ref={first_field.clone()} rows="3" maxlength="1000"
                        value={draft.text.clone()} disabled={busy} oninput={edit(|d, v| d.text = v)} />
                } else {
                    <label for="dialog-reason">{ p(ProctorText::Reason) }</label>
                    <textarea id="dialog-reason" ref={if task.takes_minutes() { NodeRef::default() } else { first_field.clone() }}
                        rows="3" maxlength="1000" required=true value={draft.reason.clone()} disabled={busy}
                        oninput={edit(|d, v| d.reason = v)} />
                    <p class="hint">{ p(ProctorText::ReasonHint) }</p>
                }
                if let Phase::Editing(Some(problem)) = &*phase {
                    <p id="dialog-problem" class="error" role="alert">{ p(problem_text(*problem)) }</p>
                }
                if let Phase::Refused(error) = &*phase {
                    <div id="dialog-refusal" class="error" role="alert"
                        data-code={error.problem().data_code()}>
                        <p>{ p(ProctorText::RefusedBy) }{ " " }{ i18n.t(Text::Problem(error.problem())) }</p>
                        if let HttpError::Relay(body) = error {
                            <p class="relay-message">{ p(ProctorText::Refusal(body.message.clone())) }</p>
                        }
                    </div>
                }
                <div class="dialog-buttons">
                    <button id="dialog-cancel" type="button" onclick={close} disabled={busy}>
                        { p(ProctorText::Cancel) }
                    </button>
                    <button id="dialog-submit" type="submit" class="primary" disabled={busy}>
                        { p(if busy { ProctorText::Sending } else { ProctorText::Confirm }) }
                    </button>
                </div>
            </>
        }
    };

    html! {
        <div class="dialog-backdrop">
            <form id="task-dialog" class="card form dialog" role="dialog" aria-modal="true"
                aria-labelledby="task-dialog-title" data-task={task.name()}
                data-state={phase.name()} {onsubmit} {onkeydown} novalidate=true>
                <h2 id="task-dialog-title">{ title }</h2>
                { body }
            </form>
        </div>
    }
}
