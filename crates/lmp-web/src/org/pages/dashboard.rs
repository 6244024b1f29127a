use crate::auth::session::SignedIn;
use crate::http::charts::{bar_chart, thousands};
use crate::http::i18n::{current, tr, tr_with};
use crate::http::{permit, render, Layout, PageResult};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use lmp_core::body::BodyLevel;
use lmp_core::person::PersonKind;
use lmp_core::policy::Action;
use lmp_store::model::Body;
use plotters::style::RGBColor;

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    layout: Layout,
    /// (label, count, link)
    people: Vec<(String, String, String)>,
    people_total: String,
    locals_chart: String,
    levels_chart: String,
    /// (level label, bodies, missing a co-lead, link to those missing)
    levels: Vec<(String, String, String, String)>,
    missing_total: String,
    missing: Vec<Body>,
}

pub async fn show(State(state): State<AppState>, who: SignedIn) -> PageResult {
    permit(&who, Action::ReadStructure)?;
    let pid = who.actor.partnership_id;
    let d = state.dashboard(pid).await?;
    let people = d
        .people_by_kind
        .iter()
        .map(|t| {
            let label = t
                .label
                .parse::<PersonKind>()
                .map(|k| tr(&format!("people-of-kind-{}", k.as_str())))
                .unwrap_or_else(|_| t.label.clone());
            (label, thousands(t.count), format!("/people?kind={}", t.label))
        })
        .collect();
    let people_total = thousands(d.people_by_kind.iter().map(|t| t.count).sum());
    let local_bars: Vec<(String, i64)> = d
        .locals_by_members
        .iter()
        .take(20)
        .map(|t| (t.label.clone(), t.count))
        .collect();
    let title = if d.locals_by_members.len() > 20 {
        tr_with(
            "dash-chart-largest-locals",
            &[("locals", d.locals_by_members.len().to_string())],
        )
    } else {
        tr("dash-chart-locals")
    };
    let locals_chart = bar_chart(&title, &local_bars, RGBColor(176, 58, 46));
    let level_label = |l: &str| {
        l.parse::<BodyLevel>()
            .map(|l| l.label_in(current()).to_string())
            .unwrap_or_else(|_| l.to_string())
    };
    let level_bars: Vec<(String, i64)> = d
        .bodies_by_level
        .iter()
        .map(|t| (level_label(&t.label), t.count))
        .collect();
    let levels_chart = bar_chart(&tr("dash-chart-levels"), &level_bars, RGBColor(33, 97, 140));
    let levels = d
        .bodies_by_level
        .iter()
        .map(|t| {
            let missing = d
                .bodies_missing_co_lead_by_level
                .iter()
                .find(|m| m.label == t.label)
                .map_or(0, |m| m.count);
            (
                level_label(&t.label),
                thousands(t.count),
                thousands(missing),
                format!("/bodies?level={}&missing=1", t.label),
            )
        })
        .collect();
    let layout = Layout::new(&state, &who, tr("dash-title")).await?;
    render(&DashboardPage {
        layout,
        people,
        people_total,
        locals_chart,
        levels_chart,
        levels,
        missing_total: thousands(d.bodies_missing_co_lead),
        missing: d.first_missing_co_lead.clone(),
    })
}
