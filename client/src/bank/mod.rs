//! The question bank's page (`/bank`, staff build): import the questions
//! teachers already have, search and edit them with a live preview, build a
//! paper from a blueprint with its predicted scores, open it as practice,
//! and read what every sitting taught about each question.
//!
//! Behind the staff login like the results and office pages; the relay
//! decides who sees which questions (a proctor gets `forbidden`).
//!
//! - [`state`]: the reducer; [`api`]: the relay calls; [`draft`]: the
//!   blueprint form's fields;
//! - [`import`], [`list`], [`editor`], [`paper`]: the sections;
//!   [`preview`]: a question as students see it; [`print`]: every version
//!   and its answer key on paper; [`status`]: status lines;
//! - [`texts`]: the words, vi/en.

pub mod api;
pub mod draft;
pub mod editor;
pub mod import;
pub mod list;
pub mod paper;
pub mod preview;
pub mod print;
pub mod state;
pub mod status;
pub mod texts;

use examgate_shared::protocol::Role;
use yew::prelude::*;

use crate::hooks::use_signed_out;
use crate::i18n::{Text, use_i18n};
use crate::proctor::{StaffApp, StaffPageProps, StaffTopbar};
use crate::routes;
use api::Bank;
use state::{BankState, Part};
use texts::BankText;

/// The app mounted at `/bank`.
#[component]
pub fn BankApp() -> Html {
    html! { <StaffApp<BankPage> /> }
}

/// `#bank-page`, once signed in.
#[component]
pub fn BankPage(props: &StaffPageProps) -> Html {
    let i18n = use_i18n();
    let b = |t| i18n.t(Text::Bank(t));
    let state = use_reducer(BankState::default);
    let bank = Bank::new(&props.session.token, state.dispatcher());
    use_effect_with((), {
        let bank = bank.clone();
        move |_| bank.search(String::new(), false)
    });
    use_signed_out(state.signed_out, &props.on_signed_out);
    html! {
        <div id="bank-page" class={classes!("page", "bank-page", state.printed.is_some().then_some("has-print"))}>
            <StaffTopbar title={b(BankText::PageTitle)} session={props.session.clone()}
                on_logout={props.on_logout.clone()} no_print=true>
                <a id="office-link" class="nav-link" href={routes::OFFICE_PATH}>{ b(BankText::OfficeLink) }</a>
                <a id="results-link" class="nav-link" href={routes::PATH}>{ i18n.t(Text::ResultsLink) }</a>
            </StaffTopbar>
            <import::Import bank={bank.clone()} report={state.report.clone()} status={state.status(Part::Import)} />
            <list::SearchList bank={bank.clone()} list={state.list.clone()} status={state.status(Part::Search)}
                picked={state.picked.clone()} />
            if let Some(view) = &state.editing {
                <editor::Editor bank={bank.clone()} view={view.clone()} status={state.status(Part::Editor)}
                    office={props.session.role == Role::ExamOffice} />
            }
            <paper::PaperBuilder bank={bank.clone()} built={state.built.clone()} practice={state.practice.clone()}
                status={state.status(Part::Paper)} practice_status={state.status(Part::Practice)}
                picked={state.picked.clone()} />
            if let Some(versions) = &state.printed {
                <print::PaperPrint bank={bank.clone()} versions={versions.clone()} />
            }
        </div>
    }
}
