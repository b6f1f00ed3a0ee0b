//! Grading and item analysis of 1,000,000 attempts on the Math 2025 paper
//! (12 single-choice × 0.25, 4 true/false clusters × 1, 6 numeric × 0.5),
//! on one thread.
//!
//! `cargo bench -p examgate-shared --bench analysis` generates the attempts
//! from a fixed seed with a latent-ability model (abler students are more
//! likely right), then times, best and median of 5 runs:
//! (a) grading: one-byte responses → [`ResponseMatrix`] with the crate's
//!     own [`ByteGrader`] (tables filled by the real scoring rules) for the
//!     paper's real `Question`s, row by row as the relay would and column by
//!     column;
//! (b) [`analyse`].
//! It counts the bytes the analysis allocates at its peak (a counting global
//! allocator) against the matrix's size, and writes `target/bench/
//! analysis.json` (figures and the full analysis) and `analysis-matrix.bin`
//! (the matrix, for `baseline_numpy.py`). Then, if `python3` can import
//! numpy, it runs `benches/baseline_numpy.py`, which recomputes everything
//! with numpy, checks the numbers agree and writes `analysis-numpy.json`.
//!
//! Without `--bench` (as `cargo test --benches` runs it) it does a quick
//! 20,000-attempt smoke run and writes nothing.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use examgate_shared::analysis::{
    Analysis, Column, ItemKind, ItemSpec, ResponseMatrix, UNANSWERED, analyse,
    cluster_guess_fraction_milli,
};
use examgate_shared::compact::ByteGrader;
use examgate_shared::exam::{self, Body, OptionId, QuestionId};
use examgate_shared::numeric::Decimal;
use examgate_shared::points::Points;

/// Counts live heap bytes and their high-water mark.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to `System` unchanged; only counters move.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Counted as the worst case, both blocks alive at once.
        grew(new_size);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// SplitMix64: tiny, fast, and good enough for simulated students.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Standard normal (Box–Muller).
    fn normal(&mut self) -> f64 {
        let u = 1.0 - self.unit();
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

const CHOICE_ITEMS: usize = 12;
const CLUSTER_ITEMS: usize = 4;
const NUMERIC_ITEMS: usize = 6;
const ITEMS: usize = CHOICE_ITEMS + CLUSTER_ITEMS + NUMERIC_ITEMS;
const CLUSTER_POINTS_MILLI: [u16; 5] = [0, 100, 250, 500, 1000];
/// Item 7's printed key is C, but the right answer (what able students pick)
/// is B: the analysis should say "likely wrong key".
const MISKEYED_ITEM: usize = 7;

/// One question of the simulated paper.
#[derive(Clone)]
struct Question {
    /// Grades this question's one-byte responses by the real rules.
    grader: ByteGrader,
    spec: ItemSpec,
    /// IRT-style difficulty and discrimination.
    difficulty: f64,
    discrimination: f64,
    /// Choice: the printed key. Cluster: the true/false key as 4 bits.
    key: u8,
    /// Choice: the option able students choose (differs from `key` only for
    /// the miskeyed item); how attractive each option is when wrong.
    right_option: u8,
    distractor_weights: [f64; 4],
}

fn paper() -> Vec<Question> {
    let guess = cluster_guess_fraction_milli(&CLUSTER_POINTS_MILLI).expect("a valid table");
    (0..ITEMS)
        .map(|i| {
            let spread = i as f64 / (ITEMS - 1) as f64;
            let (spec, key, right_option) = if i < CHOICE_ITEMS {
                let key = (i % 4) as u8;
                let right = if i == MISKEYED_ITEM {
                    (key + 3) % 4
                } else {
                    key
                };
                let spec = ItemSpec {
                    max_milli: 250,
                    kind: ItemKind::Choice { options: 4, key },
                };
                (spec, key, right)
            } else if i < CHOICE_ITEMS + CLUSTER_ITEMS {
                let spec = ItemSpec {
                    max_milli: 1000,
                    kind: ItemKind::Cluster {
                        guess_fraction_milli: guess,
                    },
                };
                (spec, 0b1010 ^ i as u8 & 0xF, 0)
            } else {
                let spec = ItemSpec {
                    max_milli: 500,
                    kind: ItemKind::Numeric,
                };
                (spec, 0, 0)
            };
            // One nearly dead distractor on every third choice item.
            let mut weights = [0.45, 0.35, 0.2, 0.3];
            if i % 3 == 0 {
                weights[(usize::from(right_option) + 1) % 4] = 0.01;
            }
            Question {
                grader: ByteGrader::new(&real_question(i, &spec, key), &numeric_dictionary())
                    .expect("a gradable question"),
                spec,
                difficulty: -1.6 + 3.0 * spread,
                discrimination: 0.7 + 1.1 * ((i * 7) % ITEMS) as f64 / ITEMS as f64,
                key,
                right_option,
                distractor_weights: weights,
            }
        })
        .collect()
}

/// Typed answers of every numeric question: index 0 is the key (written
/// with a decimal comma), 1 a wrong number.
fn numeric_dictionary() -> Vec<String> {
    vec!["2,5".into(), "7".into()]
}

/// The exam-model question behind item `i`: what the relay would grade.
fn real_question(i: usize, spec: &ItemSpec, key: u8) -> exam::Question {
    let body = match spec.kind {
        ItemKind::Choice { options, key } => Body::SingleChoice {
            options: (0..options).map(|o| format!("option {o}")).collect(),
            key: OptionId(key),
            pinned: vec![],
        },
        ItemKind::Cluster { .. } => Body::TrueFalse {
            statements: (0..4).map(|s| format!("statement {s}")).collect(),
            keys: (0..4).map(|s| key >> s & 1 == 1).collect(),
            table: None,
        },
        _ => Body::Numeric {
            key: Decimal::parse("2.5").expect("a number"),
            tolerance: None,
        },
    };
    exam::Question {
        id: QuestionId(i as u32 + 1),
        text: String::new(),
        points: Points::from_milli(u32::from(spec.max_milli)),
        body,
        voided: false,
        explanation: None,
    }
}

fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Raw responses, row-major, one byte per cell in `compact`'s encoding:
/// choice → option or UNANSWERED; cluster → high nibble "decided", low
/// nibble the true/false marks; numeric → dictionary index (0 the key, 1 a
/// wrong number) or UNANSWERED.
fn simulate(paper: &[Question], attempts: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng(seed);
    let mut responses = vec![0u8; attempts * ITEMS];
    for row in responses.chunks_exact_mut(ITEMS) {
        let ability = rng.normal();
        for (cell, q) in row.iter_mut().zip(paper) {
            let p = logistic(1.7 * q.discrimination * (ability - q.difficulty));
            *cell = match q.spec.kind {
                ItemKind::Choice { .. } => {
                    // Guessing floor of 0.2 for single choice.
                    if rng.unit() < 0.2 + 0.8 * p {
                        q.right_option
                    } else if rng.unit() < 0.03 {
                        UNANSWERED
                    } else {
                        let weights = q.distractor_weights;
                        let wrong: Vec<u8> = (0..4).filter(|&o| o != q.right_option).collect();
                        let total: f64 = wrong.iter().map(|&o| weights[usize::from(o)]).sum();
                        let mut pick = rng.unit() * total;
                        let mut chosen = wrong[wrong.len() - 1];
                        for &o in &wrong {
                            pick -= weights[usize::from(o)];
                            if pick < 0.0 {
                                chosen = o;
                                break;
                            }
                        }
                        chosen
                    }
                }
                ItemKind::Cluster { .. } => {
                    // Statements of varying difficulty around the cluster's.
                    let mut answers = 0u8;
                    for statement in 0..4 {
                        let shift = (statement as f64 - 1.5) * 0.8;
                        let p = logistic(1.7 * q.discrimination * (ability - q.difficulty - shift));
                        let right = rng.unit() < p;
                        let key_bit = (q.key >> statement) & 1;
                        answers |= (if right { key_bit } else { key_bit ^ 1 }) << statement;
                    }
                    0xF0 | answers
                }
                _ => {
                    if rng.unit() < p {
                        0
                    } else if rng.unit() < 0.3 {
                        UNANSWERED
                    } else {
                        1
                    }
                }
            };
        }
    }
    responses
}

/// Marks and chosen option of one cell, by the question's real rules.
#[inline]
fn grade_cell(q: &Question, response: u8) -> (u16, u8) {
    q.grader.grade(response)
}

fn specs(paper: &[Question]) -> Vec<ItemSpec> {
    paper.iter().map(|q| q.spec).collect()
}

/// Grading as the relay would do it: attempt by attempt.
fn grade_by_rows(paper: &[Question], responses: &[u8]) -> ResponseMatrix {
    let attempts = responses.len() / ITEMS;
    let mut matrix = ResponseMatrix::with_capacity(specs(paper), attempts).expect("valid items");
    let (mut marks, mut choices) = ([0u16; ITEMS], [UNANSWERED; ITEMS]);
    for row in responses.chunks_exact(ITEMS) {
        for (i, (q, &response)) in paper.iter().zip(row).enumerate() {
            (marks[i], choices[i]) = grade_cell(q, response);
        }
        matrix.push_attempt(&marks, &choices).expect("valid cells");
    }
    matrix
}

/// Grading a batch: column by column, then one validated matrix.
fn grade_by_columns(paper: &[Question], responses: &[u8]) -> ResponseMatrix {
    let columns = paper
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let cells = responses.iter().skip(i).step_by(ITEMS);
            let marks = cells.clone().map(|&r| grade_cell(q, r).0).collect();
            let choices = matches!(q.spec.kind, ItemKind::Choice { .. })
                .then(|| cells.map(|&r| grade_cell(q, r).1).collect());
            Column { marks, choices }
        })
        .collect();
    ResponseMatrix::from_columns(specs(paper), columns).expect("valid matrix")
}

/// Best and median of `runs` timings of `f`, in seconds, and the last result.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Timing, T) {
    let mut seconds = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        drop(last.take());
        let start = Instant::now();
        let result = f();
        seconds.push(start.elapsed().as_secs_f64());
        last = Some(result);
    }
    let mut sorted = seconds.clone();
    sorted.sort_by(f64::total_cmp);
    let timing = Timing {
        best: sorted[0],
        median: sorted[sorted.len() / 2],
        runs: seconds,
    };
    (timing, last.expect("at least one run"))
}

#[derive(serde::Serialize)]
struct Timing {
    best: f64,
    median: f64,
    runs: Vec<f64>,
}

/// Peak heap bytes `f` adds on top of what was live before it, and its result.
fn peak_extra<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let result = f();
    (PEAK.load(Ordering::Relaxed) - before, result)
}

fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn bench_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("bench")
}

/// The matrix for numpy: a 16-byte header ("EGAM", version 1, attempts,
/// items as u32 LE), 8 bytes per item (max_milli u16, kind u8 with 0 choice,
/// 1 true/false, 2 cluster, 3 numeric, options u8, key u8, 0 u8,
/// guess_fraction_milli u16), then every item's marks (u16 LE, item after
/// item) and every item's choices (u8, UNANSWERED for non-choice items).
fn write_matrix(path: &PathBuf, matrix: &ResponseMatrix) -> std::io::Result<()> {
    let attempts = matrix.attempts();
    let items = matrix.items();
    let mut bytes = Vec::with_capacity(16 + 8 * items.len() + 3 * attempts * items.len());
    bytes.extend_from_slice(b"EGAM");
    for field in [1, attempts as u32, items.len() as u32] {
        bytes.extend_from_slice(&field.to_le_bytes());
    }
    for spec in items {
        let (kind, options, key, guess) = match spec.kind {
            ItemKind::Choice { options, key } => (0u8, options, key, 0u16),
            ItemKind::TrueFalse => (1, 0, 0, 500),
            ItemKind::Cluster {
                guess_fraction_milli,
            } => (2, 0, 0, guess_fraction_milli),
            ItemKind::Numeric => (3, 0, 0, 0),
        };
        bytes.extend_from_slice(&spec.max_milli.to_le_bytes());
        bytes.extend_from_slice(&[kind, options, key, 0]);
        bytes.extend_from_slice(&guess.to_le_bytes());
    }
    for item in 0..items.len() {
        for &mark in matrix.marks(item) {
            bytes.extend_from_slice(&mark.to_le_bytes());
        }
    }
    for item in 0..items.len() {
        match matrix.choices(item) {
            Some(choices) => bytes.extend_from_slice(choices),
            None => bytes.extend(std::iter::repeat_n(UNANSWERED, attempts)),
        }
    }
    std::fs::write(path, bytes)
}

#[derive(serde::Serialize)]
struct Report<'a> {
    attempts: usize,
    items: usize,
    shape: &'static str,
    threads: u32,
    grading_by_rows_s: Timing,
    grading_by_columns_s: Timing,
    analyse_s: Timing,
    /// Best grading (by rows) + best analysis.
    grade_and_analyse_best_s: f64,
    matrix_bytes: usize,
    analysis_peak_extra_bytes: usize,
    analysis_peak_extra_over_matrix: f64,
    vm_hwm_kib: Option<u64>,
    analysis: &'a Analysis,
}

fn main() {
    let benching = std::env::args().any(|a| a == "--bench");
    let attempts = if benching { 1_000_000 } else { 20_000 };
    let runs = if benching { 5 } else { 1 };
    let paper = paper();

    let started = Instant::now();
    let responses = simulate(&paper, attempts, 0x5EED_2025);
    eprintln!(
        "simulated {attempts} attempts × {ITEMS} items in {:.2} s",
        started.elapsed().as_secs_f64()
    );

    let (by_rows, matrix) = time(runs, || grade_by_rows(&paper, &responses));
    let (by_columns, same) = time(runs, || grade_by_columns(&paper, &responses));
    assert_eq!(matrix, same, "both ways of grading give the same matrix");
    drop(same);
    drop(responses);

    let (extra, analysis) = peak_extra(|| analyse(&matrix));
    let (analyse_s, again) = time(runs, || analyse(&matrix));
    assert_eq!(analysis, again);

    let matrix_bytes = matrix.cell_bytes();
    eprintln!(
        "grading by rows: best {:.3} s, median {:.3} s; by columns: best {:.3} s, median {:.3} s",
        by_rows.best, by_rows.median, by_columns.best, by_columns.median
    );
    eprintln!(
        "analyse: best {:.3} s, median {:.3} s; peak extra memory {:.1} MiB for a {:.1} MiB matrix",
        analyse_s.best,
        analyse_s.median,
        extra as f64 / 1048576.0,
        matrix_bytes as f64 / 1048576.0
    );
    for item in &analysis.items {
        if !item.flags.is_empty() {
            let flags: Vec<&str> = item.flags.iter().map(|f| f.en()).collect();
            eprintln!("  item {}: {}", item.item + 1, flags.join("; "));
        }
    }
    if !benching {
        return;
    }

    let report = Report {
        attempts,
        items: ITEMS,
        shape: "Math 2025: 12 single-choice × 0.25 (4 options), 4 true/false clusters × 1, 6 numeric × 0.5",
        threads: 1,
        grade_and_analyse_best_s: by_rows.best + analyse_s.best,
        grading_by_rows_s: by_rows,
        grading_by_columns_s: by_columns,
        analyse_s,
        matrix_bytes,
        analysis_peak_extra_bytes: extra,
        analysis_peak_extra_over_matrix: extra as f64 / matrix_bytes as f64,
        vm_hwm_kib: vm_hwm_kib(),
        analysis: &analysis,
    };
    let dir = bench_dir();
    std::fs::create_dir_all(&dir).expect("create target/bench");
    let json_path = dir.join("analysis.json");
    let json = serde_json::to_string_pretty(&report).expect("serialisable");
    std::fs::write(&json_path, json).expect("write analysis.json");
    let matrix_path = dir.join("analysis-matrix.bin");
    write_matrix(&matrix_path, &matrix).expect("write the matrix");
    eprintln!(
        "wrote {} and {}",
        json_path.display(),
        matrix_path.display()
    );

    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/baseline_numpy.py");
    let has_numpy = std::process::Command::new("python3")
        .args(["-c", "import numpy"])
        .status()
        .is_ok_and(|s| s.success());
    if has_numpy {
        let status = std::process::Command::new("python3")
            .arg(&script)
            .arg(&dir)
            .status()
            .expect("run python3");
        assert!(status.success(), "the numpy baseline disagrees or failed");
    } else {
        eprintln!(
            "numpy is not importable: `pip install numpy`, then `python3 {}`",
            script.display()
        );
    }
}
