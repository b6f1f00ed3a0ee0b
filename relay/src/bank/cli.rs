//! `examgate-relay bank …`: the question bank from the command line, for
//! bulk work — check files (every question or every problem, as the page's
//! preview shows them), convert between formats, and import into a relay's
//! data folder (each file all or nothing, duplicates skipped, audited as the
//! page's imports are). SQLite lets this run beside a serving relay: the
//! bank is read from the database on every request, never cached.

use std::path::{Path, PathBuf};

use crate::args;

use examgate_bank_formats::{Format, Imported};
use examgate_shared::bank::Level;

use super::access::Author;
use super::import::{Filing, store_new};
use crate::clock::now_ms;

pub type CliResult<T> = Result<T, Box<dyn std::error::Error>>;

/// Reads `path` in its format (named, or detected from name and bytes).
pub fn read(
    path: &Path,
    format: Option<Format>,
) -> CliResult<(
    Format,
    Result<Imported, Vec<examgate_shared::bank::Problem>>,
)> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let format = format
        .or_else(|| Format::detect(&name, &bytes))
        .ok_or_else(|| {
            format!(
                "{}: format not recognised; name it with --format",
                path.display()
            )
        })?;
    Ok((format, examgate_bank_formats::import(format, &bytes)))
}

/// Prints each file's questions or problems; `Ok(false)` when any file has
/// problems.
pub fn check(paths: &[PathBuf], format: Option<Format>) -> CliResult<bool> {
    let mut clean = true;
    for path in paths {
        let (format, outcome) = read(path, format)?;
        match outcome {
            Ok(imported) => {
                println!(
                    "{}: {} — {} question(s)",
                    path.display(),
                    format.name(),
                    imported.items.len()
                );
                for (i, item) in imported.items.iter().enumerate() {
                    let marking = item
                        .marking
                        .map(|m| format!(", key by {m:?}"))
                        .unwrap_or_default();
                    let at = item
                        .source
                        .as_ref()
                        .map(|p| format!("{p}: "))
                        .unwrap_or_default();
                    println!(
                        "  {}. {at}{}{marking}: {}",
                        i + 1,
                        item.body.kind_name(),
                        one_line(&item.text)
                    );
                }
                for note in &imported.notes {
                    println!("  note: {note}");
                }
            }
            Err(problems) => {
                clean = false;
                println!(
                    "{}: {} — refused, {} problem(s):",
                    path.display(),
                    format.name(),
                    problems.len()
                );
                for p in &problems {
                    println!("  {p}");
                }
            }
        }
    }
    Ok(clean)
}

/// Converts `input` to `to`, written to `out`.
pub fn convert(input: &Path, from: Option<Format>, to: Format, out: &Path) -> CliResult<()> {
    let (_, outcome) = read(input, from)?;
    let imported = outcome.map_err(|problems| problem_list(input, &problems))?;
    let bytes = examgate_bank_formats::export(to, &imported.items)
        .map_err(|problems| problem_list(input, &problems))?;
    std::fs::write(out, bytes).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!(
        "{} → {}: {} question(s) as {}",
        input.display(),
        out.display(),
        imported.items.len(),
        to.name()
    );
    Ok(())
}

/// What `bank import` files the questions under.
pub struct ImportArgs<'a> {
    pub data: &'a Path,
    pub user: &'a str,
    pub subject: &'a str,
    pub topic: &'a str,
    pub level: Option<&'a str>,
}

/// Imports each file into the data folder's bank, one transaction per file.
/// Returns how many questions were stored.
pub fn import(
    paths: &[PathBuf],
    format: Option<Format>,
    args: &ImportArgs<'_>,
) -> CliResult<usize> {
    let db = args.data.join(crate::store::DB_FILE);
    if !db.exists() {
        return Err(format!("no database at {}", db.display()).into());
    }
    let level = match args.level {
        Some(l) => Some(Level::parse(l).ok_or_else(|| format!("unknown level {l:?}"))?),
        None => None,
    };
    let mut conn = crate::store::open(&db)?;
    let account: Option<(String, Option<u64>, String, bool)> = crate::store::db::Db::sqlite(&conn)
        .query_row(
            "SELECT role, site_id, subject, disabled FROM users WHERE username = ?1",
            args![args.user],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .ok();
    // The same rule as the page's: a teacher, or the whole exam's office.
    let author = match account {
        Some((role, site, subject, false))
            if role == "teacher" || (role == "exam_office" && site.is_none()) =>
        {
            Author {
                username: args.user.to_string(),
                office: role == "exam_office",
                subject,
            }
        }
        _ => {
            return Err(format!(
                "{:?} is not an enabled teacher or exam-office account; questions are owned by one",
                args.user
            )
            .into());
        }
    };
    let filing = Filing {
        subject: args.subject.to_string(),
        topic: args.topic.to_string(),
        grade: None,
        level,
        author: args.user.to_string(),
    };
    let mut stored = 0;
    for path in paths {
        let (format, outcome) = read(path, format)?;
        let mut items = outcome
            .map_err(|problems| problem_list(path, &problems))?
            .items;
        filing.apply(&mut items);
        author.own_subject(&mut items);
        // One file, one transaction: a Word bank of 2,000 questions commits
        // in about a second, inside the serving relay's 5-second wait.
        let txn = conn.transaction()?;
        let label = format!(
            "{} file {:?} (command line)",
            format.name(),
            path.display().to_string()
        );
        let ids = store_new(
            crate::store::db::Db::sqlite(&txn),
            &items,
            &author,
            now_ms(),
            &label,
        )?;
        txn.commit()?;
        println!(
            "{}: {} question(s) stored, {} already in the bank",
            path.display(),
            ids.len(),
            items.len() - ids.len()
        );
        stored += ids.len();
    }
    Ok(stored)
}

fn problem_list(
    path: &Path,
    problems: &[examgate_shared::bank::Problem],
) -> Box<dyn std::error::Error> {
    let lines: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
    format!(
        "{}: refused, nothing done:\n{}",
        path.display(),
        lines.join("\n")
    )
    .into()
}

fn one_line(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 80 {
        format!("{}…", flat.chars().take(79).collect::<String>())
    } else {
        flat
    }
}
