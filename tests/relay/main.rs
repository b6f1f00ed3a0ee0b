//! Integration tests against a real relay on 127.0.0.1:0: real HTTP and
//! WebSocket clients, the real SQLite file inspected from outside, and the
//! software card-reader bridge.
//!
//! One test binary, one module per area: every integration test links the
//! whole relay, and one binary per file cost a link and ~70 MB of disk each.

mod audit;
mod bank;
mod checkin;
mod cluster;
mod cluster_checkin;
mod faults;
mod http;
mod office;
mod proctor;
mod publish;
mod roster_import;
mod storage;
mod usb_bridge;
mod ws;
