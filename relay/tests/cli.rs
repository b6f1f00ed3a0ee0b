//! The `examgate-relay` commands run as an operator runs them: `analyse` on
//! the documented example files, `purge` on a data folder.
//! (Here rather than in `tests/`: cargo builds and locates a binary only for
//! its own package's integration tests.)

use std::process::Command;

#[test]
fn analyse_prints_the_documented_example_as_json() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_examgate-relay"))
        .args([
            "analyse",
            "--key",
            "docs/examples/key.csv",
            "--responses",
            "docs/examples/responses.csv",
        ])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["candidates"].as_array().unwrap().len(), 5);
    assert_eq!(json["analysis"]["test"]["attempts"], 5);
    assert_eq!(json["analysis"]["items"].as_array().unwrap().len(), 8);
    // TS001 answered everything right: 0.75 + 1 + 0.5 + 0.5 + 1 + 2 = 5.75.
    assert_eq!(json["max"], 5750);
    assert_eq!(
        json["totals"][0],
        serde_json::json!({"num": 5750, "den": 1})
    );
}

#[test]
fn analyse_reports_a_bad_cell_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.csv");
    let responses = dir.path().join("responses.csv");
    std::fs::write(&key, "question,type,key,points\n1,single_choice,A,1\n").unwrap();
    std::fs::write(&responses, "sbd,1\nA01,AB\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_examgate-relay"))
        .arg("analyse")
        .arg("--key")
        .arg(&key)
        .arg("--responses")
        .arg(&responses)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2, column 2"), "{err}");
}

/// A data folder as the relay leaves it: one sitting closed `days_ago`,
/// a registered card holder and their check-in, numbers sealed.
fn data_folder(days_ago: i64) -> tempfile::TempDir {
    use examgate_relay::at_rest::AtRest;
    use examgate_relay::model::{RosterEntry, Sitting};
    use examgate_relay::store::writes;

    let dir = tempfile::tempdir().unwrap();
    let conn =
        examgate_relay::store::open(&dir.path().join(examgate_relay::store::DB_FILE)).unwrap();
    let at_rest = AtRest::load_or_create(dir.path()).unwrap();
    let exam = examgate_relay::rehearsal::sample_exam();
    writes::insert_exam(examgate_relay::store::db::Db::sqlite(&conn), &exam).unwrap();
    let site = writes::insert_site(
        examgate_relay::store::db::Db::sqlite(&conn),
        "THPT Phan Đình Phùng",
        "PDP",
    )
    .unwrap();
    let room = writes::insert_room(
        examgate_relay::store::db::Db::sqlite(&conn),
        site,
        "Phòng 01",
        24,
    )
    .unwrap();
    let closed = examgate_relay::clock::now_ms() - days_ago * 86_400_000;
    let sitting = writes::insert_sitting(
        examgate_relay::store::db::Db::sqlite(&conn),
        &Sitting::stand_alone(&exam.id, closed - 3_600_000, closed, 2_700_000),
    )
    .unwrap();
    writes::insert_roster_entry(
        examgate_relay::store::db::Db::sqlite(&conn),
        &RosterEntry {
            sitting_id: sitting,
            room_id: room,
            person_id: Some("042208100001".into()),
            name: "Nguyễn Văn An".into(),
            ..RosterEntry::default()
        },
        &at_rest,
    )
    .unwrap();
    writes::insert_checkin(
        examgate_relay::store::db::Db::sqlite(&conn),
        &writes::CheckinRecord {
            at: closed - 3_000_000,
            sitting_id: sitting,
            room_id: room,
            person_id: Some("042208100001".into()),
            verdict: "accepted".into(),
            reasons: String::new(),
            station: "reader".into(),
            evidence: at_rest.seal("{\"groups\":{}}"),
        },
        &at_rest,
    )
    .unwrap();
    dir
}

fn purge(data: &std::path::Path, extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_examgate-relay"))
        .arg("purge")
        .arg("--data")
        .arg(data)
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn purge_removes_what_its_periods_say_and_needs_the_folders_key() {
    // 40 days after the shift: the card files go, the numbers stay.
    let dir = data_folder(40);
    let dry = purge(dir.path(), &["--dry-run"]);
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    let said = String::from_utf8_lossy(&dry.stdout);
    assert!(
        said.contains("would remove: card files of 1 check-in(s)")
            && said.contains("0 CCCD number(s)"),
        "{said}"
    );
    let done = purge(dir.path(), &[]);
    assert!(done.status.success());
    let conn = rusqlite::Connection::open(dir.path().join(examgate_relay::store::DB_FILE)).unwrap();
    let (evidence, person): (String, String) = conn
        .query_row("SELECT evidence, person_id FROM checkins", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert!(evidence.starts_with("{\"purged_at\""), "{evidence}");
    assert!(examgate_relay::at_rest::AtRest::is_sealed(&person));

    // A shorter number period: masked to the last four digits, unkeyed.
    let done = purge(dir.path(), &["--id-days", "30"]);
    assert!(done.status.success());
    assert!(
        String::from_utf8_lossy(&done.stdout).contains("2 CCCD number(s) masked"),
        "{}",
        String::from_utf8_lossy(&done.stdout)
    );
    let masked: Vec<(String, Option<String>)> = conn
        .prepare("SELECT person_id, person_key FROM roster UNION ALL SELECT person_id, person_key FROM checkins")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        masked,
        [
            ("•1•0001".to_string(), None),
            ("••••••••0001".to_string(), None)
        ]
    );

    // Without the folder's key the numbers cannot be masked: refused, and
    // no new key is made.
    let other = data_folder(400);
    std::fs::remove_file(other.path().join(examgate_relay::at_rest::KEY_FILE)).unwrap();
    let refused = purge(other.path(), &[]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("secret.key"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(
        !other
            .path()
            .join(examgate_relay::at_rest::KEY_FILE)
            .exists()
    );
}

#[test]
fn a_relay_without_the_key_of_its_sealed_data_refuses_to_start_and_makes_no_key() {
    use examgate_relay::boot::{Start, boot};

    let dir = data_folder(1);
    let key = dir.path().join(examgate_relay::at_rest::KEY_FILE);
    std::fs::remove_file(&key).unwrap();
    let refused = boot(dir.path(), examgate_relay::Config::default(), Start::Empty)
        .err()
        .expect("refused");
    let said = refused.to_string();
    assert!(
        said.contains("secret.key") && said.contains("restore"),
        "{said}"
    );
    assert!(!key.exists(), "no new key beside sealed values");
    // A folder with nothing sealed makes its key at first start.
    let fresh = tempfile::tempdir().unwrap();
    boot(
        fresh.path(),
        examgate_relay::Config::default(),
        Start::Empty,
    )
    .unwrap();
    assert!(
        fresh
            .path()
            .join(examgate_relay::at_rest::KEY_FILE)
            .exists()
    );
}
