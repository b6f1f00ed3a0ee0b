//! One room (`.room[data-room-id]`): heading, counts per status, and a row
//! per candidate.

use std::rc::Rc;

use examgate_shared::Millis;
use examgate_shared::clock::{ClockSync, format_countdown};
use examgate_shared::roster::{CandidateRow, RoomView, RowStatus};
use yew::prelude::*;

use super::checkins::CheckinList;
use super::station::Station;
use crate::i18n::{Text, use_i18n};

/// The counts above a table, in the order a proctor looks for them (who is
/// working, who dropped out), not [`RowStatus::ALL`]'s order.
const STATUSES: [RowStatus; 4] = [
    RowStatus::Working,
    RowStatus::Disconnected,
    RowStatus::NotStarted,
    RowStatus::Submitted,
];

#[derive(Properties, PartialEq)]
pub struct RoomTableProps {
    pub room: Rc<RoomView>,
    pub clock: ClockSync,
    /// Local time; countdowns and "ago" go through `clock`.
    pub now: Millis,
    /// The proctor's session, for check-in photos and decisions.
    pub token: String,
}

#[component]
pub fn RoomTable(props: &RoomTableProps) -> Html {
    let i18n = use_i18n();
    let room = &props.room;
    let counts = STATUSES.iter().map(|&status| {
        let n = room.rows.iter().filter(|r| r.status == status).count();
        let name = status.as_str();
        html! {
            <li class={classes!("count", name)} data-status={name}>
                { i18n.t(Text::RowStatus(status)) }{ ": " }<b>{ n }</b>
            </li>
        }
    });
    let rows = room.rows.iter().map(|row| {
        html! { <CandidateLine key={row.candidate_id} row={row.clone()} clock={props.clock} now={props.now} /> }
    });
    html! {
        <section class="room card" data-room-id={room.room_id.to_string()}>
            <h2 class="room-title">
                { format!("{} — {} — {}", room.site, room.name, room.exam_title) }
            </h2>
            <ul class="room-counts">{ for counts }</ul>
            if room.requires_card {
                if let Some(code) = &room.join_code {
                    <Station code={code.clone()} token={props.token.clone()} />
                }
                <CheckinList room={room.clone()} token={props.token.clone()} />
            }
            if room.rows.is_empty() {
                <p class="waiting">{ i18n.t(Text::NoCandidates) }</p>
            } else {
                <table class="candidates">
                    <thead>
                        <tr>
                            <th scope="col">{ i18n.t(Text::ColName) }</th>
                            <th scope="col">{ i18n.t(Text::ColStatus) }</th>
                            <th scope="col">{ i18n.t(Text::ColAnswered) }</th>
                            <th scope="col">{ i18n.t(Text::ColTimeLeft) }</th>
                            <th scope="col">{ i18n.t(Text::ColLastActivity) }</th>
                            <th scope="col">{ i18n.t(Text::ColMark) }</th>
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct CandidateLineProps {
    row: CandidateRow,
    clock: ClockSync,
    now: Millis,
}

#[component]
fn CandidateLine(props: &CandidateLineProps) -> Html {
    let i18n = use_i18n();
    let row = &props.row;
    let status = row.status.as_str();
    // A countdown only means something while the candidate can still work.
    let time_left = match (row.status, row.deadline_ms) {
        (RowStatus::Working | RowStatus::Disconnected, Some(deadline)) => {
            format_countdown(props.clock.remaining(deadline, props.now))
        }
        _ => "—".to_owned(),
    };
    let last_activity = row.last_activity_ms.map_or_else(
        || "—".to_owned(),
        |at| i18n.t(Text::Ago(props.clock.relay_now(props.now) - at)),
    );
    html! {
        <tr class={classes!("candidate", status)} data-candidate-id={row.candidate_id.to_string()}
            data-status={status}>
            <td class="name">
                // The số báo danh tells two of the same name apart.
                if let Some(number) = &row.candidate_number {
                    <span class="candidate-number">{ number.clone() }</span>{ " " }
                }
                { row.name.clone() }
            </td>
            <td class="status">{ i18n.t(Text::RowStatus(row.status)) }</td>
            <td class="answered">{ format!("{}/{}", row.answered, row.total) }</td>
            <td class="time-left">{ time_left }</td>
            <td class="last-activity">{ last_activity }</td>
            <td class="mark">{ row.mark.map_or_else(|| "—".to_owned(), |m| m.to_string()) }</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_cover_every_status_once() {
        for status in RowStatus::ALL {
            assert_eq!(STATUSES.iter().filter(|&&s| s == status).count(), 1);
        }
        assert_eq!(STATUSES.len(), RowStatus::ALL.len());
    }
}
