//! The storage layer on both engines: the embedded SQLite file and a real
//! PostgreSQL server started for the tests (crate examgate-servers). The same
//! statements run on each; the PostgreSQL schema is the SQLite one, table
//! for table and column for column.

use std::collections::BTreeMap;

use examgate_relay::args;
use examgate_relay::store::db::{Db, DbError, Dialect, OptionalRow, PgConn};
use examgate_relay::store::pg_schema;
use examgate_relay::store::schema::SCHEMA_VERSION;
use examgate_servers as servers;

/// A fresh, migrated database of each engine, handed to `check` in turn.
fn on_both_engines(check: impl Fn(Db<'_>)) {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = examgate_relay::store::open(&dir.path().join("t.sqlite3")).unwrap();
    check(Db::sqlite(&sqlite));
    let pg = pg_schema::open(&servers::postgres().fresh_database()).unwrap();
    check(pg.db());
}

/// table → its columns in order, as each engine reports them.
fn sqlite_tables(conn: &rusqlite::Connection) -> BTreeMap<String, Vec<String>> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    tables
        .into_iter()
        .map(|t| {
            let columns = conn
                .prepare(&format!("PRAGMA table_info({t})"))
                .unwrap()
                .query_map([], |r| r.get::<_, String>(1))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            (t, columns)
        })
        .collect()
}

fn postgres_tables(db: Db<'_>) -> BTreeMap<String, Vec<String>> {
    let mut tables: BTreeMap<String, Vec<String>> = BTreeMap::new();
    db.each(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
         WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
        args![],
        |r| {
            tables.entry(r.get(0)?).or_default().push(r.get(1)?);
            Ok(true)
        },
    )
    .unwrap();
    tables
}

#[test]
fn the_postgres_schema_has_every_table_and_column_of_the_sqlite_one() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = examgate_relay::store::open(&dir.path().join("t.sqlite3")).unwrap();
    let pg = pg_schema::open(&servers::postgres().fresh_database()).unwrap();
    let (lite, post) = (sqlite_tables(&sqlite), postgres_tables(pg.db()));
    assert!(lite.len() >= 26, "{lite:?}");
    assert_eq!(lite, post);
    let version: String = pg
        .db()
        .query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            args![],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION.to_string());
}

#[test]
fn relays_starting_together_on_one_postgres_create_the_schema_once() {
    let url = servers::postgres().fresh_database();
    let opened: Vec<Result<PgConn, DbError>> = std::thread::scope(|s| {
        let starts: Vec<_> = (0..4).map(|_| s.spawn(|| pg_schema::open(&url))).collect();
        starts.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for conn in &opened {
        assert!(conn.is_ok(), "{:?}", conn.as_ref().err());
    }
    let conn = opened.into_iter().next().unwrap().unwrap();
    let versions: i64 = conn
        .db()
        .query_row(
            "SELECT COUNT(*) FROM meta WHERE key = 'schema_version'",
            args![],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(versions, 1);
    // And a later start finds it as it is.
    drop(conn);
    pg_schema::open(&url).unwrap();
}

#[test]
fn a_database_from_a_newer_relay_is_refused_not_used() {
    let url = servers::postgres().fresh_database();
    let conn = pg_schema::open(&url).unwrap();
    conn.db()
        .execute(
            "UPDATE meta SET value = ?1 WHERE key = 'schema_version'",
            args![(SCHEMA_VERSION + 1).to_string()],
        )
        .unwrap();
    let err = pg_schema::open(&url).err().expect("refused").to_string();
    assert!(err.contains("run the newer relay"), "{err}");
}

/// The server ends the writer's session (as a restart or a failover to
/// the replica does): the writes of that moment fail with an error, none
/// hangs, and the writer connects again by itself and goes on writing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_writer_connects_again_when_postgres_ends_its_session() {
    use examgate_relay::store::Store;
    let url = servers::postgres().fresh_database();
    let store = Store::spawn_postgres(&url).unwrap();
    let put = |key: &'static str| {
        store.write(move |db| {
            db.execute("INSERT INTO meta (key, value) VALUES (?1, 'x')", args![key])
        })
    };
    put("before").await.unwrap();
    let admin = PgConn::connect(&url).unwrap();
    let ended: u64 = admin
        .db()
        .query_row(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
            args![],
            |r| r.get(0),
        )
        .unwrap();
    assert!(ended >= 1, "the writer's session was ended");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut failed = 0;
    loop {
        let tried = tokio::time::timeout(std::time::Duration::from_secs(10), put("after"))
            .await
            .expect("a write never hangs");
        match tried {
            Ok(_) => break,
            Err(_) => failed += 1,
        }
        assert!(std::time::Instant::now() < deadline, "never wrote again");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        failed >= 1,
        "the write of the moment the session ended failed"
    );
    let kept: Vec<String> = admin
        .db()
        .query_map(
            "SELECT key FROM meta WHERE key IN ('before', 'after') ORDER BY key DESC",
            args![],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, ["before", "after"]);
}

/// `f` as one relay's writer batch: on a connection of its own to `url`,
/// `delay_ms` after connecting, in one transaction committed after it.
fn as_a_relay<T>(url: &str, delay_ms: u64, f: impl FnOnce(Db<'_>) -> T) -> T {
    let conn = PgConn::connect(url).unwrap();
    let db = conn.db();
    std::thread::sleep(std::time::Duration::from_millis(delay_ms));
    db.execute_batch("BEGIN").unwrap();
    let out = f(db);
    db.commit().unwrap();
    out
}

/// Numbered papers go out in joining order, counted by the store: the
/// count starts from the attempts already made, and two relays' writers
/// dealing at the same moment get different numbers (the second waits for
/// the first's commit).
#[test]
fn numbered_papers_are_dealt_in_one_order_by_every_relay() {
    use examgate_relay::store::writes::deal;
    let setup = "INSERT INTO exams (id, definition) VALUES ('e', '{}');
                 INSERT INTO sites (id, name) VALUES (1, 's');
                 INSERT INTO rooms (id, site_id, name) VALUES (1, 1, 'r');
                 INSERT INTO sittings (id, exam_id, opens_at, closes_at, duration_ms)
                     VALUES (1, 'e', 0, 1, 1), (2, 'e', 0, 1, 1);
                 INSERT INTO candidates (id, sitting_id, room_id, name, name_key)
                     VALUES (1, 2, 1, 'A', 'a'), (2, 2, 1, 'B', 'b');";
    let attempts = |db: Db<'_>| {
        for candidate in [1u64, 2] {
            db.execute(
                "INSERT INTO attempts (candidate_id, token_hash) VALUES (?1, ?2)",
                args![candidate, vec![candidate as u8; 32]],
            )
            .unwrap();
        }
    };
    on_both_engines(|db| {
        db.execute_batch(setup).unwrap();
        attempts(db);
        let dealt: Vec<u64> = (0..3).map(|_| deal(db, 1).unwrap()).collect();
        assert_eq!(dealt, [0, 1, 2]);
        // Sitting 2 had two attempts before its counter: the third is 2.
        assert_eq!(deal(db, 2).unwrap(), 2);
    });
    let url = servers::postgres().fresh_database();
    let pg = pg_schema::open(&url).unwrap();
    pg.db().execute_batch(setup).unwrap();
    attempts(pg.db());
    let dealt: Vec<u64> = std::thread::scope(|s| {
        let relays: Vec<_> = (0..2u64)
            .map(|i| {
                let url = &url;
                s.spawn(move || {
                    as_a_relay(url, i * 50, |db| {
                        let n = deal(db, 1).unwrap();
                        // The first holds its count while the second asks.
                        std::thread::sleep(std::time::Duration::from_millis(200));
                        n
                    })
                })
            })
            .collect();
        relays.into_iter().map(|r| r.join().unwrap()).collect()
    });
    let mut sorted = dealt.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, [0, 1], "{dealt:?}");
}

/// Two relays' batches on PostgreSQL: one audited a join (holding the
/// audit trail's lock) and deals a numbered paper next; the other deals
/// first. Because a join takes the audit lock before the dealing counter
/// (`audit_first`), the second waits for the first instead of each holding
/// one lock and waiting for the other (a deadlock PostgreSQL would break
/// after a second by failing a write).
#[test]
fn a_join_takes_the_audit_lock_before_the_dealing_counter() {
    use examgate_relay::store::writes::{audit, audit_first, deal};
    let url = servers::postgres().fresh_database();
    let pg = pg_schema::open(&url).unwrap();
    pg.db()
        .execute_batch(
            "INSERT INTO exams (id, definition) VALUES ('e', '{}');
             INSERT INTO sittings (id, exam_id, opens_at, closes_at, duration_ms)
                 VALUES (1, 'e', 0, 1, 1);",
        )
        .unwrap();
    let join = |db: Db<'_>, who: &str| -> Result<u64, DbError> {
        audit_first(db)?;
        let n = deal(db, 1)?;
        audit(db, 0, who, "join", "numbered")?;
        Ok(n)
    };
    let dealt: Vec<u64> = std::thread::scope(|s| {
        let a = s.spawn(|| {
            as_a_relay(&url, 0, |db| {
                audit(db, 0, "a", "join", "another sitting").unwrap();
                std::thread::sleep(std::time::Duration::from_millis(300));
                join(db, "a").unwrap()
            })
        });
        let b = s.spawn(|| as_a_relay(&url, 100, |db| join(db, "b").unwrap()));
        vec![a.join().unwrap(), b.join().unwrap()]
    });
    assert_eq!(dealt, [0, 1], "a, which held the audit lock, dealt first");
}

/// A PostgreSQL database of schema 7 (before the check-in desk moved to
/// the store) is brought to 8 at the next start: the desk's columns and
/// tables appear, the check-ins the old relays held in memory only are
/// released, so is all but the newest of a card's two confirmed seats
/// (relays that each kept their own), and one card holds one seat from
/// then on.
#[test]
fn a_version_7_postgres_database_is_migrated_to_the_shared_check_in_desk() {
    let url = servers::postgres().fresh_database();
    let conn = pg_schema::open(&url).unwrap();
    conn.db()
        .execute_batch(
            "DROP INDEX checkins_one_seat;
             DROP TABLE checkin_challenges;
             DROP TABLE seat_codes;
             ALTER TABLE checkins DROP COLUMN poll_hash, DROP COLUMN at_station,
                                  DROP COLUMN desk, DROP COLUMN photo, DROP COLUMN outcome;
             UPDATE meta SET value = '7' WHERE key = 'schema_version';
             INSERT INTO exams (id, definition) VALUES ('e', '{}');
             INSERT INTO sites (id, name) VALUES (1, 's');
             INSERT INTO rooms (id, site_id, name) VALUES (1, 1, 'r');
             INSERT INTO sittings (id, exam_id, opens_at, closes_at, duration_ms)
                 VALUES (1, 'e', 0, 1, 1);
             INSERT INTO checkins (at, sitting_id, room_id, person_key, verdict, reasons,
                                   station, evidence, decision)
                 VALUES (5, 1, 1, 'k1', 'accepted', '', 'reader', '{}', NULL),
                        (6, 1, 1, 'k1', 'accepted', '', 'reader', '{}', NULL),
                        (7, 1, 1, 'k2', 'accepted', '', 'reader', '{}', 'confirmed'),
                        (8, 1, 1, 'k3', 'accepted', '', 'reader', '{}', 'confirmed'),
                        (9, 1, 1, 'k3', 'accepted', '', 'reader', '{}', 'confirmed');",
        )
        .unwrap();
    drop(conn);
    let conn = pg_schema::open(&url).unwrap();
    let db = conn.db();
    let version: String = db
        .query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            args![],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION.to_string());
    let decisions: Vec<Option<String>> = db
        .query_map("SELECT decision FROM checkins ORDER BY id", args![], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(
        decisions,
        [
            Some("released".into()),
            Some("released".into()),
            Some("confirmed".into()),
            Some("released".into()),
            Some("confirmed".into())
        ]
    );
    let pending = "INSERT INTO checkins (at, sitting_id, room_id, person_key, verdict, reasons,
                                         station, evidence, poll_hash, at_station, desk)
                   VALUES (8, 1, 1, ?1, 'accepted', '', 'reader', '{}', ?2, 0, 'sealed')";
    db.execute(pending, args!["k1", vec![1u8; 32]]).unwrap();
    let twice = db.execute(pending, args!["k1", vec![2u8; 32]]);
    assert!(
        twice.as_ref().is_err_and(DbError::is_unique_violation),
        "{twice:?}"
    );
    db.execute(
        "INSERT INTO checkin_challenges (id_hash, challenge, sitting_id, room_id, expires_at)
         VALUES (?1, '00', 1, 1, 9)",
        args![vec![3u8; 32]],
    )
    .unwrap();
}

#[test]
fn every_kind_of_value_goes_in_and_comes_back_out_the_same_on_both_engines() {
    on_both_engines(|db| {
        let hash = [7u8; 32];
        let id: i64 = db
            .query_row(
                "INSERT INTO sessions (token_hash, username, role, room_id, site_id,
                                       created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, NULL, ?5, ?6) RETURNING length(username)",
                args![
                    hash,
                    "cô giáo Hà",
                    "proctor",
                    3u64,
                    1_700_000_000_000i64,
                    i64::MAX
                ],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(id, "cô giáo Hà".chars().count() as i64);
        let (name, room, site, expires, stored): (String, u64, Option<u64>, i64, [u8; 32]) = db
            .query_row(
                "SELECT username, room_id, site_id, expires_at, token_hash FROM sessions
                 WHERE token_hash = ?1",
                args![hash],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .unwrap();
        assert_eq!(
            (name.as_str(), room, site, expires, stored),
            ("cô giáo Hà", 3, None, i64::MAX, hash)
        );
        // Flags are 0 and 1, reals are reals, a missing row is a None.
        db.execute(
            "INSERT INTO users (username, password_hash, role, display_name, disabled)
             VALUES (?1, 'x', 'teacher', ?1, ?2)",
            args!["ha", true],
        )
        .unwrap();
        let disabled: bool = db
            .query_row(
                "SELECT disabled FROM users WHERE username = 'ha'",
                args![],
                |r| r.get(0),
            )
            .unwrap();
        assert!(disabled);
        let half: f64 = db
            .query_row(
                "SELECT CAST(?1 AS DOUBLE PRECISION) / 2",
                args![1.0f64],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(half, 0.5);
        let none = db
            .query_row(
                "SELECT username FROM users WHERE username = ?1",
                args!["nobody"],
                |r| r.get::<String>(0),
            )
            .optional()
            .unwrap();
        assert_eq!(none, None);
        // Rows come back in order, and `each` stops when told.
        for n in 0..5 {
            db.execute(
                "INSERT INTO sites (name, code) VALUES (?1, ?2)",
                args![format!("Trường {n}"), n.to_string()],
            )
            .unwrap();
        }
        let codes = db
            .query_map("SELECT code FROM sites ORDER BY id", args![], |r| {
                r.get::<String>(0)
            })
            .unwrap();
        assert_eq!(codes, ["0", "1", "2", "3", "4"]);
        let mut seen = 0;
        db.each("SELECT id FROM sites ORDER BY id", args![], |_| {
            seen += 1;
            Ok(seen < 2)
        })
        .unwrap();
        assert_eq!(seen, 2);
    });
}

#[test]
fn a_duplicate_key_and_a_value_of_the_wrong_kind_are_told_apart_on_both_engines() {
    on_both_engines(|db| {
        let insert = "INSERT INTO meta (key, value) VALUES (?1, ?2)";
        db.execute(insert, args!["k", "v"]).unwrap();
        let dup = db.execute(insert, args!["k", "w"]).unwrap_err();
        assert!(dup.is_unique_violation(), "{dup}");
        assert!(!dup.is_retryable(), "{dup}");
        if db.dialect() == Dialect::Postgres {
            // The failed statement aborted PostgreSQL's implicit
            // transaction only; the connection goes on.
            assert!(dup.to_string().contains("23505"), "{dup}");
        }
        let count: i64 = db
            .query_row("SELECT COUNT(*) FROM meta WHERE key = 'k'", args![], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(count, 1);
        let wrong = db
            .query_row("SELECT value FROM meta WHERE key = 'k'", args![], |r| {
                r.get::<i64>(0)
            })
            .unwrap_err();
        assert!(matches!(wrong, DbError::Conversion(_)), "{wrong}");
        assert!(!wrong.is_unique_violation());
    });
}

/// Two relays' writers on one PostgreSQL database, racing on the same
/// attempts: every event number is stored exactly once (the database
/// decides duplicates), each attempt becomes final once, and the audit
/// trail and every attempt's event chain still verify end to end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_writers_on_one_postgres_store_each_event_once_and_keep_every_chain_whole() {
    use examgate_relay::store::{Store, writes};
    use examgate_shared::attempt::{Attempt, AttemptStatus, StudentEvent};
    use examgate_shared::exam::QuestionId;

    const ATTEMPTS: u64 = 12;
    const EVENTS: u64 = 25;
    let url = servers::postgres().fresh_database();
    let (a, b) = (
        Store::spawn_postgres(&url).unwrap(),
        Store::spawn_postgres(&url).unwrap(),
    );
    let exam = examgate_relay::seed::demo_exam();
    let at_rest = examgate_relay::at_rest::AtRest::with_key(&[9; 32]);
    let opts = examgate_relay::seed::DemoOptions::starting(0);
    let attempts: Vec<u64> = a
        .write(move |db| {
            examgate_relay::seed::seed_demo(db, &opts, &at_rest)?;
            (0..ATTEMPTS)
                .map(|i| {
                    let name = format!("Thí sinh {i}");
                    let c = writes::insert_candidate(db, 1, 1, &name, &name, None)?;
                    writes::insert_attempt(db, c, &[i as u8; 32], &Default::default())
                })
                .collect()
        })
        .await
        .unwrap();
    let answer = |seq: u64| StudentEvent::Answer {
        question: QuestionId((seq % 3 + 1) as u32),
        value: None,
    };
    for seq in 1..=EVENTS {
        // Both writers offer every attempt's next event at once.
        let offers = attempts.iter().flat_map(|&id| {
            [&a, &b].map(|store| {
                let event = answer(seq);
                store.write(move |db| writes::insert_event(db, id, seq, seq as i64, &event, None))
            })
        });
        let results = futures_util::future::join_all(offers).await;
        for pair in results.chunks(2) {
            let stored = pair.iter().filter(|r| r.is_ok()).count();
            assert_eq!(stored, 1, "{pair:?}");
            // The loser waited for the winner's commit and then read its
            // event as the head: refused by the sequence rule, not by the
            // primary key.
            let refused = pair.iter().find_map(|r| r.as_ref().err()).unwrap();
            assert!(
                matches!(refused, examgate_relay::store::StoreError::Db(
                    DbError::OutOfSequence { head, .. }) if *head == seq),
                "{refused:?}"
            );
        }
    }
    // A gap is refused too, whoever offers it.
    let gap = a
        .write({
            let id = attempts[0];
            move |db| writes::insert_event(db, id, EVENTS + 2, 0, &StudentEvent::Submit, None)
        })
        .await
        .unwrap_err();
    assert!(
        gap.to_string().contains("does not follow the stored"),
        "{gap}"
    );
    // Both close every attempt at its deadline: it becomes final once.
    let mut replayed = Attempt::default();
    for seq in 1..=EVENTS {
        replayed.apply(seq, &answer(seq), seq as i64);
    }
    let g = examgate_shared::scoring::grade(&exam, &replayed.answers);
    let closes = attempts.iter().flat_map(|&id| {
        [&a, &b].map(|store| {
            let g = g.clone();
            store.write(move |db| writes::finish_attempt(db, id, AttemptStatus::Closed, 99, &g))
        })
    });
    let firsts = futures_util::future::join_all(closes).await;
    for pair in firsts.chunks(2) {
        let made_final: Vec<bool> = pair.iter().map(|r| *r.as_ref().unwrap()).collect();
        assert_eq!(
            made_final.iter().filter(|f| **f).count(),
            1,
            "{made_final:?}"
        );
    }
    // Meanwhile-style audit entries from both, then one verification of it all.
    let audits = (0..40).map(|i| {
        let store = if i % 2 == 0 { &a } else { &b };
        store.write(move |db| writes::audit(db, i, "relay", "test", &format!("entry {i}")))
    });
    for r in futures_util::future::join_all(audits).await {
        r.unwrap();
    }
    let report = a
        .read(|db| {
            examgate_relay::audit::verify_database(db)
                .map_err(|e| DbError::Conversion(e.to_string()))
        })
        .await
        .unwrap();
    assert_eq!(report.attempts, ATTEMPTS);
    assert_eq!(report.committed, ATTEMPTS);
    assert_eq!(report.events, ATTEMPTS * EVENTS);
}

/// A job that fails on PostgreSQL leaves the transaction aborted until its
/// savepoint is rolled back: the next job of the batch (with a statement
/// never prepared before) still succeeds; and a job that swallowed a
/// server error cannot make the batch's silent rollback pass for a commit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_failed_job_the_batch_goes_on_and_an_aborted_batch_is_not_acked() {
    use examgate_relay::store::{Store, StoreError};
    let store = Store::spawn_postgres(&servers::postgres().fresh_database()).unwrap();
    let put = |key: &'static str| {
        move |db: Db<'_>| db.execute("INSERT INTO meta (key, value) VALUES (?1, 'v')", args![key])
    };
    store.write(put("taken")).await.unwrap();
    let (dup, fresh) = tokio::join!(
        store.write(put("taken")),
        store.write(|db| {
            db.execute(
                "INSERT INTO sites (name, code) VALUES (?1, 'never prepared before')",
                args!["Trường mới"],
            )
        })
    );
    assert!(
        matches!(&dup, Err(StoreError::Db(e)) if e.is_unique_violation()),
        "{dup:?}"
    );
    assert_eq!(fresh.unwrap(), 1);
    // A job that hides its error: the transaction is aborted, so nothing
    // of the batch was kept, and nobody is told otherwise.
    let hidden = store
        .write(|db| {
            let _ = db.execute(
                "INSERT INTO meta (key, value) VALUES ('taken', 'v')",
                args![],
            );
            Ok(())
        })
        .await;
    assert!(matches!(hidden, Err(StoreError::Commit(_))), "{hidden:?}");
    let sites: i64 = store
        .read(|db| db.query_row("SELECT COUNT(*) FROM sites", args![], |r| r.get(0)))
        .await
        .unwrap();
    assert_eq!(sites, 1);
    // And the writer goes on.
    store.write(put("after")).await.unwrap();
}

/// A burst of long reads (exports, inspection packages) holds at most
/// `POOL_MAX` connections of PostgreSQL's, beside the writer's one: the
/// rest wait their turn, and all of them are answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_reads_holds_a_bounded_number_of_connections() {
    use examgate_relay::store::Store;
    use examgate_relay::store::writer::POOL_MAX;
    let url = servers::postgres().fresh_database();
    let database = url.rsplit('/').next().unwrap().to_owned();
    let store = Store::spawn_postgres(&url).unwrap();
    let watching = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let watcher = std::thread::spawn({
        let (watching, database) = (watching.clone(), database.clone());
        move || {
            let mut most = 0usize;
            while watching.load(std::sync::atomic::Ordering::Relaxed) {
                let n: usize = servers::postgres()
                    .psql(
                        "postgres",
                        &format!(
                            "SELECT count(*) FROM pg_stat_activity WHERE datname = '{database}'"
                        ),
                    )
                    .parse()
                    .unwrap();
                most = most.max(n);
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            most
        }
    });
    let reads = (0..3 * POOL_MAX).map(|_| {
        store.read(|db| {
            db.query_row(
                "SELECT 1 FROM (SELECT pg_sleep(0.3)) AS waited",
                args![],
                |r| r.get::<i64>(0),
            )
        })
    });
    let answered = futures_util::future::join_all(reads).await;
    watching.store(false, std::sync::atomic::Ordering::Relaxed);
    let most = watcher.join().unwrap();
    assert!(answered.iter().all(|r| matches!(r, Ok(1))), "{answered:?}");
    // The pool's connections and the writer's.
    assert!(most > 1 && most <= POOL_MAX + 1, "{most} connections");
}
