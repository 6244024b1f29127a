//! Two-key changes: a body's decision rules, its co-leads, a decision's
//! redaction, an outcome measure put in force. Anyone who may ask records the change; one labor and one
//! management approver turn their keys; the change is made in the same
//! transaction as the second key, and every step is in the audit log.

use crate::audit::{AuditAppend, Change};
use crate::decisions::now_precise;
use crate::{in_tx, on_pool, Result, Store, StoreError};
use lmp_core::policy::{Action, Denied, Permit};
use lmp_core::refuse;
use lmp_core::two_key::{JointChange, JointChangeKind, Keys};
use lmp_core::Side;
use serde::Serialize;
use sqlx::FromRow;

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct JointChangeRow {
    pub id: i64,
    pub kind: String,
    pub body_id: Option<i64>,
    pub decision_id: Option<i64>,
    /// The change exactly as it will be applied (JSON).
    pub change_json: String,
    pub summary: String,
    pub reason: String,
    pub requested_by: String,
    pub requested_at: String,
    pub labor_approver: Option<String>,
    pub labor_approved_at: Option<String>,
    pub management_approver: Option<String>,
    pub management_approved_at: Option<String>,
    pub withdrawn_by: Option<String>,
    pub withdrawn_at: Option<String>,
    pub applied_at: Option<String>,
}

impl JointChangeRow {
    pub fn state(&self) -> &'static str {
        match (&self.applied_at, &self.withdrawn_at) {
            (Some(_), _) => "applied",
            (_, Some(_)) => "withdrawn",
            _ => "waiting",
        }
    }

    pub fn is_open(&self) -> bool {
        self.state() == "waiting"
    }

    fn keys(&self) -> Keys {
        Keys {
            labor: self.labor_approver.clone(),
            management: self.management_approver.clone(),
        }
    }

    /// Does the change still wait for `side` (`labor`, `management`)?
    pub fn awaits(&self, side: &str) -> bool {
        self.keys().waiting_for().iter().any(|s| s.as_str() == side)
    }

    /// The sides still to approve, in words: "labor, management".
    pub fn waiting_for(&self, language: lmp_core::language::Language) -> String {
        self.keys()
            .waiting_for()
            .iter()
            .map(|s| s.label_in(language).to_lowercase())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

const CHANGE_SELECT: &str = "SELECT id, kind, body_id, decision_id, change_json, summary, reason, requested_by, requested_at, \
     labor_approver, labor_approved_at, management_approver, management_approved_at, withdrawn_by, withdrawn_at, applied_at \
     FROM joint_changes";

/// The change, still waiting, inside the open transaction.
macro_rules! open_change {
    ($tx:expr, $partnership_id:expr, $id:expr) => {{
        let sql = format!("{CHANGE_SELECT} WHERE partnership_id = $1 AND id = $2");
        let row: Option<JointChangeRow> = sqlx::query_as(&sql)
            .bind($partnership_id)
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?;
        let row = row.ok_or(StoreError::NotFound("change"))?;
        if !row.is_open() {
            let state = row.state();
            let state_es = match state {
                "applied" => "aplicado",
                "withdrawn" => "retirado",
                _ => "en espera",
            };
            return Err($crate::StoreError::Rule(lmp_core::refuse!(
                "this change is {state} already",
                "este cambio ya está {state_es}"
            )));
        }
        row
    }};
}

/// What a change is about: a body, a decision, or the partnership as a
/// whole (an outcome measure).
#[derive(Debug, Clone, Copy)]
pub enum ChangeTarget {
    Body(i64),
    Decision(i64),
    Partnership,
}

impl Store {
    /// Ask for a two-key change. Someone who speaks for a side turns that
    /// side's key by asking; an administrator's request waits for both.
    pub async fn request_joint_change(
        &self,
        permit: &Permit,
        target: ChangeTarget,
        change: &JointChange,
        reason: &str,
    ) -> Result<i64> {
        if permit.action() != Action::RequestJointChange {
            return Err(StoreError::Denied(Denied::Forbidden));
        }
        change.check().map_err(StoreError::Rule)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StoreError::Rule(refuse!(
                "say why the change is wanted: the approvers read it",
                "diga por qué se quiere el cambio: los aprobadores lo leen"
            )));
        }
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        let own_side = permit.actor().role.side_it_speaks_for();
        let change_json = crate::json_of(change)?;
        let id = in_tx!(self, |tx| {
            let (body_id, decision_id, summary) = match (target, change) {
                (ChangeTarget::Decision(decision), JointChange::Redact) => {
                    let found: Option<(String, Option<i64>)> = sqlx::query_as(
                        "SELECT title, redacted_by FROM decisions WHERE partnership_id = $1 AND id = $2",
                    )
                    .bind(partnership_id)
                    .bind(decision)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let (title, redacted) = found.ok_or(StoreError::NotFound("decision"))?;
                    if redacted.is_some() {
                        return Err(StoreError::Rule(refuse!(
                            "this decision is already redacted",
                            "esta decisión ya está suprimida"
                        )));
                    }
                    (None, Some(decision), format!("Redact the words of \"{title}\""))
                }
                (ChangeTarget::Partnership, JointChange::DefineMeasure { measure }) => {
                    let code = &measure.code;
                    let in_force: Option<i64> =
                        sqlx::query_scalar("SELECT id FROM outcome_measures WHERE partnership_id = $1 AND code = $2")
                            .bind(partnership_id)
                            .bind(code)
                            .fetch_optional(&mut *tx)
                            .await?;
                    if in_force.is_some() {
                        return Err(StoreError::Rule(refuse!(
                            "the measure {code} is in force already: give a new measure its own code",
                            "la medida {code} ya está vigente: dé a una medida nueva su propio código"
                        )));
                    }
                    let summary = format!(
                        "Outcome measure \"{}\" ({code}): {}, in {}",
                        measure.name.trim(),
                        measure.direction.label().to_lowercase(),
                        measure.unit.trim()
                    );
                    (None, None, summary)
                }
                (ChangeTarget::Partnership, _) | (_, JointChange::DefineMeasure { .. }) => {
                    return Err(StoreError::Rule(refuse!(
                        "an outcome measure is the partnership's; rules and co-leads name a body, a redaction a decision",
                        "una medida de resultados es de toda la asociación; las reglas y los colíderes nombran un órgano, una supresión una decisión"
                    )));
                }
                (ChangeTarget::Body(body), JointChange::Redact) | (ChangeTarget::Decision(body), _) => {
                    return Err(StoreError::Rule(refuse!(
                        "{body}: a redaction names a decision; rules and co-leads name a body",
                        "{body}: una supresión nombra una decisión; las reglas y los colíderes nombran un órgano"
                    )));
                }
                (ChangeTarget::Body(body), change) => {
                    let name: Option<String> =
                        sqlx::query_scalar("SELECT name FROM bodies WHERE partnership_id = $1 AND id = $2")
                            .bind(partnership_id)
                            .bind(body)
                            .fetch_optional(&mut *tx)
                            .await?;
                    let name = name.ok_or(StoreError::NotFound("body"))?;
                    let summary = match change {
                        JointChange::DecisionRules { mode, time_limit_days } => format!(
                            "{name}: {}; {}",
                            mode.label(),
                            time_limit_days.map_or("the partnership's time limit".to_string(), |d| format!(
                                "{d} days before a decision rises"
                            ))
                        ),
                        JointChange::AddCoLead { person_id, side } => {
                            // Checked now, so no one approves a seat the rules refuse.
                            let role = lmp_core::body::BodyRole::CoLead;
                            let (_, person, _) =
                                crate::seat_allowed!(tx, partnership_id, body, *person_id, role, *side);
                            format!("{name}: seat {person} as {} co-lead", side.as_str())
                        }
                        JointChange::RemoveCoLead { seat_id, .. } => {
                            let seat: Option<(String, String, String)> = sqlx::query_as(
                                "SELECT p.name, s.side, s.role FROM seats s JOIN people p ON p.id = s.person_id \
                                 WHERE s.partnership_id = $1 AND s.id = $2 AND s.body_id = $3",
                            )
                            .bind(partnership_id)
                            .bind(seat_id)
                            .bind(body)
                            .fetch_optional(&mut *tx)
                            .await?;
                            let (person, side, role) = seat.ok_or(StoreError::NotFound("seat"))?;
                            if role != "co_lead" {
                                return Err(StoreError::Rule(refuse!(
"only co-lead seats need two keys; members change as usual",
"solo los puestos de colíder necesitan dos llaves; los miembros cambian como siempre"
)));
                            }
                            format!("{name}: {person} stands down as {side} co-lead")
                        }
                        JointChange::Redact | JointChange::DefineMeasure { .. } => unreachable!("matched above"),
                    };
                    (Some(body), None, summary)
                }
            };
            let now = now_precise();
            let (labor, management) = match own_side {
                Some(Side::Labor) => (Some(actor.clone()), None),
                Some(Side::Management) => (None, Some(actor.clone())),
                _ => (None, None),
            };
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO joint_changes (partnership_id, kind, body_id, decision_id, change_json, summary, reason, \
                 requested_by, requested_at, labor_approver, labor_approved_at, management_approver, management_approved_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, CASE WHEN $10 IS NULL THEN NULL ELSE $9 END, \
                 $11, CASE WHEN $11 IS NULL THEN NULL ELSE $9 END) RETURNING id",
            )
            .bind(partnership_id)
            .bind(change.kind().as_str())
            .bind(body_id)
            .bind(decision_id)
            .bind(&change_json)
            .bind(&summary)
            .bind(reason)
            .bind(&actor)
            .bind(&now)
            .bind(&labor)
            .bind(&management)
            .fetch_one(&mut *tx)
            .await?;
            let record = serde_json::json!({"summary": summary, "change": change, "reason": reason,
                "labor_key": labor, "management_key": management, "at": now});
            let audit = Change::new("joint_change.request", "joint_change", id).after(&record);
            tx.append_audit(partnership_id, &actor, vec![audit]).await?;
            id
        });
        Ok(id)
    }

    /// Turn one side's key. The second key makes the change, in the same
    /// transaction. Returns whether it was applied.
    pub async fn approve_joint_change(&self, permit: &Permit, id: i64) -> Result<bool> {
        let Action::ApproveJointChange { side } = permit.action() else {
            return Err(StoreError::Denied(Denied::Forbidden));
        };
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        let applied = in_tx!(self, |tx| {
            let row = open_change!(tx, partnership_id, id);
            let mut keys = row.keys();
            keys.turn(side, &actor).map_err(|e| StoreError::Rule(e.into()))?;
            let now = now_precise();
            let column = if side == Side::Labor { "labor" } else { "management" };
            sqlx::query(&format!(
                "UPDATE joint_changes SET {column}_approver = $1, {column}_approved_at = $2 WHERE id = $3"
            ))
            .bind(&actor)
            .bind(&now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            let audit = Change::new("joint_change.approve", "joint_change", id)
                .after(&serde_json::json!({"side": side.as_str(), "approver": actor, "at": now}));
            tx.append_audit(partnership_id, &actor, vec![audit]).await?;
            if keys.both_turned() {
                let change: JointChange = serde_json::from_str(&row.change_json).map_err(|e| {
                    StoreError::Rule(refuse!(
                        "the stored change does not read: {e}",
                        "el cambio guardado no se puede leer: {e}"
                    ))
                })?;
                let what = match (&change, row.body_id, row.decision_id) {
                    (JointChange::DecisionRules { mode, time_limit_days }, Some(body), _) => {
                        sqlx::query("UPDATE bodies SET decision_mode = $1, time_limit_days = $2 WHERE id = $3")
                            .bind(mode.as_str())
                            .bind(*time_limit_days)
                            .bind(body)
                            .execute(&mut *tx)
                            .await?;
                        "body.decision_rules"
                    }
                    (JointChange::AddCoLead { person_id, side }, Some(body), _) => {
                        let role = lmp_core::body::BodyRole::CoLead;
                        crate::insert_seat!(tx, partnership_id, &actor, body, *person_id, role, *side);
                        "seat.add"
                    }
                    (JointChange::RemoveCoLead { seat_id, .. }, Some(_), _) => {
                        crate::delete_seat!(tx, partnership_id, &actor, *seat_id);
                        "seat.remove"
                    }
                    (JointChange::DefineMeasure { measure }, None, None) => {
                        sqlx::query(
                            "INSERT INTO outcome_measures (partnership_id, code, name, domain, definition, unit, direction, \
                             accepted_by_change, in_force_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                        )
                        .bind(partnership_id)
                        .bind(&measure.code)
                        .bind(measure.name.trim())
                        .bind(measure.domain.as_str())
                        .bind(measure.definition.trim())
                        .bind(measure.unit.trim())
                        .bind(measure.direction.as_str())
                        .bind(id)
                        .bind(&now)
                        .execute(&mut *tx)
                        .await?;
                        "outcome_measure.in_force"
                    }
                    (JointChange::Redact, _, Some(decision)) => {
                        sqlx::query("UPDATE contributions SET text = '' WHERE decision_id = $1")
                            .bind(decision)
                            .execute(&mut *tx)
                            .await?;
                        sqlx::query("UPDATE stances SET reason = '' WHERE decision_id = $1")
                            .bind(decision)
                            .execute(&mut *tx)
                            .await?;
                        sqlx::query("UPDATE decisions SET redacted_by = $1 WHERE id = $2")
                            .bind(id)
                            .bind(decision)
                            .execute(&mut *tx)
                            .await?;
                        "decision.redact"
                    }
                    _ => {
                        return Err(StoreError::Rule(refuse!(
                            "this change names nothing it can apply to",
                            "este cambio no nombra nada a lo que pueda aplicarse"
                        )))
                    }
                };
                sqlx::query("UPDATE joint_changes SET applied_at = $1 WHERE id = $2")
                    .bind(&now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                let audit = Change::new("joint_change.apply", "joint_change", id).after(&serde_json::json!({
                    "applied": what, "change": change, "labor_key": keys.labor, "management_key": keys.management, "at": now}));
                tx.append_audit(partnership_id, &actor, vec![audit]).await?;
                true
            } else {
                false
            }
        });
        Ok(applied)
    }

    /// Withdraw a change still waiting: its requester, or either side's
    /// approver saying no.
    pub async fn withdraw_joint_change(&self, permit: &Permit, id: i64, reason: &str) -> Result<()> {
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        let may_refuse = matches!(permit.action(), Action::ApproveJointChange { .. });
        in_tx!(self, |tx| {
            let row = open_change!(tx, partnership_id, id);
            if !(may_refuse || row.requested_by == actor) {
                return Err(StoreError::Denied(Denied::Forbidden));
            }
            let now = now_precise();
            sqlx::query("UPDATE joint_changes SET withdrawn_by = $1, withdrawn_at = $2 WHERE id = $3")
                .bind(&actor)
                .bind(&now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let audit = Change::new("joint_change.withdraw", "joint_change", id)
                .after(&serde_json::json!({"by": actor, "reason": reason.trim(), "at": now}));
            tx.append_audit(partnership_id, &actor, vec![audit]).await?;
        });
        Ok(())
    }

    pub async fn joint_change(&self, partnership_id: i64, id: i64) -> Result<Option<JointChangeRow>> {
        let sql = format!("{CHANGE_SELECT} WHERE partnership_id = $1 AND id = $2");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(id)
            .fetch_optional(pool)
            .await?))
    }

    /// Changes waiting first, then the latest settled, at most `limit`;
    /// only a body's or a decision's when one is named.
    pub async fn joint_changes(
        &self,
        partnership_id: i64,
        about: Option<ChangeTarget>,
        limit: i64,
    ) -> Result<Vec<JointChangeRow>> {
        let (body, decision, kind) = match about {
            Some(ChangeTarget::Body(b)) => (b, 0, ""),
            Some(ChangeTarget::Decision(d)) => (0, d, ""),
            Some(ChangeTarget::Partnership) => (0, 0, JointChangeKind::OutcomeMeasure.as_str()),
            None => (0, 0, ""),
        };
        let sql = format!(
            "{CHANGE_SELECT} WHERE partnership_id = $1 AND ($2 = 0 OR body_id = $2) AND ($3 = 0 OR decision_id = $3) \
             AND ($5 = '' OR kind = $5) \
             ORDER BY CASE WHEN applied_at IS NULL AND withdrawn_at IS NULL THEN 0 ELSE 1 END, requested_at DESC LIMIT $4"
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(body)
            .bind(decision)
            .bind(limit.clamp(1, 500))
            .bind(kind)
            .fetch_all(pool)
            .await?))
    }
}
