//! `#bank-import`: a file, what to file its questions under, a preview
//! (`#bank-preview`) and the store button (`#bank-commit`); the report
//! (`#bank-report`) lists each question as it will be stored, or every
//! problem with its place in the file.

use examgate_shared::bank::Level;
use examgate_shared::bank::api::ImportReport;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::api::{Bank, Filing};
use super::preview::QuestionPreview;
use super::state::Status;
use super::status::StatusLine;
use super::texts::BankText;
use crate::i18n::{Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct ImportProps {
    pub bank: Bank,
    pub report: Option<std::rc::Rc<ImportReport>>,
    pub status: Option<Status>,
}

#[component]
pub fn Import(props: &ImportProps) -> Html {
    let i18n = use_i18n();
    let b = |t| i18n.t(Text::Bank(t));
    let file = use_node_ref();
    let subject = use_node_ref();
    let topic = use_node_ref();
    // Held in state: the browser must not pick a level the teacher did not.
    let level = use_state(String::new);
    let pick_level = {
        let level = level.clone();
        Callback::from(move |e: Event| {
            level.set(
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value(),
            )
        })
    };
    let send = |dry_run: bool| {
        let (bank, file, subject, topic, level) = (
            props.bank.clone(),
            file.clone(),
            subject.clone(),
            topic.clone(),
            level.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let value = |r: &NodeRef| {
                r.cast::<HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default()
            };
            let chosen = file
                .cast::<HtmlInputElement>()
                .and_then(|i| i.files())
                .and_then(|f| f.get(0));
            if let Some(chosen) = chosen {
                let filing = Filing {
                    subject: value(&subject),
                    topic: value(&topic),
                    level: (*level).clone(),
                };
                bank.import(chosen, filing, dry_run);
            }
        })
    };
    let busy = props.status == Some(Status::Busy);
    html! {
        <section id="bank-import" class="card bank-section" aria-labelledby="bank-import-title">
            <h2 id="bank-import-title">{ b(BankText::ImportTitle) }</h2>
            <p class="help">{ b(BankText::ImportHelp) }</p>
            <div class="form-row">
                <label for="bank-file">{ b(BankText::File) }</label>
                <input id="bank-file" type="file" ref={file.clone()}
                    accept=".docx,.txt,.gift,.xml,.zip" />
            </div>
            <div class="form-row">
                <label for="bank-subject">{ b(BankText::Subject) }</label>
                <input id="bank-subject" type="text" ref={subject.clone()} />
                <label for="bank-topic">{ b(BankText::Topic) }</label>
                <input id="bank-topic" type="text" ref={topic.clone()} />
                <label for="bank-level">{ b(BankText::Level) }</label>
                <select id="bank-level" onchange={pick_level}>
                    <option value="" selected={level.is_empty()}>{ b(BankText::AnyLevel) }</option>
                    { for Level::ALL.iter().map(|l| {
                        let value = format!("{l:?}");
                        html! {
                            <option selected={*level == value} value={value.clone()}>{ b(BankText::LevelName(*l)) }</option>
                        }
                    }) }
                </select>
            </div>
            <button id="bank-preview" type="button" disabled={busy} onclick={send(true)}>
                { b(BankText::Preview) }
            </button>
            <button id="bank-commit" type="button" disabled={busy} onclick={send(false)}>
                { b(BankText::Store) }
            </button>
            <StatusLine id="bank-import-status" status={props.status.clone()} />
            if let Some(report) = &props.report {
                <Report report={report.clone()} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ReportProps {
    report: std::rc::Rc<ImportReport>,
}

#[component]
fn Report(props: &ReportProps) -> Html {
    let i18n = use_i18n();
    let b = |t| i18n.t(Text::Bank(t));
    let r = &props.report;
    let problems = r.problems.iter().chain(&r.notes).map(|p| {
        html! { <li class="bank-problem">{ p.to_string() }</li> }
    });
    let questions = r.questions.iter().enumerate().map(|(i, q)| {
        html! {
            <li class="bank-preview-q" data-kind={q.item.body.kind_name()}>
                if let Some(m) = q.item.marking {
                    <span class="marking">{ b(BankText::Marking(m)) }</span>
                }
                if let Some(d) = q.duplicate_of {
                    <span class="duplicate">{ b(BankText::Duplicate(d)) }</span>
                }
                <QuestionPreview item={q.item.clone()} number={i + 1} show_key={true} />
            </li>
        }
    });
    html! {
        <div id="bank-report" data-questions={r.questions.len().to_string()}
            data-problems={r.problems.len().to_string()} data-stored={r.stored.len().to_string()}>
            <p class="summary">{ b(BankText::ReportSummary {
                questions: r.questions.len(), problems: r.problems.len(), stored: r.stored.len() }) }</p>
            if !r.problems.is_empty() {
                <p class="banner error" role="alert">{ b(BankText::Refused) }</p>
            }
            <ul class="bank-problems">{ for problems }</ul>
            <ol class="bank-preview">{ for questions }</ol>
        </div>
    }
}
