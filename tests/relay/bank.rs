//! The question bank through the real relay: a teacher previews and imports
//! a GIFT file (all or nothing, duplicates stored once), subjects decide who
//! sees and edits what, edits are versions and a stale edit is refused,
//! search ignores diacritics when asked, export reads back as the same
//! questions, and a paper built from a blueprint runs as a practice exam
//! whose students see keys and worked solutions after submitting — after
//! which the bank holds each question's statistics.

use examgate_shared::attempt::StudentEvent;
use examgate_shared::bank::api::{
    Counted, ImportReport, ItemEdit, ItemSummary, ItemView, PaperBuilt, PaperRequest,
    PracticeOpened, PracticeRequest, PracticeRules,
};
use examgate_shared::bank::blueprint::{Blueprint, BlueprintSection, Row};
use examgate_shared::bank::print::PrintedVersion;
use examgate_shared::exam::{Body, OptionId};
use examgate_shared::office::api::NewAccount;
use examgate_shared::points::Points;
use examgate_shared::protocol::{RelayToStudent, Role, StudentToRelay};
use examgate_tests::office::{Client, set_up_office, sign_in, site_office};
use examgate_tests::{StudentWs, TestRelay, now_ms};

/// Four questions of the subject "Toán", each with a worked solution.
const MATH_GIFT: &str = r#"$CATEGORY: Toán/Hàm số

::Câu 1:: Giá trị nhỏ nhất của hàm số \(y = x^2 - 2x + 3\) là {
=2
~1
~3
~0
####Vì \(y = (x-1)^2 + 2 \ge 2\).}

::Câu 2:: Phương trình \(x^2 = 4\) có bao nhiêu nghiệm thực? {
~0
~1
=2
~4
####\(x = \pm 2\).}

::Câu 3:: Đạo hàm của \(y = x^3\) là {
=\(3x^2\)
~\(x^2\)
~\(3x\)
~\(x^3\)
####Quy tắc lũy thừa.}

::Câu 4:: Số nghiệm của phương trình \(\sin x = 2\) là {
~1
~2
~vô số
=0
####Vì \(|\sin x| \le 1\).}
"#;

/// Line 3's answer is not a number: Moodle would take any answer as right.
const BROKEN_GIFT: &str = "::A:: Một cộng một {=2 ~3}\n\n::B:: Căn của chín {#ba}\n";

async fn teacher(relay: &TestRelay, office: &Client, username: &str, subject: &str) -> Client {
    let slip = office
        .post(
            "/api/office/accounts",
            &NewAccount {
                username: username.into(),
                display_name: format!("Giáo viên {subject}"),
                role: Role::Teacher,
                site_id: None,
                room_id: None,
                subject: subject.into(),
            },
        )
        .await;
    assert_eq!(slip.status, 200, "{}", String::from_utf8_lossy(&slip.body));
    let password = slip.json::<serde_json::Value>()["password"]
        .as_str()
        .unwrap()
        .to_owned();
    sign_in(relay, username, &password).await
}

async fn import(client: &Client, file: &str, body: &str, dry_run: bool) -> ImportReport {
    let a = client
        .post_bytes(
            &format!("/api/bank/import?file_name={file}&dry_run={dry_run}&topic=Đại số"),
            body.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    a.json()
}

/// Saves `item` as the edit of bank question `id` from `version`.
async fn edit(
    client: &Client,
    id: u64,
    version: u32,
    item: examgate_shared::bank::Item,
    note: impl Into<String>,
) -> examgate_tests::office::Answer {
    let edit = ItemEdit {
        version,
        item,
        note: note.into(),
    };
    client.post(&format!("/api/bank/items/{id}"), &edit).await
}

async fn search(client: &Client, query: &str, fold: bool) -> Vec<ItemSummary> {
    let a = client
        .get(&format!(
            "/api/bank/items?q={}&ignore_diacritics={fold}",
            urlencode(query)
        ))
        .await;
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    a.json()
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn bank_count(relay: &TestRelay) -> i64 {
    relay
        .db()
        .query_row(
            "SELECT COUNT(*) FROM bank_items",
            examgate_relay::args![],
            |r| r.get(0),
        )
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imports_are_previewed_stored_once_and_refused_whole() {
    let relay = TestRelay::empty().await;
    let office = set_up_office(&relay).await;
    let toan = teacher(&relay, &office, "gv.toan", "Toán").await;

    // The preview lists every question as it will be stored; nothing is.
    let preview = import(&toan, "de.gift", MATH_GIFT, true).await;
    assert_eq!(preview.format, "gift");
    assert!(preview.problems.is_empty(), "{:?}", preview.problems);
    assert_eq!(preview.questions.len(), 4);
    assert!(preview.stored.is_empty());
    assert_eq!(bank_count(&relay), 0);
    let first = &preview.questions[0].item;
    assert_eq!(first.title.as_deref(), Some("Câu 1"));
    assert_eq!(first.meta.category.as_deref(), Some("Toán/Hàm số"));
    assert_eq!(first.meta.subject, "Toán", "the teacher's subject");
    assert_eq!(first.meta.topic, "Đại số", "as the teacher filed them");
    assert_eq!(first.meta.author, "gv.toan");
    assert!(matches!(
        first.body,
        Body::SingleChoice {
            key: OptionId(0),
            ..
        }
    ));

    let stored = import(&toan, "de.gift", MATH_GIFT, false).await;
    assert_eq!(stored.stored.len(), 4);
    assert_eq!(bank_count(&relay), 4);

    // The same file again: every question is a duplicate, none stored.
    let again = import(&toan, "de.gift", MATH_GIFT, false).await;
    assert!(again.stored.is_empty());
    assert_eq!(
        again
            .questions
            .iter()
            .map(|q| q.duplicate_of)
            .collect::<Vec<_>>(),
        stored.stored.iter().map(|&id| Some(id)).collect::<Vec<_>>()
    );
    assert_eq!(bank_count(&relay), 4);

    // A file with one bad question stores nothing, and says where.
    let broken = import(&toan, "loi.gift", BROKEN_GIFT, false).await;
    assert!(broken.stored.is_empty());
    assert_eq!(broken.problems.len(), 1, "{:?}", broken.problems);
    assert_eq!(
        serde_json::to_value(&broken.problems[0].at).unwrap(),
        serde_json::json!({"in": "line", "line": 3})
    );
    assert_eq!(bank_count(&relay), 4);

    // Each import is in the audit trail.
    let imports: i64 = relay
        .db()
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE action = 'bank_import'",
            examgate_relay::args![],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(imports, 2, "the stored import and the all-duplicate one");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subjects_decide_who_sees_and_edits_and_edits_are_versions() {
    let relay = TestRelay::empty().await;
    let office = set_up_office(&relay).await;
    let toan = teacher(&relay, &office, "gv.toan", "Toán").await;
    let van = teacher(&relay, &office, "gv.van", "Ngữ văn").await;
    let ids = import(&toan, "de.gift", MATH_GIFT, false).await.stored;

    // Search ignores diacritics only when asked.
    assert_eq!(search(&toan, "phuong trinh", true).await.len(), 2);
    assert_eq!(search(&toan, "phuong trinh", false).await.len(), 0);
    assert_eq!(search(&toan, "Phương trình", false).await.len(), 2);

    // Another subject's teacher does not see them, not even by id.
    assert!(search(&van, "", true).await.is_empty());
    let hidden = van.get(&format!("/api/bank/items/{}", ids[0])).await;
    assert_eq!((hidden.status, hidden.code().as_str()), (404, "not_found"));

    // Shared by the office: visible to every teacher, editable by its own.
    let share = van
        .post(
            &format!("/api/bank/items/{}/share", ids[0]),
            &serde_json::json!({"shared": true}),
        )
        .await;
    assert_eq!(share.status, 403, "only the office shares");
    let share = office
        .post(
            &format!("/api/bank/items/{}/share", ids[0]),
            &serde_json::json!({"shared": true}),
        )
        .await;
    assert_eq!(share.status, 200);
    assert_eq!(
        search(&van, "", true)
            .await
            .iter()
            .map(|s| s.id)
            .collect::<Vec<_>>(),
        vec![ids[0]]
    );

    let view: ItemView = toan
        .get(&format!("/api/bank/items/{}", ids[0]))
        .await
        .json();
    assert_eq!(view.version, 1);
    let mut item = view.item.clone();
    item.text = "Giá trị nhỏ nhất của hàm số \\(y = x^2 - 2x + 5\\) là".into();
    if let Body::SingleChoice { options, .. } = &mut item.body {
        options[0] = "4".into();
    }
    let by_van = edit(&van, ids[0], 1, item.clone(), "x").await;
    assert_eq!(by_van.status, 403);
    let saved = edit(&toan, ids[0], 1, item.clone(), "sửa số").await;
    assert_eq!(
        saved.status,
        200,
        "{}",
        String::from_utf8_lossy(&saved.body)
    );
    // Someone still holding version 1 cannot overwrite version 2.
    let stale = edit(&office, ids[0], 1, item, "").await;
    assert_eq!((stale.status, stale.code().as_str()), (409, "conflict"));
    let view: ItemView = toan
        .get(&format!("/api/bank/items/{}", ids[0]))
        .await
        .json();
    assert_eq!(view.version, 2);
    assert_eq!(view.item.body.options()[0], "4");
    assert_eq!(
        view.versions
            .iter()
            .map(|v| (v.version, v.by.as_str(), v.note.as_str()))
            .collect::<Vec<_>>(),
        vec![(1, "gv.toan", "imported"), (2, "gv.toan", "sửa số")]
    );
    // An edit that breaks the question is refused, nothing saved.
    let mut broken = view.item.clone();
    if let Body::SingleChoice { key, .. } = &mut broken.body {
        *key = OptionId(7);
    }
    let refused = edit(&toan, ids[0], 2, broken, "").await;
    assert_eq!((refused.status, refused.code().as_str()), (422, "invalid"));

    // A proctor has no bank at all.
    let proctor = office
        .account("phong1", Role::CentralProctor, None, None)
        .await;
    let proctor = sign_in(&relay, "phong1", &proctor.password).await;
    let denied = proctor.get("/api/bank/items").await;
    assert_eq!((denied.status, denied.code().as_str()), (403, "forbidden"));
    let anonymous = Client::new(&relay, None).get("/api/bank/items").await;
    assert_eq!(anonymous.status, 401);
    // Nor has a site's own exam office: the bank (and every key) is the
    // whole exam's.
    let site = office
        .create(
            "/api/office/sites",
            &serde_json::json!({"name": "THPT A", "code": "A"}),
        )
        .await;
    let site_office = site_office(&relay, &office, "hdt.a", site).await;
    let denied = site_office.get("/api/bank/items").await;
    assert_eq!((denied.status, denied.code().as_str()), (403, "forbidden"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_files_under_their_subject_and_hidden_questions_stay_hidden() {
    let relay = TestRelay::empty().await;
    let office = set_up_office(&relay).await;
    let toan = teacher(&relay, &office, "gv.toan", "Toán").await;
    let ly = teacher(&relay, &office, "gv.ly", "Vật lý").await;
    let mine = import(&toan, "de.gift", MATH_GIFT, false).await.stored;
    // The physics teacher imports the same file, naming "Toán" as subject:
    // filed under Vật lý all the same, and stored — the Math copies are not
    // theirs to see, so they neither block nor show.
    let a = ly
        .post_bytes(
            "/api/bank/import?file_name=de.gift&subject=To%C3%A1n",
            MATH_GIFT.as_bytes().to_vec(),
        )
        .await;
    let theirs: ImportReport = a.json();
    assert_eq!(theirs.stored.len(), 4);
    assert!(theirs.questions.iter().all(|q| q.duplicate_of.is_none()));
    assert!(
        theirs
            .notes
            .iter()
            .all(|n| !n.why.contains("already in the bank"))
    );
    assert!(
        theirs
            .questions
            .iter()
            .all(|q| q.item.meta.subject == "Vật lý")
    );
    assert!(
        search(&toan, "", true)
            .await
            .iter()
            .all(|s| mine.contains(&s.id))
    );

    // A paper of the physics teacher's questions cannot be practised on or
    // printed by the math teacher, nor can any paper of an exam still open.
    let mut physics = blueprint(2);
    physics.subject = "Vật lý".into();
    physics.sections[0].rows[0].topic.clear();
    let built: PaperBuilt = ly
        .post(
            "/api/bank/papers",
            &PaperRequest {
                blueprint: physics,
                items: vec![],
                versions: None,
                show_answers: false,
                dry_run: false,
            },
        )
        .await
        .json();
    let exam_id = built.exam_id.unwrap();
    let practice = PracticeRequest {
        exam_id: exam_id.clone(),
        days: 1,
        rules: PracticeRules::default(),
    };
    let hidden = toan.post("/api/bank/practice", &practice).await;
    assert_eq!(hidden.status, 404);
    let event = office
        .create(
            "/api/office/events",
            &serde_json::json!({"name": "Kiểm tra", "subject": "Vật lý"}),
        )
        .await;
    let site = office
        .create(
            "/api/office/sites",
            &serde_json::json!({"name": "THPT A", "code": "A"}),
        )
        .await;
    let room = office
        .create(
            "/api/office/rooms",
            &serde_json::json!({"site_id": site, "name": "P1", "seats": 30}),
        )
        .await;
    let tomorrow = examgate_shared::office::api::vietnam_text(now_ms() + 86_400_000);
    let shift = office
        .post(
            &format!("/api/office/events/{event}/shifts"),
            &serde_json::json!({"name": "Ca 1", "exam_id": exam_id, "date": &tomorrow[..10], "start": "07:30", "minutes": 45, "room_ids": [room]}),
        )
        .await;
    assert_eq!(
        shift.status,
        200,
        "{}",
        String::from_utf8_lossy(&shift.body)
    );
    let in_use = ly.post("/api/bank/practice", &practice).await;
    assert_eq!((in_use.status, in_use.code().as_str()), (409, "conflict"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_reads_back_as_the_same_questions() {
    let relay = TestRelay::empty().await;
    let office = set_up_office(&relay).await;
    let toan = teacher(&relay, &office, "gv.toan", "Toán").await;
    let ids = import(&toan, "de.gift", MATH_GIFT, false).await.stored;
    for (format, file) in [
        ("gift", "x.gift"),
        ("moodle_xml", "x.xml"),
        ("qti", "x.zip"),
    ] {
        let a = toan.get(&format!("/api/bank/export?format={format}")).await;
        assert_eq!(
            a.status,
            200,
            "{format}: {}",
            String::from_utf8_lossy(&a.body)
        );
        let back = toan
            .post_bytes(
                &format!("/api/bank/import?file_name={file}&dry_run=true"),
                a.body.clone(),
            )
            .await
            .json::<ImportReport>();
        assert!(back.problems.is_empty(), "{format}: {:?}", back.problems);
        assert_eq!(
            back.questions
                .iter()
                .map(|q| q.duplicate_of)
                .collect::<Vec<_>>(),
            ids.iter().map(|&id| Some(id)).collect::<Vec<_>>(),
            "{format}: every exported question reads back as itself"
        );
    }
}

fn blueprint(count: u32) -> Blueprint {
    Blueprint {
        title: "Luyện tập hàm số".into(),
        subject: "Toán".into(),
        minutes: 15,
        sections: vec![BlueprintSection {
            title: "Phần I".into(),
            rows: vec![Row {
                kind: Some("single_choice".into()),
                topic: "Đại số".into(),
                level: None,
                count,
                points: Points::from_milli(2500),
            }],
            shuffle_questions: true,
            shuffle_options: true,
        }],
        target_facility: None,
        seed: 1,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blueprint_paper_runs_as_practice_and_the_bank_learns() {
    let relay = TestRelay::empty().await;
    let office = set_up_office(&relay).await;
    let toan = teacher(&relay, &office, "gv.toan", "Toán").await;
    let ids = import(&toan, "de.gift", MATH_GIFT, false).await.stored;

    // The bank cannot fill five questions from four.
    let short = toan
        .post(
            "/api/bank/papers",
            &PaperRequest {
                blueprint: blueprint(5),
                items: vec![],
                versions: None,
                show_answers: true,
                dry_run: true,
            },
        )
        .await;
    assert_eq!((short.status, short.code().as_str()), (422, "invalid"));
    assert!(
        short.json::<serde_json::Value>()["message"]
            .as_str()
            .unwrap()
            .contains("4 of 5")
    );

    let request = PaperRequest {
        blueprint: blueprint(4),
        items: vec![],
        versions: None,
        show_answers: true,
        dry_run: false,
    };
    let predicted: PaperBuilt = toan
        .post(
            "/api/bank/papers",
            &PaperRequest {
                dry_run: true,
                ..request.clone()
            },
        )
        .await
        .json();
    assert_eq!(predicted.exam_id, None);
    assert!(
        (predicted.expected.mean_facility - 0.6).abs() < 1e-9,
        "never sat: the assumed 60 %"
    );
    let built: PaperBuilt = toan.post("/api/bank/papers", &request).await.json();
    let exam_id = built.exam_id.clone().unwrap();
    let chosen = built.chosen[0].clone();
    let mut sorted = chosen.clone();
    sorted.sort();
    assert_eq!(sorted, ids);

    // By hand: the questions in the order given; one twice is refused.
    let by_hand: PaperBuilt = toan
        .post(
            "/api/bank/papers",
            &PaperRequest {
                items: vec![ids[2], ids[0]],
                ..request.clone()
            },
        )
        .await
        .json();
    assert_eq!(by_hand.chosen, vec![vec![ids[2], ids[0]]]);
    let twice = toan
        .post(
            "/api/bank/papers",
            &PaperRequest {
                items: vec![ids[1], ids[1]],
                ..request.clone()
            },
        )
        .await;
    assert_eq!((twice.status, twice.code().as_str()), (422, "invalid"));

    // Numbered versions print each with its own key; another subject's
    // teacher cannot print this paper.
    let numbered: PaperBuilt = toan
        .post(
            "/api/bank/papers",
            &PaperRequest {
                versions: Some(2),
                ..request.clone()
            },
        )
        .await
        .json();
    let printed: Vec<PrintedVersion> = toan
        .get(&format!(
            "/api/bank/papers/{}/print",
            numbered.exam_id.unwrap()
        ))
        .await
        .json();
    assert_eq!(
        printed.iter().map(|v| v.paper.version).collect::<Vec<_>>(),
        [Some(101), Some(102)]
    );
    assert!(printed.iter().all(|v| {
        v.key.len() == 4
            && v.key
                .iter()
                .all(|k| ["A", "B", "C", "D"].contains(&k.as_str()))
    }));
    let van = teacher(&relay, &office, "gv.van", "Ngữ văn").await;
    let hidden = van.get(&format!("/api/bank/papers/{exam_id}/print")).await;
    assert_eq!(hidden.status, 404);

    let opened: PracticeOpened = toan
        .post(
            "/api/bank/practice",
            &PracticeRequest {
                exam_id: exam_id.clone(),
                days: 7,
                rules: PracticeRules::default(),
            },
        )
        .await
        .json();
    let audit: i64 = relay
        .db()
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE action = 'practice_open'",
            examgate_relay::args![],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audit, 1);

    // The keys, by paper question: question i+1 is bank question chosen[i].
    let mut keys = Vec::new();
    for id in &chosen {
        let view: ItemView = toan.get(&format!("/api/bank/items/{id}")).await.json();
        let Body::SingleChoice { key, .. } = view.item.body else {
            panic!()
        };
        keys.push(key.0);
    }
    // Four students: the first answers all right, the others fewer.
    for (s, right) in [4usize, 3, 1, 0].into_iter().enumerate() {
        let (_, grade) = sit(&relay, &opened.code, &format!("Học sinh {s}"), &keys, right).await;
        // Practice shows the key and the worked solution once final.
        assert!(grade.items.iter().all(|i| i.key.is_some()));
        assert!(
            grade
                .items
                .iter()
                .all(|i| i.explanation.as_deref().is_some_and(|e| !e.is_empty()))
        );
    }

    // The sitting's statistics reached the bank questions.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let view: ItemView = loop {
        let view: ItemView = toan
            .get(&format!("/api/bank/items/{}", chosen[0]))
            .await
            .json();
        // The bank learns after each hand-in, off the students' path: wait
        // for the run that saw all four.
        if view.history.first().is_some_and(|h| h.candidates == 4)
            || std::time::Instant::now() > deadline
        {
            break view;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(view.history.len(), 1);
    let stat = &view.history[0];
    assert_eq!(
        (stat.sitting_id, stat.exam_id.as_str(), stat.candidates),
        (opened.sitting_id, exam_id.as_str(), 4)
    );
    // Question 1 was answered right by the students who got ≥ 1 right: 3 of 4.
    assert!((stat.facility - 0.75).abs() < 1e-9, "{}", stat.facility);
    let listed = search(&toan, "", true).await;
    let first = listed.iter().find(|s| s.id == chosen[0]).unwrap();
    assert_eq!((first.sittings, first.facility), (1, Some(0.75)));
    // The last question was answered right by one student only.
    let last: ItemView = toan
        .get(&format!("/api/bank/items/{}", chosen[3]))
        .await
        .json();
    assert!((last.history[0].facility - 0.25).abs() < 1e-9);

    // Predicting again uses what was learned, not the assumed facility.
    let again: PaperBuilt = toan
        .post(
            "/api/bank/papers",
            &PaperRequest {
                dry_run: true,
                ..request
            },
        )
        .await
        .json();
    assert!(
        (again.expected.mean_facility - (0.75 + 0.5 + 0.5 + 0.25) / 4.0).abs() < 1e-9,
        "{:?}",
        again.expected
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_checks_converts_and_imports_beside_a_serving_relay() {
    // `examgate-relay bank import` writes the SQLite file of a data folder.
    if !examgate_tests::on_sqlite() {
        return;
    }
    use examgate_bank_formats::Format;
    use examgate_relay::bank::cli;

    let relay = TestRelay::empty().await;
    let office = set_up_office(&relay).await;
    let toan = teacher(&relay, &office, "gv.toan", "Toán").await;
    let dir = tempfile::tempdir().unwrap();
    let gift = dir.path().join("de.gift");
    let broken = dir.path().join("loi.gift");
    std::fs::write(&gift, MATH_GIFT).unwrap();
    std::fs::write(&broken, BROKEN_GIFT).unwrap();

    assert!(cli::check(std::slice::from_ref(&gift), None).unwrap());
    assert!(!cli::check(std::slice::from_ref(&broken), None).unwrap());

    let qti = dir.path().join("de.zip");
    cli::convert(&gift, None, Format::Qti, &qti).unwrap();
    assert!(cli::check(std::slice::from_ref(&qti), None).unwrap());

    let data = relay.db_path.parent().unwrap().to_path_buf();
    let args = cli::ImportArgs {
        data: &data,
        user: "gv.toan",
        subject: "",
        topic: "Đại số",
        level: Some("NB"),
    };
    // A refused file stops before anything of it is stored.
    assert!(cli::import(std::slice::from_ref(&broken), None, &args).is_err());
    assert_eq!(bank_count(&relay), 0);
    let unknown = cli::ImportArgs {
        user: "nobody",
        ..args
    };
    assert!(cli::import(std::slice::from_ref(&gift), None, &unknown).is_err());
    let args = cli::ImportArgs {
        user: "gv.toan",
        ..unknown
    };
    assert_eq!(
        cli::import(&[gift.clone(), qti.clone()], None, &args).unwrap(),
        4,
        "the QTI copy is all duplicates"
    );
    // The serving relay shows them at once, filed as the command said.
    let listed = search(&toan, "", true).await;
    assert_eq!(listed.len(), 4);
    assert!(
        listed
            .iter()
            .all(|s| s.topic == "Đại số" && s.level == Some(examgate_shared::bank::Level::Recall))
    );
    let audited: i64 = relay
        .db()
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE action = 'bank_import' AND actor = 'user:gv.toan'",
            examgate_relay::args![],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 2);
}

/// Joins `code` as `name`, answers the first `right` of `keys` right and the
/// rest wrong, submits; the attempt and its grade.
async fn sit(
    relay: &TestRelay,
    code: &str,
    name: &str,
    keys: &[u8],
    right: usize,
) -> (u64, examgate_shared::scoring::Grade) {
    let joined = relay.join(code, name).await.unwrap();
    let (mut ws, _) = StudentWs::hello(relay, &joined.token, now_ms()).await;
    for (q, key) in keys.iter().enumerate() {
        let choice = if q < right { *key } else { (*key + 1) % 4 };
        ws.answer(q as u64 + 1, q as u32 + 1, choice).await;
    }
    ws.send(&StudentToRelay::Event {
        seq: keys.len() as u64 + 1,
        event: StudentEvent::Submit,
    })
    .await;
    let grade = loop {
        if let RelayToStudent::Result { grade, .. } = ws.recv().await {
            break grade;
        }
    };
    ws.close().await;
    (joined.attempt_id, grade)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn practice_tries_count_the_best_and_the_bank_learns_from_first_tries() {
    let relay = TestRelay::empty().await;
    let office = set_up_office(&relay).await;
    let toan = teacher(&relay, &office, "gv.toan", "Toán").await;
    import(&toan, "de.gift", MATH_GIFT, false).await;
    let request = PaperRequest {
        blueprint: blueprint(4),
        items: vec![],
        versions: None,
        show_answers: true,
        dry_run: false,
    };
    let built: PaperBuilt = toan.post("/api/bank/papers", &request).await.json();
    let chosen = built.chosen[0].clone();
    let exam_id = built.exam_id.unwrap();
    let opened: PracticeOpened = toan
        .post(
            "/api/bank/practice",
            &PracticeRequest {
                exam_id: exam_id.clone(),
                days: 1,
                rules: PracticeRules {
                    attempts: 2,
                    counted: Counted::Best,
                },
            },
        )
        .await
        .json();
    let mut keys = Vec::new();
    for id in &chosen {
        let view: ItemView = toan.get(&format!("/api/bank/items/{id}")).await.json();
        let Body::SingleChoice { key, .. } = view.item.body else {
            panic!()
        };
        keys.push(key.0);
    }

    // An tries twice (1 right, then 4 right); a third join is refused.
    let (first, _) = sit(&relay, &opened.code, "Nguyễn Văn An", &keys, 1).await;
    let (second, _) = sit(&relay, &opened.code, "nguyễn  văn an", &keys, 4).await;
    assert_ne!(first, second, "a second try is a new attempt");
    let third = relay.join(&opened.code, "Nguyễn Văn An").await.unwrap_err();
    assert_eq!(
        third.1.code,
        examgate_shared::error::ErrorCode::AlreadyJoined,
        "two tries allowed"
    );
    // Bình tries once, 2 right.
    sit(&relay, &opened.code, "Trần Thị Bình", &keys, 2).await;

    // The results count An's best try: one row per student.
    let results: serde_json::Value = toan
        .get(&format!("/api/sittings/{}/results", opened.sitting_id))
        .await
        .json();
    let mut rows: Vec<(String, String)> = results["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["candidate"].as_str().unwrap().to_owned(),
                r["score"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    rows.sort();
    assert_eq!(
        rows,
        [
            ("Nguyễn Văn An".to_owned(), "10".to_owned()),
            ("Trần Thị Bình".to_owned(), "5".to_owned())
        ]
    );

    // The bank learned from first tries only: question 1 was right in both
    // (An's first try had one right), question 2 in Bình's only.
    let stat = |id: u64| {
        let toan = toan.clone();
        async move {
            let view: ItemView = toan.get(&format!("/api/bank/items/{id}")).await.json();
            let s = &view.history[0];
            (s.candidates, s.facility)
        }
    };
    // The bank learns after each hand-in, off the students' path: wait for
    // the run that saw both first tries.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while stat(chosen[0]).await.0 < 2 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(stat(chosen[0]).await, (2, 1.0));
    assert_eq!(stat(chosen[1]).await, (2, 0.5));
    assert_eq!(stat(chosen[3]).await, (2, 0.0));

    // A key correction (question 1's key was "wrong") reaches the bank too:
    // both first tries chose the old key, so none is right any more.
    let corrected = toan
        .post(
            &format!("/api/exams/{exam_id}/corrections"),
            &serde_json::json!({
                "corrections": [{"action": "set_key", "question": 1, "key": {"choice": (keys[0] + 1) % 4}}],
                "reason": "đáp án in nhầm"
            }),
        )
        .await;
    assert_eq!(
        corrected.status,
        200,
        "{}",
        String::from_utf8_lossy(&corrected.body)
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while stat(chosen[0]).await != (2, 0.0) {
        assert!(
            std::time::Instant::now() < deadline,
            "the bank kept the old key's statistics"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bank_endpoint_checks_the_role() {
    let relay = TestRelay::empty().await;
    let office = set_up_office(&relay).await;
    let toan = teacher(&relay, &office, "gv.toan", "Toán").await;
    let ids = import(&toan, "de.gift", MATH_GIFT, false).await.stored;
    let built: PaperBuilt = toan
        .post(
            "/api/bank/papers",
            &PaperRequest {
                blueprint: blueprint(2),
                items: vec![],
                versions: None,
                show_answers: false,
                dry_run: false,
            },
        )
        .await
        .json();
    let exam = built.exam_id.unwrap();
    let site = office
        .create(
            "/api/office/sites",
            &serde_json::json!({"name": "THPT A", "code": "A"}),
        )
        .await;
    let room = office
        .create(
            "/api/office/rooms",
            &serde_json::json!({"site_id": site, "name": "P1"}),
        )
        .await;
    let mut callers: Vec<(&str, Client)> = vec![("nobody", Client::new(&relay, None))];
    for (user, role, site_id, room_id) in [
        ("p", Role::RoomProctor, None, Some(room)),
        ("c", Role::CentralProctor, None, None),
        ("s", Role::ExamOffice, Some(site), None),
    ] {
        let slip = office.account(user, role, site_id, room_id).await;
        callers.push((user, sign_in(&relay, user, &slip.password).await));
    }
    let view: ItemView = toan
        .get(&format!("/api/bank/items/{}", ids[0]))
        .await
        .json();
    let edit_body = serde_json::to_value(ItemEdit {
        version: view.version,
        item: view.item,
        note: String::new(),
    })
    .unwrap();
    let paper = serde_json::to_value(PaperRequest {
        blueprint: blueprint(1),
        items: vec![],
        versions: None,
        show_answers: false,
        dry_run: true,
    })
    .unwrap();
    let practice = serde_json::json!({"exam_id": exam, "days": 1});
    let posts: Vec<(String, serde_json::Value)> = vec![
        (format!("/api/bank/items/{}", ids[0]), edit_body),
        (
            format!("/api/bank/items/{}/share", ids[0]),
            serde_json::json!({"shared": true}),
        ),
        ("/api/bank/papers".into(), paper),
        ("/api/bank/practice".into(), practice),
    ];
    let gets = [
        "/api/bank/items".to_string(),
        format!("/api/bank/items/{}", ids[0]),
        "/api/bank/export?format=gift".into(),
        format!("/api/bank/papers/{exam}/print"),
    ];
    for (who, client) in &callers {
        let expected = if *who == "nobody" { 401 } else { 403 };
        let import = client
            .post_bytes(
                "/api/bank/import?file_name=x.gift&dry_run=true",
                MATH_GIFT.as_bytes().to_vec(),
            )
            .await;
        assert_eq!(import.status, expected, "{who}: import");
        for path in &gets {
            assert_eq!(client.get(path).await.status, expected, "{who}: GET {path}");
        }
        for (path, body) in &posts {
            assert_eq!(
                client.post(path, body).await.status,
                expected,
                "{who}: POST {path}"
            );
        }
    }
    // Nothing changed through any of them.
    assert_eq!(bank_count(&relay), 4);
    let after: ItemView = toan
        .get(&format!("/api/bank/items/{}", ids[0]))
        .await
        .json();
    assert_eq!((after.version, after.shared), (1, false));
}
