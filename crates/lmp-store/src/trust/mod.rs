//! The Partnership Trust: its funding rules, payroll imports (`import`, read
//! by `reader` on a thread of its own), and the ledger's figures.

pub mod import;
pub mod ledger;
pub(crate) mod reader;

use crate::audit::{AuditAppend, Change};
use crate::bulk::with_rusqlite;
use crate::{in_tx, on_pool, Result, Store, StoreError};
use futures::TryStreamExt;
use lmp_core::money::Cents;
use lmp_core::policy::{Action, Denied, Permit};
use lmp_core::trust::hours::Hundredths;
use lmp_core::trust::payroll::Directory;
use lmp_core::trust::rules::TrustRules;
use serde::Serialize;

pub use import::{HoursImported, HoursOutcome};

/// How the year's totals are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotalsBy {
    Local,
    Facility,
    Region,
    Period,
}

impl std::str::FromStr for TotalsBy {
    type Err = lmp_core::Refusal;
    fn from_str(s: &str) -> std::result::Result<TotalsBy, lmp_core::Refusal> {
        match s {
            "local" => Ok(TotalsBy::Local),
            "facility" => Ok(TotalsBy::Facility),
            "region" => Ok(TotalsBy::Region),
            "period" => Ok(TotalsBy::Period),
            other => Err(lmp_core::Refusal::unknown_word(
                "totals by",
                other,
                &["local", "facility", "region", "period"],
            )),
        }
    }
}

/// One group's share of the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// The local's, facility's or region's code, or the pay period's last day.
    pub key: String,
    #[serde(rename = "counted_hundredths")]
    pub hours: Hundredths,
    #[serde(rename = "worker_cents")]
    pub worker: Cents,
    #[serde(rename = "employer_cents")]
    pub employer: Cents,
}

/// The first and last day of a year as stored text, for period ranges.
fn year_bounds(year: i16) -> (String, String) {
    (format!("{year:04}-01-01"), format!("{year:04}-12-31"))
}

impl Store {
    /// The trust's funding rules, or the published defaults.
    pub async fn trust_rules(&self, partnership_id: i64) -> Result<TrustRules> {
        let json: Option<String> = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT rules_json FROM trust_rules WHERE partnership_id = $1"
        )
        .bind(partnership_id)
        .fetch_optional(pool)
        .await?);
        match json {
            Some(json) => TrustRules::parse(&json).map_err(|e| {
                StoreError::Rule(e.after(
                    "the stored trust rules are unusable",
                    "las reglas del fideicomiso guardadas no sirven",
                ))
            }),
            None => Ok(TrustRules::default()),
        }
    }

    /// Agree new funding rules; the old and new sets are audited. Periods
    /// already taken in keep the contributions computed then.
    pub async fn set_trust_rules(&self, permit: &Permit, rules: &TrustRules) -> Result<()> {
        if permit.action() != Action::ConfigureRules {
            return Err(StoreError::Denied(Denied::Forbidden));
        }
        rules.check().map_err(StoreError::Rule)?;
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        let before = self.trust_rules(partnership_id).await?;
        let json = crate::json_of(rules)?;
        in_tx!(self, |tx| {
            sqlx::query(
                "INSERT INTO trust_rules (partnership_id, rules_json, changed_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (partnership_id) DO UPDATE SET rules_json = excluded.rules_json, changed_at = excluded.changed_at",
            )
            .bind(partnership_id)
            .bind(&json)
            .bind(crate::now_text())
            .execute(&mut *tx)
            .await?;
            let change = Change::new("trust.rules", "partnership", partnership_id)
                .before(&before)
                .after(rules);
            tx.append_audit(partnership_id, &actor, vec![change]).await?;
        });
        Ok(())
    }

    /// Who a payroll file may name: union members by employee number with
    /// their local, the locals and the facilities, by code.
    pub(crate) async fn payroll_directory(&self, partnership_id: i64) -> Result<Directory> {
        const WORKERS: &str = "SELECT employee_no, id, local_id FROM people \
                               WHERE partnership_id = $1 AND local_id IS NOT NULL";
        const UNITS: &str = "SELECT code, id, kind FROM units \
                             WHERE partnership_id = $1 AND kind IN ('local', 'hospital', 'medical_office')";
        let mut directory = Directory::default();
        let units: Vec<(String, i64, String)> = match self {
            Store::Sqlite { read, .. } => {
                // 134,000 members: read through rusqlite, a tenth of sqlx's time.
                let mut connection = read.acquire().await?;
                with_rusqlite(&mut connection, |c| {
                    let mut workers = c.prepare(WORKERS)?;
                    let mut rows = workers.query([partnership_id])?;
                    while let Some(row) = rows.next()? {
                        directory.add_worker(row.get_ref(0)?.as_str()?, row.get(1)?, row.get(2)?);
                    }
                    Ok(())
                })
                .await?;
                sqlx::query_as(UNITS).bind(partnership_id).fetch_all(read).await?
            }
            Store::Postgres(pool) => {
                let mut workers = sqlx::query_as::<_, (String, i64, i64)>(WORKERS)
                    .bind(partnership_id)
                    .fetch(pool);
                while let Some((no, id, local)) = workers.try_next().await? {
                    directory.add_worker(&no, id, local);
                }
                sqlx::query_as(UNITS).bind(partnership_id).fetch_all(pool).await?
            }
        };
        for (code, id, kind) in units {
            if kind == "local" {
                directory.add_local(&code, id);
            } else {
                directory.add_facility(&code, id);
            }
        }
        Ok(directory)
    }

    /// `lmp trust report --year`: one row per local, read from the ledger
    /// (contributions and adjustments of the year's pay periods), with the
    /// counted hours from the payroll lines.
    pub async fn trust_year_by_local(&self, partnership_id: i64, year: i16) -> Result<Vec<Totals>> {
        let (first, last) = year_bounds(year);
        let rows: Vec<(String, i64, i64, i64)> = on_pool!(self, |pool| {
            sqlx::query_as(
            "WITH money AS ( \
                 SELECT e.local_id, \
                        CAST(-SUM(CASE WHEN p.account = 'worker_contributions' THEN p.amount_cents ELSE 0 END) AS BIGINT) AS worker, \
                        CAST(-SUM(CASE WHEN p.account = 'employer_contributions' THEN p.amount_cents ELSE 0 END) AS BIGINT) AS employer \
                 FROM trust_entries e \
                 JOIN trust_periods tp ON tp.id = e.period_id \
                 JOIN trust_postings p ON p.entry_id = e.id \
                 WHERE e.partnership_id = $1 AND tp.ends_on BETWEEN $2 AND $3 \
                   AND e.kind IN ('contribution', 'adjustment') \
                 GROUP BY e.local_id), \
             hours AS ( \
                 SELECT l.local_id, CAST(SUM(l.counted_hundredths) AS BIGINT) AS counted \
                 FROM trust_lines l JOIN trust_periods tp ON tp.id = l.period_id \
                 WHERE l.partnership_id = $1 AND tp.ends_on BETWEEN $2 AND $3 \
                 GROUP BY l.local_id) \
             SELECT u.code, COALESCE(h.counted, 0), m.worker, m.employer \
             FROM money m JOIN units u ON u.id = m.local_id LEFT JOIN hours h ON h.local_id = m.local_id \
             ORDER BY u.code"
        )
        .bind(partnership_id)
        .bind(&first)
        .bind(&last)
        .fetch_all(pool)
        .await?
        });
        Ok(rows
            .into_iter()
            .map(|(key, hours, worker, employer)| Totals {
                key,
                hours: Hundredths(hours),
                worker: Cents(worker),
                employer: Cents(employer),
            })
            .collect())
    }

    /// The year's contributions by local, facility, region or pay period,
    /// summed from the payroll lines (whose sums per period and local are
    /// what the ledger posted), so every grouping adds up to the same total.
    pub async fn trust_totals(&self, partnership_id: i64, year: i16, by: TotalsBy) -> Result<Vec<Totals>> {
        let (first, last) = year_bounds(year);
        let key = match by {
            TotalsBy::Local => "lu.code",
            TotalsBy::Facility => "fu.code",
            TotalsBy::Region => "COALESCE(ru.code, fu.code)",
            TotalsBy::Period => "tp.ends_on",
        };
        let sql = format!(
            "SELECT {key}, CAST(SUM(l.counted_hundredths) AS BIGINT), CAST(SUM(l.worker_cents) AS BIGINT), \
                    CAST(SUM(l.employer_cents) AS BIGINT) \
             FROM trust_lines l \
             JOIN trust_periods tp ON tp.id = l.period_id \
             JOIN units lu ON lu.id = l.local_id \
             JOIN units fu ON fu.id = l.facility_id \
             LEFT JOIN units ru ON ru.id = fu.parent_id \
             WHERE l.partnership_id = $1 AND tp.ends_on BETWEEN $2 AND $3 \
             GROUP BY {key} ORDER BY {key}"
        );
        let rows: Vec<(String, i64, i64, i64)> = on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(&first)
            .bind(&last)
            .fetch_all(pool)
            .await?);
        Ok(rows
            .into_iter()
            .map(|(key, hours, worker, employer)| Totals {
                key,
                hours: Hundredths(hours),
                worker: Cents(worker),
                employer: Cents(employer),
            })
            .collect())
    }

    /// What is wrong with the books, if anything: an entry whose postings do
    /// not sum to zero, or a period and local whose posted contributions
    /// differ from the sum of its payroll lines (or of its worker-periods'
    /// own shares). Empty when every cent is accounted for.
    pub async fn trust_ledger_problems(&self, partnership_id: i64) -> Result<Vec<String>> {
        on_pool!(self, |pool| {
            let unbalanced: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT entry_id, CAST(SUM(amount_cents) AS BIGINT) FROM trust_postings WHERE partnership_id = $1 \
                 GROUP BY entry_id HAVING SUM(amount_cents) <> 0",
            )
            .bind(partnership_id)
            .fetch_all(pool)
            .await?;
            let disagreeing: Vec<(i64, i64, i64, i64, i64, i64)> = sqlx::query_as(
                "WITH posted AS ( \
                     SELECT e.period_id, e.local_id, \
                            CAST(-SUM(CASE WHEN p.account = 'worker_contributions' THEN p.amount_cents ELSE 0 END) AS BIGINT) AS worker, \
                            CAST(-SUM(CASE WHEN p.account = 'employer_contributions' THEN p.amount_cents ELSE 0 END) AS BIGINT) AS employer \
                     FROM trust_entries e JOIN trust_postings p ON p.entry_id = e.id \
                     WHERE e.partnership_id = $1 AND e.kind IN ('contribution', 'adjustment') \
                     GROUP BY e.period_id, e.local_id), \
                 lines AS ( \
                     SELECT period_id, local_id, CAST(SUM(worker_cents) AS BIGINT) AS worker, CAST(SUM(employer_cents) AS BIGINT) AS employer \
                     FROM trust_lines WHERE partnership_id = $1 GROUP BY period_id, local_id), \
                 workers AS ( \
                     SELECT period_id, local_id, CAST(SUM(worker_cents) AS BIGINT) AS worker FROM trust_hours \
                     WHERE partnership_id = $1 GROUP BY period_id, local_id) \
                 SELECT COALESCE(p.period_id, l.period_id), COALESCE(p.local_id, l.local_id), \
                        COALESCE(p.worker, 0), COALESCE(l.worker, 0), COALESCE(p.employer, 0), COALESCE(w.worker, 0) \
                 FROM posted p FULL JOIN lines l ON l.period_id = p.period_id AND l.local_id = p.local_id \
                 LEFT JOIN workers w ON w.period_id = COALESCE(p.period_id, l.period_id) \
                                    AND w.local_id = COALESCE(p.local_id, l.local_id) \
                 WHERE COALESCE(p.worker, 0) <> COALESCE(l.worker, 0) \
                    OR COALESCE(p.employer, 0) <> COALESCE(l.employer, 0) \
                    OR COALESCE(l.worker, 0) <> COALESCE(w.worker, 0)",
            )
            .bind(partnership_id)
            .fetch_all(pool)
            .await?;
            let mut problems: Vec<String> = unbalanced
                .into_iter()
                .map(|(entry, sum)| format!("ledger entry {entry} does not balance: its postings sum to {sum} cents"))
                .collect();
            problems.extend(disagreeing.into_iter().map(|(period, local, posted, lines, _, workers)| {
                format!(
                    "pay period {period}, local {local}: the ledger has {posted} cents from workers, the payroll lines {lines}, the worker-periods {workers}"
                )
            }));
            Ok(problems)
        })
    }
}
