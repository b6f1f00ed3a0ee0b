//! The tamper-evident record through the real relay: what a run writes
//! (logins, joins, answers, a refused answer, a submit) verifies; one audit
//! row or one answer event edited directly in SQLite is named exactly; the
//! exported trail verifies until a line changes; `GET /api/audit/head`;
//! and staff sessions across a relay restart — kept when live, gone when
//! logged out or when the account was disabled.
//! (The `examgate-relay audit` command itself: relay/tests/audit_cli.rs.)

use examgate_relay::audit::export::{FileError, export_bytes, verify_file};
use examgate_relay::audit::{Finding, VerifyError, verify_database};
use examgate_relay::boot::Start;
use examgate_relay::store::db::Conn;
use examgate_shared::attempt::StudentEvent;
use examgate_shared::audit_chain::{AuditBreak, ChainHead, EventBreak, Problem, to_hex};
use examgate_shared::office::api::AccountChange;
use examgate_shared::protocol::{RelayToStudent, Role, StudentToRelay};
use examgate_tests::office::{Client, set_up_office, sign_in};
use examgate_tests::{StudentWs, TestRelay, now_ms};

const HOUR: i64 = 3_600_000;

fn finding(conn: &Conn) -> Finding {
    match verify_database(conn.db()) {
        Err(VerifyError::Broken(f)) => f,
        other => panic!("expected a broken entry, got {other:?}"),
    }
}

/// Waits for the reply to event `seq` (an ack or a refusal).
async fn reply(s: &mut StudentWs) -> RelayToStudent {
    loop {
        match s.recv().await {
            m @ (RelayToStudent::Ack { .. } | RelayToStudent::Refused { .. }) => return m,
            _ => continue,
        }
    }
}

/// A short run: two staff sign in, two students join and answer (one
/// answer refused), one submits. Returns the submitted attempt's id.
async fn exam_run(relay: &TestRelay) -> u64 {
    relay.login("central").await;
    relay.login("phong01").await;
    let a = relay.join(&relay.code(0), "Nguyễn Văn An").await.unwrap();
    let b = relay.join(&relay.code(1), "Trần Thị Bình").await.unwrap();
    let (mut sa, _) = StudentWs::hello(relay, &a.token, now_ms()).await;
    let (mut sb, _) = StudentWs::hello(relay, &b.token, now_ms()).await;
    sa.answer(1, 1, 2).await;
    assert!(matches!(
        reply(&mut sa).await,
        RelayToStudent::Ack { seq: 1 }
    ));
    sa.answer(2, 99, 0).await;
    assert!(matches!(
        reply(&mut sa).await,
        RelayToStudent::Refused { seq: 2, .. }
    ));
    sa.answer(3, 2, 1).await;
    assert!(matches!(
        reply(&mut sa).await,
        RelayToStudent::Ack { seq: 3 }
    ));
    sb.answer(1, 3, 0).await;
    assert!(matches!(
        reply(&mut sb).await,
        RelayToStudent::Ack { seq: 1 }
    ));
    sa.send(&StudentToRelay::Event {
        seq: 4,
        event: StudentEvent::Submit,
    })
    .await;
    while !matches!(sa.recv().await, RelayToStudent::Result { .. }) {}
    a.attempt_id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_verifies_and_one_edited_row_or_answer_is_named() {
    let relay = TestRelay::with_duration(HOUR, 1_000).await;
    let submitted = exam_run(&relay).await;
    let db = relay.db();
    let report = verify_database(db.db()).unwrap();
    assert!(report.audit.count >= 5, "{report:?}");
    assert_eq!(
        (report.attempts, report.events, report.committed),
        (2, 5, 1)
    );
    let actions: Vec<String> = db
        .query_map(
            "SELECT action FROM audit ORDER BY id",
            examgate_relay::args![],
            |r| r.get(0),
        )
        .unwrap()
        .into_iter()
        .collect();
    for action in ["login", "attempt_final"] {
        assert!(actions.iter().any(|a| a == action), "{actions:?}");
    }

    // The head as staff pages print it is the head that verified.
    let central = relay.login("central").await;
    let head: ChainHead = Client::new(&relay, Some(&central.token))
        .get("/api/audit/head")
        .await
        .json();
    let report = verify_database(db.db()).unwrap();
    assert_eq!(head.hash, to_hex(&report.audit.head));
    assert_eq!(
        (head.entries, head.id),
        (report.audit.count, report.audit.count)
    );
    assert_eq!(
        Client::new(&relay, None)
            .get("/api/audit/head")
            .await
            .status,
        401
    );

    // One audit row's detail edited: exactly that entry is named.
    let (id, detail): (u64, String) = db
        .query_row(
            "SELECT id, detail FROM audit WHERE action = 'attempt_final'",
            examgate_relay::args![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    db.execute(
        "UPDATE audit SET detail = replace(detail, 'submitted', 'closed') WHERE id = ?1",
        examgate_relay::args![id],
    )
    .unwrap();
    let broken = finding(&db);
    assert_eq!(
        broken,
        Finding::Audit(AuditBreak {
            id,
            problem: Problem::Mismatch
        })
    );
    assert_eq!(
        broken.to_string(),
        format!("audit entry {id}: hash does not match (changed, inserted or removed)")
    );
    db.execute(
        "UPDATE audit SET detail = ?2 WHERE id = ?1",
        examgate_relay::args![id, detail],
    )
    .unwrap();
    verify_database(db.db()).unwrap();

    // One answer event's JSON edited: that attempt and event are named.
    db.execute(
        "UPDATE events SET event = replace(event, '\"question\":2', '\"question\":5')
         WHERE attempt_id = ?1 AND seq = 3",
        examgate_relay::args![submitted],
    )
    .unwrap();
    assert_eq!(
        finding(&db),
        Finding::Events(EventBreak {
            attempt_id: submitted,
            seq: 3,
            problem: Problem::Mismatch
        })
    );
    assert_eq!(
        finding(&db).to_string(),
        format!("attempt {submitted} event 3: hash does not match (changed, inserted or removed)")
    );
    db.execute(
        "UPDATE events SET event = replace(event, '\"question\":5', '\"question\":2')
         WHERE attempt_id = ?1 AND seq = 3",
        examgate_relay::args![submitted],
    )
    .unwrap();
    verify_database(db.db()).unwrap();

    // A mark changed in the attempts table: not what the answers give.
    let score: String = db
        .query_row(
            "SELECT score FROM attempts WHERE id = ?1",
            examgate_relay::args![submitted],
            |r| r.get(0),
        )
        .unwrap();
    db.execute(
        "UPDATE attempts SET score = '10000/1', mark_tenths = 100 WHERE id = ?1",
        examgate_relay::args![submitted],
    )
    .unwrap();
    assert_eq!(
        finding(&db),
        Finding::ScoreMismatch {
            attempt: submitted,
            stored: "10000/1".into(),
            computed: score.clone(),
        }
    );
    db.execute(
        "UPDATE attempts SET score = ?2 WHERE id = ?1",
        examgate_relay::args![submitted, score],
    )
    .unwrap();
    verify_database(db.db()).unwrap();

    // The definition (key, points) changed in place without a correction:
    // the exam is named.
    let (exam, definition): (String, String) = db
        .query_row(
            "SELECT id, definition FROM exams LIMIT 1",
            examgate_relay::args![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    db.execute(
        "UPDATE exams SET definition = ?2 WHERE id = ?1",
        examgate_relay::args![
            exam,
            definition.replacen("\"title\":\"", "\"title\":\"x", 1)
        ],
    )
    .unwrap();
    assert!(
        matches!(finding(&db), Finding::ExamChanged { exam: ref e, .. } if *e == exam),
        "{}",
        finding(&db)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_exported_trail_verifies_until_a_line_changes() {
    let relay = TestRelay::with_duration(HOUR, 1_000).await;
    exam_run(&relay).await;
    let db = relay.db();
    let bytes = export_bytes(db.db()).unwrap();
    let verified = verify_file(&bytes[..]).unwrap();
    assert_eq!(verified, verify_database(db.db()).unwrap().audit);

    let text = String::from_utf8(bytes).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let mut third: serde_json::Value = serde_json::from_str(&lines[2]).unwrap();
    third["at"] = serde_json::json!(third["at"].as_i64().unwrap() + 1);
    lines[2] = third.to_string();
    match verify_file(lines.join("\n").as_bytes()) {
        Err(FileError::Broken { line: 3, entry }) => assert_eq!(entry.id, 3),
        other => panic!("expected line 3 named, got {other:?}"),
    }
    // A line removed: the next one is named.
    let mut removed = text.lines().collect::<Vec<_>>();
    removed.remove(1);
    match verify_file(removed.join("\n").as_bytes()) {
        Err(FileError::Broken { line: 2, entry }) => {
            assert_eq!(entry.problem, Problem::Gap { expected: 2 })
        }
        other => panic!("expected line 2 named, got {other:?}"),
    }
}

/// What a restarted relay on the same data folder answers a token on a
/// staff endpoint.
struct Restarted {
    base: String,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Restarted {
    async fn start(relay: &TestRelay) -> Restarted {
        let data = relay.db_path.parent().unwrap();
        let booted = examgate_relay::boot::boot_on(
            data,
            &relay.database,
            examgate_relay::Config::default(),
            Start::Empty,
        )
        .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, rx) = tokio::sync::oneshot::channel();
        tokio::spawn(examgate_relay::serve(listener, booted.state, async {
            let _ = rx.await;
        }));
        Restarted { base, _stop: stop }
    }

    async fn status(&self, token: &str) -> u16 {
        reqwest::Client::new()
            .get(format!("{}/api/audit/head", self.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_survive_a_restart_unless_logged_out_or_revoked() {
    let relay = TestRelay::empty().await;
    let office = set_up_office(&relay).await;
    let mut staff = Vec::new();
    for user in ["giamsat1", "giamsat2", "giamsat3"] {
        let slip = office.account(user, Role::CentralProctor, None, None).await;
        staff.push(sign_in(&relay, user, &slip.password).await);
    }
    let [kept, logged_out, disabled] = &staff[..] else {
        unreachable!()
    };
    for client in &staff {
        assert_eq!(client.get("/api/audit/head").await.status, 200);
    }

    // Logout: 204, then the token is dead; a second logout is refused.
    let out = logged_out.post("/api/logout", &serde_json::json!({})).await;
    assert_eq!(out.status, 204);
    assert_eq!(logged_out.get("/api/audit/head").await.status, 401);
    let again = logged_out.post("/api/logout", &serde_json::json!({})).await;
    assert_eq!((again.status, again.code().as_str()), (401, "unauthorized"));
    assert_eq!(
        Client::new(&relay, None)
            .post("/api/logout", &serde_json::json!({}))
            .await
            .status,
        401
    );
    // The account disabled by the office: its session ends at once.
    let change = office
        .post(
            "/api/office/accounts/giamsat3",
            &AccountChange {
                disabled: Some(true),
                reset_password: false,
            },
        )
        .await;
    assert_eq!(
        change.status,
        200,
        "{}",
        String::from_utf8_lossy(&change.body)
    );
    assert_eq!(disabled.get("/api/audit/head").await.status, 401);

    // A relay started again on the same data folder.
    let restarted = Restarted::start(&relay).await;
    assert_eq!(restarted.status(kept.token()).await, 200);
    assert_eq!(restarted.status(office.token()).await, 200);
    assert_eq!(restarted.status(logged_out.token()).await, 401);
    assert_eq!(restarted.status(disabled.token()).await, 401);
    assert_eq!(restarted.status("not-a-token").await, 401);

    // Only hashes on disk; logout and revocation in the audit trail, which
    // verifies.
    let db = relay.db();
    let stored: Vec<Vec<u8>> = db
        .query_map(
            "SELECT token_hash FROM sessions",
            examgate_relay::args![],
            |r| r.get(0),
        )
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(stored.len(), 4);
    assert!(stored.iter().all(|h| h.len() == 32));
    let tokens = [kept.token(), office.token()];
    assert!(
        stored
            .iter()
            .all(|h| tokens.iter().all(|t| h.as_slice() != t.as_bytes()))
    );
    let actions: Vec<(String, String)> = db
        .query_map(
            "SELECT actor, action FROM audit ORDER BY id",
            examgate_relay::args![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
        .into_iter()
        .collect();
    assert!(
        actions.contains(&("user:giamsat2".into(), "logout".into())),
        "{actions:?}"
    );
    assert!(
        actions.contains(&("relay".into(), "session_revoke".into())),
        "{actions:?}"
    );
    verify_database(db.db()).unwrap();
}
