//! A room's incidents and the messages sent to it, newest first, with who
//! has acknowledged each message. Both arrive live on the feed.

use std::rc::Rc;

use examgate_shared::proctoring::{Incident, SentMessage};
use examgate_shared::roster::RoomView;
use yew::prelude::*;

use super::texts::ProctorText;
use crate::i18n::{I18n, Text, use_i18n};
use crate::time;

#[derive(Properties, PartialEq)]
pub struct RoomLogProps {
    pub room: Rc<RoomView>,
}

/// The name of a candidate of `room`, or their id when the row is gone.
fn name_of(room: &RoomView, id: u64) -> String {
    room.rows
        .iter()
        .find(|r| r.candidate_id == id)
        .map_or_else(|| format!("#{id}"), |r| r.name.clone())
}

fn incident_item(i18n: &I18n, room: &RoomView, incident: &Incident) -> Html {
    let p = |t| i18n.t(Text::Proctor(t));
    let about = match incident.candidate_id {
        Some(id) => name_of(room, id),
        None => p(ProctorText::ToRoom),
    };
    html! {
        <li key={incident.id} class="incident" data-incident-id={incident.id.to_string()}
            data-category={incident.category.as_str()}>
            <span class="log-time">{ time::wall_clock(incident.at) }</span>
            <span class="log-tag">{ p(ProctorText::CategoryName(incident.category)) }</span>
            <span class="log-who">{ about }</span>
            <span class="log-text">{ incident.text.clone() }</span>
            <span class="log-by">{ p(ProctorText::By(incident.by.clone())) }</span>
        </li>
    }
}

fn message_item(i18n: &I18n, room: &RoomView, message: &SentMessage) -> Html {
    let p = |t| i18n.t(Text::Proctor(t));
    let (to, of) = match message.candidate_id {
        Some(id) => (name_of(room, id), 1),
        None => (p(ProctorText::ToRoom), room.rows.len()),
    };
    let seen_names = message
        .seen_by
        .iter()
        .map(|&id| name_of(room, id))
        .collect::<Vec<_>>()
        .join(", ");
    html! {
        <li key={message.id} class="message" data-message-id={message.id.to_string()}
            data-seen={message.seen_by.len().to_string()}>
            <span class="log-time">{ time::wall_clock(message.at) }</span>
            <span class="log-who">{ to }</span>
            <span class="log-text">{ message.text.clone() }</span>
            <span class="log-by">{ p(ProctorText::By(message.by.clone())) }</span>
            <span class="log-seen" title={seen_names}>
                { p(ProctorText::SeenBy { seen: message.seen_by.len(), of }) }
            </span>
        </li>
    }
}

#[component]
pub fn RoomLog(props: &RoomLogProps) -> Html {
    let i18n = use_i18n();
    let room = &props.room;
    let p = |t| i18n.t(Text::Proctor(t));
    let incidents = room
        .incidents
        .iter()
        .rev()
        .map(|i| incident_item(&i18n, room, i));
    let messages = room
        .messages
        .iter()
        .rev()
        .map(|m| message_item(&i18n, room, m));
    html! {
        <div class="room-log">
            <div class="log-column">
                <h3>{ p(ProctorText::IncidentsTitle) }</h3>
                if room.incidents.is_empty() {
                    <p class="hint">{ p(ProctorText::NoIncidents) }</p>
                } else {
                    <ul class="incidents">{ for incidents }</ul>
                }
            </div>
            <div class="log-column">
                <h3>{ p(ProctorText::MessagesTitle) }</h3>
                if room.messages.is_empty() {
                    <p class="hint">{ p(ProctorText::NoMessages) }</p>
                } else {
                    <ul class="messages">{ for messages }</ul>
                }
            </div>
        </div>
    }
}
