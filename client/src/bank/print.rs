//! `#paper-print`: a built paper as printed for a room that falls back to
//! paper — every version ("mã đề") as its candidates would see it, then its
//! answer key — with a print button; printing shows only this block, each
//! version on new pages.

use std::rc::Rc;

use examgate_shared::bank::print::PrintedVersion;
use examgate_shared::paper::PaperBody;
use yew::prelude::*;

use super::api::Bank;
use super::texts::BankText;
use crate::i18n::{Text, use_i18n};
use crate::rich_text::rich_text;

#[derive(Properties, PartialEq)]
pub struct PrintProps {
    pub bank: Bank,
    pub versions: Rc<Vec<PrintedVersion>>,
}

#[component]
pub fn PaperPrint(props: &PrintProps) -> Html {
    let i18n = use_i18n();
    let b = |t| i18n.t(Text::Bank(t));
    let print = Callback::from(|_: MouseEvent| {
        let _ = gloo::utils::window().print();
    });
    let close = {
        let bank = props.bank.clone();
        Callback::from(move |_: MouseEvent| bank.close_print())
    };
    let versions = props.versions.iter().map(|v| {
        let paper = &v.paper;
        let code = paper.version.map(|n| n.to_string()).unwrap_or_default();
        let sections = paper.sections.iter().map(|s| {
            let questions = paper.questions[s.first..s.first + s.count].iter().enumerate().map(|(i, q)| {
                let number = s.first + i + 1;
                let body = match &q.body {
                    PaperBody::SingleChoice { options } | PaperBody::MultipleResponse { options } => html! {
                        <ol class="print-options" type="A">
                            { for options.iter().map(|o| html! { <li>{ rich_text(&o.text) }</li> }) }
                        </ol>
                    },
                    PaperBody::TrueFalse { statements } => html! {
                        <ol class="print-statements" type="a">
                            { for statements.iter().map(|st| html! { <li>{ rich_text(st) }</li> }) }
                        </ol>
                    },
                    PaperBody::Numeric => html! { <p class="print-blank">{ b(BankText::AnswerBlank) }</p> },
                };
                html! {
                    <li class="print-question" value={number.to_string()}>
                        <span class="print-number">{ b(BankText::QuestionNumber(number)) }</span>
                        { rich_text(&q.text) }
                        { body }
                    </li>
                }
            });
            html! {
                <section class="print-section">
                    if !s.title.is_empty() { <h3>{ s.title.clone() }</h3> }
                    <ol class="print-questions">{ for questions }</ol>
                </section>
            }
        });
        html! {
            <>
                <article class="print-doc paper-version" data-version={code.clone()}>
                    <header class="print-head">
                        <h2>{ paper.title.clone() }</h2>
                        <p>
                            { b(BankText::Minutes) }{ format!(": {}", paper.duration_secs / 60) }
                            if !code.is_empty() { { " — " }<b>{ b(BankText::VersionCode(code.clone())) }</b> }
                        </p>
                    </header>
                    { for sections }
                    <p class="print-end">{ "----- HẾT -----" }</p>
                </article>
                <article class="print-doc answer-key-doc" data-version={code.clone()}>
                    <h2>{ b(BankText::AnswerKeyTitle) }{ if code.is_empty() { String::new() } else { format!(" — {code}") } }</h2>
                    <table class="answer-key">
                        <tbody>
                            { for v.key.iter().enumerate().map(|(i, k)| html! {
                                <tr><td>{ i + 1 }</td><td class="key">{ k.clone() }</td></tr>
                            }) }
                        </tbody>
                    </table>
                </article>
            </>
        }
    });
    html! {
        <section id="paper-print" class="card bank-section" data-versions={props.versions.len().to_string()}>
            <div class="no-print">
                <button id="print-now" type="button" onclick={print}>{ b(BankText::PrintNow) }</button>
                <button id="print-close" type="button" onclick={close}>{ b(BankText::CloseEditor) }</button>
            </div>
            { for versions }
        </section>
    }
}
