//! Automatic room, seat and candidate-number allocation for a roster that
//! has none (or only some).
//!
//! Candidates the school already placed keep their room, shift and seat;
//! everyone else is seated in Vietnamese list order (given name, family and
//! middle name, birth date), shift by shift, room by room, seat 1 upwards,
//! so a room's door list is alphabetical. Candidate numbers follow the same
//! order and are never reused. Both are all or nothing: on an error the
//! candidates are left untouched.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::names::{SortKey, family_part, fold, sort_key_parts};
use super::preview::ImportedCandidate;

/// A room and how many candidates it seats (working machines in a
/// computer room; 24 is the graduation-exam norm).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomCapacity {
    pub site: String,
    pub room: String,
    pub seats: u32,
}

/// Why allocation left the candidates as they were.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum AllocationError {
    /// More candidates than free seats (at `site`, or in all when `None`).
    #[error("{needed} candidates need a seat but only {free} seats are free{}", at_site(.site))]
    NotEnoughSeats {
        site: Option<String>,
        needed: u32,
        free: u32,
    },
    #[error("sheet {sheet:?} row {row}: room {room:?} is not among the rooms to fill")]
    UnknownRoom {
        sheet: String,
        row: u32,
        room: String,
    },
    #[error("sheet {sheet:?} row {row}: shift {shift:?} is not among the shifts to fill")]
    UnknownShift {
        sheet: String,
        row: u32,
        shift: String,
    },
    /// Seats are free, but none fits this candidate's room, shift or seat.
    #[error("sheet {sheet:?} row {row}: no free seat fits what the roster says for this candidate")]
    NoSeatLeft { sheet: String, row: u32 },
    /// The fixed width cannot hold another number.
    #[error("every candidate number {prefix}… with {width} digits is already used")]
    NumbersExhausted { prefix: String, width: usize },
}

fn at_site(site: &Option<String>) -> String {
    site.as_ref().map_or(String::new(), |s| format!(" at {s}"))
}

impl AllocationError {
    /// The stable machine code (the JSON `code`).
    pub fn code(&self) -> &'static str {
        match self {
            AllocationError::NotEnoughSeats { .. } => "not_enough_seats",
            AllocationError::UnknownRoom { .. } => "unknown_room",
            AllocationError::UnknownShift { .. } => "unknown_shift",
            AllocationError::NoSeatLeft { .. } => "no_seat_left",
            AllocationError::NumbersExhausted { .. } => "numbers_exhausted",
        }
    }

    /// The English message.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

/// The list-order key of a candidate, honouring the school's own split of
/// the name.
fn list_key(c: &ImportedCandidate) -> SortKey {
    let family = family_part(&c.full_name, &c.given_name);
    let birth = c.birth.map(|d| d.iso());
    sort_key_parts(&family, &c.given_name, birth.as_deref())
}

/// A place to sit: shift index, room index, seat number.
type Slot = (usize, usize, u32);

/// Room, site and shift names folded once: they are compared for every
/// candidate and every slot.
struct Keys {
    site: Vec<String>,
    room: Vec<String>,
    shift: Vec<String>,
}

impl Keys {
    fn new(rooms: &[RoomCapacity], shifts: &[String]) -> Keys {
        Keys {
            site: rooms.iter().map(|r| fold(&r.site)).collect(),
            room: rooms.iter().map(|r| fold(&r.room)).collect(),
            shift: shifts.iter().map(|s| fold(s)).collect(),
        }
    }
}

/// What the roster already fixes about a candidate's place.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
struct Want {
    site: Option<String>,
    room: Option<usize>,
    shift: Option<usize>,
    seat: Option<u32>,
}

/// Seats the candidates without a complete place (room, seat, and shift
/// when there are shifts) in `rooms` × `shifts`. With no shifts, there is
/// one sitting and `shift` stays as it was.
///
/// Candidates with a site, room, shift or seat already are seated within
/// it, before the others, so a free candidate never takes the last seat a
/// bound one needed.
pub fn allocate(
    cands: &mut [ImportedCandidate],
    rooms: &[RoomCapacity],
    shifts: &[String],
) -> Result<(), AllocationError> {
    let sittings = shifts.len().max(1);
    let keys = Keys::new(rooms, shifts);
    let wants = cands
        .iter()
        .map(|c| want(c, &keys))
        .collect::<Result<Vec<_>, _>>()?;
    let placed = |i: usize| {
        wants[i].room.is_some()
            && wants[i].seat.is_some()
            && (shifts.is_empty() || wants[i].shift.is_some())
    };

    // Every slot, in filling order.
    let slots: Vec<Slot> = (0..sittings)
        .flat_map(|s| {
            rooms
                .iter()
                .enumerate()
                .flat_map(move |(r, room)| (1..=room.seats).map(move |seat| (s, r, seat)))
        })
        .collect();
    let index: HashMap<Slot, usize> = slots.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let mut taken = vec![false; slots.len()];
    for i in (0..cands.len()).filter(|&i| placed(i)) {
        let w = &wants[i];
        let slot = (
            w.shift.unwrap_or(0),
            w.room.unwrap_or(0),
            w.seat.unwrap_or(0),
        );
        if let Some(&k) = index.get(&slot) {
            taken[k] = true;
        }
    }

    let mut todo: Vec<usize> = (0..cands.len()).filter(|&i| !placed(i)).collect();
    check_capacity(&todo, &wants, rooms, &keys, &slots, &taken)?;

    // Bound candidates first (room or seat, then site or shift), each group
    // in list order.
    let tier = |w: &Want| match w {
        Want { room: Some(_), .. } | Want { seat: Some(_), .. } => 0,
        Want { site: Some(_), .. } | Want { shift: Some(_), .. } => 1,
        _ => 2,
    };
    let order: Vec<SortKey> = cands.iter().map(list_key).collect();
    todo.sort_by(|&a, &b| {
        tier(&wants[a])
            .cmp(&tier(&wants[b]))
            .then_with(|| order[a].cmp(&order[b]))
    });

    // Candidates with the same wants accept the same slots, so each such
    // group's search resumes where its previous member stopped.
    let mut cursors: HashMap<&Want, usize> = HashMap::new();
    let mut chosen: Vec<(usize, Slot)> = Vec::with_capacity(todo.len());
    for &i in &todo {
        let w = &wants[i];
        let start = cursors.get(w).copied().unwrap_or(0);
        let fits = |&(s, r, seat): &Slot| {
            w.site.as_ref().is_none_or(|site| keys.site[r] == *site)
                && w.room.is_none_or(|room| room == r)
                && w.shift.is_none_or(|shift| shift == s)
                && w.seat.is_none_or(|want| want == seat)
        };
        let Some(k) = (start..slots.len()).find(|&k| !taken[k] && fits(&slots[k])) else {
            return Err(AllocationError::NoSeatLeft {
                sheet: cands[i].sheet.clone(),
                row: cands[i].row,
            });
        };
        taken[k] = true;
        cursors.insert(w, k + 1);
        chosen.push((i, slots[k]));
    }

    for (i, (s, r, seat)) in chosen {
        let c = &mut cands[i];
        c.site = Some(rooms[r].site.clone());
        c.room = Some(rooms[r].room.clone());
        if let Some(shift) = shifts.get(s) {
            c.shift = Some(shift.clone());
        }
        c.seat = Some(seat);
    }
    Ok(())
}

/// A candidate's fixed place, resolved against `rooms` and `shifts`.
fn want(c: &ImportedCandidate, keys: &Keys) -> Result<Want, AllocationError> {
    let site = c.site.as_deref().map(fold);
    let room = match &c.room {
        None => None,
        Some(name) => {
            let folded = fold(name);
            let found = (0..keys.room.len()).position(|r| {
                keys.room[r] == folded && site.as_ref().is_none_or(|s| keys.site[r] == *s)
            });
            Some(found.ok_or_else(|| AllocationError::UnknownRoom {
                sheet: c.sheet.clone(),
                row: c.row,
                room: name.clone(),
            })?)
        }
    };
    let shift = match &c.shift {
        // Without shifts to fill, a shift in the roster is kept as it is.
        Some(_) if keys.shift.is_empty() => None,
        None => None,
        Some(name) => {
            let folded = fold(name);
            Some(
                keys.shift
                    .iter()
                    .position(|s| *s == folded)
                    .ok_or_else(|| AllocationError::UnknownShift {
                        sheet: c.sheet.clone(),
                        row: c.row,
                        shift: name.clone(),
                    })?,
            )
        }
    };
    Ok(Want {
        site,
        room,
        shift,
        seat: c.seat,
    })
}

/// Fails early, with counts, when the seats cannot suffice: in total, or
/// at a site its candidates are bound to.
fn check_capacity(
    todo: &[usize],
    wants: &[Want],
    rooms: &[RoomCapacity],
    keys: &Keys,
    slots: &[Slot],
    taken: &[bool],
) -> Result<(), AllocationError> {
    let free_where = |site: Option<&String>| {
        slots
            .iter()
            .zip(taken)
            .filter(|((_, r, _), t)| !**t && site.is_none_or(|s| keys.site[*r] == *s))
            .count() as u32
    };
    let needed = todo.len() as u32;
    let free = free_where(None);
    if needed > free {
        return Err(AllocationError::NotEnoughSeats {
            site: None,
            needed,
            free,
        });
    }
    let mut per_site: Vec<(String, u32)> = Vec::new();
    for &i in todo {
        let site = match (&wants[i].site, wants[i].room) {
            (Some(site), _) => site.clone(),
            (None, Some(r)) => keys.site[r].clone(),
            (None, None) => continue,
        };
        match per_site.iter_mut().find(|(s, _)| *s == site) {
            Some((_, n)) => *n += 1,
            None => per_site.push((site, 1)),
        }
    }
    for (site, needed) in per_site {
        let free = free_where(Some(&site));
        if needed > free {
            let name = keys
                .site
                .iter()
                .position(|k| *k == site)
                .map_or(site.clone(), |r| rooms[r].site.clone());
            return Err(AllocationError::NotEnoughSeats {
                site: Some(name),
                needed,
                free,
            });
        }
    }
    Ok(())
}

/// Gives candidate numbers `prefix` + a zero-padded running number of
/// `width` digits (`"TN"`, 4 → `TN0001`) to the candidates without one, in
/// list order, skipping every number already in the roster. Returns how
/// many were given. A `width` of 0 means no padding and no limit.
pub fn assign_candidate_numbers(
    cands: &mut [ImportedCandidate],
    prefix: &str,
    width: usize,
) -> Result<usize, AllocationError> {
    let used: HashSet<String> = cands
        .iter()
        .filter_map(|c| c.candidate_number.as_ref())
        .map(|n| n.to_uppercase())
        .collect();
    let mut todo: Vec<usize> = (0..cands.len())
        .filter(|&i| cands[i].candidate_number.is_none())
        .collect();
    let keys: Vec<SortKey> = cands.iter().map(list_key).collect();
    todo.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
    let limit = match width {
        0 => None,
        w => 10u64.checked_pow(w as u32),
    };
    let mut next = 1u64;
    let mut given = Vec::with_capacity(todo.len());
    for &i in &todo {
        let number = loop {
            if limit.is_some_and(|l| next >= l) {
                return Err(AllocationError::NumbersExhausted {
                    prefix: prefix.to_owned(),
                    width,
                });
            }
            let number = format!("{prefix}{next:0width$}");
            next += 1;
            if !used.contains(&number.to_uppercase()) {
                break number;
            }
        };
        given.push((i, number));
    }
    let count = given.len();
    for (i, number) in given {
        cands[i].candidate_number = Some(number);
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::office::dates::Date;

    fn cand(full_name: &str, row: u32) -> ImportedCandidate {
        ImportedCandidate {
            row,
            sheet: "12A1".into(),
            candidate_number: None,
            full_name: full_name.into(),
            given_name: full_name.rsplit(' ').next().unwrap().into(),
            birth: Some(Date::new(2008, 1, 1).unwrap()),
            person_id: None,
            pupil_id: None,
            class: None,
            site: None,
            room: None,
            shift: None,
            seat: None,
            sex: None,
        }
    }

    fn room(site: &str, name: &str, seats: u32) -> RoomCapacity {
        RoomCapacity {
            site: site.into(),
            room: name.into(),
            seats,
        }
    }

    /// Given names already in Vietnamese order (sorted by hand).
    const GIVEN: [&str; 24] = [
        "An", "Anh", "Ánh", "Ân", "Bảo", "Bình", "Châu", "Chi", "Cường", "Dũng", "Duy", "Đạt",
        "Đức", "Giang", "Hà", "Hải", "Hạnh", "Hoà", "Hòa", "Hùng", "Huy", "Khánh", "Lan", "Linh",
    ];
    const FAMILY: [&str; 2] = ["Nguyễn Văn", "Trần Thị"];

    /// The k-th person of the list in Vietnamese order.
    fn listed(k: usize) -> String {
        format!("{} {}", FAMILY[k % 2], GIVEN[k / 2])
    }

    /// `n` people (at most 48) in a scrambled order.
    fn scrambled(n: usize) -> Vec<ImportedCandidate> {
        // 7 is coprime with 48: a permutation of 0..48.
        (0..48)
            .map(|i| (i * 7) % 48)
            .filter(|&k| k < n)
            .enumerate()
            .map(|(i, k)| cand(&listed(k), i as u32 + 2))
            .collect()
    }

    fn two_rooms() -> Vec<RoomCapacity> {
        vec![
            room("THPT A", "Phòng 01", 24),
            room("THPT A", "Phòng 02", 24),
        ]
    }

    #[test]
    fn fills_two_rooms_of_24_in_list_order() {
        let mut cands = scrambled(48);
        allocate(&mut cands, &two_rooms(), &[]).unwrap();
        for k in 0..48 {
            let c = cands.iter().find(|c| c.full_name == listed(k)).unwrap();
            let want_room = if k < 24 { "Phòng 01" } else { "Phòng 02" };
            assert_eq!(
                (c.room.as_deref(), c.seat),
                (Some(want_room), Some(k as u32 % 24 + 1)),
                "{}",
                c.full_name
            );
            assert_eq!(c.site.as_deref(), Some("THPT A"));
            assert_eq!(c.shift, None);
        }
    }

    #[test]
    fn not_enough_seats_leaves_everyone_unplaced() {
        let mut cands = scrambled(48);
        cands.push(cand("Vũ Thị Yến", 50));
        let before = cands.clone();
        let err = allocate(&mut cands, &two_rooms(), &[]).unwrap_err();
        assert_eq!(
            err,
            AllocationError::NotEnoughSeats {
                site: None,
                needed: 49,
                free: 48
            }
        );
        assert_eq!(err.code(), "not_enough_seats");
        assert_eq!(
            err.message(),
            "49 candidates need a seat but only 48 seats are free"
        );
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["code"], "not_enough_seats");
        assert_eq!(json["needed"], 49);
        assert_eq!(cands, before);
    }

    #[test]
    fn placed_candidates_keep_their_seats_and_shifts_fill_in_order() {
        let shifts = ["Ca 1".to_owned(), "Ca 2".to_owned()];
        let rooms = [room("THPT A", "Phòng 01", 2)];
        let mut cands = vec![
            cand("Lê An", 2),
            cand("Lê Bình", 3),
            cand("Lê Chi", 4),
            cand("Lê Dũng", 5),
        ];
        cands[2].room = Some("Phòng 01".into());
        cands[2].shift = Some("Ca 1".into());
        cands[2].seat = Some(1);
        cands[3].shift = Some("ca 2".into());
        allocate(&mut cands, &rooms, &shifts).unwrap();
        let place = |c: &ImportedCandidate| (c.shift.clone().unwrap(), c.seat.unwrap());
        assert_eq!(place(&cands[2]), ("Ca 1".into(), 1));
        // Bound to Ca 2, seated before the free candidates.
        assert_eq!(place(&cands[3]), ("Ca 2".into(), 1));
        // Then in list order: Ca 1 fills up before Ca 2.
        assert_eq!(place(&cands[0]), ("Ca 1".into(), 2));
        assert_eq!(place(&cands[1]), ("Ca 2".into(), 2));
    }

    #[test]
    fn candidates_stay_at_their_site() {
        let rooms = [room("THPT A", "Phòng 01", 2), room("THCS B", "Phòng 01", 2)];
        let mut cands = vec![cand("Lê An", 2), cand("Lê Bình", 3), cand("Lê Chi", 4)];
        cands[2].site = Some("THCS B".into());
        allocate(&mut cands, &rooms, &[]).unwrap();
        assert_eq!(cands[2].site.as_deref(), Some("THCS B"));
        assert_eq!(cands[2].seat, Some(1));
        assert_eq!(cands[0].site.as_deref(), Some("THPT A"));
        assert_eq!(cands[1].site.as_deref(), Some("THPT A"));

        // Four seats in all, but three candidates bound to a two-seat site.
        let mut cands = vec![cand("Lê An", 2), cand("Lê Bình", 3), cand("Lê Chi", 4)];
        for c in &mut cands {
            c.site = Some("THCS B".into());
        }
        assert_eq!(
            allocate(&mut cands, &rooms, &[]),
            Err(AllocationError::NotEnoughSeats {
                site: Some("THCS B".into()),
                needed: 3,
                free: 2
            })
        );
    }

    #[test]
    fn rooms_and_shifts_must_be_among_those_filled() {
        let mut cands = vec![cand("Lê An", 7)];
        cands[0].room = Some("Phòng 09".into());
        let err = allocate(&mut cands, &two_rooms(), &[]).unwrap_err();
        assert_eq!(err.code(), "unknown_room");
        assert!(matches!(err, AllocationError::UnknownRoom { row: 7, .. }));

        let mut cands = vec![cand("Lê An", 7)];
        cands[0].shift = Some("Ca 3".into());
        let err = allocate(&mut cands, &two_rooms(), &["Ca 1".into()]).unwrap_err();
        assert_eq!(err.code(), "unknown_shift");
    }

    #[test]
    fn candidate_numbers_follow_list_order_and_skip_used_ones() {
        let mut cands = vec![
            cand("Đỗ Văn Đức", 2),
            cand("Nguyễn Văn An", 3),
            cand("Trần Thị Ân", 4),
            cand("Lê Văn Anh", 5),
            cand("Phạm Thị Ánh", 6),
            cand("Vũ Văn Yên", 7),
        ];
        cands[2].candidate_number = Some("TN0002".into());
        cands[5].candidate_number = Some("tn0004".into());
        assert_eq!(assign_candidate_numbers(&mut cands, "TN", 4), Ok(4));
        let numbers: Vec<&str> = cands
            .iter()
            .map(|c| c.candidate_number.as_deref().unwrap())
            .collect();
        // An → 0001, Anh → 0003, Ánh → 0005, Đức → 0006; 0002 and 0004
        // were taken.
        assert_eq!(
            numbers,
            ["TN0006", "TN0001", "TN0002", "TN0003", "TN0005", "tn0004"]
        );
    }

    #[test]
    fn candidate_numbers_never_overflow_their_width() {
        let mut cands = scrambled(10);
        let before = cands.clone();
        let err = assign_candidate_numbers(&mut cands, "P", 1).unwrap_err();
        assert_eq!(err.code(), "numbers_exhausted");
        assert_eq!(cands, before);
        assert_eq!(assign_candidate_numbers(&mut cands, "P", 2), Ok(10));
        assert!(
            cands
                .iter()
                .all(|c| c.candidate_number.as_ref().unwrap().len() == 3)
        );
    }
}
