//! `/checkin/bridge`: the page that checks a card-reader bridge, for the
//! school's technician after building or unpacking one
//! (`docs/bridge-build.md`), and the landing page the bridge itself names.
//!
//! It connects to the bridge, shows what the bridge says of itself, then,
//! card after card, powers it, asks whether it is an ICAO 9303 chip (SELECT
//! of the eMRTD application), reads EF.CardAccess (which PACE profile the
//! chip offers) and times the round trips. It opens no secure channel and
//! reads no personal data, so it needs no login and sends nothing to the
//! relay.

mod report;

use yew::prelude::*;

use crate::card_read::{CheckinFailure, failure_text, open_bridge};
use crate::i18n::{Lang, LangProvider, LangToggle, use_i18n};
use crate::usb::{Bridge, BridgeError, BridgeInfo};
use report::{CardFacts, Line, Verdict, bridge_lines, card_lines, overall};

/// The page's path (under `/checkin`, whose module has the reader code).
pub const PATH: &str = "/checkin/bridge";

/// READ BINARY of EF.CardAccess by short file identifier 1C, up to 256
/// bytes: readable before any authentication.
const READ_CARD_ACCESS: [u8; 5] = [0x00, 0xB0, 0x9C, 0x00, 0x00];
/// SELECT of the eMRTD application (A0 00 00 02 47 10 01), no answer data.
const SELECT_EMRTD: [u8; 12] = [
    0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01,
];

/// Where the check is.
#[derive(Clone, PartialEq)]
enum Stage {
    /// Not connected: the button that opens the browser's chooser.
    Idle,
    Connecting,
    /// Connected; waiting for a card, or showing the last one.
    Connected {
        bridge: Bridge,
        product: Option<String>,
        info: BridgeInfo,
        card: Option<CardFacts>,
        reading: bool,
    },
    Failed(BridgeError),
}

#[component]
pub fn BridgeCheckApp() -> Html {
    html! { <LangProvider><BridgeCheck /></LangProvider> }
}

#[component]
fn BridgeCheck() -> Html {
    let i18n = use_i18n();
    let vi = i18n.lang == Lang::Vi;
    let stage = use_state(|| Stage::Idle);

    let connect = {
        let stage = stage.clone();
        Callback::from(move |_| {
            let stage = stage.clone();
            stage.set(Stage::Connecting);
            // Inside the click: the chooser needs the user gesture.
            wasm_bindgen_futures::spawn_local(async move {
                stage.set(match connect_and_describe().await {
                    Ok(connected) => connected,
                    Err(e) => Stage::Failed(e),
                });
            });
        })
    };

    // Connected and no card shown: wait for one and probe it.
    {
        let stage = stage.clone();
        use_effect_with((*stage).clone(), move |current| {
            if let Stage::Connected {
                bridge,
                product,
                info,
                card: None,
                reading: false,
            } = current.clone()
            {
                wasm_bindgen_futures::spawn_local(async move {
                    stage.set(Stage::Connected {
                        bridge: bridge.clone(),
                        product: product.clone(),
                        info,
                        card: None,
                        reading: true,
                    });
                    stage.set(match probe_card(&bridge).await {
                        Ok(card) => Stage::Connected {
                            bridge,
                            product,
                            info,
                            card: Some(card),
                            reading: false,
                        },
                        Err(e) => Stage::Failed(e),
                    });
                });
            }
        });
    }

    let another = {
        let stage = stage.clone();
        Callback::from(move |_| {
            if let Stage::Connected {
                bridge,
                product,
                info,
                ..
            } = (*stage).clone()
            {
                stage.set(Stage::Connected {
                    bridge,
                    product,
                    info,
                    card: None,
                    reading: false,
                });
            }
        })
    };

    let body = match &*stage {
        Stage::Idle | Stage::Connecting => html! {
            <>
                <p class="hint">{ if vi {
                    "Cắm đầu đọc vào máy, bấm nút dưới đây và chọn nó trong hộp thoại của trình duyệt."
                } else {
                    "Plug the reader in, press the button below and pick it in the browser's dialog."
                } }</p>
                <button id="bridge-connect" type="button" class="primary" onclick={connect}
                    disabled={*stage == Stage::Connecting}>
                    { if vi { "Kết nối đầu đọc" } else { "Connect the reader" } }
                </button>
            </>
        },
        Stage::Failed(error) => html! {
            <>
                <p id="bridge-error" class="error" role="alert">
                    { failure_text(&CheckinFailure::Bridge(error.clone()), i18n.lang) }
                </p>
                <button id="bridge-connect" type="button" class="primary" onclick={connect}>
                    { if vi { "Kết nối lại" } else { "Connect again" } }
                </button>
            </>
        },
        Stage::Connected {
            product,
            info,
            card,
            reading,
            ..
        } => {
            let bridge_facts = bridge_lines(info, i18n.lang);
            html! {
                <>
                    <h2>{ product.clone().unwrap_or_else(|| "examgate card bridge".into()) }</h2>
                    <Facts id="bridge-facts" lines={bridge_facts} />
                    { match card {
                        None => html! {
                            <p id="bridge-wait" class="hint" aria-live="polite">{
                                if *reading {
                                    if vi { "Đặt thẻ CCCD gắn chip lên đầu đọc…" } else { "Put a chip ID card on the reader…" }
                                } else if vi { "Đang chờ…" } else { "Waiting…" }
                            }</p>
                        },
                        Some(card) => {
                            let lines = card_lines(card, i18n.lang);
                            let verdict = overall(&lines);
                            html! {
                                <>
                                    <p id="bridge-verdict" class={classes!("banner", banner_class(verdict))}
                                        data-verdict={verdict.as_str()} role="status">
                                        { verdict_text(verdict, vi) }
                                    </p>
                                    <Facts id="card-facts" {lines} />
                                    <button id="bridge-another" type="button" onclick={another}>
                                        { if vi { "Thử thẻ khác" } else { "Try another card" } }
                                    </button>
                                </>
                            }
                        }
                    } }
                </>
            }
        }
    };

    html! {
        <main class="page">
            <header class="topbar">
                <span class="brand">{ if vi { "Kiểm tra đầu đọc thẻ" } else { "Card reader check" } }</span>
                <LangToggle />
            </header>
            <section id="bridge-check" class="card form">
                { body }
            </section>
        </main>
    }
}

#[derive(Properties, PartialEq)]
struct FactsProps {
    id: AttrValue,
    lines: Vec<Line>,
}

#[component]
fn Facts(props: &FactsProps) -> Html {
    html! {
        <dl id={props.id.clone()} class="facts">
            { for props.lines.iter().map(|line| html! {
                <div data-fact={line.fact} data-verdict={line.verdict.as_str()}>
                    <dt>{ &line.label }</dt>
                    <dd>{ &line.value }</dd>
                </div>
            }) }
        </dl>
    }
}

fn banner_class(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Good => "info",
        Verdict::Warn => "warn",
        Verdict::Bad => "error",
    }
}

fn verdict_text(verdict: Verdict, vi: bool) -> &'static str {
    match (verdict, vi) {
        (Verdict::Good, true) => "Đầu đọc và thẻ hoạt động tốt: dùng được cho điểm danh.",
        (Verdict::Good, false) => "Reader and card work well: ready for check-in.",
        (Verdict::Warn, true) => {
            "Dùng được, nhưng xem các dòng màu vàng: việc đọc thẻ có thể chậm hơn."
        }
        (Verdict::Warn, false) => "Usable, but see the amber lines: reading may be slower.",
        (Verdict::Bad, true) => "Thẻ này không phải CCCD gắn chip hay hộ chiếu điện tử.",
        (Verdict::Bad, false) => "This card is not a chip ID card or e-passport.",
    }
}

/// Opens the bridge (paired, or the chooser) and asks it to describe itself.
async fn connect_and_describe() -> Result<Stage, BridgeError> {
    let bridge = open_bridge().await.map_err(|failure| match failure {
        CheckinFailure::Bridge(e) => e,
        other => BridgeError::Usb(format!("{other:?}")),
    })?;
    let info = bridge.info().await?;
    Ok(Stage::Connected {
        product: bridge.product_name(),
        bridge,
        info,
        card: None,
        reading: false,
    })
}

/// Waits for a card, powers it and asks it the two public questions.
async fn probe_card(bridge: &Bridge) -> Result<CardFacts, BridgeError> {
    bridge.wait_for_card().await?;
    let atr = bridge.power_on().await?;
    let started = js_sys::Date::now();
    let mut apdus = 1.0;
    let mut card_access = bridge.transmit(&READ_CARD_ACCESS).await?;
    if let [0x6C, exact] = status_word(&card_access) {
        // "Wrong length, use this": some chips will not read short.
        let mut again = READ_CARD_ACCESS;
        again[4] = exact;
        card_access = bridge.transmit(&again).await?;
        apdus += 1.0;
    }
    let select = bridge.transmit(&SELECT_EMRTD).await?;
    apdus += 1.0;
    let round_trip_ms = (js_sys::Date::now() - started) / apdus;
    // 62 82: the file ended before the 256 bytes asked for, as it should.
    let read = matches!(status_word(&card_access), [0x90, 0x00] | [0x62, 0x82]);
    Ok(CardFacts {
        atr,
        select_sw: status_word(&select),
        card_access: read.then(|| card_access[..card_access.len() - 2].to_vec()),
        round_trip_ms,
    })
}

fn status_word(response: &[u8]) -> [u8; 2] {
    match response {
        [.., sw1, sw2] => [*sw1, *sw2],
        _ => [0, 0],
    }
}
