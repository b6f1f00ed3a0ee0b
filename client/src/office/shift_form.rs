//! `#shift-form-{event}`: a shift of an event: its name, day and start
//! (Vietnam time, as written on paper), working minutes, an optional hard
//! stop, the paper, whether candidates enter by chip-ID check-in, whether
//! the page asks for full screen, and the rooms that get a join code now
//! (a roster import adds the rooms it fills).
//!
//! Fields carry `name` (`name`, `date`, `start`, `minutes`,
//! `hard_stop_minutes`, `exam_id`, `requires_card`, `fullscreen`) and ids
//! suffixed with the event's id.

use std::rc::Rc;

use examgate_shared::office::api::PlanView;
use yew::prelude::*;

use super::api::Office;
use super::drafts::ShiftDraft;
use super::inputs::{on_check, on_text, update, use_draft};
use super::state::{Section, Status};
use super::status::StatusLine;
use super::texts::OfficeText;
use crate::i18n::{Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct ShiftFormProps {
    pub event_id: u64,
    pub office: Office,
    pub plan: Rc<PlanView>,
    pub status: Option<Status>,
}

#[component]
pub fn ShiftForm(props: &ShiftFormProps) -> Html {
    let i18n = use_i18n();
    let o = |t| i18n.t(Text::Office(t));
    let draft = use_draft::<ShiftDraft>();
    let id = props.event_id;
    let field = |name: &str| format!("shift-{name}-{id}");
    let busy = props.status == Some(Status::Busy);

    let onsubmit = {
        let (office, draft) = (props.office.clone(), draft.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let section = Section::Shift(id);
            match draft.0.request() {
                Ok(body) => {
                    let done = OfficeText::ShiftCreated(body.name.clone());
                    let path = format!("/api/office/events/{id}/shifts");
                    // The next shift is often the same day and paper: only
                    // its name, start and rooms are cleared.
                    let next = {
                        let draft = draft.clone();
                        Callback::from(move |()| update(&draft, ShiftDraft::clear_for_next))
                    };
                    office.create(section, path, body, done, next);
                }
                Err(text) => office.refuse(section, text),
            }
        })
    };
    // Picking a paper fills in its working time when none was typed.
    let on_paper = {
        let (draft, plan) = (draft.clone(), props.plan.clone());
        Callback::from(move |e: Event| {
            let exam_id = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            let minutes = plan
                .papers
                .iter()
                .find(|p| p.id == exam_id)
                .map(|p| (p.duration_secs / 60).to_string());
            update(&draft, move |d| {
                if d.minutes.trim().is_empty() {
                    d.minutes = minutes.unwrap_or_default();
                }
                d.exam_id = exam_id;
            });
        })
    };
    let papers = props.plan.papers.iter().map(|p| {
        html! {
            <option key={p.id.clone()} value={p.id.clone()} selected={draft.0.exam_id == p.id}>
                { format!("{} ({})", p.title, p.id) }
            </option>
        }
    });
    let rooms = props.plan.sites.iter().flat_map(|site| {
        site.rooms.iter().map(|room| {
            let room_id = room.id;
            let checked = draft.0.room_ids.contains(&room_id);
            let onchange = {
                let draft = draft.clone();
                Callback::from(move |_: Event| update(&draft, move |d| d.toggle_room(room_id)))
            };
            html! {
                <label key={room_id} class="check">
                    <input type="checkbox" id={format!("shift-room-{id}-{room_id}")} name="room_ids"
                        value={room_id.to_string()} {checked} {onchange} />
                    { format!("{} — {}", site.name, room.name) }
                </label>
            }
        })
    });

    html! {
        <form id={format!("shift-form-{id}")} class="office-form shift-form" {onsubmit} novalidate=true>
            <h4>{ o(OfficeText::NewShift) }</h4>
            <div class="form-row">
                <label>{ o(OfficeText::ShiftName) }
                    <input id={field("name")} name="name" type="text" placeholder="Ca 1"
                        value={draft.0.name.clone()} oninput={on_text(&draft, |d, v| d.name = v)} />
                </label>
                <label>{ o(OfficeText::ShiftDate) }
                    <input id={field("date")} name="date" type="text" inputmode="numeric"
                        placeholder="dd/mm/yyyy" value={draft.0.date.clone()}
                        oninput={on_text(&draft, |d, v| d.date = v)} />
                </label>
                <label>{ o(OfficeText::ShiftStart) }
                    <input id={field("start")} name="start" type="text" inputmode="numeric"
                        placeholder="07:30" value={draft.0.start.clone()}
                        oninput={on_text(&draft, |d, v| d.start = v)} />
                </label>
                <label>{ o(OfficeText::ShiftMinutes) }
                    <input id={field("minutes")} name="minutes" type="number" min="1" max="600"
                        value={draft.0.minutes.clone()} oninput={on_text(&draft, |d, v| d.minutes = v)} />
                </label>
                <label title={o(OfficeText::ShiftHardStopHint)}>{ o(OfficeText::ShiftHardStop) }
                    <input id={field("hard-stop")} name="hard_stop_minutes" type="number" min="1" max="1440"
                        value={draft.0.hard_stop.clone()} oninput={on_text(&draft, |d, v| d.hard_stop = v)} />
                </label>
            </div>
            <label>{ o(OfficeText::ShiftPaperLabel) }
                <select id={field("paper")} name="exam_id" onchange={on_paper}>
                    <option value="" selected={draft.0.exam_id.is_empty()}>{ o(OfficeText::PickPaper) }</option>
                    { for papers }
                </select>
            </label>
            <label class="check">
                <input id={field("card")} name="requires_card" type="checkbox"
                    checked={draft.0.requires_card} onchange={on_check(&draft, |d, v| d.requires_card = v)} />
                { o(OfficeText::RequiresCard) }
            </label>
            <label class="check">
                <input id={field("fullscreen")} name="fullscreen" type="checkbox"
                    checked={draft.0.fullscreen} onchange={on_check(&draft, |d, v| d.fullscreen = v)} />
                { o(OfficeText::Fullscreen) }
            </label>
            if !props.plan.sites.is_empty() {
                <fieldset class="shift-rooms">
                    <legend>{ o(OfficeText::ShiftRooms) }</legend>
                    { for rooms }
                </fieldset>
            }
            <button id={field("create")} type="submit" class="primary" disabled={busy}>
                { o(OfficeText::AddShift) }
            </button>
            <StatusLine id={field("status")} status={props.status.clone()} />
        </form>
    }
}
