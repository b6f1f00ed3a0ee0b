//! What a GIFT answer block `{…}` holds, detected in Moodle's order:
//! numeric (`#…`), choices (`~`), matching, true/false (`T`, `FALSE` …),
//! else short answer. examgate keeps choices, true/false and numeric; the
//! other kinds are refused with the reason.

use examgate_shared::bank::{Position, Problem};
use examgate_shared::exam::{Body, OptionId};
use examgate_shared::numeric::Decimal;

use super::import::{Format, format_prefix, line, render};
use super::lexer::{self, Ch};
use crate::html::ImageResolver;
use crate::moodle::{self, FULL, Fraction};

/// The kind and key read from an answer block, with per-option feedback
/// (empty when no option has any).
pub(super) struct Answers {
    pub body: Body,
    pub option_feedback: Vec<String>,
}

type Read = Result<Answers, Vec<Problem>>;

/// Reads the answer block `content` (general feedback already removed) of
/// the question starting at `at`.
pub(super) fn read(
    content: &[Ch],
    at: &Position,
    format: Format,
    images: &mut ImageResolver,
    notes: &mut Vec<Problem>,
) -> Read {
    let refuse = |why: &str| Err(vec![Problem::new(at.clone(), why)]);
    if content.is_empty() {
        return refuse("examgate has no essay questions (the answer block { } is empty)");
    }
    if lexer::starts_with(content, "#") {
        return numeric(&content[1..], at, notes);
    }
    if lexer::find(content, "~").is_some() {
        return choices(content, at, format, images, notes);
    }
    if lexer::find(content, "=").is_some() && lexer::find(content, "->").is_some() {
        return refuse("examgate has no matching questions");
    }
    let first = lexer::split(content, '#')[0];
    match lexer::text(lexer::trim(first)).as_str() {
        "T" | "TRUE" => true_false(true, content, at, format, images),
        "F" | "FALSE" => true_false(false, content, at, format, images),
        _ => refuse(
            "examgate has no short-answer text questions (an answer block with no ~ and no #); \
             for true/false write T, TRUE, F or FALSE in capitals",
        ),
    }
}

/// `{T#wrong feedback#right feedback}`: a single-choice question between
/// "Đúng" and "Sai" whose option feedback is what Moodle shows for that
/// answer.
fn true_false(
    truth: bool,
    content: &[Ch],
    at: &Position,
    format: Format,
    images: &mut ImageResolver,
) -> Read {
    let parts = lexer::split(content, '#');
    if parts.len() > 3 {
        return Err(vec![Problem::new(
            at.clone(),
            "a true/false answer has at most two feedbacks (T#if wrong#if right); write \\# \
             for a # in feedback",
        )]);
    }
    let mut feedback = |i: usize| -> Result<String, Vec<Problem>> {
        let Some(part) = parts.get(i) else {
            return Ok(String::new());
        };
        let (format, chars) = format_prefix(lexer::trim(part), format);
        render(format, chars, images).map_err(|why| vec![Problem::new(at.clone(), why)])
    };
    let (wrong, right) = (feedback(1)?, feedback(2)?);
    let option_feedback = if truth {
        vec![right, wrong]
    } else {
        vec![wrong, right]
    };
    Ok(Answers {
        body: Body::SingleChoice {
            options: vec![moodle::TRUE_OPTION.into(), moodle::FALSE_OPTION.into()],
            key: OptionId(if truth { 0 } else { 1 }),
            pinned: vec![],
        },
        option_feedback: no_empty_feedback(option_feedback),
    })
}

/// Empty when no option has feedback.
pub(super) fn no_empty_feedback(feedback: Vec<String>) -> Vec<String> {
    if feedback.iter().all(String::is_empty) {
        Vec::new()
    } else {
        feedback
    }
}

/// One option as written: where it starts, whether `=` marked it, its
/// weight and its text and feedback still unread.
struct Choice<'a> {
    line: u32,
    fraction: Fraction,
    text: &'a [Ch],
    feedback: Option<&'a [Ch]>,
}

/// `{=right ~wrong}` (single choice) or `{~%50%a ~%50%b ~%-50%c}`
/// (multiple response).
fn choices(
    content: &[Ch],
    at: &Position,
    format: Format,
    images: &mut ImageResolver,
    notes: &mut Vec<Problem>,
) -> Read {
    let single = lexer::find(content, "=").is_some();
    let mut problems = Vec::new();
    let mut written = Vec::new();
    for (marked, chars) in split_options(content) {
        let chars = lexer::trim(chars);
        // `~=x` (and Moodle's own `=` → `~=` rewrite) leaves empty pieces.
        if !marked && chars.is_empty() {
            continue;
        }
        let line_of = chars.first().map_or(at.clone(), |c| line(c.line));
        match choice(marked, chars, &line_of) {
            Ok(choice) => written.push(choice),
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if !(examgate_shared::exam::MIN_OPTIONS..=examgate_shared::exam::MAX_OPTIONS)
        .contains(&written.len())
    {
        return Err(vec![Problem::new(
            at.clone(),
            format!(
                "{} options; a question needs {} to {}",
                written.len(),
                examgate_shared::exam::MIN_OPTIONS,
                examgate_shared::exam::MAX_OPTIONS
            ),
        )]);
    }
    let mut options = Vec::new();
    let mut feedback = Vec::new();
    for choice in &written {
        let at = line(choice.line);
        let (text_format, text) = format_prefix(choice.text, format);
        match render(text_format, text, images) {
            Ok(text) if text.is_empty() => {
                problems.push(Problem::new(at.clone(), "an option with no text"))
            }
            Ok(text) => options.push(text),
            Err(why) => problems.push(Problem::new(at.clone(), why)),
        }
        let (feedback_format, chars) = format_prefix(choice.feedback.unwrap_or(&[]), format);
        match render(feedback_format, chars, images) {
            Ok(text) => feedback.push(text),
            Err(why) => problems.push(Problem::new(at, why)),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let fractions: Vec<Fraction> = written.iter().map(|c| c.fraction).collect();
    let body = if single {
        single_key(options, &fractions, at)?
    } else {
        let key = moodle::multi_key(&fractions).map_err(|why| {
            vec![Problem::new(
                at.clone(),
                format!(
                    "{why} (no option is marked with =, so this is a multiple-response question)"
                ),
            )]
        })?;
        if key.softened {
            notes.push(Problem::new(
                at.clone(),
                moodle::softened_note(key.keys.len()),
            ));
        }
        Body::MultipleResponse {
            options,
            keys: key.keys,
            pinned: vec![],
            rule: key.rule,
        }
    };
    Ok(Answers {
        body,
        option_feedback: no_empty_feedback(feedback),
    })
}

/// The options as Moodle cuts them: every unescaped `=` also starts an
/// option (marked right), every `~` starts one.
fn split_options(content: &[Ch]) -> Vec<(bool, &[Ch])> {
    let mut out = Vec::new();
    for piece in lexer::split(content, '~') {
        for (i, part) in lexer::split(piece, '=').into_iter().enumerate() {
            out.push((i > 0, part));
        }
    }
    out
}

/// One option's weight (`=` or `%w%`) and its text and feedback.
fn choice<'a>(marked: bool, chars: &'a [Ch], at: &Position) -> Result<Choice<'a>, Problem> {
    let line_number = match at {
        Position::Line { line } => *line,
        _ => 0,
    };
    let mut fraction = if marked { FULL } else { 0 };
    let mut rest = chars;
    if !marked && lexer::starts_with(chars, "%") {
        let end = lexer::find(&chars[1..], "%")
            .ok_or_else(|| Problem::new(at.clone(), "a weight %…% with no closing %"))?;
        fraction = moodle::percent_to_fraction(&lexer::text(&chars[1..1 + end]))
            .map_err(|why| Problem::new(at.clone(), why))?;
        rest = lexer::trim(&chars[end + 2..]);
    }
    let (text, feedback) = match lexer::find(rest, "#") {
        Some(hash) => (
            lexer::trim(&rest[..hash]),
            Some(lexer::trim(&rest[hash + 1..])),
        ),
        None => (rest, None),
    };
    Ok(Choice {
        line: line_number,
        fraction,
        text,
        feedback,
    })
}

/// The key of a single-choice question, refused in GIFT's words.
fn single_key(
    options: Vec<String>,
    fractions: &[Fraction],
    at: &Position,
) -> Result<Body, Vec<Problem>> {
    let key = moodle::single_key(fractions).map_err(|why| {
        vec![Problem::new(
            at.clone(),
            format!("{why} (= marks the one right option; for several right answers weight every option ~%…%)"),
        )]
    })?;
    Ok(Body::SingleChoice {
        options,
        key,
        pinned: vec![],
    })
}

/// `{#3.14:0.01}`, `{#1..5}` or `{#=%100%3.14}`: one right number.
fn numeric(content: &[Ch], at: &Position, notes: &mut Vec<Problem>) -> Read {
    let refuse = |at: Position, why: String| Err(vec![Problem::new(at, why)]);
    let mut content = content;
    if let Some(tilde) = lexer::find(content, "~") {
        notes.push(Problem::new(
            at.clone(),
            "the feedback for other answers (after ~) is not kept",
        ));
        content = &content[..tilde];
    }
    let answers: Vec<&[Ch]> = if lexer::find(content, "=").is_none() {
        vec![lexer::trim(content)]
    } else {
        let mut parts: Vec<&[Ch]> = lexer::split(content, '=')
            .into_iter()
            .map(lexer::trim)
            .collect();
        if parts.first().is_some_and(|p| p.is_empty()) {
            parts.remove(0);
        }
        parts
    };
    if answers.len() != 1 {
        return refuse(
            at.clone(),
            format!(
                "{} numeric answers (partial credit); examgate's numeric questions have one \
                 right number with a tolerance",
                answers.len()
            ),
        );
    }
    let answer = answers[0];
    let at = answer.first().map_or(at.clone(), |c| line(c.line));
    let mut rest = answer;
    if lexer::starts_with(answer, "%") {
        let Some(end) = lexer::find(&answer[1..], "%") else {
            return refuse(at, "a weight %…% with no closing %".into());
        };
        let fraction = moodle::percent_to_fraction(&lexer::text(&answer[1..1 + end]))
            .map_err(|why| vec![Problem::new(at.clone(), why)])?;
        if fraction != FULL {
            return refuse(
                at,
                format!(
                    "the only numeric answer is worth {}%; it must be worth 100%",
                    moodle::percent_text(fraction)
                ),
            );
        }
        rest = lexer::trim(&answer[end + 2..]);
    }
    if let Some(hash) = lexer::find(rest, "#") {
        if !lexer::trim(&rest[hash + 1..]).is_empty() {
            notes.push(Problem::new(
                at.clone(),
                "the feedback on the numeric answer is not kept",
            ));
        }
        rest = lexer::trim(&rest[..hash]);
    }
    let written = lexer::text(rest);
    let (key, tolerance, comma) =
        read_number(&written).map_err(|why| vec![Problem::new(at.clone(), why)])?;
    if comma {
        notes.push(Problem::new(
            at,
            format!("the decimal comma in {written:?} was read as a decimal point"),
        ));
    }
    Ok(Answers {
        body: Body::Numeric { key, tolerance },
        option_feedback: Vec::new(),
    })
}

/// `value`, `value:tolerance` or `min..max` (midpoint ± half-width), and
/// whether a decimal comma was read. A zero tolerance is no tolerance.
pub(crate) fn read_number(written: &str) -> Result<(Decimal, Option<Decimal>, bool), String> {
    let comma = written.contains(',');
    let number = |text: &str| {
        Decimal::parse(text).map_err(|e| {
            format!(
                "the numeric answer {written:?} is not a number ({e}); Moodle would accept \
                 any answer"
            )
        })
    };
    let (key, tolerance) = if let Some((low, high)) = written.split_once("..") {
        let (low, high) = (number(low)?, number(high)?);
        range(low, high).ok_or_else(|| {
            format!("the range {written:?} must go from the smaller number to the larger")
        })?
    } else if let Some((value, tolerance)) = written.split_once(':') {
        let tolerance = number(tolerance)?;
        if tolerance.mantissa < 0 {
            return Err(format!("the tolerance in {written:?} must not be negative"));
        }
        (number(value)?, tolerance)
    } else {
        (
            number(written)?,
            Decimal {
                mantissa: 0,
                scale: 0,
            },
        )
    };
    let tolerance = (tolerance.mantissa != 0).then_some(tolerance);
    Ok((key, tolerance, comma))
}

/// The midpoint and half-width of `low..high`, exactly.
fn range(low: Decimal, high: Decimal) -> Option<(Decimal, Decimal)> {
    let scale = low.scale.max(high.scale);
    let lift = |d: Decimal| i128::from(d.mantissa) * 10i128.pow(scale - d.scale);
    let (low, high) = (lift(low), lift(high));
    if low > high {
        return None;
    }
    let half = |sum: i128| {
        if sum % 2 == 0 {
            decimal(sum / 2, scale)
        } else {
            decimal(sum * 5, scale + 1)
        }
    };
    Some((half(low + high)?, half(high - low)?))
}

fn decimal(mantissa: i128, scale: u32) -> Option<Decimal> {
    let digits = mantissa.unsigned_abs().to_string().len();
    if digits > examgate_shared::numeric::MAX_DIGITS {
        return None;
    }
    Some(Decimal {
        mantissa: i64::try_from(mantissa).ok()?,
        scale,
    })
}
