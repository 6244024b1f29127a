use super::*;

/// What taking in a payroll file did.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum HoursOutcome {
    Imported(HoursImported),
    /// The file was taken in before, byte for byte: nothing changed.
    Unchanged {
        import_id: i64,
        file_name: String,
        imported_at: String,
    },
}

#[derive(Serialize, ToSchema)]
pub struct HoursImported {
    pub import_id: i64,
    pub lines: u64,
    pub worker_periods: u64,
    pub periods: usize,
    /// Of those, periods that replaced ones taken in before.
    pub replaced: usize,
    #[serde(rename = "counted_hundredths")]
    pub counted: i64,
    #[serde(rename = "worker_cents")]
    pub worker: i64,
    #[serde(rename = "employer_cents")]
    pub employer: i64,
}

/// A pay period and local: owed by payroll, remitted, and how they stand.
#[derive(Serialize, ToSchema)]
pub struct ReconciliationRow {
    pub period_start: String,
    pub period_end: String,
    pub local: String,
    #[serde(rename = "owed_cents")]
    pub owed: i64,
    #[serde(rename = "remitted_cents")]
    pub remitted: i64,
    /// matched, short, over or unpaid.
    pub status: String,
    /// Remitted less owed: below zero when short.
    #[serde(rename = "difference_cents")]
    pub difference: i64,
}

/// One pay period of a local's statement.
#[derive(Serialize, ToSchema)]
pub struct StatementRow {
    pub period_start: String,
    pub period_end: String,
    pub workers: i64,
    #[serde(rename = "counted_hundredths")]
    pub hours: i64,
    #[serde(rename = "worker_cents")]
    pub worker: i64,
    #[serde(rename = "employer_cents")]
    pub employer: i64,
    #[serde(rename = "remitted_cents")]
    pub remitted: i64,
}

/// A pay period's contributions by source.
#[derive(Serialize, ToSchema)]
pub struct PeriodContributions {
    pub period_start: String,
    pub period_end: String,
    #[serde(rename = "worker_cents")]
    pub worker: i64,
    #[serde(rename = "employer_cents")]
    pub employer: i64,
    /// What the employer has remitted for the period so far.
    #[serde(rename = "remitted_cents")]
    pub remitted: i64,
}

/// The trust's year at a glance (amounts in cents).
#[derive(Serialize, ToSchema)]
pub struct TrustYear {
    pub year: i16,
    /// Each pay period ending in the year.
    pub by_period: Vec<PeriodContributions>,
    #[serde(rename = "worker_cents")]
    pub worker: i64,
    #[serde(rename = "employer_cents")]
    pub employer: i64,
    #[serde(rename = "remitted_cents")]
    pub remitted: i64,
    #[serde(rename = "spent_cents")]
    pub spent: i64,
    /// Owed by the employer and not yet remitted, all years.
    #[serde(rename = "receivable_cents")]
    pub receivable: i64,
    #[serde(rename = "cash_cents")]
    pub cash: i64,
    /// Each category: the approved budget beside what was spent (`{category, budget_cents, spent_cents}`).
    #[schema(value_type = Vec<Object>)]
    pub budget: serde_json::Value,
    /// Pay periods and locals whose remittance differs from what is owed.
    pub flagged: usize,
}

/// A year's budget as proposed, with each side's approval.
#[derive(Serialize, ToSchema)]
pub struct Budget {
    pub id: i64,
    pub year: i16,
    /// `{category, amount_cents}` per category.
    #[schema(value_type = Vec<Object>)]
    pub lines: serde_json::Value,
    pub proposed_by: String,
    pub proposed_at: String,
    /// Who approved for each side (the trustee's name): `{labor, management}`.
    #[schema(value_type = Object)]
    pub keys: serde_json::Value,
}

/// A trustee: a person and the side that named them.
#[derive(Serialize, ToSchema)]
pub struct Trustee {
    pub person_id: i64,
    pub name: String,
    pub side: String,
}

/// One group's share of the year.
#[derive(Serialize, ToSchema)]
pub struct Totals {
    /// The local's, facility's or region's code, or the pay period's last day.
    pub key: String,
    #[serde(rename = "counted_hundredths")]
    pub hours: i64,
    #[serde(rename = "worker_cents")]
    pub worker: i64,
    #[serde(rename = "employer_cents")]
    pub employer: i64,
}
