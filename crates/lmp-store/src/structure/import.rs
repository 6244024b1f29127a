//! The bodies and seats files (see `lmp_core::body_import`): streaming, one
//! transaction, the same file twice changes nothing, the first bad row stops
//! it with `file:line:column: reason` and nothing is written.
//!
//! A seats file adds to what is stored: a seat it does not name is left as
//! it is (people who leave are the people file's to end, by an HR sync). A
//! body it leaves without a labor or a management co-lead is accepted and
//! reported, as the dashboard flags it.

use super::BodyRecord;
use crate::audit::{AuditAppend, Change};
use crate::bulk::{BulkInsert, Value};
use crate::import::{csv_records, import_error, placed, require_import, ImportReport, Record};
use crate::{in_tx, Result, Store, StoreError};
use futures::TryStreamExt;
use jiff::civil::Date;
use lmp_core::body::{check_new_seat, missing_co_leads, BodyLevel, BodyRole, Seat as CoreSeat, SeatError};
use lmp_core::body_import::{parse_body_row, parse_seat_row, BODY_COLUMNS, SEAT_COLUMNS};
use lmp_core::decision::DecisionMode;
use lmp_core::language::Language;
use lmp_core::org::UnitKind;
use lmp_core::person::PersonKind;
use lmp_core::policy::Permit;
use lmp_core::refuse;
use lmp_core::Side;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::io::Read;

/// How many audit entries to gather before writing them.
const BATCH: usize = 10_000;

/// What a bodies or seats import did, and the bodies it left without a
/// co-lead on a side.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StructureReport {
    #[serde(flatten)]
    pub counts: ImportReport,
    pub missing_co_lead: Vec<MissingCoLead>,
}

/// A body the file names that has no co-lead for a required side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingCoLead {
    pub code: String,
    pub missing: Vec<Side>,
}

struct StoredBody {
    id: i64,
    level: BodyLevel,
    name: String,
    unit_id: Option<i64>,
    parent_id: Option<i64>,
    decides: String,
    closed_on: Option<String>,
}

/// A seat's identity: body, person, role, side.
type SeatKey = (i64, i64, BodyRole, Side);

#[derive(Serialize)]
struct SpellRecord<'a> {
    employee_no: &'a str,
    role: &'a str,
    side: &'a str,
    from: Option<String>,
    to: Option<String>,
}

impl Store {
    /// Import a bodies file (see [`BODY_COLUMNS`]).
    pub async fn import_bodies<R: Read + Send>(
        &self,
        permit: &Permit,
        file: &str,
        reader: R,
    ) -> Result<StructureReport> {
        let partnership_id = require_import(permit)?;
        let actor = permit.actor().username.clone();
        let (columns, records) = csv_records(file, reader, &BODY_COLUMNS)?;
        let unit_column = columns.column("unit_code");
        let parent_column = columns.column("parent_code");
        let report = in_tx!(self, |tx| {
            let units: HashMap<String, (i64, UnitKind, String)> = sqlx::query_as::<_, (i64, String, String)>(
                "SELECT id, code, kind FROM units WHERE partnership_id = $1",
            )
            .bind(partnership_id)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .filter_map(|(id, code, kind)| Some((code.clone(), (id, kind.parse().ok()?, code))))
            .collect();
            let mut bodies: HashMap<String, StoredBody> = HashMap::new();
            let mut code_of: HashMap<i64, String> = HashMap::new();
            for (id, code, level, name, unit_id, parent_id, decides, closed_on) in sqlx::query_as::<
                _,
                (i64, String, String, String, Option<i64>, Option<i64>, String, Option<String>),
            >(
                "SELECT id, code, level, name, unit_id, parent_id, decision_mode, closed_on FROM bodies WHERE partnership_id = $1",
            )
            .bind(partnership_id)
            .fetch_all(&mut *tx)
            .await?
            {
                let level = level.parse::<BodyLevel>().map_err(StoreError::Rule)?;
                code_of.insert(id, code.clone());
                bodies.insert(
                    code,
                    StoredBody {
                        id,
                        level,
                        name,
                        unit_id,
                        parent_id,
                        decides,
                        closed_on,
                    },
                );
            }
            let unit_code_of: HashMap<i64, &str> = units.values().map(|(id, _, code)| (*id, code.as_str())).collect();
            let mut seen: HashMap<String, u64> = HashMap::new();
            let mut report = StructureReport::default();
            let mut changes: Vec<Change> = Vec::new();
            let mut named: Vec<String> = Vec::new();
            for record in records {
                let (line, record): Record = record?;
                let fields: Vec<&str> = record.iter().collect();
                let row = parse_body_row(&columns, &fields).map_err(|e| placed(file, line, e))?;
                report.counts.rows += 1;
                if let Some(first) = seen.insert(row.code.clone(), line) {
                    return Err(import_error(
                        file,
                        line,
                        columns.column("code"),
                        crate::import::given_twice("code", &row.code, first),
                    ));
                }
                let unit_id = match &row.unit_code {
                    None => None,
                    Some(code) => match units.get(code) {
                        Some((id, kind, _)) if kind.is_employer_unit() => Some(*id),
                        Some((_, kind, _)) => {
                            return Err(import_error(
                                file,
                                line,
                                unit_column,
                                refuse!(
                                "{code:?} is a {kind}: a body belongs to a region, facility or department",
                                "{code:?} es «{kind}»: un órgano pertenece a una región, un centro o un departamento"
                            ),
                            ))
                        }
                        None => {
                            return Err(import_error(
                                file,
                                line,
                                unit_column,
                                refuse!(
                                "{code:?} is not a unit of this partnership: import the org file first",
                                "{code:?} no es una unidad de esta alianza: importe primero el archivo de organización"
                            ),
                            ))
                        }
                    },
                };
                let parent = match &row.parent_code {
                    None => None,
                    Some(code) => {
                        let parent = bodies.get(code).ok_or_else(|| {
                            import_error(
                                file,
                                line,
                                parent_column,
                                refuse!("parent_code {code:?} is not a body of this partnership nor an earlier row of this file", "parent_code {code:?} no es un órgano de esta alianza ni una fila anterior de este archivo"),
                            )
                        })?;
                        if parent.closed_on.is_some() {
                            return Err(import_error(
                                file,
                                line,
                                parent_column,
                                refuse!(
                                    "{code} is closed: a body cannot hang under it",
                                    "{code} está cerrado: ningún órgano puede depender de él"
                                ),
                            ));
                        }
                        Some((parent.id, parent.level))
                    }
                };
                row.level
                    .check_parent(parent.map(|(_, level)| level))
                    .map_err(|reason| import_error(file, line, parent_column, reason))?;
                let parent_id = parent.map(|(id, _)| id);
                let after = BodyRecord {
                    level: row.level.as_str(),
                    name: &row.name,
                    unit_code: row.unit_code.as_deref(),
                    parent_code: row.parent_code.as_deref(),
                    decides: row.decides.as_str(),
                };
                named.push(row.code.clone());
                match bodies.get_mut(&row.code) {
                    Some(stored) if stored.level != row.level => {
                        return Err(import_error(file, line, columns.column("level"), {
                            let code = &row.code;
                            let (level, level_es) = (
                                stored.level.label().to_lowercase(),
                                stored.level.label_in(Language::Spanish),
                            );
                            refuse!(
                                    "{code} is stored as a {level}; a body's level cannot change: close it and create another",
                                    "{code} está guardado como «{level_es}»; el nivel de un órgano no puede cambiar: ciérrelo y cree otro"
                                )
                        }))
                    }
                    Some(stored) if stored.decides != row.decides.as_str() => {
                        let stored_mode = stored.decides.parse::<DecisionMode>().ok();
                        let mode = stored_mode.map_or("its own rule", |m| m.label()).to_lowercase();
                        let mode_es = stored_mode
                            .map_or("su propia regla", |m| m.label_in(Language::Spanish))
                            .to_lowercase();
                        let code = &row.code;
                        return Err(import_error(
                            file,
                            line,
                            columns.column("decides"),
                            refuse!(
                                "{code} {mode}: an existing body's decision rules change only with two keys (ask for the change on the Changes page)",
                                "{code} {mode_es}: las reglas de decisión de un órgano existente solo cambian con dos llaves (pida el cambio en la página de Cambios)"
                            ),
                        ));
                    }
                    Some(stored)
                        if stored.name == row.name && stored.unit_id == unit_id && stored.parent_id == parent_id =>
                    {
                        report.counts.unchanged += 1
                    }
                    Some(stored) => {
                        if let Some(closed_on) = &stored.closed_on {
                            return Err(import_error(file, line, columns.column("code"), {
                                let code = &row.code;
                                refuse!(
                                    "{code} closed on {closed_on}: it stays as it closed",
                                    "{code} cerró el {closed_on}: queda como estaba al cerrar"
                                )
                            }));
                        }
                        let before_parent = stored.parent_id.and_then(|id| code_of.get(&id)).cloned();
                        let before = BodyRecord {
                            level: stored.level.as_str(),
                            name: &stored.name,
                            unit_code: stored.unit_id.and_then(|id| unit_code_of.get(&id).copied()),
                            parent_code: before_parent.as_deref(),
                            decides: &stored.decides,
                        };
                        changes.push(
                            Change::new("body.update", "body", &row.code)
                                .before(&before)
                                .after(&after),
                        );
                        sqlx::query("UPDATE bodies SET name = $1, unit_id = $2, parent_id = $3 WHERE id = $4")
                            .bind(&row.name)
                            .bind(unit_id)
                            .bind(parent_id)
                            .bind(stored.id)
                            .execute(&mut *tx)
                            .await?;
                        stored.name = row.name.clone();
                        stored.unit_id = unit_id;
                        stored.parent_id = parent_id;
                        report.counts.updated += 1;
                    }
                    None => {
                        let id: i64 = sqlx::query_scalar(
                            "INSERT INTO bodies (partnership_id, code, level, name, unit_id, parent_id, decision_mode) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                        )
                        .bind(partnership_id)
                        .bind(&row.code)
                        .bind(row.level.as_str())
                        .bind(&row.name)
                        .bind(unit_id)
                        .bind(parent_id)
                        .bind(row.decides.as_str())
                        .fetch_one(&mut *tx)
                        .await?;
                        changes.push(Change::new("body.create", "body", &row.code).after(&after));
                        code_of.insert(id, row.code.clone());
                        bodies.insert(
                            row.code.clone(),
                            StoredBody {
                                id,
                                level: row.level,
                                name: row.name.clone(),
                                unit_id,
                                parent_id,
                                decides: row.decides.as_str().to_string(),
                                closed_on: None,
                            },
                        );
                        report.counts.inserted += 1;
                    }
                }
                if changes.len() >= BATCH {
                    tx.append_audit(partnership_id, &actor, std::mem::take(&mut changes))
                        .await?;
                }
            }
            tx.append_audit(partnership_id, &actor, changes).await?;
            let mut co_leads: HashMap<i64, Vec<CoreSeat>> = HashMap::new();
            {
                let mut rows = sqlx::query_as::<_, (i64, i64, String)>(
                    "SELECT body_id, person_id, side FROM seats WHERE partnership_id = $1 AND role = 'co_lead'",
                )
                .bind(partnership_id)
                .fetch(&mut *tx);
                while let Some((body, person_id, side)) = rows.try_next().await? {
                    if let Ok(side) = side.parse() {
                        co_leads.entry(body).or_default().push(CoreSeat {
                            person_id,
                            role: BodyRole::CoLead,
                            side,
                        });
                    }
                }
            }
            report.missing_co_lead = named
                .into_iter()
                .filter_map(|code| {
                    let body = bodies.get(&code)?;
                    if body.closed_on.is_some() {
                        return None;
                    }
                    let seats = co_leads.get(&body.id).map(Vec::as_slice).unwrap_or(&[]);
                    let missing = missing_co_leads(seats);
                    (!missing.is_empty()).then_some(MissingCoLead { code, missing })
                })
                .collect();
            report
        });
        Ok(report)
    }

    /// Import a seats file (see [`SEAT_COLUMNS`]); `today` bounds its dates.
    pub async fn import_seats<R: Read + Send>(
        &self,
        permit: &Permit,
        file: &str,
        reader: R,
        today: Date,
    ) -> Result<StructureReport> {
        let partnership_id = require_import(permit)?;
        let actor = permit.actor().username.clone();
        let (columns, records) = csv_records(file, reader, &SEAT_COLUMNS)?;
        let body_column = columns.column("body_code");
        let person_column = columns.column("employee_no");
        let role_column = columns.column("role");
        let side_column = columns.column("side");
        let report = in_tx!(self, |tx| {
            let bodies: HashMap<String, (i64, Option<String>)> = sqlx::query_as::<_, (i64, String, Option<String>)>(
                "SELECT id, code, closed_on FROM bodies WHERE partnership_id = $1",
            )
            .bind(partnership_id)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|(id, code, closed_on)| (code, (id, closed_on)))
            .collect();
            let mut people: HashMap<String, (i64, PersonKind)> = HashMap::new();
            {
                let mut rows = sqlx::query_as::<_, (i64, String, String)>(
                    "SELECT id, employee_no, kind FROM people WHERE partnership_id = $1",
                )
                .bind(partnership_id)
                .fetch(&mut *tx);
                while let Some((id, employee_no, kind)) = rows.try_next().await? {
                    let kind = kind.parse::<PersonKind>().map_err(StoreError::Rule)?;
                    people.insert(employee_no, (id, kind));
                }
            }
            // Seats held now, by body for the rules, and by identity.
            let mut held: HashMap<i64, Vec<CoreSeat>> = HashMap::new();
            let mut current: HashMap<SeatKey, (i64, Option<String>)> = HashMap::new();
            {
                let mut rows = sqlx::query_as::<_, (i64, i64, i64, String, String, Option<String>)>(
                    "SELECT id, body_id, person_id, role, side, started_on FROM seats WHERE partnership_id = $1",
                )
                .bind(partnership_id)
                .fetch(&mut *tx);
                while let Some((id, body, person_id, role, side, started_on)) = rows.try_next().await? {
                    let Some(seat) = crate::bodies::core_seat(person_id, &role, &side) else {
                        continue;
                    };
                    held.entry(body).or_default().push(seat);
                    current.insert((body, person_id, seat.role, seat.side), (id, started_on));
                }
            }
            // Seats that ended, by identity and first day.
            let mut past: HashMap<(SeatKey, Option<String>), (i64, String)> = HashMap::new();
            {
                let mut rows = sqlx::query_as::<_, (i64, i64, i64, String, String, Option<String>, String)>(
                    "SELECT id, body_id, person_id, role, side, started_on, ended_on FROM past_seats WHERE partnership_id = $1",
                )
                .bind(partnership_id)
                .fetch(&mut *tx);
                while let Some((id, body, person_id, role, side, started_on, ended_on)) = rows.try_next().await? {
                    let Some(seat) = crate::bodies::core_seat(person_id, &role, &side) else {
                        continue;
                    };
                    past.insert(((body, person_id, seat.role, seat.side), started_on), (id, ended_on));
                }
            }

            let mut report = StructureReport::default();
            let mut seen: HashMap<(SeatKey, Option<Date>), u64> = HashMap::new();
            let mut touched: Vec<(String, i64)> = Vec::new();
            let mut touched_set: HashSet<i64> = HashSet::new();
            let mut new_seats: Vec<Vec<Value>> = Vec::new();
            let mut new_past: Vec<Vec<Value>> = Vec::new();
            let mut new_spells: Vec<Vec<Value>> = Vec::new();
            let mut started: Vec<(i64, String)> = Vec::new();
            let mut ended: Vec<(i64, String)> = Vec::new();
            let mut past_ends: Vec<(i64, String)> = Vec::new();
            let mut changes: Vec<Change> = Vec::new();
            for record in records {
                let (line, record): Record = record?;
                let fields: Vec<&str> = record.iter().collect();
                let row = parse_seat_row(&columns, &fields, today).map_err(|e| placed(file, line, e))?;
                report.counts.rows += 1;
                let (body_id, closed_on) = bodies.get(&row.body_code).cloned().ok_or_else(|| {
                    import_error(file, line, body_column, {
                        let code = &row.body_code;
                        refuse!(
                            "{code:?} is not a body of this partnership: import the bodies file first",
                            "{code:?} no es un órgano de esta alianza: importe primero el archivo de órganos"
                        )
                    })
                })?;
                let (person_id, kind) = *people.get(&row.employee_no).ok_or_else(|| {
                    import_error(file, line, person_column, crate::import::not_a_person(&row.employee_no))
                })?;
                if !kind.may_act_for(row.side) {
                    return Err(import_error(
                        file,
                        line,
                        side_column,
                        SeatError::WrongSide { kind, side: row.side }.into(),
                    ));
                }
                let key: SeatKey = (body_id, person_id, row.role, row.side);
                if let Some(first) = seen.insert((key, row.from), line) {
                    return Err(import_error(
                        file,
                        line,
                        body_column,
                        refuse!(
                            "this seat from the same day appears twice (first on line {first})",
                            "este puesto del mismo día aparece dos veces (la primera en la línea {first})"
                        ),
                    ));
                }
                if touched_set.insert(body_id) {
                    touched.push((row.body_code.clone(), body_id));
                }
                let from = row.from.map(|d| d.to_string());
                let to = row.to.map(|d| d.to_string());
                let spell = SpellRecord {
                    employee_no: &row.employee_no,
                    role: row.role.as_str(),
                    side: row.side.as_str(),
                    from: from.clone(),
                    to: to.clone(),
                };
                let held_now = current.get(&key).cloned();
                // A seat that ended is the one held now when their first days agree.
                let same_spell =
                    |started_on: &Option<String>| from.is_none() || started_on.is_none() || *started_on == from;
                match (&to, held_now) {
                    (_, Some((0, _))) => {
                        return Err(import_error(
                            file,
                            line,
                            body_column,
                            refuse!("an earlier row of this file already seats this person here with no end: give each seat once", "una fila anterior de este archivo ya sienta a esta persona aquí sin fecha de fin: dé cada puesto una vez")));
                    }
                    // Held now, as the file says.
                    (None, Some((seat_id, started_on))) => {
                        if from.is_some() && started_on != from {
                            started.push((seat_id, from.clone().unwrap_or_default()));
                            current.insert(key, (seat_id, from.clone()));
                            changes.push(Change::new("seat.dates", "body", &row.body_code).after(&spell));
                            report.counts.updated += 1;
                        } else {
                            report.counts.unchanged += 1;
                        }
                    }
                    // A new seat held now.
                    (None, None) => {
                        if let Some(closed_on) = &closed_on {
                            return Err(import_error(file, line, body_column, {
                                let code = &row.body_code;
                                refuse!(
                                    "{code} closed on {closed_on}: a closed body takes no new seats",
                                    "{code} cerró el {closed_on}: un órgano cerrado no admite puestos nuevos"
                                )
                            }));
                        }
                        let wanted = CoreSeat {
                            person_id,
                            role: row.role,
                            side: row.side,
                        };
                        let seats = held.entry(body_id).or_default();
                        check_new_seat(seats, wanted, kind).map_err(|e| {
                            let column = match e {
                                SeatError::WrongSide { .. } => side_column,
                                _ => role_column,
                            };
                            import_error(file, line, column, e.into())
                        })?;
                        seats.push(wanted);
                        current.insert(key, (0, from.clone()));
                        new_seats.push(vec![
                            Value::Int(partnership_id),
                            Value::Int(body_id),
                            Value::Int(person_id),
                            Value::Text(row.role.as_str().into()),
                            Value::Text(row.side.as_str().into()),
                            from.clone().into(),
                        ]);
                        changes.push(Change::new("seat.add", "body", &row.body_code).after(&spell));
                        report.counts.inserted += 1;
                    }
                    // Held now; the file says it ended.
                    (Some(to), Some((seat_id, started_on))) if same_spell(&started_on) => {
                        ended.push((seat_id, to.clone()));
                        current.remove(&key);
                        if let Some(seats) = held.get_mut(&body_id) {
                            seats.retain(|s| !(s.person_id == person_id && s.role == row.role && s.side == row.side));
                        }
                        changes.push(Change::new("seat.end", "body", &row.body_code).after(&spell));
                        report.counts.updated += 1;
                    }
                    // A seat that ended, as history.
                    (Some(to), _) => match past.get(&(key, from.clone())) {
                        Some((_, ended_on)) if ended_on == to => report.counts.unchanged += 1,
                        Some((past_id, _)) => {
                            past_ends.push((*past_id, to.clone()));
                            changes.push(Change::new("seat.dates", "body", &row.body_code).after(&spell));
                            report.counts.updated += 1;
                        }
                        None => {
                            new_past.push(vec![
                                Value::Int(partnership_id),
                                Value::Int(body_id),
                                Value::Int(person_id),
                                Value::Text(row.role.as_str().into()),
                                Value::Text(row.side.as_str().into()),
                                from.clone().into(),
                                Value::Text(to.clone()),
                            ]);
                            if let (BodyRole::CoLead, Some(from)) = (row.role, &from) {
                                new_spells.push(vec![
                                    Value::Int(partnership_id),
                                    Value::Int(body_id),
                                    Value::Int(person_id),
                                    Value::Text(row.side.as_str().into()),
                                    Value::Text(super::day_start(from)),
                                    Value::Text(super::day_start(to)),
                                ]);
                            }
                            past.insert((key, from.clone()), (0, to.clone()));
                            changes.push(Change::new("seat.history", "body", &row.body_code).after(&spell));
                            report.counts.inserted += 1;
                        }
                    },
                }
                if changes.len() >= BATCH {
                    tx.append_audit(partnership_id, &actor, std::mem::take(&mut changes))
                        .await?;
                }
            }

            // Seats that end on the file's days, kept as past seats: those
            // of one day together, 500 at a time.
            let mut ending_on: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
            for (seat_id, to) in &ended {
                ending_on.entry(to.as_str()).or_default().push(seat_id.to_string());
            }
            for (to, seat_ids) in &ending_on {
                for chunk in seat_ids.chunks(500) {
                    super::end_seats!(tx, partnership_id, &format!("id IN ({})", chunk.join(",")), to);
                }
            }
            for (past_id, to) in &past_ends {
                sqlx::query("UPDATE past_seats SET ended_on = $1 WHERE id = $2")
                    .bind(to)
                    .bind(past_id)
                    .execute(&mut *tx)
                    .await?;
            }
            for (seat_id, from) in &started {
                sqlx::query("UPDATE seats SET started_on = $1 WHERE id = $2")
                    .bind(from)
                    .bind(seat_id)
                    .execute(&mut *tx)
                    .await?;
            }
            // New co-lead seats open a spell by trigger, dated now; the
            // file's first day is the one that counts.
            let spells_before: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM co_lead_spells")
                .fetch_one(&mut *tx)
                .await?;
            tx.insert_rows(
                "seats",
                &["partnership_id", "body_id", "person_id", "role", "side", "started_on"],
                &new_seats,
            )
            .await?;
            sqlx::query(
                "UPDATE co_lead_spells SET started_at = (SELECT s.started_on || 'T00:00:00Z' FROM seats s \
                   WHERE s.body_id = co_lead_spells.body_id AND s.person_id = co_lead_spells.person_id \
                   AND s.side = co_lead_spells.side AND s.role = 'co_lead') \
                 WHERE partnership_id = $1 AND id > $2 AND EXISTS (SELECT 1 FROM seats s \
                   WHERE s.body_id = co_lead_spells.body_id AND s.person_id = co_lead_spells.person_id \
                   AND s.side = co_lead_spells.side AND s.role = 'co_lead' AND s.started_on IS NOT NULL)",
            )
            .bind(partnership_id)
            .bind(spells_before)
            .execute(&mut *tx)
            .await?;
            tx.insert_rows(
                "past_seats",
                &[
                    "partnership_id",
                    "body_id",
                    "person_id",
                    "role",
                    "side",
                    "started_on",
                    "ended_on",
                ],
                &new_past,
            )
            .await?;
            tx.insert_rows(
                "co_lead_spells",
                &[
                    "partnership_id",
                    "body_id",
                    "person_id",
                    "side",
                    "started_at",
                    "ended_at",
                ],
                &new_spells,
            )
            .await?;
            tx.append_audit(partnership_id, &actor, changes).await?;
            report.missing_co_lead = touched
                .into_iter()
                .filter_map(|(code, body_id)| {
                    let (_, closed_on) = bodies.get(&code)?;
                    if closed_on.is_some() {
                        return None;
                    }
                    let missing = missing_co_leads(held.get(&body_id).map(Vec::as_slice).unwrap_or(&[]));
                    (!missing.is_empty()).then_some(MissingCoLead { code, missing })
                })
                .collect();
            report
        });
        // Co-leads and sponsors came or went: the teams' levels follow.
        if report.counts.inserted + report.counts.updated > 0 {
            self.rerate_all_teams(partnership_id).await?;
        }
        Ok(report)
    }
}
