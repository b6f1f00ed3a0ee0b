//! A short numeric answer: `input.numeric-answer`, a hint on the expected
//! form, and `.numeric-error` saying why the text is not a number.
//!
//! The box only reports what happens (each edit, Enter, leaving it); when a
//! number is sent is the reducer's business ([`AnswerInput::Type`],
//! [`AnswerInput::Commit`]), so the pause in typing and the "never send what
//! does not parse" rule are tested on the host.

use examgate_shared::answer::MAX_TYPED_CHARS;
use examgate_shared::exam::QuestionId;
use examgate_shared::numeric::NumericError;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::state::AnswerInput;
use crate::i18n::{Text, use_i18n};
use crate::time;

#[derive(Properties, PartialEq)]
pub struct AnswerNumericProps {
    pub qid: QuestionId,
    /// What the box holds: the draft being typed, else the stored answer.
    pub text: AttrValue,
    pub error: Option<NumericError>,
    pub disabled: bool,
    pub on_answer: Callback<(QuestionId, AnswerInput)>,
}

/// The `data-code` of `.numeric-error`, for tests and styling.
fn problem_code(problem: NumericError) -> &'static str {
    match problem {
        NumericError::Empty => "empty",
        NumericError::SeveralSeparators => "several_separators",
        NumericError::InvalidChar(_) => "invalid_char",
        NumericError::MisplacedSign => "misplaced_sign",
        NumericError::NoDigits => "no_digits",
        NumericError::TooLong => "too_long",
    }
}

#[component]
pub fn AnswerNumeric(props: &AnswerNumericProps) -> Html {
    let i18n = use_i18n();
    let qid = props.qid;
    let (input_id, hint_id, error_id) = (
        format!("numeric-answer-{}", qid.0),
        format!("numeric-hint-{}", qid.0),
        format!("numeric-error-{}", qid.0),
    );
    let oninput = {
        let on_answer = props.on_answer.clone();
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            on_answer.emit((
                qid,
                AnswerInput::Type {
                    text,
                    at: time::now(),
                },
            ));
        })
    };
    let onblur = props
        .on_answer
        .reform(move |_: FocusEvent| (qid, AnswerInput::Commit));
    let onkeydown = {
        let on_answer = props.on_answer.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                e.prevent_default();
                on_answer.emit((qid, AnswerInput::Commit));
            }
        })
    };
    let described_by = if props.error.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        hint_id.clone()
    };
    html! {
        <div class="numeric">
            <label for={input_id.clone()} class="numeric-label">{ i18n.t(Text::NumericLabel) }</label>
            // No inputmode="decimal": some phone keyboards then lack the
            // minus sign, and negative answers are common.
            // `data-qid` names the question when a paste is reported.
            <input id={input_id} type="text" class={classes!("numeric-answer", props.error.map(|_| "invalid"))}
                data-qid={qid.0.to_string()}
                value={props.text.clone()} maxlength={MAX_TYPED_CHARS.to_string()}
                autocomplete="off" spellcheck="false"
                aria-describedby={described_by}
                aria-invalid={props.error.is_some().to_string()}
                disabled={props.disabled} {oninput} {onblur} {onkeydown} />
            <p id={hint_id} class="answer-hint numeric-hint">{ i18n.t(Text::NumericHint) }</p>
            if let Some(problem) = props.error {
                <p id={error_id} class="numeric-error" role="alert" data-code={problem_code(problem)}>
                    { i18n.t(Text::NumericProblem(problem)) }
                </p>
            }
        </div>
    }
}
