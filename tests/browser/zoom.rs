//! School PCs: a 1024×768 screen, and a student who zooms to 200 %. Every
//! page a student sees (join, the card room's page, each question kind with
//! its formulas and picture, a proctor's message, the paused screen, the
//! submit dialog, the result) fits the width: nothing to scroll sideways. 200 % on 1024×768 is a 512×384 CSS-pixel viewport at
//! device scale 2, which is how it is emulated (DevTools protocol).

use std::time::Duration;

use chromiumoxide::cdp::browser_protocol::emulation::SetDeviceMetricsOverrideParams;
use chromiumoxide::page::Page;
use examgate_tests::TestRelay;
use examgate_tests::browser::{Chromium, click, eval, require_client, screenshot, wait_for};

use examgate_shared::proctoring::{Action, Target};

use crate::a11y::{MULTI, every_kind};
use crate::e2e::{go_to, join};
use crate::proctor_control::Proctor;

const LONG: Duration = Duration::from_secs(30);

/// The two screens, as (name, CSS width, CSS height, device scale).
const SCREENS: [(&str, u32, u32, f64); 2] = [
    ("1024x768", 1024, 768, 1.0),
    ("1024x768-200pct", 512, 384, 2.0),
];

async fn on_screen(chromium: &Chromium, (width, height, scale): (u32, u32, f64)) -> Page {
    let page = chromium.blank_person().await;
    page.execute(SetDeviceMetricsOverrideParams::new(
        width, height, scale, false,
    ))
    .await
    .unwrap();
    page
}

/// What sticks out to the right of the viewport, if anything: the widest
/// overflow and the element causing it.
async fn sideways_overflow(page: &Page) -> Option<String> {
    let overflow: String = eval(
        page,
        r"(() => {
            const root = document.documentElement;
            if (root.scrollWidth <= root.clientWidth) return '';
            const widest = [...document.querySelectorAll('body *')]
                .filter((e) => e.getBoundingClientRect().right > root.clientWidth + 1)
                .map((e) => `${e.tagName.toLowerCase()}#${e.id}.${[...e.classList].join('.')} right=${Math.round(e.getBoundingClientRect().right)}`);
            return `scrollWidth ${root.scrollWidth} > ${root.clientWidth}: ${widest.slice(0, 5).join(', ')}`;
        })()",
    )
    .await;
    Some(overflow).filter(|o| !o.is_empty())
}

async fn assert_fits(page: &Page, screen: &str, what: &str) {
    if let Some(overflow) = sideways_overflow(page).await {
        screenshot(page, &format!("zoom-{screen}-{what}.png")).await;
        panic!("{screen}, {what}: {overflow}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_small_screen_at_200_percent_never_scrolls_sideways() {
    require_client();
    let relay = TestRelay::with_exam(every_kind(), 600_000).await;
    let chromium = Chromium::launch().await;
    let names = ["Nguyễn Thị Phương Thảo", "Trương Công Định"];
    for ((screen, width, height, scale), name) in SCREENS.into_iter().zip(names) {
        let page = on_screen(&chromium, (width, height, scale)).await;
        page.goto(relay.url("/")).await.unwrap();
        wait_for(&page, "!!document.querySelector('#join-code')", LONG).await;
        assert_fits(&page, screen, "join").await;

        join(&page, &relay.code(0), name).await;
        for qid in [1, 8, 12, 13, 17, MULTI] {
            go_to(&page, qid).await;
            assert_fits(&page, screen, &format!("question-{qid}")).await;
        }
        click(&page, "#submit").await;
        wait_for(&page, "!!document.querySelector('#submit-dialog')", LONG).await;
        assert_fits(&page, screen, "submit-dialog").await;
        click(&page, "#confirm-submit").await;
        wait_for(&page, "!!document.querySelector('#result-mark')", LONG).await;
        assert_fits(&page, screen, "result").await;
    }
    chromium.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_card_room_a_message_and_the_paused_screen_fit_too() {
    require_client();
    let relay = TestRelay::with_exam(every_kind(), 600_000).await;
    let proctor = Proctor::sign_in(&relay).await;
    let chromium = Chromium::launch().await;
    let names = ["Lê Thị Hồng Nhung", "Phạm Quốc Bảo"];
    for ((screen, width, height, scale), name) in SCREENS.into_iter().zip(names) {
        let page = on_screen(&chromium, (width, height, scale)).await;
        page.goto(relay.url("/checkin")).await.unwrap();
        wait_for(&page, "!!document.querySelector('#checkin')", LONG).await;
        assert_fits(&page, screen, "card-room").await;

        page.goto(relay.url("/")).await.unwrap();
        wait_for(&page, "!!document.querySelector('#join-code')", LONG).await;
        join(&page, &relay.code(0), name).await;
        go_to(&page, 12).await;
        let (room_id, row) = proctor.row(name).await;
        let text = "Em hãy ngồi đúng số báo danh ghi trên bàn và tắt điện thoại di động.";
        let target = Target::Candidate {
            candidate_id: row.candidate_id,
        };
        proctor.message(target, text).await;
        wait_for(&page, "!!document.querySelector('#proctor-message')", LONG).await;
        assert_fits(&page, screen, "proctor-message").await;
        click(&page, "#message-seen").await;
        wait_for(&page, "!document.querySelector('#proctor-message')", LONG).await;

        proctor.act(Target::Room { room_id }, Action::Pause).await;
        wait_for(&page, "!!document.querySelector('#paused')", LONG).await;
        assert_fits(&page, screen, "paused").await;
        proctor.act(Target::Room { room_id }, Action::Resume).await;
        wait_for(&page, "!document.querySelector('#paused')", LONG).await;
    }
    chromium.close().await;
}
