//! Employment and Income Security: displacements and the alternatives
//! looked at first, the transition pool, the vacancies, placement runs and
//! the proposals both sides' representatives accept.
//!
//! `mod`: the rules, the representatives, displacements and their
//! alternatives; `pool`: workers into the pool and vacancies posted (by
//! hand, file or API); `runs`: placement over the whole pool, proposals
//! with their explanations, joint acceptance, declines, and the board;
//! `files`: the solver's files, which need no database.

pub mod files;
pub mod pool;
pub mod runs;

use crate::audit::{AuditAppend, Change};
use crate::{in_tx, on_pool, require, Result, Store, StoreError};
use jiff::civil::Date;
use lmp_core::eis::rules::{Alternative, EisRules, Reason};
use lmp_core::policy::{Action, Denied, Permit};
use lmp_core::refuse;
use lmp_core::two_key::Keys;
use lmp_core::Side;
use serde::Serialize;

/// An EIS representative and the side they speak for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Representative {
    pub person_id: i64,
    pub name: String,
    pub side: String,
}

/// A displacement to record: a unit, why, when announced and when it takes effect.
#[derive(Debug, Clone)]
pub struct NewDisplacement {
    pub unit_code: String,
    pub reason: Reason,
    pub description: String,
    pub announced_on: Date,
    pub effective_on: Date,
}

/// One alternative and what was found.
#[derive(Debug, Clone, Serialize)]
pub struct AlternativeFinding {
    pub alternative: String,
    pub label: String,
    pub finding: Option<String>,
    pub recorded_by: Option<String>,
}

/// A displacement as the pages and API show it.
#[derive(Debug, Clone, Serialize)]
pub struct Displacement {
    pub id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub reason: String,
    pub reason_label: String,
    pub description: String,
    pub announced_on: String,
    pub effective_on: String,
    pub notice_days: i64,
    pub alternatives: Vec<AlternativeFinding>,
    pub labor_confirmed_by: Option<String>,
    pub management_confirmed_by: Option<String>,
    /// Both sides confirmed the alternatives: workers may enter the pool.
    pub pool_open: bool,
    pub workers: i64,
}

/// (id, unit code, unit name, reason, description, announced, effective,
/// labor confirmer, management confirmer, workers)
type DisplacementRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
);

const DISPLACEMENT_SELECT: &str =
    "SELECT e.id, u.code, u.name, e.reason, e.description, e.announced_on, e.effective_on, \
     lp.name, mp.name, (SELECT COUNT(*) FROM eis_pool w WHERE w.event_id = e.id) \
     FROM eis_events e JOIN units u ON u.id = e.unit_id \
     LEFT JOIN people lp ON lp.id = e.labor_confirmed_by LEFT JOIN people mp ON mp.id = e.management_confirmed_by";

pub(crate) fn parse_date(text: &str) -> Date {
    text.parse().unwrap_or_default()
}

impl Store {
    pub async fn eis_rules(&self, partnership_id: i64) -> Result<EisRules> {
        let json: Option<String> = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT rules_json FROM eis_rules WHERE partnership_id = $1"
        )
        .bind(partnership_id)
        .fetch_optional(pool)
        .await?);
        match json {
            Some(json) => EisRules::parse(&json).map_err(|e| {
                StoreError::Rule(e.after(
                    "the stored EIS rules are unusable",
                    "las reglas del EIS guardadas no sirven",
                ))
            }),
            None => Ok(EisRules::default()),
        }
    }

    /// Agree new EIS rules; the old and new sets are audited. Displacements
    /// already recorded keep the rule of the day they were announced.
    pub async fn set_eis_rules(&self, permit: &Permit, rules: &EisRules) -> Result<()> {
        let pid = require(permit, |a| matches!(a, Action::ConfigureRules))?;
        rules.check().map_err(StoreError::Rule)?;
        let actor = permit.actor().username.clone();
        let before = self.eis_rules(pid).await?;
        let json = crate::json_of(rules)?;
        in_tx!(self, |tx| {
            sqlx::query(
                "INSERT INTO eis_rules (partnership_id, rules_json, changed_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (partnership_id) DO UPDATE SET rules_json = excluded.rules_json, changed_at = excluded.changed_at",
            )
            .bind(pid)
            .bind(&json)
            .bind(crate::now_text())
            .execute(&mut *tx)
            .await?;
            let change = Change::new("eis.rules", "partnership", pid)
                .before(&before)
                .after(rules);
            tx.append_audit(pid, &actor, vec![change]).await?;
        });
        Ok(())
    }

    /// Name an EIS representative for a side, by employee number.
    pub async fn add_eis_representative(&self, permit: &Permit, employee_no: &str) -> Result<Representative> {
        let Action::ChangeSeat { side } = permit.action() else {
            return Err(StoreError::Denied(Denied::Forbidden));
        };
        let pid = permit.actor().partnership_id;
        let (person_id, name) = self
            .person_for_side(pid, employee_no, side, ("EIS representative", "representante del EIS"))
            .await?;
        if !matches!(side, Side::Labor | Side::Management) {
            let side_es = side.label_in(lmp_core::language::Language::Spanish);
            return Err(StoreError::Rule(refuse!(
                "{name} cannot be a {side} EIS representative",
                "{name} no puede ser representante del EIS por la parte «{side_es}»"
            )));
        }
        if self.eis_representative_side(pid, person_id).await?.is_some() {
            return Err(StoreError::Rule(refuse!(
                "{name} is already an EIS representative",
                "{name} ya es representante del EIS"
            )));
        }
        let actor = permit.actor().username.clone();
        in_tx!(self, |tx| {
            sqlx::query("INSERT INTO eis_representatives (partnership_id, person_id, side) VALUES ($1, $2, $3)")
                .bind(pid)
                .bind(person_id)
                .bind(side.as_str())
                .execute(&mut *tx)
                .await?;
            let change = Change::new("eis.representative.add", "person", person_id)
                .after(&serde_json::json!({"side": side.as_str()}));
            tx.append_audit(pid, &actor, vec![change]).await?;
        });
        Ok(Representative {
            person_id,
            name,
            side: side.as_str().to_string(),
        })
    }

    pub async fn eis_representatives(&self, partnership_id: i64) -> Result<Vec<Representative>> {
        let rows: Vec<(i64, String, String)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT r.person_id, p.name, r.side FROM eis_representatives r JOIN people p ON p.id = r.person_id \
             WHERE r.partnership_id = $1 ORDER BY r.side, p.name"
        )
        .bind(partnership_id)
        .fetch_all(pool)
        .await?);
        Ok(rows
            .into_iter()
            .map(|(person_id, name, side)| Representative { person_id, name, side })
            .collect())
    }

    /// The side a person is an EIS representative for, if any.
    pub async fn eis_representative_side(&self, partnership_id: i64, person_id: i64) -> Result<Option<Side>> {
        let side: Option<String> = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT side FROM eis_representatives WHERE partnership_id = $1 AND person_id = $2"
        )
        .bind(partnership_id)
        .bind(person_id)
        .fetch_optional(pool)
        .await?);
        Ok(side.and_then(|s| s.parse().ok()))
    }

    /// Record a displacement, refused unless its notice is at least the
    /// rule's (the rule in force on the day it was announced).
    pub async fn record_displacement(&self, permit: &Permit, new: &NewDisplacement) -> Result<i64> {
        let pid = require(permit, |a| matches!(a, Action::ManageEis { .. }))?;
        let description = new.description.trim();
        if description.is_empty() || description.chars().count() > 2000 {
            return Err(StoreError::Rule(refuse!(
                "say in a sentence or two what is changing (up to 2,000 characters)",
                "diga en una o dos frases qué está cambiando (hasta 2.000 caracteres)"
            )));
        }
        let rules = self.eis_rules(pid).await?;
        let rule = rules.in_force(new.announced_on);
        let earliest = rule.earliest_effect(new.announced_on);
        if new.effective_on < earliest {
            let (days, announced) = (rule.notice_days, new.announced_on);
            return Err(StoreError::Rule(refuse!(
                "notice must be at least {days} days: announced on {announced}, it can take effect on {earliest} at the earliest",
                "el aviso debe ser de al menos {days} días: anunciado el {announced}, puede entrar en vigor el {earliest} como pronto"
            )));
        }
        let unit_id: Option<i64> = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT id FROM units WHERE partnership_id = $1 AND code = $2"
        )
        .bind(pid)
        .bind(&new.unit_code)
        .fetch_optional(pool)
        .await?);
        let unit_id = unit_id.ok_or_else(|| {
            let code = &new.unit_code;
            StoreError::Rule(refuse!(
                "no unit has code {code:?}",
                "ninguna unidad tiene el código {code:?}"
            ))
        })?;
        let actor = permit.actor().username.clone();
        let id = in_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO eis_events (partnership_id, unit_id, reason, description, announced_on, effective_on, \
                 recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(pid)
            .bind(unit_id)
            .bind(new.reason.as_str())
            .bind(description)
            .bind(new.announced_on.to_string())
            .bind(new.effective_on.to_string())
            .bind(crate::now_text())
            .bind(&actor)
            .fetch_one(&mut *tx)
            .await?;
            let change = Change::new("eis.displacement", "eis_event", id).after(&serde_json::json!({
                "unit": new.unit_code, "reason": new.reason.as_str(), "description": description,
                "announced_on": new.announced_on.to_string(), "effective_on": new.effective_on.to_string(),
            }));
            tx.append_audit(pid, &actor, vec![change]).await?;
            id
        });
        Ok(id)
    }

    pub async fn eis_displacements(&self, partnership_id: i64) -> Result<Vec<Displacement>> {
        let rows: Vec<DisplacementRow> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "{DISPLACEMENT_SELECT} WHERE e.partnership_id = $1 ORDER BY e.announced_on DESC, e.id DESC"
        ))
        .bind(partnership_id)
        .fetch_all(pool)
        .await?);
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(self.displacement_from(partnership_id, row).await?);
        }
        Ok(out)
    }

    pub async fn eis_displacement(&self, partnership_id: i64, id: i64) -> Result<Displacement> {
        let row: Option<DisplacementRow> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "{DISPLACEMENT_SELECT} WHERE e.partnership_id = $1 AND e.id = $2"
        ))
        .bind(partnership_id)
        .bind(id)
        .fetch_optional(pool)
        .await?);
        let row = row.ok_or(StoreError::NotFound("displacement"))?;
        self.displacement_from(partnership_id, row).await
    }

    async fn displacement_from(&self, partnership_id: i64, row: DisplacementRow) -> Result<Displacement> {
        let (id, unit_code, unit_name, reason, description, announced_on, effective_on, labor, management, workers) =
            row;
        let found: Vec<(String, String, String)> = on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT a.alternative, a.finding, p.name FROM eis_alternatives a JOIN people p ON p.id = a.recorded_by \
             WHERE a.event_id = $1"
        )
        .bind(id)
        .fetch_all(pool)
        .await?
        });
        let rules = self.eis_rules(partnership_id).await?;
        let announced = parse_date(&announced_on);
        let rule = rules.in_force(announced);
        let alternatives = rule
            .alternatives
            .iter()
            .map(|a| {
                let row = found.iter().find(|(code, ..)| code == a.as_str());
                AlternativeFinding {
                    alternative: a.as_str().to_string(),
                    label: a.label().to_string(),
                    finding: row.map(|(_, finding, _)| finding.clone()),
                    recorded_by: row.map(|(.., name)| name.clone()),
                }
            })
            .collect();
        let reason_label = reason
            .parse::<Reason>()
            .map(|r| r.label().to_string())
            .unwrap_or_default();
        Ok(Displacement {
            id,
            unit_code,
            unit_name,
            reason_label,
            reason,
            description,
            notice_days: i64::from(announced.until(parse_date(&effective_on)).map_or(0, |s| s.get_days())),
            announced_on,
            effective_on,
            alternatives,
            pool_open: labor.is_some() && management.is_some(),
            labor_confirmed_by: labor,
            management_confirmed_by: management,
            workers,
        })
    }

    /// Record what was found when an alternative was looked at: an EIS
    /// representative of either side, in person, until both sides confirm.
    pub async fn record_alternative(
        &self,
        permit: &Permit,
        event_id: i64,
        alternative: Alternative,
        finding: &str,
        person_id: i64,
    ) -> Result<Displacement> {
        let pid = require(permit, |a| matches!(a, Action::SpeakForEis { representing: Some(_) }))?;
        let finding = finding.trim();
        if finding.is_empty() || finding.chars().count() > 2000 {
            return Err(StoreError::Rule(refuse!(
                "say what was found (up to 2,000 characters)",
                "diga qué se encontró (hasta 2.000 caracteres)"
            )));
        }
        let event = self.eis_displacement(pid, event_id).await?;
        if event.pool_open {
            return Err(StoreError::Rule(refuse!(
                "both sides have confirmed the alternatives; the record is closed",
                "ambas partes confirmaron las alternativas; el registro está cerrado"
            )));
        }
        let actor = permit.actor().username.clone();
        in_tx!(self, |tx| {
            sqlx::query(
                "INSERT INTO eis_alternatives (event_id, alternative, finding, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id, alternative) DO UPDATE \
                 SET finding = excluded.finding, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
            )
            .bind(event_id)
            .bind(alternative.as_str())
            .bind(finding)
            .bind(person_id)
            .bind(crate::now_text())
            .execute(&mut *tx)
            .await?;
            let change = Change::new("eis.alternative", "eis_event", event_id)
                .after(&serde_json::json!({"alternative": alternative.as_str(), "finding": finding}));
            tx.append_audit(pid, &actor, vec![change]).await?;
        });
        self.eis_displacement(pid, event_id).await
    }

    /// Confirm for a side that every alternative was looked at; once both
    /// sides have, the displaced workers may enter the pool.
    pub async fn confirm_alternatives(&self, permit: &Permit, event_id: i64, person_id: i64) -> Result<Displacement> {
        let Action::SpeakForEis {
            representing: Some(side),
        } = permit.action()
        else {
            return Err(StoreError::Denied(Denied::Forbidden));
        };
        let pid = permit.actor().partnership_id;
        let event = self.eis_displacement(pid, event_id).await?;
        let missing: Vec<&str> = event
            .alternatives
            .iter()
            .filter(|a| a.finding.is_none())
            .map(|a| a.label.as_str())
            .collect();
        if !missing.is_empty() {
            let missing = missing.join(", ");
            return Err(StoreError::Rule(refuse!(
                "record what was found for every alternative first: {missing} still open",
                "registre primero qué se encontró para cada alternativa: siguen abiertas {missing}"
            )));
        }
        let keys = Keys {
            labor: event.labor_confirmed_by.clone(),
            management: event.management_confirmed_by.clone(),
        };
        let crate::TurnedKey { keys, name, column } = self.turn_key(pid, person_id, side, keys).await?;
        let actor = permit.actor().username.clone();
        in_tx!(self, |tx| {
            let changed = sqlx::query(&format!(
                "UPDATE eis_events SET {column}_confirmed_by = $1, {column}_confirmed_at = $2 \
                 WHERE id = $3 AND partnership_id = $4 AND {column}_confirmed_by IS NULL"
            ))
            .bind(person_id)
            .bind(crate::now_text())
            .bind(event_id)
            .bind(pid)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed != 1 {
                return Err(StoreError::Rule(refuse!(
                    "that side confirmed meanwhile",
                    "esa parte confirmó mientras tanto"
                )));
            }
            let change = Change::new("eis.alternatives.confirm", "eis_event", event_id)
                .after(&serde_json::json!({"side": side.as_str(), "by": name, "pool_open": keys.both_turned()}));
            tx.append_audit(pid, &actor, vec![change]).await?;
        });
        self.eis_displacement(pid, event_id).await
    }
}
