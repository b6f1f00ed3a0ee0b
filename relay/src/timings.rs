//! Where an event's time goes at the relay: waiting for its attempt's
//! lock, waiting for the commit, in all. Fixed logarithmic buckets (no
//! allocation, no lock), read by `GET /api/metrics` as percentiles: the
//! relay's own view of ack latency, apart from the network and the client.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Bucket `i` counts durations below `2^i` microseconds (the last one,
/// everything longer): 1 µs … 16 s.
const BUCKETS: usize = 25;

#[derive(Debug)]
pub struct Histogram {
    counts: [AtomicU64; BUCKETS],
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram {
            counts: std::array::from_fn(|_| AtomicU64::new(0)),
        }
    }
}

/// Percentiles as upper bounds of their bucket (so at most 2× high).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Percentiles {
    pub count: u64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub p999_ms: f64,
    pub max_ms: f64,
}

impl Histogram {
    pub fn record(&self, d: Duration) {
        let us = d.as_micros() as u64;
        let i = (64 - us.leading_zeros() as usize).min(BUCKETS - 1);
        self.counts[i].fetch_add(1, Ordering::Relaxed);
    }

    /// Durations recorded so far.
    pub fn count(&self) -> u64 {
        self.counts.iter().map(|c| c.load(Ordering::Relaxed)).sum()
    }

    pub fn percentiles(&self) -> Percentiles {
        let counts: Vec<u64> = self
            .counts
            .iter()
            .map(|c| c.load(Ordering::Relaxed))
            .collect();
        let total: u64 = counts.iter().sum();
        let bound = |i: usize| (1u64 << i) as f64 / 1000.0;
        let at = |q: f64| {
            let want = (q * total as f64).ceil() as u64;
            let mut seen = 0;
            for (i, c) in counts.iter().enumerate() {
                seen += c;
                if seen >= want.max(1) {
                    return bound(i);
                }
            }
            0.0
        };
        Percentiles {
            count: total,
            p50_ms: at(0.5),
            p99_ms: at(0.99),
            p999_ms: at(0.999),
            max_ms: counts.iter().rposition(|c| *c > 0).map_or(0.0, bound),
        }
    }
}

/// The relay's timings.
#[derive(Debug, Default)]
pub struct Timings {
    /// A numbered event, from its arrival to its reply (ack or refusal).
    pub event: Histogram,
    /// Of that, waiting for the attempt's lock.
    pub event_lock: Histogram,
    /// Of that, waiting for the database writer to commit.
    pub event_commit: Histogram,
    /// A join, from the request to the reply.
    pub join: Histogram,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TimingsSnapshot {
    pub event: Percentiles,
    pub event_lock: Percentiles,
    pub event_commit: Percentiles,
    pub join: Percentiles,
}

impl Timings {
    pub fn snapshot(&self) -> TimingsSnapshot {
        TimingsSnapshot {
            event: self.event.percentiles(),
            event_lock: self.event_lock.percentiles(),
            event_commit: self.event_commit.percentiles(),
            join: self.join.percentiles(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_bucket_bounds() {
        let h = Histogram::default();
        for _ in 0..99 {
            h.record(Duration::from_micros(300));
        }
        h.record(Duration::from_millis(40));
        let p = h.percentiles();
        assert_eq!(p.count, 100);
        assert_eq!(p.p50_ms, 0.512);
        assert_eq!(p.p99_ms, 0.512);
        assert_eq!(p.max_ms, 65.536);
    }
}
