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
use lmp_core::language::Language;
use lmp_core::notice::NoticeKind;
use lmp_core::policy::{Action, Denied, Permit};
use lmp_core::refuse;
use serde::Serialize;
use sqlx::FromRow;

/// The server's time to the microsecond, fixed width so text order is time order.
pub fn now_precise() -> String {
    stamp(Timestamp::now())
}

#[derive(Debug, Clone, Serialize, FromRow)]
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
    /// The two-key change that redacted its words, if one did.
    pub redacted_by: Option<i64>,
}

impl Decision {
    /// Open and past its deadline.
    pub fn is_overdue(&self) -> bool {
        self.stage().is_some_and(Stage::is_open)
            && lmp_core::escalation::overdue(self.deadline.as_deref().and_then(|d| d.parse().ok()), Timestamp::now())
    }

    pub fn stage(&self) -> Option<Stage> {
        self.stage.parse().ok()
    }
}

#[derive(Debug, Clone, Serialize, FromRow)]
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

/// A person's latest stance.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct StanceRow {
    pub person_id: i64,
    pub person_name: String,
    pub side: String,
    pub role: String,
    pub stance: String,
    pub reason: String,
    pub at: String,
}

const DECISION_SELECT: &str =
    "SELECT d.id, d.body_id, b.name AS body_name, d.origin_body_id, d.title, d.mode, d.stage, \
     d.deadline, d.created_by, d.created_at, d.stage_changed_at, d.options_closed_at, d.adopted_at, d.redacted_by \
     FROM decisions d JOIN bodies b ON b.id = d.body_id";

/// The permit must be to take part in exactly this body.
pub(crate) fn require_take_part(permit: &Permit, body_id: i64) -> Result<()> {
    match permit.action() {
        Action::TakePart { seats } if seats.body_id() == body_id => Ok(()),
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
            StoreError::Rule(refuse!(
"only the body's own members take part in its decisions: this person holds no seat in it",
"solo los miembros del propio órgano participan en sus decisiones: esta persona no ocupa ningún puesto en él"
))
        })?;
        let role: lmp_core::body::BodyRole = role.parse().map_err(StoreError::Rule)?;
        let side: lmp_core::Side = side
            .parse()
            .map_err(|e: lmp_core::side::UnknownSide| StoreError::Rule(e.into()))?;
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

/// Add one word to a decision's record inside the open transaction,
/// stamped `$at`; `$scored` is an evaluation's (option, criterion, score).
macro_rules! insert_word {
    ($tx:expr, $partnership_id:expr, $decision_id:expr, $body_id:expr, $person_id:expr, $side:expr, $kind:expr, $text:expr, $scored:expr, $at:expr) => {{
        let (option_id, criterion_id, score): (Option<i64>, Option<i64>, Option<i64>) = $scored;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO contributions (partnership_id, decision_id, body_id, person_id, side, kind, text, option_id, criterion_id, score, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind($partnership_id)
        .bind($decision_id)
        .bind($body_id)
        .bind($person_id)
        .bind($side.as_str())
        .bind($kind.as_str())
        .bind($text)
        .bind(option_id)
        .bind(criterion_id)
        .bind(score)
        .bind($at)
        .fetch_one(&mut *$tx)
        .await?;
        id
    }};
}

/// Where a decision arriving in a body now stands: the body's name, how
/// its charter decides, and the deadline its time limit sets.
macro_rules! arrival {
    ($tx:expr, $partnership_id:expr, $body_id:expr, $now:expr) => {{
        let (name, level, mode, limit, closed_on): (String, String, String, Option<i64>, Option<String>) = sqlx::query_as(
            "SELECT name, level, decision_mode, time_limit_days, closed_on FROM bodies WHERE partnership_id = $1 AND id = $2",
        )
        .bind($partnership_id)
        .bind($body_id)
        .fetch_optional(&mut *$tx)
        .await?
        .ok_or(StoreError::NotFound("body"))?;
        if let Some(closed_on) = closed_on {
            return Err(StoreError::Rule(refuse!(
"{name} closed on {closed_on}: it takes no decisions",
"{name} cerró el {closed_on}: no toma decisiones"
)));
        }
        let rules_json: Option<String> =
            sqlx::query_scalar("SELECT rules_json FROM decision_rules WHERE partnership_id = $1")
                .bind($partnership_id)
                .fetch_optional(&mut *$tx)
                .await?;
        let rules = crate::decisions::escalation_rules_from(rules_json.as_deref())?;
        let level: lmp_core::body::BodyLevel = level.parse().map_err(StoreError::Rule)?;
        let mode: DecisionMode = mode.parse().map_err(StoreError::Rule)?;
        let deadline = lmp_core::escalation::deadline($now, rules.days_in_body(level, limit));
        (name, mode, crate::decisions::stamp(deadline))
    }};
}

/// The body a decision in `$body` rises to: its parent, one level up; or
/// why it cannot (the top level, or no parent set). Only the database's own
/// errors return early.
macro_rules! body_above {
    ($tx:expr, $body:expr) => {{
        let (level, parent): (String, Option<i64>) =
            sqlx::query_as("SELECT level, parent_id FROM bodies WHERE id = $1")
                .bind($body)
                .fetch_one(&mut *$tx)
                .await?;
        level
            .parse::<lmp_core::body::BodyLevel>()
            .and_then(lmp_core::escalation::next_level)
            .and_then(|_| {
                parent.ok_or_else(|| {
                    lmp_core::refuse!(
                        "this body has no parent body to escalate to; ask an administrator to place it",
                        "este órgano no depende de ningún otro al que elevar; pida a un administrador que lo sitúe"
                    )
                })
            })
    }};
}

/// Move a decision from `$from` up to `$to` (see `body_above!`) with its
/// whole record, inside the open transaction: the parent's charter and time
/// limit apply from now on, and the parent's members are told. Returns `$to`.
macro_rules! move_up {
    ($tx:expr, $partnership_id:expr, $actor:expr, $decision_id:expr, $title:expr, $from:expr, $to:expr, $reason:expr, $now:expr) => {{
        let to: i64 = $to;
        let now: jiff::Timestamp = $now;
        let now_text = crate::decisions::stamp(now);
        let (to_name, mode, deadline) = arrival!($tx, $partnership_id, to, now);
        sqlx::query(
            "INSERT INTO decision_moves (partnership_id, decision_id, from_body_id, to_body_id, reason, moved_by, at)              VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind($partnership_id)
        .bind($decision_id)
        .bind($from)
        .bind(to)
        .bind($reason)
        .bind($actor)
        .bind(&now_text)
        .execute(&mut *$tx)
        .await?;
        sqlx::query(
            "UPDATE decisions SET body_id = $1, mode = $2, deadline = $3, stage_changed_at = $4,              overdue_noticed_at = NULL WHERE id = $5",
        )
        .bind(to)
        .bind(mode.as_str())
        .bind(&deadline)
        .bind(&now_text)
        .bind($decision_id)
        .execute(&mut *$tx)
        .await?;
        let change = Change::new("decision.escalate", "decision", $decision_id)
            .before(&$from)
            .after(&serde_json::json!({"body": to, "reason": $reason, "deadline": deadline, "at": now_text}));
        $tx.append_audit($partnership_id, $actor, vec![change]).await?;
        crate::notify!(
            $tx,
            $partnership_id,
            to,
            Some($decision_id),
            lmp_core::notice::NoticeKind::Escalated,
            $title,
            &to_name,
            format!("/decisions/{}", $decision_id),
            &now_text
        );
        to
    }};
}

/// A time as stored: microseconds, fixed width, so text order is time order.
pub fn stamp(at: Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// The partnership's time limits: as set, or our defaults.
pub(crate) fn escalation_rules_from(json: Option<&str>) -> Result<lmp_core::escalation::EscalationRules> {
    match json {
        Some(json) => serde_json::from_str(json).map_err(|e| {
            StoreError::Rule(refuse!(
                "the stored decision rules do not read: {e}",
                "las reglas de decisión guardadas no se pueden leer: {e}"
            ))
        }),
        None => Ok(lmp_core::escalation::EscalationRules::default()),
    }
}

mod escalation;
mod integrity;
pub(crate) mod participation;
pub use escalation::{stays_of, Move, Stay, DEADLINE_ACTOR};
pub use integrity::HistoryCheck;
pub use participation::{
    Behind, BodyParticipation, DecisionLine, DecisionParticipation, LevelIndex, Rollup, YearIndex,
};

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
            return Err(StoreError::Rule(refuse!(
                "a decision needs a title of 1 to 200 characters",
                "una decisión necesita un título de 1 a 200 caracteres"
            )));
        }
        check_contribution(Stage::Framing, ContributionKind::Issue, issue).map_err(StoreError::Rule)?;
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        let id = in_tx!(self, |tx| {
            let (_, side) = seat_in_body!(tx, body_id, person_id);
            let at = Timestamp::now();
            let now = stamp(at);
            let (_, mode, deadline) = arrival!(tx, partnership_id, body_id, at);
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO decisions (partnership_id, body_id, origin_body_id, title, mode, stage, deadline, created_by, created_at, stage_changed_at) \
                 VALUES ($1, $2, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
            )
            .bind(partnership_id)
            .bind(body_id)
            .bind(title)
            .bind(mode.as_str())
            .bind(Stage::Framing.as_str())
            .bind(&deadline)
            .bind(&actor)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
            let no_score = (None, None, None);
            insert_word!(
                tx,
                partnership_id,
                id,
                body_id,
                person_id,
                side,
                ContributionKind::Issue,
                issue.trim(),
                no_score,
                &now
            );
            let change = Change::new("decision.raise", "decision", id).after(
                &serde_json::json!({"title": title, "issue": issue.trim(), "person": person_id, "side": side.as_str(),
                    "mode": mode.as_str(), "deadline": deadline, "at": now}),
            );
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
                            let (what, what_es) = (
                                want.label().to_lowercase(),
                                want.label_in(Language::Spanish).to_lowercase(),
                            );
                            return Err(StoreError::Rule(refuse!(
                                "{id} is not a {what} of this decision",
                                "{id} no es de esta decisión: {what_es}"
                            )));
                        }
                    }
                    (Some(option), Some(criterion), Some(score))
                }
                (ContributionKind::Evaluation, None) => {
                    return Err(StoreError::Rule(refuse!(
                        "an evaluation names an option, a criterion and a score",
                        "una evaluación nombra una opción, un criterio y una puntuación"
                    )));
                }
                _ => (None, None, None),
            };
            let now = now_precise();
            let scored = (option_id, criterion_id, score);
            let id = insert_word!(
                tx,
                partnership_id,
                decision_id,
                body_id,
                person_id,
                side,
                kind,
                text.trim(),
                scored,
                &now
            );
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
            let (body_id, stage, title) = decision_state!(tx, partnership_id, decision_id);
            require_take_part(permit, body_id)?;
            let next = stage.next().ok_or_else(|| {
                let (stage_en, stage_es) = (stage.label(), stage.label_in(Language::Spanish));
                StoreError::Rule(refuse!(
                    "a decision at \"{stage_en}\" moves on by consensus, not by a step",
                    "una decisión en «{stage_es}» avanza por consenso, no por un paso"
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
                    let (what, what_es) = (
                        kind.label().to_lowercase(),
                        kind.label_in(Language::Spanish).to_lowercase(),
                    );
                    return Err(StoreError::Rule(refuse!(
                        "record at least one {what} before moving on",
                        "registre al menos una aportación de este tipo antes de avanzar: {what_es}"
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
            if next == Stage::Deciding {
                let body_name: String = sqlx::query_scalar("SELECT name FROM bodies WHERE id = $1")
                    .bind(body_id)
                    .fetch_one(&mut *tx)
                    .await?;
                crate::notify!(
                    tx,
                    partnership_id,
                    body_id,
                    Some(decision_id),
                    NoticeKind::StanceNeeded,
                    &title,
                    &body_name,
                    format!("/decisions/{decision_id}"),
                    &now
                );
            }
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
            let (body_id, stage, title) = decision_state!(tx, partnership_id, decision_id);
            require_take_part(permit, body_id)?;
            if stage != Stage::Deciding {
                let (stage_en, stage_es) = (stage.label(), stage.label_in(Language::Spanish));
                return Err(StoreError::Rule(refuse!(
                    "stances are taken on a proposed solution; this decision is at \"{stage_en}\"",
                    "las posturas se toman sobre una solución propuesta; esta decisión está en «{stage_es}»"
                )));
            }
            let (role, side) = seat_in_body!(tx, body_id, person_id);
            let at = Timestamp::now();
            let now = stamp(at);
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
            let changes = vec![
                Change::new("decision.stance", "decision", decision_id).after(&serde_json::json!({
                "person": person_id, "side": side.as_str(), "role": role.as_str(), "stance": stance.as_str(),
                "reason": reason.trim(), "at": now})),
            ];
            tx.append_audit(partnership_id, &actor, changes).await?;
            let link = format!("/decisions/{decision_id}");
            let (body_name, mode): (String, String) = sqlx::query_as(
                "SELECT b.name, d.mode FROM decisions d JOIN bodies b ON b.id = d.body_id WHERE d.id = $1",
            )
            .bind(decision_id)
            .fetch_one(&mut *tx)
            .await?;
            let above = body_above!(tx, body_id);
            match (&outcome, above) {
                // A body that only recommends passes its consensus up, record
                // and all, for the level above to decide.
                (Consensus::Adopted, Ok(to)) if mode == DecisionMode::Recommend.as_str() => {
                    move_up!(
                        tx,
                        partnership_id,
                        &actor,
                        decision_id,
                        &title,
                        body_id,
                        to,
                        "recommended by consensus",
                        at
                    );
                }
                (Consensus::Adopted, _) => {
                    sqlx::query(
                        "UPDATE decisions SET stage = $1, stage_changed_at = $2, adopted_at = $2 WHERE id = $3",
                    )
                    .bind(Stage::Adopted.as_str())
                    .bind(&now)
                    .bind(decision_id)
                    .execute(&mut *tx)
                    .await?;
                    let change =
                        Change::new("decision.adopted", "decision", decision_id).after(&serde_json::json!({"at": now}));
                    tx.append_audit(partnership_id, &actor, vec![change]).await?;
                    crate::notify!(
                        tx,
                        partnership_id,
                        body_id,
                        Some(decision_id),
                        NoticeKind::Adopted,
                        &title,
                        &body_name,
                        link,
                        &now
                    );
                }
                (Consensus::Blocked { .. }, _) if stance == Stance::Block => {
                    crate::notify!(
                        tx,
                        partnership_id,
                        body_id,
                        Some(decision_id),
                        NoticeKind::Blocked,
                        &title,
                        &body_name,
                        link,
                        &now
                    );
                }
                _ => {}
            }
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
