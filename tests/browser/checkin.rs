//! Chip-ID check-in in a real headless Chromium against the real relay: the
//! page reaches an emulated CCCD through a fake `navigator.usb` whose
//! transfers go to the software bridge (tests/support/usb_bridge.rs).

use std::time::Duration;

use examgate_cardsim::aa::AaKind;
use examgate_cardsim::issue::IssuedCard;
use examgate_tests::browser::{Chromium, click, require_client, screenshot, type_into, wait_for};
use examgate_tests::card::{genuine_card, rogue_pki, student};
use examgate_tests::usb_bridge::UsbBridgeServer;
use examgate_tests::{PASSWORD, TestRelay};

const LONG: Duration = Duration::from_secs(30);

fn birth_text(i: usize) -> String {
    let b = student(i).birth;
    format!("{:02}/{:02}/{:04}", b.day, b.month, b.year)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_student_checks_in_with_the_chip_card_and_the_proctor_confirms_the_photo() {
    require_client();
    let relay = TestRelay::with_duration(600_000, 1_000).await;
    let bridge = UsbBridgeServer::start().await;
    bridge.insert(Box::new(genuine_card(0).chip(1)));
    let chromium = Chromium::launch().await;

    let proctor = chromium.new_person(&relay.url("/proctor")).await;
    type_into(&proctor, "#login-user", "phong03").await;
    type_into(&proctor, "#login-pass", PASSWORD).await;
    click(&proctor, "#login-submit").await;
    wait_for(
        &proctor,
        "!!document.querySelector('.checkin-counts')",
        LONG,
    )
    .await;

    let page = chromium
        .new_person_with_fake_usb(&relay.url("/checkin"), &bridge.fake_usb_script())
        .await;
    type_into(&page, "#join-code", "TOAN-P03").await;
    type_into(&page, "#checkin-id", &student(0).id12).await;
    type_into(&page, "#checkin-birth", &birth_text(0)).await;
    click(&page, "#checkin-start").await;
    let waited = wait_for(
        &page,
        "document.querySelector('#checkin')?.dataset.step === 'awaiting_proctor'",
        LONG,
    )
    .await;
    println!("card read, verified and waiting for the proctor after {waited:?}");
    // The page (WebAssembly) opened the emulated CCCD as real ones are
    // opened, PACE with the CAN from the ID typed, not BAC; and carried the
    // relay's Chip Authentication (the proof only the relay can open).
    let reasons: String = relay
        .db()
        .query_row(
            "SELECT reasons FROM checkins ORDER BY id DESC LIMIT 1",
            examgate_relay::args![],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        reasons.contains("chip opened with PACE-CAN AES-128 brainpoolP256r1"),
        "{reasons}"
    );
    assert!(
        reasons.contains(
            "chip authentication (AES-128, brainpoolP256r1) with the relay as the terminal"
        ),
        "{reasons}"
    );

    // The proctor sees the chip photo (decoded, not a broken image).
    wait_for(
        &proctor,
        "(() => { const img = document.querySelector(\".checkin[data-status='awaiting_proctor'] img.chip-photo\"); return !!img && img.complete && img.naturalWidth > 0; })()",
        LONG,
    )
    .await;
    screenshot(&proctor, "checkin-proctor.png").await;
    click(&proctor, ".checkin-confirm").await;
    wait_for(&page, "!!document.querySelector('#exam .question')", LONG).await;
    wait_for(
        &proctor,
        "!!document.querySelector(\".checkin[data-status='confirmed']\")",
        LONG,
    )
    .await;
    screenshot(&page, "checkin-exam-open.png").await;
    chromium.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_forged_card_is_refused_on_screen_with_its_reason() {
    require_client();
    let relay = TestRelay::with_duration(600_000, 1_000).await;
    let bridge = UsbBridgeServer::start().await;
    // Same person, same data, but signed by a CSCA the relay does not trust.
    let forged = IssuedCard::issue(&student(1), rogue_pki(), Some(AaKind::EcdsaP256), 3);
    bridge.insert(Box::new(forged.chip(1)));
    let chromium = Chromium::launch().await;
    let page = chromium
        .new_person_with_fake_usb(&relay.url("/checkin"), &bridge.fake_usb_script())
        .await;
    type_into(&page, "#join-code", "TOAN-P03").await;
    type_into(&page, "#checkin-id", &student(1).id12).await;
    type_into(&page, "#checkin-birth", &birth_text(1)).await;
    click(&page, "#checkin-start").await;
    wait_for(
        &page,
        "document.querySelector('#checkin-error')?.dataset.code === 'card_untrusted'",
        LONG,
    )
    .await;
    screenshot(&page, "checkin-forged.png").await;
    chromium.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_reader_lets_anyone_try_the_chip_room_without_hardware() {
    require_client();
    let relay = TestRelay::with_demo_reader(600_000).await;
    let chromium = Chromium::launch().await;
    let proctor = chromium.new_person(&relay.url("/proctor")).await;
    type_into(&proctor, "#login-user", "phong03").await;
    type_into(&proctor, "#login-pass", PASSWORD).await;
    click(&proctor, "#login-submit").await;

    // The page loads the demo reader's fake navigator.usb and its panel.
    let page = chromium
        .new_person(&relay.url("/checkin?demo-reader"))
        .await;
    wait_for(
        &page,
        "document.querySelectorAll('#demo-reader button.demo-card').length === 4",
        LONG,
    )
    .await;
    type_into(&page, "#join-code", "TOAN-P03").await;
    // Placing a card fills the ID and birth date as the student would.
    click(&page, "#demo-reader button.demo-card").await;
    wait_for(
        &page,
        "document.querySelector('#checkin-id').value.length === 12",
        LONG,
    )
    .await;
    click(&page, "#checkin-start").await;
    wait_for(
        &page,
        "document.querySelector('#checkin')?.dataset.step === 'awaiting_proctor'",
        LONG,
    )
    .await;
    wait_for(
        &proctor,
        "!!document.querySelector('.checkin-confirm')",
        LONG,
    )
    .await;
    click(&proctor, ".checkin-confirm").await;
    wait_for(&page, "!!document.querySelector('#exam .question')", LONG).await;
    chromium.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_proctor_station_reads_the_card_and_a_seat_code_opens_the_exam_elsewhere() {
    require_client();
    let relay = TestRelay::with_duration(600_000, 1_000).await;
    let bridge = UsbBridgeServer::start().await;
    bridge.insert(Box::new(genuine_card(2).chip(1)));
    let chromium = Chromium::launch().await;

    // The proctor's station has the reader.
    let station = chromium
        .new_person_with_fake_usb(&relay.url("/proctor"), &bridge.fake_usb_script())
        .await;
    type_into(&station, "#login-user", "phong03").await;
    type_into(&station, "#login-pass", PASSWORD).await;
    click(&station, "#login-submit").await;
    click(&station, ".station summary").await;
    type_into(&station, "#station-id", &student(2).id12).await;
    type_into(&station, "#station-birth", &birth_text(2)).await;
    click(&station, "#station-read").await;
    wait_for(
        &station,
        "!!document.querySelector('.checkin-confirm')",
        LONG,
    )
    .await;
    click(&station, ".checkin-confirm").await;
    wait_for(
        &station,
        "(document.querySelector('#seat-code')?.innerText || '').length === 6",
        LONG,
    )
    .await;
    let seat_code: String =
        examgate_tests::browser::eval(&station, "document.querySelector('#seat-code').innerText")
            .await;
    screenshot(&station, "checkin-station.png").await;

    // The student's browser needs no reader: the seat code is enough.
    let page = chromium.new_person(&relay.url("/")).await;
    type_into(&page, "#join-code", "TOAN-P03").await;
    type_into(&page, "#join-seat", &seat_code).await;
    click(&page, "#join-submit").await;
    wait_for(&page, "!!document.querySelector('#exam .question')", LONG).await;
    chromium.close().await;
}

/// The modules the page loaded, by name (`examgate_client`, …).
async fn modules_loaded(page: &chromiumoxide::Page) -> Vec<String> {
    examgate_tests::browser::eval(
        page,
        r"performance.getEntriesByType('resource').map(e => e.name)
            .filter(n => n.endsWith('_bg.wasm'))
            .map(n => n.split('/').pop().replace(/-[0-9a-f]{16}_bg\.wasm$/, ''))",
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_name_join_in_a_card_room_leads_to_the_card_room_page_which_alone_loads_the_card_code() {
    require_client();
    let relay = TestRelay::with_duration(600_000, 1_000).await;
    let chromium = Chromium::launch().await;

    // `/` is the name-join page: no card panel, no card code, a link instead.
    let page = chromium.new_person(&relay.url("/")).await;
    wait_for(&page, "!!document.querySelector('#checkin-link a')", LONG).await;
    assert_eq!(modules_loaded(&page).await, ["examgate_client"]);
    let panel: bool =
        examgate_tests::browser::eval(&page, "!!document.querySelector('#checkin')").await;
    assert!(!panel, "the name-join page has no check-in panel");

    // Joining a card room by name: the relay says `checkin_required`, and
    // the page takes the student to the card-room page, code typed in.
    type_into(&page, "#join-code", "toan-p03").await;
    type_into(&page, "#join-name", "Nguyễn Văn An").await;
    click(&page, "#join-submit").await;
    wait_for(
        &page,
        "location.pathname === '/checkin' && !!document.querySelector('#checkin #checkin-start') \
         && document.querySelector('#join-code').value === 'TOAN-P03'",
        LONG,
    )
    .await;
    assert_eq!(modules_loaded(&page).await, ["examgate_checkin"]);
    chromium.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_bridge_check_page_describes_the_reader_and_recognises_an_id_card() {
    require_client();
    let relay = TestRelay::with_duration(600_000, 1_000).await;
    let bridge = UsbBridgeServer::start().await;
    let chromium = Chromium::launch().await;
    // No login: the page reads nothing personal and sends nothing.
    let page = chromium
        .new_person_with_fake_usb(&relay.url("/checkin/bridge"), &bridge.fake_usb_script())
        .await;
    click(&page, "#bridge-connect").await;
    wait_for(
        &page,
        "document.querySelector('#bridge-facts [data-fact=extended_length] dd')?.textContent === 'có'",
        LONG,
    )
    .await;
    wait_for(&page, "!!document.querySelector('#bridge-wait')", LONG).await;

    // A CCCD on the reader: an ICAO chip offering PACE, all good.
    bridge.insert(Box::new(genuine_card(2).chip(2)));
    wait_for(
        &page,
        "document.querySelector('#bridge-verdict')?.dataset.verdict === 'good'",
        LONG,
    )
    .await;
    let pace: String = page
        .evaluate("document.querySelector('#card-facts [data-fact=pace] dd').textContent")
        .await
        .unwrap()
        .into_value()
        .unwrap();
    assert_eq!(pace, "AES-128 brainpoolP256r1");
    screenshot(&page, "bridge-check.png").await;

    // Something else on the reader: not taken for an ID card.
    struct TransitCard;
    impl examgate_cardsim::card::Card for TransitCard {
        fn atr(&self) -> Vec<u8> {
            vec![0x3B, 0x80, 0x80, 0x01, 0x01]
        }
        fn transmit(&mut self, _: &[u8]) -> Vec<u8> {
            vec![0x6A, 0x82]
        }
    }
    bridge.insert(Box::new(TransitCard));
    click(&page, "#bridge-another").await;
    wait_for(
        &page,
        "document.querySelector('#bridge-verdict')?.dataset.verdict === 'bad'",
        LONG,
    )
    .await;
    chromium.close().await;
}
