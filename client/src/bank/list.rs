//! `#bank-search`: search the bank (`#bank-q`, diacritics ignored when
//! `#bank-fold` is ticked) and list what was found (`#bank-list`, a
//! `.bank-row` per question with its level, facility and history), with
//! the export buttons for what is shown.

use std::rc::Rc;

use examgate_shared::bank::api::ItemSummary;
use examgate_shared::bank::images::strip;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::api::Bank;
use super::state::Status;
use super::status::StatusLine;
use super::texts::BankText;
use crate::i18n::{Text, use_i18n};
use crate::rich_text::rich_text;

#[derive(Properties, PartialEq)]
pub struct ListProps {
    pub bank: Bank,
    pub list: Option<Rc<Vec<ItemSummary>>>,
    pub status: Option<Status>,
    /// Ticked for a paper made by hand.
    pub picked: Vec<u64>,
}

#[component]
pub fn SearchList(props: &ListProps) -> Html {
    let i18n = use_i18n();
    let b = |t| i18n.t(Text::Bank(t));
    let query = use_node_ref();
    // Held in state: a re-render after the search must keep the tick.
    let fold = use_state(|| true);
    let toggle_fold = {
        let fold = fold.clone();
        Callback::from(move |e: Event| {
            fold.set(e.target_unchecked_into::<HtmlInputElement>().checked())
        })
    };
    let search = {
        let (bank, query, fold) = (props.bank.clone(), query.clone(), fold.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let q = query
                .cast::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            bank.search(q, *fold);
        })
    };
    let ids: Vec<u64> = props
        .list
        .iter()
        .flat_map(|l| l.iter().map(|i| i.id))
        .collect();
    let export = |format: &'static str| {
        let (bank, ids) = (props.bank.clone(), ids.clone());
        Callback::from(move |_: MouseEvent| bank.export(format, ids.clone()))
    };
    let rows = props.list.iter().flat_map(|l| l.iter()).map(|item| {
        let open = {
            let (bank, id) = (props.bank.clone(), item.id);
            Callback::from(move |_: MouseEvent| bank.open(id))
        };
        let pick = {
            let (bank, id) = (props.bank.clone(), item.id);
            Callback::from(move |e: Event| {
                bank.pick(id, e.target_unchecked_into::<HtmlInputElement>().checked())
            })
        };
        let stats = match item.facility {
            Some(f) => b(BankText::Facility { percent: (f * 100.0).round() as u32, sittings: item.sittings }),
            None => b(BankText::NeverSat),
        };
        html! {
            <tr key={item.id} class="bank-row" data-id={item.id.to_string()}
                data-version={item.version.to_string()} data-sittings={item.sittings.to_string()}>
                <td class="id">
                    <input type="checkbox" class="bank-pick" checked={props.picked.contains(&item.id)}
                        onchange={pick} aria-label={b(BankText::Pick(item.id))} />
                    { item.id }
                </td>
                <td class="text">{ rich_text(&strip(&item.text, &b(BankText::Picture))) }</td>
                <td>{ b(BankText::Kind(item.kind.clone())) }</td>
                <td>{ item.topic.clone() }</td>
                <td>{ item.level.map(|l| b(BankText::LevelName(l))).unwrap_or_default() }</td>
                <td class="stats">{ stats }</td>
                <td><button type="button" class="bank-edit" onclick={open}>{ b(BankText::Edit) }</button></td>
            </tr>
        }
    });
    html! {
        <section id="bank-search" class="card bank-section" aria-labelledby="bank-search-title">
            <h2 id="bank-search-title">{ b(BankText::SearchTitle) }</h2>
            <form class="form-row" onsubmit={search}>
                <input id="bank-q" type="search" ref={query.clone()} aria-label={b(BankText::Search)} />
                <label><input id="bank-fold" type="checkbox" checked={*fold} onchange={toggle_fold} />
                    { b(BankText::IgnoreDiacritics) }</label>
                <button id="bank-search-go" type="submit">{ b(BankText::Search) }</button>
            </form>
            <StatusLine id="bank-search-status" status={props.status.clone()} />
            if props.list.as_ref().is_some_and(|l| l.is_empty()) {
                <p class="waiting">{ b(BankText::NoQuestions) }</p>
            }
            <table id="bank-list" data-count={ids.len().to_string()}>
                <tbody>{ for rows }</tbody>
            </table>
            <div class="exports">
                <button id="export-gift" type="button" onclick={export("gift")}>{ b(BankText::Export("GIFT")) }</button>
                <button id="export-moodle" type="button" onclick={export("moodle_xml")}>{ b(BankText::Export("Moodle XML")) }</button>
                <button id="export-qti" type="button" onclick={export("qti")}>{ b(BankText::Export("QTI 3.0")) }</button>
            </div>
        </section>
    }
}
