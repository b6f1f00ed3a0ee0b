//! `#dashboard`: connection, relay clock, the central view of every room
//! (when the session watches more than one) and a table per open room;
//! the task dialog and a candidate's detail panel above them. Teachers and
//! the central proctor also get `#results-link` to the results page.

use std::rc::Rc;

use examgate_shared::protocol::ProctorToRelay;
use yew::prelude::*;

use super::StaffPageProps;
use super::central::CentralView;
use super::channel::ProctorChannel;
use super::context::ProctorCtx;
use super::detail::DetailPanel;
use super::dialog::Dialog;
use super::dialog_view::DialogView;
use super::room_table::RoomTable;
use super::state::{DashAction, DashState};
use super::texts::ProctorText;
use crate::banner::{FatalBanner, ReplacedBanner};
use crate::hooks::{use_live_socket, use_signed_out};
use crate::i18n::{LangToggle, Text, use_i18n};
use crate::routes;
use crate::socket::{Link, Socket, Stop};
use crate::time;

/// Times on the dashboard move in whole seconds.
const TICK_MS: u32 = 1_000;

#[component]
pub fn Dashboard(props: &StaffPageProps) -> Html {
    let i18n = use_i18n();
    let socket = use_memo((), |_| Socket::<ProctorChannel>::new());
    let state = use_reducer(|| DashState::new(time::now()));
    let dialog = use_state(|| None::<Dialog>);
    let detail = use_state(|| None::<u64>);

    use_live_socket(
        &socket,
        &props.session.token,
        state.dispatcher(),
        TICK_MS,
        DashAction::Tick,
    );
    use_signed_out(state.signed_out, &props.on_signed_out);

    let ctx = {
        let (dispatch, dialog, detail) = (state.dispatcher(), dialog.setter(), detail.setter());
        use_memo(props.session.clone(), move |session| {
            let (open, hide) = (dispatch.clone(), dispatch);
            ProctorCtx {
                token: Rc::from(session.token.as_str()),
                role: session.role,
                ask: Callback::from(move |d| dialog.set(Some(d))),
                show_candidate: Callback::from(move |id| detail.set(Some(id))),
                open_room: Callback::from(move |room| open.dispatch(DashAction::Open(room))),
                hide_room: Callback::from(move |room| hide.dispatch(DashAction::Hide(room))),
            }
        })
    };

    // The page's choice of rooms goes out when it changes and again on
    // every new connection, which starts from the relay's default.
    use_effect_with(
        (state.watch.chosen().map(<[u64]>::to_vec), state.connections),
        {
            let socket = (*socket).clone();
            move |(chosen, connections)| {
                if let (Some(rooms), 1..) = (chosen, connections) {
                    socket.send(&ProctorToRelay::Watch {
                        rooms: rooms.clone(),
                    });
                }
            }
        },
    );
    // A room opened from the central view comes into view once it is there.
    use_effect_with((state.focus, state.shown()), {
        let dispatch = state.dispatcher();
        move |(focus, shown)| {
            if let Some(room) = focus.filter(|r| shown.contains(r)) {
                let selector = format!(".room[data-room-id='{room}']");
                if let Ok(Some(el)) = gloo::utils::document().query_selector(&selector) {
                    el.scroll_into_view();
                }
                dispatch.dispatch(DashAction::Focused);
            }
        }
    });

    let live = state.link.is_live();
    let conn_state = if live { "live" } else { "offline" };
    let take_over = {
        let socket = (*socket).clone();
        Callback::from(move |_: MouseEvent| socket.reconnect_now())
    };
    let central = state.summaries.len() > 1;
    let shown = state.shown();
    let open: Rc<Vec<u64>> = Rc::new(
        state
            .summaries
            .keys()
            .copied()
            .filter(|&room| state.watch.is_open(&shown, room))
            .collect(),
    );
    let rooms = if !state.loaded {
        html! { <p class="waiting">{ i18n.t(Text::WaitingRooms) }</p> }
    } else if state.rooms.is_empty() && state.summaries.is_empty() {
        html! { <p class="waiting">{ i18n.t(Text::NoRooms) }</p> }
    } else if state.rooms.is_empty() && central {
        html! { <p class="hint pick-room">{ i18n.t(Text::Proctor(ProctorText::PickRoom)) }</p> }
    } else {
        state
            .rooms
            .iter()
            .map(|room| {
                html! {
                    <RoomTable key={room.room_id} room={room.clone()} clock={state.clock}
                        now={state.now} hideable={central} />
                }
            })
            .collect::<Html>()
    };
    let close_dialog = {
        let dialog = dialog.clone();
        Callback::from(move |()| dialog.set(None))
    };
    let close_detail = {
        let detail = detail.clone();
        Callback::from(move |()| detail.set(None))
    };

    html! {
        <ContextProvider<ProctorCtx> context={(*ctx).clone()}>
        <div id="dashboard" class="page dashboard">
            <header class="topbar">
                <div class="exam-id">
                    <h1>{ i18n.t(Text::DashboardTitle) }</h1>
                    <p class="who">
                        <span id="proctor-name">{ props.session.display_name.clone() }</span>
                        <span class="role">{ i18n.t(Text::Role(props.session.role)) }</span>
                    </p>
                </div>
                <p id="conn-status" class={classes!("conn-status", conn_state)} data-state={conn_state}
                    role="status">
                    { i18n.t(if live { Text::ConnLive } else { Text::ConnOffline }) }
                </p>
                <p class="relay-clock">
                    <span class="label">{ i18n.t(Text::RelayClock) }</span>
                    <span id="relay-clock">{ time::wall_clock(state.relay_now()) }</span>
                </p>
                if routes::reads_results(props.session.role) {
                    <a id="results-link" class="nav-link" href={routes::PATH}>
                        { i18n.t(Text::ResultsLink) }
                    </a>
                }
                <LangToggle />
                <button id="logout" type="button" onclick={props.on_logout.reform(|_: MouseEvent| ())}>
                    { i18n.t(Text::Logout) }
                </button>
            </header>
            if state.link == Link::Stopped(Stop::Replaced) {
                <ReplacedBanner text={Text::ProctorReplaced} on_take_over={take_over} />
            }
            if let Some(code) = state.fatal {
                <FatalBanner {code} />
            }
            if central {
                <CentralView summaries={state.summaries.clone()} {open} />
            }
            <div class="rooms">{ rooms }</div>
            if let Some(id) = *detail {
                <DetailPanel candidate_id={id} row={state.row(id).cloned()} on_close={close_detail} />
            }
            if let Some(d) = &*dialog {
                <DialogView dialog={d.clone()} on_close={close_dialog} />
            }
        </div>
        </ContextProvider<ProctorCtx>>
    }
}
