//! The bus between relays (`--bus nats://…`): what one relay does that
//! another relay's connections must see.
//!
//! Several relays serve one exam on one PostgreSQL database. The database
//! is the record and decides every conflict (an event is stored only as its
//! attempt's next, an attempt becomes final once); the bus only carries
//! news, on one core NATS subject per deployment ([`subject`]), each
//! message a small JSON envelope:
//!
//! - a candidate's proctor row, so every relay's row cache (and the room
//!   summaries drawn from it) covers every room, whichever relay the
//!   student and the proctor are on;
//! - "I took this attempt's student connection": the relay that held the
//!   older one closes it as replaced, and rows show the student connected;
//! - messages for a student on another relay (a proctor's control, a
//!   message), with "read the attempt again first" when its state changed;
//! - what proctors of a room see besides rows: incidents, messages,
//!   check-ins;
//! - "the plan, papers or accounts changed" and "a staff session ended":
//!   the others read them again from the database;
//! - a heartbeat, so a relay that died (SIGKILL, power) is noticed and its
//!   students shown disconnected until they reconnect elsewhere.
//!
//! Nothing on the bus is needed for correctness of the record: a message
//! lost in flight leaves a row stale until its next change, never an answer
//! lost or counted twice. Without `--bus` there is one relay and none of
//! this runs; its in-process channels serve as before.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::protocol::RelayToProctor;
use examgate_shared::roster::CandidateRow;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use crate::AppState;
use crate::live::Outgoing;
use crate::model::{AttemptId, RoomId};

/// The subject every relay of a deployment publishes and listens on:
/// `examgate.<deployment>`, the name made with the database's schema, so
/// deployments (and test runs) sharing one NATS server never mix.
pub fn subject(deployment: &str) -> String {
    format!("examgate.{deployment}")
}

/// How often a relay says it is alive.
pub const ALIVE_EVERY: Duration = Duration::from_secs(1);

/// A relay not heard from for this long is taken for dead: the student
/// connections it held are shown disconnected.
pub const DEAD_AFTER: Duration = Duration::from_secs(5);

/// Attempts read again at once after a relay died.
const REREADS_AT_ONCE: usize = 8;

/// News queued for the bus before more are dropped (NATS unreachable): a
/// dropped row is stale until its next change, never an answer lost.
const QUEUE: usize = 65_536;

/// What relays tell each other.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum News {
    /// A candidate's proctor row changed.
    Row { room: RoomId, row: CandidateRow },
    /// For the proctors watching a room: an incident, a message, a
    /// check-in.
    Room {
        room: RoomId,
        message: RelayToProctor,
    },
    /// A card read was refused in `room` (its count in proctors' views).
    Refused { room: RoomId },
    /// The sender now holds the attempt's student connection, opened by
    /// the page load `tab` at `at` (the sender's clock; relays keep NTP
    /// time): a connection elsewhere opened later is newer and stays.
    Taken {
        attempt: AttemptId,
        tab: Option<String>,
        #[serde(default)]
        at: Option<examgate_shared::Millis>,
    },
    /// The sender's connection for the attempt ended.
    Released { attempt: AttemptId },
    /// For the attempt's student, wherever connected; `reread`: its state
    /// changed in the database, so the relay holding it reads it again
    /// before sending.
    Student {
        attempt: AttemptId,
        texts: Vec<String>,
        reread: bool,
    },
    /// The attempt's token was replaced (the student moved to another
    /// computer): whoever holds its connection ends it with `why`.
    End { attempt: AttemptId, why: ErrorBody },
    /// Exams, the plan or accounts changed: read them again.
    Catalog,
    /// A staff session ended: forget the sessions held in memory.
    Sessions,
    /// The sender is alive.
    Alive,
}

#[derive(Debug, Serialize, Deserialize)]
struct Envelope {
    from: u64,
    #[serde(flatten)]
    news: News,
}

/// This relay's end of the bus.
pub struct Bus {
    /// This relay's id on the bus (random per process).
    pub relay: u64,
    out: mpsc::Sender<News>,
    /// News dropped because the queue was full.
    dropped: std::sync::atomic::AtomicU64,
    /// Other relays, with when each was last heard.
    peers: Mutex<HashMap<u64, Instant>>,
    /// Attempts whose student connection another relay holds: which relay,
    /// and the page load that opened it.
    held_elsewhere: Mutex<HashMap<AttemptId, (u64, Option<String>)>>,
}

impl Bus {
    /// Sends `news` to every other relay. Never waits: a publisher task
    /// drains the queue into the NATS connection.
    pub fn tell(&self, news: News) {
        if self.out.try_send(news).is_err()
            && self
                .dropped
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                .is_power_of_two()
        {
            tracing::warn!("bus: the queue to NATS is full; news dropped");
        }
    }

    /// Whether another (live) relay holds the attempt's student connection.
    pub fn held_elsewhere(&self, attempt: AttemptId) -> bool {
        self.held_elsewhere
            .lock()
            .expect("held lock")
            .contains_key(&attempt)
    }

    /// Whether another relay holds a connection for the attempt opened by
    /// another page load than `tab` (a page reconnecting through another
    /// relay over its own half-open connection is not a second connection).
    pub fn held_by_another_page(&self, attempt: AttemptId, tab: Option<&str>) -> bool {
        self.held_elsewhere
            .lock()
            .expect("held lock")
            .get(&attempt)
            .is_some_and(|(_, held)| held.is_none() || held.as_deref() != tab)
    }

    /// This relay took the attempt's connection: no other relay holds it.
    pub fn not_held_elsewhere(&self, attempt: AttemptId) {
        self.held_elsewhere
            .lock()
            .expect("held lock")
            .remove(&attempt);
    }

    /// Relays heard from within [`DEAD_AFTER`].
    pub fn peers(&self) -> usize {
        self.peers.lock().expect("peers lock").len()
    }
}

/// Why the bus could not be attached.
#[derive(Debug, thiserror::Error)]
pub enum AttachError {
    #[error("NATS: {0}")]
    Connect(#[from] async_nats::ConnectError),
    #[error("NATS: {0}")]
    Subscribe(#[from] async_nats::SubscribeError),
    #[error("NATS: {0}")]
    Flush(#[from] async_nats::error::Error<async_nats::client::FlushErrorKind>),
    #[error("the bus joins relays on one PostgreSQL database; this relay's store: {0}")]
    Store(#[from] crate::store::StoreError),
}

/// Connects to NATS at `url` (one server, or a cluster's servers separated
/// by commas) and starts this relay's bus tasks; `state`
/// gets its [`Bus`]. Fails when the server cannot be reached, or the relay
/// is not on PostgreSQL.
pub async fn attach(state: &AppState, url: &str) -> Result<(), AttachError> {
    let deployment = state
        .store
        .read(crate::store::pg_schema::deployment)
        .await?;
    let subject = subject(&deployment);
    let client = async_nats::ConnectOptions::new()
        .name("examgate-relay")
        // A relay's own news is not for itself.
        .no_echo()
        // A NATS cluster's servers, comma-separated: any one that answers
        // will do (the client learns the rest and reconnects by itself).
        .connect(url.split(',').map(str::trim).collect::<Vec<_>>())
        .await?;
    let subscriber = client.subscribe(subject.clone()).await?;
    // The server has the subscription once this returns: the desk read
    // below then misses nothing that is not also heard.
    client.flush().await?;
    let (out, mut queue) = mpsc::channel::<News>(QUEUE);
    let bus = Bus {
        relay: crate::auth::random_u64(),
        out,
        dropped: Default::default(),
        peers: Mutex::default(),
        held_elsewhere: Mutex::default(),
    };
    let relay = bus.relay;
    if state.bus.set(bus).is_err() {
        panic!("the bus is attached once");
    }
    let publisher = client.clone();
    tokio::spawn(async move {
        while let Some(news) = queue.recv().await {
            let body = serde_json::to_vec(&Envelope { from: relay, news }).expect("news encodes");
            if let Err(e) = publisher.publish(subject.clone(), body.into()).await {
                tracing::warn!("bus: publish failed: {e}");
            }
        }
    });
    let listener = state.clone();
    tokio::spawn(async move {
        let mut subscriber = subscriber;
        while let Some(message) = subscriber.next().await {
            match serde_json::from_slice::<Envelope>(&message.payload) {
                Ok(envelope) => listener.hear(envelope.from, envelope.news).await,
                Err(e) => tracing::warn!("bus: unreadable message: {e}"),
            }
        }
        tracing::error!("bus: the subscription ended");
    });
    // What other relays' check-ins did between this relay's start and its
    // subscription is read now (their news went by unheard).
    if let Err(e) = state.reload_desk().await {
        tracing::error!("bus: the check-in desk could not be read again: {e}");
    }
    // The heartbeat never waits on anything else: a relay busy reading
    // attempts again must not look dead to the others.
    let pulse = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(ALIVE_EVERY);
        loop {
            tick.tick().await;
            pulse.bus().tell(News::Alive);
        }
    });
    let sexton = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(ALIVE_EVERY);
        loop {
            tick.tick().await;
            sexton.bury_silent_peers().await;
        }
    });
    tracing::info!("bus: relay {relay:016x} on {url}, deployment {deployment}");
    Ok(())
}

impl AppState {
    /// The bus; only called where one is attached.
    fn bus(&self) -> &Bus {
        self.bus.get().expect("the bus is attached")
    }

    /// Whether other relays share this relay's database (a bus is attached).
    pub fn clustered(&self) -> bool {
        self.bus.get().is_some()
    }

    /// Tells the other relays, if there are any.
    pub fn tell(&self, news: News) {
        if let Some(bus) = self.bus.get() {
            bus.tell(news);
        }
    }

    /// Whether the attempt's student is connected to this relay or to
    /// another live one.
    pub fn student_connected(&self, attempt: AttemptId) -> bool {
        self.live.is_connected(attempt) || self.bus.get().is_some_and(|b| b.held_elsewhere(attempt))
    }

    /// Sends to the attempt's student, on this relay or through the bus to
    /// the relay that holds it; `reread` as in [`News::Student`].
    pub fn send_to_student_anywhere(&self, attempt: AttemptId, texts: Vec<String>, reread: bool) {
        if self.live.is_connected(attempt) || !self.clustered() {
            for text in texts {
                self.live.send_to_student(attempt, Outgoing::text(text));
            }
        } else {
            self.tell(News::Student {
                attempt,
                texts,
                reread,
            });
        }
    }

    /// Sends to the proctors watching `room`, on every relay.
    pub fn send_room_anywhere(&self, room: RoomId, message: RelayToProctor) {
        if self.clustered() {
            self.tell(News::Room {
                room,
                message: message.clone(),
            });
        }
        self.live.send_room(room, message);
    }

    /// Ends the attempt's student connection, here or on another relay.
    pub fn close_student_anywhere(&self, attempt: AttemptId, why: ErrorBody) {
        self.tell(News::End {
            attempt,
            why: why.clone(),
        });
        self.live.close_student(attempt, why);
    }

    /// Acts on news from relay `from`.
    async fn hear(&self, from: u64, news: News) {
        let bus = self.bus();
        bus.peers
            .lock()
            .expect("peers lock")
            .insert(from, Instant::now());
        match news {
            News::Row { room, row } => {
                self.live.publish(room, row);
                self.oversight.touch(room);
            }
            News::Room { room, message } => {
                // A check-in judged or decided there: the copy here learns
                // it, and a reader waiting here for it is woken.
                if let RelayToProctor::Checkin { checkin } = &message {
                    self.checkins.learn(checkin.clone());
                }
                self.live.send_room(room, message);
            }
            News::Refused { room } => self.checkins.count_refusal(room),
            News::Taken { attempt, tab, at } => {
                let why = ErrorBody::new(
                    ErrorCode::Replaced,
                    "a newer connection took over this attempt on another relay",
                );
                // News that arrives late must not end a newer connection
                // here (this relay's own news ends the sender's).
                let closed = match at {
                    Some(at) => self.live.close_student_opened_by(attempt, at, why),
                    None => {
                        self.live.close_student(attempt, why);
                        true
                    }
                };
                if closed {
                    bus.held_elsewhere
                        .lock()
                        .expect("held lock")
                        .insert(attempt, (from, tab));
                }
            }
            News::Released { attempt } => {
                let mut held = bus.held_elsewhere.lock().expect("held lock");
                if held.get(&attempt).is_some_and(|(relay, _)| *relay == from) {
                    held.remove(&attempt);
                }
            }
            News::Student {
                attempt,
                texts,
                reread,
            } => {
                if !self.live.is_connected(attempt) {
                    return;
                }
                // Read off the listener: the news behind this one (and the
                // heartbeats) do not wait for the database.
                let state = self.clone();
                tokio::spawn(async move {
                    if reread && let Err(e) = state.reread_attempt(attempt).await {
                        tracing::error!("bus: attempt {attempt} could not be read again: {e}");
                    }
                    for text in texts {
                        state.live.send_to_student(attempt, Outgoing::text(text));
                    }
                });
            }
            News::End { attempt, why } => self.live.close_student(attempt, why),
            News::Catalog => {
                let state = self.clone();
                tokio::spawn(async move {
                    if let Err(e) = state.reload_catalog().await {
                        tracing::error!("bus: the plan could not be read again: {e}");
                    }
                });
            }
            News::Sessions => self.sessions.forget_all(),
            News::Alive => {}
        }
    }

    /// Forgets relays not heard from within [`DEAD_AFTER`]; their students
    /// are shown disconnected until they connect again somewhere.
    async fn bury_silent_peers(&self) {
        let bus = self.bus();
        let dead: Vec<u64> = {
            let mut peers = bus.peers.lock().expect("peers lock");
            let dead = peers
                .iter()
                .filter(|(_, seen)| seen.elapsed() > DEAD_AFTER)
                .map(|(relay, _)| *relay)
                .collect::<Vec<_>>();
            for relay in &dead {
                peers.remove(relay);
            }
            dead
        };
        if dead.is_empty() {
            return;
        }
        let orphans: Vec<AttemptId> = {
            let mut held = bus.held_elsewhere.lock().expect("held lock");
            let orphans = held
                .iter()
                .filter(|(_, (relay, _))| dead.contains(relay))
                .map(|(attempt, _)| *attempt)
                .collect::<Vec<_>>();
            for attempt in &orphans {
                held.remove(attempt);
            }
            orphans
        };
        tracing::warn!(
            "bus: relay(s) {dead:x?} silent for {DEAD_AFTER:?}; {} student(s) shown disconnected",
            orphans.len()
        );
        // Their rows are read again a few at a time, off the heartbeat.
        let state = self.clone();
        tokio::spawn(async move {
            futures_util::stream::iter(orphans)
                .for_each_concurrent(REREADS_AT_ONCE, |attempt| {
                    let state = state.clone();
                    async move {
                        if let Err(e) = state.reread_attempt(attempt).await {
                            tracing::error!("bus: attempt {attempt} could not be read again: {e}");
                        }
                    }
                })
                .await;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn news_travels_as_a_flat_tagged_envelope() {
        let envelope = Envelope {
            from: 7,
            news: News::Student {
                attempt: 3,
                texts: vec!["{}".into()],
                reread: true,
            },
        };
        let json = serde_json::to_string(&envelope).unwrap();
        assert_eq!(
            json,
            r#"{"from":7,"t":"student","attempt":3,"texts":["{}"],"reread":true}"#
        );
        let back: Envelope = serde_json::from_str(&json).unwrap();
        assert_eq!(back.from, 7);
        assert_eq!(back.news, envelope.news);
    }
}
