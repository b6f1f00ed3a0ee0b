//! Durable storage in an embedded SQLite database.
//!
//! - [`schema`]: tables and connection settings (WAL, `synchronous=FULL`).
//! - [`load`]: reading everything back at start-up, replaying attempts.
//! - [`writer`]: the one writer thread, batching writes into group commits.
//! - [`writes`]: the writes the relay makes, as plain functions on a
//!   transaction.
//!
//! Architecture invariant: the relay crate is the only one that touches the
//! database, and after start-up only the writer thread does.

pub mod load;
pub mod schema;
pub mod writer;
pub mod writes;

pub use load::{Loaded, StoredAttempt, load};
pub use schema::{is_empty, open};
pub use writer::{Store, StoreError};
