//! The exam office page's strings (`/office`), in Vietnamese and English.
//!
//! They reach components as `Text::Office(…)`, through the same `t()` and
//! the same rule as every other string: `localise` matches exhaustively, so
//! no key exists without both languages. The roster import's words are in
//! [`RosterText`], the accounts' in [`AccountText`], the printouts' in
//! [`PrintText`], the roster importer's issue codes in [`super::issues`].

use std::borrow::Cow;

use super::account_texts::AccountText;
use super::print_texts::PrintText;
use super::roster_texts::RosterText;
use crate::i18n::Lang;

#[derive(Debug, Clone, PartialEq)]
pub enum OfficeText {
    // ------------------------------------------------------------ page
    PageTitle,
    DashboardLink,
    NotAllowed,
    LoadingPlan,
    Retry,
    Sending,
    Create,
    Close,
    PrintNow,
    // ------------------------------------------------------------ set-up
    SetupTitle,
    SetupIntro,
    SetupSubmit,
    HaveAccount,
    /// The password label, with the least number of characters.
    NewPassword(usize),
    ConfirmPassword,
    // ------------------------------------------------------------ form checks
    NeedName,
    NeedPaper,
    NeedRoom,
    BadDate,
    BadTime,
    BadMinutes,
    BadHardStop,
    ShiftHardStop,
    ShiftHardStopHint,
    Fullscreen,
    BadSeats,
    BadUsername,
    PasswordShort(usize),
    PasswordMismatch,
    // ------------------------------------------------------------ events
    EventsTitle,
    NoEvents,
    NewEvent,
    EventName,
    EventNameExample,
    Subject,
    EventCreated(String),
    NoShifts,
    NewShift,
    ShiftName,
    ShiftDate,
    ShiftStart,
    ShiftMinutes,
    ShiftPaperLabel,
    PickPaper,
    RequiresCard,
    ShiftRooms,
    AddShift,
    ShiftCreated(String),
    /// A shift's paper and working time.
    ShiftPaper {
        title: String,
        minutes: i64,
    },
    /// Candidates registered in a shift or room.
    Registered(u32),
    NoCodes,
    CardRoom,
    /// The button that makes a name-join room a card room, and back.
    RequireCard,
    StopRequiringCard,
    /// Done: room `code` now admits by chip card (`true`) or not.
    CardRoomSet {
        code: String,
        requires_card: bool,
    },
    /// The button that publishes an event's results, its confirmation
    /// question (the event's name), and what the event says after.
    PublishResults,
    PublishConfirm(String),
    PublishedAt(String),
    PublishedDone(String),
    // ------------------------------------------------------------ sites, papers
    SitesTitle,
    NoSites,
    NewSite,
    SiteName,
    SiteNameExample,
    SiteCode,
    SiteCreated(String),
    RoomName,
    RoomSeats,
    AddRoom,
    RoomCreated(String),
    Seats(u32),
    PapersTitle,
    NoPapers,
    PaperFile,
    PaperAdded(String),
    PaperSize {
        questions: u32,
        minutes: u32,
    },
    // ------------------------------------------------------------ roster, accounts
    Roster(RosterText),
    Account(AccountText),
    // ------------------------------------------------------------ hand-in, printouts
    HandinTitle,
    HandinIntro,
    DownloadXlsx,
    DownloadPackage,
    Downloaded(String),
    PrintablesTitle,
    PrintablesIntro,
    PrintViewTitle,
    LoadingRoster,
    RoomGone,
    Print(PrintText),
}

impl OfficeText {
    pub fn localise(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let pick = |v: &'static str, e: &'static str| Cow::Borrowed(if vi { v } else { e });
        let fmt = |v: String, e: String| Cow::Owned(if vi { v } else { e });
        use OfficeText::*;
        let text: Cow<'static, str> = match self {
            PageTitle => pick("Hội đồng thi", "Exam office"),
            DashboardLink => pick("Theo dõi phòng thi", "Exam rooms"),
            NotAllowed => pick(
                "Trang này dành cho hội đồng thi. Tài khoản của bạn không có quyền này.",
                "This page is for the exam office. Your account does not have that role.",
            ),
            LoadingPlan => pick("Đang tải kế hoạch thi…", "Loading the exam plan…"),
            Retry => pick("Thử lại", "Try again"),
            Sending => pick("Đang gửi…", "Sending…"),
            Create => pick("Tạo", "Create"),
            Close => pick("Đóng", "Close"),
            PrintNow => pick("In", "Print"),
            SetupTitle => pick("Thiết lập hội đồng thi", "Set up the exam office"),
            SetupIntro => pick(
                "Tạo tài khoản hội đồng thi đầu tiên. Liên kết này chỉ dùng được một lần.",
                "Create the first exam-office account. This link works only once.",
            ),
            SetupSubmit => pick(
                "Tạo tài khoản và vào trang",
                "Create the account and continue",
            ),
            HaveAccount => pick("Đã có tài khoản? Đăng nhập", "Have an account? Sign in"),
            NewPassword(n) => fmt(
                format!("Mật khẩu (ít nhất {n} ký tự)"),
                format!("Password (at least {n} characters)"),
            ),
            ConfirmPassword => pick("Nhập lại mật khẩu", "Type the password again"),
            NeedName => pick("Hãy nhập tên.", "Type a name."),
            NeedPaper => pick("Hãy chọn đề thi.", "Pick a paper."),
            NeedRoom => pick(
                "Giám thị phòng thi cần được gán một phòng: chọn điểm thi và phòng.",
                "A room proctor needs a room: pick the site and the room.",
            ),
            BadDate => pick(
                "Ngày thi không đúng: viết dd/mm/yyyy, ví dụ 15/12/2026.",
                "The date is not valid: write dd/mm/yyyy, e.g. 15/12/2026.",
            ),
            BadTime => pick(
                "Giờ bắt đầu không đúng: viết HH:MM (24 giờ), ví dụ 07:30.",
                "The start time is not valid: write HH:MM (24-hour), e.g. 07:30.",
            ),
            BadMinutes => pick(
                "Thời gian làm bài phải từ 1 đến 600 phút.",
                "The working time must be 1 to 600 minutes.",
            ),
            BadHardStop => pick(
                "Giờ dừng cứng phải từ thời gian làm bài đến 1440 phút sau giờ bắt đầu, hoặc để trống.",
                "The hard stop must be from the working time to 1440 minutes after the start, or empty.",
            ),
            ShiftHardStop => pick("Dừng cứng sau (phút)", "Hard stop after (minutes)"),
            ShiftHardStopHint => pick(
                "Để trống: giám thị cộng giờ hay tạm dừng thì bài được làm quá giờ kết thúc ca.",
                "Empty: extra time and pauses may run past the shift's end.",
            ),
            Fullscreen => pick(
                "Yêu cầu làm bài ở chế độ toàn màn hình",
                "Ask for full screen during the exam",
            ),
            BadSeats => pick("Số máy phải từ 1 đến 500.", "Seats must be 1 to 500."),
            BadUsername => pick(
                "Tên đăng nhập không được trống hoặc có dấu cách.",
                "The user name must not be empty or contain spaces.",
            ),
            PasswordShort(n) => fmt(
                format!("Mật khẩu cần ít nhất {n} ký tự."),
                format!("The password needs at least {n} characters."),
            ),
            PasswordMismatch => pick("Hai mật khẩu không giống nhau.", "The passwords differ."),
            EventsTitle => pick("Kỳ thi và ca thi", "Exam events and shifts"),
            NoEvents => pick("Chưa có kỳ thi nào.", "No exam events yet."),
            NewEvent => pick("Kỳ thi mới", "New exam event"),
            EventName => pick("Tên kỳ thi", "Event name"),
            EventNameExample => pick("Kiểm tra cuối kỳ I", "End-of-term test"),
            Subject => pick("Môn", "Subject"),
            EventCreated(name) => fmt(
                format!("Đã tạo kỳ thi «{name}»."),
                format!("Created “{name}”."),
            ),
            NoShifts => pick("Chưa có ca thi.", "No shifts yet."),
            NewShift => pick("Thêm ca thi", "Add a shift"),
            ShiftName => pick("Tên ca", "Shift name"),
            ShiftDate => pick("Ngày thi", "Date"),
            ShiftStart => pick("Giờ bắt đầu", "Start time"),
            ShiftMinutes => pick("Thời gian (phút)", "Minutes"),
            ShiftPaperLabel => pick("Đề thi", "Paper"),
            PickPaper => pick("— chọn đề —", "— pick a paper —"),
            RequiresCard => pick(
                "Vào thi bằng thẻ CCCD gắn chip",
                "Candidates enter with their chip ID card",
            ),
            ShiftRooms => pick(
                "Phòng cấp mã vào thi ngay",
                "Rooms that get a join code now",
            ),
            AddShift => pick("Thêm ca", "Add shift"),
            ShiftCreated(name) => fmt(format!("Đã thêm «{name}»."), format!("Added “{name}”.")),
            ShiftPaper { title, minutes } => fmt(
                format!("{title}, {minutes} phút"),
                format!("{title}, {minutes} min"),
            ),
            Registered(n) => fmt(format!("{n} thí sinh"), format!("{n} candidates")),
            NoCodes => pick(
                "Chưa có phòng nào: nhập danh sách thí sinh hoặc chọn phòng khi tạo ca.",
                "No rooms yet: import a roster or pick rooms when adding the shift.",
            ),
            CardRoom => pick("thẻ chip", "chip card"),
            RequireCard => pick("Bắt buộc thẻ CCCD", "Require the chip ID card"),
            StopRequiringCard => pick("Bỏ bắt buộc thẻ", "Stop requiring the card"),
            CardRoomSet {
                code,
                requires_card: true,
            } => fmt(
                format!("Phòng {code}: thí sinh vào thi bằng thẻ CCCD gắn chip."),
                format!("Room {code}: candidates enter with their chip ID card."),
            ),
            CardRoomSet {
                code,
                requires_card: false,
            } => fmt(
                format!("Phòng {code}: thí sinh vào thi không cần thẻ."),
                format!("Room {code}: candidates enter without the card."),
            ),
            PublishResults => pick("Công bố kết quả", "Publish the results"),
            PublishConfirm(name) => fmt(
                format!(
                    "Công bố kết quả «{name}»? Sau khi công bố, kết quả chỉ thay đổi qua đính chính đáp án (có ghi người, lý do); không mở lại bài, không thêm ca, không nhập thêm thí sinh."
                ),
                format!(
                    "Publish the results of “{name}”? Afterwards they change only through a correction of the key (with who and why): no reopened attempt, no new shift, no roster import."
                ),
            ),
            PublishedAt(at) => fmt(
                format!("Đã công bố kết quả lúc {at}: chỉ thay đổi qua đính chính đáp án."),
                format!(
                    "Results published at {at}: they change only through a correction of the key."
                ),
            ),
            PublishedDone(name) => fmt(
                format!("Đã công bố kết quả «{name}»."),
                format!("Published the results of “{name}”."),
            ),
            SitesTitle => pick("Điểm thi và phòng thi", "Sites and rooms"),
            NoSites => pick("Chưa có điểm thi nào.", "No sites yet."),
            NewSite => pick("Điểm thi mới", "New site"),
            SiteName => pick("Tên điểm thi", "Site name"),
            SiteNameExample => pick("THPT Chu Văn An", "Chu Van An High School"),
            SiteCode => pick("Mã điểm thi", "Site code"),
            SiteCreated(name) => fmt(
                format!("Đã tạo điểm thi «{name}»."),
                format!("Created “{name}”."),
            ),
            RoomName => pick("Tên phòng", "Room name"),
            RoomSeats => pick("Số máy", "Seats"),
            AddRoom => pick("Thêm phòng", "Add room"),
            RoomCreated(name) => fmt(
                format!("Đã thêm phòng «{name}»."),
                format!("Added room “{name}”."),
            ),
            Seats(n) => fmt(format!("{n} máy"), format!("{n} seats")),
            PapersTitle => pick("Đề thi", "Papers"),
            NoPapers => pick("Chưa có đề thi nào.", "No papers yet."),
            PaperFile => pick("Thêm đề (tệp JSON)", "Add a paper (JSON file)"),
            PaperAdded(name) => fmt(
                format!("Đã thêm đề từ {name}."),
                format!("Added the paper in {name}."),
            ),
            PaperSize { questions, minutes } => fmt(
                format!("{questions} câu, {minutes} phút"),
                format!("{questions} questions, {minutes} min"),
            ),
            HandinTitle => pick("Nộp kết quả", "Hand-in files"),
            HandinIntro => pick(
                "Bảng điểm (.xlsx) và hồ sơ thanh tra (.zip) của từng kỳ thi.",
                "Each event's results workbook (.xlsx) and inspection package (.zip).",
            ),
            DownloadXlsx => pick("Tải bảng điểm (.xlsx)", "Download results (.xlsx)"),
            DownloadPackage => pick(
                "Tải hồ sơ thanh tra (.zip)",
                "Download the inspection package (.zip)",
            ),
            Downloaded(name) => fmt(format!("Đã tải {name}."), format!("Downloaded {name}.")),
            PrintablesTitle => pick("In hồ sơ phòng thi", "Room printouts"),
            PrintablesIntro => pick(
                "Mỗi phòng: danh sách thí sinh, thẻ dự thi có mã QR và biên bản coi thi.",
                "Per room: the candidate list, seat cards with QR codes and the proctors' minutes.",
            ),
            PrintViewTitle => pick("Hồ sơ phòng thi", "Room printouts"),
            LoadingRoster => pick("Đang tải danh sách…", "Loading the roster…"),
            RoomGone => pick(
                "Phòng này không còn trong kế hoạch thi.",
                "This room is no longer in the plan.",
            ),
            Roster(text) => Cow::Owned(text.localise(lang)),
            Account(text) => Cow::Owned(text.localise(lang)),
            Print(text) => Cow::Owned(text.localise(lang)),
        };
        text.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_differ() {
        for text in [
            OfficeText::PageTitle,
            OfficeText::NewPassword(10),
            OfficeText::Registered(3),
            OfficeText::Roster(RosterText::Sensitive),
            OfficeText::Account(AccountText::Username),
            OfficeText::Print(PrintText::RoomListTitle),
        ] {
            let (vi, en) = (text.localise(Lang::Vi), text.localise(Lang::En));
            assert!(!vi.is_empty() && !en.is_empty() && vi != en, "{text:?}");
        }
    }
}
