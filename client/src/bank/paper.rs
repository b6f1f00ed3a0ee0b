//! `#bank-paper`: a blueprint (the 2025 Math template or a one-part
//! paper, each row a kind, topic, level, count and points), a target
//! facility, the predicted score distribution (`#bp-expected`, from what
//! the bank learned), building the paper (`#bp-build`) and opening it as a
//! practice exam with a join code (`#practice-open`, `#practice-code`).

use std::rc::Rc;

use examgate_shared::bank::api::{PaperBuilt, PaperRequest, PracticeOpened, PracticeRequest};
use examgate_shared::bank::blueprint::{Blueprint, BlueprintSection, Row};
use examgate_shared::points::Points;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::api::Bank;
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
}

/// A one-part paper: `count` single-choice questions of one point.
fn simple(count: u32) -> Blueprint {
    Blueprint {
        title: "Kiểm tra".into(),
        subject: String::new(),
        minutes: 15,
        sections: vec![BlueprintSection {
            title: "Phần I".into(),
            rows: vec![Row {
                kind: Some("single_choice".into()),
                topic: String::new(),
                level: None,
                count,
                points: Points::from_milli(1000),
            }],
            shuffle_questions: true,
            shuffle_options: true,
        }],
        target_facility: None,
        seed: 0,
    }
}

#[component]
pub fn PaperBuilder(props: &PaperProps) -> Html {
    let i18n = use_i18n();
    let b = |t| i18n.t(Text::Bank(t));
    let blueprint = use_state(|| simple(2));
    let (title, minutes, target, versions, show) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    let set_row = |s: usize, r: usize, field: &'static str| {
        let blueprint = blueprint.clone();
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            let mut next = (*blueprint).clone();
            if let Some(row) = next.sections.get_mut(s).and_then(|sec| sec.rows.get_mut(r)) {
                match field {
                    "count" => row.count = value.trim().parse().unwrap_or(row.count),
                    "topic" => row.topic = value,
                    _ => {
                        // "0,25" as teachers write it, or "0.25".
                        if let Ok(v) = value.trim().replace(',', ".").parse::<f64>() {
                            row.points = Points::from_milli((v * 1000.0).round().max(0.0) as u32);
                        }
                    }
                }
            }
            blueprint.set(next);
        })
    };
    let request = {
        let (blueprint, title, minutes, target, versions, show) = (
            blueprint.clone(),
            title.clone(),
            minutes.clone(),
            target.clone(),
            versions.clone(),
            show.clone(),
        );
        move |dry_run: bool| {
            let value = |r: &NodeRef| {
                r.cast::<HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default()
            };
            let mut bp = (*blueprint).clone();
            let t = value(&title);
            if !t.trim().is_empty() {
                bp.title = t;
            }
            bp.minutes = value(&minutes).trim().parse().unwrap_or(bp.minutes);
            bp.target_facility = value(&target).trim().parse::<f64>().ok().map(|p| p / 100.0);
            PaperRequest {
                blueprint: bp,
                items: Vec::new(),
                versions: value(&versions).trim().parse().ok(),
                show_answers: show.cast::<HtmlInputElement>().is_some_and(|i| i.checked()),
                dry_run,
            }
        }
    };
    let send = |dry_run: bool| {
        let (bank, request) = (props.bank.clone(), request.clone());
        Callback::from(move |_: MouseEvent| bank.build(request(dry_run)))
    };
    let template = |bp: fn() -> Blueprint| {
        let blueprint = blueprint.clone();
        Callback::from(move |_: MouseEvent| blueprint.set(bp()))
    };
    let open_practice = {
        let (bank, built) = (props.bank.clone(), props.built.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(exam_id) = built.as_ref().and_then(|b| b.exam_id.clone()) {
                bank.practice(PracticeRequest { exam_id, days: 7 });
            }
        })
    };
    let rows = blueprint.sections.iter().enumerate().flat_map(|(s, section)| {
        let set_row = &set_row;
        let b = &b;
        section.rows.iter().enumerate().map(move |(r, row)| html! {
            <tr class="bp-row">
                <td>{ section.title.clone() }</td>
                <td>{ b(BankText::Kind(row.kind.clone().unwrap_or_default())) }</td>
                <td><input class="bp-topic" type="text" value={row.topic.clone()} oninput={set_row(s, r, "topic")}
                    aria-label={b(BankText::Topic)} /></td>
                <td><input id={format!("bp-count-{s}-{r}")} class="bp-count" type="number" min="0"
                    value={row.count.to_string()} oninput={set_row(s, r, "count")} aria-label={b(BankText::ColCount)} /></td>
                <td><input class="bp-points" type="text" inputmode="decimal" value={row.points.to_string()}
                    oninput={set_row(s, r, "points")} aria-label={b(BankText::ColPoints)} /></td>
            </tr>
        })
    });
    let expected = props.built.as_ref().map(|built| {
        let e = &built.expected;
        let bars = e.bands.iter().enumerate().map(|(i, share)| html! {
            <li class="band" data-band={i.to_string()} data-share={format!("{share:.4}")}
                style={format!("--share:{:.1}%", share * 100.0)}>
                <span class="band-label">{ format!("{i}–{}", i + 1) }</span>
                <span class="band-bar"></span>
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
                    <button id="practice-open" type="button" onclick={open_practice.clone()}>{ b(BankText::OpenPractice) }</button>
                }
            </div>
        }
    });
    html! {
        <section id="bank-paper" class="card bank-section" aria-labelledby="bank-paper-title">
            <h2 id="bank-paper-title">{ b(BankText::PaperTitle) }</h2>
            <button id="bp-template-2025" type="button" onclick={template(|| Blueprint::math_2025("Đề thi thử"))}>
                { b(BankText::Template2025) }</button>
            <button id="bp-template-simple" type="button" onclick={template(|| simple(2))}>
                { b(BankText::TemplateSimple) }</button>
            <div class="form-row">
                <label for="bp-title">{ b(BankText::Title) }</label>
                <input id="bp-title" type="text" ref={title.clone()} value={blueprint.title.clone()} />
                <label for="bp-minutes">{ b(BankText::Minutes) }</label>
                <input id="bp-minutes" type="number" min="1" ref={minutes.clone()} value={blueprint.minutes.to_string()} />
            </div>
            <table id="bp-rows">
                <thead><tr><th></th><th>{ b(BankText::ColKind) }</th><th>{ b(BankText::Topic) }</th>
                    <th>{ b(BankText::ColCount) }</th><th>{ b(BankText::ColPoints) }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            <div class="form-row">
                <label for="bp-target">{ b(BankText::TargetFacility) }</label>
                <input id="bp-target" type="number" min="0" max="100" ref={target.clone()} />
                <label for="bp-versions">{ b(BankText::Versions) }</label>
                <input id="bp-versions" type="number" min="0" value="0" ref={versions.clone()} />
                <label><input id="bp-show-answers" type="checkbox" ref={show.clone()} /> { b(BankText::ShowAnswers) }</label>
            </div>
            <button id="bp-predict" type="button" onclick={send(true)}>{ b(BankText::Predict) }</button>
            <button id="bp-build" type="button" onclick={send(false)}>{ b(BankText::Build) }</button>
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
