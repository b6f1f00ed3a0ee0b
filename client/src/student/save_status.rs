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

/// What the page last told the student about the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Heard {
    /// The page just loaded and is connecting: not being connected yet is
    /// no news, unless answers are waiting (a reload while offline).
    Connecting,
    Live,
    Offline,
}

/// What the live region says as the state becomes `now`, and what the
/// student has then heard.
fn announcement(heard: Heard, now: SaveState) -> (Heard, Option<StudentText>) {
    match (heard, now) {
        (Heard::Offline, SaveState::Offline(_)) => (Heard::Offline, None),
        (Heard::Connecting, SaveState::Offline(0)) => (Heard::Connecting, None),
        (_, SaveState::Offline(_)) => (Heard::Offline, Some(StudentText::WentOffline)),
        (Heard::Offline, SaveState::Saved) => (Heard::Live, Some(StudentText::SavedAfterOffline)),
        // Resending after the outage, or held by a pause: nothing to say yet.
        (Heard::Offline, SaveState::Pending(_) | SaveState::Held(_)) => (Heard::Offline, None),
        (_, SaveState::Saved | SaveState::Pending(_) | SaveState::Held(_)) => (Heard::Live, None),
    }
}

#[component]
pub fn SaveStatus(props: &SaveStatusProps) -> Html {
    let i18n = use_i18n();
    let heard = use_mut_ref(|| Heard::Connecting);
    let said = use_state_eq(|| None::<StudentText>);
    {
        let said = said.clone();
        use_effect_with(props.state, move |state| {
            let (now_heard, text) = announcement(*heard.borrow(), *state);
            *heard.borrow_mut() = now_heard;
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

    /// The announcements along `states`, from a page just loaded.
    fn said(states: &[SaveState]) -> Vec<StudentText> {
        let mut heard = Heard::Connecting;
        let mut said = Vec::new();
        for &state in states {
            let (now, text) = announcement(heard, state);
            heard = now;
            said.extend(text);
        }
        said
    }

    #[test]
    fn only_losing_the_network_and_saving_after_it_are_announced() {
        use SaveState::*;
        assert_eq!(
            said(&[
                Offline(0),
                Saved,
                Pending(1),
                Saved,
                Offline(1),
                Offline(2),
                Pending(2),
                Saved,
                Pending(1),
                Saved
            ]),
            [StudentText::WentOffline, StudentText::SavedAfterOffline]
        );
    }

    #[test]
    fn a_page_loading_is_not_an_outage_unless_answers_wait() {
        use SaveState::*;
        // A plain load or reload: connecting, then live. Nothing said.
        assert!(said(&[Offline(0), Offline(0), Saved]).is_empty());
        // A reload while offline with answers kept: said, and said again
        // when they are saved.
        assert_eq!(
            said(&[Offline(2), Pending(2), Saved]),
            [StudentText::WentOffline, StudentText::SavedAfterOffline]
        );
    }

    #[test]
    fn a_pause_during_an_outage_keeps_it_in_mind() {
        let (heard, text) = announcement(Heard::Offline, SaveState::Held(2));
        assert!(heard == Heard::Offline && text.is_none());
        assert_eq!(
            announcement(heard, SaveState::Saved).1,
            Some(StudentText::SavedAfterOffline)
        );
    }
}
