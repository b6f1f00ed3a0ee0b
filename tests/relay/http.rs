//! The HTTP API's refusals, each with its own code.

use examgate_relay::seed::DemoOptions;
use examgate_shared::error::ErrorCode;
use examgate_shared::protocol::JoinRequest;
use examgate_tests::browser::{client_module, require_client};
use examgate_tests::{PASSWORD, TestRelay, now_ms, workspace_root};

const HOUR: i64 = 3_600_000;

#[tokio::test]
async fn join_refusals() {
    let relay = TestRelay::with_duration(HOUR, 1_000).await;
    let err = relay.join("SAI-MA", "Ai đó").await.unwrap_err();
    assert_eq!((err.0, err.1.code), (404, ErrorCode::UnknownCode));
    let err = relay.join(&relay.code(0), "   ").await.unwrap_err();
    assert_eq!((err.0, err.1.code), (400, ErrorCode::InvalidName));
    let err = relay
        .join(&relay.code(0), &"x".repeat(101))
        .await
        .unwrap_err();
    assert_eq!(err.1.code, ErrorCode::InvalidName);

    // Codes are not case-sensitive; names fold case and spaces.
    let first = relay
        .join(&relay.code(0).to_lowercase(), "Nguyễn Văn An")
        .await
        .unwrap();
    let err = relay
        .join(&relay.code(0), " nguyễn  văn an ")
        .await
        .unwrap_err();
    assert_eq!((err.0, err.1.code), (409, ErrorCode::AlreadyJoined));
    // The browser that holds the token comes back in.
    let again = relay
        .join_with(JoinRequest {
            code: relay.code(0),
            name: "Nguyễn Văn An".into(),
            resume_token: Some(first.token.clone()),
            seat_code: None,
            candidate_number: None,
            birth: None,
        })
        .await
        .unwrap();
    assert_eq!(again.attempt_id, first.attempt_id);
    // Someone else's token does not.
    let other = relay.join(&relay.code(1), "Người khác").await.unwrap();
    let err = relay
        .join_with(JoinRequest {
            code: relay.code(0),
            name: "Nguyễn Văn An".into(),
            resume_token: Some(other.token),
            seat_code: None,
            candidate_number: None,
            birth: None,
        })
        .await
        .unwrap_err();
    assert_eq!(err.1.code, ErrorCode::AlreadyJoined);
}

#[tokio::test]
async fn malformed_json_is_an_error_body() {
    let relay = TestRelay::with_duration(HOUR, 1_000).await;
    let resp = reqwest::Client::new()
        .post(relay.url("/api/join"))
        .header("content-type", "application/json")
        .body("{\"code\": 5")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body: examgate_shared::error::ErrorBody = resp.json().await.unwrap();
    assert_eq!(body.code, ErrorCode::Malformed);
    let resp = reqwest::Client::new()
        .post(relay.url("/api/join"))
        .header("content-type", "application/json")
        .body(format!(
            "{{\"code\":\"{}\",\"name\":\"a\"}}",
            "x".repeat(64 * 1024)
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 413);
}

#[tokio::test]
async fn exam_window_is_enforced() {
    let now = now_ms();
    let early = TestRelay::start(
        DemoOptions {
            opens_at: now + HOUR,
            closes_at: now + 2 * HOUR,
            duration_ms: None,
            fixed_password: Some(PASSWORD.into()),
            exam: None,
            card_students: Vec::new(),
        },
        1_000,
    )
    .await;
    let err = early.join(&early.code(0), "Sớm").await.unwrap_err();
    assert_eq!((err.0, err.1.code), (403, ErrorCode::ExamNotOpen));

    let late = TestRelay::start(
        DemoOptions {
            opens_at: now - 2 * HOUR,
            closes_at: now - HOUR,
            duration_ms: None,
            fixed_password: Some(PASSWORD.into()),
            exam: None,
            card_students: Vec::new(),
        },
        1_000,
    )
    .await;
    let err = late.join(&late.code(0), "Muộn").await.unwrap_err();
    assert_eq!((err.0, err.1.code), (410, ErrorCode::ExamClosed));
}

#[tokio::test]
async fn login_refuses_wrong_passwords_and_unknown_users() {
    let relay = TestRelay::with_duration(HOUR, 1_000).await;
    for (user, pw) in [("central", "wrong"), ("nobody", PASSWORD)] {
        let resp = reqwest::Client::new()
            .post(relay.url("/api/login"))
            .json(&serde_json::json!({"username": user, "password": pw}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 401);
        let body: examgate_shared::error::ErrorBody = resp.json().await.unwrap();
        assert_eq!(body.code, ErrorCode::BadCredentials);
    }
    let ok = relay.login("phong02").await;
    assert_eq!(ok.role, examgate_shared::protocol::Role::RoomProctor);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_correction_regrades_final_attempts_and_is_audited() {
    use examgate_shared::attempt::StudentEvent;
    use examgate_shared::protocol::{RelayToStudent, StudentToRelay};
    use examgate_tests::StudentWs;

    let relay = TestRelay::with_duration(HOUR, 1_000).await;
    let joined = relay.join(&relay.code(0), "Sửa đáp án").await.unwrap();
    let (mut s, _) = StudentWs::hello(&relay, &joined.token, now_ms()).await;
    s.answer(1, 1, 1).await; // key is A: wrong for now
    s.send(&StudentToRelay::Event {
        seq: 2,
        event: StudentEvent::Submit,
    })
    .await;
    let mut mark = None;
    while mark.is_none() {
        if let RelayToStudent::Result { grade, .. } = s.recv().await {
            mark = Some(grade.mark.to_string());
        }
    }
    assert_eq!(mark.as_deref(), Some("0.0"));

    let correction = serde_json::json!({
        "corrections": [{"action": "set_key", "question": 1, "key": {"choice": 1}}],
        "reason": "Đáp án câu 1 in nhầm"
    });
    let post = |token: Option<String>| {
        let mut req = reqwest::Client::new()
            .post(relay.url("/api/exams/toan-demo/corrections"))
            .json(&correction);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send()
    };
    assert_eq!(post(None).await.unwrap().status(), 401);
    let proctor = relay.login("phong01").await;
    assert_eq!(post(Some(proctor.token)).await.unwrap().status(), 403);
    let teacher = relay.login("giaovien").await;
    let resp = post(Some(teacher.token.clone())).await.unwrap();
    assert_eq!(resp.status(), 200);
    let report: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(report["regraded"], 1);
    assert_eq!(report["marks_changed"], 1);

    // The stored mark moved (0.25 of 10 points → 0.3) and the audit says
    // who and why.
    let db = relay.db();
    let tenths: i64 = db
        .query_row(
            "SELECT mark_tenths FROM attempts WHERE id = ?1",
            examgate_relay::args![joined.attempt_id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tenths, 3);
    let (actor, detail): (String, String) = db
        .query_row(
            "SELECT actor, detail FROM audit WHERE action = 'correct_exam'",
            examgate_relay::args![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(actor, "user:giaovien");
    assert!(detail.contains("in nhầm"), "{detail}");
    // A reload shows the new result.
    let (mut again, _) = StudentWs::hello(&relay, &joined.token, now_ms()).await;
    let RelayToStudent::Result { grade, .. } = again.recv().await else {
        panic!("result expected")
    };
    assert_eq!(grade.mark.to_string(), "0.3");

    // A correction of the wrong kind is refused and changes nothing.
    let bad = reqwest::Client::new()
        .post(relay.url("/api/exams/toan-demo/corrections"))
        .bearer_auth(teacher.token)
        .json(&serde_json::json!({
            "corrections": [{"action": "set_key", "question": 13, "key": {"choice": 0}}],
            "reason": "sai loại"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_with_item_analysis_for_teachers_only() {
    use examgate_shared::attempt::StudentEvent;
    use examgate_shared::protocol::{RelayToStudent, StudentToRelay};
    use examgate_tests::StudentWs;

    let relay = TestRelay::with_duration(HOUR, 1_000).await;
    // Three students: all right on q1, q2 split, q3 wrong; then submit.
    let plans: [(&str, &[(u32, u8)]); 3] = [
        ("Giỏi", &[(1, 0), (2, 1), (3, 2)]),
        ("Khá", &[(1, 0), (2, 1), (3, 0)]),
        ("Yếu", &[(1, 0), (2, 0), (3, 0)]),
    ];
    for (name, answers) in plans {
        let joined = relay.join(&relay.code(0), name).await.unwrap();
        let (mut s, _) = StudentWs::hello(&relay, &joined.token, now_ms()).await;
        for (i, (q, c)) in answers.iter().enumerate() {
            s.answer(i as u64 + 1, *q, *c).await;
        }
        s.send(&StudentToRelay::Event {
            seq: answers.len() as u64 + 1,
            event: StudentEvent::Submit,
        })
        .await;
        while !matches!(s.recv().await, RelayToStudent::Result { .. }) {}
    }

    let get = |path: &str, token: Option<String>| {
        let mut req = reqwest::Client::new().get(relay.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send()
    };
    assert_eq!(
        get("/api/sittings/1/results", None).await.unwrap().status(),
        401
    );
    let room = relay.login("phong01").await;
    assert_eq!(
        get("/api/sittings/1/results", Some(room.token))
            .await
            .unwrap()
            .status(),
        403
    );
    let teacher = relay.login("giaovien").await.token;
    let sittings: serde_json::Value = get("/api/sittings", Some(teacher.clone()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(sittings[0]["finished"], 3);

    let results: serde_json::Value = get("/api/sittings/1/results", Some(teacher.clone()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(results["rows"].as_array().unwrap().len(), 3);
    assert_eq!(results["analysis"]["test"]["attempts"], 3);
    let items = results["analysis"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 22);
    // q1: everyone right → facility 100 %; q3: one of three.
    assert_eq!(items[0]["facility_pct"]["value"], 100.0);
    let f3 = items[2]["facility_pct"]["value"].as_f64().unwrap();
    assert!((f3 - 100.0 / 3.0).abs() < 1e-9, "{f3}");

    let csv = get("/api/sittings/1/results.csv", Some(teacher))
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.unwrap();
    let rows = examgate_shared::csv::parse(&text).unwrap();
    assert_eq!(rows[0][..4], ["candidate", "room", "mark", "score"]);
    assert_eq!(rows.len(), 4);

    // The sitting still has other (not started) candidates, but nobody is
    // working: the snapshot was stored when the last attempt ended.
    let stored: i64 = relay
        .db()
        .query_row(
            "SELECT COUNT(*) FROM results WHERE sitting_id = 1",
            examgate_relay::args![],
            |r| r.get(0),
        )
        .unwrap();
    assert!(stored >= 1);
}

#[tokio::test]
async fn repeated_failed_logins_lock_that_name_only() {
    let relay = TestRelay::with_duration(HOUR, 1_000).await;
    let attempt = |user: &str, pw: &str| {
        reqwest::Client::new()
            .post(relay.url("/api/login"))
            .json(&serde_json::json!({"username": user, "password": pw}))
            .send()
    };
    for _ in 0..examgate_relay::auth::MAX_FAILED_LOGINS {
        assert_eq!(attempt("central", "đoán-bừa").await.unwrap().status(), 401);
    }
    // Now even the right password is refused for a while.
    let locked = attempt("central", PASSWORD).await.unwrap();
    assert_eq!(locked.status(), 429);
    let body: examgate_shared::error::ErrorBody = locked.json().await.unwrap();
    assert_eq!(body.code, ErrorCode::TooManyAttempts);
    // Other accounts are unaffected.
    assert_eq!(attempt("phong01", PASSWORD).await.unwrap().status(), 200);
}

/// Results are graded and serialised once and served from a cache: the
/// cache must follow every change — a new final attempt, a key correction.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cached_results_follow_new_attempts_and_corrections() {
    use examgate_tests::StudentWs;

    let relay = TestRelay::with_duration(HOUR, 1_000).await;
    let teacher = relay.login("giaovien").await.token;
    let results = || async {
        reqwest::Client::new()
            .get(relay.url("/api/sittings/1/results"))
            .bearer_auth(&teacher)
            .send()
            .await
            .unwrap()
            .json::<serde_json::Value>()
            .await
            .unwrap()
    };
    let sit = |name: &'static str, choice: u8| {
        let relay = &relay;
        async move {
            let joined = relay.join(&relay.code(0), name).await.unwrap();
            let (mut s, _) = StudentWs::hello(relay, &joined.token, now_ms()).await;
            s.answer(1, 1, choice).await;
            s.submit(2).await;
        }
    };
    sit("Một", 0).await;
    let first = results().await;
    assert_eq!(first["rows"].as_array().unwrap().len(), 1);
    assert_eq!(results().await, first, "unchanged: the same results");
    sit("Hai", 1).await;
    let second = results().await;
    assert_eq!(second["rows"].as_array().unwrap().len(), 2);
    let mark_of = |r: &serde_json::Value, name: &str| {
        r["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["candidate"] == name)
            .unwrap()["mark"]
            .clone()
    };
    assert_eq!(mark_of(&second, "Một"), serde_json::json!(3), "tenths");
    // The key of question 1 corrected to B: both regraded, and the
    // results say so at once.
    let corrected = reqwest::Client::new()
        .post(relay.url("/api/exams/toan-demo/corrections"))
        .bearer_auth(&teacher)
        .json(&serde_json::json!({
            "reason": "đáp án câu 1 là B",
            "corrections": [{"action": "set_key", "question": 1, "key": {"choice": 1}}],
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(corrected.status(), 200);
    let third = results().await;
    assert_eq!(mark_of(&third, "Một"), serde_json::json!(0));
    assert_eq!(mark_of(&third, "Hai"), serde_json::json!(3));
}

/// Whatever is missing — a sitting, an exam, a check-in — is `404
/// not_found`; `unknown_code` is kept for a join code nobody has.
#[tokio::test]
async fn missing_things_are_not_found() {
    use examgate_shared::error::ErrorBody;

    let relay = TestRelay::with_duration(HOUR, 1_000).await;
    let teacher = relay.login("giaovien").await.token;
    let proctor = relay.login("phong01").await.token;
    let client = reqwest::Client::new();
    let requests = [
        client
            .get(relay.url("/api/sittings/999/results"))
            .bearer_auth(&teacher),
        client
            .get(relay.url("/api/sittings/999/results.csv"))
            .bearer_auth(&teacher),
        client
            .post(relay.url("/api/exams/khong-co/corrections"))
            .bearer_auth(&teacher)
            .json(&serde_json::json!({
                "corrections": [{"action": "void", "question": 1}],
                "reason": "thử"
            })),
        client
            .post(relay.url("/api/checkins/999/decision"))
            .bearer_auth(&proctor)
            .json(&serde_json::json!({"confirm": true})),
    ];
    for request in requests {
        let resp = request.send().await.unwrap();
        let url = resp.url().path().to_owned();
        assert_eq!(resp.status(), 404, "{url}");
        let body: ErrorBody = resp.json().await.unwrap();
        assert_eq!(body.code, ErrorCode::NotFound, "{url}: {}", body.message);
    }
    // The sitting that exists still answers.
    let resp = client
        .get(relay.url("/api/sittings/1/results"))
        .bearer_auth(&teacher)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
}

/// The built client as the relay serves it: brotli where the browser takes
/// it (the very bytes `cargo xtask build` precompressed), hashed modules kept
/// a year, the page revalidated, API answers never stored, and the security
/// headers on all of them.
#[tokio::test]
async fn the_page_is_served_precompressed_cached_and_under_a_strict_policy() {
    require_client();
    let relay = TestRelay::with_duration(HOUR, 1_000).await;
    let www = workspace_root().join("www");
    let http = reqwest::Client::new();
    let get = |path: String| {
        let request = http
            .get(relay.url(&path))
            .header("accept-encoding", "gzip, br");
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            (status, headers, response.bytes().await.unwrap())
        }
    };
    let header = |headers: &reqwest::header::HeaderMap, name: &str| {
        headers
            .get(name)
            .map_or(String::new(), |v| v.to_str().unwrap().to_owned())
    };

    let module = client_module("examgate_client");
    for (path, file, cache) in [
        ("/".to_owned(), "index.html".to_owned(), "no-cache"),
        ("/proctor".to_owned(), "staff.html".to_owned(), "no-cache"),
        ("/checkin".to_owned(), "checkin.html".to_owned(), "no-cache"),
        (
            "/pkg/boot.js".to_owned(),
            "pkg/boot.js".to_owned(),
            "no-cache",
        ),
        (
            module.clone(),
            module[1..].to_owned(),
            "public, max-age=31536000, immutable",
        ),
    ] {
        let (status, headers, body) = get(path.clone()).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(header(&headers, "content-encoding"), "br", "{path}");
        let precompressed = std::fs::read(www.join(format!("{file}.br"))).unwrap();
        assert!(
            body == precompressed,
            "{path}: not the precompressed {file}.br"
        );
        assert_eq!(header(&headers, "cache-control"), cache, "{path}");
        let csp = header(&headers, "content-security-policy");
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
        assert_eq!(header(&headers, "referrer-policy"), "no-referrer");
    }
    // The page names no inline script or style, and each copy preloads
    // the module its paths need, and only that.
    for (page, module) in [
        ("index.html", "examgate_client"),
        ("checkin.html", "examgate_checkin"),
        ("staff.html", "examgate_staff"),
    ] {
        let html = std::fs::read_to_string(www.join(page)).unwrap();
        assert!(
            !html.contains("<script>") && !html.contains("<style"),
            "{html}"
        );
        let wasm = client_module(module).replace(".js", "_bg.wasm");
        assert!(html.contains(&format!("href=\"{wasm}\"")), "{page}: {html}");
        assert_eq!(html.matches("rel=\"preload\"").count(), 1, "{page}");
    }

    let (status, headers, _) = get("/api/health".to_owned()).await;
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "cache-control"), "no-store");
    assert_eq!(header(&headers, "x-frame-options"), "DENY");
    // A module from an older build: not found, not the page.
    let (status, _, _) = get("/pkg/examgate_client-0000000000000000.js".to_owned()).await;
    assert_eq!(status, 404);
}
