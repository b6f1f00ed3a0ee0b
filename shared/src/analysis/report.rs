//! The analysis as a teacher reads it, computed from the exact sums.
//!
//! Per-item figures are percentages, as Moodle shows them: facility, SD and
//! weights as shares of the maximum, correlations (discrimination index,
//! point-biserial) × 100, so within −100 ..= 100. Test figures are in points
//! unless their name says otherwise.

use serde::{Deserialize, Serialize};

use super::distribution::{self, Boundary, Groups};
use super::flags::{
    Flag, TOO_EASY_ABOVE_PCT, TOO_HARD_BELOW_PCT, UNUSED_DISTRACTOR_BELOW_PCT,
    WEAK_DISCRIMINATION_BELOW_PCT,
};
use super::matrix::{ItemKind, ItemSpec, ResponseMatrix, UNANSWERED};
use super::passes::{GroupTally, ItemSums, OptionSums, Sums, TestSums};
use super::stat::{Reason, Stat, What, stat};
use crate::points::{Mark10, Points};

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub test: TestStats,
    pub items: Vec<ItemStats>,
}

/// Statistics of the totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestStats {
    pub attempts: u32,
    pub items: u32,
    /// What the test is worth, in points.
    pub max_points: f64,
    /// Mean, median and SD of the totals, in points.
    pub mean: Stat,
    pub median: Stat,
    pub sd: Stat,
    /// Mean and SD on the 10-point scale (unrounded).
    pub mean_mark10: Stat,
    pub sd_mark10: Stat,
    /// k₃ / k₂^1.5 (needs 3 attempts).
    pub skewness: Stat,
    /// k₄ / k₂² (needs 4 attempts); 0 for a normal distribution.
    pub excess_kurtosis: Stat,
    /// Cronbach's alpha (KR-20 for 0/1 items); at most 1, may be negative.
    pub alpha: Stat,
    /// 100·√(1 − alpha), in percent.
    pub error_ratio_pct: Stat,
    /// Standard error of measurement SD·√(1 − alpha), in points.
    pub sem: Stat,
    /// Attempts in each of the upper and lower groups: ⌈27 % of attempts⌉.
    pub group_size: u32,
    /// The score distribution in 20 bins of 0.5 on the 10-point scale.
    pub histogram: Vec<ScoreBin>,
}

/// Attempts whose mark, rounded as the students see it (one decimal,
/// halves up; [`Mark10`]), is in `from_tenths ..< to_tenths`; the last bin
/// also holds 10.0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreBin {
    pub from_tenths: u16,
    pub to_tenths: u16,
    pub count: u32,
}

/// Statistics of one item; see the module documentation for units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemStats {
    /// 0-based column of the matrix.
    pub item: u32,
    pub max_points: f64,
    pub kind: ItemKind,
    /// F = mean mark / maximum.
    pub facility_pct: Stat,
    /// SD of the marks / maximum.
    pub sd_pct: Stat,
    pub random_guess_pct: f64,
    /// This item's share of the test's maximum.
    pub intended_weight_pct: f64,
    /// 100·√Cov(x, X) / Σ √Cov(xⱼ, X) over the items whose covariance is not
    /// negative; undefined (`negative_covariance`) for the others.
    pub effective_weight_pct: Stat,
    /// DI: the item–rest correlation × 100.
    pub discrimination_index_pct: Stat,
    /// DE = 100·Cov(x, r) / Cov_max.
    pub discriminative_efficiency_pct: Stat,
    /// Pearson correlation of mark and total × 100.
    pub point_biserial_pct: Stat,
    /// Facility within the upper and the lower 27 % by total, and their
    /// difference (the classical D × 100).
    pub upper_facility_pct: Stat,
    pub lower_facility_pct: Stat,
    pub upper_minus_lower_pct: Stat,
    /// Choice items: one row per option, in option order.
    pub options: Vec<OptionStats>,
    /// Choice items: the unanswered row (its `option` is [`UNANSWERED`]).
    pub unanswered: Option<OptionStats>,
    pub flags: Vec<Flag>,
}

/// Distractor analysis of one option of a choice item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionStats {
    /// 0-based option ("A" is 0), or [`UNANSWERED`].
    pub option: u8,
    pub is_key: bool,
    /// Share of all attempts, of the upper group and of the lower group
    /// that chose it.
    pub share_pct: Stat,
    pub upper_share_pct: Stat,
    pub lower_share_pct: Stat,
    /// Correlation of "chose it" (1/0) with the total × 100.
    pub point_biserial_pct: Stat,
}

pub(crate) fn build(matrix: &ResponseMatrix, sums: &Sums) -> Analysis {
    let max_total = matrix.max_total_milli();
    let total = Totals::of(&sums.test);
    // Σ √Cov(xⱼ, X) over the items whose covariance is not negative (the
    // common factor s(s − 1) cancels in every weight).
    let weight_sum: f64 = sums
        .items
        .iter()
        .map(|item| total.cov_with_total(item))
        .filter(|&cov| cov >= 0)
        .map(|cov| (cov as f64).sqrt())
        .sum();
    let items = matrix
        .items()
        .iter()
        .zip(&sums.items)
        .enumerate()
        .map(|(index, (spec, item))| item_stats(index, spec, item, &total, max_total, weight_sum))
        .collect();
    Analysis {
        test: test_stats(matrix, sums, &total, max_total),
        items,
    }
}

/// The totals' exact moments, shared by every item.
struct Totals {
    /// s, and s as i128 for exact products.
    n: u64,
    ni: i128,
    sum: i128,
    /// s²·m₂ = s·ΣX² − (ΣX)² = s(s − 1)·Var(X), exactly.
    var_num: i128,
    groups: Groups,
}

impl Totals {
    fn of(test: &TestSums) -> Totals {
        let ni = i128::from(test.attempts);
        let sum = test.sum as i128;
        Totals {
            n: test.attempts,
            ni,
            sum,
            var_num: ni * test.sum_sq as i128 - sum * sum,
            groups: test.groups,
        }
    }

    /// s(s − 1)·Cov(x, X) = s·Σx·X − Σx·ΣX.
    fn cov_with_total(&self, item: &ItemSums) -> i128 {
        self.ni * item.sum_x_total as i128 - i128::from(item.sum) * self.sum
    }

    /// s(s − 1), the common divisor of every `_num` above.
    fn pairs(&self) -> f64 {
        self.n as f64 * (self.n as f64 - 1.0)
    }
}

fn item_stats(
    index: usize,
    spec: &ItemSpec,
    item: &ItemSums,
    total: &Totals,
    max_total: u32,
    weight_sum: f64,
) -> ItemStats {
    let n = total.n;
    let max = f64::from(spec.max_milli);
    let sum = i128::from(item.sum);
    // s(s − 1) × Var(x), Cov(x, X), Cov(x, r), Var(r): exact.
    let var_x = total.ni * item.sum_sq as i128 - sum * sum;
    let cov_x_total = total.cov_with_total(item);
    let cov_x_rest = cov_x_total - var_x;
    let var_rest = total.var_num - 2 * cov_x_total + var_x;
    // s(s − 1) × Cov_max: Σ x₍ₖ₎r₍ₖ₎ paired by rank, Σr = ΣX − Σx.
    let cov_max = total.ni * item.sorted_product as i128 - sum * (total.sum - sum);

    let facility_pct = stat(|| {
        Stat::need_attempts(1, n)?;
        Ok(100.0 * item.sum as f64 / (n as f64 * max))
    });
    let sd_pct = stat(|| {
        Stat::need_attempts(2, n)?;
        Ok(100.0 * (var_x as f64 / total.pairs()).sqrt() / max)
    });
    let effective_weight_pct = stat(|| {
        Stat::need_attempts(2, n)?;
        if cov_x_total < 0 {
            return Err(Stat::Undefined(Reason::NegativeCovariance));
        }
        if weight_sum <= 0.0 {
            return Err(zero_variance(What::Totals));
        }
        Ok(100.0 * (cov_x_total as f64).sqrt() / weight_sum)
    });
    let discrimination_index_pct = stat(|| {
        Stat::need_attempts(2, n)?;
        nonzero(var_x, What::Item)?;
        nonzero(var_rest, What::Rest)?;
        Ok(correlation_pct(cov_x_rest, var_x, var_rest))
    });
    let discriminative_efficiency_pct = stat(|| {
        Stat::need_attempts(2, n)?;
        nonzero(var_x, What::Item)?;
        nonzero(var_rest, What::Rest)?;
        // Both sequences vary, so sorted they covary strictly positively.
        Ok(100.0 * cov_x_rest as f64 / cov_max as f64)
    });
    let point_biserial_pct = stat(|| {
        Stat::need_attempts(2, n)?;
        nonzero(var_x, What::Item)?;
        nonzero(total.var_num, What::Totals)?;
        Ok(correlation_pct(cov_x_total, var_x, total.var_num))
    });

    let groups = &total.groups;
    let upper_facility_pct = group_share(groups, n, &item.group, Side::Upper, max);
    let lower_facility_pct = group_share(groups, n, &item.group, Side::Lower, max);
    let upper_minus_lower_pct = match (upper_facility_pct, lower_facility_pct) {
        (Stat::Defined(u), Stat::Defined(l)) => Stat::Defined(u - l),
        (Stat::Undefined(r), _) | (_, Stat::Undefined(r)) => Stat::Undefined(r),
    };

    let key = match spec.kind {
        ItemKind::Choice { key, .. } => Some(key),
        _ => None,
    };
    let option_stats =
        |(option, sums): (u8, &OptionSums)| option_stats(option, key == Some(option), sums, total);
    let (options, unanswered) = match item.options.split_last() {
        Some((blank, real)) => (
            (0..).zip(real).map(option_stats).collect(),
            Some(option_stats((UNANSWERED, blank))),
        ),
        None => (Vec::new(), None),
    };

    let mut stats = ItemStats {
        item: index as u32,
        max_points: max / 1000.0,
        kind: spec.kind,
        facility_pct,
        sd_pct,
        random_guess_pct: spec.kind.random_guess_pct(),
        intended_weight_pct: 100.0 * max / f64::from(max_total),
        effective_weight_pct,
        discrimination_index_pct,
        discriminative_efficiency_pct,
        point_biserial_pct,
        upper_facility_pct,
        lower_facility_pct,
        upper_minus_lower_pct,
        options,
        unanswered,
        flags: Vec::new(),
    };
    stats.flags = flags(&stats);
    stats
}

fn option_stats(option: u8, is_key: bool, sums: &OptionSums, total: &Totals) -> OptionStats {
    let n = total.n;
    let chosen = i128::from(sums.chosen);
    // s(s − 1) × Var(indicator) and Cov(indicator, X).
    let var_chosen = chosen * (total.ni - chosen);
    let cov = total.ni * i128::from(sums.sum_total) - chosen * total.sum;
    OptionStats {
        option,
        is_key,
        share_pct: stat(|| {
            Stat::need_attempts(1, n)?;
            Ok(100.0 * sums.chosen as f64 / n as f64)
        }),
        upper_share_pct: group_share(&total.groups, n, &sums.group, Side::Upper, 1.0),
        lower_share_pct: group_share(&total.groups, n, &sums.group, Side::Lower, 1.0),
        point_biserial_pct: stat(|| {
            Stat::need_attempts(2, n)?;
            nonzero(var_chosen, What::Option)?;
            nonzero(total.var_num, What::Totals)?;
            Ok(correlation_pct(cov, var_chosen, total.var_num))
        }),
    }
}

#[derive(Clone, Copy)]
enum Side {
    Upper,
    Lower,
}

/// 100 × the mean of the tallied quantity in one group, divided by `scale`
/// (the item's maximum for marks, 1 for option counts).
///
/// Tie rule: the group is the ⌈27 %⌉ attempts with the highest (lowest)
/// totals; the attempts tied at the edge share the places left, each
/// counting for (places left) / (attempts tied). That is the average over
/// every way of breaking the tie, so the result does not depend on the order
/// the attempts were stored in.
fn group_share(groups: &Groups, n: u64, tally: &GroupTally, side: Side, scale: f64) -> Stat {
    stat(|| {
        Stat::need_attempts(2, n)?;
        let (edge, beyond, at): (&Boundary, u64, u64) = match side {
            Side::Upper => (&groups.upper, tally.above_upper, tally.at_upper),
            Side::Lower => (&groups.lower, tally.below_lower, tally.at_lower),
        };
        let places_left = groups.size - edge.beyond;
        // (beyond·tied + places_left·at) / (tied·size), exact up to here.
        let num =
            u128::from(beyond) * u128::from(edge.tied) + u128::from(places_left) * u128::from(at);
        let den = u128::from(edge.tied) * u128::from(groups.size);
        Ok(100.0 * num as f64 / den as f64 / scale)
    })
}

/// 100·cov / √(var_a·var_b) from exact numerators (the common s(s − 1)
/// cancels). Clamped because the two rounded square roots can put a perfect
/// correlation a hair outside ±100.
fn correlation_pct(cov: i128, var_a: i128, var_b: i128) -> f64 {
    let r = cov as f64 / ((var_a as f64).sqrt() * (var_b as f64).sqrt());
    100.0 * r.clamp(-1.0, 1.0)
}

fn zero_variance(what: What) -> Stat {
    Stat::Undefined(Reason::ZeroVariance(what))
}

fn nonzero(var_num: i128, what: What) -> Result<(), Stat> {
    if var_num > 0 {
        Ok(())
    } else {
        Err(zero_variance(what))
    }
}

fn test_stats(matrix: &ResponseMatrix, sums: &Sums, total: &Totals, max_total: u32) -> TestStats {
    let test = &sums.test;
    let n = total.n;
    let items = matrix.items().len();
    let nf = n as f64;
    let var_total = || -> Result<f64, Stat> {
        Stat::need_attempts(2, n)?;
        Ok(total.var_num as f64 / total.pairs())
    };
    let mean = stat(|| {
        Stat::need_attempts(1, n)?;
        Ok(test.sum as f64 / nf / 1000.0)
    });
    let sd = stat(|| Ok(var_total()?.sqrt() / 1000.0));
    let on_10 = |points: Stat| {
        if max_total == 0 {
            Stat::Undefined(Reason::NoItems)
        } else {
            points.map(|v| v * 10_000.0 / f64::from(max_total))
        }
    };
    let median = stat(|| {
        Stat::need_attempts(1, n)?;
        Ok(distribution::median(&test.runs).unwrap_or_default() / 1000.0)
    });

    // k-statistics: m_k = Σ(X − mean)^k / s.
    let (sum3, sum4) = distribution::central_sums_3_4(&test.runs, n, test.sum);
    let m2 = total.var_num as f64 / (nf * nf);
    let skewness = stat(|| {
        Stat::need_attempts(3, n)?;
        let k2 = var_total()?;
        nonzero(total.var_num, What::Totals)?;
        let k3 = nf * nf * (sum3 / nf) / ((nf - 1.0) * (nf - 2.0));
        Ok(k3 / k2.powf(1.5))
    });
    let excess_kurtosis = stat(|| {
        Stat::need_attempts(4, n)?;
        let k2 = var_total()?;
        nonzero(total.var_num, What::Totals)?;
        let m4 = sum4 / nf;
        let k4 = nf * nf * ((nf + 1.0) * m4 - 3.0 * (nf - 1.0) * m2 * m2)
            / ((nf - 1.0) * (nf - 2.0) * (nf - 3.0));
        Ok(k4 / (k2 * k2))
    });

    // 1 − alpha = (p·ΣVar(xᵢ) − Var(X)) / ((p − 1)·Var(X)), from exact
    // numerators; it is ≥ 0 because Var(X) ≤ p·ΣVar(xᵢ) (Cauchy–Schwarz),
    // which is why alpha never exceeds 1.
    let one_minus_alpha = || -> Result<f64, Stat> {
        match items {
            0 => return Err(Stat::Undefined(Reason::NoItems)),
            1 => {
                return Err(Stat::Undefined(Reason::TooFewItems { needed: 2, got: 1 }));
            }
            _ => {}
        }
        Stat::need_attempts(2, n)?;
        nonzero(total.var_num, What::Totals)?;
        let sum_var: i128 = sums
            .items
            .iter()
            .map(|item| {
                let sum = i128::from(item.sum);
                total.ni * item.sum_sq as i128 - sum * sum
            })
            .sum();
        let p = items as i128;
        let exact = p
            .checked_mul(sum_var)
            .and_then(|a| a.checked_sub(total.var_num))
            .zip((p - 1).checked_mul(total.var_num));
        Ok(match exact {
            Some((num, den)) => num as f64 / den as f64,
            // Only for absurdly many items; f64 is still ample.
            None => {
                let (p, v) = (p as f64, total.var_num as f64);
                ((p * sum_var as f64 - v) / ((p - 1.0) * v)).max(0.0)
            }
        })
    };
    let alpha = stat(|| Ok(1.0 - one_minus_alpha()?));
    let error_ratio_pct = stat(|| Ok(100.0 * one_minus_alpha()?.sqrt()));
    let sem = stat(|| {
        let one_minus_alpha = one_minus_alpha()?;
        Ok(var_total()?.sqrt() / 1000.0 * one_minus_alpha.sqrt())
    });

    TestStats {
        attempts: n as u32,
        items: items as u32,
        max_points: f64::from(max_total) / 1000.0,
        mean,
        median,
        sd,
        mean_mark10: on_10(mean),
        sd_mark10: on_10(sd),
        skewness,
        excess_kurtosis,
        alpha,
        error_ratio_pct,
        sem,
        group_size: total.groups.size as u32,
        histogram: histogram(&test.runs, max_total),
    }
}

const HISTOGRAM_BINS: u16 = 20;

fn histogram(runs: &distribution::Runs, max_total: u32) -> Vec<ScoreBin> {
    let mut bins: Vec<ScoreBin> = (0..HISTOGRAM_BINS)
        .map(|bin| ScoreBin {
            from_tenths: bin * 5,
            to_tenths: bin * 5 + 5,
            count: 0,
        })
        .collect();
    for &(total, count) in runs {
        let mark = Mark10::from_points(Points::from_milli(total), Points::from_milli(max_total));
        let bin = (mark.tenths() / 5).min(HISTOGRAM_BINS - 1);
        bins[usize::from(bin)].count += count;
    }
    bins
}

fn flags(item: &ItemStats) -> Vec<Flag> {
    let mut flags = Vec::new();
    let key_pb = item
        .options
        .iter()
        .find(|o| o.is_key)
        .map(|o| o.point_biserial_pct);
    let distractor_beats_key = matches!(key_pb, Some(Stat::Defined(k)) if k < 0.0)
        && item
            .options
            .iter()
            .any(|o| !o.is_key && matches!(o.point_biserial_pct, Stat::Defined(d) if d > 0.0));
    let di = item.discrimination_index_pct;
    if matches!(di, Stat::Defined(d) if d < 0.0) || distractor_beats_key {
        flags.push(Flag::LikelyWrongKey);
    }
    if let Stat::Defined(f) = item.facility_pct {
        if f > TOO_EASY_ABOVE_PCT {
            flags.push(Flag::TooEasy);
        }
        if f < TOO_HARD_BELOW_PCT {
            flags.push(Flag::TooHard);
        }
    }
    let weak = match di {
        Stat::Defined(d) => (0.0..WEAK_DISCRIMINATION_BELOW_PCT).contains(&d),
        Stat::Undefined(reason) => reason == Reason::ZeroVariance(What::Item),
    };
    if weak && !flags.contains(&Flag::LikelyWrongKey) {
        flags.push(Flag::DoesNotDiscriminate);
    }
    for option in item.options.iter().filter(|o| !o.is_key) {
        if matches!(option.share_pct, Stat::Defined(s) if s < UNUSED_DISTRACTOR_BELOW_PCT) {
            flags.push(Flag::UnusedDistractor {
                option: option.option,
            });
        }
        if let (Stat::Defined(upper), Stat::Defined(lower)) =
            (option.upper_share_pct, option.lower_share_pct)
            && upper > lower
        {
            flags.push(Flag::DistractorFavoursStrong {
                option: option.option,
            });
        }
    }
    flags
}
