//! Correcting an exam after the fact: a wrong key fixed, a faulty question
//! voided. The relay applies a [`Correction`], stores the new exam, regrades
//! every final attempt with [`crate::scoring::grade`] and records who did
//! it and why.

use serde::{Deserialize, Serialize};

use crate::exam::{Body, Exam, ExamError, QuestionId};
use crate::scoring::KeyView;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Correction {
    /// Replace a question's key; the key must be of the question's kind.
    SetKey { question: QuestionId, key: KeyView },
    /// The question counts for no one.
    Void { question: QuestionId },
    /// Undo a void.
    Restore { question: QuestionId },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CorrectionError {
    #[error("question {0} is not in this exam")]
    UnknownQuestion(u32),
    #[error("question {0}: the new key is not of the question's kind")]
    WrongKind(u32),
    #[error("voiding it would leave the exam with no points")]
    NothingLeft,
    #[error(transparent)]
    Invalid(#[from] ExamError),
}

impl Correction {
    pub fn question(&self) -> QuestionId {
        match self {
            Correction::SetKey { question, .. }
            | Correction::Void { question }
            | Correction::Restore { question } => *question,
        }
    }
}

impl Exam {
    /// The exam with `correction` applied, validated; `self` is unchanged.
    pub fn corrected(&self, correction: &Correction) -> Result<Exam, CorrectionError> {
        let id = correction.question();
        let mut exam = self.clone();
        let q = exam
            .questions
            .iter_mut()
            .find(|q| q.id == id)
            .ok_or(CorrectionError::UnknownQuestion(id.0))?;
        match correction {
            Correction::Void { .. } => q.voided = true,
            Correction::Restore { .. } => q.voided = false,
            Correction::SetKey { key: new, .. } => match (&mut q.body, new) {
                (Body::SingleChoice { key, .. }, KeyView::Choice(k)) => *key = *k,
                (Body::TrueFalse { keys, .. }, KeyView::TrueFalse(k)) => *keys = k.clone(),
                (
                    Body::Numeric { key, tolerance },
                    KeyView::Number {
                        value,
                        tolerance: t,
                    },
                ) => {
                    *key = *value;
                    *tolerance = *t;
                }
                (Body::MultipleResponse { keys, .. }, KeyView::Choices(k)) => *keys = k.clone(),
                _ => return Err(CorrectionError::WrongKind(id.0)),
            },
        }
        if exam.max_points() == crate::points::Points::ZERO {
            return Err(CorrectionError::NothingLeft);
        }
        exam.validate()?;
        Ok(exam)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::answer::AnswerValue;
    use crate::exam::OptionId;
    use crate::exam::tests::{mixed_exam, small_exam};
    use crate::scoring::grade;

    #[test]
    fn fixing_a_key_changes_the_grade() {
        let exam = small_exam();
        let answers = BTreeMap::from([(QuestionId(2), AnswerValue::Choice(OptionId(2)))]);
        assert_eq!(grade(&exam, &answers).mark.to_string(), "0.0");
        let fixed = exam
            .corrected(&Correction::SetKey {
                question: QuestionId(2),
                key: KeyView::Choice(OptionId(2)),
            })
            .unwrap();
        assert_eq!(grade(&fixed, &answers).mark.to_string(), "2.5");
    }

    #[test]
    fn refusals() {
        let exam = mixed_exam();
        let wrong_kind = Correction::SetKey {
            question: QuestionId(3),
            key: KeyView::Choice(OptionId(0)),
        };
        assert_eq!(
            exam.corrected(&wrong_kind),
            Err(CorrectionError::WrongKind(3))
        );
        let missing = Correction::Void {
            question: QuestionId(42),
        };
        assert_eq!(
            exam.corrected(&missing),
            Err(CorrectionError::UnknownQuestion(42))
        );
        let out_of_range = Correction::SetKey {
            question: QuestionId(1),
            key: KeyView::Choice(OptionId(9)),
        };
        assert_eq!(
            exam.corrected(&out_of_range),
            Err(CorrectionError::Invalid(ExamError::KeyOutOfRange(1, 9)))
        );
        let mut one = small_exam();
        one.questions.truncate(1);
        assert_eq!(
            one.corrected(&Correction::Void {
                question: QuestionId(1)
            }),
            Err(CorrectionError::NothingLeft)
        );
    }

    #[test]
    fn void_and_restore_round_trip() {
        let exam = small_exam();
        let voided = exam
            .corrected(&Correction::Void {
                question: QuestionId(3),
            })
            .unwrap();
        assert!(voided.questions[2].voided);
        let back = voided
            .corrected(&Correction::Restore {
                question: QuestionId(3),
            })
            .unwrap();
        assert_eq!(back, exam);
    }
}
