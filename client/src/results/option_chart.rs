//! `#option-chart`: the distractor analysis of one item as inline SVG.
//!
//! Per option (`g.option[data-option]`, the unanswered row last), three
//! bars: the share of everyone, of the upper 27 % and of the lower 27 %
//! who chose it (`rect.share.everyone|upper|lower[data-pct]`), and the
//! option's point-biserial on the right. The key is `.key`. A working item
//! reads as: the key's upper bar long and its lower bar short, each
//! distractor the other way round, and only the key with a positive
//! correlation.
//!
//! Items that are not single choice have no options; the chart then says so
//! and gives the upper and lower groups' facility instead.

use examgate_shared::analysis::{ItemStats, OptionStats, Stat, UNANSWERED};
use yew::prelude::*;

use super::format::{number, stat_text};
use super::item_table::question_id;
use super::state::Report;
use crate::i18n::{I18n, ReportText, Text, use_i18n};

const WIDTH: f64 = 640.0;
/// The option labels' column.
const LABEL_W: f64 = 120.0;
/// The bars' length at 100 %.
const BAR_AREA: f64 = 330.0;
const BAR_H: f64 = 14.0;
const GROUP_GAP: f64 = 16.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = 30.0;

#[derive(Properties, PartialEq)]
pub struct OptionChartProps {
    pub report: Report,
    /// Index into `analysis.items`.
    pub item: usize,
    pub on_close: Callback<()>,
}

#[component]
pub fn OptionChart(props: &OptionChartProps) -> Html {
    let i18n = use_i18n();
    let r = |t| i18n.t(Text::Report(t));
    let Some(item) = props.report.analysis.items.get(props.item) else {
        return Html::default();
    };
    let qid = question_id(&props.report.questions, props.item);
    let options: Vec<&OptionStats> = item.options.iter().chain(&item.unanswered).collect();
    let body = if options.is_empty() {
        no_options(&i18n, item)
    } else {
        chart(&i18n, &options)
    };
    html! {
        <section id="option-chart" class="card option-chart" data-qid={qid.to_string()}
            aria-labelledby="option-chart-title">
            <div class="panel-head">
                <h2 id="option-chart-title">{ r(ReportText::OptionsTitle(qid)) }</h2>
                <button id="option-chart-close" type="button" class="link"
                    onclick={props.on_close.reform(|_: MouseEvent| ())}>
                    { i18n.t(Text::Dismiss) }
                </button>
            </div>
            { body }
        </section>
    }
}

fn no_options(i18n: &I18n, item: &ItemStats) -> Html {
    let lang = i18n.lang;
    html! {
        <>
            <p class="hint">{ i18n.t(Text::Report(ReportText::NoOptions)) }</p>
            <p class="group-facility">
                { i18n.t(Text::Report(ReportText::GroupFacility {
                    upper: stat_text(item.upper_facility_pct, 1, lang),
                    lower: stat_text(item.lower_facility_pct, 1, lang),
                })) }
            </p>
        </>
    }
}

/// The three series, in the order they are drawn within an option.
const SERIES: [(&str, ReportText); 3] = [
    ("everyone", ReportText::Everyone),
    ("upper", ReportText::UpperGroup),
    ("lower", ReportText::LowerGroup),
];

fn chart(i18n: &I18n, options: &[&OptionStats]) -> Html {
    let lang = i18n.lang;
    let r = |t| i18n.t(Text::Report(t));
    let group_h = BAR_H * 3.0 + GROUP_GAP;
    let height = TOP + group_h * options.len() as f64 + BOTTOM;
    let bars_x = LABEL_W;
    let pb_x = LABEL_W + BAR_AREA + 64.0;

    let groups = options.iter().enumerate().map(|(i, option)| {
        let y0 = TOP + group_h * i as f64;
        let name = if option.option == UNANSWERED {
            r(ReportText::Blank)
        } else {
            char::from(b'A' + option.option.min(25)).to_string()
        };
        let data_option = if option.option == UNANSWERED {
            "blank".to_owned()
        } else {
            name.clone()
        };
        let label = if option.is_key {
            format!("{name} ({})", r(ReportText::KeyMark))
        } else {
            name
        };
        let shares = [option.share_pct, option.upper_share_pct, option.lower_share_pct];
        let bars = SERIES.iter().zip(shares).enumerate().map(|(k, ((class, _), share))| {
            let y = y0 + BAR_H * k as f64;
            let pct = share.value().unwrap_or(0.0).clamp(0.0, 100.0);
            let w = BAR_AREA * pct / 100.0;
            let value = match share {
                Stat::Defined(v) => format!("{} %", number(v, 1, lang)),
                Stat::Undefined(_) => stat_text(share, 1, lang),
            };
            html! {
                <g class={classes!("series", *class)}>
                    <rect class={classes!("share", *class)} x={fmt(bars_x)} y={fmt(y + 1.0)}
                        width={fmt(w)} height={fmt(BAR_H - 2.0)}
                        data-pct={share.value().map(|v| v.to_string())}>
                        <title>{ format!("{}: {value}", r(SERIES[k].1.clone())) }</title>
                    </rect>
                    <text class="value" x={fmt(bars_x + w + 4.0)} y={fmt(y + BAR_H - 3.0)}>{ value }</text>
                </g>
            }
        });
        let pb = option.point_biserial_pct;
        let pb_title = match pb {
            Stat::Undefined(reason) => Some(i18n.t(Text::Report(ReportText::Reason(reason)))),
            Stat::Defined(_) => None,
        };
        html! {
            <g class={classes!("option", option.is_key.then_some("key"))}
                data-option={data_option} data-key={option.is_key.to_string()}>
                if option.is_key {
                    <rect class="key-band" x="0" y={fmt(y0 - 3.0)} width={fmt(WIDTH)}
                        height={fmt(BAR_H * 3.0 + 6.0)} />
                }
                <text class="option-label" x="8" y={fmt(y0 + BAR_H * 2.0 - 3.0)}>{ label }</text>
                { for bars }
                <text class={classes!("pb", pb.is_defined().then_some("defined"))}
                    x={fmt(pb_x)} y={fmt(y0 + BAR_H * 2.0 - 3.0)}
                    data-value={pb.value().map(|v| v.to_string())}>
                    if let Some(title) = pb_title {
                        <title>{ title }</title>
                    }
                    { r(ReportText::OptionPb(stat_text(pb, 1, lang))) }
                </text>
            </g>
        }
    });
    let axis_y = height - BOTTOM + 4.0;
    let ticks = (0..=4).map(|k| {
        let pct = 25 * k;
        let x = bars_x + BAR_AREA * f64::from(pct) / 100.0;
        html! {
            <g class="tick x">
                <line x1={fmt(x)} x2={fmt(x)} y1={fmt(TOP - 6.0)} y2={fmt(axis_y)} />
                <text x={fmt(x)} y={fmt(axis_y + 14.0)} text-anchor="middle">{ pct }</text>
            </g>
        }
    });
    let legend = SERIES.iter().map(|(class, text)| {
        html! {
            <li class={classes!("legend", *class)}>
                <span class={classes!("swatch", *class)}></span>{ r(text.clone()) }
            </li>
        }
    });
    html! {
        <>
            <ul class="chart-legend">{ for legend }</ul>
            <svg class="chart options" role="img" viewBox={format!("0 0 {WIDTH} {height}")}
                aria-label={r(ReportText::ShareAxis)}>
                <g class="grid">{ for ticks }</g>
                { for groups }
                <text class="axis-title x" x={fmt(bars_x + BAR_AREA / 2.0)} y={fmt(height - 2.0)}
                    text-anchor="middle">
                    { r(ReportText::ShareAxis) }
                </text>
            </svg>
        </>
    }
}

fn fmt(v: f64) -> String {
    format!("{v:.1}")
}
