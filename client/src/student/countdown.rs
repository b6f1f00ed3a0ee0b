//! `#countdown`: time left on the relay's clock.

use examgate_shared::Millis;
use examgate_shared::clock::format_countdown;
use yew::prelude::*;

use crate::i18n::{Text, use_i18n};

/// Below this the countdown turns red.
const LOW_MS: Millis = 5 * 60_000;

#[derive(Properties, PartialEq)]
pub struct CountdownProps {
    /// `None` until the deadline is known.
    pub remaining: Option<Millis>,
}

#[component]
pub fn Countdown(props: &CountdownProps) -> Html {
    let i18n = use_i18n();
    let low = props.remaining.is_some_and(|ms| ms < LOW_MS);
    html! {
        <div class={classes!("countdown-box", low.then_some("low"))}>
            <span class="label">{ i18n.t(Text::TimeLeft) }</span>
            <span id="countdown" role="timer" class={classes!("countdown", low.then_some("low"))}
                data-remaining-ms={props.remaining.map(|ms| ms.to_string())}>
                { props.remaining.map_or_else(|| "–:––".to_owned(), format_countdown) }
            </span>
        </div>
    }
}
