//! Basic Access Control (ICAO 9303 Part 11 §4.3, §9.7): the document key
//! from the MRZ, mutual authentication, and the session keys it yields.
//!
//! BAC keeps strangers from reading a card in passing; it proves nothing
//! about the card being genuine (the key comes from printed data). The
//! relay's passive and active authentication do that.

use sha1::{Digest, Sha1};
use thiserror::Error;

use super::crypto::{self, Key16};
use super::sm::SecureChannel;

/// The two document keys derived from the MRZ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentKeys {
    pub k_enc: Key16,
    pub k_mac: Key16,
}

/// Why mutual authentication failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BacError {
    #[error("the authentication cryptogram has the wrong length")]
    BadLength,
    #[error("the authentication cryptogram's MAC is wrong (wrong MRZ data?)")]
    BadMac,
    #[error("the other side did not echo our random number")]
    NonceMismatch,
}

/// `Kseed`: the first 16 bytes of SHA-1 over `MRZ_information`.
pub fn key_seed(mrz_information: &str) -> [u8; 16] {
    let digest = Sha1::digest(mrz_information.as_bytes());
    digest[..16].try_into().expect("SHA-1 is 20 bytes")
}

/// The key derivation function: SHA-1(seed ‖ counter) cut to 16 bytes, each
/// byte given DES odd parity.
pub fn kdf(seed: &[u8; 16], counter: u32) -> Key16 {
    let mut hasher = Sha1::new();
    hasher.update(seed);
    hasher.update(counter.to_be_bytes());
    let digest = hasher.finalize();
    let mut key: Key16 = digest[..16].try_into().expect("SHA-1 is 20 bytes");
    crypto::adjust_parity(&mut key);
    key
}

impl DocumentKeys {
    pub fn from_mrz_information(mrz_information: &str) -> Self {
        let seed = key_seed(mrz_information);
        DocumentKeys {
            k_enc: kdf(&seed, 1),
            k_mac: kdf(&seed, 2),
        }
    }
}

/// The terminal's half of mutual authentication, between GET CHALLENGE and
/// the EXTERNAL AUTHENTICATE answer.
#[derive(Debug, Clone)]
pub struct TerminalAuth {
    keys: DocumentKeys,
    rnd_ic: [u8; 8],
    rnd_ifd: [u8; 8],
    k_ifd: Key16,
}

impl TerminalAuth {
    /// `rnd_ifd` and `k_ifd` must be fresh random bytes.
    pub fn new(keys: DocumentKeys, rnd_ic: [u8; 8], rnd_ifd: [u8; 8], k_ifd: Key16) -> Self {
        TerminalAuth {
            keys,
            rnd_ic,
            rnd_ifd,
            k_ifd,
        }
    }

    /// The data of EXTERNAL AUTHENTICATE: `E_IFD ‖ M_IFD` (40 bytes).
    pub fn command_data(&self) -> Vec<u8> {
        let s = [&self.rnd_ifd[..], &self.rnd_ic, &self.k_ifd].concat();
        let e_ifd = crypto::encrypt(&self.keys.k_enc, &s).expect("32 bytes are whole blocks");
        let m_ifd = crypto::mac(&self.keys.k_mac, &crypto::pad(&e_ifd));
        [e_ifd, m_ifd.to_vec()].concat()
    }

    /// Checks the card's answer (`E_IC ‖ M_IC`) and opens the secure channel.
    pub fn finish(&self, answer: &[u8]) -> Result<SecureChannel, BacError> {
        let plain = open_cryptogram(&self.keys, answer)?;
        // plain = RND.IC ‖ RND.IFD ‖ K.IC
        if plain[..8] != self.rnd_ic || plain[8..16] != self.rnd_ifd {
            return Err(BacError::NonceMismatch);
        }
        let k_ic: Key16 = plain[16..32].try_into().expect("32 bytes");
        Ok(session(&self.k_ifd, &k_ic, &self.rnd_ic, &self.rnd_ifd))
    }
}

/// The card's side: checks EXTERNAL AUTHENTICATE data against the challenge
/// it gave, answers with its own key half, and opens the secure channel.
pub fn card_answer(
    keys: &DocumentKeys,
    rnd_ic: &[u8; 8],
    k_ic: &Key16,
    command_data: &[u8],
) -> Result<(Vec<u8>, SecureChannel), BacError> {
    let plain = open_cryptogram(keys, command_data)?;
    // plain = RND.IFD ‖ RND.IC ‖ K.IFD
    if plain[8..16] != rnd_ic[..] {
        return Err(BacError::NonceMismatch);
    }
    let rnd_ifd: [u8; 8] = plain[..8].try_into().expect("8 bytes");
    let k_ifd: Key16 = plain[16..32].try_into().expect("16 bytes");
    let r = [&rnd_ic[..], &rnd_ifd, k_ic].concat();
    let e_ic = crypto::encrypt(&keys.k_enc, &r).expect("32 bytes are whole blocks");
    let m_ic = crypto::mac(&keys.k_mac, &crypto::pad(&e_ic));
    let channel = session(&k_ifd, k_ic, rnd_ic, &rnd_ifd);
    Ok(([e_ic, m_ic.to_vec()].concat(), channel))
}

/// Verifies the MAC of a 40-byte cryptogram and decrypts its 32 bytes.
fn open_cryptogram(keys: &DocumentKeys, data: &[u8]) -> Result<Vec<u8>, BacError> {
    if data.len() != 40 {
        return Err(BacError::BadLength);
    }
    let (cipher, mac) = data.split_at(32);
    if !crypto::mac_eq(&crypto::mac(&keys.k_mac, &crypto::pad(cipher)), mac) {
        return Err(BacError::BadMac);
    }
    Ok(crypto::decrypt(&keys.k_enc, cipher).expect("32 bytes are whole blocks"))
}

/// Session keys from the two key halves; the send sequence counter from the
/// two nonces' low halves.
fn session(k_ifd: &Key16, k_ic: &Key16, rnd_ic: &[u8; 8], rnd_ifd: &[u8; 8]) -> SecureChannel {
    let mut seed = [0u8; 16];
    for (i, byte) in seed.iter_mut().enumerate() {
        *byte = k_ifd[i] ^ k_ic[i];
    }
    let ssc = u64::from_be_bytes(
        [&rnd_ic[4..], &rnd_ifd[4..]]
            .concat()
            .try_into()
            .expect("8 bytes"),
    );
    SecureChannel::new(kdf(&seed, 1), kdf(&seed, 2), ssc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chip::crypto::hex;

    fn arr<const N: usize>(s: &str) -> [u8; N] {
        hex(s).try_into().unwrap()
    }

    /// ICAO 9303 Part 11 Appendix D.2–D.3.
    #[test]
    fn appendix_d_key_derivation() {
        let mrz = "L898902C<369080619406236";
        assert_eq!(key_seed(mrz), arr::<16>("239AB9CB282DAF66231DC5A4DF6BFBAE"));
        let keys = DocumentKeys::from_mrz_information(mrz);
        assert_eq!(keys.k_enc, arr::<16>("AB94FDECF2674FDFB9B391F85D7F76F2"));
        assert_eq!(keys.k_mac, arr::<16>("7962D9ECE03D1ACD4C76089DCE131543"));
    }

    #[test]
    fn synthetic_vietnamese_key_derivation() {
        let mrz = "203012345003051412805140";
        assert_eq!(key_seed(mrz), arr::<16>("29EB2AF17B25BACD5A961BE6E856EC07"));
        let keys = DocumentKeys::from_mrz_information(mrz);
        assert_eq!(keys.k_enc, arr::<16>("25256EBC5D64A1CB2FEAA2049ED01C32"));
        assert_eq!(keys.k_mac, arr::<16>("B645EA0BE951DC1C9B25D3A7FE404A13"));
    }

    #[test]
    fn appendix_d_mutual_authentication() {
        let keys = DocumentKeys::from_mrz_information("L898902C<369080619406236");
        let rnd_ic = arr::<8>("4608F91988702212");
        let terminal = TerminalAuth::new(
            keys.clone(),
            rnd_ic,
            arr("781723860C06C226"),
            arr("0B795240CB7049B01C19B33E32804F0B"),
        );
        assert_eq!(
            terminal.command_data(),
            hex(
                "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2 5F1448EEA8AD90A7"
            )
        );
        let answer =
            hex("46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449");
        let channel = terminal.finish(&answer).unwrap();
        assert_eq!(
            channel.k_enc(),
            &arr::<16>("979EC13B1CBFE9DCD01AB0FED307EAE5")
        );
        assert_eq!(
            channel.k_mac(),
            &arr::<16>("F1CB1F1FB5ADF208806B89DC579DC1F8")
        );
        assert_eq!(channel.ssc(), 0x887022120C06C226);

        // The card's side, given K.IC, produces exactly the published answer.
        let k_ic = arr::<16>("0B4F80323EB3191CB04970CB4052790B");
        let (card_says, card_channel) =
            card_answer(&keys, &rnd_ic, &k_ic, &terminal.command_data()).unwrap();
        assert_eq!(card_says, answer);
        assert_eq!(card_channel.k_enc(), channel.k_enc());
        assert_eq!(card_channel.ssc(), channel.ssc());
    }

    #[test]
    fn wrong_keys_and_tampering_are_refused() {
        let keys = DocumentKeys::from_mrz_information("L898902C<369080619406236");
        let other = DocumentKeys::from_mrz_information("203012345003051412805140");
        let rnd_ic = [1u8; 8];
        let terminal = TerminalAuth::new(other, rnd_ic, [2; 8], [3; 16]);
        assert_eq!(
            card_answer(&keys, &rnd_ic, &[4; 16], &terminal.command_data()).err(),
            Some(BacError::BadMac)
        );
        let terminal = TerminalAuth::new(keys.clone(), rnd_ic, [2; 8], [3; 16]);
        let (mut answer, _) =
            card_answer(&keys, &rnd_ic, &[4; 16], &terminal.command_data()).unwrap();
        assert!(terminal.finish(&answer).is_ok());
        answer[0] ^= 1;
        assert_eq!(terminal.finish(&answer).err(), Some(BacError::BadMac));
        assert_eq!(
            terminal.finish(&answer[..39]).err(),
            Some(BacError::BadLength)
        );
        // A replayed answer to another challenge fails the nonce check.
        let fresh = TerminalAuth::new(keys.clone(), [9; 8], [2; 8], [3; 16]);
        let (old_answer, _) =
            card_answer(&keys, &rnd_ic, &[4; 16], &terminal.command_data()).unwrap();
        assert_eq!(
            fresh.finish(&old_answer).err(),
            Some(BacError::NonceMismatch)
        );
    }
}
