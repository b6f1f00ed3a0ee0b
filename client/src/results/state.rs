//! The results page's state: the sittings, the report on show (a sitting's
//! results or imported ones), how its item table is sorted, which item's
//! options are open, and the import form.
//!
//! Pure: fetching is done by the components, which dispatch what came back;
//! the import itself runs here, because `examgate_shared::import::import` is
//! a pure function of the two texts, so its outcome is state like any other
//! and the tests below can drive it.

use std::cmp::Ordering;
use std::ops::Deref;
use std::rc::Rc;

use examgate_shared::analysis::{Flag, ItemStats};
use examgate_shared::error::ErrorCode;
use examgate_shared::import::{ImportError, Imported, import};
use examgate_shared::points::Mark10;
use examgate_shared::results::{ResultRow, Results};
use yew::Reducible;

use super::api::SittingSummary;
use crate::http::HttpError;
use crate::i18n::Problem;

/// Something fetched: on its way, here, or refused.
#[derive(Debug, Clone, PartialEq)]
pub enum Load<T> {
    Idle,
    Loading,
    Ready(T),
    Failed(Problem),
}

impl<T> Load<T> {
    /// `data-state` of the element showing it.
    pub fn state_name(&self) -> &'static str {
        match self {
            Load::Idle => "idle",
            Load::Loading => "loading",
            Load::Ready(_) => "ready",
            Load::Failed(_) => "failed",
        }
    }
}

/// A report on show. Compared by identity: the same report is the same
/// `Rc`, so re-rendering never compares thousands of rows field by field.
#[derive(Debug, Clone)]
pub struct Report(Rc<Results>);

impl Report {
    pub fn new(results: Results) -> Self {
        Report(Rc::new(results))
    }
}

impl PartialEq for Report {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Deref for Report {
    type Target = Results;
    fn deref(&self) -> &Results {
        &self.0
    }
}

/// Where the report on show came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Sitting(u64),
    Import,
}

impl Source {
    /// `data-source` of `#results-view`.
    pub fn name(self) -> &'static str {
        match self {
            Source::Sitting(_) => "sitting",
            Source::Import => "import",
        }
    }
}

/// The item table's columns that sort, in table order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortKey {
    Question,
    Facility,
    Sd,
    Di,
    De,
    PointBiserial,
    UpperLower,
    RandomGuess,
    EffectiveWeight,
    Flags,
}

impl SortKey {
    pub const ALL: [SortKey; 10] = [
        SortKey::Question,
        SortKey::Facility,
        SortKey::Sd,
        SortKey::Di,
        SortKey::De,
        SortKey::PointBiserial,
        SortKey::UpperLower,
        SortKey::RandomGuess,
        SortKey::EffectiveWeight,
        SortKey::Flags,
    ];

    /// `data-sort` of the column heading.
    pub fn code(self) -> &'static str {
        match self {
            SortKey::Question => "question",
            SortKey::Facility => "facility",
            SortKey::Sd => "sd",
            SortKey::Di => "di",
            SortKey::De => "de",
            SortKey::PointBiserial => "point_biserial",
            SortKey::UpperLower => "upper_lower",
            SortKey::RandomGuess => "random_guess",
            SortKey::EffectiveWeight => "effective_weight",
            SortKey::Flags => "flags",
        }
    }

    /// The direction of a first click: ascending, except for the flags,
    /// where a teacher looks for the worst items first.
    fn first_dir(self) -> Dir {
        match self {
            SortKey::Flags => Dir::Desc,
            _ => Dir::Asc,
        }
    }

    /// The value sorted on; `None` (an undefined statistic) sorts last.
    fn value(self, index: usize, item: &ItemStats) -> Option<f64> {
        match self {
            SortKey::Question => Some(index as f64),
            SortKey::Facility => item.facility_pct.value(),
            SortKey::Sd => item.sd_pct.value(),
            SortKey::Di => item.discrimination_index_pct.value(),
            SortKey::De => item.discriminative_efficiency_pct.value(),
            SortKey::PointBiserial => item.point_biserial_pct.value(),
            SortKey::UpperLower => item.upper_minus_lower_pct.value(),
            SortKey::RandomGuess => Some(item.random_guess_pct),
            SortKey::EffectiveWeight => item.effective_weight_pct.value(),
            SortKey::Flags => Some(f64::from(severity(&item.flags))),
        }
    }
}

/// How much an item's flags call for a look: a likely wrong key outweighs
/// any number of lesser flags, weak discrimination outweighs the rest.
pub fn severity(flags: &[Flag]) -> u32 {
    flags
        .iter()
        .map(|f| match f {
            Flag::LikelyWrongKey => 10_000,
            Flag::DoesNotDiscriminate => 100,
            _ => 1,
        })
        .sum()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    Asc,
    Desc,
}

impl Dir {
    /// `aria-sort` of the sorted column.
    pub fn aria(self) -> &'static str {
        match self {
            Dir::Asc => "ascending",
            Dir::Desc => "descending",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub dir: Dir,
}

impl Default for Sort {
    /// Question order, as on the paper.
    fn default() -> Self {
        Sort {
            key: SortKey::Question,
            dir: Dir::Asc,
        }
    }
}

impl Sort {
    /// After a click on `key`'s heading: the same column flips, another one
    /// starts in its first direction.
    pub fn clicked(self, key: SortKey) -> Sort {
        if self.key == key {
            let dir = match self.dir {
                Dir::Asc => Dir::Desc,
                Dir::Desc => Dir::Asc,
            };
            Sort { key, dir }
        } else {
            Sort {
                key,
                dir: key.first_dir(),
            }
        }
    }

    /// Indices of `items` in display order. Undefined values go last in
    /// either direction (they are not small or large, just absent); ties
    /// keep question order, so the table never shuffles between renders.
    pub fn order(self, items: &[ItemStats]) -> Vec<usize> {
        let mut order: Vec<usize> = (0..items.len()).collect();
        order.sort_by(|&a, &b| {
            let by_value = match (self.key.value(a, &items[a]), self.key.value(b, &items[b])) {
                (Some(x), Some(y)) => match self.dir {
                    Dir::Asc => x.total_cmp(&y),
                    Dir::Desc => y.total_cmp(&x),
                },
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            };
            by_value.then(a.cmp(&b))
        });
        order
    }
}

/// The two texts of the import form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportField {
    Key,
    Responses,
}

/// Why the import form has nothing to show.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportProblem {
    /// The browser could not read a chosen file.
    Unreadable(ImportField),
    /// `import` refused the texts, saying where.
    Refused(ImportError),
}

/// The import form. The texts are shared, not copied, on every render:
/// a responses file can run to megabytes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportForm {
    pub key: Rc<str>,
    pub responses: Rc<str>,
    pub problem: Option<ImportProblem>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResultsState {
    pub sittings: Load<Rc<Vec<SittingSummary>>>,
    /// What `#results-view` shows, if anything was picked yet.
    pub source: Option<Source>,
    pub report: Load<Report>,
    pub sort: Sort,
    /// The item (index into `analysis.items`) whose options are shown.
    pub selected: Option<usize>,
    pub import: ImportForm,
    /// The relay refused the token: back to the sign-in screen.
    pub signed_out: Option<ErrorCode>,
}

impl Default for ResultsState {
    /// The sittings are fetched as soon as the page mounts.
    fn default() -> Self {
        ResultsState {
            sittings: Load::Loading,
            source: None,
            report: Load::Idle,
            sort: Sort::default(),
            selected: None,
            import: ImportForm::default(),
            signed_out: None,
        }
    }
}

pub enum ResultsAction {
    /// The sittings are being fetched (again).
    SittingsLoading,
    SittingsLoaded(Result<Vec<SittingSummary>, HttpError>),
    /// A sitting was picked; its results are being fetched.
    Open(u64),
    /// Boxed: a report is large, and every other action small.
    ResultsLoaded(u64, Result<Box<Results>, HttpError>),
    SortBy(SortKey),
    /// A click on an item: opens its options, or closes them if open.
    Select(usize),
    CloseItem,
    EditImport(ImportField, String),
    Unreadable(ImportField),
    RunImport,
}

impl ResultsState {
    /// The problem to show for `error`; a refused token also signs out.
    fn problem(&mut self, error: &HttpError) -> Problem {
        if error.code() == Some(ErrorCode::Unauthorized) {
            self.signed_out = Some(ErrorCode::Unauthorized);
        }
        error.problem()
    }

    /// Puts a new report on show: another test, so the open item goes; the
    /// sort stays, a teacher comparing sittings wants the same view.
    fn show(&mut self, source: Source, report: Load<Report>) {
        self.source = Some(source);
        self.report = report;
        self.selected = None;
    }

    fn run_import(&mut self) {
        // A BOM from Excel's "CSV UTF-8" may be pasted along; the CSV reader
        // drops one, but a text area can hold one per paste.
        fn clean(text: &str) -> &str {
            text.trim_start_matches('\u{feff}')
        }
        match import(clean(&self.import.key), clean(&self.import.responses)) {
            Ok(imported) => {
                self.import.problem = None;
                self.show(
                    Source::Import,
                    Load::Ready(Report::new(imported_results(imported))),
                );
            }
            Err(e) => self.import.problem = Some(ImportProblem::Refused(e)),
        }
    }
}

/// Imported responses in the shape of a sitting's [`Results`], so the same
/// components show both. There is no room and no per-question score (the
/// import keeps totals only), and the title is left to the page.
pub fn imported_results(imported: Imported) -> Results {
    let max = imported.max;
    let rows = imported
        .candidates
        .into_iter()
        .zip(imported.totals)
        .map(|(candidate, total)| ResultRow {
            candidate,
            room: String::new(),
            mark: Mark10::from_score(total, max),
            score: total.to_string(),
            items: Vec::new(),
            candidate_number: None,
        })
        .collect();
    Results {
        exam_id: String::new(),
        title: String::new(),
        questions: imported.questions,
        rows,
        analysis: imported.analysis,
    }
}

impl Reducible for ResultsState {
    type Action = ResultsAction;

    fn reduce(self: Rc<Self>, action: ResultsAction) -> Rc<Self> {
        let mut s = Rc::unwrap_or_clone(self);
        match action {
            ResultsAction::SittingsLoading => s.sittings = Load::Loading,
            ResultsAction::SittingsLoaded(Ok(list)) => s.sittings = Load::Ready(Rc::new(list)),
            ResultsAction::SittingsLoaded(Err(e)) => s.sittings = Load::Failed(s.problem(&e)),
            ResultsAction::Open(id) => s.show(Source::Sitting(id), Load::Loading),
            ResultsAction::ResultsLoaded(id, result) => {
                // A slow answer for a sitting no longer on show is dropped.
                if s.source == Some(Source::Sitting(id)) {
                    s.report = match result {
                        Ok(results) => Load::Ready(Report::new(*results)),
                        Err(e) => Load::Failed(s.problem(&e)),
                    };
                }
            }
            ResultsAction::SortBy(key) => s.sort = s.sort.clicked(key),
            ResultsAction::Select(item) => {
                s.selected = (s.selected != Some(item)).then_some(item);
            }
            ResultsAction::CloseItem => s.selected = None,
            ResultsAction::EditImport(field, text) => match field {
                ImportField::Key => s.import.key = text.into(),
                ImportField::Responses => s.import.responses = text.into(),
            },
            ResultsAction::Unreadable(field) => {
                s.import.problem = Some(ImportProblem::Unreadable(field));
            }
            ResultsAction::RunImport => s.run_import(),
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use examgate_shared::analysis::{ItemKind, Stat};
    use examgate_shared::error::ErrorBody;
    use examgate_shared::exam::QuestionId;

    use super::*;

    const KEY: &str = "question,type,key,points,options\n\
        1,single_choice,B,1,4\n\
        2,single_choice,A,1,4\n\
        3,mark,,2,\n";
    const RESPONSES: &str = "sbd,1,2,3\n\
        A01,B,A,2\n\
        A02,B,C,1\n\
        A03,C,A,0\n\
        A04,D,B,\"0,5\"\n";

    fn reduce(state: Rc<ResultsState>, actions: Vec<ResultsAction>) -> Rc<ResultsState> {
        actions.into_iter().fold(state, Reducible::reduce)
    }

    fn imported() -> Rc<ResultsState> {
        reduce(
            Rc::default(),
            vec![
                ResultsAction::EditImport(ImportField::Key, KEY.into()),
                ResultsAction::EditImport(ImportField::Responses, format!("\u{feff}{RESPONSES}")),
                ResultsAction::RunImport,
            ],
        )
    }

    fn item(facility: Stat, di: Stat, flags: Vec<Flag>) -> ItemStats {
        let undefined = Stat::Undefined(examgate_shared::analysis::Reason::NoItems);
        ItemStats {
            item: 0,
            max_points: 1.0,
            kind: ItemKind::Numeric,
            facility_pct: facility,
            sd_pct: undefined,
            random_guess_pct: 0.0,
            intended_weight_pct: 25.0,
            effective_weight_pct: undefined,
            discrimination_index_pct: di,
            discriminative_efficiency_pct: undefined,
            point_biserial_pct: undefined,
            upper_facility_pct: undefined,
            lower_facility_pct: undefined,
            upper_minus_lower_pct: undefined,
            options: vec![],
            unanswered: None,
            flags,
        }
    }

    fn items() -> Vec<ItemStats> {
        let zero = Stat::Undefined(examgate_shared::analysis::Reason::ZeroVariance(
            examgate_shared::analysis::What::Item,
        ));
        vec![
            item(Stat::Defined(60.0), Stat::Defined(35.0), vec![]),
            item(
                Stat::Defined(95.0),
                zero,
                vec![Flag::TooEasy, Flag::DoesNotDiscriminate],
            ),
            item(
                Stat::Defined(40.0),
                Stat::Defined(-12.0),
                vec![Flag::LikelyWrongKey],
            ),
            item(Stat::Defined(60.0), Stat::Defined(25.0), vec![]),
        ]
    }

    #[test]
    fn clicking_a_heading_sorts_then_flips() {
        let s = Rc::new(ResultsState::default());
        assert_eq!(s.sort, Sort::default());
        let s = reduce(s, vec![ResultsAction::SortBy(SortKey::Facility)]);
        assert_eq!(s.sort.key, SortKey::Facility);
        assert_eq!(s.sort.dir, Dir::Asc);
        let s = reduce(s, vec![ResultsAction::SortBy(SortKey::Facility)]);
        assert_eq!(s.sort.dir, Dir::Desc);
        let s = reduce(s, vec![ResultsAction::SortBy(SortKey::Facility)]);
        assert_eq!(s.sort.dir, Dir::Asc);
        // Another column starts over; the flags start with the worst.
        let s = reduce(s, vec![ResultsAction::SortBy(SortKey::Flags)]);
        assert_eq!((s.sort.key, s.sort.dir), (SortKey::Flags, Dir::Desc));
        assert_eq!(Dir::Desc.aria(), "descending");
    }

    #[test]
    fn order_keeps_ties_in_question_order_and_undefined_last() {
        let items = items();
        let sort = |key, dir| Sort { key, dir }.order(&items);
        assert_eq!(sort(SortKey::Question, Dir::Asc), [0, 1, 2, 3]);
        assert_eq!(sort(SortKey::Question, Dir::Desc), [3, 2, 1, 0]);
        // 60 and 60 tie: question order either way.
        assert_eq!(sort(SortKey::Facility, Dir::Asc), [2, 0, 3, 1]);
        assert_eq!(sort(SortKey::Facility, Dir::Desc), [1, 0, 3, 2]);
        // Item 1's DI is undefined: last both ways.
        assert_eq!(sort(SortKey::Di, Dir::Asc), [2, 3, 0, 1]);
        assert_eq!(sort(SortKey::Di, Dir::Desc), [0, 3, 2, 1]);
        // A likely wrong key first, then weak discrimination.
        assert_eq!(sort(SortKey::Flags, Dir::Desc), [2, 1, 0, 3]);
        // Every column has its own `data-sort`.
        let codes: std::collections::HashSet<_> = SortKey::ALL.iter().map(|k| k.code()).collect();
        assert_eq!(codes.len(), SortKey::ALL.len());
    }

    #[test]
    fn selecting_an_item_toggles_and_a_new_report_clears_it() {
        let s = imported();
        assert_eq!(s.selected, None);
        let s = reduce(s, vec![ResultsAction::Select(1)]);
        assert_eq!(s.selected, Some(1));
        let s = reduce(s, vec![ResultsAction::Select(0)]);
        assert_eq!(s.selected, Some(0));
        let s = reduce(s, vec![ResultsAction::Select(0)]);
        assert_eq!(s.selected, None);
        let s = reduce(
            s,
            vec![
                ResultsAction::Select(2),
                ResultsAction::SortBy(SortKey::Di),
                ResultsAction::Open(7),
            ],
        );
        assert_eq!(s.selected, None);
        assert_eq!(s.sort.key, SortKey::Di, "the sort survives a new report");
        assert_eq!(s.source, Some(Source::Sitting(7)));
        assert_eq!(s.report, Load::Loading);
        let s = reduce(s, vec![ResultsAction::Select(2), ResultsAction::CloseItem]);
        assert_eq!(s.selected, None);
    }

    #[test]
    fn stale_results_are_dropped() {
        let results = imported_results(import(KEY, RESPONSES).unwrap());
        let s = reduce(
            Rc::default(),
            vec![
                ResultsAction::Open(1),
                ResultsAction::Open(2),
                ResultsAction::ResultsLoaded(1, Ok(Box::new(results.clone()))),
            ],
        );
        assert_eq!(s.report, Load::Loading);
        let s = reduce(
            s,
            vec![ResultsAction::ResultsLoaded(2, Ok(Box::new(results)))],
        );
        assert!(matches!(&s.report, Load::Ready(r) if r.rows.len() == 4));
    }

    #[test]
    fn a_refused_token_signs_out() {
        let refused = |code| HttpError::Relay(ErrorBody::new(code, "no"));
        let s = reduce(
            Rc::default(),
            vec![ResultsAction::SittingsLoaded(Err(refused(
                ErrorCode::Forbidden,
            )))],
        );
        assert_eq!(
            s.sittings,
            Load::Failed(Problem::Code(ErrorCode::Forbidden))
        );
        assert_eq!(s.signed_out, None);
        let s = reduce(
            s,
            vec![
                ResultsAction::Open(3),
                ResultsAction::ResultsLoaded(3, Err(refused(ErrorCode::Unauthorized))),
            ],
        );
        assert_eq!(s.signed_out, Some(ErrorCode::Unauthorized));
        let s = reduce(
            s,
            vec![ResultsAction::SittingsLoaded(Err(HttpError::Network))],
        );
        assert_eq!(s.sittings, Load::Failed(Problem::Network));
    }

    #[test]
    fn import_shows_a_report_or_a_located_problem() {
        let s = imported();
        assert_eq!(s.source, Some(Source::Import));
        assert_eq!(s.import.problem, None);
        let Load::Ready(report) = &s.report else {
            panic!("no report: {:?}", s.report);
        };
        assert_eq!(
            report.questions,
            [QuestionId(1), QuestionId(2), QuestionId(3)]
        );
        assert_eq!(report.analysis.items.len(), 3);
        let marks: Vec<String> = report.rows.iter().map(|r| r.mark.to_string()).collect();
        // 4/4, 2/4, 1/4, 0.5/4 points.
        assert_eq!(marks, ["10.0", "5.0", "2.5", "1.3"]);
        assert_eq!(report.rows[3].score, "0.5");

        // A bad cell: the report on show stays, the problem says where.
        let bad = RESPONSES.replace("A04,D", "A04,Z");
        let s = reduce(
            s,
            vec![
                ResultsAction::EditImport(ImportField::Responses, bad),
                ResultsAction::RunImport,
            ],
        );
        assert!(matches!(s.report, Load::Ready(_)));
        assert!(matches!(
            s.import.problem,
            Some(ImportProblem::Refused(ImportError::Cell {
                line: 5,
                column: 2,
                ..
            }))
        ));
        let s = reduce(s, vec![ResultsAction::Unreadable(ImportField::Key)]);
        assert_eq!(
            s.import.problem,
            Some(ImportProblem::Unreadable(ImportField::Key))
        );
    }
}
