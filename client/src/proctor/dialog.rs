//! What a proctor asks the relay to do from a row or a room: the task, whom
//! it is for, and the small form behind it (minutes, reason, text,
//! category), checked here before it becomes a request. The relay checks
//! again and has the last word; this only saves a round trip for an empty
//! reason.

use examgate_shared::control::MAX_CONTROL_MINUTES;
use examgate_shared::proctoring::{
    Action, ActionRequest, IncidentCategory, IncidentRequest, MessageRequest, Target, check_note,
};
use examgate_shared::protocol::Role;
use examgate_shared::roster::RowStatus;

/// One thing a proctor does; the first six are attempt actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Task {
    ExtraTime,
    Pause,
    Resume,
    End,
    Reopen,
    Move,
    Message,
    Incident,
}

impl Task {
    pub const ALL: [Task; 8] = [
        Task::ExtraTime,
        Task::Pause,
        Task::Resume,
        Task::End,
        Task::Reopen,
        Task::Move,
        Task::Message,
        Task::Incident,
    ];

    /// The room-wide tasks, in the order of the room's buttons.
    pub const ROOM: [Task; 5] = [
        Task::ExtraTime,
        Task::Pause,
        Task::Resume,
        Task::Message,
        Task::Incident,
    ];

    /// `data-task`: the action's wire name, or `message` / `incident`.
    pub fn name(self) -> &'static str {
        match self.action(0) {
            Some(action) => action.name(),
            None if self == Task::Message => "message",
            None => "incident",
        }
    }

    /// The attempt action, with `minutes` where it takes them.
    fn action(self, minutes: u32) -> Option<Action> {
        Some(match self {
            Task::ExtraTime => Action::ExtraTime { minutes },
            Task::Pause => Action::Pause,
            Task::Resume => Action::Resume,
            Task::End => Action::End,
            Task::Reopen => Action::Reopen { minutes },
            Task::Move => Action::Move,
            Task::Message | Task::Incident => return None,
        })
    }

    pub fn takes_minutes(self) -> bool {
        matches!(self, Task::ExtraTime | Task::Reopen)
    }

    /// Messages and incidents carry a text; actions a reason.
    pub fn takes_text(self) -> bool {
        matches!(self, Task::Message | Task::Incident)
    }

    /// What a row's menu offers for a candidate in `status`. Reopen is the
    /// exam office's alone; the relay refuses anything that does not apply
    /// at the moment it arrives, so this only hides the pointless.
    pub fn for_row(status: RowStatus, role: Role) -> Vec<Task> {
        use Task::*;
        let mut tasks = match status {
            RowStatus::NotStarted => vec![ExtraTime, Message, Incident],
            RowStatus::CheckedIn => vec![ExtraTime, Move, Message, Incident],
            RowStatus::Working | RowStatus::Disconnected => {
                vec![ExtraTime, Pause, End, Move, Message, Incident]
            }
            RowStatus::Paused => vec![ExtraTime, Resume, End, Move, Message, Incident],
            RowStatus::Submitted => vec![Reopen, Incident],
        };
        if role != Role::ExamOffice {
            tasks.retain(|&t| t != Reopen);
        }
        tasks
    }
}

/// Whether `role` acts on attempts at all (teachers watch, never act).
pub fn can_act(role: Role) -> bool {
    matches!(
        role,
        Role::RoomProctor | Role::CentralProctor | Role::ExamOffice
    )
}

/// An open dialog: the task and whom it is for.
#[derive(Debug, Clone, PartialEq)]
pub struct Dialog {
    pub task: Task,
    pub target: Target,
    /// The room of the target (incidents are filed by room).
    pub room_id: u64,
    /// Whom, as the title names it: the candidate's or the room's name.
    pub who: String,
}

/// The form as typed (inputs are controlled: the values live here).
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub minutes: String,
    pub reason: String,
    pub text: String,
    pub category: IncidentCategory,
}

impl Default for Draft {
    fn default() -> Self {
        Draft {
            minutes: "10".into(),
            reason: String::new(),
            text: String::new(),
            category: IncidentCategory::Technical,
        }
    }
}

/// What is wrong with a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftProblem {
    BadMinutes,
    NeedReason,
    NeedText,
    TooLong,
}

/// A checked request for one of the three endpoints.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    Action(ActionRequest),
    Incident(IncidentRequest),
    Message(MessageRequest),
}

fn note(text: &str, empty: DraftProblem) -> Result<String, DraftProblem> {
    check_note(text).map_err(|_| {
        if text.trim().is_empty() {
            empty
        } else {
            DraftProblem::TooLong
        }
    })
}

impl Dialog {
    /// The request the draft makes, or what to fix first.
    pub fn request(&self, draft: &Draft) -> Result<Request, DraftProblem> {
        if self.task.takes_text() {
            let text = note(&draft.text, DraftProblem::NeedText)?;
            return Ok(match self.task {
                Task::Message => Request::Message(MessageRequest {
                    target: self.target,
                    text,
                }),
                _ => Request::Incident(IncidentRequest {
                    room_id: self.room_id,
                    candidate_id: match self.target {
                        Target::Candidate { candidate_id } => Some(candidate_id),
                        Target::Room { .. } => None,
                    },
                    category: draft.category,
                    text,
                }),
            });
        }
        let minutes = if self.task.takes_minutes() {
            match draft.minutes.trim().parse::<u32>() {
                Ok(m @ 1..=MAX_CONTROL_MINUTES) => m,
                _ => return Err(DraftProblem::BadMinutes),
            }
        } else {
            0
        };
        let reason = note(&draft.reason, DraftProblem::NeedReason)?;
        let action = self.task.action(minutes).expect("an action task");
        Ok(Request::Action(ActionRequest {
            target: self.target,
            action,
            reason,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dialog(task: Task) -> Dialog {
        Dialog {
            task,
            target: Target::Candidate { candidate_id: 7 },
            room_id: 2,
            who: "Nguyễn Văn An".into(),
        }
    }

    #[test]
    fn an_action_needs_a_reason_and_sensible_minutes() {
        let mut draft = Draft::default();
        assert_eq!(
            dialog(Task::ExtraTime).request(&draft),
            Err(DraftProblem::NeedReason)
        );
        draft.reason = "  ngất, nghỉ 10 phút ".into();
        draft.minutes = "0".into();
        assert_eq!(
            dialog(Task::ExtraTime).request(&draft),
            Err(DraftProblem::BadMinutes)
        );
        draft.minutes = " 12 ".into();
        assert_eq!(
            dialog(Task::ExtraTime).request(&draft),
            Ok(Request::Action(ActionRequest {
                target: Target::Candidate { candidate_id: 7 },
                action: Action::ExtraTime { minutes: 12 },
                reason: "ngất, nghỉ 10 phút".into(),
            }))
        );
        // Minutes only matter where the action takes them.
        draft.minutes = "x".into();
        assert!(matches!(
            dialog(Task::Pause).request(&draft),
            Ok(Request::Action(ActionRequest {
                action: Action::Pause,
                ..
            }))
        ));
        draft.reason = "x".repeat(1_001);
        assert_eq!(
            dialog(Task::Pause).request(&draft),
            Err(DraftProblem::TooLong)
        );
    }

    #[test]
    fn incidents_and_messages_need_a_text_and_keep_their_target() {
        let mut draft = Draft {
            category: IncidentCategory::Health,
            ..Draft::default()
        };
        assert_eq!(
            dialog(Task::Incident).request(&draft),
            Err(DraftProblem::NeedText)
        );
        draft.text = "Thí sinh chóng mặt".into();
        assert_eq!(
            dialog(Task::Incident).request(&draft),
            Ok(Request::Incident(IncidentRequest {
                room_id: 2,
                candidate_id: Some(7),
                category: IncidentCategory::Health,
                text: "Thí sinh chóng mặt".into(),
            }))
        );
        let room = Dialog {
            target: Target::Room { room_id: 2 },
            ..dialog(Task::Message)
        };
        assert_eq!(
            room.request(&draft),
            Ok(Request::Message(MessageRequest {
                target: Target::Room { room_id: 2 },
                text: "Thí sinh chóng mặt".into(),
            }))
        );
    }

    #[test]
    fn menus_follow_the_status_and_reopen_is_the_offices() {
        assert!(Task::for_row(RowStatus::Working, Role::RoomProctor).contains(&Task::Pause));
        assert!(!Task::for_row(RowStatus::Working, Role::RoomProctor).contains(&Task::Resume));
        assert!(Task::for_row(RowStatus::Paused, Role::CentralProctor).contains(&Task::Resume));
        assert_eq!(
            Task::for_row(RowStatus::Submitted, Role::CentralProctor),
            vec![Task::Incident]
        );
        assert_eq!(
            Task::for_row(RowStatus::Submitted, Role::ExamOffice),
            vec![Task::Reopen, Task::Incident]
        );
        assert!(!can_act(Role::Teacher));
        let names: Vec<_> = Task::ALL.iter().map(|t| t.name()).collect();
        assert_eq!(
            names,
            [
                "extra_time",
                "pause",
                "resume",
                "end",
                "reopen",
                "move",
                "message",
                "incident"
            ]
        );
    }
}
