//! Tests for QTI import and export: the fixture package with every
//! supported construct, a bare 2.1 item, the error package, and round
//! trips through export.

use std::path::PathBuf;

use examgate_shared::bank::{Image, Item, KeyMarking, Level, Meta, Position, Problem};
use examgate_shared::exam::{Body, MultiRule, OptionId};
use examgate_shared::numeric::Decimal;
use examgate_shared::points::Points;

use super::{export, import};
use crate::test_support::{fixture_path, strings, zipped_fixture_dir};

fn fixture(name: &str) -> PathBuf {
    fixture_path(&format!("qti/{name}"))
}

/// Zips a fixture directory (entries sorted, so the zip is always the same).
fn zip_dir(name: &str) -> Vec<u8> {
    zipped_fixture_dir(&format!("qti/{name}"))
}

fn image(path: &str) -> Image {
    Image::new(std::fs::read(fixture(path)).unwrap()).unwrap()
}

fn d(text: &str) -> Decimal {
    Decimal::parse(text).unwrap()
}

fn ids(ids: &[u8]) -> Vec<OptionId> {
    ids.iter().map(|&i| OptionId(i)).collect()
}

/// An item as the importer gives it: the key marked by the format, the
/// QTI identifier as external id, found at line 2 of `file`.
fn imported(file: &str, id: &str, title: Option<&str>, text: &str, body: Body) -> Item {
    let mut item = Item::new(text, body);
    item.title = title.map(str::to_string);
    item.meta.external_id = Some(id.to_string());
    item.marking = Some(KeyMarking::Format);
    item.source = Some(Position::Entry {
        file: file.to_string(),
        line: 2,
    });
    item
}

fn at(file: &str, line: u32, why: &str) -> Problem {
    Problem::new(
        Position::Entry {
            file: file.to_string(),
            line,
        },
        why,
    )
}

#[test]
fn the_fixture_package_reads_every_supported_construct() {
    let triangle = image("package/items/images/triangle.png");
    let graph = image("package/items/images/graph.png");

    let mut capital = imported(
        "items/choice.xml",
        "geo-capital",
        Some("Thủ đô"),
        &format!(
            "Look at the map & the flag:\n![map](image:{})\nWhich city is the capital of Việt Nam?",
            triangle.name
        ),
        Body::SingleChoice {
            options: strings(&[
                "Hồ Chí Minh City",
                "Hà Nội",
                "Đà Nẵng, at <math><msup><mn>10</mn><mn>2</mn></msup></math> km",
                "None of these",
            ]),
            key: OptionId(1),
            pinned: ids(&[3]),
        },
    );
    capital.points = Some(Points::from_milli(250));
    capital.explanation = Some("Hà Nội has been the capital since 1976.".into());
    capital.option_feedback = strings(&["The largest city, not the capital.", "", "", ""]);
    capital.meta = Meta {
        category: Some("Địa lí/Thủ đô".into()),
        subject: "Địa lí".into(),
        grade: Some(9),
        topic: "Châu Á".into(),
        level: Some(Level::Recall),
        tags: strings(&["capitals", "asia"]),
        author: "Cô Lan".into(),
        external_id: Some("geo-capital".into()),
    };
    capital.images = vec![triangle];

    let primes = imported(
        "items/multi share.xml",
        "primes",
        Some("Primes"),
        "Which numbers are prime?",
        Body::MultipleResponse {
            options: strings(&["2", "3", "4"]),
            keys: [OptionId(0), OptionId(1)].into(),
            // shuffle="false": every choice keeps its place.
            pinned: ids(&[0, 1, 2]),
            rule: MultiRule::RightMinusWrong,
        },
    );

    let roots = imported(
        "items/multi-all.xml",
        "roots",
        Some("Roots"),
        "Which numbers solve <math display=\"block\"><semantics><mrow><msup><mi>x</mi><mn>2</mn>\
         </msup><mo>=</mo><mrow><mo>(</mo><mn>4</mn><mo>)</mo></mrow></mrow><annotation \
         encoding=\"LaTeX\">x^2 = (4)</annotation></semantics></math>?",
        Body::MultipleResponse {
            options: strings(&["2", "0", "−2"]),
            keys: [OptionId(0), OptionId(2)].into(),
            pinned: vec![],
            rule: MultiRule::AllOrNothing,
        },
    );

    let parabola = imported(
        "items/true-false-match.xml",
        "parabola",
        Some("Parabola"),
        r"Cho hàm số \(y = x^2 - 4x + 3\).",
        Body::TrueFalse {
            statements: strings(&[
                "Đồ thị cắt trục hoành tại hai điểm.",
                r"Đỉnh là \((2; 1)\).",
                r"Hàm số đồng biến trên \(\mathbb{R}\).",
                r"\(y(0) = 3\).",
            ]),
            keys: vec![true, false, false, true],
            table: None,
        },
    );

    let water = imported(
        "items/true-false-choices.xml",
        "water",
        Some("Water"),
        "About water at sea level:",
        Body::TrueFalse {
            statements: strings(&[
                "It boils at 100 °C.",
                "It freezes at 10 °C.",
                "Its formula is H2O.",
            ]),
            keys: vec![true, false, true],
            table: Some(vec![0, 333, 667, 1000]),
        },
    );

    let mut area = imported(
        "items/numeric.xml",
        "area",
        Some("Area"),
        &format!(
            "A circle has radius 2 (see ![](image:{})).\nIts area, to two decimals, is \
             \\(\\text{{cm}}^2\\).",
            graph.name
        ),
        Body::Numeric {
            key: d("12.57"),
            tolerance: Some(d("0.01")),
        },
    );
    area.explanation = Some(r"\(S = \pi r^2 = 4\pi \approx 12{,}57\)".into());
    area.images = vec![graph];

    let count = imported(
        "items/integer.xml",
        "count",
        None,
        "Solve + 10 = 3.",
        Body::Numeric {
            key: d("-7"),
            tolerance: None,
        },
    );

    let got = import(&zip_dir("package")).unwrap();
    let expected = vec![capital, primes, roots, parabola, water, area, count];
    assert_eq!(got.items.len(), expected.len());
    for (got, expected) in got.items.iter().zip(&expected) {
        assert_eq!(got, expected);
    }
    assert_eq!(
        got.notes,
        vec![at(
            "items/true-false-choices.xml",
            2,
            "a true/false cluster of 3 statements is scored in proportion to the statements \
             right (the 2025 table is for four)"
        )]
    );
}

#[test]
fn a_bare_2p1_item_reads_with_lines() {
    let got = import(&std::fs::read(fixture("bare-2p1.xml")).unwrap()).unwrap();
    let mut expected = Item::new(
        "The derivative of <math><msup><mi>x</mi><mn>3</mn></msup></math> is",
        Body::SingleChoice {
            options: strings(&[r"\(x^2\)", r"\(3x\)", r"\(3x^2\)", r"\(x^3/3\)"]),
            key: OptionId(2),
            pinned: ids(&[0, 1, 2, 3]),
        },
    );
    expected.title = Some("Derivative".into());
    expected.meta.external_id = Some("q-17".into());
    expected.marking = Some(KeyMarking::Format);
    expected.source = Some(Position::Line { line: 3 });
    assert_eq!(got.items, vec![expected]);
    assert!(got.notes.is_empty());
}

#[test]
fn the_error_package_reports_every_problem_with_its_place() {
    let outside = "is outside the package (an absolute URL or a path leaving it); put the file \
                   in the package and refer to it relatively";
    let expected = vec![
        at(
            "items/hotspot.xml",
            8,
            "a hotspotInteraction is not a kind of question examgate grades (single choice, \
             multiple response, true/false, numeric)",
        ),
        at(
            "items/relative.xml",
            13,
            "a relative tolerance (a percentage of the answer) is not supported; give an \
             absolute tolerance instead",
        ),
        at(
            "items/no-key.xml",
            4,
            "the response RESPONSE has no correctResponse; say which answer is right",
        ),
        at(
            "imsmanifest.xml",
            14,
            "the href ../outside.xml is an absolute URL or leaves the package; item files must \
             be inside it",
        ),
        at(
            "items/doctype.xml",
            2,
            "a DOCTYPE declaration is refused (its entities could expand without bound); \
             remove it",
        ),
        at(
            "items/remote-image.xml",
            8,
            &format!("the picture https://example.com/tracker.png {outside}"),
        ),
        at(
            "items/remote-image.xml",
            11,
            &format!("the picture ../../secret.png {outside}"),
        ),
        at(
            "items/odd-mapping.xml",
            4,
            "a mapping examgate cannot grade the same way; it reads map_response only when \
             every right choice maps to +1/k and every other to −1/k (k right choices, any \
             common scale) with lowerBound 0 (right minus wrong), or use match_correct (all \
             or nothing)",
        ),
        at(
            "imsmanifest.xml",
            26,
            "resource type imsqti_item_xmlv2p0 is not QTI 2.1, 2.2 or 3.0",
        ),
    ];
    assert_eq!(import(&zip_dir("errors")).unwrap_err(), expected);
}

/// One question of every kind, with everything QTI export carries.
fn every_kind() -> Vec<Item> {
    let triangle = image("package/items/images/triangle.png");
    let graph = image("package/items/images/graph.png");
    let math = "<math display=\"block\"><mfrac><mn>1</mn><msqrt><mi>x</mi></msqrt></mfrac></math>";

    let mut single = Item::new(
        format!(
            "Tính \\(\\int_0^1 x\\,dx\\) & so sánh <math><mi>a</mi><mo>&lt;</mo><mi>b</mi></math>:\n\n![hình 1](image:{})",
            triangle.name
        ),
        Body::SingleChoice {
            options: strings(&["\\(\\frac12\\)", math, "\"1\"", "Cả A và B"]),
            key: OptionId(0),
            pinned: ids(&[3]),
        },
    );
    single.title = Some("Tích phân <1>".into());
    single.explanation = Some(format!("Vì \\(x^2/2\\)…\nXem ![](image:{})", graph.name));
    single.option_feedback = strings(&["Đúng", "", "Sai: 1 ≠ 1/2", ""]);
    single.points = Some(Points::from_milli(250));
    single.meta = Meta {
        category: Some("Toán/Giải tích".into()),
        subject: "Toán".into(),
        grade: Some(12),
        topic: "Tích phân".into(),
        level: Some(Level::AdvancedApplication),
        tags: strings(&["tích phân", "2025"]),
        author: "Thầy Minh".into(),
        external_id: Some("TP-01".into()),
    };
    single.images = vec![triangle.clone(), graph.clone()];

    let mut right_minus_wrong = Item::new(
        "Chọn các số nguyên tố.",
        Body::MultipleResponse {
            options: strings(&["2", "3", "4", "5", "9"]),
            keys: [OptionId(0), OptionId(1), OptionId(3)].into(),
            pinned: vec![],
            rule: MultiRule::RightMinusWrong,
        },
    );
    right_minus_wrong.meta.external_id = Some("câu 2".into());

    let mut all_or_nothing = Item::new(
        format!("Hình nào là tam giác? ![](image:{})", triangle.name),
        Body::MultipleResponse {
            options: strings(&["A", "B"]),
            keys: [OptionId(1)].into(),
            pinned: ids(&[0, 1]),
            rule: MultiRule::AllOrNothing,
        },
    );
    all_or_nothing.images = vec![triangle];
    all_or_nothing.meta.external_id = Some("TP-01".into());

    let mut cluster = Item::new(
        "Cho hàm số \\(y = x^3 - 3x\\).",
        Body::TrueFalse {
            statements: strings(&[
                "a) Đồng biến trên \\((1; +\\infty)\\).",
                "b) y(0) = 0",
                "c) Có 2 cực trị.",
                "d) Nghịch biến trên R.",
            ]),
            keys: vec![true, true, true, false],
            table: None,
        },
    );
    cluster.option_feedback = strings(&["", "", "", "Chỉ trên (−1; 1)."]);
    cluster.title = Some("Part II".into());

    let three = Item::new(
        "Nước:",
        Body::TrueFalse {
            statements: strings(&["sôi ở 100 °C", "đóng băng ở 10 °C", "là H2O"]),
            keys: vec![true, false, true],
            table: Some(vec![0, 200, 500, 1000]),
        },
    );

    let mut numeric = Item::new(
        "Tính \\(\\pi\\) đến hai chữ số thập phân.",
        Body::Numeric {
            key: d("-3,14"),
            tolerance: Some(d("0,005")),
        },
    );
    numeric.explanation = Some("\\(\\pi \\approx 3{,}14159\\)".into());
    let exact = Item::new(
        "Số cạnh của lục giác?",
        Body::Numeric {
            key: d("6"),
            tolerance: None,
        },
    );
    vec![
        single,
        right_minus_wrong,
        all_or_nothing,
        cluster,
        three,
        numeric,
        exact,
    ]
}

fn without_source(items: Vec<Item>) -> Vec<Item> {
    items
        .into_iter()
        .map(|mut item| {
            item.source = None;
            item.marking = None;
            item
        })
        .collect()
}

#[test]
fn export_then_import_gives_the_same_questions() {
    let items = every_kind();
    for item in &items {
        item.check().unwrap();
    }
    let bytes = export(&items).unwrap();
    let back = import(&bytes).unwrap();
    assert!(back.notes.is_empty(), "{:?}", back.notes);
    let back = without_source(back.items);
    assert_eq!(back.len(), items.len());
    for (got, expected) in back.iter().zip(&items) {
        assert_eq!(got, expected);
    }
    assert_eq!(
        export(&back).unwrap(),
        bytes,
        "a second export is byte for byte the same"
    );
}

#[test]
fn export_is_a_qti_3_package_with_standard_templates() {
    let bytes = export(&every_kind()).unwrap();
    let mut package = crate::package::Package::open(&bytes).unwrap();
    assert_eq!(
        package.names(),
        strings(&[
            "imsmanifest.xml",
            "items/TP-01.xml",
            "items/media/b1ff9c8ea3a780bad09b346c423d2d0e46815926879b18e841d928376a946640.png",
            "items/media/fce481932ea5d07a91c7991c09fdadb4bf78f9b4cc8f927188384231f9d12679.png",
            "items/item-2.xml",
            "items/item-3.xml",
            "items/item-4.xml",
            "items/item-5.xml",
            "items/item-6.xml",
            "items/item-7.xml",
        ])
    );
    let manifest = String::from_utf8(package.require("imsmanifest.xml").unwrap()).unwrap();
    assert!(manifest.contains("xmlns=\"http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1\""));
    assert!(manifest.contains("type=\"imsqti_item_xmlv3p0\" href=\"items/TP-01.xml\""));
    let single = String::from_utf8(package.require("items/TP-01.xml").unwrap()).unwrap();
    assert!(single.contains("xmlns=\"http://www.imsglobal.org/xsd/imsqtiasi_v3p0\""));
    assert!(single.contains(
        "template=\"https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct\""
    ));
    assert!(
        single.contains("<math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"block\">")
    );
    let share = String::from_utf8(package.require("items/item-2.xml").unwrap()).unwrap();
    assert!(share.contains("rptemplates/map_response\""));
    let numeric = String::from_utf8(package.require("items/item-6.xml").unwrap()).unwrap();
    assert!(numeric.contains("<qti-equal tolerance-mode=\"absolute\" tolerance=\"0.005 0.005\">"));
    assert!(numeric.contains("<qti-value>-3.14</qti-value>"));
    // Each exported item also reads on its own (pictures need the package).
    assert_eq!(import(numeric.as_bytes()).unwrap().items.len(), 1);
}

#[test]
fn export_refuses_what_qti_cannot_carry() {
    let mut item = Item::new(
        "x?",
        Body::Numeric {
            key: d("1"),
            tolerance: None,
        },
    );
    item.option_feedback = strings(&["a"]);
    item.source = Some(Position::Line { line: 4 });
    assert_eq!(
        export(&[item]).unwrap_err(),
        vec![Problem::new(
            Position::Line { line: 4 },
            "question 1: 1 option feedback texts for 0 options or statements; QTI carries one \
             per choice"
        )]
    );
}

#[test]
fn hostile_xml_is_refused_not_expanded() {
    let deep = format!(
        "<assessmentItem xmlns=\"http://www.imsglobal.org/xsd/imsqti_v2p1\">{}",
        "<div>".repeat(300)
    );
    let problems = import(deep.as_bytes()).unwrap_err();
    assert_eq!(
        problems,
        vec![Problem::new(
            Position::Line { line: 1 },
            "the XML nests deeper than 256 levels"
        )]
    );
    let entity = "<assessmentItem xmlns=\"http://www.imsglobal.org/xsd/imsqti_v2p1\">&nbsp;</assessmentItem>";
    assert_eq!(
        import(entity.as_bytes()).unwrap_err()[0].why,
        "the entity &nbsp; is not defined in XML (write the character itself or a numeric \
         reference such as &#160;)"
    );
    assert!(import(b"\xff\xfe<").is_err());
    assert!(import(b"PK\x03\x04 not a zip").is_err());
}
