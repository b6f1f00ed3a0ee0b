//! The office forms' checks: what they send, and what they refuse before
//! sending.

use super::*;

#[test]
fn a_shift_is_sent_as_the_relay_reads_it() {
    let mut draft = ShiftDraft {
        name: " Ca 1 ".into(),
        date: "5/9/2026".into(),
        start: "7h30".into(),
        minutes: "45".into(),
        exam_id: "toan-10".into(),
        requires_card: true,
        fullscreen: true,
        hard_stop: " 60 ".into(),
        room_ids: vec![],
    };
    draft.toggle_room(3);
    draft.toggle_room(4);
    draft.toggle_room(3);
    let shift = draft.request().unwrap();
    let mut next = draft.clone();
    next.clear_for_next();
    assert_eq!((next.name.as_str(), next.start.as_str()), ("", ""));
    assert_eq!(next.date, draft.date);
    assert_eq!(next.exam_id, draft.exam_id);
    assert!(next.room_ids.is_empty());
    assert_eq!(shift.name, "Ca 1");
    assert_eq!(shift.date, "05/09/2026");
    assert_eq!(shift.start, "07:30");
    assert_eq!(shift.minutes, 45);
    assert_eq!(shift.room_ids, vec![4]);
    assert!(shift.requires_card);
    assert!(shift.fullscreen);
    assert_eq!(shift.hard_stop_minutes, Some(60));
    // A date picker's ISO form is read too.
    draft.date = "2026-09-05".into();
    assert_eq!(draft.request().unwrap().date, "05/09/2026");
}

#[test]
fn a_shift_names_its_bad_field() {
    let good = ShiftDraft {
        name: "Ca 1".into(),
        date: "15/12/2026".into(),
        start: "07:30".into(),
        minutes: "45".into(),
        exam_id: "toan-10".into(),
        ..ShiftDraft::default()
    };
    assert!(good.request().is_ok());
    let bad = |edit: fn(&mut ShiftDraft)| {
        let mut draft = good.clone();
        edit(&mut draft);
        draft.request().unwrap_err()
    };
    assert_eq!(bad(|d| d.name = " ".into()), OfficeText::NeedName);
    assert_eq!(bad(|d| d.date = "31/02/2026".into()), OfficeText::BadDate);
    assert_eq!(bad(|d| d.date = "12/15/26".into()), OfficeText::BadDate);
    assert_eq!(bad(|d| d.start = "25:00".into()), OfficeText::BadTime);
    assert_eq!(bad(|d| d.minutes = "0".into()), OfficeText::BadMinutes);
    assert_eq!(bad(|d| d.minutes = "601".into()), OfficeText::BadMinutes);
    assert_eq!(bad(|d| d.exam_id.clear()), OfficeText::NeedPaper);
    assert_eq!(bad(|d| d.hard_stop = "30".into()), OfficeText::BadHardStop);
    assert_eq!(
        bad(|d| d.hard_stop = "1441".into()),
        OfficeText::BadHardStop
    );
    assert_eq!(good.request().unwrap().hard_stop_minutes, None);
}

#[test]
fn rooms_default_to_24_seats() {
    let room = |seats: &str| {
        RoomDraft {
            name: "P.01".into(),
            seats: seats.into(),
        }
        .request(7)
    };
    assert_eq!(room("").unwrap().seats, 24);
    assert_eq!(room(" 30 ").unwrap().seats, 30);
    assert_eq!(room("0").unwrap_err(), OfficeText::BadSeats);
    assert_eq!(room("ba mươi").unwrap_err(), OfficeText::BadSeats);
    assert_eq!(room("30").unwrap().site_id, 7);
}

#[test]
fn events_and_sites_need_a_name() {
    assert_eq!(
        EventDraft::default().request().unwrap_err(),
        OfficeText::NeedName
    );
    let event = EventDraft {
        name: " Kiểm tra cuối kỳ I ".into(),
        subject: "Toán".into(),
    };
    assert_eq!(event.request().unwrap().name, "Kiểm tra cuối kỳ I");
    let site = SiteDraft {
        name: "THPT Chu Văn An".into(),
        code: " CVA ".into(),
    };
    assert_eq!(site.request().unwrap().code, "CVA");
}

#[test]
fn room_proctors_need_a_room_of_their_site() {
    let mut draft = AccountDraft {
        username: "gt01".into(),
        display_name: "Nguyễn Thị Hoa".into(),
        ..AccountDraft::default()
    };
    assert_eq!(draft.request().unwrap_err(), OfficeText::NeedRoom);
    draft.set_site(Some(1));
    draft.room_id = Some(5);
    let account = draft.request().unwrap();
    assert_eq!((account.site_id, account.room_id), (Some(1), Some(5)));
    // Another site drops the room chosen for the first.
    draft.set_site(Some(2));
    assert_eq!(draft.room_id, None);
    draft.role = Role::CentralProctor;
    assert_eq!(draft.request().unwrap().room_id, None);
    draft.username = "gt 01".into();
    assert_eq!(draft.request().unwrap_err(), OfficeText::BadUsername);
}

#[test]
fn only_a_teacher_carries_a_subject() {
    let mut draft = AccountDraft {
        username: "gv.toan".into(),
        display_name: "Cô Lan".into(),
        role: Role::Teacher,
        subject: " Toán ".into(),
        ..AccountDraft::default()
    };
    assert_eq!(draft.request().unwrap().subject, "Toán");
    draft.role = Role::CentralProctor;
    assert_eq!(
        draft.request().unwrap().subject,
        "",
        "a subject typed before the role changed is not sent"
    );
}

#[test]
fn roles_round_trip_through_their_codes() {
    for role in ROLES {
        assert_eq!(role_from_code(role_code(role)), Some(role));
        let wire = serde_json::to_value(role).unwrap();
        assert_eq!(wire, role_code(role), "the option value is the wire name");
    }
    assert_eq!(role_from_code("admin"), None);
}

#[test]
fn setup_needs_a_long_password_typed_twice() {
    let mut draft = SetupDraft {
        username: "hoidongthi".into(),
        display_name: "Hội đồng thi".into(),
        password: "ngắn".into(),
        confirm: "ngắn".into(),
    };
    assert_eq!(
        draft.request("t").unwrap_err(),
        OfficeText::PasswordShort(MIN_PASSWORD_CHARS)
    );
    // Characters, not bytes: ten Vietnamese letters are enough.
    draft.password = "đặtmậtkhẩu".into();
    assert_eq!(
        draft.request("t").unwrap_err(),
        OfficeText::PasswordMismatch
    );
    draft.confirm = draft.password.clone();
    let request = draft.request("abc123").unwrap();
    assert_eq!(request.token, "abc123");
    assert_eq!(request.username, "hoidongthi");
}

#[test]
fn the_setup_token_comes_from_the_query() {
    assert_eq!(setup_token("?setup=abc123"), Some("abc123".into()));
    assert_eq!(setup_token("?lang=vi&setup=xyz"), Some("xyz".into()));
    assert_eq!(setup_token("?setup="), None);
    assert_eq!(setup_token(""), None);
    assert_eq!(setup_token("?setupx=1"), None);
}
