//! The audit chain's head (`GET /api/audit/head`), fetched for the pages
//! that print it — the results page and the room minutes — so whoever
//! keeps the screen or the paper can later tell, with `examgate-relay
//! audit verify`, whether the record changed since (docs/audit.md).

use examgate_shared::audit_chain::ChainHead;
use yew::prelude::*;

use crate::http::get_json;

/// The relay's head, fetched when the page mounts and again whenever
/// `refresh` changes; `None` until it arrives (or if it cannot be had:
/// the page then prints without it).
#[hook]
pub fn use_audit_head<K>(token: &str, refresh: K) -> Option<ChainHead>
where
    K: PartialEq + 'static,
{
    let head = use_state(|| None);
    use_effect_with(refresh, {
        let (head, token) = (head.clone(), token.to_owned());
        move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match get_json::<ChainHead>("/api/audit/head", &token).await {
                    Ok(h) => head.set(Some(h)),
                    Err(e) => gloo::console::warn!(format!("examgate: audit head: {e:?}")),
                }
            });
        }
    });
    (*head).clone()
}

/// The first 16 hex digits, enough to compare by eye.
pub fn short(head: &ChainHead) -> &str {
    head.hash.get(..16).unwrap_or(&head.hash)
}
