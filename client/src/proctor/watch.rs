//! Which rooms the central view has open: the rooms whose rows the feed
//! carries (`{"type":"watch","rooms":[…]}`), at most
//! [`MAX_WATCHED_ROOMS`], oldest first so the oldest goes when one more
//! opens.
//!
//! Until the page chooses, the relay decides (a room proctor's room; every
//! room when there are four or fewer), and the rooms it sent are the open
//! ones. Once chosen, the choice is sent again after every reconnect,
//! because a new connection starts from the relay's default.

use examgate_shared::proctoring::MAX_WATCHED_ROOMS;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WatchSet {
    /// `None`: the relay's default.
    chosen: Option<Vec<u64>>,
}

impl WatchSet {
    /// The page's choice, to send; `None` while the relay's default holds.
    pub fn chosen(&self) -> Option<&[u64]> {
        self.chosen.as_deref()
    }

    fn base(&self, shown: &[u64]) -> Vec<u64> {
        self.chosen.clone().unwrap_or_else(|| shown.to_vec())
    }

    /// Opens `room` (`shown`: the rooms the feed carries now). Returns
    /// whether the set changed, i.e. whether the relay must be told.
    pub fn open(&mut self, shown: &[u64], room: u64) -> bool {
        let mut rooms = self.base(shown);
        if rooms.contains(&room) {
            return false;
        }
        rooms.push(room);
        if rooms.len() > MAX_WATCHED_ROOMS {
            rooms.remove(0);
        }
        self.chosen = Some(rooms);
        true
    }

    /// Hides `room`; whether the set changed.
    pub fn hide(&mut self, shown: &[u64], room: u64) -> bool {
        let mut rooms = self.base(shown);
        let before = rooms.len();
        rooms.retain(|&r| r != room);
        let changed = rooms.len() != before;
        if changed {
            self.chosen = Some(rooms);
        }
        changed
    }

    /// Whether `room` is (or is about to be) open.
    pub fn is_open(&self, shown: &[u64], room: u64) -> bool {
        match &self.chosen {
            Some(rooms) => rooms.contains(&room),
            None => shown.contains(&room),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_relays_default_holds_until_the_page_chooses() {
        let mut w = WatchSet::default();
        assert_eq!(w.chosen(), None);
        assert!(w.is_open(&[1, 2], 2));
        assert!(!w.open(&[1, 2], 2), "already open: nothing to send");
        assert_eq!(w.chosen(), None);
        assert!(w.open(&[1, 2], 5));
        assert_eq!(w.chosen(), Some(&[1, 2, 5][..]));
        // From now on the choice counts, not what the feed carries.
        assert!(w.is_open(&[], 5));
        assert!(w.hide(&[], 1));
        assert_eq!(w.chosen(), Some(&[2, 5][..]));
        assert!(!w.hide(&[], 1));
    }

    #[test]
    fn opening_one_more_than_the_limit_closes_the_oldest() {
        let mut w = WatchSet::default();
        for room in 1..=MAX_WATCHED_ROOMS as u64 {
            assert!(w.open(&[], room));
        }
        assert_eq!(w.chosen().unwrap().len(), MAX_WATCHED_ROOMS);
        assert!(w.open(&[], 999));
        let rooms = w.chosen().unwrap();
        assert_eq!(rooms.len(), MAX_WATCHED_ROOMS);
        assert_eq!(rooms[0], 2, "room 1 was the oldest");
        assert_eq!(*rooms.last().unwrap(), 999);
    }
}
