//! `#sites`: the exam sites ("điểm thi") with their rooms and seats, a
//! `#room-form-{site}` under each site and `#site-form` at the end.

use std::collections::HashMap;
use std::rc::Rc;

use examgate_shared::office::api::{PlanView, SiteView};
use yew::prelude::*;

use super::api::Office;
use super::drafts::{RoomDraft, SiteDraft};
use super::inputs::{on_text, reset, use_draft};
use super::state::{Section, Status};
use super::status::StatusLine;
use super::texts::OfficeText;
use crate::i18n::{Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct SitesProps {
    pub office: Office,
    pub plan: Rc<PlanView>,
    pub status: Rc<HashMap<Section, Status>>,
}

#[component]
pub fn Sites(props: &SitesProps) -> Html {
    let i18n = use_i18n();
    let o = |t| i18n.t(Text::Office(t));
    let sites = props.plan.sites.iter().map(|site| {
        html! {
            <SiteItem key={site.id} site={site.clone()} office={props.office.clone()}
                status={props.status.get(&Section::Room(site.id)).cloned()} />
        }
    });
    html! {
        <section id="sites" class="card office-section" aria-labelledby="sites-title">
            <h2 id="sites-title">{ o(OfficeText::SitesTitle) }</h2>
            if props.plan.sites.is_empty() {
                <p class="waiting">{ o(OfficeText::NoSites) }</p>
            }
            <ul class="sites">{ for sites }</ul>
            <SiteForm office={props.office.clone()} status={props.status.get(&Section::Site).cloned()} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct SiteItemProps {
    site: SiteView,
    office: Office,
    status: Option<Status>,
}

#[component]
fn SiteItem(props: &SiteItemProps) -> Html {
    let i18n = use_i18n();
    let o = |t| i18n.t(Text::Office(t));
    let site = &props.site;
    let rooms = site.rooms.iter().map(|room| {
        html! {
            <li key={room.id} class="site-room" data-room-id={room.id.to_string()}>
                <span class="room-name">{ room.name.clone() }</span>
                <span class="seats">{ o(OfficeText::Seats(room.seats)) }</span>
            </li>
        }
    });
    html! {
        <li class="site" data-site-id={site.id.to_string()}>
            <h3>
                { site.name.clone() }
                if !site.code.is_empty() {
                    <span class="site-code">{ format!(" ({})", site.code) }</span>
                }
            </h3>
            <ul class="rooms">{ for rooms }</ul>
            <RoomForm site_id={site.id} office={props.office.clone()} status={props.status.clone()} />
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct SiteFormProps {
    office: Office,
    status: Option<Status>,
}

/// `#site-form`: a new site's name and short code.
#[component]
fn SiteForm(props: &SiteFormProps) -> Html {
    let i18n = use_i18n();
    let o = |t| i18n.t(Text::Office(t));
    let draft = use_draft::<SiteDraft>();
    let onsubmit = {
        let (office, draft) = (props.office.clone(), draft.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match draft.0.request() {
                Ok(body) => {
                    let done = OfficeText::SiteCreated(body.name.clone());
                    office.create(
                        Section::Site,
                        "/api/office/sites".into(),
                        body,
                        done,
                        reset(&draft),
                    );
                }
                Err(text) => office.refuse(Section::Site, text),
            }
        })
    };
    html! {
        <form id="site-form" class="office-form" {onsubmit} novalidate=true>
            <h3>{ o(OfficeText::NewSite) }</h3>
            <label>{ o(OfficeText::SiteName) }
                <input id="site-name" name="name" type="text" value={draft.0.name.clone()}
                    placeholder={o(OfficeText::SiteNameExample)}
                    oninput={on_text(&draft, |d, v| d.name = v)} />
            </label>
            <label>{ o(OfficeText::SiteCode) }
                <input id="site-code" name="code" type="text" value={draft.0.code.clone()}
                    oninput={on_text(&draft, |d, v| d.code = v)} />
            </label>
            <button id="site-create" type="submit" class="primary"
                disabled={props.status == Some(Status::Busy)}>
                { o(OfficeText::Create) }
            </button>
            <StatusLine id="site-status" status={props.status.clone()} />
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct RoomFormProps {
    site_id: u64,
    office: Office,
    status: Option<Status>,
}

/// `#room-form-{site}`: a room's name and seats (working computers).
#[component]
fn RoomForm(props: &RoomFormProps) -> Html {
    let i18n = use_i18n();
    let o = |t| i18n.t(Text::Office(t));
    let draft = use_draft::<RoomDraft>();
    let id = props.site_id;
    let onsubmit = {
        let (office, draft) = (props.office.clone(), draft.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let section = Section::Room(id);
            match draft.0.request(id) {
                Ok(body) => {
                    let done = OfficeText::RoomCreated(body.name.clone());
                    office.create(
                        section,
                        "/api/office/rooms".into(),
                        body,
                        done,
                        reset(&draft),
                    );
                }
                Err(text) => office.refuse(section, text),
            }
        })
    };
    html! {
        <form id={format!("room-form-{id}")} class="office-form room-form" {onsubmit} novalidate=true>
            <label>{ o(OfficeText::RoomName) }
                <input id={format!("room-name-{id}")} name="name" type="text" placeholder="P.01"
                    value={draft.0.name.clone()} oninput={on_text(&draft, |d, v| d.name = v)} />
            </label>
            <label>{ o(OfficeText::RoomSeats) }
                <input id={format!("room-seats-{id}")} name="seats" type="number" min="1" max="500"
                    placeholder="24" value={draft.0.seats.clone()}
                    oninput={on_text(&draft, |d, v| d.seats = v)} />
            </label>
            <button id={format!("room-create-{id}")} type="submit"
                disabled={props.status == Some(Status::Busy)}>
                { o(OfficeText::AddRoom) }
            </button>
            <StatusLine id={format!("room-status-{id}")} status={props.status.clone()} />
        </form>
    }
}
