//! Where an event's time goes at the relay: waiting for its attempt's
//! lock, waiting for the commit, in all. Fixed logarithmic buckets, four
//! per doubling (no allocation, no lock), read by `GET /api/metrics` as
//! percentiles: the relay's own view of ack latency, apart from the network
//! and the client, to within a quarter of its value.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Sub-buckets per doubling: a percentile reads at most 25 % high.
const PER_OCTAVE: usize = 4;
/// The doublings covered above the first four microseconds: to 2^24 µs,
/// about 16 s (the last bucket takes everything longer).
const OCTAVES: usize = 23;
/// Buckets 0–3 count 0, 1, 2 and 3 µs; then each doubling `[2^k, 2^(k+1))`
/// from k = 2 is split into four equal parts.
const BUCKETS: usize = PER_OCTAVE + OCTAVES * PER_OCTAVE;

/// The bucket of `us` microseconds.
fn bucket(us: u64) -> usize {
    if us < PER_OCTAVE as u64 {
        return us as usize;
    }
    let top = 63 - us.leading_zeros() as usize; // 2 or more
    let part = ((us >> (top - 2)) & 3) as usize;
    (PER_OCTAVE + (top - 2) * PER_OCTAVE + part).min(BUCKETS - 1)
}

/// The exclusive upper bound of bucket `i`, in microseconds.
fn upper_bound_us(i: usize) -> u64 {
    if i < PER_OCTAVE {
        return i as u64 + 1;
    }
    let top = (i - PER_OCTAVE) / PER_OCTAVE + 2;
    let part = ((i - PER_OCTAVE) % PER_OCTAVE) as u64;
    (4 + part + 1) << (top - 2)
}

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

/// Percentiles as upper bounds of their bucket (so at most 25 % high).
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
        let us = u64::try_from(d.as_micros()).unwrap_or(u64::MAX);
        self.counts[bucket(us)].fetch_add(1, Ordering::Relaxed);
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
        let bound = |i: usize| upper_bound_us(i) as f64 / 1000.0;
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
    fn percentiles_are_bucket_bounds_within_a_quarter() {
        let h = Histogram::default();
        for _ in 0..99 {
            h.record(Duration::from_micros(300));
        }
        h.record(Duration::from_millis(40));
        let p = h.percentiles();
        assert_eq!(p.count, 100);
        // 300 µs falls in [256, 320): read as 0.32 ms.
        assert_eq!(p.p50_ms, 0.32);
        assert_eq!(p.p99_ms, 0.32);
        // 40,000 µs falls in [40,960 − 8,192, 40,960): read as 40.96 ms.
        assert_eq!(p.max_ms, 40.96);
    }

    #[test]
    fn every_duration_lands_under_its_bucket_bound_and_above_the_previous() {
        for us in (0..5_000u64).chain([65_535, 65_536, 1 << 23, (1 << 24) - 1]) {
            let i = bucket(us);
            assert!(us < upper_bound_us(i), "{us} µs in bucket {i}");
            if i > 0 {
                assert!(us >= upper_bound_us(i - 1), "{us} µs in bucket {i}");
            }
            assert!(
                upper_bound_us(i) * 4 <= (us + 1) * 5 + 4,
                "within 25 %: {us}"
            );
        }
        // Longer than the last bound: the last bucket.
        assert_eq!(bucket(u64::MAX), BUCKETS - 1);
    }
}
