//! The bar under the question: `#prev`, `#flag`, `#next`, and the line
//! naming their keys and the options' (`keys.rs`).

use yew::prelude::*;

use super::state::ExamAction;
use super::texts::StudentText;
use crate::i18n::{Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct QuestionNavProps {
    pub first: bool,
    pub last: bool,
    pub flagged: bool,
    /// The exam reducer's dispatcher; stable, so ticks do not redraw this.
    pub dispatch: Callback<ExamAction>,
}

#[component]
pub fn QuestionNav(props: &QuestionNavProps) -> Html {
    let i18n = use_i18n();
    let send = |action: fn() -> ExamAction| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(action()))
    };
    let flag_text = if props.flagged {
        Text::Unflag
    } else {
        Text::Flag
    };
    html! {
        <>
        <nav class="question-nav">
            <button id="prev" type="button" disabled={props.first} aria-keyshortcuts="ArrowLeft P"
                onclick={send(|| ExamAction::Prev)}>{ i18n.t(Text::Prev) }</button>
            <button id="flag" type="button" class={classes!(props.flagged.then_some("active"))}
                aria-keyshortcuts="M"
                aria-pressed={props.flagged.to_string()}
                onclick={send(|| ExamAction::ToggleFlag)}>{ i18n.t(flag_text) }</button>
            <button id="next" type="button" disabled={props.last} aria-keyshortcuts="ArrowRight N"
                onclick={send(|| ExamAction::Next)}>{ i18n.t(Text::Next) }</button>
        </nav>
        <p id="shortcut-hint" class="hint shortcut-hint">{ i18n.t(Text::Student(StudentText::ShortcutHint)) }</p>
        </>
    }
}
