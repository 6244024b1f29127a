//! Staffing: how often each unit, facility, region and unit type fell
//! below the legal ratio and below its approved plan, week by week, month by
//! month or quarter by quarter, and the worst hours — the figures a joint
//! staffing discussion starts from; one case checked against the rules; a
//! unit's plan versions with the co-leads' form to write the next one (its
//! week filled from history if they like) or to ask what a change would
//! cost; and, for the administrator, units and readings files taken in.

use crate::auth::session::SignedIn;
use crate::http::i18n::{about_field, refusal, tr, tr_with};
use crate::http::{
    back_to, charts::bar_chart, render, with_uploaded_file, AppError, Fields, Layout, Notice, PageError, PageResult,
};
use crate::http::{PagePath as Path, PageQuery as Query};
use crate::staffing::actions::{self, CaseAnswer, CaseQuery, FilterQuery, HistoryQuery, PlanWrite};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, State};
use lmp_core::money::Cents;
use lmp_core::policy::{authorize, Action};
use lmp_core::staffing::plan::{
    parse_week_text, week_text, ExpectedHour, PlanInput, RoleNeed, WhatIf, HOURS_OF_WEEK, LICENSED, WEEKDAYS,
};
use lmp_core::staffing::rules::UnitRatio;
use lmp_core::Refusal;
use lmp_store::staffing::compliance::{ComplianceBy, ComplianceRow, PlanGapHour, ShortHour};
use lmp_store::staffing::plans::PlanVersion;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct StaffingQuery {
    #[serde(flatten)]
    pub filter: FilterQuery,
    /// The trend's period: week, month (the default) or quarter.
    pub trend: Option<String>,
    /// A case to check: unit type and census.
    pub unit_type: Option<String>,
    pub patients: Option<String>,
    pub critical: Option<String>,
    pub trauma: Option<String>,
    pub occupied_rooms: Option<String>,
    /// Fill the plan form's week from the unit's history.
    pub history: Option<String>,
    pub history_from: Option<String>,
    pub history_to: Option<String>,
    pub percentile: Option<String>,
    #[serde(flatten)]
    pub notice: Notice,
}

/// How many role rows the plan form offers besides licensed nurses.
const ROLE_ROWS: usize = 4;

/// A role row of the plan form, as typed.
#[derive(Debug, Clone, Default)]
pub struct RoleRow {
    pub role: String,
    pub per: String,
    pub fixed: String,
    pub pay: String,
}

/// The plan form as typed: kept whole when it is refused, so nothing typed is lost.
#[derive(Debug, Clone, Default)]
pub struct PlanForm {
    pub effective_from: String,
    pub note: String,
    pub break_relief_per: String,
    pub licensed_pay: String,
    pub roles: Vec<RoleRow>,
    pub week: String,
    /// Where the week came from, in words.
    pub source: String,
}

impl PlanForm {
    /// Prefilled from the latest version, or an empty week.
    fn from_version(latest: Option<&PlanVersion>) -> PlanForm {
        let Some(v) = latest else {
            return PlanForm {
                break_relief_per: "0".into(),
                roles: vec![RoleRow::default(); ROLE_ROWS],
                week: week_text(
                    &[ExpectedHour {
                        acuity_percent: 100,
                        ..ExpectedHour::default()
                    }; HOURS_OF_WEEK],
                ),
                source: tr("staffing-no-plan-yet"),
                ..PlanForm::default()
            };
        };
        let pay = |role: &str| {
            v.input
                .pay_cents
                .get(role)
                .map(|c| Cents(*c).to_plain())
                .unwrap_or_default()
        };
        let mut roles: Vec<RoleRow> = v
            .input
            .roles
            .iter()
            .map(|r| RoleRow {
                role: r.role.clone(),
                per: r.patients_per_staff.map(|n| n.to_string()).unwrap_or_default(),
                fixed: if r.patients_per_staff.is_none() {
                    r.fixed.to_string()
                } else {
                    String::new()
                },
                pay: pay(&r.role),
            })
            .collect();
        roles.resize(roles.len().max(ROLE_ROWS), RoleRow::default());
        PlanForm {
            effective_from: String::new(),
            note: String::new(),
            break_relief_per: v.input.break_relief_per.to_string(),
            licensed_pay: pay(LICENSED),
            roles,
            week: week_text(&v.input.hours),
            source: tr_with("staffing-week-of-version", &[("version", v.version.to_string())]),
        }
    }

    fn from_fields(fields: &Fields) -> PlanForm {
        let column = |name: &str| fields.all(name);
        let (role, per, fixed, pay) = (column("role"), column("per"), column("fixed"), column("pay"));
        let roles = (0..role.len())
            .map(|i| {
                let at = |values: &[&str]| values.get(i).map(|v| v.trim().to_string()).unwrap_or_default();
                RoleRow {
                    role: at(&role),
                    per: at(&per),
                    fixed: at(&fixed),
                    pay: at(&pay),
                }
            })
            .collect();
        PlanForm {
            effective_from: fields.one("effective_from").trim().to_string(),
            note: fields.one("note").to_string(),
            break_relief_per: fields.one("break_relief_per").trim().to_string(),
            licensed_pay: fields.one("licensed_pay").trim().to_string(),
            roles,
            week: fields.one("week").to_string(),
            source: String::new(),
        }
    }

    /// The plan input the form describes, or what is wrong with it.
    fn input(&self) -> Result<PlanInput, Refusal> {
        let whole = |key: &str, role: &str, text: &str| {
            whole_number(text).map_err(|e| about_field(key, &[("role", role.to_string())], e))
        };
        let mut pay_cents = std::collections::BTreeMap::new();
        let mut pay = |role: &str, text: &str| -> Result<(), Refusal> {
            if !text.is_empty() {
                let cents = Cents::parse_dollars(text)
                    .map_err(|e| about_field("field-pay-for", &[("role", role.to_string())], e))?;
                pay_cents.insert(role.to_string(), cents.get());
            }
            Ok(())
        };
        pay(LICENSED, &self.licensed_pay)?;
        let mut roles = Vec::new();
        for row in self.roles.iter().filter(|r| !r.role.is_empty()) {
            let role = row.role.to_ascii_lowercase();
            let per = whole("field-patients-each", &role, &row.per)?;
            roles.push(RoleNeed {
                patients_per_staff: (per > 0).then_some(per),
                fixed: whole("field-fixed-number", &role, &row.fixed)?,
                role: role.clone(),
            });
            pay(&role, &row.pay)?;
        }
        Ok(PlanInput {
            hours: parse_week_text(&self.week).map_err(|e| about_field("field-the-week", &[], e))?,
            break_relief_per: whole("field-relief", "", &self.break_relief_per)?,
            roles,
            pay_cents,
        })
    }
}

/// One role's year before and after a change, for showing.
pub struct WhatIfRow {
    pub role: String,
    pub before_hours: i64,
    pub after_hours: i64,
    pub before_cost: String,
    pub after_cost: String,
}

/// "What if" as the page shows it.
pub struct WhatIfView {
    pub rows: Vec<WhatIfRow>,
    pub staff_hours_difference: i64,
    pub cost_difference: String,
}

impl WhatIfView {
    fn new(change: &WhatIf) -> WhatIfView {
        let mut roles: Vec<&str> = change.before.iter().map(|r| r.role.as_str()).collect();
        for r in &change.after {
            if !roles.contains(&r.role.as_str()) {
                roles.push(&r.role);
            }
        }
        let cost = |c: Option<i64>| c.map(|c| Cents(c).whole_dollars()).unwrap_or_else(|| "—".into());
        let rows = roles
            .into_iter()
            .map(|role| {
                let before = change.before.iter().find(|r| r.role == role);
                let after = change.after.iter().find(|r| r.role == role);
                WhatIfRow {
                    role: role.to_string(),
                    before_hours: before.map_or(0, |r| r.staff_hours),
                    after_hours: after.map_or(0, |r| r.staff_hours),
                    before_cost: cost(before.and_then(|r| r.cost_cents)),
                    after_cost: cost(after.and_then(|r| r.cost_cents)),
                }
            })
            .collect();
        WhatIfView {
            rows,
            staff_hours_difference: change.staff_hours_difference,
            cost_difference: Cents(change.cost_difference_cents).whole_dollars(),
        }
    }
}

#[derive(Template)]
#[template(path = "staffing.html")]
struct StaffingPage {
    layout: Layout,
    notice: Notice,
    filter: FilterQuery,
    overall: Option<ComplianceRow>,
    trend: &'static str,
    chart: String,
    plan_chart: String,
    by_region: Vec<ComplianceRow>,
    by_facility: Vec<ComplianceRow>,
    by_unit_type: Vec<ComplianceRow>,
    worst_units: Vec<ComplianceRow>,
    worst_hours: Vec<ShortHour>,
    worst_plan_gaps: Vec<PlanGapHour>,
    units: usize,
    table: Vec<UnitRatio>,
    law: String,
    case: CaseQuery,
    answer: Option<Result<CaseAnswer, String>>,
    can_manage: bool,
    /// The unit chosen, if any.
    unit: Option<String>,
    /// With a unit chosen: its plan's versions, newest first.
    plans: Vec<PlanVersion>,
    /// The latest version's licensed nurses by day (rows) and hour (columns).
    plan_grid: Vec<(&'static str, Vec<u32>)>,
    /// The co-leads' form for the next version, with what "what if" found
    /// or why the form was refused.
    plan_form: Option<PlanForm>,
    plan_error: Option<String>,
    what_if: Option<WhatIfView>,
    next_version: i64,
}

fn number(text: &Option<String>) -> Result<u32, Refusal> {
    whole_number(text.as_deref().unwrap_or_default())
}

/// A count typed in a form: empty is none.
fn whole_number(text: &str) -> Result<u32, Refusal> {
    match text.trim() {
        "" => Ok(0),
        t => t
            .parse()
            .map_err(|_| refusal("refused-not-whole-number", &[("text", t.to_string())])),
    }
}

/// The trend's period from the query: week, month (the default) or quarter.
fn trend(text: Option<&str>) -> (ComplianceBy, &'static str) {
    match text {
        Some("week") => (ComplianceBy::Week, "week"),
        Some("quarter") => (ComplianceBy::Quarter, "quarter"),
        _ => (ComplianceBy::Month, "month"),
    }
}

pub async fn show(State(state): State<AppState>, who: SignedIn, Query(q): Query<StaffingQuery>) -> PageResult {
    render(&staffing_page(&state, &who, q, None).await?)
}

/// The plan form's outcome to show on the page: the form as typed, and
/// what "what if" found or why it was refused.
struct FormOutcome {
    form: PlanForm,
    error: Option<String>,
    what_if: Option<WhatIfView>,
}

async fn staffing_page(
    state: &AppState,
    who: &SignedIn,
    q: StaffingQuery,
    outcome: Option<FormOutcome>,
) -> Result<StaffingPage, PageError> {
    crate::http::permit(who, Action::ReadStaffing)?;
    let pid = who.actor.partnership_id;
    let filter = q.filter.filter()?;
    let (trend_by, trend_name) = trend(q.trend.as_deref());
    let compliance = |by| state.store.staffing_compliance(pid, by, &filter);
    // Each grouping is its own pass over the unit-days; they read side by side.
    let (periods, by_region, mut by_facility, by_unit_type, mut worst_units, worst_hours, worst_plan_gaps) = tokio::try_join!(
        compliance(trend_by),
        compliance(ComplianceBy::Region),
        compliance(ComplianceBy::Facility),
        compliance(ComplianceBy::UnitType),
        compliance(ComplianceBy::Unit),
        state.store.staffing_short_hours(pid, &filter, 25),
        state.store.staffing_plan_gaps(pid, &filter, 25),
    )?;
    by_facility.truncate(40);
    worst_units.truncate(25);
    let overall = ComplianceRow::total(&periods);
    let chart_of = |title: &str, value: fn(&ComplianceRow) -> i64, colour| {
        let bars: Vec<(String, i64)> = periods.iter().map(|m| (m.key.clone(), value(m))).collect();
        if bars.iter().all(|(_, n)| *n == 0) {
            String::new()
        } else {
            bar_chart(title, &bars, colour)
        }
    };
    let chart = chart_of(
        &tr_with(
            "staffing-chart-ratio",
            &[("period", tr(&format!("period-{trend_name}")))],
        ),
        |m| m.short_hours,
        plotters::style::RGBColor(190, 80, 60),
    );
    let plan_chart = chart_of(
        &tr_with(
            "staffing-chart-plan",
            &[("period", tr(&format!("period-{trend_name}")))],
        ),
        |m| m.below_plan_hours,
        plotters::style::RGBColor(200, 140, 40),
    );
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
        let parsed = (|| -> Result<CaseQuery, Refusal> {
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
            Ok(query) => actions::required(state, &who.actor, &query)
                .await
                .map_err(|e| e.in_words()),
            Err(e) => Err(e.in_language(crate::http::i18n::current()).to_string()),
        })
    };
    let unit = filter.unit.clone();
    let plans = match unit.as_deref() {
        Some(code) => match state.store.staffing_plans(pid, code).await {
            Ok(plans) => plans,
            Err(lmp_store::StoreError::NotFound(_)) => Vec::new(),
            Err(e) => return Err(AppError::from(e).into()),
        },
        None => Vec::new(),
    };
    let plan_grid = plans
        .first()
        .map(|latest| {
            WEEKDAYS
                .iter()
                .enumerate()
                .map(|(d, day)| (*day, latest.plan.staff[0][d * 24..d * 24 + 24].to_vec()))
                .collect()
        })
        .unwrap_or_default();
    // The co-leads' form: as typed after a refusal or "what if", else the
    // latest version, its week from history when asked.
    let co_leads = match unit.as_deref() {
        Some(code) => actions::co_leads_plan(state, &who.actor, code).await?,
        None => false,
    };
    let (plan_form, plan_error, what_if) = match (outcome, unit.as_deref()) {
        (Some(o), _) => (Some(o.form), o.error, o.what_if),
        (None, Some(code)) if co_leads => {
            let mut form = PlanForm::from_version(plans.first());
            let mut error = None;
            if q.history.is_some() {
                let asked = HistoryQuery {
                    from: q.history_from.clone(),
                    to: q.history_to.clone(),
                    // Left empty, the usual; 0 is asked for as typed (the quietest day).
                    percentile: match q.percentile.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                        None => None,
                        Some(t) => Some(whole_number(t).map_err(|e| {
                            AppError::BadRequest(crate::http::i18n::about_field("field-percentile", &[], e))
                        })?),
                    },
                };
                match actions::history(state, &who.actor, code, &asked).await {
                    Ok(derived) => {
                        form.week = week_text(&derived.hours);
                        let mut values = vec![
                            ("days", derived.days.to_string()),
                            (
                                "percentile",
                                asked.percentile.unwrap_or(actions::USUAL_PERCENTILE).to_string(),
                            ),
                        ];
                        form.source = if derived.hours_without_readings > 0 {
                            values.push(("gaps", derived.hours_without_readings.to_string()));
                            tr_with("staffing-derived-gaps", &values)
                        } else {
                            tr_with("staffing-derived", &values)
                        };
                    }
                    Err(e @ (AppError::Rule(_) | AppError::BadRequest(_))) => error = Some(e.in_words()),
                    Err(e) => return Err(e.into()),
                }
            }
            (Some(form), error, None)
        }
        _ => (None, None, None),
    };
    let law = state.store.staffing_layered(pid, "ca-title22").await?;
    let version = law
        .top()
        .in_force(lmp_store::today())
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(StaffingPage {
        layout: Layout::new(state, who, tr("staffing-title")).await?,
        notice: q.notice,
        filter: q.filter,
        overall,
        trend: trend_name,
        chart,
        plan_chart,
        by_region,
        by_facility,
        by_unit_type,
        worst_units,
        worst_hours,
        worst_plan_gaps,
        units: state.store.staffing_units(pid).await?.len(),
        law: tr_with(
            "staffing-law-in-force",
            &[
                ("law", law.top().title.clone()),
                ("since", version.effective_from.to_string()),
            ],
        ),
        table: version.units.clone(),
        case,
        answer,
        can_manage: authorize(&who.actor, Action::ManageStaffing, pid).is_ok(),
        unit,
        next_version: plans.first().map_or(1, |v| v.version + 1),
        plans,
        plan_grid,
        plan_form,
        plan_error,
        what_if,
    })
}

/// The co-leads' plan form: write it as the next version, or ask what it
/// would change against the plan in force. A refused form comes back as typed.
pub async fn plan_form(
    State(state): State<AppState>,
    who: SignedIn,
    Path(code): Path<String>,
    axum::extract::RawForm(body): axum::extract::RawForm,
) -> PageResult {
    crate::http::permit(&who, Action::ReadStaffing)?;
    let fields = Fields::parse(&who, &body)?;
    let form = PlanForm::from_fields(&fields);
    let asked_what_if = fields.one("do") == "what-if";
    let input = form.input();
    let result: Result<Option<WhatIfView>, AppError> = match input {
        Err(e) => Err(AppError::BadRequest(e)),
        Ok(input) if asked_what_if => state
            .store
            .staffing_what_if(who.actor.partnership_id, &code, &input)
            .await
            .map(|change| Some(WhatIfView::new(&change)))
            .map_err(AppError::from),
        Ok(input) => {
            let written = PlanWrite {
                input,
                note: form.note.clone(),
                effective_from: Some(form.effective_from.clone()),
            };
            match actions::write_plan(&state, &who.actor, &code, written).await {
                Ok(v) => {
                    let done = tr_with(
                        "done-version-written",
                        &[
                            ("version", v.version.to_string()),
                            ("from", v.effective_from.to_string()),
                        ],
                    );
                    return back_to(&format!("/staffing?unit={code}#plan"), Ok::<_, AppError>(()), &done);
                }
                Err(e) => Err(e),
            }
        }
    };
    let (error, what_if) = match result {
        Ok(what_if) => (None, what_if),
        Err(e @ (AppError::Rule(_) | AppError::BadRequest(_))) => (Some(e.in_words()), None),
        Err(e) => return Err(e.into()),
    };
    let q = StaffingQuery {
        filter: FilterQuery {
            unit: Some(code),
            ..FilterQuery::default()
        },
        ..StaffingQuery::default()
    };
    let outcome = FormOutcome { form, error, what_if };
    render(&staffing_page(&state, &who, q, Some(outcome)).await?)
}

/// A co-lead approves the latest plan version for their side.
pub async fn approve_plan(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    axum::extract::RawForm(body): axum::extract::RawForm,
) -> PageResult {
    crate::http::Fields::parse(&who, &body)?;
    let outcome = actions::approve_plan(&state, &who.actor, id).await;
    let (unit, done) = match &outcome {
        Ok(v) => (v.unit.clone(), approval_notice(v)),
        Err(_) => (String::new(), String::new()),
    };
    back_to(&format!("/staffing?unit={unit}#plan"), outcome, &done)
}

/// What an approval did, and what it leaves to do.
fn approval_notice(v: &lmp_store::staffing::plans::PlanVersion) -> String {
    if !v.approved {
        return tr("done-approved-your-side");
    }
    let governs = if v.in_force {
        tr("done-approved-in-force")
    } else {
        tr_with("done-approved-governs", &[("from", v.effective_from.to_string())])
    };
    match &v.judged_before_approval {
        Some(taken) => {
            let before = tr_with(
                "done-approved-readings-before",
                &[
                    ("days", taken.days.to_string()),
                    ("first", taken.first.to_string()),
                    ("last", taken.last.to_string()),
                ],
            );
            format!("{governs} {before}")
        }
        None => governs,
    }
}

pub async fn import_units(State(state): State<AppState>, who: SignedIn, form: Multipart) -> PageResult {
    let outcome = match crate::http::uploaded(&who, form).await {
        Ok((name, bytes)) => actions::import_units(&state, &who.actor, &name, &bytes, None).await,
        Err(e) => Err(e),
    };
    let done = match &outcome {
        Ok(t) => tr_with(
            "done-units-taken",
            &[
                ("added", t.added.to_string()),
                ("changed", t.changed.to_string()),
                ("unchanged", t.unchanged.to_string()),
            ],
        ),
        Err(_) => String::new(),
    };
    back_to("/staffing#files", outcome, &done)
}

/// A readings file streams from the form to disk.
pub async fn import_readings(State(state): State<AppState>, who: SignedIn, form: Multipart) -> PageResult {
    let outcome = with_uploaded_file(&who, form, "readings", "readings.csv", async |upload, file| {
        actions::import_readings(&state, &who.actor, &upload.file_name, file, upload.replace).await
    })
    .await?;
    let done = match &outcome {
        Ok(t) if t.unchanged => tr("done-file-seen"),
        Ok(t) => readings_taken(t),
        Err(_) => String::new(),
    };
    back_to("/staffing#files", outcome, &done)
}

/// What a readings file did, in the reader's words.
fn readings_taken(t: &lmp_store::staffing::compliance::ReadingsTaken) -> String {
    let taken = tr_with(
        "done-readings-taken",
        &[
            ("readings", t.readings.to_string()),
            ("hours", t.unit_hours.to_string()),
            ("first", t.first_day.to_string()),
            ("last", t.last_day.to_string()),
            ("short", t.short_hours.to_string()),
            ("below_plan", t.below_plan_hours.to_string()),
        ],
    );
    if t.replaced_days > 0 {
        let replaced = tr_with("done-readings-replaced", &[("days", t.replaced_days.to_string())]);
        format!("{taken} {replaced}")
    } else {
        taken
    }
}
