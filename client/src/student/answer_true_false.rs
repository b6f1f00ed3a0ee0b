//! The true/false cluster (`ol.statements`): statements a), b), c), d), each
//! with a "Đúng" and a "Sai" button (`button.tf[data-statement][data-value]`).
//!
//! Each statement is decided on its own and clicking the selected button
//! again un-decides it, because the 2025 scoring gives credit per statement
//! right: a student unsure of one statement can leave just that one open.

use examgate_shared::exam::QuestionId;
use yew::prelude::*;

use super::shown::position_letter;
use super::state::AnswerInput;
use crate::i18n::{Text, use_i18n};
use crate::rich_text::rich_text;

#[derive(Properties, PartialEq)]
pub struct AnswerTrueFalseProps {
    pub qid: QuestionId,
    pub statements: Vec<String>,
    /// Per statement, as answered so far (may be shorter: undecided).
    pub marks: Vec<Option<bool>>,
    pub disabled: bool,
    pub on_answer: Callback<(QuestionId, AnswerInput)>,
}

#[component]
pub fn AnswerTrueFalse(props: &AnswerTrueFalseProps) -> Html {
    let i18n = use_i18n();
    let statements = props.statements.iter().enumerate().map(|(i, text)| {
        let mark = props.marks.get(i).copied().flatten();
        let label = format!("{})", position_letter(i).to_ascii_lowercase());
        let button = |value: bool, text: Text| {
            let selected = mark == Some(value);
            let onclick = {
                let (on_answer, qid) = (props.on_answer.clone(), props.qid);
                Callback::from(move |_: MouseEvent| {
                    on_answer.emit((
                        qid,
                        AnswerInput::Decide {
                            statement: i,
                            value,
                        },
                    ));
                })
            };
            html! {
                <button type="button" class={classes!("tf", selected.then_some("selected"))}
                    data-statement={i.to_string()} data-value={value.to_string()}
                    aria-pressed={selected.to_string()} disabled={props.disabled} {onclick}>
                    { i18n.t(text) }
                </button>
            }
        };
        html! {
            <li key={i} class={classes!("statement", mark.is_some().then_some("decided"))}>
                <span class="statement-label">{ label.clone() }</span>
                <span class="statement-text">{ rich_text(text) }</span>
                <span class="tf-buttons" role="group" aria-label={label}>
                    { button(true, Text::MarkTrue) }
                    { button(false, Text::MarkFalse) }
                </span>
            </li>
        }
    });
    html! {
        <>
            <p class="answer-hint tf-hint">{ i18n.t(Text::TrueFalseHint) }</p>
            <ol class="statements">{ for statements }</ol>
        </>
    }
}
