//! Results at scale: a sitting of 100,000 graded candidates (the demo's
//! 22-question Math paper, every candidate answering every question) opened
//! on the teachers' results page in headless Chromium against the real
//! relay. Measures the relay's start (replaying 2.2 million answer events),
//! the results JSON, and in the browser the time from clicking the sitting
//! to its statistics and the first page of candidates on screen, then
//! paging and narrowing by room. Writes `target/bench/results-page.json`.
//!
//! `cargo xtask bench` runs it after building the client; plain `fn main`,
//! no harness. `RESULTS_BENCH_CANDIDATES` sets another size.

use std::time::{Duration, Instant};

use examgate_relay::boot::{Start, boot};
use examgate_relay::seed::{DemoOptions, seed_demo};
use examgate_relay::{Config, serve};
use examgate_shared::answer::AnswerValue;
use examgate_shared::attempt::StudentEvent;
use examgate_shared::exam::{Body, Exam, OptionId};
use examgate_shared::shuffle::SplitMix64;
use examgate_tests::browser::{Chromium, click, eval, type_into, wait_for};
use examgate_tests::{now_ms, workspace_root};
use rusqlite::params;

const PASSWORD: &str = "bench-password";
const ROOMS: usize = 100;
const LONG: Duration = Duration::from_secs(120);

/// One answer per question, drawn so that stronger candidates answer more
/// right (the analysis then has something to discriminate).
fn answer(q: &examgate_shared::exam::Question, ability: f64, rng: &mut SplitMix64) -> AnswerValue {
    let right = (rng.next_u64() % 1000) as f64 / 1000.0 < ability;
    match &q.body {
        Body::SingleChoice { options, key, .. } => {
            let other = (key.0 as u64 + 1 + rng.next_u64() % (options.len() as u64 - 1))
                % options.len() as u64;
            AnswerValue::Choice(if right { *key } else { OptionId(other as u8) })
        }
        Body::TrueFalse { keys, .. } => AnswerValue::TrueFalse(
            keys.iter()
                .map(|&truth| {
                    Some(if right {
                        truth
                    } else {
                        rng.next_u64().is_multiple_of(2)
                    })
                })
                .collect(),
        ),
        Body::Numeric { key, .. } => {
            AnswerValue::Typed(if right { key.to_string() } else { "-99".into() })
        }
        Body::MultipleResponse { keys, .. } => AnswerValue::Choices(if right {
            keys.clone()
        } else {
            Default::default()
        }),
    }
}

/// Writes `n` candidates in `ROOMS` rooms, each with a submitted attempt
/// answering every question, straight into the database (as a relay that
/// ran the exam would have left it).
fn seed(db: &std::path::Path, exam: &Exam, n: usize) -> rusqlite::Result<usize> {
    let mut conn = rusqlite::Connection::open(db)?;
    conn.pragma_update(None, "synchronous", "OFF")?;
    let txn = conn.transaction()?;
    let mut rooms = Vec::new();
    for r in 0..ROOMS {
        txn.execute(
            "INSERT INTO rooms (site_id, name, seats) VALUES (1, ?1, 1000)",
            [format!("Phòng {:03}", r + 1)],
        )?;
        rooms.push(txn.last_insert_rowid());
    }
    let mut rng = SplitMix64::new(2026);
    let start = now_ms() - 3_600_000;
    let mut events = 0;
    {
        let mut cand = txn.prepare(
            "INSERT INTO candidates (sitting_id, room_id, name, name_key, candidate_number)
             VALUES (1, ?1, ?2, ?3, ?4)",
        )?;
        let mut att = txn.prepare(
            "INSERT INTO attempts (candidate_id, token_hash, arrangement, started_at, deadline_at,
                                   final_status, finished_at)
             VALUES (?1, ?2, '{}', ?3, ?4, 'submitted', ?5)",
        )?;
        let mut ev = txn.prepare(
            "INSERT INTO events (attempt_id, seq, received_at, event) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for i in 0..n {
            let number = format!("{:06}", i + 1);
            let name = format!("Thí sinh {number}");
            cand.execute(params![
                rooms[i % ROOMS],
                name,
                format!("sbd:{number}"),
                number
            ])?;
            let candidate = txn.last_insert_rowid();
            let mut token = [0u8; 32];
            token[..8].copy_from_slice(&(i as u64).to_le_bytes());
            att.execute(params![
                candidate,
                &token[..],
                start,
                start + 2_700_000,
                start + 600_000
            ])?;
            let attempt = txn.last_insert_rowid();
            let ability = (rng.next_u64() % 1000) as f64 / 1000.0;
            let mut seq = 0;
            for q in &exam.questions {
                seq += 1;
                let event = StudentEvent::Answer {
                    question: q.id,
                    value: Some(answer(q, ability, &mut rng)),
                };
                ev.execute(params![
                    attempt,
                    seq,
                    start + seq * 1000,
                    serde_json::to_string(&event).unwrap()
                ])?;
                events += 1;
            }
            seq += 1;
            ev.execute(params![
                attempt,
                seq,
                start + 600_000,
                serde_json::to_string(&StudentEvent::Submit).unwrap()
            ])?;
        }
    }
    txn.commit()?;
    Ok(events)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let n: usize = std::env::var("RESULTS_BENCH_CANDIDATES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    examgate_tests::browser::require_client();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("examgate.sqlite3");
    let exam = examgate_relay::seed::demo_exam();
    {
        let mut conn = examgate_relay::store::open(&db).unwrap();
        let mut opts = DemoOptions::starting(now_ms());
        opts.fixed_password = Some(PASSWORD.into());
        // The folder's key, which the relay then finds at start.
        let at_rest = examgate_relay::at_rest::AtRest::load_or_create(dir.path()).unwrap();
        let txn = conn.transaction().unwrap();
        seed_demo(examgate_relay::store::db::Db::sqlite(&txn), &opts, &at_rest).unwrap();
        txn.commit().unwrap();
    }
    let t = Instant::now();
    let events = seed(&db, &exam, n).unwrap();
    let seed_s = t.elapsed().as_secs_f64();
    eprintln!("seeded {n} candidates, {events} answer events in {seed_s:.1} s");

    let t = Instant::now();
    let config = Config {
        www_dir: workspace_root().join("www"),
        ..Config::default()
    };
    let booted = boot(dir.path(), config, Start::Demo(None)).unwrap();
    let boot_s = t.elapsed().as_secs_f64();
    eprintln!("relay loaded in {boot_s:.1} s");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(listener, booted.state, std::future::pending()));

    // The results JSON on its own, as the page fetches it.
    let http = reqwest::Client::new();
    let login: serde_json::Value = http
        .post(format!("http://{addr}/api/login"))
        .json(&serde_json::json!({"username": "giaovien", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["token"].as_str().unwrap().to_owned();
    let mut json_ms = Vec::new();
    let mut json_bytes = 0;
    for _ in 0..3 {
        let t = Instant::now();
        let body = http
            .get(format!("http://{addr}/api/sittings/1/results"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        json_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        json_bytes = body.len();
    }

    let chromium = Chromium::launch().await;
    let mut open_ms = Vec::new();
    let mut page_ms = Vec::new();
    let mut filter_ms = Vec::new();
    for run in 0..3 {
        let page = chromium.new_person(&format!("http://{addr}/results")).await;
        if run == 0 || !eval::<bool>(&page, "!!document.querySelector('li.sitting')").await {
            type_into(&page, "#login-user", "giaovien").await;
            type_into(&page, "#login-pass", PASSWORD).await;
            click(&page, "#login-submit").await;
        }
        wait_for(
            &page,
            "!!document.querySelector('li.sitting button.sitting-open')",
            LONG,
        )
        .await;
        let _: bool = eval(&page, "(window.__t0 = performance.now(), true)").await;
        click(&page, "li.sitting button.sitting-open").await;
        wait_for(
            &page,
            &format!(
                "document.querySelectorAll('#result-rows tr.result-row').length === 100 && document.querySelector('#rows-page')?.dataset.matching === '{n}' && document.querySelectorAll('table#items tr.item').length === 22"
            ),
            LONG,
        )
        .await;
        let ms: f64 = eval(&page, "performance.now() - window.__t0").await;
        open_ms.push(ms);
        // The next page, then one room of the hundred.
        let _: bool = eval(&page, "(window.__t0 = performance.now(), true)").await;
        click(&page, "#rows-next").await;
        wait_for(
            &page,
            "document.querySelector('#rows-page')?.dataset.page === '1'",
            LONG,
        )
        .await;
        page_ms.push(eval::<f64>(&page, "performance.now() - window.__t0").await);
        let _: bool = eval(
            &page,
            "(window.__t0 = performance.now(), (() => { const s = document.querySelector('#rows-room'); s.value = s.options[2].value; s.dispatchEvent(new Event('change', {bubbles: true})); })(), true)",
        )
        .await;
        wait_for(
            &page,
            &format!(
                "document.querySelector('#rows-page')?.dataset.matching === '{}'",
                n / ROOMS
            ),
            LONG,
        )
        .await;
        filter_ms.push(eval::<f64>(&page, "performance.now() - window.__t0").await);
        let _ = page.close().await;
    }
    chromium.close().await;

    let report = serde_json::json!({
        "benchmark": "results page: a sitting of N graded candidates opened in headless Chromium",
        "candidates": n,
        "rooms": ROOMS,
        "answer_events": events,
        "machine": "2 cores; relay, Chromium and this harness share them; loopback",
        "seed_s": seed_s,
        "relay_load_s": boot_s,
        "results_json_bytes": json_bytes,
        "results_json_ms": json_ms,
        "results_json_first_ms": json_ms[0],
        "results_json_note": "the first request grades, analyses and serialises the sitting (as the relay does when a sitting's last attempt ends, for its snapshot); later ones are served from the cache until an attempt ends or a key is corrected",
        "open_ms": open_ms,
        "open_ms_median": median(open_ms.clone()),
        "next_page_ms": page_ms,
        "filter_room_ms": filter_ms,
        "target_open_ms": 2000,
        "what_open_measures": "click on the sitting → statistics, 22 item rows and the first 100 candidates on screen (fetch of the computed results, JSON decode in wasm, render)",
    });
    let out = workspace_root().join("target/bench");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(
        out.join("results-page.json"),
        serde_json::to_string_pretty(&report).unwrap(),
    )
    .unwrap();
    println!("{}", serde_json::to_string_pretty(&report).unwrap());
}
