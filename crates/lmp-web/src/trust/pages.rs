//! The Partnership Trust: the year by source and pay period, spending
//! against the budget the trustees approved, reconciliation, each local's
//! statement (printable, or CSV), the payroll upload, and a trustee's
//! approval for their side.

use crate::auth::session::SignedIn;
use crate::http::charts::{bar_chart, series_chart, Axis, Periods, Series};
use crate::http::charts::{LABOR, MANAGEMENT};
use crate::http::i18n::{current, tr, tr_with};
use crate::http::{
    back_to, permit, person_of, render, with_uploaded_file, AppError, Fields, Layout, Notice, PageError, PageResult,
};
use crate::http::{PagePath as Path, PageQuery as Query};
use crate::state::AppState;
use crate::trust::actions;
use askama::Template;
use axum::extract::{Multipart, RawForm, State};
use axum::http::header;
use axum::response::IntoResponse;
use lmp_core::money::Cents;
use lmp_core::policy::Action;
use lmp_core::trust::ledger::SpendingCategory;
use lmp_store::trust::ledger::{Budget, ReconciliationRow, StatementRow, TrustYear, Trustee};
use lmp_store::trust::{HoursOutcome, Totals};
use serde::Deserialize;

/// Remittances, apart from either side's colour.
const REMITTED: plotters::style::RGBColor = plotters::style::RGBColor(60, 140, 80);

#[derive(Debug, Default, Deserialize)]
pub struct TrustQuery {
    pub year: Option<i16>,
    /// Reconciliation: only what does not match.
    pub flagged: Option<String>,
    /// Statement: `csv` for a download.
    pub format: Option<String>,
    #[serde(flatten)]
    pub notice: Notice,
}

impl TrustQuery {
    fn year(&self) -> i16 {
        self.year.unwrap_or_else(|| lmp_store::today().year())
    }
}

#[derive(Template)]
#[template(path = "trust.html")]
struct TrustPage {
    layout: Layout,
    notice: Notice,
    year: i16,
    figures: TrustYear,
    locals: Vec<Totals>,
    budget: Option<Budget>,
    next_budget: Option<Budget>,
    trustees: Vec<Trustee>,
    /// The side this sign-in is a trustee for.
    my_trustee_side: Option<String>,
    /// (budget, year) waiting for that side's approval.
    approvable: Vec<(i64, i16)>,
    can_manage: bool,
    charts: Vec<String>,
    /// For the remittance form: the year's pay periods (first day) and the locals.
    period_starts: Vec<String>,
    categories: Vec<(&'static str, &'static str)>,
    today: String,
}

impl TrustPage {
    /// The sides whose trustee a budget still waits for, in words.
    fn waiting_sides(&self, budget: &Budget) -> String {
        let sides: Vec<&str> = budget.keys.waiting_for().iter().map(|s| s.as_str()).collect();
        self.layout.sides_in_words(&sides)
    }
}

pub async fn show(State(state): State<AppState>, who: SignedIn, Query(q): Query<TrustQuery>) -> PageResult {
    permit(&who, Action::ReadTrust)?;
    let pid = who.actor.partnership_id;
    let year = q.year();
    let figures = state.store.trust_year(pid, year).await?;
    let locals = state.store.trust_year_by_local(pid, year).await?;
    let budget = state.store.trust_budget(pid, year).await?;
    let next_budget = state.store.trust_budget(pid, year + 1).await?;
    let trustees = state.store.trustees(pid).await?;
    let my_side = match person_of(&state, &who.actor).await? {
        Some(person) => state.store.trustee_side(pid, person).await?,
        None => None,
    };
    let approvable = [&budget, &next_budget]
        .into_iter()
        .flatten()
        .filter(|b| my_side.is_some_and(|side| b.keys.waiting_for().contains(&side)))
        .map(|b| (b.id, b.year))
        .collect();
    let charts = charts(&figures);
    // Latest first: a remittance usually answers the last period.
    let period_starts = figures.by_period.iter().rev().map(|p| p.period_start.clone()).collect();
    let layout = Layout::new(&state, &who, tr_with("trust-title-year", &[("year", year.to_string())]))
        .await?
        .crumb("/trust", tr("trust-title"));
    render(&TrustPage {
        layout,
        notice: q.notice,
        year,
        figures,
        locals,
        budget,
        next_budget,
        trustees,
        my_trustee_side: my_side.map(|s| s.as_str().to_string()),
        approvable,
        can_manage: permit(&who, Action::ManageTrust).is_ok(),
        charts,
        period_starts,
        categories: SpendingCategory::ALL
            .iter()
            .map(|c| (c.as_str(), c.label_in(current())))
            .collect(),
        today: lmp_store::today().to_string(),
    })
}

/// Contributions by pay period, workers' beside the employer's; spending as
/// a share of each category's budget.
fn charts(figures: &TrustYear) -> Vec<String> {
    let labels: Vec<String> = figures
        .by_period
        .iter()
        .map(|p| p.period_end[5..].to_string())
        .collect();
    // Pay periods are shown once ended: none is partial.
    let periods = Periods {
        labels: &labels,
        last_is_partial: false,
    };
    let dollars = |c: Cents| Some(c.get() as f64 / 100.0);
    let mut charts = vec![series_chart(
        &tr("trust-chart-contributions"),
        &periods,
        Axis::Dollars,
        &[
            Series {
                name: tr("trust-from-workers"),
                colour: LABOR,
                values: figures.by_period.iter().map(|p| dollars(p.worker)).collect(),
            },
            Series {
                name: tr("trust-from-employer"),
                colour: MANAGEMENT,
                values: figures.by_period.iter().map(|p| dollars(p.employer)).collect(),
            },
            Series {
                name: tr("trust-remitted-both"),
                colour: REMITTED,
                values: figures.by_period.iter().map(|p| dollars(p.remitted)).collect(),
            },
        ],
    )];
    let spent: Vec<(String, i64)> = figures
        .budget
        .iter()
        .filter_map(|b| Some((b.category.label_in(current()).to_string(), b.percent_spent()?)))
        .collect();
    if !spent.is_empty() {
        charts.push(bar_chart(&tr("trust-chart-spent"), &spent, MANAGEMENT));
    }
    charts
}

#[derive(Template)]
#[template(path = "trust_reconciliation.html")]
struct ReconciliationPage {
    layout: Layout,
    year: i16,
    flagged_only: bool,
    rows: Vec<ReconciliationRow>,
    total: usize,
}

pub async fn reconciliation(State(state): State<AppState>, who: SignedIn, Query(q): Query<TrustQuery>) -> PageResult {
    permit(&who, Action::ReadTrust)?;
    let year = q.year();
    let all = state.store.trust_reconciliation(who.actor.partnership_id, year).await?;
    let total = all.len();
    let flagged_only = q.flagged.is_some();
    let rows = all
        .into_iter()
        .filter(|r| !flagged_only || r.status != "matched")
        .collect();
    let layout = Layout::new(
        &state,
        &who,
        tr_with("trust-reconciliation-year", &[("year", year.to_string())]),
    )
    .await?
    .crumb("/trust", tr("trust-title"))
    .crumb("/trust/reconciliation", tr("trust-reconciliation"));
    render(&ReconciliationPage {
        layout,
        year,
        flagged_only,
        rows,
        total,
    })
}

#[derive(Template)]
#[template(path = "trust_statement.html")]
struct StatementPage {
    layout: Layout,
    local: String,
    year: i16,
    rows: Vec<StatementRow>,
    total: StatementRow,
}

/// A local's statement for the year: a page that prints cleanly, or CSV.
pub async fn statement(
    State(state): State<AppState>,
    who: SignedIn,
    Path(local): Path<String>,
    Query(q): Query<TrustQuery>,
) -> Result<axum::response::Response, PageError> {
    permit(&who, Action::ReadTrust)?;
    let year = q.year();
    let rows = state
        .store
        .trust_local_statement(who.actor.partnership_id, &local, year)
        .await?;
    if q.format.as_deref() == Some("csv") {
        let mut out = csv::Writer::from_writer(Vec::new());
        let write = |out: &mut csv::Writer<Vec<u8>>| -> Result<(), csv::Error> {
            out.write_record([
                "period_start",
                "period_end",
                "workers",
                "hours",
                "worker_cents",
                "employer_cents",
                "remitted_cents",
            ])?;
            for r in &rows {
                out.write_record([
                    r.period_start.clone(),
                    r.period_end.clone(),
                    r.workers.to_string(),
                    r.hours.to_plain(),
                    r.worker.get().to_string(),
                    r.employer.get().to_string(),
                    r.remitted.get().to_string(),
                ])?;
            }
            out.flush()?;
            Ok(())
        };
        write(&mut out).map_err(|e| AppError::Internal(e.to_string()))?;
        let bytes = out.into_inner().map_err(|e| AppError::Internal(e.to_string()))?;
        return Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"trust-{local}-{year}.csv\""),
                ),
            ],
            bytes,
        )
            .into_response());
    }
    let mut total = StatementRow {
        period_start: String::new(),
        period_end: String::new(),
        workers: 0,
        hours: Default::default(),
        worker: Cents::ZERO,
        employer: Cents::ZERO,
        remitted: Cents::ZERO,
    };
    for r in &rows {
        total.hours += r.hours;
        total.worker = total.worker + r.worker;
        total.employer = total.employer + r.employer;
        total.remitted = total.remitted + r.remitted;
    }
    let layout = Layout::new(
        &state,
        &who,
        tr_with(
            "trust-statement-title",
            &[("local", local.clone()), ("year", year.to_string())],
        ),
    )
    .await?
    .crumb("/trust", tr("trust-title"))
    .crumb(format!("/trust/locals/{local}?year={year}"), &local);
    render(&StatementPage {
        layout,
        local,
        year,
        rows,
        total,
    })
}

/// The payroll form: a file, "replace" ticked or not, and the CSRF token;
/// the file streams to disk.
pub async fn upload(State(state): State<AppState>, who: SignedIn, form: Multipart) -> PageResult {
    let outcome = with_uploaded_file(&who, form, "payroll", "payroll.csv", async |upload, file| {
        actions::import_payroll(&state, &who.actor, &upload.file_name, file, upload.replace).await
    })
    .await?;
    let done = match &outcome {
        Ok(HoursOutcome::Imported(i)) => tr_with(
            "done-payroll-taken",
            &[
                ("lines", i.lines.to_string()),
                ("periods", i.periods.to_string()),
                ("replaced", i.replaced.to_string()),
                ("worker", i.worker.whole_dollars()),
                ("employer", i.employer.whole_dollars()),
            ],
        ),
        Ok(HoursOutcome::Unchanged {
            file_name, imported_at, ..
        }) => tr_with(
            "done-payroll-seen",
            &[("file", file_name.clone()), ("when", imported_at.clone())],
        ),
        Err(_) => String::new(),
    };
    let outcome = outcome.map_err(|e| match e {
        AppError::BadRequest(reason) => AppError::BadRequest(lmp_core::Refusal::each(|language| {
            format!(
                "{}. {}",
                reason.in_language(language),
                crate::http::i18n::text_with(language, "trust-nothing-taken", None)
            )
        })),
        e => e,
    });
    back_to("/trust#payroll", outcome, &done)
}

/// The administrator records a remittance the employer sent.
pub async fn remit(State(state): State<AppState>, who: SignedIn, RawForm(body): RawForm) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let input = actions::RemittanceInput {
        period_start: f.one("period_start").to_string(),
        local: f.one("local").to_string(),
        amount: f.one("amount").to_string(),
        received_on: f.one("received_on").to_string(),
        reference: f.one("reference").to_string(),
    };
    let outcome = actions::record_remittances(&state, &who.actor, vec![input]).await;
    let done = match &outcome {
        Ok(0) => tr("done-remittance-seen"),
        _ => tr("done-remittance-recorded"),
    };
    back_to("/trust#remittances", outcome, &done)
}

/// The administrator records money spent.
pub async fn spend(State(state): State<AppState>, who: SignedIn, RawForm(body): RawForm) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let input = actions::SpendingInput {
        category: f.one("category").to_string(),
        amount: f.one("amount").to_string(),
        spent_on: f.one("spent_on").to_string(),
        memo: f.one("memo").to_string(),
    };
    let outcome = actions::record_spending(&state, &who.actor, input).await;
    back_to("/trust#remittances", outcome, &tr("done-spending-recorded"))
}

/// A trustee approves a budget for their side.
pub async fn approve(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    Fields::parse(&who, &body)?;
    let outcome = actions::approve_budget(&state, &who.actor, id).await;
    let done = match &outcome {
        Ok(b) if b.approved() => tr_with("done-budget-in-force", &[("year", b.year.to_string())]),
        Ok(b) => tr_with("done-budget-your-side", &[("year", b.year.to_string())]),
        Err(_) => String::new(),
    };
    back_to("/trust#budget", outcome, &done)
}
