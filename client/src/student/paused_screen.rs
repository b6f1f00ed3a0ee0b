//! `#paused`: the full-page screen while a proctor has paused the attempt.
//! It covers the paper (which takes no answers meanwhile), shows the frozen
//! time left, and says that answers not sent yet are kept for the resume.

use examgate_shared::Millis;
use examgate_shared::clock::format_countdown;
use yew::prelude::*;

use super::texts::StudentText;
use crate::i18n::{LangToggle, Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct PausedScreenProps {
    /// The frozen time left.
    pub remaining: Option<Millis>,
    /// Events kept in the outbox until the resume.
    pub held: usize,
}

#[component]
pub fn PausedScreen(props: &PausedScreenProps) -> Html {
    let i18n = use_i18n();
    let t = |text: StudentText| i18n.t(Text::Student(text));
    html! {
        <div id="paused" class="paused-screen" role="alertdialog" aria-modal="true"
            aria-labelledby="paused-title" aria-describedby="paused-body">
            <div class="paused-card card">
                <h2 id="paused-title">{ t(StudentText::PausedTitle) }</h2>
                <p id="paused-body">{ t(StudentText::PausedBody) }</p>
                <p class="paused-time">
                    <span class="label">{ t(StudentText::PausedTimeLeft) }</span>
                    <span id="paused-remaining" class="countdown"
                        data-remaining-ms={props.remaining.map(|ms| ms.to_string())}>
                        { props.remaining.map_or_else(|| "–:––".to_owned(), format_countdown) }
                    </span>
                </p>
                if props.held > 0 {
                    <p id="paused-held" class="paused-held">{ t(StudentText::PausedHeld(props.held)) }</p>
                }
                <LangToggle />
            </div>
        </div>
    }
}
