//! Numbers as the results page shows them, and [`Stat`]s as a number or
//! "không xác định" with the reason on hover.
//!
//! Vietnamese writes a decimal comma (`0,53`), English a point; the shared
//! crate's figures are plain `f64`s, so the separator is chosen here. A value
//! that rounds to zero is shown as `0`, never `-0`, which would read as a
//! meaningful sign on a correlation.

use examgate_shared::analysis::Stat;
use examgate_shared::points::Mark10;
use yew::prelude::*;

use crate::i18n::{I18n, Lang, ReportText, Text};

/// `value` with `decimals` decimals, in `lang`'s notation.
pub fn number(value: f64, decimals: usize, lang: Lang) -> String {
    let mut text = format!("{value:.decimals$}");
    if text.starts_with('-') && text[1..].chars().all(|c| c == '0' || c == '.') {
        text.remove(0);
    }
    localise_point(text, lang)
}

/// Points, to the milli-point the exam counts in, without trailing zeros:
/// `10`, `2,5`, `0,125`.
pub fn points(value: f64, lang: Lang) -> String {
    let text = format!("{value:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    localise_point(text.to_owned(), lang)
}

/// A decimal written with a point (as the shared crate writes marks and
/// scores) in `lang`'s notation.
pub fn localise_point(text: String, lang: Lang) -> String {
    match lang {
        Lang::Vi => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A mark on the 10-point scale, one decimal.
pub fn mark(mark: Mark10, lang: Lang) -> String {
    localise_point(mark.to_string(), lang)
}

/// What a [`Stat`] shows: its value, or the word for "undefined".
pub fn stat_text(stat: Stat, decimals: usize, lang: Lang) -> String {
    match stat {
        Stat::Defined(v) => number(v, decimals, lang),
        Stat::Undefined(_) => ReportText::Undefined.render(lang),
    }
}

/// A [`Stat`] as a `span.stat`: `data-value` holds the unrounded value for
/// tests and copying; an undefined one is `.undefined` with its reason's
/// code in `data-reason` and its explanation as the tooltip.
pub fn stat_html(i18n: &I18n, stat: Stat, decimals: usize) -> Html {
    let text = stat_text(stat, decimals, i18n.lang);
    match stat {
        Stat::Defined(v) => html! {
            <span class="stat" data-value={v.to_string()}>{ text }</span>
        },
        Stat::Undefined(reason) => html! {
            <span class="stat undefined" data-reason={reason.code()}
                title={i18n.t(Text::Report(ReportText::Reason(reason)))}>
                { text }
            </span>
        },
    }
}

#[cfg(test)]
mod tests {
    use examgate_shared::analysis::{Reason, What};

    use super::*;

    #[test]
    fn numbers_use_the_languages_separator() {
        assert_eq!(number(0.5349, 2, Lang::Vi), "0,53");
        assert_eq!(number(0.5349, 2, Lang::En), "0.53");
        assert_eq!(number(72.25, 1, Lang::Vi), "72,2");
        assert_eq!(number(-12.36, 1, Lang::En), "-12.4");
        assert_eq!(number(100.0, 0, Lang::Vi), "100");
        assert_eq!(mark(Mark10::from_tenths(85), Lang::Vi), "8,5");
        assert_eq!(mark(Mark10::from_tenths(100), Lang::En), "10.0");
        assert_eq!(points(10.0, Lang::Vi), "10");
        assert_eq!(points(2.5, Lang::Vi), "2,5");
        assert_eq!(points(0.125, Lang::En), "0.125");
    }

    #[test]
    fn a_rounded_zero_has_no_sign() {
        assert_eq!(number(-0.004, 2, Lang::Vi), "0,00");
        assert_eq!(number(-0.0, 1, Lang::En), "0.0");
        assert_eq!(number(-0.4, 0, Lang::En), "0");
        assert_eq!(number(-0.006, 2, Lang::En), "-0.01");
    }

    #[test]
    fn undefined_stats_say_so_in_both_languages() {
        let undefined = Stat::Undefined(Reason::ZeroVariance(What::Item));
        assert_eq!(stat_text(undefined, 2, Lang::Vi), "không xác định");
        assert_eq!(stat_text(undefined, 2, Lang::En), "undefined");
        assert_eq!(stat_text(Stat::Defined(0.8123), 3, Lang::Vi), "0,812");
    }
}
