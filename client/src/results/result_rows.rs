//! `#result-rows`: one `tr.result-row` per candidate, in the order the
//! report lists them: name, room, mark (10-point scale) and score (points).

use yew::prelude::*;

use super::format::{localise_point, mark};
use super::state::Report;
use crate::i18n::{ReportText, Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct ResultRowsProps {
    pub report: Report,
}

#[component]
pub fn ResultRows(props: &ResultRowsProps) -> Html {
    let i18n = use_i18n();
    let r = |t| i18n.t(Text::Report(t));
    let lang = i18n.lang;
    let rows = props.report.rows.iter().enumerate().map(|(i, row)| {
        html! {
            <tr key={i} class="result-row" data-mark={row.mark.to_string()}>
                <td class="name">{ row.candidate.clone() }</td>
                <td class="room">
                    { if row.room.is_empty() { "—".to_owned() } else { row.room.clone() } }
                </td>
                <td class="mark">{ mark(row.mark, lang) }</td>
                <td class="score">{ localise_point(row.score.clone(), lang) }</td>
            </tr>
        }
    });
    html! {
        <section class="card rows-panel" aria-labelledby="result-rows-title">
            <h2 id="result-rows-title">{ r(ReportText::RowsTitle) }</h2>
            if props.report.rows.is_empty() {
                <p class="waiting">{ r(ReportText::NoRows) }</p>
            }
            <div class="table-scroll">
                <table id="result-rows" class="candidates result-rows">
                    <thead>
                        <tr>
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
