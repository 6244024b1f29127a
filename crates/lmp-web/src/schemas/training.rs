use super::*;

/// What an import did with the file's rows.
#[derive(Serialize, ToSchema)]
pub struct ImportReport {
    pub rows: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// A class a person completed, and where that was recorded.
#[derive(Serialize, ToSchema)]
pub struct Completion {
    /// co_lead_workshop, effective_stakeholding, facilitation_skills, ibps or corrective_action.
    pub class: String,
    pub completed_on: String,
    /// A learning system, a sign-in sheet, or `session N`.
    pub source: String,
}

/// A team leader who has not completed a class.
#[derive(Serialize, ToSchema)]
pub struct LeaderToTrain {
    pub person_id: i64,
    pub employee_no: String,
    pub name: String,
    pub side: String,
    pub team_id: i64,
    pub team_name: String,
}

/// A session of a class, with its list's counts.
#[derive(Serialize, ToSchema)]
pub struct ClassSession {
    pub id: i64,
    pub class: String,
    pub held_on: String,
    pub place: String,
    pub created_by: String,
    pub enrolled: i64,
    pub attended: i64,
    pub absent: i64,
}

/// One person on a session's list.
#[derive(Serialize, ToSchema)]
pub struct ClassAttendee {
    pub person_id: i64,
    pub employee_no: String,
    pub name: String,
    /// union_member, manager or physician.
    pub kind: String,
    /// enrolled, attended or absent.
    pub status: String,
    pub marked_at: String,
}

/// What marking a session's list did.
#[derive(Serialize, ToSchema)]
pub struct AttendanceReport {
    pub marked: u64,
    /// Completions the session gave.
    pub completed: u64,
    /// Completions taken back with a mark.
    pub withdrawn: u64,
    /// Teams re-rated because a leader's training changed.
    pub teams_rated: u64,
}
