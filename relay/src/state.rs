//! The relay's shared state: the catalogue loaded at start-up, the attempts
//! in memory, the connection registry and the sessions.
//!
//! Locking: each attempt has its own async mutex, held across the database
//! write of an event so that events of one attempt are decided, stored and
//! applied strictly one after another (the closer takes the same lock).
//! Other maps use std mutexes, never held across an await.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use examgate_shared::Millis;
use examgate_shared::attempt::{Attempt, DEFAULT_GRACE_MS};
use examgate_shared::chip::verify::TrustList;
use examgate_shared::exam::Exam;
use examgate_shared::paper::Arrangement;
use examgate_shared::roster::{CandidateRow, RowStatus};
use examgate_shared::scoring::{Grade, grade};

use crate::auth::{LoginThrottle, Sessions};
use crate::checkin::Checkins;
use crate::deadlines::Deadlines;
use crate::live::Live;
use crate::model::{
    AttemptId, Candidate, CandidateId, JoinCode, Room, RoomId, RosterEntry, Site, Sitting,
    SittingId, TokenHash, User,
};
use crate::store::{Loaded, Store};

/// Settings the relay runs with.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the client's static files are (index.html, pkg/).
    pub www_dir: PathBuf,
    /// Network delay allowed after a deadline; see `shared::attempt`.
    pub grace_ms: Millis,
    /// CSCA certificates that chip cards must chain to (passive
    /// authentication). Empty: every card is refused as untrusted.
    pub trust: Arc<TrustList>,
    /// The demo's software card reader (`--demo-reader`); never in a real
    /// deployment.
    pub demo_reader: Option<Arc<crate::demo_reader::DemoReader>>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            www_dir: PathBuf::from("www"),
            grace_ms: DEFAULT_GRACE_MS,
            trust: Arc::new(TrustList::new()),
            demo_reader: None,
        }
    }
}

/// The attempt's mutable part, behind its slot's lock.
#[derive(Debug, Clone)]
pub struct AttemptCell {
    pub attempt: Attempt,
    /// Present once the attempt is final.
    pub grade: Option<Grade>,
}

/// One attempt: fixed facts plus its locked state.
pub struct AttemptSlot {
    pub id: AttemptId,
    pub candidate: Candidate,
    /// The order of this attempt's paper, fixed at creation.
    pub arrangement: Arrangement,
    pub cell: tokio::sync::Mutex<AttemptCell>,
}

/// The rooms, sittings and exams. Only exams change while the relay runs
/// (key corrections), and then as a whole: readers keep the `Arc` they took.
#[derive(Default)]
pub struct Catalog {
    pub exams: RwLock<HashMap<String, Arc<Exam>>>,
    pub sites: BTreeMap<u64, Site>,
    pub rooms: BTreeMap<RoomId, Room>,
    pub sittings: HashMap<SittingId, Sitting>,
    /// Upper-cased code → join code.
    pub join_codes: HashMap<String, JoinCode>,
    /// (sitting, personal ID) → the registered candidate.
    pub roster: HashMap<(SittingId, String), RosterEntry>,
}

impl Catalog {
    pub fn exam_of(&self, sitting: SittingId) -> Option<Arc<Exam>> {
        let sitting = self.sittings.get(&sitting)?;
        self.exam(&sitting.exam_id)
    }

    pub fn exam(&self, id: &str) -> Option<Arc<Exam>> {
        self.exams.read().expect("exams lock").get(id).cloned()
    }

    /// Replaces an exam (after a correction).
    pub fn replace_exam(&self, exam: Exam) {
        self.exams
            .write()
            .expect("exams lock")
            .insert(exam.id.clone(), Arc::new(exam));
    }

    pub fn site_name(&self, room: &Room) -> &str {
        self.sites
            .get(&room.site_id)
            .map_or("", |s| s.name.as_str())
    }
}

/// Candidates and their attempts, indexed every way the relay looks them up.
#[derive(Default)]
pub struct People {
    pub candidates: HashMap<CandidateId, Candidate>,
    pub by_name: HashMap<(SittingId, RoomId, String), CandidateId>,
    pub attempt_of: HashMap<CandidateId, AttemptId>,
    pub attempts: HashMap<AttemptId, Arc<AttemptSlot>>,
    pub by_token: HashMap<TokenHash, AttemptId>,
    /// Candidates of each room, in id order.
    pub in_room: BTreeMap<RoomId, Vec<CandidateId>>,
}

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub config: Config,
    pub store: Store,
    pub catalog: Catalog,
    pub users: HashMap<String, User>,
    pub people: RwLock<People>,
    pub live: Live,
    pub deadlines: Deadlines,
    pub sessions: Sessions,
    pub login_throttle: LoginThrottle,
    pub checkins: Checkins,
    /// Serialises joins so two browsers typing the same name at the same
    /// instant cannot both create the candidate.
    pub join_lock: tokio::sync::Mutex<()>,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// Builds the state from what was loaded, schedules the open attempts'
    /// deadlines and fills the proctor rows.
    pub fn new(loaded: Loaded, store: Store, config: Config) -> AppState {
        let mut catalog = Catalog::default();
        for exam in loaded.exams {
            catalog
                .exams
                .get_mut()
                .expect("exams lock")
                .insert(exam.id.clone(), Arc::new(exam));
        }
        catalog.sites = loaded.sites.into_iter().map(|s| (s.id, s)).collect();
        catalog.rooms = loaded.rooms.into_iter().map(|r| (r.id, r)).collect();
        catalog.sittings = loaded.sittings.into_iter().map(|s| (s.id, s)).collect();
        catalog.join_codes = loaded
            .join_codes
            .into_iter()
            .map(|c| (c.code.to_uppercase(), c))
            .collect();

        catalog.roster = loaded
            .roster
            .into_iter()
            .map(|e| ((e.sitting_id, e.person_id.clone()), e))
            .collect();

        let mut people = People::default();
        for c in loaded.candidates {
            people.add_candidate(c);
        }
        let seats = loaded.seats;
        let state = AppState(Arc::new(Inner {
            config,
            store,
            users: loaded
                .users
                .into_iter()
                .map(|u| (u.username.clone(), u))
                .collect(),
            people: RwLock::new(people),
            live: Live::default(),
            deadlines: Deadlines::default(),
            sessions: Sessions::default(),
            login_throttle: LoginThrottle::default(),
            checkins: Checkins::default(),
            join_lock: tokio::sync::Mutex::new(()),
            catalog,
        }));
        state.checkins.restore_seats(&seats);
        for stored in loaded.attempts {
            let candidate = state.people().candidates.get(&stored.candidate_id).cloned();
            let Some(candidate) = candidate else {
                tracing::warn!("attempt {} has no candidate; skipped", stored.id);
                continue;
            };
            let exam = state.catalog.exam_of(candidate.sitting_id);
            let grade = match (&exam, stored.attempt.status.is_final()) {
                (Some(exam), true) => Some(grade(exam, &stored.attempt.answers)),
                _ => None,
            };
            if let Some(deadline) = stored.attempt.deadline_ms
                && !stored.attempt.status.is_final()
            {
                state
                    .deadlines
                    .schedule(deadline + state.config.grace_ms + 1, stored.id);
            }
            state.insert_attempt(
                candidate,
                stored.id,
                stored.token_hash,
                stored.arrangement,
                AttemptCell {
                    attempt: stored.attempt,
                    grade,
                },
            );
        }
        let all: Vec<Candidate> = state.people().candidates.values().cloned().collect();
        for c in all {
            if !state.people().attempt_of.contains_key(&c.id) {
                state.publish_row(&c, None);
            }
        }
        state
    }

    pub fn people(&self) -> std::sync::RwLockReadGuard<'_, People> {
        self.people.read().expect("people lock")
    }

    /// Adds an attempt to memory and publishes its row.
    pub fn insert_attempt(
        &self,
        candidate: Candidate,
        id: AttemptId,
        token_hash: TokenHash,
        arrangement: Arrangement,
        cell: AttemptCell,
    ) -> Arc<AttemptSlot> {
        let row_cell = cell.clone();
        let slot = Arc::new(AttemptSlot {
            id,
            candidate: candidate.clone(),
            arrangement,
            cell: tokio::sync::Mutex::new(cell),
        });
        {
            let mut people = self.people.write().expect("people lock");
            people.attempt_of.insert(candidate.id, id);
            people.by_token.insert(token_hash, id);
            people.attempts.insert(id, slot.clone());
        }
        self.publish_row(&candidate, Some((id, &row_cell)));
        slot
    }

    pub fn attempt_by_token(&self, token_hash: &TokenHash) -> Option<Arc<AttemptSlot>> {
        let people = self.people();
        people
            .by_token
            .get(token_hash)
            .and_then(|id| people.attempts.get(id))
            .cloned()
    }

    pub fn exam_for(&self, candidate: &Candidate) -> Arc<Exam> {
        self.exam_of_sitting(candidate.sitting_id)
    }

    pub fn exam_of_sitting(&self, sitting: SittingId) -> Arc<Exam> {
        self.catalog
            .exam_of(sitting)
            .expect("every sitting's exam is loaded (checked at start-up)")
    }

    /// Recomputes and publishes a candidate's proctor row.
    pub fn publish_row(&self, candidate: &Candidate, attempt: Option<(AttemptId, &AttemptCell)>) {
        let total = self
            .catalog
            .exam_of(candidate.sitting_id)
            .map_or(0, |e| e.questions.len() as u32);
        let row = match attempt {
            None => CandidateRow {
                candidate_id: candidate.id,
                name: candidate.name.clone(),
                status: RowStatus::NotStarted,
                answered: 0,
                total,
                deadline_ms: None,
                last_activity_ms: None,
                mark: None,
            },
            Some((id, cell)) => CandidateRow {
                candidate_id: candidate.id,
                name: candidate.name.clone(),
                status: RowStatus::derive(cell.attempt.status, self.live.is_connected(id)),
                answered: cell.attempt.answered() as u32,
                total,
                deadline_ms: cell.attempt.deadline_ms,
                last_activity_ms: cell.attempt.last_activity_ms,
                mark: cell.grade.as_ref().map(|g| g.mark),
            },
        };
        self.live.publish(candidate.room_id, row);
    }
}

impl People {
    pub fn add_candidate(&mut self, c: Candidate) {
        self.by_name
            .insert((c.sitting_id, c.room_id, c.key.clone()), c.id);
        let list = self.in_room.entry(c.room_id).or_default();
        list.push(c.id);
        list.sort_unstable();
        self.candidates.insert(c.id, c);
    }
}
