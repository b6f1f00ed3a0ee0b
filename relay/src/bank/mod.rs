//! The question bank on the relay: imports, the bank's questions and their
//! versions, exports, papers built from blueprints, practice exams, and
//! what each sitting teaches the bank.
//!
//! - [`rows`]: the SQL of the bank tables, as plain functions.
//! - [`access`]: who sees and edits which questions (teachers their
//!   subject's and what the office shared; the office everything).
//! - [`import`]: a file in, every question previewed or stored, all or
//!   nothing.
//! - [`items`]: search, the editor's view, versioned edits, sharing, export.
//! - [`papers`]: blueprints → papers (with the predicted distribution) and
//!   practice exams with a join code.
//! - [`cli`]: `examgate-relay bank check | convert | import` for bulk work.
//! - [`learn`]: after a sitting's results, each bank question's facility,
//!   discrimination and flags are stored against it.
//!
//! The file formats themselves are `examgate_bank_formats`; the model and
//! the blueprint chooser are `examgate_shared::bank`.

pub mod access;
pub mod cli;
pub mod import;
pub mod items;
pub mod learn;
pub mod papers;
pub mod rows;
