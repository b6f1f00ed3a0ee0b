//! The bank's questions: search, the editor's view, versioned edits,
//! sharing, and export to the formats other platforms read.

use std::collections::BTreeMap;

use examgate_bank_formats::Format;
use examgate_shared::bank::api::{ItemEdit, ItemSummary, ItemView};
use examgate_shared::bank::{Image, Item, fold, images};
use examgate_shared::error::{ErrorBody, ErrorCode};
use serde::Deserialize;

use super::access::{Author, forbidden, not_found};
use super::rows::{self, Row};
use crate::AppState;
use crate::attempts::internal;
use crate::auth::Session;
use crate::clock::now_ms;
use crate::store::writes;
use examgate_shared::bank::images::{inline_item, map_texts};

/// Most questions one search returns.
pub const SEARCH_LIMIT: usize = 500;

/// A search (query parameters of `GET /api/bank/items`).
#[derive(Debug, Default, Deserialize)]
pub struct Query {
    #[serde(default)]
    pub q: String,
    /// `true`: "phuong trinh" finds "phương trình".
    #[serde(default)]
    pub ignore_diacritics: bool,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
}

impl AppState {
    pub async fn bank_search(
        &self,
        staff: &Session,
        query: Query,
    ) -> Result<Vec<ItemSummary>, ErrorBody> {
        let author = self.bank_author(staff)?;
        let level = query
            .level
            .as_deref()
            .filter(|l| !l.is_empty())
            .map(examgate_shared::bank::Level::parse);
        if level == Some(None) {
            return Err(ErrorBody::new(ErrorCode::Invalid, "level: unknown level"));
        }
        let level = level.flatten();
        let text = query.q.clone();
        let folded = query.ignore_diacritics;
        let same = |a: &str, b: &str| b.is_empty() || fold::fold(a) == fold::fold(b);
        let keep = move |row: &Row| {
            author.may_read(row)
                && same(&row.subject, &query.subject)
                && same(&row.item.meta.topic, &query.topic)
                && level.is_none_or(|l| row.item.meta.level == Some(l))
                && query
                    .kind
                    .as_deref()
                    .is_none_or(|k| k.is_empty() || row.item.body.kind_name() == k)
        };
        let (found, stats) = self
            .store
            .read(move |conn| {
                Ok((
                    rows::search(conn, &text, folded, SEARCH_LIMIT, &keep)?,
                    rows::facilities(conn)?,
                ))
            })
            .await
            .map_err(internal)?;
        Ok(found
            .into_iter()
            .map(|row| {
                let (facility, sittings) = stats
                    .get(&row.id)
                    .copied()
                    .map_or((None, 0), |(f, n)| (Some(f), n));
                ItemSummary {
                    id: row.id,
                    version: row.version,
                    kind: row.item.body.kind_name().to_string(),
                    text: row.item.text.clone(),
                    subject: row.subject.clone(),
                    topic: row.item.meta.topic.clone(),
                    level: row.item.meta.level,
                    tags: row.item.meta.tags.clone(),
                    author: row.item.meta.author.clone(),
                    facility,
                    sittings,
                    shared: row.shared,
                }
            })
            .collect())
    }

    /// A readable row, or why not.
    async fn readable(&self, author: &Author, id: u64) -> Result<Row, ErrorBody> {
        let row = self
            .store
            .read(move |conn| rows::get(conn, id))
            .await
            .map_err(internal)?
            .ok_or_else(not_found)?;
        if !author.may_read(&row) {
            // Not "forbidden": another subject's questions are not shown to exist.
            return Err(not_found());
        }
        Ok(row)
    }

    pub async fn bank_item(&self, staff: &Session, id: u64) -> Result<ItemView, ErrorBody> {
        let author = self.bank_author(staff)?;
        let row = self.readable(&author, id).await?;
        let item = self.with_images(row.item.clone()).await?;
        let (versions, history) = self
            .store
            .read(move |conn| Ok((rows::versions(conn, id)?, rows::history(conn, id)?)))
            .await
            .map_err(internal)?;
        let mut shown = item;
        inline_item(&mut shown);
        shown.images.clear();
        Ok(ItemView {
            id,
            version: row.version,
            item: shown,
            subject: row.subject,
            shared: row.shared,
            versions,
            history,
        })
    }

    /// `item` with the pictures its text refers to loaded from the bank.
    pub(crate) async fn with_images(&self, mut item: Item) -> Result<Item, ErrorBody> {
        let names = referenced(&item);
        let loaded = self
            .store
            .read(move |conn| {
                let mut out = Vec::new();
                for name in names {
                    if let Some((media_type, bytes)) = rows::image(conn, &name)? {
                        out.push(Image {
                            name,
                            media_type,
                            bytes,
                        });
                    }
                }
                Ok(out)
            })
            .await
            .map_err(internal)?;
        item.images = loaded;
        Ok(item)
    }

    /// Saves an edit from the editor as the question's next version.
    pub async fn bank_edit(
        &self,
        staff: &Session,
        id: u64,
        edit: ItemEdit,
    ) -> Result<u32, ErrorBody> {
        let author = self.bank_author(staff)?;
        let row = self.readable(&author, id).await?;
        if !author.may_edit(&row) {
            return Err(forbidden(
                "only the subject's teachers and the exam office edit this question",
            ));
        }
        let item = take_images(edit.item).map_err(|e| ErrorBody::new(ErrorCode::Invalid, e))?;
        item.check()
            .map_err(|e| ErrorBody::new(ErrorCode::Invalid, e))?;
        let (by, actor, note, expected) = (
            author.username.clone(),
            author.actor(),
            edit.note,
            edit.version,
        );
        let now = now_ms();
        let saved = self
            .store
            .write(move |txn| {
                let saved = rows::update(txn, id, expected, &item, &by, now, &note)?;
                if let Some(v) = saved {
                    writes::audit(
                        txn,
                        now,
                        &actor,
                        "bank_edit",
                        &format!("question {id} version {v}: {note}"),
                    )?;
                }
                Ok(saved)
            })
            .await
            .map_err(internal)?;
        saved.ok_or_else(|| {
            ErrorBody::new(
                ErrorCode::Conflict,
                format!(
                    "question {id} was saved by someone else since version {expected}; reload it"
                ),
            )
        })
    }

    /// The office shares a question with every teacher, or stops sharing it.
    pub async fn bank_share(
        &self,
        staff: &Session,
        id: u64,
        shared: bool,
    ) -> Result<(), ErrorBody> {
        let author = self.bank_author(staff)?;
        if !author.office {
            return Err(forbidden("only the exam office shares questions"));
        }
        let actor = author.actor();
        let now = now_ms();
        let done = self
            .store
            .write(move |txn| {
                let done = rows::set_shared(txn, id, shared)?;
                if done {
                    writes::audit(
                        txn,
                        now,
                        &actor,
                        "bank_share",
                        &format!("question {id} shared: {shared}"),
                    )?;
                }
                Ok(done)
            })
            .await
            .map_err(internal)?;
        if done { Ok(()) } else { Err(not_found()) }
    }

    /// The questions `ids` (every visible one when empty) as `format`.
    pub async fn bank_export(
        &self,
        staff: &Session,
        format: Format,
        ids: Vec<u64>,
    ) -> Result<Vec<u8>, ErrorBody> {
        let author = self.bank_author(staff)?;
        let wanted: std::collections::HashSet<u64> = ids.into_iter().collect();
        // One read: the questions, then their pictures, each loaded once.
        let items = self
            .store
            .read(move |conn| {
                let keep =
                    |r: &Row| author.may_read(r) && (wanted.is_empty() || wanted.contains(&r.id));
                let mut chosen = rows::search(conn, "", false, usize::MAX, &keep)?;
                chosen.sort_by_key(|r| r.id);
                let mut loaded: std::collections::HashMap<String, Image> =
                    std::collections::HashMap::new();
                let mut items = Vec::with_capacity(chosen.len());
                for row in chosen {
                    let mut item = row.item;
                    for name in referenced(&item) {
                        if !loaded.contains_key(&name)
                            && let Some((media_type, bytes)) = rows::image(conn, &name)?
                        {
                            loaded.insert(
                                name.clone(),
                                Image {
                                    name: name.clone(),
                                    media_type,
                                    bytes,
                                },
                            );
                        }
                        item.images.extend(loaded.get(&name).cloned());
                    }
                    items.push(item);
                }
                Ok(items)
            })
            .await
            .map_err(internal)?;
        examgate_bank_formats::export(format, &items).map_err(|problems| {
            let reasons: Vec<String> = problems.iter().map(ToString::to_string).collect();
            ErrorBody::new(
                ErrorCode::Invalid,
                format!("cannot export: {}", reasons.join("; ")),
            )
        })
    }
}

/// Every picture name the item's texts refer to.
fn referenced(item: &Item) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut copy = item.clone();
    map_texts(&mut copy, |t| {
        names.extend(images::references(t));
        Ok(String::new())
    })
    .expect("collecting cannot fail");
    names.sort();
    names.dedup();
    names
}

/// The editor sends pictures as `data:` URLs: take them out into the
/// item's images, leaving references.
fn take_images(mut item: Item) -> Result<Item, String> {
    let mut found: BTreeMap<String, Image> = BTreeMap::new();
    map_texts(&mut item, |text| {
        let (text, images) = images::extract(text)?;
        found.extend(images);
        Ok(text)
    })?;
    item.images = found.into_values().collect();
    Ok(item)
}
