use crate::auth::session::SignedIn;
use crate::http::i18n::tr;
use crate::http::PageQuery as Query;
use crate::http::{permit, render, Layout, PageResult, Pager};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use lmp_core::paging::Page;
use lmp_core::policy::Action;
use lmp_store::model::AuditRow;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    entity: Option<String>,
    entity_id: Option<String>,
    offset: Option<u64>,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    layout: Layout,
    entity: String,
    entity_id: String,
    rows: Vec<AuditRow>,
    pager: Pager,
}

/// Who changed what, newest first; filter to one body, person or unit.
pub async fn list(State(state): State<AppState>, who: SignedIn, Query(q): Query<AuditQuery>) -> PageResult {
    permit(&who, Action::ReadAudit)?;
    let entity = q.entity.clone().unwrap_or_default();
    let entity_id = q.entity_id.clone().unwrap_or_default().trim().to_string();
    let filter = (!entity.is_empty() && !entity_id.is_empty()).then_some((entity.as_str(), entity_id.as_str()));
    let paged = state
        .store
        .audit_page(who.actor.partnership_id, filter, Page::new(None, q.offset))
        .await?;
    let pager = Pager::new(
        &paged,
        "/audit",
        &[("entity", entity.clone()), ("entity_id", entity_id.clone())],
    );
    let layout = Layout::new(&state, &who, tr("audit-title"))
        .await?
        .crumb("/audit", tr("audit-title"));
    render(&AuditPage {
        layout,
        entity,
        entity_id,
        rows: paged.items,
        pager,
    })
}
