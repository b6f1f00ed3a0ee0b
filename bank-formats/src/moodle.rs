//! What GIFT and Moodle XML share because both come from Moodle: the list of
//! grade fractions Moodle accepts, how a multiple-response weighting maps
//! onto examgate's [`MultiRule`], category paths, and the two options a
//! true/false question becomes.

use std::collections::BTreeSet;

use examgate_shared::exam::{MultiRule, OptionId};

/// The options a Moodle true/false question becomes: a single-choice
/// question between these two, "true" first. A single-choice question with
/// exactly these options is written back as true/false.
pub(crate) const TRUE_OPTION: &str = "Đúng";
pub(crate) const FALSE_OPTION: &str = "Sai";

/// One grade fraction, in units of 10⁻⁷ (Moodle keeps seven decimals):
/// 10 000 000 is 100 %.
pub(crate) type Fraction = i64;

pub(crate) const FULL: Fraction = 10_000_000;

/// The positive fractions Moodle accepts (each also negated, and 0).
const ALLOWED: [Fraction; 20] = [
    10_000_000, 9_000_000, 8_333_333, 8_000_000, 7_500_000, 7_000_000, 6_666_667, 6_000_000,
    5_000_000, 4_000_000, 3_333_333, 3_000_000, 2_500_000, 2_000_000, 1_666_667, 1_428_571,
    1_250_000, 1_111_111, 1_000_000, 500_000,
];

/// How far a written weight may be from a listed one (Moodle's 0.00001).
const SLACK: Fraction = 100;

/// A weight written as a percentage (`33.33333`, `-50`, `100`) snapped to
/// Moodle's list, or why it is not on it.
pub(crate) fn percent_to_fraction(text: &str) -> Result<Fraction, String> {
    let value = examgate_shared::numeric::Decimal::parse(text)
        .ok()
        .filter(|_| !text.contains(','))
        .ok_or_else(|| format!("the weight {text:?} is not a number"))?;
    // percent · 10⁵ is the fraction in units of 10⁻⁷, rounded to the nearest unit.
    let scaled = i128::from(value.mantissa) * 100_000;
    let divisor = 10i128.pow(value.scale);
    let units = (scaled + scaled.signum() * divisor / 2) / divisor;
    let snapped = ALLOWED
        .iter()
        .flat_map(|&f| [f, -f])
        .chain([0])
        .find(|&f| (i128::from(f) - units).abs() <= i128::from(SLACK));
    snapped.ok_or_else(|| {
        format!(
            "the weight {text}% is not one Moodle allows (100, 90, 83.33333, 80, 75, 70, \
             66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5, 11.11111, \
             10, 5, their negatives, or 0)"
        )
    })
}

/// The share each of `k` right options gets, as Moodle lists it.
pub(crate) fn share(k: usize) -> Fraction {
    let k = Fraction::try_from(k.max(1)).unwrap_or(1);
    (FULL + k / 2) / k
}

/// A fraction as the percentage Moodle writes: `33.33333`, `-50`, `12.5`.
pub(crate) fn percent_text(fraction: Fraction) -> String {
    let sign = if fraction < 0 { "-" } else { "" };
    let units = fraction.unsigned_abs();
    let whole = units / 100_000;
    let decimals = format!("{:05}", units % 100_000);
    let decimals = decimals.trim_end_matches('0');
    if decimals.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{decimals}")
    }
}

/// A multiple-response question read from per-option fractions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MultiKey {
    pub keys: BTreeSet<OptionId>,
    pub rule: MultiRule,
    /// Set when wrong options were weighted −100 % and now cost one right
    /// option's share (said to the teacher as a note).
    pub softened: bool,
}

/// Maps Moodle's weights onto examgate's one partial-credit rule: the right
/// options share 100 % equally (`100/k` each) and every wrong option takes
/// one share back (`−100/k`), or −100 %, read as `−100/k`. Anything else
/// (wrong options at 0 %, unequal shares, a right option with a penalty)
/// has no examgate equivalent and is refused with the reason.
pub(crate) fn multi_key(fractions: &[Fraction]) -> Result<MultiKey, String> {
    let keys: BTreeSet<OptionId> = fractions
        .iter()
        .enumerate()
        .filter(|(_, f)| **f > 0)
        .filter_map(|(i, _)| u8::try_from(i).ok().map(OptionId))
        .collect();
    let k = keys.len();
    if k == 0 {
        return Err("no option has a positive weight, so none is right".into());
    }
    let each = share(k);
    if fractions.iter().any(|f| *f > 0 && *f != each) {
        return Err(format!(
            "the right options must share 100 % equally ({}% each for {k} right options); \
             examgate gives every right option the same share",
            percent_text(each)
        ));
    }
    let wrong: Vec<Fraction> = fractions.iter().copied().filter(|f| *f <= 0).collect();
    if wrong.contains(&0) {
        return Err(format!(
            "a wrong option weighted 0 % lets a candidate who ticks every box get full marks; \
             weight each wrong option -{}% (examgate's right-minus-wrong rule), or give the \
             question a single right answer",
            percent_text(each)
        ));
    }
    if let Some(bad) = wrong.iter().find(|f| **f != -each && **f != -FULL) {
        return Err(format!(
            "a wrong option weighted {}% has no examgate equivalent; weight each wrong option \
             -{}% (examgate's right-minus-wrong rule)",
            percent_text(*bad),
            percent_text(each)
        ));
    }
    Ok(MultiKey {
        keys,
        rule: MultiRule::RightMinusWrong,
        softened: k > 1 && wrong.contains(&-FULL),
    })
}

/// The key of a single-choice question: exactly one option at 100 %, the
/// others at 0 % (examgate has no partial credit or penalty there).
pub(crate) fn single_key(fractions: &[Fraction]) -> Result<OptionId, String> {
    let right: Vec<usize> = (0..fractions.len())
        .filter(|&i| fractions[i] == FULL)
        .collect();
    if right.len() != 1 {
        return Err(format!(
            "{} options are marked right; a single-choice question has exactly one",
            right.len()
        ));
    }
    if let Some(i) = (0..fractions.len()).find(|&i| fractions[i] != FULL && fractions[i] != 0) {
        return Err(format!(
            "option {} is weighted {}%; examgate gives single-choice questions no partial \
             credit or penalty (weight it 0%)",
            OptionId(u8::try_from(i).unwrap_or(0)).letter(),
            percent_text(fractions[i])
        ));
    }
    Ok(OptionId(u8::try_from(right[0]).unwrap_or(0)))
}

/// The note given when [`MultiKey::softened`] is set.
pub(crate) fn softened_note(k: usize) -> String {
    format!(
        "wrong options weighted -100% are read as -{}% each (examgate's right-minus-wrong \
         rule): a wrong tick costs one right option's share, not the whole question",
        percent_text(share(k))
    )
}

/// A Moodle category path (`$course$/top/Toán//Lý/Đại số`) as examgate keeps
/// it: the context (`$course$`, `$system$`, …) and `top` dropped, parts
/// trimmed, a slash inside a name still written `//`. `None` for the root.
pub(crate) fn category_path(raw: &str) -> Option<String> {
    let mut parts: Vec<String> = split_category(raw)
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    if parts
        .first()
        .is_some_and(|p| p.starts_with('$') && p.ends_with('$') && p.len() > 1)
    {
        parts.remove(0);
    }
    if parts.first().is_some_and(|p| p == "top") {
        parts.remove(0);
    }
    if parts.is_empty() {
        return None;
    }
    let escaped: Vec<String> = parts.iter().map(|p| p.replace('/', "//")).collect();
    Some(escaped.join("/"))
}

/// Splits on `/`, reading `//` as a slash inside a name.
fn split_category(raw: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '/' {
            if chars.peek() == Some(&'/') {
                chars.next();
                if let Some(p) = parts.last_mut() {
                    p.push('/');
                }
            } else {
                parts.push(String::new());
            }
        } else {
            if let Some(p) = parts.last_mut() {
                p.push(c);
            }
        }
    }
    parts
}

/// The path written back for Moodle: `$course$/top` and the category.
pub(crate) fn moodle_category(category: Option<&str>) -> String {
    match category {
        Some(path) => format!("$course$/top/{path}"),
        None => "$course$/top".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_snap_to_moodles_list_or_are_refused() {
        assert_eq!(percent_to_fraction("33.33333"), Ok(3_333_333));
        assert_eq!(percent_to_fraction("33.333"), Ok(3_333_333));
        assert_eq!(percent_to_fraction("-100"), Ok(-FULL));
        assert_eq!(percent_to_fraction("12.5"), Ok(1_250_000));
        assert!(percent_to_fraction("33").is_err());
        assert!(percent_to_fraction("abc").is_err());
        assert_eq!(percent_text(3_333_333), "33.33333");
        assert_eq!(percent_text(-5_000_000), "-50");
        assert_eq!(percent_text(1_250_000), "12.5");
        for k in 1..=8 {
            assert_eq!(percent_to_fraction(&percent_text(share(k))), Ok(share(k)));
        }
    }

    #[test]
    fn only_equal_shares_with_penalties_map_to_right_minus_wrong() {
        let half = share(2);
        let key = multi_key(&[half, -half, half]).unwrap();
        assert_eq!(key.keys, BTreeSet::from([OptionId(0), OptionId(2)]));
        assert!(!key.softened);
        assert!(multi_key(&[half, -FULL, half]).unwrap().softened);
        assert!(!multi_key(&[FULL, -FULL]).unwrap().softened);
        assert!(
            multi_key(&[half, 0, half])
                .unwrap_err()
                .contains("ticks every box")
        );
        assert!(multi_key(&[7_500_000, -half, 2_500_000]).is_err());
        assert!(multi_key(&[half, -2_500_000, half]).is_err());
        assert!(multi_key(&[0, 0]).is_err());
    }

    #[test]
    fn category_paths_drop_the_context_and_top() {
        assert_eq!(
            category_path("$course$/top/Toán/Đại số").as_deref(),
            Some("Toán/Đại số")
        );
        assert_eq!(category_path("top/A//B/ C ").as_deref(), Some("A//B/C"));
        assert_eq!(category_path("$course$/top"), None);
        assert_eq!(category_path("Default"), Some("Default".into()));
        assert_eq!(moodle_category(Some("A//B")), "$course$/top/A//B");
    }
}
