//! Tests of the hash chains: intact chains verify, any single change is
//! named at its entry, and the documented test vectors hold.

use super::*;

fn entry(id: u64, detail: &str) -> AuditEntry {
    AuditEntry {
        id,
        at: 1_700_000_000_000 + id as i64,
        actor: "user:central".into(),
        action: "login".into(),
        detail: detail.into(),
    }
}

/// A trail of `n` entries with the hashes the relay would store.
fn trail(n: u64) -> Vec<(AuditEntry, Option<Hash>)> {
    let mut prev = audit_genesis();
    (1..=n)
        .map(|id| {
            let e = entry(id, &format!("entry {id}"));
            prev = e.link(&prev);
            (e, Some(prev))
        })
        .collect()
}

fn verify(rows: &[(AuditEntry, Option<Hash>)]) -> Result<Verified, AuditBreak> {
    verify_audit(rows.iter().map(|(e, h)| (e, h.as_ref())))
}

fn event(seq: u64, json: &str, refused: Option<&str>) -> AnswerEvent {
    AnswerEvent {
        seq,
        received_at: 1_700_000_000_000 + seq as i64,
        event: json.into(),
        refused: refused.map(str::to_owned),
    }
}

fn events(attempt: u64) -> Vec<(AnswerEvent, Option<Hash>)> {
    let mut prev = events_genesis(attempt);
    [
        event(
            1,
            r#"{"type":"answer","question":1,"value":{"choice":2}}"#,
            None,
        ),
        event(2, r#"{"type":"answer","question":9,"value":null}"#, None),
        event(
            3,
            r#"{"type":"answer","question":99}"#,
            Some("unknown_question"),
        ),
        event(4, r#"{"type":"submit"}"#, None),
    ]
    .into_iter()
    .map(|e| {
        prev = e.link(&prev, attempt);
        (e, Some(prev))
    })
    .collect()
}

fn verify_ev(attempt: u64, rows: &[(AnswerEvent, Option<Hash>)]) -> Result<Verified, EventBreak> {
    verify_events(attempt, rows.iter().map(|(e, h)| (e, h.as_ref())))
}

#[test]
fn an_intact_trail_verifies_to_its_last_hash() {
    let rows = trail(5);
    let v = verify(&rows).unwrap();
    assert_eq!(v.count, 5);
    assert_eq!(Some(v.head), rows[4].1);
    let empty = verify(&[]).unwrap();
    assert_eq!((empty.count, empty.head), (0, audit_genesis()));
}

#[test]
fn changing_any_single_field_of_an_entry_breaks_its_link() {
    let rows = trail(4);
    let changes: [fn(&mut AuditEntry); 5] = [
        |e| e.id += 10,
        |e| e.at += 1,
        |e| e.actor.push('x'),
        |e| e.action = "logout".into(),
        |e| e.detail.push(' '),
    ];
    for (i, change) in changes.iter().enumerate() {
        let mut tampered = rows.clone();
        change(&mut tampered[2].0);
        let broken = verify(&tampered).unwrap_err();
        let expected = if i == 0 {
            // The id is checked for order before its hash.
            Problem::Gap { expected: 3 }
        } else {
            Problem::Mismatch
        };
        assert_eq!(broken.problem, expected, "change {i}");
        assert_eq!(broken.id, tampered[2].0.id, "change {i}");
    }
    // The stored hash itself changed.
    let mut tampered = rows.clone();
    tampered[1].1.as_mut().unwrap()[0] ^= 1;
    assert_eq!(
        verify(&tampered).unwrap_err(),
        AuditBreak {
            id: 2,
            problem: Problem::Mismatch
        }
    );
}

#[test]
fn moving_text_between_fields_changes_the_hash() {
    // Length prefixes: "ab" + "c" is not "a" + "bc".
    let prev = audit_genesis();
    assert_ne!(
        audit_link(&prev, 1, 0, "ab", "c", ""),
        audit_link(&prev, 1, 0, "a", "bc", "")
    );
    assert_ne!(
        event_link(&prev, 1, 1, 0, "x", None),
        event_link(&prev, 1, 1, 0, "x", Some(""))
    );
}

#[test]
fn removed_inserted_and_missing_entries_are_named() {
    let rows = trail(5);
    // Entry 3 removed: entry 4 follows a gap.
    let mut removed = rows.clone();
    removed.remove(2);
    assert_eq!(
        verify(&removed).unwrap_err(),
        AuditBreak {
            id: 4,
            problem: Problem::Gap { expected: 3 }
        }
    );
    // The first entry removed and the rest renumbered: entry 1 does
    // not link to the genesis value.
    let renumbered: Vec<_> = rows[1..]
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, (mut e, h))| {
            e.id = i as u64 + 1;
            (e, h)
        })
        .collect();
    assert_eq!(verify(&renumbered).unwrap_err().id, 1);
    // An entry inserted with a hash computed for its place: the next
    // one no longer links.
    let mut inserted = rows[..2].to_vec();
    let fake = entry(3, "slipped in");
    inserted.push((fake.clone(), Some(fake.link(&rows[1].1.unwrap()))));
    for (mut e, h) in rows[2..].iter().cloned() {
        e.id += 1;
        inserted.push((e, h));
    }
    assert_eq!(verify(&inserted).unwrap_err().id, 4);
    // No hash at all.
    let mut bare = rows.clone();
    bare[3].1 = None;
    assert_eq!(
        verify(&bare).unwrap_err(),
        AuditBreak {
            id: 4,
            problem: Problem::MissingHash
        }
    );
}

#[test]
fn changing_any_single_field_of_an_event_breaks_its_link() {
    let rows = events(7);
    assert_eq!(verify_ev(7, &rows).unwrap().count, 4);
    let changes: [fn(&mut AnswerEvent); 5] = [
        |e| e.received_at -= 1,
        |e| e.event = e.event.replace('9', "8"),
        |e| e.refused = Some("deadline_passed".into()),
        |e| e.refused = None,
        |e| e.seq = 9,
    ];
    for (i, change) in changes.iter().enumerate() {
        for at in [1, 2] {
            let mut tampered = rows.clone();
            change(&mut tampered[at].0);
            if tampered[at] == rows[at] {
                continue; // `refused = None` on an event that had none
            }
            let broken = verify_ev(7, &tampered).unwrap_err();
            assert_eq!(
                (broken.attempt_id, broken.seq),
                (7, tampered[at].0.seq),
                "change {i} at {at}"
            );
        }
    }
    // The same events under another attempt's id do not verify.
    assert_eq!(verify_ev(8, &rows).unwrap_err().seq, 1);
    let gap = [rows[0].clone(), rows[2].clone()];
    assert_eq!(
        verify_ev(7, &gap).unwrap_err(),
        EventBreak {
            attempt_id: 7,
            seq: 3,
            problem: Problem::Gap { expected: 2 }
        }
    );
}

#[test]
fn genesis_values_differ_per_chain() {
    assert_ne!(events_genesis(1), events_genesis(2));
    assert_ne!(events_genesis(1), audit_genesis());
    assert_eq!(verify_ev(3, &[]).unwrap().head, events_genesis(3));
}

#[test]
fn final_commits_round_trip_through_their_detail() {
    let commit = FinalCommit {
        attempt_id: 42,
        status: "submitted".into(),
        events: 12,
        head: events(42)[3].1.unwrap(),
    };
    let detail = commit.detail();
    assert!(detail.starts_with("attempt 42: submitted, 12 event(s), events head "));
    assert_eq!(FinalCommit::parse(&detail), Some(commit));
    assert_eq!(FinalCommit::parse("attempt 42"), None);
    assert_eq!(
        FinalCommit::parse("attempt x: closed, 1 event(s), events head 00"),
        None
    );
}

#[test]
fn hex_round_trips_and_refuses_other_text() {
    let h = audit_genesis();
    let text = to_hex(&h);
    assert_eq!(text.len(), 64);
    assert_eq!(parse_hex(&text), Some(h));
    assert_eq!(parse_hex(&text.to_uppercase()), Some(h));
    assert_eq!(parse_hex(&text[1..]), None);
    assert_eq!(parse_hex(&format!("{}g", &text[1..])), None);
    assert_eq!(parse_hex("é".repeat(32).as_str()), None);
}
/// The values docs/audit.md gives, so an inspector's own
/// implementation can be checked against them.
#[test]
fn the_documented_test_vectors_hold() {
    assert_eq!(
        to_hex(&audit_genesis()),
        "e781248ae7f2a05b44fc2a17b94c39c83efc7dc96ab53fd518ad4ed6c945c703"
    );
    let first = AuditEntry {
        id: 1,
        at: 1_765_000_000_000,
        actor: "user:central".into(),
        action: "login".into(),
        detail: String::new(),
    };
    assert_eq!(
        to_hex(&first.link(&audit_genesis())),
        "6fe835247ba108ee5bad369638053b7021defd4881a98f5c07de918f50178230"
    );
    assert_eq!(
        to_hex(&events_genesis(7)),
        "48fae88b49b3711af42c7ef2243878ec327200e693807b0331988101d1431675"
    );
    let answer = AnswerEvent {
        seq: 1,
        received_at: 1_765_000_000_500,
        event: r#"{"type":"answer","question":3,"value":{"choice":1}}"#.into(),
        refused: None,
    };
    assert_eq!(
        to_hex(&answer.link(&events_genesis(7), 7)),
        "10ed79bd703aaf788de5a943c2fd655b38ec9a5c18c4553431c5e475e4eb3a7b"
    );
}

#[test]
fn exam_commits_read_back_and_tell_a_changed_key() {
    let commit = ExamCommit::of("toan: 10", r#"{"id":"toan: 10","key":[1]}"#);
    assert_eq!(ExamCommit::parse(&commit.detail()), Some(commit.clone()));
    assert_ne!(
        ExamCommit::of("toan: 10", r#"{"id":"toan: 10","key":[2]}"#),
        commit
    );
    assert_eq!(ExamCommit::parse("exam x: definition sha256 zz"), None);
}
