//! Proctors in control, seen from the student's page in headless Chromium
//! against the real relay: extra time moves the countdown at once, a room
//! pause shows the paused screen and takes no answers (and a resume takes
//! them again), a proctor's message is shown and its "Đã đọc" reaches the
//! relay, and what the page reports (hidden page, paste into a numeric
//! answer, reload) lands on the candidate's record.
//!
//! The proctor side is driven through the relay's HTTP API
//! (`/api/proctor/*`) with a room proctor's session. Needs the client built
//! into `www/pkg/` and Debian's chromium; `cargo xtask test` does both.

use std::time::{Duration, Instant};

use crate::e2e::{attempt_id, go_to};
use chromiumoxide::page::Page;
use examgate_shared::exam::QuestionId;
use examgate_shared::integrity::Signal;
use examgate_shared::proctoring::{
    Action, ActionRequest, ActionResponse, CandidateDetail, MessageRequest, SentMessage, Target,
    TimelineEvent,
};
use examgate_shared::protocol::RelayToProctor;
use examgate_shared::roster::CandidateRow;
use examgate_tests::browser::{
    Chromium, click, eval, require_client, screenshot, text_of, type_into, wait_for,
};
use examgate_tests::{ProctorWs, TestRelay};
use serde::Serialize;
use serde::de::DeserializeOwned;

const LONG: Duration = Duration::from_secs(30);
/// Long enough that nothing in these tests meets the deadline.
const HALF_HOUR_MS: i64 = 30 * 60_000;
const STUDENT: &str = "Nguyễn Văn An";

/// The room proctor of room 1 (the room of `relay.code(0)`), through the
/// relay's HTTP API.
pub(crate) struct Proctor<'a> {
    relay: &'a TestRelay,
    token: String,
    http: reqwest::Client,
}

impl<'a> Proctor<'a> {
    pub(crate) async fn sign_in(relay: &'a TestRelay) -> Proctor<'a> {
        let token = relay.login("phong01").await.token;
        Proctor {
            relay,
            token,
            http: reqwest::Client::new(),
        }
    }

    async fn post<B: Serialize, R: DeserializeOwned>(&self, path: &str, body: &B) -> R {
        let resp = self
            .http
            .post(self.relay.url(path))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        assert_eq!(status, 200, "POST {path}: {text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("POST {path}: {e}: {text}"))
    }

    pub(crate) async fn act(&self, target: Target, action: Action) -> ActionResponse {
        let reason = format!("kiểm thử: {}", action.name());
        self.post(
            "/api/proctor/actions",
            &ActionRequest {
                target,
                action,
                reason,
            },
        )
        .await
    }

    pub(crate) async fn message(&self, target: Target, text: &str) -> Vec<SentMessage> {
        self.post(
            "/api/proctor/messages",
            &MessageRequest {
                target,
                text: text.into(),
            },
        )
        .await
    }

    async fn candidate(&self, id: u64) -> CandidateDetail {
        let resp = self
            .http
            .get(self.relay.url(&format!("/api/proctor/candidates/{id}")))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        resp.json().await.unwrap()
    }

    /// The student's row as the proctor feed's snapshot has it, with its
    /// room.
    pub(crate) async fn row(&self, name: &str) -> (u64, CandidateRow) {
        let (_feed, snapshot) = ProctorWs::connect(self.relay, &self.token).await;
        let RelayToProctor::Snapshot { rooms, .. } = snapshot else {
            panic!("the feed starts with a snapshot: {snapshot:?}")
        };
        rooms
            .into_iter()
            .find_map(|room| {
                let id = room.room_id;
                room.rows
                    .into_iter()
                    .find(|r| r.name == name)
                    .map(|r| (id, r))
            })
            .unwrap_or_else(|| panic!("{name} is not in the proctor's rooms"))
    }

    /// Polls the candidate's record until `ok` holds.
    async fn wait_record(&self, id: u64, what: &str, ok: impl Fn(&CandidateDetail) -> bool) {
        let start = Instant::now();
        loop {
            let detail = self.candidate(id).await;
            if ok(&detail) {
                return;
            }
            assert!(
                start.elapsed() < LONG,
                "timed out waiting for {what}: {detail:#?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

async fn join(page: &Page, code: &str, name: &str) {
    type_into(page, "#join-code", code).await;
    type_into(page, "#join-name", name).await;
    click(page, "#join-submit").await;
    wait_for(page, "!!document.querySelector('#exam .question')", LONG).await;
    wait_saved(page).await;
}

async fn wait_saved(page: &Page) {
    wait_for(
        page,
        "document.querySelector('#save-status')?.dataset.state === 'saved'",
        LONG,
    )
    .await;
}

fn option(qid: u32, option: u8) -> String {
    format!(".question[data-qid='{qid}'] .option[data-option='{option}']")
}

async fn is_selected(page: &Page, selector: &str) -> bool {
    eval(
        page,
        &format!("document.querySelector(\"{selector}\").classList.contains('selected')"),
    )
    .await
}

async fn remaining_ms(page: &Page, selector: &str) -> i64 {
    let ms: f64 = eval(
        page,
        &format!("Number(document.querySelector('{selector}').dataset.remainingMs)"),
    )
    .await;
    ms as i64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extra_time_moves_the_students_countdown_at_once() {
    require_client();
    let relay = TestRelay::with_duration(HALF_HOUR_MS, 500).await;
    let proctor = Proctor::sign_in(&relay).await;
    let chromium = Chromium::launch().await;
    let page = chromium.new_person(&relay.url("/")).await;
    join(&page, &relay.code(0), STUDENT).await;
    let (_, row) = proctor.row(STUDENT).await;

    let before = remaining_ms(&page, "#countdown").await;
    let asked = Instant::now();
    let done = proctor
        .act(
            Target::Candidate {
                candidate_id: row.candidate_id,
            },
            Action::ExtraTime { minutes: 10 },
        )
        .await;
    assert_eq!(done.applied, 1, "{done:?}");
    wait_for(
        &page,
        "document.querySelector('#control-notice')?.dataset.control === 'extra_time'",
        LONG,
    )
    .await;
    let after = remaining_ms(&page, "#countdown").await;
    let waited = asked.elapsed().as_millis() as i64;
    // Ten minutes more, less the time it took to get here (and the
    // countdown's quarter-second steps).
    let moved = after - before;
    assert!(
        (10 * 60_000 - waited - 1_500..=10 * 60_000 + 1_500).contains(&moved),
        "the countdown moved by {moved} ms in {waited} ms"
    );
    assert!(
        text_of(&page, "#control-notice")
            .await
            .contains("Giám thị đã cộng thêm 10 phút"),
        "the notice says so"
    );
    let extra: String = eval(
        &page,
        "document.querySelector('#extra-time')?.dataset.extraMs ?? ''",
    )
    .await;
    assert_eq!(extra, "600000");
    screenshot(&page, "extra-time.png").await;

    // In English too.
    click(&page, "#lang-toggle").await;
    wait_for(
        &page,
        "document.querySelector('#control-notice')?.innerText.includes('The proctor added 10 minutes')",
        LONG,
    )
    .await;
    // A reload keeps the new deadline: it is the relay's.
    page.reload().await.unwrap();
    wait_for(&page, "!!document.querySelector('#exam .question')", LONG).await;
    wait_for(
        &page,
        "document.querySelector('#extra-time')?.dataset.extraMs === '600000'",
        LONG,
    )
    .await;
    assert!(remaining_ms(&page, "#countdown").await > HALF_HOUR_MS);
    chromium.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_room_pause_shows_the_paused_screen_and_takes_no_answers() {
    require_client();
    let relay = TestRelay::with_duration(HALF_HOUR_MS, 500).await;
    let proctor = Proctor::sign_in(&relay).await;
    let chromium = Chromium::launch().await;
    let page = chromium.new_person(&relay.url("/")).await;
    join(&page, &relay.code(0), STUDENT).await;
    let attempt = attempt_id(&page).await;
    go_to(&page, 1).await;
    click(&page, &option(1, 0)).await;
    wait_saved(&page).await;
    go_to(&page, 2).await;
    let (room_id, row) = proctor.row(STUDENT).await;
    assert_eq!(row.answered, 1);

    let paused = proctor.act(Target::Room { room_id }, Action::Pause).await;
    assert_eq!(paused.applied, 1, "{paused:?}");
    wait_for(&page, "!!document.querySelector('#paused')", LONG).await;
    assert!(
        text_of(&page, "#paused")
            .await
            .contains("Bài thi đang tạm dừng"),
        "the paused screen says so"
    );
    let frozen = remaining_ms(&page, "#paused-remaining").await;
    screenshot(&page, "paused.png").await;

    // The student tries to answer question 2: the options are disabled
    // under the paused screen, which is what a click lands on.
    let disabled: bool = eval(
        &page,
        &format!("document.querySelector(\"{}\").disabled", option(2, 1)),
    )
    .await;
    assert!(disabled, "the options take no clicks while paused");
    let _ = page
        .find_element(&option(2, 1))
        .await
        .unwrap()
        .click()
        .await;
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert!(!is_selected(&page, &option(2, 1)).await, "no answer taken");
    assert_eq!(
        remaining_ms(&page, "#paused-remaining").await,
        frozen,
        "the clock stands still"
    );
    assert_eq!(relay.stored_events(attempt), vec![(1, None)]);
    let (_, row) = proctor.row(STUDENT).await;
    assert_eq!(row.answered, 1, "the proctor's row has the same count");

    // Resumed: the paper is back, the deadline moved by the pause, and an
    // answer is taken and acknowledged.
    let resumed = proctor.act(Target::Room { room_id }, Action::Resume).await;
    assert_eq!(resumed.applied, 1, "{resumed:?}");
    wait_for(&page, "!document.querySelector('#paused')", LONG).await;
    let after = remaining_ms(&page, "#countdown").await;
    // The page counts from its estimate of the relay's clock, good to a
    // few milliseconds either way (half the round trip of its sync).
    assert!(
        (frozen - 2_000..=frozen + 250).contains(&after),
        "counting on from {frozen}: {after}"
    );
    click(&page, &option(2, 1)).await;
    wait_for(
        &page,
        &format!(
            "document.querySelector(\"{}\").classList.contains('selected')",
            option(2, 1)
        ),
        LONG,
    )
    .await;
    wait_saved(&page).await;
    assert_eq!(relay.stored_events(attempt), vec![(1, None), (2, None)]);
    let (_, row) = proctor.row(STUDENT).await;
    assert_eq!(row.answered, 2);
    chromium.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proctors_message_is_shown_and_its_reading_reaches_the_relay() {
    require_client();
    let relay = TestRelay::with_duration(HALF_HOUR_MS, 500).await;
    let proctor = Proctor::sign_in(&relay).await;
    let chromium = Chromium::launch().await;
    let page = chromium.new_person(&relay.url("/")).await;
    join(&page, &relay.code(0), STUDENT).await;
    let (room_id, row) = proctor.row(STUDENT).await;
    let candidate_id = row.candidate_id;

    let text = "Em hãy tắt điện thoại và để lên bàn giám thị.";
    let sent = proctor
        .message(Target::Candidate { candidate_id }, text)
        .await;
    assert_eq!(sent.len(), 1);
    let id = sent[0].id;
    wait_for(
        &page,
        &format!("document.querySelector('#proctor-message')?.dataset.message === '{id}'"),
        LONG,
    )
    .await;
    assert_eq!(text_of(&page, "#message-text").await.trim(), text);
    screenshot(&page, "proctor-message.png").await;
    click(&page, "#message-seen").await;
    wait_for(&page, "!document.querySelector('#proctor-message')", LONG).await;
    let seen = |detail: &CandidateDetail, wanted: &str| {
        detail.timeline.iter().any(
            |e| matches!(&e.event, TimelineEvent::Message { text, seen: true } if text == wanted),
        )
    };
    proctor
        .wait_record(candidate_id, "the receipt", |d| seen(d, text))
        .await;

    // A message to the room, sent while the page reloads, is shown from
    // the welcome and read there.
    let room_text = "Còn 15 phút làm bài.";
    page.reload().await.unwrap();
    let sent = proctor.message(Target::Room { room_id }, room_text).await;
    assert!(!sent.is_empty());
    wait_for(
        &page,
        "document.querySelector('#message-text')?.innerText.includes('Còn 15 phút')",
        LONG,
    )
    .await;
    page.reload().await.unwrap();
    wait_for(
        &page,
        "document.querySelector('#message-text')?.innerText.includes('Còn 15 phút')",
        LONG,
    )
    .await;
    click(&page, "#message-seen").await;
    wait_for(&page, "!document.querySelector('#proctor-message')", LONG).await;
    proctor
        .wait_record(candidate_id, "the room message's receipt", |d| {
            seen(d, room_text)
        })
        .await;
    page.reload().await.unwrap();
    wait_for(&page, "!!document.querySelector('#exam .question')", LONG).await;
    wait_saved(&page).await;
    assert!(
        eval::<bool>(&page, "!document.querySelector('#proctor-message')").await,
        "a read message does not come back"
    );
    chromium.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_the_page_reports_lands_on_the_candidates_record() {
    require_client();
    let relay = TestRelay::with_duration(HALF_HOUR_MS, 500).await;
    let proctor = Proctor::sign_in(&relay).await;
    let chromium = Chromium::launch().await;
    let page = chromium.new_person(&relay.url("/")).await;
    join(&page, &relay.code(0), STUDENT).await;
    let (_, row) = proctor.row(STUDENT).await;
    let id = row.candidate_id;

    // The page hidden for a while (another tab), as the browser reports it.
    let _: bool = eval(
        &page,
        "(() => { const set = (h) => { Object.defineProperty(document, 'hidden', {configurable: true, get: () => h});
            document.dispatchEvent(new Event('visibilitychange')); };
            set(true); setTimeout(() => set(false), 1200); return true; })()",
    )
    .await;
    proctor
        .wait_record(id, "the hidden page and how long", |d| {
            let hidden: Vec<&Signal> = d
                .warnings
                .iter()
                .map(|w| &w.signal)
                .filter(|s| matches!(s, Signal::TabHidden { .. }))
                .collect();
            hidden.iter().any(|s| **s == Signal::TabHidden { ms: None })
                && hidden
                    .iter()
                    .any(|s| matches!(s, Signal::TabHidden { ms: Some(ms) } if *ms >= 1_000))
        })
        .await;

    // A paste into a numeric answer (question 17), but not into a choice.
    go_to(&page, 17).await;
    let _: bool = eval(
        &page,
        "(document.querySelector('#numeric-answer-17').dispatchEvent(new Event('paste', {bubbles: true})), true)",
    )
    .await;
    proctor
        .wait_record(id, "the paste", |d| {
            d.warnings.iter().any(|w| {
                w.signal
                    == Signal::PasteIntoNumeric {
                        question: QuestionId(17),
                    }
            })
        })
        .await;

    // A reload mid-attempt, reported once.
    page.reload().await.unwrap();
    wait_for(&page, "!!document.querySelector('#exam .question')", LONG).await;
    proctor
        .wait_record(id, "the reload", |d| {
            d.warnings.iter().any(|w| w.signal == Signal::Reloaded)
        })
        .await;
    let reloads = proctor
        .candidate(id)
        .await
        .warnings
        .iter()
        .filter(|w| w.signal == Signal::Reloaded)
        .count();
    assert_eq!(reloads, 1);
    chromium.close().await;
}
