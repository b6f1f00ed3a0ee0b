//! `#submit-dialog`: the last check before handing in.

use yew::prelude::*;

use crate::i18n::{Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct SubmitDialogProps {
    pub unanswered: usize,
    pub flagged: usize,
    pub on_confirm: Callback<()>,
    pub on_cancel: Callback<()>,
}

#[component]
pub fn SubmitDialog(props: &SubmitDialogProps) -> Html {
    let i18n = use_i18n();
    let cancel_ref = use_node_ref();
    // Focus the safe choice, so a stray Enter does not hand in.
    use_effect_with(cancel_ref.clone(), |cancel| {
        if let Some(button) = cancel.cast::<web_sys::HtmlElement>() {
            let _ = button.focus();
        }
    });
    let onkeydown = {
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                on_cancel.emit(());
            }
        })
    };
    let unanswered = if props.unanswered > 0 {
        Text::SubmitUnanswered(props.unanswered)
    } else {
        Text::SubmitAllAnswered
    };
    html! {
        <div class="overlay" {onkeydown}>
            <div id="submit-dialog" class="dialog card" role="dialog" aria-modal="true"
                aria-labelledby="submit-title" data-unanswered={props.unanswered.to_string()}
                data-flagged={props.flagged.to_string()}>
                <h2 id="submit-title">{ i18n.t(Text::SubmitTitle) }</h2>
                <p id="submit-summary" class={classes!((props.unanswered > 0).then_some("warn"))}>
                    { i18n.t(unanswered) }
                </p>
                if props.flagged > 0 {
                    <p class="flagged-summary">{ i18n.t(Text::SubmitFlagged(props.flagged)) }</p>
                }
                <p class="hint">{ i18n.t(Text::SubmitWarning) }</p>
                <div class="dialog-actions">
                    <button id="confirm-cancel" type="button" ref={cancel_ref}
                        onclick={props.on_cancel.reform(|_: MouseEvent| ())}>
                        { i18n.t(Text::CancelSubmit) }
                    </button>
                    <button id="confirm-submit" type="button" class="primary"
                        onclick={props.on_confirm.reform(|_: MouseEvent| ())}>
                        { i18n.t(Text::ConfirmSubmit) }
                    </button>
                </div>
            </div>
        </div>
    }
}
