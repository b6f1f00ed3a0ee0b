//! `#save-status`: whether the student's answers are safe on the relay,
//! and what screen readers are told about it. The visible line changes on
//! every answer ("1 waiting", "saved"), which read aloud would talk over the
//! question; a separate polite live region speaks only when the network
//! goes and when everything kept meanwhile is saved.

use yew::prelude::*;

use super::state::SaveState;
use super::texts::StudentText;
use crate::i18n::{Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct SaveStatusProps {
    pub state: SaveState,
}

/// What the live region says as the state becomes `now`, given whether the
/// answers were last stuck offline; and whether they are now.
fn announcement(was_offline: bool, now: SaveState) -> (bool, Option<StudentText>) {
    match now {
        SaveState::Offline(_) => (true, (!was_offline).then_some(StudentText::WentOffline)),
        SaveState::Saved if was_offline => (false, Some(StudentText::SavedAfterOffline)),
        SaveState::Saved => (false, None),
        // Resending after the outage, or held by a pause: nothing to say yet.
        SaveState::Pending(_) | SaveState::Held(_) => (was_offline, None),
    }
}

#[component]
pub fn SaveStatus(props: &SaveStatusProps) -> Html {
    let i18n = use_i18n();
    let was_offline = use_mut_ref(|| false);
    let said = use_state_eq(|| None::<StudentText>);
    {
        let said = said.clone();
        use_effect_with(props.state, move |state| {
            let (offline, text) = announcement(*was_offline.borrow(), *state);
            *was_offline.borrow_mut() = offline;
            // Cleared on the next plain change, so the same words said
            // again later are a change the screen reader hears.
            if text.is_some()
                || *state == SaveState::Saved
                || matches!(state, SaveState::Pending(_))
            {
                said.set(text);
            }
        });
    }
    let said_code = match *said {
        Some(StudentText::WentOffline) => "offline",
        Some(StudentText::SavedAfterOffline) => "saved_after_offline",
        _ => "",
    };
    let (data_state, text) = match props.state {
        SaveState::Saved => ("saved", Text::SaveSaved),
        SaveState::Pending(n) => ("pending", Text::SavePending(n)),
        SaveState::Held(n) => ("held", Text::Student(StudentText::SaveHeld(n))),
        SaveState::Offline(n) => ("offline", Text::SaveOffline(n)),
    };
    html! {
        <>
            <p id="save-status" class={classes!("save-status", data_state)} data-state={data_state}>
                { i18n.t(text) }
            </p>
            <span id="save-announcement" class="sr-only" aria-live="polite" data-said={said_code}>
                { said.as_ref().map(|t| i18n.t(Text::Student(t.clone()))) }
            </span>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_losing_the_network_and_saving_after_it_are_announced() {
        let mut offline = false;
        let mut said = Vec::new();
        for state in [
            SaveState::Pending(1),
            SaveState::Saved,
            SaveState::Offline(1),
            SaveState::Offline(2),
            SaveState::Pending(2),
            SaveState::Saved,
            SaveState::Pending(1),
            SaveState::Saved,
        ] {
            let (now, text) = announcement(offline, state);
            offline = now;
            said.extend(text);
        }
        assert_eq!(
            said,
            [StudentText::WentOffline, StudentText::SavedAfterOffline]
        );
    }

    #[test]
    fn a_pause_during_an_outage_keeps_it_in_mind() {
        let (offline, text) = announcement(true, SaveState::Held(2));
        assert!(offline && text.is_none());
        assert_eq!(
            announcement(offline, SaveState::Saved).1,
            Some(StudentText::SavedAfterOffline)
        );
    }
}
