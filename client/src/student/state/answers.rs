//! What a click or a keystroke makes of a question's answer.
//!
//! Every question kind takes the same path. An [`AnswerInput`] (a click on
//! an option, a true/false mark, …) is turned into the question's *whole*
//! new [`AnswerValue`] before it is queued, so each event stands alone: a
//! resend, a refusal or a reload never leaves half an answer behind.
//!
//! Typed numbers differ only in timing. What is in the box is a [`Draft`]
//! until Enter, leaving the box, moving to another question, or a pause in
//! typing ([`TYPING_PAUSE_MS`], driven by the clock tick) commits it; only
//! a number [`Decimal::parse`] accepts is sent, anything else keeps its
//! reason on screen and stays local.

use std::collections::BTreeSet;

use examgate_shared::Millis;
use examgate_shared::answer::AnswerValue;
use examgate_shared::attempt::StudentEvent;
use examgate_shared::exam::{OptionId, QuestionId};
use examgate_shared::numeric::{Decimal, NumericError};
use examgate_shared::paper::{PaperBody, PaperOption};

use super::ExamState;

/// A pause in typing this long sends a typed number: long enough not to
/// send every keystroke, short enough that a student who stops and looks
/// away has their answer saved.
pub const TYPING_PAUSE_MS: Millis = 800;

/// The text in a numeric answer box that is not (yet) the stored answer.
///
/// Kept in memory only: it becomes an answer, and so reload-proof, within
/// [`TYPING_PAUSE_MS`] of the last keystroke, and a number that does not
/// parse was never an answer to keep.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    pub text: String,
    /// When last edited, while a send is due; `None` once tried.
    pub edited_at: Option<Millis>,
    /// Why the text was not sent, from the last try. Cleared as soon as an
    /// edit makes the text acceptable.
    pub error: Option<NumericError>,
}

/// What the student did to one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerInput {
    /// Single choice: an option clicked; clicking the chosen one again
    /// clears the answer.
    Choose(OptionId),
    /// Multiple response: an option switched on or off.
    Toggle(OptionId),
    /// True/false cluster: statement `statement` (0-based) marked; the same
    /// mark again un-decides it.
    Decide { statement: usize, value: bool },
    /// Numeric: the box now holds `text` (local time `at`, for the pause).
    Type { text: String, at: Millis },
    /// Numeric: Enter, or focus left the box.
    Commit,
}

/// The answer `input` makes of `current` on a question shown as `body`:
/// `Some(None)` clears it, `None` means the input does not fit the question
/// (a stale click after the paper changed) and is ignored.
///
/// A choice must name an option this paper shows; options are named by
/// their canonical id whatever their place, so grading never depends on
/// the shuffle.
fn next_value(
    body: &PaperBody,
    current: Option<&AnswerValue>,
    input: AnswerInput,
) -> Option<Option<AnswerValue>> {
    let shown = |options: &[PaperOption], id: OptionId| options.iter().any(|o| o.id == id);
    let value = match (input, body) {
        (AnswerInput::Choose(id), PaperBody::SingleChoice { options }) if shown(options, id) => {
            let chosen = AnswerValue::Choice(id);
            (current != Some(&chosen)).then_some(chosen)
        }
        (AnswerInput::Toggle(id), PaperBody::MultipleResponse { options })
            if shown(options, id) =>
        {
            let mut chosen = match current {
                Some(AnswerValue::Choices(set)) => set.clone(),
                _ => BTreeSet::new(),
            };
            if !chosen.remove(&id) {
                chosen.insert(id);
            }
            Some(AnswerValue::Choices(chosen))
        }
        (AnswerInput::Decide { statement, value }, PaperBody::TrueFalse { statements })
            if statement < statements.len() =>
        {
            let mut marks = match current {
                Some(AnswerValue::TrueFalse(marks)) => marks.clone(),
                _ => Vec::new(),
            };
            // The relay wants exactly one entry per statement.
            marks.resize(statements.len(), None);
            marks[statement] = (marks[statement] != Some(value)).then_some(value);
            Some(AnswerValue::TrueFalse(marks))
        }
        _ => return None,
    };
    // Nothing chosen, nothing decided: that is no answer, so say "clear"
    // rather than store a blank the relay would drop anyway.
    Some(value.filter(|v| !v.is_blank()))
}

/// Why `text` cannot be sent as a number; `None` when it can, or when it is
/// empty (an empty box clears the answer).
fn typed_problem(text: &str) -> Option<NumericError> {
    if text.trim().is_empty() {
        None
    } else {
        Decimal::parse(text).err()
    }
}

impl ExamState {
    pub(super) fn answer(&mut self, question: QuestionId, input: AnswerInput) {
        if !self.can_answer() {
            return;
        }
        let Some(paper) = self.paper.clone() else {
            return;
        };
        let Some(q) = paper.question(question) else {
            return;
        };
        match input {
            AnswerInput::Type { text, at } => {
                if q.body == PaperBody::Numeric {
                    self.edit_draft(question, text, at);
                }
            }
            AnswerInput::Commit => self.commit(question),
            input => {
                if let Some(value) = next_value(&q.body, self.answers.get(&question), input) {
                    self.record(StudentEvent::Answer { question, value });
                }
            }
        }
    }

    fn edit_draft(&mut self, question: QuestionId, text: String, at: Millis) {
        let draft = self.drafts.get_or_default(question);
        // No reason is shown while typing (half a number is not wrong yet),
        // but one already shown goes as soon as the text is fixed.
        draft.error = draft.error.and_then(|_| typed_problem(&text));
        draft.text = text;
        draft.edited_at = Some(at);
    }

    /// Sends what `question`'s box holds if it is a number (or clears the
    /// answer if the box is empty); otherwise keeps it with its reason.
    fn commit(&mut self, question: QuestionId) {
        if !self.can_answer() {
            return;
        }
        let Some(draft) = self.drafts.get_mut(&question) else {
            return;
        };
        // Sent trimmed: surrounding spaces mean nothing, and a number that
        // parses is then always within the relay's length limit.
        let text = draft.text.trim();
        let value = if text.is_empty() {
            None
        } else if let Err(e) = Decimal::parse(text) {
            draft.error = Some(e);
            draft.edited_at = None;
            return;
        } else {
            Some(AnswerValue::Typed(text.to_owned()))
        };
        self.drafts.remove(&question);
        // Leaving the box without a change sends nothing.
        if self.answers.get(&question) != value.as_ref() {
            self.record(StudentEvent::Answer { question, value });
        }
    }

    /// Commits the drafts edited at a time `due` accepts.
    pub(super) fn flush_drafts(&mut self, due: impl Fn(Millis) -> bool) {
        let ready: Vec<QuestionId> = self
            .drafts
            .iter()
            .filter(|(_, d)| d.edited_at.is_some_and(&due))
            .map(|(q, _)| *q)
            .collect();
        for question in ready {
            self.commit(question);
        }
    }
}
