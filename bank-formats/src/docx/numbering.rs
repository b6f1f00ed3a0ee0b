//! Automatic numbering: the "Câu 5." or "C." that Word draws but the text
//! does not hold.
//!
//! `numId` → `w:num` → `w:abstractNum` → `w:lvl` (start, format, `lvlText`
//! such as `Câu %1:`). Counters are kept per abstract list and replayed in
//! document order; a higher level restarts the levels below it, and a
//! `w:startOverride` restarts a level the first time its `numId` is used.

use std::collections::{HashMap, HashSet};

use super::xml::Element;

#[derive(Debug, Clone, Default)]
struct Level {
    start: u32,
    format: String,
    text: String,
    suffix: String,
}

struct Num {
    abstract_id: String,
    overrides: HashMap<u8, (Option<u32>, Option<Level>)>,
}

/// The numbering part and the counters replayed so far.
#[derive(Default)]
pub struct Numbering {
    abstracts: HashMap<String, HashMap<u8, Level>>,
    nums: HashMap<String, Num>,
    counters: HashMap<String, [Option<u32>; 9]>,
    started: HashSet<String>,
}

fn read_level(lvl: &Element) -> Level {
    Level {
        start: lvl
            .child_val("w:start")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1),
        format: lvl.child_val("w:numFmt").unwrap_or("decimal").to_string(),
        text: lvl.child_val("w:lvlText").unwrap_or("").to_string(),
        suffix: match lvl.child_val("w:suff") {
            Some("nothing") => String::new(),
            _ => " ".into(),
        },
    }
}

fn level_index(e: &Element) -> Option<u8> {
    e.attr("w:ilvl")
        .and_then(|v| v.parse().ok())
        .filter(|l| *l < 9)
}

impl Numbering {
    pub fn read(root: Option<&Element>) -> Numbering {
        let mut out = Numbering::default();
        let Some(root) = root else { return out };
        for e in root.elements() {
            match e.name.as_str() {
                "w:abstractNum" => {
                    let Some(id) = e.attr("w:abstractNumId") else {
                        continue;
                    };
                    let levels = e
                        .elements()
                        .filter(|l| l.name == "w:lvl")
                        .filter_map(|l| Some((level_index(l)?, read_level(l))))
                        .collect();
                    out.abstracts.insert(id.to_string(), levels);
                }
                "w:num" => {
                    let (Some(id), Some(abstract_id)) =
                        (e.attr("w:numId"), e.child_val("w:abstractNumId"))
                    else {
                        continue;
                    };
                    let overrides = e
                        .elements()
                        .filter(|o| o.name == "w:lvlOverride")
                        .filter_map(|o| {
                            let start = o.child_val("w:startOverride").and_then(|v| v.parse().ok());
                            Some((level_index(o)?, (start, o.child("w:lvl").map(read_level))))
                        })
                        .collect();
                    out.nums.insert(
                        id.to_string(),
                        Num {
                            abstract_id: abstract_id.to_string(),
                            overrides,
                        },
                    );
                }
                _ => {}
            }
        }
        out
    }

    fn level(&self, num: &Num, ilvl: u8) -> Option<Level> {
        if let Some((_, Some(l))) = num.overrides.get(&ilvl) {
            return Some(l.clone());
        }
        let mut l = self.abstracts.get(&num.abstract_id)?.get(&ilvl)?.clone();
        if let Some((Some(start), _)) = num.overrides.get(&ilvl) {
            l.start = *start;
        }
        Some(l)
    }

    /// The label of the next paragraph numbered `(num_id, ilvl)`, counting
    /// it; `None` for `numId 0`, unknown lists and bullets.
    pub fn next_label(&mut self, num_id: &str, ilvl: u8) -> Option<String> {
        let ilvl = ilvl.min(8);
        let num = self.nums.get(num_id)?;
        let key = num.abstract_id.clone();
        let levels: Vec<Option<Level>> = (0..9).map(|l| self.level(num, l)).collect();
        let restart = num
            .overrides
            .iter()
            .any(|(_, (s, l))| s.is_some() || l.is_some());
        let level = levels.get(usize::from(ilvl))?.clone()?;
        if restart && self.started.insert(num_id.to_string()) {
            self.counters.remove(&key);
        }
        let counters = self.counters.entry(key).or_insert([None; 9]);
        let i = usize::from(ilvl);
        counters[i] = Some(match counters[i] {
            Some(n) => n.saturating_add(1),
            None => level.start,
        });
        for deeper in counters.iter_mut().skip(i + 1) {
            *deeper = None;
        }
        if matches!(level.format.as_str(), "bullet" | "none") {
            return None;
        }
        let mut label = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            let digit = chars
                .peek()
                .and_then(|d| d.to_digit(10))
                .filter(|_| c == '%');
            match digit {
                Some(d @ 1..=9) => {
                    chars.next();
                    let l = (d - 1) as usize;
                    let fmt = levels[l].as_ref().map_or("decimal", |l| l.format.as_str());
                    let value =
                        counters[l].unwrap_or_else(|| levels[l].as_ref().map_or(1, |l| l.start));
                    label.push_str(&render(value, fmt));
                }
                _ => label.push(c),
            }
        }
        label.push_str(&level.suffix);
        Some(label)
    }
}

/// A counter in a `w:numFmt`.
fn render(n: u32, format: &str) -> String {
    let letters = |base: u8| {
        if n == 0 {
            return String::new();
        }
        // Word repeats the letter past Z: AA, BB …
        let letter = char::from(base + ((n - 1) % 26) as u8);
        std::iter::repeat_n(letter, ((n - 1) / 26 + 1).min(10) as usize).collect()
    };
    match format {
        "upperLetter" => letters(b'A'),
        "lowerLetter" => letters(b'a'),
        "upperRoman" => roman(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "decimalZero" if n < 10 => format!("0{n}"),
        _ => n.to_string(),
    }
}

fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value && out.len() < 40 {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}
