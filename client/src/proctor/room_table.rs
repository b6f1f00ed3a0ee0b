//! One open room (`.room[data-room-id]`): heading, the room's own actions,
//! counts per status, check-ins in card rooms, a row per candidate, and the
//! room's incidents and messages.

use std::rc::Rc;

use examgate_shared::Millis;
use examgate_shared::clock::ClockSync;
use examgate_shared::proctoring::Target;
use examgate_shared::roster::{RoomView, RowStatus};
use yew::prelude::*;

use super::candidate_row::CandidateLine;
use super::checkins::CheckinList;
use super::context::use_proctor;
use super::dialog::{Dialog, Task};
use super::room_log::RoomLog;
use super::station::Station;
use super::texts::ProctorText;
use crate::i18n::{Text, use_i18n};

/// The counts above a table, in the order a proctor looks for them (who is
/// working, who dropped out), not [`RowStatus::ALL`]'s order.
const STATUSES: [RowStatus; 6] = [
    RowStatus::Working,
    RowStatus::Disconnected,
    RowStatus::Paused,
    RowStatus::CheckedIn,
    RowStatus::NotStarted,
    RowStatus::Submitted,
];

#[derive(Properties, PartialEq)]
pub struct RoomTableProps {
    pub room: Rc<RoomView>,
    pub clock: ClockSync,
    /// Local time; countdowns and "ago" go through `clock`.
    pub now: Millis,
    /// Opened from the central view, so it can be hidden again.
    #[prop_or_default]
    pub hideable: bool,
}

#[component]
pub fn RoomTable(props: &RoomTableProps) -> Html {
    let i18n = use_i18n();
    let ctx = use_proctor();
    let room = &props.room;
    let p = |t| i18n.t(Text::Proctor(t));
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
        html! {
            <CandidateLine key={row.candidate_id} row={row.clone()} room_id={room.room_id}
                clock={props.clock} now={props.now} />
        }
    });
    let room_tasks = Task::ROOM.iter().map(|&task| {
        let dialog = Dialog {
            task,
            target: Target::Room {
                room_id: room.room_id,
            },
            room_id: room.room_id,
            who: format!("{} — {}", room.site, room.name),
        };
        let ask = ctx.ask.clone();
        html! {
            <button type="button" class="room-task" data-task={task.name()}
                onclick={Callback::from(move |_: MouseEvent| ask.emit(dialog.clone()))}>
                { p(ProctorText::RoomTask(task)) }
            </button>
        }
    });
    let hide = {
        let (hide, id) = (ctx.hide_room.clone(), room.room_id);
        Callback::from(move |_: MouseEvent| hide.emit(id))
    };
    html! {
        <section class="room card" data-room-id={room.room_id.to_string()}>
            <div class="room-head">
                <h2 class="room-title">
                    { format!("{} — {} — {}", room.site, room.name, room.exam_title) }
                </h2>
                if props.hideable {
                    <button type="button" class="room-hide" onclick={hide}>{ p(ProctorText::HideRoom) }</button>
                }
            </div>
            if ctx.acts() {
                <div class="room-actions">{ for room_tasks }</div>
            }
            <ul class="room-counts">{ for counts }</ul>
            if room.requires_card {
                if let Some(code) = &room.join_code {
                    <Station code={code.clone()} token={ctx.token.to_string()} />
                }
                <CheckinList room={room.clone()} token={ctx.token.to_string()} />
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
                            <th scope="col">{ p(ProctorText::ColWarnings) }</th>
                            <th scope="col">{ i18n.t(Text::ColLastActivity) }</th>
                            <th scope="col">{ i18n.t(Text::ColMark) }</th>
                            if ctx.acts() {
                                <th scope="col">{ p(ProctorText::ColActions) }</th>
                            }
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            }
            <RoomLog room={room.clone()} />
        </section>
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
