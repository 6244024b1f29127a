//! The Evidence page: pick a measure; see it by team level, participation
//! and engagement year by year with intervals, what the models find for
//! levels (with controls) and for teams that moved up, each read in words
//! with its caveats; download the exact data and models; ask for a new
//! measure (two keys) or, for the administrator, take in an outcomes file.

use crate::auth::session::SignedIn;
use crate::evidence::actions;
use crate::http::charts::{estimate_chart, Axis, Estimate, EstimateSeries};
use crate::http::i18n::{current, tr, tr_with};
use crate::http::{back_to, download, render, with_uploaded_file, Layout, Notice, PageResult};
use crate::http::{PagePath as Path, PageQuery as Query};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::Response;
use lmp_core::evidence::fit::{Coefficient, Fit};
use lmp_core::evidence::measure::Domain;
use lmp_core::evidence::models::{event_column, event_quarter_of, GroupYear, EVENT_QUARTERS};
use lmp_core::evidence::reading::{differed_before_the_move, is_few, reading, Reading, FEW_TEAMS};
use lmp_core::evidence::report::{group_label, level_in_words, models_file, panel_file, Evidence, Fitted};
use lmp_core::improvement::Direction;
use lmp_core::policy::{authorize, Action};
use lmp_store::evidence::OutcomeMeasure;
use plotters::style::RGBColor;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct EvidenceQuery {
    /// The measure's code; the first by name when none is asked for.
    pub measure: Option<String>,
    #[serde(flatten)]
    pub notice: Notice,
}

/// A measure to pick.
pub struct MeasureLink {
    pub code: String,
    pub name: String,
    pub current: bool,
}

/// A group's mean in one year, as shown.
pub struct MeanRow {
    pub group: String,
    pub year: i32,
    pub mean: String,
    pub interval: String,
    pub teams: usize,
    /// Fewer than [`FEW_TEAMS`] teams: read with care.
    pub few: bool,
}

/// A coefficient, as shown and read in words.
pub struct CoefficientRow {
    pub name: String,
    pub estimate: String,
    pub interval: String,
    pub p_value: String,
    /// better, worse or not_clear: how the row is marked.
    pub reading: &'static str,
    pub words: String,
}

/// A model, as shown: its rows, or why it could not be fitted.
pub struct FitView {
    pub rows: Vec<CoefficientRow>,
    pub basis: String,
    pub too_few: Option<String>,
}

/// Everything the page shows of one measure.
pub struct MeasureView {
    pub measure: OutcomeMeasure,
    /// The downloads' names.
    pub panel_name: String,
    pub models_name: String,
    pub domain: String,
    pub direction: String,
    pub facts: String,
    pub level_chart: String,
    pub participation_chart: String,
    pub engagement_chart: String,
    pub event_chart: String,
    pub by_level: Vec<MeanRow>,
    pub by_participation: Vec<MeanRow>,
    pub by_engagement: Vec<MeanRow>,
    pub levels: FitView,
    pub event_study: FitView,
    pub difference_in_differences: FitView,
    /// Whether the teams that moved up already differed before they moved.
    pub pre_trend: String,
    /// Group-years with fewer than [`FEW_TEAMS`] teams.
    pub few_groups: usize,
}

#[derive(Template)]
#[template(path = "evidence.html")]
struct EvidencePage {
    layout: Layout,
    notice: Notice,
    measures: Vec<MeasureLink>,
    shown: Option<MeasureView>,
    few_teams: usize,
    can_propose: bool,
    can_import: bool,
    domains: Vec<(&'static str, &'static str)>,
    directions: Vec<(&'static str, &'static str)>,
}

pub async fn show(State(state): State<AppState>, who: SignedIn, Query(q): Query<EvidenceQuery>) -> PageResult {
    let measures = actions::measures(&state, &who.actor).await?;
    let wanted = q
        .measure
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .or(measures.first().map(|m| m.code.as_str()))
        .map(str::to_string);
    let shown = match wanted.as_deref() {
        Some(code) => {
            let (measure, found) = actions::measure_evidence(&state, &who.actor, code).await?;
            Some(measure_view(measure, &found))
        }
        None => None,
    };
    let language = current();
    let pid = who.actor.partnership_id;
    render(&EvidencePage {
        layout: Layout::new(&state, &who, tr("evidence-title"))
            .await?
            .crumb("/evidence", tr("evidence-title")),
        notice: q.notice,
        measures: measures
            .iter()
            .map(|m| MeasureLink {
                code: m.code.clone(),
                name: m.name.clone(),
                current: wanted.as_deref() == Some(m.code.as_str()),
            })
            .collect(),
        shown,
        few_teams: FEW_TEAMS,
        can_propose: authorize(&who.actor, Action::RequestJointChange, pid).is_ok(),
        can_import: authorize(&who.actor, Action::Import, pid).is_ok(),
        domains: Domain::ALL.iter().map(|d| (d.as_str(), d.label_in(language))).collect(),
        directions: Direction::ALL
            .iter()
            .map(|d| (d.as_str(), d.label_in(language)))
            .collect(),
    })
}

/// A figure to three significant digits, as a table reads it.
fn figure(value: f64) -> String {
    let magnitude = if value == 0.0 {
        0
    } else {
        value.abs().log10().floor() as i32
    };
    let decimals = (2 - magnitude).clamp(0, 4) as usize;
    format!("{value:.decimals$}")
}

fn interval_words(low: f64, high: f64) -> String {
    tr_with("evidence-interval", &[("low", figure(low)), ("high", figure(high))])
}

fn measure_view(measure: OutcomeMeasure, found: &Evidence) -> MeasureView {
    let language = current();
    let direction: Direction = measure.direction.parse().unwrap_or(Direction::Down);
    let means = |groups: &[GroupYear]| -> Vec<MeanRow> {
        groups
            .iter()
            .map(|g| MeanRow {
                group: group_label(&g.group, language),
                year: g.year,
                mean: figure(g.mean.mean),
                interval: match (g.mean.low, g.mean.high) {
                    (Some(low), Some(high)) => interval_words(low, high),
                    _ => tr("evidence-one-team"),
                },
                teams: g.mean.count,
                few: is_few(g.mean.count),
            })
            .collect()
    };
    let few_groups = [&found.by_level, &found.by_participation, &found.by_engagement]
        .iter()
        .flat_map(|groups| groups.iter())
        .filter(|g| is_few(g.mean.count))
        .count();
    let level_rows = |fit: &Fit| -> Vec<CoefficientRow> {
        fit.coefficients
            .iter()
            .filter_map(|c| {
                let level: u8 = c.name.strip_prefix("level ")?.parse().ok()?;
                Some(coefficient_row(
                    c,
                    level_in_words(level, language),
                    direction,
                    &measure.unit,
                ))
            })
            .collect()
    };
    let event_rows = |fit: &Fit| -> Vec<CoefficientRow> {
        fit.coefficients
            .iter()
            .filter_map(|c| {
                Some(coefficient_row(
                    c,
                    quarter_words(event_quarter_of(&c.name)?),
                    direction,
                    &measure.unit,
                ))
            })
            .collect()
    };
    let after_rows = |fit: &Fit| -> Vec<CoefficientRow> {
        fit.coefficients
            .iter()
            .filter(|c| c.name == "after")
            .map(|c| coefficient_row(c, tr("evidence-after-the-move"), direction, &measure.unit))
            .collect()
    };
    let pre_trend = match found.event_study.fit() {
        None => String::new(),
        Some(fit) => match differed_before_the_move(fit).as_slice() {
            [] => tr("evidence-no-pre-trend"),
            quarters => tr_with(
                "evidence-pre-trend",
                &[(
                    "quarters",
                    quarters
                        .iter()
                        .map(|q| quarter_words(*q))
                        .collect::<Vec<_>>()
                        .join("; "),
                )],
            ),
        },
    };
    MeasureView {
        panel_name: panel_file(&measure.code),
        models_name: models_file(&measure.code),
        domain: measure
            .domain
            .parse::<Domain>()
            .map(|d| d.label_in(language).to_string())
            .unwrap_or_else(|_| measure.domain.clone()),
        direction: direction.label_in(language).to_string(),
        facts: tr_with(
            "evidence-facts",
            &[
                ("values", found.values.to_string()),
                ("teams", found.teams.to_string()),
                ("first", found.first_month.clone().unwrap_or_else(|| "—".into())),
                ("last", found.last_month.clone().unwrap_or_else(|| "—".into())),
                ("moved", found.teams_moved_up.to_string()),
            ],
        ),
        level_chart: means_chart(&tr("evidence-chart-level"), &found.by_level, &measure.unit),
        participation_chart: means_chart(
            &tr("evidence-chart-participation"),
            &found.by_participation,
            &measure.unit,
        ),
        engagement_chart: means_chart(&tr("evidence-chart-engagement"), &found.by_engagement, &measure.unit),
        event_chart: event_chart(&found.event_study),
        by_level: means(&found.by_level),
        by_participation: means(&found.by_participation),
        by_engagement: means(&found.by_engagement),
        levels: fit_view(&found.levels_with_controls, level_rows),
        event_study: fit_view(&found.event_study, event_rows),
        difference_in_differences: fit_view(&found.difference_in_differences, after_rows),
        pre_trend,
        few_groups,
        measure,
    }
}

fn coefficient_row(c: &Coefficient, name: String, direction: Direction, unit: &str) -> CoefficientRow {
    let read = reading(c, direction);
    let words = tr_with(
        &format!("evidence-reads-{}", read.as_str()),
        &[
            ("estimate", figure(c.estimate)),
            ("unit", unit.to_string()),
            ("interval", interval_words(c.low, c.high)),
        ],
    );
    CoefficientRow {
        name,
        estimate: figure(c.estimate),
        interval: interval_words(c.low, c.high),
        p_value: if c.p_value < 0.001 {
            "< 0.001".to_string()
        } else {
            format!("{:.3}", c.p_value)
        },
        reading: match read {
            Reading::Better => "better",
            Reading::Worse => "worse",
            Reading::NotClear => "not-clear",
        },
        words,
    }
}

fn fit_view(fitted: &Fitted, rows: impl Fn(&Fit) -> Vec<CoefficientRow>) -> FitView {
    match fitted {
        Fitted::Fit(fit) => FitView {
            rows: rows(fit),
            basis: tr_with(
                "evidence-fit-basis",
                &[
                    ("values", fit.observations.to_string()),
                    ("teams", fit.groups.to_string()),
                    ("parameters", fit.parameters.to_string()),
                ],
            ),
            too_few: None,
        },
        Fitted::TooFew {
            observations,
            parameters,
            groups,
        } => FitView {
            rows: Vec::new(),
            basis: String::new(),
            too_few: Some(tr_with(
                "evidence-too-few",
                &[
                    ("values", observations.to_string()),
                    ("parameters", parameters.to_string()),
                    ("teams", groups.to_string()),
                ],
            )),
        },
    }
}

/// A quarter from the move up in words: binned at both ends.
fn quarter_words(quarter: i32) -> String {
    let first = EVENT_QUARTERS.first().copied().unwrap_or(-4);
    let last = EVENT_QUARTERS.last().copied().unwrap_or(8);
    let key = match quarter {
        q if q == first => "evidence-quarter-before-or-earlier",
        q if q < 0 => "evidence-quarter-before",
        0 => "evidence-quarter-of-move",
        q if q == last => "evidence-quarter-after-or-later",
        _ => "evidence-quarter-after",
    };
    tr_with(key, &[("n", quarter.abs().to_string())])
}

/// A colour per group, the same on every chart of the page.
const GROUP_COLOURS: [RGBColor; 6] = [
    RGBColor(110, 110, 110),
    RGBColor(192, 86, 33),
    RGBColor(200, 150, 20),
    RGBColor(47, 133, 90),
    RGBColor(33, 97, 140),
    RGBColor(120, 60, 160),
];

/// Each group's mean year by year, whiskers for its interval.
fn means_chart(title: &str, groups: &[GroupYear], unit: &str) -> String {
    let mut years: Vec<i32> = groups.iter().map(|g| g.year).collect();
    years.sort_unstable();
    years.dedup();
    let mut names: Vec<&str> = groups.iter().map(|g| g.group.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let series: Vec<EstimateSeries> = names
        .iter()
        .enumerate()
        .map(|(i, name)| EstimateSeries {
            name: group_label(name, current()),
            colour: GROUP_COLOURS[i % GROUP_COLOURS.len()],
            points: years
                .iter()
                .map(|year| {
                    groups
                        .iter()
                        .find(|g| g.group == *name && g.year == *year)
                        .map(|g| Estimate {
                            value: g.mean.mean,
                            interval: g.mean.low.zip(g.mean.high),
                        })
                })
                .collect(),
        })
        .collect();
    let labels: Vec<String> = years.iter().map(|y| y.to_string()).collect();
    estimate_chart(&format!("{title} ({unit})"), &labels, Axis::Count, &series, false)
}

/// The event study's quarters, the quarter before the move at nothing.
fn event_chart(fitted: &Fitted) -> String {
    let Some(fit) = fitted.fit() else {
        return String::new();
    };
    let quarters: Vec<i32> = (EVENT_QUARTERS[0]..=EVENT_QUARTERS[EVENT_QUARTERS.len() - 1]).collect();
    let points = quarters
        .iter()
        .map(|q| match *q {
            -1 => Some(Estimate {
                value: 0.0,
                interval: None,
            }),
            q => fit.coefficient(&event_column(q)).map(|c| Estimate {
                value: c.estimate,
                interval: Some((c.low, c.high)),
            }),
        })
        .collect();
    let labels: Vec<String> = quarters
        .iter()
        .map(|q| if *q > 0 { format!("+{q}") } else { q.to_string() })
        .collect();
    estimate_chart(
        &tr("evidence-chart-event"),
        &labels,
        Axis::Count,
        &[EstimateSeries {
            name: tr("evidence-teams-moved-up"),
            colour: GROUP_COLOURS[4],
            points,
        }],
        true,
    )
}

/// The panel every model was fitted to, as a file.
pub async fn panel(
    State(state): State<AppState>,
    who: SignedIn,
    Path(code): Path<String>,
) -> Result<Response, crate::http::PageError> {
    let export = actions::export(&state, &who.actor, &code).await?;
    Ok(download(
        "text/csv; charset=utf-8",
        &export.panel_name,
        export.panel_csv,
    ))
}

/// The models as run, as a file.
pub async fn models(
    State(state): State<AppState>,
    who: SignedIn,
    Path(code): Path<String>,
) -> Result<Response, crate::http::PageError> {
    let export = actions::export(&state, &who.actor, &code).await?;
    Ok(download("application/json", &export.models_name, export.models_json))
}

/// An outcomes file streams from the form to disk.
pub async fn import_outcomes(State(state): State<AppState>, who: SignedIn, form: Multipart) -> PageResult {
    let outcome = with_uploaded_file(&who, form, "outcomes", "outcomes.csv", async |upload, file| {
        actions::import_outcomes(&state, &who.actor, &upload.file_name, file).await
    })
    .await?;
    let done = match &outcome {
        Ok(r) => tr_with(
            "done-outcomes-taken",
            &[
                ("rows", r.rows.to_string()),
                ("added", r.added.to_string()),
                ("unchanged", r.unchanged.to_string()),
                ("measures", r.measures.to_string()),
                ("teams", r.teams.to_string()),
            ],
        ),
        Err(_) => String::new(),
    };
    back_to("/evidence#outcomes", outcome, &done)
}
