//! The load generator: simulated students and proctors that speak the
//! relay's real protocol (docs/protocol.md), and the same workload against
//! a plain Socket.IO 4 server as a baseline.
//!
//! - [`http1`]: the few HTTP/1.1 requests the load needs, from a chosen
//!   source address (loopback load spreads over 127.0.0.x: each address has
//!   its own ~28,000 ephemeral ports).
//! - [`student`]: one examgate student — join, hello, answers through the
//!   shared [`examgate_shared::outbox::Outbox`] exactly as the client
//!   keeps them, reconnects that resend, submit.
//! - [`proctor`]: one examgate proctor connection watching rooms; it times
//!   each answer from the student's send to the row reaching the proctor.
//! - [`socketio`]: the same student and proctor against the baseline.
//! - [`worker`]: one process's share of the load; [`coordinator`] runs
//!   several worker processes and samples the server's RSS and CPU
//!   ([`procstat`]); [`stats`] holds the mergeable histograms.
//! - [`bench`]: the benchmark scenarios (`target/bench/load.json`);
//!   [`chaos`]: SIGKILL the relay at random moments under load and check
//!   that nothing acknowledged was lost.

pub mod bench;
pub mod bench_cluster;
pub mod chaos;
pub mod coordinator;
pub mod failover;
pub mod http1;
pub mod priority;
pub mod procstat;
pub mod proctor;
pub mod record;
pub mod server;
pub mod socketio;
pub mod stats;
pub mod student;
pub mod worker;
