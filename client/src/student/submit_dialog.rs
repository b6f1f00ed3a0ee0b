//! `#submit-dialog`: the last check before handing in. Modal for the
//! keyboard too: focus starts on "cancel", Tab and Shift+Tab go round its
//! two buttons, Escape cancels; the exam page makes the paper behind it
//! `inert`, so focus sent to the page's body cannot Tab back there either.

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
    let confirm_ref = use_node_ref();
    // Focus the safe choice, so a stray Enter does not hand in.
    use_effect_with(cancel_ref.clone(), |cancel| {
        if let Some(button) = cancel.cast::<web_sys::HtmlElement>() {
            let _ = button.focus();
        }
    });
    let onkeydown = {
        let on_cancel = props.on_cancel.clone();
        let (first, last) = (cancel_ref.clone(), confirm_ref.clone());
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Escape" => on_cancel.emit(()),
            "Tab" => {
                let active = gloo::utils::document().active_element();
                let is = |node: &NodeRef| {
                    node.cast::<web_sys::Element>()
                        .is_some_and(|el| Some(el) == active)
                };
                // Off either end: round to the other.
                let wrap_to = if e.shift_key() {
                    is(&first).then_some(&last)
                } else {
                    is(&last).then_some(&first)
                };
                if let Some(button) = wrap_to.and_then(|n| n.cast::<web_sys::HtmlElement>()) {
                    e.prevent_default();
                    let _ = button.focus();
                }
            }
            _ => {}
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
                    <button id="confirm-submit" type="button" class="primary" ref={confirm_ref}
                        onclick={props.on_confirm.reform(|_: MouseEvent| ())}>
                        { i18n.t(Text::ConfirmSubmit) }
                    </button>
                </div>
            </div>
        </div>
    }
}
