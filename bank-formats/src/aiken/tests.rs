//! Aiken import and export against the fixtures.

use examgate_shared::bank::Item;
use examgate_shared::exam::Body;

use super::{export, import};
use crate::test_support::{self, single};

fn item(line: u32, text: &str, options: &[&str], key: u8) -> Item {
    test_support::item(line, text, single(options, key))
}

#[test]
fn questions_are_read_as_moodle_reads_them() {
    let imported = import(include_str!("../../fixtures/aiken/features.txt")).unwrap();
    assert_eq!(
        imported.items,
        vec![
            item(
                1,
                "Thủ đô của Việt Nam là?",
                &["Huế", "Hà Nội", "Đà Nẵng", "Sài Gòn"],
                1
            ),
            item(8, "Two plus two?", &["3", "4"], 1),
        ]
    );
    assert!(imported.notes.is_empty());
}

#[test]
fn what_moodle_lets_through_is_refused_with_lines() {
    let problems = import(include_str!("../../fixtures/aiken/errors.txt")).unwrap_err();
    let got: Vec<(String, String)> = problems
        .iter()
        .map(|p| (p.at.to_string(), p.why.clone()))
        .collect();
    let no_answer = "the question has no ANSWER line (a question's text must be one line, followed by its options and ANSWER: X)";
    let expected = vec![
        (
            "line 1",
            "an option line before any question (a question line comes first)",
        ),
        ("line 2", no_answer),
        (
            "line 8",
            "write the answer letter in capitals (ANSWER: B); Moodle would mark no option right",
        ),
        ("line 12", "the answer 'C' is not one of the options A to B"),
        ("line 15", "1 options; a question needs 2 to 8"),
        ("line 17", no_answer),
    ];
    let expected: Vec<(String, String)> = expected
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn export_round_trips_and_refuses_other_kinds() {
    let items = vec![
        item(
            1,
            "Thủ đô của Việt Nam là?",
            &["Huế", "Hà Nội", "Đà Nẵng", "Sài Gòn"],
            1,
        ),
        item(8, "Two plus two?", &["3", "4"], 1),
    ];
    let written = export(&items).unwrap();
    assert_eq!(
        written,
        "Thủ đô của Việt Nam là?\nA) Huế\nB) Hà Nội\nC) Đà Nẵng\nD) Sài Gòn\nANSWER: B\n\n\
         Two plus two?\nA) 3\nB) 4\nANSWER: B\n\n"
    );
    assert_eq!(import(&written).unwrap().items, items);
    let numeric = Item::new(
        "Số?",
        Body::Numeric {
            key: examgate_shared::numeric::Decimal::parse("1").unwrap(),
            tolerance: None,
        },
    );
    let two_lines = item(1, "Dòng 1\nDòng 2", &["a", "b"], 0);
    let reasons: Vec<String> = export(&[numeric, two_lines])
        .unwrap_err()
        .iter()
        .map(|p| p.why.clone())
        .collect();
    assert_eq!(
        reasons,
        vec![
            "question 1 (\"Số?\"): Aiken carries single-choice questions only; export it as GIFT, Moodle XML or QTI",
            "question 2 (\"Dòng 1 Dòng 2\"): Aiken needs the question and every option on one line",
        ]
    );
}
