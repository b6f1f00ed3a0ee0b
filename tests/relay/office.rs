//! The exam office through the real relay: a relay started for a real exam
//! (no demo), the set-up link, planning the pilot (three schools, two
//! shifts), a roster imported from an XLSX export, candidates of shift 1
//! sitting while shift 2 is refused, the central views, the XLSX hand-in
//! read back, the inspection package verified and caught when altered,
//! exports in the audit trail, and every office endpoint against every role.

use std::collections::{BTreeMap, BTreeSet};

use examgate_relay::handin::package::verify_package;
use examgate_shared::office::api::{NewShift, RosterImportReport, RosterRow, SetupRequest};
use examgate_shared::protocol::{JoinRequest, RelayToProctor, RelayToStudent, Role};
use examgate_tests::office::{
    Client, OFFICE_PASSWORD, OFFICE_USER, Pupil, handin_marks, one_school, plan_pilot, pupils,
    roster_xlsx, set_up_office, sign_in, site_office,
};
use examgate_tests::{ProctorWs, StudentWs, TestRelay, now_ms};

pub(crate) fn join_by_number(code: &str, number: &str, birth: &str) -> JoinRequest {
    JoinRequest {
        code: code.into(),
        name: String::new(),
        resume_token: None,
        seat_code: None,
        candidate_number: Some(number.into()),
        birth: Some(birth.into()),
    }
}

/// The registered candidates by number, from the printout endpoint.
pub(crate) async fn roster(office: &Client, event: u64) -> BTreeMap<String, RosterRow> {
    let a = office
        .get(&format!("/api/office/events/{event}/roster"))
        .await;
    assert_eq!(a.status, 200);
    a.json::<Vec<RosterRow>>()
        .into_iter()
        .map(|r| (r.candidate_number.clone().unwrap(), r))
        .collect()
}

pub(crate) fn audit_actions(relay: &TestRelay) -> Vec<(String, String)> {
    let db = relay.db();
    db.query_map(
        "SELECT actor, action FROM audit ORDER BY id",
        examgate_relay::args![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
    .into_iter()
    .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_set_up_link_works_once_and_a_real_relay_has_no_demo() {
    let relay = TestRelay::empty().await;
    let token = relay.setup_token.clone().unwrap();
    let anyone = Client::new(&relay, None);
    // Nothing of the demo: no exam, no join code, no account.
    let join = anyone
        .post(
            "/api/join",
            &serde_json::json!({"code": "TOAN-P01", "name": "Nguyễn Văn An"}),
        )
        .await;
    assert_eq!((join.status, join.code().as_str()), (404, "unknown_code"));
    let login = anyone
        .post(
            "/api/login",
            &serde_json::json!({"username": "central", "password": "x"}),
        )
        .await;
    assert_eq!(login.status, 401);
    // A wrong token, a short password: refused, nothing created.
    let wrong = anyone
        .post(
            "/api/setup",
            &SetupRequest {
                token: "0".repeat(64),
                username: "x".into(),
                display_name: "X".into(),
                password: "long enough password".into(),
            },
        )
        .await;
    assert_eq!(
        (wrong.status, wrong.code().as_str()),
        (410, "setup_invalid")
    );
    let short = anyone
        .post(
            "/api/setup",
            &SetupRequest {
                token: token.clone(),
                username: "x".into(),
                display_name: "X".into(),
                password: "short".into(),
            },
        )
        .await;
    assert_eq!((short.status, short.code().as_str()), (422, "invalid"));
    let office = set_up_office(&relay).await;
    assert_eq!(office.plan().await.accounts.len(), 1);
    // Used: the same link again is refused.
    let again = anyone
        .post(
            "/api/setup",
            &SetupRequest {
                token,
                username: "second".into(),
                display_name: "Y".into(),
                password: "another long password".into(),
            },
        )
        .await;
    assert_eq!(
        (again.status, again.code().as_str()),
        (410, "setup_invalid")
    );
    // The account signs in with its password.
    sign_in(&relay, OFFICE_USER, OFFICE_PASSWORD).await;
    assert!(
        audit_actions(&relay)
            .iter()
            .any(|(actor, action)| actor == "user:hoidongthi" && action == "setup")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pilot_three_schools_two_shifts_221_candidates_handed_in_and_verified() {
    let relay = TestRelay::empty().await;
    let office = set_up_office(&relay).await;
    // Shift 2 opens at the next whole minute, at least 25 s from now: the
    // import, hand-in and checks below must all happen before it opens,
    // on a loaded machine too.
    let pilot = plan_pilot(&office, 2, now_ms() + 25_000).await;
    let pupils: Vec<Pupil> = pupils(221);

    // Dry run first: the report, nothing stored.
    let xlsx = roster_xlsx(&pupils);
    let path = format!("/api/office/events/{}/roster", pilot.event);
    let dry = office
        .post_bytes(&format!("{path}?dry_run=1"), xlsx.clone())
        .await;
    assert_eq!(dry.status, 200);
    let report: RosterImportReport = dry.json();
    assert!(!report.committed);
    assert_eq!(report.candidates, 221);
    assert!(
        report.preview.errors.is_empty(),
        "{:?}",
        report.preview.errors
    );
    assert!(
        report
            .preview
            .dropped_columns
            .iter()
            .any(|d| d.header == "Dân tộc" && d.sensitive),
        "ethnicity is dropped as sensitive"
    );
    // Excel stripped every CCCD's leading 0: padded back, with a warning.
    assert_eq!(
        report
            .preview
            .warnings
            .iter()
            .filter(|w| w.code == "person_id_padded")
            .count(),
        221
    );
    assert!(roster(&office, pilot.event).await.is_empty());

    // Commit: every candidate placed (no room column: allocated) and
    // numbered (no số báo danh column).
    let done = office.post_bytes(&path, xlsx).await;
    assert_eq!(done.status, 200, "{}", String::from_utf8_lossy(&done.body));
    let report: RosterImportReport = done.json();
    assert!(report.committed);
    assert_eq!(report.numbered, 221);
    let registered = roster(&office, pilot.event).await;
    assert_eq!(registered.len(), 221);
    // Every pupil is registered in their school and shift.
    for p in &pupils {
        let row = registered
            .values()
            .find(|r| {
                r.name == p.name
                    && r.birth.as_deref() == Some(p.birth.as_str())
                    && r.shift == p.shift
                    && r.site == p.school
            })
            .unwrap_or_else(|| panic!("{p:?} registered"));
        assert!(row.join_code.is_some());
        assert!(row.seat.is_some());
        // Printouts never carry the whole CCCD.
        assert_eq!(
            row.person_id_masked
                .as_deref()
                .map(|m| m.ends_with(&p.cccd[8..])),
            Some(true)
        );
        assert!(
            !row.person_id_masked
                .as_deref()
                .unwrap()
                .contains(&p.cccd[..8])
        );
    }
    // No room over its 24 seats in any shift.
    let mut per_room: BTreeMap<(u64, u64), usize> = BTreeMap::new();
    for r in registered.values() {
        *per_room.entry((r.sitting_id, r.room_id)).or_default() += 1;
    }
    assert!(per_room.values().all(|&n| n <= 24), "{per_room:?}");
    // No CCCD number of the sheet is in the database's files in clear.
    let numbers: Vec<&str> = pupils.iter().map(|p| p.cccd.as_str()).collect();
    assert_eq!(relay.found_in_files(&numbers), Vec::<&str>::new());

    // Staff: a room proctor per room, the department's central proctor, a
    // site's own central proctor.
    let central = office
        .account("trungtam", Role::CentralProctor, None, None)
        .await;
    let site0 = office
        .account("ppdp", Role::CentralProctor, Some(pilot.sites[0].0), None)
        .await;
    let (_, room0, _) = &pilot.rooms[0];
    let proctor0 = office
        .account("gt.p01", Role::RoomProctor, None, Some(*room0))
        .await;
    assert_eq!(proctor0.scope, "Phòng 01 — THPT Phan Đình Phùng");

    // The central proctor sees rooms of all three sites; the site's own
    // sees only its site; the room proctor only its room. Sessions with
    // many rooms get them as summaries and open rooms on demand.
    let sites_seen = |snap: &RelayToProctor| -> BTreeSet<String> {
        let RelayToProctor::Snapshot {
            rooms, summaries, ..
        } = snap
        else {
            panic!("snapshot expected")
        };
        let open: BTreeSet<u64> = rooms.iter().map(|r| r.room_id).collect();
        assert!(
            open.iter()
                .all(|r| summaries.iter().any(|s| s.room_id == *r)),
            "every open room has its summary"
        );
        summaries.iter().map(|s| s.site.clone()).collect()
    };
    let (_ws, snap) = ProctorWs::connect(
        &relay,
        sign_in(&relay, "trungtam", &central.password).await.token(),
    )
    .await;
    assert_eq!(sites_seen(&snap).len(), 3);
    let (_ws2, snap) = ProctorWs::connect(
        &relay,
        sign_in(&relay, "ppdp", &site0.password).await.token(),
    )
    .await;
    assert_eq!(
        sites_seen(&snap),
        BTreeSet::from([pilot.sites[0].1.clone()])
    );
    let (_ws3, snap) = ProctorWs::connect(
        &relay,
        sign_in(&relay, "gt.p01", &proctor0.password).await.token(),
    )
    .await;
    let RelayToProctor::Snapshot { rooms, .. } = &snap else {
        unreachable!()
    };
    assert_eq!(
        rooms.iter().map(|r| r.room_id).collect::<Vec<_>>(),
        vec![*room0]
    );
    // Everyone registered in the room is on the proctor's table before
    // joining, each with their number.
    let in_room0 = registered.values().filter(|r| r.room_id == *room0).count();
    assert_eq!(rooms[0].rows.len(), in_room0);
    assert!(rooms[0].rows.iter().all(|row| {
        row.status == examgate_shared::roster::RowStatus::NotStarted
            && registered.contains_key(row.candidate_number.as_deref().unwrap_or(""))
    }));

    // Shift 1: a dozen candidates sit it through the real protocol.
    let shift1: Vec<&RosterRow> = registered.values().filter(|r| r.shift == "Ca 1").collect();
    let shift2: Vec<&RosterRow> = registered.values().filter(|r| r.shift == "Ca 2").collect();
    assert!(shift1.len() > 100 && shift2.len() > 100);
    let mut sat = Vec::new();
    for (i, r) in shift1.iter().take(12).enumerate() {
        let number = r.candidate_number.clone().unwrap();
        let joined = relay
            .join_with(join_by_number(
                r.join_code.as_deref().unwrap(),
                &number,
                r.birth.as_deref().unwrap(),
            ))
            .await
            .unwrap_or_else(|e| panic!("{number} joins: {e:?}"));
        let (mut s, welcome) = StudentWs::hello(&relay, &joined.token, now_ms()).await;
        let RelayToStudent::Welcome { attempt, .. } = welcome else {
            unreachable!()
        };
        assert_eq!(attempt.candidate_name, r.name);
        // Question 1's key is A: every other candidate answers it right.
        s.answer(1, 1, if i % 2 == 0 { 0 } else { 1 }).await;
        s.submit(2).await;
        sat.push((number, i % 2 == 0));
    }
    // The wrong date of birth, another room's code, no number: refused.
    let r = shift1[20];
    let number = r.candidate_number.clone().unwrap();
    let (status, e) = relay
        .join_with(join_by_number(
            r.join_code.as_deref().unwrap(),
            &number,
            "01/01/1999",
        ))
        .await
        .unwrap_err();
    assert_eq!((status, e.code.as_str()), (403, "birth_mismatch"));
    let other_room = shift1
        .iter()
        .find(|o| o.room_id != r.room_id)
        .unwrap()
        .join_code
        .clone()
        .unwrap();
    let (_, e) = relay
        .join_with(join_by_number(
            &other_room,
            &number,
            r.birth.as_deref().unwrap(),
        ))
        .await
        .unwrap_err();
    assert_eq!(e.code.as_str(), "not_on_roster");
    let (_, e) = relay
        .join(r.join_code.as_deref().unwrap(), &r.name)
        .await
        .unwrap_err();
    assert_eq!(e.code.as_str(), "candidate_number_required");

    // Shift 2's candidates: not in shift 1's rooms, and their own room's
    // code does not open before shift 2 does.
    let early = shift2[0];
    let early_number = early.candidate_number.clone().unwrap();
    let shift1_code_same_room = shift1
        .iter()
        .find(|o| o.room_id == early.room_id)
        .unwrap()
        .join_code
        .clone()
        .unwrap();
    let (_, e) = relay
        .join_with(join_by_number(
            &shift1_code_same_room,
            &early_number,
            early.birth.as_deref().unwrap(),
        ))
        .await
        .unwrap_err();
    assert_eq!(e.code.as_str(), "not_on_roster");
    let early_req = join_by_number(
        early.join_code.as_deref().unwrap(),
        &early_number,
        early.birth.as_deref().unwrap(),
    );
    let (status, e) = relay.join_with(early_req.clone()).await.unwrap_err();
    assert_eq!((status, e.code.as_str()), (403, "exam_not_open"));
    // Once shift 2 opens, they sit it (its own paper).
    let opens = office.plan().await.events[0].shifts[1].opens_at;
    tokio::time::sleep(std::time::Duration::from_millis(
        (opens - now_ms()).max(0) as u64 + 200,
    ))
    .await;
    let joined = relay.join_with(early_req).await.unwrap();
    assert_eq!(joined.exam_title, "Kiểm tra Toán 12 — đề ca 2");
    let (mut s, _) = StudentWs::hello(&relay, &joined.token, now_ms()).await;
    s.answer(1, 1, 0).await;
    s.submit(2).await;
    sat.push((early_number, true));

    // The hand-in workbook, read back: a summary sheet, one sheet per
    // room and shift, marks as numbers, absent candidates listed.
    let xlsx = office
        .get(&format!("/api/office/events/{}/results.xlsx", pilot.event))
        .await;
    assert_eq!(xlsx.status, 200);
    let (names, listed) = handin_marks(&xlsx.body);
    assert_eq!(names[0], "Tổng hợp");
    assert_eq!(names.len(), 1 + per_room.len(), "{names:?}");
    assert!(
        names
            .iter()
            .any(|n| n.contains("Phòng 01") && n.contains("Ca 1"))
    );
    assert_eq!(listed.len(), 221, "every registered candidate is listed");
    let marks: BTreeMap<&String, f64> = listed
        .iter()
        .filter_map(|(n, m)| m.map(|m| (n, m)))
        .collect();
    let absent = listed.values().filter(|m| m.is_none()).count();
    assert_eq!(marks.len(), sat.len());
    for (number, right) in &sat {
        assert_eq!(marks[&number], if *right { 0.3 } else { 0.0 }, "{number}");
    }
    assert_eq!(absent, 221 - sat.len());

    // The inspection package verifies, and fails after one byte changes.
    let pkg = office
        .get(&format!(
            "/api/office/events/{}/inspection.zip",
            pilot.event
        ))
        .await;
    assert_eq!(pkg.status, 200);
    let report = verify_package(&pkg.body).expect("the package verifies");
    assert!(report.files >= 10, "{}", report.files);
    let mut altered = pkg.body.clone();
    let middle = altered.len() / 2;
    altered[middle] ^= 0x01;
    assert!(verify_package(&altered).is_err());

    // Both exports are in the audit trail with who.
    let actions = audit_actions(&relay);
    for action in [
        "export_xlsx",
        "export_package",
        "view_roster",
        "roster_import",
    ] {
        assert!(
            actions
                .iter()
                .any(|(actor, a)| actor == "user:hoidongthi" && a == action),
            "{action} audited"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_are_scoped_disabled_and_reset() {
    let relay = TestRelay::empty().await;
    let office = set_up_office(&relay).await;
    let pilot = plan_pilot(&office, 1, now_ms() + 3_600_000).await;
    let site_a = pilot.sites[0].0;
    let room_b = pilot.rooms.iter().find(|r| r.0 == 1).unwrap().1;
    // A site's own exam office manages its site only.
    let local = site_office(&relay, &office, "hdt.ppdp", site_a).await;
    let refused = local
        .post(
            "/api/office/accounts",
            &serde_json::json!({"username": "x", "display_name": "X", "role": "room_proctor", "room_id": room_b}),
        )
        .await;
    assert_eq!(
        (refused.status, refused.code().as_str()),
        (403, "forbidden")
    );
    let wider = local
        .post(
            "/api/office/accounts",
            &serde_json::json!({"username": "y", "display_name": "Y", "role": "central_proctor"}),
        )
        .await;
    assert_eq!(wider.status, 403, "no wider scope than its own");
    let view = local.plan().await;
    assert_eq!(view.sites.len(), 1);
    assert_eq!(view.sites[0].id, site_a);
    // Duplicate names, bad names.
    let dup = office
        .post(
            "/api/office/accounts",
            &serde_json::json!({"username": "HDT.PPDP", "display_name": "Z", "role": "teacher"}),
        )
        .await;
    assert_eq!((dup.status, dup.code().as_str()), (409, "conflict"));
    // Disabling ends the session and refuses sign-in; enabling restores.
    let p = office
        .account("gt.b", Role::RoomProctor, None, Some(room_b))
        .await;
    let session = sign_in(&relay, "gt.b", &p.password).await;
    assert_eq!(session.get("/api/sittings").await.status, 403);
    let off = office
        .post(
            "/api/office/accounts/gt.b",
            &serde_json::json!({"disabled": true}),
        )
        .await;
    assert_eq!(off.status, 200);
    assert_eq!(
        session.get("/api/sittings").await.status,
        401,
        "session ended"
    );
    let login = Client::new(&relay, None)
        .post(
            "/api/login",
            &serde_json::json!({"username": "gt.b", "password": p.password}),
        )
        .await;
    assert_eq!(
        (login.status, login.code().as_str()),
        (403, "account_disabled")
    );
    office
        .post(
            "/api/office/accounts/gt.b",
            &serde_json::json!({"disabled": false}),
        )
        .await;
    // A reset: a new password on a slip, the old one no longer works.
    let reset = office
        .post(
            "/api/office/accounts/gt.b",
            &serde_json::json!({"reset_password": true}),
        )
        .await;
    let slip: Option<examgate_shared::office::api::AccountSlip> = reset.json();
    let slip = slip.unwrap();
    assert_ne!(slip.password, p.password);
    assert_eq!(slip.scope, p.scope, "the new slip names the same room");
    let old = Client::new(&relay, None)
        .post(
            "/api/login",
            &serde_json::json!({"username": "gt.b", "password": p.password}),
        )
        .await;
    assert_eq!(old.status, 401);
    sign_in(&relay, "gt.b", &slip.password).await;
    // The site's office cannot touch another site's account.
    let other = local
        .post(
            "/api/office/accounts/gt.b",
            &serde_json::json!({"disabled": true}),
        )
        .await;
    assert_eq!((other.status, other.code().as_str()), (404, "not_found"));
    let actions: Vec<String> = audit_actions(&relay).into_iter().map(|(_, a)| a).collect();
    for a in [
        "account_create",
        "account_disable",
        "account_enable",
        "account_reset_password",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a} audited");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_office_endpoint_checks_the_role() {
    let relay = TestRelay::empty().await;
    let office = set_up_office(&relay).await;
    let pilot = plan_pilot(&office, 1, now_ms() + 3_600_000).await;
    let room = pilot.rooms[0].1;
    let mut clients: Vec<(&str, Client)> = vec![("nobody", Client::new(&relay, None))];
    for (user, role, room_id) in [
        ("p", Role::RoomProctor, Some(room)),
        ("c", Role::CentralProctor, None),
        ("t", Role::Teacher, None),
    ] {
        let slip = office.account(user, role, None, room_id).await;
        clients.push((user, sign_in(&relay, user, &slip.password).await));
    }
    clients.push(("office", office.clone()));
    // Reset by the office in the loop; not one of the callers above.
    office.account("spare", Role::Teacher, None, None).await;
    let e = pilot.event;
    let mut exam = examgate_relay::seed::demo_exam();
    exam.id = "role-test".into();
    let paper = serde_json::to_value(&exam).unwrap();
    // (method, path, body, roles allowed)
    let endpoints: Vec<(&str, String, serde_json::Value, &[&str])> = vec![
        (
            "GET",
            "/api/office/plan".into(),
            serde_json::Value::Null,
            &["office"],
        ),
        (
            "POST",
            "/api/office/events".into(),
            serde_json::json!({"name": "E"}),
            &["office"],
        ),
        (
            "POST",
            "/api/office/sites".into(),
            serde_json::json!({"name": "S"}),
            &["office"],
        ),
        (
            "POST",
            "/api/office/rooms".into(),
            serde_json::json!({"site_id": pilot.sites[0].0, "name": "R"}),
            &["office"],
        ),
        ("POST", "/api/office/papers".into(), paper, &["office", "t"]),
        (
            "POST",
            format!("/api/office/events/{e}/shifts"),
            serde_json::json!({"name": "C", "date": "01/01/2027", "start": "07:00", "minutes": 45, "exam_id": "toan-ca-1"}),
            &["office"],
        ),
        (
            "POST",
            format!("/api/office/events/{e}/roster?dry_run=1"),
            serde_json::Value::String("STT;Họ và tên\n".into()),
            &["office"],
        ),
        (
            "GET",
            format!("/api/office/events/{e}/roster"),
            serde_json::Value::Null,
            &["office"],
        ),
        (
            "POST",
            "/api/office/accounts".into(),
            serde_json::json!({"username": "new", "display_name": "N", "role": "teacher"}),
            &["office"],
        ),
        (
            "POST",
            "/api/office/accounts/spare".into(),
            serde_json::json!({"reset_password": true}),
            &["office"],
        ),
        (
            "GET",
            format!("/api/office/events/{e}/results.xlsx"),
            serde_json::Value::Null,
            &["office", "c"],
        ),
        (
            "GET",
            format!("/api/office/events/{e}/inspection.zip"),
            serde_json::Value::Null,
            &["office"],
        ),
        (
            "POST",
            "/api/office/codes/NOPE".into(),
            serde_json::json!({"requires_card": true}),
            &["office"],
        ),
        (
            "GET",
            format!("/api/office/events/{e}/candidates/X1"),
            serde_json::Value::Null,
            &["office", "c"],
        ),
        // The office's call is refused (409: the shift has not closed).
        (
            "POST",
            format!("/api/office/events/{e}/publish"),
            serde_json::json!({}),
            &["office"],
        ),
    ];
    for (method, path, body, allowed) in &endpoints {
        for (who, client) in &clients {
            let a = match (*method, body) {
                ("GET", _) => client.get(path).await,
                (_, serde_json::Value::String(raw)) => {
                    client.post_bytes(path, raw.clone().into_bytes()).await
                }
                _ => client.post(path, body).await,
            };
            let expected_refusal = match *who {
                "nobody" => Some((401, "unauthorized")),
                w if allowed.contains(&w) => None,
                _ => Some((403, "forbidden")),
            };
            match expected_refusal {
                Some((status, code)) => assert_eq!(
                    (a.status, a.code().as_str()),
                    (status, code),
                    "{who} {method} {path}"
                ),
                None => assert!(
                    a.status != 401 && a.status != 403,
                    "{who} {method} {path}: {} {}",
                    a.status,
                    String::from_utf8_lossy(&a.body)
                ),
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_candidates_record_shows_every_answer_and_its_viewing_is_logged() {
    let relay = TestRelay::empty().await;
    let office = set_up_office(&relay).await;
    let pilot = plan_pilot(&office, 1, now_ms() + 3_600_000).await;
    let csv = "SBD;Họ và tên;Ngày sinh;Trường;Phòng;Ca thi\n\
               A01;Nguyễn Văn An;04/03/2008;THPT Phan Đình Phùng;Phòng 01;Ca 1\n\
               A02;Nguyễn Văn An;05/03/2008;THPT Phan Đình Phùng;Phòng 01;Ca 1\n";
    let a = office
        .post_bytes(
            &format!("/api/office/events/{}/roster", pilot.event),
            csv.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    let rows = roster(&office, pilot.event).await;
    let code = rows["A01"].join_code.clone().unwrap();
    // Two candidates of the same name in one room: told apart by number.
    let first = relay
        .join_with(join_by_number(&code, "A01", "04/03/2008"))
        .await
        .unwrap();
    let second = relay
        .join_with(join_by_number(&code, "a02", "05/03/2008"))
        .await
        .unwrap();
    assert_ne!(first.attempt_id, second.attempt_id);
    let (mut s, _) = StudentWs::hello(&relay, &first.token, now_ms()).await;
    s.answer(1, 1, 0).await;
    s.answer(2, 999, 0).await; // no such question: refused, recorded
    s.submit(3).await;
    // The proctor rows carry the numbers.
    let views = relay.state.room_views(|_| true);
    let numbers: BTreeSet<Option<String>> = views
        .iter()
        .flat_map(|r| r.rows.iter().map(|row| row.candidate_number.clone()))
        .collect();
    assert!(numbers.contains(&Some("A01".into())) && numbers.contains(&Some("A02".into())));
    // The results rows too.
    let sitting = pilot.shifts[0].0;
    let results: serde_json::Value = Client::new(&relay, Some(office.token()))
        .get(&format!("/api/sittings/{sitting}/results"))
        .await
        .json();
    assert_eq!(results["rows"][0]["candidate_number"], "A01");

    let detail = office
        .get(&format!(
            "/api/office/events/{}/candidates/A01",
            pilot.event
        ))
        .await;
    assert_eq!(
        detail.status,
        200,
        "{}",
        String::from_utf8_lossy(&detail.body)
    );
    let d: serde_json::Value = detail.json();
    assert_eq!(d["status"], "Đã thi");
    assert_eq!(d["mark_tenths"], 3);
    let events = d["events"].as_array().unwrap();
    assert_eq!(events.len(), 3);
    assert!(events.iter().all(|e| e["relay_time"].as_i64().unwrap() > 0));
    assert_eq!(events[1]["refused"], "unknown_question");
    assert!(
        d["audit"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["action"] == "join")
    );
    let missing = office
        .get(&format!(
            "/api/office/events/{}/candidates/Z99",
            pilot.event
        ))
        .await;
    assert_eq!(missing.status, 404);
    assert!(
        audit_actions(&relay)
            .iter()
            .any(|(actor, a)| actor == "user:hoidongthi" && a == "view_candidate")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chip_id_shift_makes_card_rooms_and_needs_every_cccd() {
    let relay = TestRelay::empty().await;
    let office = set_up_office(&relay).await;
    let (_, event) = one_school(&office, &["Phòng 01"], "CCCD").await;
    let now = examgate_shared::office::api::vietnam_text(now_ms() - 60_000);
    let (date, time) = now.split_once(' ').unwrap();
    // A chip-ID shift created with no room: the flag is the shift's.
    office
        .create(
            &format!("/api/office/events/{event}/shifts"),
            &NewShift {
                name: "Ca 1".into(),
                date: date.into(),
                start: time.into(),
                minutes: 45,
                hard_stop_minutes: None,
                fullscreen: false,
                exam_id: "toan".into(),
                requires_card: true,
                room_ids: Vec::new(),
            },
        )
        .await;
    assert!(office.plan().await.events[0].shifts[0].requires_card);
    let path = format!("/api/office/events/{event}/roster");
    // A row without a CCCD is refused at its cell.
    let missing = "Họ và tên;Ngày sinh;Số CCCD\n\
                   Nguyễn Văn An;04/03/2008;042208100001\n\
                   Trần Thị Bình;05/03/2008;\n";
    let a = office.post_bytes(&path, missing.as_bytes().to_vec()).await;
    assert_eq!(a.status, 422);
    let report: RosterImportReport = a.json();
    assert!(
        report
            .preview
            .errors
            .iter()
            .any(|e| e.code == "person_id_missing" && e.row == 3),
        "{:?}",
        report.preview.errors
    );
    let ok = "Họ và tên;Ngày sinh;Số CCCD\n\
              Nguyễn Văn An;04/03/2008;042208100001\n\
              Trần Thị Bình;05/03/2008;042308100002\n";
    let a = office.post_bytes(&path, ok.as_bytes().to_vec()).await;
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    let report: RosterImportReport = a.json();
    assert_eq!(report.codes.len(), 1);
    assert!(report.codes[0].requires_card);
    assert_eq!(report.codes[0].registered, 2);
    // The room admits by chip check-in only.
    let (status, e) = relay
        .join_with(join_by_number(
            &report.codes[0].code,
            &roster(&office, event).await.keys().next().unwrap().clone(),
            "04/03/2008",
        ))
        .await
        .unwrap_err();
    assert_eq!((status, e.code.as_str()), (403, "checkin_required"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sites_office_staffs_its_site_only_and_a_disabled_feed_ends() {
    let relay = TestRelay::empty().await;
    let office = set_up_office(&relay).await;
    let pilot = plan_pilot(&office, 1, now_ms() + 3_600_000).await;
    let site = pilot.sites[0].0;
    let local = site_office(&relay, &office, "hdt.site", site).await;
    // No teacher (key corrections, papers: the whole exam's) from a site.
    let teacher = local
        .post(
            "/api/office/accounts",
            &serde_json::json!({"username": "gv", "display_name": "GV", "role": "teacher", "site_id": site}),
        )
        .await;
    assert_eq!(
        (teacher.status, teacher.code().as_str()),
        (403, "forbidden")
    );
    let paper = local
        .post_raw_json(
            "/api/office/papers",
            serde_json::to_vec(&examgate_relay::seed::demo_exam()).unwrap(),
        )
        .await;
    assert_eq!(paper.status, 403);
    // A site's central proctor watches; disabled, the feed ends.
    let slip = local
        .account("gs.site", Role::CentralProctor, Some(site), None)
        .await;
    let proctor = sign_in(&relay, "gs.site", &slip.password).await;
    let (mut feed, _) = ProctorWs::connect(&relay, proctor.token()).await;
    let off = local
        .post(
            "/api/office/accounts/gs.site",
            &serde_json::json!({"disabled": true}),
        )
        .await;
    assert_eq!(off.status, 200);
    assert_eq!(feed.until_closed().await, 1008, "policy: the session ended");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_room_of_a_shift_becomes_a_chip_id_room_until_someone_joins() {
    let relay = TestRelay::empty().await;
    let office = set_up_office(&relay).await;
    let pilot = plan_pilot(&office, 1, now_ms() + 3_600_000).await;
    let csv = "SBD;Họ và tên;Ngày sinh;Trường;Phòng;Ca thi\n\
               C01;Nguyễn Văn An;04/03/2008;THPT Phan Đình Phùng;Phòng 01;Ca 1\n";
    let a = office
        .post_bytes(
            &format!("/api/office/events/{}/roster", pilot.event),
            csv.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    let code = roster(&office, pilot.event).await["C01"]
        .join_code
        .clone()
        .unwrap();
    let set = |on: bool| {
        let (office, code) = (office.clone(), code.clone());
        async move {
            office
                .post(
                    &format!("/api/office/codes/{}", code.to_lowercase()),
                    &serde_json::json!({ "requires_card": on }),
                )
                .await
        }
    };
    assert_eq!(set(true).await.status, 200);
    let (status, e) = relay
        .join_with(join_by_number(&code, "C01", "04/03/2008"))
        .await
        .unwrap_err();
    assert_eq!((status, e.code.as_str()), (403, "checkin_required"));
    assert_eq!(set(false).await.status, 200);
    relay
        .join_with(join_by_number(&code, "C01", "04/03/2008"))
        .await
        .unwrap();
    // Someone is in: the room's way in no longer changes.
    let late = set(true).await;
    assert_eq!((late.status, late.code().as_str()), (409, "conflict"));
    assert!(
        audit_actions(&relay)
            .iter()
            .any(|(actor, a)| actor == "user:hoidongthi" && a == "room_card")
    );
}
