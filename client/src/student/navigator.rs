//! `#navigator`: one button per question, to see at a glance what is
//! answered, flagged, or not yet saved, and to jump there.

use examgate_shared::exam::QuestionId;
use yew::prelude::*;

use crate::i18n::{Text, use_i18n};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavItem {
    pub qid: QuestionId,
    /// 1-based position on the paper.
    pub number: usize,
    pub answered: bool,
    pub flagged: bool,
    /// Answered here but not yet acknowledged by the relay.
    pub unsaved: bool,
}

#[derive(Properties, PartialEq)]
pub struct NavigatorProps {
    pub items: Vec<NavItem>,
    /// 0-based index of the question on screen.
    pub current: usize,
    pub on_go: Callback<usize>,
}

#[component]
pub fn Navigator(props: &NavigatorProps) -> Html {
    let i18n = use_i18n();
    let buttons = props.items.iter().enumerate().map(|(i, item)| {
        let current = i == props.current;
        let onclick = {
            let on_go = props.on_go.clone();
            Callback::from(move |_: MouseEvent| on_go.emit(i))
        };
        let class = classes!(
            "nav-item",
            item.answered.then_some("answered"),
            item.flagged.then_some("flagged"),
            current.then_some("current"),
            item.unsaved.then_some("unsaved"),
        );
        html! {
            <li key={item.qid.0}>
                <button type="button" {class} data-qid={item.qid.0.to_string()}
                    aria-current={current.then_some("step")}
                    title={i18n.t(Text::QuestionNumber(item.number))} {onclick}>
                    { item.number }
                </button>
            </li>
        }
    });
    html! {
        <nav id="navigator" aria-label={i18n.t(Text::NavTitle)}>
            <h2 class="nav-title">{ i18n.t(Text::NavTitle) }</h2>
            <ol class="nav-grid">{ for buttons }</ol>
            <ul class="nav-legend">
                <li><span class="swatch answered"></span>{ i18n.t(Text::LegendAnswered) }</li>
                <li><span class="swatch flagged"></span>{ i18n.t(Text::LegendFlagged) }</li>
                <li><span class="swatch unsaved"></span>{ i18n.t(Text::LegendUnsaved) }</li>
            </ul>
        </nav>
    }
}
