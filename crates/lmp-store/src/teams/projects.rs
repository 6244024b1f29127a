//! Improvement projects: the Value Compass points they serve, the three
//! Rapid Improvement Model questions, the SMART goal on the main measure,
//! balancing measures, measurements over time and tests of change.

use super::{ensure_team_row, parse_date, require_team_permit, team_code, took_part};
use crate::audit::{AuditAppend, Change};
use crate::{in_tx, on_pool, Result, Store, StoreError};
use jiff::civil::Date;
use lmp_core::improvement::{
    check_measurement, CompassPoint, Direction, MeasureRole, PdsaDecision, ProjectStatus, RimQuestions, SmartGoal,
    TestOfChange,
};
use lmp_core::policy::Permit;
use lmp_core::refuse;
use serde::Serialize;
use sqlx::FromRow;

pub const MAX_TITLE_CHARS: usize = 200;

/// A balancing measure: watched beside the main one in case it gets worse.
#[derive(Debug, Clone)]
pub struct BalancingMeasure {
    pub name: String,
    pub unit: String,
    pub direction: Direction,
}

/// A project as a team starts it.
#[derive(Debug, Clone)]
pub struct NewProject {
    pub title: String,
    pub compass: Vec<CompassPoint>,
    pub questions: RimQuestions,
    pub goal: SmartGoal,
    pub started_on: Date,
    pub balancing: Vec<BalancingMeasure>,
    /// Another team's project this one adopts (spread); its team gets credit.
    pub adopted_from: Option<i64>,
}

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Project {
    pub id: i64,
    pub code: String,
    pub team_id: i64,
    pub team_name: String,
    pub title: String,
    pub status: String,
    pub aim: String,
    pub how_we_know: String,
    pub change_idea: String,
    pub started_on: String,
    pub target_date: String,
    pub adopted_from_id: Option<i64>,
    pub adopted_from_title: Option<String>,
    pub adopted_from_team: Option<String>,
    pub last_documented_on: String,
    /// Value Compass points, `;`-separated.
    pub compass: String,
}

impl Project {
    pub fn compass_points(&self) -> Vec<CompassPoint> {
        self.compass.split(';').filter_map(|w| w.parse().ok()).collect()
    }

    pub fn status_label(&self, language: lmp_core::language::Language) -> &'static str {
        self.status
            .parse::<ProjectStatus>()
            .map_or("Unknown", |s| s.label_in(language))
    }
}

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Measure {
    pub id: i64,
    pub project_id: i64,
    /// main or balancing.
    pub role: String,
    pub name: String,
    pub unit: String,
    /// up or down: which way is better.
    pub direction: String,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
}

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Measurement {
    pub measure_id: i64,
    pub taken_on: String,
    pub value: f64,
}

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct TestRow {
    pub id: i64,
    pub project_id: i64,
    pub change: String,
    pub prediction: String,
    pub started_on: String,
    pub ended_on: Option<String>,
    pub result: String,
    pub decision: Option<String>,
    pub participants: i64,
}

const PROJECT_SELECT: &str = "SELECT p.id, p.code, p.body_id AS team_id, b.name AS team_name, p.title, p.status, \
     p.aim, p.how_we_know, p.change_idea, p.started_on, p.target_date, p.adopted_from_id, \
     o.title AS adopted_from_title, ob.name AS adopted_from_team, p.last_documented_on, \
     COALESCE((SELECT STRING_AGG(c.point, ';' ORDER BY c.point) FROM project_compass c WHERE c.project_id = p.id), '') AS compass \
     FROM projects p JOIN bodies b ON b.id = p.body_id \
     LEFT JOIN projects o ON o.id = p.adopted_from_id LEFT JOIN bodies ob ON ob.id = o.body_id";

#[derive(Serialize)]
pub(crate) struct ProjectRecord<'a> {
    pub title: &'a str,
    pub compass: String,
    pub measure: &'a str,
    pub unit: &'a str,
    pub baseline: f64,
    pub target: f64,
    pub target_date: String,
    pub adopted_from: Option<i64>,
}

/// The team a project belongs to and the project's code, confirming it is
/// in this partnership. (A macro for the reason `team_code!` is one.)
macro_rules! project_team {
    ($tx:expr, $partnership_id:expr, $project_id:expr) => {{
        let row: Option<(i64, String)> =
            sqlx::query_as("SELECT body_id, code FROM projects WHERE partnership_id = $1 AND id = $2")
                .bind($partnership_id)
                .bind($project_id)
                .fetch_optional(&mut *$tx)
                .await?;
        row.ok_or(StoreError::NotFound("project"))?
    }};
}

/// Insert a project with its compass points and measures (the main one
/// carrying the SMART goal, then the balancing ones); evaluates to its id
/// and the audit entry. For starting a project and for imports alike.
macro_rules! insert_project {
    ($tx:expr, $partnership_id:expr, $team_id:expr, $code:expr, $status:expr, $project:expr, $documented_on:expr) => {{
        let project: &NewProject = $project;
        let title = project.title.trim();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO projects (partnership_id, body_id, code, title, status, aim, how_we_know, change_idea, \
             started_on, target_date, adopted_from_id, last_documented_on, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind($partnership_id)
        .bind($team_id)
        .bind($code)
        .bind(title)
        .bind($status.as_str())
        .bind(project.questions.aim.trim())
        .bind(project.questions.how_we_know.trim())
        .bind(project.questions.change_idea.trim())
        .bind(project.started_on.to_string())
        .bind(project.goal.target_date.to_string())
        .bind(project.adopted_from)
        .bind($documented_on.to_string())
        .bind($crate::now_text())
        .fetch_one(&mut *$tx)
        .await?;
        for point in &project.compass {
            sqlx::query("INSERT INTO project_compass (project_id, partnership_id, point) VALUES ($1, $2, $3)")
                .bind(id)
                .bind($partnership_id)
                .bind(point.as_str())
                .execute(&mut *$tx)
                .await?;
        }
        let main = (
            MeasureRole::Main,
            project.goal.measure.trim(),
            project.goal.unit.trim(),
            project.goal.direction(),
            Some(project.goal.baseline),
            Some(project.goal.target),
        );
        let balancing = project.balancing.iter().map(|b| {
            (
                MeasureRole::Balancing,
                b.name.trim(),
                b.unit.trim(),
                b.direction,
                None,
                None,
            )
        });
        for (role, name, unit, direction, baseline, target) in std::iter::once(main).chain(balancing) {
            sqlx::query(
                "INSERT INTO measures (partnership_id, project_id, role, name, unit, direction, baseline, target) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind($partnership_id)
            .bind(id)
            .bind(role.as_str())
            .bind(name)
            .bind(unit)
            .bind(direction.as_str())
            .bind(baseline)
            .bind(target)
            .execute(&mut *$tx)
            .await
            .map_err(|e| match StoreError::from(e) {
                e if e.is_unique_violation() => StoreError::Rule(refuse!(
                    "two measures are named {name:?}",
                    "dos medidas se llaman {name:?}"
                )),
                e => e,
            })?;
        }
        let change = Change::new("project.create", "project", $code).after(&ProjectRecord {
            title,
            compass: lmp_core::improvement::compass_points_text(&project.compass),
            measure: &project.goal.measure,
            unit: &project.goal.unit,
            baseline: project.goal.baseline,
            target: project.goal.target,
            target_date: project.goal.target_date.to_string(),
            adopted_from: project.adopted_from,
        });
        (id, change)
    }};
}

pub(crate) use insert_project;

/// Something was recorded on the project today: it is documented.
macro_rules! touch_project {
    ($tx:expr, $project_id:expr, $today:expr) => {
        sqlx::query("UPDATE projects SET last_documented_on = $1 WHERE id = $2 AND last_documented_on < $1")
            .bind($today.to_string())
            .bind($project_id)
            .execute(&mut *$tx)
            .await?
    };
}

impl Store {
    /// Start a project for `team_id`. It gets a code from the team's own.
    pub async fn create_project(
        &self,
        permit: &Permit,
        team_id: i64,
        project: NewProject,
        today: Date,
    ) -> Result<Project> {
        require_team_permit(permit, team_id)?;
        let title = project.title.trim();
        if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
            return Err(StoreError::Rule(refuse!(
                "a project needs a title of 1 to {MAX_TITLE_CHARS} characters",
                "un proyecto necesita un título de 1 a {MAX_TITLE_CHARS} caracteres"
            )));
        }
        if project.compass.is_empty() {
            return Err(StoreError::Rule(refuse!(
                "a project serves at least one point of the Value Compass",
                "un proyecto sirve al menos a un punto de la Brújula de Valor"
            )));
        }
        project.questions.check().map_err(StoreError::Rule)?;
        project.goal.check(project.started_on).map_err(StoreError::Rule)?;
        if project.started_on > today {
            return Err(StoreError::Rule(refuse!(
                "a project cannot start in the future",
                "un proyecto no puede empezar en el futuro"
            )));
        }
        for b in &project.balancing {
            if b.name.trim().is_empty() || b.unit.trim().is_empty() {
                return Err(StoreError::Rule(refuse!(
                    "a balancing measure needs a name and a unit",
                    "una medida de equilibrio necesita un nombre y una unidad"
                )));
            }
            if b.name.trim() == project.goal.measure.trim() {
                return Err(StoreError::Rule(refuse!(
                    "a balancing measure differs from the main measure",
                    "una medida de equilibrio es distinta de la medida principal"
                )));
            }
        }
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        let id = in_tx!(self, |tx| {
            let team = team_code!(tx, partnership_id, team_id);
            ensure_team_row!(tx, partnership_id, team_id);
            if let Some(origin) = project.adopted_from {
                let (origin_team, _) = project_team!(tx, partnership_id, origin);
                if origin_team == team_id {
                    return Err(StoreError::Rule(refuse!(
                        "a team adopts another team's project, not its own",
                        "un equipo adopta el proyecto de otro equipo, no el suyo"
                    )));
                }
            }
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM projects WHERE body_id = $1")
                .bind(team_id)
                .fetch_one(&mut *tx)
                .await?;
            let code = format!("{team}-P{}", n + 1);
            let (id, change) = insert_project!(
                tx,
                partnership_id,
                team_id,
                &code,
                ProjectStatus::Planning,
                &project,
                today
            );
            tx.append_audit(partnership_id, &actor, vec![change]).await?;
            id
        });
        self.project(partnership_id, id)
            .await?
            .ok_or(StoreError::NotFound("project"))
    }

    pub async fn project(&self, partnership_id: i64, id: i64) -> Result<Option<Project>> {
        let sql = format!("{PROJECT_SELECT} WHERE p.partnership_id = $1 AND p.id = $2");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(id)
            .fetch_optional(pool)
            .await?))
    }

    pub async fn projects_of_team(&self, partnership_id: i64, team_id: i64) -> Result<Vec<Project>> {
        let sql = format!(
            "{PROJECT_SELECT} WHERE p.partnership_id = $1 AND p.body_id = $2 ORDER BY p.started_on DESC, p.id DESC"
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(team_id)
            .fetch_all(pool)
            .await?))
    }

    /// Other teams' adoptions of this project: where it spread.
    pub async fn adoptions_of(&self, partnership_id: i64, project_id: i64) -> Result<Vec<Project>> {
        let sql = format!(
            "{PROJECT_SELECT} WHERE p.partnership_id = $1 AND p.adopted_from_id = $2 ORDER BY p.started_on, p.id"
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(project_id)
            .fetch_all(pool)
            .await?))
    }

    pub async fn measures_of_project(&self, partnership_id: i64, project_id: i64) -> Result<Vec<Measure>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, project_id, role, name, unit, direction, baseline, target FROM measures \
             WHERE partnership_id = $1 AND project_id = $2 ORDER BY CASE role WHEN 'main' THEN 0 ELSE 1 END, id"
        )
        .bind(partnership_id)
        .bind(project_id)
        .fetch_all(pool)
        .await?))
    }

    /// Every measurement of every measure of a project, in date order.
    pub async fn measurements_of_project(&self, partnership_id: i64, project_id: i64) -> Result<Vec<Measurement>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT m.measure_id, m.taken_on, m.value FROM measurements m JOIN measures s ON s.id = m.measure_id \
             WHERE m.partnership_id = $1 AND s.project_id = $2 ORDER BY m.measure_id, m.taken_on"
        )
        .bind(partnership_id)
        .bind(project_id)
        .fetch_all(pool)
        .await?))
    }

    pub async fn tests_of_project(&self, partnership_id: i64, project_id: i64) -> Result<Vec<TestRow>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT t.id, t.project_id, t.change, t.prediction, t.started_on, t.ended_on, t.result, t.decision, \
             (SELECT COUNT(*) FROM test_participants x WHERE x.test_id = t.id) AS participants \
             FROM tests_of_change t WHERE t.partnership_id = $1 AND t.project_id = $2 ORDER BY t.started_on, t.id"
        )
        .bind(partnership_id)
        .bind(project_id)
        .fetch_all(pool)
        .await?))
    }

    /// Record one measurement. A second value for the same day is refused:
    /// the run chart shows one point a day.
    pub async fn add_measurement(
        &self,
        permit: &Permit,
        measure_id: i64,
        taken_on: Date,
        value: f64,
        unit: &str,
        today: Date,
    ) -> Result<()> {
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        in_tx!(self, |tx| {
            let found: Option<(i64, i64, String, String, String)> = sqlx::query_as(
                "SELECT p.body_id, p.id, p.code, s.name, s.unit FROM measures s JOIN projects p ON p.id = s.project_id \
                 WHERE s.partnership_id = $1 AND s.id = $2",
            )
            .bind(partnership_id)
            .bind(measure_id)
            .fetch_optional(&mut *tx)
            .await?;
            let (team_id, project_id, code, name, measure_unit) = found.ok_or(StoreError::NotFound("measure"))?;
            require_team_permit(permit, team_id)?;
            check_measurement(&measure_unit, unit, value, taken_on, today).map_err(StoreError::Rule)?;
            let existing: Option<f64> =
                sqlx::query_scalar("SELECT value FROM measurements WHERE measure_id = $1 AND taken_on = $2")
                    .bind(measure_id)
                    .bind(taken_on.to_string())
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some(existing) = existing {
                return Err(StoreError::Rule(refuse!(
                    "{name} already has a measurement on {taken_on} ({existing}); one point a day",
                    "{name} ya tiene una medición el {taken_on} ({existing}); un punto por día"
                )));
            }
            sqlx::query(
                "INSERT INTO measurements (measure_id, partnership_id, taken_on, value) VALUES ($1, $2, $3, $4)",
            )
            .bind(measure_id)
            .bind(partnership_id)
            .bind(taken_on.to_string())
            .bind(value)
            .execute(&mut *tx)
            .await?;
            touch_project!(tx, project_id, today);
            let change = Change::new("project.measurement", "project", &code)
                .after(&serde_json::json!({"measure": name, "taken_on": taken_on.to_string(), "value": value}));
            tx.append_audit(partnership_id, &actor, vec![change]).await?;
        });
        Ok(())
    }

    /// Start a test of change (a PDSA cycle) with the people taking part.
    pub async fn add_test_of_change(
        &self,
        permit: &Permit,
        project_id: i64,
        test: TestOfChange,
        participants: &[i64],
        today: Date,
    ) -> Result<i64> {
        test.check(today).map_err(StoreError::Rule)?;
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        let id = in_tx!(self, |tx| {
            let (team_id, code) = project_team!(tx, partnership_id, project_id);
            require_team_permit(permit, team_id)?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO tests_of_change (partnership_id, project_id, change, prediction, started_on, ended_on, \
                 result, decision, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(partnership_id)
            .bind(project_id)
            .bind(test.change.trim())
            .bind(test.prediction.trim())
            .bind(test.started_on.to_string())
            .bind(test.ended_on.map(|d| d.to_string()))
            .bind(test.result.trim())
            .bind(test.next_step.map(|d| d.as_str()))
            .bind(crate::now_text())
            .fetch_one(&mut *tx)
            .await?;
            let mut people = participants.to_vec();
            people.sort_unstable();
            people.dedup();
            for person_id in people {
                let known: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM people WHERE partnership_id = $1 AND id = $2")
                        .bind(partnership_id)
                        .bind(person_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                known.ok_or_else(|| {
                    StoreError::Rule(refuse!(
                        "person {person_id} is not in this partnership",
                        "la persona {person_id} no está en esta alianza"
                    ))
                })?;
                sqlx::query("INSERT INTO test_participants (test_id, person_id, partnership_id) VALUES ($1, $2, $3)")
                    .bind(id)
                    .bind(person_id)
                    .bind(partnership_id)
                    .execute(&mut *tx)
                    .await?;
                took_part!(tx, person_id, test.ended_on.unwrap_or(test.started_on).to_string());
            }
            touch_project!(tx, project_id, today);
            let change = Change::new("project.test_of_change", "project", &code).after(
                &serde_json::json!({"test": id, "change": test.change, "started_on": test.started_on.to_string()}),
            );
            tx.append_audit(partnership_id, &actor, vec![change]).await?;
            id
        });
        Ok(id)
    }

    /// Study and act: record how a test ended, its result and the decision.
    pub async fn finish_test_of_change(
        &self,
        permit: &Permit,
        test_id: i64,
        ended_on: Date,
        result: &str,
        decision: PdsaDecision,
        today: Date,
    ) -> Result<()> {
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        in_tx!(self, |tx| {
            let found: Option<(i64, String, String, String, Option<String>)> = sqlx::query_as(
                "SELECT t.project_id, t.change, t.prediction, t.started_on, t.ended_on FROM tests_of_change t \
                 WHERE t.partnership_id = $1 AND t.id = $2",
            )
            .bind(partnership_id)
            .bind(test_id)
            .fetch_optional(&mut *tx)
            .await?;
            let (project_id, change, prediction, started_on, ended) =
                found.ok_or(StoreError::NotFound("test of change"))?;
            let (team_id, code) = project_team!(tx, partnership_id, project_id);
            require_team_permit(permit, team_id)?;
            if ended.is_some() {
                return Err(StoreError::Rule(refuse!(
                    "this test has already ended; start a new cycle to test again",
                    "esta prueba ya terminó; empiece un ciclo nuevo para volver a probar"
                )));
            }
            let test = TestOfChange {
                change,
                prediction,
                started_on: parse_date(&started_on)?,
                ended_on: Some(ended_on),
                result: result.to_string(),
                next_step: Some(decision),
            };
            test.check(today).map_err(StoreError::Rule)?;
            sqlx::query(
                "UPDATE people SET last_took_part_on = $1 WHERE (last_took_part_on IS NULL OR last_took_part_on < $1) \
                 AND id IN (SELECT person_id FROM test_participants WHERE test_id = $2)",
            )
            .bind(ended_on.to_string())
            .bind(test_id)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE tests_of_change SET ended_on = $1, result = $2, decision = $3 WHERE id = $4")
                .bind(ended_on.to_string())
                .bind(result.trim())
                .bind(decision.as_str())
                .bind(test_id)
                .execute(&mut *tx)
                .await?;
            touch_project!(tx, project_id, today);
            let change = Change::new("project.test_of_change.finish", "project", &code).after(
                &serde_json::json!({"test": test_id, "ended_on": ended_on.to_string(), "result": result.trim(), "decision": decision.as_str()}),
            );
            tx.append_audit(partnership_id, &actor, vec![change]).await?;
        });
        Ok(())
    }

    pub async fn set_project_status(
        &self,
        permit: &Permit,
        project_id: i64,
        status: ProjectStatus,
        today: Date,
    ) -> Result<()> {
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        in_tx!(self, |tx| {
            let (team_id, code) = project_team!(tx, partnership_id, project_id);
            require_team_permit(permit, team_id)?;
            let before: String = sqlx::query_scalar("SELECT status FROM projects WHERE id = $1")
                .bind(project_id)
                .fetch_one(&mut *tx)
                .await?;
            if before != status.as_str() {
                sqlx::query("UPDATE projects SET status = $1 WHERE id = $2")
                    .bind(status.as_str())
                    .bind(project_id)
                    .execute(&mut *tx)
                    .await?;
                touch_project!(tx, project_id, today);
                let change = Change::new("project.status", "project", &code)
                    .before(&before)
                    .after(&status.as_str());
                tx.append_audit(partnership_id, &actor, vec![change]).await?;
            }
        });
        Ok(())
    }
}
