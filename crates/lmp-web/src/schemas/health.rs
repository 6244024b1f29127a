use super::*;
use std::collections::BTreeMap;

/// One body's signs over the period.
#[derive(Serialize, ToSchema)]
pub struct BodyHealth {
    pub body_id: i64,
    pub name: String,
    pub level: String,
    #[schema(value_type = Object)]
    pub signs: serde_json::Value,
    pub concern: i64,
}

/// The signs of one quarter, over the bodies asked about.
#[derive(Serialize, ToSchema)]
pub struct QuarterHealth {
    pub quarter: String,
    /// Co-lead vacancy days per body, by side.
    pub labor_vacancy_days_per_body: f64,
    pub management_vacancy_days_per_body: f64,
    pub meetings: i64,
    pub meetings_without_labor: i64,
    pub meetings_without_management: i64,
    pub decisions: i64,
    pub labor_late: i64,
    pub management_late: i64,
    pub blocked: i64,
    pub escalated: i64,
    pub median_days_to_consensus: Option<f64>,
    /// The Partnership Participation Index of decisions adopted that
    /// quarter, by level.
    pub index_by_level: BTreeMap<String, Option<u64>>,
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    pub from: String,
    pub to: String,
    pub level: Option<String>,
    /// The one body asked about, if one was.
    pub body: Option<i64>,
    /// Every body asked about, most concerning first.
    pub bodies: Vec<BodyHealth>,
    /// Summed over those bodies.
    #[schema(value_type = Object)]
    pub overall: serde_json::Value,
    pub quarters: Vec<QuarterHealth>,
}
