//! Test support: a real relay on 127.0.0.1:0 seeded with the demo, and a
//! student WebSocket client speaking the real protocol.

pub mod browser;
pub mod card;
pub mod firefox;
pub mod office;
pub mod proxy;
pub use examgate_servers as servers;
pub mod usb_bridge;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use examgate_relay::boot::{Booted, Database, Start, boot_on};
use examgate_relay::seed::{DemoInfo, DemoOptions};
use examgate_relay::{AppState, Config};
use examgate_shared::Millis;
use examgate_shared::answer::AnswerValue;
use examgate_shared::attempt::StudentEvent;
use examgate_shared::error::ErrorBody;
use examgate_shared::exam::{OptionId, QuestionId};
use examgate_shared::protocol::{
    JoinRequest, JoinResponse, LoginRequest, LoginResponse, PROTOCOL_VERSION, ProctorToRelay,
    RelayToProctor, RelayToStudent, StudentToRelay, encode,
};
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub const PASSWORD: &str = "test-password";

/// Relay time now, from this host's clock (the relay runs in-process).
pub fn now_ms() -> Millis {
    examgate_relay::clock::now_ms()
}

pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A window open from a second ago for an hour, test passwords.
fn open_now(duration_ms: Millis, exam: Option<examgate_shared::exam::Exam>) -> DemoOptions {
    let now = now_ms();
    DemoOptions {
        opens_at: now - 1_000,
        closes_at: now + 3_600_000,
        duration_ms: Some(duration_ms),
        fixed_password: Some(PASSWORD.into()),
        exam,
        card_students: examgate_relay::seed::demo_card_students(),
    }
}

/// The store the relay tests run on: SQLite unless
/// `EXAMGATE_TEST_DATABASE=postgres`, which gives each relay a fresh
/// database of a real PostgreSQL server started for the tests
/// (the `examgate-servers` crate). `cargo xtask test` runs the relay tests
/// both ways.
pub fn test_database() -> Database {
    match std::env::var("EXAMGATE_TEST_DATABASE").as_deref() {
        Ok("postgres") => Database::Postgres(servers::postgres().fresh_database()),
        Ok("sqlite") | Err(_) => Database::Sqlite,
        Ok(other) => panic!("EXAMGATE_TEST_DATABASE={other}: sqlite or postgres"),
    }
}

/// What a student types on any browser with a seat code (a proctor
/// station's, or a move's) in the room of join code `room`.
pub fn seat_code_join(room: &str, seat_code: &str) -> JoinRequest {
    JoinRequest {
        code: room.into(),
        name: String::new(),
        resume_token: None,
        seat_code: Some(seat_code.into()),
        candidate_number: None,
        birth: None,
    }
}

/// Whether this run's relays keep their record in SQLite (tests of the
/// file itself run only then).
pub fn on_sqlite() -> bool {
    !matches!(
        std::env::var("EXAMGATE_TEST_DATABASE").as_deref(),
        Ok("postgres")
    )
}

/// A running relay with its own temporary database.
pub struct TestRelay {
    pub addr: SocketAddr,
    pub state: AppState,
    pub info: DemoInfo,
    /// The one-time set-up token of a relay started empty.
    pub setup_token: Option<String>,
    pub db_path: PathBuf,
    /// Its store (the SQLite file is `db_path`).
    pub database: Database,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

impl TestRelay {
    /// Demo window open now; each attempt lasts `duration_ms`.
    pub async fn with_duration(duration_ms: Millis, grace_ms: Millis) -> TestRelay {
        TestRelay::start(open_now(duration_ms, None), grace_ms).await
    }

    /// Like [`TestRelay::with_duration`], with another exam.
    pub async fn with_exam(exam: examgate_shared::exam::Exam, duration_ms: Millis) -> TestRelay {
        TestRelay::start(open_now(duration_ms, Some(exam)), 1_000).await
    }

    pub async fn start(opts: DemoOptions, grace_ms: Millis) -> TestRelay {
        let config = Config {
            www_dir: workspace_root().join("www"),
            grace_ms,
            trust: std::sync::Arc::new(card::trust_list()),
            demo_routes: None,
            max_connections: None,
        };
        TestRelay::start_with_config(opts, config).await
    }

    /// A relay that holds at most `max` connections (503 past them).
    pub async fn with_max_connections(max: usize) -> TestRelay {
        let config = Config {
            www_dir: workspace_root().join("www"),
            grace_ms: 1_000,
            trust: std::sync::Arc::new(card::trust_list()),
            demo_routes: None,
            max_connections: Some(max),
        };
        TestRelay::start_with_config(open_now(3_600_000, None), config).await
    }

    /// The demo's software card reader served too (`--demo-reader`).
    pub async fn with_demo_reader(duration_ms: Millis) -> TestRelay {
        let config = Config {
            www_dir: workspace_root().join("www"),
            grace_ms: 1_000,
            trust: std::sync::Arc::new(card::trust_list()),
            demo_routes: Some(
                std::sync::Arc::new(examgate_relay::demo_reader::DemoReader::new()).routes(),
            ),
            max_connections: None,
        };
        TestRelay::start_with_config(open_now(duration_ms, None), config).await
    }

    pub async fn start_with_config(opts: DemoOptions, config: Config) -> TestRelay {
        let dir = tempfile::tempdir().unwrap();
        let database = test_database();
        let booted = boot_on(
            dir.path(),
            &database,
            config,
            Start::Demo(Some(Box::new(opts))),
        )
        .expect("boot the relay");
        let info = booted.seeded.clone().expect("a fresh database is seeded");
        TestRelay::launch(dir, database, booted, info).await
    }

    /// `n` relays of one deployment: one fresh PostgreSQL database, one
    /// nats-server between them (`--bus`), the same at-rest key. The first
    /// seeds the demo (window open now, attempts of `duration_ms`); the
    /// others start on the database it made. Each listens on its own port,
    /// with nothing in front: a test chooses which relay each client uses.
    pub async fn cluster(n: usize, duration_ms: Millis) -> Vec<TestRelay> {
        let database = Database::Postgres(servers::postgres().fresh_database());
        let nats = servers::nats().url();
        let mut relays: Vec<TestRelay> = Vec::new();
        let mut info = None;
        for i in 0..n {
            let dir = tempfile::tempdir().unwrap();
            if let Some(first) = relays.first() {
                let key = examgate_relay::at_rest::KEY_FILE;
                std::fs::copy(first._dir.path().join(key), dir.path().join(key)).unwrap();
            }
            let config = Config {
                www_dir: workspace_root().join("www"),
                grace_ms: 1_000,
                trust: std::sync::Arc::new(card::trust_list()),
                demo_routes: None,
                max_connections: None,
            };
            let start = match i {
                0 => Start::Demo(Some(Box::new(open_now(duration_ms, None)))),
                _ => Start::Demo(None),
            };
            let booted = boot_on(dir.path(), &database, config, start).expect("boot a relay");
            examgate_relay::bus::attach(&booted.state, &nats)
                .await
                .expect("join the bus");
            let info = info
                .get_or_insert_with(|| booted.seeded.clone().expect("the first relay seeds"))
                .clone();
            relays.push(TestRelay::launch(dir, database.clone(), booted, info).await);
        }
        relays
    }

    /// A relay for a real exam: no demo, only the set-up link.
    pub async fn empty() -> TestRelay {
        let config = Config {
            www_dir: workspace_root().join("www"),
            grace_ms: 1_000,
            trust: std::sync::Arc::new(card::trust_list()),
            demo_routes: None,
            max_connections: None,
        };
        let dir = tempfile::tempdir().unwrap();
        let database = test_database();
        let booted = boot_on(dir.path(), &database, config, Start::Empty).expect("boot the relay");
        let info = DemoInfo {
            join_codes: Vec::new(),
            credentials: Vec::new(),
        };
        TestRelay::launch(dir, database, booted, info).await
    }

    async fn launch(
        dir: tempfile::TempDir,
        database: Database,
        booted: Booted,
        info: DemoInfo,
    ) -> TestRelay {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        if let Database::Postgres(url) = &database {
            // Evidence is long enough for PostgreSQL to compress it, which
            // would hide from `found_in_files` what it must not hold.
            examgate_relay::store::db::PgConn::connect(url)
                .unwrap()
                .db()
                .execute_batch("ALTER TABLE checkins ALTER COLUMN evidence SET STORAGE EXTERNAL")
                .unwrap();
        }
        let (tx, rx) = tokio::sync::oneshot::channel();
        let state = booted.state.clone();
        tokio::spawn(examgate_relay::serve(listener, booted.state, async {
            let _ = rx.await;
        }));
        TestRelay {
            addr,
            state,
            info,
            setup_token: booted.setup_token,
            db_path: booted.db_path,
            database,
            shutdown: Some(tx),
            _dir: dir,
        }
    }

    /// Stops this relay and starts another on the same database, as after
    /// a crash or an update: everything it knows comes from the file.
    pub async fn restart(mut self) -> TestRelay {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let config = Config {
            grace_ms: self.state.config.grace_ms,
            ..self.state.config.clone()
        };
        let dir = std::mem::replace(&mut self._dir, tempfile::tempdir().unwrap());
        let info = self.info.clone();
        let database = self.database.clone();
        drop(self);
        // The old server's tasks end with its shutdown; give them a moment
        // so two writers never share the file.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let booted = boot_on(dir.path(), &database, config, Start::Demo(None)).expect("boot again");
        TestRelay::launch(dir, database, booted, info).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn code(&self, room: usize) -> String {
        self.info.join_codes[room].0.clone()
    }

    pub async fn join(&self, code: &str, name: &str) -> Result<JoinResponse, (u16, ErrorBody)> {
        self.join_with(JoinRequest {
            code: code.into(),
            name: name.into(),
            resume_token: None,
            seat_code: None,
            candidate_number: None,
            birth: None,
        })
        .await
    }

    pub async fn join_with(&self, req: JoinRequest) -> Result<JoinResponse, (u16, ErrorBody)> {
        let resp = reqwest::Client::new()
            .post(self.url("/api/join"))
            .json(&req)
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        if status == 200 {
            Ok(resp.json().await.unwrap())
        } else {
            Err((status, resp.json().await.unwrap()))
        }
    }

    pub async fn login(&self, user: &str) -> LoginResponse {
        let resp = reqwest::Client::new()
            .post(self.url("/api/login"))
            .json(&LoginRequest {
                username: user.into(),
                password: PASSWORD.into(),
            })
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "login {user}");
        resp.json().await.unwrap()
    }

    /// A look at the database from outside, as an inspector would take it
    /// (a connection of its own, whichever the engine).
    pub fn db(&self) -> examgate_relay::store::db::Conn {
        let url = match &self.database {
            Database::Postgres(url) => Some(url.as_str()),
            Database::Sqlite => None,
        };
        examgate_relay::store::db::Conn::open(&self.db_path, url).unwrap()
    }

    /// Which of `needles` a copy of the database's files would show: the
    /// SQLite file and its log, or (PostgreSQL, after a checkpoint) every
    /// file of the cluster's data folder, its WAL included.
    pub fn found_in_files<'a>(&self, needles: &[&'a str]) -> Vec<&'a str> {
        let files: Vec<Vec<u8>> = match &self.database {
            Database::Sqlite => {
                let wal = self.db_path.with_extension("sqlite3-wal");
                let main = std::fs::read(&self.db_path).expect("the database file");
                // The log may have been emptied (checkpointed) or never made.
                std::iter::once(main)
                    .chain(std::fs::read(wal).ok())
                    .collect()
            }
            Database::Postgres(_) => {
                // This database's own folder, and the WAL every change
                // passes through first.
                let conn = self.db();
                conn.db().execute_batch("CHECKPOINT").unwrap();
                let oid: i64 = conn
                    .query_row(
                        "SELECT oid::bigint FROM pg_database WHERE datname = current_database()",
                        examgate_relay::args![],
                        |r| r.get(0),
                    )
                    .unwrap();
                let data = servers::postgres().dir.join("data");
                let mut files = Vec::new();
                read_tree(&data.join("base").join(oid.to_string()), &mut files);
                read_tree(&data.join("pg_wal"), &mut files);
                files
            }
        };
        // One pass over the files for every needle at once.
        let matcher = aho_corasick::AhoCorasick::new(needles).expect("needles");
        let mut found = vec![false; needles.len()];
        for bytes in &files {
            for m in matcher.find_overlapping_iter(bytes.as_slice()) {
                found[m.pattern().as_usize()] = true;
            }
        }
        needles
            .iter()
            .zip(found)
            .filter_map(|(n, hit)| hit.then_some(*n))
            .collect()
    }

    /// Stored events of an attempt: (seq, refused code).
    pub fn stored_events(&self, attempt: u64) -> Vec<(u64, Option<String>)> {
        let db = self.db();
        db.query_map(
            "SELECT seq, refused FROM events WHERE attempt_id = ?1 ORDER BY seq",
            examgate_relay::args![attempt],
            |r| Ok((r.get::<i64>(0)? as u64, r.get(1)?)),
        )
        .unwrap()
        .into_iter()
        .collect()
    }
}

/// Every file under `dir`, read.
fn read_tree(dir: &std::path::Path, out: &mut Vec<Vec<u8>>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            read_tree(&path, out);
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push(bytes);
        }
    }
}

impl Drop for TestRelay {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How a connection ended, as the client saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closed {
    pub code: u16,
    pub reason: String,
}

/// The number an `ack` acknowledges (for [`StudentWs::until`]).
pub fn acked(msg: &RelayToStudent) -> Option<u64> {
    match msg {
        RelayToStudent::Ack { seq } => Some(*seq),
        _ => None,
    }
}

/// A student's browser, reduced to the protocol.
pub struct StudentWs {
    ws: Ws,
}

pub const RECV_TIMEOUT: Duration = Duration::from_secs(10);

impl StudentWs {
    pub async fn connect(relay: &TestRelay) -> StudentWs {
        let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{}/ws/student", relay.addr))
            .await
            .expect("connect");
        StudentWs { ws }
    }

    /// Connects and says hello with `local_now` as the client's clock;
    /// returns the welcome (and any result that followed it).
    pub async fn hello(
        relay: &TestRelay,
        token: &str,
        local_now: Millis,
    ) -> (StudentWs, RelayToStudent) {
        let mut s = StudentWs::connect(relay).await;
        s.send(&StudentToRelay::Hello {
            v: PROTOCOL_VERSION,
            token: token.into(),
            sent_at: local_now,
            tab: None,
        })
        .await;
        let welcome = s.recv().await;
        assert!(
            matches!(welcome, RelayToStudent::Welcome { .. }),
            "{welcome:?}"
        );
        (s, welcome)
    }

    /// Reads messages until one `pick` accepts.
    pub async fn until<T>(&mut self, pick: impl Fn(&RelayToStudent) -> Option<T>) -> T {
        loop {
            let msg = self.recv().await;
            if let Some(t) = pick(&msg) {
                return t;
            }
        }
    }

    pub async fn send(&mut self, msg: &StudentToRelay) {
        self.ws.send(Message::text(encode(msg))).await.unwrap();
    }

    pub async fn send_raw(&mut self, msg: Message) {
        // The relay may already have closed; that is what some tests expect.
        let _ = self.ws.send(msg).await;
    }

    pub async fn answer(&mut self, seq: u64, question: u32, choice: u8) {
        self.answer_value(seq, question, AnswerValue::Choice(OptionId(choice)))
            .await;
    }

    pub async fn answer_value(&mut self, seq: u64, question: u32, value: AnswerValue) {
        self.send(&StudentToRelay::Event {
            seq,
            event: StudentEvent::Answer {
                question: QuestionId(question),
                value: Some(value),
            },
        })
        .await;
    }

    /// Hands in as event `seq` and waits for the result (what came before
    /// it, acks and the like, is passed over).
    pub async fn submit(&mut self, seq: u64) -> examgate_shared::scoring::Grade {
        self.send(&StudentToRelay::Event {
            seq,
            event: StudentEvent::Submit,
        })
        .await;
        loop {
            if let RelayToStudent::Result { grade, .. } = self.recv().await {
                return grade;
            }
        }
    }

    /// The next protocol message; panics on close or timeout.
    pub async fn recv(&mut self) -> RelayToStudent {
        match self.next().await {
            Ok(m) => m,
            Err(closed) => panic!("connection closed: {closed:?}"),
        }
    }

    /// The next protocol message, or how the connection closed.
    pub async fn next(&mut self) -> Result<RelayToStudent, Closed> {
        loop {
            let msg = tokio::time::timeout(RECV_TIMEOUT, self.ws.next())
                .await
                .expect("a message within the timeout");
            match msg {
                Some(Ok(Message::Text(t))) => return Ok(serde_json::from_str(t.as_str()).unwrap()),
                Some(Ok(Message::Close(frame))) => {
                    return Err(frame.map_or(
                        Closed {
                            code: 1005,
                            reason: String::new(),
                        },
                        |f| Closed {
                            code: f.code.into(),
                            reason: f.reason.to_string(),
                        },
                    ));
                }
                Some(Ok(_)) => continue,
                Some(Err(e)) => {
                    return Err(Closed {
                        code: 1006,
                        reason: e.to_string(),
                    });
                }
                None => {
                    return Err(Closed {
                        code: 1006,
                        reason: "stream ended".into(),
                    });
                }
            }
        }
    }

    /// Reads until the connection closes; returns the messages before it.
    pub async fn until_closed(&mut self) -> (Vec<RelayToStudent>, Closed) {
        let mut seen = Vec::new();
        loop {
            match self.next().await {
                Ok(m) => seen.push(m),
                Err(c) => return (seen, c),
            }
        }
    }

    /// Whether a message arrives within `wait`.
    pub async fn quiet_for(&mut self, wait: Duration) -> bool {
        tokio::time::timeout(wait, self.ws.next()).await.is_err()
    }

    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }
}

/// A proctor view, reduced to the protocol.
pub struct ProctorWs {
    ws: Ws,
}

impl ProctorWs {
    pub async fn connect(relay: &TestRelay, token: &str) -> (ProctorWs, RelayToProctor) {
        let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{}/ws/proctor", relay.addr))
            .await
            .unwrap();
        let mut p = ProctorWs { ws };
        let hello = ProctorToRelay::Hello {
            v: PROTOCOL_VERSION,
            token: token.into(),
            sent_at: now_ms(),
        };
        p.ws.send(Message::text(encode(&hello))).await.unwrap();
        let first = p.recv().await;
        (p, first)
    }

    /// Reads messages until one `pick` accepts.
    pub async fn until<T>(&mut self, pick: impl Fn(&RelayToProctor) -> Option<T>) -> T {
        loop {
            let msg = self.recv().await;
            if let Some(t) = pick(&msg) {
                return t;
            }
        }
    }

    pub async fn ws_send(&mut self, msg: &ProctorToRelay) {
        self.ws.send(Message::text(encode(msg))).await.unwrap();
    }

    pub async fn recv(&mut self) -> RelayToProctor {
        loop {
            let msg = tokio::time::timeout(RECV_TIMEOUT, self.ws.next())
                .await
                .expect("a proctor message within the timeout")
                .expect("open")
                .expect("readable");
            if let Message::Text(t) = msg {
                return serde_json::from_str(t.as_str()).unwrap();
            }
        }
    }

    /// Reads until the relay closes the feed; its close code.
    pub async fn until_closed(&mut self) -> u16 {
        loop {
            let msg = tokio::time::timeout(RECV_TIMEOUT, self.ws.next())
                .await
                .expect("the relay closes the feed within the timeout");
            match msg {
                Some(Ok(Message::Close(frame))) => {
                    return frame.map_or(1005, |f| u16::from(f.code));
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => return 1006,
            }
        }
    }
}
