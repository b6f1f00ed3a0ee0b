//! Building a paper from the bank: a blueprint ("ma trận đề") says, per
//! section, how many questions of which kind, topic and level, at how many
//! points; [`choose`] picks them, aiming at a target mean facility when one
//! is given, and [`expected`] shows the score distribution the chosen
//! questions predict before anyone sits the paper.
//!
//! Facility is what the bank learned from earlier sittings (the share of
//! the points candidates earned); a question never sat is assumed at its
//! level's usual facility ([`Level`] → [`assumed_facility`]).

use serde::{Deserialize, Serialize};

use super::item::Level;
use crate::points::Points;

/// One line of a blueprint: `count` questions matching the filters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// `single_choice`, `true_false`, `numeric` or `multiple_response`;
    /// `None`: any kind.
    #[serde(default)]
    pub kind: Option<String>,
    /// Topic as filed in the bank; empty: any topic.
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub level: Option<Level>,
    pub count: u32,
    /// Points per question.
    pub points: Points,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlueprintSection {
    pub title: String,
    pub rows: Vec<Row>,
    #[serde(default)]
    pub shuffle_questions: bool,
    #[serde(default)]
    pub shuffle_options: bool,
}

/// A whole paper's plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Blueprint {
    pub title: String,
    pub subject: String,
    pub minutes: u32,
    pub sections: Vec<BlueprintSection>,
    /// Aim the paper's mean facility (0–1) here; `None`: any questions that
    /// fit, in a seeded random order.
    #[serde(default)]
    pub target_facility: Option<f64>,
    /// Varies the choice between equally good questions.
    #[serde(default)]
    pub seed: u64,
}

impl Blueprint {
    /// The 2025 graduation-exam shape for Mathematics: Part I 12 single
    /// choice × 0.25, Part II 4 true/false clusters × 1, Part III 6 short
    /// numeric answers × 0.5 — 10 points in 90 minutes.
    pub fn math_2025(title: &str) -> Blueprint {
        let section = |title: &str, kind: &str, count, milli| BlueprintSection {
            title: title.to_string(),
            rows: vec![Row {
                kind: Some(kind.to_string()),
                topic: String::new(),
                level: None,
                count,
                points: Points::from_milli(milli),
            }],
            shuffle_questions: true,
            shuffle_options: kind == "single_choice",
        };
        Blueprint {
            title: title.to_string(),
            subject: "Toán".to_string(),
            minutes: 90,
            sections: vec![
                section(
                    "Phần I. Trắc nghiệm nhiều lựa chọn",
                    "single_choice",
                    12,
                    250,
                ),
                section("Phần II. Trắc nghiệm đúng sai", "true_false", 4, 1000),
                section("Phần III. Trả lời ngắn", "numeric", 6, 500),
            ],
            target_facility: None,
            seed: 0,
        }
    }
}

/// What the chooser knows of one bank question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub id: u64,
    pub kind: String,
    pub topic: String,
    pub level: Option<Level>,
    /// Mean facility over the sittings it was in; `None` if never sat.
    pub facility: Option<f64>,
}

impl Candidate {
    pub fn expected_facility(&self) -> f64 {
        self.facility
            .unwrap_or_else(|| assumed_facility(self.level))
    }

    fn fits(&self, row: &Row) -> bool {
        row.kind.as_deref().is_none_or(|k| k == self.kind)
            && (row.topic.is_empty()
                || super::fold::fold(&row.topic) == super::fold::fold(&self.topic))
            && row.level.is_none_or(|l| Some(l) == self.level)
    }
}

/// The usual facility of a level when a question has no history: Vietnamese
/// matrices expect recall questions to be answered by most, advanced
/// application by few.
pub fn assumed_facility(level: Option<Level>) -> f64 {
    match level {
        Some(Level::Recall) => 0.85,
        Some(Level::Understanding) => 0.7,
        Some(Level::Application) => 0.5,
        Some(Level::AdvancedApplication) => 0.3,
        None => 0.6,
    }
}

/// The questions chosen: per section, per row, the bank ids in order.
pub type Choice = Vec<Vec<Vec<u64>>>;

/// Picks questions for every row, each question at most once. Rows the bank
/// cannot fill are all reported (section, row, how many found).
pub fn choose(blueprint: &Blueprint, pool: &[Candidate]) -> Result<Choice, Vec<String>> {
    let mut order: Vec<usize> = (0..pool.len()).collect();
    let mut state = blueprint.seed ^ 0x9e37_79b9_7f4a_7c15;
    // Fisher–Yates with a small PCG-style generator: the same seed and pool
    // give the same paper.
    for i in (1..order.len()).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = ((state >> 33) % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    let mut used = vec![false; pool.len()];
    let (mut sum_points, mut sum_expected) = (0.0f64, 0.0f64);
    let mut shortages = Vec::new();
    let mut choice = Vec::new();
    for section in &blueprint.sections {
        let mut rows = Vec::new();
        for (r, row) in section.rows.iter().enumerate() {
            let mut picked = Vec::new();
            let weight = f64::from(row.points.milli()) / 1000.0;
            for _ in 0..row.count {
                let eligible = order
                    .iter()
                    .copied()
                    .filter(|&i| !used[i] && pool[i].fits(row));
                let best = match blueprint.target_facility {
                    None => eligible.into_iter().next(),
                    Some(target) => eligible.min_by(|&a, &b| {
                        let after = |i: usize| {
                            let mean = (sum_expected + weight * pool[i].expected_facility())
                                / (sum_points + weight);
                            (mean - target).abs()
                        };
                        after(a).total_cmp(&after(b))
                    }),
                };
                let Some(i) = best else { break };
                used[i] = true;
                sum_points += weight;
                sum_expected += weight * pool[i].expected_facility();
                picked.push(pool[i].id);
            }
            if picked.len() < row.count as usize {
                shortages.push(format!(
                    "{}, row {}: {} of {} questions{}",
                    section.title,
                    r + 1,
                    picked.len(),
                    row.count,
                    describe(row)
                ));
            }
            rows.push(picked);
        }
        choice.push(rows);
    }
    if shortages.is_empty() {
        Ok(choice)
    } else {
        Err(shortages)
    }
}

fn describe(row: &Row) -> String {
    let mut parts = Vec::new();
    if let Some(kind) = &row.kind {
        parts.push(kind.clone());
    }
    if !row.topic.is_empty() {
        parts.push(format!("topic “{}”", row.topic));
    }
    if let Some(level) = row.level {
        parts.push(level.vietnamese().to_string());
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

/// The predicted outcome of a paper.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Expected {
    /// Mean facility weighted by points.
    pub mean_facility: f64,
    /// Mean mark on the 10-point scale.
    pub mean_mark: f64,
    pub sd_mark: f64,
    /// Share of candidates expected in each whole mark band: `[0, 1)`,
    /// `[1, 2)`, … `[9, 10]`.
    pub bands: Vec<f64>,
}

/// The score distribution if each question (points, facility) is answered
/// right with its facility as probability, independently — the classical
/// first approximation; a real sitting's spread is wider because ability
/// links the answers.
pub fn expected(items: &[(Points, f64)]) -> Expected {
    // Work in steps of 0.05 points: every Vietnamese scoring table is a
    // multiple of it.
    const STEP: u32 = 50;
    let units: Vec<(usize, f64)> = items
        .iter()
        .map(|(p, f)| {
            let u = (p.milli() + STEP / 2) / STEP;
            (u as usize, f.clamp(0.0, 1.0))
        })
        .collect();
    let total: usize = units.iter().map(|(u, _)| u).sum();
    let mut dist = vec![0.0f64; total + 1];
    dist[0] = 1.0;
    let mut reach = 0;
    for &(u, p) in &units {
        for s in (0..=reach).rev() {
            let here = dist[s];
            dist[s + u] += here * p;
            dist[s] = here * (1.0 - p);
        }
        reach += u;
    }
    let mut bands = vec![0.0; 10];
    let (mut mean, mut square) = (0.0, 0.0);
    for (s, &prob) in dist.iter().enumerate() {
        let mark = if total == 0 {
            0.0
        } else {
            10.0 * s as f64 / total as f64
        };
        mean += prob * mark;
        square += prob * mark * mark;
        bands[(mark as usize).min(9)] += prob;
    }
    let weight: f64 = units.iter().map(|(u, _)| *u as f64).sum();
    let mean_facility = if weight == 0.0 {
        0.0
    } else {
        units.iter().map(|(u, p)| *u as f64 * p).sum::<f64>() / weight
    };
    Expected {
        mean_facility,
        mean_mark: mean,
        sd_mark: (square - mean * mean).max(0.0).sqrt(),
        bands,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool() -> Vec<Candidate> {
        (0..40)
            .map(|i| Candidate {
                id: i,
                kind: if i < 30 { "single_choice" } else { "numeric" }.into(),
                topic: if i % 2 == 0 {
                    "Hàm số"
                } else {
                    "Hình học"
                }
                .into(),
                level: Some(Level::ALL[(i % 4) as usize]),
                facility: (i % 3 == 0).then(|| 0.2 + (i as f64) / 100.0),
            })
            .collect()
    }

    fn blueprint(target: Option<f64>) -> Blueprint {
        Blueprint {
            title: "Kiểm tra".into(),
            subject: "Toán".into(),
            minutes: 45,
            sections: vec![BlueprintSection {
                title: "Phần I".into(),
                rows: vec![
                    Row {
                        kind: Some("single_choice".into()),
                        topic: "ham so".into(),
                        level: None,
                        count: 6,
                        points: Points::from_milli(500),
                    },
                    Row {
                        kind: Some("numeric".into()),
                        topic: String::new(),
                        level: None,
                        count: 4,
                        points: Points::from_milli(1000),
                    },
                ],
                shuffle_questions: false,
                shuffle_options: false,
            }],
            target_facility: target,
            seed: 7,
        }
    }

    #[test]
    fn rows_are_filled_from_matching_questions_once_each() {
        let pool = pool();
        let choice = choose(&blueprint(None), &pool).unwrap();
        let first = &choice[0][0];
        assert_eq!(first.len(), 6);
        assert!(first.iter().all(|&id| id < 30 && id % 2 == 0), "{first:?}");
        assert!(choice[0][1].iter().all(|&id| id >= 30));
        assert_eq!(choose(&blueprint(None), &pool).unwrap(), choice, "seeded");
    }

    #[test]
    fn a_target_facility_moves_the_paper_towards_it() {
        let pool = pool();
        let mean = |c: &Choice| {
            let ids: Vec<u64> = c.iter().flatten().flatten().copied().collect();
            let f: Vec<f64> = ids
                .iter()
                .map(|&i| pool[i as usize].expected_facility())
                .collect();
            f.iter().sum::<f64>() / f.len() as f64
        };
        let easy = mean(&choose(&blueprint(Some(0.8)), &pool).unwrap());
        let hard = mean(&choose(&blueprint(Some(0.35)), &pool).unwrap());
        assert!(easy > 0.7, "{easy}");
        assert!(hard < 0.5, "{hard}");
    }

    #[test]
    fn shortages_are_all_reported() {
        let mut bp = blueprint(None);
        bp.sections[0].rows[1].count = 20;
        let err = choose(&bp, &pool()).unwrap_err();
        assert_eq!(
            err,
            vec!["Phần I, row 2: 10 of 20 questions (numeric)".to_string()]
        );
    }

    #[test]
    fn expected_distribution_matches_the_binomial() {
        // Ten questions of one point at facility 0.5: a binomial(10, ½).
        let e = expected(&[(Points::from_milli(1000), 0.5); 10]);
        assert!((e.mean_mark - 5.0).abs() < 1e-9);
        assert!((e.sd_mark - 2.5f64.sqrt()).abs() < 1e-9);
        assert!((e.bands.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        // Marks 5 (C(10,5)/1024) fall in band [5, 6).
        assert!((e.bands[5] - 252.0 / 1024.0).abs() < 1e-9);
        assert!(
            (e.bands[9] - 11.0 / 1024.0).abs() < 1e-9,
            "9 and 10 share the top band"
        );
        assert_eq!(e.mean_facility, 0.5);
    }

    #[test]
    fn the_2025_math_template_is_ten_points() {
        let bp = Blueprint::math_2025("Đề thi thử");
        let total: u32 = bp
            .sections
            .iter()
            .flat_map(|s| &s.rows)
            .map(|r| r.count * r.points.milli())
            .sum();
        assert_eq!(total, 10_000);
    }
}
