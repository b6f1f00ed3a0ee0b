//! What the student's browser keeps across reloads, and under which keys:
//!
//! | key                          | area    | holds                              |
//! |------------------------------|---------|------------------------------------|
//! | `examgate.student`           | local   | [`StudentSession`]                 |
//! | `examgate.attempt.<id>`      | local   | [`LocalAttempt`] (outbox, flags…)  |
//! | `examgate.paper.<id>`        | local   | [`PaperCache`] (offline reload)    |
//! | `examgate.working.<id>`      | session | `true`: this tab showed the attempt working |
//!
//! The last one dies with the tab, so finding it at load means this tab
//! was reloaded mid-attempt (a first load, or another tab, never has it).

use examgate_shared::attempt::Attempt;
use examgate_shared::clock::ClockSync;
use examgate_shared::outbox::Outbox;
use examgate_shared::paper::Paper;
use serde::{Deserialize, Serialize};

use super::by_question::QuestionSet;
use crate::storage::{Area, Slot};

/// Who this browser joined as (`examgate.student`). Its presence means "go
/// straight to the exam" on load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentSession {
    pub token: String,
    pub attempt_id: u64,
    pub exam_title: String,
    pub room: String,
    /// As typed at join; the relay's spelling replaces it once welcomed.
    pub name: String,
}

/// The attempt's working state (`examgate.attempt.<id>`), written before
/// every send so nothing clicked is ever lost to a reload.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalAttempt {
    /// Events the relay has not acknowledged yet.
    pub outbox: Outbox,
    /// Questions marked for review; only this browser knows them.
    #[serde(default)]
    pub flags: QuestionSet,
    /// Position of the question on screen (0-based, paper order).
    #[serde(default)]
    pub current: usize,
    /// The client's prediction of the relay's attempt: the last welcome,
    /// with every acknowledged event applied through the shared
    /// [`Attempt::apply`]. With the outbox overlaid on its answers it gives
    /// what the student sees, even after a reload without network.
    #[serde(default)]
    pub relay: Attempt,
}

/// The paper from the last welcome (`examgate.paper.<id>`), so a reload
/// while the network is down still shows the questions and a countdown,
/// and the result can name options by the letters this student saw (the
/// relay sends no paper once the attempt is final). Written once per
/// welcome, not per click: it is the big one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperCache {
    pub paper: Paper,
    pub candidate_name: String,
    /// The offset measured then; replaced at the next welcome.
    pub clock: ClockSync,
}

pub fn session_slot() -> Slot<StudentSession> {
    Slot::new(Area::Local, "examgate.student")
}

pub fn attempt_slot(attempt_id: u64) -> Slot<LocalAttempt> {
    Slot::new(Area::Local, format!("examgate.attempt.{attempt_id}"))
}

pub fn paper_slot(attempt_id: u64) -> Slot<PaperCache> {
    Slot::new(Area::Local, format!("examgate.paper.{attempt_id}"))
}

/// Set in this tab once the attempt was seen working; see the module doc.
pub fn working_slot(attempt_id: u64) -> Slot<bool> {
    Slot::new(Area::Session, format!("examgate.working.{attempt_id}"))
}

#[cfg(test)]
mod tests {
    use examgate_shared::answer::AnswerValue;
    use examgate_shared::attempt::StudentEvent;
    use examgate_shared::exam::{OptionId, QuestionId};

    use super::*;

    #[test]
    fn the_attempt_record_survives_json() {
        let mut local = LocalAttempt::default();
        local.outbox.push(StudentEvent::Answer {
            question: QuestionId(5),
            value: Some(AnswerValue::Typed("-1,5".into())),
        });
        local.outbox.push(StudentEvent::Submit);
        local.flags.insert(QuestionId(4));
        local.current = 3;
        local
            .relay
            .answers
            .insert(QuestionId(2), AnswerValue::Choice(OptionId(1)));
        local.relay.answers.insert(
            QuestionId(3),
            AnswerValue::TrueFalse(vec![Some(true), None, Some(false), None]),
        );
        local.relay.acked_seq = 7;
        let text = serde_json::to_string(&local).unwrap();
        assert_eq!(serde_json::from_str::<LocalAttempt>(&text).unwrap(), local);
        // A record from before a field existed still loads.
        let old: LocalAttempt =
            serde_json::from_str(r#"{"outbox":{"next_seq":1,"pending":[]}}"#).unwrap();
        assert_eq!(old.current, 0);
    }
}
