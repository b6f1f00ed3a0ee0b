//! `#accounts`: staff accounts (`#account-list`, each with a disable or
//! enable button and a password reset), `#account-form` for a new one, and
//! the slips of the passwords just made (`#account-slips`).

use std::rc::Rc;

use examgate_shared::office::api::{AccountChange, AccountSlip, AccountView, PlanView};
use examgate_shared::protocol::Role;
use yew::prelude::*;

use super::account_texts::AccountText;
use super::api::Office;
use super::drafts::{AccountDraft, ROLES, role_code, role_from_code};
use super::inputs::{id_value, on_select, on_text, update, use_draft};
use super::slips::Slips;
use super::state::{Section, Status};
use super::status::StatusLine;
use super::texts::OfficeText;
use crate::i18n::{Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct AccountsProps {
    pub office: Office,
    pub plan: Rc<PlanView>,
    /// Of the list's buttons.
    pub list_status: Option<Status>,
    /// Of the form.
    pub form_status: Option<Status>,
    pub slips: Rc<Vec<AccountSlip>>,
}

#[component]
pub fn Accounts(props: &AccountsProps) -> Html {
    let i18n = use_i18n();
    let ac = |t| i18n.t(Text::Office(OfficeText::Account(t)));
    let busy = props.list_status == Some(Status::Busy);
    let rows = props.plan.accounts.iter().map(|a| {
        let change = |change: AccountChange| {
            let (office, name) = (props.office.clone(), a.username.clone());
            Callback::from(move |_: MouseEvent| office.change_account(name.clone(), change.clone()))
        };
        let toggle = change(AccountChange { disabled: Some(!a.disabled), reset_password: false });
        let reset_password = change(AccountChange { disabled: None, reset_password: true });
        html! {
            <li key={a.username.clone()} class={classes!("account", a.disabled.then_some("disabled"))}
                data-username={a.username.clone()} data-disabled={a.disabled.to_string()}>
                <span class="account-name">{ a.display_name.clone() }</span>
                <code class="account-user">{ a.username.clone() }</code>
                <span class="role">{ i18n.t(Text::Role(a.role)) }</span>
                <span class="scope">{ scope(&props.plan, a).unwrap_or_else(|| ac(AccountText::Everywhere)) }</span>
                if a.disabled {
                    <span class="badge">{ ac(AccountText::Disabled) }</span>
                }
                <button type="button" id={format!("account-toggle-{}", a.username)} class="account-toggle"
                    disabled={busy} onclick={toggle}>
                    { ac(if a.disabled { AccountText::Enable } else { AccountText::Disable }) }
                </button>
                <button type="button" id={format!("account-reset-{}", a.username)} class="account-reset"
                    disabled={busy} onclick={reset_password}>
                    { ac(AccountText::ResetPassword) }
                </button>
            </li>
        }
    });
    html! {
        <section id="accounts" class="card office-section" aria-labelledby="accounts-title">
            <h2 id="accounts-title">{ ac(AccountText::Title) }</h2>
            <ul id="account-list" class="accounts">{ for rows }</ul>
            <StatusLine id="account-list-status" status={props.list_status.clone()} />
            <AccountForm office={props.office.clone()} plan={props.plan.clone()}
                status={props.form_status.clone()} />
            <Slips slips={props.slips.clone()} office={props.office.clone()} />
        </section>
    }
}

/// "Room — Site", "Site", or `None` for every site.
pub fn scope(plan: &PlanView, account: &AccountView) -> Option<String> {
    let site = plan.sites.iter().find(|s| Some(s.id) == account.site_id)?;
    let room = site.rooms.iter().find(|r| Some(r.id) == account.room_id);
    Some(match room {
        Some(room) => format!("{} — {}", room.name, site.name),
        None => site.name.clone(),
    })
}

#[derive(Properties, PartialEq)]
struct AccountFormProps {
    office: Office,
    plan: Rc<PlanView>,
    status: Option<Status>,
}

/// `#account-form`: user name, display name, role, and the site and room
/// it is limited to (a room proctor needs a room).
#[component]
fn AccountForm(props: &AccountFormProps) -> Html {
    let i18n = use_i18n();
    let ac = |t| i18n.t(Text::Office(OfficeText::Account(t)));
    let draft = use_draft::<AccountDraft>();
    let onsubmit = {
        let (office, draft) = (props.office.clone(), draft.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match draft.0.request() {
                Ok(account) => {
                    // The next account is often another of the same role and
                    // site: only the person is cleared.
                    let next = {
                        let draft = draft.clone();
                        Callback::from(move |()| update(&draft, AccountDraft::clear_person))
                    };
                    office.create_account(account, next);
                }
                Err(text) => office.refuse(Section::Account, text),
            }
        })
    };
    let d = &draft.0;
    let roles = ROLES.into_iter().map(|role| {
        html! {
            <option value={role_code(role)} selected={d.role == role}>{ i18n.t(Text::Role(role)) }</option>
        }
    });
    let sites = props.plan.sites.iter().map(|s| {
        html! { <option value={s.id.to_string()} selected={d.site_id == Some(s.id)}>{ s.name.clone() }</option> }
    });
    let site = props.plan.sites.iter().find(|s| Some(s.id) == d.site_id);
    let rooms = site.into_iter().flat_map(|s| &s.rooms).map(|r| {
        html! { <option value={r.id.to_string()} selected={d.room_id == Some(r.id)}>{ r.name.clone() }</option> }
    });
    html! {
        <form id="account-form" class="office-form" onsubmit={onsubmit} novalidate=true>
            <h3>{ ac(AccountText::New) }</h3>
            <div class="form-row">
                <label>{ ac(AccountText::Username) }
                    <input id="account-username" name="username" type="text" autocomplete="off"
                        spellcheck="false" value={d.username.clone()}
                        oninput={on_text(&draft, |d, v| d.username = v)} />
                </label>
                <label>{ ac(AccountText::DisplayName) }
                    <input id="account-name" name="display_name" type="text" value={d.display_name.clone()}
                        oninput={on_text(&draft, |d, v| d.display_name = v)} />
                </label>
                <label>{ ac(AccountText::RoleLabel) }
                    <select id="account-role" name="role"
                        onchange={on_select(&draft, |d, v| d.role = role_from_code(&v).unwrap_or(d.role))}>
                        { for roles }
                    </select>
                </label>
                if d.role == Role::Teacher {
                    <label>{ ac(AccountText::SubjectLabel) }
                        <input id="account-subject" name="subject" type="text" value={d.subject.clone()}
                            oninput={on_text(&draft, |d, v| d.subject = v)} />
                    </label>
                }
                <label>{ ac(AccountText::SiteLabel) }
                    <select id="account-site" name="site_id"
                        onchange={on_select(&draft, |d, v| d.set_site(id_value(&v)))}>
                        <option value="" selected={d.site_id.is_none()}>{ ac(AccountText::AllSites) }</option>
                        { for sites }
                    </select>
                </label>
                <label>{ ac(AccountText::RoomLabel) }
                    <select id="account-room" name="room_id" disabled={d.site_id.is_none()}
                        onchange={on_select(&draft, |d, v| d.room_id = id_value(&v))}>
                        <option value="" selected={d.room_id.is_none()}>{ ac(AccountText::AllRooms) }</option>
                        { for rooms }
                    </select>
                </label>
            </div>
            <button id="account-create" type="submit" class="primary"
                disabled={props.status == Some(Status::Busy)}>
                { ac(AccountText::Create) }
            </button>
            <StatusLine id="account-status" status={props.status.clone()} />
        </form>
    }
}
