use super::*;

#[derive(Serialize, ToSchema)]
pub struct Dashboard {
    /// union_member, manager, physician.
    pub people_by_kind: Vec<Tally>,
    /// Every local, largest first.
    pub locals_by_members: Vec<Tally>,
    pub bodies_by_level: Vec<Tally>,
    /// Bodies missing a labor or a management co-lead, by level.
    pub bodies_missing_co_lead_by_level: Vec<Tally>,
    pub bodies_missing_co_lead: i64,
    /// The first few of them, by name, to act on.
    pub first_missing_co_lead: Vec<Body>,
}
