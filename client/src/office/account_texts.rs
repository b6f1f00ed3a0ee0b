//! The staff accounts' strings (`#accounts`, the slips, the set-up form's
//! fields), in Vietnamese and English; components reach them as
//! `Text::Office(OfficeText::Account(…))`.

use std::borrow::Cow;

use crate::i18n::Lang;

#[derive(Debug, Clone, PartialEq)]
pub enum AccountText {
    Title,
    Everywhere,
    Disabled,
    Disable,
    Enable,
    ResetPassword,
    New,
    Username,
    DisplayName,
    Password,
    RoleLabel,
    SiteLabel,
    /// A teacher's subject (the question bank's scope).
    SubjectLabel,
    AllSites,
    RoomLabel,
    AllRooms,
    Create,
    Created(String),
    DisabledDone(String),
    EnabledDone(String),
    PasswordReset(String),
    SlipsTitle,
    SlipsHint,
    ClearSlips,
    SlipTitle,
    Scope,
    Address,
    SlipNote,
}

impl AccountText {
    pub fn localise(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let pick = |v: &'static str, e: &'static str| Cow::Borrowed(if vi { v } else { e });
        let fmt = |v: String, e: String| Cow::Owned(if vi { v } else { e });
        use AccountText::*;
        let text: Cow<'static, str> = match self {
            Title => pick("Tài khoản cán bộ", "Staff accounts"),
            Everywhere => pick("Toàn kỳ thi", "Everywhere"),
            Disabled => pick("đã khóa", "disabled"),
            Disable => pick("Khóa", "Disable"),
            Enable => pick("Mở khóa", "Enable"),
            ResetPassword => pick("Cấp lại mật khẩu", "Reset password"),
            New => pick("Tài khoản mới", "New account"),
            Username => pick("Tên đăng nhập", "User name"),
            DisplayName => pick("Họ và tên", "Full name"),
            Password => pick("Mật khẩu", "Password"),
            RoleLabel => pick("Vai trò", "Role"),
            SiteLabel => pick("Điểm thi", "Site"),
            SubjectLabel => pick("Môn (ngân hàng câu hỏi)", "Subject (question bank)"),
            AllSites => pick("— tất cả —", "— all —"),
            RoomLabel => pick("Phòng thi", "Room"),
            AllRooms => pick("— cả điểm thi —", "— the whole site —"),
            Create => pick("Tạo tài khoản", "Create account"),
            Created(u) => fmt(
                format!("Đã tạo tài khoản {u}."),
                format!("Created account {u}."),
            ),
            DisabledDone(u) => fmt(format!("Đã khóa {u}."), format!("Disabled {u}.")),
            EnabledDone(u) => fmt(format!("Đã mở khóa {u}."), format!("Enabled {u}.")),
            PasswordReset(u) => fmt(
                format!("Đã cấp mật khẩu mới cho {u}: xem phiếu bên dưới."),
                format!("New password for {u}: see the slip below."),
            ),
            SlipsTitle => pick("Phiếu tài khoản", "Account slips"),
            SlipsHint => pick(
                "Mật khẩu chỉ hiện một lần: hãy in và phát phiếu ngay. Tải lại trang là mất.",
                "Passwords are shown once: print and hand out the slips now. A reload loses them.",
            ),
            ClearSlips => pick("Xóa các phiếu", "Clear the slips"),
            SlipTitle => pick("examgate — Phiếu tài khoản", "examgate — Account slip"),
            Scope => pick("Phạm vi", "Scope"),
            Address => pick("Địa chỉ đăng nhập", "Sign in at"),
            SlipNote => pick(
                "Giữ kín mật khẩu. Mất phiếu: báo hội đồng thi để cấp lại.",
                "Keep the password secret. Lost it? Ask the exam office for a new one.",
            ),
        };
        text.into_owned()
    }
}
