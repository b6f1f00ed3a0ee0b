//! The examples in `docs/bank-formats.md` do what the document says: a
//! fenced block whose info string is `<fmt> import` imports cleanly, one
//! whose info string is `<fmt> refuse` is refused with a problem that
//! says where (not just "the file"), at line `N` of the example when the
//! info string adds `line=N`. `<fmt>` is `gift`, `aiken`, `moodle-xml` or `qti`; Word
//! examples are described in words, not fenced.

use examgate_shared::bank::{Image, Item, KeyMarking, Position};
use examgate_shared::exam::{Body, OptionId};
use examgate_shared::numeric::Decimal;

use crate::docx::build::{DocxBuilder, Style};
use crate::{Format, import};

const DOCUMENT: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../docs/bank-formats.md"
));

/// One fenced example.
struct Example {
    format: Format,
    expect: Expect,
    body: String,
    /// The document line of the opening fence, for messages.
    line: usize,
}

#[derive(Debug, PartialEq)]
enum Expect {
    Import,
    /// Refused, with a problem at this line when one is given.
    Refuse(Option<u32>),
}

/// The format a fenced block's first word names, if it names one.
fn format_named(word: &str) -> Option<Format> {
    Some(match word {
        "gift" => Format::Gift,
        "aiken" => Format::Aiken,
        "moodle-xml" => Format::MoodleXml,
        "qti" => Format::Qti,
        _ => return None,
    })
}

/// Every fenced block whose info string starts with a format name. Any
/// other info string after the name (a typo such as `gift imports`) fails
/// the test rather than leaving the example unchecked.
fn examples() -> Vec<Example> {
    let mut out = Vec::new();
    let mut lines = DOCUMENT.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let body: Vec<&str> = lines
            .by_ref()
            .map(|(_, l)| l)
            .take_while(|l| l.trim_end() != "```")
            .collect();
        let mut words = info.split_whitespace();
        let Some(format) = words.next().and_then(format_named) else {
            continue;
        };
        let line = index + 1;
        let expect = match (words.next(), words.next(), words.next()) {
            (Some("import"), None, None) => Expect::Import,
            (Some("refuse"), None, None) => Expect::Refuse(None),
            (Some("refuse"), Some(at), None) => {
                let number = at.strip_prefix("line=").and_then(|n| n.parse().ok());
                Expect::Refuse(Some(number.unwrap_or_else(|| {
                    panic!("docs/bank-formats.md:{line}: `{at}` is not line=N")
                })))
            }
            _ => panic!(
                "docs/bank-formats.md:{line}: `{info}` is not `<fmt> import` or `<fmt> refuse`"
            ),
        };
        out.push(Example {
            format,
            expect,
            body: body.join("\n") + "\n",
            line,
        });
    }
    out
}

/// The line a problem's position names, when it names one.
fn line_of(at: &Position) -> Option<u32> {
    match at {
        Position::Line { line } | Position::Entry { line, .. } => Some(*line),
        Position::Paragraph { .. } | Position::File => None,
    }
}

#[test]
fn every_example_imports_or_is_refused_as_the_document_says() {
    let examples = examples();
    for example in &examples {
        let at = format!("docs/bank-formats.md:{}", example.line);
        let result = import(example.format, example.body.as_bytes());
        match (&example.expect, result) {
            (Expect::Import, Ok(imported)) => assert!(!imported.items.is_empty(), "{at}"),
            (Expect::Import, Err(problems)) => panic!("{at} is refused: {problems:?}"),
            (Expect::Refuse(_), Ok(imported)) => {
                panic!("{at} imports: {:?}", imported.items)
            }
            (Expect::Refuse(line), Err(problems)) => match line {
                Some(line) => assert!(
                    problems.iter().any(|p| line_of(&p.at) == Some(*line)),
                    "{at}: no problem at line {line}: {problems:?}"
                ),
                None => assert!(
                    problems.iter().any(|p| p.at != Position::File),
                    "{at}: no problem says where: {problems:?}"
                ),
            },
        }
    }
    // Each text format shows both outcomes, so a broken extraction (a
    // renamed info string, a moved file) cannot pass by checking nothing.
    for format in [Format::Gift, Format::Aiken, Format::MoodleXml, Format::Qti] {
        for import in [true, false] {
            assert!(
                examples
                    .iter()
                    .any(|e| e.format == format && (e.expect == Expect::Import) == import),
                "no {} {} example",
                format.name(),
                if import { "import" } else { "refuse" }
            );
        }
    }
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";

/// The Word paper the document describes in its Word section: a part of
/// each kind, an equation, a picture and an answer table.
pub(crate) fn word_example() -> Vec<u8> {
    let underline = Style {
        underline: true,
        ..Style::default()
    };
    DocxBuilder::new()
        .text("PHẦN I. Trắc nghiệm")
        .text("Câu 1. Thủ đô của Việt Nam là")
        .paragraph(|p| p.text("A. Huế\tB. ").run("Hà Nội", underline))
        .paragraph(|p| {
            p.text("Câu 2. Tính ").omml(
                "<m:f><m:num><m:r><m:t>1</m:t></m:r></m:num><m:den><m:r><m:t>2</m:t></m:r></m:den></m:f>",
            )
        })
        .paragraph(|p| p.image("png", PNG))
        .text("A. 0,5\tB. 2")
        .text("PHẦN II. Đúng sai")
        .text("Câu 1. Cho hàm số y = x.")
        .text("a) Đồng biến.")
        .text("b) Nghịch biến.")
        .text("c) Đi qua gốc toạ độ.")
        .text("d) Là hàm hằng.")
        .text("PHẦN III. Trả lời ngắn")
        .text("Câu 1. 1,5 + 1 = ?")
        .text("ĐÁP ÁN")
        .text("PHẦN I")
        .table(&[&["Câu", "1", "2"], &["Đáp án", "B", "A"]])
        .text("PHẦN II")
        .text("1. ĐSĐS")
        .text("PHẦN III")
        .text("1. 2,5")
        .build()
}

#[test]
fn the_word_example_reads_as_described() {
    let imported = import(Format::Docx, &word_example()).unwrap();
    assert_eq!(imported.notes, vec![]);
    let picture = Image::new(PNG.to_vec()).unwrap();
    let question = |paragraph: u32, text: &str, body: Body| {
        let mut item = Item::new(text, body);
        item.marking = Some(KeyMarking::AnswerTable);
        item.source = Some(Position::Paragraph { paragraph });
        item
    };
    let single = |options: [&str; 2], key: u8| Body::SingleChoice {
        options: options.map(String::from).to_vec(),
        key: OptionId(key),
        pinned: vec![],
    };
    let mut half = question(
        4,
        &format!(
            "Tính <math><mfrac><mn>1</mn><mn>2</mn></mfrac></math>\n{}",
            picture.reference("")
        ),
        single(["0,5", "2"], 0),
    );
    half.images = vec![picture];
    let expected = vec![
        question(2, "Thủ đô của Việt Nam là", single(["Huế", "Hà Nội"], 1)),
        half,
        question(
            8,
            "Cho hàm số y = x.",
            Body::TrueFalse {
                statements: [
                    "Đồng biến.",
                    "Nghịch biến.",
                    "Đi qua gốc toạ độ.",
                    "Là hàm hằng.",
                ]
                .map(String::from)
                .to_vec(),
                keys: vec![true, false, true, false],
                table: None,
            },
        ),
        question(
            14,
            "1,5 + 1 = ?",
            Body::Numeric {
                key: Decimal::parse("2.5").unwrap(),
                tolerance: None,
            },
        ),
    ];
    assert_eq!(imported.items, expected);
}
