//! The examgate browser client: one wasm module serving two apps.
//!
//! `www/index.html` loads the module and calls [`run`], which mounts the
//! proctor dashboard under `/proctor`, the teachers' results page under
//! `/results`, the exam office's page under `/office` and the question bank
//! under `/bank` (all behind the
//! same staff login, in the staff build) and the student exam everywhere
//! else.
//! All rules (sequence numbers, clock sync, grading display) come from
//! `examgate-shared`; this crate only drives them from browser events and
//! draws the result.

use wasm_bindgen::prelude::wasm_bindgen;

/// The audit chain's head the staff pages print (staff build only).
#[cfg(feature = "staff")]
pub mod audit_head;
/// The question bank's page: in the staff build only (`staff` feature).
#[cfg(feature = "staff")]
pub mod bank;
pub mod banner;
/// The card-reader check page (`/checkin/bridge`), in the check-in module.
#[cfg(feature = "checkin")]
pub mod bridge_check;
/// Chip-ID check-in (`checkin` feature: the card-room and staff modules).
#[cfg(feature = "checkin")]
pub mod card_holder;
#[cfg(feature = "checkin")]
pub mod card_read;
pub mod forms;
pub mod hooks;
pub mod http;
pub mod i18n;
/// The exam office's page: in the staff build only (`staff` feature), like
/// the results page; its QR codes and printouts are not the students'.
#[cfg(feature = "staff")]
pub mod office;
/// Printing one block of a staff page (the office's printouts, the results
/// report).
#[cfg(feature = "staff")]
pub mod print;
#[cfg(feature = "staff")]
pub mod proctor;
/// The teachers' results page: in the staff build only (`staff` feature), so
/// students do not download the analysis code.
#[cfg(feature = "staff")]
pub mod results;
pub mod rich_text;
pub mod routes;
pub mod socket;
pub mod storage;
pub mod student;
pub mod time;
#[cfg(feature = "checkin")]
pub mod usb;

/// Entry point called by `index.html` after `init()`.
///
/// Not `#[wasm_bindgen(start)]`: the page decides when to run, and a test
/// harness can load the module without mounting anything.
#[wasm_bindgen]
pub fn run() {
    // Yew installs its own hook on first render unless one was set through
    // it; ours writes the panic to the console, which is all we need to
    // diagnose a crash on a school PC.
    yew::set_custom_panic_hook(Box::new(|info| {
        gloo::console::error!(format!("examgate panicked: {info}"));
    }));

    let document = gloo::utils::document();
    let Some(root) = document.get_element_by_id("app") else {
        gloo::console::error!("examgate: no <main id=\"app\"> to mount into");
        return;
    };
    let path = gloo::utils::window()
        .location()
        .pathname()
        .unwrap_or_default();
    if let Err(root) = mount_proctor_page(&path, root)
        .or_else(|root| mount_bridge_check(&path, root))
        .or_else(|root| mount_results_page(&path, root))
        .or_else(|root| mount_office_page(&path, root))
        .or_else(|root| mount_bank_page(&path, root))
    {
        yew::Renderer::<student::StudentApp>::with_root(root).render();
    }
}

/// Mounts the proctor pages when this is the staff build and `path` is
/// theirs; otherwise hands `root` back.
#[cfg(feature = "staff")]
fn mount_proctor_page(path: &str, root: web_sys::Element) -> Result<(), web_sys::Element> {
    if !routes::is_proctor_path(path) {
        return Err(root);
    }
    yew::Renderer::<proctor::ProctorApp>::with_root(root).render();
    Ok(())
}

#[cfg(not(feature = "staff"))]
fn mount_proctor_page(_: &str, root: web_sys::Element) -> Result<(), web_sys::Element> {
    Err(root)
}

/// Mounts the card-reader check when this module has the reader code and
/// `path` is its page; otherwise hands `root` back.
#[cfg(feature = "checkin")]
fn mount_bridge_check(path: &str, root: web_sys::Element) -> Result<(), web_sys::Element> {
    if path.trim_end_matches('/') != bridge_check::PATH {
        return Err(root);
    }
    yew::Renderer::<bridge_check::BridgeCheckApp>::with_root(root).render();
    Ok(())
}

#[cfg(not(feature = "checkin"))]
fn mount_bridge_check(_: &str, root: web_sys::Element) -> Result<(), web_sys::Element> {
    Err(root)
}

/// Mounts the results page when this is the staff build and `path` is it;
/// otherwise hands `root` back.
#[cfg(feature = "staff")]
fn mount_results_page(path: &str, root: web_sys::Element) -> Result<(), web_sys::Element> {
    if !routes::is_results_path(path) {
        return Err(root);
    }
    yew::Renderer::<results::ResultsApp>::with_root(root).render();
    Ok(())
}

#[cfg(not(feature = "staff"))]
fn mount_results_page(_: &str, root: web_sys::Element) -> Result<(), web_sys::Element> {
    Err(root)
}

/// Mounts the exam office's page when this is the staff build and `path` is
/// it; otherwise hands `root` back.
#[cfg(feature = "staff")]
fn mount_office_page(path: &str, root: web_sys::Element) -> Result<(), web_sys::Element> {
    if !routes::is_office_path(path) {
        return Err(root);
    }
    yew::Renderer::<office::OfficeApp>::with_root(root).render();
    Ok(())
}

#[cfg(not(feature = "staff"))]
fn mount_office_page(_: &str, root: web_sys::Element) -> Result<(), web_sys::Element> {
    Err(root)
}

/// Mounts the question bank's page when this is the staff build and `path`
/// is it; otherwise hands `root` back.
#[cfg(feature = "staff")]
fn mount_bank_page(path: &str, root: web_sys::Element) -> Result<(), web_sys::Element> {
    if !routes::is_bank_path(path) {
        return Err(root);
    }
    yew::Renderer::<bank::BankApp>::with_root(root).render();
    Ok(())
}

#[cfg(not(feature = "staff"))]
fn mount_bank_page(_: &str, root: web_sys::Element) -> Result<(), web_sys::Element> {
    Err(root)
}
