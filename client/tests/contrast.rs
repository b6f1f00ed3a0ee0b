//! WCAG AA contrast of the stylesheet's palette: every text colour on every
//! background colour, and white on every strong colour, at least 4.5:1.
//!
//! The axe-core audit in the browser tests checks the pages it renders; a
//! state it never renders (a pending save, a warning banner, a flagged
//! question) could still pair two colours below AA. Holding the whole
//! palette to AA makes every pairing safe, whichever state shows it.

/// `--name: #rrggbb;` declarations of the stylesheet's `:root`.
fn palette() -> Vec<(String, [u8; 3])> {
    let css = include_str!("../web/style.css");
    let root = css
        .split(":root {")
        .nth(1)
        .and_then(|rest| rest.split('}').next())
        .expect("style.css has a :root block");
    root.lines()
        .filter_map(|line| {
            let (name, value) = line.trim().strip_prefix("--")?.split_once(':')?;
            let hex = value.trim().strip_prefix('#')?.strip_suffix(';')?;
            let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
            (hex.len() == 6).then_some(())?;
            Some((name.to_owned(), [channel(0)?, channel(2)?, channel(4)?]))
        })
        .collect()
}

/// Relative luminance (WCAG 2.x).
fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[test]
fn the_formula_matches_known_ratios() {
    assert!((contrast([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
    assert!((contrast([0x76, 0x76, 0x76], [255, 255, 255]) - 4.54).abs() < 0.01);
}

#[test]
fn every_text_colour_reads_on_every_background() {
    let palette = palette();
    let colour = |name: &str| {
        palette
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("--{name} is in the palette"))
            .1
    };
    let texts = ["ink", "muted", "blue", "green", "amber", "red"];
    let strong = ["blue", "green", "amber", "red"];
    // Backgrounds: the page, the paper, and every soft tint.
    let backgrounds: Vec<&str> = palette
        .iter()
        .map(|(n, _)| n.as_str())
        .filter(|n| ["paper", "bg"].contains(n) || n.ends_with("-soft"))
        .collect();
    assert!(backgrounds.len() >= 7, "{backgrounds:?}");
    let mut failures = Vec::new();
    for text in texts {
        for background in &backgrounds {
            let ratio = contrast(colour(text), colour(background));
            if ratio < 4.5 {
                failures.push(format!("--{text} on --{background}: {ratio:.2}"));
            }
        }
    }
    for background in strong {
        let ratio = contrast([255, 255, 255], colour(background));
        if ratio < 4.5 {
            failures.push(format!("white on --{background}: {ratio:.2}"));
        }
    }
    assert!(failures.is_empty(), "below WCAG AA (4.5:1): {failures:#?}");
}
