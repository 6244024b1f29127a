//! Unit-based teams: the team's own record (charter, health and safety
//! champion, computed level), and who may act for it.
//!
//! A team is a body at level `team`; its `teams` row is created the first
//! time anything is written for it.

pub mod import;
pub mod meetings;
pub mod projects;
pub mod rating;
pub mod savings;

use crate::audit::{AuditAppend, Change};
use crate::{in_tx, on_pool, Result, Store, StoreError};
use jiff::civil::Date;
use lmp_core::policy::{Action, Denied, Permit};
use lmp_core::refuse;
use lmp_core::team::{check_charter_text, CharterSection};
use serde::Serialize;
use sqlx::FromRow;

/// A team with its charter and its computed Path to Performance level.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Team {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    /// 0 (not yet at level 1) to 5, as last computed.
    pub level: i64,
    pub rated_on: Option<String>,
    pub purpose: String,
    pub goals: String,
    pub membership: String,
    pub quorum: String,
    pub scope: String,
    pub decision_making: String,
    pub ground_rules: String,
    pub health_safety_champion_id: Option<i64>,
    pub health_safety_champion_name: Option<String>,
    pub charter_updated_at: Option<String>,
}

impl Team {
    /// Each charter section with its text, in the charter's order.
    pub fn charter(&self) -> Vec<(CharterSection, &str)> {
        CharterSection::ALL.iter().map(|s| (*s, self.section(*s))).collect()
    }

    pub fn section(&self, section: CharterSection) -> &str {
        match section {
            CharterSection::Purpose => &self.purpose,
            CharterSection::Goals => &self.goals,
            CharterSection::Membership => &self.membership,
            CharterSection::Quorum => &self.quorum,
            CharterSection::Scope => &self.scope,
            CharterSection::DecisionMaking => &self.decision_making,
            CharterSection::GroundRules => &self.ground_rules,
        }
    }

    pub fn charter_complete(&self) -> bool {
        lmp_core::team::charter_complete(self.charter())
    }
}

const TEAM_SELECT: &str = "SELECT b.id, b.code, b.name, b.unit_id, u.name AS unit_name, \
     COALESCE(t.level, 0) AS level, t.rated_on, \
     COALESCE(t.purpose, '') AS purpose, COALESCE(t.goals, '') AS goals, COALESCE(t.membership, '') AS membership, \
     COALESCE(t.quorum, '') AS quorum, COALESCE(t.scope, '') AS scope, \
     COALESCE(t.decision_making, '') AS decision_making, COALESCE(t.ground_rules, '') AS ground_rules, \
     t.health_safety_champion_id, c.name AS health_safety_champion_name, t.charter_updated_at \
     FROM bodies b LEFT JOIN teams t ON t.body_id = b.id LEFT JOIN units u ON u.id = b.unit_id \
     LEFT JOIN people c ON c.id = t.health_safety_champion_id";

/// The permit must be to run exactly this team.
pub(crate) fn require_team_permit(permit: &Permit, team_id: i64) -> Result<()> {
    match permit.action() {
        Action::RunTeam { seats } if seats.body_id() == team_id => Ok(()),
        Action::Import => Ok(()),
        _ => Err(StoreError::Denied(Denied::Forbidden)),
    }
}

/// The permit must be to sign for exactly this team.
pub(crate) fn require_sign_permit(permit: &Permit, team_id: i64) -> Result<()> {
    match permit.action() {
        Action::SignForTeam { seats } if seats.body_id() == team_id => Ok(()),
        _ => Err(StoreError::Denied(Denied::Forbidden)),
    }
}

pub(crate) fn parse_date(text: &str) -> Result<Date> {
    text.parse().map_err(|_| {
        StoreError::Rule(refuse!(
            "{text:?} is not a date (YYYY-MM-DD)",
            "{text:?} no es una fecha (AAAA-MM-DD)"
        ))
    })
}

/// Make sure a team's own row exists (written lazily, so bodies made
/// anywhere become teams the first time something is recorded). A macro
/// rather than a generic function: it expands inside `in_tx!` once per
/// backend, which keeps handler futures provably `Send`.
macro_rules! ensure_team_row {
    ($tx:expr, $partnership_id:expr, $team_id:expr) => {
        sqlx::query("INSERT INTO teams (body_id, partnership_id) VALUES ($1, $2) ON CONFLICT (body_id) DO NOTHING")
            .bind($team_id)
            .bind($partnership_id)
            .execute(&mut *$tx)
            .await?
    };
}

/// The team's code, confirming it is a team of this partnership.
macro_rules! team_code {
    ($tx:expr, $partnership_id:expr, $team_id:expr) => {{
        let row: Option<(String,)> =
            sqlx::query_as("SELECT code FROM bodies WHERE partnership_id = $1 AND id = $2 AND level = 'team'")
                .bind($partnership_id)
                .bind($team_id)
                .fetch_optional(&mut *$tx)
                .await?;
        row.map(|r| r.0).ok_or($crate::StoreError::NotFound("team"))?
    }};
}

/// Recompute every person's last day of taking part from the record, after
/// a bulk load. `$1` partnership.
pub const REFRESH_TOOK_PART: &str = "UPDATE people SET last_took_part_on = (SELECT MAX(day) FROM ( \
     SELECT m.held_on AS day FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting_id \
       WHERE a.partnership_id = people.partnership_id AND a.person_id = people.id \
     UNION ALL SELECT COALESCE(t.ended_on, t.started_on) FROM test_participants x JOIN tests_of_change t ON t.id = x.test_id \
       WHERE x.partnership_id = people.partnership_id AND x.person_id = people.id) taken) \
     WHERE partnership_id = $1";

/// Mark a person as having taken part in team work on `day` (keeps the
/// latest day only).
macro_rules! took_part {
    ($tx:expr, $person_id:expr, $day:expr) => {
        sqlx::query(
            "UPDATE people SET last_took_part_on = $1 WHERE id = $2 AND (last_took_part_on IS NULL OR last_took_part_on < $1)",
        )
        .bind($day)
        .bind($person_id)
        .execute(&mut *$tx)
        .await?
    };
}

pub(crate) use {ensure_team_row, team_code, took_part};

#[derive(Serialize)]
struct SectionRecord<'a> {
    section: &'a str,
    text: &'a str,
}

impl Store {
    pub async fn team(&self, partnership_id: i64, team_id: i64) -> Result<Option<Team>> {
        let sql = format!("{TEAM_SELECT} WHERE b.partnership_id = $1 AND b.id = $2 AND b.level = 'team'");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(team_id)
            .fetch_optional(pool)
            .await?))
    }

    /// Write one section of the team's charter.
    pub async fn set_charter_section(
        &self,
        permit: &Permit,
        team_id: i64,
        section: CharterSection,
        text: &str,
    ) -> Result<()> {
        require_team_permit(permit, team_id)?;
        check_charter_text(section, text).map_err(StoreError::Rule)?;
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        let text = text.trim();
        // The column comes from the enum's own word, never from input.
        let column = section.as_str();
        in_tx!(self, |tx| {
            let code = team_code!(tx, partnership_id, team_id);
            ensure_team_row!(tx, partnership_id, team_id);
            let before: String = sqlx::query_scalar(&format!("SELECT {column} FROM teams WHERE body_id = $1"))
                .bind(team_id)
                .fetch_one(&mut *tx)
                .await?;
            if before != text {
                sqlx::query(&format!(
                    "UPDATE teams SET {column} = $1, charter_updated_at = $2 WHERE body_id = $3"
                ))
                .bind(text)
                .bind(crate::now_text())
                .bind(team_id)
                .execute(&mut *tx)
                .await?;
                let change = Change::new("team.charter", "team", &code)
                    .before(&SectionRecord {
                        section: column,
                        text: &before,
                    })
                    .after(&SectionRecord { section: column, text });
                tx.append_audit(partnership_id, &actor, vec![change]).await?;
            }
        });
        Ok(())
    }

    /// Name (or clear) the team's health and safety champion: one of the
    /// team's own people.
    pub async fn set_health_safety_champion(
        &self,
        permit: &Permit,
        team_id: i64,
        person_id: Option<i64>,
    ) -> Result<()> {
        require_team_permit(permit, team_id)?;
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        in_tx!(self, |tx| {
            let code = team_code!(tx, partnership_id, team_id);
            let mut name = None;
            if let Some(person_id) = person_id {
                let found: Option<(String,)> = sqlx::query_as(
                    "SELECT p.name FROM people p WHERE p.partnership_id = $1 AND p.id = $2 \
                     AND EXISTS (SELECT 1 FROM seats s WHERE s.body_id = $3 AND s.person_id = p.id)",
                )
                .bind(partnership_id)
                .bind(person_id)
                .bind(team_id)
                .fetch_optional(&mut *tx)
                .await?;
                name = Some(
                    found
                        .ok_or_else(|| {
                            StoreError::Rule(refuse!(
                                "the health and safety champion must be on the team",
                                "el responsable de salud y seguridad debe ser del equipo"
                            ))
                        })?
                        .0,
                );
            }
            ensure_team_row!(tx, partnership_id, team_id);
            sqlx::query("UPDATE teams SET health_safety_champion_id = $1 WHERE body_id = $2")
                .bind(person_id)
                .bind(team_id)
                .execute(&mut *tx)
                .await?;
            let change = Change::new("team.health_safety_champion", "team", &code).after(&name);
            tx.append_audit(partnership_id, &actor, vec![change]).await?;
        });
        Ok(())
    }
}

impl Store {
    /// The partnership's first team by id (the demo's showcase).
    pub async fn first_team(&self, partnership_id: i64) -> Result<i64> {
        let id: Option<i64> = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT MIN(id) FROM bodies WHERE partnership_id = $1 AND level = 'team'"
        )
        .bind(partnership_id)
        .fetch_one(pool)
        .await?);
        id.ok_or(StoreError::NotFound("team"))
    }
}

/// A team someone co-leads or sponsors, as their own page lists it.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct LedTeam {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit_name: Option<String>,
    pub level: i64,
    /// co_lead or sponsor.
    pub role: String,
    pub side: String,
    pub last_meeting: Option<String>,
    /// Claims that count and are not yet verified.
    pub unverified_claims: i64,
}

impl Store {
    /// The teams `person_id` co-leads or sponsors, lowest level first (the
    /// ones that need the most help).
    pub async fn teams_led_by(&self, partnership_id: i64, person_id: i64) -> Result<Vec<LedTeam>> {
        let sql = format!(
            "SELECT b.id, b.code, b.name, u.name AS unit_name, COALESCE(t.level, 0) AS level, s.role, s.side, \
             (SELECT MAX(m.held_on) FROM meetings m WHERE m.body_id = b.id) AS last_meeting, \
             (SELECT COUNT(*) FROM savings_claims c WHERE c.body_id = b.id AND c.verified_at IS NULL \
                AND {current}) AS unverified_claims \
             FROM seats s JOIN bodies b ON b.id = s.body_id LEFT JOIN teams t ON t.body_id = b.id \
             LEFT JOIN units u ON u.id = b.unit_id \
             WHERE s.partnership_id = $1 AND s.person_id = $2 AND b.level = 'team' AND s.role IN ('co_lead', 'sponsor') \
             ORDER BY COALESCE(t.level, 0), b.name, s.role",
            current = savings::CURRENT_CLAIM
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(person_id)
            .fetch_all(pool)
            .await?))
    }
}

impl Store {
    /// The partnership's rules for its teams, or the defaults.
    pub async fn team_rules(&self, partnership_id: i64) -> Result<lmp_core::team_rules::TeamRules> {
        let json: Option<String> = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT rules_json FROM team_rules WHERE partnership_id = $1"
        )
        .bind(partnership_id)
        .fetch_optional(pool)
        .await?);
        match json {
            Some(json) => lmp_core::team_rules::TeamRules::parse(&json).map_err(|e| {
                StoreError::Rule(e.after(
                    "the stored team rules are unusable",
                    "las reglas de equipo guardadas no sirven",
                ))
            }),
            None => Ok(lmp_core::team_rules::TeamRules::default()),
        }
    }

    /// Agree new rules for the partnership's teams; the old and new sets are audited.
    pub async fn set_team_rules(&self, permit: &Permit, rules: &lmp_core::team_rules::TeamRules) -> Result<()> {
        if permit.action() != Action::ConfigureRules {
            return Err(StoreError::Denied(Denied::Forbidden));
        }
        rules.check().map_err(StoreError::Rule)?;
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        let before = self.team_rules(partnership_id).await?;
        let json = crate::json_of(rules)?;
        in_tx!(self, |tx| {
            sqlx::query(
                "INSERT INTO team_rules (partnership_id, rules_json, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (partnership_id) DO UPDATE SET rules_json = excluded.rules_json, updated_at = excluded.updated_at",
            )
            .bind(partnership_id)
            .bind(&json)
            .bind(crate::now_text())
            .execute(&mut *tx)
            .await?;
            let change = Change::new("team.rules", "partnership", partnership_id)
                .before(&before)
                .after(rules);
            tx.append_audit(partnership_id, &actor, vec![change]).await?;
        });
        Ok(())
    }
}
