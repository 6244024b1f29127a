//! The counts a home page shows: people by side, locals by members, bodies by
//! level, and bodies missing a co-lead.

use crate::bodies::BodyFilter;
use crate::model::{Body, Tally};
use crate::{on_pool, Result, Store};
use lmp_core::paging::Page;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
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

impl Store {
    pub async fn dashboard(&self, partnership_id: i64) -> Result<Dashboard> {
        let people_sql = "SELECT kind AS label, COUNT(*) AS count FROM people WHERE partnership_id = $1 GROUP BY kind ORDER BY count DESC";
        let locals_sql = "SELECT u.name AS label, COALESCE(c.n, 0) AS count FROM units u \
             LEFT JOIN (SELECT local_id, COUNT(*) AS n FROM people WHERE partnership_id = $1 AND local_id IS NOT NULL \
                        GROUP BY local_id) c ON c.local_id = u.id \
             WHERE u.partnership_id = $1 AND u.kind = 'local' ORDER BY count DESC, u.name";
        let levels_sql =
            "SELECT level AS label, COUNT(*) AS count FROM bodies WHERE partnership_id = $1 AND closed_on IS NULL GROUP BY level";
        // Restates lmp_core::body::missing_co_leads for the database.
        let missing_sql = "SELECT b.level AS label, COUNT(*) AS count FROM bodies b WHERE b.partnership_id = $1 AND b.closed_on IS NULL \
             AND (NOT EXISTS (SELECT 1 FROM seats s WHERE s.body_id = b.id AND s.role = 'co_lead' AND s.side = 'labor') \
               OR NOT EXISTS (SELECT 1 FROM seats s WHERE s.body_id = b.id AND s.role = 'co_lead' AND s.side = 'management')) \
             GROUP BY b.level";
        let (people_by_kind, locals_by_members, mut bodies_by_level, mut missing): (
            Vec<Tally>,
            Vec<Tally>,
            Vec<Tally>,
            Vec<Tally>,
        ) = on_pool!(self, |pool| (
            sqlx::query_as(people_sql).bind(partnership_id).fetch_all(pool).await?,
            sqlx::query_as(locals_sql).bind(partnership_id).fetch_all(pool).await?,
            sqlx::query_as(levels_sql).bind(partnership_id).fetch_all(pool).await?,
            sqlx::query_as(missing_sql).bind(partnership_id).fetch_all(pool).await?,
        ));
        sort_by_level(&mut bodies_by_level);
        sort_by_level(&mut missing);
        let bodies_missing_co_lead = missing.iter().map(|t| t.count).sum();
        let only_missing = BodyFilter {
            missing_co_lead: true,
            ..Default::default()
        };
        let first_missing_co_lead = self
            .bodies_page(partnership_id, &only_missing, Page::new(Some(10), None))
            .await?
            .items;
        Ok(Dashboard {
            people_by_kind,
            locals_by_members,
            bodies_by_level,
            bodies_missing_co_lead_by_level: missing,
            bodies_missing_co_lead,
            first_missing_co_lead,
        })
    }
}

/// National first, teams last.
fn sort_by_level(tallies: &mut [Tally]) {
    tallies.sort_by_key(|t| t.label.parse::<lmp_core::body::BodyLevel>().ok());
}
