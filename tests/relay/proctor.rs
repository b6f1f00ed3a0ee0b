//! Proctors in control, against a real relay: extra time past the window's
//! close, a pause across the deadline and across a restart, end and reopen,
//! move, messages and their acknowledgement, incidents, integrity warnings,
//! room summaries and the watch set, search and the candidate's timeline —
//! and every action endpoint against every role and no session.

use std::time::Duration;

use examgate_relay::seed::{DemoOptions, demo_card_students};
use examgate_shared::Millis;
use examgate_shared::attempt::AttemptStatus;
use examgate_shared::control::Control;
use examgate_shared::error::ErrorCode;
use examgate_shared::integrity::Signal;
use examgate_shared::proctoring::{
    Action, ActionRequest, ActionResponse, CandidateDetail, IncidentCategory, IncidentRequest,
    MessageRequest, SearchHit, SentMessage, Target, TimelineEvent,
};
use examgate_shared::protocol::{ProctorToRelay, RelayToProctor, RelayToStudent, StudentToRelay};
use examgate_shared::roster::RowStatus;
use examgate_tests::office::{Answer, Client};
use examgate_tests::{PASSWORD, ProctorWs, StudentWs, TestRelay, acked, now_ms};

const MIN: Millis = 60_000;
const HOUR: Millis = 3_600_000;

/// A relay whose window closes `window_ms` from now, attempts of
/// `duration_ms`, a grace of 500 ms.
async fn relay_with(window_ms: Millis, duration_ms: Millis) -> TestRelay {
    let now = now_ms();
    TestRelay::start(
        DemoOptions {
            opens_at: now - 1_000,
            closes_at: now + window_ms,
            duration_ms: Some(duration_ms),
            fixed_password: Some(PASSWORD.into()),
            exam: None,
            card_students: demo_card_students(),
        },
        500,
    )
    .await
}

async fn staff(relay: &TestRelay, user: &str) -> Client {
    Client::new(relay, Some(&relay.login(user).await.token))
}

fn candidate(target: u64) -> Target {
    Target::Candidate {
        candidate_id: target,
    }
}

async fn act(client: &Client, target: Target, action: Action, reason: &str) -> Answer {
    client
        .post(
            "/api/proctor/actions",
            &ActionRequest {
                target,
                action,
                reason: reason.into(),
            },
        )
        .await
}

/// Joins room `room` of the demo as `name` and opens the exam page.
async fn student(relay: &TestRelay, room: usize, name: &str) -> (Student, StudentWs) {
    let joined = relay.join(&relay.code(room), name).await.unwrap();
    let (ws, _) = StudentWs::hello(relay, &joined.token, now_ms()).await;
    let candidate_id = relay.state.people().attempts[&joined.attempt_id]
        .candidate
        .id;
    let room_id = relay.state.people().attempts[&joined.attempt_id]
        .candidate
        .room_id;
    (
        Student {
            attempt_id: joined.attempt_id,
            candidate_id,
            room_id,
            token: joined.token,
        },
        ws,
    )
}

struct Student {
    attempt_id: u64,
    candidate_id: u64,
    room_id: u64,
    token: String,
}

fn clock_of(msg: &RelayToStudent) -> Option<(Control, examgate_shared::control::AttemptClock)> {
    match msg {
        RelayToStudent::Control { control, clock } => Some((control.clone(), clock.clone())),
        _ => None,
    }
}

/// A `paused` answer to an event: nothing stored or spent; resend from
/// `expected` after the resume.
fn held(msg: &RelayToStudent) -> Option<u64> {
    match msg {
        RelayToStudent::Refused { .. } => panic!("a paused event is not refused: {msg:?}"),
        RelayToStudent::Error { error, expected } if error.code == ErrorCode::Paused => *expected,
        _ => None,
    }
}

/// The audit entries with `action`, as (actor, detail).
fn audit(relay: &TestRelay, action: &str) -> Vec<(String, String)> {
    let db = relay.db();
    db.query_map(
        "SELECT actor, detail FROM audit WHERE action = ?1 ORDER BY id",
        examgate_relay::args![action],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
    .into_iter()
    .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extra_time_runs_past_the_windows_close_and_is_audited() {
    // The window closes in 4 s, cutting the 45-minute attempt to it.
    let relay = relay_with(4_000, 45 * MIN).await;
    let (s, mut ws) = student(&relay, 0, "Thêm giờ").await;
    let proctor = staff(&relay, "phong01").await;
    let reply = act(
        &proctor,
        candidate(s.candidate_id),
        Action::ExtraTime { minutes: 10 },
        "thí sinh bị ốm, nghỉ 10 phút",
    )
    .await;
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(reply.json::<ActionResponse>().applied, 1);
    let (control, clock) = ws.until(clock_of).await;
    assert_eq!(control, Control::ExtraTime { minutes: 10 });
    let closes_at = relay.state.catalog.sitting(1).unwrap().closes_at;
    let deadline = clock.deadline_ms.unwrap();
    assert!(
        deadline >= closes_at + 10 * MIN - 100 && deadline <= closes_at + 10 * MIN,
        "the window's close plus ten minutes: {deadline} vs {closes_at}"
    );
    assert_eq!(clock.extra_ms, 10 * MIN);
    // After the window has closed the student still works.
    tokio::time::sleep(Duration::from_millis(
        (closes_at - now_ms() + 1_000).max(0) as u64
    ))
    .await;
    ws.answer(1, 1, 0).await;
    assert_eq!(ws.until(acked).await, 1);
    let entries = audit(&relay, "extra_time");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].0, "room_proctor:phong01");
    assert!(entries[0].1.contains("thí sinh bị ốm"), "{}", entries[0].1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pause_stops_the_clock_across_the_deadline() {
    // Attempts of 3 s: the deadline falls inside the pause.
    let relay = relay_with(HOUR, 3_000).await;
    let (s, mut ws) = student(&relay, 0, "Tạm dừng").await;
    let proctor = staff(&relay, "phong01").await;
    let room = Target::Room { room_id: s.room_id };
    let reply = act(&proctor, room, Action::Pause, "mất điện phòng thi").await;
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let (_, clock) = ws.until(clock_of).await;
    assert!(clock.paused);
    let left = clock.remaining_ms.unwrap();
    assert!(left > 1_000 && left <= 3_000, "frozen time left {left}");
    // Past the deadline and its grace: not closed, answers held (nothing
    // stored, the number not spent).
    tokio::time::sleep(Duration::from_millis(4_500)).await;
    ws.answer(1, 1, 0).await;
    assert_eq!(ws.until(held).await, 1);
    assert!(relay.stored_events(s.attempt_id).is_empty());
    let slot = relay.state.people().attempts[&s.attempt_id].clone();
    let status = slot.cell.lock().await.attempt.status;
    assert_eq!(status, AttemptStatus::Working, "the closer waited");
    // Resume: the same time left as at the pause, then the close.
    let resumed_at = now_ms();
    assert_eq!(
        act(&proctor, room, Action::Resume, "có điện lại")
            .await
            .status,
        200
    );
    let (_, clock) = ws.until(clock_of).await;
    assert!(!clock.paused);
    let deadline = clock.deadline_ms.unwrap();
    assert!(
        (deadline - (resumed_at + left)).abs() < 500,
        "deadline moved by the pause: {deadline} vs {}",
        resumed_at + left
    );
    // The held answer goes again under its own number, and one more.
    ws.answer(1, 1, 0).await;
    ws.answer(2, 2, 1).await;
    assert_eq!(ws.until(acked).await, 1);
    assert_eq!(ws.until(acked).await, 2);
    let (status, grade) = ws
        .until(|m| match m {
            RelayToStudent::Result { status, grade } => Some((*status, grade.clone())),
            _ => None,
        })
        .await;
    assert_eq!(status, AttemptStatus::Closed);
    assert_eq!(grade.items.iter().filter(|i| i.answer.is_some()).count(), 2);
    assert_eq!(audit(&relay, "pause").len(), 1);
    assert_eq!(audit(&relay, "resume").len(), 1);
    assert_eq!(audit(&relay, "deadline_close").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pause_survives_a_relay_restart() {
    let relay = relay_with(HOUR, 45 * MIN).await;
    let (s, mut ws) = student(&relay, 0, "Khởi động lại").await;
    ws.answer(1, 1, 2).await;
    assert_eq!(ws.until(acked).await, 1);
    let proctor = staff(&relay, "phong01").await;
    assert_eq!(
        act(
            &proctor,
            candidate(s.candidate_id),
            Action::ExtraTime { minutes: 5 },
            "máy hỏng"
        )
        .await
        .status,
        200
    );
    assert_eq!(
        act(
            &proctor,
            candidate(s.candidate_id),
            Action::Pause,
            "máy hỏng"
        )
        .await
        .status,
        200
    );
    let (_, before) = ws.until(|m| clock_of(m).filter(|(_, c)| c.paused)).await;
    ws.close().await;
    let relay = relay.restart().await;
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    let (mut ws, welcome) = StudentWs::hello(&relay, &s.token, now_ms()).await;
    let RelayToStudent::Welcome { attempt, .. } = welcome else {
        unreachable!()
    };
    assert!(attempt.paused, "still paused after the restart");
    assert_eq!(
        attempt.remaining_ms, before.remaining_ms,
        "time left frozen"
    );
    assert_eq!(attempt.extra_ms, 5 * MIN);
    assert_eq!(attempt.answers.len(), 1);
    ws.answer(2, 2, 0).await;
    assert_eq!(ws.until(held).await, 2);
    let proctor = staff(&relay, "phong01").await;
    assert_eq!(
        act(
            &proctor,
            candidate(s.candidate_id),
            Action::Resume,
            "đổi máy xong"
        )
        .await
        .status,
        200
    );
    ws.answer(2, 2, 0).await;
    assert_eq!(ws.until(acked).await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn end_and_reopen_only_by_the_office_and_graded_again() {
    let relay = relay_with(HOUR, 45 * MIN).await;
    let (s, mut ws) = student(&relay, 0, "Kết thúc sớm").await;
    ws.answer(1, 1, 0).await;
    assert_eq!(ws.until(acked).await, 1);
    let proctor = staff(&relay, "phong01").await;
    assert_eq!(
        act(
            &proctor,
            candidate(s.candidate_id),
            Action::End,
            "vi phạm quy chế"
        )
        .await
        .status,
        200
    );
    let status = ws
        .until(|m| match m {
            RelayToStudent::Result { status, .. } => Some(*status),
            _ => None,
        })
        .await;
    assert_eq!(status, AttemptStatus::Closed);
    // Ended: a second end is a conflict; reopening is the office's.
    let again = act(&proctor, candidate(s.candidate_id), Action::End, "lần nữa").await;
    assert_eq!((again.status, again.code().as_str()), (409, "conflict"));
    for user in ["phong01", "central"] {
        let c = staff(&relay, user).await;
        let r = act(
            &c,
            candidate(s.candidate_id),
            Action::Reopen { minutes: 10 },
            "nhầm",
        )
        .await;
        assert_eq!(r.status, 403, "{user} may not reopen");
    }
    let office = staff(&relay, "hoidong").await;
    let r = act(
        &office,
        candidate(s.candidate_id),
        Action::Reopen { minutes: 10 },
        "giám thị bấm nhầm",
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let (control, clock) = ws.until(clock_of).await;
    assert_eq!(control, Control::Reopen { minutes: 10 });
    assert_eq!(clock.status, AttemptStatus::Working);
    assert!(clock.deadline_ms.unwrap() > now_ms() + 9 * MIN);
    let final_status: Option<String> = relay
        .db()
        .query_row(
            "SELECT final_status FROM attempts WHERE id = ?1",
            examgate_relay::args![s.attempt_id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        final_status, None,
        "the grade is dropped until it ends again"
    );
    ws.answer(2, 2, 1).await;
    assert_eq!(ws.until(acked).await, 2);
    ws.send(&StudentToRelay::Event {
        seq: 3,
        event: examgate_shared::attempt::StudentEvent::Submit,
    })
    .await;
    let grade = ws
        .until(|m| match m {
            RelayToStudent::Result { grade, .. } => Some(grade.clone()),
            _ => None,
        })
        .await;
    assert_eq!(grade.items.iter().filter(|i| i.answer.is_some()).count(), 2);
    let reopen = audit(&relay, "reopen");
    assert_eq!(reopen.len(), 1);
    assert_eq!(reopen[0].0, "exam_office:hoidong");
    assert!(reopen[0].1.contains("giám thị bấm nhầm"));
    // A restart replays end, reopen and the submit to the same state.
    ws.close().await;
    let relay = relay.restart().await;
    let (_, welcome) = StudentWs::hello(&relay, &s.token, now_ms()).await;
    let RelayToStudent::Welcome { attempt, .. } = welcome else {
        unreachable!()
    };
    assert_eq!(attempt.status, AttemptStatus::Submitted);
    assert_eq!(attempt.answers.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moved_student_continues_the_same_attempt_on_another_computer() {
    let relay = relay_with(HOUR, 45 * MIN).await;
    let (s, mut old) = student(&relay, 0, "Đổi máy").await;
    old.answer(1, 1, 3).await;
    assert_eq!(old.until(acked).await, 1);
    let proctor = staff(&relay, "phong01").await;
    let r = act(
        &proctor,
        candidate(s.candidate_id),
        Action::Move,
        "máy treo",
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let seat_code = r.json::<ActionResponse>().seat_code.expect("a seat code");
    let (_, closed) = old.until_closed().await;
    assert_eq!(closed.code, 4001, "the old computer is out: {closed:?}");
    // The old token no longer opens the attempt.
    let mut stale = StudentWs::connect(&relay).await;
    stale
        .send(&StudentToRelay::Hello {
            v: examgate_shared::protocol::PROTOCOL_VERSION,
            token: s.token.clone(),
            sent_at: now_ms(),
            tab: None,
        })
        .await;
    assert!(matches!(
        stale.recv().await,
        RelayToStudent::Error { error, .. } if error.code == ErrorCode::Unauthorized
    ));
    let joined = relay
        .join_with(examgate_tests::seat_code_join(&relay.code(0), &seat_code))
        .await
        .unwrap();
    assert_eq!(joined.attempt_id, s.attempt_id, "the same attempt");
    let (_, welcome) = StudentWs::hello(&relay, &joined.token, now_ms()).await;
    let RelayToStudent::Welcome { attempt, .. } = welcome else {
        unreachable!()
    };
    assert_eq!(attempt.acked_seq, 1);
    // A seat code works once.
    let again = relay
        .join_with(examgate_tests::seat_code_join(&relay.code(0), &seat_code))
        .await
        .unwrap_err();
    assert_eq!(again.1.code, ErrorCode::SeatCodeInvalid);
    assert_eq!(audit(&relay, "move").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_reach_students_and_their_acknowledgement_reaches_proctors() {
    let relay = relay_with(HOUR, 45 * MIN).await;
    let (a, mut ws_a) = student(&relay, 0, "Người nhận A").await;
    let (b, mut ws_b) = student(&relay, 0, "Người nhận B").await;
    let login = relay.login("phong01").await;
    let (mut feed, _) = ProctorWs::connect(&relay, &login.token).await;
    let proctor = Client::new(&relay, Some(&login.token));
    let r = proctor
        .post(
            "/api/proctor/messages",
            &MessageRequest {
                target: Target::Room { room_id: a.room_id },
                text: "Còn 15 phút, các em kiểm tra lại bài.".into(),
            },
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let sent: Vec<SentMessage> = r.json();
    assert_eq!(sent.len(), 1);
    for ws in [&mut ws_a, &mut ws_b] {
        let m = ws
            .until(|m| match m {
                RelayToStudent::Message { message } => Some(message.clone()),
                _ => None,
            })
            .await;
        assert_eq!(m.id, sent[0].id);
        assert!(m.to_room);
    }
    ws_a.send(&StudentToRelay::Seen {
        message: sent[0].id,
    })
    .await;
    let seen = feed
        .until(|m| match m {
            RelayToProctor::Message { message } if !message.seen_by.is_empty() => {
                Some(message.seen_by.clone())
            }
            _ => None,
        })
        .await;
    assert_eq!(seen, vec![a.candidate_id]);
    // B had not read it: a reload shows it again; A's does not.
    ws_b.close().await;
    let (_, welcome) = StudentWs::hello(&relay, &b.token, now_ms()).await;
    let RelayToStudent::Welcome { attempt, .. } = welcome else {
        unreachable!()
    };
    assert_eq!(attempt.messages.len(), 1);
    ws_a.close().await;
    let (_, welcome) = StudentWs::hello(&relay, &a.token, now_ms()).await;
    let RelayToStudent::Welcome { attempt, .. } = welcome else {
        unreachable!()
    };
    assert!(attempt.messages.is_empty());
    // A message to one student reaches only them; an empty one is refused.
    let r = proctor
        .post(
            "/api/proctor/messages",
            &MessageRequest {
                target: candidate(a.candidate_id),
                text: "  ".into(),
            },
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (422, "invalid"));
    assert_eq!(audit(&relay, "message").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn incidents_are_recorded_shown_and_audited() {
    let relay = relay_with(HOUR, 45 * MIN).await;
    let (s, _ws) = student(&relay, 0, "Sự cố").await;
    let login = relay.login("phong01").await;
    let (mut feed, _) = ProctorWs::connect(&relay, &login.token).await;
    let proctor = Client::new(&relay, Some(&login.token));
    let r = proctor
        .post(
            "/api/proctor/incidents",
            &IncidentRequest {
                room_id: s.room_id,
                candidate_id: Some(s.candidate_id),
                category: IncidentCategory::Health,
                text: "Thí sinh chóng mặt, được nghỉ 5 phút".into(),
            },
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let shown = feed
        .until(|m| match m {
            RelayToProctor::Incident { incident } => Some(incident.clone()),
            _ => None,
        })
        .await;
    assert_eq!(shown.category, IncidentCategory::Health);
    assert_eq!(shown.by, "room_proctor:phong01");
    let entries = audit(&relay, "incident");
    assert_eq!(entries.len(), 1);
    assert!(entries[0].1.contains("chóng mặt"));
    let detail: CandidateDetail = proctor
        .get(&format!("/api/proctor/candidates/{}", s.candidate_id))
        .await
        .json();
    assert!(detail.timeline.iter().any(|e| matches!(
        &e.event,
        TimelineEvent::Incident {
            category: IncidentCategory::Health,
            ..
        }
    )));
    // Another room's proctor may not write in this room.
    let other = staff(&relay, "phong02").await;
    let r = other
        .post(
            "/api/proctor/incidents",
            &IncidentRequest {
                room_id: s.room_id,
                candidate_id: None,
                category: IncidentCategory::Other,
                text: "x".into(),
            },
        )
        .await;
    assert_eq!(r.status, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warnings_from_the_page_and_the_relay_reach_the_row_and_timeline() {
    let relay = relay_with(HOUR, 45 * MIN).await;
    let (s, mut ws) = student(&relay, 0, "Chuyển tab").await;
    let login = relay.login("phong01").await;
    let (mut feed, _) = ProctorWs::connect(&relay, &login.token).await;
    ws.send(&StudentToRelay::Signal {
        signal: Signal::TabHidden { ms: None },
    })
    .await;
    let row = feed
        .until(|m| match m {
            RelayToProctor::Row { row, .. } if row.warnings > 0 => Some(row.clone()),
            _ => None,
        })
        .await;
    assert_eq!(row.warnings, 1);
    assert_eq!(
        row.last_warning.unwrap().signal,
        Signal::TabHidden { ms: None }
    );
    // Back after 4 s: the duration, not a second warning.
    ws.send(&StudentToRelay::Signal {
        signal: Signal::TabHidden { ms: Some(4_000) },
    })
    .await;
    let row = feed
        .until(|m| match m {
            RelayToProctor::Row { row, .. }
                if row
                    .last_warning
                    .as_ref()
                    .is_some_and(|w| w.signal.is_follow_up()) =>
            {
                Some(row.clone())
            }
            _ => None,
        })
        .await;
    assert_eq!(row.warnings, 1);
    // A second connection with the same token is the relay's own warning.
    let (_second, _) = StudentWs::hello(&relay, &s.token, now_ms()).await;
    let row = feed
        .until(|m| match m {
            RelayToProctor::Row { row, .. } if row.warnings >= 2 => Some(row.clone()),
            _ => None,
        })
        .await;
    assert_eq!(row.last_warning.unwrap().signal, Signal::SecondConnection);
    // A page may not claim what only the relay sees.
    let (mut liar, _) = StudentWs::hello(&relay, &s.token, now_ms()).await;
    liar.send(&StudentToRelay::Signal {
        signal: Signal::NetworkLost,
    })
    .await;
    let (msgs, closed) = liar.until_closed().await;
    assert!(msgs.iter().any(|m| matches!(
        m,
        RelayToStudent::Error { error, .. } if error.code == ErrorCode::Malformed
    )));
    assert_eq!(closed.code, 1007);
    let detail: CandidateDetail = Client::new(&relay, Some(&login.token))
        .get(&format!("/api/proctor/candidates/{}", s.candidate_id))
        .await
        .json();
    let kinds: Vec<&str> = detail.warnings.iter().map(|w| w.signal.name()).collect();
    assert!(
        kinds.starts_with(&["tab_hidden", "tab_hidden", "second_connection"]),
        "{kinds:?}"
    );
}

/// Opens the attempt as page load `tab`.
async fn hello_as(relay: &TestRelay, token: &str, tab: &str) -> StudentWs {
    let mut ws = StudentWs::connect(relay).await;
    ws.send(&StudentToRelay::Hello {
        v: examgate_shared::protocol::PROTOCOL_VERSION,
        token: token.into(),
        sent_at: now_ms(),
        tab: Some(tab.into()),
    })
    .await;
    assert!(matches!(ws.recv().await, RelayToStudent::Welcome { .. }));
    ws
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_reconnecting_over_its_own_connection_is_not_a_second_one() {
    let relay = relay_with(HOUR, 45 * MIN).await;
    let joined = relay.join(&relay.code(0), "Mạng chập chờn").await.unwrap();
    let first = hello_as(&relay, &joined.token, "trang-1").await;
    // A network blip: the same page connects again while the relay still
    // holds the half-open first connection.
    let again = hello_as(&relay, &joined.token, "trang-1").await;
    let warnings = |relay: &TestRelay| -> Vec<String> {
        let db = relay.db();
        db.query_map(
            "SELECT signal FROM signals WHERE attempt_id = ?1 ORDER BY id",
            examgate_relay::args![joined.attempt_id],
            |r| r.get(0),
        )
        .unwrap()
        .into_iter()
        .collect()
    };
    assert!(
        !warnings(&relay)
            .iter()
            .any(|w| w.contains("second_connection")),
        "{:?}",
        warnings(&relay)
    );
    // Another tab takes it over: that is the warning.
    let _other = hello_as(&relay, &joined.token, "trang-2").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        warnings(&relay)
            .iter()
            .filter(|w| w.contains("second_connection"))
            .count(),
        1
    );
    drop((first, again));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_central_feed_carries_summaries_and_rows_of_open_rooms_only() {
    let relay = relay_with(HOUR, 45 * MIN).await;
    let login = relay.login("central").await;
    let (mut feed, first) = ProctorWs::connect(&relay, &login.token).await;
    let RelayToProctor::Snapshot {
        rooms, summaries, ..
    } = first
    else {
        panic!("snapshot first")
    };
    assert_eq!(summaries.len(), 3, "every room as counts");
    assert_eq!(rooms.len(), 3, "three rooms are few enough to open all");
    // The card room lists its registered card holders before check-in.
    let card_room = rooms.iter().find(|r| r.requires_card).unwrap();
    assert!(!card_room.rows.is_empty());
    assert!(
        card_room
            .rows
            .iter()
            .all(|r| r.status == RowStatus::NotStarted)
    );
    let (room_a, room_b) = (rooms[0].room_id, rooms[1].room_id);
    feed.ws_send(&ProctorToRelay::Watch {
        rooms: vec![room_b],
    })
    .await;
    let open = feed
        .until(|m| match m {
            RelayToProctor::Snapshot { rooms, .. } => {
                Some(rooms.iter().map(|r| r.room_id).collect::<Vec<_>>())
            }
            _ => None,
        })
        .await;
    assert_eq!(open, vec![room_b]);
    // A join in room A: a summary, not a row.
    let (_s, mut ws) = student(&relay, 0, "Ở phòng A").await;
    ws.send(&StudentToRelay::Signal {
        signal: Signal::Reloaded,
    })
    .await;
    let summary = feed
        .until(|m| match m {
            RelayToProctor::Row { room_id, .. } if *room_id == room_a => {
                panic!("a row of a room that is not open")
            }
            RelayToProctor::Summaries { summaries } => summaries
                .iter()
                .find(|s| s.room_id == room_a && s.warned == 1)
                .cloned(),
            _ => None,
        })
        .await;
    assert_eq!(summary.counts.working, 1);
    assert_eq!(summary.warnings, 1);
    // Rooms outside the scope cannot be opened.
    let p = relay.login("phong01").await;
    let (mut room_feed, _) = ProctorWs::connect(&relay, &p.token).await;
    room_feed
        .ws_send(&ProctorToRelay::Watch {
            rooms: vec![room_b],
        })
        .await;
    let error = room_feed
        .until(|m| match m {
            RelayToProctor::Error { error } => Some(error.code),
            _ => None,
        })
        .await;
    assert_eq!(error, ErrorCode::Forbidden);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_candidates_by_name_and_card_number_within_the_scope() {
    let relay = relay_with(HOUR, 45 * MIN).await;
    let (_s, _ws) = student(&relay, 0, "Nguyễn Văn Tìm").await;
    let central = staff(&relay, "central").await;
    let hits: Vec<SearchHit> = central
        .get("/api/proctor/search?q=nguyen%20van%20tim")
        .await
        .json();
    assert_eq!(hits.len(), 1, "diacritics and case ignored");
    assert_eq!(hits[0].status, RowStatus::Working);
    let card = &demo_card_students()[0];
    let last6 = &card.id12[6..];
    let hits: Vec<SearchHit> = central
        .get(&format!("/api/proctor/search?q={last6}"))
        .await
        .json();
    assert_eq!(
        hits.len(),
        1,
        "the card holder by the last digits of the CCCD"
    );
    assert_eq!(hits[0].name, card.full_name);
    // Room 1's proctor does not find room 0's candidates.
    let other = staff(&relay, "phong02").await;
    let hits: Vec<SearchHit> = other.get("/api/proctor/search?q=tim").await.json();
    assert!(hits.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_proctor_endpoint_checks_the_role() {
    let relay = relay_with(HOUR, 45 * MIN).await;
    let (s, _ws) = student(&relay, 0, "Quyền").await;
    let users = ["phong01", "phong02", "central", "giaovien", "hoidong"];
    let mut clients = vec![("none", Client::new(&relay, None))];
    for u in users {
        clients.push((u, staff(&relay, u).await));
    }
    let own = candidate(s.candidate_id);
    // (what, expected status per client in the order none, users…)
    type Call =
        Box<dyn Fn(Client) -> std::pin::Pin<Box<dyn std::future::Future<Output = u16> + Send>>>;
    let calls: Vec<(&str, Call, [u16; 6])> = vec![
        (
            "extra time",
            Box::new(move |c| {
                Box::pin(async move {
                    act(&c, own, Action::ExtraTime { minutes: 1 }, "r")
                        .await
                        .status
                })
            }),
            [401, 200, 403, 200, 403, 200],
        ),
        (
            "reopen (the attempt is working: 409 where allowed)",
            Box::new(move |c| {
                Box::pin(async move {
                    act(&c, own, Action::Reopen { minutes: 1 }, "r")
                        .await
                        .status
                })
            }),
            [401, 403, 403, 403, 403, 409],
        ),
        (
            "incident",
            Box::new(move |c| {
                Box::pin(async move {
                    c.post(
                        "/api/proctor/incidents",
                        &IncidentRequest {
                            room_id: s.room_id,
                            candidate_id: None,
                            category: IncidentCategory::Technical,
                            text: "t".into(),
                        },
                    )
                    .await
                    .status
                })
            }),
            [401, 200, 403, 200, 403, 200],
        ),
        (
            "message",
            Box::new(move |c| {
                Box::pin(async move {
                    c.post(
                        "/api/proctor/messages",
                        &MessageRequest {
                            target: own,
                            text: "t".into(),
                        },
                    )
                    .await
                    .status
                })
            }),
            [401, 200, 403, 200, 403, 200],
        ),
        (
            "timeline",
            Box::new(move |c| {
                Box::pin(async move {
                    c.get(&format!("/api/proctor/candidates/{}", s.candidate_id))
                        .await
                        .status
                })
            }),
            [401, 200, 403, 200, 403, 200],
        ),
        (
            "search",
            Box::new(|c| {
                Box::pin(async move { c.get("/api/proctor/search?q=quyen").await.status })
            }),
            [401, 200, 200, 200, 200, 200],
        ),
    ];
    for (what, call, expected) in &calls {
        for ((who, client), want) in clients.iter().zip(expected) {
            assert_eq!(call(client.clone()).await, *want, "{what} by {who}");
        }
    }
    // A reason is required.
    let p = &clients[1].1;
    let r = act(p, own, Action::Pause, " ").await;
    assert_eq!((r.status, r.code().as_str()), (422, "invalid"));
    let r = act(p, Target::Room { room_id: s.room_id }, Action::Move, "x").await;
    assert_eq!(r.status, 422, "move is for one candidate");
    for minutes in [0, 241] {
        let r = act(p, own, Action::ExtraTime { minutes }, "x").await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (422, "invalid"),
            "{minutes} minutes"
        );
    }
}
