//! The exam office, sans-IO: rosters in from the schools' spreadsheets,
//! rooms, seats and candidate numbers out.
//!
//! The relay turns an uploaded .xlsx, .xls or CSV into [`sheet::Sheet`]s;
//! everything from there on is here, so the browser can preview an import
//! with the very rules the relay commits it with.
//!
//! - [`sheet`]: the input grid (cells, merges), independent of file format.
//! - [`names`]: Vietnamese names: NFC cleaning, header folding, the
//!   tone-style match key, list order.
//! - [`dates`]: Excel serials and day-first text dates.
//! - [`fields`]: the column allow-list with its header aliases, and the
//!   headers of personal data that is never kept.
//! - [`roster_import`]: sheets → [`preview::RosterPreview`] (candidates and
//!   every problem at its cell); `header`, `cells` and `places` are its
//!   parts (finding the header, reading typed values, matching sites,
//!   rooms and shifts).
//! - [`preview`]: what an import reports.
//! - [`allocate`]: rooms, seats and candidate numbers in list order.
//! - [`api`]: the exam office's HTTP messages and Vietnam-time arithmetic.

pub mod allocate;
pub mod api;
mod cells;
pub mod dates;
pub mod fields;
mod header;
pub mod names;
mod places;
pub mod preview;
pub mod roster_import;
pub mod sheet;

pub use allocate::{AllocationError, RoomCapacity, allocate, assign_candidate_numbers};
pub use dates::{Date, DateError};
pub use roster_import::{
    ColumnMapping, DroppedColumn, ImportContext, ImportedCandidate, RosterPreview, RowIssue,
    SheetSummary, import_roster,
};
pub use sheet::{Cell, Merge, Sheet, column_letter};
