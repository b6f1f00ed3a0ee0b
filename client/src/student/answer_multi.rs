//! Multiple response: the option list with toggles (`button.option.multi`)
//! and a hint that more than one answer may be right, since the buttons
//! look like single choice otherwise.

use std::collections::BTreeSet;

use examgate_shared::exam::{OptionId, QuestionId};
use examgate_shared::paper::PaperOption;
use yew::prelude::*;

use super::answer_choice::OptionList;
use super::state::AnswerInput;
use crate::i18n::{Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct AnswerMultiProps {
    pub qid: QuestionId,
    pub options: Vec<PaperOption>,
    pub chosen: BTreeSet<OptionId>,
    pub disabled: bool,
    pub on_answer: Callback<(QuestionId, AnswerInput)>,
}

#[component]
pub fn AnswerMulti(props: &AnswerMultiProps) -> Html {
    let i18n = use_i18n();
    html! {
        <>
            <p class="answer-hint multi-hint">{ i18n.t(Text::MultiHint) }</p>
            <OptionList qid={props.qid} options={props.options.clone()}
                selected={props.chosen.clone()} multi=true
                disabled={props.disabled} on_answer={props.on_answer.clone()} />
        </>
    }
}
