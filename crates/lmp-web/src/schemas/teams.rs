use super::*;

/// A meeting with its attendance by side.
#[derive(Serialize, ToSchema)]
pub struct Meeting {
    pub id: i64,
    pub team_id: i64,
    pub kind: String,
    pub held_on: String,
    pub run_by_id: Option<i64>,
    pub run_by_name: Option<String>,
    pub notes: String,
    pub labor: i64,
    pub management: i64,
    pub physician: i64,
}

/// A team with its charter and its computed Path to Performance level.
#[derive(Serialize, ToSchema)]
pub struct Team {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    /// 0 (not yet at level 1) to 5, as last computed.
    pub level: i64,
    pub rated_on: Option<String>,
    pub purpose: String,
    pub goals: String,
    pub membership: String,
    pub quorum: String,
    pub scope: String,
    pub decision_making: String,
    pub ground_rules: String,
    pub health_safety_champion_id: Option<i64>,
    pub health_safety_champion_name: Option<String>,
    pub charter_updated_at: Option<String>,
}

/// A team someone co-leads or sponsors, as their own page lists it.
#[derive(Serialize, ToSchema)]
pub struct LedTeam {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit_name: Option<String>,
    pub level: i64,
    /// co_lead or sponsor.
    pub role: String,
    pub side: String,
    pub last_meeting: Option<String>,
    /// Claims that count and are not yet verified.
    pub unverified_claims: i64,
}

#[derive(Serialize, ToSchema)]
pub struct Project {
    pub id: i64,
    pub code: String,
    pub team_id: i64,
    pub team_name: String,
    pub title: String,
    pub status: String,
    pub aim: String,
    pub how_we_know: String,
    pub change_idea: String,
    pub started_on: String,
    pub target_date: String,
    pub adopted_from_id: Option<i64>,
    pub adopted_from_title: Option<String>,
    pub adopted_from_team: Option<String>,
    pub last_documented_on: String,
    /// Value Compass points, `;`-separated.
    pub compass: String,
}

#[derive(Serialize, ToSchema)]
pub struct Measure {
    pub id: i64,
    pub project_id: i64,
    /// main or balancing.
    pub role: String,
    pub name: String,
    pub unit: String,
    /// up or down: which way is better.
    pub direction: String,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct Measurement {
    pub measure_id: i64,
    pub taken_on: String,
    pub value: f64,
}

#[derive(Serialize, ToSchema)]
pub struct TestRow {
    pub id: i64,
    pub project_id: i64,
    pub change: String,
    pub prediction: String,
    pub started_on: String,
    pub ended_on: Option<String>,
    pub result: String,
    pub decision: Option<String>,
    pub participants: i64,
}

/// One month of a team's Path to Performance history.
#[derive(Serialize, ToSchema)]
pub struct MonthRating {
    /// YYYY-MM.
    pub month: String,
    pub computed_level: i64,
    pub self_assessed_level: Option<i64>,
    pub self_assessed_by: Option<String>,
    /// confirmed or disputed, by a sponsor.
    pub sponsor_decision: Option<String>,
    pub sponsor_name: Option<String>,
    pub sponsor_note: String,
}

/// A claim as a team's page and the API show it.
#[derive(Serialize, ToSchema)]
pub struct Claim {
    pub id: i64,
    #[serde(rename = "ref")]
    pub reference: String,
    pub project_id: i64,
    pub project_title: String,
    pub team_id: i64,
    pub category: String,
    pub amount_cents: i64,
    pub period_start: String,
    pub period_end: String,
    pub method: String,
    pub corrects_id: Option<i64>,
    /// The claim that replaced this one, if any: then this one no longer counts.
    pub corrected_by_id: Option<i64>,
    pub entered_by: String,
    pub entered_at: String,
    pub verified_at: Option<String>,
    /// Who signed, as "Name (labor co-lead)", `;`-separated.
    pub signed_by: String,
}

/// Self-reported and verified totals, always side by side.
#[derive(Serialize, ToSchema)]
pub struct SavingsTotals {
    pub self_reported_cents: i64,
    pub verified_cents: i64,
    pub claims: i64,
    pub verified_claims: i64,
}
