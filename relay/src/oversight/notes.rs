//! Incidents proctors record and messages they send to students, with the
//! students' acknowledgements. Each is stored and audited before it is
//! shown anywhere.

use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::proctoring::{
    Incident, IncidentRequest, MessageRequest, SentMessage, StudentMessage, Target, check_note,
};
use examgate_shared::protocol::{RelayToProctor, RelayToStudent, encode};

use super::actions::may_act_on_room;
use crate::AppState;
use crate::attempts::internal;
use crate::auth::Session;
use crate::clock::now_ms;
use crate::model::{CandidateId, RoomId, SittingId};
use crate::state::AttemptSlot;
use crate::store::{oversight, writes};

fn invalid(what: &str, why: &str) -> ErrorBody {
    ErrorBody::new(ErrorCode::Invalid, format!("{what}: {why}"))
}

impl AppState {
    /// Records an incident against a room or one of its candidates.
    pub async fn record_incident(
        &self,
        staff: &Session,
        req: IncidentRequest,
    ) -> Result<Incident, ErrorBody> {
        may_act_on_room(self, staff, req.room_id)?;
        let text = check_note(&req.text).map_err(|why| invalid("text", why))?;
        if let Some(candidate) = req.candidate_id {
            let in_room = self
                .people()
                .candidates
                .get(&candidate)
                .is_some_and(|c| c.room_id == req.room_id);
            if !in_room {
                return Err(ErrorBody::new(
                    ErrorCode::NotFound,
                    "no such candidate in this room",
                ));
            }
        }
        let mut incident = Incident {
            id: 0,
            at: now_ms(),
            room_id: req.room_id,
            candidate_id: req.candidate_id,
            category: req.category,
            text,
            by: staff.actor(),
        };
        let stored = incident.clone();
        incident.id = self
            .store
            .write(move |txn| {
                let id = oversight::insert_incident(txn, &stored)?;
                let detail = serde_json::json!({
                    "incident": id, "room": stored.room_id, "candidate": stored.candidate_id,
                    "category": stored.category, "text": stored.text,
                });
                writes::audit(txn, stored.at, &stored.by, "incident", &detail.to_string())?;
                Ok(id)
            })
            .await
            .map_err(internal)?;
        self.oversight.add_incident(incident.clone());
        self.oversight.touch(incident.room_id);
        self.send_room_anywhere(
            incident.room_id,
            RelayToProctor::Incident {
                incident: incident.clone(),
            },
        );
        Ok(incident)
    }

    /// Sends a message to one candidate, or to every candidate of the room
    /// in the sittings open now (one message per sitting).
    pub async fn send_message(
        &self,
        staff: &Session,
        req: MessageRequest,
    ) -> Result<Vec<SentMessage>, ErrorBody> {
        let text = check_note(&req.text).map_err(|why| invalid("text", why))?;
        let now = now_ms();
        self.learn_target(req.target).await.map_err(internal)?;
        let (room_id, to): (RoomId, Vec<(SittingId, Option<CandidateId>)>) = match req.target {
            Target::Candidate { candidate_id } => {
                let c = self
                    .people()
                    .candidates
                    .get(&candidate_id)
                    .cloned()
                    .ok_or_else(|| ErrorBody::new(ErrorCode::NotFound, "no such candidate"))?;
                (c.room_id, vec![(c.sitting_id, Some(c.id))])
            }
            Target::Room { room_id } => {
                may_act_on_room(self, staff, room_id)?;
                let sittings = self.live_sittings_of(room_id, now);
                if sittings.is_empty() {
                    return Err(ErrorBody::new(
                        ErrorCode::Conflict,
                        "no shift of this room is open now: nobody would read the message",
                    ));
                }
                (room_id, sittings.into_iter().map(|s| (s, None)).collect())
            }
        };
        may_act_on_room(self, staff, room_id)?;
        let by = staff.actor();
        let mut sent = Vec::new();
        for (sitting, candidate) in to {
            let mut message = SentMessage {
                id: 0,
                at: now,
                room_id,
                candidate_id: candidate,
                text: text.clone(),
                by: by.clone(),
                seen_by: Vec::new(),
            };
            let stored = message.clone();
            message.id = self
                .store
                .write(move |txn| {
                    let id = oversight::insert_message(txn, sitting, &stored)?;
                    let detail = serde_json::json!({
                        "message": id, "room": stored.room_id, "candidate": stored.candidate_id,
                        "text": stored.text,
                    });
                    writes::audit(txn, stored.at, &stored.by, "message", &detail.to_string())?;
                    Ok(id)
                })
                .await
                .map_err(internal)?;
            self.oversight.add_message(sitting, message.clone());
            let for_student = encode(&RelayToStudent::Message {
                message: StudentMessage {
                    id: message.id,
                    at: message.at,
                    text: message.text.clone(),
                    to_room: candidate.is_none(),
                },
            });
            for attempt in self.attempts_reached(room_id, sitting, candidate) {
                self.send_to_student_anywhere(attempt, vec![for_student.clone()], false);
            }
            self.send_room_anywhere(
                room_id,
                RelayToProctor::Message {
                    message: message.clone(),
                },
            );
            sent.push(message);
        }
        Ok(sent)
    }

    /// The attempts of `room` and `sitting` a message reaches.
    fn attempts_reached(
        &self,
        room: RoomId,
        sitting: SittingId,
        candidate: Option<CandidateId>,
    ) -> Vec<crate::model::AttemptId> {
        let people = self.people();
        let ids: Vec<CandidateId> = match candidate {
            Some(c) => vec![c],
            None => people.in_room.get(&room).cloned().unwrap_or_default(),
        };
        ids.iter()
            .filter(|c| {
                people
                    .candidates
                    .get(c)
                    .is_some_and(|c| c.sitting_id == sitting)
            })
            .filter_map(|c| people.attempt_of.get(c).copied())
            .collect()
    }

    /// The student's page showed message `id` and the student acknowledged
    /// it. Unknown or repeated acknowledgements change nothing.
    pub async fn message_seen(&self, slot: &AttemptSlot, id: u64) {
        let c = &slot.candidate;
        let Some(message) = self.oversight.mark_seen(c.room_id, c.sitting_id, id, c.id) else {
            return;
        };
        let (candidate, now) = (c.id, now_ms());
        let stored = self
            .store
            .write(move |txn| oversight::insert_seen(txn, id, candidate, now))
            .await;
        if let Err(e) = stored {
            tracing::error!("storing the acknowledgement of message {id}: {e}");
        }
        self.live
            .send_room(c.room_id, RelayToProctor::Message { message });
    }

    /// Messages for this attempt's candidate not yet acknowledged.
    pub fn unseen_messages(&self, slot: &AttemptSlot) -> Vec<StudentMessage> {
        let c = &slot.candidate;
        self.oversight
            .unseen(c.room_id, c.sitting_id, c.id)
            .into_iter()
            .map(|m| StudentMessage {
                id: m.id,
                at: m.at,
                to_room: m.candidate_id.is_none(),
                text: m.text,
            })
            .collect()
    }
}
