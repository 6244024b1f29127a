use super::*;

/// An EIS representative and the side they speak for.
#[derive(Serialize, ToSchema)]
pub struct Representative {
    pub person_id: i64,
    pub name: String,
    pub side: String,
}

/// One alternative and what was found.
#[derive(Serialize, ToSchema)]
pub struct AlternativeFinding {
    pub alternative: String,
    pub label: String,
    pub finding: Option<String>,
    pub recorded_by: Option<String>,
}

/// A displacement as the pages and API show it.
#[derive(Serialize, ToSchema)]
pub struct Displacement {
    pub id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub reason: String,
    pub reason_label: String,
    pub description: String,
    pub announced_on: String,
    pub effective_on: String,
    pub notice_days: i64,
    pub alternatives: Vec<AlternativeFinding>,
    pub labor_confirmed_by: Option<String>,
    pub management_confirmed_by: Option<String>,
    /// Both sides confirmed the alternatives: workers may enter the pool.
    pub pool_open: bool,
    pub workers: i64,
}

/// A worker in the pool as the board and API show them.
#[derive(Serialize, ToSchema)]
pub struct PoolWorker {
    pub pool_id: i64,
    pub event_id: i64,
    pub employee_no: String,
    pub name: String,
    pub local: Option<String>,
    pub job_class: String,
    pub licences: String,
    pub fte: String,
    pub shift: String,
    pub pay_band: String,
    pub region: String,
    /// The facility the worker was displaced from, where the file gave it.
    pub facility: String,
    #[serde(rename = "hourly_rate_cents")]
    pub hourly_rate: Option<i64>,
    pub seniority_date: String,
    pub entered_on: String,
    pub protected_until: String,
    /// Days of income protection left today (0 once it ended).
    pub protection_days_left: i64,
    pub protection_ended_on: Option<String>,
    /// What pay may do when protection ends, by the rule of the displacement's announcement.
    pub after_protection: Vec<String>,
    /// in_pool, placed or left.
    pub status: String,
    pub placed_on: Option<String>,
    pub placed_vacancy: Option<String>,
    pub placed_kind: Option<String>,
    pub retraining_until: Option<String>,
}

/// A vacancy as the board and API show it.
#[derive(Serialize, ToSchema)]
pub struct Vacancy {
    pub id: i64,
    pub code: String,
    pub job_class: String,
    pub required_licences: String,
    pub fte: String,
    pub shift: String,
    pub pay_band: String,
    pub region: String,
    pub retrain_from: String,
    #[serde(rename = "pay_min_cents")]
    pub pay_min: Option<i64>,
    #[serde(rename = "pay_max_cents")]
    pub pay_max: Option<i64>,
    pub facility: String,
    pub posted_on: String,
    /// open, filled or withdrawn.
    pub status: String,
}

/// What taking in a file did.
#[derive(Serialize, ToSchema)]
pub struct Taken {
    pub added: usize,
    pub unchanged: usize,
}

/// A placement run's figures.
#[derive(Serialize, ToSchema)]
pub struct Run {
    pub id: i64,
    pub run_at: String,
    pub run_by: String,
    pub workers: i64,
    pub vacancies: i64,
    pub placed: i64,
    pub comparable: i64,
    pub retraining: i64,
    pub millis: i64,
}

/// What a run proposed for one worker, and where the proposal stands.
#[derive(Serialize, ToSchema)]
pub struct Proposal {
    pub id: i64,
    pub run_id: i64,
    pub pool_id: i64,
    pub employee_no: String,
    pub name: String,
    pub local: Option<String>,
    pub region: String,
    /// The worker's job class and facility, as the pool has them.
    pub job_class: String,
    pub facility: String,
    /// 1 first.
    pub priority: i64,
    pub vacancy_id: Option<i64>,
    pub vacancy: Option<String>,
    /// The job proposed: its class and facility.
    pub vacancy_job_class: Option<String>,
    pub vacancy_facility: Option<String>,
    /// comparable, qualified or retraining; none when not placed.
    pub kind: Option<String>,
    pub explanation: String,
    /// The same explanation in Spanish.
    pub explanation_es: String,
    /// proposed, unplaced, placed, declined or superseded.
    pub status: String,
    pub labor_accepted_by: Option<String>,
    pub management_accepted_by: Option<String>,
    pub decline_reason: Option<String>,
    pub protection_days_left: i64,
}

/// What the board shows.
#[derive(Serialize, ToSchema)]
pub struct Board {
    pub in_pool: i64,
    pub placed: i64,
    pub retraining_now: i64,
    pub open_vacancies: i64,
    pub awaiting_acceptance: i64,
    /// In the pool with 30 days of protection or fewer left.
    pub protection_ending: i64,
    pub by_region: Vec<BoardRow>,
    pub by_local: Vec<BoardRow>,
    /// Days from entering the pool to placement, each placed worker.
    pub days_to_placement: Vec<i64>,
    pub latest_run: Option<Run>,
}

#[derive(Serialize, ToSchema)]
pub struct BoardRow {
    pub name: String,
    pub in_pool: i64,
    pub proposed: i64,
    pub placed: i64,
    pub retraining: i64,
}
