//! The browser's clock, in the shared crate's units.
//!
//! Only local time is read here; the relay's time is always estimated
//! through [`examgate_shared::clock::ClockSync`].

use examgate_shared::Millis;

/// Local milliseconds since the Unix epoch (`Date.now()`).
pub fn now() -> Millis {
    // Date.now() is an integral f64 well inside i64's range.
    js_sys::Date::now() as Millis
}

/// `HH:MM:SS` of an epoch time in the PC's time zone, for the relay clock a
/// proctor sees.
pub fn wall_clock(ms: Millis) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!(
        "{:02}:{:02}:{:02}",
        date.get_hours(),
        date.get_minutes(),
        date.get_seconds()
    )
}

/// `DD/MM/YYYY HH:MM` of an epoch time in the PC's time zone, day first as
/// Vietnamese dates are written; for when a sitting opens and closes.
pub fn date_time(ms: Millis) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!(
        "{:02}/{:02}/{} {:02}:{:02}",
        date.get_date(),
        date.get_month() + 1,
        date.get_full_year(),
        date.get_hours(),
        date.get_minutes()
    )
}
