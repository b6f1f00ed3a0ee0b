//! The proctor pages' strings (`/proctor`: the central view, room tables,
//! actions, incidents, messages, a candidate's timeline), in Vietnamese and
//! English. They reach components as `Text::Proctor(…)`; `localise` matches
//! exhaustively, so no key exists without both languages.

use examgate_shared::Millis;
use examgate_shared::integrity::Signal;
use examgate_shared::proctoring::{IncidentCategory, TimelineEvent};

use super::dialog::Task;
use crate::i18n::Lang;
use crate::time;

#[derive(Debug, Clone, PartialEq)]
pub enum ProctorText {
    // ------------------------------------------------------------ central view
    CentralTitle,
    ColSite,
    ColRoom,
    ColExam,
    ColWarnings,
    ColIncidents,
    ColPendingCheckins,
    ColActions,
    ProblemsFirst,
    FilterWarnings,
    FilterDisconnected,
    FilterSite,
    AllSites,
    RoomsShown {
        shown: usize,
        total: usize,
    },
    NoRoomsMatch,
    OpenRoom,
    RoomOpen,
    HideRoom,
    PickRoom,
    /// Opening more rooms than the feed carries closes the oldest.
    OpenLimit(usize),
    SearchLabel,
    SearchButton,
    NoHits,
    // ------------------------------------------------------------ rows
    ExtraTime(Millis),
    PausedLeft,
    /// A warning's kind (and how long, for a page hidden or left).
    Warning(Signal),
    WarningsBadge {
        count: u32,
    },
    /// What a proctor can do: the menu entries and the dialogs' titles.
    Task(Task),
    RoomTask(Task),
    // ------------------------------------------------------------ dialogs
    Minutes,
    Reason,
    ReasonHint,
    MessageText,
    IncidentText,
    Category,
    CategoryName(IncidentCategory),
    Confirm,
    Cancel,
    Close,
    Sending,
    NeedReason,
    NeedText,
    TooLong,
    BadMinutes,
    Applied(usize),
    NotApplied,
    /// Why a control did not apply (`ControlError` names, or the relay's
    /// own words when it is not one of them).
    Refusal(String),
    RefusedBy,
    SeatCode,
    SeatCodeHint,
    IncidentRecorded,
    MessageSent(usize),
    // ------------------------------------------------------------ room log
    IncidentsTitle,
    NoIncidents,
    MessagesTitle,
    NoMessages,
    ToRoom,
    SeenBy {
        seen: usize,
        of: usize,
    },
    By(String),
    // ------------------------------------------------------------ detail
    DetailTitle,
    WarningsTitle,
    NoWarnings,
    TimelineTitle,
    Event(TimelineEvent),
    DetailFailed,
}

fn category(c: IncidentCategory, vi: bool) -> &'static str {
    match (c, vi) {
        (IncidentCategory::Technical, true) => "Kỹ thuật",
        (IncidentCategory::Technical, false) => "Technical",
        (IncidentCategory::Health, true) => "Sức khoẻ",
        (IncidentCategory::Health, false) => "Health",
        (IncidentCategory::Misconduct, true) => "Vi phạm quy chế",
        (IncidentCategory::Misconduct, false) => "Misconduct",
        (IncidentCategory::Other, true) => "Khác",
        (IncidentCategory::Other, false) => "Other",
    }
}

/// `12 giây` / `3 phút 5 giây`: how long a page was away.
fn duration(ms: Millis, vi: bool) -> String {
    let s = (ms.max(0) + 500) / 1000;
    match (s / 60, s % 60, vi) {
        (0, s, true) => format!("{s} giây"),
        (0, s, false) => format!("{s} s"),
        (m, s, true) => format!("{m} phút {s} giây"),
        (m, s, false) => format!("{m} min {s} s"),
    }
}

fn warning(signal: &Signal, vi: bool) -> String {
    let away = |v: &str, e: &str, ms: Option<Millis>| match (ms, vi) {
        (None, true) => v.to_owned(),
        (None, false) => e.to_owned(),
        (Some(ms), _) => format!("{} {}", if vi { v } else { e }, duration(ms, vi)),
    };
    match signal {
        Signal::TabHidden { ms } => away("Rời trang thi", "Left the exam page", *ms),
        Signal::WindowBlurred { ms } => away("Chuyển cửa sổ", "Switched window", *ms),
        Signal::FullscreenLeft => pick(vi, "Thoát toàn màn hình", "Left full screen"),
        Signal::PasteIntoNumeric { question } => {
            if vi {
                format!("Dán vào câu {}", question.0)
            } else {
                format!("Pasted into question {}", question.0)
            }
        }
        Signal::Reloaded => pick(vi, "Tải lại trang", "Reloaded the page"),
        Signal::NetworkLost => pick(vi, "Mất kết nối mạng", "Network lost"),
        Signal::SecondConnection => pick(vi, "Kết nối thứ hai", "Second connection"),
        Signal::AddressChanged { from, to } => {
            if vi {
                format!("Đổi địa chỉ IP ({from} → {to})")
            } else {
                format!("Address changed ({from} → {to})")
            }
        }
        Signal::AgentChanged { .. } => pick(vi, "Đổi trình duyệt", "Browser changed"),
    }
}

fn pick(vi: bool, v: &str, e: &str) -> String {
    if vi { v } else { e }.to_owned()
}

fn task(t: Task, vi: bool) -> &'static str {
    match (t, vi) {
        (Task::ExtraTime, true) => "Cộng giờ",
        (Task::ExtraTime, false) => "Extra time",
        (Task::Pause, true) => "Tạm dừng",
        (Task::Pause, false) => "Pause",
        (Task::Resume, true) => "Cho làm tiếp",
        (Task::Resume, false) => "Resume",
        (Task::End, true) => "Kết thúc bài",
        (Task::End, false) => "End the attempt",
        (Task::Reopen, true) => "Mở lại bài",
        (Task::Reopen, false) => "Reopen",
        (Task::Move, true) => "Đổi máy",
        (Task::Move, false) => "Move to another computer",
        (Task::Message, true) => "Nhắn tin",
        (Task::Message, false) => "Send a message",
        (Task::Incident, true) => "Ghi sự cố",
        (Task::Incident, false) => "Record an incident",
    }
}

fn room_task(t: Task, vi: bool) -> String {
    match (t, vi) {
        (Task::Incident, true) => "Ghi sự cố của phòng".into(),
        (Task::Incident, false) => "Record a room incident".into(),
        (Task::Message, true) => "Nhắn cả phòng".into(),
        (Task::Message, false) => "Message the room".into(),
        (t, true) => format!("{} cả phòng", task(t, true)),
        (t, false) => format!("{} (whole room)", task(t, false)),
    }
}

/// An action of the timeline (its audit name, and the minutes for those
/// that take them) as a proctor reads it.
fn action_name(action: &str, minutes: Option<u32>, vi: bool) -> String {
    let t = match action {
        "extra_time" => Task::ExtraTime,
        "pause" => Task::Pause,
        "resume" => Task::Resume,
        "end" => Task::End,
        "reopen" => Task::Reopen,
        "move" => Task::Move,
        _ => return action.to_owned(),
    };
    match (minutes, vi) {
        (Some(m), true) => format!("{} {m} phút", task(t, vi)),
        (Some(m), false) => format!("{} {m} min", task(t, vi)),
        (None, _) => task(t, vi).to_owned(),
    }
}

/// Why a control did not apply, from its code or the relay's sentence.
fn refusal(why: &str, vi: bool) -> String {
    let known = match why {
        "invalid_minutes" | "minutes must be 1 to 240" => {
            Some(("Số phút phải từ 1 đến 240", "Minutes must be 1 to 240"))
        }
        "not_started" | "the attempt has not started" => Some((
            "Thí sinh chưa bắt đầu làm bài",
            "The attempt has not started",
        )),
        "the candidate has not joined yet" => {
            Some(("Thí sinh chưa vào thi", "The candidate has not joined yet"))
        }
        "final" | "the attempt has ended; the exam office can reopen it" => Some((
            "Bài đã kết thúc; chỉ hội đồng thi mở lại được",
            "The attempt has ended; the exam office can reopen it",
        )),
        "not_final" | "the attempt has not ended" => {
            Some(("Bài chưa kết thúc", "The attempt has not ended"))
        }
        "already_paused" | "the attempt is already paused" => {
            Some(("Bài đang tạm dừng rồi", "Already paused"))
        }
        "not_paused" | "the attempt is not paused" => {
            Some(("Bài không tạm dừng", "The attempt is not paused"))
        }
        "past_deadline" | "the deadline has passed" => {
            Some(("Đã quá giờ làm bài", "The deadline has passed"))
        }
        "hard_stop" | "the exam office's hard stop leaves no time to give" => Some((
            "Giờ dừng cứng của hội đồng thi không còn thời gian để cộng",
            "The exam office's hard stop leaves no time to give",
        )),
        _ => None,
    };
    match known {
        Some((v, e)) => pick(vi, v, e),
        None => why.to_owned(),
    }
}

fn event(e: &TimelineEvent, vi: bool) -> String {
    match e {
        TimelineEvent::Joined => pick(vi, "Vào phòng thi", "Joined"),
        TimelineEvent::CheckIn { verdict, decision } => {
            let decision = decision.as_deref().unwrap_or("—");
            if vi {
                format!("Kiểm tra CCCD: {verdict}; giám thị: {decision}")
            } else {
                format!("ID check: {verdict}; proctor: {decision}")
            }
        }
        TimelineEvent::Started { deadline_ms } => {
            let at = time::wall_clock(*deadline_ms);
            if vi {
                format!("Bắt đầu làm bài, hạn nộp {at}")
            } else {
                format!("Started, due at {at}")
            }
        }
        TimelineEvent::Answer {
            seq,
            question,
            refused,
        } => {
            let base = if vi {
                format!("Trả lời câu {question} (#{seq})")
            } else {
                format!("Answered question {question} (#{seq})")
            };
            match refused {
                Some(code) if vi => format!("{base} — bị từ chối: {code}"),
                Some(code) => format!("{base} — refused: {code}"),
                None => base,
            }
        }
        TimelineEvent::Submitted => pick(vi, "Nộp bài", "Handed in"),
        TimelineEvent::SubmitRefused { seq, refused } => {
            if vi {
                format!("Nộp bài bị từ chối (#{seq}): {refused}")
            } else {
                format!("Hand-in refused (#{seq}): {refused}")
            }
        }
        TimelineEvent::Warning { warning: w } => {
            format!("⚠ {}", warning(&w.signal, vi))
        }
        TimelineEvent::Action {
            action,
            minutes,
            by,
            reason,
        } => {
            format!("{} — {by}: {reason}", action_name(action, *minutes, vi))
        }
        TimelineEvent::Incident {
            category: c,
            text,
            by,
        } => {
            let head = if vi { "Sự cố" } else { "Incident" };
            format!("{head} ({}) — {by}: {text}", category(*c, vi))
        }
        TimelineEvent::Message { text, seen } => {
            let seen = match (seen, vi) {
                (true, true) => "đã xem",
                (true, false) => "seen",
                (false, true) => "chưa xem",
                (false, false) => "not seen yet",
            };
            let head = if vi { "Tin nhắn" } else { "Message" };
            format!("{head} ({seen}): {text}")
        }
        TimelineEvent::Closed => pick(vi, "Máy chủ thu bài", "Closed by the relay"),
    }
}

impl ProctorText {
    pub fn localise(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let p = |v: &str, e: &str| pick(vi, v, e);
        use ProctorText::*;
        match self {
            CentralTitle => p("Các phòng thi", "Rooms"),
            ColSite => p("Điểm thi", "Site"),
            ColRoom => p("Phòng", "Room"),
            ColExam => p("Bài thi", "Exam"),
            ColWarnings => p("Cảnh báo", "Warnings"),
            ColIncidents => p("Sự cố", "Incidents"),
            ColPendingCheckins => p("Chờ xác nhận CCCD", "ID checks waiting"),
            ColActions => p("Thao tác", "Actions"),
            ProblemsFirst => p("Phòng có vấn đề trước", "Problems first"),
            FilterWarnings => p("Chỉ phòng có cảnh báo", "Only rooms with warnings"),
            FilterDisconnected => p(
                "Chỉ phòng có thí sinh mất kết nối",
                "Only rooms with disconnections",
            ),
            FilterSite => p("Điểm thi", "Site"),
            AllSites => p("Tất cả điểm thi", "All sites"),
            RoomsShown { shown, total } => {
                if vi {
                    format!("{shown}/{total} phòng")
                } else {
                    format!("{shown} of {total} rooms")
                }
            }
            NoRoomsMatch => p(
                "Không phòng nào khớp bộ lọc.",
                "No room matches the filters.",
            ),
            OpenRoom => p("Mở", "Open"),
            RoomOpen => p("Đang mở", "Open"),
            HideRoom => p("Ẩn bảng phòng này", "Hide this room's table"),
            PickRoom => p(
                "Chọn một phòng trong bảng trên để xem từng thí sinh.",
                "Pick a room above to see its candidates.",
            ),
            OpenLimit(n) => {
                if vi {
                    format!("Mở được tối đa {n} phòng cùng lúc; phòng mở lâu nhất sẽ được ẩn.")
                } else {
                    format!("At most {n} rooms open at once; the oldest one is hidden.")
                }
            }
            SearchLabel => p(
                "Tìm thí sinh (họ tên, số báo danh hoặc số CCCD)",
                "Find a candidate (name, candidate number or ID card number)",
            ),
            SearchButton => p("Tìm", "Search"),
            NoHits => p("Không tìm thấy thí sinh nào.", "No candidate found."),
            ExtraTime(ms) => {
                let m = (ms + 59_999) / 60_000;
                if vi {
                    format!("+{m} phút")
                } else {
                    format!("+{m} min")
                }
            }
            PausedLeft => p("Tạm dừng — thời gian còn lại", "Paused — time left"),
            Warning(signal) => warning(signal, vi),
            WarningsBadge { count } => {
                if vi {
                    format!("{count} cảnh báo")
                } else if *count == 1 {
                    "1 warning".into()
                } else {
                    format!("{count} warnings")
                }
            }
            Task(t) => task(*t, vi).to_owned(),
            RoomTask(t) => room_task(*t, vi),
            Minutes => p("Số phút", "Minutes"),
            Reason => p("Lý do (bắt buộc)", "Reason (required)"),
            ReasonHint => p(
                "Lý do được ghi vào biên bản cùng tên người thực hiện.",
                "The reason goes into the audit record with your name.",
            ),
            MessageText => p("Nội dung tin nhắn", "Message"),
            IncidentText => p("Mô tả sự cố", "What happened"),
            Category => p("Loại sự cố", "Category"),
            CategoryName(c) => category(*c, vi).to_owned(),
            Confirm => p("Xác nhận", "Confirm"),
            Cancel => p("Huỷ", "Cancel"),
            Close => p("Đóng", "Close"),
            Sending => p("Đang gửi…", "Sending…"),
            NeedReason => p("Hãy ghi lý do.", "Write the reason."),
            NeedText => p("Hãy nhập nội dung.", "Write the text."),
            TooLong => p(
                "Nội dung dài quá 1000 ký tự.",
                "The text is longer than 1000 characters.",
            ),
            BadMinutes => p("Số phút phải từ 1 đến 240.", "Minutes must be 1 to 240."),
            Applied(n) => {
                if vi {
                    format!("Đã áp dụng cho {n} thí sinh.")
                } else if *n == 1 {
                    "Applied to 1 candidate.".into()
                } else {
                    format!("Applied to {n} candidates.")
                }
            }
            NotApplied => p("Không áp dụng được cho:", "Not applied to:"),
            Refusal(why) => refusal(why, vi),
            RefusedBy => p("Máy chủ từ chối:", "The relay refused:"),
            SeatCode => p(
                "Mã chỗ ngồi cho máy mới — đọc cho thí sinh:",
                "Seat code for the new computer — read it out:",
            ),
            SeatCodeHint => p(
                "Thí sinh nhập mã này vào ô «Mã chỗ ngồi» trên máy mới; máy cũ sẽ ngừng kết nối.",
                "The candidate types it in the seat-code field on the new computer; the old one is cut off.",
            ),
            IncidentRecorded => p("Đã ghi sự cố.", "Incident recorded."),
            MessageSent(n) => {
                if vi {
                    format!("Đã gửi {n} tin nhắn.")
                } else if *n == 1 {
                    "Message sent.".into()
                } else {
                    format!("{n} messages sent.")
                }
            }
            IncidentsTitle => p("Sự cố", "Incidents"),
            NoIncidents => p("Chưa có sự cố nào.", "No incidents."),
            MessagesTitle => p("Tin nhắn đã gửi", "Messages sent"),
            NoMessages => p("Chưa gửi tin nhắn nào.", "No messages sent."),
            ToRoom => p("Cả phòng", "Whole room"),
            SeenBy { seen, of } => {
                if vi {
                    format!("Đã xem: {seen}/{of}")
                } else {
                    format!("Seen: {seen} of {of}")
                }
            }
            By(name) => {
                if vi {
                    format!("bởi {name}")
                } else {
                    format!("by {name}")
                }
            }
            DetailTitle => p("Chi tiết thí sinh", "Candidate detail"),
            WarningsTitle => p("Cảnh báo", "Warnings"),
            NoWarnings => p("Không có cảnh báo.", "No warnings."),
            TimelineTitle => p("Diễn biến", "Timeline"),
            Event(e) => event(e, vi),
            DetailFailed => p(
                "Không tải được chi tiết thí sinh.",
                "Could not load the candidate's detail.",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use examgate_shared::exam::QuestionId;

    use super::*;

    #[test]
    fn warnings_say_how_long_the_page_was_away() {
        let hidden = ProctorText::Warning(Signal::TabHidden { ms: Some(65_000) });
        assert_eq!(hidden.localise(Lang::Vi), "Rời trang thi 1 phút 5 giây");
        assert_eq!(hidden.localise(Lang::En), "Left the exam page 1 min 5 s");
        let paste = ProctorText::Warning(Signal::PasteIntoNumeric {
            question: QuestionId(17),
        });
        assert_eq!(paste.localise(Lang::En), "Pasted into question 17");
    }

    #[test]
    fn timeline_actions_name_their_minutes() {
        let event = |action: &str, minutes: Option<u32>| {
            ProctorText::Event(TimelineEvent::Action {
                action: action.into(),
                minutes,
                by: "central_proctor:central".into(),
                reason: "mất điện".into(),
            })
        };
        assert_eq!(
            event("extra_time", Some(7)).localise(Lang::Vi),
            "Cộng giờ 7 phút — central_proctor:central: mất điện"
        );
        assert_eq!(
            event("pause", None).localise(Lang::En),
            "Pause — central_proctor:central: mất điện"
        );
    }

    #[test]
    fn refusals_are_translated_from_code_or_sentence_and_unknown_ones_kept() {
        for why in ["not_started", "the attempt has not started"] {
            assert_eq!(
                ProctorText::Refusal(why.into()).localise(Lang::Vi),
                "Thí sinh chưa bắt đầu làm bài"
            );
        }
        assert_eq!(
            ProctorText::Refusal("something new".into()).localise(Lang::Vi),
            "something new"
        );
    }

    #[test]
    fn every_task_has_both_languages() {
        for t in Task::ALL {
            let vi = ProctorText::Task(t).localise(Lang::Vi);
            let en = ProctorText::Task(t).localise(Lang::En);
            assert!(!vi.is_empty() && !en.is_empty() && vi != en, "{t:?}");
            assert_ne!(
                ProctorText::RoomTask(t).localise(Lang::Vi),
                ProctorText::RoomTask(t).localise(Lang::En)
            );
        }
        for c in IncidentCategory::ALL {
            assert_ne!(
                ProctorText::CategoryName(c).localise(Lang::Vi),
                ProctorText::CategoryName(c).localise(Lang::En)
            );
        }
    }
}
