//! A team's own page — what it owes, its Path to Performance level and what
//! stands before the next, its savings side by side, projects, meetings and
//! charter — and each person's page of the teams they lead or sponsor.

use crate::auth::session::SignedIn;
use crate::http::i18n::current;
use crate::http::i18n::{tr, tr_with};
use crate::http::{back_to, permit, render, AppError, Fields, Layout, Notice, PageError, PageResult};
use crate::http::{PagePath as Path, PageQuery as Query};
use crate::state::AppState;
use crate::teams::actions::{self, MeetingInput, ProjectInput};
use askama::Template;
use axum::extract::RawForm;
use axum::extract::State;
use lmp_core::improvement::{CompassPoint, Direction};
use lmp_core::language::Language;
use lmp_core::paging::Page;
use lmp_core::path::{level_name_in, Rating};
use lmp_core::policy::Action;
use lmp_core::savings::{still_needed, Signature};
use lmp_core::team::MeetingKind;
use lmp_core::Cents;
use lmp_store::model::Seat;
use lmp_store::teams::meetings::Meeting;
use lmp_store::teams::projects::Project;
use lmp_store::teams::rating::MonthRating;
use lmp_store::teams::savings::{Claim, SavingsTotals};
use lmp_store::teams::{LedTeam, Team};
use serde::Deserialize;

/// A claim with where it stands and whether this person may sign it now.
pub struct ClaimView {
    pub claim: Claim,
    pub status: String,
    pub can_sign: bool,
}

/// Claims with their standing, for the team and project pages.
pub fn claim_views(claims: Vec<Claim>, signatures: &[(i64, Signature)], signer: Option<i64>) -> Vec<ClaimView> {
    claims
        .into_iter()
        .map(|claim| {
            let signed: Vec<Signature> = signatures
                .iter()
                .filter(|(id, _)| *id == claim.id)
                .map(|(_, s)| *s)
                .collect();
            let status = if let Some(by) = claim.corrected_by_id {
                tr_with("claim-replaced-by", &[("claim", by.to_string())])
            } else if claim.verified_at.is_some() {
                tr("claim-verified")
            } else {
                let needed = still_needed(&signed, crate::http::i18n::current()).unwrap_or_default();
                tr_with("claim-awaiting", &[("needed", needed)])
            };
            let can_sign = signer.is_some_and(|me| {
                claim.counts() && claim.verified_at.is_none() && !signed.iter().any(|s| s.person_id == me)
            });
            ClaimView {
                claim,
                status,
                can_sign,
            }
        })
        .collect()
}

pub struct RatingView {
    pub level: u8,
    pub name: &'static str,
    pub next_name: &'static str,
    pub dimensions: Vec<(&'static str, u8)>,
    pub gaps: Vec<String>,
    /// (level, dimension, criterion, met), every rule.
    pub criteria: Vec<(u8, &'static str, String, bool)>,
}

impl RatingView {
    pub fn new(rating: &Rating, language: Language) -> RatingView {
        RatingView {
            level: rating.level,
            name: rating.name_in(language),
            next_name: level_name_in(rating.level + 1, language),
            dimensions: rating
                .dimensions
                .iter()
                .map(|(d, l)| (d.label_in(language), *l))
                .collect(),
            gaps: rating
                .next_level_gaps()
                .iter()
                .map(|c| c.criterion.describe_in(language))
                .collect(),
            criteria: rating
                .criteria
                .iter()
                .map(|c| {
                    (
                        c.level,
                        c.dimension.label_in(language),
                        c.criterion.describe_in(language),
                        c.met,
                    )
                })
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "team.html")]
struct TeamPage {
    layout: Layout,
    notice: Notice,
    team: Team,
    /// The sides without a co-lead, in words ("Labor or Management").
    missing: String,
    rating: RatingView,
    history_chart: String,
    history: Vec<MonthRating>,
    totals: SavingsTotals,
    claims: Vec<ClaimView>,
    projects: Vec<Project>,
    stale_projects: usize,
    meetings: Vec<Meeting>,
    leaders: Vec<Seat>,
    members: Vec<Seat>,
    can_run: bool,
    /// Open the meeting form as the page loads.
    record_open: bool,
    /// The newest active project, for the "add a measurement" shortcut.
    current_project: Option<i64>,
    is_sponsor: bool,
    today: String,
    last_meeting_days: Option<i64>,
    sections: Vec<(&'static str, &'static str, String)>,
    kinds: Vec<(&'static str, &'static str)>,
}

fn cents(c: i64) -> String {
    Cents(c).whole_dollars()
}

impl TeamPage {
    fn money(&self, c: &i64) -> String {
        cents(*c)
    }

    fn is_champion(&self, person: &i64) -> bool {
        self.team.health_safety_champion_id == Some(*person)
    }
}

/// The team page's query: the notice a form leaves, and whether to open the
/// meeting form at once (the "Record a huddle" button).
#[derive(Debug, Default, Deserialize)]
pub struct TeamQuery {
    #[serde(flatten)]
    notice: Notice,
    record: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Query(TeamQuery { notice, record }): Query<TeamQuery>,
) -> PageResult {
    permit(&who, Action::ReadStructure)?;
    let pid = who.actor.partnership_id;
    let team = state
        .store
        .team(pid, id)
        .await?
        .ok_or(PageError(AppError::NotFound("team")))?;
    let body = state
        .store
        .body(pid, id)
        .await?
        .ok_or(PageError(AppError::NotFound("team")))?;
    let today = lmp_store::today();
    let rating = state
        .store
        .rate_team(pid, id, &state.store.team_rules(pid).await?.path, today)
        .await?;
    let history = state.store.level_history(pid, id).await?;
    let chart_months: Vec<(String, i64)> = history.iter().map(|h| (h.month.clone(), h.computed_level)).collect();
    let totals = state.store.savings_of_team(pid, id).await?;
    let mine = crate::http::seats_in_body(&state, &who.actor, id).await?;
    let can_run = mine.run_permit(&who.actor).is_ok();
    let signer = mine.sign_permit(&who.actor).ok().map(|(_, person)| person);
    let is_sponsor = mine.seats.sponsors();
    let signatures = state.store.claim_signatures_of_team(pid, id).await?;
    let claims = claim_views(state.store.claims_of_team(pid, id).await?, &signatures, signer);
    let projects = state.store.projects_of_team(pid, id).await?;
    let stale_after = today.saturating_sub(jiff::Span::new().days(90)).to_string();
    let stale_projects = projects
        .iter()
        .filter(|p| {
            p.status
                .parse::<lmp_core::improvement::ProjectStatus>()
                .is_ok_and(|s| s.is_active())
        })
        .filter(|p| p.last_documented_on < stale_after)
        .count();
    let meetings = state.store.meetings_of_team(pid, id, 10).await?;
    let meetings_empty = meetings.is_empty();
    let current_project = projects
        .iter()
        .find(|p| {
            p.status
                .parse::<lmp_core::improvement::ProjectStatus>()
                .is_ok_and(|s| s.is_active())
        })
        .map(|p| p.id);
    let last_meeting_days = meetings
        .first()
        .and_then(|m| m.held_on.parse::<jiff::civil::Date>().ok())
        .map(|d| (today - d).get_days() as i64);
    let leaders = state.store.body_leaders(pid, id).await?;
    let members = state
        .store
        .body_members(pid, id, None, Page::new(Some(500), None))
        .await?
        .items;
    let language = crate::http::i18n::current();
    let missing = crate::http::i18n::sides_lacking_co_lead(&body.missing_co_lead);
    let sections = team
        .charter()
        .into_iter()
        .map(|(s, text)| (s.as_str(), s.label_in(language), text.to_string()))
        .collect();
    let mut layout = Layout::new(&state, &who, team.name.clone())
        .await?
        .crumb("/org", tr("nav-org"));
    if let Some(unit_id) = team.unit_id {
        for step in state.store.unit_path(pid, unit_id).await? {
            layout = layout.crumb(format!("/org/{}", step.id), step.name);
        }
    }
    layout = layout.crumb(format!("/teams/{id}"), team.name.clone());
    render(&TeamPage {
        layout,
        notice,
        history_chart: crate::http::charts::level_history(&tr("team-chart-levels"), &chart_months),
        history: history.into_iter().rev().take(12).collect(),
        rating: RatingView::new(&rating, language),
        team,
        missing,
        totals,
        claims,
        projects,
        stale_projects,
        meetings,
        leaders,
        members,
        record_open: record.is_some() || meetings_empty,
        current_project,
        can_run,
        is_sponsor,
        today: today.to_string(),
        last_meeting_days,
        sections,
        kinds: MeetingKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_in(language)))
            .collect(),
    })
}

fn team_url(id: i64) -> String {
    format!("/teams/{id}")
}

pub async fn charter(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let outcome = actions::set_charter(&state, &who.actor, id, f.one("section"), f.one("text")).await;
    back_to(&format!("{}#charter", team_url(id)), outcome, &tr("done-charter-saved"))
}

pub async fn champion(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let outcome = match f.optional_id("person_id") {
        Ok(person) => actions::set_champion(&state, &who.actor, id, person).await,
        Err(e) => Err(e),
    };
    back_to(&team_url(id), outcome, &tr("done-health-and-safety-champion-saved"))
}

pub async fn meeting(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let outcome = async {
        let input = MeetingInput {
            kind: f.one("kind").to_string(),
            held_on: f.one("held_on").to_string(),
            run_by: f.optional_id("run_by")?,
            attendees: f.ids("attendee")?,
            notes: f.one("notes").to_string(),
        };
        actions::record_meeting(&state, &who.actor, id, input).await
    }
    .await;
    back_to(&team_url(id), outcome, &tr("done-meeting-recorded"))
}

pub async fn assessment(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let outcome = match f.one("level").parse::<u8>() {
        Ok(level) => actions::self_assess(&state, &who.actor, id, level).await,
        Err(_) => Err(AppError::BadRequest(crate::http::i18n::refusal(
            "refused-choose-level",
            &[],
        ))),
    };
    back_to(
        &format!("{}#path", team_url(id)),
        outcome,
        &tr("done-selfassessment-recorded-a-sponsor-confirms"),
    )
}

pub async fn review(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let confirm = f.one("decision") == "confirm";
    let outcome = actions::sponsor_review(&state, &who.actor, id, confirm, f.one("note")).await;
    back_to(
        &format!("{}#path", team_url(id)),
        outcome,
        &tr("done-sponsor-review-recorded"),
    )
}

#[derive(Template)]
#[template(path = "project_new.html")]
struct NewProjectPage {
    layout: Layout,
    notice: Notice,
    team: Team,
    compass: Vec<(&'static str, &'static str)>,
    directions: Vec<(&'static str, &'static str)>,
    today: String,
}

pub async fn new_project(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Query(notice): Query<Notice>,
) -> PageResult {
    let pid = who.actor.partnership_id;
    let team = state
        .store
        .team(pid, id)
        .await?
        .ok_or(PageError(AppError::NotFound("team")))?;
    actions::run_permit(&state, &who.actor, id).await?;
    let layout = Layout::new(&state, &who, tr("new-project-title"))
        .await?
        .crumb(team_url(id), team.name.clone())
        .crumb(format!("/teams/{id}/projects/new"), tr("new-project-title"));
    render(&NewProjectPage {
        layout,
        notice,
        team,
        compass: CompassPoint::ALL
            .iter()
            .map(|c| (c.as_str(), c.label_in(current())))
            .collect(),
        directions: Direction::ALL
            .iter()
            .map(|d| (d.as_str(), d.label_in(current())))
            .collect(),
        today: lmp_store::today().to_string(),
    })
}

pub async fn create_project(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let outcome = async {
        let balancing = f
            .all("balancing_name")
            .into_iter()
            .zip(f.all("balancing_unit"))
            .zip(f.all("balancing_direction"))
            .filter(|((name, _), _)| !name.trim().is_empty())
            .map(|((name, unit), direction)| actions::BalancingInput {
                name: name.to_string(),
                unit: unit.to_string(),
                direction: direction.to_string(),
            })
            .collect();
        let input = ProjectInput {
            title: f.one("title").to_string(),
            compass: f.all("compass").into_iter().map(String::from).collect(),
            aim: f.one("aim").to_string(),
            how_we_know: f.one("how_we_know").to_string(),
            change_idea: f.one("change_idea").to_string(),
            measure: f.one("measure").to_string(),
            unit: f.one("unit").to_string(),
            baseline: f.number("baseline", "field-baseline")?,
            target: f.number("target", "field-target")?,
            target_date: f.one("target_date").to_string(),
            started_on: Some(f.one("started_on").to_string()),
            balancing,
            adopted_from: None,
        };
        actions::create_project(&state, &who.actor, id, input).await
    }
    .await;
    match outcome {
        Ok(project) => back_to(
            &format!("/projects/{}", project.id),
            Ok::<_, AppError>(()),
            &tr("done-project-started"),
        ),
        Err(e) => back_to::<()>(&format!("/teams/{id}/projects/new"), Err(e), ""),
    }
}

#[derive(Template)]
#[template(path = "my_teams.html")]
struct MyTeamsPage {
    layout: Layout,
    linked: bool,
    /// Decisions in the person's bodies that await their stance.
    awaiting: Vec<lmp_store::decisions::Decision>,
    teams: Vec<(LedTeam, Vec<String>, bool)>,
}

impl MyTeamsPage {
    fn level_name(&self, level: &i64) -> &'static str {
        level_name_in((*level).clamp(0, 5) as u8, self.layout.language)
    }
}

/// The teams this person co-leads or sponsors: levels, what blocks each
/// from the next, which went quiet, which have claims to sign.
pub async fn mine(State(state): State<AppState>, who: SignedIn) -> PageResult {
    permit(&who, Action::ReadStructure)?;
    let pid = who.actor.partnership_id;
    let today = lmp_store::today();
    let awaiting = match who.user.person_id {
        Some(person) => state.store.awaiting_stance(pid, person).await?,
        None => Vec::new(),
    };
    let language = crate::http::i18n::current();
    let (linked, teams) = match who.user.person_id {
        Some(person) => {
            let led = state.store.teams_led_by(pid, person).await?;
            let ratings = state
                .store
                .rate_teams(
                    pid,
                    lmp_store::teams::rating::TeamScope::LedBy(person),
                    &state.store.team_rules(pid).await?.path,
                    today,
                )
                .await?;
            let quiet_before = today.saturating_sub(jiff::Span::new().days(60)).to_string();
            let rows = led
                .into_iter()
                .map(|t| {
                    let gaps = ratings
                        .get(&t.id)
                        .map(|r| {
                            r.next_level_gaps()
                                .iter()
                                .map(|c| c.criterion.describe_in(language))
                                .collect()
                        })
                        .unwrap_or_default();
                    let quiet = t.last_meeting.as_deref().is_none_or(|d| d < quiet_before.as_str());
                    (t, gaps, quiet)
                })
                .collect();
            (true, rows)
        }
        None => (false, Vec::new()),
    };
    let layout = Layout::new(&state, &who, tr("nav-my-teams"))
        .await?
        .crumb("/my-teams", tr("nav-my-teams"));
    render(&MyTeamsPage {
        layout,
        linked,
        awaiting,
        teams,
    })
}
