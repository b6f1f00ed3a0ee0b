//! The printouts' words (room list, seat cards, proctors' minutes), in
//! Vietnamese and English. The Vietnamese follow the wording of the papers
//! schools already use ("DANH SÁCH THÍ SINH PHÒNG THI", "BIÊN BẢN COI
//! THI", "CBCT"); they reach components as
//! `Text::Office(OfficeText::Print(…))`.

use crate::i18n::Lang;

#[derive(Debug, Clone, PartialEq)]
pub enum PrintText {
    NationalTitle,
    NationalMotto,
    RoomListTitle,
    SeatCardTitle,
    RoomCardTitle,
    MinutesTitle,
    Event,
    Site,
    Room,
    Shift,
    Day,
    Starts,
    Paper,
    MinutesUnit,
    ColStt,
    ColSbd,
    ColFamily,
    ColGiven,
    ColBirth,
    ColClass,
    ColSeat,
    ColPhoto,
    ColSign,
    /// "Danh sách có … thí sinh".
    ListCount(usize),
    /// "CÁN BỘ COI THI 1" / "2".
    Proctor(u8),
    SignHint,
    JoinCode,
    ScanHint,
    PlannedStart,
    ActualStart,
    PlannedEnd,
    ActualEnd,
    Listed,
    Present,
    Absent,
    AbsentTitle,
    FullName,
    Note,
    IncidentsTitle,
    Time,
    Candidate,
    What,
    Action,
    IdentityTitle,
    IdChip,
    IdDocument,
    IdPhoto,
    IdOther,
    ReconnectsTitle,
    TimeAddedTitle,
    SiteHead,
    CountersignHint,
    /// The audit chain's head when the minutes were printed: all 64 hex
    /// digits and the entry number.
    AuditHead {
        hash: String,
        entry: u64,
    },
    /// What that head is for.
    AuditHeadHint,
    /// The head could not be fetched: a blank to write it in.
    AuditHeadMissing,
}

impl PrintText {
    pub fn localise(&self, lang: Lang) -> String {
        let pick = |vi: &str, en: &str| match lang {
            Lang::Vi => vi.to_owned(),
            Lang::En => en.to_owned(),
        };
        use PrintText::*;
        match self {
            NationalTitle => pick(
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "SOCIALIST REPUBLIC OF VIET NAM",
            ),
            NationalMotto => pick(
                "Độc lập - Tự do - Hạnh phúc",
                "Independence - Freedom - Happiness",
            ),
            RoomListTitle => pick("DANH SÁCH THÍ SINH PHÒNG THI", "EXAM ROOM CANDIDATE LIST"),
            SeatCardTitle => pick("THẺ DỰ THI", "CANDIDATE CARD"),
            RoomCardTitle => pick("MÃ VÀO THI CỦA PHÒNG", "THE ROOM'S JOIN CODE"),
            MinutesTitle => pick("BIÊN BẢN COI THI", "PROCTORS' MINUTES"),
            Event => pick("Kỳ thi", "Exam"),
            Site => pick("Điểm thi", "Site"),
            Room => pick("Phòng thi", "Room"),
            Shift => pick("Ca thi", "Shift"),
            Day => pick("Ngày thi", "Date"),
            Starts => pick("Giờ bắt đầu", "Starts"),
            Paper => pick("Bài thi", "Paper"),
            MinutesUnit => pick("phút", "min"),
            ColStt => pick("STT", "#"),
            ColSbd => pick("SBD", "Cand. no."),
            ColFamily => pick("Họ đệm", "Family & middle name"),
            ColGiven => pick("Tên", "Given name"),
            ColBirth => pick("Ngày sinh", "Date of birth"),
            ColClass => pick("Lớp", "Class"),
            ColSeat => pick("Số máy", "Seat"),
            ColPhoto => pick("Ảnh", "Photo"),
            ColSign => pick("Ký tên", "Signature"),
            ListCount(n) => pick(
                &format!("Danh sách có {n} thí sinh."),
                &format!("The list has {n} candidates."),
            ),
            Proctor(n) => pick(&format!("CÁN BỘ COI THI {n}"), &format!("PROCTOR {n}")),
            SignHint => pick("(Ký và ghi rõ họ tên)", "(Signature and full name)"),
            JoinCode => pick("Mã vào thi", "Join code"),
            ScanHint => pick(
                "Quét mã QR hoặc gõ mã vào thi trên trang thi.",
                "Scan the QR code or type the join code on the exam page.",
            ),
            PlannedStart => pick("Giờ bắt đầu theo kế hoạch", "Planned start"),
            ActualStart => pick("Giờ bắt đầu thực tế", "Actual start"),
            PlannedEnd => pick("Giờ kết thúc theo kế hoạch", "Planned end"),
            ActualEnd => pick("Giờ kết thúc thực tế", "Actual end"),
            Listed => pick("Số thí sinh theo danh sách", "Candidates listed"),
            Present => pick("Số thí sinh dự thi", "Candidates present"),
            Absent => pick("Số thí sinh vắng", "Candidates absent"),
            AbsentTitle => pick("Thí sinh vắng thi", "Absent candidates"),
            FullName => pick("Họ và tên", "Full name"),
            Note => pick("Ghi chú", "Note"),
            IncidentsTitle => pick("Sự việc bất thường", "Incidents"),
            Time => pick("Thời gian", "Time"),
            Candidate => pick("Thí sinh (SBD, họ tên)", "Candidate (no., name)"),
            What => pick("Sự việc", "What happened"),
            Action => pick("Cách xử lý", "Action taken"),
            IdentityTitle => pick(
                "Cách kiểm tra danh tính thí sinh",
                "How identities were checked",
            ),
            IdChip => pick("Đọc thẻ CCCD gắn chip", "Chip ID card read"),
            IdDocument => pick(
                "Đối chiếu thẻ căn cước / giấy tờ tùy thân",
                "ID card or document compared",
            ),
            IdPhoto => pick("Đối chiếu ảnh trên danh sách", "Photo on the list compared"),
            IdOther => pick("Cách khác: ……………………", "Other: ……………………"),
            ReconnectsTitle => pick(
                "Mất kết nối, đổi máy (giờ, SBD, máy cũ → máy mới)",
                "Reconnects and machine changes (time, cand. no., old → new seat)",
            ),
            TimeAddedTitle => pick(
                "Thời gian cộng thêm (SBD, số phút, lý do)",
                "Time added (cand. no., minutes, reason)",
            ),
            SiteHead => pick("TRƯỞNG ĐIỂM THI", "HEAD OF SITE"),
            CountersignHint => pick(
                "(Ký xác nhận và ghi rõ họ tên)",
                "(Countersignature and full name)",
            ),
            AuditHead { hash, entry } => match lang {
                Lang::Vi => format!("Mã kiểm chứng nhật ký lúc in: {hash} (mục {entry})"),
                Lang::En => format!("Audit chain head when printed: {hash} (entry {entry})"),
            },
            AuditHeadHint => pick(
                "Mã này cho phép thanh tra phát hiện mọi thay đổi về sau đối với nhật ký hệ thống và bài làm của thí sinh (lệnh examgate-relay audit verify).",
                "This code lets an inspector detect any later change to the audit trail and the candidates' answers (command examgate-relay audit verify).",
            ),
            AuditHeadMissing => pick(
                "Mã kiểm chứng nhật ký (ghi từ trang Kết quả):",
                "Audit chain head (copy it from the Results page):",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_titles_are_the_schools_wording() {
        assert_eq!(
            PrintText::RoomListTitle.localise(Lang::Vi),
            "DANH SÁCH THÍ SINH PHÒNG THI"
        );
        assert_eq!(
            PrintText::MinutesTitle.localise(Lang::Vi),
            "BIÊN BẢN COI THI"
        );
        assert_eq!(
            PrintText::ListCount(24).localise(Lang::Vi),
            "Danh sách có 24 thí sinh."
        );
        assert_eq!(PrintText::Proctor(2).localise(Lang::En), "PROCTOR 2");
    }

    #[test]
    fn the_audit_head_is_printed_whole_in_both_languages() {
        let head = PrintText::AuditHead {
            hash: "ab".repeat(32),
            entry: 17,
        };
        for lang in [Lang::Vi, Lang::En] {
            let text = head.localise(lang);
            assert!(
                text.contains(&"ab".repeat(32)) && text.contains("17"),
                "{text}"
            );
        }
        assert_ne!(
            PrintText::AuditHeadHint.localise(Lang::Vi),
            PrintText::AuditHeadHint.localise(Lang::En)
        );
    }
}
