//! The software bridge over HTTP, for browsers that reach it through a fake
//! `navigator.usb` (`web/fake_usb.js`): browser tests, and the demo's
//! card reader (`examgate-relay --demo-reader`). Never part of a real
//! deployment: a real bridge is a USB device.
//!
//! The protocol between the fake and the server:
//!
//! - `POST {base}/usb/out`, body = the bytes of one `transferOut`: handed
//!   to the bridge; 204.
//! - `POST {base}/usb/in[?after=N]`: long poll for the next bulk IN
//!   transfer after number `N` (default: the last one acknowledged). 200
//!   with the bytes and `x-usb-transfer: <number>`, or 204 when nothing came
//!   within the long-poll time. Asking `after=N` acknowledges transfers up
//!   to N; unacknowledged ones are sent again, so a poll whose answer was
//!   lost (the page reloaded, the fake unplugged) loses no frame.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use examgate_shared::chip::bridge::{BridgeInfo, usb_ids};
use serde::Deserialize;
use tokio::sync::watch;

use crate::bridge::SoftBridge;
use crate::card::Card;

/// The fake `navigator.usb`; [`fake_usb_script`] prefixes its settings.
pub const FAKE_USB_JS: &str = include_str!("../web/fake_usb.js");

/// How long `/usb/in` holds a request open when nothing is queued.
pub const LONG_POLL: Duration = Duration::from_secs(20);

/// The response header numbering IN transfers.
pub const TRANSFER_HEADER: &str = "x-usb-transfer";

/// The script to run before the page's own (a CDP init script, or a
/// `<script>` ahead of the app): a plugged-in bridge at `bridge_url`;
/// `paired`: whether this origin was allowed it already (else the page
/// must call `requestDevice` from a click).
pub fn fake_usb_script(bridge_url: &str, paired: bool, product_name: &str) -> String {
    let config = serde_json::json!({
        "bridgeUrl": bridge_url.trim_end_matches('/'),
        "paired": paired,
        "vendorId": usb_ids::VENDOR_ID,
        "productId": usb_ids::PRODUCT_ID,
        "interfaceClass": usb_ids::INTERFACE_CLASS,
        "interfaceSubclass": usb_ids::INTERFACE_SUBCLASS,
        "interfaceProtocol": usb_ids::INTERFACE_PROTOCOL,
        "productName": product_name,
        "serialNumber": "EXAMGATE-SOFT-0001",
    });
    format!("globalThis.__EXAMGATE_FAKE_USB_CONFIG__ = {config};\n{FAKE_USB_JS}")
}

/// A software bridge with its HTTP face; clones share the bridge.
#[derive(Clone)]
pub struct HttpBridge {
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<BridgeState>,
    /// The number of the newest IN transfer; long polls wait on it.
    newest: watch::Sender<u64>,
    long_poll: Duration,
}

struct BridgeState {
    bridge: SoftBridge,
    inbound: InTransfers,
}

/// Bulk IN transfers not yet acknowledged, numbered from 1.
#[derive(Default)]
struct InTransfers {
    queued: VecDeque<(u64, Vec<u8>)>,
    newest: u64,
    acknowledged: u64,
}

impl InTransfers {
    fn append(&mut self, transfers: Vec<Vec<u8>>) -> u64 {
        for transfer in transfers {
            self.newest += 1;
            self.queued.push_back((self.newest, transfer));
        }
        self.newest
    }

    /// The first transfer after `after` (or after the last acknowledged
    /// one), acknowledging everything up to `after`.
    fn next(&mut self, after: Option<u64>) -> Option<(u64, Vec<u8>)> {
        if let Some(after) = after {
            self.acknowledged = self.acknowledged.max(after);
        }
        while self
            .queued
            .front()
            .is_some_and(|(number, _)| *number <= self.acknowledged)
        {
            self.queued.pop_front();
        }
        let after = after.unwrap_or(self.acknowledged);
        self.queued
            .iter()
            .find(|(number, _)| *number > after)
            .cloned()
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, BridgeState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` on the bridge and queues whatever it now has for the host.
    fn with_bridge<R>(&self, f: impl FnOnce(&mut SoftBridge) -> (R, Vec<Vec<u8>>)) -> R {
        let (result, newest) = {
            let mut state = self.lock();
            let (result, transfers) = f(&mut state.bridge);
            let newest = state.inbound.append(transfers);
            (result, newest)
        };
        self.newest.send_replace(newest);
        result
    }
}

impl HttpBridge {
    /// A bridge reporting `info`, with `long_poll` as the `/usb/in` wait.
    pub fn new(info: BridgeInfo, long_poll: Duration) -> HttpBridge {
        HttpBridge {
            shared: Arc::new(Shared {
                state: Mutex::new(BridgeState {
                    bridge: SoftBridge::new(info),
                    inbound: InTransfers::default(),
                }),
                newest: watch::channel(0).0,
                long_poll,
            }),
        }
    }

    /// `/usb/out` and `/usb/in`, to nest wherever the fake's `bridgeUrl`
    /// points.
    pub fn router<S>(&self) -> Router<S> {
        Router::new()
            .route("/usb/out", post(usb_out))
            .route("/usb/in", post(usb_in))
            .with_state(self.shared.clone())
    }

    /// Puts a card in the reader; the page hears of it on bulk IN.
    pub fn insert(&self, card: Box<dyn Card>) {
        self.shared.with_bridge(|bridge| {
            bridge.insert(card);
            ((), bridge.take_event_transfers())
        });
    }

    /// Takes the card out; the page hears of it on bulk IN.
    pub fn remove(&self) -> Option<Box<dyn Card>> {
        self.shared.with_bridge(|bridge| {
            let card = bridge.remove();
            (card, bridge.take_event_transfers())
        })
    }

    /// Pulls the card out during the exchange after the next `apdus`
    /// (see [`SoftBridge::remove_after`]).
    pub fn remove_after(&self, apdus: u64) {
        self.shared.lock().bridge.remove_after(apdus);
    }

    /// Command APDUs the card has answered.
    pub fn apdu_count(&self) -> u64 {
        self.shared.lock().bridge.apdu_count()
    }

    /// Emulated card-link time of the exchanges so far.
    pub fn emulated_time(&self) -> Duration {
        self.shared.lock().bridge.emulated_time()
    }

    /// Any other look at or change to the bridge; frames it queues for
    /// the host are delivered.
    pub fn with_bridge<R>(&self, f: impl FnOnce(&mut SoftBridge) -> R) -> R {
        self.shared.with_bridge(|bridge| {
            let result = f(bridge);
            (result, bridge.take_event_transfers())
        })
    }
}

async fn usb_out(State(shared): State<Arc<Shared>>, body: Bytes) -> StatusCode {
    shared.with_bridge(|bridge| ((), bridge.handle_transfers(&body)));
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct InQuery {
    after: Option<u64>,
}

async fn usb_in(State(shared): State<Arc<Shared>>, Query(query): Query<InQuery>) -> Response {
    let deadline = tokio::time::Instant::now() + shared.long_poll;
    // Subscribed before looking, so a transfer queued in between still
    // wakes this poll.
    let mut newest = shared.newest.subscribe();
    loop {
        if let Some((number, bytes)) = shared.lock().inbound.next(query.after) {
            return (
                [
                    (header::CONTENT_TYPE, "application/octet-stream".to_string()),
                    (
                        header::HeaderName::from_static(TRANSFER_HEADER),
                        number.to_string(),
                    ),
                ],
                bytes,
            )
                .into_response();
        }
        match tokio::time::timeout_at(deadline, newest.changed()).await {
            Ok(Ok(())) => continue,
            _ => return StatusCode::NO_CONTENT.into_response(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::InTransfers;

    #[test]
    fn unacknowledged_transfers_are_sent_again() {
        let mut transfers = InTransfers::default();
        transfers.append(vec![vec![1], vec![2]]);
        assert_eq!(transfers.next(None), Some((1, vec![1])));
        // The answer was lost: the same question gets the same answer.
        assert_eq!(transfers.next(None), Some((1, vec![1])));
        assert_eq!(transfers.next(Some(1)), Some((2, vec![2])));
        assert_eq!(transfers.next(None), Some((2, vec![2])));
        assert_eq!(transfers.next(Some(2)), None);
        assert!(transfers.queued.is_empty());
    }
}
