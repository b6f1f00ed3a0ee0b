//! What a room's printouts say: the event, shift, paper, place and join
//! code, and the room's candidates in list order, picked out of the plan
//! and the event's roster. Pure, so the tests below check the picking.

use examgate_shared::office::api::{PlanView, RosterRow, vietnam_text};

use super::state::PrintTarget;

/// One room in one shift, ready to print.
#[derive(Debug, Clone, PartialEq)]
pub struct RoomPrint {
    pub event: String,
    pub shift: String,
    /// `dd/mm/yyyy`.
    pub day: String,
    /// `HH:MM`, Vietnam time.
    pub starts: String,
    /// `HH:MM`: start plus working time.
    pub ends: String,
    pub paper: String,
    pub minutes: i64,
    pub site: String,
    pub room: String,
    pub code: String,
    pub requires_card: bool,
    /// The room's candidates: by seat, then candidate number; rows without
    /// either keep the relay's order.
    pub rows: Vec<RosterRow>,
}

impl RoomPrint {
    /// The room of `target` from the plan, with its rows out of `roster`;
    /// `None` when the plan no longer has that shift or room.
    pub fn pick(plan: &PlanView, target: PrintTarget, roster: &[RosterRow]) -> Option<RoomPrint> {
        let event = plan.events.iter().find(|e| e.id == target.event_id)?;
        let shift = event
            .shifts
            .iter()
            .find(|s| s.sitting_id == target.sitting_id)?;
        let code = shift.codes.iter().find(|c| c.room_id == target.room_id)?;
        let (day, starts) = split_when(&vietnam_text(shift.opens_at));
        let (_, ends) = split_when(&vietnam_text(shift.opens_at + shift.duration_ms));
        let mut rows: Vec<RosterRow> = roster
            .iter()
            .filter(|r| r.sitting_id == target.sitting_id && r.room_id == target.room_id)
            .cloned()
            .collect();
        // Stable: equal keys keep the relay's (list) order.
        rows.sort_by(|a, b| {
            let key = |r: &RosterRow| (r.seat.is_none(), r.seat, r.candidate_number.clone());
            key(a).cmp(&key(b))
        });
        Some(RoomPrint {
            event: event.name.clone(),
            shift: shift.name.clone(),
            day,
            starts,
            ends,
            paper: shift.exam_title.clone(),
            minutes: shift.duration_ms / 60_000,
            site: code.site.clone(),
            room: code.room.clone(),
            code: code.code.clone(),
            requires_card: code.requires_card,
            rows,
        })
    }
}

/// `dd/mm/yyyy HH:MM` → (`dd/mm/yyyy`, `HH:MM`).
fn split_when(text: &str) -> (String, String) {
    match text.split_once(' ') {
        Some((day, time)) => (day.to_owned(), time.to_owned()),
        None => (text.to_owned(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use examgate_shared::office::api::{EventView, JoinCodeView, ShiftView, vietnam_millis};

    use super::*;

    fn row(number: &str, name: &str, room_id: u64, seat: Option<u32>) -> RosterRow {
        RosterRow {
            candidate_number: Some(number.into()),
            name: name.into(),
            birth: Some("05/09/2008".into()),
            class: "12A1".into(),
            site: "THPT A".into(),
            room: format!("P.{room_id:02}"),
            room_id,
            shift: "Ca 1".into(),
            sitting_id: 9,
            seat,
            person_id_masked: None,
            join_code: Some("K7Q2".into()),
        }
    }

    fn plan() -> PlanView {
        let opens_at = vietnam_millis(2026, 12, 15, 7, 30);
        PlanView {
            events: vec![EventView {
                id: 1,
                name: "Kiểm tra cuối kỳ I".into(),
                subject: "Toán".into(),
                published_at: None,
                published: None,
                shifts: vec![ShiftView {
                    sitting_id: 9,
                    name: "Ca 1".into(),
                    exam_id: "toan-10".into(),
                    exam_title: "Toán 10".into(),
                    opens_at,
                    closes_at: opens_at + 45 * 60_000,
                    duration_ms: 45 * 60_000,
                    starts: "15/12/2026 07:30".into(),
                    requires_card: false,
                    hard_stop: None,
                    fullscreen: false,
                    codes: vec![JoinCodeView {
                        code: "K7Q2".into(),
                        room_id: 1,
                        room: "P.01".into(),
                        site: "THPT A".into(),
                        requires_card: false,
                        registered: 3,
                    }],
                    registered: 3,
                }],
            }],
            sites: vec![],
            papers: vec![],
            accounts: vec![],
        }
    }

    #[test]
    fn a_room_is_picked_with_its_rows_in_seat_order() {
        let roster = vec![
            row("TN003", "Lê Văn C", 1, None),
            row("TN002", "Trần Thị B", 1, Some(2)),
            row("TN009", "Ở phòng khác", 2, Some(1)),
            row("TN001", "Nguyễn Văn A", 1, Some(1)),
        ];
        let target = PrintTarget {
            event_id: 1,
            sitting_id: 9,
            room_id: 1,
        };
        let print = RoomPrint::pick(&plan(), target, &roster).unwrap();
        let numbers: Vec<_> = print
            .rows
            .iter()
            .map(|r| r.candidate_number.clone().unwrap())
            .collect();
        assert_eq!(numbers, ["TN001", "TN002", "TN003"]);
        assert_eq!(
            (print.day.as_str(), print.starts.as_str()),
            ("15/12/2026", "07:30")
        );
        assert_eq!(print.ends, "08:15");
        assert_eq!((print.room.as_str(), print.code.as_str()), ("P.01", "K7Q2"));
        assert_eq!(print.minutes, 45);
    }

    #[test]
    fn a_room_gone_from_the_plan_prints_nothing() {
        let target = PrintTarget {
            event_id: 1,
            sitting_id: 9,
            room_id: 7,
        };
        assert_eq!(RoomPrint::pick(&plan(), target, &[]), None);
    }
}
