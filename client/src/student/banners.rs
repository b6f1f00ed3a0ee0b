//! The messages above the question: time up, handing in, replaced by
//! another tab, what a proctor just did, a refusal, or a fatal error.

use examgate_shared::control::Control;
use examgate_shared::error::ErrorCode;
use yew::prelude::*;

use super::texts::StudentText;
use crate::banner::{ErrorBanner, FatalBanner, ReplacedBanner, reload_page};
use crate::i18n::{Text, use_i18n};

/// What to say about a proctor's control; `None` for those shown otherwise.
fn control_text(control: &Control) -> Option<StudentText> {
    match control {
        Control::ExtraTime { minutes } => Some(StudentText::ExtraTimeAdded(*minutes)),
        Control::Resume => Some(StudentText::Resumed),
        Control::End => Some(StudentText::EndedByProctor),
        Control::Reopen { minutes } => Some(StudentText::Reopened(*minutes)),
        Control::Pause | Control::DeadlineClose => None,
    }
}

#[derive(Properties, PartialEq)]
pub struct BannersProps {
    pub time_up: bool,
    pub submitting: bool,
    pub awaiting_result: bool,
    pub replaced: bool,
    pub fatal: Option<ErrorCode>,
    pub notice: Option<ErrorCode>,
    pub on_dismiss: Callback<()>,
    /// What a proctor just did.
    pub control: Option<Control>,
    pub on_dismiss_control: Callback<()>,
}

#[component]
pub fn Banners(props: &BannersProps) -> Html {
    let i18n = use_i18n();
    let dismiss = props.on_dismiss.reform(|_: MouseEvent| ());
    let dismiss_control = props.on_dismiss_control.reform(|_: MouseEvent| ());
    let control = props
        .control
        .as_ref()
        .and_then(|c| Some((c.name(), control_text(c)?)));
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
            if let Some((name, text)) = control {
                <div id="control-notice" class="banner info control-notice" role="status"
                    aria-live="polite" data-control={name}>
                    <p>{ i18n.t(Text::Student(text)) }</p>
                    <button type="button" class="link" onclick={dismiss_control}>{ i18n.t(Text::Dismiss) }</button>
                </div>
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
