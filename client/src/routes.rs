//! Which page a path is, and who sees the link to the results page. Kept
//! outside the staff-only code so the student build (without the `staff`
//! feature) still knows where the staff pages (results, exam office) live.

use examgate_shared::protocol::Role;

/// The results page.
pub const PATH: &str = "/results";

/// The exam office's page.
pub const OFFICE_PATH: &str = "/office";

/// The question bank's page.
pub const BANK_PATH: &str = "/bank";

/// The proctor pages (room tables, the central view, the check-in station).
pub const PROCTOR_PATH: &str = "/proctor";

/// The join page of card rooms: the module with the card reader
/// (`checkin` feature). Name-join rooms use `/`, whose module has no card
/// code; `www/pkg/boot.js` picks the module by path.
pub const CHECKIN_PATH: &str = "/checkin";

/// The card-room page with `code` typed in, for a student whose join the
/// relay refused with `checkin_required`. Join codes are letters, digits
/// and dashes; anything else is dropped rather than escaped.
pub fn checkin_url(code: &str) -> String {
    let code: String = code
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if code.is_empty() {
        CHECKIN_PATH.to_owned()
    } else {
        format!("{CHECKIN_PATH}?code={code}")
    }
}

/// `/proctor` and everything below it; `/proctors` is not the page.
pub fn is_proctor_path(path: &str) -> bool {
    is_under(path, PROCTOR_PATH)
}

/// `/bank` and everything below it; `/bankx` is not the page.
pub fn is_bank_path(path: &str) -> bool {
    is_under(path, BANK_PATH)
}

/// `/results` and everything below it; `/resultsx` is not the page.
pub fn is_results_path(path: &str) -> bool {
    is_under(path, PATH)
}

/// `/office` and everything below it; `/officex` is not the page.
pub fn is_office_path(path: &str) -> bool {
    is_under(path, OFFICE_PATH)
}

fn is_under(path: &str, page: &str) -> bool {
    path == page
        || path
            .strip_prefix(page)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The value of `key` in a location's query string (`?code=K7M2QX&x=1`);
/// join codes and set-up tokens are plain ASCII, so no decoding is needed.
pub fn query_param(search: &str, key: &str) -> Option<String> {
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, value)| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}

/// The current page's query parameter `key`.
pub fn page_param(key: &str) -> Option<String> {
    let search = gloo::utils::window().location().search().ok()?;
    query_param(&search, key)
}

/// Who the relay lets read results, for showing the link to them. The relay
/// checks again on every request.
pub fn reads_results(role: Role) -> bool {
    matches!(
        role,
        Role::Teacher | Role::CentralProctor | Role::ExamOffice
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proctor_paths() {
        assert!(is_proctor_path("/proctor"));
        assert!(is_proctor_path("/proctor/"));
        assert!(is_proctor_path("/proctor/room/3"));
        assert!(!is_proctor_path("/"));
        assert!(!is_proctor_path("/proctors"));
    }

    #[test]
    fn query_parameters() {
        assert_eq!(
            query_param("?code=K7M2QX", "code").as_deref(),
            Some("K7M2QX")
        );
        assert_eq!(query_param("?a=1&code=X&b=2", "code").as_deref(), Some("X"));
        assert_eq!(query_param("?code=", "code"), None);
        assert_eq!(query_param("?codex=1", "code"), None);
        assert_eq!(query_param("", "code"), None);
    }

    #[test]
    fn routing() {
        assert!(is_results_path("/results"));
        assert!(is_results_path("/results/"));
        assert!(is_results_path("/results/3"));
        assert!(!is_results_path("/resultsx"));
        assert!(!is_results_path("/"));
        assert!(!is_results_path("/proctor"));
        assert!(is_office_path("/office"));
        assert!(is_office_path("/office/"));
        assert!(!is_office_path("/officex"));
        assert!(!is_office_path("/results"));
    }

    #[test]
    fn a_refused_join_goes_to_the_card_room_page_with_its_code() {
        assert_eq!(checkin_url("toan-p03 "), "/checkin?code=TOAN-P03");
        assert_eq!(checkin_url("A&b=<x>"), "/checkin?code=ABX");
        assert_eq!(checkin_url("  "), "/checkin");
    }

    #[test]
    fn room_proctors_get_no_link() {
        assert!(reads_results(Role::Teacher));
        assert!(reads_results(Role::CentralProctor));
        assert!(!reads_results(Role::RoomProctor));
    }
}
