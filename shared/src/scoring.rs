//! Grading an attempt against the exam's key.
//!
//! Pure and exact: the same answers always give the same [`Grade`], whatever
//! order they were given in. Unanswered questions score zero.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::exam::{Exam, OptionId, QuestionId};
use crate::points::{Mark10, Points};

/// One question's outcome, as shown to the student after the exam.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemGrade {
    pub question: QuestionId,
    pub chosen: Option<OptionId>,
    pub key: OptionId,
    pub correct: bool,
    pub points: Points,
}

/// The graded attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grade {
    pub score: Points,
    pub max: Points,
    pub mark: Mark10,
    pub items: Vec<ItemGrade>,
}

/// Grades `answers` (question → chosen option) against `exam`'s key.
/// Answers to questions not in the exam are ignored (the relay refuses them
/// before they are stored, so none should exist).
pub fn grade(exam: &Exam, answers: &BTreeMap<QuestionId, OptionId>) -> Grade {
    let items: Vec<ItemGrade> = exam
        .questions
        .iter()
        .map(|q| {
            let chosen = answers.get(&q.id).copied();
            let correct = chosen == Some(q.key);
            ItemGrade {
                question: q.id,
                chosen,
                key: q.key,
                correct,
                points: if correct { q.points } else { Points::ZERO },
            }
        })
        .collect();
    let score = items.iter().map(|i| i.points).sum();
    let max = exam.max_points();
    Grade {
        score,
        max,
        mark: Mark10::from_points(score, max),
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::tests::small_exam;

    #[test]
    fn grades_right_wrong_and_blank() {
        let exam = small_exam();
        let answers = BTreeMap::from([
            (QuestionId(1), OptionId(0)), // right, 1 point
            (QuestionId(2), OptionId(2)), // wrong
                                          // question 3 blank
        ]);
        let g = grade(&exam, &answers);
        assert_eq!(g.score, Points::from_milli(1000));
        assert_eq!(g.max, Points::from_milli(4000));
        assert_eq!(g.mark.to_string(), "2.5");
        let correct: Vec<bool> = g.items.iter().map(|i| i.correct).collect();
        assert_eq!(correct, [true, false, false]);
        assert_eq!(g.items[2].chosen, None);
    }

    #[test]
    fn all_right_is_ten() {
        let exam = small_exam();
        let answers = exam.questions.iter().map(|q| (q.id, q.key)).collect();
        assert_eq!(grade(&exam, &answers).mark.to_string(), "10.0");
    }
}
