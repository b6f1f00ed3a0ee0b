//! The failover test: three relay processes serve one exam on one
//! PostgreSQL database and one nats-server; mid-exam one of them is killed
//! with SIGKILL. Its students reconnect to the other two and resend what
//! was not acknowledged; the central proctor, on the third relay, sees
//! every row before and after; afterwards no acknowledged answer is lost,
//! none is stored twice, and every attempt (those the dead relay started
//! too) is closed and graded exactly once at its deadline. The checks are
//! `examgate_loadgen::failover`; here because cargo builds and locates a
//! binary only for its own package's tests.

use std::path::PathBuf;
use std::time::Duration;

use examgate_loadgen::failover::{FailoverOpts, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_killed_mid_exam_loses_and_duplicates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let report = run(FailoverOpts {
        relay_bin: PathBuf::from(env!("CARGO_BIN_EXE_examgate-relay")),
        work: dir.path().join("data"),
        database: examgate_servers::postgres().fresh_database(),
        bus: examgate_servers::nats().url(),
        relays: 3,
        students: 150,
        per_room: 30,
        interval: Duration::from_millis(500),
        answering: Duration::from_secs(12),
        seed: 2027,
    })
    .await;
    eprintln!(
        "failover: {} students on {} relays, {} on the killed one; {} events numbered, {} stored; \
         {} reconnects; {} closed; {} rows seen live, answer → proctor {:?}",
        report.students,
        report.relays,
        report.on_killed_relay,
        report.events_numbered,
        report.events_stored,
        report.reconnects,
        report.attempts_closed,
        report.rows_seen_live,
        report.answer_to_proctor,
    );
    assert!(report.violations.is_empty(), "{:#?}", report.violations);
    assert_eq!(report.attempts_closed, report.students);
    assert!(report.on_killed_relay > 0 && report.reconnects >= report.on_killed_relay as u64);
    assert!(report.events_stored > 0 && report.events_stored == report.events_numbered);
}
