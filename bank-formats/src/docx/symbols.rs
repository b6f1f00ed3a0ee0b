//! `w:sym` characters: Word stores a symbol-font glyph as a private-use
//! code (`F0B0`); the low byte is the position in the font, mapped here to
//! Unicode for the Symbol font (Greek letters and the operators exam papers
//! use). Other fonts' symbols (Wingdings ticks) have no text meaning.

/// The character a `w:sym` stands for, when it has one.
pub fn symbol(font: &str, code: &str) -> Option<char> {
    let value = u32::from_str_radix(code, 16).ok()?;
    let low = (value & 0xFF) as u8;
    if !font.eq_ignore_ascii_case("Symbol") {
        return None;
    }
    const GREEK_UPPER: &str = "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ";
    const GREEK_LOWER: &str = "αβχδεφγηιϕκλμνοπθρστυϖωξψζ";
    let c = match low {
        b'A'..=b'Z' => GREEK_UPPER.chars().nth(usize::from(low - b'A'))?,
        b'a'..=b'z' => GREEK_LOWER.chars().nth(usize::from(low - b'a'))?,
        0x22 => '∀',
        0x24 => '∃',
        0x27 => '∋',
        0x2D => '−',
        0x5E => '⊥',
        0xA2 => '′',
        0xA3 => '≤',
        0xA5 => '∞',
        0xAC => '←',
        0xAD => '↑',
        0xAE => '→',
        0xAF => '↓',
        0xB0 => '°',
        0xB1 => '±',
        0xB3 => '≥',
        0xB4 => '×',
        0xB6 => '∂',
        0xB8 => '÷',
        0xB9 => '≠',
        0xBA => '≡',
        0xBB => '≈',
        0xBC => '…',
        0xC6 => '∅',
        0xC7 => '∩',
        0xC8 => '∪',
        0xC9 => '⊃',
        0xCC => '⊂',
        0xCE => '∈',
        0xCF => '∉',
        0xD0 => '∠',
        0xD1 => '∇',
        0xD5 => '∏',
        0xD6 => '√',
        0xDB => '⇔',
        0xDE => '⇒',
        0xE5 => '∑',
        0xF2 => '∫',
        0x20..=0x7E => char::from(low),
        _ => return None,
    };
    Some(c)
}
