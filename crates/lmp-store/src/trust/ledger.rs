//! The trust's ledger beyond payroll: remittances from the employer (and
//! reconciling them against what payroll says is owed), spending, trustees
//! and the budget they approve, and the figures the trust's pages show.

use super::year_bounds;
use crate::audit::{AuditAppend, Change};
use crate::bulk::{BulkInsert, Value};
use crate::{in_tx, on_pool, require, Result, Store, StoreError};
use jiff::civil::Date;
use lmp_core::money::Cents;
use lmp_core::policy::{Action, Denied, Permit};
use lmp_core::refuse;
use lmp_core::trust::budget::{check_budget, check_new_trustee, BudgetLine, BudgetVsActual};
use lmp_core::trust::hours::Hundredths;
use lmp_core::trust::ledger::{remittance_postings, spending_postings, EntryKind, Reconciliation, SpendingCategory};
use lmp_core::two_key::Keys;
use lmp_core::Refusal;
use lmp_core::Side;
use serde::Serialize;

pub(crate) const POSTING_COLUMNS: [&str; 5] = ["partnership_id", "entry_id", "account", "category", "amount_cents"];

/// Insert one ledger entry, refused unless it balances; its postings join
/// `$rows`, for the caller to insert in one go ([`POSTING_COLUMNS`]).
macro_rules! post_entry {
    ($tx:ident, $rows:expr, $pid:expr, $booked_on:expr, $kind:expr, $period_id:expr, $local_id:expr, $import_id:expr, $memo:expr, $actor:expr, $postings:expr) => {{
        let postings: Vec<lmp_core::trust::ledger::Posting> = $postings;
        if !lmp_core::trust::ledger::balances(&postings) {
            return Err($crate::StoreError::Rule(refuse!(
"a ledger entry that does not balance was refused",
"se rechazó un asiento del libro mayor que no cuadra"
)));
        }
        let entry_id: i64 = sqlx::query_scalar(
            "INSERT INTO trust_entries (partnership_id, kind, booked_on, posted_at, period_id, local_id, import_id, memo, actor) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind($pid)
        .bind(lmp_core::trust::ledger::EntryKind::as_str($kind))
        .bind(jiff::civil::Date::to_string(&$booked_on))
        .bind($crate::now_text())
        .bind($period_id)
        .bind($local_id)
        .bind($import_id)
        .bind($memo)
        .bind($actor)
        .fetch_one(&mut *$tx)
        .await?;
        let rows: &mut Vec<Vec<$crate::bulk::Value>> = $rows;
        rows.extend(postings.iter().map(|p| {
            vec![
                $crate::bulk::Value::Int($pid),
                $crate::bulk::Value::Int(entry_id),
                $crate::bulk::Value::from(p.account.as_str()),
                $crate::bulk::Value::from(p.category.map(|c| c.as_str())),
                $crate::bulk::Value::Int(p.amount.get()),
            ]
        }));
        entry_id
    }};
}
pub(crate) use post_entry;

/// Money the employer sent for a pay period and local.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remittance {
    pub period_start: Date,
    pub local: String,
    pub amount: Cents,
    pub received_on: Date,
    /// The employer's reference (a cheque or transfer number): the same
    /// reference for the same period and local is the same remittance.
    pub reference: String,
}

/// Money the trust spent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spending {
    pub category: SpendingCategory,
    pub amount: Cents,
    pub spent_on: Date,
    pub memo: String,
}

/// A pay period and local: owed by payroll, remitted, and how they stand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReconciliationRow {
    pub period_start: String,
    pub period_end: String,
    pub local: String,
    #[serde(rename = "owed_cents")]
    pub owed: Cents,
    #[serde(rename = "remitted_cents")]
    pub remitted: Cents,
    /// matched, short, over or unpaid.
    pub status: &'static str,
    /// Remitted less owed: below zero when short.
    #[serde(rename = "difference_cents")]
    pub difference: Cents,
}

/// One pay period of a local's statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementRow {
    pub period_start: String,
    pub period_end: String,
    pub workers: i64,
    #[serde(rename = "counted_hundredths")]
    pub hours: Hundredths,
    #[serde(rename = "worker_cents")]
    pub worker: Cents,
    #[serde(rename = "employer_cents")]
    pub employer: Cents,
    #[serde(rename = "remitted_cents")]
    pub remitted: Cents,
}

/// A pay period's contributions by source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodContributions {
    pub period_start: String,
    pub period_end: String,
    #[serde(rename = "worker_cents")]
    pub worker: Cents,
    #[serde(rename = "employer_cents")]
    pub employer: Cents,
    /// What the employer has remitted for the period so far.
    #[serde(rename = "remitted_cents")]
    pub remitted: Cents,
}

/// The trust's year at a glance (amounts in cents).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrustYear {
    pub year: i16,
    /// Each pay period ending in the year.
    pub by_period: Vec<PeriodContributions>,
    #[serde(rename = "worker_cents")]
    pub worker: Cents,
    #[serde(rename = "employer_cents")]
    pub employer: Cents,
    #[serde(rename = "remitted_cents")]
    pub remitted: Cents,
    #[serde(rename = "spent_cents")]
    pub spent: Cents,
    /// Owed by the employer and not yet remitted, all years.
    #[serde(rename = "receivable_cents")]
    pub receivable: Cents,
    #[serde(rename = "cash_cents")]
    pub cash: Cents,
    /// Each category: the approved budget beside what was spent (`{category, budget_cents, spent_cents}`).
    pub budget: Vec<BudgetVsActual>,
    /// Pay periods and locals whose remittance differs from what is owed.
    pub flagged: usize,
}

/// A year's budget as proposed, with each side's approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Budget {
    pub id: i64,
    pub year: i16,
    /// `{category, amount_cents}` per category.
    pub lines: Vec<BudgetLine>,
    pub proposed_by: String,
    pub proposed_at: String,
    /// Who approved for each side (the trustee's name): `{labor, management}`.
    pub keys: Keys,
}

impl Budget {
    pub fn approved(&self) -> bool {
        self.keys.both_turned()
    }

    pub fn total(&self) -> Cents {
        Cents(self.lines.iter().map(|l| l.amount_cents.get()).sum())
    }
}

/// A trustee: a person and the side that named them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trustee {
    pub person_id: i64,
    pub name: String,
    pub side: String,
}

/// A budget row as read: id, year, proposed by and at, each side's approver, withdrawn at.
type BudgetRow = (i64, i64, String, String, Option<String>, Option<String>, Option<String>);

impl Store {
    /// Record the employer's remittances, all or none. One already recorded
    /// (same period, local and reference) is skipped, so a file of them can
    /// be taken twice. Returns how many were new.
    pub async fn record_remittances(&self, permit: &Permit, remittances: &[Remittance]) -> Result<usize> {
        let pid = require(permit, |a| matches!(a, Action::ManageTrust))?;
        let actor = permit.actor().username.clone();
        in_tx!(self, |tx| {
            let mut postings = Vec::new();
            let mut changes = Vec::new();
            for (i, r) in remittances.iter().enumerate() {
                let (n, local, start) = (i + 1, &r.local, r.period_start);
                let at = |refusal: Refusal| {
                    StoreError::Rule(refusal.after(
                        &format!("remittance {n} ({local} for {start})"),
                        &format!("remesa {n} ({local} para {start})"),
                    ))
                };
                if r.amount.get() <= 0 {
                    return Err(at(refuse!(
                        "the amount must be more than 0",
                        "el monto debe ser mayor que 0"
                    )));
                }
                let period: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM trust_periods WHERE partnership_id = $1 AND starts_on = $2")
                        .bind(pid)
                        .bind(r.period_start.to_string())
                        .fetch_optional(&mut *tx)
                        .await?;
                let period = period.ok_or_else(|| {
                    at(refuse!(
                        "no pay period starting {start} has been taken in",
                        "no se ha importado ningún período de pago que empiece el {start}"
                    ))
                })?;
                let local: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM units WHERE partnership_id = $1 AND code = $2 AND kind = 'local'",
                )
                .bind(pid)
                .bind(&r.local)
                .fetch_optional(&mut *tx)
                .await?;
                let local = local.ok_or_else(|| at(refuse!("no local {local:?}", "no hay ningún local {local:?}")))?;
                let already: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM trust_entries WHERE partnership_id = $1 AND kind = 'remittance' \
                     AND period_id = $2 AND local_id = $3 AND memo = $4",
                )
                .bind(pid)
                .bind(period)
                .bind(local)
                .bind(&r.reference)
                .fetch_optional(&mut *tx)
                .await?;
                if already.is_some() {
                    continue;
                }
                let entry = post_entry!(
                    tx,
                    &mut postings,
                    pid,
                    r.received_on,
                    EntryKind::Remittance,
                    Some(period),
                    Some(local),
                    None::<i64>,
                    &r.reference,
                    &actor,
                    remittance_postings(r.amount)
                );
                changes.push(
                    Change::new("trust.remittance", "trust_entry", entry).after(&serde_json::json!({
                        "period_start": r.period_start.to_string(),
                        "local": r.local,
                        "amount_cents": r.amount.get(),
                        "received_on": r.received_on.to_string(),
                        "reference": r.reference,
                    })),
                );
            }
            tx.insert_rows("trust_postings", &POSTING_COLUMNS, &postings).await?;
            let new = changes.len();
            if new > 0 {
                tx.append_audit(pid, &actor, changes).await?;
            }
            Ok(new)
        })
    }

    /// Record money spent from the trust's cash.
    pub async fn record_spending(&self, permit: &Permit, spending: &Spending) -> Result<i64> {
        let pid = require(permit, |a| matches!(a, Action::ManageTrust))?;
        if spending.amount.get() <= 0 {
            return Err(StoreError::Rule(refuse!(
                "the amount spent must be more than 0",
                "el monto gastado debe ser mayor que 0"
            )));
        }
        let actor = permit.actor().username.clone();
        in_tx!(self, |tx| {
            let mut postings = Vec::new();
            let entry = post_entry!(
                tx,
                &mut postings,
                pid,
                spending.spent_on,
                EntryKind::Spending,
                None::<i64>,
                None::<i64>,
                None::<i64>,
                &spending.memo,
                &actor,
                spending_postings(spending.category, spending.amount)
            );
            tx.insert_rows("trust_postings", &POSTING_COLUMNS, &postings).await?;
            let change = Change::new("trust.spending", "trust_entry", entry).after(&serde_json::json!({
                "category": spending.category.as_str(),
                "amount_cents": spending.amount.get(),
                "spent_on": spending.spent_on.to_string(),
                "memo": spending.memo,
            }));
            tx.append_audit(pid, &actor, vec![change]).await?;
            Ok(entry)
        })
    }

    /// Every pay period and local ending in `year`: owed, remitted, status.
    pub async fn trust_reconciliation(&self, partnership_id: i64, year: i16) -> Result<Vec<ReconciliationRow>> {
        let (first, last) = year_bounds(year);
        let rows: Vec<(String, String, String, i64, i64)> = on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT tp.starts_on, tp.ends_on, u.code, \
                    CAST(SUM(CASE WHEN e.kind IN ('contribution', 'adjustment') THEN p.amount_cents ELSE 0 END) AS BIGINT), \
                    CAST(-SUM(CASE WHEN e.kind = 'remittance' THEN p.amount_cents ELSE 0 END) AS BIGINT) \
             FROM trust_entries e \
             JOIN trust_postings p ON p.entry_id = e.id AND p.account = 'receivable' \
             JOIN trust_periods tp ON tp.id = e.period_id \
             JOIN units u ON u.id = e.local_id \
             WHERE e.partnership_id = $1 AND tp.ends_on BETWEEN $2 AND $3 \
             GROUP BY tp.starts_on, tp.ends_on, u.code ORDER BY tp.starts_on, u.code"
        )
        .bind(partnership_id)
        .bind(&first)
        .bind(&last)
        .fetch_all(pool)
        .await?
        });
        Ok(rows
            .into_iter()
            .map(|(period_start, period_end, local, owed, remitted)| {
                let (owed, remitted) = (Cents(owed), Cents(remitted));
                ReconciliationRow {
                    period_start,
                    period_end,
                    local,
                    owed,
                    remitted,
                    status: Reconciliation::of(owed, remitted).word(),
                    difference: Cents(remitted.get() - owed.get()),
                }
            })
            .collect())
    }

    /// A local's year, pay period by pay period.
    pub async fn trust_local_statement(
        &self,
        partnership_id: i64,
        local: &str,
        year: i16,
    ) -> Result<Vec<StatementRow>> {
        let (first, last) = year_bounds(year);
        let local_id: Option<i64> = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT id FROM units WHERE partnership_id = $1 AND code = $2 AND kind = 'local'"
        )
        .bind(partnership_id)
        .bind(local)
        .fetch_optional(pool)
        .await?);
        let local_id = local_id.ok_or(StoreError::NotFound("local"))?;
        let rows: Vec<(String, String, i64, i64, i64, i64, i64)> = on_pool!(self, |pool| {
            sqlx::query_as(
            "WITH lines AS ( \
                 SELECT period_id, CAST(SUM(workers) AS BIGINT) AS workers, \
                        CAST(SUM(counted_hundredths) AS BIGINT) AS hours \
                 FROM trust_lines WHERE partnership_id = $1 AND local_id = $2 GROUP BY period_id), \
             money AS ( \
                 SELECT e.period_id, \
                        CAST(-SUM(CASE WHEN p.account = 'worker_contributions' THEN p.amount_cents ELSE 0 END) AS BIGINT) AS worker, \
                        CAST(-SUM(CASE WHEN p.account = 'employer_contributions' THEN p.amount_cents ELSE 0 END) AS BIGINT) AS employer, \
                        CAST(-SUM(CASE WHEN e.kind = 'remittance' AND p.account = 'receivable' THEN p.amount_cents ELSE 0 END) AS BIGINT) AS remitted \
                 FROM trust_entries e JOIN trust_postings p ON p.entry_id = e.id \
                 WHERE e.partnership_id = $1 AND e.local_id = $2 GROUP BY e.period_id) \
             SELECT tp.starts_on, tp.ends_on, COALESCE(l.workers, 0), COALESCE(l.hours, 0), \
                    COALESCE(m.worker, 0), COALESCE(m.employer, 0), COALESCE(m.remitted, 0) \
             FROM trust_periods tp \
             LEFT JOIN lines l ON l.period_id = tp.id LEFT JOIN money m ON m.period_id = tp.id \
             WHERE tp.partnership_id = $1 AND tp.ends_on BETWEEN $3 AND $4 \
               AND (l.period_id IS NOT NULL OR m.period_id IS NOT NULL) \
             ORDER BY tp.starts_on"
        )
        .bind(partnership_id)
        .bind(local_id)
        .bind(&first)
        .bind(&last)
        .fetch_all(pool)
        .await?
        });
        Ok(rows
            .into_iter()
            .map(
                |(period_start, period_end, workers, hours, worker, employer, remitted)| StatementRow {
                    period_start,
                    period_end,
                    workers,
                    hours: Hundredths(hours),
                    worker: Cents(worker),
                    employer: Cents(employer),
                    remitted: Cents(remitted),
                },
            )
            .collect())
    }

    /// The trust's year: contributions by source and period, remittances,
    /// spending against the approved budget, balances, flags.
    pub async fn trust_year(&self, partnership_id: i64, year: i16) -> Result<TrustYear> {
        let (first, last) = year_bounds(year);
        type Figures = (Vec<(String, String, i64, i64)>, Vec<(String, i64)>, Vec<(String, i64)>);
        let (by_period, balances, spent): Figures = on_pool!(self, |pool| {
            let by_period = sqlx::query_as(
                    "SELECT tp.starts_on, tp.ends_on, \
                            CAST(-SUM(CASE WHEN p.account = 'worker_contributions' THEN p.amount_cents ELSE 0 END) AS BIGINT), \
                            CAST(-SUM(CASE WHEN p.account = 'employer_contributions' THEN p.amount_cents ELSE 0 END) AS BIGINT) \
                     FROM trust_entries e JOIN trust_postings p ON p.entry_id = e.id \
                     JOIN trust_periods tp ON tp.id = e.period_id \
                     WHERE e.partnership_id = $1 AND tp.ends_on BETWEEN $2 AND $3 \
                       AND e.kind IN ('contribution', 'adjustment') \
                     GROUP BY tp.starts_on, tp.ends_on ORDER BY tp.ends_on",
                )
                .bind(partnership_id)
                .bind(&first)
                .bind(&last)
                .fetch_all(pool);
            let balances = sqlx::query_as(
                "SELECT account, CAST(SUM(amount_cents) AS BIGINT) FROM trust_postings \
                     WHERE partnership_id = $1 AND account IN ('receivable', 'cash') GROUP BY account",
            )
            .bind(partnership_id)
            .fetch_all(pool);
            let spent = sqlx::query_as(
                "SELECT p.category, CAST(SUM(p.amount_cents) AS BIGINT) FROM trust_entries e \
                     JOIN trust_postings p ON p.entry_id = e.id \
                     WHERE e.partnership_id = $1 AND e.kind = 'spending' AND p.account = 'spending' \
                       AND e.booked_on BETWEEN $2 AND $3 GROUP BY p.category",
            )
            .bind(partnership_id)
            .bind(&first)
            .bind(&last)
            .fetch_all(pool);
            let (a, b, c) = futures::try_join!(by_period, balances, spent)?;
            (a, b, c)
        });
        let reconciliation = self.trust_reconciliation(partnership_id, year).await?;
        let budget = self.trust_budget(partnership_id, year).await?.filter(Budget::approved);
        let balance = |account: &str| Cents(balances.iter().find(|(a, _)| a == account).map_or(0, |(_, c)| *c));
        let spent_on = |category: SpendingCategory| {
            Cents(
                spent
                    .iter()
                    .find(|(c, _)| c == category.as_str())
                    .map_or(0, |(_, s)| *s),
            )
        };
        let budget_rows = SpendingCategory::ALL
            .iter()
            .map(|&category| BudgetVsActual {
                category,
                budget_cents: budget
                    .as_ref()
                    .and_then(|b| b.lines.iter().find(|l| l.category == category))
                    .map_or(Cents::ZERO, |l| l.amount_cents),
                spent_cents: spent_on(category),
            })
            .collect();
        let by_period: Vec<PeriodContributions> = by_period
            .into_iter()
            .map(|(period_start, period_end, w, e)| PeriodContributions {
                period_start,
                remitted: Cents(
                    reconciliation
                        .iter()
                        .filter(|r| r.period_end == period_end)
                        .map(|r| r.remitted.get())
                        .sum(),
                ),
                period_end,
                worker: Cents(w),
                employer: Cents(e),
            })
            .collect();
        Ok(TrustYear {
            year,
            worker: Cents(by_period.iter().map(|p| p.worker.get()).sum()),
            employer: Cents(by_period.iter().map(|p| p.employer.get()).sum()),
            remitted: Cents(reconciliation.iter().map(|r| r.remitted.get()).sum()),
            spent: Cents(spent.iter().map(|(_, s)| *s).sum()),
            receivable: balance("receivable"),
            cash: balance("cash"),
            budget: budget_rows,
            flagged: reconciliation.iter().filter(|r| r.status != "matched").count(),
            by_period,
        })
    }

    /// Name a trustee for a side (at most three a side).
    pub async fn add_trustee(&self, permit: &Permit, employee_no: &str, side: Side) -> Result<Trustee> {
        let pid = require(permit, |a| matches!(a, Action::ManageTrust))?;
        let actor = permit.actor().username.clone();
        let trustees = self.trustees(pid).await?;
        let count = |s: Side| trustees.iter().filter(|t| t.side == s.as_str()).count();
        check_new_trustee(side, count(Side::Labor), count(Side::Management)).map_err(StoreError::Rule)?;
        let (person_id, name) = self
            .person_for_side(pid, employee_no, side, ("trustee", "fideicomisario"))
            .await?;
        if trustees.iter().any(|t| t.person_id == person_id) {
            return Err(StoreError::Rule(refuse!(
                "{name} is already a trustee",
                "{name} ya es fideicomisario"
            )));
        }
        in_tx!(self, |tx| {
            sqlx::query("INSERT INTO trust_trustees (partnership_id, person_id, side) VALUES ($1, $2, $3)")
                .bind(pid)
                .bind(person_id)
                .bind(side.as_str())
                .execute(&mut *tx)
                .await?;
            let change = Change::new("trust.trustee.add", "person", person_id)
                .after(&serde_json::json!({"side": side.as_str()}));
            tx.append_audit(pid, &actor, vec![change]).await?;
        });
        Ok(Trustee {
            person_id,
            name,
            side: side.as_str().to_string(),
        })
    }

    pub async fn trustees(&self, partnership_id: i64) -> Result<Vec<Trustee>> {
        let rows: Vec<(i64, String, String)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT t.person_id, p.name, t.side FROM trust_trustees t JOIN people p ON p.id = t.person_id \
             WHERE t.partnership_id = $1 ORDER BY t.side, p.name"
        )
        .bind(partnership_id)
        .fetch_all(pool)
        .await?);
        Ok(rows
            .into_iter()
            .map(|(person_id, name, side)| Trustee { person_id, name, side })
            .collect())
    }

    /// The side a person is a trustee for, if any.
    pub async fn trustee_side(&self, partnership_id: i64, person_id: i64) -> Result<Option<Side>> {
        let side: Option<String> = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT side FROM trust_trustees WHERE partnership_id = $1 AND person_id = $2"
        )
        .bind(partnership_id)
        .bind(person_id)
        .fetch_optional(pool)
        .await?);
        Ok(side.and_then(|s| s.parse().ok()))
    }

    /// Propose a year's budget; it replaces an earlier proposal for the year
    /// (approved or not) and needs both sides' trustees to approve it anew.
    pub async fn propose_budget(&self, permit: &Permit, year: i16, lines: &[BudgetLine]) -> Result<i64> {
        let pid = require(permit, |a| matches!(a, Action::ManageTrust))?;
        check_budget(lines).map_err(StoreError::Rule)?;
        let actor = permit.actor().username.clone();
        let now = crate::now_text();
        in_tx!(self, |tx| {
            sqlx::query(
                "UPDATE trust_budgets SET withdrawn_at = $1 WHERE partnership_id = $2 AND year = $3 AND withdrawn_at IS NULL",
            )
            .bind(&now)
            .bind(pid)
            .bind(i64::from(year))
            .execute(&mut *tx)
            .await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO trust_budgets (partnership_id, year, proposed_at, proposed_by) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(pid)
            .bind(i64::from(year))
            .bind(&now)
            .bind(&actor)
            .fetch_one(&mut *tx)
            .await?;
            let rows: Vec<Vec<Value>> = lines
                .iter()
                .map(|l| {
                    vec![
                        Value::Int(id),
                        Value::from(l.category.as_str()),
                        Value::Int(l.amount_cents.get()),
                    ]
                })
                .collect();
            tx.insert_rows("trust_budget_lines", &["budget_id", "category", "amount_cents"], &rows)
                .await?;
            let change = Change::new("trust.budget.propose", "trust_budget", id)
                .after(&serde_json::json!({"year": year, "lines": lines}));
            tx.append_audit(pid, &actor, vec![change]).await?;
            Ok(id)
        })
    }

    /// A trustee approves the budget for their side; the second side's
    /// approval puts it in force.
    pub async fn approve_budget(&self, permit: &Permit, budget_id: i64, person_id: i64) -> Result<Budget> {
        let Action::ApproveBudget { trustee_of: Some(side) } = permit.action() else {
            return Err(StoreError::Denied(Denied::Forbidden));
        };
        let pid = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        let mut budget = self
            .budget_by_id(pid, budget_id)
            .await?
            .ok_or(StoreError::NotFound("budget"))?;
        let turned = self.turn_key(pid, person_id, side, budget.keys.clone()).await?;
        let (name, column) = (turned.name, turned.column);
        budget.keys = turned.keys;
        in_tx!(self, |tx| {
            let changed = sqlx::query(&format!(
                "UPDATE trust_budgets SET {column}_approved_by = $1, {column}_approved_at = $2 \
                 WHERE id = $3 AND partnership_id = $4 AND {column}_approved_by IS NULL AND withdrawn_at IS NULL"
            ))
            .bind(person_id)
            .bind(crate::now_text())
            .bind(budget_id)
            .bind(pid)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed != 1 {
                return Err(StoreError::Rule(refuse!(
                    "this budget was replaced or approved for that side meanwhile",
                    "este presupuesto fue sustituido o aprobado por esa parte mientras tanto"
                )));
            }
            let change = Change::new("trust.budget.approve", "trust_budget", budget_id)
                .after(&serde_json::json!({"side": side.as_str(), "trustee": name, "in_force": budget.approved()}));
            tx.append_audit(pid, &actor, vec![change]).await?;
        });
        Ok(budget)
    }

    /// The year's current budget proposal, approved or not.
    pub async fn trust_budget(&self, partnership_id: i64, year: i16) -> Result<Option<Budget>> {
        let id: Option<i64> = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT id FROM trust_budgets WHERE partnership_id = $1 AND year = $2 AND withdrawn_at IS NULL \
             ORDER BY id DESC LIMIT 1"
        )
        .bind(partnership_id)
        .bind(i64::from(year))
        .fetch_optional(pool)
        .await?);
        match id {
            Some(id) => self.budget_by_id(partnership_id, id).await,
            None => Ok(None),
        }
    }

    async fn budget_by_id(&self, partnership_id: i64, id: i64) -> Result<Option<Budget>> {
        let row: Option<BudgetRow> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT b.id, b.year, b.proposed_by, b.proposed_at, l.name, m.name, b.withdrawn_at \
                 FROM trust_budgets b \
                 LEFT JOIN people l ON l.id = b.labor_approved_by \
                 LEFT JOIN people m ON m.id = b.management_approved_by \
                 WHERE b.id = $1 AND b.partnership_id = $2"
        )
        .bind(id)
        .bind(partnership_id)
        .fetch_optional(pool)
        .await?);
        let Some((id, year, proposed_by, proposed_at, labor, management, withdrawn)) = row else {
            return Ok(None);
        };
        if withdrawn.is_some() {
            return Ok(None);
        }
        let lines: Vec<(String, i64)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT category, amount_cents FROM trust_budget_lines WHERE budget_id = $1 ORDER BY category"
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        let lines = lines
            .into_iter()
            .filter_map(|(category, amount)| {
                Some(BudgetLine {
                    category: category.parse().ok()?,
                    amount_cents: Cents(amount),
                })
            })
            .collect();
        Ok(Some(Budget {
            id,
            year: year as i16,
            lines,
            proposed_by,
            proposed_at,
            keys: Keys { labor, management },
        }))
    }
}
