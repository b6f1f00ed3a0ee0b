//! One question (`.question[data-qid]`): number, points, text and options.

use std::rc::Rc;

use examgate_shared::exam::{OptionId, Paper, QuestionId};
use yew::prelude::*;

use crate::i18n::{Text, use_i18n};
use crate::rich_text::rich_text;

#[derive(Properties, PartialEq)]
pub struct QuestionProps {
    pub paper: Rc<Paper>,
    /// Position on the paper (0-based); shown 1-based.
    pub index: usize,
    pub chosen: Option<OptionId>,
    /// Time is up, submitted, or this tab lost its session.
    pub disabled: bool,
    pub on_choose: Callback<(QuestionId, OptionId)>,
}

#[component]
pub fn QuestionView(props: &QuestionProps) -> Html {
    let i18n = use_i18n();
    let Some(q) = props.paper.questions.get(props.index) else {
        return Html::default();
    };
    let options = q.options.iter().enumerate().map(|(i, text)| {
        // Option lists are at most 8 long (MAX_OPTIONS), so this never saturates.
        let option = OptionId(u8::try_from(i).unwrap_or(u8::MAX));
        let selected = props.chosen == Some(option);
        let onclick = {
            let (on_choose, qid) = (props.on_choose.clone(), q.id);
            Callback::from(move |_: MouseEvent| on_choose.emit((qid, option)))
        };
        html! {
            <li key={i}>
                <button type="button" class={classes!("option", selected.then_some("selected"))}
                    data-option={option.0.to_string()} aria-pressed={selected.to_string()}
                    disabled={props.disabled} {onclick}>
                    <span class="option-letter">{ option.letter() }</span>
                    <span class="option-text">{ rich_text(text) }</span>
                </button>
            </li>
        }
    });
    html! {
        <article class="question" data-qid={q.id.0.to_string()}>
            <header class="question-head">
                <h2 class="question-number">{ i18n.t(Text::QuestionNumber(props.index + 1)) }</h2>
                <span class="question-points">{ i18n.t(Text::QuestionPoints(q.points)) }</span>
            </header>
            <div class="question-text">{ rich_text(&q.text) }</div>
            <ol class="options">{ for options }</ol>
        </article>
    }
}
