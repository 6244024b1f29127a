//! A decision's page: its IBPS record side by side, the evaluation matrix,
//! stances, how each side took part; and the forms for the step it is at.

use crate::auth::session::SignedIn;
use crate::decisions::actions::{self, ContributionInput, RaiseInput, StanceInput};
use crate::http::i18n::current;
use crate::http::i18n::tr;
use crate::http::{back_to, permit, render, AppError, Fields, Layout, Notice, PageError, PageResult};
use crate::http::{PagePath as Path, PageQuery as Query};
use crate::state::AppState;
use askama::Template;
use axum::extract::{RawForm, State};
use lmp_core::decision::{ContributionKind, Stage, Stance};
use lmp_core::policy::Action;
use lmp_store::decisions::{stays_of, Contribution, Decision, HistoryCheck, Move, StanceRow, Stay};
use lmp_store::joint_changes::ChangeTarget;

/// One option's row of the evaluation matrix: its text and, per criterion,
/// the mean score and how many scored it.
pub struct MatrixRow {
    pub option: String,
    pub cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "decision.html")]
struct DecisionPage {
    layout: Layout,
    notice: Notice,
    decision: Decision,
    issue: Vec<Contribution>,
    labor_interests: Vec<Contribution>,
    management_interests: Vec<Contribution>,
    other_interests: Vec<Contribution>,
    options: Vec<Contribution>,
    criteria: Vec<Contribution>,
    matrix: Vec<MatrixRow>,
    solutions: Vec<Contribution>,
    comments: Vec<Contribution>,
    stances: Vec<StanceRow>,
    moves: Vec<Move>,
    stays: Vec<Stay>,
    history: HistoryCheck,
    /// Two-key changes about this decision (a redaction), waiting or done.
    changes: Vec<lmp_store::joint_changes::JointChangeRow>,
    can_request_change: bool,
    rulings: Vec<Contribution>,
    labor: String,
    management: String,
    can_take_part: bool,
    kinds_now: Vec<(&'static str, &'static str)>,
    next_step: Option<&'static str>,
    deciding: bool,
    stance_choices: Vec<(&'static str, &'static str)>,
}

impl DecisionPage {
    /// How long the decision stayed in a body, in the reader's words.
    fn stay_in_words(&self, hours: &i64) -> String {
        lmp_core::escalation::stay_in_words_in(jiff::SignedDuration::from_hours(*hours), self.layout.lang())
    }
}

fn of_kind(all: &[Contribution], kind: ContributionKind) -> Vec<Contribution> {
    all.iter().filter(|c| c.kind == kind.as_str()).cloned().collect()
}

fn matrix(options: &[Contribution], criteria: &[Contribution], all: &[Contribution]) -> Vec<MatrixRow> {
    options
        .iter()
        .map(|option| MatrixRow {
            option: option.text.clone(),
            cells: criteria
                .iter()
                .map(|criterion| {
                    let scores: Vec<i64> = all
                        .iter()
                        .filter(|c| c.option_id == Some(option.id) && c.criterion_id == Some(criterion.id))
                        .filter_map(|c| c.score)
                        .collect();
                    if scores.is_empty() {
                        "—".to_string()
                    } else {
                        let mean = scores.iter().sum::<i64>() as f64 / scores.len() as f64;
                        format!("{mean:.1} ({})", scores.len())
                    }
                })
                .collect(),
        })
        .collect()
}

pub async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Query(notice): Query<Notice>,
) -> PageResult {
    permit(&who, Action::ReadStructure)?;
    let pid = who.actor.partnership_id;
    let decision = state
        .store
        .decision(pid, id)
        .await?
        .ok_or(PageError(AppError::NotFound("decision")))?;
    let all = state.store.contributions_of(pid, id).await?;
    let stances = state.store.stances_of(pid, id).await?;
    let (labor, management) = state.store.participation_of_decision(pid, &decision).await?;
    let stage = decision.stage().unwrap_or(Stage::Framing);
    let interests = of_kind(&all, ContributionKind::Interest);
    let options = of_kind(&all, ContributionKind::Alternative);
    let criteria = of_kind(&all, ContributionKind::Criterion);
    let can_take_part = crate::http::take_part_permit(&state, &who.actor, decision.body_id)
        .await
        .is_ok();
    let layout = Layout::new(&state, &who, decision.title.clone())
        .await?
        .crumb(format!("/bodies/{}", decision.body_id), decision.body_name.clone())
        .crumb(format!("/decisions/{id}"), decision.title.clone());
    let moves = state.store.moves_of(pid, id).await?;
    let stays = stays_of(&decision, &moves, jiff::Timestamp::now());
    let history = state.store.verify_decision(pid, id).await?;
    let changes = state
        .store
        .joint_changes(pid, Some(ChangeTarget::Decision(id)), 20)
        .await?;
    let can_request_change = lmp_core::policy::authorize(&who.actor, Action::RequestJointChange, pid).is_ok();
    render(&DecisionPage {
        layout,
        notice,
        issue: of_kind(&all, ContributionKind::Issue),
        labor_interests: interests.iter().filter(|c| c.side == "labor").cloned().collect(),
        management_interests: interests.iter().filter(|c| c.side == "management").cloned().collect(),
        other_interests: interests
            .iter()
            .filter(|c| c.side != "labor" && c.side != "management")
            .cloned()
            .collect(),
        matrix: matrix(&options, &criteria, &all),
        options,
        criteria,
        solutions: of_kind(&all, ContributionKind::Solution),
        comments: of_kind(&all, ContributionKind::Comment),
        stances,
        moves,
        stays,
        history,
        changes,
        can_request_change,
        rulings: of_kind(&all, ContributionKind::Ruling),
        labor: labor.as_str().into(),
        management: management.as_str().into(),
        can_take_part,
        kinds_now: ContributionKind::ALL
            .iter()
            .filter(|k| k.allowed_in(stage) && !matches!(k, ContributionKind::Evaluation | ContributionKind::Ruling))
            .map(|k| (k.as_str(), k.label_in(current())))
            .collect(),
        // The stage's word: the page names it in the reader's language.
        next_step: stage.next().map(|s| s.as_str()),
        deciding: stage == Stage::Deciding,
        stance_choices: Stance::ALL
            .iter()
            .map(|s| (s.as_str(), s.label_in(current())))
            .collect(),
        decision,
    })
}

fn decision_url(id: i64) -> String {
    format!("/decisions/{id}")
}

pub async fn raise(
    State(state): State<AppState>,
    who: SignedIn,
    Path(body_id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let input = RaiseInput {
        title: f.one("title").to_string(),
        issue: f.one("issue").to_string(),
    };
    match actions::raise(&state, &who.actor, body_id, input).await {
        Ok(id) => back_to(
            &format!("/decisions/{id}"),
            Ok::<_, AppError>(()),
            &tr("done-issue-raised"),
        ),
        Err(e) => back_to::<()>(&format!("/bodies/{body_id}#decisions"), Err(e), ""),
    }
}

pub async fn contribute(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let outcome = async {
        let score = match f.one("score") {
            "" => None,
            s => Some(
                s.parse::<i64>()
                    .map_err(|_| AppError::BadRequest(crate::http::i18n::refusal("refused-score", &[])))?,
            ),
        };
        let input = ContributionInput {
            kind: f.one("kind").to_string(),
            text: f.one("text").to_string(),
            option_id: f.optional_id("option_id")?,
            criterion_id: f.optional_id("criterion_id")?,
            score,
        };
        actions::contribute(&state, &who.actor, id, input).await
    }
    .await;
    back_to(&decision_url(id), outcome, &tr("done-added-to-the-record"))
}

pub async fn advance(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    Fields::parse(&who, &body)?;
    let outcome = actions::advance(&state, &who.actor, id).await;
    back_to(&decision_url(id), outcome, &tr("done-moved-to-the-next-step"))
}

pub async fn stance(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let input = StanceInput {
        stance: f.one("stance").to_string(),
        reason: f.one("reason").to_string(),
    };
    let outcome = actions::stance(&state, &who.actor, id, input).await;
    let done = match &outcome {
        Ok(lmp_core::decision::Consensus::Adopted) => tr("done-stance-adopted"),
        Ok(lmp_core::decision::Consensus::Blocked { .. }) => tr("done-stance-blocked"),
        _ => tr("done-stance-recorded"),
    };
    back_to(&decision_url(id), outcome, &done)
}

pub async fn escalate(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let outcome = actions::escalate(&state, &who.actor, id, f.one("reason")).await;
    back_to(&decision_url(id), outcome, &tr("done-escalated-to-the-level-above"))
}

pub async fn reopen(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    Fields::parse(&who, &body)?;
    let outcome = actions::reopen(&state, &who.actor, id).await;
    back_to(&decision_url(id), outcome, &tr("done-back-to-generating-options"))
}

pub async fn ruling(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let outcome = actions::ruling(&state, &who.actor, id, f.one("text")).await;
    back_to(&decision_url(id), outcome, &tr("done-ruling-recorded"))
}
