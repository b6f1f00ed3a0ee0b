//! The exam's keyboard shortcuts: a key pressed anywhere on the exam page
//! (not while typing in a box, not with Ctrl, Alt or Meta) becomes an
//! [`ExamAction::Shortcut`]; the reducer decides whether it applies (not
//! while paused, not behind the submit dialog, an option only if the
//! question has it).
//!
//! | keys                         | does                                    |
//! |------------------------------|-----------------------------------------|
//! | `A`–`H`, `1`–`8`             | the option at that place on screen (choose, or tick for several answers) |
//! | `→`, `PageDown`, `N`         | next question                           |
//! | `←`, `PageUp`, `P`           | previous question                       |
//! | `M`                          | flag / unflag (mark) the question       |
//!
//! Submitting has no shortcut: it is the `#submit` button and a dialog
//! whose focus starts on "cancel".

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::state::{ExamAction, Shortcut};

/// Listens for shortcuts on the document while the exam page is shown.
#[hook]
pub fn use_exam_shortcuts(dispatch: Callback<ExamAction>) {
    use_effect_with((), move |_| {
        let options = EventListenerOptions::enable_prevent_default();
        let listener = EventListener::new_with_options(
            &gloo::utils::document(),
            "keydown",
            options,
            move |event| {
                let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                    return;
                };
                if event.ctrl_key() || event.alt_key() || event.meta_key() || typing(event) {
                    return;
                }
                if let Some(shortcut) = Shortcut::from_key(&event.key()) {
                    // Arrows and PageUp/Down would also scroll the page.
                    event.prevent_default();
                    dispatch.emit(ExamAction::Shortcut(shortcut));
                }
            },
        );
        move || drop(listener)
    });
}

/// The key went to a text box (a numeric answer): it is typing, not a
/// shortcut.
fn typing(event: &web_sys::KeyboardEvent) -> bool {
    let Some(target) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    matches!(target.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || target
            .dyn_ref::<web_sys::HtmlElement>()
            .is_some_and(|e| e.is_content_editable())
}
