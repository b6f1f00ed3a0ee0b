//! The two sign-in forms (student join, proctor login) work the same way: a
//! few text fields, one `POST`, and the problem shown under the fields. The
//! flow lives here once ([`Form`], [`on_submit`], [`FormError`]); each form
//! only says what its fields are and what request they make ([`Fields`]).

use std::rc::Rc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::http::post_json;
use crate::i18n::{LangToggle, Problem, Text, use_i18n};

/// What a sign-in form's fields are and what they post.
pub trait Fields: Clone + Default + 'static {
    type Request: Serialize + 'static;
    type Response: DeserializeOwned + 'static;
    /// The endpoint, e.g. `/api/join`.
    const PATH: &'static str;

    /// The request, or the problem a blank field would earn from the relay
    /// anyway (checked here to save a round trip).
    fn request(&self) -> Result<Self::Request, Problem>;

    /// Tidies the fields after a refusal, e.g. empties a password.
    fn after_failure(&mut self) {}
}

/// A sign-in form's state.
#[derive(Clone, Default)]
pub struct Form<F> {
    pub fields: F,
    /// A request is out: the fields and the button are disabled.
    pub busy: bool,
    pub problem: Option<Problem>,
}

pub enum FormAction<F> {
    /// A field was edited: how to store the new value, and the value.
    Edit(fn(&mut F, String), String),
    Sending,
    Failed(Problem),
}

impl<F: Fields> Reducible for Form<F> {
    type Action = FormAction<F>;

    fn reduce(self: Rc<Self>, action: FormAction<F>) -> Rc<Self> {
        let mut form = Rc::unwrap_or_clone(self);
        match action {
            FormAction::Edit(set, value) => set(&mut form.fields, value),
            FormAction::Sending => {
                form.busy = true;
                form.problem = None;
            }
            FormAction::Failed(problem) => {
                form.busy = false;
                form.problem = Some(problem);
                form.fields.after_failure();
            }
        }
        Rc::new(form)
    }
}

/// The form's state, starting empty with `problem` (why the person was sent
/// back here, if anything) on show.
#[hook]
pub fn use_form<F: Fields>(problem: Option<Problem>) -> UseReducerHandle<Form<F>> {
    use_reducer(move || Form {
        problem,
        ..Form::default()
    })
}

/// An `oninput` callback that stores the field's new value with `set`.
pub fn on_input<F: Fields>(
    form: &UseReducerHandle<Form<F>>,
    set: fn(&mut F, String),
) -> Callback<InputEvent> {
    let dispatcher = form.dispatcher();
    Callback::from(move |e: InputEvent| {
        let value = e.target_unchecked_into::<HtmlInputElement>().value();
        dispatcher.dispatch(FormAction::Edit(set, value));
    })
}

/// The form's `onsubmit`: ignores a press while a request is out, shows a
/// problem found locally, and otherwise posts the request; the request and
/// the relay's answer go to `on_done`, a refusal back into the form.
pub fn on_submit<F: Fields>(
    form: &UseReducerHandle<Form<F>>,
    on_done: &Callback<(F::Request, F::Response)>,
) -> Callback<SubmitEvent> {
    let (form, on_done) = (form.clone(), on_done.clone());
    Callback::from(move |e: SubmitEvent| {
        e.prevent_default();
        if form.busy {
            return;
        }
        let request = match form.fields.request() {
            Ok(request) => request,
            Err(problem) => return form.dispatch(FormAction::Failed(problem)),
        };
        form.dispatch(FormAction::Sending);
        let (dispatcher, on_done) = (form.dispatcher(), on_done.clone());
        wasm_bindgen_futures::spawn_local(async move {
            match post_json::<_, F::Response>(F::PATH, &request).await {
                Ok(response) => on_done.emit((request, response)),
                Err(e) => dispatcher.dispatch(FormAction::Failed(e.problem())),
            }
        });
    })
}

#[derive(Properties, PartialEq)]
pub struct FormPageProps {
    /// The page's own class, next to `page`.
    pub class: &'static str,
    /// The form.
    pub children: Html,
}

/// A sign-in page: the brand and the language switch above the form.
#[component]
pub fn FormPage(props: &FormPageProps) -> Html {
    html! {
        <div class={classes!("page", props.class)}>
            <header class="topbar">
                <span class="brand">{ "examgate" }</span>
                <LangToggle />
            </header>
            { props.children.clone() }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct FormErrorProps {
    pub id: &'static str,
    pub problem: Option<Problem>,
}

/// The problem under the fields, if any, with `data-code` for tests and
/// support.
#[component]
pub fn FormError(props: &FormErrorProps) -> Html {
    let i18n = use_i18n();
    let Some(problem) = props.problem else {
        return Html::default();
    };
    html! {
        <p id={props.id} class="error" role="alert" data-code={problem.data_code()}>
            { i18n.t(Text::Problem(problem)) }
        </p>
    }
}
