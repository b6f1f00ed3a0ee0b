//! The HTTP stand-in for WebUSB (`support/usb_bridge.rs`), driven the way
//! `fake_usb.js` drives it: frames out with `/usb/out`, IN transfers by
//! long poll on `/usb/in`, CORS for a page on another port.

use std::time::Duration;

use examgate_cardsim::bridge::SoftBridge;
use examgate_cardsim::card::Card;
use examgate_shared::chip::bridge::{
    BridgeMessage, ErrorCode, HostLink, HostMessage, IccState, LinkEvent, SlotStatus,
};
use examgate_tests::usb_bridge::{TRANSFER_HEADER, UsbBridgeServer, fake_usb_script};

const ATR: [u8; 4] = [0x3B, 0x80, 0x80, 0x01];

/// Answers every APDU with its own bytes and 90 00.
struct EchoCard;

impl Card for EchoCard {
    fn atr(&self) -> Vec<u8> {
        ATR.to_vec()
    }

    fn transmit(&mut self, apdu: &[u8]) -> Vec<u8> {
        let mut response = apdu.to_vec();
        response.extend_from_slice(&[0x90, 0x00]);
        response
    }
}

/// The page's side: a host link over the two endpoints.
struct Page {
    http: reqwest::Client,
    url: String,
    link: HostLink,
    last_in: Option<u64>,
}

impl Page {
    fn new(server: &UsbBridgeServer) -> Page {
        Page {
            http: reqwest::Client::new(),
            url: server.url(),
            link: HostLink::new(),
            last_in: None,
        }
    }

    /// One `transferIn`: the next IN transfer, or `None` when the long
    /// poll ended empty.
    async fn transfer_in(&mut self) -> Option<Vec<u8>> {
        let after = self
            .last_in
            .map(|n| format!("?after={n}"))
            .unwrap_or_default();
        let response = self
            .http
            .post(format!("{}/usb/in{after}", self.url))
            .send()
            .await
            .unwrap();
        if response.status() == 204 {
            return None;
        }
        assert_eq!(response.status(), 200);
        let number: u64 = response.headers()[TRANSFER_HEADER]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        self.last_in = Some(number);
        Some(response.bytes().await.unwrap().to_vec())
    }

    async fn transfer_out(&self, bytes: Vec<u8>) {
        let response = self
            .http
            .post(format!("{}/usb/out", self.url))
            .header("content-type", "application/octet-stream")
            .body(bytes)
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "{}", response.status());
    }

    /// The next link event, reading IN transfers as needed.
    async fn event(&mut self) -> LinkEvent {
        for _ in 0..10 {
            if let Some(event) = self.link.poll() {
                return event;
            }
            if let Some(bytes) = self.transfer_in().await {
                self.link.push(&bytes);
            }
        }
        panic!("no event from the bridge");
    }

    async fn exchange(&mut self, message: HostMessage) -> BridgeMessage {
        let request = self.link.request(message).unwrap();
        self.transfer_out(request).await;
        loop {
            match self.event().await {
                LinkEvent::Reply(reply) => return reply,
                LinkEvent::TimeExtension => {}
                other => panic!("unexpected {other:?}"),
            }
        }
    }
}

fn data(status: SlotStatus, data: &[u8]) -> BridgeMessage {
    BridgeMessage::DataBlock {
        status,
        data: data.to_vec(),
    }
}

#[tokio::test]
async fn a_card_is_read_and_removed_over_http_as_the_fake_webusb_does() {
    let server =
        UsbBridgeServer::start_with(SoftBridge::typical_info(), Duration::from_millis(300)).await;
    let mut page = Page::new(&server);

    let info = page.exchange(HostMessage::GetInfo).await;
    assert_eq!(info, BridgeMessage::Info(SoftBridge::typical_info()));

    let no_card = SlotStatus::failed(IccState::Absent, ErrorCode::IccMute);
    assert_eq!(
        page.exchange(HostMessage::PowerOn).await,
        data(no_card, &[])
    );

    server.insert(Box::new(EchoCard));
    assert_eq!(page.event().await, LinkEvent::CardInserted);

    let active = SlotStatus::ok(IccState::PresentActive);
    assert_eq!(
        page.exchange(HostMessage::PowerOn).await,
        data(active, &ATR)
    );

    let select = vec![
        0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0, 0, 0, 2, 0x47, 0x10, 0x01,
    ];
    let mut echoed = select.clone();
    echoed.extend_from_slice(&[0x90, 0x00]);
    assert_eq!(
        page.exchange(HostMessage::Transmit(select)).await,
        data(active, &echoed)
    );
    assert_eq!(server.apdu_count(), 1);
    assert!(server.emulated_time() > Duration::ZERO);

    assert!(server.remove().is_some());
    assert_eq!(
        page.event().await,
        LinkEvent::CardRemoved {
            during_exchange: false
        }
    );
    // Nothing more queued: the long poll ends empty.
    assert_eq!(page.transfer_in().await, None);
}

#[tokio::test]
async fn a_card_pulled_out_mid_read_fails_that_exchange() {
    let server =
        UsbBridgeServer::start_with(SoftBridge::typical_info(), Duration::from_millis(300)).await;
    let mut page = Page::new(&server);
    server.insert(Box::new(EchoCard));
    assert_eq!(page.event().await, LinkEvent::CardInserted);
    page.exchange(HostMessage::PowerOn).await;
    server.remove_after(1);
    let read = vec![0x00, 0xB0, 0x00, 0x00, 0x04];
    page.exchange(HostMessage::Transmit(read.clone())).await;

    let request = page.link.request(HostMessage::Transmit(read)).unwrap();
    page.transfer_out(request).await;
    assert_eq!(
        page.event().await,
        LinkEvent::CardRemoved {
            during_exchange: true
        }
    );
    let removed = SlotStatus::failed(IccState::Absent, ErrorCode::CardRemoved);
    assert_eq!(page.event().await, LinkEvent::Reply(data(removed, &[])));
    assert_eq!(server.apdu_count(), 1);
}

#[tokio::test]
async fn a_page_on_another_origin_may_call_the_bridge() {
    let server =
        UsbBridgeServer::start_with(SoftBridge::typical_info(), Duration::from_millis(100)).await;
    let http = reqwest::Client::new();
    let origin = "http://127.0.0.1:1";

    let preflight = http
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/usb/out", server.url()),
        )
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());
    assert!(
        preflight
            .headers()
            .contains_key("access-control-allow-origin")
    );
    let allowed = preflight.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(
        allowed == "*" || allowed.contains("content-type"),
        "{allowed}"
    );

    let poll = http
        .post(format!("{}/usb/in", server.url()))
        .header("origin", origin)
        .send()
        .await
        .unwrap();
    assert_eq!(poll.status(), 204);
    assert!(poll.headers().contains_key("access-control-allow-origin"));
    // The page must be able to read the transfer number.
    assert!(poll.headers().contains_key("access-control-expose-headers"));
}

#[test]
fn the_fake_webusb_script_carries_the_bridge_settings() {
    let script = fake_usb_script("http://127.0.0.1:4321/");
    assert!(script.starts_with("globalThis.__EXAMGATE_FAKE_USB_CONFIG__ = {"));
    assert!(script.contains("\"bridgeUrl\":\"http://127.0.0.1:4321\""));
    assert!(script.contains("\"interfaceClass\":255"));
    assert!(script.contains("requestDevice"));
}

#[tokio::test]
async fn an_in_transfer_is_sent_again_until_acknowledged() {
    let server =
        UsbBridgeServer::start_with(SoftBridge::typical_info(), Duration::from_millis(100)).await;
    let mut page = Page::new(&server);
    server.insert(Box::new(EchoCard));
    let first = page.transfer_in().await.unwrap();
    // A poll whose answer never reached the page (no `after`, as a
    // reloaded page asks) gets the same transfer again.
    let mut reloaded = Page::new(&server);
    assert_eq!(reloaded.transfer_in().await, Some(first));
    // Acknowledged (`after=1`): gone.
    assert_eq!(page.transfer_in().await, None);
    assert_eq!(Page::new(&server).transfer_in().await, None);
}
