//! The top bar of the staff pages behind [`super::StaffApp`] (results, exam
//! office, question bank): the page's title, who is signed in and in which
//! role, the page's own links, the language toggle and sign-out.

use std::rc::Rc;

use yew::prelude::*;

use super::ProctorSession;
use crate::i18n::{LangToggle, Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct StaffTopbarProps {
    pub title: AttrValue,
    pub session: Rc<ProctorSession>,
    pub on_logout: Callback<()>,
    /// Hidden when the page is printed (its print views stand alone).
    #[prop_or_default]
    pub no_print: bool,
    /// The page's links to other pages.
    #[prop_or_default]
    pub children: Html,
}

#[component]
pub fn StaffTopbar(props: &StaffTopbarProps) -> Html {
    let i18n = use_i18n();
    html! {
        <header class={classes!("topbar", props.no_print.then_some("no-print"))}>
            <div class="exam-id">
                <h1>{ props.title.clone() }</h1>
                <p class="who">
                    <span id="proctor-name">{ props.session.display_name.clone() }</span>
                    <span class="role">{ i18n.t(Text::Role(props.session.role)) }</span>
                </p>
            </div>
            { props.children.clone() }
            <LangToggle />
            <button id="logout" type="button" onclick={props.on_logout.reform(|_: MouseEvent| ())}>
                { i18n.t(Text::Logout) }
            </button>
        </header>
    }
}
