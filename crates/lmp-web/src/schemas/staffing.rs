use super::*;

/// What a readings file did.
#[derive(Serialize, ToSchema)]
pub struct ReadingsTaken {
    /// The import's id; the earlier one's when the same file came again.
    pub import_id: i64,
    pub readings: u64,
    pub unit_hours: u64,
    pub unit_days: u64,
    pub short_hours: u64,
    /// Hours any role was below the approved plan in force.
    pub below_plan_hours: u64,
    pub first_day: String,
    pub last_day: String,
    /// The same file was taken in before: nothing changed (unless taken
    /// in again with replace, to hold it to plans approved since).
    pub unchanged: bool,
    /// Unit-days taken in before and replaced (with `replace`).
    pub replaced_days: u64,
}

/// Compliance over a stretch of days, for one group.
#[derive(Serialize, ToSchema)]
pub struct ComplianceRow {
    /// The unit's, facility's or region's code, the unit type, or the
    /// week (its Monday, YYYY-MM-DD), month (YYYY-MM) or quarter (YYYY-Qn).
    pub key: String,
    pub name: String,
    pub hours: i64,
    pub short_hours: i64,
    pub triage_short_hours: i64,
    pub nurse_hours_short: i64,
    pub patient_hours: i64,
    pub patient_hours_affected: i64,
    /// Hours any role was below the approved plan.
    pub below_plan_hours: i64,
    pub plan_nurse_hours_short: i64,
    pub plan_staff_hours_short: i64,
}

/// An hour below the ratio, as its worst reading found it.
#[derive(Serialize, ToSchema)]
pub struct ShortHour {
    pub unit: String,
    pub unit_name: String,
    pub unit_type: String,
    pub facility: String,
    /// YYYY-MM-DDTHH:00
    pub hour: String,
    pub patients: i64,
    /// Licensed nurses the ratio asks for, counted toward it.
    pub required: i64,
    /// Licensed nurses on duty who counted.
    pub counted: i64,
    /// Nurses short.
    pub short: i64,
    /// Triage nurses missing.
    pub triage_short: i64,
    /// Patients beyond what the nurses on duty could lawfully care for.
    pub patients_affected: i64,
}

/// A role's hour below the approved plan, as the hour's fewest on duty found it.
#[derive(Serialize, ToSchema)]
pub struct PlanGapHour {
    pub unit: String,
    pub unit_name: String,
    pub unit_type: String,
    pub facility: String,
    /// YYYY-MM-DDTHH:00
    pub hour: String,
    /// `licensed` (every licensed nurse, triage and charge included) or the role.
    pub role: String,
    /// The plan version the hour was held to.
    pub plan_version: i64,
    pub patients: i64,
    pub planned: i64,
    pub on_duty: i64,
    pub short: i64,
    /// The patients in proportion to the planned staff missing.
    pub patients_affected: i64,
}

/// A nursing unit as the pages and API show it.
#[derive(Serialize, ToSchema)]
pub struct StaffingUnit {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub facility: String,
    pub facility_name: String,
    pub region: String,
    pub unit_type: String,
    pub beds: i64,
    /// Roles counted as licensed nurses, `;`-separated.
    pub licensed_roles: String,
    pub rule_set: String,
    /// The unit-based team whose co-leads build its staffing plan.
    pub team_id: Option<i64>,
    pub team: Option<String>,
}

/// What a units file changed.
#[derive(Serialize, ToSchema)]
pub struct UnitsTaken {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
}

/// One version of a unit's plan, with the staff it asks for and its year.
#[derive(Serialize, ToSchema)]
pub struct PlanVersion {
    pub id: i64,
    pub unit: String,
    pub version: i64,
    pub note: String,
    pub written_by: String,
    pub written_at: String,
    /// The first day this version governs (YYYY-MM-DD).
    pub effective_from: String,
    pub labor_approved_by: Option<String>,
    pub labor_approved_at: Option<String>,
    pub management_approved_by: Option<String>,
    pub management_approved_at: Option<String>,
    /// Both sides approved this version.
    pub approved: bool,
    /// The version in force today: the latest approved one begun by now.
    pub in_force: bool,
    #[schema(value_type = Object)]
    pub input: serde_json::Value,
    #[schema(value_type = Object)]
    pub plan: serde_json::Value,
    #[schema(value_type = Vec<Object>)]
    pub year: serde_json::Value,
    /// Set by the approval that completes a version: the unit's days from
    /// its first day that were already taken in, and so judged without it.
    /// Taking their file in again with replace holds them to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub judged_before_approval: Option<DaysTakenIn>,
}

/// A unit's days of readings already taken in within a span.
#[derive(Serialize, ToSchema)]
pub struct DaysTakenIn {
    pub first: String,
    pub last: String,
    pub days: i64,
}
