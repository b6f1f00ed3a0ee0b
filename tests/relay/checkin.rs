//! Chip-ID check-in through the real relay: a genuine card gets in after the
//! proctor confirms the photo; every forgery and mistake is refused with its
//! own reason, and every verdict is kept in the audit table.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use examgate_cardsim::card::{Card, CardFiles};
use examgate_cardsim::issue::IssuedCard;
use examgate_cardsim::person::Student;
use examgate_shared::checkin::{CheckinRequest, CheckinStatus};
use examgate_shared::chip::session::{ReadError, ReadOptions, ReadSession, Step};
use examgate_shared::error::ErrorCode;
use examgate_shared::protocol::{JoinRequest, PROTOCOL_VERSION, RelayToStudent, StudentToRelay};
use examgate_tests::card::{self, answer, genuine_card, read, request, rogue_pki, student};
use examgate_tests::{StudentWs, TestRelay, now_ms};

const CARD_ROOM: &str = "TOAN-P03";

async fn relay() -> TestRelay {
    TestRelay::with_duration(60_000, 1_000).await
}

/// The reasons recorded with the (one) accepted check-in.
fn accepted_reasons(relay: &TestRelay) -> String {
    relay
        .db()
        .query_row(
            "SELECT reasons FROM checkins WHERE verdict = 'accepted'",
            examgate_relay::args![],
            |r| r.get(0),
        )
        .unwrap()
}

fn refused_with(
    result: Result<impl std::fmt::Debug, (u16, examgate_shared::error::ErrorBody)>,
    code: ErrorCode,
) -> String {
    match result {
        Err((_, body)) => {
            assert_eq!(body.code, code, "{}", body.message);
            body.message
        }
        Ok(v) => panic!("expected {code:?}, got {v:?}"),
    }
}

#[tokio::test]
async fn a_genuine_card_checks_in_and_the_proctors_confirmation_opens_the_attempt() {
    let relay = relay().await;
    let issued = genuine_card(0);
    let mut chip = issued.chip(1);
    let accepted = relay
        .check_in_with(CARD_ROOM, &mut chip, issued.student.bac_input())
        .await
        .expect("a genuine card on the roster is accepted");
    assert_eq!(accepted.status, CheckinStatus::AwaitingProctor);
    assert_eq!(accepted.name, student(0).full_name);

    // The room proctor sees the chip photo (JPEG) and the chip's data.
    let proctor = relay.login("phong03").await;
    let photo = reqwest::Client::new()
        .get(relay.url(&format!("/api/checkins/{}/photo", accepted.checkin_id)))
        .bearer_auth(&proctor.token)
        .send()
        .await
        .unwrap();
    assert_eq!(photo.status(), 200);
    assert_eq!(photo.headers()["content-type"], "image/jpeg");
    assert_eq!(photo.headers()["cache-control"], "no-store");
    assert_eq!(&photo.bytes().await.unwrap()[..2], &[0xFF, 0xD8]);
    let views = relay.state.room_views(|_| true);
    let room = views.iter().find(|r| r.requires_card).unwrap();
    let view = &room.checkins[0];
    assert_eq!(view.person_id, student(0).id12);
    assert_eq!(view.chip_name, student(0).full_name);
    assert_eq!(room.checkin_counts.awaiting, 1);
    assert_eq!(room.checkin_counts.roster, 4);

    // Nobody else may see the photo: no session, or another room's proctor.
    let anonymous =
        reqwest::get(relay.url(&format!("/api/checkins/{}/photo", accepted.checkin_id)))
            .await
            .unwrap();
    assert_eq!(anonymous.status(), 401);
    let other = relay.login("phong01").await;
    refused_with(
        relay.decide(accepted.checkin_id, &other.token, true).await,
        ErrorCode::Forbidden,
    );

    // The reader waits; the proctor confirms; the reader gets the attempt.
    let waiting = {
        let url = relay.url(&format!("/api/checkin/{}", accepted.checkin_id));
        let token = accepted.poll_token.clone();
        tokio::spawn(async move {
            reqwest::Client::new()
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .json::<examgate_shared::checkin::CheckinPoll>()
                .await
                .unwrap()
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let decided = relay
        .decide(accepted.checkin_id, &proctor.token, true)
        .await
        .unwrap();
    assert_eq!(decided.status, CheckinStatus::Confirmed);
    let polled = waiting.await.unwrap();
    assert_eq!(polled.status, CheckinStatus::Confirmed);
    let join = polled.join.expect("an attempt token");
    let (_ws, welcome) = StudentWs::hello(&relay, &join.token, now_ms()).await;
    assert!(
        format!("{welcome:?}").contains(&student(0).full_name),
        "{welcome:?}"
    );

    // A wrong poll token learns nothing.
    refused_with(
        relay.poll(accepted.checkin_id, "nope").await,
        ErrorCode::Unauthorized,
    );
    assert_eq!(
        relay.stored_checkins(),
        vec![(
            "accepted".into(),
            Some(student(0).id12),
            Some("confirmed".into())
        )]
    );

    // The evidence keeps the files that prove the card (EF.COM, DG1, DG2,
    // DG15, EF.SOD) and, of DG13, only the fields the check-in compares.
    let stored: String = relay
        .db()
        .query_row(
            "SELECT evidence FROM checkins",
            examgate_relay::args![],
            |r| r.get(0),
        )
        .unwrap();
    // Sealed at rest: the database file alone shows no photo, no file.
    assert!(examgate_relay::at_rest::AtRest::is_sealed(&stored));
    // (JSON's quotes never occur in base64; a short run like the JPEG
    // header's "/9j/" can, by chance, so the photo is looked for whole.)
    assert!(!stored.contains("\"groups\""));
    let evidence = relay.state.at_rest.open(&stored).unwrap();
    let evidence: serde_json::Value = serde_json::from_str(&evidence).unwrap();
    let photo = evidence["groups"]["2"].as_str().unwrap();
    assert!(photo.len() > 1_000 && !stored.contains(photo));
    let kept: Vec<&str> = evidence["groups"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert!(kept.contains(&"1") && kept.contains(&"2") && kept.contains(&"15"));
    assert!(!kept.contains(&"13"), "raw DG13 is not stored");
    assert!(evidence["sod"].as_str().is_some_and(|s| !s.is_empty()));
    let dg13 = evidence["reduced"]["13"].as_object().unwrap();
    let mut fields: Vec<&str> = dg13.keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        ["birth", "bytes", "full_name", "personal_id", "sha256"]
    );
    assert_eq!(dg13["personal_id"], student(0).id12.as_str());
    let text = evidence.to_string();
    // (Names and addresses with diacritics and spaces cannot occur by
    // chance inside the base64 of the files kept.)
    for private in [&student(0).father, &student(0).residence] {
        assert!(!text.contains(private.as_str()), "{private} stored");
    }
}

#[tokio::test]
async fn forged_and_wrong_cards_are_refused_each_with_its_own_reason() {
    let relay = relay().await;
    let s = student(1);
    let genuine = genuine_card(1);

    // Signed by a CSCA the relay does not trust.
    let rogue = IssuedCard::issue(
        &s,
        rogue_pki(),
        Some(examgate_cardsim::aa::AaKind::EcdsaP256),
        5,
    );
    let msg = refused_with(
        relay
            .check_in_with(CARD_ROOM, &mut rogue.chip(1), s.bac_input())
            .await,
        ErrorCode::CardUntrusted,
    );
    assert!(msg.contains("signer_untrusted"), "{msg}");

    // A data group changed after signing (the name in DG13).
    let mut files: CardFiles = genuine.files.clone();
    let dg13 = files.groups.get_mut(&13).unwrap();
    let last = dg13.len() - 1;
    dg13[last] ^= 0x01;
    let altered = genuine.with_files(files);
    let msg = refused_with(
        relay
            .check_in_with(CARD_ROOM, &mut altered.chip(1), s.bac_input())
            .await,
        ErrorCode::CardAltered,
    );
    assert!(msg.contains("group_altered"), "{msg}");

    // The chip's anti-clone key (DG14/DG15) present but not hashed by its
    // EF.SOD (the same holder's security object as issued without them):
    // a non-conformant document, not an altered one.
    let without_aa = IssuedCard::issue_with(&s, card::pki(), None, false, 6);
    let mut files: CardFiles = genuine.files.clone();
    files.sod = without_aa.files.sod.clone();
    let uncovered = genuine.with_files(files);
    let msg = refused_with(
        relay
            .check_in_with(CARD_ROOM, &mut uncovered.chip(1), s.bac_input())
            .await,
        ErrorCode::CardMalformed,
    );
    assert!(
        msg.contains("non-conformant") && msg.contains("group_not_in_sod"),
        "{msg}"
    );

    // Clones: the same signed data on a chip with no AA key, or another key.
    let mut no_key = genuine.clone_without_key(3);
    let challenge = relay.challenge(CARD_ROOM).await;
    let (data, mut session) = read(&mut no_key, s.bac_input()).unwrap();
    let mut step = session.authenticate(&[0; 8]);
    while let Step::Transmit(apdu) = &step {
        step = session.on_response(&no_key.transmit(apdu));
    }
    assert!(matches!(step, Step::Failed(ReadError::CardError { .. })));
    // Whatever the copier sends instead of the chip's answer is refused.
    let msg = refused_with(
        relay
            .post_checkin(
                &request(CARD_ROOM, &challenge.challenge_id, &data, &[0x30; 64]),
                None,
            )
            .await,
        ErrorCode::CardNotGenuine,
    );
    assert!(msg.contains("active authentication"), "{msg}");
    refused_with(
        relay
            .check_in_with(
                CARD_ROOM,
                &mut genuine.clone_with_other_key(4),
                s.bac_input(),
            )
            .await,
        ErrorCode::CardNotGenuine,
    );

    // Not on this room's roster: a stranger, and a card holder of the demo
    // roster presenting at a practice room (whose roster is empty).
    let stranger = Student::synthetic(77, 3);
    let stranger_card = IssuedCard::issue(
        &stranger,
        card::pki(),
        Some(examgate_cardsim::aa::AaKind::EcdsaP256),
        9,
    );
    let msg = refused_with(
        relay
            .check_in_with(CARD_ROOM, &mut stranger_card.chip(1), stranger.bac_input())
            .await,
        ErrorCode::NotOnRoster,
    );
    // The message names the card by its last four digits, never in full
    // (it goes to logs and the audit trail).
    assert!(msg.contains(&stranger.id12[8..]), "{msg}");
    assert!(!msg.contains(&stranger.id12), "{msg}");
    refused_with(
        relay
            .check_in_with(&relay.code(0), &mut genuine.chip(2), s.bac_input())
            .await,
        ErrorCode::NotOnRoster,
    );

    // Every refusal is in the audit table with its code.
    let verdicts: Vec<String> = relay.stored_checkins().into_iter().map(|v| v.0).collect();
    assert_eq!(
        verdicts,
        [
            "card_untrusted",
            "card_altered",
            "card_malformed",
            "card_not_genuine",
            "card_not_genuine",
            "not_on_roster",
            "not_on_roster"
        ]
    );
    let views = relay.state.room_views(|_| true);
    // Six in the card room; the last one was at a practice room.
    assert_eq!(
        views
            .iter()
            .find(|r| r.requires_card)
            .unwrap()
            .checkin_counts
            .refused,
        6
    );
}

#[tokio::test]
async fn a_replayed_aa_answer_is_refused() {
    let relay = relay().await;
    let s = student(2);
    let issued = genuine_card(2);
    let mut chip = issued.chip(1);
    let challenge = relay.challenge(CARD_ROOM).await;
    let (data, mut session) = read(&mut chip, s.bac_input()).unwrap();
    // The emulated CCCD is read as real ones are: PACE with the CAN.
    assert_eq!(
        data.access,
        examgate_shared::chip::session::Access::Pace {
            info: examgate_cardsim::issue::CCCD_PACE,
            by_can: true
        }
    );
    let signature = answer(&mut session, &mut chip, &challenge.challenge);
    let first = request(CARD_ROOM, &challenge.challenge_id, &data, &signature);
    let accepted = relay.post_checkin(&first, None).await.unwrap();
    let proctor = relay.login("phong03").await;
    relay
        .decide(accepted.checkin_id, &proctor.token, false)
        .await
        .unwrap();

    // The same request again: the challenge is spent.
    refused_with(
        relay.post_checkin(&first, None).await,
        ErrorCode::ChallengeInvalid,
    );
    // The old answer under a fresh challenge: the signature does not match.
    let fresh = relay.challenge(CARD_ROOM).await;
    let replay = request(CARD_ROOM, &fresh.challenge_id, &data, &signature);
    let msg = refused_with(
        relay.post_checkin(&replay, None).await,
        ErrorCode::CardNotGenuine,
    );
    assert!(msg.contains("signature"), "{msg}");
}

#[tokio::test]
async fn a_card_removed_mid_read_is_reported_and_a_partial_upload_refused() {
    let relay = relay().await;
    let s = student(0);
    let issued = genuine_card(0);
    let mut chip = issued.chip(1);
    // The reader side: the bridge reports the card gone after 9 APDUs.
    let mut session = ReadSession::new(vec![s.bac_input()], [1; 32], ReadOptions::short_only());
    let mut step = session.start();
    let mut sent = 0;
    while let Step::Transmit(apdu) = &step {
        if sent == 9 {
            step = session.card_removed();
            break;
        }
        sent += 1;
        step = session.on_response(&chip.transmit(apdu));
    }
    assert_eq!(step, Step::Failed(ReadError::CardRemoved));

    // A client that uploads what it had anyway: DG2 cut short, DG15 missing.
    let challenge = relay.challenge(CARD_ROOM).await;
    let (mut data, _) = read(&mut issued.chip(2), s.bac_input()).unwrap();
    data.groups.get_mut(&2).unwrap().truncate(3000);
    let msg = refused_with(
        relay
            .post_checkin(
                &request(CARD_ROOM, &challenge.challenge_id, &data, &[1; 64]),
                None,
            )
            .await,
        ErrorCode::CardIncomplete,
    );
    assert!(msg.contains("DG2"), "{msg}");
    let challenge = relay.challenge(CARD_ROOM).await;
    data.groups.remove(&15);
    refused_with(
        relay
            .post_checkin(
                &request(CARD_ROOM, &challenge.challenge_id, &data, &[1; 64]),
                None,
            )
            .await,
        ErrorCode::CardIncomplete,
    );
}

#[tokio::test]
async fn cccd_numbers_are_sealed_at_rest_and_still_find_their_seat_after_a_restart() {
    let relay = relay().await;
    let (s, issued) = (student(1), genuine_card(1));
    let proctor = relay.login("phong03").await;
    let first = relay
        .check_in_with(CARD_ROOM, &mut issued.chip(1), s.bac_input())
        .await
        .unwrap();
    relay
        .decide(first.checkin_id, &proctor.token, true)
        .await
        .unwrap();
    // Neither the roster's numbers nor the check-ins' are in the files;
    // each row holds the sealed number and its keyed hash.
    let numbers: Vec<String> = (0..4).map(|i| student(i).id12).collect();
    let numbers: Vec<&str> = numbers.iter().map(String::as_str).collect();
    assert_eq!(relay.found_in_files(&numbers), Vec::<&str>::new());
    // (The search itself finds what is stored in clear: the roster's name.)
    assert_eq!(
        relay.found_in_files(&[&s.full_name]),
        [s.full_name.as_str()]
    );
    let db = relay.db();
    let keys: Vec<(String, String)> = db
        .query_map("SELECT person_id, person_key FROM roster UNION ALL SELECT person_id, person_key FROM checkins WHERE person_id IS NOT NULL", examgate_relay::args![], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(keys.len(), 4 + 1);
    for (sealed, key) in &keys {
        let person = relay.state.at_rest.open(sealed).unwrap();
        assert_eq!(key, &relay.state.at_rest.person_key(&person));
    }
    let card_keys: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM candidates WHERE name_key = ?1",
            examgate_relay::args![relay.state.at_rest.card_key(&s.id12)],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(card_keys, 1, "the card holder's candidate key is keyed");
    drop(db);

    // A restarted relay opens them again: the seat is still taken (the
    // refusal is kept, sealed too), and the candidate's timeline finds
    // both check-ins by the keyed hash.
    let relay = relay.restart().await;
    refused_with(
        relay
            .check_in_with(CARD_ROOM, &mut issued.chip(2), s.bac_input())
            .await,
        ErrorCode::AlreadyCheckedIn,
    );
    assert_eq!(relay.found_in_files(&[&s.id12]), Vec::<&str>::new());
    let candidate = relay
        .state
        .people()
        .candidates
        .values()
        .find(|c| c.name == s.full_name)
        .map(|c| c.id)
        .unwrap();
    let detail: examgate_shared::proctoring::CandidateDetail = reqwest::Client::new()
        .get(relay.url(&format!("/api/proctor/candidates/{candidate}")))
        .bearer_auth(&relay.login("phong03").await.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let verdicts: Vec<&str> = detail
        .timeline
        .iter()
        .filter_map(|e| match &e.event {
            examgate_shared::proctoring::TimelineEvent::CheckIn { verdict, .. } => {
                Some(verdict.as_str())
            }
            _ => None,
        })
        .collect();
    assert_eq!(verdicts, ["accepted", "already_checked_in"], "{detail:?}");
}

#[tokio::test]
async fn one_card_one_seat_until_the_proctor_releases_it_then_the_same_attempt_continues() {
    let relay = relay().await;
    let s = student(3);
    let issued = genuine_card(3);
    let proctor = relay.login("phong03").await;

    let first = relay
        .check_in_with(CARD_ROOM, &mut issued.chip(1), s.bac_input())
        .await
        .unwrap();
    // The same card at a second computer while the first waits.
    let msg = refused_with(
        relay
            .check_in_with(CARD_ROOM, &mut issued.chip(2), s.bac_input())
            .await,
        ErrorCode::AlreadyCheckedIn,
    );
    assert!(msg.contains("release"), "{msg}");
    relay
        .decide(first.checkin_id, &proctor.token, true)
        .await
        .unwrap();
    let join = relay
        .poll(first.checkin_id, &first.poll_token)
        .await
        .unwrap()
        .join
        .unwrap();
    // Confirmed: still one seat.
    refused_with(
        relay
            .check_in_with(CARD_ROOM, &mut issued.chip(3), s.bac_input())
            .await,
        ErrorCode::AlreadyCheckedIn,
    );

    // The first computer dies; the proctor releases the seat; the student
    // checks in on another computer and continues the same attempt.
    relay
        .release(first.checkin_id, &proctor.token)
        .await
        .unwrap();
    let second = relay
        .check_in_with(CARD_ROOM, &mut issued.chip(4), s.bac_input())
        .await
        .unwrap();
    let views = relay.state.room_views(|_| true);
    assert!(
        views
            .iter()
            .flat_map(|r| &r.checkins)
            .any(|v| v.checkin_id == second.checkin_id && v.reseat)
    );
    relay
        .decide(second.checkin_id, &proctor.token, true)
        .await
        .unwrap();
    let rejoin = relay
        .poll(second.checkin_id, &second.poll_token)
        .await
        .unwrap()
        .join
        .unwrap();
    assert_eq!(rejoin.attempt_id, join.attempt_id);
    assert_ne!(rejoin.token, join.token);
    // The old computer's token no longer opens the attempt.
    let mut old = StudentWs::connect(&relay).await;
    old.send(&StudentToRelay::Hello {
        v: PROTOCOL_VERSION,
        token: join.token.clone(),
        sent_at: now_ms(),
        tab: None,
    })
    .await;
    let refused = old.recv().await;
    assert!(
        matches!(&refused, RelayToStudent::Error { error, .. } if error.code == ErrorCode::Unauthorized),
        "{refused:?}"
    );
}

#[tokio::test]
async fn a_card_room_refuses_name_joins_and_a_proctor_station_issues_one_time_seat_codes() {
    let relay = relay().await;
    let refused = relay.join(CARD_ROOM, "Nguyễn Văn An").await;
    assert_eq!(refused.unwrap_err().1.code, ErrorCode::CheckinRequired);

    // Read at the proctor station (signed in as the room's proctor).
    let proctor = relay.login("phong03").await;
    let s = student(1);
    let issued = genuine_card(1);
    let req = relay
        .signed_request(CARD_ROOM, &mut issued.chip(1), s.bac_input(), true)
        .await;
    // Without the proctor's session a station check-in is refused.
    refused_with(
        relay.post_checkin(&req, None).await,
        ErrorCode::Unauthorized,
    );
    // Refused before judging: the same upload with the session goes in.
    let seat_code = confirm_at_station(&relay, &proctor.token, &req).await;
    assert_eq!(seat_code.len(), 6);

    // The student types it on any browser; it works once.
    let joined = relay
        .join_with(with_seat_code(&seat_code.to_lowercase()))
        .await
        .unwrap();
    assert!(joined.attempt_id > 0);
    let again = relay
        .join_with(with_seat_code(&seat_code))
        .await
        .unwrap_err();
    assert_eq!(again.1.code, ErrorCode::SeatCodeInvalid);
    let wrong = relay.join_with(with_seat_code("ZZZZZZ")).await.unwrap_err();
    assert_eq!(wrong.1.code, ErrorCode::SeatCodeInvalid);
}

#[tokio::test]
async fn confirmed_at_the_door_before_the_exam_opens_the_attempt_comes_at_opening() {
    let now = now_ms();
    // Far enough ahead for the station check-in below to happen first.
    let opens_at = now + 6_000;
    let relay = TestRelay::start(
        examgate_relay::seed::DemoOptions {
            opens_at,
            closes_at: now + 3_600_000,
            duration_ms: Some(60_000),
            fixed_password: Some(examgate_tests::PASSWORD.into()),
            exam: None,
            card_students: examgate_relay::seed::demo_card_students(),
        },
        1_000,
    )
    .await;
    let issued = genuine_card(0);
    let accepted = relay
        .check_in_with(CARD_ROOM, &mut issued.chip(1), student(0).bac_input())
        .await
        .expect("students check in before the exam opens");
    let proctor = relay.login("phong03").await;
    relay
        .decide(accepted.checkin_id, &proctor.token, true)
        .await
        .unwrap();
    // At the proctor station too: the seat code typed before opening is
    // refused with exam_not_open and stays valid.
    let req = relay
        .signed_request(
            CARD_ROOM,
            &mut genuine_card(1).chip(1),
            student(1).bac_input(),
            true,
        )
        .await;
    let seat_code = confirm_at_station(&relay, &proctor.token, &req).await;
    assert!(
        now_ms() < opens_at,
        "the test machine was too slow to check this"
    );
    let early = relay
        .join_with(with_seat_code(&seat_code))
        .await
        .unwrap_err();
    assert_eq!(early.1.code, ErrorCode::ExamNotOpen);

    // The relay holds the attempt token until the exam opens, so the exam
    // page never meets a closed door.
    let poll = relay
        .poll(accepted.checkin_id, &accepted.poll_token)
        .await
        .unwrap();
    assert_eq!(poll.status, CheckinStatus::Confirmed);
    assert!(
        now_ms() >= opens_at,
        "handed out {} ms early",
        opens_at - now_ms()
    );
    let join = poll.join.expect("the attempt, now that the exam is open");
    let (_ws, welcome) = StudentWs::hello(&relay, &join.token, now_ms()).await;
    assert!(matches!(welcome, RelayToStudent::Welcome { .. }));
    assert!(
        relay.join_with(with_seat_code(&seat_code)).await.is_ok(),
        "the seat code still works"
    );
}

/// The desk is in the store, not in the relay's memory: a check-in waiting
/// for the proctor, a challenge given out, and a seat code not yet typed
/// all outlive a restart (a crash, an update); the reader polls on with
/// its token, the proctor decides after it, and the seat stays held.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_forgets_no_pending_check_in_challenge_or_seat_code() {
    let relay = relay().await;
    let proctor = relay.login("phong03").await;
    let accepted = relay
        .check_in_with(
            CARD_ROOM,
            &mut genuine_card(0).chip(1),
            student(0).bac_input(),
        )
        .await
        .unwrap();
    let station = relay
        .signed_request(
            CARD_ROOM,
            &mut genuine_card(1).chip(1),
            student(1).bac_input(),
            true,
        )
        .await;
    let seat_code = confirm_at_station(&relay, &proctor.token, &station).await;
    let s2 = student(2);
    let mut chip = genuine_card(2).chip(1);
    let (data, _) = read(&mut chip, s2.bac_input()).unwrap();
    let challenge = relay.challenge(CARD_ROOM).await;

    let relay = relay.restart().await;
    let proctor = relay.login("phong03").await;
    let room = relay
        .state
        .room_views(|_| true)
        .into_iter()
        .find(|r| r.requires_card)
        .unwrap();
    assert_eq!(
        (room.checkin_counts.awaiting, room.checkin_counts.confirmed),
        (1, 1),
        "{room:?}"
    );
    // The same card again: its seat is held across the restart.
    let again = relay
        .check_in_with(
            CARD_ROOM,
            &mut genuine_card(0).chip(2),
            student(0).bac_input(),
        )
        .await;
    refused_with(again, ErrorCode::AlreadyCheckedIn);
    relay
        .decide(accepted.checkin_id, &proctor.token, true)
        .await
        .unwrap();
    let polled = relay
        .poll(accepted.checkin_id, &accepted.poll_token)
        .await
        .unwrap();
    assert!(polled.join.is_some(), "{polled:?}");
    assert!(relay.join_with(with_seat_code(&seat_code)).await.is_ok());
    // The challenge given out before the restart is answered after it.
    let signature = answer(
        &mut read(&mut chip, s2.bac_input()).unwrap().1,
        &mut chip,
        &challenge.challenge,
    );
    let late = relay
        .post_checkin(
            &request(CARD_ROOM, &challenge.challenge_id, &data, &signature),
            None,
        )
        .await;
    assert!(late.is_ok(), "{late:?}");
}

/// A student computer's confirmation is stored in two steps (the attempt
/// is made between them). A relay that stopped between the two leaves the
/// check-in "confirming": the seat stays held and nobody decides or
/// releases it meanwhile, and a minute later a proctor may decide again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confirmation_left_half_way_is_decided_again_after_a_minute() {
    let relay = relay().await;
    let proctor = relay.login("phong03").await;
    let accepted = relay
        .check_in_with(
            CARD_ROOM,
            &mut genuine_card(0).chip(1),
            student(0).bac_input(),
        )
        .await
        .unwrap();
    let left_at = |at: i64| {
        relay
            .db()
            .execute(
                "UPDATE checkins SET decision = 'confirming', decided_by = 'user:gone',
                                     decided_at = ?2 WHERE id = ?1",
                examgate_relay::args![accepted.checkin_id, at],
            )
            .unwrap();
    };
    left_at(now_ms());
    let busy = relay
        .decide(accepted.checkin_id, &proctor.token, false)
        .await;
    assert_eq!(busy.unwrap_err().0, 409);
    refused_with(
        relay.release(accepted.checkin_id, &proctor.token).await,
        ErrorCode::Malformed,
    );
    refused_with(
        relay
            .check_in_with(
                CARD_ROOM,
                &mut genuine_card(0).chip(2),
                student(0).bac_input(),
            )
            .await,
        ErrorCode::AlreadyCheckedIn,
    );
    left_at(now_ms() - 61_000);
    relay
        .decide(accepted.checkin_id, &proctor.token, true)
        .await
        .expect("decided again");
    let polled = relay
        .poll(accepted.checkin_id, &accepted.poll_token)
        .await
        .unwrap();
    assert!(polled.join.is_some(), "{polled:?}");
}

/// The room proctor's station uploads `req`, confirms the photo, and gets
/// the seat code for the student.
async fn confirm_at_station(relay: &TestRelay, token: &str, req: &CheckinRequest) -> String {
    let accepted = relay.post_checkin(req, Some(token)).await.unwrap();
    relay
        .decide(accepted.checkin_id, token, true)
        .await
        .unwrap();
    relay
        .poll(accepted.checkin_id, &accepted.poll_token)
        .await
        .unwrap()
        .seat_code
        .expect("a station confirmation gives a seat code")
}

/// What a student types on any browser with a seat code.
fn with_seat_code(code: &str) -> JoinRequest {
    examgate_tests::seat_code_join(CARD_ROOM, code)
}

/// `GET /api/trust` tells staff what check-in trusts; nobody else.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_trust_list_is_reported_to_signed_in_staff_only() {
    let relay = relay().await;
    assert_eq!(
        examgate_tests::office::Client::new(&relay, None)
            .get("/api/trust")
            .await
            .status,
        401
    );
    let proctor = relay.login("phong01").await;
    let report: examgate_shared::chip::verify::TrustReport =
        examgate_tests::office::Client::new(&relay, Some(&proctor.token))
            .get("/api/trust")
            .await
            .json();
    assert_eq!(report.cscas.len(), 1, "{report:?}");
    let csca = &report.cscas[0];
    assert_eq!(csca.country, "VN");
    assert_eq!(csca.key, "ECDSA P-384");
    assert!(!csca.expired);
    assert!(report.revocation_lists.is_empty() && report.master_lists.is_empty());
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    // Every staff role gets the same report; a student's token gets none.
    for user in ["central", "giaovien"] {
        let staff = relay.login(user).await;
        let same: examgate_shared::chip::verify::TrustReport =
            examgate_tests::office::Client::new(&relay, Some(&staff.token))
                .get("/api/trust")
                .await
                .json();
        assert_eq!(same, report, "{user}");
    }
    let student = relay.join(&relay.code(0), "Học Sinh").await.unwrap();
    assert_eq!(
        examgate_tests::office::Client::new(&relay, Some(&student.token))
            .get("/api/trust")
            .await
            .status,
        401
    );
}

/// A genuine chip without an anti-clone key (EF.COM and EF.SOD list no DG15,
/// and no DG14 offers Chip Authentication) cannot be told from a copy: the check-in says so, as
/// unsupported, instead of asking the student to try again. With its DG15
/// hashed by the security object but not sent, it is incomplete instead.
#[tokio::test]
async fn a_chip_without_an_aa_key_is_unsupported_not_incomplete() {
    let relay = relay().await;
    let s = student(3);
    let no_aa = IssuedCard::issue_with(&s, card::pki(), None, false, 11);
    assert!(!no_aa.files.groups.contains_key(&15));
    assert!(!no_aa.files.groups.contains_key(&14));
    let msg = refused_with(
        relay
            .check_in_with(CARD_ROOM, &mut no_aa.chip(1), s.bac_input())
            .await,
        ErrorCode::CardUnsupported,
    );
    assert!(msg.contains("no Active Authentication"), "{msg}");

    // A card that has the key, with DG15 left out of the upload and out of
    // EF.COM (a tampered EF.COM is not signed): EF.SOD still hashes it.
    let genuine = genuine_card(3);
    let mut chip = genuine.chip(2);
    let challenge = relay.challenge(CARD_ROOM).await;
    let (mut data, mut session) = read(&mut chip, s.bac_input()).unwrap();
    let signature = answer(&mut session, &mut chip, &challenge.challenge);
    data.groups.remove(&15);
    data.groups.remove(&14);
    data.com = examgate_shared::chip::lds::build::ef_com(&[1, 2, 13]);
    let msg = refused_with(
        relay
            .post_checkin(
                &request(CARD_ROOM, &challenge.challenge_id, &data, &signature),
                None,
            )
            .await,
        ErrorCode::CardIncomplete,
    );
    assert!(msg.contains("hashes a DG15"), "{msg}");

    // A chip with Chip Authentication only, its DG14 left out: the same.
    let ca_only = IssuedCard::issue_with(&s, card::pki(), None, true, 12);
    let mut chip = ca_only.chip(3);
    let challenge = relay.challenge(CARD_ROOM).await;
    let (mut data, _) = read(&mut chip, s.bac_input()).unwrap();
    data.groups.remove(&14);
    data.com = examgate_shared::chip::lds::build::ef_com(&[1, 2, 13]);
    let msg = refused_with(
        relay
            .post_checkin(
                &request(CARD_ROOM, &challenge.challenge_id, &data, &[]),
                None,
            )
            .await,
        ErrorCode::CardIncomplete,
    );
    assert!(msg.contains("hashes a DG14"), "{msg}");
}

/// A card kept as a folder with its keys (`CA.key`, `AA.key`) and served
/// again passes Chip Authentication with the relay as the terminal; a
/// `CA.key` that is not the private half of DG14's key is refused when the
/// folder is served.
#[tokio::test]
async fn a_card_folder_answers_chip_authentication_with_its_stored_key() {
    use examgate_cardsim::folder::{AA_KEY_FILE, CA_KEY_FILE, LdsFolder};

    let relay = relay().await;
    let s = student(3);
    let proctor = relay.login("phong03").await;
    // Removed when the test ends, passed or not.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ca-folder");
    genuine_card(3).folder().save(&dir).unwrap();
    assert!(dir.join(CA_KEY_FILE).exists());

    let mut chip = LdsFolder::load(&dir).unwrap().chip(7).unwrap();
    let accepted = relay
        .check_in_with(CARD_ROOM, &mut chip, s.bac_input())
        .await
        .expect("the folder's chip proves its key");
    let reasons = accepted_reasons(&relay);
    assert!(
        reasons.contains("chip authentication (AES-128, brainpoolP256r1)"),
        "{reasons}"
    );
    relay
        .decide(accepted.checkin_id, &proctor.token, false)
        .await
        .unwrap();

    // Another card's CA key in this card's folder.
    let other = genuine_card(0).folder().ca_private_key.unwrap();
    std::fs::write(dir.join(CA_KEY_FILE), other).unwrap();
    let error = LdsFolder::load(&dir).unwrap().chip(8).unwrap_err();
    assert!(error.to_string().contains("CA.key"), "{error}");
    assert!(dir.join(AA_KEY_FILE).exists());
}

/// Chip Authentication with a DH key (older passports; ICAO 9303-11 allows
/// both): the relay runs it in the group DG14 spells out, a genuine chip
/// passes, a copy of the files on a chip with another DH key does not.
#[tokio::test]
async fn chip_authentication_with_a_dh_key_proves_the_chip_and_refuses_copies() {
    use examgate_cardsim::chip_auth::CaKey;
    use examgate_shared::chip::pace::Cipher;

    let relay = relay().await;
    let s = student(2);
    let proctor = relay.login("phong03").await;
    let dh = IssuedCard::issue_with_ca_key(
        &s,
        card::pki(),
        None,
        Some(CaKey::generate_dh(Cipher::Aes128, 14)),
        14,
    );
    let accepted = relay
        .check_in_with(CARD_ROOM, &mut dh.chip(1), s.bac_input())
        .await
        .expect("a genuine chip passes chip authentication with DH");
    let reasons = accepted_reasons(&relay);
    assert!(
        reasons.contains("chip authentication (AES-128, DH-2048) with the relay as the terminal"),
        "{reasons}"
    );
    relay
        .decide(accepted.checkin_id, &proctor.token, false)
        .await
        .unwrap();
    let msg = refused_with(
        relay
            .check_in_with(CARD_ROOM, &mut dh.clone_with_other_key(2), s.bac_input())
            .await,
        ErrorCode::CardNotGenuine,
    );
    assert!(msg.contains("chip authentication"), "{msg}");
}

/// Chip Authentication with the relay as the terminal: the reader sends
/// DG14 with its challenge request, the relay answers with the exchange
/// (its ephemeral key, and a proof read it protected itself), the reader
/// only carries the bytes. A genuine chip passes; a copy of the files on a
/// chip with another key, an invented answer, or the genuine chip's answer
/// sent with another card's DG14 are refused as not genuine.
#[tokio::test]
async fn chip_authentication_proves_the_chip_and_refuses_copies() {
    let relay = relay().await;
    let s = student(1);
    let genuine = genuine_card(1);
    let proctor = relay.login("phong03").await;

    // The relay starts Chip Authentication for this DG14.
    let mut chip = genuine.chip(1);
    let (data, mut session) = read(&mut chip, s.bac_input()).unwrap();
    let challenge = relay
        .challenge_for(CARD_ROOM, Some(&data.groups[&14]))
        .await;
    let commands = challenge
        .chip_auth
        .clone()
        .expect("the chip offers chip authentication");
    let answer = card::chip_authenticate(&mut session, &mut chip, &commands);
    assert!(!answer.is_empty());
    let mut genuine_request = request(CARD_ROOM, &challenge.challenge_id, &data, &[]);
    genuine_request.ca_answer = BASE64.encode(&answer);

    // The same answer with another card's DG14 (signed, but another key).
    let other = IssuedCard::issue(
        &s,
        card::pki(),
        Some(examgate_cardsim::aa::AaKind::EcdsaP256),
        77,
    );
    let mut swapped = genuine_request.clone();
    swapped
        .groups
        .insert(14, BASE64.encode(&other.files.groups[&14]));
    // (EF.SOD of the genuine card does not hash that DG14: altered. With
    // the other card's EF.SOD too, the DG14 check itself refuses it.)
    swapped.sod = BASE64.encode(&other.files.sod);
    for (n, file) in &other.files.groups {
        swapped.groups.insert(*n, BASE64.encode(file));
    }
    let msg = refused_with(
        relay.post_checkin(&swapped, None).await,
        ErrorCode::CardNotGenuine,
    );
    assert!(msg.contains("DG14 differs"), "{msg}");
    // The challenge is spent with that refusal: the genuine answer needs a
    // fresh exchange.
    refused_with(
        relay.post_checkin(&genuine_request, None).await,
        ErrorCode::ChallengeInvalid,
    );

    let accepted = relay
        .check_in_with(CARD_ROOM, &mut genuine.chip(2), s.bac_input())
        .await
        .expect("a genuine chip passes chip authentication");
    let reasons = accepted_reasons(&relay);
    assert!(
        reasons.contains(
            "chip authentication (AES-128, brainpoolP256r1) with the relay as the terminal"
        ),
        "{reasons}"
    );
    relay
        .decide(accepted.checkin_id, &proctor.token, false)
        .await
        .unwrap();

    // A copy of the files on a chip with its own CA key: the keys differ,
    // the proof read does not open at the relay.
    let msg = refused_with(
        relay
            .check_in_with(
                CARD_ROOM,
                &mut genuine.clone_with_other_key(3),
                s.bac_input(),
            )
            .await,
        ErrorCode::CardNotGenuine,
    );
    assert!(msg.contains("chip authentication"), "{msg}");

    // A copier who invents the answer.
    let mut chip = genuine.chip(4);
    let (data, _) = read(&mut chip, s.bac_input()).unwrap();
    let challenge = relay
        .challenge_for(CARD_ROOM, Some(&data.groups[&14]))
        .await;
    assert!(challenge.chip_auth.is_some());
    let mut invented = request(CARD_ROOM, &challenge.challenge_id, &data, &[]);
    invented.ca_answer = BASE64.encode([
        0x99, 0x02, 0x90, 0x00, 0x8E, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0x90, 0x00,
    ]);
    let msg = refused_with(
        relay.post_checkin(&invented, None).await,
        ErrorCode::CardNotGenuine,
    );
    assert!(msg.contains("does not open"), "{msg}");
}

/// A chip whose DG14 advertises Chip Authentication but which refuses the
/// relay's commands (here a card folder that keeps the AA key but not the
/// CA key) is not turned away: the reader falls back to Active
/// Authentication over the same challenge, and the relay checks that.
#[tokio::test]
async fn a_chip_that_refuses_chip_authentication_proves_itself_with_aa() {
    let relay = relay().await;
    let s = student(2);
    let mut folder = genuine_card(2).folder();
    folder.ca_private_key = None;
    let mut chip = folder.chip(5).unwrap();
    let accepted = relay
        .check_in_with(CARD_ROOM, &mut chip, s.bac_input())
        .await
        .expect("AA proves the chip");
    assert_eq!(accepted.status, CheckinStatus::AwaitingProctor);
    let reasons = accepted_reasons(&relay);
    assert!(reasons.contains("active authentication Ecdsa"), "{reasons}");
}
