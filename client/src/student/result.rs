//! `#result`: the mark and, per question, what was answered, what was right
//! (when the exam shows answers), and the points earned.
//!
//! Questions are listed and numbered as on this student's paper, and
//! options named by the letters it showed ([`super::shown`]); the grade
//! itself comes in the exam's canonical order and ids.

use std::rc::Rc;

use examgate_shared::paper::Paper;
use examgate_shared::scoring::{ItemGrade, Outcome};
use yew::prelude::*;

use super::shown::{self, Letters};
use super::state::FinalResult;
use crate::i18n::{LangToggle, Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct ResultProps {
    pub result: Rc<FinalResult>,
    /// The paper the student worked on, if this browser has it.
    pub paper: Option<Rc<Paper>>,
    pub title: AttrValue,
    pub name: AttrValue,
    pub on_leave: Callback<()>,
}

#[component]
pub fn ResultView(props: &ResultProps) -> Html {
    let i18n = use_i18n();
    let grade = &props.result.grade;
    let paper = props.paper.as_deref();
    let count = |outcome| grade.items.iter().filter(|i| i.outcome == outcome).count();
    let (correct, partial) = (count(Outcome::Right), count(Outcome::Partial));
    // A voided question counts for no one, so it is not among the total.
    let total = grade.items.len() - count(Outcome::Voided);
    // The exam shows answers to everyone or to no one.
    let keys_shown = grade.items.iter().any(|i| i.key.is_some());
    let items = in_paper_order(&grade.items, paper).into_iter().map(|(number, item)| {
        let (class, verdict) = verdict(item.outcome);
        let letters = Letters::of(paper, item.question);
        let label = if shown::is_choice(paper, item.question, item.answer.as_ref(), item.key.as_ref()) {
            Text::ResultChosen
        } else {
            Text::ResultAnswered
        };
        html! {
            <li key={item.question.0} class={classes!("result-item", class)}
                data-qid={item.question.0.to_string()} data-outcome={class}>
                <span class="result-number">{ i18n.t(Text::QuestionNumber(number)) }</span>
                <span class="chosen">
                    { i18n.t(label) }{ ": " }<b>{ i18n.t(shown::answer(item.answer.as_ref(), letters)) }</b>
                </span>
                if let Some(key) = &item.key {
                    <span class="key">
                        { i18n.t(Text::ResultKey) }{ ": " }<b>{ i18n.t(shown::key(key, letters)) }</b>
                    </span>
                }
                if item.outcome != Outcome::Voided {
                    <span class="item-score">
                        { i18n.t(Text::ItemScore { score: item.score, points: item.points }) }
                    </span>
                }
                <span class="verdict">{ i18n.t(verdict) }</span>
                if let Some(explanation) = &item.explanation {
                    <div class="explanation">
                        <b>{ i18n.t(Text::ResultExplanation) }{ ": " }</b>
                        { crate::rich_text::rich_text(explanation) }
                    </div>
                }
            </li>
        }
    });
    html! {
        <div id="result" class="page result">
            <header class="topbar">
                <div class="exam-id">
                    <h1 class="exam-title">{ props.title.clone() }</h1>
                    <p class="who">{ props.name.clone() }</p>
                </div>
                <LangToggle />
            </header>
            <section class="card result-summary">
                <h2>{ i18n.t(Text::ResultTitle) }</h2>
                <p class="mark-line">
                    <span class="label">{ i18n.t(Text::ResultMark) }</span>
                    <span id="result-mark" class="mark">{ grade.mark.to_string() }</span>
                </p>
                <p id="result-score">{ i18n.t(Text::ResultScore { score: grade.score, max: grade.max }) }</p>
                <p class="result-correct">
                    { i18n.t(Text::ResultCorrect { correct, total }) }
                    if partial > 0 {
                        <span class="result-partial">{ " · " }{ i18n.t(Text::ResultPartial(partial)) }</span>
                    }
                </p>
                <p class="hint">{ i18n.t(Text::ResultHow(props.result.status)) }</p>
            </section>
            <ol id="result-items" class={classes!("result-items", (!keys_shown).then_some("keys-hidden"))}>
                { for items }
            </ol>
            <button id="leave" type="button" class="primary"
                onclick={props.on_leave.reform(|_: MouseEvent| ())}>{ i18n.t(Text::Leave) }</button>
        </div>
    }
}

/// The items with the number each question had on `paper`, in that order;
/// questions the paper does not know keep the grade's order, after the rest.
fn in_paper_order<'a>(
    items: &'a [ItemGrade],
    paper: Option<&Paper>,
) -> Vec<(usize, &'a ItemGrade)> {
    // Walked rather than sorted (a paper is short, and a sort would be
    // compiled for this type into every student's download).
    let shown = paper.map_or(&[][..], |p| &p.questions[..]);
    let mut numbered: Vec<(usize, &ItemGrade)> = shown
        .iter()
        .enumerate()
        .flat_map(|(pos, q)| {
            items
                .iter()
                .filter(move |item| item.question == q.id)
                .map(move |item| (pos + 1, item))
        })
        .collect();
    numbered.extend(
        items
            .iter()
            .enumerate()
            .filter(|(_, item)| !shown.iter().any(|q| q.id == item.question))
            .map(|(i, item)| (i + 1, item)),
    );
    numbered
}

/// The item's class (and `data-outcome`) and its word.
fn verdict(outcome: Outcome) -> (&'static str, Text) {
    match outcome {
        Outcome::Right => ("correct", Text::VerdictCorrect),
        Outcome::Partial => ("partial", Text::VerdictPartial),
        Outcome::Wrong => ("wrong", Text::VerdictWrong),
        Outcome::Blank => ("blank", Text::VerdictBlank),
        Outcome::Voided => ("voided", Text::VerdictVoided),
    }
}
