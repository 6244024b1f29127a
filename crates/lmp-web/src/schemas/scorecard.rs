use super::*;

#[derive(Serialize, ToSchema)]
pub struct YearSavings {
    pub year: String,
    pub self_reported_cents: i64,
    pub verified_cents: i64,
}

#[derive(Serialize, ToSchema)]
pub struct CompassCount {
    pub point: String,
    pub projects: i64,
}

/// A practice that spread: the original project and how far and fast.
#[derive(Serialize, ToSchema)]
pub struct Spread {
    pub project_id: i64,
    pub title: String,
    pub team_id: i64,
    pub team_name: String,
    pub adoptions: i64,
    pub units: i64,
    pub facilities: i64,
    pub regions: i64,
    /// Days from the original's start to its first and latest adoption.
    pub days_to_first: i64,
    pub days_to_latest: i64,
}

/// One row of the breakdown one level down.
#[derive(Serialize, ToSchema)]
pub struct ScorecardRow {
    pub id: i64,
    pub name: String,
    /// A unit's kind (region, hospital, department, …) or "team".
    pub kind: String,
    pub teams: i64,
    pub top_levels: i64,
    pub self_reported_cents: i64,
    pub verified_cents: i64,
    pub undocumented: i64,
    pub missing_leader: i64,
    pub workers: i64,
    pub engaged: i64,
}

#[derive(Serialize, ToSchema)]
pub struct Scorecard {
    pub as_of: String,
    pub teams: i64,
    /// Teams at levels 0 (not yet 1) through 5.
    pub by_level: Vec<i64>,
    pub top_levels: i64,
    pub projects_by_compass: Vec<CompassCount>,
    pub savings_by_year: Vec<YearSavings>,
    pub self_reported_cents: i64,
    pub verified_cents: i64,
    /// Workers in scope and those who took part lately.
    pub workers: i64,
    pub engaged: i64,
    pub undocumented: i64,
    pub missing_leader: i64,
    pub spread: Vec<Spread>,
    pub rows: Vec<ScorecardRow>,
}

/// A team as a drill-down lists it.
#[derive(Serialize, ToSchema)]
pub struct TeamLine {
    pub id: i64,
    pub name: String,
    pub unit_name: String,
    pub level: i64,
    pub last_documented: Option<String>,
    pub self_reported_cents: i64,
    pub verified_cents: i64,
}
