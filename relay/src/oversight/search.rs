//! `GET /api/proctor/search?q=`: find a candidate anywhere the session may
//! watch, by name (diacritics and case ignored), số báo danh, or — for
//! proctors and the exam office, not teachers — the CCCD number (whole, or
//! its last digits as a proctor reads them off a card).

use std::collections::HashSet;

use examgate_shared::office::names;
use examgate_shared::proctoring::SearchHit;
use examgate_shared::roster::RowStatus;

use examgate_shared::protocol::Role;

use crate::AppState;
use crate::auth::Session;

/// Most hits one search returns.
pub const MAX_HITS: usize = 50;

/// Shortest query searched (fewer characters would match everyone).
const MIN_QUERY_CHARS: usize = 2;

fn fold(text: &str) -> String {
    names::fold(text)
}

/// Whether a CCCD number matches the digits typed: all of them, or its
/// last four or more.
fn person_matches(person: &str, digits: &str) -> bool {
    person == digits || (digits.len() >= 4 && person.ends_with(digits))
}

impl AppState {
    pub fn search_candidates(&self, staff: &Session, query: &str) -> Vec<SearchHit> {
        let q = fold(query.trim());
        if q.chars().count() < MIN_QUERY_CHARS {
            return Vec::new();
        }
        // CCCD numbers are looked up only by those who check identities.
        let digits = q.chars().all(|c| c.is_ascii_digit()) && staff.role != Role::Teacher;
        let mut found: Vec<(u64, String, Option<String>, u64, u64)> = Vec::new();
        {
            // Registered candidates whose CCCD matches: by sitting and
            // number, or by their card key (card holders are keyed by the
            // number's keyed hash, so the roster is where numbers are read).
            let mut by_number: HashSet<(u64, String)> = HashSet::new();
            let mut by_card: HashSet<(u64, u64, String)> = HashSet::new();
            if digits {
                let plan = self.catalog.plan();
                for e in plan.roster_entries() {
                    let Some(person) = e.person_id.as_deref().filter(|p| person_matches(p, &q))
                    else {
                        continue;
                    };
                    if let Some(n) = &e.candidate_number {
                        by_number.insert((e.sitting_id, n.clone()));
                    }
                    by_card.insert((e.sitting_id, e.room_id, self.at_rest.card_key(person)));
                }
            }
            let people = self.people();
            for c in people.candidates.values() {
                let by_person = by_card.contains(&(c.sitting_id, c.room_id, c.key.clone()));
                let by_roster = c
                    .candidate_number
                    .as_ref()
                    .is_some_and(|n| by_number.contains(&(c.sitting_id, n.clone())));
                let hit = fold(&c.name).contains(&q)
                    || c.candidate_number.as_deref().is_some_and(|n| fold(n) == q)
                    || by_person
                    || by_roster;
                if hit {
                    found.push((
                        c.id,
                        c.name.clone(),
                        c.candidate_number.clone(),
                        c.room_id,
                        c.sitting_id,
                    ));
                }
            }
        }
        found.sort_by_key(|f| f.0);
        let mut hits = Vec::new();
        for (candidate_id, name, candidate_number, room_id, _) in found {
            if !self.may_watch(staff, room_id) {
                continue;
            }
            let (room, site) = {
                let plan = self.catalog.plan();
                match plan.rooms.get(&room_id) {
                    Some(r) => (r.name.clone(), plan.site_name(r).to_owned()),
                    None => continue,
                }
            };
            let status = self
                .live
                .with_rows(room_id, |rows| {
                    rows.filter(|r| r.candidate_id == candidate_id)
                        .map(|r| r.status)
                        .next()
                })
                .unwrap_or(RowStatus::NotStarted);
            hits.push(SearchHit {
                candidate_id,
                name,
                candidate_number,
                room_id,
                room,
                site,
                status,
            });
            if hits.len() == MAX_HITS {
                break;
            }
        }
        hits
    }
}
