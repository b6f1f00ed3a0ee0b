//! People-readable explanations of every [`ErrorCode`], each saying what to
//! do next, plus the one problem the relay cannot report: not reaching it.

use examgate_shared::error::ErrorCode;

use super::Lang;

/// Something that went wrong, as shown to people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// The relay refused, with its reason.
    Code(ErrorCode),
    /// The relay could not be reached at all.
    Network,
}

impl Problem {
    /// The value of the `data-code` attribute: the snake_case error code, or
    /// `network`.
    pub fn data_code(self) -> &'static str {
        match self {
            Problem::Code(code) => code.as_str(),
            // Not an `ErrorCode`: the relay never says it, the client does.
            Problem::Network => "network",
        }
    }

    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            Problem::Code(code) => code_message(code, lang),
            Problem::Network => pick(
                lang,
                "Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.",
                "Cannot reach the server. Check the network and try again.",
            ),
        }
    }
}

impl From<ErrorCode> for Problem {
    fn from(code: ErrorCode) -> Self {
        Problem::Code(code)
    }
}

fn pick(lang: Lang, vi: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

fn code_message(code: ErrorCode, lang: Lang) -> &'static str {
    use ErrorCode::*;
    let (vi, en) = match code {
        Malformed => (
            "Trình duyệt gửi dữ liệu không hợp lệ. Hãy tải lại trang rồi thử lại.",
            "The browser sent invalid data. Reload the page and try again.",
        ),
        TooLarge => (
            "Dữ liệu gửi đi quá lớn. Hãy tải lại trang rồi thử lại.",
            "The data sent was too large. Reload the page and try again.",
        ),
        UnsupportedVersion => (
            "Trang thi đã cũ hơn máy chủ. Hãy tải lại trang (Ctrl+F5).",
            "This page is older than the server. Reload it (Ctrl+F5).",
        ),
        HelloExpected => (
            "Kết nối với máy chủ bị lỗi. Hãy tải lại trang.",
            "The connection to the server went wrong. Reload the page.",
        ),
        Unauthorized => (
            "Phiên làm việc đã hết hạn hoặc không hợp lệ. Hãy vào lại (nhập mã phòng thi hoặc đăng nhập lại).",
            "Your session has expired or is not valid. Join or sign in again.",
        ),
        Forbidden => (
            "Tài khoản này không được phép làm việc này. Hãy liên hệ người quản lý kỳ thi.",
            "This account is not allowed to do that. Contact the exam organiser.",
        ),
        BadCredentials => (
            "Sai tên đăng nhập hoặc mật khẩu. Kiểm tra lại, chú ý chữ hoa và chữ thường.",
            "Wrong user name or password. Check them, including upper and lower case.",
        ),
        TooManyAttempts => (
            "Đăng nhập sai quá nhiều lần. Hãy chờ 15 phút rồi thử lại, hoặc liên hệ người quản lý kỳ thi.",
            "Too many failed sign-ins. Wait 15 minutes and try again, or contact the exam organiser.",
        ),
        UnknownCode => (
            "Mã phòng thi không đúng. Kiểm tra lại mã giám thị đưa.",
            "This join code is wrong. Check the code your proctor gave you.",
        ),
        ExamNotOpen => (
            "Bài thi chưa mở. Hãy chờ giám thị cho phép rồi thử lại.",
            "The exam has not opened yet. Wait for your proctor, then try again.",
        ),
        ExamClosed => (
            "Bài thi đã đóng, không thể vào thi nữa. Hãy báo giám thị.",
            "The exam has closed; you can no longer join. Tell your proctor.",
        ),
        InvalidName => (
            "Họ tên để trống hoặc quá dài. Hãy nhập đầy đủ họ tên của em.",
            "The name is empty or too long. Enter your full name.",
        ),
        AlreadyJoined => (
            "Thí sinh này đã vào thi trên máy khác. Hãy báo giám thị để được giúp.",
            "This candidate has already started on another computer. Ask your proctor for help.",
        ),
        UnknownQuestion => (
            "Câu hỏi này không có trong đề. Hãy tải lại trang.",
            "That question is not in this exam. Reload the page.",
        ),
        UnknownOption => (
            "Phương án này không có trong câu hỏi. Hãy tải lại trang.",
            "That option is not part of the question. Reload the page.",
        ),
        InvalidAnswer => (
            "Câu trả lời không hợp lệ với câu hỏi này nên không được lưu. Hãy kiểm tra lại rồi trả lời lại.",
            "That answer does not fit the question, so it was not saved. Check it and answer again.",
        ),
        DeadlinePassed => (
            "Đã hết giờ: câu trả lời đến máy chủ quá muộn nên không được tính.",
            "Time is up: the answer reached the server too late and was not counted.",
        ),
        AttemptClosed => (
            "Bài thi đã nộp hoặc đã kết thúc nên không sửa được nữa.",
            "The exam was already handed in or closed, so it cannot be changed.",
        ),
        OutOfOrder => (
            "Câu trả lời đến máy chủ không theo thứ tự; đang gửi lại.",
            "Answers reached the server out of order; sending them again.",
        ),
        Replaced => (
            "Bài thi đang được mở ở tab hoặc máy khác.",
            "This is open in another tab or on another computer.",
        ),
        CheckinRequired => (
            "Phòng thi này chỉ vào thi bằng thẻ căn cước gắn chip. Hãy đặt thẻ lên đầu đọc hoặc nhờ giám thị.",
            "This room admits candidates only with their chip ID card. Place your card on the reader or ask the proctor.",
        ),
        ChallengeInvalid => (
            "Phiên kiểm tra thẻ đã hết hạn hoặc đã dùng. Hãy đặt lại thẻ để đọc lại.",
            "The card check expired or was already used. Place the card again to read it anew.",
        ),
        CardIncomplete => (
            "Chưa đọc đủ dữ liệu trên thẻ (thẻ bị nhấc ra giữa chừng?). Hãy đặt thẻ nằm yên trên đầu đọc rồi thử lại.",
            "Not all of the card was read (was it lifted too early?). Keep the card still on the reader and try again.",
        ),
        CardMalformed => (
            "Dữ liệu trên thẻ không đọc được. Hãy báo giám thị.",
            "The card's data could not be understood. Tell your proctor.",
        ),
        CardUntrusted => (
            "Thẻ không do cơ quan có thẩm quyền cấp (chữ ký số không hợp lệ). Giám thị sẽ kiểm tra giấy tờ của em.",
            "The card was not issued by a trusted authority (its signature does not check). The proctor will check your documents.",
        ),
        CardAltered => (
            "Dữ liệu trên thẻ đã bị sửa đổi. Giám thị sẽ kiểm tra giấy tờ của em.",
            "The card's data has been altered. The proctor will check your documents.",
        ),
        CardNotGenuine => (
            "Chip trên thẻ không chứng minh được là thẻ thật (có thể là thẻ sao chép). Giám thị sẽ kiểm tra giấy tờ của em.",
            "The chip could not prove it is the original card (possibly a copy). The proctor will check your documents.",
        ),
        CardUnsupported => (
            "Chip trên thẻ này không hỗ trợ kiểm tra chống sao chép. Giám thị sẽ kiểm tra giấy tờ của em.",
            "This card's chip does not support the anti-copy check. The proctor will check your documents.",
        ),
        NotOnRoster => (
            "Em không có tên trong danh sách phòng thi này. Hãy kiểm tra lại phòng thi hoặc báo giám thị.",
            "You are not on this room's list for this exam. Check your room or tell the proctor.",
        ),
        AlreadyCheckedIn => (
            "Thẻ này đang được dùng ở một máy khác. Nếu em đổi máy, hãy nhờ giám thị giải phóng máy cũ.",
            "This card is checked in on another computer. If you changed computers, ask the proctor to release the old one.",
        ),
        CheckinRejected => (
            "Giám thị không xác nhận em là người trên thẻ. Hãy gặp giám thị.",
            "The proctor did not confirm you as the card's holder. Please see the proctor.",
        ),
        SeatCodeInvalid => (
            "Mã chỗ ngồi không đúng, đã hết hạn hoặc đã dùng. Hãy xin giám thị mã mới.",
            "The seat code is wrong, expired or already used. Ask the proctor for a new one.",
        ),
        CandidateNumberRequired => (
            "Phòng này chỉ dành cho thí sinh đã đăng ký: hãy nhập số báo danh và ngày sinh.",
            "This room is for registered candidates: type your candidate number and date of birth.",
        ),
        BirthMismatch => (
            "Ngày sinh không khớp với danh sách đăng ký. Kiểm tra lại (dd/mm/yyyy) hoặc báo giám thị.",
            "The date of birth does not match the registration. Check it (dd/mm/yyyy) or tell the proctor.",
        ),
        NotFound => (
            "Không tìm thấy mục này (ca thi, điểm thi, phòng, kỳ thi hoặc tài khoản).",
            "Not found (shift, site, room, exam or account).",
        ),
        Conflict => (
            "Tên hoặc số này đã có (phòng, tài khoản, số báo danh).",
            "That name or number is already taken (room, account, candidate number).",
        ),
        Invalid => (
            "Dữ liệu nhập chưa hợp lệ; xem chi tiết bên dưới.",
            "Some input is not valid; see the details below.",
        ),
        ImportRejected => (
            "Tệp danh sách có lỗi nên chưa nhập gì. Sửa các dòng được liệt kê rồi nhập lại.",
            "The roster file has errors, so nothing was imported. Fix the rows listed and import again.",
        ),
        AccountDisabled => (
            "Tài khoản này đã bị khóa. Hãy liên hệ hội đồng thi.",
            "This account is disabled. Contact the exam office.",
        ),
        SetupInvalid => (
            "Liên kết thiết lập không đúng hoặc đã được dùng.",
            "The set-up link is wrong or was already used.",
        ),
        Paused => (
            "Bài thi đang tạm dừng theo lệnh giám thị; chưa nhận câu trả lời cho đến khi tiếp tục.",
            "The exam is paused by the proctor; no answers are taken until it resumes.",
        ),
        Internal => (
            "Máy chủ gặp lỗi, chưa có gì bị thay đổi. Chờ một lát rồi thử lại; nếu vẫn lỗi, hãy báo giám thị.",
            "The server failed and nothing was changed. Wait a moment and try again; if it keeps failing, tell your proctor.",
        ),
        Overloaded => (
            "Máy chủ đang quá tải, chưa có gì bị thay đổi. Hãy thử lại sau vài giây.",
            "The server is full right now and nothing was changed. Try again in a few seconds.",
        ),
    };
    pick(lang, vi, en)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_codes_are_wire_names() {
        for code in ErrorCode::ALL {
            let data_code = Problem::Code(code).data_code();
            assert_eq!(data_code, code.as_str());
            assert_eq!(ErrorCode::parse(data_code), Some(code));
        }
        assert_eq!(
            Problem::Code(ErrorCode::DeadlinePassed).data_code(),
            "deadline_passed"
        );
        assert_eq!(Problem::Network.data_code(), "network");
        assert_eq!(ErrorCode::parse("network"), None);
    }

    #[test]
    fn every_problem_is_explained_in_both_languages() {
        let problems = ErrorCode::ALL
            .into_iter()
            .map(Problem::Code)
            .chain([Problem::Network]);
        for problem in problems {
            let (vi, en) = (problem.message(Lang::Vi), problem.message(Lang::En));
            assert!(
                !vi.trim().is_empty(),
                "{problem:?} has no Vietnamese message"
            );
            assert!(!en.trim().is_empty(), "{problem:?} has no English message");
            assert_ne!(vi, en, "{problem:?} is not translated");
        }
    }
}
