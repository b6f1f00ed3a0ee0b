//! Proctors in control: actions on attempts, incidents, messages, integrity
//! signals, the central view's room summaries, search and timelines.
//!
//! - [`actions`]: `POST /api/proctor/actions` — who may do what to whom,
//!   each with a reason, applied through [`crate::control`].
//! - [`notes`]: incidents and messages (with acknowledgements).
//! - [`signals`]: warnings from the student's page and from the relay's
//!   own view of the connection.
//! - [`summaries`]: per-room counts for the central view, sent at most once
//!   a second for the rooms that changed.
//! - [`search`], [`timeline`]: finding a candidate, and their record.
//!
//! Invariant: every proctor action is audited with its reason, in the same
//! transaction as the change it makes.

pub mod actions;
pub mod notes;
pub mod search;
pub mod signals;
pub mod summaries;
pub mod timeline;

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use examgate_shared::proctoring::{Incident, SentMessage};

use crate::model::{RoomId, SittingId};

/// Incidents and messages by room (in memory for the proctor views; SQLite
/// holds the record), and the rooms whose summary changed.
#[derive(Default)]
pub struct Oversight {
    incidents: Mutex<HashMap<RoomId, Vec<Incident>>>,
    messages: Mutex<HashMap<RoomId, Vec<(SittingId, SentMessage)>>>,
    dirty: Mutex<HashSet<RoomId>>,
}

impl Oversight {
    /// Fills the caches from what was loaded at start.
    pub fn restore(&self, incidents: Vec<Incident>, messages: Vec<(SittingId, SentMessage)>) {
        let mut by_room = self.incidents.lock().expect("incidents lock");
        for i in incidents {
            by_room.entry(i.room_id).or_default().push(i);
        }
        let mut by_room = self.messages.lock().expect("messages lock");
        for (sitting, m) in messages {
            by_room.entry(m.room_id).or_default().push((sitting, m));
        }
    }

    /// Marks `room`'s summary as changed.
    pub fn touch(&self, room: RoomId) {
        self.dirty.lock().expect("dirty lock").insert(room);
    }

    fn take_dirty(&self) -> Vec<RoomId> {
        let mut dirty = self.dirty.lock().expect("dirty lock");
        let mut rooms: Vec<RoomId> = dirty.drain().collect();
        rooms.sort_unstable();
        rooms
    }

    pub fn incidents_of(&self, room: RoomId) -> Vec<Incident> {
        self.incidents
            .lock()
            .expect("incidents lock")
            .get(&room)
            .cloned()
            .unwrap_or_default()
    }

    pub fn incident_count(&self, room: RoomId) -> u32 {
        self.incidents
            .lock()
            .expect("incidents lock")
            .get(&room)
            .map_or(0, |v| v.len() as u32)
    }

    pub fn messages_of(&self, room: RoomId) -> Vec<SentMessage> {
        self.messages
            .lock()
            .expect("messages lock")
            .get(&room)
            .map(|v| v.iter().map(|(_, m)| m.clone()).collect())
            .unwrap_or_default()
    }

    fn add_incident(&self, incident: Incident) {
        self.incidents
            .lock()
            .expect("incidents lock")
            .entry(incident.room_id)
            .or_default()
            .push(incident);
    }

    fn add_message(&self, sitting: SittingId, message: SentMessage) {
        self.messages
            .lock()
            .expect("messages lock")
            .entry(message.room_id)
            .or_default()
            .push((sitting, message));
    }

    /// Messages of `room` and `sitting` meant for `candidate` (theirs or the
    /// room's) that they have not acknowledged.
    fn unseen(&self, room: RoomId, sitting: SittingId, candidate: u64) -> Vec<SentMessage> {
        self.messages
            .lock()
            .expect("messages lock")
            .get(&room)
            .map(|v| {
                v.iter()
                    .filter(|(s, m)| {
                        *s == sitting
                            && m.candidate_id.is_none_or(|c| c == candidate)
                            && !m.seen_by.contains(&candidate)
                    })
                    .map(|(_, m)| m.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Records an acknowledgement; the message as it is now, if it was
    /// meant for the candidate and not acknowledged before.
    fn mark_seen(
        &self,
        room: RoomId,
        sitting: SittingId,
        message: u64,
        candidate: u64,
    ) -> Option<SentMessage> {
        let mut by_room = self.messages.lock().expect("messages lock");
        let (_, m) = by_room
            .get_mut(&room)?
            .iter_mut()
            .find(|(s, m)| m.id == message && *s == sitting)?;
        if m.candidate_id.is_some_and(|c| c != candidate) || m.seen_by.contains(&candidate) {
            return None;
        }
        m.seen_by.push(candidate);
        m.seen_by.sort_unstable();
        Some(m.clone())
    }
}
