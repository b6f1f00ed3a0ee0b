//! The roster import's strings (`#roster`), in Vietnamese and English;
//! components reach them as `Text::Office(OfficeText::Roster(…))`. The
//! importer's issue codes are in [`super::issues`].

use std::borrow::Cow;

use crate::i18n::Lang;

#[derive(Debug, Clone, PartialEq)]
pub enum RosterText {
    Title,
    Intro,
    Event,
    PickEvent,
    File,
    Check,
    Checking,
    Commit,
    Counts {
        candidates: usize,
        errors: usize,
        warnings: usize,
    },
    TitleRows,
    ErrorsTitle,
    NoErrors,
    WarningsTitle,
    MoreIssues(usize),
    /// Where an issue is; row 0 is the whole sheet or file.
    IssueAt {
        sheet: String,
        row: u32,
        column: String,
    },
    ColumnsRead,
    ColumnsDropped,
    Sensitive,
    NotUsed,
    Shown {
        shown: usize,
        total: usize,
    },
    ColRow,
    ColNumber,
    ColFullName,
    ColBirth,
    ColSex,
    ColPersonId,
    ColPupilId,
    ColClass,
    ColSite,
    ColRoom,
    ColShift,
    ColSeat,
    /// `true` for male.
    Sex(bool),
    Imported {
        candidates: u32,
        numbered: u32,
    },
    NewCodes,
}

impl RosterText {
    pub fn localise(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let pick = |v: &'static str, e: &'static str| Cow::Borrowed(if vi { v } else { e });
        let fmt = |v: String, e: String| Cow::Owned(if vi { v } else { e });
        use RosterText::*;
        let text: Cow<'static, str> = match self {
            Title => pick("Danh sách thí sinh", "Candidate rosters"),
            Intro => pick(
                "Chọn tệp danh sách của trường (.xlsx, .xls hoặc .csv) rồi bấm Kiểm tra. Chỉ nhập khi không còn lỗi; các cột dữ liệu nhạy cảm không được lưu.",
                "Pick the school's list (.xlsx, .xls or .csv), then Check. It is imported only without errors; sensitive columns are never kept.",
            ),
            Event => pick("Kỳ thi", "Exam event"),
            PickEvent => pick("— chọn kỳ thi —", "— pick an event —"),
            File => pick("Tệp danh sách", "Roster file"),
            Check => pick("Kiểm tra", "Check"),
            Checking => pick("Đang kiểm tra…", "Checking…"),
            Commit => pick("Nhập danh sách", "Import the roster"),
            Counts {
                candidates,
                errors,
                warnings,
            } => fmt(
                format!("{candidates} thí sinh, {errors} lỗi, {warnings} cảnh báo."),
                format!("{candidates} candidates, {errors} errors, {warnings} warnings."),
            ),
            TitleRows => pick("Dòng tiêu đề trong tệp", "Title rows in the file"),
            ErrorsTitle => pick(
                "Lỗi (phải sửa trước khi nhập)",
                "Errors (fix before importing)",
            ),
            NoErrors => pick("Không có lỗi.", "No errors."),
            WarningsTitle => pick("Cảnh báo", "Warnings"),
            MoreIssues(n) => fmt(format!("… và {n} mục khác."), format!("… and {n} more.")),
            IssueAt { sheet, row, column } => {
                let (s, r, c) = if vi {
                    ("Trang", "dòng", "cột")
                } else {
                    ("Sheet", "row", "column")
                };
                let mut parts = Vec::new();
                if !sheet.is_empty() {
                    parts.push(format!("{s} «{sheet}»"));
                }
                if *row > 0 {
                    parts.push(format!("{r} {row}"));
                }
                if !column.is_empty() {
                    parts.push(format!("{c} {column}"));
                }
                Cow::Owned(parts.join(", "))
            }
            ColumnsRead => pick("Cột được đọc", "Columns read"),
            ColumnsDropped => pick("Cột bỏ qua", "Columns dropped"),
            Sensitive => pick(
                "(dữ liệu nhạy cảm, không lưu)",
                "(sensitive data, not kept)",
            ),
            NotUsed => pick("(không dùng)", "(not used)"),
            Shown { shown, total } => fmt(
                format!("Hiển thị {shown}/{total} thí sinh"),
                format!("Showing {shown} of {total} candidates"),
            ),
            ColRow => pick("Dòng", "Row"),
            ColNumber => pick("SBD", "No."),
            ColFullName => pick("Họ và tên", "Full name"),
            ColBirth => pick("Ngày sinh", "Born"),
            ColSex => pick("Giới tính", "Sex"),
            ColPersonId => pick("Số định danh", "Personal ID"),
            ColPupilId => pick("Mã HS", "Learner ID"),
            ColClass => pick("Lớp", "Class"),
            ColSite => pick("Điểm thi", "Site"),
            ColRoom => pick("Phòng", "Room"),
            ColShift => pick("Ca", "Shift"),
            ColSeat => pick("Số máy", "Seat"),
            Sex(true) => pick("Nam", "M"),
            Sex(false) => pick("Nữ", "F"),
            Imported {
                candidates,
                numbered,
            } => fmt(
                format!("Đã nhập {candidates} thí sinh ({numbered} được cấp số báo danh)."),
                format!("Imported {candidates} candidates ({numbered} given a candidate number)."),
            ),
            NewCodes => pick("Mã vào thi của các phòng", "The rooms' join codes"),
        };
        text.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn located_issues_read_naturally() {
        let at = |sheet: &str, row, column: &str| RosterText::IssueAt {
            sheet: sheet.into(),
            row,
            column: column.into(),
        };
        assert_eq!(
            at("12A1", 5, "D").localise(Lang::Vi),
            "Trang «12A1», dòng 5, cột D"
        );
        assert_eq!(at("12A1", 0, "").localise(Lang::En), "Sheet «12A1»");
        assert_eq!(at("", 3, "").localise(Lang::En), "row 3");
    }

    #[test]
    fn sensitive_columns_say_so() {
        assert_eq!(
            RosterText::Sensitive.localise(Lang::Vi),
            "(dữ liệu nhạy cảm, không lưu)"
        );
        assert_eq!(RosterText::Sex(false).localise(Lang::Vi), "Nữ");
    }
}
