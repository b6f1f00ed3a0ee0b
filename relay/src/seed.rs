//! The demo: one Math exam, one site with two rooms, a few candidates, join
//! codes and proctor accounts. Run on first start so a fresh install can be
//! tried at once; tests call it with a short duration.

use crate::store::db::{Db, DbError};
use examgate_cardsim::person::Student;
use examgate_shared::Millis;
use examgate_shared::exam::Exam;
use examgate_shared::protocol::Role;

use crate::at_rest::AtRest;
use crate::auth::{hash_password, random_password};
use crate::model::{RosterEntry, Sitting, User, name_key};
use crate::store::writes;

/// The demo exam: Math questions in Vietnamese, with TeX.
pub use crate::rehearsal::{SAMPLE_EXAM_JSON as DEMO_EXAM_JSON, sample_exam as demo_exam};

/// What to seed.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// The exam window (relay time).
    pub opens_at: Millis,
    pub closes_at: Millis,
    /// Working time per attempt; the exam's own duration when `None`.
    pub duration_ms: Option<Millis>,
    /// Passwords to use instead of random ones (tests).
    pub fixed_password: Option<String>,
    /// Another exam instead of the demo's (tests).
    pub exam: Option<Exam>,
    /// The roster of the chip-ID room (synthetic students; their cards come
    /// from `examgate_cardsim` with the same seed).
    pub card_students: Vec<Student>,
}

/// Seeds of the demo's synthetic card holders and test PKI: the software
/// bridge and the tests make the same cards from them.
pub const DEMO_CARD_SEED: u64 = 2026;
pub const DEMO_PKI_SEED: u64 = 9303;

/// The chip-ID room's roster in the demo.
pub fn demo_card_students() -> Vec<Student> {
    (0..4)
        .map(|i| Student::synthetic(DEMO_CARD_SEED, i))
        .collect()
}

impl DemoOptions {
    /// Open from a minute ago for 30 days, the exam's own 45 minutes.
    pub fn starting(now: Millis) -> Self {
        DemoOptions {
            opens_at: now - 60_000,
            closes_at: now + 30 * 24 * 3_600_000,
            duration_ms: None,
            fixed_password: None,
            exam: None,
            card_students: demo_card_students(),
        }
    }
}

/// A sign-in created by the seed, with its password in clear (shown once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    pub username: String,
    pub password: String,
    pub role: Role,
    pub scope: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoInfo {
    /// (code, room name)
    pub join_codes: Vec<(String, String)>,
    pub credentials: Vec<Credential>,
}

const SITE: &str = "THPT Phan Đình Phùng";
/// The room whose candidates check in with their chip ID card.
const CARD_ROOM: (&str, &str) = ("Phòng 03 (CCCD)", "TOAN-P03");
const ROOMS: [(&str, &str, [&str; 3]); 2] = [
    (
        "Phòng 01",
        "TOAN-P01",
        ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường"],
    ),
    (
        "Phòng 02",
        "TOAN-P02",
        ["Phạm Minh Đức", "Hoàng Thu Hà", "Vũ Quốc Huy"],
    ),
];

/// Writes the demo into an empty database, inside the caller's transaction
/// (so a start that stops half way seeds nothing).
pub fn seed_demo(db: Db<'_>, opts: &DemoOptions, at_rest: &AtRest) -> Result<DemoInfo, DbError> {
    let exam = opts.exam.clone().unwrap_or_else(demo_exam);
    let duration = opts
        .duration_ms
        .unwrap_or(Millis::from(exam.duration_secs) * 1000);
    writes::insert_exam(db, &exam)?;
    let site = writes::insert_site(db, SITE, "")?;
    let sitting = writes::insert_sitting(
        db,
        &Sitting::stand_alone(&exam.id, opts.opens_at, opts.closes_at, duration),
    )?;
    let password = |fixed: &Option<String>| fixed.clone().unwrap_or_else(random_password);
    let mut info = DemoInfo {
        join_codes: Vec::new(),
        credentials: Vec::new(),
    };
    let mut add_user = |txn: Db<'_>,
                        username: &str,
                        role: Role,
                        room_id: Option<u64>,
                        display: &str,
                        scope: &str|
     -> Result<(), DbError> {
        let pw = password(&opts.fixed_password);
        writes::insert_user(
            txn,
            &User {
                username: username.into(),
                password_hash: hash_password(&pw),
                role,
                room_id,
                site_id: None,
                display_name: display.into(),
                disabled: false,
                // The demo's teacher authors the demo's subject.
                subject: if role == Role::Teacher {
                    "Toán".into()
                } else {
                    String::new()
                },
            },
        )?;
        info.credentials.push(Credential {
            username: username.into(),
            password: pw,
            role,
            scope: scope.into(),
        });
        Ok(())
    };
    add_user(
        db,
        "central",
        Role::CentralProctor,
        None,
        "Sở GD&ĐT — giám sát trung tâm",
        "all rooms",
    )?;
    let mut codes = Vec::new();
    for (i, (room_name, code, names)) in ROOMS.iter().enumerate() {
        let room = writes::insert_room(db, site, room_name, 24)?;
        writes::insert_join_code(db, code, sitting, room, false)?;
        codes.push((code.to_string(), room_name.to_string()));
        for name in names {
            writes::insert_candidate(db, sitting, room, name, &name_key(name), None)?;
        }
        let username = format!("phong{:02}", i + 1);
        add_user(
            db,
            &username,
            Role::RoomProctor,
            Some(room),
            &format!("Giám thị {room_name}"),
            room_name,
        )?;
    }
    // The chip-ID room: no name joins, a roster of card holders.
    let room = writes::insert_room(db, site, CARD_ROOM.0, 24)?;
    writes::insert_join_code(db, CARD_ROOM.1, sitting, room, true)?;
    codes.push((CARD_ROOM.1.to_string(), CARD_ROOM.0.to_string()));
    for student in &opts.card_students {
        let b = student.birth;
        writes::insert_roster_entry(
            db,
            &RosterEntry {
                sitting_id: sitting,
                room_id: room,
                person_id: Some(student.id12.clone()),
                birth: Some(format!("{:04}-{:02}-{:02}", b.year, b.month, b.day)),
                name: student.full_name.clone(),
                ..RosterEntry::default()
            },
            at_rest,
        )?;
        // Registered card holders are rows before they check in, as an
        // office import makes them, so the room's table lists who is due.
        writes::insert_candidate(
            db,
            sitting,
            room,
            &student.full_name,
            &at_rest.card_key(&student.id12),
            None,
        )?;
    }
    add_user(
        db,
        "phong03",
        Role::RoomProctor,
        Some(room),
        &format!("Giám thị {}", CARD_ROOM.0),
        CARD_ROOM.0,
    )?;
    add_user(
        db,
        "hoidong",
        Role::ExamOffice,
        None,
        "Hội đồng thi (demo)",
        "the whole exam: plan, reopen attempts, hand in",
    )?;
    add_user(
        db,
        "giaovien",
        Role::Teacher,
        None,
        "Giáo viên Toán",
        "exams and results",
    )?;
    info.join_codes = codes;
    Ok(info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_exam_has_ten_plus_questions_with_tex() {
        let exam = demo_exam();
        assert!(exam.questions.len() >= 10);
        assert!(
            exam.questions
                .iter()
                .filter(|q| q.text.contains("\\("))
                .count()
                >= 5
        );
    }

    #[test]
    fn seeds_and_loads_back() {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::store::open(&dir.path().join("db.sqlite3")).unwrap();
        assert!(crate::store::is_empty(Db::sqlite(&conn)).unwrap());
        let at_rest = AtRest::with_key(&[3; 32]);
        let info = seed_demo(
            Db::sqlite(&conn),
            &DemoOptions::starting(1_000_000),
            &at_rest,
        )
        .unwrap();
        assert_eq!(info.join_codes.len(), 3);
        assert_eq!(info.credentials.len(), 6);
        let loaded = crate::store::load(Db::sqlite(&conn), &at_rest).unwrap();
        assert_eq!(loaded.rooms.len(), 3);
        assert_eq!(loaded.roster.len(), 4);
        assert_eq!(
            loaded.join_codes.iter().filter(|c| c.requires_card).count(),
            1
        );
        // Six typed-name candidates, and the card room's four registered
        // card holders listed before they check in.
        assert_eq!(loaded.candidates.len(), 10);
        assert_eq!(loaded.users.len(), 6);
        assert!(!crate::store::is_empty(Db::sqlite(&conn)).unwrap());
    }
}
