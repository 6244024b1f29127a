//! HTML pages, built around what each user comes to do (see USERS.md):
//! server-rendered with askama (escaped by default), htmx for live search.

mod audit;
mod bodies;
mod changes;
mod dashboard;
mod decisions;
pub mod eis;
pub mod health;
mod locals;
pub mod meetings;
mod notices;
mod org;
mod people;
mod projects;
mod scorecard;
mod sign_in;
pub mod staffing;
mod teams;
mod tokens;
pub mod trust;

use crate::auth::session::SignedIn;
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::Multipart;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use lmp_core::paging::{Page, Paged};
use lmp_core::policy::{authorize, Action, Permit};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(dashboard::show))
        .route("/sign-in", get(sign_in::form).post(sign_in::submit))
        .route("/sign-out", post(sign_in::sign_out))
        .route("/org", get(org::list))
        .route("/org/{id}", get(org::show))
        .route("/bodies", get(bodies::list))
        .route("/teams", get(bodies::teams))
        .route("/bodies/{id}", get(bodies::show))
        .route("/bodies/{id}/seats", post(bodies::add_seat))
        .route("/bodies/{id}/seats/{seat_id}/remove", post(bodies::remove_seat))
        .route("/my-teams", get(teams::mine))
        .route("/scorecard", get(scorecard::show))
        .route("/scorecard.csv", get(scorecard::csv))
        .route("/scorecard.xlsx", get(scorecard::xlsx))
        .route("/scorecard/teams", get(scorecard::teams))
        .route("/scorecard/decisions", get(scorecard::decisions))
        .route("/teams/{id}", get(teams::show))
        .route("/teams/{id}/charter", post(teams::charter))
        .route("/teams/{id}/champion", post(teams::champion))
        .route("/teams/{id}/meetings", post(teams::meeting))
        .route("/teams/{id}/assessment", post(teams::assessment))
        .route("/teams/{id}/review", post(teams::review))
        .route("/teams/{id}/projects/new", get(teams::new_project))
        .route("/teams/{id}/projects", post(teams::create_project))
        .route("/projects/{id}", get(projects::show))
        .route("/projects/{id}/measurements", post(projects::measurement))
        .route("/projects/{id}/tests", post(projects::test))
        .route("/projects/{id}/tests/{test_id}/finish", post(projects::finish_test))
        .route("/projects/{id}/status", post(projects::status))
        .route("/projects/{id}/claims", post(projects::claim))
        .route("/projects/{id}/adopt", post(projects::adopt))
        .route("/claims/{id}/sign", post(projects::sign))
        .route("/bodies/{id}/decisions", post(decisions::raise))
        .route("/decisions/{id}", get(decisions::show))
        .route("/decisions/{id}/contributions", post(decisions::contribute))
        .route("/decisions/{id}/advance", post(decisions::advance))
        .route("/decisions/{id}/stances", post(decisions::stance))
        .route("/decisions/{id}/escalate", post(decisions::escalate))
        .route("/decisions/{id}/reopen", post(decisions::reopen))
        .route("/decisions/{id}/ruling", post(decisions::ruling))
        .route("/changes", get(changes::list).post(changes::request))
        .route("/changes/{id}/approve", post(changes::approve))
        .route("/changes/{id}/withdraw", post(changes::withdraw))
        .route("/notices", get(notices::list))
        .route("/notices/read", post(notices::read))
        .route("/bodies/{id}/meetings", post(meetings::call))
        .route("/meetings/{id}", get(meetings::show))
        .route("/meetings/{id}/invite.ics", get(meetings::ics))
        .route("/meetings/{id}/minutes", post(meetings::minutes))
        .route("/health", get(health::show))
        .route("/staffing", get(staffing::show))
        .route("/staffing/plans/{id}/approve", post(staffing::approve_plan))
        .route("/staffing/units/{code}/plan", post(staffing::plan_form))
        .route("/eis", get(eis::show))
        .route("/eis/displacements", post(eis::record_displacement))
        .route("/eis/displacements/{id}/alternatives", post(eis::record_alternative))
        .route("/eis/displacements/{id}/confirm", post(eis::confirm))
        .route("/eis/vacancies", post(eis::post_vacancy))
        .route("/eis/runs", post(eis::run))
        .route("/eis/proposals/{id}/accept", post(eis::accept))
        .route("/eis/proposals/{id}/decline", post(eis::decline))
        .route("/trust", get(trust::show))
        .route("/trust/reconciliation", get(trust::reconciliation))
        .route("/trust/locals/{local}", get(trust::statement))
        .route("/trust/budgets/{id}/approve", post(trust::approve))
        .route("/trust/remittances", post(trust::remit))
        .route("/trust/spending", post(trust::spend))
        .route("/people", get(people::list))
        .route("/people/{id}", get(people::show))
        .route("/people/{id}/roles", post(people::add_role))
        .route("/people/{id}/roles/{role_id}/remove", post(people::remove_role))
        .route("/locals", get(locals::list))
        .route("/locals/{id}", get(locals::show))
        .route("/tokens", get(tokens::list).post(tokens::create))
        .route("/tokens/{id}/revoke", post(tokens::revoke))
        .route("/audit", get(audit::list))
        .route("/static/htmx.min.js", get(htmx))
        .route("/static/app.css", get(css))
}

/// An error on a page: a sign-in redirect, or a page that says what to do.
pub struct PageError(pub AppError);

impl<E: Into<AppError>> From<E> for PageError {
    fn from(e: E) -> PageError {
        PageError(e.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    status: u16,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if let AppError::Unauthorized = self.0 {
            return Redirect::to("/sign-in").into_response();
        }
        if let AppError::Internal(cause) = &self.0 {
            tracing::error!(%cause, "internal error on a page");
        }
        let status = self.0.status();
        let page = ErrorPage {
            status: status.as_u16(),
            message: self.0.to_string(),
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, self.0.to_string()).into_response(),
        }
    }
}

pub type PageResult = Result<Response, PageError>;

pub async fn not_found() -> PageError {
    PageError(AppError::NotFound("page"))
}

/// What every page's frame shows.
pub struct Layout {
    pub title: String,
    pub username: String,
    pub role: &'static str,
    pub partnership: String,
    pub csrf: String,
    pub can_audit: bool,
    pub can_read_trust: bool,
    pub can_read_eis: bool,
    /// Notices addressed to this sign-in's person and not yet read.
    pub unread: i64,
    /// (href, label), root first; the last is the current page.
    pub crumbs: Vec<(String, String)>,
}

impl Layout {
    pub async fn new(state: &AppState, who: &SignedIn, title: impl Into<String>) -> Result<Layout, PageError> {
        let partnership = state
            .store
            .partnership(who.actor.partnership_id)
            .await?
            .map(|p| p.name)
            .unwrap_or_default();
        Ok(Layout {
            title: title.into(),
            username: who.user.username.clone(),
            role: who.actor.role.label(),
            partnership,
            csrf: who.csrf.clone(),
            can_audit: authorize(&who.actor, Action::ReadAudit, who.actor.partnership_id).is_ok(),
            can_read_trust: authorize(&who.actor, Action::ReadTrust, who.actor.partnership_id).is_ok(),
            can_read_eis: authorize(&who.actor, Action::ReadEis, who.actor.partnership_id).is_ok(),
            unread: match who.user.person_id {
                Some(person) => state.store.unread_notices(who.actor.partnership_id, person).await?,
                None => 0,
            },
            crumbs: Vec::new(),
        })
    }

    pub fn crumb(mut self, href: impl Into<String>, label: impl Into<String>) -> Layout {
        self.crumbs.push((href.into(), label.into()));
        self
    }
}

/// Ask the policy about something in the user's own partnership.
pub fn permit(who: &SignedIn, action: Action) -> Result<Permit, PageError> {
    Ok(authorize(&who.actor, action, who.actor.partnership_id)?)
}

/// Render a template into a page response.
pub fn render(template: &impl Template) -> PageResult {
    Ok(Html(template.render()?).into_response())
}

/// Links to the previous and next pages of a list, keeping its filters.
pub struct Pager {
    pub from: u64,
    pub to: u64,
    pub total: String,
    pub previous: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// `path` and `params` rebuild the current list; `offset` is added.
    pub fn new<T>(paged: &Paged<T>, path: &str, params: &[(&str, String)]) -> Pager {
        Pager::named(paged, path, params, "offset")
    }

    /// As [`Pager::new`], for a second list on a page whose offset travels
    /// as `offset_param`.
    pub fn named<T>(paged: &Paged<T>, path: &str, params: &[(&str, String)], offset_param: &str) -> Pager {
        let page = Page::new(Some(paged.limit), Some(paged.offset));
        let link = |offset: u64| {
            let mut all: Vec<(&str, String)> = params.iter().filter(|(_, v)| !v.is_empty()).cloned().collect();
            if offset > 0 {
                all.push((offset_param, offset.to_string()));
            }
            let query = serde_urlencoded::to_string(&all).unwrap_or_default();
            if query.is_empty() {
                path.to_string()
            } else {
                format!("{path}?{query}")
            }
        };
        Pager {
            from: if paged.items.is_empty() { 0 } else { paged.offset + 1 },
            to: paged.offset + paged.items.len() as u64,
            total: crate::charts::thousands(paged.total as i64),
            previous: page.previous_offset().map(link),
            next: page.next_offset(paged.total).map(link),
        }
    }
}

/// Query strings that pages take: search and paging.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ListQuery {
    pub search: Option<String>,
    pub offset: Option<u64>,
}

impl ListQuery {
    pub fn search(&self) -> Option<String> {
        lmp_core::paging::search_term(self.search.as_deref())
    }

    pub fn search_text(&self) -> String {
        self.search().unwrap_or_default()
    }

    pub fn page(&self) -> Page {
        Page::new(None, self.offset)
    }
}

/// A form's CSRF field; every form of a signed-in page carries it.
#[derive(Debug, serde::Deserialize)]
pub struct CsrfForm {
    pub csrf: String,
}

async fn htmx() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_str!("../../static/htmx.min.js"),
    )
}

async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/app.css"),
    )
}

/// A form's fields in order, repeated names kept (a list of checkboxes).
pub struct Fields(Vec<(String, String)>);

impl Fields {
    /// Parse a form body and check its CSRF token.
    pub fn parse(who: &SignedIn, body: &[u8]) -> Result<Fields, PageError> {
        let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
            .map_err(|e| AppError::BadRequest(format!("the form could not be read: {e}")))?;
        let fields = Fields(fields);
        who.check_csrf(fields.one("csrf"))?;
        Ok(fields)
    }

    /// The first value of `name`, or "" when absent.
    pub fn one(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    /// Every value of `name`.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Every value of `name` as ids; a value that is not one is refused.
    pub fn ids(&self, name: &str) -> Result<Vec<i64>, AppError> {
        self.all(name)
            .into_iter()
            .filter(|v| !v.is_empty())
            .map(|v| {
                v.parse()
                    .map_err(|_| AppError::BadRequest(format!("{name}: {v:?} is not an id")))
            })
            .collect()
    }

    pub fn optional_id(&self, name: &str) -> Result<Option<i64>, AppError> {
        Ok(self.ids(name)?.into_iter().next())
    }

    pub fn number(&self, name: &str, label: &str) -> Result<f64, AppError> {
        lmp_core::improvement::parse_value(self.one(name)).map_err(|e| AppError::BadRequest(format!("{label}: {e}")))
    }
}

/// Messages a redirect brings back to a page.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Notice {
    pub done: Option<String>,
    pub error: Option<String>,
}

impl Notice {
    pub fn done(&self) -> Option<&str> {
        self.done.as_deref().filter(|d| d.len() < 300)
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref().filter(|d| d.len() < 600)
    }
}

/// After a form: back to `to` with a note of what was done, or — when a
/// rule or a field refused it — back with the reason, so the person can
/// correct it where they were.
pub fn back_to<T>(to: &str, outcome: Result<T, AppError>, done: &str) -> PageResult {
    let (key, message) = match outcome {
        Ok(_) => ("done", done.to_string()),
        Err(e @ (AppError::Rule(_) | AppError::BadRequest(_))) => ("error", e.to_string()),
        Err(e) => return Err(PageError(e)),
    };
    let query = serde_urlencoded::to_string([(key, message)]).unwrap_or_default();
    // The query goes before any #fragment, or the browser would not send it.
    let (path, fragment) = to
        .split_once('#')
        .map_or((to, String::new()), |(p, f)| (p, format!("#{f}")));
    let separator = if path.contains('?') { '&' } else { '?' };
    see_other(&format!("{path}{separator}{query}{fragment}"))
}

/// 303 to `to`: after a form, the browser fetches the page anew.
pub fn see_other(to: &str) -> PageResult {
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response())
}

/// A CSV file from a multipart form: the CSRF token first, then the file.
pub(crate) async fn uploaded(who: &SignedIn, mut form: Multipart) -> Result<(String, Vec<u8>), AppError> {
    let mut csrf = String::new();
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(format!("the upload could not be read: {e}")))?
    {
        match field.name().unwrap_or("") {
            "csrf" => csrf = field.text().await.unwrap_or_default(),
            "file" => {
                who.check_csrf(&csrf)?;
                let name = field.file_name().unwrap_or("upload.csv").to_string();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| AppError::BadRequest(format!("the upload stopped part-way: {e}")))?;
                return Ok((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    Err(AppError::BadRequest("choose a CSV file to upload".into()))
}
