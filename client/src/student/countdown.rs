//! `#countdown`: time left on the relay's clock, frozen while paused, with
//! the extra time proctors granted (`#extra-time`) under it.

use examgate_shared::Millis;
use examgate_shared::clock::format_countdown;
use yew::prelude::*;

use super::texts::StudentText;
use crate::i18n::{Text, use_i18n};

/// Below this the countdown turns red.
const LOW_MS: Millis = 5 * 60_000;

/// Minutes left at which screen readers hear the time (the visible
/// countdown is a `timer`, which they do not read out by itself).
const ANNOUNCED_MINUTES: [u32; 3] = [15, 5, 1];

/// The announcement due with `remaining` left: the smallest mark already
/// reached, so the text changes (and is read) only when a mark is passed.
fn announced_minutes(remaining: Millis) -> Option<u32> {
    ANNOUNCED_MINUTES
        .into_iter()
        .filter(|&m| remaining <= Millis::from(m) * 60_000)
        .min()
}

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
            <span id="time-announcement" class="sr-only" aria-live="polite">
                { props.remaining.and_then(announced_minutes).map(|m| i18n.t(Text::Student(StudentText::MinutesLeft(m)))) }
            </span>
            if props.extra_ms > 0 {
                <span id="extra-time" class="extra-time" data-extra-ms={props.extra_ms.to_string()}>
                    { i18n.t(Text::Student(StudentText::ExtraTotal(props.extra_ms))) }
                </span>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_is_announced_at_15_5_and_1_minutes_left() {
        assert_eq!(announced_minutes(45 * 60_000), None);
        assert_eq!(announced_minutes(15 * 60_000 + 1), None);
        assert_eq!(announced_minutes(15 * 60_000), Some(15));
        assert_eq!(announced_minutes(6 * 60_000), Some(15));
        assert_eq!(announced_minutes(5 * 60_000), Some(5));
        assert_eq!(announced_minutes(60_000), Some(1));
        assert_eq!(announced_minutes(0), Some(1));
    }
}
