//! The bank learns from every sitting: once a sitting's results are
//! computed, each paper question that came from the bank has its facility,
//! discrimination and flags stored against the bank question (replaced
//! when the results are computed again, e.g. after a key correction).

use examgate_shared::analysis::Stat;
use examgate_shared::bank::api::ItemStat;
use examgate_shared::results::Results;

use super::rows;
use crate::AppState;
use crate::clock::now_ms;
use crate::model::SittingId;

impl AppState {
    /// Stores what `sitting` taught the bank, if its paper came from it.
    /// One sitting's runs take turns, each computing from the results as
    /// they are when it runs: the last one stored has seen every final
    /// attempt (two runs side by side could store the older figures last).
    pub async fn bank_learn(&self, sitting: SittingId) {
        let _turn = self.learn_locks.lock(sitting).await;
        let Some(exam) = self.catalog.exam_of(sitting) else {
            return;
        };
        let exam_id = exam.id.clone();
        let links = match self
            .store
            .read(move |conn| rows::paper_links(conn, &exam_id))
            .await
        {
            Ok(links) if !links.is_empty() => links,
            Ok(_) => return,
            Err(e) => {
                tracing::error!("bank links of sitting {sitting}: {e}");
                return;
            }
        };
        // First tries only: a later try of a practice exam has seen the keys.
        let results = match self
            .sitting_results_of(sitting, Some(crate::practice::Tries::First))
            .await
        {
            Ok(r) => r,
            Err(e) => {
                tracing::error!("results of sitting {sitting} for the bank: {e}");
                return;
            }
        };
        let stats = stats_of(&results, &links, sitting, now_ms());
        if stats.is_empty() {
            return;
        }
        let stored = self
            .store
            .write(move |txn| {
                stats
                    .iter()
                    .try_for_each(|(item, s)| rows::put_stat(txn, *item, s))
            })
            .await;
        if let Err(e) = stored {
            tracing::error!("storing bank statistics of sitting {sitting}: {e}");
        }
    }
}

fn defined(stat: &Stat) -> Option<f64> {
    match stat {
        Stat::Defined(v) => Some(*v),
        Stat::Undefined(_) => None,
    }
}

/// (bank question, what the sitting taught) per analysed paper question
/// that came from the bank.
pub fn stats_of(
    results: &Results,
    links: &[(u32, u64)],
    sitting: SittingId,
    at: i64,
) -> Vec<(u64, ItemStat)> {
    let candidates = results.analysis.test.attempts;
    if candidates == 0 {
        return Vec::new();
    }
    results
        .questions
        .iter()
        .zip(&results.analysis.items)
        .filter_map(|(question, stats)| {
            let item = links.iter().find(|(q, _)| *q == question.0)?.1;
            let stat = ItemStat {
                sitting_id: sitting,
                exam_id: results.exam_id.clone(),
                at,
                candidates,
                facility: defined(&stats.facility_pct)? / 100.0,
                discrimination: defined(&stats.discrimination_index_pct).map(|d| d / 100.0),
                flags: stats.flags.iter().map(|f| f.name().to_string()).collect(),
            };
            Some((item, stat))
        })
        .collect()
}
