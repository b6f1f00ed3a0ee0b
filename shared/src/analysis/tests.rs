//! Hand-computed cases, degenerate inputs, the tie rule, flags, JSON shapes,
//! the LSAT-6 data, and property tests against a naive implementation.

use proptest::prelude::*;

use super::*;

const B: u8 = UNANSWERED;

fn choice(options: u8, key: u8) -> ItemSpec {
    ItemSpec {
        max_milli: 1000,
        kind: ItemKind::Choice { options, key },
    }
}

fn true_false() -> ItemSpec {
    ItemSpec {
        max_milli: 1000,
        kind: ItemKind::TrueFalse,
    }
}

/// The 2025 cluster table in milli-points of a 1-point cluster.
const CLUSTER_2025: [u16; 5] = [0, 100, 250, 500, 1000];

fn cluster() -> ItemSpec {
    ItemSpec {
        max_milli: 1000,
        kind: ItemKind::Cluster {
            guess_fraction_milli: cluster_guess_fraction_milli(&CLUSTER_2025).unwrap(),
        },
    }
}

fn numeric(max_milli: u16) -> ItemSpec {
    ItemSpec {
        max_milli,
        kind: ItemKind::Numeric,
    }
}

/// A matrix from rows of marks; `choices` rows may be shorter than the
/// items (missing cells are unanswered).
fn from_rows(items: Vec<ItemSpec>, marks: &[&[u16]], choices: &[&[u8]]) -> ResponseMatrix {
    let p = items.len();
    let mut matrix = ResponseMatrix::with_capacity(items, marks.len()).unwrap();
    for (row, m) in marks.iter().enumerate() {
        let mut c = vec![B; p];
        if let Some(given) = choices.get(row) {
            c[..given.len()].copy_from_slice(given);
        }
        matrix.push_attempt(m, &c).unwrap();
    }
    matrix
}

#[track_caller]
fn value(stat: Stat) -> f64 {
    match stat {
        Stat::Defined(v) => v,
        Stat::Undefined(r) => panic!("undefined: {r:?}"),
    }
}

#[track_caller]
fn assert_near(stat: Stat, expected: f64) {
    let v = value(stat);
    assert!(
        (v - expected).abs() <= 1e-9 * expected.abs().max(1.0),
        "{v} ≠ {expected}"
    );
}

#[track_caller]
fn assert_undefined(stat: Stat, reason: Reason) {
    assert_eq!(stat, Stat::Undefined(reason));
}

/// Five attempts on a 4-option choice item A (key A), a true/false
/// statement B and a 2025 cluster C, each worth 1 point. In points:
///
/// ```text
///          A    B    C     X    choice on A
///   1      1    1    1     3    A
///   2      1    1    0.5   2.5  A
///   3      1    0    0.5   1.5  A
///   4      0    1    0     1    C
///   5      0    0    0     0    (blank)
/// ```
fn hand_case() -> ResponseMatrix {
    from_rows(
        vec![choice(4, 0), true_false(), cluster()],
        &[
            &[1000, 1000, 1000],
            &[1000, 1000, 500],
            &[1000, 0, 500],
            &[0, 1000, 0],
            &[0, 0, 0],
        ],
        &[&[0], &[0], &[0], &[2], &[B]],
    )
}

/// By hand, divisors s − 1 = 4:
/// means A .6, B .6, C .4, X 1.6 → facilities 60, 60, 40 %.
/// Var A = (3·.4² + 2·.6²)/4 = 1.2/4 = .3 = Var B;
/// Var C = (.6² + 2·.1² + 2·.4²)/4 = .7/4 = .175 → SD % 54.772…, 41.833….
/// X deviations 1.4 .9 −.1 −.6 −1.6 → Var X = 5.7/4 = 1.425.
/// Cov(A,X) = (.4·1.4 + .4·.9 − .4·.1 + .6·.6 + .6·1.6)/4 = 2.2/4 = .55;
/// Cov(B,X) = (.56 + .36 + .06 − .24 + .96)/4 = .425;
/// Cov(C,X) = (.84 + .09 − .01 + .24 + .64)/4 = .45 (they sum to Var X).
/// Rest: Cov(x,r) = Cov(x,X) − Var x → A .25, B .125, C .275;
/// Var r = Var X − 2Cov(x,X) + Var x → A .625, B .875, C .7.
/// DI: A .25/√(.3·.625) = 1/√3 → 57.735…; B .125/√(.3·.875) → 24.397…;
/// C .275/√(.175·.7) = .275/.35 → 78.571….
/// DE: A: x sorted 0 0 1 1 1, r_A = 2 1.5 .5 1 0 sorted 0 .5 1 1.5 2,
/// Σ paired = 4.5, Cov_max = (4.5 − 3·5/5)/4 = .375 → .25/.375 = 66.67 %;
/// B: r_B sorted 0 0 1.5 1.5 2, Σ paired = 5, Cov_max = .5 → 25 %;
/// C: C and r_C = 2 2 1 1 0 are already in the same order → 100 %.
/// Point-biserial: A .55/√(.3·1.425) → 84.119…; B .425/√(.3·1.425) →
/// 65.001…; C .45/√(.175·1.425) → 90.112….
/// Effective weights: √.55, √.425, √.45 over their sum → 35.924…,
/// 31.579…, 32.495…. Alpha = 3/2·(1 − .775/1.425) = 13/19; error ratio
/// √(6/19); SEM = √1.425·√(6/19) = √.45.
/// Skewness: m2 = 5.7/5 = 1.14, m3 = Σd³/5 = −.84/5 = −.168,
/// k3 = 25·(−.168)/(4·3) = −.35, −.35/1.425^1.5 = −.205752…;
/// m4 = 11.181/5 = 2.2362, k4 = 25·(6·2.2362 − 12·1.14²)/(4·3·2) =
/// −2.26875, kurtosis −2.26875/1.425² = −1.117266….
/// Groups: ⌈.27·5⌉ = 2, no ties: upper = attempts 1, 2, lower = 4, 5.
/// A: 100 vs 0; B: 100 vs 50; C: (1 + .5)/2 = 75 vs 0.
#[test]
fn hand_computed_five_by_three() {
    let a = analyse(&hand_case());
    let [ia, ib, ic] = &a.items[..] else {
        panic!("three items")
    };
    for (item, f) in [(ia, 60.0), (ib, 60.0), (ic, 40.0)] {
        assert_near(item.facility_pct, f);
        assert!((item.intended_weight_pct - 100.0 / 3.0).abs() < 1e-12);
    }
    assert_near(ia.sd_pct, 100.0 * 0.3f64.sqrt());
    assert_near(ib.sd_pct, 100.0 * 0.3f64.sqrt());
    assert_near(ic.sd_pct, 100.0 * 0.175f64.sqrt());
    assert_near(ia.discrimination_index_pct, 100.0 / 3f64.sqrt());
    assert_near(
        ib.discrimination_index_pct,
        100.0 * 0.125 / (0.3f64 * 0.875).sqrt(),
    );
    assert_near(ic.discrimination_index_pct, 100.0 * 0.275 / 0.35);
    assert_near(ia.discriminative_efficiency_pct, 200.0 / 3.0);
    assert_near(ib.discriminative_efficiency_pct, 25.0);
    assert_near(ic.discriminative_efficiency_pct, 100.0);
    assert_near(
        ia.point_biserial_pct,
        100.0 * 0.55 / (0.3f64 * 1.425).sqrt(),
    );
    assert_near(
        ib.point_biserial_pct,
        100.0 * 0.425 / (0.3f64 * 1.425).sqrt(),
    );
    assert_near(
        ic.point_biserial_pct,
        100.0 * 0.45 / (0.175f64 * 1.425).sqrt(),
    );
    let roots = [0.55f64.sqrt(), 0.425f64.sqrt(), 0.45f64.sqrt()];
    let root_sum: f64 = roots.iter().sum();
    for (item, root) in [ia, ib, ic].into_iter().zip(roots) {
        assert_near(item.effective_weight_pct, 100.0 * root / root_sum);
    }
    for (item, upper, lower) in [(ia, 100.0, 0.0), (ib, 100.0, 50.0), (ic, 75.0, 0.0)] {
        assert_near(item.upper_facility_pct, upper);
        assert_near(item.lower_facility_pct, lower);
        assert_near(item.upper_minus_lower_pct, upper - lower);
    }
    assert_eq!(ia.random_guess_pct, 25.0);
    assert_eq!(ib.random_guess_pct, 50.0);
    assert!((ic.random_guess_pct - 30.6).abs() < 1e-12);

    let t = &a.test;
    assert_eq!(
        (t.attempts, t.items, t.max_points, t.group_size),
        (5, 3, 3.0, 2)
    );
    assert_near(t.mean, 1.6);
    assert_near(t.median, 1.5);
    assert_near(t.sd, 1.425f64.sqrt());
    assert_near(t.mean_mark10, 16.0 / 3.0);
    assert_near(t.sd_mark10, 1.425f64.sqrt() * 10.0 / 3.0);
    assert_near(t.skewness, -0.35 / 1.425f64.powf(1.5));
    assert_near(t.excess_kurtosis, -2.26875 / (1.425 * 1.425));
    assert_near(t.alpha, 13.0 / 19.0);
    assert_near(t.error_ratio_pct, 100.0 * (6.0f64 / 19.0).sqrt());
    assert_near(t.sem, 0.45f64.sqrt());
    // Marks 10, 8.3, 5, 3.3, 0 → bins [9.5, 10], [8, 8.5), [5, 5.5), [3, 3.5), [0, 0.5).
    let filled: Vec<(u16, u32)> = t
        .histogram
        .iter()
        .filter(|b| b.count > 0)
        .map(|b| (b.from_tenths, b.count))
        .collect();
    assert_eq!(filled, [(0, 1), (30, 1), (50, 1), (80, 1), (95, 1)]);
    assert_eq!(t.histogram.len(), 20);
    assert_eq!(t.histogram[19].to_tenths, 100);

    // Nothing is wrong with these items but A's two unused distractors.
    assert_eq!(
        ia.flags,
        [
            Flag::UnusedDistractor { option: 1 },
            Flag::UnusedDistractor { option: 3 }
        ]
    );
    assert!(ib.flags.is_empty() && ic.flags.is_empty());
}

/// Options of item A above. Shares: A 3/5, B 0, C 1/5, blank 1/5. Upper
/// group (attempts 1, 2) all chose A; lower (4, 5) one C, one blank.
/// Point-biserial of "chose C" = (0 0 0 1 0): deviations −.2 ×4 and .8,
/// Cov = (−.2·(1.4 + .9 − .1 − 1.6) + .8·(−.6))/4 = −.6/4 = −.15,
/// Var = 5·.2·.8/4 = .2 → −.15/√(.2·1.425) = −28.097…%. "Chose A" equals
/// A's marks, so its point-biserial is A's.
#[test]
fn hand_computed_options() {
    let a = analyse(&hand_case());
    let item = &a.items[0];
    let shares: Vec<f64> = item.options.iter().map(|o| value(o.share_pct)).collect();
    assert_eq!(shares, [60.0, 0.0, 20.0, 0.0]);
    let keys: Vec<bool> = item.options.iter().map(|o| o.is_key).collect();
    assert_eq!(keys, [true, false, false, false]);
    let blank = item.unanswered.as_ref().unwrap();
    assert_eq!((blank.option, value(blank.share_pct)), (UNANSWERED, 20.0));
    assert_near(blank.lower_share_pct, 50.0);
    assert_near(item.options[0].upper_share_pct, 100.0);
    assert_near(item.options[0].lower_share_pct, 0.0);
    assert_near(item.options[2].lower_share_pct, 50.0);
    assert_near(
        item.options[0].point_biserial_pct,
        value(item.point_biserial_pct),
    );
    assert_near(
        item.options[2].point_biserial_pct,
        -100.0 * 0.15 / (0.2f64 * 1.425).sqrt(),
    );
    assert_undefined(
        item.options[1].point_biserial_pct,
        Reason::ZeroVariance(What::Option),
    );
    assert!(a.items[1].options.is_empty() && a.items[1].unanswered.is_none());
}

/// Partial credit only: two clusters over four attempts, in points
/// x = (1, .5, .25, .1), y = (.5, .25, .1, 0); X = (1.5, .75, .35, .1).
/// mean x = 1.85/4 = .4625, mean X = 2.7/4 = .675. Var x: deviations
/// .5375 .0375 −.2125 −.3625, squares .28890625 + .00140625 + .04515625 +
/// .13140625 = .466875, /3 = .155625. The rest of x is y, so DI is the
/// Pearson correlation of x and y: y deviations .2875 .0375 −.1125 −.2125,
/// Σ products .15453125 + .00140625 + .02390625 + .07703125 = .256875,
/// Σ y-squares .08265625 + .00140625 + .01265625 + .04515625 = .141875;
/// DI = .256875/√(.466875·.141875) = .99770…. x and y rise together, so
/// DE = 100 %.
#[test]
fn hand_computed_partial_credit() {
    let cluster_marks: [&[u16]; 4] = [&[1000, 500], &[500, 250], &[250, 100], &[100, 0]];
    let a = analyse(&from_rows(vec![cluster(), cluster()], &cluster_marks, &[]));
    let x = &a.items[0];
    assert_near(x.facility_pct, 46.25);
    assert_near(x.sd_pct, 100.0 * 0.155625f64.sqrt());
    assert_near(
        x.discrimination_index_pct,
        100.0 * 0.256875 / (0.466875f64 * 0.141875).sqrt(),
    );
    assert_near(x.discriminative_efficiency_pct, 100.0);
    assert_near(a.test.mean, 0.675);
    assert_near(a.test.median, (0.75 + 0.35) / 2.0);
}

/// Totals 2, 1, 1, 0 (s = 4, groups of ⌈1.08⌉ = 2): the group edges both
/// fall on the two tied 1s, each of which fills half of the one place left.
/// Item A (1 1 0 0): upper (1 + ½·1 + ½·0)/2 = 75 %, lower (0 + ½·1)/2 =
/// 25 %, D = 50. Choice shares: option A is chosen by attempts 1 and 2 →
/// upper (1 + ½)/2 = 75 %, lower ½/2 = 25 %.
#[test]
fn tied_attempts_share_the_edge_places() {
    let marks: [&[u16]; 4] = [&[1000, 1000], &[1000, 0], &[0, 1000], &[0, 0]];
    let choices: [&[u8]; 4] = [&[0], &[0], &[1], &[2]];
    let matrix = from_rows(vec![choice(3, 0), true_false()], &marks, &choices);
    let a = analyse(&matrix);
    let item = &a.items[0];
    assert_near(item.upper_facility_pct, 75.0);
    assert_near(item.lower_facility_pct, 25.0);
    assert_near(item.upper_minus_lower_pct, 50.0);
    assert_near(item.options[0].upper_share_pct, 75.0);
    assert_near(item.options[0].lower_share_pct, 25.0);
    assert_near(item.options[1].upper_share_pct, 25.0);
    assert_near(item.options[2].lower_share_pct, 50.0);
    assert_near(item.options[2].upper_share_pct, 0.0);
}

/// The shared-places rule equals the average of "break ties by attempt
/// index" over every order of the attempts.
#[test]
fn tie_rule_is_the_average_over_tie_breaks() {
    // Totals 3 2 2 2 1 0 0 (s = 7, groups of ⌈1.89⌉ = 2); item 0's marks vary
    // inside both tied blocks.
    let marks: [&[u16]; 7] = [
        &[1000, 1000, 1000],
        &[1000, 1000, 0],
        &[0, 1000, 1000],
        &[1000, 0, 1000],
        &[0, 1000, 0],
        &[0, 0, 0],
        &[0, 0, 0],
    ];
    let x: Vec<f64> = marks.iter().map(|m| f64::from(m[0])).collect();
    let totals: Vec<u32> = marks
        .iter()
        .map(|m| m.iter().map(|&v| u32::from(v)).sum())
        .collect();
    let size = 2;
    // Every permutation of 7 attempts: stable sort by total, take the ends.
    let mut order: Vec<usize> = (0..7).collect();
    let (mut upper, mut lower, mut count) = (0.0, 0.0, 0.0);
    permutations(&mut order, 0, &mut |perm| {
        let mut sorted = perm.to_vec();
        sorted.sort_by_key(|&a| totals[a]); // stable: ties keep `perm` order
        lower += sorted[..size].iter().map(|&a| x[a]).sum::<f64>() / 2000.0;
        upper += sorted[7 - size..].iter().map(|&a| x[a]).sum::<f64>() / 2000.0;
        count += 1.0;
    });
    let items = vec![true_false(), true_false(), true_false()];
    let a = analyse(&from_rows(items, &marks, &[]));
    assert_near(a.items[0].upper_facility_pct, 100.0 * upper / count);
    assert_near(a.items[0].lower_facility_pct, 100.0 * lower / count);
    // By hand: upper = attempt 1 + ⅓ of each of 2, 3, 4 → (1 + ⅔)/2.
    assert_near(a.items[0].upper_facility_pct, 100.0 * (5.0 / 3.0) / 2.0);
}

fn permutations(items: &mut Vec<usize>, k: usize, visit: &mut impl FnMut(&[usize])) {
    if k == items.len() {
        visit(items);
        return;
    }
    for i in k..items.len() {
        items.swap(k, i);
        permutations(items, k + 1, visit);
        items.swap(k, i);
    }
}

#[test]
fn everyone_tied_puts_everyone_in_both_groups() {
    // Totals all 1: each group is ⌈.81⌉ = 1 place shared by 3 attempts.
    let marks: [&[u16]; 3] = [&[1000, 0], &[0, 1000], &[1000, 0]];
    let a = analyse(&from_rows(vec![true_false(), true_false()], &marks, &[]));
    assert_near(a.items[0].upper_facility_pct, 100.0 * 2.0 / 3.0);
    assert_near(a.items[0].lower_facility_pct, 100.0 * 2.0 / 3.0);
    assert_near(a.items[0].upper_minus_lower_pct, 0.0);
    // Zero variance of totals: no alpha, no point-biserial, but DI exists:
    // the rest of item 0 is item 1, exactly opposite.
    let zero_totals = Reason::ZeroVariance(What::Totals);
    assert_undefined(a.test.alpha, zero_totals);
    assert_undefined(a.test.skewness, zero_totals);
    assert_undefined(a.items[0].point_biserial_pct, zero_totals);
    assert_near(a.items[0].discrimination_index_pct, -100.0);
    assert_near(a.test.sd, 0.0);
}

#[test]
fn no_attempts() {
    let matrix = ResponseMatrix::new(vec![choice(4, 1), cluster()]).unwrap();
    let a = analyse(&matrix);
    let none = |needed| Reason::TooFewAttempts { needed, got: 0 };
    assert_undefined(a.test.mean, none(1));
    assert_undefined(a.test.median, none(1));
    assert_undefined(a.test.sd, none(2));
    assert_undefined(a.test.alpha, none(2));
    assert_undefined(a.items[0].facility_pct, none(1));
    assert_undefined(a.items[0].discrimination_index_pct, none(2));
    assert_undefined(a.items[0].options[0].share_pct, none(1));
    assert_eq!(a.test.group_size, 0);
    assert!(a.items.iter().all(|i| i.flags.is_empty()));
    assert!(a.test.histogram.iter().all(|b| b.count == 0));
}

#[test]
fn one_attempt() {
    let a = analyse(&from_rows(
        vec![choice(4, 1), cluster()],
        &[&[1000, 250]],
        &[&[1]],
    ));
    let one = |needed| Reason::TooFewAttempts { needed, got: 1 };
    assert_near(a.test.mean, 1.25);
    assert_near(a.test.median, 1.25);
    assert_undefined(a.test.sd, one(2));
    assert_undefined(a.test.skewness, one(3));
    assert_undefined(a.test.excess_kurtosis, one(4));
    assert_undefined(a.test.sem, one(2));
    assert_near(a.items[1].facility_pct, 25.0);
    assert_undefined(a.items[1].sd_pct, one(2));
    assert_undefined(a.items[0].upper_facility_pct, one(2));
    assert_eq!(a.test.group_size, 1);
}

#[test]
fn skewness_needs_three_and_kurtosis_four() {
    let two: [&[u16]; 2] = [&[0, 0], &[1000, 500]];
    let a = analyse(&from_rows(vec![true_false(), numeric(500)], &two, &[]));
    assert_undefined(
        a.test.skewness,
        Reason::TooFewAttempts { needed: 3, got: 2 },
    );
    let three: [&[u16]; 3] = [&[0, 0], &[1000, 500], &[1000, 0]];
    let a = analyse(&from_rows(vec![true_false(), numeric(500)], &three, &[]));
    assert!(a.test.skewness.is_defined());
    assert_undefined(
        a.test.excess_kurtosis,
        Reason::TooFewAttempts { needed: 4, got: 3 },
    );
}

#[test]
fn everyone_right_on_an_item() {
    let marks: [&[u16]; 4] = [&[1000, 1000], &[1000, 0], &[1000, 1000], &[1000, 0]];
    let a = analyse(&from_rows(vec![true_false(), true_false()], &marks, &[]));
    let item = &a.items[0];
    assert_near(item.facility_pct, 100.0);
    assert_near(item.sd_pct, 0.0);
    let zero_item = Reason::ZeroVariance(What::Item);
    assert_undefined(item.discrimination_index_pct, zero_item);
    assert_undefined(item.discriminative_efficiency_pct, zero_item);
    assert_undefined(item.point_biserial_pct, zero_item);
    assert_near(item.effective_weight_pct, 0.0);
    assert_near(item.upper_minus_lower_pct, 0.0);
    assert_eq!(item.flags, [Flag::TooEasy, Flag::DoesNotDiscriminate]);
    // Alpha with one constant item: 2·(1 − (0 + 1/3)/(1/3)) = 0.
    assert_near(a.test.alpha, 0.0);
}

#[test]
fn one_item_and_no_items() {
    let marks: [&[u16]; 3] = [&[1000], &[0], &[500]];
    let a = analyse(&from_rows(vec![numeric(1000)], &marks, &[]));
    assert_undefined(a.test.alpha, Reason::TooFewItems { needed: 2, got: 1 });
    assert_undefined(
        a.test.error_ratio_pct,
        Reason::TooFewItems { needed: 2, got: 1 },
    );
    assert_undefined(
        a.items[0].discrimination_index_pct,
        Reason::ZeroVariance(What::Rest),
    );
    assert_near(a.items[0].point_biserial_pct, 100.0);
    assert_near(a.items[0].effective_weight_pct, 100.0);

    let mut empty = ResponseMatrix::new(vec![]).unwrap();
    empty.push_attempt(&[], &[]).unwrap();
    empty.push_attempt(&[], &[]).unwrap();
    let a = analyse(&empty);
    assert_undefined(a.test.alpha, Reason::NoItems);
    assert_undefined(a.test.mean_mark10, Reason::NoItems);
    assert_near(a.test.mean, 0.0);
    assert_undefined(
        a.test.skewness,
        Reason::TooFewAttempts { needed: 3, got: 2 },
    );
    assert!(a.items.is_empty());
}

#[test]
fn negative_covariance_leaves_the_effective_weight_out() {
    // Item 2 goes against the other two.
    let marks: [&[u16]; 4] = [
        &[1000, 1000, 0],
        &[1000, 1000, 0],
        &[0, 0, 1000],
        &[0, 1000, 1000],
    ];
    let a = analyse(&from_rows(vec![true_false(); 3], &marks, &[]));
    assert_undefined(a.items[2].effective_weight_pct, Reason::NegativeCovariance);
    let kept: f64 = a.items[..2]
        .iter()
        .map(|i| value(i.effective_weight_pct))
        .sum();
    assert!((kept - 100.0).abs() < 1e-9);
    assert!(a.items[2].flags.contains(&Flag::LikelyWrongKey));
}

/// Six students, strongest first. Items 0–2 behave; item 3 (options A–D,
/// key A) is miskeyed: the three strongest chose B (the real answer) and
/// got nothing, two weak ones chose A and got the point.
fn miskeyed() -> ResponseMatrix {
    let marks: [&[u16]; 6] = [
        &[1000, 1000, 1000, 0],
        &[1000, 1000, 1000, 0],
        &[1000, 1000, 0, 0],
        &[1000, 0, 0, 1000],
        &[0, 0, 0, 1000],
        &[0, 0, 0, 0],
    ];
    let choices: [&[u8]; 6] = [
        &[B, B, B, 1],
        &[B, B, B, 1],
        &[B, B, B, 1],
        &[B, B, B, 0],
        &[B, B, B, 0],
        &[B, B, B, 2],
    ];
    let items = vec![true_false(), true_false(), true_false(), choice(4, 0)];
    from_rows(items, &marks, &choices)
}

#[test]
fn flags_a_miskeyed_item() {
    let a = analyse(&miskeyed());
    let item = &a.items[3];
    assert!(value(item.discrimination_index_pct) < 0.0);
    assert!(value(item.options[0].point_biserial_pct) < 0.0);
    assert!(value(item.options[1].point_biserial_pct) > 0.0);
    // Groups of 2: upper = the two who chose B, lower = the 0 and a 1.
    assert_near(item.options[1].upper_share_pct, 100.0);
    assert_near(item.options[1].lower_share_pct, 0.0);
    assert_eq!(
        item.flags,
        [
            Flag::LikelyWrongKey,
            Flag::DistractorFavoursStrong { option: 1 },
            Flag::UnusedDistractor { option: 3 },
        ]
    );
}

#[test]
fn flags_a_wrong_key_from_the_options_alone() {
    // The teacher gave everyone the point after the key was found wrong:
    // marks no longer tell, the options still do.
    let matrix = miskeyed();
    let items = matrix.items().to_vec();
    let mut columns: Vec<Column> = (0..4)
        .map(|i| Column {
            marks: matrix.marks(i).to_vec(),
            choices: matrix.choices(i).map(<[u8]>::to_vec),
        })
        .collect();
    columns[3].marks = vec![1000; 6];
    let a = analyse(&ResponseMatrix::from_columns(items, columns).unwrap());
    let item = &a.items[3];
    assert!(!item.discrimination_index_pct.is_defined());
    assert_eq!(item.flags[..2], [Flag::LikelyWrongKey, Flag::TooEasy]);
}

#[test]
fn flags_hard_and_weak_items() {
    // Item 1: one right of ten, by a weak student. Item 2: 0.1 of a cluster
    // for attempts 0, 1, 2 and 9, so its indicator I = 1110000001 against
    // the rest r = 1111110010: Σ(I − .4)(r − .7) = 3 − 2.8 = .2,
    // Σ(I − .4)² = 2.4, Σ(r − .7)² = 2.1, DI = .2/√5.04 = 8.9 %.
    let mut marks: Vec<[u16; 3]> = (0..10u16)
        .map(|a| [if a < 6 { 1000 } else { 0 }, 0, 0])
        .collect();
    marks[8][1] = 1000;
    for a in [0, 1, 2, 9] {
        marks[a][2] = 100;
    }
    let rows: Vec<&[u16]> = marks.iter().map(|r| &r[..]).collect();
    let a = analyse(&from_rows(
        vec![true_false(), true_false(), cluster()],
        &rows,
        &[],
    ));
    assert_near(a.items[1].facility_pct, 10.0);
    assert_eq!(a.items[1].flags, [Flag::LikelyWrongKey, Flag::TooHard]);
    let weak = &a.items[2];
    assert_near(weak.discrimination_index_pct, 100.0 * 0.2 / 5.04f64.sqrt());
    assert_eq!(weak.flags, [Flag::TooHard, Flag::DoesNotDiscriminate]);
}

#[test]
fn unused_distractor_threshold_is_five_percent() {
    // 100 attempts; option C chosen by 4 (under 5 %), option D by 5.
    let marks: Vec<[u16; 2]> = (0..100)
        .map(|a| [if a < 91 { 1000 } else { 0 }, 0])
        .collect();
    let choices: Vec<[u8; 2]> = (0..100)
        .map(|a| {
            let c = match a {
                0..91 => 0,
                91..95 => 2,
                _ => 3,
            };
            [c, B]
        })
        .collect();
    let rows: Vec<&[u16]> = marks.iter().map(|r| &r[..]).collect();
    let crows: Vec<&[u8]> = choices.iter().map(|r| &r[..]).collect();
    let a = analyse(&from_rows(vec![choice(4, 0), numeric(500)], &rows, &crows));
    let unused: Vec<Flag> = a.items[0]
        .flags
        .iter()
        .copied()
        .filter(|f| matches!(f, Flag::UnusedDistractor { .. }))
        .collect();
    assert_eq!(
        unused,
        [
            Flag::UnusedDistractor { option: 1 },
            Flag::UnusedDistractor { option: 2 }
        ]
    );
}

#[test]
fn flags_serialise_with_stable_names_and_explain_themselves() {
    let all = [
        Flag::LikelyWrongKey,
        Flag::TooEasy,
        Flag::TooHard,
        Flag::DoesNotDiscriminate,
        Flag::UnusedDistractor { option: 2 },
        Flag::DistractorFavoursStrong { option: 1 },
    ];
    let json = serde_json::to_string(&all).unwrap();
    assert_eq!(
        json,
        r#"[{"flag":"likely_wrong_key"},{"flag":"too_easy"},{"flag":"too_hard"},{"flag":"does_not_discriminate"},{"flag":"unused_distractor","option":2},{"flag":"distractor_favours_strong","option":1}]"#
    );
    let back: Vec<Flag> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, all);
    for flag in all {
        assert!(!flag.vi().is_empty() && !flag.en().is_empty());
    }
    assert!(Flag::LikelyWrongKey.vi().starts_with("Có thể sai đáp án"));
}

#[test]
fn stat_json_shapes() {
    let cases = [
        (Stat::Defined(0.53), r#"{"value":0.53}"#),
        (
            Stat::Undefined(Reason::ZeroVariance(What::Item)),
            r#"{"undefined":"zero_variance_item"}"#,
        ),
        (
            Stat::Undefined(Reason::TooFewAttempts { needed: 2, got: 1 }),
            r#"{"undefined":"too_few_attempts","needed":2,"got":1}"#,
        ),
        (
            Stat::Undefined(Reason::NegativeCovariance),
            r#"{"undefined":"negative_covariance"}"#,
        ),
    ];
    for (stat, json) in cases {
        assert_eq!(serde_json::to_string(&stat).unwrap(), json);
        assert_eq!(serde_json::from_str::<Stat>(json).unwrap(), stat);
    }
    for bad in [
        r#"{}"#,
        r#"{"value":1,"undefined":"no_items"}"#,
        r#"{"undefined":"too_few_attempts"}"#,
        r#"{"undefined":"whatever"}"#,
    ] {
        assert!(serde_json::from_str::<Stat>(bad).is_err(), "{bad}");
    }
    // A whole analysis survives the round trip (up to serde_json's float
    // parsing, which may be one bit off).
    let a = analyse(&hand_case());
    let back: serde_json::Value =
        serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
    assert_eq!(naive::Naive(back).rounded_like(&a), a);
}

#[test]
fn matrix_refuses_bad_shapes_and_cells() {
    use MatrixError as E;
    let err = |items: Vec<ItemSpec>| ResponseMatrix::new(items).unwrap_err();
    assert_eq!(err(vec![numeric(0)]), E::ZeroMax { item: 0 });
    assert_eq!(
        err(vec![choice(1, 0)]),
        E::OptionCount {
            item: 0,
            options: 1
        }
    );
    assert_eq!(
        err(vec![choice(255, 0)]),
        E::OptionCount {
            item: 0,
            options: 255
        }
    );
    assert_eq!(
        err(vec![true_false(), choice(4, 4)]),
        E::KeyOutOfRange { item: 1, key: 4 }
    );
    let guess = ItemSpec {
        max_milli: 1000,
        kind: ItemKind::Cluster {
            guess_fraction_milli: 1001,
        },
    };
    assert_eq!(
        err(vec![guess]),
        E::GuessFraction {
            item: 0,
            milli: 1001
        }
    );
    assert!(matches!(
        err(vec![numeric(u16::MAX); 1025]),
        E::TotalTooLarge { .. }
    ));

    let mut m = ResponseMatrix::new(vec![choice(4, 0), numeric(500)]).unwrap();
    assert_eq!(
        m.push_attempt(&[0], &[B, B]),
        Err(E::RowLength {
            expected: 2,
            got: 1
        })
    );
    assert_eq!(
        m.push_attempt(&[0, 501], &[B, B]),
        Err(E::MarkAboveMax {
            item: 1,
            attempt: 0,
            mark: 501,
            max: 500
        })
    );
    assert_eq!(
        m.push_attempt(&[0, 0], &[4, B]),
        Err(E::ChoiceOutOfRange {
            item: 0,
            attempt: 0,
            choice: 4
        })
    );
    assert_eq!(
        m.push_attempt(&[0, 0], &[B, 0]),
        Err(E::ChoiceOutOfRange {
            item: 1,
            attempt: 0,
            choice: 0
        })
    );
    assert_eq!(m.attempts(), 0, "a refused row leaves nothing behind");
    m.push_attempt(&[1000, 500], &[0, B]).unwrap();
    assert_eq!((m.attempts(), m.cell_bytes()), (1, 5));

    let items = vec![choice(4, 0), numeric(500)];
    let col = |marks: Vec<u16>, choices: Option<Vec<u8>>| Column { marks, choices };
    let from = |columns| ResponseMatrix::from_columns(items.clone(), columns);
    assert_eq!(
        from(vec![col(vec![0], Some(vec![0]))]),
        Err(E::ColumnCount {
            expected: 2,
            got: 1
        })
    );
    assert_eq!(
        from(vec![col(vec![0], Some(vec![0])), col(vec![0, 0], None)]),
        Err(E::ColumnLength {
            item: 1,
            expected: 1,
            got: 2
        })
    );
    assert_eq!(
        from(vec![col(vec![0], None), col(vec![0], None)]),
        Err(E::MissingChoices { item: 0 })
    );
    assert_eq!(
        from(vec![
            col(vec![0], Some(vec![0])),
            col(vec![0], Some(vec![0]))
        ]),
        Err(E::UnexpectedChoices { item: 1 })
    );
    assert_eq!(
        from(vec![
            col(vec![0, 1000], Some(vec![B, 7])),
            col(vec![0, 0], None)
        ]),
        Err(E::ChoiceOutOfRange {
            item: 0,
            attempt: 1,
            choice: 7
        })
    );
    assert_eq!(
        from(vec![
            col(vec![0, 1001], Some(vec![B, 3])),
            col(vec![0, 0], None)
        ]),
        Err(E::MarkAboveMax {
            item: 0,
            attempt: 1,
            mark: 1001,
            max: 1000
        })
    );
    let ok = from(vec![
        col(vec![0, 1000], Some(vec![B, 3])),
        col(vec![500, 0], None),
    ])
    .unwrap();
    assert_eq!(ok.attempts(), 2);
    assert_eq!(ok.choices(1), None);
    assert_eq!(ok.max_total_milli(), 1500);
}

#[test]
fn cluster_guess_fractions() {
    // (0·1 + 100·4 + 250·6 + 500·4 + 1000·1) / 16 = 306.25 → 306.
    assert_eq!(cluster_guess_fraction_milli(&CLUSTER_2025), Some(306));
    // One statement is a true/false item: half.
    assert_eq!(cluster_guess_fraction_milli(&[0, 1000]), Some(500));
    // All or nothing on four statements: 1/16 = 62.5 → 63 (halves up).
    assert_eq!(cluster_guess_fraction_milli(&[0, 0, 0, 0, 1000]), Some(63));
    assert_eq!(cluster_guess_fraction_milli(&[]), None);
    assert_eq!(cluster_guess_fraction_milli(&[0, 0]), None);
    assert_eq!(cluster_guess_fraction_milli(&[1; 65]), None);
    assert_eq!(cluster_guess_fraction_milli(&[7; 64]), Some(1000));
}

/// LSAT section 6 (Bock & Lieberman 1970): 1000 examinees × 5 items as 32
/// response patterns with their counts (R package ltm, data `LSAT`).
const LSAT6: [(&str, u32); 32] = [
    ("00000", 3),
    ("00001", 6),
    ("00010", 2),
    ("00011", 11),
    ("00100", 1),
    ("00101", 1),
    ("00110", 3),
    ("00111", 4),
    ("01000", 1),
    ("01001", 8),
    ("01010", 0),
    ("01011", 16),
    ("01100", 0),
    ("01101", 3),
    ("01110", 2),
    ("01111", 15),
    ("10000", 10),
    ("10001", 29),
    ("10010", 14),
    ("10011", 81),
    ("10100", 3),
    ("10101", 28),
    ("10110", 15),
    ("10111", 80),
    ("11000", 16),
    ("11001", 56),
    ("11010", 21),
    ("11011", 173),
    ("11100", 11),
    ("11101", 61),
    ("11110", 28),
    ("11111", 298),
];

#[test]
fn lsat6_agrees_with_a_direct_computation() {
    let rows: Vec<[u8; 5]> = LSAT6
        .iter()
        .flat_map(|&(pattern, count)| {
            let row: [u8; 5] = std::array::from_fn(|i| pattern.as_bytes()[i] - b'0');
            std::iter::repeat_n(row, count as usize)
        })
        .collect();
    assert_eq!(rows.len(), 1000);
    let mut matrix = ResponseMatrix::with_capacity(vec![numeric(1000); 5], 1000).unwrap();
    for row in &rows {
        matrix
            .push_attempt(&row.map(|v| u16::from(v) * 1000), &[B; 5])
            .unwrap();
    }
    let a = analyse(&matrix);

    // Published facilities.
    let facilities: Vec<f64> = a.items.iter().map(|i| value(i.facility_pct)).collect();
    for (got, want) in facilities.iter().zip([92.4, 70.9, 55.3, 76.3, 87.0]) {
        assert!((got - want).abs() < 1e-9, "{got} ≠ {want}");
    }

    // Naive, independent: KR-20 = p/(p−1)·(1 − Σ pᵢqᵢ / σ²) with population
    // variances throughout (the n/(n−1) factors cancel in the ratio).
    let n = rows.len() as f64;
    let totals: Vec<f64> = rows
        .iter()
        .map(|r| r.iter().map(|&v| f64::from(v)).sum())
        .collect();
    let mean = totals.iter().sum::<f64>() / n;
    let var = totals.iter().map(|t| (t - mean).powi(2)).sum::<f64>() / n;
    let pq: f64 = (0..5)
        .map(|i| {
            let p = rows.iter().filter(|r| r[i] == 1).count() as f64 / n;
            p * (1.0 - p)
        })
        .sum();
    let kr20 = 5.0 / 4.0 * (1.0 - pq / var);
    assert!((value(a.test.mean) - mean).abs() < 1e-9);
    assert!((value(a.test.mean) - 3.819).abs() < 1e-9);
    assert!(
        (value(a.test.alpha) - kr20).abs() < 1e-9,
        "{:?} vs {kr20}",
        a.test.alpha
    );
    // LSAT-6 is known for its low reliability (KR-20 ≈ 0.295).
    assert!((kr20 - 0.295).abs() < 0.001, "{kr20}");
    assert_eq!(a, naive::analyse(&matrix).rounded_like(&a));
}

/// A direct implementation of the definitions in f64, sorting for
/// everything, for comparing with the counting one.
mod naive {
    use super::super::*;

    pub struct Naive(pub serde_json::Value);

    impl Naive {
        /// Replaces numbers within 1e-9 (relative, or absolute below 1) of
        /// `exact`'s by `exact`'s, so that `assert_eq` compares the rest
        /// exactly and reports real differences in full. Flags are taken
        /// from `exact`: they are tested on crafted data, and on random data
        /// a value sitting exactly on a threshold would hang on its last bit.
        pub fn rounded_like(self, exact: &Analysis) -> Analysis {
            let mut naive = self.0;
            snap(&mut naive, &serde_json::to_value(exact).unwrap());
            let mut naive: Analysis = serde_json::from_value(naive).unwrap();
            for (n, e) in naive.items.iter_mut().zip(&exact.items) {
                n.flags = e.flags.clone();
            }
            naive
        }
    }

    fn snap(naive: &mut serde_json::Value, exact: &serde_json::Value) {
        use serde_json::Value;
        match (naive, exact) {
            (Value::Number(a), Value::Number(b)) => {
                let (x, y) = (a.as_f64().unwrap(), b.as_f64().unwrap());
                if (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0) {
                    *a = b.clone();
                }
            }
            (Value::Array(a), Value::Array(b)) => {
                a.iter_mut().zip(b).for_each(|(a, b)| snap(a, b));
            }
            (Value::Object(a), Value::Object(b)) => {
                for (key, value) in a.iter_mut() {
                    if let Some(other) = b.get(key) {
                        snap(value, other);
                    }
                }
            }
            _ => {}
        }
    }

    fn mean(v: &[f64]) -> f64 {
        v.iter().sum::<f64>() / v.len() as f64
    }

    /// (n·Σab − Σa·Σb) / (n(n − 1)): on whole milli-points below 2⁵³ the
    /// numerator is exact, so a zero covariance comes out as exactly zero
    /// (centring on a rounded mean would leave 1e-20, and √ of that is not
    /// small).
    fn cov(a: &[f64], b: &[f64]) -> f64 {
        let n = a.len() as f64;
        let sum_ab: f64 = a.iter().zip(b).map(|(x, y)| x * y).sum();
        let (sa, sb): (f64, f64) = (a.iter().sum(), b.iter().sum());
        (n * sum_ab - sa * sb) / (n * (n - 1.0))
    }

    fn constant(v: &[f64]) -> bool {
        v.windows(2).all(|w| w[0] == w[1])
    }

    fn defined(v: f64) -> Stat {
        Stat::Defined(v)
    }

    fn undefined(r: Reason) -> Stat {
        Stat::Undefined(r)
    }

    fn few(needed: u32, s: usize) -> Option<Stat> {
        (s < needed as usize).then_some(undefined(Reason::TooFewAttempts {
            needed,
            got: s as u32,
        }))
    }

    fn corr(a: &[f64], b: &[f64], what_a: What, what_b: What) -> Stat {
        if let Some(u) = few(2, a.len()) {
            return u;
        }
        if constant(a) {
            return undefined(Reason::ZeroVariance(what_a));
        }
        if constant(b) {
            return undefined(Reason::ZeroVariance(what_b));
        }
        defined(100.0 * cov(a, b) / (cov(a, a) * cov(b, b)).sqrt())
    }

    /// Per-attempt weights of the upper and lower groups (shared edges).
    fn group_weights(totals: &[f64]) -> (Vec<f64>, Vec<f64>, usize) {
        let s = totals.len();
        let size = (27 * s).div_ceil(100);
        let mut sorted = totals.to_vec();
        sorted.sort_by(f64::total_cmp);
        let weights = |edge: f64, beyond: &dyn Fn(f64) -> bool| {
            let above = totals.iter().filter(|&&t| beyond(t)).count();
            let tied = totals.iter().filter(|&&t| t == edge).count();
            totals
                .iter()
                .map(|&t| {
                    if beyond(t) {
                        1.0
                    } else if t == edge {
                        (size - above) as f64 / tied as f64
                    } else {
                        0.0
                    }
                })
                .collect::<Vec<f64>>()
        };
        if size == 0 {
            return (vec![], vec![], 0);
        }
        let upper_edge = sorted[s - size];
        let lower_edge = sorted[size - 1];
        (
            weights(upper_edge, &|t| t > upper_edge),
            weights(lower_edge, &|t| t < lower_edge),
            size,
        )
    }

    fn group_mean(weights: &[f64], v: &[f64], size: usize, s: usize) -> Stat {
        if let Some(u) = few(2, s) {
            return u;
        }
        defined(100.0 * weights.iter().zip(v).map(|(w, x)| w * x).sum::<f64>() / size as f64)
    }

    pub fn analyse(m: &ResponseMatrix) -> Naive {
        let s = m.attempts();
        let p = m.items().len();
        let cols: Vec<Vec<f64>> = (0..p)
            .map(|i| m.marks(i).iter().map(|&v| f64::from(v)).collect())
            .collect();
        // Everything in whole milli-points: equal totals and rest scores
        // compare equal (0.001 + 38.929 − 38.929 is not 0.001 in f64), and
        // covariances are exact (see `cov`).
        let totals_milli: Vec<u32> = (0..s)
            .map(|a| (0..p).map(|i| u32::from(m.marks(i)[a])).sum())
            .collect();
        let totals: Vec<f64> = totals_milli.iter().map(|&t| f64::from(t)).collect();
        let max_total = f64::from(m.max_total_milli());
        let (upper_w, lower_w, size) = group_weights(&totals);
        let cov_total: Vec<f64> = cols
            .iter()
            .map(|c| if s >= 2 { cov(c, &totals) } else { 0.0 })
            .collect();
        let root_sum: f64 = cov_total
            .iter()
            .filter(|&&c| c >= 0.0)
            .map(|c| c.sqrt())
            .sum();

        let items: Vec<serde_json::Value> = (0..p)
            .map(|i| {
                let spec = m.items()[i];
                let max = f64::from(spec.max_milli);
                let x = &cols[i];
                let rest: Vec<f64> = totals_milli
                    .iter()
                    .zip(m.marks(i))
                    .map(|(&t, &x)| f64::from(t - u32::from(x)))
                    .collect();
                let unit: Vec<f64> = x.iter().map(|v| v / max).collect();
                let facility = few(1, s).unwrap_or_else(|| defined(100.0 * mean(x) / max));
                let sd = few(2, s).unwrap_or_else(|| defined(100.0 * cov(x, x).sqrt() / max));
                let di = corr(x, &rest, What::Item, What::Rest);
                let de = match di {
                    Stat::Defined(_) => {
                        let (mut xs, mut rs) = (x.clone(), rest.clone());
                        xs.sort_by(f64::total_cmp);
                        rs.sort_by(f64::total_cmp);
                        defined(100.0 * cov(x, &rest) / cov(&xs, &rs))
                    }
                    undefined => undefined,
                };
                let pb = corr(x, &totals, What::Item, What::Totals);
                let effective = few(2, s).unwrap_or_else(|| {
                    if cov_total[i] < 0.0 {
                        undefined(Reason::NegativeCovariance)
                    } else if constant(&totals) {
                        undefined(Reason::ZeroVariance(What::Totals))
                    } else {
                        defined(100.0 * cov_total[i].max(0.0).sqrt() / root_sum)
                    }
                });
                let upper = group_mean(&upper_w, &unit, size, s);
                let lower = group_mean(&lower_w, &unit, size, s);
                let d = match (upper, lower) {
                    (Stat::Defined(u), Stat::Defined(l)) => defined(u - l),
                    (u, _) => u,
                };
                let option = |o: u8, is_key: bool| {
                    let chosen: Vec<f64> = m
                        .choices(i)
                        .unwrap()
                        .iter()
                        .map(|&c| f64::from(u8::from(c == o)))
                        .collect();
                    serde_json::json!({
                        "option": o,
                        "is_key": is_key,
                        "share_pct": few(1, s).unwrap_or_else(|| defined(100.0 * mean(&chosen))),
                        "upper_share_pct": group_mean(&upper_w, &chosen, size, s),
                        "lower_share_pct": group_mean(&lower_w, &chosen, size, s),
                        "point_biserial_pct": corr(&chosen, &totals, What::Option, What::Totals),
                    })
                };
                let (options, unanswered) = match spec.kind {
                    ItemKind::Choice { options, key } => (
                        (0..options).map(|o| option(o, o == key)).collect(),
                        option(UNANSWERED, false),
                    ),
                    _ => (vec![], serde_json::Value::Null),
                };
                serde_json::json!({
                    "item": i,
                    "max_points": max / 1000.0,
                    "kind": spec.kind,
                    "facility_pct": facility,
                    "sd_pct": sd,
                    "random_guess_pct": spec.kind.random_guess_pct(),
                    "intended_weight_pct": 100.0 * max / max_total,
                    "effective_weight_pct": effective,
                    "discrimination_index_pct": di,
                    "discriminative_efficiency_pct": de,
                    "point_biserial_pct": pb,
                    "upper_facility_pct": upper,
                    "lower_facility_pct": lower,
                    "upper_minus_lower_pct": d,
                    "options": options,
                    "unanswered": unanswered,
                    "flags": [],
                })
            })
            .collect();

        let n = s as f64;
        let constant_totals = constant(&totals);
        let moments = |needed: u32| {
            few(needed, s)
                .or(constant_totals.then_some(undefined(Reason::ZeroVariance(What::Totals))))
        };
        let mean_x = if s > 0 { mean(&totals) } else { 0.0 };
        let moment = |k: i32| totals.iter().map(|t| (t - mean_x).powi(k)).sum::<f64>() / n;
        let k2 = if s >= 2 { cov(&totals, &totals) } else { 0.0 };
        let skew = moments(3)
            .unwrap_or_else(|| defined(n * n * moment(3) / ((n - 1.0) * (n - 2.0)) / k2.powf(1.5)));
        let kurt = moments(4).unwrap_or_else(|| {
            let k4 = n * n * ((n + 1.0) * moment(4) - 3.0 * (n - 1.0) * moment(2) * moment(2))
                / ((n - 1.0) * (n - 2.0) * (n - 3.0));
            defined(k4 / (k2 * k2))
        });
        let alpha = match p {
            0 => Some(undefined(Reason::NoItems)),
            1 => Some(undefined(Reason::TooFewItems { needed: 2, got: 1 })),
            _ => moments(2),
        }
        .map_or_else(
            || {
                let sum_var: f64 = cols.iter().map(|c| cov(c, c)).sum();
                Ok(p as f64 / (p as f64 - 1.0) * (1.0 - sum_var / k2))
            },
            Err,
        );
        let sd = few(2, s).unwrap_or_else(|| defined(k2.sqrt() / 1000.0));
        let median = few(1, s).unwrap_or_else(|| {
            let mut sorted = totals.clone();
            sorted.sort_by(f64::total_cmp);
            defined((sorted[(s - 1) / 2] + sorted[s / 2]) / 2000.0)
        });
        let on_10 = |v: Stat| {
            if p == 0 {
                undefined(Reason::NoItems)
            } else {
                v.map(|v| v * 10_000.0 / max_total)
            }
        };
        let mean_stat = few(1, s).unwrap_or_else(|| defined(mean_x / 1000.0));
        let max_milli = u64::from(m.max_total_milli());
        let mut histogram: Vec<serde_json::Value> = Vec::new();
        let mut counts = [0u32; 20];
        for a in 0..s {
            let total: u64 = (0..p).map(|i| u64::from(m.marks(i)[a])).sum();
            let tenths = if max_milli == 0 {
                0
            } else {
                (200 * total + max_milli) / (2 * max_milli)
            };
            counts[(tenths / 5).min(19) as usize] += 1;
        }
        for (bin, count) in counts.iter().enumerate() {
            histogram.push(serde_json::json!({
                "from_tenths": bin * 5, "to_tenths": bin * 5 + 5, "count": count
            }));
        }
        let error_ratio = alpha.map(|a| 100.0 * (1.0 - a).max(0.0).sqrt());
        let sem = alpha.map(|a| k2.sqrt() / 1000.0 * (1.0 - a).max(0.0).sqrt());
        let from = |r: Result<f64, Stat>| r.map_or_else(|u| u, defined);
        Naive(serde_json::json!({
            "test": {
                "attempts": s,
                "items": p,
                "max_points": max_total / 1000.0,
                "mean": mean_stat,
                "median": median,
                "sd": sd,
                "mean_mark10": on_10(mean_stat),
                "sd_mark10": on_10(sd),
                "skewness": skew,
                "excess_kurtosis": kurt,
                "alpha": from(alpha),
                "error_ratio_pct": from(error_ratio),
                "sem": from(sem),
                "group_size": size,
                "histogram": histogram,
            },
            "items": items,
        }))
    }
}

/// Random small matrices with many ties: marks mostly 0, the maximum or a
/// quarter step; sizes from empty to 13 attempts × 4 items.
fn matrices() -> impl Strategy<Value = ResponseMatrix> {
    let kind = prop_oneof![
        (2u8..6)
            .prop_flat_map(|options| (Just(options), 0..options))
            .prop_map(|(options, key)| ItemKind::Choice { options, key }),
        Just(ItemKind::TrueFalse),
        (0u16..=1000).prop_map(|guess_fraction_milli| ItemKind::Cluster {
            guess_fraction_milli
        }),
        Just(ItemKind::Numeric),
    ];
    let max = prop_oneof![
        Just(1u16),
        Just(250),
        Just(1000),
        Just(u16::MAX),
        1u16..3000
    ];
    let spec = (max, kind).prop_map(|(max_milli, kind)| ItemSpec { max_milli, kind });
    (prop::collection::vec(spec, 0..5), 0usize..14)
        .prop_flat_map(|(items, s)| {
            let columns: Vec<_> = items
                .iter()
                .map(|spec| {
                    let max = spec.max_milli;
                    let mark = prop_oneof![
                        Just(0u16),
                        Just(max),
                        (0u32..=4).prop_map(move |k| (u32::from(max) * k / 4) as u16),
                        0..=max,
                    ];
                    let choice = match spec.kind {
                        ItemKind::Choice { options, .. } => {
                            prop_oneof![4 => 0..options, 1 => Just(UNANSWERED)].boxed()
                        }
                        _ => Just(UNANSWERED).boxed(),
                    };
                    let is_choice = matches!(spec.kind, ItemKind::Choice { .. });
                    prop::collection::vec((mark, choice), s).prop_map(move |cells| Column {
                        marks: cells.iter().map(|c| c.0).collect(),
                        choices: is_choice.then(|| cells.iter().map(|c| c.1).collect()),
                    })
                })
                .collect();
            (Just(items), columns)
        })
        .prop_map(|(items, columns)| ResponseMatrix::from_columns(items, columns).unwrap())
}

/// The same attempts in the order `order`.
fn permuted(m: &ResponseMatrix, order: &[usize]) -> ResponseMatrix {
    let columns = (0..m.items().len())
        .map(|i| Column {
            marks: order.iter().map(|&a| m.marks(i)[a]).collect(),
            choices: m.choices(i).map(|c| order.iter().map(|&a| c[a]).collect()),
        })
        .collect();
    ResponseMatrix::from_columns(m.items().to_vec(), columns).unwrap()
}

/// Every number in the analysis, as JSON sees it.
fn numbers(value: &serde_json::Value, out: &mut Vec<f64>) {
    match value {
        serde_json::Value::Number(n) => out.push(n.as_f64().unwrap()),
        serde_json::Value::Array(a) => a.iter().for_each(|v| numbers(v, out)),
        serde_json::Value::Object(o) => o.values().for_each(|v| numbers(v, out)),
        _ => {}
    }
}

proptest! {
    #[test]
    fn agrees_with_the_naive_definitions(m in matrices()) {
        let a = analyse(&m);
        let expected = naive::analyse(&m).rounded_like(&a);
        prop_assert_eq!(a, expected);
    }

    #[test]
    fn counting_and_sorting_agree(m in matrices()) {
        prop_assert_eq!(analyse_with(&m, 0), analyse_with(&m, distribution::DENSE_SLACK));
    }

    #[test]
    fn attempt_order_changes_nothing(
        (m, order) in matrices().prop_flat_map(|m| {
            let order = Just((0..m.attempts()).collect::<Vec<_>>()).prop_shuffle();
            (Just(m), order)
        })
    ) {
        prop_assert_eq!(analyse(&permuted(&m, &order)), analyse(&m));
    }

    #[test]
    fn values_stay_in_range(m in matrices()) {
        let a = analyse(&m);
        let mut all = Vec::new();
        numbers(&serde_json::to_value(&a).unwrap(), &mut all);
        prop_assert!(all.iter().all(|v| v.is_finite()));
        if let Stat::Defined(alpha) = a.test.alpha {
            prop_assert!(alpha <= 1.0);
        }
        for item in &a.items {
            let correlations = item.options.iter().chain(&item.unanswered).map(|o| o.point_biserial_pct);
            for r in correlations.chain([item.discrimination_index_pct, item.point_biserial_pct]) {
                if let Stat::Defined(r) = r {
                    prop_assert!((-100.0..=100.0).contains(&r), "{}", r);
                }
            }
            for share in [item.facility_pct, item.upper_facility_pct, item.lower_facility_pct] {
                if let Stat::Defined(f) = share {
                    prop_assert!((0.0..=100.0 + 1e-9).contains(&f), "{}", f);
                }
            }
            // DE ≥ DI for positive covariance (why DE needs no flag of its own).
            if let (Stat::Defined(di), Stat::Defined(de)) =
                (item.discrimination_index_pct, item.discriminative_efficiency_pct)
            {
                prop_assert!(de <= 100.0);
                if di >= 0.0 {
                    prop_assert!(de >= di - 1e-9, "DE {} < DI {}", de, di);
                }
            }
        }
    }

    /// Scaling one item's marks and maximum leaves its own facility, SD %,
    /// DI and DE unchanged (its rest score does not contain it). Its
    /// point-biserial, the groups and alpha do change: they involve the total.
    #[test]
    fn scaling_an_item_keeps_its_own_shares_and_discrimination(
        m in matrices().prop_filter("an item worth at most 16.383", |m| {
            m.items().first().is_some_and(|s| s.max_milli <= u16::MAX / 4)
        }),
        factor in 2u16..=4,
    ) {
        let mut items = m.items().to_vec();
        items[0].max_milli *= factor;
        let columns = (0..items.len())
            .map(|i| Column {
                marks: m.marks(i).iter().map(|&x| if i == 0 { x * factor } else { x }).collect(),
                choices: m.choices(i).map(<[u8]>::to_vec),
            })
            .collect();
        let scaled = analyse(&ResponseMatrix::from_columns(items, columns).unwrap());
        let plain = analyse(&m);
        let (a, b) = (&scaled.items[0], &plain.items[0]);
        for (x, y) in [
            (a.facility_pct, b.facility_pct),
            (a.sd_pct, b.sd_pct),
            (a.discrimination_index_pct, b.discrimination_index_pct),
            (a.discriminative_efficiency_pct, b.discriminative_efficiency_pct),
        ] {
            match (x, y) {
                (Stat::Defined(x), Stat::Defined(y)) => prop_assert!((x - y).abs() < 1e-9, "{} vs {}", x, y),
                (x, y) => prop_assert_eq!(x, y),
            }
        }
    }
}
