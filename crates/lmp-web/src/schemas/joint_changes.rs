use super::*;

#[derive(Serialize, ToSchema)]
pub struct JointChangeRow {
    pub id: i64,
    pub kind: String,
    pub body_id: Option<i64>,
    pub decision_id: Option<i64>,
    /// The change exactly as it will be applied (JSON).
    pub change_json: String,
    pub summary: String,
    pub reason: String,
    pub requested_by: String,
    pub requested_at: String,
    pub labor_approver: Option<String>,
    pub labor_approved_at: Option<String>,
    pub management_approver: Option<String>,
    pub management_approved_at: Option<String>,
    pub withdrawn_by: Option<String>,
    pub withdrawn_at: Option<String>,
    pub applied_at: Option<String>,
}
