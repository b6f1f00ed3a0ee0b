//! The bank page's strings (`/bank`), in Vietnamese and English. They reach
//! components as `Text::Bank(…)`; `localise` matches exhaustively, so no key
//! exists without both languages.

use examgate_shared::bank::{KeyMarking, Level};

use crate::i18n::Lang;

#[derive(Debug, Clone, PartialEq)]
pub enum BankText {
    PageTitle,
    OfficeLink,
    Working,
    Done,
    // ------------------------------------------------------------ import
    ImportTitle,
    ImportHelp,
    File,
    Subject,
    Topic,
    Level,
    AnyLevel,
    Preview,
    Store,
    /// Questions read, problems found.
    ReportSummary {
        questions: usize,
        problems: usize,
        stored: usize,
    },
    Refused,
    Duplicate(u64),
    Marking(KeyMarking),
    // ------------------------------------------------------------ search
    SearchTitle,
    Search,
    IgnoreDiacritics,
    NoQuestions,
    Edit,
    Export(&'static str),
    /// Mean facility over `sittings` sittings, in percent.
    Facility {
        percent: u32,
        sittings: u32,
    },
    NeverSat,
    /// Where a picture is, in a list.
    Picture,
    LevelName(Level),
    Kind(String),
    // ------------------------------------------------------------ editor
    EditorTitle(u64, u32),
    QuestionText,
    OptionLabel(char),
    Statement(char),
    Key,
    TrueStatement,
    NumericKey,
    Explanation,
    Tags,
    Shared,
    Note,
    Save,
    CloseEditor,
    PreviewTitle,
    VersionsTitle,
    /// Version, who.
    Version(u32, String),
    HistoryTitle,
    NoHistory,
    ColSitting,
    ColCandidates,
    ColFacility,
    ColDiscrimination,
    ColFlags,
    // ------------------------------------------------------------ papers
    PaperTitle,
    Template2025,
    TemplateSimple,
    Title,
    Minutes,
    TargetFacility,
    ShowAnswers,
    Versions,
    ColKind,
    ColCount,
    ColPoints,
    AddRow,
    RemoveRow,
    Predict,
    Build,
    /// By hand, from `n` ticked questions.
    PredictPicked(usize),
    BuildPicked(usize),
    /// Tick question `id` for a paper made by hand.
    Pick(u64),
    /// Mean mark and SD on the 10-point scale, mean facility in percent.
    Expected {
        mean: String,
        sd: String,
        facility: u32,
    },
    Built(String),
    OpenPractice,
    Tries,
    CountedLabel,
    CountBest,
    CountLast,
    PrintPaper,
    PrintNow,
    AnswerKeyTitle,
    VersionCode(String),
    QuestionNumber(usize),
    AnswerBlank,
    PracticeCode(String),
}

fn kind_name(kind: &str, vi: bool) -> &'static str {
    match (kind, vi) {
        ("single_choice", true) => "Một lựa chọn",
        ("single_choice", false) => "Single choice",
        ("true_false", true) => "Đúng/Sai",
        ("true_false", false) => "True/false",
        ("numeric", true) => "Trả lời ngắn",
        ("numeric", false) => "Short answer",
        ("multiple_response", true) => "Nhiều lựa chọn",
        ("multiple_response", false) => "Multiple response",
        (_, true) => "Mọi loại",
        (_, false) => "Any kind",
    }
}

impl BankText {
    pub fn localise(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let pick = |v: &str, e: &str| if vi { v.to_string() } else { e.to_string() };
        use BankText::*;
        match self {
            PageTitle => pick("Ngân hàng câu hỏi", "Question bank"),
            OfficeLink => pick("Hội đồng thi", "Exam office"),
            Working => pick("Đang xử lý…", "Working…"),
            Done => pick("Xong.", "Done."),
            ImportTitle => pick("Nhập câu hỏi", "Import questions"),
            ImportHelp => pick(
                "Word (.docx: Câu 1… A. B. C. D., đáp án gạch chân, in đậm, chữ đỏ, tô sáng, dấu * hoặc bảng đáp án), GIFT, Aiken, Moodle XML, QTI. Xem trước rồi mới lưu; tệp có lỗi thì không lưu câu nào.",
                "Word (.docx: Câu 1… A. B. C. D., key underlined, bold, red, highlighted, starred or in an answer table), GIFT, Aiken, Moodle XML, QTI. Preview first; a file with errors stores nothing.",
            ),
            File => pick("Tệp", "File"),
            Subject => pick("Môn", "Subject"),
            Topic => pick("Chủ đề", "Topic"),
            Level => pick("Mức độ", "Level"),
            AnyLevel => pick("Mọi mức độ", "Any level"),
            Preview => pick("Xem trước", "Preview"),
            Store => pick("Lưu vào ngân hàng", "Store in the bank"),
            ReportSummary {
                questions,
                problems,
                stored,
            } => {
                if vi {
                    format!("{questions} câu hỏi, {problems} lỗi, đã lưu {stored}.")
                } else {
                    format!("{questions} questions, {problems} problems, {stored} stored.")
                }
            }
            Refused => pick(
                "Không lưu câu nào: sửa các lỗi sau rồi nhập lại.",
                "Nothing stored: fix these and import again.",
            ),
            Duplicate(id) => {
                if vi {
                    format!("Trùng câu {id} đã có")
                } else {
                    format!("Same as question {id}")
                }
            }
            Marking(m) => {
                let (v, e) = match m {
                    KeyMarking::AnswerTable => ("bảng đáp án", "answer table"),
                    KeyMarking::Asterisk => ("dấu *", "asterisk"),
                    KeyMarking::Underline => ("gạch chân", "underline"),
                    KeyMarking::Bold => ("in đậm", "bold"),
                    KeyMarking::RedText => ("chữ đỏ", "red text"),
                    KeyMarking::Highlight => ("tô sáng", "highlight"),
                    KeyMarking::Format => ("theo định dạng", "by the format"),
                };
                if vi {
                    format!("Đáp án: {v}")
                } else {
                    format!("Key: {e}")
                }
            }
            SearchTitle => pick("Câu hỏi", "Questions"),
            Search => pick("Tìm", "Search"),
            IgnoreDiacritics => pick("Bỏ qua dấu", "Ignore diacritics"),
            NoQuestions => pick("Không có câu hỏi nào.", "No questions."),
            Edit => pick("Sửa", "Edit"),
            Export(f) => {
                if vi {
                    format!("Xuất {f}")
                } else {
                    format!("Export {f}")
                }
            }
            Facility { percent, sittings } => {
                if vi {
                    format!("Độ khó {percent}% ({sittings} lần thi)")
                } else {
                    format!("Facility {percent}% ({sittings} sittings)")
                }
            }
            NeverSat => pick("Chưa thi lần nào", "Never sat"),
            Picture => pick("[hình]", "[picture]"),
            LevelName(l) => {
                if vi {
                    l.vietnamese().to_string()
                } else {
                    match l {
                        examgate_shared::bank::Level::Recall => "Recall",
                        examgate_shared::bank::Level::Understanding => "Understanding",
                        examgate_shared::bank::Level::Application => "Application",
                        examgate_shared::bank::Level::AdvancedApplication => "Advanced application",
                    }
                    .to_string()
                }
            }
            Kind(k) => kind_name(k, vi).to_string(),
            EditorTitle(id, v) => {
                if vi {
                    format!("Câu {id} — phiên bản {v}")
                } else {
                    format!("Question {id} — version {v}")
                }
            }
            QuestionText => pick(
                "Nội dung câu hỏi (TeX trong \\( \\))",
                "Question text (TeX in \\( \\))",
            ),
            OptionLabel(c) => {
                if vi {
                    format!("Phương án {c}")
                } else {
                    format!("Option {c}")
                }
            }
            Statement(c) => {
                if vi {
                    format!("Ý {c})")
                } else {
                    format!("Statement {c})")
                }
            }
            Key => pick("Đáp án đúng", "Right answer"),
            TrueStatement => pick("Đúng", "True"),
            NumericKey => pick("Đáp số", "Answer"),
            Explanation => pick("Lời giải", "Worked solution"),
            Tags => pick("Nhãn (cách nhau bởi dấu phẩy)", "Tags (comma-separated)"),
            Shared => pick("Chia sẻ với mọi giáo viên", "Shared with every teacher"),
            Note => pick("Ghi chú thay đổi", "What changed"),
            Save => pick("Lưu phiên bản mới", "Save a new version"),
            CloseEditor => pick("Đóng", "Close"),
            PreviewTitle => pick("Học sinh sẽ thấy", "What students see"),
            VersionsTitle => pick("Các phiên bản", "Versions"),
            Version(v, by) => {
                if vi {
                    format!("Phiên bản {v} — {by}")
                } else {
                    format!("Version {v} — {by}")
                }
            }
            HistoryTitle => pick("Thống kê qua các lần thi", "Statistics from sittings"),
            NoHistory => pick(
                "Câu này chưa được thi.",
                "This question has not been sat yet.",
            ),
            ColSitting => pick("Lần thi", "Sitting"),
            ColCandidates => pick("Số thí sinh", "Candidates"),
            ColFacility => pick("Độ khó (tỉ lệ điểm)", "Facility"),
            ColDiscrimination => pick("Độ phân biệt", "Discrimination"),
            ColFlags => pick("Cảnh báo", "Flags"),
            PaperTitle => pick("Tạo đề từ ma trận", "Build a paper from a blueprint"),
            Template2025 => pick("Mẫu đề Toán 2025", "2025 Math template"),
            TemplateSimple => pick("Đề một phần", "One-part paper"),
            Title => pick("Tên đề", "Title"),
            Minutes => pick("Thời gian (phút)", "Minutes"),
            TargetFacility => pick(
                "Độ khó mong muốn (%; để trống: bất kỳ)",
                "Target facility (%; empty: any)",
            ),
            ShowAnswers => pick(
                "Cho học sinh xem đáp án và lời giải sau khi nộp",
                "Show keys and solutions after submitting",
            ),
            Versions => pick(
                "Số mã đề (0: trộn riêng từng thí sinh)",
                "Numbered versions (0: shuffle per candidate)",
            ),
            ColKind => pick("Loại câu", "Kind"),
            ColCount => pick("Số câu", "Questions"),
            ColPoints => pick("Điểm mỗi câu", "Points each"),
            AddRow => pick("Thêm dòng", "Add a row"),
            RemoveRow => pick("Bỏ dòng", "Remove"),
            Predict => pick("Dự đoán phổ điểm", "Predict the scores"),
            Build => pick("Tạo đề", "Build the paper"),
            PredictPicked(n) => {
                if vi {
                    format!("Dự đoán với {n} câu đã chọn")
                } else {
                    format!("Predict with the {n} ticked questions")
                }
            }
            BuildPicked(n) => {
                if vi {
                    format!("Tạo đề từ {n} câu đã chọn")
                } else {
                    format!("Build from the {n} ticked questions")
                }
            }
            Pick(id) => {
                if vi {
                    format!("Chọn câu {id}")
                } else {
                    format!("Pick question {id}")
                }
            }
            Expected { mean, sd, facility } => {
                if vi {
                    format!("Điểm trung bình dự kiến {mean} (độ lệch {sd}), độ khó {facility}%")
                } else {
                    format!("Expected mean mark {mean} (SD {sd}), facility {facility}%")
                }
            }
            Built(id) => {
                if vi {
                    format!("Đã tạo đề {id}.")
                } else {
                    format!("Paper {id} built.")
                }
            }
            PrintPaper => pick("In đề và đáp án", "Print papers and keys"),
            PrintNow => pick("In", "Print"),
            AnswerKeyTitle => pick("Đáp án", "Answer key"),
            VersionCode(c) => {
                if vi {
                    format!("Mã đề {c}")
                } else {
                    format!("Version {c}")
                }
            }
            QuestionNumber(n) => {
                if vi {
                    format!("Câu {n}. ")
                } else {
                    format!("Question {n}. ")
                }
            }
            AnswerBlank => pick("Trả lời: ……………", "Answer: ……………"),
            Tries => pick(
                "Số lần làm mỗi học sinh (0: không giới hạn)",
                "Tries per student (0: unlimited)",
            ),
            CountedLabel => pick("Tính điểm", "Counted"),
            CountBest => pick("Lần cao nhất", "Best try"),
            CountLast => pick("Lần cuối", "Last try"),
            OpenPractice => pick("Mở luyện tập (mã vào thi)", "Open as practice (join code)"),
            PracticeCode(code) => {
                if vi {
                    format!("Mã vào thi: {code}")
                } else {
                    format!("Join code: {code}")
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_and_level_has_both_languages() {
        for kind in [
            "single_choice",
            "true_false",
            "numeric",
            "multiple_response",
        ] {
            assert_ne!(
                BankText::Kind(kind.into()).localise(Lang::Vi),
                BankText::Kind(kind.into()).localise(Lang::En)
            );
        }
        for level in Level::ALL {
            assert_ne!(
                BankText::LevelName(level).localise(Lang::Vi),
                BankText::LevelName(level).localise(Lang::En)
            );
        }
    }
}
