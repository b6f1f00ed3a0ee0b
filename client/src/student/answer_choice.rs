//! Choice options (`ol.options`): one `button.option[data-option]` per
//! option, in the order this candidate's paper shows them.
//!
//! The letter beside an option is its place on screen (A for the first
//! shown); `data-option` and everything sent carry the canonical id, so a
//! shuffled paper is graded like any other. Single choice and multiple
//! response share this list; multiple response adds the class `multi`.

use std::collections::BTreeSet;

use examgate_shared::exam::{OptionId, QuestionId};
use examgate_shared::paper::PaperOption;
use yew::prelude::*;

use super::shown::position_letter;
use super::state::AnswerInput;
use crate::rich_text::rich_text;

/// The keys that pick the option at `position` (`keys.rs`): its letter
/// and its number, for the first eight.
fn shortcut_keys(position: usize) -> Option<String> {
    (position < 8).then(|| format!("{} {}", position_letter(position), position + 1))
}

#[derive(Properties, PartialEq)]
pub struct OptionListProps {
    pub qid: QuestionId,
    /// In display order.
    pub options: Vec<PaperOption>,
    pub selected: BTreeSet<OptionId>,
    /// Options toggle independently (multiple response) rather than one
    /// replacing another.
    #[prop_or_default]
    pub multi: bool,
    pub disabled: bool,
    pub on_answer: Callback<(QuestionId, AnswerInput)>,
}

#[component]
pub fn OptionList(props: &OptionListProps) -> Html {
    let options = props.options.iter().enumerate().map(|(position, option)| {
        let id = option.id;
        let selected = props.selected.contains(&id);
        let onclick = {
            let (on_answer, qid, multi) = (props.on_answer.clone(), props.qid, props.multi);
            Callback::from(move |_: MouseEvent| {
                let input = if multi {
                    AnswerInput::Toggle(id)
                } else {
                    AnswerInput::Choose(id)
                };
                on_answer.emit((qid, input));
            })
        };
        let class = classes!(
            "option",
            props.multi.then_some("multi"),
            selected.then_some("selected")
        );
        html! {
            <li key={id.0}>
                <button type="button" {class} data-option={id.0.to_string()}
                    aria-pressed={selected.to_string()} disabled={props.disabled}
                    aria-keyshortcuts={shortcut_keys(position)} {onclick}>
                    <span class="option-letter">{ position_letter(position) }</span>
                    <span class="option-text">{ rich_text(&option.text) }</span>
                </button>
            </li>
        }
    });
    html! {
        <ol class={classes!("options", props.multi.then_some("multi"))}>{ for options }</ol>
    }
}

#[derive(Properties, PartialEq)]
pub struct AnswerChoiceProps {
    pub qid: QuestionId,
    pub options: Vec<PaperOption>,
    pub chosen: Option<OptionId>,
    pub disabled: bool,
    pub on_answer: Callback<(QuestionId, AnswerInput)>,
}

/// Single choice: one option at a time; clicking the chosen one clears it.
#[component]
pub fn AnswerChoice(props: &AnswerChoiceProps) -> Html {
    // Extended rather than collected: collecting sorts, and a sort is
    // compiled per type.
    let mut selected = BTreeSet::new();
    selected.extend(props.chosen);
    html! {
        <OptionList qid={props.qid} options={props.options.clone()} {selected}
            disabled={props.disabled} on_answer={props.on_answer.clone()} />
    }
}
