//! What a student answered, per question kind, and whether it fits the
//! question (checked by the relay before anything is stored).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::exam::{Body, OptionId, Question};
use crate::numeric::Decimal;

/// Longest typed numeric answer kept (the answer grid has a few cells).
pub const MAX_TYPED_CHARS: usize = 20;

/// One question's answer, in canonical ids. Absent from the attempt when
/// the question is unanswered (or was cleared).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerValue {
    /// Single choice: the option chosen.
    Choice(OptionId),
    /// True/false cluster: per statement, true, false or not yet decided.
    TrueFalse(Vec<Option<bool>>),
    /// Numeric: the text as typed (so the student sees what they wrote);
    /// it must parse as a [`Decimal`].
    Typed(String),
    /// Multiple response: the options chosen.
    Choices(BTreeSet<OptionId>),
}

impl AnswerValue {
    /// Whether this answer fits `question`: the right kind, real options,
    /// one decision per statement, a number that parses.
    pub fn check(&self, question: &Question) -> Result<(), ErrorCode> {
        let in_range = |o: &OptionId, n: usize| usize::from(o.0) < n;
        match (self, &question.body) {
            (AnswerValue::Choice(o), Body::SingleChoice { options, .. }) => {
                in_range(o, options.len())
                    .then_some(())
                    .ok_or(ErrorCode::UnknownOption)
            }
            (AnswerValue::Choices(chosen), Body::MultipleResponse { options, .. }) => chosen
                .iter()
                .all(|o| in_range(o, options.len()))
                .then_some(())
                .ok_or(ErrorCode::UnknownOption),
            (AnswerValue::TrueFalse(marks), Body::TrueFalse { statements, .. }) => (marks.len()
                == statements.len())
            .then_some(())
            .ok_or(ErrorCode::InvalidAnswer),
            (AnswerValue::Typed(text), Body::Numeric { .. }) => {
                let number =
                    text.chars().count() <= MAX_TYPED_CHARS && Decimal::parse(text).is_ok();
                // A blank box is no answer, as an empty selection is: it
                // clears the question instead of being refused.
                if number || self.is_blank() {
                    Ok(())
                } else {
                    Err(ErrorCode::InvalidAnswer)
                }
            }
            _ => Err(ErrorCode::InvalidAnswer),
        }
    }

    /// Whether nothing is actually answered (an empty selection, no
    /// statement decided): stored as "unanswered".
    pub fn is_blank(&self) -> bool {
        match self {
            AnswerValue::Choice(_) => false,
            AnswerValue::TrueFalse(marks) => marks.iter().all(Option::is_none),
            AnswerValue::Typed(text) => text.trim().is_empty(),
            AnswerValue::Choices(set) => set.is_empty(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::tests::mixed_exam;

    #[test]
    fn answers_must_fit_their_question() {
        let exam = mixed_exam();
        let q = |i: usize| &exam.questions[i];
        assert_eq!(AnswerValue::Choice(OptionId(3)).check(q(0)), Ok(()));
        assert_eq!(
            AnswerValue::Choice(OptionId(4)).check(q(0)),
            Err(ErrorCode::UnknownOption)
        );
        assert_eq!(
            AnswerValue::TrueFalse(vec![Some(true), None, None, Some(false)]).check(q(2)),
            Ok(())
        );
        assert_eq!(
            AnswerValue::TrueFalse(vec![Some(true)]).check(q(2)),
            Err(ErrorCode::InvalidAnswer)
        );
        assert_eq!(AnswerValue::Typed("-1,50".into()).check(q(3)), Ok(()));
        assert_eq!(
            AnswerValue::Typed("1,2,3".into()).check(q(3)),
            Err(ErrorCode::InvalidAnswer)
        );
        assert_eq!(
            AnswerValue::Choices([OptionId(0), OptionId(3)].into()).check(q(4)),
            Ok(())
        );
        assert_eq!(
            AnswerValue::Choices([OptionId(9)].into()).check(q(4)),
            Err(ErrorCode::UnknownOption)
        );
        // The wrong kind for the question.
        assert_eq!(
            AnswerValue::Choice(OptionId(0)).check(q(3)),
            Err(ErrorCode::InvalidAnswer)
        );
    }

    #[test]
    fn a_blank_answer_of_any_kind_clears_the_question() {
        use crate::attempt::{Attempt, Decision, StudentEvent};
        let exam = mixed_exam();
        let mut attempt = Attempt::default();
        attempt.start(0, 60_000, 60_000, None).unwrap();
        let answer = |question: u32, value: AnswerValue| StudentEvent::Answer {
            question: crate::exam::QuestionId(question),
            value: Some(value),
        };
        let typed = |t: &str| AnswerValue::Typed(t.into());
        let events = [
            answer(4, typed(" 2 ")),
            answer(4, typed("")),
            answer(4, typed("-1,5")),
            answer(4, typed(" \t ")),
            answer(
                3,
                AnswerValue::TrueFalse(vec![Some(true), None, None, None]),
            ),
            answer(3, AnswerValue::TrueFalse(vec![None; 4])),
            answer(5, AnswerValue::Choices([OptionId(1)].into())),
            answer(5, AnswerValue::Choices([].into())),
        ];
        for (i, event) in events.iter().enumerate() {
            let seq = i as u64 + 1;
            assert_eq!(
                attempt.decide(&exam, seq, event, 1, 0),
                Decision::Accept,
                "{event:?}"
            );
            attempt.apply(seq, event, 1);
            let StudentEvent::Answer { question, value } = event else {
                unreachable!()
            };
            let blank = value.as_ref().is_some_and(AnswerValue::is_blank);
            assert_eq!(attempt.answers.contains_key(question), !blank, "{event:?}");
        }
        assert!(attempt.answers.is_empty());
        // Text that is neither blank nor a number is still refused.
        assert_eq!(
            typed("2 000").check(&exam.questions[3]),
            Err(ErrorCode::InvalidAnswer)
        );
        assert_eq!(
            typed(&format!("{:>21}", "1")).check(&exam.questions[3]),
            Err(ErrorCode::InvalidAnswer),
            "over {MAX_TYPED_CHARS} characters, spaces included"
        );
    }

    #[test]
    fn wire_shape() {
        let v = AnswerValue::TrueFalse(vec![Some(true), None]);
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"true_false":[true,null]}"#
        );
        let v = AnswerValue::Choice(OptionId(2));
        assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"choice":2}"#);
    }
}
