//! Three relays serving one exam together: one PostgreSQL database, one
//! nats-server between them (`--bus`), nothing in front but their three
//! ports. A student joins through one relay and opens the exam on another,
//! reconnects through a third and resends; a second connection on another
//! relay replaces the first; the central proctor on a relay that holds no
//! student sees every row live, and a proctor's action and message taken on
//! one relay reach the student on another; a session signed in on one relay
//! works on the others and ends on all of them; every attempt is closed at
//! its deadline exactly once although three closers watch it.
//!
//! These run once, in the SQLite pass of `cargo xtask test` (they start
//! their own PostgreSQL database and nats-server whatever that pass uses).
//! The SIGKILL failover is `relay/tests/cluster_failover.rs` (it needs the
//! relay binary).

use std::time::Duration;

use examgate_shared::control::Control;
use examgate_shared::error::ErrorCode;
use examgate_shared::proctoring::{Action, ActionRequest, ActionResponse, MessageRequest, Target};
use examgate_shared::protocol::{
    JoinRequest, RelayToProctor, RelayToStudent, StudentToRelay, close_code,
};
use examgate_shared::roster::{CandidateRow, RowStatus};
use examgate_tests::office::Client;
use examgate_tests::{ProctorWs, StudentWs, TestRelay, acked, now_ms, on_sqlite};

/// Reads proctor messages until a row of `candidate` that `pick` accepts.
async fn row_until(
    ws: &mut ProctorWs,
    candidate: u64,
    pick: impl Fn(&CandidateRow) -> bool,
) -> CandidateRow {
    loop {
        if let RelayToProctor::Row { row, .. } = ws.recv().await
            && row.candidate_id == candidate
            && pick(&row)
        {
            return row;
        }
    }
}

/// The candidate id of an attempt, from the shared database.
fn candidate_of(relay: &TestRelay, attempt: u64) -> u64 {
    relay
        .db()
        .query_row(
            "SELECT candidate_id FROM attempts WHERE id = ?1",
            examgate_relay::args![attempt],
            |r| r.get(0),
        )
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_relays_serve_one_exam_as_one() {
    if !on_sqlite() {
        return; // run once; see the module doc
    }
    let relays = TestRelay::cluster(3, 45 * 60_000).await;
    let (a, b, c) = (&relays[0], &relays[1], &relays[2]);

    // The central proctor signs in on c and watches every room there.
    let central = c.login("central").await;
    let (mut feed, first) = ProctorWs::connect(c, &central.token).await;
    assert!(
        matches!(first, RelayToProctor::Snapshot { .. }),
        "{first:?}"
    );

    // A student joins through a and opens the exam through b: the token a
    // issued is read from the database.
    let joined = a.join(&a.code(0), "Nguyễn Văn Cụm").await.unwrap();
    let candidate = candidate_of(a, joined.attempt_id);
    let (mut ws, welcome) = StudentWs::hello(b, &joined.token, now_ms()).await;
    let RelayToStudent::Welcome { attempt, .. } = welcome else {
        unreachable!()
    };
    assert_eq!(attempt.acked_seq, 0);
    // The page reloads and joins again through c with its token: c finds
    // the candidate a created and resumes the same attempt; someone else
    // typing the same name on b is refused.
    let again = c
        .join_with(JoinRequest {
            code: a.code(0),
            name: "Nguyễn Văn Cụm".into(),
            resume_token: Some(joined.token.clone()),
            seat_code: None,
            candidate_number: None,
            birth: None,
        })
        .await
        .unwrap();
    assert_eq!(again.attempt_id, joined.attempt_id);
    let (status, error) = b.join(&b.code(0), "nguyễn văn cụm").await.unwrap_err();
    assert_eq!((status, error.code), (409, ErrorCode::AlreadyJoined));
    // c holds no student, yet its feed shows the row, working and online.
    row_until(&mut feed, candidate, |r| r.status == RowStatus::Working).await;
    ws.answer(1, 1, 0).await;
    assert_eq!(ws.until(acked).await, 1);
    let row = row_until(&mut feed, candidate, |r| r.answered == 1).await;
    assert_eq!(row.status, RowStatus::Working);

    // The network drops after event 2 left but before its ack arrived; the
    // page reconnects through a (another relay) and resends it.
    ws.answer(2, 2, 1).await;
    assert_eq!(ws.until(acked).await, 2);
    ws.close().await;
    let (mut ws, welcome) = StudentWs::hello(a, &joined.token, now_ms()).await;
    let RelayToStudent::Welcome { attempt, .. } = welcome else {
        unreachable!()
    };
    assert_eq!(attempt.acked_seq, 2, "a knows what b committed");
    ws.answer(2, 2, 1).await;
    assert_eq!(
        ws.until(acked).await,
        2,
        "a resent event is acknowledged, not stored again"
    );
    ws.answer(3, 3, 2).await;
    assert_eq!(ws.until(acked).await, 3);
    let stored: Vec<u64> = a
        .stored_events(joined.attempt_id)
        .into_iter()
        .map(|(seq, _)| seq)
        .collect();
    assert_eq!(stored, [1, 2, 3], "each event stored once");
    row_until(&mut feed, candidate, |r| r.answered == 3).await;

    // A proctor's action taken on b (with the session c issued) reaches
    // the student on a.
    let proctor = Client::new(b, Some(&central.token));
    let reply = proctor
        .post(
            "/api/proctor/actions",
            &ActionRequest {
                target: Target::Candidate {
                    candidate_id: candidate,
                },
                action: Action::ExtraTime { minutes: 5 },
                reason: "máy tính bị treo".into(),
            },
        )
        .await;
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(reply.json::<ActionResponse>().applied, 1);
    let control = ws
        .until(|m| match m {
            RelayToStudent::Control { control, clock } => Some((control.clone(), clock.clone())),
            _ => None,
        })
        .await;
    assert_eq!(control.0, Control::ExtraTime { minutes: 5 });
    assert_eq!(control.1.extra_ms, 5 * 60_000);
    // a read the attempt again: its next event is decided on the new clock.
    ws.answer(4, 4, 0).await;
    assert_eq!(ws.until(acked).await, 4);
    row_until(&mut feed, candidate, |r| {
        r.extra_ms == 5 * 60_000 && r.answered == 4
    })
    .await;

    // A message from c to the student on a.
    let reply = Client::new(c, Some(&central.token))
        .post(
            "/api/proctor/messages",
            &MessageRequest {
                target: Target::Candidate {
                    candidate_id: candidate,
                },
                text: "Em kiểm tra lại câu 4".into(),
            },
        )
        .await;
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let text = ws
        .until(|m| match m {
            RelayToStudent::Message { message } => Some(message.text.clone()),
            _ => None,
        })
        .await;
    assert_eq!(text, "Em kiểm tra lại câu 4");

    // Another computer opens the attempt through c: a's connection is
    // replaced, and told so.
    let (mut other, _) = StudentWs::hello(c, &joined.token, now_ms()).await;
    let (_, closed) = ws.until_closed().await;
    assert_eq!(closed.code, close_code::REPLACED, "{closed:?}");
    other.answer(5, 5, 1).await;
    assert_eq!(other.until(acked).await, 5);

    // Logging out on a ends the session on b and c too.
    let out = Client::new(a, Some(&central.token))
        .post("/api/logout", &serde_json::json!({}))
        .await;
    assert_eq!(out.status, 204, "{}", String::from_utf8_lossy(&out.body));
    let mut refused = 0;
    for _ in 0..50 {
        let status = Client::new(b, Some(&central.token))
            .get("/api/proctor/search?q=Cum")
            .await
            .status;
        if status == 401 {
            refused += 1;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        refused, 1,
        "a signed-out session stops working on every relay"
    );
    let _ = other
        .send(&StudentToRelay::Ping { sent_at: now_ms() })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_attempt_is_closed_once_at_its_deadline_by_whichever_relay_is_alive() {
    if !on_sqlite() {
        return; // run once; see the module doc
    }
    // Attempts of 3 s (grace 1 s).
    let mut relays = TestRelay::cluster(3, 3_000).await;
    let mut sockets = Vec::new();
    let mut attempts = Vec::new();
    for i in 0..12 {
        // Joined through one relay, opened through another; every third
        // student closes the page, so no relay holds it at its deadline.
        // The last three only ever met relay 0, which stops before their
        // deadline: the others find them due in the database.
        let (join, open) = match i {
            0..9 => (&relays[1 + i % 2], &relays[2 - i % 2]),
            _ => (&relays[0], &relays[0]),
        };
        let joined = join.join(&join.code(0), &format!("Hạn {i}")).await.unwrap();
        let (mut ws, _) = StudentWs::hello(open, &joined.token, now_ms()).await;
        ws.answer(1, 1, 0).await;
        assert_eq!(ws.until(acked).await, 1);
        if i % 3 == 0 || i >= 9 {
            ws.close().await;
        } else {
            sockets.push(ws);
        }
        attempts.push(joined.attempt_id);
    }
    // Relay 0 stops (its closer with it) before any deadline.
    drop(relays.remove(0));
    let db = relays[0].db();
    let closed = || -> i64 {
        db.query_row(
            "SELECT count(*) FROM attempts WHERE final_status = 'closed'",
            examgate_relay::args![],
            |r| r.get(0),
        )
        .unwrap()
    };
    // Relay 0's three are taken over once 10 s overdue (OVERDUE_MARGIN_MS).
    let until = std::time::Instant::now() + Duration::from_secs(40);
    while closed() < 12 && std::time::Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(closed(), 12, "every attempt closed");
    // Three closers saw each deadline; give the late ones time to try.
    tokio::time::sleep(Duration::from_secs(4)).await;
    for id in attempts {
        let closes: i64 = db
            .query_row(
                "SELECT count(*) FROM attempt_controls WHERE attempt_id = ?1
                 AND control LIKE '%deadline_close%'",
                examgate_relay::args![id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(closes, 1, "attempt {id}: closed once");
        let finals: i64 = db
            .query_row(
                "SELECT count(*) FROM audit WHERE action = 'attempt_final' AND detail LIKE ?1",
                examgate_relay::args![format!("attempt {id}:%")],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(finals, 1, "attempt {id}: committed final once");
    }
    // The students still connected got their result.
    for mut ws in sockets {
        ws.until(|m| match m {
            RelayToStudent::Result { .. } => Some(()),
            _ => None,
        })
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_control_whose_news_never_arrived_is_still_caught_by_the_database() {
    if !on_sqlite() {
        return; // run once; see the module doc
    }
    let relays = TestRelay::cluster(2, 45 * 60_000).await;
    let (a, b) = (&relays[0], &relays[1]);
    let joined = a.join(&a.code(0), "Tin lạc").await.unwrap();
    let (mut ws, _) = StudentWs::hello(b, &joined.token, now_ms()).await;
    ws.answer(1, 1, 0).await;
    assert_eq!(ws.until(acked).await, 1);
    // Another relay paused the attempt, and its news was lost: the pause
    // is in the database only (as a relay writes it, after event 1).
    let pause = serde_json::to_string(&Control::Pause).unwrap();
    a.db()
        .execute(
            "INSERT INTO attempt_controls (attempt_id, at, after_seq, control, actor, reason)
             VALUES (?1, ?2, 1, ?3, 'user:central', 'tin nhắn bị mất')",
            examgate_relay::args![joined.attempt_id, now_ms(), pause],
        )
        .unwrap();
    // (Past the grace a pause leaves a click made just before it.)
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    // b holds the student and believes the attempt works; the database
    // refuses the answer as decided on a stale copy, b reads it again and
    // answers as the pause says: nothing stored.
    ws.answer(2, 2, 1).await;
    let expected = ws
        .until(|m| match m {
            RelayToStudent::Error { error, expected } if error.code == ErrorCode::Paused => {
                Some(*expected)
            }
            RelayToStudent::Ack { seq } => panic!("event {seq} acknowledged while paused"),
            _ => None,
        })
        .await;
    assert_eq!(expected, Some(2));
    let stored: Vec<u64> = b
        .stored_events(joined.attempt_id)
        .into_iter()
        .map(|(seq, _)| seq)
        .collect();
    assert_eq!(stored, [1]);

    // The same for a token replaced on another relay (a move whose news
    // was lost): the old computer's next answer ends its connection.
    let joined = a.join(&a.code(0), "Máy cũ").await.unwrap();
    let (mut ws, _) = StudentWs::hello(b, &joined.token, now_ms()).await;
    ws.answer(1, 1, 0).await;
    assert_eq!(ws.until(acked).await, 1);
    a.db()
        .execute(
            "UPDATE attempts SET token_hash = ?2 WHERE id = ?1",
            examgate_relay::args![joined.attempt_id, vec![7u8; 32]],
        )
        .unwrap();
    ws.answer(2, 2, 1).await;
    let (msgs, closed) = ws.until_closed().await;
    assert!(
        msgs.iter()
            .all(|m| !matches!(m, RelayToStudent::Ack { .. })),
        "{msgs:?}"
    );
    assert_eq!(closed.code, close_code::REPLACED, "{closed:?}");
    assert_eq!(b.stored_events(joined.attempt_id).len(), 1);
}
