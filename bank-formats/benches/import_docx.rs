//! Word import at the size of a real bank: one `.docx` of 2,000 questions
//! (1,600 Part I single choice, 200 Part II true/false clusters, 200 Part
//! III short numeric answers) with 300 distinct PNG pictures and 500 Office
//! Math equations (fractions, roots, powers), written with
//! [`DocxBuilder`] from fixed rules so every run reads the same bytes.
//!
//! Part I options sit four to a line (tabs), two to a line, or one per
//! line, and the key is marked by underline, bold, red, highlight (or
//! shading) and `*` in rotation; Part II clusters are marked by bold labels,
//! underlined statements or an "ĐSĐS" list after "HẾT"; Part III answers
//! come from an answer table at the end (some also from a "Đáp án:" line).
//! One Part I question in five has a "Lời giải:" under it, and 50 more have
//! worked solutions (with an equation) in a "Lời giải" section at the end.
//!
//! `cargo bench -p examgate-bank-formats --bench import_docx` times
//! [`import`] (median and best of 5 runs after a warm-up) and measures the
//! peak memory of one import in a child process (this binary again, with
//! [`CHILD`] set): the child reads the file, notes its `VmHWM`, imports
//! once and notes `VmHWM` again. Every import is checked question by
//! question (kind, key, marking) and for exactly 300 pictures and 500
//! MathML spans, so a broken import cannot pass for a fast one. Writes
//! `target/bench/bank-import.json` (and the file itself, `bank-import.docx`).
//!
//! Without `--bench` (as `cargo test --benches` runs it) it imports once,
//! checks, and writes nothing.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use examgate_bank_formats::docx::build::{DocxBuilder, ParagraphBuilder, Style};
use examgate_bank_formats::docx::import;
use examgate_bank_formats::package::Package;
use examgate_shared::bank::{Item, KeyMarking};
use examgate_shared::exam::{Body, OptionId};
use examgate_shared::numeric::Decimal;
use examgate_shared::shuffle::SplitMix64;

/// Set (to the `.docx` path) in the child that measures memory.
const CHILD: &str = "EXAMGATE_IMPORT_DOCX_CHILD";

const PART_I: usize = 1600;
const PART_II: usize = 200;
const PART_III: usize = 200;
const QUESTIONS: usize = PART_I + PART_II + PART_III;
const IMAGES: usize = 300;
const EQUATIONS: usize = 500;
const RUNS: usize = 5;

/// What question `n` of the file must import as.
enum Expected {
    Choice {
        key: u8,
        marking: KeyMarking,
    },
    Cluster {
        keys: Vec<bool>,
        marking: KeyMarking,
    },
    Numeric {
        key: String,
    },
}

/// What a paragraph holds besides text.
enum Piece {
    Text(String),
    Equation(String),
    Image(usize),
}

/// The document, its expected questions, and the pieces counted while
/// writing it.
struct Paper {
    bytes: Vec<u8>,
    expected: Vec<Expected>,
    explained: usize,
    images_written: usize,
    equations_written: usize,
    image_bytes: usize,
}

fn style_for(marking: KeyMarking, n: usize) -> Style {
    match marking {
        KeyMarking::Underline => Style {
            underline: true,
            ..Style::default()
        },
        KeyMarking::Bold => Style {
            bold: true,
            ..Style::default()
        },
        KeyMarking::RedText => Style {
            red: true,
            ..Style::default()
        },
        // Word's highlighter, or a shading fill that looks the same.
        KeyMarking::Highlight if n.is_multiple_of(2) => Style {
            highlight: true,
            ..Style::default()
        },
        KeyMarking::Highlight => Style {
            shading: true,
            ..Style::default()
        },
        _ => Style::default(),
    }
}

/// A small picture, different for every `i`: a gradient with noise, 24 to
/// 80 pixels a side (diagrams in real banks are a few kilobytes).
fn png(i: usize) -> Vec<u8> {
    let width = 24 + (i % 8) as u32 * 8;
    let height = 24 + (i * 5 % 9) as u32 * 7;
    let mut rng = SplitMix64::new(0x1A6E_0000 + i as u64);
    let mut data = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            let noise = (rng.next_u64() % 24) as u8;
            data.push((x * 255 / width) as u8 ^ noise);
            data.push((y * 255 / height) as u8);
            data.push((i as u8).wrapping_mul(37).wrapping_add(noise));
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("PNG header in memory");
    writer.write_image_data(&data).expect("PNG data in memory");
    writer.finish().expect("PNG end in memory");
    out
}

fn r(text: &str) -> String {
    format!("<m:r><m:t>{text}</m:t></m:r>")
}

/// Equation `e` as the children of an `m:oMath`: a fraction, a root or a
/// power, with numbers from `e`.
fn omml(e: usize) -> String {
    let (a, b, c) = (e % 9 + 2, e % 7 + 3, e % 5 + 1);
    match e % 4 {
        0 => format!(
            "<m:f><m:num>{}</m:num><m:den>{}</m:den></m:f>{}{}",
            r(&a.to_string()),
            r(&format!("x+{b}")),
            r("+"),
            r(&c.to_string())
        ),
        1 => format!(
            r#"<m:rad><m:radPr><m:degHide m:val="1"/></m:radPr><m:deg/><m:e>{}{}</m:e></m:rad>"#,
            format_args!(
                "<m:sSup><m:e>{}</m:e><m:sup>{}</m:sup></m:sSup>",
                r("x"),
                r("2")
            ),
            r(&format!("+{a}"))
        ),
        2 => format!(
            "<m:sSup><m:e>{}</m:e><m:sup>{}</m:sup></m:sSup>{}<m:sSub><m:e>{}</m:e><m:sub>{}</m:sub></m:sSub>",
            r(&format!("{a}")),
            r(&format!("x-{c}")),
            r("−"),
            r("log"),
            r(&b.to_string())
        ),
        _ => format!(
            "<m:rad><m:radPr/><m:deg>{}</m:deg><m:e>{}</m:e></m:rad>{}<m:f><m:num>{}</m:num><m:den>{}</m:den></m:f>",
            r("3"),
            r(&format!("{}", a * a * a)),
            r("·"),
            format_args!(
                "<m:sSup><m:e>{}</m:e><m:sup>{}</m:sup></m:sSup>",
                r("y"),
                r(&c.to_string())
            ),
            r(&b.to_string())
        ),
    }
}

/// Stem and four option texts of Part I question `i`.
fn part_one_text(i: usize) -> (String, [String; 4]) {
    let (a, b, c) = (i % 9 + 1, i % 7 + 2, i % 5 + 3);
    match i % 6 {
        0 => (
            "Cho hàm số y = f(x) có bảng biến thiên như hình bên. Hàm số đã cho đồng biến trên khoảng nào dưới đây?".into(),
            [
                format!("(−∞; {a})"),
                format!("({a}; {})", a + b),
                format!("({}; +∞)", a + b),
                format!("(−{b}; {a})"),
            ],
        ),
        1 => (
            format!("Tập nghiệm của bất phương trình log₂(x − {a}) < {b} là"),
            [
                format!("({a}; {})", a + (1 << b)),
                format!("(−∞; {})", a + (1 << b)),
                format!("({}; +∞)", a + (1 << b)),
                format!("[{a}; {})", a + (1 << b)),
            ],
        ),
        2 => (
            format!(
                "Trong không gian Oxyz, cho hai điểm M({a}; {b}; 1) và N({c}; −{a}; −3). Trung điểm của đoạn thẳng MN có tọa độ là"
            ),
            [
                format!("I({}; {}; −1)", a + c, b),
                format!("I({}; {}; −2)", c, a),
                format!("I({}; {}; 1)", b, c),
                format!("I({}; 0; −1)", a),
            ],
        ),
        3 => (
            format!(
                "Một hộp chứa {a} quả cầu đỏ và {b} quả cầu xanh. Lấy ngẫu nhiên đồng thời hai quả. Xác suất để lấy được hai quả khác màu bằng"
            ),
            [
                format!("{}/{}", a * b, a + b),
                format!("{}/{}", a, a + b + 1),
                format!("{}/{}", b, a + b + 2),
                format!("1/{}", a + b),
            ],
        ),
        4 => (
            format!("Họ nguyên hàm của hàm số f(x) = {}x² + {b} là", 3 * a),
            [
                format!("{a}x³ + {b}x + C"),
                format!("{}x + C", 6 * a),
                format!("{a}x³ + C"),
                format!("{}x³ + {b}x + C", 3 * a),
            ],
        ),
        _ => (
            format!("Cho cấp số cộng (uₙ) có u₁ = {a} và công sai d = {b}. Giá trị của u₁₀ bằng"),
            [
                format!("{}", a + 9 * b),
                format!("{}", a + 10 * b),
                format!("{}", a * b),
                format!("{}", 9 * b),
            ],
        ),
    }
}

/// The options of one line, `A. x<tab>B. y …`, the key marked.
fn option_line(
    mut p: ParagraphBuilder,
    options: &[(usize, Piece)],
    key: usize,
    marking: KeyMarking,
    n: usize,
    images: &[Vec<u8>],
) -> ParagraphBuilder {
    for (k, (letter, piece)) in options.iter().enumerate() {
        if k > 0 {
            p = p.text("\t");
        }
        let label = char::from(b'A' + *letter as u8);
        let is_key = *letter == key;
        let style = if is_key {
            style_for(marking, n)
        } else {
            Style::default()
        };
        let star = if is_key && marking == KeyMarking::Asterisk {
            "*"
        } else {
            ""
        };
        p = match piece {
            Piece::Text(t) => p.run(&format!("{star}{label}. {t}"), style),
            Piece::Equation(x) => p.run(&format!("{star}{label}. "), style).omml(x),
            Piece::Image(i) => p
                .run(&format!("{star}{label}. "), style)
                .image("png", &images[*i]),
        };
    }
    p
}

fn paper() -> Paper {
    let pictures: Vec<Vec<u8>> = (0..IMAGES).map(png).collect();
    let image_bytes = pictures.iter().map(Vec::len).sum();
    let mut next_image = 0;
    let mut take_image = || {
        next_image += 1;
        next_image - 1
    };
    let mut equations = 0;
    let mut take_equation = || {
        equations += 1;
        omml(equations - 1)
    };
    let mut expected = Vec::with_capacity(QUESTIONS);
    let mut explained = 0;
    let mut solutions: Vec<(usize, String, usize)> = Vec::new();

    let mut doc = DocxBuilder::new()
        .text("SỞ GIÁO DỤC VÀ ĐÀO TẠO HÀ NỘI")
        .text("NGÂN HÀNG CÂU HỎI ÔN THI TỐT NGHIỆP THPT — MÔN TOÁN")
        .text("Thời gian làm bài: 90 phút, không kể thời gian phát đề")
        .text("PHẦN I. Câu trắc nghiệm nhiều phương án lựa chọn. Thí sinh trả lời từ câu 1 đến câu 1600.");
    const MARKINGS: [KeyMarking; 5] = [
        KeyMarking::Underline,
        KeyMarking::Bold,
        KeyMarking::RedText,
        KeyMarking::Highlight,
        KeyMarking::Asterisk,
    ];
    for n in 1..=PART_I {
        let i = n - 1;
        let key = (i * 3 + i / 7) % 4;
        let marking = MARKINGS[i % MARKINGS.len()];
        let (stem, texts) = part_one_text(i);
        let colon = if i % 10 == 3 { ":" } else { "." };
        doc = if i % 8 == 1 {
            let eq = take_equation();
            doc.paragraph(|p| {
                p.text(&format!("Câu {n}{colon} Giá trị của biểu thức "))
                    .omml(&eq)
                    .text(&format!(" khi x = {} bằng", i % 4 + 1))
            })
        } else {
            doc.text(&format!("Câu {n}{colon} {stem}"))
        };
        if i % 8 == 4 {
            let picture = take_image();
            doc = doc.image_png(&pictures[picture]);
        }
        let mut options: Vec<(usize, Piece)> = texts
            .into_iter()
            .enumerate()
            .map(|(k, t)| (k, Piece::Text(t)))
            .collect();
        if i % 16 == 5 {
            options[2].1 = Piece::Equation(take_equation());
        }
        if i % 32 == 13 {
            options[3].1 = Piece::Image(take_image());
        }
        let rows: Vec<Vec<(usize, Piece)>> = match i % 3 {
            0 => vec![options],
            1 => {
                let second = options.split_off(2);
                vec![options, second]
            }
            _ => options.into_iter().map(|o| vec![o]).collect(),
        };
        for row in &rows {
            doc = doc.paragraph(|p| option_line(p, row, key, marking, i, &pictures));
        }
        let letter = char::from(b'A' + key as u8);
        if i % 5 == 2 {
            doc = doc.text(&format!(
                "Lời giải: Biến đổi và đối chiếu với các phương án, ta được đáp án {letter}."
            ));
        }
        if i % 32 == 7 {
            solutions.push((n, take_equation(), key));
        }
        if i % 5 == 2 || i % 32 == 7 {
            explained += 1;
        }
        expected.push(Expected::Choice {
            key: key as u8,
            marking,
        });
    }

    doc = doc.text(
        "PHẦN II. Câu trắc nghiệm đúng sai. Trong mỗi ý a), b), c), d) ở mỗi câu, thí sinh chọn đúng hoặc sai.",
    );
    let mut listed: Vec<(usize, Vec<bool>)> = Vec::new();
    for n in 1..=PART_II {
        let j = n - 1;
        let (a, b) = (j % 6 + 2, j % 5 + 1);
        let (keys, marking) = match j % 3 {
            0 | 1 => {
                // One to three true statements, so the marks tell them apart.
                let bits = (j * 5 + 3) % 14 + 1;
                let keys: Vec<bool> = (0..4).map(|s| bits >> s & 1 == 1).collect();
                let marking = if j % 3 == 0 {
                    KeyMarking::Bold
                } else {
                    KeyMarking::Underline
                };
                (keys, marking)
            }
            _ => {
                let bits = j * 7 % 16;
                let keys: Vec<bool> = (0..4).map(|s| bits >> s & 1 == 1).collect();
                listed.push((n, keys.clone()));
                (keys, KeyMarking::AnswerTable)
            }
        };
        doc = doc.text(&format!(
            "Câu {n}. Cho hàm số y = f(x) = x³ − {}x + {b}. Xét tính đúng sai của các khẳng định sau:",
            3 * a
        ));
        if j % 4 == 1 {
            let picture = take_image();
            doc = doc.image_png(&pictures[picture]);
        }
        let statements = [
            format!("Hàm số đồng biến trên khoảng ({}; +∞).", a),
            format!("Đạo hàm của hàm số là f′(x) = 3x² − {}.", 3 * a),
            format!(
                "Giá trị cực tiểu của hàm số bằng {}.",
                b as i64 - 2 * a as i64
            ),
            format!("Đồ thị hàm số cắt trục hoành tại đúng {} điểm.", j % 3 + 1),
        ];
        for (s, text) in statements.iter().enumerate() {
            let label = format!("{})", char::from(b'a' + s as u8));
            let marked = keys[s] && marking != KeyMarking::AnswerTable;
            let equation = (s == 1 && j.is_multiple_of(2)).then(&mut take_equation);
            doc = doc.paragraph(|p| {
                let p = match (marked, marking) {
                    (true, KeyMarking::Bold) => p.run(&label, style_for(marking, j)).text(" "),
                    (true, _) => p.run(&format!("{label} "), style_for(marking, j)),
                    _ => p.text(&format!("{label} ")),
                };
                match equation {
                    Some(eq) => {
                        let p = if marked && marking == KeyMarking::Underline {
                            p.run("Biểu thức ", style_for(marking, j))
                        } else {
                            p.text("Biểu thức ")
                        };
                        p.omml(&eq)
                    }
                    None if marked && marking == KeyMarking::Underline => {
                        p.run(text, style_for(marking, j))
                    }
                    None => p.text(text),
                }
            });
        }
        expected.push(Expected::Cluster { keys, marking });
    }

    doc =
        doc.text("PHẦN III. Câu trắc nghiệm trả lời ngắn. Thí sinh trả lời từ câu 1 đến câu 200.");
    let mut numeric_keys = Vec::new();
    for n in 1..=PART_III {
        let k = n - 1;
        let key = match k % 3 {
            0 => format!("{}", k * 37 % 1000),
            1 => format!("{},{}", k % 97, k % 10),
            _ => format!("-{}", k % 50 + 1),
        };
        doc = doc.text(&format!(
            "Câu {n}. Một vật chuyển động thẳng với vận tốc v(t) = {}t + {} (m/s). Tính quãng đường vật đi được trong {} giây đầu (đơn vị: mét, làm tròn đến hàng phần mười).",
            k % 8 + 1,
            k % 5,
            k % 6 + 2
        ));
        if k.is_multiple_of(4) {
            doc = doc.equation_omml(&take_equation());
        }
        if k % 4 == 1 {
            doc = doc.text(&format!("Đáp án: {key}"));
        }
        numeric_keys.push(key.clone());
        expected.push(Expected::Numeric { key });
    }

    doc = doc.text("----- HẾT -----").text("ĐÁP ÁN").text("PHẦN II");
    for line in listed.chunks(5) {
        let entries: Vec<String> = line
            .iter()
            .map(|(n, keys)| {
                let row: String = keys.iter().map(|k| if *k { 'Đ' } else { 'S' }).collect();
                format!("{n}. {row}")
            })
            .collect();
        doc = doc.text(&entries.join("    "));
    }
    doc = doc.text("PHẦN III");
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (chunk, keys) in numeric_keys.chunks(10).enumerate() {
        let mut numbers = vec!["Câu".to_string()];
        numbers.extend((1..=keys.len()).map(|c| (chunk * 10 + c).to_string()));
        let mut answers = vec!["Đáp án".to_string()];
        answers.extend(keys.iter().cloned());
        rows.push(numbers);
        rows.push(answers);
    }
    let cells: Vec<Vec<&str>> = rows
        .iter()
        .map(|row| row.iter().map(String::as_str).collect())
        .collect();
    let table: Vec<&[&str]> = cells.iter().map(Vec::as_slice).collect();
    doc = doc.table(&table);

    doc = doc.text("Lời giải chi tiết").text("PHẦN I");
    for (n, eq, key) in &solutions {
        let letter = char::from(b'A' + *key as u8);
        doc = doc
            .paragraph(|p| {
                p.text(&format!("Câu {n}. Ta có "))
                    .omml(eq)
                    .text(", thay vào và rút gọn.")
            })
            .text(&format!("Vậy đáp án đúng là {letter}."));
    }

    Paper {
        bytes: doc.build(),
        expected,
        explained,
        images_written: next_image,
        equations_written: equations,
        image_bytes,
    }
}

/// What an import holds, counted.
#[derive(Debug, Default, PartialEq)]
struct Counts {
    questions: usize,
    images: usize,
    distinct_images: usize,
    equations: usize,
    explained: usize,
}

fn texts(item: &Item) -> Vec<&str> {
    let mut out = vec![item.text.as_str()];
    out.extend(item.body.options().iter().map(String::as_str));
    if let Body::TrueFalse { statements, .. } = &item.body {
        out.extend(statements.iter().map(String::as_str));
    }
    out.extend(item.explanation.as_deref());
    out
}

fn count(items: &[Item]) -> Counts {
    let mut names = HashSet::new();
    let mut counts = Counts {
        questions: items.len(),
        ..Counts::default()
    };
    for item in items {
        counts.images += item.images.len();
        names.extend(item.images.iter().map(|i| i.name.clone()));
        counts.equations += texts(item)
            .iter()
            .map(|t| t.matches("</math>").count())
            .sum::<usize>();
        counts.explained += usize::from(item.explanation.is_some());
    }
    counts.distinct_images = names.len();
    counts
}

/// Imports `bytes` and checks every question against the paper; the counts.
fn import_and_check(bytes: &[u8], expected: Option<&[Expected]>) -> Counts {
    let imported = import(bytes).unwrap_or_else(|problems| {
        for p in problems.iter().take(20) {
            eprintln!("  {p}");
        }
        panic!("the import failed with {} problems", problems.len())
    });
    let counts = count(&imported.items);
    assert_eq!(counts.questions, QUESTIONS, "questions imported");
    assert_eq!(counts.images, IMAGES, "pictures referenced");
    assert_eq!(counts.distinct_images, IMAGES, "distinct pictures");
    assert_eq!(counts.equations, EQUATIONS, "MathML spans");
    assert!(imported.notes.is_empty(), "notes: {:?}", imported.notes);
    for (n, (item, want)) in imported
        .items
        .iter()
        .zip(expected.unwrap_or(&[]))
        .enumerate()
    {
        let ok = match (want, &item.body) {
            (
                Expected::Choice { key, marking },
                Body::SingleChoice {
                    options, key: got, ..
                },
            ) => options.len() == 4 && *got == OptionId(*key) && item.marking == Some(*marking),
            (
                Expected::Cluster { keys, marking },
                Body::TrueFalse {
                    statements,
                    keys: got,
                    ..
                },
            ) => statements.len() == 4 && got == keys && item.marking == Some(*marking),
            (Expected::Numeric { key }, Body::Numeric { key: got, .. }) => {
                Decimal::parse(key).ok() == Some(*got)
                    && item.marking == Some(KeyMarking::AnswerTable)
            }
            _ => false,
        };
        assert!(ok, "question {} imported as {item:?}", n + 1);
    }
    counts
}

fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{field} in /proc/self/status"))
}

/// The child: read the file, note the high-water mark, import once, note
/// it again. Prints `key value` lines for the parent.
fn child(path: &Path) {
    let bytes = std::fs::read(path).expect("read the .docx");
    let baseline = status_kib("VmHWM:");
    let start = Instant::now();
    let counts = import_and_check(&bytes, None);
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    let peak = status_kib("VmHWM:");
    println!("baseline_hwm_kib {baseline}");
    println!("peak_hwm_kib {peak}");
    println!("cold_ms {ms}");
    println!("questions {}", counts.questions);
}

struct Memory {
    baseline_kib: u64,
    peak_kib: u64,
    cold_ms: f64,
}

fn measure_memory(path: &Path) -> Memory {
    let exe = std::env::current_exe().expect("this bench's path");
    let out = Command::new(exe)
        .env(CHILD, path)
        .output()
        .expect("run the child");
    assert!(
        out.status.success(),
        "the child failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 from the child");
    let value = |key: &str| -> f64 {
        stdout
            .lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix(' '))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{key} from the child: {stdout}"))
    };
    assert_eq!(value("questions") as usize, QUESTIONS);
    Memory {
        baseline_kib: value("baseline_hwm_kib") as u64,
        peak_kib: value("peak_hwm_kib") as u64,
        cold_ms: value("cold_ms"),
    }
}

fn bench_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("bench")
}

fn rustc_version() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|v| v.trim().to_string())
        .unwrap_or_else(|| "unknown".into())
}

fn main() {
    if let Some(path) = std::env::var_os(CHILD) {
        child(Path::new(&path));
        return;
    }
    let benching = std::env::args().any(|a| a == "--bench");

    let started = Instant::now();
    let paper = paper();
    let build_ms = started.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(paper.expected.len(), QUESTIONS);
    assert_eq!(paper.images_written, IMAGES);
    assert_eq!(paper.equations_written, EQUATIONS);
    let bytes = &paper.bytes;

    let mut package = Package::open(bytes).expect("the written package opens");
    let document = package
        .require("word/document.xml")
        .expect("word/document.xml");
    let document = String::from_utf8(document).expect("UTF-8 XML");
    let runs = document.matches("<w:r>").count() + document.matches("<w:r ").count();
    let paragraphs = document.matches("<w:p>").count() + document.matches("<w:p ").count();
    let unzipped: usize = package
        .names()
        .iter()
        .filter_map(|n| package.read(n).ok().flatten())
        .map(|b| b.len())
        .sum();
    eprintln!(
        "wrote {} bytes (document.xml {} bytes, {paragraphs} paragraphs, {runs} runs; {} bytes unzipped) in {build_ms:.0} ms",
        bytes.len(),
        document.len(),
        unzipped
    );

    let warm = Instant::now();
    let counts = import_and_check(bytes, Some(&paper.expected));
    let warm_ms = warm.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(counts.explained, paper.explained, "worked solutions");
    eprintln!("warm-up import (checked) in {warm_ms:.0} ms: {counts:?}");
    if !benching {
        return;
    }

    let mut ms = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let start = Instant::now();
        let imported = import(bytes);
        ms.push(start.elapsed().as_secs_f64() * 1000.0);
        let items = imported.expect("the same bytes import again").items;
        assert_eq!(count(&items), counts);
    }
    let mut sorted = ms.clone();
    sorted.sort_by(f64::total_cmp);
    let (min_ms, median_ms) = (sorted[0], sorted[RUNS / 2]);
    let questions_per_s = QUESTIONS as f64 / (median_ms / 1000.0);

    let dir = bench_dir();
    std::fs::create_dir_all(&dir).expect("create target/bench");
    let docx_path = dir.join("bank-import.docx");
    std::fs::write(&docx_path, bytes).expect("write bank-import.docx");
    let memory = measure_memory(&docx_path);
    let increase = memory.peak_kib.saturating_sub(memory.baseline_kib);

    let report = serde_json::json!({
        "benchmark": "Word (.docx) bank import: 2,000 questions (1,600 single choice, 200 true/false clusters, 200 numeric), 300 PNG pictures, 500 OMML equations",
        "file_bytes": bytes.len(),
        "document_xml_bytes": document.len(),
        "unzipped_bytes": unzipped,
        "image_bytes": paper.image_bytes,
        "paragraphs": paragraphs,
        "word_runs": runs,
        "questions": counts.questions,
        "images": counts.images,
        "equations": counts.equations,
        "explained": counts.explained,
        "build_ms": build_ms,
        "runs_ms": ms,
        "median_ms": median_ms,
        "min_ms": min_ms,
        "questions_per_s": questions_per_s,
        "cold_ms": memory.cold_ms,
        "baseline_rss_kib": memory.baseline_kib,
        "peak_rss_kib": memory.peak_kib,
        "rss_increase_kib": increase,
        "rss_increase_over_document_xml": increase as f64 * 1024.0 / document.len() as f64,
        "timing": "median and best of 5 imports after 1 checked warm-up, one thread, in this process",
        "memory": "VmHWM of a child process that only reads the file and imports it once (checked): before the import (binary and file loaded) and after; the increase is the import's peak",
        "rustc": rustc_version(),
        "profile": if cfg!(debug_assertions) { "debug" } else { "bench (release, opt-level 3)" },
        "machine": "2 cores, shared with other builds",
    });
    let json = serde_json::to_string_pretty(&report).expect("serialisable");
    let json_path = dir.join("bank-import.json");
    std::fs::write(&json_path, &json).expect("write bank-import.json");
    println!("{json}");
    eprintln!("wrote {}", json_path.display());
}
