//! The office forms' fields: a draft per form in a small reducer (so fast
//! typing never edits a stale copy), and the callbacks that write inputs,
//! selects and checkboxes into it.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// A form's draft.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft<D>(pub D);

pub enum DraftEdit<D> {
    /// Any change to the draft.
    Update(Box<dyn FnOnce(&mut D)>),
    /// Back to empty, after the relay took the request.
    Reset,
}

impl<D: Clone + Default + 'static> Reducible for Draft<D> {
    type Action = DraftEdit<D>;

    fn reduce(self: Rc<Self>, action: DraftEdit<D>) -> Rc<Self> {
        let mut draft = Rc::unwrap_or_clone(self);
        match action {
            DraftEdit::Update(edit) => edit(&mut draft.0),
            DraftEdit::Reset => draft.0 = D::default(),
        }
        Rc::new(draft)
    }
}

pub type DraftHandle<D> = UseReducerHandle<Draft<D>>;

#[hook]
pub fn use_draft<D: Clone + Default + 'static>() -> DraftHandle<D> {
    use_reducer(Draft::<D>::default)
}

/// Changes the draft with `edit`.
pub fn update<D: Clone + Default + 'static>(
    draft: &DraftHandle<D>,
    edit: impl FnOnce(&mut D) + 'static,
) {
    draft.dispatch(DraftEdit::Update(Box::new(edit)));
}

/// An `oninput` storing a text input's value with `set`.
pub fn on_text<D: Clone + Default + 'static>(
    draft: &DraftHandle<D>,
    set: fn(&mut D, String),
) -> Callback<InputEvent> {
    let draft = draft.clone();
    Callback::from(move |e: InputEvent| {
        let value = e.target_unchecked_into::<HtmlInputElement>().value();
        update(&draft, move |d| set(d, value));
    })
}

/// An `onchange` storing a select's value with `set`.
pub fn on_select<D: Clone + Default + 'static>(
    draft: &DraftHandle<D>,
    set: fn(&mut D, String),
) -> Callback<Event> {
    let draft = draft.clone();
    Callback::from(move |e: Event| {
        let value = e.target_unchecked_into::<HtmlSelectElement>().value();
        update(&draft, move |d| set(d, value));
    })
}

/// An `onchange` storing a checkbox's state with `set`.
pub fn on_check<D: Clone + Default + 'static>(
    draft: &DraftHandle<D>,
    set: fn(&mut D, bool),
) -> Callback<Event> {
    let draft = draft.clone();
    Callback::from(move |e: Event| {
        let checked = e.target_unchecked_into::<HtmlInputElement>().checked();
        update(&draft, move |d| set(d, checked));
    })
}

/// A callback that empties the draft.
pub fn reset<D: Clone + Default + 'static>(draft: &DraftHandle<D>) -> Callback<()> {
    let draft = draft.clone();
    Callback::from(move |()| draft.dispatch(DraftEdit::Reset))
}

/// A select's value as an id; empty (the "none" option) is `None`.
pub fn id_value(value: &str) -> Option<u64> {
    value.parse().ok()
}
