//! `#events`: the exam events ("kỳ thi"), each with its shifts ("ca thi"),
//! the paper and start of each, and the join code of each room; a
//! `#shift-form-{id}` under every event and `#event-form` at the end.

use std::collections::HashMap;
use std::rc::Rc;

use examgate_shared::office::api::{CardRoomRequest, EventView, PlanView, ShiftView};
use yew::prelude::*;

use super::api::Office;
use super::drafts::EventDraft;
use super::inputs::{on_text, reset, use_draft};
use super::shift_form::ShiftForm;
use super::state::{Section, Status};
use super::status::StatusLine;
use super::texts::OfficeText;
use crate::i18n::{Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct EventsProps {
    pub office: Office,
    pub plan: Rc<PlanView>,
    pub status: Rc<HashMap<Section, Status>>,
}

#[component]
pub fn Events(props: &EventsProps) -> Html {
    let i18n = use_i18n();
    let o = |t| i18n.t(Text::Office(t));
    let events = props.plan.events.iter().map(|event| {
        html! {
            <EventItem key={event.id} event={event.clone()} office={props.office.clone()}
                plan={props.plan.clone()} status={props.status.get(&Section::Shift(event.id)).cloned()} />
        }
    });
    html! {
        <section id="events" class="card office-section" aria-labelledby="events-title">
            <h2 id="events-title">{ o(OfficeText::EventsTitle) }</h2>
            if props.plan.events.is_empty() {
                <p class="waiting">{ o(OfficeText::NoEvents) }</p>
            }
            <ul class="events">{ for events }</ul>
            <EventForm office={props.office.clone()} status={props.status.get(&Section::Event).cloned()} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct EventItemProps {
    event: EventView,
    office: Office,
    plan: Rc<PlanView>,
    status: Option<Status>,
}

#[component]
fn EventItem(props: &EventItemProps) -> Html {
    let i18n = use_i18n();
    let o = |t| i18n.t(Text::Office(t));
    let event = &props.event;
    let publish = {
        let (office, id, name) = (props.office.clone(), event.id, event.name.clone());
        let question = o(OfficeText::PublishConfirm(name.clone())).to_string();
        Callback::from(move |_: MouseEvent| {
            // Publishing cannot be undone: the office says so once more.
            let sure = web_sys::window()
                .and_then(|w| w.confirm_with_message(&question).ok())
                .unwrap_or(false);
            if sure {
                office.create(
                    Section::Shift(id),
                    format!("/api/office/events/{id}/publish"),
                    serde_json::json!({}),
                    OfficeText::PublishedDone(name.clone()),
                    Callback::noop(),
                );
            }
        })
    };
    html! {
        <li class="event" data-event-id={event.id.to_string()}>
            <h3>
                { event.name.clone() }
                if !event.subject.is_empty() {
                    <span class="subject">{ format!(" — {}", event.subject) }</span>
                }
            </h3>
            if let Some(at) = &event.published {
                <p class="published">{ o(OfficeText::PublishedAt(at.clone())) }</p>
            } else if !event.shifts.is_empty() {
                <button type="button" class="publish" id={format!("publish-{}", event.id)}
                    onclick={publish}>
                    { o(OfficeText::PublishResults) }
                </button>
            }
            if event.shifts.is_empty() {
                <p class="waiting">{ o(OfficeText::NoShifts) }</p>
            }
            <ul class="shifts">
                { for event.shifts.iter().map(|shift| html! {
                    <ShiftItem key={shift.sitting_id} shift={shift.clone()} event_id={event.id}
                        office={props.office.clone()} />
                }) }
            </ul>
            if event.published.is_none() {
                <ShiftForm event_id={event.id} office={props.office.clone()} plan={props.plan.clone()}
                    status={props.status.clone()} />
            } else {
                <StatusLine id={format!("shift-status-{}", event.id)} status={props.status.clone()} />
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct ShiftItemProps {
    shift: ShiftView,
    event_id: u64,
    office: Office,
}

/// A shift: name, start, paper and working time, then a join code per room,
/// each with the switch between chip-ID check-in and plain joining (the
/// outcome is said under the event's shift form).
#[component]
fn ShiftItem(props: &ShiftItemProps) -> Html {
    let i18n = use_i18n();
    let o = |t| i18n.t(Text::Office(t));
    let s = &props.shift;
    let minutes = s.duration_ms / 60_000;
    let codes = s.codes.iter().map(|c| {
        let toggle = {
            let (office, code, event_id) = (props.office.clone(), c.code.clone(), props.event_id);
            let requires_card = !c.requires_card;
            Callback::from(move |_: MouseEvent| {
                office.create(
                    Section::Shift(event_id),
                    format!("/api/office/codes/{code}"),
                    CardRoomRequest { requires_card },
                    OfficeText::CardRoomSet {
                        code: code.clone(),
                        requires_card,
                    },
                    Callback::noop(),
                );
            })
        };
        let switch = o(if c.requires_card {
            OfficeText::StopRequiringCard
        } else {
            OfficeText::RequireCard
        });
        html! {
            <li key={c.room_id} class="join-code-row" data-room-id={c.room_id.to_string()}
                data-code={c.code.clone()}>
                <span class="place">{ format!("{} — {}", c.site, c.room) }</span>
                <code class="join-code">{ c.code.clone() }</code>
                if c.requires_card {
                    <span class="badge">{ o(OfficeText::CardRoom) }</span>
                }
                <span class="registered">{ o(OfficeText::Registered(c.registered)) }</span>
                <button type="button" class="card-room-toggle" onclick={toggle}
                    aria-label={format!("{switch} — {}", c.code)}>
                    { switch }
                </button>
            </li>
        }
    });
    html! {
        <li class="shift" data-sitting-id={s.sitting_id.to_string()} data-exam-id={s.exam_id.clone()}>
            <p class="shift-head">
                <strong class="shift-name">{ s.name.clone() }</strong>
                <span class="shift-start">{ s.starts.clone() }</span>
                <span class="shift-paper">{ o(OfficeText::ShiftPaper { title: s.exam_title.clone(), minutes }) }</span>
                <span class="registered">{ o(OfficeText::Registered(s.registered)) }</span>
            </p>
            if s.codes.is_empty() {
                <p class="hint">{ o(OfficeText::NoCodes) }</p>
            } else {
                <ul class="join-codes">{ for codes }</ul>
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct EventFormProps {
    office: Office,
    status: Option<Status>,
}

/// `#event-form`: a new event's name and subject.
#[component]
fn EventForm(props: &EventFormProps) -> Html {
    let i18n = use_i18n();
    let o = |t| i18n.t(Text::Office(t));
    let draft = use_draft::<EventDraft>();
    let busy = props.status == Some(Status::Busy);
    let onsubmit = {
        let (office, draft) = (props.office.clone(), draft.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match draft.0.request() {
                Ok(body) => {
                    let done = OfficeText::EventCreated(body.name.clone());
                    office.create(
                        Section::Event,
                        "/api/office/events".into(),
                        body,
                        done,
                        reset(&draft),
                    );
                }
                Err(text) => office.refuse(Section::Event, text),
            }
        })
    };
    html! {
        <form id="event-form" class="office-form" {onsubmit} novalidate=true>
            <h3>{ o(OfficeText::NewEvent) }</h3>
            <label>{ o(OfficeText::EventName) }
                <input id="event-name" name="name" type="text" value={draft.0.name.clone()}
                    placeholder={o(OfficeText::EventNameExample)}
                    oninput={on_text(&draft, |d, v| d.name = v)} />
            </label>
            <label>{ o(OfficeText::Subject) }
                <input id="event-subject" name="subject" type="text" value={draft.0.subject.clone()}
                    oninput={on_text(&draft, |d, v| d.subject = v)} />
            </label>
            <button id="event-create" type="submit" class="primary" disabled={busy}>
                { o(OfficeText::Create) }
            </button>
            <StatusLine id="event-status" status={props.status.clone()} />
        </form>
    }
}
