//! Which page a path is, and who sees the link to the results page. Kept
//! outside the staff-only code so the student build (without the `staff`
//! feature) still knows where the results page lives.

use examgate_shared::protocol::Role;

/// The results page.
pub const PATH: &str = "/results";

/// `/results` and everything below it; `/resultsx` is not the page.
pub fn is_results_path(path: &str) -> bool {
    path == PATH
        || path
            .strip_prefix(PATH)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Who the relay lets read results, for showing the link to them. The relay
/// checks again on every request.
pub fn reads_results(role: Role) -> bool {
    matches!(role, Role::Teacher | Role::CentralProctor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routing() {
        assert!(is_results_path("/results"));
        assert!(is_results_path("/results/"));
        assert!(is_results_path("/results/3"));
        assert!(!is_results_path("/resultsx"));
        assert!(!is_results_path("/"));
        assert!(!is_results_path("/proctor"));
    }

    #[test]
    fn room_proctors_get_no_link() {
        assert!(reads_results(Role::Teacher));
        assert!(reads_results(Role::CentralProctor));
        assert!(!reads_results(Role::RoomProctor));
    }
}
