//! How long card exchanges take, so tests and benchmarks can report a
//! realistic read time without waiting for it.
//!
//! The model is deliberately simple: every APDU costs its bytes on the
//! card link plus a fixed turnaround.
//!
//! ```text
//! exchange_time = (command bytes + response bytes) × 8 / bit_rate + turnaround
//! ```
//!
//! `bit_rate` is the card link's (ISO 14443 contactless: 106, 212, 424 or
//! 848 kbit/s; a CCCD with a common reader usually runs at 424). The
//! turnaround lumps together what does not scale with size: the card's
//! processing (secure messaging, flash reads), framing overhead (parity,
//! CRC, block chaining acknowledgements), the reader chip and the USB
//! round trip. 5 ms is typical of a BAC-protected READ BINARY; measure a
//! real bridge to calibrate. The emulation never sleeps: it adds up.

use std::time::Duration;

/// The card link's speed and per-APDU overhead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkModel {
    /// Bits per second on the card link, e.g. 424_000. 0 counts the
    /// turnaround only.
    pub bit_rate: u32,
    /// Fixed cost of each APDU, e.g. 5 ms.
    pub turnaround: Duration,
}

impl LinkModel {
    /// A CCCD at 424 kbit/s with 5 ms per APDU.
    pub const TYPICAL: LinkModel = LinkModel {
        bit_rate: 424_000,
        turnaround: Duration::from_millis(5),
    };

    /// The time one APDU exchange takes under this model.
    pub fn exchange_time(&self, command_len: usize, response_len: usize) -> Duration {
        self.transfer_time(command_len + response_len) + self.turnaround
    }

    /// The time `bytes` take on the link alone.
    pub fn transfer_time(&self, bytes: usize) -> Duration {
        if self.bit_rate == 0 {
            return Duration::ZERO;
        }
        // In nanoseconds with u128 so 64 KiB at 106 kbit/s cannot overflow.
        let nanos = bytes as u128 * 8 * 1_000_000_000 / u128::from(self.bit_rate);
        Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
    }
}

impl Default for LinkModel {
    fn default() -> Self {
        LinkModel::TYPICAL
    }
}

/// Adds up the emulated time of a session's exchanges.
#[derive(Debug, Clone, Default)]
pub struct LinkMeter {
    model: LinkModel,
    elapsed: Duration,
    apdus: u64,
}

impl LinkMeter {
    pub fn new(model: LinkModel) -> LinkMeter {
        LinkMeter {
            model,
            elapsed: Duration::ZERO,
            apdus: 0,
        }
    }

    pub fn model(&self) -> LinkModel {
        self.model
    }

    /// Counts one APDU exchange; returns its time.
    pub fn record_apdu(&mut self, command_len: usize, response_len: usize) -> Duration {
        let time = self.model.exchange_time(command_len, response_len);
        self.elapsed += time;
        self.apdus += 1;
        time
    }

    /// Counts a card activation (power on, the ATR back): one turnaround
    /// plus the ATR, and not an APDU.
    pub fn record_activation(&mut self, atr_len: usize) -> Duration {
        let time = self.model.exchange_time(0, atr_len);
        self.elapsed += time;
        time
    }

    /// Emulated time of everything recorded.
    pub fn emulated_time(&self) -> Duration {
        self.elapsed
    }

    /// APDUs exchanged.
    pub fn apdu_count(&self) -> u64 {
        self.apdus
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_cost_eight_bits_each_plus_the_turnaround() {
        let model = LinkModel {
            bit_rate: 424_000,
            turnaround: Duration::from_millis(5),
        };
        // 53 bytes = 424 bits = 1 ms.
        assert_eq!(model.exchange_time(13, 40), Duration::from_millis(6));
        assert_eq!(model.exchange_time(0, 0), Duration::from_millis(5));
    }

    #[test]
    fn an_extended_read_at_106_kbits_does_not_overflow() {
        let model = LinkModel {
            bit_rate: 106_000,
            turnaround: Duration::ZERO,
        };
        let time = model.exchange_time(9, 65_538);
        assert!(time > Duration::from_millis(4_900) && time < Duration::from_millis(5_000));
    }

    #[test]
    fn an_unknown_bit_rate_counts_the_turnaround_only() {
        let model = LinkModel {
            bit_rate: 0,
            turnaround: Duration::from_millis(2),
        };
        assert_eq!(model.exchange_time(100, 100), Duration::from_millis(2));
    }

    #[test]
    fn the_meter_adds_up_apdus_and_activations() {
        let mut meter = LinkMeter::new(LinkModel {
            bit_rate: 8_000,
            turnaround: Duration::from_millis(1),
        });
        meter.record_activation(10); // 10 ms + 1 ms
        meter.record_apdu(5, 5); // 10 ms + 1 ms
        meter.record_apdu(0, 0); // 1 ms
        assert_eq!(meter.emulated_time(), Duration::from_millis(23));
        assert_eq!(meter.apdu_count(), 2);
    }
}
