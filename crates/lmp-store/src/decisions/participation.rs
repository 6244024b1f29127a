//! Participation measured from the record: each side's first word on each
//! decision against the moments its options closed and it was adopted.

use super::Decision;
use crate::{on_pool, Result, Store, StoreError};
use jiff::Timestamp;
use lmp_core::decision::Stage;
use lmp_core::participation::{participation, Participation, ParticipationIndex};
use lmp_core::Side;
use serde::Serialize;
use utoipa::ToSchema;

/// How each side took part in one decision.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionParticipation {
    pub decision_id: i64,
    pub title: String,
    pub stage: String,
    pub labor: String,
    pub management: String,
}

impl Store {
    /// How each side took part in each of a body's decisions, and the body's
    /// Partnership Participation Index — all from the timestamps on record.
    pub async fn participation_of_body(
        &self,
        partnership_id: i64,
        body_id: i64,
    ) -> Result<(ParticipationIndex, Vec<DecisionParticipation>)> {
        let decisions = self.decisions_of_body(partnership_id, body_id).await?;
        let firsts = self.first_words(partnership_id, WhoseRecord::Body(body_id)).await?;
        let mut index = ParticipationIndex::default();
        let mut rows = Vec::with_capacity(decisions.len());
        for d in decisions {
            let (labor, management) =
                side_levels(&firsts, d.id, d.options_closed_at.as_deref(), d.adopted_at.as_deref());
            if d.stage() == Some(Stage::Adopted) {
                index.add(labor, management);
            }
            rows.push(DecisionParticipation {
                decision_id: d.id,
                title: d.title.clone(),
                stage: d.stage.clone(),
                labor: labor.as_str().into(),
                management: management.as_str().into(),
            });
        }
        Ok((index, rows))
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
