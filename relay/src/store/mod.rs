//! Durable storage in an embedded SQLite database.
//!
//! - [`schema`]: tables and connection settings (WAL, `synchronous=FULL`).
//! - [`load`]: reading everything back at start-up, replaying attempts.
//! - [`writer`]: the one writer thread, batching writes into group commits.
//! - [`oversight`]: proctors' controls, integrity signals, incidents and
//!   messages: their writes and reading them back.
//! - [`writes`]: the writes the relay makes, as plain functions on a
//!   transaction (the audit trail and answer events hash-chained).
//! - [`desk`]: the check-in desk (challenges, accepted check-ins' desks,
//!   seat codes), shared by every relay on the store.
//! - [`sessions`]: staff sessions kept across restarts (token hashes).
//! - [`chain_backfill`]: hashes for what an older schema stored unchained.
//! - [`person_ids`]: CCCD numbers sealed with their keyed hash, opened on
//!   load, and sealed in place where an older schema kept them in clear.
//!
//! Architecture invariant: the relay crate is the only one that touches the
//! database, and after start-up only the writer thread does.

pub mod chain_backfill;
pub mod checkpoint;
pub mod db;
pub mod desk;
pub mod load;
pub mod oversight;
pub mod person_ids;
pub mod pg_schema;
pub mod schema;
pub mod sessions;
pub mod writer;
pub mod writes;

/// The database's file name in the data folder.
pub const DB_FILE: &str = "examgate.sqlite3";

pub use load::{Loaded, StoredAttempt, load};
pub use schema::{is_empty, open};
pub use writer::{Store, StoreError};
