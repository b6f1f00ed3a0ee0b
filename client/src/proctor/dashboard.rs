//! `#dashboard`: connection, relay clock, and one table per room; teachers
//! and the central proctor also get `#results-link` to the results page.

use yew::prelude::*;

use super::StaffPageProps;
use super::channel::ProctorChannel;
use super::room_table::RoomTable;
use super::state::{DashAction, DashState};
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

    use_live_socket(
        &socket,
        &props.session.token,
        state.dispatcher(),
        TICK_MS,
        DashAction::Tick,
    );
    use_signed_out(state.signed_out, &props.on_signed_out);

    let live = state.link.is_live();
    let conn_state = if live { "live" } else { "offline" };
    let take_over = {
        let socket = (*socket).clone();
        Callback::from(move |_: MouseEvent| socket.reconnect_now())
    };
    let rooms = if !state.loaded {
        html! { <p class="waiting">{ i18n.t(Text::WaitingRooms) }</p> }
    } else if state.rooms.is_empty() {
        html! { <p class="waiting">{ i18n.t(Text::NoRooms) }</p> }
    } else {
        state
            .rooms
            .iter()
            .map(|room| {
                html! {
                    <RoomTable key={room.room_id} room={room.clone()}
                        clock={state.clock} now={state.now} token={props.session.token.clone()} />
                }
            })
            .collect::<Html>()
    };

    html! {
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
            <div class="rooms">{ rooms }</div>
        </div>
    }
}
