//! Internally tagged enums (`{"type": "ack", "seq": 3}`) read with the tag
//! as the object's first key, without buffering: how the browser reads
//! what the relay writes.
//!
//! serde's derived reader for `#[serde(tag = "…")]` cannot know where the
//! tag will be, so it first copies the whole object into a generic buffer
//! and then reads the variant back out of it. Every type below such an enum
//! (the paper below a welcome, its questions, the clock below a control) is
//! then compiled twice, once reading JSON and once reading the buffer: in
//! the student's module that was about a tenth of the code, downloaded by
//! every student for a flexibility the browser never needs, because the
//! relay writes with serde's derive, which always writes the tag first.
//!
//! So on wasm32 the tagged enums the pages read ([`RelayToStudent`],
//! [`Control`], [`StudentEvent`], and the paper's [`PaperQuestion`] with
//! its flattened [`PaperBody`]) implement `Deserialize` through this
//! module. Everywhere else, the relay above all, which accepts the tag
//! anywhere from clients it did not write, they keep serde's derive; the
//! tests below hold both readers to the same values and errors.

use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserializer, Error, IgnoredAny, MapAccess, Visitor};

use crate::Millis;
use crate::answer::AnswerValue;
use crate::attempt::{AttemptStatus, StudentEvent};
use crate::control::{AttemptClock, Control};
use crate::error::{ErrorBody, ErrorCode};
use crate::exam::QuestionId;
use crate::paper::{Paper, PaperBody, PaperOption, PaperQuestion};
use crate::points::Points;
use crate::proctoring::StudentMessage;
use crate::protocol::{AttemptView, RelayToStudent};
use crate::scoring::Grade;

/// An internally tagged enum that can be read tag first.
pub trait TagFirst: Sized {
    /// The tag's key (`"type"`).
    const TAG: &'static str;
    /// The tag's values, for "unknown variant" errors.
    const VARIANTS: &'static [&'static str];
    /// What the enum is, for errors (`"a relay message"`).
    const EXPECTING: &'static str;

    /// Reads variant `name` from the object's remaining keys.
    fn variant<'de, D: Deserializer<'de>>(name: &str, fields: D) -> Result<Self, D::Error>;
}

/// Reads a `T` whose tag is the object's first key.
pub fn deserialize<'de, T: TagFirst, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(TagFirstVisitor(PhantomData))
}

struct TagFirstVisitor<T>(PhantomData<T>);

impl<'de, T: TagFirst> Visitor<'de> for TagFirstVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        match map.next_key::<String>()? {
            Some(key) if key == T::TAG => {}
            Some(key) => {
                return Err(A::Error::custom(format_args!(
                    "`{}` must be the first field of {}, not `{key}`",
                    T::TAG,
                    T::EXPECTING
                )));
            }
            None => return Err(A::Error::missing_field(T::TAG)),
        }
        let name: String = map.next_value()?;
        T::variant(&name, MapAccessDeserializer::new(map))
    }
}

/// A variant without fields: whatever else the object holds is skipped, as
/// serde's derive does.
fn unit<'de, D: Deserializer<'de>>(fields: D) -> Result<(), D::Error> {
    IgnoredAny::deserialize(fields).map(|_| ())
}

fn unknown<E: Error>(name: &str, variants: &'static [&'static str]) -> E {
    E::unknown_variant(name, variants)
}

// ------------------------------------------------------------ relay → student

#[derive(Deserialize)]
struct Welcome {
    echo: Millis,
    relay_time: Millis,
    attempt: AttemptView,
    paper: Option<Paper>,
}

#[derive(Deserialize)]
struct Seq {
    seq: u64,
}

#[derive(Deserialize)]
struct Refused {
    seq: u64,
    error: ErrorBody,
}

#[derive(Deserialize)]
struct Pong {
    echo: Millis,
    relay_time: Millis,
}

#[derive(Deserialize)]
struct Outcome {
    status: AttemptStatus,
    grade: Grade,
}

#[derive(Deserialize)]
struct Controlled {
    control: Control,
    clock: AttemptClock,
}

#[derive(Deserialize)]
struct Message {
    message: StudentMessage,
}

/// The error's body is flattened into the message.
#[derive(Deserialize)]
struct Failure {
    code: ErrorCode,
    message: String,
    #[serde(default)]
    expected: Option<u64>,
}

impl TagFirst for RelayToStudent {
    const TAG: &'static str = "type";
    const VARIANTS: &'static [&'static str] = &[
        "welcome", "ack", "refused", "pong", "result", "control", "message", "error",
    ];
    const EXPECTING: &'static str = "a relay message";

    fn variant<'de, D: Deserializer<'de>>(name: &str, fields: D) -> Result<Self, D::Error> {
        Ok(match name {
            "welcome" => {
                let w = Welcome::deserialize(fields)?;
                RelayToStudent::Welcome {
                    echo: w.echo,
                    relay_time: w.relay_time,
                    attempt: w.attempt,
                    paper: w.paper,
                }
            }
            "ack" => RelayToStudent::Ack {
                seq: Seq::deserialize(fields)?.seq,
            },
            "refused" => {
                let r = Refused::deserialize(fields)?;
                RelayToStudent::Refused {
                    seq: r.seq,
                    error: r.error,
                }
            }
            "pong" => {
                let p = Pong::deserialize(fields)?;
                RelayToStudent::Pong {
                    echo: p.echo,
                    relay_time: p.relay_time,
                }
            }
            "result" => {
                let r = Outcome::deserialize(fields)?;
                RelayToStudent::Result {
                    status: r.status,
                    grade: r.grade,
                }
            }
            "control" => {
                let c = Controlled::deserialize(fields)?;
                RelayToStudent::Control {
                    control: c.control,
                    clock: c.clock,
                }
            }
            "message" => RelayToStudent::Message {
                message: Message::deserialize(fields)?.message,
            },
            "error" => {
                let e = Failure::deserialize(fields)?;
                RelayToStudent::Error {
                    error: ErrorBody::new(e.code, e.message),
                    expected: e.expected,
                }
            }
            other => return Err(unknown(other, Self::VARIANTS)),
        })
    }
}

// ------------------------------------------------------------ controls

#[derive(Deserialize)]
struct Minutes {
    minutes: u32,
}

impl TagFirst for Control {
    const TAG: &'static str = "kind";
    const VARIANTS: &'static [&'static str] = &[
        "extra_time",
        "pause",
        "resume",
        "end",
        "reopen",
        "deadline_close",
    ];
    const EXPECTING: &'static str = "a control";

    fn variant<'de, D: Deserializer<'de>>(name: &str, fields: D) -> Result<Self, D::Error> {
        Ok(match name {
            "extra_time" => Control::ExtraTime {
                minutes: Minutes::deserialize(fields)?.minutes,
            },
            "reopen" => Control::Reopen {
                minutes: Minutes::deserialize(fields)?.minutes,
            },
            "pause" => unit(fields).map(|()| Control::Pause)?,
            "resume" => unit(fields).map(|()| Control::Resume)?,
            "end" => unit(fields).map(|()| Control::End)?,
            "deadline_close" => unit(fields).map(|()| Control::DeadlineClose)?,
            other => return Err(unknown(other, Self::VARIANTS)),
        })
    }
}

// ------------------------------------------------------------ events

#[derive(Deserialize)]
struct Answer {
    question: QuestionId,
    value: Option<AnswerValue>,
}

impl TagFirst for StudentEvent {
    const TAG: &'static str = "kind";
    const VARIANTS: &'static [&'static str] = &["answer", "submit"];
    const EXPECTING: &'static str = "an event";

    fn variant<'de, D: Deserializer<'de>>(name: &str, fields: D) -> Result<Self, D::Error> {
        Ok(match name {
            "answer" => {
                let a = Answer::deserialize(fields)?;
                StudentEvent::Answer {
                    question: a.question,
                    value: a.value,
                }
            }
            "submit" => unit(fields).map(|()| StudentEvent::Submit)?,
            other => return Err(unknown(other, Self::VARIANTS)),
        })
    }
}

// ------------------------------------------------------------ the paper

#[derive(Deserialize)]
struct Options {
    options: Vec<PaperOption>,
}

#[derive(Deserialize)]
struct Statements {
    statements: Vec<String>,
}

impl TagFirst for PaperBody {
    const TAG: &'static str = "type";
    const VARIANTS: &'static [&'static str] = &[
        "single_choice",
        "true_false",
        "numeric",
        "multiple_response",
    ];
    const EXPECTING: &'static str = "a question's body";

    fn variant<'de, D: Deserializer<'de>>(name: &str, fields: D) -> Result<Self, D::Error> {
        Ok(match name {
            "single_choice" => PaperBody::SingleChoice {
                options: Options::deserialize(fields)?.options,
            },
            "multiple_response" => PaperBody::MultipleResponse {
                options: Options::deserialize(fields)?.options,
            },
            "true_false" => PaperBody::TrueFalse {
                statements: Statements::deserialize(fields)?.statements,
            },
            "numeric" => unit(fields).map(|()| PaperBody::Numeric)?,
            other => return Err(unknown(other, Self::VARIANTS)),
        })
    }
}

/// A paper question: `id`, `text` and `points`, then its body flattened
/// (the body's tag and fields last, as serde writes a trailing flattened
/// field).
pub fn paper_question<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<PaperQuestion, D::Error> {
    struct QuestionVisitor;

    impl<'de> Visitor<'de> for QuestionVisitor {
        type Value = PaperQuestion;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a paper question")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PaperQuestion, A::Error> {
            let (mut id, mut text, mut points) =
                (None::<QuestionId>, None::<String>, None::<Points>);
            while let Some(key) = map.next_key::<String>()? {
                match key.as_str() {
                    "id" => id = Some(map.next_value()?),
                    "text" => text = Some(map.next_value()?),
                    "points" => points = Some(map.next_value()?),
                    "type" => {
                        let name: String = map.next_value()?;
                        let body = PaperBody::variant(&name, MapAccessDeserializer::new(map))?;
                        return Ok(PaperQuestion {
                            id: id.ok_or_else(|| A::Error::missing_field("id"))?,
                            text: text.ok_or_else(|| A::Error::missing_field("text"))?,
                            points: points.ok_or_else(|| A::Error::missing_field("points"))?,
                            body,
                        });
                    }
                    _ => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Err(A::Error::missing_field("type"))
        }
    }

    deserializer.deserialize_map(QuestionVisitor)
}

// ------------------------------------------------------------ in the browser

#[cfg(target_arch = "wasm32")]
mod browser {
    use serde::{Deserialize, Deserializer};

    use super::{PaperQuestion, deserialize, paper_question};
    use crate::attempt::StudentEvent;
    use crate::control::Control;
    use crate::paper::PaperBody;
    use crate::protocol::RelayToStudent;

    macro_rules! tag_first {
        ($($ty:ty),*) => {$(
            impl<'de> Deserialize<'de> for $ty {
                fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    deserialize(d)
                }
            }
        )*};
    }
    tag_first!(RelayToStudent, Control, StudentEvent, PaperBody);

    impl<'de> Deserialize<'de> for PaperQuestion {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            paper_question(d)
        }
    }
}

#[cfg(test)]
mod tests;
