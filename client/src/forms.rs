//! Small helpers for the two sign-in forms (join, proctor login).

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// An `oninput` callback that dispatches the field's new value as an action.
pub fn on_input<R>(
    dispatcher: UseReducerDispatcher<R>,
    action: fn(String) -> R::Action,
) -> Callback<InputEvent>
where
    R: Reducible + 'static,
{
    Callback::from(move |e: InputEvent| {
        dispatcher.dispatch(action(
            e.target_unchecked_into::<HtmlInputElement>().value(),
        ));
    })
}
