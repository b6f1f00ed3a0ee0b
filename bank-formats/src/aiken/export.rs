//! Writing single-choice questions as Aiken: the text on one line, `A) …`
//! options, `ANSWER: X`, a blank line.

use examgate_shared::bank::{Item, Problem};
use examgate_shared::exam::{Body, OptionId};

use crate::gift::export_problem;

/// The questions as Aiken, or one problem per question Aiken cannot carry.
pub fn export(items: &[Item]) -> Result<String, Vec<Problem>> {
    let mut out = String::new();
    let mut problems = Vec::new();
    for (index, item) in items.iter().enumerate() {
        match question(item) {
            Ok(text) => out.push_str(&text),
            Err(why) => problems.push(export_problem(index, item, why)),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn question(item: &Item) -> Result<String, &'static str> {
    let Body::SingleChoice { options, key, .. } = &item.body else {
        return Err(
            "Aiken carries single-choice questions only; export it as GIFT, Moodle XML or QTI",
        );
    };
    if !item.images.is_empty() {
        return Err("Aiken cannot carry pictures; export it as Moodle XML or QTI");
    }
    let one_line = |text: &str| !text.contains(['\n', '\r']) && !text.trim().is_empty();
    if !one_line(&item.text) || !options.iter().all(|o| one_line(o)) {
        return Err("Aiken needs the question and every option on one line");
    }
    let text = item.text.trim();
    let looks_like_option = {
        let mut chars = text.chars();
        matches!(
            (chars.next(), chars.next()),
            (Some('A'..='Z'), Some(')' | '.'))
        )
    };
    if looks_like_option || text.to_ascii_uppercase().starts_with("ANSWER:") {
        return Err("the question text starts like an Aiken option or answer line");
    }
    let mut out = format!("{text}\n");
    for (i, option) in options.iter().enumerate() {
        let letter = OptionId(u8::try_from(i).unwrap_or(0)).letter();
        out.push_str(&format!("{letter}) {}\n", option.trim()));
    }
    out.push_str(&format!("ANSWER: {}\n\n", key.letter()));
    Ok(out)
}
