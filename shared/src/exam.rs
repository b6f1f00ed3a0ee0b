//! The exam definition: sections, questions of four kinds, keys, versions.
//!
//! An [`Exam`] carries the answer key and never leaves the relay while an
//! attempt is working; students get a [`crate::paper::Paper`] derived from
//! it. Question ids and option ids are canonical (as the author wrote them):
//! answers are stored against them, so grading and analysis never depend on
//! the order a candidate saw.
//!
//! Question kinds (the 2025 graduation-exam format and what teachers use):
//! - single choice, 2–8 options, one key;
//! - the true/false cluster: a stem with statements a–d, each true or false,
//!   scored by how many are right through a table (default 0 / 0.1 / 0.25 /
//!   0.5 / 1 of the points for 0–4 right);
//! - short numeric answer, typed, compared exactly with an optional
//!   tolerance ([`crate::numeric`]);
//! - multiple response, several right options, scored by a stated
//!   [`MultiRule`].

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::numeric::Decimal;
use crate::points::Points;

/// Canonical id of a question within its exam.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct QuestionId(pub u32);

/// Canonical index of an option (or statement) within its question: 0 is the
/// first as written by the author, shown as "A" (statements as "a").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OptionId(pub u8);

impl OptionId {
    /// The letter shown to people: A, B, C, …
    pub fn letter(self) -> char {
        char::from(b'A' + self.0.min(25))
    }
}

/// Fewest and most options a choice question may have.
pub const MIN_OPTIONS: usize = 2;
pub const MAX_OPTIONS: usize = 8;

/// The 2025 true/false table: per mille of the points for 0, 1, 2, 3, 4
/// statements right.
pub const TRUE_FALSE_2025: [u16; 5] = [0, 100, 250, 500, 1000];

/// How a multiple-response question gives partial credit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MultiRule {
    /// Full points only when exactly the right options are chosen.
    AllOrNothing,
    /// `max(0, right chosen − wrong chosen) / number of right options` of
    /// the points: each right option earns its share, each wrong one takes
    /// a share back, never below zero (Moodle's usual setting).
    #[default]
    RightMinusWrong,
}

/// What a question asks, with its key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Body {
    SingleChoice {
        options: Vec<String>,
        key: OptionId,
        /// Options that keep their place when options are shuffled
        /// ("Cả A và B đều đúng").
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pinned: Vec<OptionId>,
    },
    TrueFalse {
        statements: Vec<String>,
        /// `keys[i]` is whether statement i is true.
        keys: Vec<bool>,
        /// Per mille of the points for 0..=n statements right; defaults to
        /// [`TRUE_FALSE_2025`] for four statements.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        table: Option<Vec<u16>>,
    },
    Numeric {
        key: Decimal,
        /// Inclusive; zero when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tolerance: Option<Decimal>,
    },
    MultipleResponse {
        options: Vec<String>,
        keys: BTreeSet<OptionId>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pinned: Vec<OptionId>,
        #[serde(default)]
        rule: MultiRule,
    },
}

impl Body {
    /// The options of a choice question; empty for other kinds.
    pub fn options(&self) -> &[String] {
        match self {
            Body::SingleChoice { options, .. } | Body::MultipleResponse { options, .. } => options,
            _ => &[],
        }
    }

    /// The true/false table in force, if this is a cluster.
    pub fn true_false_table(&self) -> Option<Vec<u16>> {
        match self {
            Body::TrueFalse { table: Some(t), .. } => Some(t.clone()),
            Body::TrueFalse { statements, .. } if statements.len() == 4 => {
                Some(TRUE_FALSE_2025.to_vec())
            }
            _ => None,
        }
    }

    pub fn kind_name(&self) -> &'static str {
        match self {
            Body::SingleChoice { .. } => "single_choice",
            Body::TrueFalse { .. } => "true_false",
            Body::Numeric { .. } => "numeric",
            Body::MultipleResponse { .. } => "multiple_response",
        }
    }
}

/// One question. Text may hold TeX (`\( … \)`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: QuestionId,
    pub text: String,
    pub points: Points,
    #[serde(flatten)]
    pub body: Body,
    /// Voided after the fact (a faulty question): it then counts for no one,
    /// neither in the score nor in the maximum.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub voided: bool,
    /// The worked solution, shown to a candidate with the key once their
    /// attempt is final (when the exam shows answers); never on the paper.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
}

/// A part of the paper ("Phần I"), in the order the paper shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub title: String,
    pub questions: Vec<QuestionId>,
    /// Shuffle question order within this section per candidate.
    #[serde(default)]
    pub shuffle_questions: bool,
    /// Shuffle option order (pinned options stay) per candidate.
    #[serde(default)]
    pub shuffle_options: bool,
}

/// How candidates get different papers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Versioning {
    /// Everyone sees the canonical order.
    #[default]
    Same,
    /// A seed per attempt: every candidate gets their own order.
    PerCandidate,
    /// `count` numbered papers ("mã đề" `first`, `first + 1`, …), each a
    /// fixed order, assigned to candidates.
    Numbered { first: u16, count: u16 },
}

/// A complete exam as a teacher wrote it, keys included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exam {
    pub id: String,
    pub title: String,
    pub subject: String,
    /// Working time of one attempt, in seconds.
    pub duration_secs: u32,
    /// Canonical order; sections say the order shown.
    pub questions: Vec<Question>,
    /// When empty, one untitled section with every question in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section>,
    #[serde(default)]
    pub versioning: Versioning,
    /// Whether students see the right answers with their result.
    #[serde(default = "yes")]
    pub show_answers: bool,
}

fn yes() -> bool {
    true
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
    #[error("question {0}: a multiple-response question needs at least one right option")]
    NoKeys(u32),
    #[error("question {0}: pinned option {1} does not exist")]
    PinnedOutOfRange(u32, u8),
    #[error("question {0}: {1} statements but {2} keys")]
    StatementKeys(u32, usize, usize),
    #[error(
        "question {0}: the true/false table needs one entry per number of right statements \
         (0..={1}), rising to 1000 per mille"
    )]
    BadTable(u32, usize),
    #[error("question {0}: the tolerance must not be negative")]
    NegativeTolerance(u32),
    #[error("question {0} is worth no points")]
    NoPoints(u32),
    #[error("the duration must be at least one second")]
    NoDuration,
    #[error("section {0:?} names question {1}, which does not exist")]
    UnknownSectionQuestion(String, u32),
    #[error("question {0} is in no section, or in more than one")]
    SectionCoverage(u32),
    #[error("numbered versions need a count of at least 1")]
    NoVersions,
}

impl Exam {
    /// Checks everything grading and shuffling rely on, so a bad exam is
    /// refused when it is loaded rather than when a student answers.
    pub fn validate(&self) -> Result<(), ExamError> {
        if self.questions.is_empty() {
            return Err(ExamError::Empty);
        }
        if self.duration_secs == 0 {
            return Err(ExamError::NoDuration);
        }
        if matches!(self.versioning, Versioning::Numbered { count: 0, .. }) {
            return Err(ExamError::NoVersions);
        }
        let mut seen = BTreeSet::new();
        for q in &self.questions {
            if !seen.insert(q.id) {
                return Err(ExamError::DuplicateQuestion(q.id.0));
            }
            if q.points == Points::ZERO {
                return Err(ExamError::NoPoints(q.id.0));
            }
            validate_body(q.id.0, &q.body)?;
        }
        let mut placed = std::collections::BTreeMap::new();
        for s in &self.sections {
            for id in &s.questions {
                if !seen.contains(id) {
                    return Err(ExamError::UnknownSectionQuestion(s.title.clone(), id.0));
                }
                *placed.entry(*id).or_insert(0) += 1;
            }
        }
        if !self.sections.is_empty() {
            for q in &self.questions {
                if placed.get(&q.id) != Some(&1) {
                    return Err(ExamError::SectionCoverage(q.id.0));
                }
            }
        }
        Ok(())
    }

    pub fn question(&self, id: QuestionId) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// The most an attempt can score: every question that is not voided.
    pub fn max_points(&self) -> Points {
        self.questions
            .iter()
            .filter(|q| !q.voided)
            .map(|q| q.points)
            .sum()
    }

    /// The sections as shown; one untitled section when none are declared.
    pub fn effective_sections(&self) -> Vec<Section> {
        if self.sections.is_empty() {
            vec![Section {
                title: String::new(),
                questions: self.questions.iter().map(|q| q.id).collect(),
                shuffle_questions: false,
                shuffle_options: false,
            }]
        } else {
            self.sections.clone()
        }
    }
}

fn validate_choices(
    id: u32,
    options: &[String],
    keys: impl IntoIterator<Item = OptionId>,
    pinned: &[OptionId],
) -> Result<(), ExamError> {
    if !(MIN_OPTIONS..=MAX_OPTIONS).contains(&options.len()) {
        return Err(ExamError::OptionCount(id, options.len()));
    }
    for key in keys {
        if usize::from(key.0) >= options.len() {
            return Err(ExamError::KeyOutOfRange(id, key.0));
        }
    }
    if let Some(p) = pinned.iter().find(|p| usize::from(p.0) >= options.len()) {
        return Err(ExamError::PinnedOutOfRange(id, p.0));
    }
    Ok(())
}

pub(crate) fn validate_body(id: u32, body: &Body) -> Result<(), ExamError> {
    match body {
        Body::SingleChoice {
            options,
            key,
            pinned,
        } => validate_choices(id, options, [*key], pinned),
        Body::MultipleResponse {
            options,
            keys,
            pinned,
            ..
        } => {
            if keys.is_empty() {
                return Err(ExamError::NoKeys(id));
            }
            validate_choices(id, options, keys.iter().copied(), pinned)
        }
        Body::TrueFalse {
            statements, keys, ..
        } => {
            if !(1..=MAX_OPTIONS).contains(&statements.len()) {
                return Err(ExamError::OptionCount(id, statements.len()));
            }
            if statements.len() != keys.len() {
                return Err(ExamError::StatementKeys(id, statements.len(), keys.len()));
            }
            let table = body
                .true_false_table()
                .ok_or(ExamError::BadTable(id, statements.len()))?;
            let rising = table.windows(2).all(|w| w[0] <= w[1]);
            if table.len() != statements.len() + 1 || !rising || table.last() != Some(&1000) {
                return Err(ExamError::BadTable(id, statements.len()));
            }
            Ok(())
        }
        Body::Numeric { tolerance, .. } => {
            if tolerance.is_some_and(|t| t.mantissa < 0) {
                return Err(ExamError::NegativeTolerance(id));
            }
            Ok(())
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn single(id: u32, key: u8, milli: u32) -> Question {
        Question {
            id: QuestionId(id),
            text: format!("Câu {id}"),
            points: Points::from_milli(milli),
            body: Body::SingleChoice {
                options: vec!["a".into(), "b".into(), "c".into(), "d".into()],
                key: OptionId(key),
                pinned: vec![],
            },
            voided: false,
            explanation: None,
        }
    }

    /// A three-question single-choice exam worth 1 + 1 + 2 points.
    pub(crate) fn small_exam() -> Exam {
        Exam {
            id: "t".into(),
            title: "Test".into(),
            subject: "Toán".into(),
            duration_secs: 60,
            questions: vec![single(1, 0, 1000), single(2, 1, 1000), single(3, 3, 2000)],
            sections: vec![],
            versioning: Versioning::Same,
            show_answers: true,
        }
    }

    /// The Math 2025 shape in small: 2 single choice (0.25), 1 true/false
    /// cluster (1), 1 numeric (0.5), 1 multiple response (1), in 3 sections.
    pub(crate) fn mixed_exam() -> Exam {
        let mut q1 = single(1, 0, 250);
        let mut q2 = single(2, 2, 250);
        if let Body::SingleChoice { pinned, .. } = &mut q2.body {
            pinned.push(OptionId(3));
        }
        q1.text = "Một".into();
        let tf = Question {
            id: QuestionId(3),
            text: "Xét tính đúng sai".into(),
            points: Points::from_milli(1000),
            body: Body::TrueFalse {
                statements: vec!["a".into(), "b".into(), "c".into(), "d".into()],
                keys: vec![true, false, true, true],
                table: None,
            },
            voided: false,
            explanation: None,
        };
        let num = Question {
            id: QuestionId(4),
            text: "Tính".into(),
            points: Points::from_milli(500),
            body: Body::Numeric {
                key: Decimal::parse("-1,5").unwrap(),
                tolerance: None,
            },
            voided: false,
            explanation: None,
        };
        let multi = Question {
            id: QuestionId(5),
            text: "Chọn các đáp án đúng".into(),
            points: Points::from_milli(1000),
            body: Body::MultipleResponse {
                options: vec!["p".into(), "q".into(), "r".into(), "s".into()],
                keys: [OptionId(0), OptionId(2)].into(),
                pinned: vec![],
                rule: MultiRule::RightMinusWrong,
            },
            voided: false,
            explanation: None,
        };
        Exam {
            id: "mixed".into(),
            title: "Mixed".into(),
            subject: "Toán".into(),
            duration_secs: 90 * 60,
            questions: vec![q1, q2, tf, num, multi],
            sections: vec![
                Section {
                    title: "Phần I".into(),
                    questions: vec![QuestionId(1), QuestionId(2)],
                    shuffle_questions: true,
                    shuffle_options: true,
                },
                Section {
                    title: "Phần II".into(),
                    questions: vec![QuestionId(3)],
                    shuffle_questions: false,
                    shuffle_options: false,
                },
                Section {
                    title: "Phần III".into(),
                    questions: vec![QuestionId(4), QuestionId(5)],
                    shuffle_questions: true,
                    shuffle_options: true,
                },
            ],
            versioning: Versioning::PerCandidate,
            show_answers: true,
        }
    }

    #[test]
    fn validate_accepts_the_fixtures() {
        assert_eq!(small_exam().validate(), Ok(()));
        assert_eq!(mixed_exam().validate(), Ok(()));
    }

    #[test]
    fn validate_catches_each_defect() {
        let mut e = small_exam();
        e.questions[1].id = QuestionId(1);
        assert_eq!(e.validate(), Err(ExamError::DuplicateQuestion(1)));
        let mut e = small_exam();
        e.questions[0].body = single(1, 4, 1000).body;
        assert_eq!(e.validate(), Err(ExamError::KeyOutOfRange(1, 4)));
        let mut e = small_exam();
        if let Body::SingleChoice { options, .. } = &mut e.questions[2].body {
            options.truncate(1);
        }
        assert_eq!(e.validate(), Err(ExamError::OptionCount(3, 1)));
        let mut e = small_exam();
        e.questions.clear();
        assert_eq!(e.validate(), Err(ExamError::Empty));
        let mut e = small_exam();
        e.questions[0].points = Points::ZERO;
        assert_eq!(e.validate(), Err(ExamError::NoPoints(1)));

        let mut e = mixed_exam();
        if let Body::TrueFalse { keys, .. } = &mut e.questions[2].body {
            keys.pop();
        }
        assert_eq!(e.validate(), Err(ExamError::StatementKeys(3, 4, 3)));
        let mut e = mixed_exam();
        if let Body::TrueFalse { table, .. } = &mut e.questions[2].body {
            *table = Some(vec![0, 500, 250, 750, 1000]);
        }
        assert_eq!(e.validate(), Err(ExamError::BadTable(3, 4)));
        let mut e = mixed_exam();
        if let Body::MultipleResponse { keys, .. } = &mut e.questions[4].body {
            keys.clear();
        }
        assert_eq!(e.validate(), Err(ExamError::NoKeys(5)));
        let mut e = mixed_exam();
        e.sections[2].questions.pop();
        assert_eq!(e.validate(), Err(ExamError::SectionCoverage(5)));
        let mut e = mixed_exam();
        e.sections[0].questions.push(QuestionId(99));
        assert_eq!(
            e.validate(),
            Err(ExamError::UnknownSectionQuestion("Phần I".into(), 99))
        );
        let mut e = mixed_exam();
        e.versioning = Versioning::Numbered {
            first: 101,
            count: 0,
        };
        assert_eq!(e.validate(), Err(ExamError::NoVersions));
    }

    #[test]
    fn json_shape_is_what_authors_write() {
        let json = serde_json::to_value(mixed_exam().questions[3].clone()).unwrap();
        assert_eq!(json["type"], "numeric");
        assert_eq!(json["key"], "-1,5");
        let back: Exam =
            serde_json::from_str(&serde_json::to_string(&mixed_exam()).unwrap()).unwrap();
        assert_eq!(back, mixed_exam());
    }

    #[test]
    fn option_letters() {
        assert_eq!(OptionId(0).letter(), 'A');
        assert_eq!(OptionId(3).letter(), 'D');
    }
}
