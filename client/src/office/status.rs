//! A section's status line: busy, done, or refused with the reason in the
//! reader's language and the detail that names the field.

use yew::prelude::*;

use super::state::{Detail, Status};
use super::texts::OfficeText;
use crate::i18n::{Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct StatusLineProps {
    /// `id` of the line, for tests (`event-status`, `room-status-3`, …).
    pub id: AttrValue,
    pub status: Option<Status>,
}

#[component]
pub fn StatusLine(props: &StatusLineProps) -> Html {
    let i18n = use_i18n();
    let o = |t| i18n.t(Text::Office(t));
    match &props.status {
        None => Html::default(),
        Some(Status::Busy) => html! {
            <p id={props.id.clone()} class="status busy" data-state="busy">{ o(OfficeText::Sending) }</p>
        },
        Some(Status::Done(text)) => html! {
            <p id={props.id.clone()} class="status ok" data-state="done" role="status">
                { o(text.clone()) }
            </p>
        },
        Some(Status::Failed(failure)) => {
            let detail = match &failure.detail {
                Detail::None => None,
                Detail::Relay(message) => Some(message.clone()),
                Detail::Local(text) => Some(o(text.clone())),
            };
            html! {
                <p id={props.id.clone()} class="status error" data-state="failed" role="alert"
                    data-code={failure.problem.data_code()}>
                    { i18n.t(Text::Problem(failure.problem)) }
                    if let Some(detail) = detail {
                        <span class="detail">{ detail }</span>
                    }
                </p>
            }
        }
    }
}
