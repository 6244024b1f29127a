//! `lmp import projects|measurements|savings`: each file in one
//! transaction, stopping at the first bad row with `file:line:column:
//! reason`; rows equal to what is stored change nothing, so a file imported
//! twice is a no-op. Nothing stored is silently overwritten: a measurement
//! or a claim that differs from the record is an error, and a claim is
//! corrected only by a new claim naming it.

use super::ensure_team_row;
use super::projects::{insert_project, BalancingMeasure, NewProject, ProjectRecord};
use super::savings::CURRENT_CLAIM;
use crate::audit::{AuditAppend, Change};
use crate::import::{csv_records, csv_records_with, import_error, placed, require_import, ImportReport, Record};
use crate::{in_tx, Result, Store, StoreError};
use jiff::civil::Date;
use lmp_core::import::Columns;
use lmp_core::improvement::{check_measurement, compass_points_text, MeasureRole};
use lmp_core::policy::Permit;
use lmp_core::refuse;
use lmp_core::savings::{ClaimField, NewClaim, SavingsRules};
use lmp_core::team_import::{
    parse_measurement_row, parse_project_row, parse_savings_row, MEASUREMENT_COLUMNS, PROJECT_COLUMNS,
    PROJECT_OPTIONAL, SAVINGS_COLUMNS,
};
use std::collections::HashMap;
use std::io::Read;

/// A measure met in a measurements file: its id, unit, project, and the
/// last date the file gave it (each measure's points come oldest first).
struct SeenMeasure {
    id: i64,
    unit: String,
    project_id: i64,
    last: Option<Date>,
}

/// A claim as stored: project, category, cents, period, method, corrects.
type StoredClaim = (i64, String, i64, String, String, String, Option<i64>);

/// A project as stored, for comparing with a row.
type StoredProject = (i64, i64, String, String, String, String, String, String, String, String);

impl Store {
    pub async fn import_projects<R: Read + Send>(
        &self,
        permit: &Permit,
        file: &str,
        reader: R,
        today: Date,
    ) -> Result<ImportReport> {
        let (columns, records) = csv_records_with(file, reader, &PROJECT_COLUMNS, &PROJECT_OPTIONAL)?;
        self.import_project_records(permit, file, &columns, records, today)
            .await
    }

    async fn import_project_records(
        &self,
        permit: &Permit,
        file: &str,
        columns: &Columns,
        records: impl Iterator<Item = Result<Record>> + Send,
        today: Date,
    ) -> Result<ImportReport> {
        let partnership_id = require_import(permit)?;
        let actor = permit.actor().username.clone();
        let report = in_tx!(self, |tx| {
            let mut report = ImportReport::default();
            let mut changes = Vec::new();
            let mut seen: HashMap<String, u64> = HashMap::new();
            for record in records {
                let (line, record) = record?;
                let fields: Vec<&str> = record.iter().collect();
                let row = parse_project_row(columns, &fields).map_err(|e| placed(file, line, e))?;
                report.rows += 1;
                let at = |name: &str| columns.column(name);
                if let Some(first) = seen.insert(row.code.clone(), line) {
                    return Err(import_error(
                        file,
                        line,
                        at("code"),
                        crate::import::given_twice("code", &row.code, first),
                    ));
                }
                if row.started_on > today {
                    return Err(import_error(
                        file,
                        line,
                        at("started_on"),
                        refuse!(
                            "a project cannot start in the future",
                            "un proyecto no puede empezar en el futuro"
                        ),
                    ));
                }
                let team: Option<(i64,)> =
                    sqlx::query_as("SELECT id FROM bodies WHERE partnership_id = $1 AND code = $2 AND level = 'team'")
                        .bind(partnership_id)
                        .bind(&row.team_code)
                        .fetch_optional(&mut *tx)
                        .await?;
                let team_id = team
                    .ok_or_else(|| import_error(file, line, at("team_code"), not_a_team(&row.team_code)))?
                    .0;
                let adopted_from = match &row.adopted_from {
                    None => None,
                    Some(origin) => {
                        let found: Option<(i64, i64)> =
                            sqlx::query_as("SELECT id, body_id FROM projects WHERE partnership_id = $1 AND code = $2")
                                .bind(partnership_id)
                                .bind(origin)
                                .fetch_optional(&mut *tx)
                                .await?;
                        let (origin_id, origin_team) = found.ok_or_else(|| {
                            import_error(
                                file,
                                line,
                                at("adopted_from"),
                                refuse!("adopted_from {origin:?} is not a project here nor an earlier row of this file", "adopted_from {origin:?} no es un proyecto de aquí ni una fila anterior de este archivo"),
                            )
                        })?;
                        if origin_team == team_id {
                            return Err(import_error(
                                file,
                                line,
                                at("adopted_from"),
                                refuse!(
                                    "a team adopts another team's project, not its own",
                                    "un equipo adopta el proyecto de otro equipo, no el suyo"
                                ),
                            ));
                        }
                        Some(origin_id)
                    }
                };
                let stored: Option<StoredProject> = sqlx::query_as(
                    "SELECT p.id, p.body_id, p.title, p.status, p.aim, p.how_we_know, p.change_idea, p.started_on, p.target_date, \
                     COALESCE((SELECT STRING_AGG(c.point, ';' ORDER BY c.point) FROM project_compass c WHERE c.project_id = p.id), '') \
                     FROM projects p WHERE p.partnership_id = $1 AND p.code = $2",
                )
                .bind(partnership_id)
                .bind(&row.code)
                .fetch_optional(&mut *tx)
                .await?;
                let compass = compass_points_text(&row.compass);
                match stored {
                    None => {
                        ensure_team_row!(tx, partnership_id, team_id);
                        let project = NewProject {
                            title: row.title.clone(),
                            compass: row.compass.clone(),
                            questions: row.questions.clone(),
                            goal: row.goal.clone(),
                            started_on: row.started_on,
                            balancing: row
                                .balancing
                                .iter()
                                .map(|b| BalancingMeasure {
                                    name: b.name.clone(),
                                    unit: b.unit.clone(),
                                    direction: b.direction,
                                })
                                .collect(),
                            adopted_from,
                        };
                        let (_, change) =
                            insert_project!(tx, partnership_id, team_id, &row.code, row.status, &project, today);
                        changes.push(change);
                        report.inserted += 1;
                    }
                    Some((
                        id,
                        stored_team,
                        title,
                        status,
                        aim,
                        how,
                        change_idea,
                        started_on,
                        target_date,
                        stored_compass,
                    )) => {
                        if stored_team != team_id {
                            return Err(import_error(file, line, at("team_code"), {
                                let code = &row.code;
                                refuse!(
                                    "project {code} belongs to another team; a project does not move",
                                    "el proyecto {code} pertenece a otro equipo; un proyecto no se mueve"
                                )
                            }));
                        }
                        if started_on != row.started_on.to_string() {
                            return Err(import_error(file, line, at("started_on"), {
                                let code = &row.code;
                                refuse!(
                                    "project {code} started on {started_on}; the start does not change",
                                    "el proyecto {code} empezó el {started_on}; el inicio no cambia"
                                )
                            }));
                        }
                        let main: (String, String, Option<f64>, Option<f64>) = sqlx::query_as(
                            "SELECT name, unit, baseline, target FROM measures WHERE project_id = $1 AND role = 'main'",
                        )
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await?;
                        if main.0 != row.goal.measure || main.1 != row.goal.unit {
                            let (code, measure, unit) = (&row.code, &main.0, &main.1);
                            return Err(import_error(file, line, at("measure"), refuse!(
                                "project {code} measures {measure:?} in {unit:?}; a project's main measure does not change: start a new project",
                                "el proyecto {code} mide {measure:?} en {unit:?}; la medida principal de un proyecto no cambia: empiece un proyecto nuevo"
                            )));
                        }
                        let same = title == row.title
                            && status == row.status.as_str()
                            && aim == row.questions.aim
                            && how == row.questions.how_we_know
                            && change_idea == row.questions.change_idea
                            && target_date == row.goal.target_date.to_string()
                            && lmp_core::improvement::parse_compass_points(&stored_compass)
                                .ok()
                                .as_ref()
                                == Some(&row.compass)
                            && main.2 == Some(row.goal.baseline)
                            && main.3 == Some(row.goal.target);
                        let mut new_balancing = Vec::new();
                        for b in &row.balancing {
                            let known: Option<(String,)> =
                                sqlx::query_as("SELECT unit FROM measures WHERE project_id = $1 AND name = $2")
                                    .bind(id)
                                    .bind(&b.name)
                                    .fetch_optional(&mut *tx)
                                    .await?;
                            match known {
                                Some((unit,)) if unit != b.unit => {
                                    return Err(import_error(file, line, at("balancing"), {
                                        let name = &b.name;
                                        refuse!(
                                            "{name:?} is measured in {unit:?}; its unit does not change",
                                            "{name:?} se mide en {unit:?}; su unidad no cambia"
                                        )
                                    }));
                                }
                                Some(_) => {}
                                None => new_balancing.push(b),
                            }
                        }
                        if same && new_balancing.is_empty() {
                            report.unchanged += 1;
                            continue;
                        }
                        sqlx::query(
                            "UPDATE projects SET title = $1, status = $2, aim = $3, how_we_know = $4, change_idea = $5, \
                             target_date = $6, last_documented_on = CASE WHEN last_documented_on < $7 THEN $7 ELSE last_documented_on END \
                             WHERE id = $8",
                        )
                        .bind(&row.title)
                        .bind(row.status.as_str())
                        .bind(&row.questions.aim)
                        .bind(&row.questions.how_we_know)
                        .bind(&row.questions.change_idea)
                        .bind(row.goal.target_date.to_string())
                        .bind(today.to_string())
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                        sqlx::query("UPDATE measures SET baseline = $1, target = $2, direction = $3 WHERE project_id = $4 AND role = 'main'")
                            .bind(row.goal.baseline)
                            .bind(row.goal.target)
                            .bind(row.goal.direction().as_str())
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                        if lmp_core::improvement::parse_compass_points(&stored_compass)
                            .ok()
                            .as_ref()
                            != Some(&row.compass)
                        {
                            sqlx::query("DELETE FROM project_compass WHERE project_id = $1")
                                .bind(id)
                                .execute(&mut *tx)
                                .await?;
                            for point in &row.compass {
                                sqlx::query("INSERT INTO project_compass (project_id, partnership_id, point) VALUES ($1, $2, $3)")
                                    .bind(id)
                                    .bind(partnership_id)
                                    .bind(point.as_str())
                                    .execute(&mut *tx)
                                    .await?;
                            }
                        }
                        for b in new_balancing {
                            sqlx::query(
                                "INSERT INTO measures (partnership_id, project_id, role, name, unit, direction) VALUES ($1, $2, $3, $4, $5, $6)",
                            )
                            .bind(partnership_id)
                            .bind(id)
                            .bind(MeasureRole::Balancing.as_str())
                            .bind(&b.name)
                            .bind(&b.unit)
                            .bind(b.direction.as_str())
                            .execute(&mut *tx)
                            .await?;
                        }
                        changes.push(
                            Change::new("project.update", "project", &row.code)
                                .before(&serde_json::json!({"title": title, "status": status, "compass": stored_compass, "baseline": main.2, "target": main.3, "target_date": target_date}))
                                .after(&ProjectRecord {
                                    title: &row.title,
                                    compass,
                                    measure: &row.goal.measure,
                                    unit: &row.goal.unit,
                                    baseline: row.goal.baseline,
                                    target: row.goal.target,
                                    target_date: row.goal.target_date.to_string(),
                                    adopted_from,
                                }),
                        );
                        report.updated += 1;
                    }
                }
            }
            tx.append_audit(partnership_id, &actor, changes).await?;
            report
        });
        Ok(report)
    }

    pub async fn import_measurements<R: Read + Send>(
        &self,
        permit: &Permit,
        file: &str,
        reader: R,
        today: Date,
    ) -> Result<ImportReport> {
        let (columns, records) = csv_records(file, reader, &MEASUREMENT_COLUMNS)?;
        let partnership_id = require_import(permit)?;
        let actor = permit.actor().username.clone();
        let report = in_tx!(self, |tx| {
            let mut report = ImportReport::default();
            let mut changes = Vec::new();
            let mut measures: HashMap<(String, String), SeenMeasure> = HashMap::new();
            for record in records {
                let (line, record) = record?;
                let fields: Vec<&str> = record.iter().collect();
                let row = parse_measurement_row(&columns, &fields).map_err(|e| placed(file, line, e))?;
                report.rows += 1;
                let at = |name: &str| columns.column(name);
                let key = (row.project_code.clone(), row.measure.clone());
                if !measures.contains_key(&key) {
                    let found: Option<(i64, String, i64)> = sqlx::query_as(
                        "SELECT s.id, s.unit, p.id FROM measures s JOIN projects p ON p.id = s.project_id \
                         WHERE p.partnership_id = $1 AND p.code = $2 AND s.name = $3",
                    )
                    .bind(partnership_id)
                    .bind(&row.project_code)
                    .bind(&row.measure)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let Some((id, unit, project)) = found else {
                        let names: Vec<String> = sqlx::query_scalar(
                            "SELECT s.name FROM measures s JOIN projects p ON p.id = s.project_id \
                             WHERE p.partnership_id = $1 AND p.code = $2 ORDER BY s.id",
                        )
                        .bind(partnership_id)
                        .bind(&row.project_code)
                        .fetch_all(&mut *tx)
                        .await?;
                        return Err(if names.is_empty() {
                            import_error(file, line, at("project_code"), not_a_project(&row.project_code))
                        } else {
                            import_error(file, line, at("measure"), {
                                let (code, measure, names) = (&row.project_code, &row.measure, names.join(", "));
                                refuse!(
                                    "{code} has no measure {measure:?}: its measures are {names}",
                                    "{code} no tiene la medida {measure:?}: sus medidas son {names}"
                                )
                            })
                        });
                    };
                    measures.insert(
                        key.clone(),
                        SeenMeasure {
                            id,
                            unit,
                            project_id: project,
                            last: None,
                        },
                    );
                }
                let Some(SeenMeasure {
                    id: measure_id,
                    unit,
                    project_id,
                    last,
                }) = measures.get_mut(&key)
                else {
                    continue;
                };
                // The unit first, so each refusal names its own column.
                check_measurement(unit, &row.unit, row.value, today, today)
                    .map_err(|reason| import_error(file, line, at("unit"), reason))?;
                check_measurement(unit, unit, row.value, row.taken_on, today)
                    .map_err(|reason| import_error(file, line, at("taken_on"), reason))?;
                if let Some(previous) = *last {
                    if row.taken_on <= previous {
                        let (taken_on, measure) = (row.taken_on, &row.measure);
                        return Err(import_error(file, line, at("taken_on"), refuse!(
                            "{taken_on} is out of order: {taken_on} came after {previous} for {measure:?}; list each measure's points oldest first, one a day",
                            "{taken_on} está fuera de orden: {taken_on} vino después de {previous} para {measure:?}; liste los puntos de cada medida del más antiguo al más reciente, uno por día"
                        )));
                    }
                }
                *last = Some(row.taken_on);
                let stored: Option<f64> =
                    sqlx::query_scalar("SELECT value FROM measurements WHERE measure_id = $1 AND taken_on = $2")
                        .bind(*measure_id)
                        .bind(row.taken_on.to_string())
                        .fetch_optional(&mut *tx)
                        .await?;
                match stored {
                    Some(value) if value == row.value => report.unchanged += 1,
                    Some(value) => {
                        let (measure, taken_on, says) = (&row.measure, row.taken_on, row.value);
                        return Err(import_error(file, line, at("value"), refuse!(
                            "{measure:?} is recorded as {value} on {taken_on}; this file says {says}. A measurement is not overwritten by a file",
                            "{measure:?} está registrada como {value} el {taken_on}; este archivo dice {says}. Un archivo no sobrescribe una medición"
                        )));
                    }
                    None => {
                        sqlx::query("INSERT INTO measurements (measure_id, partnership_id, taken_on, value) VALUES ($1, $2, $3, $4)")
                            .bind(*measure_id)
                            .bind(partnership_id)
                            .bind(row.taken_on.to_string())
                            .bind(row.value)
                            .execute(&mut *tx)
                            .await?;
                        sqlx::query(
                            "UPDATE projects SET last_documented_on = $1 WHERE id = $2 AND last_documented_on < $1",
                        )
                        .bind(row.taken_on.to_string())
                        .bind(*project_id)
                        .execute(&mut *tx)
                        .await?;
                        changes.push(Change::new("project.measurement", "project", &row.project_code).after(
                            &serde_json::json!({"measure": row.measure, "taken_on": row.taken_on.to_string(), "value": row.value}),
                        ));
                        report.inserted += 1;
                    }
                }
            }
            tx.append_audit(partnership_id, &actor, changes).await?;
            report
        });
        Ok(report)
    }

    pub async fn import_savings<R: Read + Send>(
        &self,
        permit: &Permit,
        file: &str,
        reader: R,
        rules: &SavingsRules,
        today: Date,
    ) -> Result<ImportReport> {
        let (columns, records) = csv_records(file, reader, &SAVINGS_COLUMNS)?;
        let partnership_id = require_import(permit)?;
        let actor = permit.actor().username.clone();
        let report = in_tx!(self, |tx| {
            let mut report = ImportReport::default();
            let mut changes = Vec::new();
            for record in records {
                let (line, record) = record?;
                let fields: Vec<&str> = record.iter().collect();
                let row = parse_savings_row(&columns, &fields).map_err(|e| placed(file, line, e))?;
                report.rows += 1;
                let at = |name: &str| columns.column(name);
                let project: Option<(i64, i64)> =
                    sqlx::query_as("SELECT id, body_id FROM projects WHERE partnership_id = $1 AND code = $2")
                        .bind(partnership_id)
                        .bind(&row.project_code)
                        .fetch_optional(&mut *tx)
                        .await?;
                let (project_id, team_id) = project
                    .ok_or_else(|| import_error(file, line, at("project_code"), not_a_project(&row.project_code)))?;
                let corrects = match &row.corrects_ref {
                    None => None,
                    Some(earlier) => {
                        let sql = format!(
                            "SELECT c.id, c.project_id, CASE WHEN {CURRENT_CLAIM} THEN 0 ELSE 1 END FROM savings_claims c \
                             WHERE c.partnership_id = $1 AND c.ref = $2"
                        );
                        let found: Option<(i64, i64, i32)> = sqlx::query_as(&sql)
                            .bind(partnership_id)
                            .bind(earlier)
                            .fetch_optional(&mut *tx)
                            .await?;
                        let (id, earlier_project, corrected) = found.ok_or_else(|| {
                            import_error(
                                file,
                                line,
                                at("corrects_ref"),
                                refuse!("corrects_ref {earlier:?} is not a claim here nor an earlier row of this file", "corrects_ref {earlier:?} no es una reclamación de aquí ni una fila anterior de este archivo"),
                            )
                        })?;
                        if earlier_project != project_id {
                            return Err(import_error(
                                file,
                                line,
                                at("corrects_ref"),
                                refuse!(
                                    "a correction belongs to the same project as the claim it corrects",
                                    "una corrección pertenece al mismo proyecto que la reclamación que corrige"
                                ),
                            ));
                        }
                        Some((id, corrected != 0))
                    }
                };
                let claim = NewClaim {
                    category: row.category,
                    amount: row.amount,
                    period_start: row.period_start,
                    period_end: row.period_end,
                    method: row.method.clone(),
                    corrects: corrects.map(|(id, _)| id),
                };
                let stored: Option<StoredClaim> = sqlx::query_as(
                    "SELECT project_id, category, amount_cents, period_start, period_end, method, corrects_id \
                     FROM savings_claims WHERE partnership_id = $1 AND ref = $2",
                )
                .bind(partnership_id)
                .bind(&row.reference)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(stored) = stored {
                    let incoming = (
                        project_id,
                        row.category.as_str().to_string(),
                        row.amount.get(),
                        row.period_start.to_string(),
                        row.period_end.to_string(),
                        row.method.clone(),
                        claim.corrects,
                    );
                    if stored == incoming {
                        report.unchanged += 1;
                        continue;
                    }
                    let reference = &row.reference;
                    return Err(import_error(file, line, at("ref"), refuse!(
                        "claim {reference} is already recorded with other values; claims are never edited: add a new claim with corrects_ref {reference}",
                        "la reclamación {reference} ya está registrada con otros valores; las reclamaciones nunca se editan: añada una nueva con corrects_ref {reference}"
                    )));
                }
                if corrects.is_some_and(|(_, corrected)| corrected) {
                    return Err(import_error(
                        file,
                        line,
                        at("corrects_ref"),
                        refuse!(
                            "that claim was already corrected; correct the latest correction instead",
                            "esa reclamación ya se corrigió; corrija la última corrección"
                        ),
                    ));
                }
                rules.check_field(&claim, today).map_err(|(field, reason)| {
                    let column = match field {
                        ClaimField::Amount => at("amount"),
                        ClaimField::Period => at("period_start"),
                        ClaimField::Method => at("method"),
                    };
                    import_error(file, line, column, reason)
                })?;
                ensure_team_row!(tx, partnership_id, team_id);
                sqlx::query(
                    "INSERT INTO savings_claims (partnership_id, ref, project_id, body_id, category, amount_cents, \
                     period_start, period_end, method, corrects_id, entered_by, entered_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                )
                .bind(partnership_id)
                .bind(&row.reference)
                .bind(project_id)
                .bind(team_id)
                .bind(row.category.as_str())
                .bind(row.amount.get())
                .bind(row.period_start.to_string())
                .bind(row.period_end.to_string())
                .bind(&row.method)
                .bind(claim.corrects)
                .bind(&actor)
                .bind(crate::now_text())
                .execute(&mut *tx)
                .await
                .map_err(|e| match StoreError::from(e) {
                    e if e.is_unique_violation() => {
                        let reference = &row.reference;
                        import_error(
                            file,
                            line,
                            at("ref"),
                            refuse!("ref {reference:?} appears twice", "ref {reference:?} aparece dos veces"),
                        )
                    }
                    e => e,
                })?;
                changes.push(Change::new(if claim.corrects.is_some() { "savings.correct" } else { "savings.claim" }, "savings", &row.reference).after(
                    &serde_json::json!({"project": row.project_code, "category": row.category.as_str(), "amount_cents": row.amount.get(),
                        "period_start": row.period_start.to_string(), "period_end": row.period_end.to_string(), "method": row.method,
                        "corrects": row.corrects_ref}),
                ));
                report.inserted += 1;
            }
            tx.append_audit(partnership_id, &actor, changes).await?;
            report
        });
        Ok(report)
    }
}

/// A file names a team the partnership does not have.
pub(crate) fn not_a_team(code: &str) -> lmp_core::Refusal {
    refuse!(
        "team_code {code:?} is not a team of this partnership",
        "team_code {code:?} no es un equipo de esta alianza"
    )
}

/// A measurements or savings file names a project the partnership does not have.
fn not_a_project(code: &str) -> lmp_core::Refusal {
    refuse!(
        "project_code {code:?} is not a project of this partnership",
        "project_code {code:?} no es un proyecto de esta alianza"
    )
}
