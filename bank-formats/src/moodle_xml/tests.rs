//! Moodle XML import, export and round trips (also from GIFT).

use std::collections::BTreeSet;

use examgate_shared::bank::{Image, Item, Meta, Problem};
use examgate_shared::exam::{Body, MultiRule, OptionId};
use examgate_shared::numeric::Decimal;
use examgate_shared::points::Points;

use super::{export, import};
use crate::test_support::{at, item, single, strings};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\nfake";
const GIF: &[u8] = b"GIF89a-old";

fn numeric(key: &str, tolerance: Option<&str>) -> Body {
    Body::Numeric {
        key: Decimal::parse(key).unwrap(),
        tolerance: tolerance.map(|t| Decimal::parse(t).unwrap()),
    }
}

fn multi(options: &[&str], keys: &[u8]) -> Body {
    Body::MultipleResponse {
        options: strings(options),
        keys: keys.iter().map(|k| OptionId(*k)).collect::<BTreeSet<_>>(),
        pinned: vec![],
        rule: MultiRule::RightMinusWrong,
    }
}

#[test]
fn every_supported_construct_is_read_exactly() {
    let imported = import(include_bytes!("../../fixtures/moodle_xml/features.xml")).unwrap();
    let png = Image::new(PNG.to_vec()).unwrap();
    let gif = Image::new(GIF.to_vec()).unwrap();
    let geometry = Some("Toán/Hình học".to_string());
    let mut triangle = item(
        6,
        &format!("Tổng ba góc của tam giác {}", png.reference("hình")),
        single(&["180°", "90°"], 0),
    );
    triangle.title = Some("Tam giác".into());
    triangle.explanation = Some("180 độ".into());
    triangle.points = Some(Points::from_milli(2500));
    triangle.option_feedback = strings(&["Đúng", ""]);
    triangle.meta = Meta {
        category: geometry.clone(),
        tags: strings(&["hình", "lớp 7"]),
        external_id: Some("TG-1".into()),
        ..Meta::default()
    };
    triangle.images = vec![png];
    let mut even = item(21, "Số chẵn?", multi(&["2", "3", "4"], &[0, 2]));
    even.meta.category = geometry.clone();
    let mut lines = item(
        29,
        &format!("Dòng một\ndòng hai\n{}", gif.reference("")),
        single(&["Đúng", "Sai"], 1),
    );
    lines.option_feedback = strings(&["Sai", "Đúng"]);
    lines.images = vec![gif];
    lines.meta.category = geometry;
    let pi = item(40, "Số pi", numeric("3.14", Some("0.01")));
    let sum = item(45, "Hai cộng ba", numeric("5", None));
    assert_eq!(imported.items, vec![triangle, even, lines, pi, sum]);
    assert_eq!(
        imported.notes,
        vec![
            Problem::new(
                at(6),
                "<single>True</single> was read as true; Moodle reads anything but false, 0 or nothing as true"
            ),
            Problem::new(
                at(43),
                "the answer \"*\" worth 0% only gives feedback; it is not kept"
            ),
        ]
    );
}

#[test]
fn every_problem_is_reported_with_its_question_line() {
    let problems = import(include_bytes!("../../fixtures/moodle_xml/errors.xml")).unwrap_err();
    let got: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        got,
        vec![
            "line 3: examgate has no \"essay\" questions (multichoice, truefalse and numerical are read)",
            "line 6: the weight 33% is not one Moodle allows (100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5, 11.11111, 10, 5, their negatives, or 0)",
            "line 11: <single> is \"yes\"; write true or false",
            "line 17: the short answer \"Hà Nội\" is not a number (examgate keeps only numeric answers)",
            "line 21: an answer worth 50% (partial credit); examgate's numeric questions have one right number",
            "line 26: the picture \"missing.png\" has no <file> in the question",
            "line 31: a wrong option weighted 0 % lets a candidate who ticks every box get full marks; weight each wrong option -50% (examgate's right-minus-wrong rule), or give the question a single right answer",
        ]
    );
}

#[test]
fn doctype_and_broken_xml_are_refused() {
    let doctype = import(b"<?xml version=\"1.0\"?>\n<!DOCTYPE quiz [<!ENTITY a \"b\">]>\n<quiz/>")
        .unwrap_err();
    assert_eq!(
        doctype,
        vec![Problem::new(
            at(2),
            "a DOCTYPE declaration (refused: it can define entities); Moodle never writes one"
        )]
    );
    let deep = format!("<quiz>{}</quiz>", "<a>".repeat(300));
    assert!(
        import(deep.as_bytes()).unwrap_err()[0]
            .why
            .contains("nests deeper")
    );
    assert!(import(b"<quiz><question></quiz>").is_err());
}

/// One question of every kind Moodle XML carries, with everything it keeps.
fn hand_made() -> Vec<Item> {
    let png = Image::new(PNG.to_vec()).unwrap();
    let mut choice = item(
        0,
        "",
        single(&["a < b", "<math><mi>x</mi></math>", "\\(x^2\\)"], 2),
    );
    choice.text = format!("Chọn  đúng:\n{} & xong", png.reference("hình 1"));
    choice.title = Some("Chọn".into());
    choice.explanation = Some("Vì \\(x^2\\) ]]> lớn".into());
    choice.option_feedback = strings(&["", "không", "đúng"]);
    choice.points = Some(Points::from_milli(1500));
    choice.meta = Meta {
        category: Some("Toán//Lý/Đại số".into()),
        tags: strings(&["t1", "t2"]),
        external_id: Some("ID<1>".into()),
        ..Meta::default()
    };
    choice.images = vec![png.clone()];
    let mut several = item(
        0,
        "Nhiều",
        multi(&["1", "2", "3", "4", "5", "6", "7"], &[0, 3, 6]),
    );
    several.meta.category = Some("Toán//Lý/Đại số".into());
    let mut truth = item(0, "Đúng không?", single(&["Đúng", "Sai"], 1));
    truth.option_feedback = strings(&["sai rồi", ""]);
    let mut number = item(0, "Số", numeric("-1.25", Some("0.05")));
    number.explanation = Some(format!("Xem {}", png.reference("")));
    number.images = vec![png];
    let exact = item(0, "Đúng", numeric("42", None));
    vec![choice, several, truth, number, exact]
}

fn without_source(items: Vec<Item>) -> Vec<Item> {
    items
        .into_iter()
        .map(|mut i| {
            i.source = Some(at(0));
            i
        })
        .collect()
}

#[test]
fn export_then_import_gives_the_same_questions() {
    let items = hand_made();
    let written = export(&items).unwrap();
    let again = import(written.as_bytes()).unwrap();
    assert_eq!(without_source(again.items), items, "{written}");
    assert!(again.notes.is_empty());
}

#[test]
fn gift_read_then_written_as_moodle_xml_reads_the_same() {
    let from_gift = crate::gift::import(include_str!("../../fixtures/gift/features.gift"))
        .unwrap()
        .items;
    let written = export(&from_gift).unwrap();
    let again = import(written.as_bytes()).unwrap().items;
    assert_eq!(without_source(again), without_source(from_gift));
}

#[test]
fn export_refuses_true_false_clusters() {
    let cluster = item(
        0,
        "Cụm",
        Body::TrueFalse {
            statements: strings(&["a", "b"]),
            keys: vec![true, false],
            table: Some(vec![0, 500, 1000]),
        },
    );
    let problems = export(&[cluster]).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0]
            .why
            .starts_with("question 1 (\"Cụm\"): Moodle has no true/false clusters")
    );
}
