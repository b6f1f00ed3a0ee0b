//! The bank's HTTP bodies (`/api/bank/*`), shared by the relay and the
//! staff pages. Question text in these bodies carries its pictures as
//! `data:` URLs, exactly as a paper would show them.

use serde::{Deserialize, Serialize};

use super::blueprint::{Blueprint, Expected};
use super::item::{Item, Problem};
use crate::Millis;

/// Largest file an import accepts over HTTP.
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;

/// One imported question as it will be stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedQuestion {
    pub item: Item,
    /// The bank question with the same text and options, if any: it is not
    /// stored again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<u64>,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub format: String,
    pub dry_run: bool,
    pub questions: Vec<ImportedQuestion>,
    /// Refusals: when any exist, nothing is stored.
    pub problems: Vec<Problem>,
    pub notes: Vec<Problem>,
    /// Ids of the questions stored (empty in a dry run).
    pub stored: Vec<u64>,
}

/// A bank question in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemSummary {
    pub id: u64,
    pub version: u32,
    pub kind: String,
    pub text: String,
    pub subject: String,
    pub topic: String,
    pub level: Option<super::Level>,
    pub tags: Vec<String>,
    pub author: String,
    /// Mean facility over the sittings it was in.
    pub facility: Option<f64>,
    pub sittings: u32,
    pub shared: bool,
}

/// What one sitting taught the bank about a question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemStat {
    pub sitting_id: u64,
    pub exam_id: String,
    pub at: Millis,
    pub candidates: u32,
    pub facility: f64,
    pub discrimination: Option<f64>,
    pub flags: Vec<String>,
}

/// One kept version of a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemVersion {
    pub version: u32,
    pub by: String,
    pub at: Millis,
    pub note: String,
}

/// A bank question in full, for the editor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemView {
    pub id: u64,
    pub version: u32,
    pub item: Item,
    pub subject: String,
    pub shared: bool,
    pub versions: Vec<ItemVersion>,
    pub history: Vec<ItemStat>,
}

/// An edit: refused when `version` is no longer the newest (someone else
/// saved first), so no one overwrites a change unseen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemEdit {
    pub version: u32,
    pub item: Item,
    #[serde(default)]
    pub note: String,
}

/// Build a paper: from a blueprint, or from questions chosen by hand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaperRequest {
    pub blueprint: Blueprint,
    /// Chosen by hand, in order, into the first section (the blueprint's
    /// rows are then ignored; its title, minutes and points of the first
    /// row are used).
    #[serde(default)]
    pub items: Vec<u64>,
    /// `Some(n)`: n numbered versions ("mã đề") from 101; `None`: a
    /// per-candidate shuffle.
    #[serde(default)]
    pub versions: Option<u16>,
    /// Show keys and explanations to each candidate once their attempt is
    /// final (practice).
    #[serde(default)]
    pub show_answers: bool,
    /// Only choose and predict; store nothing.
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaperBuilt {
    /// The new paper's id (absent in a dry run).
    pub exam_id: Option<String>,
    /// Bank ids per section, in paper order.
    pub chosen: Vec<Vec<u64>>,
    pub expected: Expected,
}

/// Open a paper as a practice exam.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeRequest {
    pub exam_id: String,
    /// How long the join code stays open, in days from now.
    #[serde(default = "one_week")]
    pub days: u32,
    #[serde(default)]
    pub rules: PracticeRules,
}

/// How many times a student may sit a practice exam, and which try counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeRules {
    /// Tries per student; 0: as many as they like.
    pub attempts: u32,
    pub counted: Counted,
}

impl Default for PracticeRules {
    fn default() -> Self {
        PracticeRules {
            attempts: 1,
            counted: Counted::Best,
        }
    }
}

impl PracticeRules {
    /// Whether a student who has made `made` tries may start another.
    pub fn allows_another(self, made: u32) -> bool {
        self.attempts == 0 || made < self.attempts
    }
}

/// Which of a student's tries is their mark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Counted {
    #[default]
    Best,
    Last,
}

fn one_week() -> u32 {
    7
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeOpened {
    pub sitting_id: u64,
    pub code: String,
    pub closes_at: Millis,
}
