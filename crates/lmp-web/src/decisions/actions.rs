//! What members of a body do with its decisions, written once for the pages
//! and the API: the caller takes part in person, from their seat in the
//! body; the server's clock stamps everything.

use crate::http::{take_part_permit, AppError, AppResult};
use crate::state::AppState;
use lmp_core::decision::{Consensus, ContributionKind, Stage, Stance};
use lmp_core::policy::{Actor, Permit};
use serde::Deserialize;
use utoipa::ToSchema;

async fn on_decision(state: &AppState, actor: &Actor, decision_id: i64) -> AppResult<(Permit, i64)> {
    let body = state.store.decision_body(actor.partnership_id, decision_id).await?;
    take_part_permit(state, actor, body).await
}

/// A new issue for a body. Unknown fields (a timestamp, say) are refused:
/// the server's clock decides when things happened.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RaiseInput {
    pub title: String,
    /// The issue statement: the first step of interest-based problem solving.
    pub issue: String,
}

pub async fn raise(state: &AppState, actor: &Actor, body_id: i64, input: RaiseInput) -> AppResult<i64> {
    let (permit, person) = take_part_permit(state, actor, body_id).await?;
    Ok(state
        .store
        .raise_decision(&permit, body_id, person, &input.title, &input.issue)
        .await?)
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContributionInput {
    /// issue, interest, option, criterion, evaluation, solution or comment.
    pub kind: String,
    pub text: String,
    /// For an evaluation: the option and criterion (contribution ids) and a score 1-5.
    pub option_id: Option<i64>,
    pub criterion_id: Option<i64>,
    pub score: Option<i64>,
}

pub async fn contribute(state: &AppState, actor: &Actor, decision_id: i64, input: ContributionInput) -> AppResult<i64> {
    let (permit, person) = on_decision(state, actor, decision_id).await?;
    let kind: ContributionKind = input.kind.parse().map_err(AppError::BadRequest)?;
    let evaluation = match (input.option_id, input.criterion_id, input.score) {
        (Some(option), Some(criterion), Some(score)) => Some((option, criterion, score)),
        _ => None,
    };
    Ok(state
        .store
        .contribute(&permit, decision_id, person, kind, &input.text, evaluation)
        .await?)
}

pub async fn advance(state: &AppState, actor: &Actor, decision_id: i64) -> AppResult<Stage> {
    let (permit, _) = on_decision(state, actor, decision_id).await?;
    Ok(state.store.advance_decision(&permit, decision_id).await?)
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StanceInput {
    /// support, can_live_with or block.
    pub stance: String,
    /// Required to live with it or to block.
    #[serde(default)]
    pub reason: String,
}

pub async fn stance(state: &AppState, actor: &Actor, decision_id: i64, input: StanceInput) -> AppResult<Consensus> {
    let (permit, person) = on_decision(state, actor, decision_id).await?;
    let stance: Stance = input.stance.parse().map_err(AppError::BadRequest)?;
    Ok(state
        .store
        .record_stance(&permit, decision_id, person, stance, &input.reason)
        .await?)
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonInput {
    /// Why (to escalate), or the ruling's text.
    pub text: String,
}

/// Move the decision up to the parent body, with its whole record.
pub async fn escalate(state: &AppState, actor: &Actor, decision_id: i64, reason: &str) -> AppResult<i64> {
    let (permit, _) = on_decision(state, actor, decision_id).await?;
    Ok(state.store.escalate_decision(&permit, decision_id, reason).await?)
}

/// After a block: back to generating options.
pub async fn reopen(state: &AppState, actor: &Actor, decision_id: i64) -> AppResult<()> {
    let (permit, _) = on_decision(state, actor, decision_id).await?;
    Ok(state.store.reopen_options(&permit, decision_id).await?)
}

/// Record a neutral's ruling at the top level.
pub async fn ruling(state: &AppState, actor: &Actor, decision_id: i64, text: &str) -> AppResult<()> {
    let (permit, person) = on_decision(state, actor, decision_id).await?;
    Ok(state.store.record_ruling(&permit, decision_id, person, text).await?)
}
