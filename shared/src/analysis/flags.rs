//! Plain-language warnings about an item, with the thresholds behind them.
//!
//! Thresholds follow the teachers' guidance in the reference (facility
//! 30–80 % is typical, a discrimination index below 20 % is suspicious,
//! negative means a likely wrong key) and the usual definition of a
//! non-functioning distractor (chosen by fewer than 5 % of candidates;
//! Haladyna & Downing 1993). Flags only mark the extremes, so a report of a
//! normal test stays short.

use serde::{Deserialize, Serialize};

/// Facility above this (percent) flags [`Flag::TooEasy`].
pub const TOO_EASY_ABOVE_PCT: f64 = 90.0;
/// Facility below this (percent) flags [`Flag::TooHard`].
pub const TOO_HARD_BELOW_PCT: f64 = 20.0;
/// A discrimination index from 0 up to this (percent, exclusive) flags
/// [`Flag::DoesNotDiscriminate`]; below 0 flags [`Flag::LikelyWrongKey`].
///
/// Discriminative efficiency below 15 % ("dubious" in Moodle) needs no rule
/// of its own: Cov_max ≤ √(Var x·Var r), so for a positive covariance
/// DE ≥ DI, and DE < 15 % already means DI < 15 %.
pub const WEAK_DISCRIMINATION_BELOW_PCT: f64 = 20.0;
/// A wrong option chosen by fewer than this share (percent) of all attempts
/// flags [`Flag::UnusedDistractor`]. Zero would be too strict: with a
/// thousand candidates somebody picks anything.
pub const UNUSED_DISTRACTOR_BELOW_PCT: f64 = 5.0;

/// A warning about one item. Serialised as `{"flag": "too_easy"}` or
/// `{"flag": "unused_distractor", "option": 2}`; the names are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum Flag {
    /// The discrimination index is negative, or (choice items) choosing the
    /// key goes with a lower total while choosing some distractor goes with a
    /// higher one: stronger students do worse, as when the key is wrong.
    LikelyWrongKey,
    /// Facility above [`TOO_EASY_ABOVE_PCT`].
    TooEasy,
    /// Facility below [`TOO_HARD_BELOW_PCT`].
    TooHard,
    /// Discrimination index in [0, [`WEAK_DISCRIMINATION_BELOW_PCT`]), or
    /// every attempt scored the same on the item.
    DoesNotDiscriminate,
    /// A wrong option chosen by under [`UNUSED_DISTRACTOR_BELOW_PCT`] of
    /// attempts: it distracts nobody.
    UnusedDistractor { option: u8 },
    /// A wrong option chosen by a larger share of the upper group than of
    /// the lower group: it attracts the strong students.
    DistractorFavoursStrong { option: u8 },
}

impl Flag {
    /// The flag's stable name, as in its JSON (`too_easy`).
    pub fn name(&self) -> &'static str {
        match self {
            Flag::LikelyWrongKey => "likely_wrong_key",
            Flag::TooEasy => "too_easy",
            Flag::TooHard => "too_hard",
            Flag::DoesNotDiscriminate => "does_not_discriminate",
            Flag::UnusedDistractor { .. } => "unused_distractor",
            Flag::DistractorFavoursStrong { .. } => "distractor_favours_strong",
        }
    }

    /// A short explanation in Vietnamese, for teachers.
    pub fn vi(&self) -> &'static str {
        match self {
            Flag::LikelyWrongKey => {
                "Có thể sai đáp án: học sinh giỏi làm câu này kém hơn học sinh yếu"
            }
            Flag::TooEasy => "Câu quá dễ: điểm trung bình trên 90 % điểm tối đa",
            Flag::TooHard => "Câu quá khó: điểm trung bình dưới 20 % điểm tối đa",
            Flag::DoesNotDiscriminate => {
                "Độ phân biệt thấp: câu hỏi hầu như không phân biệt học sinh giỏi và yếu"
            }
            Flag::UnusedDistractor { .. } => "Phương án nhiễu hầu như không ai chọn (dưới 5 %)",
            Flag::DistractorFavoursStrong { .. } => {
                "Phương án nhiễu được nhóm điểm cao chọn nhiều hơn nhóm điểm thấp"
            }
        }
    }

    /// A short explanation in English.
    pub fn en(&self) -> &'static str {
        match self {
            Flag::LikelyWrongKey => "Possibly wrong key: stronger students do worse on this item",
            Flag::TooEasy => "Too easy: the average mark is above 90 % of the maximum",
            Flag::TooHard => "Too hard: the average mark is below 20 % of the maximum",
            Flag::DoesNotDiscriminate => {
                "Weak discrimination: the item barely separates strong and weak students"
            }
            Flag::UnusedDistractor { .. } => "Distractor almost nobody chose (under 5 %)",
            Flag::DistractorFavoursStrong { .. } => {
                "Distractor chosen more by the top group than by the bottom group"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Flag;

    #[test]
    fn names_are_the_json_tags() {
        for flag in [
            Flag::LikelyWrongKey,
            Flag::TooEasy,
            Flag::TooHard,
            Flag::DoesNotDiscriminate,
            Flag::UnusedDistractor { option: 1 },
            Flag::DistractorFavoursStrong { option: 2 },
        ] {
            assert_eq!(serde_json::to_value(flag).unwrap()["flag"], flag.name());
        }
    }
}
