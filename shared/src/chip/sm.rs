//! Secure messaging after BAC or PACE (ICAO 9303 Part 11 §9.8): every
//! command and response is encrypted (DO87), carries its expected length
//! (DO97) or status (DO99), and is authenticated (DO8E) over the send
//! sequence counter, which both sides increment before every protected
//! command and every protected response.
//!
//! Two cipher suites: 3DES (BAC, and PACE/CA with 3DES) — two-key 3DES-CBC
//! with a zero IV, retail MAC, 8-byte counter; and AES (PACE/CA with AES) —
//! AES-CBC whose IV is the counter encrypted under the encryption key,
//! AES-CMAC truncated to 8 bytes, 16-byte counter, 16-byte padding blocks.
//!
//! Both sides live here: the terminal ([`SecureChannel::protect`],
//! [`SecureChannel::unprotect`]) for the client, the card
//! ([`SecureChannel::card_unprotect`], [`SecureChannel::card_protect`]) for
//! the emulator, so the two can never disagree about the encoding.

use thiserror::Error;

use super::apdu::{ApduError, Command, Response};
use super::crypto::{self, AesKey, Key16};
use super::tlv::{self, TlvError};

/// Why a protected message was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SmError {
    #[error("malformed APDU: {0}")]
    Apdu(#[from] ApduError),
    #[error("malformed secure-messaging objects: {0}")]
    Tlv(#[from] TlvError),
    #[error("secure-messaging MAC missing or wrong")]
    BadMac,
    #[error("encrypted data malformed")]
    BadCryptogram,
    #[error("the status in DO99 does not match the status word")]
    StatusMismatch,
    #[error("command is not marked as secure messaging")]
    NotProtected,
}

/// The session keys of a secure channel, with their cipher suite.
#[derive(Clone, PartialEq, Eq)]
pub enum SmKeys {
    /// Two-key 3DES and the retail MAC.
    Tdes { k_enc: Key16, k_mac: Key16 },
    /// AES (128, 192 or 256) and AES-CMAC.
    Aes { k_enc: AesKey, k_mac: AesKey },
}

/// One secure-messaging session: the keys and the send sequence counter.
#[derive(Clone, PartialEq, Eq)]
pub struct SecureChannel {
    keys: SmKeys,
    ssc: u128,
}

// Keys stay out of logs.
impl std::fmt::Debug for SecureChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecureChannel").finish_non_exhaustive()
    }
}

/// The largest plain response a protected short APDU can carry: its DO87,
/// DO99 and DO8E must fit in 256 bytes.
pub const SHORT_MAX_PLAIN_LE: usize = 231;

impl SecureChannel {
    /// A 3DES channel (BAC: the counter starts from the two nonces).
    pub fn new(k_enc: Key16, k_mac: Key16, ssc: u64) -> Self {
        SecureChannel {
            keys: SmKeys::Tdes { k_enc, k_mac },
            ssc: u128::from(ssc),
        }
    }

    /// A channel with these keys and a zero counter (PACE, CA).
    pub fn with_keys(keys: SmKeys) -> Self {
        SecureChannel { keys, ssc: 0 }
    }

    /// The channel as bytes (suite, counter, keys), so a relay can keep a
    /// channel it opened while the card is read elsewhere in its shared
    /// store. Key material: the caller seals it before it leaves memory.
    pub fn to_state(&self) -> Vec<u8> {
        let (suite, k_enc, k_mac) = match &self.keys {
            SmKeys::Tdes { k_enc, k_mac } => (1u8, &k_enc[..], &k_mac[..]),
            SmKeys::Aes { k_enc, k_mac } => (2u8, k_enc.as_bytes(), k_mac.as_bytes()),
        };
        let mut out = vec![suite];
        out.extend_from_slice(&self.ssc.to_be_bytes());
        for key in [k_enc, k_mac] {
            out.push(key.len() as u8);
            out.extend_from_slice(key);
        }
        out
    }

    /// The channel [`SecureChannel::to_state`] wrote; `None` for any other
    /// bytes.
    pub fn from_state(state: &[u8]) -> Option<Self> {
        let (&suite, rest) = state.split_first()?;
        let (ssc, rest) = rest.split_at_checked(16)?;
        let ssc = u128::from_be_bytes(ssc.try_into().ok()?);
        let (&enc_len, rest) = rest.split_first()?;
        let (k_enc, rest) = rest.split_at_checked(usize::from(enc_len))?;
        let (&mac_len, rest) = rest.split_first()?;
        let (k_mac, rest) = rest.split_at_checked(usize::from(mac_len))?;
        if !rest.is_empty() {
            return None;
        }
        let keys = match suite {
            1 => SmKeys::Tdes {
                k_enc: k_enc.try_into().ok()?,
                k_mac: k_mac.try_into().ok()?,
            },
            2 => SmKeys::Aes {
                k_enc: AesKey::new(k_enc)?,
                k_mac: AesKey::new(k_mac)?,
            },
            _ => return None,
        };
        Some(SecureChannel { keys, ssc })
    }

    pub fn k_enc(&self) -> &[u8] {
        match &self.keys {
            SmKeys::Tdes { k_enc, .. } => k_enc,
            SmKeys::Aes { k_enc, .. } => k_enc.as_bytes(),
        }
    }

    pub fn k_mac(&self) -> &[u8] {
        match &self.keys {
            SmKeys::Tdes { k_mac, .. } => k_mac,
            SmKeys::Aes { k_mac, .. } => k_mac.as_bytes(),
        }
    }

    pub fn ssc(&self) -> u128 {
        self.ssc
    }

    /// 8 for 3DES, 16 for AES: the padding block.
    fn block(&self) -> usize {
        match self.keys {
            SmKeys::Tdes { .. } => crypto::BLOCK,
            SmKeys::Aes { .. } => crypto::AES_BLOCK,
        }
    }

    /// Increments the counter and returns it as the suite encodes it.
    fn next_ssc(&mut self) -> Vec<u8> {
        self.ssc = self.ssc.wrapping_add(1);
        match self.keys {
            SmKeys::Tdes { .. } => (self.ssc as u64).to_be_bytes().to_vec(),
            SmKeys::Aes { .. } => self.ssc.to_be_bytes().to_vec(),
        }
    }

    fn pad(&self, data: &[u8]) -> Vec<u8> {
        crypto::pad_to(data, self.block())
    }

    fn mac_of(&self, ssc: &[u8], parts: &[&[u8]]) -> [u8; 8] {
        let mut n = ssc.to_vec();
        for part in parts {
            n.extend_from_slice(part);
        }
        let padded = self.pad(&n);
        match &self.keys {
            SmKeys::Tdes { k_mac, .. } => crypto::mac(k_mac, &padded),
            SmKeys::Aes { k_mac, .. } => crypto::cmac8(k_mac, &padded),
        }
    }

    /// The AES IV of a message: its counter encrypted under K_enc.
    fn aes_iv(k_enc: &AesKey, ssc: &[u8]) -> [u8; 16] {
        let block = crypto::aes_encrypt(k_enc, &[0; 16], ssc).expect("a 16-byte counter");
        block.try_into().expect("one block")
    }

    /// DO87's cryptogram of `data` (padded here).
    fn encrypt(&self, ssc: &[u8], data: &[u8]) -> Vec<u8> {
        let padded = self.pad(data);
        match &self.keys {
            SmKeys::Tdes { k_enc, .. } => crypto::encrypt(k_enc, &padded),
            SmKeys::Aes { k_enc, .. } => {
                crypto::aes_encrypt(k_enc, &Self::aes_iv(k_enc, ssc), &padded)
            }
        }
        .expect("padded data is whole blocks")
    }

    /// The protected form of `cmd` (terminal side). The outer APDU is in
    /// extended form when the command or its protected answer would not fit
    /// a short one.
    pub fn protect(&mut self, cmd: &Command) -> Result<Vec<u8>, SmError> {
        let ssc = self.next_ssc();
        let header = self.pad(&[cmd.cla | 0x0C, cmd.ins, cmd.p1, cmd.p2]);
        let do87 = if cmd.data.is_empty() {
            Vec::new()
        } else {
            let cipher = self.encrypt(&ssc, &cmd.data);
            tlv::encode(0x87, &[&[0x01][..], &cipher].concat())
        };
        let do97 = match cmd.le {
            None => Vec::new(),
            Some(le) if le <= 256 => vec![0x97, 0x01, (le % 256) as u8],
            Some(le) => {
                let [hi, lo] = ((le % 65_536) as u16).to_be_bytes();
                vec![0x97, 0x02, hi, lo]
            }
        };
        let mac = self.mac_of(&ssc, &[&header, &do87, &do97]);
        let data = [do87, do97, tlv::encode(0x8E, &mac)].concat();
        let outer_extended = cmd.le.is_some_and(|le| le > SHORT_MAX_PLAIN_LE) || data.len() > 255;
        let outer = Command {
            cla: cmd.cla | 0x0C,
            ins: cmd.ins,
            p1: cmd.p1,
            p2: cmd.p2,
            data,
            le: Some(if outer_extended { 65_536 } else { 256 }),
        };
        Ok(outer.encode(outer_extended)?)
    }

    /// Checks and opens a protected response (terminal side). A bare error
    /// status without secure-messaging objects is passed through: cards
    /// answer some failures in plain (e.g. `6988`), and those carry no data
    /// that needs trusting.
    pub fn unprotect(&mut self, bytes: &[u8]) -> Result<Response, SmError> {
        let ssc = self.next_ssc();
        let outer = Response::parse(bytes)?;
        if outer.data.is_empty() {
            if outer.sw == super::apdu::sw::OK {
                return Err(SmError::BadMac);
            }
            return Ok(outer);
        }
        let mut do87 = None;
        let mut do99 = None;
        let mut do8e = None;
        let mut covered_end = 0;
        for item in tlv::Reader::new(&outer.data) {
            let item = item?;
            match item.tag {
                0x87 => do87 = Some(item),
                0x99 => do99 = Some(item),
                0x8E => {
                    do8e = Some(item);
                    break;
                }
                _ => {}
            }
            covered_end += item.raw.len();
        }
        let do8e = do8e.ok_or(SmError::BadMac)?;
        let expected = self.mac_of(&ssc, &[&outer.data[..covered_end]]);
        if !crypto::mac_eq(&expected, do8e.value) {
            return Err(SmError::BadMac);
        }
        let sw = match do99 {
            Some(d) if d.value.len() == 2 => u16::from_be_bytes([d.value[0], d.value[1]]),
            Some(_) => return Err(SmError::BadCryptogram),
            None => outer.sw,
        };
        if sw != outer.sw {
            return Err(SmError::StatusMismatch);
        }
        let data = match do87 {
            None => Vec::new(),
            Some(d) => self.open_do87(&ssc, d.value)?,
        };
        Ok(Response::new(data, sw))
    }

    fn open_do87(&self, ssc: &[u8], value: &[u8]) -> Result<Vec<u8>, SmError> {
        let [0x01, cipher @ ..] = value else {
            return Err(SmError::BadCryptogram);
        };
        let plain = match &self.keys {
            SmKeys::Tdes { k_enc, .. } => crypto::decrypt(k_enc, cipher),
            SmKeys::Aes { k_enc, .. } => {
                crypto::aes_decrypt(k_enc, &Self::aes_iv(k_enc, ssc), cipher)
            }
        }
        .map_err(|_| SmError::BadCryptogram)?;
        Ok(crypto::unpad_from(&plain, self.block())
            .map_err(|_| SmError::BadCryptogram)?
            .to_vec())
    }

    /// Checks and opens a protected command (card side). Returns the plain
    /// command and whether the outer APDU was extended.
    pub fn card_unprotect(&mut self, bytes: &[u8]) -> Result<(Command, bool), SmError> {
        let ssc = self.next_ssc();
        let (outer, extended) = Command::parse(bytes)?;
        if outer.cla & 0x0C != 0x0C {
            return Err(SmError::NotProtected);
        }
        let header = self.pad(&[outer.cla, outer.ins, outer.p1, outer.p2]);
        let mut plain = Command::new(outer.cla & !0x0C, outer.ins, outer.p1, outer.p2);
        let mut covered = Vec::new();
        let mut mac = None;
        for item in tlv::Reader::new(&outer.data) {
            let item = item?;
            match item.tag {
                0x87 => plain.data = self.open_do87(&ssc, item.value)?,
                0x97 => {
                    plain.le = Some(match item.value {
                        [0] => 256,
                        [n] => usize::from(*n),
                        [0, 0] => 65_536,
                        [hi, lo] => usize::from(u16::from_be_bytes([*hi, *lo])),
                        _ => return Err(SmError::BadCryptogram),
                    })
                }
                0x8E => {
                    mac = Some(item.value);
                    break;
                }
                _ => return Err(SmError::BadCryptogram),
            }
            covered.extend_from_slice(item.raw);
        }
        let mac = mac.ok_or(SmError::BadMac)?;
        if !crypto::mac_eq(&self.mac_of(&ssc, &[&header, &covered]), mac) {
            return Err(SmError::BadMac);
        }
        Ok((plain, extended))
    }

    /// The protected form of a response (card side).
    pub fn card_protect(&mut self, response: &Response) -> Vec<u8> {
        let ssc = self.next_ssc();
        let do87 = if response.data.is_empty() {
            Vec::new()
        } else {
            let cipher = self.encrypt(&ssc, &response.data);
            tlv::encode(0x87, &[&[0x01][..], &cipher].concat())
        };
        let do99 = tlv::encode(0x99, &response.sw.to_be_bytes());
        let mac = self.mac_of(&ssc, &[&do87, &do99]);
        let mut out = [do87, do99, tlv::encode(0x8E, &mac)].concat();
        out.extend_from_slice(&response.sw.to_be_bytes());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chip::crypto::hex;

    #[test]
    fn a_channel_comes_back_from_its_state_exactly() {
        let tdes = appendix_d_channel();
        assert_eq!(
            SecureChannel::from_state(&tdes.to_state()),
            Some(tdes.clone())
        );
        let mut aes = SecureChannel::with_keys(SmKeys::Aes {
            k_enc: AesKey::new(&[7; 32]).unwrap(),
            k_mac: AesKey::new(&[9; 16]).unwrap(),
        });
        aes.ssc = u128::MAX - 3;
        let state = aes.to_state();
        assert_eq!(SecureChannel::from_state(&state), Some(aes));
        // Truncated, extended or of an unknown suite: refused, never guessed.
        assert_eq!(SecureChannel::from_state(&state[..state.len() - 1]), None);
        assert_eq!(
            SecureChannel::from_state(&[state.clone(), vec![0]].concat()),
            None
        );
        assert_eq!(
            SecureChannel::from_state(&[&[3], &state[1..]].concat()),
            None
        );
        assert_eq!(SecureChannel::from_state(&[]), None);
    }

    fn appendix_d_channel() -> SecureChannel {
        SecureChannel::new(
            hex("979EC13B1CBFE9DCD01AB0FED307EAE5").try_into().unwrap(),
            hex("F1CB1F1FB5ADF208806B89DC579DC1F8").try_into().unwrap(),
            0x887022120C06C226,
        )
    }

    /// ICAO 9303 Part 11 Appendix D.4: the three protected APDUs.
    #[test]
    fn appendix_d_secure_messaging() {
        let mut terminal = appendix_d_channel();
        let mut card = appendix_d_channel();

        let select = Command::new(0, 0xA4, 0x02, 0x0C).with_data(vec![0x01, 0x1E]);
        let protected = terminal.protect(&select).unwrap();
        assert_eq!(
            protected,
            hex("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800")
        );
        assert_eq!(card.card_unprotect(&protected).unwrap().0, select);
        let response = hex("990290008E08FA855A5D4C50A8ED9000");
        assert_eq!(card.card_protect(&Response::status(0x9000)), response);
        assert_eq!(
            terminal.unprotect(&response).unwrap(),
            Response::status(0x9000)
        );

        let read4 = Command::new(0, 0xB0, 0, 0).with_le(4);
        let protected = terminal.protect(&read4).unwrap();
        assert_eq!(protected, hex("0CB000000D9701048E08ED6705417E96BA5500"));
        assert_eq!(card.card_unprotect(&protected).unwrap().0, read4);
        let response = hex("8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000");
        assert_eq!(
            card.card_protect(&Response::new(hex("60145F01"), 0x9000)),
            response
        );
        assert_eq!(terminal.unprotect(&response).unwrap().data, hex("60145F01"));

        let read18 = Command::new(0, 0xB0, 0, 4).with_le(0x12);
        let protected = terminal.protect(&read18).unwrap();
        assert_eq!(protected, hex("0CB000040D9701128E082EA28A70F3C7B53500"));
        assert_eq!(card.card_unprotect(&protected).unwrap().0, read18);
        let response = hex(
            "871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000",
        );
        let plain = hex("04303130365F36063034303030305C026175");
        assert_eq!(
            card.card_protect(&Response::new(plain.clone(), 0x9000)),
            response
        );
        assert_eq!(terminal.unprotect(&response).unwrap().data, plain);
    }

    #[test]
    fn extended_reads_round_trip() {
        let mut terminal = appendix_d_channel();
        let mut card = appendix_d_channel();
        let read = Command::new(0, 0xB0, 0, 8).with_le(20_000);
        let protected = terminal.protect(&read).unwrap();
        let (seen, extended) = card.card_unprotect(&protected).unwrap();
        assert!(extended);
        assert_eq!(seen, read);
        let data: Vec<u8> = (0..20_000u32).map(|i| i as u8).collect();
        let response = card.card_protect(&Response::new(data.clone(), 0x9000));
        assert_eq!(terminal.unprotect(&response).unwrap().data, data);
    }

    #[test]
    fn tampering_replay_and_plain_errors() {
        let mut terminal = appendix_d_channel();
        let mut card = appendix_d_channel();
        let protected = terminal
            .protect(&Command::new(0, 0xB0, 0, 0).with_le(4))
            .unwrap();
        card.card_unprotect(&protected).unwrap();
        let mut response = card.card_protect(&Response::new(vec![1, 2, 3, 4], 0x9000));
        let replay = response.clone();
        response[4] ^= 0x01;
        assert_eq!(terminal.clone().unprotect(&response), Err(SmError::BadMac));
        assert!(terminal.unprotect(&replay).is_ok());
        // The counter moved on: the same response again is refused.
        assert_eq!(terminal.unprotect(&replay), Err(SmError::BadMac));
        // A bare 9000 would claim success without proof.
        assert_eq!(terminal.unprotect(&[0x90, 0x00]), Err(SmError::BadMac));
        // A bare error status is reported as it is.
        assert_eq!(terminal.unprotect(&[0x69, 0x88]).unwrap().sw, 0x6988);
        // A plain command is refused by the card.
        assert_eq!(
            card.card_unprotect(&[0x00, 0xB0, 0, 0, 4]),
            Err(SmError::NotProtected)
        );
    }
}
