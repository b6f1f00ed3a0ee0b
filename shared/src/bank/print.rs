//! Papers on paper: for rooms that fall back to printed papers, each
//! version ("mã đề") as its candidates would see it, with its answer key in
//! that version's letters.
//!
//! A numbered exam prints every version; an exam shuffled per candidate
//! prints the canonical order (a printed room has no per-candidate order).

use serde::{Deserialize, Serialize};

use crate::exam::{Body, Exam, OptionId, Versioning};
use crate::paper::{Arrangement, Paper, PaperBody};

/// One printed version with its key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintedVersion {
    pub paper: Paper,
    /// The key in paper order: "C", "AD", "ĐSĐĐ", "12,5".
    pub key: Vec<String>,
}

/// Every version of `exam` to print, in version order.
pub fn printed_versions(exam: &Exam) -> Vec<PrintedVersion> {
    let arrangements: Vec<Arrangement> = match exam.versioning {
        Versioning::Numbered { first, count } => (0..count)
            .map(|i| Arrangement::numbered(exam, first + i))
            .collect(),
        Versioning::Same | Versioning::PerCandidate => vec![Arrangement::default()],
    };
    arrangements
        .into_iter()
        .map(|arrangement| {
            let paper = exam.paper(arrangement);
            let key = paper
                .questions
                .iter()
                .map(|q| {
                    let body = &exam
                        .question(q.id)
                        .expect("a paper's questions are the exam's")
                        .body;
                    shown_key(body, &q.body)
                })
                .collect();
            PrintedVersion { paper, key }
        })
        .collect()
}

/// The letter an option has on this paper.
fn letter(options: &[crate::paper::PaperOption], id: OptionId) -> char {
    let at = options
        .iter()
        .position(|o| o.id == id)
        .expect("a paper shows every option of its question, the key among them");
    char::from(b'A' + at as u8)
}

fn shown_key(body: &Body, shown: &PaperBody) -> String {
    match (body, shown) {
        (Body::SingleChoice { key, .. }, PaperBody::SingleChoice { options }) => {
            letter(options, *key).to_string()
        }
        (Body::MultipleResponse { keys, .. }, PaperBody::MultipleResponse { options }) => {
            let mut letters: Vec<char> = keys.iter().map(|k| letter(options, *k)).collect();
            letters.sort_unstable();
            letters.into_iter().collect()
        }
        (Body::TrueFalse { keys, .. }, _) => {
            keys.iter().map(|&k| if k { 'Đ' } else { 'S' }).collect()
        }
        // Vietnamese papers write the decimal comma.
        (Body::Numeric { key, .. }, _) => key.to_string().replace('.', ","),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::tests::mixed_exam;
    use crate::paper::PaperBody;

    #[test]
    fn every_version_is_printed_with_its_own_letters() {
        let mut exam = mixed_exam();
        exam.versioning = Versioning::Numbered {
            first: 101,
            count: 3,
        };
        for s in &mut exam.sections {
            s.shuffle_options = true;
            s.shuffle_questions = true;
        }
        let printed = printed_versions(&exam);
        assert_eq!(
            printed.iter().map(|p| p.paper.version).collect::<Vec<_>>(),
            [Some(101), Some(102), Some(103)]
        );
        for version in &printed {
            assert_eq!(version.key.len(), exam.questions.len());
            for (q, key) in version.paper.questions.iter().zip(&version.key) {
                // The printed letter names the option the exam's key names.
                match (&exam.question(q.id).unwrap().body, &q.body) {
                    (Body::SingleChoice { key: k, .. }, PaperBody::SingleChoice { options }) => {
                        let at = (key.as_bytes()[0] - b'A') as usize;
                        assert_eq!(options[at].id, *k);
                    }
                    (Body::Numeric { .. }, _) => assert!(!key.contains('.')),
                    (Body::TrueFalse { keys, .. }, _) => {
                        assert_eq!(key.chars().count(), keys.len())
                    }
                    _ => {}
                }
            }
        }
        // The versions differ, or printing three would be pointless.
        assert_ne!(printed[0].key, printed[1].key);
        // Per-candidate shuffles print the canonical order once.
        exam.versioning = Versioning::PerCandidate;
        let one = printed_versions(&exam);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].paper.version, None);
    }
}
