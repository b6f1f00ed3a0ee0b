//! Following the relay's clock from the browser.
//!
//! The relay owns time. The client only measures the offset between its own
//! clock and the relay's, NTP-style: it notes when it sent a ping (`t0`), the
//! relay stamps its time (`ts`), and the client notes when the pong came back
//! (`t1`). Assuming symmetric delay, `offset = ts − (t0 + t1) / 2`, with an
//! error of at most half the round trip, so the sample with the shortest
//! round trip is kept. A PC clock that is wrong by an hour only changes the
//! offset, never the countdown.

use serde::{Deserialize, Serialize};

use crate::Millis;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockSync {
    best: Option<Sample>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Sample {
    offset: Millis,
    round_trip: Millis,
}

impl ClockSync {
    /// Records one exchange. Samples with a negative round trip (the local
    /// clock jumped) are ignored.
    pub fn observe(&mut self, sent_local: Millis, relay_time: Millis, received_local: Millis) {
        let round_trip = received_local - sent_local;
        if round_trip < 0 {
            return;
        }
        let offset = relay_time - (sent_local + round_trip / 2);
        let better = self.best.is_none_or(|b| round_trip <= b.round_trip);
        if better {
            self.best = Some(Sample { offset, round_trip });
        }
    }

    /// Forgets old samples, e.g. after the PC clock was changed.
    pub fn reset(&mut self) {
        self.best = None;
    }

    pub fn is_synced(&self) -> bool {
        self.best.is_some()
    }

    /// The relay's time now, estimated from the local time.
    pub fn relay_now(&self, local_now: Millis) -> Millis {
        local_now + self.best.map_or(0, |b| b.offset)
    }

    /// Milliseconds left until `deadline` (relay time), never negative.
    pub fn remaining(&self, deadline: Millis, local_now: Millis) -> Millis {
        (deadline - self.relay_now(local_now)).max(0)
    }

    /// How far off the estimate can be: half the best round trip.
    pub fn uncertainty(&self) -> Option<Millis> {
        self.best.map(|b| b.round_trip / 2)
    }
}

/// `m:ss` or `h:mm:ss` for a countdown.
pub fn format_countdown(ms: Millis) -> String {
    let total = ms.max(0) / 1000;
    let (h, m, s) = (total / 3600, (total / 60) % 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Millis = 3_600_000;

    #[test]
    fn skewed_pc_clock_gives_the_right_remaining_time() {
        let relay_now = 1_800_000_000_000;
        let deadline = relay_now + 45 * 60_000;
        for skew in [-HOUR, 0, HOUR] {
            let mut c = ClockSync::default();
            // 40 ms round trip; the relay stamped its time half-way.
            let t0 = relay_now + skew - 20;
            c.observe(t0, relay_now, t0 + 40);
            assert_eq!(
                c.remaining(deadline, t0 + 40),
                45 * 60_000 - 20,
                "skew {skew}"
            );
        }
    }

    #[test]
    fn keeps_the_shortest_round_trip() {
        let mut c = ClockSync::default();
        c.observe(0, 1_000, 400); // offset 800, rtt 400
        c.observe(1_000, 1_900, 1_010); // offset 895, rtt 10
        c.observe(2_000, 5_000, 2_900); // rtt 900: ignored
        assert_eq!(c.relay_now(0), 895);
        assert_eq!(c.uncertainty(), Some(5));
        c.observe(10, 0, 5); // clock jumped backwards mid-exchange: ignored
        assert_eq!(c.relay_now(0), 895);
    }

    #[test]
    fn remaining_never_negative() {
        let c = ClockSync::default();
        assert_eq!(c.remaining(100, 1_000), 0);
    }

    #[test]
    fn countdown_format() {
        assert_eq!(format_countdown(0), "0:00");
        assert_eq!(format_countdown(61_999), "1:01");
        assert_eq!(format_countdown(90 * 60_000), "1:30:00");
        assert_eq!(format_countdown(-5), "0:00");
    }
}
