//! The messages above the question: time up, handing in, replaced by
//! another tab, a refusal, or a fatal error.

use examgate_shared::error::ErrorCode;
use yew::prelude::*;

use crate::banner::{ErrorBanner, FatalBanner, ReplacedBanner, reload_page};
use crate::i18n::{Text, use_i18n};

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
                // Taking over is a reload: the page then re-reads the stored
                // record, which the other tab may have moved on.
                <ReplacedBanner text={Text::Replaced} on_take_over={reload_page()} />
            }
            if let Some(code) = props.fatal {
                <FatalBanner {code} />
            }
            if let Some(code) = props.notice {
                <ErrorBanner id="notice" {code}>
                    <button type="button" class="link" onclick={dismiss}>{ i18n.t(Text::Dismiss) }</button>
                </ErrorBanner>
            }
        </div>
    }
}
