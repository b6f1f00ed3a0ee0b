//! The bank tables' SQL. Question JSON is stored with its pictures as
//! references (`image:NAME`) and the pictures once each in `bank_media`.

use examgate_shared::Millis;
use examgate_shared::bank::api::{ItemStat, ItemVersion};
use examgate_shared::bank::{Image, Item, fold};

use crate::args;
use crate::store::db::{Db, DbError, OptionalRow, Row as DbRow};

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

fn row(r: &DbRow<'_>) -> Result<Row, DbError> {
    let json: String = r.get(5)?;
    let item = serde_json::from_str(&json)
        .map_err(|e| DbError::Conversion(format!("a stored bank question: {e}")))?;
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

pub fn put_images(conn: Db<'_>, images: &[Image]) -> Result<(), DbError> {
    for image in images {
        conn.execute(
            "INSERT INTO bank_media (name, media_type, bytes) VALUES (?1, ?2, ?3)
             ON CONFLICT DO NOTHING",
            args![image.name, image.media_type, image.bytes],
        )?;
    }
    Ok(())
}

pub fn image(conn: Db<'_>, name: &str) -> Result<Option<(String, Vec<u8>)>, DbError> {
    conn.query_row(
        "SELECT media_type, bytes FROM bank_media WHERE name = ?1",
        args![name],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

/// Stores a new question (version 1) and returns its id.
pub fn insert(
    conn: Db<'_>,
    item: &Item,
    subject: &str,
    owner: &str,
    now: Millis,
    note: &str,
) -> Result<u64, DbError> {
    put_images(conn, &item.images)?;
    let json = stored_json(item);
    let text = search_text(item);
    let id: u64 = conn.query_row(
        "INSERT INTO bank_items (version, subject, owner, kind, dup_key, search, search_folded,
                                 item, updated_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
        args![
            subject,
            owner,
            item.body.kind_name(),
            fold::duplicate_key(&item.text, &item.body),
            fold::exact(&text),
            fold::fold(&text),
            json,
            now
        ],
        |r| r.get(0),
    )?;
    conn.execute(
        "INSERT INTO bank_versions (item_id, version, item, by_user, at, note)
         VALUES (?1, 1, ?2, ?3, ?4, ?5)",
        args![id, json, owner, now, note],
    )?;
    Ok(id)
}

/// Saves `item` as the next version of `id` when `expected` is still the
/// newest; `Ok(None)` when someone saved first.
pub fn update(
    conn: Db<'_>,
    id: u64,
    expected: u32,
    item: &Item,
    by: &str,
    now: Millis,
    note: &str,
) -> Result<Option<u32>, DbError> {
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
        args![
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
        args![id, next, json, by, now, note],
    )?;
    Ok(Some(next))
}

pub fn set_shared(conn: Db<'_>, id: u64, shared: bool) -> Result<bool, DbError> {
    Ok(conn.execute(
        "UPDATE bank_items SET shared = ?1 WHERE id = ?2",
        args![shared, id],
    )? == 1)
}

pub fn get(conn: Db<'_>, id: u64) -> Result<Option<Row>, DbError> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM bank_items WHERE id = ?1"),
        args![id],
        row,
    )
    .optional()
}

/// The first stored question whose text and options equal these among
/// those `may_read` lets the importer see (another subject's hidden question
/// neither blocks an import nor reveals itself).
pub fn duplicate_of(
    conn: Db<'_>,
    item: &Item,
    may_read: &dyn Fn(&Row) -> bool,
) -> Result<Option<u64>, DbError> {
    let rows = conn.query_map(
        &format!("SELECT {COLUMNS} FROM bank_items WHERE dup_key = ?1 ORDER BY id"),
        args![fold::duplicate_key(&item.text, &item.body)],
        row,
    )?;
    for found in rows {
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
    conn: Db<'_>,
    query: &str,
    folded: bool,
    limit: usize,
    keep: &dyn Fn(&Row) -> bool,
) -> Result<Vec<Row>, DbError> {
    let (column, normal) = if folded {
        ("search_folded", fold::fold(query))
    } else {
        ("search", fold::exact(query))
    };
    let words: Vec<&str> = normal.split_whitespace().take(MAX_QUERY_WORDS).collect();
    let mut sql = format!("SELECT {COLUMNS} FROM bank_items WHERE TRUE");
    for i in 0..words.len() {
        sql.push_str(" AND ");
        sql.push_str(&conn.dialect().contains(column, i + 1));
    }
    sql.push_str(" ORDER BY id DESC");
    let params: Vec<&dyn crate::store::db::Param> = words
        .iter()
        .map(|w| w as &dyn crate::store::db::Param)
        .collect();
    let mut out = Vec::new();
    conn.each(&sql, &params, |r| {
        let found = row(r)?;
        if keep(&found) {
            out.push(found);
        }
        Ok(out.len() < limit)
    })?;
    Ok(out)
}

pub fn versions(conn: Db<'_>, id: u64) -> Result<Vec<ItemVersion>, DbError> {
    conn.query_map(
        "SELECT version, by_user, at, note FROM bank_versions WHERE item_id = ?1 ORDER BY version",
        args![id],
        |r| {
            Ok(ItemVersion {
                version: r.get(0)?,
                by: r.get(1)?,
                at: r.get(2)?,
                note: r.get(3)?,
            })
        },
    )
}

pub fn history(conn: Db<'_>, id: u64) -> Result<Vec<ItemStat>, DbError> {
    conn.query_map(
        "SELECT sitting_id, exam_id, at, candidates, facility, discrimination, flags
         FROM bank_stats WHERE item_id = ?1 ORDER BY at, sitting_id",
        args![id],
        |r| {
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
        },
    )
}

/// Mean facility and number of sittings of each question that has any.
pub fn facilities(conn: Db<'_>) -> Result<std::collections::HashMap<u64, (f64, u32)>, DbError> {
    let rows = conn.query_map(
        "SELECT item_id, AVG(facility), COUNT(*) FROM bank_stats GROUP BY item_id",
        args![],
        |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))),
    )?;
    Ok(rows.into_iter().collect())
}

/// Records which bank question each paper question came from.
pub fn link_paper(conn: Db<'_>, exam_id: &str, links: &[(u32, u64, u32)]) -> Result<(), DbError> {
    for (question, item, version) in links {
        conn.execute(
            "INSERT INTO bank_paper_items (exam_id, question_id, item_id, item_version)
             VALUES (?1, ?2, ?3, ?4)",
            args![exam_id, question, item, version],
        )?;
    }
    Ok(())
}

/// Paper question → bank question, for one paper.
pub fn paper_links(conn: Db<'_>, exam_id: &str) -> Result<Vec<(u32, u64)>, DbError> {
    conn.query_map(
        "SELECT question_id, item_id FROM bank_paper_items WHERE exam_id = ?1",
        args![exam_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Stores (or, after a correction, replaces) what a sitting taught about
/// bank question `item`.
pub fn put_stat(conn: Db<'_>, item: u64, s: &ItemStat) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO bank_stats (item_id, sitting_id, exam_id, at, candidates, facility,
                                 discrimination, flags)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (item_id, sitting_id) DO UPDATE SET
             at = excluded.at, candidates = excluded.candidates, facility = excluded.facility,
             discrimination = excluded.discrimination, flags = excluded.flags",
        args![
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
