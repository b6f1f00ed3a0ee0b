//! `#import`: answer sheets from elsewhere, analysed in the browser.
//!
//! Two files (`#import-key`, `#import-responses`), each read into an
//! editable text area (`#import-key-text`, `#import-responses-text`) so a
//! teacher can also paste or fix a line; `#import-run` runs the shared
//! importer through the reducer ([`ResultsAction::RunImport`]) and the
//! report replaces whatever `#results-view` showed. A refusal is shown in
//! `#import-error` with its file, line and column. Nothing leaves the
//! computer: the relay is not involved.

use examgate_shared::import::ImportError;
use yew::prelude::*;

use super::state::{ImportField, ImportForm, ImportProblem, ResultsAction, ResultsState};
use crate::i18n::{ReportText, Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct ImportPanelProps {
    pub form: ImportForm,
    pub dispatcher: UseReducerDispatcher<ResultsState>,
}

/// The documented example pair (`docs/import-format.md`), shown in the
/// help and loadable with `#import-example`; the test below keeps it valid.
const EXAMPLE_KEY: &str = include_str!("../../../docs/examples/key.csv");
const EXAMPLE_RESPONSES: &str = include_str!("../../../docs/examples/responses.csv");

#[component]
pub fn ImportPanel(props: &ImportPanelProps) -> Html {
    let i18n = use_i18n();
    let r = |t| i18n.t(Text::Report(t));
    let run = props
        .dispatcher
        .to_callback()
        .reform(|_: MouseEvent| ResultsAction::RunImport);
    let example = {
        let dispatcher = props.dispatcher.clone();
        Callback::from(move |_: MouseEvent| {
            dispatcher.dispatch(ResultsAction::EditImport(
                ImportField::Key,
                EXAMPLE_KEY.into(),
            ));
            dispatcher.dispatch(ResultsAction::EditImport(
                ImportField::Responses,
                EXAMPLE_RESPONSES.into(),
            ));
        })
    };
    let error = props.form.problem.as_ref().map(|problem| {
        let (text, line, column) = match problem {
            ImportProblem::Unreadable(field) => (ReportText::ImportUnreadable(*field), None, None),
            ImportProblem::Refused(e) => {
                let (line, column) = location(e);
                (ReportText::ImportProblem(e.clone()), line, column)
            }
        };
        html! {
            <p id="import-error" class="error" role="alert"
                data-line={line.map(|l| l.to_string())} data-column={column.map(|c| c.to_string())}>
                { r(text) }
            </p>
        }
    });
    html! {
        <section id="import" class="card import-panel" aria-labelledby="import-title">
            <h2 id="import-title">{ r(ReportText::ImportTitle) }</h2>
            <p class="hint">{ r(ReportText::ImportIntro) }</p>
            <div class="import-files">
                <ImportFile field={ImportField::Key} id="import-key"
                    text={props.form.key.clone()} dispatcher={props.dispatcher.clone()} />
                <ImportFile field={ImportField::Responses} id="import-responses"
                    text={props.form.responses.clone()} dispatcher={props.dispatcher.clone()} />
            </div>
            <div class="import-actions">
                <button id="import-run" type="button" class="primary" onclick={run}>
                    { r(ReportText::ImportRun) }
                </button>
                <button id="import-example" type="button" onclick={example}>
                    { r(ReportText::ImportExample) }
                </button>
            </div>
            { for error }
            <details id="import-help" class="import-help">
                <summary>{ r(ReportText::FormatTitle) }</summary>
                <p>{ r(ReportText::FormatKey) }</p>
                <p>{ r(ReportText::FormatTypes) }</p>
                <p>{ r(ReportText::FormatResponses) }</p>
                <p>{ r(ReportText::FormatCells) }</p>
                <p class="example-title">{ r(ReportText::FormatExample) }</p>
                <pre class="example" data-file="key">{ EXAMPLE_KEY }</pre>
                <pre class="example" data-file="responses">{ EXAMPLE_RESPONSES }</pre>
            </details>
        </section>
    }
}

/// Line and column of a refusal, when it has them, for `data-line` and
/// `data-column`.
fn location(e: &ImportError) -> (Option<usize>, Option<usize>) {
    match e {
        ImportError::Key { line, .. } => (Some(*line), None),
        ImportError::Cell { line, column, .. } => (Some(*line), Some(*column)),
        ImportError::UnknownColumn { column, .. } => (Some(1), Some(*column)),
        ImportError::Csv(examgate_shared::csv::CsvError::StrayQuote { line }, _) => {
            (Some(*line), None)
        }
        _ => (None, None),
    }
}

#[derive(Properties, PartialEq)]
struct ImportFileProps {
    field: ImportField,
    id: &'static str,
    text: std::rc::Rc<str>,
    dispatcher: UseReducerDispatcher<ResultsState>,
}

/// One file: its picker and the text area holding what it read.
#[component]
fn ImportFile(props: &ImportFileProps) -> Html {
    let i18n = use_i18n();
    let r = |t| i18n.t(Text::Report(t));
    let field = props.field;
    let onchange = {
        let dispatcher = props.dispatcher.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            read_file(input, field, dispatcher.clone());
        })
    };
    let oninput = props.dispatcher.to_callback().reform(move |e: InputEvent| {
        let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
        ResultsAction::EditImport(field, area.value())
    });
    let text_id = format!("{}-text", props.id);
    html! {
        <div class="import-file" data-field={props.id}>
            <label for={props.id}>{ r(ReportText::ImportFile(field)) }</label>
            <input id={props.id} type="file" accept=".csv,text/csv,text/plain" {onchange} />
            <label for={text_id.clone()} class="paste-label">{ r(ReportText::ImportPaste(field)) }</label>
            <textarea id={text_id} rows="6" spellcheck="false" wrap="off"
                value={AttrValue::from(props.text.clone())} {oninput} />
        </div>
    }
}

/// Reads the chosen file as UTF-8 text (which drops a leading BOM) into the
/// form; an unreadable one (removed, locked) is reported instead.
fn read_file(
    input: web_sys::HtmlInputElement,
    field: ImportField,
    dispatcher: UseReducerDispatcher<ResultsState>,
) {
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        // The choice was cancelled: keep what was there.
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(file.text())
            .await
            .ok()
            .and_then(|v| v.as_string());
        dispatcher.dispatch(match text {
            Some(text) => ResultsAction::EditImport(field, text),
            None => ResultsAction::Unreadable(field),
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_imports() {
        let imported = examgate_shared::import::import(EXAMPLE_KEY, EXAMPLE_RESPONSES).unwrap();
        assert_eq!(imported.candidates.len(), 5);
        assert_eq!(imported.analysis.items.len(), 8);
    }

    #[test]
    fn refusals_are_located() {
        let e = examgate_shared::import::import(EXAMPLE_KEY, "candidate,1\nA,Z\n").unwrap_err();
        assert_eq!(location(&e), (Some(2), Some(2)));
        let e = examgate_shared::import::import(EXAMPLE_KEY, "candidate,9\nA,B\n").unwrap_err();
        assert_eq!(location(&e), (Some(1), Some(2)));
    }
}
