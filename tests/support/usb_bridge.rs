//! A card-reader bridge for browser tests: the software bridge of
//! `examgate-cardsim` (`examgate_cardsim::http`) on its own port, and the
//! fake `navigator.usb` whose transfers reach it. The page is served by the
//! relay on another port, so every answer carries CORS headers.

use std::net::SocketAddr;
use std::time::Duration;

use examgate_cardsim::bridge::SoftBridge;
use examgate_cardsim::http::HttpBridge;
pub use examgate_cardsim::http::{FAKE_USB_JS, LONG_POLL, TRANSFER_HEADER};
use examgate_shared::chip::bridge::BridgeInfo;
use tower_http::cors::CorsLayer;

const PRODUCT: &str = "examgate card bridge (test)";

/// The script to inject before the page loads: a plugged-in bridge at
/// `bridge_url` that this origin has not been allowed yet (the page must
/// call `requestDevice` from a click).
pub fn fake_usb_script(bridge_url: &str) -> String {
    examgate_cardsim::http::fake_usb_script(bridge_url, false, PRODUCT)
}

/// Like [`fake_usb_script`], with the permission already granted.
pub fn fake_usb_script_paired(bridge_url: &str) -> String {
    examgate_cardsim::http::fake_usb_script(bridge_url, true, PRODUCT)
}

/// The bridge and its HTTP face, on `127.0.0.1:0`. Derefs to the bridge
/// (insert, remove, counters).
pub struct UsbBridgeServer {
    pub addr: SocketAddr,
    bridge: HttpBridge,
    task: tokio::task::JoinHandle<()>,
}

impl std::ops::Deref for UsbBridgeServer {
    type Target = HttpBridge;
    fn deref(&self) -> &HttpBridge {
        &self.bridge
    }
}

impl UsbBridgeServer {
    /// An empty bridge describing itself as current hardware does.
    pub async fn start() -> UsbBridgeServer {
        UsbBridgeServer::start_with(SoftBridge::typical_info(), LONG_POLL).await
    }

    /// A bridge reporting `info`, with `long_poll` as the `/usb/in` wait.
    pub async fn start_with(info: BridgeInfo, long_poll: Duration) -> UsbBridgeServer {
        let bridge = HttpBridge::new(info, long_poll);
        // Any origin: the page is on the relay's port, not ours.
        let app = bridge.router().layer(CorsLayer::permissive());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        UsbBridgeServer { addr, bridge, task }
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
}

impl Drop for UsbBridgeServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
