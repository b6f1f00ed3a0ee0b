//! `#dashboard`: connection, relay clock, and one table per room.

use std::rc::Rc;

use examgate_shared::error::ErrorCode;
use gloo::timers::callback::Interval;
use yew::prelude::*;

use super::ProctorSession;
use super::channel::ProctorChannel;
use super::room_table::RoomTable;
use super::state::{DashAction, DashState};
use crate::i18n::{LangToggle, Problem, Text, use_i18n};
use crate::socket::{Link, Socket, Stop};
use crate::time;

/// Times on the dashboard move in whole seconds.
const TICK_MS: u32 = 1_000;

#[derive(Properties, PartialEq)]
pub struct DashboardProps {
    pub session: Rc<ProctorSession>,
    pub on_signed_out: Callback<ErrorCode>,
    pub on_logout: Callback<()>,
}

#[component]
pub fn Dashboard(props: &DashboardProps) -> Html {
    let i18n = use_i18n();
    let socket = use_memo((), |_| Socket::<ProctorChannel>::new());
    let state = use_reducer(|| DashState::new(time::now()));

    use_effect_with((), {
        let socket = (*socket).clone();
        let dispatcher = state.dispatcher();
        let token = props.session.token.clone();
        move |_| {
            socket.start(token, dispatcher.to_callback().reform(DashAction::from));
            let tick = Interval::new(TICK_MS, move || {
                dispatcher.dispatch(DashAction::Tick(time::now()));
            });
            move || {
                socket.stop();
                drop(tick);
            }
        }
    });
    use_effect_with(state.signed_out, {
        let on_signed_out = props.on_signed_out.clone();
        move |code| {
            if let Some(code) = *code {
                on_signed_out.emit(code);
            }
        }
    });

    let live = state.link.is_live();
    let conn_state = if live { "live" } else { "offline" };
    let take_over = {
        let socket = (*socket).clone();
        Callback::from(move |_: MouseEvent| socket.reconnect_now())
    };
    let reload = Callback::from(|_: MouseEvent| {
        let _ = gloo::utils::window().location().reload();
    });
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
                        clock={state.clock} now={state.now} />
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
                <LangToggle />
                <button id="logout" type="button" onclick={props.on_logout.reform(|_: MouseEvent| ())}>
                    { i18n.t(Text::Logout) }
                </button>
            </header>
            if state.link == Link::Stopped(Stop::Replaced) {
                <div id="replaced" class="banner warn" role="alert">
                    <p>{ i18n.t(Text::ProctorReplaced) }</p>
                    <button id="take-over" type="button" class="primary" onclick={take_over}>
                        { i18n.t(Text::TakeOver) }
                    </button>
                </div>
            }
            if let Some(code) = state.fatal {
                <div id="fatal" class="banner error" role="alert" data-code={Problem::Code(code).data_code()}>
                    <p>{ i18n.t(Text::Problem(Problem::Code(code))) }</p>
                    <button id="reload" type="button" onclick={reload}>{ i18n.t(Text::ReloadPage) }</button>
                </div>
            }
            <div class="rooms">{ rooms }</div>
        </div>
    }
}
