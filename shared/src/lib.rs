//! The sans-IO core of examgate, shared by the relay and the browser client.
//!
//! Nothing in this crate opens a socket, reads a clock or touches storage:
//! every function takes the current time and the incoming data as arguments
//! and returns what should happen next. The relay and the client are thin
//! shells that drive these types, so the rules live exactly once.
//!
//! # Layout
//!
//! - [`exam`]: the exam definition: sections, four question kinds, keys,
//!   versioning.
//! - [`paper`]: the key-free paper a candidate sees, in their arrangement.
//! - [`answer`]: what a student answered, and whether it fits the question.
//! - [`points`]: exact points, exact fractional scores, and the 10-point
//!   mark with its rounding rule.
//! - [`scoring`]: grading an attempt's answers against the keys, exactly.
//! - [`analysis`]: classical item analysis of the marks (Moodle's statistics).
//! - [`correction`]: fixing a key or voiding a question after the fact.
//! - [`results`]: graded attempts → response matrix, analysis, CSV export.
//! - [`compact`]: one-byte responses graded by tables the real rules fill.
//! - [`import`]: answer sheets from elsewhere (CSV key + responses), graded
//!   and analysed the same way.
//! - [`attempt`]: the attempt lifecycle (not started → working → submitted or
//!   closed at the deadline) and the per-attempt event sequence.
//! - [`control`]: proctors' controls of an attempt (extra time, pause,
//!   resume, end, reopen) and the clock the student's page shows.
//! - [`integrity`]: the warnings a proctor sees (tab hidden, full screen
//!   left, paste, reload, network lost, second connection, address change).
//! - [`audit_chain`]: the hash chain that makes the audit trail and the
//!   answer events tamper-evident.
//! - [`outbox`]: the client's numbered, reload-proof queue of unacknowledged
//!   events and its reconciliation with what the relay says it stored.
//! - [`clock`]: estimating the relay's clock from the client's, so the
//!   countdown is right whatever the student's PC clock says.
//! - [`backoff`]: the reconnect delay schedule.
//! - [`protocol`]: every WebSocket message, encoding, decoding and limits.
//! - [`error`]: the error codes both sides speak.
//! - [`tag_first`]: how the browser reads the relay's tagged messages
//!   without buffering them (a tenth of the student's module less).
//! - [`proctoring`]: proctors' actions, incidents, messages, room summaries,
//!   search and timelines (the `/api/proctor/*` shapes).
//! - [`roster`]: the rows a proctor sees, and how a row's status is derived.
//! - [`tex`]: TeX maths in question text turned into MathML.
//! - [`numeric`]: typed numeric answers, parsed and compared exactly.
//! - [`shuffle`]: deterministic per-candidate orders with pinned items.
//! - [`checkin`]: the chip-ID check-in messages (challenge, card files,
//!   proctor decision, seat codes).
//! - [`chip`]: reading the chip ID card (BAC, secure messaging, the data
//!   groups, the USB bridge framing) and, with feature `verify`, proving it
//!   genuine (passive and active authentication).
//! - [`csv`]: a small CSV reader and writer for keys, imports and exports.
//! - [`bank`]: the question bank's questions, levels, images, and the
//!   text forms for search and duplicate detection.
//! - [`office`]: the exam office: roster import from school spreadsheets
//!   (headers, Vietnamese names and dates, personal-data allow-list), room
//!   and seat allocation, candidate numbers.

pub mod analysis;
pub mod answer;
pub mod attempt;
pub mod audit_chain;
pub mod backoff;
pub mod bank;
pub mod checkin;
pub mod chip;
pub mod clock;
pub mod compact;
pub mod control;
pub mod correction;
pub mod csv;
pub mod error;
pub mod exam;
pub mod import;
pub mod integrity;
pub mod numeric;
pub mod office;
pub mod outbox;
pub mod paper;
pub mod points;
pub mod proctoring;
pub mod protocol;
pub mod results;
pub mod roster;
pub mod scoring;
pub mod shuffle;
pub mod tag_first;
pub mod tex;

/// Milliseconds since the Unix epoch, on the relay's clock unless a name says
/// otherwise. Plain `i64` so it crosses JSON and JavaScript without loss.
pub type Millis = i64;
