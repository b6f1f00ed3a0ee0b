//! `#result-rows`: the candidates, one `tr.result-row` each, in the order
//! the report lists them: candidate number, name, room, mark (10-point
//! scale) and score (points). A sitting can hold a province's candidates,
//! so the table shows one page of [`PAGE_ROWS`] at a time, narrowed by
//! room (`#rows-room`) and by a name or number (`#rows-filter`): the page
//! stays as light with 100,000 rows as with 30.

use examgate_shared::results::ResultRow;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::format::{localise_point, mark};
use super::state::Report;
use crate::i18n::{ReportText, Text, use_i18n};

/// Rows on one page.
pub const PAGE_ROWS: usize = 100;

#[derive(Properties, PartialEq)]
pub struct ResultRowsProps {
    pub report: Report,
}

/// What narrows the table: a room (empty: all) and a text.
#[derive(Clone, Default, PartialEq)]
pub struct RowFilter {
    pub room: String,
    pub text: String,
}

impl RowFilter {
    /// Whether `row` passes: its room, and the text (case-insensitive) in
    /// its name or number.
    pub fn admits(&self, row: &ResultRow) -> bool {
        if !self.room.is_empty() && row.room != self.room {
            return false;
        }
        let needle = self.text.trim().to_lowercase();
        needle.is_empty()
            || row.candidate.to_lowercase().contains(&needle)
            || row
                .candidate_number
                .as_deref()
                .is_some_and(|n| n.to_lowercase().contains(&needle))
    }
}

/// The rows a page shows, and how many passed the filter.
pub fn page_of<'a>(
    rows: &'a [ResultRow],
    filter: &RowFilter,
    page: usize,
) -> (Vec<&'a ResultRow>, usize) {
    let mut matching = 0;
    let mut shown = Vec::with_capacity(PAGE_ROWS);
    let first = page * PAGE_ROWS;
    for row in rows.iter().filter(|r| filter.admits(r)) {
        if matching >= first && shown.len() < PAGE_ROWS {
            shown.push(row);
        }
        matching += 1;
    }
    (shown, matching)
}

#[component]
pub fn ResultRows(props: &ResultRowsProps) -> Html {
    let i18n = use_i18n();
    let r = |t| i18n.t(Text::Report(t));
    let lang = i18n.lang;
    let filter = use_state(RowFilter::default);
    let page = use_state(|| 0usize);
    // A new report starts at its first page, unfiltered.
    {
        let (filter, page) = (filter.clone(), page.clone());
        use_effect_with(props.report.clone(), move |_| {
            filter.set(RowFilter::default());
            page.set(0);
        });
    }
    // Once per report, not per keystroke.
    let rooms = use_memo(props.report.clone(), |report| {
        let mut rooms: Vec<String> = report
            .rows
            .iter()
            .map(|r| r.room.clone())
            .filter(|r| !r.is_empty())
            .collect();
        rooms.sort();
        rooms.dedup();
        rooms
    });
    let (shown, matching) = page_of(&props.report.rows, &filter, *page);
    let pages = matching.div_ceil(PAGE_ROWS).max(1);
    let first = *page * PAGE_ROWS;
    let rows = shown.into_iter().enumerate().map(|(i, row)| {
        html! {
            <tr key={first + i} class="result-row" data-mark={row.mark.to_string()}>
                <td class="number">{ row.candidate_number.clone().unwrap_or_default() }</td>
                <td class="name">{ row.candidate.clone() }</td>
                <td class="room">
                    { if row.room.is_empty() { "—".to_owned() } else { row.room.clone() } }
                </td>
                <td class="mark">{ mark(row.mark, lang) }</td>
                <td class="score">{ localise_point(row.score.clone(), lang) }</td>
            </tr>
        }
    });
    let on_text = {
        let (filter, page) = (filter.clone(), page.clone());
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            filter.set(RowFilter {
                text,
                ..(*filter).clone()
            });
            page.set(0);
        })
    };
    let on_room = {
        let (filter, page) = (filter.clone(), page.clone());
        Callback::from(move |e: Event| {
            let room = e.target_unchecked_into::<HtmlSelectElement>().value();
            filter.set(RowFilter {
                room,
                ..(*filter).clone()
            });
            page.set(0);
        })
    };
    let to_page = |to: usize| {
        let page = page.clone();
        Callback::from(move |_: MouseEvent| page.set(to))
    };
    html! {
        <section class="card rows-panel" aria-labelledby="result-rows-title">
            <h2 id="result-rows-title">{ r(ReportText::RowsTitle) }</h2>
            if props.report.rows.is_empty() {
                <p class="waiting">{ r(ReportText::NoRows) }</p>
            } else {
                <div class="rows-tools">
                    <input id="rows-filter" type="search" placeholder={r(ReportText::RowsFilter)}
                        aria-label={r(ReportText::RowsFilter)} value={filter.text.clone()} oninput={on_text} />
                    if rooms.len() > 1 {
                        <select id="rows-room" aria-label={r(ReportText::ColRoom)} onchange={on_room}>
                            <option value="" selected={filter.room.is_empty()}>{ r(ReportText::RowsAllRooms) }</option>
                            { for rooms.iter().map(|room| html! {
                                <option value={room.clone()} selected={filter.room == *room}>{ room.clone() }</option>
                            }) }
                        </select>
                    }
                    <span id="rows-page" data-matching={matching.to_string()} data-page={page.to_string()}>
                        { r(ReportText::RowsPage {
                            first: if matching == 0 { 0 } else { first + 1 },
                            last: (first + PAGE_ROWS).min(matching),
                            matching,
                            total: props.report.rows.len(),
                        }) }
                    </span>
                    <button id="rows-prev" type="button" disabled={*page == 0}
                        onclick={to_page(page.saturating_sub(1))}>{ r(ReportText::RowsPrev) }</button>
                    <button id="rows-next" type="button" disabled={*page + 1 >= pages}
                        onclick={to_page(*page + 1)}>{ r(ReportText::RowsNext) }</button>
                </div>
            }
            <div class="table-scroll">
                <table id="result-rows" class="candidates result-rows">
                    <thead>
                        <tr>
                            <th scope="col">{ r(ReportText::ColNumber) }</th>
                            <th scope="col">{ i18n.t(Text::ColName) }</th>
                            <th scope="col">{ r(ReportText::ColRoom) }</th>
                            <th scope="col">{ i18n.t(Text::ColMark) }</th>
                            <th scope="col">{ r(ReportText::ColScore) }</th>
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use examgate_shared::points::Mark10;

    fn row(i: usize, room: &str) -> ResultRow {
        ResultRow {
            candidate: format!("Thí sinh {i}"),
            room: room.into(),
            mark: Mark10::from_tenths(50),
            score: "5".into(),
            items: Vec::new(),
            candidate_number: Some(format!("SB{i:05}")),
        }
    }

    #[test]
    fn pages_of_a_hundred_narrowed_by_room_and_text() {
        let rows: Vec<ResultRow> = (0..1_050)
            .map(|i| row(i, if i % 2 == 0 { "P.01" } else { "P.02" }))
            .collect();
        let all = RowFilter::default();
        let (first, matching) = page_of(&rows, &all, 0);
        assert_eq!((first.len(), matching), (100, 1_050));
        assert_eq!(first[0].candidate, "Thí sinh 0");
        let (last, _) = page_of(&rows, &all, 10);
        assert_eq!(last.len(), 50);
        assert_eq!(last[49].candidate, "Thí sinh 1049");
        let room = RowFilter {
            room: "P.02".into(),
            text: String::new(),
        };
        let (p, matching) = page_of(&rows, &room, 0);
        assert_eq!(matching, 525);
        assert!(p.iter().all(|r| r.room == "P.02"));
        let number = RowFilter {
            room: String::new(),
            text: " sb00123 ".into(),
        };
        let (p, matching) = page_of(&rows, &number, 0);
        assert_eq!((matching, p[0].candidate.as_str()), (1, "Thí sinh 123"));
        let name = RowFilter {
            room: "P.01".into(),
            text: "THÍ SINH 10".into(),
        };
        // 10, 100–109 (even ones only), 1000–1049 (even ones only).
        assert_eq!(page_of(&rows, &name, 0).1, 1 + 5 + 25);
    }
}
