//! Finite-field Diffie-Hellman for Chip Authentication with DH keys
//! (ICAO 9303-11 §6.2 and §9.2.6; encodings as BSI TR-03110 part 3
//! gives them), on crypto-bigint's constant-time Montgomery arithmetic.
//!
//! A [`DhGroup`] is a prime `p`, a generator `g` and, when known, the
//! order `q` of the subgroup `g` generates (ANSI X9.42 domain parameters,
//! as DG14 carries them). Public values and the shared secret travel as
//! unsigned big-endian octet strings exactly as long as `p`.
//!
//! Received public values are checked: `1 < y < p − 1`, and `y^q = 1`
//! when `q` is known (a value outside the subgroup would leak the
//! exponent's bits to a chip built to harvest them).

use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, Odd};

/// Groups smaller than this are refused: ICAO's smallest standardized DH
/// group has a 1024-bit `p`.
pub const MIN_BITS: u32 = 1_024;
/// And larger than this: a forged DG14 must not cost the relay minutes.
pub const MAX_BITS: u32 = 4_096;
/// The largest subgroup order accepted. Standard groups have 160 to 256
/// bits; the exponents (and so the relay's work per challenge, which runs
/// before passive authentication) follow `q`'s length.
pub const MAX_ORDER_BITS: u32 = 512;

/// Why a group or a public value was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DhError {
    /// `p` is even, or outside [`MIN_BITS`]..=[`MAX_BITS`].
    BadModulus,
    /// `g` is not in `2..p−1`, or does not generate a subgroup of order `q`.
    BadGenerator,
    /// `q` is zero, not smaller than `p`, or longer than [`MAX_ORDER_BITS`].
    BadOrder,
    /// A public value outside `2..p−1` or outside the subgroup.
    BadPublicValue,
}

impl core::fmt::Display for DhError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            DhError::BadModulus => "the DH modulus is not an odd prime of 1024 to 4096 bits",
            DhError::BadGenerator => "the DH generator is not in 2..p-1",
            DhError::BadOrder => "the DH subgroup order is not in 1..p or over 512 bits",
            DhError::BadPublicValue => "the DH public value is not in the group",
        })
    }
}

/// DH domain parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DhGroup {
    /// Big-endian, without leading zeros.
    p: Vec<u8>,
    g: Vec<u8>,
    q: Option<Vec<u8>>,
}

impl DhGroup {
    /// Checks and keeps `p`, `g` and `q` (big-endian, leading zeros allowed).
    pub fn new(p: &[u8], g: &[u8], q: Option<&[u8]>) -> Result<DhGroup, DhError> {
        let p = trimmed(p);
        let bits = bit_length(&p);
        if !(MIN_BITS..=MAX_BITS).contains(&bits) || p.last().is_none_or(|low| low & 1 == 0) {
            return Err(DhError::BadModulus);
        }
        let g = padded(&trimmed(g), p.len()).ok_or(DhError::BadGenerator)?;
        if !strictly_inside(&g, &p) {
            return Err(DhError::BadGenerator);
        }
        let q = match q.map(trimmed) {
            Some(q)
                if q.is_empty()
                    || bit_length(&q) > MAX_ORDER_BITS
                    || padded(&q, p.len()).is_none_or(|q| q >= p) =>
            {
                return Err(DhError::BadOrder);
            }
            // Without q (PKCS #3 parameters), a standard group's own.
            None => Self::standard_order(&p, &trimmed(&g)),
            q => q,
        };
        let group = DhGroup {
            g: trimmed(&g),
            p,
            q,
        };
        // g must generate the subgroup of order q that public values are
        // checked against (cheap: q has at most 512 bits).
        if let Some(q) = &group.q
            && trimmed(&group.power(&group.g, q)) != [1]
        {
            return Err(DhError::BadGenerator);
        }
        Ok(group)
    }

    /// The order of the standard group with this `p` and `g`, if any.
    fn standard_order(p: &[u8], g: &[u8]) -> Option<Vec<u8>> {
        (0..STANDARD_GROUPS.len())
            .map(standard_parameters)
            .find(|[sp, sg, _]| sp == p && sg == g)
            .map(|[_, _, q]| q)
    }

    /// A group ICAO 9303-11 standardizes by number (table "Standardized
    /// domain parameters"): 0 to 2 are the RFC 5114 MODP groups.
    pub fn standardized(id: u8) -> Option<DhGroup> {
        let index = usize::from(id);
        if index >= STANDARD_GROUPS.len() {
            return None;
        }
        let [p, g, q] = standard_parameters(index);
        Some(DhGroup::new(&p, &g, Some(&q)).expect("a standard group"))
    }

    /// A value (a public key) left-padded to the length of `p`; `None`
    /// when it is longer.
    pub fn padded_value(&self, value: &[u8]) -> Option<Vec<u8>> {
        padded(value, self.byte_len())
    }

    /// `p` in bits.
    pub fn bits(&self) -> u32 {
        bit_length(&self.p)
    }

    /// For people: `DH-2048`.
    pub fn name(&self) -> String {
        format!("DH-{}", self.bits())
    }

    /// Bytes in `p`, and so in every public value and shared secret.
    pub fn byte_len(&self) -> usize {
        self.p.len()
    }

    pub fn p(&self) -> &[u8] {
        &self.p
    }

    pub fn g(&self) -> &[u8] {
        &self.g
    }

    pub fn q(&self) -> Option<&[u8]> {
        self.q.as_deref()
    }

    /// A private exponent: as long as `q` (or 256 bits without it), never 0.
    pub fn random_exponent(&self, random: &mut dyn FnMut(&mut [u8])) -> Vec<u8> {
        let len = self.q.as_ref().map_or(32, Vec::len);
        let mut exponent = vec![0u8; len];
        loop {
            random(&mut exponent);
            // Below q's top byte, so below q; never zero.
            if let Some(q) = &self.q {
                exponent[0] %= q[0].max(1);
            }
            if exponent.iter().any(|&b| b != 0) {
                return exponent;
            }
        }
    }

    /// `g^x mod p`, as long as `p`.
    pub fn public_value(&self, exponent: &[u8]) -> Vec<u8> {
        self.power(&self.g, exponent)
    }

    /// The shared secret `y^x mod p`, as long as `p`, after checking that
    /// `y` (the other side's public value) belongs to the group.
    pub fn agree(&self, public: &[u8], exponent: &[u8]) -> Result<Vec<u8>, DhError> {
        let public = padded(&trimmed(public), self.byte_len()).ok_or(DhError::BadPublicValue)?;
        if !strictly_inside(&public, &self.p) {
            return Err(DhError::BadPublicValue);
        }
        if let Some(q) = &self.q
            && trimmed(&self.power(&public, q)) != [1]
        {
            return Err(DhError::BadPublicValue);
        }
        Ok(self.power(&public, exponent))
    }

    /// `base^exponent mod p`, big-endian, as long as `p`.
    fn power(&self, base: &[u8], exponent: &[u8]) -> Vec<u8> {
        let precision = (self.byte_len() as u32 * 8).next_multiple_of(64);
        let modulus = BoxedUint::from_be_slice(&self.p, precision).expect("p fits its precision");
        let modulus = Odd::new(modulus).into_option().expect("p is odd");
        let params = BoxedMontyParams::new(modulus);
        let base =
            BoxedUint::from_be_slice(&padded(base, self.byte_len()).expect("base < p"), precision)
                .expect("the base fits");
        let exponent_precision = (exponent.len() as u32 * 8).next_multiple_of(64).max(64);
        let exponent =
            BoxedUint::from_be_slice(exponent, exponent_precision).expect("the exponent fits");
        let result = BoxedMontyForm::new(base, &params).pow(&exponent).retrieve();
        let bytes = result.to_be_bytes();
        bytes[bytes.len() - self.byte_len()..].to_vec()
    }
}

/// `p`, `g` and `q` of the standard group numbered `index`, as bytes.
fn standard_parameters(index: usize) -> [Vec<u8>; 3] {
    STANDARD_GROUPS[index].map(|hex| crate::checkin::from_hex(hex).expect("a constant"))
}

fn trimmed(bytes: &[u8]) -> Vec<u8> {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    bytes[start..].to_vec()
}

/// `bytes` left-padded to `len`, or `None` when longer.
fn padded(bytes: &[u8], len: usize) -> Option<Vec<u8>> {
    let bytes = trimmed(bytes);
    let pad = len.checked_sub(bytes.len())?;
    let mut out = vec![0u8; pad];
    out.extend_from_slice(&bytes);
    Some(out)
}

fn bit_length(trimmed: &[u8]) -> u32 {
    match trimmed.first() {
        Some(&top) => (trimmed.len() as u32 - 1) * 8 + (8 - top.leading_zeros()),
        None => 0,
    }
}

/// `1 < value < p − 1`, both as long as `p` (big-endian compares as numbers).
fn strictly_inside(value: &[u8], p: &[u8]) -> bool {
    let one = padded(&[1], p.len()).expect("p is not empty");
    let mut p_minus_one = p.to_vec();
    // p is odd: p − 1 only clears the low bit.
    *p_minus_one.last_mut().expect("p is not empty") &= 0xFE;
    value > one.as_slice() && value < p_minus_one.as_slice()
}

/// ICAO's standardized DH groups 0, 1 and 2, by their number.
const STANDARD_GROUPS: [[&str; 3]; 3] = [RFC5114_1024_160, RFC5114_2048_224, RFC5114_2048_256];

// The RFC 5114 groups (p, g, q), as OpenSSL's `dh_rfc5114` parameters give
// them; ICAO 9303-11 numbers them 0, 1 and 2.
const RFC5114_1024_160: [&str; 3] = [
    concat!(
        "B10B8F96A080E01DDE92DE5EAE5D54EC52C99FBCFB06A3C69A6A9DCA52D23B61",
        "6073E28675A23D189838EF1E2EE652C013ECB4AEA906112324975C3CD49B83BF",
        "ACCBDD7D90C4BD7098488E9C219A73724EFFD6FAE5644738FAA31A4FF55BCCC0",
        "A151AF5F0DC8B4BD45BF37DF365C1A65E68CFDA76D4DA708DF1FB2BC2E4A4371",
    ),
    concat!(
        "A4D1CBD5C3FD34126765A442EFB99905F8104DD258AC507FD6406CFF14266D31",
        "266FEA1E5C41564B777E690F5504F213160217B4B01B886A5E91547F9E2749F4",
        "D7FBD7D3B9A92EE1909D0D2263F80A76A6A24C087A091F531DBF0A0169B6A28A",
        "D662A4D18E73AFA32D779D5918D08BC8858F4DCEF97C2A24855E6EEB22B3B2E5",
    ),
    "F518AA8781A8DF278ABA4E7D64B7CB9D49462353",
];

const RFC5114_2048_224: [&str; 3] = [
    concat!(
        "AD107E1E9123A9D0D660FAA79559C51FA20D64E5683B9FD1B54B1597B61D0A75",
        "E6FA141DF95A56DBAF9A3C407BA1DF15EB3D688A309C180E1DE6B85A1274A0A6",
        "6D3F8152AD6AC2129037C9EDEFDA4DF8D91E8FEF55B7394B7AD5B7D0B6C12207",
        "C9F98D11ED34DBF6C6BA0B2C8BBC27BE6A00E0A0B9C49708B3BF8A3170918836",
        "81286130BC8985DB1602E714415D9330278273C7DE31EFDC7310F7121FD5A074",
        "15987D9ADC0A486DCDF93ACC44328387315D75E198C641A480CD86A1B9E587E8",
        "BE60E69CC928B2B9C52172E413042E9B23F10B0E16E79763C9B53DCF4BA80A29",
        "E3FB73C16B8E75B97EF363E2FFA31F71CF9DE5384E71B81C0AC4DFFE0C10E64F",
    ),
    concat!(
        "AC4032EF4F2D9AE39DF30B5C8FFDAC506CDEBE7B89998CAF74866A08CFE4FFE3",
        "A6824A4E10B9A6F0DD921F01A70C4AFAAB739D7700C29F52C57DB17C620A8652",
        "BE5E9001A8D66AD7C17669101999024AF4D027275AC1348BB8A762D0521BC98A",
        "E247150422EA1ED409939D54DA7460CDB5F6C6B250717CBEF180EB34118E98D1",
        "19529A45D6F834566E3025E316A330EFBB77A86F0C1AB15B051AE3D428C8F8AC",
        "B70A8137150B8EEB10E183EDD19963DDD9E263E4770589EF6AA21E7F5F2FF381",
        "B539CCE3409D13CD566AFBB48D6C019181E1BCFE94B30269EDFE72FE9B6AA4BD",
        "7B5A0F1C71CFFF4C19C418E1F6EC017981BC087F2A7065B384B890D3191F2BFA",
    ),
    "801C0D34C58D93FE997177101F80535A4738CEBCBF389A99B36371EB",
];

const RFC5114_2048_256: [&str; 3] = [
    concat!(
        "87A8E61DB4B6663CFFBBD19C651959998CEEF608660DD0F25D2CEED4435E3B00",
        "E00DF8F1D61957D4FAF7DF4561B2AA3016C3D91134096FAA3BF4296D830E9A7C",
        "209E0C6497517ABD5A8A9D306BCF67ED91F9E6725B4758C022E0B1EF4275BF7B",
        "6C5BFC11D45F9088B941F54EB1E59BB8BC39A0BF12307F5C4FDB70C581B23F76",
        "B63ACAE1CAA6B7902D52526735488A0EF13C6D9A51BFA4AB3AD8347796524D8E",
        "F6A167B5A41825D967E144E5140564251CCACB83E6B486F6B3CA3F7971506026",
        "C0B857F689962856DED4010ABD0BE621C3A3960A54E710C375F26375D7014103",
        "A4B54330C198AF126116D2276E11715F693877FAD7EF09CADB094AE91E1A1597",
    ),
    concat!(
        "3FB32C9B73134D0B2E77506660EDBD484CA7B18F21EF205407F4793A1A0BA125",
        "10DBC15077BE463FFF4FED4AAC0BB555BE3A6C1B0C6B47B1BC3773BF7E8C6F62",
        "901228F8C28CBB18A55AE31341000A650196F931C77A57F2DDF463E5E9EC144B",
        "777DE62AAAB8A8628AC376D282D6ED3864E67982428EBC831D14348F6F2F9193",
        "B5045AF2767164E1DFC967C1FB3F2E55A4BD1BFFE83B9C80D052B985D182EA0A",
        "DB2A3B7313D3FE14C8484B1E052588B9B7D2BBD2DF016199ECD06E1557CD0915",
        "B3353BBB64E0EC377FD028370DF92B52C7891428CDC67EB6184B523D1DB246C3",
        "2F63078490F00EF8D647D148D47954515E2327CFEF98C582664B4C0F6CC41659",
    ),
    "8CF83642A709A097B447997640129DA299B1A47D1EB3750BA308B0FE64F5FBD3",
];

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Repeatable "randomness" for the key-agreement tests.
    pub(crate) fn counter(seed: u8) -> impl FnMut(&mut [u8]) {
        let mut state = seed;
        move |out: &mut [u8]| {
            for byte in out.iter_mut() {
                state = state.wrapping_mul(73).wrapping_add(41);
                *byte = state;
            }
        }
    }

    #[test]
    fn both_sides_agree_in_every_standard_group() {
        for id in 0..3 {
            let group = DhGroup::standardized(id).unwrap();
            assert_eq!(group.bits(), [1_024, 2_048, 2_048][id as usize]);
            let mut random = counter(id + 1);
            let (a, b) = (
                group.random_exponent(&mut random),
                group.random_exponent(&mut random),
            );
            let (ya, yb) = (group.public_value(&a), group.public_value(&b));
            assert_eq!(ya.len(), group.byte_len());
            let ab = group.agree(&yb, &a).unwrap();
            assert_eq!(ab, group.agree(&ya, &b).unwrap());
            assert_eq!(ab.len(), group.byte_len());
            assert_ne!(ab, ya);
        }
    }

    #[test]
    fn values_outside_the_group_are_refused() {
        let group = DhGroup::standardized(2).unwrap();
        let x = group.random_exponent(&mut counter(9));
        let p = group.p().to_vec();
        let mut p_minus_one = p.clone();
        *p_minus_one.last_mut().unwrap() -= 1;
        for bad in [
            vec![0],
            vec![1],
            p_minus_one,
            p.clone(),
            [&[1][..], &p].concat(),
        ] {
            assert_eq!(
                group.agree(&bad, &x),
                Err(DhError::BadPublicValue),
                "{bad:02X?}"
            );
        }
        // 2 is in Z_p* but not in g's subgroup of order q.
        assert_eq!(group.agree(&[2], &x), Err(DhError::BadPublicValue));
        // PKCS #3 parameters (no q) of a standard group get its q back.
        let pkcs3 = DhGroup::new(group.p(), group.g(), None).unwrap();
        assert_eq!(pkcs3.q(), group.q());
        assert_eq!(pkcs3.agree(&[2], &x), Err(DhError::BadPublicValue));
        // Another group without q: the subgroup cannot be checked.
        let mut other_g = group.g().to_vec();
        *other_g.last_mut().unwrap() ^= 2;
        let loose = DhGroup::new(group.p(), &other_g, None).unwrap();
        assert!(loose.agree(&[2], &x).is_ok());
    }

    #[test]
    fn bad_parameters_are_refused() {
        let group = DhGroup::standardized(2).unwrap();
        let mut even = group.p().to_vec();
        *even.last_mut().unwrap() &= 0xFE;
        assert_eq!(
            DhGroup::new(&even, group.g(), None),
            Err(DhError::BadModulus)
        );
        assert_eq!(
            DhGroup::new(&[0xFF; 64], &[2], None),
            Err(DhError::BadModulus),
            "512 bits"
        );
        assert_eq!(
            DhGroup::new(group.p(), &[1], None),
            Err(DhError::BadGenerator)
        );
        assert_eq!(
            DhGroup::new(group.p(), group.g(), Some(group.p())),
            Err(DhError::BadOrder)
        );
        assert_eq!(
            DhGroup::new(group.p(), group.g(), Some(&[0])),
            Err(DhError::BadOrder)
        );
        // A g outside the order-q subgroup (2 is not in it).
        assert_eq!(
            DhGroup::new(group.p(), &[2], group.q()),
            Err(DhError::BadGenerator)
        );
    }
}
