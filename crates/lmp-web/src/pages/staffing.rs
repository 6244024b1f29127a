//! Staffing: how often each unit, facility and region fell below the legal
//! ratio, month by month, and the worst hours — the figures a joint staffing
//! discussion starts from; one case checked against the rules; and, for the
//! administrator, units and readings files taken in.

use super::{back_to, render, Layout, Notice, PageResult};
use crate::auth::session::SignedIn;
use crate::charts::bar_chart;
use crate::error::AppError;
use crate::staffing_actions::{self, CaseAnswer, CaseQuery, FilterQuery};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Query, State};
use lmp_core::policy::{authorize, Action};
use lmp_core::staffing::rules::UnitRatio;
use lmp_store::staffing::compliance::{ComplianceBy, ComplianceRow, ShortHour};
use lmp_store::staffing::plans::PlanVersion;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct StaffingQuery {
    #[serde(flatten)]
    pub filter: FilterQuery,
    /// A case to check: unit type and census.
    pub unit_type: Option<String>,
    pub patients: Option<String>,
    pub critical: Option<String>,
    pub trauma: Option<String>,
    pub occupied_rooms: Option<String>,
    #[serde(flatten)]
    pub notice: Notice,
}

#[derive(Template)]
#[template(path = "staffing.html")]
struct StaffingPage {
    layout: Layout,
    notice: Notice,
    filter: FilterQuery,
    overall: Option<ComplianceRow>,
    chart: String,
    by_region: Vec<ComplianceRow>,
    by_facility: Vec<ComplianceRow>,
    worst_units: Vec<ComplianceRow>,
    worst_hours: Vec<ShortHour>,
    units: usize,
    table: Vec<UnitRatio>,
    law: String,
    case: CaseQuery,
    answer: Option<Result<CaseAnswer, String>>,
    can_manage: bool,
    /// With a unit chosen: its plan's versions, newest first.
    plans: Vec<PlanVersion>,
    /// The latest version's licensed nurses by day (rows) and hour (columns).
    plan_grid: Vec<(&'static str, Vec<u32>)>,
}

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

fn number(text: &Option<String>) -> Result<u32, String> {
    match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(0),
        Some(t) => t.parse().map_err(|_| format!("{t:?} is not a whole number")),
    }
}

pub async fn show(State(state): State<AppState>, who: SignedIn, Query(q): Query<StaffingQuery>) -> PageResult {
    super::permit(&who, Action::ReadStaffing)?;
    let pid = who.actor.partnership_id;
    let filter = q.filter.filter()?;
    let months = state
        .store
        .staffing_compliance(pid, ComplianceBy::Month, &filter)
        .await?;
    let by_region = state
        .store
        .staffing_compliance(pid, ComplianceBy::Region, &filter)
        .await?;
    let mut by_facility = state
        .store
        .staffing_compliance(pid, ComplianceBy::Facility, &filter)
        .await?;
    by_facility.truncate(40);
    let mut worst_units = state
        .store
        .staffing_compliance(pid, ComplianceBy::Unit, &filter)
        .await?;
    worst_units.truncate(25);
    let overall = months.iter().fold(None, |all: Option<ComplianceRow>, m| {
        let mut all = all.unwrap_or(ComplianceRow {
            key: String::new(),
            name: String::new(),
            hours: 0,
            short_hours: 0,
            triage_short_hours: 0,
            nurse_hours_short: 0,
            patient_hours: 0,
            patient_hours_affected: 0,
        });
        all.hours += m.hours;
        all.short_hours += m.short_hours;
        all.triage_short_hours += m.triage_short_hours;
        all.nurse_hours_short += m.nurse_hours_short;
        all.patient_hours += m.patient_hours;
        all.patient_hours_affected += m.patient_hours_affected;
        Some(all)
    });
    let bars: Vec<(String, i64)> = months.iter().map(|m| (m.key.clone(), m.short_hours)).collect();
    let chart = if bars.is_empty() {
        String::new()
    } else {
        bar_chart(
            "Unit-hours below the legal ratio, by month",
            &bars,
            plotters::style::RGBColor(190, 80, 60),
        )
    };
    let case = CaseQuery {
        rules: None,
        unit_type: q.unit_type.clone().unwrap_or_default(),
        patients: 0,
        critical: 0,
        trauma: 0,
        occupied_rooms: None,
        on: None,
    };
    let answer = if case.unit_type.trim().is_empty() {
        None
    } else {
        let parsed = (|| -> Result<CaseQuery, String> {
            let rooms = q.occupied_rooms.as_deref().map(str::trim).filter(|t| !t.is_empty());
            Ok(CaseQuery {
                patients: number(&q.patients)?,
                critical: number(&q.critical)?,
                trauma: number(&q.trauma)?,
                occupied_rooms: rooms.map(|_| number(&q.occupied_rooms)).transpose()?,
                ..case.clone()
            })
        })();
        Some(match parsed {
            Ok(query) => staffing_actions::required(&state, &who.actor, &query)
                .await
                .map_err(|e| e.to_string()),
            Err(e) => Err(e),
        })
    };
    let plans = match filter.unit.as_deref() {
        Some(code) => match state.store.staffing_plans(pid, code).await {
            Ok(plans) => plans,
            Err(lmp_store::StoreError::NotFound(_)) => Vec::new(),
            Err(e) => return Err(e.into()),
        },
        None => Vec::new(),
    };
    let plan_grid = plans
        .first()
        .map(|latest| {
            DAYS.iter()
                .enumerate()
                .map(|(d, day)| (*day, latest.plan.staff[0][d * 24..d * 24 + 24].to_vec()))
                .collect()
        })
        .unwrap_or_default();
    let law = state.store.staffing_layered(pid, "ca-title22").await?;
    let version = law
        .top()
        .in_force(lmp_store::today())
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let page = StaffingPage {
        layout: Layout::new(&state, &who, "Staffing").await?,
        notice: q.notice,
        filter: q.filter,
        overall,
        chart,
        by_region,
        by_facility,
        worst_units,
        worst_hours: state.store.staffing_short_hours(pid, &filter, 25).await?,
        units: state.store.staffing_units(pid).await?.len(),
        law: format!("{} — in force since {}", law.top().title, version.effective_from),
        table: version.units.clone(),
        case,
        answer,
        can_manage: authorize(&who.actor, Action::ManageStaffing, pid).is_ok(),
        plans,
        plan_grid,
    };
    render(&page)
}

/// A co-lead approves the latest plan version for their side.
pub async fn approve_plan(
    State(state): State<AppState>,
    who: SignedIn,
    axum::extract::Path(id): axum::extract::Path<i64>,
    axum::extract::RawForm(body): axum::extract::RawForm,
) -> PageResult {
    super::Fields::parse(&who, &body)?;
    let outcome = staffing_actions::approve_plan(&state, &who.actor, id).await;
    let (unit, done) = match &outcome {
        Ok(v) if v.in_force => (
            v.unit.clone(),
            "Approved by both sides: this version is in force.".to_string(),
        ),
        Ok(v) => (
            v.unit.clone(),
            "Approved for your side; the other side's co-lead approves next.".to_string(),
        ),
        Err(_) => (String::new(), String::new()),
    };
    back_to(&format!("/staffing?unit={unit}#plan"), outcome, &done)
}

pub async fn import_units(State(state): State<AppState>, who: SignedIn, form: Multipart) -> PageResult {
    let outcome = match super::uploaded(&who, form).await {
        Ok((name, bytes)) => staffing_actions::import_units(&state, &who.actor, &name, &bytes, None).await,
        Err(e) => Err(e),
    };
    let done = match &outcome {
        Ok(t) => format!(
            "{} units added, {} changed, {} unchanged.",
            t.added, t.changed, t.unchanged
        ),
        Err(_) => String::new(),
    };
    back_to("/staffing#files", outcome, &done)
}

/// A readings file streams from the form to disk: the token and the
/// replace box come first in the form, so they are known before the bytes.
pub async fn import_readings(State(state): State<AppState>, who: SignedIn, mut form: Multipart) -> PageResult {
    let (mut csrf, mut replace) = (String::new(), false);
    let mut outcome = None;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(format!("the upload could not be read: {e}")))?
    {
        match field.name().unwrap_or("") {
            "csrf" => csrf = field.text().await.unwrap_or_default(),
            "replace" => replace = true,
            "file" => {
                who.check_csrf(&csrf)?;
                let name = field.file_name().unwrap_or("readings.csv").to_string();
                let stream = futures::stream::unfold(field, |mut field| async move {
                    match field.chunk().await {
                        Ok(Some(bytes)) => Some((Ok(bytes), field)),
                        Ok(None) => None,
                        Err(e) => Some((Err(e), field)),
                    }
                });
                outcome = Some(staffing_actions::import_readings(&state, &who.actor, &name, stream, replace).await);
            }
            _ => {}
        }
    }
    let outcome = outcome.ok_or_else(|| AppError::BadRequest("choose a readings file to upload".into()))?;
    let done = match &outcome {
        Ok(t) if t.unchanged => "This file was taken in before: nothing changed.".to_string(),
        Ok(t) => format!("Taken in: {}.", t.summary()),
        Err(_) => String::new(),
    };
    back_to("/staffing#files", outcome, &done)
}
