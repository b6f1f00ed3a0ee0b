//! The demo's card reader (`examgate-relay --demo-reader`, on in `cargo
//! xtask run`): a software bridge holding the demo roster's synthetic
//! cards, reached by a fake `navigator.usb` that pages load when their URL
//! has `?demo-reader`. It lets anyone try the chip-ID room without
//! hardware. Off by default: a real relay never serves it.
//!
//! - `GET /demo/reader.js`: the fake `navigator.usb` plus a small panel to
//!   place a card on the reader or lift it.
//! - `POST /demo/reader/usb/{out,in}`: the bridge (`examgate_cardsim::http`).
//! - `GET /demo/reader/cards`, `POST /demo/reader/card/{i}`,
//!   `POST /demo/reader/remove`: the panel's calls.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use examgate_cardsim::aa::AaKind;
use examgate_cardsim::bridge::SoftBridge;
use examgate_cardsim::http::{HttpBridge, LONG_POLL, fake_usb_script};
use examgate_cardsim::issue::IssuedCard;
use examgate_cardsim::pki::TestPki;
use serde::Serialize;

use crate::seed::{DEMO_PKI_SEED, demo_card_students};

/// The demo cards and the bridge they go into.
pub struct DemoReader {
    bridge: HttpBridge,
    cards: Vec<IssuedCard>,
}

impl std::fmt::Debug for DemoReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoReader")
            .field("cards", &self.cards.len())
            .finish()
    }
}

#[derive(Serialize)]
struct CardInfo {
    index: usize,
    name: String,
    id: String,
    /// `dd/mm/yyyy`, as the student types it.
    birth: String,
}

impl DemoReader {
    /// Issues the demo roster's cards under the demo's test PKI.
    pub fn new() -> DemoReader {
        let pki = TestPki::generate(DEMO_PKI_SEED);
        let cards = demo_card_students()
            .iter()
            .enumerate()
            .map(|(i, s)| IssuedCard::issue(s, &pki, Some(AaKind::EcdsaP256), 500 + i as u64))
            .collect();
        DemoReader {
            bridge: HttpBridge::new(SoftBridge::typical_info(), LONG_POLL),
            cards,
        }
    }

    /// The routes, to merge into the app.
    pub fn routes<S: Clone + Send + Sync + 'static>(self: Arc<Self>) -> Router<S> {
        let api = Router::new()
            .route("/demo/reader.js", get(script))
            .route("/demo/reader/cards", get(cards))
            .route("/demo/reader/card/{index}", post(insert))
            .route("/demo/reader/remove", post(remove))
            .with_state(self.clone());
        api.nest("/demo/reader", self.bridge.router())
    }
}

impl Default for DemoReader {
    fn default() -> Self {
        DemoReader::new()
    }
}

const PANEL_JS: &str = include_str!("demo_reader_panel.js");

async fn script() -> impl IntoResponse {
    let script = format!(
        "{}\n{PANEL_JS}",
        fake_usb_script("/demo/reader", false, "examgate demo card reader")
    );
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        script,
    )
}

async fn cards(State(reader): State<Arc<DemoReader>>) -> Json<Vec<CardInfo>> {
    Json(
        reader
            .cards
            .iter()
            .enumerate()
            .map(|(index, c)| {
                let b = c.student.birth;
                CardInfo {
                    index,
                    name: c.student.full_name.clone(),
                    id: c.student.id12.clone(),
                    birth: format!("{:02}/{:02}/{:04}", b.day, b.month, b.year),
                }
            })
            .collect(),
    )
}

async fn insert(State(reader): State<Arc<DemoReader>>, Path(index): Path<usize>) -> StatusCode {
    let Some(card) = reader.cards.get(index) else {
        return StatusCode::NOT_FOUND;
    };
    reader.bridge.remove();
    reader.bridge.insert(Box::new(card.chip(index as u64)));
    StatusCode::NO_CONTENT
}

async fn remove(State(reader): State<Arc<DemoReader>>) -> StatusCode {
    reader.bridge.remove();
    StatusCode::NO_CONTENT
}
