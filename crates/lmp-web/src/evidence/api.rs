//! `/api/v1/evidence`: the outcome measures both sides put in force, what
//! each shows by team level, participation and engagement with the models
//! behind it, the exact data and models to reproduce it, and outcomes
//! files taken in. A measure is put in force as a two-key change
//! (`POST /api/v1/joint-changes` with `change: define_measure`).

use crate::evidence::actions;
use crate::http::{download, ApiPath, ApiQuery, ApiUser, AppError, ErrorBody};
use crate::state::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use lmp_core::evidence::report::Evidence;
use lmp_store::evidence::{OutcomeMeasure, OutcomesReport};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

/// The measures in force, by name, each with its teams and values.
#[utoipa::path(get, path = "/api/v1/evidence/measures", tag = "evidence",
    responses((status = 200, body = [crate::schemas::OutcomeMeasure])), security(("token" = [])))]
pub async fn measures(user: ApiUser, State(state): State<AppState>) -> Result<Json<Vec<OutcomeMeasure>>, AppError> {
    Ok(Json(actions::measures(&state, &user.0).await?))
}

/// A measure and what it shows.
#[derive(Serialize)]
pub struct MeasureEvidence<'a> {
    measure: &'a OutcomeMeasure,
    evidence: &'a Evidence,
}

/// One measure: its means by team level, by participation band and by
/// engagement band, year by year with 95% intervals (each team counted
/// once a year); levels against level 1 with controls (facility, unit type,
/// size, year); an event study and a difference-in-differences for the
/// teams that moved up a level, against those that never did. Errors are
/// clustered by team.
#[utoipa::path(get, path = "/api/v1/evidence/measures/{code}", tag = "evidence",
    params(("code" = String, Path, description = "The measure's code, as outcomes files name it")),
    responses((status = 200, body = crate::schemas::MeasureEvidence), (status = 404, body = ErrorBody)),
    security(("token" = [])))]
pub async fn measure(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> Result<Response, AppError> {
    let (measure, found) = actions::measure_evidence(&state, &user.0, &code).await?;
    Ok(Json(MeasureEvidence {
        measure: &measure,
        evidence: &found,
    })
    .into_response())
}

/// The exact panel every model of the measure was fitted to (CSV): a row
/// per team and month with the team's facility, unit type, size, level
/// then, the value, and the event-quarter columns.
#[utoipa::path(get, path = "/api/v1/evidence/measures/{code}/panel.csv", tag = "evidence",
    params(("code" = String, Path, description = "The measure's code")),
    responses((status = 200, body = String, content_type = "text/csv"), (status = 404, body = ErrorBody)),
    security(("token" = [])))]
pub async fn panel(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> Result<Response, AppError> {
    let export = actions::export(&state, &user.0, &code).await?;
    Ok(download(
        "text/csv; charset=utf-8",
        &export.panel_name,
        export.panel_csv,
    ))
}

/// The models as run: each formula (statsmodels' notation, to fit again
/// to the panel) and every coefficient, error and interval found.
#[utoipa::path(get, path = "/api/v1/evidence/measures/{code}/models.json", tag = "evidence",
    params(("code" = String, Path, description = "The measure's code")),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody)),
    security(("token" = [])))]
pub async fn models(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> Result<Response, AppError> {
    let export = actions::export(&state, &user.0, &code).await?;
    Ok(download("application/json", &export.models_name, export.models_json))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutcomesQuery {
    /// The file's name, as errors will name it.
    pub file_name: Option<String>,
}

/// Take in monthly outcomes (the body, text/csv: team_code,measure,month,value
/// with month as YYYY-MM), all or none: a bad row is a 400 naming
/// `file:line:column`. A month's value is set once; the same file again
/// changes nothing (200), a different value for a month already taken in
/// is refused.
#[utoipa::path(post, path = "/api/v1/evidence/outcomes", tag = "evidence", params(OutcomesQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = crate::schemas::OutcomesReport),
        (status = 200, body = crate::schemas::OutcomesReport, description = "every value was taken in before: nothing changed"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("token" = [])))]
pub async fn import_outcomes(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<OutcomesQuery>,
    body: Body,
) -> Result<(StatusCode, Json<OutcomesReport>), AppError> {
    let name = q.file_name.unwrap_or_else(|| "outcomes.csv".into());
    let report = actions::import_outcomes(&state, &user.0, &name, body.into_data_stream()).await?;
    let status = if report.added > 0 {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(report)))
}

/// This area's part of the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(measures, measure, panel, models, import_outcomes))]
pub struct Doc;
