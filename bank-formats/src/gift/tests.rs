//! GIFT import, export and round trips against the fixtures.

use std::collections::BTreeSet;

use examgate_shared::bank::{Item, Meta, Position, Problem};
use examgate_shared::exam::{Body, MultiRule, OptionId};
use examgate_shared::numeric::Decimal;

use super::{export, import};
use crate::test_support::{at, item, single, strings};

const FEATURES: &str = include_str!("../../fixtures/gift/features.gift");
const ERRORS: &str = include_str!("../../fixtures/gift/errors.gift");

fn decimal(mantissa: i64, scale: u32) -> Decimal {
    Decimal { mantissa, scale }
}

/// What `features.gift` holds, exactly.
pub(crate) fn feature_items() -> Vec<Item> {
    let algebra = Some("Toán//Lý/Đại số".to_string());
    let mut derivative = item(
        4,
        r"Đạo hàm của \(x^2\) là",
        single(&[r"\(2x\)", r"\(x\)", r"\(2\)"], 0),
    );
    derivative.title = Some("Câu 1: đạo hàm".into());
    derivative.explanation = Some(r"Vì \(\frac{d}{dx}x^2 = 2x\).".into());
    derivative.option_feedback = strings(&["Đúng rồi", "Thiếu hệ số 2", ""]);
    derivative.meta = Meta {
        category: algebra.clone(),
        tags: strings(&["hàm số", "dễ"]),
        external_id: Some("Q-1".into()),
        ..Meta::default()
    };
    let mut primes = item(
        12,
        "Chọn các số nguyên tố.",
        Body::MultipleResponse {
            options: strings(&["2", "3", "4", "9"]),
            keys: BTreeSet::from([OptionId(0), OptionId(1)]),
            pinned: vec![],
            rule: MultiRule::RightMinusWrong,
        },
    );
    primes.title = Some("Số nguyên tố".into());
    primes.option_feedback = strings(&["", "Đúng", "", ""]);
    primes.meta.category = algebra.clone();
    let mut earth = item(
        19,
        "Trái Đất quay quanh Mặt Trời.",
        single(&["Đúng", "Sai"], 0),
    );
    earth.option_feedback = strings(&["Chính xác", "Sai rồi"]);
    earth.meta.category = algebra.clone();
    let mut water = item(21, "Nước sôi ở 50°C.", single(&["Đúng", "Sai"], 1));
    water.explanation = Some("100 độ".into());
    water.meta.category = algebra;
    let pi = item(
        25,
        r"Số \(\pi\) xấp xỉ",
        Body::Numeric {
            key: decimal(314, 2),
            tolerance: Some(decimal(1, 2)),
        },
    );
    let range = item(
        27,
        "Chọn một số từ 1 đến 5",
        Body::Numeric {
            key: decimal(3, 0),
            tolerance: Some(decimal(2, 0)),
        },
    );
    let half = item(
        29,
        "Một nửa là",
        Body::Numeric {
            key: decimal(5, 1),
            tolerance: None,
        },
    );
    vec![derivative, primes, earth, water, pi, range, half]
}

#[test]
fn every_supported_construct_is_read_exactly() {
    let imported = import(FEATURES).unwrap();
    let expected = feature_items();
    for (got, want) in imported.items.iter().zip(&expected) {
        assert_eq!(got, want);
    }
    assert_eq!(imported.items.len(), expected.len());
    assert_eq!(
        imported.notes,
        vec![
            Problem::new(
                at(12),
                "wrong options weighted -100% are read as -50% each (examgate's right-minus-wrong rule): a wrong tick costs one right option's share, not the whole question"
            ),
            Problem::new(
                at(29),
                "the feedback for other answers (after ~) is not kept"
            ),
            Problem::new(at(29), "the feedback on the numeric answer is not kept"),
            Problem::new(
                at(29),
                "the decimal comma in \"0,5\" was read as a decimal point"
            ),
        ]
    );
}

#[test]
fn every_problem_is_reported_with_its_line() {
    let problems = import(ERRORS).unwrap_err();
    let weight = |w: &str| {
        format!(
            "the weight {w}% is not one Moodle allows (100, 90, 83.33333, 80, 75, 70, 66.66667, \
             60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5, 11.11111, 10, 5, their \
             negatives, or 0)"
        )
    };
    let expected: Vec<(u32, String)> = vec![
        (1, "examgate has no description questions (this block has no answer in { })".into()),
        (3, "examgate has no essay questions (the answer block { } is empty)".into()),
        (5, "examgate has no matching questions".into()),
        (7, "examgate has no short-answer text questions (an answer block with no ~ and no #); for true/false write T, TRUE, F or FALSE in capitals".into()),
        (9, "2 numeric answers (partial credit); examgate's numeric questions have one right number with a tolerance".into()),
        (11, "the numeric answer \"abc\" is not a number ('a' is not a digit, sign or decimal separator); Moodle would accept any answer".into()),
        (13, "examgate has no missing-word questions: nothing may follow the answer block (move the text before the {)".into()),
        (15, weight("33")),
        (15, weight("67")),
        (17, "a wrong option weighted 0 % lets a candidate who ticks every box get full marks; weight each wrong option -50% (examgate's right-minus-wrong rule), or give the question a single right answer (no option is marked with =, so this is a multiple-response question)".into()),
        (19, "1 options; a question needs 2 to 8".into()),
        (21, "9 options; a question needs 2 to 8".into()),
        (23, "no option has a positive weight, so none is right (no option is marked with =, so this is a multiple-response question)".into()),
        (25, "the { opened here is never closed (write \\{ for a brace in the text)".into()),
        (28, "a $CATEGORY line must stand alone: put a blank line after it (Moodle would read the question as part of the category name)".into()),
    ];
    let got: Vec<(u32, String)> = problems
        .iter()
        .map(|p| match p.at {
            Position::Line { line } => (line, p.why.clone()),
            _ => (0, p.why.clone()),
        })
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn export_then_import_gives_the_same_questions() {
    let items = feature_items();
    let written = export(&items).unwrap();
    let again = import(&written).unwrap().items;
    assert_eq!(again.len(), items.len());
    for (got, want) in again.iter().zip(&items) {
        let mut got = got.clone();
        got.source = want.source.clone();
        assert_eq!(&got, want, "{written}");
    }
}

#[test]
fn export_writes_moodles_layout() {
    let items = feature_items();
    let written = export(&items[..1]).unwrap();
    assert_eq!(
        written,
        "$CATEGORY: $course$/top/Toán//Lý/Đại số\n\n\
         // [id:Q-1] [tag:hàm số] [tag:dễ]\n\
         ::Câu 1\\: đạo hàm::Đạo hàm của \\\\(x^2\\\\) là{\n\
         \t=\\\\(2x\\\\)#Đúng rồi\n\
         \t~\\\\(x\\\\)#Thiếu hệ số 2\n\
         \t~\\\\(2\\\\)\n\
         \t####Vì \\\\(\\\\frac\\{d\\}\\{dx\\}x^2 \\= 2x\\\\).\n\
         }\n\n"
    );
}

#[test]
fn export_refuses_what_gift_cannot_carry() {
    let mut pictured = item(1, "Hình", single(&["a", "b"], 0));
    pictured.images =
        vec![examgate_shared::bank::Image::new(b"\x89PNG\r\n\x1a\nx".to_vec()).unwrap()];
    let cluster = item(
        2,
        "Cụm",
        Body::TrueFalse {
            statements: strings(&["a", "b", "c", "d"]),
            keys: vec![true, false, true, false],
            table: None,
        },
    );
    let strict = item(
        3,
        "Chặt",
        Body::MultipleResponse {
            options: strings(&["a", "b"]),
            keys: BTreeSet::from([OptionId(0)]),
            pinned: vec![],
            rule: MultiRule::AllOrNothing,
        },
    );
    let problems = export(&[pictured, cluster, strict]).unwrap_err();
    let reasons: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(reasons, vec![
        "the file: question 1 (\"Hình\"): GIFT cannot carry pictures; export it as Moodle XML or QTI, which embed them".to_string(),
        "the file: question 2 (\"Cụm\"): Moodle has no true/false clusters (statements a–d); export it as QTI or split it into single true/false questions".to_string(),
        "the file: question 3 (\"Chặt\"): Moodle's weights cannot say all-or-nothing; switch the question to right-minus-wrong or export it as QTI".to_string(),
    ]);
}
