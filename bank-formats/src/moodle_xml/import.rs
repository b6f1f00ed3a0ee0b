//! Reading Moodle XML: `<quiz>` of `<question type=…>`, categories carried
//! to the questions after them, text fields converted from HTML with their
//! embedded `<file>`s, kinds and keys through Moodle's fraction list.

use std::collections::HashMap;

use base64::Engine;
use examgate_shared::bank::{Item, KeyMarking, Meta, Position, Problem};
use examgate_shared::exam::{Body, MAX_OPTIONS, MIN_OPTIONS, OptionId};
use examgate_shared::numeric::Decimal;
use examgate_shared::points::Points;

use super::xml::{self, Element};
use crate::html::{self, ImageResolver};
use crate::moodle::{self, FULL, Fraction};
use crate::{ImportResult, Imported, limits};

/// Reads a whole Moodle XML file: every question, or every problem.
pub fn import(bytes: &[u8]) -> ImportResult {
    let quiz = xml::parse(bytes).map_err(|p| vec![p])?;
    if quiz.name != "quiz" {
        return Err(vec![Problem::new(
            line(quiz.line),
            format!("the root element is <{}>, not Moodle's <quiz>", quiz.name),
        )]);
    }
    let mut items = Vec::new();
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let mut category = None;
    for (count, element) in quiz.all("question").enumerate() {
        if count >= limits::MAX_QUESTIONS {
            problems.push(limits::too_many_questions(line(element.line)));
            break;
        }
        let at = line(element.line);
        if element.attribute("type") == Some("category") {
            category = element
                .text_of("category")
                .and_then(|p| moodle::category_path(&p));
            continue;
        }
        let mut reader = Question {
            element,
            at: at.clone(),
            notes: Vec::new(),
            images: ImageResolver::new(files(element)),
        };
        match reader.item() {
            Ok(mut item) => {
                item.meta.category = category.clone();
                match item.check() {
                    Ok(()) => {
                        items.push(item);
                        notes.append(&mut reader.notes);
                    }
                    Err(why) => problems.push(Problem::new(at, why)),
                }
            }
            Err(why) => problems.push(Problem::new(at, why)),
        }
    }
    if problems.is_empty() {
        Ok(Imported { items, notes })
    } else {
        Err(problems)
    }
}

fn line(line: u32) -> Position {
    Position::Line { line }
}

/// A lookup of the question's embedded files by the name `@@PLUGINFILE@@/`
/// gives (URL-encoded or not).
fn files(question: &Element) -> impl FnMut(&str) -> Result<Vec<u8>, String> + 'static {
    let mut found: HashMap<String, String> = HashMap::new();
    for file in question
        .descendants()
        .into_iter()
        .filter(|e| e.name == "file")
    {
        if let Some(name) = file.attribute("name") {
            let path = file.attribute("path").unwrap_or("/");
            let full = format!("{}{name}", path.trim_start_matches('/'));
            found.entry(full).or_insert_with(|| file.text.clone());
        }
    }
    move |src: &str| {
        let name = src.strip_prefix("@@PLUGINFILE@@/").ok_or_else(|| {
            format!(
                "the picture {src:?} is not embedded in the file (only @@PLUGINFILE@@ pictures are)"
            )
        })?;
        let encoded = found
            .get(name)
            .or_else(|| found.get(&percent_decode(name)))
            .ok_or_else(|| format!("the picture {name:?} has no <file> in the question"))?;
        let clean: String = encoded.chars().filter(|c| !c.is_whitespace()).collect();
        base64::engine::general_purpose::STANDARD
            .decode(clean)
            .map_err(|e| format!("the picture {name:?} has broken base64 ({e})"))
    }
}

/// `%20` and friends decoded (bytes that are not UTF-8 left as written).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// One `<question>` being read.
struct Question<'a> {
    element: &'a Element,
    at: Position,
    notes: Vec<Problem>,
    images: ImageResolver<'static>,
}

/// One `<answer>`: its fraction, text and feedback.
struct Answer {
    fraction: Fraction,
    text: String,
    raw: String,
    feedback: String,
}

impl Question<'_> {
    fn item(&mut self) -> Result<Item, String> {
        let kind = self
            .element
            .attribute("type")
            .unwrap_or_default()
            .to_string();
        let (body, option_feedback) = match kind.as_str() {
            "multichoice" => self.multichoice()?,
            "truefalse" => self.truefalse()?,
            "numerical" => (self.numerical(false)?, Vec::new()),
            "shortanswer" => (self.numerical(true)?, Vec::new()),
            other => {
                return Err(format!(
                    "examgate has no {other:?} questions (multichoice, truefalse and numerical are read)"
                ));
            }
        };
        let mut text = self.field("questiontext")?;
        if let Some(old) = self.old_image()? {
            text = if text.is_empty() {
                old
            } else {
                format!("{text}\n{old}")
            };
        }
        let explanation = Some(self.field("generalfeedback")?).filter(|e| !e.is_empty());
        let mut item = Item::new(text, body);
        item.title = self.element.text_of("name").filter(|n| !n.is_empty());
        item.explanation = explanation;
        item.option_feedback = option_feedback;
        item.points = self.points()?;
        item.meta = Meta {
            external_id: self.element.text_of("idnumber").filter(|i| !i.is_empty()),
            tags: self.tags(),
            ..Meta::default()
        };
        item.images =
            std::mem::replace(&mut self.images, ImageResolver::new(|_| Err(String::new())))
                .into_images();
        item.marking = Some(KeyMarking::Format);
        item.source = Some(self.at.clone());
        Ok(item)
    }

    /// A text field (`<questiontext format><text>…`) as examgate text.
    fn field(&mut self, name: &str) -> Result<String, String> {
        let Some(element) = self.element.child(name) else {
            return Ok(String::new());
        };
        self.text_field(element)
    }

    fn text_field(&mut self, element: &Element) -> Result<String, String> {
        let text = element.text_of("text").unwrap_or_default();
        match element.attribute("format").unwrap_or("html") {
            "plain_text" | "markdown" | "wiki_like" => Ok(text),
            // Moodle's auto format keeps line breaks typed in the text.
            "moodle_auto_format" => {
                html::html_to_text(&text.replace('\n', "<br>"), &mut self.images)
            }
            _ => html::html_to_text(&text, &mut self.images),
        }
    }

    /// The old `<image>` + `<image_base64>` picture, as a reference.
    fn old_image(&mut self) -> Result<Option<String>, String> {
        let Some(encoded) = self
            .element
            .text_of("image_base64")
            .filter(|b| !b.is_empty())
        else {
            return Ok(None);
        };
        let name = self.element.text_of("image").unwrap_or_default();
        let clean: String = encoded.chars().filter(|c| !c.is_whitespace()).collect();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(clean)
            .map_err(|e| format!("the picture {name:?} has broken base64 ({e})"))?;
        self.images.add(&name, bytes, "").map(Some)
    }

    fn points(&self) -> Result<Option<Points>, String> {
        let Some(grade) = self.element.text_of("defaultgrade") else {
            return Ok(None);
        };
        let value = Decimal::parse(&grade)
            .map_err(|e| format!("the defaultgrade {grade:?} is not a number ({e})"))?;
        let scaled = i128::from(value.mantissa) * 1000;
        let divisor = 10i128.pow(value.scale);
        if value.mantissa < 0 || scaled % divisor != 0 {
            return Err(format!(
                "the defaultgrade {grade:?} must be positive with at most three decimals"
            ));
        }
        let milli = u32::try_from(scaled / divisor)
            .map_err(|_| format!("the defaultgrade {grade:?} is too large"))?;
        Ok((milli > 0).then(|| Points::from_milli(milli)))
    }

    fn tags(&self) -> Vec<String> {
        let mut tags: Vec<String> = Vec::new();
        for holder in ["tags", "coursetags"] {
            if let Some(list) = self.element.child(holder) {
                for tag in list.all("tag") {
                    let text = tag.child("text").map_or(tag.text.trim(), |t| t.text.trim());
                    if !text.is_empty() && !tags.iter().any(|t| t == text) {
                        tags.push(text.to_string());
                    }
                }
            }
        }
        tags
    }

    /// A `<single>`-like flag: true/false/1/0/empty, any case (noted when
    /// the case is not Moodle's, since Moodle reads `False` as true).
    fn flag(&mut self, name: &str, default: bool) -> Result<bool, String> {
        let Some(value) = self.element.text_of(name) else {
            return Ok(default);
        };
        let lower = value.to_ascii_lowercase();
        let read = match lower.as_str() {
            "true" | "1" => true,
            "false" | "0" | "" => false,
            _ => return Err(format!("<{name}> is {value:?}; write true or false")),
        };
        if lower != value {
            self.notes.push(Problem::new(
                self.at.clone(),
                format!("<{name}>{value}</{name}> was read as {read}; Moodle reads anything but false, 0 or nothing as true"),
            ));
        }
        Ok(read)
    }

    fn answers(&mut self) -> Result<Vec<Answer>, String> {
        let mut out = Vec::new();
        for element in self.element.all("answer") {
            let written = element.attribute("fraction").unwrap_or("0");
            let fraction = moodle::percent_to_fraction(written.trim())?;
            let raw = element.text_of("text").unwrap_or_default();
            let text = self.text_field(element)?;
            let feedback = match element.child("feedback") {
                Some(f) => self.text_field(f)?,
                None => String::new(),
            };
            out.push(Answer {
                fraction,
                text,
                raw,
                feedback,
            });
        }
        Ok(out)
    }

    fn multichoice(&mut self) -> Result<(Body, Vec<String>), String> {
        let single = self.flag("single", true)?;
        self.flag("shuffleanswers", false)?;
        let answers = self.answers()?;
        if !(MIN_OPTIONS..=MAX_OPTIONS).contains(&answers.len()) {
            return Err(format!(
                "{} options; a question needs {MIN_OPTIONS} to {MAX_OPTIONS}",
                answers.len()
            ));
        }
        let fractions: Vec<Fraction> = answers.iter().map(|a| a.fraction).collect();
        let options: Vec<String> = answers.iter().map(|a| a.text.clone()).collect();
        let feedback = no_empty(answers.iter().map(|a| a.feedback.clone()).collect());
        if single {
            let key = moodle::single_key(&fractions)?;
            return Ok((
                Body::SingleChoice {
                    options,
                    key,
                    pinned: vec![],
                },
                feedback,
            ));
        }
        let key = moodle::multi_key(&fractions)?;
        if key.softened {
            self.notes.push(Problem::new(
                self.at.clone(),
                moodle::softened_note(key.keys.len()),
            ));
        }
        Ok((
            Body::MultipleResponse {
                options,
                keys: key.keys,
                pinned: vec![],
                rule: key.rule,
            },
            feedback,
        ))
    }

    /// Answers `true` and `false`; the one at 100 % is right. Read as a
    /// single choice between "Đúng" and "Sai".
    fn truefalse(&mut self) -> Result<(Body, Vec<String>), String> {
        let answers = self.answers()?;
        let find = |word: &str| {
            answers
                .iter()
                .find(|a| a.raw.trim().eq_ignore_ascii_case(word))
        };
        let (Some(yes), Some(no)) = (find("true"), find("false")) else {
            return Err("a truefalse question needs the answers true and false".into());
        };
        let key = match (yes.fraction, no.fraction) {
            (FULL, 0) => 0,
            (0, FULL) => 1,
            _ => return Err("exactly one of true and false must be worth 100%".into()),
        };
        let feedback = no_empty(vec![yes.feedback.clone(), no.feedback.clone()]);
        Ok((
            Body::SingleChoice {
                options: vec![moodle::TRUE_OPTION.into(), moodle::FALSE_OPTION.into()],
                key: OptionId(key),
                pinned: vec![],
            },
            feedback,
        ))
    }

    /// `numerical` (one answer at 100 % with its tolerance), or a
    /// `shortanswer` whose right answer is one number.
    fn numerical(&mut self, short: bool) -> Result<Body, String> {
        let answers = self.answers()?;
        let mut right = Vec::new();
        for (answer, element) in answers.iter().zip(self.element.all("answer")) {
            match answer.fraction {
                FULL => right.push((answer, element)),
                0 => self.notes.push(Problem::new(
                    line(element.line),
                    format!(
                        "the answer {:?} worth 0% only gives feedback; it is not kept",
                        answer.raw
                    ),
                )),
                f => {
                    return Err(format!(
                        "an answer worth {}% (partial credit); examgate's numeric questions have one right number",
                        moodle::percent_text(f)
                    ));
                }
            }
        }
        let [(answer, element)] = right.as_slice() else {
            return Err(format!(
                "{} answers worth 100%; examgate's numeric questions have exactly one right number",
                right.len()
            ));
        };
        if !answer.feedback.is_empty() {
            self.notes.push(Problem::new(
                self.at.clone(),
                "the feedback on the numeric answer is not kept",
            ));
        }
        let written = match element.text_of("tolerance") {
            Some(t) if !short && !t.is_empty() => format!("{}:{t}", answer.raw),
            _ => answer.raw.clone(),
        };
        let what = if short {
            "short answer"
        } else {
            "numerical answer"
        };
        if short && written.contains([':']) || written.contains("..") {
            return Err(format!("the {what} {written:?} is not a single number"));
        }
        let (key, tolerance, comma) = crate::gift::read_number(&written).map_err(|_| {
            format!(
                "the {what} {:?} is not a number (examgate keeps only numeric answers)",
                answer.raw
            )
        })?;
        if comma {
            self.notes.push(Problem::new(
                self.at.clone(),
                format!("the decimal comma in {written:?} was read as a decimal point"),
            ));
        }
        Ok(Body::Numeric { key, tolerance })
    }
}

fn no_empty(feedback: Vec<String>) -> Vec<String> {
    if feedback.iter().all(String::is_empty) {
        Vec::new()
    } else {
        feedback
    }
}
