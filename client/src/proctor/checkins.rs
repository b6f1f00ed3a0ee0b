//! A card room's check-ins for its proctor: the chip photo beside what the
//! chip and the roster say, with confirm / reject, and release for a
//! student who moves computers. The central view sees the counts.
//!
//! The photo is fetched with the proctor's token (an `<img src>` cannot
//! send it) and shown from a blob URL that is revoked when the card goes.

use examgate_shared::checkin::{CheckinStatus, CheckinView, Decision};
use examgate_shared::roster::RoomView;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use crate::http;
use crate::i18n::{Lang, use_i18n};

#[derive(Properties, PartialEq)]
pub struct CheckinListProps {
    pub room: std::rc::Rc<RoomView>,
    pub token: String,
}

#[component]
pub fn CheckinList(props: &CheckinListProps) -> Html {
    let i18n = use_i18n();
    let vi = i18n.lang == Lang::Vi;
    let c = props.room.checkin_counts;
    let items = props.room.checkins.iter().rev().map(|view| {
        html! { <CheckinCard key={view.checkin_id} view={view.clone()} token={props.token.clone()} /> }
    });
    html! {
        <div class="checkins">
            <p class="checkin-counts" data-confirmed={c.confirmed.to_string()} data-awaiting={c.awaiting.to_string()}
                data-refused={c.refused.to_string()}>
                { if vi {
                    format!("CCCD: {}/{} đã xác nhận · {} chờ giám thị · {} bị từ chối", c.confirmed, c.roster, c.awaiting, c.refused)
                } else {
                    format!("ID cards: {}/{} confirmed · {} awaiting · {} refused", c.confirmed, c.roster, c.awaiting, c.refused)
                } }
            </p>
            <ul class="checkin-list">{ for items }</ul>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct CheckinCardProps {
    view: CheckinView,
    token: String,
}

async fn photo_url(path: &str, token: &str) -> Option<String> {
    let headers = web_sys::Headers::new().ok()?;
    headers
        .set("Authorization", &format!("Bearer {token}"))
        .ok()?;
    let init = web_sys::RequestInit::new();
    init.set_headers(&headers);
    let request = web_sys::Request::new_with_str_and_init(path, &init).ok()?;
    let response: web_sys::Response =
        JsFuture::from(gloo::utils::window().fetch_with_request(&request))
            .await
            .ok()?
            .dyn_into()
            .ok()?;
    if !response.ok() {
        return None;
    }
    let blob: web_sys::Blob = JsFuture::from(response.blob().ok()?)
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

#[component]
fn CheckinCard(props: &CheckinCardProps) -> Html {
    let i18n = use_i18n();
    let vi = i18n.lang == Lang::Vi;
    let view = &props.view;
    let photo = use_state(|| None::<String>);
    {
        let (photo, path, token) = (photo.clone(), view.photo_url.clone(), props.token.clone());
        use_effect_with(view.checkin_id, move |_| {
            let setter = photo.clone();
            wasm_bindgen_futures::spawn_local(async move {
                setter.set(photo_url(&path, &token).await);
            });
            move || {
                if let Some(url) = &*photo {
                    let _ = web_sys::Url::revoke_object_url(url);
                }
            }
        });
    }
    let busy = use_state(|| false);
    let act = |path: String, body: Option<Decision>| {
        let (token, busy) = (props.token.clone(), busy.clone());
        Callback::from(move |_: MouseEvent| {
            let (token, busy, path, body) =
                (token.clone(), busy.clone(), path.clone(), body.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                // The relay answers with the new view and also pushes it on
                // the proctor feed, which is what redraws this card.
                let result = match body {
                    Some(d) => {
                        http::post_json_auth::<_, CheckinView>(&path, &d, Some(&token)).await
                    }
                    None => http::post_json_auth::<_, CheckinView>(&path, &(), Some(&token)).await,
                };
                if let Err(e) = result {
                    gloo::console::warn!(format!("check-in decision failed: {e:?}"));
                }
                busy.set(false);
            });
        })
    };
    let id = view.checkin_id;
    let decision = format!("/api/checkins/{id}/decision");
    let confirm = act(
        decision.clone(),
        Some(Decision {
            confirm: true,
            reason: None,
        }),
    );
    let reject = act(
        decision,
        Some(Decision {
            confirm: false,
            reason: Some("proctor: not the card holder".into()),
        }),
    );
    let release = act(format!("/api/checkins/{id}/release"), None);
    let mismatch = view.roster_name != view.chip_name || view.roster_birth != view.chip_birth;
    let status_text = match (view.status, vi) {
        (CheckinStatus::AwaitingProctor, true) => "Chờ xác nhận",
        (CheckinStatus::AwaitingProctor, false) => "Awaiting confirmation",
        (CheckinStatus::Confirmed, true) => "Đã xác nhận",
        (CheckinStatus::Confirmed, false) => "Confirmed",
        (CheckinStatus::Rejected, true) => "Đã từ chối",
        (CheckinStatus::Rejected, false) => "Rejected",
        (CheckinStatus::Released, true) => "Đã giải phóng chỗ",
        (CheckinStatus::Released, false) => "Seat released",
    };
    html! {
        <li class="checkin" data-checkin-id={id.to_string()} data-status={view.status.as_str()}>
            if let Some(url) = &*photo {
                <img class="chip-photo" src={url.clone()} alt={if vi { "Ảnh trong chip" } else { "Chip photo" }} />
            } else {
                <div class="chip-photo placeholder" />
            }
            <div class="checkin-info">
            <dl>
                <dt>{ if vi { "Trong chip" } else { "On the chip" } }</dt>
                <dd class="chip-name">{ &view.chip_name }{ " · " }{ &view.chip_birth }</dd>
                <dt>{ if vi { "Danh sách" } else { "Roster" } }</dt>
                <dd class="roster-name">{ &view.roster_name }{ " · " }{ &view.roster_birth }</dd>
                <dt>{ if vi { "Số CCCD" } else { "ID" } }</dt>
                <dd class="person-id">{ &view.person_id }</dd>
            </dl>
            if mismatch {
                <p class="warning">{ if vi { "Họ tên hoặc ngày sinh khác danh sách: kiểm tra kỹ." } else { "Name or birth date differs from the roster: check carefully." } }</p>
            }
            if view.reseat {
                <p class="hint">{ if vi { "Thí sinh đổi máy: bài làm tiếp tục." } else { "Moving computers: the attempt continues." } }</p>
            }
            <p class="checkin-status">{ status_text }</p>
            if view.status == CheckinStatus::AwaitingProctor {
                <button class="checkin-confirm primary" onclick={confirm} disabled={*busy}>
                    { if vi { "Đúng người — cho vào thi" } else { "Same person — admit" } }
                </button>
                <button class="checkin-reject" onclick={reject} disabled={*busy}>
                    { if vi { "Không đúng người" } else { "Not this person" } }
                </button>
            }
            if view.status == CheckinStatus::Confirmed {
                <button class="checkin-release" onclick={release} disabled={*busy}>
                    { if vi { "Giải phóng chỗ (đổi máy)" } else { "Release seat (change computer)" } }
                </button>
            }
            </div>
        </li>
    }
}
