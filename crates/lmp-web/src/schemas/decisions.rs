use super::*;

/// One step of a decision's path up the levels.
#[derive(Serialize, ToSchema)]
pub struct Move {
    pub from_body_id: i64,
    pub from_body_name: String,
    pub to_body_id: i64,
    pub to_body_name: String,
    pub reason: String,
    pub moved_by: String,
    pub at: String,
}

/// How long a decision stayed in one body on its way.
#[derive(Serialize, ToSchema)]
pub struct Stay {
    pub body_id: i64,
    pub body_name: String,
    pub arrived_at: String,
    pub hours: i64,
    /// "3 days 4 hours".
    pub in_words: String,
    /// Still here.
    pub current: bool,
}

/// The verdict on one decision's history.
#[derive(Serialize, ToSchema)]
pub struct HistoryCheck {
    /// How many audit entries the decision has.
    pub entries: usize,
    pub verified: bool,
    /// What is wrong, in words; empty when it verifies.
    pub problems: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Decision {
    pub id: i64,
    pub body_id: i64,
    pub body_name: String,
    pub origin_body_id: i64,
    pub title: String,
    pub mode: String,
    pub stage: String,
    pub deadline: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub stage_changed_at: String,
    pub options_closed_at: Option<String>,
    pub adopted_at: Option<String>,
    /// The two-key change that redacted its words, if one did.
    pub redacted_by: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct Contribution {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub side: String,
    pub kind: String,
    pub text: String,
    pub option_id: Option<i64>,
    pub criterion_id: Option<i64>,
    pub score: Option<i64>,
    pub at: String,
}

/// A person's latest stance.
#[derive(Serialize, ToSchema)]
pub struct StanceRow {
    pub person_id: i64,
    pub person_name: String,
    pub side: String,
    pub role: String,
    pub stance: String,
    pub reason: String,
    pub at: String,
}

/// How each side took part in one decision.
#[derive(Serialize, ToSchema)]
pub struct DecisionParticipation {
    pub decision_id: i64,
    pub title: String,
    pub stage: String,
    pub labor: String,
    pub management: String,
}

/// The Partnership Participation Index rolled up: by level, and by year of
/// adoption and level.
#[derive(Serialize, ToSchema)]
pub struct Rollup {
    pub by_level: Vec<LevelIndex>,
    pub by_year: Vec<YearIndex>,
}

#[derive(Serialize, ToSchema)]
pub struct LevelIndex {
    pub level: String,
    pub decisions: u64,
    pub joint: u64,
    pub percent: Option<u64>,
}

#[derive(Serialize, ToSchema)]
pub struct YearIndex {
    pub year: i16,
    /// Level → percent jointly made (null: none adopted that year).
    pub percent_by_level: std::collections::BTreeMap<String, Option<u64>>,
    pub all: Option<u64>,
}

/// One decision behind a figure, with how each side took part.
#[derive(Serialize, ToSchema)]
pub struct DecisionLine {
    pub decision_id: i64,
    pub title: String,
    pub body_id: i64,
    pub body_name: String,
    pub level: String,
    pub adopted_at: String,
    pub labor: String,
    pub management: String,
}
