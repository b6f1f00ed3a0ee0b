//! Printing one block of a staff page: `<html data-print="…">` tells the
//! print stylesheet (`client/web/staff.css`, `@media print`) which block to
//! keep, for as long as the browser's print dialog is open.

/// The account slips (`#account-slips`).
pub const SLIPS: &str = "slips";
/// A room's printouts (`#print-view`).
pub const ROOM: &str = "room";
/// The results page's report: heading, test statistics, histogram and item
/// table, without the controls and the candidates.
pub const REPORT: &str = "report";

/// Opens the print dialog for the block `what` only.
pub fn print_only(what: &'static str) {
    let window = gloo::utils::window();
    let root = gloo::utils::document().document_element();
    if let Some(root) = &root {
        let _ = root.set_attribute("data-print", what);
    }
    // Blocks until the dialog is closed (Chrome, Edge, Firefox).
    if let Err(e) = window.print() {
        gloo::console::error!("examgate: cannot print", e);
    }
    if let Some(root) = &root {
        let _ = root.remove_attribute("data-print");
    }
}

/// The page's origin (`http://192.168.1.10:8080`), for addresses printed on
/// paper.
pub fn origin() -> String {
    gloo::utils::window()
        .location()
        .origin()
        .unwrap_or_default()
}
