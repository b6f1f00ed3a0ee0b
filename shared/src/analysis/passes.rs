//! The two passes over the matrix, collecting exact integer sums.
//!
//! Pass 1 adds every column into the attempts' totals (and takes Σx, Σx² per
//! item on the way). The totals are then counted into a sorted distribution,
//! which fixes the upper and lower groups. Pass 2 reads each item's column
//! once more, against the totals: Σx·X, the distribution of rest scores
//! X − x, the marks and choices inside the groups, and per option the count
//! and Σ X of those who chose it. The distribution of the marks themselves
//! mostly follows from Σx and Σx² (see [`mark_distribution`]).
//!
//! Every sum is an integer of milli-points, so every statistic is exact up to
//! its final division. Widths: x < 2¹⁶, X ≤ 2²⁶ (`MAX_TOTAL_MILLI`),
//! s < 2³², so x·X < 2⁴², ΣX < 2⁵⁸ and Σx·X < 2⁷⁴ (`u128`); inner loops add
//! in `u64` over chunks short enough never to overflow, then widen.

use super::distribution::{self, Groups, Runs, Tally};
use super::matrix::{ItemKind, ResponseMatrix, UNANSWERED};

/// Attempts per block of pass 1: 16 KiB of totals stay in L1 while every
/// column of the block is added in.
const TOTALS_BLOCK: usize = 4096;

/// Attempts per `u64` partial sum in pass 2: 2¹⁶ · 2⁴² = 2⁵⁸ < 2⁶⁴.
const CHUNK: usize = 1 << 16;

/// What the whole test needs: the totals' sums and sorted distribution.
pub(crate) struct TestSums {
    pub attempts: u64,
    /// Σ X and Σ X².
    pub sum: u128,
    pub sum_sq: u128,
    pub runs: Runs,
    pub groups: Groups,
}

/// Marks (or, for options, counts) of the attempts around the group edges.
/// An attempt at a total equal to both edges is in both `at_` fields.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GroupTally {
    pub below_lower: u64,
    pub at_lower: u64,
    pub at_upper: u64,
    pub above_upper: u64,
}

/// Per choice option (and the unanswered row): who chose it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OptionSums {
    pub chosen: u64,
    /// Σ X over the attempts that chose it.
    pub sum_total: u64,
    pub group: GroupTally,
}

pub(crate) struct ItemSums {
    /// Σ x and Σ x².
    pub sum: u64,
    pub sum_sq: u128,
    /// Σ x·X.
    pub sum_x_total: u128,
    /// Σ x₍ₖ₎·r₍ₖ₎ with x and r = X − x each sorted ascending.
    pub sorted_product: u128,
    pub group: GroupTally,
    /// Choice items: one entry per option, then one for unanswered.
    pub options: Vec<OptionSums>,
}

pub(crate) struct Sums {
    pub test: TestSums,
    pub items: Vec<ItemSums>,
}

/// Both passes. `dense_slack` chooses counting or sorting (see
/// [`distribution::DENSE_SLACK`]); tests force each way.
pub(crate) fn collect(matrix: &ResponseMatrix, dense_slack: usize) -> Sums {
    let attempts = matrix.attempts();
    let (totals, first_sums) = totals_pass(matrix);

    let mut tally = Tally::new(matrix.max_total_milli(), attempts, dense_slack);
    match &mut tally {
        Tally::Dense(counts) => totals.iter().for_each(|&t| counts[t as usize] += 1),
        Tally::Sorted(values) => values.extend_from_slice(&totals),
    }
    let mut runs = Runs::new();
    tally.drain_into(&mut runs);
    let (sum, sum_sq) = distribution::power_sums(&runs);
    let groups = Groups::of(&runs);
    let (lower, upper) = (groups.lower.total, groups.upper.total);

    let max_mark = matrix
        .items()
        .iter()
        .map(|s| s.max_milli)
        .max()
        .unwrap_or(0);
    let mut mark_counts = vec![0u32; usize::from(max_mark) + 1];
    let (mut mark_runs, mut rest_runs) = (Runs::new(), Runs::new());
    let items = matrix
        .items()
        .iter()
        .zip(first_sums)
        .enumerate()
        .map(|(item, (spec, (sum, sum_sq)))| {
            let marks = matrix.marks(item);
            let (sum_x_total, group) = match &mut tally {
                Tally::Dense(counts) => {
                    scan_item(marks, &totals, lower, upper, |r| counts[r as usize] += 1)
                }
                Tally::Sorted(values) => {
                    scan_item(marks, &totals, lower, upper, |r| values.push(r))
                }
            };
            tally.drain_into(&mut rest_runs);
            mark_distribution(
                marks,
                spec.max_milli,
                sum,
                sum_sq,
                &mut mark_counts,
                &mut mark_runs,
            );
            let options = match (spec.kind, matrix.choices(item)) {
                (ItemKind::Choice { options, .. }, Some(choices)) => {
                    scan_choices(choices, &totals, lower, upper, options)
                }
                _ => Vec::new(),
            };
            ItemSums {
                sum,
                sum_sq,
                sum_x_total,
                sorted_product: distribution::sorted_product(&mark_runs, &rest_runs),
                group,
                options,
            }
        })
        .collect();

    Sums {
        test: TestSums {
            attempts: attempts as u64,
            sum,
            sum_sq,
            runs,
            groups,
        },
        items,
    }
}

/// Pass 1: every attempt's total, and per item (Σx, Σx²).
fn totals_pass(matrix: &ResponseMatrix) -> (Vec<u32>, Vec<(u64, u128)>) {
    let attempts = matrix.attempts();
    let items = matrix.items().len();
    let mut totals = vec![0u32; attempts];
    let mut sums = vec![(0u64, 0u128); items];
    for (block_index, block) in totals.chunks_mut(TOTALS_BLOCK).enumerate() {
        let start = block_index * TOTALS_BLOCK;
        for (item, (sum, sum_sq)) in sums.iter_mut().enumerate() {
            let marks = &matrix.marks(item)[start..start + block.len()];
            // A block's Σx² < 2¹² · 2³² fits in u64.
            let (mut block_sum, mut block_sq) = (0u64, 0u64);
            for (total, &mark) in block.iter_mut().zip(marks) {
                *total += u32::from(mark);
                block_sum += u64::from(mark);
                block_sq += u64::from(u32::from(mark) * u32::from(mark));
            }
            *sum += block_sum;
            *sum_sq += u128::from(block_sq);
        }
    }
    (totals, sums)
}

/// Pass 2 for one item's marks: Σx·X and the group tallies; every rest
/// score is handed to `rest`.
fn scan_item(
    marks: &[u16],
    totals: &[u32],
    lower: u32,
    upper: u32,
    mut rest: impl FnMut(u32),
) -> (u128, GroupTally) {
    let mut sum_x_total = 0u128;
    let mut group = GroupTally::default();
    for (marks, totals) in marks.chunks(CHUNK).zip(totals.chunks(CHUNK)) {
        let mut part = 0u64;
        for (&mark, &total) in marks.iter().zip(totals) {
            let x = u32::from(mark);
            rest(total - x);
            part += u64::from(x) * u64::from(total);
            // Selects, not branches: which group an attempt is in is random.
            let x = u64::from(x);
            group.below_lower += if total < lower { x } else { 0 };
            group.at_lower += if total == lower { x } else { 0 };
            group.at_upper += if total == upper { x } else { 0 };
            group.above_upper += if total > upper { x } else { 0 };
        }
        sum_x_total += u128::from(part);
    }
    (sum_x_total, group)
}

/// The sorted distribution of one item's marks into `runs`.
///
/// Most items are right-or-wrong, and then Σx and Σx² already tell it:
/// every term of Σx·(M − x) is ≥ 0, so M·Σx = Σx² exactly when every mark
/// is 0 or M, and then Σx / M attempts have M. Only partial-credit items are
/// counted, in a loop of their own: counting marks that take two values
/// makes every increment wait for the previous one to the same counter.
fn mark_distribution(
    marks: &[u16],
    max: u16,
    sum: u64,
    sum_sq: u128,
    counts: &mut [u32],
    runs: &mut Runs,
) {
    if u128::from(max) * u128::from(sum) == sum_sq {
        // At most s ≤ u32::MAX attempts, so both counts fit.
        let full = (sum / u64::from(max)) as u32;
        let none = marks.len() as u32 - full;
        runs.clear();
        runs.extend(
            [(0, none), (u32::from(max), full)]
                .into_iter()
                .filter(|r| r.1 > 0),
        );
    } else {
        for &mark in marks {
            counts[usize::from(mark)] += 1;
        }
        distribution::drain_counts(&mut counts[..=usize::from(max)], runs);
    }
}

/// Pass 2 for one choice item's choices: per option, how many chose it, their
/// Σ X, and how many of them sit around the group edges.
fn scan_choices(
    choices: &[u8],
    totals: &[u32],
    lower: u32,
    upper: u32,
    options: u8,
) -> Vec<OptionSums> {
    // Indexed by the raw choice byte, so no remapping in the loop; classes:
    // 0 below the lower edge, 1 at it, 2 between, 3 at the upper edge,
    // 4 above it. When the edges coincide the sum puts the attempts at the
    // edge in class 2 and nobody in 1 or 3. (Spreading the counters over
    // lanes, so that runs of the same choice do not wait on each other,
    // measured no faster.)
    let mut by_class = [[0u32; 5]; 256];
    let mut sum_total = [0u64; 256];
    for (&choice, &total) in choices.iter().zip(totals) {
        let class = usize::from(total >= lower)
            + usize::from(total > lower)
            + usize::from(total >= upper)
            + usize::from(total > upper);
        by_class[usize::from(choice)][class] += 1;
        sum_total[usize::from(choice)] += u64::from(total);
    }
    let edges_coincide = lower == upper;
    (0..options)
        .chain([UNANSWERED])
        .map(|choice| {
            let c = by_class[usize::from(choice)].map(u64::from);
            let (at_lower, at_upper) = if edges_coincide {
                (c[2], c[2])
            } else {
                (c[1], c[3])
            };
            OptionSums {
                chosen: c.iter().sum(),
                sum_total: sum_total[usize::from(choice)],
                group: GroupTally {
                    below_lower: c[0],
                    at_lower,
                    at_upper,
                    above_upper: c[4],
                },
            }
        })
        .collect()
}
