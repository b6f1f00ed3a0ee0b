//! `#result`: the mark and, per question, what was chosen and what was
//! right.

use std::rc::Rc;

use examgate_shared::exam::OptionId;
use examgate_shared::scoring::ItemGrade;
use yew::prelude::*;

use super::state::FinalResult;
use crate::i18n::{LangToggle, Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct ResultProps {
    pub result: Rc<FinalResult>,
    pub title: AttrValue,
    pub name: AttrValue,
    pub on_leave: Callback<()>,
}

#[component]
pub fn ResultView(props: &ResultProps) -> Html {
    let i18n = use_i18n();
    let grade = &props.result.grade;
    let correct = grade.items.iter().filter(|i| i.correct).count();
    let items = grade.items.iter().enumerate().map(|(i, item)| {
        let (class, verdict) = verdict(item);
        html! {
            <li key={item.question.0} class={classes!("result-item", class)}
                data-qid={item.question.0.to_string()}>
                <span class="result-number">{ i18n.t(Text::QuestionNumber(i + 1)) }</span>
                <span class="chosen">
                    { i18n.t(Text::ResultChosen) }{ ": " }<b>{ letter(item.chosen) }</b>
                </span>
                <span class="key">
                    { i18n.t(Text::ResultKey) }{ ": " }<b>{ item.key.letter() }</b>
                </span>
                <span class="verdict">{ i18n.t(verdict) }</span>
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
                    { i18n.t(Text::ResultCorrect { correct, total: grade.items.len() }) }
                </p>
                <p class="hint">{ i18n.t(Text::ResultHow(props.result.status)) }</p>
            </section>
            <ol id="result-items" class="result-items">{ for items }</ol>
            <button id="leave" type="button" class="primary"
                onclick={props.on_leave.reform(|_: MouseEvent| ())}>{ i18n.t(Text::Leave) }</button>
        </div>
    }
}

fn verdict(item: &ItemGrade) -> (&'static str, Text) {
    match (item.chosen, item.correct) {
        (None, _) => ("blank", Text::VerdictBlank),
        (Some(_), true) => ("correct", Text::VerdictCorrect),
        (Some(_), false) => ("wrong", Text::VerdictWrong),
    }
}

fn letter(option: Option<OptionId>) -> String {
    option.map_or_else(|| "—".to_owned(), |o| o.letter().to_string())
}
