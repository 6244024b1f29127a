use super::*;

/// A called meeting with its agenda and who came.
#[derive(Serialize, ToSchema)]
pub struct CalledMeeting {
    pub id: i64,
    pub body_id: i64,
    pub body_name: String,
    pub title: String,
    pub held_on: String,
    pub starts_at: Option<String>,
    pub duration_minutes: Option<i64>,
    pub location: String,
    /// The minutes, once written.
    pub notes: String,
    pub created_by: String,
}

#[derive(Serialize, ToSchema)]
pub struct AgendaItem {
    pub position: i64,
    pub title: String,
    pub decision_id: Option<i64>,
    pub decision_title: Option<String>,
    pub decision_stage: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Attendee {
    pub person_id: i64,
    pub name: String,
    pub side: String,
}
