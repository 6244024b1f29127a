//! Participation measured from the record: each side's first word on each
//! decision against the moments its options closed and it was adopted.

use super::Decision;
use crate::{on_pool, Result, Store, StoreError};
use jiff::Timestamp;
use lmp_core::decision::Stage;
use lmp_core::participation::{participation, Participation, ParticipationIndex};
use lmp_core::Side;
use serde::Serialize;

/// How each side took part in one decision.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionParticipation {
    pub decision_id: i64,
    pub title: String,
    pub stage: String,
    pub labor: String,
    pub management: String,
}

/// A body's participation: the index, by year, and the latest decisions.
#[derive(Debug, Clone, Default)]
pub struct BodyParticipation {
    pub index: ParticipationIndex,
    /// (year of adoption, the index of that year's decisions), oldest first.
    pub by_year: Vec<(i16, ParticipationIndex)>,
    pub decisions: Vec<DecisionParticipation>,
}

impl Store {
    /// A body's index, its index by year of adoption, and its latest decisions.
    pub async fn body_participation(&self, partnership_id: i64, body_id: i64) -> Result<BodyParticipation> {
        type Row = (i64, String, String, Option<String>, Option<String>);
        let (all, firsts) = futures::try_join!(
            async {
                Ok::<_, StoreError>(on_pool!(self, |pool| sqlx::query_as::<_, Row>(
                    "SELECT id, title, stage, options_closed_at, adopted_at FROM decisions \
                     WHERE partnership_id = $1 AND body_id = $2 ORDER BY created_at DESC"
                )
                .bind(partnership_id)
                .bind(body_id)
                .fetch_all(pool)
                .await?))
            },
            self.first_words(partnership_id, WhoseRecord::Body(body_id)),
        )?;
        let mut whole = BodyParticipation::default();
        let mut by_year: std::collections::BTreeMap<i16, ParticipationIndex> = std::collections::BTreeMap::new();
        for (id, title, stage, closed, adopted) in all {
            let (labor, management) = side_levels(&firsts, id, closed.as_deref(), adopted.as_deref());
            if stage == Stage::Adopted.as_str() {
                whole.index.add(labor, management);
                if let Some(year) = adopted.as_deref().and_then(|t| t.get(..4)).and_then(|y| y.parse().ok()) {
                    by_year.entry(year).or_default().add(labor, management);
                }
            }
            if whole.decisions.len() < 200 {
                whole.decisions.push(DecisionParticipation {
                    decision_id: id,
                    title,
                    stage,
                    labor: labor.as_str().into(),
                    management: management.as_str().into(),
                });
            }
        }
        whole.by_year = by_year.into_iter().collect();
        Ok(whole)
    }

    /// How each side (labor, management) took part in one decision.
    pub async fn participation_of_decision(
        &self,
        partnership_id: i64,
        decision: &Decision,
    ) -> Result<(Participation, Participation)> {
        let firsts = self
            .first_words(partnership_id, WhoseRecord::Decision(decision.id))
            .await?;
        Ok(side_levels(
            &firsts,
            decision.id,
            decision.options_closed_at.as_deref(),
            decision.adopted_at.as_deref(),
        ))
    }

    /// Each decision's first word (contribution or stance) per side.
    pub(crate) async fn first_words(&self, partnership_id: i64, whose: WhoseRecord) -> Result<FirstWords> {
        let (condition, parameter) = match whose {
            WhoseRecord::All => ("$2 = 0", 0),
            WhoseRecord::Body(body) => (
                "decision_id IN (SELECT id FROM decisions WHERE partnership_id = $1 AND body_id = $2)",
                body,
            ),
            WhoseRecord::Decision(id) => ("decision_id = $2", id),
        };
        let sql = format!(
            "SELECT x.decision_id, x.side, MIN(x.at) FROM ( \
               SELECT decision_id, side, at FROM contributions WHERE partnership_id = $1 AND {condition} \
               UNION ALL SELECT decision_id, side, at FROM stances WHERE partnership_id = $1 AND {condition}) x \
             GROUP BY x.decision_id, x.side"
        );
        let rows: Vec<(i64, String, String)> = on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(parameter)
            .fetch_all(pool)
            .await?);
        Ok(rows
            .into_iter()
            .filter_map(|(decision, side, at)| Some(((decision, side), at.parse::<Timestamp>().ok()?)))
            .collect())
    }
}

impl Store {
    /// The Partnership Participation Index of every body, recomputed from
    /// the record: two set queries and a pass in Rust.
    pub async fn participation_all(
        &self,
        partnership_id: i64,
    ) -> Result<std::collections::HashMap<i64, ParticipationIndex>> {
        type DecisionTimes = (i64, i64, String, Option<String>, Option<String>);
        let (decisions, firsts) = futures::try_join!(
            async {
                Ok::<_, StoreError>(on_pool!(self, |pool| sqlx::query_as::<_, DecisionTimes>(
                    "SELECT id, body_id, stage, options_closed_at, adopted_at FROM decisions WHERE partnership_id = $1",
                )
                .bind(partnership_id)
                .fetch_all(pool)
                .await?))
            },
            self.first_words(partnership_id, WhoseRecord::All),
        )?;
        let mut by_body: std::collections::HashMap<i64, ParticipationIndex> = std::collections::HashMap::new();
        for (id, body, stage, closed, adopted) in decisions {
            if stage != Stage::Adopted.as_str() {
                continue;
            }
            let (labor, management) = side_levels(&firsts, id, closed.as_deref(), adopted.as_deref());
            by_body.entry(body).or_default().add(labor, management);
        }
        Ok(by_body)
    }
}

/// Whose record to read first words from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum WhoseRecord {
    All,
    Body(i64),
    Decision(i64),
}

/// (decision, side) → the time of that side's first word on it.
pub(crate) type FirstWords = std::collections::HashMap<(i64, String), Timestamp>;

/// Both sides' participation in one decision, by the rule in lmp-core.
pub(crate) fn side_levels(
    firsts: &FirstWords,
    decision: i64,
    closed: Option<&str>,
    adopted: Option<&str>,
) -> (Participation, Participation) {
    let time = |text: Option<&str>| text.and_then(|t| t.parse::<Timestamp>().ok());
    let level = |side: Side| {
        participation(
            firsts.get(&(decision, side.as_str().to_string())).copied(),
            time(closed),
            time(adopted),
        )
    };
    (level(Side::Labor), level(Side::Management))
}

/// The Partnership Participation Index rolled up: by level, and by year of
/// adoption and level.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Rollup {
    pub by_level: Vec<LevelIndex>,
    pub by_year: Vec<YearIndex>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LevelIndex {
    pub level: String,
    pub decisions: u64,
    pub joint: u64,
    pub percent: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearIndex {
    pub year: i16,
    /// Level → percent jointly made (null: none adopted that year).
    pub percent_by_level: std::collections::BTreeMap<String, Option<u64>>,
    pub all: Option<u64>,
}

/// One decision behind a figure, with how each side took part.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionLine {
    pub decision_id: i64,
    pub title: String,
    pub body_id: i64,
    pub body_name: String,
    pub level: String,
    pub adopted_at: String,
    pub labor: String,
    pub management: String,
}

/// Which adopted decisions a figure counts.
#[derive(Debug, Clone, Default)]
pub struct Behind {
    pub level: Option<String>,
    pub year: Option<i16>,
    /// Only those made jointly (true) or not (false).
    pub joint: Option<bool>,
}

type AdoptedRow = (i64, i64, String, String, String, Option<String>, Option<String>);

impl Store {
    /// Adopted decisions of the bodies in `scope`, with both sides' levels.
    async fn adopted_in(
        &self,
        partnership_id: i64,
        scope: crate::scorecard::Scope,
    ) -> Result<Vec<(AdoptedRow, Participation, Participation)>> {
        let condition = scope.teams_condition();
        let sql = format!(
            "SELECT x.id, b.id, b.name, b.level, x.title, x.options_closed_at, x.adopted_at \
             FROM decisions x JOIN bodies b ON b.id = x.body_id LEFT JOIN units d ON d.id = b.unit_id \
             LEFT JOIN units f ON f.id = d.parent_id LEFT JOIN units r ON r.id = f.parent_id \
             WHERE x.partnership_id = $1 AND x.stage = 'adopted' AND {condition}"
        );
        let (rows, firsts) = futures::try_join!(
            async {
                Ok::<_, StoreError>(on_pool!(self, |pool| sqlx::query_as::<_, AdoptedRow>(&sql)
                    .bind(partnership_id)
                    .bind(scope.parameter())
                    .fetch_all(pool)
                    .await?))
            },
            self.first_words(partnership_id, WhoseRecord::All),
        )?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let (labor, management) = side_levels(&firsts, row.0, row.5.as_deref(), row.6.as_deref());
                (row, labor, management)
            })
            .collect())
    }

    /// The index of the bodies in `scope`, by level and by year and level.
    pub async fn participation_rollup(&self, partnership_id: i64, scope: crate::scorecard::Scope) -> Result<Rollup> {
        use std::collections::BTreeMap;
        let mut by_level: BTreeMap<String, ParticipationIndex> = BTreeMap::new();
        let mut by_year: BTreeMap<i16, (BTreeMap<String, ParticipationIndex>, ParticipationIndex)> = BTreeMap::new();
        for (row, labor, management) in self.adopted_in(partnership_id, scope).await? {
            let level = row.3.clone();
            by_level.entry(level.clone()).or_default().add(labor, management);
            if let Some(year) = row.6.as_deref().and_then(|t| t.get(..4)).and_then(|y| y.parse().ok()) {
                let (levels, all) = by_year.entry(year).or_default();
                levels.entry(level).or_default().add(labor, management);
                all.add(labor, management);
            }
        }
        let order = |level: &str| {
            lmp_core::body::BodyLevel::ALL
                .iter()
                .position(|l| l.as_str() == level)
                .unwrap_or(99)
        };
        let mut levels: Vec<LevelIndex> = by_level
            .into_iter()
            .map(|(level, index)| LevelIndex {
                level,
                decisions: index.decisions,
                joint: index.joint,
                percent: index.percent(),
            })
            .collect();
        levels.sort_by_key(|l| order(&l.level));
        Ok(Rollup {
            by_level: levels,
            by_year: by_year
                .into_iter()
                .map(|(year, (levels, all))| YearIndex {
                    year,
                    percent_by_level: levels.into_iter().map(|(l, i)| (l, i.percent())).collect(),
                    all: all.percent(),
                })
                .collect(),
        })
    }

    /// The adopted decisions behind a figure of the rollup, newest first.
    pub async fn decisions_behind(
        &self,
        partnership_id: i64,
        scope: crate::scorecard::Scope,
        behind: &Behind,
        limit: usize,
    ) -> Result<(usize, Vec<DecisionLine>)> {
        let mut lines: Vec<DecisionLine> = self
            .adopted_in(partnership_id, scope)
            .await?
            .into_iter()
            .filter(|(row, labor, management)| {
                let joint = *labor == Participation::Joint && *management == Participation::Joint;
                behind.level.as_ref().is_none_or(|l| *l == row.3)
                    && behind
                        .year
                        .is_none_or(|y| row.6.as_deref().and_then(|t| t.get(..4)) == Some(&y.to_string()))
                    && behind.joint.is_none_or(|j| j == joint)
            })
            .map(|(row, labor, management)| DecisionLine {
                decision_id: row.0,
                body_id: row.1,
                body_name: row.2,
                level: row.3,
                title: row.4,
                adopted_at: row.6.unwrap_or_default(),
                labor: labor.as_str().into(),
                management: management.as_str().into(),
            })
            .collect();
        lines.sort_by(|a, b| b.adopted_at.cmp(&a.adopted_at));
        let total = lines.len();
        lines.truncate(limit);
        Ok((total, lines))
    }
}
