//! `#central`: every room the session may watch as one line of counts
//! (`table#room-summaries`), problems first, sortable by any column,
//! filtered to rooms with warnings, with disconnections or of one site,
//! with the candidate search above. A click opens the room's table.
//!
//! Built for hundreds of rooms: lines are keyed by room and memoised on
//! their summary, which a patch replaces only for the rooms it names, so a
//! patch redraws those lines and no other; the order is recomputed only
//! when the summaries, the sort or the filters change.

use std::rc::Rc;

use examgate_shared::proctoring::{MAX_WATCHED_ROOMS, RoomSummary};
use examgate_shared::roster::RowStatus;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::context::use_proctor;
use super::search::SearchBox;
use super::state::Summaries;
use super::summary_order::{Filters, Sort, SortKey, count, ordered, sites};
use super::texts::ProctorText;
use crate::i18n::{Text, use_i18n};

/// The count columns, in the order the table shows them: a candidate's
/// way through the exam.
const COUNT_COLUMNS: [RowStatus; 6] = RowStatus::ALL;

#[derive(Properties, PartialEq)]
pub struct CentralViewProps {
    pub summaries: Rc<Summaries>,
    /// The rooms open now (their tables are below).
    pub open: Rc<Vec<u64>>,
}

fn checked(e: &Event) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|i| i.checked())
}

#[component]
pub fn CentralView(props: &CentralViewProps) -> Html {
    let i18n = use_i18n();
    let sort = use_state(Sort::default);
    let filters = use_state(Filters::default);
    let p = |t| i18n.t(Text::Proctor(t));
    let rooms = use_memo(
        (props.summaries.clone(), *sort, (*filters).clone()),
        |(all, sort, filters)| ordered(all, *sort, filters),
    );
    let site_list = use_memo(props.summaries.clone(), |all| sites(all));

    let set_filter = |apply: fn(&mut Filters, bool)| {
        let filters = filters.clone();
        Callback::from(move |e: Event| {
            let mut next = (*filters).clone();
            apply(&mut next, checked(&e));
            filters.set(next);
        })
    };
    let on_site = {
        let filters = filters.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
                .map(|s| s.value())
                .unwrap_or_default();
            filters.set(Filters {
                site: value.parse().ok(),
                ..(*filters).clone()
            });
        })
    };
    let header = |key: SortKey, label: String| {
        let aria = sort.aria(key);
        let sort = sort.clone();
        let onclick = Callback::from(move |_: MouseEvent| sort.set(sort.clicked(key)));
        html! {
            <th scope="col" data-sort={key.name()} aria-sort={aria}>
                <button type="button" class="sort" {onclick}>{ label }</button>
            </th>
        }
    };
    let problems_first = {
        let sort = sort.clone();
        Callback::from(move |_: MouseEvent| sort.set(Sort::default()))
    };
    let site_options = site_list.iter().map(|(id, name)| {
        html! {
            <option value={id.to_string()} selected={filters.site == Some(*id)}>{ name.clone() }</option>
        }
    });
    let lines = rooms.iter().map(|s| {
        html! {
            <SummaryLine key={s.room_id} summary={s.clone()} open={props.open.contains(&s.room_id)} />
        }
    });
    html! {
        <section id="central" class="central card">
            <div class="panel-head">
                <h2>{ p(ProctorText::CentralTitle) }</h2>
                <p id="summary-count" class="hint" data-shown={rooms.len().to_string()}
                    data-total={props.summaries.len().to_string()}>
                    { p(ProctorText::RoomsShown { shown: rooms.len(), total: props.summaries.len() }) }
                </p>
            </div>
            <SearchBox />
            <div class="filters">
                <label class="check">
                    <input id="filter-warnings" type="checkbox" checked={filters.with_warnings}
                        onchange={set_filter(|f, on| f.with_warnings = on)} />
                    { p(ProctorText::FilterWarnings) }
                </label>
                <label class="check">
                    <input id="filter-disconnected" type="checkbox" checked={filters.with_disconnected}
                        onchange={set_filter(|f, on| f.with_disconnected = on)} />
                    { p(ProctorText::FilterDisconnected) }
                </label>
                <label class="site-filter">
                    { p(ProctorText::FilterSite) }{ " " }
                    <select id="filter-site" onchange={on_site}>
                        <option value="" selected={filters.site.is_none()}>{ p(ProctorText::AllSites) }</option>
                        { for site_options }
                    </select>
                </label>
                <button id="sort-trouble" type="button" aria-pressed={(*sort == Sort::default()).to_string()}
                    onclick={problems_first}>
                    { p(ProctorText::ProblemsFirst) }
                </button>
            </div>
            if props.open.len() >= MAX_WATCHED_ROOMS {
                <p class="hint">{ p(ProctorText::OpenLimit(MAX_WATCHED_ROOMS)) }</p>
            }
            if rooms.is_empty() {
                <p class="waiting">{ p(ProctorText::NoRoomsMatch) }</p>
            } else {
                <div class="table-scroll">
                    <table id="room-summaries" class="summaries">
                        <thead>
                            <tr>
                                { header(SortKey::Site, p(ProctorText::ColSite)) }
                                { header(SortKey::Room, p(ProctorText::ColRoom)) }
                                { header(SortKey::Exam, p(ProctorText::ColExam)) }
                                { for COUNT_COLUMNS.iter().map(|&s| header(SortKey::Count(s), i18n.t(Text::RowStatus(s)))) }
                                { header(SortKey::Warnings, p(ProctorText::ColWarnings)) }
                                { header(SortKey::Incidents, p(ProctorText::ColIncidents)) }
                                { header(SortKey::PendingCheckins, p(ProctorText::ColPendingCheckins)) }
                            </tr>
                        </thead>
                        <tbody>{ for lines }</tbody>
                    </table>
                </div>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct SummaryLineProps {
    summary: Rc<RoomSummary>,
    open: bool,
}

/// One room's counts; a click opens its table.
#[component]
fn SummaryLine(props: &SummaryLineProps) -> Html {
    let i18n = use_i18n();
    let ctx = use_proctor();
    let s = &props.summary;
    let open = {
        let (open, id) = (ctx.open_room.clone(), s.room_id);
        Callback::from(move |_: MouseEvent| open.emit(id))
    };
    let counts = COUNT_COLUMNS.iter().map(|&status| {
        let n = count(&s.counts, status);
        html! { <td class={classes!("num", status.as_str(), (n > 0).then_some("some"))}>{ n }</td> }
    });
    html! {
        <tr class={classes!("room-summary", props.open.then_some("open"), (s.trouble() > 0).then_some("trouble"))}
            data-room-id={s.room_id.to_string()} data-site-id={s.site_id.to_string()}
            data-warnings={s.warnings.to_string()} data-disconnected={s.counts.disconnected.to_string()}
            data-trouble={s.trouble().to_string()} onclick={open}>
            <td class="site">{ s.site.clone() }</td>
            <td class="room-name">
                <button type="button" class="open-room link" aria-pressed={props.open.to_string()}
                    title={i18n.t(Text::Proctor(ProctorText::OpenRoom))}>
                    { s.name.clone() }
                </button>
                if props.open {
                    { " " }<span class="open-mark">{ i18n.t(Text::Proctor(ProctorText::RoomOpen)) }</span>
                }
            </td>
            <td class="exam">{ s.exam_title.clone() }</td>
            { for counts }
            <td class={classes!("num", "warnings", (s.warnings > 0).then_some("some"))}>{ s.warnings }</td>
            <td class={classes!("num", "incidents", (s.incidents > 0).then_some("some"))}>{ s.incidents }</td>
            <td class={classes!("num", "pending", (s.pending_checkins > 0).then_some("some"))}>{ s.pending_checkins }</td>
        </tr>
    }
}
