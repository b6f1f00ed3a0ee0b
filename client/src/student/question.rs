//! One question (`article.question[data-qid][data-kind]`): number, points,
//! text, and the answer area of its kind.

use std::collections::BTreeSet;
use std::rc::Rc;

use examgate_shared::answer::AnswerValue;
use examgate_shared::exam::QuestionId;
use examgate_shared::paper::{Paper, PaperBody};
use yew::prelude::*;

use super::answer_choice::AnswerChoice;
use super::answer_multi::AnswerMulti;
use super::answer_numeric::AnswerNumeric;
use super::answer_true_false::AnswerTrueFalse;
use super::state::{AnswerInput, Draft};
use crate::i18n::{Text, use_i18n};
use crate::rich_text::rich_text;

#[derive(Properties, PartialEq)]
pub struct QuestionProps {
    pub paper: Rc<Paper>,
    /// Position on the paper (0-based); shown 1-based.
    pub index: usize,
    /// The answer shown (the relay's, overlaid with the outbox).
    pub answer: Option<AnswerValue>,
    /// A numeric box's text while it is not the stored answer.
    pub draft: Option<Draft>,
    /// Time is up, submitted, or this tab lost its session.
    pub disabled: bool,
    /// Built once by the page, so the clock tick does not redraw this.
    pub on_answer: Callback<(QuestionId, AnswerInput)>,
}

#[component]
pub fn QuestionView(props: &QuestionProps) -> Html {
    let i18n = use_i18n();
    let Some(q) = props.paper.questions.get(props.index) else {
        return Html::default();
    };
    let (qid, disabled, on_answer) = (q.id, props.disabled, props.on_answer.clone());
    // An answer of another kind (never stored by the relay) shows as none.
    let body = match &q.body {
        PaperBody::SingleChoice { options } => {
            let chosen = match &props.answer {
                Some(AnswerValue::Choice(id)) => Some(*id),
                _ => None,
            };
            html! { <AnswerChoice {qid} options={options.clone()} {chosen} {disabled} {on_answer} /> }
        }
        PaperBody::MultipleResponse { options } => {
            let chosen = match &props.answer {
                Some(AnswerValue::Choices(set)) => set.clone(),
                _ => BTreeSet::new(),
            };
            html! { <AnswerMulti {qid} options={options.clone()} {chosen} {disabled} {on_answer} /> }
        }
        PaperBody::TrueFalse { statements } => {
            let marks = match &props.answer {
                Some(AnswerValue::TrueFalse(marks)) => marks.clone(),
                _ => Vec::new(),
            };
            html! {
                <AnswerTrueFalse {qid} statements={statements.clone()} {marks} {disabled} {on_answer} />
            }
        }
        PaperBody::Numeric => {
            let (text, error) = match (&props.draft, &props.answer) {
                (Some(draft), _) => (draft.text.clone(), draft.error),
                (None, Some(AnswerValue::Typed(text))) => (text.clone(), None),
                _ => (String::new(), None),
            };
            html! { <AnswerNumeric {qid} text={text} {error} {disabled} {on_answer} /> }
        }
    };
    html! {
        <article class="question" data-qid={q.id.0.to_string()} data-kind={q.body.kind_name()}>
            <header class="question-head">
                <h2 class="question-number">{ i18n.t(Text::QuestionNumber(props.index + 1)) }</h2>
                <span class="question-points">{ i18n.t(Text::QuestionPoints(q.points)) }</span>
            </header>
            <div class="question-text">{ rich_text(&q.text) }</div>
            { body }
        </article>
    }
}
