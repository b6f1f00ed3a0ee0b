//! From graded attempts to item analysis and exports: the bridge between the
//! exam model ([`crate::exam`], [`crate::scoring`]) and the model-free
//! [`crate::analysis`]. The relay uses it for a sitting's results, the
//! importer for answer sheets from elsewhere, so both analyse alike.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::analysis::{
    Analysis, ItemKind, ItemSpec, MatrixError, ResponseMatrix, UNANSWERED, analyse,
};
use crate::answer::AnswerValue;
use crate::csv::write_row;
use crate::exam::{Body, Exam, OptionId, Question, QuestionId};
use crate::points::{Mark10, Score};
use crate::scoring::{Grade, credit, multiple_credit};

/// How analysis sees one question.
pub fn item_spec(q: &Question) -> ItemSpec {
    let max_milli = u16::try_from(q.points.milli()).unwrap_or(u16::MAX);
    let kind = match &q.body {
        Body::SingleChoice { options, key, .. } => ItemKind::Choice {
            options: options.len() as u8,
            key: key.0,
        },
        Body::TrueFalse { .. } => ItemKind::Cluster {
            guess_fraction_milli: guess_milli(q),
        },
        Body::Numeric { .. } => ItemKind::Numeric,
        Body::MultipleResponse { .. } => ItemKind::Cluster {
            guess_fraction_milli: guess_milli(q),
        },
    };
    ItemSpec { max_milli, kind }
}

/// The expected credit of a blind guess, in thousandths: every true/false
/// pattern, or every subset of options, equally likely.
fn guess_milli(q: &Question) -> u16 {
    let (total, count) = match &q.body {
        Body::TrueFalse { statements, .. } => {
            let n = statements.len();
            (0u32..1 << n).fold((0f64, 0u32), |(sum, k), bits| {
                let marks = (0..n).map(|i| Some(bits >> i & 1 == 1)).collect();
                let c = credit(q, Some(&AnswerValue::TrueFalse(marks)));
                (sum + f64::from(c.num) / f64::from(c.den), k + 1)
            })
        }
        Body::MultipleResponse {
            options,
            keys,
            rule,
            ..
        } => {
            let n = options.len();
            (0u32..1 << n).fold((0f64, 0u32), |(sum, k), bits| {
                let chosen = (0..n)
                    .filter(|i| bits >> i & 1 == 1)
                    .map(|i| OptionId(i as u8))
                    .collect();
                let c = multiple_credit(keys, &chosen, *rule);
                (sum + f64::from(c.num) / f64::from(c.den), k + 1)
            })
        }
        _ => (0.0, 1),
    };
    (1000.0 * total / f64::from(count)).round() as u16
}

/// One graded item as a matrix cell: the mark in milli-points (rounded half
/// up when a partial credit is not a whole milli-point) and the option
/// chosen for single choice.
pub fn cell(q: &Question, answer: Option<&AnswerValue>) -> (u16, u8) {
    let (mark, choice, _) = graded_cell(q, answer);
    (mark, choice)
}

/// [`cell`] plus the exact score it rounds.
pub fn graded_cell(q: &Question, answer: Option<&AnswerValue>) -> (u16, u8, Score) {
    let score = credit(q, answer).of(q.points);
    let mark = u16::try_from(score.milli_rounded()).unwrap_or(u16::MAX);
    let choice = match (answer, &q.body) {
        (Some(AnswerValue::Choice(o)), Body::SingleChoice { .. }) => o.0,
        _ => UNANSWERED,
    };
    (mark, choice, score)
}

/// The questions analysis covers: all but voided ones, in canonical order.
pub fn analysed_questions(exam: &Exam) -> Vec<&Question> {
    exam.questions.iter().filter(|q| !q.voided).collect()
}

/// The response matrix of `attempts` (answers in canonical ids).
pub fn matrix<'a>(
    exam: &Exam,
    attempts: impl IntoIterator<Item = &'a BTreeMap<QuestionId, AnswerValue>>,
) -> Result<ResponseMatrix, MatrixError> {
    let questions = analysed_questions(exam);
    let mut m = ResponseMatrix::new(questions.iter().map(|q| item_spec(q)).collect())?;
    let mut marks = Vec::with_capacity(questions.len());
    let mut choices = Vec::with_capacity(questions.len());
    for answers in attempts {
        marks.clear();
        choices.clear();
        for q in &questions {
            let (mark, choice) = cell(q, answers.get(&q.id).filter(|a| !a.is_blank()));
            marks.push(mark);
            choices.push(choice);
        }
        m.push_attempt(&marks, &choices)?;
    }
    Ok(m)
}

/// One candidate's line in a results table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultRow {
    pub candidate: String,
    pub room: String,
    pub mark: Mark10,
    /// Exact score, shown in points.
    pub score: String,
    /// Per analysed question, its score in points.
    pub items: Vec<String>,
    /// Số báo danh of a registered candidate: tells two of the same name
    /// in one room apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidate_number: Option<String>,
}

impl ResultRow {
    pub fn new(candidate: String, room: String, grade: &Grade, exam: &Exam) -> Self {
        let items = analysed_questions(exam)
            .iter()
            .map(|q| {
                grade
                    .items
                    .iter()
                    .find(|i| i.question == q.id)
                    .map_or_else(String::new, |i| i.score.to_string())
            })
            .collect();
        ResultRow {
            candidate,
            room,
            mark: grade.mark,
            score: grade.score.to_string(),
            items,
            candidate_number: None,
        }
    }
}

/// The results table as CSV: candidate, room, mark, score, then one column
/// per question ("Câu 1" …). Marks and points use a decimal point, which
/// every spreadsheet reads.
pub fn results_csv(exam: &Exam, rows: &[ResultRow]) -> String {
    let mut header = vec![
        "candidate".to_owned(),
        "room".into(),
        "mark".into(),
        "score".into(),
    ];
    header.extend(
        analysed_questions(exam)
            .iter()
            .map(|q| format!("q{}", q.id.0)),
    );
    // Last, so readers of the older layout keep their columns.
    header.push("candidate_number".into());
    let mut out = write_row(&header);
    for r in rows {
        let mut line = vec![
            r.candidate.clone(),
            r.room.clone(),
            r.mark.to_string(),
            r.score.clone(),
        ];
        line.extend(r.items.iter().cloned());
        line.push(r.candidate_number.clone().unwrap_or_default());
        out.push_str(&write_row(&line));
    }
    out
}

/// A sitting's results: who got what, and the analysis of every question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    pub exam_id: String,
    pub title: String,
    /// Question ids in the order of `analysis.items`.
    pub questions: Vec<QuestionId>,
    pub rows: Vec<ResultRow>,
    pub analysis: Analysis,
}

/// Builds [`Results`] from final attempts: (candidate, room, answers, grade).
pub fn results(
    exam: &Exam,
    attempts: &[(String, String, BTreeMap<QuestionId, AnswerValue>, Grade)],
) -> Result<Results, MatrixError> {
    let m = matrix(exam, attempts.iter().map(|a| &a.2))?;
    Ok(Results {
        exam_id: exam.id.clone(),
        title: exam.title.clone(),
        questions: analysed_questions(exam).iter().map(|q| q.id).collect(),
        rows: attempts
            .iter()
            .map(|(c, r, _, g)| ResultRow::new(c.clone(), r.clone(), g, exam))
            .collect(),
        analysis: analyse(&m),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::tests::mixed_exam;
    use crate::scoring::grade;

    #[test]
    fn guess_scores_of_partial_credit_items() {
        let exam = mixed_exam();
        // True/false 2025 table over 16 equally likely patterns:
        // (0·1 + 100·4 + 250·6 + 500·4 + 1000·1) / 16 = 306.25 → 306.
        assert_eq!(guess_milli(&exam.questions[2]), 306);
        // Multiple response {A, C} of 4, right minus wrong over 16 subsets:
        // R (right chosen) and W (wrong chosen) are each 0/1/2 with chances
        // 1/4, 2/4, 1/4; E[max(0, R − W)] = 1·(2/4·1/4) + 2·(1/4·1/4)
        // + 1·(1/4·2/4) = 0.375, over 2 keys = 0.1875 → 188.
        assert_eq!(guess_milli(&exam.questions[4]), 188);
    }

    #[test]
    fn cells_and_matrix() {
        let exam = mixed_exam();
        let q = &exam.questions;
        assert_eq!(
            cell(&q[0], Some(&AnswerValue::Choice(OptionId(0)))),
            (250, 0)
        );
        assert_eq!(cell(&q[0], Some(&AnswerValue::Choice(OptionId(1)))), (0, 1));
        assert_eq!(cell(&q[0], None), (0, UNANSWERED));
        let tf = AnswerValue::TrueFalse(vec![Some(true), Some(false), None, None]);
        assert_eq!(cell(&q[2], Some(&tf)), (250, UNANSWERED));
        let a = BTreeMap::from([(QuestionId(1), AnswerValue::Choice(OptionId(0)))]);
        let b = BTreeMap::new();
        let m = matrix(&exam, [&a, &b]).unwrap();
        assert_eq!(m.attempts(), 2);
        assert_eq!(m.marks(0), &[250, 0]);
        assert_eq!(m.choices(0), Some(&[0, UNANSWERED][..]));
    }

    #[test]
    fn csv_export_has_a_column_per_question() {
        let exam = mixed_exam();
        let answers = BTreeMap::from([(QuestionId(4), AnswerValue::Typed("-1,5".into()))]);
        let g = grade(&exam, &answers);
        let row = ResultRow::new("Nguyễn Văn An".into(), "Phòng 01".into(), &g, &exam);
        let csv = results_csv(&exam, &[row]);
        let parsed = crate::csv::parse(&csv).unwrap();
        assert_eq!(
            parsed[0],
            [
                "candidate",
                "room",
                "mark",
                "score",
                "q1",
                "q2",
                "q3",
                "q4",
                "q5",
                "candidate_number"
            ]
        );
        assert_eq!(
            parsed[1][..5],
            ["Nguyễn Văn An", "Phòng 01", "1.7", "0.5", "0"]
        );
        assert_eq!(parsed[1][7], "0.5");
    }
}
