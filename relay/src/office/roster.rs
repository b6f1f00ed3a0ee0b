//! Roster import for an exam event: the file read into sheets
//! ([`super::workbook`]), the rows read by the shared tolerant importer,
//! checked against who is already registered, placed in rooms and seats
//! and numbered when the sheet did not, and — only when nothing is wrong —
//! stored in one transaction with the join codes of the rooms it fills.
//! A dry run answers the same report without storing anything.

use std::collections::{HashMap, HashSet};

use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::office::allocate::{RoomCapacity, allocate, assign_candidate_numbers};
use examgate_shared::office::api::{JoinCodeView, MAX_ROSTER_ROWS, RosterImportReport, RosterRow};
use examgate_shared::office::names::{SortKey, fold, sort_key};
use examgate_shared::office::roster_import::{
    ImportContext, ImportedCandidate, RowIssue, import_roster,
};

use super::workbook::read_sheets;
use crate::AppState;
use crate::attempts::internal;
use crate::auth::Session;
use crate::clock::now_ms;
use crate::model::{
    Candidate, EventId, JoinCode, RoomId, RosterEntry, SittingId, name_key, number_key,
};
use crate::store::writes;

/// Width of generated candidate numbers after the event's prefix.
const NUMBER_WIDTH: usize = 4;

/// Where each candidate goes: resolved ids beside the sheet's names.
struct Placement {
    sitting: SittingId,
    room: RoomId,
}

/// A shift of the event, as the import matches it.
struct ShiftSlot {
    name: String,
    sitting: SittingId,
    /// Its rooms check chip ID cards: its candidates need their CCCD.
    requires_card: bool,
}

/// A room the importing staff may fill.
struct RoomSlot {
    site: String,
    room: String,
    id: RoomId,
    seats: u32,
}

/// What an import matches the sheet against.
struct ImportPlan {
    ctx: ImportContext,
    shifts: Vec<ShiftSlot>,
    rooms: Vec<RoomSlot>,
}

fn issue(c: &ImportedCandidate, field: &str, code: &str, message: String, value: &str) -> RowIssue {
    RowIssue {
        sheet: c.sheet.clone(),
        row: c.row,
        column: String::new(),
        field: field.to_owned(),
        code: code.to_owned(),
        message,
        value: value.to_owned(),
    }
}

/// Runs `f` over `earlier` followed by `fresh`, then gives `fresh` back
/// what `f` did to it; `earlier` is only read.
fn with_earlier<T>(
    earlier: &[ImportedCandidate],
    fresh: &mut Vec<ImportedCandidate>,
    f: impl FnOnce(&mut [ImportedCandidate]) -> T,
) -> T {
    let mut all: Vec<ImportedCandidate> = earlier.to_vec();
    all.append(fresh);
    let out = f(&mut all);
    *fresh = all.split_off(earlier.len());
    out
}

impl AppState {
    /// The event's registered candidates as `staff` may see them, for room
    /// lists and seat cards; CCCD numbers masked. The view is logged.
    pub async fn roster_rows(
        &self,
        staff: &Session,
        event: EventId,
    ) -> Result<Vec<RosterRow>, ErrorBody> {
        let rows: Vec<RosterRow> = {
            let plan = self.catalog.plan();
            if !plan.events.contains_key(&event) {
                return Err(ErrorBody::new(ErrorCode::NotFound, "no such exam event"));
            }
            let shifts: HashMap<SittingId, String> = plan
                .shifts_of(event)
                .iter()
                .map(|s| (s.id, s.shift.clone()))
                .collect();
            let mut rows: Vec<(SortKey, RosterRow)> = plan
                .roster_entries()
                .filter(|e| shifts.contains_key(&e.sitting_id))
                .filter(|e| plan.visible_to(staff, e.room_id))
                .map(|e| {
                    let room = &plan.rooms[&e.room_id];
                    let join_code = plan
                        .join_codes
                        .values()
                        .find(|c| c.sitting_id == e.sitting_id && c.room_id == e.room_id)
                        .map(|c| c.code.clone());
                    let birth = e.birth.as_deref().map(|iso| {
                        let mut p = iso.split('-');
                        let (y, m, d) = (p.next(), p.next(), p.next());
                        format!(
                            "{}/{}/{}",
                            d.unwrap_or(""),
                            m.unwrap_or(""),
                            y.unwrap_or("")
                        )
                    });
                    let order = sort_key(&e.name, e.birth.as_deref());
                    (
                        order,
                        RosterRow {
                            candidate_number: e.candidate_number.clone(),
                            name: e.name.clone(),
                            birth,
                            class: e.class.clone(),
                            site: plan.site_name(room).to_owned(),
                            room: room.name.clone(),
                            room_id: room.id,
                            shift: shifts[&e.sitting_id].clone(),
                            sitting_id: e.sitting_id,
                            seat: e.seat,
                            person_id_masked: e.person_id.as_deref().map(crate::model::masked_id),
                            join_code,
                        },
                    )
                })
                .collect();
            rows.sort_by(|a, b| {
                (a.1.sitting_id, &a.1.site, &a.1.room)
                    .cmp(&(b.1.sitting_id, &b.1.site, &b.1.room))
                    .then_with(|| a.0.cmp(&b.0))
            });
            rows.into_iter().map(|(_, r)| r).collect()
        };
        self.log_access(
            staff,
            "view_roster",
            format!("event {event}: {} row(s)", rows.len()),
        )
        .await?;
        Ok(rows)
    }

    /// Reads a roster file for `event`; stores it when `commit` and the
    /// report has no error. All or nothing.
    pub async fn import_roster(
        &self,
        staff: &Session,
        event: EventId,
        bytes: &[u8],
        commit: bool,
    ) -> Result<RosterImportReport, ErrorBody> {
        let _plan = self.plan_lock.lock().await;
        let ImportPlan { ctx, shifts, rooms } = self.import_context(staff, event)?;
        // Parsing a large workbook takes a while: off the async workers.
        let bytes = bytes.to_vec();
        let mut preview = tokio::task::spawn_blocking(move || {
            read_sheets(&bytes).map(|sheets| import_roster(&sheets, &ctx))
        })
        .await
        .map_err(|_| ErrorBody::new(ErrorCode::Internal, "the roster reader failed"))?
        .map_err(|e| ErrorBody::new(ErrorCode::Invalid, e.to_string()))?;
        // Numbers are typed back at the join form in any case.
        for c in &mut preview.candidates {
            c.candidate_number = c.candidate_number.take().map(|n| n.trim().to_uppercase());
        }
        if preview.candidates.len() > MAX_ROSTER_ROWS {
            return Err(ErrorBody::new(
                ErrorCode::TooLarge,
                format!("at most {MAX_ROSTER_ROWS} candidates per import"),
            ));
        }
        self.check_against_registered(event, &mut preview.candidates, &mut preview.errors);
        let mut numbered = 0;
        if preview.errors.is_empty() && !preview.candidates.is_empty() {
            let capacity: Vec<RoomCapacity> = rooms
                .iter()
                .map(|r| RoomCapacity {
                    site: r.site.clone(),
                    room: r.room.clone(),
                    seats: r.seats,
                })
                .collect();
            let shift_names: Vec<String> = shifts.iter().map(|s| s.name.clone()).collect();
            // Earlier imports hold their seats and numbers: they go in first,
            // placed, so the shared allocation and numbering work around
            // them, and come out again after.
            let earlier = self.earlier_registrations(event, staff);
            let in_my_rooms: Vec<ImportedCandidate> = earlier
                .iter()
                .filter(|e| {
                    rooms.iter().any(|r| {
                        Some(&r.site) == e.site.as_ref() && Some(&r.room) == e.room.as_ref()
                    })
                })
                .cloned()
                .collect();
            let placed = with_earlier(&in_my_rooms, &mut preview.candidates, |all| {
                allocate(all, &capacity, &shift_names)
            });
            if let Err(e) = placed {
                preview.errors.push(RowIssue {
                    sheet: String::new(),
                    row: 0,
                    column: String::new(),
                    field: "room".into(),
                    code: e.code().into(),
                    message: e.message(),
                    value: String::new(),
                });
            }
            let before = preview
                .candidates
                .iter()
                .filter(|c| c.candidate_number.is_none())
                .count();
            let prefix = self.number_prefix(event);
            let numbers = with_earlier(&earlier, &mut preview.candidates, |all| {
                assign_candidate_numbers(all, &prefix, NUMBER_WIDTH)
            });
            match numbers {
                Ok(_) => numbered = before,
                Err(e) => preview.errors.push(RowIssue {
                    sheet: String::new(),
                    row: 0,
                    column: String::new(),
                    field: "candidate_number".into(),
                    code: e.code().into(),
                    message: e.message(),
                    value: String::new(),
                }),
            }
        }
        let placements = if preview.errors.is_empty() {
            self.place_candidates(&preview.candidates, &shifts, &rooms, &mut preview.errors)
        } else {
            Vec::new()
        };
        let acceptable = preview.errors.is_empty() && !preview.candidates.is_empty();
        let mut report = RosterImportReport {
            committed: false,
            candidates: preview.candidates.len() as u32,
            numbered: numbered as u32,
            codes: Vec::new(),
            preview,
        };
        if !commit || !acceptable {
            return Ok(report);
        }
        report.codes = self
            .store_roster(
                staff,
                event,
                &report.preview.candidates,
                &placements,
                &shifts,
            )
            .await?;
        report.committed = true;
        Ok(report)
    }

    /// What the importer matches names against, from the plan as `staff`
    /// sees it.
    fn import_context(&self, staff: &Session, event: EventId) -> Result<ImportPlan, ErrorBody> {
        let plan = self.catalog.plan();
        plan.unpublished_event(event)?;
        let shifts: Vec<ShiftSlot> = plan
            .shifts_of(event)
            .iter()
            .map(|s| ShiftSlot {
                name: s.shift.clone(),
                sitting: s.id,
                requires_card: s.requires_card,
            })
            .collect();
        if shifts.is_empty() {
            return Err(ErrorBody::new(
                ErrorCode::Invalid,
                "plan the event's shifts (ca thi) before importing its roster",
            ));
        }
        let sites: Vec<(u64, String)> = plan
            .sites
            .values()
            .filter(|s| staff.site_id.is_none_or(|own| own == s.id))
            .map(|s| (s.id, s.name.clone()))
            .collect();
        let rooms: Vec<RoomSlot> = plan
            .rooms
            .values()
            .filter_map(|r| {
                let site = sites.iter().find(|(id, _)| *id == r.site_id)?;
                Some(RoomSlot {
                    site: site.1.clone(),
                    room: r.name.clone(),
                    id: r.id,
                    seats: r.seats,
                })
            })
            .collect();
        if rooms.is_empty() {
            return Err(ErrorBody::new(
                ErrorCode::Invalid,
                "add the sites' rooms before importing a roster",
            ));
        }
        let ctx = ImportContext {
            known_sites: sites.iter().map(|(_, n)| n.clone()).collect(),
            known_rooms: rooms
                .iter()
                .map(|r| (r.site.clone(), r.room.clone()))
                .collect(),
            known_shifts: shifts.iter().map(|s| s.name.clone()).collect(),
            default_site: (sites.len() == 1).then(|| sites[0].1.clone()),
            // Every shift checks cards: every row needs its CCCD (reported
            // at its cell); in a mixed event, `place_candidates` asks only
            // the card shifts' candidates.
            require_person_id: shifts.iter().all(|s| s.requires_card),
        };
        Ok(ImportPlan { ctx, shifts, rooms })
    }

    /// Refuses numbers and IDs that this event has already registered
    /// (an earlier import): one person, one registration per event.
    fn check_against_registered(
        &self,
        event: EventId,
        candidates: &mut [ImportedCandidate],
        errors: &mut Vec<RowIssue>,
    ) {
        let plan = self.catalog.plan();
        let sittings: HashSet<SittingId> = plan.shifts_of(event).iter().map(|s| s.id).collect();
        let mut numbers = HashSet::new();
        let mut people = HashSet::new();
        let mut pupils = HashSet::new();
        for e in plan.roster_entries() {
            if !sittings.contains(&e.sitting_id) {
                continue;
            }
            numbers.extend(e.candidate_number.clone());
            people.extend(e.person_id.clone());
            pupils.extend(e.pupil_id.clone());
        }
        for c in candidates.iter() {
            if let Some(n) = c.candidate_number.as_ref().filter(|n| numbers.contains(*n)) {
                errors.push(issue(
                    c,
                    "candidate_number",
                    "duplicate_candidate_number",
                    format!("candidate number {n} is already registered for this exam"),
                    n,
                ));
            }
            if let Some(p) = c.person_id.as_ref().filter(|p| people.contains(*p)) {
                errors.push(issue(
                    c,
                    "person_id",
                    "duplicate_person_id",
                    format!(
                        "ID {} is already registered for this exam",
                        crate::model::masked_id(p)
                    ),
                    &crate::model::masked_id(p),
                ));
            }
            if let Some(p) = c.pupil_id.as_ref().filter(|p| pupils.contains(*p)) {
                errors.push(issue(
                    c,
                    "pupil_id",
                    "duplicate_pupil_id",
                    format!("pupil ID {p} is already registered for this exam"),
                    p,
                ));
            }
        }
    }

    /// Everyone this event registered before, as the importer's candidates
    /// (numbers, and places named as the sheet would name them).
    fn earlier_registrations(&self, event: EventId, staff: &Session) -> Vec<ImportedCandidate> {
        let plan = self.catalog.plan();
        let shifts: HashMap<SittingId, String> = plan
            .shifts_of(event)
            .iter()
            .map(|s| (s.id, s.shift.clone()))
            .collect();
        plan.roster_entries()
            .filter(|e| shifts.contains_key(&e.sitting_id))
            .map(|e| {
                let room = plan
                    .rooms
                    .get(&e.room_id)
                    .filter(|_| plan.visible_to(staff, e.room_id));
                ImportedCandidate {
                    row: 0,
                    sheet: String::new(),
                    candidate_number: e.candidate_number.clone(),
                    full_name: e.name.clone(),
                    given_name: String::new(),
                    birth: None,
                    person_id: None,
                    pupil_id: None,
                    class: None,
                    site: room.map(|r| plan.site_name(r).to_owned()),
                    room: room.map(|r| r.name.clone()),
                    shift: Some(shifts[&e.sitting_id].clone()),
                    seat: e.seat,
                    sex: None,
                }
            })
            .collect()
    }

    /// Candidate numbers made here start with the event's number, so two
    /// events never share one.
    fn number_prefix(&self, event: EventId) -> String {
        format!("{event:02}")
    }

    /// Resolves each candidate's shift and room to ids and checks the
    /// rooms' seats with those registered earlier.
    fn place_candidates(
        &self,
        candidates: &[ImportedCandidate],
        shifts: &[ShiftSlot],
        rooms: &[RoomSlot],
        errors: &mut Vec<RowIssue>,
    ) -> Vec<Placement> {
        let plan = self.catalog.plan();
        let mut used: HashMap<(SittingId, RoomId), (u32, HashSet<u32>)> = HashMap::new();
        for e in plan.roster_entries() {
            let slot = used.entry((e.sitting_id, e.room_id)).or_default();
            slot.0 += 1;
            slot.1.extend(e.seat);
        }
        let mut out = Vec::with_capacity(candidates.len());
        for c in candidates {
            let shift = c
                .shift
                .as_ref()
                .and_then(|s| shifts.iter().find(|slot| fold(&slot.name) == fold(s)));
            let room = rooms.iter().find(|slot| {
                c.room.as_ref().is_some_and(|r| fold(r) == fold(&slot.room))
                    && c.site.as_ref().is_none_or(|s| fold(s) == fold(&slot.site))
            });
            let (Some(shift), Some(room)) = (shift, room) else {
                errors.push(issue(
                    c,
                    "room",
                    "unplaced",
                    "the candidate has no room or shift after allocation".into(),
                    c.room.as_deref().unwrap_or(""),
                ));
                continue;
            };
            let (sitting, room_name, seats) = (shift.sitting, &room.room, room.seats);
            let slot = used.entry((sitting, room.id)).or_default();
            slot.0 += 1;
            if slot.0 > seats {
                errors.push(issue(
                    c,
                    "room",
                    "room_full",
                    format!("{room_name} has {seats} seats in this shift, and they are taken"),
                    room_name,
                ));
            }
            if let Some(seat) = c.seat
                && !slot.1.insert(seat)
            {
                errors.push(issue(
                    c,
                    "seat",
                    "duplicate_seat",
                    format!("seat {seat} of {room_name} is already given in this shift"),
                    &seat.to_string(),
                ));
            }
            // The date of birth is the second thing a registered candidate
            // types (with the number, printed on the door lists).
            if c.birth.is_none() {
                errors.push(issue(
                    c,
                    "birth",
                    "birth_missing",
                    "registered candidates need their date of birth: they type it to join".into(),
                    "",
                ));
            }
            if shift.requires_card && c.person_id.is_none() {
                errors.push(issue(
                    c,
                    "person_id",
                    "person_id_missing",
                    "chip-ID rooms need the candidate's 12-digit ID (CCCD)".into(),
                    "",
                ));
            }
            out.push(Placement {
                sitting,
                room: room.id,
            });
        }
        out
    }

    /// Stores the candidates and the join codes of the rooms they fill, in
    /// one transaction, then adds them to the plan.
    async fn store_roster(
        &self,
        staff: &Session,
        event: EventId,
        candidates: &[ImportedCandidate],
        placements: &[Placement],
        shifts: &[ShiftSlot],
    ) -> Result<Vec<JoinCodeView>, ErrorBody> {
        let entries: Vec<RosterEntry> = candidates
            .iter()
            .zip(placements)
            .map(|(c, p)| RosterEntry {
                id: 0,
                sitting_id: p.sitting,
                room_id: p.room,
                person_id: c.person_id.clone(),
                birth: c.birth.map(|d| d.iso()),
                name: c.full_name.clone(),
                candidate_number: c.candidate_number.clone(),
                pupil_id: c.pupil_id.clone(),
                class: c.class.clone().unwrap_or_default(),
                school: c.site.clone().unwrap_or_default(),
                seat: c.seat,
            })
            .collect();
        let mut codes: Vec<JoinCode> = Vec::new();
        let mut rooms_of: HashMap<SittingId, Vec<RoomId>> = HashMap::new();
        for p in placements {
            let list = rooms_of.entry(p.sitting).or_default();
            if !list.contains(&p.room) {
                list.push(p.room);
            }
        }
        for (sitting, rooms) in rooms_of {
            let requires_card = shifts
                .iter()
                .any(|s| s.sitting == sitting && s.requires_card);
            let fresh = self.missing_codes(sitting, rooms, requires_card);
            // Codes of two shifts are drawn separately: keep them distinct.
            for c in fresh {
                if codes.iter().all(|o| o.code != c.code) {
                    codes.push(c);
                }
            }
        }
        let now = now_ms();
        let actor = format!("user:{}", staff.username);
        let detail = format!(
            "event {event}: {} candidate(s), {} new join code(s)",
            entries.len(),
            codes.len()
        );
        let (to_store, codes_to_store) = (entries.clone(), codes.clone());
        // Each registered person is a candidate from now on, so the
        // proctors' tables list the whole room ("not started" until they
        // join) and the join finds them by the same key.
        let keys: Vec<String> = entries
            .iter()
            .zip(placements)
            .map(|(e, p)| {
                let card_room = shifts
                    .iter()
                    .any(|s| s.sitting == p.sitting && s.requires_card);
                match (&e.candidate_number, &e.person_id) {
                    (_, Some(person)) if card_room => self.at_rest.card_key(person),
                    (Some(number), _) => number_key(number),
                    (None, Some(person)) => self.at_rest.card_key(person),
                    (None, None) => name_key(&e.name),
                }
            })
            .collect();
        let to_key = keys.clone();
        let at_rest = self.at_rest.clone();
        let (ids, candidate_ids) = self
            .store
            .write(move |txn| {
                let mut ids = Vec::with_capacity(to_store.len());
                let mut candidate_ids = Vec::with_capacity(to_store.len());
                for (e, key) in to_store.iter().zip(&to_key) {
                    ids.push(writes::insert_roster_entry(txn, e, &at_rest)?);
                    candidate_ids.push(writes::insert_candidate(
                        txn,
                        e.sitting_id,
                        e.room_id,
                        &e.name,
                        key,
                        e.candidate_number.as_deref(),
                    )?);
                }
                for c in &codes_to_store {
                    writes::insert_join_code(
                        txn,
                        &c.code,
                        c.sitting_id,
                        c.room_id,
                        c.requires_card,
                    )?;
                }
                writes::audit(txn, now, &actor, "roster_import", &detail)?;
                Ok((ids, candidate_ids))
            })
            .await
            .map_err(internal)?;
        let candidates: Vec<Candidate> = entries
            .iter()
            .zip(keys)
            .zip(candidate_ids)
            .map(|((e, key), id)| Candidate {
                id,
                sitting_id: e.sitting_id,
                room_id: e.room_id,
                name: e.name.clone(),
                key,
                candidate_number: e.candidate_number.clone(),
            })
            .collect();
        {
            let mut plan = self.catalog.plan_mut();
            for (mut e, id) in entries.into_iter().zip(ids) {
                e.id = id;
                plan.add_roster_entry(e);
            }
        }
        {
            let mut people = self.people.write().expect("people lock");
            for c in &candidates {
                people.add_candidate(c.clone());
            }
        }
        for c in &candidates {
            self.publish_row(c, None);
        }
        let mut plan = self.catalog.plan_mut();
        let mut views = Vec::new();
        for c in codes {
            if let Some(room) = plan.rooms.get(&c.room_id) {
                let registered = placements
                    .iter()
                    .filter(|p| (p.sitting, p.room) == (c.sitting_id, c.room_id))
                    .count() as u32;
                views.push(JoinCodeView {
                    code: c.code.clone(),
                    room_id: room.id,
                    room: room.name.clone(),
                    site: plan.site_name(room).to_owned(),
                    requires_card: c.requires_card,
                    registered,
                });
            }
            plan.join_codes.insert(c.code.clone(), c);
        }
        Ok(views)
    }
}
