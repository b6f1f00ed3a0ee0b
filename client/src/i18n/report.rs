//! The results page's strings (`/results`), in Vietnamese and English.
//!
//! Kept apart from [`super::Text`]'s exam and dashboard strings because there
//! are many and only teachers read them; they reach components as
//! `Text::Report(…)`, so they go through the same `t()` and the same
//! exhaustive match rule: no key without both languages.

use std::borrow::Cow;

use examgate_shared::analysis::{Flag, Reason, What};
use examgate_shared::csv::CsvError;
use examgate_shared::import::ImportError;

use super::Lang;
use crate::results::state::{ImportField, SortKey};

#[derive(Debug, Clone, PartialEq)]
pub enum ReportText {
    // ------------------------------------------------------------ page
    /// The link back to the dashboard.
    DashboardLink,
    PageTitle,
    SittingsTitle,
    SittingsLoading,
    NoSittings,
    Refresh,
    /// When a sitting opens and closes, already formatted.
    Window {
        opens: String,
        closes: String,
    },
    Finished {
        finished: usize,
        attempts: usize,
    },
    PickSitting,
    ResultsLoading,
    ImportedTitle,
    Candidates(usize),
    ExportCsv,
    ExportJson,
    /// Prints the report (statistics, histogram, item table) alone.
    PrintReport,
    /// Not a teacher or the central proctor: results are not theirs.
    NotAllowed,
    /// The audit chain's head: its first 16 hex digits and entry number.
    AuditHead {
        hash16: String,
        entry: u64,
    },

    // ------------------------------------------------------------ test statistics
    TestStatsTitle,
    StatAttempts,
    StatItems,
    StatMaxPoints,
    StatMean10,
    StatSd10,
    StatMean,
    StatMedian,
    StatSd,
    StatSkewness,
    StatKurtosis,
    StatAlpha,
    StatSem,
    StatErrorRatio,
    StatGroupSize,
    Undefined,
    Reason(Reason),

    // ------------------------------------------------------------ histogram
    HistogramTitle,
    HistogramX,
    HistogramY,
    /// One bar's tooltip; marks already formatted. The last bar includes 10.
    Bin {
        from: String,
        to: String,
        count: u32,
        last: bool,
    },

    // ------------------------------------------------------------ items
    ItemsTitle,
    ItemsHint,
    /// A column heading of the item table.
    Column(SortKey),
    /// What a column measures, for the heading's tooltip.
    ColumnHelp(SortKey),
    /// A flag's badge; the option letter is part of it for distractors.
    FlagBadge(Flag),
    /// A flag's full sentence (the shared crate's own text).
    FlagSentence(Flag),
    NoItems,

    // ------------------------------------------------------------ options
    OptionsTitle(u32),
    Everyone,
    UpperGroup,
    LowerGroup,
    KeyMark,
    Blank,
    ShareAxis,
    /// An option's point-biserial, already formatted.
    OptionPb(String),
    NoOptions,
    /// Facility in the upper and lower groups, already formatted.
    GroupFacility {
        upper: String,
        lower: String,
    },

    // ------------------------------------------------------------ candidates
    RowsTitle,
    ColRoom,
    ColScore,
    ColNumber,
    NoRows,
    /// The filter box over the candidates.
    RowsFilter,
    RowsAllRooms,
    /// "rows 101–200 of 1,000 (3,000 in all)".
    RowsPage {
        first: usize,
        last: usize,
        matching: usize,
        total: usize,
    },
    RowsPrev,
    RowsNext,

    // ------------------------------------------------------------ import
    ImportTitle,
    ImportIntro,
    ImportFile(ImportField),
    ImportPaste(ImportField),
    ImportRun,
    /// Fills both texts with the documented example.
    ImportExample,
    ImportUnreadable(ImportField),
    ImportProblem(ImportError),
    FormatTitle,
    FormatKey,
    FormatTypes,
    FormatResponses,
    FormatCells,
    FormatExample,
}

impl ReportText {
    pub fn render(&self, lang: Lang) -> String {
        self.localise(lang).into_owned()
    }

    pub(super) fn localise(&self, lang: Lang) -> Cow<'static, str> {
        let vi = lang == Lang::Vi;
        let pick = |v: &'static str, e: &'static str| Cow::Borrowed(if vi { v } else { e });
        let fmt = |v: String, e: String| Cow::Owned(if vi { v } else { e });
        match self {
            ReportText::DashboardLink => pick("Theo dõi phòng thi", "Exam rooms"),
            ReportText::PageTitle => {
                pick("Kết quả và phân tích đề thi", "Results and item analysis")
            }
            ReportText::SittingsTitle => pick("Các buổi thi", "Sittings"),
            ReportText::SittingsLoading => {
                pick("Đang tải danh sách buổi thi…", "Loading sittings…")
            }
            ReportText::NoSittings => pick("Chưa có buổi thi nào.", "No sittings yet."),
            ReportText::Refresh => pick("Tải lại", "Refresh"),
            ReportText::Window { opens, closes } => fmt(
                format!("Mở {opens} — đóng {closes}"),
                format!("Opens {opens} — closes {closes}"),
            ),
            ReportText::Finished { finished, attempts } => fmt(
                format!("Đã nộp {finished}/{attempts} bài"),
                format!("{finished} of {attempts} finished"),
            ),
            ReportText::PickSitting => pick(
                "Chọn một buổi thi để xem kết quả, hoặc nhập kết quả từ tệp.",
                "Pick a sitting to see its results, or import results from files.",
            ),
            ReportText::ResultsLoading => pick("Đang tải kết quả…", "Loading results…"),
            ReportText::ImportedTitle => pick("Kết quả nhập từ tệp", "Results imported from files"),
            ReportText::Candidates(n) => fmt(
                format!("{n} thí sinh"),
                if *n == 1 {
                    "1 candidate".to_owned()
                } else {
                    format!("{n} candidates")
                },
            ),
            ReportText::ExportCsv => pick("Tải bảng điểm (CSV)", "Download marks (CSV)"),
            ReportText::ExportJson => {
                pick("Tải toàn bộ kết quả (JSON)", "Download full results (JSON)")
            }
            ReportText::PrintReport => pick("In báo cáo", "Print the report"),
            ReportText::NotAllowed => pick(
                "Chỉ giáo viên và giám sát chung được xem kết quả. Hãy đăng nhập bằng tài khoản khác.",
                "Only teachers and the central proctor may see results. Sign in with another account.",
            ),
            ReportText::AuditHead { hash16, entry } => fmt(
                format!("Mã kiểm chứng nhật ký: {hash16} (mục {entry})"),
                format!("Audit chain head: {hash16} (entry {entry})"),
            ),

            ReportText::TestStatsTitle => pick("Thống kê đề thi", "Test statistics"),
            ReportText::StatAttempts => pick("Số bài làm (n)", "Attempts (n)"),
            ReportText::StatItems => pick("Số câu được phân tích", "Items analysed"),
            ReportText::StatMaxPoints => pick("Điểm tối đa của đề", "Maximum points"),
            ReportText::StatMean10 => {
                pick("Điểm trung bình (thang 10)", "Mean mark (10-point scale)")
            }
            ReportText::StatSd10 => pick(
                "Độ lệch chuẩn (thang 10)",
                "Standard deviation (10-point scale)",
            ),
            ReportText::StatMean => pick("Điểm trung bình (điểm)", "Mean (points)"),
            ReportText::StatMedian => pick("Trung vị (điểm)", "Median (points)"),
            ReportText::StatSd => pick("Độ lệch chuẩn (điểm)", "Standard deviation (points)"),
            ReportText::StatSkewness => pick("Độ lệch (skewness)", "Skewness"),
            ReportText::StatKurtosis => pick("Độ nhọn (kurtosis dư)", "Excess kurtosis"),
            ReportText::StatAlpha => pick("Độ tin cậy (Cronbach's alpha)", "Cronbach's alpha"),
            ReportText::StatSem => pick(
                "Sai số chuẩn của phép đo SEM (điểm)",
                "Standard error of measurement (points)",
            ),
            ReportText::StatErrorRatio => pick("Tỉ lệ sai số (%)", "Error ratio (%)"),
            ReportText::StatGroupSize => pick(
                "Số bài trong mỗi nhóm cao, thấp (27 %)",
                "Attempts in each upper and lower group (27 %)",
            ),
            ReportText::Undefined => pick("không xác định", "undefined"),
            ReportText::Reason(reason) => reason_text(*reason, vi),

            ReportText::HistogramTitle => pick("Phổ điểm", "Score distribution"),
            ReportText::HistogramX => pick("Điểm (thang 10)", "Mark (10-point scale)"),
            ReportText::HistogramY => pick("Số thí sinh", "Candidates"),
            ReportText::Bin {
                from,
                to,
                count,
                last,
            } => {
                let (v_to, e_to) = if *last {
                    (format!("đến {to}"), format!("to {to}"))
                } else {
                    (format!("đến dưới {to}"), format!("to under {to}"))
                };
                fmt(
                    format!("Từ {from} {v_to}: {count} thí sinh"),
                    format!("{from} {e_to}: {count} candidates"),
                )
            }

            ReportText::ItemsTitle => pick("Phân tích từng câu hỏi", "Item analysis"),
            ReportText::ItemsHint => pick(
                "Bấm vào tiêu đề cột để sắp xếp; bấm vào một câu để xem các phương án.",
                "Click a column heading to sort; click a question to see its options.",
            ),
            ReportText::Column(key) => column(*key, vi),
            ReportText::ColumnHelp(key) => column_help(*key, vi),
            ReportText::FlagBadge(flag) => flag_badge(*flag, vi),
            ReportText::FlagSentence(flag) => Cow::Borrowed(if vi { flag.vi() } else { flag.en() }),
            ReportText::NoItems => pick(
                "Đề không có câu hỏi nào để phân tích.",
                "No items to analyse.",
            ),

            ReportText::OptionsTitle(q) => fmt(
                format!("Câu {q}: phân tích phương án"),
                format!("Question {q}: option analysis"),
            ),
            ReportText::Everyone => pick("Tất cả", "Everyone"),
            ReportText::UpperGroup => pick("Nhóm cao (27 %)", "Upper group (27 %)"),
            ReportText::LowerGroup => pick("Nhóm thấp (27 %)", "Lower group (27 %)"),
            ReportText::KeyMark => pick("đáp án", "key"),
            ReportText::Blank => pick("Bỏ trống", "Blank"),
            ReportText::ShareAxis => pick("Tỉ lệ chọn (%)", "Share choosing it (%)"),
            ReportText::OptionPb(r) => fmt(format!("tương quan {r} %"), format!("r = {r} %")),
            ReportText::NoOptions => pick(
                "Câu này không phải câu trắc nghiệm một đáp án nên không có phân tích từng phương án.",
                "This is not a single-choice question, so there is no per-option analysis.",
            ),
            ReportText::GroupFacility { upper, lower } => fmt(
                format!("Độ dễ ở nhóm cao {upper} %, ở nhóm thấp {lower} %."),
                format!("Facility {upper} % in the upper group, {lower} % in the lower group."),
            ),

            ReportText::RowsTitle => pick("Danh sách thí sinh", "Candidates"),
            ReportText::ColRoom => pick("Phòng", "Room"),
            ReportText::ColScore => pick("Điểm thô", "Score (points)"),
            ReportText::NoRows => pick("Chưa có bài làm nào.", "No attempts yet."),
            ReportText::ColNumber => pick("SBD", "No."),
            ReportText::RowsFilter => pick(
                "Tìm theo họ tên hoặc số báo danh",
                "Find by name or candidate number",
            ),
            ReportText::RowsAllRooms => pick("Mọi phòng", "All rooms"),
            ReportText::RowsPage {
                first,
                last,
                matching,
                total,
            } => fmt(
                format!("Dòng {first}–{last} trong {matching} (tổng {total})"),
                format!("Rows {first}–{last} of {matching} ({total} in all)"),
            ),
            ReportText::RowsPrev => pick("‹ Trang trước", "‹ Previous"),
            ReportText::RowsNext => pick("Trang sau ›", "Next ›"),

            ReportText::ImportTitle => pick("Nhập từ tệp CSV", "Import from CSV files"),
            ReportText::ImportIntro => pick(
                "Phân tích phiếu trả lời chấm ở nơi khác (máy chấm trắc nghiệm, nền tảng khác) từ một tệp đáp án và một tệp bài làm dạng CSV. Mọi tính toán chạy trên máy này; không có gì được gửi đi.",
                "Analyse answer sheets from elsewhere (an OMR scanner, another platform) from a key file and a responses file in CSV. Everything runs on this computer; nothing is sent.",
            ),
            ReportText::ImportFile(ImportField::Key) => pick("Tệp đáp án (CSV)", "Key file (CSV)"),
            ReportText::ImportFile(ImportField::Responses) => {
                pick("Tệp bài làm (CSV)", "Responses file (CSV)")
            }
            ReportText::ImportPaste(ImportField::Key) => pick(
                "Nội dung tệp đáp án (có thể dán vào đây)",
                "Key file contents (or paste here)",
            ),
            ReportText::ImportPaste(ImportField::Responses) => pick(
                "Nội dung tệp bài làm (có thể dán vào đây)",
                "Responses file contents (or paste here)",
            ),
            ReportText::ImportRun => pick("Phân tích", "Analyse"),
            ReportText::ImportExample => pick("Điền dữ liệu ví dụ", "Fill in the example"),
            ReportText::ImportUnreadable(field) => fmt(
                format!(
                    "Không đọc được {}. Hãy chọn lại tệp.",
                    file_name(*field, true)
                ),
                format!(
                    "Cannot read the {}. Choose the file again.",
                    file_name(*field, false)
                ),
            ),
            ReportText::ImportProblem(e) => import_problem(e, vi),
            ReportText::FormatTitle => pick("Định dạng tệp", "File format"),
            ReportText::FormatKey => pick(
                "Hai tệp CSV mã UTF-8, phân cách bằng dấu phẩy (hoặc dấu chấm phẩy như Excel tiếng Việt lưu). Tệp đáp án: mỗi dòng một câu, dòng đầu là tiêu đề question,type,key,points (thêm options, tolerance nếu cần), thứ tự cột tùy ý. question là số câu; points là số điểm của câu (dấu chấm hoặc dấu phẩy thập phân); options là số phương án (mặc định 4); tolerance là sai số cho phép của câu điền số.",
                "Two CSV files in UTF-8, separated by commas (or semicolons, as spreadsheets in Vietnamese locales save them). Key file: one row per question, with the header question,type,key,points (plus options and tolerance when needed), columns in any order. question is the question number; points what it is worth (decimal point or comma); options the number of options (4 if absent); tolerance the accepted error of a numeric answer.",
            ),
            ReportText::FormatTypes => pick(
                "type là một trong: single_choice (một đáp án, key là một chữ A–H), true_false (Đúng/Sai từng ý, key như ĐSĐĐ hoặc TFTT), numeric (điền số, key như -1,5), multiple_response (nhiều đáp án, key như AC), mark (đã chấm ở nơi khác: ô bài làm là số điểm, key để trống).",
                "type is one of: single_choice (one key, a letter A–H), true_false (true/false per statement, key like ĐSĐĐ or TFTT), numeric (a typed number, key like -1,5), multiple_response (several keys, like AC), mark (marked elsewhere: cells are marks, key left empty).",
            ),
            ReportText::FormatResponses => pick(
                "Tệp bài làm: dòng đầu là candidate và các số câu (candidate,1,2,3,… hoặc q1, c1), theo thứ tự bất kỳ, không cần đủ mọi câu; mỗi dòng sau là một thí sinh.",
                "Responses file: the header is candidate and the question numbers (candidate,1,2,3,… or q1, c1), in any order, not necessarily every question; then one row per candidate.",
            ),
            ReportText::FormatCells => pick(
                "Mỗi ô là câu trả lời: B; ĐSĐĐ (dấu - cho ý bỏ trống); -1,5; AC; hoặc số điểm như 0,75 cho câu loại mark. Ô trống là không trả lời. Số có dấu phẩy phải đặt trong ngoặc kép: \"-1,5\".",
                "Each cell is an answer: B; ĐSĐĐ (- for an undecided statement); -1,5; AC; or a mark such as 0,75 for a mark item. An empty cell is unanswered. A number with a comma must be quoted: \"-1,5\".",
            ),
            ReportText::FormatExample => pick("Ví dụ", "Example"),
        }
    }
}

fn file_name(field: ImportField, vi: bool) -> &'static str {
    match (field, vi) {
        (ImportField::Key, true) => "tệp đáp án",
        (ImportField::Responses, true) => "tệp bài làm",
        (ImportField::Key, false) => "key file",
        (ImportField::Responses, false) => "responses file",
    }
}

fn reason_text(reason: Reason, vi: bool) -> Cow<'static, str> {
    let (v, e) = match reason {
        Reason::TooFewAttempts { needed, got } => (
            format!("Cần ít nhất {needed} bài làm để tính, hiện có {got}."),
            format!("Needs at least {needed} attempts; there are {got}."),
        ),
        Reason::TooFewItems { needed, got } => (
            format!("Cần ít nhất {needed} câu hỏi để tính, đề chỉ có {got}."),
            format!("Needs at least {needed} items; the test has {got}."),
        ),
        Reason::NoItems => (
            "Đề không có câu hỏi nào được phân tích.".to_owned(),
            "The test has no analysed items.".to_owned(),
        ),
        Reason::ZeroVariance(What::Item) => (
            "Mọi thí sinh được cùng một điểm ở câu này, nên không có độ biến thiên để tính.".to_owned(),
            "Every candidate scored the same on this item, so there is no variation to measure.".to_owned(),
        ),
        Reason::ZeroVariance(What::Rest) => (
            "Điểm phần còn lại của đề (tổng trừ câu này) như nhau ở mọi thí sinh, ví dụ đề chỉ có một câu.".to_owned(),
            "The rest of the test (total minus this item) is the same for everyone, e.g. a one-item test.".to_owned(),
        ),
        Reason::ZeroVariance(What::Totals) => (
            "Mọi thí sinh có cùng tổng điểm, nên không có độ biến thiên để tính.".to_owned(),
            "Every candidate has the same total, so there is no variation to measure.".to_owned(),
        ),
        Reason::ZeroVariance(What::Option) => (
            "Không ai chọn, hoặc ai cũng chọn, phương án này.".to_owned(),
            "Nobody, or everybody, chose this option.".to_owned(),
        ),
        Reason::NegativeCovariance => (
            "Điểm câu này biến thiên ngược chiều với tổng điểm, nên câu không có trọng số hiệu dụng.".to_owned(),
            "This item's marks move against the totals, so it has no effective weight.".to_owned(),
        ),
    };
    Cow::Owned(if vi { v } else { e })
}

fn column(key: SortKey, vi: bool) -> Cow<'static, str> {
    let (v, e) = match key {
        SortKey::Question => ("Câu", "Question"),
        SortKey::Facility => ("Độ dễ %", "Facility %"),
        SortKey::Sd => ("Độ lệch chuẩn %", "SD %"),
        SortKey::Di => ("Chỉ số phân biệt DI %", "Discrimination index %"),
        SortKey::De => ("Hiệu quả phân biệt DE %", "Discriminative efficiency %"),
        SortKey::PointBiserial => ("Tương quan điểm–tổng %", "Point-biserial %"),
        SortKey::UpperLower => ("Cao − thấp D %", "Upper − lower D %"),
        SortKey::RandomGuess => ("Đoán ngẫu nhiên %", "Random guess %"),
        SortKey::EffectiveWeight => ("Trọng số hiệu dụng %", "Effective weight %"),
        SortKey::Flags => ("Cảnh báo", "Flags"),
    };
    Cow::Borrowed(if vi { v } else { e })
}

fn column_help(key: SortKey, vi: bool) -> Cow<'static, str> {
    let (v, e) = match key {
        SortKey::Question => ("Số câu trong đề", "The question's number"),
        SortKey::Facility => (
            "Điểm trung bình của câu so với điểm tối đa của câu",
            "The item's mean mark as a share of its maximum",
        ),
        SortKey::Sd => (
            "Độ lệch chuẩn điểm của câu so với điểm tối đa",
            "The SD of the item's marks as a share of its maximum",
        ),
        SortKey::Di => (
            "Tương quan giữa điểm câu và điểm phần còn lại của đề; dưới 20 là kém, âm là đáng ngờ",
            "Correlation of the item with the rest of the test; under 20 is weak, negative is suspect",
        ),
        SortKey::De => (
            "Chỉ số phân biệt so với mức cao nhất câu này có thể đạt",
            "The discrimination index relative to the most this item could reach",
        ),
        SortKey::PointBiserial => (
            "Tương quan giữa điểm câu và tổng điểm",
            "Correlation of the item's marks with the totals",
        ),
        SortKey::UpperLower => (
            "Độ dễ ở nhóm 27 % điểm cao trừ độ dễ ở nhóm 27 % điểm thấp",
            "Facility in the top 27 % minus facility in the bottom 27 %",
        ),
        SortKey::RandomGuess => (
            "Điểm kỳ vọng nếu đoán mò, so với điểm tối đa",
            "The expected mark of a blind guess, as a share of the maximum",
        ),
        SortKey::EffectiveWeight => (
            "Phần đóng góp thực tế của câu vào độ phân tán tổng điểm",
            "The item's actual share in the spread of the totals",
        ),
        SortKey::Flags => (
            "Các điểm cần xem lại ở câu này",
            "What to look at in this item",
        ),
    };
    Cow::Borrowed(if vi { v } else { e })
}

fn flag_badge(flag: Flag, vi: bool) -> Cow<'static, str> {
    let letter = |option: u8| char::from(b'A' + option.min(25));
    Cow::Owned(match flag {
        Flag::LikelyWrongKey => if vi {
            "Nghi sai đáp án"
        } else {
            "Likely wrong key"
        }
        .to_owned(),
        Flag::TooEasy => if vi { "Quá dễ" } else { "Too easy" }.to_owned(),
        Flag::TooHard => if vi { "Quá khó" } else { "Too hard" }.to_owned(),
        Flag::DoesNotDiscriminate => if vi {
            "Phân biệt kém"
        } else {
            "Does not discriminate"
        }
        .to_owned(),
        Flag::UnusedDistractor { option } => {
            let l = letter(option);
            if vi {
                format!("{l}: ít người chọn")
            } else {
                format!("{l}: unused distractor")
            }
        }
        Flag::DistractorFavoursStrong { option } => {
            let l = letter(option);
            if vi {
                format!("{l}: hút nhóm giỏi")
            } else {
                format!("{l}: draws strong students")
            }
        }
    })
}

fn import_problem(e: &ImportError, vi: bool) -> Cow<'static, str> {
    let file = |name: &str| match (name, vi) {
        ("key", true) => "Tệp đáp án",
        ("key", false) => "Key file",
        (_, true) => "Tệp bài làm",
        (_, false) => "Responses file",
    };
    // The detail after the location comes from the shared importer, which
    // writes English; the location, which is what a teacher acts on, is
    // translated.
    let (v, en) = match e {
        ImportError::Csv(CsvError::StrayQuote { line }, f) => (
            format!(
                "{}, dòng {line}: có dấu ngoặc kép nằm giữa một ô không mở bằng ngoặc kép.",
                file(f)
            ),
            format!(
                "{}, line {line}: a quote in the middle of an unquoted field.",
                file(f)
            ),
        ),
        ImportError::Csv(CsvError::UnclosedQuote, f) => (
            format!("{}: có một ô mở ngoặc kép mà không đóng.", file(f)),
            format!("{}: a quoted field is never closed.", file(f)),
        ),
        ImportError::Empty { file: f } => (
            format!("{} trống.", file(f)),
            format!("{} is empty.", file(f)),
        ),
        ImportError::Key { line, why } => (
            format!("Tệp đáp án, dòng {line}: {why}"),
            format!("Key file, line {line}: {why}"),
        ),
        ImportError::Cell { line, column, why } => (
            format!("Tệp bài làm, dòng {line}, cột {column}: {why}"),
            format!("Responses file, line {line}, column {column}: {why}"),
        ),
        ImportError::UnknownColumn { column, name } => (
            format!(
                "Tệp bài làm, cột {column}: tiêu đề «{name}» không phải câu nào trong tệp đáp án."
            ),
            format!("Responses file, column {column}: {name:?} is not a question of the key."),
        ),
        ImportError::Invalid(why) => (
            format!("Tệp đáp án không hợp lệ: {why}"),
            format!("The key is not valid: {why}"),
        ),
    };
    Cow::Owned(if vi { v } else { en })
}

#[cfg(test)]
mod tests {
    use super::*;

    const REASONS: [Reason; 8] = [
        Reason::TooFewAttempts { needed: 2, got: 1 },
        Reason::TooFewItems { needed: 2, got: 1 },
        Reason::NoItems,
        Reason::ZeroVariance(What::Item),
        Reason::ZeroVariance(What::Rest),
        Reason::ZeroVariance(What::Totals),
        Reason::ZeroVariance(What::Option),
        Reason::NegativeCovariance,
    ];

    #[test]
    fn every_reason_is_explained_in_both_languages() {
        for reason in REASONS {
            let text = ReportText::Reason(reason);
            let (vi, en) = (text.render(Lang::Vi), text.render(Lang::En));
            assert!(!vi.is_empty() && !en.is_empty() && vi != en, "{reason:?}");
        }
        assert_eq!(
            ReportText::Reason(Reason::TooFewAttempts { needed: 3, got: 2 }).render(Lang::Vi),
            "Cần ít nhất 3 bài làm để tính, hiện có 2."
        );
    }

    #[test]
    fn flags_and_columns_in_both_languages() {
        let flags = [
            Flag::LikelyWrongKey,
            Flag::TooEasy,
            Flag::TooHard,
            Flag::DoesNotDiscriminate,
            Flag::UnusedDistractor { option: 2 },
            Flag::DistractorFavoursStrong { option: 0 },
        ];
        for flag in flags {
            let badge = ReportText::FlagBadge(flag);
            assert_ne!(badge.render(Lang::Vi), badge.render(Lang::En), "{flag:?}");
        }
        assert_eq!(
            ReportText::FlagBadge(Flag::UnusedDistractor { option: 2 }).render(Lang::Vi),
            "C: ít người chọn"
        );
        for key in SortKey::ALL {
            let (c, h) = (ReportText::Column(key), ReportText::ColumnHelp(key));
            assert_ne!(c.render(Lang::Vi), c.render(Lang::En), "{key:?}");
            assert_ne!(h.render(Lang::Vi), h.render(Lang::En), "{key:?}");
        }
    }

    #[test]
    fn import_problems_keep_their_location() {
        let e = ImportError::Cell {
            line: 5,
            column: 2,
            why: "\"Z\" is not one letter".into(),
        };
        assert_eq!(
            ReportText::ImportProblem(e.clone()).render(Lang::Vi),
            "Tệp bài làm, dòng 5, cột 2: \"Z\" is not one letter"
        );
        assert_eq!(
            ReportText::ImportProblem(e).render(Lang::En),
            "Responses file, line 5, column 2: \"Z\" is not one letter"
        );
        let e = ImportError::Empty { file: "key" };
        assert_eq!(
            ReportText::ImportProblem(e).render(Lang::Vi),
            "Tệp đáp án trống."
        );
    }
}
