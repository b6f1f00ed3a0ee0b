//! Grading at scale: one byte per response, graded by table look-up.
//!
//! Grading a million attempts with [`crate::scoring::credit`] per cell would
//! spend most of its time building [`AnswerValue`]s. Instead each question
//! gets a [`ByteGrader`]: a 256-entry table filled once by calling the real
//! rules ([`crate::results::cell`]) on every response a byte can encode, so
//! the fast path can never disagree with the exact one. Encodings:
//!
//! - single choice: the option id, or [`UNANSWERED`];
//! - true/false cluster (up to 4 statements): low nibble the values (bit i
//!   set = statement i marked true), high nibble which statements are
//!   decided; 0 = blank;
//! - multiple response (up to 8 options): the chosen options as bits;
//!   0 = blank;
//! - numeric: an index into a per-question dictionary of the distinct typed
//!   answers (an OMR grid or a class produces few), or [`UNANSWERED`].

use crate::analysis::UNANSWERED;
use crate::answer::AnswerValue;
use crate::exam::{Body, OptionId, Question};
use crate::results::cell;

/// A question's grading table over one-byte responses.
#[derive(Clone)]
pub struct ByteGrader {
    table: Box<[(u16, u8); 256]>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompactError {
    #[error("question {0}: more statements or options than a byte encodes")]
    TooWide(u32),
    #[error("question {0}: more than 255 distinct typed answers")]
    DictionaryTooLarge(u32),
}

/// The answer a byte stands for, or `None` for blank.
pub fn decode(q: &Question, byte: u8, dictionary: &[String]) -> Option<AnswerValue> {
    match &q.body {
        Body::SingleChoice { .. } => {
            (byte != UNANSWERED).then_some(AnswerValue::Choice(OptionId(byte)))
        }
        Body::TrueFalse { statements, .. } => {
            let decided = byte >> 4;
            (decided != 0).then(|| {
                AnswerValue::TrueFalse(
                    (0..statements.len())
                        .map(|i| (decided >> i & 1 == 1).then_some(byte >> i & 1 == 1))
                        .collect(),
                )
            })
        }
        Body::MultipleResponse { options, .. } => (byte != 0).then(|| {
            AnswerValue::Choices(
                (0..options.len())
                    .filter(|i| byte >> i & 1 == 1)
                    .map(|i| OptionId(i as u8))
                    .collect(),
            )
        }),
        Body::Numeric { .. } => dictionary
            .get(usize::from(byte))
            .filter(|_| byte != UNANSWERED)
            .map(|t| AnswerValue::Typed(t.clone())),
    }
}

impl ByteGrader {
    /// The table for `q`; `dictionary` holds the typed answers of a numeric
    /// question (ignored for other kinds).
    pub fn new(q: &Question, dictionary: &[String]) -> Result<ByteGrader, CompactError> {
        let too_wide = match &q.body {
            Body::TrueFalse { statements, .. } => statements.len() > 4,
            Body::MultipleResponse { options, .. } => options.len() > 8,
            _ => false,
        };
        if too_wide {
            return Err(CompactError::TooWide(q.id.0));
        }
        if dictionary.len() > 255 {
            return Err(CompactError::DictionaryTooLarge(q.id.0));
        }
        let mut table = Box::new([(0u16, UNANSWERED); 256]);
        for (byte, entry) in table.iter_mut().enumerate() {
            let answer = decode(q, byte as u8, dictionary).filter(|a| a.check(q).is_ok());
            *entry = cell(q, answer.as_ref());
        }
        Ok(ByteGrader { table })
    }

    /// The mark (milli-points) and chosen option of one response.
    #[inline]
    pub fn grade(&self, byte: u8) -> (u16, u8) {
        self.table[usize::from(byte)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::tests::mixed_exam;
    use crate::scoring::credit;

    #[test]
    fn the_table_agrees_with_the_exact_rules_for_every_byte() {
        let exam = mixed_exam();
        let dictionary = vec!["-1,5".to_string(), "1.5".into(), "abc".into()];
        for q in &exam.questions {
            let grader = ByteGrader::new(q, &dictionary).unwrap();
            for byte in 0..=255u8 {
                let answer = decode(q, byte, &dictionary).filter(|a| a.check(q).is_ok());
                let c = credit(q, answer.as_ref());
                let milli = u64::from(q.points.milli()) * u64::from(c.num);
                let expected = ((2 * milli + u64::from(c.den)) / (2 * u64::from(c.den))) as u16;
                assert_eq!(
                    grader.grade(byte).0,
                    expected,
                    "q{} byte {byte:#04x}",
                    q.id.0
                );
            }
        }
    }

    #[test]
    fn encodings() {
        let exam = mixed_exam();
        let tf = ByteGrader::new(&exam.questions[2], &[]).unwrap(); // keys T F T T
        assert_eq!(tf.grade(0xF0 | 0b1101).0, 1000); // all four right
        assert_eq!(tf.grade(0x30 | 0b0001).0, 250); // a) T, b) F decided: 2 right
        assert_eq!(tf.grade(0).0, 0);
        let num = ByteGrader::new(&exam.questions[3], &["-1,50".into(), "2".into()]).unwrap();
        assert_eq!(num.grade(0), (500, UNANSWERED));
        assert_eq!(num.grade(1).0, 0);
        assert_eq!(num.grade(UNANSWERED).0, 0);
        let single = ByteGrader::new(&exam.questions[0], &[]).unwrap();
        assert_eq!(single.grade(0), (250, 0));
        assert_eq!(
            single.grade(9),
            (0, UNANSWERED),
            "an impossible option is blank"
        );
    }
}
