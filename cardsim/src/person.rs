//! Synthetic students and the data groups of their cards.
//!
//! Tests, benchmarks and the demo need cards that look like real CCCDs
//! but belong to nobody: every student here is made up from a seed and an
//! index (names from lists of common Vietnamese family, middle and given
//! names; real province codes; birth years 2008–2011, the age of
//! secondary-school candidates), and the same seed and index always give
//! the same student, photo and card bytes.
//!
//! A student's card carries DG1 (the TD1 MRZ), DG2 (a drawn face, baseline
//! JPEG, about 480 × 640 and 12–25 KB like a real card's photo) and DG13
//! (the printed personal data). DG14, DG15 and EF.SOD come from the card's
//! keys and the test PKI, elsewhere.

use std::collections::BTreeMap;

use examgate_shared::chip::id_card::{self, NO_EXPIRY, PROVINCES, Sex};
use examgate_shared::chip::lds::build::{dg1_td1, dg2_jpeg, dg13};
use examgate_shared::chip::lds::dg1::{Mrz, MrzFormat};
use examgate_shared::chip::lds::dg13::{Dg13Entry, field};
use examgate_shared::chip::mrz::{BacInput, MrzDate, check_digit};
use examgate_shared::shuffle::{SplitMix64, sub_seed};

/// Face photo size in pixels (a CCCD stores about this).
pub const FACE_WIDTH: u16 = 480;
pub const FACE_HEIGHT: u16 = 640;
/// JPEG quality: gives 12–25 KB for the drawing, like a real card.
const FACE_QUALITY: u8 = 70;

/// Cards of synthetic students are issued no later than this, so the
/// students do not depend on the day the tests run.
const LATEST_ISSUE: MrzDate = MrzDate {
    year: 2026,
    month: 6,
    day: 30,
};

/// A made-up student and everything printed on (and stored in) their card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Student {
    /// The 12-digit personal ID.
    pub id12: String,
    /// Family name first, with diacritics, e.g. "Nguyễn Văn An".
    pub full_name: String,
    pub birth: MrzDate,
    pub sex: Sex,
    pub issued: MrzDate,
    /// Given by the renewal rule (the 25th birthday for these ages).
    pub expiry: MrzDate,
    pub nationality: String,
    pub ethnicity: String,
    pub religion: String,
    pub place_of_origin: String,
    pub residence: String,
    pub identifying_marks: String,
    pub father: String,
    pub mother: String,
    /// Drives the drawing of the face photo (colours, proportions).
    pub face_seed: u64,
}

const FAMILY_NAMES: [&str; 16] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
];
const MALE_MIDDLE: [&str; 8] = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Gia", "Anh"];
const FEMALE_MIDDLE: [&str; 8] = [
    "Thị", "Ngọc", "Thu", "Thanh", "Khánh", "Phương", "Bảo", "Minh",
];
const MALE_GIVEN: [&str; 16] = [
    "An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khoa", "Long", "Nam", "Phúc", "Quân", "Sơn",
    "Tuấn", "Việt", "Đạt", "Khánh",
];
const FEMALE_GIVEN: [&str; 16] = [
    "Anh", "Chi", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "My", "Ngân", "Nhung",
    "Thảo", "Trang", "Vy", "Yến",
];
const STREETS: [&str; 10] = [
    "Lê Lợi",
    "Trần Hưng Đạo",
    "Nguyễn Trãi",
    "Hai Bà Trưng",
    "Lý Thường Kiệt",
    "Quang Trung",
    "Hùng Vương",
    "Phan Chu Trinh",
    "Điện Biên Phủ",
    "Nguyễn Du",
];
const COMMUNES: [&str; 8] = [
    "Xã Tân Lập",
    "Xã Hòa Bình",
    "Xã Quang Trung",
    "Xã Thanh Sơn",
    "Xã Phú Mỹ",
    "Xã Đông Hưng",
    "Xã An Thạnh",
    "Xã Yên Hòa",
];
const ETHNICITIES: [&str; 6] = ["Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng"];
const RELIGIONS: [&str; 2] = ["Phật giáo", "Công giáo"];
const MARKS: [&str; 6] = [
    "Nốt ruồi C:1cm dưới sau cánh mũi phải",
    "Sẹo chấm C:2cm trên trước đầu lông mày trái",
    "Nốt ruồi C:1,5cm trên sau mép phải",
    "Sẹo chấm C:1cm dưới trước đuôi mắt trái",
    "Nốt ruồi C:2cm dưới sau cằm trái",
    "Sẹo chấm C:3cm trên sau đầu lông mày phải",
];

fn pick<'a>(rng: &mut SplitMix64, items: &[&'a str]) -> &'a str {
    items[rng.below(items.len() as u64) as usize]
}

/// A date `days` days later.
fn add_days(mut date: MrzDate, mut days: u32) -> MrzDate {
    loop {
        let left_in_month = u32::from(id_card::days_in_month(date.year, date.month) - date.day);
        if days <= left_in_month {
            date.day += days as u8;
            return date;
        }
        days -= left_in_month + 1;
        date = if date.month == 12 {
            MrzDate::new(date.year + 1, 1, 1)
        } else {
            MrzDate::new(date.year, date.month + 1, 1)
        };
    }
}

/// `dd/mm/yyyy`, as the card prints dates.
fn dd_mm_yyyy(date: MrzDate) -> String {
    format!("{:02}/{:02}/{:04}", date.day, date.month, date.year)
}

impl Student {
    /// The student number `index` of the population drawn from `seed`.
    ///
    /// The last six digits of the ID are an affine bijection of the index,
    /// so the students of one seed (up to a million) never share an ID or a
    /// document number.
    pub fn synthetic(seed: u64, index: u32) -> Student {
        let mut rng = SplitMix64::new(sub_seed(seed, u64::from(index)));
        let sex = if rng.below(2) == 0 {
            Sex::Male
        } else {
            Sex::Female
        };
        let year = 2008 + rng.below(4) as u16;
        let month = 1 + rng.below(12) as u8;
        let day = 1 + rng.below(u64::from(id_card::days_in_month(year, month))) as u8;
        let birth = MrzDate::new(year, month, day);

        let (province, province_name) = PROVINCES[rng.below(PROVINCES.len() as u64) as usize];
        let century = id_card::century_sex_digit(year, sex).expect("born 2008-2011");
        // 777_781 is odd and not a multiple of 5, so coprime to 10^6.
        let offset = SplitMix64::new(seed).next_u64() % 1_000_000;
        let serial = (u64::from(index) * 777_781 + offset) % 1_000_000;
        let id12 = format!("{province:03}{century}{:02}{serial:06}", year % 100);

        let family = pick(&mut rng, &FAMILY_NAMES);
        let (middle, given) = match sex {
            Sex::Male => (pick(&mut rng, &MALE_MIDDLE), pick(&mut rng, &MALE_GIVEN)),
            Sex::Female => (
                pick(&mut rng, &FEMALE_MIDDLE),
                pick(&mut rng, &FEMALE_GIVEN),
            ),
        };
        let father = format!(
            "{family} {} {}",
            pick(&mut rng, &MALE_MIDDLE),
            pick(&mut rng, &MALE_GIVEN)
        );
        let mother = format!(
            "{} {} {}",
            pick(&mut rng, &FAMILY_NAMES),
            pick(&mut rng, &FEMALE_MIDDLE),
            pick(&mut rng, &FEMALE_GIVEN)
        );

        // Issued at 14, within the following 18 months.
        let fourteen = id_card::add_years(birth, 14);
        let issued = add_days(fourteen, rng.below(548) as u32)
            .min(LATEST_ISSUE)
            .max(fourteen);
        let expiry = id_card::rule_expiry(birth, issued);

        let residence = format!(
            "Số {} {}, Phường {}, {province_name}",
            1 + rng.below(200),
            pick(&mut rng, &STREETS),
            1 + rng.below(15)
        );
        let (_, origin_province) = PROVINCES[rng.below(PROVINCES.len() as u64) as usize];
        let place_of_origin = format!("{}, {origin_province}", pick(&mut rng, &COMMUNES));
        // Most students are Kinh with no religion, as in the population.
        let ethnicity = if rng.below(10) < 8 {
            "Kinh"
        } else {
            pick(&mut rng, &ETHNICITIES)
        };
        let religion = if rng.below(10) < 8 {
            "Không"
        } else {
            pick(&mut rng, &RELIGIONS)
        };

        Student {
            id12,
            full_name: format!("{family} {middle} {given}"),
            birth,
            sex,
            issued,
            expiry,
            nationality: "Việt Nam".to_string(),
            ethnicity: ethnicity.to_string(),
            religion: religion.to_string(),
            place_of_origin,
            residence,
            identifying_marks: pick(&mut rng, &MARKS).to_string(),
            father,
            mother,
            face_seed: rng.next_u64(),
        }
    }

    /// The MRZ document number: the last 9 digits of the ID.
    pub fn document_number(&self) -> &str {
        id_card::document_number(&self.id12)
    }

    /// The card access number PACE uses: the last six digits of the ID.
    pub fn can(&self) -> &str {
        &self.id12[6..]
    }

    /// What the card's BAC key is derived from.
    pub fn bac_input(&self) -> BacInput {
        BacInput::new(self.document_number(), self.birth, self.expiry)
            .expect("a 9-digit document number")
    }

    /// The MRZ fields of the card (name without diacritics, family name as
    /// the primary identifier).
    pub fn mrz(&self) -> Mrz {
        let plain = id_card::without_diacritics(&self.full_name).to_uppercase();
        let (family, given) = plain.split_once(' ').unwrap_or((&plain, ""));
        // After the ID come `<<` and a digit whose meaning is UNCONFIRMED;
        // in the known sample it is the ID's check digit, so we write that.
        let id_digit = check_digit(&self.id12).expect("digits");
        Mrz {
            format: MrzFormat::Td1,
            document_code: "ID".to_string(),
            issuer: "VNM".to_string(),
            document_number: self.document_number().to_string(),
            optional_data: format!("{}<<{id_digit}", self.id12),
            birth: self.birth,
            sex: Some(self.sex),
            expiry: self.expiry,
            nationality: "VNM".to_string(),
            optional_data_2: String::new(),
            primary_identifier: family.to_string(),
            secondary_identifier: given.to_string(),
        }
    }

    /// The three TD1 lines of the card's MRZ.
    pub fn mrz_lines(&self) -> [String; 3] {
        self.mrz()
            .td1_lines()
            .expect("synthetic fields fit the TD1 MRZ")
    }

    /// The DG13 entries, in the card's order.
    pub fn dg13_entries(&self) -> Vec<Dg13Entry> {
        let expiry = if self.expiry == NO_EXPIRY {
            "Không thời hạn".to_string()
        } else {
            dd_mm_yyyy(self.expiry)
        };
        vec![
            Dg13Entry::text(field::PERSONAL_ID, &self.id12),
            Dg13Entry::text(field::FULL_NAME, &self.full_name),
            Dg13Entry::text(field::BIRTH, &dd_mm_yyyy(self.birth)),
            Dg13Entry::text(field::SEX, self.sex.vietnamese()),
            Dg13Entry::text(field::NATIONALITY, &self.nationality),
            Dg13Entry::text(field::ETHNICITY, &self.ethnicity),
            Dg13Entry::text(field::RELIGION, &self.religion),
            Dg13Entry::text(field::PLACE_OF_ORIGIN, &self.place_of_origin),
            Dg13Entry::text(field::RESIDENCE, &self.residence),
            Dg13Entry::text(field::IDENTIFYING_MARKS, &self.identifying_marks),
            Dg13Entry::text(field::ISSUED, &dd_mm_yyyy(self.issued)),
            Dg13Entry::text(field::EXPIRY, &expiry),
            Dg13Entry::parents(&self.father, &self.mother),
            // No spouse, and born too late to have had a 9-digit ID.
            Dg13Entry::empty(field::SPOUSE),
            Dg13Entry::empty(field::OLD_ID),
        ]
    }

    /// The text of the QR code printed on the card.
    pub fn qr_text(&self) -> String {
        let date = |d: MrzDate| format!("{:02}{:02}{:04}", d.day, d.month, d.year);
        format!(
            "{}||{}|{}|{}|{}|{}",
            self.id12,
            self.full_name,
            date(self.birth),
            self.sex.vietnamese(),
            self.residence,
            date(self.issued)
        )
    }

    /// DG1, DG2 and DG13 of the card, by data-group number.
    pub fn groups(&self) -> BTreeMap<u8, Vec<u8>> {
        BTreeMap::from([
            (1, dg1_td1(&self.mrz_lines())),
            (2, dg2_jpeg(&self.face_jpeg(), FACE_WIDTH, FACE_HEIGHT)),
            (13, dg13(&self.dg13_entries())),
        ])
    }

    /// The face photo: a drawn head and shoulders in colours drawn from
    /// [`face_seed`](Student::face_seed), as a baseline JPEG.
    pub fn face_jpeg(&self) -> Vec<u8> {
        let pixels = face::draw(self.face_seed, FACE_WIDTH, FACE_HEIGHT);
        let mut out = Vec::with_capacity(24 * 1024);
        jpeg_encoder::Encoder::new(&mut out, FACE_QUALITY)
            .encode(
                &pixels,
                FACE_WIDTH,
                FACE_HEIGHT,
                jpeg_encoder::ColorType::Rgb,
            )
            .expect("encoding into memory cannot fail");
        out
    }
}

/// The drawing behind [`Student::face_jpeg`].
mod face {
    use examgate_shared::shuffle::SplitMix64;

    type Rgb = [u8; 3];

    /// An axis-aligned ellipse.
    struct Ellipse {
        cx: f32,
        cy: f32,
        rx: f32,
        ry: f32,
        colour: Rgb,
    }

    impl Ellipse {
        fn contains(&self, x: f32, y: f32) -> bool {
            let dx = (x - self.cx) / self.rx;
            let dy = (y - self.cy) / self.ry;
            dx * dx + dy * dy <= 1.0
        }
    }

    fn vary(rng: &mut SplitMix64, base: Rgb, spread: u8) -> Rgb {
        base.map(|c| {
            let delta = rng.below(u64::from(spread) * 2 + 1) as i16 - i16::from(spread);
            (i16::from(c) + delta).clamp(0, 255) as u8
        })
    }

    /// RGB pixels, row by row: background, shoulders, neck, hair, face,
    /// eyes, brows, nose and mouth, with a little grain so the JPEG weighs
    /// what a photo does.
    pub(super) fn draw(seed: u64, width: u16, height: u16) -> Vec<u8> {
        let mut rng = SplitMix64::new(seed);
        let (w, h) = (f32::from(width), f32::from(height));
        let background = vary(&mut rng, [222, 232, 245], 12);
        let skin = vary(&mut rng, [226, 186, 150], 20);
        let hair = vary(&mut rng, [40, 30, 25], 15);
        let shirt = vary(&mut rng, [240, 240, 240], 15);
        let lips = vary(&mut rng, [190, 110, 105], 15);
        let face_rx = w * (0.22 + rng.below(4) as f32 / 100.0);
        let face_ry = h * (0.22 + rng.below(3) as f32 / 100.0);
        let (cx, cy) = (w / 2.0, h * 0.44);
        let eye_dx = face_rx * 0.42;
        let eye_y = cy - face_ry * 0.08;
        let dark = [30, 25, 25];
        let white = [245, 245, 240];
        // Later shapes paint over earlier ones.
        let shapes = [
            Ellipse {
                cx,
                cy: h * 1.0,
                rx: w * 0.48,
                ry: h * 0.3,
                colour: shirt,
            },
            Ellipse {
                cx,
                cy: cy + face_ry * 1.05,
                rx: face_rx * 0.45,
                ry: face_ry * 0.5,
                colour: skin,
            },
            Ellipse {
                cx,
                cy: cy - face_ry * 0.2,
                rx: face_rx * 1.12,
                ry: face_ry * 1.0,
                colour: hair,
            },
            Ellipse {
                cx,
                cy: cy + face_ry * 0.08,
                rx: face_rx,
                ry: face_ry * 0.92,
                colour: skin,
            },
            Ellipse {
                cx: cx - eye_dx,
                cy: eye_y,
                rx: face_rx * 0.17,
                ry: face_ry * 0.06,
                colour: white,
            },
            Ellipse {
                cx: cx + eye_dx,
                cy: eye_y,
                rx: face_rx * 0.17,
                ry: face_ry * 0.06,
                colour: white,
            },
            Ellipse {
                cx: cx - eye_dx,
                cy: eye_y,
                rx: face_rx * 0.07,
                ry: face_ry * 0.055,
                colour: dark,
            },
            Ellipse {
                cx: cx + eye_dx,
                cy: eye_y,
                rx: face_rx * 0.07,
                ry: face_ry * 0.055,
                colour: dark,
            },
            Ellipse {
                cx: cx - eye_dx,
                cy: eye_y - face_ry * 0.13,
                rx: face_rx * 0.2,
                ry: face_ry * 0.025,
                colour: hair,
            },
            Ellipse {
                cx: cx + eye_dx,
                cy: eye_y - face_ry * 0.13,
                rx: face_rx * 0.2,
                ry: face_ry * 0.025,
                colour: hair,
            },
            Ellipse {
                cx,
                cy: cy + face_ry * 0.22,
                rx: face_rx * 0.1,
                ry: face_ry * 0.05,
                colour: skin.map(|c| c.saturating_sub(35)),
            },
            Ellipse {
                cx,
                cy: cy + face_ry * 0.48,
                rx: face_rx * 0.3,
                ry: face_ry * 0.06,
                colour: lips,
            },
        ];
        let mut grain = SplitMix64::new(seed ^ 0x6772_6169_6E00);
        let mut pixels = Vec::with_capacity(usize::from(width) * usize::from(height) * 3);
        for y in 0..height {
            for x in 0..width {
                let (fx, fy) = (f32::from(x) + 0.5, f32::from(y) + 0.5);
                let mut colour = shapes
                    .iter()
                    .rev()
                    .find(|s| s.contains(fx, fy))
                    .map_or(background, |s| s.colour);
                // A soft vertical light falloff, then grain.
                let shade = (fy / h * 18.0) as u8;
                let noise = grain.next_u64();
                for (i, c) in colour.iter_mut().enumerate() {
                    let n = ((noise >> (i * 8)) & 0x0F) as i16 - 8;
                    *c = (i16::from(c.saturating_sub(shade)) + n).clamp(0, 255) as u8;
                }
                pixels.extend_from_slice(&colour);
            }
        }
        pixels
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use examgate_shared::chip::lds::dg1::Mrz;
    use examgate_shared::chip::lds::dg2::{FaceImage, ImageFormat};
    use examgate_shared::chip::lds::dg13::PersonalData;

    /// The synthetic vector of chip-card.md, built by hand.
    fn vector_student() -> Student {
        Student {
            id12: "001203012345".into(),
            full_name: "Nguyễn Văn A".into(),
            birth: MrzDate::new(2003, 5, 14),
            sex: Sex::Male,
            issued: MrzDate::new(2021, 3, 2),
            expiry: MrzDate::new(2028, 5, 14),
            nationality: "Việt Nam".into(),
            ethnicity: "Kinh".into(),
            religion: "Không".into(),
            place_of_origin: "Xã Tân Lập, Hà Nội".into(),
            residence: "Số 1 Lê Lợi, Phường 1, Hà Nội".into(),
            identifying_marks: MARKS[0].into(),
            father: "Nguyễn Văn B".into(),
            mother: "Trần Thị C".into(),
            face_seed: 7,
        }
    }

    #[test]
    fn vector_student_has_the_documented_mrz() {
        let student = vector_student();
        assert_eq!(
            student.mrz_lines(),
            [
                "IDVNM2030123450001203012345<<1",
                "0305141M2805140VNM<<<<<<<<<<<6",
                "NGUYEN<<VAN<A<<<<<<<<<<<<<<<<<",
            ]
        );
        assert_eq!(
            student.bac_input().mrz_information(),
            "203012345003051412805140"
        );
        // The renewal rule agrees with the documented expiry.
        assert_eq!(
            id_card::rule_expiry(student.birth, student.issued),
            student.expiry
        );
    }

    #[test]
    fn synthetic_students_are_deterministic_and_plausible() {
        assert_eq!(Student::synthetic(1, 5), Student::synthetic(1, 5));
        assert_ne!(Student::synthetic(1, 5), Student::synthetic(2, 5));
        let mut ids = std::collections::HashSet::new();
        for index in 0..300 {
            let s = Student::synthetic(42, index);
            let info = id_card::validate(&s.id12).unwrap();
            assert!(id_card::province_name(info.province).is_some());
            assert_eq!(info.sex, s.sex);
            assert!(id_card::birth_consistent(&s.id12, s.birth));
            assert!((2008..=2011).contains(&s.birth.year));
            assert!(id_card::is_calendar_date(s.birth) && id_card::is_calendar_date(s.issued));
            assert!(s.issued >= id_card::add_years(s.birth, 14) && s.issued <= LATEST_ISSUE);
            assert_eq!(s.expiry, id_card::add_years(s.birth, 25));
            assert_eq!(s.full_name.split(' ').count(), 3);
            assert!(ids.insert(s.id12.clone()), "IDs are unique");
            // The exam site's guess from the roster (ID and birth) is right
            // first time.
            let guesses =
                id_card::bac_inputs(&s.id12, s.birth, None, MrzDate::new(2026, 11, 1)).unwrap();
            assert_eq!(guesses[0], s.bac_input());
            // The QR code gives the same.
            let qr = id_card::QrData::parse(&s.qr_text()).unwrap();
            assert_eq!(
                qr.bac_inputs(MrzDate::new(2026, 11, 1)).unwrap()[0],
                s.bac_input()
            );
        }
    }

    #[test]
    fn groups_parse_back_to_the_student() {
        let s = Student::synthetic(9, 3);
        let groups = s.groups();
        assert_eq!(groups.keys().copied().collect::<Vec<_>>(), vec![1, 2, 13]);

        let mrz = Mrz::parse(&groups[&1]).unwrap();
        assert_eq!(mrz, s.mrz());
        assert_eq!(mrz.cccd_personal_id(), Some(s.id12.as_str()));
        assert_eq!(mrz.bac_input().unwrap(), s.bac_input());

        let face = FaceImage::parse(&groups[&2]).unwrap();
        assert_eq!(face.format, ImageFormat::Jpeg);
        assert_eq!((face.width, face.height), (FACE_WIDTH, FACE_HEIGHT));
        assert_eq!(face.data, s.face_jpeg());

        let data = PersonalData::parse(&groups[&13]).unwrap();
        assert_eq!(data.personal_id.as_deref(), Some(s.id12.as_str()));
        assert_eq!(data.full_name.as_deref(), Some(s.full_name.as_str()));
        assert_eq!(data.birth, Some(s.birth));
        assert_eq!(data.sex, Some(s.sex));
        assert_eq!(data.issued, Some(s.issued));
        assert_eq!(data.residence.as_deref(), Some(s.residence.as_str()));
        assert_eq!(data.father.as_deref(), Some(s.father.as_str()));
        assert_eq!(data.mother.as_deref(), Some(s.mother.as_str()));
        assert_eq!(data.entries, s.dg13_entries());
    }

    /// The frame size from the JPEG's start-of-frame marker, and whether
    /// it is baseline (SOF0).
    fn jpeg_frame(jpeg: &[u8]) -> Option<(bool, u16, u16)> {
        let mut at = 2;
        while at + 9 < jpeg.len() {
            if jpeg[at] != 0xFF {
                return None;
            }
            let marker = jpeg[at + 1];
            let len = usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
            if (0xC0..=0xC2).contains(&marker) {
                let height = u16::from_be_bytes([jpeg[at + 5], jpeg[at + 6]]);
                let width = u16::from_be_bytes([jpeg[at + 7], jpeg[at + 8]]);
                return Some((marker == 0xC0, width, height));
            }
            at += 2 + len;
        }
        None
    }

    #[test]
    fn face_photo_looks_like_a_card_photo() {
        for index in 0..3 {
            let jpeg = Student::synthetic(5, index).face_jpeg();
            assert!(jpeg.starts_with(&[0xFF, 0xD8]) && jpeg.ends_with(&[0xFF, 0xD9]));
            assert_eq!(jpeg_frame(&jpeg), Some((true, FACE_WIDTH, FACE_HEIGHT)));
            let kb = jpeg.len() / 1024;
            assert!((12..=25).contains(&kb), "{kb} KB");
        }
        assert_ne!(
            Student::synthetic(5, 0).face_jpeg(),
            Student::synthetic(5, 1).face_jpeg()
        );
    }

    #[test]
    fn days_are_added_across_months_and_years() {
        assert_eq!(
            add_days(MrzDate::new(2024, 12, 31), 1),
            MrzDate::new(2025, 1, 1)
        );
        assert_eq!(
            add_days(MrzDate::new(2024, 2, 28), 1),
            MrzDate::new(2024, 2, 29)
        );
        assert_eq!(
            add_days(MrzDate::new(2024, 1, 1), 366),
            MrzDate::new(2025, 1, 1)
        );
        assert_eq!(
            add_days(MrzDate::new(2024, 1, 31), 0),
            MrzDate::new(2024, 1, 31)
        );
    }
}
