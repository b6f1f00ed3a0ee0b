//! The results page (`/results`): teachers and the central proctor read a
//! sitting's marks and item analysis, or analyse answer sheets imported from
//! files, and download them.
//!
//! It sits behind the proctor login ([`StaffApp`]): the same session in
//! `sessionStorage` (`examgate.proctor`), so a teacher signed in on
//! `/proctor` follows `#results-link` here without signing in again, and
//! signing in here stays here. The relay decides who may read results (a
//! room proctor gets `forbidden`, shown as `#not-allowed`); the page never
//! second-guesses it.
//!
//! Layout, top to bottom: the sittings (`#sittings`) next to the import form
//! (`#import`), then `#results-view` with whichever report was picked last,
//! then `#audit-head`, the audit chain's head the page was read at.
//! Only one report is on show at a time, so every id inside it is unique.
//!
//! - [`state`]: the reducer (sorting, selection, import) and its tests;
//! - [`api`]: the relay calls, the CSV/JSON exports, the download;
//! - [`format`]: numbers and undefined statistics;
//! - [`sittings`], [`view`], [`test_stats`], [`histogram`], [`item_table`],
//!   [`option_chart`], [`result_rows`], [`import`]: one component each.

pub mod api;
pub mod format;
pub mod histogram;
pub mod import;
pub mod item_table;
pub mod option_chart;
pub mod result_rows;
pub mod sittings;
pub mod state;
pub mod test_stats;
pub mod view;

use examgate_shared::error::ErrorCode;
use yew::prelude::*;

use crate::audit_head::{short, use_audit_head};
use crate::hooks::use_signed_out;
use crate::i18n::{Problem, ReportText, Text, use_i18n};
use crate::proctor::{StaffApp, StaffPageProps, StaffTopbar};
use import::ImportPanel;
use sittings::SittingList;
use state::{Load, ResultsState};
use view::ResultsView;

/// Where the page lives.
pub use crate::routes::{PATH, is_results_path, reads_results};

/// The app mounted at `/results`.
#[component]
pub fn ResultsApp() -> Html {
    html! { <StaffApp<ResultsPage> /> }
}

/// `#results-page`, once signed in.
#[component]
pub fn ResultsPage(props: &StaffPageProps) -> Html {
    let i18n = use_i18n();
    let state = use_reducer(ResultsState::default);
    let token = props.session.token.clone();

    use_effect_with((), {
        let (token, dispatcher) = (token.clone(), state.dispatcher());
        move |_| api::load_sittings(&token, dispatcher)
    });
    use_signed_out(state.signed_out, &props.on_signed_out);

    let on_open = {
        let (token, dispatcher) = (token.clone(), state.dispatcher());
        Callback::from(move |id: u64| api::open_sitting(&token, id, dispatcher.clone()))
    };
    let on_refresh = {
        let (token, dispatcher) = (token.clone(), state.dispatcher());
        Callback::from(move |()| api::load_sittings(&token, dispatcher.clone()))
    };
    let forbidden = state.sittings == Load::Failed(Problem::Code(ErrorCode::Forbidden));
    let open = match state.source {
        Some(state::Source::Sitting(id)) => Some(id),
        _ => None,
    };
    // Fetched again with each sitting opened: the record grows while
    // sittings run, and the line should name the head the marks were read at.
    let audit_head = use_audit_head(&token, open);

    html! {
        <div id="results-page" class="page results-page">
            <StaffTopbar title={i18n.t(Text::Report(ReportText::PageTitle))} session={props.session.clone()}
                on_logout={props.on_logout.clone()}>
                <a id="dashboard-link" class="nav-link" href="/proctor">
                    { i18n.t(Text::Report(ReportText::DashboardLink)) }
                </a>
            </StaffTopbar>
            if forbidden {
                <div id="not-allowed" class="banner error" role="alert" data-code="forbidden">
                    <p>{ i18n.t(Text::Report(ReportText::NotAllowed)) }</p>
                </div>
            } else {
                <div class="results-top">
                    <SittingList sittings={state.sittings.clone()} {open} {on_open} {on_refresh} />
                    <ImportPanel form={state.import.clone()} dispatcher={state.dispatcher()} />
                </div>
                <ResultsView source={state.source} report={state.report.clone()}
                    sort={state.sort} selected={state.selected} dispatcher={state.dispatcher()} />
                if let Some(head) = audit_head {
                    <p id="audit-head" class="audit-head" title={head.hash.clone()}
                        data-entry={head.id.to_string()}>
                        { i18n.t(Text::Report(ReportText::AuditHead {
                            hash16: short(&head).to_owned(),
                            entry: head.id,
                        })) }
                    </p>
                }
            }
        </div>
    }
}
