//! The exam office from a test: an HTTP client with the office's session,
//! the pilot's plan (three schools, two shifts of 45 minutes), and roster
//! workbooks shaped like the schools' exports, made with an XLSX writer.

use examgate_shared::office::api::{
    AccountSlip, NewAccount, NewEvent, NewRoom, NewShift, NewSite, PlanView, SetupRequest,
    vietnam_text,
};
use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use examgate_shared::protocol::{LoginResponse, Role};
use rust_xlsxwriter::{Format, Workbook};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{Millis, TestRelay, now_ms};

/// The first exam-office account of [`TestRelay::empty`].
pub const OFFICE_USER: &str = "hoidongthi";
pub const OFFICE_PASSWORD: &str = "mat-khau-hoi-dong";

/// An HTTP answer: status and body bytes.
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "status {}: {e}: {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The refusal's code.
    pub fn code(&self) -> String {
        self.json::<Value>()["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

/// Calls the relay with a bearer token (or none).
#[derive(Clone)]
pub struct Client {
    base: String,
    token: Option<String>,
    http: reqwest::Client,
}

impl Client {
    pub fn new(relay: &TestRelay, token: Option<&str>) -> Client {
        Client {
            base: relay.url(""),
            token: token.map(str::to_owned),
            http: reqwest::Client::new(),
        }
    }

    /// The session token.
    pub fn token(&self) -> &str {
        self.token.as_deref().unwrap_or_default()
    }

    fn with_auth(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.token {
            Some(t) => req.bearer_auth(t),
            None => req,
        }
    }

    async fn answer(resp: reqwest::Response) -> Answer {
        Answer {
            status: resp.status().as_u16(),
            body: resp.bytes().await.unwrap().to_vec(),
        }
    }

    pub async fn get(&self, path: &str) -> Answer {
        let req = self.with_auth(self.http.get(format!("{}{path}", self.base)));
        Client::answer(req.send().await.unwrap()).await
    }

    pub async fn post<T: Serialize>(&self, path: &str, body: &T) -> Answer {
        let req = self.with_auth(self.http.post(format!("{}{path}", self.base)).json(body));
        Client::answer(req.send().await.unwrap()).await
    }

    pub async fn post_bytes(&self, path: &str, bytes: Vec<u8>) -> Answer {
        let req = self.with_auth(
            self.http
                .post(format!("{}{path}", self.base))
                .header("content-type", "application/octet-stream")
                .body(bytes),
        );
        Client::answer(req.send().await.unwrap()).await
    }

    /// POSTs and returns the `id` of what was created, asserting 200.
    pub async fn create<T: Serialize>(&self, path: &str, body: &T) -> u64 {
        let a = self.post(path, body).await;
        assert_eq!(
            a.status,
            200,
            "{path}: {}",
            String::from_utf8_lossy(&a.body)
        );
        a.json::<Value>()["id"].as_u64().unwrap()
    }

    pub async fn plan(&self) -> PlanView {
        let a = self.get("/api/office/plan").await;
        assert_eq!(a.status, 200);
        a.json()
    }

    pub async fn account(
        &self,
        username: &str,
        role: Role,
        site_id: Option<u64>,
        room_id: Option<u64>,
    ) -> AccountSlip {
        let a = self
            .post(
                "/api/office/accounts",
                &NewAccount {
                    username: username.into(),
                    display_name: format!("Cán bộ {username}"),
                    role,
                    site_id,
                    room_id,
                    subject: String::new(),
                },
            )
            .await;
        assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
        a.json()
    }
}

/// Signs in with a slip's password.
pub async fn sign_in(relay: &TestRelay, user: &str, password: &str) -> Client {
    let a = Client::new(relay, None)
        .post(
            "/api/login",
            &serde_json::json!({ "username": user, "password": password }),
        )
        .await;
    assert_eq!(a.status, 200, "login {user}");
    let login: LoginResponse = a.json();
    Client::new(relay, Some(&login.token))
}

/// Uses the set-up link of an empty relay: the first exam-office account.
pub async fn set_up_office(relay: &TestRelay) -> Client {
    let token = relay
        .setup_token
        .clone()
        .expect("an empty relay has a set-up link");
    let a = Client::new(relay, None)
        .post(
            "/api/setup",
            &SetupRequest {
                token,
                username: OFFICE_USER.into(),
                display_name: "Hội đồng thi Sở GD&ĐT".into(),
                password: OFFICE_PASSWORD.into(),
            },
        )
        .await;
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    let login: LoginResponse = a.json();
    assert_eq!(login.role, Role::ExamOffice);
    Client::new(relay, Some(&login.token))
}

/// The pilot as planned: ids of what the office created.
pub struct Pilot {
    pub event: u64,
    pub sites: Vec<(u64, String)>,
    /// (site index, room id, room name)
    pub rooms: Vec<(usize, u64, String)>,
    /// (sitting id, shift name)
    pub shifts: Vec<(u64, String)>,
}

pub const SCHOOLS: [&str; 3] = ["THPT Phan Đình Phùng", "THPT Hồng Lĩnh", "THPT Nguyễn Du"];

/// Three schools with `rooms_per_site` rooms of 24 seats, one event, two
/// shifts of 45 minutes: shift 1 opened a minute ago, shift 2 at the first
/// whole minute (Vietnam time is written to the minute) at or after
/// `shift2_from`. Each shift sits its own copy of the demo paper.
pub async fn plan_pilot(office: &Client, rooms_per_site: usize, shift2_from: Millis) -> Pilot {
    let mut sites = Vec::new();
    let mut rooms = Vec::new();
    for (i, school) in SCHOOLS.iter().enumerate() {
        let id = office
            .create(
                "/api/office/sites",
                &NewSite {
                    name: school.to_string(),
                    code: format!("HT{:02}", i + 1),
                },
            )
            .await;
        sites.push((id, school.to_string()));
        for r in 0..rooms_per_site {
            let name = format!("Phòng {:02}", r + 1);
            let room = office
                .create(
                    "/api/office/rooms",
                    &NewRoom {
                        site_id: id,
                        name: name.clone(),
                        seats: 24,
                    },
                )
                .await;
            rooms.push((i, room, name));
        }
    }
    for (n, id) in ["toan-ca-1", "toan-ca-2"].iter().enumerate() {
        office
            .paper(id, &format!("Kiểm tra Toán 12 — đề ca {}", n + 1))
            .await;
    }
    let event = office
        .create(
            "/api/office/events",
            &NewEvent {
                name: "Kiểm tra giữa kỳ I — Toán 12 (thí điểm)".into(),
                subject: "Toán".into(),
            },
        )
        .await;
    // Shift times are typed to the minute: shift 1 from the minute before
    // now, shift 2 from the minute after `shift2_from`.
    let starts = [now_ms() - 60_000, shift2_from + 59_999];
    let mut shifts = Vec::new();
    for (n, start) in starts.iter().enumerate() {
        let text = vietnam_text(*start);
        let (date, time) = text.split_once(' ').unwrap();
        let minutes = 45;
        let name = format!("Ca {}", n + 1);
        let id = office
            .create(
                &format!("/api/office/events/{event}/shifts"),
                &NewShift {
                    name: name.clone(),
                    date: date.into(),
                    start: time.into(),
                    minutes,
                    hard_stop_minutes: None,
                    fullscreen: false,
                    exam_id: format!("toan-ca-{}", n + 1),
                    requires_card: false,
                    room_ids: Vec::new(),
                },
            )
            .await;
        shifts.push((id, name));
    }
    Pilot {
        event,
        sites,
        rooms,
        shifts,
    }
}

/// One school (the pilot's first) with `rooms` of 24 seats, the demo paper
/// as `toan`, and an event named `event`: (site id, event id).
pub async fn one_school(office: &Client, rooms: &[&str], event: &str) -> (u64, u64) {
    let site = office
        .create(
            "/api/office/sites",
            &NewSite {
                name: SCHOOLS[0].into(),
                code: String::new(),
            },
        )
        .await;
    for room in rooms {
        office
            .create(
                "/api/office/rooms",
                &NewRoom {
                    site_id: site,
                    name: room.to_string(),
                    seats: 24,
                },
            )
            .await;
    }
    office.paper("toan", "Kiểm tra Toán").await;
    let event = office
        .create(
            "/api/office/events",
            &NewEvent {
                name: event.into(),
                subject: "Toán".into(),
            },
        )
        .await;
    (site, event)
}

impl Client {
    /// Adds the demo paper under `id` and `title`, asserting 200.
    pub async fn paper(&self, id: &str, title: &str) {
        let mut exam = examgate_relay::seed::demo_exam();
        exam.id = id.into();
        exam.title = title.into();
        let a = self
            .post_raw_json("/api/office/papers", serde_json::to_vec(&exam).unwrap())
            .await;
        assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    }

    pub async fn post_raw_json(&self, path: &str, bytes: Vec<u8>) -> Answer {
        let req = self.with_auth(
            self.http
                .post(format!("{}{path}", self.base))
                .header("content-type", "application/json")
                .body(bytes),
        );
        Client::answer(req.send().await.unwrap()).await
    }
}

/// A hand-in workbook read back: its sheet names, and per candidate number
/// the mark (`None`: listed without one, absent or unfinished). Candidate
/// rows are the numbered ones; footers and signature lines are not.
pub fn handin_marks(xlsx: &[u8]) -> (Vec<String>, BTreeMap<String, Option<f64>>) {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(xlsx.to_vec())).unwrap();
    let names = book.sheet_names();
    let mut marks = BTreeMap::new();
    for name in names.iter().skip(1) {
        let range = book.worksheet_range(name).unwrap();
        let header = range
            .rows()
            .position(|row| row.iter().any(|c| c == &Data::String("Số báo danh".into())))
            .expect("a header row");
        let cols: Vec<String> = range
            .rows()
            .nth(header)
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        let col = |h: &str| cols.iter().position(|c| c == h).unwrap();
        for row in range.rows().skip(header + 1) {
            let (Data::Float(_), Data::String(number)) =
                (&row[col("STT")], &row[col("Số báo danh")])
            else {
                continue;
            };
            let mark = match &row[col("Điểm")] {
                Data::Float(m) => Some(*m),
                Data::Empty => None,
                other => panic!("mark cell {other:?}"),
            };
            marks.insert(number.clone(), mark);
        }
    }
    (names, marks)
}

/// A site's own exam office, signed in.
pub async fn site_office(relay: &TestRelay, office: &Client, user: &str, site: u64) -> Client {
    let slip = office
        .account(user, Role::ExamOffice, Some(site), None)
        .await;
    sign_in(relay, user, &slip.password).await
}

/// One pupil of a synthetic roster (never real people).
#[derive(Debug, Clone)]
pub struct Pupil {
    pub name: String,
    /// `dd/mm/yyyy`.
    pub birth: String,
    pub cccd: String,
    pub class: String,
    pub school: String,
    pub shift: String,
}

const FAMILY: [&str; 8] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"];
const MIDDLE: [&str; 6] = ["Văn", "Thị", "Minh", "Thu", "Quốc", "Ngọc"];
const GIVEN: [&str; 12] = [
    "An", "Bình", "Cường", "Dũng", "Đức", "Hà", "Huy", "Lan", "Mai", "Nam", "Thủy", "Yến",
];

/// `n` pupils spread over the three schools and two shifts, with valid
/// CCCD numbers (century digit and year agree with the birth date).
pub fn pupils(n: usize) -> Vec<Pupil> {
    (0..n)
        .map(|i| {
            let female = i % 2 == 1;
            let day = 1 + i % 28;
            let month = 1 + i % 12;
            let school = SCHOOLS[i % 3].to_string();
            Pupil {
                name: format!(
                    "{} {} {}",
                    FAMILY[i % 8],
                    MIDDLE[(i / 8) % 6],
                    GIVEN[(i / 3) % 12]
                ),
                birth: format!("{day:02}/{month:02}/2008"),
                // Hà Tĩnh (042), born in the 2000s: 2 male, 3 female; 08.
                cccd: format!("042{}08{:06}", if female { 3 } else { 2 }, 100_000 + i),
                class: format!("12A{}", 1 + i % 4),
                school,
                shift: format!("Ca {}", 1 + (i / 3) % 2),
            }
        })
        .collect()
}

/// A roster workbook shaped like a CSDL-ngành export: two title rows, a
/// blank row, the header on row 4, an ethnicity column that must be
/// dropped, the CCCD as a number (Excel lost its leading 0), the birth
/// date as a real date cell.
pub fn roster_xlsx(pupils: &[Pupil]) -> Vec<u8> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet().set_name("DS thi sinh").unwrap();
    ws.write_string(0, 0, "SỞ GIÁO DỤC VÀ ĐÀO TẠO HÀ TĨNH")
        .unwrap();
    ws.write_string(1, 0, "DANH SÁCH THÍ SINH — KIỂM TRA GIỮA KỲ I TOÁN 12")
        .unwrap();
    let headers = [
        "STT",
        "Họ và tên",
        "Ngày sinh",
        "Dân tộc",
        "Số định danh cá nhân",
        "Lớp",
        "Trường",
        "Ca thi",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(3, c as u16, *h).unwrap();
    }
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    for (i, p) in pupils.iter().enumerate() {
        let row = 4 + i as u32;
        let (d, m, y) = {
            let mut it = p.birth.split('/').map(|x| x.parse::<u16>().unwrap());
            (it.next().unwrap(), it.next().unwrap(), it.next().unwrap())
        };
        ws.write_number(row, 0, (i + 1) as f64).unwrap();
        ws.write_string(row, 1, &p.name).unwrap();
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(y, m as u8, d as u8).unwrap();
        ws.write_datetime_with_format(row, 2, &date, &date_format)
            .unwrap();
        ws.write_string(row, 3, "Kinh").unwrap();
        ws.write_number(row, 4, p.cccd.parse::<f64>().unwrap())
            .unwrap();
        ws.write_string(row, 5, &p.class).unwrap();
        ws.write_string(row, 6, &p.school).unwrap();
        ws.write_string(row, 7, &p.shift).unwrap();
    }
    book.save_to_buffer().unwrap()
}
