//! What a bridge check found, as lines a technician reads: each fact with
//! a verdict (fine, worth knowing, wrong). Pure: the page's probe gathers
//! the facts, this judges them.

use examgate_shared::chip::bridge::BridgeInfo;
use examgate_shared::chip::pace::supported_pace_infos;

use crate::i18n::Lang;

/// How a line reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Good,
    Warn,
    Bad,
}

impl Verdict {
    /// `data-verdict` and the banner class.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Good => "good",
            Verdict::Warn => "warn",
            Verdict::Bad => "bad",
        }
    }
}

/// One fact about the bridge or the card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Stable, for tests and styling (`data-fact`).
    pub fact: &'static str,
    pub label: String,
    pub value: String,
    pub verdict: Verdict,
}

/// What the card said, unparsed.
#[derive(Debug, Clone, PartialEq)]
pub struct CardFacts {
    pub atr: Vec<u8>,
    /// SW1 SW2 of SELECT of the eMRTD application.
    pub select_sw: [u8; 2],
    /// EF.CardAccess, when the chip has one (PACE).
    pub card_access: Option<Vec<u8>>,
    /// Mean time of one APDU round trip through the bridge, milliseconds.
    pub round_trip_ms: f64,
}

fn text(lang: Lang, vi: &str, en: &str) -> String {
    match lang {
        Lang::Vi => vi.to_owned(),
        Lang::En => en.to_owned(),
    }
}

fn yes_no(lang: Lang, yes: bool) -> String {
    text(
        lang,
        if yes { "có" } else { "không" },
        if yes { "yes" } else { "no" },
    )
}

/// The bridge's self-description, judged for reading ID cards.
pub fn bridge_lines(info: &BridgeInfo, lang: Lang) -> Vec<Line> {
    let firmware = info.firmware;
    let kbit = info.bit_rate / 1_000;
    vec![
        Line {
            fact: "protocol",
            label: text(lang, "Giao thức", "Protocol"),
            value: format!("{}.{}", info.protocol.major, info.protocol.minor),
            verdict: Verdict::Good,
        },
        Line {
            fact: "firmware",
            label: text(lang, "Phần mềm đầu đọc", "Firmware"),
            value: format!("{}.{}.{}", firmware.major, firmware.minor, firmware.patch),
            verdict: Verdict::Good,
        },
        Line {
            fact: "extended_length",
            label: text(lang, "APDU dài (extended length)", "Extended-length APDUs"),
            value: yes_no(lang, info.extended_length),
            // Without it a photo takes dozens of APDUs instead of a few.
            verdict: if info.extended_length {
                Verdict::Good
            } else {
                Verdict::Warn
            },
        },
        Line {
            fact: "max_apdu",
            label: text(lang, "APDU dài nhất", "Longest APDU"),
            value: format!("{} B", info.max_apdu_len),
            verdict: if info.max_apdu_len >= 1_024 {
                Verdict::Good
            } else {
                Verdict::Warn
            },
        },
        Line {
            fact: "bit_rate",
            label: text(lang, "Tốc độ với thẻ", "Card link"),
            value: if kbit == 0 {
                text(lang, "không rõ", "unknown")
            } else {
                format!("{kbit} kbit/s")
            },
            // At 106 kbit/s a 20 KB photo alone takes about 1.5 s.
            verdict: if kbit >= 212 {
                Verdict::Good
            } else {
                Verdict::Warn
            },
        },
    ]
}

/// The card's answers, judged: is it an ICAO 9303 chip, how is it opened,
/// how fast is the path to it.
pub fn card_lines(card: &CardFacts, lang: Lang) -> Vec<Line> {
    let emrtd = card.select_sw == [0x90, 0x00];
    let pace = card
        .card_access
        .as_deref()
        .map(supported_pace_infos)
        .and_then(Result::ok)
        .unwrap_or_default();
    let pace_value = if pace.is_empty() {
        text(lang, "không (chỉ BAC)", "no (BAC only)")
    } else {
        pace.iter()
            .map(|info| format!("{} {}", info.cipher.name(), info.curve.name()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    vec![
        Line {
            fact: "atr",
            label: "ATR".into(),
            value: hex(&card.atr),
            verdict: Verdict::Good,
        },
        Line {
            fact: "emrtd",
            label: text(
                lang,
                "Chip CCCD / hộ chiếu (ICAO 9303)",
                "ID card / passport chip (ICAO 9303)",
            ),
            value: if emrtd {
                text(lang, "có", "yes")
            } else {
                format!(
                    "{} (SW {})",
                    text(lang, "không", "no"),
                    hex(&card.select_sw)
                )
            },
            verdict: if emrtd { Verdict::Good } else { Verdict::Bad },
        },
        Line {
            fact: "pace",
            label: "PACE".into(),
            value: pace_value,
            verdict: if pace.is_empty() && emrtd {
                Verdict::Warn
            } else {
                Verdict::Good
            },
        },
        Line {
            fact: "round_trip",
            label: text(lang, "Thời gian một lệnh", "One command's round trip"),
            value: format!("{:.0} ms", card.round_trip_ms),
            // A check-in is about 17 APDUs: above 50 ms each, the wait shows.
            verdict: if card.round_trip_ms <= 50.0 {
                Verdict::Good
            } else {
                Verdict::Warn
            },
        },
    ]
}

/// The overall verdict: the worst line's.
pub fn overall(lines: &[Line]) -> Verdict {
    if lines.iter().any(|l| l.verdict == Verdict::Bad) {
        Verdict::Bad
    } else if lines.iter().any(|l| l.verdict == Verdict::Warn) {
        Verdict::Warn
    } else {
        Verdict::Good
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use examgate_shared::chip::bridge::{FirmwareVersion, PROTOCOL_VERSION};
    use examgate_shared::chip::pace::{Cipher, PaceInfo, StandardCurve, card_access};

    use super::*;

    fn info(bit_rate: u32, extended_length: bool) -> BridgeInfo {
        BridgeInfo {
            protocol: PROTOCOL_VERSION,
            firmware: FirmwareVersion {
                major: 0,
                minor: 1,
                patch: 0,
            },
            max_apdu_len: 8_192,
            extended_length,
            bit_rate,
        }
    }

    fn verdict_of(lines: &[Line], fact: &str) -> Verdict {
        lines.iter().find(|l| l.fact == fact).unwrap().verdict
    }

    #[test]
    fn a_slow_or_short_apdu_bridge_is_flagged_but_works() {
        let fast = bridge_lines(&info(424_000, true), Lang::En);
        assert_eq!(overall(&fast), Verdict::Good);
        let pn532 = bridge_lines(&info(106_000, true), Lang::Vi);
        assert_eq!(verdict_of(&pn532, "bit_rate"), Verdict::Warn);
        assert_eq!(
            pn532.iter().find(|l| l.fact == "bit_rate").unwrap().value,
            "106 kbit/s"
        );
        let short = bridge_lines(&info(424_000, false), Lang::En);
        assert_eq!(verdict_of(&short, "extended_length"), Verdict::Warn);
    }

    #[test]
    fn a_cccd_chip_is_recognised_with_its_pace_profile() {
        let cccd = CardFacts {
            atr: vec![0x3B, 0x80, 0x80, 0x01, 0x01],
            select_sw: [0x90, 0x00],
            card_access: Some(card_access(&[PaceInfo {
                cipher: Cipher::Aes128,
                curve: StandardCurve::BrainpoolP256r1,
            }])),
            round_trip_ms: 12.0,
        };
        let lines = card_lines(&cccd, Lang::En);
        assert_eq!(overall(&lines), Verdict::Good);
        assert_eq!(lines[0].value, "3B 80 80 01 01");
        assert_eq!(
            lines.iter().find(|l| l.fact == "pace").unwrap().value,
            "AES-128 brainpoolP256r1"
        );
    }

    #[test]
    fn another_card_is_not_taken_for_an_id_card() {
        let transit = CardFacts {
            atr: vec![0x3B, 0x80, 0x80, 0x01, 0x01],
            select_sw: [0x6A, 0x82],
            card_access: None,
            round_trip_ms: 80.0,
        };
        let lines = card_lines(&transit, Lang::Vi);
        assert_eq!(overall(&lines), Verdict::Bad);
        assert_eq!(
            lines.iter().find(|l| l.fact == "emrtd").unwrap().value,
            "không (SW 6A 82)"
        );
        assert_eq!(verdict_of(&lines, "round_trip"), Verdict::Warn);
    }
}
