//! `#countdown`: time left on the relay's clock, frozen while paused, with
//! the extra time proctors granted (`#extra-time`) under it.

use examgate_shared::Millis;
use examgate_shared::clock::format_countdown;
use yew::prelude::*;

use super::texts::StudentText;
use crate::i18n::{Text, use_i18n};

/// Below this the countdown turns red.
const LOW_MS: Millis = 5 * 60_000;

#[derive(Properties, PartialEq)]
pub struct CountdownProps {
    /// `None` until the deadline is known.
    pub remaining: Option<Millis>,
    pub paused: bool,
    /// Extra time granted, in total.
    pub extra_ms: Millis,
}

#[component]
pub fn Countdown(props: &CountdownProps) -> Html {
    let i18n = use_i18n();
    let low = props.remaining.is_some_and(|ms| ms < LOW_MS);
    let paused = props.paused.then_some("paused");
    html! {
        <div class={classes!("countdown-box", low.then_some("low"), paused)}>
            <span class="label">{ i18n.t(Text::TimeLeft) }</span>
            <span id="countdown" role="timer" class={classes!("countdown", low.then_some("low"), paused)}
                data-remaining-ms={props.remaining.map(|ms| ms.to_string())}
                data-paused={props.paused.to_string()}>
                { props.remaining.map_or_else(|| "–:––".to_owned(), format_countdown) }
            </span>
            if props.extra_ms > 0 {
                <span id="extra-time" class="extra-time" data-extra-ms={props.extra_ms.to_string()}>
                    { i18n.t(Text::Student(StudentText::ExtraTotal(props.extra_ms))) }
                </span>
            }
        </div>
    }
}
