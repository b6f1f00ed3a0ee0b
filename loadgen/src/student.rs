//! One simulated examgate student, written from docs/protocol.md.
//!
//! Joins over HTTP (retrying after `Retry-After` when the relay is full),
//! opens `/ws/student`, says hello and takes the welcome; then answers a
//! random valid question every interval (jittered), pings every 10 s as
//! the page does, and keeps every answer in the shared [`Outbox`] until it
//! is acknowledged — across dropped connections, reconnects (its own churn,
//! or the relay killed under it) and out-of-order replies, exactly as the
//! browser client does. It remembers every event it numbered, so the chaos
//! check can compare the relay's store with what the student did.

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use examgate_shared::answer::AnswerValue;
use examgate_shared::attempt::StudentEvent;
use examgate_shared::outbox::Outbox;
use examgate_shared::paper::{Paper, PaperBody};
use examgate_shared::protocol::{
    JoinRequest, JoinResponse, PROTOCOL_VERSION, RelayToStudent, StudentToRelay, encode,
};
use examgate_shared::shuffle::SplitMix64;
use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message;

use crate::http1;
use crate::stats::Stats;

/// The page pings this often (and the relay drops a connection silent for
/// 60 s).
const PING_EVERY: Duration = Duration::from_secs(10);
/// How long after its plan ends a student waits for its last acks.
const DRAIN_LIMIT: Duration = Duration::from_secs(30);
/// How long to wait for a welcome before trying again.
const WELCOME_TIMEOUT: Duration = Duration::from_secs(30);

/// What one student does.
#[derive(Debug, Clone)]
pub struct Plan {
    pub server: SocketAddr,
    /// Other relays of the same deployment: each reconnect goes to the
    /// next one, round the list (what a load balancer does when a relay
    /// dies or a connection drops).
    pub also: Vec<SocketAddr>,
    pub source: Option<IpAddr>,
    pub code: String,
    pub name: String,
    /// Mean time between answers; `None`: connect and stay idle (pings
    /// only).
    pub interval: Option<Duration>,
    /// Answer from then (the first answer falls at a random point of the
    /// first interval after it)…
    pub answer_from: Instant,
    /// …until then, then stop (and submit, if asked).
    pub answer_until: Instant,
    /// Stay connected until then (idle students, memory steps).
    pub hold_until: Instant,
    /// Drop the connection once at this moment and reconnect.
    pub drop_at: Option<Instant>,
    pub submit: bool,
    pub seed: u64,
}

/// Where sends wait for the proctor's row: the student's name → the
/// moment its latest answer left.
pub type FanoutClock = Arc<Mutex<HashMap<String, Instant>>>;

/// What the student did, for the chaos check.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub name: String,
    pub attempt_id: Option<u64>,
    /// Every event this student numbered, by number.
    pub events: BTreeMap<u64, StudentEvent>,
    /// The highest number the relay acknowledged (or refused).
    pub acked: u64,
    /// Events the relay refused.
    pub refused: Vec<u64>,
    /// Outbox left unsent at the end (should be empty).
    pub unsent: usize,
    pub finished: bool,
    /// Welcomes that disagreed with what this student did: a lower
    /// `acked_seq` than the relay had acknowledged, or answers other than
    /// the replay of its own events up to `acked_seq`.
    pub mismatches: Vec<String>,
}

/// Why a connection ended.
enum Ended {
    /// Our plan is done.
    Done,
    /// Reconnect (dropped, killed, churn).
    Again,
    /// Refused for good (unknown token, …).
    Fatal,
}

pub struct Student {
    plan: Plan,
    stats: Arc<Mutex<Stats>>,
    fanout: Option<FanoutClock>,
    rng: SplitMix64,
    outbox: Outbox,
    outcome: Outcome,
    paper: Option<Paper>,
    /// When each unacknowledged answer left.
    sent_at: BTreeMap<u64, Instant>,
    token: Option<String>,
    tab: String,
    welcomed_once: bool,
    next_answer: Instant,
    /// Called once: at the first welcome, or when the student gives up.
    on_welcome: Option<Box<dyn FnOnce() + Send>>,
    /// What the chaos driver watches while it runs.
    progress: Option<Progress>,
}

/// A student's events and acks as they happen, shared with the chaos
/// driver (which checks each restarted relay's proctor view against them).
pub type Progress = Arc<Mutex<HashMap<String, Seen>>>;

/// What one student has numbered and had acknowledged so far.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    pub events: Vec<StudentEvent>,
    pub acked: u64,
}

impl Student {
    pub fn new(plan: Plan, stats: Arc<Mutex<Stats>>, fanout: Option<FanoutClock>) -> Student {
        let mut rng = SplitMix64::new(plan.seed);
        let tab = format!("lg{:x}", rng.next_u64());
        let first = match plan.interval {
            Some(i) => {
                plan.answer_from.max(Instant::now()) + i.mul_f64((rng.below(1000) as f64) / 1000.0)
            }
            None => plan.hold_until,
        };
        Student {
            outcome: Outcome {
                name: plan.name.clone(),
                ..Outcome::default()
            },
            plan,
            stats,
            fanout,
            rng,
            outbox: Outbox::default(),
            paper: None,
            sent_at: BTreeMap::new(),
            token: None,
            tab,
            welcomed_once: false,
            next_answer: first,
            on_welcome: None,
            progress: None,
        }
    }

    pub fn with_on_welcome(mut self, f: Box<dyn FnOnce() + Send>) -> Student {
        self.on_welcome = Some(f);
        self
    }

    pub fn with_progress(mut self, progress: Progress) -> Student {
        self.progress = Some(progress);
        self
    }

    fn note_progress(&self) {
        if let Some(p) = &self.progress {
            let mut p = p.lock().expect("progress lock");
            let seen = p.entry(self.plan.name.clone()).or_default();
            seen.events = self.outcome.events.values().cloned().collect();
            seen.acked = self.outcome.acked;
        }
    }

    fn stats(&self) -> std::sync::MutexGuard<'_, Stats> {
        self.stats.lock().expect("stats lock")
    }

    /// Joins, then works until the plan is done. Returns what it did.
    pub async fn run(mut self) -> Outcome {
        if !self.join().await {
            if let Some(f) = self.on_welcome.take() {
                f();
            }
            return self.outcome;
        }
        let mut backoff = Duration::from_millis(100);
        loop {
            match self.connection().await {
                Ended::Done => break,
                Ended::Fatal => break,
                Ended::Again => {
                    let now = Instant::now();
                    if now >= self.plan.hold_until
                        && (self.outbox.is_empty() || now >= self.plan.hold_until + DRAIN_LIMIT)
                    {
                        break;
                    }
                    self.stats().reconnects += 1;
                    if !self.plan.also.is_empty() {
                        let next = self.plan.also.remove(0);
                        let left = std::mem::replace(&mut self.plan.server, next);
                        self.plan.also.push(left);
                    }
                    let jitter = Duration::from_millis(self.rng.below(200));
                    tokio::time::sleep(backoff + jitter).await;
                    backoff = (backoff * 2).min(Duration::from_secs(2));
                }
            }
            if self.welcomed_once {
                backoff = Duration::from_millis(100);
            }
        }
        self.outcome.unsent = self.outbox.len();
        if let Some(f) = self.on_welcome.take() {
            f();
        }
        self.outcome
    }

    async fn join(&mut self) -> bool {
        let body = encode(&JoinRequest {
            code: self.plan.code.clone(),
            name: self.plan.name.clone(),
            resume_token: None,
            seat_code: None,
            candidate_number: None,
            birth: None,
        });
        for _ in 0..100 {
            let t0 = Instant::now();
            match http1::post_json(self.plan.server, self.plan.source, "/api/join", &body).await {
                Ok(r) if r.status == 200 => {
                    self.stats().join.record(t0.elapsed());
                    match serde_json::from_str::<JoinResponse>(&r.body) {
                        Ok(j) => {
                            self.outcome.attempt_id = Some(j.attempt_id);
                            self.token = Some(j.token);
                            return true;
                        }
                        Err(_) => {
                            self.stats().error("join:unreadable");
                            return false;
                        }
                    }
                }
                Ok(r) => {
                    let code = serde_json::from_str::<serde_json::Value>(&r.body)
                        .ok()
                        .and_then(|v| v["code"].as_str().map(str::to_string))
                        .unwrap_or_else(|| format!("http{}", r.status));
                    self.stats().error(format!("join:{code}"));
                    match r.retry_after {
                        Some(s) => tokio::time::sleep(Duration::from_secs(s)).await,
                        None if r.status >= 500 => {
                            tokio::time::sleep(Duration::from_millis(500)).await
                        }
                        None => return false,
                    }
                }
                Err(e) => {
                    self.stats().error(format!("join-io:{:?}", e.kind()));
                    tokio::time::sleep(Duration::from_millis(200 + self.rng.below(300))).await;
                }
            }
        }
        false
    }

    /// One connection, from connect to its end.
    async fn connection(&mut self) -> Ended {
        let t0 = Instant::now();
        let mut ws = match http1::websocket(self.plan.server, self.plan.source, "/ws/student").await
        {
            Ok(ws) => ws,
            Err(e) => {
                self.stats()
                    .error(format!("ws-connect:{}", short(&e.to_string())));
                return Ended::Again;
            }
        };
        let hello = encode(&StudentToRelay::Hello {
            v: PROTOCOL_VERSION,
            token: self.token.clone().unwrap_or_default(),
            sent_at: now_ms(),
            tab: Some(self.tab.clone()),
        });
        if ws.send(Message::text(hello)).await.is_err() {
            return Ended::Again;
        }
        // The welcome.
        let welcome = tokio::time::timeout(WELCOME_TIMEOUT, async {
            loop {
                match ws.next().await {
                    Some(Ok(Message::Text(t))) => {
                        return serde_json::from_str::<RelayToStudent>(t.as_str()).ok();
                    }
                    Some(Ok(_)) => continue,
                    _ => return None,
                }
            }
        })
        .await;
        let Ok(Some(RelayToStudent::Welcome { attempt, paper, .. })) = welcome else {
            if let Ok(Some(RelayToStudent::Error { error, .. })) = welcome {
                self.stats().error(format!("ws:{}", error.code.as_str()));
                return Ended::Fatal;
            }
            self.stats().error("ws:no_welcome");
            return Ended::Again;
        };
        if !self.welcomed_once {
            self.welcomed_once = true;
            {
                let mut s = self.stats();
                s.connect.record(t0.elapsed());
                s.joined += 1;
            }
            if let Some(f) = self.on_welcome.take() {
                f();
            }
        }
        if let Some(p) = paper {
            self.paper = Some(p);
        }
        self.check_welcome(&attempt);
        self.outcome.acked = self.outcome.acked.max(attempt.acked_seq);
        self.outbox.reconcile(attempt.acked_seq);
        self.note_progress();
        self.sent_at.retain(|seq, _| *seq > attempt.acked_seq);
        // Resend what is pending, in order.
        for text in self.pending_from(0) {
            if ws.send(Message::text(text)).await.is_err() {
                return Ended::Again;
            }
        }
        if attempt.status.is_final() {
            self.outcome.finished = true;
            return Ended::Done;
        }
        let mut ping =
            tokio::time::interval_at(tokio::time::Instant::now() + PING_EVERY, PING_EVERY);
        let mut submitted = self
            .outcome
            .events
            .values()
            .any(|e| matches!(e, StudentEvent::Submit));
        loop {
            let now = Instant::now();
            let answering = self.plan.interval.is_some() && now < self.plan.answer_until;
            let wake = if answering {
                self.next_answer.min(self.plan.answer_until)
            } else if self.plan.submit && !submitted {
                self.plan.answer_until
            } else {
                self.plan.hold_until
            };
            let drop_at = self
                .plan
                .drop_at
                .unwrap_or(self.plan.hold_until + Duration::from_secs(3600));
            tokio::select! {
                _ = tokio::time::sleep_until(wake.into()) => {
                    let now = Instant::now();
                    if answering && now >= self.next_answer {
                        let gap = self.plan.interval.unwrap_or_default().mul_f64(0.5 + self.rng.below(1000) as f64 / 1000.0);
                        self.next_answer = now + gap;
                        if let Some(event) = self.random_answer() && !self.send_event(&mut ws, event).await {
                            return Ended::Again;
                        }
                    } else if !answering && self.plan.submit && !submitted {
                        submitted = true;
                        if !self.send_event(&mut ws, StudentEvent::Submit).await {
                            return Ended::Again;
                        }
                    } else if !answering && now >= self.plan.hold_until {
                        // Done once every event is acknowledged (or after
                        // waiting long enough for the last acks).
                        if self.outbox.is_empty() || now >= self.plan.hold_until + DRAIN_LIMIT {
                            let _ = ws.close(None).await;
                            return Ended::Done;
                        }
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                }
                _ = tokio::time::sleep_until(drop_at.into()) => {
                    self.plan.drop_at = None;
                    // Gone without a close, as a pulled cable.
                    drop(ws);
                    return Ended::Again;
                }
                _ = ping.tick() => {
                    let ping = encode(&StudentToRelay::Ping { sent_at: now_ms() });
                    if ws.send(Message::text(ping)).await.is_err() {
                        return Ended::Again;
                    }
                }
                msg = ws.next() => match msg {
                    Some(Ok(Message::Text(t))) => {
                        match serde_json::from_str::<RelayToStudent>(t.as_str()) {
                            Ok(m) => {
                                if let Some(end) = self.on_message(m, &mut ws).await {
                                    return end;
                                }
                            }
                            Err(_) => self.stats().error("ws:unreadable"),
                        }
                    }
                    Some(Ok(Message::Close(frame))) => {
                        let reason = frame.map(|f| f.reason.to_string()).unwrap_or_default();
                        let code = reason.split(':').next().unwrap_or("").to_string();
                        if !code.is_empty() && code != "idle" {
                            self.stats().error(format!("close:{code}"));
                        }
                        return if code == "replaced" { Ended::Fatal } else { Ended::Again };
                    }
                    Some(Ok(_)) => {}
                    Some(Err(_)) | None => return Ended::Again,
                }
            }
        }
    }

    /// Handles one relay message; `Some` ends the connection.
    async fn on_message<S>(&mut self, msg: RelayToStudent, ws: &mut S) -> Option<Ended>
    where
        S: futures_util::Sink<Message> + Unpin,
    {
        match msg {
            RelayToStudent::Ack { seq } => {
                let now = Instant::now();
                let done: Vec<u64> = self.sent_at.range(..=seq).map(|(s, _)| *s).collect();
                {
                    let mut s = self.stats.lock().expect("stats lock");
                    for k in &done {
                        if let Some(t) = self.sent_at.get(k) {
                            s.ack.record(now - *t);
                            s.answers_acked += 1;
                        }
                    }
                }
                for k in done {
                    self.sent_at.remove(&k);
                }
                self.outbox.ack(seq);
                self.outcome.acked = self.outcome.acked.max(seq);
                self.note_progress();
            }
            RelayToStudent::Refused { seq, error } => {
                self.stats()
                    .error(format!("refused:{}", error.code.as_str()));
                self.sent_at.remove(&seq);
                self.outbox.ack(seq);
                self.outcome.refused.push(seq);
                self.outcome.acked = self.outcome.acked.max(seq);
                self.note_progress();
            }
            RelayToStudent::Error { error, expected } => {
                self.stats().error(format!("error:{}", error.code.as_str()));
                if let Some(from) = expected {
                    // Resend from `expected` (out of order, paused).
                    for text in self.pending_from(from) {
                        if ws.send(Message::text(text)).await.is_err() {
                            return Some(Ended::Again);
                        }
                    }
                }
            }
            RelayToStudent::Result { .. } => {
                self.outcome.finished = true;
                self.stats().submitted += 1;
                if Instant::now() >= self.plan.answer_until {
                    return Some(Ended::Done);
                }
            }
            _ => {}
        }
        None
    }

    /// What the relay says it holds must be what this student did: nothing
    /// acknowledged forgotten, nothing held that was never sent, and its
    /// answers the replay of our events up to `acked_seq`.
    fn check_welcome(&mut self, attempt: &examgate_shared::protocol::AttemptView) {
        let mut wrong = Vec::new();
        if attempt.acked_seq < self.outcome.acked {
            wrong.push(format!(
                "welcome acked_seq {} below the {} already acknowledged",
                attempt.acked_seq, self.outcome.acked
            ));
        }
        let last = self.outcome.events.keys().next_back().copied().unwrap_or(0);
        if attempt.acked_seq > last {
            wrong.push(format!(
                "welcome acked_seq {} above the {last} events sent",
                attempt.acked_seq
            ));
        }
        let refused: std::collections::HashSet<u64> = attempt
            .refused
            .iter()
            .map(|r| r.seq)
            .chain(self.outcome.refused.iter().copied())
            .collect();
        let mut expected = BTreeMap::new();
        for (seq, event) in self.outcome.events.range(..=attempt.acked_seq) {
            if refused.contains(seq) {
                continue;
            }
            if let StudentEvent::Answer { question, value } = event {
                match value {
                    Some(v) if !v.is_blank() => expected.insert(*question, v.clone()),
                    _ => expected.remove(question),
                };
            }
        }
        let held: BTreeMap<_, _> = attempt.answers.iter().cloned().collect();
        if held != expected {
            wrong.push(format!(
                "welcome answers differ from the replay of events 1..={}",
                attempt.acked_seq
            ));
        }
        if !wrong.is_empty() {
            let mut stats = self.stats();
            for w in &wrong {
                stats.error(format!(
                    "check:{}",
                    w.split(' ').take(2).collect::<Vec<_>>().join("_")
                ));
            }
            drop(stats);
            self.outcome.mismatches.extend(
                wrong
                    .into_iter()
                    .map(|w| format!("{}: {w}", self.plan.name)),
            );
        }
    }

    /// The outbox's events numbered `from` and later, as messages.
    fn pending_from(&self, from: u64) -> Vec<String> {
        self.outbox
            .pending()
            .filter(|p| p.seq >= from)
            .map(|p| {
                encode(&StudentToRelay::Event {
                    seq: p.seq,
                    event: p.event.clone(),
                })
            })
            .collect()
    }

    /// Numbers `event`, keeps it, sends it.
    async fn send_event<S>(&mut self, ws: &mut S, event: StudentEvent) -> bool
    where
        S: futures_util::Sink<Message> + Unpin,
    {
        let pending = self.outbox.push(event.clone());
        self.outcome.events.insert(pending.seq, event.clone());
        self.note_progress();
        let now = Instant::now();
        if matches!(event, StudentEvent::Answer { .. }) {
            self.sent_at.insert(pending.seq, now);
            self.stats().answers_sent += 1;
            if let Some(f) = &self.fanout {
                f.lock()
                    .expect("fanout lock")
                    .insert(self.plan.name.clone(), now);
            }
        }
        let text = encode(&StudentToRelay::Event {
            seq: pending.seq,
            event,
        });
        ws.send(Message::text(text)).await.is_ok()
    }

    /// A valid answer to a random question of the paper.
    fn random_answer(&mut self) -> Option<StudentEvent> {
        let paper = self.paper.as_ref()?;
        if paper.questions.is_empty() {
            return None;
        }
        let q = &paper.questions[self.rng.below(paper.questions.len() as u64) as usize];
        let value = match &q.body {
            PaperBody::SingleChoice { options } => {
                AnswerValue::Choice(options[self.rng.below(options.len() as u64) as usize].id)
            }
            PaperBody::MultipleResponse { options } => {
                let pick = options[self.rng.below(options.len() as u64) as usize].id;
                AnswerValue::Choices([pick].into_iter().collect())
            }
            PaperBody::TrueFalse { statements } => AnswerValue::TrueFalse(
                (0..statements.len())
                    .map(|_| Some(self.rng.below(2) == 1))
                    .collect(),
            ),
            PaperBody::Numeric => {
                AnswerValue::Typed(format!("{},{}", self.rng.below(100), self.rng.below(10)))
            }
        };
        Some(StudentEvent::Answer {
            question: q.id,
            value: Some(value),
        })
    }
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// An error's first words, as a counter key.
pub fn short(text: &str) -> String {
    text.split([':', '('])
        .next()
        .unwrap_or(text)
        .trim()
        .replace(' ', "_")
}
