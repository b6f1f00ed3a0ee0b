//! The room list, "DANH SÁCH THÍ SINH PHÒNG THI": one row per candidate
//! (STT, SBD, family and middle name, given name, birth, class, seat, an
//! empty 3×4 photo box, a signature cell), the count, and the two
//! proctors' signatures.

use std::rc::Rc;

use examgate_shared::office::names::split_name;
use yew::prelude::*;

use super::doc_head::DocHead;
use super::print_texts::PrintText;
use super::room_print::RoomPrint;
use super::texts::OfficeText;
use crate::i18n::{Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct RoomListProps {
    pub room: Rc<RoomPrint>,
}

#[component]
pub fn RoomList(props: &RoomListProps) -> Html {
    let i18n = use_i18n();
    let p = |t| i18n.t(Text::Office(OfficeText::Print(t)));
    let room = &props.room;
    let rows = room.rows.iter().enumerate().map(|(i, r)| {
        let (family, given) = split_name(&r.name);
        html! {
            <tr>
                <td class="num">{ i + 1 }</td>
                <td class="sbd">{ r.candidate_number.clone().unwrap_or_default() }</td>
                <td>{ family }</td>
                <td class="given">{ given }</td>
                <td>{ r.birth.clone().unwrap_or_default() }</td>
                <td>{ r.class.clone() }</td>
                <td class="num">{ r.seat.map(|s| s.to_string()).unwrap_or_default() }</td>
                <td class="photo"><span class="photo-box"></span></td>
                <td class="sign"></td>
            </tr>
        }
    });
    let headers = [
        PrintText::ColStt,
        PrintText::ColSbd,
        PrintText::ColFamily,
        PrintText::ColGiven,
        PrintText::ColBirth,
        PrintText::ColClass,
        PrintText::ColSeat,
        PrintText::ColPhoto,
        PrintText::ColSign,
    ];
    html! {
        <article id="room-list" class="print-doc room-list">
            <DocHead event={room.event.clone()} site={room.site.clone()} title={PrintText::RoomListTitle} />
            <p class="doc-meta">
                <span>{ format!("{}: {}", p(PrintText::Room), room.room) }</span>
                <span>{ format!("{}: {}", p(PrintText::Shift), room.shift) }</span>
                <span>{ format!("{}: {}", p(PrintText::Day), room.day) }</span>
                <span>{ format!("{}: {}", p(PrintText::Starts), room.starts) }</span>
                <span>{ format!("{}: {}", p(PrintText::Paper), room.paper) }</span>
            </p>
            <table class="print-table">
                <thead><tr>{ for headers.into_iter().map(|h| html! { <th scope="col">{ p(h) }</th> }) }</tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            <p class="list-count" data-count={room.rows.len().to_string()}>
                { p(PrintText::ListCount(room.rows.len())) }
            </p>
            <Signatures />
        </article>
    }
}

/// The two proctors' signature boxes.
#[component]
pub fn Signatures() -> Html {
    let i18n = use_i18n();
    let p = |t| i18n.t(Text::Office(OfficeText::Print(t)));
    html! {
        <div class="signatures">
            { for [1, 2].into_iter().map(|n| html! {
                <div class="signature">
                    <p class="upper strong">{ p(PrintText::Proctor(n)) }</p>
                    <p class="sign-hint">{ p(PrintText::SignHint) }</p>
                </div>
            }) }
        </div>
    }
}
