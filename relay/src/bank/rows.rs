//! The bank tables' SQL. Question JSON is stored with its pictures as
//! references (`image:NAME`) and the pictures once each in `bank_media`.

use examgate_shared::Millis;
use examgate_shared::bank::api::{ItemStat, ItemVersion};
use examgate_shared::bank::{Image, Item, fold};
use rusqlite::{Connection, OptionalExtension, params};

/// A stored question with the columns access and search need.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: u64,
    pub version: u32,
    pub subject: String,
    pub owner: String,
    pub shared: bool,
    pub item: Item,
}

const COLUMNS: &str = "id, version, subject, owner, shared, item";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    let json: String = r.get(5)?;
    let item = serde_json::from_str(&json).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(5, rusqlite::types::Type::Text, Box::new(e))
    })?;
    Ok(Row {
        id: r.get(0)?,
        version: r.get(1)?,
        subject: r.get(2)?,
        owner: r.get(3)?,
        shared: r.get(4)?,
        item,
    })
}

/// The text search runs over: text, options, statements, explanation,
/// title, topic and tags.
fn search_text(item: &Item) -> String {
    let mut parts = vec![item.text.clone()];
    parts.extend(item.body.options().iter().cloned());
    if let examgate_shared::exam::Body::TrueFalse { statements, .. } = &item.body {
        parts.extend(statements.iter().cloned());
    }
    parts.extend(item.explanation.clone());
    parts.extend(item.title.clone());
    parts.push(item.meta.topic.clone());
    parts.extend(item.meta.tags.iter().cloned());
    parts.join(" \n ")
}

/// The item as stored: no picture bytes, no import position.
fn stored_json(item: &Item) -> String {
    let mut bare = item.clone();
    bare.images.clear();
    bare.source = None;
    serde_json::to_string(&bare).expect("items serialise")
}

pub fn put_images(conn: &Connection, images: &[Image]) -> rusqlite::Result<()> {
    for image in images {
        conn.execute(
            "INSERT OR IGNORE INTO bank_media (name, media_type, bytes) VALUES (?1, ?2, ?3)",
            params![image.name, image.media_type, image.bytes],
        )?;
    }
    Ok(())
}

pub fn image(conn: &Connection, name: &str) -> rusqlite::Result<Option<(String, Vec<u8>)>> {
    conn.query_row(
        "SELECT media_type, bytes FROM bank_media WHERE name = ?1",
        [name],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

/// Stores a new question (version 1) and returns its id.
pub fn insert(
    conn: &Connection,
    item: &Item,
    subject: &str,
    owner: &str,
    now: Millis,
    note: &str,
) -> rusqlite::Result<u64> {
    put_images(conn, &item.images)?;
    let json = stored_json(item);
    let text = search_text(item);
    conn.execute(
        "INSERT INTO bank_items (version, subject, owner, kind, dup_key, search, search_folded,
                                 item, updated_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            subject,
            owner,
            item.body.kind_name(),
            fold::duplicate_key(&item.text, &item.body),
            fold::exact(&text),
            fold::fold(&text),
            json,
            now
        ],
    )?;
    let id = conn.last_insert_rowid() as u64;
    conn.execute(
        "INSERT INTO bank_versions (item_id, version, item, by_user, at, note)
         VALUES (?1, 1, ?2, ?3, ?4, ?5)",
        params![id, json, owner, now, note],
    )?;
    Ok(id)
}

/// Saves `item` as the next version of `id` when `expected` is still the
/// newest; `Ok(None)` when someone saved first.
pub fn update(
    conn: &Connection,
    id: u64,
    expected: u32,
    item: &Item,
    by: &str,
    now: Millis,
    note: &str,
) -> rusqlite::Result<Option<u32>> {
    put_images(conn, &item.images)?;
    let json = stored_json(item);
    let text = search_text(item);
    let Some(next) = expected.checked_add(1) else {
        return Ok(None);
    };
    let changed = conn.execute(
        "UPDATE bank_items SET version = ?1, kind = ?2, dup_key = ?3, search = ?4,
                search_folded = ?5, item = ?6, updated_at = ?7
         WHERE id = ?8 AND version = ?9",
        params![
            next,
            item.body.kind_name(),
            fold::duplicate_key(&item.text, &item.body),
            fold::exact(&text),
            fold::fold(&text),
            json,
            now,
            id,
            expected
        ],
    )?;
    if changed == 0 {
        return Ok(None);
    }
    conn.execute(
        "INSERT INTO bank_versions (item_id, version, item, by_user, at, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, next, json, by, now, note],
    )?;
    Ok(Some(next))
}

pub fn set_shared(conn: &Connection, id: u64, shared: bool) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "UPDATE bank_items SET shared = ?1 WHERE id = ?2",
        params![shared, id],
    )? == 1)
}

pub fn get(conn: &Connection, id: u64) -> rusqlite::Result<Option<Row>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM bank_items WHERE id = ?1"),
        [id],
        row,
    )
    .optional()
}

/// The first stored question whose text and options equal these among
/// those `may_read` lets the importer see (another subject's hidden question
/// neither blocks an import nor reveals itself).
pub fn duplicate_of(
    conn: &Connection,
    item: &Item,
    may_read: &dyn Fn(&Row) -> bool,
) -> rusqlite::Result<Option<u64>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM bank_items WHERE dup_key = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([fold::duplicate_key(&item.text, &item.body)], row)?;
    for found in rows {
        let found = found?;
        if may_read(&found) {
            return Ok(Some(found.id));
        }
    }
    Ok(None)
}

/// Most words a search matches on (each is one SQL parameter).
pub const MAX_QUERY_WORDS: usize = 32;

/// The newest `limit` questions whose search text holds every word of
/// `query` (diacritics ignored when `folded`) and that `keep` keeps (who may
/// see them, the filters). Rows stream from the database newest first and
/// the scan stops at `limit`, so a small subject in a large bank still gets
/// its questions.
pub fn search(
    conn: &Connection,
    query: &str,
    folded: bool,
    limit: usize,
    keep: &dyn Fn(&Row) -> bool,
) -> rusqlite::Result<Vec<Row>> {
    let (column, normal) = if folded {
        ("search_folded", fold::fold(query))
    } else {
        ("search", fold::exact(query))
    };
    let words: Vec<&str> = normal.split_whitespace().take(MAX_QUERY_WORDS).collect();
    let mut sql = format!("SELECT {COLUMNS} FROM bank_items WHERE 1");
    for i in 0..words.len() {
        sql.push_str(&format!(" AND instr({column}, ?{}) > 0", i + 1));
    }
    sql.push_str(" ORDER BY id DESC");
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(words.iter()))?;
    let mut out = Vec::new();
    while out.len() < limit
        && let Some(r) = rows.next()?
    {
        let found = row(r)?;
        if keep(&found) {
            out.push(found);
        }
    }
    Ok(out)
}

pub fn versions(conn: &Connection, id: u64) -> rusqlite::Result<Vec<ItemVersion>> {
    let mut stmt = conn.prepare(
        "SELECT version, by_user, at, note FROM bank_versions WHERE item_id = ?1 ORDER BY version",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(ItemVersion {
            version: r.get(0)?,
            by: r.get(1)?,
            at: r.get(2)?,
            note: r.get(3)?,
        })
    })?;
    rows.collect()
}

pub fn history(conn: &Connection, id: u64) -> rusqlite::Result<Vec<ItemStat>> {
    let mut stmt = conn.prepare(
        "SELECT sitting_id, exam_id, at, candidates, facility, discrimination, flags
         FROM bank_stats WHERE item_id = ?1 ORDER BY at, sitting_id",
    )?;
    let rows = stmt.query_map([id], |r| {
        let flags: String = r.get(6)?;
        Ok(ItemStat {
            sitting_id: r.get(0)?,
            exam_id: r.get(1)?,
            at: r.get(2)?,
            candidates: r.get(3)?,
            facility: r.get(4)?,
            discrimination: r.get(5)?,
            flags: serde_json::from_str(&flags).unwrap_or_default(),
        })
    })?;
    rows.collect()
}

/// Mean facility and number of sittings of each question that has any.
pub fn facilities(
    conn: &Connection,
) -> rusqlite::Result<std::collections::HashMap<u64, (f64, u32)>> {
    let mut stmt =
        conn.prepare("SELECT item_id, AVG(facility), COUNT(*) FROM bank_stats GROUP BY item_id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
    rows.collect()
}

/// Records which bank question each paper question came from.
pub fn link_paper(
    conn: &Connection,
    exam_id: &str,
    links: &[(u32, u64, u32)],
) -> rusqlite::Result<()> {
    for (question, item, version) in links {
        conn.execute(
            "INSERT INTO bank_paper_items (exam_id, question_id, item_id, item_version)
             VALUES (?1, ?2, ?3, ?4)",
            params![exam_id, question, item, version],
        )?;
    }
    Ok(())
}

/// Paper question → bank question, for one paper.
pub fn paper_links(conn: &Connection, exam_id: &str) -> rusqlite::Result<Vec<(u32, u64)>> {
    let mut stmt =
        conn.prepare("SELECT question_id, item_id FROM bank_paper_items WHERE exam_id = ?1")?;
    let rows = stmt.query_map([exam_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// Stores (or, after a correction, replaces) what a sitting taught about
/// bank question `item`.
pub fn put_stat(conn: &Connection, item: u64, s: &ItemStat) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO bank_stats (item_id, sitting_id, exam_id, at, candidates, facility,
                                 discrimination, flags)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (item_id, sitting_id) DO UPDATE SET
             at = excluded.at, candidates = excluded.candidates, facility = excluded.facility,
             discrimination = excluded.discrimination, flags = excluded.flags",
        params![
            item,
            s.sitting_id,
            s.exam_id,
            s.at,
            s.candidates,
            s.facility,
            s.discrimination,
            serde_json::to_string(&s.flags).expect("flags serialise")
        ],
    )?;
    Ok(())
}
