//! Relay integration tests: a real relay on 127.0.0.1:0, real WebSocket
//! clients (tokio-tungstenite), the real SQLite file inspected from outside.

use std::time::Duration;

use examgate_relay::store::db::Dialect;
use examgate_shared::answer::AnswerValue;
use examgate_shared::attempt::{AttemptStatus, StudentEvent};
use examgate_shared::clock::ClockSync;
use examgate_shared::error::ErrorCode;
use examgate_shared::exam::{OptionId, QuestionId};
use examgate_shared::protocol::{RelayToProctor, RelayToStudent, StudentToRelay, close_code};
use examgate_shared::roster::RowStatus;
use examgate_shared::scoring::Outcome;
use examgate_tests::{ProctorWs, StudentWs, TestRelay, now_ms};
use tokio_tungstenite::tungstenite::Message;

const HOUR: i64 = 3_600_000;

fn acked(msg: &RelayToStudent) -> u64 {
    match msg {
        RelayToStudent::Ack { seq } => *seq,
        other => panic!("expected an ack, got {other:?}"),
    }
}

fn refused_code(msg: &RelayToStudent) -> ErrorCode {
    match msg {
        RelayToStudent::Refused { error, .. } => error.code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ack_comes_only_after_the_answer_is_committed() {
    let relay = TestRelay::with_duration(HOUR, 1_000).await;
    let joined = relay.join(&relay.code(0), "Nguyễn Văn An").await.unwrap();
    let (mut s, _) = StudentWs::hello(&relay, &joined.token, now_ms()).await;

    // Hold the database's write lock from outside (SQLite's one writer
    // lock; PostgreSQL's lock on the events table): the relay cannot commit.
    let blocker = relay.db();
    let db = blocker.db();
    match db.dialect() {
        Dialect::Sqlite => db.execute_batch("BEGIN IMMEDIATE").unwrap(),
        Dialect::Postgres => db
            .execute_batch("BEGIN; LOCK TABLE events IN EXCLUSIVE MODE")
            .unwrap(),
    }
    s.answer(1, 1, 0).await;
    assert!(
        s.quiet_for(Duration::from_millis(800)).await,
        "no ack may arrive while the write cannot commit"
    );
    assert!(relay.stored_events(joined.attempt_id).is_empty());

    db.execute_batch("COMMIT").unwrap();
    assert_eq!(acked(&s.recv().await), 1);
    // At the moment of the ack an independent reader sees the event.
    assert_eq!(relay.stored_events(joined.attempt_id), vec![(1, None)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resend_after_reconnect_stores_no_duplicate() {
    let relay = TestRelay::with_duration(HOUR, 1_000).await;
    let joined = relay.join(&relay.code(0), "Trần Thị Bình").await.unwrap();
    let (mut s, _) = StudentWs::hello(&relay, &joined.token, now_ms()).await;
    s.answer(1, 1, 0).await;
    s.answer(2, 2, 3).await;
    assert_eq!(acked(&s.recv().await), 1);
    assert_eq!(acked(&s.recv().await), 2);
    // The network drops before the client reads the ack of event 3.
    s.answer(3, 3, 2).await;
    drop(s);
    tokio::time::sleep(Duration::from_millis(200)).await;

    let (mut s, welcome) = StudentWs::hello(&relay, &joined.token, now_ms()).await;
    let RelayToStudent::Welcome { attempt, .. } = welcome else {
        unreachable!()
    };
    assert_eq!(attempt.acked_seq, 3, "the relay says what it holds");
    // A client that lost its acks resends everything; only new numbers count.
    for (seq, q, c) in [(1, 1, 0), (2, 2, 3), (3, 3, 2), (4, 4, 1)] {
        s.answer(seq, q, c).await;
    }
    let acks: Vec<u64> = [
        s.recv().await,
        s.recv().await,
        s.recv().await,
        s.recv().await,
    ]
    .iter()
    .map(acked)
    .collect();
    assert_eq!(
        acks,
        [3, 3, 3, 4],
        "duplicates are re-acknowledged, not stored"
    );
    let stored = relay.stored_events(joined.attempt_id);
    assert_eq!(stored.iter().map(|e| e.0).collect::<Vec<_>>(), [1, 2, 3, 4]);
    let (_, welcome) = StudentWs::hello(&relay, &joined.token, now_ms()).await;
    let RelayToStudent::Welcome { attempt, .. } = welcome else {
        unreachable!()
    };
    assert_eq!(
        attempt.answers,
        [(1, 0), (2, 3), (3, 2), (4, 1)]
            .map(|(q, o)| (QuestionId(q), AnswerValue::Choice(OptionId(o))))
            .to_vec()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gap_in_sequence_numbers_is_refused_without_consuming() {
    let relay = TestRelay::with_duration(HOUR, 1_000).await;
    let joined = relay.join(&relay.code(0), "Gap").await.unwrap();
    let (mut s, _) = StudentWs::hello(&relay, &joined.token, now_ms()).await;
    s.answer(2, 1, 0).await;
    match s.recv().await {
        RelayToStudent::Error { error, expected } => {
            assert_eq!(error.code, ErrorCode::OutOfOrder);
            assert_eq!(expected, Some(1));
        }
        other => panic!("{other:?}"),
    }
    s.answer(1, 1, 0).await;
    assert_eq!(acked(&s.recv().await), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn skewed_client_clock_still_gets_the_right_remaining_time() {
    let duration = 20 * 60_000;
    let relay = TestRelay::with_duration(duration, 1_000).await;
    for (name, skew) in [("Lệch trước", HOUR), ("Lệch sau", -HOUR)] {
        let joined = relay.join(&relay.code(1), name).await.unwrap();
        let sent_local = now_ms() + skew;
        let (mut s, welcome) = StudentWs::hello(&relay, &joined.token, sent_local).await;
        let received_local = now_ms() + skew;
        let RelayToStudent::Welcome {
            echo,
            relay_time,
            attempt,
            ..
        } = welcome
        else {
            unreachable!()
        };
        assert_eq!(echo, sent_local, "the client's time is only echoed");
        // The deadline is set from the relay's clock, not the client's.
        assert_eq!(attempt.deadline_ms - relay_time, duration);
        let mut clock = ClockSync::default();
        clock.observe(echo, relay_time, received_local);
        let remaining = clock.remaining(attempt.deadline_ms, now_ms() + skew);
        assert!(
            (duration - 2_000..=duration).contains(&remaining),
            "skew {skew}: {remaining} ms left"
        );
        // A ping with the skewed clock changes nothing either.
        s.send(&StudentToRelay::Ping {
            sent_at: now_ms() + skew,
        })
        .await;
        let RelayToStudent::Pong { relay_time, .. } = s.recv().await else {
            panic!("pong expected")
        };
        assert!((relay_time - now_ms()).abs() < 2_000);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attempts_are_closed_and_graded_at_the_deadline_without_a_client() {
    let relay = TestRelay::with_duration(2_000, 300).await;
    let central = relay.login("central").await;
    let (mut proctor, _) = ProctorWs::connect(&relay, &central.token).await;

    // One student stays connected, one leaves after answering.
    let a = relay.join(&relay.code(0), "Nguyễn Văn An").await.unwrap();
    let b = relay.join(&relay.code(1), "Phạm Minh Đức").await.unwrap();
    let (mut sa, _) = StudentWs::hello(&relay, &a.token, now_ms()).await;
    let (mut sb, _) = StudentWs::hello(&relay, &b.token, now_ms()).await;
    // Demo keys: q1 → A, q2 → B, q3 → C.
    sa.answer(1, 1, 0).await;
    sa.answer(2, 2, 1).await;
    sa.answer(3, 3, 0).await; // wrong
    for seq in 1..=3 {
        assert_eq!(acked(&sa.recv().await), seq);
    }
    sb.answer(1, 1, 0).await;
    assert_eq!(acked(&sb.recv().await), 1);
    sb.close().await;

    // Nobody submits; the relay closes both itself.
    let result = sa.recv().await;
    let RelayToStudent::Result { status, grade } = result else {
        panic!("{result:?}")
    };
    assert_eq!(status, AttemptStatus::Closed);
    assert_eq!(grade.score.fraction(), (500, 1));
    // The demo is the Math 2025 shape: 22 questions, 10 points.
    assert_eq!(grade.max.milli(), 10_000);
    assert_eq!(grade.mark.to_string(), "0.5");
    let outcomes: Vec<Outcome> = grade.items.iter().take(4).map(|i| i.outcome).collect();
    assert_eq!(
        outcomes,
        [
            Outcome::Right,
            Outcome::Right,
            Outcome::Wrong,
            Outcome::Blank
        ]
    );

    tokio::time::sleep(Duration::from_millis(500)).await;
    let db = relay.db();
    let finals: Vec<(u64, String, u32)> = db
        .query_map(
            "SELECT id, final_status, mark_tenths FROM attempts ORDER BY id",
            examgate_relay::args![],
            |r| Ok((r.get::<i64>(0)? as u64, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(
        finals,
        vec![
            (a.attempt_id, "closed".into(), 5),
            (b.attempt_id, "closed".into(), 3)
        ]
    );

    // The proctor saw both rows become submitted with their marks.
    let mut marks = std::collections::HashMap::new();
    while marks.len() < 2 {
        if let RelayToProctor::Row { row, .. } = proctor.recv().await
            && row.status == RowStatus::Submitted
        {
            marks.insert(row.name.clone(), row.mark.unwrap().to_string());
        }
    }
    assert_eq!(marks["Nguyễn Văn An"], "0.5");
    // 0.25 of 10 points is 0.25, rounded half up to 0.3.
    assert_eq!(marks["Phạm Minh Đức"], "0.3");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submit_grades_at_once_and_ends_the_attempt() {
    let relay = TestRelay::with_duration(HOUR, 1_000).await;
    let joined = relay.join(&relay.code(0), "Nộp sớm").await.unwrap();
    let (mut s, _) = StudentWs::hello(&relay, &joined.token, now_ms()).await;
    s.answer(1, 1, 0).await;
    s.send(&StudentToRelay::Event {
        seq: 2,
        event: StudentEvent::Submit,
    })
    .await;
    assert_eq!(acked(&s.recv().await), 1);
    assert_eq!(acked(&s.recv().await), 2);
    let RelayToStudent::Result { status, grade } = s.recv().await else {
        panic!("result expected")
    };
    assert_eq!(status, AttemptStatus::Submitted);
    assert_eq!(grade.mark.to_string(), "0.3");
    s.answer(3, 2, 1).await;
    assert_eq!(refused_code(&s.recv().await), ErrorCode::AttemptClosed);
    // A reload after the end shows the result (with the paper, so choice
    // answers show in the letters this student saw).
    let (mut again, welcome) = StudentWs::hello(&relay, &joined.token, now_ms()).await;
    let RelayToStudent::Welcome { paper, .. } = welcome else {
        unreachable!()
    };
    assert!(paper.is_some());
    assert!(matches!(again.recv().await, RelayToStudent::Result { .. }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_events_get_their_own_errors_and_change_nothing() {
    let relay = TestRelay::with_duration(2_000, 200).await;
    let joined = relay.join(&relay.code(0), "Lỗi").await.unwrap();
    let (mut s, welcome) = StudentWs::hello(&relay, &joined.token, now_ms()).await;
    let RelayToStudent::Welcome { paper, .. } = welcome else {
        unreachable!()
    };
    let paper = paper.expect("paper while working");
    let json = serde_json::to_string(&paper).unwrap();
    assert!(
        !json.contains("\"key\""),
        "the key is never sent while working"
    );

    s.answer(1, 999, 0).await;
    assert_eq!(refused_code(&s.recv().await), ErrorCode::UnknownQuestion);
    s.answer(2, 1, 7).await;
    assert_eq!(refused_code(&s.recv().await), ErrorCode::UnknownOption);
    // After the deadline (2 s) plus grace the relay closes and grades …
    assert!(matches!(s.recv().await, RelayToStudent::Result { .. }));
    // … and a late answer is refused as late.
    s.answer(3, 1, 0).await;
    assert_eq!(refused_code(&s.recv().await), ErrorCode::DeadlinePassed);
    let stored = relay.stored_events(joined.attempt_id);
    assert_eq!(
        stored,
        vec![
            (1, Some("unknown_question".into())),
            (2, Some("unknown_option".into())),
            (3, Some("deadline_passed".into())),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_and_oversized_messages_close_only_that_connection() {
    let relay = TestRelay::with_duration(HOUR, 1_000).await;
    let good = relay.join(&relay.code(0), "Người tốt").await.unwrap();
    let (mut bystander, _) = StudentWs::hello(&relay, &good.token, now_ms()).await;

    let bad = relay.join(&relay.code(0), "Người xấu").await.unwrap();
    let (mut s, _) = StudentWs::hello(&relay, &bad.token, now_ms()).await;
    s.send_raw(Message::text(r#"{"type":"event","seq":"one"}"#))
        .await;
    let (seen, closed) = s.until_closed().await;
    assert!(
        matches!(&seen[..], [RelayToStudent::Error { error, .. }] if error.code == ErrorCode::Malformed),
        "{seen:?}"
    );
    assert_eq!(closed.code, close_code::INVALID_PAYLOAD);
    assert!(closed.reason.starts_with("malformed:"), "{}", closed.reason);

    let (mut s, _) = StudentWs::hello(&relay, &bad.token, now_ms()).await;
    s.send_raw(Message::text("x".repeat(16 * 1024))).await;
    let (seen, closed) = s.until_closed().await;
    assert!(
        matches!(&seen[..], [RelayToStudent::Error { error, .. }] if error.code == ErrorCode::TooLarge),
        "{seen:?}"
    );
    assert_eq!(closed.code, close_code::TOO_BIG, "{closed:?}");
    assert!(closed.reason.starts_with("too_large"), "{}", closed.reason);

    // Far beyond any limit: the relay stops reading and drops the socket.
    let (mut s, _) = StudentWs::hello(&relay, &bad.token, now_ms()).await;
    s.send_raw(Message::text("x".repeat(1024 * 1024))).await;
    let (_, closed) = s.until_closed().await;
    assert!(
        [close_code::TOO_BIG, 1006].contains(&closed.code),
        "{closed:?}"
    );

    let (mut s, _) = StudentWs::hello(&relay, &bad.token, now_ms()).await;
    s.send_raw(Message::binary(vec![1, 2, 3])).await;
    let (_, closed) = s.until_closed().await;
    assert_eq!(closed.code, close_code::INVALID_PAYLOAD);

    // The relay keeps serving the others.
    bystander.answer(1, 1, 0).await;
    assert_eq!(acked(&bystander.recv().await), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hello_problems_are_refused_with_reasons() {
    let relay = TestRelay::with_duration(HOUR, 1_000).await;
    // Not a hello first.
    let mut s = StudentWs::connect(&relay).await;
    s.send(&StudentToRelay::Ping { sent_at: 0 }).await;
    let (_, closed) = s.until_closed().await;
    assert_eq!(closed.code, close_code::POLICY);
    assert!(
        closed.reason.starts_with("hello_expected"),
        "{}",
        closed.reason
    );
    // Unknown token.
    let mut s = StudentWs::connect(&relay).await;
    s.send(&StudentToRelay::Hello {
        v: 1,
        token: "not-a-token".into(),
        sent_at: 0,
        tab: None,
    })
    .await;
    let (_, closed) = s.until_closed().await;
    assert!(
        closed.reason.starts_with("unauthorized"),
        "{}",
        closed.reason
    );
    // Future protocol version.
    let joined = relay.join(&relay.code(0), "Phiên bản").await.unwrap();
    let mut s = StudentWs::connect(&relay).await;
    s.send(&StudentToRelay::Hello {
        v: 99,
        token: joined.token.clone(),
        sent_at: 0,
        tab: None,
    })
    .await;
    let (_, closed) = s.until_closed().await;
    assert!(
        closed.reason.starts_with("unsupported_version"),
        "{}",
        closed.reason
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_connection_replaces_the_first_and_loses_nothing() {
    let relay = TestRelay::with_duration(HOUR, 1_000).await;
    let joined = relay.join(&relay.code(0), "Hai tab").await.unwrap();
    let (mut first, _) = StudentWs::hello(&relay, &joined.token, now_ms()).await;
    first.answer(1, 1, 2).await;
    assert_eq!(acked(&first.recv().await), 1);
    let (mut second, welcome) = StudentWs::hello(&relay, &joined.token, now_ms()).await;
    let (_, closed) = first.until_closed().await;
    assert_eq!(closed.code, close_code::REPLACED);
    let RelayToStudent::Welcome { attempt, .. } = welcome else {
        unreachable!()
    };
    assert_eq!(
        attempt.answers,
        vec![(QuestionId(1), AnswerValue::Choice(OptionId(2)))]
    );
    second.answer(2, 2, 0).await;
    assert_eq!(acked(&second.recv().await), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proctor_rows_update_live_and_room_proctors_see_only_their_room() {
    let relay = TestRelay::with_duration(HOUR, 1_000).await;
    let central = relay.login("central").await;
    let room1 = relay.login("phong01").await;
    let (mut pc, snap) = ProctorWs::connect(&relay, &central.token).await;
    let RelayToProctor::Snapshot { rooms, .. } = snap else {
        panic!()
    };
    assert_eq!(rooms.len(), 3, "two practice rooms and the chip-ID room");
    assert_eq!(rooms[0].rows.len(), 3, "the seeded roster");
    let (mut p1, snap) = ProctorWs::connect(&relay, &room1.token).await;
    let RelayToProctor::Snapshot { rooms, .. } = snap else {
        panic!()
    };
    assert_eq!(rooms.len(), 1);
    let room1_id = rooms[0].room_id;

    // A student in room 2 answers: only the central view hears of it.
    let joined = relay.join(&relay.code(1), "Hoàng Thu Hà").await.unwrap();
    let (mut s, _) = StudentWs::hello(&relay, &joined.token, now_ms()).await;
    s.answer(1, 1, 0).await;
    acked(&s.recv().await);
    let started = std::time::Instant::now();
    loop {
        let RelayToProctor::Row { row, room_id } = pc.recv().await else {
            continue;
        };
        assert_ne!(room_id, room1_id);
        if row.name == "Hoàng Thu Hà" && row.answered == 1 {
            assert_eq!(row.status, RowStatus::Working);
            break;
        }
    }
    assert!(started.elapsed() < Duration::from_secs(1));
    // The room-1 proctor only ever gets room-1 rows: a room-1 student's
    // change is the first thing it receives.
    let other = relay.join(&relay.code(0), "Lê Hoàng Cường").await.unwrap();
    let (_s2, _) = StudentWs::hello(&relay, &other.token, now_ms()).await;
    let RelayToProctor::Row { room_id, row } = p1.recv().await else {
        panic!()
    };
    assert_eq!(room_id, room1_id);
    assert_eq!(row.name, "Lê Hoàng Cường");
    // Disconnection shows.
    s.close().await;
    loop {
        let RelayToProctor::Row { row, .. } = pc.recv().await else {
            continue;
        };
        if row.name == "Hoàng Thu Hà" && row.status == RowStatus::Disconnected {
            break;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_keeps_every_acknowledged_answer() {
    let relay = TestRelay::with_duration(HOUR, 1_000).await;
    let joined = relay.join(&relay.code(0), "Khởi động lại").await.unwrap();
    let (mut s, _) = StudentWs::hello(&relay, &joined.token, now_ms()).await;
    for (seq, q) in (1..=5).zip(1..=5) {
        s.answer(seq, q, 1).await;
        acked(&s.recv().await);
    }
    // A second relay on the same database (as after a crash) rebuilds the
    // attempt by replaying its events.
    let conn = relay.db();
    let at_rest = examgate_relay::at_rest::AtRest::load(relay.db_path.parent().unwrap()).unwrap();
    let loaded = examgate_relay::store::load(conn.db(), &at_rest).unwrap();
    let stored = loaded
        .attempts
        .iter()
        .find(|a| a.id == joined.attempt_id)
        .unwrap();
    assert_eq!(stored.attempt.acked_seq, 5);
    assert_eq!(stored.attempt.answers.len(), 5);
    assert_eq!(stored.attempt.status, AttemptStatus::Working);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_question_kind_and_per_candidate_papers() {
    use examgate_shared::exam::Versioning;
    use examgate_shared::paper::PaperBody;

    // The demo (Math 2025 shape) with Part I shuffled per candidate.
    let mut exam = examgate_relay::seed::demo_exam();
    exam.versioning = Versioning::PerCandidate;
    exam.sections[0].shuffle_questions = true;
    exam.sections[0].shuffle_options = true;
    let relay = TestRelay::with_exam(exam, HOUR).await;

    let papers = {
        let mut papers = Vec::new();
        for name in ["Thí sinh một", "Thí sinh hai"] {
            let joined = relay.join(&relay.code(0), name).await.unwrap();
            let (_, welcome) = StudentWs::hello(&relay, &joined.token, now_ms()).await;
            let RelayToStudent::Welcome { paper, .. } = welcome else {
                unreachable!()
            };
            papers.push((joined, paper.unwrap()));
        }
        papers
    };
    let order = |p: &examgate_shared::paper::Paper| -> Vec<u32> {
        p.questions.iter().map(|q| q.id.0).collect()
    };
    assert_ne!(
        order(&papers[0].1),
        order(&papers[1].1),
        "own order per candidate"
    );
    // Part II and III keep their order and come after Part I.
    assert_eq!(order(&papers[0].1)[12..], (13..=22).collect::<Vec<_>>()[..]);
    assert!(matches!(
        papers[0].1.questions[12].body,
        PaperBody::TrueFalse { .. }
    ));
    assert!(matches!(papers[0].1.questions[21].body, PaperBody::Numeric));
    // A reload shows the very same paper.
    let (joined, first) = &papers[0];
    let (mut s, welcome) = StudentWs::hello(&relay, &joined.token, now_ms()).await;
    let RelayToStudent::Welcome { paper, .. } = welcome else {
        unreachable!()
    };
    assert_eq!(paper.as_ref(), Some(first));

    // Question 13 (keys T F T T): two right → 0.25 of its point.
    s.answer_value(
        1,
        13,
        AnswerValue::TrueFalse(vec![Some(true), Some(false), None, None]),
    )
    .await;
    assert_eq!(acked(&s.recv().await), 1);
    // Numeric answers compare as numbers: "-1.25" for the key "-1,25".
    s.answer_value(2, 21, AnswerValue::Typed("-1.25".into()))
        .await;
    assert_eq!(acked(&s.recv().await), 2);
    s.answer_value(3, 22, AnswerValue::Typed("1,2,3".into()))
        .await;
    assert_eq!(refused_code(&s.recv().await), ErrorCode::InvalidAnswer);
    s.answer_value(4, 22, AnswerValue::Choice(OptionId(0)))
        .await;
    assert_eq!(refused_code(&s.recv().await), ErrorCode::InvalidAnswer);
    s.answer_value(5, 22, AnswerValue::Typed("25".into())).await;
    assert_eq!(acked(&s.recv().await), 5);
    s.send(&StudentToRelay::Event {
        seq: 6,
        event: StudentEvent::Submit,
    })
    .await;
    assert_eq!(acked(&s.recv().await), 6);
    let RelayToStudent::Result { grade, .. } = s.recv().await else {
        panic!("result expected")
    };
    // 0.25 + 0.5 + 0.5 = 1.25 of 10 → 1.3 (half up).
    assert_eq!(grade.score.to_string(), "1.25");
    assert_eq!(grade.mark.to_string(), "1.3");
    let outcome = |q: u32| {
        grade
            .items
            .iter()
            .find(|i| i.question.0 == q)
            .unwrap()
            .outcome
    };
    assert_eq!(outcome(13), Outcome::Partial);
    assert_eq!(outcome(21), Outcome::Right);
    assert_eq!(outcome(1), Outcome::Blank);
}
