//! Answers and keys as the result page shows them, in the letters of the
//! paper this student saw.
//!
//! Everything stored and graded names options by their canonical id, but a
//! shuffled paper showed canonical option 2 as "A": telling that student
//! "the answer is C" would send them looking at the wrong line. So choice
//! answers and keys are mapped back to display positions through the paper
//! the client cached while the student worked. Without that paper (the
//! result opened on another computer, where the relay no longer sends one)
//! the author's order is the only one known, and its letters are used.
//!
//! Pure functions returning [`Text`], so the wording stays in the i18n
//! module and the mapping is tested on the host.

use examgate_shared::answer::AnswerValue;
use examgate_shared::exam::{OptionId, QuestionId};
use examgate_shared::numeric::Decimal;
use examgate_shared::paper::{Paper, PaperBody, PaperOption};
use examgate_shared::scoring::KeyView;

use crate::i18n::Text;

/// The letter shown beside the option at `position` (0-based) on a paper:
/// A for the first shown, whatever its canonical id.
pub fn position_letter(position: usize) -> char {
    // At most MAX_OPTIONS (8) options, so this never saturates.
    OptionId(u8::try_from(position).unwrap_or(u8::MAX)).letter()
}

/// One question's option letters as the student saw them.
#[derive(Debug, Clone, Copy)]
pub struct Letters<'a> {
    /// The options in display order; `None` when the paper is unknown.
    shown: Option<&'a [PaperOption]>,
}

impl<'a> Letters<'a> {
    pub fn of(paper: Option<&'a Paper>, question: QuestionId) -> Self {
        let shown = paper
            .and_then(|p| p.question(question))
            .and_then(|q| match &q.body {
                PaperBody::SingleChoice { options } | PaperBody::MultipleResponse { options } => {
                    Some(options.as_slice())
                }
                _ => None,
            });
        Letters { shown }
    }

    /// The letter `option` had on the paper.
    pub fn letter(&self, option: OptionId) -> char {
        self.shown
            .and_then(|options| options.iter().position(|o| o.id == option))
            .map_or_else(|| option.letter(), position_letter)
    }

    /// The letters of several options, in the order they were shown.
    fn letters(&self, options: impl IntoIterator<Item = OptionId>) -> Text {
        let mut letters: Vec<char> = options.into_iter().map(|o| self.letter(o)).collect();
        letters.sort_unstable();
        Text::OptionLetters(letters)
    }
}

/// What the student answered.
pub fn answer(answer: Option<&AnswerValue>, letters: Letters<'_>) -> Text {
    match answer {
        None => Text::NoAnswer,
        Some(a) if a.is_blank() => Text::NoAnswer,
        Some(AnswerValue::Choice(o)) => Text::OptionLetters(vec![letters.letter(*o)]),
        Some(AnswerValue::Choices(set)) => letters.letters(set.iter().copied()),
        Some(AnswerValue::TrueFalse(marks)) => Text::Marks(marks.clone()),
        // Shown as a number (decimal comma) so it reads like the key; the
        // relay only stores numbers that parse, the fallback is for safety.
        Some(AnswerValue::Typed(text)) => match Decimal::parse(text) {
            Ok(value) => Text::Number {
                value,
                tolerance: None,
            },
            Err(_) => Text::Verbatim(text.clone()),
        },
    }
}

/// The right answer.
pub fn key(key: &KeyView, letters: Letters<'_>) -> Text {
    match key {
        KeyView::Choice(o) => Text::OptionLetters(vec![letters.letter(*o)]),
        KeyView::Choices(set) => letters.letters(set.iter().copied()),
        KeyView::TrueFalse(keys) => Text::Marks(keys.iter().copied().map(Some).collect()),
        KeyView::Number { value, tolerance } => Text::Number {
            value: *value,
            tolerance: *tolerance,
        },
    }
}

/// Whether the question is answered by choosing options (labelled "Em
/// chọn") rather than by marking or typing ("Em trả lời").
pub fn is_choice(
    paper: Option<&Paper>,
    question: QuestionId,
    answer: Option<&AnswerValue>,
    key: Option<&KeyView>,
) -> bool {
    if let Some(q) = paper.and_then(|p| p.question(question)) {
        return matches!(
            q.body,
            PaperBody::SingleChoice { .. } | PaperBody::MultipleResponse { .. }
        );
    }
    matches!(
        answer,
        Some(AnswerValue::Choice(_) | AnswerValue::Choices(_))
    ) || matches!(key, Some(KeyView::Choice(_) | KeyView::Choices(_)))
}

#[cfg(test)]
mod tests {
    use examgate_shared::exam::{Body, Exam, Question, Section, Versioning};
    use examgate_shared::paper::Arrangement;
    use examgate_shared::points::Points;

    use super::*;
    use crate::i18n::Lang;

    fn option_texts(n: u8) -> Vec<String> {
        (0..n).map(|i| format!("option {i}")).collect()
    }

    /// Two choice questions, options shuffled per candidate.
    fn shuffled_exam() -> Exam {
        let q = |id, body| Question {
            id: QuestionId(id),
            text: format!("q{id}"),
            points: Points::from_milli(1000),
            body,
            voided: false,
            explanation: None,
        };
        Exam {
            id: "letters".into(),
            title: "T".into(),
            subject: "S".into(),
            duration_secs: 60,
            questions: vec![
                q(
                    1,
                    Body::SingleChoice {
                        options: option_texts(4),
                        key: OptionId(2),
                        pinned: vec![],
                    },
                ),
                q(
                    2,
                    Body::MultipleResponse {
                        options: option_texts(5),
                        keys: [OptionId(0), OptionId(3)].into(),
                        pinned: vec![],
                        rule: Default::default(),
                    },
                ),
            ],
            sections: vec![Section {
                title: "Phần I".into(),
                questions: vec![QuestionId(1), QuestionId(2)],
                shuffle_questions: false,
                shuffle_options: true,
            }],
            versioning: Versioning::PerCandidate,
            show_answers: true,
        }
    }

    fn shown_options(paper: &Paper, q: u32) -> Vec<u8> {
        match &paper.question(QuestionId(q)).unwrap().body {
            PaperBody::SingleChoice { options } | PaperBody::MultipleResponse { options } => {
                options.iter().map(|o| o.id.0).collect()
            }
            _ => unreachable!(),
        }
    }

    #[test]
    fn letters_follow_the_paper_the_student_saw() {
        let exam = shuffled_exam();
        // Find a seed that really moves the key, so the test proves
        // something whatever the shuffle's details.
        let paper = (0..64)
            .map(|seed| {
                exam.paper(Arrangement {
                    seed: Some(seed),
                    version: None,
                })
            })
            .find(|p| shown_options(p, 1)[2] != 2 && shown_options(p, 2) != [0, 1, 2, 3, 4])
            .expect("some seed shuffles both questions");
        let single = shown_options(&paper, 1);
        for (position, &id) in single.iter().enumerate() {
            let letters = Letters::of(Some(&paper), QuestionId(1));
            assert_eq!(letters.letter(OptionId(id)), position_letter(position));
        }
        // The key, canonical C, is named by where this student saw it.
        let key_position = single.iter().position(|&id| id == 2).unwrap();
        let key_text = key(
            &KeyView::Choice(OptionId(2)),
            Letters::of(Some(&paper), QuestionId(1)),
        );
        assert_eq!(
            key_text.render(Lang::Vi),
            position_letter(key_position).to_string()
        );
        assert_ne!(key_text.render(Lang::Vi), "C", "not the author's letter");

        // Several options: their display letters, in display order.
        let multi = shown_options(&paper, 2);
        let mut expected: Vec<char> = [0u8, 3]
            .iter()
            .map(|id| position_letter(multi.iter().position(|m| m == id).unwrap()))
            .collect();
        expected.sort_unstable();
        let letters = Letters::of(Some(&paper), QuestionId(2));
        let keys = KeyView::Choices([OptionId(3), OptionId(0)].into());
        assert_eq!(key(&keys, letters), Text::OptionLetters(expected.clone()));
        let chosen = AnswerValue::Choices([OptionId(0), OptionId(3)].into());
        assert_eq!(
            answer(Some(&chosen), letters),
            Text::OptionLetters(expected)
        );
    }

    #[test]
    fn a_hand_shuffled_paper_maps_by_position() {
        let exam = shuffled_exam();
        let mut paper = exam.paper(Arrangement::default());
        // Shown as C, A, D, B: canonical 2 is "A", canonical 1 is "D".
        if let PaperBody::SingleChoice { options } = &mut paper.questions[0].body {
            let order = [2u8, 0, 3, 1];
            *options = order
                .iter()
                .map(|&i| PaperOption {
                    id: OptionId(i),
                    text: format!("option {i}"),
                })
                .collect();
        }
        let letters = Letters::of(Some(&paper), QuestionId(1));
        let chosen = AnswerValue::Choice(OptionId(1));
        assert_eq!(answer(Some(&chosen), letters).render(Lang::Vi), "D");
        assert_eq!(
            key(&KeyView::Choice(OptionId(2)), letters).render(Lang::Vi),
            "A"
        );
    }

    #[test]
    fn without_the_paper_the_authors_letters_are_used() {
        let letters = Letters::of(None, QuestionId(1));
        assert_eq!(letters.letter(OptionId(2)), 'C');
        assert!(is_choice(
            None,
            QuestionId(1),
            None,
            Some(&KeyView::Choice(OptionId(0)))
        ));
        assert!(!is_choice(None, QuestionId(1), None, None));
    }

    #[test]
    fn clusters_numbers_and_blanks() {
        let none = Letters::of(None, QuestionId(3));
        let marks = AnswerValue::TrueFalse(vec![Some(true), Some(false), None, Some(true)]);
        assert_eq!(answer(Some(&marks), none).render(Lang::Vi), "Đ S – Đ");
        let keys = KeyView::TrueFalse(vec![true, false, true, true]);
        assert_eq!(key(&keys, none).render(Lang::Vi), "Đ S Đ Đ");
        let typed = AnswerValue::Typed("-1.50".into());
        assert_eq!(answer(Some(&typed), none).render(Lang::Vi), "-1,50");
        let number = KeyView::Number {
            value: Decimal::parse("-1,5").unwrap(),
            tolerance: None,
        };
        assert_eq!(key(&number, none).render(Lang::Vi), "-1,5");
        assert_eq!(answer(None, none), Text::NoAnswer);
        let blank = AnswerValue::TrueFalse(vec![None; 4]);
        assert_eq!(answer(Some(&blank), none), Text::NoAnswer);
    }
}
