//! The exam page's strings for what proctors do (extra time, pause, end,
//! reopen, messages) and for full screen, in Vietnamese and English. They
//! reach components as `Text::Student(…)`; `localise` matches exhaustively,
//! so no key exists without both languages.

use examgate_shared::Millis;

use crate::i18n::Lang;

#[derive(Debug, Clone, PartialEq)]
pub enum StudentText {
    // ------------------------------------------------------------ pause
    PausedTitle,
    PausedBody,
    /// The label of the frozen countdown.
    PausedTimeLeft,
    /// Answers kept in the browser until the exam resumes.
    PausedHeld(usize),
    /// `#save-status` while paused with answers waiting.
    SaveHeld(usize),
    // ------------------------------------------------------------ controls
    /// A proctor just gave this many minutes more.
    ExtraTimeAdded(u32),
    Resumed,
    EndedByProctor,
    /// An ended attempt opened again for this many minutes.
    Reopened(u32),
    /// Beside the countdown: extra time granted so far, in total.
    ExtraTotal(Millis),
    // ------------------------------------------------------------ messages
    MessageTitle,
    MessageToRoom,
    /// When the message was sent, as `HH:MM:SS`.
    MessageAt(String),
    MessageSeen,
    /// Messages still waiting behind the one shown.
    MessagesMore(usize),
    // ------------------------------------------------------------ full screen
    FullscreenAsked,
    EnterFullscreen,
    // ------------------------------------------------------------ keyboard
    /// Under the question: the keys that answer and move.
    ShortcutHint,
    /// Announced to screen readers once no more than this many minutes are
    /// left ("under", so it stays true when an attempt starts with less).
    MinutesLeft(u32),
    // ------------------------------------------------------------ saving
    /// Announced when the connection is lost with the exam still going.
    WentOffline,
    /// Announced when everything kept during an outage reached the relay.
    SavedAfterOffline,
}

impl StudentText {
    pub fn localise(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let pick = |v: &str, e: &str| if vi { v } else { e }.to_owned();
        let fmt = |v: String, e: String| if vi { v } else { e };
        match self {
            StudentText::PausedTitle => pick("Bài thi đang tạm dừng…", "The exam is paused…"),
            StudentText::PausedBody => pick(
                "Giám thị đã tạm dừng bài thi. Thời gian tạm dừng không bị tính vào giờ làm bài. \
                 Hãy ngồi yên tại chỗ và chờ giám thị cho làm bài tiếp.",
                "The proctor has paused the exam. The paused time does not count. \
                 Stay in your seat and wait for the proctor to let you continue.",
            ),
            StudentText::PausedTimeLeft => {
                pick("Thời gian còn lại (đã dừng)", "Time left (stopped)")
            }
            StudentText::PausedHeld(n) => fmt(
                format!(
                    "{n} câu trả lời chưa gửi được giữ trên máy và sẽ được gửi khi bài thi tiếp tục."
                ),
                if *n == 1 {
                    "1 answer not sent yet is kept on this computer and will be sent when the exam resumes.".to_owned()
                } else {
                    format!(
                        "{n} answers not sent yet are kept on this computer and will be sent when the exam resumes."
                    )
                },
            ),
            StudentText::SaveHeld(n) => fmt(
                format!("Tạm dừng — {n} câu trả lời chờ gửi"),
                format!("Paused — {n} waiting to be sent"),
            ),
            StudentText::ExtraTimeAdded(m) => fmt(
                format!("Giám thị đã cộng thêm {m} phút."),
                if *m == 1 {
                    "The proctor added 1 minute.".to_owned()
                } else {
                    format!("The proctor added {m} minutes.")
                },
            ),
            StudentText::Resumed => pick(
                "Bài thi tiếp tục. Thời gian tạm dừng đã được bù.",
                "The exam has resumed. The paused time was given back.",
            ),
            StudentText::EndedByProctor => pick(
                "Giám thị đã kết thúc bài thi. Đang chấm bài…",
                "The proctor ended the exam. It is being graded…",
            ),
            StudentText::Reopened(m) => fmt(
                format!("Bài thi được mở lại, thêm {m} phút."),
                format!("The exam was reopened for {m} more minutes."),
            ),
            StudentText::ExtraTotal(ms) => {
                let m = ms / 60_000;
                fmt(format!("đã cộng {m} phút"), format!("+{m} min granted"))
            }
            StudentText::MessageTitle => pick("Tin nhắn của giám thị", "Message from the proctor"),
            StudentText::MessageToRoom => pick("Gửi cả phòng thi", "To the whole room"),
            StudentText::MessageAt(time) => fmt(format!("lúc {time}"), format!("at {time}")),
            StudentText::MessageSeen => pick("Đã đọc", "I have read it"),
            StudentText::MessagesMore(n) => fmt(
                format!("Còn {n} tin nhắn nữa"),
                if *n == 1 {
                    "1 more message".to_owned()
                } else {
                    format!("{n} more messages")
                },
            ),
            StudentText::FullscreenAsked => pick(
                "Phòng thi này yêu cầu làm bài ở chế độ toàn màn hình.",
                "This room asks you to work in full screen.",
            ),
            StudentText::EnterFullscreen => pick("Vào chế độ toàn màn hình", "Enter full screen"),
            StudentText::ShortcutHint => pick(
                "Phím tắt: A–H hoặc 1–8 chọn đáp án · ← → sang câu trước, câu sau · M đánh dấu câu",
                "Keys: A–H or 1–8 pick an option · ← → previous, next question · M flags the question",
            ),
            StudentText::MinutesLeft(m) => fmt(
                format!("Còn dưới {m} phút làm bài."),
                if *m == 1 {
                    "Less than 1 minute left.".to_owned()
                } else {
                    format!("Less than {m} minutes left.")
                },
            ),
            StudentText::WentOffline => pick(
                "Mất kết nối. Các câu trả lời được giữ trên máy này và sẽ được gửi khi có mạng lại.",
                "Connection lost. Your answers are kept on this computer and will be sent when it is back.",
            ),
            StudentText::SavedAfterOffline => pick(
                "Đã có mạng lại. Mọi câu trả lời đã được lưu trên máy chủ.",
                "Back online. Every answer is saved on the server.",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proctor_actions_read_naturally_in_both_languages() {
        assert_eq!(
            StudentText::ExtraTimeAdded(10).localise(Lang::Vi),
            "Giám thị đã cộng thêm 10 phút."
        );
        assert_eq!(
            StudentText::ExtraTimeAdded(10).localise(Lang::En),
            "The proctor added 10 minutes."
        );
        assert_eq!(
            StudentText::ExtraTimeAdded(1).localise(Lang::En),
            "The proctor added 1 minute."
        );
        assert_eq!(StudentText::MessageSeen.localise(Lang::Vi), "Đã đọc");
        assert_eq!(
            StudentText::MessageSeen.localise(Lang::En),
            "I have read it"
        );
        assert_eq!(
            StudentText::ExtraTotal(15 * 60_000).localise(Lang::En),
            "+15 min granted"
        );
    }

    #[test]
    fn every_text_differs_between_the_languages() {
        let all = [
            StudentText::PausedTitle,
            StudentText::PausedBody,
            StudentText::PausedTimeLeft,
            StudentText::PausedHeld(2),
            StudentText::SaveHeld(2),
            StudentText::ExtraTimeAdded(5),
            StudentText::Resumed,
            StudentText::EndedByProctor,
            StudentText::Reopened(5),
            StudentText::ExtraTotal(60_000),
            StudentText::MessageTitle,
            StudentText::MessageToRoom,
            StudentText::MessageAt("09:30:00".into()),
            StudentText::MessageSeen,
            StudentText::MessagesMore(2),
            StudentText::FullscreenAsked,
            StudentText::EnterFullscreen,
            StudentText::WentOffline,
            StudentText::SavedAfterOffline,
        ];
        for text in all {
            let (vi, en) = (text.localise(Lang::Vi), text.localise(Lang::En));
            assert!(!vi.is_empty() && vi != en, "{text:?}");
        }
    }
}
