//! Papers from the bank and practice exams.
//!
//! A paper built here is an ordinary exam definition: its questions are
//! copies of the bank questions (pictures inside, as `data:` URLs), so a
//! later edit in the bank never changes a paper in use — a paper changes
//! only through key corrections, as every paper does. Which bank question
//! (and version) each paper question came from is kept, so the sitting's
//! statistics find their way back ([`super::learn`]).

use examgate_shared::bank::api::{PaperBuilt, PaperRequest, PracticeOpened, PracticeRequest};
use examgate_shared::bank::blueprint::{Candidate, choose, expected};
use examgate_shared::bank::fold;
use examgate_shared::bank::print::{PrintedVersion, printed_versions};
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::exam::{Exam, Question, QuestionId, Section, Versioning};
use examgate_shared::points::Points;

use super::access::{Author, not_found};
use super::rows::{self, Row};
use crate::AppState;
use crate::attempts::internal;
use crate::auth::Session;
use crate::clock::now_ms;
use crate::model::{Room, Site, Sitting};
use crate::store::writes;
use examgate_shared::bank::images::inline_item;

/// Most questions one paper may have.
const MAX_PAPER_QUESTIONS: u64 = 200;
/// Most points one question may be worth, in thousandths.
const MAX_POINTS_MILLI: u32 = 100_000;
/// The first "mã đề" of numbered versions.
const FIRST_VERSION: u16 = 101;
/// The site practice rooms are filed under.
const PRACTICE_SITE: &str = "Luyện tập";
const DAY_MS: i64 = 86_400_000;

impl AppState {
    pub async fn bank_paper(
        &self,
        staff: &Session,
        req: PaperRequest,
    ) -> Result<PaperBuilt, ErrorBody> {
        let author = self.bank_author(staff)?;
        let bp = &req.blueprint;
        if bp.title.trim().is_empty() || !(1..=600).contains(&bp.minutes) || bp.sections.is_empty()
        {
            return Err(ErrorBody::new(
                ErrorCode::Invalid,
                "a paper needs a title, 1 to 600 minutes and at least one section",
            ));
        }
        // Bounds before any work: the chooser and the distribution grow
        // with counts and points.
        let rows_in = bp.sections.iter().flat_map(|s| &s.rows);
        let total: u64 =
            rows_in.clone().map(|r| u64::from(r.count)).sum::<u64>() + req.items.len() as u64;
        if total > MAX_PAPER_QUESTIONS
            || rows_in
                .clone()
                .any(|r| r.points.milli() == 0 || r.points.milli() > MAX_POINTS_MILLI)
        {
            return Err(ErrorBody::new(
                ErrorCode::Invalid,
                format!(
                    "a paper has 1 to {MAX_PAPER_QUESTIONS} questions of more than 0 and at most {} points each",
                    MAX_POINTS_MILLI / 1000
                ),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(twice) = req.items.iter().find(|id| !seen.insert(**id)) {
            return Err(ErrorBody::new(
                ErrorCode::Invalid,
                format!("bank question {twice} is chosen twice"),
            ));
        }
        let (all, stats) = self
            .store
            .read(|conn| {
                Ok((
                    rows::search(conn, "", false, usize::MAX, &|_| true)?,
                    rows::facilities(conn)?,
                ))
            })
            .await
            .map_err(internal)?;
        // The blueprint's subject, when it names one, bounds the pool: the
        // office sees every subject's questions.
        let of_subject = |r: &Row| {
            bp.subject.trim().is_empty()
                || fold::fold(&r.subject) == fold::fold(&bp.subject)
                || fold::fold(&r.item.meta.subject) == fold::fold(&bp.subject)
        };
        let visible: Vec<Row> = all
            .into_iter()
            .filter(|r| author.may_read(r) && of_subject(r))
            .collect();
        let facility = |id: u64| stats.get(&id).map(|(f, _)| *f);
        // Per section: (bank id, points).
        let sections: Vec<Vec<(u64, Points)>> = if req.items.is_empty() {
            let pool: Vec<Candidate> = visible
                .iter()
                .map(|r| Candidate {
                    id: r.id,
                    kind: r.item.body.kind_name().to_string(),
                    topic: r.item.meta.topic.clone(),
                    level: r.item.meta.level,
                    facility: facility(r.id),
                })
                .collect();
            let choice = choose(bp, &pool).map_err(|shortages| {
                ErrorBody::new(
                    ErrorCode::Invalid,
                    format!(
                        "the bank cannot fill the blueprint: {}",
                        shortages.join("; ")
                    ),
                )
            })?;
            choice
                .into_iter()
                .zip(&bp.sections)
                .map(|(rows, section)| {
                    rows.into_iter()
                        .zip(&section.rows)
                        .flat_map(|(ids, row)| ids.into_iter().map(move |id| (id, row.points)))
                        .collect()
                })
                .collect()
        } else {
            let points = bp.sections[0]
                .rows
                .first()
                .map_or(Points::from_milli(1000), |r| r.points);
            if let Some(missing) = req
                .items
                .iter()
                .find(|id| !visible.iter().any(|r| r.id == **id))
            {
                return Err(ErrorBody::new(
                    ErrorCode::NotFound,
                    format!("no bank question {missing}"),
                ));
            }
            vec![req.items.iter().map(|&id| (id, points)).collect()]
        };
        let expect = expected(
            &sections
                .iter()
                .flatten()
                .map(|&(id, points)| {
                    let row = visible
                        .iter()
                        .find(|r| r.id == id)
                        .expect("chosen from visible");
                    let f = facility(id).unwrap_or_else(|| {
                        examgate_shared::bank::blueprint::assumed_facility(row.item.meta.level)
                    });
                    (points, f)
                })
                .collect::<Vec<_>>(),
        );
        let chosen: Vec<Vec<u64>> = sections
            .iter()
            .map(|s| s.iter().map(|(id, _)| *id).collect())
            .collect();
        if req.dry_run {
            return Ok(PaperBuilt {
                exam_id: None,
                chosen,
                expected: expect,
            });
        }
        let now = now_ms();
        let mut exam = Exam {
            // Unique even for two papers built in the same millisecond.
            id: format!("bank-{now}-{:04x}", crate::auth::random_u64() & 0xffff),
            title: bp.title.trim().to_string(),
            subject: bp.subject.clone(),
            duration_secs: bp.minutes * 60,
            questions: Vec::new(),
            sections: Vec::new(),
            versioning: req
                .versions
                .filter(|&n| n > 0)
                .map_or(Versioning::PerCandidate, |count| Versioning::Numbered {
                    first: FIRST_VERSION,
                    count,
                }),
            show_answers: req.show_answers,
        };
        let mut links = Vec::new();
        for (s, ids) in sections.iter().enumerate() {
            let mut section_ids = Vec::new();
            for &(bank_id, points) in ids {
                let row = visible
                    .iter()
                    .find(|r| r.id == bank_id)
                    .expect("chosen from visible");
                let mut item = self.with_images(row.item.clone()).await?;
                inline_item(&mut item);
                let id = QuestionId(exam.questions.len() as u32 + 1);
                exam.questions.push(Question {
                    id,
                    text: item.text,
                    points,
                    body: item.body,
                    voided: false,
                    explanation: item.explanation,
                });
                section_ids.push(id);
                links.push((id.0, bank_id, row.version));
            }
            let template = bp
                .sections
                .get(s)
                .or(bp.sections.first())
                .expect("one section at least");
            exam.sections.push(Section {
                title: template.title.clone(),
                questions: section_ids,
                shuffle_questions: template.shuffle_questions,
                shuffle_options: template.shuffle_options,
            });
        }
        let exam_id = self.add_paper(staff, exam).await?;
        let linked = exam_id.clone();
        self.store
            .write(move |txn| rows::link_paper(txn, &linked, &links))
            .await
            .map_err(internal)?;
        Ok(PaperBuilt {
            exam_id: Some(exam_id),
            chosen,
            expected: expect,
        })
    }

    /// Every version of `exam_id` with its answer key, to print. The office
    /// prints any paper; a teacher the papers made of bank questions they
    /// may see.
    pub async fn bank_print(
        &self,
        staff: &Session,
        exam_id: &str,
    ) -> Result<Vec<PrintedVersion>, ErrorBody> {
        let author = self.bank_author(staff)?;
        let exam = self.bank_paper_for(&author, exam_id).await?;
        let actor = author.actor();
        let now = now_ms();
        let detail = format!("paper {exam_id} printed with its answer key");
        self.store
            .write(move |txn| writes::audit(txn, now, &actor, "paper_print", &detail))
            .await
            .map_err(internal)?;
        Ok(printed_versions(&exam))
    }

    /// The paper `exam_id` if `author` may print it or practise on it: the
    /// office any paper; a teacher a paper built from the bank whose every
    /// question they may see. Anything else does not exist for them.
    async fn bank_paper_for(
        &self,
        author: &Author,
        exam_id: &str,
    ) -> Result<std::sync::Arc<Exam>, ErrorBody> {
        let exam = self.catalog.exam(exam_id).ok_or_else(not_found)?;
        if author.office {
            return Ok(exam);
        }
        let id = exam_id.to_string();
        let rows = self
            .store
            .read(move |conn| {
                let links = rows::paper_links(conn, &id)?;
                links
                    .iter()
                    .map(|(_, item)| rows::get(conn, *item))
                    .collect::<Result<Vec<_>, crate::store::db::DbError>>()
            })
            .await
            .map_err(internal)?;
        let readable = !rows.is_empty()
            && rows
                .iter()
                .all(|r| r.as_ref().is_some_and(|r| author.may_read(r)));
        if readable { Ok(exam) } else { Err(not_found()) }
    }

    /// Opens `exam_id` as a practice exam: a room of the practice site with
    /// a join code, open from now for the days asked.
    pub async fn bank_practice(
        &self,
        staff: &Session,
        req: PracticeRequest,
    ) -> Result<PracticeOpened, ErrorBody> {
        let author = self.bank_author(staff)?;
        let exam = self.bank_paper_for(&author, &req.exam_id).await?;
        // A paper an exam has not finished with yet is not practised on:
        // its candidates would see it (and, with answers shown, its keys).
        let now = now_ms();
        let in_use = self
            .catalog
            .plan()
            .sittings
            .values()
            .any(|s| s.exam_id == exam.id && s.practice.is_none() && s.closes_at > now);
        if in_use {
            return Err(ErrorBody::new(
                ErrorCode::Conflict,
                "this paper belongs to an exam that has not closed yet; build another for practice",
            ));
        }
        if !(1..=90).contains(&req.days) {
            return Err(ErrorBody::new(ErrorCode::Invalid, "days: 1 to 90"));
        }
        let _plan = self.plan_lock.lock().await;
        let site = self
            .catalog
            .plan()
            .sites
            .values()
            .find(|s| s.name == PRACTICE_SITE)
            .map(|s| s.id);
        let sitting = Sitting {
            id: 0,
            exam_id: exam.id.clone(),
            opens_at: now,
            closes_at: now + i64::from(req.days) * DAY_MS,
            duration_ms: i64::from(exam.duration_secs) * 1000,
            event_id: None,
            shift: String::new(),
            requires_card: false,
            practice: Some(req.rules),
            hard_stop: None,
            fullscreen: false,
        };
        let room_name = exam.title.clone();
        let mut codes = self.missing_codes(0, [0], false);
        let mut code = codes.pop().expect("one code for one room");
        let (stored, actor, title) = (sitting.clone(), author.actor(), exam.title.clone());
        let stored_code = code.code.clone();
        let (site_id, room_id, sitting_id) = self
            .store
            .write(move |txn| {
                let site_id = match site {
                    Some(id) => id,
                    None => writes::insert_site(txn, PRACTICE_SITE, "")?,
                };
                let room_id = writes::insert_room(txn, site_id, &room_name, 10_000)?;
                let sitting_id = writes::insert_sitting(txn, &stored)?;
                writes::insert_join_code(txn, &stored_code, sitting_id, room_id, false)?;
                writes::audit(
                    txn,
                    now,
                    &actor,
                    "practice_open",
                    &format!(
                        "paper {} ({title}) as practice sitting {sitting_id}, code {stored_code}",
                        stored.exam_id
                    ),
                )?;
                Ok((site_id, room_id, sitting_id))
            })
            .await
            .map_err(internal)?;
        let mut plan = self.catalog.plan_mut();
        plan.sites.entry(site_id).or_insert_with(|| Site {
            id: site_id,
            name: PRACTICE_SITE.to_string(),
            code: String::new(),
        });
        plan.rooms.insert(
            room_id,
            Room {
                id: room_id,
                site_id,
                name: exam.title.clone(),
                seats: 10_000,
            },
        );
        plan.sittings.insert(
            sitting_id,
            Sitting {
                id: sitting_id,
                ..sitting.clone()
            },
        );
        code.sitting_id = sitting_id;
        code.room_id = room_id;
        plan.join_codes.insert(code.code.clone(), code.clone());
        Ok(PracticeOpened {
            sitting_id,
            code: code.code,
            closes_at: sitting.closes_at,
        })
    }
}
