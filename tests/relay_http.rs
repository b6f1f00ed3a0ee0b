//! The HTTP API's refusals, each with its own code.

use examgate_relay::seed::DemoOptions;
use examgate_shared::error::ErrorCode;
use examgate_shared::protocol::JoinRequest;
use examgate_tests::{PASSWORD, TestRelay, now_ms};

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
