//! The office reducer's transitions.

use examgate_shared::error::ErrorBody;
use examgate_shared::office::api::EventView;
use examgate_shared::office::{ImportedCandidate, RosterPreview, RowIssue};
use examgate_shared::protocol::Role;

use super::*;

fn run(actions: impl IntoIterator<Item = OfficeAction>) -> Rc<OfficeState> {
    actions
        .into_iter()
        .fold(Rc::new(OfficeState::default()), |s, a| s.reduce(a))
}

fn plan(event_ids: &[u64]) -> PlanView {
    PlanView {
        events: event_ids
            .iter()
            .map(|&id| EventView {
                id,
                name: format!("Kỳ thi {id}"),
                subject: String::new(),
                published_at: None,
                published: None,
                shifts: vec![],
            })
            .collect(),
        sites: vec![],
        papers: vec![],
        accounts: vec![],
    }
}

fn refused(code: ErrorCode, message: &str) -> HttpError {
    HttpError::Relay(ErrorBody::new(code, message))
}

fn candidate(row: u32) -> ImportedCandidate {
    ImportedCandidate {
        row,
        sheet: "12A1".into(),
        candidate_number: None,
        full_name: "Nguyễn Văn An".into(),
        given_name: "An".into(),
        birth: None,
        person_id: None,
        pupil_id: None,
        class: Some("12A1".into()),
        site: None,
        room: None,
        shift: None,
        seat: None,
        sex: None,
    }
}

fn report(errors: usize, committed: bool) -> RosterImportReport {
    let issue = RowIssue {
        sheet: "12A1".into(),
        row: 5,
        column: "D".into(),
        field: "birth".into(),
        code: "birth_invalid".into(),
        message: "the birth date is not valid".into(),
        value: "31/02/2008".into(),
    };
    RosterImportReport {
        preview: RosterPreview {
            candidates: vec![candidate(4), candidate(5)],
            errors: vec![issue; errors],
            ..RosterPreview::default()
        },
        committed,
        candidates: if committed { 2 } else { 0 },
        numbered: 0,
        codes: vec![],
    }
}

fn slip(username: &str, password: &str) -> AccountSlip {
    AccountSlip {
        username: username.into(),
        password: password.into(),
        display_name: "Cô Hoa".into(),
        role: Role::RoomProctor,
        scope: "P.01 — THPT A".into(),
    }
}

#[test]
fn a_reload_keeps_the_plan_on_show() {
    let s = run([
        OfficeAction::PlanLoading,
        OfficeAction::PlanLoaded(Ok(plan(&[1]))),
        OfficeAction::PlanLoading,
    ]);
    assert!(matches!(s.plan, Load::Ready(_)), "forms must not unmount");
    assert_eq!(s.status_of(Section::Plan), Some(Status::Busy));
    let s = s.reduce(OfficeAction::PlanLoaded(Err(HttpError::Network)));
    assert!(matches!(s.plan, Load::Ready(_)));
    assert!(matches!(
        s.status_of(Section::Plan),
        Some(Status::Failed(_))
    ));
    let s = s.reduce(OfficeAction::PlanLoaded(Ok(plan(&[1, 2]))));
    assert_eq!(s.status_of(Section::Plan), None);
}

#[test]
fn the_first_plan_failure_is_the_page() {
    let s = run([
        OfficeAction::PlanLoading,
        OfficeAction::PlanLoaded(Err(refused(ErrorCode::Forbidden, "office only"))),
    ]);
    assert_eq!(s.plan, Load::Failed(Problem::Code(ErrorCode::Forbidden)));
    assert_eq!(s.signed_out, None);
}

#[test]
fn an_expired_session_signs_out_from_any_request() {
    let s = run([OfficeAction::Failed(
        Section::Event,
        Failure::from_http(&refused(ErrorCode::Unauthorized, "")),
    )]);
    assert_eq!(s.signed_out, Some(ErrorCode::Unauthorized));
    let s = run([OfficeAction::RosterAnswered(Err(Failure::from_http(
        &refused(ErrorCode::Unauthorized, ""),
    )))]);
    assert_eq!(s.signed_out, Some(ErrorCode::Unauthorized));
}

#[test]
fn sections_keep_their_own_status() {
    let s = run([
        OfficeAction::Sending(Section::Room(3)),
        OfficeAction::Failed(
            Section::Site,
            Failure::from_http(&refused(ErrorCode::Conflict, "site code CVA exists")),
        ),
    ]);
    assert_eq!(s.status_of(Section::Room(3)), Some(Status::Busy));
    assert_eq!(s.status_of(Section::Room(4)), None);
    let Some(Status::Failed(failure)) = s.status_of(Section::Site) else {
        panic!("the site form shows its refusal");
    };
    assert_eq!(failure.problem, Problem::Code(ErrorCode::Conflict));
    assert_eq!(failure.detail, Detail::Relay("site code CVA exists".into()));
    let s = s.reduce(OfficeAction::Done(
        Section::Room(3),
        OfficeText::RoomCreated("P.01".into()),
    ));
    assert_eq!(
        s.status_of(Section::Room(3)),
        Some(Status::Done(OfficeText::RoomCreated("P.01".into())))
    );
}

#[test]
fn the_roster_event_defaults_to_the_first_and_follows_the_plan() {
    let s = run([OfficeAction::PlanLoaded(Ok(plan(&[4, 7])))]);
    assert_eq!(s.roster.event, Some(4));
    let s = s.reduce(OfficeAction::RosterEvent(Some(7)));
    let s = s.reduce(OfficeAction::PlanLoaded(Ok(plan(&[4, 7, 9]))));
    assert_eq!(s.roster.event, Some(7), "a reload keeps the choice");
    let s = s.reduce(OfficeAction::PlanLoaded(Ok(plan(&[9]))));
    assert_eq!(s.roster.event, Some(9), "a vanished event is replaced");
}

#[test]
fn commit_needs_a_clean_preview_of_this_file() {
    let s = run([
        OfficeAction::PlanLoaded(Ok(plan(&[1]))),
        OfficeAction::RosterFile(Some("12A1.xlsx".into())),
    ]);
    assert!(s.roster.can_preview());
    assert!(!s.roster.can_commit(), "nothing checked yet");
    let s = s.reduce(OfficeAction::RosterSending);
    assert!(!s.roster.can_preview() && !s.roster.can_commit());
    let s = s.reduce(OfficeAction::RosterAnswered(Ok(report(1, false))));
    assert!(!s.roster.can_commit(), "errors block the import");
    let s = s.reduce(OfficeAction::RosterAnswered(Ok(report(0, false))));
    assert!(s.roster.can_commit());
    // Another file (or event) drops the report of the old one.
    let s = s.reduce(OfficeAction::RosterFile(Some("12A2.xlsx".into())));
    assert_eq!(s.roster.report, None);
    assert!(!s.roster.can_commit());
    assert_eq!(s.roster.event, Some(1));
    let s = s.reduce(OfficeAction::RosterAnswered(Ok(report(0, false))));
    let s = s.reduce(OfficeAction::RosterEvent(Some(1)));
    assert_eq!(s.roster.report, None);
    assert_eq!(s.roster.file.as_deref(), Some("12A2.xlsx"));
}

#[test]
fn a_committed_roster_cannot_be_committed_twice() {
    let s = run([
        OfficeAction::PlanLoaded(Ok(plan(&[1]))),
        OfficeAction::RosterFile(Some("12A1.xlsx".into())),
        OfficeAction::RosterAnswered(Ok(report(0, true))),
    ]);
    assert!(!s.roster.can_commit());
    assert!(s.roster.report.as_ref().unwrap().committed);
}

#[test]
fn a_refused_roster_keeps_the_old_report() {
    let s = run([
        OfficeAction::RosterFile(Some("a.csv".into())),
        OfficeAction::RosterAnswered(Ok(report(0, false))),
        OfficeAction::RosterSending,
        OfficeAction::RosterAnswered(Err(Failure::from_http(&HttpError::Network))),
    ]);
    assert!(s.roster.report.is_some());
    assert_eq!(s.roster.failure.as_ref().unwrap().problem, Problem::Network);
    assert!(!s.roster.busy);
}

#[test]
fn a_new_password_replaces_the_accounts_old_slip() {
    let s = run([
        OfficeAction::Slip(slip("gt01", "aaaa")),
        OfficeAction::Slip(slip("gt02", "bbbb")),
        OfficeAction::Slip(slip("gt01", "cccc")),
    ]);
    let slips: Vec<_> = s
        .slips
        .iter()
        .map(|s| (s.username.as_str(), s.password.as_str()))
        .collect();
    assert_eq!(slips, [("gt02", "bbbb"), ("gt01", "cccc")]);
    assert!(s.reduce(OfficeAction::ClearSlips).slips.is_empty());
}

#[test]
fn printouts_take_rows_of_the_event_on_show_only() {
    let target = PrintTarget {
        event_id: 1,
        sitting_id: 9,
        room_id: 2,
    };
    let s = run([OfficeAction::OpenPrint(target)]);
    assert_eq!(s.print, Some(target));
    assert_eq!(s.roster_rows, Some((1, Load::Loading)));
    // A late answer for another event is dropped.
    let s = s.reduce(OfficeAction::RosterRowsLoaded(5, Ok(vec![])));
    assert_eq!(s.roster_rows, Some((1, Load::Loading)));
    let s = s.reduce(OfficeAction::RosterRowsLoaded(1, Ok(vec![])));
    assert!(matches!(s.roster_rows, Some((1, Load::Ready(_)))));
    let s = s.reduce(OfficeAction::ClosePrint);
    assert_eq!(s.print, None);
}
