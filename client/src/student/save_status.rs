//! `#save-status`: whether the student's answers are safe on the relay.

use yew::prelude::*;

use super::state::SaveState;
use super::texts::StudentText;
use crate::i18n::{Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct SaveStatusProps {
    pub state: SaveState,
}

#[component]
pub fn SaveStatus(props: &SaveStatusProps) -> Html {
    let i18n = use_i18n();
    let (data_state, text) = match props.state {
        SaveState::Saved => ("saved", Text::SaveSaved),
        SaveState::Pending(n) => ("pending", Text::SavePending(n)),
        SaveState::Held(n) => ("held", Text::Student(StudentText::SaveHeld(n))),
        SaveState::Offline(n) => ("offline", Text::SaveOffline(n)),
    };
    html! {
        <p id="save-status" class={classes!("save-status", data_state)} data-state={data_state}
            role="status" aria-live="polite">
            { i18n.t(text) }
        </p>
    }
}
