use crate::auth::session::SignedIn;
use crate::http::i18n::tr;
use crate::http::{permit, render, AppError, Layout, ListQuery, PageError, PageResult, Pager};
use crate::http::{PagePath as Path, PageQuery as Query};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use lmp_core::paging::{search_term, Page};
use lmp_core::policy::Action;
use lmp_store::model::{Local, Person, StandingRole, Unit};
use lmp_store::org::UnitFilter;
use lmp_store::people::PeopleFilter;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "locals.html")]
struct LocalsPage {
    layout: Layout,
    search: String,
    locals: Vec<Local>,
    pager: Pager,
}

pub async fn list(State(state): State<AppState>, who: SignedIn, Query(q): Query<ListQuery>) -> PageResult {
    permit(&who, Action::ReadStructure)?;
    let paged = state
        .store
        .locals_page(who.actor.partnership_id, q.search().as_deref(), q.page())
        .await?;
    let pager = Pager::new(&paged, "/locals", &[("search", q.search_text())]);
    let layout = Layout::new(&state, &who, tr("nav-locals"))
        .await?
        .crumb("/locals", tr("nav-locals"));
    render(&LocalsPage {
        layout,
        search: q.search_text(),
        locals: paged.items,
        pager,
    })
}

/// A facility as a picker names it: "Oakland Medical Center, Northern California".
fn place_name(unit: &Unit) -> String {
    match &unit.parent_name {
        Some(region) => format!("{}, {region}", unit.name),
        None => unit.name.clone(),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct LocalQuery {
    search: Option<String>,
    /// Only members in this facility (or any unit).
    facility: Option<i64>,
    offset: Option<u64>,
    stewards_offset: Option<u64>,
}

#[derive(Template)]
#[template(path = "local.html")]
struct LocalPage {
    layout: Layout,
    local: Local,
    search: String,
    facility: i64,
    /// (id, name with its region): two regions may each have a facility of
    /// the same name.
    facilities: Vec<(i64, String)>,
    members: Vec<Person>,
    pager: Pager,
    stewards: Vec<StandingRole>,
    stewards_pager: Pager,
}

/// A local: its members (in one facility, for a steward), and its stewards.
pub async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<LocalQuery>,
) -> PageResult {
    permit(&who, Action::ReadStructure)?;
    permit(&who, Action::ReadPeople)?;
    let pid = who.actor.partnership_id;
    let local = state
        .store
        .local(pid, id)
        .await?
        .ok_or(PageError(AppError::NotFound("local")))?;
    let search = search_term(q.search.as_deref());
    let facility = q.facility.filter(|f| *f > 0);
    let filter = PeopleFilter {
        search: search.clone(),
        kind: None,
        local_id: Some(id),
        within_unit: facility,
    };
    let paged = state.store.people_page(pid, &filter, Page::new(None, q.offset)).await?;
    let pager = Pager::new(
        &paged,
        &format!("/locals/{id}"),
        &[
            ("search", search.clone().unwrap_or_default()),
            ("facility", facility.map(|f| f.to_string()).unwrap_or_default()),
        ],
    );
    let mut facilities = Vec::new();
    for kind in ["hospital", "medical_office"] {
        let f = UnitFilter {
            kind: Some(kind.into()),
            ..Default::default()
        };
        facilities.extend(state.store.units_page(pid, &f, Page::new(Some(500), None)).await?.items);
    }
    let mut facilities: Vec<(i64, String)> = facilities.iter().map(|u| (u.id, place_name(u))).collect();
    facilities.sort_by(|a, b| a.1.cmp(&b.1));
    let stewards = state
        .store
        .stewards_of_local(pid, id, facility, Page::new(None, q.stewards_offset))
        .await?;
    let stewards_pager = Pager::named(
        &stewards,
        &format!("/locals/{id}"),
        &[
            ("search", search.clone().unwrap_or_default()),
            ("facility", facility.map(|f| f.to_string()).unwrap_or_default()),
        ],
        "stewards_offset",
    );
    let layout = Layout::new(&state, &who, local.name.clone())
        .await?
        .crumb("/locals", tr("nav-locals"))
        .crumb(format!("/locals/{id}"), local.name.clone());
    render(&LocalPage {
        layout,
        local,
        search: search.unwrap_or_default(),
        facility: facility.unwrap_or(0),
        facilities,
        members: paged.items,
        pager,
        stewards: stewards.items,
        stewards_pager,
    })
}
