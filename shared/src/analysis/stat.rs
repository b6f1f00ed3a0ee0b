//! A statistic that is either a number or the reason it has none.
//!
//! Item analysis divides by variances and counts that real classes make zero
//! (everyone got the item right, a single attempt, a one-item quiz). A bare
//! `f64` would carry NaN or infinity to the teacher's screen; a [`Stat`] says
//! why instead, and serialises to JSON as `{"value": 0.53}` or
//! `{"undefined": "zero_variance_item"}` (with `needed`/`got` for counts).

use serde::{Deserialize, Serialize};

/// A statistic's value, or why it has none. Never NaN or infinite.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(into = "StatRepr", try_from = "StatRepr")]
pub enum Stat {
    Defined(f64),
    Undefined(Reason),
}

/// Why a statistic has no value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    /// The formula needs more attempts than there are.
    TooFewAttempts { needed: u32, got: u32 },
    /// The formula needs more items than there are (alpha needs two).
    TooFewItems { needed: u32, got: u32 },
    /// The test has no items at all.
    NoItems,
    /// A divisor is a variance, and it is zero.
    ZeroVariance(What),
    /// The item's covariance with the total is negative, so its square root
    /// (the effective weight) does not exist; the item is left out of the sum.
    NegativeCovariance,
}

/// Whose variance is zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum What {
    /// The item's marks: every attempt scored the same on it.
    Item,
    /// The rest score (total minus this item): e.g. a one-item test.
    Rest,
    /// The totals: every attempt has the same total.
    Totals,
    /// The option's indicator: nobody, or everybody, chose it.
    Option,
}

impl Stat {
    /// The value, if there is one.
    pub fn value(self) -> Option<f64> {
        match self {
            Stat::Defined(v) => Some(v),
            Stat::Undefined(_) => None,
        }
    }

    pub fn is_defined(self) -> bool {
        matches!(self, Stat::Defined(_))
    }

    /// `Undefined` unless `got >= needed` attempts.
    pub(crate) fn need_attempts(needed: u32, got: u64) -> Result<(), Stat> {
        if got >= u64::from(needed) {
            Ok(())
        } else {
            Err(Stat::Undefined(Reason::TooFewAttempts {
                needed,
                // `got` is below `needed`, a `u32`, so it fits.
                got: got as u32,
            }))
        }
    }

    /// Applies `f` to a defined value; an undefined one stays as it is.
    pub fn map(self, f: impl FnOnce(f64) -> f64) -> Stat {
        match self {
            Stat::Defined(v) => Stat::Defined(f(v)),
            undefined => undefined,
        }
    }
}

/// Collapses the early returns of a computation into its `Stat`.
pub(crate) fn stat(compute: impl FnOnce() -> Result<f64, Stat>) -> Stat {
    match compute() {
        Ok(v) if v.is_finite() => Stat::Defined(v),
        // Unreachable: every divisor is checked before it is used. Kept so
        // that a future formula cannot carry NaN to a screen in release.
        Ok(v) => {
            debug_assert!(false, "a statistic came out as {v}");
            Stat::Undefined(Reason::ZeroVariance(What::Totals))
        }
        Err(s) => s,
    }
}

impl Reason {
    /// The stable snake_case code used in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Reason::TooFewAttempts { .. } => "too_few_attempts",
            Reason::TooFewItems { .. } => "too_few_items",
            Reason::NoItems => "no_items",
            Reason::ZeroVariance(What::Item) => "zero_variance_item",
            Reason::ZeroVariance(What::Rest) => "zero_variance_rest",
            Reason::ZeroVariance(What::Totals) => "zero_variance_totals",
            Reason::ZeroVariance(What::Option) => "zero_variance_option",
            Reason::NegativeCovariance => "negative_covariance",
        }
    }

    fn from_code(code: &str, needed: Option<u32>, got: Option<u32>) -> Option<Reason> {
        Some(match code {
            "too_few_attempts" => Reason::TooFewAttempts {
                needed: needed?,
                got: got?,
            },
            "too_few_items" => Reason::TooFewItems {
                needed: needed?,
                got: got?,
            },
            "no_items" => Reason::NoItems,
            "zero_variance_item" => Reason::ZeroVariance(What::Item),
            "zero_variance_rest" => Reason::ZeroVariance(What::Rest),
            "zero_variance_totals" => Reason::ZeroVariance(What::Totals),
            "zero_variance_option" => Reason::ZeroVariance(What::Option),
            "negative_covariance" => Reason::NegativeCovariance,
            _ => return None,
        })
    }
}

/// The JSON shape of a [`Stat`]: exactly one of `value` and `undefined`.
#[derive(Serialize, Deserialize)]
struct StatRepr {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    undefined: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    needed: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    got: Option<u32>,
}

impl From<Stat> for StatRepr {
    fn from(stat: Stat) -> StatRepr {
        let mut repr = StatRepr {
            value: None,
            undefined: None,
            needed: None,
            got: None,
        };
        match stat {
            Stat::Defined(v) => repr.value = Some(v),
            Stat::Undefined(reason) => {
                repr.undefined = Some(reason.code().to_string());
                if let Reason::TooFewAttempts { needed, got }
                | Reason::TooFewItems { needed, got } = reason
                {
                    repr.needed = Some(needed);
                    repr.got = Some(got);
                }
            }
        }
        repr
    }
}

impl TryFrom<StatRepr> for Stat {
    type Error = String;
    fn try_from(repr: StatRepr) -> Result<Stat, String> {
        match (repr.value, repr.undefined) {
            (Some(v), None) if v.is_finite() => Ok(Stat::Defined(v)),
            (None, Some(code)) => Reason::from_code(&code, repr.needed, repr.got)
                .map(Stat::Undefined)
                .ok_or_else(|| format!("unknown or incomplete reason {code:?}")),
            _ => Err("a statistic needs exactly one of `value` and `undefined`".into()),
        }
    }
}
