//! A roster issue's code and a field's machine name in words, Vietnamese
//! or English. The relay's message (English, with the specifics) is shown
//! next to it; an unknown code shows only that message, so a code added to
//! the importer later is never lost.

use crate::i18n::Lang;

/// What an issue code means, or `None` for a code not known here.
pub fn issue_text(code: &str, lang: Lang) -> Option<&'static str> {
    let (vi, en) = match code {
        "header_not_found" => (
            "Không tìm thấy dòng tiêu đề (cần cột họ tên và cột ngày sinh, số định danh hoặc số báo danh).",
            "No header row found (a name column and a birth date, personal ID or candidate number column are needed).",
        ),
        "roster_empty" => (
            "Tệp không có dòng thí sinh nào.",
            "The file has no candidate rows.",
        ),
        "name_missing" => ("Thiếu họ tên.", "The name is missing."),
        "birth_invalid" => (
            "Ngày sinh không hợp lệ (viết dd/mm/yyyy).",
            "The birth date is not valid (write dd/mm/yyyy).",
        ),
        "sex_invalid" => ("Giới tính phải là Nam hoặc Nữ.", "Sex must be Nam or Nữ."),
        "birth_missing" => (
            "Thiếu ngày sinh: thí sinh nhập ngày sinh cùng số báo danh để vào thi.",
            "The date of birth is missing: candidates type it with their number to join.",
        ),
        "row_after_end" => (
            "Dòng có số thứ tự và họ tên nằm dưới cuối danh sách; xóa phần ngăn cách hoặc xóa dòng.",
            "A numbered row with a name below the end of the list; remove what separates it, or the row.",
        ),
        "room_full" => (
            "Phòng đã hết chỗ trong ca này.",
            "The room has no seat left in this shift.",
        ),
        "person_id_missing" => (
            "Thiếu số định danh cá nhân (CCCD), bắt buộc khi vào thi bằng thẻ.",
            "The personal ID (CCCD) is missing; card check-in needs it.",
        ),
        "person_id_invalid" => (
            "Số định danh cá nhân không hợp lệ (12 chữ số).",
            "The personal ID is not valid (12 digits).",
        ),
        "person_id_padded" => (
            "Số định danh bị mất số 0 ở đầu (Excel); đã thêm lại, hãy kiểm tra.",
            "The personal ID lost its leading zeros (Excel); they were added back, please check.",
        ),
        "birth_contradicts_id" => (
            "Ngày sinh không khớp với số định danh cá nhân.",
            "The birth date does not match the personal ID.",
        ),
        "duplicate_person_id" => (
            "Số định danh cá nhân bị trùng (trong tệp hoặc với thí sinh đã nhập).",
            "The personal ID is used twice (in the file, or by a candidate already imported).",
        ),
        "duplicate_pupil_id" => (
            "Mã học sinh bị trùng (trong tệp hoặc với thí sinh đã nhập).",
            "The learner ID is used twice (in the file, or by a candidate already imported).",
        ),
        "duplicate_candidate_number" => (
            "Số báo danh bị trùng (trong tệp hoặc với thí sinh đã nhập).",
            "The candidate number is used twice (in the file, or by a candidate already imported).",
        ),
        "duplicate_seat" => (
            "Số máy bị trùng trong cùng phòng và ca.",
            "The seat is given twice in one room and shift.",
        ),
        "seat_invalid" => ("Số máy không hợp lệ.", "The seat number is not valid."),
        "unknown_site" => (
            "Điểm thi không có trong kỳ thi này.",
            "That site is not part of this exam.",
        ),
        "unknown_room" => (
            "Phòng thi không có ở điểm thi này.",
            "That room is not at this site.",
        ),
        "room_ambiguous" => (
            "Tên phòng có ở nhiều điểm thi: hãy ghi rõ điểm thi.",
            "That room name exists at several sites: name the site.",
        ),
        "unknown_shift" => (
            "Ca thi không có trong kỳ thi này.",
            "That shift is not part of this exam.",
        ),
        "not_enough_seats" => (
            "Không đủ chỗ trong các phòng cho số thí sinh này.",
            "The rooms do not have enough seats for these candidates.",
        ),
        "no_seat_left" => ("Phòng đã hết chỗ.", "The room has no seat left."),
        "numbers_exhausted" => (
            "Đã hết số báo danh để cấp.",
            "No candidate numbers are left to give.",
        ),
        _ => return None,
    };
    Some(match lang {
        Lang::Vi => vi,
        Lang::En => en,
    })
}

/// A roster field's name (`birth`, `person_id`, …) in words; an unknown
/// one as it is.
pub fn field_label(field: &str, lang: Lang) -> String {
    let (vi, en) = match field {
        "row_number" => ("STT", "Row number"),
        "candidate_number" => ("Số báo danh", "Candidate number"),
        "full_name" => ("Họ và tên", "Full name"),
        "family_middle" => ("Họ đệm", "Family and middle name"),
        "given_name" => ("Tên", "Given name"),
        "birth" => ("Ngày sinh", "Date of birth"),
        "sex" => ("Giới tính", "Sex"),
        "person_id" => ("Số định danh cá nhân", "Personal ID"),
        "pupil_id" => ("Mã học sinh", "Learner ID"),
        "class" => ("Lớp", "Class"),
        "site" => ("Điểm thi", "Site"),
        "room" => ("Phòng thi", "Room"),
        "shift" => ("Ca thi", "Shift"),
        "seat" => ("Số máy", "Seat"),
        other => return other.to_owned(),
    };
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_importers_codes_are_translated() {
        for code in [
            "header_not_found",
            "roster_empty",
            "name_missing",
            "birth_invalid",
            "person_id_invalid",
            "duplicate_candidate_number",
            "unknown_room",
            "not_enough_seats",
        ] {
            let (vi, en) = (issue_text(code, Lang::Vi), issue_text(code, Lang::En));
            assert!(vi.is_some() && en.is_some() && vi != en, "{code}");
        }
        assert_eq!(issue_text("something_new", Lang::Vi), None);
    }

    #[test]
    fn fields_have_names() {
        assert_eq!(field_label("birth", Lang::Vi), "Ngày sinh");
        assert_eq!(field_label("person_id", Lang::En), "Personal ID");
        assert_eq!(field_label("nickname", Lang::Vi), "nickname");
    }
}
