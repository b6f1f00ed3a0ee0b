//! `#test-stats`: the statistics of the totals, one `[data-stat]` row each.
//!
//! The mean and SD come first on the 10-point scale, the scale teachers and
//! students talk in; the point figures follow for checking against the
//! paper. Every figure that can be undefined is a [`Stat`] and shows why.

use examgate_shared::analysis::{Stat, TestStats};
use yew::prelude::*;

use super::format::{points, stat_html};
use crate::i18n::{I18n, ReportText, Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct TestStatsProps {
    pub stats: TestStats,
}

/// One figure: a plain count or amount, or a statistic with its decimals.
enum Figure {
    Plain(String),
    Stat(Stat, usize),
}

#[component]
pub fn TestStatsPanel(props: &TestStatsProps) -> Html {
    let i18n = use_i18n();
    let t = &props.stats;
    let lang = i18n.lang;
    let rows = [
        (
            "attempts",
            ReportText::StatAttempts,
            Figure::Plain(t.attempts.to_string()),
        ),
        (
            "items",
            ReportText::StatItems,
            Figure::Plain(t.items.to_string()),
        ),
        (
            "max_points",
            ReportText::StatMaxPoints,
            Figure::Plain(points(t.max_points, lang)),
        ),
        (
            "mean_mark10",
            ReportText::StatMean10,
            Figure::Stat(t.mean_mark10, 2),
        ),
        (
            "sd_mark10",
            ReportText::StatSd10,
            Figure::Stat(t.sd_mark10, 2),
        ),
        ("mean", ReportText::StatMean, Figure::Stat(t.mean, 2)),
        ("median", ReportText::StatMedian, Figure::Stat(t.median, 2)),
        ("sd", ReportText::StatSd, Figure::Stat(t.sd, 2)),
        (
            "skewness",
            ReportText::StatSkewness,
            Figure::Stat(t.skewness, 2),
        ),
        (
            "excess_kurtosis",
            ReportText::StatKurtosis,
            Figure::Stat(t.excess_kurtosis, 2),
        ),
        ("alpha", ReportText::StatAlpha, Figure::Stat(t.alpha, 2)),
        ("sem", ReportText::StatSem, Figure::Stat(t.sem, 2)),
        (
            "error_ratio_pct",
            ReportText::StatErrorRatio,
            Figure::Stat(t.error_ratio_pct, 1),
        ),
        (
            "group_size",
            ReportText::StatGroupSize,
            Figure::Plain(t.group_size.to_string()),
        ),
    ];
    let rows = rows
        .into_iter()
        .map(|(code, label, figure)| row(&i18n, code, label, figure));
    html! {
        <section id="test-stats" class="card test-stats" aria-labelledby="test-stats-title">
            <h2 id="test-stats-title">{ i18n.t(Text::Report(ReportText::TestStatsTitle)) }</h2>
            <dl class="stats">{ for rows }</dl>
        </section>
    }
}

fn row(i18n: &I18n, code: &'static str, label: ReportText, figure: Figure) -> Html {
    let value = match figure {
        Figure::Plain(text) => html! { <span class="stat">{ text }</span> },
        Figure::Stat(stat, decimals) => stat_html(i18n, stat, decimals),
    };
    html! {
        <div class="stat-row" data-stat={code}>
            <dt>{ i18n.t(Text::Report(label)) }</dt>
            <dd>{ value }</dd>
        </div>
    }
}
