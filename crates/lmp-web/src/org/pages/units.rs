use crate::auth::session::SignedIn;
use crate::http::i18n::{current, tr};
use crate::http::{permit, render, AppError, Layout, ListQuery, PageError, PageResult, Pager};
use crate::http::{PagePath as Path, PageQuery as Query};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use lmp_core::org::UnitKind;
use lmp_core::paging::Page;
use lmp_core::policy::Action;
use lmp_store::bodies::BodyFilter;
use lmp_store::model::{Body, Unit};
use lmp_store::org::UnitFilter;

#[derive(Template)]
#[template(path = "org.html")]
struct OrgPage {
    layout: Layout,
    search: String,
    units: Vec<(Unit, &'static str)>,
    pager: Pager,
}

fn kind_label(kind: &str) -> &'static str {
    kind.parse::<UnitKind>().map(|x| x.label_in(current())).unwrap_or("")
}

/// The org browser's top: the regions, or every unit matching a search.
pub async fn list(State(state): State<AppState>, who: SignedIn, Query(q): Query<ListQuery>) -> PageResult {
    permit(&who, Action::ReadStructure)?;
    let search = q.search();
    let filter = UnitFilter {
        kind: if search.is_none() { Some("region".into()) } else { None },
        parent_id: None,
        search: search.clone(),
    };
    let paged = state
        .store
        .units_page(who.actor.partnership_id, &filter, q.page())
        .await?;
    let pager = Pager::new(&paged, "/org", &[("search", q.search_text())]);
    let units = paged.items.into_iter().map(|u| {
        let label = kind_label(&u.kind);
        (u, label)
    });
    let layout = Layout::new(&state, &who, tr("nav-org"))
        .await?
        .crumb("/org", tr("nav-org"));
    render(&OrgPage {
        layout,
        search: q.search_text(),
        units: units.collect(),
        pager,
    })
}

#[derive(Template)]
#[template(path = "unit.html")]
struct UnitPage {
    layout: Layout,
    unit: Unit,
    kind_label: &'static str,
    is_union: bool,
    search: String,
    children: Vec<(Unit, &'static str)>,
    pager: Pager,
    bodies: Vec<Body>,
    bodies_total: u64,
}

/// One unit: where it sits, what is below it, its bodies and its people.
pub async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> PageResult {
    permit(&who, Action::ReadStructure)?;
    let pid = who.actor.partnership_id;
    let unit = state
        .store
        .unit(pid, id)
        .await?
        .ok_or(PageError(AppError::NotFound("unit")))?;
    let path = state.store.unit_path(pid, id).await?;
    let filter = UnitFilter {
        kind: None,
        parent_id: Some(id),
        search: q.search(),
    };
    let paged = state.store.units_page(pid, &filter, q.page()).await?;
    let pager = Pager::new(&paged, &format!("/org/{id}"), &[("search", q.search_text())]);
    let children = paged.items.into_iter().map(|u| {
        let label = kind_label(&u.kind);
        (u, label)
    });
    let bodies_filter = BodyFilter {
        within_unit: Some(id),
        ..Default::default()
    };
    let bodies = state
        .store
        .bodies_page(pid, &bodies_filter, Page::new(Some(20), None))
        .await?;
    let mut layout = Layout::new(&state, &who, unit.name.clone())
        .await?
        .crumb("/org", tr("nav-org"));
    for step in &path {
        layout = layout.crumb(format!("/org/{}", step.id), step.name.clone());
    }
    let kind = unit.kind.parse::<UnitKind>().ok();
    render(&UnitPage {
        layout,
        kind_label: kind_label(&unit.kind),
        is_union: kind.is_some_and(UnitKind::is_union),
        unit,
        search: q.search_text(),
        children: children.collect(),
        pager,
        bodies_total: bodies.total,
        bodies: bodies.items,
    })
}
