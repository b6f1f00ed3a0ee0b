//! Faults at the relay: a full disk, a refusal lost with its connection,
//! more connections than the relay can hold. (The chaos test — the relay
//! killed with SIGKILL under load — is relay/tests/chaos.rs; slow
//! consumers are unit tests of `live` and `ws`.)

use std::time::Duration;

use examgate_shared::attempt::RefusedEvent;
use examgate_shared::error::ErrorCode;
use examgate_shared::protocol::RelayToStudent;
use examgate_tests::{StudentWs, TestRelay, now_ms};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const HOUR: i64 = 3_600_000;

/// The database's current size in pages, and a cap at it: nothing that
/// needs a new page can be written (SQLite answers SQLITE_FULL, as on a
/// full disk).
async fn fill_the_disk(relay: &TestRelay) {
    relay
        .state
        .store
        .write(|txn| {
            let pages: i64 =
                txn.query_row("PRAGMA page_count", examgate_relay::args![], |r| r.get(0))?;
            txn.query_row(
                &format!("PRAGMA max_page_count = {pages}"),
                examgate_relay::args![],
                |_| Ok(()),
            )
        })
        .await
        .unwrap();
}

async fn free_the_disk(relay: &TestRelay) {
    relay
        .state
        .store
        .write(|txn| {
            txn.query_row(
                "PRAGMA max_page_count = 1073741823",
                examgate_relay::args![],
                |_| Ok(()),
            )
        })
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_acks_nothing_it_could_not_store_and_recovers() {
    // SQLite's own cap on its file stands in for a full disk; a
    // PostgreSQL server's disk is the server's (docs/deployment.md).
    if !examgate_tests::on_sqlite() {
        return;
    }
    let relay = TestRelay::with_duration(HOUR, 1_000).await;
    let joined = relay.join(&relay.code(0), "Nguyễn Văn An").await.unwrap();
    let (mut s, _) = StudentWs::hello(&relay, &joined.token, now_ms()).await;
    s.answer(1, 1, 0).await;
    assert!(matches!(s.recv().await, RelayToStudent::Ack { seq: 1 }));

    fill_the_disk(&relay).await;
    // Answer until the store refuses: every ack before that is stored,
    // the refused event is not, and the relay says `internal` and closes.
    let mut acked = 1;
    let failed = loop {
        let seq = acked + 1;
        assert!(seq < 2_000, "the page cap never filled");
        s.answer(seq, 1 + (seq % 10) as u32, (seq % 4) as u8).await;
        match s.next().await {
            Ok(RelayToStudent::Ack { seq: a }) => {
                assert_eq!(a, seq);
                acked = seq;
            }
            Ok(RelayToStudent::Error { error, .. }) => {
                assert_eq!(error.code, ErrorCode::Internal, "{error:?}");
                let closed = s.next().await.expect_err("closed after internal");
                assert_eq!(closed.code, 1011);
                break seq;
            }
            other => panic!("unexpected {other:?}"),
        }
    };
    let stored = relay.stored_events(joined.attempt_id);
    assert_eq!(
        stored.iter().map(|(seq, _)| *seq).max(),
        Some(acked),
        "stored exactly what was acknowledged"
    );
    assert!(!stored.iter().any(|(seq, _)| *seq == failed));
    // A join that needs pages is refused cleanly, nothing half made;
    // one that still fits in the pages there are is stored whole.
    match relay.join(&relay.code(0), "Trần Thị Bình").await {
        Err((status, body)) => assert_eq!((status, body.code), (500, ErrorCode::Internal)),
        Ok(j) => {
            let n: i64 = relay
                .db()
                .query_row(
                    "SELECT count(*) FROM attempts WHERE id = ?1",
                    examgate_relay::args![j.attempt_id as i64],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(n, 1);
        }
    }

    // Space returns: the student reconnects, learns what the relay holds
    // and resends the rest.
    free_the_disk(&relay).await;
    let (mut s, welcome) = StudentWs::hello(&relay, &joined.token, now_ms()).await;
    let RelayToStudent::Welcome { attempt, .. } = welcome else {
        unreachable!()
    };
    assert_eq!(attempt.acked_seq, acked);
    s.answer(failed, 2, 1).await;
    assert!(matches!(s.recv().await, RelayToStudent::Ack { seq } if seq == failed));
    assert_eq!(
        relay.stored_events(joined.attempt_id).len() as u64,
        failed,
        "nothing lost, nothing doubled"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_lost_with_the_connection_comes_back_in_the_welcome() {
    let relay = TestRelay::with_duration(HOUR, 1_000).await;
    let joined = relay.join(&relay.code(0), "Lê Văn Cường").await.unwrap();
    let (mut s, _) = StudentWs::hello(&relay, &joined.token, now_ms()).await;
    s.answer(1, 1, 0).await;
    assert!(matches!(s.recv().await, RelayToStudent::Ack { seq: 1 }));
    // Option 200 does not exist: refused. The page goes away before the
    // refusal reaches it.
    s.answer(2, 1, 200).await;
    s.close().await;
    let until = std::time::Instant::now() + Duration::from_secs(10);
    while relay.stored_events(joined.attempt_id).len() < 2 {
        assert!(
            std::time::Instant::now() < until,
            "the refusal was not stored"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (_, welcome) = StudentWs::hello(&relay, &joined.token, now_ms()).await;
    let RelayToStudent::Welcome { attempt, .. } = welcome else {
        unreachable!()
    };
    assert_eq!(attempt.acked_seq, 2);
    assert_eq!(
        attempt.refused,
        vec![RefusedEvent {
            seq: 2,
            code: ErrorCode::UnknownOption
        }]
    );
    // And after a restart (the relay rebuilds it from its store).
    let relay = relay.restart().await;
    let (_, welcome) = StudentWs::hello(&relay, &joined.token, now_ms()).await;
    let RelayToStudent::Welcome { attempt, .. } = welcome else {
        unreachable!()
    };
    assert_eq!(attempt.refused.len(), 1);
    assert_eq!(attempt.refused[0].code, ErrorCode::UnknownOption);
}

/// One raw HTTP/1.1 request on `stream`; the response's text.
async fn request(stream: &mut TcpStream, path: &str) -> String {
    let req = format!("GET {path} HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n");
    stream.write_all(req.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_the_connection_limit_newcomers_get_503_and_held_connections_go_on() {
    let relay = TestRelay::with_max_connections(3).await;
    // Three connections held (as three students' sockets would be).
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(TcpStream::connect(relay.addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut newcomer = TcpStream::connect(relay.addr).await.unwrap();
    let refused = request(&mut newcomer, "/api/health").await;
    assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
    let retry: u64 = refused
        .lines()
        .find_map(|l| l.strip_prefix("Retry-After: "))
        .and_then(|v| v.trim().parse().ok())
        .expect("a Retry-After header");
    assert!((3..=8).contains(&retry), "{refused}");
    assert!(refused.contains(r#""code":"overloaded""#), "{refused}");
    // The held ones are served as before.
    let ok = request(&mut held[0], "/api/health").await;
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    // A place freed (that one closed): the next newcomer is let in, and the
    // operator's metrics count the refusal.
    drop(held.remove(0));
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut next = TcpStream::connect(relay.addr).await.unwrap();
    let metrics = request(&mut next, "/api/metrics").await;
    assert!(metrics.starts_with("HTTP/1.1 200"), "{metrics}");
    let body = metrics.split("\r\n\r\n").nth(1).unwrap_or_default();
    let body = if body.contains('{') && !body.starts_with('{') {
        // Chunked: the JSON sits between the chunk sizes.
        &body[body.find('{').unwrap()..=body.rfind('}').unwrap()]
    } else {
        body
    };
    let m: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(m["connections_limit"], 3);
    assert_eq!(m["connections_refused"], 1);
    // Through a reverse proxy on the same machine the peer looks local; the
    // proxy's header says it is not, and the metrics are refused.
    drop(next);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut proxied = TcpStream::connect(relay.addr).await.unwrap();
    let req = "GET /api/metrics HTTP/1.1\r\nHost: relay\r\nX-Forwarded-For: 203.0.113.7\r\nConnection: close\r\n\r\n";
    proxied.write_all(req.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), proxied.read_to_end(&mut out)).await;
    let out = String::from_utf8_lossy(&out);
    assert!(out.starts_with("HTTP/1.1 403"), "{out}");
    assert!(out.contains(r#""code":"forbidden""#), "{out}");
}
