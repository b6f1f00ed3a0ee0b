//! Typed slots in `localStorage` and `sessionStorage`.
//!
//! Each feature names its own keys next to the types it stores; the key
//! shared by every page is here:
//!
//! | key                          | area    | holds                              |
//! |------------------------------|---------|------------------------------------|
//! | `examgate.lang`              | local   | `"vi"` or `"en"` (raw string)      |
//!
//! The staff login of `/proctor`, `/results`, `/office` and `/bank`
//! (`examgate.proctor`) is in `proctor::session_slot` (staff build). The
//! student's keys (`examgate.student`, `examgate.attempt.<id>`,
//! `examgate.paper.<id>`, `examgate.working.<id>`) are in
//! [`crate::student::records`].
//!
//! Values are JSON. A value that no longer parses (an older client wrote it)
//! reads as absent rather than breaking the page.

use std::marker::PhantomData;

use gloo::storage::{LocalStorage, SessionStorage, Storage};
use serde::Serialize;
use serde::de::DeserializeOwned;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// Survives reloads and browser restarts: the student's work.
    Local,
    /// Dies with the tab: a proctor's login on a shared PC.
    Session,
}

impl Area {
    fn raw(self) -> web_sys::Storage {
        match self {
            Area::Local => LocalStorage::raw(),
            Area::Session => SessionStorage::raw(),
        }
    }
}

/// One key holding one type.
pub struct Slot<T> {
    area: Area,
    key: String,
    _type: PhantomData<fn() -> T>,
}

impl<T: Serialize + DeserializeOwned> Slot<T> {
    pub fn new(area: Area, key: impl Into<String>) -> Self {
        Slot {
            area,
            key: key.into(),
            _type: PhantomData,
        }
    }

    pub fn load(&self) -> Option<T> {
        let text = self.area.raw().get_item(&self.key).ok()??;
        match serde_json::from_str(&text) {
            Ok(value) => Some(value),
            Err(e) => {
                gloo::console::warn!(format!("examgate: ignoring unreadable {}: {e}", self.key));
                None
            }
        }
    }

    /// Writes synchronously; failure (storage full or disabled) is logged,
    /// since there is nothing better to do mid-exam than keep going.
    pub fn save(&self, value: &T) {
        let text = match serde_json::to_string(value) {
            Ok(text) => text,
            Err(e) => {
                gloo::console::error!(format!("examgate: cannot encode {}: {e}", self.key));
                return;
            }
        };
        if let Err(e) = self.area.raw().set_item(&self.key, &text) {
            gloo::console::error!(format!("examgate: cannot store {}", self.key), e);
        }
    }

    pub fn clear(&self) {
        let _ = self.area.raw().remove_item(&self.key);
    }
}

/// The language is stored as a bare string so other pages (and tests) can
/// read it without JSON.
const LANG_KEY: &str = "examgate.lang";

pub fn load_lang() -> Option<String> {
    Area::Local.raw().get_item(LANG_KEY).ok().flatten()
}

pub fn save_lang(code: &str) {
    let _ = Area::Local.raw().set_item(LANG_KEY, code);
}
