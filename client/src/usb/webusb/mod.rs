//! The bridge over real WebUSB (wasm32 with web-sys's unstable APIs).
//!
//! A [`Bridge`] is an open, claimed device plus the sans-IO
//! [`HostLink`] that numbers requests and reads replies. Open bridges are
//! kept per page until their device is unplugged, so finding the same
//! device again (a second `paired()`) returns the same bridge: two would
//! each start IN transfers and split the device's replies between them.

mod device;
mod transfers;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use examgate_shared::chip::bridge::{
    BridgeInfo, BridgeMessage, HostLink, HostMessage, LinkEvent, REPLY_TIMEOUT,
};
use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{UsbConnectionEvent, UsbDevice, UsbDeviceRequestOptions};

use super::turn::Turn;
use super::{BridgeError, reply};
use device::{filters, is_bridge, navigator_usb, request_error, usb_error};
use transfers::{Pipe, within};

/// The card-reader bridge. Clones share one device (and compare equal).
#[derive(Clone)]
pub struct Bridge {
    inner: Rc<Inner>,
}

impl PartialEq for Bridge {
    fn eq(&self, other: &Bridge) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

impl std::fmt::Debug for Bridge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bridge")
            .field("product", &self.product_name())
            .field("info", &self.inner.info.get())
            .finish()
    }
}

type Callback = Rc<RefCell<Option<Rc<dyn Fn()>>>>;

struct Inner {
    pipe: Pipe,
    link: RefCell<HostLink>,
    /// From the GetInfo at open, refreshed by [`Bridge::info`].
    info: Cell<Option<BridgeInfo>>,
    turn: Turn,
    /// Set by the `disconnect` listener: every later call fails fast.
    unplugged: Rc<Cell<bool>>,
    on_disconnect: Callback,
    _disconnect_listener: EventListener,
}

thread_local! {
    /// The bridge this page has open, until its device is unplugged.
    static OPEN: RefCell<Option<Rc<Inner>>> = const { RefCell::new(None) };
}

/// Keeps a [`Bridge::on_connect`] callback registered; drop it to stop.
pub struct ConnectWatch {
    _listener: Option<EventListener>,
}

impl Bridge {
    /// Whether this browser has WebUSB here (Chrome or Edge, secure context).
    pub fn supported() -> bool {
        navigator_usb().is_some()
    }

    /// Opens a bridge this browser was allowed to use before, without a
    /// prompt; `None` when there is none (or it is unplugged).
    pub async fn paired() -> Result<Option<Bridge>, BridgeError> {
        let usb = navigator_usb().ok_or(BridgeError::Unsupported)?;
        let devices = usb.get_devices().await.map_err(|e| usb_error(&e))?;
        match devices.iter().find(is_bridge) {
            Some(device) => Bridge::open(device).await.map(Some),
            None => Ok(None),
        }
    }

    /// Shows the browser's device chooser filtered to bridges and opens
    /// the one picked. Must run in a click handler (a user gesture).
    pub async fn request() -> Result<Bridge, BridgeError> {
        let usb = navigator_usb().ok_or(BridgeError::Unsupported)?;
        let options = UsbDeviceRequestOptions::new(&filters());
        let device = usb
            .request_device(&options)
            .await
            .map_err(|e| request_error(&e))?;
        Bridge::open(device).await
    }

    /// Calls `f` when a bridge is plugged in (one paired before, or any
    /// bridge once the user picks it); then [`Bridge::paired`] opens it.
    pub fn on_connect(f: impl Fn() + 'static) -> ConnectWatch {
        let listener = navigator_usb().map(|usb| {
            EventListener::new(&usb, "connect", move |event| {
                let event: &UsbConnectionEvent = event.unchecked_ref();
                if is_bridge(&event.device()) {
                    f();
                }
            })
        });
        ConnectWatch {
            _listener: listener,
        }
    }

    /// Asks the bridge to describe itself (also a cheap check that it
    /// still answers). Refuses another major protocol version.
    pub async fn info(&self) -> Result<BridgeInfo, BridgeError> {
        let info = reply::info(self.exchange(HostMessage::GetInfo).await?)?;
        self.inner.info.set(Some(info));
        Ok(info)
    }

    /// Powers the card and returns its ATR; [`BridgeError::NoCard`] when
    /// the slot is empty.
    pub async fn power_on(&self) -> Result<Vec<u8>, BridgeError> {
        reply::data(self.exchange(HostMessage::PowerOn).await?)
    }

    /// Powers the card off (after a read, or to reset it).
    pub async fn power_off(&self) -> Result<(), BridgeError> {
        reply::slot_status(self.exchange(HostMessage::PowerOff).await?).map(|_| ())
    }

    /// Sends one command APDU and returns the response APDU
    /// (data ‖ SW1 SW2).
    pub async fn transmit(&self, apdu: &[u8]) -> Result<Vec<u8>, BridgeError> {
        if let Some(info) = self.inner.info.get()
            && apdu.len() > info.max_apdu_len as usize
        {
            return Err(BridgeError::Protocol(format!(
                "an APDU of {} bytes is longer than the card reader's {}",
                apdu.len(),
                info.max_apdu_len
            )));
        }
        reply::data(self.exchange(HostMessage::Transmit(apdu.to_vec())).await?)
    }

    /// Returns once a card is in the slot: at once when one already is,
    /// else when the bridge reports one inserted. No timeout: drop the
    /// future to stop waiting. Other calls wait while it waits.
    pub async fn wait_for_card(&self) -> Result<(), BridgeError> {
        let _turn = self.inner.turn.take().await;
        let status = reply::slot_status(self.exchange_in_turn(HostMessage::GetSlotStatus).await?)?;
        if status.icc.is_present() {
            return Ok(());
        }
        loop {
            if self.inner.link.borrow().card_present() == Some(true) {
                return Ok(());
            }
            match self.next_event(None).await? {
                LinkEvent::CardInserted => return Ok(()),
                LinkEvent::Garbled(_) => self.resync().await,
                _ => {}
            }
        }
    }

    /// Whether a card is in the slot, as the bridge last said.
    pub fn card_present(&self) -> Option<bool> {
        self.inner.link.borrow().card_present()
    }

    /// The USB product string, for "connected to …".
    pub fn product_name(&self) -> Option<String> {
        self.inner.pipe.device.product_name()
    }

    /// Calls `f` when this bridge is unplugged. One callback per bridge:
    /// a later call replaces the earlier one (screens re-register freely).
    pub fn on_disconnect(&self, f: impl Fn() + 'static) {
        *self.inner.on_disconnect.borrow_mut() = Some(Rc::new(f));
    }

    /// Opens `device`, or returns the bridge already open on it; refuses
    /// a bridge of another major version.
    async fn open(device: UsbDevice) -> Result<Bridge, BridgeError> {
        let already_open = OPEN.with_borrow(|open| {
            open.as_ref()
                .filter(|inner| inner.pipe.device == device && !inner.unplugged.get())
                .cloned()
        });
        if let Some(inner) = already_open {
            return Ok(Bridge { inner });
        }
        let endpoints = device::open(&device).await?;
        let bridge = Bridge {
            inner: Rc::new(Inner::new(Pipe::new(device, endpoints))),
        };
        if let Err(refusal) = bridge.info().await {
            // Leave the device free for a page that can talk to it.
            let _ = bridge.inner.pipe.device.close().await;
            return Err(refusal);
        }
        OPEN.set(Some(bridge.inner.clone()));
        Ok(bridge)
    }

    async fn exchange(&self, message: HostMessage) -> Result<BridgeMessage, BridgeError> {
        let _turn = self.inner.turn.take().await;
        self.exchange_in_turn(message).await
    }

    /// One request and its reply; the caller holds the turn.
    async fn exchange_in_turn(&self, message: HostMessage) -> Result<BridgeMessage, BridgeError> {
        if self.inner.unplugged.get() {
            return Err(BridgeError::Disconnected);
        }
        // Only a read of the card is lost when the card leaves.
        let needs_card = matches!(message, HostMessage::PowerOn | HostMessage::Transmit(_));
        let request = self
            .inner
            .link
            .borrow_mut()
            .request(message)
            .map_err(|refusal| BridgeError::Protocol(refusal.to_string()))?;
        match within(REPLY_TIMEOUT, self.inner.pipe.write(&request)).await {
            Some(written) => written.map_err(|e| self.unless_unplugged(e))?,
            None => {
                self.inner.link.borrow_mut().abandon();
                return Err(BridgeError::Usb(
                    "the card reader did not take the request".into(),
                ));
            }
        }
        loop {
            match self.next_event(Some(REPLY_TIMEOUT)).await? {
                LinkEvent::Reply(reply) => return Ok(reply),
                LinkEvent::TimeExtension | LinkEvent::CardInserted => {}
                LinkEvent::CardRemoved { during_exchange } => {
                    if during_exchange && needs_card {
                        self.inner.link.borrow_mut().abandon();
                        return Err(BridgeError::CardRemoved);
                    }
                }
                LinkEvent::Garbled(refusal) => {
                    self.resync().await;
                    return Err(BridgeError::Protocol(refusal.to_string()));
                }
            }
        }
    }

    /// The next event, reading IN transfers as needed; `limit` bounds the
    /// wait for each transfer (a time extension is a transfer, so it
    /// restarts the wait).
    async fn next_event(&self, limit: Option<Duration>) -> Result<LinkEvent, BridgeError> {
        loop {
            if let Some(event) = self.inner.link.borrow_mut().poll() {
                return Ok(event);
            }
            let read = match limit {
                None => self.inner.pipe.read().await,
                Some(limit) => match within(limit, self.inner.pipe.read()).await {
                    Some(read) => read,
                    None => {
                        self.resync().await;
                        return Err(BridgeError::Usb(format!(
                            "the card reader did not answer within {} s",
                            limit.as_secs()
                        )));
                    }
                },
            };
            let bytes = read.map_err(|e| self.unless_unplugged(e))?;
            self.inner.link.borrow_mut().push(&bytes);
        }
    }

    /// After a timeout or unreadable bytes: forget partial frames and ask
    /// for the slot status, whose reply (and anything stale before it)
    /// the next exchange drops by its sequence number.
    async fn resync(&self) {
        let request = self.inner.link.borrow_mut().resync();
        let _ = within(REPLY_TIMEOUT, self.inner.pipe.write(&request)).await;
    }

    /// A transfer failing because the device is gone is a disconnection,
    /// whatever error WebUSB chose for it.
    fn unless_unplugged(&self, error: BridgeError) -> BridgeError {
        if self.inner.unplugged.get() || !self.inner.pipe.device.opened() {
            BridgeError::Disconnected
        } else {
            error
        }
    }
}

impl Inner {
    fn new(pipe: Pipe) -> Inner {
        let unplugged = Rc::new(Cell::new(false));
        let on_disconnect: Callback = Rc::new(RefCell::new(None));
        let disconnect_listener = {
            let device = pipe.device.clone();
            let unplugged = unplugged.clone();
            let on_disconnect = on_disconnect.clone();
            let usb = navigator_usb().expect("a device was opened through navigator.usb");
            EventListener::new(&usb, "disconnect", move |event| {
                let event: &UsbConnectionEvent = event.unchecked_ref();
                if event.device() != device {
                    return;
                }
                unplugged.set(true);
                // Forget the open bridge after this callback returns: it
                // owns this very listener.
                wasm_bindgen_futures::spawn_local(async {
                    OPEN.with_borrow_mut(|open| {
                        if open.as_ref().is_some_and(|inner| inner.unplugged.get()) {
                            *open = None;
                        }
                    });
                });
                // Cloned out first: the callback may register a new one.
                let callback = on_disconnect.borrow().clone();
                if let Some(f) = callback {
                    f();
                }
            })
        };
        // A random first number: replies to a previous page's requests may
        // still be queued in the bridge, and must not match ours.
        let first_seq = (js_sys::Math::random() * 255.0) as u8 + 1;
        Inner {
            pipe,
            link: RefCell::new(HostLink::with_first_seq(first_seq)),
            info: Cell::new(None),
            turn: Turn::default(),
            unplugged,
            on_disconnect,
            _disconnect_listener: disconnect_listener,
        }
    }
}
