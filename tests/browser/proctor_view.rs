//! The proctor's view in headless Chromium against the real relay: a
//! student who leaves the exam page shows up as a warning on the row; the
//! central proctor narrows many rooms to the one with a warning and opens
//! it; a row action with a reason is applied and its audit entry is in the
//! candidate's timeline; incidents and messages appear in the room's log.
//!
//! Needs the client built into `www/pkg/` (`cargo xtask build`) and
//! Debian's chromium.

use std::time::Duration;

use chromiumoxide::cdp::browser_protocol::target::{
    ActivateTargetParams, CreateTargetParams, GetTargetInfoParams,
};
use chromiumoxide::page::Page;
use examgate_shared::integrity::Signal;
use examgate_shared::office::api::{NewRoom, NewSite};
use examgate_shared::protocol::{RelayToStudent, StudentToRelay};
use examgate_tests::browser::{
    Chromium, click, eval, fill, js_str, require_client, screenshot, text_of, type_into, wait_for,
};
use examgate_tests::office::sign_in as office_sign_in;
use examgate_tests::{PASSWORD, StudentWs, TestRelay, now_ms};

const LONG: Duration = Duration::from_secs(30);

async fn proctor_page(chromium: &Chromium, relay: &TestRelay, user: &str) -> Page {
    let page = chromium.new_person(&relay.url("/proctor")).await;
    type_into(&page, "#login-user", user).await;
    type_into(&page, "#login-pass", PASSWORD).await;
    click(&page, "#login-submit").await;
    wait_for(
        &page,
        "document.querySelector('#conn-status')?.dataset.state === 'live'",
        LONG,
    )
    .await;
    page
}

/// A JS expression: the proctor row of the candidate named `name`.
fn row_js(name: &str) -> String {
    format!(
        "[...document.querySelectorAll('tr.candidate')].find(r => r.querySelector('.candidate-name')?.innerText.includes({}))",
        js_str(name)
    )
}

/// The candidate id on `name`'s row.
async fn candidate_id(page: &Page, name: &str) -> u64 {
    wait_for(page, &format!("!!{}", row_js(name)), LONG).await;
    eval::<String>(page, &format!("{}.dataset.candidateId", row_js(name)))
        .await
        .parse()
        .unwrap()
}

/// A student joined over the protocol, hello said (attempt working).
async fn student_working(relay: &TestRelay, room: usize, name: &str) -> StudentWs {
    let joined = relay.join(&relay.code(room), name).await.unwrap();
    StudentWs::hello(relay, &joined.token, now_ms()).await.0
}

/// Hides the student's tab the way a person does: another tab of the same
/// window comes to the front (CDP `Target.createTarget`), and after a
/// moment the exam's tab is brought back (`Target.activateTarget`).
/// Headless Chromium hides and shows a background tab as a desktop one
/// does, so the page sees a real `visibilitychange` both times.
async fn switch_away_and_back(chromium: &Chromium, student: &Page) {
    let info = student
        .execute(
            GetTargetInfoParams::builder()
                .target_id(student.target_id().clone())
                .build(),
        )
        .await
        .unwrap();
    let context = info.result.target_info.browser_context_id.clone().unwrap();
    let other = chromium
        .browser
        .new_page(
            CreateTargetParams::builder()
                .url("about:blank")
                .browser_context_id(context)
                .new_window(false)
                .background(false)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    other
        .execute(ActivateTargetParams::new(other.target_id().clone()))
        .await
        .unwrap();
    wait_for(student, "document.hidden", LONG).await;
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    student
        .execute(ActivateTargetParams::new(student.target_id().clone()))
        .await
        .unwrap();
    let _ = other.close().await;
    wait_for(student, "!document.hidden", LONG).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_student_who_leaves_the_exam_page_shows_a_warning_on_the_proctors_row() {
    require_client();
    let relay = TestRelay::with_duration(600_000, 500).await;
    let chromium = Chromium::launch().await;
    let proctor = proctor_page(&chromium, &relay, "phong01").await;

    let student = chromium.new_person(&relay.url("/")).await;
    type_into(&student, "#join-code", &relay.code(0)).await;
    type_into(&student, "#join-name", "Nguyễn Văn An").await;
    click(&student, "#join-submit").await;
    wait_for(
        &student,
        "!!document.querySelector('#exam .question')",
        LONG,
    )
    .await;
    let row = row_js("Nguyễn Văn An");
    wait_for(
        &proctor,
        &format!("{row}?.dataset.status === 'working' && {row}.dataset.warnings === '0'"),
        LONG,
    )
    .await;

    switch_away_and_back(&chromium, &student).await;
    // The row: the warning's count, and its kind and time on the badge.
    wait_for(
        &proctor,
        &format!(
            "Number({row}?.dataset.warnings) >= 1 && !!{row}.querySelector('.warnings-badge')"
        ),
        LONG,
    )
    .await;
    let badge = text_of(&proctor, "tr.candidate .warnings-badge").await;
    assert!(badge.contains(':'), "the warning's time: {badge}");
    // The detail: the warning with how long the page was away, once the
    // page has reported coming back (that report is not a second warning).
    let warnings: String = eval(&proctor, &format!("{row}.dataset.warnings")).await;
    click(&proctor, "tr.candidate.warned .candidate-name").await;
    wait_for(
        &proctor,
        "!!document.querySelector(\"#candidate-detail .warning-item[data-kind='tab_hidden']\")
            && [...document.querySelectorAll('#candidate-detail .timeline-entry[data-kind=warning]')].some(e => /Rời trang thi \\d+ giây/.test(e.innerText))",
        LONG,
    )
    .await;
    assert_eq!(
        eval::<String>(&proctor, &format!("{row}.dataset.warnings")).await,
        warnings,
        "coming back is not another warning"
    );
    screenshot(&proctor, "proctor-warning.png").await;
    chromium.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_central_proctor_narrows_many_rooms_to_the_one_with_a_warning() {
    require_client();
    let relay = TestRelay::with_duration(600_000, 500).await;
    // Two more schools of four rooms: eleven rooms, too many to open at
    // once, so the central view starts with summaries only.
    let office = office_sign_in(&relay, "hoidong", PASSWORD).await;
    let mut school = 0;
    for s in 1..=2 {
        school = office
            .create(
                "/api/office/sites",
                &NewSite {
                    name: format!("THCS Số {s}"),
                    code: String::new(),
                },
            )
            .await;
        for r in 1..=4 {
            office
                .create(
                    "/api/office/rooms",
                    &NewRoom {
                        site_id: school,
                        name: format!("Phòng {s}.{r}"),
                        seats: 24,
                    },
                )
                .await;
        }
    }
    let chromium = Chromium::launch().await;
    let central = proctor_page(&chromium, &relay, "central").await;
    wait_for(
        &central,
        "document.querySelectorAll('#room-summaries tr.room-summary').length === 11",
        LONG,
    )
    .await;
    assert_eq!(
        eval::<u32>(&central, "document.querySelectorAll('.room').length").await,
        0,
        "no room is open until the proctor opens one"
    );

    // A student in Phòng 02 leaves the page (over the protocol here; the
    // browser path is the test above).
    let mut student = student_working(&relay, 1, "Phạm Minh Đức").await;
    student
        .send(&StudentToRelay::Signal {
            signal: Signal::TabHidden { ms: None },
        })
        .await;
    let warned_room = "[...document.querySelectorAll('#room-summaries tr.room-summary')].find(r => r.querySelector('.room-name').innerText.includes('Phòng 02'))";
    wait_for(
        &central,
        &format!("{warned_room}?.dataset.warnings === '1'"),
        LONG,
    )
    .await;
    // Problems first: the room with the warning heads the list.
    wait_for(
        &central,
        "document.querySelector('#room-summaries tr.room-summary').innerText.includes('Phòng 02')",
        LONG,
    )
    .await;
    let room_id: String = eval(&central, &format!("{warned_room}.dataset.roomId")).await;

    click(&central, "#filter-warnings").await;
    wait_for(
        &central,
        "document.querySelectorAll('#room-summaries tr.room-summary').length === 1",
        LONG,
    )
    .await;
    assert_eq!(
        eval::<String>(
            &central,
            "document.querySelector('#room-summaries tr.room-summary').dataset.roomId"
        )
        .await,
        room_id
    );
    screenshot(&central, "central-filtered.png").await;
    // Open it: its table comes, with the warned row.
    click(&central, "#room-summaries tr.room-summary .open-room").await;
    wait_for(
        &central,
        &format!(
            "(() => {{ const room = document.querySelector(\".room[data-room-id='{room_id}']\");
                const row = room && [...room.querySelectorAll('tr.candidate')].find(r => r.innerText.includes('Phạm Minh Đức'));
                return !!row && row.dataset.warnings === '1' && row.dataset.status === 'working'; }})()"
        ),
        LONG,
    )
    .await;
    assert_eq!(
        eval::<u32>(&central, "document.querySelectorAll('.room').length").await,
        1
    );
    // The filters undo; one site narrows to its four rooms.
    click(&central, "#filter-warnings").await;
    wait_for(
        &central,
        "document.querySelectorAll('#room-summaries tr.room-summary').length === 11",
        LONG,
    )
    .await;
    eval::<bool>(
        &central,
        &format!(
            "(() => {{ const s = document.querySelector('#filter-site'); s.value = '{school}';
                s.dispatchEvent(new Event('change', {{bubbles: true}})); return true; }})()"
        ),
    )
    .await;
    wait_for(
        &central,
        &format!(
            "(() => {{ const rows = [...document.querySelectorAll('#room-summaries tr.room-summary')];
                return rows.length === 4 && rows.every(r => r.dataset.siteId === '{school}'); }})()"
        ),
        LONG,
    )
    .await;
    // Search finds a candidate by name anywhere and opens their room.
    click(&central, ".room-hide").await;
    wait_for(
        &central,
        "document.querySelectorAll('.room').length === 0",
        LONG,
    )
    .await;
    type_into(&central, "#search-q", "Hoàng Thu").await;
    click(&central, "#search-submit").await;
    wait_for(
        &central,
        "document.querySelectorAll('#search-hits li.search-hit').length === 1",
        LONG,
    )
    .await;
    click(&central, "#search-hits li.search-hit button").await;
    wait_for(
        &central,
        &format!(
            "!!document.querySelector(\".room[data-room-id='{room_id}']\") && !!document.querySelector('#candidate-detail #detail-name')"
        ),
        LONG,
    )
    .await;
    assert!(
        text_of(&central, "#detail-name")
            .await
            .contains("Hoàng Thu Hà")
    );
    drop(student);
    chromium.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_action_with_a_reason_is_applied_and_in_the_timeline() {
    require_client();
    let relay = TestRelay::with_duration(600_000, 500).await;
    let mut binh = student_working(&relay, 0, "Trần Thị Bình").await;
    let chromium = Chromium::launch().await;
    let proctor = proctor_page(&chromium, &relay, "central").await;
    let id = candidate_id(&proctor, "Trần Thị Bình").await;
    let row = format!("tr.candidate[data-candidate-id='{id}']");
    wait_for(
        &proctor,
        &format!("document.querySelector(\"{row}\")?.dataset.status === 'working'"),
        LONG,
    )
    .await;

    // Extra time: the reason is required before anything is sent.
    click(&proctor, &format!("{row} details.row-menu summary")).await;
    click(
        &proctor,
        &format!("{row} button.row-task[data-task='extra_time']"),
    )
    .await;
    fill(&proctor, "#dialog-minutes", "7").await;
    click(&proctor, "#dialog-submit").await;
    wait_for(
        &proctor,
        "!!document.querySelector('#dialog-problem')",
        LONG,
    )
    .await;
    type_into(&proctor, "#dialog-reason", "Thí sinh bị mệt, nghỉ 7 phút").await;
    click(&proctor, "#dialog-submit").await;
    wait_for(
        &proctor,
        "document.querySelector('#task-dialog')?.dataset.state === 'done' && document.querySelector('#task-dialog .applied')?.dataset.applied === '1'",
        LONG,
    )
    .await;
    click(&proctor, "#dialog-close").await;
    wait_for(
        &proctor,
        &format!("document.querySelector(\"{row} .extra-time\")?.dataset.extraMs === '420000'"),
        LONG,
    )
    .await;
    // Its audit entry: the timeline names the action, who and why.
    click(&proctor, &format!("{row} .candidate-name")).await;
    wait_for(
        &proctor,
        "[...document.querySelectorAll(\"#candidate-detail .timeline-entry[data-action='extra_time']\")].some(e => e.innerText.includes('Thí sinh bị mệt, nghỉ 7 phút') && e.innerText.includes('central'))",
        LONG,
    )
    .await;
    let audited: i64 = relay
        .db()
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE detail LIKE '%Thí sinh bị mệt, nghỉ 7 phút%'",
            examgate_relay::args![],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 1, "one audit entry with the reason");
    click(&proctor, "#detail-close").await;

    // A candidate who has not joined: the relay refuses, and says why.
    let absent = candidate_id(&proctor, "Lê Hoàng Cường").await;
    let absent_row = format!("tr.candidate[data-candidate-id='{absent}']");
    click(&proctor, &format!("{absent_row} details.row-menu summary")).await;
    click(
        &proctor,
        &format!("{absent_row} button.row-task[data-task='extra_time']"),
    )
    .await;
    type_into(&proctor, "#dialog-reason", "thử").await;
    click(&proctor, "#dialog-submit").await;
    wait_for(
        &proctor,
        "document.querySelector('#dialog-refusal')?.dataset.code === 'conflict'",
        LONG,
    )
    .await;
    assert!(
        text_of(&proctor, "#dialog-refusal .relay-message")
            .await
            .contains("chưa vào thi"),
        "the relay's reason, in Vietnamese"
    );
    click(&proctor, "#dialog-cancel").await;
    wait_for(&proctor, "!document.querySelector('#task-dialog')", LONG).await;

    // An incident about the student and a message to the room: both in the
    // room's log as they happen, the message with who has read it.
    let room_id: String = eval(
        &proctor,
        &format!("document.querySelector(\"{row}\").closest('.room').dataset.roomId"),
    )
    .await;
    let room = format!(".room[data-room-id='{room_id}']");
    click(&proctor, &format!("{row} details.row-menu summary")).await;
    click(
        &proctor,
        &format!("{row} button.row-task[data-task='incident']"),
    )
    .await;
    eval::<bool>(
        &proctor,
        "(() => { const s = document.querySelector('#dialog-category'); s.value = 'health';
            s.dispatchEvent(new Event('change', {bubbles: true})); return true; })()",
    )
    .await;
    type_into(&proctor, "#dialog-text", "Chóng mặt, đã cho uống nước").await;
    click(&proctor, "#dialog-submit").await;
    wait_for(
        &proctor,
        "document.querySelector('#task-dialog')?.dataset.state === 'done'",
        LONG,
    )
    .await;
    click(&proctor, "#dialog-close").await;
    wait_for(
        &proctor,
        &format!(
            "document.querySelector(\"{room} li.incident[data-category='health']\")?.innerText.includes('Chóng mặt')"
        ),
        LONG,
    )
    .await;
    click(&proctor, &format!("{room} .room-task[data-task='message']")).await;
    type_into(&proctor, "#dialog-text", "Còn 15 phút").await;
    click(&proctor, "#dialog-submit").await;
    wait_for(
        &proctor,
        "document.querySelector('#task-dialog')?.dataset.state === 'done'",
        LONG,
    )
    .await;
    click(&proctor, "#dialog-close").await;
    let message = format!(
        "[...document.querySelectorAll(\"{room} li.message\")].find(m => m.innerText.includes('Còn 15 phút'))"
    );
    wait_for(&proctor, &format!("{message}?.dataset.seen === '0'"), LONG).await;
    // The student's page shows it and acknowledges it.
    let id = loop {
        if let RelayToStudent::Message { message } = binh.recv().await {
            break message.id;
        }
    };
    binh.send(&StudentToRelay::Seen { message: id }).await;
    wait_for(&proctor, &format!("{message}?.dataset.seen === '1'"), LONG).await;
    screenshot(&proctor, "proctor-actions.png").await;
    chromium.close().await;
}

/// Opens the room-wide `task` of `room` (a `.room` selector), gives the
/// reason and confirms; returns once the relay answered.
async fn room_task(page: &Page, room: &str, task: &str, reason: &str) {
    click(page, &format!("{room} .room-task[data-task='{task}']")).await;
    type_into(page, "#dialog-reason", reason).await;
    click(page, "#dialog-submit").await;
    wait_for(
        page,
        "document.querySelector('#task-dialog')?.dataset.state === 'done'",
        LONG,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_room_pause_freezes_its_rows_and_a_move_hands_out_a_seat_code() {
    require_client();
    let relay = TestRelay::with_duration(600_000, 500).await;
    let mut an = student_working(&relay, 0, "Nguyễn Văn An").await;
    let chromium = Chromium::launch().await;
    let proctor = proctor_page(&chromium, &relay, "phong01").await;
    let id = candidate_id(&proctor, "Nguyễn Văn An").await;
    let row = format!("tr.candidate[data-candidate-id='{id}']");
    let room: String = eval(
        &proctor,
        &format!("document.querySelector(\"{row}\").closest('.room').dataset.roomId"),
    )
    .await;
    let room = format!(".room[data-room-id='{room}']");

    // The power fails: the whole room pauses. The one working attempt
    // stops with its time left frozen; the two who never joined are listed
    // with why it did not apply to them.
    room_task(&proctor, &room, "pause", "Mất điện cả phòng").await;
    assert_eq!(
        text_of(&proctor, "#task-dialog .applied").await.trim(),
        "Đã áp dụng cho 1 thí sinh."
    );
    assert_eq!(
        eval::<u32>(
            &proctor,
            "document.querySelectorAll('#task-dialog li.not-applied').length"
        )
        .await,
        2
    );
    click(&proctor, "#dialog-close").await;
    wait_for(
        &proctor,
        &format!(
            "document.querySelector(\"{row}\")?.dataset.status === 'paused' && /⏸ \\d+:\\d\\d/.test(document.querySelector(\"{row} .time-left\").innerText)"
        ),
        LONG,
    )
    .await;
    let frozen = text_of(&proctor, &format!("{row} .time-left")).await;
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    assert_eq!(
        text_of(&proctor, &format!("{row} .time-left")).await,
        frozen,
        "a paused attempt's time does not run"
    );
    // The row's menu offers resume, not pause, now.
    assert!(
        eval::<bool>(
            &proctor,
            &format!(
                "!!document.querySelector(\"{row} button.row-task[data-task='resume']\") && !document.querySelector(\"{row} button.row-task[data-task='pause']\")"
            ),
        )
        .await
    );
    room_task(&proctor, &room, "resume", "Có điện lại").await;
    click(&proctor, "#dialog-close").await;
    wait_for(
        &proctor,
        &format!("document.querySelector(\"{row}\")?.dataset.status === 'working'"),
        LONG,
    )
    .await;

    // The computer fails: move the student. The seat code is on screen to
    // read out; the old computer is cut off; the code opens the same
    // attempt elsewhere.
    click(&proctor, &format!("{row} details.row-menu summary")).await;
    click(
        &proctor,
        &format!("{row} button.row-task[data-task='move']"),
    )
    .await;
    type_into(&proctor, "#dialog-reason", "Máy 07 hỏng bàn phím").await;
    click(&proctor, "#dialog-submit").await;
    wait_for(
        &proctor,
        "document.querySelector('#move-seat-code')?.innerText.trim().length > 0",
        LONG,
    )
    .await;
    let seat_code = text_of(&proctor, "#move-seat-code").await.trim().to_owned();
    screenshot(&proctor, "proctor-move.png").await;
    click(&proctor, "#dialog-close").await;
    let (_, closed) = an.until_closed().await;
    assert_eq!(closed.code, 4001, "the old computer's connection ends");
    let moved = relay
        .join_with(examgate_shared::protocol::JoinRequest {
            code: relay.code(0),
            name: String::new(),
            resume_token: None,
            seat_code: Some(seat_code),
            candidate_number: None,
            birth: None,
        })
        .await
        .expect("the seat code opens the attempt on the new computer");
    let _new_computer = StudentWs::hello(&relay, &moved.token, now_ms()).await;
    wait_for(
        &proctor,
        &format!("document.querySelector(\"{row}\")?.dataset.status === 'working'"),
        LONG,
    )
    .await;
    chromium.close().await;
}
