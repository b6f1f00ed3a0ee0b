//! `#bank-paper`: a blueprint (the 2025 Math template or a one-part
//! paper, each row a kind, topic, level, count and points), a target
//! facility, the predicted score distribution (`#bp-expected`, from what
//! the bank learned), building the paper (`#bp-build`) and opening it as a
//! practice exam with a join code (`#practice-open`, `#practice-code`).

use std::rc::Rc;

use examgate_shared::bank::Level;
use examgate_shared::bank::api::{Counted, PaperBuilt, PracticeOpened, PracticeRequest};
use examgate_shared::bank::blueprint::Blueprint;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::api::Bank;
use super::draft::{self, Field, PaperDraft};
use super::state::Status;
use super::status::StatusLine;
use super::texts::BankText;
use crate::i18n::{Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct PaperProps {
    pub bank: Bank,
    pub built: Option<Rc<PaperBuilt>>,
    pub practice: Option<PracticeOpened>,
    pub status: Option<Status>,
    pub practice_status: Option<Status>,
    /// Questions ticked in the list, for a paper made by hand.
    pub picked: Vec<u64>,
}

#[component]
pub fn PaperBuilder(props: &PaperProps) -> Html {
    let i18n = use_i18n();
    let b = |t| i18n.t(Text::Bank(t));
    let draft = use_state(PaperDraft::default);
    let set = |field: Field| {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let mut next = (*draft).clone();
            next.set(field, e.target_unchecked_into::<HtmlInputElement>().value());
            draft.set(next);
        })
    };
    let toggle_answers = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let mut next = (*draft).clone();
            next.show_answers = e.target_unchecked_into::<HtmlInputElement>().checked();
            draft.set(next);
        })
    };
    let send = |dry_run: bool| {
        let (bank, draft) = (props.bank.clone(), draft.clone());
        Callback::from(move |_: MouseEvent| bank.build(draft.request(dry_run)))
    };
    // By hand: the ticked questions, in the order ticked, at the first
    // row's points, under the form's title, time and versions.
    let send_picked = |dry_run: bool| {
        let (bank, draft, picked) = (props.bank.clone(), draft.clone(), props.picked.clone());
        Callback::from(move |_: MouseEvent| {
            let mut request = draft.request(dry_run);
            request.items = picked.clone();
            bank.build(request)
        })
    };
    let template = |bp: fn() -> Blueprint| {
        let draft = draft.clone();
        Callback::from(move |_: MouseEvent| draft.set(PaperDraft::from(bp())))
    };
    let open_practice = {
        let (bank, built, rules) = (props.bank.clone(), props.built.clone(), draft.rules);
        Callback::from(move |_: MouseEvent| {
            if let Some(exam_id) = built.as_ref().and_then(|b| b.exam_id.clone()) {
                bank.practice(PracticeRequest {
                    exam_id,
                    days: 7,
                    rules,
                });
            }
        })
    };
    let print_paper = {
        let (bank, built) = (props.bank.clone(), props.built.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(exam_id) = built.as_ref().and_then(|b| b.exam_id.clone()) {
                bank.print(exam_id);
            }
        })
    };
    let choose = |field: Field| {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let mut next = (*draft).clone();
            next.set(
                field,
                e.target_unchecked_into::<HtmlSelectElement>().value(),
            );
            draft.set(next);
        })
    };
    let change_rows = |s: usize, remove: Option<usize>| {
        let draft = draft.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*draft).clone();
            match remove {
                Some(r) => next.remove_row(s, r),
                None => next.add_row(s),
            }
            draft.set(next);
        })
    };
    let rows = draft.blueprint.sections.iter().enumerate().flat_map(|(s, section)| {
        let (set, choose, change_rows, b) = (&set, &choose, &change_rows, &b);
        let last = section.rows.len() - 1;
        section.rows.iter().enumerate().map(move |(r, row)| html! {
            <tr class="bp-row" data-section={s.to_string()} data-row={r.to_string()}>
                <td>{ section.title.clone() }</td>
                <td>
                    <select id={format!("bp-kind-{s}-{r}")} aria-label={b(BankText::ColKind)} onchange={choose(Field::Kind(s, r))}>
                        { for ["", "single_choice", "true_false", "numeric", "multiple_response"].iter().map(|k| html! {
                            <option value={*k} selected={row.kind.as_deref().unwrap_or("") == *k}>{ b(BankText::Kind((*k).to_string())) }</option>
                        }) }
                    </select>
                </td>
                <td>
                    <select id={format!("bp-level-{s}-{r}")} aria-label={b(BankText::Level)} onchange={choose(Field::Level(s, r))}>
                        <option value="" selected={row.level.is_none()}>{ b(BankText::AnyLevel) }</option>
                        { for Level::ALL.iter().map(|l| html! {
                            <option value={format!("{l:?}")} selected={row.level == Some(*l)}>{ b(BankText::LevelName(*l)) }</option>
                        }) }
                    </select>
                </td>
                <td><input class="bp-topic" type="text" value={row.topic.clone()} oninput={set(Field::Topic(s, r))}
                    aria-label={b(BankText::Topic)} /></td>
                <td><input id={format!("bp-count-{s}-{r}")} class="bp-count" type="number" min="0"
                    value={row.count.to_string()} oninput={set(Field::Count(s, r))} aria-label={b(BankText::ColCount)} /></td>
                <td><input class="bp-points" type="text" inputmode="decimal" value={row.points.to_string()}
                    oninput={set(Field::Points(s, r))} aria-label={b(BankText::ColPoints)} /></td>
                <td>
                    if last > 0 {
                        <button type="button" class="bp-remove-row" onclick={change_rows(s, Some(r))}>{ b(BankText::RemoveRow) }</button>
                    }
                    if r == last {
                        <button type="button" id={format!("bp-add-row-{s}")} onclick={change_rows(s, None)}>{ b(BankText::AddRow) }</button>
                    }
                </td>
            </tr>
        })
    });
    let expected = props.built.as_ref().map(|built| {
        let e = &built.expected;
        let bars = e.bands.iter().enumerate().map(|(i, share)| html! {
            <li class="band" data-band={i.to_string()} data-share={format!("{share:.4}")}>
                <span class="band-label">{ format!("{i}–{}", i + 1) }</span>
                // A drawn bar, not a `style` attribute: the page's
                // Content-Security-Policy allows no inline style.
                <svg class="band-bar" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true">
                    <rect width={format!("{:.1}", share * 100.0)} height="1" />
                </svg>
                <span class="band-share">{ format!("{:.0}%", share * 100.0) }</span>
            </li>
        });
        html! {
            <div id="bp-expected" data-mean={format!("{:.2}", e.mean_mark)}
                data-chosen={built.chosen.iter().flatten().count().to_string()}>
                <p>{ b(BankText::Expected {
                    mean: format!("{:.1}", e.mean_mark),
                    sd: format!("{:.1}", e.sd_mark),
                    facility: (e.mean_facility * 100.0).round() as u32,
                }) }</p>
                <ol class="bands">{ for bars }</ol>
                if let Some(id) = &built.exam_id {
                    <p id="bp-built" data-exam={id.clone()}>{ b(BankText::Built(id.clone())) }</p>
                    <div class="form-row">
                        <label for="practice-tries">{ b(BankText::Tries) }</label>
                        <input id="practice-tries" type="number" min="0" value={draft.rules.attempts.to_string()}
                            oninput={set(Field::Tries)} />
                        <label for="practice-counted">{ b(BankText::CountedLabel) }</label>
                        <select id="practice-counted" onchange={choose(Field::Counted)}>
                            <option value="best" selected={draft.rules.counted == Counted::Best}>{ b(BankText::CountBest) }</option>
                            <option value="last" selected={draft.rules.counted == Counted::Last}>{ b(BankText::CountLast) }</option>
                        </select>
                    </div>
                    <button id="practice-open" type="button" onclick={open_practice.clone()}>{ b(BankText::OpenPractice) }</button>
                    <button id="bp-print" type="button" onclick={print_paper.clone()}>{ b(BankText::PrintPaper) }</button>
                }
            </div>
        }
    });
    html! {
        <section id="bank-paper" class="card bank-section" aria-labelledby="bank-paper-title">
            <h2 id="bank-paper-title">{ b(BankText::PaperTitle) }</h2>
            <button id="bp-template-2025" type="button" onclick={template(|| Blueprint::math_2025("Đề thi thử"))}>
                { b(BankText::Template2025) }</button>
            <button id="bp-template-simple" type="button" onclick={template(|| draft::simple(2))}>
                { b(BankText::TemplateSimple) }</button>
            <div class="form-row">
                <label for="bp-title">{ b(BankText::Title) }</label>
                <input id="bp-title" type="text" value={draft.blueprint.title.clone()} oninput={set(Field::Title)} />
                <label for="bp-minutes">{ b(BankText::Minutes) }</label>
                <input id="bp-minutes" type="number" min="1" value={draft.blueprint.minutes.to_string()}
                    oninput={set(Field::Minutes)} />
            </div>
            <table id="bp-rows">
                <thead><tr><th></th><th>{ b(BankText::ColKind) }</th><th>{ b(BankText::Level) }</th><th>{ b(BankText::Topic) }</th>
                    <th>{ b(BankText::ColCount) }</th><th>{ b(BankText::ColPoints) }</th><th></th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            <div class="form-row">
                <label for="bp-target">{ b(BankText::TargetFacility) }</label>
                <input id="bp-target" type="number" min="0" max="100" value={draft.target.clone()}
                    oninput={set(Field::Target)} />
                <label for="bp-versions">{ b(BankText::Versions) }</label>
                <input id="bp-versions" type="number" min="0" value={draft.versions.clone()}
                    oninput={set(Field::Versions)} />
                <label><input id="bp-show-answers" type="checkbox" checked={draft.show_answers}
                    onchange={toggle_answers} /> { b(BankText::ShowAnswers) }</label>
            </div>
            <button id="bp-predict" type="button" onclick={send(true)}>{ b(BankText::Predict) }</button>
            <button id="bp-build" type="button" onclick={send(false)}>{ b(BankText::Build) }</button>
            if !props.picked.is_empty() {
                <button id="bp-predict-picked" type="button" onclick={send_picked(true)}>
                    { b(BankText::PredictPicked(props.picked.len())) }</button>
                <button id="bp-build-picked" type="button" onclick={send_picked(false)}>
                    { b(BankText::BuildPicked(props.picked.len())) }</button>
            }
            <StatusLine id="bp-status" status={props.status.clone()} />
            { for expected }
            <StatusLine id="practice-status" status={props.practice_status.clone()} />
            if let Some(p) = &props.practice {
                <p id="practice-code" data-code={p.code.clone()} data-sitting={p.sitting_id.to_string()}>
                    { b(BankText::PracticeCode(p.code.clone())) }
                </p>
            }
        </section>
    }
}
