//! The relay's results endpoints (staff only, `Authorization: Bearer`), and
//! the two downloads the page offers.
//!
//! | call                              | answer                  |
//! |-----------------------------------|-------------------------|
//! | `GET /api/sittings`               | `[SittingSummary]`      |
//! | `GET /api/sittings/{id}/results`  | [`Results`]             |
//!
//! The CSV is built here from the `Results` already on the page rather than
//! fetched from `/results.csv`: it is the same table (same columns, same
//! BOM), it needs no second request, and it works for imported results too.

use examgate_shared::csv::write_row;
use examgate_shared::results::Results;
use yew::UseReducerDispatcher;

use super::state::{ResultsAction, ResultsState};
use crate::http::get_json;

/// A sitting as `GET /api/sittings` lists it.
pub use examgate_shared::protocol::SittingSummary;

/// Fetches the sittings into the page's state.
pub fn load_sittings(token: &str, dispatcher: UseReducerDispatcher<ResultsState>) {
    dispatcher.dispatch(ResultsAction::SittingsLoading);
    let token = token.to_owned();
    wasm_bindgen_futures::spawn_local(async move {
        let answer = get_json("/api/sittings", &token).await;
        dispatcher.dispatch(ResultsAction::SittingsLoaded(answer));
    });
}

/// Puts sitting `id` on show and fetches its results.
pub fn open_sitting(token: &str, id: u64, dispatcher: UseReducerDispatcher<ResultsState>) {
    dispatcher.dispatch(ResultsAction::Open(id));
    let token = token.to_owned();
    wasm_bindgen_futures::spawn_local(async move {
        let answer = get_json(&format!("/api/sittings/{id}/results"), &token).await;
        dispatcher.dispatch(ResultsAction::ResultsLoaded(id, answer.map(Box::new)));
    });
}

/// The results table as CSV, as the relay's `results.csv` has it: a BOM (so
/// spreadsheet programs read Vietnamese names as UTF-8), then candidate,
/// room, mark, score and, when the rows have them, one column per question
/// and the candidate number (số báo danh).
pub fn results_csv(results: &Results) -> String {
    let per_question = results.rows.iter().any(|r| !r.items.is_empty());
    let mut header = vec![
        "candidate".to_owned(),
        "room".into(),
        "mark".into(),
        "score".into(),
    ];
    if per_question {
        header.extend(results.questions.iter().map(|q| format!("q{}", q.0)));
        header.push("candidate_number".into());
    }
    let mut out = format!("\u{feff}{}", write_row(&header));
    for r in &results.rows {
        let mut line = vec![
            r.candidate.clone(),
            r.room.clone(),
            r.mark.to_string(),
            r.score.clone(),
        ];
        if per_question {
            line.extend(r.items.iter().cloned());
            line.push(r.candidate_number.clone().unwrap_or_default());
        }
        out.push_str(&write_row(&line));
    }
    out
}

/// The results as the relay sent them, indented for people who open it.
pub fn results_json(results: &Results) -> String {
    serde_json::to_string_pretty(results).unwrap_or_default()
}

/// Offers `text` as a file called `name`: a Blob behind an object URL,
/// clicked through a temporary link ([`offer_blob`]).
#[cfg(target_arch = "wasm32")]
pub fn download(name: &str, mime: &str, text: &str) {
    use wasm_bindgen::JsValue;
    use web_sys::{Blob, BlobPropertyBag};

    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    match Blob::new_with_str_sequence_and_options(&parts, &options) {
        Ok(blob) => offer_blob(name, &blob),
        Err(e) => gloo::console::error!(format!("examgate: cannot offer {name}"), e),
    }
}

/// Offers `blob` as a file called `name` through a temporary link; the
/// object URL is released a little later, once the browser has started the
/// download. The results page's exports and the exam office's downloads
/// both go through here.
pub fn offer_blob(name: &str, blob: &web_sys::Blob) {
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{HtmlAnchorElement, Url};

    let run = || -> Result<(), JsValue> {
        let url = Url::create_object_url_with_blob(blob)?;
        let document = gloo::utils::document();
        let link: HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
        link.set_href(&url);
        link.set_download(name);
        // Firefox only follows links that are in the document.
        let body = gloo::utils::body();
        body.append_child(&link)?;
        link.click();
        body.remove_child(&link)?;
        gloo::timers::callback::Timeout::new(10_000, move || {
            let _ = Url::revoke_object_url(&url);
        })
        .forget();
        Ok(())
    };
    if let Err(e) = run() {
        gloo::console::error!(format!("examgate: cannot offer {name}"), e);
    }
}

/// Host builds (tests, clippy) have no browser to download in.
#[cfg(not(target_arch = "wasm32"))]
pub fn download(name: &str, _mime: &str, _text: &str) {
    let _ = name;
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use examgate_shared::answer::AnswerValue;
    use examgate_shared::exam::{Body, Exam, OptionId, Question, QuestionId, Versioning};
    use examgate_shared::points::Points;
    use examgate_shared::scoring::grade;

    use super::*;

    fn exam() -> Exam {
        let choice = |id, key| Question {
            id: QuestionId(id),
            text: format!("Câu {id}"),
            points: Points::from_milli(500),
            body: Body::SingleChoice {
                options: vec!["x".into(), "y".into(), "z".into(), "t".into()],
                key: OptionId(key),
                pinned: vec![],
            },
            voided: false,
            explanation: None,
        };
        Exam {
            id: "toan-10".into(),
            title: "Toán 10".into(),
            subject: "Toán".into(),
            duration_secs: 600,
            questions: vec![choice(1, 0), choice(2, 2)],
            sections: vec![],
            versioning: Versioning::Same,
            show_answers: false,
        }
    }

    #[test]
    fn the_csv_is_the_relays() {
        let exam = exam();
        let attempts: Vec<_> = [
            ("Nguyễn Văn An", vec![(1, 0), (2, 2)]),
            ("Trần, Bình", vec![(1, 1)]),
        ]
        .into_iter()
        .map(|(name, answers)| {
            let answers: BTreeMap<_, _> = answers
                .into_iter()
                .map(|(q, o)| (QuestionId(q), AnswerValue::Choice(OptionId(o))))
                .collect();
            let g = grade(&exam, &answers);
            (name.to_owned(), "P.01".to_owned(), answers, g)
        })
        .collect();
        let results = examgate_shared::results::results(&exam, &attempts).unwrap();
        let ours = results_csv(&results);
        let relays = format!(
            "\u{feff}{}",
            examgate_shared::results::results_csv(&exam, &results.rows)
        );
        assert_eq!(ours, relays);
        assert!(ours.contains("\"Trần, Bình\""));
        let back: Results = serde_json::from_str(&results_json(&results)).unwrap();
        assert_eq!(back, results);
    }

    #[test]
    fn imported_csv_has_no_question_columns() {
        let results = super::super::state::imported_results(
            examgate_shared::import::import(
                "question,type,key,points\n1,single_choice,A,1\n",
                "sbd,1\nA01,A\nA02,B\n",
            )
            .unwrap(),
        );
        assert_eq!(
            results_csv(&results),
            "\u{feff}candidate,room,mark,score\r\nA01,,10.0,1\r\nA02,,0.0,0\r\n"
        );
    }

    #[test]
    fn sittings_decode_from_the_relays_json() {
        let json = r#"[{"sitting_id":3,"exam_id":"toan-10","title":"Toán 10",
            "opens_at":1700000000000,"closes_at":1700003600000,"attempts":30,"finished":28}]"#;
        let list: Vec<SittingSummary> = serde_json::from_str(json).unwrap();
        assert_eq!(list[0].sitting_id, 3);
        assert_eq!(list[0].finished, 28);
    }
}
