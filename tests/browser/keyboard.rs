//! An exam from start to finish with the keyboard alone, in headless
//! Chromium against the real relay: Tab reaches the join form in order and
//! Enter joins; letter and digit keys answer, arrows move, `M` flags; Tab
//! and Enter reach the navigator, a true/false statement, a typed number
//! and the submit button; the submit dialog opens on "cancel" (an Enter
//! hands nothing in) and hands in only on a deliberate second choice. The
//! focus is visible all the way.

use std::time::Duration;

use chromiumoxide::page::Page;
use examgate_tests::TestRelay;
use examgate_tests::browser::{Chromium, eval, insert_text, press, require_client, wait_for};

use crate::e2e::attempt_id;

const LONG: Duration = Duration::from_secs(30);

/// Presses Tab until the focused element matches `selector`; returns how
/// many presses it took (at most `max`).
async fn tab_to(page: &Page, selector: &str, max: usize) -> usize {
    let focused = format!(
        "document.activeElement?.matches({}) ?? false",
        serde_json::to_string(selector).unwrap()
    );
    for presses in 1..=max {
        press(page, "Tab").await;
        if eval::<bool>(page, &focused).await {
            return presses;
        }
    }
    let at: String = eval(
        page,
        "document.activeElement?.outerHTML.slice(0, 120) ?? 'nothing'",
    )
    .await;
    panic!("{selector} not reached in {max} Tabs; the focus is on {at}");
}

/// The focused element shows that it has the focus (an outline).
async fn assert_focus_visible(page: &Page) {
    let outline: String = eval(
        page,
        "(() => { const s = getComputedStyle(document.activeElement); return `${s.outlineStyle} ${s.outlineWidth}`; })()",
    )
    .await;
    assert!(
        !outline.starts_with("none") && !outline.ends_with(" 0px"),
        "focus not visible: {outline}"
    );
}

fn shown_question(qid: u32) -> String {
    format!("!!document.querySelector(\".question[data-qid='{qid}']\")")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exam_from_join_to_result_without_the_mouse() {
    require_client();
    let relay = TestRelay::with_duration(600_000, 500).await;
    let chromium = Chromium::launch().await;
    let page = chromium.new_person(&relay.url("/")).await;
    wait_for(&page, "!!document.querySelector('#join-code')", LONG).await;

    // The join form: the code comes first, the name right after it.
    let presses = tab_to(&page, "#join-code", 4).await;
    assert!(presses <= 2, "{presses} Tabs before the join code");
    assert_focus_visible(&page).await;
    insert_text(&page, &relay.code(0)).await;
    press(&page, "Tab").await;
    assert!(eval::<bool>(&page, "document.activeElement.id === 'join-name'").await);
    insert_text(&page, "Võ Thị Hạnh").await;
    press(&page, "Enter").await;
    wait_for(&page, &shown_question(1), LONG).await;
    let attempt = attempt_id(&page).await;

    // Keys answer by the place on screen and move between questions.
    press(&page, "1").await;
    wait_for(&page, &option_selected(1, 0), LONG).await;
    press(&page, "ArrowRight").await;
    wait_for(&page, &shown_question(2), LONG).await;
    press(&page, "b").await;
    wait_for(&page, &option_selected(2, 1), LONG).await;
    press(&page, "m").await;
    wait_for(
        &page,
        "document.querySelector('#flag')?.getAttribute('aria-pressed') === 'true'",
        LONG,
    )
    .await;
    wait_for(
        &page,
        "document.querySelector(\"#navigator .nav-item[data-qid='2']\")?.getAttribute('aria-label')?.includes('Đánh dấu')",
        LONG,
    )
    .await;
    press(&page, "ArrowLeft").await;
    wait_for(&page, &shown_question(1), LONG).await;
    // D replaces A: one answer per single-choice question.
    press(&page, "d").await;
    wait_for(&page, &option_selected(1, 3), LONG).await;

    // The navigator, a true/false statement and a typed number, by Tab.
    tab_to(&page, "#navigator .nav-item[data-qid='13']", 60).await;
    assert_focus_visible(&page).await;
    press(&page, "Enter").await;
    wait_for(&page, &shown_question(13), LONG).await;
    tab_to(&page, ".question[data-qid='13'] button.tf", 60).await;
    press(&page, " ").await;
    wait_for(
        &page,
        "!!document.querySelector(\".question[data-qid='13'] .statement.decided\")",
        LONG,
    )
    .await;
    tab_to(&page, "#navigator .nav-item[data-qid='17']", 80).await;
    press(&page, "Enter").await;
    wait_for(&page, &shown_question(17), LONG).await;
    tab_to(&page, ".question[data-qid='17'] input.numeric-answer", 60).await;
    // Letters typed into the box are the answer, not shortcuts.
    insert_text(&page, "5").await;
    press(&page, "Enter").await;
    wait_for(&page, "document.querySelector(\"#navigator .nav-item[data-qid='17']\")?.classList.contains('answered')", LONG).await;
    assert_eq!(
        eval::<usize>(
            &page,
            "document.querySelectorAll('#navigator .nav-item.answered').length"
        )
        .await,
        4
    );
    wait_for(
        &page,
        "document.querySelector('#save-status')?.dataset.state === 'saved'",
        LONG,
    )
    .await;

    // Submitting: the dialog opens on "cancel", so a stray Enter hands in
    // nothing.
    tab_to(&page, "#submit", 80).await;
    press(&page, "Enter").await;
    wait_for(&page, "!!document.querySelector('#submit-dialog')", LONG).await;
    assert!(eval::<bool>(&page, "document.activeElement.id === 'confirm-cancel'").await);
    assert_focus_visible(&page).await;
    press(&page, "Enter").await;
    wait_for(&page, "!document.querySelector('#submit-dialog')", LONG).await;
    assert!(eval::<bool>(&page, "!document.querySelector('#result-mark')").await);
    // Keys do nothing behind the dialog; Escape closes it.
    tab_to(&page, "#submit", 80).await;
    press(&page, "Enter").await;
    wait_for(&page, "!!document.querySelector('#submit-dialog')", LONG).await;
    press(&page, "ArrowRight").await;
    press(&page, "Escape").await;
    wait_for(&page, "!document.querySelector('#submit-dialog')", LONG).await;
    wait_for(&page, &shown_question(17), LONG).await;
    // A deliberate second choice hands in.
    tab_to(&page, "#submit", 80).await;
    press(&page, "Enter").await;
    wait_for(&page, "!!document.querySelector('#submit-dialog')", LONG).await;
    press(&page, "Tab").await;
    assert!(eval::<bool>(&page, "document.activeElement.id === 'confirm-submit'").await);
    // The dialog keeps the focus: Tab goes round its two buttons, never to
    // the paper behind it.
    press(&page, "Tab").await;
    assert!(eval::<bool>(&page, "document.activeElement.id === 'confirm-cancel'").await);
    press(&page, "Shift+Tab").await;
    assert!(eval::<bool>(&page, "document.activeElement.id === 'confirm-submit'").await);
    press(&page, "Enter").await;
    wait_for(&page, "!!document.querySelector('#result-mark')", LONG).await;

    // Every answer reached the relay, none refused: q1 twice, q2, q13, q17
    // and the submit.
    let stored = relay.stored_events(attempt);
    assert_eq!(stored.len(), 6, "{stored:?}");
    assert!(
        stored.iter().all(|(_, refused)| refused.is_none()),
        "{stored:?}"
    );
    chromium.close().await;
}

/// The option at place `position` on question `qid` is shown selected.
fn option_selected(qid: u32, position: usize) -> String {
    format!(
        "document.querySelectorAll(\".question[data-qid='{qid}'] .option\")[{position}]?.classList.contains('selected') ?? false"
    )
}
