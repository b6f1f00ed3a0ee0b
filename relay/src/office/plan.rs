//! Planning: exam events ("kỳ thi"), sites ("điểm thi"), rooms with their
//! seats, papers, and shifts ("ca thi") — each shift a sitting of its
//! event with its own window and paper — and the join code of every room a
//! shift uses. Changes are stored first, then added to the in-memory plan,
//! one at a time under the plan lock.

use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::exam::Exam;
use examgate_shared::office::api::{
    self, EventView, JoinCodeView, NewEvent, NewRoom, NewShift, NewSite, PaperView, PlanView,
    RoomInfo, ShiftView, SiteView,
};
use examgate_shared::office::dates::Date;
use examgate_shared::office::names::{fold, nfc};

use crate::AppState;
use crate::attempts::internal;
use crate::auth::{Session, random_password};
use crate::clock::now_ms;
use crate::model::{EventId, ExamEvent, JoinCode, Room, RoomId, Site, Sitting, SittingId};
use crate::state::Plan;
use crate::store::writes;

/// Longest name of an event, site, room or shift.
const MAX_NAME_CHARS: usize = 120;

/// A name as typed: NFC, spaces folded, 1 to [`MAX_NAME_CHARS`].
pub fn valid_name(field: &str, typed: &str) -> Result<String, ErrorBody> {
    let name = nfc(typed);
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(ErrorBody::new(
            ErrorCode::Invalid,
            format!("{field}: 1 to {MAX_NAME_CHARS} characters"),
        ));
    }
    Ok(name)
}

fn not_found(what: &str) -> ErrorBody {
    ErrorBody::new(ErrorCode::NotFound, format!("no such {what}"))
}

fn forbidden(what: &str) -> ErrorBody {
    ErrorBody::new(ErrorCode::Forbidden, what.to_string())
}

/// A join code people can read aloud: six characters without 0/O, 1/I/L.
fn new_join_code(plan: &Plan) -> String {
    loop {
        let code: String = random_password().to_uppercase().chars().take(6).collect();
        if !plan.join_codes.contains_key(&code) {
            return code;
        }
    }
}

impl AppState {
    /// The plan as `staff` may see it: a site's office sees its site only.
    pub fn plan_view(&self, staff: &Session) -> PlanView {
        let plan = self.catalog.plan();
        let site_visible = |site: u64| staff.site_id.is_none_or(|own| own == site);
        let mut registered_per_code = std::collections::HashMap::new();
        for e in plan.registered.values() {
            *registered_per_code
                .entry((e.sitting_id, e.room_id))
                .or_insert(0u32) += 1;
        }
        let events = plan
            .events
            .values()
            .map(|e| EventView {
                id: e.id,
                name: e.name.clone(),
                subject: e.subject.clone(),
                published_at: e.published_at,
                published: e.published_at.map(api::vietnam_text),
                shifts: plan
                    .shifts_of(e.id)
                    .into_iter()
                    .map(|s| {
                        let mut codes: Vec<JoinCodeView> = plan
                            .join_codes
                            .values()
                            .filter(|c| c.sitting_id == s.id)
                            .filter_map(|c| {
                                let room = plan.rooms.get(&c.room_id)?;
                                site_visible(room.site_id).then(|| JoinCodeView {
                                    code: c.code.clone(),
                                    room_id: room.id,
                                    room: room.name.clone(),
                                    site: plan.site_name(room).to_owned(),
                                    requires_card: c.requires_card,
                                    registered: registered_per_code
                                        .get(&(s.id, room.id))
                                        .copied()
                                        .unwrap_or(0),
                                })
                            })
                            .collect();
                        codes.sort_by(|a, b| (&a.site, &a.room).cmp(&(&b.site, &b.room)));
                        ShiftView {
                            sitting_id: s.id,
                            name: s.shift.clone(),
                            exam_id: s.exam_id.clone(),
                            exam_title: self
                                .catalog
                                .exam(&s.exam_id)
                                .map_or_else(String::new, |x| x.title.clone()),
                            opens_at: s.opens_at,
                            closes_at: s.closes_at,
                            duration_ms: s.duration_ms,
                            starts: api::vietnam_text(s.opens_at),
                            requires_card: s.requires_card,
                            hard_stop: s.hard_stop,
                            fullscreen: s.fullscreen,
                            registered: codes.iter().map(|c| c.registered).sum(),
                            codes,
                        }
                    })
                    .collect(),
            })
            .collect();
        let sites = plan
            .sites
            .values()
            .filter(|s| site_visible(s.id))
            .map(|s| SiteView {
                id: s.id,
                name: s.name.clone(),
                code: s.code.clone(),
                rooms: plan
                    .rooms
                    .values()
                    .filter(|r| r.site_id == s.id)
                    .map(|r| RoomInfo {
                        id: r.id,
                        name: r.name.clone(),
                        seats: r.seats,
                    })
                    .collect(),
            })
            .collect();
        drop(plan);
        let mut papers: Vec<PaperView> = self
            .catalog
            .exams
            .read()
            .expect("exams lock")
            .values()
            .map(|e| PaperView {
                id: e.id.clone(),
                title: e.title.clone(),
                questions: e.questions.len() as u32,
                duration_secs: e.duration_secs,
            })
            .collect();
        papers.sort_by(|a, b| a.id.cmp(&b.id));
        PlanView {
            events,
            sites,
            papers,
            accounts: self.accounts_view(staff),
        }
    }

    pub async fn create_event(&self, staff: &Session, req: NewEvent) -> Result<u64, ErrorBody> {
        if staff.site_id.is_some() {
            return Err(forbidden(
                "exam events are created by the whole exam's office",
            ));
        }
        let name = valid_name("name", &req.name)?;
        let subject = nfc(&req.subject);
        let _plan = self.plan_lock.lock().await;
        let now = now_ms();
        let (n, s, actor) = (name.clone(), subject.clone(), staff.username.clone());
        let id = self
            .store
            .write(move |txn| {
                let id: EventId = txn.query_row(
                    "INSERT INTO exam_events (name, subject, created_at, created_by)
                     VALUES (?1, ?2, ?3, ?4) RETURNING id",
                    crate::args![n, s, now, actor],
                    |r| r.get(0),
                )?;
                writes::audit(
                    txn,
                    now,
                    &format!("user:{actor}"),
                    "event_create",
                    &format!("event {id}: {n}"),
                )?;
                Ok(id)
            })
            .await
            .map_err(internal)?;
        self.catalog.plan_mut().events.insert(
            id,
            ExamEvent {
                id,
                name,
                subject,
                created_at: now,
                published_at: None,
            },
        );
        Ok(id)
    }

    pub async fn create_site(&self, staff: &Session, req: NewSite) -> Result<u64, ErrorBody> {
        if staff.site_id.is_some() {
            return Err(forbidden("sites are created by the whole exam's office"));
        }
        let name = valid_name("name", &req.name)?;
        let code = req.code.trim().to_string();
        let _plan = self.plan_lock.lock().await;
        if self
            .catalog
            .plan()
            .sites
            .values()
            .any(|s| fold(&s.name) == fold(&name))
        {
            return Err(ErrorBody::new(
                ErrorCode::Conflict,
                format!("a site named {name} exists"),
            ));
        }
        let (n, c) = (name.clone(), code.clone());
        let actor = format!("user:{}", staff.username);
        let now = now_ms();
        let id = self
            .store
            .write(move |txn| {
                let id = writes::insert_site(txn, &n, &c)?;
                writes::audit(txn, now, &actor, "site_create", &format!("site {id}: {n}"))?;
                Ok(id)
            })
            .await
            .map_err(internal)?;
        self.catalog
            .plan_mut()
            .sites
            .insert(id, Site { id, name, code });
        Ok(id)
    }

    pub async fn create_room(&self, staff: &Session, req: NewRoom) -> Result<u64, ErrorBody> {
        let name = valid_name("name", &req.name)?;
        if !(1..=500).contains(&req.seats) {
            return Err(ErrorBody::new(ErrorCode::Invalid, "seats: 1 to 500"));
        }
        if !staff.may_see_site(|| Some(req.site_id)) {
            return Err(forbidden("that is another site"));
        }
        let _plan = self.plan_lock.lock().await;
        {
            let plan = self.catalog.plan();
            if !plan.sites.contains_key(&req.site_id) {
                return Err(not_found("site"));
            }
            if plan
                .rooms
                .values()
                .any(|r| r.site_id == req.site_id && fold(&r.name) == fold(&name))
            {
                return Err(ErrorBody::new(
                    ErrorCode::Conflict,
                    format!("the site already has a room named {name}"),
                ));
            }
        }
        let (n, site, seats) = (name.clone(), req.site_id, req.seats);
        let actor = format!("user:{}", staff.username);
        let now = now_ms();
        let id = self
            .store
            .write(move |txn| {
                let id = writes::insert_room(txn, site, &n, seats)?;
                writes::audit(
                    txn,
                    now,
                    &actor,
                    "room_create",
                    &format!("room {id}: {n}, site {site}, {seats} seats"),
                )?;
                Ok(id)
            })
            .await
            .map_err(internal)?;
        self.catalog.plan_mut().rooms.insert(
            id,
            Room {
                id,
                site_id: req.site_id,
                name,
                seats: req.seats,
            },
        );
        Ok(id)
    }

    /// Stores a paper (an exam definition with its key) for shifts to use.
    pub async fn add_paper(&self, staff: &Session, exam: Exam) -> Result<String, ErrorBody> {
        exam.validate()
            .map_err(|e| ErrorBody::new(ErrorCode::Invalid, format!("paper: {e}")))?;
        let _plan = self.plan_lock.lock().await;
        if self.catalog.exam(&exam.id).is_some() {
            return Err(ErrorBody::new(
                ErrorCode::Conflict,
                format!("a paper with id {} exists", exam.id),
            ));
        }
        let stored = exam.clone();
        let actor = format!("user:{}", staff.username);
        let now = now_ms();
        self.store
            .write(move |txn| {
                writes::insert_exam(txn, &stored)?;
                writes::audit(
                    txn,
                    now,
                    &actor,
                    "paper_add",
                    &format!("paper {}", stored.id),
                )
            })
            .await
            .map_err(internal)?;
        let id = exam.id.clone();
        self.catalog.replace_exam(exam);
        Ok(id)
    }

    /// Adds a shift to an event: a sitting that opens at the shift's start
    /// (Vietnam time) and ends every attempt at start + working time.
    pub async fn create_shift(
        &self,
        staff: &Session,
        event: EventId,
        req: NewShift,
    ) -> Result<SittingId, ErrorBody> {
        if staff.site_id.is_some() {
            return Err(forbidden("shifts are planned by the whole exam's office"));
        }
        let name = valid_name("name", &req.name)?;
        let date = Date::parse_text(&req.date).map_err(|e| {
            ErrorBody::new(
                ErrorCode::Invalid,
                format!("date: dd/mm/yyyy, a real calendar date ({e})"),
            )
        })?;
        let (hour, minute) = api::parse_clock(&req.start)
            .ok_or_else(|| ErrorBody::new(ErrorCode::Invalid, "start: HH:MM (24-hour)"))?;
        if !(1..=600).contains(&req.minutes) {
            return Err(ErrorBody::new(ErrorCode::Invalid, "minutes: 1 to 600"));
        }
        if req
            .hard_stop_minutes
            .is_some_and(|h| h < req.minutes || h > 1_440)
        {
            return Err(ErrorBody::new(
                ErrorCode::Invalid,
                "hard_stop_minutes: at least the working time, at most 1440",
            ));
        }
        if self.catalog.exam(&req.exam_id).is_none() {
            return Err(not_found("paper"));
        }
        let opens_at = api::vietnam_millis(
            date.year() as i32,
            u32::from(date.month()),
            u32::from(date.day()),
            hour,
            minute,
        );
        let duration_ms = i64::from(req.minutes) * 60_000;
        let _plan = self.plan_lock.lock().await;
        {
            let plan = self.catalog.plan();
            plan.unpublished_event(event)?;
            if plan
                .shifts_of(event)
                .iter()
                .any(|s| fold(&s.shift) == fold(&name))
            {
                return Err(ErrorBody::new(
                    ErrorCode::Conflict,
                    format!("the event already has a shift named {name}"),
                ));
            }
            if let Some(r) = req.room_ids.iter().find(|r| !plan.rooms.contains_key(r)) {
                return Err(not_found(&format!("room {r}")));
            }
        }
        let sitting = Sitting {
            id: 0,
            exam_id: req.exam_id.clone(),
            opens_at,
            closes_at: opens_at + duration_ms,
            duration_ms,
            event_id: Some(event),
            shift: name,
            requires_card: req.requires_card,
            practice: None,
            hard_stop: req
                .hard_stop_minutes
                .map(|h| opens_at + i64::from(h) * 60_000),
            fullscreen: req.fullscreen,
        };
        // Sitting 0 has no codes yet: every room gets a fresh one.
        let codes = self.missing_codes(0, req.room_ids.iter().copied(), req.requires_card);
        let stored = sitting.clone();
        let stored_codes = codes.clone();
        let actor = format!("user:{}", staff.username);
        let now = now_ms();
        let id = self
            .store
            .write(move |txn| {
                let id = writes::insert_sitting(txn, &stored)?;
                for c in &stored_codes {
                    writes::insert_join_code(txn, &c.code, id, c.room_id, c.requires_card)?;
                }
                writes::audit(
                    txn,
                    now,
                    &actor,
                    "shift_create",
                    &format!(
                        "event {event}, shift {id} {:?}, paper {}, opens {}, {} min, {} room(s)",
                        stored.shift,
                        stored.exam_id,
                        stored.opens_at,
                        stored.duration_ms / 60_000,
                        stored_codes.len()
                    ),
                )?;
                Ok(id)
            })
            .await
            .map_err(internal)?;
        let mut plan = self.catalog.plan_mut();
        plan.sittings.insert(id, Sitting { id, ..sitting });
        for mut c in codes {
            c.sitting_id = id;
            plan.join_codes.insert(c.code.clone(), c);
        }
        Ok(id)
    }

    /// Makes one room of a shift a chip-ID room, or a room that admits by
    /// candidate number, before anyone has started there.
    pub async fn set_card_room(
        &self,
        staff: &Session,
        code: &str,
        requires_card: bool,
    ) -> Result<(), ErrorBody> {
        let _plan = self.plan_lock.lock().await;
        let code = self.join_code(code).ok_or_else(|| not_found("join code"))?;
        if !self.catalog.plan().visible_to(staff, code.room_id) {
            return Err(forbidden("that room is in another site"));
        }
        self.ensure_unpublished(code.sitting_id)?;
        let started = {
            let people = self.people();
            people.in_room.get(&code.room_id).is_some_and(|ids| {
                ids.iter().any(|id| {
                    people.candidates[id].sitting_id == code.sitting_id
                        && people.attempt_of.contains_key(id)
                })
            })
        };
        if started {
            return Err(ErrorBody::new(
                ErrorCode::Conflict,
                "candidates have already joined in this room and shift",
            ));
        }
        let key = code.code.clone();
        let actor = format!("user:{}", staff.username);
        let now = now_ms();
        let stored = key.clone();
        self.store
            .write(move |txn| {
                txn.execute(
                    "UPDATE join_codes SET requires_card = ?2 WHERE code = ?1",
                    crate::args![stored, requires_card],
                )?;
                writes::audit(
                    txn,
                    now,
                    &actor,
                    "room_card",
                    &format!("code {stored}: requires_card {requires_card}"),
                )
            })
            .await
            .map_err(internal)?;
        if let Some(c) = self.catalog.plan_mut().join_codes.get_mut(&key) {
            c.requires_card = requires_card;
        }
        Ok(())
    }

    /// New join codes for the rooms of `sitting` that have none yet (the
    /// caller stores them); distinct from every code in use.
    pub(crate) fn missing_codes(
        &self,
        sitting: SittingId,
        rooms: impl IntoIterator<Item = RoomId>,
        requires_card: bool,
    ) -> Vec<JoinCode> {
        let plan = self.catalog.plan();
        let mut out: Vec<JoinCode> = Vec::new();
        for room_id in rooms {
            let has = plan
                .join_codes
                .values()
                .any(|c| c.sitting_id == sitting && c.room_id == room_id)
                || out.iter().any(|c| c.room_id == room_id);
            if has {
                continue;
            }
            let code = loop {
                let c = new_join_code(&plan);
                if !out.iter().any(|o| o.code == c) {
                    break c;
                }
            };
            out.push(JoinCode {
                code,
                sitting_id: sitting,
                room_id,
                requires_card,
            });
        }
        out
    }
}
