//! Imports are untrusted input: files built to exhaust memory or the stack,
//! to escape a package, or simply damaged, each refused with a clear
//! problem (where, and what to change) and without a panic. Then every
//! fixture, mutated a few hundred times by a fixed pseudo-random sequence,
//! must import without panicking, and what still imports must keep the
//! promises the fuzz targets check (`fuzz/fuzz_targets/bank_invariants.rs`).

use std::io::{Cursor, Read, Write};

use examgate_shared::bank::item::MAX_IMAGE_BYTES;
use examgate_shared::bank::{Position, Problem};

use crate::doc_examples_tests::word_example;
use crate::docx::build::DocxBuilder;
use crate::limits::MAX_XML_DEPTH;
use crate::test_support::{fixture_path, zipped_fixture_dir};
use crate::{Format, check_round_trip, import};

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
const NESTED: usize = 100_000;

/// The problems `bytes` is refused with (a refusal must list at least one).
fn refusal(format: Format, bytes: &[u8]) -> Vec<Problem> {
    match import(format, bytes) {
        Ok(imported) => panic!("imported: {:?}", imported.items),
        Err(problems) => {
            assert!(!problems.is_empty(), "a refusal without a problem");
            problems
        }
    }
}

/// Asserts that `bytes` is refused with exactly one problem, at `at`,
/// whose reason contains `reason`.
fn assert_refused(format: Format, bytes: &[u8], at: Position, reason: &str) {
    let problems = refusal(format, bytes);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].at, at, "{}", problems[0]);
    assert!(problems[0].why.contains(reason), "{}", problems[0]);
}

fn entry(file: &str, line: u32) -> Position {
    Position::Entry {
        file: file.to_string(),
        line,
    }
}

/// A zip of `entries`, deflated or stored.
fn zip_of(method: zip::CompressionMethod, entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, bytes) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// Entries stored as they are: a deeply nested document deflates so well
/// it would be refused as a zip bomb before its nesting is read.
fn stored(entries: &[(&str, &[u8])]) -> Vec<u8> {
    zip_of(zip::CompressionMethod::Stored, entries)
}

fn deflated(entries: &[(&str, &[u8])]) -> Vec<u8> {
    zip_of(zip::CompressionMethod::Deflated, entries)
}

/// The entries of a zip, in order.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|index| {
            let mut file = archive.by_index(index).unwrap();
            let mut content = Vec::new();
            file.read_to_end(&mut content).unwrap();
            (file.name().unwrap().to_string(), content)
        })
        .collect()
}

/// `zip` rewritten with `name` holding `bytes` (added when missing),
/// every entry compressed with `method`.
fn with_entry_as(method: zip::CompressionMethod, zip: &[u8], name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut entries = unzip(zip);
    match entries.iter_mut().find(|(n, _)| n == name) {
        Some((_, content)) => *content = bytes.to_vec(),
        None => entries.push((name.to_string(), bytes.to_vec())),
    }
    let borrowed: Vec<(&str, &[u8])> = entries
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    zip_of(method, &borrowed)
}

/// `zip` rewritten, stored, with `name` holding `bytes`.
fn with_entry(zip: &[u8], name: &str, bytes: &[u8]) -> Vec<u8> {
    with_entry_as(zip::CompressionMethod::Stored, zip, name, bytes)
}

/// A Word file with one single-choice question.
fn small_docx() -> Vec<u8> {
    DocxBuilder::new()
        .text("Câu 1. 1 + 1 = ?")
        .text("A. 1\t*B. 2")
        .build()
}

/// A QTI package of one item, `items/q.xml`, stored.
fn qti_package(item: &[u8]) -> Vec<u8> {
    stored(&[
        ("imsmanifest.xml", &qti_manifest("items/q.xml")),
        ("items/q.xml", item),
    ])
}

fn qti_manifest(href: &str) -> Vec<u8> {
    format!(
        "<manifest xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\" identifier=\"m\">\n\
         <resources>\n\
         <resource identifier=\"q\" type=\"imsqti_item_xmlv2p1\" href=\"{href}\">\n\
         <file href=\"{href}\"/>\n\
         </resource>\n\
         </resources>\n\
         </manifest>\n"
    )
    .into_bytes()
}

const QTI_ITEM: &str = r#"<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="q" title="Q" adaptive="false" timeDependent="false">
<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier"><correctResponse><value>A</value></correctResponse></responseDeclaration>
<itemBody><choiceInteraction responseIdentifier="RESPONSE" maxChoices="1"><prompt>1 + 1 = ?</prompt><simpleChoice identifier="A">2</simpleChoice><simpleChoice identifier="B">3</simpleChoice></choiceInteraction></itemBody>
</assessmentItem>
"#;

/// A PNG signature then zeros: a picture one byte over the size allowed.
fn oversized_png() -> Vec<u8> {
    let mut png = PNG_SIGNATURE.to_vec();
    png.resize(MAX_IMAGE_BYTES + 1, 0);
    png
}

#[test]
fn a_zip_bomb_posing_as_a_word_file_is_refused() {
    // 8 MiB of zeros deflate to a few kilobytes: over 1000× expansion.
    let zeros = vec![0u8; 8 * 1024 * 1024];
    let bomb = with_entry_as(
        zip::CompressionMethod::Deflated,
        &small_docx(),
        "word/document.xml",
        &zeros,
    );
    assert!(bomb.len() < 64 * 1024);
    assert_refused(
        Format::Docx,
        &bomb,
        entry("word/document.xml", 0),
        "expands beyond the limits",
    );
}

#[test]
fn a_zip_bomb_posing_as_a_qti_package_is_refused() {
    let spaces = vec![b' '; 8 * 1024 * 1024];
    let bomb = deflated(&[
        ("imsmanifest.xml", &qti_manifest("items/q.xml")),
        ("items/q.xml", &spaces),
    ]);
    assert!(bomb.len() < 64 * 1024);
    assert_refused(
        Format::Qti,
        &bomb,
        entry("items/q.xml", 0),
        "expands beyond the limits",
    );
}

/// Nine levels of ten entities each: 10⁹ copies of "lol" once expanded.
fn billion_laughs(root: &str, inside: &str) -> String {
    let mut doctype =
        format!("<?xml version=\"1.0\"?>\n<!DOCTYPE {root} [\n<!ENTITY lol0 \"lol\">");
    for level in 1..10 {
        doctype.push_str(&format!("<!ENTITY lol{level} \""));
        doctype.push_str(&format!("&lol{};", level - 1).repeat(10));
        doctype.push_str("\">");
    }
    doctype.push_str("\n]>\n");
    doctype + &inside.replace("LAUGHS", "&lol9;")
}

#[test]
fn billion_laughs_are_refused_at_the_doctype() {
    let moodle = billion_laughs(
        "quiz",
        "<quiz><question type=\"truefalse\"><questiontext><text>LAUGHS</text></questiontext></question></quiz>",
    );
    assert_refused(
        Format::MoodleXml,
        moodle.as_bytes(),
        Position::Line { line: 2 },
        "DOCTYPE",
    );

    let item = billion_laughs("assessmentItem", &QTI_ITEM.replace("1 + 1 = ?", "LAUGHS"));
    assert_refused(
        Format::Qti,
        item.as_bytes(),
        Position::Line { line: 2 },
        "DOCTYPE",
    );
    assert_refused(
        Format::Qti,
        &qti_package(item.as_bytes()),
        entry("items/q.xml", 2),
        "DOCTYPE",
    );

    let document = billion_laughs(
        "w:document",
        "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body><w:p><w:r><w:t>LAUGHS</w:t></w:r></w:p></w:body></w:document>",
    );
    assert_refused(
        Format::Docx,
        &with_entry(&small_docx(), "word/document.xml", document.as_bytes()),
        entry("word/document.xml", 0),
        "DOCTYPE",
    );
}

/// `open` then 100,000 `<tag>` … `</tag>` then `close`.
fn deeply_nested(open: &str, tag: &str, close: &str) -> String {
    let (start, end) = (format!("<{tag}>"), format!("</{tag}>"));
    format!(
        "{open}\n{}{}\n{close}",
        start.repeat(NESTED),
        end.repeat(NESTED)
    )
}

#[test]
fn a_hundred_thousand_nested_elements_are_refused_in_every_xml_format() {
    let too_deep = format!("nests deeper than {MAX_XML_DEPTH} levels");
    let moodle = deeply_nested(
        "<quiz><question type=\"truefalse\">",
        "x",
        "</question></quiz>",
    );
    assert_refused(
        Format::MoodleXml,
        moodle.as_bytes(),
        Position::Line { line: 2 },
        &too_deep,
    );

    let item = QTI_ITEM.replace(
        "<prompt>",
        &deeply_nested("<prompt>", "span", "").replace('\n', ""),
    );
    assert_refused(
        Format::Qti,
        item.as_bytes(),
        Position::Line { line: 3 },
        &too_deep,
    );
    assert_refused(
        Format::Qti,
        &qti_package(item.as_bytes()),
        entry("items/q.xml", 3),
        &too_deep,
    );
    let manifest = deeply_nested(
        "<manifest xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\">",
        "resources",
        "</manifest>",
    );
    assert_refused(
        Format::Qti,
        &stored(&[("imsmanifest.xml", manifest.as_bytes())]),
        entry("imsmanifest.xml", 2),
        &too_deep,
    );

    let document = deeply_nested(
        "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>",
        "w:tbl",
        "</w:body></w:document>",
    );
    assert_refused(
        Format::Docx,
        &with_entry(&small_docx(), "word/document.xml", document.as_bytes()),
        entry("word/document.xml", 0),
        &too_deep,
    );
}

#[test]
fn deeply_nested_html_inside_moodle_xml_is_read_without_recursion() {
    // The HTML in a CDATA section is not part of the XML tree (no depth
    // limit applies); it is read as a flat run of tags.
    let html = format!(
        "{}Nước sôi ở 100°C.{}",
        "<div>".repeat(NESTED),
        "</div>".repeat(NESTED)
    );
    let quiz = format!(
        "<quiz><question type=\"truefalse\">\
         <questiontext format=\"html\"><text><![CDATA[{html}]]></text></questiontext>\
         <answer fraction=\"100\"><text>true</text></answer>\
         <answer fraction=\"0\"><text>false</text></answer></question></quiz>"
    );
    let items = import(Format::MoodleXml, quiz.as_bytes()).unwrap().items;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].text, "Nước sôi ở 100°C.");
}

#[test]
fn the_harmless_versions_of_these_files_import() {
    // So each refusal above is for what was added, not for the rest.
    assert_eq!(import(Format::Docx, &small_docx()).unwrap().items.len(), 1);
    let docx = DocxBuilder::new()
        .text("Câu 1. Hình nào?")
        .paragraph(|p| p.image("png", PNG_SIGNATURE))
        .text("A. Một\t*B. Hai")
        .build();
    assert_eq!(
        import(Format::Docx, &docx).unwrap().items[0].images.len(),
        1
    );
    assert_eq!(
        import(Format::Qti, QTI_ITEM.as_bytes())
            .unwrap()
            .items
            .len(),
        1
    );
    let package = qti_package(QTI_ITEM.as_bytes());
    assert_eq!(import(Format::Qti, &package).unwrap().items.len(), 1);
}

#[test]
fn an_oversized_picture_is_refused_in_a_word_file() {
    let docx = DocxBuilder::new()
        .text("Câu 1. Hình nào?")
        .paragraph(|p| p.image("png", PNG_SIGNATURE))
        .text("A. Một\t*B. Hai")
        .build();
    // Swapped in stored, so it is refused for its size, not as a zip bomb
    // (and the test does not spend its time deflating).
    let docx = with_entry(&docx, "word/media/image1.png", &oversized_png());
    assert_refused(
        Format::Docx,
        &docx,
        Position::Paragraph { paragraph: 2 },
        &format!("larger than the {MAX_IMAGE_BYTES} bytes allowed"),
    );
}

#[test]
fn an_oversized_picture_is_refused_in_moodle_xml() {
    use base64::Engine;
    let png = oversized_png();
    let base64 = base64::engine::general_purpose::STANDARD.encode(&png);
    let quiz = format!(
        "<quiz>\n<question type=\"truefalse\">\n\
         <questiontext format=\"html\"><text><![CDATA[<img src=\"@@PLUGINFILE@@/big.png\">]]></text>\
         <file name=\"big.png\" encoding=\"base64\">{base64}</file></questiontext>\n\
         <answer fraction=\"100\"><text>true</text></answer>\n\
         <answer fraction=\"0\"><text>false</text></answer>\n\
         </question>\n</quiz>\n"
    );
    assert_refused(
        Format::MoodleXml,
        quiz.as_bytes(),
        Position::Line { line: 2 },
        &format!("larger than the {MAX_IMAGE_BYTES} bytes allowed"),
    );
}

/// `before`, a byte sequence that is not UTF-8, then `after`.
fn not_utf8(before: &str, bad: &[u8], after: &str) -> Vec<u8> {
    [before.as_bytes(), bad, after.as_bytes()].concat()
}

#[test]
fn broken_utf8_is_refused_with_its_line() {
    let reason = "not UTF-8";
    assert_refused(
        Format::Gift,
        &not_utf8("Câu một{T}\n\nCâu hai", b"\xff", "{F}\n"),
        Position::Line { line: 3 },
        reason,
    );
    // The first byte of "ế" (E1 BA BF) alone: a letter cut short.
    assert_refused(
        Format::Aiken,
        &not_utf8("Thủ đô?\nA) Hu", b"\xe1", "\nB) Hà Nội\nANSWER: B\n"),
        Position::Line { line: 2 },
        reason,
    );
    assert_refused(
        Format::MoodleXml,
        &not_utf8(
            "<quiz>\n<question type=\"truefalse\">\n<questiontext><text>",
            b"\xc3(",
            "</text></questiontext>\n</question>\n</quiz>",
        ),
        Position::Line { line: 3 },
        reason,
    );
}

#[test]
fn a_truncated_zip_is_refused_as_a_whole() {
    let docx = small_docx();
    assert_refused(
        Format::Docx,
        &docx[..docx.len() / 2],
        Position::File,
        "not a readable zip",
    );
    let package = qti_package(QTI_ITEM.as_bytes());
    assert_refused(
        Format::Qti,
        &package[..package.len() - 10],
        Position::File,
        "not a readable zip",
    );
}

#[test]
fn an_entry_named_to_leave_the_package_is_never_read() {
    let escape = "../../etc/passwd";
    let package = stored(&[
        ("imsmanifest.xml", &qti_manifest(escape)),
        (escape, QTI_ITEM.as_bytes()),
    ]);
    assert_refused(
        Format::Qti,
        &package,
        entry("imsmanifest.xml", 3),
        "leaves the package",
    );

    let docx = DocxBuilder::new()
        .text("Câu 1. Hình nào?")
        .paragraph(|p| p.image("png", PNG_SIGNATURE))
        .text("A. Một\t*B. Hai")
        .build();
    let rels = unzip(&docx)
        .into_iter()
        .find(|(name, _)| name == "word/_rels/document.xml.rels")
        .unwrap()
        .1;
    let rels = String::from_utf8(rels)
        .unwrap()
        .replace("media/image1.png", escape);
    let docx = with_entry(&docx, "word/_rels/document.xml.rels", rels.as_bytes());
    let docx = with_entry(&docx, escape, PNG_SIGNATURE);
    assert_refused(
        Format::Docx,
        &docx,
        Position::Paragraph { paragraph: 2 },
        "a picture outside the file (../../etc/passwd)",
    );
}

#[test]
fn a_word_question_with_hundreds_of_options_is_refused() {
    // Option lines repeated past Z once overflowed the letter arithmetic
    // of the messages (a panic in debug builds and under the fuzzer).
    let mut docx = DocxBuilder::new().text("Câu 1. Chọn một.");
    for _ in 0..120 {
        docx = docx.text("A. x\tB. y");
    }
    let docx = docx.text("*A. x\t*B. y").build();
    let problems = refusal(Format::Docx, &docx);
    assert_eq!(
        problems[0],
        Problem::new(
            Position::Paragraph { paragraph: 1 },
            "options ? and ? both carry *; a single-choice question has one key"
        )
    );
    // Every line after the first: its A and B are out of order.
    assert_eq!(problems.len(), 1 + 2 * 120);
    assert_eq!(
        problems[240],
        Problem::new(
            Position::Paragraph { paragraph: 122 },
            "option B comes where option ? was expected; write options A, B, C … in order"
        )
    );
}

#[test]
fn a_large_moodle_xml_file_reads_in_linear_time() {
    // Each element's line was once counted from the start of the file, so
    // the time grew with the square of the file's size: 2,000 questions
    // took about a minute in a debug build. Now a fraction of a second.
    let question = "<question type=\"truefalse\">\n<questiontext><text>Đúng?</text></questiontext>\n\
                    <answer fraction=\"100\"><text>true</text></answer>\n\
                    <answer fraction=\"0\"><text>false</text></answer>\n</question>\n";
    let quiz = format!("<quiz>\n{}</quiz>\n", question.repeat(2_000));
    let started = std::time::Instant::now();
    let items = import(Format::MoodleXml, quiz.as_bytes()).unwrap().items;
    assert_eq!(items.len(), 2_000);
    assert_eq!(
        items[1_999].source,
        Some(Position::Line {
            line: 2 + 5 * 1_999
        })
    );
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}

/// Marsaglia's xorshift64: a fixed, dependency-free sequence.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Bytes that mean something in one of the formats (and two that break
/// UTF-8), so mutations reach past the first syntax check.
const SIGNIFICANT: &[u8] = b"<>/&;{}=~#:%\\\n\"' []!-?AaTF019\x00\xff\xc3";

/// One to four random edits of `bytes`: a byte replaced, a significant byte
/// written or inserted, a run deleted or repeated, the end cut off.
fn mutate(bytes: &[u8], random: &mut XorShift) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for _ in 0..=random.below(4) {
        if out.is_empty() {
            out.push(SIGNIFICANT[random.below(SIGNIFICANT.len())]);
            continue;
        }
        let at = random.below(out.len());
        match random.below(6) {
            0 => out[at] = random.next() as u8,
            1 => out[at] = SIGNIFICANT[random.below(SIGNIFICANT.len())],
            2 => out.insert(at, SIGNIFICANT[random.below(SIGNIFICANT.len())]),
            3 => {
                let end = (at + 1 + random.below(16)).min(out.len());
                out.drain(at..end);
            }
            4 => {
                let end = (at + 1 + random.below(64)).min(out.len());
                let run = out[at..end].to_vec();
                let to = random.below(out.len());
                out.splice(to..to, run);
            }
            _ => out.truncate(at),
        }
    }
    out
}

/// What the fuzz targets check: a refusal names a problem, and an accepted
/// file keeps the importers' promises ([`check_round_trip`]).
fn keeps_its_promises(format: Format, bytes: &[u8]) {
    match import(format, bytes) {
        Ok(imported) => {
            if let Err(why) = check_round_trip(format, &imported) {
                panic!("{why}");
            }
        }
        Err(problems) => assert!(!problems.is_empty()),
    }
}

const MUTATIONS: usize = 300;

/// Mutates `bytes` [`MUTATIONS`] times. For a zip, every other mutation
/// edits one of its entries instead and zips it again, so the damage
/// reaches the XML inside (a damaged zip alone mostly fails its checksum).
fn mutations_keep_their_promises(format: Format, bytes: &[u8], random: &mut XorShift) {
    let entries = bytes.starts_with(b"PK\x03\x04").then(|| unzip(bytes));
    for round in 0..MUTATIONS {
        let mutated = match &entries {
            Some(entries) if round % 2 == 1 => {
                let (name, content) = &entries[random.below(entries.len())];
                with_entry(bytes, name, &mutate(content, random))
            }
            _ => mutate(bytes, random),
        };
        keeps_its_promises(format, &mutated);
    }
}

#[test]
fn mutated_fixtures_never_panic() {
    let mut random = XorShift(0x2545_F491_4F6C_DD1D);
    mutations_keep_their_promises(Format::Docx, &word_example(), &mut random);
    for package in ["qti/package", "qti/errors"] {
        mutations_keep_their_promises(Format::Qti, &zipped_fixture_dir(package), &mut random);
    }
    let mut files = 0;
    for (dir, format) in [
        ("aiken", Format::Aiken),
        ("gift", Format::Gift),
        ("moodle_xml", Format::MoodleXml),
        ("qti", Format::Qti),
        ("qti/package/items", Format::Qti),
        ("qti/errors/items", Format::Qti),
    ] {
        for file in std::fs::read_dir(fixture_path(dir)).unwrap() {
            let path = file.unwrap().path();
            if path.is_file() && path.extension().is_some_and(|e| e != "png") {
                let bytes = std::fs::read(&path).unwrap();
                mutations_keep_their_promises(format, &bytes, &mut random);
                files += 1;
            }
        }
    }
    assert!(files >= 17, "{files} fixture files");
}
