//! `#histogram`: the score distribution as inline SVG, one
//! `rect.bar[data-from][data-count]` per bin of 0.5 on the 10-point scale,
//! with labelled axes.
//!
//! Plain SVG, no chart library: twenty rectangles do not need one, and the
//! page stays small for school networks. The SVG scales with its box
//! (`viewBox`), so the numbers below are in its own units.

use examgate_shared::analysis::ScoreBin;
use yew::prelude::*;

use super::format::number;
use crate::i18n::{ReportText, Text, use_i18n};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 280.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 52.0;

#[derive(Properties, PartialEq)]
pub struct HistogramProps {
    pub bins: Vec<ScoreBin>,
}

/// A tick step for counts up to `max` giving at most five ticks: 1, 2 or 5
/// times a power of ten.
pub fn tick_step(max: u32) -> u32 {
    let mut power = 1u32;
    loop {
        for step in [power, 2 * power, 5 * power] {
            if max.div_ceil(step) <= 5 {
                return step;
            }
        }
        power = power.saturating_mul(10);
    }
}

#[component]
pub fn Histogram(props: &HistogramProps) -> Html {
    let i18n = use_i18n();
    let r = |t| i18n.t(Text::Report(t));
    let lang = i18n.lang;
    let bins = &props.bins;
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let step = tick_step(bins.iter().map(|b| b.count).max().unwrap_or(0).max(1));
    // The axis ends on a tick, so the tallest bar never touches the top.
    let top_count = bins
        .iter()
        .map(|b| b.count)
        .max()
        .unwrap_or(0)
        .max(1)
        .div_ceil(step)
        * step;
    let bar_w = plot_w / bins.len().max(1) as f64;
    let y_of = |count: u32| TOP + plot_h * (1.0 - f64::from(count) / f64::from(top_count));
    let base = TOP + plot_h;

    let bars = bins.iter().enumerate().map(|(i, bin)| {
        let from = f64::from(bin.from_tenths) / 10.0;
        let to = f64::from(bin.to_tenths) / 10.0;
        let y = y_of(bin.count);
        let title = ReportText::Bin {
            from: number(from, 1, lang),
            to: number(to, 1, lang),
            count: bin.count,
            last: i + 1 == bins.len(),
        };
        html! {
            <rect class="bar" x={fmt(LEFT + bar_w * i as f64 + 1.0)} y={fmt(y)}
                width={fmt(bar_w - 2.0)} height={fmt(base - y)}
                data-from={format!("{from:.1}")} data-to={format!("{to:.1}")}
                data-count={bin.count.to_string()}>
                <title>{ r(title) }</title>
            </rect>
        }
    });
    let y_ticks = (0..=top_count / step).map(|k| {
        let count = k * step;
        let y = y_of(count);
        html! {
            <g class="tick y">
                <line x1={fmt(LEFT - 4.0)} x2={fmt(WIDTH - RIGHT)} y1={fmt(y)} y2={fmt(y)} />
                <text x={fmt(LEFT - 8.0)} y={fmt(y + 4.0)} text-anchor="end">{ count }</text>
            </g>
        }
    });
    // Every whole mark: 0, 1, …, 10 (every other bin edge).
    let x_ticks = (0..=10).map(|mark| {
        let x = LEFT + plot_w * f64::from(mark) / 10.0;
        html! {
            <g class="tick x">
                <line x1={fmt(x)} x2={fmt(x)} y1={fmt(base)} y2={fmt(base + 4.0)} />
                <text x={fmt(x)} y={fmt(base + 18.0)} text-anchor="middle">{ mark }</text>
            </g>
        }
    });
    let y_title_x = 16.0;
    let y_title_y = TOP + plot_h / 2.0;

    html! {
        <section class="card histogram-panel" aria-labelledby="histogram-title">
            <h2 id="histogram-title">{ r(ReportText::HistogramTitle) }</h2>
            <svg id="histogram" class="chart histogram" role="img"
                viewBox={format!("0 0 {WIDTH} {HEIGHT}")}
                aria-label={r(ReportText::HistogramTitle)}>
                <g class="grid">{ for y_ticks }</g>
                <g class="bars">{ for bars }</g>
                <line class="axis" x1={fmt(LEFT)} x2={fmt(WIDTH - RIGHT)} y1={fmt(base)} y2={fmt(base)} />
                <line class="axis" x1={fmt(LEFT)} x2={fmt(LEFT)} y1={fmt(TOP)} y2={fmt(base)} />
                <g class="ticks">{ for x_ticks }</g>
                <text class="axis-title x" x={fmt(LEFT + plot_w / 2.0)} y={fmt(HEIGHT - 8.0)}
                    text-anchor="middle">
                    { r(ReportText::HistogramX) }
                </text>
                <text class="axis-title y" x={fmt(y_title_x)} y={fmt(y_title_y)} text-anchor="middle"
                    transform={format!("rotate(-90 {y_title_x} {y_title_y})")}>
                    { r(ReportText::HistogramY) }
                </text>
            </svg>
        </section>
    }
}

/// SVG coordinates to a tenth of a unit: enough on any screen, and short.
fn fmt(v: f64) -> String {
    format!("{v:.1}")
}

#[cfg(test)]
mod tests {
    use super::tick_step;

    #[test]
    fn ticks_are_round_and_few() {
        assert_eq!(tick_step(1), 1);
        assert_eq!(tick_step(5), 1);
        assert_eq!(tick_step(6), 2);
        assert_eq!(tick_step(10), 2);
        assert_eq!(tick_step(11), 5);
        assert_eq!(tick_step(25), 5);
        assert_eq!(tick_step(26), 10);
        assert_eq!(tick_step(480), 100);
    }
}
