use super::*;

/// An outcome measure in force.
#[derive(Serialize, ToSchema)]
pub struct OutcomeMeasure {
    pub id: i64,
    /// How outcomes files name it.
    pub code: String,
    pub name: String,
    /// quality, service, cost or workplace.
    pub domain: String,
    /// What is counted, how and over whom, as both sides accepted it.
    pub definition: String,
    pub unit: String,
    /// up (higher is better) or down.
    pub direction: String,
    /// The two-key change that put it in force.
    pub accepted_by_change: i64,
    pub in_force_at: String,
    /// Teams with a value, and values in all.
    pub teams: i64,
    pub values: i64,
}

/// What an outcomes file did.
#[derive(Serialize, ToSchema)]
pub struct OutcomesReport {
    pub rows: u64,
    /// Months given a value.
    pub added: u64,
    /// Months that already had this very value.
    pub unchanged: u64,
    /// Measures and teams given a value.
    pub measures: u64,
    pub teams: u64,
}

/// A measure and what it shows.
#[derive(Serialize, ToSchema)]
pub struct MeasureEvidence {
    pub measure: OutcomeMeasure,
    pub evidence: Evidence,
}

/// What one measure shows.
#[derive(Serialize, ToSchema)]
pub struct Evidence {
    pub teams: u64,
    pub values: u64,
    /// YYYY-MM.
    pub first_month: Option<String>,
    pub last_month: Option<String>,
    /// Teams whose level rose during the months with values.
    pub teams_moved_up: u64,
    /// Groups `level 0` … `level 5`: a team-month counts at the level the
    /// team had then.
    pub by_level: Vec<GroupYear>,
    /// Groups under_50, 50_to_79, 80_and_over: the team's Partnership
    /// Participation Index today.
    pub by_participation: Vec<GroupYear>,
    /// The same bands of the team's people who took part in the last 90 days.
    pub by_engagement: Vec<GroupYear>,
    pub levels_with_controls: Fitted,
    pub event_study: Fitted,
    pub difference_in_differences: Fitted,
    /// The intervals' confidence level: 0.95.
    pub confidence: f64,
}

/// A group's mean in one year: each team's mean of its months counted once.
#[derive(Serialize, ToSchema)]
pub struct GroupYear {
    pub group: String,
    pub year: i32,
    pub mean: f64,
    /// Null for a single team: one team says nothing of spread.
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// Teams.
    pub count: u64,
}

/// A model fitted, or why it could not be.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Fitted {
    Fit(Fit),
    /// No more values than parameters, or fewer than two teams.
    TooFew {
        observations: u64,
        parameters: u64,
        groups: u64,
    },
}

/// A fitted model, errors clustered by team.
#[derive(Serialize, ToSchema)]
pub struct Fit {
    pub coefficients: Vec<Coefficient>,
    /// Columns left out because the others already explain them.
    pub dropped: Vec<String>,
    pub observations: u64,
    /// Teams.
    pub groups: u64,
    /// Parameters, each team's own intercept among them where absorbed.
    pub parameters: u64,
    pub confidence: f64,
}

/// One coefficient with its clustered standard error and interval.
#[derive(Serialize, ToSchema)]
pub struct Coefficient {
    pub name: String,
    pub estimate: f64,
    pub std_error: f64,
    pub t: f64,
    pub p_value: f64,
    pub low: f64,
    pub high: f64,
}
