//! `#bank-editor`: one question's text, options or statements, key and
//! worked solution, with a live preview (`#edit-preview`) drawn exactly as
//! the student's page draws it. Saving (`#edit-save`) makes a new version;
//! the versions and what each sitting taught about the question are listed
//! below (`#edit-versions`, `#edit-history`).

use std::rc::Rc;

use examgate_shared::bank::api::{ItemEdit, ItemView};
use examgate_shared::bank::{Item, Level};
use examgate_shared::exam::{Body, OptionId};
use examgate_shared::numeric::Decimal;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::api::Bank;
use super::preview::QuestionPreview;
use super::state::Status;
use super::status::StatusLine;
use super::texts::BankText;
use crate::i18n::{Text, use_i18n};

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub bank: Bank,
    pub view: Rc<ItemView>,
    pub status: Option<Status>,
    /// The exam office shares questions with every teacher.
    pub office: bool,
}

/// One change the editor's fields make to the draft.
enum Change {
    Text(String),
    Option(usize, String),
    Key(u8),
    Statement(usize, String),
    Truth(usize, bool),
    Number(String),
    Explanation(String),
    Topic(String),
    /// Comma-separated, as typed.
    Tags(String),
    /// A level's name (`Recall` …), or empty for none.
    Level(String),
}

fn apply(item: &mut Item, change: Change) {
    match (change, &mut item.body) {
        (Change::Text(t), _) => item.text = t,
        (Change::Topic(t), _) => item.meta.topic = t,
        (Change::Tags(t), _) => {
            item.meta.tags = t
                .split(',')
                .map(|tag| tag.trim().to_string())
                .filter(|tag| !tag.is_empty())
                .collect()
        }
        (Change::Level(l), _) => item.meta.level = examgate_shared::bank::Level::parse(&l),
        (Change::Explanation(e), _) => item.explanation = Some(e).filter(|e| !e.trim().is_empty()),
        (
            Change::Option(i, t),
            Body::SingleChoice { options, .. } | Body::MultipleResponse { options, .. },
        ) => {
            if let Some(o) = options.get_mut(i) {
                *o = t;
            }
        }
        (Change::Key(k), Body::SingleChoice { key, .. }) => *key = OptionId(k),
        (Change::Statement(i, t), Body::TrueFalse { statements, .. }) => {
            if let Some(s) = statements.get_mut(i) {
                *s = t;
            }
        }
        (Change::Truth(i, v), Body::TrueFalse { keys, .. }) => {
            if let Some(k) = keys.get_mut(i) {
                *k = v;
            }
        }
        (Change::Number(n), Body::Numeric { key, .. }) => {
            if let Ok(d) = Decimal::parse(&n) {
                *key = d;
            }
        }
        _ => {}
    }
}

#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let i18n = use_i18n();
    let b = |t| i18n.t(Text::Bank(t));
    let draft = use_state(|| props.view.item.clone());
    let note = use_node_ref();
    {
        // A newly opened (or newly saved) question replaces the draft.
        let (draft, item) = (draft.clone(), props.view.item.clone());
        use_effect_with((props.view.id, props.view.version), move |_| {
            draft.set(item)
        });
    }
    let change = |make: fn(String) -> Change| {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            let mut item = (*draft).clone();
            apply(&mut item, make(value));
            draft.set(item);
        })
    };
    // Inputs (not text areas) read their own value.
    let change_input = |make: fn(String) -> Change| {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            let mut item = (*draft).clone();
            apply(&mut item, make(value));
            draft.set(item);
        })
    };
    let on_level = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            let mut item = (*draft).clone();
            apply(&mut item, Change::Level(value));
            draft.set(item);
        })
    };
    let on_share = {
        let (bank, id) = (props.bank.clone(), props.view.id);
        Callback::from(move |e: Event| {
            bank.share(id, e.target_unchecked_into::<HtmlInputElement>().checked());
        })
    };
    let on_option = |i: usize| {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            let mut item = (*draft).clone();
            apply(&mut item, Change::Option(i, value));
            draft.set(item);
        })
    };
    let on_statement = |i: usize| {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            let mut item = (*draft).clone();
            apply(&mut item, Change::Statement(i, value));
            draft.set(item);
        })
    };
    let on_truth = |i: usize| {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let checked = e.target_unchecked_into::<HtmlInputElement>().checked();
            let mut item = (*draft).clone();
            apply(&mut item, Change::Truth(i, checked));
            draft.set(item);
        })
    };
    let on_key = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Ok(k) = value.parse::<u8>() {
                let mut item = (*draft).clone();
                apply(&mut item, Change::Key(k));
                draft.set(item);
            }
        })
    };
    let on_number = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            let mut item = (*draft).clone();
            apply(&mut item, Change::Number(value));
            draft.set(item);
        })
    };
    let save = {
        let (bank, draft, note, view) = (
            props.bank.clone(),
            draft.clone(),
            note.clone(),
            props.view.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let note = note
                .cast::<HtmlInputElement>()
                .map(|n| n.value())
                .unwrap_or_default();
            bank.save(
                view.id,
                ItemEdit {
                    version: view.version,
                    item: (*draft).clone(),
                    note,
                },
            );
        })
    };
    let close = {
        let bank = props.bank.clone();
        Callback::from(move |_: MouseEvent| bank.close())
    };
    let fields = match &draft.body {
        Body::SingleChoice { options, key, .. } => html! {
            <>
                { for options.iter().enumerate().map(|(i, o)| html! {
                    <div class="form-row">
                        <label for={format!("edit-option-{i}")}>{ b(BankText::OptionLabel(OptionId(i as u8).letter())) }</label>
                        <textarea id={format!("edit-option-{i}")} rows="1" value={o.clone()} oninput={on_option(i)} />
                    </div>
                }) }
                <label for="edit-key">{ b(BankText::Key) }</label>
                <select id="edit-key" onchange={on_key}>
                    { for (0..options.len()).map(|i| html! {
                        <option value={i.to_string()} selected={key.0 as usize == i}>{ OptionId(i as u8).letter().to_string() }</option>
                    }) }
                </select>
            </>
        },
        Body::MultipleResponse { options, .. } => html! {
            { for options.iter().enumerate().map(|(i, o)| html! {
                <div class="form-row">
                    <label for={format!("edit-option-{i}")}>{ b(BankText::OptionLabel(OptionId(i as u8).letter())) }</label>
                    <textarea id={format!("edit-option-{i}")} rows="1" value={o.clone()} oninput={on_option(i)} />
                </div>
            }) }
        },
        Body::TrueFalse {
            statements, keys, ..
        } => html! {
            { for statements.iter().zip(keys).enumerate().map(|(i, (s, k))| {
                let letter = (b'a' + i as u8) as char;
                html! {
                    <div class="form-row">
                        <label for={format!("edit-statement-{i}")}>{ b(BankText::Statement(letter)) }</label>
                        <textarea id={format!("edit-statement-{i}")} rows="1" value={s.clone()} oninput={on_statement(i)} />
                        <label><input id={format!("edit-true-{i}")} type="checkbox" checked={*k} onchange={on_truth(i)} />
                            { b(BankText::TrueStatement) }</label>
                    </div>
                }
            }) }
        },
        Body::Numeric { key, .. } => html! {
            <div class="form-row">
                <label for="edit-numeric">{ b(BankText::NumericKey) }</label>
                <input id="edit-numeric" type="text" inputmode="decimal" value={key.to_string()} oninput={on_number} />
            </div>
        },
    };
    let view = &props.view;
    html! {
        <section id="bank-editor" class="card bank-section" data-id={view.id.to_string()}
            data-version={view.version.to_string()} aria-labelledby="bank-editor-title">
            <h2 id="bank-editor-title">{ b(BankText::EditorTitle(view.id, view.version)) }</h2>
            <div class="editor-grid">
                <div class="editor-fields">
                    <label for="edit-text">{ b(BankText::QuestionText) }</label>
                    <textarea id="edit-text" rows="4" value={draft.text.clone()} oninput={change(Change::Text)} />
                    { fields }
                    <div class="form-row">
                        <label for="edit-topic">{ b(BankText::Topic) }</label>
                        <input id="edit-topic" type="text" value={draft.meta.topic.clone()}
                            oninput={change_input(Change::Topic)} />
                        <label for="edit-level">{ b(BankText::Level) }</label>
                        <select id="edit-level" onchange={on_level}>
                            <option value="" selected={draft.meta.level.is_none()}>{ b(BankText::AnyLevel) }</option>
                            { for Level::ALL.iter().map(|l| html! {
                                <option value={format!("{l:?}")} selected={draft.meta.level == Some(*l)}>
                                    { b(BankText::LevelName(*l)) }
                                </option>
                            }) }
                        </select>
                        <label for="edit-tags">{ b(BankText::Tags) }</label>
                        <input id="edit-tags" type="text" value={draft.meta.tags.join(", ")}
                            oninput={change_input(Change::Tags)} />
                    </div>
                    if props.office {
                        <label><input id="edit-shared" type="checkbox" checked={view.shared} onchange={on_share} />
                            { b(BankText::Shared) }</label>
                    }
                    <label for="edit-explanation">{ b(BankText::Explanation) }</label>
                    <textarea id="edit-explanation" rows="3" value={draft.explanation.clone().unwrap_or_default()}
                        oninput={change(Change::Explanation)} />
                    <label for="edit-note">{ b(BankText::Note) }</label>
                    <input id="edit-note" type="text" ref={note.clone()} />
                    <button id="edit-save" type="button" disabled={props.status == Some(Status::Busy)} onclick={save}>
                        { b(BankText::Save) }
                    </button>
                    <button id="edit-close" type="button" onclick={close}>{ b(BankText::CloseEditor) }</button>
                    <StatusLine id="edit-status" status={props.status.clone()} />
                </div>
                <div id="edit-preview" class="editor-preview" aria-live="polite">
                    <h3>{ b(BankText::PreviewTitle) }</h3>
                    <QuestionPreview item={(*draft).clone()} number={1} show_key={false} />
                </div>
            </div>
            <h3>{ b(BankText::VersionsTitle) }</h3>
            <ol id="edit-versions">
                { for view.versions.iter().map(|v| html! {
                    <li data-version={v.version.to_string()}>
                        { b(BankText::Version(v.version, v.by.clone())) }
                        if !v.note.is_empty() { { format!(" — {}", v.note) } }
                    </li>
                }) }
            </ol>
            <h3>{ b(BankText::HistoryTitle) }</h3>
            if view.history.is_empty() {
                <p class="waiting">{ b(BankText::NoHistory) }</p>
            } else {
                <table id="edit-history">
                    <thead><tr>
                        <th>{ b(BankText::ColSitting) }</th><th>{ b(BankText::ColCandidates) }</th>
                        <th>{ b(BankText::ColFacility) }</th><th>{ b(BankText::ColDiscrimination) }</th>
                        <th>{ b(BankText::ColFlags) }</th>
                    </tr></thead>
                    <tbody>
                        { for view.history.iter().map(|s| html! {
                            <tr class="stat-row" data-sitting={s.sitting_id.to_string()}
                                data-facility={format!("{:.3}", s.facility)}>
                                <td>{ format!("{} ({})", s.sitting_id, s.exam_id) }</td>
                                <td>{ s.candidates }</td>
                                <td>{ format!("{:.0}%", s.facility * 100.0) }</td>
                                <td>{ s.discrimination.map(|d| format!("{d:.2}")).unwrap_or_else(|| "—".into()) }</td>
                                <td>{ s.flags.join(", ") }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
        </section>
    }
}
