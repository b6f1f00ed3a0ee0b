//! Grading an attempt against the exam's keys, exactly.
//!
//! Each question earns a [`Credit`], a fraction of its points, by a rule of
//! its kind; scores add up as exact fractions ([`Score`]) and only the mark
//! is rounded (Circular 22: one decimal, halves up; see [`crate::points`]).
//! The same answers always give the same [`Grade`], whatever order or
//! version they were given in: answers are in canonical ids. Unanswered
//! questions earn nothing.
//!
//! Rules:
//! - single choice: the key, all the points; anything else, none;
//! - true/false cluster: the question's table by how many statements are
//!   right (an undecided statement is not right): 2025 default 0, 0.1, 0.25,
//!   0.5, 1 of the points for 0–4 right;
//! - numeric: the typed number equals the key within the tolerance;
//! - multiple response: [`MultiRule`].

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::answer::AnswerValue;
use crate::exam::{Body, Exam, MultiRule, OptionId, Question, QuestionId};
use crate::numeric::Decimal;
use crate::points::{Mark10, Points, Score};

/// The fraction of a question's points earned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Credit {
    pub num: u32,
    pub den: u32,
}

impl Credit {
    pub const NONE: Credit = Credit { num: 0, den: 1 };
    pub const FULL: Credit = Credit { num: 1, den: 1 };

    pub fn is_full(self) -> bool {
        self.num == self.den
    }

    pub fn is_none(self) -> bool {
        self.num == 0
    }

    /// What this credit earns on a question worth `points`, exactly.
    pub fn of(self, points: Points) -> Score {
        Score::of(points, u64::from(self.num), u64::from(self.den))
    }
}

/// How an item went, for colouring a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Right,
    Partial,
    Wrong,
    Blank,
    /// The question was voided: it counts for no one.
    Voided,
}

/// The right answer, as shown after the exam when the exam allows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyView {
    Choice(OptionId),
    TrueFalse(Vec<bool>),
    Number {
        value: Decimal,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tolerance: Option<Decimal>,
    },
    Choices(BTreeSet<OptionId>),
}

impl KeyView {
    pub fn of(body: &Body) -> KeyView {
        match body {
            Body::SingleChoice { key, .. } => KeyView::Choice(*key),
            Body::TrueFalse { keys, .. } => KeyView::TrueFalse(keys.clone()),
            Body::Numeric { key, tolerance } => KeyView::Number {
                value: *key,
                tolerance: *tolerance,
            },
            Body::MultipleResponse { keys, .. } => KeyView::Choices(keys.clone()),
        }
    }
}

/// One question's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemGrade {
    pub question: QuestionId,
    pub answer: Option<AnswerValue>,
    pub credit: Credit,
    pub score: Score,
    pub points: Points,
    pub outcome: Outcome,
    /// Present only when the exam shows answers to students.
    pub key: Option<KeyView>,
    /// The worked solution, under the same rule as `key`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
}

/// The graded attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grade {
    pub score: Score,
    pub max: Points,
    pub mark: Mark10,
    pub items: Vec<ItemGrade>,
}

/// The credit `answer` earns on `question`.
pub fn credit(question: &Question, answer: Option<&AnswerValue>) -> Credit {
    let Some(answer) = answer else {
        return Credit::NONE;
    };
    match (&question.body, answer) {
        (Body::SingleChoice { key, .. }, AnswerValue::Choice(chosen)) => {
            if chosen == key {
                Credit::FULL
            } else {
                Credit::NONE
            }
        }
        (Body::TrueFalse { keys, .. }, AnswerValue::TrueFalse(marks)) => {
            let right = keys
                .iter()
                .zip(marks)
                .filter(|(key, mark)| **mark == Some(**key))
                .count();
            let table = question
                .body
                .true_false_table()
                .expect("validated exams have a table");
            Credit {
                num: u32::from(table[right]),
                den: 1000,
            }
        }
        (Body::Numeric { key, tolerance }, AnswerValue::Typed(text)) => {
            let tolerance = tolerance.unwrap_or(Decimal {
                mantissa: 0,
                scale: 0,
            });
            match Decimal::parse(text) {
                Ok(value) if value.matches(*key, tolerance) => Credit::FULL,
                _ => Credit::NONE,
            }
        }
        (Body::MultipleResponse { keys, rule, .. }, AnswerValue::Choices(chosen)) => {
            multiple_credit(keys, chosen, *rule)
        }
        // An answer of the wrong kind is refused before storage; if one
        // exists anyway it earns nothing.
        _ => Credit::NONE,
    }
}

/// The credit of choosing `chosen` when `keys` are right, under `rule`.
pub fn multiple_credit(
    keys: &BTreeSet<OptionId>,
    chosen: &BTreeSet<OptionId>,
    rule: MultiRule,
) -> Credit {
    match rule {
        MultiRule::AllOrNothing if chosen == keys => Credit::FULL,
        MultiRule::AllOrNothing => Credit::NONE,
        MultiRule::RightMinusWrong => {
            let right = chosen.intersection(keys).count();
            let wrong = chosen.difference(keys).count();
            Credit {
                num: right.saturating_sub(wrong) as u32,
                den: keys.len() as u32,
            }
        }
    }
}

/// Grades `answers` (question → answer, canonical ids) against `exam`.
/// Answers to questions not in the exam are ignored (the relay refuses them
/// before they are stored, so none should exist).
pub fn grade(exam: &Exam, answers: &BTreeMap<QuestionId, AnswerValue>) -> Grade {
    let items: Vec<ItemGrade> = exam
        .questions
        .iter()
        .map(|q| {
            let answer = answers.get(&q.id).filter(|a| !a.is_blank());
            let credit = if q.voided {
                Credit::NONE
            } else {
                credit(q, answer)
            };
            let outcome = match (answer, credit) {
                _ if q.voided => Outcome::Voided,
                (None, _) => Outcome::Blank,
                (Some(_), c) if c.is_full() => Outcome::Right,
                (Some(_), c) if c.is_none() => Outcome::Wrong,
                _ => Outcome::Partial,
            };
            ItemGrade {
                question: q.id,
                answer: answer.cloned(),
                credit,
                score: credit.of(q.points),
                points: q.points,
                outcome,
                key: exam.show_answers.then(|| KeyView::of(&q.body)),
                explanation: q.explanation.clone().filter(|_| exam.show_answers),
            }
        })
        .collect();
    let score: Score = items.iter().map(|i| i.score).sum();
    let max = exam.max_points();
    Grade {
        score,
        max,
        mark: Mark10::from_score(score, max),
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::tests::{mixed_exam, small_exam};

    fn choice(o: u8) -> AnswerValue {
        AnswerValue::Choice(OptionId(o))
    }

    #[test]
    fn grades_right_wrong_and_blank() {
        let exam = small_exam();
        let answers = BTreeMap::from([
            (QuestionId(1), choice(0)), // right, 1 point
            (QuestionId(2), choice(2)), // wrong
                                        // question 3 blank
        ]);
        let g = grade(&exam, &answers);
        assert_eq!(g.score, Score::from(Points::from_milli(1000)));
        assert_eq!(g.max, Points::from_milli(4000));
        assert_eq!(g.mark.to_string(), "2.5");
        let outcomes: Vec<Outcome> = g.items.iter().map(|i| i.outcome).collect();
        assert_eq!(outcomes, [Outcome::Right, Outcome::Wrong, Outcome::Blank]);
        assert_eq!(g.items[0].key, Some(KeyView::Choice(OptionId(0))));
    }

    #[test]
    fn all_right_is_ten() {
        let exam = small_exam();
        let answers = exam
            .questions
            .iter()
            .map(|q| match &q.body {
                Body::SingleChoice { key, .. } => (q.id, AnswerValue::Choice(*key)),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(grade(&exam, &answers).mark.to_string(), "10.0");
    }

    #[test]
    fn true_false_table_2025() {
        let exam = mixed_exam();
        let tf = &exam.questions[2]; // keys T F T T, 1 point
        let expect = [
            (vec![None, None, None, None], (0, 1000)),
            (
                vec![Some(false), Some(true), Some(false), Some(false)],
                (0, 1000),
            ),
            (vec![Some(true), None, None, None], (100, 1000)),
            (
                vec![Some(true), Some(false), None, Some(false)],
                (250, 1000),
            ),
            (vec![Some(true), Some(false), Some(true), None], (500, 1000)),
            (
                vec![Some(true), Some(false), Some(true), Some(true)],
                (1000, 1000),
            ),
        ];
        for (marks, (num, den)) in expect {
            let c = credit(tf, Some(&AnswerValue::TrueFalse(marks.clone())));
            assert_eq!((c.num, c.den), (num, den), "{marks:?}");
        }
    }

    #[test]
    fn numeric_answers_compare_as_numbers() {
        let exam = mixed_exam();
        let q = &exam.questions[3]; // key -1,5
        for (typed, right) in [
            ("-1,5", true),
            ("-1.50", true),
            ("1,5", false),
            ("-1,51", false),
        ] {
            let c = credit(q, Some(&AnswerValue::Typed(typed.into())));
            assert_eq!(c.is_full(), right, "{typed}");
        }
    }

    #[test]
    fn multiple_response_partial_credit_table() {
        let exam = mixed_exam();
        let q = &exam.questions[4]; // keys {A, C} of A–D, right minus wrong
        let set = |v: &[u8]| AnswerValue::Choices(v.iter().map(|&o| OptionId(o)).collect());
        let cases: [(&[u8], (u32, u32)); 6] = [
            (&[0, 2], (2, 2)),
            (&[0], (1, 2)),
            (&[0, 1], (0, 2)),
            (&[0, 2, 3], (1, 2)),
            (&[1, 3], (0, 2)),
            (&[0, 1, 2, 3], (0, 2)),
        ];
        for (chosen, (num, den)) in cases {
            let c = credit(q, Some(&set(chosen)));
            assert_eq!((c.num, c.den), (num, den), "{chosen:?}");
        }
        let mut all_or_nothing = q.clone();
        if let Body::MultipleResponse { rule, .. } = &mut all_or_nothing.body {
            *rule = MultiRule::AllOrNothing;
        }
        assert!(credit(&all_or_nothing, Some(&set(&[0]))).is_none());
        assert!(credit(&all_or_nothing, Some(&set(&[2, 0]))).is_full());
    }

    #[test]
    fn mixed_exam_total_is_exact() {
        let exam = mixed_exam(); // max 0.25 + 0.25 + 1 + 0.5 + 1 = 3 points
        let answers = BTreeMap::from([
            (QuestionId(1), choice(0)), // 0.25
            (
                QuestionId(3),
                AnswerValue::TrueFalse(vec![Some(true), Some(false), None, None]),
            ), // 0.25
            (QuestionId(4), AnswerValue::Typed("-1.5".into())), // 0.5
            (QuestionId(5), AnswerValue::Choices([OptionId(0)].into())), // 0.5
        ]);
        let g = grade(&exam, &answers);
        assert_eq!(g.score, Score::from(Points::from_milli(1500)));
        assert_eq!(g.mark.to_string(), "5.0");
        let outcomes: Vec<Outcome> = g.items.iter().map(|i| i.outcome).collect();
        assert_eq!(
            outcomes,
            [
                Outcome::Right,
                Outcome::Blank,
                Outcome::Partial,
                Outcome::Right,
                Outcome::Partial
            ]
        );
    }

    #[test]
    fn a_voided_question_counts_for_no_one() {
        let mut exam = small_exam(); // 1 + 1 + 2 points
        let answers = BTreeMap::from([(QuestionId(1), choice(0)), (QuestionId(3), choice(3))]);
        assert_eq!(grade(&exam, &answers).mark.to_string(), "7.5");
        exam.questions[2].voided = true; // the 2-point question
        let g = grade(&exam, &answers);
        assert_eq!(g.max, Points::from_milli(2000));
        assert_eq!(g.score, Score::from(Points::from_milli(1000)));
        assert_eq!(g.mark.to_string(), "5.0");
        assert_eq!(g.items[2].outcome, Outcome::Voided);
    }

    #[test]
    fn hidden_keys_stay_hidden() {
        let mut exam = small_exam();
        exam.show_answers = false;
        let g = grade(&exam, &BTreeMap::new());
        assert!(g.items.iter().all(|i| i.key.is_none()));
    }
}
