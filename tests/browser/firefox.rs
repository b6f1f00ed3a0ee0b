//! The exam in Debian's Firefox ESR (headless, through geckodriver and
//! WebDriver) against the real relay, behind a proxy that can cut the
//! network: join, every question kind, formulas laid out as MathML, a
//! reload, a network cut with answers kept, a reload while it is down (the
//! page's offline copy), the answers resent, submit, the result.
//! Firefox has no WebUSB: the card-room page says so up front and points to
//! the seat code, with no button that cannot work.

use std::time::Duration;

use examgate_tests::TestRelay;
use examgate_tests::browser::{MathmlLayout, mathml_layout_js, require_client};
use examgate_tests::firefox::Firefox;
use examgate_tests::proxy::NetworkProxy;

use crate::a11y::{MULTI, every_kind};

const LONG: Duration = Duration::from_secs(30);

async fn go_to(firefox: &Firefox, qid: u32) {
    firefox
        .click(&format!("#navigator .nav-item[data-qid='{qid}']"))
        .await;
    firefox
        .wait_for(
            &format!("document.querySelector(\".question[data-qid='{qid}']\")"),
            LONG,
        )
        .await;
}

async fn pick(firefox: &Firefox, qid: u32, option: u8) {
    let option = format!(".question[data-qid='{qid}'] .option[data-option='{option}']");
    firefox.click(&option).await;
    firefox
        .wait_for(
            &format!("document.querySelector(\"{option}\").classList.contains('selected')"),
            LONG,
        )
        .await;
}

async fn answered(firefox: &Firefox) -> usize {
    firefox
        .eval("document.querySelectorAll('#navigator .nav-item.answered').length")
        .await
}

async fn saved(firefox: &Firefox) {
    firefox
        .wait_for(
            "document.querySelector('#save-status')?.dataset.state === 'saved'",
            LONG,
        )
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_exam_in_firefox_esr() {
    require_client();
    let relay = TestRelay::with_exam(every_kind(), 600_000).await;
    let network = NetworkProxy::start(relay.addr).await;
    let firefox = Firefox::launch().await;

    // No WebUSB here: the card-room page explains and points to the seat
    // code instead of offering a button that cannot work.
    firefox.client.goto(&network.url("/checkin")).await.unwrap();
    firefox
        .wait_for("document.querySelector('#checkin-unsupported')", LONG)
        .await;
    assert!(
        firefox
            .eval::<bool>("!document.querySelector('#checkin-start') && !!document.querySelector('#join-seat')")
            .await
    );

    // Join by name in the name-join page.
    firefox.client.goto(&network.url("/")).await.unwrap();
    firefox
        .wait_for("document.querySelector('#join-code')", LONG)
        .await;
    firefox.type_into("#join-code", &relay.code(0)).await;
    firefox.type_into("#join-name", "Lê Thị Hồng").await;
    firefox.click("#join-submit").await;
    firefox
        .wait_for("document.querySelector('#exam .question')", LONG)
        .await;
    let attempt: u64 = firefox
        .eval("JSON.parse(localStorage.getItem('examgate.student')).attempt_id")
        .await;

    // Every question kind, with the mouse and the keyboard as a student would.
    pick(&firefox, 1, 0).await; // single choice, the key
    go_to(&firefox, 13).await; // true/false statements
    firefox
        .click(".question[data-qid='13'] .statement button.tf")
        .await;
    firefox
        .wait_for(
            "document.querySelector(\".question[data-qid='13'] .statement.decided\")",
            LONG,
        )
        .await;
    go_to(&firefox, 17).await; // a typed number (log₃27 + log₂¼ = 1)
    firefox
        .type_into(".question[data-qid='17'] input.numeric-answer", "1")
        .await;
    firefox
        .wait_for(
            "document.querySelector(\"#navigator .nav-item[data-qid='17']\").classList.contains('answered')",
            LONG,
        )
        .await;
    go_to(&firefox, MULTI).await; // several answers: 2 and 11 are prime
    pick(&firefox, MULTI, 0).await;
    pick(&firefox, MULTI, 2).await;
    saved(&firefox).await;
    assert_eq!(answered(&firefox).await, 4);

    // Formulas are MathML, laid out as mathematics (fractions stacked).
    go_to(&firefox, 8).await;
    let layout: MathmlLayout = firefox
        .eval(&mathml_layout_js(".question[data-qid='8']"))
        .await;
    layout.assert_laid_out("Firefox ESR");
    firefox
        .screenshot_of(".question[data-qid='8']", "mathml-firefox.png")
        .await;

    // A reload comes back to the same answers.
    firefox.reload().await;
    firefox
        .wait_for(
            "document.querySelectorAll('#navigator .nav-item.answered').length === 4",
            LONG,
        )
        .await;
    saved(&firefox).await;

    // The page's offline copy (its service worker) is in place: active, and
    // serving this page once it is loaded again.
    firefox.service_worker_ready().await;
    firefox.reload().await;
    firefox
        .wait_for("navigator.serviceWorker?.controller", LONG)
        .await;

    // The network goes down: the answer is kept and shown unsaved, a
    // reload still opens the exam (from the offline copy), and everything
    // reaches the relay when the network is back.
    let before = relay.stored_events(attempt).len();
    network.cut();
    firefox
        .wait_for(
            "document.querySelector('#save-status')?.dataset.state === 'offline'",
            LONG,
        )
        .await;
    go_to(&firefox, 2).await;
    pick(&firefox, 2, 1).await;
    firefox
        .wait_for(
            "document.querySelectorAll('#navigator .nav-item.unsaved').length === 1",
            LONG,
        )
        .await;
    assert_eq!(relay.stored_events(attempt).len(), before);
    firefox.reload().await;
    firefox
        .wait_for(
            "document.querySelectorAll('#navigator .nav-item.answered').length === 5 \
             && document.querySelectorAll('#navigator .nav-item.unsaved').length === 1",
            LONG,
        )
        .await;
    assert_eq!(relay.stored_events(attempt).len(), before);
    network.restore();
    saved(&firefox).await;
    firefox
        .wait_for(
            "document.querySelectorAll('#navigator .nav-item.unsaved').length === 0",
            LONG,
        )
        .await;
    let stored = relay.stored_events(attempt);
    assert_eq!(stored.len(), before + 1, "{stored:?}");
    assert!(
        stored.iter().all(|(_, refused)| refused.is_none()),
        "{stored:?}"
    );

    // Submit, confirmed; the result shows what was right.
    firefox
        .wait_for(
            "document.querySelector('#submit')?.disabled === false",
            LONG,
        )
        .await;
    firefox.click("#submit").await;
    firefox
        .wait_for("document.querySelector('#submit-dialog')", LONG)
        .await;
    firefox.click("#confirm-submit").await;
    firefox
        .wait_for("document.querySelector('#result-mark')", LONG)
        .await;
    for qid in [1, 2, 17, MULTI] {
        let outcome: String = firefox
            .eval(&format!(
                "document.querySelector(\"[data-qid='{qid}'][data-outcome]\")?.dataset.outcome ?? ''"
            ))
            .await;
        assert_eq!(outcome, "correct", "question {qid}");
    }
    firefox.close().await;
}
