//! The proctors' minutes, "BIÊN BẢN COI THI": what the plan knows is filled
//! in (event, site, room, shift, day, planned times, candidates listed);
//! the rest is blanks for the proctors: actual times, who was present and
//! absent, incidents, how identities were checked, reconnects and machine
//! changes, time added, their signatures and the site head's. Above the
//! signatures, the audit chain's head at printing: signed on paper, it lets
//! an inspector detect a later change to the record (docs/audit.md).

use std::rc::Rc;

use examgate_shared::audit_chain::ChainHead;
use yew::prelude::*;

use super::doc_head::DocHead;
use super::print_texts::PrintText;
use super::room_list::Signatures;
use super::room_print::RoomPrint;
use super::texts::OfficeText;
use crate::i18n::{Text, use_i18n};

/// Empty rows under each table heading for handwriting.
const BLANK_ROWS: usize = 4;

#[derive(Properties, PartialEq)]
pub struct MinutesProps {
    pub room: Rc<RoomPrint>,
    /// The audit chain's head when printed (`None`: not fetched).
    pub audit_head: Option<ChainHead>,
}

#[component]
pub fn Minutes(props: &MinutesProps) -> Html {
    let i18n = use_i18n();
    let p = |t| i18n.t(Text::Office(OfficeText::Print(t)));
    let room = &props.room;
    let field = |label: PrintText, value: Option<String>| {
        html! {
            <p class="field">
                <span class="label">{ format!("{}: ", p(label)) }</span>
                if let Some(value) = value {
                    <span class="value">{ value }</span>
                } else {
                    <span class="blank"></span>
                }
            </p>
        }
    };
    let table = |columns: &[PrintText]| {
        html! {
            <table class="print-table blank-table">
                <thead><tr>{ for columns.iter().map(|c| html! { <th scope="col">{ p(c.clone()) }</th> }) }</tr></thead>
                <tbody>
                    { for (0..BLANK_ROWS).map(|_| html! {
                        <tr>{ for columns.iter().map(|_| html! { <td></td> }) }</tr>
                    }) }
                </tbody>
            </table>
        }
    };
    let check = |label: PrintText| {
        html! {
            <span class="check-box"><span class="box"></span>{ p(label) }</span>
        }
    };
    let lines = |n: usize| {
        html! {
            <div class="blank-lines">{ for (0..n).map(|_| html! { <span class="blank line"></span> }) }</div>
        }
    };
    html! {
        <article id="minutes" class="print-doc minutes">
            <DocHead event={room.event.clone()} site={room.site.clone()} title={PrintText::MinutesTitle} />
            <div class="fields two">
                { field(PrintText::Event, Some(room.event.clone())) }
                { field(PrintText::Site, Some(room.site.clone())) }
                { field(PrintText::Room, Some(room.room.clone())) }
                { field(PrintText::Shift, Some(room.shift.clone())) }
                { field(PrintText::Day, Some(room.day.clone())) }
                { field(PrintText::Paper, Some(format!("{} ({} {})", room.paper, room.minutes, p(PrintText::MinutesUnit)))) }
                { field(PrintText::PlannedStart, Some(room.starts.clone())) }
                { field(PrintText::ActualStart, None) }
                { field(PrintText::PlannedEnd, Some(room.ends.clone())) }
                { field(PrintText::ActualEnd, None) }
                { field(PrintText::Listed, Some(room.rows.len().to_string())) }
                { field(PrintText::Present, None) }
                { field(PrintText::Absent, None) }
            </div>
            <h3>{ p(PrintText::AbsentTitle) }</h3>
            { table(&[PrintText::ColSbd, PrintText::FullName, PrintText::Note]) }
            <h3>{ p(PrintText::IncidentsTitle) }</h3>
            { table(&[PrintText::Time, PrintText::Candidate, PrintText::What, PrintText::Action]) }
            <h3>{ p(PrintText::IdentityTitle) }</h3>
            <p class="checks">
                if room.requires_card {
                    { check(PrintText::IdChip) }
                }
                { check(PrintText::IdDocument) }
                { check(PrintText::IdPhoto) }
                { check(PrintText::IdOther) }
            </p>
            <h3>{ p(PrintText::ReconnectsTitle) }</h3>
            { lines(3) }
            <h3>{ p(PrintText::TimeAddedTitle) }</h3>
            { lines(2) }
            <div id="minutes-audit-head" class="audit-head">
                if let Some(head) = &props.audit_head {
                    <p class="field" data-entry={head.id.to_string()}>
                        { p(PrintText::AuditHead { hash: head.hash.clone(), entry: head.id }) }
                    </p>
                } else {
                    { field(PrintText::AuditHeadMissing, None) }
                }
                <p class="sign-hint">{ p(PrintText::AuditHeadHint) }</p>
            </div>
            <Signatures />
            <div class="signature site-head">
                <p class="upper strong">{ p(PrintText::SiteHead) }</p>
                <p class="sign-hint">{ p(PrintText::CountersignHint) }</p>
            </div>
        </article>
    }
}
