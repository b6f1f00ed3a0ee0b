//! The chip-ID check-in desk across three relays on one PostgreSQL
//! database and one nats-server: a card challenged through one relay
//! answers through another (Chip Authentication's channel included), a
//! proctor on a third sees the photo and decides, and the reader waiting on
//! the first gets the attempt at once; one card holds one seat however
//! many relays it is read at; a station's seat code and a moved student's
//! seat code work on any relay, once.
//!
//! Run once, in the SQLite pass of `cargo xtask test` (they start their own
//! PostgreSQL database and nats-server whatever that pass uses).

use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use examgate_shared::checkin::{CheckinPoll, CheckinStatus};
use examgate_shared::error::ErrorCode;
use examgate_shared::proctoring::{Action, ActionRequest, ActionResponse, Target};
use examgate_shared::protocol::RelayToStudent;
use examgate_shared::roster::RoomView;
use examgate_tests::card::{self, genuine_card, read, request, student};
use examgate_tests::office::Client;
use examgate_tests::{StudentWs, TestRelay, now_ms, on_sqlite, seat_code_join};

const CARD_ROOM: &str = "TOAN-P03";

/// The card room as `relay` shows it to its proctors, once `pick` holds
/// (other relays' news arrive over the bus).
async fn card_room_until(relay: &TestRelay, pick: impl Fn(&RoomView) -> bool) -> RoomView {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let room = relay
            .state
            .room_views(|_| true)
            .into_iter()
            .find(|r| r.requires_card)
            .expect("the demo has a card room");
        if pick(&room) {
            return room;
        }
        assert!(Instant::now() < deadline, "never came: {room:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_check_in_desk_is_one_across_relays() {
    if !on_sqlite() {
        return; // run once; see the module doc
    }
    let relays = TestRelay::cluster(3, 45 * 60_000).await;
    let (a, b, c) = (&relays[0], &relays[1], &relays[2]);
    let proctor = c.login("phong03").await;

    // Challenged through a, with Chip Authentication (a's ephemeral key
    // and the session keys it agreed); the chip answers, and the upload
    // goes through b, which opens the channel a stored.
    let s = student(1);
    let issued = genuine_card(1);
    let mut chip = issued.chip(1);
    let (data, mut session) = read(&mut chip, s.bac_input()).unwrap();
    let challenge = a.challenge_for(CARD_ROOM, Some(&data.groups[&14])).await;
    let commands = challenge.chip_auth.clone().expect("the chip offers CA");
    let answer = card::chip_authenticate(&mut session, &mut chip, &commands);
    let mut upload = request(CARD_ROOM, &challenge.challenge_id, &data, &[]);
    upload.ca_answer = BASE64.encode(&answer);
    let accepted = b
        .post_checkin(&upload, None)
        .await
        .expect("accepted through another relay than the challenge's");
    // Single use across relays: the same answer through c is a replay.
    let replay = c.post_checkin(&upload, None).await.unwrap_err();
    assert_eq!(replay.1.code, ErrorCode::ChallengeInvalid);
    let reasons: String = a
        .db()
        .query_row(
            "SELECT reasons FROM checkins WHERE id = ?1",
            examgate_relay::args![accepted.checkin_id],
            |r| r.get(0),
        )
        .unwrap();
    assert!(reasons.contains("chip authentication"), "{reasons}");

    // The room's proctors on every relay see it waiting.
    for relay in [a, c] {
        let room = card_room_until(relay, |r| r.checkin_counts.awaiting == 1).await;
        assert_eq!(room.checkins[0].person_id, s.id12);
    }

    // The reader waits on a; the proctor on c sees the chip photo and
    // confirms; a's reader is woken by the bus, not by its 20 s timeout.
    let waiting = {
        let (url, token) = (
            a.url(&format!("/api/checkin/{}", accepted.checkin_id)),
            accepted.poll_token.clone(),
        );
        tokio::spawn(async move {
            let started = Instant::now();
            let polled: CheckinPoll = reqwest::Client::new()
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            (polled, started.elapsed())
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let photo = reqwest::Client::new()
        .get(c.url(&format!("/api/checkins/{}/photo", accepted.checkin_id)))
        .bearer_auth(&proctor.token)
        .send()
        .await
        .unwrap();
    assert_eq!(photo.status(), 200);
    assert_eq!(&photo.bytes().await.unwrap()[..2], &[0xFF, 0xD8]);
    let decided = c
        .decide(accepted.checkin_id, &proctor.token, true)
        .await
        .unwrap();
    assert_eq!(decided.status, CheckinStatus::Confirmed);
    let (polled, waited) = waiting.await.unwrap();
    assert_eq!(polled.status, CheckinStatus::Confirmed);
    assert!(waited < Duration::from_secs(10), "woken after {waited:?}");
    let join = polled.join.expect("the attempt");
    let (_ws, welcome) = StudentWs::hello(b, &join.token, now_ms()).await;
    assert!(matches!(welcome, RelayToStudent::Welcome { .. }));
    // Decided once: a second decision on a is refused with what stands.
    let again = a
        .decide(accepted.checkin_id, &proctor.token, false)
        .await
        .unwrap_err();
    assert!(again.1.message.contains("confirmed"), "{:?}", again.1);
    card_room_until(b, |r| r.checkin_counts.confirmed == 1).await;

    // The seated card read again on a: refused, and the refusals (this one
    // and c's replay above) counted in the views of b, which saw neither.
    let seated = a
        .check_in_with(CARD_ROOM, &mut issued.chip(2), s.bac_input())
        .await
        .unwrap_err();
    assert_eq!(seated.1.code, ErrorCode::AlreadyCheckedIn);
    card_room_until(b, |r| r.checkin_counts.refused == 2).await;

    // One card at two relays at the same moment: one seat.
    let s2 = student(2);
    let card2 = genuine_card(2);
    let first = a
        .signed_request(CARD_ROOM, &mut card2.chip(1), s2.bac_input(), false)
        .await;
    let second = b
        .signed_request(CARD_ROOM, &mut card2.chip(2), s2.bac_input(), false)
        .await;
    let (one, two) = tokio::join!(a.post_checkin(&first, None), b.post_checkin(&second, None));
    let (accepted2, loser) = match (one, two) {
        (Ok(won), Err(lost)) | (Err(lost), Ok(won)) => (won, lost),
        other => panic!("one seat, one refusal: {other:?}"),
    };
    assert_eq!(loser.1.code, ErrorCode::AlreadyCheckedIn);
    let verdicts: Vec<String> = a
        .stored_checkins()
        .into_iter()
        .filter(|(_, person, _)| person.as_deref() == Some(s2.id12.as_str()))
        .map(|(verdict, ..)| verdict)
        .collect();
    assert_eq!(verdicts, ["accepted", "already_checked_in"]);

    // Two proctors decide it at the same moment on two relays: one
    // decision stands, the other is told so; released on the third, the
    // seat is free for the card again.
    let (yes, no) = tokio::join!(
        a.decide(accepted2.checkin_id, &proctor.token, true),
        c.decide(accepted2.checkin_id, &proctor.token, false)
    );
    let status = match (yes, no) {
        (Ok(view), Err(_)) | (Err(_), Ok(view)) => view.status,
        other => panic!("exactly one decision: {other:?}"),
    };
    let stored: Vec<Option<String>> = a
        .stored_checkins()
        .into_iter()
        .filter(|(verdict, person, _)| {
            verdict == "accepted" && person.as_deref() == Some(s2.id12.as_str())
        })
        .map(|(.., decision)| decision)
        .collect();
    assert_eq!(stored, [Some(status.as_str().to_string())]);
    if status == CheckinStatus::Confirmed {
        let released = b
            .release(accepted2.checkin_id, &proctor.token)
            .await
            .unwrap();
        assert_eq!(released.status, CheckinStatus::Released);
        card_room_until(c, |r| {
            r.checkins.iter().any(|v| {
                v.checkin_id == accepted2.checkin_id && v.status == CheckinStatus::Released
            })
        })
        .await;
    }
    a.check_in_with(CARD_ROOM, &mut card2.chip(3), s2.bac_input())
        .await
        .expect("a rejected or released card checks in again");

    // A proctor station on b (the session c issued), decided on a: the
    // seat code is read on c and typed on a, once.
    let s0 = student(0);
    let station = b
        .signed_request(
            CARD_ROOM,
            &mut genuine_card(0).chip(1),
            s0.bac_input(),
            true,
        )
        .await;
    let at_station = b
        .post_checkin(&station, Some(&proctor.token))
        .await
        .unwrap();
    a.decide(at_station.checkin_id, &proctor.token, true)
        .await
        .unwrap();
    let seat_code = c
        .poll(at_station.checkin_id, &at_station.poll_token)
        .await
        .unwrap()
        .seat_code
        .expect("a station's seat code");
    let seated = a
        .join_with(seat_code_join(CARD_ROOM, &seat_code))
        .await
        .unwrap();
    assert!(seated.attempt_id > 0);
    let twice = b
        .join_with(seat_code_join(CARD_ROOM, &seat_code))
        .await
        .unwrap_err();
    assert_eq!(twice.1.code, ErrorCode::SeatCodeInvalid);

    // A moved student (in a room without cards: there a card holder
    // moves by a released seat): the attempt works through a, the proctor
    // moves it on b, the seat code opens the same attempt through c.
    let central = c.login("central").await;
    let joined = a.join(&a.code(0), "Đổi máy").await.unwrap();
    let (mut ws, _) = StudentWs::hello(a, &joined.token, now_ms()).await;
    ws.answer(1, 1, 0).await;
    assert_eq!(ws.until(examgate_tests::acked).await, 1);
    let candidate: u64 = a
        .db()
        .query_row(
            "SELECT candidate_id FROM attempts WHERE id = ?1",
            examgate_relay::args![joined.attempt_id],
            |r| r.get(0),
        )
        .unwrap();
    let moved = Client::new(b, Some(&central.token))
        .post(
            "/api/proctor/actions",
            &ActionRequest {
                target: Target::Candidate {
                    candidate_id: candidate,
                },
                action: Action::Move,
                reason: "máy treo".into(),
            },
        )
        .await;
    assert_eq!(
        moved.status,
        200,
        "{}",
        String::from_utf8_lossy(&moved.body)
    );
    let move_code = moved
        .json::<ActionResponse>()
        .seat_code
        .expect("a seat code");
    let (_, closed) = ws.until_closed().await;
    assert_eq!(closed.code, 4001, "the old computer is out: {closed:?}");
    let rejoined = c
        .join_with(seat_code_join(&a.code(0), &move_code))
        .await
        .unwrap();
    assert_eq!(rejoined.attempt_id, joined.attempt_id, "the same attempt");
    let (_, welcome) = StudentWs::hello(c, &rejoined.token, now_ms()).await;
    let RelayToStudent::Welcome { attempt, .. } = welcome else {
        unreachable!()
    };
    assert_eq!(attempt.acked_seq, 1);
}
