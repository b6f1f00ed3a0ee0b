//! `#results-view`: the report on show, whichever its source
//! (`data-source="sitting"` or `"import"`, `data-state` while loading): a
//! heading with the exports (`#export-csv`, `#export-json`) and the printed
//! report (`#print-report`: heading, statistics, histogram and item table on
//! A4, without the controls and the candidates), the test statistics, the
//! histogram, the item table, the open item's option chart and the
//! candidates.

use yew::prelude::*;

use super::api::{download, results_csv, results_json};
use super::histogram::Histogram;
use super::item_table::ItemTable;
use super::option_chart::OptionChart;
use super::result_rows::ResultRows;
use super::state::{Load, Report, ResultsAction, ResultsState, Sort, Source};
use super::test_stats::TestStatsPanel;
use crate::i18n::{ReportText, Text, use_i18n};
use crate::print::{REPORT, print_only};

#[derive(Properties, PartialEq)]
pub struct ResultsViewProps {
    pub source: Option<Source>,
    pub report: Load<Report>,
    pub sort: Sort,
    pub selected: Option<usize>,
    pub dispatcher: UseReducerDispatcher<ResultsState>,
}

/// The downloads' file name, without extension.
fn file_stem(source: Source) -> String {
    match source {
        Source::Sitting(id) => format!("results-{id}"),
        Source::Import => "results-import".to_owned(),
    }
}

#[component]
pub fn ResultsView(props: &ResultsViewProps) -> Html {
    let i18n = use_i18n();
    let r = |t| i18n.t(Text::Report(t));
    let Some(source) = props.source else {
        return html! { <p id="results-hint" class="waiting">{ r(ReportText::PickSitting) }</p> };
    };
    let body = match &props.report {
        Load::Idle | Load::Loading => {
            html! { <p class="waiting">{ r(ReportText::ResultsLoading) }</p> }
        }
        Load::Failed(problem) => html! {
            <p id="results-error" class="error" role="alert" data-code={problem.data_code()}>
                { i18n.t(Text::Problem(*problem)) }
            </p>
        },
        Load::Ready(report) => report_view(props, source, report),
    };
    html! {
        <section id="results-view" class="results-view" data-source={source.name()}
            data-state={props.report.state_name()}
            data-sitting-id={match source { Source::Sitting(id) => Some(id.to_string()), Source::Import => None }}>
            { body }
        </section>
    }
}

fn report_view(props: &ResultsViewProps, source: Source, report: &Report) -> Html {
    let dispatcher = &props.dispatcher;
    let stem = file_stem(source);
    let export_csv = {
        let (report, name) = (report.clone(), format!("{stem}.csv"));
        Callback::from(move |_: MouseEvent| {
            download(&name, "text/csv;charset=utf-8", &results_csv(&report));
        })
    };
    let export_json = {
        let (report, name) = (report.clone(), format!("{stem}.json"));
        Callback::from(move |_: MouseEvent| {
            download(&name, "application/json", &results_json(&report));
        })
    };
    html! {
        <>
            <ReportHeading {source} report={report.clone()} {export_csv} {export_json} />
            <div class="report-top">
                <TestStatsPanel stats={report.analysis.test.clone()} />
                <Histogram bins={report.analysis.test.histogram.clone()} />
            </div>
            <ItemTable report={report.clone()} sort={props.sort} selected={props.selected}
                on_sort={dispatcher.to_callback().reform(ResultsAction::SortBy)}
                on_select={dispatcher.to_callback().reform(ResultsAction::Select)} />
            if let Some(item) = props.selected {
                <OptionChart report={report.clone()} {item}
                    on_close={dispatcher.to_callback().reform(|()| ResultsAction::CloseItem)} />
            }
            <ResultRows report={report.clone()} />
        </>
    }
}

#[derive(Properties, PartialEq)]
struct ReportHeadingProps {
    source: Source,
    report: Report,
    export_csv: Callback<MouseEvent>,
    export_json: Callback<MouseEvent>,
}

/// The report's title, its size, and the two downloads.
#[component]
fn ReportHeading(props: &ReportHeadingProps) -> Html {
    let i18n = use_i18n();
    let r = |t| i18n.t(Text::Report(t));
    let title = match props.source {
        Source::Sitting(_) => props.report.title.clone(),
        Source::Import => r(ReportText::ImportedTitle),
    };
    html! {
        <header class="report-head">
            <div>
                <h2 id="results-title">{ title }</h2>
                <p class="hint">
                    if !props.report.exam_id.is_empty() {
                        <span class="exam-code">{ props.report.exam_id.clone() }</span>{ " · " }
                    }
                    <span id="results-count">{ r(ReportText::Candidates(props.report.rows.len())) }</span>
                </p>
            </div>
            <div class="exports">
                <button id="export-csv" type="button" onclick={props.export_csv.clone()}>
                    { r(ReportText::ExportCsv) }
                </button>
                <button id="export-json" type="button" onclick={props.export_json.clone()}>
                    { r(ReportText::ExportJson) }
                </button>
                <button id="print-report" type="button"
                    onclick={Callback::from(|_: MouseEvent| print_only(REPORT))}>
                    { r(ReportText::PrintReport) }
                </button>
            </div>
        </header>
    }
}
