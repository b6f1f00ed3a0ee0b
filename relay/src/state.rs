//! The relay's shared state: the catalogue loaded at start-up, the attempts
//! in memory, the connection registry and the sessions.
//!
//! Locking: each attempt has its own async mutex, held across the database
//! write of an event so that events of one attempt are decided, stored and
//! applied strictly one after another (the closer takes the same lock).
//! Other maps use std mutexes, never held across an await.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use examgate_shared::Millis;
use examgate_shared::attempt::{Attempt, DEFAULT_GRACE_MS};
use examgate_shared::chip::verify::TrustList;
use examgate_shared::exam::Exam;
use examgate_shared::integrity::{SignalBudget, Tally};
use examgate_shared::paper::Arrangement;
use examgate_shared::roster::{CandidateRow, RowStatus};
use examgate_shared::scoring::{Grade, grade};

use crate::auth::{LoginThrottle, Sessions};
use crate::checkin::Checkins;
use crate::deadlines::Deadlines;
use crate::live::Live;
use crate::model::{
    AttemptId, Candidate, CandidateId, EventId, ExamEvent, JoinCode, Room, RoomId, RosterEntry,
    Site, SiteId, Sitting, SittingId, TokenHash, User,
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
    /// Extra routes merged into the app: the demo's software card reader
    /// (`--demo-reader`, feature `demo`); never in a real deployment.
    pub demo_routes: Option<axum::Router>,
    /// The most connections held at once; past it new ones get 503. `None`:
    /// as many as the open-file limit allows (see [`crate::listen`]).
    pub max_connections: Option<usize>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            www_dir: PathBuf::from("www"),
            grace_ms: DEFAULT_GRACE_MS,
            trust: Arc::new(TrustList::new()),
            demo_routes: None,
            max_connections: None,
        }
    }
}

/// The attempt's mutable part, behind its slot's lock.
#[derive(Debug, Clone, Default)]
pub struct AttemptCell {
    pub attempt: Attempt,
    /// Present once the attempt is final.
    pub grade: Option<Grade>,
    /// Integrity warnings so far.
    pub warnings: Tally,
    /// What the page may still report this minute (a flood is dropped).
    pub page_signals: SignalBudget,
    /// How many stored controls `attempt` has had (a relay compares it with
    /// the database's count to know its copy is current).
    pub controls: u64,
    /// The address and browser of the attempt's latest connection, to see
    /// a change (not kept across a restart: the first connection after one
    /// sets it again).
    pub seen_from: Option<(String, String)>,
}

/// One attempt: fixed facts plus its locked state.
pub struct AttemptSlot {
    pub id: AttemptId,
    pub candidate: Candidate,
    /// The order of this attempt's paper, fixed at creation.
    pub arrangement: Arrangement,
    pub cell: tokio::sync::Mutex<AttemptCell>,
    /// Whether `cell.grade` is set, readable without the lock: a join that
    /// asks "is this try final?" must not read "no" only because a proctor
    /// view or a submit's row update holds the cell at that moment.
    graded: std::sync::atomic::AtomicBool,
}

impl AttemptSlot {
    pub fn new(
        id: AttemptId,
        candidate: Candidate,
        arrangement: Arrangement,
        cell: AttemptCell,
    ) -> AttemptSlot {
        AttemptSlot {
            id,
            candidate,
            arrangement,
            graded: cell.grade.is_some().into(),
            cell: tokio::sync::Mutex::new(cell),
        }
    }

    /// Whether the attempt is final (graded), without taking its lock.
    pub fn is_graded(&self) -> bool {
        self.graded.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Sets or clears the grade. Every change of `cell.grade` goes through
    /// here, so [`AttemptSlot::is_graded`] never disagrees with the cell.
    pub fn set_grade(&self, cell: &mut AttemptCell, grade: Option<Grade>) {
        self.graded
            .store(grade.is_some(), std::sync::atomic::Ordering::Release);
        cell.grade = grade;
    }
}

/// What the exam office plans: events, sites, rooms, sittings (shifts),
/// join codes and rosters. It grows while the relay runs (the office adds
/// to it); readers take the read lock briefly and never across an await.
#[derive(Default)]
pub struct Plan {
    pub events: BTreeMap<EventId, ExamEvent>,
    pub sites: BTreeMap<SiteId, Site>,
    pub rooms: BTreeMap<RoomId, Room>,
    pub sittings: HashMap<SittingId, Sitting>,
    /// Upper-cased code → join code.
    pub join_codes: HashMap<String, JoinCode>,
    /// (sitting, personal ID) → the registered card holder.
    pub roster: HashMap<(SittingId, String), RosterEntry>,
    /// (sitting, số báo danh) → the registered candidate.
    pub registered: HashMap<(SittingId, String), RosterEntry>,
    /// Rooms of sittings whose candidates were registered in advance.
    pub registered_rooms: HashSet<(SittingId, RoomId)>,
}

impl Plan {
    /// The plan as loaded (taking its parts out of `loaded`).
    pub fn from_loaded(loaded: &mut Loaded) -> Plan {
        let mut plan = Plan {
            events: take(&mut loaded.events, |e| e.id),
            sites: take(&mut loaded.sites, |s| s.id),
            rooms: take(&mut loaded.rooms, |r| r.id),
            sittings: std::mem::take(&mut loaded.sittings)
                .into_iter()
                .map(|s| (s.id, s))
                .collect(),
            join_codes: std::mem::take(&mut loaded.join_codes)
                .into_iter()
                .map(|c| (c.code.to_uppercase(), c))
                .collect(),
            ..Plan::default()
        };
        for entry in std::mem::take(&mut loaded.roster) {
            plan.add_roster_entry(entry);
        }
        plan
    }

    pub fn site_name(&self, room: &Room) -> &str {
        self.sites
            .get(&room.site_id)
            .map_or("", |s| s.name.as_str())
    }

    /// The site a room belongs to.
    pub fn site_of(&self, room: RoomId) -> Option<SiteId> {
        self.rooms.get(&room).map(|r| r.site_id)
    }

    /// Whether `session` may watch `room`, with this plan already read
    /// (never [`AppState::may_watch`] while holding the plan: a second read
    /// lock behind a waiting writer deadlocks).
    pub fn visible_to(&self, session: &crate::auth::Session, room: RoomId) -> bool {
        session.may_watch(room, |r| self.site_of(r))
    }

    /// Indexes a roster entry by card number and by candidate number.
    pub fn add_roster_entry(&mut self, e: RosterEntry) {
        self.registered_rooms.insert((e.sitting_id, e.room_id));
        if let Some(number) = &e.candidate_number {
            self.registered
                .insert((e.sitting_id, number.clone()), e.clone());
        }
        if let Some(person) = &e.person_id {
            self.roster.insert((e.sitting_id, person.clone()), e);
        }
    }

    /// Every roster entry once (an entry with both a card number and a
    /// candidate number is in both indexes).
    pub fn roster_entries(&self) -> impl Iterator<Item = &RosterEntry> {
        let mut seen = HashSet::new();
        self.registered
            .values()
            .chain(self.roster.values())
            .filter(move |e| seen.insert(e.id))
    }

    /// Whether candidates of this room of this sitting were registered in
    /// advance (then only they may join, by their number).
    pub fn has_registrations(&self, sitting: SittingId, room: RoomId) -> bool {
        self.registered_rooms.contains(&(sitting, room))
    }

    /// The sittings (shifts) of an event, in start order.
    pub fn shifts_of(&self, event: EventId) -> Vec<&Sitting> {
        let mut out: Vec<&Sitting> = self
            .sittings
            .values()
            .filter(|s| s.event_id == Some(event))
            .collect();
        out.sort_by_key(|s| (s.opens_at, s.id));
        out
    }
}

fn take<K: Ord, T>(from: &mut Vec<T>, key: impl Fn(&T) -> K) -> BTreeMap<K, T> {
    std::mem::take(from)
        .into_iter()
        .map(|v| (key(&v), v))
        .collect()
}

/// The exams and the plan. Exams change as a whole (key corrections):
/// readers keep the `Arc` they took.
#[derive(Default)]
pub struct Catalog {
    pub exams: RwLock<HashMap<String, Arc<Exam>>>,
    pub plan: RwLock<Plan>,
}

impl Catalog {
    pub fn plan(&self) -> std::sync::RwLockReadGuard<'_, Plan> {
        self.plan.read().expect("plan lock")
    }

    pub fn plan_mut(&self) -> std::sync::RwLockWriteGuard<'_, Plan> {
        self.plan.write().expect("plan lock")
    }

    pub fn sitting(&self, id: SittingId) -> Option<Sitting> {
        self.plan().sittings.get(&id).cloned()
    }

    pub fn exam_of(&self, sitting: SittingId) -> Option<Arc<Exam>> {
        let exam_id = self.plan().sittings.get(&sitting)?.exam_id.clone();
        self.exam(&exam_id)
    }

    pub fn exam(&self, id: &str) -> Option<Arc<Exam>> {
        self.exams.read().expect("exams lock").get(id).cloned()
    }

    /// Replaces every exam and the whole plan (another relay changed them).
    pub fn replace_all(&self, exams: Vec<Exam>, plan: Plan) {
        *self.exams.write().expect("exams lock") = exams
            .into_iter()
            .map(|e| (e.id.clone(), Arc::new(e)))
            .collect();
        *self.plan_mut() = plan;
    }

    /// Adds or replaces an exam (a new paper, or after a correction).
    pub fn replace_exam(&self, exam: Exam) {
        self.exams
            .write()
            .expect("exams lock")
            .insert(exam.id.clone(), Arc::new(exam));
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
    /// Staff accounts; the exam office adds, disables and resets them.
    pub users: RwLock<HashMap<String, User>>,
    pub people: RwLock<People>,
    pub live: Live,
    pub deadlines: Deadlines,
    pub sessions: Sessions,
    pub login_throttle: LoginThrottle,
    pub checkins: Checkins,
    /// Incidents, messages and the central view's room summaries.
    pub oversight: crate::oversight::Oversight,
    /// Serialises the joins of one candidate (sitting, room, name or
    /// number) so two browsers typing the same name at the same instant
    /// cannot both create the candidate; other candidates' joins go on.
    pub join_locks: crate::keyed_lock::KeyedLocks<(SittingId, RoomId, String)>,
    /// One sitting's bank statistics are computed one run at a time.
    pub learn_locks: crate::keyed_lock::KeyedLocks<SittingId>,
    /// Serialises the exam office's changes to the plan, so a check (is
    /// this number free?) and its write cannot interleave with another.
    pub plan_lock: tokio::sync::Mutex<()>,
    /// The key that seals check-in evidence in the database.
    pub at_rest: Arc<crate::at_rest::AtRest>,
    /// Sittings' results, graded and serialised once per change.
    pub results_cache: crate::results::ResultsCache,
    /// The set-up link's token hash while no account exists.
    pub setup: std::sync::Mutex<Option<TokenHash>>,
    /// Connections held against the limit ([`crate::listen`]).
    pub gate: Arc<crate::listen::Gate>,
    /// Where events' and joins' time goes (`/api/metrics`).
    pub timings: crate::timings::Timings,
    /// The bus to the other relays on the same database (`--bus`), once
    /// attached ([`crate::bus::attach`]); unset for a relay alone.
    pub bus: std::sync::OnceLock<crate::bus::Bus>,
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
    pub fn new(
        mut loaded: Loaded,
        store: Store,
        config: Config,
        at_rest: crate::at_rest::AtRest,
    ) -> AppState {
        let catalog = Catalog::default();
        catalog.replace_all(
            std::mem::take(&mut loaded.exams),
            Plan::from_loaded(&mut loaded),
        );

        let mut people = People::default();
        for c in loaded.candidates {
            people.add_candidate(c);
        }
        let (desks, refused) = (loaded.desks, loaded.refused);
        let oversight = loaded.oversight;
        let state = AppState(Arc::new(Inner {
            store,
            users: RwLock::new(
                loaded
                    .users
                    .into_iter()
                    .map(|u| (u.username.clone(), u))
                    .collect(),
            ),
            people: RwLock::new(people),
            live: Live::default(),
            deadlines: Deadlines::default(),
            sessions: Sessions::restore(loaded.sessions),
            login_throttle: LoginThrottle::default(),
            checkins: Checkins::default(),
            oversight: Default::default(),
            join_locks: Default::default(),
            learn_locks: Default::default(),
            plan_lock: tokio::sync::Mutex::new(()),
            setup: std::sync::Mutex::new(loaded.setup_hash),
            results_cache: Default::default(),
            at_rest: Arc::new(at_rest),
            gate: crate::listen::Gate::new(
                config
                    .max_connections
                    .unwrap_or_else(|| crate::listen::capacity(crate::listen::open_file_limit())),
            ),
            timings: Default::default(),
            bus: std::sync::OnceLock::new(),
            config,
            catalog,
        }));
        state.checkins.restore(desks, refused, &state.at_rest);
        let mut warnings: HashMap<AttemptId, Tally> = HashMap::new();
        for (attempt, w) in oversight.warnings {
            warnings.entry(attempt).or_default().add(w);
        }
        state
            .oversight
            .restore(oversight.incidents, oversight.messages);
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
            let hard_stop = state
                .catalog
                .sitting(candidate.sitting_id)
                .and_then(|s| s.hard_stop);
            if let Some(due) = stored.attempt.next_due(state.config.grace_ms, hard_stop) {
                state.deadlines.schedule(due, stored.id);
            }
            state.insert_attempt(
                candidate,
                stored.id,
                stored.token_hash,
                stored.arrangement,
                AttemptCell {
                    attempt: stored.attempt,
                    controls: stored.controls,
                    grade,
                    warnings: warnings.remove(&stored.id).unwrap_or_default(),
                    ..AttemptCell::default()
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

    /// Whether `session` may watch `room` (its site looked up for staff
    /// scoped to one site).
    pub fn may_watch(&self, session: &crate::auth::Session, room: RoomId) -> bool {
        session.may_watch(room, |r| self.catalog.plan().site_of(r))
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
        let slot = Arc::new(AttemptSlot::new(id, candidate.clone(), arrangement, cell));
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
                candidate_number: candidate.candidate_number.clone(),
                name: candidate.name.clone(),
                status: RowStatus::NotStarted,
                answered: 0,
                total,
                deadline_ms: None,
                last_activity_ms: None,
                mark: None,
                extra_ms: 0,
                remaining_ms: None,
                warnings: 0,
                last_warning: None,
            },
            Some((id, cell)) => {
                let attempt = &cell.attempt;
                CandidateRow {
                    candidate_id: candidate.id,
                    candidate_number: candidate.candidate_number.clone(),
                    name: candidate.name.clone(),
                    status: RowStatus::derive(
                        attempt.status,
                        self.student_connected(id),
                        attempt.paused_at.is_some(),
                    ),
                    answered: attempt.answered() as u32,
                    total,
                    deadline_ms: attempt.deadline_ms,
                    last_activity_ms: attempt.last_activity_ms,
                    mark: cell.grade.as_ref().map(|g| g.mark),
                    extra_ms: attempt.extra_ms,
                    remaining_ms: attempt.paused_at.and_then(|_| attempt.remaining_ms(0)),
                    warnings: cell.warnings.count,
                    last_warning: cell.warnings.last.clone(),
                }
            }
        };
        if self.clustered() {
            self.tell(crate::bus::News::Row {
                room: candidate.room_id,
                row: row.clone(),
            });
        }
        self.live.publish(candidate.room_id, row);
        self.oversight.touch(candidate.room_id);
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
