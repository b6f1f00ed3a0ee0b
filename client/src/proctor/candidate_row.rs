//! One candidate's line in a room table (`tr.candidate`): status, progress,
//! time left (frozen while paused, with the extra time granted), the
//! warnings badge, and the menu of what the proctor can do about them.
//! The name opens the candidate's detail panel.

use examgate_shared::Millis;
use examgate_shared::clock::{ClockSync, format_countdown};
use examgate_shared::proctoring::Target;
use examgate_shared::roster::{CandidateRow, RowStatus};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::context::use_proctor;
use super::dialog::{Dialog, Task};
use super::texts::ProctorText;
use crate::i18n::{Text, use_i18n};
use crate::time;

#[derive(Properties, PartialEq)]
pub struct CandidateLineProps {
    pub row: CandidateRow,
    pub room_id: u64,
    pub clock: ClockSync,
    /// Local time; countdowns and "ago" go through `clock`.
    pub now: Millis,
}

#[component]
pub fn CandidateLine(props: &CandidateLineProps) -> Html {
    let i18n = use_i18n();
    let ctx = use_proctor();
    let row = &props.row;
    let p = |t| i18n.t(Text::Proctor(t));
    let status = row.status.as_str();
    // A countdown only means something while the candidate can still work;
    // a paused one shows the time left, frozen.
    let time_left = match (row.status, row.deadline_ms, row.remaining_ms) {
        (RowStatus::Paused, _, Some(left)) => html! {
            <span class="frozen" title={p(ProctorText::PausedLeft)}>{ "⏸ " }{ format_countdown(left) }</span>
        },
        (RowStatus::Working | RowStatus::Disconnected, Some(deadline), _) => {
            html! { format_countdown(props.clock.remaining(deadline, props.now)) }
        }
        _ => html! { "—" },
    };
    let last_activity = row.last_activity_ms.map_or_else(
        || "—".to_owned(),
        |at| i18n.t(Text::Ago(props.clock.relay_now(props.now) - at)),
    );
    let show = {
        let (show, id) = (ctx.show_candidate.clone(), row.candidate_id);
        Callback::from(move |_: MouseEvent| show.emit(id))
    };
    html! {
        <tr class={classes!("candidate", status, (row.warnings > 0).then_some("warned"))}
            data-candidate-id={row.candidate_id.to_string()} data-status={status}
            data-warnings={row.warnings.to_string()}>
            <td class="name">
                <button type="button" class="candidate-name link" onclick={show}>
                    // The số báo danh tells two of the same name apart.
                    if let Some(number) = &row.candidate_number {
                        <span class="candidate-number">{ number.clone() }</span>{ " " }
                    }
                    { row.name.clone() }
                </button>
            </td>
            <td class="status">{ i18n.t(Text::RowStatus(row.status)) }</td>
            <td class="answered">{ format!("{}/{}", row.answered, row.total) }</td>
            <td class="time-left">
                { time_left }
                if row.extra_ms > 0 {
                    { " " }<span class="extra-time" data-extra-ms={row.extra_ms.to_string()}>
                        { p(ProctorText::ExtraTime(row.extra_ms)) }
                    </span>
                }
            </td>
            <td class="warnings"><WarningsBadge row={row.clone()} /></td>
            <td class="last-activity">{ last_activity }</td>
            <td class="mark">{ row.mark.map_or_else(|| "—".to_owned(), |m| m.to_string()) }</td>
            if ctx.acts() {
                <td class="row-actions">
                    <RowMenu row={row.clone()} room_id={props.room_id} />
                </td>
            }
        </tr>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    row: CandidateRow,
}

/// How many warnings, and the newest one's kind and time.
#[component]
fn WarningsBadge(props: &RowProps) -> Html {
    let i18n = use_i18n();
    let row = &props.row;
    let Some(last) = row.last_warning.as_ref().filter(|_| row.warnings > 0) else {
        return html! { "—" };
    };
    let kind = i18n.t(Text::Proctor(ProctorText::Warning(last.signal.clone())));
    html! {
        <span class="warnings-badge" data-warnings={row.warnings.to_string()}
            data-warning={last.signal.name()}
            title={i18n.t(Text::Proctor(ProctorText::WarningsBadge { count: row.warnings }))}>
            <b class="warning-count">{ row.warnings }</b>
            <span class="warning-last">{ kind }{ " · " }{ time::wall_clock(last.at) }</span>
        </span>
    }
}

#[derive(Properties, PartialEq)]
struct RowMenuProps {
    row: CandidateRow,
    room_id: u64,
}

/// Closes the `<details>` menu a click came from.
fn close_menu(e: &MouseEvent) {
    let menu = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("details").ok().flatten());
    if let Some(menu) = menu {
        let _ = menu.remove_attribute("open");
    }
}

/// `details.row-menu`: the tasks that make sense for this row's status.
#[component]
fn RowMenu(props: &RowMenuProps) -> Html {
    let i18n = use_i18n();
    let ctx = use_proctor();
    let row = &props.row;
    let items = Task::for_row(row.status, ctx.role).into_iter().map(|task| {
        let dialog = Dialog {
            task,
            target: Target::Candidate {
                candidate_id: row.candidate_id,
            },
            room_id: props.room_id,
            who: row.name.clone(),
        };
        let ask = ctx.ask.clone();
        let onclick = Callback::from(move |e: MouseEvent| {
            close_menu(&e);
            ask.emit(dialog.clone());
        });
        html! {
            <li><button type="button" class="row-task" data-task={task.name()} {onclick}>
                { i18n.t(Text::Proctor(ProctorText::Task(task))) }
            </button></li>
        }
    });
    html! {
        <details class="row-menu">
            <summary>{ i18n.t(Text::Proctor(ProctorText::ColActions)) }</summary>
            <ul class="menu">{ for items }</ul>
        </details>
    }
}
