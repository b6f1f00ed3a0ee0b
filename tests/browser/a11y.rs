//! The accessibility audit: axe-core (from npm, `tests/a11y/`, installed by
//! `cargo xtask test`) run in headless Chromium against the real relay on
//! the join page, the exam page at every question kind (single choice,
//! true/false statements, a typed number, several answers), the result
//! page, the proctor's sign-in and the central proctor's view. No serious
//! or critical violation is allowed; every audit's full findings are
//! written to `target/e2e/axe-<page>.json` for an auditor to read.

use std::collections::BTreeSet;
use std::time::Duration;

use chromiumoxide::page::Page;
use examgate_shared::exam::{Body, MultiRule, OptionId, Question, QuestionId};
use examgate_tests::browser::{
    Chromium, click, eval, press, require_client, screenshot_dir, type_into, wait_for,
};
use examgate_tests::{PASSWORD, TestRelay, workspace_root};

use crate::e2e::{answer, go_to, join};

const LONG: Duration = Duration::from_secs(30);

/// The question added to the demo paper so every kind is on it.
pub(crate) const MULTI: u32 = 23;

/// Runs axe-core on `page` as it is now; writes the findings to
/// `target/e2e/axe-<name>.json` and returns the serious and critical ones
/// (`rule: help — targets`).
async fn audit(page: &Page, name: &str) -> Vec<String> {
    let axe = workspace_root().join("tests/a11y/node_modules/axe-core/axe.min.js");
    let source = std::fs::read_to_string(&axe).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run `cargo xtask test` (npm ci in tests/a11y)",
            axe.display()
        )
    });
    // Through the DevTools protocol, not a <script>: the page's
    // Content-Security-Policy stays as strict as ever.
    page.evaluate(format!("{source};\ntrue"))
        .await
        .unwrap_or_else(|e| panic!("injecting axe-core into {name}: {e}"));
    let findings: serde_json::Value = eval(
        page,
        "axe.run(document, { resultTypes: ['violations'] }).then((r) => ({\
           url: r.url,\
           passes: r.passes.length,\
           incomplete: r.incomplete.map((v) => v.id),\
           violations: r.violations.map((v) => ({\
             id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,\
             targets: v.nodes.map((n) => n.target.join(' ')),\
           })),\
         }))",
    )
    .await;
    std::fs::write(
        screenshot_dir().join(format!("axe-{name}.json")),
        serde_json::to_string_pretty(&findings).unwrap(),
    )
    .unwrap();
    assert!(
        findings["passes"].as_u64().unwrap_or(0) > 10,
        "{name}: axe checked almost nothing: {findings}"
    );
    findings["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .map(|v| format!("{}: {} — {}", v["id"], v["help"], v["targets"]))
        .collect()
}

/// The demo paper with one several-answers question added.
pub(crate) fn every_kind() -> examgate_shared::exam::Exam {
    let mut exam = examgate_relay::seed::demo_exam();
    exam.questions.push(Question {
        id: QuestionId(MULTI),
        text: "Những số nào sau đây là số nguyên tố?".into(),
        points: exam.questions[0].points,
        body: Body::MultipleResponse {
            options: vec![
                "\\(2\\)".into(),
                "\\(9\\)".into(),
                "\\(11\\)".into(),
                "\\(15\\)".into(),
            ],
            keys: BTreeSet::from([OptionId(0), OptionId(2)]),
            pinned: Vec::new(),
            rule: MultiRule::default(),
        },
        voided: false,
        explanation: None,
    });
    if let Some(last) = exam.sections.last_mut() {
        last.questions.push(QuestionId(MULTI));
    }
    exam
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_a_student_and_a_proctor_see_passes_the_audit() {
    require_client();
    let relay = TestRelay::with_exam(every_kind(), 600_000).await;
    let chromium = Chromium::launch().await;
    let mut serious = Vec::new();

    let student = chromium.new_person(&relay.url("/")).await;
    wait_for(&student, "!!document.querySelector('#join-code')", LONG).await;
    serious.extend(audit(&student, "join").await);

    join(&student, &relay.code(0), "Nguyễn Văn An").await;
    answer(&student, 1, 0).await;
    serious.extend(audit(&student, "exam-single-choice").await);
    for (qid, kind) in [
        (13, "true-false"),
        (17, "numeric"),
        (MULTI, "multiple-response"),
    ] {
        go_to(&student, qid).await;
        serious.extend(audit(&student, &format!("exam-{kind}")).await);
    }
    click(&student, "#submit").await;
    wait_for(&student, "!!document.querySelector('#submit-dialog')", LONG).await;
    serious.extend(audit(&student, "submit-dialog").await);
    // The dialog is modal: a click on its text takes the focus off its
    // buttons, and Shift+Tab from there must not reach the paper behind
    // (the Submit button just before the dialog would be next), which the
    // page makes inert.
    click(&student, "#submit-title").await;
    assert!(eval::<bool>(&student, "document.activeElement === document.body").await);
    press(&student, "Shift+Tab").await;
    let focused: String = eval(
        &student,
        "document.activeElement.closest('.exam-body, .exam-header') ? document.activeElement.outerHTML.slice(0, 120) : ''",
    )
    .await;
    assert!(focused.is_empty(), "behind the dialog: {focused}");
    click(&student, "#confirm-submit").await;
    wait_for(&student, "!!document.querySelector('#result-mark')", LONG).await;
    serious.extend(audit(&student, "result").await);

    let proctor = chromium.new_person(&relay.url("/proctor")).await;
    wait_for(&proctor, "!!document.querySelector('#login-user')", LONG).await;
    serious.extend(audit(&proctor, "proctor-sign-in").await);
    type_into(&proctor, "#login-user", "central").await;
    type_into(&proctor, "#login-pass", PASSWORD).await;
    click(&proctor, "#login-submit").await;
    wait_for(
        &proctor,
        "document.querySelectorAll('.room').length === 3",
        LONG,
    )
    .await;
    serious.extend(audit(&proctor, "proctor-view").await);

    chromium.close().await;
    assert!(
        serious.is_empty(),
        "serious or critical findings:\n{}",
        serious.join("\n")
    );
}
