//! The central view's order and filters over the room summaries: problems
//! first by default ([`RoomSummary::trouble`]), any column on a click, and
//! only the rooms with warnings, with disconnections, or of one site.

use std::cmp::Ordering;
use std::rc::Rc;

use examgate_shared::proctoring::{RoomSummary, StatusCounts};
use examgate_shared::roster::RowStatus;

use super::state::Summaries;

/// A column the table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// Problems first: [`RoomSummary::trouble`].
    Trouble,
    Site,
    Room,
    Exam,
    Count(RowStatus),
    Warnings,
    Incidents,
    PendingCheckins,
}

impl SortKey {
    /// `data-sort` on the column's header.
    pub fn name(self) -> &'static str {
        match self {
            SortKey::Trouble => "trouble",
            SortKey::Site => "site",
            SortKey::Room => "room",
            SortKey::Exam => "exam",
            SortKey::Count(status) => status.as_str(),
            SortKey::Warnings => "warnings",
            SortKey::Incidents => "incidents",
            SortKey::PendingCheckins => "pending_checkins",
        }
    }

    /// Names sort A to Z first, counts largest first.
    fn descending_first(self) -> bool {
        !matches!(self, SortKey::Site | SortKey::Room | SortKey::Exam)
    }

    fn compare(self, a: &RoomSummary, b: &RoomSummary) -> Ordering {
        match self {
            SortKey::Trouble => a.trouble().cmp(&b.trouble()),
            SortKey::Site => a.site.cmp(&b.site),
            SortKey::Room => a.name.cmp(&b.name),
            SortKey::Exam => a.exam_title.cmp(&b.exam_title),
            SortKey::Count(status) => count(&a.counts, status).cmp(&count(&b.counts, status)),
            SortKey::Warnings => a.warnings.cmp(&b.warnings),
            SortKey::Incidents => a.incidents.cmp(&b.incidents),
            SortKey::PendingCheckins => a.pending_checkins.cmp(&b.pending_checkins),
        }
    }
}

/// How many of a room's candidates are in `status`.
pub fn count(counts: &StatusCounts, status: RowStatus) -> u32 {
    match status {
        RowStatus::NotStarted => counts.not_started,
        RowStatus::CheckedIn => counts.checked_in,
        RowStatus::Working => counts.working,
        RowStatus::Disconnected => counts.disconnected,
        RowStatus::Paused => counts.paused,
        RowStatus::Submitted => counts.submitted,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Sort {
            key: SortKey::Trouble,
            descending: true,
        }
    }
}

impl Sort {
    /// After a click on `key`'s header: the other direction if it is the
    /// current column, else that column in its natural direction.
    pub fn clicked(self, key: SortKey) -> Sort {
        if key == self.key {
            Sort {
                key,
                descending: !self.descending,
            }
        } else {
            Sort {
                key,
                descending: key.descending_first(),
            }
        }
    }

    /// `aria-sort` of `key`'s header.
    pub fn aria(self, key: SortKey) -> &'static str {
        match (self.key == key, self.descending) {
            (false, _) => "none",
            (true, true) => "descending",
            (true, false) => "ascending",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub with_warnings: bool,
    pub with_disconnected: bool,
    pub site: Option<u64>,
}

impl Filters {
    pub fn admits(&self, s: &RoomSummary) -> bool {
        (!self.with_warnings || s.warnings > 0)
            && (!self.with_disconnected || s.counts.disconnected > 0)
            && self.site.is_none_or(|site| s.site_id == site)
    }
}

/// The rooms to list, in order. Ties fall back to site, room name and id,
/// so the order is stable while counts change elsewhere.
pub fn ordered(all: &Summaries, sort: Sort, filters: &Filters) -> Vec<Rc<RoomSummary>> {
    let mut rooms: Vec<Rc<RoomSummary>> = all
        .values()
        .filter(|s| filters.admits(s))
        .cloned()
        .collect();
    rooms.sort_by(|a, b| {
        let primary = sort.key.compare(a, b);
        let primary = if sort.descending {
            primary.reverse()
        } else {
            primary
        };
        primary
            .then_with(|| a.site.cmp(&b.site))
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.room_id.cmp(&b.room_id))
    });
    rooms
}

/// The sites among the summaries, by name, for the site filter.
pub fn sites(all: &Summaries) -> Vec<(u64, String)> {
    let mut sites: Vec<(u64, String)> = all.values().map(|s| (s.site_id, s.site.clone())).collect();
    sites.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    sites.dedup();
    sites
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(room_id: u64, site_id: u64, name: &str) -> RoomSummary {
        RoomSummary {
            room_id,
            site_id,
            site: format!("Trường {site_id}"),
            name: name.into(),
            exam_title: "Toán".into(),
            requires_card: false,
            counts: StatusCounts {
                working: 40,
                ..StatusCounts::default()
            },
            warnings: 0,
            warned: 0,
            incidents: 0,
            pending_checkins: 0,
        }
    }

    fn all(list: Vec<RoomSummary>) -> Summaries {
        list.into_iter().map(|s| (s.room_id, Rc::new(s))).collect()
    }

    fn ids(rooms: &[Rc<RoomSummary>]) -> Vec<u64> {
        rooms.iter().map(|s| s.room_id).collect()
    }

    fn sample() -> Summaries {
        let quiet = summary(1, 1, "P.01");
        let mut warned = summary(2, 1, "P.02");
        warned.warnings = 3;
        warned.warned = 2;
        let mut dropped = summary(3, 2, "P.01");
        dropped.counts.disconnected = 1;
        dropped.counts.working = 39;
        let mut incident = summary(4, 2, "P.02");
        incident.incidents = 5;
        all(vec![quiet, warned, dropped, incident])
    }

    #[test]
    fn problems_come_first_and_ties_keep_site_then_room_order() {
        let rooms = ordered(&sample(), Sort::default(), &Filters::default());
        // Trouble: room 4 has 5 (incidents), room 2 has 2 (candidates
        // warned), room 3 has 1 (disconnected), room 1 none.
        assert_eq!(ids(&rooms), vec![4, 2, 3, 1]);
    }

    #[test]
    fn columns_sort_both_ways() {
        let by_room = Sort::default().clicked(SortKey::Room);
        assert!(!by_room.descending, "names A to Z first");
        assert_eq!(
            ids(&ordered(&sample(), by_room, &Filters::default())),
            vec![1, 3, 2, 4]
        );
        let back = by_room.clicked(SortKey::Room);
        assert_eq!(back.aria(SortKey::Room), "descending");
        assert_eq!(back.aria(SortKey::Site), "none");
        let working = Sort::default().clicked(SortKey::Count(RowStatus::Working));
        assert!(working.descending);
        assert_eq!(
            ids(&ordered(&sample(), working, &Filters::default()))[3],
            3,
            "39 working is the fewest"
        );
    }

    #[test]
    fn filters_narrow_to_warnings_disconnections_or_a_site() {
        let s = sample();
        let only = |f: Filters| ids(&ordered(&s, Sort::default(), &f));
        assert_eq!(
            only(Filters {
                with_warnings: true,
                ..Filters::default()
            }),
            vec![2]
        );
        assert_eq!(
            only(Filters {
                with_disconnected: true,
                ..Filters::default()
            }),
            vec![3]
        );
        assert_eq!(
            only(Filters {
                site: Some(2),
                ..Filters::default()
            }),
            vec![4, 3]
        );
        assert_eq!(
            sites(&s),
            vec![(1, "Trường 1".to_string()), (2, "Trường 2".to_string())]
        );
    }
}
