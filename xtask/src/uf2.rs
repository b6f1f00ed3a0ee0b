//! ELF → UF2, so that flashing the bridge firmware needs no tool: hold the
//! RP2040's BOOTSEL button while plugging it in, and copy the `.uf2` file
//! onto the drive that appears.
//!
//! UF2 (Microsoft's USB flashing format) is a sequence of 512-byte blocks,
//! each carrying 256 bytes for one flash address. The RP2040's boot ROM
//! takes blocks marked with its family ID. Only the ELF's loadable
//! segments that live in flash are written (initialised RAM data is in
//! flash too, at its load address).

use std::collections::BTreeMap;

const MAGIC_START0: u32 = 0x0A32_4655;
const MAGIC_START1: u32 = 0x9E5D_5157;
const MAGIC_END: u32 = 0x0AB1_6F30;
/// The block carries a family ID in its file-size field.
const FLAG_FAMILY_ID: u32 = 0x0000_2000;
/// The RP2040's family ID.
pub const RP2040_FAMILY: u32 = 0xE48B_FF56;
const PAYLOAD: usize = 256;
/// The RP2040's XIP flash window.
const FLASH: std::ops::Range<u32> = 0x1000_0000..0x1100_0000;

const PT_LOAD: u32 = 1;

/// The UF2 image of `elf` (a 32-bit little-endian ELF, as the linker
/// writes for the RP2040).
pub fn from_elf(elf: &[u8], family: u32) -> Result<Vec<u8>, String> {
    if elf.get(..4) != Some(b"\x7FELF") || elf.get(4) != Some(&1) || elf.get(5) != Some(&1) {
        return Err("not a 32-bit little-endian ELF".into());
    }
    let u16_at = |at: usize| -> Result<u16, String> {
        elf.get(at..at + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .ok_or_else(|| "ELF truncated".to_string())
    };
    let u32_at = |at: usize| -> Result<u32, String> {
        elf.get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .ok_or_else(|| "ELF truncated".to_string())
    };
    let program_headers = u32_at(0x1C)? as usize;
    let entry_size = u16_at(0x2A)? as usize;
    let entries = u16_at(0x2C)? as usize;

    let mut pages: BTreeMap<u32, [u8; PAYLOAD]> = BTreeMap::new();
    for index in 0..entries {
        let header = program_headers + index * entry_size;
        if u32_at(header)? != PT_LOAD {
            continue;
        }
        let offset = u32_at(header + 4)? as usize;
        let load_address = u32_at(header + 12)?;
        let size = u32_at(header + 16)? as usize;
        if size == 0 || !FLASH.contains(&load_address) {
            continue;
        }
        let bytes = elf
            .get(offset..offset + size)
            .ok_or("a segment lies outside the ELF")?;
        for (i, byte) in bytes.iter().enumerate() {
            let address = load_address + i as u32;
            let page = address - address % PAYLOAD as u32;
            pages.entry(page).or_insert([0; PAYLOAD])[(address - page) as usize] = *byte;
        }
    }
    if pages.is_empty() {
        return Err("no loadable segment in flash".into());
    }

    let total = pages.len() as u32;
    let mut uf2 = Vec::with_capacity(pages.len() * 512);
    for (number, (address, data)) in pages.iter().enumerate() {
        for word in [
            MAGIC_START0,
            MAGIC_START1,
            FLAG_FAMILY_ID,
            *address,
            PAYLOAD as u32,
            number as u32,
            total,
            family,
        ] {
            uf2.extend_from_slice(&word.to_le_bytes());
        }
        uf2.extend_from_slice(data);
        uf2.resize(uf2.len() + 476 - PAYLOAD, 0);
        uf2.extend_from_slice(&MAGIC_END.to_le_bytes());
    }
    Ok(uf2)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal ELF: one loadable segment of `data` at `address`.
    fn elf(address: u32, data: &[u8]) -> Vec<u8> {
        let mut elf = vec![0u8; 52 + 32];
        elf[..6].copy_from_slice(b"\x7FELF\x01\x01");
        elf[0x1C..0x20].copy_from_slice(&52u32.to_le_bytes());
        elf[0x2A..0x2C].copy_from_slice(&32u16.to_le_bytes());
        elf[0x2C..0x2E].copy_from_slice(&1u16.to_le_bytes());
        let header = 52;
        elf[header..header + 4].copy_from_slice(&PT_LOAD.to_le_bytes());
        elf[header + 4..header + 8].copy_from_slice(&84u32.to_le_bytes());
        elf[header + 8..header + 12].copy_from_slice(&address.to_le_bytes());
        elf[header + 12..header + 16].copy_from_slice(&address.to_le_bytes());
        elf[header + 16..header + 20].copy_from_slice(&(data.len() as u32).to_le_bytes());
        elf.extend_from_slice(data);
        elf
    }

    fn word(uf2: &[u8], block: usize, at: usize) -> u32 {
        let start = block * 512 + at;
        u32::from_le_bytes(uf2[start..start + 4].try_into().unwrap())
    }

    #[test]
    fn a_segment_becomes_numbered_blocks_of_256_bytes() {
        let data: Vec<u8> = (0..300u32).map(|i| i as u8).collect();
        let uf2 = from_elf(&elf(0x1000_0100, &data), RP2040_FAMILY).unwrap();
        assert_eq!(uf2.len(), 2 * 512);
        for block in 0..2 {
            assert_eq!(word(&uf2, block, 0), MAGIC_START0);
            assert_eq!(word(&uf2, block, 4), MAGIC_START1);
            assert_eq!(word(&uf2, block, 16), 256);
            assert_eq!(word(&uf2, block, 20), block as u32);
            assert_eq!(word(&uf2, block, 24), 2);
            assert_eq!(word(&uf2, block, 28), RP2040_FAMILY);
            assert_eq!(word(&uf2, block, 508), MAGIC_END);
        }
        assert_eq!(word(&uf2, 0, 12), 0x1000_0100);
        assert_eq!(word(&uf2, 1, 12), 0x1000_0200);
        assert_eq!(uf2[32..32 + 256], data[..256]);
        assert_eq!(uf2[512 + 32..512 + 32 + 44], data[256..]);
        assert_eq!(uf2[512 + 32 + 44], 0, "the rest of the page is blank");
    }

    #[test]
    fn ram_only_segments_and_non_elves_are_left_out() {
        assert!(from_elf(&elf(0x2000_0000, &[1, 2, 3]), RP2040_FAMILY).is_err());
        assert!(from_elf(b"MZ not an elf", RP2040_FAMILY).is_err());
    }
}
