//! The central proctor view at scale: 500 rooms × 40 candidates (20,000
//! rows behind the view) on the real relay, the central proctor's page in
//! headless Chromium, and a load of students answering over WebSockets
//! while it is open. Measures the time from signing in to the summaries
//! table on screen, opening rooms, a row's latency from a student's answer,
//! frame times while summaries and rows stream, and the page's JS heap
//! (CDP `Performance.getMetrics`, `Runtime.getHeapUsage`) and DOM size.
//! Writes `target/bench/proctor-view.json`.
//!
//! `cargo xtask bench` runs it after building the client; plain `fn main`,
//! no harness. `PROCTOR_BENCH_ROOMS`, `PROCTOR_BENCH_PER_ROOM`,
//! `PROCTOR_BENCH_STUDENTS`, `PROCTOR_BENCH_ANSWERS_PER_S` and
//! `PROCTOR_BENCH_SECONDS` set other sizes.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chromiumoxide::cdp::browser_protocol::memory::GetDomCountersParams;
use chromiumoxide::cdp::browser_protocol::performance::{
    EnableParams as PerformanceEnable, GetMetricsParams,
};
use chromiumoxide::cdp::js_protocol::runtime::GetHeapUsageParams;
use chromiumoxide::page::Page;
use examgate_relay::auth::hash_token;
use examgate_relay::boot::{Start, boot};
use examgate_relay::seed::{DemoOptions, seed_demo};
use examgate_relay::{Config, serve};
use examgate_shared::answer::AnswerValue;
use examgate_shared::attempt::StudentEvent;
use examgate_shared::exam::{Body, OptionId, QuestionId};
use examgate_shared::integrity::Signal;
use examgate_shared::protocol::{PROTOCOL_VERSION, RelayToStudent, StudentToRelay, encode};
use examgate_shared::shuffle::SplitMix64;
use examgate_tests::browser::{
    Chromium, click, eval, require_client, type_into, wait_for, wasm_memory_bytes,
};
use examgate_tests::{now_ms, workspace_root};
use futures_util::{SinkExt, StreamExt};
use rusqlite::params;
use tokio_tungstenite::tungstenite::Message;

const PASSWORD: &str = "bench-password";
const SITES: usize = 20;
/// Of each room's candidates: the first have no attempt (not started), the
/// next are let in but not started, the rest work.
const NOT_STARTED: usize = 6;
const CHECKED_IN: usize = 4;
/// One answer in this many comes with a warning (the page left).
const WARN_ONE_IN: u64 = 20;
/// Rooms the central proctor opens while patches stream.
const OPEN_ROOMS: usize = 5;
const LONG: Duration = Duration::from_secs(180);

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A working candidate the load may connect as.
#[derive(Clone)]
struct Seat {
    room: usize,
    candidate_id: i64,
    token: String,
}

/// Writes `rooms` rooms of `per_room` candidates into the demo's sitting,
/// straight into the database as the office's import and the students'
/// joins would have left them: sites, rooms, join codes, candidates, and
/// attempts (started ten minutes ago for the working ones), a warning in
/// every twentieth room. Returns the working seats, room by room.
fn seed(
    db: &std::path::Path,
    rooms: usize,
    per_room: usize,
    duration_ms: i64,
) -> rusqlite::Result<Vec<Seat>> {
    let mut conn = rusqlite::Connection::open(db)?;
    conn.pragma_update(None, "synchronous", "OFF")?;
    let txn = conn.transaction()?;
    let now = now_ms();
    let started = now - 600_000;
    let mut seats = Vec::new();
    {
        let mut site = txn.prepare("INSERT INTO sites (name, code) VALUES (?1, ?2)")?;
        let mut room =
            txn.prepare("INSERT INTO rooms (site_id, name, seats) VALUES (?1, ?2, ?3)")?;
        let mut code = txn.prepare(
            "INSERT INTO join_codes (code, sitting_id, room_id, requires_card) VALUES (?1, 1, ?2, 0)",
        )?;
        let mut cand = txn.prepare(
            "INSERT INTO candidates (sitting_id, room_id, name, name_key, candidate_number)
             VALUES (1, ?1, ?2, ?3, ?4)",
        )?;
        let mut att = txn.prepare(
            "INSERT INTO attempts (candidate_id, token_hash, arrangement, started_at, deadline_at)
             VALUES (?1, ?2, '{}', ?3, ?4)",
        )?;
        let mut signal =
            txn.prepare("INSERT INTO signals (attempt_id, at, signal) VALUES (?1, ?2, ?3)")?;
        let mut site_ids = Vec::new();
        for s in 0..SITES {
            site.execute(params![
                format!("THPT Số {:02}", s + 1),
                format!("S{:02}", s + 1)
            ])?;
            site_ids.push(txn.last_insert_rowid());
        }
        let mut n = 0;
        for r in 0..rooms {
            room.execute(params![
                site_ids[r % SITES],
                format!("Phòng {:03}", r + 1),
                per_room as i64
            ])?;
            let room_id = txn.last_insert_rowid();
            code.execute(params![format!("B{:05}", r + 1), room_id])?;
            for i in 0..per_room {
                n += 1;
                let number = format!("{n:06}");
                cand.execute(params![
                    room_id,
                    format!("Thí sinh {number}"),
                    format!("sbd:{number}"),
                    number
                ])?;
                let candidate = txn.last_insert_rowid();
                if i < NOT_STARTED {
                    continue;
                }
                let token = format!("bench-{n:08}");
                let working = i >= NOT_STARTED + CHECKED_IN;
                att.execute(params![
                    candidate,
                    &hash_token(&token)[..],
                    working.then_some(started),
                    working.then_some(started + duration_ms)
                ])?;
                if working {
                    if r % 20 == 0 && i == NOT_STARTED + CHECKED_IN {
                        signal.execute(params![
                            txn.last_insert_rowid(),
                            started + 60_000,
                            r#"{"kind":"tab_hidden","ms":null}"#
                        ])?;
                    }
                    seats.push(Seat {
                        room: r,
                        candidate_id: candidate,
                        token,
                    });
                }
            }
        }
    }
    txn.commit()?;
    Ok(seats)
}

/// One student of the load: hello, then an answer every `period` (first
/// one after a random part of it), reading everything the relay sends.
async fn student(
    addr: std::net::SocketAddr,
    seat: Seat,
    questions: Arc<Vec<(QuestionId, u8)>>,
    period: Duration,
    stop: Arc<AtomicBool>,
    acked: Arc<AtomicU64>,
    seed: u64,
) {
    let Ok((ws, _)) = tokio_tungstenite::connect_async(format!("ws://{addr}/ws/student")).await
    else {
        return;
    };
    let (mut sink, mut stream) = ws.split();
    let hello = StudentToRelay::Hello {
        v: PROTOCOL_VERSION,
        token: seat.token,
        sent_at: now_ms(),
        tab: None,
    };
    if sink.send(Message::text(encode(&hello))).await.is_err() {
        return;
    }
    let mut seq = loop {
        match stream.next().await {
            Some(Ok(Message::Text(t))) => {
                if let Ok(RelayToStudent::Welcome { attempt, .. }) =
                    serde_json::from_str(t.as_str())
                {
                    break attempt.acked_seq;
                }
            }
            Some(Ok(_)) => {}
            _ => return,
        }
    };
    let reader = tokio::spawn(async move {
        while let Some(Ok(msg)) = stream.next().await {
            if let Message::Text(t) = msg
                && t.as_str().contains("\"type\":\"ack\"")
            {
                acked.fetch_add(1, Ordering::Relaxed);
            }
        }
    });
    let mut rng = SplitMix64::new(seed);
    tokio::time::sleep(Duration::from_millis(
        rng.next_u64() % period.as_millis().max(1) as u64,
    ))
    .await;
    while !stop.load(Ordering::Relaxed) {
        let (question, options) = questions[(rng.next_u64() % questions.len() as u64) as usize];
        seq += 1;
        let event = StudentToRelay::Event {
            seq,
            event: StudentEvent::Answer {
                question,
                value: Some(AnswerValue::Choice(OptionId(
                    (rng.next_u64() % u64::from(options)) as u8,
                ))),
            },
        };
        if sink.send(Message::text(encode(&event))).await.is_err() {
            break;
        }
        // Now and then the page is left: a warning, which changes the
        // room's summary (answers alone change only rows).
        if rng.next_u64().is_multiple_of(WARN_ONE_IN) {
            let signal = StudentToRelay::Signal {
                signal: Signal::TabHidden { ms: None },
            };
            if sink.send(Message::text(encode(&signal))).await.is_err() {
                break;
            }
        }
        tokio::time::sleep(period).await;
    }
    let _ = sink.close().await;
    reader.abort();
}

fn percentile(v: &[f64], p: f64) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    if v.is_empty() {
        return 0.0;
    }
    v[((v.len() - 1) as f64 * p).round() as usize]
}

/// The page's heap and DOM, as DevTools reports them.
async fn memory(page: &Page) -> serde_json::Value {
    page.execute(PerformanceEnable::default()).await.unwrap();
    let metrics = page.execute(GetMetricsParams::default()).await.unwrap();
    let metric = |name: &str| {
        metrics
            .result
            .metrics
            .iter()
            .find(|m| m.name == name)
            .map_or(0.0, |m| m.value)
    };
    let heap = page.execute(GetHeapUsageParams::default()).await.unwrap();
    let wasm_bytes = wasm_memory_bytes(page, "examgate_staff").await;
    let dom = page.execute(GetDomCountersParams::default()).await.unwrap();
    serde_json::json!({
        "js_heap_used_mb": metric("JSHeapUsedSize") / 1e6,
        "js_heap_total_mb": metric("JSHeapTotalSize") / 1e6,
        "runtime_heap_used_mb": heap.result.used_size / 1e6,
        "runtime_heap_total_mb": heap.result.total_size / 1e6,
        "wasm_memory_mb": wasm_bytes / 1e6,
        "dom_nodes": dom.result.nodes,
        "js_event_listeners": dom.result.js_event_listeners,
        "layout_count": metric("LayoutCount"),
        "recalc_style_count": metric("RecalcStyleCount"),
        "script_duration_s": metric("ScriptDuration"),
        "task_duration_s": metric("TaskDuration"),
    })
}

/// Frames and long tasks from now on, recorded in the page.
const FRAME_PROBE: &str = "(() => {
    window.__frames = []; window.__long = []; window.__stop = false;
    let last = performance.now();
    const frame = (t) => { window.__frames.push(t - last); last = t; if (!window.__stop) requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
    new PerformanceObserver((list) => list.getEntries().forEach((e) => window.__long.push(e.duration)))
        .observe({ type: 'longtask' });
    window.__touched = new Set(); window.__mutations = 0;
    new MutationObserver((records) => records.forEach((r) => {
        window.__mutations += 1;
        const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
        const row = el && el.closest('tr.room-summary');
        if (row) window.__touched.add(row.dataset.roomId);
    })).observe(document.querySelector('#room-summaries tbody'),
        { subtree: true, childList: true, characterData: true, attributes: true });
    return true;
})()";

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let rooms = env_or("PROCTOR_BENCH_ROOMS", 500);
    let per_room = env_or("PROCTOR_BENCH_PER_ROOM", 40);
    let students = env_or("PROCTOR_BENCH_STUDENTS", 2_000);
    let answers_per_s = env_or("PROCTOR_BENCH_ANSWERS_PER_S", 400).max(1);
    let seconds = env_or("PROCTOR_BENCH_SECONDS", 15) as u64;
    require_client();
    assert!(
        per_room > NOT_STARTED + CHECKED_IN,
        "rooms need working candidates"
    );

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("examgate.sqlite3");
    let exam = examgate_relay::seed::demo_exam();
    {
        let mut conn = examgate_relay::store::open(&db).unwrap();
        let mut opts = DemoOptions::starting(now_ms());
        // Open since before the seeded attempts started.
        opts.opens_at = now_ms() - 3_600_000;
        opts.fixed_password = Some(PASSWORD.into());
        // The folder's key, which the relay then finds at start.
        let at_rest = examgate_relay::at_rest::AtRest::load_or_create(dir.path()).unwrap();
        let txn = conn.transaction().unwrap();
        seed_demo(examgate_relay::store::db::Db::sqlite(&txn), &opts, &at_rest).unwrap();
        txn.commit().unwrap();
    }
    let t = Instant::now();
    let duration_ms = i64::from(exam.duration_secs) * 1000;
    let seats = seed(&db, rooms, per_room, duration_ms).unwrap();
    let seed_s = t.elapsed().as_secs_f64();
    let total_rooms = rooms + 3;
    eprintln!(
        "seeded {rooms} rooms × {per_room} candidates ({} working) in {seed_s:.1} s",
        seats.len()
    );

    let t = Instant::now();
    let config = Config {
        www_dir: workspace_root().join("www"),
        ..Config::default()
    };
    let booted = boot(dir.path(), config, Start::Demo(None)).unwrap();
    let boot_s = t.elapsed().as_secs_f64();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(listener, booted.state, std::future::pending()));
    eprintln!("relay loaded in {boot_s:.1} s on {addr}");

    // The load: every room's first working candidates, spread evenly, so
    // every room's summary keeps changing, the open rooms' rows too.
    let questions: Arc<Vec<(QuestionId, u8)>> = Arc::new(
        exam.questions
            .iter()
            .filter_map(|q| match &q.body {
                Body::SingleChoice { options, .. } => Some((q.id, options.len() as u8)),
                _ => None,
            })
            .collect(),
    );
    let working_per_room = per_room - NOT_STARTED - CHECKED_IN;
    let per_room_load = students.div_ceil(rooms).min(working_per_room);
    let load: Vec<Seat> = seats
        .chunks(working_per_room)
        .flat_map(|room| room.iter().take(per_room_load).cloned())
        .take(students)
        .collect();
    let period = Duration::from_millis((load.len() as u64 * 1000) / answers_per_s as u64);
    let stop = Arc::new(AtomicBool::new(false));
    let acked = Arc::new(AtomicU64::new(0));
    let t = Instant::now();
    let mut tasks = Vec::new();
    for (i, seat) in load.iter().cloned().enumerate() {
        tasks.push(tokio::spawn(student(
            addr,
            seat,
            questions.clone(),
            period,
            stop.clone(),
            acked.clone(),
            i as u64 + 1,
        )));
        if i % 100 == 99 {
            // Let the relay greet them in batches rather than all at once.
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    let connect_s = t.elapsed().as_secs_f64();
    eprintln!(
        "{} students connecting, one answer each every {period:?}",
        load.len()
    );

    let chromium = Chromium::launch().await;
    let page = chromium.new_person(&format!("http://{addr}/proctor")).await;
    type_into(&page, "#login-user", "central").await;
    type_into(&page, "#login-pass", PASSWORD).await;
    eval::<bool>(&page, "(window.__t0 = performance.now(), true)").await;
    click(&page, "#login-submit").await;
    wait_for(
        &page,
        &format!(
            "document.querySelectorAll('#room-summaries tr.room-summary').length === {total_rooms}"
        ),
        LONG,
    )
    .await;
    let summaries_shown_ms: f64 = eval(&page, "performance.now() - window.__t0").await;
    eprintln!("summaries table shown {summaries_shown_ms:.0} ms after signing in");
    let memory_summaries = memory(&page).await;

    // Filtering to rooms with warnings and back.
    eval::<bool>(&page, "(window.__t0 = performance.now(), true)").await;
    click(&page, "#filter-warnings").await;
    wait_for(
        &page,
        &format!(
            "document.querySelectorAll('#room-summaries tr.room-summary').length < {total_rooms}"
        ),
        LONG,
    )
    .await;
    let filter_ms: f64 = eval(&page, "performance.now() - window.__t0").await;
    click(&page, "#filter-warnings").await;
    wait_for(
        &page,
        &format!(
            "document.querySelectorAll('#room-summaries tr.room-summary').length === {total_rooms}"
        ),
        LONG,
    )
    .await;

    // Open rooms one by one (the seeded ones with load in them).
    let mut open_ms = Vec::new();
    for r in 0..OPEN_ROOMS.min(rooms) {
        let name = format!("Phòng {:03}", r + 1);
        eval::<bool>(&page, "(window.__t0 = performance.now(), true)").await;
        eval::<bool>(
            &page,
            &format!(
                "(() => {{ const row = [...document.querySelectorAll('#room-summaries tr.room-summary')]
                    .find(r => r.querySelector('.room-name').innerText.includes('{name}'));
                  row.querySelector('.open-room').click(); return true; }})()"
            ),
        )
        .await;
        wait_for(
            &page,
            &format!(
                "document.querySelectorAll('.room').length === {} && [...document.querySelectorAll('.room')].every(r => r.querySelectorAll('tr.candidate').length === {per_room})",
                r + 1
            ),
            LONG,
        )
        .await;
        open_ms.push(eval::<f64>(&page, "performance.now() - window.__t0").await);
    }

    // Frames while patches stream.
    let acked_before = acked.load(Ordering::Relaxed);
    eval::<bool>(&page, FRAME_PROBE).await;
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    let frames: Vec<f64> = eval(&page, "(window.__stop = true, window.__frames.slice(1))").await;
    let long_tasks: Vec<f64> = eval(&page, "window.__long").await;
    let summary_mutations: u64 = eval(&page, "window.__mutations").await;
    let summary_rows_touched: u64 = eval(&page, "window.__touched.size").await;
    let answers_acked = acked.load(Ordering::Relaxed) - acked_before;
    let memory_streaming = memory(&page).await;

    // One answer's way to an open room's row: a working candidate of the
    // first open room whom the load leaves alone answers a new question
    // each round; the row's count changes on screen (polled every 50 ms).
    let mut latency_ms = Vec::new();
    if let Some(seat) = seats.get(per_room_load).filter(|s| s.room == 0).cloned() {
        let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/ws/student"))
            .await
            .unwrap();
        let (mut sink, mut stream) = ws.split();
        sink.send(Message::text(encode(&StudentToRelay::Hello {
            v: PROTOCOL_VERSION,
            token: seat.token,
            sent_at: now_ms(),
            tab: None,
        })))
        .await
        .unwrap();
        let mut seq = 0;
        while let Some(Ok(msg)) = stream.next().await {
            if let Message::Text(t) = msg
                && let Ok(RelayToStudent::Welcome { attempt, .. }) =
                    serde_json::from_str(t.as_str())
            {
                seq = attempt.acked_seq;
                break;
            }
        }
        tokio::spawn(async move { while stream.next().await.is_some() {} });
        let answered = format!(
            "document.querySelector(\".room tr.candidate[data-candidate-id='{}'] .answered\")?.innerText",
            seat.candidate_id
        );
        for (round, &(question, _)) in questions.iter().take(5).enumerate() {
            let t = Instant::now();
            seq += 1;
            let answer = StudentToRelay::Event {
                seq,
                event: StudentEvent::Answer {
                    question,
                    value: Some(AnswerValue::Choice(OptionId(0))),
                },
            };
            sink.send(Message::text(encode(&answer))).await.unwrap();
            wait_for(
                &page,
                &format!("{answered} === '{}/{}'", round + 1, exam.questions.len()),
                LONG,
            )
            .await;
            latency_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }

    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        let _ = t.await;
    }
    chromium.close().await;

    let report = serde_json::json!({
        "benchmark": "central proctor view: N rooms × M candidates behind one page in headless Chromium, students answering over WebSockets",
        "rooms": total_rooms,
        "seeded_rooms": rooms,
        "candidates_per_room": per_room,
        "rows": rooms * per_room,
        "sites": SITES,
        "load_students": load.len(),
        "load_answers_per_s_target": answers_per_s,
        "load_warnings": format!("one answer in {WARN_ONE_IN} followed by a tab_hidden signal"),
        "machine": "2 cores; relay, Chromium, the load and this harness share them; loopback",
        "seed_s": seed_s,
        "relay_load_s": boot_s,
        "load_connect_s": connect_s,
        "summaries_shown_ms": summaries_shown_ms,
        "what_summaries_shown_measures": "click on sign-in → every room's summary line on screen (login, feed hello, snapshot of all summaries, decode in wasm, sort problems first, render)",
        "filter_warnings_ms": filter_ms,
        "open_room_ms": open_ms,
        "streaming_seconds": seconds,
        "streaming_answers_acked": answers_acked,
        "streaming_answers_per_s": answers_acked as f64 / seconds as f64,
        "open_rooms_while_streaming": OPEN_ROOMS.min(rooms),
        "frames": frames.len(),
        "frame_ms_p50": percentile(&frames, 0.5),
        "frame_ms_p95": percentile(&frames, 0.95),
        "frame_ms_p99": percentile(&frames, 0.99),
        "frame_ms_max": percentile(&frames, 1.0),
        "frames_over_50ms": frames.iter().filter(|&&f| f > 50.0).count(),
        "long_tasks": long_tasks.len(),
        "summary_dom_mutations": summary_mutations,
        "summary_rows_touched": summary_rows_touched,
        "what_summary_mutations_count": "DOM changes inside the summaries table while streaming (summaries patches at most once a second), and how many distinct room lines they touched",
        "long_task_ms_max": percentile(&long_tasks, 1.0),
        "row_patch_latency_ms": latency_ms,
        "what_row_patch_latency_measures": "a student's answer sent → the open room's row shows the new count (relay commit, row patch, reducer, render; the page is polled every 50 ms)",
        "memory_after_summaries": memory_summaries,
        "memory_while_streaming": memory_streaming,
        "memory_note": "JS heap as DevTools counts it, plus the wasm module's linear memory (which holds the dashboard's state); DOM nodes include the open rooms' tables",
    });
    let out = workspace_root().join("target/bench");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(
        out.join("proctor-view.json"),
        serde_json::to_string_pretty(&report).unwrap(),
    )
    .unwrap();
    println!("{}", serde_json::to_string_pretty(&report).unwrap());
}
