//! The chaos test, small form: 200 students answer while the relay process
//! is killed with SIGKILL 20 times at random moments and restarted. After
//! each restart a proctor's view must show every acknowledged answer and no
//! answer never given; at the end every event each student numbered is
//! stored exactly once, in order, and every attempt is closed and graded
//! once at its deadline. The checks are `examgate_loadgen::chaos`; the long
//! form is `examgate-loadgen chaos` (`cargo xtask bench`). Here because
//! cargo builds and locates a binary only for its own package's tests.

use std::path::PathBuf;
use std::time::Duration;

use examgate_loadgen::chaos::{ChaosOpts, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_survive_the_relay_killed_at_random_moments() {
    let dir = tempfile::tempdir().unwrap();
    let report = run(ChaosOpts {
        relay_bin: PathBuf::from(env!("CARGO_BIN_EXE_examgate-relay")),
        work: dir.path().join("data"),
        students: 200,
        per_room: 40,
        kills: 20,
        interval: Duration::from_millis(500),
        answering: Duration::from_secs(24),
        seed: 2026,
    })
    .await;
    eprintln!(
        "chaos: {} kills, {} events numbered, {} stored, {} reconnects, down {:?} ms",
        report.kills,
        report.events_numbered,
        report.events_stored,
        report.reconnects,
        report.relay_down_ms
    );
    assert!(report.violations.is_empty(), "{:#?}", report.violations);
    assert_eq!(report.kills, 20);
    assert_eq!(report.restarts_checked, 20);
    assert_eq!(report.attempts_closed, 200);
    assert_eq!(report.events_stored, report.events_numbered);
    // Each student answered through the storm, and each kill dropped them.
    assert!(
        report.events_numbered > 200 * 20,
        "{}",
        report.events_numbered
    );
    assert!(report.reconnects >= 200 * 15, "{}", report.reconnects);
}
