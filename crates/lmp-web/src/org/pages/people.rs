use crate::auth::session::SignedIn;
use crate::http::i18n::refusal;
use crate::http::i18n::{current, tr};
use crate::http::{
    back_to, permit, render, with_uploaded_file, AppError, Layout, PageError, PageResult, Pager, PersonRef,
};
use crate::http::{PagePath as Path, PageQuery as Query};
use crate::org::actions;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, State};
use axum::Form;
use lmp_core::paging::{search_term, Page};
use lmp_core::person::PersonKind;
use lmp_core::person::StandingRole as CoreStandingRole;
use lmp_core::policy::{authorize, Action};
use lmp_store::model::{Person, Seat, StandingRole};
use lmp_store::people::PeopleFilter;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct PeopleQuery {
    search: Option<String>,
    kind: Option<String>,
    local: Option<i64>,
    unit: Option<i64>,
    offset: Option<u64>,
    // Not a flattened Notice: flattening would read the numbers as text.
    done: Option<String>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    layout: Layout,
    search: String,
    kind: String,
    local: String,
    unit: String,
    kinds: Vec<&'static str>,
    people: Vec<Person>,
    pager: Pager,
    /// May this user take in the nightly HR file?
    can_sync: bool,
    notice: crate::http::Notice,
}

/// The people directory: one search box, filters, a page at a time.
pub async fn list(State(state): State<AppState>, who: SignedIn, Query(q): Query<PeopleQuery>) -> PageResult {
    permit(&who, Action::ReadPeople)?;
    let filter = PeopleFilter {
        search: search_term(q.search.as_deref()),
        kind: q.kind.clone().filter(|k| !k.is_empty()),
        local_id: q.local,
        within_unit: q.unit,
    };
    let paged = state
        .store
        .people_page(who.actor.partnership_id, &filter, Page::new(None, q.offset))
        .await?;
    let search = filter.search.clone().unwrap_or_default();
    let kind = filter.kind.clone().unwrap_or_default();
    let local = q.local.map(|l| l.to_string()).unwrap_or_default();
    let unit = q.unit.map(|u| u.to_string()).unwrap_or_default();
    let pager = Pager::new(
        &paged,
        "/people",
        &[
            ("search", search.clone()),
            ("kind", kind.clone()),
            ("local", local.clone()),
            ("unit", unit.clone()),
        ],
    );
    let layout = Layout::new(&state, &who, tr("nav-people"))
        .await?
        .crumb("/people", tr("nav-people"));
    render(&PeoplePage {
        layout,
        search,
        kind,
        local,
        unit,
        kinds: PersonKind::ALL.iter().map(|k| k.as_str()).collect(),
        people: paged.items,
        pager,
        can_sync: authorize(&who.actor, Action::Import, who.actor.partnership_id).is_ok(),
        notice: crate::http::Notice {
            done: q.done,
            error: q.error,
        },
    })
}

/// Leavers' co-lead seats named in the page's message; the rest counted.
const VACANCIES_NAMED: usize = 3;

/// The nightly HR file from the people page, spooled to disk as it arrives:
/// a dry run first says what would change.
pub async fn sync(State(state): State<AppState>, who: SignedIn, form: Multipart) -> PageResult {
    let outcome = with_uploaded_file(&who, form, "people", "people.csv", async |upload, file| {
        let report = actions::sync_people(&state, &who.actor, &upload.file_name, file, upload.dry_run).await?;
        Ok((upload.file_name, report))
    })
    .await?;
    let done = match &outcome {
        Ok((file_name, report)) => report.summary(file_name, VACANCIES_NAMED, current()).join(" "),
        Err(_) => String::new(),
    };
    back_to("/people#sync", outcome, &done)
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    layout: Layout,
    person: Person,
    kind_label: &'static str,
    seats: Vec<Seat>,
    standing: Vec<StandingRole>,
    /// Classes completed: (class name, day, source).
    classes: Vec<(String, String, String)>,
    /// May this user give and take this person's standing roles?
    can_change_roles: bool,
    csrf: String,
    notice: crate::http::Notice,
}

#[derive(Debug, Default, Deserialize)]
pub struct PersonQuery {
    #[serde(flatten)]
    notice: crate::http::Notice,
}

/// One person: their local, their unit, every seat and standing role.
pub async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<PersonQuery>,
) -> PageResult {
    permit(&who, Action::ReadPeople)?;
    let pid = who.actor.partnership_id;
    let person = state
        .store
        .person(pid, id)
        .await?
        .ok_or(PageError(AppError::NotFound("person")))?;
    let seats = state.store.seats_of_person(pid, id).await?;
    let standing = state.store.standing_roles_of_person(pid, id).await?;
    let classes = state
        .store
        .completions_of(pid, id)
        .await?
        .into_iter()
        .map(|c| {
            (
                lmp_core::training::class_label(&c.class, current()),
                c.completed_on,
                c.source,
            )
        })
        .collect();
    let layout = Layout::new(&state, &who, person.name.clone())
        .await?
        .crumb("/people", tr("nav-people"))
        .crumb(format!("/people/{id}"), person.name.clone());
    render(&PersonPage {
        layout,
        kind_label: person
            .kind
            .parse::<PersonKind>()
            .map(|x| x.label_in(current()))
            .unwrap_or(""),
        can_change_roles: person.kind == PersonKind::UnionMember.as_str()
            && permit(
                &who,
                Action::ChangeSeat {
                    side: CoreStandingRole::SIDE,
                },
            )
            .is_ok(),
        csrf: who.csrf.clone(),
        notice: q.notice,
        person,
        seats,
        standing,
        classes,
    })
}

#[derive(Debug, Deserialize)]
pub struct RoleForm {
    csrf: String,
    role: String,
    /// Where the role serves, by unit code.
    unit_code: String,
    /// For a Labor Partner: the manager's employee number.
    partner_employee_no: Option<String>,
}

pub async fn add_role(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<RoleForm>,
) -> PageResult {
    who.check_csrf(&form.csrf)?;
    let outcome = async {
        let code = form.unit_code.trim();
        let unit_id = match code {
            "" => None,
            code => Some(
                state
                    .store
                    .unit_id_by_code(who.actor.partnership_id, code)
                    .await?
                    .ok_or_else(|| AppError::Rule(refusal("error-no-unit-code", &[("code", code.to_string())])))?,
            ),
        };
        let partner = form
            .partner_employee_no
            .as_deref()
            .filter(|no| !no.trim().is_empty())
            .map(PersonRef::EmployeeNo);
        actions::add_standing_role(&state, &who.actor, id, &form.role, unit_id, partner).await
    }
    .await;
    back_to(&format!("/people/{id}"), outcome, &tr("done-role-given"))
}

pub async fn remove_role(
    State(state): State<AppState>,
    who: SignedIn,
    Path((id, role_id)): Path<(i64, i64)>,
    Form(form): Form<crate::http::CsrfForm>,
) -> PageResult {
    who.check_csrf(&form.csrf)?;
    let outcome = actions::remove_standing_role(&state, &who.actor, id, role_id).await;
    back_to(&format!("/people/{id}"), outcome, &tr("done-role-removed"))
}
