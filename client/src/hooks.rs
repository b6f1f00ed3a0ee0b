//! Hooks shared by the two live pages (the proctor dashboard and the student
//! exam): each owns a [`Socket`] feeding its reducer, a clock tick, and a way
//! back to the sign-in screen when the relay refuses the token.

use examgate_shared::Millis;
use examgate_shared::error::ErrorCode;
use gloo::timers::callback::Interval;
use yew::prelude::*;

use crate::socket::{Channel, Socket, SocketEvent};
use crate::time;

/// Keeps `socket` connected with `token`, its events dispatched to the page's
/// reducer, and `tick(now)` dispatched every `tick_ms`, for as long as the
/// page is mounted; both stop when it goes away.
///
/// The token and the interval are read once, at mount: a new session always
/// comes with a newly mounted page.
#[hook]
pub fn use_live_socket<C, R>(
    socket: &Socket<C>,
    token: &str,
    dispatcher: UseReducerDispatcher<R>,
    tick_ms: u32,
    tick: fn(Millis) -> R::Action,
) where
    C: Channel,
    R: Reducible + 'static,
    R::Action: From<SocketEvent<C::In>>,
{
    use_effect_with((), {
        let socket = socket.clone();
        let token = token.to_owned();
        move |_| {
            socket.start(token, dispatcher.to_callback().reform(R::Action::from));
            let tick = Interval::new(tick_ms, move || dispatcher.dispatch(tick(time::now())));
            move || {
                socket.stop();
                drop(tick);
            }
        }
    });
}

/// Tells the app once the page's state says the relay refused the token, so
/// it can go back to the sign-in screen.
#[hook]
pub fn use_signed_out(signed_out: Option<ErrorCode>, on_signed_out: &Callback<ErrorCode>) {
    use_effect_with(signed_out, {
        let on_signed_out = on_signed_out.clone();
        move |code| {
            if let Some(code) = *code {
                on_signed_out.emit(code);
            }
        }
    });
}
