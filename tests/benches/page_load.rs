//! The student's page on a school's weak line and old PC: headless Chromium
//! against the real relay with the network throttled to 1.6 Mbit/s down,
//! 750 kbit/s up, 150 ms round trip, and the CPU slowed 6× (DevTools
//! protocol). Measures, from navigation, when the join form is usable (the
//! app mounted its form), then from "Vào thi" to the first question on
//! screen (as the relay sends it: brotli, which Chromium accepts here on
//! `localhost`); the same cold load with gzip only (plain HTTP on a school's
//! LAN: browsers offer brotli only over HTTPS) and with compression refused
//! (what the relay sent before it precompressed), with when each file
//! started and ended; and a reload mid-exam with the modules in the
//! browser's cache. Then, unthrottled, 500 answers given through the page
//! and its memory after 50 and after 500. Writes
//! `target/bench/page-load.json`.
//!
//! `cargo xtask bench` runs it after building the client; plain `fn main`.

use std::time::Duration;

use chromiumoxide::cdp::browser_protocol::emulation::SetCpuThrottlingRateParams;
use chromiumoxide::cdp::browser_protocol::network::{
    EmulateNetworkConditionsByRuleParams, EnableParams as NetworkEnable, Headers,
    NetworkConditions, SetExtraHttpHeadersParams,
};
use chromiumoxide::cdp::browser_protocol::performance::{
    EnableParams as PerformanceEnable, GetMetricsParams,
};
use chromiumoxide::cdp::js_protocol::heap_profiler::CollectGarbageParams;
use chromiumoxide::page::Page;
use examgate_tests::browser::{
    Chromium, eval, require_client, type_into, wait_for, wasm_memory_bytes,
};
use examgate_tests::{TestRelay, workspace_root};

const DOWN_BYTES_PER_S: f64 = 1_600_000.0 / 8.0;
const UP_BYTES_PER_S: f64 = 750_000.0 / 8.0;
const RTT_MS: f64 = 150.0;
const CPU_SLOWDOWN: f64 = 6.0;
const LONG: Duration = Duration::from_secs(120);
const ANSWERS: usize = 500;

/// Records, on every document, when the join form and the first question
/// appear (`performance.now()`, i.e. ms since navigation started).
const MARK_MILESTONES: &str = "window.__marks = {};\
    new MutationObserver(() => {\
      const mark = (key, selector) => {\
        if (window.__marks[key] === undefined && document.querySelector(selector)) {\
          window.__marks[key] = performance.now();\
        }\
      };\
      mark('form', '#join-code');\
      mark('question', '#exam .question');\
    }).observe(document, { subtree: true, childList: true });";

/// Bytes the page's own loads took off the wire (navigation and resources).
const TRANSFERRED: &str = "[...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]\
    .reduce((sum, e) => sum + (e.transferSize || 0), 0)";

/// When each of the page's loads started and ended, and its bytes: where
/// the time to the join form goes.
const TIMELINE: &str = "[...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]\
    .map((e) => ({ path: new URL(e.name).pathname, start_ms: Math.round(e.startTime),\
                   first_byte_ms: Math.round(e.responseStart), end_ms: Math.round(e.responseEnd),\
                   bytes: e.transferSize || 0 }))";

async fn throttled_person(chromium: &Chromium, accept_encoding: Option<&str>) -> Page {
    let page = chromium.blank_person().await;
    page.execute(NetworkEnable::default()).await.unwrap();
    // One rule with an empty pattern: every request of the page.
    let everything = NetworkConditions::new("", RTT_MS, DOWN_BYTES_PER_S, UP_BYTES_PER_S);
    page.execute(EmulateNetworkConditionsByRuleParams::new(
        false,
        vec![everything],
    ))
    .await
    .unwrap();
    page.execute(SetCpuThrottlingRateParams::new(CPU_SLOWDOWN))
        .await
        .unwrap();
    if let Some(encoding) = accept_encoding {
        page.execute(SetExtraHttpHeadersParams::new(Headers::new(
            serde_json::json!({ "Accept-Encoding": encoding }),
        )))
        .await
        .unwrap();
    }
    page.evaluate_on_new_document(MARK_MILESTONES.to_string())
        .await
        .unwrap();
    page
}

async fn mark(page: &Page, key: &str) -> f64 {
    wait_for(page, &format!("window.__marks?.{key} !== undefined"), LONG).await;
    eval(page, &format!("window.__marks.{key}")).await
}

/// A cold load to the join form, then "Vào thi" to the first question.
async fn cold_join(page: &Page, url: &str, code: &str, name: &str) -> serde_json::Value {
    page.goto(url).await.unwrap();
    let form_ms = mark(page, "form").await;
    let transferred: f64 = eval(page, TRANSFERRED).await;
    let timeline: serde_json::Value = eval(page, TIMELINE).await;
    type_into(page, "#join-code", code).await;
    type_into(page, "#join-name", name).await;
    let clicked_at: f64 = eval(
        page,
        "(() => { const t = performance.now(); document.querySelector('#join-submit').click(); return t; })()",
    )
    .await;
    let question_at = mark(page, "question").await;
    serde_json::json!({
        "navigation_to_join_form_ms": form_ms.round(),
        "join_click_to_first_question_ms": (question_at - clicked_at).round(),
        "bytes_transferred_to_join_form": transferred,
        "loads": timeline,
    })
}

async fn collected_heap_mb(page: &Page) -> f64 {
    page.execute(CollectGarbageParams::default()).await.unwrap();
    let metrics = page.execute(GetMetricsParams::default()).await.unwrap();
    let used = metrics
        .metrics
        .iter()
        .find(|m| m.name == "JSHeapUsedSize")
        .map_or(0.0, |m| m.value);
    used / 1e6
}

/// `count` answers given through the page: a question picked on the
/// navigator, one of its options clicked, one render in between.
async fn answer_through_page(page: &Page, count: usize, seed: usize) -> f64 {
    let script = format!(
        "(async () => {{\
           const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));\
           const qids = [...document.querySelectorAll('#navigator .nav-item')].map((e) => e.dataset.qid);\
           const started = performance.now();\
           let done = 0;\
           for (let i = {seed}; done < {count} && i < {seed} + 100 * {count}; i++) {{\
             const qid = qids[i % qids.length];\
             document.querySelector(`#navigator .nav-item[data-qid='${{qid}}']`).click();\
             await frame();\
             const options = document.querySelectorAll(`.question[data-qid='${{qid}}'] .option`);\
             if (options.length === 0) continue;\
             options[(i * 7) % options.length].click();\
             await frame();\
             done++;\
           }}\
           if (done < {count}) throw new Error(`only ${{done}} answers given`);\
           return (performance.now() - started) / done;\
         }})()"
    );
    eval(page, &script).await
}

#[tokio::main]
async fn main() {
    require_client();
    let relay = TestRelay::with_duration(3_600_000, 1_000).await;
    let chromium = Chromium::launch().await;
    let code = relay.code(0);

    // Cold, as the relay sends it (brotli).
    let page = throttled_person(&chromium, None).await;
    let compressed = cold_join(&page, &relay.url("/"), &code, "Trần Thị Bình").await;
    eprintln!("compressed: {compressed}");
    // A reload mid-exam: the modules come from the browser's cache.
    page.reload().await.unwrap();
    let reload_ms = mark(&page, "question").await;
    let reload_transferred: f64 = eval(&page, TRANSFERRED).await;
    page.close().await.unwrap();

    // Cold, gzip only: what a browser accepts over plain HTTP (browsers
    // offer brotli only over HTTPS), e.g. a relay on a school's LAN.
    let page = throttled_person(&chromium, Some("gzip, deflate")).await;
    let gzip = cold_join(&page, &relay.url("/"), &code, "Đỗ Minh Khoa").await;
    eprintln!("gzip: {gzip}");
    page.close().await.unwrap();

    // Cold, with compression refused: what every student paid before.
    let page = throttled_person(&chromium, Some("identity")).await;
    let uncompressed = cold_join(&page, &relay.url("/"), &code, "Lê Văn Cường").await;
    eprintln!("uncompressed: {uncompressed}");
    page.close().await.unwrap();

    // A long exam, unthrottled: the page's memory does not grow with answers.
    let page = chromium.blank_person().await;
    page.goto(relay.url("/")).await.unwrap();
    type_into(&page, "#join-code", &code).await;
    type_into(&page, "#join-name", "Phạm Thu Dung").await;
    page.find_element("#join-submit")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&page, "!!document.querySelector('#exam .question')", LONG).await;
    page.execute(PerformanceEnable::default()).await.unwrap();
    let first_ms_per_answer = answer_through_page(&page, 50, 0).await;
    let heap_after_50 = collected_heap_mb(&page).await;
    let wasm_after_50 = wasm_memory_bytes(&page, "examgate_client").await;
    let rest_ms_per_answer = answer_through_page(&page, ANSWERS - 50, 50).await;
    let heap_after_500 = collected_heap_mb(&page).await;
    let wasm_after_500 = wasm_memory_bytes(&page, "examgate_client").await;
    chromium.close().await;

    let sizes: serde_json::Value =
        std::fs::read_to_string(workspace_root().join("target/bench/client-size.json"))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
    let report = serde_json::json!({
        "network": { "down_kbit_s": DOWN_BYTES_PER_S * 8.0 / 1000.0, "up_kbit_s": UP_BYTES_PER_S * 8.0 / 1000.0, "rtt_ms": RTT_MS },
        "cpu_slowdown": CPU_SLOWDOWN,
        "cold_compressed": compressed,
        "cold_gzip": gzip,
        "cold_uncompressed": uncompressed,
        "reload_mid_exam": {
            "navigation_to_question_ms": reload_ms.round(),
            "bytes_transferred": reload_transferred,
        },
        "target_join_form_ms": 2000,
        "target_first_question_ms": 1000,
        "long_exam": {
            "answers": ANSWERS,
            "ms_per_answer_first_50": first_ms_per_answer,
            "ms_per_answer_next_450": rest_ms_per_answer,
            "js_heap_mb_after_50": heap_after_50,
            "js_heap_mb_after_500": heap_after_500,
            "wasm_memory_mb_after_50": wasm_after_50 / 1e6,
            "wasm_memory_mb_after_500": wasm_after_500 / 1e6,
        },
        "student_module_as_served": sizes.get("examgate_client"),
    });
    let out = workspace_root().join("target/bench");
    std::fs::create_dir_all(&out).unwrap();
    let text = serde_json::to_string_pretty(&report).unwrap();
    std::fs::write(out.join("page-load.json"), &text).unwrap();
    println!("{text}");
}
