//! Word import tests: documents written with [`super::build`], compared
//! with the exact items or the exact problems expected.

use examgate_shared::bank::{Image, Item, KeyMarking, Position, Problem};
use examgate_shared::exam::{Body, OptionId};
use examgate_shared::numeric::Decimal;

use super::build::{DocxBuilder, Style};
use super::import;
use crate::test_support::single;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR tiny test picture";

fn underline() -> Style {
    Style {
        underline: true,
        ..Style::default()
    }
}
fn bold() -> Style {
    Style {
        bold: true,
        ..Style::default()
    }
}

fn at(paragraph: u32) -> Option<Position> {
    Some(Position::Paragraph { paragraph })
}

fn choice(text: &str, options: &[&str], key: u8, marking: KeyMarking, paragraph: u32) -> Item {
    let mut item = Item::new(text, single(options, key));
    item.marking = Some(marking);
    item.source = at(paragraph);
    item
}

fn statements(keys: &[bool]) -> Body {
    Body::TrueFalse {
        statements: [
            "Phát biểu một.",
            "Phát biểu hai.",
            "Phát biểu ba.",
            "Phát biểu bốn.",
        ]
        .map(String::from)
        .to_vec(),
        keys: keys.to_vec(),
        table: None,
    }
}

const EQUATION: &str = concat!(
    "<m:f><m:num><m:r><m:t>1</m:t></m:r></m:num><m:den><m:r><m:t>2</m:t></m:r></m:den></m:f>",
    "<m:r><m:t>+</m:t></m:r>",
    r#"<m:rad><m:radPr><m:degHide m:val="1"/></m:radPr><m:deg/><m:e><m:r><m:t>x</m:t></m:r></m:e></m:rad>"#,
    "<m:sSup><m:e><m:r><m:t>y</m:t></m:r></m:e><m:sup><m:r><m:t>2</m:t></m:r></m:sup></m:sSup>"
);

/// Every feature in one paper, with the paragraph numbers in comments.
fn full_paper() -> Vec<u8> {
    DocxBuilder::new()
        .list(1, "decimal", "Câu %1.")
        .text("SỞ GIÁO DỤC VÀ ĐÀO TẠO — ĐỀ THI THỬ") // 1
        .text("PHẦN I. Câu trắc nghiệm nhiều phương án lựa chọn") // 2
        .text("Câu 1. Thủ đô của Việt Nam là") // 3
        .paragraph(|p| {
            p.text("A. Huế\tB. ")
                .run("Hà Nội", underline())
                .text("\tC. Đà Nẵng\tD. Vinh")
        }) // 4
        .text("Câu 2: 2 + 2 bằng") // 5
        .text("A. 3") // 6
        .paragraph(|p| p.run("B.", bold()).text(" 4")) // 7
        .text("C. 5") // 8
        .text("D. 6") // 9
        .text("Lời giải: 2 + 2 = 4. Chọn B.") // 10
        .text("Câu 3. Số nguyên tố chẵn là") // 11
        .paragraph(|p| {
            p.text("A. 1  B. 2  ")
                .run(
                    "C.",
                    Style {
                        red: true,
                        ..Style::default()
                    },
                )
                .text(" 3  D. 4")
        }) // 12
        .text("Câu 4. Màu của lá cây") // 13
        .paragraph(|p| {
            p.text("A. Đỏ\t").run(
                "B. Xanh",
                Style {
                    highlight: true,
                    ..Style::default()
                },
            )
        }) // 14
        .text("Câu 5. Nước sôi ở") // 15
        .paragraph(|p| {
            p.run(
                "A. 100 °C",
                Style {
                    shading: true,
                    ..Style::default()
                },
            )
            .text("\tB. 50 °C")
        }) // 16
        .text("Câu 6. Chọn đáp án đúng") // 17
        .text("A. Sai\tB. Sai\tC. Sai\t*D. Đúng") // 18
        .text("Câu 7. Hình bên là") // 19
        .image_png(PNG) // 20
        .text("A. Hình vuông\tB. Hình tròn") // 21
        .paragraph(|p| p.text("Câu 8. Tính ").omml(EQUATION)) // 22
        .text("A. 0\tB. 1\tC. 2") // 23
        .text("PHẦN II. Câu trắc nghiệm đúng sai") // 24
        .text("Câu 1. Cho hàm số y = x.") // 25
        .paragraph(|p| p.run("a)", bold()).text(" Phát biểu một.")) // 26
        .text("b) Phát biểu hai.") // 27
        .paragraph(|p| p.run("c) Phát biểu ba.", bold())) // 28
        .text("d) Phát biểu bốn.") // 29
        .text("Câu 2. Không có phát biểu đúng.") // 30
        .text("a) Phát biểu một.\nb) Phát biểu hai.\nc) Phát biểu ba.\nd) Phát biểu bốn.") // 31
        .text("PHẦN III. Câu trắc nghiệm trả lời ngắn") // 32
        .paragraph(|p| p.numbered(1, 0).text("Tính 25 : 2.")) // 33
        .paragraph(|p| p.numbered(1, 0).text("Tính 1 − 4.")) // 34
        .text("Đáp án: -3") // 35
        .text("----- HẾT -----") // 36
        .text("ĐÁP ÁN") // 37
        .text("PHẦN I") // 38
        .text("7-A   8.C") // 39
        .text("PHẦN III") // 40
        .table(&[&["Câu", "1", "2"], &["Đáp án", "12,5", "-3"]]) // 41–46
        .text("Lời giải") // 47
        .text("PHẦN I") // 48
        .text("Câu 1. Hà Nội là thủ đô.") // 49
        .text("Từ năm 1010.") // 50
        .build()
}

#[test]
fn a_paper_with_every_feature_imports_exactly() {
    let imported = import(&full_paper()).unwrap();
    let image = Image::new(PNG.to_vec()).unwrap();
    let mut expected = vec![
        choice(
            "Thủ đô của Việt Nam là",
            &["Huế", "Hà Nội", "Đà Nẵng", "Vinh"],
            1,
            KeyMarking::Underline,
            3,
        ),
        choice("2 + 2 bằng", &["3", "4", "5", "6"], 1, KeyMarking::Bold, 5),
        choice(
            "Số nguyên tố chẵn là",
            &["1", "2", "3", "4"],
            2,
            KeyMarking::RedText,
            11,
        ),
        choice(
            "Màu của lá cây",
            &["Đỏ", "Xanh"],
            1,
            KeyMarking::Highlight,
            13,
        ),
        choice(
            "Nước sôi ở",
            &["100 °C", "50 °C"],
            0,
            KeyMarking::Highlight,
            15,
        ),
        choice(
            "Chọn đáp án đúng",
            &["Sai", "Sai", "Sai", "Đúng"],
            3,
            KeyMarking::Asterisk,
            17,
        ),
        choice(
            &format!("Hình bên là\n{}", image.reference("")),
            &["Hình vuông", "Hình tròn"],
            0,
            KeyMarking::AnswerTable,
            19,
        ),
        choice(
            "Tính <math><mfrac><mn>1</mn><mn>2</mn></mfrac><mo>+</mo><msqrt><mi>x</mi></msqrt><msup><mi>y</mi><mn>2</mn></msup></math>",
            &["0", "1", "2"],
            2,
            KeyMarking::AnswerTable,
            22,
        ),
    ];
    expected[0].explanation = Some("Hà Nội là thủ đô.\nTừ năm 1010.".into());
    expected[1].explanation = Some("2 + 2 = 4. Chọn B.".into());
    expected[6].images = vec![image];
    let mut cluster = Item::new("Cho hàm số y = x.", statements(&[true, false, true, false]));
    cluster.marking = Some(KeyMarking::Bold);
    cluster.source = at(25);
    let mut all_false = Item::new("Không có phát biểu đúng.", statements(&[false; 4]));
    all_false.source = at(30);
    let mut first_numeric = Item::new(
        "Tính 25 : 2.",
        Body::Numeric {
            key: Decimal::parse("12,5").unwrap(),
            tolerance: None,
        },
    );
    first_numeric.marking = Some(KeyMarking::AnswerTable);
    first_numeric.source = at(33);
    let mut second_numeric = Item::new(
        "Tính 1 − 4.",
        Body::Numeric {
            key: Decimal::parse("-3").unwrap(),
            tolerance: None,
        },
    );
    second_numeric.marking = Some(KeyMarking::AnswerTable);
    second_numeric.source = at(34);
    expected.extend([cluster, all_false, first_numeric, second_numeric]);
    for (got, want) in imported.items.iter().zip(&expected) {
        assert_eq!(got, want);
    }
    assert_eq!(imported.items, expected);
    assert_eq!(
        imported.notes,
        vec![Problem::new(
            Position::Paragraph { paragraph: 30 },
            "no statement is marked true, so all are taken as false"
        )]
    );
}

fn problem(paragraph: u32, why: &str) -> Problem {
    Problem::new(Position::Paragraph { paragraph }, why)
}

#[test]
fn every_problem_is_reported_with_its_paragraph() {
    let bytes = DocxBuilder::new()
        .text("Câu 1. Hai cách đánh dấu khác nhau") // 1
        .paragraph(|p| p.text("A. x\tB. y\tC. ").run("z", underline())) // 2
        .text("Câu 2. Không đánh dấu") // 3
        .text("A. x\tB. y") // 4
        .paragraph(|p| p.text("Câu 3. Phương trình ").mathtype_object()) // 5
        .text("*A. x\tB. y") // 6
        .text("Câu 4. Hình") // 7
        .paragraph(|p| p.image("wmf", b"\xd7\xcd\xc6\x9a old metafile")) // 8
        .text("*A. x\tB. y") // 9
        .text("Câu 5. Một phương án") // 10
        .text("*A. x") // 11
        .text("HẾT") // 12
        .text("Đáp án") // 13
        .text("1-A 9-B") // 14
        .build();
    assert_eq!(
        import(&bytes).unwrap_err(),
        vec![
            problem(
                1,
                "the key marks disagree (the answer table says A, underline says C); mark the key one way"
            ),
            problem(
                3,
                "no option is marked as the key: underline it, make it bold, red or highlighted, put * before its letter, or add an answer table"
            ),
            problem(
                5,
                "a MathType or Equation Editor equation (Equation.DSMT4) cannot be read; convert the equations to Office Math in Word (MathType → Convert Equations → Office Math) and import again"
            ),
            problem(
                8,
                "a WMF/EMF picture (media/image1.wmf), which browsers cannot show (often an old equation preview); save it as PNG, or convert equations to Office Math, and import again"
            ),
            problem(10, "only 1 option; a question needs 2 to 8 (A. B. C. D.)"),
            problem(
                14,
                "the answer key gives an answer for question 9, which is not in the file"
            ),
        ]
    );
}

#[test]
fn legacy_fonts_and_ambiguous_marks_are_refused() {
    let bytes = DocxBuilder::new()
        .paragraph(|p| p.raw(r#"<w:r><w:rPr><w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/></w:rPr><w:t>C©u 1. Hái</w:t></w:r>"#))
        .text("Câu 2. Hai đáp án gạch chân")
        .paragraph(|p| p.run("A. x", underline()).text("\t").run("B. y", underline()).text("\tC. z"))
        .build();
    assert_eq!(
        import(&bytes).unwrap_err(),
        vec![
            problem(
                1,
                "the text uses the legacy Vietnamese font \".VnTime\" (TCVN3/VNI), whose letters are wrong in Unicode; convert the document to Unicode first (UniKey: Toolkit → convert to Unicode) and import again"
            ),
            problem(
                2,
                "options A and B are all underlined; mark only the right option"
            ),
        ]
    );
}

#[test]
fn a_part_two_cluster_needs_four_statements() {
    let bytes = DocxBuilder::new()
        .text("PHẦN II. Câu trắc nghiệm đúng sai")
        .text("Câu 1. Cho hàm số y = x.")
        .paragraph(|p| p.run("a) Phát biểu một.", bold()))
        .text("b) Phát biểu hai.")
        .text("c) Phát biểu ba.")
        .build();
    assert_eq!(
        import(&bytes).unwrap_err(),
        vec![problem(
            2,
            "a true/false question (Part II) needs exactly four statements a) b) c) d); this one has 3"
        )]
    );
}

#[test]
fn style_bold_on_every_option_is_not_a_mark_and_auto_lettered_options_are_read() {
    let bytes = DocxBuilder::new()
        .list(2, "upperLetter", "%1.")
        .styles(r#"<w:style w:type="paragraph" w:styleId="Options"><w:name w:val="Options"/><w:rPr><w:b/></w:rPr></w:style>"#)
        .text("Câu 1. Chọn số lớn nhất")
        .paragraph(|p| p.style("Options").numbered(2, 0).text("7"))
        .paragraph(|p| p.style("Options").numbered(2, 0).run("9", underline()))
        // A bold paragraph style with the bold "Strong" character style toggles back to normal.
        .paragraph(|p| p.style("Options").numbered(2, 0).run("8", Style { char_style: Some("Strong"), ..Style::default() }))
        .build();
    let items = import(&bytes).unwrap().items;
    assert_eq!(
        items,
        vec![choice(
            "Chọn số lớn nhất",
            &["7", "9", "8"],
            1,
            KeyMarking::Underline,
            1
        )]
    );
}

#[test]
fn two_hundred_generated_questions_import() {
    let mut builder = DocxBuilder::new();
    for n in 1..=200 {
        builder = builder
            .text(&format!("Câu {n}. Câu hỏi số {n}?"))
            .paragraph(|p| {
                p.text("A. một\t")
                    .run("B. hai", underline())
                    .text("\tC. ba\tD. bốn")
            });
    }
    let imported = import(&builder.build()).unwrap();
    assert_eq!(imported.items.len(), 200);
    assert!(imported.items.iter().all(|i| matches!(
        i.body,
        Body::SingleChoice {
            key: OptionId(1),
            ..
        }
    )));
}

#[test]
fn broken_files_are_problems_not_panics() {
    assert!(import(b"not a zip").is_err());
    assert!(import(&DocxBuilder::new().build()).is_err());
    let doctype = DocxBuilder::new()
        .paragraph(|p| p.raw("<!DOCTYPE x>"))
        .build();
    assert!(import(&doctype).is_err());
}
