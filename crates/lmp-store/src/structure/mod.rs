//! The partnership's structure as its own people keep it: bodies created,
//! renamed, moved under another parent and closed — never deleted, so every
//! decision, meeting and seat they held stays readable — and (in `import`)
//! the bodies and seats files.

pub mod import;

use crate::audit::{AuditAppend, Change};
use crate::model::Body;
use crate::{in_tx, Result, Store, StoreError};
use lmp_core::body::{check_close, BodyLevel};
use lmp_core::decision::DecisionMode;
use lmp_core::import::{code, text};
use lmp_core::org::UnitKind;
use lmp_core::policy::{Action, Denied, Permit};
use lmp_core::refuse;
use serde::Serialize;

/// A day as the co-lead spells' timestamps write it.
pub(crate) fn day_start(day: &str) -> String {
    format!("{day}T00:00:00Z")
}

/// Inside the writer's transaction `$tx`: end the seats of partnership
/// `$pid` that `$which` names (an SQL condition on `seats` with ids written
/// in, no parameters) on `$on`; the number ended. The delete triggers keep
/// each seat as a past seat and end a co-lead's spell, dated by the
/// database's clock; the day the caller names is the one that counts, so
/// both are re-dated to it (a spell begun that same day ends as it began).
macro_rules! end_seats {
    ($tx:expr, $pid:expr, $which:expr, $on:expr) => {{
        let (pid, which, on): (i64, &str, &str) = ($pid, $which, $on);
        let first_past: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM past_seats")
            .fetch_one(&mut *$tx)
            .await?;
        let ended = sqlx::query(&format!("DELETE FROM seats WHERE partnership_id = $1 AND ({which})"))
            .bind(pid)
            .execute(&mut *$tx)
            .await?
            .rows_affected();
        // `+partnership_id`: the rows are found by id alone (those the
        // triggers just wrote), not by scanning the partnership's history.
        sqlx::query("UPDATE past_seats SET ended_on = $1 WHERE +partnership_id = $2 AND id > $3")
            .bind(on)
            .bind(pid)
            .bind(first_past)
            .execute(&mut *$tx)
            .await?;
        sqlx::query(
            "UPDATE co_lead_spells SET ended_at = CASE WHEN started_at > $1 THEN started_at ELSE $1 END \
             WHERE +partnership_id = $2 AND id IN (\
             SELECT (SELECT MAX(c.id) FROM co_lead_spells c WHERE c.partnership_id = p.partnership_id \
             AND c.body_id = p.body_id AND c.side = p.side AND c.person_id = p.person_id) \
             FROM past_seats p WHERE +p.partnership_id = $2 AND p.id > $3 AND p.role = 'co_lead')",
        )
        .bind($crate::structure::day_start(on))
        .bind(pid)
        .bind(first_past)
        .execute(&mut *$tx)
        .await?;
        ended
    }};
}
pub(crate) use end_seats;

/// A body to create.
#[derive(Debug, Clone)]
pub struct NewBody {
    pub code: String,
    pub level: BodyLevel,
    pub name: String,
    pub unit_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub decides: DecisionMode,
}

/// What changes in a body: its name, its parent, or both. `parent_id`
/// `Some(None)` takes it out from under any parent.
#[derive(Debug, Clone, Default)]
pub struct BodyChange {
    pub name: Option<String>,
    pub parent_id: Option<Option<i64>>,
}

/// A body as the audit trail records it.
#[derive(Debug, Serialize)]
pub(crate) struct BodyRecord<'a> {
    pub level: &'a str,
    pub name: &'a str,
    pub unit_code: Option<&'a str>,
    pub parent_code: Option<&'a str>,
    pub decides: &'a str,
}

/// A stored body as a change reads it: code, level, name, parent, closed on.
type StoredShape = (String, String, String, Option<i64>, Option<String>);

fn require_manage_bodies(permit: &Permit) -> Result<i64> {
    match permit.action() {
        Action::ManageBodies | Action::Import => Ok(permit.actor().partnership_id),
        _ => Err(StoreError::Denied(Denied::Forbidden)),
    }
}

fn rule(e: lmp_core::import::FieldError) -> StoreError {
    StoreError::Rule(e.reason)
}

/// Inside the open transaction: the parent a body at `level` may hang
/// under, checked by lmp-core's rule, with its code for the audit.
macro_rules! checked_parent {
    ($tx:expr, $pid:expr, $level:expr, $parent_id:expr) => {{
        let (pid, level, parent_id): (i64, BodyLevel, Option<i64>) = ($pid, $level, $parent_id);
        match parent_id {
            None => {
                level.check_parent(None).map_err(StoreError::Rule)?;
                None
            }
            Some(parent_id) => {
                let parent: Option<(String, String, Option<String>)> =
                    sqlx::query_as("SELECT code, level, closed_on FROM bodies WHERE partnership_id = $1 AND id = $2")
                        .bind(pid)
                        .bind(parent_id)
                        .fetch_optional(&mut *$tx)
                        .await?;
                let (code, parent_level, closed_on) = parent.ok_or(StoreError::NotFound("parent body"))?;
                if closed_on.is_some() {
                    return Err(StoreError::Rule(refuse!(
                        "{code} is closed: a body cannot hang under it",
                        "{code} está cerrado: ningún órgano puede depender de él"
                    )));
                }
                let parent_level: BodyLevel = parent_level.parse().map_err(StoreError::Rule)?;
                level.check_parent(Some(parent_level)).map_err(StoreError::Rule)?;
                Some(code)
            }
        }
    }};
}

impl Store {
    /// Create a body, audited. Its co-leads come after, by two keys or a
    /// seats file; until then it is flagged as missing them.
    pub async fn create_body(&self, permit: &Permit, new: &NewBody) -> Result<Body> {
        let pid = require_manage_bodies(permit)?;
        let actor = permit.actor().username.clone();
        let body_code = code(1, new.code.trim(), "code").map_err(rule)?;
        let name = text(1, new.name.trim(), "name", true).map_err(rule)?;
        let id: i64 = in_tx!(self, |tx| {
            let taken: Option<i64> =
                sqlx::query_scalar("SELECT id FROM bodies WHERE partnership_id = $1 AND code = $2")
                    .bind(pid)
                    .bind(&body_code)
                    .fetch_optional(&mut *tx)
                    .await?;
            if taken.is_some() {
                return Err(StoreError::Rule(refuse!(
                    "a body with the code {body_code} already exists",
                    "ya existe un órgano con el código {body_code}"
                )));
            }
            let unit_code = match new.unit_id {
                None => None,
                Some(unit_id) => {
                    let unit: Option<(String, String)> =
                        sqlx::query_as("SELECT code, kind FROM units WHERE partnership_id = $1 AND id = $2")
                            .bind(pid)
                            .bind(unit_id)
                            .fetch_optional(&mut *tx)
                            .await?;
                    let (code, kind) = unit.ok_or(StoreError::NotFound("unit"))?;
                    let kind: UnitKind = kind.parse().map_err(StoreError::Rule)?;
                    if !kind.is_employer_unit() {
                        return Err(StoreError::Rule(refuse!(
                            "{code} is a {kind}: a body belongs to a region, facility or department",
                            "{code} es «{kind}»: un órgano pertenece a una región, un centro o un departamento"
                        )));
                    }
                    Some(code)
                }
            };
            let parent_code = checked_parent!(tx, pid, new.level, new.parent_id);
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO bodies (partnership_id, code, level, name, unit_id, parent_id, decision_mode) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(pid)
            .bind(&body_code)
            .bind(new.level.as_str())
            .bind(&name)
            .bind(new.unit_id)
            .bind(new.parent_id)
            .bind(new.decides.as_str())
            .fetch_one(&mut *tx)
            .await?;
            let record = BodyRecord {
                level: new.level.as_str(),
                name: &name,
                unit_code: unit_code.as_deref(),
                parent_code: parent_code.as_deref(),
                decides: new.decides.as_str(),
            };
            let change = Change::new("body.create", "body", &body_code).after(&record);
            tx.append_audit(pid, &actor, vec![change]).await?;
            id
        });
        self.body(pid, id).await?.ok_or(StoreError::NotFound("body"))
    }

    /// Rename a body or move it under another parent, audited with what it
    /// was. A closed body stays as it closed.
    pub async fn change_body(&self, permit: &Permit, id: i64, change: &BodyChange) -> Result<Body> {
        let pid = require_manage_bodies(permit)?;
        let actor = permit.actor().username.clone();
        let name = match &change.name {
            Some(name) => Some(text(1, name.trim(), "name", true).map_err(rule)?),
            None => None,
        };
        in_tx!(self, |tx| {
            let stored: Option<StoredShape> = sqlx::query_as(
                "SELECT code, level, name, parent_id, closed_on FROM bodies WHERE partnership_id = $1 AND id = $2",
            )
            .bind(pid)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            let (body_code, level, old_name, old_parent, closed_on) = stored.ok_or(StoreError::NotFound("body"))?;
            if let Some(closed_on) = closed_on {
                return Err(StoreError::Rule(refuse!(
                    "{body_code} closed on {closed_on}: it stays as it closed",
                    "{body_code} cerró el {closed_on}: queda como estaba al cerrar"
                )));
            }
            let level: BodyLevel = level.parse().map_err(StoreError::Rule)?;
            let new_name = name.unwrap_or_else(|| old_name.clone());
            let new_parent = change.parent_id.unwrap_or(old_parent);
            if new_parent == Some(id) {
                return Err(StoreError::Rule(refuse!(
                    "a body cannot be its own parent",
                    "un órgano no puede depender de sí mismo"
                )));
            }
            let parent_code = checked_parent!(tx, pid, level, new_parent);
            if new_name != old_name || new_parent != old_parent {
                let old_parent_code: Option<String> = match old_parent {
                    Some(parent) => {
                        sqlx::query_scalar("SELECT code FROM bodies WHERE id = $1")
                            .bind(parent)
                            .fetch_optional(&mut *tx)
                            .await?
                    }
                    None => None,
                };
                sqlx::query("UPDATE bodies SET name = $1, parent_id = $2 WHERE partnership_id = $3 AND id = $4")
                    .bind(&new_name)
                    .bind(new_parent)
                    .bind(pid)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                #[derive(Serialize)]
                struct Shape<'a> {
                    name: &'a str,
                    parent_code: Option<&'a str>,
                }
                let change = Change::new("body.update", "body", &body_code)
                    .before(&Shape {
                        name: &old_name,
                        parent_code: old_parent_code.as_deref(),
                    })
                    .after(&Shape {
                        name: &new_name,
                        parent_code: parent_code.as_deref(),
                    });
                tx.append_audit(pid, &actor, vec![change]).await?;
            }
        });
        self.body(pid, id).await?.ok_or(StoreError::NotFound("body"))
    }

    /// Close a body today: every seat in it ends (kept as past seats), and
    /// it takes no new seats, decisions or children. Refused while a body
    /// hangs under it or a decision is still open there.
    pub async fn close_body(&self, permit: &Permit, id: i64) -> Result<Body> {
        let pid = require_manage_bodies(permit)?;
        let actor = permit.actor().username.clone();
        let on = crate::today().to_string();
        in_tx!(self, |tx| {
            let stored: Option<(String, Option<String>)> =
                sqlx::query_as("SELECT code, closed_on FROM bodies WHERE partnership_id = $1 AND id = $2")
                    .bind(pid)
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let (body_code, closed_on) = stored.ok_or(StoreError::NotFound("body"))?;
            if let Some(closed_on) = closed_on {
                return Err(StoreError::Rule(refuse!(
                    "{body_code} already closed on {closed_on}",
                    "{body_code} ya cerró el {closed_on}"
                )));
            }
            let children: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM bodies WHERE partnership_id = $1 AND parent_id = $2 AND closed_on IS NULL",
            )
            .bind(pid)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            let open_decisions: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM decisions WHERE partnership_id = $1 AND body_id = $2 \
                 AND stage IN ('framing', 'options', 'evaluating', 'deciding')",
            )
            .bind(pid)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            check_close(children.max(0) as u64, open_decisions.max(0) as u64).map_err(StoreError::Rule)?;
            let ended = end_seats!(tx, pid, &format!("body_id = {id}"), &on);
            sqlx::query("UPDATE bodies SET closed_on = $1 WHERE partnership_id = $2 AND id = $3")
                .bind(&on)
                .bind(pid)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            #[derive(Serialize)]
            struct Closed<'a> {
                closed_on: &'a str,
                seats_ended: u64,
            }
            let change = Change::new("body.close", "body", &body_code).after(&Closed {
                closed_on: &on,
                seats_ended: ended,
            });
            tx.append_audit(pid, &actor, vec![change]).await?;
        });
        self.body(pid, id).await?.ok_or(StoreError::NotFound("body"))
    }

    /// A body's id from its code, for commands that name bodies as people do.
    pub async fn body_id_by_code(&self, partnership_id: i64, code: &str) -> Result<Option<i64>> {
        Ok(crate::on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT id FROM bodies WHERE partnership_id = $1 AND code = $2"
        )
        .bind(partnership_id)
        .bind(code)
        .fetch_optional(pool)
        .await?))
    }
}
