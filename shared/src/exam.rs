//! The exam definition and the key-free paper a student sees.
//!
//! An [`Exam`] carries the answer key and never leaves the relay before the
//! attempt is closed; a [`Paper`] is what [`Exam::paper`] derives for the
//! student. Question and option ids are canonical: answers are stored against
//! them, so grading never depends on display order.

use serde::{Deserialize, Serialize};

use crate::points::Points;

/// Canonical id of a question within its exam.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct QuestionId(pub u32);

/// Canonical index of an option within its question (0 is the first option as
/// written by the author, shown as "A").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OptionId(pub u8);

impl OptionId {
    /// The letter shown to people: A, B, C, …
    pub fn letter(self) -> char {
        char::from(b'A' + self.0.min(25))
    }
}

/// Fewest and most options a single-choice question may have.
pub const MIN_OPTIONS: usize = 2;
pub const MAX_OPTIONS: usize = 8;

/// A single-choice question with its key. Text may hold inline TeX `\( … \)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: QuestionId,
    pub text: String,
    pub options: Vec<String>,
    pub key: OptionId,
    pub points: Points,
}

/// A complete exam as a teacher wrote it, key included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exam {
    pub id: String,
    pub title: String,
    pub subject: String,
    /// Working time of one attempt, in seconds.
    pub duration_secs: u32,
    pub questions: Vec<Question>,
}

/// Why an exam definition cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExamError {
    #[error("the exam has no questions")]
    Empty,
    #[error("question id {0} appears more than once")]
    DuplicateQuestion(u32),
    #[error("question {0} has {1} options; {MIN_OPTIONS} to {MAX_OPTIONS} are allowed")]
    OptionCount(u32, usize),
    #[error("question {0}: the key names option {1}, which does not exist")]
    KeyOutOfRange(u32, u8),
    #[error("question {0} is worth no points")]
    NoPoints(u32),
    #[error("the duration must be at least one second")]
    NoDuration,
}

impl Exam {
    /// Checks everything grading relies on, so a bad exam is refused when it is
    /// loaded rather than when the first student answers.
    pub fn validate(&self) -> Result<(), ExamError> {
        if self.questions.is_empty() {
            return Err(ExamError::Empty);
        }
        if self.duration_secs == 0 {
            return Err(ExamError::NoDuration);
        }
        let mut seen = std::collections::BTreeSet::new();
        for q in &self.questions {
            if !seen.insert(q.id) {
                return Err(ExamError::DuplicateQuestion(q.id.0));
            }
            if !(MIN_OPTIONS..=MAX_OPTIONS).contains(&q.options.len()) {
                return Err(ExamError::OptionCount(q.id.0, q.options.len()));
            }
            if usize::from(q.key.0) >= q.options.len() {
                return Err(ExamError::KeyOutOfRange(q.id.0, q.key.0));
            }
            if q.points == Points::ZERO {
                return Err(ExamError::NoPoints(q.id.0));
            }
        }
        Ok(())
    }

    pub fn question(&self, id: QuestionId) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// Whether `choice` is a real option of question `id`.
    pub fn has_option(&self, id: QuestionId, choice: OptionId) -> bool {
        self.question(id)
            .is_some_and(|q| usize::from(choice.0) < q.options.len())
    }

    pub fn max_points(&self) -> Points {
        self.questions.iter().map(|q| q.points).sum()
    }

    /// The student's view: everything but the key.
    pub fn paper(&self) -> Paper {
        Paper {
            exam_id: self.id.clone(),
            title: self.title.clone(),
            subject: self.subject.clone(),
            duration_secs: self.duration_secs,
            questions: self
                .questions
                .iter()
                .map(|q| PaperQuestion {
                    id: q.id,
                    text: q.text.clone(),
                    options: q.options.clone(),
                    points: q.points,
                })
                .collect(),
        }
    }
}

/// The exam as shown to a student while working: no key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paper {
    pub exam_id: String,
    pub title: String,
    pub subject: String,
    pub duration_secs: u32,
    pub questions: Vec<PaperQuestion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperQuestion {
    pub id: QuestionId,
    pub text: String,
    pub options: Vec<String>,
    pub points: Points,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A three-question exam worth 1 + 1 + 2 points.
    pub(crate) fn small_exam() -> Exam {
        let q = |id: u32, key: u8, milli: u32| Question {
            id: QuestionId(id),
            text: format!("Câu {id}"),
            options: vec!["a".into(), "b".into(), "c".into(), "d".into()],
            key: OptionId(key),
            points: Points::from_milli(milli),
        };
        Exam {
            id: "t".into(),
            title: "Test".into(),
            subject: "Toán".into(),
            duration_secs: 60,
            questions: vec![q(1, 0, 1000), q(2, 1, 1000), q(3, 3, 2000)],
        }
    }

    #[test]
    fn paper_has_no_key_and_keeps_order() {
        let exam = small_exam();
        let paper = exam.paper();
        let json = serde_json::to_string(&paper).unwrap();
        assert!(!json.contains("key"), "{json}");
        let ids: Vec<_> = paper.questions.iter().map(|q| q.id.0).collect();
        assert_eq!(ids, [1, 2, 3]);
    }

    #[test]
    fn validate_catches_each_defect() {
        assert_eq!(small_exam().validate(), Ok(()));
        let mut e = small_exam();
        e.questions[1].id = QuestionId(1);
        assert_eq!(e.validate(), Err(ExamError::DuplicateQuestion(1)));
        let mut e = small_exam();
        e.questions[0].key = OptionId(4);
        assert_eq!(e.validate(), Err(ExamError::KeyOutOfRange(1, 4)));
        let mut e = small_exam();
        e.questions[2].options.truncate(1);
        assert_eq!(e.validate(), Err(ExamError::OptionCount(3, 1)));
        let mut e = small_exam();
        e.questions.clear();
        assert_eq!(e.validate(), Err(ExamError::Empty));
        let mut e = small_exam();
        e.questions[0].points = Points::ZERO;
        assert_eq!(e.validate(), Err(ExamError::NoPoints(1)));
    }

    #[test]
    fn option_letters() {
        assert_eq!(OptionId(0).letter(), 'A');
        assert_eq!(OptionId(3).letter(), 'D');
    }
}
