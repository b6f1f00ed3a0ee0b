//! The input of item analysis: each attempt's mark on each item, and for
//! single-choice items the option chosen.
//!
//! Independent of the exam model on purpose: analysis needs marks, not
//! question bodies, so new question kinds need no change here. Storage is
//! column-major (one contiguous column per item) because every statistic but
//! the total is computed item by item, and a column scan is what caches and
//! vector units like. A cell is a `u16` mark in milli-points (an item is
//! worth at most 65.535 points) and, for choice items only, a `u8` option.

use serde::{Deserialize, Serialize};

/// The chosen-option value of an unanswered choice cell.
pub const UNANSWERED: u8 = u8::MAX;

/// Largest total an exam may be worth, in milli-points (67,108.864 points).
/// Far above any real paper; it keeps every exact sum inside `u128`.
pub const MAX_TOTAL_MILLI: u32 = 1 << 26;

/// Most attempts a matrix may hold: counts are `u32`.
pub const MAX_ATTEMPTS: usize = u32::MAX as usize;

/// What kind of item a column holds, as far as analysis cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ItemKind {
    /// Single choice among `options` (2 ..= 254), `key` the right one
    /// (0-based). Guessing earns 1 / options. Marks come from the matrix, not
    /// from comparing the choice with the key, so a regraded item is analysed
    /// as regraded; the key only tells the key from the distractors.
    Choice { options: u8, key: u8 },
    /// One true/false statement. Guessing earns half.
    TrueFalse,
    /// Partial credit, such as the 2025 four-statement true/false cluster.
    /// `guess_fraction_milli` is the expected fraction of the maximum earned
    /// by guessing, in thousandths; see [`cluster_guess_fraction_milli`].
    Cluster { guess_fraction_milli: u16 },
    /// A typed number. Guessing earns nothing.
    Numeric,
}

impl ItemKind {
    /// Expected share of the maximum a pure guess earns, in percent.
    pub fn random_guess_pct(self) -> f64 {
        match self {
            ItemKind::Choice { options, .. } => 100.0 / f64::from(options),
            ItemKind::TrueFalse => 50.0,
            ItemKind::Cluster {
                guess_fraction_milli,
            } => f64::from(guess_fraction_milli) / 10.0,
            ItemKind::Numeric => 0.0,
        }
    }
}

/// One item (column) of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemSpec {
    /// The item's maximum, in milli-points; must not be zero.
    pub max_milli: u16,
    pub kind: ItemKind,
}

/// One item's data: a mark per attempt and, for choice items only, the
/// option each attempt chose ([`UNANSWERED`] when none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub marks: Vec<u16>,
    pub choices: Option<Vec<u8>>,
}

/// Why a matrix cannot be built. `item` and `attempt` are 0-based indices.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MatrixError {
    #[error("item {item} is worth no points")]
    ZeroMax { item: usize },
    #[error("item {item} has {options} options; 2 to 254 are allowed")]
    OptionCount { item: usize, options: u8 },
    #[error("item {item}: the key names option {key}, which does not exist")]
    KeyOutOfRange { item: usize, key: u8 },
    #[error("item {item}: a guess fraction of {milli}/1000 is above one")]
    GuessFraction { item: usize, milli: u16 },
    #[error("the items are worth {milli} milli-points in all; at most {MAX_TOTAL_MILLI}")]
    TotalTooLarge { milli: u64 },
    #[error("more than {MAX_ATTEMPTS} attempts")]
    TooManyAttempts,
    #[error("{got} columns for {expected} items")]
    ColumnCount { expected: usize, got: usize },
    #[error("item {item} has {got} cells; the first item has {expected}")]
    ColumnLength {
        item: usize,
        expected: usize,
        got: usize,
    },
    #[error("item {item} is a choice item but has no chosen options")]
    MissingChoices { item: usize },
    #[error("item {item} is not a choice item but has chosen options")]
    UnexpectedChoices { item: usize },
    #[error("a row has {got} cells for {expected} items")]
    RowLength { expected: usize, got: usize },
    #[error("item {item}, attempt {attempt}: mark {mark} is above the maximum {max}")]
    MarkAboveMax {
        item: usize,
        attempt: usize,
        mark: u16,
        max: u16,
    },
    #[error("item {item}, attempt {attempt}: option {choice} does not exist")]
    ChoiceOutOfRange {
        item: usize,
        attempt: usize,
        choice: u8,
    },
}

/// Marks of `attempts` attempts on `items` items, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseMatrix {
    items: Vec<ItemSpec>,
    columns: Vec<Column>,
    attempts: usize,
}

impl ResponseMatrix {
    /// An empty matrix (no attempts yet) for these items.
    pub fn new(items: Vec<ItemSpec>) -> Result<Self, MatrixError> {
        Self::with_capacity(items, 0)
    }

    /// An empty matrix with room for `attempts` rows, so that pushing them
    /// never reallocates.
    pub fn with_capacity(items: Vec<ItemSpec>, attempts: usize) -> Result<Self, MatrixError> {
        validate_items(&items)?;
        let columns = items
            .iter()
            .map(|spec| Column {
                marks: Vec::with_capacity(attempts),
                choices: is_choice(spec).then(|| Vec::with_capacity(attempts)),
            })
            .collect();
        Ok(ResponseMatrix {
            items,
            columns,
            attempts: 0,
        })
    }

    /// A matrix from whole columns, one per item. Every cell is checked.
    pub fn from_columns(items: Vec<ItemSpec>, columns: Vec<Column>) -> Result<Self, MatrixError> {
        validate_items(&items)?;
        if columns.len() != items.len() {
            return Err(MatrixError::ColumnCount {
                expected: items.len(),
                got: columns.len(),
            });
        }
        let attempts = columns.first().map_or(0, |c| c.marks.len());
        // Counts are u32; on 32-bit targets (wasm) a Vec cannot be longer.
        if u32::try_from(attempts).is_err() {
            return Err(MatrixError::TooManyAttempts);
        }
        for (item, (spec, column)) in items.iter().zip(&columns).enumerate() {
            validate_column(item, spec, column, attempts)?;
        }
        Ok(ResponseMatrix {
            items,
            columns,
            attempts,
        })
    }

    /// Appends one attempt: `marks` and `choices` have one cell per item;
    /// choices of items that are not choice items must be [`UNANSWERED`].
    /// On error nothing is appended.
    pub fn push_attempt(&mut self, marks: &[u16], choices: &[u8]) -> Result<(), MatrixError> {
        let expected = self.items.len();
        for len in [marks.len(), choices.len()] {
            if len != expected {
                return Err(MatrixError::RowLength { expected, got: len });
            }
        }
        if self.attempts == MAX_ATTEMPTS {
            return Err(MatrixError::TooManyAttempts);
        }
        let attempt = self.attempts;
        for (item, ((spec, &mark), &choice)) in
            self.items.iter().zip(marks).zip(choices).enumerate()
        {
            if mark > spec.max_milli {
                return Err(MatrixError::MarkAboveMax {
                    item,
                    attempt,
                    mark,
                    max: spec.max_milli,
                });
            }
            let allowed = match spec.kind {
                ItemKind::Choice { options, .. } => choice < options || choice == UNANSWERED,
                _ => choice == UNANSWERED,
            };
            if !allowed {
                return Err(MatrixError::ChoiceOutOfRange {
                    item,
                    attempt,
                    choice,
                });
            }
        }
        for ((column, &mark), &choice) in self.columns.iter_mut().zip(marks).zip(choices) {
            column.marks.push(mark);
            if let Some(chosen) = &mut column.choices {
                chosen.push(choice);
            }
        }
        self.attempts += 1;
        Ok(())
    }

    pub fn items(&self) -> &[ItemSpec] {
        &self.items
    }

    /// Number of attempts (rows).
    pub fn attempts(&self) -> usize {
        self.attempts
    }

    /// Item `item`'s marks, one per attempt. Panics if `item` is out of range.
    pub fn marks(&self, item: usize) -> &[u16] {
        &self.columns[item].marks
    }

    /// Item `item`'s chosen options, if it is a choice item.
    pub fn choices(&self, item: usize) -> Option<&[u8]> {
        self.columns[item].choices.as_deref()
    }

    /// What the whole test is worth, in milli-points.
    pub fn max_total_milli(&self) -> u32 {
        // Validated to be at most MAX_TOTAL_MILLI.
        self.items.iter().map(|s| u32::from(s.max_milli)).sum()
    }

    /// Bytes the cells take (marks and choices), for memory comparisons.
    pub fn cell_bytes(&self) -> usize {
        self.columns
            .iter()
            .map(|c| 2 * c.marks.len() + c.choices.as_ref().map_or(0, Vec::len))
            .sum()
    }
}

fn is_choice(spec: &ItemSpec) -> bool {
    matches!(spec.kind, ItemKind::Choice { .. })
}

fn validate_items(items: &[ItemSpec]) -> Result<(), MatrixError> {
    for (item, spec) in items.iter().enumerate() {
        if spec.max_milli == 0 {
            return Err(MatrixError::ZeroMax { item });
        }
        match spec.kind {
            ItemKind::Choice { options, key } => {
                if !(2..UNANSWERED).contains(&options) {
                    return Err(MatrixError::OptionCount { item, options });
                }
                if key >= options {
                    return Err(MatrixError::KeyOutOfRange { item, key });
                }
            }
            ItemKind::Cluster {
                guess_fraction_milli,
            } if guess_fraction_milli > 1000 => {
                return Err(MatrixError::GuessFraction {
                    item,
                    milli: guess_fraction_milli,
                });
            }
            _ => {}
        }
    }
    let total: u64 = items.iter().map(|s| u64::from(s.max_milli)).sum();
    if total > u64::from(MAX_TOTAL_MILLI) {
        return Err(MatrixError::TotalTooLarge { milli: total });
    }
    Ok(())
}

fn validate_column(
    item: usize,
    spec: &ItemSpec,
    column: &Column,
    attempts: usize,
) -> Result<(), MatrixError> {
    if column.marks.len() != attempts {
        return Err(MatrixError::ColumnLength {
            item,
            expected: attempts,
            got: column.marks.len(),
        });
    }
    // A max over the column vectorises; the slow search runs only on failure.
    if column.marks.iter().copied().max().unwrap_or(0) > spec.max_milli {
        let attempt = column
            .marks
            .iter()
            .position(|&m| m > spec.max_milli)
            .unwrap_or_default();
        return Err(MatrixError::MarkAboveMax {
            item,
            attempt,
            mark: column.marks[attempt],
            max: spec.max_milli,
        });
    }
    match (spec.kind, &column.choices) {
        (ItemKind::Choice { options, .. }, Some(choices)) => {
            if choices.len() != attempts {
                return Err(MatrixError::ColumnLength {
                    item,
                    expected: attempts,
                    got: choices.len(),
                });
            }
            // Valid cells are `< options` or UNANSWERED; `c + 1` wraps
            // UNANSWERED to 0, so one vectorisable max checks both.
            if choices
                .iter()
                .map(|&c| c.wrapping_add(1))
                .max()
                .unwrap_or(0)
                > options
            {
                let attempt = choices
                    .iter()
                    .position(|&c| c >= options && c != UNANSWERED)
                    .unwrap_or_default();
                return Err(MatrixError::ChoiceOutOfRange {
                    item,
                    attempt,
                    choice: choices[attempt],
                });
            }
            Ok(())
        }
        (ItemKind::Choice { .. }, None) => Err(MatrixError::MissingChoices { item }),
        (_, Some(_)) => Err(MatrixError::UnexpectedChoices { item }),
        (_, None) => Ok(()),
    }
}

/// Expected fraction of the maximum, in thousandths rounded half up, that
/// pure guessing earns on a cluster of n = `points_by_right.len() − 1`
/// true/false statements scored by how many are right: each statement is
/// right with probability ½, so k are right with probability C(n, k) / 2ⁿ.
/// The maximum is the table's largest entry.
///
/// The 2025 table [0, 0.1, 0.25, 0.5, 1] gives
/// (0·1 + 0.1·4 + 0.25·6 + 0.5·4 + 1·1) / 16 = 4.9 / 16 = 0.30625, so 306.
/// `None` for an empty or all-zero table, or more than 63 statements.
pub fn cluster_guess_fraction_milli(points_by_right: &[u16]) -> Option<u16> {
    let statements = points_by_right.len().checked_sub(1)?;
    if statements > 63 {
        return None;
    }
    let max = u128::from(*points_by_right.iter().max()?);
    if max == 0 {
        return None;
    }
    // Σ points[k]·C(n, k), with C(n, k) built up row by row along k.
    let mut binomial: u128 = 1;
    let mut expected: u128 = 0;
    for (k, &points) in points_by_right.iter().enumerate() {
        expected += u128::from(points) * binomial;
        let k = k as u128;
        binomial = binomial * (statements as u128 - k) / (k + 1);
    }
    // 1000 · expected / (2ⁿ · max), halves up.
    let den = (1u128 << statements) * max;
    let milli = (2000 * expected + den) / (2 * den);
    u16::try_from(milli).ok()
}
