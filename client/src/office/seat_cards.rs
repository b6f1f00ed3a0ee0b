//! Seat cards: one per candidate, to lay on the desk or hand out: SBD,
//! name, birth, room, shift, seat, and the room's join code as large text
//! and as a QR code of the join link. A room without registered candidates
//! gets one card with the code alone.

use std::rc::Rc;

use yew::prelude::*;

use super::print_texts::PrintText;
use super::qr::{join_url, use_qr};
use super::room_print::RoomPrint;
use super::texts::OfficeText;
use crate::i18n::{Text, use_i18n};
use crate::print::origin;

#[derive(Properties, PartialEq)]
pub struct SeatCardsProps {
    pub room: Rc<RoomPrint>,
}

#[component]
pub fn SeatCards(props: &SeatCardsProps) -> Html {
    let i18n = use_i18n();
    let p = |t| i18n.t(Text::Office(OfficeText::Print(t)));
    let room = &props.room;
    let link = AttrValue::from(join_url(&origin(), &room.code));
    let qr = use_qr(link.clone());
    let place = format!("{} — {}", room.room, room.site);
    let shift = format!("{} · {} {}", room.shift, room.starts, room.day);
    let code_block = html! {
        <div class="card-code">
            <div>
                <p class="label">{ p(PrintText::JoinCode) }</p>
                <p class="join-code-big">{ room.code.clone() }</p>
                <p class="scan-hint">{ p(PrintText::ScanHint) }</p>
            </div>
            { qr }
        </div>
    };
    let line = |label: PrintText, value: String| {
        html! {
            <p class="card-line"><span class="label">{ p(label) }</span><span class="value">{ value }</span></p>
        }
    };
    let cards = room.rows.iter().map(|r| {
        html! {
            <div class="seat-card" data-candidate-number={r.candidate_number.clone()}>
                <p class="card-title upper strong">{ p(PrintText::SeatCardTitle) }</p>
                { line(PrintText::ColSbd, r.candidate_number.clone().unwrap_or_default()) }
                <p class="card-name">{ r.name.clone() }</p>
                { line(PrintText::ColBirth, r.birth.clone().unwrap_or_default()) }
                { line(PrintText::Room, place.clone()) }
                { line(PrintText::Shift, shift.clone()) }
                { line(PrintText::ColSeat, r.seat.map(|s| s.to_string()).unwrap_or_default()) }
                { code_block.clone() }
            </div>
        }
    });
    html! {
        <article id="seat-cards" class="print-doc seat-cards" data-code={room.code.clone()}
            data-link={link.clone()}>
            if room.rows.is_empty() {
                <div class="seat-card room-card">
                    <p class="card-title upper strong">{ p(PrintText::RoomCardTitle) }</p>
                    <p class="card-name">{ place.clone() }</p>
                    { line(PrintText::Shift, shift.clone()) }
                    { code_block.clone() }
                </div>
            }
            { for cards }
        </article>
    }
}
