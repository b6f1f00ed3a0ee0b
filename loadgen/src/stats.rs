//! Latency histograms and error counts, mergeable across worker processes.
//!
//! Each worker prints its [`Stats`] as JSON; the coordinator merges them.
//! Histograms are HDR (3 significant digits, microseconds up to 10 min)
//! and travel as their recorded (value, count) pairs.

use std::collections::BTreeMap;

use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};

/// One latency distribution, in microseconds.
#[derive(Debug, Clone)]
pub struct Latency(Histogram<u64>);

impl Default for Latency {
    fn default() -> Self {
        Latency(Histogram::new_with_bounds(1, 600_000_000, 3).expect("valid bounds"))
    }
}

impl Latency {
    pub fn record(&mut self, d: std::time::Duration) {
        let us = (d.as_micros() as u64).clamp(1, 600_000_000);
        let _ = self.0.record(us);
    }

    pub fn count(&self) -> u64 {
        self.0.len()
    }

    pub fn merge(&mut self, other: &Latency) {
        let _ = self.0.add(&other.0);
    }

    /// Percentiles in milliseconds.
    pub fn summary(&self) -> Summary {
        let ms = |us: u64| us as f64 / 1000.0;
        if self.0.is_empty() {
            return Summary::default();
        }
        Summary {
            count: self.0.len(),
            p50_ms: ms(self.0.value_at_quantile(0.50)),
            p90_ms: ms(self.0.value_at_quantile(0.90)),
            p99_ms: ms(self.0.value_at_quantile(0.99)),
            p999_ms: ms(self.0.value_at_quantile(0.999)),
            max_ms: ms(self.0.max()),
            mean_ms: self.0.mean() / 1000.0,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub count: u64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub p999_ms: f64,
    pub max_ms: f64,
    pub mean_ms: f64,
}

impl Serialize for Latency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let pairs: Vec<(u64, u64)> = self
            .0
            .iter_recorded()
            .map(|v| (v.value_iterated_to(), v.count_at_value()))
            .collect();
        pairs.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Latency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let pairs = Vec::<(u64, u64)>::deserialize(d)?;
        let mut h = Latency::default();
        for (v, n) in pairs {
            let _ = h.0.record_n(v.clamp(1, 600_000_000), n);
        }
        Ok(h)
    }
}

/// Everything one worker measured.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Stats {
    /// `POST /api/join` (or the baseline's join event), request to answer.
    pub join: Latency,
    /// TCP connect + WebSocket upgrade + hello → welcome.
    pub connect: Latency,
    /// An answer sent → its ack (the relay acks only once it is durable).
    pub ack: Latency,
    /// An answer sent → the proctor's row showing it.
    pub fanout: Latency,
    /// Students joined and welcomed.
    pub joined: u64,
    pub answers_sent: u64,
    pub answers_acked: u64,
    pub reconnects: u64,
    pub submitted: u64,
    /// Fresh snapshots a proctor connection got because it fell behind
    /// (the relay's answer to a slow reader, not an error).
    #[serde(default)]
    pub proctor_snapshots_after_lag: u64,
    /// Failures by kind (`join:<code>`, `ws:<code>`, `io:<kind>`, …).
    pub errors: BTreeMap<String, u64>,
    /// Seconds from the worker's start to its last student welcomed.
    pub all_in_s: f64,
    /// The worker's own CPU time (user + system), seconds: the generator
    /// shares the cores with the server it loads.
    pub cpu_s: f64,
}

impl Stats {
    pub fn error(&mut self, kind: impl Into<String>) {
        *self.errors.entry(kind.into()).or_default() += 1;
    }

    pub fn merge(&mut self, o: &Stats) {
        self.join.merge(&o.join);
        self.connect.merge(&o.connect);
        self.ack.merge(&o.ack);
        self.fanout.merge(&o.fanout);
        self.joined += o.joined;
        self.answers_sent += o.answers_sent;
        self.answers_acked += o.answers_acked;
        self.reconnects += o.reconnects;
        self.submitted += o.submitted;
        self.proctor_snapshots_after_lag += o.proctor_snapshots_after_lag;
        for (k, v) in &o.errors {
            *self.errors.entry(k.clone()).or_default() += v;
        }
        self.all_in_s = self.all_in_s.max(o.all_in_s);
        self.cpu_s += o.cpu_s;
    }

    pub fn error_count(&self) -> u64 {
        self.errors.values().sum()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn histograms_survive_json_and_merge() {
        let mut a = Stats::default();
        for ms in 1..=100 {
            a.ack.record(Duration::from_millis(ms));
        }
        a.error("join:internal");
        let text = serde_json::to_string(&a).unwrap();
        let back: Stats = serde_json::from_str(&text).unwrap();
        let mut m = Stats::default();
        m.merge(&back);
        m.merge(&back);
        let s = m.ack.summary();
        assert_eq!(s.count, 200);
        assert!((s.p50_ms - 50.0).abs() < 0.1, "{s:?}");
        assert!((s.p99_ms - 99.0).abs() < 0.1, "{s:?}");
        assert_eq!(m.errors["join:internal"], 2);
    }
}
