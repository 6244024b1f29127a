//! The trust's changes, written once for the pages and the API: a payroll
//! upload spooled to disk as it arrives (never whole in memory) and taken in
//! by the same import as `lmp trust import-hours`; remittances, spending,
//! budgets, and a trustee's approval for their own side.

use crate::http::{parse_day, person_of, AppError, AppResult};
use crate::state::AppState;
use axum::body::Bytes;
use futures::Stream;
use lmp_core::money::Cents;
use lmp_core::policy::{authorize, Action, Actor};
use lmp_core::trust::budget::BudgetLine;
use lmp_core::trust::ledger::SpendingCategory;
use lmp_store::trust::ledger::{Budget, Remittance, Spending};
use lmp_store::trust::HoursOutcome;
use serde::Deserialize;
use utoipa::ToSchema;

/// The largest payroll file taken over the web: a year for a partnership
/// several times the demo's size.
pub const LARGEST_PAYROLL_BYTES: usize = 2 << 30;

/// Take in a payroll file as it streams in.
pub async fn import_payroll<E: std::fmt::Display>(
    state: &AppState,
    actor: &Actor,
    file_name: &str,
    body: impl Stream<Item = Result<Bytes, E>>,
    replace: bool,
) -> AppResult<HoursOutcome> {
    let permit = authorize(actor, Action::ManageTrust, actor.partnership_id)?;
    let name = crate::http::upload::file_name(file_name, "payroll")?;
    let spooled = crate::http::upload::Spooled::take(body).await?;
    Ok(state
        .store
        .import_hours(&permit, name, spooled.reader()?, replace)
        .await?)
}

/// Money the employer sent for a pay period and local.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemittanceInput {
    /// The pay period's first day, YYYY-MM-DD.
    pub period_start: String,
    /// The local's code.
    pub local: String,
    /// Dollars, like 12345.67.
    pub amount: String,
    /// YYYY-MM-DD.
    pub received_on: String,
    /// The employer's reference; the same one twice for a period and local is recorded once.
    pub reference: String,
}

fn dollars(value: &str) -> AppResult<Cents> {
    Cents::parse_dollars(value).map_err(AppError::BadRequest)
}

/// Record remittances, all or none; returns how many were new.
pub async fn record_remittances(state: &AppState, actor: &Actor, input: Vec<RemittanceInput>) -> AppResult<usize> {
    let permit = authorize(actor, Action::ManageTrust, actor.partnership_id)?;
    let remittances = input
        .iter()
        .map(|r| {
            Ok(Remittance {
                period_start: parse_day("period_start", &r.period_start)?,
                local: r.local.trim().to_string(),
                amount: dollars(&r.amount)?,
                received_on: parse_day("received_on", &r.received_on)?,
                reference: r.reference.trim().to_string(),
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(state.store.record_remittances(&permit, &remittances).await?)
}

/// Money the trust spent.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpendingInput {
    /// partnership_staff, training, team_support, regional_activity, communications or administration.
    pub category: String,
    /// Dollars, like 12345.67.
    pub amount: String,
    /// YYYY-MM-DD.
    pub spent_on: String,
    pub memo: String,
}

pub async fn record_spending(state: &AppState, actor: &Actor, input: SpendingInput) -> AppResult<i64> {
    let permit = authorize(actor, Action::ManageTrust, actor.partnership_id)?;
    let spending = Spending {
        category: input.category.parse().map_err(AppError::BadRequest)?,
        amount: dollars(&input.amount)?,
        spent_on: parse_day("spent_on", &input.spent_on)?,
        memo: input.memo.trim().to_string(),
    };
    Ok(state.store.record_spending(&permit, &spending).await?)
}

/// A year's budget, by category, in dollars.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetInput {
    pub year: i16,
    /// Category → dollars, like {"training": "9000000"}.
    pub lines: std::collections::BTreeMap<String, String>,
}

pub async fn propose_budget(state: &AppState, actor: &Actor, input: BudgetInput) -> AppResult<i64> {
    let permit = authorize(actor, Action::ManageTrust, actor.partnership_id)?;
    if !(2000..=2100).contains(&input.year) {
        return Err(AppError::BadRequest(crate::http::i18n::refusal(
            "refused-budget-year",
            &[("year", input.year.to_string())],
        )));
    }
    let lines = input
        .lines
        .iter()
        .map(|(category, amount)| {
            Ok(BudgetLine {
                category: category.parse::<SpendingCategory>().map_err(AppError::BadRequest)?,
                amount_cents: dollars(amount)?,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(state.store.propose_budget(&permit, input.year, &lines).await?)
}

/// The caller approves a budget for the side they are a trustee of: in
/// person, from a sign-in linked to a trustee.
pub async fn approve_budget(state: &AppState, actor: &Actor, budget_id: i64) -> AppResult<Budget> {
    let pid = actor.partnership_id;
    let person = person_of(state, actor).await?;
    let trustee_of = match person {
        Some(person) => state.store.trustee_side(pid, person).await?,
        None => None,
    };
    let permit = authorize(actor, Action::ApproveBudget { trustee_of }, pid)?;
    let person = person.ok_or(AppError::Forbidden)?;
    Ok(state.store.approve_budget(&permit, budget_id, person).await?)
}
