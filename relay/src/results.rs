//! A sitting's results: every final attempt graded, the analysis of every
//! question, exports. Computed on demand, and stored as a snapshot when the
//! last working attempt of a sitting ends, so the evidence is kept as it
//! was at the close even if keys are corrected later.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use examgate_shared::answer::AnswerValue;
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::exam::QuestionId;
use examgate_shared::protocol::SittingSummary;
use examgate_shared::results::{Results, results};
use examgate_shared::scoring::Grade;

use crate::AppState;
use crate::attempts::internal;
use crate::clock::now_ms;
use crate::model::{RoomId, SittingId};
use crate::practice::{Tries, Try, chosen};
use crate::state::AttemptSlot;

/// A final attempt as the results need it, cloned once out of its lock.
#[derive(Clone)]
struct Graded {
    /// (room, name, number): the rows' order.
    place: (String, String, Option<String>),
    answers: BTreeMap<QuestionId, AnswerValue>,
    grade: Grade,
    /// The candidate key: which try of a practice exam this is.
    key: String,
}

/// What a sitting's results depend on: how many attempts, how many final,
/// and the key-correction epoch. While it is unchanged, so are they.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResultsKey {
    attempts: usize,
    finals: usize,
    epoch: u64,
}

/// A sitting's results as JSON, with the key they were made under.
type Cached = (ResultsKey, Arc<Vec<u8>>);

/// Sittings' results as served, JSON, each with the key it was made under:
/// a province-wide sitting is graded and serialised once, not per click.
#[derive(Default)]
pub struct ResultsCache {
    by_sitting: std::sync::Mutex<HashMap<SittingId, Cached>>,
    /// Bumped by every key correction (which regrades).
    epoch: AtomicU64,
}

impl ResultsCache {
    /// A correction changed grades: every cached result is stale.
    pub fn corrected(&self) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
    }

    fn get(&self, sitting: SittingId, key: ResultsKey) -> Option<Arc<Vec<u8>>> {
        let map = self.by_sitting.lock().expect("results cache lock");
        map.get(&sitting)
            .filter(|(k, _)| *k == key)
            .map(|(_, json)| json.clone())
    }

    fn put(&self, sitting: SittingId, key: ResultsKey, json: Arc<Vec<u8>>) {
        self.by_sitting
            .lock()
            .expect("results cache lock")
            .insert(sitting, (key, json));
    }
}

impl AppState {
    pub fn sitting_summaries(&self) -> Vec<SittingSummary> {
        let sittings: Vec<crate::model::Sitting> =
            self.catalog.plan().sittings.values().cloned().collect();
        let people = self.people();
        let mut out: Vec<SittingSummary> = sittings
            .iter()
            .map(|s| {
                let slots = people
                    .attempts
                    .values()
                    .filter(|a| a.candidate.sitting_id == s.id);
                let (mut attempts, mut finished) = (0, 0);
                for slot in slots {
                    attempts += 1;
                    if slot.is_graded() {
                        finished += 1;
                    }
                }
                SittingSummary {
                    sitting_id: s.id,
                    exam_id: s.exam_id.clone(),
                    title: self
                        .catalog
                        .exam(&s.exam_id)
                        .map_or_else(String::new, |e| e.title.clone()),
                    opens_at: s.opens_at,
                    closes_at: s.closes_at,
                    attempts,
                    finished,
                }
            })
            .collect();
        out.sort_by_key(|s| s.sitting_id);
        out
    }

    /// Results of every final attempt of `sitting`, graded with the exam as
    /// it is now (after any correction); of a practice exam, each student's
    /// counted try.
    pub async fn sitting_results(&self, sitting: SittingId) -> Result<Results, ErrorBody> {
        self.sitting_results_of(sitting, self.counted_tries(sitting))
            .await
    }

    /// Of a practice exam, the tries its results count.
    fn counted_tries(&self, sitting: SittingId) -> Option<Tries> {
        self.catalog
            .sitting(sitting)
            .and_then(|s| s.practice)
            .map(|rules| Tries::Counted(rules.counted))
    }

    /// [`Self::sitting_results`] over the tries `tries` picks (`None`:
    /// every final attempt).
    pub async fn sitting_results_of(
        &self,
        sitting: SittingId,
        tries: Option<Tries>,
    ) -> Result<Results, ErrorBody> {
        self.sync_sitting(sitting).await.map_err(internal)?;
        self.results_in_memory(sitting, tries).await
    }

    /// [`Self::sitting_results_of`] from this relay's copies as they are
    /// (brought to the stored state by the caller).
    async fn results_in_memory(
        &self,
        sitting: SittingId,
        tries: Option<Tries>,
    ) -> Result<Results, ErrorBody> {
        let Some(exam) = self.catalog.exam_of(sitting) else {
            return Err(ErrorBody::new(ErrorCode::NotFound, "no such sitting"));
        };
        let slots = self.slots_of(sitting);
        let rooms: HashMap<RoomId, String> = self
            .catalog
            .plan()
            .rooms
            .values()
            .map(|r| (r.id, r.name.clone()))
            .collect();
        let mut graded: Vec<Graded> = Vec::new();
        for slot in slots {
            let cell = slot.cell.lock().await;
            if let Some(grade) = &cell.grade {
                graded.push(Graded {
                    place: (
                        rooms
                            .get(&slot.candidate.room_id)
                            .cloned()
                            .unwrap_or_default(),
                        slot.candidate.name.clone(),
                        slot.candidate.candidate_number.clone(),
                    ),
                    answers: cell.attempt.answers.clone(),
                    grade: grade.clone(),
                    key: slot.candidate.key.clone(),
                });
            }
        }
        if let Some(which) = tries {
            let weighed: Vec<Try<'_, _>> = graded
                .iter()
                .map(|g| Try {
                    room: &g.place.0,
                    key: &g.key,
                    score: g.grade.score,
                })
                .collect();
            let keep = chosen(&weighed, which);
            graded = keep.into_iter().map(|i| graded[i].clone()).collect();
        }
        graded.sort_unstable_by(|a, b| a.place.cmp(&b.place));
        let mut numbers = Vec::with_capacity(graded.len());
        let finals: Vec<_> = graded
            .into_iter()
            .map(|g| {
                let (room, name, number) = g.place;
                numbers.push(number);
                (name, room, g.answers, g.grade)
            })
            .collect();
        let mut out = results(&exam, &finals)
            .map_err(|e| ErrorBody::new(ErrorCode::Internal, e.to_string()))?;
        for (row, number) in out.rows.iter_mut().zip(numbers) {
            row.candidate_number = number;
        }
        Ok(out)
    }

    /// The attempts of `sitting`.
    fn slots_of(&self, sitting: SittingId) -> Vec<Arc<AttemptSlot>> {
        self.people()
            .attempts
            .values()
            .filter(|a| a.candidate.sitting_id == sitting)
            .cloned()
            .collect()
    }

    /// The key `sitting`'s results are valid under now.
    async fn results_key(&self, sitting: SittingId) -> ResultsKey {
        // Before counting: a correction racing this makes the key stale.
        let epoch = self.results_cache.epoch.load(Ordering::SeqCst);
        let slots = self.slots_of(sitting);
        let mut finals = 0;
        for slot in &slots {
            if slot.cell.lock().await.grade.is_some() {
                finals += 1;
            }
        }
        ResultsKey {
            attempts: slots.len(),
            finals,
            epoch,
        }
    }

    /// [`Self::sitting_results`] as JSON, from the cache while nothing it
    /// depends on changed.
    pub async fn sitting_results_json(
        &self,
        sitting: SittingId,
    ) -> Result<Arc<Vec<u8>>, ErrorBody> {
        self.sync_sitting(sitting).await.map_err(internal)?;
        let key = self.results_key(sitting).await;
        if let Some(json) = self.results_cache.get(sitting, key) {
            return Ok(json);
        }
        // Brought to the stored state above, once.
        let results = self
            .results_in_memory(sitting, self.counted_tries(sitting))
            .await?;
        let json = Arc::new(serde_json::to_vec(&results).expect("results serialise"));
        self.results_cache.put(sitting, key, json.clone());
        Ok(json)
    }

    /// After a start: grades the sittings whose attempts are all final,
    /// one after another in the background, so the first teacher to open
    /// one after a restart does not wait for it.
    pub async fn warm_results(&self) {
        let sittings: Vec<SittingId> = self.catalog.plan().sittings.keys().copied().collect();
        for sitting in sittings {
            let slots = self.slots_of(sitting);
            let mut done = !slots.is_empty();
            for slot in &slots {
                done &= slot.cell.lock().await.grade.is_some();
            }
            if done && let Err(e) = self.sitting_results_json(sitting).await {
                tracing::warn!("results of sitting {sitting}: {e}");
            }
        }
    }

    /// After an attempt became final: when no attempt of its sitting is
    /// still working, computes the results and stores the snapshot (not for
    /// practice exams), and lets the bank learn from them.
    pub async fn snapshot_if_sitting_done(&self, sitting: SittingId) {
        // With other relays, this one's memory holds only some of the
        // sitting's attempts: the database says whether any still works.
        if self.clustered() {
            match self.sitting_still_working(sitting).await {
                Ok(false) => {}
                Ok(true) => return,
                Err(e) => {
                    tracing::error!("results of sitting {sitting}: {e}");
                    return;
                }
            }
        }
        let working = !self.clustered()
            && self
                .people()
                .attempts
                .values()
                .filter(|a| a.candidate.sitting_id == sitting)
                // A held cell counts as working: it may be a reopen on its way.
                .any(|a| {
                    a.cell.try_lock().map_or(true, |c| {
                        c.grade.is_none() && c.attempt.started_ms.is_some()
                    })
                });
        if working {
            return;
        }
        // What the bank learns is computed off the path of the student's
        // result.
        let state = self.clone();
        tokio::spawn(async move { state.bank_learn(sitting).await });
        // A practice exam is "done" after nearly every submission for a
        // week: its results are computed when asked, never stored as
        // evidence over and over.
        if self
            .catalog
            .sitting(sitting)
            .is_some_and(|s| s.practice.is_some())
        {
            return;
        }
        // Computed once: stored as evidence and served from the cache to
        // the teachers who open the sitting next.
        let json = match self.sitting_results_json(sitting).await {
            Ok(json) => String::from_utf8_lossy(&json).into_owned(),
            Err(e) => {
                tracing::error!("results of sitting {sitting}: {e}");
                return;
            }
        };
        let now = now_ms();
        let stored = self
            .store
            .write(move |txn| {
                txn.execute(
                    "INSERT INTO results (sitting_id, computed_at, results) VALUES (?1, ?2, ?3)",
                    crate::args![sitting, now, json],
                )
                .map(|_| ())
            })
            .await;
        if let Err(e) = stored {
            tracing::error!("storing results of sitting {sitting}: {e}");
        }
    }
}
