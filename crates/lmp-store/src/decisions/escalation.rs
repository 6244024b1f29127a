//! A decision's way up: escalation along the bodies' parents, back to
//! options after a block, a neutral's ruling at the top, and the path.

use super::{now_precise, require_take_part, stamp};
use crate::audit::{AuditAppend, Change};
use crate::{in_tx, on_pool, Result, Store, StoreError};
use jiff::Timestamp;
use lmp_core::decision::DecisionMode;
use lmp_core::decision::{check_contribution, ContributionKind, Stage};
use lmp_core::escalation::EscalationRules;
use lmp_core::notice::NoticeKind;
use lmp_core::policy::Permit;
use lmp_core::refuse;
use serde::Serialize;
use sqlx::FromRow;

/// One step of a decision's path up the levels.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Move {
    pub from_body_id: i64,
    pub from_body_name: String,
    pub to_body_id: i64,
    pub to_body_name: String,
    pub reason: String,
    pub moved_by: String,
    pub at: String,
}

/// How long a decision stayed in one body on its way.
#[derive(Debug, Clone, Serialize)]
pub struct Stay {
    pub body_id: i64,
    pub body_name: String,
    pub arrived_at: String,
    pub hours: i64,
    /// "3 days 4 hours".
    pub in_words: String,
    /// Still here.
    pub current: bool,
}

/// The time spent in each body: where it was raised, then after each move.
pub fn stays_of(decision: &super::Decision, moves: &[Move], now: Timestamp) -> Vec<Stay> {
    let time = |text: &str| text.parse::<Timestamp>().ok();
    let Some(raised) = time(&decision.created_at) else {
        return Vec::new();
    };
    let arrivals: Vec<Timestamp> = moves.iter().filter_map(|m| time(&m.at)).collect();
    let settled = decision.adopted_at.as_deref().and_then(time).or_else(|| {
        (!decision.stage().is_some_and(Stage::is_open))
            .then(|| time(&decision.stage_changed_at))
            .flatten()
    });
    let durations = lmp_core::escalation::stays(raised, &arrivals, settled, now);
    let first = std::iter::once((decision.origin_body_id, String::new(), decision.created_at.clone()));
    let bodies = first.chain(
        moves
            .iter()
            .map(|m| (m.to_body_id, m.to_body_name.clone(), m.at.clone())),
    );
    let count = durations.len();
    bodies
        .zip(durations)
        .enumerate()
        .map(|(i, ((body_id, name, arrived), stay))| Stay {
            body_id,
            body_name: if name.is_empty() {
                moves
                    .first()
                    .map_or_else(|| decision.body_name.clone(), |m| m.from_body_name.clone())
            } else {
                name
            },
            arrived_at: arrived,
            hours: stay.as_hours(),
            in_words: lmp_core::escalation::stay_in_words(stay),
            current: i + 1 == count && settled.is_none(),
        })
        .collect()
}

impl Store {
    /// Escalate: the decision moves to the parent body with its whole
    /// record, one level at a time, never above the top.
    pub async fn escalate_decision(&self, permit: &Permit, decision_id: i64, reason: &str) -> Result<i64> {
        if reason.trim().is_empty() {
            return Err(StoreError::Rule(refuse!(
                "say why the decision goes up a level",
                "diga por qué la decisión sube de nivel"
            )));
        }
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        let reason = reason.trim();
        let to = in_tx!(self, |tx| {
            let (body_id, stage, title) = decision_state!(tx, partnership_id, decision_id);
            require_take_part(permit, body_id)?;
            if !stage.is_open() {
                let (stage_en, stage_es) = (stage.label(), stage.label_in(lmp_core::language::Language::Spanish));
                return Err(StoreError::Rule(refuse!(
                    "a decision at \"{stage_en}\" is settled: nothing to escalate",
                    "una decisión en «{stage_es}» está resuelta: no hay nada que elevar"
                )));
            }
            let to = body_above!(tx, body_id).map_err(StoreError::Rule)?;
            move_up!(
                tx,
                partnership_id,
                &actor,
                decision_id,
                &title,
                body_id,
                to,
                reason,
                Timestamp::now()
            )
        });
        Ok(to)
    }

    /// After a block: back to generating options, which close again later.
    pub async fn reopen_options(&self, permit: &Permit, decision_id: i64) -> Result<()> {
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        in_tx!(self, |tx| {
            let (body_id, stage, _) = decision_state!(tx, partnership_id, decision_id);
            require_take_part(permit, body_id)?;
            if !matches!(stage, Stage::Evaluating | Stage::Deciding) {
                return Err(StoreError::Rule(refuse!(
                    "only a decision past its options goes back to them",
                    "solo una decisión que ya pasó sus opciones vuelve a ellas"
                )));
            }
            let now = now_precise();
            sqlx::query(
                "UPDATE decisions SET stage = $1, stage_changed_at = $2, options_closed_at = NULL WHERE id = $3",
            )
            .bind(Stage::Options.as_str())
            .bind(&now)
            .bind(decision_id)
            .execute(&mut *tx)
            .await?;
            let change = Change::new("decision.stage", "decision", decision_id)
                .before(&stage.as_str())
                .after(&serde_json::json!({"stage": "options", "at": now}));
            tx.append_audit(partnership_id, &actor, vec![change]).await?;
        });
        Ok(())
    }

    /// At the top level, where the parties stay stuck: record a neutral's ruling.
    pub async fn record_ruling(&self, permit: &Permit, decision_id: i64, person_id: i64, ruling: &str) -> Result<()> {
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        in_tx!(self, |tx| {
            let (body_id, stage, _) = decision_state!(tx, partnership_id, decision_id);
            require_take_part(permit, body_id)?;
            check_contribution(stage, ContributionKind::Ruling, ruling).map_err(StoreError::Rule)?;
            let level: String = sqlx::query_scalar("SELECT level FROM bodies WHERE id = $1")
                .bind(body_id)
                .fetch_one(&mut *tx)
                .await?;
            if level != lmp_core::body::BodyLevel::National.as_str() {
                return Err(StoreError::Rule(refuse!(
"a neutral rules only at the top level, after escalation through every level",
"un neutral resuelve solo en el nivel más alto, después de elevar la decisión por todos los niveles"
)));
            }
            let (_, side) = seat_in_body!(tx, body_id, person_id);
            let now = now_precise();
            let no_score = (None, None, None);
            insert_word!(
                tx,
                partnership_id,
                decision_id,
                body_id,
                person_id,
                side,
                ContributionKind::Ruling,
                ruling.trim(),
                no_score,
                &now
            );
            sqlx::query("UPDATE decisions SET stage = $1, stage_changed_at = $2 WHERE id = $3")
                .bind(Stage::Ruled.as_str())
                .bind(&now)
                .bind(decision_id)
                .execute(&mut *tx)
                .await?;
            let change = Change::new("decision.ruling", "decision", decision_id)
                .after(&serde_json::json!({"ruling": ruling.trim(), "recorded_by": person_id, "side": side.as_str(), "at": now}));
            tx.append_audit(partnership_id, &actor, vec![change]).await?;
        });
        Ok(())
    }

    /// The decision's path up the levels, oldest first.
    pub async fn moves_of(&self, partnership_id: i64, decision_id: i64) -> Result<Vec<Move>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT m.from_body_id, f.name AS from_body_name, m.to_body_id, t.name AS to_body_name, m.reason, m.moved_by, m.at \
             FROM decision_moves m JOIN bodies f ON f.id = m.from_body_id JOIN bodies t ON t.id = m.to_body_id \
             WHERE m.partnership_id = $1 AND m.decision_id = $2 ORDER BY m.at"
        )
        .bind(partnership_id)
        .bind(decision_id)
        .fetch_all(pool)
        .await?
        }))
    }
}

/// A decision past its deadline, as the sweep finds it.
type Overdue = (i64, i64, i64, String, String);

impl Store {
    /// The deadline sweep: every open decision past its deadline rises one
    /// level, by the clock rather than by anyone; at the top (or where no
    /// parent body is set) the people concerned are told once instead.
    /// Each decision moves in its own transaction. Returns how many rose and
    /// how many were flagged.
    pub async fn sweep_overdue(&self, now: Timestamp) -> Result<(u64, u64)> {
        let now_text = stamp(now);
        let overdue: Vec<Overdue> = on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT d.partnership_id, d.id, d.body_id, d.title, b.name FROM decisions d JOIN bodies b ON b.id = d.body_id \
             WHERE d.stage IN ('framing', 'options', 'evaluating', 'deciding') AND d.deadline < $1 \
             AND d.overdue_noticed_at IS NULL ORDER BY d.deadline LIMIT 10000"
        )
        .bind(&now_text)
        .fetch_all(pool)
        .await?
        });
        let (mut rose, mut flagged) = (0, 0);
        for (partnership_id, decision_id, body_id, title, body_name) in overdue {
            let risen = in_tx!(self, |tx| {
                // Still overdue and still here: a person may have moved it meanwhile.
                let still: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM decisions WHERE id = $1 AND body_id = $2 AND deadline < $3 \
                     AND overdue_noticed_at IS NULL AND stage IN ('framing', 'options', 'evaluating', 'deciding')",
                )
                .bind(decision_id)
                .bind(body_id)
                .bind(&now_text)
                .fetch_optional(&mut *tx)
                .await?;
                if still.is_none() {
                    None
                } else {
                    let link = format!("/decisions/{decision_id}");
                    crate::notify!(
                        tx,
                        partnership_id,
                        body_id,
                        Some(decision_id),
                        NoticeKind::DeadlinePassed,
                        &title,
                        &body_name,
                        link,
                        &now_text
                    );
                    if let Ok(to) = body_above!(tx, body_id) {
                        move_up!(
                            tx,
                            partnership_id,
                            DEADLINE_ACTOR,
                            decision_id,
                            &title,
                            body_id,
                            to,
                            "no consensus by the deadline",
                            now
                        );
                        Some(true)
                    } else {
                        sqlx::query("UPDATE decisions SET overdue_noticed_at = $1 WHERE id = $2")
                            .bind(&now_text)
                            .bind(decision_id)
                            .execute(&mut *tx)
                            .await?;
                        let change = Change::new("decision.overdue", "decision", decision_id)
                            .after(&serde_json::json!({"at": now_text}));
                        tx.append_audit(partnership_id, DEADLINE_ACTOR, vec![change]).await?;
                        Some(false)
                    }
                }
            });
            match risen {
                Some(true) => rose += 1,
                Some(false) => flagged += 1,
                None => {}
            }
        }
        Ok((rose, flagged))
    }

    /// The partnership's time limit at each level.
    pub async fn escalation_rules(&self, partnership_id: i64) -> Result<EscalationRules> {
        let json: Option<String> = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT rules_json FROM decision_rules WHERE partnership_id = $1"
        )
        .bind(partnership_id)
        .fetch_optional(pool)
        .await?);
        super::escalation_rules_from(json.as_deref())
    }

    /// Set the partnership's time limits (an administrator's configuration,
    /// audited; a body's own limit is a two-key change of its charter).
    pub async fn set_escalation_rules(&self, permit: &Permit, rules: &EscalationRules) -> Result<()> {
        if permit.action() != lmp_core::policy::Action::ConfigureRules {
            return Err(StoreError::Denied(lmp_core::policy::Denied::Forbidden));
        }
        rules.check().map_err(StoreError::Rule)?;
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        let json = crate::json_of(rules)?;
        let before = self.escalation_rules(partnership_id).await?;
        in_tx!(self, |tx| {
            let now = now_precise();
            sqlx::query("DELETE FROM decision_rules WHERE partnership_id = $1")
                .bind(partnership_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO decision_rules (partnership_id, rules_json, changed_at) VALUES ($1, $2, $3)")
                .bind(partnership_id)
                .bind(&json)
                .bind(&now)
                .execute(&mut *tx)
                .await?;
            let change = Change::new("decision_rules.set", "partnership", partnership_id)
                .before(&before)
                .after(rules);
            tx.append_audit(partnership_id, &actor, vec![change]).await?;
        });
        Ok(())
    }
}

/// Who the audit log names when the clock, not a person, moves a decision.
pub const DEADLINE_ACTOR: &str = "deadline";
