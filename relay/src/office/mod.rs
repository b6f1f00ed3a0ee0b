//! The exam office: everything around the 45 minutes. Planning an event
//! (sites, rooms, papers, shifts and their join codes), importing its
//! roster, staff accounts and the one-time set-up link of a fresh relay,
//! and handing in (XLSX, the inspection package, candidate detail), with
//! the retention purge of personal data.
//!
//! - [`setup`]: the set-up link for the first exam-office account.
//! - [`accounts`]: staff accounts, scopes, disabling, password resets.
//! - [`plan`]: events, sites, rooms, papers, shifts, join codes.
//! - [`workbook`]: roster files (.xlsx, .xls, CSV) as sheets of cells.
//! - [`roster`]: the all-or-nothing roster import.
//! - [`handin`]: hand-in rows, XLSX, inspection package, access log;
//!   `evidence`: the package's evidence tables as JSON lines.
//! - [`publish`]: publishing an event's results, after which they change
//!   only through a correction.
//! - [`retention`]: what is kept how long, and the purge.

pub mod accounts;
mod evidence;
pub mod handin;
pub mod plan;
pub mod publish;
pub mod retention;
pub mod roster;
pub mod setup;
pub mod workbook;
