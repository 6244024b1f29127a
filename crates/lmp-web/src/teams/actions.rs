//! What co-leads and sponsors do for a team, written once for the pages and
//! the API: find the caller's seats on the team, ask the policy, change, and
//! re-rate the team so its Path to Performance level is never stale.

use crate::http::{parse_day, seats_in_body, AppError, AppResult};
use crate::state::AppState;
use lmp_core::improvement::{
    CompassPoint, Direction, PdsaDecision, ProjectStatus, RimQuestions, SmartGoal, TestOfChange,
};
use lmp_core::policy::{Actor, Permit};
use lmp_core::savings::{NewClaim, SavingsCategory, Verification};
use lmp_core::team::{CharterSection, MeetingKind};
use lmp_core::Cents;
use lmp_store::teams::meetings::NewMeeting;
use lmp_store::teams::projects::{BalancingMeasure, NewProject, Project};
use lmp_store::teams::rating::TeamScope;
use lmp_store::teams::savings::Claim;
use serde::Deserialize;
use utoipa::ToSchema;

/// May the caller run this team (co-lead, sponsor, or administrator)?
pub async fn run_permit(state: &AppState, actor: &Actor, team_id: i64) -> AppResult<Permit> {
    seats_in_body(state, actor, team_id).await?.run_permit(actor)
}

/// May the caller sign for this team in person? Returns the person too.
pub async fn sign_permit(state: &AppState, actor: &Actor, team_id: i64) -> AppResult<(Permit, i64)> {
    seats_in_body(state, actor, team_id).await?.sign_permit(actor)
}

/// Keep the team's level current after a change to its record.
async fn rerate(state: &AppState, actor: &Actor, team_id: i64) -> AppResult<()> {
    state
        .store
        .rerate_teams(
            actor.partnership_id,
            TeamScope::One(team_id),
            &state.store.team_rules(actor.partnership_id).await?.path,
            lmp_store::today(),
        )
        .await?;
    Ok(())
}

fn parse<T: std::str::FromStr<Err = lmp_core::Refusal>>(text: &str) -> AppResult<T> {
    text.parse().map_err(AppError::BadRequest)
}

pub async fn set_charter(state: &AppState, actor: &Actor, team_id: i64, section: &str, text: &str) -> AppResult<()> {
    let permit = run_permit(state, actor, team_id).await?;
    let section: CharterSection = parse(section)?;
    state.store.set_charter_section(&permit, team_id, section, text).await?;
    rerate(state, actor, team_id).await
}

pub async fn set_champion(state: &AppState, actor: &Actor, team_id: i64, person_id: Option<i64>) -> AppResult<()> {
    let permit = run_permit(state, actor, team_id).await?;
    state
        .store
        .set_health_safety_champion(&permit, team_id, person_id)
        .await?;
    rerate(state, actor, team_id).await
}

/// A meeting or huddle as the API and the form send it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MeetingInput {
    /// meeting or huddle.
    pub kind: String,
    /// YYYY-MM-DD.
    pub held_on: String,
    pub run_by: Option<i64>,
    pub attendees: Vec<i64>,
    #[serde(default)]
    pub notes: String,
}

pub async fn record_meeting(state: &AppState, actor: &Actor, team_id: i64, input: MeetingInput) -> AppResult<i64> {
    let permit = run_permit(state, actor, team_id).await?;
    let meeting = NewMeeting {
        kind: parse::<MeetingKind>(&input.kind)?,
        held_on: parse_day("held_on", &input.held_on)?,
        run_by: input.run_by,
        attendees: input.attendees,
        notes: input.notes,
    };
    let id = state
        .store
        .record_meeting(&permit, team_id, meeting, lmp_store::today())
        .await?;
    rerate(state, actor, team_id).await?;
    Ok(id)
}

/// A balancing measure as sent.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct BalancingInput {
    pub name: String,
    pub unit: String,
    /// up or down: which way is better.
    pub direction: String,
}

/// A new project as sent.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ProjectInput {
    pub title: String,
    /// Value Compass points: best_quality, best_service, most_affordable, best_place_to_work.
    pub compass: Vec<String>,
    /// What are we trying to accomplish?
    pub aim: String,
    /// How will we know that a change is an improvement?
    pub how_we_know: String,
    /// What change can we make that will result in improvement?
    pub change_idea: String,
    pub measure: String,
    pub unit: String,
    pub baseline: f64,
    pub target: f64,
    /// YYYY-MM-DD.
    pub target_date: String,
    /// YYYY-MM-DD; today if left out.
    pub started_on: Option<String>,
    #[serde(default)]
    pub balancing: Vec<BalancingInput>,
    pub adopted_from: Option<i64>,
}

pub async fn create_project(state: &AppState, actor: &Actor, team_id: i64, input: ProjectInput) -> AppResult<Project> {
    let permit = run_permit(state, actor, team_id).await?;
    let today = lmp_store::today();
    let compass = input
        .compass
        .iter()
        .map(|c| parse::<CompassPoint>(c))
        .collect::<AppResult<Vec<_>>>()?;
    let balancing = input
        .balancing
        .iter()
        .filter(|b| !b.name.trim().is_empty())
        .map(|b| {
            Ok(BalancingMeasure {
                name: b.name.clone(),
                unit: b.unit.clone(),
                direction: parse::<Direction>(&b.direction)?,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let project = NewProject {
        title: input.title,
        compass,
        questions: RimQuestions {
            aim: input.aim,
            how_we_know: input.how_we_know,
            change_idea: input.change_idea,
        },
        goal: SmartGoal {
            measure: input.measure,
            unit: input.unit,
            baseline: input.baseline,
            target: input.target,
            target_date: parse_day("target_date", &input.target_date)?,
        },
        started_on: match input.started_on.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(day) => parse_day("started_on", day)?,
            None => today,
        },
        balancing,
        adopted_from: input.adopted_from,
    };
    let created = state.store.create_project(&permit, team_id, project, today).await?;
    rerate(state, actor, team_id).await?;
    if let Some(origin) = created.adopted_from_id {
        // The team whose practice spread gets the credit in its own level.
        if let Some(original) = state.store.project(actor.partnership_id, origin).await? {
            rerate(state, actor, original.team_id).await?;
        }
    }
    Ok(created)
}

/// The project, confirming it is in the caller's partnership.
pub async fn project(state: &AppState, actor: &Actor, project_id: i64) -> AppResult<Project> {
    state
        .store
        .project(actor.partnership_id, project_id)
        .await?
        .ok_or(AppError::NotFound("project"))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MeasurementInput {
    pub measure_id: i64,
    /// YYYY-MM-DD.
    pub taken_on: String,
    pub value: f64,
    /// Must be the measure's own unit.
    pub unit: String,
}

pub async fn add_measurement(
    state: &AppState,
    actor: &Actor,
    project_id: i64,
    input: MeasurementInput,
) -> AppResult<()> {
    let project = project(state, actor, project_id).await?;
    let measures = state
        .store
        .measures_of_project(actor.partnership_id, project_id)
        .await?;
    if !measures.iter().any(|m| m.id == input.measure_id) {
        return Err(AppError::NotFound("measure"));
    }
    let permit = run_permit(state, actor, project.team_id).await?;
    let taken_on = parse_day("taken_on", &input.taken_on)?;
    state
        .store
        .add_measurement(
            &permit,
            input.measure_id,
            taken_on,
            input.value,
            &input.unit,
            lmp_store::today(),
        )
        .await?;
    rerate(state, actor, project.team_id).await
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct TestInput {
    pub change: String,
    pub prediction: String,
    /// YYYY-MM-DD.
    pub started_on: String,
    #[serde(default)]
    pub participants: Vec<i64>,
}

pub async fn add_test(state: &AppState, actor: &Actor, project_id: i64, input: TestInput) -> AppResult<i64> {
    let project = project(state, actor, project_id).await?;
    let permit = run_permit(state, actor, project.team_id).await?;
    let test = TestOfChange {
        change: input.change,
        prediction: input.prediction,
        started_on: parse_day("started_on", &input.started_on)?,
        ended_on: None,
        result: String::new(),
        next_step: None,
    };
    let id = state
        .store
        .add_test_of_change(&permit, project_id, test, &input.participants, lmp_store::today())
        .await?;
    rerate(state, actor, project.team_id).await?;
    Ok(id)
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct TestResultInput {
    /// YYYY-MM-DD.
    pub ended_on: String,
    pub result: String,
    /// adopt, adapt or abandon.
    pub decision: String,
}

pub async fn finish_test(
    state: &AppState,
    actor: &Actor,
    project_id: i64,
    test_id: i64,
    input: TestResultInput,
) -> AppResult<()> {
    let project = project(state, actor, project_id).await?;
    let tests = state.store.tests_of_project(actor.partnership_id, project_id).await?;
    if !tests.iter().any(|t| t.id == test_id) {
        return Err(AppError::NotFound("test of change"));
    }
    let permit = run_permit(state, actor, project.team_id).await?;
    let decision: PdsaDecision = parse(&input.decision)?;
    let ended_on = parse_day("ended_on", &input.ended_on)?;
    state
        .store
        .finish_test_of_change(&permit, test_id, ended_on, &input.result, decision, lmp_store::today())
        .await?;
    rerate(state, actor, project.team_id).await
}

pub async fn set_status(state: &AppState, actor: &Actor, project_id: i64, status: &str) -> AppResult<()> {
    let project = project(state, actor, project_id).await?;
    let permit = run_permit(state, actor, project.team_id).await?;
    let status: ProjectStatus = parse(status)?;
    state
        .store
        .set_project_status(&permit, project_id, status, lmp_store::today())
        .await?;
    rerate(state, actor, project.team_id).await
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ClaimInput {
    /// cost_reduction, cost_avoidance or revenue.
    pub category: String,
    /// Whole cents.
    pub amount_cents: i64,
    /// YYYY-MM-DD.
    pub period_start: String,
    pub period_end: String,
    /// How the saving was worked out and what it assumes.
    pub method: String,
    /// The claim this one corrects, if any.
    pub corrects: Option<i64>,
}

pub async fn add_claim(state: &AppState, actor: &Actor, project_id: i64, input: ClaimInput) -> AppResult<Claim> {
    let project = project(state, actor, project_id).await?;
    let permit = run_permit(state, actor, project.team_id).await?;
    let claim = NewClaim {
        category: parse::<SavingsCategory>(&input.category)?,
        amount: Cents(input.amount_cents),
        period_start: parse_day("period_start", &input.period_start)?,
        period_end: parse_day("period_end", &input.period_end)?,
        method: input.method,
        corrects: input.corrects,
    };
    Ok(state
        .store
        .add_savings_claim(
            &permit,
            project_id,
            claim,
            &state.store.team_rules(actor.partnership_id).await?.savings,
            lmp_store::today(),
        )
        .await?)
}

/// Sign a claim in person; says whether it is now verified.
pub async fn sign_claim(state: &AppState, actor: &Actor, claim_id: i64) -> AppResult<Verification> {
    let claim = state
        .store
        .claim(actor.partnership_id, claim_id)
        .await?
        .ok_or(AppError::NotFound("claim"))?;
    let (permit, person) = sign_permit(state, actor, claim.team_id).await?;
    Ok(state.store.sign_claim(&permit, claim_id, person).await?)
}

/// The team's own assessment of its level this month.
pub async fn self_assess(state: &AppState, actor: &Actor, team_id: i64, level: u8) -> AppResult<()> {
    let permit = run_permit(state, actor, team_id).await?;
    let today = lmp_store::today();
    let computed = state
        .store
        .rate_team(
            actor.partnership_id,
            team_id,
            &state.store.team_rules(actor.partnership_id).await?.path,
            today,
        )
        .await?
        .level;
    Ok(state
        .store
        .self_assess(&permit, team_id, level, computed, today)
        .await?)
}

/// A sponsor confirms or disputes this month's self-assessment.
pub async fn sponsor_review(state: &AppState, actor: &Actor, team_id: i64, confirm: bool, note: &str) -> AppResult<()> {
    let (permit, person) = sign_permit(state, actor, team_id).await?;
    Ok(state
        .store
        .sponsor_review(&permit, team_id, person, confirm, note, lmp_store::today())
        .await?)
}
