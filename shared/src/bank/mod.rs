//! The question bank: questions as teachers keep them, before they are
//! placed on a paper.
//!
//! - [`item`]: one bank question (text, kind and key, explanation, images,
//!   metadata) and where it came from in an imported file.
//! - [`images`]: pictures as bank references and as the `data:` URLs a
//!   paper carries.
//! - [`api`]: the bodies of `/api/bank/*`.
//! - [`blueprint`]: a paper from the bank by kind, topic and level, aimed
//!   at a target facility, with its predicted score distribution.
//! - [`print`]: every version of a paper with its answer key, for rooms
//!   that fall back to printed papers.
//! - [`fold`]: text normalised for search and duplicate detection
//!   ("phuong trinh" finds "phương trình").
//!
//! The file formats (Word, GIFT, Aiken, Moodle XML, QTI) are read and written
//! by the `examgate-bank-formats` crate, which only the relay and the command
//! line link: the browser never parses an imported file.

pub mod api;
pub mod blueprint;
pub mod fold;
pub mod images;
pub mod item;
pub mod print;

pub use item::{Image, Item, KeyMarking, Level, Meta, Position, Problem};
