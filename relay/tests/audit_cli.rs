//! `examgate-relay audit verify` and `audit export` as an inspector runs
//! them: on a data folder, on an exported file, before and after one row
//! is edited directly in SQLite. (Here rather than in `tests/`: cargo
//! builds and locates a binary only for its own package's integration
//! tests.)

use std::path::Path;
use std::process::{Command, Output};

use examgate_relay::store::{self, writes};
use examgate_shared::attempt::StudentEvent;
use examgate_shared::exam::QuestionId;

fn relay(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_examgate-relay"))
        .args(args)
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A data folder as a relay leaves it: a login, an attempt with two
/// events that was submitted, an export logged.
fn data_folder(dir: &Path) {
    let conn = store::open(&dir.join("examgate.sqlite3")).unwrap();
    conn.execute_batch(
        "INSERT INTO exams VALUES ('e', '{}');
         INSERT INTO sites (id, name) VALUES (1, 's');
         INSERT INTO rooms (id, site_id, name) VALUES (1, 1, 'r');
         INSERT INTO sittings (id, exam_id, opens_at, closes_at, duration_ms)
             VALUES (1, 'e', 0, 1, 1);
         INSERT INTO candidates (id, sitting_id, room_id, name, name_key) VALUES (1, 1, 1, 'A', 'a');
         INSERT INTO attempts (id, candidate_id, token_hash) VALUES (1, 1, x'01');",
    )
    .unwrap();
    writes::audit(
        examgate_relay::store::db::Db::sqlite(&conn),
        1,
        "user:central",
        "login",
        "",
    )
    .unwrap();
    let answer = StudentEvent::Answer {
        question: QuestionId(1),
        value: None,
    };
    writes::insert_event(
        examgate_relay::store::db::Db::sqlite(&conn),
        1,
        1,
        10,
        &answer,
        None,
    )
    .unwrap();
    writes::insert_event(
        examgate_relay::store::db::Db::sqlite(&conn),
        1,
        2,
        11,
        &StudentEvent::Submit,
        None,
    )
    .unwrap();
    conn.execute(
        "UPDATE attempts SET final_status = 'submitted' WHERE id = 1",
        [],
    )
    .unwrap();
    writes::commit_events(
        examgate_relay::store::db::Db::sqlite(&conn),
        1,
        "submitted",
        11,
        "relay",
    )
    .unwrap();
    writes::audit(
        examgate_relay::store::db::Db::sqlite(&conn),
        12,
        "user:office",
        "export_xlsx",
        "event 1",
    )
    .unwrap();
    // The exam was stored by hand above: committed as the relay does.
    writes::commit_exam(
        examgate_relay::store::db::Db::sqlite(&conn),
        13,
        "relay",
        "e",
        "{}",
    )
    .unwrap();
}

#[test]
fn verify_names_the_first_broken_entry_and_exits_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    data_folder(dir.path());
    let data = dir.path().to_str().unwrap();
    let ok = relay(&["audit", "verify", "--data", data]);
    assert!(ok.status.success(), "{}", text(&ok));
    assert!(
        text(&ok).contains("verified: 4 audit entries, head: entry 4 "),
        "{}",
        text(&ok)
    );

    let db = rusqlite::Connection::open(dir.path().join("examgate.sqlite3")).unwrap();
    db.execute("UPDATE audit SET actor = 'user:someone' WHERE id = 1", [])
        .unwrap();
    let broken = relay(&["audit", "verify", "--data", data]);
    assert!(!broken.status.success());
    assert!(
        text(&broken).contains("NOT verified: audit entry 1: hash does not match"),
        "{}",
        text(&broken)
    );
    db.execute("UPDATE audit SET actor = 'user:central' WHERE id = 1", [])
        .unwrap();
    db.execute(
        "UPDATE events SET received_at = 9 WHERE attempt_id = 1 AND seq = 2",
        [],
    )
    .unwrap();
    let broken = relay(&["audit", "verify", "--data", data]);
    assert!(!broken.status.success());
    assert!(
        text(&broken).contains("NOT verified: attempt 1 event 2: hash does not match"),
        "{}",
        text(&broken)
    );
}

#[test]
fn an_exported_file_verifies_until_a_line_changes() {
    let dir = tempfile::tempdir().unwrap();
    data_folder(dir.path());
    let file = dir.path().join("audit.jsonl");
    let (data, out) = (dir.path().to_str().unwrap(), file.to_str().unwrap());
    let export = relay(&["audit", "export", "--data", data, "--out", out]);
    assert!(export.status.success(), "{}", text(&export));
    let lines = std::fs::read_to_string(&file).unwrap();
    assert_eq!(lines.lines().count(), 4);
    let second: serde_json::Value = serde_json::from_str(lines.lines().nth(1).unwrap()).unwrap();
    assert_eq!(second["action"], "attempt_final");
    assert_eq!(second["hash"].as_str().unwrap().len(), 64);

    let ok = relay(&["audit", "verify", "--file", out]);
    assert!(ok.status.success(), "{}", text(&ok));
    assert!(
        text(&ok).contains("verified: 4 audit entries"),
        "{}",
        text(&ok)
    );

    std::fs::write(&file, lines.replace("event 1", "event 2")).unwrap();
    let broken = relay(&["audit", "verify", "--file", out]);
    assert!(!broken.status.success());
    assert!(
        text(&broken).contains("NOT verified: line 3: audit entry 3: hash does not match"),
        "{}",
        text(&broken)
    );
    // Neither --data nor --file: refused by the argument parser.
    assert!(!relay(&["audit", "verify"]).status.success());
}
