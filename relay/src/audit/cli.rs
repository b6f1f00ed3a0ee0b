//! `examgate-relay audit verify --data DIR | --file F.jsonl` and `audit
//! export --data DIR --out F.jsonl`: what they print. A broken chain comes
//! back as an error, which `main` prints and exits non-zero with.

use std::error::Error;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use examgate_shared::audit_chain::{Verified, to_hex};
use rusqlite::{Connection, OpenFlags};

use crate::store::db::Db;

use super::export::{export, verify_file};
use super::verify::verify_database;

/// The database file in a data folder.
fn database(data: &Path) -> Result<PathBuf, Box<dyn Error>> {
    let db = data.join(crate::store::DB_FILE);
    if !db.exists() {
        return Err(format!("no database at {}", db.display()).into());
    }
    Ok(db)
}

/// Read-only, so verifying never changes what it verifies (not even a
/// schema upgrade); one transaction, so a relay still running cannot move
/// the chain under the check.
fn read_only(data: &Path) -> Result<Connection, Box<dyn Error>> {
    let conn = Connection::open_with_flags(database(data)?, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

fn head_text(v: &Verified) -> String {
    if v.count == 0 {
        "no entries yet".to_owned()
    } else {
        format!("head: entry {} {}", v.count, to_hex(&v.head))
    }
}

pub fn verify_data(data: &Path) -> Result<(), Box<dyn Error>> {
    let conn = read_only(data)?;
    let txn = conn.unchecked_transaction()?;
    let report = verify_database(Db::sqlite(&txn))?;
    txn.finish()?;
    println!(
        "verified: {} audit entries, {}",
        report.audit.count,
        head_text(&report.audit)
    );
    println!(
        "          {} attempt(s), {} answer event(s), {} ended attempt(s) matching their attempt_final entry",
        report.attempts, report.events, report.committed
    );
    Ok(())
}

pub fn verify_exported(file: &Path) -> Result<(), Box<dyn Error>> {
    let input =
        std::fs::File::open(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let verified = verify_file(BufReader::new(input))?;
    println!(
        "{}: verified: {} audit entries, {}",
        file.display(),
        verified.count,
        head_text(&verified)
    );
    Ok(())
}

pub fn export_to(data: &Path, out: &Path) -> Result<(), Box<dyn Error>> {
    let conn = read_only(data)?;
    let txn = conn.unchecked_transaction()?;
    let file =
        std::fs::File::create(out).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    let mut writer = BufWriter::new(file);
    let count = export(Db::sqlite(&txn), &mut writer)?;
    writer.flush()?;
    let head = super::read_head(Db::sqlite(&txn))?;
    txn.finish()?;
    println!(
        "wrote {count} audit entries to {} (last: entry {} {})",
        out.display(),
        head.id,
        head.hash
    );
    Ok(())
}
