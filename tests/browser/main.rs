//! End-to-end tests in Debian's headless Chromium (and, in `firefox.rs`,
//! Firefox ESR) against the real relay
//! serving the real wasm client.
//!
//! One test binary, one module per area (one binary per file cost a link and
//! ~85 MB of disk each). Tests still take their turn at the one browser
//! (`support/browser.rs`), so on two cores no two Chromiums run at once.

mod a11y;
mod bank;
mod checkin;
mod e2e;
mod firefox;
mod keyboard;
mod mathml;
mod office;
mod proctor_control;
mod proctor_view;
mod zoom;
