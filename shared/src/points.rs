//! Exact points and the 10-point mark.
//!
//! Scores are never binary floating point: a [`Points`] is a whole number of
//! thousandths of a point, enough for every Vietnamese scoring table (0.1,
//! 0.25, 0.5 steps). A [`Mark10`] is the mark on the 10-point scale in tenths.
//!
//! Rounding rule (Circular 22/2021: marks rounded to one decimal): the exact
//! fraction `10 · score / max` is rounded to the nearest tenth, halves upward,
//! so 6.25 → 6.3 and 6.24 → 6.2. Computed in integers, so 0.05 boundaries are
//! exact.

use serde::{Deserialize, Serialize};

/// A number of points, in thousandths of a point.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Points(u32);

impl Points {
    pub const ZERO: Points = Points(0);

    pub const fn from_milli(milli: u32) -> Self {
        Points(milli)
    }

    pub const fn milli(self) -> u32 {
        self.0
    }
}

impl std::ops::Add for Points {
    type Output = Points;
    fn add(self, rhs: Points) -> Points {
        Points(self.0 + rhs.0)
    }
}

impl std::iter::Sum for Points {
    fn sum<I: Iterator<Item = Points>>(iter: I) -> Points {
        iter.fold(Points::ZERO, |a, b| a + b)
    }
}

impl std::fmt::Display for Points {
    /// Shortest decimal form: 0.25, 1, 0.1.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let whole = self.0 / 1000;
        let frac = self.0 % 1000;
        if frac == 0 {
            return write!(f, "{whole}");
        }
        let digits = format!("{frac:03}");
        write!(f, "{whole}.{}", digits.trim_end_matches('0'))
    }
}

/// An exact non-negative score in milli-points, as a reduced fraction.
///
/// Partial credit can be a third of a point (multiple response) or a tenth
/// of a quarter point; a fraction keeps every total exact until the one
/// rounding the rules ask for, the mark's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Score {
    num: u64,
    den: u64,
}

/// Exact: compared by cross-multiplying, never through floating point.
impl Ord for Score {
    fn cmp(&self, other: &Score) -> std::cmp::Ordering {
        (u128::from(self.num) * u128::from(other.den))
            .cmp(&(u128::from(other.num) * u128::from(self.den)))
    }
}

impl PartialOrd for Score {
    fn partial_cmp(&self, other: &Score) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Score {
    pub const ZERO: Score = Score { num: 0, den: 1 };

    /// `points · num / den`; `den` must not be zero.
    pub fn of(points: Points, num: u64, den: u64) -> Score {
        assert!(den > 0, "a fraction with a zero denominator");
        Score::reduced(u64::from(points.0) * num, den)
    }

    fn reduced(num: u64, den: u64) -> Score {
        let g = gcd(num, den).max(1);
        Score {
            num: num / g,
            den: den / g,
        }
    }

    /// Numerator and denominator of the milli-points, reduced.
    pub fn fraction(self) -> (u64, u64) {
        (self.num, self.den)
    }

    /// Whole milli-points, rounded half up (for display and analysis only).
    pub fn milli_rounded(self) -> u64 {
        (2 * self.num + self.den) / (2 * self.den)
    }

    /// Milli-points as a float, for statistics only, never for marks.
    pub fn milli_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }
}

impl std::ops::Add for Score {
    type Output = Score;
    fn add(self, rhs: Score) -> Score {
        let g = gcd(self.den, rhs.den).max(1);
        let den = self.den / g * rhs.den;
        Score::reduced(self.num * (den / self.den) + rhs.num * (den / rhs.den), den)
    }
}

impl std::iter::Sum for Score {
    fn sum<I: Iterator<Item = Score>>(iter: I) -> Score {
        iter.fold(Score::ZERO, |a, b| a + b)
    }
}

impl From<Points> for Score {
    fn from(p: Points) -> Score {
        Score {
            num: u64::from(p.0),
            den: 1,
        }
    }
}

impl std::fmt::Display for Score {
    /// Points with up to three decimals, rounded half up when inexact.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let milli = u32::try_from(self.milli_rounded()).unwrap_or(u32::MAX);
        write!(f, "{}", Points(milli))
    }
}

/// A mark on the 10-point scale, in tenths (0 ..= 100).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Mark10(u16);

impl Mark10 {
    /// `10 · score / max`, rounded half up to one decimal. A zero `max` gives 0.
    pub fn from_points(score: Points, max: Points) -> Self {
        if max.0 == 0 {
            return Mark10(0);
        }
        let score = u64::from(score.0.min(max.0));
        let max = u64::from(max.0);
        // tenths = round(100 · score / max), halves up: floor((200·score + max) / (2·max)).
        let tenths = (200 * score + max) / (2 * max);
        Mark10(u16::try_from(tenths).expect("at most 100 tenths"))
    }

    /// `10 · score / max` for an exact fractional score, rounded the same way.
    pub fn from_score(score: Score, max: Points) -> Self {
        if max.0 == 0 {
            return Mark10(0);
        }
        let (num, den) = (u128::from(score.num), u128::from(score.den));
        let max = u128::from(max.0);
        // score/max capped at 1: num/den ≤ max.
        let num = num.min(max * den);
        let tenths = (200 * num + max * den) / (2 * max * den);
        Mark10(u16::try_from(tenths).expect("at most 100 tenths"))
    }

    /// From tenths (as stored).
    pub fn from_tenths(tenths: u16) -> Self {
        Mark10(tenths.min(100))
    }

    pub const fn tenths(self) -> u16 {
        self.0
    }
}

impl std::fmt::Display for Mark10 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.0 / 10, self.0 % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_order_exactly() {
        let third = Score::of(Points::from_milli(1000), 1, 3);
        let half = Score::of(Points::from_milli(1000), 1, 2);
        let also_half = Score::of(Points::from_milli(2000), 1, 4);
        assert!(third < half);
        assert_eq!(half.cmp(&also_half), std::cmp::Ordering::Equal);
        assert_eq!(half, also_half);
    }

    fn mark(score: u32, max: u32) -> String {
        Mark10::from_points(Points(score), Points(max)).to_string()
    }

    #[test]
    fn rounds_half_up_at_the_05_boundaries() {
        // 6.25 exactly (score 625 of 1000 milli-points … scaled by 10).
        assert_eq!(mark(625, 1000), "6.3");
        assert_eq!(mark(6249, 10000), "6.2");
        assert_eq!(mark(6251, 10000), "6.3");
        assert_eq!(mark(9950, 10000), "10.0");
        assert_eq!(mark(9949, 10000), "9.9");
        assert_eq!(mark(50, 10000), "0.1");
        assert_eq!(mark(49, 10000), "0.0");
    }

    #[test]
    fn exact_for_thirds_and_full_marks() {
        // 1 of 3 points = 3.333… → 3.3; 2 of 3 = 6.666… → 6.7.
        assert_eq!(mark(1000, 3000), "3.3");
        assert_eq!(mark(2000, 3000), "6.7");
        assert_eq!(mark(3000, 3000), "10.0");
        assert_eq!(mark(0, 3000), "0.0");
        assert_eq!(mark(0, 0), "0.0");
    }

    #[test]
    fn fractional_scores_are_exact_until_the_mark() {
        // A third of a point three times is exactly one point.
        let third = Score::of(Points(1000), 1, 3);
        let one = third + third + third;
        assert_eq!(one, Score::from(Points(1000)));
        // 0.25 · 1/10 = 0.025 points = 25 milli.
        assert_eq!(Score::of(Points(250), 100, 1000).fraction(), (25, 1));
        // 6.25 of 10 as a fraction: rounds half up to 6.3; a hair less to 6.2.
        let s = Score::of(Points(10_000), 625, 1000);
        assert_eq!(Mark10::from_score(s, Points(10_000)).to_string(), "6.3");
        let s = Score::of(Points(10_000), 624_999, 1_000_000);
        assert_eq!(Mark10::from_score(s, Points(10_000)).to_string(), "6.2");
        // 2/3 of the points: 6.666… → 6.7.
        let s = Score::of(Points(3_000), 2, 3);
        assert_eq!(Mark10::from_score(s, Points(3_000)).to_string(), "6.7");
        assert_eq!(third.to_string(), "0.333");
        assert_eq!(Score::ZERO.to_string(), "0");
    }

    #[test]
    fn points_display_is_shortest_decimal() {
        assert_eq!(Points(250).to_string(), "0.25");
        assert_eq!(Points(1000).to_string(), "1");
        assert_eq!(Points(100).to_string(), "0.1");
        assert_eq!(Points(12_500).to_string(), "12.5");
    }
}
