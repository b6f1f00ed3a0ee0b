//! The head of an official paper: who issues it on the left (the event and
//! the site), the national title and motto on the right, then the title.

use yew::prelude::*;

use super::print_texts::PrintText;
use super::texts::OfficeText;
use crate::i18n::{Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct DocHeadProps {
    pub event: AttrValue,
    pub site: AttrValue,
    pub title: PrintText,
}

#[component]
pub fn DocHead(props: &DocHeadProps) -> Html {
    let i18n = use_i18n();
    let p = |t| i18n.t(Text::Office(OfficeText::Print(t)));
    html! {
        <>
            <div class="doc-head">
                <div class="doc-issuer">
                    <p class="upper">{ props.event.clone() }</p>
                    <p class="upper strong">{ props.site.clone() }</p>
                </div>
                <div class="doc-nation">
                    <p class="upper strong">{ p(PrintText::NationalTitle) }</p>
                    <p class="motto">{ p(PrintText::NationalMotto) }</p>
                </div>
            </div>
            <h2 class="doc-title">{ p(props.title.clone()) }</h2>
        </>
    }
}
