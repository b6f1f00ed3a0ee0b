//! `#fullscreen-offer`: in a room that asks for full screen, a banner with
//! the button that enters it (browsers allow full screen only from a
//! click). Leaving full screen brings the banner back and is reported.

use yew::prelude::*;

use super::page_watch::request_fullscreen;
use super::texts::StudentText;
use crate::i18n::{Text, use_i18n};

#[component]
pub fn FullscreenOffer() -> Html {
    let i18n = use_i18n();
    let onclick = Callback::from(|_: MouseEvent| request_fullscreen());
    html! {
        <div id="fullscreen-offer" class="banner warn" role="status">
            <p>{ i18n.t(Text::Student(StudentText::FullscreenAsked)) }</p>
            <button id="enter-fullscreen" type="button" class="primary" {onclick}>
                { i18n.t(Text::Student(StudentText::EnterFullscreen)) }
            </button>
        </div>
    }
}
