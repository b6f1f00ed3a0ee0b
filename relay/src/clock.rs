//! The relay's clock: the one time authority of the whole system.

use examgate_shared::Millis;

/// Milliseconds since the Unix epoch, from the relay host's clock.
pub fn now_ms() -> Millis {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the host clock is after 1970");
    Millis::try_from(since.as_millis()).expect("milliseconds fit in i64")
}
