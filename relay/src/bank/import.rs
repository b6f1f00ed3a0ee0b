//! An import: the file is read by `examgate_bank_formats` off the async
//! threads, every question is checked against the bank for duplicates, and
//! then either previewed (a dry run) or stored in one transaction — all of
//! the file's new questions or, when anything was refused, none.

use examgate_bank_formats::Format;
use examgate_shared::bank::api::{ImportReport, ImportedQuestion};
use examgate_shared::bank::fold::duplicate_key;
use examgate_shared::bank::images::inline_item;
use examgate_shared::bank::{Item, Level, Position, Problem};
use examgate_shared::error::{ErrorBody, ErrorCode};
use serde::Deserialize;

use super::access::Author;
use super::rows;
use crate::AppState;
use crate::attempts::internal;
use crate::auth::Session;
use crate::clock::now_ms;
use crate::store::writes;

/// What the teacher says about the file (query parameters).
#[derive(Debug, Default, Deserialize)]
pub struct ImportOptions {
    /// A format name (`docx`, `gift`, …); detected from the file when absent.
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub file_name: String,
    #[serde(default)]
    pub dry_run: bool,
    /// Filed on every question that does not say otherwise.
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub grade: Option<u8>,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub level: Option<String>,
}

impl AppState {
    pub async fn bank_import(
        &self,
        staff: &Session,
        options: ImportOptions,
        bytes: Vec<u8>,
    ) -> Result<ImportReport, ErrorBody> {
        let author = self.bank_author(staff)?;
        let format = match options.format.as_deref().filter(|f| !f.is_empty()) {
            Some(name) => Format::parse(name).ok_or_else(|| {
                ErrorBody::new(
                    ErrorCode::Invalid,
                    format!("format: unknown format {name:?}"),
                )
            })?,
            None => Format::detect(&options.file_name, &bytes).ok_or_else(|| {
                ErrorBody::new(
                    ErrorCode::Invalid,
                    "format: not recognised; name it (docx, gift, aiken, moodle_xml, qti)",
                )
            })?,
        };
        let level = match options.level.as_deref().filter(|l| !l.is_empty()) {
            Some(l) => Some(Level::parse(l).ok_or_else(|| {
                ErrorBody::new(ErrorCode::Invalid, format!("level: unknown level {l:?}"))
            })?),
            None => None,
        };
        // A Word bank of thousands of questions takes seconds to read: not
        // on the threads that acknowledge answers.
        let parsed =
            tokio::task::spawn_blocking(move || examgate_bank_formats::import(format, &bytes))
                .await
                .map_err(|_| ErrorBody::new(ErrorCode::Internal, "the importer stopped"))?;
        let mut report = ImportReport {
            format: format.name().to_string(),
            dry_run: options.dry_run,
            questions: Vec::new(),
            problems: Vec::new(),
            notes: Vec::new(),
            stored: Vec::new(),
        };
        let imported = match parsed {
            Ok(imported) => imported,
            Err(problems) => {
                report.problems = problems;
                return Ok(report);
            }
        };
        report.notes = imported.notes;
        let subject = if options.subject.trim().is_empty() {
            author.subject.clone()
        } else {
            options.subject.clone()
        };
        let mut items: Vec<Item> = imported.items;
        let filing = Filing {
            subject,
            topic: options.topic.clone(),
            grade: options.grade,
            level,
            author: author.username.clone(),
        };
        filing.apply(&mut items);
        author.own_subject(&mut items);
        // Duplicates: of a question already in the bank, or of an earlier
        // question of the same file.
        let keys: Vec<Item> = items.clone();
        let reader = author.clone();
        let existing = self
            .store
            .read(move |conn| {
                keys.iter()
                    .map(|item| rows::duplicate_of(conn, item, &|r| reader.may_read(r)))
                    .collect::<Result<Vec<_>, crate::store::db::DbError>>()
            })
            .await
            .map_err(internal)?;
        let mut seen = std::collections::HashMap::new();
        for (i, (item, dup)) in items.iter().zip(existing).enumerate() {
            let key = duplicate_key(&item.text, &item.body);
            if let Some(first) = seen.get(&key) {
                report.notes.push(Problem::new(
                    item.source.clone().unwrap_or(Position::File),
                    format!(
                        "the same question as question {} of this file: imported once",
                        first + 1
                    ),
                ));
            } else {
                seen.insert(key, i);
            }
            if let Some(id) = dup {
                report.notes.push(Problem::new(
                    item.source.clone().unwrap_or(Position::File),
                    format!("already in the bank as question {id}: not stored again"),
                ));
            }
            let mut shown = item.clone();
            inline_item(&mut shown);
            report.questions.push(ImportedQuestion {
                item: shown,
                duplicate_of: dup,
            });
        }
        if options.dry_run {
            return Ok(report);
        }
        let now = now_ms();
        let label = format!("{} file {:?}", format.name(), options.file_name);
        report.stored = self
            .store
            .write(move |txn| store_new(txn, &items, &author, now, &label))
            .await
            .map_err(internal)?;
        Ok(report)
    }
}

/// What a teacher files an import's questions under, where the file does
/// not say.
pub struct Filing {
    pub subject: String,
    pub topic: String,
    pub grade: Option<u8>,
    pub level: Option<Level>,
    /// Who imported them (the author when the file names none).
    pub author: String,
}

impl Filing {
    pub fn apply(&self, items: &mut [Item]) {
        let nfc = examgate_shared::office::names::nfc;
        for item in items {
            let meta = &mut item.meta;
            if meta.subject.is_empty() {
                meta.subject = nfc(&self.subject);
            }
            if meta.topic.is_empty() {
                meta.topic = nfc(&self.topic);
            }
            meta.grade = meta.grade.or(self.grade);
            meta.level = meta.level.or(self.level);
            if meta.author.is_empty() {
                meta.author = self.author.clone();
            }
        }
    }
}

/// Stores the questions of one file that the bank does not have yet, in the
/// caller's transaction, with one audit line. Duplicates are decided here,
/// inside the transaction, so two imports of one file at once cannot both
/// store it.
pub fn store_new(
    txn: crate::store::db::Db<'_>,
    items: &[Item],
    author: &Author,
    now: i64,
    label: &str,
) -> Result<Vec<u64>, crate::store::db::DbError> {
    let mut seen = std::collections::HashSet::new();
    let mut ids = Vec::new();
    for item in items {
        if !seen.insert(duplicate_key(&item.text, &item.body))
            || rows::duplicate_of(txn, item, &|r| author.may_read(r))?.is_some()
        {
            continue;
        }
        ids.push(rows::insert(
            txn,
            item,
            &item.meta.subject,
            &author.username,
            now,
            "imported",
        )?);
    }
    let detail = format!(
        "{label}: {} question(s) stored, {} duplicate(s) skipped",
        ids.len(),
        items.len() - ids.len()
    );
    writes::audit(txn, now, &author.actor(), "bank_import", &detail)?;
    Ok(ids)
}
