//! Publishing an event's results: refused while a shift is open, then one
//! publication committed in the audit trail, after which nothing moves the
//! results but a correction of the key (no reopen, no import, no new shift,
//! no card-room switch, no check-in confirmed that was still pending).

use std::time::Duration;

use examgate_shared::office::api::NewShift;
use examgate_shared::proctoring::{Action, ActionRequest, Target};
use examgate_shared::protocol::Role;
use examgate_tests::card::{genuine_card, student};
use examgate_tests::office::{SCHOOLS, one_school, set_up_office, sign_in};
use examgate_tests::{StudentWs, TestRelay, now_ms};

use super::office::{audit_actions, join_by_number, roster};

const MINUTE: i64 = 60_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn published_results_change_only_through_a_correction() {
    let relay = TestRelay::empty().await;
    let office = set_up_office(&relay).await;
    let (_, event) = one_school(&office, &["Phòng 01", "Phòng 02"], "Kiểm tra 15 phút").await;
    // Shifts are typed to the minute: one that began the minute before and
    // works 2 minutes closes at the next minute, at most 20 s away once
    // the test waits for the last 20 s of a minute.
    let into_minute = now_ms().rem_euclid(MINUTE);
    if into_minute < 40_000 {
        tokio::time::sleep(Duration::from_millis((40_000 - into_minute) as u64)).await;
    }
    let shift = |name: &str, start: i64| {
        let text = examgate_shared::office::api::vietnam_text(start);
        let (date, time) = text.split_once(' ').unwrap();
        NewShift {
            name: name.into(),
            date: date.into(),
            start: time.into(),
            minutes: 2,
            hard_stop_minutes: None,
            fullscreen: false,
            exam_id: "toan".into(),
            requires_card: false,
            room_ids: Vec::new(),
        }
    };
    office
        .create(
            &format!("/api/office/events/{event}/shifts"),
            &shift("Ca 1", now_ms() - MINUTE),
        )
        .await;
    // Room 02 becomes a chip-ID room for a card holder who checks in but
    // is still waiting for the proctor when the results are published.
    let holder = student(0);
    let b = holder.birth;
    let csv = format!(
        "SBD;Họ và tên;Ngày sinh;Số CCCD;Trường;Phòng;Ca thi\n\
         P01;Nguyễn Văn An;04/03/2008;;{school};Phòng 01;Ca 1\n\
         P02;Trần Thị Bình;05/03/2008;;{school};Phòng 01;Ca 1\n\
         P03;Lê Văn Cường;06/03/2008;;{school};Phòng 01;Ca 1\n\
         P04;{name};{day:02}/{month:02}/{year};{id};{school};Phòng 02;Ca 1\n",
        school = SCHOOLS[0],
        name = holder.full_name,
        id = holder.id12,
        day = b.day,
        month = b.month,
        year = b.year,
    );
    let roster_path = format!("/api/office/events/{event}/roster");
    let a = office
        .post_bytes(&roster_path, csv.as_bytes().to_vec())
        .await;
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    let rows = roster(&office, event).await;
    let code = rows["P01"].join_code.clone().unwrap();
    let card_code = rows["P04"].join_code.clone().unwrap();
    let switched = office
        .post(
            &format!("/api/office/codes/{card_code}"),
            &serde_json::json!({"requires_card": true}),
        )
        .await;
    assert_eq!(
        switched.status,
        200,
        "{}",
        String::from_utf8_lossy(&switched.body)
    );
    let pending = relay
        .check_in_with(&card_code, &mut genuine_card(0).chip(1), holder.bac_input())
        .await
        .expect("a genuine card on the roster");
    // Two sit it (one right, one wrong on question 1); P03 is absent.
    let mut candidates = Vec::new();
    for (number, birth, choice) in [("P01", "04/03/2008", 0), ("P02", "05/03/2008", 1)] {
        let joined = relay
            .join_with(join_by_number(&code, number, birth))
            .await
            .unwrap();
        let (mut s, _) = StudentWs::hello(&relay, &joined.token, now_ms()).await;
        s.answer(1, 1, choice).await;
        s.submit(2).await;
        let candidate = relay.state.people().attempts[&joined.attempt_id]
            .candidate
            .id;
        candidates.push(candidate);
    }
    let publish_path = format!("/api/office/events/{event}/publish");
    let early = office.post(&publish_path, &serde_json::json!({})).await;
    assert_eq!(
        (early.status, early.code().as_str()),
        (409, "conflict"),
        "published while the shift is open"
    );
    assert!(
        String::from_utf8_lossy(&early.body).contains("still open"),
        "{}",
        String::from_utf8_lossy(&early.body)
    );

    let plan = office.plan().await;
    let s = &plan.events[0].shifts[0];
    let closes = s.opens_at + s.duration_ms;
    tokio::time::sleep(Duration::from_millis(
        (closes - now_ms()).max(0) as u64 + 300,
    ))
    .await;
    let done = office.post(&publish_path, &serde_json::json!({})).await;
    assert_eq!(done.status, 200, "{}", String::from_utf8_lossy(&done.body));
    let published: serde_json::Value = done.json();
    assert_eq!(
        (published["shifts"].as_u64(), published["attempts"].as_u64()),
        (Some(1), Some(2))
    );
    let digest = published["results_sha256"].as_str().unwrap().to_string();
    assert_eq!(digest.len(), 64);
    let plan = office.plan().await;
    assert_eq!(
        plan.events[0].published_at,
        published["published_at"].as_i64()
    );
    assert!(plan.events[0].published.is_some());
    // In the audit chain, by the office, with the digest.
    let db = relay.db();
    let (actor, detail): (String, String) = db
        .query_row(
            "SELECT actor, detail FROM audit WHERE action = 'results_publish'",
            examgate_relay::args![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    drop(db);
    assert_eq!(actor, "user:hoidongthi");
    assert!(detail.contains(&digest), "{detail}");

    // Nothing but a correction moves the results now.
    let refused = |a: &examgate_tests::office::Answer, what: &str| {
        assert_eq!((a.status, a.code().as_str()), (409, "conflict"), "{what}");
        assert!(
            String::from_utf8_lossy(&a.body).contains("published"),
            "{what}: {}",
            String::from_utf8_lossy(&a.body)
        );
    };
    refused(
        &office.post(&publish_path, &serde_json::json!({})).await,
        "published twice",
    );
    refused(
        &office
            .post(
                "/api/proctor/actions",
                &ActionRequest {
                    target: Target::Candidate {
                        candidate_id: candidates[0],
                    },
                    action: Action::Reopen { minutes: 10 },
                    reason: "thí sinh xin làm lại".into(),
                },
            )
            .await,
        "reopen",
    );
    refused(
        &office
            .post_bytes(&format!("{roster_path}?dry_run=1"), csv.into_bytes())
            .await,
        "roster import",
    );
    refused(
        &office
            .post(
                &format!("/api/office/events/{event}/shifts"),
                &shift("Ca 2", now_ms() + 10 * MINUTE),
            )
            .await,
        "a new shift",
    );
    refused(
        &office
            .post(
                &format!("/api/office/codes/{code}"),
                &serde_json::json!({"requires_card": true}),
            )
            .await,
        "a card-room switch",
    );
    // The card holder still waiting at the door is not let in now.
    let room2 = rows["P04"].room_id;
    let slip = office
        .account("gt.p02", Role::RoomProctor, None, Some(room2))
        .await;
    let proctor = sign_in(&relay, "gt.p02", &slip.password).await;
    let (status, body) = relay
        .decide(pending.checkin_id, proctor.token(), true)
        .await
        .expect_err("confirmed after publication");
    assert_eq!(
        (status, body.code.as_str()),
        (409, "conflict"),
        "{}",
        body.message
    );
    assert!(body.message.contains("published"), "{}", body.message);

    // The corrections path still works, records who and why, and the
    // hand-in follows it.
    let slip = office.account("gv.toan", Role::Teacher, None, None).await;
    let teacher = sign_in(&relay, "gv.toan", &slip.password).await;
    let corrected = teacher
        .post(
            "/api/exams/toan/corrections",
            &serde_json::json!({
                "corrections": [{"action": "set_key", "question": 1, "key": {"choice": 1}}],
                "reason": "Đáp án câu 1 in nhầm"
            }),
        )
        .await;
    assert_eq!(
        corrected.status,
        200,
        "{}",
        String::from_utf8_lossy(&corrected.body)
    );
    let report: serde_json::Value = corrected.json();
    assert_eq!(report["marks_changed"], 2, "{report}");
    let actions = audit_actions(&relay);
    let publish_at = actions
        .iter()
        .position(|(_, a)| a == "results_publish")
        .unwrap();
    let correct_at = actions
        .iter()
        .position(|(_, a)| a == "correct_exam")
        .unwrap_or_else(|| panic!("{actions:?}"));
    assert!(
        publish_at < correct_at,
        "the correction follows the publication"
    );
}
