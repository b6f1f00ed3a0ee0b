//! The question bank in a real browser, end to end: a teacher signs in on
//! `/bank`, previews and imports a Word bank (a picture, a Word equation,
//! keys marked by underline, bold and the answer table), fixes a typo in
//! the editor while the preview follows, builds a paper from a blueprint
//! with its predicted scores and opens it as a practice exam; a student
//! joins with the code in another browser, answers, submits and sees the
//! keys and worked solutions; the teacher's bank then shows what the
//! sitting taught about each question.
//!
//! Needs the client built into `www/pkg/` and Debian's chromium; `cargo
//! xtask test` does both before running this.

use std::time::Duration;

use examgate_bank_formats::docx::build::{DocxBuilder, Style};
use examgate_shared::bank::api::ItemView;
use examgate_shared::exam::Body;
use examgate_shared::office::api::NewAccount;
use examgate_shared::protocol::Role;
use examgate_tests::TestRelay;
use examgate_tests::browser::{
    Chromium, click, csp_violations, eval, fill, pick_file, require_client, screenshot, text_of,
    type_into, wait_for,
};
use examgate_tests::office::{set_up_office, sign_in};

const LONG: Duration = Duration::from_secs(30);
const TEACHER: &str = "gv.toan";

/// A 2×2 red PNG: a real picture the browser decodes.
fn red_png() -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, 2, 2);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&[255, 0, 0].repeat(4)).unwrap();
    writer.finish().unwrap();
    out
}

/// Three questions as a teacher types them in Word: keys by underline,
/// by bold and by the answer table; a picture; an equation; a typo
/// ("phuơng") to fix in the editor; worked solutions.
fn word_bank() -> Vec<u8> {
    let underline = Style {
        underline: true,
        ..Style::default()
    };
    let bold = Style {
        bold: true,
        ..Style::default()
    };
    let fraction =
        "<m:f><m:num><m:r><m:t>1</m:t></m:r></m:num><m:den><m:r><m:t>2</m:t></m:r></m:den></m:f>";
    DocxBuilder::new()
        .paragraph(|p| p.text("Câu 1. Số nghiệm của phuơng trình \\(x^2 = 4\\) là"))
        .paragraph(|p| p.text("A. 0\tB. 1\t").run("C. 2", underline).text("\tD. 3"))
        .paragraph(|p| p.text("Lời giải: \\(x = \\pm 2\\)."))
        .paragraph(|p| p.text("Câu 2. Hình bên là đồ thị của hàm số nào?"))
        .image_png(&red_png())
        .paragraph(|p| p.run("A. \\(y = x^2\\)", bold))
        .paragraph(|p| p.text("B. \\(y = x^3\\)"))
        .paragraph(|p| p.text("C. \\(y = -x^2\\)"))
        .paragraph(|p| p.text("D. \\(y = x\\)"))
        .paragraph(|p| p.text("Lời giải: parabol quay lên."))
        .paragraph(|p| {
            p.text("Câu 3. Tính ")
                .omml(fraction)
                .text(" + ")
                .omml(fraction)
        })
        .paragraph(|p| p.text("A. 0\tB. 1\tC. 2\tD. 3"))
        .paragraph(|p| p.text("Lời giải: hai nửa là một."))
        .paragraph(|p| p.text("----- HẾT -----"))
        .paragraph(|p| p.text("ĐÁP ÁN"))
        .paragraph(|p| p.text("3-B"))
        .build()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_builds_a_practice_exam_from_a_word_bank_and_the_bank_learns() {
    require_client();
    let relay = TestRelay::empty().await;
    let office = set_up_office(&relay).await;
    let slip = office
        .post(
            "/api/office/accounts",
            &NewAccount {
                username: TEACHER.into(),
                display_name: "Cô Lan (Toán)".into(),
                role: Role::Teacher,
                site_id: None,
                room_id: None,
                subject: "Toán".into(),
            },
        )
        .await;
    assert_eq!(slip.status, 200);
    let password = slip.json::<serde_json::Value>()["password"]
        .as_str()
        .unwrap()
        .to_owned();
    let chromium = Chromium::launch().await;

    // The teacher signs in on the bank page.
    let teacher = chromium.new_person(&relay.url("/bank")).await;
    type_into(&teacher, "#login-user", TEACHER).await;
    type_into(&teacher, "#login-pass", &password).await;
    click(&teacher, "#login-submit").await;
    wait_for(&teacher, "!!document.querySelector('#bank-page')", LONG).await;

    // Preview the Word file: three questions, each key convention named,
    // the picture and the equation drawn; nothing stored yet.
    pick_file(&teacher, "#bank-file", "de-kiem-tra.docx", &word_bank()).await;
    type_into(&teacher, "#bank-topic", "Đại số").await;
    click(&teacher, "#bank-preview").await;
    wait_for(
        &teacher,
        "document.querySelector('#bank-report')?.dataset.questions === '3'",
        LONG,
    )
    .await;
    assert!(text_of(&teacher, "#bank-report").await.contains("0 lỗi"));
    let markings: Vec<String> = eval(
        &teacher,
        "[...document.querySelectorAll('#bank-report .marking')].map(m => m.textContent)",
    )
    .await;
    assert_eq!(
        markings,
        ["Đáp án: gạch chân", "Đáp án: in đậm", "Đáp án: bảng đáp án"]
    );
    let drawn: (bool, bool) = eval(
        &teacher,
        "[!!document.querySelector('#bank-report img.q-img[src^=\"data:image/png\"]'), \
          !!document.querySelector('#bank-report math mfrac')]",
    )
    .await;
    assert_eq!(drawn, (true, true), "the picture and the Word equation");
    assert_eq!(
        relay
            .db()
            .query_row(
                "SELECT COUNT(*) FROM bank_items",
                examgate_relay::args![],
                |r| r.get::<i64>(0)
            )
            .unwrap(),
        0
    );

    // Store it; the list shows the three questions.
    click(&teacher, "#bank-commit").await;
    wait_for(
        &teacher,
        "document.querySelector('#bank-report')?.dataset.stored === '3'",
        LONG,
    )
    .await;
    wait_for(
        &teacher,
        "document.querySelectorAll('#bank-list .bank-row').length === 3",
        LONG,
    )
    .await;

    // Search without diacritics finds the typo'd question; fix it in the
    // editor while the preview follows what is typed.
    fill(&teacher, "#bank-q", "so nghiem").await;
    click(&teacher, "#bank-search-go").await;
    wait_for(
        &teacher,
        "document.querySelectorAll('#bank-list .bank-row').length === 1",
        LONG,
    )
    .await;
    click(&teacher, "#bank-list .bank-row .bank-edit").await;
    wait_for(
        &teacher,
        "document.querySelector('#bank-editor')?.dataset.version === '1'",
        LONG,
    )
    .await;
    let fixed = "Số nghiệm của phương trình \\(x^2 = 4\\) là";
    fill(&teacher, "#edit-text", fixed).await;
    wait_for(
        &teacher,
        "document.querySelector('#edit-preview').textContent.includes('phương trình') \
         && !!document.querySelector('#edit-preview math msup')",
        LONG,
    )
    .await;
    type_into(&teacher, "#edit-note", "sửa lỗi chính tả").await;
    click(&teacher, "#edit-save").await;
    wait_for(
        &teacher,
        "document.querySelector('#bank-editor')?.dataset.version === '2'",
        LONG,
    )
    .await;
    assert_eq!(
        eval::<usize>(
            &teacher,
            "document.querySelectorAll('#edit-versions li').length"
        )
        .await,
        2
    );

    // By hand: two questions ticked in the list make a paper of two.
    fill(&teacher, "#bank-q", "").await;
    click(&teacher, "#bank-search-go").await;
    wait_for(
        &teacher,
        "document.querySelectorAll('#bank-list .bank-row').length === 3",
        LONG,
    )
    .await;
    click(&teacher, "#bank-list .bank-row:nth-child(1) .bank-pick").await;
    click(&teacher, "#bank-list .bank-row:nth-child(2) .bank-pick").await;
    click(&teacher, "#bp-predict-picked").await;
    wait_for(
        &teacher,
        "document.querySelector('#bp-expected')?.dataset.chosen === '2'",
        LONG,
    )
    .await;

    // A paper from a blueprint: three single-choice questions of the topic,
    // keys and solutions shown after submitting; predicted, then built and
    // opened as practice.
    fill(&teacher, "#bp-count-0-0", "3").await;
    click(&teacher, "#bp-show-answers").await;
    click(&teacher, "#bp-predict").await;
    wait_for(
        &teacher,
        "document.querySelector('#bp-expected')?.dataset.chosen === '3'",
        LONG,
    )
    .await;
    assert_eq!(
        eval::<usize>(
            &teacher,
            "document.querySelectorAll('#bp-expected .band').length"
        )
        .await,
        10
    );
    // Each band's bar is drawn as long as its share: together, the whole.
    let drawn: f64 = eval(
        &teacher,
        "[...document.querySelectorAll('#bp-expected .band-bar rect')].reduce((sum, r) => sum + Number(r.getAttribute('width')), 0)",
    )
    .await;
    assert!((drawn - 100.0).abs() < 1.5, "bars drawn to {drawn}%");
    // The tick survives the prediction's re-render.
    assert!(
        eval::<bool>(
            &teacher,
            "document.querySelector('#bp-show-answers').checked"
        )
        .await
    );
    click(&teacher, "#bp-build").await;
    wait_for(&teacher, "!!document.querySelector('#bp-built')", LONG).await;
    // The paper on paper: its version and the answer key.
    click(&teacher, "#bp-print").await;
    wait_for(
        &teacher,
        "document.querySelector('#paper-print')?.dataset.versions === '1'",
        LONG,
    )
    .await;
    assert_eq!(
        eval::<usize>(
            &teacher,
            "document.querySelectorAll('#paper-print .print-question').length"
        )
        .await,
        3
    );
    assert_eq!(
        eval::<usize>(
            &teacher,
            "document.querySelectorAll('#paper-print .answer-key td.key').length"
        )
        .await,
        3
    );
    click(&teacher, "#practice-open").await;
    wait_for(&teacher, "!!document.querySelector('#practice-code')", LONG).await;
    let code: String = eval(
        &teacher,
        "document.querySelector('#practice-code').dataset.code",
    )
    .await;
    screenshot(&teacher, "bank-teacher.png").await;

    // The keys, as the bank holds them (for the student's right answers).
    let teacher_api = sign_in(&relay, TEACHER, &password).await;
    let mut keys = std::collections::HashMap::new();
    for id in 1..=3u64 {
        let view: ItemView = teacher_api
            .get(&format!("/api/bank/items/{id}"))
            .await
            .json();
        let Body::SingleChoice { key, .. } = view.item.body else {
            panic!("single choice")
        };
        keys.insert(view.item.text.clone(), key.0);
    }

    // A student joins with the code, answers every question right but one,
    // submits, and sees keys and worked solutions.
    let student = chromium.new_person(&relay.url("/")).await;
    type_into(&student, "#join-code", &code).await;
    type_into(&student, "#join-name", "Trần Thị Bình").await;
    click(&student, "#join-submit").await;
    wait_for(
        &student,
        "!!document.querySelector('#exam .question')",
        LONG,
    )
    .await;
    let qids: Vec<u32> = eval(
        &student,
        "[...document.querySelectorAll('#navigator .nav-item')].map(n => Number(n.dataset.qid))",
    )
    .await;
    assert_eq!(qids.len(), 3);
    let mut wrong_one = true;
    for qid in qids {
        click(&student, &format!("#navigator .nav-item[data-qid='{qid}']")).await;
        wait_for(
            &student,
            &format!("!!document.querySelector(\".question[data-qid='{qid}']\")"),
            LONG,
        )
        .await;
        // Each question starts with its own word ("Số", "Hình", "Tính").
        let shown: String = text_of(
            &student,
            &format!(".question[data-qid='{qid}'] .question-text"),
        )
        .await;
        let key = keys
            .iter()
            .find(|(text, _)| {
                text.split_whitespace()
                    .next()
                    .is_some_and(|w| shown.trim_start().starts_with(w))
            })
            .map(|(_, k)| *k)
            .expect("the question is one of the bank's");
        let choice = if wrong_one { (key + 1) % 4 } else { key };
        wrong_one = false;
        click(
            &student,
            &format!(".question[data-qid='{qid}'] .option[data-option='{choice}']"),
        )
        .await;
        wait_for(
            &student,
            &format!("document.querySelector(\".question[data-qid='{qid}'] .option[data-option='{choice}']\").classList.contains('selected')"),
            LONG,
        )
        .await;
    }
    click(&student, "#submit").await;
    click(&student, "#confirm-submit").await;
    wait_for(&student, "!!document.querySelector('#result-mark')", LONG).await;
    let explained: usize = eval(
        &student,
        "document.querySelectorAll('#result-items .explanation').length",
    )
    .await;
    assert_eq!(explained, 3, "every question's worked solution");
    assert_eq!(
        eval::<usize>(
            &student,
            "document.querySelectorAll('#result-items .key').length"
        )
        .await,
        3
    );
    assert_eq!(
        eval::<usize>(
            &student,
            "document.querySelectorAll('#result-items [data-outcome=correct]').length"
        )
        .await,
        2
    );
    screenshot(&student, "bank-student-result.png").await;

    // Back in the bank: every question now has a sitting behind it.
    fill(&teacher, "#bank-q", "").await;
    click(&teacher, "#bank-search-go").await;
    wait_for(
        &teacher,
        "document.querySelectorAll('#bank-list .bank-row[data-sittings=\"1\"]').length === 3",
        LONG,
    )
    .await;
    click(&teacher, "#bank-list .bank-row .bank-edit").await;
    wait_for(
        &teacher,
        "document.querySelectorAll('#edit-history .stat-row').length === 1",
        LONG,
    )
    .await;
    // The bank's pages (the expected-marks bars included) need no inline
    // style or script: the Content-Security-Policy refused nothing.
    for (who, page) in [("teacher", &teacher), ("student", &student)] {
        assert_eq!(csp_violations(page).await, Vec::<String>::new(), "{who}");
    }
    chromium.close().await;
}
