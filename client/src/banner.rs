//! The alert banners both apps show: taken over by another tab (`#replaced`)
//! and refused for good (`#fatal`), plus the error banner they are built on.
//! One place for their markup keeps the ids and `data-code` the same on the
//! dashboard and the exam page.

use examgate_shared::error::ErrorCode;
use yew::prelude::*;

use crate::i18n::{Problem, Text, use_i18n};

/// A callback that reloads the page, which re-reads everything stored.
pub fn reload_page() -> Callback<MouseEvent> {
    Callback::from(|_: MouseEvent| {
        let _ = gloo::utils::window().location().reload();
    })
}

#[derive(Properties, PartialEq)]
pub struct ReplacedBannerProps {
    /// What was taken over, in the app's words.
    pub text: Text,
    pub on_take_over: Callback<MouseEvent>,
}

/// `#replaced`: another tab or computer took the session over.
#[component]
pub fn ReplacedBanner(props: &ReplacedBannerProps) -> Html {
    let i18n = use_i18n();
    html! {
        <div id="replaced" class="banner warn" role="alert">
            <p>{ i18n.t(props.text.clone()) }</p>
            <button id="take-over" type="button" class="primary" onclick={props.on_take_over.clone()}>
                { i18n.t(Text::TakeOver) }
            </button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ErrorBannerProps {
    pub id: AttrValue,
    pub code: ErrorCode,
    /// The way out: a button.
    pub children: Html,
}

/// A refusal explained, with `data-code` for tests and support.
#[component]
pub fn ErrorBanner(props: &ErrorBannerProps) -> Html {
    let i18n = use_i18n();
    let problem = Problem::Code(props.code);
    html! {
        <div id={props.id.clone()} class="banner error" role="alert" data-code={problem.data_code()}>
            <p>{ i18n.t(Text::Problem(problem)) }</p>
            { props.children.clone() }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct FatalBannerProps {
    pub code: ErrorCode,
}

/// `#fatal`: the relay refused for good; reloading is the only way on.
#[component]
pub fn FatalBanner(props: &FatalBannerProps) -> Html {
    let i18n = use_i18n();
    html! {
        <ErrorBanner id="fatal" code={props.code}>
            <button id="reload" type="button" onclick={reload_page()}>{ i18n.t(Text::ReloadPage) }</button>
        </ErrorBanner>
    }
}
