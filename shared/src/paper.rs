//! The paper a candidate sees: no keys, questions and options in the order
//! of their [`Arrangement`].
//!
//! The arrangement is fixed when the attempt is created and stored with it,
//! so every reload, every computer and every later inspection shows the same
//! paper. Questions are shuffled within their section, options within their
//! question (pinned options stay in place), each from its own sub-seed so
//! that editing one question does not reshuffle the others. Ids stay
//! canonical: a shuffled option still carries the id the key uses.

use serde::{Deserialize, Serialize};

use crate::exam::{Body, Exam, OptionId, QuestionId, Versioning};
use crate::points::Points;
use crate::shuffle::{permutation, sub_seed};

/// How one attempt's paper is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Arrangement {
    /// `None`: the canonical order.
    pub seed: Option<u64>,
    /// The paper number ("mã đề") for numbered versions.
    pub version: Option<u16>,
}

impl Arrangement {
    /// The arrangement for a new attempt. `random` is a fresh random number
    /// (per-candidate shuffles); `ordinal` numbers the candidates of a room,
    /// so numbered versions are dealt out in turn.
    pub fn for_new_attempt(exam: &Exam, random: u64, ordinal: u64) -> Arrangement {
        match exam.versioning {
            Versioning::Same => Arrangement::default(),
            Versioning::PerCandidate => Arrangement {
                seed: Some(random),
                version: None,
            },
            Versioning::Numbered { first, count } => {
                let version = first + (ordinal % u64::from(count)) as u16;
                Arrangement::numbered(exam, version)
            }
        }
    }

    /// Numbered paper `version` of `exam`: the same for everyone who gets it.
    pub fn numbered(exam: &Exam, version: u16) -> Arrangement {
        Arrangement {
            seed: Some(sub_seed(fnv1a(exam.id.as_bytes()), u64::from(version))),
            version: Some(version),
        }
    }
}

/// A stable hash of the exam id (std's hasher may change between releases;
/// papers must not).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// An option as shown, carrying its canonical id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperOption {
    pub id: OptionId,
    pub text: String,
}

/// What a question asks, without its key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
// In the browser, read tag first (`tag_first`).
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PaperBody {
    SingleChoice { options: Vec<PaperOption> },
    TrueFalse { statements: Vec<String> },
    Numeric,
    MultipleResponse { options: Vec<PaperOption> },
}

impl PaperBody {
    /// The kind's name in the exam format and on the wire (`"true_false"`),
    /// as [`Body::kind_name`] names the question it shows.
    pub fn kind_name(&self) -> &'static str {
        match self {
            PaperBody::SingleChoice { .. } => "single_choice",
            PaperBody::TrueFalse { .. } => "true_false",
            PaperBody::Numeric => "numeric",
            PaperBody::MultipleResponse { .. } => "multiple_response",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
// In the browser, read tag first (`tag_first`).
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
pub struct PaperQuestion {
    pub id: QuestionId,
    pub text: String,
    pub points: Points,
    #[serde(flatten)]
    pub body: PaperBody,
}

/// A section as shown: its title and how many of the paper's questions,
/// from where, belong to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperSection {
    pub title: String,
    pub first: usize,
    pub count: usize,
}

/// The exam as shown to one candidate while working: no keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paper {
    pub exam_id: String,
    pub title: String,
    pub subject: String,
    pub duration_secs: u32,
    /// The paper number ("mã đề") for numbered versions; `null` otherwise.
    /// Always sent, like every field of the paper, so a client never has to
    /// tell "absent" from "null".
    #[serde(default)]
    pub version: Option<u16>,
    pub sections: Vec<PaperSection>,
    /// In display order, section after section.
    pub questions: Vec<PaperQuestion>,
}

impl Paper {
    pub fn question(&self, id: QuestionId) -> Option<&PaperQuestion> {
        self.questions.iter().find(|q| q.id == id)
    }
}

impl Exam {
    /// The key-free paper in `arrangement`'s order.
    pub fn paper(&self, arrangement: Arrangement) -> Paper {
        let mut sections = Vec::new();
        let mut questions = Vec::new();
        for (s_index, section) in self.effective_sections().iter().enumerate() {
            let part = |what: u64| {
                arrangement
                    .seed
                    .map(|seed| sub_seed(seed, what << 32 | s_index as u64))
            };
            let order = match part(1) {
                Some(seed) if section.shuffle_questions => {
                    permutation(section.questions.len(), seed, |_| false)
                }
                _ => (0..section.questions.len()).collect(),
            };
            let first = questions.len();
            for index in order {
                let q = self
                    .question(section.questions[index])
                    .expect("validated sections name real questions");
                let option_seed = arrangement
                    .seed
                    .filter(|_| section.shuffle_options)
                    .map(|seed| sub_seed(seed, 2 << 32 | u64::from(q.id.0)));
                questions.push(PaperQuestion {
                    id: q.id,
                    text: q.text.clone(),
                    points: q.points,
                    body: paper_body(&q.body, option_seed),
                });
            }
            sections.push(PaperSection {
                title: section.title.clone(),
                first,
                count: questions.len() - first,
            });
        }
        Paper {
            exam_id: self.id.clone(),
            title: self.title.clone(),
            subject: self.subject.clone(),
            duration_secs: self.duration_secs,
            version: arrangement.version,
            sections,
            questions,
        }
    }
}

fn arranged(options: &[String], pinned: &[OptionId], seed: Option<u64>) -> Vec<PaperOption> {
    let order = match seed {
        Some(seed) => permutation(options.len(), seed, |i| pinned.contains(&OptionId(i as u8))),
        None => (0..options.len()).collect(),
    };
    order
        .into_iter()
        .map(|i| PaperOption {
            id: OptionId(i as u8),
            text: options[i].clone(),
        })
        .collect()
}

fn paper_body(body: &Body, option_seed: Option<u64>) -> PaperBody {
    match body {
        Body::SingleChoice {
            options, pinned, ..
        } => PaperBody::SingleChoice {
            options: arranged(options, pinned, option_seed),
        },
        Body::MultipleResponse {
            options, pinned, ..
        } => PaperBody::MultipleResponse {
            options: arranged(options, pinned, option_seed),
        },
        // Statement order carries meaning (a–d often build on each other).
        Body::TrueFalse { statements, .. } => PaperBody::TrueFalse {
            statements: statements.clone(),
        },
        Body::Numeric { .. } => PaperBody::Numeric,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;
    use crate::answer::AnswerValue;
    use crate::exam::tests::{mixed_exam, small_exam};
    use crate::scoring::grade;

    #[test]
    fn canonical_paper_has_no_keys() {
        let exam = small_exam();
        let paper = exam.paper(Arrangement::default());
        let json = serde_json::to_string(&paper).unwrap();
        assert!(!json.contains("key"), "{json}");
        let ids: Vec<_> = paper.questions.iter().map(|q| q.id.0).collect();
        assert_eq!(ids, [1, 2, 3]);
        assert_eq!(paper.sections.len(), 1);
        assert_eq!(paper.sections[0].count, 3);
    }

    #[test]
    fn worked_solutions_never_reach_the_paper_only_a_final_grade() {
        let mut exam = small_exam();
        exam.questions[0].explanation = Some("LỜI GIẢI BÍ MẬT".into());
        let json = serde_json::to_string(&exam.paper(Arrangement {
            seed: Some(3),
            version: None,
        }))
        .unwrap();
        assert!(
            !json.contains("LỜI GIẢI") && !json.contains("explanation"),
            "{json}"
        );
        // With the result, only when the exam shows answers.
        let shown = grade(&exam, &BTreeMap::new());
        assert_eq!(
            shown.items[0].explanation.as_deref(),
            Some("LỜI GIẢI BÍ MẬT")
        );
        exam.show_answers = false;
        assert_eq!(grade(&exam, &BTreeMap::new()).items[0].explanation, None);
    }

    #[test]
    fn mixed_paper_keeps_sections_and_hides_every_key() {
        let exam = mixed_exam();
        let paper = exam.paper(Arrangement {
            seed: Some(7),
            version: None,
        });
        let json = serde_json::to_string(&paper).unwrap();
        for secret in ["key", "keys", "-1,5", "table", "rule"] {
            assert!(!json.contains(secret), "{secret} leaked: {json}");
        }
        let titles: Vec<_> = paper
            .sections
            .iter()
            .map(|s| (s.title.as_str(), s.first, s.count))
            .collect();
        assert_eq!(
            titles,
            [("Phần I", 0, 2), ("Phần II", 2, 1), ("Phần III", 3, 2)]
        );
        // Sections never mix.
        let in_part_one: Vec<u32> = paper.questions[..2].iter().map(|q| q.id.0).collect();
        assert!(in_part_one.contains(&1) && in_part_one.contains(&2));
    }

    #[test]
    fn numbered_versions_are_fixed_per_number() {
        let mut exam = mixed_exam();
        exam.versioning = Versioning::Numbered {
            first: 101,
            count: 4,
        };
        let a = Arrangement::for_new_attempt(&exam, 1, 0);
        let b = Arrangement::for_new_attempt(&exam, 999, 4);
        assert_eq!(a, b, "candidates 0 and 4 get paper 101 whatever the random");
        assert_eq!(a.version, Some(101));
        assert_eq!(Arrangement::for_new_attempt(&exam, 1, 1).version, Some(102));
        assert_eq!(exam.paper(a), exam.paper(b));
    }

    #[test]
    fn the_paper_number_is_always_sent_null_when_there_is_none() {
        let mut exam = mixed_exam();
        let unnumbered = serde_json::to_value(exam.paper(Arrangement::default())).unwrap();
        assert_eq!(unnumbered.get("version"), Some(&serde_json::Value::Null));
        exam.versioning = Versioning::Numbered {
            first: 101,
            count: 4,
        };
        let numbered = exam.paper(Arrangement::for_new_attempt(&exam, 1, 0));
        let json = serde_json::to_value(&numbered).unwrap();
        assert_eq!(json["version"], 101);
        // Older senders that left it out still read as "no number".
        let mut without = unnumbered.clone();
        without.as_object_mut().unwrap().remove("version");
        let back: Paper = serde_json::from_value(without).unwrap();
        assert_eq!(back.version, None);
    }

    fn option_order(paper: &Paper, q: u32) -> Vec<u8> {
        match &paper.question(QuestionId(q)).unwrap().body {
            PaperBody::SingleChoice { options } | PaperBody::MultipleResponse { options } => {
                options.iter().map(|o| o.id.0).collect()
            }
            _ => vec![],
        }
    }

    proptest! {
        #[test]
        fn shuffles_are_permutations_pinned_stay_and_grading_ignores_versions(
            seed_a: u64, seed_b: u64, picks in proptest::collection::vec(0u8..4, 5)
        ) {
            let exam = mixed_exam();
            let arr = |s| Arrangement { seed: Some(s), version: None };
            let (pa, pb) = (exam.paper(arr(seed_a)), exam.paper(arr(seed_a)));
            prop_assert_eq!(&pa, &pb, "deterministic per seed");
            // Question 2 pins option D (id 3) in the last place.
            prop_assert_eq!(*option_order(&pa, 2).last().unwrap(), 3);
            let mut ids: Vec<u32> = pa.questions.iter().map(|q| q.id.0).collect();
            ids.sort_unstable();
            prop_assert_eq!(ids, vec![1, 2, 3, 4, 5]);
            let mut opts = option_order(&pa, 1);
            opts.sort_unstable();
            prop_assert_eq!(opts, vec![0, 1, 2, 3]);

            // Whatever the order, every option shown carries the canonical
            // id of the text it shows, so a click stores the canonical id.
            for paper in [&pa, &exam.paper(arr(seed_b))] {
                for pq in &paper.questions {
                    let canonical = exam.question(pq.id).unwrap().body.options();
                    if let PaperBody::SingleChoice { options } | PaperBody::MultipleResponse { options } = &pq.body {
                        for o in options {
                            prop_assert_eq!(&canonical[usize::from(o.id.0)], &o.text);
                        }
                    }
                }
            }
            // A candidate who means the same texts on two different papers
            // clicks different positions but gets the same grade.
            let pb = exam.paper(arr(seed_b));
            let click = |paper: &Paper| -> BTreeMap<QuestionId, AnswerValue> {
                let mut answers = BTreeMap::new();
                for (q, pick) in [1u32, 2].iter().zip(&picks) {
                    let wanted = &exam.question(QuestionId(*q)).unwrap().body.options()[usize::from(*pick)];
                    let PaperBody::SingleChoice { options } = &paper.question(QuestionId(*q)).unwrap().body else {
                        unreachable!()
                    };
                    let position = options.iter().position(|o| &o.text == wanted).unwrap();
                    answers.insert(QuestionId(*q), AnswerValue::Choice(options[position].id));
                }
                answers
            };
            prop_assert_eq!(grade(&exam, &click(&pa)), grade(&exam, &click(&pb)));
        }
    }
}
