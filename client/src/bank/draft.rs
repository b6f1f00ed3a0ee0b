//! The blueprint form's fields as typed, and the request they make. Every
//! field is held here (a controlled form): a re-render after a prediction
//! must not reset what the teacher typed or ticked.

use examgate_shared::bank::Level;
use examgate_shared::bank::api::{Counted, PaperRequest, PracticeRules};
use examgate_shared::bank::blueprint::{Blueprint, BlueprintSection, Row};
use examgate_shared::points::Points;

/// A field of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title,
    Minutes,
    Target,
    Versions,
    /// Section, row.
    Topic(usize, usize),
    Count(usize, usize),
    Points(usize, usize),
    /// A kind name, or empty for any kind.
    Kind(usize, usize),
    /// A level's name (`Recall` …), or empty for any level.
    Level(usize, usize),
    /// Tries per student of the practice exam, as typed (0: unlimited).
    Tries,
    /// `best` or `last`.
    Counted,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PaperDraft {
    pub blueprint: Blueprint,
    /// Target facility in percent, as typed; empty: any.
    pub target: String,
    /// Numbered versions, as typed; 0 or empty: a shuffle per candidate.
    pub versions: String,
    pub show_answers: bool,
    /// The practice exam's rules, once the paper is built.
    pub rules: PracticeRules,
}

impl Default for PaperDraft {
    fn default() -> Self {
        PaperDraft::from(simple(2))
    }
}

impl From<Blueprint> for PaperDraft {
    fn from(blueprint: Blueprint) -> Self {
        PaperDraft {
            blueprint,
            target: String::new(),
            versions: "0".into(),
            show_answers: false,
            rules: PracticeRules::default(),
        }
    }
}

/// A one-part paper: `count` single-choice questions of one point.
pub fn simple(count: u32) -> Blueprint {
    Blueprint {
        title: "Kiểm tra".into(),
        subject: String::new(),
        minutes: 15,
        sections: vec![BlueprintSection {
            title: "Phần I".into(),
            rows: vec![Row {
                kind: Some("single_choice".into()),
                topic: String::new(),
                level: None,
                count,
                points: Points::from_milli(1000),
            }],
            shuffle_questions: true,
            shuffle_options: true,
        }],
        target_facility: None,
        seed: 0,
    }
}

/// Row `r` of section `s`.
fn row(bp: &mut Blueprint, s: usize, r: usize) -> Option<&mut Row> {
    bp.sections.get_mut(s).and_then(|x| x.rows.get_mut(r))
}

impl PaperDraft {
    /// Takes what was typed into `field`; a number that does not parse
    /// keeps the last good one.
    pub fn set(&mut self, field: Field, value: String) {
        let bp = &mut self.blueprint;
        match field {
            Field::Title => bp.title = value,
            Field::Minutes => bp.minutes = value.trim().parse().unwrap_or(bp.minutes),
            Field::Target => self.target = value,
            Field::Tries => {
                self.rules.attempts = value.trim().parse().unwrap_or(self.rules.attempts)
            }
            Field::Counted => {
                self.rules.counted = if value == "last" {
                    Counted::Last
                } else {
                    Counted::Best
                }
            }
            Field::Versions => self.versions = value,
            Field::Topic(s, r) => {
                if let Some(row) = row(bp, s, r) {
                    row.topic = value;
                }
            }
            Field::Count(s, r) => {
                if let Some(row) = row(bp, s, r) {
                    row.count = value.trim().parse().unwrap_or(row.count);
                }
            }
            Field::Kind(s, r) => {
                if let Some(row) = row(bp, s, r) {
                    row.kind = Some(value).filter(|k| !k.is_empty());
                }
            }
            Field::Level(s, r) => {
                if let Some(row) = row(bp, s, r) {
                    row.level = Level::parse(&value);
                }
            }
            Field::Points(s, r) => {
                // "0,25" as teachers write it, or "0.25".
                if let (Some(row), Ok(v)) =
                    (row(bp, s, r), value.trim().replace(',', ".").parse::<f64>())
                {
                    row.points = Points::from_milli((v * 1000.0).round().max(0.0) as u32);
                }
            }
        }
    }

    /// Adds a row to section `s`, like its last row (a new topic or level
    /// of the same kind is the usual next line of a matrix).
    pub fn add_row(&mut self, s: usize) {
        if let Some(section) = self.blueprint.sections.get_mut(s) {
            let next = section.rows.last().cloned().unwrap_or(Row {
                kind: None,
                topic: String::new(),
                level: None,
                count: 1,
                points: Points::from_milli(1000),
            });
            section.rows.push(next);
        }
    }

    /// Removes row `r` of section `s`; a section keeps at least one row.
    pub fn remove_row(&mut self, s: usize, r: usize) {
        if let Some(section) = self.blueprint.sections.get_mut(s)
            && section.rows.len() > 1
            && r < section.rows.len()
        {
            section.rows.remove(r);
        }
    }

    pub fn request(&self, dry_run: bool) -> PaperRequest {
        let mut blueprint = self.blueprint.clone();
        blueprint.target_facility = self
            .target
            .trim()
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .map(|p| (p / 100.0).clamp(0.0, 1.0));
        PaperRequest {
            blueprint,
            items: Vec::new(),
            versions: self.versions.trim().parse().ok().filter(|&n: &u16| n > 0),
            show_answers: self.show_answers,
            dry_run,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_fields_make_the_request() {
        let mut d = PaperDraft::default();
        d.set(Field::Count(0, 0), "3".into());
        d.set(Field::Count(0, 0), "ba".into());
        d.set(Field::Points(0, 0), "0,25".into());
        d.set(Field::Target, "70".into());
        d.set(Field::Versions, "4".into());
        d.set(Field::Title, "Kiểm tra 15 phút".into());
        d.show_answers = true;
        let r = d.request(true);
        let row = &r.blueprint.sections[0].rows[0];
        assert_eq!((row.count, row.points), (3, Points::from_milli(250)));
        assert_eq!(r.blueprint.target_facility, Some(0.7));
        assert_eq!(r.versions, Some(4));
        assert_eq!(r.blueprint.title, "Kiểm tra 15 phút");
        assert!(r.show_answers && r.dry_run);
        d.set(Field::Tries, "3".into());
        d.set(Field::Counted, "last".into());
        assert_eq!(
            d.rules,
            PracticeRules {
                attempts: 3,
                counted: Counted::Last
            }
        );
        d.add_row(0);
        d.set(Field::Level(0, 1), "VanDungCao".into());
        d.set(Field::Kind(0, 1), "numeric".into());
        d.set(Field::Topic(0, 1), "Hình học".into());
        let rows = &d.request(true).blueprint.sections[0].rows;
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (
                rows[1].level,
                rows[1].kind.as_deref(),
                rows[1].topic.as_str(),
                rows[1].count
            ),
            (
                Some(Level::AdvancedApplication),
                Some("numeric"),
                "Hình học",
                3
            )
        );
        d.remove_row(0, 0);
        d.remove_row(0, 0);
        assert_eq!(
            d.request(true).blueprint.sections[0].rows.len(),
            1,
            "one row stays"
        );
        d.set(Field::Versions, "0".into());
        d.set(Field::Target, String::new());
        let r = d.request(false);
        assert_eq!((r.versions, r.blueprint.target_facility), (None, None));
    }
}
