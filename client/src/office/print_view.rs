//! `#print-view`: one room's printouts on screen, with `#print-now` and
//! `#print-close`; the print stylesheet keeps only this block on paper and
//! starts each document on a new page.

use std::rc::Rc;

use examgate_shared::office::api::{PlanView, RosterRow};
use yew::prelude::*;

use super::api::Office;
use super::minutes::Minutes;
use super::room_list::RoomList;
use super::room_print::RoomPrint;
use super::seat_cards::SeatCards;
use super::state::{Load, OfficeAction, PrintTarget};
use super::texts::OfficeText;
use crate::audit_head::use_audit_head;
use crate::i18n::{Text, use_i18n};
use crate::print::{ROOM, print_only};

#[derive(Properties, PartialEq)]
pub struct PrintViewProps {
    pub office: Office,
    pub plan: Rc<PlanView>,
    pub target: PrintTarget,
    pub rows: Load<Rc<Vec<RosterRow>>>,
}

#[component]
pub fn PrintView(props: &PrintViewProps) -> Html {
    let i18n = use_i18n();
    let o = |t| i18n.t(Text::Office(t));
    // Bring the printouts into view when another room is picked.
    use_effect_with(props.target, |_| {
        if let Some(view) = gloo::utils::document().get_element_by_id("print-view") {
            view.scroll_into_view();
        }
    });
    // Fetched per room opened, so the minutes carry the head as printed.
    let audit_head = use_audit_head(props.office.token(), props.target);
    let close = {
        let office = props.office.clone();
        Callback::from(move |_: MouseEvent| office.dispatch(OfficeAction::ClosePrint))
    };
    let body = match &props.rows {
        Load::Idle | Load::Loading => {
            html! { <p class="waiting no-print">{ o(OfficeText::LoadingRoster) }</p> }
        }
        Load::Failed(problem) => html! {
            <p id="print-error" class="error no-print" role="alert" data-code={problem.data_code()}>
                { i18n.t(Text::Problem(*problem)) }
            </p>
        },
        Load::Ready(rows) => match RoomPrint::pick(&props.plan, props.target, rows) {
            None => html! { <p class="error no-print">{ o(OfficeText::RoomGone) }</p> },
            Some(room) => {
                let room = Rc::new(room);
                html! {
                    <>
                        <RoomList room={room.clone()} />
                        <SeatCards room={room.clone()} />
                        <Minutes {room} audit_head={audit_head.clone()} />
                    </>
                }
            }
        },
    };
    let t = props.target;
    html! {
        <section id="print-view" class="print-view" data-state={props.rows.state_name()}
            data-sitting-id={t.sitting_id.to_string()} data-room-id={t.room_id.to_string()}>
            <div class="print-toolbar no-print">
                <h2>{ o(OfficeText::PrintViewTitle) }</h2>
                <button id="print-now" type="button" class="primary"
                    disabled={!matches!(props.rows, Load::Ready(_))}
                    onclick={Callback::from(|_: MouseEvent| print_only(ROOM))}>
                    { o(OfficeText::PrintNow) }
                </button>
                <button id="print-close" type="button" onclick={close}>{ o(OfficeText::Close) }</button>
            </div>
            { body }
        </section>
    }
}
