//! Response declarations and response processing, read for what examgate
//! grades: the correct response, whether a multiple-response mapping is
//! "right minus wrong", and the absolute tolerance of a numeric answer.

use examgate_shared::exam::MultiRule;
use examgate_shared::numeric::Decimal;

use super::xml::Element;

/// One `responseDeclaration`.
#[derive(Debug)]
pub struct Declaration<'x> {
    pub identifier: String,
    pub cardinality: String,
    pub base_type: String,
    /// The `correctResponse` values; `None` when there is none.
    pub correct: Option<Vec<String>>,
    pub mapping: Option<&'x Element>,
    pub line: u32,
}

impl<'x> Declaration<'x> {
    pub fn read(element: &'x Element) -> Declaration<'x> {
        let correct = element.child("correctResponse").map(|c| {
            c.elements()
                .filter(|v| v.name == "value")
                .map(|v| v.text().trim().to_string())
                .collect()
        });
        Declaration {
            identifier: element.attr("identifier").unwrap_or("").to_string(),
            cardinality: element.attr("cardinality").unwrap_or("single").to_string(),
            base_type: element.attr("baseType").unwrap_or("").to_string(),
            correct,
            mapping: element.child("mapping"),
            line: element.line,
        }
    }
}

/// How the item's `responseProcessing` scores.
#[derive(Debug)]
pub enum Processing<'x> {
    /// A standard template, by name (`match_correct`, `map_response`).
    Template(String),
    /// Hand-written rules.
    Custom(&'x Element),
    /// No response processing: read as `match_correct`.
    Absent,
}

impl<'x> Processing<'x> {
    pub fn read(item: &'x Element) -> Processing<'x> {
        let Some(rp) = item.child("responseProcessing") else {
            return Processing::Absent;
        };
        match rp.attr("template") {
            Some(uri) => Processing::Template(super::names::template_name(uri)),
            None if rp.elements().next().is_none() => Processing::Absent,
            None => Processing::Custom(rp),
        }
    }

    /// Whether scoring is "right when the response matches the correct
    /// one" (the template, or a custom `match` against it).
    pub fn matches_correct(&self) -> bool {
        match self {
            Processing::Template(name) => name == "match_correct",
            Processing::Absent => true,
            Processing::Custom(rp) => {
                let mut found = Vec::new();
                rp.descendants("match", &mut found);
                !found.is_empty()
            }
        }
    }
}

/// The rule of a multiple-response question, or why it cannot be read.
pub fn multi_rule(
    processing: &Processing<'_>,
    declaration: &Declaration<'_>,
    choices: &[String],
    correct: &[String],
) -> Result<MultiRule, String> {
    if let Processing::Template(name) = processing
        && name == "map_response"
    {
        let Some(mapping) = declaration.mapping else {
            return Err("map_response scoring without a mapping".into());
        };
        return right_minus_wrong(mapping, choices, correct).map(|()| MultiRule::RightMinusWrong);
    }
    if processing.matches_correct() {
        return Ok(MultiRule::AllOrNothing);
    }
    Err(match processing {
        Processing::Template(name) => format!(
            "the response processing template {name} is not one examgate reads; use \
             match_correct (all or nothing) or map_response (right minus wrong)"
        ),
        _ => "custom response processing for a multiple-response question; use the \
              match_correct (all or nothing) or map_response (right minus wrong) template"
            .into(),
    })
}

/// Accepts a mapping that gives every right choice the same share `s`,
/// every other choice `−s`, and never goes below zero: that is
/// [`MultiRule::RightMinusWrong`] whatever `s` is.
fn right_minus_wrong(
    mapping: &Element,
    choices: &[String],
    correct: &[String],
) -> Result<(), String> {
    let number = |name: &str| -> Result<Option<f64>, String> {
        match mapping.attr(name) {
            None => Ok(None),
            Some(v) => v
                .trim()
                .parse::<f64>()
                .map(Some)
                .map_err(|_| format!("the mapping's {name} {v:?} is not a number")),
        }
    };
    let default = number("defaultValue")?.unwrap_or(0.0);
    let lower = number("lowerBound")?;
    let upper = number("upperBound")?;
    let mut entries = Vec::new();
    for entry in mapping.elements().filter(|e| e.name == "mapEntry") {
        let key = entry.attr("mapKey").unwrap_or("").trim().to_string();
        let value = entry.attr("mappedValue").unwrap_or("").trim();
        let value: f64 = value
            .parse()
            .map_err(|_| format!("the mapped value {value:?} for {key} is not a number"))?;
        entries.push((key, value));
    }
    let value_of = |choice: &String| {
        entries
            .iter()
            .find(|(key, _)| key == choice)
            .map_or(default, |(_, v)| *v)
    };
    let share = 1.0 / correct.len().max(1) as f64;
    let scale = correct.first().map_or(share, value_of);
    let unlike = "a mapping examgate cannot grade the same way; it reads map_response only \
                  when every right choice maps to +1/k and every other to −1/k (k right \
                  choices, any common scale) with lowerBound 0 (right minus wrong), or use \
                  match_correct (all or nothing)";
    if scale <= 0.0 {
        return Err(unlike.into());
    }
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-3 * scale.max(1e-9);
    for choice in choices {
        let expected = if correct.contains(choice) {
            scale
        } else {
            -scale
        };
        if !close(value_of(choice), expected) {
            return Err(unlike.into());
        }
    }
    if lower.is_none_or(|l| !close(l, 0.0)) {
        return Err(format!(
            "{unlike}; add lowerBound=\"0\" so a score never goes below zero"
        ));
    }
    if upper.is_some_and(|u| u < scale * correct.len() as f64 - 1e-3 * scale) {
        return Err(unlike.into());
    }
    Ok(())
}

/// The tolerance of a numeric answer, or the line and reason it cannot be
/// read (`line` for problems with no element of their own).
pub fn tolerance(processing: &Processing<'_>, line: u32) -> Result<Option<Decimal>, (u32, String)> {
    let rp = match processing {
        Processing::Template(name) if name == "match_correct" => return Ok(None),
        Processing::Absent => return Ok(None),
        Processing::Template(name) => {
            return Err((
                line,
                format!(
                    "the response processing template {name} cannot grade a number; use \
                     match_correct or custom processing with equal"
                ),
            ));
        }
        Processing::Custom(rp) => rp,
    };
    let mut equals = Vec::new();
    rp.descendants("equal", &mut equals);
    let Some(equal) = equals.first() else {
        let mut rounded = Vec::new();
        rp.descendants("equalRounded", &mut rounded);
        if let Some(rounded) = rounded.first() {
            return Err((
                rounded.line,
                "equalRounded (rounding to figures) is not how examgate compares numbers; \
                 use equal with toleranceMode=\"absolute\""
                    .into(),
            ));
        }
        return if processing.matches_correct() {
            Ok(None)
        } else {
            Err((
                rp.line,
                "custom response processing examgate cannot read; compare the response \
                 with equal (toleranceMode exact or absolute) or use match_correct"
                    .into(),
            ))
        };
    };
    let refused = |why: String| Err((equal.line, why));
    match equal.attr("toleranceMode").unwrap_or("exact").trim() {
        "exact" => Ok(None),
        "absolute" => absolute_tolerance(equal).or_else(refused),
        "relative" => refused(
            "a relative tolerance (a percentage of the answer) is not supported; give an \
             absolute tolerance instead"
                .into(),
        ),
        other => refused(format!(
            "toleranceMode {other:?} is not exact, absolute or relative"
        )),
    }
}

fn absolute_tolerance(equal: &Element) -> Result<Option<Decimal>, String> {
    for bound in ["includeLowerBound", "includeUpperBound"] {
        if equal.attr(bound).is_some_and(|v| v.trim() == "false") {
            return Err(format!(
                "{bound}=\"false\" excludes the bound; examgate's tolerance includes both \
                 ends"
            ));
        }
    }
    let text = equal.attr("tolerance").unwrap_or("");
    let parts: Vec<&str> = text.split_whitespace().collect();
    let parse = |t: &str| {
        Decimal::parse(t).map_err(|e| format!("the tolerance {t:?} is not a number ({e})"))
    };
    match parts.as_slice() {
        [t] => parse(t).map(Some),
        [low, high] => {
            let (low, high) = (parse(low)?, parse(high)?);
            if low.matches(
                high,
                Decimal {
                    mantissa: 0,
                    scale: 0,
                },
            ) {
                Ok(Some(low))
            } else {
                Err(format!(
                    "an asymmetric tolerance ({text}) is not supported; give one absolute \
                     tolerance for both sides"
                ))
            }
        }
        _ => Err("toleranceMode=\"absolute\" without a tolerance".into()),
    }
}
