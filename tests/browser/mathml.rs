//! Formulas in Chromium: the paper's TeX reaches the page as MathML, laid
//! out as mathematics (`firefox.rs` checks the same in Firefox ESR), with a
//! picture of the question for a person to look at.

use std::time::Duration;

use chromiumoxide::cdp::browser_protocol::page::CaptureScreenshotFormat;
use examgate_tests::TestRelay;
use examgate_tests::browser::{
    Chromium, MathmlLayout, eval, mathml_layout_js, require_client, screenshot_dir, wait_for,
};

use crate::e2e::{go_to, join};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn formulas_are_laid_out_as_mathml_in_chromium() {
    require_client();
    let relay = TestRelay::with_duration(600_000, 1_000).await;
    let chromium = Chromium::launch().await;
    let page = chromium.new_person(&relay.url("/")).await;
    join(&page, &relay.code(0), "Phạm Minh Khoa").await;
    go_to(&page, 8).await;
    wait_for(
        &page,
        "!!document.querySelector(\".question[data-qid='8'] mfrac\")",
        Duration::from_secs(30),
    )
    .await;
    let layout: MathmlLayout = eval(&page, &mathml_layout_js(".question[data-qid='8']")).await;
    layout.assert_laid_out("Chromium");
    page.find_element(".question[data-qid='8']")
        .await
        .unwrap()
        .save_screenshot(
            CaptureScreenshotFormat::Png,
            screenshot_dir().join("mathml-chromium.png"),
        )
        .await
        .unwrap();
    chromium.close().await;
}
