//! `/api/v1`: the same resources as the pages, as JSON, for programs that
//! sign in with a personal access token.

mod audit;
mod bodies;
mod decisions;
pub(crate) mod eis;
mod governance;
mod people;
mod scorecard;
pub(crate) mod staffing;
mod teams;
pub(crate) mod trust;
mod units;

use crate::auth::actor_of;
use crate::auth::token::hash_secret;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use lmp_core::paging::{Page, Paged};
use lmp_core::policy::{authorize, Action, Actor, Permit};
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/me", get(me))
        .route("/dashboard", get(units::dashboard))
        .route("/people", get(people::list))
        .route("/people/{id}", get(people::show))
        .route("/people/{id}/roles", axum::routing::post(people::add_role))
        .route("/people/{id}/roles/{role_id}", delete(people::remove_role))
        .route("/locals", get(units::locals))
        .route("/locals/{id}", get(units::local))
        .route("/locals/{id}/stewards", get(units::stewards))
        .route("/units", get(units::list))
        .route("/units/{id}", get(units::show))
        .route("/bodies", get(bodies::list))
        .route("/teams", get(bodies::teams))
        .route("/bodies/{id}", get(bodies::show))
        .route("/bodies/{id}/seats", get(bodies::members).post(bodies::add_seat))
        .route("/bodies/{id}/seats/{seat_id}", delete(bodies::remove_seat))
        .route("/teams/{id}", get(teams::show))
        .route("/teams/{id}/levels", get(teams::levels))
        .route("/teams/{id}/assessment", post(teams::assessment))
        .route("/teams/{id}/review", post(teams::review))
        .route("/teams/{id}/charter/{section}", put(teams::charter))
        .route("/teams/{id}/champion", put(teams::champion))
        .route("/teams/{id}/meetings", get(teams::meetings).post(teams::record_meeting))
        .route("/teams/{id}/projects", get(teams::projects).post(teams::create_project))
        .route("/teams/{id}/savings", get(teams::savings))
        .route("/projects/{id}", get(teams::project))
        .route(
            "/projects/{id}/measurements",
            get(teams::measurements).post(teams::add_measurement),
        )
        .route("/projects/{id}/tests", post(teams::add_test))
        .route("/projects/{id}/tests/{test_id}/result", post(teams::finish_test))
        .route("/projects/{id}/status", put(teams::set_status))
        .route("/projects/{id}/savings", post(teams::add_claim))
        .route("/savings/{id}/signatures", post(teams::sign))
        .route("/bodies/{id}/decisions", get(decisions::of_body).post(decisions::raise))
        .route("/decisions/{id}", get(decisions::show))
        .route("/decisions/{id}/contributions", post(decisions::contribute))
        .route("/decisions/{id}/advance", post(decisions::advance))
        .route("/decisions/{id}/stances", post(decisions::stance))
        .route("/decisions/{id}/escalate", post(decisions::escalate))
        .route("/decisions/{id}/reopen", post(decisions::reopen))
        .route("/decisions/{id}/ruling", post(decisions::ruling))
        .route("/decisions/{id}/history", get(governance::history))
        .route("/decision-rules", get(governance::rules).put(governance::set_rules))
        .route(
            "/joint-changes",
            get(governance::changes).post(governance::request_change),
        )
        .route("/joint-changes/{id}", get(governance::change))
        .route("/joint-changes/{id}/approve", post(governance::approve))
        .route("/joint-changes/{id}/withdraw", post(governance::withdraw))
        .route("/notices", get(governance::notices))
        .route("/notices/read", post(governance::read_notices))
        .route(
            "/bodies/{id}/meetings",
            get(governance::meetings).post(governance::call_meeting),
        )
        .route("/meetings/{id}", get(governance::meeting))
        .route("/meetings/{id}/invite.ics", get(governance::invite))
        .route("/meetings/{id}/minutes", post(governance::minutes))
        .route("/health", get(governance::health))
        .route("/scorecard", get(scorecard::show))
        .route("/scorecard/teams", get(scorecard::teams))
        .route("/scorecard/participation", get(scorecard::participation))
        .route("/scorecard/decisions", get(scorecard::decisions))
        .route("/trust", get(trust::year))
        .route("/trust/locals", get(trust::locals))
        .route("/trust/totals", get(trust::totals))
        .route("/trust/locals/{code}/statement", get(trust::statement))
        .route("/trust/reconciliation", get(trust::reconciliation))
        .route("/trust/remittances", post(trust::remittances))
        .route("/trust/spending", post(trust::spending))
        .route("/trust/budget", get(trust::budget))
        .route("/trust/budgets", post(trust::propose_budget))
        .route("/trust/budgets/{id}/approve", post(trust::approve_budget))
        .route("/trust/trustees", get(trust::trustees))
        .route("/trust/rules", get(trust::rules).put(trust::set_rules))
        .route("/eis", get(eis::board))
        .route(
            "/eis/displacements",
            get(eis::displacements).post(eis::record_displacement),
        )
        .route("/eis/displacements/{id}", get(eis::displacement))
        .route("/eis/displacements/{id}/alternatives", post(eis::record_alternative))
        .route("/eis/displacements/{id}/confirm", post(eis::confirm))
        .route("/eis/pool", get(eis::pool))
        .route("/eis/vacancies", get(eis::vacancies).post(eis::post_vacancies))
        .route("/eis/runs", post(eis::run))
        .route("/eis/proposals", get(eis::proposals))
        .route("/eis/proposals/{id}", get(eis::proposal))
        .route("/eis/proposals/{id}/accept", post(eis::accept))
        .route("/eis/proposals/{id}/decline", post(eis::decline))
        .route("/eis/representatives", get(eis::representatives))
        .route("/eis/rules", get(eis::rules).put(eis::set_rules))
        .route("/staffing/rules", get(staffing::rules).put(staffing::save_rules))
        .route("/staffing/required", get(staffing::required))
        .route("/staffing/units", get(staffing::units))
        .route("/staffing/compliance", get(staffing::compliance))
        .route("/staffing/short-hours", get(staffing::short_hours))
        .route("/staffing/plan-gaps", get(staffing::plan_gaps))
        .route("/staffing/units/{code}/history", get(staffing::history))
        .route(
            "/staffing/units/{code}/plans",
            get(staffing::plans).post(staffing::write_plan),
        )
        .route("/staffing/units/{code}/what-if", post(staffing::what_if))
        .route("/staffing/plans/{id}/approve", post(staffing::approve_plan))
        .route("/audit", get(audit::list))
        .fallback(api_not_found)
}

async fn api_not_found() -> AppError {
    AppError::NotFound("API route")
}

/// A caller of the API, known by their bearer token.
pub struct ApiUser(pub Actor);

impl ApiUser {
    /// Ask the policy; the resource is always in the caller's partnership,
    /// since every query filters on it.
    pub fn permit(&self, action: Action) -> Result<Permit, AppError> {
        Ok(authorize(&self.0, action, self.0.partnership_id)?)
    }

    pub fn partnership_id(&self) -> i64 {
        self.0.partnership_id
    }
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let header = parts.headers.get(AUTHORIZATION).ok_or(AppError::Unauthorized)?;
        let token = header
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(AppError::Unauthorized)?;
        let user = state
            .store
            .user_by_api_token(&hash_secret(token))
            .await?
            .ok_or(AppError::Unauthorized)?;
        let actor =
            actor_of(&user).ok_or_else(|| AppError::Internal(format!("user {} has an unknown role", user.id)))?;
        Ok(ApiUser(actor))
    }
}

/// JSON in, with a JSON error when it does not parse.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct ApiJson<T>(pub T);

/// Query strings, with a JSON error when they do not parse.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct ApiQuery<T>(pub T);

/// Path parameters, with a JSON error when they do not parse.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct ApiPath<T>(pub T);

/// Paging and search, common to every list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Matches names (and codes) containing this text, any case.
    pub search: Option<String>,
    /// At most 500; 50 when absent.
    pub limit: Option<u32>,
    pub offset: Option<u64>,
}

impl ListParams {
    pub fn page(&self) -> Page {
        Page::new(self.limit, self.offset)
    }

    pub fn search(&self) -> Option<String> {
        lmp_core::paging::search_term(self.search.as_deref())
    }
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageOf<T> {
    pub items: Vec<T>,
    /// How many match, across all pages.
    pub total: u64,
    pub limit: u32,
    pub offset: u64,
    /// The offset of the next page, if there is one.
    pub next_offset: Option<u64>,
}

impl<T> From<Paged<T>> for PageOf<T> {
    fn from(p: Paged<T>) -> PageOf<T> {
        let next_offset = Page::new(Some(p.limit), Some(p.offset)).next_offset(p.total);
        PageOf {
            items: p.items,
            total: p.total,
            limit: p.limit,
            offset: p.offset,
            next_offset,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub user_id: i64,
    pub username: String,
    pub role: String,
    pub partnership: lmp_store::model::Partnership,
}

/// Who the token belongs to.
#[utoipa::path(get, path = "/api/v1/me", tag = "sign-in",
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)), security(("token" = [])))]
async fn me(user: ApiUser, axum::extract::State(state): axum::extract::State<AppState>) -> Result<Json<Me>, AppError> {
    user.permit(Action::ReadStructure)?;
    let partnership = state
        .store
        .partnership(user.partnership_id())
        .await?
        .ok_or(AppError::NotFound("partnership"))?;
    Ok(Json(Me {
        user_id: user.0.user_id,
        username: user.0.username.clone(),
        role: user.0.role.as_str().to_string(),
        partnership,
    }))
}

#[derive(OpenApi)]
#[openapi(
    info(title = "lmp API", description = "The labor-management partnership: its structure, people, bodies, unit-based teams \
        (charters, meetings, improvement projects, measurements, tests of change, savings and their signatures, Path to Performance), \
        joint decisions (interest-based problem solving, consensus, escalation, participation), two-key changes, notices, meetings, \
        partnership health, the Partnership Trust (payroll hours, contributions, the ledger, budgets), Employment and Income \
        Security (displacements, the transition pool, vacancies, optimal placement with explanations, joint acceptance) and the audit trail. \
        Every call needs `Authorization: Bearer <token>`; lists take `limit`, `offset` and `search` and return \
        `{items, total, limit, offset, next_offset}`; errors are `{code, message}`."),
    paths(
        me, units::dashboard, people::list, people::show, people::add_role, people::remove_role, units::locals, units::local, units::stewards, units::list, units::show,
        bodies::list, bodies::teams, bodies::show, bodies::members, bodies::add_seat, bodies::remove_seat, audit::list,
        teams::show, teams::levels, teams::assessment, teams::review, teams::charter, teams::champion, teams::meetings,
        teams::record_meeting, teams::projects, teams::create_project, teams::savings, teams::project, teams::measurements,
        teams::add_measurement, teams::add_test, teams::finish_test, teams::set_status, teams::add_claim, teams::sign,
        scorecard::show, scorecard::teams, scorecard::participation, scorecard::decisions,
        decisions::of_body, decisions::raise, decisions::show, decisions::contribute, decisions::advance, decisions::stance,
        decisions::escalate, decisions::reopen, decisions::ruling,
        governance::history, governance::rules, governance::set_rules, governance::changes, governance::change,
        governance::request_change, governance::approve, governance::withdraw, governance::notices, governance::read_notices,
        governance::meetings, governance::call_meeting, governance::meeting, governance::invite, governance::minutes,
        governance::health,
        trust::year, trust::locals, trust::totals, trust::statement, trust::reconciliation, trust::payroll, trust::remittances,
        trust::spending, trust::budget, trust::propose_budget, trust::approve_budget, trust::trustees, trust::rules, trust::set_rules,
        eis::board, eis::displacements, eis::record_displacement, eis::displacement, eis::record_alternative, eis::confirm,
        eis::add_workers, eis::pool, eis::vacancies, eis::post_vacancies, eis::import_vacancies, eis::run, eis::proposals,
        eis::proposal, eis::accept, eis::decline, eis::representatives, eis::rules, eis::set_rules,
        staffing::rules, staffing::save_rules, staffing::required, staffing::units, staffing::import_units,
        staffing::readings, staffing::compliance, staffing::short_hours, staffing::plans, staffing::write_plan,
        staffing::approve_plan, staffing::what_if, staffing::plan_gaps, staffing::history
    ),
    components(schemas(ErrorBody)),
    modifiers(&TokenAuth)
)]
pub struct ApiDoc;

struct TokenAuth;

impl Modify for TokenAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
