use super::*;

#[derive(Serialize, ToSchema)]
pub struct Partnership {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub employer: String,
    pub coalition: String,
    /// The IANA time zone pages show times in (`America/Los_Angeles`); the
    /// API's times are UTC.
    pub time_zone: String,
}

/// A unit of the employer's structure or of the unions'.
#[derive(Serialize, ToSchema)]
pub struct Unit {
    pub id: i64,
    pub code: String,
    /// region, hospital, medical_office, department, international or local.
    pub kind: String,
    pub name: String,
    pub parent_id: Option<i64>,
    pub parent_name: Option<String>,
}

/// A local union with its head-count.
#[derive(Serialize, ToSchema)]
pub struct Local {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub international_id: Option<i64>,
    pub international_name: Option<String>,
    pub members: i64,
    pub stewards: i64,
}

#[derive(Serialize, ToSchema)]
pub struct Person {
    pub id: i64,
    pub employee_no: String,
    pub name: String,
    /// union_member, manager or physician.
    pub kind: String,
    pub job_title: String,
    pub local_id: Option<i64>,
    pub local_name: Option<String>,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    /// The day the HR sync found them gone from a complete people file;
    /// their history stays.
    pub left_on: Option<String>,
}

/// A body as a list shows it, with its co-lead counts by side.
#[derive(Serialize, ToSchema)]
pub struct Body {
    pub id: i64,
    pub code: String,
    /// national, regional, facility, department or team.
    pub level: String,
    pub name: String,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub parent_id: Option<i64>,
    /// The charter: consensus (the body decides) or recommend (it advises the level above).
    pub decision_mode: String,
    /// Days a decision may stay before it rises; null: the partnership's limit for the level.
    pub time_limit_days: Option<i64>,
    /// The day it closed (its history stays); null while open.
    pub closed_on: Option<String>,
    pub labor_co_leads: i64,
    pub management_co_leads: i64,
    pub people: i64,
    /// The required sides with no co-lead: flagged, never silently allowed.
    pub missing_co_lead: Vec<String>,
}

/// One seat in a body, with the names a page shows.
#[derive(Serialize, ToSchema)]
pub struct Seat {
    pub id: i64,
    pub body_id: i64,
    pub body_name: String,
    pub body_level: String,
    pub person_id: i64,
    pub person_name: String,
    pub person_kind: String,
    /// co_lead, sponsor or member.
    pub role: String,
    /// labor, management or physician.
    pub side: String,
    /// The day the seat was taken; null: held since before the records began.
    pub started_on: Option<String>,
}

/// A steward or Labor Partner role.
#[derive(Serialize, ToSchema)]
pub struct StandingRole {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    /// steward or labor_partner.
    pub role: String,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub partner_id: Option<i64>,
    pub partner_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct User {
    pub id: i64,
    pub partnership_id: i64,
    pub username: String,
    pub role: String,
    pub person_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditRow {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub hash: String,
}

/// A count by label, for dashboards and charts.
#[derive(Serialize, ToSchema)]
pub struct Tally {
    pub label: String,
    pub count: i64,
}

/// What a bodies or seats import did, and the bodies it left without a
/// co-lead on a side (accepted, flagged).
#[derive(Serialize, ToSchema)]
pub struct StructureReport {
    pub rows: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub missing_co_lead: Vec<MissingCoLead>,
}

/// A body with no co-lead for a required side.
#[derive(Serialize, ToSchema)]
pub struct MissingCoLead {
    pub code: String,
    /// labor, management.
    pub missing: Vec<String>,
}

/// What the nightly people sync did, or on a dry run would do.
#[derive(Serialize, ToSchema)]
pub struct SyncReport {
    pub rows: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub dry_run: bool,
    /// People the file left out who were here before it.
    pub left: u64,
    /// People named again after a file had left them out.
    pub returned: u64,
    /// People whose unit changed.
    pub transferred: u64,
    pub seats_ended: u64,
    pub roles_ended: u64,
    /// Leavers' sign-ins deactivated (their sessions ended).
    pub sign_ins_deactivated: u64,
    /// Co-lead seats a leaver left empty.
    pub vacancies: Vec<CoLeadVacancy>,
}

/// A co-lead seat a leaver left empty.
#[derive(Serialize, ToSchema)]
pub struct CoLeadVacancy {
    pub body_code: String,
    /// labor, management or physician.
    pub side: String,
}

/// A sign-in as the administrator's list shows it.
#[derive(Serialize, ToSchema)]
pub struct SignIn {
    pub id: i64,
    pub username: String,
    pub role: String,
    /// granted (by an administrator or the operator) or record (the
    /// person's standing roles and seats, read at each sign-in).
    pub role_source: String,
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    pub employee_no: Option<String>,
    pub email: Option<String>,
    /// Made by single sign-on through the employer's identity provider.
    pub single_sign_on: bool,
    pub created_at: String,
    pub deactivated_on: Option<String>,
}

/// An invitation by email, as the administrator sees it: its link goes to
/// the person's address alone.
#[derive(Serialize, ToSchema)]
pub struct Invitation {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub email: String,
    pub created_at: String,
    /// A week after it was sent.
    pub expires_at: String,
    pub accepted_at: Option<String>,
}
