//! `#printables`: per event, shift and room a button
//! (`#print-{sitting}-{room}`) that opens the room's printouts in
//! `#print-view`: the room list, the seat cards and the proctors' minutes.

use std::rc::Rc;

use examgate_shared::office::api::PlanView;
use yew::prelude::*;

use super::api::Office;
use super::state::PrintTarget;
use super::texts::OfficeText;
use crate::i18n::{Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct PrintablesProps {
    pub office: Office,
    pub plan: Rc<PlanView>,
    /// The room on show, if any.
    pub open: Option<PrintTarget>,
}

#[component]
pub fn Printables(props: &PrintablesProps) -> Html {
    let i18n = use_i18n();
    let o = |t| i18n.t(Text::Office(t));
    let events = props.plan.events.iter().filter(|e| !e.shifts.is_empty()).map(|event| {
        let shifts = event.shifts.iter().map(|shift| {
            let rooms = shift.codes.iter().map(|code| {
                let target = PrintTarget {
                    event_id: event.id,
                    sitting_id: shift.sitting_id,
                    room_id: code.room_id,
                };
                let open = props.open == Some(target);
                let onclick = {
                    let office = props.office.clone();
                    Callback::from(move |_: MouseEvent| office.open_print(target))
                };
                html! {
                    <li key={code.room_id}>
                        <button type="button" id={format!("print-{}-{}", shift.sitting_id, code.room_id)}
                            class={classes!("print-open", open.then_some("open"))}
                            aria-pressed={open.to_string()} {onclick}>
                            { format!("{} — {}", code.site, code.room) }
                        </button>
                    </li>
                }
            });
            html! {
                <li key={shift.sitting_id} class="print-shift" data-sitting-id={shift.sitting_id.to_string()}>
                    <span class="shift-name">{ format!("{} · {}", shift.name, shift.starts) }</span>
                    <ul class="print-rooms">{ for rooms }</ul>
                </li>
            }
        });
        html! {
            <li key={event.id} class="print-event" data-event-id={event.id.to_string()}>
                <h3>{ event.name.clone() }</h3>
                <ul>{ for shifts }</ul>
            </li>
        }
    });
    html! {
        <section id="printables" class="card office-section" aria-labelledby="printables-title">
            <h2 id="printables-title">{ o(OfficeText::PrintablesTitle) }</h2>
            <p class="hint">{ o(OfficeText::PrintablesIntro) }</p>
            <ul class="printables">{ for events }</ul>
        </section>
    }
}
