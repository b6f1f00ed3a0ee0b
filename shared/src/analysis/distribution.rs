//! Sorted distributions of whole milli-point scores, as `(value, count)` runs.
//!
//! Totals and rest scores are integers no larger than the test's maximum, so
//! for the usual test (10 points = 10,001 possible values, thousands of
//! attempts) they are counted in an array instead of sorted: O(s + range)
//! instead of O(s log s), and the result is the same sorted sequence. When
//! the range is large next to the number of attempts (a 500-point test taken
//! by 12 students) the values are sorted instead, so memory stays O(s).
//! Median, moments, the upper and lower groups and the "sorted x against
//! sorted r" covariance of discriminative efficiency all read runs.

/// Ascending distinct values with how often each occurs (never zero).
pub(crate) type Runs = Vec<(u32, u32)>;

/// Dense counting is used while the value range is at most the number of
/// attempts plus this slack (256 KiB of counters); above it, sorting.
pub(crate) const DENSE_SLACK: usize = 1 << 16;

/// Collects values, then hands them back as runs; reusable across items.
pub(crate) enum Tally {
    /// `counts[v]` is how often `v` occurred; all zero between uses.
    Dense(Vec<u32>),
    /// The values themselves, sorted when drained.
    Sorted(Vec<u32>),
}

impl Tally {
    /// A tally for values in `0 ..= max` from `attempts` attempts.
    pub(crate) fn new(max: u32, attempts: usize, dense_slack: usize) -> Tally {
        let range = max as usize + 1;
        if range <= attempts.saturating_add(dense_slack) {
            Tally::Dense(vec![0; range])
        } else {
            Tally::Sorted(Vec::with_capacity(attempts))
        }
    }

    /// Replaces `runs` with the collected values and empties the tally.
    pub(crate) fn drain_into(&mut self, runs: &mut Runs) {
        match self {
            Tally::Dense(counts) => drain_counts(counts, runs),
            Tally::Sorted(values) => {
                runs.clear();
                values.sort_unstable();
                for &value in values.iter() {
                    match runs.last_mut() {
                        Some((last, count)) if *last == value => *count += 1,
                        _ => runs.push((value, 1)),
                    }
                }
                values.clear();
            }
        }
    }
}

/// Replaces `runs` with the non-zero `counts` (indexed by value) and zeroes
/// them for the next use.
pub(crate) fn drain_counts(counts: &mut [u32], runs: &mut Runs) {
    runs.clear();
    for (value, count) in counts.iter_mut().enumerate() {
        if *count > 0 {
            // Counting arrays are at most MAX_TOTAL_MILLI + 1 long.
            runs.push((value as u32, *count));
            *count = 0;
        }
    }
}

/// Number of attempts in the runs.
pub(crate) fn count(runs: &Runs) -> u64 {
    runs.iter().map(|&(_, c)| u64::from(c)).sum()
}

/// Σ v and Σ v² over the runs, exactly.
pub(crate) fn power_sums(runs: &Runs) -> (u128, u128) {
    runs.iter().fold((0, 0), |(sum, sum_sq), &(v, c)| {
        let (v, c) = (u128::from(v), u128::from(c));
        (sum + v * c, sum_sq + v * v * c)
    })
}

/// The value at 0-based position `rank` of the sorted sequence.
pub(crate) fn value_at(runs: &Runs, rank: u64) -> Option<u32> {
    let mut seen = 0u64;
    for &(v, c) in runs {
        seen += u64::from(c);
        if rank < seen {
            return Some(v);
        }
    }
    None
}

/// Median in milli-points: the middle value, or the mean of the two middle
/// values for an even count.
pub(crate) fn median(runs: &Runs) -> Option<f64> {
    let n = count(runs);
    let low = value_at(runs, (n.checked_sub(1)?) / 2)?;
    let high = value_at(runs, n / 2)?;
    Some((f64::from(low) + f64::from(high)) / 2.0)
}

/// Σ (v − mean)^3 and Σ (v − mean)^4 over the runs, in f64. Centring first
/// keeps them accurate; raw power sums would cancel catastrophically.
pub(crate) fn central_sums_3_4(runs: &Runs, n: u64, sum: u128) -> (f64, f64) {
    let (n_i, sum_i) = (i128::from(n), sum as i128);
    runs.iter().fold((0.0, 0.0), |(m3, m4), &(v, c)| {
        // (n·v − Σ) / n is v − mean with an exact numerator.
        let d = (n_i * i128::from(v) - sum_i) as f64 / n as f64;
        let (d2, c) = (d * d, f64::from(c));
        (m3 + c * d2 * d, m4 + c * d2 * d2)
    })
}

/// Σ x₍ₖ₎·r₍ₖ₎: the sum of products after sorting both sequences ascending
/// independently (both runs must hold the same count). A merge of the two
/// run lists, O(runs).
pub(crate) fn sorted_product(x: &Runs, r: &Runs) -> u128 {
    let mut total = 0u128;
    let mut xs = x.iter().copied();
    let (mut xv, mut x_left) = xs.next().unwrap_or((0, 0));
    for &(rv, mut r_left) in r {
        while r_left > 0 {
            if x_left == 0 {
                match xs.next() {
                    Some((v, c)) => (xv, x_left) = (v, c),
                    None => return total, // counts differ; cannot happen
                }
            }
            let paired = r_left.min(x_left);
            total += u128::from(paired) * u128::from(xv) * u128::from(rv);
            r_left -= paired;
            x_left -= paired;
        }
    }
    total
}

/// One edge of the upper or lower group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Boundary {
    /// The total at the group's edge.
    pub total: u32,
    /// Attempts strictly beyond the edge (above it for the upper group,
    /// below it for the lower one): all in the group.
    pub beyond: u64,
    /// Attempts exactly at the edge: they share the group's remaining places.
    pub tied: u64,
}

/// The upper and lower 27 % groups. See the module documentation of
/// [`crate::analysis`] for the tie rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Groups {
    /// ⌈27 % of s⌉ attempts in each group.
    pub size: u64,
    pub lower: Boundary,
    pub upper: Boundary,
}

impl Groups {
    pub(crate) fn of(runs: &Runs) -> Groups {
        let n = count(runs);
        // ⌈27·s/100⌉ in integers.
        let size = (27 * n).div_ceil(100);
        if size == 0 {
            return Groups::default();
        }
        Groups {
            size,
            lower: edge(runs.iter().copied(), size),
            upper: edge(runs.iter().rev().copied(), size),
        }
    }
}

/// The edge of a group of `size` taken from the front of `runs`.
fn edge(runs: impl Iterator<Item = (u32, u32)>, size: u64) -> Boundary {
    let mut beyond = 0u64;
    for (total, count) in runs {
        let count = u64::from(count);
        if beyond + count >= size {
            return Boundary {
                total,
                beyond,
                tied: count,
            };
        }
        beyond += count;
    }
    Boundary::default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs_of(values: &[u32], max: u32, slack: usize) -> Runs {
        let mut tally = Tally::new(max, values.len(), slack);
        match &mut tally {
            Tally::Dense(counts) => values.iter().for_each(|&v| counts[v as usize] += 1),
            Tally::Sorted(all) => all.extend_from_slice(values),
        }
        let mut runs = Runs::new();
        tally.drain_into(&mut runs);
        runs
    }

    #[test]
    fn dense_and_sorted_tallies_agree() {
        let values = [5, 0, 5, 3, 9, 3, 3];
        let dense = runs_of(&values, 9, DENSE_SLACK);
        let sorted = runs_of(&values, 9, 0);
        assert_eq!(dense, vec![(0, 1), (3, 3), (5, 2), (9, 1)]);
        assert_eq!(dense, sorted);
        assert!(matches!(Tally::new(9, 7, 0), Tally::Sorted(_)));
        assert!(matches!(Tally::new(9, 10, 0), Tally::Dense(_)));
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&vec![(1, 1), (4, 1), (7, 1)]), Some(4.0));
        assert_eq!(median(&vec![(1, 2), (4, 1), (7, 1)]), Some(2.5));
        assert_eq!(median(&vec![]), None);
    }

    #[test]
    fn sorted_product_pairs_ranks() {
        // x sorted 0 0 1 1 1, r sorted 0 1 2 3 4: 1·2 + 1·3 + 1·4 = 9.
        let x = vec![(0, 2), (1, 3)];
        let r = vec![(0, 1), (1, 1), (2, 1), (3, 1), (4, 1)];
        assert_eq!(sorted_product(&x, &r), 9);
    }

    #[test]
    fn group_edges_with_ties() {
        // Totals 0 1 1 2 (s = 4): groups of ⌈1.08⌉ = 2. Lower: the 0 and one
        // of the two 1s; upper: the 2 and one of the two 1s.
        let g = Groups::of(&vec![(0, 1), (1, 2), (2, 1)]);
        assert_eq!(g.size, 2);
        let one_of_two_ones = |beyond| Boundary {
            total: 1,
            beyond,
            tied: 2,
        };
        assert_eq!(g.lower, one_of_two_ones(1));
        assert_eq!(g.upper, one_of_two_ones(1));
        // No attempts: no groups.
        assert_eq!(Groups::of(&vec![]).size, 0);
    }
}
