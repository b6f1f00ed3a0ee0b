//! `#navigator`: one button per question, to see at a glance what is
//! answered, flagged, or not yet saved, and to jump there. Grouped by the
//! paper's sections ("Phần I", …), each group its own `ol.nav-grid` under
//! its title; an untitled paper is one grid, as before sections existed.

use examgate_shared::exam::QuestionId;
use yew::prelude::*;

use crate::i18n::{Text, use_i18n};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavItem {
    pub qid: QuestionId,
    /// 1-based position on the paper (the index to go to is one less).
    pub number: usize,
    pub answered: bool,
    pub flagged: bool,
    /// Answered here but not yet acknowledged by the relay.
    pub unsaved: bool,
}

/// One section's questions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavGroup {
    /// Empty when the paper has no titled sections.
    pub title: String,
    pub items: Vec<NavItem>,
}

#[derive(Properties, PartialEq)]
pub struct NavigatorProps {
    pub groups: Vec<NavGroup>,
    /// 0-based index of the question on screen.
    pub current: usize,
    pub on_go: Callback<usize>,
}

#[component]
pub fn Navigator(props: &NavigatorProps) -> Html {
    let i18n = use_i18n();
    let button = |item: &NavItem| {
        let index = item.number - 1;
        let current = index == props.current;
        let onclick = props.on_go.reform(move |_: MouseEvent| index);
        let class = classes!(
            "nav-item",
            item.answered.then_some("answered"),
            item.flagged.then_some("flagged"),
            current.then_some("current"),
            item.unsaved.then_some("unsaved"),
        );
        // What the colours and marks show, said in words for screen
        // readers: "Câu 3: Đã trả lời, Đánh dấu, Chưa lưu".
        let states: Vec<String> = [
            (item.answered, Text::LegendAnswered),
            (item.flagged, Text::LegendFlagged),
            (item.unsaved, Text::LegendUnsaved),
        ]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, text)| i18n.t(text))
        .collect();
        let name = i18n.t(Text::QuestionNumber(item.number));
        let label = if states.is_empty() {
            name.clone()
        } else {
            format!("{name}: {}", states.join(", "))
        };
        html! {
            <li key={item.qid.0}>
                <button type="button" {class} data-qid={item.qid.0.to_string()}
                    aria-current={current.then_some("step")} aria-label={label}
                    title={name} {onclick}>
                    { item.number }
                </button>
            </li>
        }
    };
    let groups = props
        .groups
        .iter()
        .filter(|g| !g.items.is_empty())
        .map(|group| {
            html! {
                <>
                    if !group.title.is_empty() {
                        <h3 class="nav-section-title">{ group.title.clone() }</h3>
                    }
                    <ol class="nav-grid">{ for group.items.iter().map(button) }</ol>
                </>
            }
        });
    html! {
        <nav id="navigator" aria-label={i18n.t(Text::NavTitle)}>
            <h2 class="nav-title">{ i18n.t(Text::NavTitle) }</h2>
            { for groups }
            <ul class="nav-legend">
                <li><span class="swatch answered"></span>{ i18n.t(Text::LegendAnswered) }</li>
                <li><span class="swatch flagged"></span>{ i18n.t(Text::LegendFlagged) }</li>
                <li><span class="swatch unsaved"></span>{ i18n.t(Text::LegendUnsaved) }</li>
            </ul>
        </nav>
    }
}
