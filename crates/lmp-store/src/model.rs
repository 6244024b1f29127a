//! What the store hands back: plain rows, serialisable as the API shows them.
//! Kinds, levels, roles and sides are the text forms of the `lmp_core` enums.

use serde::Serialize;
use sqlx::FromRow;

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Partnership {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub employer: String,
    pub coalition: String,
    /// The IANA time zone pages show times in (`America/Los_Angeles`).
    pub time_zone: String,
}

impl Partnership {
    /// The zone its times are shown in; a name the zone database no longer
    /// knows shows them in UTC, which says so.
    pub fn zone(&self) -> jiff::tz::TimeZone {
        lmp_core::time::zone(&self.time_zone).unwrap_or(jiff::tz::TimeZone::UTC)
    }
}

/// A unit of the employer's structure or of the unions'.
#[derive(Debug, Clone, Serialize, FromRow)]
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
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Local {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub international_id: Option<i64>,
    pub international_name: Option<String>,
    pub members: i64,
    pub stewards: i64,
}

#[derive(Debug, Clone, Serialize, FromRow)]
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
#[derive(Debug, Clone, Serialize, FromRow)]
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
    #[sqlx(skip)]
    pub missing_co_lead: Vec<String>,
}

impl Body {
    /// Fill `missing_co_lead` from the counts, by the rule in lmp-core.
    pub fn with_flags(mut self) -> Body {
        let count = lmp_core::body::CoLeadCount {
            labor: self.labor_co_leads.max(0) as u64,
            management: self.management_co_leads.max(0) as u64,
        };
        self.missing_co_lead = count.missing().into_iter().map(|s| s.as_str().to_string()).collect();
        self
    }
}

/// One seat in a body, with the names a page shows.
#[derive(Debug, Clone, Serialize, FromRow)]
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

impl Seat {
    /// "Co-lead", "Sponsor", "Member", as people say it.
    pub fn role_label(&self, language: lmp_core::language::Language) -> &'static str {
        self.role
            .parse::<lmp_core::body::BodyRole>()
            .map_or("Seat", |r| r.label_in(language))
    }

    /// "Labor", "Management", "Physician".
    pub fn side_label(&self, language: lmp_core::language::Language) -> &'static str {
        self.side.parse::<lmp_core::Side>().map_or("", |s| s.label_in(language))
    }
}

/// A steward or Labor Partner role.
#[derive(Debug, Clone, Serialize, FromRow)]
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

impl StandingRole {
    /// "Steward" or "Labor Partner".
    pub fn role_label(&self, language: lmp_core::language::Language) -> &'static str {
        self.role
            .parse::<lmp_core::person::StandingRole>()
            .map_or("Role", |r| r.label_in(language))
    }
}

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct User {
    pub id: i64,
    pub partnership_id: i64,
    pub username: String,
    pub role: String,
    pub person_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, FromRow)]
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
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Tally {
    pub label: String,
    pub count: i64,
}
