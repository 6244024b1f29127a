//! Outcome measures (in force once both sides' keys accept them, through
//! `joint_changes`), each team's monthly values, and the panel the
//! evidence models read (`lmp_core::evidence`).

mod import;

use crate::{on_pool, Result, Store};
use lmp_core::evidence::models::{Panel, TeamFacts, TeamMonth};
use lmp_core::evidence::series::Series;
use serde::Serialize;
use sqlx::FromRow;
use std::collections::HashMap;

/// What an outcomes file did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OutcomesReport {
    pub rows: u64,
    /// Months given a value.
    pub added: u64,
    /// Months that already had this very value.
    pub unchanged: u64,
    /// Measures and teams given a value.
    pub measures: u64,
    pub teams: u64,
}

/// A measure in force.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct OutcomeMeasure {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub domain: String,
    pub definition: String,
    pub unit: String,
    pub direction: String,
    /// The two-key change both sides accepted it by.
    pub accepted_by_change: i64,
    pub in_force_at: String,
    /// Teams with a value, and values in all.
    pub teams: i64,
    pub values: i64,
}

const MEASURE_SELECT: &str = "SELECT m.id, m.code, m.name, m.domain, m.definition, m.unit, m.direction, \
     m.accepted_by_change, m.in_force_at, CAST(COUNT(s.team_id) AS BIGINT) AS teams, \
     CAST(COALESCE(SUM(s.month_count), 0) AS BIGINT) AS \"values\" \
     FROM outcome_measures m LEFT JOIN outcome_series s ON s.measure_id = m.id";

/// One measure's panel, with what the groupings read of each team (the
/// same order as `panel.teams`): its participation index and engagement
/// as they stand today, in percent.
#[derive(Debug, Clone, Default)]
pub struct EvidenceData {
    pub panel: Panel,
    pub participation: Vec<Option<f64>>,
    pub engagement: Vec<Option<f64>>,
}

/// A `YYYY-MM` month as an index (months since January of year 0).
fn month_index(text: &str) -> Option<i32> {
    lmp_core::evidence::measure::parse_month(1, text).ok()
}

impl Store {
    /// The measures in force, by name.
    pub async fn outcome_measures(&self, partnership_id: i64) -> Result<Vec<OutcomeMeasure>> {
        let sql = format!("{MEASURE_SELECT} WHERE m.partnership_id = $1 GROUP BY m.id, m.code, m.name, m.domain, m.definition, m.unit, m.direction, m.accepted_by_change, m.in_force_at ORDER BY m.name");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .fetch_all(pool)
            .await?))
    }

    /// One measure in force, by code.
    pub async fn outcome_measure(&self, partnership_id: i64, code: &str) -> Result<Option<OutcomeMeasure>> {
        let sql = format!("{MEASURE_SELECT} WHERE m.partnership_id = $1 AND m.code = $2 GROUP BY m.id, m.code, m.name, m.domain, m.definition, m.unit, m.direction, m.accepted_by_change, m.in_force_at");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(code)
            .fetch_optional(pool)
            .await?))
    }

    /// Every team's values of one measure, each month with the team's level
    /// then (its latest rating at or before the month; a month before any
    /// rating is left out), and the facts the controls and groups read.
    pub async fn evidence_data(&self, partnership_id: i64, measure_id: i64) -> Result<EvidenceData> {
        type TeamRow = (i64, String, String, String, i64, i64, i64);
        let teams_sql = "SELECT b.id, b.code, COALESCE(f.code, ''), COALESCE(d.name, ''), \
             (SELECT COUNT(DISTINCT s.person_id) FROM seats s WHERE s.body_id = b.id), \
             (SELECT COUNT(DISTINCT p.id) FROM seats s JOIN people p ON p.id = s.person_id WHERE s.body_id = b.id), \
             (SELECT COUNT(DISTINCT p.id) FROM seats s JOIN people p ON p.id = s.person_id \
                WHERE s.body_id = b.id AND p.last_took_part_on >= $2) \
             FROM bodies b LEFT JOIN units d ON d.id = b.unit_id LEFT JOIN units f ON f.id = d.parent_id \
             WHERE b.partnership_id = $1 AND b.level = 'team' \
             AND b.id IN (SELECT team_id FROM outcome_series WHERE measure_id = $3) ORDER BY b.id";
        let since = (crate::today() - jiff::Span::new().days(crate::scorecard::RECENT_DAYS)).to_string();
        let (teams, series, ratings, participation) = futures::try_join!(
            async {
                Ok::<Vec<TeamRow>, crate::StoreError>(on_pool!(self, |pool| sqlx::query_as(teams_sql)
                    .bind(partnership_id)
                    .bind(&since)
                    .bind(measure_id)
                    .fetch_all(pool)
                    .await?))
            },
            async {
                Ok::<Vec<(i64, i64, Vec<u8>)>, crate::StoreError>(on_pool!(self, |pool| sqlx::query_as(
                    "SELECT team_id, first_month, months FROM outcome_series \
                     WHERE partnership_id = $1 AND measure_id = $2 ORDER BY team_id"
                )
                .bind(partnership_id)
                .bind(measure_id)
                .fetch_all(pool)
                .await?))
            },
            async {
                Ok::<Vec<(i64, String, i64)>, crate::StoreError>(on_pool!(self, |pool| sqlx::query_as(
                    "SELECT body_id, month, computed_level FROM level_ratings WHERE partnership_id = $1 \
                     AND body_id IN (SELECT team_id FROM outcome_series WHERE measure_id = $2) ORDER BY body_id, month"
                )
                .bind(partnership_id)
                .bind(measure_id)
                .fetch_all(pool)
                .await?))
            },
            self.participation_all(partnership_id),
        )?;
        let mut data = EvidenceData::default();
        let mut index: HashMap<i64, u32> = HashMap::new();
        for (id, code, facility, department, size, workers, engaged) in teams {
            index.insert(id, data.panel.teams.len() as u32);
            data.panel.teams.push(TeamFacts {
                code,
                facility,
                unit_type: lmp_core::evidence::models::unit_type_of(&department),
                size: size as f64,
            });
            data.participation
                .push(participation.get(&id).and_then(|p| p.percent()).map(|p| p as f64));
            data.engagement
                .push((workers > 0).then(|| engaged as f64 * 100.0 / workers as f64));
        }
        let mut levels: HashMap<i64, Vec<(i32, u8)>> = HashMap::new();
        for (team, month, level) in ratings {
            if let Some(m) = month_index(&month) {
                levels.entry(team).or_default().push((m, level.clamp(0, 5) as u8));
            }
        }
        for (team, first, bytes) in series {
            let Some(&t) = index.get(&team) else { continue };
            let ratings = levels.get(&team).map(Vec::as_slice).unwrap_or(&[]);
            let mut at = 0;
            let mut level = None;
            for (month, value) in Series::from_bytes(first as i32, &bytes).months() {
                while at < ratings.len() && ratings[at].0 <= month {
                    level = Some(ratings[at].1);
                    at += 1;
                }
                if let Some(level) = level {
                    data.panel.rows.push(TeamMonth {
                        team: t,
                        month,
                        level,
                        value,
                    });
                }
            }
        }
        Ok(data)
    }
}
