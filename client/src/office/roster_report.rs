//! What the relay read from a roster file: `#roster-preview` (counts, the
//! title rows found above the header, `#roster-errors` and
//! `#roster-warnings` with sheet, row and column, the columns kept and
//! `#roster-dropped`, then the first [`SHOWN_ROWS`] candidates), and after
//! a commit `#roster-result` with the new join codes.

use std::collections::HashSet;
use std::rc::Rc;

use examgate_shared::chip::id_card::Sex;
use examgate_shared::office::RowIssue;
use examgate_shared::office::api::RosterImportReport;
use yew::prelude::*;

use super::issues::{field_label, issue_text};
use super::roster_texts::RosterText;
use super::texts::OfficeText;
use crate::i18n::{Text, use_i18n};

/// Rows of the preview table; the counts say how many there are in all.
pub const SHOWN_ROWS: usize = 200;
/// Issues listed per kind; a file with more has one mistake repeated.
pub const SHOWN_ISSUES: usize = 1000;
/// Warnings listed: the same warning on every row of an export (Excel's
/// lost leading zeros) would bury the rest of the report.
pub const SHOWN_WARNINGS: usize = 20;

#[derive(Properties, PartialEq)]
pub struct ReportProps {
    pub report: Rc<RosterImportReport>,
}

#[component]
pub fn RosterReportView(props: &ReportProps) -> Html {
    let i18n = use_i18n();
    let r = |t| i18n.t(Text::Office(OfficeText::Roster(t)));
    let preview = &props.report.preview;
    let bad_rows: HashSet<(&str, u32)> = preview
        .errors
        .iter()
        .map(|e| (e.sheet.as_str(), e.row))
        .collect();
    let rows = preview.candidates.iter().take(SHOWN_ROWS).map(|c| {
        let bad = bad_rows.contains(&(c.sheet.as_str(), c.row));
        let sex = c.sex.map(|s| r(RosterText::Sex(s == Sex::Male)));
        html! {
            <tr class={classes!(bad.then_some("has-error"))} data-row={c.row.to_string()}
                data-sheet={c.sheet.clone()}>
                <td class="num">{ c.row }</td>
                <td>{ c.candidate_number.clone().unwrap_or_default() }</td>
                <td>{ c.full_name.clone() }</td>
                <td>{ c.birth.map(|d| d.dmy()).unwrap_or_default() }</td>
                <td>{ sex.unwrap_or_default() }</td>
                <td>{ c.person_id.clone().unwrap_or_default() }</td>
                <td>{ c.pupil_id.clone().unwrap_or_default() }</td>
                <td>{ c.class.clone().unwrap_or_default() }</td>
                <td>{ c.site.clone().unwrap_or_default() }</td>
                <td>{ c.room.clone().unwrap_or_default() }</td>
                <td>{ c.shift.clone().unwrap_or_default() }</td>
                <td class="num">{ c.seat.map(|s| s.to_string()).unwrap_or_default() }</td>
            </tr>
        }
    });
    let columns = preview
        .columns
        .iter()
        .filter(|c| c.field.is_some())
        .map(|c| {
            let field = c.field.as_deref().unwrap_or_default();
            html! {
                <li data-column={c.column.clone()} data-field={field.to_owned()}>
                    { format!("{}: «{}» → {}", c.column, c.header, field_label(field, i18n.lang)) }
                </li>
            }
        });
    let dropped = preview.dropped_columns.iter().map(|c| {
        let why = r(if c.sensitive {
            RosterText::Sensitive
        } else {
            RosterText::NotUsed
        });
        html! {
            <li data-column={c.column.clone()} data-sensitive={c.sensitive.to_string()}
                class={classes!(c.sensitive.then_some("sensitive"))}>
                { format!("{}: «{}» {why}", c.column, c.header) }
            </li>
        }
    });
    let headers = [
        RosterText::ColRow,
        RosterText::ColNumber,
        RosterText::ColFullName,
        RosterText::ColBirth,
        RosterText::ColSex,
        RosterText::ColPersonId,
        RosterText::ColPupilId,
        RosterText::ColClass,
        RosterText::ColSite,
        RosterText::ColRoom,
        RosterText::ColShift,
        RosterText::ColSeat,
    ];
    let total = preview.candidates.len();
    html! {
        <div id="roster-preview" class="roster-preview"
            data-candidates={total.to_string()} data-errors={preview.errors.len().to_string()}
            data-warnings={preview.warnings.len().to_string()}
            data-committed={props.report.committed.to_string()}>
            <p class="counts">{ r(RosterText::Counts {
                candidates: total, errors: preview.errors.len(), warnings: preview.warnings.len(),
            }) }</p>
            if !preview.metadata.is_empty() {
                <div class="roster-metadata">
                    <h3>{ r(RosterText::TitleRows) }</h3>
                    <ul>{ for preview.metadata.iter().map(|m| html! { <li>{ m.clone() }</li> }) }</ul>
                </div>
            }
            <h3>{ r(RosterText::ErrorsTitle) }</h3>
            <Issues id="roster-errors" issues={Rc::new(preview.errors.clone())} limit={SHOWN_ISSUES} />
            if preview.errors.is_empty() {
                <p class="ok">{ r(RosterText::NoErrors) }</p>
            }
            if !preview.warnings.is_empty() {
                <h3>{ r(RosterText::WarningsTitle) }</h3>
                <Issues id="roster-warnings" issues={Rc::new(preview.warnings.clone())} limit={SHOWN_WARNINGS} />
            }
            <div class="roster-columns">
                <h3>{ r(RosterText::ColumnsRead) }</h3>
                <ul id="roster-columns">{ for columns }</ul>
                if !preview.dropped_columns.is_empty() {
                    <h3>{ r(RosterText::ColumnsDropped) }</h3>
                    <ul id="roster-dropped">{ for dropped }</ul>
                }
            </div>
            <div class="table-wrap">
                <table id="roster-table" class="data-table">
                    <caption>{ r(RosterText::Shown { shown: total.min(SHOWN_ROWS), total }) }</caption>
                    <thead><tr>{ for headers.into_iter().map(|h| html! { <th scope="col">{ r(h) }</th> }) }</tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct IssuesProps {
    id: &'static str,
    issues: Rc<Vec<RowIssue>>,
    /// How many are listed; the rest are counted.
    limit: usize,
}

/// One `li[data-code]` per issue: where, what (translated when the code is
/// known, the relay's words otherwise), and the cell as written.
#[component]
fn Issues(props: &IssuesProps) -> Html {
    let i18n = use_i18n();
    let r = |t| i18n.t(Text::Office(OfficeText::Roster(t)));
    let items = props.issues.iter().take(props.limit).map(|issue| {
        let at = r(RosterText::IssueAt {
            sheet: issue.sheet.clone(),
            row: issue.row,
            column: issue.column.clone(),
        });
        let what = issue_text(&issue.code, i18n.lang);
        html! {
            <li class="issue" data-code={issue.code.clone()} data-sheet={issue.sheet.clone()}
                data-row={issue.row.to_string()} data-column={issue.column.clone()}
                data-field={issue.field.clone()}>
                <span class="issue-at">{ at }</span>
                <span class="issue-what">{ what.map_or_else(|| issue.message.clone(), str::to_owned) }</span>
                if !issue.value.is_empty() {
                    <span class="issue-value">{ format!("«{}»", issue.value) }</span>
                }
                if what.is_some() && !issue.message.is_empty() {
                    <span class="detail">{ issue.message.clone() }</span>
                }
            </li>
        }
    });
    let more = props.issues.len().saturating_sub(props.limit);
    html! {
        <>
            <ul id={props.id} class="issues">{ for items }</ul>
            if more > 0 {
                <p class="hint">{ r(RosterText::MoreIssues(more)) }</p>
            }
        </>
    }
}

/// `#roster-result`: what the commit stored, and the rooms' join codes.
#[component]
pub fn RosterResult(props: &ReportProps) -> Html {
    let i18n = use_i18n();
    let r = |t| i18n.t(Text::Office(OfficeText::Roster(t)));
    let report = &props.report;
    let codes = report.codes.iter().map(|c| {
        html! {
            <li key={c.code.clone()} data-room-id={c.room_id.to_string()} data-code={c.code.clone()}>
                <span class="place">{ format!("{} — {}", c.site, c.room) }</span>
                <code class="join-code">{ c.code.clone() }</code>
            </li>
        }
    });
    html! {
        <div id="roster-result" class="roster-result" role="status"
            data-candidates={report.candidates.to_string()} data-numbered={report.numbered.to_string()}>
            <p class="ok">{ r(RosterText::Imported { candidates: report.candidates, numbered: report.numbered }) }</p>
            if !report.codes.is_empty() {
                <h3>{ r(RosterText::NewCodes) }</h3>
                <ul class="join-codes">{ for codes }</ul>
            }
        </div>
    }
}
