//! The messages above the question: time up, handing in, replaced by
//! another tab, a refusal, or a fatal error.

use examgate_shared::error::ErrorCode;
use yew::prelude::*;

use crate::i18n::{Problem, Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct BannersProps {
    pub time_up: bool,
    pub submitting: bool,
    pub awaiting_result: bool,
    pub replaced: bool,
    pub fatal: Option<ErrorCode>,
    pub notice: Option<ErrorCode>,
    pub on_dismiss: Callback<()>,
}

#[component]
pub fn Banners(props: &BannersProps) -> Html {
    let i18n = use_i18n();
    // Taking over, or recovering from a refusal, is a reload: the page then
    // re-reads the stored record, which another tab may have moved on.
    let reload = Callback::from(|_: MouseEvent| {
        let _ = gloo::utils::window().location().reload();
    });
    let dismiss = props.on_dismiss.reform(|_: MouseEvent| ());
    let status = if props.time_up {
        Some(("time-up", Text::TimeUp))
    } else if props.submitting {
        Some(("submitting", Text::Submitting))
    } else if props.awaiting_result {
        Some(("awaiting-result", Text::WaitingResult))
    } else {
        None
    };
    html! {
        <div class="banners">
            if let Some((id, text)) = status {
                <p {id} class="banner info" role="status">{ i18n.t(text) }</p>
            }
            if props.replaced {
                <div id="replaced" class="banner warn" role="alert">
                    <p>{ i18n.t(Text::Replaced) }</p>
                    <button id="take-over" type="button" class="primary" onclick={reload.clone()}>
                        { i18n.t(Text::TakeOver) }
                    </button>
                </div>
            }
            if let Some(code) = props.fatal {
                <div id="fatal" class="banner error" role="alert" data-code={Problem::Code(code).data_code()}>
                    <p>{ i18n.t(Text::Problem(Problem::Code(code))) }</p>
                    <button id="reload" type="button" onclick={reload}>{ i18n.t(Text::ReloadPage) }</button>
                </div>
            }
            if let Some(code) = props.notice {
                <div id="notice" class="banner error" role="alert" data-code={Problem::Code(code).data_code()}>
                    <p>{ i18n.t(Text::Problem(Problem::Code(code))) }</p>
                    <button type="button" class="link" onclick={dismiss}>{ i18n.t(Text::Dismiss) }</button>
                </div>
            }
        </div>
    }
}
