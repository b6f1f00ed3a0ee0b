//! One part's status line: working, done, or the refusal in the page's
//! language with the relay's own words (which name the field).

use yew::prelude::*;

use super::state::Status;
use super::texts::BankText;
use crate::i18n::{Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct StatusProps {
    pub id: AttrValue,
    pub status: Option<Status>,
}

#[component]
pub fn StatusLine(props: &StatusProps) -> Html {
    let i18n = use_i18n();
    match &props.status {
        None => html! {},
        Some(Status::Busy) => html! {
            <p id={props.id.clone()} class="status busy" role="status">{ i18n.t(Text::Bank(BankText::Working)) }</p>
        },
        Some(Status::Done) => html! {
            <p id={props.id.clone()} class="status done" role="status">{ i18n.t(Text::Bank(BankText::Done)) }</p>
        },
        Some(Status::Failed(problem, detail)) => html! {
            <p id={props.id.clone()} class="status error" role="alert" data-code={problem.data_code()}>
                { i18n.t(Text::Problem(*problem)) }
                if !detail.is_empty() { { " " }<span class="detail">{ detail.clone() }</span> }
            </p>
        },
    }
}
