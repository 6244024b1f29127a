//! One improvement project: its questions and goal, a run chart per
//! measure with its signals, tests of change, savings claims, and spread.

use super::teams::{claim_views, ClaimView};
use crate::auth::session::SignedIn;
use crate::http::charts::{run_chart, RunChart, RunPoint};
use crate::http::i18n::current;
use crate::http::i18n::refusal;
use crate::http::i18n::{tr, tr_with};
use crate::http::{back_to, permit, render, AppError, Fields, Layout, Notice, PageError, PageResult};
use crate::http::{PagePath as Path, PageQuery as Query};
use crate::state::AppState;
use crate::teams::actions::{self, ClaimInput, MeasurementInput, ProjectInput, TestInput, TestResultInput};
use askama::Template;
use axum::extract::RawForm;
use axum::extract::State;
use jiff::civil::Date;
use lmp_core::improvement::{PdsaDecision, ProjectStatus};
use lmp_core::paging::Page;
use lmp_core::policy::Action;
use lmp_core::run_chart::{median, signals, SignalKind};
use lmp_core::savings::SavingsCategory;
use lmp_core::Cents;
use lmp_store::model::Seat;
use lmp_store::teams::projects::{Measure, Project, TestRow};
use lmp_store::teams::LedTeam;

/// A measure with its chart and what the chart says.
struct MeasureView {
    measure: Measure,
    chart: String,
    points: usize,
    latest: Option<(String, f64)>,
    signals: Vec<String>,
}

#[derive(Template)]
#[template(path = "project.html")]
struct ProjectPage {
    layout: Layout,
    notice: Notice,
    project: Project,
    goal: Option<Measure>,
    measures: Vec<MeasureView>,
    tests: Vec<TestRow>,
    claims: Vec<ClaimView>,
    adoptions: Vec<Project>,
    adopt_into: Vec<LedTeam>,
    members: Vec<Seat>,
    can_run: bool,
    today: String,
    statuses: Vec<(&'static str, &'static str)>,
    decisions: Vec<(&'static str, &'static str)>,
    categories: Vec<(&'static str, &'static str)>,
}

impl ProjectPage {
    /// A test of change's Plan-Do-Study-Act decision, in the reader's words.
    fn decision_label(&self, code: &str) -> &'static str {
        code.parse::<PdsaDecision>()
            .map_or("", |d| d.label_in(self.layout.lang()))
    }
}

fn day_number(first: Date, day: &str) -> Option<i64> {
    let day: Date = day.parse().ok()?;
    Some((day - first).get_days() as i64)
}

fn describe(kind: SignalKind, first: &str, last: &str, count: usize) -> String {
    match kind {
        SignalKind::Shift => tr_with(
            "signal-shift",
            &[
                ("count", count.to_string()),
                ("first", first.into()),
                ("last", last.into()),
            ],
        ),
        SignalKind::Trend => tr_with(
            "signal-trend",
            &[
                ("count", count.to_string()),
                ("first", first.into()),
                ("last", last.into()),
            ],
        ),
        SignalKind::Astronomical => tr_with("signal-astronomical", &[("first", first.into())]),
    }
}

pub async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Query(notice): Query<Notice>,
) -> PageResult {
    permit(&who, Action::ReadStructure)?;
    let pid = who.actor.partnership_id;
    let project = state
        .store
        .project(pid, id)
        .await?
        .ok_or(PageError(AppError::NotFound("project")))?;
    let measures = state.store.measures_of_project(pid, id).await?;
    let measurements = state.store.measurements_of_project(pid, id).await?;
    let tests = state.store.tests_of_project(pid, id).await?;
    let first: Date = measurements
        .iter()
        .map(|m| m.taken_on.as_str())
        .chain(tests.iter().map(|t| t.started_on.as_str()))
        .chain(std::iter::once(project.started_on.as_str()))
        .filter_map(|d| d.parse::<Date>().ok())
        .min()
        .unwrap_or_else(lmp_store::today);
    let annotations: Vec<(i64, String)> = tests
        .iter()
        .enumerate()
        .filter_map(|(i, t)| Some((day_number(first, &t.started_on)?, format!("T{}", i + 1))))
        .collect();
    let day_label = move |d: i64| first.saturating_add(jiff::Span::new().days(d)).to_string();
    let measure_views = measures
        .iter()
        .map(|m| {
            let series: Vec<_> = measurements.iter().filter(|x| x.measure_id == m.id).collect();
            let values: Vec<f64> = series.iter().map(|x| x.value).collect();
            let found = signals(&values);
            let points: Vec<RunPoint> = series
                .iter()
                .enumerate()
                .filter_map(|(i, x)| {
                    Some(RunPoint {
                        day: day_number(first, &x.taken_on)?,
                        value: x.value,
                        signal: found.iter().find(|s| s.covers(i)).map(|s| s.kind),
                    })
                })
                .collect();
            let centre = median(&values);
            let title = format!("{} ({})", m.name, m.unit);
            MeasureView {
                chart: run_chart(&RunChart {
                    title: &title,
                    unit: &m.unit,
                    points: &points,
                    median: centre,
                    target: m.target,
                    annotations: &annotations,
                    day_label: &day_label,
                }),
                points: series.len(),
                latest: series.last().map(|x| (x.taken_on.clone(), x.value)),
                signals: found
                    .iter()
                    .map(|s| {
                        describe(
                            s.kind,
                            &series[s.first].taken_on,
                            &series[s.last].taken_on,
                            s.last - s.first + 1,
                        )
                    })
                    .collect(),
                measure: m.clone(),
            }
        })
        .collect();
    let mine = crate::http::seats_in_body(&state, &who.actor, project.team_id).await?;
    let can_run = mine.run_permit(&who.actor).is_ok();
    let signer = mine.sign_permit(&who.actor).ok().map(|(_, person)| person);
    let signatures = state.store.claim_signatures_of_team(pid, project.team_id).await?;
    let claims: Vec<_> = state
        .store
        .claims_of_team(pid, project.team_id)
        .await?
        .into_iter()
        .filter(|c| c.project_id == id)
        .collect();
    let adoptions = state.store.adoptions_of(pid, id).await?;
    let adopt_into = match who.user.person_id {
        Some(person) => state
            .store
            .teams_led_by(pid, person)
            .await?
            .into_iter()
            .filter(|t| t.id != project.team_id)
            .collect(),
        None => Vec::new(),
    };
    let members = state
        .store
        .body_members(pid, project.team_id, None, Page::new(Some(500), None))
        .await?
        .items;
    let layout = Layout::new(&state, &who, project.title.clone())
        .await?
        .crumb(format!("/teams/{}", project.team_id), project.team_name.clone())
        .crumb(format!("/projects/{id}"), project.title.clone());
    render(&ProjectPage {
        layout,
        notice,
        goal: measures.iter().find(|m| m.role == "main").cloned(),
        measures: measure_views,
        claims: claim_views(claims, &signatures, signer),
        tests,
        adoptions,
        adopt_into,
        members,
        can_run,
        today: lmp_store::today().to_string(),
        statuses: ProjectStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label_in(current())))
            .collect(),
        decisions: PdsaDecision::ALL
            .iter()
            .map(|d| (d.as_str(), d.label_in(current())))
            .collect(),
        categories: SavingsCategory::ALL
            .iter()
            .map(|c| (c.as_str(), c.label_in(current())))
            .collect(),
        project,
    })
}

fn project_url(id: i64, anchor: &str) -> String {
    format!("/projects/{id}{anchor}")
}

pub async fn measurement(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let outcome = async {
        let input = MeasurementInput {
            measure_id: f
                .optional_id("measure_id")?
                .ok_or_else(|| AppError::BadRequest(refusal("refused-which-measure", &[])))?,
            taken_on: f.one("taken_on").to_string(),
            value: f.number("value", "field-value")?,
            unit: f.one("unit").to_string(),
        };
        actions::add_measurement(&state, &who.actor, id, input).await
    }
    .await;
    back_to(&project_url(id, "#measures"), outcome, &tr("done-measurement-recorded"))
}

pub async fn test(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let outcome = async {
        let input = TestInput {
            change: f.one("change").to_string(),
            prediction: f.one("prediction").to_string(),
            started_on: f.one("started_on").to_string(),
            participants: f.ids("participant")?,
        };
        actions::add_test(&state, &who.actor, id, input).await
    }
    .await;
    back_to(&project_url(id, "#tests"), outcome, &tr("done-test-of-change-started"))
}

pub async fn finish_test(
    State(state): State<AppState>,
    who: SignedIn,
    Path((id, test_id)): Path<(i64, i64)>,
    RawForm(body): RawForm,
) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let input = TestResultInput {
        ended_on: f.one("ended_on").to_string(),
        result: f.one("result").to_string(),
        decision: f.one("decision").to_string(),
    };
    let outcome = actions::finish_test(&state, &who.actor, id, test_id, input).await;
    back_to(&project_url(id, "#tests"), outcome, &tr("done-result-recorded"))
}

pub async fn status(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let outcome = actions::set_status(&state, &who.actor, id, f.one("status")).await;
    back_to(&project_url(id, ""), outcome, &tr("done-status-saved"))
}

pub async fn claim(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let outcome = async {
        let amount = Cents::parse_dollars(f.one("amount"))
            .map_err(|e| AppError::BadRequest(crate::http::i18n::about_field("field-amount", &[], e)))?;
        let input = ClaimInput {
            category: f.one("category").to_string(),
            amount_cents: amount.get(),
            period_start: f.one("period_start").to_string(),
            period_end: f.one("period_end").to_string(),
            method: f.one("method").to_string(),
            corrects: f.optional_id("corrects")?,
        };
        actions::add_claim(&state, &who.actor, id, input).await
    }
    .await;
    back_to(
        &project_url(id, "#savings"),
        outcome,
        &tr("done-claim-recorded-it-counts-as"),
    )
}

pub async fn sign(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    // Only a path on this site, so the form cannot send anyone elsewhere.
    let back = Some(f.one("back"))
        .filter(|b| b.starts_with('/') && !b.starts_with("//"))
        .unwrap_or("/my-teams")
        .to_string();
    let outcome = actions::sign_claim(&state, &who.actor, id).await;
    let done = match &outcome {
        Ok(lmp_core::savings::Verification::Verified) => tr("done-signed-verified"),
        _ => tr("done-signed-awaits"),
    };
    back_to(&back, outcome, &done)
}

/// Adopt this project for a team the person leads: its questions, goal and
/// measures are copied, and the original team gets the credit for spread.
pub async fn adopt(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let outcome = async {
        let team_id = f
            .optional_id("team_id")?
            .ok_or_else(|| AppError::BadRequest(refusal("refused-choose-team", &[])))?;
        let original = actions::project(&state, &who.actor, id).await?;
        let measures = state.store.measures_of_project(who.actor.partnership_id, id).await?;
        let goal = measures
            .iter()
            .find(|m| m.role == "main")
            .ok_or_else(|| AppError::Rule(refusal("refused-no-main-measure", &[])))?;
        let today = lmp_store::today();
        let input = ProjectInput {
            title: original.title.clone(),
            compass: original
                .compass_points()
                .iter()
                .map(|c| c.as_str().to_string())
                .collect(),
            aim: original.aim.clone(),
            how_we_know: original.how_we_know.clone(),
            change_idea: original.change_idea.clone(),
            measure: goal.name.clone(),
            unit: goal.unit.clone(),
            baseline: goal.baseline.unwrap_or_default(),
            target: goal.target.unwrap_or_default(),
            target_date: today.saturating_add(jiff::Span::new().days(180)).to_string(),
            started_on: None,
            balancing: measures
                .iter()
                .filter(|m| m.role == "balancing")
                .map(|m| actions::BalancingInput {
                    name: m.name.clone(),
                    unit: m.unit.clone(),
                    direction: m.direction.clone(),
                })
                .collect(),
            adopted_from: Some(id),
        };
        actions::create_project(&state, &who.actor, team_id, input).await
    }
    .await;
    match outcome {
        Ok(project) => back_to(
            &format!("/projects/{}", project.id),
            Ok::<_, AppError>(()),
            &tr("done-adopted-set-your-own"),
        ),
        Err(e) => back_to::<()>(&project_url(id, "#spread"), Err(e), ""),
    }
}
