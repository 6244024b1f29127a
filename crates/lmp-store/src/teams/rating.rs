//! Path to Performance: gather each team's facts from its record, rate it
//! by the rules in lmp-core, and keep the level by month.

use super::{ensure_team_row, parse_date, require_sign_permit, require_team_permit, team_code};
use crate::audit::{AuditAppend, Change};
use crate::{in_tx, on_pool, Result, Store, StoreError};
use jiff::civil::Date;
use lmp_core::improvement::{CompassPoint, ProjectStatus};
use lmp_core::path::{Leader, MeetingFact, MeetingLead, PathRules, ProjectFact, Rating, TeamFacts, TOP_LEVEL};
use lmp_core::policy::Permit;
use lmp_core::refuse;
use lmp_core::Side;
use serde::Serialize;
use sqlx::FromRow;
use std::collections::HashMap;

/// One month of a team's Path to Performance history.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct MonthRating {
    /// YYYY-MM.
    pub month: String,
    pub computed_level: i64,
    pub self_assessed_level: Option<i64>,
    pub self_assessed_by: Option<String>,
    /// confirmed or disputed, by a sponsor.
    pub sponsor_decision: Option<String>,
    pub sponsor_name: Option<String>,
    pub sponsor_note: String,
}

/// Which teams to gather facts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamScope {
    All,
    One(i64),
    /// The teams a person co-leads or sponsors.
    LedBy(i64),
}

impl TeamScope {
    fn parameter(self) -> i64 {
        match self {
            TeamScope::All => 0,
            TeamScope::One(id) | TeamScope::LedBy(id) => id,
        }
    }

    /// `sql` with each `#scope(column)#` replaced by the condition that
    /// keeps the scope's teams; the condition reads `$2`.
    fn apply(self, sql: &str) -> String {
        let mut out = String::with_capacity(sql.len() + 64);
        let mut rest = sql;
        while let Some(start) = rest.find("#scope(") {
            out.push_str(&rest[..start]);
            let after = &rest[start + "#scope(".len()..];
            let Some(end) = after.find(")#") else { break };
            let column = &after[..end];
            out.push_str(&match self {
                // Written so each keeps an index usable: no OR across them.
                TeamScope::All => "$2 = 0".to_string(),
                TeamScope::One(_) => format!("{column} = $2"),
                TeamScope::LedBy(_) => format!(
                    "{column} IN (SELECT ls.body_id FROM seats ls WHERE ls.person_id = $2 AND ls.role IN ('co_lead', 'sponsor'))"
                ),
            });
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        out
    }
}

/// `$1` partnership, `$2` the scope's parameter, `$3` the first day counted;
/// `#scope(column)#` is filled in by [`TeamScope::apply`].
const LEADERS: &str = "SELECT s.body_id, s.person_id, s.role, s.side FROM seats s JOIN bodies b ON b.id = s.body_id \
     WHERE s.partnership_id = $1 AND b.level = 'team' AND #scope(s.body_id)# AND s.role IN ('co_lead', 'sponsor')";
const LEADER_CLASSES: &str =
    "SELECT DISTINCT cc.person_id, cc.class FROM class_completions cc JOIN seats s ON s.person_id = cc.person_id \
     WHERE s.partnership_id = $1 AND #scope(s.body_id)# AND s.role IN ('co_lead', 'sponsor')";
const TEAM_ROWS: &str = "SELECT b.id, \
     CASE WHEN t.body_id IS NOT NULL AND TRIM(t.purpose) <> '' AND TRIM(t.goals) <> '' AND TRIM(t.membership) <> '' \
          AND TRIM(t.quorum) <> '' AND TRIM(t.scope) <> '' AND TRIM(t.decision_making) <> '' AND TRIM(t.ground_rules) <> '' \
          THEN TRUE ELSE FALSE END AS charter_complete, \
     t.health_safety_champion_id IS NOT NULL AS champion \
     FROM bodies b LEFT JOIN teams t ON t.body_id = b.id \
     WHERE b.partnership_id = $1 AND b.level = 'team' AND b.closed_on IS NULL AND #scope(b.id)#";
/// Who ran each recent meeting, as their seat on the team: a co-lead's
/// side, 'member' for anyone else on the team, or nothing.
const MEETINGS: &str = "SELECT m.id, m.body_id, m.held_on, \
     (SELECT CASE WHEN s.role = 'co_lead' THEN s.side ELSE s.role END FROM seats s \
        WHERE s.body_id = m.body_id AND s.person_id = m.run_by_id \
        ORDER BY CASE s.role WHEN 'co_lead' THEN 0 WHEN 'member' THEN 1 ELSE 2 END LIMIT 1) AS run_by \
     FROM meetings m WHERE m.partnership_id = $1 AND #scope(m.body_id)# AND m.held_on >= $3";
const SPONSORS_PRESENT: &str = "SELECT DISTINCT a.meeting_id, s.side FROM meeting_attendance a \
     JOIN meetings m ON m.id = a.meeting_id \
     JOIN seats s ON s.body_id = m.body_id AND s.person_id = a.person_id AND s.role = 'sponsor' \
     WHERE m.partnership_id = $1 AND #scope(m.body_id)# AND m.held_on >= $3";
const TESTS_DONE: &str = "SELECT p.body_id, COUNT(*) FROM tests_of_change t JOIN projects p ON p.id = t.project_id \
     WHERE t.partnership_id = $1 AND #scope(p.body_id)# AND t.ended_on IS NOT NULL GROUP BY p.body_id";
const PROJECTS: &str = "SELECT p.id, p.body_id, p.status, p.last_documented_on, \
     CASE WHEN EXISTS (SELECT 1 FROM measures s WHERE s.project_id = p.id AND s.role = 'main' AND s.target IS NOT NULL) \
          THEN TRUE ELSE FALSE END AS smart \
     FROM projects p WHERE p.partnership_id = $1 AND #scope(p.body_id)#";
const COMPASS: &str = "SELECT c.project_id, c.point FROM project_compass c JOIN projects p ON p.id = c.project_id \
     WHERE c.partnership_id = $1 AND #scope(p.body_id)#";
/// Adoptions across teams: (the adopting team, the originating team).
const ADOPTIONS: &str = "SELECT a.body_id, o.body_id FROM projects a JOIN projects o ON o.id = a.adopted_from_id \
     WHERE a.partnership_id = $1 AND a.body_id <> o.body_id AND (#scope(a.body_id)# OR #scope(o.body_id)#)";

impl Store {
    /// The facts the rules read, for the teams in `scope`.
    pub async fn team_facts(
        &self,
        partnership_id: i64,
        scope: TeamScope,
        today: Date,
        look_back_days: i32,
    ) -> Result<HashMap<i64, TeamFacts>> {
        let team = scope.parameter();
        let team_rows_sql = scope.apply(TEAM_ROWS);
        let leaders_sql = scope.apply(LEADERS);
        let leader_classes_sql = scope.apply(LEADER_CLASSES);
        let meetings_sql = scope.apply(MEETINGS);
        let sponsors_present_sql = scope.apply(SPONSORS_PRESENT);
        let tests_done_sql = scope.apply(TESTS_DONE);
        let projects_sql = scope.apply(PROJECTS);
        let compass_sql = scope.apply(COMPASS);
        let adoptions_sql = scope.apply(ADOPTIONS);
        let since = today.saturating_sub(jiff::Span::new().days(look_back_days)).to_string();
        let (teams, leaders, classes, meetings, sponsors, tests, projects, compass, adoptions) =
            on_pool!(self, |pool| {
                let teams: Vec<(i64, bool, bool)> = sqlx::query_as(&team_rows_sql)
                    .bind(partnership_id)
                    .bind(team)
                    .fetch_all(pool)
                    .await?;
                let leaders: Vec<(i64, i64, String, String)> = sqlx::query_as(&leaders_sql)
                    .bind(partnership_id)
                    .bind(team)
                    .fetch_all(pool)
                    .await?;
                let classes: Vec<(i64, String)> = sqlx::query_as(&leader_classes_sql)
                    .bind(partnership_id)
                    .bind(team)
                    .fetch_all(pool)
                    .await?;
                let meetings: Vec<(i64, i64, String, Option<String>)> = sqlx::query_as(&meetings_sql)
                    .bind(partnership_id)
                    .bind(team)
                    .bind(&since)
                    .fetch_all(pool)
                    .await?;
                let sponsors: Vec<(i64, String)> = sqlx::query_as(&sponsors_present_sql)
                    .bind(partnership_id)
                    .bind(team)
                    .bind(&since)
                    .fetch_all(pool)
                    .await?;
                let tests: Vec<(i64, i64)> = sqlx::query_as(&tests_done_sql)
                    .bind(partnership_id)
                    .bind(team)
                    .fetch_all(pool)
                    .await?;
                let projects: Vec<(i64, i64, String, String, bool)> = sqlx::query_as(&projects_sql)
                    .bind(partnership_id)
                    .bind(team)
                    .fetch_all(pool)
                    .await?;
                let compass: Vec<(i64, String)> = sqlx::query_as(&compass_sql)
                    .bind(partnership_id)
                    .bind(team)
                    .fetch_all(pool)
                    .await?;
                let adoptions: Vec<(i64, i64)> = sqlx::query_as(&adoptions_sql)
                    .bind(partnership_id)
                    .bind(team)
                    .fetch_all(pool)
                    .await?;
                (
                    teams, leaders, classes, meetings, sponsors, tests, projects, compass, adoptions,
                )
            });
        let mut facts: HashMap<i64, TeamFacts> = HashMap::with_capacity(teams.len());
        for (id, charter_complete, champion) in teams {
            let mut f = TeamFacts::empty(today);
            f.charter_complete = charter_complete;
            f.health_and_safety_champion = champion;
            facts.insert(id, f);
        }
        let mut person_classes: HashMap<i64, Vec<lmp_core::training::Class>> = HashMap::new();
        for (person, class) in classes {
            if let Ok(class) = class.parse() {
                person_classes.entry(person).or_default().push(class);
            }
        }
        for (team_id, person, role, side) in leaders {
            let (Some(f), Ok(side)) = (facts.get_mut(&team_id), side.parse::<Side>()) else {
                continue;
            };
            let leader = Leader {
                side,
                classes: person_classes.get(&person).cloned().unwrap_or_default(),
            };
            match role.as_str() {
                "co_lead" => f.co_leads.push(leader),
                _ => f.sponsors.push(leader),
            }
        }
        let mut present: HashMap<i64, Vec<Side>> = HashMap::new();
        for (meeting, side) in sponsors {
            if let Ok(side) = side.parse() {
                present.entry(meeting).or_default().push(side);
            }
        }
        for (id, team_id, held_on, run_by) in meetings {
            let Some(f) = facts.get_mut(&team_id) else { continue };
            let run_by = match run_by.as_deref() {
                Some("member") => MeetingLead::Member,
                Some(side) => side.parse().map(MeetingLead::CoLead).unwrap_or(MeetingLead::Unrecorded),
                None => MeetingLead::Unrecorded,
            };
            f.meetings.push(MeetingFact {
                held_on: parse_date(&held_on)?,
                run_by,
                sponsor_sides_present: present.remove(&id).unwrap_or_default(),
            });
        }
        for (team_id, done) in tests {
            if let Some(f) = facts.get_mut(&team_id) {
                f.tests_of_change_done = done.max(0) as u32;
            }
        }
        let mut points: HashMap<i64, Vec<CompassPoint>> = HashMap::new();
        for (project, point) in compass {
            if let Ok(point) = point.parse() {
                points.entry(project).or_default().push(point);
            }
        }
        for (id, team_id, status, last_documented, smart) in projects {
            let Some(f) = facts.get_mut(&team_id) else { continue };
            f.projects.push(ProjectFact {
                active: status.parse::<ProjectStatus>().is_ok_and(|s| s.is_active()),
                has_smart_goal: smart,
                compass: points.remove(&id).unwrap_or_default(),
                last_documented: Some(parse_date(&last_documented)?),
            });
        }
        for (adopter, origin) in adoptions {
            if let Some(f) = facts.get_mut(&adopter) {
                f.practices_adopted += 1;
            }
            if let Some(f) = facts.get_mut(&origin) {
                f.practices_spread += 1;
            }
        }
        Ok(facts)
    }

    /// Rate one team as of `today`, without writing anything.
    /// Rate the teams in `scope` as of `today`, without writing anything.
    pub async fn rate_teams(
        &self,
        partnership_id: i64,
        scope: TeamScope,
        rules: &PathRules,
        today: Date,
    ) -> Result<HashMap<i64, Rating>> {
        let facts = self
            .team_facts(partnership_id, scope, today, rules.look_back_days())
            .await?;
        Ok(facts.into_iter().map(|(id, f)| (id, rules.rate(&f))).collect())
    }

    pub async fn rate_team(&self, partnership_id: i64, team_id: i64, rules: &PathRules, today: Date) -> Result<Rating> {
        let facts = self
            .team_facts(partnership_id, TeamScope::One(team_id), today, rules.look_back_days())
            .await?;
        let team = facts.get(&team_id).ok_or(StoreError::NotFound("team"))?;
        Ok(rules.rate(team))
    }

    /// Rate the teams in `scope` and keep each level: on the team, and as
    /// this month's computed level in its history. Returns how many teams.
    pub async fn rerate_teams(
        &self,
        partnership_id: i64,
        scope: TeamScope,
        rules: &PathRules,
        today: Date,
    ) -> Result<u64> {
        let facts = self
            .team_facts(partnership_id, scope, today, rules.look_back_days())
            .await?;
        let mut levels: Vec<(i64, u8)> = facts.iter().map(|(id, f)| (*id, rules.rate(f).level)).collect();
        levels.sort_unstable();
        let rated_on = today.to_string();
        let month = month_of(today);
        // Many rows a statement: a full re-rating is two statements per 500 teams.
        in_tx!(self, |tx| {
            for chunk in levels.chunks(500) {
                let mut teams =
                    sqlx::QueryBuilder::new("INSERT INTO teams (body_id, partnership_id, level, rated_on) ");
                teams.push_values(chunk, |mut row, (team_id, level)| {
                    row.push_bind(*team_id)
                        .push_bind(partnership_id)
                        .push_bind(i64::from(*level))
                        .push_bind(rated_on.clone());
                });
                teams.push(" ON CONFLICT (body_id) DO UPDATE SET level = excluded.level, rated_on = excluded.rated_on");
                teams.build().execute(&mut *tx).await?;
                let mut history = sqlx::QueryBuilder::new(
                    "INSERT INTO level_ratings (body_id, month, partnership_id, computed_level) ",
                );
                history.push_values(chunk, |mut row, (team_id, level)| {
                    row.push_bind(*team_id)
                        .push_bind(month.clone())
                        .push_bind(partnership_id)
                        .push_bind(i64::from(*level));
                });
                history.push(" ON CONFLICT (body_id, month) DO UPDATE SET computed_level = excluded.computed_level");
                history.build().execute(&mut *tx).await?;
            }
        });
        Ok(levels.len() as u64)
    }

    /// Re-rate every team by the partnership's own rules, as of today:
    /// after a change that reaches many teams at once (a seats or training
    /// file, a people sync).
    pub async fn rerate_all_teams(&self, partnership_id: i64) -> Result<u64> {
        let rules = self.team_rules(partnership_id).await?.path;
        self.rerate_teams(partnership_id, TeamScope::All, &rules, crate::today())
            .await
    }

    pub async fn level_history(&self, partnership_id: i64, team_id: i64) -> Result<Vec<MonthRating>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT r.month, r.computed_level, r.self_assessed_level, r.self_assessed_by, r.sponsor_decision, \
             p.name AS sponsor_name, r.sponsor_note FROM level_ratings r LEFT JOIN people p ON p.id = r.sponsor_id \
             WHERE r.partnership_id = $1 AND r.body_id = $2 ORDER BY r.month"
        )
        .bind(partnership_id)
        .bind(team_id)
        .fetch_all(pool)
        .await?))
    }

    /// The team's own assessment for this month (a co-lead, or anyone who
    /// runs the team). A new assessment clears an earlier sponsor decision
    /// of the same month: the sponsor reviews what the team now says.
    pub async fn self_assess(&self, permit: &Permit, team_id: i64, level: u8, computed: u8, today: Date) -> Result<()> {
        require_team_permit(permit, team_id)?;
        if !(1..=TOP_LEVEL).contains(&level) {
            return Err(StoreError::Rule(refuse!(
                "a level is 1 to {TOP_LEVEL}",
                "un nivel va de 1 a {TOP_LEVEL}"
            )));
        }
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        let month = month_of(today);
        in_tx!(self, |tx| {
            let code = team_code!(tx, partnership_id, team_id);
            ensure_team_row!(tx, partnership_id, team_id);
            sqlx::query(
                "INSERT INTO level_ratings (body_id, month, partnership_id, computed_level, self_assessed_level, self_assessed_by) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (body_id, month) DO UPDATE SET \
                 computed_level = excluded.computed_level, self_assessed_level = excluded.self_assessed_level, \
                 self_assessed_by = excluded.self_assessed_by, sponsor_decision = NULL, sponsor_id = NULL, sponsor_note = ''",
            )
            .bind(team_id)
            .bind(&month)
            .bind(partnership_id)
            .bind(i64::from(computed))
            .bind(i64::from(level))
            .bind(&actor)
            .execute(&mut *tx)
            .await?;
            let change = Change::new("team.self_assessment", "team", &code)
                .after(&serde_json::json!({"month": month, "level": level, "computed": computed}));
            tx.append_audit(partnership_id, &actor, vec![change]).await?;
        });
        Ok(())
    }

    /// A sponsor confirms or disputes this month's self-assessment.
    pub async fn sponsor_review(
        &self,
        permit: &Permit,
        team_id: i64,
        sponsor_id: i64,
        confirm: bool,
        note: &str,
        today: Date,
    ) -> Result<()> {
        require_sign_permit(permit, team_id)?;
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        let month = month_of(today);
        if !confirm && note.trim().is_empty() {
            return Err(StoreError::Rule(refuse!(
                "say why you dispute the team's assessment",
                "diga por qué impugna la autoevaluación del equipo"
            )));
        }
        in_tx!(self, |tx| {
            let code = team_code!(tx, partnership_id, team_id);
            let sponsor: Option<String> = sqlx::query_scalar(
                "SELECT side FROM seats WHERE body_id = $1 AND person_id = $2 AND role = 'sponsor' ORDER BY side LIMIT 1",
            )
            .bind(team_id)
            .bind(sponsor_id)
            .fetch_optional(&mut *tx)
            .await?;
            sponsor.ok_or_else(|| {
                StoreError::Rule(refuse!(
                    "only the team's sponsors confirm or dispute its level",
                    "solo los patrocinadores del equipo confirman o impugnan su nivel"
                ))
            })?;
            let updated = sqlx::query(
                "UPDATE level_ratings SET sponsor_decision = $1, sponsor_id = $2, sponsor_note = $3 \
                 WHERE body_id = $4 AND month = $5 AND self_assessed_level IS NOT NULL",
            )
            .bind(if confirm { "confirmed" } else { "disputed" })
            .bind(sponsor_id)
            .bind(note.trim())
            .bind(team_id)
            .bind(&month)
            .execute(&mut *tx)
            .await?;
            if updated.rows_affected() == 0 {
                return Err(StoreError::Rule(refuse!(
                    "the team has not assessed itself for {month} yet",
                    "el equipo aún no se ha evaluado para {month}"
                )));
            }
            let change = Change::new("team.sponsor_review", "team", &code)
                .after(&serde_json::json!({"month": month, "confirmed": confirm, "note": note.trim()}));
            tx.append_audit(partnership_id, &actor, vec![change]).await?;
        });
        Ok(())
    }
}

/// `2026-11`.
pub fn month_of(day: Date) -> String {
    format!("{:04}-{:02}", day.year(), day.month())
}
