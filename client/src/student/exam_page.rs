//! The exam screen (`#exam`), and the result screen once graded.
//!
//! Owns the socket and the [`ExamState`] reducer; every child gets plain
//! props and callbacks that only dispatch actions. The callbacks the
//! question and the navigator get are built once (`use_callback` on the
//! stable dispatcher), so the clock tick only redraws what shows the time
//! (on an old PC, re-rendering a question's maths four times a second
//! shows).
//!
//! On top of the paper: the paused screen while a proctor has paused the
//! attempt, and a proctor's message until it is read (also over the paused
//! screen and the result).

use std::rc::Rc;

use examgate_shared::attempt::AttemptStatus;
use examgate_shared::error::ErrorCode;
use examgate_shared::paper::Paper;
use yew::prelude::*;

use super::banners::Banners;
use super::countdown::Countdown;
use super::fullscreen_offer::FullscreenOffer;
use super::io::{BrowserIo, StudentChannel};
use super::keys::use_exam_shortcuts;
use super::navigator::{NavGroup, NavItem, Navigator};
use super::page_watch::use_page_watch;
use super::paused_screen::PausedScreen;
use super::proctor_message::ProctorMessage;
use super::question::QuestionView;
use super::question_nav::QuestionNav;
use super::records::{self, StudentSession};
use super::result::ResultView;
use super::save_status::SaveStatus;
use super::state::{ExamAction, ExamState};
use super::submit_dialog::SubmitDialog;
use crate::hooks::{use_live_socket, use_signed_out};
use crate::i18n::{LangToggle, Text, use_i18n};
use crate::socket::{Link, Socket, Stop};
use crate::time;

/// Countdown refresh; under a second so it never skips a visible second.
const TICK_MS: u32 = 250;

#[derive(Properties, PartialEq)]
pub struct ExamPageProps {
    pub session: Rc<StudentSession>,
    /// The relay refused the token; the app returns to the join screen.
    pub on_signed_out: Callback<ErrorCode>,
    /// The student left the result screen.
    pub on_leave: Callback<()>,
}

#[component]
pub fn ExamPage(props: &ExamPageProps) -> Html {
    let i18n = use_i18n();
    let socket = use_memo((), |_| Socket::<StudentChannel>::new());
    let state = use_reducer({
        let socket = (*socket).clone();
        let session = props.session.clone();
        move || {
            let id = session.attempt_id;
            let io = Rc::new(BrowserIo {
                attempt_id: id,
                socket,
            });
            let local = records::attempt_slot(id).load().unwrap_or_default();
            let cache = records::paper_slot(id).load();
            ExamState::new(io, &session, local, cache, time::now())
        }
    });
    let dispatcher = state.dispatcher();

    use_live_socket(
        &socket,
        &props.session.token,
        dispatcher.clone(),
        TICK_MS,
        ExamAction::Tick,
    );
    use_signed_out(state.signed_out, &props.on_signed_out);
    use_page_watch(dispatcher.clone(), props.session.attempt_id);
    use_exam_shortcuts(dispatcher.to_callback());

    let dispatch = dispatcher.to_callback();
    let on_answer = use_callback(dispatcher.clone(), |(question, input), d| {
        d.dispatch(ExamAction::Answer { question, input });
    });
    let on_go = use_callback(dispatcher.clone(), |index, d| {
        d.dispatch(ExamAction::Go(index))
    });
    let on_confirm = dispatch.reform(|()| ExamAction::ConfirmSubmit);
    let on_cancel = dispatch.reform(|()| ExamAction::CancelSubmit);
    let on_dismiss = use_callback(dispatcher.clone(), |(), d| {
        d.dispatch(ExamAction::DismissNotice);
    });
    let on_dismiss_control = use_callback(dispatcher.clone(), |(), d| {
        d.dispatch(ExamAction::DismissControlNotice);
    });
    let on_seen = use_callback(dispatcher.clone(), |id, d| {
        d.dispatch(ExamAction::MessageSeen(id));
    });
    let open_submit = dispatch.reform(|_: MouseEvent| ExamAction::OpenSubmit);
    let message = state.messages.first().map(|message| {
        html! {
            <ProctorMessage message={message.clone()} more={state.messages.len() - 1}
                on_seen={on_seen.clone()} />
        }
    });

    if let Some(result) = &state.result {
        let on_leave = props.on_leave.clone();
        return html! {
            <>
                <ResultView result={result.clone()} paper={state.paper.clone()}
                    title={props.session.exam_title.clone()}
                    name={state.candidate_name.clone()} on_leave={on_leave} />
                { message }
            </>
        };
    }

    let can_answer = state.can_answer();
    let total = state.paper.as_ref().map_or(0, |p| p.questions.len());
    let current = state.local.current;
    let question_area = match (&state.paper, state.current_question()) {
        (Some(paper), Some(q)) if state.status() != AttemptStatus::NotStarted => html! {
            <>
                if let Some(title) = state.current_section().map(|s| &s.title).filter(|t| !t.is_empty()) {
                    <h2 id="section-title" class="section-title">{ title.clone() }</h2>
                }
                <QuestionView paper={paper.clone()} index={current}
                    answer={state.answers.get(&q.id).cloned()}
                    draft={state.drafts.get(&q.id).cloned()}
                    disabled={!can_answer} on_answer={on_answer} />
                <QuestionNav first={current == 0} last={current + 1 >= total}
                    flagged={state.is_flagged(q.id)} dispatch={dispatch} />
            </>
        },
        (Some(_), _) => html! { <p class="waiting">{ i18n.t(Text::NotStarted) }</p> },
        (None, _) if state.status().is_final() => {
            html! { <p class="waiting">{ i18n.t(Text::WaitingResult) }</p> }
        }
        (None, _) => html! { <p class="waiting">{ i18n.t(Text::WaitingPaper) }</p> },
    };

    let nav_groups = state
        .paper
        .as_ref()
        .map_or_else(Vec::new, |paper| nav_groups(paper, &state));
    let answered = nav_groups
        .iter()
        .flat_map(|g| &g.items)
        .filter(|n| n.answered)
        .count();
    let version = state.paper.as_ref().and_then(|p| p.version);
    let stopped_final = state.link == Link::Stopped(Stop::Final);
    let paused = state.paused();

    html! {
        <div id="exam" class={classes!("page", "exam", state.time_up().then_some("time-up"), paused.then_some("paused"))}>
            // Behind the submit dialog nothing takes the focus, even after a
            // click on the dialog's text sent it to the page's body.
            <header class="topbar exam-header" inert={state.dialog_open}>
                <div class="exam-id">
                    <h1 class="exam-title">{ props.session.exam_title.clone() }</h1>
                    <p class="who">
                        <span id="candidate-name">{ state.candidate_name.clone() }</span>
                        <span class="room">{ props.session.room.clone() }</span>
                        if let Some(v) = version {
                            <span id="paper-version" class="paper-version" data-version={v.to_string()}>
                                { i18n.t(Text::PaperVersion(v)) }
                            </span>
                        }
                    </p>
                </div>
                <Countdown remaining={state.remaining()} {paused} extra_ms={state.extra_ms()} />
                <SaveStatus state={state.save_state()} />
                <LangToggle />
            </header>
            <Banners
                time_up={state.time_up()}
                submitting={state.submit_pending()}
                awaiting_result={state.status().is_final() || stopped_final}
                replaced={state.link == Link::Stopped(Stop::Replaced)}
                fatal={state.fatal}
                notice={state.notice.map(|n| n.code)}
                on_dismiss={on_dismiss}
                control={state.control_notice.as_ref().map(|n| n.control.clone())}
                {on_dismiss_control} />
            if state.offer_fullscreen() {
                <FullscreenOffer />
            }
            // Behind the paused screen (and the submit dialog) the paper
            // takes neither clicks nor the keyboard's focus.
            <div class="exam-body" inert={paused || state.dialog_open}>
                <section class="question-area">{ question_area }</section>
                <aside class="sidebar">
                    <Navigator groups={nav_groups} current={current} on_go={on_go} />
                    <p id="answered-count">{ i18n.t(Text::Answered { done: answered, total }) }</p>
                    <button id="submit" type="button" class="primary" disabled={!can_answer}
                        onclick={open_submit}>{ i18n.t(Text::Submit) }</button>
                </aside>
            </div>
            if state.dialog_open {
                <SubmitDialog unanswered={state.unanswered()} flagged={state.flagged()}
                    on_confirm={on_confirm} on_cancel={on_cancel} />
            }
            if paused {
                <PausedScreen remaining={state.remaining()} held={state.local.outbox.len()} />
            }
            { message }
        </div>
    }
}

/// The navigator's buttons, section by section. A paper whose sections do
/// not account for every question (never sent by the relay) gets one
/// untitled group, so no question is ever missing from the navigator.
fn nav_groups(paper: &Paper, state: &ExamState) -> Vec<NavGroup> {
    let item = |index: usize| {
        let q = &paper.questions[index];
        NavItem {
            qid: q.id,
            number: index + 1,
            answered: state.is_answered(q.id),
            flagged: state.is_flagged(q.id),
            unsaved: state.is_unsaved(q.id),
        }
    };
    let total = paper.questions.len();
    // Sections are consecutive runs of the paper, from the first question
    // to the last.
    let end = paper
        .sections
        .iter()
        .try_fold(0, |next, s| (s.first == next).then_some(next + s.count));
    if end != Some(total) {
        return vec![NavGroup {
            title: String::new(),
            items: (0..total).map(item).collect(),
        }];
    }
    paper
        .sections
        .iter()
        .map(|s| NavGroup {
            title: s.title.clone(),
            items: (s.first..s.first + s.count).map(item).collect(),
        })
        .collect()
}
