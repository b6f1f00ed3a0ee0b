//! A card-reader bridge for browser tests: the software bridge of
//! `examgate-cardsim` behind a small HTTP server, and a fake
//! `navigator.usb` (`fake_usb.js`) whose transfers reach it.
//!
//! The page is served by the relay on another port, so every answer
//! carries CORS headers and preflights are answered. The protocol between
//! the fake and the server:
//!
//! - `POST /usb/out`, body = the bytes of one `transferOut`: handed to the
//!   bridge; 204.
//! - `POST /usb/in[?after=N]`: long poll for the next bulk IN transfer
//!   after number `N` (default: the last one acknowledged). 200 with the
//!   bytes and `x-usb-transfer: <number>`, or 204 when nothing came within
//!   the long-poll time. Asking `after=N` acknowledges transfers up to N;
//!   unacknowledged ones are sent again, so a poll whose answer was lost
//!   (the page reloaded, the fake unplugged) loses no frame.
//!
//! The test side inserts and removes cards and counts APDUs directly.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use examgate_cardsim::bridge::SoftBridge;
use examgate_cardsim::card::Card;
use examgate_shared::chip::bridge::{BridgeInfo, usb_ids};
use serde::Deserialize;
use tokio::sync::watch;
use tower_http::cors::CorsLayer;

/// The fake `navigator.usb`; [`fake_usb_script`] prefixes its settings.
pub const FAKE_USB_JS: &str = include_str!("fake_usb.js");

/// How long `/usb/in` holds a request open when nothing is queued.
pub const LONG_POLL: Duration = Duration::from_secs(20);

/// The response header numbering IN transfers.
pub const TRANSFER_HEADER: &str = "x-usb-transfer";

/// The script to inject before the page loads
/// (`Page::evaluate_on_new_document`): a plugged-in bridge at `bridge_url`
/// that this origin has not been allowed yet (the page must call
/// `requestDevice` from a click).
pub fn fake_usb_script(bridge_url: &str) -> String {
    script(bridge_url, false)
}

/// Like [`fake_usb_script`], with the permission already granted:
/// `getDevices()` lists the bridge from the start.
pub fn fake_usb_script_paired(bridge_url: &str) -> String {
    script(bridge_url, true)
}

fn script(bridge_url: &str, paired: bool) -> String {
    let config = serde_json::json!({
        "bridgeUrl": bridge_url.trim_end_matches('/'),
        "paired": paired,
        "vendorId": usb_ids::VENDOR_ID,
        "productId": usb_ids::PRODUCT_ID,
        "interfaceClass": usb_ids::INTERFACE_CLASS,
        "interfaceSubclass": usb_ids::INTERFACE_SUBCLASS,
        "interfaceProtocol": usb_ids::INTERFACE_PROTOCOL,
        "productName": "examgate card bridge (test)",
        "serialNumber": "EXAMGATE-TEST-0001",
    });
    format!("globalThis.__EXAMGATE_FAKE_USB_CONFIG__ = {config};\n{FAKE_USB_JS}")
}

/// The bridge and its HTTP face, on `127.0.0.1:0`.
pub struct UsbBridgeServer {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
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

impl UsbBridgeServer {
    /// An empty bridge describing itself as current hardware does.
    pub async fn start() -> UsbBridgeServer {
        UsbBridgeServer::start_with(SoftBridge::typical_info(), LONG_POLL).await
    }

    /// A bridge reporting `info`, with `long_poll` as the `/usb/in` wait.
    pub async fn start_with(info: BridgeInfo, long_poll: Duration) -> UsbBridgeServer {
        let shared = Arc::new(Shared {
            state: Mutex::new(BridgeState {
                bridge: SoftBridge::new(info),
                inbound: InTransfers::default(),
            }),
            newest: watch::channel(0).0,
            long_poll,
        });
        let app = Router::new()
            .route("/usb/out", post(usb_out))
            .route("/usb/in", post(usb_in))
            // Any origin: the page is on the relay's port, not ours.
            .layer(CorsLayer::permissive())
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        UsbBridgeServer { addr, shared, task }
    }

    /// `http://127.0.0.1:<port>`, what the fake needs.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// [`fake_usb_script`] for this server.
    pub fn fake_usb_script(&self) -> String {
        fake_usb_script(&self.url())
    }

    /// [`fake_usb_script_paired`] for this server.
    pub fn fake_usb_script_paired(&self) -> String {
        fake_usb_script_paired(&self.url())
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

impl Drop for UsbBridgeServer {
    fn drop(&mut self) {
        self.task.abort();
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
