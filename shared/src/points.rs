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
    fn points_display_is_shortest_decimal() {
        assert_eq!(Points(250).to_string(), "0.25");
        assert_eq!(Points(1000).to_string(), "1");
        assert_eq!(Points(100).to_string(), "0.1");
        assert_eq!(Points(12_500).to_string(), "12.5");
    }
}
