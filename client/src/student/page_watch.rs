//! The browser events behind the integrity signals: the page hidden or
//! shown, the window blurred or focused, full screen entered or left, a
//! paste into a numeric answer, and whether this load is a reload of a tab
//! that showed the attempt working. Each listener is registered once when
//! the exam page mounts and removed when it goes; what the events mean is
//! the reducer's business ([`ExamAction`]), tested on the host.

use examgate_shared::exam::QuestionId;
use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::records;
use super::state::{ExamAction, ExamState};
use crate::time;

/// Whether the page is in full screen now.
fn in_fullscreen() -> bool {
    gloo::utils::document().fullscreen_element().is_some()
}

/// The question whose numeric box `event` happened in, if it did.
fn numeric_box_question(event: &Event) -> Option<QuestionId> {
    let element = event.target()?.dyn_into::<web_sys::Element>().ok()?;
    if !element.matches("input.numeric-answer").unwrap_or(false) {
        return None;
    }
    element
        .get_attribute("data-qid")?
        .parse()
        .ok()
        .map(QuestionId)
}

/// Asks the browser for full screen; it needs a click to allow it.
pub fn request_fullscreen() {
    if let Some(root) = gloo::utils::document().document_element()
        && let Err(e) = root.request_fullscreen()
    {
        gloo::console::warn!("examgate: full screen refused", e);
    }
}

/// Feeds the page's events to the exam reducer while the page is mounted.
#[hook]
pub fn use_page_watch(dispatcher: UseReducerDispatcher<ExamState>, attempt_id: u64) {
    // Read during the first render, before the welcome can mark this tab.
    let was_working = *use_memo(attempt_id, |id| records::working_slot(*id).load().is_some());
    use_effect_with(attempt_id, move |_| {
        let document = gloo::utils::document();
        let window = gloo::utils::window();
        let on = |action: fn(&Event) -> Option<ExamAction>| {
            let dispatcher = dispatcher.clone();
            move |event: &Event| {
                if let Some(action) = action(event) {
                    dispatcher.dispatch(action);
                }
            }
        };
        let listeners = [
            EventListener::new(
                &document,
                "visibilitychange",
                on(|_| {
                    Some(ExamAction::PageHidden {
                        hidden: gloo::utils::document().hidden(),
                        at: time::now(),
                    })
                }),
            ),
            EventListener::new(
                &window,
                "blur",
                on(|_| {
                    Some(ExamAction::WindowFocus {
                        focused: false,
                        at: time::now(),
                    })
                }),
            ),
            EventListener::new(
                &window,
                "focus",
                on(|_| {
                    Some(ExamAction::WindowFocus {
                        focused: true,
                        at: time::now(),
                    })
                }),
            ),
            EventListener::new(
                &document,
                "fullscreenchange",
                on(|_| Some(ExamAction::Fullscreen(in_fullscreen()))),
            ),
            EventListener::new(
                &document,
                "paste",
                on(|event| numeric_box_question(event).map(ExamAction::Pasted)),
            ),
        ];
        dispatcher.dispatch(ExamAction::Fullscreen(in_fullscreen()));
        if was_working {
            dispatcher.dispatch(ExamAction::Reloaded);
        }
        move || drop(listeners)
    });
}
