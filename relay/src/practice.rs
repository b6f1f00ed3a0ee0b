//! Practice exams with several tries. Each try is a candidate of its own
//! in the room, under its student's key marked with the try's number
//! (`TRY2|nguyễn văn an`: name keys are lower case, so no typed name can
//! produce the mark); a student's join lands on their latest try, or on a
//! new one when that try is final and the rules allow another. Results
//! count each student's best or last try; the bank learns from first tries
//! only (later ones have seen the keys).

use std::collections::BTreeMap;

use examgate_shared::bank::api::{Counted, PracticeRules};

use crate::model::JoinCode;
use crate::state::People;

/// The key of try `n` (1 is the student's own key).
pub fn try_key(base: &str, n: u32) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("TRY{n}|{base}")
    }
}

/// The student's own key and the try number of a candidate key.
pub fn split_key(key: &str) -> (&str, u32) {
    key.strip_prefix("TRY")
        .and_then(|rest| rest.split_once('|'))
        .and_then(|(n, base)| Some((base, n.parse().ok()?)))
        .unwrap_or((key, 1))
}

/// Where a join by `base` lands: the latest try while it is working (or no
/// other is allowed), else the next try's key.
pub fn key_for_join(people: &People, code: &JoinCode, base: &str, rules: PracticeRules) -> String {
    let at = |key: &str| (code.sitting_id, code.room_id, key.to_string());
    let mut made = 1;
    while people.by_name.contains_key(&at(&try_key(base, made + 1))) {
        made += 1;
    }
    let latest = try_key(base, made);
    let finished = people
        .by_name
        .get(&at(&latest))
        .and_then(|id| people.attempt_of.get(id))
        .and_then(|a| people.attempts.get(a))
        .is_some_and(|slot| slot.is_graded());
    if finished && rules.allows_another(made) {
        try_key(base, made + 1)
    } else {
        latest
    }
}

/// Which of a practice sitting's tries count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tries {
    /// Each student's best or last, as the rules say (their mark).
    Counted(Counted),
    /// Each student's first (what the bank learns from).
    First,
}

/// One try as [`chosen`] weighs it: whose (the room and the student's own
/// key: two students of one name in two rooms are two students), which
/// try, and its score.
pub struct Try<'a, S> {
    pub room: &'a str,
    pub key: &'a str,
    pub score: S,
}

/// Indices of the tries that count, from tries in any order; scores
/// compare exactly.
pub fn chosen<S: PartialOrd + Copy>(tries: &[Try<'_, S>], which: Tries) -> Vec<usize> {
    let mut best: BTreeMap<(&str, &str), (usize, u32)> = BTreeMap::new();
    for (i, t) in tries.iter().enumerate() {
        let (base, n) = split_key(t.key);
        let score = &t.score;
        let better = match best.get(&(t.room, base)) {
            None => true,
            Some(&(j, m)) => match which {
                Tries::First => n < m,
                Tries::Counted(Counted::Last) => n > m,
                // Ties go to the earlier try.
                Tries::Counted(Counted::Best) => {
                    *score > tries[j].score || (*score == tries[j].score && n < m)
                }
            },
        };
        if better {
            best.insert((t.room, base), (i, n));
        }
    }
    let mut out: Vec<usize> = best.values().map(|(i, _)| *i).collect();
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn try_keys_round_trip_and_no_typed_name_collides() {
        assert_eq!(try_key("an", 1), "an");
        assert_eq!(
            split_key(&try_key("nguyễn văn an", 3)),
            ("nguyễn văn an", 3)
        );
        assert_eq!(
            split_key("try2|an"),
            ("try2|an", 1),
            "a typed name stays one student"
        );
    }

    #[test]
    fn best_last_and_first_tries() {
        let keys = [
            ("P1", "an".to_string(), 5),
            ("P1", try_key("an", 2), 8),
            ("P1", try_key("an", 3), 6),
            ("P1", "binh".to_string(), 7),
            ("P1", try_key("binh", 2), 7),
            // Another room's An is another student.
            ("P2", "an".to_string(), 1),
        ];
        let tries: Vec<Try<'_, u32>> = keys
            .iter()
            .map(|(room, key, score)| Try {
                room,
                key,
                score: *score,
            })
            .collect();
        assert_eq!(chosen(&tries, Tries::Counted(Counted::Best)), [1, 3, 5]);
        assert_eq!(chosen(&tries, Tries::Counted(Counted::Last)), [2, 4, 5]);
        assert_eq!(chosen(&tries, Tries::First), [0, 3, 5]);
    }

    /// A finished try is final even while someone else (a proctor's view,
    /// the submit's own row update) holds its cell: "try again" right after
    /// the result was once refused as "already joined".
    #[test]
    fn a_graded_try_is_final_while_its_cell_is_held() {
        use std::sync::Arc;

        use examgate_shared::points::{Mark10, Points, Score};
        use examgate_shared::scoring::Grade;

        use crate::model::Candidate;
        use crate::state::{AttemptCell, AttemptSlot};

        let code = JoinCode {
            code: "LUYENTAP".into(),
            sitting_id: 1,
            room_id: 2,
            requires_card: false,
        };
        let candidate = Candidate {
            id: 3,
            sitting_id: 1,
            room_id: 2,
            name: "An".into(),
            key: "an".into(),
            candidate_number: None,
        };
        let slot = Arc::new(AttemptSlot::new(
            4,
            candidate,
            Default::default(),
            AttemptCell::default(),
        ));
        let mut people = People::default();
        people.by_name.insert((1, 2, "an".into()), 3);
        people.attempt_of.insert(3, 4);
        people.attempts.insert(4, slot.clone());
        let rules = PracticeRules {
            attempts: 3,
            counted: Counted::Best,
        };
        assert_eq!(key_for_join(&people, &code, "an", rules), "an", "working");

        let mut cell = slot.cell.try_lock().expect("free");
        let grade = Grade {
            score: Score::ZERO,
            max: Points::from_milli(1000),
            mark: Mark10::from_tenths(0),
            items: Vec::new(),
        };
        slot.set_grade(&mut cell, Some(grade));
        assert_eq!(
            key_for_join(&people, &code, "an", rules),
            try_key("an", 2),
            "held by the grader itself"
        );
        drop(cell);
        let _viewer = slot.cell.try_lock().expect("free");
        assert_eq!(
            key_for_join(&people, &code, "an", rules),
            try_key("an", 2),
            "held by a viewer"
        );
    }
}
