//! A reconnecting WebSocket to the relay, generic over the endpoint.
//!
//! One [`Socket`] per page. It opens `ws(s)://<host><PATH>`, sends the
//! endpoint's hello as soon as the socket opens, and reports two kinds of
//! [`SocketEvent`]: decoded messages (stamped with the local time they
//! arrived, for clock sync) and changes of [`Link`] state. Around that it
//! keeps the connection honest:
//!
//! - a ping every [`PING_EVERY_MS`] while live;
//! - silence detection: a socket that stays quiet for [`SILENCE_LIMIT_MS`]
//!   (no greeting after connecting, or a ping left unanswered) is closed and
//!   replaced — a dead Wi-Fi link often never reports a close;
//! - reconnection with the shared [`Backoff`] (jittered, so a room of
//!   students does not reconnect in the same instant), retried at once when
//!   the browser says it is back online;
//! - the relay's close codes: [`close_code::REPLACED`],
//!   [`close_code::ATTEMPT_FINAL`] and [`close_code::POLICY`] stop it for
//!   good ([`Link::Stopped`]) and the app decides what to show; anything else
//!   is a drop and it reconnects.
//!
//! Re-entrancy rule: the public methods never call back into the app
//! synchronously (connecting is deferred to a microtask), so a reducer may
//! call [`Socket::send`] or [`Socket::reconnect_now`] while it is running.
//! Events are only emitted from browser callbacks, with no borrow held, so
//! the app may call back into the socket while handling one.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use examgate_shared::Millis;
use examgate_shared::backoff::Backoff;
use examgate_shared::error::ErrorCode;
use examgate_shared::protocol::{close_code, encode};
use gloo::events::EventListener;
use gloo::timers::callback::{Interval, Timeout};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{CloseEvent, MessageEvent, WebSocket};
use yew::Callback;

use crate::time;

/// How often a live socket pings (which also refreshes the clock sync).
pub const PING_EVERY_MS: Millis = 10_000;
/// How long a socket may stay silent before it is presumed dead.
pub const SILENCE_LIMIT_MS: Millis = 25_000;
/// How often the ping and silence rules are checked.
const CHECK_EVERY_MS: u32 = 1_000;

/// One WebSocket endpoint: its path, messages, and how to greet it.
pub trait Channel: 'static {
    type Out: Serialize;
    type In: DeserializeOwned + 'static;
    const PATH: &'static str;

    fn hello(token: &str, sent_at: Millis) -> Self::Out;
    fn ping(sent_at: Millis) -> Self::Out;
    /// Whether `msg` is the relay's answer to the hello, after which the
    /// connection counts as established.
    fn is_greeting(msg: &Self::In) -> bool;
}

/// The state of the connection as the app sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// Opening, or open and waiting for the greeting.
    Connecting,
    /// Greeted: sends go through.
    Live,
    /// Dropped; the next try is due at this local time.
    Retrying { at: Millis },
    /// The relay ended it on purpose; no automatic reconnect.
    Stopped(Stop),
}

impl Link {
    pub fn is_live(self) -> bool {
        self == Link::Live
    }
}

/// Why the relay ended the connection for good.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Another tab or computer took over this session.
    Replaced,
    /// The attempt is final; the result was already sent.
    Final,
    /// Refused on policy; the error code from the close reason, if any.
    Policy(Option<ErrorCode>),
}

/// What a [`Stop::Policy`] means for the page; both apps follow the same
/// rule, so it lives here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The token is no good: back to the sign-in screen.
    SignedOut(ErrorCode),
    /// Refused for good for another reason: only a reload helps.
    Fatal(ErrorCode),
}

impl Refusal {
    /// From the best explanation at hand: the last error message before
    /// the close, else the close reason. None at all is the relay's fault.
    pub fn new(code: Option<ErrorCode>) -> Refusal {
        match code {
            Some(code @ (ErrorCode::Unauthorized | ErrorCode::Forbidden)) => {
                Refusal::SignedOut(code)
            }
            code => Refusal::Fatal(code.unwrap_or(ErrorCode::Internal)),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum SocketEvent<In> {
    Message { msg: In, at: Millis },
    Link(Link),
}

/// A handle to the connection; clones share it.
pub struct Socket<C: Channel> {
    inner: Rc<RefCell<Inner<C>>>,
}

impl<C: Channel> Clone for Socket<C> {
    fn clone(&self) -> Self {
        Socket {
            inner: Rc::clone(&self.inner),
        }
    }
}

impl<C: Channel> PartialEq for Socket<C> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

impl<C: Channel> Default for Socket<C> {
    fn default() -> Self {
        Self::new()
    }
}

impl<C: Channel> Socket<C> {
    /// An idle socket; nothing happens until [`Socket::start`].
    pub fn new() -> Self {
        Socket {
            inner: Rc::new(RefCell::new(Inner {
                token: String::new(),
                on_event: Callback::noop(),
                link: Link::Connecting,
                backoff: Backoff::default(),
                conn: None,
                next_conn_id: 0,
                retry: None,
                online: None,
                stopped: true,
            })),
        }
    }

    /// Connects with `token`, reporting to `on_event` from now on.
    pub fn start(&self, token: String, on_event: Callback<SocketEvent<C::In>>) {
        let weak = Rc::downgrade(&self.inner);
        let online = EventListener::new(&gloo::utils::window(), "online", {
            let weak = weak.clone();
            move |_| on_online(&weak)
        });
        {
            let mut inner = self.inner.borrow_mut();
            inner.token = token;
            inner.on_event = on_event;
            inner.online = Some(online);
            inner.stopped = false;
        }
        connect_soon(weak);
    }

    /// Sends `msg` if the link is live. `false` means it was not sent; the
    /// caller keeps it and sends it again after the next greeting.
    pub fn send(&self, msg: &C::Out) -> bool {
        let Ok(inner) = self.inner.try_borrow() else {
            gloo::console::warn!("examgate: socket busy, message left for resend");
            return false;
        };
        inner.link.is_live()
            && inner
                .conn
                .as_ref()
                .is_some_and(|c| c.ws.send_with_str(&encode(msg)).is_ok())
    }

    /// Connects again at once, e.g. to take a session back after
    /// [`Stop::Replaced`].
    pub fn reconnect_now(&self) {
        {
            let mut inner = self.inner.borrow_mut();
            inner.backoff.reset();
            inner.stopped = false;
        }
        connect_soon(Rc::downgrade(&self.inner));
    }

    /// Closes everything; no more events. Used when the page goes away.
    pub fn stop(&self) {
        let (conn, retry, online) = {
            let mut inner = self.inner.borrow_mut();
            inner.stopped = true;
            inner.on_event = Callback::noop();
            (inner.conn.take(), inner.retry.take(), inner.online.take())
        };
        if let Some(conn) = conn {
            conn.shut();
        }
        drop_later((retry, online));
    }
}

struct Inner<C: Channel> {
    token: String,
    on_event: Callback<SocketEvent<C::In>>,
    link: Link,
    backoff: Backoff,
    conn: Option<Conn>,
    next_conn_id: u64,
    retry: Option<Timeout>,
    online: Option<EventListener>,
    /// Stopped by the app (or never started): do not connect.
    stopped: bool,
}

impl<C: Channel> Inner<C> {
    fn current(&mut self, id: u64) -> Option<&mut Conn> {
        self.conn.as_mut().filter(|c| c.id == id)
    }
}

impl<C: Channel> Drop for Inner<C> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            conn.shut();
        }
    }
}

/// One WebSocket and everything that lives exactly as long as it.
struct Conn {
    /// Events from a replaced socket are recognised by a stale id and
    /// ignored.
    id: u64,
    ws: WebSocket,
    started: Millis,
    last_ping: Millis,
    /// When the oldest ping still without any reply was sent.
    unanswered_since: Option<Millis>,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
    _check: Interval,
}

impl Conn {
    fn open<C: Channel>(id: u64, ws: WebSocket, weak: &Weak<RefCell<Inner<C>>>) -> Conn {
        let on_open = Closure::<dyn FnMut()>::new({
            let weak = weak.clone();
            move || on_open(&weak, id)
        });
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new({
            let weak = weak.clone();
            move |event| on_message(&weak, id, &event)
        });
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new({
            let weak = weak.clone();
            move |event: CloseEvent| on_close(&weak, id, event.code(), &event.reason())
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        // No onerror: browsers always follow an error with a close event.
        let check = Interval::new(CHECK_EVERY_MS, {
            let weak = weak.clone();
            move || on_check(&weak, id)
        });
        let now = time::now();
        Conn {
            id,
            ws,
            started: now,
            last_ping: now,
            unanswered_since: None,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
            _check: check,
        }
    }

    /// Detaches and closes the socket. The closures may be the ones running
    /// right now, so they are freed after the current event finishes.
    fn shut(self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        if matches!(
            self.ws.ready_state(),
            WebSocket::CONNECTING | WebSocket::OPEN
        ) {
            let _ = self.ws.close_with_code(1000);
        }
        drop_later(self);
    }
}

fn drop_later<T: 'static>(value: T) {
    wasm_bindgen_futures::spawn_local(async move { drop(value) });
}

fn connect_soon<C: Channel>(weak: Weak<RefCell<Inner<C>>>) {
    wasm_bindgen_futures::spawn_local(async move {
        if let Some(rc) = weak.upgrade() {
            connect(&rc);
        }
    });
}

/// Replaces any current socket with a new one. Only called from browser
/// callbacks or microtasks, never from inside app code.
fn connect<C: Channel>(rc: &Rc<RefCell<Inner<C>>>) {
    let id = {
        let mut inner = rc.borrow_mut();
        if inner.stopped {
            return;
        }
        inner.next_conn_id += 1;
        inner.next_conn_id
    };
    let old = rc.borrow_mut().conn.take();
    if let Some(old) = old {
        old.shut();
    }
    let ws = match WebSocket::new(&ws_url(C::PATH)) {
        Ok(ws) => ws,
        Err(e) => {
            gloo::console::error!("examgate: cannot open WebSocket", e);
            schedule_retry(rc);
            return;
        }
    };
    let conn = Conn::open(id, ws, &Rc::downgrade(rc));
    let (retry, on_event) = {
        let mut inner = rc.borrow_mut();
        inner.conn = Some(conn);
        inner.link = Link::Connecting;
        (inner.retry.take(), inner.on_event.clone())
    };
    drop_later(retry);
    on_event.emit(SocketEvent::Link(Link::Connecting));
}

fn schedule_retry<C: Channel>(rc: &Rc<RefCell<Inner<C>>>) {
    let (link, on_event, old) = {
        let mut inner = rc.borrow_mut();
        if inner.stopped {
            return;
        }
        let delay = inner.backoff.next_delay_ms(js_sys::Math::random());
        let weak = Rc::downgrade(rc);
        let timer = Timeout::new(delay, move || {
            if let Some(rc) = weak.upgrade() {
                connect(&rc);
            }
        });
        inner.link = Link::Retrying {
            at: time::now() + Millis::from(delay),
        };
        (
            inner.link,
            inner.on_event.clone(),
            inner.retry.replace(timer),
        )
    };
    drop_later(old);
    on_event.emit(SocketEvent::Link(link));
}

fn on_open<C: Channel>(weak: &Weak<RefCell<Inner<C>>>, id: u64) {
    let Some(rc) = weak.upgrade() else { return };
    let mut inner = rc.borrow_mut();
    let hello = encode(&C::hello(&inner.token, time::now()));
    if let Some(conn) = inner.current(id) {
        let _ = conn.ws.send_with_str(&hello);
    }
}

fn on_message<C: Channel>(weak: &Weak<RefCell<Inner<C>>>, id: u64, event: &MessageEvent) {
    let at = time::now();
    let Some(text) = event.data().as_string() else {
        return; // the relay only sends text frames
    };
    let Some(rc) = weak.upgrade() else { return };
    {
        let mut inner = rc.borrow_mut();
        let Some(conn) = inner.current(id) else {
            return;
        };
        // Any message at all shows the link is alive.
        conn.unanswered_since = None;
    }
    let msg: C::In = match serde_json::from_str(&text) {
        Ok(msg) => msg,
        Err(e) => {
            gloo::console::warn!(format!("examgate: ignoring unreadable message: {e}"));
            return;
        }
    };
    let (greeted, on_event) = {
        let mut inner = rc.borrow_mut();
        let greeted = !inner.link.is_live() && C::is_greeting(&msg);
        if greeted {
            inner.link = Link::Live;
            inner.backoff.reset();
            if let Some(conn) = inner.current(id) {
                conn.last_ping = at;
            }
        }
        (greeted, inner.on_event.clone())
    };
    // The greeting first, so the app can resend its backlog while handling
    // it (sends already go through), then the state change.
    on_event.emit(SocketEvent::Message { msg, at });
    if greeted {
        on_event.emit(SocketEvent::Link(Link::Live));
    }
}

fn on_close<C: Channel>(weak: &Weak<RefCell<Inner<C>>>, id: u64, code: u16, reason: &str) {
    let Some(rc) = weak.upgrade() else { return };
    let conn = {
        let mut inner = rc.borrow_mut();
        if inner.current(id).is_none() {
            return;
        }
        inner.conn.take()
    };
    if let Some(conn) = conn {
        conn.shut();
    }
    match stop_for(code, reason) {
        Some(stop) => {
            let on_event = {
                let mut inner = rc.borrow_mut();
                inner.link = Link::Stopped(stop);
                inner.on_event.clone()
            };
            on_event.emit(SocketEvent::Link(Link::Stopped(stop)));
        }
        None => schedule_retry(&rc),
    }
}

/// Pings and silence detection, once a second per socket.
///
/// Silence is judged by an unanswered ping rather than by the time since the
/// last message alone: a hidden tab's timers may be slowed to once a minute,
/// and a link that answered every ping is alive however long the gap.
/// With pings every 10 s, "a ping unanswered for 15 s" is the same as "no
/// message for 25 s" in the normal case.
fn on_check<C: Channel>(weak: &Weak<RefCell<Inner<C>>>, id: u64) {
    let now = time::now();
    let Some(rc) = weak.upgrade() else { return };
    let dead = {
        let mut inner = rc.borrow_mut();
        let live = inner.link.is_live();
        let Some(conn) = inner.current(id) else {
            return;
        };
        if live {
            if now - conn.last_ping >= PING_EVERY_MS {
                let _ = conn.ws.send_with_str(&encode(&C::ping(now)));
                conn.last_ping = now;
                conn.unanswered_since.get_or_insert(now);
            }
            conn.unanswered_since
                .is_some_and(|sent| now - sent >= SILENCE_LIMIT_MS - PING_EVERY_MS)
        } else {
            now - conn.started >= SILENCE_LIMIT_MS
        }
    };
    if dead {
        gloo::console::warn!("examgate: connection silent too long, reconnecting");
        let conn = rc.borrow_mut().conn.take();
        if let Some(conn) = conn {
            conn.shut();
        }
        schedule_retry(&rc);
    }
}

fn on_online<C: Channel>(weak: &Weak<RefCell<Inner<C>>>) {
    let Some(rc) = weak.upgrade() else { return };
    let waiting = matches!(rc.borrow().link, Link::Retrying { .. });
    if waiting {
        rc.borrow_mut().backoff.reset();
        connect(&rc);
    }
}

/// What a close code means for reconnecting: `None` is an ordinary drop.
fn stop_for(code: u16, reason: &str) -> Option<Stop> {
    match code {
        close_code::REPLACED => Some(Stop::Replaced),
        close_code::ATTEMPT_FINAL => Some(Stop::Final),
        // The close reason starts with the error code: "unauthorized: …".
        close_code::POLICY => {
            let code = reason.split(':').next().unwrap_or_default().trim();
            Some(Stop::Policy(ErrorCode::parse(code)))
        }
        _ => None,
    }
}

/// `ws://` or `wss://` to the page's own host.
fn ws_url(path: &str) -> String {
    let location = gloo::utils::window().location();
    let secure = location.protocol().is_ok_and(|p| p == "https:");
    let host = location.host().unwrap_or_default();
    format!("{}://{host}{path}", if secure { "wss" } else { "ws" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_codes() {
        assert_eq!(stop_for(4001, ""), Some(Stop::Replaced));
        assert_eq!(stop_for(4002, "final"), Some(Stop::Final));
        assert_eq!(
            stop_for(1008, "unauthorized"),
            Some(Stop::Policy(Some(ErrorCode::Unauthorized)))
        );
        assert_eq!(
            stop_for(1008, "exam_closed: the window closed at 10:00"),
            Some(Stop::Policy(Some(ErrorCode::ExamClosed)))
        );
        assert_eq!(stop_for(1008, "who knows"), Some(Stop::Policy(None)));
        assert_eq!(stop_for(1006, ""), None);
        assert_eq!(stop_for(1000, ""), None);
        assert_eq!(stop_for(1007, "malformed"), None);
    }

    #[test]
    fn refusals() {
        use ErrorCode::*;
        assert_eq!(
            Refusal::new(Some(Unauthorized)),
            Refusal::SignedOut(Unauthorized)
        );
        assert_eq!(Refusal::new(Some(Forbidden)), Refusal::SignedOut(Forbidden));
        assert_eq!(Refusal::new(Some(ExamClosed)), Refusal::Fatal(ExamClosed));
        assert_eq!(Refusal::new(None), Refusal::Fatal(Internal));
    }
}
