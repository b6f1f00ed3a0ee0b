//! `#proctor-message`: a proctor's message, on top of everything (the paused
//! screen included) until the student presses "Đã đọc", which sends the
//! relay a receipt. Messages waiting behind it are counted.

use examgate_shared::proctoring::StudentMessage;
use yew::prelude::*;

use super::texts::StudentText;
use crate::i18n::{Text, use_i18n};
use crate::time;

#[derive(Properties, PartialEq)]
pub struct ProctorMessageProps {
    pub message: StudentMessage,
    /// Unread messages after this one.
    pub more: usize,
    /// The message's id, once read.
    pub on_seen: Callback<u64>,
}

#[component]
pub fn ProctorMessage(props: &ProctorMessageProps) -> Html {
    let i18n = use_i18n();
    let t = |text: StudentText| i18n.t(Text::Student(text));
    let seen_ref = use_node_ref();
    // Each new message takes the focus, so a keyboard or screen-reader user
    // is on it at once.
    use_effect_with((props.message.id, seen_ref.clone()), |(_, seen)| {
        if let Some(button) = seen.cast::<web_sys::HtmlElement>() {
            let _ = button.focus();
        }
    });
    let message = &props.message;
    let id = message.id;
    let onclick = props.on_seen.reform(move |_: MouseEvent| id);
    html! {
        <div class="overlay message-overlay">
            <div id="proctor-message" class="dialog card message-dialog" role="alertdialog"
                aria-modal="true" aria-labelledby="message-title" aria-describedby="message-text"
                data-message={id.to_string()}>
                <h2 id="message-title">{ t(StudentText::MessageTitle) }</h2>
                <p class="message-meta">
                    <span>{ t(StudentText::MessageAt(time::wall_clock(message.at))) }</span>
                    if message.to_room {
                        <span>{ t(StudentText::MessageToRoom) }</span>
                    }
                </p>
                <p id="message-text" class="message-text">{ message.text.clone() }</p>
                if props.more > 0 {
                    <p class="hint message-more">{ t(StudentText::MessagesMore(props.more)) }</p>
                }
                <div class="dialog-actions">
                    <button id="message-seen" type="button" class="primary" ref={seen_ref} {onclick}>
                        { t(StudentText::MessageSeen) }
                    </button>
                </div>
            </div>
        </div>
    }
}
