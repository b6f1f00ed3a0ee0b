//! The exam office's page (`/office`, staff build): plan events, shifts,
//! sites, rooms and papers; import the schools' rosters; hand out staff
//! accounts; print each room's papers; download the hand-in files.
//!
//! It sits behind the staff login ([`StaffApp`], session `examgate.proctor`)
//! like the results page. Opened with `?setup=TOKEN` (the link a fresh
//! relay prints) it first shows [`setup::SetupPage`], which makes the first
//! office account and signs it in. The relay decides who may do what (a
//! proctor gets `forbidden`, shown as `#not-allowed`).
//!
//! Layout: `#office-page` holds `#events`, `#sites`, `#papers`, `#roster`,
//! `#accounts`, `#handin`, `#printables` and, once a room is picked,
//! `#print-view`; each section is one component:
//!
//! - [`state`]: the reducer (plan, statuses, roster import, slips, print);
//! - [`drafts`]: the forms' fields and checks; [`inputs`]: their callbacks;
//! - [`api`]: the relay calls; [`fetch`]: file bodies and downloads;
//! - [`texts`], [`roster_texts`], [`account_texts`], [`print_texts`],
//!   [`issues`]: the words, vi/en;
//! - [`events`], [`shift_form`], [`sites`], [`papers`], [`roster`],
//!   [`roster_report`], [`accounts`], [`slips`], [`handin`],
//!   [`printables`], [`status`]: the sections and their parts;
//! - [`print_view`], [`room_print`], [`room_list`], [`seat_cards`],
//!   [`minutes`], [`doc_head`], [`qr`]: the printouts (printed one block
//!   at a time with [`crate::print`]).

pub mod account_texts;
pub mod accounts;
pub mod api;
pub mod doc_head;
pub mod drafts;
pub mod events;
pub mod fetch;
pub mod handin;
pub mod inputs;
pub mod issues;
pub mod minutes;
pub mod papers;
pub mod print_texts;
pub mod print_view;
pub mod printables;
pub mod qr;
pub mod room_list;
pub mod room_print;
pub mod roster;
pub mod roster_report;
pub mod roster_texts;
pub mod seat_cards;
pub mod setup;
pub mod shift_form;
pub mod sites;
pub mod slips;
pub mod state;
pub mod status;
pub mod texts;

use examgate_shared::error::ErrorCode;
use yew::prelude::*;

use crate::hooks::use_signed_out;
use crate::i18n::{LangProvider, Problem, Text, use_i18n};
use crate::proctor::{ProctorSession, StaffApp, StaffPageProps, StaffTopbar};
use crate::routes;
use account_texts::AccountText;
use api::Office;
use roster_texts::RosterText;
use state::{Load, OfficeState, Section};
use texts::OfficeText;

/// The app mounted at `/office`: the set-up form when opened through the
/// set-up link, the staff login and the office page otherwise.
#[component]
pub fn OfficeApp() -> Html {
    let setup = use_state(|| {
        let search = gloo::utils::window()
            .location()
            .search()
            .unwrap_or_default();
        drafts::setup_token(&search)
    });
    match &*setup {
        Some(token) => {
            let on_done = {
                let setup = setup.clone();
                Callback::from(move |session: ProctorSession| {
                    crate::proctor::session_slot().save(&session);
                    setup::forget_setup_link();
                    setup.set(None);
                })
            };
            html! {
                <LangProvider>
                    <setup::SetupPage token={AttrValue::from(token.clone())} {on_done} />
                </LangProvider>
            }
        }
        None => html! { <StaffApp<OfficePage> /> },
    }
}

/// `#office-page`, once signed in.
#[component]
pub fn OfficePage(props: &StaffPageProps) -> Html {
    let i18n = use_i18n();
    let o = |t| i18n.t(Text::Office(t));
    let state = use_reducer(OfficeState::default);
    let office = Office::new(&props.session.token, state.dispatcher());
    use_effect_with((), {
        let office = office.clone();
        move |_| office.load_plan()
    });
    use_signed_out(state.signed_out, &props.on_signed_out);

    let retry = {
        let office = office.clone();
        Callback::from(move |_: MouseEvent| office.load_plan())
    };
    let body = match &state.plan {
        Load::Failed(Problem::Code(ErrorCode::Forbidden)) => html! {
            <div id="not-allowed" class="banner error" role="alert" data-code="forbidden">
                <p>{ o(OfficeText::NotAllowed) }</p>
            </div>
        },
        Load::Failed(problem) => html! {
            <div id="plan-error" class="banner error" role="alert" data-code={problem.data_code()}>
                <p>{ i18n.t(Text::Problem(*problem)) }</p>
                <button id="plan-retry" type="button" onclick={retry}>{ o(OfficeText::Retry) }</button>
            </div>
        },
        Load::Idle | Load::Loading => {
            html! { <p class="waiting">{ o(OfficeText::LoadingPlan) }</p> }
        }
        Load::Ready(plan) => {
            let (status, plan) = (state.status.clone(), plan.clone());
            let rows = match &state.roster_rows {
                Some((_, rows)) => rows.clone(),
                None => Load::Idle,
            };
            html! {
                <>
                    <nav class="office-nav no-print" aria-label={o(OfficeText::PageTitle)}>
                        { for SECTIONS.iter().map(|(id, text)| html! {
                            <a href={format!("#{id}")}>{ o(text.clone()) }</a>
                        }) }
                    </nav>
                    <status::StatusLine id="plan-status" status={state.status_of(Section::Plan)} />
                    <events::Events office={office.clone()} plan={plan.clone()} status={status.clone()} />
                    <sites::Sites office={office.clone()} plan={plan.clone()} status={status.clone()} />
                    <papers::Papers office={office.clone()} plan={plan.clone()}
                        status={state.status_of(Section::Paper)} />
                    <roster::Roster office={office.clone()} plan={plan.clone()} roster={state.roster.clone()} />
                    <accounts::Accounts office={office.clone()} plan={plan.clone()}
                        list_status={state.status_of(Section::AccountList)}
                        form_status={state.status_of(Section::Account)} slips={state.slips.clone()} />
                    <handin::HandinFiles office={office.clone()} plan={plan.clone()} {status} />
                    <printables::Printables office={office.clone()} plan={plan.clone()} open={state.print} />
                    if let Some(target) = state.print {
                        <print_view::PrintView office={office.clone()} {plan} {target} {rows} />
                    }
                </>
            }
        }
    };

    html! {
        <div id="office-page" data-state={state.plan.state_name()}
            class={classes!("page", "office-page", state.print.is_some().then_some("has-print-view"))}>
            <StaffTopbar title={o(OfficeText::PageTitle)} session={props.session.clone()}
                on_logout={props.on_logout.clone()} no_print=true>
                <a id="dashboard-link" class="nav-link" href="/proctor">{ o(OfficeText::DashboardLink) }</a>
                <a id="results-link" class="nav-link" href={routes::PATH}>{ i18n.t(Text::ResultsLink) }</a>
            </StaffTopbar>
            { body }
        </div>
    }
}

/// The sections, for the page's table of contents.
const SECTIONS: [(&str, OfficeText); 7] = [
    ("events", OfficeText::EventsTitle),
    ("sites", OfficeText::SitesTitle),
    ("papers", OfficeText::PapersTitle),
    ("roster", OfficeText::Roster(RosterText::Title)),
    ("accounts", OfficeText::Account(AccountText::Title)),
    ("handin", OfficeText::HandinTitle),
    ("printables", OfficeText::PrintablesTitle),
];
