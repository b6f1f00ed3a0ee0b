//! Every string people read, in Vietnamese and English.
//!
//! One variant per message; variants with data format it. `render` matches
//! exhaustively, so adding a key without both translations does not compile.

use std::borrow::Cow;

use examgate_shared::Millis;
use examgate_shared::attempt::AttemptStatus;
use examgate_shared::numeric::{Decimal, MAX_DIGITS, NumericError};
use examgate_shared::points::{Points, Score};
use examgate_shared::protocol::Role;
use examgate_shared::roster::RowStatus;

#[cfg(feature = "staff")]
use super::ReportText;
use super::{Lang, Problem};
#[cfg(feature = "staff")]
use crate::bank::texts::BankText;
#[cfg(feature = "staff")]
use crate::office::texts::OfficeText;
#[cfg(feature = "staff")]
use crate::proctor::texts::ProctorText;
use crate::student::texts::StudentText;

#[derive(Debug, Clone, PartialEq)]
pub enum Text {
    // ------------------------------------------------------------ general
    /// The label of the language switch: the *other* language's own name.
    OtherLanguageName,
    SwitchLanguage,
    Loading,
    Problem(Problem),
    ReloadPage,
    Dismiss,

    // ------------------------------------------------------------ join
    JoinTitle,
    JoinIntro,
    JoinCode,
    JoinName,
    JoinRegistered,
    JoinNumber,
    JoinBirth,
    JoinSubmit,
    JoinBusy,

    // ------------------------------------------------------------ exam
    TimeLeft,
    SaveSaved,
    SavePending(usize),
    SaveOffline(usize),
    WaitingPaper,
    NotStarted,
    /// The paper number of numbered versions ("mã đề").
    PaperVersion(u16),
    QuestionNumber(usize),
    QuestionPoints(Points),
    MultiHint,
    TrueFalseHint,
    /// The buttons of a true/false statement.
    MarkTrue,
    MarkFalse,
    NumericLabel,
    NumericHint,
    /// Why a typed answer is not a number.
    NumericProblem(NumericError),
    Prev,
    Next,
    Flag,
    Unflag,
    NavTitle,
    Answered {
        done: usize,
        total: usize,
    },
    LegendAnswered,
    LegendFlagged,
    LegendUnsaved,
    Submit,
    TimeUp,
    Submitting,
    WaitingResult,
    Replaced,
    TakeOver,
    SubmitTitle,
    SubmitUnanswered(usize),
    SubmitAllAnswered,
    SubmitFlagged(usize),
    SubmitWarning,
    ConfirmSubmit,
    CancelSubmit,

    // ------------------------------------------------------------ result
    ResultTitle,
    ResultMark,
    ResultScore {
        score: Score,
        max: Points,
    },
    ResultHow(AttemptStatus),
    ResultCorrect {
        correct: usize,
        total: usize,
    },
    /// How many questions earned part of their points.
    ResultPartial(usize),
    /// Label of a choice answer.
    ResultChosen,
    /// Label of any other answer.
    ResultAnswered,
    ResultKey,
    /// The worked solution shown with a practice result.
    ResultExplanation,
    /// One item's score out of its points.
    ItemScore {
        score: Score,
        points: Points,
    },
    VerdictCorrect,
    VerdictPartial,
    VerdictWrong,
    VerdictBlank,
    VerdictVoided,
    /// Option letters as the student saw them: "A, C".
    OptionLetters(Vec<char>),
    /// Per statement true, false or undecided: "Đ S – Đ".
    Marks(Vec<Option<bool>>),
    /// A number with its decimal comma, and the tolerance accepted.
    Number {
        value: Decimal,
        tolerance: Option<Decimal>,
    },
    /// Typed text shown as it was typed.
    Verbatim(String),
    /// No answer given.
    NoAnswer,
    Leave,

    // ------------------------------------------------------------ proctor
    LoginTitle,
    LoginUser,
    LoginPass,
    LoginSubmit,
    LoginBusy,
    DashboardTitle,
    Role(Role),
    Logout,
    /// The dashboard's link to the results page.
    ResultsLink,
    ConnLive,
    ConnOffline,
    RelayClock,
    WaitingRooms,
    NoRooms,
    NoCandidates,
    ProctorReplaced,
    RowStatus(RowStatus),
    ColName,
    ColStatus,
    ColAnswered,
    ColTimeLeft,
    ColLastActivity,
    ColMark,
    /// How long ago, in milliseconds.
    Ago(Millis),

    /// The exam page's proctor controls, messages and full screen, see
    /// [`StudentText`].
    Student(StudentText),
    /// The proctor pages (`/proctor`), see [`ProctorText`].
    #[cfg(feature = "staff")]
    Proctor(ProctorText),

    // ------------------------------------------------------------ results
    /// The results page's strings.
    #[cfg(feature = "staff")]
    Report(ReportText),
    /// The exam office's page (`/office`), see [`OfficeText`].
    #[cfg(feature = "staff")]
    Office(OfficeText),
    /// The question bank's page (`/bank`), see [`BankText`].
    #[cfg(feature = "staff")]
    Bank(BankText),
}

impl Text {
    pub fn render(&self, lang: Lang) -> String {
        self.localise(lang).into_owned()
    }

    fn localise(&self, lang: Lang) -> Cow<'static, str> {
        let vi = lang == Lang::Vi;
        // Fixed strings: (Vietnamese, English).
        let pick = |v: &'static str, e: &'static str| Cow::Borrowed(if vi { v } else { e });
        // Formatted strings: both arms are written out so they read naturally.
        let fmt = |v: String, e: String| Cow::Owned(if vi { v } else { e });
        match self {
            Text::OtherLanguageName => pick("English", "Tiếng Việt"),
            Text::SwitchLanguage => pick("Đổi ngôn ngữ", "Change language"),
            Text::Loading => pick("Đang tải…", "Loading…"),
            Text::Problem(p) => Cow::Borrowed(p.message(lang)),
            Text::ReloadPage => pick("Tải lại trang", "Reload the page"),
            Text::Dismiss => pick("Đóng", "Close"),

            Text::JoinTitle => pick("Vào phòng thi", "Join the exam"),
            Text::JoinIntro => pick(
                "Nhập mã phòng thi giám thị đưa và họ tên đầy đủ của em.",
                "Enter the join code your proctor gave you and your full name.",
            ),
            Text::JoinCode => pick("Mã phòng thi", "Join code"),
            Text::JoinName => pick("Họ và tên", "Full name"),
            Text::JoinRegistered => pick(
                "Thí sinh đã đăng ký (kỳ thi có danh sách): nhập số báo danh thay cho họ tên",
                "Registered candidates (planned exams): type your candidate number instead of your name",
            ),
            Text::JoinNumber => pick("Số báo danh", "Candidate number"),
            Text::JoinBirth => pick("Ngày sinh (dd/mm/yyyy)", "Date of birth (dd/mm/yyyy)"),
            Text::JoinSubmit => pick("Vào thi", "Start"),
            Text::JoinBusy => pick("Đang vào phòng thi…", "Joining…"),

            Text::TimeLeft => pick("Thời gian còn lại", "Time left"),
            Text::SaveSaved => pick("Đã lưu", "Saved"),
            Text::SavePending(n) => fmt(format!("Đang lưu… ({n})"), format!("Saving… ({n})")),
            Text::SaveOffline(0) => pick(
                "Mất kết nối — câu trả lời vẫn được giữ trên máy",
                "Offline — your answers are kept on this computer",
            ),
            Text::SaveOffline(n) => fmt(
                format!("Mất kết nối — câu trả lời vẫn được giữ trên máy ({n} chưa gửi)"),
                format!("Offline — your answers are kept on this computer ({n} not sent yet)"),
            ),
            Text::WaitingPaper => pick("Đang tải đề thi…", "Loading the exam paper…"),
            Text::NotStarted => pick(
                "Bài thi chưa bắt đầu. Hãy chờ giám thị.",
                "The exam has not started. Wait for your proctor.",
            ),
            Text::PaperVersion(v) => fmt(format!("Mã đề {v:04}"), format!("Paper {v:04}")),
            Text::QuestionNumber(n) => fmt(format!("Câu {n}"), format!("Question {n}")),
            Text::QuestionPoints(p) => fmt(
                format!("{p} điểm"),
                if p.milli() == 1000 {
                    "1 point".to_owned()
                } else {
                    format!("{p} points")
                },
            ),
            Text::MultiHint => pick("Chọn tất cả các đáp án đúng", "Choose every right answer"),
            Text::TrueFalseHint => pick(
                "Chọn Đúng hoặc Sai cho từng ý. Bấm lại để bỏ chọn.",
                "Mark each statement True or False. Click again to undo.",
            ),
            Text::MarkTrue => pick("Đúng", "True"),
            Text::MarkFalse => pick("Sai", "False"),
            Text::NumericLabel => pick("Đáp số", "Your answer"),
            Text::NumericHint => pick(
                "Nhập số, dùng dấu phẩy cho phần thập phân, ví dụ -1,5",
                "Type a number, with a decimal comma, e.g. -1,5",
            ),
            Text::NumericProblem(problem) => numeric_problem(*problem, vi),
            Text::Prev => pick("← Câu trước", "← Previous"),
            Text::Next => pick("Câu sau →", "Next →"),
            Text::Flag => pick("Đánh dấu xem lại", "Flag for review"),
            Text::Unflag => pick("Bỏ đánh dấu", "Remove flag"),
            Text::NavTitle => pick("Các câu hỏi", "Questions"),
            Text::Answered { done, total } => fmt(
                format!("Đã trả lời {done}/{total}"),
                format!("Answered {done}/{total}"),
            ),
            Text::LegendAnswered => pick("Đã trả lời", "Answered"),
            Text::LegendFlagged => pick("Đánh dấu", "Flagged"),
            Text::LegendUnsaved => pick("Chưa lưu", "Not saved yet"),
            Text::Submit => pick("Nộp bài", "Hand in"),
            Text::TimeUp => pick(
                "Hết giờ làm bài. Hệ thống đang chấm bài…",
                "Time is up. Your exam is being graded…",
            ),
            Text::Submitting => pick("Đang nộp bài…", "Handing in…"),
            Text::WaitingResult => pick(
                "Đã nộp bài. Đang chờ kết quả…",
                "Handed in. Waiting for the result…",
            ),
            Text::Replaced => pick(
                "Bài thi này vừa được mở ở tab hoặc máy khác. Các câu trả lời đã lưu vẫn an toàn.",
                "This exam was just opened in another tab or on another computer. Saved answers are safe.",
            ),
            Text::TakeOver => pick("Tiếp tục làm bài ở đây", "Continue here"),
            Text::SubmitTitle => pick("Nộp bài?", "Hand in your exam?"),
            Text::SubmitUnanswered(n) => fmt(
                format!("Bạn còn {n} câu chưa trả lời."),
                if *n == 1 {
                    "You have 1 unanswered question.".to_owned()
                } else {
                    format!("You have {n} unanswered questions.")
                },
            ),
            Text::SubmitAllAnswered => pick(
                "Bạn đã trả lời tất cả các câu.",
                "You have answered every question.",
            ),
            Text::SubmitFlagged(n) => fmt(
                format!("Có {n} câu đang được đánh dấu xem lại."),
                if *n == 1 {
                    "1 question is flagged for review.".to_owned()
                } else {
                    format!("{n} questions are flagged for review.")
                },
            ),
            Text::SubmitWarning => pick(
                "Sau khi nộp bài, bạn không thể sửa câu trả lời nữa.",
                "Once handed in, your answers cannot be changed.",
            ),
            Text::ConfirmSubmit => pick("Nộp bài", "Hand in"),
            Text::CancelSubmit => pick("Quay lại làm bài", "Back to the exam"),

            Text::ResultTitle => pick("Kết quả bài thi", "Your result"),
            Text::ResultMark => pick("Điểm", "Mark"),
            Text::ResultScore { score, max } => fmt(
                format!("{score}/{max} điểm"),
                format!("{score}/{max} points"),
            ),
            Text::ResultHow(AttemptStatus::Closed) => pick(
                "Hệ thống đã thu bài khi hết giờ.",
                "Collected automatically when time ran out.",
            ),
            Text::ResultHow(_) => pick("Em đã nộp bài.", "You handed in your exam."),
            Text::ResultCorrect { correct, total } => fmt(
                format!("Đúng {correct}/{total} câu"),
                format!("{correct} of {total} correct"),
            ),
            Text::ResultPartial(n) => fmt(
                format!("Đúng một phần {n} câu"),
                format!("{n} partly right"),
            ),
            Text::ResultChosen => pick("Em chọn", "You chose"),
            Text::ResultAnswered => pick("Em trả lời", "You answered"),
            Text::ResultKey => pick("Đáp án", "Answer"),
            Text::ResultExplanation => pick("Lời giải", "Worked solution"),
            Text::ItemScore { score, points } => fmt(
                format!("{score}/{points} điểm"),
                if points.milli() == 1000 {
                    format!("{score}/1 point")
                } else {
                    format!("{score}/{points} points")
                },
            ),
            Text::VerdictCorrect => pick("Đúng", "Correct"),
            Text::VerdictPartial => pick("Đúng một phần", "Partly right"),
            Text::VerdictWrong => pick("Sai", "Wrong"),
            Text::VerdictBlank => pick("Bỏ trống", "Blank"),
            Text::VerdictVoided => pick(
                "Câu hỏi bị hủy, không tính điểm",
                "Question voided, not counted",
            ),
            Text::OptionLetters(letters) => Cow::Owned(
                letters
                    .iter()
                    .map(char::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            Text::Marks(marks) => {
                // Đ/S is how Vietnamese answer sheets write true/false.
                let (t, f) = if vi { ("Đ", "S") } else { ("T", "F") };
                let marks: Vec<&str> = marks
                    .iter()
                    .map(|m| match m {
                        Some(true) => t,
                        Some(false) => f,
                        None => "–",
                    })
                    .collect();
                Cow::Owned(marks.join(" "))
            }
            Text::Number {
                value,
                tolerance: None,
            } => Cow::Owned(value.to_string()),
            Text::Number {
                value,
                tolerance: Some(t),
            } => fmt(
                format!("{value} (sai số ± {t})"),
                format!("{value} (± {t})"),
            ),
            Text::Verbatim(text) => Cow::Owned(text.clone()),
            Text::NoAnswer => Cow::Borrowed("—"),
            Text::Leave => pick("Thoát", "Leave"),

            Text::LoginTitle => pick("Đăng nhập giám thị", "Proctor sign-in"),
            Text::LoginUser => pick("Tên đăng nhập", "User name"),
            Text::LoginPass => pick("Mật khẩu", "Password"),
            Text::LoginSubmit => pick("Đăng nhập", "Sign in"),
            Text::LoginBusy => pick("Đang đăng nhập…", "Signing in…"),
            Text::DashboardTitle => pick("Theo dõi phòng thi", "Exam rooms"),
            Text::Role(Role::RoomProctor) => pick("Giám thị phòng thi", "Room proctor"),
            Text::Role(Role::CentralProctor) => pick("Giám sát chung", "Central proctor"),
            Text::Role(Role::Teacher) => pick("Giáo viên", "Teacher"),
            Text::Role(Role::ExamOffice) => pick("Hội đồng thi", "Exam office"),
            Text::Logout => pick("Đăng xuất", "Sign out"),
            Text::ResultsLink => pick("Kết quả", "Results"),
            Text::ConnLive => pick("Đang cập nhật trực tiếp", "Live"),
            Text::ConnOffline => pick("Mất kết nối — đang kết nối lại…", "Offline — reconnecting…"),
            Text::RelayClock => pick("Giờ máy chủ", "Server time"),
            Text::WaitingRooms => pick("Đang tải danh sách phòng…", "Loading rooms…"),
            Text::NoRooms => pick("Không có phòng thi nào để theo dõi.", "No rooms to watch."),
            Text::NoCandidates => pick("Chưa có thí sinh.", "No candidates yet."),
            Text::ProctorReplaced => pick(
                "Bảng theo dõi vừa được mở ở tab hoặc máy khác.",
                "The dashboard was just opened in another tab or on another computer.",
            ),
            Text::RowStatus(RowStatus::NotStarted) => pick("Chưa vào thi", "Not started"),
            Text::RowStatus(RowStatus::CheckedIn) => pick("Đã vào phòng", "Checked in"),
            Text::RowStatus(RowStatus::Working) => pick("Đang làm bài", "Working"),
            Text::RowStatus(RowStatus::Paused) => pick("Tạm dừng", "Paused"),
            Text::RowStatus(RowStatus::Disconnected) => pick("Mất kết nối", "Disconnected"),
            Text::RowStatus(RowStatus::Submitted) => pick("Đã nộp bài", "Handed in"),
            Text::ColName => pick("Họ tên", "Name"),
            Text::ColStatus => pick("Trạng thái", "Status"),
            Text::ColAnswered => pick("Đã làm", "Answered"),
            Text::ColTimeLeft => pick("Còn lại", "Time left"),
            Text::ColLastActivity => pick("Hoạt động gần nhất", "Last activity"),
            Text::ColMark => pick("Điểm", "Mark"),
            Text::Ago(ms) => {
                let secs = (*ms).max(0) / 1000;
                let (mins, hours) = (secs / 60, secs / 3600);
                if secs < 60 {
                    fmt(format!("{secs} giây trước"), format!("{secs} s ago"))
                } else if mins < 60 {
                    fmt(format!("{mins} phút trước"), format!("{mins} min ago"))
                } else {
                    fmt(format!("{hours} giờ trước"), format!("{hours} h ago"))
                }
            }
            Text::Student(text) => Cow::Owned(text.localise(lang)),
            #[cfg(feature = "staff")]
            Text::Proctor(text) => Cow::Owned(text.localise(lang)),
            #[cfg(feature = "staff")]
            Text::Report(text) => text.localise(lang),
            #[cfg(feature = "staff")]
            Text::Office(text) => Cow::Owned(text.localise(lang)),
            #[cfg(feature = "staff")]
            Text::Bank(text) => Cow::Owned(text.localise(lang)),
        }
    }
}

/// Why a typed answer is not a number, saying how to fix it.
fn numeric_problem(problem: NumericError, vi: bool) -> Cow<'static, str> {
    let (v, e) = match problem {
        NumericError::Empty => (
            "Chưa nhập số.".to_owned(),
            "Nothing has been typed.".to_owned(),
        ),
        NumericError::SeveralSeparators => (
            "Chỉ được có một dấu phẩy thập phân.".to_owned(),
            "Use only one decimal comma.".to_owned(),
        ),
        NumericError::InvalidChar(c) => (
            format!("Không dùng được ký tự «{c}»: chỉ nhập chữ số, dấu trừ và dấu phẩy."),
            format!("“{c}” is not allowed: type only digits, a minus sign and a comma."),
        ),
        NumericError::MisplacedSign => (
            "Dấu trừ chỉ được đặt ở đầu số.".to_owned(),
            "A minus sign may only come first.".to_owned(),
        ),
        NumericError::NoDigits => (
            "Chưa có chữ số nào.".to_owned(),
            "There are no digits.".to_owned(),
        ),
        NumericError::TooLong => (
            format!("Quá nhiều chữ số (tối đa {MAX_DIGITS})."),
            format!("Too many digits (at most {MAX_DIGITS})."),
        ),
    };
    Cow::Owned(if vi { v } else { e })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_in_both_languages() {
        let done = Text::Answered { done: 3, total: 12 };
        assert_eq!(done.render(Lang::Vi), "Đã trả lời 3/12");
        assert_eq!(done.render(Lang::En), "Answered 3/12");
        assert_eq!(Text::Ago(12_400).render(Lang::Vi), "12 giây trước");
        assert_eq!(Text::Ago(125_000).render(Lang::En), "2 min ago");
        assert_eq!(
            Text::QuestionPoints(Points::from_milli(250)).render(Lang::Vi),
            "0.25 điểm"
        );
    }

    #[test]
    fn answers_and_keys_read_as_on_paper() {
        let marks = Text::Marks(vec![Some(true), Some(false), None, Some(true)]);
        assert_eq!(marks.render(Lang::Vi), "Đ S – Đ");
        assert_eq!(marks.render(Lang::En), "T F – T");
        let number = |t: Option<&str>| Text::Number {
            value: Decimal::parse("-1.5").unwrap(),
            tolerance: t.map(|t| Decimal::parse(t).unwrap()),
        };
        assert_eq!(number(None).render(Lang::Vi), "-1,5");
        assert_eq!(
            number(Some("0.05")).render(Lang::Vi),
            "-1,5 (sai số ± 0,05)"
        );
        assert_eq!(Text::OptionLetters(vec!['A', 'C']).render(Lang::En), "A, C");
        let score = Text::ItemScore {
            score: Score::of(Points::from_milli(1000), 1, 4),
            points: Points::from_milli(1000),
        };
        assert_eq!(score.render(Lang::Vi), "0.25/1 điểm");
        assert_eq!(Text::PaperVersion(101).render(Lang::Vi), "Mã đề 0101");
    }

    #[test]
    fn every_numeric_problem_is_explained_in_both_languages() {
        let problems = [
            NumericError::Empty,
            NumericError::SeveralSeparators,
            NumericError::InvalidChar('e'),
            NumericError::MisplacedSign,
            NumericError::NoDigits,
            NumericError::TooLong,
        ];
        for p in problems {
            let (vi, en) = (
                Text::NumericProblem(p).render(Lang::Vi),
                Text::NumericProblem(p).render(Lang::En),
            );
            assert!(!vi.is_empty() && !en.is_empty() && vi != en, "{p:?}");
        }
        let reason = Decimal::parse("1,2,3").unwrap_err();
        assert_eq!(
            Text::NumericProblem(reason).render(Lang::Vi),
            "Chỉ được có một dấu phẩy thập phân."
        );
    }

    #[test]
    fn every_row_status_is_named_in_both_languages() {
        for status in RowStatus::ALL {
            let (vi, en) = (
                Text::RowStatus(status).render(Lang::Vi),
                Text::RowStatus(status).render(Lang::En),
            );
            assert!(!vi.is_empty() && !en.is_empty(), "{status:?}");
        }
    }
}
