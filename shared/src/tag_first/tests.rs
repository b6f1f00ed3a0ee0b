//! The tag-first reader against serde's derive: what the relay writes, both
//! read the same; what only the derive tolerates is refused with a clear
//! error.

use std::collections::BTreeMap;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::*;
use crate::exam::OptionId;
use crate::exam::tests::mixed_exam;
use crate::paper::Arrangement;
use crate::protocol::encode;

/// Reads `json` with the tag-first reader.
fn tag_first<T: TagFirst>(json: &str) -> Result<T, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(json);
    let value = deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// Written by the relay's serializer, read by the tag-first reader and by
/// the derive: the same value both ways.
fn both_read_back<T>(value: &T)
where
    T: TagFirst + Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let json = encode(value);
    assert_eq!(&tag_first::<T>(&json).unwrap(), value, "{json}");
    assert_eq!(&serde_json::from_str::<T>(&json).unwrap(), value, "{json}");
}

fn welcome() -> RelayToStudent {
    let exam = mixed_exam();
    let paper = exam.paper(Arrangement::numbered(&exam, 2));
    RelayToStudent::Welcome {
        echo: 5,
        relay_time: 1_000,
        attempt: AttemptView {
            attempt_id: 9,
            candidate_name: "Nguyễn Văn An".into(),
            status: AttemptStatus::Working,
            deadline_ms: 61_000,
            acked_seq: 2,
            answers: vec![(QuestionId(1), AnswerValue::Choice(OptionId(2)))],
            paused: false,
            remaining_ms: Some(60_000),
            extra_ms: 0,
            fullscreen: true,
            messages: vec![StudentMessage {
                id: 1,
                at: 900,
                text: "Còn 15 phút".into(),
                to_room: true,
            }],
            refused: vec![],
        },
        paper: Some(paper),
    }
}

fn grade() -> Grade {
    let exam = mixed_exam();
    let answers = BTreeMap::from([
        (QuestionId(1), AnswerValue::Choice(OptionId(0))),
        (
            QuestionId(3),
            AnswerValue::TrueFalse(vec![Some(true), None, Some(true), Some(false)]),
        ),
        (QuestionId(4), AnswerValue::Typed("-1,5".into())),
    ]);
    crate::scoring::grade(&exam, &answers)
}

fn clock() -> AttemptClock {
    AttemptClock {
        status: AttemptStatus::Working,
        deadline_ms: Some(70_000),
        paused: false,
        remaining_ms: Some(10_000),
        extra_ms: 600_000,
    }
}

/// The wire name of each variant, by a match without a wildcard: a new
/// variant does not compile here until it is named, and the tests below
/// then require the tag-first reader to know that name.
fn relay_message_name(message: &RelayToStudent) -> &'static str {
    match message {
        RelayToStudent::Welcome { .. } => "welcome",
        RelayToStudent::Ack { .. } => "ack",
        RelayToStudent::Refused { .. } => "refused",
        RelayToStudent::Pong { .. } => "pong",
        RelayToStudent::Result { .. } => "result",
        RelayToStudent::Control { .. } => "control",
        RelayToStudent::Message { .. } => "message",
        RelayToStudent::Error { .. } => "error",
    }
}

fn event_name(event: &StudentEvent) -> &'static str {
    match event {
        StudentEvent::Answer { .. } => "answer",
        StudentEvent::Submit => "submit",
    }
}

/// Every name the samples cover is the derive's tag and in `VARIANTS`, and
/// `VARIANTS` names nothing else.
fn names_agree<T: TagFirst + Serialize>(samples: &[T], name: fn(&T) -> &'static str) {
    let mut covered: Vec<&str> = samples.iter().map(name).collect();
    for sample in samples {
        let json: serde_json::Value = serde_json::to_value(sample).unwrap();
        assert_eq!(json[T::TAG], name(sample), "the derive's tag");
    }
    covered.sort_unstable();
    covered.dedup();
    let mut listed = T::VARIANTS.to_vec();
    listed.sort_unstable();
    assert_eq!(covered, listed, "the samples cover exactly VARIANTS");
}

#[test]
fn every_relay_message_reads_the_same_both_ways() {
    let messages = [
        welcome(),
        RelayToStudent::Ack { seq: 3 },
        RelayToStudent::Refused {
            seq: 4,
            error: ErrorBody::new(ErrorCode::UnknownOption, "no option 9"),
        },
        RelayToStudent::Pong {
            echo: 1,
            relay_time: 2,
        },
        RelayToStudent::Result {
            status: AttemptStatus::Submitted,
            grade: grade(),
        },
        RelayToStudent::Control {
            control: Control::ExtraTime { minutes: 10 },
            clock: clock(),
        },
        RelayToStudent::Message {
            message: StudentMessage {
                id: 2,
                at: 3,
                text: "Giữ trật tự".into(),
                to_room: false,
            },
        },
        RelayToStudent::Error {
            error: ErrorBody::new(ErrorCode::OutOfOrder, "expected 5"),
            expected: Some(5),
        },
        RelayToStudent::Error {
            error: ErrorBody::new(ErrorCode::Replaced, "another connection"),
            expected: None,
        },
    ];
    for message in &messages {
        both_read_back(message);
    }
    names_agree(&messages, relay_message_name);
}

#[test]
fn every_control_and_event_reads_the_same_both_ways() {
    let controls = [
        Control::ExtraTime { minutes: 5 },
        Control::Pause,
        Control::Resume,
        Control::End,
        Control::Reopen { minutes: 20 },
        Control::DeadlineClose,
    ];
    // `Control::name` and `PaperBody::kind_name` are such matches already.
    names_agree(&controls, Control::name);
    controls.iter().for_each(both_read_back);
    let events = [
        StudentEvent::Answer {
            question: QuestionId(3),
            value: Some(AnswerValue::TrueFalse(vec![Some(true), None])),
        },
        StudentEvent::Answer {
            question: QuestionId(3),
            value: None,
        },
        StudentEvent::Submit,
    ];
    events.iter().for_each(both_read_back);
    names_agree(&events, event_name);
    // A cleared answer may leave `value` out.
    assert_eq!(
        tag_first::<StudentEvent>(r#"{"kind":"answer","question":3}"#).unwrap(),
        events[1]
    );
}

#[test]
fn paper_questions_of_every_kind_read_the_same_both_ways() {
    let RelayToStudent::Welcome {
        paper: Some(paper), ..
    } = welcome()
    else {
        unreachable!()
    };
    let bodies: Vec<PaperBody> = paper.questions.iter().map(|q| q.body.clone()).collect();
    names_agree(&bodies, PaperBody::kind_name);
    for question in &paper.questions {
        let json = encode(question);
        let mut de = serde_json::Deserializer::from_str(&json);
        assert_eq!(&paper_question(&mut de).unwrap(), question, "{json}");
        assert_eq!(
            &serde_json::from_str::<PaperQuestion>(&json).unwrap(),
            question
        );
    }
}

#[test]
fn a_tag_that_is_not_first_is_refused_by_name() {
    let err = tag_first::<RelayToStudent>(r#"{"seq":3,"type":"ack"}"#).unwrap_err();
    assert!(
        err.to_string()
            .contains("`type` must be the first field of a relay message, not `seq`"),
        "{err}"
    );
    // The derive (the relay's reader) takes it anywhere.
    assert_eq!(
        serde_json::from_str::<RelayToStudent>(r#"{"seq":3,"type":"ack"}"#).unwrap(),
        RelayToStudent::Ack { seq: 3 }
    );
}

#[test]
fn unknown_variants_missing_fields_and_wrong_shapes_are_errors() {
    let err = tag_first::<RelayToStudent>(r#"{"type":"hug"}"#).unwrap_err();
    assert!(err.to_string().contains("unknown variant `hug`"), "{err}");
    let err = tag_first::<RelayToStudent>(r#"{"type":"ack"}"#).unwrap_err();
    assert!(err.to_string().contains("missing field `seq`"), "{err}");
    let err = tag_first::<Control>(r#"{"kind":"extra_time","minutes":"ten"}"#).unwrap_err();
    assert!(err.to_string().contains("invalid type"), "{err}");
    assert!(tag_first::<Control>(r#"{}"#).is_err());
    assert!(tag_first::<Control>(r#"["pause"]"#).is_err());
    let mut de = serde_json::Deserializer::from_str(r#"{"id":1,"text":"x","points":250}"#);
    let err = paper_question(&mut de).unwrap_err();
    assert!(err.to_string().contains("missing field `type`"), "{err}");
    let mut de = serde_json::Deserializer::from_str(r#"{"id":1,"points":250,"type":"numeric"}"#);
    let err = paper_question(&mut de).unwrap_err();
    assert!(err.to_string().contains("missing field `text`"), "{err}");
}

#[test]
fn unknown_fields_are_skipped_as_the_derive_skips_them() {
    assert_eq!(
        tag_first::<RelayToStudent>(r#"{"type":"ack","seq":3,"later":{"a":[1]}}"#).unwrap(),
        RelayToStudent::Ack { seq: 3 }
    );
    assert_eq!(
        tag_first::<Control>(r#"{"kind":"pause","by":"phong01"}"#).unwrap(),
        Control::Pause
    );
    let json = r#"{"id":1,"hint":null,"text":"x","points":250,"type":"numeric","later":1}"#;
    let mut de = serde_json::Deserializer::from_str(json);
    assert_eq!(
        paper_question(&mut de).unwrap(),
        PaperQuestion {
            id: QuestionId(1),
            text: "x".into(),
            points: Points::from_milli(250),
            body: PaperBody::Numeric,
        }
    );
}
