//! The unit-based team scorecard at every level — national, a region, a
//! facility, a department, one team: teams by level, projects by Value
//! Compass point, savings self-reported beside verified by year,
//! engagement, teams gone quiet, teams missing a leader, and the practices
//! that spread. Each figure can be listed as the teams behind it.
//!
//! A team's place is the chain of units above it: its unit (usually a
//! department), that unit's parent (facility) and grandparent (region).

use crate::teams::savings::CURRENT_CLAIM;
use crate::{on_pool, Result, Store};
use jiff::civil::Date;
use lmp_core::paging::{Page, Paged};
use serde::Serialize;
use sqlx::FromRow;

/// Whose scorecard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    National,
    /// A region, facility or department, and everything under it.
    Unit(i64),
    Team(i64),
}

impl Scope {
    pub(crate) fn parameter(self) -> i64 {
        match self {
            Scope::National => 0,
            Scope::Unit(id) | Scope::Team(id) => id,
        }
    }

    /// The teams (or bodies of any level) in scope, over the chain `b`
    /// (the body) → `d` (its unit) → `f` → `r`.
    pub(crate) fn teams_condition(self) -> &'static str {
        match self {
            Scope::National => "$2 = 0",
            Scope::Unit(_) => "(d.id = $2 OR f.id = $2 OR r.id = $2)",
            Scope::Team(_) => "b.id = $2",
        }
    }

    /// The one-level-down part of the chain each team belongs to, for the
    /// breakdown rows: regions of the nation, facilities of a region, …
    /// down to the teams themselves, which are negated so a team's id is
    /// never read as a unit's.
    fn child_column(self) -> &'static str {
        match self {
            Scope::National => "COALESCE(r.id, f.id, d.id)",
            Scope::Unit(_) => "CASE WHEN r.id = $2 THEN f.id WHEN f.id = $2 THEN d.id WHEN d.id = $2 THEN -b.id END",
            Scope::Team(_) => "-b.id",
        }
    }
}

/// Teams with their chain of units.
const TEAM_CHAIN: &str = "FROM bodies b JOIN units d ON d.id = b.unit_id LEFT JOIN units f ON f.id = d.parent_id \
     LEFT JOIN units r ON r.id = f.parent_id LEFT JOIN teams t ON t.body_id = b.id";

/// Teams are counted while open; a closed team's savings stay in the sums,
/// as money it saved before it closed.
const OPEN: &str = "b.closed_on IS NULL";

/// A team lacks a leader when either side has no co-lead or no sponsor.
const MISSING_LEADER: &str =
    "(NOT EXISTS (SELECT 1 FROM seats s WHERE s.body_id = b.id AND s.role = 'co_lead' AND s.side = 'labor') \
     OR NOT EXISTS (SELECT 1 FROM seats s WHERE s.body_id = b.id AND s.role = 'co_lead' AND s.side = 'management') \
     OR NOT EXISTS (SELECT 1 FROM seats s WHERE s.body_id = b.id AND s.role = 'sponsor' AND s.side = 'labor') \
     OR NOT EXISTS (SELECT 1 FROM seats s WHERE s.body_id = b.id AND s.role = 'sponsor' AND s.side = 'management'))";

/// Per body: 1 when it has a labor and a management co-lead and a labor
/// and a management sponsor (the set form of [`MISSING_LEADER`]).
const LEADERS_COMPLETE: &str = "SELECT s.body_id, CASE WHEN \
     MAX(CASE WHEN s.role = 'co_lead' AND s.side = 'labor' THEN 1 ELSE 0 END) = 1 \
     AND MAX(CASE WHEN s.role = 'co_lead' AND s.side = 'management' THEN 1 ELSE 0 END) = 1 \
     AND MAX(CASE WHEN s.role = 'sponsor' AND s.side = 'labor' THEN 1 ELSE 0 END) = 1 \
     AND MAX(CASE WHEN s.role = 'sponsor' AND s.side = 'management' THEN 1 ELSE 0 END) = 1 THEN 1 ELSE 0 END AS complete \
     FROM seats s WHERE s.partnership_id = $1 AND s.role IN ('co_lead', 'sponsor') GROUP BY s.body_id";

/// No project documented since `$3`.
const UNDOCUMENTED: &str =
    "NOT EXISTS (SELECT 1 FROM projects p WHERE p.body_id = b.id AND p.last_documented_on >= $3)";

/// Workers of a team (anyone with a seat) who took part since `$3`.
const TEAM_ENGAGEMENT: &str =
    "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN p.last_took_part_on >= $3 THEN 1 ELSE 0 END), 0) AS BIGINT) \
     FROM people p WHERE p.partnership_id = $1 AND p.id IN (SELECT s.person_id FROM seats s WHERE s.body_id = $2)";

/// Workers and those who took part since `$2`, by unit.
const UNIT_ENGAGEMENT: &str = "SELECT unit_id, COUNT(*), \
     CAST(COALESCE(SUM(CASE WHEN last_took_part_on >= $2 THEN 1 ELSE 0 END), 0) AS BIGINT) \
     FROM people WHERE partnership_id = $1 GROUP BY unit_id";

/// Days counted as "lately": engagement and documentation.
pub const RECENT_DAYS: i64 = 90;

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct YearSavings {
    pub year: String,
    pub self_reported_cents: i64,
    pub verified_cents: i64,
}

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct CompassCount {
    pub point: String,
    pub projects: i64,
}

/// A practice that spread: the original project and how far and fast.
#[derive(Debug, Clone, Serialize, FromRow)]
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
#[derive(Debug, Clone, Serialize, FromRow)]
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

#[derive(Debug, Clone, Serialize)]
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

impl Scorecard {
    /// Share at levels 4–5, in whole percent.
    pub fn top_level_percent(&self) -> i64 {
        percent(self.top_levels, self.teams)
    }

    pub fn engaged_percent(&self) -> i64 {
        percent(self.engaged, self.workers)
    }
}

pub fn percent(part: i64, whole: i64) -> i64 {
    if whole <= 0 {
        0
    } else {
        (part * 100 + whole / 2) / whole
    }
}

/// Which teams a drill-down lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Behind {
    All,
    Level(i64),
    TopLevels,
    Compass(String),
    SavingsYear(String),
    Undocumented,
    MissingLeader,
}

/// A team as a drill-down lists it.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct TeamLine {
    pub id: i64,
    pub name: String,
    pub unit_name: String,
    pub level: i64,
    pub last_documented: Option<String>,
    pub self_reported_cents: i64,
    pub verified_cents: i64,
}

impl Store {
    /// The scorecard of `scope` as of `today`.
    pub async fn scorecard(&self, partnership_id: i64, scope: Scope, today: Date) -> Result<Scorecard> {
        let since = today.saturating_sub(jiff::Span::new().days(RECENT_DAYS)).to_string();
        let today_text = today.to_string();
        let teams_in = scope.teams_condition();
        let base = format!("{TEAM_CHAIN} WHERE b.partnership_id = $1 AND b.level = 'team' AND {OPEN} AND {teams_in}");
        let levels_sql = format!("SELECT COALESCE(t.level, 0), COUNT(*) {base} GROUP BY COALESCE(t.level, 0)");
        let compass_sql = format!(
            "SELECT c.point, COUNT(*) AS projects FROM project_compass c JOIN projects pj ON pj.id = c.project_id \
             JOIN bodies b ON b.id = pj.body_id JOIN units d ON d.id = b.unit_id LEFT JOIN units f ON f.id = d.parent_id \
             LEFT JOIN units r ON r.id = f.parent_id WHERE c.partnership_id = $1 AND {teams_in} GROUP BY c.point ORDER BY c.point"
        );
        let savings_sql = format!(
            "SELECT SUBSTR(c.period_start, 1, 4) AS year, CAST(SUM(c.amount_cents) AS BIGINT) AS self_reported_cents, \
             CAST(SUM(CASE WHEN c.verified_at IS NOT NULL THEN c.amount_cents ELSE 0 END) AS BIGINT) AS verified_cents \
             FROM savings_claims c JOIN bodies b ON b.id = c.body_id JOIN units d ON d.id = b.unit_id \
             LEFT JOIN units f ON f.id = d.parent_id LEFT JOIN units r ON r.id = f.parent_id \
             WHERE c.partnership_id = $1 AND {teams_in} AND {CURRENT_CLAIM} GROUP BY SUBSTR(c.period_start, 1, 4) ORDER BY 1"
        );
        let spread_sql = format!(
            "SELECT o.id AS project_id, o.title, ob.id AS team_id, ob.name AS team_name, COUNT(*) AS adoptions, \
             COUNT(DISTINCT ad.id) AS units, COUNT(DISTINCT af.id) AS facilities, COUNT(DISTINCT ar.id) AS regions, \
             CAST(MIN({days}) AS BIGINT) AS days_to_first, CAST(MAX({days}) AS BIGINT) AS days_to_latest \
             FROM projects a JOIN projects o ON o.id = a.adopted_from_id JOIN bodies ob ON ob.id = o.body_id \
             JOIN bodies ab ON ab.id = a.body_id JOIN units ad ON ad.id = ab.unit_id \
             LEFT JOIN units af ON af.id = ad.parent_id LEFT JOIN units ar ON ar.id = af.parent_id \
             WHERE a.partnership_id = $1 AND o.body_id IN (SELECT b.id {base}) \
             GROUP BY o.id, o.title, ob.id, ob.name ORDER BY adoptions DESC, regions DESC, o.id LIMIT 10",
            days = self.days_between("o.started_on", "a.started_on"),
        );
        let child = scope.child_column();
        // Per-team facts joined as whole sets (savings, leaders, last
        // documentation), not asked team by team.
        let rows_sql = format!(
            "SELECT ABS(x.child) AS id, COALESCE(u.name, cb.name, '') AS name, COALESCE(u.kind, 'team') AS kind, \
             x.teams, x.top_levels, x.self_reported_cents, x.verified_cents, x.undocumented, x.missing_leader, \
             CAST(0 AS BIGINT) AS workers, CAST(0 AS BIGINT) AS engaged FROM ( \
               SELECT {child} AS child, CAST(SUM(CASE WHEN {OPEN} THEN 1 ELSE 0 END) AS BIGINT) AS teams, \
               CAST(SUM(CASE WHEN {OPEN} AND COALESCE(t.level, 0) >= 4 THEN 1 ELSE 0 END) AS BIGINT) AS top_levels, \
               CAST(COALESCE(SUM(sv.self_reported), 0) AS BIGINT) AS self_reported_cents, \
               CAST(COALESCE(SUM(sv.verified), 0) AS BIGINT) AS verified_cents, \
               CAST(SUM(CASE WHEN {OPEN} AND (pd.last IS NULL OR pd.last < $3) THEN 1 ELSE 0 END) AS BIGINT) AS undocumented, \
               CAST(SUM(CASE WHEN {OPEN} AND COALESCE(ld.complete, 0) = 0 THEN 1 ELSE 0 END) AS BIGINT) AS missing_leader \
               {TEAM_CHAIN} \
               LEFT JOIN (SELECT c.body_id, SUM(c.amount_cents) AS self_reported, \
                   SUM(CASE WHEN c.verified_at IS NOT NULL THEN c.amount_cents ELSE 0 END) AS verified \
                 FROM savings_claims c WHERE c.partnership_id = $1 AND {CURRENT_CLAIM} GROUP BY c.body_id) sv ON sv.body_id = b.id \
               LEFT JOIN (SELECT pj.body_id, MAX(pj.last_documented_on) AS last FROM projects pj \
                 WHERE pj.partnership_id = $1 GROUP BY pj.body_id) pd ON pd.body_id = b.id \
               LEFT JOIN ({LEADERS_COMPLETE}) ld ON ld.body_id = b.id \
               WHERE b.partnership_id = $1 AND b.level = 'team' AND {teams_in} GROUP BY {child}) x \
             LEFT JOIN units u ON u.id = x.child AND u.partnership_id = $1 \
             LEFT JOIN bodies cb ON cb.id = -x.child AND cb.partnership_id = $1 \
             WHERE x.child IS NOT NULL ORDER BY name"
        );
        let p = scope.parameter();
        // The figures are independent: ask for them all at once, each on a
        // connection of its own, so the slowest sets the pace, not the sum.
        let (levels, compass, savings, spread, mut rows, by_unit, units, team_engagement) = on_pool!(self, |pool| {
            let team = match scope {
                Scope::Team(team) => team,
                _ => 0,
            };
            futures::try_join!(
                sqlx::query_as::<_, (i64, i64)>(&levels_sql)
                    .bind(partnership_id)
                    .bind(p)
                    .fetch_all(pool),
                sqlx::query_as::<_, CompassCount>(&compass_sql)
                    .bind(partnership_id)
                    .bind(p)
                    .fetch_all(pool),
                sqlx::query_as::<_, YearSavings>(&savings_sql)
                    .bind(partnership_id)
                    .bind(p)
                    .fetch_all(pool),
                sqlx::query_as::<_, Spread>(&spread_sql)
                    .bind(partnership_id)
                    .bind(p)
                    .fetch_all(pool),
                sqlx::query_as::<_, ScorecardRow>(&rows_sql)
                    .bind(partnership_id)
                    .bind(p)
                    .bind(&since)
                    .fetch_all(pool),
                sqlx::query_as::<_, (Option<i64>, i64, i64)>(UNIT_ENGAGEMENT)
                    .bind(partnership_id)
                    .bind(&since)
                    .fetch_all(pool),
                sqlx::query_as::<_, (i64, Option<i64>)>("SELECT id, parent_id FROM units WHERE partnership_id = $1")
                    .bind(partnership_id)
                    .fetch_all(pool),
                sqlx::query_as::<_, (i64, i64)>(TEAM_ENGAGEMENT)
                    .bind(partnership_id)
                    .bind(team)
                    .bind(&since)
                    .fetch_one(pool),
            )?
        });
        let (by_unit, team_engagement) = match scope {
            Scope::Team(_) => (Vec::new(), team_engagement),
            _ => (by_unit, (0, 0)),
        };
        // Roll people up the unit tree: into the scope, and into the child
        // of the scope each sits under.
        let parents: std::collections::HashMap<i64, Option<i64>> = units.into_iter().collect();
        let (mut workers, mut engaged) = team_engagement;
        let mut by_child: std::collections::HashMap<i64, (i64, i64)> = std::collections::HashMap::new();
        for (unit, w, e) in by_unit {
            let Some(unit) = unit else { continue };
            let mut chain = vec![unit];
            while let Some(Some(parent)) = chain.last().and_then(|u| parents.get(u)) {
                if chain.len() > 16 {
                    break;
                }
                chain.push(*parent);
            }
            // chain: the unit, its parent, …, the root.
            let child = match scope {
                Scope::National => chain.last().copied(),
                Scope::Unit(scope_unit) => match chain.iter().position(|u| *u == scope_unit) {
                    Some(at) if at > 0 => Some(chain[at - 1]),
                    Some(_) => None,
                    None => continue,
                },
                Scope::Team(_) => continue,
            };
            workers += w;
            engaged += e;
            if let Some(child) = child {
                let entry = by_child.entry(child).or_default();
                entry.0 += w;
                entry.1 += e;
            }
        }
        for row in rows.iter_mut().filter(|r| r.kind != "team") {
            if let Some((w, e)) = by_child.get(&row.id) {
                row.workers = *w;
                row.engaged = *e;
            }
        }
        // Rows that are teams (a department's breakdown, or one team) count
        // the people seated on each team.
        if rows.iter().any(|r| r.kind == "team") {
            let sql = format!(
                "SELECT s.body_id, COUNT(DISTINCT p.id), \
                 COUNT(DISTINCT CASE WHEN p.last_took_part_on >= $3 THEN p.id END) \
                 FROM seats s JOIN people p ON p.id = s.person_id \
                 WHERE s.partnership_id = $1 AND s.body_id IN (SELECT b.id {base}) GROUP BY s.body_id"
            );
            let by_team: Vec<(i64, i64, i64)> = on_pool!(self, |pool| sqlx::query_as(&sql)
                .bind(partnership_id)
                .bind(p)
                .bind(&since)
                .fetch_all(pool)
                .await?);
            for row in rows.iter_mut().filter(|r| r.kind == "team") {
                if let Some((_, w, e)) = by_team.iter().find(|(team, _, _)| *team == row.id) {
                    row.workers = *w;
                    row.engaged = *e;
                }
            }
        }
        let mut by_level = vec![0i64; 6];
        for (level, count) in levels {
            by_level[level.clamp(0, 5) as usize] += count;
        }
        Ok(Scorecard {
            as_of: today_text,
            teams: by_level.iter().sum(),
            top_levels: by_level[4] + by_level[5],
            by_level,
            projects_by_compass: compass,
            self_reported_cents: savings.iter().map(|s| s.self_reported_cents).sum(),
            verified_cents: savings.iter().map(|s| s.verified_cents).sum(),
            savings_by_year: savings,
            workers,
            engaged,
            // Every team in scope falls in exactly one breakdown row.
            undocumented: rows.iter().map(|r| r.undocumented).sum(),
            missing_leader: rows.iter().map(|r| r.missing_leader).sum(),
            spread,
            rows,
        })
    }

    /// Days from one ISO date column to another, as each backend counts them.
    fn days_between(&self, from: &str, to: &str) -> String {
        match self {
            Store::Sqlite { .. } => format!("(julianday({to}) - julianday({from}))"),
            Store::Postgres(_) => format!("(CAST({to} AS DATE) - CAST({from} AS DATE))"),
        }
    }

    /// The teams behind a scorecard figure.
    pub async fn scorecard_teams(
        &self,
        partnership_id: i64,
        scope: Scope,
        behind: &Behind,
        today: Date,
        page: Page,
    ) -> Result<Paged<TeamLine>> {
        let since = today.saturating_sub(jiff::Span::new().days(RECENT_DAYS)).to_string();
        let teams_in = scope.teams_condition();
        // $3 is the "lately" date, $4 the figure's own value.
        let (condition, value) = match behind {
            Behind::All => ("$4 = ''".to_string(), String::new()),
            Behind::Level(level) => ("CAST(COALESCE(t.level, 0) AS TEXT) = $4".to_string(), level.to_string()),
            Behind::TopLevels => ("COALESCE(t.level, 0) >= 4 AND $4 = ''".to_string(), String::new()),
            Behind::Compass(point) => (
                "EXISTS (SELECT 1 FROM projects pj JOIN project_compass c ON c.project_id = pj.id WHERE pj.body_id = b.id AND c.point = $4)"
                    .to_string(),
                point.clone(),
            ),
            Behind::SavingsYear(year) => (
                format!("EXISTS (SELECT 1 FROM savings_claims c WHERE c.body_id = b.id AND SUBSTR(c.period_start, 1, 4) = $4 AND {CURRENT_CLAIM})"),
                year.clone(),
            ),
            Behind::Undocumented => (format!("{UNDOCUMENTED} AND $4 = ''"), String::new()),
            Behind::MissingLeader => (format!("{MISSING_LEADER} AND $4 = ''"), String::new()),
        };
        let filter = format!(
            "{TEAM_CHAIN} WHERE b.partnership_id = $1 AND b.level = 'team' AND {OPEN} AND {teams_in} AND $3 <> '' AND {condition}"
        );
        let count_sql = format!("SELECT COUNT(*) {filter}");
        let list_sql = format!(
            "SELECT b.id, b.name, d.name AS unit_name, COALESCE(t.level, 0) AS level, \
             (SELECT MAX(pj.last_documented_on) FROM projects pj WHERE pj.body_id = b.id) AS last_documented, \
             CAST(COALESCE((SELECT SUM(c.amount_cents) FROM savings_claims c WHERE c.body_id = b.id AND {CURRENT_CLAIM}), 0) AS BIGINT) AS self_reported_cents, \
             CAST(COALESCE((SELECT SUM(c.amount_cents) FROM savings_claims c WHERE c.body_id = b.id AND c.verified_at IS NOT NULL AND {CURRENT_CLAIM}), 0) AS BIGINT) AS verified_cents \
             {filter} ORDER BY b.name, b.id LIMIT $5 OFFSET $6"
        );
        let p = scope.parameter();
        let (total, items): (i64, Vec<TeamLine>) = on_pool!(self, |pool| {
            let total = sqlx::query_scalar(&count_sql)
                .bind(partnership_id)
                .bind(p)
                .bind(&since)
                .bind(&value)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as(&list_sql)
                .bind(partnership_id)
                .bind(p)
                .bind(&since)
                .bind(&value)
                .bind(i64::from(page.limit))
                .bind(page.offset as i64)
                .fetch_all(pool)
                .await?;
            (total, items)
        });
        Ok(Paged::new(items, total, page))
    }
}
