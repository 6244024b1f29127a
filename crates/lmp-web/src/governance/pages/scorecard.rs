//! The scorecard page at every level, its downloads, and the teams behind
//! each figure.

use crate::auth::session::SignedIn;
use crate::governance::export::{participation_tables, scorecard_tables, to_csv, to_xlsx};
use crate::governance::scorecard_scope::{parse_behind, resolve, scope_query, Resolved, ScopeParams};
use crate::http::i18n::{current, tr, tr_with};
use crate::http::PageQuery as Query;
use crate::http::{charts::bar_chart, permit, render, AppError, Layout, PageResult, Pager};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use lmp_core::improvement::CompassPoint;
use lmp_core::paging::Page;
use lmp_core::path::level_name_in;
use lmp_core::policy::Action;
use lmp_core::Cents;
use lmp_store::scorecard::{percent, Scorecard, TeamLine};
use plotters::style::RGBColor;

#[derive(Template)]
#[template(path = "scorecard.html")]
struct ScorecardPage {
    layout: Layout,
    name: String,
    card: Scorecard,
    scope: String,
    level_chart: String,
    compass_chart: String,
    /// The kind of the breakdown rows, for its heading.
    rows_heading: String,
    /// The Partnership Participation Index by level and by year.
    participation: lmp_store::decisions::Rollup,
    participation_chart: String,
    years: Vec<i16>,
}

impl ScorecardPage {
    fn money(&self, cents: &i64) -> String {
        Cents(*cents).whole_dollars()
    }

    fn count(&self, n: &i64) -> String {
        crate::http::charts::thousands(*n)
    }

    fn pct(&self, part: &i64, whole: &i64) -> i64 {
        percent(*part, *whole)
    }

    fn level_name(&self, level: &usize) -> &'static str {
        level_name_in(*level as u8, self.layout.lang())
    }

    fn compass_label(&self, point: &str) -> &'static str {
        point
            .parse::<CompassPoint>()
            .map_or("Unknown", |p| p.label_in(current()))
    }

    /// A link to the teams behind a figure.
    fn behind(&self, what: &str) -> String {
        let mut query = vec![format!("behind={what}")];
        if !self.scope.is_empty() {
            query.insert(0, self.scope.clone());
        }
        format!("/scorecard/teams?{}", query.join("&"))
    }

    fn behind_level(&self, level: &usize) -> String {
        self.behind(&format!("level:{level}"))
    }

    fn behind_keyed(&self, key: &str, value: &str) -> String {
        self.behind(&format!("{key}:{value}"))
    }

    /// A link to the adopted decisions behind a participation figure.
    fn decisions_behind(&self, filters: &str) -> String {
        let mut query = vec![filters.to_string()];
        if !self.scope.is_empty() {
            query.insert(0, self.scope.clone());
        }
        format!("/scorecard/decisions?{}", query.join("&"))
    }

    fn year_percent(&self, year: &lmp_store::decisions::YearIndex, level: &str) -> String {
        match year.percent_by_level.get(level) {
            Some(Some(p)) => format!("{p}%"),
            _ => "—".into(),
        }
    }

    fn row_link(&self, kind: &str, id: &i64) -> String {
        if kind == "team" {
            format!("/scorecard?team={id}")
        } else {
            format!("/scorecard?unit={id}")
        }
    }
}

async fn layout_for(
    state: &AppState,
    who: &SignedIn,
    resolved: &Resolved,
    title: &str,
) -> Result<Layout, crate::http::PageError> {
    let pid = who.actor.partnership_id;
    let mut layout = Layout::new(state, who, title.to_string())
        .await?
        .crumb("/scorecard", tr("scorecard-national"));
    if let Some(unit) = resolved.unit_id {
        for step in state.store.unit_path(pid, unit).await? {
            layout = layout.crumb(format!("/scorecard?unit={}", step.id), step.name);
        }
    }
    if let lmp_store::scorecard::Scope::Team(id) = resolved.scope {
        layout = layout.crumb(format!("/scorecard?team={id}"), resolved.name.clone());
    }
    Ok(layout)
}

pub async fn show(State(state): State<AppState>, who: SignedIn, Query(params): Query<ScopeParams>) -> PageResult {
    permit(&who, Action::ReadStructure)?;
    let pid = who.actor.partnership_id;
    let resolved = resolve(&state, pid, &params).await?;
    let card = state.store.scorecard(pid, resolved.scope, lmp_store::today()).await?;
    let level_bars: Vec<(String, i64)> = card
        .by_level
        .iter()
        .enumerate()
        .map(|(level, n)| {
            let short = tr_with("level-short", &[("level", level.to_string())]);
            (format!("{short} {}", level_name_in(level as u8, current())), *n)
        })
        .collect();
    let compass_bars: Vec<(String, i64)> = card
        .projects_by_compass
        .iter()
        .map(|c| {
            (
                c.point
                    .parse::<CompassPoint>()
                    .map_or(c.point.clone(), |p| p.label_in(current()).to_string()),
                c.projects,
            )
        })
        .collect();
    let rows_heading = tr(match card.rows.first().map(|r| r.kind.as_str()) {
        Some("region") => "scorecard-by-region",
        Some("hospital" | "medical_office") => "scorecard-by-facility",
        Some("department") => "scorecard-by-department",
        _ => "scorecard-by-team",
    });
    let title = tr_with("scorecard-title", &[("name", resolved.name.clone())]);
    let layout = layout_for(&state, &who, &resolved, &title).await?;
    let participation = state.store.participation_rollup(pid, resolved.scope).await?;
    let years: Vec<i16> = participation.by_year.iter().map(|y| y.year).collect();
    let participation_chart = participation_over_time(&participation);
    render(&ScorecardPage {
        layout,
        name: resolved.name,
        scope: scope_query(resolved.scope),
        participation,
        participation_chart,
        years,
        level_chart: bar_chart(&tr("scorecard-by-level"), &level_bars, RGBColor(33, 97, 140)),
        compass_chart: bar_chart(&tr("scorecard-by-compass"), &compass_bars, RGBColor(47, 133, 90)),
        card,
        rows_heading,
    })
}

/// The index year by year, a line per level.
fn participation_over_time(rollup: &lmp_store::decisions::Rollup) -> String {
    let labels: Vec<String> = rollup.by_year.iter().map(|y| y.year.to_string()).collect();
    let this_year = lmp_store::today().year().to_string();
    let periods = crate::http::charts::Periods {
        last_is_partial: labels.last() == Some(&this_year),
        labels: &labels,
    };
    let by_year: Vec<_> = rollup.by_year.iter().map(|y| &y.percent_by_level).collect();
    crate::http::charts::level_lines(&tr("scorecard-chart-joint"), &periods, &by_year)
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct DecisionsBehindQuery {
    unit: Option<i64>,
    team: Option<i64>,
    level: Option<String>,
    year: Option<i16>,
    /// "1": only those made jointly; "0": only those not.
    joint: Option<String>,
}

#[derive(Template)]
#[template(path = "scorecard_decisions.html")]
struct DecisionsBehindPage {
    layout: Layout,
    heading: String,
    total: usize,
    decisions: Vec<lmp_store::decisions::DecisionLine>,
}

/// The adopted decisions behind a participation figure.
pub async fn decisions(
    State(state): State<AppState>,
    who: SignedIn,
    Query(q): Query<DecisionsBehindQuery>,
) -> PageResult {
    permit(&who, Action::ReadStructure)?;
    let pid = who.actor.partnership_id;
    let scope = ScopeParams {
        unit: q.unit,
        team: q.team,
        ..ScopeParams::default()
    };
    let resolved = resolve(&state, pid, &scope).await?;
    let behind = lmp_store::decisions::Behind {
        level: q.level.clone().filter(|l| !l.is_empty()),
        year: q.year,
        joint: match q.joint.as_deref() {
            Some("1") => Some(true),
            Some("0") => Some(false),
            _ => None,
        },
    };
    let (total, decisions) = state.store.decisions_behind(pid, resolved.scope, &behind, 500).await?;
    let mut heading = tr_with("scorecard-decisions-heading", &[("name", resolved.name.clone())]);
    if let Some(level) = &behind.level {
        let level = level
            .parse::<lmp_core::body::BodyLevel>()
            .map_or(level.replace('_', " "), |l| l.label_in(current()).to_string());
        heading = format!("{heading} {}", tr_with("scorecard-at-level", &[("level", level)]));
    }
    if let Some(year) = behind.year {
        heading = format!(
            "{heading} {}",
            tr_with("scorecard-in-year", &[("year", year.to_string())])
        );
    }
    match behind.joint {
        Some(true) => heading = format!("{heading}, {}", tr("scorecard-made-jointly")),
        Some(false) => heading = format!("{heading}, {}", tr("scorecard-not-made-jointly")),
        None => {}
    }
    let layout = layout_for(&state, &who, &resolved, &heading)
        .await?
        .crumb("", heading.clone());
    render(&DecisionsBehindPage {
        layout,
        heading,
        total,
        decisions,
    })
}

fn file_name(resolved: &Resolved, extension: &str) -> String {
    let slug: String = resolved
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("scorecard-{}.{extension}", slug.trim_matches('-'))
}

/// The two downloads of a scorecard.
enum Download {
    Csv,
    Xlsx,
}

/// The scorecard as CSV: `section,row,column,value`.
pub async fn csv(
    state: State<AppState>,
    who: SignedIn,
    params: Query<ScopeParams>,
) -> Result<impl IntoResponse, crate::http::PageError> {
    download(state, who, params, Download::Csv).await
}

/// The scorecard as an XLSX workbook, a worksheet per section.
pub async fn xlsx(
    state: State<AppState>,
    who: SignedIn,
    params: Query<ScopeParams>,
) -> Result<impl IntoResponse, crate::http::PageError> {
    download(state, who, params, Download::Xlsx).await
}

async fn download(
    State(state): State<AppState>,
    who: SignedIn,
    Query(params): Query<ScopeParams>,
    kind: Download,
) -> Result<impl IntoResponse, crate::http::PageError> {
    permit(&who, Action::ReadStructure)?;
    let resolved = resolve(&state, who.actor.partnership_id, &params).await?;
    let card = state
        .store
        .scorecard(who.actor.partnership_id, resolved.scope, lmp_store::today())
        .await?;
    let mut tables = scorecard_tables(&card);
    let participation = state
        .store
        .participation_rollup(who.actor.partnership_id, resolved.scope)
        .await?;
    tables.extend(participation_tables(&participation));
    let (bytes, content_type, extension) = match kind {
        Download::Csv => (
            to_csv(&tables).map_err(|e| AppError::Internal(e.to_string()))?,
            "text/csv; charset=utf-8",
            "csv",
        ),
        Download::Xlsx => (
            to_xlsx(&tables).map_err(|e| AppError::Internal(e.to_string()))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", file_name(&resolved, extension)),
            ),
        ],
        bytes,
    ))
}

#[derive(Template)]
#[template(path = "scorecard_teams.html")]
struct BehindPage {
    layout: Layout,
    heading: String,
    teams: Vec<TeamLine>,
    pager: Pager,
}

impl BehindPage {
    fn money(&self, cents: &i64) -> String {
        Cents(*cents).whole_dollars()
    }
}

/// The teams behind one figure of a scorecard.
pub async fn teams(State(state): State<AppState>, who: SignedIn, Query(params): Query<ScopeParams>) -> PageResult {
    permit(&who, Action::ReadStructure)?;
    let pid = who.actor.partnership_id;
    let resolved = resolve(&state, pid, &params).await?;
    let behind = parse_behind(params.behind.as_deref())?;
    let paged = state
        .store
        .scorecard_teams(
            pid,
            resolved.scope,
            &behind,
            lmp_store::today(),
            Page::new(None, params.offset),
        )
        .await?;
    let mut keep = vec![("behind", params.behind.clone().unwrap_or_default())];
    if let Some(unit) = params.unit {
        keep.push(("unit", unit.to_string()));
    }
    if let Some(team) = params.team {
        keep.push(("team", team.to_string()));
    }
    let pager = Pager::new(&paged, "/scorecard/teams", &keep);
    let heading = format!("{}: {}", resolved.name, describe(&behind));
    let layout = layout_for(&state, &who, &resolved, &heading)
        .await?
        .crumb("", heading.clone());
    render(&BehindPage {
        layout,
        heading,
        teams: paged.items,
        pager,
    })
}

fn describe(behind: &lmp_store::scorecard::Behind) -> String {
    use lmp_store::scorecard::Behind::*;
    match behind {
        All => tr("behind-all"),
        Level(level) => tr_with(
            "behind-level",
            &[
                ("level", level.to_string()),
                ("name", level_name_in((*level).clamp(0, 5) as u8, current()).to_string()),
            ],
        ),
        TopLevels => tr("behind-top-levels"),
        Compass(point) => tr_with(
            "behind-compass",
            &[(
                "point",
                point
                    .parse::<CompassPoint>()
                    .map_or("Value Compass", |p| p.label_in(current()))
                    .to_string(),
            )],
        ),
        SavingsYear(year) => tr_with("behind-savings-year", &[("year", year.to_string())]),
        Undocumented => tr("behind-undocumented"),
        MissingLeader => tr("behind-missing-leader"),
    }
}
