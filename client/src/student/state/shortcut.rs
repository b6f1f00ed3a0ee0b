//! Keyboard shortcuts as the exam's reducer sees them: which key stands for
//! what (`from_key`), and what an option's place on screen means for the
//! question shown (`option_input`). The listener that feeds them is
//! `student/keys.rs`; the table of keys is there.

use examgate_shared::paper::{PaperBody, PaperQuestion};

use super::AnswerInput;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortcut {
    /// The option at this place on screen (0 = the first shown, "A").
    Option(usize),
    Next,
    Prev,
    Flag,
}

impl Shortcut {
    /// The shortcut a `KeyboardEvent.key` stands for.
    pub fn from_key(key: &str) -> Option<Shortcut> {
        match key {
            "ArrowRight" | "PageDown" | "n" | "N" => Some(Shortcut::Next),
            "ArrowLeft" | "PageUp" | "p" | "P" => Some(Shortcut::Prev),
            "m" | "M" => Some(Shortcut::Flag),
            _ => {
                let mut chars = key.chars();
                let (Some(c), None) = (chars.next(), chars.next()) else {
                    return None;
                };
                let position = match c.to_ascii_uppercase() {
                    'A'..='H' => c.to_ascii_uppercase() as usize - 'A' as usize,
                    '1'..='8' => c as usize - '1' as usize,
                    _ => return None,
                };
                Some(Shortcut::Option(position))
            }
        }
    }
}

/// What the option at `position` on screen means for `question`: choose it
/// (single choice) or tick it (several answers); nothing for other kinds or
/// a place past the last option.
pub fn option_input(question: &PaperQuestion, position: usize) -> Option<AnswerInput> {
    match &question.body {
        PaperBody::SingleChoice { options } => {
            options.get(position).map(|o| AnswerInput::Choose(o.id))
        }
        PaperBody::MultipleResponse { options } => {
            options.get(position).map(|o| AnswerInput::Toggle(o.id))
        }
        PaperBody::TrueFalse { .. } | PaperBody::Numeric => None,
    }
}

#[cfg(test)]
mod tests {
    use examgate_shared::exam::{OptionId, QuestionId};
    use examgate_shared::paper::PaperOption;
    use examgate_shared::points::Points;

    use super::*;

    #[test]
    fn letters_and_digits_name_places_on_screen() {
        assert_eq!(Shortcut::from_key("a"), Some(Shortcut::Option(0)));
        assert_eq!(Shortcut::from_key("D"), Some(Shortcut::Option(3)));
        assert_eq!(Shortcut::from_key("H"), Some(Shortcut::Option(7)));
        assert_eq!(Shortcut::from_key("1"), Some(Shortcut::Option(0)));
        assert_eq!(Shortcut::from_key("8"), Some(Shortcut::Option(7)));
        for key in ["I", "9", "0", "Enter", " ", "Tab", "Escape", "ab", "đ", ""] {
            assert_eq!(Shortcut::from_key(key), None, "{key:?}");
        }
        assert_eq!(Shortcut::from_key("ArrowRight"), Some(Shortcut::Next));
        assert_eq!(Shortcut::from_key("n"), Some(Shortcut::Next));
        assert_eq!(Shortcut::from_key("PageUp"), Some(Shortcut::Prev));
        assert_eq!(Shortcut::from_key("M"), Some(Shortcut::Flag));
    }

    #[test]
    fn a_place_is_the_option_shown_there_not_its_canonical_id() {
        // A shuffled paper: the first option shown is canonical option 2.
        let options = [2, 0, 1]
            .map(|id| PaperOption {
                id: OptionId(id),
                text: String::new(),
            })
            .to_vec();
        let single = PaperQuestion {
            id: QuestionId(1),
            text: String::new(),
            points: Points::from_milli(250),
            body: PaperBody::SingleChoice {
                options: options.clone(),
            },
        };
        assert_eq!(
            option_input(&single, 0),
            Some(AnswerInput::Choose(OptionId(2)))
        );
        assert_eq!(option_input(&single, 3), None);
        let multi = PaperQuestion {
            body: PaperBody::MultipleResponse { options },
            ..single.clone()
        };
        assert_eq!(
            option_input(&multi, 1),
            Some(AnswerInput::Toggle(OptionId(0)))
        );
        let numeric = PaperQuestion {
            body: PaperBody::Numeric,
            ..single
        };
        assert_eq!(option_input(&numeric, 0), None);
    }
}
