//! `#candidate-search`: find a candidate anywhere the session may watch by
//! name, số báo danh or CCCD number (`GET /api/proctor/search?q=`); a hit
//! opens the candidate's room and their detail.

use examgate_shared::proctoring::SearchHit;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::api;
use super::context::use_proctor;
use super::texts::ProctorText;
use crate::i18n::{Problem, Text, use_i18n};

#[derive(Debug, Clone, PartialEq)]
enum Found {
    Nothing,
    Busy,
    Hits(Vec<SearchHit>),
    Failed(Problem),
}

#[component]
pub fn SearchBox() -> Html {
    let i18n = use_i18n();
    let ctx = use_proctor();
    let query = use_state(String::new);
    let found = use_state(|| Found::Nothing);
    let p = |t| i18n.t(Text::Proctor(t));

    let oninput = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                query.set(input.value());
            }
        })
    };
    let onsubmit = {
        let (query, found, token) = (query.clone(), found.clone(), ctx.token.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let q = query.trim().to_owned();
            if q.is_empty() {
                return found.set(Found::Nothing);
            }
            found.set(Found::Busy);
            let (found, token) = (found.clone(), token.clone());
            wasm_bindgen_futures::spawn_local(async move {
                found.set(match api::search(&q, &token).await {
                    Ok(hits) => Found::Hits(hits),
                    Err(e) => Found::Failed(e.problem()),
                });
            });
        })
    };
    let hit = |h: &SearchHit| {
        let (open, show) = (ctx.open_room.clone(), ctx.show_candidate.clone());
        let (room, candidate) = (h.room_id, h.candidate_id);
        let onclick = Callback::from(move |_: MouseEvent| {
            open.emit(room);
            show.emit(candidate);
        });
        html! {
            <li key={h.candidate_id} class="search-hit" data-candidate-id={h.candidate_id.to_string()}
                data-room-id={h.room_id.to_string()}>
                <button type="button" class="link" {onclick}>
                    if let Some(number) = &h.candidate_number {
                        <span class="candidate-number">{ number.clone() }</span>{ " " }
                    }
                    <b>{ h.name.clone() }</b>
                    { format!(" — {} — {} — ", h.site, h.room) }
                    { i18n.t(Text::RowStatus(h.status)) }
                </button>
            </li>
        }
    };
    let results = match &*found {
        Found::Nothing | Found::Busy => html! {},
        Found::Hits(hits) if hits.is_empty() => {
            html! { <p id="search-none" class="hint">{ p(ProctorText::NoHits) }</p> }
        }
        Found::Hits(hits) => html! { <ul id="search-hits">{ for hits.iter().map(hit) }</ul> },
        Found::Failed(problem) => html! {
            <p id="search-error" class="error" role="alert" data-code={problem.data_code()}>
                { i18n.t(Text::Problem(*problem)) }
            </p>
        },
    };
    html! {
        <div class="search">
            <form id="candidate-search" role="search" {onsubmit}>
                <label for="search-q">{ p(ProctorText::SearchLabel) }</label>
                <div class="search-row">
                    <input id="search-q" type="search" autocomplete="off" spellcheck="false"
                        value={(*query).clone()} {oninput} />
                    <button id="search-submit" type="submit" disabled={*found == Found::Busy}>
                        { p(ProctorText::SearchButton) }
                    </button>
                </div>
            </form>
            { results }
        </div>
    }
}
