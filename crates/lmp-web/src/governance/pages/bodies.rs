use crate::auth::session::SignedIn;
use crate::governance::actions;
use crate::http::i18n::refusal;
use crate::http::i18n::{current, tr, tr_with};
use crate::http::{
    back_to, permit, render, with_uploaded_file, AppError, Layout, PageError, PageResult, Pager, PersonRef,
};
use crate::http::{PagePath as Path, PageQuery as Query};
use crate::state::AppState;
use askama::Template;
use axum::extract::Multipart;
use axum::extract::State;
use axum::Form;
use lmp_core::body::{BodyLevel, BodyRole};
use lmp_core::paging::{search_term, Page};
use lmp_core::policy::{authorize, Action};
use lmp_core::Side;
use lmp_store::bodies::BodyFilter;
use lmp_store::model::{Body, Seat};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct BodiesQuery {
    search: Option<String>,
    level: Option<String>,
    /// "1" for only bodies missing a co-lead.
    missing: Option<String>,
    unit: Option<i64>,
    /// "1" to list closed bodies beside the open ones.
    closed: Option<String>,
    offset: Option<u64>,
    /// What a form did, or why it was refused (set by the redirect). Not
    /// flattened: a flattened struct makes every field a string.
    done: Option<String>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "bodies.html")]
struct BodiesPage {
    layout: Layout,
    search: String,
    level: String,
    missing: bool,
    closed: bool,
    levels: Vec<(&'static str, &'static str)>,
    modes: Vec<(&'static str, &'static str)>,
    bodies: Vec<Body>,
    pager: Pager,
    /// May create bodies and take in the bodies and seats files.
    can_manage: bool,
    notice: crate::http::Notice,
}

pub async fn list(state: State<AppState>, who: SignedIn, Query(q): Query<BodiesQuery>) -> PageResult {
    list_bodies(state, who, q, "/bodies").await
}

/// Unit-based teams: the body list at the team level.
pub async fn teams(state: State<AppState>, who: SignedIn, Query(mut q): Query<BodiesQuery>) -> PageResult {
    q.level = Some("team".into());
    list_bodies(state, who, q, "/teams").await
}

async fn list_bodies(State(state): State<AppState>, who: SignedIn, q: BodiesQuery, path: &str) -> PageResult {
    permit(&who, Action::ReadStructure)?;
    let missing = q.missing.as_deref() == Some("1");
    let closed = q.closed.as_deref() == Some("1");
    let filter = BodyFilter {
        level: q.level.clone().filter(|l| !l.is_empty()),
        search: search_term(q.search.as_deref()),
        within_unit: q.unit,
        missing_co_lead: missing,
        include_closed: closed,
    };
    let paged = state
        .store
        .bodies_page(who.actor.partnership_id, &filter, Page::new(None, q.offset))
        .await?;
    let search = filter.search.clone().unwrap_or_default();
    let level = filter.level.clone().unwrap_or_default();
    let pager = Pager::new(
        &paged,
        path,
        &[
            ("search", search.clone()),
            ("level", level.clone()),
            ("missing", if missing { "1".into() } else { String::new() }),
            ("closed", if closed { "1".into() } else { String::new() }),
            ("unit", q.unit.map(|u| u.to_string()).unwrap_or_default()),
        ],
    );
    let title = if level == "team" {
        tr("bodies-title-teams")
    } else {
        tr("bodies-title")
    };
    let layout = Layout::new(&state, &who, title.clone()).await?.crumb(path, title);
    render(&BodiesPage {
        layout,
        search,
        level,
        missing,
        closed,
        levels: BodyLevel::ALL
            .iter()
            .map(|l| (l.as_str(), l.label_in(current())))
            .collect(),
        modes: lmp_core::decision::DecisionMode::ALL
            .iter()
            .map(|m| (m.as_str(), m.label_in(current())))
            .collect(),
        bodies: paged.items,
        pager,
        can_manage: authorize(&who.actor, Action::ManageBodies, who.actor.partnership_id).is_ok(),
        notice: crate::http::Notice {
            done: q.done,
            error: q.error,
        },
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct BodyQuery {
    /// Narrows the members list.
    search: Option<String>,
    offset: Option<u64>,
    /// What a form did, or why it was refused (set by the redirect).
    #[serde(flatten)]
    notice: crate::http::Notice,
}

#[derive(Template)]
#[template(path = "body.html")]
struct BodyPage {
    layout: Layout,
    body: Body,
    level_label: &'static str,
    /// The sides without a co-lead, in words ("Labor or Management").
    missing_labels: String,
    leaders: Vec<(Seat, bool)>,
    members: Vec<(Seat, bool)>,
    pager: Pager,
    balance: lmp_core::body::Balance,
    /// Sides this user may give seats on.
    seat_sides: Vec<(&'static str, &'static str)>,
    /// Sides whose members this user adds as the body's co-lead.
    member_sides: Vec<(&'static str, &'static str)>,
    roles: Vec<(&'static str, &'static str)>,
    notice: crate::http::Notice,
    search: String,
    /// The body's decisions and how each side took part in each.
    decisions: Vec<lmp_store::decisions::DecisionParticipation>,
    /// Share of adopted decisions both sides made jointly, if any were adopted.
    participation_percent: Option<u64>,
    adopted: u64,
    /// (year, percent made jointly, adopted that year), oldest first.
    by_year: Vec<(i16, u64, u64)>,
    can_take_part: bool,
    /// The time limit in force here, in days, and whether it is the body's own.
    limit_days: i64,
    own_limit: bool,
    mode_label: &'static str,
    modes: Vec<(&'static str, &'static str)>,
    /// Two-key changes about this body.
    changes: Vec<lmp_store::joint_changes::JointChangeRow>,
    can_request_change: bool,
    meetings: Vec<lmp_store::body_meetings::CalledMeeting>,
    /// Decisions still open here, to put on an agenda.
    open_decisions: Vec<(i64, String)>,
    today: String,
    /// May rename, move and close it.
    can_manage: bool,
    /// The body it reports to, if any: (id, code, name).
    parent: Option<(i64, String, String)>,
}

/// One body: co-leads (flagged when a side is missing), sponsors, balance,
/// members; and, for those allowed, forms to change its seats.
pub async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<BodyQuery>,
) -> PageResult {
    permit(&who, Action::ReadStructure)?;
    let pid = who.actor.partnership_id;
    let body = state
        .store
        .body(pid, id)
        .await?
        .ok_or(PageError(AppError::NotFound("body")))?;
    let search = search_term(q.search.as_deref()).unwrap_or_default();
    let leaders = state.store.body_leaders(pid, id).await?;
    let members = state
        .store
        .body_members(
            pid,
            id,
            Some(search.as_str()).filter(|s| !s.is_empty()),
            Page::new(None, q.offset),
        )
        .await?;
    let balance = state.store.body_balance(pid, id).await?;
    let participation = state.store.body_participation(pid, id).await?;
    let index = participation.index;
    let decisions = participation.decisions;
    let by_year: Vec<(i16, u64, u64)> = participation
        .by_year
        .iter()
        .map(|(year, i)| (*year, i.percent().unwrap_or(0), i.decisions))
        .collect();
    let mine = crate::http::seats_in_body(&state, &who.actor, id).await?;
    let can_take_part = mine.take_part_permit(&who.actor).is_ok();
    let pager = Pager::new(&members, &format!("/bodies/{id}"), &[("search", search.clone())]);
    let may_change = |side: &str| {
        side.parse::<Side>()
            .is_ok_and(|side| authorize(&who.actor, Action::ChangeSeat { side }, pid).is_ok())
    };
    // A co-lead manages their own side's members, whatever their sign-in's
    // role: the sides the policy allows only as a member's seat.
    let may_change_member = |side: &str| {
        side.parse::<Side>().is_ok_and(|side| {
            let action = Action::ChangeTeamMember {
                seats: mine.seats,
                side,
            };
            authorize(&who.actor, action, pid).is_ok()
        })
    };
    let member_sides: Vec<Side> = Side::ALL
        .into_iter()
        .filter(|side| may_change_member(side.as_str()) && !may_change(side.as_str()))
        .collect();
    let leaders = leaders.into_iter().map(|s| {
        let can = s.role != BodyRole::CoLead.as_str() && may_change(&s.side);
        (s, can)
    });
    let member_rows = members.items.into_iter().map(|s| {
        let can = may_change_member(&s.side);
        (s, can)
    });
    let seat_sides = Side::ALL
        .iter()
        .filter(|side| may_change(side.as_str()))
        .map(|s| (s.as_str(), s.label_in(current())))
        .collect();
    let mut layout = Layout::new(&state, &who, body.name.clone())
        .await?
        .crumb("/org", tr("nav-org"));
    if let Some(unit_id) = body.unit_id {
        for step in state.store.unit_path(pid, unit_id).await? {
            layout = layout.crumb(format!("/org/{}", step.id), step.name);
        }
    }
    layout = layout.crumb(format!("/bodies/{id}"), body.name.clone());
    let level = body.level.parse::<BodyLevel>().unwrap_or(BodyLevel::Team);
    let limits = state.store.escalation_rules(pid).await?;
    let mode_label = body
        .decision_mode
        .parse::<lmp_core::decision::DecisionMode>()
        .map(|m| m.label_in(current()))
        .unwrap_or(lmp_core::decision::DecisionMode::Consensus.label_in(current()));
    let limit_days = limits.days_in_body(level, body.time_limit_days);
    let own_limit = body.time_limit_days.is_some();
    let open_decisions = state
        .store
        .decisions_of_body(pid, id)
        .await?
        .into_iter()
        .filter(|d| d.stage().is_some_and(lmp_core::decision::Stage::is_open))
        .map(|d| (d.id, d.title))
        .collect();
    let parent = match body.parent_id {
        Some(parent_id) => state.store.body(pid, parent_id).await?.map(|p| (p.id, p.code, p.name)),
        None => None,
    };
    let missing_labels = crate::http::i18n::sides_lacking_co_lead(&body.missing_co_lead);
    render(&BodyPage {
        layout,
        level_label: body
            .level
            .parse::<BodyLevel>()
            .map(|x| x.label_in(current()))
            .unwrap_or(""),
        missing_labels,
        body,
        leaders: leaders.collect(),
        members: member_rows.collect(),
        pager,
        balance,
        seat_sides,
        member_sides: member_sides
            .iter()
            .map(|s| (s.as_str(), s.label_in(current())))
            .collect(),
        // Co-leads change with two keys, in their own form.
        roles: BodyRole::ALL
            .iter()
            .filter(|r| **r != BodyRole::CoLead)
            .map(|r| (r.as_str(), r.label_in(current())))
            .collect(),
        notice: q.notice,
        decisions,
        participation_percent: index.percent(),
        adopted: index.decisions,
        by_year,
        can_take_part,
        search,
        limit_days,
        own_limit,
        mode_label,
        modes: lmp_core::decision::DecisionMode::ALL
            .iter()
            .map(|m| (m.as_str(), m.label_in(current())))
            .collect(),
        changes: state
            .store
            .joint_changes(pid, Some(lmp_store::joint_changes::ChangeTarget::Body(id)), 20)
            .await?,
        can_request_change: authorize(&who.actor, Action::RequestJointChange, pid).is_ok(),
        meetings: state.store.called_meetings_of(pid, id, lmp_store::today()).await?,
        open_decisions,
        today: lmp_store::today().to_string(),
        can_manage: authorize(&who.actor, Action::ManageBodies, pid).is_ok(),
        parent,
    })
}

#[derive(Debug, Deserialize)]
pub struct SeatForm {
    csrf: String,
    /// An employee number, as people know each other by it.
    employee_no: String,
    role: String,
    side: String,
}

pub async fn add_seat(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<SeatForm>,
) -> PageResult {
    who.check_csrf(&form.csrf)?;
    let person = PersonRef::EmployeeNo(&form.employee_no);
    let outcome = actions::add_seat(&state, &who.actor, id, person, &form.role, &form.side).await;
    back_to(&format!("/bodies/{id}"), outcome, &tr("done-seat-added"))
}

pub async fn remove_seat(
    State(state): State<AppState>,
    who: SignedIn,
    Path((id, seat_id)): Path<(i64, i64)>,
    Form(form): Form<crate::http::CsrfForm>,
) -> PageResult {
    who.check_csrf(&form.csrf)?;
    let outcome = actions::remove_seat(&state, &who.actor, id, seat_id).await;
    back_to(&format!("/bodies/{id}"), outcome, &tr("done-seat-removed"))
}

/// The new-body form: units and parents named by code, as people know them.
#[derive(Debug, Deserialize)]
pub struct NewBodyForm {
    csrf: String,
    code: String,
    level: String,
    name: String,
    #[serde(default)]
    unit_code: String,
    #[serde(default)]
    parent_code: String,
    #[serde(default)]
    decides: String,
}

/// A code typed in a form, resolved in this partnership; empty is none.
async fn unit_by_code(state: &AppState, pid: i64, code: &str) -> Result<Option<i64>, AppError> {
    match code.trim() {
        "" => Ok(None),
        code => match state.store.unit_id_by_code(pid, code).await? {
            Some(id) => Ok(Some(id)),
            None => Err(AppError::BadRequest(refusal(
                "error-no-unit-code",
                &[("code", code.to_string())],
            ))),
        },
    }
}

async fn body_by_code(state: &AppState, pid: i64, code: &str) -> Result<Option<i64>, AppError> {
    match code.trim() {
        "" => Ok(None),
        code => match state.store.body_id_by_code(pid, code).await? {
            Some(id) => Ok(Some(id)),
            None => Err(AppError::BadRequest(refusal(
                "refused-no-body-code",
                &[("code", code.to_string())],
            ))),
        },
    }
}

pub async fn create(State(state): State<AppState>, who: SignedIn, Form(form): Form<NewBodyForm>) -> PageResult {
    who.check_csrf(&form.csrf)?;
    let pid = who.actor.partnership_id;
    let outcome = async {
        let input = actions::BodyInput {
            code: form.code,
            level: form.level,
            name: form.name,
            unit_id: unit_by_code(&state, pid, &form.unit_code).await?,
            parent_id: body_by_code(&state, pid, &form.parent_code).await?,
            decides: Some(form.decides),
        };
        actions::create_body(&state, &who.actor, input).await
    }
    .await;
    match outcome {
        Ok(body) => back_to(
            &format!("/bodies/{}", body.id),
            Ok(()),
            &tr("done-created-now-seat-its-coleads"),
        ),
        Err(e) => back_to("/bodies", Err::<(), _>(e), ""),
    }
}

/// Rename or move: the form sends the name and the parent's code (empty
/// for none) as they stand, changed or not.
#[derive(Debug, Deserialize)]
pub struct ChangeBodyForm {
    csrf: String,
    name: String,
    #[serde(default)]
    parent_code: String,
}

pub async fn change(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<ChangeBodyForm>,
) -> PageResult {
    who.check_csrf(&form.csrf)?;
    let pid = who.actor.partnership_id;
    let outcome = async {
        let change = lmp_store::structure::BodyChange {
            name: Some(form.name),
            parent_id: Some(body_by_code(&state, pid, &form.parent_code).await?),
        };
        actions::change_body(&state, &who.actor, id, change).await
    }
    .await;
    back_to(&format!("/bodies/{id}"), outcome, &tr("done-saved"))
}

pub async fn close(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<crate::http::CsrfForm>,
) -> PageResult {
    who.check_csrf(&form.csrf)?;
    let outcome = actions::close_body(&state, &who.actor, id).await;
    back_to(
        &format!("/bodies/{id}"),
        outcome,
        &tr("done-closed-its-seats-ended-and"),
    )
}

pub async fn import_bodies(State(state): State<AppState>, who: SignedIn, form: Multipart) -> PageResult {
    import_file(&state, &who, form, actions::StructureFile::Bodies).await
}

pub async fn import_seats(State(state): State<AppState>, who: SignedIn, form: Multipart) -> PageResult {
    import_file(&state, &who, form, actions::StructureFile::Seats).await
}

/// Either file from the bodies page, streamed to disk as it arrives.
async fn import_file(state: &AppState, who: &SignedIn, form: Multipart, what: actions::StructureFile) -> PageResult {
    let outcome = with_uploaded_file(who, form, "CSV", "upload.csv", async |upload, file| {
        actions::import_structure(state, &who.actor, what, &upload.file_name, file).await
    })
    .await?;
    let done = match &outcome {
        Ok(report) => imported_message(report),
        Err(_) => String::new(),
    };
    back_to("/bodies", outcome, &done)
}

/// "Taken in: …", naming a few of the bodies left without a co-lead.
fn imported_message(report: &lmp_store::structure::import::StructureReport) -> String {
    const NAMED: usize = 5;
    let counts = &report.counts;
    let mut message = tr_with(
        "done-structure-taken",
        &[
            ("rows", counts.rows.to_string()),
            ("inserted", counts.inserted.to_string()),
            ("updated", counts.updated.to_string()),
            ("unchanged", counts.unchanged.to_string()),
        ],
    );
    if !report.missing_co_lead.is_empty() {
        let named: Vec<&str> = report
            .missing_co_lead
            .iter()
            .take(NAMED)
            .map(|m| m.code.as_str())
            .collect();
        let more = report.missing_co_lead.len().saturating_sub(NAMED);
        let missing = report.missing_co_lead.len().to_string();
        let named = named.join(", ");
        let without = if more > 0 {
            tr_with(
                "done-bodies-without-more",
                &[("bodies", missing), ("named", named), ("more", more.to_string())],
            )
        } else {
            tr_with("done-bodies-without", &[("bodies", missing), ("named", named)])
        };
        message = format!("{message} {without}");
    }
    message
}
