//! Partnership health: the warning signs the research names, per body and
//! level over time, as charts, with the bodies most in trouble listed.

use crate::auth::session::SignedIn;
use crate::governance::actions::HealthQuery;
use crate::http::charts::{series_chart, Axis, Periods, Series, LABOR, MANAGEMENT};
use crate::http::i18n::{current, tr};
use crate::http::PageQuery as Query;
use crate::http::{permit, render, AppError, Layout, PageResult};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use lmp_core::body::BodyLevel;
use lmp_core::policy::Action;
use lmp_store::health::{BodyHealth, Health};
use plotters::style::RGBColor;

const OTHER: RGBColor = RGBColor(90, 90, 90);

#[derive(Template)]
#[template(path = "health.html")]
struct HealthPage {
    layout: Layout,
    health: std::sync::Arc<Health>,
    worst: Vec<BodyHealth>,
    levels: Vec<(&'static str, &'static str)>,
    level: String,
    months: i64,
    charts: Vec<String>,
    /// The one body shown, if one was asked for.
    body: Option<lmp_store::model::Body>,
}

pub async fn show(State(state): State<AppState>, who: SignedIn, Query(q): Query<HealthQuery>) -> PageResult {
    permit(&who, Action::ReadStructure)?;
    let (which, from, to, months) = q.parse()?;
    let body = match which.body {
        Some(id) => Some(
            state
                .store
                .body(who.actor.partnership_id, id)
                .await?
                .ok_or(AppError::NotFound("body"))?,
        ),
        None => None,
    };
    let health = state.health(who.actor.partnership_id, which, months, from, to).await?;
    let charts = charts(&health);
    let worst = health
        .bodies
        .iter()
        .filter(|b| b.concern > 0)
        .take(20)
        .cloned()
        .collect();
    let layout = Layout::new(&state, &who, tr("health-title"))
        .await?
        .crumb("/health", tr("health-title"));
    render(&HealthPage {
        layout,
        worst,
        levels: BodyLevel::ALL
            .iter()
            .map(|l| (l.as_str(), l.label_in(current())))
            .collect(),
        level: which.level.map(|l| l.as_str().to_string()).unwrap_or_default(),
        months,
        charts,
        health,
        body,
    })
}

/// The signs quarter by quarter, labor beside management wherever a sign has sides.
fn charts(health: &Health) -> Vec<String> {
    let labels: Vec<String> = health.quarters.iter().map(|q| q.quarter.clone()).collect();
    let this_quarter = lmp_core::health::quarter(jiff::Timestamp::now());
    let periods = Periods {
        last_is_partial: labels.last() == Some(&this_quarter),
        labels: &labels,
    };
    let line = |name: &str, colour, values: Vec<Option<f64>>| Series {
        name: name.to_string(),
        colour,
        values,
    };
    let each = |f: &dyn Fn(&lmp_store::health::QuarterHealth) -> Option<f64>| -> Vec<Option<f64>> {
        health.quarters.iter().map(f).collect()
    };
    let by_quarter: Vec<_> = health.quarters.iter().map(|q| &q.index_by_level).collect();
    vec![
        crate::http::charts::level_lines(&tr("health-chart-index"), &periods, &by_quarter),
        series_chart(
            &tr("health-chart-late"),
            &periods,
            Axis::Count,
            &[
                line(&tr("health-labor-late"), LABOR, each(&|q| Some(q.labor_late as f64))),
                line(
                    &tr("health-management-late"),
                    MANAGEMENT,
                    each(&|q| Some(q.management_late as f64)),
                ),
            ],
        ),
        series_chart(
            &tr("health-chart-vacancy"),
            &periods,
            Axis::Count,
            &[
                line(
                    &tr("health-labor-vacant"),
                    LABOR,
                    each(&|q| Some(q.labor_vacancy_days_per_body)),
                ),
                line(
                    &tr("health-management-vacant"),
                    MANAGEMENT,
                    each(&|q| Some(q.management_vacancy_days_per_body)),
                ),
            ],
        ),
        series_chart(
            &tr("health-chart-missed"),
            &periods,
            Axis::Count,
            &[
                line(
                    &tr("health-no-labor"),
                    LABOR,
                    each(&|q| Some(q.meetings_without_labor as f64)),
                ),
                line(
                    &tr("health-no-management"),
                    MANAGEMENT,
                    each(&|q| Some(q.meetings_without_management as f64)),
                ),
            ],
        ),
        series_chart(
            &tr("health-chart-blocked"),
            &periods,
            Axis::Count,
            &[
                line(&tr("health-col-blocked"), OTHER, each(&|q| Some(q.blocked as f64))),
                line(
                    &tr("health-col-escalated"),
                    RGBColor(120, 60, 160),
                    each(&|q| Some(q.escalated as f64)),
                ),
            ],
        ),
        series_chart(
            &tr("health-chart-median"),
            &periods,
            Axis::Count,
            &[line(&tr("health-days"), OTHER, each(&|q| q.median_days_to_consensus))],
        ),
    ]
}
