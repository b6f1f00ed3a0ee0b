//! The pilot in a real browser: from a relay started for a real exam (no
//! demo) to a verified inspection package. The exam office, in headless
//! Chromium, uses the set-up link, creates three schools with their rooms,
//! uploads the papers, plans two shifts, imports a roster of 221 candidates
//! from an XLSX file, and creates the room proctor and the central proctor;
//! a shift-2 candidate is refused on screen before their shift opens;
//! candidates of shift 1 sit the exam (three in browsers, the rest through
//! the real protocol); the central proctor's view shows all three schools;
//! once shift 2 opens (the next minute but one), its candidates sit it too
//! (the refused one in the same browser); after both shifts the office
//! downloads the XLSX, which the test opens and checks, and the inspection
//! package, which verifies and fails after one byte is changed.
//!
//! Needs the client built into `www/pkg/` and Debian's chromium; `cargo xtask
//! test` does both before running this.

use std::collections::BTreeMap;
use std::time::Duration;

use chromiumoxide::page::Page;
use examgate_relay::handin::package::verify_package;
use examgate_shared::office::api::{RosterRow, vietnam_text};
use examgate_shared::protocol::JoinRequest;
use examgate_tests::browser::{
    Chromium, click, eval, fill, js_str, pick_file, require_client, screenshot, text_of, type_into,
    wait_for,
};
use examgate_tests::office::{Client, SCHOOLS, handin_marks, pupils, roster_xlsx};
use examgate_tests::{StudentWs, TestRelay, now_ms};

const LONG: Duration = Duration::from_secs(30);

/// Sets a `<select>` as a person choosing an option would.
async fn choose(page: &Page, selector: &str, value: &str) {
    wait_for(
        page,
        &format!(
            "!!document.querySelector({s}) && [...document.querySelector({s}).options].some(o => o.value === {v})",
            s = js_str(selector),
            v = js_str(value)
        ),
        LONG,
    )
    .await;
    let _: bool = eval(
        page,
        &format!(
            "(() => {{ const s = document.querySelector({}); s.value = {}; s.dispatchEvent(new Event('change', {{ bubbles: true }})); return true; }})()",
            js_str(selector),
            js_str(value)
        ),
    )
    .await;
}

/// The office's session token, as the page stored it.
async fn session_token(page: &Page) -> String {
    eval(
        page,
        "JSON.parse(sessionStorage.getItem('examgate.proctor')).token",
    )
    .await
}

/// Ids of the listed `li.<class>` in `within`, from `data-<key>`.
async fn listed_ids(page: &Page, within: &str, class: &str, key: &str) -> Vec<String> {
    eval(
        page,
        &format!(
            "[...document.querySelectorAll({})].map(li => li.dataset.{key})",
            js_str(&format!("{within} li.{class}"))
        ),
    )
    .await
}

/// A registered candidate joins by number through the real protocol,
/// picks `choice` on question 1 and submits, and sees the result.
async fn sit_through_the_protocol(relay: &TestRelay, r: &RosterRow, choice: u8) {
    let joined = relay
        .join_with(JoinRequest {
            code: r.join_code.clone().unwrap(),
            name: String::new(),
            resume_token: None,
            seat_code: None,
            candidate_number: r.candidate_number.clone(),
            birth: r.birth.clone(),
        })
        .await
        .unwrap();
    let (mut s, _) = StudentWs::hello(relay, &joined.token, now_ms()).await;
    s.answer(1, 1, choice).await;
    s.submit(2).await;
}

async fn join_in_browser(page: &Page, code: &str, number: &str, birth: &str) {
    type_into(page, "#join-code", code).await;
    type_into(page, "#join-number", number).await;
    type_into(page, "#join-birth", birth).await;
    click(page, "#join-submit").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pilot_from_the_set_up_link_to_a_verified_package() {
    require_client();
    let relay = TestRelay::empty().await;
    let token = relay.setup_token.clone().unwrap();
    let chromium = Chromium::launch().await;

    // The set-up link: the first exam-office account.
    let office = chromium
        .new_person(&relay.url(&format!("/office?setup={token}")))
        .await;
    type_into(&office, "#setup-username", "hoidongthi").await;
    type_into(&office, "#setup-name", "Hội đồng thi Sở GD&ĐT").await;
    type_into(&office, "#setup-password", "mật-khẩu-đủ-dài").await;
    type_into(&office, "#setup-confirm", "mật-khẩu-đủ-dài").await;
    click(&office, "#setup-submit").await;
    wait_for(
        &office,
        "document.querySelector('#office-page')?.dataset.state === 'ready'",
        LONG,
    )
    .await;
    let url: String = eval(&office, "location.href").await;
    assert!(!url.contains("setup="), "the link leaves the address bar");

    // Three schools, two rooms each.
    for (i, school) in SCHOOLS.iter().enumerate() {
        fill(&office, "#site-name", school).await;
        fill(&office, "#site-code", &format!("HT{:02}", i + 1)).await;
        click(&office, "#site-create").await;
        wait_for(
            &office,
            &format!(
                "document.querySelectorAll('#sites li.site').length === {}",
                i + 1
            ),
            LONG,
        )
        .await;
    }
    let sites = listed_ids(&office, "#sites", "site", "siteId").await;
    assert_eq!(sites.len(), 3);
    for site in &sites {
        for (n, room) in ["Phòng 01", "Phòng 02"].iter().enumerate() {
            fill(&office, &format!("#room-name-{site}"), room).await;
            click(&office, &format!("#room-create-{site}")).await;
            wait_for(
                &office,
                &format!(
                    "document.querySelectorAll('#sites li.site[data-site-id=\"{site}\"] .site-room').length === {}",
                    n + 1
                ),
                LONG,
            )
            .await;
        }
    }

    // The papers of the two shifts.
    for (n, id) in ["toan-ca-1", "toan-ca-2"].iter().enumerate() {
        let mut exam = examgate_relay::seed::demo_exam();
        exam.id = id.to_string();
        exam.title = format!("Kiểm tra Toán 12 — đề ca {}", n + 1);
        pick_file(
            &office,
            "#paper-file",
            &format!("{id}.json"),
            &serde_json::to_vec(&exam).unwrap(),
        )
        .await;
        wait_for(
            &office,
            &format!(
                "document.querySelectorAll('#papers li.paper').length === {}",
                n + 1
            ),
            LONG,
        )
        .await;
    }

    // The event and its two shifts: shift 1 opened a minute ago, shift 2
    // opens at the first whole minute at least 30 s from now (shifts are
    // typed to the minute), after its candidates were refused.
    fill(
        &office,
        "#event-name",
        "Kiểm tra giữa kỳ I — Toán 12 (thí điểm)",
    )
    .await;
    fill(&office, "#event-subject", "Toán").await;
    click(&office, "#event-create").await;
    wait_for(
        &office,
        "!!document.querySelector('#events li.event')",
        LONG,
    )
    .await;
    let event = listed_ids(&office, "#events", "event", "eventId").await[0].clone();
    for (n, start) in [now_ms() - 60_000, now_ms() + 30_000 + 59_999]
        .iter()
        .enumerate()
    {
        let text = vietnam_text(*start);
        let (date, time) = text.split_once(' ').unwrap();
        let form = format!("#shift-form-{event}");
        fill(
            &office,
            &format!("{form} [name=name]"),
            &format!("Ca {}", n + 1),
        )
        .await;
        fill(&office, &format!("{form} [name=date]"), date).await;
        fill(&office, &format!("{form} [name=start]"), time).await;
        fill(&office, &format!("{form} [name=minutes]"), "45").await;
        choose(
            &office,
            &format!("{form} [name=exam_id]"),
            &format!("toan-ca-{}", n + 1),
        )
        .await;
        click(&office, &format!("#shift-create-{event}")).await;
        wait_for(
            &office,
            &format!(
                "document.querySelectorAll('#events li.shift').length === {}",
                n + 1
            ),
            LONG,
        )
        .await;
    }

    // The roster: 221 candidates from a CSDL-shaped XLSX export. Preview,
    // then import.
    let roster = pupils(221);
    choose(&office, "#roster-event", &event).await;
    pick_file(
        &office,
        "#roster-file",
        "danh-sach.xlsx",
        &roster_xlsx(&roster),
    )
    .await;
    click(&office, "#roster-preview-btn").await;
    wait_for(&office, "!!document.querySelector('#roster-preview')", LONG).await;
    let (candidates, errors): (String, String) = eval(
        &office,
        "(() => { const p = document.querySelector('#roster-preview').dataset; return [p.candidates, p.errors]; })()",
    )
    .await;
    assert_eq!((candidates.as_str(), errors.as_str()), ("221", "0"));
    let dropped = text_of(&office, "#roster-dropped").await;
    assert!(dropped.contains("Dân tộc"), "{dropped}");
    screenshot(&office, "office-roster-preview.png").await;
    click(&office, "#roster-commit").await;
    wait_for(&office, "!!document.querySelector('#roster-result')", LONG).await;

    let office_api = Client::new(&relay, Some(&session_token(&office).await));
    let rows: Vec<RosterRow> = office_api
        .get(&format!("/api/office/events/{event}/roster"))
        .await
        .json();
    assert_eq!(rows.len(), 221);
    let shift1: Vec<&RosterRow> = rows.iter().filter(|r| r.shift == "Ca 1").collect();
    let shift2: Vec<&RosterRow> = rows.iter().filter(|r| r.shift == "Ca 2").collect();

    // A shift-2 candidate is refused on screen: their shift has not opened.
    // (This page waits a minute or more for shift 2: Chromium stops its
    // idle service worker meanwhile, and one restarted under the test
    // driver's auto-attach would stay paused, holding the join's fetch.)
    let early = chromium
        .new_person_with_service_worker(&relay.url("/"))
        .await;
    let r = shift2[0];
    join_in_browser(
        &early,
        r.join_code.as_deref().unwrap(),
        r.candidate_number.as_deref().unwrap(),
        r.birth.as_deref().unwrap(),
    )
    .await;
    wait_for(
        &early,
        "document.querySelector('#join-error')?.dataset.code === 'exam_not_open'",
        LONG,
    )
    .await;
    // …and with shift 1's code of the same room, not registered there.
    let same_room = shift1.iter().find(|o| o.room_id == r.room_id).unwrap();
    fill(
        &early,
        "#join-code",
        same_room.join_code.as_deref().unwrap(),
    )
    .await;
    click(&early, "#join-submit").await;
    wait_for(
        &early,
        "document.querySelector('#join-error')?.dataset.code === 'not_on_roster'",
        LONG,
    )
    .await;

    // The room proctor of one room and the central proctor, with slips.
    let plan = office_api.plan().await;
    let first_site = plan.sites[0].id.to_string();
    let first_room = plan.sites[0].rooms[0].id.to_string();
    for (user, role, room) in [
        ("gt.p01", "room_proctor", Some(first_room.as_str())),
        ("trungtam", "central_proctor", None),
    ] {
        fill(&office, "#account-username", user).await;
        fill(&office, "#account-name", &format!("Cán bộ {user}")).await;
        choose(&office, "#account-role", role).await;
        match room {
            Some(room) => {
                choose(&office, "#account-site", &first_site).await;
                choose(&office, "#account-room", room).await;
            }
            // The whole exam: no site, no room.
            None => {
                choose(&office, "#account-site", "").await;
                choose(&office, "#account-room", "").await;
            }
        }
        click(&office, "#account-create").await;
        wait_for(
            &office,
            &format!("!!document.querySelector('#account-list li[data-username=\"{user}\"]')"),
            LONG,
        )
        .await;
    }
    wait_for(
        &office,
        "document.querySelector('#account-slips')?.dataset.count === '2'",
        LONG,
    )
    .await;
    let slips = text_of(&office, "#account-slips").await;
    assert!(
        slips.contains("gt.p01") && slips.contains("trungtam"),
        "{slips}"
    );
    // The printed slip carries the password: sign in with it.
    let central_password: String = eval(
        &office,
        "document.querySelector('#account-slips .slip[data-username=\"trungtam\"] .slip-password').innerText.trim()",
    )
    .await;
    screenshot(&office, "office-page.png").await;

    // A room made a card room from the page, and back: the relay keeps it
    // and the page says so each time.
    let code: String = eval(
        &office,
        "document.querySelector('#events .join-code-row').dataset.code",
    )
    .await;
    let row = format!("#events .join-code-row[data-code={}]", js_str(&code));
    let stored = |relay: &TestRelay| -> bool {
        relay
            .db()
            .query_row(
                "SELECT requires_card FROM join_codes WHERE code = ?1",
                examgate_relay::args![&code],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert!(!stored(&relay));
    click(&office, &format!("{row} .card-room-toggle")).await;
    wait_for(
        &office,
        &format!(
            "!!document.querySelector({})",
            js_str(&format!("{row} .badge"))
        ),
        LONG,
    )
    .await;
    assert!(stored(&relay));
    click(&office, &format!("{row} .card-room-toggle")).await;
    wait_for(
        &office,
        &format!(
            "!document.querySelector({})",
            js_str(&format!("{row} .badge"))
        ),
        LONG,
    )
    .await;
    assert!(!stored(&relay));

    // "Công bố kết quả" asks first: cancelled, nothing is sent; confirmed
    // while shift 1 is still open, the relay refuses and the page says
    // why under the event. (Publishing itself: tests/relay/publish.rs.)
    let publish = format!("#publish-{event}");
    let published = |relay: &TestRelay| -> Option<i64> {
        relay
            .db()
            .query_row(
                "SELECT published_at FROM exam_events WHERE id = ?1",
                examgate_relay::args![event.parse::<i64>().unwrap()],
                |r| r.get(0),
            )
            .unwrap()
    };
    let status = format!("#shift-status-{event}");
    let before = text_of(&office, &status).await;
    let _: bool = eval(&office, "(window.confirm = () => false, true)").await;
    click(&office, &publish).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(text_of(&office, &status).await, before, "cancelled");
    let _: bool = eval(&office, "(window.confirm = () => true, true)").await;
    click(&office, &publish).await;
    wait_for(
        &office,
        &format!(
            "(document.querySelector({}) || {{innerText: ''}}).innerText.includes('still open')",
            js_str(&status)
        ),
        LONG,
    )
    .await;
    assert_eq!(published(&relay), None);

    // The central proctor sees all three schools.
    let central = chromium.new_person(&relay.url("/proctor")).await;
    type_into(&central, "#login-user", "trungtam").await;
    type_into(&central, "#login-pass", &central_password).await;
    click(&central, "#login-submit").await;
    wait_for(
        &central,
        &format!(
            "[{}].every(s => document.body.innerText.includes(s))",
            SCHOOLS.map(js_str).join(",")
        ),
        LONG,
    )
    .await;

    // Shift 1: three candidates in browsers, twenty through the protocol.
    let mut expected: BTreeMap<String, f64> = BTreeMap::new();
    let mut students = Vec::new();
    for r in shift1.iter().take(3) {
        let page = chromium.new_person(&relay.url("/")).await;
        join_in_browser(
            &page,
            r.join_code.as_deref().unwrap(),
            r.candidate_number.as_deref().unwrap(),
            r.birth.as_deref().unwrap(),
        )
        .await;
        wait_for(&page, "!!document.querySelector('#exam .question')", LONG).await;
        click(&page, "#navigator .nav-item[data-qid='1']").await;
        click(&page, ".question[data-qid='1'] .option[data-option='0']").await;
        wait_for(
            &page,
            "document.querySelector(\".question[data-qid='1'] .option[data-option='0']\").classList.contains('selected')",
            LONG,
        )
        .await;
        click(&page, "#submit").await;
        click(&page, "#confirm-submit").await;
        wait_for(&page, "!!document.querySelector('#result-mark')", LONG).await;
        assert_eq!(text_of(&page, "#result-mark").await.trim(), "0.3");
        expected.insert(r.candidate_number.clone().unwrap(), 0.3);
        students.push(page);
    }
    for (i, r) in shift1.iter().skip(3).take(20).enumerate() {
        sit_through_the_protocol(&relay, r, (i % 2) as u8).await;
        expected.insert(
            r.candidate_number.clone().unwrap(),
            if i % 2 == 0 { 0.3 } else { 0.0 },
        );
    }
    screenshot(&central, "office-central-view.png").await;

    // Shift 2 opens: the candidate refused before joins in the same
    // browser, ten more through the protocol.
    let opens = office_api.plan().await.events[0].shifts[1].opens_at;
    tokio::time::sleep(Duration::from_millis(
        (opens - now_ms()).max(0) as u64 + 300,
    ))
    .await;
    fill(&early, "#join-code", r.join_code.as_deref().unwrap()).await;
    click(&early, "#join-submit").await;
    wait_for(&early, "!!document.querySelector('#exam .question')", LONG).await;
    click(&early, "#navigator .nav-item[data-qid='1']").await;
    click(&early, ".question[data-qid='1'] .option[data-option='0']").await;
    wait_for(
        &early,
        "document.querySelector(\".question[data-qid='1'] .option[data-option='0']\").classList.contains('selected')",
        LONG,
    )
    .await;
    click(&early, "#submit").await;
    click(&early, "#confirm-submit").await;
    wait_for(&early, "!!document.querySelector('#result-mark')", LONG).await;
    assert_eq!(text_of(&early, "#result-mark").await.trim(), "0.3");
    expected.insert(r.candidate_number.clone().unwrap(), 0.3);
    for (i, r) in shift2.iter().skip(1).take(10).enumerate() {
        sit_through_the_protocol(&relay, r, (i % 2) as u8).await;
        expected.insert(
            r.candidate_number.clone().unwrap(),
            if i % 2 == 0 { 0.3 } else { 0.0 },
        );
    }

    // The office downloads the hand-in workbook; the test opens it.
    click(&office, &format!("#download-xlsx-{event}")).await;
    wait_for(
        &office,
        &format!("document.querySelector('#download-status-{event}')?.dataset.state === 'done'"),
        LONG,
    )
    .await;
    let xlsx = office_api
        .get(&format!("/api/office/events/{event}/results.xlsx"))
        .await;
    assert_eq!(xlsx.status, 200);
    let (names, listed) = handin_marks(&xlsx.body);
    assert_eq!(names[0], "Tổng hợp");
    // Three schools × two rooms × two shifts.
    assert_eq!(names.len(), 1 + 12, "{names:?}");
    let marks: BTreeMap<String, f64> = listed
        .iter()
        .filter_map(|(n, m)| m.map(|m| (n.clone(), m)))
        .collect();
    assert_eq!(listed.len(), 221, "every registered candidate is listed");
    assert_eq!(marks, expected);

    // The inspection package verifies; one byte changed and it does not.
    click(&office, &format!("#download-package-{event}")).await;
    let package = office_api
        .get(&format!("/api/office/events/{event}/inspection.zip"))
        .await;
    assert_eq!(package.status, 200);
    verify_package(&package.body).expect("the package verifies");
    let mut altered = package.body.clone();
    let at = altered.len() / 3;
    altered[at] ^= 0x20;
    assert!(verify_package(&altered).is_err());
    chromium.close().await;
}
