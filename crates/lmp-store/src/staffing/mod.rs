//! Joint staffing in the store: nursing units, the partnership's own ratio
//! rule sets (layered on a law, only stricter), readings files taken in
//! and checked hour by hour, and compliance by unit, facility, region and
//! month with the worst hours.

pub mod compliance;
pub mod files;
pub mod plans;

use crate::audit::{AuditAppend, Change};
use crate::import::{csv_records_with, import_error, placed};
use crate::{in_tx, on_pool, require, Result, Store, StoreError};
use lmp_core::policy::{Action, Permit};
use lmp_core::refuse;
use lmp_core::staffing::check::UnitDef;
use lmp_core::staffing::hourly::UNIT_COLUMNS;
use lmp_core::staffing::layered::Layered;
use lmp_core::staffing::rules::{built_in, RuleSet};
use serde::Serialize;
use std::io::Read;

/// The rule set a unit follows when the file does not say.
pub const DEFAULT_RULE_SET: &str = "ca-title22";

/// A nursing unit as the pages and API show it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct StaffingUnit {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub facility: String,
    pub facility_name: String,
    pub region: String,
    pub unit_type: String,
    pub beds: i64,
    /// Roles counted as licensed nurses, `;`-separated.
    pub licensed_roles: String,
    pub rule_set: String,
    /// The unit-based team whose co-leads build its staffing plan.
    pub team_id: Option<i64>,
    pub team: Option<String>,
}

impl StaffingUnit {
    pub fn def(&self) -> UnitDef {
        UnitDef {
            code: self.code.clone(),
            name: self.name.clone(),
            facility: self.facility.clone(),
            region: self.region.clone(),
            unit_type: self.unit_type.clone(),
            beds: u32::try_from(self.beds).unwrap_or(0),
            licensed_roles: self.licensed_roles.split(';').map(str::to_string).collect(),
        }
    }
}

/// A unit's stored terms: id, name, facility, type, beds, licensed roles,
/// rule set, team.
type UnitTerms = (i64, String, i64, String, i64, String, String, Option<i64>);

/// What a units file changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UnitsTaken {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
}

const UNIT_SELECT: &str = "SELECT su.id, su.code, su.name, f.code AS facility, f.name AS facility_name, \
     COALESCE(r.code, '') AS region, su.unit_type, su.beds, su.licensed_roles, su.rule_set, su.team_id, t.code AS team \
     FROM staffing_units su JOIN units f ON f.id = su.facility_id LEFT JOIN units r ON r.id = f.parent_id \
     LEFT JOIN bodies t ON t.id = su.team_id";

impl Store {
    pub async fn staffing_units(&self, partnership_id: i64) -> Result<Vec<StaffingUnit>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(&format!(
            "{UNIT_SELECT} WHERE su.partnership_id = $1 ORDER BY f.code, su.code"
        ))
        .bind(partnership_id)
        .fetch_all(pool)
        .await?))
    }

    /// The built-in laws and the partnership's own rule sets.
    pub async fn staffing_rule_sets(&self, partnership_id: i64) -> Result<Vec<RuleSet>> {
        let own: Vec<(String,)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT rules_json FROM staffing_rule_sets WHERE partnership_id = $1 ORDER BY code"
        )
        .bind(partnership_id)
        .fetch_all(pool)
        .await?);
        let mut sets = built_in();
        for (json,) in own {
            sets.push(RuleSet::from_json(&json).map_err(|e| StoreError::Rule(e.into()))?);
        }
        Ok(sets)
    }

    /// A rule set by code with the laws beneath it.
    pub async fn staffing_layered(&self, partnership_id: i64, code: &str) -> Result<Layered> {
        let sets = self.staffing_rule_sets(partnership_id).await?;
        layered(&sets, code)
    }

    /// Add or replace one of the partnership's rule sets. A set layered on
    /// a law must be no looser; a built-in law cannot be replaced.
    pub async fn save_staffing_rule_set(&self, permit: &Permit, set: RuleSet) -> Result<RuleSet> {
        let pid = require(permit, |a| matches!(a, Action::ManageStaffing))?;
        set.check().map_err(|e| StoreError::Rule(e.into()))?;
        if built_in().iter().any(|law| law.code == set.code) {
            let code = &set.code;
            return Err(StoreError::Rule(refuse!(
                "{code} is built in and cannot be replaced; give your rule set its own code",
                "{code} viene incluido y no se puede reemplazar; dé a su conjunto de reglas su propio código"
            )));
        }
        let mut sets = self.staffing_rule_sets(pid).await?;
        sets.retain(|s| s.code != set.code);
        sets.push(set.clone());
        layered(&sets, &set.code)?;
        let json = set.to_json();
        let actor = permit.actor().username.clone();
        let now = crate::now_text();
        in_tx!(self, |tx| {
            let before: Option<String> =
                sqlx::query_scalar("SELECT rules_json FROM staffing_rule_sets WHERE partnership_id = $1 AND code = $2")
                    .bind(pid)
                    .bind(&set.code)
                    .fetch_optional(&mut *tx)
                    .await?;
            sqlx::query(
                "INSERT INTO staffing_rule_sets (partnership_id, code, rules_json, changed_at, changed_by) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (partnership_id, code) DO UPDATE \
                 SET rules_json = excluded.rules_json, changed_at = excluded.changed_at, changed_by = excluded.changed_by",
            )
            .bind(pid)
            .bind(&set.code)
            .bind(&json)
            .bind(&now)
            .bind(&actor)
            .execute(&mut *tx)
            .await?;
            let mut change = Change::new("staffing.rule_set", "staffing_rule_set", 0).after(&set);
            if let Some(before) = before {
                change = change.before(&serde_json::from_str::<serde_json::Value>(&before).unwrap_or_default());
            }
            tx.append_audit(pid, &actor, vec![change]).await?;
        });
        Ok(set)
    }

    /// One unit by code.
    pub async fn staffing_unit(&self, partnership_id: i64, code: &str) -> Result<StaffingUnit> {
        let unit: Option<StaffingUnit> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "{UNIT_SELECT} WHERE su.partnership_id = $1 AND su.code = $2"
        ))
        .bind(partnership_id)
        .bind(code)
        .fetch_optional(pool)
        .await?);
        unit.ok_or(StoreError::NotFound("staffing unit"))
    }

    /// Describe units from a units file (`unit,name,facility,region,unit_type,
    /// beds,licensed_roles`, optionally `team`: the unit-based team whose
    /// co-leads build its plan), all or none: each facility must be one of the
    /// partnership's hospitals or medical offices, in the region named, and
    /// each unit type one its rule set knows. A unit already described is
    /// changed to what the file says; the same file twice changes nothing.
    pub async fn import_staffing_units<R: Read>(
        &self,
        permit: &Permit,
        file: &str,
        reader: R,
        rule_set: Option<&str>,
    ) -> Result<UnitsTaken> {
        let pid = require(permit, |a| matches!(a, Action::ManageStaffing))?;
        let rule_set = rule_set.unwrap_or(DEFAULT_RULE_SET).to_string();
        let layered = self.staffing_layered(pid, &rule_set).await?;
        let today = jiff::Zoned::now().date();
        let (columns, records) = csv_records_with(file, reader, &UNIT_COLUMNS, &["team"])?;
        let teams: Vec<(i64, String)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, code FROM bodies WHERE partnership_id = $1 AND level = 'team'"
        )
        .bind(pid)
        .fetch_all(pool)
        .await?);
        let facilities: Vec<(i64, String, String, String)> = on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT f.id, f.code, f.kind, COALESCE(r.code, '') FROM units f LEFT JOIN units r ON r.id = f.parent_id \
             WHERE f.partnership_id = $1 AND f.kind IN ('hospital', 'medical_office')"
        )
        .bind(pid)
        .fetch_all(pool)
        .await?
        });
        let mut rows: Vec<(UnitDef, i64, Option<i64>)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for record in records {
            let (line, record) = record?;
            let fields: Vec<&str> = record.iter().collect();
            let unit = UnitDef::parse(&columns, &fields).map_err(|e| placed(file, line, e))?;
            let at = |name: &str| columns.column(name);
            if !seen.insert(unit.code.clone()) {
                return Err(import_error(file, line, at("unit"), unit_listed_twice(&unit.code)));
            }
            let Some((facility_id, _, _, region)) = facilities.iter().find(|f| f.1 == unit.facility) else {
                return Err(import_error(file, line, at("facility"), {
                    let facility = &unit.facility;
                    refuse!(
                        "no hospital or medical office {facility:?} in this partnership",
                        "no hay ningún hospital ni consultorio médico {facility:?} en esta alianza"
                    )
                }));
            };
            if *region != unit.region {
                return Err(import_error(file, line, at("region"), {
                    let (facility, named) = (&unit.facility, &unit.region);
                    refuse!(
                        "{facility} is in region {region}, not {named}",
                        "{facility} está en la región {region}, no en {named}"
                    )
                }));
            }
            if let Err(e) = layered.layers(&unit.unit_type, today) {
                return Err(import_error(file, line, at("unit_type"), e.into()));
            }
            let team = match columns.optional_field(&fields, "team") {
                Some((column, code)) if !code.is_empty() => {
                    let found = teams.iter().find(|(_, c)| c == code).map(|(id, _)| *id);
                    Some(found.ok_or_else(|| {
                        import_error(
                            file,
                            line,
                            column,
                            refuse!(
                                "no unit-based team {code:?} in this partnership",
                                "no hay ningún equipo de unidad {code:?} en esta alianza"
                            ),
                        )
                    })?)
                }
                _ => None,
            };
            rows.push((unit, *facility_id, team));
        }
        let actor = permit.actor().username.clone();
        let taken = in_tx!(self, |tx| {
            let mut taken = UnitsTaken::default();
            let mut changes = Vec::new();
            for (unit, facility_id, team_id) in &rows {
                let roles = unit.licensed_roles.join(";");
                let existing: Option<UnitTerms> = sqlx::query_as(
                    "SELECT id, name, facility_id, unit_type, beds, licensed_roles, rule_set, team_id FROM staffing_units \
                     WHERE partnership_id = $1 AND code = $2",
                )
                .bind(pid)
                .bind(&unit.code)
                .fetch_optional(&mut *tx)
                .await?;
                let terms = serde_json::json!({
                    "code": unit.code, "name": unit.name, "facility": unit.facility, "unit_type": unit.unit_type,
                    "beds": unit.beds, "licensed_roles": roles, "rule_set": rule_set, "team_id": team_id,
                });
                match existing {
                    Some((_, name, fid, unit_type, beds, licensed, set, team))
                        if (
                            name.as_str(),
                            fid,
                            unit_type.as_str(),
                            beds,
                            licensed.as_str(),
                            set.as_str(),
                            team,
                        ) == (
                            unit.name.as_str(),
                            *facility_id,
                            unit.unit_type.as_str(),
                            i64::from(unit.beds),
                            roles.as_str(),
                            rule_set.as_str(),
                            *team_id,
                        ) =>
                    {
                        taken.unchanged += 1;
                    }
                    Some((id, name, _, unit_type, beds, licensed, set, _)) => {
                        sqlx::query(
                            "UPDATE staffing_units SET name = $1, facility_id = $2, unit_type = $3, beds = $4, \
                             licensed_roles = $5, rule_set = $6, team_id = $8 WHERE id = $7",
                        )
                        .bind(&unit.name)
                        .bind(facility_id)
                        .bind(&unit.unit_type)
                        .bind(i64::from(unit.beds))
                        .bind(&roles)
                        .bind(&rule_set)
                        .bind(id)
                        .bind(team_id)
                        .execute(&mut *tx)
                        .await?;
                        let before = serde_json::json!({
                            "name": name, "unit_type": unit_type, "beds": beds, "licensed_roles": licensed, "rule_set": set,
                        });
                        changes.push(
                            Change::new("staffing.unit_changed", "staffing_unit", id)
                                .before(&before)
                                .after(&terms),
                        );
                        taken.changed += 1;
                    }
                    None => {
                        let id: i64 = sqlx::query_scalar(
                            "INSERT INTO staffing_units (partnership_id, code, name, facility_id, unit_type, beds, \
                             licensed_roles, rule_set, team_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                        )
                        .bind(pid)
                        .bind(&unit.code)
                        .bind(&unit.name)
                        .bind(facility_id)
                        .bind(&unit.unit_type)
                        .bind(i64::from(unit.beds))
                        .bind(&roles)
                        .bind(&rule_set)
                        .bind(team_id)
                        .fetch_one(&mut *tx)
                        .await?;
                        changes.push(Change::new("staffing.unit_added", "staffing_unit", id).after(&terms));
                        taken.added += 1;
                    }
                }
            }
            if !changes.is_empty() {
                tx.append_audit(pid, &actor, changes).await?;
            }
            taken
        });
        Ok(taken)
    }
}

/// `code` among `sets`, with the sets beneath it.
fn layered(sets: &[RuleSet], code: &str) -> Result<Layered> {
    let set = sets.iter().find(|s| s.code == code).cloned().ok_or_else(|| {
        let names: Vec<&str> = sets.iter().map(|s| s.code.as_str()).collect();
        let names = names.join(", ");
        StoreError::Rule(refuse!(
            "no rule set {code:?}; rule sets: {names}",
            "no hay ningún conjunto de reglas {code:?}; conjuntos de reglas: {names}"
        ))
    })?;
    Layered::new(set, |c| sets.iter().find(|s| s.code == c).cloned()).map_err(|e| StoreError::Rule(e.into()))
}

/// A units file names each unit once.
pub(crate) fn unit_listed_twice(code: &str) -> lmp_core::Refusal {
    refuse!("unit {code} is listed twice", "la unidad {code} aparece dos veces")
}
