//! A bank question drawn as the student's page draws it: the same
//! `examgate_shared::tex` rendering (TeX and MathML as MathML, pictures
//! inline), options lettered A, B, …, statements a), b), …; the key marked
//! for staff when asked.

use examgate_shared::bank::Item;
use examgate_shared::exam::{Body, OptionId};
use yew::prelude::*;

use crate::rich_text::rich_text;

#[derive(Properties, PartialEq)]
pub struct PreviewProps {
    pub item: Item,
    pub number: usize,
    pub show_key: bool,
}

#[component]
pub fn QuestionPreview(props: &PreviewProps) -> Html {
    let item = &props.item;
    let key_class = |right: bool| classes!("option", (props.show_key && right).then_some("is-key"));
    let body = match &item.body {
        Body::SingleChoice { options, key, .. } => html! {
            <ol class="options" type="A">
                { for options.iter().enumerate().map(|(i, o)| html! {
                    <li class={key_class(OptionId(i as u8) == *key)}>{ rich_text(o) }</li>
                }) }
            </ol>
        },
        Body::MultipleResponse { options, keys, .. } => html! {
            <ol class="options" type="A">
                { for options.iter().enumerate().map(|(i, o)| html! {
                    <li class={key_class(keys.contains(&OptionId(i as u8)))}>{ rich_text(o) }</li>
                }) }
            </ol>
        },
        Body::TrueFalse {
            statements, keys, ..
        } => html! {
            <ol class="statements" type="a">
                { for statements.iter().zip(keys).map(|(s, k)| html! {
                    <li class={key_class(*k)}>{ rich_text(s) }
                        if props.show_key { <span class="tf-key">{ if *k { " (Đ)" } else { " (S)" } }</span> }
                    </li>
                }) }
            </ol>
        },
        Body::Numeric { key, .. } => html! {
            if props.show_key { <p class="numeric-key">{ format!("= {key}") }</p> }
        },
    };
    html! {
        <div class="question-preview">
            <div class="q-text"><span class="q-number">{ format!("{}. ", props.number) }</span>{ rich_text(&item.text) }</div>
            { body }
            if let Some(e) = item.explanation.as_ref().filter(|_| props.show_key) {
                <div class="explanation">{ rich_text(e) }</div>
            }
        </div>
    }
}
