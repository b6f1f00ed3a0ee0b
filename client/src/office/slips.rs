//! `#account-slips`: one slip per new password (user name, password, role,
//! scope, where to sign in) to print, cut and hand out. A password is
//! shown once: the relay keeps only its hash, so a lost slip means a reset.

use std::rc::Rc;

use examgate_shared::office::api::AccountSlip;
use examgate_shared::protocol::Role;
use yew::prelude::*;

use super::account_texts::AccountText;
use super::api::Office;
use super::state::OfficeAction;
use super::texts::OfficeText;
use crate::i18n::{Text, use_i18n};
use crate::print::{SLIPS, origin, print_only};
use crate::routes;

#[derive(Properties, PartialEq)]
pub struct SlipsProps {
    pub slips: Rc<Vec<AccountSlip>>,
    pub office: Office,
}

#[component]
pub fn Slips(props: &SlipsProps) -> Html {
    let i18n = use_i18n();
    let o = |t| i18n.t(Text::Office(t));
    let ac = |t| i18n.t(Text::Office(OfficeText::Account(t)));
    let origin = origin();
    let clear = {
        let office = props.office.clone();
        Callback::from(move |_: MouseEvent| office.dispatch(OfficeAction::ClearSlips))
    };
    let slips = props.slips.iter().map(|slip| {
        let address = format!("{origin}{}", sign_in_path(slip.role));
        let scope = if slip.scope.is_empty() { ac(AccountText::Everywhere) } else { slip.scope.clone() };
        html! {
            <article key={slip.username.clone()} class="slip" data-username={slip.username.clone()}>
                <h4>{ ac(AccountText::SlipTitle) }</h4>
                <dl>
                    <dt>{ ac(AccountText::DisplayName) }</dt><dd class="slip-name">{ slip.display_name.clone() }</dd>
                    <dt>{ ac(AccountText::Username) }</dt><dd><code class="slip-user">{ slip.username.clone() }</code></dd>
                    <dt>{ ac(AccountText::Password) }</dt><dd><code class="slip-password">{ slip.password.clone() }</code></dd>
                    <dt>{ ac(AccountText::RoleLabel) }</dt><dd>{ i18n.t(Text::Role(slip.role)) }</dd>
                    <dt>{ ac(AccountText::Scope) }</dt><dd class="slip-scope">{ scope }</dd>
                    <dt>{ ac(AccountText::Address) }</dt><dd><code class="slip-address">{ address }</code></dd>
                </dl>
                <p class="slip-note">{ ac(AccountText::SlipNote) }</p>
            </article>
        }
    });
    html! {
        <div id="account-slips" class="slips" data-count={props.slips.len().to_string()}>
            if !props.slips.is_empty() {
                <div class="slips-head no-print">
                    <h3>{ ac(AccountText::SlipsTitle) }</h3>
                    <button id="slips-print" type="button" class="primary"
                        onclick={Callback::from(|_: MouseEvent| print_only(SLIPS))}>
                        { o(OfficeText::PrintNow) }
                    </button>
                    <button id="slips-clear" type="button" onclick={clear}>{ ac(AccountText::ClearSlips) }</button>
                </div>
                <p class="hint no-print">{ ac(AccountText::SlipsHint) }</p>
                <div class="slip-sheet">{ for slips }</div>
            }
        </div>
    }
}

/// Where each role signs in.
pub fn sign_in_path(role: Role) -> &'static str {
    match role {
        Role::RoomProctor | Role::CentralProctor => "/proctor",
        Role::Teacher => routes::PATH,
        Role::ExamOffice => routes::OFFICE_PATH,
    }
}
