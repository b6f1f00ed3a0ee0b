//! The examgate relay: one process that serves the exam client, owns the
//! clock, stores every answer durably before acknowledging it, closes and
//! grades attempts at their deadline, and feeds the proctor views live.
//!
//! The exam rules themselves live in `examgate_shared`; this crate is the IO
//! shell that drives them.
//!
//! # Layout
//!
//! - [`app`]: the router (HTTP API, WebSockets, static files), testable
//!   without a port; [`serve`] runs it with the deadline task.
//! - [`boot`]: opening the database, seeding the demo, loading the state.
//! - [`state`]: the in-memory state and its locking rules.
//! - [`at_rest`]: check-in evidence sealed with the data folder's key.
//! - [`bank`]: the question bank: imports, versions, search, export,
//!   papers from blueprints, practice exams, and what sittings teach it.
//! - [`attempts`]: join, start, take an event, close — persist, then apply.
//! - [`audit`]: the hash chains checked from outside (`audit verify`,
//!   `audit export`) and the chain head staff pages print.
//! - [`checkin`]: chip-ID check-in: challenges, the verdict on a card,
//!   the proctor's decision, seats and seat codes; [`photo`] makes the chip
//!   photo showable.
//! - `demo_reader` (feature `demo`): the demo's software card reader
//!   (`--demo-reader`).
//! - [`deadlines`]: the task that closes attempts at their deadline.
//! - [`office`]: the exam office: planning, rosters, accounts, the set-up
//!   link, hand-in and retention.
//! - [`control`]: applying a control (extra time, pause, resume, end,
//!   reopen, the deadline close) to one attempt — persist, then apply.
//! - [`oversight`]: proctors' actions with reasons, incidents, messages,
//!   integrity warnings, room summaries, search and timelines.
//! - [`practice`]: practice exams with several tries: whose join starts a
//!   new try, which try counts.
//! - [`regrade`]: key corrections and regrading, with the audit record.
//! - [`results`]: a sitting's results and item analysis; stored snapshots.
//! - [`handin`]: the results hand-in workbook (.xlsx) and the inspection
//!   package (zip with a SHA-256 manifest).
//! - [`live`]: connected students and the proctor feed.
//! - [`memory`]: why mimalloc (and one glibc arena for SQLite), and a trim
//!   of both after each burst of joins (resident memory per connection).
//! - [`listen`]: the listening socket's backlog, the open-file limit and
//!   the connection gate (503 `overloaded` past it).
//! - [`roster`]: room tables for proctors.
//! - [`http`]: `/api/join`, `/api/login`, staff endpoints with role checks.
//! - [`ws`]: `/ws/student`, `/ws/proctor`.
//! - [`store`]: SQLite schema, loading, the group-commit writer.
//! - [`auth`]: tokens, password hashes, sessions.
//! - `seed` (feature `demo`): the demo exam, rooms and accounts.
//! - [`rehearsal`]: a fresh data folder seeded for a load rehearsal
//!   (`examgate-relay rehearsal`).
//! - [`model`], [`clock`]: records and the relay's clock.

pub mod at_rest;
pub mod attempts;
pub mod audit;
pub mod auth;
pub mod bank;
pub mod boot;
pub mod bus;
pub mod checkin;
pub mod clock;
pub mod cluster;
pub mod control;
pub mod deadlines;
#[cfg(feature = "demo")]
pub mod demo_reader;
pub mod handin;
pub mod http;
pub mod keyed_lock;
pub mod listen;
pub mod live;
pub mod memory;
pub mod model;
pub mod office;
pub mod oversight;
pub mod photo;
mod photo_size;
pub mod practice;
pub mod regrade;
pub mod rehearsal;
pub mod results;
pub mod roster;
#[cfg(feature = "demo")]
pub mod seed;
pub mod state;
pub mod store;
pub mod timings;
pub mod web;
pub mod ws;

use std::future::Future;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use examgate_shared::bank::api::MAX_IMPORT_BYTES;
use examgate_shared::checkin::MAX_CHECKIN_BYTES;
use examgate_shared::office::api::MAX_ROSTER_BYTES;

/// Largest paper (exam definition with embedded figures) the office uploads.
pub const MAX_PAPER_BYTES: usize = 8 * 1024 * 1024;

pub use state::{AppState, Config};

/// The whole relay as a router.
pub fn app(state: AppState) -> Router {
    let static_files = web::static_files(&state.config.www_dir);
    let demo = state.config.demo_routes.clone().unwrap_or_default();
    let router = Router::new()
        .route("/api/health", get(|| async { "ok" }))
        .route("/api/metrics", get(http::metrics::metrics))
        .route("/api/join", post(http::join::join))
        .route("/api/login", post(http::login::login))
        .route("/api/logout", post(http::login::logout))
        .route("/api/audit/head", get(http::audit::head))
        .route("/api/trust", get(http::trust::report))
        .route("/api/exams/{id}/corrections", post(http::exams::correct))
        .route("/api/sittings", get(http::results::sittings))
        .route(
            "/api/sittings/{id}/results",
            get(http::results::results_json),
        )
        .route(
            "/api/sittings/{id}/results.csv",
            get(http::results::results_csv_export),
        )
        .route("/api/checkin/challenge", post(http::checkin::challenge))
        .route(
            "/api/checkin",
            post(http::checkin::check_in).layer(DefaultBodyLimit::max(MAX_CHECKIN_BYTES)),
        )
        .route("/api/checkin/{id}", get(http::checkin::poll))
        .route("/api/checkins/{id}/photo", get(http::checkin::photo))
        .route("/api/checkins/{id}/decision", post(http::checkin::decide))
        .route("/api/checkins/{id}/release", post(http::checkin::release))
        .route("/api/setup", post(http::office::setup))
        .route("/api/office/plan", get(http::office::plan))
        .route("/api/office/events", post(http::office::create_event))
        .route("/api/office/sites", post(http::office::create_site))
        .route("/api/office/rooms", post(http::office::create_room))
        .route(
            "/api/office/papers",
            post(http::office::add_paper).layer(DefaultBodyLimit::max(MAX_PAPER_BYTES)),
        )
        .route(
            "/api/office/events/{id}/shifts",
            post(http::office::create_shift),
        )
        .route(
            "/api/office/events/{id}/roster",
            post(http::office::import_roster)
                .layer(DefaultBodyLimit::max(MAX_ROSTER_BYTES))
                .get(http::office::roster),
        )
        .route(
            "/api/office/events/{id}/publish",
            post(http::office::publish),
        )
        .route(
            "/api/office/events/{id}/results.xlsx",
            get(http::office::results_xlsx),
        )
        .route(
            "/api/office/events/{id}/inspection.zip",
            get(http::office::inspection_package),
        )
        .route(
            "/api/office/events/{id}/candidates/{number}",
            get(http::office::candidate),
        )
        .route(
            "/api/office/codes/{code}",
            post(http::office::set_card_room),
        )
        .route("/api/office/accounts", post(http::office::create_account))
        .route(
            "/api/office/accounts/{username}",
            post(http::office::change_account),
        )
        .route(
            "/api/bank/import",
            post(http::bank::import).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES)),
        )
        .route("/api/bank/items", get(http::bank::search))
        .route(
            "/api/bank/items/{id}",
            get(http::bank::item)
                .post(http::bank::edit)
                .layer(DefaultBodyLimit::max(MAX_PAPER_BYTES)),
        )
        .route("/api/bank/items/{id}/share", post(http::bank::share))
        .route("/api/bank/export", get(http::bank::export))
        .route("/api/bank/papers", post(http::bank::paper))
        .route("/api/bank/papers/{id}/print", get(http::bank::print))
        .route("/api/bank/practice", post(http::bank::practice))
        .route("/api/proctor/actions", post(http::proctor::act))
        .route("/api/proctor/incidents", post(http::proctor::incident))
        .route("/api/proctor/messages", post(http::proctor::message))
        .route(
            "/api/proctor/candidates/{id}",
            get(http::proctor::candidate),
        )
        .route("/api/proctor/search", get(http::proctor::search))
        .route("/ws/student", get(ws::student::upgrade))
        .route("/ws/proctor", get(ws::proctor::upgrade))
        .merge(static_files)
        .layer(DefaultBodyLimit::max(http::MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            cluster::tell_changes,
        ))
        .with_state(state)
        .merge(demo);
    web::harden(router)
}

/// Serves `state` on `listener` until `shutdown` resolves, with the task
/// that closes attempts at their deadline.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let closer = tokio::spawn(deadlines::run_closer(state.clone()));
    let summaries = tokio::spawn(oversight::summaries::run_summaries(state.clone()));
    let trim = tokio::spawn(memory::trim_after_bursts(state.clone()));
    // With other relays: attempts due that no live relay knows (started on
    // one that died) are found in the database.
    let overdue = state
        .clustered()
        .then(|| tokio::spawn(cluster::run_overdue_sweep(state.clone())));
    let warm = state.clone();
    tokio::spawn(async move { warm.warm_results().await });
    let listener = listen::GatedListener::new(listener, state.gate.clone());
    // Connections carry their peer address: a change mid-attempt is an
    // integrity warning.
    let service = app(state).into_make_service_with_connect_info::<listen::Peer>();
    let result = axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await;
    closer.abort();
    summaries.abort();
    trim.abort();
    if let Some(overdue) = overdue {
        overdue.abort();
    }
    result
}
