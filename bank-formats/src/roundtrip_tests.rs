//! Cross-format round trips: questions read from one format, written as
//! the next and read back, around the cycle GIFT → Moodle XML → QTI 3.0 →
//! GIFT, starting from each format's features fixture.
//!
//! Each hop compares, field by field, what both formats of the hop carry:
//! title, text, kind and key (options, statements, tolerance, rule),
//! explanation, option feedback, category, tags, external id, pictures and
//! the key marking. Left out of a hop, because one of its two formats has
//! no place for them (each format's documentation says so):
//!
//! - `source`: positions belong to a file (GIFT and Moodle XML give lines,
//!   QTI packages an entry and a line);
//! - suggested `points`: GIFT has none;
//! - subject, grade, topic, level and author: only QTI's metadata block
//!   holds them;
//! - pinned options: only QTI writes them (Moodle's `shuffleanswers` is
//!   read but not kept, GIFT has no such thing).
//!
//! A question a format cannot carry (pictures in GIFT, true/false clusters
//! and all-or-nothing multiple response in GIFT and Moodle XML) must be
//! refused with a problem naming it; the rest then goes on. The end of each
//! cycle is compared with its start on what all three formats carry.

use examgate_shared::bank::Item;
use examgate_shared::exam::Body;

use crate::test_support::zipped_fixture_dir;
use crate::{Format, export, import};

/// Which of the optional fields a format writes and reads back.
#[derive(Debug, Clone, Copy)]
struct Carries {
    points: bool,
    /// Subject, grade, topic, level and author.
    filing: bool,
    pinned: bool,
}

impl Carries {
    fn of(format: Format) -> Carries {
        match format {
            Format::Qti => Carries {
                points: true,
                filing: true,
                pinned: true,
            },
            Format::MoodleXml => Carries {
                points: true,
                filing: false,
                pinned: false,
            },
            _ => Carries {
                points: false,
                filing: false,
                pinned: false,
            },
        }
    }

    fn and(self, other: Carries) -> Carries {
        Carries {
            points: self.points && other.points,
            filing: self.filing && other.filing,
            pinned: self.pinned && other.pinned,
        }
    }

    /// What GIFT, Moodle XML and QTI all carry.
    fn all_three() -> Carries {
        Carries::of(Format::Gift)
            .and(Carries::of(Format::MoodleXml))
            .and(Carries::of(Format::Qti))
    }
}

/// The options pinned, or none when the format does not carry pinning.
fn body_as_carried(body: &Body, carries: Carries) -> Body {
    let mut body = body.clone();
    if !carries.pinned {
        match &mut body {
            Body::SingleChoice { pinned, .. } | Body::MultipleResponse { pinned, .. } => {
                pinned.clear()
            }
            Body::TrueFalse { .. } | Body::Numeric { .. } => {}
        }
    }
    body
}

/// Asserts that `got` and `want` agree, question by question and field by
/// field, on everything `carries` says survives.
fn assert_carried(step: &str, got: &[Item], want: &[Item], carries: Carries) {
    assert_eq!(got.len(), want.len(), "{step}: number of questions");
    for (index, (got, want)) in got.iter().zip(want).enumerate() {
        let at = format!("{step}, question {}", index + 1);
        assert_eq!(got.title, want.title, "{at}: title");
        assert_eq!(got.text, want.text, "{at}: text");
        assert_eq!(
            body_as_carried(&got.body, carries),
            body_as_carried(&want.body, carries),
            "{at}: kind and key"
        );
        assert_eq!(got.explanation, want.explanation, "{at}: explanation");
        assert_eq!(got.option_feedback, want.option_feedback, "{at}: feedback");
        assert_eq!(got.meta.category, want.meta.category, "{at}: category");
        assert_eq!(got.meta.tags, want.meta.tags, "{at}: tags");
        assert_eq!(got.meta.external_id, want.meta.external_id, "{at}: id");
        assert_eq!(got.images, want.images, "{at}: pictures");
        assert_eq!(got.marking, want.marking, "{at}: key marking");
        if carries.points {
            assert_eq!(got.points, want.points, "{at}: points");
        }
        if carries.filing {
            let filing = |item: &Item| {
                let m = &item.meta;
                (
                    m.subject.clone(),
                    m.grade,
                    m.topic.clone(),
                    m.level,
                    m.author.clone(),
                )
            };
            assert_eq!(filing(got), filing(want), "{at}: filing");
        }
    }
}

/// Writes `items` (read from `from`) as `to` and reads them back, checking
/// the hop. `refused` lists the questions `to` cannot carry (1-based, with
/// a word of the reason): the export must refuse exactly those, each with
/// a problem naming it; the others are then written without them.
fn hop(items: &[Item], from: Format, to: Format, refused: &[(usize, &str)]) -> Vec<Item> {
    let step = format!("{} → {}", from.name(), to.name());
    let carried: Vec<Item> = if refused.is_empty() {
        items.to_vec()
    } else {
        let problems = export(to, items).expect_err(&step);
        assert_eq!(problems.len(), refused.len(), "{step}: {problems:?}");
        for (problem, (number, reason)) in problems.iter().zip(refused) {
            assert!(
                problem.why.starts_with(&format!("question {number} "))
                    || problem.why.starts_with(&format!("question {number}:")),
                "{step}: {problem} does not name question {number}"
            );
            assert!(problem.why.contains(reason), "{step}: {problem}");
        }
        items
            .iter()
            .enumerate()
            .filter(|(index, _)| !refused.iter().any(|(n, _)| *n == index + 1))
            .map(|(_, item)| item.clone())
            .collect()
    };
    let written = export(to, &carried).unwrap_or_else(|p| panic!("{step}: {p:?}"));
    let back = import(to, &written).unwrap_or_else(|p| panic!("{step} read back: {p:?}"));
    assert_eq!(
        back.notes,
        vec![],
        "{step}: a written file reads without notes"
    );
    let carries = Carries::of(from).and(Carries::of(to));
    assert_carried(&step, &back.items, &carried, carries);
    back.items
}

/// `items` without the questions numbered (1-based) in `numbers`.
fn without(items: &[Item], numbers: &[usize]) -> Vec<Item> {
    items
        .iter()
        .enumerate()
        .filter(|(index, _)| !numbers.contains(&(index + 1)))
        .map(|(_, item)| item.clone())
        .collect()
}

const PICTURES: &str = "GIFT cannot carry pictures";
const CLUSTER: &str = "no true/false clusters";
const ALL_OR_NOTHING: &str = "cannot say all-or-nothing";

#[test]
fn gift_features_go_round_through_moodle_xml_and_qti() {
    let start = import(
        Format::Gift,
        include_bytes!("../fixtures/gift/features.gift"),
    )
    .unwrap()
    .items;
    assert_eq!(start.len(), 7);
    let moodle = hop(&start, Format::Gift, Format::MoodleXml, &[]);
    let qti = hop(&moodle, Format::MoodleXml, Format::Qti, &[]);
    let gift = hop(&qti, Format::Qti, Format::Gift, &[]);
    assert_carried("GIFT → … → GIFT", &gift, &start, Carries::all_three());
    // GIFT carries everything its own import gives: the cycle is exact
    // apart from positions.
    for (end, start) in gift.iter().zip(&start) {
        assert_eq!(
            Item {
                source: None,
                ..end.clone()
            },
            Item {
                source: None,
                ..start.clone()
            }
        );
    }
}

#[test]
fn moodle_xml_features_go_round_through_qti_and_gift() {
    let start = import(
        Format::MoodleXml,
        include_bytes!("../fixtures/moodle_xml/features.xml"),
    )
    .unwrap()
    .items;
    assert_eq!(start.len(), 5);
    let qti = hop(&start, Format::MoodleXml, Format::Qti, &[]);
    // Questions 1 and 3 have pictures.
    let gift = hop(
        &qti,
        Format::Qti,
        Format::Gift,
        &[(1, PICTURES), (3, PICTURES)],
    );
    let moodle = hop(&gift, Format::Gift, Format::MoodleXml, &[]);
    assert_carried(
        "Moodle XML → … → Moodle XML",
        &moodle,
        &without(&start, &[1, 3]),
        Carries::all_three(),
    );
}

#[test]
fn qti_features_go_round_through_gift_and_moodle_xml() {
    let start = import(Format::Qti, &zipped_fixture_dir("qti/package"))
        .unwrap()
        .items;
    assert_eq!(start.len(), 7);
    // 1 and 6 have pictures, 3 is all or nothing, 4 and 5 are clusters.
    let gift = hop(
        &start,
        Format::Qti,
        Format::Gift,
        &[
            (1, PICTURES),
            (3, ALL_OR_NOTHING),
            (4, CLUSTER),
            (5, CLUSTER),
            (6, PICTURES),
        ],
    );
    let moodle = hop(&gift, Format::Gift, Format::MoodleXml, &[]);
    let qti = hop(&moodle, Format::MoodleXml, Format::Qti, &[]);
    assert_carried(
        "QTI → … → QTI",
        &qti,
        &without(&start, &[1, 3, 4, 5, 6]),
        Carries::all_three(),
    );
}

#[test]
fn qti_pictures_and_points_go_round_through_moodle_xml() {
    let start = import(Format::Qti, &zipped_fixture_dir("qti/package"))
        .unwrap()
        .items;
    let moodle = hop(
        &start,
        Format::Qti,
        Format::MoodleXml,
        &[(3, ALL_OR_NOTHING), (4, CLUSTER), (5, CLUSTER)],
    );
    assert!(moodle[0].points.is_some() && !moodle[0].images.is_empty());
    let qti = hop(&moodle, Format::MoodleXml, Format::Qti, &[]);
    assert_carried(
        "QTI → Moodle XML → QTI",
        &qti,
        &without(&start, &[3, 4, 5]),
        Carries::of(Format::MoodleXml),
    );
}
