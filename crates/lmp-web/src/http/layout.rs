//! What every page shares: its frame, rendering, the policy asked for the
//! signed-in user, links between pages of a list, and the redirect after a
//! form.

use super::errors::{PageError, PageResult};
use crate::auth::session::SignedIn;
use crate::http::AppError;
use crate::state::AppState;
use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::Router;
use lmp_core::paging::{Page, Paged};
use lmp_core::policy::{authorize, Action, Permit};

/// The stylesheet, htmx and the pages' own script, served from the binary:
/// nothing is fetched from the web.
pub fn static_files() -> Router<AppState> {
    Router::new()
        .route("/static/htmx.min.js", get(htmx))
        .route("/static/app.js", get(app_js))
        .route("/static/app.css", get(css))
}

/// What every page's frame shows.
pub struct Layout {
    pub title: String,
    pub username: String,
    pub role: &'static str,
    pub partnership: String,
    pub csrf: String,
    pub can_audit: bool,
    pub can_manage_sign_ins: bool,
    pub can_read_trust: bool,
    pub can_read_eis: bool,
    /// Notices addressed to this sign-in's person and not yet read.
    pub unread: i64,
    /// (href, label), root first; the last is the current page.
    pub crumbs: Vec<(String, String)>,
    /// The partnership's time zone: every time a page shows is in it.
    pub zone: jiff::tz::TimeZone,
    /// The reader's language, and the other one the header offers.
    pub language: lmp_core::language::Language,
    pub other_language: lmp_core::language::Language,
}

impl Layout {
    pub async fn new(state: &AppState, who: &SignedIn, title: impl Into<String>) -> Result<Layout, PageError> {
        let language = crate::http::i18n::current();
        let (partnership, zone) = match state.store.partnership(who.actor.partnership_id).await? {
            Some(p) => (p.name.clone(), p.zone()),
            None => (String::new(), jiff::tz::TimeZone::UTC),
        };
        Ok(Layout {
            title: title.into(),
            username: who.user.username.clone(),
            role: who.actor.role.label_in(language),
            partnership,
            csrf: who.csrf.clone(),
            can_audit: authorize(&who.actor, Action::ReadAudit, who.actor.partnership_id).is_ok(),
            can_manage_sign_ins: authorize(&who.actor, Action::ManageSignIns, who.actor.partnership_id).is_ok(),
            can_read_trust: authorize(&who.actor, Action::ReadTrust, who.actor.partnership_id).is_ok(),
            can_read_eis: authorize(&who.actor, Action::ReadEis, who.actor.partnership_id).is_ok(),
            unread: match who.user.person_id {
                Some(person) => state.store.unread_notices(who.actor.partnership_id, person).await?,
                None => 0,
            },
            crumbs: Vec::new(),
            zone,
            language,
            other_language: language.other(),
        })
    }

    /// The reader's language, for a template to hand to the rules' words
    /// (`label_in`).
    pub fn lang(&self) -> lmp_core::language::Language {
        self.language
    }

    /// A body level's stored word (`facility`) in the reader's words.
    pub fn level_label(&self, word: &str) -> &'static str {
        word.parse::<lmp_core::body::BodyLevel>()
            .map_or("", |l| l.label_in(self.language))
    }

    /// Sides by their stored words, in the reader's words: "labor and management".
    pub fn sides_in_words<S: AsRef<str>>(&self, sides: &[S]) -> String {
        sides
            .iter()
            .map(|s| {
                let word = s.as_ref();
                word.parse::<lmp_core::Side>()
                    .map_or(word.to_string(), |side| side.label_in(self.language).to_lowercase())
            })
            .collect::<Vec<_>>()
            .join(&format!(" {} ", self.t("word-and")))
    }

    /// The page's words for `key`, in the reader's language.
    pub fn t(&self, key: &str) -> String {
        crate::http::i18n::text_with(self.language, key, None)
    }

    /// The words for a stored word of a kind: `t_of("stage", "framing")`
    /// reads the catalogue's `stage-framing`.
    pub fn t_of(&self, kind: &str, word: &str) -> String {
        self.t(&format!("{kind}-{word}"))
    }

    /// As [`Layout::t`], with one named value.
    pub fn t_with(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        crate::http::i18n::text_with_values(self.language, key, &[(name, value.to_string())])
    }

    /// As [`Layout::t`], with two named values.
    pub fn t_with2(
        &self,
        key: &str,
        name: &str,
        value: impl std::fmt::Display,
        other_name: &str,
        other_value: impl std::fmt::Display,
    ) -> String {
        crate::http::i18n::text_with_values(
            self.language,
            key,
            &[(name, value.to_string()), (other_name, other_value.to_string())],
        )
    }

    /// Of words kept in both languages, the reader's (English where the
    /// other was never written).
    pub fn pick<'a>(&self, english: &'a str, spanish: &'a str) -> &'a str {
        match self.language {
            lmp_core::language::Language::Spanish if !spanish.is_empty() => spanish,
            _ => english,
        }
    }

    /// A stored time in the partnership's zone, in words: `Mon 7 Dec 2026, 1:31 pm PST`.
    pub fn time(&self, stored: &str) -> String {
        lmp_core::time::stored_in_words(stored, &self.zone, self.language)
    }

    /// A stored time's date in the partnership's zone: `7 Dec 2026`.
    pub fn day(&self, stored: &str) -> String {
        lmp_core::time::stored_day_in_words(stored, &self.zone, self.language)
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
            total: crate::http::charts::thousands(paged.total as i64),
            previous: page.previous_offset().map(link),
            next: page.next_offset(paged.total).map(link),
        }
    }

    /// The rows shown, `51–100`.
    pub fn range(&self) -> String {
        format!("{}–{}", self.from, self.to)
    }

    /// The links land at `anchor`: a list far down its page.
    pub fn at(mut self, anchor: &str) -> Pager {
        for link in [&mut self.previous, &mut self.next].into_iter().flatten() {
            link.push('#');
            link.push_str(anchor);
        }
        self
    }
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

async fn app_js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/app.js"),
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

/// After a form: back to `to` with a note of what was done, or — when a
/// rule or a field refused it — back with the reason, so the person can
/// correct it where they were.
pub fn back_to<T>(to: &str, outcome: Result<T, AppError>, done: &str) -> PageResult {
    let (key, message) = match outcome {
        Ok(_) => ("done", done.to_string()),
        Err(e @ (AppError::Rule(_) | AppError::BadRequest(_))) => ("error", e.in_words()),
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
