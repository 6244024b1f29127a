//! `/api/v1/teams/…`, projects, measurements and savings: what the team
//! pages do, as JSON, through the same team actions.

use crate::http::{ApiJson, ApiPath, ApiUser, AppError, Created, ErrorBody};
use crate::state::AppState;
use crate::teams::actions::{
    self, ClaimInput, MeasurementInput, MeetingInput, ProjectInput, TestInput, TestResultInput,
};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use lmp_core::path::Rating;
use lmp_core::policy::Action;
use lmp_store::teams::meetings::Meeting;
use lmp_store::teams::projects::{Measure, Measurement, Project, TestRow};
use lmp_store::teams::rating::MonthRating;
use lmp_store::teams::savings::{Claim, SavingsTotals};
use lmp_store::teams::Team;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

type ApiResult<T> = Result<Json<T>, AppError>;
type Made<T> = Result<(StatusCode, Json<T>), AppError>;

#[derive(Debug, Serialize, ToSchema)]
pub struct CriterionOut {
    pub level: u8,
    pub dimension: String,
    pub description: String,
    pub met: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DimensionOut {
    pub dimension: String,
    /// The highest level whose criteria this dimension meets.
    pub level: u8,
}

/// A team's Path to Performance level, computed now from its record.
#[derive(Debug, Serialize, ToSchema)]
pub struct RatingOut {
    /// 0 (not yet at level 1) to 5.
    pub level: u8,
    pub name: String,
    pub dimensions: Vec<DimensionOut>,
    /// The unmet criteria between the team and the next level.
    pub next_level_gaps: Vec<String>,
    pub criteria: Vec<CriterionOut>,
}

impl From<&Rating> for RatingOut {
    fn from(r: &Rating) -> RatingOut {
        RatingOut {
            level: r.level,
            name: r.name().to_string(),
            dimensions: r
                .dimensions
                .iter()
                .map(|(d, l)| DimensionOut {
                    dimension: d.as_str().to_string(),
                    level: *l,
                })
                .collect(),
            next_level_gaps: r.next_level_gaps().iter().map(|c| c.description.clone()).collect(),
            criteria: r
                .criteria
                .iter()
                .map(|c| CriterionOut {
                    level: c.level,
                    dimension: c.dimension.as_str().to_string(),
                    description: c.description.clone(),
                    met: c.met,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TeamOut {
    #[schema(value_type = crate::schemas::Team)]
    pub team: Team,
    pub rating: RatingOut,
    /// Self-reported and verified, side by side.
    #[schema(value_type = crate::schemas::SavingsTotals)]
    pub savings: SavingsTotals,
}

async fn team_of(state: &AppState, user: &ApiUser, id: i64) -> Result<Team, AppError> {
    user.permit(Action::ReadStructure)?;
    state
        .store
        .team(user.partnership_id(), id)
        .await?
        .ok_or(AppError::NotFound("team"))
}

/// A team: its charter, computed level with the criteria before the next,
/// and its savings.
#[utoipa::path(get, path = "/api/v1/teams/{id}", tag = "teams",
    responses((status = 200, body = TeamOut), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn show(user: ApiUser, State(state): State<AppState>, ApiPath(id): ApiPath<i64>) -> ApiResult<TeamOut> {
    let team = team_of(&state, &user, id).await?;
    let pid = user.partnership_id();
    let rating = state
        .store
        .rate_team(pid, id, &state.store.team_rules(pid).await?.path, lmp_store::today())
        .await?;
    Ok(Json(TeamOut {
        team,
        rating: (&rating).into(),
        savings: state.store.savings_of_team(pid, id).await?,
    }))
}

/// The team's level by month: computed, self-assessed, and the sponsor's review.
#[utoipa::path(get, path = "/api/v1/teams/{id}/levels", tag = "teams",
    responses((status = 200, body = Vec<crate::schemas::MonthRating>), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn levels(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Vec<MonthRating>> {
    team_of(&state, &user, id).await?;
    Ok(Json(state.store.level_history(user.partnership_id(), id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AssessmentInput {
    /// 1 to 5.
    pub level: u8,
}

/// The team assesses its own level for this month; a sponsor then confirms or disputes.
#[utoipa::path(post, path = "/api/v1/teams/{id}/assessment", tag = "teams", request_body = AssessmentInput,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn assessment(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<AssessmentInput>,
) -> Result<StatusCode, AppError> {
    team_of(&state, &user, id).await?;
    actions::self_assess(&state, &user.0, id, input.level).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReviewInput {
    pub confirm: bool,
    /// Required to dispute.
    #[serde(default)]
    pub note: String,
}

/// A sponsor of the team, in person, confirms or disputes this month's self-assessment.
#[utoipa::path(post, path = "/api/v1/teams/{id}/review", tag = "teams", request_body = ReviewInput,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn review(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ReviewInput>,
) -> Result<StatusCode, AppError> {
    team_of(&state, &user, id).await?;
    actions::sponsor_review(&state, &user.0, id, input.confirm, &input.note).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CharterInput {
    pub text: String,
}

/// Write one section of the charter: purpose, goals, membership, quorum, scope, decision_making, ground_rules.
#[utoipa::path(put, path = "/api/v1/teams/{id}/charter/{section}", tag = "teams", request_body = CharterInput,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 400, body = ErrorBody)), security(("token" = [])))]
pub async fn charter(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath((id, section)): ApiPath<(i64, String)>,
    ApiJson(input): ApiJson<CharterInput>,
) -> Result<StatusCode, AppError> {
    team_of(&state, &user, id).await?;
    actions::set_charter(&state, &user.0, id, &section, &input.text).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChampionInput {
    /// Someone on the team, or null to clear.
    pub person_id: Option<i64>,
}

/// Name the team's health and safety champion.
#[utoipa::path(put, path = "/api/v1/teams/{id}/champion", tag = "teams", request_body = ChampionInput,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn champion(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ChampionInput>,
) -> Result<StatusCode, AppError> {
    team_of(&state, &user, id).await?;
    actions::set_champion(&state, &user.0, id, input.person_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The team's latest 100 meetings and huddles, with attendance by side.
#[utoipa::path(get, path = "/api/v1/teams/{id}/meetings", tag = "teams",
    responses((status = 200, body = Vec<crate::schemas::Meeting>), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn meetings(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Vec<Meeting>> {
    team_of(&state, &user, id).await?;
    Ok(Json(
        state.store.meetings_of_team(user.partnership_id(), id, 100).await?,
    ))
}

/// Record a meeting or huddle and who came.
#[utoipa::path(post, path = "/api/v1/teams/{id}/meetings", tag = "teams", request_body = MeetingInput,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn record_meeting(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<MeetingInput>,
) -> Made<Created> {
    team_of(&state, &user, id).await?;
    let id = actions::record_meeting(&state, &user.0, id, input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// The team's improvement projects.
#[utoipa::path(get, path = "/api/v1/teams/{id}/projects", tag = "projects",
    responses((status = 200, body = Vec<crate::schemas::Project>), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn projects(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Vec<Project>> {
    team_of(&state, &user, id).await?;
    Ok(Json(state.store.projects_of_team(user.partnership_id(), id).await?))
}

/// Start a project: Value Compass points, the three questions, a SMART goal
/// and balancing measures; `adopted_from` spreads another team's project.
#[utoipa::path(post, path = "/api/v1/teams/{id}/projects", tag = "projects", request_body = ProjectInput,
    responses((status = 201, body = crate::schemas::Project), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn create_project(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ProjectInput>,
) -> Made<Project> {
    team_of(&state, &user, id).await?;
    let project = actions::create_project(&state, &user.0, id, input).await?;
    Ok((StatusCode::CREATED, Json(project)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectOut {
    #[schema(value_type = crate::schemas::Project)]
    pub project: Project,
    #[schema(value_type = Vec<crate::schemas::Measure>)]
    pub measures: Vec<Measure>,
    #[schema(value_type = Vec<crate::schemas::TestRow>)]
    pub tests_of_change: Vec<TestRow>,
    /// Other teams' adoptions of this project.
    #[schema(value_type = Vec<crate::schemas::Project>)]
    pub adoptions: Vec<Project>,
}

async fn project_of(state: &AppState, user: &ApiUser, id: i64) -> Result<Project, AppError> {
    user.permit(Action::ReadStructure)?;
    actions::project(state, &user.0, id).await
}

/// A project with its measures, tests of change and where it spread.
#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "projects",
    responses((status = 200, body = ProjectOut), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn project(user: ApiUser, State(state): State<AppState>, ApiPath(id): ApiPath<i64>) -> ApiResult<ProjectOut> {
    let project = project_of(&state, &user, id).await?;
    let pid = user.partnership_id();
    Ok(Json(ProjectOut {
        measures: state.store.measures_of_project(pid, id).await?,
        tests_of_change: state.store.tests_of_project(pid, id).await?,
        adoptions: state.store.adoptions_of(pid, id).await?,
        project,
    }))
}

/// Every measurement of the project's measures, in date order.
#[utoipa::path(get, path = "/api/v1/projects/{id}/measurements", tag = "projects",
    responses((status = 200, body = Vec<crate::schemas::Measurement>), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn measurements(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Vec<Measurement>> {
    project_of(&state, &user, id).await?;
    Ok(Json(
        state.store.measurements_of_project(user.partnership_id(), id).await?,
    ))
}

/// Record a measurement: in the measure's own unit, one a day, never in the future.
#[utoipa::path(post, path = "/api/v1/projects/{id}/measurements", tag = "projects", request_body = MeasurementInput,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn add_measurement(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<MeasurementInput>,
) -> Result<StatusCode, AppError> {
    project_of(&state, &user, id).await?;
    actions::add_measurement(&state, &user.0, id, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Start a test of change (Plan-Do-Study-Act) with its prediction.
#[utoipa::path(post, path = "/api/v1/projects/{id}/tests", tag = "projects", request_body = TestInput,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn add_test(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<TestInput>,
) -> Made<Created> {
    project_of(&state, &user, id).await?;
    let id = actions::add_test(&state, &user.0, id, input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Study and act: the result of a test of change and the decision.
#[utoipa::path(post, path = "/api/v1/projects/{id}/tests/{test_id}/result", tag = "projects", request_body = TestResultInput,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn finish_test(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath((id, test_id)): ApiPath<(i64, i64)>,
    ApiJson(input): ApiJson<TestResultInput>,
) -> Result<StatusCode, AppError> {
    project_of(&state, &user, id).await?;
    actions::finish_test(&state, &user.0, id, test_id, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StatusInput {
    /// planning, testing, sustaining, completed or stopped.
    pub status: String,
}

#[utoipa::path(put, path = "/api/v1/projects/{id}/status", tag = "projects", request_body = StatusInput,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 400, body = ErrorBody)), security(("token" = [])))]
pub async fn set_status(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<StatusInput>,
) -> Result<StatusCode, AppError> {
    project_of(&state, &user, id).await?;
    actions::set_status(&state, &user.0, id, &input.status).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SavingsOut {
    /// Self-reported and verified, side by side; only claims nobody corrected count.
    #[schema(value_type = crate::schemas::SavingsTotals)]
    pub totals: SavingsTotals,
    /// Every claim, corrected ones included.
    #[schema(value_type = Vec<crate::schemas::Claim>)]
    pub claims: Vec<Claim>,
}

/// The team's savings claims and totals.
#[utoipa::path(get, path = "/api/v1/teams/{id}/savings", tag = "savings",
    responses((status = 200, body = SavingsOut), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn savings(user: ApiUser, State(state): State<AppState>, ApiPath(id): ApiPath<i64>) -> ApiResult<SavingsOut> {
    team_of(&state, &user, id).await?;
    let pid = user.partnership_id();
    Ok(Json(SavingsOut {
        totals: state.store.savings_of_team(pid, id).await?,
        claims: state.store.claims_of_team(pid, id).await?,
    }))
}

/// Report a saving for a project, or (with `corrects`) correct an earlier claim.
#[utoipa::path(post, path = "/api/v1/projects/{id}/savings", tag = "savings", request_body = ClaimInput,
    responses((status = 201, body = crate::schemas::Claim), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn add_claim(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ClaimInput>,
) -> Made<Claim> {
    project_of(&state, &user, id).await?;
    let claim = actions::add_claim(&state, &user.0, id, input).await?;
    Ok((StatusCode::CREATED, Json(claim)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignatureOut {
    /// verified, or awaiting the other side's signature.
    pub verification: String,
}

/// Sign a claim in person, as the team's co-lead or sponsor. The second side's signature verifies it.
#[utoipa::path(post, path = "/api/v1/savings/{id}/signatures", tag = "savings",
    responses((status = 200, body = SignatureOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn sign(user: ApiUser, State(state): State<AppState>, ApiPath(id): ApiPath<i64>) -> ApiResult<SignatureOut> {
    user.permit(Action::ReadStructure)?;
    let outcome = actions::sign_claim(&state, &user.0, id).await?;
    Ok(Json(SignatureOut {
        verification: match outcome {
            lmp_core::savings::Verification::Verified => "verified",
            lmp_core::savings::Verification::Awaiting => "awaiting",
        }
        .into(),
    }))
}

/// This area's part of the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    show,
    levels,
    assessment,
    review,
    charter,
    champion,
    meetings,
    record_meeting,
    projects,
    create_project,
    savings,
    project,
    measurements,
    add_measurement,
    add_test,
    finish_test,
    set_status,
    add_claim,
    sign
))]
pub struct Doc;
