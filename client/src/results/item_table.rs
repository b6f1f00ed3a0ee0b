//! `table#items`: one `tr.item[data-qid]` per analysed question, with the
//! item statistics as Moodle shows them (percentages) and the flags as
//! badges (`span.flag[data-flag]`).
//!
//! Headings sort (`th[data-sort]`, `aria-sort`); the order itself is
//! [`Sort::order`], tested with the reducer. A row with a likely wrong key or
//! no discrimination is marked (`.alert`, `data-alert`), because those are
//! the items a teacher must look at before the marks are final. Clicking a
//! row opens its option chart.

use examgate_shared::analysis::{Flag, ItemStats, Stat};
use examgate_shared::exam::QuestionId;
use yew::prelude::*;

use super::format::{number, stat_html};
use super::state::{Report, Sort, SortKey};
use crate::i18n::{I18n, ReportText, Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct ItemTableProps {
    pub report: Report,
    pub sort: Sort,
    pub selected: Option<usize>,
    pub on_sort: Callback<SortKey>,
    pub on_select: Callback<usize>,
}

/// `data-alert` of a row that must stand out, if it must.
pub fn alert(flags: &[Flag]) -> Option<&'static str> {
    if flags.contains(&Flag::LikelyWrongKey) {
        Some("likely_wrong_key")
    } else if flags.contains(&Flag::DoesNotDiscriminate) {
        Some("does_not_discriminate")
    } else {
        None
    }
}

/// The question's label: its id as the paper numbers it.
pub fn question_id(questions: &[QuestionId], index: usize) -> u32 {
    // `questions` is in item order; the fallback only guards a malformed
    // report, where the position is the best label left.
    questions.get(index).map_or(index as u32 + 1, |q| q.0)
}

#[component]
pub fn ItemTable(props: &ItemTableProps) -> Html {
    let i18n = use_i18n();
    let r = |t| i18n.t(Text::Report(t));
    let analysis = &props.report.analysis;
    let headings = SortKey::ALL.iter().map(|&key| {
        let sorted = props.sort.key == key;
        let aria = if sorted { props.sort.dir.aria() } else { "none" };
        let arrow = match (sorted, props.sort.dir) {
            (false, _) => "",
            (true, super::state::Dir::Asc) => " ▲",
            (true, super::state::Dir::Desc) => " ▼",
        };
        html! {
            <th scope="col" data-sort={key.code()} aria-sort={aria}
                class={classes!(sorted.then_some("sorted"))}
                title={r(ReportText::ColumnHelp(key))}
                onclick={props.on_sort.reform(move |_: MouseEvent| key)}>
                // The button makes the heading reachable by keyboard; its
                // click bubbles to the heading's handler.
                <button type="button" class="sort">
                    { r(ReportText::Column(key)) }<span class="sort-mark" aria-hidden="true">{ arrow }</span>
                </button>
            </th>
        }
    });
    let rows = props.sort.order(&analysis.items).into_iter().map(|index| {
        let item = &analysis.items[index];
        let qid = question_id(&props.report.questions, index);
        item_row(
            &i18n,
            index,
            qid,
            item,
            props.selected == Some(index),
            props.on_select.reform(move |_: MouseEvent| index),
        )
    });
    html! {
        <section class="card items-panel" aria-labelledby="items-title">
            <h2 id="items-title">{ r(ReportText::ItemsTitle) }</h2>
            if analysis.items.is_empty() {
                <p class="waiting">{ r(ReportText::NoItems) }</p>
            } else {
                <p class="hint">{ r(ReportText::ItemsHint) }</p>
            }
            <div class="table-scroll">
                <table id="items" class="items">
                    <thead><tr>{ for headings }</tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </section>
    }
}

fn item_row(
    i18n: &I18n,
    index: usize,
    qid: u32,
    item: &ItemStats,
    selected: bool,
    onclick: Callback<MouseEvent>,
) -> Html {
    let cell = |col: &'static str, stat: Stat| {
        html! { <td data-col={col}>{ stat_html(i18n, stat, 1) }</td> }
    };
    let alert = alert(&item.flags);
    let flags = item.flags.iter().map(|&flag| {
        let option = match flag {
            Flag::UnusedDistractor { option } | Flag::DistractorFavoursStrong { option } => {
                Some(char::from(b'A' + option.min(25)).to_string())
            }
            _ => None,
        };
        // The tooltip has the full sentence in both languages: the English
        // one is the reference wording of the analysis documentation.
        let title = format!(
            "{}\n{}",
            ReportText::FlagSentence(flag).render(i18n.lang),
            ReportText::FlagSentence(flag).render(i18n.lang.other()),
        );
        html! {
            <span class="flag" data-flag={flag.name()} data-option={option} {title}>
                { i18n.t(Text::Report(ReportText::FlagBadge(flag))) }
            </span>
        }
    });
    html! {
        <tr key={index} class={classes!("item", selected.then_some("selected"), alert.map(|_| "alert"))}
            data-qid={qid.to_string()} data-index={index.to_string()} data-alert={alert}
            aria-selected={selected.to_string()} {onclick}>
            <th scope="row" data-col="question">
                <button type="button" class="item-open" aria-expanded={selected.to_string()}>
                    { i18n.t(Text::QuestionNumber(qid as usize)) }
                </button>
            </th>
            { cell("facility", item.facility_pct) }
            { cell("sd", item.sd_pct) }
            { cell("di", item.discrimination_index_pct) }
            { cell("de", item.discriminative_efficiency_pct) }
            { cell("point_biserial", item.point_biserial_pct) }
            { cell("upper_lower", item.upper_minus_lower_pct) }
            <td data-col="random_guess">
                <span class="stat" data-value={item.random_guess_pct.to_string()}>
                    { number(item.random_guess_pct, 1, i18n.lang) }
                </span>
            </td>
            { cell("effective_weight", item.effective_weight_pct) }
            <td data-col="flags" class="flags">{ for flags }</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worst_flag_decides_the_alert() {
        assert_eq!(alert(&[]), None);
        assert_eq!(alert(&[Flag::TooEasy]), None);
        assert_eq!(
            alert(&[Flag::TooEasy, Flag::DoesNotDiscriminate]),
            Some("does_not_discriminate")
        );
        assert_eq!(
            alert(&[Flag::DoesNotDiscriminate, Flag::LikelyWrongKey]),
            Some("likely_wrong_key")
        );
    }

    #[test]
    fn questions_are_labelled_by_id() {
        let ids = [QuestionId(4), QuestionId(9)];
        assert_eq!(question_id(&ids, 1), 9);
        assert_eq!(question_id(&ids, 5), 6);
    }
}
