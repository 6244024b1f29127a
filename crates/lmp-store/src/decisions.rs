//! Joint decisions on disk: raised in a body, worked through IBPS, adopted
//! only by consensus. Every contribution and stance is stamped by the
//! server's clock (never the caller's), with who and which side, and lands
//! in the audit chain in the same transaction.

use crate::audit::{AuditAppend, Change};
use crate::{in_tx, on_pool, Result, Store, StoreError};
use jiff::Timestamp;
use lmp_core::body::BodyRole;
use lmp_core::decision::{
    check_contribution, check_score, check_stance, consensus, Consensus, ContributionKind, DecisionMode, Participant,
    Stage, Stance,
};
use lmp_core::participation::{participation, Participation, ParticipationIndex};
use lmp_core::policy::{Action, Denied, Permit};
use lmp_core::Side;
use serde::Serialize;
use sqlx::FromRow;
use utoipa::ToSchema;

/// The server's time to the microsecond, fixed width so text order is time order.
pub fn now_precise() -> String {
    Timestamp::now().strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// A stored time as people read it: `2026-06-25 03:20 UTC`.
pub fn short_time(text: &str) -> String {
    match text.get(..16) {
        Some(minutes) => format!("{} UTC", minutes.replace('T', " ")),
        None => text.to_string(),
    }
}

#[derive(Debug, Clone, Serialize, FromRow, ToSchema)]
pub struct Decision {
    pub id: i64,
    pub body_id: i64,
    pub body_name: String,
    pub origin_body_id: i64,
    pub title: String,
    pub mode: String,
    pub stage: String,
    pub deadline: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub stage_changed_at: String,
    pub options_closed_at: Option<String>,
    pub adopted_at: Option<String>,
}

impl Decision {
    pub fn stage(&self) -> Option<Stage> {
        self.stage.parse().ok()
    }

    pub fn stage_label(&self) -> &'static str {
        self.stage().map_or("Unknown", |s| s.label())
    }

    pub fn raised(&self) -> String {
        short_time(&self.created_at)
    }
}

#[derive(Debug, Clone, Serialize, FromRow, ToSchema)]
pub struct Contribution {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub side: String,
    pub kind: String,
    pub text: String,
    pub option_id: Option<i64>,
    pub criterion_id: Option<i64>,
    pub score: Option<i64>,
    pub at: String,
}

impl Contribution {
    pub fn when(&self) -> String {
        short_time(&self.at)
    }
}

/// A person's latest stance.
#[derive(Debug, Clone, Serialize, FromRow, ToSchema)]
pub struct StanceRow {
    pub person_id: i64,
    pub person_name: String,
    pub side: String,
    pub role: String,
    pub stance: String,
    pub reason: String,
    pub at: String,
}

impl StanceRow {
    pub fn when(&self) -> String {
        short_time(&self.at)
    }
}

/// How each side took part in one decision.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionParticipation {
    pub decision_id: i64,
    pub title: String,
    pub stage: String,
    pub labor: String,
    pub management: String,
}

const DECISION_SELECT: &str =
    "SELECT d.id, d.body_id, b.name AS body_name, d.origin_body_id, d.title, d.mode, d.stage, \
     d.deadline, d.created_by, d.created_at, d.stage_changed_at, d.options_closed_at, d.adopted_at \
     FROM decisions d JOIN bodies b ON b.id = d.body_id";

/// The permit must be to take part in exactly this body.
fn require_take_part(permit: &Permit, body_id: i64) -> Result<()> {
    match permit.action() {
        Action::TakePart { body_id: allowed, .. } if allowed == body_id => Ok(()),
        _ => Err(StoreError::Denied(Denied::Forbidden)),
    }
}

/// The seat a person takes part from in a body: co-lead before sponsor before member.
macro_rules! seat_in_body {
    ($tx:expr, $body_id:expr, $person_id:expr) => {{
        let seat: Option<(String, String)> = sqlx::query_as(
            "SELECT role, side FROM seats WHERE body_id = $1 AND person_id = $2 \
             ORDER BY CASE role WHEN 'co_lead' THEN 0 WHEN 'sponsor' THEN 1 ELSE 2 END LIMIT 1",
        )
        .bind($body_id)
        .bind($person_id)
        .fetch_optional(&mut *$tx)
        .await?;
        let (role, side) = seat.ok_or_else(|| {
            StoreError::Rule(
                "only the body's own members take part in its decisions: this person holds no seat in it".into(),
            )
        })?;
        let role: BodyRole = role.parse().map_err(StoreError::Rule)?;
        let side: Side = side
            .parse()
            .map_err(|e: lmp_core::side::UnknownSide| StoreError::Rule(e.to_string()))?;
        (role, side)
    }};
}

/// The decision's body and stage, confirming it is in this partnership.
macro_rules! decision_state {
    ($tx:expr, $partnership_id:expr, $decision_id:expr) => {{
        let row: Option<(i64, String, String)> =
            sqlx::query_as("SELECT body_id, stage, title FROM decisions WHERE partnership_id = $1 AND id = $2")
                .bind($partnership_id)
                .bind($decision_id)
                .fetch_optional(&mut *$tx)
                .await?;
        let (body_id, stage, title) = row.ok_or(StoreError::NotFound("decision"))?;
        let stage: Stage = stage.parse().map_err(StoreError::Rule)?;
        (body_id, stage, title)
    }};
}

impl Store {
    /// The body of a decision, for asking the policy before acting on it.
    pub async fn decision_body(&self, partnership_id: i64, decision_id: i64) -> Result<i64> {
        let body: Option<i64> = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT body_id FROM decisions WHERE partnership_id = $1 AND id = $2"
        )
        .bind(partnership_id)
        .bind(decision_id)
        .fetch_optional(pool)
        .await?);
        body.ok_or(StoreError::NotFound("decision"))
    }

    /// Raise an issue in a body: the decision begins with its issue statement.
    pub async fn raise_decision(
        &self,
        permit: &Permit,
        body_id: i64,
        person_id: i64,
        title: &str,
        issue: &str,
    ) -> Result<i64> {
        require_take_part(permit, body_id)?;
        let title = title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            return Err(StoreError::Rule(
                "a decision needs a title of 1 to 200 characters".into(),
            ));
        }
        check_contribution(Stage::Framing, ContributionKind::Issue, issue).map_err(StoreError::Rule)?;
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        let id = in_tx!(self, |tx| {
            let (_, side) = seat_in_body!(tx, body_id, person_id);
            let now = now_precise();
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO decisions (partnership_id, body_id, origin_body_id, title, mode, stage, created_by, created_at, stage_changed_at) \
                 VALUES ($1, $2, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
            )
            .bind(partnership_id)
            .bind(body_id)
            .bind(title)
            .bind(DecisionMode::Consensus.as_str())
            .bind(Stage::Framing.as_str())
            .bind(&actor)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO contributions (partnership_id, decision_id, body_id, person_id, side, kind, text, at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(partnership_id)
            .bind(id)
            .bind(body_id)
            .bind(person_id)
            .bind(side.as_str())
            .bind(ContributionKind::Issue.as_str())
            .bind(issue.trim())
            .bind(&now)
            .execute(&mut *tx)
            .await?;
            let change = Change::new("decision.raise", "decision", id)
                .after(&serde_json::json!({"title": title, "issue": issue.trim(), "person": person_id, "side": side.as_str(), "at": now}));
            tx.append_audit(partnership_id, &actor, vec![change]).await?;
            id
        });
        Ok(id)
    }

    /// Add to a decision's record, at the stage that takes it.
    #[allow(clippy::too_many_arguments)]
    pub async fn contribute(
        &self,
        permit: &Permit,
        decision_id: i64,
        person_id: i64,
        kind: ContributionKind,
        text: &str,
        evaluation: Option<(i64, i64, i64)>,
    ) -> Result<i64> {
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        let id = in_tx!(self, |tx| {
            let (body_id, stage, _) = decision_state!(tx, partnership_id, decision_id);
            require_take_part(permit, body_id)?;
            check_contribution(stage, kind, text).map_err(StoreError::Rule)?;
            let (_, side) = seat_in_body!(tx, body_id, person_id);
            let (option_id, criterion_id, score) = match (kind, evaluation) {
                (ContributionKind::Evaluation, Some((option, criterion, score))) => {
                    check_score(score).map_err(StoreError::Rule)?;
                    for (id, want) in [
                        (option, ContributionKind::Alternative),
                        (criterion, ContributionKind::Criterion),
                    ] {
                        let found: Option<String> =
                            sqlx::query_scalar("SELECT kind FROM contributions WHERE decision_id = $1 AND id = $2")
                                .bind(decision_id)
                                .bind(id)
                                .fetch_optional(&mut *tx)
                                .await?;
                        if found.as_deref() != Some(want.as_str()) {
                            return Err(StoreError::Rule(format!(
                                "{id} is not a {} of this decision",
                                want.label().to_lowercase()
                            )));
                        }
                    }
                    (Some(option), Some(criterion), Some(score))
                }
                (ContributionKind::Evaluation, None) => {
                    return Err(StoreError::Rule(
                        "an evaluation names an option, a criterion and a score".into(),
                    ));
                }
                _ => (None, None, None),
            };
            let now = now_precise();
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO contributions (partnership_id, decision_id, body_id, person_id, side, kind, text, option_id, criterion_id, score, at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(partnership_id)
            .bind(decision_id)
            .bind(body_id)
            .bind(person_id)
            .bind(side.as_str())
            .bind(kind.as_str())
            .bind(text.trim())
            .bind(option_id)
            .bind(criterion_id)
            .bind(score)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
            let change = Change::new("decision.contribute", "decision", decision_id).after(&serde_json::json!({
                "kind": kind.as_str(), "text": text.trim(), "person": person_id, "side": side.as_str(),
                "option": option_id, "criterion": criterion_id, "score": score, "at": now}));
            tx.append_audit(partnership_id, &actor, vec![change]).await?;
            id
        });
        Ok(id)
    }

    /// Move a decision to its next IBPS step; leaving the options step
    /// closes them (the moment participation is measured against).
    pub async fn advance_decision(&self, permit: &Permit, decision_id: i64) -> Result<Stage> {
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        let next = in_tx!(self, |tx| {
            let (body_id, stage, _) = decision_state!(tx, partnership_id, decision_id);
            require_take_part(permit, body_id)?;
            let next = stage.next().ok_or_else(|| {
                StoreError::Rule(format!(
                    "a decision at \"{}\" moves on by consensus, not by a step",
                    stage.label()
                ))
            })?;
            let needed = match stage {
                Stage::Framing => Some(ContributionKind::Interest),
                Stage::Options => Some(ContributionKind::Alternative),
                Stage::Evaluating => Some(ContributionKind::Solution),
                _ => None,
            };
            if let Some(kind) = needed {
                let count: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM contributions WHERE decision_id = $1 AND kind = $2")
                        .bind(decision_id)
                        .bind(kind.as_str())
                        .fetch_one(&mut *tx)
                        .await?;
                if count == 0 {
                    return Err(StoreError::Rule(format!(
                        "record at least one {} before moving on",
                        kind.label().to_lowercase()
                    )));
                }
            }
            let now = now_precise();
            sqlx::query(
                "UPDATE decisions SET stage = $1, stage_changed_at = $2, \
                 options_closed_at = CASE WHEN $3 = 'options' THEN $2 ELSE options_closed_at END WHERE id = $4",
            )
            .bind(next.as_str())
            .bind(&now)
            .bind(stage.as_str())
            .bind(decision_id)
            .execute(&mut *tx)
            .await?;
            let change = Change::new("decision.stage", "decision", decision_id)
                .before(&stage.as_str())
                .after(&serde_json::json!({"stage": next.as_str(), "at": now}));
            tx.append_audit(partnership_id, &actor, vec![change]).await?;
            next
        });
        Ok(next)
    }

    /// Record a stance; the consensus it makes (or not) is returned, and a
    /// consensus adopts the decision at once.
    pub async fn record_stance(
        &self,
        permit: &Permit,
        decision_id: i64,
        person_id: i64,
        stance: Stance,
        reason: &str,
    ) -> Result<Consensus> {
        check_stance(stance, reason).map_err(StoreError::Rule)?;
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        let outcome = in_tx!(self, |tx| {
            let (body_id, stage, _) = decision_state!(tx, partnership_id, decision_id);
            require_take_part(permit, body_id)?;
            if stage != Stage::Deciding {
                return Err(StoreError::Rule(format!(
                    "stances are taken on a proposed solution; this decision is at \"{}\"",
                    stage.label()
                )));
            }
            let (role, side) = seat_in_body!(tx, body_id, person_id);
            let now = now_precise();
            sqlx::query(
                "INSERT INTO stances (partnership_id, decision_id, person_id, side, role, stance, reason, at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(partnership_id)
            .bind(decision_id)
            .bind(person_id)
            .bind(side.as_str())
            .bind(role.as_str())
            .bind(stance.as_str())
            .bind(reason.trim())
            .bind(&now)
            .execute(&mut *tx)
            .await?;
            // Taking part: everyone in the body who added to the record or took a stance.
            let people: Vec<(i64, String, String)> = sqlx::query_as(
                "SELECT s.person_id, s.role, s.side FROM seats s WHERE s.body_id = $1 AND s.person_id IN ( \
                   SELECT c.person_id FROM contributions c WHERE c.decision_id = $2 \
                   UNION SELECT t.person_id FROM stances t WHERE t.decision_id = $2)",
            )
            .bind(body_id)
            .bind(decision_id)
            .fetch_all(&mut *tx)
            .await?;
            let mut participants: Vec<Participant> = Vec::new();
            for (person, role, side) in &people {
                let Some(seat) = crate::bodies::core_seat(*person, role, side) else {
                    continue;
                };
                match participants.iter_mut().find(|p| p.person_id == *person) {
                    // One person, one voice: their strongest seat.
                    Some(existing) if seat.role == BodyRole::CoLead => {
                        existing.role = seat.role;
                        existing.side = seat.side;
                    }
                    Some(_) => {}
                    None => participants.push(Participant {
                        person_id: *person,
                        side: seat.side,
                        role: seat.role,
                    }),
                }
            }
            let latest: Vec<(i64, String)> = sqlx::query_as(
                "SELECT t.person_id, t.stance FROM stances t WHERE t.decision_id = $1 AND t.at = \
                 (SELECT MAX(u.at) FROM stances u WHERE u.decision_id = t.decision_id AND u.person_id = t.person_id)",
            )
            .bind(decision_id)
            .fetch_all(&mut *tx)
            .await?;
            let stances: Vec<(i64, Stance)> = latest
                .iter()
                .filter_map(|(person, s)| Some((*person, s.parse().ok()?)))
                .collect();
            let outcome = consensus(&participants, &stances);
            let mut changes = vec![
                Change::new("decision.stance", "decision", decision_id).after(&serde_json::json!({
                "person": person_id, "side": side.as_str(), "role": role.as_str(), "stance": stance.as_str(),
                "reason": reason.trim(), "at": now})),
            ];
            if outcome == Consensus::Adopted {
                sqlx::query("UPDATE decisions SET stage = $1, stage_changed_at = $2, adopted_at = $2 WHERE id = $3")
                    .bind(Stage::Adopted.as_str())
                    .bind(&now)
                    .bind(decision_id)
                    .execute(&mut *tx)
                    .await?;
                changes.push(
                    Change::new("decision.adopted", "decision", decision_id).after(&serde_json::json!({"at": now})),
                );
            }
            tx.append_audit(partnership_id, &actor, changes).await?;
            outcome
        });
        Ok(outcome)
    }

    pub async fn decision(&self, partnership_id: i64, id: i64) -> Result<Option<Decision>> {
        let sql = format!("{DECISION_SELECT} WHERE d.partnership_id = $1 AND d.id = $2");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(id)
            .fetch_optional(pool)
            .await?))
    }

    pub async fn decisions_of_body(&self, partnership_id: i64, body_id: i64) -> Result<Vec<Decision>> {
        let sql = format!(
            "{DECISION_SELECT} WHERE d.partnership_id = $1 AND d.body_id = $2 ORDER BY d.created_at DESC LIMIT 200"
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(body_id)
            .fetch_all(pool)
            .await?))
    }

    pub async fn contributions_of(&self, partnership_id: i64, decision_id: i64) -> Result<Vec<Contribution>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT c.id, c.person_id, p.name AS person_name, c.side, c.kind, c.text, c.option_id, c.criterion_id, c.score, c.at \
             FROM contributions c JOIN people p ON p.id = c.person_id \
             WHERE c.partnership_id = $1 AND c.decision_id = $2 ORDER BY c.at, c.id"
        )
        .bind(partnership_id)
        .bind(decision_id)
        .fetch_all(pool)
        .await?
        }))
    }

    /// Each person's latest stance on a decision.
    pub async fn stances_of(&self, partnership_id: i64, decision_id: i64) -> Result<Vec<StanceRow>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT t.person_id, p.name AS person_name, t.side, t.role, t.stance, t.reason, t.at \
             FROM stances t JOIN people p ON p.id = t.person_id \
             WHERE t.partnership_id = $1 AND t.decision_id = $2 AND t.at = \
               (SELECT MAX(u.at) FROM stances u WHERE u.decision_id = t.decision_id AND u.person_id = t.person_id) \
             ORDER BY t.side, p.name"
        )
        .bind(partnership_id)
        .bind(decision_id)
        .fetch_all(pool)
        .await?))
    }

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
    async fn first_words(&self, partnership_id: i64, whose: WhoseRecord) -> Result<FirstWords> {
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

/// One step of a decision's path up the levels.
#[derive(Debug, Clone, Serialize, FromRow, ToSchema)]
pub struct Move {
    pub from_body_id: i64,
    pub from_body_name: String,
    pub to_body_id: i64,
    pub to_body_name: String,
    pub reason: String,
    pub moved_by: String,
    pub at: String,
}

impl Move {
    pub fn when(&self) -> String {
        short_time(&self.at)
    }
}

impl Store {
    /// Escalate: the decision moves to the parent body with its whole
    /// record, one level at a time, never above the top.
    pub async fn escalate_decision(&self, permit: &Permit, decision_id: i64, reason: &str) -> Result<i64> {
        if reason.trim().is_empty() {
            return Err(StoreError::Rule("say why the decision goes up a level".into()));
        }
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        let to = in_tx!(self, |tx| {
            let (body_id, stage, _) = decision_state!(tx, partnership_id, decision_id);
            require_take_part(permit, body_id)?;
            if !stage.is_open() {
                return Err(StoreError::Rule(format!(
                    "a decision at \"{}\" is settled: nothing to escalate",
                    stage.label()
                )));
            }
            let (level, parent): (String, Option<i64>) =
                sqlx::query_as("SELECT level, parent_id FROM bodies WHERE id = $1")
                    .bind(body_id)
                    .fetch_one(&mut *tx)
                    .await?;
            let level: lmp_core::body::BodyLevel = level.parse().map_err(StoreError::Rule)?;
            lmp_core::escalation::next_level(level).map_err(StoreError::Rule)?;
            let to = parent.ok_or_else(|| {
                StoreError::Rule("this body has no parent body to escalate to; ask an administrator to place it".into())
            })?;
            let now = now_precise();
            sqlx::query(
                "INSERT INTO decision_moves (partnership_id, decision_id, from_body_id, to_body_id, reason, moved_by, at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(partnership_id)
            .bind(decision_id)
            .bind(body_id)
            .bind(to)
            .bind(reason.trim())
            .bind(&actor)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE decisions SET body_id = $1, stage_changed_at = $2 WHERE id = $3")
                .bind(to)
                .bind(&now)
                .bind(decision_id)
                .execute(&mut *tx)
                .await?;
            let change = Change::new("decision.escalate", "decision", decision_id)
                .before(&body_id)
                .after(&serde_json::json!({"body": to, "reason": reason.trim(), "at": now}));
            tx.append_audit(partnership_id, &actor, vec![change]).await?;
            to
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
                return Err(StoreError::Rule(
                    "only a decision past its options goes back to them".into(),
                ));
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
                return Err(StoreError::Rule(
                    "a neutral rules only at the top level, after escalation through every level".into(),
                ));
            }
            let (_, side) = seat_in_body!(tx, body_id, person_id);
            let now = now_precise();
            sqlx::query(
                "INSERT INTO contributions (partnership_id, decision_id, body_id, person_id, side, kind, text, at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(partnership_id)
            .bind(decision_id)
            .bind(body_id)
            .bind(person_id)
            .bind(side.as_str())
            .bind(ContributionKind::Ruling.as_str())
            .bind(ruling.trim())
            .bind(&now)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE decisions SET stage = $1, stage_changed_at = $2 WHERE id = $3")
                .bind(Stage::Ruled.as_str())
                .bind(&now)
                .bind(decision_id)
                .execute(&mut *tx)
                .await?;
            let change = Change::new("decision.ruling", "decision", decision_id)
                .after(&serde_json::json!({"ruling": ruling.trim(), "recorded_by": person_id, "at": now}));
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
enum WhoseRecord {
    All,
    Body(i64),
    Decision(i64),
}

/// (decision, side) → the time of that side's first word on it.
type FirstWords = std::collections::HashMap<(i64, String), Timestamp>;

/// Both sides' participation in one decision, by the rule in lmp-core.
fn side_levels(
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

impl Store {
    /// Decisions seeking consensus in bodies where `person_id` holds a seat
    /// and has not yet taken a stance: what awaits them.
    pub async fn awaiting_stance(&self, partnership_id: i64, person_id: i64) -> Result<Vec<Decision>> {
        let sql = format!(
            "{DECISION_SELECT} WHERE d.partnership_id = $1 AND d.stage = 'deciding' \
             AND d.body_id IN (SELECT s.body_id FROM seats s WHERE s.partnership_id = $1 AND s.person_id = $2) \
             AND NOT EXISTS (SELECT 1 FROM stances t WHERE t.decision_id = d.id AND t.person_id = $2) \
             ORDER BY d.stage_changed_at LIMIT 100"
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(person_id)
            .fetch_all(pool)
            .await?))
    }
}
