//! Reconnect delays: exponential with jitter, capped.
//!
//! After a network drop hundreds of students reconnect at once; jitter spreads
//! them out so the relay is not hit in one instant. The caller supplies the
//! random number, keeping this deterministic under test.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backoff {
    failures: u32,
    base_ms: u32,
    max_ms: u32,
}

impl Default for Backoff {
    /// 0.5 s doubling to at most 10 s.
    fn default() -> Self {
        Backoff::new(500, 10_000)
    }
}

impl Backoff {
    pub fn new(base_ms: u32, max_ms: u32) -> Self {
        Backoff {
            failures: 0,
            base_ms,
            max_ms,
        }
    }

    /// The delay before the next try. `random` in `[0, 1)` picks a point in
    /// the upper half of the current window ("equal jitter"), so the delay
    /// never collapses to zero.
    pub fn next_delay_ms(&mut self, random: f64) -> u32 {
        let window = u64::from(self.base_ms)
            .saturating_mul(1u64 << self.failures.min(20))
            .min(u64::from(self.max_ms));
        self.failures = self.failures.saturating_add(1);
        let random = random.clamp(0.0, 1.0);
        let half = window / 2;
        // Truncation is intended: sub-millisecond precision does not matter.
        (half + (half as f64 * random) as u64) as u32
    }

    /// A connection succeeded: start again from the base delay.
    pub fn reset(&mut self) {
        self.failures = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_caps_and_resets() {
        let mut b = Backoff::new(500, 4_000);
        let lows: Vec<u32> = (0..6).map(|_| b.next_delay_ms(0.0)).collect();
        assert_eq!(lows, [250, 500, 1_000, 2_000, 2_000, 2_000]);
        b.reset();
        assert_eq!(b.next_delay_ms(0.999_999), 499);
    }
}
